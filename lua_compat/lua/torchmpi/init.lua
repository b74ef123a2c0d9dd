-- require 'torchmpi': TorchMPI's collectives over pytorch_lite.distributed (MPI through mpi4py).
-- Ranks and roots are 0-based, as in TorchMPI: mpi.rank() is in [0, mpi.size() - 1].
local B = ...
local P = B.packages.torchmpi
local mpi = rawget(_G, 'torchmpi') or {}

mpi.withCuda = false
mpi.hasNCCL = false
mpi.hostName = os.getenv('HOSTNAME') or 'localhost'

-- mpi.start([withCuda]): join the job mpirun started (one process alone without mpirun)
function mpi.start(withCuda)
   P.start(withCuda and true or false)
   mpi.withCuda = withCuda and true or false
   -- NCCL moves Cuda tensors on a GPU; under PYTORCH_LITE_CUDA=cpu they take MPI like the others
   mpi.hasNCCL = P.has_nccl()
end
function mpi.stop() P.stop() end
function mpi.rank() return P.rank() end
function mpi.size() return P.size() end
function mpi.barrier() P.barrier() end

-- collectives on tensors, in place (output, when given, receives the result instead)
function mpi.allreduceTensor(input, output) return P.allreduce(input, output) end
function mpi.broadcastTensor(root, tensor) return P.broadcast(root, tensor) end
function mpi.reduceTensor(root, input, output) return P.reduce(root, input, output) end
function mpi.allgatherTensor(input, output) return P.allgather(input, output) end

-- scalar collectives (TorchMPI's allreduce_<type>): the sum over the ranks
for _, kind in ipairs({'double', 'float'}) do
   mpi['allreduce_' .. kind] = function(x) return P.allreduce_number(x + 0.0) end
end
for _, kind in ipairs({'long', 'int', 'short', 'char'}) do
   mpi['allreduce_' .. kind] = function(x) return P.allreduce_long(x) end
end

-- the same mean |value| and variance on every rank, or an error naming the tensor
function mpi.checkWithAllreduce(input, name)
   name = name or ''
   local absmean, absvar
   if torch.isTensor(input) then
      local a = input:double():abs()
      absmean, absvar = a:mean(), a:nElement() > 1 and a:var() or 0
   else
      absmean, absvar = math.abs(input), math.abs(input)
   end
   -- both sums on every rank, in the same order, before any error (else the ranks fall out of step)
   local means = {mpi.allreduce_double(absmean) / mpi.size(), mpi.allreduce_double(absvar) / mpi.size()}
   for i, v in ipairs({absmean, absvar}) do
      local mean = means[i]
      if not ((v == 0 and mean == 0) or math.abs((v - mean) / v) < 1e-7) then
         error(string.format('%s: %s %s on rank %d but %s over the ranks', name, i == 1 and 'absmean' or 'absvar',
                             tostring(v), mpi.rank(), tostring(mean)), 2)
      end
   end
end

mpi.nn = require 'torchmpi.nn'
package.loaded.torchmpi = mpi
return mpi
