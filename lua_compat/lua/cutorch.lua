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

-- torch.CudaHalfTensor exists and computes (its math in float, as cutorch's without fast fp16)
cutorch.hasHalf = true
cutorch.hasHalfInstructions = function() return P.hasHalfInstructions() end
cutorch.hasFastHalfInstructions = function() return P.hasFastHalfInstructions() end
cutorch.getRuntimeVersion = function() return P.runtimeVersion() end
cutorch.getDriverVersion = function() return P.driverVersion() end
-- CuPy's memory pool is the caching allocator (none in the CPU mode); deviceReset frees its blocks
cutorch.isCachingAllocatorEnabled = function() return P.cachingAllocator() end
cutorch.deviceReset = function() P.deviceReset() end
-- Lua's garbage collector frees Cuda tensors as any other object here: nothing to track
cutorch.setHeapTracking = function(on) end
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
-- the Cuda types' own generators (one per device), apart from torch.manualSeed's, as in cutorch
cutorch.manualSeed = function(s) P.manualSeed(s) end
cutorch.manualSeedAll = function(s) P.manualSeedAll(s) end
cutorch.seed = function() return P.seed() end
cutorch.seedAll = function() return P.seedAll() end
cutorch.initialSeed = function() return P.initialSeed() end
cutorch.getRNGState = function(state) return P.getRNGState(state) end
cutorch.setRNGState = function(state) return P.setRNGState(state) end

-- Streams.  Every Cuda operation here runs in issue order on one queue per device, so what
-- cutorch's stream waits, barriers and events guarantee always holds; the stream numbers a script
-- reserves and selects are kept, checked and reported as cutorch's are.
local streams = {reserved = 0, current = 0}
local function check_stream(s, what)
   if type(s) ~= 'number' or s % 1 ~= 0 or s < 0 or s > streams.reserved then
      error(string.format('%s: invalid stream %s (%d reserved; call cutorch.reserveStreams first)',
                          what, tostring(s), streams.reserved), 3)
   end
end
local function check_streams(list, what)
   if type(list) ~= 'table' then error(what .. ': expected a table of stream numbers', 3) end
   for _, s in ipairs(list) do check_stream(s, what) end
end
cutorch.reserveStreams = function(n)
   n = n or 0
   if type(n) ~= 'number' or n < 0 then error('reserveStreams: expected a number of streams', 2) end
   if n > streams.reserved then streams.reserved = n end
end
cutorch.getNumStreams = function() return streams.reserved end
cutorch.setStream = function(s) check_stream(s, 'setStream'); streams.current = s end
cutorch.setDefaultStream = function() streams.current = 0 end
cutorch.getStream = function() return streams.current end
-- cuBLAS handles: CuPy holds one per device; the handle numbers are kept and checked as streams are
local blas = {reserved = 1, current = 1}
cutorch.reserveBlasHandles = function(n)
   if type(n) ~= 'number' or n < 0 then error('reserveBlasHandles: expected a number of handles', 2) end
   if n > blas.reserved then blas.reserved = n end
end
cutorch.getNumBlasHandles = function() return blas.reserved end
cutorch.setBlasHandle = function(h)
   if type(h) ~= 'number' or h % 1 ~= 0 or h < 1 or h > blas.reserved then
      error(string.format('setBlasHandle: invalid handle %s (%d reserved)', tostring(h), blas.reserved), 2)
   end
   blas.current = h
end
cutorch.getBlasHandle = function() return blas.current end
cutorch.streamSynchronize = function(s)
   if s ~= nil then check_stream(s, 'streamSynchronize') end
   P.synchronize()
end
cutorch.streamWaitFor = function(waiting, list)
   check_stream(waiting, 'streamWaitFor'); check_streams(list, 'streamWaitFor')
end
cutorch.streamWaitForMultiDevice = function(device, waiting, t)
   check_stream(waiting, 'streamWaitForMultiDevice')
   if type(t) ~= 'table' then error('streamWaitForMultiDevice: expected {device = {streams}}', 2) end
end
cutorch.streamBarrier = function(list) check_streams(list, 'streamBarrier') end
cutorch.streamBarrierMultiDevice = function(t)
   if type(t) ~= 'table' then error('streamBarrierMultiDevice: expected {device = {streams}}', 2) end
end
-- cutorch.Event(): marks the work queued so far on the current stream; event:waitOn() makes the
-- current stream wait for it (already so, with one queue)
local Event = {}
Event.__index = Event
Event.__typename = 'cutorch.Event'
function Event:waitOn() end
cutorch.Event = setmetatable({new = function() return setmetatable({}, Event) end},
                             {__call = function() return setmetatable({}, Event) end})

-- host tensors cutorch allocates pinned (page-locked) for fast copies: plain host tensors here,
-- which the copies accept as well; sizes as numbers, a table or a LongStorage
local function host_size(...)
   local a = ...
   if a == nil then return nil end
   if torch.isStorage(a) then return a end
   if type(a) == 'table' then return torch.LongStorage(a) end
   return torch.LongStorage({...})
end
for _, ty in ipairs({'Float', 'Double', 'Int', 'Long', 'Byte', 'Half'}) do
   cutorch['createCudaHost' .. ty .. 'Tensor'] = function(...)
      local size = host_size(...)
      if size == nil or size:size() == 0 then return torch[ty .. 'Tensor'](torch[ty .. 'Storage']()) end
      local n = 1
      for i = 1, size:size() do n = n * size[i] end
      return torch[ty .. 'Tensor'](torch[ty .. 'Storage'](n), 1, size)
   end
end
cutorch.createCudaHostTensor = cutorch.createCudaHostFloatTensor
cutorch.setPeerToPeerAccess = function() end
cutorch.setKernelPeerToPeerAccess = function() end
cutorch.getKernelPeerToPeerAccess = function() return false end

-- x:getDevice() on every Cuda tensor and storage (1-based; 0 for a tensor with no storage yet)
local function getDevice(self) return P.tensor_device(self) + 1 end
for _, tn in ipairs(P.tensor_types) do torch[tn:match('torch%.(.*)')].getDevice = getDevice end
for _, sn in ipairs(P.storage_types) do torch[sn:match('torch%.(.*)')].getDevice = getDevice end
-- x:copyAsync(y): cutorch's copy queued on the current stream, between Cuda and host tensors
local function copyAsync(self, src) return self:copy(src) end
for _, tn in ipairs(P.tensor_types) do torch[tn:match('torch%.(.*)')].copyAsync = copyAsync end
for _, tn in ipairs({'Float', 'Double', 'Int', 'Long', 'Byte', 'Half', 'Char', 'Short'}) do
   torch[tn .. 'Tensor'].copyAsync = copyAsync
end

P.loaded()
return cutorch
