-- require 'loadcaffe': szagoruyko/loadcaffe's loadcaffe.load on pytorch_lite.converters.caffe
-- (packages/loadcaffe.py): the Caffe net as an nn.Sequential, a module per layer named by it.
--   local net = loadcaffe.load('deploy.prototxt', 'model.caffemodel' [, 'nn' | 'cudnn'])
-- The cudnn backend needs cudnn (a CUDA device, or PYTORCH_LITE_CUDA=cpu) and returns the net on
-- the GPU, as loadcaffe does; 'ccn2' is refused.  Bad files and layers without an nn module raise.
local B = ...
require 'nn'
local P = B.packages.loadcaffe
loadcaffe = rawget(_G, 'loadcaffe') or {}
local loadcaffe = loadcaffe

function loadcaffe.load(prototxt_name, binary_name, backend)
   backend = backend or 'nn'
   if type(prototxt_name) ~= 'string' or type(binary_name) ~= 'string' then
      error('loadcaffe.load(prototxt, binary [, backend]): two file names expected', 2)
   end
   if backend == 'cudnn' then require 'cudnn' end   -- loadcaffe's net requires it (and fails without a GPU)
   local net, lines = P.load(prototxt_name, binary_name, backend)
   for _, line in ipairs(lines) do io.write(line, '\n') end   -- loadcaffe's C++ printed these (no print tabs)
   return net
end

return loadcaffe
