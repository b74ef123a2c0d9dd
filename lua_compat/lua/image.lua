-- require 'image': torch/image's API over pytorch_lite.image (Python side: packages/image.py)
local B = ...
image = rawget(_G, 'image') or {}
for name, f in pairs(B.packages.image) do image[name] = f end
-- torch/image functions not provided here fail with a clear message rather than 'attempt to
-- call a nil value' (image.lena/fabio need pictures that are not shipped)
local missing = {'warp', 'affinetransform', 'polar', 'logpolar', 'lcn', 'erode', 'dilate',
                 'gaussianpyramid', 'rgb2lab', 'lab2rgb', 'rgb2nrgb', 'y2jet', 'drawText',
                 'lena', 'fabio', 'window'}
for _, name in ipairs(missing) do
   if image[name] == nil then
      image[name] = function()
         error('image.' .. name .. ' is not provided by pytorch-lite', 2)
      end
   end
end
return image
