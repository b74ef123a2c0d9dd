-- torch.packageLuaPath, torch.include and the global include (torch7's init.lua): how a Lua
-- package made of several files loads them (rnn, dpnn, totem: torch.include('totem', 'nn.lua')).

-- the folder a package's init.lua (or name.lua) is found in along package.path; with no name,
-- the folder holding the torch package itself
function torch.packageLuaPath(name)
   if not name then
      return (torch.packageLuaPath('torch') or ''):match('(.*)/')
   end
   for template in package.path:gmatch('[^;]+') do
      local file = template:gsub('%?', (name:gsub('%%', '%%%%')))
      local f = io.open(file, 'r')
      if f then
         f:close()
         return file:match('(.*)/') or '.'
      end
   end
end

-- run file from the folder of package pkg (an error names both when it is not found)
function torch.include(pkg, file)
   local dir = torch.packageLuaPath(pkg)
   if not dir then
      error(("torch.include: package '%s' is not on package.path"):format(tostring(pkg)), 2)
   end
   return dofile(dir .. '/' .. file)
end

-- include(file): a file beside the calling one (paths.dofile)
rawset(_G, 'include', function(file, depth)
   return require('paths').dofile(file, 3 + (depth or 0))
end)
