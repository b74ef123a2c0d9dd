"""pytorch_lite model -> an equivalent ``torch.nn.Module`` (evaluation mode), weights copied in
the layouts PyTorch uses; named like the t7 tree (``0.weight``, ``3.2.bias`` for nested
containers), so its state_dict matches the .npz/.safetensors exports."""
import numpy as np

from .errors import ConversionError
from .trace import children


def _t(torch, tensor, dtype):
    return torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(tensor._a)).to(dtype), requires_grad=False)


def build(model, shapes, progress=None):
    import torch
    from . import torch_nn as T
    from .trace import float_type
    dtype = torch.float64 if float_type(model) == "torch.DoubleTensor" else torch.float32

    def conv(m, path):
        tn = m.typename.split(".", 1)[1]
        info = shapes.get(id(m))
        if info is None:
            raise ConversionError(m, path, "pt", "it was not reached by the sample forward")
        xin, xout = info
        if progress is not None:
            progress.update(1)
        if tn in ("Sequential",):
            seq = torch.nn.Sequential()
            for name, child in children(m):
                seq.add_module(name, conv(child, path + [name]))
            return seq
        if tn in ("ConcatTable", "ParallelTable"):
            return T.Apply([conv(c, path + [n]) for n, c in children(m)], "concat" if tn == "ConcatTable" else "parallel")
        if tn == "gModule":
            return graph(m, path)
        if tn == "Linear":
            lin = torch.nn.Linear(m.weight.size(1), m.weight.size(0), bias=m.bias is not None).to(dtype)
            lin.weight = _t(torch, m.weight, dtype)
            if m.bias is not None:
                lin.bias = _t(torch, m.bias, dtype)
            return lin
        if tn == "LookupTable":
            # paddingValue only stops that row's gradient and maxNorm renormalises the rows used
            # in place before the lookup: nn.Embedding's padding_idx and max_norm do the same
            pad = m.paddingValue if m.paddingValue is not None and 0 <= m.paddingValue < m.weight.size(0) else None
            e = T.Embedding(m.weight.size(0), m.weight.size(1), padding_idx=pad,
                            max_norm=None if m.maxNorm is None else float(m.maxNorm),
                            norm_type=float(m.normType or 2),
                            scale_grad_by_freq=bool(m.shouldScaleGradByFreq)).to(dtype)
            e.weight = _t(torch, m.weight, dtype)
            return e
        if tn in ("SpatialConvolution", "SpatialConvolutionMM"):
            c = torch.nn.Conv2d(m.nInputPlane, m.nOutputPlane, (m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW),
                                bias=m.bias is not None).to(dtype)
            c.weight = torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(m.weight._a)).to(dtype).reshape(
                m.nOutputPlane, m.nInputPlane, m.kH, m.kW), requires_grad=False)
            if m.bias is not None:
                c.bias = _t(torch, m.bias, dtype)
            return c
        if tn == "SpatialMaxPooling":
            p = torch.nn.MaxPool2d((m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW), ceil_mode=bool(m.ceil_mode))
            return p
        if tn == "SpatialAveragePooling":
            if m.divide is False:
                raise ConversionError(m, path, "pt", "divide=false is not supported")
            return torch.nn.AvgPool2d((m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW), ceil_mode=bool(m.ceil_mode),
                                      count_include_pad=m.count_include_pad is not False)
        if tn in ("BatchNormalization", "SpatialBatchNormalization"):
            n = m.running_mean.nElement()
            cls = torch.nn.BatchNorm1d if tn == "BatchNormalization" else torch.nn.BatchNorm2d
            bn = cls(n, eps=m.eps, affine=m.weight is not None).to(dtype)
            bn.running_mean = torch.from_numpy(m.running_mean._a.copy()).to(dtype)
            bn.running_var = torch.from_numpy(m.running_var._a.copy()).to(dtype)
            if m.weight is not None:
                bn.weight = _t(torch, m.weight, dtype)
                bn.bias = _t(torch, m.bias, dtype)
            bn.eval()
            unbatched = xin.dim() == (1 if tn == "BatchNormalization" else 3)
            return T.Unbatched(bn) if unbatched else bn
        simple = {"ReLU": torch.nn.ReLU, "Tanh": torch.nn.Tanh, "Sigmoid": torch.nn.Sigmoid,
                  "Identity": torch.nn.Identity, "Dropout": torch.nn.Identity, "SpatialDropout": torch.nn.Identity,
                  "SoftSign": torch.nn.Softsign, "LogSigmoid": torch.nn.LogSigmoid,
                  "ReLU6": torch.nn.ReLU6}
        if tn in simple and simple[tn] is not None:
            return simple[tn]()
        if tn in ("Abs", "Exp", "Log", "Sqrt", "Square"):
            return T.Unary(tn.lower())
        if tn in ("LogSoftMax", "SoftMax"):
            from ..nn._softmax import softmax_axis
            axis = softmax_axis(m, xin)
            return torch.nn.LogSoftmax(axis) if tn == "LogSoftMax" else torch.nn.Softmax(axis)
        if tn in ("View", "Reshape"):
            out = list(xout.size())
            if xin.dim() and out and xin.size(0) == out[0] and len(out) > len(m.size):
                out[0] = -1     # batch mode: keep the batch size free
            return T.Reshape(out)
        if tn in ("CAddTable", "CMulTable", "CSubTable", "CDivTable"):
            return T.Table({"CAddTable": "add", "CMulTable": "mul", "CSubTable": "sub", "CDivTable": "div"}[tn])
        if tn == "SplitTable":
            return T.Table("split", m._dim(xin))
        if tn == "JoinTable":
            return T.Table("join", m._dim(xin))
        if tn == "Narrow":
            d, off, length = m._args(xin)
            return T.Narrow(d, off, length)
        if tn == "Select":
            d, i = m._args(xin)
            return T.Select(d, i)
        if tn == "MulConstant":
            return T.Affine(scale=m.constant_scalar)
        if tn == "AddConstant":
            return T.Affine(shift=m.constant_scalar)
        if tn == "Threshold":
            return T.Threshold(m.threshold, m.val)
        if tn == "LeakyReLU":
            return torch.nn.LeakyReLU(m.negval)
        if tn == "ELU":
            return torch.nn.ELU(m.alpha)
        if tn == "HardTanh":
            return torch.nn.Hardtanh(m.min_val, m.max_val)
        raise ConversionError(m, path, "pt")

    def graph(m, path):
        from ..nngraph import mapindex_list
        slot = {}
        plan = []
        mods = []
        names = {id(c): str(i) for i, c in enumerate(m.modules)}
        built = {}
        for k, node in enumerate(m.forwardnodes):
            d = node.data
            slot[id(d)] = k
            mod = d.get("module")
            name = None
            if mod is not None:
                name = names[id(mod)]
                if name not in built:
                    built[name] = conv(mod, path + [name])
                    mods.append((name, built[name]))
            ins = [slot[id(x)] for x in mapindex_list(d)]
            plan.append((name, ins, d.get("selectindex"), node is m.innode or node.data is m.innode.data))
        n_out = len(m.outnode.children)
        return T.Graph(mods, plan, m.nInputs or len(m.innode.children), n_out)

    tm = conv(model, [])
    tm.eval()
    return tm
