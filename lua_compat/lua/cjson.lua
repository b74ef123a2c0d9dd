-- require 'cjson': lua-cjson's API.  decode is Python's json (packages/cjson.py); encode walks
-- the Lua value here with lua-cjson's rules: a table whose keys are all positive integers is an
-- array (holes are null) unless it is excessively sparse (max index > safe and > ratio * count:
-- an error, or an object when convert is on); any other table is an object whose number keys
-- become strings; empty tables are {}; numbers use %.14g; '/' is escaped as '\/'.
local B = ...
local P = B.packages.cjson

local function new()
   local cjson = {_NAME = 'cjson', _VERSION = '2.1.0', null = P.null}
   local cfg = {convert = false, ratio = 2, safe = 10, precision = 14, max_depth = 1000,
                dec_depth = 1000, invalid = false}

   -- setters return the current settings, as lua-cjson's
   function cjson.encode_sparse_array(convert, ratio, safe)
      if convert ~= nil then cfg.convert = convert and true or false end
      if ratio ~= nil then cfg.ratio = ratio end
      if safe ~= nil then cfg.safe = safe end
      return cfg.convert, cfg.ratio, cfg.safe
   end
   function cjson.encode_number_precision(p)
      if p ~= nil then
         if p < 1 or p > 14 then error('bad argument #1 to \'encode_number_precision\' (expected integer between 1 and 14)', 2) end
         cfg.precision = p
      end
      return cfg.precision
   end
   function cjson.encode_max_depth(d) if d ~= nil then cfg.max_depth = d end return cfg.max_depth end
   function cjson.decode_max_depth(d) if d ~= nil then cfg.dec_depth = d end return cfg.dec_depth end
   function cjson.encode_invalid_numbers(v)
      if v ~= nil then cfg.invalid = v end
      return cfg.invalid
   end
   function cjson.decode_invalid_numbers(v) return true end
   function cjson.encode_keep_buffer(v) return true end

   local ESC = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
                ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
   local function esc(c) return ESC[c] or ('\\u%04x'):format(c:byte()) end
   local function quote(s) return '"' .. s:gsub('[%c"\\/]', esc) .. '"' end

   local function number(n)
      if n ~= n or n == math.huge or n == -math.huge then
         if cfg.invalid == 'null' then return 'null' end
         if cfg.invalid then
            return n ~= n and 'nan' or (n > 0 and 'inf' or '-inf')
         end
         error('Cannot serialise number: must not be NaN or Inf', 0)
      end
      return ('%.' .. cfg.precision .. 'g'):format(n)
   end

   local encode_value
   -- the array length, or nil for an object (lua-cjson's lua_array_length)
   local function array_length(t)
      local max, items = 0, 0
      for k in pairs(t) do
         if type(k) == 'number' and k > 0 and k == math.floor(k) then
            if k > max then max = k end
            items = items + 1
         else
            return nil
         end
      end
      if cfg.ratio > 0 and max > cfg.safe and max > items * cfg.ratio then
         if not cfg.convert then error('Cannot serialise table: excessively sparse array', 0) end
         return nil
      end
      return max
   end

   function encode_value(v, depth, out)
      local tv = type(v)
      if tv == 'string' then out[#out + 1] = quote(v)
      elseif tv == 'number' then out[#out + 1] = number(v)
      elseif tv == 'boolean' then out[#out + 1] = v and 'true' or 'false'
      elseif v == nil or v == P.null then out[#out + 1] = 'null'
      elseif tv == 'table' then
         depth = depth + 1
         if depth > cfg.max_depth then
            error(('Cannot serialise, excessive nesting (%d)'):format(depth), 0)
         end
         local n = array_length(v)
         if n and n > 0 then
            out[#out + 1] = '['
            for i = 1, n do
               if i > 1 then out[#out + 1] = ',' end
               encode_value(v[i], depth, out)
            end
            out[#out + 1] = ']'
         else
            out[#out + 1] = '{'
            local first = true
            for k, e in pairs(v) do
               local tk = type(k)
               if tk ~= 'string' and tk ~= 'number' then
                  error('Cannot serialise ' .. tk .. ': table key must be a number or string', 0)
               end
               if not first then out[#out + 1] = ',' end
               first = false
               out[#out + 1] = tk == 'string' and quote(k) or quote(number(k))
               out[#out + 1] = ':'
               encode_value(e, depth, out)
            end
            out[#out + 1] = '}'
         end
      else
         error('Cannot serialise ' .. tv .. ': type not supported', 0)
      end
   end

   function cjson.encode(v)
      local out = {}
      encode_value(v, 0, out)
      return table.concat(out)
   end

   function cjson.decode(s)
      if type(s) ~= 'string' then
         error(('bad argument #1 to \'decode\' (string expected, got %s)'):format(type(s)), 2)
      end
      return P.decode(s, cfg.dec_depth)
   end

   cjson.new = new
   return cjson
end

local cjson = new()
-- cjson.safe: the same functions answering nil, message instead of raising
local safe = new()
for _, name in ipairs({'encode', 'decode'}) do
   local f = safe[name]
   safe[name] = function(...)
      local ok, r = pcall(f, ...)
      if ok then return r end
      return nil, tostring(r)
   end
end
package.loaded['cjson.safe'] = safe
return cjson
