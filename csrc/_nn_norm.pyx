"""Normalisation kernels (THNN style): batch normalisation over (N, C, S) buffers.

The input of every BatchNormalization flavour is viewed as (N, C, S) (S = 1 for the 2-D
module, H*W or T*H*W for the spatial and volumetric ones).  Sums run in double (THNN's accreal)
whatever the element type; channels run in parallel.
"""
import numpy as np
cimport numpy as cnp
from cython.parallel cimport prange
from libc.math cimport sqrt

cnp.import_array()

ctypedef fused real:
    float
    double


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


def batchnorm_forward(real[:, :, ::1] input, real[:, :, ::1] output, weight, bias,
                      real[::1] running_mean, real[::1] running_var, real[::1] save_mean,
                      real[::1] save_std, bint train, double momentum, double eps):
    """THNN BatchNormalization_updateOutput; weight/bias may be None (affine=false)."""
    cdef Py_ssize_t N = input.shape[0], C = input.shape[1], S = input.shape[2]
    _check(output.shape[0] == N and output.shape[1] == C and output.shape[2] == S,
           "batchnorm_forward: output shape disagrees")
    _check(running_mean.shape[0] == C and running_var.shape[0] == C and save_mean.shape[0] == C
           and save_std.shape[0] == C, "batchnorm_forward: statistics have the wrong size")
    cdef bint has_w = weight is not None, has_b = bias is not None
    cdef real[::1] w = weight if has_w else save_mean
    cdef real[::1] b = bias if has_b else save_mean
    if has_w:
        _check(w.shape[0] == C, "batchnorm_forward: weight has the wrong size")
    if has_b:
        _check(b.shape[0] == C, "batchnorm_forward: bias has the wrong size")
    cdef Py_ssize_t n = N * S, c, i, s
    cdef double mean, invstd, acc, d, ww, bb
    with nogil:
        for c in prange(C, schedule="static"):
            if train:
                acc = 0
                for i in range(N):
                    for s in range(S):
                        acc = acc + input[i, c, s]
                mean = acc / n
                save_mean[c] = <real>mean
                acc = 0
                for i in range(N):
                    for s in range(S):
                        d = input[i, c, s] - mean
                        acc = acc + d * d
                if acc == 0 and eps == 0:
                    invstd = 0
                else:
                    invstd = 1 / sqrt(acc / n + eps)
                save_std[c] = <real>invstd
                running_mean[c] = <real>(momentum * mean + (1 - momentum) * running_mean[c])
                running_var[c] = <real>(momentum * (acc / (n - 1)) + (1 - momentum) * running_var[c])
            else:
                mean = running_mean[c]
                invstd = 1 / sqrt(running_var[c] + eps)
            ww = w[c] if has_w else 1
            bb = b[c] if has_b else 0
            for i in range(N):
                for s in range(S):
                    output[i, c, s] = <real>((input[i, c, s] - mean) * invstd * ww + bb)


def batchnorm_backward(real[:, :, ::1] input, real[:, :, ::1] gradOutput, gradInput, gradWeight,
                       gradBias, weight, real[::1] running_mean, real[::1] running_var,
                       real[::1] save_mean, real[::1] save_std, bint train, double scale, double eps):
    """THNN BatchNormalization_backward; gradInput/gradWeight/gradBias/weight may be None."""
    cdef Py_ssize_t N = input.shape[0], C = input.shape[1], S = input.shape[2]
    _check(gradOutput.shape[0] == N and gradOutput.shape[1] == C and gradOutput.shape[2] == S,
           "batchnorm_backward: gradOutput shape disagrees")
    _check(save_mean.shape[0] == C and save_std.shape[0] == C and running_mean.shape[0] == C
           and running_var.shape[0] == C, "batchnorm_backward: statistics have the wrong size")
    cdef bint has_gi = gradInput is not None, has_gw = gradWeight is not None
    cdef bint has_gb = gradBias is not None, has_w = weight is not None
    cdef real[:, :, ::1] gi = gradInput if has_gi else gradOutput
    cdef real[::1] gw = gradWeight if has_gw else save_mean
    cdef real[::1] gb = gradBias if has_gb else save_mean
    cdef real[::1] w = weight if has_w else save_mean
    if has_gi:
        _check(gi.shape[0] == N and gi.shape[1] == C and gi.shape[2] == S,
               "batchnorm_backward: gradInput shape disagrees")
    if has_gw:
        _check(gw.shape[0] == C, "batchnorm_backward: gradWeight has the wrong size")
    if has_gb:
        _check(gb.shape[0] == C, "batchnorm_backward: gradBias has the wrong size")
    if has_w:
        _check(w.shape[0] == C, "batchnorm_backward: weight has the wrong size")
    cdef Py_ssize_t n = N * S, c, i, s
    cdef double mean, invstd, ssum, dotp, ww, k, gmean, proj
    with nogil:
        for c in prange(C, schedule="static"):
            ww = w[c] if has_w else 1
            if train:
                mean = save_mean[c]
                invstd = save_std[c]
            else:
                mean = running_mean[c]
                invstd = 1 / sqrt(running_var[c] + eps)
            ssum = 0
            dotp = 0
            for i in range(N):
                for s in range(S):
                    ssum = ssum + gradOutput[i, c, s]
                    dotp = dotp + (input[i, c, s] - mean) * gradOutput[i, c, s]
            if has_gi:
                if train:
                    k = <real>(dotp * invstd * invstd / n)
                    gmean = ssum / n
                    for i in range(N):
                        for s in range(S):
                            proj = <real>((input[i, c, s] - mean) * k)
                            gi[i, c, s] = <real>((gradOutput[i, c, s] - gmean - proj) * invstd * ww)
                else:
                    for i in range(N):
                        for s in range(S):
                            gi[i, c, s] = <real>(gradOutput[i, c, s] * invstd * ww)
            if has_gw:
                gw[c] = <real>(gw[c] + scale * dotp * invstd)
            if has_gb:
                gb[c] = <real>(gb[c] + scale * ssum)
