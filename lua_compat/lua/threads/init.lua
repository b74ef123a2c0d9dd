-- require 'threads': torch/threads' pool on worker threads, each a separate Lua state
-- (packages/threads.py); values cross by lua/threads/serialize.lua.
--   local Threads = require 'threads'
--   local pool, results = Threads(n, init1, init2, ...)   -- each initK(threadid) runs in every thread
--   pool:addjob(job, endcallback, ...)   -- job(...) in a thread, endcallback(results) here
--   pool:dojob()  pool:synchronize()  pool:hasjob()  pool:acceptsjob()  pool:haserror()
--   pool:specific(true) then pool:addjob(threadid, job, endcallback, ...)
--   pool:terminate()
--   local m = threads.Mutex()  m:lock()  m:unlock()  m:id()  threads.Mutex(id) (same mutex)
--   local c = threads.Condition()  c:wait(m)  c:signal()  c:broadcast()  threads.Condition(id)
-- `results[threadid]` holds what the last init function returned in each thread.
local B, hidden = ...
local P = B.packages.threads
local S = require 'threads.serialize'
local threads = rawget(_G, 'threads') or {}
_G.threads = threads

local Threads = {__typename = 'threads.Threads'}
Threads.__index = Threads

local function pack(...) return {n = select('#', ...), ...} end
local function pool(self)
   if not self._pool then error('threads: the pool was terminated', 3) end
   return self._pool
end

function Threads.new(N, ...)
   local inits = {}
   for i = 1, select('#', ...) do
      local f = select(i, ...)
      if type(f) ~= 'function' then error('threads.Threads: init functions expected', 2) end
      inits[i] = {S.encode(f)}
   end
   local self = setmetatable({N = N, _callbacks = {}, _nextid = 0, _specific = false}, Threads)
   self._pool = P.new_pool(N, inits, package.path)
   -- a pool nobody holds any more is terminated when collected, as threads' (its errors dropped)
   self.__gc__ = newproxy(true)
   getmetatable(self.__gc__).__gc = function()
      if not rawget(_G, '_lua_compat_closing') then pcall(self.terminate, self) end
   end
   local results = {}
   for i = 1, N do
      local data, objs = P.started(self._pool, i)
      if data then results[i] = S.decode(data, objs) end
   end
   return self, results
end

function Threads:specific(flag)
   if flag == nil then return self._specific end
   self:synchronize()   -- jobs queued so far finish first
   self._specific = flag and true or false
end

function Threads:addjob(...)
   pool(self)
   local target
   local args = pack(...)
   local first = 1
   if self._specific then
      target = args[1]
      if type(target) ~= 'number' or target < 1 or target > self.N then error('thread index expected', 2) end
      first = 2
   end
   local job, callback = args[first], args[first + 1]
   if type(job) ~= 'function' then error('function callback expected', 2) end
   if callback ~= nil and type(callback) ~= 'function' then error('function (or nil) endcallback expected', 2) end
   while not self:acceptsjob(target) do self:dojob() end   -- a full queue: finish jobs first
   self._nextid = self._nextid + 1
   local id = self._nextid
   self._callbacks[id] = callback or false
   local call = {job, {n = args.n - first - 1, unpack(args, first + 2, args.n)}}
   local payload, objs = S.encode(call)
   P.add(self._pool, id, payload, objs, target)
end

