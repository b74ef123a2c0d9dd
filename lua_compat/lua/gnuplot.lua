-- require 'gnuplot': Torch7's gnuplot API drawn with matplotlib into files (packages/gnuplot.py)
local B = ...
gnuplot = rawget(_G, 'gnuplot') or {}
for name, f in pairs(B.packages.gnuplot) do gnuplot[name] = f end
return gnuplot
