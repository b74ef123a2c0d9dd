"""nn.gModule(inputs, outputs): a module made of a directed acyclic graph of nngraph nodes.

Follows nngraph's gmodule.lua: a dummy ``outnode`` gathers the outputs, a dummy ``innode`` feeds
the inputs (through a split when there are several), ``bg`` is the graph from the outputs
backwards, ``fg`` its reverse; ``forwardnodes``/``backwardnodes`` are their topological sorts, and
forward/backward visit them in that order.  Python indices are 0-based (``gModule.get(0)``); the
``selectindex`` of split nodes keeps Torch7's 1-based value, as in the file.
"""
import weakref

from .. import _nngraph as _walks
from .. import _pointwise as kernels
from ..errors import TorchValueError
from ..nn.Container import Container
from ..tensor import Tensor
from .graph import lua_seq
from .node import Node, mapindex_of, expecting_node_message
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
    return _total_grad_output_of(d, d["gradOutput"])


def _grad_output_given(d):
    """The gradOutput a node's module got in updateGradInput, for its accGradParameters: the sum
    in its buffer, or, where the sum was skipped because all but one were zero scalars (a module
    gave a zero expanded over its input), that one (nngraph passes nil there)."""
    go = d["gradOutput"]
    if len(go) == 1:
        return go[0]
    buf = d.get("gradOutputBuffer")
    if buf is not None:
        return buf
    live = [i for i, g in enumerate(go) if not nesting.is_zero_scalar(g)]
    return go[live[0] if live else 0]


def _total_grad_output_of(d, go):
    """The sum of a node's gradOutputs (kept in its gradOutputBuffer), or the only one."""
    if len(go) > 1:
        if d.get("gradOutputBuffer") is None:
            live = [i for i, g in enumerate(go) if not nesting.is_zero_scalar(g)]
            if len(live) < 2:
                return go[live[0] if live else 0]
            d["gradOutputBuffer"] = nesting.clone_nested(go[0])
        buf = d["gradOutputBuffer"]
        if len(go) == 2:    # two tensors of one type and size (an LSTM's c and h): one C pass
            a, b = go
            if type(buf) is type(a) and type(b) is type(a) and isinstance(a, Tensor) and a._size == b._size:
                if buf._size != a._size:
                    buf.resize(*a._size)
                if kernels.add(a._a, b._a, buf._a):   # the copy-then-add's bits
                    return buf
        nesting.resize_nested_as(buf, go[0])
        nesting.copy_nested(buf, go[0])
        for g in go[1:]:
            nesting.add_nested_to(buf, g)
        return buf
    return go[0]


class _Plan:
    """A gModule's wiring resolved once: for each node in forward order its data table, split
    index, split count and the (child data, 0-based input slot) pairs its output goes to; for
    each node in backward order where its gradInput goes.  Built from forwardnodes/backwardnodes
    and rebuilt when those lists (or innode/outnode) are replaced, as reading a t7 file does."""
    __slots__ = ("key", "data", "bdata", "forward", "backward", "one_output", "n_outputs", "fsteps", "bsteps",
                 "innode_data")


# nngraph.setDebug(true): graphs run node by node, and a failing one saves a picture of itself with
# the failing node filled red (<name or nngraph_<n>in_<m>out>.svg and .dot) before the error goes on
DEBUG = [False]


def set_debug(enable=True):
    DEBUG[0] = bool(enable)


def _debugged(method):
    def run(self, *args, **kw):
        if not DEBUG[0]:
            return method(self, *args, **kw)
        self._debug_node = None
        try:
            return method(self, *args, **kw)
        except Exception:
            _save_failure(self, self.__dict__.pop("_debug_node", None))
            raise
        finally:
            self.__dict__.pop("_debug_node", None)
    run.__name__, run.__doc__ = method.__name__, method.__doc__
    return run