function Threads:isrunning() return self._pool ~= nil end
function Threads:hasjob() return self._pool ~= nil and P.pending(self._pool) > 0 end
-- room in the queue (n jobs waiting for a thread, as threads' queues of size n)
function Threads:acceptsjob(idx) return P.queued(pool(self), idx) < self.N end
-- deprecated in threads: errors are raised by dojob as they come
function Threads:haserror() return false end

-- wait for one finished job and run its end callback here; a job's error (or its end
-- callback's) is raised right here, as torch/threads does since it propagates errors at once
-- (pix2pix's data loader then stops with the worker's message, not a later nil)
function Threads:dojob()
   if not self:hasjob() then return end
   local id, ok, data, objs, tid = P.next_result(self._pool)
   local cb = self._callbacks[id]
   self._callbacks[id] = nil
   if not ok then error(data, 0) end
   local res = S.decode(data, objs)
   if cb then
      local cok, msg = xpcall(function() cb(unpack(res, 1, res.n)) end, debug.traceback)
      if not cok then error(('[thread %d endcallback] %s'):format(tid, tostring(msg)), 0) end
   end
end

function Threads:synchronize()
   while self:hasjob() do self:dojob() end
end

function Threads:terminate()
   if self._pool then
      local ok, err = pcall(self.synchronize, self)
      P.close(self._pool)
      self._pool = nil
      if not ok then error(err, 2) end
   end
end

function Threads.serialization(name) end   -- values always cross by our own serializer

-- what a worker state runs (packages/threads.py calls these)
function threads._worker()
   local function run(payload, objs)
      local ok, res = xpcall(function()   -- a job's error comes with its traceback, as in threads
         local call = S.decode(payload, objs)
         local args = call[2]
         return pack(call[1](unpack(args, 1, args.n)))
      end, debug.traceback)
      if not ok then return false, tostring(res) end
      local enc_ok, hex, robjs = pcall(S.encode, res)
      if not enc_ok then return false, tostring(hex) end
      return true, hex, robjs
   end
   local function init(payload, objs, idx)
      local ok, res = pcall(function()
         local f = S.decode(payload, objs)
         return pack(f(idx))
      end)
      if not ok then return false, tostring(res) end
      local enc_ok, hex, robjs = pcall(S.encode, res)
      if not enc_ok then return false, tostring(hex) end
      return true, hex, robjs
   end
   return {run = run, init = init}
end

local Mutex = {__typename = 'threads.Mutex'}
Mutex.__index = Mutex
function Mutex:lock() P.mutex_lock(self._m) end
function Mutex:unlock() P.mutex_unlock(self._m) end
function Mutex:id() return P.mutex_id(self._m) end
function Mutex:free() end
threads.Mutex = setmetatable({}, {__call = function(_, id)
   return setmetatable({_m = P.mutex(id)}, Mutex)
end})

-- threads.Condition(): c:wait(mutex) (the mutex locked), c:signal(), c:broadcast(), c:id();
-- threads.Condition(id) is the same condition in another thread
local Condition = {__typename = 'threads.Condition'}
Condition.__index = Condition
function Condition:wait(m) P.cond_wait(self._c, m._m) end
function Condition:signal() P.cond_signal(self._c) end
function Condition:broadcast() P.cond_broadcast(self._c) end
function Condition:id() return P.cond_id(self._c) end
function Condition:free() end
threads.Condition = setmetatable({}, {__call = function(_, id)
   return setmetatable({_c = P.condition(id)}, Condition)
end})

-- threads.Thread(code): a thread running a string of Lua code in a state of its own; t:free()
-- waits for it to finish
local Thread = {__typename = 'threads.Thread'}
Thread.__index = Thread
function Thread:free()
   if self._t then P.thread_free(self._t) self._t = nil end
end
threads.Thread = setmetatable({}, {__call = function(_, code)
   if type(code) ~= 'string' then error('threads.Thread: a string of Lua code expected', 2) end
   return setmetatable({_t = P.thread(code, package.path)}, Thread)
end})

-- threads.safe(func[, mutex]): func run under a mutex (the same one in every thread the function
-- is sent to), taken before each call and given back after, also when func fails
function threads.safe(func, mutex)
   if type(func) ~= 'function' then error('threads.safe: function, [mutex] expected', 2) end
   if mutex ~= nil and getmetatable(mutex) ~= Mutex then error('threads.safe: function, [mutex] expected', 2) end
   local mutexid = (mutex or threads.Mutex()):id()
   return function(...)
      local function packed(ok, ...) return ok, {n = select('#', ...), ...} end
      local m = require('threads').Mutex(mutexid)
      m:lock()
      local ok, res = packed(pcall(func, ...))
      m:unlock()
      if not ok then error(res[1], 0) end
      return unpack(res, 1, res.n)
   end
end

threads.Threads = setmetatable({}, {
   __index = Threads,
   __call = function(_, ...) return Threads.new(...) end,
})
threads.serialization = Threads.serialization
setmetatable(threads, {__call = function(_, ...) return Threads.new(...) end})
return threads
