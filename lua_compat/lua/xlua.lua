-- require 'xlua': the progress bar and a few helpers
local B = ...
xlua = rawget(_G, 'xlua') or {}
local last = -1
function xlua.progress(current, goal)
   local width = 40
   local done = math.floor(current / goal * width + 0.5)
   if done == last and current ~= goal then return end
   last = done
   io.write('\r [' .. string.rep('=', done) .. string.rep('.', width - done) .. '] ' .. current .. '/' .. goal)
   if current >= goal then io.write('\n') last = -1 end
   io.flush()
end
function xlua.require(name) local ok, m = pcall(require, name) return ok and m or nil end
function xlua.print(...) print(...) end
return xlua
