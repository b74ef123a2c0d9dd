"""pt / py / onnx: trace the model at two batch sizes, build the target from the declarations,
write it, load it back and compare with pytorch_lite's outputs (at both sizes when the batch
dimension is kept free; a model that does not allow it is exported for the traced size)."""
import importlib.util
import os
import sys

import numpy as np

from .declare import Context, NotDynamic
from .errors import ConversionError, VerificationError
from .trace import sample_input, trace, merge_traces, grown_batch, walk, float_type


def _flat(v):
    from . import _flat as flat
    return flat(v)


def _structure(x, names):
    """The input as the declarations see it: value names in x's (nested) table shape."""
    if isinstance(x, list):
        return [_structure(v, names) for v in x]
    n = "input" if names["single"] else "input%d" % (len(names["list"]) + 1)
    names["list"].append((n, x))
    return n


def _leaves(x):
    if isinstance(x, list):
        out = []
        for v in x:
            out += _leaves(v)
        return out
    return [x]


class _Bar:
    def __init__(self, total, desc, enabled):
        self.n = 0
        self.total = total
        self.p = None
        if enabled if enabled is not None else total >= 50:
            from ..progress import Progress
            self.p = Progress()
            sys.stderr.write("%s (%d modules)\n" % (desc, total))

    def __call__(self):
        self.n += 1
        if self.p is not None:
            self.p.update(min(self.n, self.total), self.total)

    def close(self):
        if self.p is not None:
            self.p.update(self.total, self.total)


def export(model, target, out_path, input_shape, check, tol, progress=None, sample=None):
    if check and target == "onnx":
        try:
            import onnxruntime  # noqa: F401
        except ImportError:     # the graph still passes onnx.checker when it is built
            r = export(model, target, out_path, input_shape, False, tol, progress, sample)
            return dict(r, checked="onnx.checker only (onnxruntime is not installed)")
    xa = sample if sample is not None else sample_input(model, input_shape)
    model.forward(xa)          # helpers built at the first forward (nn.Convert's) exist when traced
    xb, ref_b, shapes_b = grown_batch(xa), None, None
    if xb is not None:
        try:
            shapes_b, out_b = trace(model, xb)
            ref_b = _flat(out_b)
        except Exception:   # noqa: BLE001 - the model takes one batch size only
            shapes_b = None
    # traced last, so that what modules keep from their last forward (normalisation
    # coefficients, ...) is the sample's
    shapes_a, out_a = trace(model, xa)
    ref_a = _flat(out_a)
    out_shapes = [r.shape for r in ref_a]
    shapes = merge_traces(shapes_a, shapes_b) if shapes_b is not None else None
    n_mods = sum(1 for _ in walk(model))
    last = None
    for dynamic in ([True, False] if shapes is not None else [False]):
        bar = _Bar(n_mods, "converting to " + target, progress)
        try:
            ctx_shapes = shapes if dynamic else shapes_a
            res = _build(model, target, out_path, xa, ctx_shapes, dynamic, out_shapes, bar)
        except NotDynamic as e:
            last = e
            continue
        finally:
            bar.close()
        if not check:
            return dict(res[0], dynamic_batch=dynamic)
        run = res[1]
        try:
            err = _compare(ref_a, run(xa), tol, target)
            sizes = [_leaves(xa)[0].size(0)] if dynamic else []
            if dynamic:
                err = max(err, _compare(ref_b, run(xb), tol, target))
                sizes.append(_leaves(xb)[0].size(0))
        except VerificationError as e:
            last = e
            if dynamic:
                continue
            raise
        except ConversionError:
            raise
        except Exception as e:   # noqa: BLE001 - the exported model refused an input
            if dynamic:
                last = e
                continue
            raise VerificationError("%s: the exported model failed on the sample input: %s" % (target, e))
        return dict(res[0], max_error=err, dynamic_batch=dynamic, batch_sizes_checked=sizes)
    raise VerificationError(str(last))


