"""Elementwise modules (transfer functions, constants, evaluate-mode noise) and softmaxes."""
import math

from ..declare import declare
from ...nn._softmax import softmax_axis


def _unary(op):
    return lambda m, g, x, s: g.unary(op, x)


for _name, _op in (("ReLU", "relu"), ("Tanh", "tanh"), ("Sigmoid", "sigmoid"), ("Abs", "abs"), ("Exp", "exp"),
                   ("Log", "log"), ("Sqrt", "sqrt")):
    declare("nn." + _name)(_unary(_op))


@declare("nn.Identity", "nn.Copy", "nn.Contiguous", "nn.GradientReversal", "nn.ZeroGrad", "nn.PrintSize",
         "nn.L1Penalty", "nn.WhiteNoise")
def identity(m, g, x, s):
    """Identity in evaluate mode (WhiteNoise adds noise only while training; Copy's type cast
    is the exporter's float type)."""
    return x


@declare("nn.Dropout", "nn.SpatialDropout", "nn.VolumetricDropout")
def dropout(m, g, x, s):
    # evaluate mode: Dropout v2 (the default) passes through; v1 and the spatial ones scale by 1 - p
    scale = m.typename != "nn.Dropout" or m.__dict__.get("v2", True) is False
    return g.mul(x, 1.0 - m.p) if scale and m.p else x


@declare("nn.RReLU")
def rrelu(m, g, x, s):
    # evaluate mode: the mean slope (l + u) / 2 for x <= 0
    slope = (m.lower + m.upper) / 2
    return g.where(g.compare("le", x, 0.0), g.mul(x, slope), x)


@declare("nn.LeakyReLU")
def leaky_relu(m, g, x, s):
    return g.leaky_relu(x, m.negval)


@declare("nn.ELU")
def elu(m, g, x, s):
    return g.elu(x, m.alpha)


@declare("nn.HardTanh", "nn.Clamp", "nn.ReLU6")
def hard_tanh(m, g, x, s):
    return g.clamp(x, float(m.min_val), float(m.max_val))


@declare("cudnn.ClippedReLU")
def clipped_relu(m, g, x, s):
    return g.clamp(x, 0.0, float(m.ceiling))


@declare("nn.Threshold")
def threshold(m, g, x, s):
    return g.where(g.compare("gt", x, float(m.threshold)), x, float(m.val))


@declare("nn.SoftSign")
def soft_sign(m, g, x, s):
    return g.div(x, g.add(g.unary("abs", x), 1.0))


@declare("nn.LogSigmoid")
def log_sigmoid(m, g, x, s):
    return g.unary("log", g.unary("sigmoid", x))


@declare("nn.SoftPlus")
def soft_plus(m, g, x, s):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold."""
    bx = g.mul(x, float(m.beta))
    soft = g.div(g.unary("log", g.add(g.unary("exp", g.minimum(bx, float(m.threshold))), 1.0)), float(m.beta))
    return g.where(g.compare("gt", bx, float(m.threshold)), x, soft)


@declare("nn.HardShrink")
def hard_shrink(m, g, x, s):
    lam = float(getattr(m, "lambda"))
    keep = g.compare("gt", g.unary("abs", x), lam)
    return g.where(keep, x, 0.0)


@declare("nn.SoftShrink")
def soft_shrink(m, g, x, s):
    lam = float(getattr(m, "lambda"))
    return g.where(g.compare("gt", x, lam), g.sub(x, lam), g.where(g.compare("lt", x, -lam), g.add(x, lam), 0.0))


@declare("nn.TanhShrink")
def tanh_shrink(m, g, x, s):
    return g.sub(x, g.unary("tanh", x))


@declare("nn.Square")
def square(m, g, x, s):
    return g.mul(x, x)


@declare("nn.Power")
def power(m, g, x, s):
    return g.pow(x, float(m.pow))


@declare("nn.MulConstant")
def mul_constant(m, g, x, s):
    return g.mul(x, float(m.constant_scalar))


@declare("nn.AddConstant")
def add_constant(m, g, x, s):
    return g.add(x, float(m.constant_scalar))


@declare("nn.SoftMax", "nn.SpatialSoftMax")
def softmax(m, g, x, s):
    return g.softmax(x, softmax_axis(m, s.xin))


@declare("nn.LogSoftMax", "nn.SpatialLogSoftMax")
def log_softmax(m, g, x, s):
    return g.softmax(x, softmax_axis(m, s.xin), log=True)


@declare("cudnn.VolumetricSoftMax", "cudnn.VolumetricLogSoftMax")
def volumetric_softmax(m, g, x, s):
    return g.softmax(x, 1 if s.xin.dim() == 5 else 0, log=m.typename == "cudnn.VolumetricLogSoftMax")


@declare("nn.SoftMin")
def softmin(m, g, x, s):
    return g.softmax(g.unary("neg", x), softmax_axis(m, s.xin))


@declare("nn.CReLU")
def crelu(m, g, x, s):
    d = 1 if s.xin.dim() == m.nInputDims + 1 else 0
    return g.unary("relu", g.cat([x, g.unary("neg", x)], d))


@declare("nn.GatedLinearUnit")
def gated_linear_unit(m, g, x, s):
    d = m.dim if m.dim is not None else s.xin.dim() - 1
    d = d + s.xin.dim() if d < 0 else d
    h = s.xin.size(d) // 2
    return g.mul(g.narrow(x, d, 0, h), g.unary("sigmoid", g.narrow(x, d, h, h)))


@declare("nn.Normalize")
def normalize(m, g, x, s):
    """x / (sum |x|^p + eps)^(1/p) per row (p = inf: max |x| + eps)."""
    d = s.xin.dim() - 1
    a = g.unary("abs", x)
    if m.p == math.inf:
        norm = g.add(g.reduce("max", a, [d], True), float(m.eps))
    else:
        sp = g.reduce("sum", a if m.p == 1 else g.pow(a, float(m.p)), [d], True)
        norm = g.pow(g.add(sp, float(m.eps)), 1.0 / m.p)
    return g.div(x, norm)
