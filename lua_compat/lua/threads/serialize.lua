-- require 'threads.serialize': values between Lua states (threads' workers).  A value becomes
-- a byte string plus a list of Python objects (tensors, storages, nn modules, tds containers: the
-- same Python objects on the other side, so tensors are shared, not copied):
--   nil/booleans/numbers/strings   by value
--   tables                         by value, cycles and sharing kept; torch class instances get
--                                  their class again on the other side (it must be defined there)
--   modules (package.loaded) and   by name: the other state requires the module itself
--   their fields, C functions
--   Lua functions                  their bytecode (string.dump) and their upvalues, by value
local B, hidden = ...
local rawtype = hidden.rawtype
local S = {}

local function is_c_function(f)
   local info = debug.getinfo(f, 'S')
   return info.what == 'C'
end

-- value -> {module name, field or nil}: what the other state can find by itself
local function known_names()
   local names = {}
   for modname, mod in pairs(package.loaded) do
      local tm = rawtype(mod)
      if (tm == 'table' or tm == 'function') and names[mod] == nil then names[mod] = {modname} end
   end
   for modname, mod in pairs(package.loaded) do
      if rawtype(mod) == 'table' then
         -- _G's tables are the script's own globals (dcgan's `opt`, absent from a fresh worker
         -- state: sent by value); its functions (print, require: every state has them) by name
         local globals = rawequal(mod, _G)
         for k, v in next, mod do
            local tv = rawtype(v)
            if type(k) == 'string' and (tv == 'table' or tv == 'function') and names[v] == nil
                  and not (globals and tv == 'table') then
               names[v] = {modname, k}
            end
         end
      end
   end
   return names
end

local function hex(s)
   return (s:gsub('.', function(c) return ('%02x'):format(c:byte()) end))
end

-- value -> (hex string, table of Python objects)
function S.encode(value)
   local out, objs, memo, nextid = {}, {}, {}, 0
   local names
   local function put(s) out[#out + 1] = s end
   local function str(s) put(#s .. ':') put(s) end
   local function named(v)
      names = names or known_names()
      return names[v]
   end
   local enc
   function enc(v)
      local t = rawtype(v)
      if t == 'nil' then put('Z')
      elseif t == 'boolean' then put(v and 'T' or 'F')
      elseif t == 'number' then
         if v ~= v then put('N') elseif v == math.huge then put('I') elseif v == -math.huge then put('J')
         else put('n' .. ('%.17g'):format(v) .. ';') end
      elseif t == 'string' then put('s') str(v)
      elseif t == 'userdata' then
         objs[#objs + 1] = v
         put('p' .. #objs .. ';')
      elseif memo[v] then put('r' .. memo[v] .. ';')
      elseif t == 'table' or t == 'function' then
         local name = named(v)
         if name then
            put('g') str(name[1]) if name[2] then put('T') str(name[2]) else put('F') end
            return
         end
         nextid = nextid + 1
         memo[v] = nextid
         if t == 'table' then
            local mt = getmetatable(v)
            local cls = rawtype(mt) == 'table' and rawget(mt, '__typename')
            if cls and torch.getmetatable(cls) == mt then put('c') str(cls) else put('t') end
            for k, e in next, v do enc(k) enc(e) end
            put('e')
         else
            if is_c_function(v) then
               error('threads: cannot send the C function ' .. tostring(v) .. ' to another thread', 0)
            end
            put('f') str(string.dump(v))
            local nups = debug.getinfo(v, 'u').nups
            put(nups .. ';')
            for i = 1, nups do
               local _, up = debug.getupvalue(v, i)
               enc(up)
            end
         end
      else
         error('threads: cannot send a value of type ' .. t .. ' to another thread', 0)
      end
   end
   enc(value)
   return hex(table.concat(out)), objs
end

-- (byte string, table of Python objects) -> value
function S.decode(s, objs)
   local pos, memo = 1, {}
   local function num()
      local e = s:find(';', pos, true)
      local n = tonumber(s:sub(pos, e - 1))
      pos = e + 1
      return n
   end
   local function str()
      local e = s:find(':', pos, true)
      local n = tonumber(s:sub(pos, e - 1))
      local r = s:sub(e + 1, e + n)
      pos = e + n + 1
      return r
   end
   local dec
   function dec()
      local tag = s:sub(pos, pos)
      pos = pos + 1
      if tag == 'Z' then return nil
      elseif tag == 'T' then return true
      elseif tag == 'F' then return false
      elseif tag == 'N' then return 0 / 0
      elseif tag == 'I' then return math.huge
      elseif tag == 'J' then return -math.huge
      elseif tag == 'n' then return num()
      elseif tag == 's' then return str()
      elseif tag == 'p' then return objs[num()]
      elseif tag == 'r' then return memo[num()]
      elseif tag == 'g' then
         local modname = str()
         local has_field = s:sub(pos, pos) == 'T'
         pos = pos + 1
         local mod = package.loaded[modname]
         if mod == nil then mod = require(modname) end
         if has_field then return mod[str()] end
         return mod
      elseif tag == 't' or tag == 'c' then
         local t = {}
         memo[#memo + 1] = t
         if tag == 'c' then
            local cls = str()
            local mt = torch.getmetatable(cls)
            if not mt then
               error('threads: the class ' .. cls .. ' is not defined in this thread (require its file in an init function)', 0)
            end
            setmetatable(t, mt)
         end
         while s:sub(pos, pos) ~= 'e' do
            local k = dec()
            t[k] = dec()
         end
         pos = pos + 1
         return t
      elseif tag == 'f' then
         local f = assert(loadstring(str()))
         memo[#memo + 1] = f
         local nups = num()
         for i = 1, nups do debug.setupvalue(f, i, dec()) end
         return f
      end
      error('threads: corrupt message at byte ' .. (pos - 1), 0)
   end
   return dec()
end

return S
