-- require 'cudnn': cudnn's module-level API and its classes (pytorch_lite.nn.cudnn's: those whose
-- forward is nn's are subclasses of nn's class under the cudnn name, see nn/cudnn/__init__.py).
-- On Cuda tensors they run on the device.  There is no cuDNN library behind this: the flags that
-- pick its algorithms, workspaces and math types are kept and read back, and steer nothing.
local B, hidden = ...
local why = B.packages.cutorch.unavailable()   -- no device: the require fails, as Torch7's
if why then error(why, 0) end
require 'cunn'
local P = B.packages.cudnn
do   -- what a script put in a global cudnn table before the require stays there
   local before = rawget(_G, 'cudnn')
   cudnn = hidden.namespace('cudnn')
   if type(before) == 'table' then
      for k, v in pairs(before) do rawset(cudnn, k, v) end
   end
end
for _, name in ipairs(P.classes) do
   local _ = cudnn[name]   -- the class, made now so that pairs(cudnn) lists it
end

-- defaults (cudnn's init.lua), read by scripts and by cudnn.find
cudnn.benchmark = false
cudnn.fastest = false
cudnn.verbose = false
cudnn.useFindEx = false
cudnn.initialWorkspaceBytes = 1024
cudnn.reservedGPUBytes = 1024 * 1024
cudnn.maxWorkspaceGPUMemPercent = 95
cudnn.version = 7005

cudnn.typemap = {
   ['torch.CudaHalfTensor'] = 'CUDNN_DATA_HALF',
   ['torch.CudaTensor'] = 'CUDNN_DATA_FLOAT',
   ['torch.CudaDoubleTensor'] = 'CUDNN_DATA_DOUBLE',
}
local sizes = {['torch.CudaHalfTensor'] = 2, ['torch.CudaTensor'] = 4, ['torch.CudaDoubleTensor'] = 8}
function cudnn.sizeof(t) return sizes[torch.type(t)] end

-- the cuDNN enums scripts compare with (cudnn.C.CUDNN_POOLING_AVERAGE, ...): cudnn.h's values
cudnn.C = {
   CUDNN_STATUS_SUCCESS = 0,
   CUDNN_DATA_FLOAT = 0, CUDNN_DATA_DOUBLE = 1, CUDNN_DATA_HALF = 2,
   CUDNN_TENSOR_NCHW = 0,
   CUDNN_SOFTMAX_FAST = 0, CUDNN_SOFTMAX_ACCURATE = 1, CUDNN_SOFTMAX_LOG = 2,
   CUDNN_SOFTMAX_MODE_INSTANCE = 0, CUDNN_SOFTMAX_MODE_CHANNEL = 1,
   CUDNN_POOLING_MAX = 0, CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING = 1,
   CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING = 2, CUDNN_POOLING_AVERAGE = 1,
   CUDNN_ACTIVATION_SIGMOID = 0, CUDNN_ACTIVATION_RELU = 1, CUDNN_ACTIVATION_TANH = 2,
   CUDNN_ACTIVATION_CLIPPED_RELU = 3,
   CUDNN_RNN_RELU = 0, CUDNN_RNN_TANH = 1, CUDNN_LSTM = 2, CUDNN_GRU = 3,
   CUDNN_UNIDIRECTIONAL = 0, CUDNN_BIDIRECTIONAL = 1, CUDNN_LINEAR_INPUT = 0, CUDNN_SKIP_INPUT = 1,
}

-- the math type each tensor type computes in, per device: half in half where the device has
-- fast half arithmetic, else in float (configureMath's overrides replace entries)
local configMaths = {}
function cudnn.configureMath(overrides)
   for i = 1, cutorch.getDeviceCount() do
      configMaths[i] = {
         ['torch.CudaHalfTensor'] = cutorch.hasFastHalfInstructions() and 'CUDNN_DATA_HALF' or 'CUDNN_DATA_FLOAT',
         ['torch.CudaTensor'] = 'CUDNN_DATA_FLOAT',
         ['torch.CudaDoubleTensor'] = 'CUDNN_DATA_DOUBLE',
      }
      for k, v in pairs(overrides or {}) do configMaths[i][k] = v end
   end
end
function cudnn.configmap(tensortype)
   return configMaths[cutorch.getDevice()][tensortype]
end
cudnn.configureMath()

-- one handle per device and stream, as cudnn keeps them (the functional calls take it first)
local handles = {}
function cudnn.getHandle()
   local key = cutorch.getDevice() .. ':' .. cutorch.getStream()
   handles[key] = handles[key] or {device = cutorch.getDevice(), stream = cutorch.getStream()}
   return handles[key]
end

-- workspaces: no algorithm needs one here; the sizes asked for are remembered
local workspace = {}
function cudnn.getSharedWorkspace(device, stream)
   local key = (device or cutorch.getDevice()) .. ':' .. (stream or cutorch.getStream())
   return nil, workspace[key] or 0
end
function cudnn.setSharedWorkspaceSize(bytes, ifGreater, device, stream)
   local key = (device or cutorch.getDevice()) .. ':' .. (stream or cutorch.getStream())
   if not ifGreater or bytes > (workspace[key] or 0) then workspace[key] = bytes end
end
function cudnn.adjustSharedWorkspaceSize(delta, device, stream)
   local _, size = cudnn.getSharedWorkspace(device, stream)
   cudnn.setSharedWorkspaceSize(size + delta, false, device, stream)
end
function cudnn.setNextWorkspaceSize(bytes, device, stream)
   cudnn.setSharedWorkspaceSize(bytes, true, device, stream)
end

-- cudnn.find: the algorithm finder's switches and its (here always empty) cache
local find = {verbose = false, verboseError = true, verboseFallback = true}
find.__index = find
function find.get() return find end
function find.reset(warmup) find.warmup = warmup end
function find:resetAlgorithmCache() end
cudnn.find = find
function cudnn.reset() find.reset() end

-- the layers' algorithm switches (cudnn's convolutions take them; methods return self)
for _, name in ipairs({'SpatialConvolution', 'TemporalConvolution', 'SpatialFullConvolution',
                       'VolumetricConvolution', 'VolumetricFullConvolution'}) do
   local cls = cudnn[name]
   function cls:fastest(mode)
      if mode == nil then mode = true end
      self.fastest_mode = mode
      return self
   end
   function cls:setMode(fmode, bdmode, bwmode)
      if fmode ~= nil then self.fmode = fmode end
      if bdmode ~= nil then self.bdmode = bdmode end
      if bwmode ~= nil then self.bwmode = bwmode end
      return self
   end
   function cls:resetMode()
      self.fmode, self.bdmode, self.bwmode = nil, nil, nil
      return self
   end
   function cls:resetWeightDescriptors() return self end
   function cls:clearDesc() return self end
end

-- cudnn.RNN:packPaddedSequence(input, lengths [, batchFirst]): the sequences of a padded T x B x *
-- batch (B x T x * when batchFirst), lengths sorted in decreasing order, as one (sum of lengths) x *
-- tensor, step after step, with the number of sequences still running at each step: {data, sizes}
-- (what cudnn.RNN's forward takes for sequences of different lengths)
function cudnn.RNN:packPaddedSequence(input, lengths, batchFirst)
   if batchFirst then input = input:transpose(1, 2) end
   local B = input:size(2)
   if #lengths ~= B then
      error(('packPaddedSequence: %d lengths for a batch of %d sequences'):format(#lengths, B), 2)
   end
   for i = 2, B do
      if lengths[i] > lengths[i - 1] then
         error('packPaddedSequence: the lengths must be sorted in decreasing order', 2)
      end
   end
   local rows, sizes = {}, {}
   for t = 1, lengths[1] do
      local running = 0
      for i = 1, B do if lengths[i] >= t then running = i end end
      rows[t] = input[t]:narrow(1, 1, running)
      sizes[t] = running
   end
   return {torch.cat(rows, 1), sizes}
end

-- cudnn.RNN:padPackedSequence({data, sizes} [, batchFirst]): the padded batch (zeros after each
-- sequence's end) and the lengths, undoing packPaddedSequence
function cudnn.RNN:padPackedSequence(seq, batchFirst)
   local data, sizes = seq[1], seq[2]
   local shape = {#sizes, sizes[1]}
   for d = 2, data:dim() do shape[#shape + 1] = data:size(d) end
   local out = data.new():resize(torch.LongStorage(shape)):zero()
   local offset = 1
   for t = 1, #sizes do
      out[t]:narrow(1, 1, sizes[t]):copy(data:narrow(1, offset, sizes[t]))
      offset = offset + sizes[t]
   end
   local lengths = {}
   for i = 1, sizes[1] do
      local n = 0
      for t = 1, #sizes do if sizes[t] >= i then n = t end end
      lengths[i] = n
   end
   if batchFirst then out = out:transpose(1, 2) end
   return out, lengths
end

-- cudnn.functional: cudnn's stateless calls (pytorch_lite/nn/cudnn/functional.py); the handle is
-- the first argument, as in cudnn
local F = P.functional
local functional = {}
for name, fn in pairs(F) do
   functional[name] = function(handle, ...) return fn(...) end
end
function functional.Convolution2D_updateGradInput(handle, input, weight, output, gradOutput, gradInput, ...)
   return F.Convolution2D_updateGradInput(input, weight, gradOutput, gradInput, ...)
end
for _, pool in ipairs({{'MaxPooling2D', true}, {'AveragePooling2D', false}}) do
   functional[pool[1] .. '_updateOutput'] = function(handle, input, output, ...)
      return F.Pooling_updateOutput(pool[2], input, output, ...)
   end
   functional[pool[1] .. '_updateGradInput'] = function(handle, input, output, gradOutput, gradInput, ...)
      return F.Pooling_updateGradInput(pool[2], input, output, gradOutput, gradInput, ...)
   end
end
for _, name in ipairs({'ReLU', 'Tanh', 'Sigmoid'}) do
   functional[name .. '_updateOutput'] = function(handle, input, output)
      return F.activation_updateOutput(name, input, output)
   end
   functional[name .. '_updateGradInput'] = function(handle, input, output, gradOutput, gradInput)
      return F.activation_updateGradInput(name, input, output, gradOutput, gradInput)
   end
end
for _, sm in ipairs({{'SoftMax', false}, {'LogSoftMax', true}}) do
   functional[sm[1] .. '_updateOutput'] = function(handle, input, output)
      return F.softmax_updateOutput(sm[2], input, output)
   end
   functional[sm[1] .. '_updateGradInput'] = function(handle, input, output, gradOutput, gradInput)
      return F.softmax_updateGradInput(sm[2], input, output, gradOutput, gradInput)
   end
end
functional.Pooling_updateOutput, functional.Pooling_updateGradInput = nil, nil
functional.activation_updateOutput, functional.activation_updateGradInput = nil, nil
functional.softmax_updateOutput, functional.softmax_updateGradInput = nil, nil
cudnn.functional = functional

-- cudnn.convert(net, nn | cudnn [, exclude]): each module of cudnn's list swapped for its class on
-- the other side (the same fields); nngraph's gModule is left as it is, with cudnn's warning
function cudnn.convert(net, dst, exclusion_fn)
   if dst ~= nn and dst ~= cudnn then
      error('cudnn.convert: the destination must be nn or cudnn', 2)
   end
   return net:replace(function(x)
      if torch.type(x) == 'nn.gModule' then
         io.stderr:write('Warning: cudnn.convert does not work with nngraph yet. Ignoring nn.gModule')
         return x
      end
      if exclusion_fn and exclusion_fn(x) then return x end
      return P.convert_one(x, dst == cudnn)
   end)
end

return cudnn
