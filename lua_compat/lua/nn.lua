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
return nn
