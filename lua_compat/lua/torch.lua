-- torch's Lua-side helpers: File, CmdLine, Timer, Tester (the rest of torch comes from the declaration table)
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
-- a class's own write/read method, found as Torch7's File finds it (the class's __write/write, a
-- Lua function; a Python method is no such hook)
local function t7_method(name, which)
   local mt = type(name) == 'string' and torch.getmetatable(name)
   if not mt then return nil end
   local ok, f = pcall(function() return mt['__' .. which] or mt[which] end)
   if ok and rawtype(f) == 'function' then return f end
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
      local write = cname and t7_method(cname, 'write')
      if write then   -- the object writes itself when the file gets to it (writer.custom_write)
         memo[t] = {__t7_self_writing = cname, object = t, write = write}
         return memo[t]
      end
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
   if t == 'number' then return obj end   -- s:data() is the address itself (Torch7: a cdata pointer)
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
-- quiet: nil instead of an error when the file cannot be opened, as Torch7's
local function opened(quiet, make, ...)
   if not quiet then return file_object(make(...)) end
   local ok, f = pcall(make, ...)
   if ok then return file_object(f) end
   return nil
end
function torch.DiskFile(path, mode, quiet) return opened(quiet, B.disk_file, path, mode or 'r') end
function torch.PipeFile(command, mode, quiet) return opened(quiet, B.pipe_file, command, mode or 'r') end
function torch.MemoryFile(a, mode)
   if torch.isStorage(a) then return file_object(B.memory_file(a, mode or 'rw')) end
   return file_object(B.memory_file(nil, a or 'rw'))
end

