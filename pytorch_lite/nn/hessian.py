"""nn.hessian: diagonal Hessian estimates (LeCun's "Efficient BackProp" approximation).

Experimental in Torch7 and off by default: ``nn.hessian.enable()`` gives the modules below
``updateDiagHessianInput``, ``accDiagHessianParameters`` and ``initDiagHessianParameters``.
The second derivative goes backwards like a gradient, with squared weights for the input and
squared inputs for the parameters (so a linear module reuses its own backward on swapped
fields), and pointwise modules scale it by their squared derivative.
"""
from ..errors import TorchTypeError

_W = ("weight",), ("weightSq",)
_WB = ("weight", "bias"), ("weightSq", "biasSq")
_GRADS = ("gradWeight", "gradBias"), ("diagHessianWeight", "diagHessianBias")


def _swap(module, a, b):
    d = module.__dict__
    d[a], d[b] = d.get(b), d.get(a)


def updateDiagHessianInput(module, input, diagHessianOutput, weights, squares):
    """module's backward run with its weights squared, into module.diagHessianInput."""
    if len(weights) != len(squares):
        raise TorchTypeError("Number of weights is not equal to number of weights squares")
    d = module.__dict__
    dhi = d.get("diagHessianInput")
    if dhi is None:
        dhi = d["diagHessianInput"] = input.new()
    dhi.resizeAs(input).zero()
    saved_gi = module.gradInput
    module.gradInput = dhi
    for w, sq in zip(weights, squares):
        if d.get(sq) is None:
            d[sq] = d[w].new()
        d[sq].resizeAs(d[w]).copy(d[w]).cmul(d[w])
        _swap(module, w, sq)
    try:
        got = module.updateGradInput(input, diagHessianOutput)
    finally:
        for w, sq in zip(weights, squares):
            _swap(module, w, sq)
        module.gradInput = saved_gi
    if got is not dhi:   # a module that answers with a tensor of its own
        dhi.resizeAs(got).copy(got)
    return dhi


def accDiagHessianParameters(module, input, diagHessianOutput, grads, hessians):
    """module's accGradParameters over the squared input, into the diagHessian fields."""
    if len(grads) != len(hessians):
        raise TorchTypeError("Number of gradients is not equal to number of hessians")
    d = module.__dict__
    sq = d.get("inputSq")
    if sq is None:
        sq = d["inputSq"] = input.new()
    sq.resizeAs(input).copy(input).cmul(input)
    for g, h in zip(grads, hessians):
        if d.get(h) is None and d.get(g) is not None:
            d[h] = d[g].new().resizeAs(d[g])
        _swap(module, g, h)
    saved_out = module.output
    module.output = saved_out.new().resizeAs(saved_out)
    try:
        module.forward(sq)
        module.accGradParameters(sq, diagHessianOutput, 1)
    finally:
        for g, h in zip(grads, hessians):
            _swap(module, g, h)
        module.output = saved_out


def updateDiagHessianInputPointWise(module, input, diagHessianOutput):
    """A pointwise f: diagHessianInput = f'(x)^2 * diagHessianOutput."""
    ones = diagHessianOutput.new().resizeAs(diagHessianOutput).fill(1)
    dhi = updateDiagHessianInput(module, input, ones, (), ())
    dhi.cmul(dhi).cmul(diagHessianOutput)
    return dhi


def initDiagHessianParameters(module, grads, hessians):
    d = module.__dict__
    if d.get("diagHessianInput") is None:
        d["diagHessianInput"] = module.gradInput.new()
    for g, h in zip(grads, hessians):
        if d.get(h) is None and d.get(g) is not None:
            d[h] = d[g].new().resizeAs(d[g])


# -- the methods enable() installs ---------------------------------------------------------------

def _undefined(self, input, diagHessianOutput):
    raise TorchTypeError("%s:updateDiagHessianInput() is undefined" % self.typename)


def _linear_methods(weights):
    def update(self, input, diagHessianOutput):
        return updateDiagHessianInput(self, input, diagHessianOutput, *weights)

    def acc(self, input, diagHessianOutput):
        accDiagHessianParameters(self, input, diagHessianOutput, *_GRADS)

    def init(self):
        initDiagHessianParameters(self, *_GRADS)
    return {"updateDiagHessianInput": update, "accDiagHessianParameters": acc,
            "initDiagHessianParameters": init}


