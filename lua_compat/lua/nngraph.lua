-- require 'nngraph': only when pytorch_lite.nngraph exists
local B, hidden = ...
if not B.has_class('nn.gModule') then error('nngraph is not available in this pytorch_lite build', 2) end
require 'nn'
nngraph = rawget(_G, 'nngraph') or {}
nngraph.Node = hidden.namespace('nngraph').Node
nngraph.gModule = nn.gModule
return nngraph
