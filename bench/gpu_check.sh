#!/usr/bin/env bash
# The GPU check of the CUDA backend (issue 14), in one go on a machine with an NVIDIA GPU:
#   1. installs CuPy for the device's CUDA (cupy-cuda12x from PyPI; WHEELHOUSE=dir installs
#      offline from wheels carried there) unless it already imports and sees the device,
#   2. builds the Cython extensions in place,
#   3. runs the CUDA tests (tests/test_cuda_types.py: the op and nn tables, each on the GPU and under
#      PYTORCH_LITE_CUDA=cpu; test_cuda_kernels.py: the nvcc compile test; test_pkg_cutorch.py),
#   4. benchmarks MLP, ConvNet, VGG-BN and LSTM training steps against PyTorch CUDA
#      (bench/bench_gpu.py: same process, same weights and data), printing the ratios.
# Without a GPU, `python bench/bench_gpu.py --dry-run` checks the benchmark's code on the CPU, and
# `--fake` over the strict stand-in for CuPy (tests/fake_cupy.py: host/device mixing fails there).
# Usage (repo root or anywhere):  bash bench/gpu_check.sh      PYTHON=... picks the interpreter
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
status=0
step() { echo; echo "== $*"; }

step "device"
if ! nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; then
  echo "gpu_check: nvidia-smi failed: no NVIDIA GPU or driver here" >&2
  exit 2
fi
# the highest CUDA version the driver supports (the CuPy wheel must not need a newer one)
CUDA_DRIVER=$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9][0-9]*\)\.\([0-9]*\).*/\1.\2/p' | head -n 1)
echo "driver supports CUDA ${CUDA_DRIVER:-unknown}; python: $PY ($("$PY" --version 2>&1))"

step "CuPy"
if "$PY" -c "import cupy, sys; sys.exit(0 if cupy.cuda.runtime.getDeviceCount() > 0 else 1)" 2>/dev/null; then
  echo "CuPy already sees the device"
else
  case "${CUDA_DRIVER%%.*}" in
    11) PKG=cupy-cuda11x ;;
    *)  PKG=cupy-cuda12x ;;   # CUDA 12 wheels also run under a CUDA 13 driver
  esac
  PIP_ARGS=(-q)
  if [ -n "${WHEELHOUSE:-}" ]; then PIP_ARGS+=(--no-index --find-links "$WHEELHOUSE"); fi
  # [ctk]: the CUDA runtime libraries CuPy loads (NVRTC, cuBLAS) as wheels, no toolkit needed
  "$PY" -m pip install "${PIP_ARGS[@]}" "$PKG[ctk]" || "$PY" -m pip install "${PIP_ARGS[@]}" "$PKG" || {
    echo "gpu_check: could not install $PKG" >&2; exit 3; }
fi
"$PY" -c "import cupy; print('cupy', cupy.__version__, '| devices:', cupy.cuda.runtime.getDeviceCount(), '| runtime', cupy.cuda.runtime.runtimeGetVersion())" || exit 3
"$PY" -c "import torch; print('torch', torch.__version__, '| CUDA', torch.version.cuda, '| available:', torch.cuda.is_available())" \
  || echo "note: PyTorch is not importable: the benchmark's reference side will fail" >&2

step "build"
"$PY" setup.py -q build_ext --inplace >/dev/null || { echo "gpu_check: build failed" >&2; exit 4; }

step "tests on the GPU"
env -u PYTORCH_LITE_CUDA "$PY" -m pytest -q -p no:cacheprovider -rs tests/test_cuda_types.py tests/test_cuda_kernels.py \
  tests/test_pkg_cutorch.py || status=1

step "benchmark: training steps against PyTorch CUDA (goal: ratio <= 1.2)"
env -u PYTORCH_LITE_CUDA "$PY" bench/bench_gpu.py --reps "${REPS:-20}" || status=1

echo
[ $status -eq 0 ] && echo "gpu_check: done" || echo "gpu_check: some steps failed (see above)"
exit $status
