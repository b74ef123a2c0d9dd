-- require 'hdf5': torch-hdf5's API on h5py (packages/hdf5.py)
--   local f = hdf5.open(path, mode)        -- 'r', 'r+', 'w', 'w-', 'a' (default)
--   f:write('/a/b', tensor [, options])    -- options: hdf5.DataSetOptions():setChunked(..):setDeflate(..)
--   f:write('/g', {x = tensor, ...})       -- a table writes a group of its entries
--   f:read('/a/b'):all()                   -- the tensor; f:read('/g'):all() or f:all(): tables
--   f:read('/a/b'):partial({1, 2}, {3, 4}) -- 1-based inclusive ranges, one per dimension
--   f:read('/a/b'):dataspaceSize()         -- the dimensions
--   f:close()
local B = ...
local P = B.packages.hdf5
hdf5 = rawget(_G, 'hdf5') or {}
local hdf5 = hdf5

local Options = {}
Options.__index = Options
function hdf5.DataSetOptions() return setmetatable({}, Options) end
function Options:setChunked(...)
   local c = {...}
   if type(c[1]) == 'table' then c = c[1] end
   self.chunks = c
   return self
end
function Options:setDeflate(level) self.deflate = level or 6 return self end

local DataSet = {}
DataSet.__index = DataSet
function DataSet:all() return P.read_all(self._node) end
function DataSet:partial(...) return P.partial(self._node, {...}) end
function DataSet:dataspaceSize() return P.size(self._node) end
function DataSet:__tostring() return '[HDF5DataSet]' end

local File = {}
File.__index = File
function File:read(path)
   return setmetatable({_node = P.node(self._f, path or '/')}, DataSet)
end
function File:all() return P.read_all(P.node(self._f, '/')) end
local function join(a, b) return (a:gsub('/+$', '')) .. '/' .. tostring(b) end
function File:write(path, data, options)
   if type(data) == 'table' and torch.typename(data) == nil then
      for k, v in pairs(data) do self:write(join(path, k), v, options) end
      return
   end
   if not torch.isTensor(data) then
      error('hdf5: write expects a tensor or a table of tensors, got ' .. torch.type(data), 2)
   end
   P.write(self._f, path, data, options and options.chunks, options and options.deflate)
end
function File:close() P.close(self._f) end
function File:__tostring() return '[HDF5File: ' .. self.filename .. ']' end

function hdf5.open(path, mode)
   local f = P.open(path, mode)
   return setmetatable({_f = f, filename = path}, File)
end

return hdf5
