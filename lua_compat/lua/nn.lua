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

-- nn.Jacobian / nn.SparseJacobian: pytorch_lite.nn.jacobian's functions (lua_compat/packages/nn.py)
local NNB = B.packages.nn
for ns, prefix in pairs({Jacobian = 'jacobian_', SparseJacobian = 'sparse_jacobian_'}) do
   local t = {}
   for key, fn in pairs(NNB) do
      if key:sub(1, #prefix) == prefix then
         local f = fn
         t[key:sub(#prefix + 1)] = function(...) return f(...) end
      end
   end
   nn[ns] = t
end
return nn
