-- require 'nnx': clementfarabet's "nn experimental" modules over pytorch_lite.nnx (Python side:
-- packages/nnx.py).  The modules are nn classes (nn.SpatialReSampling, ...), as nnx defines them,
-- that Lua can use, subclass and save as Torch7's.
local B, hidden = ...
require 'nn'
require 'xlua'
local P = B.packages.nnx
local names = P.register()

nnx = rawget(_G, 'nnx') or {}
for _, name in ipairs(names) do
   local _ = nn[name]   -- the class, made now so that pairs(nn) lists it
end

-- constructors taking a table of named arguments: the dims in it are 1-based in Lua
local function named_dims(class, keys)
   local mt = getmetatable(nn[class])
   local construct = mt.__call
   mt.__call = function(self, first, ...)
      if type(first) == 'table' and not torch.isTensor(first) then
         local args = {}
         for k, v in pairs(first) do args[k] = v end
         for _, k in ipairs(keys) do
            if type(args[k]) == 'number' then args[k] = args[k] - 1 end
         end
         return B.construct('nn.' .. class, args)
      end
      return construct(self, first, ...)
   end
end
named_dims('SpatialReSamplingEx', {'yDim', 'xDim'})
named_dims('SpatialUpSampling', {'yDim', 'xDim'})

return nnx
