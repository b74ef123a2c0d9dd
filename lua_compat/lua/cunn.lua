-- require 'cunn': nn's modules already run on Cuda tensors (model:cuda()); this loads nn and cutorch.
local B = ...
local why = B.packages.cutorch.unavailable()   -- no device: the require fails, as Torch7's
if why then error(why, 0) end
require 'nn'
require 'cutorch'
return nn
