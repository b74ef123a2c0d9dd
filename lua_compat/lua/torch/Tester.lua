-- torch.Tester (torch7 doc/tester.md): a unit-test runner with Torch7's report format and its
-- assert family.  Every assert ends in self:_assert_sub(condition, message), which counts it and
-- calls self:_success() or self:_failure(message), so that a caller may replace those two (Torch7's
-- own tests do) or _assert_sub itself (totem.Tester: an assert that only returns its outcome is
-- not counted, as Torch7 counted in _success/_failure).
-- Output goes through io.write looked up at each call: tests capture it by replacing io.write.
local Tester = torch.class('torch.Tester')

local WIDTH = 80
local SEPARATOR = string.rep('-', WIDTH) .. '\n'

local function write(...) io.write(...) end

function Tester:__init()
   self.tests = {}             -- name -> function
   self._order = {}            -- names in the order they were added
   self.errors = {}            -- {test = name, message = text} for failures and errors
   self.warnings = {}
   self._warned = {}
   self.disabledTests = {}
   self.countasserts = 0
   self._assertTensorEqIgnoresDims = true
   self._earlyAbort, self._rethrowErrors, self._summaryOnly = false, false, false
   self._currentTest = nil
end

function Tester:setEarlyAbort(flag) self._earlyAbort = flag and true or false return self end
function Tester:setRethrowErrors(flag) self._rethrowErrors = flag and true or false return self end
function Tester:setSummaryOnly(flag) self._summaryOnly = flag and true or false return self end

