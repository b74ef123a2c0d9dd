-- require 'xlua': torch/xlua's progress bar, argument unpacking and helpers, written to its
-- doc and source behaviour (bar of 77 columns with ETA/step times, xlua.unpack's named or
-- positional arguments with defaults, xlua.require that warns instead of failing).
local B = ...
require 'sys'
xlua = rawget(_G, 'xlua') or {}
local xlua = xlua
local write, floor = function(...) io.write(...) end, math.floor

-- '1h2m' style: at most the two largest non-zero units, '0ms' for nothing
function xlua.formatTime(seconds)
   local days = floor(seconds / 3600 / 24)
   seconds = seconds - days * 3600 * 24
   local hours = floor(seconds / 3600)
   seconds = seconds - hours * 3600
   local minutes = floor(seconds / 60)
   seconds = seconds - minutes * 60
   local secondsf = floor(seconds)
   local millis = floor((seconds - secondsf) * 1000)
   local f, i = '', 1
   for _, part in ipairs({{days, 'D'}, {hours, 'h'}, {minutes, 'm'}, {secondsf, 's'}, {millis, 'ms'}}) do
      if part[1] > 0 and i <= 2 then f = f .. part[1] .. part[2] i = i + 1 end
   end
   if f == '' then f = '0ms' end
   return f
end

