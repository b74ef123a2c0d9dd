"""nn.gModule(inputs, outputs): a module made of a directed acyclic graph of nngraph nodes.

Follows nngraph's gmodule.lua: a dummy ``outnode`` gathers the outputs, a dummy ``innode`` feeds
the inputs (through a split when there are several), ``bg`` is the graph from the outputs
backwards, ``fg`` its reverse; ``forwardnodes``/``backwardnodes`` are their topological sorts, and
forward/backward visit them in that order.  Python indices are 0-based (``gModule.get(0)``); the
``selectindex`` of split nodes keeps Torch7's 1-based value, as in the file.
"""
from ..errors import TorchValueError
from ..nn.Container import Container
from ..tensor import Tensor
from .graph import lua_seq
from .node import Node, mapindex_of
from . import nesting


def _one(xs):
    return xs[0] if len(xs) == 1 else xs


def _set_at(lst, i, value):
    """lst[i] = value, growing the list with None (a Lua table assignment t[i+1] = value)."""
    while len(lst) <= i:
        lst.append(None)
    lst[i] = value


def _seq_len(lst):
    """Lua's #t for a list that may have holes at the end."""
    n = 0
    for v in lst or ():
        if v is None:
            break
        n += 1
    return n


def _total_grad_output(node):
    d = node.data
    go = d["gradOutput"]
    if len(go) > 1:
        if d.get("gradOutputBuffer") is None:
            live = [i for i, g in enumerate(go) if not nesting.is_zero_scalar(g)]
            if len(live) < 2:
                return go[live[0] if live else 0]
            d["gradOutputBuffer"] = nesting.clone_nested(go[0])
        buf = d["gradOutputBuffer"]
        nesting.resize_nested_as(buf, go[0])
        nesting.copy_nested(buf, go[0])
        for g in go[1:]:
            nesting.add_nested_to(buf, g)
        return buf
    return go[0]


