-- require 'distlearn.AllReduceSGD': the constructor, called with a tree (nil: the MPI world)
return require('distlearn').AllReduceSGD
