"""nngraph.Node: a graph.Node whose ``data`` table holds a module and the wiring of its inputs.

``data`` is a plain dict shared between a node and its copies in the forward and backward
graphs, with Torch7's keys: ``module``, ``mapindex`` (the inputs' data tables in call order,
kept as the Lua table ``{1: d1, ..., LuaKey(d1): 1, ...}`` so files round-trip), ``reverseMap``
(``{LuaKey(node): True}`` for each node fed by this one), ``annotations`` (``name``,
``description``, ``graphAttributes``, ``_debugLabel``), and at run time ``input``,
``gradOutput``, ``gradOutputBuffer``; a split adds ``nSplitOutputs`` and ``selectindex``
(1-based, as in the file).
"""
import os
import sys

from ..errors import TorchTypeError, TorchValueError
from ..serialization.types import LuaKey
from .graph import GraphNode, lua_seq

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mapindex_list(data):
    """The data tables of a node's inputs, in the order they were given."""
    return lua_seq(data.get("mapindex"))


def mapindex_of(data, other):
    """1-based position of ``other`` (a data table) among data's inputs, or None."""
    m = data.get("mapindex")
    if isinstance(m, dict):
        return m.get(LuaKey(other))
    return None


# set by a Lua bridge: a function giving '[short_src]:line' of the Lua line that is calling, or None
lua_caller_label = None
_LUA_BRIDGE = os.path.join(os.path.dirname(_HERE), "lua_compat")


def _caller_location():
    """'[file]:line' of the first caller outside pytorch_lite (Torch7 records the Lua source)."""
    f = sys._getframe(1)
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(_HERE):
        f = f.f_back
    if f is None:
        return "[?]:-1"
    if lua_caller_label is not None and os.path.abspath(f.f_code.co_filename).startswith(_LUA_BRIDGE):
        label = lua_caller_label()
        if label:
            return label
    return "[%s]:%d" % (os.path.basename(f.f_code.co_filename), f.f_lineno)


def _caller_label():
    # a node's label is '[file]:line_' (Torch7 asks debug.getinfo for 'Sl', so the name after
    # the '_' is always empty); a split's is ' split at [file]:line' with no '_'
    return _caller_location() + "_"


class Node(GraphNode):
    typename = "nngraph.Node"

    def __init__(self, data=None):
        super().__init__({} if data is None else data)
        d = self.data
        d.setdefault("annotations", {})
        d.setdefault("mapindex", {})
        d.setdefault("reverseMap", {})
        if "_debugLabel" not in d["annotations"]:
            d["annotations"]["_debugLabel"] = _caller_label()

    def add(self, child, domap=False):
        super().add(child)
        if domap:
            m = self.data.setdefault("mapindex", {})
            data = child.data
            if LuaKey(data) in m:
                raise TorchValueError("Don't pass the same input twice.")
            n = len(lua_seq(m)) + 1
            m[n] = data
            m[LuaKey(data)] = n
            rev = data.setdefault("reverseMap", {})
            if LuaKey(self) in rev:
                raise TorchValueError("this connection has already been made!")
            rev[LuaKey(self)] = True

    def split(self, noutput):
        """noutput new nodes, the i-th taking element i of this node's (table) output."""
        if noutput == 1:
            from .modules import JustElement
            return JustElement()(self)
        if noutput < 1:
            raise TorchValueError("split(%d): need at least one output" % noutput)
        label = self.data["annotations"].get("_debugLabel", "")
        mnode = Node({"nSplitOutputs": noutput,
                      "annotations": {"_debugLabel": label + " split at " + _caller_location() + "-mnode"}})
        mnode.add(self, True)
        out = []
        for i in range(1, noutput + 1):
            node = Node({"selectindex": i, "input": [], "annotations": {"_debugLabel": "%s-%d" % (label, i)}})
            node.add(mnode, True)
            out.append(node)
        return tuple(out)

    def annotate(self, annotations=None, **kw):
        """Set annotations (name, description, graphAttributes, ...); returns the node."""
        a = self.data.setdefault("annotations", {})
        a.update(annotations or {})
        a.update(kw)
        return self

    def graphNodeName(self):
        name = self.data.get("annotations", {}).get("name")
        return "%s (%d)" % (name, self.id) if name else "Node%d" % self.id

    def graphNodeAttributes(self):
        a = self.data.setdefault("annotations", {})
        attrs = a.setdefault("graphAttributes", {})
        if "tooltip" not in attrs and a.get("_debugLabel"):
            attrs["tooltip"] = a["_debugLabel"]
        return attrs

    def label(self):
        def getstr(v):
            from ..tensor import Tensor
            if v is None:
                return ""
            if isinstance(v, Tensor):
                t = "Tensor" if v.typename == "torch.DoubleTensor" else v.typename
                return "%s[%s]" % (t, "x".join(map(str, v._size)))
            if isinstance(v, (list, tuple)):
                return "{" + ",".join(getstr(e) for e in v) + "}"
            return str(v).replace("\n", "\\l")
        lbl = []
        for k, v in self.data.items():
            if k == "mapindex":
                ins = mapindex_list(self.data)
                if len(ins) > 1:
                    lbl.append("mapindex = {%s}" % ",".join("Node%s" % d.get("forwardNodeId", "") for d in ins))
            elif k in ("forwardNodeId", "annotations", "reverseMap"):
                continue
            else:
                lbl.append("%s = %s" % (k, getstr(v)))
        desc = self.data.get("annotations", {}).get("description")
        return ("desc = %s\\n" % desc if desc else "") + "\\l".join(lbl)

    def __call__(self, *args):
        raise TorchTypeError("an nngraph.Node is not callable: call a module on nodes, e.g. nn.Tanh()(node)")


