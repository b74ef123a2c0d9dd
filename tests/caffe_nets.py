"""Small Caffe models written here for the loadcaffe tests (no real Caffe model is at hand offline),
and their forward computed by PyTorch CPU from the same weights.

A net is a list of layers, each a dict: name, type (the current layout's type name), params
({'convolution_param': {...}}), blobs (float32 arrays in Caffe's layout).  `prototxt` writes its
text form, `caffemodel` its binary one, both in the V1 (``layers``) or the current (``layer``)
layout.  The binary encoder below is written from caffe.proto's field numbers on its own, apart
from pytorch_lite's schema, so a wrong field number on either side shows."""
import struct

import numpy as np

# --- protobuf's wire format -----------------------------------------------------------------------


def varint(n):
    n &= (1 << 64) - 1   # negative int32/int64: ten bytes of two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def f_varint(field, v):
    return key(field, 0) + varint(int(v))


def f_bytes(field, data):
    return key(field, 2) + varint(len(data)) + data


def f_float(field, v):
    return key(field, 5) + struct.pack("<f", v)


# --- caffe.proto's field numbers (the facts of the format) --------------------------------------------
V1_TYPE = {"Convolution": 4, "Pooling": 17, "ReLU": 18, "LRN": 15, "InnerProduct": 14, "Dropout": 6,
           "Softmax": 20, "SoftmaxWithLoss": 21, "Data": 5, "Accuracy": 1, "TanH": 23, "Sigmoid": 19,
           "Concat": 3, "Split": 22}
ENUMS = {"MAX": 0, "AVE": 1, "STOCHASTIC": 2, "ACROSS_CHANNELS": 0, "WITHIN_CHANNEL": 1, "CEIL": 0, "FLOOR": 1}
# param message -> (its field in V1LayerParameter, in LayerParameter, {field: (number, kind)})
PARAMS = {
    "convolution_param": (10, 106, {"num_output": (1, "v"), "bias_term": (2, "v"), "pad": (3, "v"),
                                    "kernel_size": (4, "v"), "group": (5, "v"), "stride": (6, "v"),
                                    "pad_h": (9, "v"), "pad_w": (10, "v"), "kernel_h": (11, "v"),
                                    "kernel_w": (12, "v"), "stride_h": (13, "v"), "stride_w": (14, "v"),
                                    "dilation": (18, "v")}),
    "pooling_param": (19, 121, {"pool": (1, "e"), "kernel_size": (2, "v"), "stride": (3, "v"), "pad": (4, "v"),
                                "kernel_h": (5, "v"), "kernel_w": (6, "v"), "stride_h": (7, "v"),
                                "stride_w": (8, "v"), "pad_h": (9, "v"), "pad_w": (10, "v"),
                                "global_pooling": (12, "v"), "round_mode": (13, "e")}),
    "lrn_param": (18, 118, {"local_size": (1, "v"), "alpha": (2, "f"), "beta": (3, "f"), "norm_region": (4, "e"),
                            "k": (5, "f")}),
    "inner_product_param": (17, 117, {"num_output": (1, "v"), "bias_term": (2, "v"), "transpose": (6, "v")}),
    "dropout_param": (12, 108, {"dropout_ratio": (1, "f")}),
    "relu_param": (30, 123, {"negative_slope": (1, "f")}),
}


def _param_body(fields, values):
    out = b""
    for name, v in values.items():
        number, kind = fields[name]
        for one in (v if isinstance(v, (list, tuple)) else [v]):
            if kind == "f":
                out += f_float(number, one)
            elif kind == "e":
                out += f_varint(number, ENUMS[one])
            else:
                out += f_varint(number, int(one))
    return out


def _blob(arr, v1):
    arr = np.asarray(arr, dtype=np.float32)
    if v1:   # num, channels, height, width: a weight matrix is 1 x 1 x rows x cols, a vector 1 x 1 x 1 x n
        dims = (1,) * (4 - arr.ndim) + arr.shape
        body = b"".join(f_varint(i + 1, d) for i, d in enumerate(dims))
    else:
        body = f_bytes(7, f_bytes(1, b"".join(varint(d) for d in arr.shape)))
    return body + f_bytes(5, arr.tobytes())


def encode_layer(layer, v1, with_blobs=True):
    if v1:
        body = f_bytes(4, layer["name"].encode()) + f_varint(5, V1_TYPE[layer["type"]])
        for b in layer.get("bottom", []):
            body += f_bytes(2, b.encode())
        for t in layer.get("top", []):
            body += f_bytes(3, t.encode())
    else:
        body = f_bytes(1, layer["name"].encode()) + f_bytes(2, layer["type"].encode())
        for b in layer.get("bottom", []):
            body += f_bytes(3, b.encode())
        for t in layer.get("top", []):
            body += f_bytes(4, t.encode())
    for pname, values in layer.get("params", {}).items():
        v1_field, field, fields = PARAMS[pname]
        body += f_bytes(v1_field if v1 else field, _param_body(fields, values))
    if with_blobs:
        for arr in layer.get("blobs", []):
            body += f_bytes(6 if v1 else 7, _blob(arr, v1))
    return body


