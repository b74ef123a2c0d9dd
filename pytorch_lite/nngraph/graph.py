"""torch/graph: graph.Node, graph.Edge and graph.Graph with Torch7's algorithms and t7 layout.

The order of everything (node ids, edge lists, roots, topological sorts) follows graph's Lua
code step for step, so gModules built here run their nodes in Torch7's order and save with the
ids and tables a real Torch7 would write.  In a t7 file, ``children``, ``nodes`` and ``edges``
are Lua tables that are both a list and an index (``t[i] = obj`` and ``t[obj] = i``); in Python
they are lists, converted back to that form when written.
"""
from ..serialization.types import LuaKey


class DualList(list):
    """A list that is also the index of its elements, as graph's Lua tables are both (t[i] = v and
    t[v] = i): Lua reading t[v] gets v's 1-based place, nil when v is not in it (``g.nodes[node]``)."""
    __slots__ = ()

    def lua_key(self, v):
        for i, e in enumerate(self):
            if e is v:
                return i + 1
        return None


def lua_seq(t):
    """The array part t[1..n] of a Lua table as read from a t7 file (a list or a dict)."""
    if t is None:
        return []
    if isinstance(t, list):
        return list(t)
    out = []
    i = 1
    while i in t:
        out.append(t[i])
        i += 1
    return out


def lua_indexed(seq):
    """A Lua table holding seq as t[i] = v and t[v] = i (how graph keeps its lists)."""
    t = {i + 1: v for i, v in enumerate(seq)}
    for i, v in enumerate(seq):
        t[LuaKey(v)] = i + 1
    return t


def _read_seq(obj, name, table):
    """A list from a Lua table read from a file, remembering the table so an unchanged list
    writes back with the file's key order (identical bytes)."""
    seq = DualList(lua_seq(table))
    if isinstance(table, dict):
        obj.__dict__.setdefault("_t7_tables", {})[name] = (table, [id(v) for v in seq])
    return seq


def _write_seq(obj, name, seq):
    orig = obj.__dict__.get("_t7_tables", {}).get(name)
    if orig is not None and orig[1] == [id(v) for v in seq]:
        return orig[0]
    return lua_indexed(seq)


class GraphNode:
    """graph.Node: ``data`` (any table), ``children`` (a list), ``id`` (set by Graph.add)."""
    typename = "graph.Node"

    def __init__(self, data=None):
        self.data = data
        self.id = 0
        self.children = DualList()
        self.visited = False
        self.marked = False

    @classmethod
    def new(cls, data):
        return cls(data)

    def add(self, child):
        if isinstance(child, (list, tuple)):
            for c in child:
                self.add(c)
        elif not any(c is child for c in self.children):
            self.children.append(child)

    def visit(self, pre_func=None, post_func=None):
        if not self.visited:
            if pre_func:
                pre_func(self)
            for child in self.children:
                child.visit(pre_func, post_func)
            if post_func:
                post_func(self)

    def dfs_dirty(self, func):
        """func on every node reachable from here, children before parents; the nodes stay
        ``visited`` (returned, in that order)."""
        visited = []

        def pre(node):
            node.visited = True

        def post(node):
            func(node)
            visited.append(node)
        self.visit(pre, post)
        return visited

    def dfs(self, func):
        for node in self.dfs_dirty(func):
            node.visited = False

    def bfs_dirty(self, func):
        """func on every node reachable from here, breadth first; the nodes stay ``marked``."""
        visited = []
        queue = [self]
        self.marked = True
        while queue:
            node = queue.pop(0)
            visited.append(node)
            func(node)
            for child in node.children:
                if not child.marked:
                    child.marked = True
                    queue.append(child)
        return visited

    def bfs(self, func):
        for node in self.bfs_dirty(func):
            node.marked = False

    def hasCycle(self):
        """Whether a walk from here comes back to a node it is still exploring."""
        found = [False]
        explored = []

        def pre(node):
            if found[0]:
                return
            if node.marked:   # still being explored: a cycle; visit no further
                node.visited = True
                found[0] = True
                return
            node.marked = True

        def post(node):
            node.marked = False
            node.visited = True
            explored.append(node)
        self.visit(pre, post)
        for node in explored:
            node.visited = False
        return found[0]

    def graph(self):
        """The Graph of every edge reachable from this node (breadth first)."""
        g = Graph()
        self.bfs(lambda node: [g.add(Edge(node, child)) for child in list(node.children)])
        return g

    def label(self):
        return str(self.data)

    # -- t7 -------------------------------------------------------------------------------------
    def __t7_read__(self, fields, version):
        self.__dict__.update(fields)
        self.children = _read_seq(self, "children", fields.get("children"))

    def __t7_write__(self):
        fields = {k: v for k, v in self.__dict__.items() if k != "_t7_tables"}
        fields["children"] = _write_seq(self, "children", self.children)
        return fields

    def __repr__(self):
        return "<%s %d>" % (self.typename, self.id)