def expecting_node_message(bad, array, idx):
    """nngraph's message (utils.expectingNodeErrorMessage) where a Node was expected: scripts
    and nngraph's own tests match its words; idx is 1-based as in Lua."""
    from ..nn.Module import Module
    if bad is None:
        return "%s[%d] is nil (typo / bad index?)" % (array, idx)
    if isinstance(bad, Module):
        return ("%s[%d] is an nn.Module, specifically a %s, but the only valid thing to pass is "
                "an instance of nngraph.Node. Did you forget a second set of parens, which "
                "convert a nn.Module to a nngraph.Node?" % (array, idx, bad.typename))
    name = getattr(bad, "typename", None)
    if not isinstance(name, str):
        name = {bool: "boolean", int: "number", float: "number", str: "string",
                list: "table", dict: "table", tuple: "table"}.get(type(bad), type(bad).__name__)
    return "%s[%d] should be an nngraph.Node but is of type %s" % (array, idx, name)


def module_call(module, args):
    """``module(node)``, ``module([n1, n2])`` or ``module()``: a new node applying module to them
    (nngraph's Module.__call__)."""
    if len(args) > 1:
        raise TorchValueError("Use [input1, input2] to pass multiple inputs.")
    if len(args) == 1 and args[0] is None:
        raise TorchValueError(expecting_node_message(None, "inputs", 1))
    inputs = list(args[0]) if args and isinstance(args[0], (list, tuple)) else list(args)
    if args and isinstance(args[0], (list, tuple)) and not inputs:
        raise TorchValueError("cannot pass an empty table of inputs. To indicate no incoming "
                              "connections, leave the second set of parens blank.")
    node = Node({"module": module})
    for i, n in enumerate(inputs):
        if not isinstance(n, Node):
            raise TorchTypeError(expecting_node_message(n, "inputs", i + 1))
        node.add(n, True)
    return node


def is_node_call(args):
    """Does module(*args) build a graph node (no arguments, a node, or a list of nodes)?  An
    empty list is taken as a graph call too, so that it fails as in nngraph: ``m({typo})``
    passes an empty table, and running forward on it would hide the typo."""
    if not args:
        return True
    a = args[0]
    if isinstance(a, Node):
        return True
    return isinstance(a, (list, tuple)) and (not a or any(isinstance(n, Node) for n in a))
