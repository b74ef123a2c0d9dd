"""pytorch_lite model -> an ONNX model (opset 17, float32), one ONNX node group per Torch7
module, initializers named by module path (``0.weight``); tables of tensors become lists of
ONNX values, gModules are inlined in Torch7's forward order."""
import numpy as np

from .errors import ConversionError
from .trace import children

OPSET = 17


class _Builder:
    def __init__(self, onnx):
        self.onnx = onnx
        self.h = onnx.helper
        self.nodes = []
        self.inits = []
        self.count = 0
        self.names = set()

    def name(self, base):
        self.count += 1
        return "%s_%d" % (base, self.count)

    def const(self, name, arr):
        if name in self.names:   # a module used twice keeps one copy of its weights
            return name
        self.names.add(name)
        arr = np.asarray(arr)
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        self.inits.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self.name(op_type) for _ in range(n_out)]
        self.nodes.append(self.h.make_node(op_type, list(inputs), outs, name=self.name(op_type + "_n"), **attrs))
        return outs[0] if n_out == 1 else outs


def build(model, shapes, sample_shapes, output_shapes, progress=None, int_inputs=None):
    """``int_inputs``: per input, True where it holds integers (LookupTable indices): declared
    int64 and fed to Gather as is; other inputs are float32."""
    import onnx
    from onnx import TensorProto
    b = _Builder(onnx)
    int_inputs = list(int_inputs or [False] * len(sample_shapes))

    def ints(vals):
        return np.asarray(vals, dtype=np.int64)

    def emit(m, path, x):
        tn = m.typename.split(".", 1)[1]
        info = shapes.get(id(m))
        if info is None:
            raise ConversionError(m, path, "onnx", "it was not reached by the sample forward")
        xin, xout = info
        key = ".".join(path)
        pre = key + "." if key else ""
        if progress is not None:
            progress.update(1)
        if tn == "Sequential":
            for name, child in children(m):
                x = emit(child, path + [name], x)
            return x
        if tn == "ConcatTable":
            return [emit(c, path + [n], x) for n, c in children(m)]
        if tn == "ParallelTable":
            return [emit(c, path + [n], v) for (n, c), v in zip(children(m), x)]
        if tn == "gModule":
            return graph(m, path, x)
        if tn == "Linear":
            w = b.const(pre + "weight", m.weight._a)
            if xin.dim() == 2:
                args = [x, w] + ([b.const(pre + "bias", m.bias._a)] if m.bias is not None else [])
                return b.op("Gemm", args, transB=1)
            y = b.op("MatMul", [w, x])
            return b.op("Add", [y, b.const(pre + "bias", m.bias._a)]) if m.bias is not None else y
        if tn == "LookupTable":
            if m.maxNorm is not None:
                raise ConversionError(m, path, "onnx", "maxNorm (rows renormalised in place at each forward) "
                                      "has no ONNX equivalent")
            # paddingValue acts on gradients only: nothing to express in an inference graph
            w = b.const(pre + "weight", m.weight._a)
            idx = x if x in int_names else b.op("Cast", [x], to=TensorProto.INT64)
            return b.op("Gather", [w, idx], axis=0)
        if tn in ("SpatialConvolution", "SpatialConvolutionMM", "SpatialMaxPooling", "SpatialAveragePooling"):
            unb = xin.dim() == 3
            if unb:
                x = b.op("Unsqueeze", [x, b.const(b.name("axes"), ints([0]))])
            if tn.startswith("SpatialConv"):
                w = b.const(pre + "weight", m.weight._a.reshape(m.nOutputPlane, m.nInputPlane, m.kH, m.kW))
                args = [x, w] + ([b.const(pre + "bias", m.bias._a)] if m.bias is not None else [])
                y = b.op("Conv", args, kernel_shape=[m.kH, m.kW], strides=[m.dH, m.dW],
                         pads=[m.padH, m.padW, m.padH, m.padW])
            elif tn == "SpatialMaxPooling":
                y = b.op("MaxPool", [x], kernel_shape=[m.kH, m.kW], strides=[m.dH, m.dW],
                         pads=[m.padH, m.padW, m.padH, m.padW], ceil_mode=int(bool(m.ceil_mode)))
            else:
                if m.divide is False:
                    raise ConversionError(m, path, "onnx", "divide=false is not supported")
                y = b.op("AveragePool", [x], kernel_shape=[m.kH, m.kW], strides=[m.dH, m.dW],
                         pads=[m.padH, m.padW, m.padH, m.padW], ceil_mode=int(bool(m.ceil_mode)),
                         count_include_pad=int(m.count_include_pad is not False))
            return b.op("Squeeze", [y, b.const(b.name("axes"), ints([0]))]) if unb else y
        if tn in ("BatchNormalization", "SpatialBatchNormalization"):
            n = m.running_mean.nElement()
            unb = xin.dim() == (1 if tn == "BatchNormalization" else 3)
            if unb:
                x = b.op("Unsqueeze", [x, b.const(b.name("axes"), ints([0]))])
            scale = m.weight._a if m.weight is not None else np.ones(n)
            bias = m.bias._a if m.bias is not None else np.zeros(n)
            y = b.op("BatchNormalization", [x, b.const(pre + "weight", scale), b.const(pre + "bias", bias),
                                            b.const(pre + "running_mean", m.running_mean._a),
                                            b.const(pre + "running_var", m.running_var._a)], epsilon=float(m.eps))
            return b.op("Squeeze", [y, b.const(b.name("axes"), ints([0]))]) if unb else y
        unary = {"ReLU": "Relu", "Tanh": "Tanh", "Sigmoid": "Sigmoid", "Abs": "Abs", "Exp": "Exp", "Log": "Log",
                 "Sqrt": "Sqrt", "Identity": "Identity", "Dropout": "Identity", "SpatialDropout": "Identity",
                 "SoftSign": "Softsign"}
        if tn in unary:
            return b.op(unary[tn], [x])
        if tn == "Square":
            return b.op("Mul", [x, x])
        if tn in ("LogSoftMax", "SoftMax"):
            from ..nn._softmax import softmax_axis
            return b.op("LogSoftmax" if tn == "LogSoftMax" else "Softmax", [x], axis=softmax_axis(m, xin))
        if tn in ("View", "Reshape"):
            out = list(xout.size())
            if xin.dim() and out and xin.size(0) == out[0] and len(out) > len(m.size):
                out[0] = -1
            return b.op("Reshape", [x, b.const(b.name("shape"), ints(out))])
        if tn == "CAddTable":
            return b.op("Sum", list(x))
        if tn in ("CMulTable", "CSubTable", "CDivTable"):
            op = {"CMulTable": "Mul", "CSubTable": "Sub", "CDivTable": "Div"}[tn]
            y = x[0]
            for v in x[1:]:
                y = b.op(op, [y, v])
            return y
        if tn == "SplitTable":
            d = m._dim(xin)
            n = xin.size(d)
            parts = b.op("Split", [x, b.const(b.name("split"), ints([1] * n))], n_out=n, axis=d)
            parts = [parts] if n == 1 else parts
            return [b.op("Squeeze", [p, b.const(b.name("axes"), ints([d]))]) for p in parts]
        if tn == "JoinTable":
            return b.op("Concat", list(x), axis=m._dim(xin))
        if tn == "Narrow":
            d, off, length = m._args(xin)
            return b.op("Slice", [x, b.const(b.name("s"), ints([off])), b.const(b.name("e"), ints([off + length])),
                                  b.const(b.name("a"), ints([d]))])
        if tn == "Select":
            d, i = m._args(xin)
            return b.op("Gather", [x, b.const(b.name("i"), np.asarray(i, dtype=np.int64))], axis=d)
        if tn in ("MulConstant", "AddConstant"):
            c = b.const(b.name("c"), np.asarray(m.constant_scalar, dtype=np.float32))
            return b.op("Mul" if tn == "MulConstant" else "Add", [x, c])
        if tn == "LeakyReLU":
            return b.op("LeakyRelu", [x], alpha=float(m.negval))
        if tn == "ELU":
            return b.op("Elu", [x], alpha=float(m.alpha))
        if tn == "HardTanh":
            return b.op("Clip", [x, b.const(b.name("lo"), np.asarray(m.min_val, np.float32)),
                                 b.const(b.name("hi"), np.asarray(m.max_val, np.float32))])
        if tn == "Threshold":
            gt = b.op("Greater", [x, b.const(b.name("t"), np.asarray(m.threshold, np.float32))])
            return b.op("Where", [gt, x, b.const(b.name("v"), np.asarray(m.val, np.float32))])
        raise ConversionError(m, path, "onnx")

    def graph(m, path, x):
        from ..nngraph import mapindex_list
        vals = {}
        out = None
        names = {id(c): str(i) for i, c in enumerate(m.modules)}
        for node in m.forwardnodes:
            d = node.data
            if d is m.innode.data:
                v = x
            else:
                xs = [vals[id(e)] for e in mapindex_list(d)]
                v = xs[0] if len(xs) == 1 else xs
            mod = d.get("module")
            if d.get("selectindex") is not None:
                out = v[d["selectindex"] - 1]
            elif mod is not None:
                out = emit(mod, path + [names[id(mod)]], v)
            else:
                out = v
            vals[id(d)] = out
        return out

    in_names = ["input" if len(sample_shapes) == 1 else "input%d" % (i + 1) for i in range(len(sample_shapes))]
    int_names = {n for n, i in zip(in_names, int_inputs) if i}
    x = in_names[0] if len(in_names) == 1 else list(in_names)
    y = emit(model, [], x)
    flat = []

    def flatten(v):
        if isinstance(v, list):
            for e in v:
                flatten(e)
        else:
            flat.append(v)
    flatten(y)
    out_names = []
    for i, v in enumerate(flat):
        name = "output" if len(flat) == 1 else "output%d" % (i + 1)
        b.nodes.append(b.h.make_node("Identity", [v], [name], name=b.name("out")))
        out_names.append(name)
    inputs = [b.h.make_tensor_value_info(n, TensorProto.INT64 if n in int_names else TensorProto.FLOAT, list(s))
              for n, s in zip(in_names, sample_shapes)]
    outputs = [b.h.make_tensor_value_info(n, TensorProto.FLOAT, list(s)) for n, s in zip(out_names, output_shapes)]
    g = b.h.make_graph(b.nodes, "pytorch_lite_model", inputs, outputs, b.inits)
    mp = b.h.make_model(g, opset_imports=[b.h.make_opsetid("", OPSET)], producer_name="pytorch-lite")
    mp.ir_version = min(mp.ir_version, 8)
    onnx.checker.check_model(mp)
    return mp
