"""Converters: a Torch7 model (a t7 file, a table in one, or a live module) out to other formats,
each result loaded back and checked against pytorch_lite's own outputs.

    from pytorch_lite import converters
    converters.convert("model.t7", "model.onnx")            # or .pt .py .safetensors .npz .t7
    converters.convert("cv/lm_lstm_epoch30.t7", "rnn.pt", key="protos.rnn")
    converters.convert("gpu_model.t7", "cpu.t7", type="float", ascii=True, long_size=4)

Targets (from the output's suffix, or ``to=``):

* ``t7``: re-saved by the t7 writer (``type`` 'float'/'double'; Cuda tensors load as CPU ones
  and are written under CPU names; ``ascii``; ``long_size`` 4 or 8); checked by reloading.
* ``pt``: TorchScript (``torch.jit.load(path)`` in plain PyTorch, no pytorch_lite needed).
* ``py``: a readable standalone ``torch.nn.Module`` source file (``class Model``, ``load()``)
  and its state_dict beside it (``OUT.pth``): the code to keep developing.
* ``onnx``: opset 17, float32 (LookupTable indices int64), a symbolic first dimension
  ``batch`` where the model keeps its batch size free; checked with onnx.checker and onnxruntime.
* ``safetensors`` / ``npz``: the weights named by module path (``0.weight``, ``3.1.bias``,
  ``2.running_mean``: the t7 tree's ``modules`` positions, 0-based); checked by reading back.
  In ``.pt``/``.py`` the same tensor is ``m3_1.bias`` (the module at path 3.1 is ``self.m3_1``).

Every Torch7 module kind has one declaration (``declare.py``, ``kinds_*.py``) that both the
PyTorch and the ONNX exporters follow; a module with no equivalent raises ``ConversionError``
naming its class and path; a result that does not reproduce the outputs within ``tol`` raises
``VerificationError``.  Exports are checked at two batch sizes when the model allows a free one.
"""
import os

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .errors import ConversionError, VerificationError
from .trace import sample_input, trace, walk
from .declare import declare, DECLARATIONS, NO_EQUIVALENT
from .checkpoint import find_models, pick
from .weights import named_tensors, load_weights, read_weights, save_npz, save_safetensors

__all__ = ["convert", "load_caffe", "declare", "ConversionError", "VerificationError", "sample_input", "named_tensors",
           "load_weights", "read_weights", "find_models", "TARGETS"]

TARGETS = ("t7", "pt", "py", "onnx", "safetensors", "npz")
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
        with np.errstate(invalid="ignore"):
            diff = np.abs(r - g) / (1 + np.abs(r))
        diff[np.isnan(r) & np.isnan(g)] = 0.0       # NaN where pytorch_lite gives NaN (Log of -1) agrees
        err = float(np.max(diff)) if r.size else 0.0
        worst = max(worst, err)
        if not err <= tol:
            raise VerificationError("%s: output %d differs from pytorch_lite's by %.3g (tolerance %g)"
                                    % (what, i, err, tol))
    return worst


def load_model(src, key=None):
    """The model in ``src`` (a t7 path or a loaded object): at ``key``, or the only one."""
    from .. import serialization
    from .. import nn  # noqa: F401  (registers the nn and nngraph classes for loading)
    from . import known
    if isinstance(src, (str, bytes, os.PathLike)):
        obj = serialization.load(src)
        where = str(src)
    else:
        obj, where = src, "the object"
    model = pick(obj, key, where)
    return known.substitute(model)


def convert(src, out_path, to=None, *, key=None, type=None, ascii=False, long_size=None, input_shape=None,
            check=True, tol=1e-5, progress=None, sample=None):
    """Convert ``src`` (a t7 path, a loaded table or a module; ``key`` a dotted path into its
    tables) to ``out_path``; returns a dict describing the result (target, path, the largest
    relative output difference found by the check, the batch sizes checked).  ``sample``: the
    input to trace and check with (a tensor or a table of them) instead of a generated one."""
    from .. import serialization
    target = _target(out_path, to)
    if isinstance(input_shape, str):  # the CLI's spelling: '2x784', or '4x10;4x5' for several inputs
        from .command import _shape
        input_shape = _shape(input_shape)
    model = load_model(src, key)
    if type is not None:
        if type not in _TYPES:
            raise TorchValueError("convert: --type must be 'float' or 'double', got %r" % (type,))
        model.type(_TYPES[type])
    report = {"target": target, "path": str(out_path)}
    if target in ("pt", "py", "onnx"):
        from . import export
        from .declare import check_convertible
        check_convertible(model, target, walk)
        model.evaluate()
        report.update(export.export(model, target, str(out_path), input_shape, check, tol, progress, sample))
        return report
    model.evaluate()
    if target == "t7":
        serialization.save(str(out_path), model, "ascii" if ascii else "binary", longsize=long_size)
        if check:
            x = sample_input(model, input_shape)
            ref = _flat(model.forward(x))
            back = serialization.load(str(out_path)).evaluate()
            report["max_error"] = _compare(ref, _flat(back.forward(x)), tol, "the re-saved t7")
        return report
    x = sample_input(model, input_shape)
    ref = _flat(model.forward(x))
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


from . import kinds  # noqa: E402,F401  (the declarations of every nn/nngraph module kind)


def load_caffe(prototxt, caffemodel, backend="nn", verbose=False):
    """A Caffe model as an nn.Sequential, as loadcaffe.load builds it (see converters.caffe)."""
    from . import caffe
    return caffe.load(prototxt, caffemodel, backend, verbose)
