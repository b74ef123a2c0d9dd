-- require 'argcheck': argument checking and overloading (torch/argcheck 2.0's API).
--   local check = argcheck{ {name='x', type='number', default=0, help='...'}, ... , options }
--   local x, msg = check(...)
-- Rules: name (required), type (a Lua type or torch class name or pattern, see argcheck.env; none:
-- any non-nil value), default / defaulta (another argument's name) / defaultf (a function called
-- when needed) / opt (may be nil), check (an extra test of the value), help or doc.
-- Options: help/doc, call (the checker calls it with the arguments), pack (one table of the
-- arguments by name), nonamed / noordered, quiet (return true/false instead of raising),
-- overload (add this signature to a checker made before; chain is its old name), force
-- (overwrite ambiguous signatures), debug (print the signatures, also return a dot graph).
--
-- How it decides: every signature a rule set allows is listed, once per way each optional
-- argument may be given (passed, left out, or passed as nil in ordered calls), into a tree keyed
-- by argument types, one tree per call form:
--   ordered   f(a, b, c)
--   named     f{x=a, y=b}            (one table argument)
--   method    obj:f{x=a}             (a first rule named 'self', then one table argument)
-- A call is tried as ordered first, then named, then as a named method call; within a tree the
-- signatures are tried in the order they were added (earlier overloads first), and among the ways
-- one rule set can take the same types, the one filling earlier arguments wins.
-- Two rule sets reaching the same signature is an error ('ambiguous') unless the later has force.
local env = require 'argcheck.env'
local doc = require 'argcheck.doc'
local usage = require 'argcheck.usage'

-- how an argument appears in one signature
local HERE, ABSENT, NIL = 1, 2, 3

local function optional(rule)
   return rule.opt or rule.default ~= nil or rule.defaulta ~= nil or rule.defaultf ~= nil
end

local function newnode(typ, name, check)
   return {type = typ, name = name, check = check, kids = {}}
end

-- the child of node with this type/name/check, or nil
local function find(node, typ, name, check)
   for _, kid in ipairs(node.kids) do
      if kid.type == typ and kid.name == name and kid.check == check then return kid end
   end
   return nil
end

-- the same, made if missing
local function child(node, typ, name, check)
   local kid = find(node, typ, name, check)
   if kid then return kid end
   kid = newnode(typ, name, check)
   node.kids[#node.kids + 1] = kid
   return kid
end

-- Two signatures of different rule sets taking the same arguments are ambiguous. Across forms
-- that happens in one place: an ordered call of one plain table (after self, for methods) and a
-- named call giving no field (f{} or obj:f{}). `twin` is the other form's node there; with force
-- the later rule set takes the call from it.
local function settarget(node, rules, mask, form, twin)
   for _, n in ipairs({node, twin}) do
      local t = n.target
      if t and t.rules ~= rules then
         if not rules.force then error('argcheck rules led to ambiguous situations', 0) end
         if n == twin then twin.target = nil end
      end
   end
   node.target = {rules = rules, mask = mask, form = form}
end

local function addpaths(state, rules)
   local n = #rules
   local method = n > 0 and rules[1].name == 'self'
   local mask = {}
   local function add()
      local m = {unpack(mask, 1, n)}
      if not rules.noordered then
         local node, path = state.ordered, {}
         for i = 1, n do
            if m[i] == HERE then
               node = child(node, rules[i].type or false, nil, rules[i].check)
            elseif m[i] == NIL then
               node = child(node, 'nil', nil, nil)
            end
            if m[i] ~= ABSENT then path[#path + 1] = node end
         end
         local twin
         if #path == 1 and node.type == 'table' and not node.check then
            twin = state.named
         elseif #path == 2 and node.type == 'table' and not node.check then
            twin = find(state.methods, path[1].type, nil, path[1].check)
         end
         settarget(node, rules, m, 'O', twin)
      end
      if not rules.nonamed then
         local node, first, twin = state.named, 1, nil
         if method then
            node = child(state.methods, rules[1].type or false, nil, rules[1].check)
            first = 2
         end
         local root = node
         for i = first, n do
            if m[i] == HERE then node = child(node, rules[i].type or false, rules[i].name, rules[i].check) end
         end
         if node == root then
            twin = method and find(state.ordered, root.type, nil, root.check) or state.ordered
            twin = twin and find(twin, 'table', nil, nil)
         end
         settarget(node, rules, m, method and 'M' or 'N', twin)
      end
   end
   -- signatures from the most left out to the most given (passed as nil, left out, passed), so
   -- that where one rule set reaches the same types twice, the one filling earlier arguments
   -- (added last) is kept
   local function walk(i)
      if i > n then return add() end
      if optional(rules[i]) then
         mask[i] = NIL walk(i + 1)
         mask[i] = ABSENT walk(i + 1)
      end
      mask[i] = HERE
      walk(i + 1)
   end
   walk(1)
end

local function accepts(istype, node, v)
   local t = node.type
   if t == 'nil' then return v == nil end
   if v == nil then return false end
   if t and not istype(v, t) then return false end
   return node.check == nil or node.check(v) and true or false
end

-- the target reached from node by args[depth+1..n] (ordered call)
local function matchordered(istype, node, args, n, depth)
   if depth == n then return node.target end
   local v = args[depth + 1]
   for _, kid in ipairs(node.kids) do
      if accepts(istype, kid, v) then
         local t = matchordered(istype, kid, args, n, depth + 1)
         if t then return t end
      end
   end
   return nil
end

-- the target reached from node by `left` more fields of tbl (named call)
local function matchnamed(istype, node, tbl, left)
   if left == 0 then return node.target end
   for _, kid in ipairs(node.kids) do
      if accepts(istype, kid, tbl[kid.name]) then
         local t = matchnamed(istype, kid, tbl, left - 1)
         if t then return t end
      end
   end
   return nil
end

local function count(tbl)
   local k = 0
   for _ in pairs(tbl) do k = k + 1 end
   return k
end

-- the values of all arguments of a matched signature, defaults filled in
local function values(target, args, tbl, self)
   local rules, mask, form = target.rules, target.mask, target.form
   local n = #rules
   local vals, pos, later = {}, 0, nil
   for i = 1, n do
      local rule, m = rules[i], mask[i]
      local v
      if form == 'O' then
         if m ~= ABSENT then pos = pos + 1 v = args[pos] end
      elseif form == 'M' and i == 1 then
         v = self
      elseif m == HERE then
         v = tbl[rule.name]
      end
      if m ~= HERE then
         if rule.default ~= nil then v = rule.default
         elseif rule.defaultf then v = rule.defaultf()
         elseif rule.defaulta ~= nil then later = later or {} later[#later + 1] = i
         end
      end
      vals[i] = v
   end
   -- defaulta: copied once every other argument is known
   for _, i in ipairs(later or {}) do
      for j = 1, n do
         if rules[j].name == rules[i].defaulta then vals[i] = vals[j] break end
      end
   end
   return vals, n
end

-- what the checker returns for a matched signature
local function finish(target, vals, n)
   local rules = target.rules
   if rules.pack then
      -- a named method call packs all but self, which comes first (argcheck's way)
      local packed, first = {}, target.form == 'M' and 2 or 1
      for i = first, n do packed[rules[i].name] = vals[i] end
      if first == 2 then vals, n = {vals[1], packed}, 2 else vals, n = {packed}, 1 end
   end
   if rules.quiet then
      if rules.call then return rules.call, unpack(vals, 1, n) end
      return true, unpack(vals, 1, n)
   end
   if rules.call then return rules.call(unpack(vals, 1, n)) end
   return unpack(vals, 1, n)
end

local function usagetext(state, n, args, tableat)
   local texts = {}
   for i, rules in ipairs(state.sets) do texts[i] = usage.text(rules, true) end
   return ('%s\n\n%s\n\ninvalid arguments!'):format(
      table.concat(texts, '\n\nor\n\n'), usage.got(n, args, tableat))
end

-- the signature a call matches: target, and the named table and self where they apply
local function lookup(state, n, args)
   local istype = state.istype
   local target = matchordered(istype, state.ordered, args, n, 0)
   if target then return target end
   if n == 1 and istype(args[1], 'table') then
      local tbl = args[1]
      target = matchnamed(istype, state.named, tbl, count(tbl))
      if target then return target, tbl end
   end
   if n == 2 and istype(args[2], 'table') then
      local tbl = args[2]
      for _, selfnode in ipairs(state.methods.kids) do
         if accepts(istype, selfnode, args[1]) then
            target = matchnamed(istype, selfnode, tbl, count(tbl))
            if target then return target, tbl, args[1] end
         end
      end
   end
   return nil
end

local function failure(state, n, args)
   local istype = state.istype
   local tableat = (n == 1 and istype(args[1], 'table') and 1)
                   or (n == 2 and istype(args[2], 'table') and 2) or nil
   return usagetext(state, n, args, tableat)
end

local function validate(rules)
   local function need(ok, msg) if not ok then error('argcheck: ' .. msg, 4) end end
   need(type(rules) == 'table', 'expects a table of rules')
   need(not (rules.noordered and rules.nonamed), 'rules must be at least ordered or named')
   need(rules.help == nil or type(rules.help) == 'string', 'rules help must be a string or nil')
   need(rules.doc == nil or type(rules.doc) == 'string', 'rules doc must be a string or nil')
   need(not (rules.doc and rules.help), 'choose between doc or help, not both')
   need(rules.call == nil or type(rules.call) == 'function', 'rules call must be a function or nil')
   need(rules.chain == nil or type(rules.chain) == 'function', 'rules chain must be a function or nil')
   need(rules.overload == nil or type(rules.overload) == 'function', 'rules overload must be a function or nil')
   need(not (rules.chain and rules.overload), 'rules must have either overload [or chain (deprecated)]')
   local byname = {}
   for i, rule in ipairs(rules) do
      need(type(rule) == 'table', ('rule %d must be a table'):format(i))
      need(type(rule.name) == 'string', ('rule %d must have a name field'):format(i))
      need(rule.type == nil or type(rule.type) == 'string', ('rule <%s>: type must be a string or nil'):format(rule.name))
      need(rule.help == nil or type(rule.help) == 'string', ('rule <%s>: help must be a string or nil'):format(rule.name))
      need(rule.doc == nil or type(rule.doc) == 'string', ('rule <%s>: doc must be a string or nil'):format(rule.name))
      need(rule.check == nil or type(rule.check) == 'function', ('rule <%s>: check must be a function or nil'):format(rule.name))
      need(rule.defaulta == nil or type(rule.defaulta) == 'string', ('rule <%s>: defaulta must be a string or nil'):format(rule.name))
      need(rule.defaultf == nil or type(rule.defaultf) == 'function', ('rule <%s>: defaultf must be a function or nil'):format(rule.name))
      byname[rule.name] = true
   end
   for _, rule in ipairs(rules) do
      need(rule.defaulta == nil or byname[rule.defaulta], ('invalid defaulta name <%s>'):format(tostring(rule.defaulta)))
   end
   if rules[1] and rules[1].name == 'self' then
      need(not optional(rules[1]), 'self cannot be optional, nor having a default value!')
   end
end

-- a dot graph of the signature trees (debug=true)
local function dotgraph(state)
   local lines, ids = {'digraph ACN {'}, {}
   local function id(node)
      if not ids[node] then ids[node] = 'n' .. (#lines) .. '_' .. tostring(#ids) end
      return ids[node]
   end
   local nextid = 0
   local function walk(node, label)
      nextid = nextid + 1
      local me = 'id' .. nextid
      lines[#lines + 1] = ('%s [label="%s" style=filled fillcolor="%s"];'):format(
         me, label, node.target and '#aaaaaa' or '#eeeeee')
      for _, kid in ipairs(node.kids) do
         local kl = tostring(kid.type or 'any') .. (kid.check and ' <check>' or '')
                    .. (kid.name and (' (' .. kid.name .. ')') or '')
         local kidid = walk(kid, kl)
         lines[#lines + 1] = ('%s -> %s;'):format(me, kidid)
      end
      return me
   end
   walk(state.ordered, '@ ordered')
   walk(state.named, '@ named')
   walk(state.methods, '@ method')
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

local function describe(state)
   local out = {}
   local function walk(node, path, form)
      if node.target then
         out[#out + 1] = ('%s(%s)'):format(form, table.concat(path, ', '))
      end
      for _, kid in ipairs(node.kids) do
         path[#path + 1] = (kid.name and (kid.name .. '=') or '') .. tostring(kid.type or 'any')
         walk(kid, path, form)
         path[#path] = nil
      end
   end
   walk(state.ordered, {}, 'ordered ')
   walk(state.named, {}, 'named ')
   for _, selfnode in ipairs(state.methods.kids) do walk(selfnode, {'self=' .. tostring(selfnode.type)}, 'method ') end
   return table.concat(out, '\n')
end

local function argcheck(rules)
   validate(rules)

   local base = rules.overload or rules.chain
   local sets = {}
   if base then
      local prev
      for i = 1, math.huge do
         local name, value = debug.getupvalue(base, i)
         if name == nil then break end
         if name == 'argcheck_state' then prev = value break end
      end
      if not prev then error('trying to overload a non-argcheck function', 2) end
      for i, s in ipairs(prev.sets) do sets[i] = s end
   end
   sets[#sets + 1] = rules

   local state = {sets = sets, istype = env.istype,
                  ordered = newnode(), named = newnode(), methods = newnode(), quiet = true}
   for _, s in ipairs(sets) do
      local ok, err = pcall(addpaths, state, s)
      if not ok then error(err, 2) end
      state.quiet = state.quiet and s.quiet and true or false
   end

   if rules.help or rules.doc then doc(usage.text(rules)) end

   local argcheck_state = state
   local function check(...)
      local n, args = select('#', ...), {...}
      local target, tbl, self = lookup(argcheck_state, n, args)
      if target then return finish(target, values(target, args, tbl, self)) end
      local text = failure(argcheck_state, n, args)
      if argcheck_state.quiet then return false, text end
      error(text, 2)   -- at the line calling the checker
   end
   if rules.debug then
      print(describe(state))
      return check, dotgraph(state)
   end
   return check
end

env.argcheck = argcheck

return argcheck
