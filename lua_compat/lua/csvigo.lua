-- require 'csvigo': load/save CSV files as csvigo does (values stay strings).
--   load{path=, separator=',', mode='tidy'|'raw'|'query'|'large', header=true, verbose=true, skip=0}
--   save{path=, data=, separator=',', mode='autodetect'|'raw'|'tidy'|'query', header=true, verbose=true}
-- Parsing and quoting are Python's csv (packages/csvigo.py).
local B = ...
local P = B.packages.csvigo
require 'xlua'
csvigo = rawget(_G, 'csvigo') or {}
local csvigo = csvigo

local function vprinter(verbose)
   return function(...) if verbose then print('<csv>', ...) end end
end

-- a function answering query('all'|'vars'|'union'|'inter'|'help', {var = val or {vals}})
local function make_query(tidy)
   local revidx = {}
   for var, vals in pairs(tidy) do
      revidx[var] = {}
      for i, val in ipairs(vals) do
         revidx[var][val] = revidx[var][val] or {}
         table.insert(revidx[var][val], i)
      end
   end
   return function(query, varvals)
      query = query or 'all'
      if query == 'help' then
         print("query('all'), query('vars'), query('union', {var = {vals}}), query('inter', {var = {vals}})")
         return
      elseif query == 'vars' then
         local vars = {}
         for k in pairs(tidy) do vars[#vars + 1] = k end
         return vars
      elseif query == 'all' then
         return tidy
      end
      local wanted = {}
      for var, vals in pairs(varvals or {}) do
         wanted[var] = type(vals) == 'table' and vals or {vals}
      end
      local indices = {}
      if query == 'union' then
         for var, vals in pairs(wanted) do
            for _, val in ipairs(vals) do
               for _, idx in ipairs((revidx[var] or {})[tostring(val)] or {}) do indices[#indices + 1] = idx end
            end
         end
      elseif query == 'inter' then
         local count, nvars = {}, 0
         for var, vals in pairs(wanted) do
            local seen = {}
            for _, val in ipairs(vals) do
               for _, idx in ipairs((revidx[var] or {})[tostring(val)] or {}) do
                  if not seen[idx] then seen[idx] = true count[idx] = (count[idx] or 0) + 1 end
               end
            end
            nvars = nvars + 1
         end
         for idx, c in pairs(count) do if c == nvars then indices[#indices + 1] = idx end end
      else
         error('csvigo query: unknown query ' .. tostring(query) .. ' (all | vars | union | inter | help)', 2)
      end
      table.sort(indices)
      local filtered = {}
      for k in pairs(tidy) do filtered[k] = {} end
      for n, i in ipairs(indices) do
         if i ~= indices[n - 1] then
            for k in pairs(tidy) do table.insert(filtered[k], tidy[k][i]) end
         end
      end
      return filtered
   end
end

function csvigo.load(...)
   local args, path, separator, mode, header, verbose, skip = xlua.unpack({...}, 'csvigo.load',
      'Load a CSV file: raw (list of rows) | tidy (column name -> values) | query (a query function)',
      {arg = 'path', type = 'string', help = 'path to file', req = true},
      {arg = 'separator', type = 'string', help = 'separator (one character)', default = ','},
      {arg = 'mode', type = 'string', help = 'load mode: raw | tidy | query | large', default = 'tidy'},
      {arg = 'header', type = 'boolean', help = 'file has a header (variable names)', default = true},
      {arg = 'verbose', type = 'boolean', help = 'verbose load', default = true},
      {arg = 'skip', type = 'number', help = 'skip this many lines at start of file', default = 0})
   local vprint = vprinter(verbose)
   vprint('parsing file: ' .. path)
   local rows = P.read_rows(path, separator)
   if mode == 'raw' or mode == 'large' then
      vprint('parsing done')
      return rows
   elseif mode ~= 'tidy' and mode ~= 'query' then
      error('csvigo.load: unknown mode ' .. tostring(mode) .. ' (raw | tidy | query | large)', 2)
   end
   vprint('tidying up entries')
   local tidy, names = {}, {}
   local start = 1 + skip
   if header ~= false and header ~= 'false' then
      names = rows[start] or {}
      start = start + 1
   else
      for i = 1, #(rows[start] or {}) do names[i] = 'var_' .. i end
   end
   for _, key in ipairs(names) do tidy[key] = {} end
   for i = start, #rows do
      for j, val in ipairs(rows[i]) do
         if names[j] then table.insert(tidy[names[j]], val) end
      end
   end
   if mode == 'tidy' then
      vprint('returning tidy table')
      return tidy
   end
   vprint('generating reversed index for fast queries')
   return make_query(tidy)
end

function csvigo.save(...)
   local args, path, data, separator, mode, header, verbose = xlua.unpack({...}, 'csvigo.save',
      'Save a table as a CSV file: raw (list of rows) | tidy (column name -> values) | query',
      {arg = 'path', type = 'string', help = 'path to file', req = true},
      {arg = 'data', type = 'table', help = 'table to save as a CSV file', req = true},
      {arg = 'separator', type = 'string', help = 'separator (one character)', default = ','},
      {arg = 'mode', type = 'string', help = 'raw | tidy | query', default = 'autodetect'},
      {arg = 'header', type = 'boolean', help = 'table has a header (variable names)', default = true},
      {arg = 'verbose', type = 'boolean', help = 'verbose save', default = true})
   local vprint = vprinter(verbose)
   vprint('writing to file: ' .. path)
   if mode == 'autodetect' then
      if type(data) == 'function' then mode = 'query'
      elseif type(data) == 'table' then mode = #data == 0 and 'tidy' or 'raw'
      else error('cannot autodetect mode, incorrect data type', 2) end
   end
   local rows = {}
   local function cell(v) return type(v) == 'string' and v or tostring(v) end
   if mode == 'raw' then
      for i, row in ipairs(data) do
         rows[i] = {}
         for j, v in ipairs(row) do rows[i][j] = cell(v) end
      end
   elseif mode == 'tidy' or mode == 'query' then
      if mode == 'query' then data = data('all') end
      local vars = {}
      for var in pairs(data) do vars[#vars + 1] = var end
      if header then rows[1] = {} for j, var in ipairs(vars) do rows[1][j] = cell(var) end end
      local off = #rows
      for j, var in ipairs(vars) do
         for i, v in ipairs(data[var]) do
            rows[off + i] = rows[off + i] or {}
            rows[off + i][j] = cell(v)
         end
      end
   else
      error('csvigo.save: unknown mode ' .. tostring(mode) .. ' (raw | tidy | query)', 2)
   end
   P.write_rows(path, rows, separator)
   vprint('writing done')
end

-- csvigo.File(path, mode, separator): one record per line; a field in '"' may hold the separator
-- and doubled quotes; fields holding the separator or '"' are written quoted
local File = {}
File.__index = File
function csvigo.File(path, mode, separator)
   local f, msg = io.open(path, mode)
   if not f then error(msg, 2) end
   return setmetatable({file = f, separator = separator or ','}, File)
end
local function fromcsv(line, sep)
   local t, pos, n = {}, 1, #line
   while true do
      if line:sub(pos, pos) == '"' then
         local buf, i = {}, pos + 1
         while true do
            local q = line:find('"', i, true)
            if not q then error('unmatched "', 3) end
            buf[#buf + 1] = line:sub(i, q - 1)
            if line:sub(q + 1, q + 1) == '"' then buf[#buf + 1] = '"' i = q + 2 else pos = q + 1 break end
         end
         t[#t + 1] = table.concat(buf)
         local nxt = line:find(sep, pos, true)
         if not nxt then return t end
         pos = nxt + #sep
      else
         local nxt = line:find(sep, pos, true)
         if not nxt then t[#t + 1] = line:sub(pos) return t end
         t[#t + 1] = line:sub(pos, nxt - 1)
         pos = nxt + #sep
      end
      if pos > n + 1 then return t end
   end
end
local function tocsv(row, sep)
   local out = {}
   for i, v in ipairs(row) do
      v = tostring(v)
      if v:find('"', 1, true) or v:find(sep, 1, true) then v = '"' .. v:gsub('"', '""') .. '"' end
      out[i] = v
   end
   return table.concat(out, sep)
end
function File:read()
   local line = self.file:read('*l')
   return line and fromcsv(line, self.separator)
end
function File:readall()
   local res = {}
   for line in self.file:lines() do res[#res + 1] = fromcsv(line, self.separator) end
   return res
end
function File:lines() return self.file:lines() end
function File:write(row) self.file:write(tocsv(row, self.separator), '\n') end
function File:writeall(rows) for _, r in ipairs(rows) do self:write(r) end end
function File:close() self.file:close() end

return csvigo
