"""nn.Jacobian: finite-difference checks of a module's gradients (nn doc/testing.md).

Every check compares what backpropagation says (``backward*``) against central differences of
``forward`` (``forward*``) and returns the largest absolute difference.  The functions only use
the module protocol (forward, updateGradInput, accGradParameters, accUpdateGradParameters,
parameters, clone, share), so they check Lua-defined modules as well as ours, and they draw
their random inputs from the global generator in the order Torch7's did.

``nn.SparseJacobian`` (``sparse_jacobian.py``) is the same over the value column of a sparse
``n x 2`` (index, value) input.
"""
import os
import tempfile

from ..tensor import Tensor


def _torch():
    import pytorch_lite   # the drawing functions (torch.rand, torch.uniform); nn loads first
    return pytorch_lite


def _rand_fill(t, minval, maxval):
    """t filled with uniform draws in [minval, maxval) (torch.rand(n):mul(range):add(min))."""
    lo = -2 if minval is None else minval
    hi = 2 if maxval is None else maxval
    draws = _torch().rand(t.nElement()).mul(hi - lo).add(lo)
    t.copy(draws)
    return t


def _flat(t):
    """A 1-D view of all of t's elements, sharing its storage (param.new(param):resize(n))."""
    return t.new(t).resize(t.nElement())


def _unit_outputs(module, input):
    """(gradOutput, its 1-D view): the loop below sets one element to 1 at a time."""
    out = module.forward(input)
    dout = out.new().resizeAs(out)
    return dout, dout.view(dout.nElement())


def backward(module, input, param=None, dparam=None, column=None):
    """d output / d param (param: the input when None) by backpropagation, param-major.

    ``column``: take the gradient of this column of a 2-D input only (SparseJacobian)."""
    dout, flat = _unit_outputs(module, input)
    n = flat.nElement()
    if param is not None:
        rows = param.nElement()
    elif column is not None:
        rows = input.size(0)
    else:
        rows = input.nElement()
    jac = Tensor(rows, n).zero()
    for i in range(n):
        dout.zero()
        flat[i] = 1
        module.zeroGradParameters()
        din = module.updateGradInput(input, dout)
        module.accGradParameters(input, dout)
        if param is not None:
            src = dparam
        elif column is not None:
            src = din.select(1, column)
        else:
            src = din
        jac.select(1, i).copy(src)
    return jac


def backwardUpdate(module, input, param):
    """The parameters after one accUpdateGradParameters step (lr 1) per unit gradOutput."""
    dout, flat = _unit_outputs(module, input)
    n = flat.nElement()
    jac = Tensor(param.nElement(), n).zero()
    params = module.parameters()[0]
    saved = [p.clone() for p in params]
    for i in range(n):
        for p, s in zip(params, saved):
            p.copy(s)
        dout.zero()
        flat[i] = 1
        module.zeroGradParameters()
        module.updateGradInput(input, dout)
        module.accUpdateGradParameters(input, dout, 1)
        jac.select(1, i).copy(param)
    for p, s in zip(params, saved):
        p.copy(s)
    return jac


def _perturbed(module, input, values, perturbation, update):
    """Central differences of the output over each element of ``values`` (a 1-D view)."""
    n = module.forward(input).nElement()
    jac = Tensor(values.nElement(), n)
    outa, outb = Tensor(n), Tensor(n)
    for i in range(values.nElement()):
        orig = values[i]
        values[i] = orig - perturbation
        outa.copy(module.forward(input))
        values[i] = orig + perturbation
        outb.copy(module.forward(input))
        values[i] = orig
        outb.add(-1, outa).div(2 * perturbation)
        row = jac.select(0, i)
        row.copy(outb)
        if update:   # what a unit step along -gradient would leave in the parameter
            row.mul(-1).add(values[i])
    return jac


def forward(module, input, param=None, perturbation=None, column=None):
    """d output / d param (the input when None) by central differences, param-major."""
    eps = 1e-6 if perturbation is None else perturbation
    if param is None and column is not None:
        values = input.select(1, column)
    else:
        values = _flat(input if param is None else param)
    return _perturbed(module, input, values, eps, False)


def forwardUpdate(module, input, param, perturbation=None):
    eps = 1e-6 if perturbation is None else perturbation
    return _perturbed(module, input, _flat(param), eps, True)


def _max_abs(a, b):
    return a.add(-1, b).abs().max()


def testJacobian(module, input, minval=None, maxval=None, perturbation=None):
    _rand_fill(input, minval, maxval)
    fprop = forward(module, input, input, perturbation)
    bprop = backward(module, input)
    return _max_abs(fprop, bprop)


