"""nn.VolumetricDilatedConvolution(nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1,
padT=0, padW=0, padH=0, dilationT=1, dilationW=1, dilationH=1): VolumetricConvolution whose
kernel taps are dilation apart (the math on numpy views, pytorch_lite.nn._nd)."""
from .VolumetricConvolution import VolumetricConvolution
from . import utils
from . import _nd
from . import _spatial as S


class VolumetricDilatedConvolution(VolumetricConvolution):
    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0, padH=0,
                 dilationT=1, dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.dilationT, self.dilationW, self.dilationH = dilationT, dilationW, dilationH

    def _nd_args(self):
        return ((self.dT, self.dH, self.dW), (self.padT, self.padH, self.padW),
                (self.dilationT, self.dilationH, self.dilationW))

    def _x(self, input):
        nIn = self.nInputPlane
        expected = "a 4D (%d x T x H x W) or 5D (batch x %d x T x H x W) tensor" % (nIn, nIn)
        S.check_tensor(self, input, (4, 5), expected)
        x = S.arr(input)
        x = x if input.dim() == 5 else x[None]
        osz = _nd.out_size(x.shape[2:], self.weight._size[2:], *self._nd_args())
        if x.shape[1] != nIn or min(osz) < 1:
            utils.bad_input(self, expected + " at least as large as the dilated kernel", input)
        return x, input.dim() == 5

    def updateOutput(self, input):
        x, batch = self._x(input)
        y = _nd.conv_forward(x, self.weight._a, *self._nd_args())
        bias = S.get(self, "bias")
        if bias is not None:
            y += bias._a.reshape(1, -1, 1, 1, 1)
        S.out(self.output, y.shape if batch else y.shape[1:])[...] = y if batch else y[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, batch = self._x(input)
        g = S.arr(gradOutput).reshape((x.shape[0], self.nOutputPlane) + self.output._size[-3:])
        gi = _nd.conv_backward_input(g, self.weight._a, x.shape[2:], *self._nd_args())
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, batch = self._x(input)
        g = S.arr(gradOutput).reshape((x.shape[0], self.nOutputPlane) + self.output._size[-3:])
        self.gradWeight._a[...] += scale * _nd.conv_backward_weight(x, g, self.weight._size[2:], *self._nd_args())
        if S.get(self, "bias") is not None:
            self.gradBias._a[...] += scale * g.sum(axis=(0, 2, 3, 4))

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
        s += S.step_str(self, "TWH") + ", %d,%d,%d" % (self.dilationT, self.dilationW, self.dilationH)
        return s + S.bias_str(self)
