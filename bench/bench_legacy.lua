-- Legacy-path speed: one script run unchanged by a real Torch7 (`th bench/bench_legacy.lua`) and by
-- `pytorch-lite run bench/bench_legacy.lua`.  Prints `name<TAB>ms` per workload (the median of
-- `reps` timed runs after one warm-up run).  bench/README.md keeps Torch7's figures; bench/legacy.py
-- runs this script and prints the ratios against them.
--
--   th bench/bench_legacy.lua [reps] [only]      (only: run the workloads whose name contains it)
require 'torch'
require 'nn'
require 'nngraph'
require 'optim'

local reps = tonumber(arg and arg[1]) or 5
local only = arg and arg[2]
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(1)

local function median(ts)
   table.sort(ts)
   local n = #ts
   if n % 2 == 1 then return ts[(n + 1) / 2] end
   return (ts[n / 2] + ts[n / 2 + 1]) / 2
end

local function bench(name, f)
   if only and not name:find(only, 1, true) then return end
   f()   -- warm up: buffers allocated, BLAS threads started
   local ts = {}
   for i = 1, reps do
      collectgarbage()
      local timer = torch.Timer()
      f()
      ts[i] = timer:time().real * 1000
   end
   io.write(string.format('%s\t%.2f\n', name, median(ts)))   -- not print: trepl's adds a tab
   io.stdout:flush()
end

-- a criterion step: forward, loss, backward (fresh gradients each time)
local function fwd_bwd(model, crit, x, y)
   return function()
      model:zeroGradParameters()
      local out = model:forward(x)
      crit:forward(out, y)
      model:backward(x, crit:backward(out, y))
   end
end

local function labels(n, k)
   local y = torch.Tensor(n)
   for i = 1, n do y[i] = (i % k) + 1 end
   return y
end

-- MLP 784-1024-1024-10, batch 128 --------------------------------------------------------------
do
   local m = nn.Sequential():add(nn.Linear(784, 1024)):add(nn.ReLU()):add(nn.Linear(1024, 1024))
      :add(nn.ReLU()):add(nn.Linear(1024, 10))
   bench('mlp', fwd_bwd(m, nn.CrossEntropyCriterion(), torch.randn(128, 784), labels(128, 10)))
end