-- a class's write/read methods (Torch7's File calls them for the object's body), the Lua File over
-- a Python one, a new instance of a Lua class before its read method fills it (torch.factory's),
-- and prepare (functions and Lua objects a Python object holds get written as from Lua)
B.set_t7_hooks(t7_method, file_object, function(name) return setmetatable({}, LUACLASS[name]) end,
   function(v) return prepare(v) end)   -- a Lua value a Python object holds, ready for the writer

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
   -- a MemoryFile reads a CharStorage ending with a NUL that is no content: the bytes (a
   -- CharStorage or a CharTensor, as Torch7 takes) get one
   local bytes = torch.CharTensor(storage)
   local n = bytes:nElement()
   local padded = torch.CharStorage(n + 1)
   if n > 0 then torch.CharTensor(padded, 1, n):copy(bytes) end
   padded[n + 1] = 0
   local f = torch.MemoryFile(padded, 'r')
   f[mode or 'binary'](f)
   local obj = f:readObject()
   f:close()
   return obj
end

-- luaT's class utilities ---------------------------------------------------------------------------
-- torch.isequal(a, b): the same table or torch object (nothing else is equal)
function torch.isequal(a, b)
   local ta, tb = type(a), type(b)
   if (ta ~= 'table' and ta ~= 'userdata') or (tb ~= 'table' and tb ~= 'userdata') then return false end
   return rawequal(a, b) or (rawtype(a) == 'userdata' and rawtype(b) == 'userdata' and B.pointer(a) == B.pointer(b))
end
-- torch.factory(name): a function making an empty object of class `name` (what File:readObject
-- fills in), nil for an unknown class
function torch.factory(name)
   if type(name) ~= 'string' then return nil end
   local c = hidden.LUACLASS[name]
   if c and rawget(c, '__index') ~= nil and B.has_class(name) then
      return function() return B.new_instance(name) end
   elseif c then
      return function() return setmetatable({}, c) end
   end
   if B.has_class(name) then return function() return B.new_instance(name) end end
   local mt = torch.getmetatable(name)
   if mt then return function() return mt() end end
   return nil
end
-- torch.typename2id(name) / torch.id(obj): a number standing for a class (compare, don't read)
function torch.typename2id(name)
   local mt = type(name) == 'string' and torch.getmetatable(name)
   return mt and torch.pointer(mt) or nil
end
function torch.id(obj)
   local name = torch.typename(obj)
   return name and torch.typename2id(name) or nil
end
function torch.getconstructortable(name) return torch.getmetatable(name) end
-- torch.newmetatable(name, parentName, constructor): a new torch class; its constructor (when
-- given) is what calling `name` runs
function torch.newmetatable(name, parentName, constructor)
   local c = torch.class(name, parentName)
   if constructor then
      local pkg, short = name:match('^(.-)%.([^%.]+)$')
      local holder = pkg and rawget(_G, pkg) or _G
      holder[short or name] = constructor
   end
   return c
end
function torch.getenv(f) return (type(f) == 'function' and getfenv(f)) or debug.getfenv(f) end
function torch.setenv(f, env)
   if type(f) == 'function' then setfenv(f, env) else debug.setfenv(f, env) end
   return f
end
function torch.totable(x) return x:totable() end

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

-- torch.CmdLine (torch7 doc/cmdline.md), behaving as Torch7's: options are named with their dashes
-- ('-seed') and land in params without them; arguments are positional; text lines, options and
-- arguments make the help in the order they were declared, keys padded to the widest one.
local CmdLine = torch.class('torch.CmdLine')

local function undashed(key) return (key:match('^%-*(.*)$')) end

function CmdLine:__init(argseparator, keyseparator)
   self.argseparator = argseparator or ','
   self.keyseparator = keyseparator or '='
   self.options, self.arguments, self.helplines = {}, {}, {}
   self.dateformat, self.silentio = nil, false
end

function CmdLine:silent() self.silentio = true end

function CmdLine:addTime(name, format)
   format = format or '%Y-%m-%d %H:%M:%S'
   if type(format) ~= 'string' then error('Argument has to be string') end
   self.dateformat = format .. (name ~= nil and ('[' .. name .. ']: ') or '')
end

function CmdLine:text(txt)
   txt = txt or ''
   assert(type(txt) == 'string')
   self.helplines[#self.helplines + 1] = txt
end

function CmdLine:option(key, default, help, typ)
   if default == nil then error('option ' .. key .. ' has no default value') end
   typ = typ or type(default)
   if type(default) ~= typ then error('option ' .. key .. ' has wrong default type value') end
   local o = {key = key, default = default, help = help, type = typ}
   self.options[key] = o
   self.helplines[#self.helplines + 1] = o
end

function CmdLine:argument(key, help, typ)
   local a = {key = key, help = help, type = typ}
   self.arguments[#self.arguments + 1] = a
   self.helplines[#self.helplines + 1] = a
end

function CmdLine:default()
   local params = {}
   for key, o in pairs(self.options) do params[undashed(key)] = o.default end
   return params
end

function CmdLine:error(msg)
   print('')
   io.stderr:write(msg)
   print('')
   self:help()
   os.exit(1)
end

-- one option at arg[i]: how many entries of arg it used
function CmdLine:__readOption__(params, arg, i)
   local key = arg[i]
   local o = self.options[key]
   if not o then self:error('unknown option ' .. key) end
   if o.type == 'boolean' then
      params[undashed(key)] = not o.default
      return 1
   end
   local value = arg[i + 1]
   if not value then self:error('missing argument for option ' .. key) end
   if o.type == 'number' then
      value = tonumber(value)
   elseif o.type and o.type ~= 'string' then
      self:error('unknown required option type ' .. o.type)
   end
   if not value then self:error('invalid type for option ' .. key .. ' (should be ' .. o.type .. ')') end
   params[undashed(key)] = value
   return 2
end

function CmdLine:__readArgument__(params, arg, i, n)
   local a, value = self.arguments[n], arg[i]
   if n > #self.arguments then self:error('invalid argument: ' .. value) end
   if a.type and type(value) ~= a.type then
      self:error('invalid argument type for argument ' .. a.key .. ' (should be ' .. a.type .. ')')
   end
   params[undashed(a.key)] = value
   return 1
end

function CmdLine:parse(arg)
   arg = arg or {}
   local params, i, n = self:default(), 1, 0
   while i <= #arg do
      local a = arg[i]
      if a == '-help' or a == '-h' or a == '--help' then
         self:help(arg)
         os.exit(0)
      end
      if self.options[a] then
         i = i + self:__readOption__(params, arg, i)
      else
         n = n + 1
         i = i + self:__readArgument__(params, arg, i, n)
      end
   end
   if n ~= #self.arguments then self:error('not enough arguments') end
   return params
end

-- prefix, then the arguments in their order and the options that differ from their defaults
-- (sorted, booleans as t/f), all joined by argseparator: a name for an experiment's directory
function CmdLine:string(prefix, params, ignore)
   prefix, ignore = prefix or '', ignore or {}
   local args, opts = {}, {}
   for k, v in pairs(params) do
      local o = self.options['-' .. k]
      if ignore[k] then
         print('-- ignore option ' .. k)
      elseif o then
         if v ~= o.default or ignore[k] == false then
            if type(v) == 'boolean' then v = v and 't' or 'f' end
            opts[#opts + 1] = k .. self.keyseparator .. v
            print(k, v, o.default)
         end
      else
         local at
         for n, a in ipairs(self.arguments) do
            if undashed(a.key) == k then at = n end
         end
         if at then
            args[at] = k .. self.keyseparator .. v
         else
            print('WARNING: unknown option/argument: ' .. k .. ' IGNORING for DIRECTORY NAME')
         end
      end
   end
   table.sort(opts)
   local parts = {}
   for n = 1, #self.arguments do if args[n] then parts[#parts + 1] = args[n] end end
   for _, o in ipairs(opts) do parts[#parts + 1] = o end
   local str = table.concat(parts, self.argseparator)
   if str == '' then return prefix end
   return prefix .. self.argseparator .. str
end

-- from now on print also writes to the log (each value, then the newline, joined by spaces;
-- prefixed with the date when addTime was called); the parameters are logged first
function CmdLine:log(file, params)
   local f = (io.type(file) == 'file' and file) or assert(io.open(file, 'w'))
   local screen = print
   local cmd = self
   print = function(...)
      if not cmd.silentio then screen(...) end
      local parts = {}
      if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
      for k = 1, select('#', ...) do parts[#parts + 1] = tostring((select(k, ...))) end
      parts[#parts + 1] = '\n'
      f:write(table.concat(parts, ' '))
      f:flush()
   end
   print('[program started on ' .. os.date() .. ']')
   print('[command line arguments]')
   for k, v in pairs(params or {}) do print(k, v) end
   print('[----------------------]')
end

function CmdLine:help(arg)
   local out = {'Usage: '}
   if arg then out[#out + 1] = tostring(arg[0]) .. ' ' end
   out[#out + 1] = '[options]'
   for _, a in ipairs(self.arguments) do out[#out + 1] = ' <' .. undashed(a.key) .. '>' end
   out[#out + 1] = '\n'
   local width = 0
   for _, line in ipairs(self.helplines) do
      if type(line) == 'table' then
         local w = line.default ~= nil and #line.key or #undashed(line.key) + 2
         if w > width then width = w end
      end
   end
   for _, line in ipairs(self.helplines) do
      if type(line) == 'table' then
         local name = line.default ~= nil and line.key or ('<' .. undashed(line.key) .. '>')
         out[#out + 1] = '  ' .. name .. string.rep(' ', width - #name)
         if line.help then out[#out + 1] = ' ' .. line.help end
         if line.default ~= nil then out[#out + 1] = ' [' .. tostring(line.default) .. ']' end
      else
         out[#out + 1] = line
      end
      out[#out + 1] = '\n'
   end
   io.write(table.concat(out))
end

-- torch.Tester, torch.TestSuite (lua/torch/*.lua); torch.setheaptracking, torch.tic/toc ----------
require 'torch.TestSuite'
require 'torch.Tester'
require 'torch.include'
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

-- x:cdata() and x:data() through LuaJIT's FFI, as Torch7's ffi.lua gave them: cdata() is a
-- TH<Type>Tensor struct in TH's layout describing x as it is at the call (sizes, strides, offset,
-- and a TH<Type>Storage whose data pointer is x's own memory), data() a typed pointer to x's first
-- element.  The struct is a description made at the call, not TH's live struct: it does not follow
-- a later resize of x.  Writing through the pointers writes x's elements.
local ok_ffi, ffi = pcall(require, 'ffi')
if ok_ffi then
   local CTYPE = {Byte = 'unsigned char', Char = 'char', Short = 'short', Int = 'int', Long = 'long',
                  Float = 'float', Double = 'double', Half = 'uint16_t'}
   for name, ct in pairs(CTYPE) do
      ffi.cdef(string.format([[
typedef struct TH%sStorage { %s *data; ptrdiff_t size; int refcount; char flag;
   void *allocator; void *allocatorContext; struct TH%sStorage *view; } TH%sStorage;
typedef struct TH%sTensor { long *size; long *stride; int nDimension; TH%sStorage *storage;
   ptrdiff_t storageOffset; int refcount; char flag; } TH%sTensor;]], name, ct, name, name, name, name, name))
   end
   local anchors = setmetatable({}, {__mode = 'k'})   -- struct -> what its pointers point into
   local function kind(x) return torch.typename(x):match('^torch%.(%a-)Tensor$') end
   local function first_element(x, k)
      local st = x:storage()
      if st == nil or st:size() == 0 then return nil, st end
      return ffi.cast(CTYPE[k] .. '*', st:data()) + (x:storageOffset() - 1), st
   end
   torch.Tensor.cdata = function(x)
      local k = kind(x)
      local n = x:dim()
      local size, stride = ffi.new('long[?]', math.max(n, 1)), ffi.new('long[?]', math.max(n, 1))
      for i = 1, n do size[i - 1], stride[i - 1] = x:size(i), x:stride(i) end
      local st = x:storage()
      local s = ffi.new('TH' .. k .. 'Storage')
      if st ~= nil then
         s.size, s.refcount = st:size(), 1
         if st:size() > 0 then s.data = ffi.cast(CTYPE[k] .. '*', st:data()) end
      end
      local t = ffi.new('TH' .. k .. 'Tensor')
      t.size, t.stride, t.nDimension, t.refcount = size, stride, n, 1
      t.storage, t.storageOffset = st ~= nil and s or nil, st ~= nil and x:storageOffset() - 1 or 0
      anchors[t] = {s, size, stride, x, st}
      return t
   end
   torch.Tensor.data = function(x)
      local p, st = first_element(x, kind(x))
      if p ~= nil then anchors[p] = {x, st} end
      return p
   end
   -- torch.data(x[, asnumber]) and torch.cdata(x[, asnumber]): Torch7's FFI helpers (dcgan's
   -- dataset reads its char tensors of paths with ffi.string(torch.data(row)))
   local function pointer(p, asnumber)
      if asnumber and p ~= nil then return ffi.cast('intptr_t', p) end
      return p
   end
   function torch.data(x, asnumber)
      if not x then return nil end
      if torch.isStorage(x) then
         local k = torch.typename(x):match('^torch%.(%a-)Storage$')
         if x:size() == 0 then return nil end
         local p = ffi.cast(CTYPE[k] .. '*', x:data())
         anchors[p] = {x}
         return pointer(p, asnumber)
      end
      return pointer(x:data(), asnumber)
   end
   function torch.cdata(x, asnumber)
      if not x then return nil end
      return pointer(x:cdata(), asnumber)
   end
end
