-- lua_compat prelude: Torch7's Lua surface over pytorch_lite (run once per runtime).
-- B is the bridge table handed in by lua_compat/runtime.py: Python callables only.
local B = ...

local rawget, rawset, type, select, setmetatable, getmetatable = rawget, rawset, type, select, setmetatable, getmetatable
local tostring, error, pcall = tostring, error, pcall
local lua_unpack_early = unpack

-- ---------------------------------------------------------------------------------------------
-- Python objects: one metatable for all of them (lupa's); dispatch on what the object is
-- ---------------------------------------------------------------------------------------------
local pymt = debug.getmetatable(B.probe)
local py_index, py_newindex = pymt.__index, pymt.__newindex
local raw_call = pymt.__call

-- A Python exception raised under a call from Lua reaches Lua as what Torch7's C code raised: a
-- string that starts with the user's file:line, so pcall + err:find(...) work.  Every call into
-- Python from Lua goes through py_call (pymt.__call is py_call too).
local lua_location   -- defined with the error handling at the end
local function raise_py(e)
   if type(e) == 'userdata' then
      local msg, located = raw_call(B.describe_error, e)
      if msg then
         if not located then msg = lua_location(3) .. msg end
         error(msg, 0)
      end
   end
   error(e, 0)
end
local function checked(ok, ...)
   if ok then return ... end
   return raise_py((...))
end
local function py_call(f, ...) return checked(pcall(raw_call, f, ...)) end
local py_kindof = B.kindof
local function kindof(o) return py_call(py_kindof, o) end
local py_handler_key = B.handler_key
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
      local k = py_call(py_handler_key, o)
      h = HANDLERS[k]
      if h and h.is_tensor and TYPED_TENSOR_HANDLER then h = TYPED_TENSOR_HANDLER(o) end
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
-- luaT's operators: the class of the first operand that is a torch object (the second when the
-- first is a number or plain table) answers `a - b` with its method __sub__, `-a` with __unm__,
-- and so on; nngraph builds graphs that way (Module.__sub__, Node.__sub__: `e1 - nn.ReLU(true)`).
-- Objects whose class defines none (tensors among them) keep their arithmetic.
local function operator_class(o)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   return h and h.class
end
local function class_operator(key, arithmetic)
   return function(a, b)
      local c
      if type(a) == 'userdata' then c = operator_class(a)
      elseif type(b) == 'userdata' then c = operator_class(b) end
      local f = c and c[key]
      if f then return f(a, b) end
      return arithmetic(a, b)
   end
end
pymt.__add = class_operator('__add__', B.op_add)
pymt.__sub = class_operator('__sub__', B.op_sub)
pymt.__mul = class_operator('__mul__', B.op_mul)
pymt.__div = class_operator('__div__', B.op_div)
pymt.__unm = class_operator('__unm__', B.op_unm)
pymt.__len = function(o)
   local h = handlerof[o]
   if h == nil then h = handler(o) end
   if h and h.len then return h.len(o) end
   return B.op_len(o)
end
pymt.__concat = function(a, b) return tostring(a) .. tostring(b) end

-- lupa hands a Lua -0 to Python as the integer 0: a table crossing to Python that holds -0 is
-- copied with a marker in its place (bridge.py turns it into the float -0.0); nil if it holds none
local NEG_ZERO = B.neg_zero
local function has_negzero(t, seen)
   if seen[t] then return false end
   seen[t] = true
   for k, v in next, t do
      local tv = type(v)
      if tv == 'number' then
         if v == 0 and 1 / v < 0 then return true end
      elseif tv == 'table' and getmetatable(v) == nil and has_negzero(v, seen) then
         return true
      end
   end
   return false
end
local function negzero_copy(t, memo)
   local c = memo[t]
   if c then return c end
   c = {}
   memo[t] = c
   for k, v in next, t do
      local tv = type(v)
      if tv == 'number' and v == 0 and 1 / v < 0 then v = NEG_ZERO
      elseif tv == 'table' and getmetatable(v) == nil then v = negzero_copy(v, memo) end
      c[k] = v
   end
   return c
end
function _lua_compat_negzero_copy(t)
   if getmetatable(t) ~= nil or not has_negzero(t, {}) then return nil end
   return negzero_copy(t, {})
