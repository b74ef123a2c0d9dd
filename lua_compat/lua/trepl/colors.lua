-- require 'trepl.colors': the ANSI escapes trepl colours with (sys.COLORS' table)
require 'sys'
local c = {}
for k, v in pairs(sys.COLORS) do c[k] = v end
return c
