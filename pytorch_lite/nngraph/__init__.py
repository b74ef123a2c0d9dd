"""pytorch_lite.nngraph: Torch7's nngraph (graphs of nn modules) and the graph package under it.

    from pytorch_lite import nn, nngraph
    x = nn.Identity()()                      # a node with no inputs
    h = nn.Tanh()(nn.Linear(20, 10)(x))      # calling a module on nodes makes a node
    a, b = nn.SplitTable(0)(h).split(2)      # a node whose output is a table, split in two
    g = nn.gModule([x], [h])                 # a module: forward/backward over the graph
    loss = nn.MSECriterion()([h, nn.Identity()()])  # a criterion on nodes: nn.ModuleFromCriterion
    h.annotate(name="hidden", description="tanh layer")
    print(g.todot("my graph"))               # Graphviz dot text

gModules load from and save to t7 files with Torch7's layout (nngraph.Node, graph.Graph,
graph.Edge, forwardnodes, backwardnodes, innode, outnode), so graphs move both ways between
this library and a real Torch7.
"""
from .graph import GraphNode, Edge, Graph, lua_seq, lua_indexed
from .node import Node, module_call, is_node_call, mapindex_list, mapindex_of
from .gmodule import gModule
from .modules import JustElement, JustTable, ModuleFromCriterion
from .graphviz import todot, dot

__all__ = ["Node", "gModule", "Graph", "GraphNode", "Edge", "JustElement", "JustTable", "ModuleFromCriterion", "todot", "dot"]


def _register():
    from ..serialization.registry import register_class
    from .. import nn
    for name, cls in (("graph.Node", GraphNode), ("graph.Edge", Edge), ("graph.Graph", Graph),
                      ("nngraph.Node", Node), ("nn.gModule", gModule),
                      ("nngraph.JustElement", JustElement), ("nngraph.JustTable", JustTable),
                      ("nn.ModuleFromCriterion", ModuleFromCriterion)):
        register_class(name, cls)
    nn.gModule = gModule
    nn.CLASSES["nn.gModule"] = gModule
    nn.ModuleFromCriterion = ModuleFromCriterion
    nn.CLASSES["nn.ModuleFromCriterion"] = ModuleFromCriterion


_register()
