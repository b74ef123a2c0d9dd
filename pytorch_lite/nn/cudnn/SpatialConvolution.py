"""cudnn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0, groups=1):
nn.SpatialConvolution with cuDNN's groups: the input planes and the output planes are split into
`groups` equal blocks and block g of the output sees only block g of the input, so the weight is
nOutputPlane x nInputPlane/groups x kH x kW.  groups = 1 is nn's convolution (also for files
written before cudnn had groups); padH defaults to 0, not to padW as in nn."""
from ...errors import TorchValueError
from ...cuda.device import array_module as _xp
from ...tensor import Tensor
from ..SpatialConvolution import SpatialConvolution as _NNConvolution
from .. import _spatial as S


class SpatialConvolution(_NNConvolution):
    typename = "cudnn.SpatialConvolution"
    groups = 1

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0, groups=1):
        groups = 1 if groups is None else int(groups)
        if groups < 1 or nInputPlane % groups or nOutputPlane % groups:
            raise TorchValueError("cudnn.SpatialConvolution: nInputPlane (%d) and nOutputPlane (%d) should be "
                                  "divisible by groups (%d)" % (nInputPlane, nOutputPlane, groups))
        self.groups = groups
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW or 0, padH or 0)
        if groups != 1:
            shape = (nOutputPlane, nInputPlane // groups, kH, kW)
            self.weight = Tensor(*shape)
            self.gradWeight = Tensor(*shape)
            self.reset()

    # the fan-in of reset stays kW*kH*nInputPlane whatever the groups, as cudnn's (nn's) reset

    def _blocks(self, input, x):
        """(groups, input planes, output planes per block, the kernel table, the array module)."""
        G = int(self.groups or 1)
        return G, self.nInputPlane // G, self.nOutputPlane // G, S.kernels("conv", input), _xp(x)

    def _weight_blocks(self, w, G, Og, Cg):
        return w.reshape(G * Og, Cg, self.kH, self.kW)

    def updateOutput(self, input):
        if int(self.groups or 1) == 1:
            return super().updateOutput(input)
        x, batch, oH, oW = self._geometry(input)
        G, Cg, Og, k, xp = self._blocks(input, x)
        N = x.shape[0]
        shape = (N, self.nOutputPlane, oH, oW)
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        w = self._weight_blocks(self.weight._a, G, Og, Cg)
        bias = S.get(self, "bias")
        cols = xp.empty((Cg * self.kH * self.kW, N, oH * oW), dtype=x.dtype)
        yg = xp.empty((N, Og, oH, oW), dtype=x.dtype)
        for g in range(G):
            i, o = slice(g * Cg, (g + 1) * Cg), slice(g * Og, (g + 1) * Og)
            k.conv_updateOutput(xp.ascontiguousarray(x[:, i]), yg, xp.ascontiguousarray(w[o]),
                                None if bias is None else xp.ascontiguousarray(bias._a[o]), cols,
                                self.kH, self.kW, self.padH, self.padW, self.dH, self.dW, 1, 1)
            y[:, o] = yg
        return self.output

    def _grad_blocks(self, input, gradOutput):
        x, batch, oH, oW = self._geometry(input)
        shape = (x.shape[0], self.nOutputPlane, oH, oW)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        return x, S.arr(gradOutput).reshape(shape), oH * oW

    def updateGradInput(self, input, gradOutput):
        if int(self.groups or 1) == 1 or self.gradInput is None:
            return super().updateGradInput(input, gradOutput)
        x, go, L = self._grad_blocks(input, gradOutput)
        G, Cg, Og, k, xp = self._blocks(input, x)
        N = x.shape[0]
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        w = self._weight_blocks(self.weight._a, G, Og, Cg)
        cols = xp.empty((Cg * self.kH * self.kW, N, L), dtype=x.dtype)
        for g in range(G):
            i, o = slice(g * Cg, (g + 1) * Cg), slice(g * Og, (g + 1) * Og)
            gig = xp.zeros((N, Cg) + x.shape[2:], dtype=x.dtype)
            k.conv_updateGradInput(xp.ascontiguousarray(go[:, o]), gig, xp.ascontiguousarray(w[o]), cols,
                                   self.kH, self.kW, self.padH, self.padW, self.dH, self.dW, 1, 1)
            gi[:, i] = gig
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if int(self.groups or 1) == 1:
            return super().accGradParameters(input, gradOutput, scale)
        x, go, L = self._grad_blocks(input, gradOutput)
        G, Cg, Og, k, xp = self._blocks(input, x)
        N = x.shape[0]
        gw = self._weight_blocks(self.gradWeight._a, G, Og, Cg)
        bias = S.get(self, "bias")
        cols = xp.empty((Cg * self.kH * self.kW, N, L), dtype=x.dtype)
        for g in range(G):
            i, o = slice(g * Cg, (g + 1) * Cg), slice(g * Og, (g + 1) * Og)
            k.im2col(xp.ascontiguousarray(x[:, i]), cols, self.kH, self.kW, self.padH, self.padW,
                     self.dH, self.dW, 1, 1)
            k.conv_accGradParameters(xp.ascontiguousarray(go[:, o]), gw[o],
                                     None if bias is None else self.gradBias._a[o], cols, scale)

    def __tostring__(self):
        s = self._shape_str()
        if int(self.groups or 1) != 1:
            s += ", groups %d" % self.groups
        return s + S.bias_str(self)
