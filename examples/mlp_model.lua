-- A Lua model definition: a custom layer written with torch.class inside an nn.Sequential.
-- Python loads it with lua_compat.load_model('examples/mlp_model.lua') and trains it.
require 'nn'

local Scale, parent = torch.class('nn.LearnedScale', 'nn.Module')

function Scale:__init(n)
   parent.__init(self)
   self.weight = torch.Tensor(n):fill(1)
   self.gradWeight = torch.Tensor(n):zero()
end

function Scale:updateOutput(input)
   self.output:resizeAs(input):copy(input):cmul(self.weight:view(1, -1):expandAs(input))
   return self.output
end

function Scale:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput):cmul(self.weight:view(1, -1):expandAs(input))
   return self.gradInput
end

function Scale:accGradParameters(input, gradOutput, scale)
   self.gradWeight:add(scale or 1, torch.cmul(input, gradOutput):sum(1):view(-1))
end

local nIn, nHidden, nOut = ...
nIn, nHidden, nOut = tonumber(nIn) or 2, tonumber(nHidden) or 16, tonumber(nOut) or 3
return nn.Sequential()
   :add(nn.Linear(nIn, nHidden))
   :add(nn.LearnedScale(nHidden))
   :add(nn.Tanh())
   :add(nn.Linear(nHidden, nOut))
   :add(nn.LogSoftMax())