def _save_failure(g, failed):
    import os
    import sys
    import tempfile
    from .graphviz import todot, write_dot
    n_inputs = g.nInputs if g.nInputs is not None else len(g.innode.children)
    prefix = getattr(g, "name", None) or "nngraph_%sin_%sout" % (n_inputs, len(g.outnode.children))
    if os.path.isfile(prefix + ".svg"):
        prefix = "%s_%s" % (prefix, os.path.basename(tempfile.mktemp()))
    text = todot(g.fg, prefix)
    if failed is not None:
        same = [n.id for n in g.fg.nodes if n.data is failed.data]
        if same:
            text = text.rstrip().rstrip("}") + "n%d[style=filled, fillcolor=red];\n}" % same[0]
    sys.stderr.write("saving %s.svg\n" % prefix)
    write_dot(text, prefix)


_PLANS = weakref.WeakKeyDictionary()   # gModule -> _Plan (never a field: files and Lua never see it)


def _node_list(xs):
    """gModule's inputs/outputs as a list; a Lua table with a hole ({a, nil, b}, a misspelt
    name) arrives as a dict keyed 1..n and is read up to its largest key, as nngraph's
    table.maxn loop, so the nil is reported by its position."""
    if isinstance(xs, (list, tuple)):
        return list(xs)
    if isinstance(xs, dict) and xs and all(type(k) is int and k > 0 for k in xs):
        return [xs.get(i) for i in range(1, max(xs) + 1)]
    return [xs]


def _retype(x, typename, cache):
    """nngraph's recursiveType: a tensor converted, a list's entries converted in place (the
    list itself kept), anything else (modules, node data) left alone."""
    if isinstance(x, Tensor):
        from ..nn import utils
        return utils.recursive_type(x, typename, cache)
    if isinstance(x, list):
        for i, e in enumerate(x):
            x[i] = _retype(e, typename, cache)
    return x


def _retype_data(data, typename, cache):
    for k in list(data):
        data[k] = _retype(data[k], typename, cache)


def _plan_key(g):
    fn, bn = g.__dict__.get("forwardnodes"), g.__dict__.get("backwardnodes")
    return (fn, bn, g.__dict__.get("innode"), g.__dict__.get("outnode"),
            len(fn) if isinstance(fn, list) else -1, len(bn) if isinstance(bn, list) else -1)


def _plan(g):
    """g's _Plan, or None when its graph has something only the node-by-node walk handles (that
    answer is kept too, until the node lists change).  Wiring changed in place after the gModule
    was made (children or mapindex edited by hand) is not noticed: nngraph fixes it at creation."""
    p = _PLANS.get(g)
    if p is not None:   # the common case, three times a step: the same lists as when it was made
        k, gd = p.key, g.__dict__
        fn, bn = gd.get("forwardnodes"), gd.get("backwardnodes")
        if (k[0] is fn and k[1] is bn and k[2] is gd.get("innode") and k[3] is gd.get("outnode")
                and type(fn) is list and type(bn) is list and k[4] == len(fn) and k[5] == len(bn)):
            return None if p.forward is None else p
    key = _plan_key(g)
    if p is None or not (all(a is b for a, b in zip(p.key[:4], key[:4])) and p.key[4:] == key[4:]):
        try:
            p = _build_plan(g, key)
        except (AttributeError, KeyError, TypeError, IndexError):
            p = None
        if p is None:
            p = _Plan()
            p.key, p.forward = key, None
        _PLANS[g] = p
    return None if p.forward is None else p


