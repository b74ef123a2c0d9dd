-- require 'totem': deepmind's test package (torch-totem), on this project's torch.Tester, which
-- totem's own later versions extend too.
--   totem.Tester()       torch.Tester plus eq/ne's `ret` argument, assertStorageEq/Ne, the
--                        command-line options of run(), nested test files (Tester.lua)
--   totem.TestSuite()    a torch.TestSuite: a second test of the same name is an error
--   totem.areTensorsEq, assertTableEq, ...   outcome-returning and asserting checks (asserts.lua)
--   totem.nn             gradient, minibatch, type-cast and serialization checks of nn modules
--                        (nn.lua, loaded on first use as totem's own)
require 'torch'

totem = {}

-- sub-packages loaded when first named (totem.nn pulls in nn)
local ON_DEMAND = {nn = 'totem.nn'}
setmetatable(totem, {__index = function(t, key)
   local name = ON_DEMAND[key]
   if name then
      require(name)
      return rawget(t, key)
   end
end})

require 'totem.asserts'
require 'totem.Tester'

function totem.TestSuite()
   return torch.TestSuite()
end

return totem
