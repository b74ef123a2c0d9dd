-- require 'dok': the argument helpers packages of the time called (dok.unpack is xlua.unpack)
require 'xlua'
dok = rawget(_G, 'dok') or {}
dok.unpack = xlua.unpack
dok.usage = xlua.usage
dok.error = xlua.error
return dok
