-- The command line of a totem test script (`th test_x.lua [options] [test1 [test2...]]`), read as
-- totem reads it through penlight's lapp, without needing penlight:
--   * -h / --help anywhere: the usage on stderr, exit status 1;
--   * --name, --name=value, --name:value; `--` ends the options; every other word is a test
--     name (a Lua pattern), kept at [1], [2], ...;
--   * an unknown option (short ones included) or a missing value: '<script>: <why>' and the
--     usage on stderr, exit status 1;
--   * option names keep their dashes on the command line and become underscores in the result
--     (--early-abort -> opts.early_abort); --log-output FILE opens FILE for writing
--     (opts.log_output, its name in opts.log_output_name).
local options = {}

-- name, whether it takes a value, help
local SPEC = {
   {'list', false, 'print the names of the tests (those named, or all) instead of running them'},
   {'log-output', true, 'write one line per test to the file given: its name, its passed\n'
      .. '        asserts, its failed asserts and its errors (0 or 1), then a [total] line'},
   {'no-colour', false, 'no colours in the report (this Tester never writes any)'},
   {'summary', false, "report each test's status and the counts, without the failure messages"},
   {'full-tensors', false, 'accepted for compatibility: tensors in messages are always in full'},
   {'early-abort', false, 'stop at the first test that fails or raises an error'},
   {'rethrow', false, 'run tests unprotected: an error (or failed assert) stops the script\n'
      .. '        with its own traceback'},
}
local TAKES_VALUE = {}
for _, o in ipairs(SPEC) do TAKES_VALUE[o[1]] = o[2] end

-- the options' part of the usage text (totem.Tester.CLoptions)
local lines = {}
for _, o in ipairs(SPEC) do
   lines[#lines + 1] = string.format('    --%s%s %s', o[1], o[2] and ' FILE' or '', o[3])
end
options.text = table.concat(lines, '\n') .. '\n'

function options.usage(script)
   return 'Run tests\n\nUsage:\n\n  ' .. tostring(script)
      .. ' [options] [test1 [test2...] ]\n\nOptions:\n\n' .. options.text
      .. '\nWith test names (Lua patterns), only the tests they match run; else all of them.\n\n'
end

local function script_name(script)
   return (tostring(script):gsub('.+[\\/]', ''):gsub('%.%a+$', ''))
end

-- stderr, then exit status 1 (as lapp.quit)
local function quit(script, why, show_usage)
   if why then io.stderr:write(script_name(script) .. ': ' .. why .. '\n\n') end
   if show_usage then io.stderr:write(options.usage(script)) end
   os.exit(1)
end

-- argv: the script's `arg` table (arg[0] the script); returns the options table
function options.parse(argv)
   local script = argv[0] or 'test'
   local words = {}
   for i = 1, #argv do words[i] = tostring(argv[i]) end
   for _, w in ipairs(words) do
      if w == '-h' or w == '--help' then quit(script, nil, true) end
   end
   local out = {}
   local i, flags_done = 1, false
   while i <= #words do
      local w = words[i]
      if not flags_done and w == '--' then
         flags_done = true
      elseif not flags_done and w:sub(1, 2) == '--' and #w > 2 then
         local name, value = w:sub(3), nil
         local cut = name:find('[=:]')
         if cut then name, value = name:sub(1, cut - 1), name:sub(cut + 1) end
         local takes = TAKES_VALUE[name]
         if takes == nil and (name == 'h' or name == 'help') then quit(script, nil, true) end
         if takes == nil then quit(script, 'unrecognized parameter: ' .. name, true) end
         if takes then
            if value == nil then
               i = i + 1
               value = words[i]
            end
            if value == nil then quit(script, name .. ' was expecting a value', true) end
            local f, err = io.open(value, 'w')
            if not f then quit(script, err, false) end
            out.log_output, out.log_output_name = f, value
         else
            out[(name:gsub('%-', '_'))] = true
            -- a value given to a flag is an ordinary word, as lapp leaves it
            if value ~= nil then table.insert(words, i + 1, value) end
         end
      elseif not flags_done and w:sub(1, 1) == '-' and #w > 1 then
         -- no short options: lapp names the first letter (or the text before '=')
         local body = w:sub(2)
         local cut = body:find('[=:]')
         quit(script, 'unrecognized parameter: ' .. (cut and body:sub(1, cut - 1) or body:sub(1, 1)), true)
      else
         out[#out + 1] = w
      end
      i = i + 1
   end
   return out
end

return options
