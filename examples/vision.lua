-- A legacy Torch7 vision script: `pytorch-lite run examples/vision.lua [-out DIR]`
-- image load -> scale -> crop -> a small convnet forward -> the feature maps as an image and
-- the class scores as a gnuplot PNG.  examples/shapes.png is a 64x48 picture of three shapes.
require 'torch'
require 'nn'
require 'image'
require 'gnuplot'

local cmd = torch.CmdLine()
cmd:text('Run a small convnet on an image and plot what comes out')
cmd:option('-image', paths.concat(paths.dirname(arg[0]), 'shapes.png'), 'input image')
cmd:option('-out', '.', 'directory for features.png and scores.png')
cmd:option('-seed', 1, 'random seed (the convnet is untrained)')
local opt = cmd:parse(arg)
torch.manualSeed(opt.seed)

local img = image.load(opt.image, 3, 'float')          -- 3xHxW, values in [0, 1]
print(string.format('loaded %s: %dx%dx%d', paths.basename(opt.image), img:size(1), img:size(2), img:size(3)))
local small = image.scale(img, 40, 30)                 -- bilinear, as Torch7 computes it
local patch = image.crop(small, 'c', 28, 28)           -- the centre 28x28
patch = image.rgb2yuv(patch)
for c = 1, 3 do                                        -- per-channel standardisation
   local ch = patch[c]
   ch:add(-ch:mean())
   local sd = ch:std()
   if sd > 0 then ch:div(sd) end
end

local net = nn.Sequential()
net:add(nn.SpatialConvolution(3, 8, 5, 5))             -- 8x24x24
net:add(nn.ReLU())
net:add(nn.SpatialMaxPooling(2, 2, 2, 2))              -- 8x12x12
net:add(nn.SpatialConvolution(8, 16, 5, 5))            -- 16x8x8
net:add(nn.ReLU())
net:add(nn.SpatialMaxPooling(2, 2, 2, 2))              -- 16x4x4
net:add(nn.View(16 * 4 * 4))
net:add(nn.Linear(16 * 4 * 4, 10))
net:add(nn.SoftMax())
net:float()

local scores = net:forward(patch)
local p, k = scores:max(1)
print(string.format('top class %d  p = %.4f', k[1], p[1]))

local maps = image.toDisplayTensor{input = net:get(1).output, padding = 1, nrow = 4}
local features = paths.concat(opt.out, 'features.png')
image.save(features, image.scale(maps, maps:size(2) * 4, maps:size(1) * 4, 'simple'))

local plot = paths.concat(opt.out, 'scores.png')
gnuplot.pngfigure(plot)
gnuplot.plot({'softmax', torch.range(1, 10), scores:double(), '|'})
gnuplot.xlabel('class')
gnuplot.ylabel('probability')
gnuplot.title('untrained convnet on ' .. paths.basename(opt.image))
gnuplot.plotflush()
gnuplot.close()
print('wrote ' .. features .. ' and ' .. plot)
