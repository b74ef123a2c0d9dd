"""The ONNX side of the declarations: the same primitives as ``to_torch.TorchCode``, each writing
ONNX nodes (opset 17, float32; LookupTable indices int64).  Initializers carry the .npz names
(``0.weight``); a dynamic batch is the symbolic first dimension ``batch`` of inputs and outputs."""
import numpy as np

OPSET = 17


def _ints(vals):
    return np.asarray(list(vals), dtype=np.int64)


class OnnxGraph:
    backend = "onnx"

    def __init__(self):
        import onnx
        self.onnx = onnx
        self.h = onnx.helper
        self.nodes = []
        self.inits = []
        self.names = set()
        self.ints = set()      # values holding int64
        self.count = 0

    def comment(self, text):
        pass

    def name(self, base):
        self.count += 1
        return "%s_%d" % (base, self.count)

    def _init(self, name, arr):
        if name not in self.names:
            self.names.add(name)
            arr = np.asarray(arr)
            if arr.dtype == np.float64:
                arr = arr.astype(np.float32)
            self.inits.append(self.onnx.numpy_helper.from_array(np.array(arr, order="C"), name))
        return name

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self.name(op_type) for _ in range(n_out)]
        self.nodes.append(self.h.make_node(op_type, list(inputs), outs, name=self.name(op_type + "_n"), **attrs))
        return outs[0] if n_out == 1 else outs

    def _val(self, v):
        if isinstance(v, str):
            return v
        return self.const(np.asarray(v, dtype=np.float32))

    def const(self, arr, integer=False):
        arr = np.asarray(arr)
        arr = arr.astype(np.int64) if integer else arr.astype(np.float32)
        name = self._init(self.name("const"), arr)
        if integer:
            self.ints.add(name)
        return name

    def _i(self, vals):
        return self._init(self.name("i"), _ints(vals))

    def param(self, path, field, arr):
        return self._init(".".join(list(path) + [field]), arr)

    def _p(self, path, field, arr):
        return None if arr is None else self.param(path, field, arr)

    # -- layers -------------------------------------------------------------------------------
    def linear(self, path, x, w, b):
        y = self.op("MatMul", [x, self.op("Transpose", [self._p(path, "weight", w)], perm=[1, 0])])
        return y if b is None else self.op("Add", [y, self._p(path, "bias", b)])

    def conv(self, path, x, w, b, stride, pad, dilation=None, groups=1):
        nd = w.ndim - 2
        args = [x, self._p(path, "weight", w)] + ([self._p(path, "bias", b)] if b is not None else [])
        return self.op("Conv", args, kernel_shape=list(w.shape[2:]), strides=list(stride), pads=list(pad) * 2,
                       dilations=list(dilation or (1,) * nd), group=groups)

    def conv_transpose(self, path, x, w, b, stride, pad, out_pad, groups=1):
        args = [x, self._p(path, "weight", w)] + ([self._p(path, "bias", b)] if b is not None else [])
        return self.op("ConvTranspose", args, kernel_shape=list(w.shape[2:]), strides=list(stride),
                       pads=list(pad) * 2, output_padding=list(out_pad), group=groups)

    def batchnorm(self, path, x, rank, mean, var, w, b, eps):
        n = mean.size
        scale = self._p(path, "weight", w) if w is not None else self.const(np.ones(n))
        shift = self._p(path, "bias", b) if b is not None else self.const(np.zeros(n))
        return self.op("BatchNormalization", [x, scale, shift, self._p(path, "running_mean", mean),
                                              self._p(path, "running_var", var)], epsilon=float(eps))

    def embedding(self, path, x, w, padding_idx=None, max_norm=None, norm_type=2.0):
        # padding_idx acts on gradients only; max_norm is refused by the declaration
        return self.gather_rows(self._p(path, "weight", w), x)

    # -- elementwise --------------------------------------------------------------------------
    def add(self, a, b):
        return self.op("Add", [self._val(a), self._val(b)])

    def sub(self, a, b):
        return self.op("Sub", [self._val(a), self._val(b)])

    def mul(self, a, b):
        return self.op("Mul", [self._val(a), self._val(b)])

    def div(self, a, b):
        return self.op("Div", [self._val(a), self._val(b)])

    def pow(self, a, b):
        return self.op("Pow", [self._val(a), self._val(b)])

    def maximum(self, a, b):
        return self.op("Max", [self._val(a), self._val(b)])

    def minimum(self, a, b):
        return self.op("Min", [self._val(a), self._val(b)])

    def compare(self, op, a, b):
        kind = {"gt": "Greater", "lt": "Less", "ge": "GreaterOrEqual", "le": "LessOrEqual"}[op]
        return self.op(kind, [self._val(a), self._val(b)])

    def where(self, c, a, b):
        return self.op("Where", [c, self._val(a), self._val(b)])

    def unary(self, op, x):
        kind = {"relu": "Relu", "tanh": "Tanh", "sigmoid": "Sigmoid", "abs": "Abs", "exp": "Exp", "log": "Log",
                "sqrt": "Sqrt", "neg": "Neg", "reciprocal": "Reciprocal", "sign": "Sign", "floor": "Floor"}[op]
        return self.op(kind, [x])

    def clamp(self, x, lo, hi):
        return self.op("Clip", [x, self._val(float(lo)), self._val(float(hi))])

    def elu(self, x, alpha):
        return self.op("Elu", [x], alpha=float(alpha))

    def leaky_relu(self, x, slope):
        return self.op("LeakyRelu", [x], alpha=float(slope))

    def softmax(self, x, axis, log=False):
        return self.op("LogSoftmax" if log else "Softmax", [x], axis=int(axis))

    # -- reductions and shapes ----------------------------------------------------------------
    def reduce(self, op, x, dims, keepdim):
        if op == "sum":
            return self.op("ReduceSum", [x, self._i(dims)], keepdims=int(bool(keepdim)))
        kind = {"mean": "ReduceMean", "max": "ReduceMax", "min": "ReduceMin"}[op]
        return self.op(kind, [x], axes=list(dims), keepdims=int(bool(keepdim)))

    def reshape(self, x, shape):
        return self.op("Reshape", [x, self._i(shape)])

    def permute(self, x, perm):
        return self.op("Transpose", [x], perm=list(perm))

    def narrow(self, x, dim, start, length):
        return self.op("Slice", [x, self._i([start]), self._i([start + length]), self._i([dim])])

    def select(self, x, dim, index):
        return self.op("Gather", [x, self._init(self.name("i"), np.asarray(int(index), dtype=np.int64))], axis=dim)

    def squeeze(self, x, dim):
        return self.op("Squeeze", [x, self._i([dim])])

    def unsqueeze(self, x, dim):
        return self.op("Unsqueeze", [x, self._i([dim])])

    def cat(self, xs, dim):
        return xs[0] if len(xs) == 1 else self.op("Concat", list(xs), axis=dim)

    def unbind(self, x, dim, n):
        parts = self.op("Split", [x, self._i([1] * n)], n_out=n, axis=dim)
        parts = [parts] if n == 1 else parts
        return [self.squeeze(p, dim) for p in parts]

    def expand(self, x, shape):
        return self.op("Expand", [x, self._i([1 if s == -1 else s for s in shape])])

    def pad(self, x, pads, mode="constant", value=0.0):
        flat = [int(p[0]) for p in pads] + [int(p[1]) for p in pads]
        args = [x, self._i(flat)]
        if mode == "constant":
            args.append(self._val(float(value)))
        return self.op("Pad", args, mode=mode)

    def matmul(self, a, b):
        return self.op("MatMul", [a, b])

    def maxpool(self, x, k, s, p, ceil=False, dilation=None):
        return self.op("MaxPool", [x], kernel_shape=list(k), strides=list(s), pads=list(p) * 2,
                       ceil_mode=int(bool(ceil)), dilations=list(dilation or (1,) * len(k)))

    def maxpool_indices(self, x, k, s, p, ceil=False):
        y, idx = self.op("MaxPool", [x], n_out=2, kernel_shape=list(k), strides=list(s), pads=list(p) * 2,
                         ceil_mode=int(bool(ceil)))
        self.ints.add(idx)
        return y, idx

    def max_unpool(self, x, indices, k, s, p, size):
        lead = self.op("Slice", [self.op("Shape", [x]), self._i([0]), self._i([2]), self._i([0])])
        shape = self.op("Concat", [lead, self._i(size)], axis=0)
        return self.op("MaxUnpool", [x, indices, shape], kernel_shape=list(k), strides=list(s), pads=list(p) * 2)

    def avgpool(self, x, k, s, p, ceil=False, include_pad=True):
        return self.op("AveragePool", [x], kernel_shape=list(k), strides=list(s), pads=list(p) * 2,
                       ceil_mode=int(bool(ceil)), count_include_pad=int(bool(include_pad)))

    def adaptive_pool(self, x, op, out_size, in_size):
        """Torch7's windows [floor(i*n/o), ceil((i+1)*n/o)): one pooling op when they tile the
        input evenly, else one reduction per output cell."""
        (oh, ow), (h, w) = out_size, in_size
        if h % oh == 0 and w % ow == 0:
            k = (h // oh, w // ow)
            return (self.maxpool if op == "max" else self.avgpool)(x, k, k, (0, 0))
        red = "ReduceMax" if op == "max" else "ReduceMean"
        rows = []
        for i in range(oh):
            h0, h1 = (i * h) // oh, -(-((i + 1) * h) // oh)
            cells = []
            for j in range(ow):
                w0, w1 = (j * w) // ow, -(-((j + 1) * w) // ow)
                win = self.op("Slice", [x, self._i([h0, w0]), self._i([h1, w1]), self._i([2, 3])])
                cells.append(self.op(red, [win], axes=[2, 3], keepdims=1))
            rows.append(self.cat(cells, 3))
        return self.cat(rows, 2)

    def resize(self, x, size, mode):
        lead = self.op("Slice", [self.op("Shape", [x]), self._i([0]), self._i([2]), self._i([0])])
        sizes = self.op("Concat", [lead, self._i(size)], axis=0)
        if mode == "nearest":
            return self.op("Resize", [x, "", "", sizes], mode="nearest", coordinate_transformation_mode="asymmetric",
                           nearest_mode="floor")
        return self.op("Resize", [x, "", "", sizes], mode="linear", coordinate_transformation_mode="align_corners")

    def lrn(self, x, size, alpha, beta, k):
        return self.op("LRN", [x], size=int(size), alpha=float(alpha), beta=float(beta), bias=float(k))

    def pixel_shuffle(self, x, r):
        return self.op("DepthToSpace", [x], blocksize=int(r), mode="CRD")

    def gather_rows(self, table, idx):
        if idx not in self.ints:
            idx = self.op("Cast", [idx], to=self.onnx.TensorProto.INT64)
        return self.op("Gather", [table, idx], axis=0)

    def index_select(self, x, dim, idx):
        if idx not in self.ints:
            idx = self.op("Cast", [idx], to=self.onnx.TensorProto.INT64)
        return self.op("Gather", [x, self.reshape(idx, [-1])], axis=dim)

    # -- the model ----------------------------------------------------------------------------
    def model(self, inputs, output, output_shapes, output_dyn):
        """``inputs``: [(name, shape, is_int)]; ``output`` a name or nested list of names;
        ``output_dyn``: per output, which dims follow the batch size (None: a fixed batch)."""
        from onnx import TensorProto
        flat = []

        def flatten(v):
            if isinstance(v, list):
                for e in v:
                    flatten(e)
            else:
                flat.append(v)
        flatten(output)

        dynamic = any(d is not None for d in output_dyn)

        def dims(shape, dyn=None):
            if dyn is None:
                dyn = [dynamic and i == 0 for i in range(len(shape))]
            return [("batch" if i == 0 else "n%d" % i) if dyn[i] else int(s) for i, s in enumerate(shape)]
        out_names = []
        for i, v in enumerate(flat):
            name = "output" if len(flat) == 1 else "output%d" % (i + 1)
            self.nodes.append(self.h.make_node("Identity", [v], [name], name=self.name("out")))
            out_names.append(name)
        ins = [self.h.make_tensor_value_info(n, TensorProto.INT64 if is_int else TensorProto.FLOAT, dims(s))
               for n, s, is_int in inputs]
        outs = [self.h.make_tensor_value_info(n, TensorProto.FLOAT, dims(s, d or [False] * len(s)))
                for n, s, d in zip(out_names, output_shapes, output_dyn)]
        g = self.h.make_graph(self.nodes, "pytorch_lite_model", ins, outs, self.inits)
        mp = self.h.make_model(g, opset_imports=[self.h.make_opsetid("", OPSET)], producer_name="pytorch-lite")
        mp.ir_version = min(mp.ir_version, 8)
        self.onnx.checker.check_model(mp)
        return mp
