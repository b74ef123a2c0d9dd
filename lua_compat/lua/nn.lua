-- require 'nn': pytorch_lite.nn's classes, created on first use (nn.Linear -> a Lua class proxy)
local B, hidden = ...
nn = rawget(_G, 'nn') or hidden.namespace('nn')
for _, name in ipairs({'Module', 'Criterion', 'Container', 'Sequential'}) do local _ = nn[name] end

-- nn.StochasticGradient prints its progress with Lua's print (trepl's layout), as in Torch7
do
   local SG = nn.StochasticGradient
   if SG then
      getmetatable(SG).__call = function(_, ...)
         local trainer = B.construct('nn.StochasticGradient', ...)
         trainer.printer = function(s) print(s) end
         return trainer
      end
   end
end

-- nn.Jacobian, nn.SparseJacobian, nn.hessian: pytorch_lite.nn's functions (lua_compat/packages/nn.py)
for key, fn in pairs(B.packages.nn) do
   local ns, name = key:match('^(.-)%.(.*)$')
   nn[ns] = rawget(nn, ns) or {}
   nn[ns][name] = function(...) return fn(...) end
end

-- nn.utils: the helpers over tensors and (nested) Lua tables of them that nn code calls ----------
local utils = nn.utils or {}
nn.utils = utils
local NNB = B.packages.nn
local cache_for, tensor_type = NNB['utils.cache_for'], NNB['utils.tensor_type']
local function is_module(x)
   return torch.isTypeOf(x, 'nn.Module') or torch.isTypeOf(x, 'nn.Criterion')
end

-- param with its float tensors converted to typename; tensors and storages shared before stay
-- shared (within param, and across calls given the same tensorCache)
function utils.recursiveType(param, typename, tensorCache)
   tensorCache = tensorCache or {}
   if torch.isTensor(param) then return tensor_type(param, typename, cache_for(tensorCache)) end
   if type(param) == 'table' then
      if is_module(param) then
         param:type(typename, tensorCache)
      else
         for k, v in pairs(param) do param[k] = utils.recursiveType(v, typename, tensorCache) end
      end
   end
   return param
end

-- t1 shaped like t2 (tensors, or tables of them, made as needed); returns t1, t2
function utils.recursiveResizeAs(t1, t2)
   if type(t2) == 'table' then
      t1 = type(t1) == 'table' and t1 or {}
      for k, v in pairs(t2) do t1[k], t2[k] = utils.recursiveResizeAs(t1[k], v) end
      for k in pairs(t1) do if t2[k] == nil then t1[k] = nil end end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

function utils.recursiveFill(t, value)
   if type(t) == 'table' then
      for k, v in pairs(t) do t[k] = utils.recursiveFill(v, value) end
   elseif torch.isTensor(t) then
      t:fill(value)
   else
      error('expecting tensor or table thereof. Got ' .. torch.type(t) .. ' instead')
   end
   return t
end

-- t1 = t1 + value * t2, elementwise over nested tables
function utils.recursiveAdd(t1, value, t2)
   if t2 == nil then value, t2 = 1, value end
   if type(t2) == 'table' then
      t1 = type(t1) == 'table' and t1 or {}
      for k, v in pairs(t2) do t1[k], t2[k] = utils.recursiveAdd(t1[k], value, v) end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(value, t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

function utils.recursiveCopy(t1, t2)
   if type(t2) == 'table' then
      t1 = type(t1) == 'table' and t1 or {}
      for k, v in pairs(t2) do t1[k] = utils.recursiveCopy(t1[k], v) end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2):copy(t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1
end

-- a view of t with a size-1 dimension inserted at dim (default 1), into view when given
function utils.addSingletonDimension(...)
   local view, t, dim
   if select('#', ...) >= 3 then
      view, t, dim = ...
      assert(torch.isTensor(view), 'output tensor expected, got ' .. torch.type(view))
   else
      t, dim = ...
   end
   assert(torch.isTensor(t), 'input tensor expected')
   dim = dim or 1
   local n = t:dim()
   assert(dim > 0 and dim <= n + 1, 'invalid dimension: ' .. dim .. '. Tensor is of ' .. n .. ' dimensions.')
   local size, stride = torch.LongStorage(n + 1), torch.LongStorage(n + 1)
   local j = 1
   for d = 1, n + 1 do
      if d == dim then
         size[d], stride[d] = 1, 1
      else
         size[d], stride[d] = t:size(j), t:stride(j)
         j = j + 1
      end
   end
   view = view or t.new()
   view:set(t:storage(), t:storageOffset(), size, stride)
   return view
end

-- output viewed with the given sizes (input copied first when it is not contiguous)
function utils.contiguousView(output, input, ...)
   output = output or input.new()
   if input:isContiguous() then
      output:view(input, ...)
   else
      output:resize(input:size()):copy(input)
      output:view(output, ...)
   end
   return output
end

-- empties the named fields of self (tensors set to empty, tables to {}, the rest dropped)
function utils.clear(self, ...)
   local names = {...}
   if type(names[1]) == 'table' then names = names[1] end
   for _, name in ipairs(names) do
      local v = self[name]
      if torch.isTensor(v) then v:set()
      elseif type(v) == 'table' and not is_module(v) then self[name] = {}
      elseif v ~= nil then self[name] = nil end
   end
   return self
end

function utils.tableSize(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

-- nn.Decorator.decorate(class): Torch7's multiple-inheritance helper, giving a class (a Lua
-- class table) Decorator's methods that pass every call on to modules[1] (rnn's BiSequencer)
local DECORATED = {'updateOutput', 'updateGradInput', 'accGradParameters', 'accUpdateGradParameters',
                   'sharedAccUpdateGradParameters'}
function nn.Decorator.decorate(class)
   for _, name in ipairs(DECORATED) do class[name] = nn.Decorator[name] end
   class.__tostring__ = function(self) return torch.type(self) .. ' @ ' .. tostring(self.modules[1]) end
end

return nn
