-- require 'paths': torch/paths.  The name functions follow libpaths' C rules (written here in
-- Lua: they are string work); the calls that touch the disk go to packages/paths.py.
local B = ...
local P = B.packages.paths
paths = rawget(_G, 'paths') or {}
local paths = paths

for _, name in ipairs({'filep', 'dirp', 'mkdir', 'rmdir', 'cwd', 'tmpname', 'uname', 'execdir'}) do
   paths[name] = P[name]
end
paths.dir = function(d) return P.dir(d) end   -- '.', '..' and the entries, or nil
paths.home = P.home()

-- the last slash followed by something other than a slash
local function last_inner_slash(s)
   local p
   for i = 1, #s - 1 do
      if s:byte(i) == 47 and s:byte(i + 1) ~= 47 then p = i end
   end
   return p
end

function paths.basename(s, suffix)
   local p = last_inner_slash(s)
   local name = (p and s:sub(p + 1) or s):match('^[^/]*')
   if suffix == nil or suffix == '' then return name end
   if suffix:sub(1, 1) == '.' then suffix = suffix:sub(2) end
   if suffix == '' then return name end
   if #name > #suffix and name:sub(-#suffix - 1) == '.' .. suffix then
      return name:sub(1, #name - #suffix - 1)
   end
   return name
end

function paths.dirname(s)
   local p = last_inner_slash(s)
   if not p then return s:sub(1, 1) == '/' and s or '.' end
   return s:sub(1, math.max(p - 1, 1))
end

function paths.extname(s)
   local e = s:match('%.([^%.]*)$')
   return e
end

-- each argument in turn: an absolute one restarts at '/', '.' is dropped, '..' removes the last
-- component; the result has no trailing slash (the start is the current directory)
local function concat_one(from, name)
   local out = name:sub(1, 1) == '/' and '/' or from
   for part in name:gmatch('[^/]+') do
      if part == '..' then
         out = out:gsub('/+$', ''):gsub('[^/]*$', '')
      elseif part ~= '.' then
         if out == '' or out:sub(-1) ~= '/' then out = out .. '/' end
         out = out .. part
      end
   end
   out = (out .. '/'):gsub('(.)/+$', '%1')
   return out
end

function paths.concat(...)
   local out = P.cwd()
   for i = 1, select('#', ...) do
      local a = select(i, ...)
      if type(a) ~= 'string' and type(a) ~= 'number' then
         error(('bad argument #%d to \'concat\' (string expected, got %s)'):format(i, type(a)), 2)
      end
      out = concat_one(out, tostring(a))
   end
   return out
end

function paths.is_win() return paths.uname():match('Windows') end
function paths.is_mac() return paths.uname():match('Darwin') end

-- iterators over a directory's entries: files yields all (with '.' and '..'), iterfiles regular
-- files, iterdirs directories without '.' and '..'; an optional filter is a Lua pattern or a
-- function of the name
local function iter(keep)
   return function(dir, filter)
      local names = paths.dir(dir)
      local i = 0
      return function()
         while names do
            i = i + 1
            local n = names[i]
            if n == nil then return nil end
            if keep(dir, n) and (filter == nil or (type(filter) == 'string' and n:find(filter)) or
                                 (type(filter) == 'function' and filter(n))) then
               return n
            end
         end
      end
   end
end
paths.files = iter(function() return true end)
paths.iterfiles = iter(function(d, n) return not P.dirp(d .. '/' .. n) end)
paths.iterdirs = iter(function(d, n) return n ~= '.' and n ~= '..' and P.dirp(d .. '/' .. n) end)

function paths.thisfile(arg, depth)
   local s = debug.getinfo(depth or 2).source
   if type(s) ~= 'string' then
      s = nil
   elseif s:match('^@') then
      s = paths.concat(s:sub(2))
   else
      s = nil
   end
   if type(arg) == 'string' then
      if s then s = paths.concat(paths.dirname(s), arg) else s = arg end
   end
   return s
end

function paths.dofile(f, depth)
   local s = paths.thisfile(nil, 1 + (depth or 2))
   if s and s ~= '' then f = paths.concat(paths.dirname(s), f) end
   return dofile(f)
end

function paths.rmall(d, more)
   if more ~= 'yes' then
      return nil, "missing second argument ('yes')"
   elseif paths.filep(d) then
      return P.remove(d)
   elseif paths.dirp(d) then
      for f in paths.files(d) do
         if f ~= '.' and f ~= '..' then
            local ff = paths.concat(d, f)
            local r0, r1 = paths.rmall(ff, more)
            if not r0 then return r0, r1, ff end
         end
      end
      return paths.rmdir(d)
   end
   return nil, 'not a file or directory', d
end

function paths.findprogram(...)
   for _, exe in ipairs({...}) do
      for dir in (os.getenv('PATH') or '.'):gmatch('[^:]+') do
         local x = paths.concat(dir, exe)
         if paths.filep(x) then return x end
      end
   end
   return nil
end

paths.require = require
return paths