-- the bar: '=' up to the done fraction of 77 columns, '>' at its head, then ETA and step time;
-- the cursor goes back over the times to print current/goal in the bar's middle
local barDone, previous, t0, lasttime, lastindex = true, -1, nil, nil, nil
function xlua.progress(current, goal)
   local barLength = 77
   local percent = floor(current * barLength / goal)
   if barDone and (previous == -1 or percent < previous) then
      barDone = false
      previous = -1
      t0 = sys.clock()
      lasttime = 0
      lastindex = current   -- a bar may start at 0 (xlua.progress(0, n)): its step time is 0 then
   else
      write('\r')
   end
   if not barDone then
      previous = percent
      local bar = {}
      for i = 1, barLength do
         bar[i] = i < percent and '=' or (i == percent and '>' or '.')
      end
      write(' [', table.concat(bar), '] ')
      write(string.rep(' ', 50), string.rep('\b', 50))
      local elapsed = sys.clock() - t0
      local step = current == lastindex and 0 or (elapsed - lasttime) / (current - lastindex)
      local remaining = math.max(0, (goal - current) * step)
      local tm = 'ETA: ' .. xlua.formatTime(remaining) .. ' | Step: ' .. xlua.formatTime(step)
      write(tm)
      write(string.rep('\b', 47 + #tm))
      write(' ', current, '/', goal, ' ')
      if percent == barLength then
         barDone = true
         write('\n')
      end
      io.flush()
   end
end

-- print: tables one field per line ('{[k] = v,\n [k2] = v2}'), other values as tostring
function xlua.print(obj, ...)
   if type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         write(mt.__tostring__(obj))
      else
         local tos = tostring(obj)
         if tos and not tos:find('table: ') then write(tos .. ':\n') end
         write('{')
         local tab, idx = '', 1
         for k, v in pairs(obj) do
            if idx > 1 then write(',\n') end
            if type(v) == 'userdata' then
               write(tab .. '[' .. tostring(k) .. '] = <userdata>')
            else
               local s = tostring(v):gsub('\n', '\\n')
               if #s > 40 then
                  write(tab .. '[' .. tostring(k) .. '] = ' .. s:sub(1, 40) .. sys.COLORS.none .. ' ... ')
               else
                  write(tab .. '[' .. tostring(k) .. '] = ' .. s)
               end
            end
            tab = ' '
            idx = idx + 1
         end
         write('}')
      end
   else
      write(tostring(obj))
   end
   if select('#', ...) > 0 then
      write('    ')
      xlua.print(...)
   else
      write('\n')
   end
end
_G.xprint = xlua.print

function xlua.error(message, domain, usage)
   if domain then message = '<' .. domain .. '> ' .. message end
   local msg = sys.COLORS.Red .. tostring(message) .. sys.COLORS.none
   if usage then msg = msg .. '\n' .. tostring(usage) end
   error(msg, 2)
end
_G.xerror = xlua.error

-- the package, or false with a warning (never installs anything)
function xlua.require(name)
   local ok, res = pcall(require, name)
   if not ok then
      print(res)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   return res
end
_G.xrequire = xlua.require

function xlua.installed(name)
   for tmpl in (package.path .. ';' .. package.cpath):gmatch('[^;]+') do
      local p = tmpl:gsub('%?', (name:gsub('%.', '/')))
      if paths.filep(p) then return true, p end
   end
   return false, package.path .. ';' .. package.cpath
end

function xlua.usage(funcname, description, example, ...)
   local c = sys.COLORS
   local banner = string.rep('+', 69)
   local str = banner .. '\n' .. c.Magenta .. funcname .. c.none .. '\n'
   if description then str = str .. '\n' .. description .. '\n' end
   str = str .. '\n' .. c.blue .. '> ' .. c.none .. 'usage:\n' .. c.cyan
   local args = {...}
   if args[1] and args[1].tabled then args = args[1].tabled end
   local function line(key, param)
      key = key .. string.rep(' ', 40 - #key)
      key = key .. '-- ' .. (param.help or '')
      if param.default ~= nil then
         key = key .. '  [default = ' .. tostring(param.default) .. ']'
      elseif param.defaulta then
         key = key .. '  [default == ' .. param.defaulta .. ']'
      end
      return key .. '\n'
   end
   if args[1] and args[1].arg then
      str = str .. funcname .. '{\n'
      for _, p in ipairs(args) do
         str = str .. line(p.req and ('    ' .. p.arg .. ' = ' .. p.type)
                                  or ('    [' .. p.arg .. ' = ' .. p.type .. ']'), p)
      end
      str = str .. '}\n'
   else
      str = str .. funcname .. '(\n'
      for _, p in ipairs(args) do
         str = str .. line(p.req and ('    ' .. p.type) or ('    [' .. p.type .. ']'), p)
      end
      str = str .. ')\n'
   end
   str = str .. c.none
   if example then str = str .. '\n' .. c.cyan .. example .. c.none .. '\n' end
   return str .. banner
end

-- named ({arg = v}) or positional arguments against the definitions {arg=, type=, help=,
-- default=, defaulta=, req=}; returns the table (with .usage) then each value in order
function xlua.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      local example
      if #defs > 1 then
         example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', ' .. defs[1].arg .. '=' ..
                   defs[1].type .. '}\n' .. funcname .. '(' .. defs[1].type .. ', ...)'
      end
      return xlua.usage(funcname, description, example, {tabled = defs})
   end})
   local iargs = {}
   if #args == 0 then
      print(usage)
      error('error', 2)
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0 and torch.typename(args[1]) == nil then
      iargs = args[1]
   else
      for i = 1, #defs do iargs[defs[i].arg] = args[i] end
   end
   local dargs = {}
   for i, def in ipairs(defs) do
      if def.req and iargs[def.arg] == nil then
         print(sys.COLORS.Red .. 'missing argument: ' .. def.arg .. sys.COLORS.none)
         print(usage)
         error('error', 2)
      end
      local v = iargs[def.arg]
      if v == nil then v = def.default end
      if v == nil and def.defaulta then v = dargs[def.defaulta] end
      dargs[def.arg] = v
      dargs[i] = v
   end
   dargs.usage = usage
   return dargs, unpack(dargs, 1, #defs)
end

function xlua.unpack_class(object, args, funcname, description, ...)
   local dargs = xlua.unpack(args, funcname, description, ...)
   for k, v in pairs(dargs) do
      if type(k) ~= 'number' then object[k] = v end
   end
end

function xlua.clear(var) _G[var] = nil collectgarbage() end

-- table.splice(t, start, length): (the table without the slice, the slice)
function table.splice(tbl, start, length)
   length, start = length or 1, start or 1
   local kept, removed = {}, {}
   for i, e in ipairs(tbl) do
      if i < start or i >= start + length then kept[#kept + 1] = e else removed[#removed + 1] = e end
   end
   return kept, removed
end

-- table.prune(t): the distinct values (in no particular order)
function table.prune(tbl)
   local seen, out = {}, {}
   for _, v in ipairs(tbl) do seen[v] = true end
   for v in pairs(seen) do out[#out + 1] = v end
   return out
end

string.split = sys.split

function string.tosymbol(str)
   local ok, result = pcall(loadstring('return ' .. str))
   if not ok then error(result, 2) end
   if not result then error('symbol "' .. str .. '" does not exist', 2) end
   return result
end

require 'xlua.OptionParser'
return xlua