-- ConvNet: 2 x (conv 3x3 pad 1, ReLU, max-pool 2), Linear; batch 64, 3x32x32 ------------------
do
   local m = nn.Sequential()
   m:add(nn.SpatialConvolution(3, 32, 3, 3, 1, 1, 1, 1)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
   m:add(nn.SpatialConvolution(32, 64, 3, 3, 1, 1, 1, 1)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
   m:add(nn.View(64 * 8 * 8)):add(nn.Linear(64 * 8 * 8, 10))
   bench('convnet', fwd_bwd(m, nn.CrossEntropyCriterion(), torch.randn(64, 3, 32, 32), labels(64, 10)))
end

-- VGG-style: 3 x (conv 3x3 pad 1, BatchNorm, ReLU, max-pool 2), Linear; batch 32, 3x64x64 ------
do
   local m, planes = nn.Sequential(), {3, 32, 64, 128}
   for b = 1, 3 do
      m:add(nn.SpatialConvolution(planes[b], planes[b + 1], 3, 3, 1, 1, 1, 1))
      m:add(nn.SpatialBatchNormalization(planes[b + 1])):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
   end
   m:add(nn.View(128 * 8 * 8)):add(nn.Linear(128 * 8 * 8, 10))
   m:training()
   bench('vgg_bn', fwd_bwd(m, nn.CrossEntropyCriterion(), torch.randn(32, 3, 64, 64), labels(32, 10)))
end

-- char-rnn-style LSTM (nngraph): 2 layers of 128, vocabulary 65, batch 16, 20 time steps -------
local V, H, L, B, T = 65, 128, 2, 16, 20

local function lstm_cell()
   -- inputs: x, then (c, h) of every layer; outputs: (c, h) of every layer, then log-probabilities
   local inputs, outputs = {nn.Identity()()}, {}
   for l = 1, L do
      inputs[#inputs + 1] = nn.Identity()()
      inputs[#inputs + 1] = nn.Identity()()
   end
   local x = inputs[1]
   for l = 1, L do
      local prev_c, prev_h = inputs[2 * l], inputs[2 * l + 1]
      local sums = nn.CAddTable()({nn.Linear(l == 1 and V or H, 4 * H)(x), nn.Linear(H, 4 * H)(prev_h)})
      local gates = nn.Reshape(4, H)(sums)
      local g1, g2, g3, g4 = nn.SplitTable(2)(gates):split(4)
      local in_gate, forget_gate, out_gate = nn.Sigmoid()(g1), nn.Sigmoid()(g2), nn.Sigmoid()(g3)
      local in_transform = nn.Tanh()(g4)
      local c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}), nn.CMulTable()({in_gate, in_transform})})
      local h = nn.CMulTable()({out_gate, nn.Tanh()(c)})
      outputs[#outputs + 1] = c
      outputs[#outputs + 1] = h
      x = h
   end
   outputs[#outputs + 1] = nn.LogSoftMax()(nn.Linear(H, V)(x))
   return nn.gModule(inputs, outputs)
end

local function lstm_setup()
   local proto = lstm_cell()
   local params, grads = proto:getParameters()
   params:uniform(-0.08, 0.08)
   local clones = {}
   for t = 1, T do clones[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias') end
   local crit = nn.ClassNLLCriterion()
   local xs, ys = {}, {}
   for t = 1, T do
      xs[t] = torch.zeros(B, V)
      ys[t] = torch.Tensor(B)
      for b = 1, B do
         local c = (t * 7 + b * 13) % V + 1
         xs[t][b][c] = 1
         ys[t][b] = (c % V) + 1
      end
   end
   local zero = torch.zeros(B, H)
   local init = {}
   for l = 1, 2 * L do init[l] = zero end
   -- one sequence forward and backward through the clones; returns the loss
   local function step()
      grads:zero()
      local states, outs, loss = {[0] = init}, {}, 0
      for t = 1, T do
         local inp = {xs[t]}
         for l = 1, 2 * L do inp[l + 1] = states[t - 1][l] end
         outs[t] = clones[t]:forward(inp)
         states[t] = {}
         for l = 1, 2 * L do states[t][l] = outs[t][l] end
         loss = loss + crit:forward(outs[t][2 * L + 1], ys[t])
      end
      local dstate = {}
      for l = 1, 2 * L do dstate[l] = zero end
      for t = T, 1, -1 do
         local inp = {xs[t]}
         for l = 1, 2 * L do inp[l + 1] = states[t - 1][l] end
         local gout = {}
         for l = 1, 2 * L do gout[l] = dstate[l] end
         gout[2 * L + 1] = crit:backward(outs[t][2 * L + 1], ys[t])
         local gin = clones[t]:backward(inp, gout)
         dstate = {}
         for l = 1, 2 * L do dstate[l] = gin[l + 1] end
      end
      return loss / T, grads
   end
   return step, params
end

do
   local step = lstm_setup()
   bench('lstm', function() step() end)
end

-- many small tensor method calls ---------------------------------------------------------------
do
   local a, b = torch.DoubleTensor(16):fill(1), torch.DoubleTensor(16):fill(2)
   bench('small_ops', function()
      local s = 0
      for i = 1, 10000 do
         a:add(b):mul(0.5)
         s = s + a:narrow(1, 2, 4):sum()
      end
      return s
   end)
end

-- torch.save + torch.load of a 25 MB model ----------------------------------------------------
do
   -- 3.17M parameters: weights and gradients make a 25 MB file
   local m = nn.Sequential():add(nn.Linear(784, 1024)):add(nn.ReLU()):add(nn.Linear(1024, 1024))
      :add(nn.ReLU()):add(nn.Linear(1024, 1024)):add(nn.ReLU()):add(nn.Linear(1024, 256))
   local path = os.tmpname()
   bench('save_load', function()
      torch.save(path, m)
      return torch.load(path)
   end)
   os.remove(path)
end

-- char-rnn-style training: getParameters + optim.adam over the LSTM, 5 iterations -------------
do
   local step, params = lstm_setup()
   local config = {learningRate = 2e-3}
   local function feval(p)
      local loss, grads = step()
      grads:clamp(-5, 5)
      return loss, grads
   end
   bench('charrnn_adam_x5', function()
      for i = 1, 5 do optim.adam(feval, params, config) end
   end)
end
