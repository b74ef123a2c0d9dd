-- require 'image': torch/image's API over pytorch_lite.image (Python side: packages/image.py)
local B = ...
require 'dok'   -- Torch7's image loaded dok, and scripts (image's own tests) use it
image = rawget(_G, 'image') or {}
for name, f in pairs(B.packages.image) do image[name] = f end

-- Torch7's table of loaders, savers and sizers by extension, as a Lua table of the functions
-- above (so `image.supported_filetypes.png.loader(path)` works as it did)
local filetypes = {
   jpg = {loader = image.loadJPG, saver = image.saveJPG, sizer = image.getJPGsize},
   png = {loader = image.loadPNG, saver = image.savePNG, sizer = image.getPNGsize},
   ppm = {loader = image.loadPPM, saver = image.savePPM, sizer = image.getPPMsize},
   pgm = {loader = image.loadPPM, saver = image.savePGM, sizer = image.getPPMsize},
}
filetypes.JPG, filetypes.JPEG, filetypes.jpeg = filetypes.jpg, filetypes.jpg, filetypes.jpg
filetypes.PNG, filetypes.PPM, filetypes.PGM = filetypes.png, filetypes.ppm, filetypes.pgm
image.supported_filetypes = filetypes

-- gaussianpyramid returns a table of levels; (dst, src, scales) fills the caller's own table
local pyramid = image.gaussianpyramid
image.gaussianpyramid = function(...)
   local res = {pyramid(...)}
   local dst = ...
   if select('#', ...) == 3 and type(dst) == 'table' then
      for i = 1, #res do dst[i] = res[i] end
      return dst
   end
   return res
end
return image
