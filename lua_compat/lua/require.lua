-- What `th` sets up before a script runs (trepl), loaded once by the prelude:
--   * require finds penlight (the system's Lua folders, packages/require.py);
--   * a module nobody provides fails with one line naming it, not a search-path dump;
--   * trepl's require: './name' is relative to the calling file, and a plain name falls back to it;
--   * the globals trepl leaves: sys, xlua (loaded before the script, as trepl does, so that its
--     string.split/table.splice helpers are there), penlight's lazy globals (path, stringx,
--     tablex, List, ...) and its string % operator, colorize helpers.
local B, hidden = ...
local P = B.packages.require

for _, dir in ipairs(P.lua_dirs()) do
   package.path = package.path .. ';' .. dir .. '/?.lua;' .. dir .. '/?/init.lua'
end

local lua_require = require
local searchpath = package.searchpath

local function exists(name)
   return package.preload[name] ~= nil or searchpath(name, package.path) ~= nil
      or searchpath(name, package.cpath) ~= nil
end

local function missing(name, level)
   local what = name:match('^pl%.') and ' (penlight: install the Debian package lua-penlight)' or ''
   error(("module '%s' not found: pytorch-lite does not provide the Lua package '%s'%s")
         :format(name, name:match('^[^%.]+'), what), level + 1)
end

-- './x' (and '../x'): x.lua or x/init.lua beside the file calling require
local function relative(name, level)
   local src = debug.getinfo(level + 1, 'S').source
   local dir = '.'
   if src:sub(1, 1) == '@' then dir = src:sub(2):match('^(.*)/[^/]*$') or '.' end
   local base = dir .. '/' .. name
   for _, f in ipairs({base .. '.lua', base, base .. '/init.lua'}) do
      local h = io.open(f, 'r')
      if h then
         h:close()
         return dofile(f), true
      end
   end
   return nil, false
end

function require(name)
   -- a module loaded before (or whose loading failed: Lua's sentinel, 'loop or previous error')
   if package.loaded[name] ~= nil then return lua_require(name) end
   if type(name) ~= 'string' then return lua_require(name) end
   if name:find('^%.') then
      local r, found = relative(name, 2)
      if found then return r end
      missing(name, 2)
   end
   if exists(name) then return lua_require(name) end
   local r, found = relative('./' .. name, 2)
   if found then return r end
   missing(name, 2)
end

-- globals th leaves for scripts (penlight's hook chains after this one)
local lazy = {sys = 'sys', xlua = 'xlua', lfs = false}
setmetatable(_G, {__index = function(t, k)
   if lazy[k] then return require(lazy[k]) end
end})
pcall(require, 'xlua')
if exists('pl') then
   pcall(require, 'pl')
   local ok, text = pcall(require, 'pl.text')
   if ok then text.format_operator() end
end
