"""nn.BatchNormalization(nOutput, eps=1e-5, momentum=0.1, affine=True): normalises each feature
of a mini-batch (nDim = 2: batch x nOutput) by the batch's mean and standard deviation in
training mode, by the running estimates (running_mean, running_var) in evaluate mode; affine
adds a learnt scale (weight) and shift (bias).  Spatial/VolumetricBatchNormalization are the
same module over 4D/5D inputs."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class BatchNormalization(Module):
    nDim = 2

    def __init__(self, nOutput, eps=1e-5, momentum=0.1, affine=True):
        super().__init__()
        if not isinstance(nOutput, int) or isinstance(nOutput, bool) or nOutput <= 0:
            raise TorchValueError("%s: the number of features must be a positive integer, got %r"
                                  % (self.typename, nOutput))
        if not isinstance(affine, bool):
            raise TorchValueError("%s: affine has to be true/false" % self.typename)
        self.affine = affine
        self.eps = eps
        self.train = True
        self.momentum = momentum
        self.running_mean = Tensor(nOutput).zero()
        self.running_var = Tensor(nOutput).fill(1)
        if affine:
            self.weight = Tensor(nOutput)
            self.bias = Tensor(nOutput)
            self.gradWeight = Tensor(nOutput)
            self.gradBias = Tensor(nOutput)
            self.reset()

    def reset(self, stdv=None):
        if S.get(self, "weight") is not None:
            utils.uniform_(self.weight, 0, 1)
        if S.get(self, "bias") is not None:
            self.bias.zero()
        self.running_mean.zero()
        self.running_var.fill(1)
        return self

    def _view(self, input):
        """input checked, as a contiguous (N, C, S) array."""
        nf = self.running_mean.nElement()
        nd = self.nDim
        ok_dims = (nd, nd - 1) if self.train is False else (nd,)
        if not isinstance(input, Tensor) or input.dim() not in ok_dims:
            raise TorchValueError("%s: only mini-batch supported (%dD tensor), got %s instead"
                                  % (self.typename, nd, ("%dD tensor" % input.dim()) if isinstance(input, Tensor)
                                     else type(input).__name__))
        S.check_tensor(self, input, ok_dims, "a %dD tensor" % nd)
        x = S.arr(input)
        if input.dim() == nd - 1:
            x = x.reshape((1,) + x.shape)
        if x.shape[1] != nf:
            raise TorchValueError("%s: got %d-feature tensor, expected %d" % (self.typename, x.shape[1], nf))
        if input.dtype != self.running_mean.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.running_mean.typename, input)
        return x.reshape(x.shape[0], nf, -1)

    def _batch_stats(self, x):
        # as Torch7: a batch of one normalizes with the running statistics (and leaves them be)
        # even in training, where its own variance would be zero
        return bool(self.train) and x.shape[0] > 1

    def updateOutput(self, input):
        x = self._view(input)
        C = x.shape[1]
        y = S.out(self.output, input._size).reshape(x.shape)
        smean = S.buffer(self, "save_mean", input, (C,))
        sstd = S.buffer(self, "save_std", input, (C,))
        w, b = S.get(self, "weight"), S.get(self, "bias")
        S.kernels("norm", input).batchnorm_forward(
            x, y, None if w is None else S.arr(w), None if b is None else S.arr(b),
            self.running_mean._a, self.running_var._a, smean, sstd, self._batch_stats(x),
            float(self.momentum), float(self.eps))
        return self.output

    def _backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias):
        x = self._view(input)
        S.check_grad(self, gradOutput, input._size)
        if S.get(self, "save_mean") is None or self.save_mean.nElement() != x.shape[1]:
            raise TorchValueError("%s: must call updateOutput() first" % self.typename)
        g = S.arr(gradOutput).reshape(x.shape)
        gi = None
        if gradInput is not None:
            gi = S.out(gradInput, input._size).reshape(x.shape)
        w = S.get(self, "weight")
        S.kernels("norm", input).batchnorm_backward(
            x, g, gi, None if gradWeight is None else gradWeight._a, None if gradBias is None else gradBias._a,
            None if w is None else S.arr(w), self.running_mean._a, self.running_var._a,
            self.save_mean._a, self.save_std._a, self._batch_stats(x), float(scale), float(self.eps))
        return self.gradInput

    def backward(self, input, gradOutput, scale=1):
        return self._backward(input, gradOutput, scale, self.gradInput, S.get(self, "gradWeight"),
                              S.get(self, "gradBias"))

    def updateGradInput(self, input, gradOutput):
        return self._backward(input, gradOutput, 1, self.gradInput, None, None)

    def accGradParameters(self, input, gradOutput, scale=1):
        if S.get(self, "gradWeight") is None and S.get(self, "gradBias") is None:
            return
        self._backward(input, gradOutput, scale, None, S.get(self, "gradWeight"), S.get(self, "gradBias"))

    def clearState(self):
        utils.clear(self, "buffer", "buffer2", "centered", "std", "normalized", "_input", "_gradOutput",
                    "save_mean", "save_std")
        return super().clearState()

    @classmethod
    def _t7_fields_in(cls, fields):
        # version 1 files keep running_std (1/sqrt(var + eps)) instead of running_var
        rs = fields.pop("running_std", None)
        if rs is not None and fields.get("running_var") is None:
            var = rs.clone()
            a = var._a
            a[...] = a ** -2.0 - fields.get("eps", 1e-5)
            fields["running_var"] = var
        return fields

    def __tostring__(self):
        return "%s (%dD) (%d)" % (self.typename, self.nDim, self.running_mean.nElement())
