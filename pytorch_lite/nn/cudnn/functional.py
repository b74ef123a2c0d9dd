"""cudnn.functional: cudnn's stateless layer calls, over tensors the caller allocates.

Each runs the nn module that computes the same thing on the caller's tensors (the results land in
the given output/gradInput/gradWeight/gradBias; no module state survives the call and no random
number is drawn).  Conventions are cudnn's: a 3D tensor is one image; Convolution2D and Pooling
take (strideH, strideW, padH, padW) in that order; the gradients of the activations read the given
output; softmaxes are over each instance (all of C x H x W); bias and weight gradients accumulate
as gradX = alpha * gradX + scale * dX (alpha = scale = 1 by default).
"""
from ...errors import TorchValueError
from ..Module import Module
from ..ReLU import ReLU
from ..Tanh import Tanh
from ..Sigmoid import Sigmoid
from ..SoftMax import SoftMax
from ..LogSoftMax import LogSoftMax
from . import SpatialMaxPooling, SpatialAveragePooling   # cudnn's: half tensors pool in float
from .SpatialConvolution import SpatialConvolution


def _batch(t):
    return t.view(1, *list(t.size())) if t.dim() == 3 else t


def _sizes(t):
    return list(t.size())


def _conv(weight, dH, dW, padH, padW):
    """A bias-free convolution module over `weight` (nOutputPlane x nInputPlane x kH x kW), made
    without cudnn.SpatialConvolution's constructor (its reset would draw random numbers)."""
    if weight.dim() != 4:
        raise TorchValueError("cudnn.functional: expected a 4D weight (nOutputPlane x nInputPlane x kH x kW)")
    m = SpatialConvolution.__new__(SpatialConvolution)
    Module.__init__(m)
    m.nOutputPlane, m.nInputPlane, m.kH, m.kW = _sizes(weight)
    m.dH, m.dW, m.padH, m.padW = int(dH), int(dW), int(padH), int(padW)
    m.groups = 1
    m.weight = weight
    m.output, m.gradInput = weight.new(), weight.new()
    return m


def _expect(name, t, shape):
    if _sizes(t) != list(shape):
        raise TorchValueError("cudnn.functional.%s: %s is of wrong size (expected %s)"
                              % (name, "x".join(map(str, _sizes(t))), "x".join(map(str, shape))))


def bias2D_updateOutput(bias, output):
    out = _batch(output)
    out.add(bias.contiguous().view(1, bias.nElement(), 1, 1).expandAs(out))


def bias2D_accGradParameters(gradOutput, gradBias, scale=1, alpha=1):
    g = _batch(gradOutput)
    c = g.size(1)
    s = g.transpose(0, 1).contiguous().view(c, -1).sum(1).view(gradBias.size())
    gradBias.mul(alpha).add(scale, s)


def Convolution2D_updateOutput(input, weight, output, strideH, strideW, padH, padW):
    m = _conv(weight, strideH, strideW, padH, padW)
    y = m.updateOutput(_batch(input))
    _expect("Convolution2D_updateOutput", _batch(output), _sizes(y))
    _batch(output).copy(y)


def Convolution2D_updateGradInput(input, weight, gradOutput, gradInput, strideH, strideW, padH, padW):
    m = _conv(weight, strideH, strideW, padH, padW)
    gi = m.updateGradInput(_batch(input), _batch(gradOutput))
    _batch(gradInput).copy(gi)


def Convolution2D_accGradParameters(input, gradWeight, gradOutput, strideH, strideW, padH, padW,
                                    scale=1, alpha=1):
    m = _conv(gradWeight, strideH, strideW, padH, padW)
    gradWeight.mul(alpha)
    m.gradWeight = gradWeight
    m.accGradParameters(_batch(input), _batch(gradOutput), scale)


def _pool(max_pool, input, kH, kW, dH, dW, padH, padW, ceil_mode):
    cls = SpatialMaxPooling if max_pool else SpatialAveragePooling
    m = cls(int(kW), int(kH), int(dW), int(dH), int(padW or 0), int(padH or 0)).type(input.type())
    if ceil_mode:
        m.ceil()
    return m


def Pooling_updateOutput(max_pool, input, output, kH, kW, dH, dW, padH=0, padW=0, ceil_mode=False):
    m = _pool(max_pool, input, kH, kW, dH, dW, padH, padW, ceil_mode)
    y = m.updateOutput(_batch(input))
    _expect("Pooling_updateOutput", _batch(output), _sizes(y))
    _batch(output).copy(y)


def Pooling_updateGradInput(max_pool, input, output, gradOutput, gradInput, kH, kW, dH, dW, padH=0, padW=0,
                            ceil_mode=False):
    m = _pool(max_pool, input, kH, kW, dH, dW, padH, padW, ceil_mode)
    m.updateOutput(_batch(input))   # the arg max of each window (cudnn finds it again from x and y)
    _batch(gradInput).copy(m.updateGradInput(_batch(input), _batch(gradOutput)))


_ACTIVATIONS = {"ReLU": ReLU, "Tanh": Tanh, "Sigmoid": Sigmoid}


def activation_updateOutput(name, input, output):
    m = _ACTIVATIONS[name]().type(input.type())
    m.output = output
    m.updateOutput(input)


def activation_updateGradInput(name, input, output, gradOutput, gradInput):
    m = _ACTIVATIONS[name]().type(input.type())
    m.output, m.gradInput = output, gradInput
    m.updateGradInput(input, gradOutput)


def _instances(t):
    """t as (instances x values): cudnn's INSTANCE mode, one softmax over all of C x H x W."""
    n = t.size(0) if t.dim() > 1 else 1
    return t.contiguous().view(n, -1)


def softmax_updateOutput(log, input, output):
    m = (LogSoftMax if log else SoftMax)().type(input.type())
    output.resizeAs(input)
    output.copy(m.updateOutput(_instances(input)).view(input.size()))


def softmax_updateGradInput(log, input, output, gradOutput, gradInput):
    m = (LogSoftMax if log else SoftMax)().type(input.type())
    m.output = _instances(output)
    gi = m.updateGradInput(_instances(input), _instances(gradOutput))
    gradInput.resizeAs(input)
    gradInput.copy(gi.view(input.size()))
