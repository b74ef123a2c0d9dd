-- require 'paths': file-system helpers
local B = ...
paths = rawget(_G, 'paths') or {}
for name, f in pairs(B.paths) do paths[name] = f end
return paths
