-- require 'cunn': nn's modules already run on Cuda tensors (model:cuda()); this loads nn and cutorch.
require 'nn'
require 'cutorch'
return nn
