"""nn.SpatialPadding(pad_l[, pad_r, pad_t, pad_b, y_dim, x_dim, val]): pads (or, with negative
pads, crops) two dims of the input with the value val (0 by default); the right, top and bottom
pads default to pad_l.  y_dim/x_dim are 0-based here (default 1, 2), 1-based in Lua and t7."""
from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils


class SpatialPadding(Module):
    typename = "nn.SpatialPadding"
    t7_index_fields = ("y_dim", "x_dim")

    def __init__(self, pad_l=None, pad_r=None, pad_t=None, pad_b=None, y_dim=None, x_dim=None, val=None):
        super().__init__()
        if pad_l is None:
            raise TorchValueError("nn.SpatialPadding(pad_l[, pad_r, pad_t, pad_b, y_dim, x_dim, val]): "
                                  "left padding required")
        self.pad_l = pad_l
        self.pad_r = pad_l if pad_r is None else pad_r
        self.pad_t = pad_l if pad_t is None else pad_t
        self.pad_b = pad_l if pad_b is None else pad_b
        self.x_dim = 2 if x_dim is None else x_dim
        self.y_dim = 1 if y_dim is None else y_dim
        if self.x_dim % 1 != 0:
            raise TorchValueError("x_dim must be integer")
        if self.y_dim % 1 != 0:
            raise TorchValueError("y_dim must be integer")
        self.val = 0 if val is None else val

    def _windows(self, input):
        """(index into the padded tensor, index into the input) of the part they share."""
        y, x = int(self.y_dim), int(self.x_dim)
        if input.dim() <= max(x, y):
            utils.bad_input(self, "a tensor with at least %d dims" % (max(x, y) + 1), input)
        h = input._size[y] + self.pad_t + self.pad_b
        w = input._size[x] + self.pad_l + self.pad_r
        if w < 1 or h < 1:
            raise TorchValueError("input is too small")
        big, small = [slice(None)] * input.dim(), [slice(None)] * input.dim()
        for d, lo, hi, n in ((y, int(self.pad_t), int(self.pad_b), h), (x, int(self.pad_l), int(self.pad_r), w)):
            n_in = input._size[d]
            small[d] = slice(max(0, -lo), n_in - max(0, -hi))
            big[d] = slice(max(0, lo), n - max(0, hi))
        size = list(input._size)
        size[y], size[x] = h, w
        return tuple(size), tuple(big), tuple(small)

    def updateOutput(self, input):
        size, big, small = self._windows(input)
        if type(self.output) is not type(input):
            self.output = input.new()
        self.output.resize(*size)
        self.output._a[...] = self.val
        self.output._a[big] = input._a[small]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        size, big, small = self._windows(input)
        if tuple(gradOutput._size) != size:
            utils.bad_input(self, "a gradOutput of size %s" % "x".join(map(str, size)), gradOutput)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = 0
        self.gradInput._a[small] = gradOutput._a[big]
        return self.gradInput