class gModule(Container):
    typename = "nn.gModule"

    def __init__(self, inputs, outputs):
        super().__init__()
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        outnode = Node({"input": []})
        for i, n in enumerate(outputs):
            if not isinstance(n, Node):
                raise TorchValueError("Expected nngraph.Node as outputs[%d], got %s" % (i + 1, type(n).__name__))
            outnode.add(n, True)
        for i, n in enumerate(inputs):
            if not isinstance(n, Node):
                raise TorchValueError("Expected nngraph.Node as inputs[%d], got %s" % (i + 1, type(n).__name__))
        if not inputs:
            raise TorchValueError("nn.gModule: no inputs are not supported")
        innode = Node({"input": []})
        if len(inputs) == 1:
            inputs[0].add(innode, True)
        else:
            splits = innode.split(len(inputs))
            for n in inputs:
                if n.children:
                    raise TorchValueError("nn.gModule: an input should have no inputs")
            for n, s in zip(inputs, splits):
                n.add(s, True)
        self.bg = outnode.graph()
        self.fg = self.bg.reverse()[0]
        roots = self.fg.roots()
        if len(roots) != 1:
            raise TorchValueError("nn.gModule: expecting only one start (every node must depend on the inputs)")
        self.innode = roots[0]
        if self.innode.data is not innode.data:
            raise TorchValueError("nn.gModule: expecting the forward innode")
        self.outnode = outnode
        self.verbose = False
        self.nInputs = len(inputs)
        self.forwardnodes = self.fg.topsort()[0]
        self.backwardnodes = self.bg.topsort()[0]
        in_graph = {id(n.data) for n in self.forwardnodes}
        for node in self.forwardnodes:
            d = node.data
            n_split = d.get("nSplitOutputs")
            if n_split is not None and n_split != len(node.children):
                raise TorchValueError("%d of split(%d) outputs from the node declared at %s are unused"
                                      % (n_split - len(node.children), n_split,
                                         d["annotations"].get("_debugLabel")))
            for key in d.get("reverseMap") or {}:
                succ = key.value
                if id(succ.data) not in in_graph:
                    raise TorchValueError("node declared on %s does not connect to gmodule output"
                                          % succ.data["annotations"].get("_debugLabel"))
            d["forwardNodeId"] = node.id
            if d.get("module") is not None:
                self.add(d["module"])
        self.output = None
        self.gradInput = None
        if len(self.outnode.children) > 1:
            self.output = self.outnode.data["input"]

    # -- evaluation -------------------------------------------------------------------------------
    def updateOutput(self, input):
        return self.runForwardFunction("updateOutput", input)

    def runForwardFunction(self, func, input):
        if isinstance(func, str):
            name = func
            func = lambda m, x: getattr(m, name)(x)
        n_inputs = self.nInputs if self.nInputs is not None else len(self.innode.children)
        if n_inputs <= 1:
            input = [input]
        elif not isinstance(input, (list, tuple)):
            raise TorchValueError("nn.gModule: expecting table of %d inputs" % n_inputs)
        if len(input) != n_inputs:
            raise TorchValueError("nn.gModule: Got %d inputs instead of %d" % (len(input), n_inputs))
        for node in self.forwardnodes:
            if isinstance(node.data.get("input"), list):
                node.data["input"].clear()
        innode = self.innode
        if not isinstance(innode.data.get("input"), list):
            innode.data["input"] = lua_seq(innode.data.get("input"))
        for i, x in enumerate(input):
            _set_at(innode.data["input"], i, x)

        def propagate(node, x):
            for child in node.children:
                cd = child.data
                if not isinstance(cd.get("input"), list):
                    cd["input"] = lua_seq(cd.get("input"))
                k = mapindex_of(cd, node.data) - 1
                if k < len(cd["input"]) and cd["input"][k] is not None:
                    raise TorchValueError("nn.gModule: each input should have one source")
                _set_at(cd["input"], k, x)

        for node in self.forwardnodes:
            d = node.data
            if d.get("selectindex") is not None:
                x = d["input"]
                if len(x) != 1 or not isinstance(x[0], (list, tuple)):
                    raise TorchValueError("nn.gModule: the input for a split should be a table")
                propagate(node, x[0][d["selectindex"] - 1])
            else:
                x = d.get("input")
                if x is None and d.get("module") is not None:
                    x = []
                x = x[:_seq_len(x)]
                x = x[0] if len(x) == 1 else x
                module = d.get("module")
                out = x if module is None else func(module, x)
                n_split = d.get("nSplitOutputs")
                if n_split is not None and n_split != len(out):
                    raise TorchValueError("split(%d) cannot split %d outputs" % (n_split, len(out)))
                propagate(node, out)
            if self.verbose:
                print(" V : " + node.label())
        out = self.outnode.data["input"]
        self.output = out[0] if len(self.outnode.children) == 1 else out
        return self.output

    def updateGradInput(self, input, gradOutput):
        outnode = self.outnode
        if len(outnode.children) > 1 and len(gradOutput) != len(outnode.children):
            raise TorchValueError("nn.gModule: Got %d gradOutputs instead of %d"
                                  % (len(gradOutput), len(outnode.children)))
        for node in self.backwardnodes:
            if isinstance(node.data.get("gradOutput"), list):
                node.data["gradOutput"].clear()
        od = outnode.data
        if not isinstance(od.get("gradOutput"), list):
            od["gradOutput"] = []
        _set_at(od["gradOutput"], 0, gradOutput)

        for node in self.backwardnodes:
            d = node.data
            if d.get("selectindex") is not None:
                child = node.children[0]
                go = _total_grad_output(node)
                cgo = child.data.get("gradOutput")
                if not isinstance(cgo, list):
                    cgo = child.data["gradOutput"] = []
                if not cgo:
                    cgo.append([])
                _set_at(cgo[0], d["selectindex"] - 1, go)
            else:
                go = _total_grad_output(node)
                module = d.get("module")
                if module is None:
                    gi = go
                else:
                    x = d.get("input")
                    x = [] if x is None else x[:_seq_len(x)]
                    gi = module.updateGradInput(x[0] if len(x) == 1 else x, go)
                for child in node.children:
                    cgo = child.data.get("gradOutput")
                    if not isinstance(cgo, list):
                        cgo = child.data["gradOutput"] = []
                    if len(node.children) == 1:
                        cgo.append(gi)
                    else:
                        cgo.append(gi[mapindex_of(d, child.data) - 1])
            if self.verbose:
                print(" V : " + node.label())
        go = self.innode.data["gradOutput"]
        if len(go) != 1:
            raise TorchValueError("nn.gModule: expecting the innode to be used only once")
        self.gradInput = go[0]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        outnode = self.outnode
        if len(outnode.children) > 1 and len(gradOutput) != len(outnode.children):
            raise TorchValueError("nn.gModule: Got %d gradOutputs instead of %d"
                                  % (len(gradOutput), len(outnode.children)))
        for node in self.backwardnodes:
            d = node.data
            module = d.get("module")
            if module is None:
                continue
            go = d["gradOutput"]
            g = d["gradOutputBuffer"] if len(go) > 1 else go[0]
            x = d.get("input")
            x = [] if x is None else x[:_seq_len(x)]
            module.accGradParameters(x[0] if len(x) == 1 else x, g, scale)

    # -- containers, types, copies ----------------------------------------------------------------
    def apply(self, callback):
        callback(self)
        for m in self.modules:
            m.apply(callback)
        return self

    def map(self, gm, func):
        for i, node in enumerate(self.forwardnodes):
            if i >= len(gm.forwardnodes):
                raise TorchValueError("trying to map another gModule with a different structure")
            other = gm.forwardnodes[i]
            if node.data.get("module") is not None:
                if other.data.get("module") is None:
                    raise TorchValueError("trying to map another gModule with a different structure")
                func(node.data["module"], other.data["module"])

    def type(self, typename=None, tensorCache=None):
        if typename is None:
            return self._type
        from ..nn import utils
        cache = {} if tensorCache is None else tensorCache
        super().type(typename, cache)
        for node in (self.innode, self.outnode):
            if node is not None:
                for k in list(node.data):
                    if k in ("input", "gradOutput", "gradOutputBuffer") or isinstance(node.data[k], Tensor):
                        node.data[k] = utils.recursive_type(node.data[k], typename, cache)
        for node in self.backwardnodes or ():
            if node.data.get("gradOutputBuffer") is not None:
                node.data["gradOutputBuffer"] = utils.recursive_type(node.data["gradOutputBuffer"], typename, cache)
        return self

    def clearState(self):
        super().clearState()
        self.output = None if len(self.outnode.children) <= 1 else self.outnode.data.get("input")
        self.gradInput = None
        for node in self.backwardnodes:
            node.data.pop("gradOutput", None)
            node.data.pop("gradOutputBuffer", None)
        for node in self.forwardnodes:
            node.data.pop("input", None)
        return self

    def clone(self, *shared):
        """A deep copy made as Torch7 makes it: through the t7 serializer (sharing kept)."""
        from ..serialization import serialize, deserialize
        c = deserialize(serialize(self))
        if shared:
            c.share(self, *shared)
        return c

    def todot(self, title=None, which="fg"):
        """Graphviz dot text of the forward ('fg') or backward ('bg') graph."""
        from .graphviz import todot
        return todot(self.fg if which == "fg" else self.bg, title)

    # -- t7 ----------------------------------------------------------------------------------------
    def __t7_read__(self, fields, version):
        super().__t7_read__(fields, version)
        if not isinstance(self.__dict__.get("modules"), list):
            self.modules = [n.data["module"] for n in self.forwardnodes if n.data.get("module") is not None]
        self.forwardnodes = lua_seq(self.forwardnodes)
        self.backwardnodes = lua_seq(self.backwardnodes)

    def __tostring__(self):
        return self.name if isinstance(self.__dict__.get("name"), str) else self.typename
