-- A legacy Torch7 training script: `pytorch-lite run examples/train.lua -epochs 20`
require 'torch'
require 'nn'
require 'optim'

local cmd = torch.CmdLine()
cmd:text('Train a small classifier on three gaussian blobs')
cmd:option('-epochs', 20, 'number of epochs')
cmd:option('-lr', 0.1, 'learning rate')
cmd:option('-seed', 1, 'random seed')
local opt = cmd:parse(arg)

torch.manualSeed(opt.seed)
local nPerClass, nClasses = 50, 3
local centers = torch.Tensor({{2, 0}, {-1, 1.7}, {-1, -1.7}})
local N = nPerClass * nClasses
local inputs, targets = torch.Tensor(N, 2), torch.Tensor(N)
for c = 1, nClasses do
   for i = 1, nPerClass do
      local k = (c - 1) * nPerClass + i
      inputs[k]:copy(centers[c] + torch.randn(2) * 0.7)
      targets[k] = c
   end
end

local model = dofile(paths.concat(paths.dirname(arg[0]), 'mlp_model.lua'))
local criterion = nn.ClassNLLCriterion()
local params, gradParams = model:getParameters()
local config = {learningRate = opt.lr, momentum = 0.9}
local timer = torch.Timer()

for epoch = 1, opt.epochs do
   local perm = torch.randperm(N):long()
   local loss = 0
   for t = 1, N, 25 do
      local idx = perm:narrow(1, t, 25)
      local x, y = inputs:index(1, idx), targets:index(1, idx)
      local _, fs = optim.sgd(function(p)
         gradParams:zero()
         local out = model:forward(x)
         local f = criterion:forward(out, y)
         model:backward(x, criterion:backward(out, y))
         return f, gradParams
      end, params, config)
      loss = loss + fs[1]
   end
   if epoch % 5 == 0 then print(string.format('epoch %d  loss %.4f', epoch, loss / (N / 25))) end
end

local _, pred = model:forward(inputs):max(2)
local acc = pred:double():eq(targets):sum() / N
print(string.format('accuracy %.3f', acc))
print(model)
if acc < 0.9 then os.exit(1) end
