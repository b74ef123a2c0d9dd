-- totem.nn: checks of an nn module against its own definition, each reporting through a tester's
-- asserts (eq / assert / assertNoError), so they count and fail as any assert:
--   checkGradients(tester, module, input, precision)       backward against finite differences
--   checkMinibatch(tester, module, batchInput, precision)   a batch against its rows one by one
--   checkTypeCastable(tester, module, input, toType, precision)
--   checkSerializable(tester, module, input, precision)     torch.save / torch.load round trip
--   checkTypePreservesSharing(tester, module, toType)       :type() keeps shared parameters shared
-- An input or output may be a tensor or a table of them (nested); every check draws a random
-- gradOutput of the output's shape and type.
require 'totem'
require 'nn'

local checks = {}
totem.nn = checks

local unpack = unpack or table.unpack

-- the tensor type of an input (of its first element, for a table)
local function input_type(x)
   if type(x) == 'table' then return input_type(x[1]) end
   return x:type()
end

-- remembers the random generators' state; the function returned puts it back, so that a
-- stochastic module draws the same numbers in every evaluation
local function rng_checkpoint()
   local state = torch.getRNGState()
   local cuda = rawget(_G, 'cutorch') and cutorch.getRNGState() or nil
   return function()
      torch.setRNGState(state)
      if cuda then cutorch.setRNGState(cuda) end
   end
end

-- a standard normal value shaped as `like`: tensors of its type, numbers for numbers
local function random_like(like)
   if torch.isTensor(like) then return torch.randn(like:size()):typeAs(like) end
   if type(like) == 'number' then return torch.normal() end
   local out = {}
   for k, v in pairs(like) do out[k] = random_like(v) end
   return out
end

-- the scalar whose gradient with respect to output is gradOutput: sum of output .* gradOutput
local function linear_loss(output, gradOutput)
   if torch.isTensor(output) then return output:dot(gradOutput) end
   if type(output) == 'number' then return output * gradOutput end
   local sum = 0
   for k, v in pairs(output) do sum = sum + linear_loss(v, gradOutput[k]) end
   return sum
end

-- src's values in dst's tensors where dst has them (same type), new ones elsewhere
local function copy_into(dst, src)
   if torch.isTensor(src) then
      if torch.isTensor(dst) and dst:type() == src:type() then return dst:resizeAs(src):copy(src) end
      return src:clone()
   end
   if type(src) ~= 'table' then return src end
   if type(dst) ~= 'table' then dst = {} end
   for k, v in pairs(src) do dst[k] = copy_into(dst[k], v) end
   for k in pairs(dst) do
      if src[k] == nil then dst[k] = nil end
   end
   return dst
end

-- a gradient must have its input's shape: one assert per tensor
local function check_sizes(tester, input, gradInput)
   if torch.isTensor(input) then
      tester:eq(input:size(), gradInput:size(), 'wrong gradInput size')
   else
      for k, v in pairs(input) do
         assert(gradInput[k] ~= nil, 'missing gradInput element')
         check_sizes(tester, v, gradInput[k])
      end
   end
end

-- The module in front of the module checked: its output is a copy of the input, so the module
-- checked shares nothing with the input that is perturbed, and its gradInput keeps its tensors
-- from call to call, so they can be read after each backward.
local InputCopy, InputCopyParent = torch.class('totem._InputCopy', 'nn.Module')

function InputCopy:__init(tester)
   InputCopyParent.__init(self)
   self.tester = tester
   self.copy, self.grad = nil, nil
end

function InputCopy:updateOutput(input)
   self.copy = copy_into(self.copy, input)
   self.output = self.copy
   return self.output
end

function InputCopy:updateGradInput(input, gradOutput)
   check_sizes(self.tester, input, gradOutput)
   self.grad = copy_into(self.grad, gradOutput)
   self.gradInput = self.grad
   return self.gradInput
end

