-- The text argcheck shows: one rule set's usage (its help with @ARGP and @ARGT filled in, or the
-- argument table alone), and what a failed call got.
local env = require 'argcheck.env'

local usage = {}

local function optional(rule)
   return rule.opt or rule.default ~= nil or rule.defaulta ~= nil or rule.defaultf ~= nil
end

-- @ARGP: the argument list of a signature line, "self, list, load[, path]"
function usage.argp(rules)
   local parts = {}
   for i, rule in ipairs(rules) do
      local sep = i == 1 and '' or ', '
      parts[i] = optional(rule) and ('[' .. sep .. rule.name .. ']') or (sep .. rule.name)
   end
   return table.concat(parts)
end

local function default_note(rule)
   if rule.defaulta ~= nil then return (' [defaulta=%s]'):format(rule.defaulta) end
   if rule.defaultf ~= nil then return ' [has default]' end
   local d = rule.default
   if type(d) == 'string' or type(d) == 'number' or type(d) == 'boolean' then
      return (' [default=%s]'):format(tostring(d))
   end
   if d ~= nil then return ' [has default value]' end
   return ''
end

-- @ARGT: a markdown block, one line per argument: name = type, help, default.
-- '(' and ')' mark ordered calls, '{' and '}' named ones.
function usage.argt(rules)
   local width = 0
   for _, rule in ipairs(rules) do width = math.max(width, #rule.name) end
   local decls = {}
   for i, rule in ipairs(rules) do
      local decl = rule.name .. (' '):rep(width - #rule.name) .. ' = ' .. (rule.type or 'any')
      decls[i] = optional(rule) and ('[' .. decl .. ']') or (' ' .. decl)
   end
   local dwidth = 0
   for _, d in ipairs(decls) do dwidth = math.max(dwidth, #d) end
   local lines = {'```', (rules.noordered and '' or '(') .. (rules.nonamed and '' or '{')}
   for i, rule in ipairs(rules) do
      local help = (rule.help or '') .. (rule.doc or '')
      help = help == '' and default_note(rule):sub(2) or help .. default_note(rule)
      lines[#lines + 1] = ('  %s %s -- %s'):format(decls[i], (' '):rep(dwidth - #decls[i]), help)
   end
   lines[#lines + 1] = (rules.nonamed and '' or '}') .. (rules.noordered and '' or ')')
   lines[#lines + 1] = '```'
   return table.concat(lines, '\n')
end

-- the documentation of one rule set: its help/doc with @ARGP and @ARGT replaced (what
-- argcheck.doc records). For an error, `full` adds the argument table when the help lacks it.
function usage.text(rules, full)
   local help = rules.help or rules.doc
   if not help then return 'Arguments:\n' .. usage.argt(rules) end
   local hasargt = help:find('@ARGT', 1, true)
   help = help:gsub('@ARGP', function() return usage.argp(rules) end)
   help = help:gsub('@ARGT', function() return usage.argt(rules) end)
   if full and not hasargt then help = help .. '\nArguments:\n' .. usage.argt(rules) end
   return help
end

-- "Got: number, table={ x=number }": the types a failed call passed
function usage.got(n, args, tableat)
   local parts = {}
   for i = 1, n do
      local v = args[i]
      if i == tableat then
         local fields, count = {}, 0
         for k, f in pairs(v) do
            count = count + 1
            if count > 20 then fields[#fields + 1] = '...' break end
            if type(k) == 'string' then
               fields[#fields + 1] = ('%s=%s'):format(k, env.type(f))
            else
               fields[#fields + 1] = ('[%s]=%s'):format(env.type(k), env.type(f))
            end
         end
         table.sort(fields)
         parts[i] = ('table={ %s }'):format(table.concat(fields, ', '))
      else
         parts[i] = env.type(v)
      end
   end
   return 'Got: ' .. (n == 0 and 'no arguments' or table.concat(parts, ', '))
end

return usage
