-- require 'md5': the md5.lua API (packages/md5.py, hashlib's MD5)
--   md5.sum(s) the 16-byte digest; md5.sumhexa(s) its 32 hex digits; md5.tohex(bytes)
--   local m = md5.new()  m:update(s) ...  m:finish() (the digest), m:hexdigest()
local B = ...
local P = B.packages.md5
local md5 = {}

function md5.sum(s) return P.sum(s) end
function md5.sumhexa(s) return P.sumhexa(s) end
md5.sumhex = md5.sumhexa
function md5.tohex(s)
   return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))
end

local Stream = {}
Stream.__index = Stream
function Stream:update(s) P.update(self._h, s) return self end
function Stream:finish() return P.digest(self._h) end
function Stream:hexdigest() return P.hexdigest(self._h) end
function md5.new() return setmetatable({_h = P.new()}, Stream) end

return md5
