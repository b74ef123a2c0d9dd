-- require 'argcheck.doc': collects markdown documentation while a package loads (torchnet writes
-- its README this way). Nothing is kept unless recording:
--   doc.record()        start collecting
--   doc[[ text ]]       add text (doc.doc(text) too); every argcheck{} with help/doc adds its
--                       usage (help with @ARGP/@ARGT filled in)
--   doc.stop()          stop, returning everything collected as one string
local doc = {}

function doc.record()
   doc.__record = {}
end

function doc.stop()
   local text = table.concat(doc.__record or {})
   doc.__record = nil
   return text
end

function doc.doc(text)
   if doc.__record then
      table.insert(doc.__record, text)
   end
end

return setmetatable(doc, {__call = function(_, ...) return doc.doc(...) end})
