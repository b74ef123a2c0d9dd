-- require 'lfs': LuaFileSystem over Python's os (packages/lfs.py).  Failures answer
-- nil, message, errno as the C library does; lfs.dir raises when the folder cannot be opened.
local B = ...
local P = B.packages.lfs
local lfs = {_VERSION = 'LuaFileSystem 1.6.3', _DESCRIPTION = 'LuaFileSystem (pytorch-lite)'}

-- attributes(path [, name | table]): the whole table, one field, or the fields filled in a table
local function attrs(follow)
   return function(path, want)
      local t, err, code = P.attributes(path, follow)
      if not t then return nil, err, code end
      local out = {}
      for k, v in pairs(t) do out[k] = v end
      if type(want) == 'string' then return out[want] end
      if type(want) == 'table' then
         for k, v in pairs(out) do want[k] = v end
         return want
      end
      return out
   end
end
lfs.attributes = attrs(true)
lfs.symlinkattributes = attrs(false)

-- for name in lfs.dir(path): '.', '..' and the entries; a second result is the dir object
-- (with :next() and :close()) as in LuaFileSystem
function lfs.dir(path)
   local names = P.dir(path)
   if names == nil then
      error(('cannot open %s: No such file or directory'):format(tostring(path)), 2)
   end
   local i, closed = 0, false
   local obj = {}
   function obj.next()
      if closed then error('calling \'next\' on bad self (closed directory)', 2) end
      i = i + 1
      local n = names[i]
      if n == nil then closed = true end
      return n
   end
   function obj.close() closed = true return true end
   return function() return obj:next() end, obj
end

lfs.mkdir = P.mkdir
lfs.rmdir = P.rmdir
lfs.currentdir = P.currentdir
lfs.chdir = P.chdir
lfs.touch = P.touch
lfs.link = function(old, new, symlink) return P.link(old, new, symlink and true or false) end
lfs.setmode = function() return true, 'binary' end
lfs.lock = function() return true end
lfs.unlock = function() return true end
lfs.lock_dir = function() return {free = function() end} end
-- LuaFileSystem's luaopen_lfs also sets the global `lfs` (char-rnn calls lfs.mkdir after a bare require)
rawset(_G, 'lfs', lfs)
package.loaded.lfs = lfs
return lfs