def _pointwise(self, input, diagHessianOutput):
    return updateDiagHessianInputPointWise(self, input, diagHessianOutput)


def _tanhshrink(self, input, diagHessianOutput):
    inner = updateDiagHessianInputPointWise(self.tanh, input, diagHessianOutput)
    d = self.__dict__
    if d.get("diagHessianInput") is None:
        d["diagHessianInput"] = input.new()
    return d["diagHessianInput"].resizeAs(inner).copy(inner).add(diagHessianOutput)


def _reshape(self, input, diagHessianOutput):
    d = self.__dict__
    if d.get("diagHessianInput") is None:
        d["diagHessianInput"] = input.new()
    return d["diagHessianInput"].set(diagHessianOutput.contiguous()).resizeAs(input)


def _sequential_init(self):
    for m in self.modules:
        m.initDiagHessianParameters()


def _sequential_update(self, input, diagHessianOutput):
    h = diagHessianOutput
    mods = self.modules
    for i in range(len(mods) - 1, 0, -1):
        h = mods[i].updateDiagHessianInput(mods[i - 1].output, h)
    h = mods[0].updateDiagHessianInput(input, h)
    self.diagHessianInput = h
    return h


def _sequential_acc(self, input, diagHessianOutput):
    h = diagHessianOutput
    mods = self.modules
    for i in range(len(mods) - 1, 0, -1):
        mods[i].accDiagHessianParameters(mods[i - 1].output, h)
        h = mods[i].diagHessianInput
    mods[0].accDiagHessianParameters(input, h)


def _mse(self, input, target=None):
    d = self.__dict__
    if d.get("diagHessianInput") is None:
        d["diagHessianInput"] = input.new()
    val = 2.0 / input.nElement() if self.sizeAverage else 2.0
    return d["diagHessianInput"].resizeAs(input).fill(val)


def _l1cost(self, input, target=None):
    d = self.__dict__
    if d.get("diagHessianInput") is None:
        d["diagHessianInput"] = input.new()
    dhi = d["diagHessianInput"].resizeAs(input).fill(1)
    dhi._a[input._a == 0] = 0
    return dhi


def _methods():
    linear_w, linear_wb = _linear_methods(_W), _linear_methods(_WB)
    return {
        "Module": {"updateDiagHessianInput": _undefined,
                   "accDiagHessianParameters": lambda self, input, diagHessianOutput: None,
                   "initDiagHessianParameters": lambda self: None},
        "Criterion": {"updateDiagHessianInput": _undefined},
        "Sequential": {"initDiagHessianParameters": _sequential_init,
                       "updateDiagHessianInput": _sequential_update,
                       "accDiagHessianParameters": _sequential_acc},
        "MSECriterion": {"updateDiagHessianInput": _mse},
        "WeightedMSECriterion": {"updateDiagHessianInput": _mse},
        "L1Cost": {"updateDiagHessianInput": _l1cost},
        "Linear": linear_w, "SpatialConvolution": linear_w, "SpatialConvolutionLocal": linear_w,
        "SpatialFullConvolution": linear_w, "SpatialFullConvolutionMap": linear_w,
        "SpatialConvolutionMap": linear_wb,
        "Tanh": {"updateDiagHessianInput": _pointwise}, "Square": {"updateDiagHessianInput": _pointwise},
        "Sqrt": {"updateDiagHessianInput": _pointwise},
        "TanhShrink": {"updateDiagHessianInput": _tanhshrink},
        "Reshape": {"updateDiagHessianInput": _reshape},
    }


_enabled = []


def enable():
    """Install the diagonal-Hessian methods (once; later calls do nothing, as in Torch7)."""
    if _enabled:
        return
    from .. import nn
    for cls_name, methods in _methods().items():
        cls = getattr(nn, cls_name)
        for name, fn in methods.items():
            fn.__name__ = name
            setattr(cls, name, fn)
    _enabled.append(True)