end
-- a small plain array ({x, h, c}: nngraph inputs, table modules) handed to Python in one go:
-- true and its elements (a -0 as the marker), or nothing when t is not one (keys other than
-- 1..n, a metatable, more than 64 elements): bridge.table_to_py then walks it
local rawget_, unpack_ = rawget, unpack
-- t[1..n] = ..., t[n+1..old] = nil, in one call from Python (objects.mirror: a module's output table)
function _lua_compat_fill(t, old, ...)
   local n = select('#', ...)
   for i = 1, n do rawset(t, i, (select(i, ...))) end
   for i = n + 1, old do rawset(t, i, nil) end
   return t
end
-- stand-in table (torch.setmetatable of a Python-backed class, below) -> its Python object
local STAND_IN = setmetatable({}, {__mode = 'k'})
local stand_in_push   -- (t, obj): t's fields onto its object (set below)
function _lua_compat_array(t)
   if getmetatable(t) ~= nil then
      local obj = STAND_IN[t]
      if obj ~= nil then   -- a stand-in crosses as its object, with the fields t holds now
         stand_in_push(t, obj)
         return false, obj
      end
      return nil
   end
   local n = #t
   if n > 64 then return nil end
   local count = 0
   for _ in next, t do
      count = count + 1
      if count > n then return nil end
   end
   if count ~= n then return nil end
   for i = 1, n do
      local v = rawget_(t, i)
      if v == 0 and 1 / v < 0 then
         local c = {}
         for j = 1, n do
            local w = rawget_(t, j)
            if w == 0 and 1 / w < 0 then w = NEG_ZERO end
            c[j] = w
         end
         return true, unpack_(c, 1, n)
      end
   end
   return true, unpack_(t, 1, n)
end

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
local function shift_method(pm, pos, f, number_first)
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
         -- a tensor where the own form takes a number: the result first (res:norm(src, 2, 2)),
         -- whose dims sit one place later; the general path knows the forms
         if number_first and type(a) == 'userdata' then return self_or(self, py_call(f, self, ...)) end
         if ok(a, s1) and ok(b, s2) and ok(c, s3) then
            -- (a dim/index that is not an integer is truncated, as Torch7's C read it)
            if s1 and type(a) == 'number' and a > 0 then a = a - 1 a = a - a % 1 end
            if s2 and type(b) == 'number' and b > 0 then b = b - 1 b = b - b % 1 end
            if s3 and type(c) == 'number' and c > 0 then c = c - 1 c = c - c % 1 end
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
   elseif sh then TENSOR[name] = shift_method(sh[1], sh[2], f, sh[3])
   else TENSOR[name] = lua_method(f) end
end
TENSOR.new = nil   -- x.new is the constructor of x's type (see NEW below)
do   -- torch.Tensor.type(v) on a non-tensor answers torch.typename(v) (nil for a number), as Torch7's Lua
   local typed = TENSOR.type
   TENSOR.type = function(self, name, ...)
      if name == nil and type(self) ~= 'userdata' then return torch.typename(self) end
      return typed(self, name, ...)
   end
end

-- sizes that are not integers are truncated, as Torch7's C read them (x:resize(n / 2), torch.zeros(2.5))
local floor, ceil = math.floor, math.ceil
local function needs_trunc(...)
   for i = 1, select('#', ...) do
      local v = select(i, ...)
      if type(v) == 'number' and v % 1 ~= 0 and v == v and v ~= 1/0 and v ~= -1/0 then return true end
   end
   return false
end
local function trunc(...)
   local a, n = {...}, select('#', ...)
   for i = 1, n do
      local v = a[i]
      if type(v) == 'number' and v % 1 ~= 0 and v == v and v ~= 1/0 and v ~= -1/0 then
         a[i] = v >= 0 and floor(v) or ceil(v)
      end
   end
   return lua_unpack_early(a, 1, n)
end
local function sizes_truncated(f)
   return function(...)
      if needs_trunc(...) then return f(trunc(...)) end
      return f(...)
   end
end
for _, name in ipairs(B.size_ops) do
   if TENSOR[name] then TENSOR[name] = sizes_truncated(TENSOR[name]) end
end

-- The hot methods on small float tensors without crossing into Python: each tensor Lua uses has
-- a plite_meta (csrc/plite_meta.h: its data pointer, sizes, strides, element run), which Python
-- keeps in step with the tensor (csrc/_views.pyx), and csrc/_small.pyx's fast paths take these
-- structs through LuaJIT's FFI.  The compiled code is the Python methods' own fast path (the same
-- loops, the same conditions), so results are the same bits; whatever it declines (another type,
-- a large or strided tensor, an error) goes to the Python method as before.
local ffi = require 'ffi'
ffi.cdef [[
typedef struct plite_meta {
    char *data;
    double size[8];
    double stride[8];
    double nelem;
    int64_t run_n;
    int64_t run_step;
    int32_t ndim;
    int32_t valid;
    int32_t kind;
    int32_t writable;
} plite_meta;
]]
local META = setmetatable({}, {__mode = 'k'})   -- userdata -> plite_meta* (false: not a tensor)
local meta_ptr = ffi.typeof('plite_meta*')
local py_meta_address = B.meta_address
-- o's struct, made (or refilled, after its view changed) by one call into Python; false for an
-- object that is not a tensor
local function meta(o)
   local m = META[o]
   if m == nil or (m and m.valid == 0) then
      local addr = py_call(py_meta_address, o)
      if addr == 0 then m = false else m = ffi.cast(meta_ptr, addr) end
      META[o] = m
   end
   return m
end
local FFI = {}
for name, sig_addr in pairs(B.meta_functions) do FFI[name] = ffi.cast(sig_addr[1], sig_addr[2]) end
local C_binary, C_scalar, C_copy, C_fill, C_sum, C_extreme =
   FFI.binary, FFI.scalar, FFI.copy, FFI.fill, FFI.sum, FFI.extreme
local OP_ADD, OP_SUB, OP_MUL = B.op_codes.add, B.op_codes.sub, B.op_codes.mul
local result1 = ffi.new('double[1]')

-- x:add(v), x:add(y) (also csub, and cmul/mul for the one form each takes)
local function ffi_arith(name, op, scalar_ok, tensor_ok)
   local slow = TENSOR[name]
   if not slow then return end
   TENSOR[name] = function(self, a, ...)
      if select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m then
            local ta = type(a)
            if ta == 'number' then
               if scalar_ok and C_scalar(op, m, m, a) ~= 0 then return self end
            elseif ta == 'userdata' and tensor_ok then
               local ma = META[a]
               if ma == nil or (ma and ma.valid == 0) then ma = meta(a) end
               if ma and C_binary(op, m, m, ma) ~= 0 then return self end
            end
         end
      end
      return slow(self, a, ...)
   end
end
ffi_arith('add', OP_ADD, true, true)
ffi_arith('csub', OP_SUB, true, true)
ffi_arith('mul', OP_MUL, true, false)
ffi_arith('cmul', OP_MUL, false, true)

local function ffi_method(name, make)
   local slow = TENSOR[name]
   if slow then TENSOR[name] = make(slow) end
end
ffi_method('fill', function(slow)
   return function(self, v, ...)
      if type(v) == 'number' and select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m and C_fill(m, v) ~= 0 then return self end
      end
      return slow(self, v, ...)
   end
end)
ffi_method('zero', function(slow)
   return function(self, ...)
      if select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m and C_fill(m, 0) ~= 0 then return self end
      end
      return slow(self, ...)
   end
end)
ffi_method('copy', function(slow)
   return function(self, src, ...)
      if type(src) == 'userdata' and select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m then
            local ms = META[src]
            if ms == nil or (ms and ms.valid == 0) then ms = meta(src) end
            if ms and C_copy(m, ms) ~= 0 then return self end
         end
      end
      return slow(self, src, ...)
   end
end)
-- x:sum(), x:max(), x:min(): numbers
local function ffi_reduce(name, f)
   ffi_method(name, function(slow)
      return function(self, ...)
         if select('#', ...) == 0 then
            local m = META[self]
            if m == nil or (m and m.valid == 0) then m = meta(self) end
            if m and f(m) ~= 0 then return result1[0] end
         end
         return slow(self, ...)
      end
   end)
end
ffi_reduce('sum', function(m) return C_sum(m, result1) end)
ffi_reduce('max', function(m) return C_extreme(m, 1, result1) end)
ffi_reduce('min', function(m) return C_extreme(m, 0, result1) end)
-- x:dim(), x:nElement(), x:size(d), x:stride(d): read from the struct
local function ffi_query(names, make)
   for _, name in ipairs(names) do ffi_method(name, make) end
end
ffi_query({'dim', 'nDimension'}, function(slow)
   return function(self, ...)
      if select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m and m.valid == 1 then return m.ndim end
      end
      return slow(self, ...)
   end
end)
ffi_query({'nElement', 'numel'}, function(slow)
   return function(self, ...)
      if select('#', ...) == 0 then
         local m = META[self]
         if m == nil or (m and m.valid == 0) then m = meta(self) end
         if m and m.valid == 1 then return m.nelem end
      end
      return slow(self, ...)
   end
end)
local function ffi_dim_query(field)
   return function(slow)
      return function(self, d, ...)
         if type(d) == 'number' and select('#', ...) == 0 then
            local m = META[self]
            if m == nil or (m and m.valid == 0) then m = meta(self) end
            if m and m.valid == 1 and d >= 1 and d <= m.ndim and d % 1 == 0 then return m[field][d - 1] end
         end
         return slow(self, d, ...)
      end
   end
end
ffi_query({'size'}, ffi_dim_query('size'))
ffi_query({'stride'}, ffi_dim_query('stride'))
-- x[i] and x[i] = v on a vector read and write the element through the struct (writes: float
-- and double vectors, where a Lua number is stored as C converts it, as numpy does); a tensor
-- gets its struct on its second indexing (the first goes to Python, as a one-off x[i] on a fresh
-- view is common: xs[t][b] = 1)
local ELEMENT_PTR = {[1] = ffi.typeof('float*'), [2] = ffi.typeof('double*'), [3] = ffi.typeof('uint8_t*'),
   [4] = ffi.typeof('int8_t*'), [5] = ffi.typeof('int16_t*'), [6] = ffi.typeof('int32_t*'),
   [7] = ffi.typeof('int64_t*')}
local INDEXED = setmetatable({}, {__mode = 'k'})
local function element_meta(o)
   local m = META[o]
   if m == nil then
      if not INDEXED[o] then INDEXED[o] = true return nil end
      m = meta(o)
   elseif m and m.valid == 0 then
      m = meta(o)
   end
   if m and m.valid == 1 and m.kind ~= 0 then return m end
   return nil
end

-- x:narrow(d, i, n), x:select(d, i) and x[i] on a matrix: the new view comes back with its struct
-- (the sum or add that usually follows then stays in Lua), and with its handler (the tensor's)
local function view_result(self, r, addr)
   if type(r) == 'userdata' then
      if handlerof[r] == nil then handlerof[r] = handlerof[self] end
      fresh = fresh + 1
      if fresh > sweep_at then sweep() end
      META[r] = addr ~= 0 and ffi.cast(meta_ptr, addr) or false
   end
   return r
end
local VIEW_META = B.view_meta
do
   local slow, narrow_meta = TENSOR.narrow, VIEW_META.narrow
   if slow and narrow_meta then
      TENSOR.narrow = function(self, d, i, n, ...)
         if select('#', ...) == 0 and type(d) == 'number' and type(i) == 'number' and type(n) == 'number'
               and d >= 1 and i >= 1 and d % 1 == 0 and i % 1 == 0 and n % 1 == 0 then
            return view_result(self, py_call(narrow_meta, self, d - 1, i - 1, n))
         end
         return slow(self, d, i, n, ...)
      end
   end
end
local select_meta = VIEW_META.select
do
   local slow = TENSOR.select
   if slow and select_meta then
      TENSOR.select = function(self, d, i, ...)
         if select('#', ...) == 0 and type(d) == 'number' and type(i) == 'number'
               and d >= 1 and i >= 1 and d % 1 == 0 and i % 1 == 0 then
            return view_result(self, py_call(select_meta, self, d - 1, i - 1))
         end
         return slow(self, d, i, ...)
      end
   end
end

local tget, tset = B.tensor_get, B.tensor_set

local NEW = {}   -- typename -> x.new: the constructor of x's type (called with or without x)
-- Torch7's hand-written C methods (x:select(2, 1, 1)) read what they need and ignore the rest
-- (pytorch_lite._decl.C_READS)
for name, n in pairs(B.c_reads) do
   local m = TENSOR[name]
   if m then
      TENSOR[name] = function(self, ...)
         if select('#', ...) > n then return m(self, unpack({...}, 1, n)) end
         return m(self, ...)
      end
   end
end
local TYPECLASS = {}   -- 'torch.DoubleTensor' -> its class table (torch.getmetatable's answer)
HANDLERS.tensor = {
   index = function(o, k)
      local m = TENSOR[k]
      if m ~= nil then return m end
      if k == 'new' then return NEW[B.typename(o)] end
      if type(k) == 'string' then
         -- a method put into the type's class table with rawset (torchx.extend does so)
         local c = TYPECLASS[B.typename(o)]
         return c and rawget(c, k)
      end
      if type(k) == 'number' then
         local md = element_meta(o)
         if md and k >= 1 and k <= md.size[0] and k % 1 == 0 then
            if md.ndim == 1 then return tonumber(ffi.cast(ELEMENT_PTR[md.kind], md.data)[(k - 1) * md.stride[0]]) end
            if select_meta then return view_result(o, py_call(select_meta, o, 0, k - 1)) end
         end
      end
      return tget(o, k)
   end,
   newindex = function(o, k, v)
      if type(k) == 'number' and type(v) == 'number' then
         local md = element_meta(o)
         if md and md.ndim == 1 and md.kind <= 2 and md.writable == 1 and k >= 1 and k <= md.size[0]
               and k % 1 == 0 then
            ffi.cast(ELEMENT_PTR[md.kind], md.data)[(k - 1) * md.stride[0]] = v
            return
         end
      end
      return tset(o, k, v)
   end,
   len = function(o) return o:size() end,
}
-- the integer tensor types lack some of Torch7's methods (x.norm is nil on a LongTensor): each
-- has a handler like HANDLERS.tensor that hides them (pytorch_lite._decl.METHOD_TYPES)
HANDLERS.tensor.is_tensor = true
for _, tn in ipairs(B.tensor_types) do
   local hidden = {}
   for _, name in ipairs(py_call(B.methods_missing, tn)) do hidden[name] = true end
   if next(hidden) then
      local base = HANDLERS.tensor
      HANDLERS[tn] = {
         index = function(o, k)
            if hidden[k] then return nil end
            return base.index(o, k)
         end,
         newindex = base.newindex, len = base.len, is_tensor = true,
      }
   end
end
local STORAGE = {}
for name, f in pairs(B.storage_methods) do STORAGE[name] = f end
local STORAGE_NEW = {}   -- typename -> s.new: the constructor of s's type, as for tensors
local STORAGE_TYPED = {}   -- typename -> {name -> function}: methods given to one storage class
HANDLERS.storage = {
   index = function(o, k)
      local m = STORAGE[k]
      if m ~= nil then return m end
      if k == 'new' then return STORAGE_NEW[B.typename(o)] end
      if type(k) == 'string' then
         local own = STORAGE_TYPED[B.typename(o)]
         if own and own[k] ~= nil then return own[k] end
         local c = TYPECLASS[B.typename(o)]   -- put there with rawset
         return c and rawget(c, k)
      end
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
   index = B.dict_get, newindex = B.dict_set, len = B.dict_len,
}
HANDLERS['function'] = {index = py_index, newindex = py_newindex}   -- plain Python callables

for name, f in pairs(B.torch_functions) do
   if B.is_method(f) then torch[name] = lua_method(f) else torch[name] = function(...) return py_call(f, ...) end end
end
for _, name in ipairs(B.size_ops) do
   if torch[name] then torch[name] = sizes_truncated(torch[name]) end
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
   if not own then return HANDLERS[tn] or HANDLERS.tensor end
   local h = typed_handlers[tn]
   if not h then
      local base = HANDLERS[tn] or HANDLERS.tensor
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
         if h == HANDLERS.tensor or (h and h.is_tensor) then handlerof[o] = nil end
      end
   end
   TYPE_METHODS[typename][k] = v
end
local function make_class(typename, new, is_tensor)
   local cls = {__typename = typename}
   local methods = is_tensor and TENSOR or STORAGE
   local ctor = function(...) return new(typename, ...) end
   return setmetatable(cls, {
      __call = function(_, ...) return new(typename, ...) end,
      __index = function(_, k)   -- torch.FloatTensor.new / torch.FloatStorage.new: the constructor
         if k == 'new' then return ctor end
         return methods[k]
      end,
      __newindex = function(t, k, v)
         rawset(t, k, v)
         if type(k) == 'string' and type(v) == 'function' then
            if is_tensor then
               add_type_method(typename, k, v)
            else
               STORAGE_TYPED[typename] = STORAGE_TYPED[typename] or {}
               STORAGE_TYPED[typename][k] = v
            end
         end
      end,
      __tostring = function() return typename end,
   })
end
for _, tn in ipairs(B.tensor_types) do
   TYPECLASS[tn] = make_class(tn, B.tensor_new, true)
   torch[tn:match('torch%.(.*)')] = TYPECLASS[tn]
   NEW[tn] = function(...) return B.tensor_new(tn, ...) end
end
for _, sn in ipairs(B.storage_types) do
   TYPECLASS[sn] = make_class(sn, B.storage_new)
   STORAGE_NEW[sn] = function(...) return B.storage_new(sn, ...) end
   torch[sn:match('torch%.(.*)')] = TYPECLASS[sn]
   -- Torch7's elementSize ignores its argument: torch.CharStorage.elementSize() works (torchnet)
   rawset(TYPECLASS[sn], 'elementSize', function() return B.storage_new(sn):elementSize() end)
end
torch.Tensor = setmetatable({}, {
   __call = function(_, ...) return py_call(B.tensor_new_default, ...) end,   -- one crossing
   __index = function(_, k) return TENSOR[k] end,
   __newindex = function(_, k, v) TENSOR[k] = v end,
})
torch.Storage = setmetatable({}, {
   __call = function(_, ...) return B.storage_new(B.getdefaulttensortype():gsub('Tensor', 'Storage'), ...) end,
})

-- torch.f(..., 'torch.DoubleTensor'): as Torch7's dispatcher, a tensor type name as the last
-- argument (when neither of the first two arguments is a tensor, nor the first a table of them)
-- picks the type whose f runs, without the name: the result is a new tensor of that type
do
   local function tensor_like(v)
      return type(v) == 'userdata' and TYPECLASS[B.typename(v)] ~= nil
   end
   local function typed_call(fn)
      return function(...)
         local n = select('#', ...)
         if n >= 1 then
            local last = select(n, ...)
            if type(last) == 'string' and TYPECLASS[last] and last:find('Tensor$') then
               local a1, a2 = ...
               if not (tensor_like(a1) or (n >= 3 and tensor_like(a2))
                       or (type(a1) == 'table' and tensor_like(a1[1]))) then
                  local args = {...}
                  return fn(TYPECLASS[last](), unpack(args, 1, n - 1))
               end
            end
         end
         return fn(...)
      end
   end
   for name in pairs(B.torch_functions) do
      if type(torch[name]) == 'function' then torch[name] = typed_call(torch[name]) end
   end
end

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
-- Torch7 keeps every class metatable in the Lua registry (registry[mt] = its name): scripts ask
-- debug.getregistry()[t] whether t is a class (torchnet's torch.isclass)
local REGISTRY = debug.getregistry()
for _, sn in ipairs(B.storage_types) do REGISTRY[TYPECLASS[sn]] = sn end
for _, tn in ipairs(B.tensor_types) do REGISTRY[TYPECLASS[tn]] = tn end

local function split_name(name)
   local pkg, short = name:match('^(.-)%.([^%.]+)$')
   return pkg, short or name
end

-- A class whose instances are Python objects is a table like Torch7's metatables: what Lua
-- assigns to it (methods added or replaced, also after instances exist) lives in its store and wins;
-- then the methods its Python class defines itself; then its parent class table, so a method given
-- to nn.Module from Lua reaches every subclass.  The table itself stays empty so that every
-- assignment reaches __newindex, which tells Python (Python containers call the Lua method too).
local CLASS_STORE = setmetatable({}, {__mode = 'k'})   -- class table -> what Lua assigned to it

local function proxy_class(name, parent, own, on_set, call)
   local c = {__typename = name}
   local store = {}
   setmetatable(c, {
      __index = function(_, k)
         local v = store[k]
         if v ~= nil then return v end
         if own then
            v = own(k)
            if v then return v end
         end
         if parent then return parent[k] end
         return nil
      end,
      __newindex = function(_, k, v)
         store[k] = v
         if type(k) == 'string' then on_set(k, v) end
      end,
      __call = call,
      __tostring = function() return name end,
   })
   CLASS_STORE[c] = store
   LUACLASS[name] = c
   PYBACKED[name] = true
   REGISTRY[c] = name
   return c
end

local function class_table_for_python(name)
   local c = LUACLASS[name]
   if c then return c end
   local pname = B.class_parent(name)
   local parent = pname and class_table_for_python(pname) or nil
   local cache = {}   -- the Python class's own methods (false: it has none of that name)
   local function own(k)
      local f = cache[k]
      if f == nil then
         if type(k) ~= 'string' then return nil end
         if k == '__init' then
            f = function(self, ...) B.init_as(name, self, ...) end
         else
            f = B.own_method(name, k) or false
         end
         cache[k] = f
      end
      return f
   end
   local c
   c = proxy_class(name, parent, own,
      function(k, v) B.patch_method(name, k, v) end,
      function(_, ...)
         -- a constructor replaced from Lua (function nn.Dropout:__init(p, ...)) builds the object
         local init = CLASS_STORE[c].__init
         if init then
            local obj = B.new_instance(name)
            init(obj, ...)
            return obj
         end
         return B.construct(name, ...)
      end)
   return c
end

-- Python-backed objects: a function stored in an instance field wins over the class's methods, as
-- in Lua (only names ever assigned so are looked up on the instance first); then class methods
-- (Lua-defined or bridged), then fields
local SHADOWED = {}
HANDLERS.__class = function(name)
   local c = LUACLASS[name] or class_table_for_python(name)
   local getfield, setfield = B.getfield, B.setfield
   local h = {
      class = c,
      index = function(o, k)
         if SHADOWED[k] then
            local v = getfield(o, k)
            if v ~= nil then return v end
         end
         local m = c[k]
         if m then return m end
         return getfield(o, k)
      end,
      newindex = function(o, k, v)
         if type(v) == 'function' or (type(k) == 'string' and c[k]) then SHADOWED[k] = true end
         return setfield(o, k, v)
      end,
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
   local c
   if parentName and PYBACKED[parentName] then
      -- instances are Python objects of a Python subclass (objects.py); methods assigned from Lua
      -- become its Python methods too, reassigned or not
      B.define(name, parentName)
      c = proxy_class(name, parent, nil,
         function(k, v) B.set_method(name, k, v) end,
         function(_, ...)
            local obj = B.new_instance(name)
            local init = c.__init
            if init then init(obj, ...) end
            return obj
         end)
      rawset(c, '__index', c)
   else
      c = {__typename = name}
      c.__index = c
      setmetatable(c, {__index = parent, __tostring = function() return name end,
                       __call = function(_, ...) return new_lua_instance(c, ...) end})
      LUACLASS[name] = c
      REGISTRY[c] = name
   end
   local pkg, short = split_name(name)
   local ns = module
   if not ns and pkg then
      ns = rawget(_G, pkg)
      if not ns then ns = {} rawset(_G, pkg, ns) end
   end
   if ns then ns[short] = c else rawset(_G, name, c) end
   return c, parent
end

-- torch.setmetatable(t, name): the Lua table t becomes an instance of class `name` (returned).
-- A class whose instances are Python objects (nn's modules, ...) gets a new object made from t's
-- fields (tables holding such stand-ins are rebuilt with the objects in their place), and t itself
-- becomes its stand-in: t keeps the object's fields as its own (pairs sees them, as Torch7's
-- object is the table), a method called on t runs on the object with t's fields handed over first
-- and the object's taken back after (fb.resnet's checkpoint deepCopy rebuilds a network this way
-- and calls :float() on it; dpnn's nn.Serial then walks the result with pairs)
local push
local function with_objects(v, seen)
   if type(v) ~= 'table' then return v end
   local obj = STAND_IN[v]
   if obj ~= nil then
      if not seen[v] then seen[v] = obj push(v, obj, seen) end
      return obj
   end
   if getmetatable(v) ~= nil then return v end
   if seen[v] then return seen[v] end
   local out = {}
   seen[v] = out
   for k, e in pairs(v) do out[k] = with_objects(e, seen) end
   return out
end
-- t's fields onto its object (fields t no longer has are taken away), and back
push = function(t, obj, seen)
   for _, k in ipairs(B.field_names(obj)) do
      if rawget(t, k) == nil then obj[k] = nil end
   end
   for k, v in pairs(t) do obj[k] = with_objects(v, seen or {[t] = obj}) end
end
stand_in_push = function(t, obj) push(t, obj) end
local function packn(...) return {n = select('#', ...), ...} end
local function pull(t, obj)
   for k in pairs(t) do rawset(t, k, nil) end
   for _, k in ipairs(B.field_names(obj)) do rawset(t, k, obj[k]) end
end
function torch.setmetatable(t, name)
   if type(name) ~= 'string' then error('torch.setmetatable: bad argument #2 (string expected)', 2) end
   if type(t) ~= 'table' then
      error('torch.setmetatable: bad argument #1 (table expected, got ' .. type(t) .. ')', 2)
   end
   local c = LUACLASS[name]
   if c and not PYBACKED[name] then return setmetatable(t, c) end
   if not (c or B.has_class(name)) then error('torch.setmetatable: unknown typename ' .. name, 2) end
   local obj = B.new_instance(name)
   STAND_IN[t] = obj
   push(t, obj)
   pull(t, obj)
   local function synced(f, ...)
      push(t, obj)
      local r = packn(f(...))
      pull(t, obj)
      return unpack(r, 1, r.n)
   end
   return setmetatable(t, {
      __typename = name,
      __index = function(_, k)
         local v = obj[k]
         if type(v) == 'function' or (type(v) == 'userdata' and B.kindof(v) == 'function') then
            -- t:method(...) runs on the object
            return function(self, ...)
               if rawequal(self, t) then return synced(v, obj, ...) end
               return v(self, ...)
            end
         end
         return v
      end,
      __newindex = function(_, k, v)
         obj[k] = with_objects(v, {})
         rawset(t, k, v)
      end,
      __call = function(_, ...) return synced(obj, ...) end,
      __len = function() return #obj end,
      __tostring = function() push(t, obj) return tostring(obj) end,
   })
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
   return torch.typename(obj) or _G.type(obj)   -- Lua's type as scripts see it (list fields are tables)
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
-- Torch7's metatables by name: classes (Python-backed ones made on demand) and the tensor types
function torch.getmetatable(name)
   if type(name) ~= 'string' then return nil end
   local c = LUACLASS[name] or TYPECLASS[name]
   if c then return c end
   if B.has_class(name) then return class_table_for_python(name) end
   return nil
end
-- getmetatable of a torch object is its class table (a tensor's: its type's), as in Torch7;
-- lupa's own metatable of other Python objects stays hidden
local lua_getmetatable = getmetatable
local PYOBJECT_MT = lua_getmetatable(B.kindof)   -- lupa's metatable of every Python object
local raw_type = type
function _G.getmetatable(v)
   if raw_type(v) == 'userdata' and lua_getmetatable(v) ~= PYOBJECT_MT then
      return lua_getmetatable(v)   -- Lua's own userdata (newproxy's, with its __gc)
   end
   if type(v) == 'userdata' then
      local h = handlerof[v]
      if h == nil then h = handler(v) end
      if h and h.class then return h.class end
      if h and h.is_tensor or h == HANDLERS.tensor then return TYPECLASS[B.typename(v)] end
      return nil
   end
   return lua_getmetatable(v)
end
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
-- the folder of a package's Lua files (its init.lua found along package.path), and
-- torch.include(pkg, file): run one of that package's files, as packages like rnn and torchx do
function torch.packageLuaPath(name)
   for template in package.path:gmatch('[^;]+') do
      local path = template:gsub('%?', (name:gsub('%.', '/')))
      local f = io.open(path)
      if f then
         f:close()
         return path:match('(.*)/')
      end
   end
   return nil
end
function torch.include(pkg, file)
   local dir = torch.packageLuaPath(pkg)
   if not dir then error('torch.include: package ' .. tostring(pkg) .. ' not found on package.path', 2) end
   return dofile(dir .. '/' .. file)
end
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
         if i <= n then
            local v = t[i]
            if v ~= nil then return i, v end   -- a hole ends it, as in Lua
         end
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
   local store = CLASS_STORE[t]
   if store then return lua_pairs(store) end
   if type(t) == 'userdata' then
      local h = handlerof[t]
      if h == nil then h = handler(t) end
      if h and h.pairs then return h.pairs(t) end   -- a package's own containers (tds)
      if islist(t) then   -- every element, past holes (a Lua table's pairs skips no key)
         local n = #t
         return function(_, i)
            i = i + 1
            while i <= n do
               local v = t[i]
               if v ~= nil then return i, v end
               i = i + 1
            end
         end, t, 0
      end
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
-- io.write goes to the default output file, which io.output(name or file) changes as in Lua
-- (pix2pix's test.lua writes its index.html so); Python's stdout until then
local lua_io_output, default_out = io.output, io.stdout
io.output = function(f)
   if f == nil then return default_out end
   if f == io.stdout or f == io.stderr then default_out = f
   else default_out = lua_io_output(f) end
   return default_out
end
io.write = function(...) return default_out:write(...) end
io.flush = function() B.flush() end

-- trepl's print (th, without colours): plain values separated by tabs, userdata and objects with
-- __tostring on their own lines, tables recursively as "key : value" lines (nested torch objects
-- by their fields, as th), strings inside tables in double quotes, tensors as "DoubleTensor - size:
-- 2x3", nested tables 4 levels deep at most ("{...}" past that, and for empty nested tables)
local PRINT_DEPTH = 5
local function is_view(v)
   if lua_type(v) ~= 'userdata' then return false end
   local h = handlerof[v]
   if h == nil then h = handler(v) end
   return h == HANDLERS.list or h == HANDLERS.dict
end
local function plain_table(v)   -- printed field by field (not through tostring)
   if lua_type(v) == 'table' then
      local mt = getmetatable(v)
      return not (type(mt) == 'table' and mt.__tostring ~= nil)
   end
   return is_view(v)
end
local function is_empty(t)
   for _ in pairs(t) do return false end
   return true
end
local function sizestr(x)
   local tn = torch.typename(x)
   local short = tn:match('torch%.(.+)')
   if tn:find('torch.*Storage') then return short .. ' - size: ' .. x:size() end
   if x:nDimension() == 0 then return short .. ' - empty' end
   return short .. ' - size: ' .. table.concat(B.sizes(x), 'x')
end
local function show(v, nested)
   local t = lua_type(v)
   if v == nil then return 'nil' end
   if t == 'string' then return nested and ('"' .. v .. '"') or v end
   if t == 'userdata' then
      local tn = torch.typename(v) or ''
      if tn:find('torch.*Tensor') or tn:find('torch.*Storage') then return sizestr(v) end
   end
   return tostring(v)
end
local function print_table(out, obj, depth)
   local pad = string.rep(' ', depth * 4)
   if is_empty(obj) then out[#out + 1] = pad .. '{}\n' return end
   out[#out + 1] = pad .. '{\n'
   local inner = pad .. '  '
   -- th printed in pairs order, which our LuaJIT randomises (string hash seeds): keys are sorted
   -- instead (numbers, then strings, then the rest), so that output is repeatable
   local keys, vals = {}, {}
   for k, v in pairs(obj) do keys[#keys + 1] = k vals[k] = v end
   table.sort(keys, function(a, b)
      local ta, tb = lua_type(a), lua_type(b)
      if ta ~= tb then
         if ta == 'number' or tb == 'number' then return ta == 'number' end
         if ta == 'string' or tb == 'string' then return ta == 'string' end
         return ta < tb
      end
      if ta == 'number' or ta == 'string' then return a < b end
      return tostring(a) < tostring(b)
   end)
   for _, k in lua_ipairs(keys) do
      local v = vals[k]
      if _G.type(v) == 'table' then   -- nested: any table, torch objects too (their fields)
         if depth >= PRINT_DEPTH - 1 or is_empty(v) then
            out[#out + 1] = inner .. tostring(k) .. ' : {...}\n'
         else
            out[#out + 1] = inner .. tostring(k) .. ' : \n'
            print_table(out, v, depth + 1)
         end
      else
         out[#out + 1] = inner .. tostring(k) .. ' : ' .. show(v, true) .. '\n'
      end
   end
   out[#out + 1] = pad .. '}\n'
end

function print(...)
   local n = select('#', ...)
   local out = {}
   for i = 1, n do
      local obj = select(i, ...)
      if plain_table(obj) then
         print_table(out, obj, 0)
      elseif lua_type(obj) == 'userdata' or lua_type(obj) == 'table' then
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
function lua_location(level)
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
      local d, located = raw_call(B.describe_error, e)
      if d then msg = located and d or lua_location(3) .. d end
   end
   msg = msg or tostring(e)
   return debug.traceback(msg, 1)
end

-- where a node made from Lua comes from: '[short_src]:line' of the script line calling, which
-- nngraph's _debugLabel records as Torch7's does (a node adds '_', a split does not)
local lua_compat_dir = '@' .. B.lua_dir
function _lua_compat_caller_label()
   for level = 2, 100 do
      local info = debug.getinfo(level, 'Sl')
      if info == nil then return nil end
      if info.what ~= 'C' and info.source ~= '<python>'
            and info.source:sub(1, #lua_compat_dir) ~= lua_compat_dir then
         return string.format('[%s]:%d', info.short_src, info.currentline)
      end
   end
end

function _lua_compat_run(chunk, ...)
   local args = {...}
   local n = select('#', ...)
   return xpcall(function() return chunk(lua_unpack(args, 1, n)) end, on_error)
end

-- instances of classes defined in Lua (torch.class without a Python ancestor) are written as Torch
-- objects of their class, and read back as instances of it, as Torch7's File does
function _lua_compat_class_of(t)
   local mt = getmetatable(t)
   if type(mt) ~= 'table' then return nil end
   local tn = rawget(mt, '__typename')
   if tn and LUACLASS[tn] == mt and not PYBACKED[tn] then return tn end
   return nil
end
function _lua_compat_as_instance(t, tn)
   local c = LUACLASS[tn]
   if c and not PYBACKED[tn] then setmetatable(t, c) return true end
   return false
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
local hidden = {namespace = nn_namespace, LUACLASS = LUACLASS, rawtype = lua_type, handlers = HANDLERS}
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
assert(loadfile(B.lua_dir .. '/require.lua'))(B, hidden)   -- th's require and globals (packages/require.py)