def caffemodel(net, v1, input_shape=None):
    """The binary NetParameter: name, the input's dimensions, the layers with their blobs."""
    out = f_bytes(1, b"tiny")
    if input_shape is not None:
        out += f_bytes(3, b"data")
        if v1:
            out += b"".join(f_varint(4, d) for d in input_shape)
        else:
            out += f_bytes(8, f_bytes(1, b"".join(varint(d) for d in input_shape)))
    for layer in net:
        out += f_bytes(2 if v1 else 100, encode_layer(layer, v1))
    return out


def _text_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    return repr(v)


def prototxt(net, v1, input_shape=None):
    """The text NetParameter (no blobs), with fields a real prototxt has that a loader skips."""
    lines = ['name: "tiny"']
    if input_shape is not None:
        lines.append('input: "data"')
        lines += ["input_dim: %d" % d for d in input_shape]
    for layer in net:
        lines.append("layers {" if v1 else "layer {")
        lines.append('  name: "%s"' % layer["name"])
        lines.append("  type: %s" % (_v1_enum_name(layer["type"]) if v1 else '"%s"' % layer["type"]))
        lines += ['  bottom: "%s"' % b for b in layer.get("bottom", [])]
        lines += ['  top: "%s"' % t for t in layer.get("top", [])]
        if layer.get("blobs"):   # learning-rate settings, as trained nets carry them
            lines.append("  blobs_lr: 1 blobs_lr: 2" if v1 else "  param { lr_mult: 1 decay_mult: 1 }")
        for pname, values in layer.get("params", {}).items():
            lines.append("  %s {" % pname)
            for name, v in values.items():
                for one in (v if isinstance(v, (list, tuple)) else [v]):
                    lines.append("    %s: %s" % (name, _text_value(one)))
            if pname == "convolution_param":
                lines.append('    weight_filler { type: "gaussian" std: 0.01 }')
            lines.append("  }")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _v1_enum_name(t):
    return {"Convolution": "CONVOLUTION", "Pooling": "POOLING", "ReLU": "RELU", "LRN": "LRN",
            "InnerProduct": "INNER_PRODUCT", "Dropout": "DROPOUT", "Softmax": "SOFTMAX",
            "SoftmaxWithLoss": "SOFTMAX_LOSS", "Data": "DATA", "Accuracy": "ACCURACY", "TanH": "TANH",
            "Sigmoid": "SIGMOID", "Concat": "CONCAT", "Split": "SPLIT"}[t]


def write(tmp_path, net, v1, input_shape=None, stem="net"):
    proto, model = tmp_path / (stem + ".prototxt"), tmp_path / (stem + ".caffemodel")
    proto.write_text(prototxt(net, v1, input_shape))
    model.write_bytes(caffemodel(net, v1, input_shape))
    return str(proto), str(model)


# --- the nets --------------------------------------------------------------------------------------


