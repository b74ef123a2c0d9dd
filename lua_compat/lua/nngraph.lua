-- require 'nngraph': only when pytorch_lite.nngraph exists
local B, hidden = ...
if not B.has_class('nn.gModule') then error('nngraph is not available in this pytorch_lite build', 2) end
require 'nn'
nngraph = rawget(_G, 'nngraph') or {}
local classes = hidden.namespace('nngraph')
nngraph.Node = classes.Node
-- nngraph's table adaptors (nngraph/JustElement.lua, JustTable.lua): {x} -> x and x -> {x}
nngraph.JustElement = classes.JustElement
nngraph.JustTable = classes.JustTable
nngraph.gModule = nn.gModule
return nngraph