def _build_plan(g, key):
    fn, bn, innode, outnode = key[:4]
    if not isinstance(fn, list) or not isinstance(bn, list) or innode is None or outnode is None:
        return None
    p = _Plan()
    p.key = key
    p.data = [n.data for n in fn]
    p.bdata = [n.data for n in bn]
    if not all(type(d) is dict for d in p.data + p.bdata):
        return None
    fids, bids = {id(d) for d in p.data}, {id(d) for d in p.bdata}
    if id(innode.data) not in fids or id(outnode.data) not in fids or id(outnode.data) not in bids:
        return None
    if id(innode.data) not in bids:
        return None
    p.forward = []
    for node in fn:
        d = node.data
        targets = []
        for child in node.children:
            k = mapindex_of(child.data, d)
            if type(k) is not int or k < 1 or id(child.data) not in fids:
                return None
            targets.append((child.data, k - 1))
        p.forward.append((d, d.get("selectindex"), d.get("nSplitOutputs"), tuple(targets)))
    p.backward = []
    for node in bn:
        d = node.data
        kids = node.children
        if any(id(c.data) not in bids for c in kids):
            return None
        if d.get("selectindex") is not None:
            if not kids:
                return None
            targets = kids[0].data
        elif not kids:
            targets = None
        elif len(kids) == 1:
            targets = kids[0].data
        else:
            targets = []
            for c in kids:
                k = mapindex_of(d, c.data)
                if type(k) is not int or k < 1:
                    return None
                targets.append((c.data, k - 1))
            targets = tuple(targets)
        p.backward.append((d, d.get("selectindex"), targets))
    p.n_outputs = len(outnode.children)
    p.one_output = p.n_outputs == 1
    p.innode_data = innode.data
    if not (_pull_forward(p, innode, outnode) and _pull_backward(p, outnode)):
        return None
    return p


# The walks pull rather than push: each node gathers its inputs (its gradOutputs) from the
# outputs (gradInputs) of the nodes before it, found through flat indices worked out once from
# the push wiring above, so a step costs a few list reads per node and no dict look-ups for the
# wiring.  What each node's data.input / data.gradOutput holds afterwards, and in which order, is
# what the push walk leaves (test_nngraph_speed, test_lstm_fast_paths).

_INPUT = "input"      # the innode's source: the gModule's input table


def _pull_forward(p, innode, outnode):
    """p.fsteps: per forward node (data, src, sel, n_split), src where its input list comes from: an int (one input: that node's
    output), a tuple of ints (several, in input order; the outnode always), _INPUT (the innode:
    the gModule's inputs) or () (none).  False when the wiring has holes or clashes."""
    index = {id(d): i for i, d in enumerate(p.data)}
    slots = [dict() for _ in p.data]
    for i, (d, sel, n_split, targets) in enumerate(p.forward):
        for cd, k in targets:
            j = index[id(cd)]
            if j <= i or k in slots[j]:
                return False        # out of order, or two sources for one slot: the node walk decides
            slots[j][k] = i
    fsrc = []
    for i, d in enumerate(p.data):
        got = slots[i]
        if d is innode.data:
            if got:
                return False
            fsrc.append(_INPUT)
        elif sorted(got) != list(range(len(got))):
            return False            # holes between the inputs: the node walk's Lua-length rules
        elif len(got) == 1 and d is not outnode.data:
            fsrc.append(got[0])
        else:
            fsrc.append(tuple(got[k] for k in range(len(got))))
    p.fsteps = [(d, src, sel, n_split) for (d, sel, n_split, _), src in zip(p.forward, fsrc)]
    return True


