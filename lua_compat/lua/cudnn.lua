-- require 'cudnn': cudnn's modules are nn's here (cudnn.SpatialConvolution is nn.SpatialConvolution,
-- as a cudnn checkpoint loads, see pytorch_lite/nn/__init__.py); on Cuda tensors they run on the device.
local B = ...
local why = B.packages.cutorch.unavailable()   -- no device: the require fails, as Torch7's
if why then error(why, 0) end
require 'cunn'
cudnn = rawget(_G, 'cudnn') or {}
for _, name in ipairs(B.packages.cudnn.equivalents) do
   local cls = nn[name]
   if cls then cudnn[name] = cls end
end

-- cudnn.SpatialConvolution takes a 9th argument, groups; nn's convolution has none
do
   local Conv = nn.SpatialConvolution
   cudnn.SpatialConvolution = setmetatable({}, {
      __index = Conv,
      __tostring = function() return 'cudnn.SpatialConvolution' end,
      __call = function(_, nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
         if groups ~= nil and groups ~= 1 then
            error('cudnn.SpatialConvolution: groups = ' .. tostring(groups) ..
                  ' is not supported (pytorch_lite maps it onto nn.SpatialConvolution, which has no groups)', 2)
         end
         return Conv(nIn, nOut, kW, kH, dW, dH, padW, padH)
      end,
   })
end

-- the algorithm-choice flags are accepted; there is no autotuner to steer
cudnn.benchmark = false
cudnn.fastest = false
cudnn.verbose = false
cudnn.version = 5105

-- cudnn.convert(net, nn | cudnn [, exclude]): every module already is the nn class both names
-- stand for, so the network is returned as it is (after checking the destination, as cudnn does)
function cudnn.convert(net, dst, exclusion_fn)
   if dst ~= nn and dst ~= cudnn then
      error('cudnn.convert: the destination must be nn or cudnn', 2)
   end
   return net
end

return cudnn
