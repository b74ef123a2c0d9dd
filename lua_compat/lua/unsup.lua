-- require 'unsup': koraykv/unsup over pytorch_lite.unsup (Python side: packages/unsup.py).
-- The classes (unsup.PSD, unsup.LinearFistaL1, ..., and nn.Diag) are Python modules that Lua can
-- use, subclass and save as Torch7's; the functions (unsup.kmeans, unsup.pca, unsup.zca_whiten,
-- ...) return several results as unsup's; Float and Double tensors get x:shrinkage(lambda).
local B, hidden = ...
require 'nn'
require 'optim'
local P = B.packages.unsup
local names = P.register()

do   -- what a script put in a global unsup table before the require stays there
   local before = rawget(_G, 'unsup')
   unsup = hidden.namespace('unsup')
   if type(before) == 'table' then
      for k, v in pairs(before) do rawset(unsup, k, v) end
   end
end
for _, name in ipairs(names) do
   local _ = unsup[name]   -- the class, made now so that pairs(unsup) lists it
end
local _ = nn.Diag

for _, name in ipairs({'kmeans', 'pca', 'pcacov', 'zca_whiten', 'zca_colour', 'zca_layer', 'inv_zca_layer',
                       'pca_whiten', 'pca_colour', 'pca_layer', 'inv_pca_layer'}) do
   local fn = P[name]
   unsup[name] = function(...) return fn(...) end
end

-- x:shrinkage(lambda): soft shrinkage in place; like unsup's C function it answers its last argument
local shrink = P.shrinkage
local function shrinkage(x, lambda)
   if type(lambda) ~= 'number' then
      error(("bad argument #2 to 'shrinkage' (number expected, got %s)"):format(type(lambda)), 2)
   end
   if lambda < 0 then error("bad argument #2 to 'shrinkage' (Lambda should be non-negative)", 2) end
   shrink(x, lambda)
   return lambda
end
torch.FloatTensor.shrinkage = shrinkage
torch.DoubleTensor.shrinkage = shrinkage

-- unsup.UnsupTrainer(module, data): a Lua dataset (data[1], data[2], ...) is read 1-based
getmetatable(unsup.UnsupTrainer).__call = function(_, module, data)
   if hidden.rawtype(data) == 'table' then data = P.dataset(data) end
   local trainer = B.construct('unsup.UnsupTrainer', module, data)
   trainer.printer = function(s) print(s) end
   return trainer
end

-- as unsup's init.lua: nn.hessian.enable() also gives nn.Diag its Hessian methods; and, as
-- Torch7's nn.hessian does, getParameters then answers a third tensor, the diagonal Hessian
-- estimates flattened alongside the parameters (unsup's trainers and demos read it)
local enable = nn.hessian.enable
local with_hessian = false
local function hessian_getParameters()
   if with_hessian then return end
   with_hessian = true
   local getParameters = nn.Module.getParameters
   function nn.Module:getParameters()
      local ddx = P.hessian_parameters(self)   -- found before flattening moves the weights
      local x, dx = getParameters(self)
      if ddx == nil then return x, dx end
      return x, dx, ddx
   end
end
nn.hessian.enable = function()
   enable()
   P.hessian_enable()
   hessian_getParameters()
end
if P.hessian_enable() then hessian_getParameters() end

return unsup