def _pull_backward(p, outnode):
    """p.bsteps: per backward node (data, src, sel), src where its gradOutputs come from, in the order the push walk
    appends them: None (the outnode: the gModule's gradOutput), a list of (node, k) pairs (the
    gradInput of that backward node, or its k-th entry when k is not None), or ("split", n, pairs)
    for a node feeding split nodes (one table of n entries: pair (node, sel) puts that split
    node's gradOutput at sel - 1)."""
    index = {id(d): i for i, d in enumerate(p.bdata)}
    srcs = [[] for _ in p.bdata]
    split_srcs = [[] for _ in p.bdata]
    for i, (d, sel, targets) in enumerate(p.backward):
        if sel is not None:
            split_srcs[index[id(targets)]].append((i, sel - 1))
        elif type(targets) is dict:
            srcs[index[id(targets)]].append((i, None))
        elif targets is not None:
            for cd, k in targets:
                srcs[index[id(cd)]].append((i, k))
    bsrc = []
    for j, d in enumerate(p.bdata):
        if any(i >= j for i, _ in srcs[j] + split_srcs[j]):
            return False
        if d is outnode.data:
            if srcs[j] or split_srcs[j]:
                return False
            bsrc.append(None)
        elif split_srcs[j]:
            if srcs[j]:
                return False        # fed by split nodes and others at once: the node walk
            n = max(k for _, k in split_srcs[j]) + 1
            bsrc.append(("split", n, tuple(split_srcs[j])))
        else:
            bsrc.append(tuple(srcs[j]))
    p.bsteps = [(d, src, sel) for (d, sel, _), src in zip(p.backward, bsrc)]
    return True


