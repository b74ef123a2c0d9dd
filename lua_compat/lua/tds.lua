-- require 'tds': tds.Hash and tds.Vec as Python containers (packages/tds.py), so that they load
-- from and save to t7 files exactly as the real tds's, and pass between threads by reference.
--   local h = tds.Hash()  h.a = 1  h[2] = 'x'  #h  pairs(h)  h.a = nil
--   local v = tds.Vec(1, 2, 3) or tds.Vec({1, 2, 3})  v[4] = 9  #v  ipairs(v)
--   v:insert([i,] x)  v:remove([i])  v:resize(n)  v:sort([lt])  v:concat([sep [, i [, j]]])  v:clear()
-- Values are numbers, strings, booleans, tensors and tds containers (no Lua tables, as in tds).
local B, hidden = ...
local P = B.packages.tds
tds = rawget(_G, 'tds') or {}
local tds = tds

local function walker(o)
   local it, step = P.items(o), P.item_next
   return function() return step(it) end, o, nil
end

local VEC = {}
function VEC.insert(v, i, x)
   if x == nil then i, x = P.vec_len(v) + 1, i end
   P.vec_insert(v, i, x)
end
function VEC.remove(v, i) return P.vec_remove(v, i or P.vec_len(v)) end
function VEC.resize(v, n) P.vec_resize(v, n) return v end
function VEC.clear(v) P.vec_clear(v) return v end
function VEC.sort(v, lt)
   local n, t = P.vec_len(v), {}
   for i = 1, n do t[i] = P.vec_get(v, i) end
   table.sort(t, lt)
   for i = 1, n do P.vec_set(v, i, t[i]) end
   return v
end
function VEC.concat(v, sep, i, j)
   local t = {}
   for k = i or 1, j or P.vec_len(v) do t[#t + 1] = tostring(P.vec_get(v, k)) end
   return table.concat(t, sep or '')
end
function VEC.totable(v)
   local t = {}
   for i = 1, P.vec_len(v) do t[i] = P.vec_get(v, i) end
   return t
end

hidden.handlers['tds.Vec'] = {
   index = function(v, k)
      if type(k) == 'number' then return P.vec_get(v, k) end
      return VEC[k]
   end,
   newindex = P.vec_set,
   len = P.vec_len,
   pairs = function(v)
      return function(_, i)
         i = i + 1
         if i <= P.vec_len(v) then return i, P.vec_get(v, i) end
      end, v, 0
   end,
}
hidden.handlers['tds.Hash'] = {
   index = P.hash_get,
   newindex = P.hash_set,
   len = P.hash_len,
   pairs = walker,
}

tds.Vec = setmetatable({__typename = 'tds.Vec'}, {
   __call = function(_, ...)
      local n = select('#', ...)
      local first = ...
      if n == 1 and type(first) == 'table' and torch.typename(first) == nil then return P.vec_new(first) end
      return P.vec_new({...})
   end,
   __tostring = function() return 'tds.Vec' end,
})
tds.Hash = setmetatable({__typename = 'tds.Hash'}, {
   __call = function(_, t) return P.hash_new(t) end,
   __tostring = function() return 'tds.Hash' end,
})
-- tds.AtomicCounter([n]): c:inc() (returns the value before), c:get(), c:set(n); shared by threads
local COUNTER = {inc = P.counter_inc, get = P.counter_get, set = function(c, v) P.counter_set(c, v) end}
hidden.handlers['tds.AtomicCounter'] = {index = function(c, k) return COUNTER[k] end}
tds.AtomicCounter = setmetatable({__typename = 'tds.AtomicCounter'}, {
   __call = function(_, n) return P.counter_new(n) end,
   __tostring = function() return 'tds.AtomicCounter' end,
})
tds.atomiccounter = tds.AtomicCounter
tds.vec, tds.hash = tds.Vec, tds.Hash
return tds
