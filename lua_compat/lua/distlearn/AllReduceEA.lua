-- require 'distlearn.AllReduceEA': the constructor, called with (tree, tau, alpha)
return require('distlearn').AllReduceEA
