-- require 'paths': file-system helpers
local B = ...
paths = rawget(_G, 'paths') or {}
for name, f in pairs(B.paths) do paths[name] = f end
local listdir = paths.listdir
paths.listdir = nil
-- iterators over a directory (nil when it is not one), as paths.files/iterfiles/iterdirs
local function iter(kind)
   return function(dir, filter)
      local names = listdir(dir, kind)
      if names == nil then return function() return nil end end
      names = B.to_lua(names)
      local i = 0
      return function()
         while true do
            i = i + 1
            local n = names[i]
            if n == nil then return nil end
            if filter == nil or (type(filter) == 'string' and n:find(filter)) or
               (type(filter) == 'function' and filter(n)) then return n end
         end
      end
   end
end
paths.files = iter(nil)
paths.iterfiles = iter('f')
paths.iterdirs = iter('d')
paths.dir = function(dir)
   local names = listdir(dir, nil)
   return names and B.to_lua(names)
end
return paths
