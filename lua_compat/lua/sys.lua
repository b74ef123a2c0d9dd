-- require 'sys': torch/sys (clocks, tic/toc, shell commands, COLORS) over packages/sys.py
local B = ...
local P = B.packages.sys
require 'paths'
sys = rawget(_G, 'sys') or {}
local sys = sys

sys.clock = P.clock          -- wall-clock seconds, sub-second resolution (gettimeofday)
sys.usleep = P.usleep
sys.fstat = P.fstat          -- a file's modification time
sys.pwd = P.pwd
function sys.sleep(seconds) sys.usleep(seconds * 1000000) end

local t0
function sys.tic() t0 = sys.clock() end
function sys.toc(verbose)
   local dt = sys.clock() - (t0 or 0)
   if verbose then print(dt) end
   return dt
end

local function trim(s) return (s:gsub('^%s*', ''):gsub('%s*$', '')) end
-- the command's output (stderr included), without leading and trailing blanks
function sys.execute(cmd) return trim(P.execute(cmd)) end
sys.fexecute = function(cmd) return sys.execute(cmd) end

function sys.uname()
   local s = sys.execute('uname -a')
   if s:find('Linux') then return 'linux' elseif s:find('Darwin') then return 'macos' end
   return '?'
end
sys.OS = sys.uname()

sys.ls = function(d) return sys.execute('ls ' .. (d or ' ')) end
sys.ll = function(d) return sys.execute('ls -l ' .. (d or ' ')) end
sys.la = function(d) return sys.execute('ls -a ' .. (d or ' ')) end
sys.lla = function(d) return sys.execute('ls -la ' .. (d or ' ')) end
sys.prefix = ''

function sys.fpath()
   local f = debug.getinfo(2).source:gsub('@', '')
   if f:find('/') ~= 1 then f = paths.concat(paths.cwd(), f) end
   return paths.dirname(f), paths.basename(f)
end

-- the pieces of str between matches of pat (empty leading piece dropped, as torch/sys does)
function sys.split(str, pat)
   local t, last = {}, 1
   local s, e, cap = str:find('(.-)' .. pat, last)
   while s do
      if s ~= 1 or cap ~= '' then t[#t + 1] = cap end
      last = e + 1
      s, e, cap = str:find('(.-)' .. pat, last)
   end
   if last <= #str then t[#t + 1] = str:sub(last) end
   return t
end

function sys.isNaN(x) return x ~= x end

sys.COLORS = {none = '\27[0m', black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m',
              yellow = '\27[0;33m', blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m',
              white = '\27[0;37m', Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m',
              Yellow = '\27[1;33m', Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m',
              White = '\27[1;37m', _black = '\27[40m', _red = '\27[41m', _green = '\27[42m',
              _yellow = '\27[43m', _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m',
              _white = '\27[47m'}

sys.dirname = paths.dirname
sys.basename = paths.basename
sys.concat = paths.concat
sys.dirp = paths.dirp
sys.filep = paths.filep
return sys
