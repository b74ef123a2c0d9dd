-- require 'graph': torch/graph's Graph, Node and Edge (pytorch_lite.nngraph.graph, what
-- nngraph's gModules are made of; sets the global `graph` as Torch7's does) and Graphviz output
--   local g = graph.Graph()  g:add(graph.Edge(graph.Node(1), graph.Node(2)))
--   g:topsort()  g:roots()  g:leaves()  g:reverse()  g:clone()  g:hasCycle()  g:todot(title)
--   node:dfs(f)  node:bfs(f)  node:visit(pre, post)  node:graph()  g.nodes[node] (its index)
--   graph.dot(g, title, fname)            fname.svg and fname.dot (no fname: into the display folder)
--   graph.graphvizFile(g, algorithm, fname)   a picture in the format of fname's extension
--   graph.graphvizLayout(g, algorithm)    node positions in the unit square, one row per node id
local B, hidden = ...
local P = B.packages.graph
graph = rawget(_G, 'graph') or {}
local classes = hidden.namespace('graph')
graph.Graph, graph.Node, graph.Edge = classes.Graph, classes.Node, classes.Edge

-- a dot identifier stays as it is when it is all letters; anything else is quoted, with
-- newlines and quotes escaped
function graph._dotEscape(s) return P.escape(s) end

function graph.dot(g, title, fname)
   local path = P.dot(g, title, fname)
   if fname == nil then print('graph.dot: ' .. path) end   -- where the picture went
end
function graph.graphvizFile(g, algorithm, fname)
   if type(fname) ~= 'string' then error('graph.graphvizFile: a file name expected', 2) end
   P.render(g, algorithm or 'dot', fname)
end
function graph.graphvizLayout(g, algorithm) return P.layout(g, algorithm or 'dot') end
return graph
