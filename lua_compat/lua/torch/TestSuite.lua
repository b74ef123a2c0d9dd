-- torch.TestSuite (torch7 doc/tester.md): a table of test functions that refuses a second test of
-- the same name.  The tests live in a hidden inner table so that every assignment goes through
-- __newindex (Lua only calls it for absent keys).
local TestSuite = torch.class('torch.TestSuite')

function TestSuite:__init()
   rawset(self, '__tests', {})
   rawset(self, '__order', {})
end

function TestSuite.__index(self, key)
   local tests = rawget(self, '__tests')
   if tests and tests[key] ~= nil then return tests[key] end
   return TestSuite[key]
end

function TestSuite.__newindex(self, key, value)
   local tests = rawget(self, '__tests')
   if tests[key] ~= nil then
      error('Test ' .. tostring(key) .. ' is already defined.', 2)
   end
   tests[key] = value
   local order = rawget(self, '__order')
   order[#order + 1] = key
end

-- the (name, function) pairs in definition order
function TestSuite:_tests()
   local out = {}
   for _, k in ipairs(rawget(self, '__order')) do out[#out + 1] = {k, rawget(self, '__tests')[k]} end
   return out
end

return TestSuite
