-- require 'argcheck.env': the type tests argument checkers use. A script may replace
-- env.istype/env.type; a checker keeps the istype it was created with.
--   env.istype(value, typename)  does value have that type?
--   env.type(value)              the type name shown in usage messages
-- Torch objects (tensors, torch.class instances, nn modules) are checked by Torch7's rule
-- (torch.isTypeOf): the name is a Lua pattern tried against the class and its parents, so
-- 'torch.*Tensor' accepts every tensor and 'nn.Module' every module; a torch object is never a
-- plain 'table'. Other values compare Lua's type(), or the metatable's __typename if it has one.
local env = {}

local function typename(v)
   local mt = getmetatable(v)
   if type(mt) == 'table' then return rawget(mt, '__typename') end
   return nil
end

function env.istype(v, name)
   local torch = rawget(_G, 'torch')
   local tn = torch and torch.typename(v) or typename(v)
   if tn then
      if tn == name then return true end
      if torch then return torch.isTypeOf(v, name) end
      return false
   end
   return type(v) == name
end

function env.type(v)
   local torch = rawget(_G, 'torch')
   if torch then return torch.type(v) end
   return typename(v) or type(v)
end

return env
