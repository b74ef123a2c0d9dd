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

-- nn.Jacobian: finite-difference checks, written against the module interface only
local Jacobian = {}
nn.Jacobian = Jacobian
function Jacobian.backward(module, input, param, dparam)
   local doparam = param ~= nil
   param = param or input
   dparam = dparam or module.gradInput
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local sdout = module.output.new(dout:storage(), 1, dout:nElement())
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   for i = 1, sdout:nElement() do
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      if doparam then jacobian:select(2, i):copy(dparam) else jacobian:select(2, i):copy(din) end
   end
   return jacobian
end
function Jacobian.forward(module, input, param, perturbation)
   param = param or input
   perturbation = perturbation or 1e-6
   local sin = param.new(param):resize(param:nElement())
   local out = module:forward(input)
   local jacobian = torch.Tensor():resize(param:nElement(), out:nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      outa:copy(module:forward(input))
      sin[i] = orig + perturbation
      outb:copy(module:forward(input))
      sin[i] = orig
      outb:add(-1, outa):div(2 * perturbation)
      jacobian:select(1, i):copy(outb)
   end
   return jacobian
end
function Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   local jac_fprop = Jacobian.forward(module, input, input, perturbation)
   local jac_bprop = Jacobian.backward(module, input)
   local err = jac_fprop - jac_bprop
   return err:abs():max()
end
function Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   param:copy(torch.rand(param:nElement()):mul(inrange):add(minval))
   local jac_bprop = Jacobian.backward(module, input, param, dparam)
   local jac_fprop = Jacobian.forward(module, input, param, perturbation)
   local err = jac_fprop - jac_bprop
   return err:abs():max()
end
return nn
