-- require 'trepl': th's REPL helpers a script may call (the REPL itself is not run): colours,
-- noColors, import (a package's symbols as globals), who
local trepl = {colors = require 'trepl.colors', colorize = require 'trepl.colorize'}
function _G.noColors()
   for k in pairs(trepl.colors) do trepl.colors[k] = '' end
end
function _G.import(name, forced)
   local ret = require(name)
   local symbols = rawget(_G, name) or (type(ret) == 'table' and ret) or {}
   for k, v in pairs(symbols) do
      if rawget(_G, k) == nil or forced then _G[k] = v end
   end
end
function _G.who()
   for k, v in pairs(_G) do print(k, type(v)) end
end
return trepl