function Tester:_warning(text)
   if not self._warned[text] then
      self._warned[text] = true
      self.warnings[#self.warnings + 1] = text
   end
end

-- ---------------------------------------------------------------------------------------------
-- results of one assert
-- ---------------------------------------------------------------------------------------------
function Tester:_success()
   return true
end

-- the traceback of the test's own frames: what called into the Tester, up to the Tester's runner
-- (frames of this file, and of a subclass's file that called Tester._internalFile, left out)
local INTERNAL = {debug.getinfo(1, 'S').short_src}
function Tester._internalFile(level)
   INTERNAL[#INTERNAL + 1] = debug.getinfo((level or 1) + 1, 'S').short_src
end
local function internal(line)
   for _, src in ipairs(INTERNAL) do
      if line:find(src, 1, true) then return true end
   end
   return false
end
local function user_traceback(msg, level)
   local lines = {}
   for line in (debug.traceback('', level + 1) .. '\n'):gmatch('([^\n]*)\n') do lines[#lines + 1] = line end
   local out, started = {msg}, false
   for k = 2, #lines do   -- lines[1] is the empty message
      local line = lines[k]
      local ours = internal(line)
      if line == 'stack traceback:' then
         out[#out + 1] = line
      elseif not ours then
         started = true
         if line:find("in function 'xpcall'", 1, true) then break end
         out[#out + 1] = line
      elseif started then
         break
      end
   end
   return table.concat(out, '\n')
end

function Tester:_failure(message)
   local trace = user_traceback('', 2):gsub('^\n', '')
   self.errors[#self.errors + 1] = {test = self._currentTest, message = message .. '\n' .. trace,
                                    kind = 'failure'}
   if self._currentResult then self._currentResult.failed = true end
   return false
end

-- every assert ends here, as in Torch7: subclasses override it (totem.Tester's only returns
-- the outcome when asked to)
function Tester:_assert_sub(condition, message)
   self.countasserts = self.countasserts + 1
   if condition then return self:_success() end
   return self:_failure(message)
end

local function result(self, ok, message, violation)
   message = message or ''
   if not ok and violation and violation ~= '' then message = message .. '\n' .. violation end
   return self:_assert_sub(ok, message)
end

-- (tolerance, message) may come in either order
local function tolerance_and_message(a, b, default)
   local tol, msg
   if type(a) == 'string' or (a == nil and type(b) == 'number') then msg, tol = a, b
   else tol, msg = a, b end
   if tol == nil then tol = default end
   if msg == nil then msg = '' end
   if type(tol) ~= 'number' then error('tolerance should be a number', 3) end
   if type(msg) ~= 'string' then error('message should be a string', 3) end
   return tol, msg
end

-- ---------------------------------------------------------------------------------------------
-- comparisons
-- ---------------------------------------------------------------------------------------------
local function is_tensor(x) return torch.isTensor(x) end
local function is_storage(x) return torch.isStorage(x) end

-- max |a - b| over two tensors of the same number of elements (computed in double precision)
local function max_diff(a, b)
   local n = a:nElement()
   if n == 0 then return 0 end
   local da = a:double():contiguous():view(n)
   local db = b:double():contiguous():view(n)
   return (da - db):abs():max()
end

-- nil when equal within tol, else a description of the difference; ignoreDims: only the
-- number of elements has to agree
local function tensor_difference(a, b, tol, ignoreDims)
   if torch.typename(a) ~= torch.typename(b) then
      return 'different tensor types: ' .. torch.typename(a) .. ' and ' .. torch.typename(b), false
   end
   local sameSize = a:dim() == b:dim()
   if sameSize then
      for d = 1, a:dim() do
         if a:size(d) ~= b:size(d) then sameSize = false end
      end
   end
   if not sameSize then
      if not ignoreDims or a:nElement() ~= b:nElement() then
         return 'different sizes', false
      end
   end
   local diff = max_diff(a, b)
   if diff > tol then
      return string.format('max diff=%s, tolerance=%s', tostring(diff), tostring(tol)), sameSize
   end
   return nil, sameSize
end

local function storage_difference(a, b, tol)
   if torch.typename(a) ~= torch.typename(b) then return 'different storage types' end
   if a:size() ~= b:size() then return 'different storage sizes' end
   for i = 1, a:size() do
      if math.abs(a[i] - b[i]) > tol then
         return string.format('element %d differs: %s vs %s', i, tostring(a[i]), tostring(b[i]))
      end
   end
   return nil
end

-- deep comparison: nil when equal, else where and how they differ
local function difference(a, b, tol, seen)
   if is_tensor(a) or is_tensor(b) then
      if not (is_tensor(a) and is_tensor(b)) then return 'one is a tensor and the other is not' end
      return (tensor_difference(a, b, tol, false))
   end
   if is_storage(a) or is_storage(b) then
      if not (is_storage(a) and is_storage(b)) then return 'one is a storage and the other is not' end
      return storage_difference(a, b, tol)
   end
   local ta, tb = type(a), type(b)
   if ta ~= tb then return 'different types: ' .. ta .. ' and ' .. tb end
   if ta == 'number' then
      if a == b or math.abs(a - b) <= tol then return nil end
      return string.format('%s vs %s, tolerance=%s', tostring(a), tostring(b), tostring(tol))
   end
   if ta == 'table' then
      if a == b then return nil end
      seen = seen or {}
      if seen[a] == b then return nil end
      seen[a] = b
      for k, v in pairs(a) do
         if b[k] == nil then return 'key ' .. tostring(k) .. ' only in the first table' end
         local d = difference(v, b[k], tol, seen)
         if d then return 'at key ' .. tostring(k) .. ': ' .. d end
      end
      for k in pairs(b) do
         if a[k] == nil then return 'key ' .. tostring(k) .. ' only in the second table' end
      end
      return nil
   end
   if a == b then return nil end
   return tostring(a) .. ' ~= ' .. tostring(b)
end

-- ---------------------------------------------------------------------------------------------
-- the assert family
-- ---------------------------------------------------------------------------------------------
function Tester:assert(condition, message, ...)
   if select('#', ...) > 0 then
      error('Unexpected arguments passed to assert (expected a condition and a message)', 2)
   end
   if type(condition) ~= 'boolean' then
      self:_warning(':assert should only be used for boolean conditions. '
                    .. 'To check for non-nil values, use :assert(value ~= nil)')
   end
   return result(self, condition, message or '', 'BOOL violation')
end

local function compare(name, op, sym)
   Tester[name] = function(self, a, b, message)
      return result(self, op(a, b), message or '',
                    string.format('%s violation: val=%s, condition=%s', sym, tostring(a), tostring(b)))
   end
end
compare('assertlt', function(a, b) return a < b end, 'LT(<)')
compare('assertgt', function(a, b) return a > b end, 'GT(>)')
compare('assertle', function(a, b) return a <= b end, 'LE(<=)')
compare('assertge', function(a, b) return a >= b end, 'GE(>=)')

local function basic(x)
   local t = type(x)
   return t ~= 'table' and t ~= 'userdata'
end

function Tester:asserteq(a, b, message)
   if not basic(a) and not basic(b) then
      self:_warning(':asserteq should only be used to compare basic lua objects '
                    .. '(numbers, booleans, strings); use :eq for tensors and tables')
   end
   return result(self, a == b, message or '',
                 string.format('EQ(==) violation: val=%s, condition=%s', tostring(a), tostring(b)))
end

function Tester:assertne(a, b, message)
   if not basic(a) and not basic(b) then
      self:_warning(':assertne should only be used to compare basic lua objects '
                    .. '(numbers, booleans, strings); use :ne for tensors and tables')
   end
   return result(self, a ~= b, message or '',
                 string.format('NE(~=) violation: val=%s, condition=%s', tostring(a), tostring(b)))
end

function Tester:assertalmosteq(a, b, tolerance, message)
   local tol, msg = tolerance_and_message(tolerance, message, 1e-16)
   local diff = math.abs(a - b)
   return result(self, diff <= tol, msg,
                 string.format('ALMOST_EQ(==) violation: val=%s, condition=%s, tolerance=%s',
                               tostring(a), tostring(b), tostring(tol)))
end

local function check_tensors(a, b)
   if not is_tensor(a) then error('First argument should be a Tensor', 3) end
   if not is_tensor(b) then error('Second argument should be a Tensor', 3) end
end

function Tester:_tensorDifference(a, b, tol)
   local d, sameSize = tensor_difference(a, b, tol, self._assertTensorEqIgnoresDims)
   if sameSize == false and d == nil then
      self:_warning('assertTensorEq/Ne: tensors with the same elements but different dimensions '
                    .. 'compare as equal (set tester._assertTensorEqIgnoresDims = false to compare sizes)')
   end
   return d
end

function Tester:assertTensorEq(a, b, tolerance, message)
   check_tensors(a, b)
   local tol, msg = tolerance_and_message(tolerance, message, 1e-16)
   local d = self:_tensorDifference(a, b, tol)
   return result(self, d == nil, msg, 'TensorEQ(==) violation: ' .. tostring(d))
end

function Tester:assertTensorNe(a, b, tolerance, message)
   check_tensors(a, b)
   local tol, msg = tolerance_and_message(tolerance, message, 1e-16)
   local d = self:_tensorDifference(a, b, tol)
   return result(self, d ~= nil, msg, 'TensorNE(~=) violation: the tensors are equal within tolerance=' .. tol)
end

local function check_tables(a, b)
   if type(a) ~= 'table' then error('First argument should be a table', 3) end
   if type(b) ~= 'table' then error('Second argument should be a table', 3) end
end

function Tester:assertTableEq(a, b, tolerance, message)
   check_tables(a, b)
   local tol, msg = tolerance_and_message(tolerance, message, 0)
   local d = difference(a, b, tol)
   return result(self, d == nil, msg, 'TableEQ(==) violation: ' .. tostring(d))
end

function Tester:assertTableNe(a, b, tolerance, message)
   check_tables(a, b)
   local tol, msg = tolerance_and_message(tolerance, message, 0)
   return result(self, difference(a, b, tol) ~= nil, msg, 'TableNE(~=) violation: the tables are equal')
end

function Tester:assertGeneralEq(got, expected, tolerance, message)
   local tol, msg = tolerance_and_message(tolerance, message, 0)
   local d = difference(got, expected, tol)
   return result(self, d == nil, msg, 'GeneralEQ(==) violation: ' .. tostring(d))
end
Tester.eq = Tester.assertGeneralEq

function Tester:assertGeneralNe(got, unexpected, tolerance, message)
   local tol, msg = tolerance_and_message(tolerance, message, 0)
   return result(self, difference(got, unexpected, tol) ~= nil, msg,
                 'GeneralNE(~=) violation: the values are equal')
end
Tester.ne = Tester.assertGeneralNe

function Tester:assertError(f, message)
   return self:assertErrorObj(f, function() return true end, message or '')
end

function Tester:assertNoError(f, message)
   local ok, err = pcall(f)
   return result(self, ok, message or '', 'ERROR violation: err=' .. tostring(err))
end

function Tester:assertErrorMsg(f, errmsg, message)
   return self:assertErrorObj(f, function(err)
      if err == errmsg then return true end
      -- the message may carry the file:line Lua put in front of it
      return type(err) == 'string' and err:sub(-#errmsg - 2) == ': ' .. errmsg
   end, message or '')
end

function Tester:assertErrorPattern(f, pattern, message)
   return self:assertErrorObj(f, function(err)
      return type(err) == 'string' and err:find(pattern) ~= nil
   end, message or '')
end

function Tester:assertErrorObj(f, errcomp, message)
   local ok, err = pcall(f)
   if ok then return result(self, false, message or '', 'ERROR violation: no error was raised') end
   return result(self, errcomp(err) and true or false, message or '',
                 'ERROR violation: unexpected error: ' .. tostring(err))
end

-- ---------------------------------------------------------------------------------------------
-- adding and running tests
-- ---------------------------------------------------------------------------------------------
function Tester:add(f, name)
   if type(f) == 'table' then
      if name ~= nil then error('a table of tests takes no name', 2) end
      local entries = {}
      if torch.typename(f) == 'torch.TestSuite' then
         entries = f:_tests()
      else
         self:_warning('Should use TestSuite rather than plain lua table')
         for k, v in pairs(f) do entries[#entries + 1] = {k, v} end
      end
      for _, e in ipairs(entries) do
         if type(e[2]) == 'table' then error('Nested sets of tests are not allowed', 2) end
      end
      for _, e in ipairs(entries) do self:add(e[2], e[1]) end
      return self
   end
   if type(f) ~= 'function' then error('Tester:add expects a function or a table of tests', 2) end
   name = name or ('unknown' .. (#self._order + 1))
   if name == '_setUp' or name == '_tearDown' then
      if self[name] then error('Only one ' .. name .. ' function is allowed', 2) end
      self[name] = f
      return self
   end
   if self.tests[name] ~= nil then error('Test with name ' .. name .. ' already exists', 2) end
   self.tests[name] = f
   self._order[#self._order + 1] = name
   return self
end

function Tester:disable(names)
   if type(names) == 'string' then names = {names} end
   for _, n in ipairs(names) do
      if self.tests[n] == nil then error('Test ' .. n .. ' does not exist', 2) end
      self.disabledTests[n] = true
   end
   return self
end

-- names to run: all, or those given (a name, or a list); a given name picks the test of that
-- name, or else every test it matches as a Lua pattern
function Tester:_selected(wanted)
   local names = {}
   for _, n in ipairs(self._order) do names[#names + 1] = n end
   table.sort(names)
   if wanted == nil then return names end
   if type(wanted) == 'string' then wanted = {wanted} end
   local picked, out = {}, {}
   for _, w in ipairs(wanted) do
      local found = false
      if self.tests[w] ~= nil then
         found = true
         picked[w] = true
      else
         for _, n in ipairs(names) do
            if n:match(w) then picked[n] = true found = true end
         end
      end
      if not found then error('Test ' .. tostring(w) .. ' not found', 3) end
   end
   for _, n in ipairs(names) do if picked[n] then out[#out + 1] = n end end
   return out
end

local function status_line(i, n, name, status)
   local head = string.format('%d/%d %s ', i, n, name)
   local tail = ' [' .. status .. ']'
   local dots = WIDTH - #head - #tail
   if dots < 3 then dots = 3 end
   return head .. string.rep('.', dots) .. tail .. '\n'
end

local function plural(n, word) return n .. ' ' .. word .. (n == 1 and '' or 's') end

function Tester:_runOne(name)
   local f = self.tests[name]
   self._currentTest = name
   local res = {failed = false, errored = false}
   self._currentResult = res
   -- as Torch7: the tear-down runs after the test even when the test raised an error
   if self._rethrowErrors then
      if self._setUp then self._setUp(name) end
      f()
      if self._tearDown then self._tearDown(name) end
   else
      local function traced(e) return user_traceback(tostring(e), 1) end
      local ok, err = xpcall(function()
         if self._setUp then self._setUp(name) end
         f()
      end, traced)
      if self._tearDown then
         local down, why = xpcall(function() self._tearDown(name) end, traced)
         if ok and not down then ok, err = down, why end
      end
      if not ok then
         res.errored = true
         self.errors[#self.errors + 1] = {test = name, message = 'Function call failed\n' .. err,
                                          kind = 'error'}
      end
   end
   self._currentResult = nil
   return res
end

-- runs the named tests, writing one status line each; {failures=, errors=, disabled=} (as
-- Torch7's, a hook for subclasses: totem.Tester logs the results of each test after it)
function Tester:_run(names)
   local n = #names
   write('Running ' .. plural(n, 'test') .. '\n')
   local counts = {failures = 0, errors = 0, disabled = 0}
   for i, name in ipairs(names) do
      local status
      if self.disabledTests[name] then
         counts.disabled = counts.disabled + 1
         status = 'SKIP'
      else
         local res = self:_runOne(name)
         if res.errored then counts.errors = counts.errors + 1 status = 'ERROR'
         elseif res.failed then counts.failures = counts.failures + 1 status = 'FAIL'
         else status = 'PASS' end
      end
      write(status_line(i, n, name, status))
      if self._earlyAbort and (status == 'FAIL' or status == 'ERROR') then
         if i < n then write('Aborting on first error, not all tests have been executed\n') end
         break
      end
   end
   return counts
end

function Tester:_report(names, counts)
   local summary = string.format('Completed %s in %s with %s and %s', plural(self.countasserts, 'assert'),
                                 plural(#names, 'test'), plural(counts.failures, 'failure'),
                                 plural(counts.errors, 'error'))
   if counts.disabled > 0 then summary = summary .. ' and ' .. counts.disabled .. ' disabled' end
   write(summary .. '\n')
   if not self._summaryOnly and #self.errors > 0 then
      for _, e in ipairs(self.errors) do
         write(SEPARATOR)
         write(tostring(e.test) .. '\n')
         write(e.message .. '\n\n')
      end
      write(SEPARATOR)
   end
   if #self.warnings > 0 then
      write(SEPARATOR)
      for _, w in ipairs(self.warnings) do write('Warning: ' .. w .. '\n') end
      write(SEPARATOR)
   end
end

function Tester:run(testNames)
   local names = self:_selected(testNames)
   self.countasserts = 0
   self.errors = {}
   local counts = self:_run(names)
   self:_report(names, counts)
   if counts.failures + counts.errors > 0 then error('An error was found while running tests!', 2) end
   return self
end

return Tester
