"""Device versions of pytorch_lite._nn_norm (csrc/_nn_norm.pyx): batch normalization written with
array operations only, so the same code runs on CuPy arrays (a GPU) and on numpy arrays (where
tests/test_cuda_kernels.py checks it against the Cython kernels).  Statistics in double, as THNN."""
from ..errors import TorchRuntimeError


def _xp(a):
    import numpy as np
    if type(a) is np.ndarray:
        return np
    import cupy
    return cupy


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


def batchnorm_forward(input, output, weight, bias, running_mean, running_var, save_mean, save_std,
                      train, momentum, eps):
    """THNN BatchNormalization_updateOutput over (N, C, S) arrays; weight/bias may be None."""
    xp = _xp(input)
    N, C, S = input.shape
    _check(output.shape == input.shape, "batchnorm_forward: output shape disagrees")
    _check(running_mean.shape[0] == C and running_var.shape[0] == C and save_mean.shape[0] == C
           and save_std.shape[0] == C, "batchnorm_forward: statistics have the wrong size")
    n = N * S
    x = input.astype(xp.float64)
    if train:
        mean = x.sum(axis=(0, 2)) / n
        d = x - mean[None, :, None]
        ssd = (d * d).sum(axis=(0, 2))
        with _errstate(xp):
            invstd = xp.where((ssd == 0) & (eps == 0), 0.0, 1 / xp.sqrt(ssd / n + eps))
        save_mean[...] = mean
        save_std[...] = invstd
        unbiased = ssd / (n - 1) if n > 1 else ssd * float("inf")
        running_mean[...] = momentum * mean + (1 - momentum) * running_mean.astype(xp.float64)
        running_var[...] = momentum * unbiased + (1 - momentum) * running_var.astype(xp.float64)
    else:
        mean = running_mean.astype(xp.float64)
        invstd = 1 / xp.sqrt(running_var.astype(xp.float64) + eps)
        d = x - mean[None, :, None]
    w = 1.0 if weight is None else weight.astype(xp.float64)[None, :, None]
    b = 0.0 if bias is None else bias.astype(xp.float64)[None, :, None]
    output[...] = d * invstd[None, :, None] * w + b


def batchnorm_backward(input, gradOutput, gradInput, gradWeight, gradBias, weight, running_mean,
                       running_var, save_mean, save_std, train, scale, eps):
    """THNN BatchNormalization_backward; gradInput/gradWeight/gradBias/weight may be None."""
    xp = _xp(input)
    N, C, S = input.shape
    _check(gradOutput.shape == input.shape, "batchnorm_backward: gradOutput shape disagrees")
    n = N * S
    if train:
        mean = save_mean.astype(xp.float64)
        invstd = save_std.astype(xp.float64)
    else:
        mean = running_mean.astype(xp.float64)
        invstd = 1 / xp.sqrt(running_var.astype(xp.float64) + eps)
    g = gradOutput.astype(xp.float64)
    d = input.astype(xp.float64) - mean[None, :, None]
    ssum = g.sum(axis=(0, 2))
    dotp = (d * g).sum(axis=(0, 2))
    w = xp.ones(C) if weight is None else weight.astype(xp.float64)
    if gradInput is not None:
        dt = input.dtype
        if train:
            # THNN rounds k and the projection to the tensor's type: kept, so float matches
            k = (dotp * invstd * invstd / n).astype(dt).astype(xp.float64)
            proj = (d * k[None, :, None]).astype(dt).astype(xp.float64)
            gradInput[...] = (g - (ssum / n)[None, :, None] - proj) * (invstd * w)[None, :, None]
        else:
            gradInput[...] = g * (invstd * w)[None, :, None]
    if gradWeight is not None:
        gradWeight[...] = gradWeight.astype(xp.float64) + scale * dotp * invstd
    if gradBias is not None:
        gradBias[...] = gradBias.astype(xp.float64) + scale * ssum


class _errstate:
    def __init__(self, xp):
        import numpy as np
        self.ctx = np.errstate(divide="ignore", invalid="ignore")

    def __enter__(self):
        self.ctx.__enter__()

    def __exit__(self, *a):
        return self.ctx.__exit__(*a)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise TorchRuntimeError("%s has no device kernel yet for Cuda tensors on a GPU; "
                            "PYTORCH_LITE_CUDA=cpu runs it on the CPU" % name)
