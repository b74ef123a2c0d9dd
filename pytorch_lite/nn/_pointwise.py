"""What Torch7's elementwise modules share (not a module file): THNN's Abs, Exp, Tanh, ... all
compute `output = f(input)` and `gradInput = gradOutput * f'(input or output)`; a subclass names only
its two numpy kernels. In-place helpers for the modules with an `inplace` field sit below."""
import numpy as np

from .Module import Module
from . import utils

_HALF = np.dtype(np.float16)


class Pointwise(Module):
    """A subclass defines fw(x, y) (writes f(x) into y) and bw(x, y, g, gi) (writes gradInput
    into gi from the input x, the output y and gradOutput g, all arrays of input's shape)."""
    typename = None  # no Torch7 class of its own (isTypeOf and the t7 registry never see it)

    # (resizeAs and check_grad written out for the common case: at a recurrent step's sizes
    # the calls cost as much as the arithmetic)
    def updateOutput(self, input):
        x = input._a
        out = self.output
        if out._size != input._size:
            out.resize(*input._size)
        if x.dtype == _HALF:   # a CudaHalfTensor: computed in float (cunn's accreal), rounded once
            y = x.astype(np.float32)
            self.fw(x.astype(np.float32), y)
            out._a[...] = y
            return out
        self.fw(x, out._a)
        return out

    def updateGradInput(self, input, gradOutput):
        if type(gradOutput) is not type(input) or gradOutput._size != input._size:
            utils.check_grad(self, input, gradOutput)   # another shape: the element counts must agree
        x = input._a
        y = self.output._a
        g = gradOutput._a
        if g.shape != x.shape:
            g = g.reshape(x.shape)
        gi = self.gradInput
        if gi._size != input._size:
            gi.resize(*input._size)
        if x.dtype == _HALF:
            up = [a.astype(np.float32) for a in (x, y, g)]
            r = up[0].copy()
            self.bw(*up, r)
            gi._a[...] = r
            return gi
        self.bw(x, y, g, gi._a)
        return gi


class ConstantOp(Module):
    """AddConstant and MulConstant: y = op(x, constant_scalar), op a numpy ufunc class attribute;
    in place, x itself changes and output becomes the input."""
    typename = None  # no Torch7 class of its own
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, constant_scalar, ip=False):
        super().__init__()
        self.constant_scalar = constant_scalar
        self.inplace = bool(ip)

    def updateOutput(self, input):
        if self.inplace:
            self.op(input._a, self.constant_scalar, out=input._a)
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            self.op(input._a, input.dtype.type(self.constant_scalar), out=self.output._a)
        return self.output


def outside_lambda(module, x):
    """|x| > lambda: where HardShrink and SoftShrink pass the gradient (Torch7's field `lambda`)."""
    lam = module.__dict__["lambda"]
    return (x > lam) | (x < -lam)


def write_result(module, field, src, src_arr, like, value):
    """module.<field> (output or gradInput) := value. In place, value goes over src_arr (src's
    array) and the field becomes src; otherwise the field is resized as `like` and filled."""
    t = getattr(module, field)
    if module.inplace:
        np.copyto(src_arr, value)
        t.set(src)
    else:
        t.resizeAs(like)
        np.copyto(t._a, value)
    return t


def zero_grad_where(module, input, gradOutput, g, mask):
    """gradInput := gradOutput (as array g) with the elements under `mask` zeroed; in place, g
    itself is zeroed there and gradInput becomes gradOutput."""
    if module.inplace:
        np.copyto(g, 0, where=mask)
        module.gradInput.set(gradOutput)
    else:
        module.gradInput.resizeAs(input)
        np.copyto(module.gradInput._a, np.where(mask, 0, g))
    return module.gradInput