class Edge:
    """graph.Edge(from, to); ``from`` is a Python keyword, so read it as ``edge.from_``."""
    typename = "graph.Edge"

    def __init__(self, from_=None, to=None):
        self.__dict__["from"] = from_
        self.to = to

    @classmethod
    def new(cls, from_, to):
        return cls(from_, to)

    @property
    def from_(self):
        return self.__dict__["from"]

    def __t7_read__(self, fields, version):
        self.__dict__.update(fields)

    def __t7_write__(self):
        return dict(self.__dict__)


class Graph:
    """graph.Graph: ``nodes`` and ``edges`` lists; a node's ``id`` is its 1-based place in nodes."""
    typename = "graph.Graph"

    def __init__(self):
        self.nodes = DualList()
        self.edges = DualList()
        self._node_at = {}
        self._edge_at = {}

    def _index(self):
        if len(self._node_at) != len(self.nodes):
            self._node_at = {id(n): i + 1 for i, n in enumerate(self.nodes)}
            self._edge_at = {id(e): i + 1 for i, e in enumerate(self.edges)}
        return self._node_at

    def node_index(self, node):
        return self._index().get(id(node))

    def add(self, edge):
        if isinstance(edge, (list, tuple)):
            for e in edge:
                self.add(e)
            return
        at = self._index()
        if id(edge) not in self._edge_at:
            self.edges.append(edge)
            self._edge_at[id(edge)] = len(self.edges)
        for n in (edge.from_, edge.to):
            if id(n) not in at:
                self.nodes.append(n)
                at[id(n)] = len(self.nodes)
        edge.from_.add(edge.to)
        edge.from_.id = at[id(edge.from_)]
        edge.to.id = at[id(edge.to)]

    def clone(self):
        c = Graph()
        nodes = [type(n).new(n.data) for n in self.nodes]
        at = self._index()
        for e in self.edges:
            c.add(type(e).new(nodes[at[id(e.from_)] - 1], nodes[at[id(e.to)] - 1]))
        return c

    def reverse(self):
        """(the graph with every edge reversed over new nodes sharing data, old id -> new node)"""
        rg = Graph()
        mapnodes = {}
        for e in self.edges:
            for n in (e.from_, e.to):
                if id(n) not in mapnodes:
                    mapnodes[id(n)] = (n, type(n).new(n.data))
            rg.add(type(e).new(mapnodes[id(e.to)][1], mapnodes[id(e.from_)][1]))
        return rg, mapnodes

    def hasCycle(self):
        roots = self.roots()
        return not roots or any(root.hasCycle() for root in roots)

    def topsort(self):
        """(nodes parents first, the reversed graph, its roots).  Several roots hang from one
        dummy root, so a node reached from two of them is listed once, as graph's does."""
        rg, mapnodes = self.reverse()
        rmap = {id(new): old for old, new in mapnodes.values()}
        roots = rg.roots()
        if not roots:
            raise ValueError("Graph has cycles")
        start = roots[0]
        if len(roots) > 1:
            start = GraphNode("dummy_root")
            start.add(list(roots))
        out = []
        start.dfs(lambda node: out.append(rmap[id(node)]) if id(node) in rmap else None)
        if len(out) != len(self.nodes):
            raise ValueError("Graph has cycles")
        return out, rg, roots

    def roots(self):
        found = {}
        for e in self.edges:
            found.setdefault(id(e.from_), e.from_)
        for e in self.edges:
            found.pop(id(e.to), None)
        at = self._index()
        return sorted(found.values(), key=lambda n: at[id(n)])

    def leaves(self):
        found = {}
        for e in self.edges:
            found.setdefault(id(e.to), e.to)
        for e in self.edges:
            found.pop(id(e.from_), None)
        at = self._index()
        return sorted(found.values(), key=lambda n: at[id(n)])

    def todot(self, title=None):
        from .graphviz import todot
        return todot(self, title)

    # -- t7 -------------------------------------------------------------------------------------
    def __t7_read__(self, fields, version):
        self.__dict__.update(fields)
        self.nodes = _read_seq(self, "nodes", fields.get("nodes"))
        self.edges = _read_seq(self, "edges", fields.get("edges"))
        self._node_at = {}
        self._edge_at = {}

    def __t7_write__(self):
        fields = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        fields["nodes"] = _write_seq(self, "nodes", self.nodes)
        fields["edges"] = _write_seq(self, "edges", self.edges)
        return fields