def _conv(rs, name, bottom, n_in, n_out, k, group=1, bias=True, **params):
    blobs = [rs.standard_normal((n_out, n_in // group) + k).astype(np.float32) * 0.3]
    if bias:
        blobs.append(rs.standard_normal(n_out).astype(np.float32) * 0.1)
    p = dict(num_output=n_out, **params)
    if k[0] == k[1] and "kernel_h" not in params:
        p["kernel_size"] = k[0]
    if group != 1:
        p["group"] = group
    if not bias:
        p["bias_term"] = False
    return dict(name=name, type="Convolution", bottom=[bottom], top=[name], params={"convolution_param": p},
                blobs=blobs)


def _fc(rs, name, bottom, n_in, n_out):
    return dict(name=name, type="InnerProduct", bottom=[bottom], top=[name],
                params={"inner_product_param": {"num_output": n_out}},
                blobs=[rs.standard_normal((n_out, n_in)).astype(np.float32) * 0.1,
                       rs.standard_normal(n_out).astype(np.float32) * 0.1])


def _simple(name, type, bottom, **params):
    return dict(name=name, type=type, bottom=[bottom], top=[bottom], params=params)


def tiny_vgg(seed=0):
    """3x20x20 in: conv/relu/LRN/max pool (ceil mode matters: 10x10, floor would give 9x9), a grouped
    conv, average pool with padding (6x6 in ceil mode), two fc layers with dropout, softmax."""
    rs = np.random.RandomState(seed)
    return [
        _conv(rs, "conv1", "data", 3, 8, (3, 3), pad=1),
        _simple("relu1", "ReLU", "conv1"),
        _simple("norm1", "LRN", "conv1", lrn_param={"local_size": 5, "alpha": 0.3, "beta": 0.75, "k": 2.0}),
        _simple("pool1", "Pooling", "conv1", pooling_param={"pool": "MAX", "kernel_size": 3, "stride": 2}),
        _conv(rs, "conv2", "pool1", 8, 12, (3, 3), group=2, pad=1),
        _simple("relu2", "ReLU", "conv2"),
        _simple("pool2", "Pooling", "conv2", pooling_param={"pool": "AVE", "kernel_size": 3, "stride": 2, "pad": 1}),
        _fc(rs, "fc6", "pool2", 12 * 6 * 6, 16),
        _simple("relu6", "ReLU", "fc6"),
        _simple("drop6", "Dropout", "fc6", dropout_param={"dropout_ratio": 0.5}),
        _fc(rs, "fc7", "fc6", 16, 5),
        dict(name="prob", type="Softmax", bottom=["fc7"], top=["prob"]),
    ]


def as_train_net(net):
    """The same layers as a training net saves them: a data layer first, loss and accuracy last."""
    data = dict(name="data", type="Data", top=["data", "label"])
    body = [layer for layer in net if layer["type"] != "Softmax"]
    last = body[-1]["name"]
    return [data] + body + [dict(name="accuracy", type="Accuracy", bottom=[last, "label"], top=["accuracy"]),
                            dict(name="loss", type="SoftmaxWithLoss", bottom=[last, "label"], top=["loss"])]


# --- PyTorch's forward of a net --------------------------------------------------------------------


def reference(net, x, stop_at_softmax=False):
    """The net's output for x (N x C x H x W numpy) by PyTorch CPU in float64, Dropout as in test."""
    import torch
    F = torch.nn.functional
    y = torch.tensor(np.asarray(x, dtype=np.float64))
    for layer in net:
        t, p = layer["type"], layer.get("params", {})
        blobs = [torch.tensor(np.asarray(b, dtype=np.float64)) for b in layer.get("blobs", [])]
        if t == "Convolution":
            c = p["convolution_param"]
            k = c.get("kernel_size")
            stride = (c["stride_h"], c["stride_w"]) if "stride_h" in c else c.get("stride", 1)
            pad = (c["pad_h"], c["pad_w"]) if "pad_h" in c else c.get("pad", 0)
            assert k is None or blobs[0].shape[2:] == (k, k)
            y = F.conv2d(y, blobs[0], blobs[1] if len(blobs) > 1 else None, stride=stride, padding=pad,
                         dilation=c.get("dilation", 1), groups=c.get("group", 1))
        elif t == "Pooling":
            q = p["pooling_param"]
            if q.get("global_pooling"):
                biggest = q.get("pool", "MAX") == "MAX"
                y = y.amax(dim=(2, 3), keepdim=True) if biggest else y.mean(dim=(2, 3), keepdim=True)
                continue
            k = (q["kernel_h"], q["kernel_w"]) if "kernel_h" in q else q["kernel_size"]
            s = (q["stride_h"], q["stride_w"]) if "stride_h" in q else q.get("stride", 1)
            pad = (q["pad_h"], q["pad_w"]) if "pad_h" in q else q.get("pad", 0)
            ceil = q.get("round_mode", "CEIL") == "CEIL"
            if q.get("pool", "MAX") == "MAX":
                y = F.max_pool2d(y, k, s, pad, ceil_mode=ceil)
            else:
                y = F.avg_pool2d(y, k, s, pad, ceil_mode=ceil, count_include_pad=True)
        elif t == "ReLU":
            y = F.leaky_relu(y, p.get("relu_param", {}).get("negative_slope", 0.0))
        elif t == "TanH":
            y = torch.tanh(y)
        elif t == "Sigmoid":
            y = torch.sigmoid(y)
        elif t == "LRN":
            q = p["lrn_param"]
            size, alpha, beta = q["local_size"], q["alpha"], q["beta"]
            if q.get("norm_region") == "WITHIN_CHANNEL":   # Caffe: mean of x^2 over a size x size window
                mean = F.avg_pool2d(y * y, size, 1, (size - 1) // 2, count_include_pad=True)
                y = y / (1 + alpha * mean) ** beta
            else:
                y = F.local_response_norm(y, size, alpha, beta, q.get("k", 1.0))
        elif t == "InnerProduct":
            w = blobs[0]
            if p["inner_product_param"].get("transpose"):
                w = w.t()
            y = F.linear(y.flatten(1), w, blobs[1])
        elif t in ("Softmax", "SoftmaxWithLoss"):
            if stop_at_softmax:
                break
            y = F.softmax(y, 1)
        # Data, Accuracy, Dropout (at test time), Split: the chain's value goes on unchanged
    return y.numpy()


def torch_tensor(a):
    """A pytorch_lite DoubleTensor of a numpy array (to hand to a Lua script)."""
    import pytorch_lite
    return pytorch_lite.from_numpy(np.ascontiguousarray(a, dtype=np.float64))
