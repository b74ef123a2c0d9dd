-- require 'nngraph.nesting': nngraph's helpers over nested tables of tensors (a tensor, or a
-- table whose values are nested again), used by gModule code and by totem.nn's checks.
local nesting = {}

-- a deep copy: tensors cloned, tables rebuilt with the same keys
function nesting.cloneNested(obj)
   if torch.isTensor(obj) then return obj:clone() end
   local out = {}
   for k, v in pairs(obj) do out[k] = nesting.cloneNested(v) end
   return out
end

-- every tensor filled with value
function nesting.fillNested(obj, value)
   if torch.isTensor(obj) then
      obj:fill(value)
   else
      for _, v in pairs(obj) do nesting.fillNested(v, value) end
   end
end

-- give output input's structure and sizes: tensors resized in place, entries missing from output
-- added (as clones), entries input lacks removed
function nesting.resizeNestedAs(output, input)
   if torch.isTensor(output) then
      output:resizeAs(input)
      return
   end
   for k, v in pairs(input) do
      if output[k] == nil then
         output[k] = nesting.cloneNested(v)
      else
         nesting.resizeNestedAs(output[k], v)
      end
   end
   for k in pairs(output) do
      if input[k] == nil then output[k] = nil end
   end
end

-- copy input's values into output's tensors (same structure)
function nesting.copyNested(output, input)
   if torch.isTensor(output) then
      output:copy(input)
   else
      for k, v in pairs(output) do nesting.copyNested(v, input[k]) end
   end
end

-- add input's values to output's tensors (same structure)
function nesting.addNestedTo(output, input)
   if torch.isTensor(output) then
      output:add(input)
   else
      for k, v in pairs(output) do nesting.addNestedTo(v, input[k]) end
   end
end

return nesting
