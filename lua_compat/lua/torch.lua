-- torch's Lua-side helpers: CmdLine, Timer (the rest of torch comes from the declaration table)
local B, hidden = ...
local rawtype = hidden.rawtype   -- Lua's own type(): 'userdata' for every Python object

-- Torch7's Lua has x:index(dim, idx) but no torch.index function (the fixtures record the error)
torch.index = nil

-- objects to serialize ----------------------------------------------------------------------------
-- What the Python t7 writer cannot take apart, the Lua side prepares: strings that are not UTF-8
-- cross as bytes (RawBytes); a Lua function becomes {__t7_function = hex bytecode, upvalues =
-- {{name=, id=, value=}...}} (Torch7's recursive-function record, upvalues shared between closures
-- keep one id); an instance of a Lua class {__t7_object = class name, fields = {...}}; hook(obj),
-- File:writeObject's hook, replaces every object first.  What cannot be written fails with its
-- place, as Torch7: "Unwritable object <function> at <?>.outer.theinner".  Tables are copied only
-- when something in them needs this (shared tables and cycles stay so).
local function utf8ok(s)
   if not s:find('[\128-\255]') then return true end
   local i, n = 1, #s
   while i <= n do
      local c = s:byte(i)
      local len = c < 0x80 and 1 or (c >= 0xC2 and c < 0xE0) and 2 or (c >= 0xE0 and c < 0xF0) and 3
         or (c >= 0xF0 and c < 0xF5) and 4 or nil
      if not len or i + len - 1 > n then return false end
      for j = i + 1, i + len - 1 do
         local d = s:byte(j)
         if d < 0x80 or d > 0xBF then return false end
      end
      i = i + len
   end
   return true
end
local LUACLASS = hidden.LUACLASS
local function lua_class_of(v)
   local mt = getmetatable(v)
   local name = type(mt) == 'table' and rawget(mt, '__typename')
   if name and LUACLASS[name] == mt then return name end
   return nil
end
local function needs_prepare(v, seen)
   local t = rawtype(v)
   if t == 'string' then return not utf8ok(v) end
   if t == 'function' then return true end
   if t ~= 'table' or seen[v] then return false end
   seen[v] = true
   if lua_class_of(v) then return true end
   for k, e in pairs(v) do if needs_prepare(k, seen) or needs_prepare(e, seen) then return true end end
   return false
end
local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end

