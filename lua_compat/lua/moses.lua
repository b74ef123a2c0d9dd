-- moses (Yonaba's utility library, the 1.x API that torch/nn used): the helpers Torch7's nn
-- and its tests call, written for this runtime (callbacks get (key, value) as in moses 1.x)
local _ = {}

function _.isNaN(n) return type(n) == 'number' and n ~= n end
function _.isNumber(v) return type(v) == 'number' end
function _.isString(v) return type(v) == 'string' end
function _.isTable(v) return type(v) == 'table' end
function _.isFunction(v) return type(v) == 'function' end
function _.isNil(v) return v == nil end
function _.isBoolean(v) return type(v) == 'boolean' end
function _.isEmpty(v)
   if v == nil then return true end
   if type(v) == 'string' then return #v == 0 end
   if type(v) == 'table' then return next(v) == nil end
   return true
end

-- tables ------------------------------------------------------------------------------------------
function _.each(t, f, ...) for k, v in pairs(t) do f(k, v, ...) end end
function _.map(t, f, ...)
   local out = {}
   for k, v in pairs(t) do out[k] = f(k, v, ...) end
   return out
end
function _.reduce(t, f, state)
   for _, v in pairs(t) do
      if state == nil then state = v else state = f(state, v) end
   end
   return state
end
function _.select(t, f, ...)
   local out = {}
   for k, v in pairs(t) do if f(k, v, ...) then out[#out + 1] = v end end
   return out
end
_.filter = _.select
function _.reject(t, f, ...)
   local out = {}
   for k, v in pairs(t) do if not f(k, v, ...) then out[#out + 1] = v end end
   return out
end
function _.detect(t, value)
   for k, v in pairs(t) do
      if (type(value) == 'function' and value(v)) or v == value then return k end
   end
end
_.find = _.detect
function _.include(t, value) return _.detect(t, value) ~= nil end
_.contains = _.include
function _.count(t, value)
   local n = 0
   for _, v in pairs(t) do if value == nil or v == value then n = n + 1 end end
   return n
end
function _.size(...)
   local t = ...
   if type(t) == 'table' then local n = 0 for _ in pairs(t) do n = n + 1 end return n end
   return select('#', ...)
end
function _.sum(t) local s = 0 for _, v in ipairs(t) do s = s + v end return s end
function _.max(t, f)
   local best
   for _, v in pairs(t) do
      local x = f and f(v) or v
      if best == nil or x > best then best = x end
   end
   return best
end
function _.min(t, f)
   local best
   for _, v in pairs(t) do
      local x = f and f(v) or v
      if best == nil or x < best then best = x end
   end
   return best
end
function _.keys(t) local out = {} for k in pairs(t) do out[#out + 1] = k end return out end
function _.values(t) local out = {} for _, v in pairs(t) do out[#out + 1] = v end return out end
function _.clone(t, shallow)
   if type(t) ~= 'table' then return t end
   local out = {}
   for k, v in pairs(t) do out[k] = (shallow or type(v) ~= 'table') and v or _.clone(v) end
   return out
end

-- arrays ------------------------------------------------------------------------------------------
function _.indexOf(array, value)
   for i = 1, #array do if array[i] == value then return i end end
end
function _.lastIndexOf(array, value)
   for i = #array, 1, -1 do if array[i] == value then return i end end
end
function _.range(from, to, step)
   if to == nil then from, to = 0, from end
   step = step or (from <= to and 1 or -1)
   local out = {}
   for v = from, to, step do out[#out + 1] = v end
   return out
end
function _.reverse(array)
   local out = {}
   for i = #array, 1, -1 do out[#out + 1] = array[i] end
   return out
end
function _.append(a, b)
   local out = {}
   for i = 1, #a do out[#out + 1] = a[i] end
   for i = 1, #b do out[#out + 1] = b[i] end
   return out
end
function _.flatten(array, shallow)
   local out = {}
   for _, v in ipairs(array) do
      if type(v) == 'table' then
         local inner = shallow and v or _.flatten(v)
         for _, e in ipairs(inner) do out[#out + 1] = e end
      else
         out[#out + 1] = v
      end
   end
   return out
end
function _.slice(array, first, last)
   local out = {}
   for i = first or 1, last or #array do out[#out + 1] = array[i] end
   return out
end
function _.first(array, n)
   n = n or 1
   return _.slice(array, 1, math.min(n, #array))
end
function _.last(array, n)
   n = n or 1
   return _.slice(array, math.max(#array - n + 1, 1), #array)
end
function _.identity(v) return v end
-- the values that are not nil or false, renumbered 1..n in key order (rnn's AbstractRecurrent
-- compacts its step-indexed clones with it: the order of the steps must stay)
function _.compact(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b)
      if type(a) == 'number' and type(b) == 'number' then return a < b end
      if type(a) == 'number' then return true end
      if type(b) == 'number' then return false end
      return tostring(a) < tostring(b)
   end)
   local out = {}
   for _, k in ipairs(keys) do if t[k] then out[#out + 1] = t[k] end end
   return out
end
function _.isFinite(v) return type(v) == 'number' and v > -math.huge and v < math.huge end

return _
