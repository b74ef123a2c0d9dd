-- Data-parallel training over MPI with TorchMPI's names: the same model on 1 process or N ranks.
--
--    pytorch-lite run examples/distributed_mlp.lua                  -- one process
--    mpirun -np 2 pytorch-lite run examples/distributed_mlp.lua     -- two ranks: the same checksum
--
-- The same training as examples/distributed_mlp.py (and the same checksum): every step takes a
-- global batch of 64 seeded samples, each rank the gradient of its share; TorchMPI's
-- synchronizeGradients sums them, so the sum is divided by the number of ranks.
require 'nn'
require 'optim'
local mpi = require 'torchmpi'
local mpinn = require 'torchmpi.nn'
mpi.start()

local BATCH, STEPS = 64, 30
assert(BATCH % mpi.size() == 0, 'the global batch must split evenly over the ranks')
local share = BATCH / mpi.size()

torch.manualSeed(1)
local inputs = torch.randn(BATCH * STEPS, 10)
local labels = (inputs * torch.randn(10)):gt(0):long():add(1)            -- classes 1 and 2
local model = nn.Sequential():add(nn.Linear(10, 16)):add(nn.Tanh()):add(nn.Linear(16, 2)):add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
mpinn.synchronizeParameters(model)                                       -- rank 0's weights everywhere

for step = 1, STEPS do
   local first = (step - 1) * BATCH + mpi.rank() * share + 1              -- ranks are 0-based
   local x = inputs:narrow(1, first, share)
   local y = labels:narrow(1, first, share)
   local function feval()
      grads:zero()
      local out = model:forward(x)
      local loss = criterion:forward(out, y)
      model:backward(x, criterion:backward(out, y))
      mpinn.synchronizeGradients(model)
      grads:div(mpi.size())
      return loss, grads
   end
   optim.sgd(feval, params, {learningRate = 0.5})
end
if mpi.rank() == 0 then print(string.format('checksum %.6f', params:sum())) end
mpi.stop()
