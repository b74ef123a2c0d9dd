-- require 'torchmpi.nn': TorchMPI's helpers for nn modules (the parameters of net:parameters())
local B = ...
local P = B.packages.torchmpi
local M = {}

-- rank 0's weights on every rank; with allreduce = true, the mean of every rank's weights
function M.synchronizeParameters(net, allreduce)
   if not net.parameters then return end
   local p = net:parameters()
   if p then P.sync_parameters(p, allreduce and true or false) end
end

-- every rank's gradients become their sum over the ranks (TorchMPI sums: divide by mpi.size()
-- for the mean)
function M.synchronizeGradients(net)
   if not net.parameters then return end
   local _, g = net:parameters()
   if g then P.sync_gradients(g, 'sum') end
end

-- every module's weights agree across the ranks (mpi.checkWithAllreduce on each)
function M.checkWithAllreduce(net)
   local mpi = require 'torchmpi'
   net:apply(function(m)
      if m.modules or not m.parameters then return end
      local p = m:parameters()
      for _, w in ipairs(p or {}) do mpi.checkWithAllreduce(w, tostring(m)) end
   end)
end

return M