-- {tensor, its gradient, its name} for every tensor of the input
local function input_pairs(list, input, grad, name)
   if input == nil then return list end
   if grad == nil or grad == false then
      print('WARNING: no gradient for ' .. name .. ', not checked')
      return list
   end
   if torch.isTensor(input) then
      list[#list + 1] = {input, grad, name}
      return list
   end
   for i = 1, #input do input_pairs(list, input[i], grad[i], string.format('%s[%d]', name, i)) end
   return list
end

-- the elements of x, one by one, through a 1-d view of them
local function flat_view(x)
   assert(x:isContiguous(), 'a tensor whose elements are not contiguous is not supported')
   return x.new(x:storage(), x:storageOffset(), x:nElement())
end

-- d loss / d x by central differences, loss() evaluated with each element of x moved by +-step
local function numeric_gradient(loss, x, step)
   local flat = flat_view(x)
   local grad = x.new(x:nElement())
   for i = 1, flat:nElement() do
      local v = flat[i]
      flat[i] = v - step
      local below = loss()
      flat[i] = v + step
      local above = loss()
      flat[i] = v
      grad[i] = (above - below) / (2 * step)
   end
   return grad:view(x:size())
end

--[[ The module's gradients (with respect to its parameters, flattened by getParameters, and to
every tensor of its input) against finite differences of <output, gradOutput>, gradOutput drawn
once.  The parameters' gradient is checked as accumulated onto random values (backward must add
to gradParameters, not overwrite them).  Steps: 1e-6 for double tensors, 1e-3 otherwise; precision
(the largest difference allowed): 1e-4 for double tensors, 1e-2 otherwise. ]]
function checks.checkGradients(tester, module, input, precision)
   local front = totem._InputCopy(tester)
   local function forward(x)
      return module:forward(front:forward(x))
   end
   local function backward(x, gradOutput)
      return front:backward(x, module:backward(front.output, gradOutput))
   end

   local restore_rng = rng_checkpoint()
   -- one pass first: the module must return its own output and gradInput
   local output = forward(input)
   assert(module.output == output, 'module.output should be returned')
   local gradInput = module:backward(front.output, random_like(output))
   assert(module.gradInput == gradInput, 'module.gradInput should be returned')
   front:backward(input, gradInput)

   local gradOutput = random_like(module.output)
   local checked = {}
   local params = module:parameters()
   if params ~= nil and #params > 0 then
      local flat, flatGrad = module:getParameters()
      checked[1] = {flat, flatGrad, 'params'}
   end
   input_pairs(checked, input, front.gradInput, 'input')

   for _, entry in ipairs(checked) do
      local x, grad, name = unpack(entry)
      local isParams = name == 'params'
      -- parameters' gradients accumulate onto whatever they held: start from random values
      local start = isParams and grad:clone():uniform() or grad:clone():zero()
      local function loss()
         restore_rng()
         if not isParams then module:zeroGradParameters() end
         grad:copy(start)
         forward(input)
         local value = linear_loss(module.output, gradOutput)
         backward(input, gradOutput)
         grad:add(-1, start)
         return value
      end
      local double = x:type() == 'torch.DoubleTensor'
      loss()
      local analytic = grad:clone()
      local numeric = numeric_gradient(loss, x, double and 1e-6 or 1e-3)
      tester:eq(analytic, numeric:typeAs(analytic), 'wrong grad w.r.t. ' .. name,
                precision or (double and 1e-4 or 1e-2))
   end
end

-- a batch's rows (dimension 1), cloned; for a table of batches, a table per row
local function rows(batch)
   if torch.isTensor(batch) then
      local out = {}
      for i = 1, batch:size(1) do out[i] = batch[i]:clone() end
      return out
   end
   local parts = {}
   for i, b in ipairs(batch) do parts[i] = rows(b) end
   local out = {}
   for r = 1, #parts[1] do
      out[r] = {}
      for i, p in ipairs(parts) do out[r][i] = p[r] end
   end
   return out
end

--[[ The module on a batch gives, row by row, what it gives on each row alone: output and
gradInput (updateGradInput, with a random gradOutput), within precision (default 1e-14). ]]
function checks.checkMinibatch(tester, module, batchInput, precision)
   precision = precision or 1e-14
   local inputs = rows(batchInput)
   local batchOutput = module:forward(batchInput)
   local outputs = rows(batchOutput)
   local batchGradOutput = random_like(batchOutput)
   local gradOutputs = rows(batchGradOutput)
   local gradInputs = rows(module:updateGradInput(batchInput, batchGradOutput))
   for i = 1, #inputs do
      tester:eq(outputs[i], module:forward(inputs[i]), 'wrong minibatch output', precision)
      tester:eq(gradInputs[i], module:updateGradInput(inputs[i], gradOutputs[i]),
                'wrong minibatch gradInput', precision)
   end
end

