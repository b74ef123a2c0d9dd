"""Converters: a Torch7 model (a t7 file or a live module) out to other formats, each result
loaded back and checked against pytorch_lite's own outputs on a sample input.

    from pytorch_lite import converters
    converters.convert("model.t7", "model.onnx")                 # or .pt .safetensors .npz .t7
    converters.convert("gpu_model.t7", "cpu.t7", type="float", ascii=True, long_size=4)

Targets (from the output's suffix, or ``to=``):

* ``t7``: re-saved by the t7 writer (``type`` 'float'/'double'; Cuda tensors load as CPU ones
  and are written under CPU names; ``ascii``; ``long_size`` 4 or 8); checked by reloading.
* ``pt``: ``{'model': torch.nn.Module, 'state_dict': ...}`` via ``torch.save`` (PyTorch needed
  for this target only; the module's classes live in ``pytorch_lite.converters.torch_nn``);
  checked with ``torch.load`` and a forward.
* ``onnx``: opset 17, float32 (``onnx`` package); checked with onnx.checker and onnxruntime
  when installed.
* ``safetensors`` / ``npz``: the weights named by module path (``0.weight``, ``3.1.bias``);
  checked by reading the file back and running a copy of the model on the loaded weights.

A LookupTable takes 0-based indices: a model starting with one is sampled with LongTensor indices
(an int64 ONNX input; ``torch_nn.Embedding`` in .pt casts any index dtype); its paddingValue and
maxNorm map to nn.Embedding's padding_idx/max_norm, and maxNorm (in-place renormalisation) has no
ONNX form.  A module with no equivalent raises ``ConversionError`` naming its class and path (the first one
met in forward order); a result that does not reproduce the outputs within ``tol`` (1e-5)
raises ``VerificationError``.  Models with many modules show a tqdm progress bar.
"""
import builtins as _builtins
import os

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .errors import ConversionError, VerificationError
from .trace import sample_input, trace, walk
from .weights import named_tensors, load_weights, read_weights, save_npz, save_safetensors

__all__ = ["convert", "ConversionError", "VerificationError", "sample_input", "named_tensors",
           "load_weights", "read_weights", "TARGETS"]

TARGETS = ("t7", "pt", "onnx", "safetensors", "npz")
_TYPES = {"float": "torch.FloatTensor", "double": "torch.DoubleTensor"}


def _target(out_path, to):
    t = (to or os.path.splitext(str(out_path))[1].lstrip(".")).lower()
    t = {"pth": "pt", "th": "t7"}.get(t, t)
    if t not in TARGETS:
        raise TorchValueError("convert: unknown target %r (use one of %s, from the output's suffix or --to)"
                              % (t, ", ".join(TARGETS)))
    return t


def _flat(out):
    if isinstance(out, (list, tuple)):
        res = []
        for v in out:
            res += _flat(v)
        return res
    if isinstance(out, Tensor):
        return [out._a.copy()]
    return [np.asarray(out.detach().cpu().numpy() if hasattr(out, "detach") else out)]


def _compare(ref, got, tol, what):
    if len(ref) != len(got):
        raise VerificationError("%s: %d outputs instead of %d" % (what, len(got), len(ref)))
    worst = 0.0
    for i, (r, g) in enumerate(zip(ref, got)):
        g = np.asarray(g)
        if r.shape != g.shape and r.size == g.size:
            g = g.reshape(r.shape)
        if r.shape != g.shape:
            raise VerificationError("%s: output %d has shape %s instead of %s" % (what, i, g.shape, r.shape))
        err = float(np.max(np.abs(r - g) / (1 + np.abs(r)))) if r.size else 0.0
        worst = max(worst, err)
        if not err <= tol:
            raise VerificationError("%s: output %d differs from pytorch_lite's by %.3g (tolerance %g)"
                                    % (what, i, err, tol))
    return worst


def _progress(model, desc):
    n = sum(1 for _ in walk(model))
    if n < 50:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=n, desc=desc, unit="module", leave=False)


def _is_int(t):
    """An integer tensor input (LookupTable indices): int64 in ONNX, not float32."""
    return t._a.dtype.kind in "iu"


