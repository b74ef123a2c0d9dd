-- require 'image': torch/image's API over pytorch_lite.image (Python side: packages/image.py)
local B = ...
image = rawget(_G, 'image') or {}
for name, f in pairs(B.packages.image) do image[name] = f end
return image
