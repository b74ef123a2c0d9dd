-- lua_compat prelude: Torch7's Lua surface over pytorch_lite (run once per runtime).
-- B is the bridge table handed in by lua_compat/runtime.py: Python callables only.
local B = ...

local rawget, rawset, type, select, setmetatable, getmetatable = rawget, rawset, type, select, setmetatable, getmetatable
local tostring, error, pcall = tostring, error, pcall

-- ---------------------------------------------------------------------------------------------
-- Python objects: one metatable for all of them (lupa's); dispatch on what the object is
-- ---------------------------------------------------------------------------------------------
local pymt = debug.getmetatable(B.probe)
local py_index, py_newindex = pymt.__index, pymt.__newindex
local py_call = pymt.__call
local py_kindof = B.kindof
local function kindof(o) return py_call(py_kindof, o) end
local handlerof = setmetatable({}, {__mode = 'k'})   -- userdata -> handler (false: plain object)
local HANDLERS = {}
local TYPED_TENSOR_HANDLER   -- set once a tensor type gets methods from Lua (see make_class)

-- lupa 2.8 keeps its Python-object userdata in a weak registry table filled with luaL_ref; when
-- the GC clears entries, luaL_ref can hand out a slot whose finalizer has not run yet, and a
-- Python object pushed again before its old userdata is finalized gets its new slot freed by the
-- old finalizer: Lua then sees the wrong Python object (scoder/lupa#293/#294).  The table is kept
-- strong, and swept in one full, atomic collection (clearing and finalizing together, so no slot
-- is ever reused while live) once enough new Python objects have reached Lua: counted where they
-- arrive (new objects seen by the handlers, userdata returned by tensor methods), the threshold
-- growing with the live heap so that the sweeps cost about what Lua's own pacing would.
local PYREFS = debug.getregistry().LUPA_PYTHON_REFERENCES_TABLE
local PYREFS_WEAK = getmetatable(PYREFS)
setmetatable(PYREFS, nil)
local fresh, SWEEP_MIN = 0, 4000
local sweep_at = SWEEP_MIN
local lua_collectgarbage = collectgarbage
local function sweep()
   setmetatable(PYREFS, PYREFS_WEAK)
   lua_collectgarbage('collect')
   setmetatable(PYREFS, nil)
   fresh = 0
   local kb = lua_collectgarbage('count')
   sweep_at = kb > SWEEP_MIN and kb or SWEEP_MIN
end
B.register_sweep(sweep)   -- Python sweeps too, after allocating a lot of storage (runtime.py)
function collectgarbage(opt, ...)
   if opt == nil or opt == 'collect' then sweep() return 0 end
   return lua_collectgarbage(opt, ...)
end

local function handler(o)
   local h = handlerof[o]
   if h == nil then
      fresh = fresh + 1
      if fresh > sweep_at then sweep() end
      local k = kindof(o)
      h = HANDLERS[k]
      if k == 'tensor' and TYPED_TENSOR_HANDLER then h = TYPED_TENSOR_HANDLER(o) end
      if h == nil then
         if k ~= '' then h = HANDLERS.__class(k) else h = false end
      end
      handlerof[o] = h
   end
   return h
end

pymt.__index = function(o, k)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   if h then return h.index(o, k) end
   return py_index(o, k)
end
pymt.__newindex = function(o, k, v)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   if h then return h.newindex(o, k, v) end
   return py_newindex(o, k, v)
end
-- calling a torch object (module(input), nn.Linear(2, 3)(node), nn.CAddTable()({a, b})) goes
-- through its handler, which turns Lua tables into lists; plain Python callables are called as is
pymt.__call = function(o, ...)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   if h and h.call then return h.call(o, ...) end
   return py_call(o, ...)
end
pymt.__add = B.op_add
pymt.__sub = B.op_sub
pymt.__mul = B.op_mul
pymt.__div = B.op_div
pymt.__unm = B.op_unm
pymt.__len = function(o)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   if h and h.len then return h.len(o) end
   return B.op_len(o)
end
pymt.__concat = function(a, b) return tostring(a) .. tostring(b) end

-- ---------------------------------------------------------------------------------------------
-- torch: tensors and storages
-- ---------------------------------------------------------------------------------------------
torch = {}
local torch = torch
local TENSOR = {}          -- name -> method, from the declaration table (plus the few below)
-- a declared method is a Lua function calling the Python one directly (no handler lookup on the
-- callable); Python answers "self" with no results at all, so x:add(y) hands back x's own userdata
-- instead of wrapping the same tensor again
local function self_or(self, ...)
   local n = select('#', ...)
   if n == 0 then return self end
   if n == 1 then
      local r = ...
      if type(r) == 'userdata' then   -- a new tensor (a view, a result) may have a new wrapper
         fresh = fresh + 1
         if fresh > sweep_at then sweep() end
      end
      return r
   end
   return ...
end
local function lua_method(f)
   return function(self, ...) return self_or(self, py_call(f, self, ...)) end
end
-- methods without dims/indices go straight to the Tensor method unless an argument is a table
local function fast_method(pm, f)
   return function(self, ...)
      local n = select('#', ...)
      if n == 0 then return self_or(self, py_call(pm, self)) end
      local a, b = ...
      if n == 1 then
         if type(a) ~= 'table' then return self_or(self, py_call(pm, self, a)) end
      elseif n == 2 then
         if type(a) ~= 'table' and type(b) ~= 'table' then return self_or(self, py_call(pm, self, a, b)) end
      end
      return self_or(self, py_call(f, self, ...))
   end
end
-- methods whose dims/indices sit at fixed positions: Lua subtracts 1 there (positive numbers;
-- 0, tables or more than 3 arguments take the general path, which also reports the errors)
local function shift_method(pm, pos, f)
   local s1, s2, s3 = false, false, false
   for _, p in ipairs(pos) do
      if p == 1 then s1 = true elseif p == 2 then s2 = true else s3 = true end
   end
   local function ok(v, s)
      local t = type(v)
      if t == 'table' then return false end
      if s and t == 'userdata' then return false end   -- a result first (res:sum(src, 1)): general path
      return not s or t ~= 'number' or v ~= 0
   end
   return function(self, ...)
      local n = select('#', ...)
      if n <= 3 then
         local a, b, c = ...
         if ok(a, s1) and ok(b, s2) and ok(c, s3) then
            if s1 and type(a) == 'number' and a > 0 then a = a - 1 end
            if s2 and type(b) == 'number' and b > 0 then b = b - 1 end
            if s3 and type(c) == 'number' and c > 0 then c = c - 1 end
            if n == 0 then return self_or(self, py_call(pm, self)) end
            if n == 1 then return self_or(self, py_call(pm, self, a)) end
            if n == 2 then return self_or(self, py_call(pm, self, a, b)) end
            return self_or(self, py_call(pm, self, a, b, c))
         end
      end
      return self_or(self, py_call(f, self, ...))
   end
end
-- view methods (view, expand, viewAs, ...): one tensor more than their own form takes before the
-- sizes (res:view(src, 3, 5), res:viewAs(src, t)) is the result-first form, which only the
-- declaration knows; the own form goes straight to the Tensor method
local function view_method(pm, f, k)
   local fast = fast_method(pm, f)
   return function(self, ...)
      local a = select(k + 1, ...)
      if type(a) == 'userdata' then
         local h = handlerof[a]
         if h == nil then h = handler(a) end
         if h == HANDLERS.tensor or (h and h.is_tensor) then return self_or(self, py_call(f, self, ...)) end
      end
      return fast(self, ...)
   end
end
local FAST, SHIFT, VIEW = B.tensor_fast, B.tensor_shift, B.tensor_view
for name, f in pairs(B.tensor_methods) do
   local pm, sh = FAST[name], SHIFT[name]
   if pm and VIEW[name] then TENSOR[name] = view_method(pm, f, VIEW[name])
   elseif pm then TENSOR[name] = fast_method(pm, f)
   elseif sh then TENSOR[name] = shift_method(sh[1], sh[2], f)
   else TENSOR[name] = lua_method(f) end
end
TENSOR.new = nil   -- x.new is the constructor of x's type (see NEW below)
local tget, tset = B.tensor_get, B.tensor_set

local NEW = {}   -- typename -> x.new: the constructor of x's type (called with or without x)
HANDLERS.tensor = {
   index = function(o, k)
      local m = TENSOR[k]
      if m ~= nil then return m end
      if k == 'new' then return NEW[B.typename(o)] end
      if type(k) == 'string' then return nil end
      return tget(o, k)
   end,
   newindex = tset,
   len = function(o) return o:size() end,
}
local STORAGE = {}
for name, f in pairs(B.storage_methods) do STORAGE[name] = f end
HANDLERS.storage = {
   index = function(o, k)
      local m = STORAGE[k]
      if m ~= nil then return m end
      if type(k) == 'number' then return B.storage_get(o, k) end
      return nil
   end,
   newindex = B.storage_set,
   len = function(o) return o:size() end,
}
HANDLERS.list = {
   index = B.list_get, newindex = B.list_set, len = B.list_len,
}
HANDLERS.dict = {
   index = B.dict_get, newindex = B.dict_set,
}
HANDLERS['function'] = {index = py_index, newindex = py_newindex}   -- plain Python callables

for name, f in pairs(B.torch_functions) do
   if B.is_method(f) then torch[name] = lua_method(f) else torch[name] = function(...) return py_call(f, ...) end end
end

-- tensor and storage classes: torch.DoubleTensor(...), torch.Tensor (the default type)
-- methods a script adds to one tensor type (function torch.HalfTensor:mean() ... end) win over the
-- declared ones for tensors of that type.  Until one is added every tensor shares one handler;
-- afterwards each tensor's handler is chosen by its type, once per tensor.
local TYPE_METHODS = {}   -- typename -> {name -> function}
local typed_handlers = {}
local function typed_handler(o)
   local tn = B.typename(o)
   local own = TYPE_METHODS[tn]
   if not own then return HANDLERS.tensor end
   local h = typed_handlers[tn]
   if not h then
      local base = HANDLERS.tensor
      h = {index = function(t, k)
              local m = own[k]
              if m ~= nil then return m end
              return base.index(t, k)
           end,
           newindex = base.newindex, len = base.len, is_tensor = true}
      typed_handlers[tn] = h
   end
   return h
end
local function add_type_method(typename, k, v)
   if not TYPE_METHODS[typename] then
      TYPE_METHODS[typename] = {}
      TYPED_TENSOR_HANDLER = typed_handler
      for o, h in pairs(handlerof) do   -- tensors seen before take the new handler on next use
         if h == HANDLERS.tensor then handlerof[o] = nil end
      end
   end
   TYPE_METHODS[typename][k] = v
end
local function make_class(typename, new, is_tensor)
   local cls = {__typename = typename}
   return setmetatable(cls, {
      __call = function(_, ...) return new(typename, ...) end,
      __index = function(_, k) return TENSOR[k] end,
      __newindex = function(t, k, v)
         rawset(t, k, v)
         if is_tensor and type(k) == 'string' and type(v) == 'function' then add_type_method(typename, k, v) end
      end,
      __tostring = function() return typename end,
   })
end
local TYPECLASS = {}   -- 'torch.DoubleTensor' -> its class table (torch.getmetatable's answer)
for _, tn in ipairs(B.tensor_types) do
   TYPECLASS[tn] = make_class(tn, B.tensor_new, true)
   torch[tn:match('torch%.(.*)')] = TYPECLASS[tn]
   NEW[tn] = function(...) return B.tensor_new(tn, ...) end
end
for _, sn in ipairs(B.storage_types) do
   TYPECLASS[sn] = make_class(sn, B.storage_new)
   torch[sn:match('torch%.(.*)')] = TYPECLASS[sn]
end
torch.Tensor = setmetatable({}, {
   __call = function(_, ...) return B.tensor_new(B.getdefaulttensortype(), ...) end,
   __index = function(_, k) return TENSOR[k] end,
})
torch.Storage = setmetatable({}, {
   __call = function(_, ...) return B.storage_new(B.getdefaulttensortype():gsub('Tensor', 'Storage'), ...) end,
})

-- methods written in Lua because they take Lua functions or Lua conventions
TENSOR.apply = function(self, fn) B.tensor_apply(self, fn) return self end
TENSOR.map = function(self, other, fn) B.tensor_map(self, other, fn) return self end
TENSOR.map2 = function(self, t1, t2, fn) B.tensor_map2(self, t1, t2, fn) return self end
TENSOR.totable = function(self) return B.to_lua(B.tolist(self)) end

-- ---------------------------------------------------------------------------------------------
-- classes: torch.class, torch.type, torch.typename, torch.isTypeOf
-- ---------------------------------------------------------------------------------------------
local LUACLASS = {}          -- name -> Lua class table (Lua-defined or a proxy of a Python class)
local PYBACKED = {}          -- name -> true when instances are Python objects

local function split_name(name)
   local pkg, short = name:match('^(.-)%.([^%.]+)$')
   return pkg, short or name
end

local function class_table_for_python(name)
   local c = LUACLASS[name]
   if c then return c end
   c = {__typename = name}
   setmetatable(c, {
      __index = function(t, k)
         if type(k) ~= 'string' then return nil end
         local f
         if k == '__init' then
            f = function(self, ...) B.init_as(name, self, ...) end
         else
            f = B.unbound(name, k)
         end
         rawset(t, k, f or false)
         return f
      end,
      __call = function(_, ...) return B.construct(name, ...) end,
      __tostring = function() return name end,
   })
   LUACLASS[name] = c
   PYBACKED[name] = true
   return c
end

local function method_of(c, k)
   local m = c[k]
   if m then return m end
   return nil
end

-- Python-backed objects: class methods first (Lua-defined or bridged), then fields
HANDLERS.__class = function(name)
   local c = LUACLASS[name] or class_table_for_python(name)
   local getfield, setfield = B.getfield, B.setfield
   local h = {
      index = function(o, k)
         local m = c[k]
         if m then return m end
         return getfield(o, k)
      end,
      newindex = setfield,
   }
   local call_object = B.call_object
   h.call = function(o, ...)
      local f = c.__call__
      if f then return f(o, ...) end
      return call_object(o, ...)
   end
   h.len = function(o)
      local f = c.__len__
      if f then return f(o) end
      return B.op_len(o)
   end
   HANDLERS[name] = h
   return h
end

local function new_lua_instance(c, ...)
   local obj = setmetatable({}, c)
   local init = c.__init
   if init then init(obj, ...) end
   return obj
end

function torch.class(name, parentName, module)
   if type(name) ~= 'string' then error('torch.class: class name must be a string', 2) end
   if type(parentName) == 'table' then parentName, module = nil, parentName end   -- torch.class(name, module)
   if LUACLASS[name] and not PYBACKED[name] then error('class ' .. name .. ' has been already assigned', 2) end
   local parent
   if parentName then
      parent = LUACLASS[parentName]
      if not parent then
         local pkg, short = split_name(parentName)
         local p = pkg and rawget(_G, pkg) and _G[pkg][short]
         parent = p and LUACLASS[parentName]
      end
      if not parent then error('torch.class: parent class ' .. tostring(parentName) .. ' does not exist', 2) end
   end
   local c = {__typename = name}
   c.__index = c
   local pybacked = parentName and PYBACKED[parentName]
   local mt = {__index = parent, __tostring = function() return name end}
   if pybacked then
      B.define(name, parentName)
      PYBACKED[name] = true
      mt.__call = function(_, ...)
         local obj = B.new_instance(name)
         local init = c.__init
         if init then init(obj, ...) end
         return obj
      end
      mt.__newindex = function(t, k, v)
         rawset(t, k, v)
         if type(v) == 'function' and type(k) == 'string' then B.set_method(name, k, v) end
      end
   else
      mt.__call = function(_, ...) return new_lua_instance(c, ...) end
   end
   setmetatable(c, mt)
   LUACLASS[name] = c
   local pkg, short = split_name(name)
   local ns = module
   if not ns and pkg then
      ns = rawget(_G, pkg)
      if not ns then ns = {} rawset(_G, pkg, ns) end
   end
   if ns then ns[short] = c else rawset(_G, name, c) end
   return c, parent
end

function torch.typename(obj)
   local t = type(obj)
   if t == 'userdata' then return B.typename(obj) end
   if t == 'table' then
      local mt = getmetatable(obj)
      if type(mt) == 'table' then return rawget(mt, '__typename') end
   end
   return nil
end

function torch.type(obj)
   return torch.typename(obj) or type(obj)
end

-- Torch7's rule: typeSpec is a Lua pattern matched against the type names of obj's class and its
-- parents; a spec matching only as a plain substring ('torch.Long') must be the whole name
local function spec_matches(tn, spec)
   local m = tn:match(spec)
   return m ~= nil and (m ~= spec or m == tn)
end
function torch.isTypeOf(obj, typeSpec)
   if type(typeSpec) == 'table' then
      typeSpec = rawget(typeSpec, '__typename') or (getmetatable(typeSpec) or {}).__typename
   end
   if type(typeSpec) ~= 'string' then error('type must be provided as [regexp] string, or factory', 2) end
   if type(obj) == 'userdata' then
      for _, tn in ipairs(B.typenames(obj)) do
         if spec_matches(tn, typeSpec) then return true end
      end
      return false
   end
   if type(obj) ~= 'table' then return false end
   local mt = getmetatable(obj)
   while type(mt) == 'table' do
      local tn = rawget(mt, '__typename')
      if tn and spec_matches(tn, typeSpec) then return true end
      mt = getmetatable(mt) and getmetatable(mt).__index
   end
   return false
end

function torch.isTensor(obj) return type(obj) == 'userdata' and B.kindof(obj) == 'tensor' end
function torch.isStorage(obj) return type(obj) == 'userdata' and B.kindof(obj) == 'storage' end
TENSOR.isTensor = torch.isTensor   -- torch.Tensor.isTensor(x), as Torch7's tensor metatables have
function torch.getmetatable(name) return LUACLASS[name] or TYPECLASS[name] end
torch.pointer = B.pointer
torch.setdefaulttensortype = B.setdefaulttensortype
torch.getdefaulttensortype = B.getdefaulttensortype
torch.manualSeed = B.manualSeed
torch.seed = B.seed
torch.initialSeed = B.initialSeed
torch.getRNGState = B.getRNGState
torch.setRNGState = B.setRNGState
torch.Generator = B.Generator
torch.setnumthreads = function() end
torch.getnumthreads = function() return 1 end
torch.serialize = B.serialize
torch.deserialize = B.deserialize
torch.save = B.save
torch.load = B.load
torch.isatty = function() return false end
torch.version = '7.0-pytorch_lite'

-- ---------------------------------------------------------------------------------------------
-- the nn namespace: Python classes on demand (nn.Linear), Lua classes as they are defined
-- ---------------------------------------------------------------------------------------------
function B_nn_namespace(pkg)
   return setmetatable({}, {__index = function(t, k)
      if type(k) ~= 'string' then return nil end
      local name = pkg .. '.' .. k
      if not B.has_class(name) then return nil end
      local c = class_table_for_python(name)
      rawset(t, k, c)
      return c
   end})
end

-- ---------------------------------------------------------------------------------------------
-- ipairs/pairs/#/table.insert over Python lists (container fields), print, io, os.exit
-- ---------------------------------------------------------------------------------------------
local lua_ipairs, lua_pairs, lua_unpack = ipairs, pairs, unpack
local function islist(t) return type(t) == 'userdata' and B.kindof(t) == 'list' end
function ipairs(t)
   if type(t) == 'userdata' then
      local n = #t
      return function(_, i)
         i = i + 1
         if i <= n then return i, t[i] end
      end, t, 0
   end
   return lua_ipairs(t)
end
-- as in Torch7: nn modules, criterions and other torch objects are tables (Python-backed here),
-- list and dict fields (live views) too; torch functions are functions; tensors, storages and
-- other Python objects stay userdata
local lua_type = type
local FUNC, TENSOR_H, STORAGE_H = HANDLERS['function'], HANDLERS.tensor, HANDLERS.storage
function _G.type(v)
   local t = lua_type(v)
   if t == 'userdata' then
      local h = handlerof[v]
      if h == nil then h = handler(v) end
      if h == FUNC then return 'function' end
      if h and h ~= TENSOR_H and h ~= STORAGE_H and not h.is_tensor then return 'table' end
   end
   return t
end
local dict_next = B.dict_next
local function isdict(t) return type(t) == 'userdata' and B.kindof(t) == 'dict' end
function pairs(t)
   if type(t) == 'userdata' then
      if islist(t) then return ipairs(t) end
      if isdict(t) then return function(d, k) return dict_next(d, k) end, t, nil end
      local k = kindof(t)
      if k ~= '' and k ~= 'tensor' and k ~= 'storage' then   -- a torch object: its fields
         local names, i = B.field_names(t), 0
         return function()
            i = i + 1
            local name = names[i]
            if name ~= nil then return name, t[name] end
         end, t, nil
      end
   end
   return lua_pairs(t)
end
function unpack(t, i, j)
   if type(t) == 'userdata' then
      local r = {}
      for k = 1, #t do r[k] = t[k] end
      return lua_unpack(r, i, j)
   end
   return lua_unpack(t, i, j)
end
table.unpack = table.unpack or unpack
local tinsert, tremove = table.insert, table.remove
function table.insert(t, ...)
   if type(t) == 'userdata' then return B.list_insert(t, ...) end
   return tinsert(t, ...)
end
function table.remove(t, ...)
   if type(t) == 'userdata' then return B.list_remove(t, ...) end
   return tremove(t, ...)
end

-- output goes through Python's sys.stdout/sys.stderr, so it interleaves with Python's own prints
local write_out, write_err = B.write_out, B.write_err
local function mkfile(w)
   local f = {}
   function f.write(self, ...)
      local n = select('#', ...)
      local parts = {...}
      for i = 1, n do parts[i] = tostring(parts[i]) end
      w(table.concat(parts))
      return self
   end
   function f.flush() B.flush() end
   function f.close() end
   function f.setvbuf() return true end
   return f
end
io.stdout = mkfile(write_out)
io.stderr = mkfile(write_err)
io.write = function(...) io.stdout:write(...) return io.stdout end
io.flush = function() B.flush() end

local function has_tostring(obj)
   if type(obj) == 'userdata' then return true end
   local mt = getmetatable(obj)
   return type(mt) == 'table' and mt.__tostring ~= nil
end

-- trepl's print: a tab after each plain value, objects on their own lines, tables pretty-printed:
-- '{' at 4 spaces per depth, entries 2 further as 'key : value' (strings quoted, tensors and
-- storages as 'DoubleTensor - size: 2x3'); a nested non-empty table on the lines after its key,
-- one depth further, down to depth 3 ('{...}' beyond, and for an empty one)
local PRINT_DEPTH = 4
local function print_value(v)
   if type(v) == 'string' then return '"' .. v .. '"' end
   if type(v) == 'userdata' then
      local tn = torch.typename(v)
      if tn and tn:find('torch%..*Storage') then return tn:match('torch%.(.+)') .. ' - size: ' .. v:size() end
      if tn and tn:find('torch%..*Tensor') then
         local sizes = B.sizes(v)
         if #sizes == 0 then return tn:match('torch%.(.+)') .. ' - empty' end
         return tn:match('torch%.(.+)') .. ' - size: ' .. table.concat(sizes, 'x')
      end
   end
   return tostring(v)
end
local function print_table(out, obj, depth)
   depth = depth or 0
   local pad = string.rep(' ', depth * 4)
   if next(obj) == nil then out[#out + 1] = pad .. '{}\n' return end
   out[#out + 1] = pad .. '{\n'
   local keys = {}
   for k in lua_pairs(obj) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      if ta == 'number' or ta == 'string' then return a < b end
      return tostring(a) < tostring(b)
   end)
   for _, k in lua_ipairs(keys) do
      local v = obj[k]
      local head = pad .. '  ' .. tostring(k) .. ' : '
      if type(v) == 'table' and not has_tostring(v) then
         if depth >= PRINT_DEPTH - 1 or next(v) == nil then
            out[#out + 1] = head .. '{...}\n'
         else
            out[#out + 1] = head .. '\n'
            print_table(out, v, depth + 1)
         end
      else
         out[#out + 1] = head .. print_value(v) .. '\n'
      end
   end
   out[#out + 1] = pad .. '}\n'
end

function print(...)
   local n = select('#', ...)
   local out = {}
   for i = 1, n do
      local obj = select(i, ...)
      if type(obj) == 'table' and not has_tostring(obj) then
         print_table(out, obj)
      elseif has_tostring(obj) then
         out[#out + 1] = tostring(obj) .. '\n'
      else
         out[#out + 1] = tostring(obj) .. '\t'
         if i == n then out[#out + 1] = '\n' end
      end
   end
   if n == 0 then out[1] = '\n' end
   write_out(table.concat(out))
end

-- string.format's %f as Torch7's LuaJIT (2.1.0-beta2) did it: exact ties round away from zero
local lua_format = string.format
local fmt_f = B.format_f
function string.format(fmt, ...)
   if type(fmt) ~= 'string' or not fmt:find('f', 1, true) then return lua_format(fmt, ...) end
   local args, n, i = {...}, select('#', ...), 0
   local out = fmt:gsub('%%([-+ #0]*%d*%.?%d*)([diouxXeEfgGqsc%%])', function(spec, conv)
      if conv == '%' then return '%%' end
      i = i + 1
      if conv == 'f' and type(args[i]) == 'number' then
         local s = fmt_f(spec, args[i])
         if s then return (s:gsub('%%', '%%%%')) end
      end
      return nil
   end)
   if out == fmt then return lua_format(fmt, ...) end
   -- the replaced %f conversions were consumed: drop their arguments
   local keep, k = {}, 0
   i = 0
   fmt:gsub('%%([-+ #0]*%d*%.?%d*)([diouxXeEfgGqsc%%])', function(spec, conv)
      if conv == '%' then return end
      i = i + 1
      if not (conv == 'f' and type(args[i]) == 'number' and fmt_f(spec, args[i])) then
         k = k + 1
         keep[k] = args[i]
      end
   end)
   return lua_format(out, lua_unpack(keep, 1, k))
end
string_format_native = nil

local EXIT = {}
os.exit = function(code)
   if code == nil or code == true then code = 0 elseif code == false then code = 1 end
   B.set_exit(code)
   error(EXIT, 0)
end

-- torch.deserialize: binary strings cross to Python as hex (Lua strings are not UTF-8)
torch.deserialize = function(s, mode)
   local hex = s:gsub('.', function(c) return string.format('%02x', c:byte()) end)
   return B.deserialize_hex(hex, mode)
end

-- ---------------------------------------------------------------------------------------------
-- running chunks: Lua errors with file:line and a traceback; Python errors with the Lua caller
-- ---------------------------------------------------------------------------------------------
-- the user's line: the first Lua frame outside the bridge's own code (this prelude, run from
-- Python as "<python>", and the package files in lua_dir); the first Lua frame if none is
local OWN_DIR = '@' .. B.lua_dir .. '/'
local function lua_location(level)
   local first
   while true do
      local info = debug.getinfo(level, 'Sl')
      if not info then return first or '' end
      if info.what ~= 'C' and info.currentline and info.currentline > 0 then
         local here = info.short_src .. ':' .. info.currentline .. ': '
         local src = info.source
         if src ~= '<python>' and src:sub(1, #OWN_DIR) ~= OWN_DIR then return here end
         first = first or here
      end
      level = level + 1
   end
end

local function on_error(e)
   if e == EXIT then return EXIT end
   local msg
   if type(e) == 'userdata' then
      local d = B.describe_error(e)
      if d then msg = lua_location(3) .. d end
   end
   msg = msg or tostring(e)
   return debug.traceback(msg, 1)
end

function _lua_compat_run(chunk, ...)
   local args = {...}
   local n = select('#', ...)
   return xpcall(function() return chunk(lua_unpack(args, 1, n)) end, on_error)
end

function _lua_compat_loadfile(path)
   local chunk, err = loadfile(path)
   if not chunk then return false, err end
   return chunk
end

function _lua_compat_load(code, name)
   local chunk, err = loadstring(code, name)
   if not chunk then return false, err end
   return chunk
end

-- packages: torch is preloaded (as under th); the others load their proxy files on require
package.loaded.torch = torch
local nn_namespace = B_nn_namespace
_G.B_nn_namespace = nil
local hidden = {namespace = nn_namespace, LUACLASS = LUACLASS, rawtype = lua_type}
local function preload(name, file)
   package.preload[name] = function()
      local chunk = assert(loadfile(B.lua_dir .. '/' .. file))
      return chunk(B, hidden)
   end
end
-- every lua_compat/lua/<name>.lua (and <pkg>/<mod>.lua as 'pkg.mod') is a package (packages.py)
for name, file in pairs(B.package_names) do preload(name, file) end
local torch_chunk = assert(loadfile(B.lua_dir .. '/torch.lua'))
torch_chunk(B, hidden)
require 'paths'
