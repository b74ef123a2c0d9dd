-- totem.Tester: this project's torch.Tester (report format, assert family, TestSuite, _setUp and
-- _tearDown) with what totem adds to it:
--   * tensors compare by shape too (_assertTensorEqIgnoresDims off);
--   * eq/ne(got, expected, message, tolerance, ret): with ret true only the outcome is returned,
--     nothing is counted or reported;
--   * assertStorageEq/Ne(sa, sb, tolerance, message);
--   * run() reads the script's command line (options.lua): --list, --log-output FILE,
--     --summary, --early-abort, --rethrow, --no-colour, --full-tensors and test-name patterns; it
--     returns 0, and raises an error when a test failed, so a failing script exits with status 1;
--   * add() also takes the outcome of another run (a number: 0 passed) or a test file's name
--     (its tests run, as one test here), so test files nest.
local options = require 'totem.options'

local Tester, parent = torch.class('totem.Tester', 'torch.Tester')
parent._internalFile()   -- failure tracebacks start at the test's own frames, not this file's

Tester.CLoptions = options.text

local unpack = unpack or table.unpack
local THIS = debug.getinfo(1, 'S').source
local BASE = debug.getinfo(parent._assert_sub, 'S').source

function Tester:__init()
   parent.__init(self)
   self._assertTensorEqIgnoresDims = false
   self._passed, self._failed = {}, {}   -- test name -> asserts passed / failed (--log-output)
end

-- the error level of the first caller outside the Testers (the failing assert's line), for
-- errors raised from _assert_sub
local function caller_level()
   local level = 3
   while true do
      local info = debug.getinfo(level, 'S')
      if not info then return 2 end
      if info.source ~= THIS and info.source ~= BASE then return level - 1 end
      level = level + 1
   end
end

function Tester:_assert_sub(condition, message)
   if self._outcomeOnly then return condition end
   local name = self._currentTest
   local tally = condition and self._passed or self._failed
   if name ~= nil and tally then tally[name] = (tally[name] or 0) + 1 end
   -- --rethrow: a failed assert stops the run as an error would (Torch7's Tester does so too)
   if not condition and self._rethrowErrors then error(message, caller_level()) end
   return parent._assert_sub(self, condition, message)
end

-- f(self, ...) with its assert only returning the outcome
local function outcome_only(self, f, ...)
   self._outcomeOnly = true
   local r = {pcall(f, self, ...)}
   self._outcomeOnly = nil
   if not r[1] then error(r[2], 0) end
   return unpack(r, 2, table.maxn(r))
end

-- (message, tolerance) in totem's order; torch.Tester takes them in either order
function Tester:eq(got, expected, message, tolerance, ret)
   if ret then return outcome_only(self, parent.eq, got, expected, message, tolerance) end
   return parent.eq(self, got, expected, message, tolerance)
end

function Tester:ne(got, expected, message, tolerance, ret)
   if ret then return outcome_only(self, parent.ne, got, expected, message, tolerance) end
   return parent.ne(self, got, expected, message, tolerance)
end

-- equal: same type, same size, elements within the tolerance
function Tester:assertStorageEq(sa, sb, tolerance, message)
   return parent.eq(self, sa, sb, tolerance, message)
end

function Tester:assertStorageNe(sa, sb, tolerance, message)
   return parent.ne(self, sa, sb, tolerance, message)
end

-- a test standing for tests run before: it passes when their outcome is 0
local function add_outcome(self, outcome, name, why)
   return parent.add(self, function()
      self:assert(outcome == 0, 'the nested tests did not all pass' .. (why and (': ' .. why) or ''))
   end, name)
end

function Tester:add(f, name)
   if type(f) == 'number' then   -- what an earlier run returned: tester:add(dofile('test_x.lua'), 'x')
      return add_outcome(self, f, name)
   end
   if type(f) == 'string' then
      -- a test file: run now (its report printed as it runs), one test here named after it; a
      -- file that ends without error passed (its run raises when a test fails)
      local ok, res = pcall(dofile, f)
      if not ok then return add_outcome(self, -1, f, tostring(res)) end
      return add_outcome(self, type(res) == 'number' and res or 0, f)
   end
   return parent.add(self, f, name)
end

-- test names as Torch7 (and so totem) select them: each is a Lua pattern, and every test whose
-- name it matches runs; one that matches none is an error
function Tester:_selected(wanted)
   if wanted == nil then return parent._selected(self) end
   if type(wanted) == 'string' then wanted = {wanted} end
   if type(wanted) ~= 'table' then
      error('Only accept a name or table of test names (or nil for all tests)', 3)
   end
   local picked = {}
   for _, pattern in ipairs(wanted) do
      local found = false
      for name in pairs(self.tests) do
         if name:match(pattern) then picked[name], found = true, true end
      end
      if not found then error("Couldn't find test '" .. tostring(pattern) .. "'", 3) end
   end
   local out = {}
   for _, name in ipairs(parent._selected(self)) do
      if picked[name] then out[#out + 1] = name end
   end
   return out
end

function Tester:_listTests(names)
   for _, name in ipairs(names) do print(name) end
end

function Tester:run(testNames)
   local argv = rawget(_G, 'arg')
   local opts = {}
   if type(argv) == 'table' then
      opts = options.parse(argv)
      if #opts > 0 then testNames = {unpack(opts)} end
   end
   if opts.list then
      self:_listTests(self:_selected(testNames))
      return 0
   end
   if opts.summary then self:setSummaryOnly(true) end
   if opts.early_abort then self:setEarlyAbort(true) end
   if opts.rethrow then self:setRethrowErrors(true) end
   self._log = opts.log_output
   self._passed, self._failed = {}, {}
   -- torch.Tester:run's steps, so that the error names the line that called run
   local names = self:_selected(testNames)
   self.countasserts = 0
   self.errors = {}
   local counts = self:_run(names)
   self:_report(names, counts)
   if counts.failures + counts.errors > 0 then error('An error was found while running tests!', 2) end
   return 0
end

-- after the tests ran (before the report, so a failing run is logged too)
function Tester:_run(names)
   local counts = parent._run(self, names)
   if self._log then self:_writeLog(names) end
   return counts
end

function Tester:_writeLog(names)
   local errored = {}
   for _, e in ipairs(self.errors) do
      if e.kind == 'error' then errored[e.test] = 1 end
   end
   local f, total = self._log, {0, 0, 0}
   for _, name in ipairs(names) do
      local row = {self._passed[name] or 0, self._failed[name] or 0, errored[name] or 0}
      for k = 1, 3 do total[k] = total[k] + row[k] end
      f:write(name .. ' ' .. table.concat(row, ' ') .. '\n')
   end
   f:write('[total] ' .. table.concat(total, ' ') .. '\n')
   f:close()
   self._log = nil
end

return Tester
