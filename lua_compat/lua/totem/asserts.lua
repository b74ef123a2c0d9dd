-- totem's free-standing checks.  are*(a, b, tolerance, negate) return (outcome, message): the
-- message says why when the outcome is false (and also why two values count as equal or not for
-- some shapes of input); assert*(a, b, tolerance) raise that message as an error instead.
-- A tolerance bounds the largest elementwise |a - b| (default 0); negate asks for inequality.
local totem = totem

local function check_tolerance(tolerance)
   assert(type(tolerance) == 'number',
          'Third argument should be a number: the tolerance on the difference of one element')
end

local function verdict(ok, negate)
   if negate then return not ok end
   return ok
end

-- same type, same size: compare the largest difference with the tolerance; kind is 'Tensor' or
-- 'Storage' for the message
local function compare_elements(ta, tb, tolerance, negate, kind)
   -- integer tensors' differences are taken in double (Torch7's Byte, Char and Short tensors have
   -- no abs; here they have one, but a byte difference would wrap around)
   local t = ta:type()
   if t ~= 'torch.FloatTensor' and t ~= 'torch.DoubleTensor' then ta, tb = ta:double(), tb:double() end
   local worst = ta:clone():add(-1, tb):abs():max()
   local ok = verdict(worst <= tolerance, negate)
   if ok then return true end
   return false, string.format('%s%s violation: max diff=%s, tolerance=%s', kind,
                               negate and 'NE(==)' or 'EQ(==)', tostring(worst), tostring(tolerance))
end

function totem.areTensorsEq(ta, tb, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   assert(torch.isTensor(ta), 'First argument should be a Tensor')
   assert(torch.isTensor(tb), 'Second argument should be a Tensor')
   check_tolerance(tolerance)
   -- unlike torch.Tester's assertTensorEq, the shape counts, not only the number of elements
   if ta:dim() ~= tb:dim() then return negate, 'The tensors have different dimensions' end
   if ta:type() ~= tb:type() then return negate, 'The tensors have different types' end
   if ta:dim() == 0 then return not negate, 'Both tensors are empty' end
   if not ta:isSameSizeAs(tb) then return negate, 'The tensors have different sizes' end
   return compare_elements(ta, tb, tolerance, negate, 'Tensor')
end

function totem.areTensorsNe(ta, tb, tolerance)
   return totem.areTensorsEq(ta, tb, tolerance, true)
end

function totem.assertTensorEq(ta, tb, tolerance)
   return assert(totem.areTensorsEq(ta, tb, tolerance))
end

function totem.assertTensorNe(ta, tb, tolerance)
   return assert(totem.areTensorsNe(ta, tb, tolerance))
end

-- a storage's elements seen as a tensor of the same element type
local TENSOR_OF = {}
for _, t in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
   TENSOR_OF['torch.' .. t .. 'Storage'] = torch[t .. 'Tensor']
end

function totem.areStoragesEq(sa, sb, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   assert(torch.isStorage(sa), 'First argument should be a Storage')
   assert(torch.isStorage(sb), 'Second argument should be a Storage')
   check_tolerance(tolerance)
   if sa:size() ~= sb:size() then return negate, 'The storages have different sizes' end
   local kind = torch.type(sa)
   if kind ~= torch.type(sb) then return negate, 'The storages have different types' end
   if sa:size() == 0 then return not negate, 'Both storages are empty' end
   local Tensor = assert(TENSOR_OF[kind], 'no tensor type for ' .. kind)
   return compare_elements(Tensor(sa), Tensor(sb), tolerance, negate, 'Storage')
end

function totem.areStoragesNe(sa, sb, tolerance)
   return totem.areStoragesEq(sa, sb, tolerance, true)
end

function totem.assertStorageEq(sa, sb, tolerance)
   return assert(totem.areStoragesEq(sa, sb, tolerance))
end

function totem.assertStorageNe(sa, sb, tolerance)
   return assert(totem.areStoragesNe(sa, sb, tolerance))
end

-- deep equality: the Lua types must agree; tables key by key (both ways), numbers within the
-- tolerance, tensors and storages elementwise as above, anything else by ==
function totem.areEq(got, expected, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   local violation = negate and 'NE(==)' or 'EQ(==)'
   local kind = type(got)
   if kind ~= type(expected) then
      if negate then return true end
      return false, string.format('Arguments are not of the same type (got: %s, expected: %s)',
                                  kind, type(expected))
   end
   if kind == 'number' then
      local diff = math.abs(got - expected)
      if verdict(diff <= tolerance, negate) then return true end
      return false, string.format('number%s violation: max diff=%s, tolerance=%s', violation,
                                  tostring(diff), tostring(tolerance))
   end
   if kind == 'table' then return totem.areTablesEq(got, expected, tolerance, negate) end
   if torch.isTensor(got) then return totem.areTensorsEq(got, expected, tolerance, negate) end
   if torch.isStorage(got) then return totem.areStoragesEq(got, expected, tolerance, negate) end
   if verdict(got == expected, negate) then return true end
   return false, string.format('%s%s violation: val1=%s, val2=%s', kind, violation,
                               tostring(got), tostring(expected))
end

function totem.areTablesEq(t1, t2, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   assert(type(t1) == 'table', 'First argument should be a Table')
   assert(type(t2) == 'table', 'Second argument should be a Table')
   check_tolerance(tolerance)
   -- every key of either table: a key missing on one side compares nil with a value (a type
   -- mismatch); the first difference found is the message
   for k, v in pairs(t2) do
      local ok, why = totem.areEq(t1[k], v, tolerance)
      if not ok then return negate, why end
   end
   for k, v in pairs(t1) do
      local ok, why = totem.areEq(v, t2[k], tolerance)
      if not ok then return negate, why end
   end
   return not negate, 'The tables are equal.'
end

function totem.assertTableEq(ta, tb, tolerance)
   return assert(totem.areTablesEq(ta, tb, tolerance))
end

function totem.assertTableNe(ta, tb, tolerance)
   return assert(totem.areTablesEq(ta, tb, tolerance, true))
end

return totem