def _compare(ref, got, tol, target):
    from . import _compare as cmp
    got = list(got)
    for i, (r, v) in enumerate(zip(ref, got)):
        if tuple(np.shape(v)) != tuple(r.shape):
            raise VerificationError("%s: output %d has shape %s instead of %s"
                                    % (target, i, tuple(np.shape(v)), tuple(r.shape)))
    what = {"pt": "the TorchScript model", "py": "the generated PyTorch module", "onnx": "the ONNX model"}[target]
    return cmp(ref, got, tol, what)


def _build(model, target, out_path, xa, shapes, dynamic, out_shapes, bar):
    names = {"single": not isinstance(xa, list), "list": []}
    x = _structure(xa, names)
    if target == "onnx":
        from .to_onnx import OnnxGraph
        g = OnnxGraph()
        inputs = [(n, t._size, t._a.dtype.kind in "iu") for n, t in names["list"]]
        g.ints.update(n for n, _, i in inputs if i)
        y = Context(g, shapes, target, dynamic, bar, model).emit(model, [], x)
        root = shapes[id(model)][1]
        dyn = [o.dyn if dynamic else None for o in _leaves(root)]
        mp = g.model(inputs, y, out_shapes, dyn)
        with open(out_path, "wb") as f:
            f.write(mp.SerializeToString())
        return {"inputs": [n for n, _, _ in inputs]}, lambda xs: _run_onnx(out_path, xs)
    import torch
    from .to_torch import TorchCode, instantiate, state_dict
    g = TorchCode()
    y = Context(g, shapes, target, dynamic, bar, model).emit(model, [], x)
    double = float_type(model) == "torch.DoubleTensor"
    dtype = torch.float64 if double else torch.float32
    arg_names = [n for n, _ in names["list"]]
    if target == "py":
        base = os.path.splitext(out_path)[0]
        state_path = base + ".pth" if base + ".pth" != out_path else base + ".state.pth"
        meta = _meta(model, os.path.basename(state_path), names, double)
        text = g.source(arg_names, y, meta)
        with open(out_path, "w") as f:
            f.write(text)
        torch.save(state_dict(g, torch, dtype), state_path)
        return {"state_dict": state_path}, lambda xs: _run_py(out_path, xs)
    meta = _meta(model, "state.pth", names, double)
    text = g.source(arg_names, y, meta)
    module = instantiate(text)()
    module.load_state_dict(state_dict(g, torch, dtype))
    module.eval()
    example = tuple(torch.from_numpy(np.ascontiguousarray(t._a)) for t in _leaves(xa))
    import warnings
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")       # TorchScript is deprecated upstream, still the most portable
        traced = torch.jit.trace(module, example, strict=False, check_trace=False)
    traced.save(out_path)
    return {}, lambda xs: _run_pt(out_path, xs)


def _meta(model, state_name, names, double):
    ins = ", ".join("%s %s%s" % (n, "x".join(str(s) for s in t._size),
                                 " (0-based indices)" if t._a.dtype.kind in "iu" else "")
                    for n, t in names["list"])
    return {"source": getattr(model, "typename", "a Torch7 model"), "state": state_name, "inputs": ins,
            "plural": "s" if len(names["list"]) > 1 else "", "dtype": "torch.float64" if double else "torch.float32"}


def _torch_inputs(xs):
    import torch
    return [torch.from_numpy(np.ascontiguousarray(t._a)) for t in _leaves(xs)]


def _run_pt(path, xs):
    import torch
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = torch.jit.load(path)
    with torch.no_grad():
        return _flat(m(*_torch_inputs(xs)))


def _run_py(path, xs):
    import torch
    from importlib.machinery import SourceFileLoader
    name = "pytorch_lite_check_%d" % abs(hash(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=SourceFileLoader(name, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    m = mod.load()
    with torch.no_grad():
        return _flat(m(*_torch_inputs(xs)))


def _run_onnx(path, xs):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.log_severity_level = 4          # a failed try at a free batch size is reported by us, not by ORT
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    feeds = {i.name: t._a.astype(np.int64 if t._a.dtype.kind in "iu" else np.float32)
             for i, t in zip(sess.get_inputs(), _leaves(xs))}
    return sess.run(None, feeds)
