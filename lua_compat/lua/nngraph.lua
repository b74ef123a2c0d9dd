-- require 'nngraph': only when pytorch_lite.nngraph exists
local B, hidden = ...
if not B.has_class('nn.gModule') then error('nngraph is not available in this pytorch_lite build', 2) end
require 'nn'
require 'graph'   -- as Torch7's nngraph: the global `graph` (graph.dot(g.fg, ...))
nngraph = rawget(_G, 'nngraph') or {}
local classes = hidden.namespace('nngraph')
nngraph.Node = classes.Node
-- nngraph's table adaptors (nngraph/JustElement.lua, JustTable.lua): {x} -> x and x -> {x}
nngraph.JustElement = classes.JustElement
nngraph.JustTable = classes.JustTable
nngraph.gModule = nn.gModule

-- nngraph's operator syntax (its init.lua): `-m` is m(), and `x - m` is m(x) whether x is a node,
-- a table of nodes or another module's node, so `local e2 = e1 - nn.ReLU(true) - nn.Linear(4, 4)`
local Module = torch.getmetatable('nn.Module')
Module.__unm__ = function(m) return m() end
Module.__sub__ = function(prev, nxt) return nxt(prev) end
nngraph.Node.__sub__ = function(prev, nxt) return nxt(prev) end

-- nngraph.nest(x): one node standing for a nested table of nodes, so a gModule can output (or a
-- module take) nested tables: a node is itself, {n} becomes JustTable()({n}) (a one-element table),
-- a longer list an Identity over its entries, each nested the same way
local function nest(x)
   if torch.typename(x) == 'nngraph.Node' then return x end
   if type(x) ~= 'table' or #x == 0 then
      error('what is this in the nest input? ' .. tostring(x), 3)
   end
   if #x == 1 then return nngraph.JustTable()(x) end
   local children = {}
   for i, child in ipairs(x) do children[i] = nest(child) end
   return nn.Identity()(children)
end
function nngraph.nest(...)
   local n = select('#', ...)
   if n > 1 then error('Use {input1, input2} to pass multiple inputs.', 2) end
   if n == 0 or (...) == nil then error('Pass an input.', 2) end
   return nest((...))
end
-- nngraph.annotateNodes([level]): each local variable of the calling function (level 1, or
-- further up) that holds a node without a name gives the node its name, as nngraph's does
function nngraph.annotateNodes(level)
   level = (level or 1) + 1
   local i = 1
   while true do
      local name, v = debug.getlocal(level, i)
      if name == nil then break end
      if torch.typename(v) == 'nngraph.Node' and not v.data.annotations.name then
         v:annotate({name = name})
      end
      i = i + 1
   end
end
-- nngraph.simple_print: the graph without its Identity nodes, as dot text or a picture
local P = B.packages.nngraph
nngraph.simple_print = {
   todot = function(g, title) return P.simple_todot(g, title) end,
   dot = function(g, title, fname)
      local path = P.simple_dot(g, title, fname)
      if fname == nil then print('nngraph.simple_print.dot: ' .. path) end
   end,
}
-- nngraph.display(gmodule): its forward graph drawn (Torch7 opened it in a browser; here the
-- picture goes into the display folder image.display uses, and its path is printed)
function nngraph.display(gmodule) print('nngraph.display: ' .. P.display(gmodule)) end
-- nngraph.setDebug(true): a graph failing in forward/backward saves <name>.svg with the failing
-- node filled red, then the error goes on
function nngraph.setDebug(enable) P.set_debug(enable and true or false) end
return nngraph
