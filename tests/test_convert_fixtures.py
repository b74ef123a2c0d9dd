"""Every module case recorded by a real Torch7 (../shared/fixtures/torch7/modules) that has a
PyTorch/ONNX equivalent, converted to .pt (TorchScript), --to py and .onnx, then run where
pytorch_lite cannot help: .pt and .py in a separate Python whose import of pytorch_lite fails
(a meta-path blocker, ``python -I`` from a temporary folder), .onnx with onnxruntime; the
outputs must match Torch7's recorded ones, at the recorded batch and at a doubled batch when
the export keeps the batch size free."""
import glob
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import converters
from pytorch_lite.converters import ConversionError

MODULES = os.path.join(fixture_paths.TORCH7, "modules")
CASES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(MODULES, "*.t7"))
               if "Criterion" not in p and not p.endswith("L1Cost.t7"))
# (case, target) pairs with no equivalent, and the reason the error must give
REFUSED = {("LookupTable_maxNorm", "onnx"): "maxNorm"}
BLOCKED_RUNNER = r'''
import importlib.abc, importlib.util, json, sys, warnings
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pytorch_lite", "lua_compat"):
            raise ImportError("blocked for this test: " + name)
sys.meta_path.insert(0, Blocker())
try:
    import pytorch_lite
    sys.exit("pytorch_lite is importable")
except ImportError:
    pass
import numpy as np
import torch
warnings.simplefilter("ignore")
jobs = json.load(open(sys.argv[1]))
inputs = np.load(sys.argv[2])
out = {}
def flat(v):
    return [e for x in v for e in flat(x)] if isinstance(v, (list, tuple)) else [v.numpy()]
for job in jobs:
    if job["kind"] == "pt":
        m = torch.jit.load(job["path"])
    else:
        spec = importlib.util.spec_from_file_location("m_" + job["name"], job["path"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        m = mod.load()
    for size in job["sizes"]:
        xs = [torch.from_numpy(inputs["%s|%s|%d" % (job["name"], size, i)]) for i in range(job["n_inputs"])]
        with torch.no_grad():
            for k, y in enumerate(flat(m(*xs))):
                out["%s|%s|%d" % (job["name"], size, k)] = y
np.savez(sys.argv[3], **out)
'''


def _leaves(v):
    return [e for x in v for e in _leaves(x)] if isinstance(v, list) else [v]


def _flat_arrays(v):
    return [np.array(t._a) for t in _leaves(v)]    # copies: a module reuses its output buffer


def _doubled(v):
    """The input with every tensor repeated along dim 0 (a batch twice as large)."""
    if isinstance(v, list):
        return [_doubled(e) for e in v]
    return type(v)._from_array(np.concatenate([v._a, v._a], 0))


def _case(name):
    d = torch.load(os.path.join(MODULES, name + ".t7"))
    m, x = d["module"], d["input"]
    if name.startswith("LookupTable"):   # Torch7's 1-based indices -> Python's 0-based
        x = x.clone()
        x._a[...] -= 1
    if d.get("params"):                  # the weights before forward (maxNorm renormalises in place)
        for p, v in zip(m.parameters()[0], d["params"]):
            p.copy(v)
    return m, x, _reference(m, x, d)


def _reference(m, x, d):
    """Torch7's recorded output, except for training-mode cases of modules whose evaluate form
    differs: there an independent formula from the module's stored state."""
    recorded = _flat_arrays(d["output"]) if not isinstance(d["output"], (int, float)) else [np.asarray(d["output"])]
    if d["mode"] != "train":
        return recorded
    tn = m.typename
    a = np.asarray(x._a) if hasattr(x, "_a") else None
    if tn.endswith("BatchNormalization"):
        shape = [1, -1] + [1] * (a.ndim - 2)
        y = (a - m.running_mean._a.reshape(shape)) / np.sqrt(m.running_var._a.reshape(shape) + m.eps)
        if m.__dict__.get("weight") is not None:
            y = y * m.weight._a.reshape(shape) + m.bias._a.reshape(shape)
        return [y]
    if tn == "nn.Dropout":
        return [a if m.v2 else a * (1 - m.p)]
    if tn in ("nn.SpatialDropout", "nn.VolumetricDropout"):
        return [a * (1 - m.p)]
    if tn == "nn.RReLU":
        return [np.where(a <= 0, a * (m.lower + m.upper) / 2, a)]
    return recorded


