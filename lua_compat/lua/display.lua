-- require 'display': szym/display's client API (display.image, images, plot, text, audio,
-- configure) without its browser server: each window (pane) is a file in the display folder
-- ($PYTORCH_LITE_DISPLAY_DIR, as image.display's), written over when the same window is drawn
-- again: display_<win>.png for images, display_<win>.csv for plots (dygraphs' rows, a header of
-- labels), display_<win>.txt for text.  Like the real client with no server listening, drawing
-- never stops the script; the first drawing of each window says where it went.
local B = ...
local P = B.packages.display
require 'image'
local display = {url = 'http://localhost:8000/events'}

local next_pane = 0
local function uid()
   next_pane = next_pane + 1
   return 'pane_' .. next_pane
end

local told = {}
local function pane_file(win, ext, title)
   local name = tostring(win):gsub('[^%w_%-]', '-')
   local path = paths.concat(P.dir(), 'display_' .. name .. '.' .. ext)
   if not told[path] then
      told[path] = true
      print(("display: no display server here; '%s' goes to %s"):format(tostring(title or win), path))
   end
   return path
end

-- the client's rescaling to 0..1 (opts.min/max, else the image's own range), as a FloatTensor
local function normalize(img, opts)
   local min = opts.min or img:min()
   local max = opts.max or img:max()
   local out = torch.FloatTensor(img:size()):copy(img)
   out:add(-min)
   if max ~= min then out:mul(1 / (max - min)) end
   return out
end

function display.configure(config)
   local port = config.port or 8000
   local hostname = config.hostname or '127.0.0.1'
   display.url = 'http://' .. hostname .. ':' .. port .. '/events'
end

-- img: HxW, 1xHxW or 3xHxW; a batch (NxCxHxW, or a 3D tensor of more than 3 planes) or a table
-- of images is laid out as display.images does
function display.image(img, opts)
   opts = opts or {}
   if type(img) == 'table' then return display.images(img, opts) end
   if img:dim() == 4 or (img:dim() == 3 and img:size(1) > 3) then
      local list = {}
      for i = 1, img:size(1) do list[i] = img[i] end
      return display.images(list, opts)
   end
   local win = opts.win or uid()
   image.save(pane_file(win, 'png', opts.title), normalize(img, opts))
   return win
end

-- images side by side, nperrow in a row (default: ceil(sqrt(#images))), each in its own cell of
-- the largest image's size on a 0.5 grey canvas; grey images take the canvas's channels
function display.images(images, opts)
   opts = opts or {}
   local nperrow = opts.nperrow or math.ceil(math.sqrt(#images))
   local planes, height, width = 1, 0, 0
   local list = {}
   for i, img in ipairs(images) do
      if opts.normalize then img = normalize(img, opts) end
      list[i] = img
      if img:dim() == 3 then planes = math.max(planes, img:size(1)) end
      height = math.max(height, img:size(img:dim() - 1))
      width = math.max(width, img:size(img:dim()))
   end
   local rows = math.ceil(#list / nperrow)
   local canvas = torch.FloatTensor(planes, height * rows, width * nperrow):fill(0.5)
   for i, img in ipairs(list) do
      local row, col = math.floor((i - 1) / nperrow), (i - 1) % nperrow
      local h, w = img:size(img:dim() - 1), img:size(img:dim())
      if img:dim() == 2 then img = img:view(1, h, w):expand(planes, h, w) end
      canvas:narrow(2, height * row + 1, h):narrow(3, width * col + 1, w):copy(img)
   end
   return display.image(canvas, opts)
end

-- data: a 2D tensor or a list of rows {x, y1, y2, ...}; opts.labels names the columns
function display.plot(data, opts)
   opts = opts or {}
   local rows = {}
   if torch.isTensor(data) then
      for i = 1, data:size(1) do
         local row = {}
         for j = 1, data:size(2) do row[j] = data[i][j] end
         rows[i] = row
      end
   else
      rows = data
   end
   local win = opts.win or uid()
   local f = assert(io.open(pane_file(win, 'csv', opts.title), 'w'))
   if opts.labels then f:write(table.concat(opts.labels, ','), '\n') end
   for _, row in ipairs(rows) do
      local cells = {}
      for j, v in ipairs(row) do cells[j] = ('%.14g'):format(v) end
      f:write(table.concat(cells, ','), '\n')
   end
   f:close()
   return win
end

function display.text(text, opts)
   opts = opts or {}
   local win = opts.win or uid()
   local f = assert(io.open(pane_file(win, 'txt', opts.title), 'w'))
   f:write(tostring(text))
   f:close()
   return win
end

-- as the client does without torch's audio package
function display.audio(data, opts)
   print('Warning: audio package could not be loaded. Skipping audio.')
end

return display
