-- require 'threads.sharedserialize': the name scripts pass to Threads.serialization; tensors always
-- cross threads shared here (lua/threads/serialize.lua hands over the same Python objects)
return require 'threads.serialize'