def _convert_all(target, tmp):
    """{case: (report or the ConversionError, input, reference, doubled input, its reference)}."""
    results = {}
    for name in CASES:
        m, x, ref = _case(name)
        path = os.path.join(tmp, "%s.%s" % (name, target))
        try:
            r = converters.convert(m, path, sample=x)
        except ConversionError as e:
            results[name] = (e, x, ref, None, None)
            continue
        x2 = ref2 = None
        if r["dynamic_batch"]:
            x2 = _doubled(x)
            single = _flat_arrays(m.forward(x))
            double = _flat_arrays(m.forward(x2))
            rowwise = all(dd.shape == (2 * s.shape[0],) + s.shape[1:] and np.allclose(dd, np.concatenate([s, s], 0))
                          for s, dd in zip(single, double))
            # Torch7's rows, twice, where the module treats rows alone; else pytorch_lite's answer
            ref2 = [np.concatenate([r_, r_], 0) for r_ in ref] if rowwise else double
        results[name] = (r, x, ref, x2, ref2)
    return results


def _run_blocked(target, results, tmp):
    """Runs every converted file of ``target`` in a Python that cannot import pytorch_lite."""
    jobs, inputs = [], {}
    for name, (r, x, _, x2, _) in results.items():
        if isinstance(r, Exception):
            continue
        sizes = ["a"] + (["b"] if x2 is not None else [])
        for size, v in zip(sizes, [x, x2]):
            for i, t in enumerate(_leaves(v)):
                inputs["%s|%s|%d" % (name, size, i)] = np.asarray(t._a)
        jobs.append({"name": name, "kind": target, "path": r["path"], "sizes": sizes, "n_inputs": len(_leaves(x))})
    for f, data in (("jobs.json", json.dumps(jobs)), ("runner.py", BLOCKED_RUNNER)):
        with open(os.path.join(tmp, f), "w") as fh:
            fh.write(data)
    np.savez(os.path.join(tmp, "inputs.npz"), **inputs)
    proc = subprocess.run([sys.executable, "-I", "runner.py", "jobs.json", "inputs.npz", "outputs.npz"],
                          cwd=tmp, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with np.load(os.path.join(tmp, "outputs.npz")) as z:
        return {k: z[k] for k in z.files}


def _run_onnx(results):
    ort = pytest.importorskip("onnxruntime")
    out = {}
    for name, (r, x, _, x2, _) in results.items():
        if isinstance(r, Exception):
            continue
        sess = ort.InferenceSession(r["path"], providers=["CPUExecutionProvider"])
        for size, v in (("a", x), ("b", x2)):
            if v is None:
                continue
            feeds = {i.name: np.asarray(t._a).astype(np.int64 if t._a.dtype.kind in "iu" else np.float32)
                     for i, t in zip(sess.get_inputs(), _leaves(v))}
            for k, y in enumerate(sess.run(None, feeds)):
                out["%s|%s|%d" % (name, size, k)] = y
    return out


@pytest.fixture(scope="module", params=["pt", "py", "onnx"])
def converted(request, tmp_path_factory):
    pytest.importorskip("torch")
    if request.param == "onnx":
        pytest.importorskip("onnx")
    tmp = str(tmp_path_factory.mktemp("convert_" + request.param))
    results = _convert_all(request.param, tmp)
    outputs = _run_onnx(results) if request.param == "onnx" else _run_blocked(request.param, results, tmp)
    return request.param, results, outputs


def test_there_are_module_cases():
    assert len(CASES) >= 150


@pytest.mark.parametrize("name", CASES)
def test_case_matches_torch7(converted, name):
    target, results, outputs = converted
    r, x, ref, x2, ref2 = results[name]
    if (name, target) in REFUSED:
        assert isinstance(r, ConversionError) and REFUSED[name, target] in str(r)
        return
    assert not isinstance(r, Exception), "%s does not convert to %s: %s" % (name, target, r)
    if target == "onnx":                                           # float32 throughout
        tol = dict(rtol=1e-4, atol=1e-4)
    elif ref[0].dtype == np.float32 or name.startswith("SpatialUpSamplingBilinear"):
        # float cases (and Copy's float output); PyTorch's bilinear weights are float32-exact only
        tol = dict(rtol=1e-6, atol=1e-7)
    else:
        tol = dict(rtol=1e-9, atol=1e-10)
    for size, want in (("a", ref), ("b", ref2)):
        if want is None:
            continue
        got = [outputs["%s|%s|%d" % (name, size, k)] for k in range(len(want))]
        assert "%s|%s|%d" % (name, size, len(want)) not in outputs, "more outputs than Torch7's"
        for g_, w in zip(got, want):
            assert g_.shape == w.shape
            np.testing.assert_allclose(g_, w, **tol)