-- a nested copy of x with every tensor of type t (a table's non-tensor values fail an assert)
local function cast(tester, x, t)
   if torch.isTensor(x) then return x:type(t) end
   if type(x) == 'table' then
      local out = {}
      for k, v in pairs(x) do out[k] = cast(tester, v, t) end
      return out
   end
   tester:assert(false, 'the input contains something which is not a tensor')
end

-- where in obj (paths like self.weight, self.modules.1.output) tensors of type a and of type b are
local function tensors_of_types(obj, a, b)
   local ofA, ofB, seen = {}, {}, {}
   local function walk(x, path)
      if torch.isTensor(x) then
         local t = torch.typename(x)
         if t == a then ofA[#ofA + 1] = path end
         if t == b then ofB[#ofB + 1] = path end
      elseif type(x) == 'table' and not seen[x] then
         seen[x] = true
         for k, v in pairs(x) do
            local tk = type(k)
            if tk == 'string' or tk == 'number' then walk(v, path .. '.' .. k) end
         end
      end
   end
   walk(obj, 'self')
   return ofA, ofB
end

--[[ The module cast to toType (default torch.FloatTensor) holds no tensor of the input's type
any more and some of toType; it computes (output, and gradInput for a random gradOutput) what it
computed before, within precision (default 1e-6); cast back, it computes it again. ]]
function checks.checkTypeCastable(tester, module, input, toType, precision)
   precision = precision or 1e-6
   toType = toType or 'torch.FloatTensor'
   local origType = input_type(input)

   local restore_rng = rng_checkpoint()
   local before = copy_into(nil, module:updateOutput(input))
   local gradOutput = random_like(before)
   local gradBefore = copy_into(nil, module:updateGradInput(input, gradOutput))

   tester:assertNoError(function() module:type(toType) end, 'module cannot be cast to ' .. toType)
   local left, made = tensors_of_types(module, origType, toType)
   assert(#left == 0 or origType == toType,
          'after casting, module still contains objects of original type: ' .. table.concat(left, ', '))
   assert(#made > 0, 'after casting, module contains no objects of the new type ' .. toType)

   restore_rng()
   local castInput = cast(tester, input, toType)
   local castOutput = module:forward(castInput)
   local castGradInput = module:updateGradInput(castInput, cast(tester, gradOutput, toType))
   tester:eq(cast(tester, before, toType), castOutput, 'cast module output differs from before casting',
             precision)
   tester:eq(cast(tester, gradBefore, toType), castGradInput,
             'cast module grad input differs from before casting', precision)

   tester:assertNoError(function() module:type(origType) end, 'module cannot be cast back to ' .. origType)
   restore_rng()
   local after = module:updateOutput(input)
   local gradAfter = module:updateGradInput(input, gradOutput)
   tester:eq(before, after, 'module output differs before and after typecast', precision)
   tester:eq(gradBefore, gradAfter, 'module gradInput differs before and after typecast', precision)
end

--[[ The module written with torch.save and read back with torch.load computes what it computed
before (output, and gradInput for a random gradOutput), within precision (default 1e-6). ]]
function checks.checkSerializable(tester, module, input, precision)
   precision = precision or 1e-6
   local restore_rng = rng_checkpoint()
   local before = copy_into(nil, module:updateOutput(input))
   local gradOutput = random_like(before)
   local gradBefore = copy_into(nil, module:updateGradInput(input, gradOutput))
   local file = os.tmpname()
   tester:assertNoError(function() torch.save(file, module) end, 'module cannot be serialized')
   local ok, loaded = pcall(torch.load, file)
   os.remove(file)
   if not ok then error(loaded, 0) end
   restore_rng()
   local after = loaded:updateOutput(input)
   local gradAfter = loaded:updateGradInput(input, gradOutput)
   tester:eq(before, after, 'module output differs before and after serialization', precision)
   tester:eq(gradBefore, gradAfter, 'module gradInput differs before and after serialization', precision)
end

-- why a (in module) and b (in its clone) are no longer one tensor
local function sharing_broken(what, i, a, b)
   local why = {string.format('Sharing is broken for %s #%d\n%s vs\n%s\nReason: ', what, i,
                              tostring(a), tostring(b))}
   if torch.pointer(a:storage()) ~= torch.pointer(b:storage()) then
      why[#why + 1] = '+ different storage pointer'
   end
   if a:storageOffset() ~= b:storageOffset() then why[#why + 1] = '+ different storage offset' end
   if not a:isSameSizeAs(b) then
      why[#why + 1] = '+ different tensor sizes'
   else
      for d = 1, a:dim() do
         if a:stride(d) ~= b:stride(d) then
            why[#why + 1] = '+ different tensor strides'
            break
         end
      end
   end
   return table.concat(why, '\n')
end

local function sharing_kept(module, toType)
   if not module.parameters then return true end
   local copy = module:clone()
   local params, grads = module:parameters()
   if not params then return true end
   local copyParams, copyGrads = copy:parameters()
   for i = 1, #params do
      copyParams[i]:set(params[i])
      copyGrads[i]:set(grads[i])
   end
   -- the cast goes through a container, as a network's would
   nn.Sequential():add(module):add(copy):type(toType)
   params, grads = module:parameters()
   copyParams, copyGrads = copy:parameters()
   for i = 1, #params do
      if not copyParams[i]:isSetTo(params[i]) then
         return false, sharing_broken('parameter', i, params[i], copyParams[i])
      end
      if not copyGrads[i]:isSetTo(grads[i]) then
         return false, sharing_broken('gradParameter', i, grads[i], copyGrads[i])
      end
   end
   return true
end

--[[ A clone of the module whose parameters (and their gradients) are set to the module's own,
cast together with it to toType (default torch.FloatTensor) in one container, still shares them. ]]
function checks.checkTypePreservesSharing(tester, module, toType)
   local ok, why = sharing_kept(module, toType or 'torch.FloatTensor')
   tester:assert(ok, why)
end

return checks
