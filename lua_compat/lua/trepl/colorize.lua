-- require 'trepl.colorize': c.red('text') wraps text in that colour and a reset
local colors = require 'trepl.colors'
local f = {}
for name in pairs(colors) do
   f[name] = function(txt) return colors[name] .. tostring(txt) .. colors.none end
end
return f
