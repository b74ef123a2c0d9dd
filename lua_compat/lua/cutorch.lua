-- require 'cutorch': pytorch_lite.cuda's devices (packages/cutorch.py).  Devices are numbered
-- from 1 as in cutorch.  The Cuda tensor types themselves always exist (torch.CudaTensor, ...);
-- making one without a device raises "no CUDA device ..." unless PYTORCH_LITE_CUDA=cpu is set.
local B = ...
require 'torch'
local P = B.packages.cutorch
local why = P.unavailable()   -- no device: the require fails, as Torch7's (packages/cutorch.py)
if why then error(why, 0) end
cutorch = rawget(_G, 'cutorch') or {}

local function dev_in(d) if d == nil then return nil end return d - 1 end
local function pack(...) return {n = select('#', ...), ...} end

cutorch.getDeviceCount = function() return P.getDeviceCount() end
cutorch.getDevice = function() return P.getDevice() + 1 end
cutorch.setDevice = function(d) P.setDevice(dev_in(d)) end
-- fn() run with device d current; the previous device is current again afterwards, also on error
function cutorch.withDevice(d, fn)
   local before = cutorch.getDevice()
   cutorch.setDevice(d)
   local r = pack(pcall(fn))
   cutorch.setDevice(before)
   if not r[1] then error(r[2], 0) end
   return unpack(r, 2, r.n)
end
cutorch.synchronize = function() P.synchronize() end
cutorch.synchronizeAll = function()
   for d = 1, cutorch.getDeviceCount() do P.synchronize(d - 1) end
end
cutorch.getMemoryUsage = function(d) return P.getMemoryUsage(dev_in(d)) end
cutorch.getDeviceProperties = function(d)
   local props = {}
   for k, v in pairs(P.getDeviceProperties(dev_in(d))) do props[k] = v end
   return props
end
cutorch.manualSeed = function(s) P.manualSeed(s) end
cutorch.manualSeedAll = cutorch.manualSeed
cutorch.seed = function() return P.seed() end
cutorch.seedAll = cutorch.seed
cutorch.initialSeed = function() return P.initialSeed() end
-- one stream per device here: the stream calls are accepted and change nothing
cutorch.reserveStreams = function() end
cutorch.setStream = function() end
cutorch.getStream = function() return 0 end
cutorch.streamSynchronize = function() P.synchronize() end
cutorch.setPeerToPeerAccess = function() end
cutorch.setKernelPeerToPeerAccess = function() end
cutorch.getKernelPeerToPeerAccess = function() return false end

-- x:getDevice() on every Cuda tensor and storage (1-based)
local function getDevice(self) return P.tensor_device(self) + 1 end
for _, tn in ipairs(P.tensor_types) do torch[tn:match('torch%.(.*)')].getDevice = getDevice end

P.loaded()
return cutorch