local function prepare(obj, hook, rootname)
   if not hook and not needs_prepare(obj, {}) then return obj end
   local memo, stack = {}, {}
   local upvalue_ids, nids = {}, 0
   local convert
   local function where()
      return table.concat(stack, '.')
   end
   local function unwritable(v)
      error(string.format('Unwritable object <%s> at %s', type(v), where()), 0)
   end
   local function convert_function(f)
      if not pcall(string.dump, f) then unwritable(f) end
      local rec = {__t7_function = hex(string.dump(f))}
      memo[f] = rec
      local ups = {}
      local i = 1
      while true do
         local name, value = debug.getupvalue(f, i)
         if not name then break end
         local uid = debug.upvalueid(f, i)
         local id = upvalue_ids[uid]
         if not id then nids = nids + 1 id = nids upvalue_ids[uid] = id end
         ups[i] = {name = name, id = id, value = convert(value, name)}
         i = i + 1
      end
      rec.upvalues = ups
      return rec
   end
   local function writable(v)
      local t = rawtype(v)
      if t == 'function' then return pcall(string.dump, v) end
      if t == 'userdata' then return B.kindof(v) ~= 'function' end
      return t ~= 'thread' and t ~= 'cdata'
   end
   local function convert_table(t)
      local cname = lua_class_of(t)
      local out = {}
      memo[t] = cname and {__t7_object = cname, fields = out} or out
      if cname then stack[#stack + 1] = cname end
      for k, v in pairs(t) do
         local kt = rawtype(k)
         if cname and not writable(v) then   -- Torch7 leaves such a field out of an object, with a warning
            print(string.format('$ Warning: cannot write object field <%s> of <%s> %s', tostring(k), cname, where()))
         else
            local key = convert(k, nil)
            out[key] = convert(v, (kt == 'string' or kt == 'number') and tostring(k) or nil)
         end
      end
      if cname then stack[#stack] = nil end
      return memo[t]
   end
   -- objects are shared by what they were before the hook (Torch7 keys them by that pointer)
   convert = function(v, name)
      local orig = v
      if memo[orig] then return memo[orig] end
      if hook then v = hook(v) end
      stack[#stack + 1] = name or '<?>'
      local t, out = rawtype(v), v
      if t == 'string' then
         if not utf8ok(v) then out = B.raw_bytes(hex(v)) end
      elseif t == 'function' then
         out = memo[v] or convert_function(v)
      elseif t == 'table' then
         out = memo[v] or convert_table(v)
      elseif (t == 'userdata' and B.kindof(v) == 'function') or t == 'thread' or t == 'cdata' then
         unwritable(v)
      end
      local ot = rawtype(orig)
      if ot == 'table' or ot == 'function' or ot == 'userdata' then memo[orig] = out end
      stack[#stack] = nil
      return out
   end
   return convert(obj, rootname)
end

-- reading back: closures from their bytecode and upvalues, instances of Lua classes
B.set_lua_hooks(
   function(bytecode)
      local f, err = loadstring(bytecode)
      if not f then error('cannot load a function from its bytecode: ' .. tostring(err), 0) end
      return f
   end,
   function(f, upvalues, ids, tag)
      for i, up in ipairs(upvalues) do
         if tag == 7 then
            debug.setupvalue(f, i, up)
         else
            debug.setupvalue(f, i, up.value)
            if up.id then
               local other = ids[up.id]
               if other then debug.upvaluejoin(f, i, other[1], other[2])
               else ids[up.id] = {f, i} end
            end
         end
      end
   end,
   function(name)
      local c = LUACLASS[name]
      if c and rawget(c, '__index') ~= nil then return c end
      return nil
   end)

local save, serialize = torch.save, torch.serialize
torch.save = function(path, obj, ...) return save(path, prepare(obj), ...) end
torch.serialize = function(obj, ...) return serialize(prepare(obj), ...) end

-- torch.pointer: a number that names a Lua table or function for as long as it lives (Python
-- objects: their identity)
local pointers, npointers = setmetatable({}, {__mode = 'k'}), 0
local python_pointer = torch.pointer
function torch.pointer(obj)
   local t = rawtype(obj)
   if t == 'table' or t == 'function' or t == 'thread' then
      local p = pointers[obj]
      if not p then npointers = npointers + 1 p = npointers pointers[obj] = p end
      return p
   end
   if t == 'userdata' then return python_pointer(obj) end
   return 0
end

-- torch.DiskFile / torch.MemoryFile (lua_compat/files.py) and the torch.File methods -------------
local File = {}
torch.File = File
function File:writeObject(obj, debugname, hook) self._f:writeObject(prepare(obj, hook, debugname)) return self end
local function file_object(f)
   return setmetatable({_f = f}, {__index = function(self, k)
      local m = File[k]
      if m ~= nil then return m end
      local v = f[k]
      if rawtype(v) == 'userdata' then
         return function(self, ...)
            local r = v(...)
            if rawtype(r) == 'userdata' and B.pointer(r) == B.pointer(f) then return self end
            return r
         end
      end
      return v
   end, __typename = 'torch.File'})
end
function torch.DiskFile(path, mode, quiet) return file_object(B.disk_file(path, mode or 'r')) end
function torch.MemoryFile(a, mode)
   if torch.isStorage(a) then return file_object(B.memory_file(a, mode or 'rw')) end
   return file_object(B.memory_file(nil, a or 'rw'))
end

function torch.serializeToStorage(obj, mode)
   local f = torch.MemoryFile()
   f[mode or 'binary'](f)
   f:writeObject(obj)
   local s = f:storage()
   s:resize(s:size() - 1)   -- the MemoryFile's closing NUL is no content
   f:close()
   return s
end
function torch.deserializeFromStorage(storage, mode)
   local f = torch.MemoryFile(storage, 'r')
   f[mode or 'binary'](f)
   local obj = f:readObject()
   f:close()
   return obj
end

-- torch.Timer ------------------------------------------------------------------------------------
local Timer = torch.class('torch.Timer')
function Timer:__init()
   self.total_real, self.total_cpu = 0, 0
   self:reset()
end
function Timer:reset()
   self.total_real, self.total_cpu = 0, 0
   self.start_real, self.start_cpu = B.clock(), B.cpuclock()
   self.running = true
   return self
end
function Timer:stop()
   if self.running then
      self.total_real = self.total_real + B.clock() - self.start_real
      self.total_cpu = self.total_cpu + B.cpuclock() - self.start_cpu
      self.running = false
   end
   return self
end
function Timer:resume()
   if not self.running then
      self.start_real, self.start_cpu = B.clock(), B.cpuclock()
      self.running = true
   end
   return self
end
function Timer:time()
   local real, cpu = self.total_real, self.total_cpu
   if self.running then
      real = real + B.clock() - self.start_real
      cpu = cpu + B.cpuclock() - self.start_cpu
   end
   return {real = real, user = cpu, sys = 0}
end

-- torch.CmdLine ----------------------------------------------------------------------------------
local CmdLine = torch.class('torch.CmdLine')
function CmdLine:__init(argseparator, keyseparator)
   self.argseparator = argseparator or ','
   self.keyseparator = keyseparator or '='
   self.options, self.arguments, self.helplines = {}, {}, {}
end
function CmdLine:text(txt)
   self.helplines[#self.helplines + 1] = {kind = 'text', text = txt or ''}
end
function CmdLine:option(key, default, help, typ)
   if type(key) ~= 'string' or key:sub(1, 1) ~= '-' then error('option names must start with -', 2) end
   local name = key:gsub('^%-+', '')
   typ = typ or type(default)
   self.options[name] = {key = key, default = default, help = help or '', type = typ}
   self.helplines[#self.helplines + 1] = {kind = 'option', name = name}
end
function CmdLine:argument(key, help, typ)
   self.arguments[#self.arguments + 1] = {key = key, help = help or '', type = typ or 'string'}
   self.helplines[#self.helplines + 1] = {kind = 'argument', index = #self.arguments}
end
local function convert(value, typ, key)
   if typ == 'number' then
      local v = tonumber(value)
      if v == nil then error('option ' .. key .. ' expects a number, got ' .. tostring(value), 0) end
      return v
   elseif typ == 'boolean' then
      return value == 'true' or value == '1'
   end
   return value
end
function CmdLine:help(arg)
   local out = {}
   local prog = arg and arg[0] or ''
   out[#out + 1] = 'Usage: ' .. prog .. ' [options]' .. (#self.arguments > 0 and ' <arguments>' or '')
   for _, line in ipairs(self.helplines) do
      if line.kind == 'text' then out[#out + 1] = line.text
      elseif line.kind == 'option' then
         local o = self.options[line.name]
         out[#out + 1] = string.format('  %-20s %s [%s]', o.key, o.help, tostring(o.default))
      else
         local a = self.arguments[line.index]
         out[#out + 1] = string.format('  %-20s %s', a.key, a.help)
      end
   end
   io.write(table.concat(out, '\n') .. '\n')
end
function CmdLine:parse(arg)
   arg = arg or {}
   local params = {}
   for name, o in pairs(self.options) do params[name] = o.default end
   local i, nargs = 1, 0
   while arg[i] ~= nil do
      local a = arg[i]
      if a == '-h' or a == '--help' or a == '-help' then
         self:help(arg)
         os.exit(0)
      end
      local name = type(a) == 'string' and a:match('^%-%-?(.+)$')
      if name and not tonumber(a) then
         local o = self.options[name]
         if not o then self:help(arg) error('unknown option ' .. a, 0) end
         if o.type == 'boolean' and (arg[i + 1] == nil or tostring(arg[i + 1]):sub(1, 1) == '-') then
            params[name] = not o.default
            i = i + 1
         else
            if arg[i + 1] == nil then error('option ' .. a .. ' expects a value', 0) end
            params[name] = convert(arg[i + 1], o.type, a)
            i = i + 2
         end
      else
         nargs = nargs + 1
         local spec = self.arguments[nargs]
         if not spec then self:help(arg) error('unexpected argument ' .. tostring(a), 0) end
         params[spec.key] = convert(a, spec.type, spec.key)
         i = i + 1
      end
   end
   if nargs < #self.arguments then
      self:help(arg)
      error('missing argument ' .. self.arguments[nargs + 1].key, 0)
   end
   return params
end
function CmdLine:string(prefix, params, ignore)
   local keys = {}
   ignore = ignore or {}
   for k, v in pairs(params) do
      if not ignore[k] and self.options[k] and self.options[k].default ~= v then keys[#keys + 1] = k end
   end
   table.sort(keys)
   local parts = {prefix}
   for _, k in ipairs(keys) do parts[#parts + 1] = k .. self.keyseparator .. tostring(params[k]) end
   return table.concat(parts, self.argseparator)
end
function CmdLine:log(file, params)
   local f = io.open(file, 'w')
   if f then
      local keys = {}
      for k in pairs(params or {}) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do f:write(k, ' ', tostring(params[k]), '\n') end
      f:close()
   end
end
function CmdLine:silent() self._silent = true end
function CmdLine:addTime() end

-- torch.Tester, torch.TestSuite (lua/torch/*.lua); torch.setheaptracking, torch.tic/toc ----------
require 'torch.TestSuite'
require 'torch.Tester'
-- Torch7 lets the Lua GC count TH's allocations; Python owns ours, so this only records the flag
function torch.setheaptracking(flag) torch._heaptracking = flag and true or false end
function torch.tic() return B.clock() end
function torch.toc(t) return B.clock() - t end

-- the alias method: Torch7 keeps the tables as one state {J, q} ------------------------------------
local alias_setup, alias_draw = torch.multinomialAliasSetup, torch.multinomialAlias
function torch.multinomialAliasSetup(probs, state)
   if state then
      alias_setup(state[1], state[2], probs)
      return state
   end
   local J, q = alias_setup(probs)
   return {J, q}
end
function torch.multinomialAlias(output, state)
   return alias_draw(output, state[1], state[2])
end
