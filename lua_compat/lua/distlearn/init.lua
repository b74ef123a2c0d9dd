-- require 'distlearn': torch-distlearn's AllReduceSGD and AllReduceEA over the MPI world
-- (the constructors are also require 'distlearn.AllReduceSGD' and 'distlearn.AllReduceEA').
local B = ...
local P = B.packages.torchmpi
local distlearn = {}

-- tensors of a tensor or a (nested) table, in the same order on every rank: keys sorted (numbers
-- before strings), as torch-ipc's walkTable
local function before(a, b)
   local ta, tb = type(a), type(b)
   if ta ~= tb then return ta == 'number' end
   return a < b
end
local function walk(v, out)
   if torch.isTensor(v) then
      out[#out + 1] = v
   elseif type(v) == 'table' then
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys, before)
      for _, k in ipairs(keys) do walk(v[k], out) end
   else
      error('distlearn: expected a tensor or a table of tensors, got a ' .. type(v), 3)
   end
   return out
end
distlearn.walkTable = function(v) return walk(v, {}) end

-- the MPI world as torch-ipc's tree: nodeIndex (1-based), numNodes, allReduce, scatter.
-- allReduce always sums (the only reduction distlearn uses); it returns the value and the number
-- of nodes that contributed, and a zero function marks this node as finished (see tree.py).
function distlearn.tree()
   require('torchmpi').start()
   local t = P.tree()
   local tree = {nodeIndex = P.tree_rank(t) + 1, numNodes = P.tree_size(t), _py = t}
   tree.walkTable = function(v, f)
      for _, x in ipairs(walk(v, {})) do f(x) end
   end
   tree.allReduce = function(value, reduce, zero)
      local n = P.tree_all_reduce(t, value ~= nil and walk(value, {}) or nil, zero)
      return value, n
   end
   tree.scatter = function(value)
      P.tree_scatter(t, walk(value, {}))
      return value
   end
   return tree
end

local function py_tree(tree)
   if tree == nil then return distlearn.tree()._py end
   if type(tree) ~= 'table' or tree._py == nil then
      error('distlearn: the tree must be distlearn.tree() (or nil for the MPI world)', 3)
   end
   return tree._py
end

function distlearn.AllReduceSGD(tree)
   local o = P.sgd(py_tree(tree))
   local function method(name)
      return function(values) P.call(o, name, walk(values, {})) return values end
   end
   return {sumGradients = method('sumGradients'), sumAndNormalizeGradients = method('sumAndNormalizeGradients'),
           synchronizeParameters = method('synchronizeParameters')}
end

function distlearn.AllReduceEA(tree, tau, alpha)
   local o = P.ea(py_tree(tree), tau, alpha)
   local function method(name)
      return function(values) P.call(o, name, walk(values, {})) return values end
   end
   return {averageParameters = method('averageParameters'), synchronizeCenter = method('synchronizeCenter'),
           synchronizeParameters = method('synchronizeParameters')}
end

package.loaded.distlearn = distlearn
return distlearn