def _inputs_list(x):
    return list(x) if isinstance(x, list) else [x]


def convert(src, out_path, to=None, *, type=None, ascii=False, long_size=None, input_shape=None,
            check=True, tol=1e-5):
    """Convert ``src`` (a t7 path or a module) to ``out_path``; returns a dict describing the
    result (target, path, the largest relative output difference found by the check)."""
    from .. import serialization
    from .. import nn  # noqa: F401  (registers the nn and nngraph classes for loading)
    target = _target(out_path, to)
    if isinstance(input_shape, str):  # the CLI's spelling: '2x784', or '4x10;4x5' for several inputs
        from .command import _shape
        input_shape = _shape(input_shape)
    model = serialization.load(src) if isinstance(src, (str, bytes, os.PathLike)) else src
    if not hasattr(model, "forward"):
        raise TorchValueError("convert: %s holds a %s, not a model" % (src, _builtins.type(model).__name__))
    if type is not None:
        if type not in _TYPES:
            raise TorchValueError("convert: --type must be 'float' or 'double', got %r" % (type,))
        model.type(_TYPES[type])
    model.evaluate()
    report = {"target": target, "path": str(out_path)}
    if target == "t7":
        serialization.save(str(out_path), model, "ascii" if ascii else "binary", longsize=long_size)
        if check:
            x = sample_input(model, input_shape)
            ref = _flat(model.forward(x))
            back = serialization.load(str(out_path)).evaluate()
            report["max_error"] = _compare(ref, _flat(back.forward(x)), tol, "the re-saved t7")
        return report
    x = sample_input(model, input_shape)
    shapes, out = trace(model, x)
    ref = _flat(out)
    xs = _inputs_list(x)
    if target in ("npz", "safetensors"):
        (save_npz if target == "npz" else save_safetensors)(str(out_path), model)
        if check:
            arrs = read_weights(str(out_path), target)
            if target == "safetensors":
                try:
                    from safetensors.numpy import load_file
                    other = load_file(str(out_path))
                    for k, a in arrs.items():
                        if not np.array_equal(other[k], a):
                            raise VerificationError("safetensors: %s reads differently with the safetensors package" % k)
                except ImportError:
                    pass
            for k, t in named_tensors(model).items():
                if not np.array_equal(arrs[k].reshape(t._a.shape), t._a):
                    raise VerificationError("%s: weight %s does not round-trip" % (target, k))
            copy = model.clone() if hasattr(model, "clone") else model
            for t in named_tensors(copy).values():
                t.zero()
            load_weights(copy, arrs)
            report["max_error"] = _compare(ref, _flat(copy.forward(x)), tol, "the model on the %s weights" % target)
        report["tensors"] = len(named_tensors(model))
        return report
    bar = _progress(model, "convert to " + target)
    try:
        if target == "pt":
            import torch as pt
            from . import to_torch
            tm = to_torch.build(model, shapes, bar)
            pt.save({"model": tm, "state_dict": tm.state_dict()}, str(out_path))
            if check:
                back = pt.load(str(out_path), weights_only=False)
                with pt.no_grad():
                    got = back["model"](*[pt.from_numpy(t._a.copy()) for t in xs])
                report["max_error"] = _compare(ref, _flat(got), tol, "the PyTorch model")
        else:
            from . import to_onnx
            mp = to_onnx.build(model, shapes, [t._size for t in xs], [r.shape for r in ref], bar,
                               int_inputs=[_is_int(t) for t in xs])
            with open(str(out_path), "wb") as f:
                f.write(mp.SerializeToString())
            if check:
                try:
                    import onnxruntime as ort
                except ImportError:
                    report["checked"] = "onnx.checker only (onnxruntime is not installed)"
                    return report
                sess = ort.InferenceSession(str(out_path), providers=["CPUExecutionProvider"])
                feeds = {i.name: t._a.astype(np.int64 if _is_int(t) else np.float32)
                         for i, t in zip(sess.get_inputs(), xs)}
                report["max_error"] = _compare(ref, sess.run(None, feeds), tol, "the ONNX model (onnxruntime)")
    finally:
        if bar is not None:
            bar.close()
    return report
