-- xlua.OptionParser(usage): torch/xlua's optparse-like parser of the global `arg`
--   op:option{'-t', '--threads', action = 'store' | 'store_true' | 'store_false', dest = 'threads',
--             help = '...', default = 2, req = true, metavar = 'N'}
--   local opt, rest = op:parse()     -- 'store' values stay strings, as in xlua
--   op:help()  op:fail(msg)  op:summarize()  op:tostring(generatefilename, params)
local Parser = {}
Parser.__index = Parser

function xlua.OptionParser(usage)
   local self = setmetatable({usage = usage, option_descriptions = {}, option_of = {}}, Parser)
   self:option{'-h', '--help', action = 'store_true', dest = 'help', help = 'show this help message and exit'}
   return self
end

function Parser:option(desc)
   table.insert(self.option_descriptions, desc)
   for _, flag in ipairs(desc) do self.option_of[flag] = desc end
end

function Parser:fail(msg)
   io.stderr:write(msg .. '\n')
   self:help()
   os.exit(1)
end

function Parser:parse(options)
   options = options or {}
   local rest = {}
   for _, d in ipairs(self.option_descriptions) do
      if d.default ~= nil and options[d.dest] == nil then options[d.dest] = d.default end
   end
   if not arg then
      options.__main__ = false
      self.options = options
      return options, rest
   end
   options.__main__ = true
   -- '--name=value' is '--name' 'value'
   local argv = {}
   for _, a in ipairs(arg) do
      local flag, val = a:match('^(%-%-%w+)=(.*)')
      if flag then argv[#argv + 1] = flag argv[#argv + 1] = val else argv[#argv + 1] = a end
   end
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local d = self.option_of[a]
      if d then
         local action, val = d.action, nil
         if action == nil or action == 'store' then
            i = i + 1
            val = argv[i] or d.default
            if not val then self:fail('option requires an argument ' .. a) end
         else
            val = action == 'store_true'
         end
         options[d.dest] = val
      elseif a:match('^%-') then
         self:fail('invalid option ' .. a)
      else
         rest[#rest + 1] = a
      end
      i = i + 1
   end
   for flag, d in pairs(self.option_of) do
      if d.req and not options[d.dest] then self:fail('option ' .. flag .. ' requires an argument ') end
   end
   if options.help then
      self:help()
      os.exit()
   end
   self.options = options
   return options, rest
end

-- '-t N, --threads=N' for a storing option, the bare flags otherwise
function Parser:flags(d)
   local out = {}
   for _, flag in ipairs(d) do
      local tail = ''
      if d.action == nil or d.action == 'store' then
         local meta = d.metavar or d.dest:upper()
         tail = #flag == 2 and (' ' .. meta) or ('=' .. meta)
      end
      out[#out + 1] = flag .. tail
   end
   return table.concat(out, ', ')
end

function Parser:help()
   local prog = (arg and arg[0]) or 'THISPROG'
   io.stdout:write('Usage: ' .. self.usage:gsub('%%prog', prog) .. '\n\nOptions:\n')
   local pad = 0
   for _, d in ipairs(self.option_descriptions) do pad = math.max(pad, #self:flags(d)) end
   for _, d in ipairs(self.option_descriptions) do
      local extra = d.req and ' [REQUIRED]' or (d.default and (' [default = ' .. tostring(d.default) .. ']') or '')
      local f = self:flags(d)
      io.stdout:write('  ' .. f .. string.rep(' ', pad - #f) .. '  ' .. (d.help or '') .. extra .. '\n')
   end
end

function Parser:tostring(generatefilename, params)
   if not generatefilename then
      local s = '<' .. ((arg and arg[0]) or 'interpreted.lua'):gsub('.lua', '') .. '> configuration:\n'
      for k, v in pairs(self.options) do s = s .. ' + ' .. k .. ' = ' .. tostring(v) .. '\n' end
      return s
   end
   local parts = {}
   for _, d in ipairs(self.option_descriptions) do
      local key, keep = d[1], #(params or {}) == 0
      for _, p in ipairs(params or {}) do if p == key then keep = true end end
      local v = self.options[d.dest]
      if v and keep then parts[#parts + 1] = key .. '=' .. tostring(v) end
   end
   return (table.concat(parts, ','):gsub('/', '|'):gsub(' ', '_'))
end

function Parser:summarize(compact) io.write(self:tostring(compact)) end
return xlua.OptionParser
