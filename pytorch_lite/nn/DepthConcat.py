"""nn.DepthConcat(dimension): Concat whose smaller outputs are centred in zero padding along the
other dimensions (GoogLeNet's inception joins)."""
from .Concat import Concat


class DepthConcat(Concat):
    def _window(self, t, cur, off):
        w = t.narrow(self.dimension, off, cur._size[self.dimension])
        for d, n in enumerate(self.outputSize):
            c = cur._size[d]
            if d != self.dimension and n != c:
                w = w.narrow(d, (n - c) // 2, c)
        return w

    def updateOutput(self, input):
        outs = [self.rethrowErrors(m, i, "updateOutput", input) for i, m in enumerate(self.modules)]
        d = self.dimension
        self._check_dim(outs[0])
        size = list(outs[0]._size)
        for o in outs[1:]:
            self._check_dim(o)
            if o.dim() != len(size):
                self._check_dim(None)
            for k in range(len(size)):
                size[k] = size[k] + o._size[k] if k == d else max(size[k], o._size[k])
        self.outputSize = size
        self.output.resize(*size).zero()
        off = 0
        for o in outs:
            self._window(self.output, o, off).copy(o)
            off += o._size[d]
        return self.output

    def _backward(self, input, gradOutput, fn, *extra):
        self.gradInput.resizeAs(input)
        off = 0
        first = True
        for i, m in enumerate(self.modules):
            g = fn(i, m, input, self._window(gradOutput, m.output, off))
            if g is not None:
                if first:
                    self.gradInput.copy(g)
                    first = False
                else:
                    self.gradInput._a[...] += g._a.reshape(self.gradInput._a.shape)
            off += m.output._size[self.dimension]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        off = 0
        for i, m in enumerate(self.modules):
            g = self._window(gradOutput, m.output, off)
            self.rethrowErrors(m, i, "accGradParameters", input, g, scale)
            off += m.output._size[self.dimension]

    def accUpdateGradParameters(self, input, gradOutput, lr):
        off = 0
        for i, m in enumerate(self.modules):
            g = self._window(gradOutput, m.output, off)
            self.rethrowErrors(m, i, "accUpdateGradParameters", input, g, lr)
            off += m.output._size[self.dimension]