def testJacobianParameters(module, input, param, dparam, minval=None, maxval=None, perturbation=None):
    _rand_fill(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    bprop = backward(module, input, param, dparam)
    fprop = forward(module, input, param, perturbation)
    return _max_abs(fprop, bprop)


def testJacobianUpdateParameters(module, input, param, minval=None, maxval=None, perturbation=None):
    _rand_fill(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    bprop = backwardUpdate(module, input, param)
    fprop = forwardUpdate(module, input, param, perturbation)
    return _max_abs(fprop, bprop)


# -- diagonal Hessians (nn.hessian): of F = sum(output^2) / 2, whose second derivative in every
# output is 1, so updateDiagHessianInput/accDiagHessianParameters with ones must agree with the
# squared first derivatives summed over outputs, for modules linear in input and weights ------

def backwardDiagHessian(module, input, diagHessianParamName):
    out = module.forward(input)
    ones = out.new().resizeAs(out).fill(1)
    module.diagHessianWeight.zero()
    module.diagHessianBias.zero()
    module.updateDiagHessianInput(input, ones)
    module.accDiagHessianParameters(input, ones)
    return getattr(module, diagHessianParamName)


def linearModuleDiagHessian(module, input, gradParamName):
    diag = None   # sized after the first backward (gradInput may still be empty before it)
    dout, flat = _unit_outputs(module, input)
    for i in range(flat.nElement()):
        flat.zero()
        flat[i] = 1
        module.gradWeight.zero()
        if getattr(module, "bias", None) is not None:
            module.gradBias.zero()
        module.updateGradInput(input, dout)
        module.accGradParameters(input, dout)
        grad = getattr(module, gradParamName)
        if diag is None:
            diag = grad.new().resize(grad.nElement()).zero()
        diag.addcmul(grad, grad)
    return diag


def testDiagHessian(module, input, gradParamName, diagHessianParamName, minval=None, maxval=None):
    _rand_fill(input, minval, maxval)
    module.initDiagHessianParameters()
    by_hessian = backwardDiagHessian(module, input, diagHessianParamName)
    by_grads = linearModuleDiagHessian(module, input, gradParamName)
    return _max_abs(by_hessian.clone(), by_grads.view(by_hessian.size()) if by_hessian.dim() else by_grads)


def testDiagHessianInput(module, input, minval=None, maxval=None):
    return testDiagHessian(module, input, "gradInput", "diagHessianInput", minval, maxval)


def testDiagHessianWeight(module, input, minval=None, maxval=None):
    return testDiagHessian(module, input, "gradWeight", "diagHessianWeight", minval, maxval)


def testDiagHessianBias(module, input, minval=None, maxval=None):
    return testDiagHessian(module, input, "gradBias", "diagHessianBias", minval, maxval)


# -- a save/load round trip and the four ways of updating weights ----------------------------------

def _on_cuda(module):
    return any(getattr(v, "is_cuda", False) for v in vars(module).values())


def _round_trip(module):
    """module written to a t7 file and read back (clearState first, which must return module)."""
    from .. import serialization
    if module.clearState() is not module:
        raise AssertionError("clearState did not return self")
    fd, path = tempfile.mkstemp(suffix=".t7")
    os.close(fd)
    try:
        serialization.save(path, module)
        # a Cuda module reads back as Cuda, as Torch7's readObject does once cutorch is loaded;
        # called from a Lua script, the copy is what that script's torch.load would give
        from . import utils
        finish = utils.lua_loader() if utils.lua_loader is not None else None
        copy = serialization.load(path, restore_cuda=_on_cuda(module), allow_functions=finish is not None)
        if finish is not None:
            copy = finish(copy)
    finally:
        if os.path.exists(path):   # save removes what it could not finish: its error is the one
            os.remove(path)
    if type(copy) is not type(module) and isinstance(module, type(copy)):
        copy.__class__ = type(module)   # a caller's subclass of it (the bridge's 1-based one)
    return copy


def _run_once(module, input, gradOutput):
    module.forward(input)
    module.zeroGradParameters()
    module.updateGradInput(input, gradOutput)
    module.accGradParameters(input, gradOutput)
    return module.output.clone(), module.gradInput.clone()


def testIO(module, input, minval=None, maxval=None):
    """(forward error, backward error) of a copy written and read back against the module."""
    input_copy = input.clone()
    out = module.forward(input)
    go = _rand_fill(out.clone(), minval, maxval)
    go_copy = go.clone()
    fo, bo = _run_once(module, input, go)
    copy = _round_trip(module)
    fo2, bo2 = _run_once(copy, input_copy, go_copy)
    errb = 0 if bo.nElement() == 0 else _max_abs(bo, bo2)
    return _max_abs(fo, fo2), errb


def testAllUpdate(module, input, weight, gradWeight):
    """{way: error} for accGradParameters, accUpdateGradParameters and both with a shared copy."""
    lr = _torch().uniform(0.1, 1)
    errors = {}

    acc = module.clone()
    w0 = getattr(acc, weight).clone()
    acc.forward(input)
    gradOutput = _torch().rand(acc.output.size())
    acc.zeroGradParameters()
    acc.updateGradInput(input, gradOutput)
    acc.accGradParameters(input, gradOutput)
    acc.updateParameters(lr)
    step = getattr(acc, gradWeight)

    def off(w, k):   # | w0 - k * lr * gradWeight - w |
        return w0.clone().add(-k * lr, step).add(-1, w).norm()
    errors["accGradParameters"] = off(getattr(acc, weight), 1)

    upd = module.clone()
    upd.forward(input)
    upd.updateGradInput(input, gradOutput)
    upd.accUpdateGradParameters(input, gradOutput, lr)
    errors["accUpdateGradParameters"] = getattr(upd, weight).clone().add(-1, getattr(acc, weight)).norm()

    for name, use_update in (("accGradParameters [shared]", False), ("accUpdateGradParameters [shared]", True)):
        m1, m2 = module.clone(), module.clone()
        m2.share(m1, weight)
        for m in (m1, m2):
            m.forward(input)
        if not use_update:
            m1.zeroGradParameters()
            m2.zeroGradParameters()
        for m in (m1, m2):
            m.updateGradInput(input, gradOutput)
        for m in (m1, m2):
            if use_update:
                m.accUpdateGradParameters(input, gradOutput, lr)
            else:
                m.accGradParameters(input, gradOutput)
        if not use_update:
            m1.updateParameters(lr)
            m2.updateParameters(lr)
        errors[name] = off(getattr(m1, weight), 2) + off(getattr(m2, weight), 2)
    return errors
