-- require 'nnx': clementfarabet's "nn experimental" modules over pytorch_lite.nnx (Python side:
-- packages/nnx.py).  The modules are nn classes (nn.SpatialReSampling, ...; nnx.QDRiemaNNLinear),
-- as nnx defines them, that Lua can use, subclass and save as Torch7's; the Lua-only helpers
-- (FunctionWrapper, Tic, Toc, Probe) are defined below.  nnx.test is test-all.lua's to define.
local B, hidden = ...
require 'nn'
require 'xlua'
local P = B.packages.nnx
local names = P.register()   -- 'nn.SpatialLinear', ..., 'nnx.QDRiemaNNLinear'

do   -- what a script put in a global nnx table before the require stays there
   local before = rawget(_G, 'nnx')
   nnx = hidden.namespace('nnx')
   if type(before) == 'table' then
      for k, v in pairs(before) do rawset(nnx, k, v) end
   end
end
for _, full in ipairs(names) do   -- the classes, made now so that pairs(nn) and pairs(nnx) list them
   local ns, name = full:match('^(.-)%.(.*)$')
   local _ = _G[ns][name]
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

-- the modules that only pass their input on while they time or print it, and the wrapper of
-- Lua functions, stay Lua classes: they hold Lua functions and Lua globals

-- nn.FunctionWrapper(init, updateOutput, updateGradInput): a module made of three functions
local FunctionWrapper = torch.class('nn.FunctionWrapper', 'nn.Module')
function FunctionWrapper:__init(init, fwd, bwd)
   nn.Module.__init(self)   -- nnx leaves this to init; output and gradInput then exist either way
   init(self)
   self.fn_updateOutput, self.fn_updateGradInput = fwd, bwd
end
function FunctionWrapper:updateOutput(input)
   self.output = self.fn_updateOutput(self, input)
   return self.output
end
function FunctionWrapper:updateGradInput(input, gradOutput)
   self.gradInput = self.fn_updateGradInput(self, input, gradOutput)
   return self.gradInput
end

-- nn.Tic(name) starts the timer `name` (a global tic_modules table keeps them, as nnx's); the
-- nn.Toc(name, comment) after it prints the seconds elapsed; both pass everything through
local Tic = torch.class('nn.Tic', 'nn.Module')
function Tic:__init(name)
   nn.Module.__init(self)
   self.name = name or 'default'
   tic_modules = rawget(_G, 'tic_modules') or {}
   tic_modules[self.name] = torch.Timer()
end
function Tic:updateOutput(input)
   tic_modules[self.name]:reset()
   self.output = input
   return input
end
function Tic:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   return gradOutput
end

local Toc = torch.class('nn.Toc', 'nn.Module')
function Toc:__init(name, comment)
   nn.Module.__init(self)
   self.name, self.comment = name or 'default', comment or ''
end
function Toc:updateOutput(input)
   print("Toc '" .. self.name .. "' (" .. self.comment .. ") : " .. tic_modules[self.name]:time().real)
   self.output = input
   return input
end
function Toc:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   return gradOutput
end

-- nn.Probe(name, display): prints the size, mean, std, min and max of what flows through it
-- (and the time since the last probe); with display, shows it with image.display
local Probe = torch.class('nn.Probe', 'nn.Module')
function Probe:__init(name, display)
   nn.Module.__init(self)
   self.name, self.display = name or 'unnamed', display
   nn._ProbeTimer = nn._ProbeTimer or torch.Timer()
end
local function probe(self, t, legend, win)
   local dims = {}
   for d = 1, t:dim() do dims[d] = t:size(d) end
   local now = nn._ProbeTimer:time().real
   local since = now - (nn._ProbeLast or 0)
   nn._ProbeLast = now
   print('')
   print(legend)
   print('  + size = ' .. table.concat(dims, 'x'))
   print('  + mean = ' .. t:mean())
   print('  + std = ' .. t:std())
   print('  + min = ' .. t:min())
   print('  + max = ' .. t:max())
   print('  + time since last probe = ' .. string.format('%0.1f', since * 1000) .. 'ms')
   if self.display then
      require 'image'
      self[win] = image.display{image = t, win = self[win], legend = legend}
   end
end
function Probe:updateOutput(input)
   self.output = input
   probe(self, input, '<' .. self.name .. '>.output', 'winf')
   return input
end
function Probe:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   probe(self, gradOutput, 'layer<' .. self.name .. '>.gradInput', 'winb')
   return gradOutput
end

return nnx
