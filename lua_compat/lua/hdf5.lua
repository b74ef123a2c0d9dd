-- require 'hdf5': deepmind/torch-hdf5's API on h5py (packages/hdf5.py)
--   local f = hdf5.open(path [, mode])      -- 'a' (default: 'r+' if it exists, else 'w'), 'r', 'r+', 'w', 'w-'
--   f:write('/a/b', tensor [, options])     -- groups on the way are made; a table writes a group of its entries
--   f:append('/a/b', tensor)                -- grows a chunked dataset along its first dimension
--   f:read('/a/b'):all()                    -- the tensor; f:read('/g'):all() or f:all(): nested tables
--   f:read('/a/b'):partial({1, 2}, 3)       -- 1-based inclusive ranges (or one index) per dimension
--   f:read('/a/b'):dataspaceSize()          -- {d1, d2, ...}
--   hdf5.DataSetOptions():setChunked(32, 32):setDeflate(6)
--   f:close()
-- The classes are torch-hdf5's: hdf5.HDF5File, hdf5.HDF5Group, hdf5.HDF5DataSet, hdf5.DataSetOptions.
-- Their objects hold ids and names only, so an open HDF5File survives torch.MemoryFile's
-- writeObject/readObject within the process (torch-hdf5's testSerialization).
local B = ...
local P = B.packages.hdf5
hdf5 = rawget(_G, 'hdf5') or {}
local hdf5 = hdf5
local unpack = unpack or table.unpack

hdf5.version = P.version()

-- logging: quiet unless hdf5.debugMode() is called ------------------------------------------------
-- a message with the place in the script that led to it (the first caller outside this file)
local here = debug.getinfo(1, 'S').source
local function log(msg)
   local level, info = 3, nil
   repeat
      info = debug.getinfo(level, 'Sl')
      level = level + 1
   until not info or (info.source ~= here and info.what ~= 'C' and info.currentline > 0
                      and not info.source:find('<python>', 1, true))
   local where = info and (info.short_src .. ':' .. info.currentline) or 'hdf5'
   print(where .. ' ' .. msg)
end
hdf5._logger = {debug = function() end, warn = log, error = log}
hdf5._debugMode = false
function hdf5.debugMode()
   hdf5._debugMode = true
   hdf5._logger.debug = log
end
function hdf5._inDebugMode() return hdf5._debugMode end

-- 'a/b//c/' -> {'a', 'b', 'c'}: the names on an HDF5 path
local function split_path(datapath, method)
   if type(datapath) == 'table' then
      local copy = {}
      for i, v in ipairs(datapath) do copy[i] = tostring(v) end
      return copy
   end
   if type(datapath) ~= 'string' then
      error(method .. '() expects a data path (a string) as its first parameter, got ' .. type(datapath), 3)
   end
   local names = {}
   for name in datapath:gmatch('[^/]+') do names[#names + 1] = name end
   return names
end

-- re-raise err at the caller's caller, unless it already names a place (errors from Python do)
local function rethrow(err, level)
   if type(err) == 'string' and err:match('^[^\n]-:%d+: ') then error(err, 0) end
   error(err, level + 1)
end

local function rest(names)
   return {unpack(names, 2)}
end

-- Files and groups have a `write` method, which torch.File's writeObject would take for the
-- object's own serializer: __write/__read (found first) write and read their fields as a table.
-- A group's parent and its cache of children stay out (ids and names are all it needs), so no
-- cycle runs through these self-writing objects; reading puts them back.
local function write_fields(object, file)
   local fields = {}
   for k, v in pairs(object) do
      if k ~= '_parent' and k ~= '_children' then fields[k] = v end
   end
   file:writeObject(fields)
end
local function read_fields(object, file)
   for k, v in pairs(file:readObject()) do object[k] = v end
   if object._groupID then object._children = {} end
   if object._rootGroup then object._rootGroup._parent = object end
end

-- DataSetOptions -------------------------------------------------------------------------------------
local DataSetOptions = torch.class('hdf5.DataSetOptions')

function DataSetOptions:__init()
   self._chunking = nil
   self._deflate = nil
end

function DataSetOptions:setChunked(...)
   local sizes = {...}
   if type(sizes[1]) == 'table' then sizes = sizes[1] end
   if #sizes == 0 then
      error('DataSetOptions:setChunked() - give the chunk size in each dimension', 2)
   end
   for k, size in ipairs(sizes) do
      if type(size) ~= 'number' or size < 1 or size ~= math.floor(size) then
         error('DataSetOptions:setChunked() - chunk sizes must be positive integers; size ' .. k
               .. ' is ' .. tostring(size), 2)
      end
   end
   self._chunking = {unpack(sizes)}
   return self
end

function DataSetOptions:setDeflate(level)
   level = level or 6
   if type(level) ~= 'number' or level < 0 or level > 9 or level ~= math.floor(level) then
      error('DataSetOptions:setDeflate() - the level must be an integer from 0 to 9, got ' .. tostring(level), 2)
   end
   self._deflate = level
   return self
end

-- the chunk size to write `tensor` with: as many sizes as it has dimensions, none larger than it
local function chunksFor(options, tensor)
   local chunking = options._chunking
   if not chunking then return nil end
   if #chunking ~= tensor:nDimension() then
      error('Chunk size must have same number of dimensions as data! Chunk size has '
            .. #chunking .. ' dimensions; data has ' .. tensor:nDimension(), 0)
   end
   local chunks = {}
   for k, size in ipairs(chunking) do chunks[k] = math.min(size, tensor:size(k)) end
   return chunks
end

-- torch-hdf5's method: shrinks the options' own chunk size to the tensor's
function DataSetOptions:adjustForData(tensor)
   local chunks = chunksFor(self, tensor)
   if chunks then self._chunking = chunks end
end

function DataSetOptions:creationProperties()
   return {chunking = self._chunking, deflate = self._deflate}
end

function DataSetOptions:close() end

function DataSetOptions:__tostring()
   local chunking = self._chunking and table.concat(self._chunking, 'x') or 'none'
   return '[DataSetOptions: chunking=' .. chunking .. ']'
end

-- HDF5DataSet ----------------------------------------------------------------------------------------
local HDF5DataSet = torch.class('hdf5.HDF5DataSet')

function HDF5DataSet:__init(parent, datasetID)
   assert(parent, 'HDF5DataSet needs its parent group')
   assert(type(datasetID) == 'number', 'HDF5DataSet needs a dataset id')
   self._parent = parent
   self._datasetID = datasetID
   hdf5._logger.debug('Initialising ' .. tostring(self))
end

function HDF5DataSet:__tostring()
   local ok, d = pcall(P.describe, self._datasetID)
   return '[HDF5DataSet ' .. (ok and d or '(' .. tostring(self._datasetID) .. ' closed)') .. ']'
end

function HDF5DataSet:all()
   return P.read_all(self._datasetID)
end

function HDF5DataSet:partial(...)
   local n = select('#', ...)
   local firsts, lasts = {}, {}
   for k = 1, n do
      local range = select(k, ...)
      if type(range) == 'number' then
         firsts[k], lasts[k] = range, range
      elseif type(range) == 'table' and type(range[1]) == 'number' and type(range[2]) == 'number' then
         firsts[k], lasts[k] = range[1], range[2]
      else
         error('HDF5DataSet:partial() - range ' .. k .. ' must be an index or {first, last}, got '
               .. tostring(range), 2)
      end
   end
   return P.partial(self._datasetID, firsts, lasts)
end

function HDF5DataSet:dataspaceSize()
   return P.size(self._datasetID)
end

-- the constructor of the tensor type this dataset reads as, and its HDF5 element type ('<f4')
function HDF5DataSet:getTensorFactory()
   local typename, h5type = P.tensor_type(self._datasetID)
   local ctor = torch[typename:match('^torch%.(.*)$')]
   return function(...) return ctor(...) end, h5type
end

-- chunk sizes (or nil), deflate level (or nil), maximum sizes (-1: unlimited) of this dataset
function HDF5DataSet:layout()
   return P.layout(self._datasetID)
end

function HDF5DataSet:close() end

-- HDF5Group ------------------------------------------------------------------------------------------
local HDF5Group = torch.class('hdf5.HDF5Group')

function HDF5Group:__init(parent, groupID)
   assert(parent, 'HDF5Group needs its parent')
   assert(type(groupID) == 'number', 'HDF5Group needs a group id')
   self._parent = parent
   self._groupID = groupID
   self._children = {}   -- name -> HDF5Group or HDF5DataSet, filled as they are reached
   hdf5._logger.debug('Initialising ' .. tostring(self))
end

HDF5Group.__write, HDF5Group.__read = write_fields, read_fields

function HDF5Group:__tostring()
   local ok, d = pcall(P.describe, self._groupID)
   local name = ok and d:match('^%(%d+ (.*) %u+%)$') or 'closed'
   return '[HDF5Group ' .. tostring(self._groupID) .. ' ' .. name .. ']'
end

-- the child called `name` (a group or dataset object), or nil when there is none
function HDF5Group:_child(name)
   local child = self._children[name]
   if child then return child end
   local id, kind = P.child(self._groupID, name)
   if not id then return nil end
   if kind == 'group' then
      child = hdf5.HDF5Group(self, id)
   else
      child = hdf5.HDF5DataSet(self, id)
   end
   self._children[name] = child
   return child
end

function HDF5Group:createChild(name)
   assert(name, 'no name given for child')
   name = tostring(name)
   hdf5._logger.debug("Creating child '" .. name .. "' of " .. tostring(self))
   local child = hdf5.HDF5Group(self, P.create_group(self._groupID, name))
   self._children[name] = child
   return child
end

function HDF5Group:getOrCreateChild(name)
   name = tostring(name)
   return self:_child(name) or self:createChild(name)
end

function HDF5Group:_read(names)
   if #names == 0 then return self end
   local key = names[1]
   local child = self:_child(key)
   if not child then
      error("HDF5Group:read() - no such child '" .. key .. "' for " .. tostring(self), 0)
   end
   if #names == 1 then return child end
   if torch.typename(child) ~= 'hdf5.HDF5Group' then
      error("HDF5Group:read() - '" .. key .. "' in " .. tostring(self) .. ' is a dataset, not a group', 0)
   end
   hdf5._logger.debug("Descending into child '" .. key .. "' of " .. tostring(self))
   return child:_read(rest(names))
end

function HDF5Group:read(datapath)
   local names = split_path(datapath or {}, 'HDF5Group:read')
   local ok, res = pcall(self._read, self, names)
   if not ok then rethrow(res, 2) end
   return res
end

function HDF5Group:all()
   local out = {}
   for _, name in ipairs(P.names(self._groupID)) do
      out[name] = self:_child(name):all()
   end
   return out
end

function HDF5Group:_put(method, names, data, options)
   if #names == 0 then error('HDF5Group: descended too far', 0) end
   local key = names[1]
   if #names > 1 or type(data) == 'table' then
      local child = self:getOrCreateChild(key)
      if torch.typename(child) ~= 'hdf5.HDF5Group' then
         error('HDF5Group:' .. method .. "() - '" .. key .. "' in " .. tostring(self)
               .. ' is a dataset, not a group', 0)
      end
      if #names > 1 then return child:_put(method, rest(names), data, options) end
      for k, v in pairs(data) do child:_put(method, {tostring(k)}, v, options) end
      return
   end
   if not torch.isTensor(data) then
      if type(data) == 'userdata' then error('torch-hdf5: writing non-Tensor userdata is not supported', 0) end
      error('torch-hdf5: writing data of type ' .. type(data) .. ' is not supported', 0)
   end
   local typename = torch.typename(data)
   hdf5._logger.debug(method .. ' ' .. typename .. " as '" .. key .. "' in " .. tostring(self))
   if method == 'write' then
      local chunks = options and chunksFor(options, data)
      local deflate = options and options._deflate
      self._children[key] = hdf5.HDF5DataSet(self, P.write(self._groupID, key, data, typename, chunks, deflate))
   else
      local child = self:_child(key)
      if not child then
         error("HDF5Group:append() - no dataset '" .. key .. "' in " .. tostring(self)
               .. ' to append to (write it first, chunked)', 0)
      end
      if torch.typename(child) ~= 'hdf5.HDF5DataSet' then
         error("HDF5Group:append() - '" .. key .. "' in " .. tostring(self) .. ' is a group, not a dataset', 0)
      end
      P.append(child._datasetID, data, typename)
   end
end

local function put(self, method, datapath, data, options)
   local names = split_path(datapath, 'HDF5Group:' .. method)
   if data == nil then error('HDF5Group:' .. method .. '() requires data as parameter', 3) end
   local ok, err = pcall(self._put, self, method, names, data, options)
   if not ok then rethrow(err, 3) end
end
function HDF5Group:write(datapath, data, options) put(self, 'write', datapath, data, options) end
function HDF5Group:append(datapath, data, options) put(self, 'append', datapath, data, options) end

function HDF5Group:close() end

-- HDF5File -------------------------------------------------------------------------------------------
local HDF5File = torch.class('hdf5.HDF5File')

function HDF5File:__init(filename, fileID, rootID)
   assert(type(filename) == 'string', 'HDF5File needs a filename - perhaps you want hdf5.open()?')
   assert(type(fileID) == 'number', 'HDF5File needs a file id - perhaps you want hdf5.open()?')
   self._filename = filename
   self._fileID = fileID
   hdf5._logger.debug('Opening ' .. tostring(self))
   self._rootGroup = hdf5.HDF5Group(self, rootID or (P.child(fileID, '')))
end

HDF5File.__write, HDF5File.__read = write_fields, read_fields

function HDF5File:filename() return self._filename end

function HDF5File:__tostring()
   local ok, d = pcall(P.describe, self._fileID)
   return '[HDF5File: ' .. (ok and d or '(' .. tostring(self._fileID) .. ' closed)') .. ' ' .. self._filename .. ']'
end

function HDF5File:close()
   hdf5._logger.debug('Closing ' .. tostring(self))
   P.close(self._fileID)
end

-- prints the HDF5 objects of this file held open, as torch-hdf5's; returns how many
function HDF5File:_printOpenObjects()
   local objects = P.open_objects(self._fileID)
   local lines = {}
   for i, d in ipairs(objects) do lines[i] = ' * ' .. d .. '\n' end
   print('File ' .. tostring(self) .. ' has ' .. #objects .. ' open objects.\n' .. table.concat(lines))
   return #objects
end

local function file_put(self, method, datapath, data, options)
   if type(datapath) ~= 'string' then
      error('HDF5File:' .. method .. '() requires a data path (a string) as its first parameter', 3)
   end
   if not (torch.isTensor(data) or type(data) == 'table') then
      error('HDF5File:' .. method .. '() requires a tensor or table as its second parameter, got '
            .. torch.type(data), 3)
   end
   local names = split_path(datapath)
   local ok, err
   if #names == 0 then
      if type(data) ~= 'table' then
         error('HDF5File:' .. method .. '() - must provide a table when writing to the root location', 3)
      end
      ok, err = pcall(function()
         for k, v in pairs(data) do self._rootGroup:_put(method, {tostring(k)}, v, options) end
      end)
   else
      ok, err = pcall(self._rootGroup._put, self._rootGroup, method, names, data, options)
   end
   if not ok then rethrow(err, 3) end
end
function HDF5File:write(datapath, data, options) file_put(self, 'write', datapath, data, options) end
function HDF5File:append(datapath, data, options) file_put(self, 'append', datapath, data, options) end

function HDF5File:read(datapath)
   datapath = datapath or '/'
   P.describe(self._fileID)   -- a closed file says so
   hdf5._logger.debug('Reading ' .. tostring(datapath) .. ' from ' .. tostring(self))
   local ok, res = pcall(self._rootGroup._read, self._rootGroup, split_path(datapath, 'HDF5File:read'))
   if not ok then rethrow(res, 2) end
   return res
end

function HDF5File:all()
   return self:read('/'):all()
end

function HDF5File.open(filename, mode)
   local fileID, rootID, path = P.open(filename, mode)
   return hdf5.HDF5File(path, fileID, rootID)
end

function hdf5.open(filename, mode)
   return hdf5.HDF5File.open(filename, mode)
end

-- hdf5._testUtils: what torch-hdf5's own tests use ---------------------------------------------------
hdf5._testUtils = {}

-- func(dir) with a new temporary directory, removed afterwards (also when func fails)
function hdf5._testUtils.withTmpDir(func)
   local dir = P.mkdtemp()
   local ok, err = pcall(func, dir)
   P.rmtree(dir)
   if not ok then error(err, 0) end
end

-- a and b hold the same keys all the way down, and their tensors are of one type and size and
-- differ by at most epsilon in total: true, or false, why, and the two parts that differ
function hdf5._testUtils.deepAlmostEq(a, b, epsilon)
   epsilon = epsilon or 0
   local ta, tb = torch.typename(a) or type(a), torch.typename(b) or type(b)
   if ta ~= tb then return false, 'type mismatch', a, b end
   if ta == 'table' then
      for k in pairs(a) do
         if b[k] == nil then return false, 'mismatching table keys', a, b end
      end
      for k, v in pairs(b) do
         if a[k] == nil then return false, 'mismatching table keys', a, b end
         local same, why, pa, pb = hdf5._testUtils.deepAlmostEq(a[k], v, epsilon)
         if not same then return false, why, pa, pb end
      end
   elseif torch.isTensor(a) then
      if not a:isSameSizeAs(b) then return false, 'size mismatch', a, b end
      local diff = a:nElement() == 0 and 0 or (a:double() - b:double()):abs():sum()
      if diff > epsilon then
         return false, 'tensor values differ by ' .. diff .. ' > ' .. epsilon, a, b
      end
   end
   return true
end

return hdf5