class gModule(Container):
    typename = "nn.gModule"

    def __init__(self, inputs, outputs):
        super().__init__()
        inputs, outputs = _node_list(inputs), _node_list(outputs)
        outnode = Node({"input": []})
        for i, n in enumerate(outputs):
            if not isinstance(n, Node):
                raise TorchValueError(expecting_node_message(n, "outputs", i + 1))
            outnode.add(n, True)
        for i, n in enumerate(inputs):
            if not isinstance(n, Node):
                raise TorchValueError(expecting_node_message(n, "inputs", i + 1))
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
        plan = None if self.verbose or DEBUG[0] else _plan(self)
        if plan is not None:
            return self._forward_planned(plan, None, input)
        return self.runForwardFunction("updateOutput", input)

    @_debugged
    def runForwardFunction(self, func, input):
        if isinstance(func, str):
            name = func
            func = lambda m, x: getattr(m, name)(x)
        plan = None if self.verbose or DEBUG[0] else _plan(self)
        if plan is not None:
            return self._forward_planned(plan, func, input)
        return self._forward_by_nodes(func, input)

    def _check_inputs(self, input):
        n_inputs = self.nInputs if self.nInputs is not None else len(self.innode.children)
        if n_inputs <= 1:
            input = [input]
        elif not isinstance(input, (list, tuple)):
            raise TorchValueError("nn.gModule: expecting table of %d inputs" % n_inputs)
        if len(input) != n_inputs:
            raise TorchValueError("nn.gModule: Got %d inputs instead of %d" % (len(input), n_inputs))
        return input

    def _forward_planned(self, plan, func, input):
        """_forward_by_nodes over the precomputed wiring (the same steps, in the same order)."""
        _walks.forward(plan.fsteps, self._check_inputs(input), func)
        out = self.outnode.data["input"]
        self.output = out[0] if plan.one_output else out
        return self.output

    def _forward_by_nodes(self, func, input):
        """nngraph's walk over forwardnodes, node by node (verbose mode, unusual graphs; the
        reference the planned walk is tested against)."""
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
            self._debug_node = node
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

    @_debugged
    def updateGradInput(self, input, gradOutput):
        plan = None if self.verbose or DEBUG[0] else _plan(self)
        if plan is not None:
            return self._backward_planned(plan, gradOutput)
        return self._backward_by_nodes(input, gradOutput)

    def _backward_planned(self, plan, gradOutput):
        """_backward_by_nodes over the precomputed wiring (the same steps, in the same order)."""
        if plan.n_outputs > 1 and len(gradOutput) != plan.n_outputs:
            raise TorchValueError("nn.gModule: Got %d gradOutputs instead of %d"
                                  % (len(gradOutput), plan.n_outputs))
        _walks.backward(plan.bsteps, gradOutput, _total_grad_output_of)
        go = plan.innode_data["gradOutput"]
        if len(go) != 1:
            raise TorchValueError("nn.gModule: expecting the innode to be used only once")
        self.gradInput = go[0]
        return self.gradInput

    def _backward_by_nodes(self, input, gradOutput):
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
            self._debug_node = node
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

    @_debugged
    def accGradParameters(self, input, gradOutput, scale=1):
        plan = None if self.verbose or DEBUG[0] else _plan(self)
        if plan is None:
            return self._acc_by_nodes(gradOutput, scale)
        if plan.n_outputs > 1 and len(gradOutput) != plan.n_outputs:
            raise TorchValueError("nn.gModule: Got %d gradOutputs instead of %d"
                                  % (len(gradOutput), plan.n_outputs))
        _walks.acc(plan.bdata, scale, _grad_output_given)

    def _acc_by_nodes(self, gradOutput, scale):
        outnode = self.outnode
        if len(outnode.children) > 1 and len(gradOutput) != len(outnode.children):
            raise TorchValueError("nn.gModule: Got %d gradOutputs instead of %d"
                                  % (len(gradOutput), len(outnode.children)))
        for node in self.backwardnodes:
            self._debug_node = node
            d = node.data
            module = d.get("module")
            if module is None:
                continue
            g = _grad_output_given(d)
            x = d.get("input")
            x = [] if x is None else x[:_seq_len(x)]
            module.accGradParameters(x[0] if len(x) == 1 else x, g, scale)

    # -- containers, types, copies ----------------------------------------------------------------
    def apply(self, callback):
        callback(self)
        for m in self.modules:
            m.apply(callback)
        return self

    def replace(self, callback):
        """nngraph's gModule:replace: what the callback answers for each node's module goes into
        the graph node as well as ``modules``, so forward/backward use it (Module.replace alone
        would only change ``modules``)."""
        out = callback(self)
        where = {id(m): i for i, m in enumerate(self.modules)}
        for node in self.forwardnodes:
            m = node.data.get("module")
            if m is not None:
                new = m.replace(callback)
                node.data["module"] = new
                if id(m) in where:
                    self.modules[where[id(m)]] = new
        _PLANS.pop(self, None)   # the cached plan holds the old modules
        return out

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
            for child in node.children:
                _retype_data(child.data, typename, cache)
        # as nngraph: each forward node's stored input, and the tensors its children hold
        for node in self.forwardnodes or ():
            if node.data.get("input") is not None:
                node.data["input"] = _retype(node.data["input"], typename, cache)
            for child in node.children:
                _retype_data(child.data, typename, cache)
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
        c = deserialize(serialize(self), restore_cuda=True)   # Cuda tensors stay Cuda (cutorch's clone)
        keep_classes(self, c, set())
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


def keep_classes(src, copy, seen):
    """Give each object of a clone made through the t7 format the class of its original where
    that is a subclass of what the file named (a LookupTable made from Lua reads 1-based indices
    through a subclass written under nn.LookupTable's name): walks both in step (iteratively:
    node chains are long)."""
    todo = [(src, copy)]
    while todo:
        a, b = todo.pop()
        if id(a) in seen:
            continue
        seen.add(id(a))
        if isinstance(a, (list, tuple)):
            if isinstance(b, (list, tuple)) and len(b) == len(a):
                todo.extend(zip(a, b))
            continue
        if isinstance(a, dict):
            if isinstance(b, dict):
                todo.extend((v, b[k]) for k, v in a.items() if isinstance(k, (str, int)) and k in b)
            continue
        d, db = getattr(a, "__dict__", None), getattr(b, "__dict__", None)
        if not isinstance(d, dict) or not isinstance(db, dict):
            continue
        if type(a) is not type(b):
            if not issubclass(type(a), type(b)):
                continue
            try:
                b.__class__ = type(a)
            except TypeError:   # a layout the copy's class cannot take (a subclass with slots)
                continue
        todo.extend((v, db[k]) for k, v in d.items() if k in db)
