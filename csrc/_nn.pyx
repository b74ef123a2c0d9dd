"""Kernels for the simple nn modules (THNN style: stateless, buffers passed in, nothing returned).

LookupTable: gradient accumulation with repeated indices (rows added in input order, as THNN's
loop does) and the in-place max-norm renormalisation of the referenced rows.  Indices are 0-based.
"""
import numpy as np
cimport numpy as cnp
from libc.math cimport fabs, pow

cnp.import_array()

ctypedef fused real:
    float
    double


def lookup_acc_grad(const cnp.int64_t[::1] input, const real[:, ::1] gradOutput, real[:, ::1] gradWeight,
                    int[::1] count, bint scaleGradByFreq, Py_ssize_t paddingValue, double scale):
    """gradWeight[input[i]] += scale (/ count) * gradOutput[i]; rows equal to paddingValue skipped
    (paddingValue < 0: none).  count (length nIndex) is the frequency buffer for scaleGradByFreq."""
    cdef Py_ssize_t n = input.shape[0], numw = gradWeight.shape[0], stride = gradWeight.shape[1]
    cdef Py_ssize_t i, j, k
    cdef real s
    if gradOutput.shape[0] != n or gradOutput.shape[1] != stride:
        raise ValueError("LookupTable: gradOutput should be %d x %d, got %d x %d"
                         % (n, stride, gradOutput.shape[0], gradOutput.shape[1]))
    for i in range(n):
        if input[i] < 0 or input[i] >= numw:
            raise IndexError("LookupTable: input needs to be in the range 0 <= input < %d, got %d"
                             % (numw, input[i]))
    if scaleGradByFreq and count.shape[0] < numw:
        raise ValueError("LookupTable: count buffer too small")
    with nogil:
        if scaleGradByFreq:
            for i in range(n):
                count[input[i]] = 0
            for i in range(n):
                count[input[i]] += 1
        for i in range(n):
            k = input[i]
            if k == paddingValue:
                continue
            s = <real>scale
            if scaleGradByFreq:
                s = s / count[k]
            for j in range(stride):
                gradWeight[k, j] += s * gradOutput[i, j]


def lookup_renorm(const cnp.int64_t[::1] rows, real[:, ::1] weight, double maxNorm, double normType):
    """Scale each listed row (unique, 0-based) whose normType-norm exceeds maxNorm down to maxNorm."""
    cdef Py_ssize_t n = rows.shape[0], numw = weight.shape[0], stride = weight.shape[1]
    cdef Py_ssize_t i, j, k
    cdef real norm, new_norm, mx = <real>maxNorm, p = <real>normType
    if normType <= 0:
        raise ValueError("LookupTable: non-positive-norm not supported")
    for i in range(n):
        if rows[i] < 0 or rows[i] >= numw:
            raise IndexError("LookupTable: input needs to be in the range 0 <= input < %d, got %d"
                             % (numw, rows[i]))
    with nogil:
        for i in range(n):
            k = rows[i]
            norm = 0
            for j in range(stride):
                if p == 1:
                    norm = norm + fabs(weight[k, j])
                elif p == 2:
                    norm = norm + weight[k, j] * weight[k, j]
                else:
                    norm = norm + <real>pow(fabs(weight[k, j]), p)
            norm = <real>pow(norm, 1.0 / p)
            if norm > mx:
                new_norm = mx / (norm + <real>1e-7)
                for j in range(stride):
                    weight[k, j] = weight[k, j] * new_norm


# ---------------------------------------------------------------- Threshold / ReLU

from cython.parallel cimport prange

cdef Py_ssize_t _PAR_MIN = 1 << 15  # below this many elements one thread is faster


def threshold_forward(const real[::1] input, real[::1] output, double threshold, double value):
    """output[i] = input[i] if input[i] > threshold else value (output may be input: in place)."""
    cdef Py_ssize_t n = input.shape[0], i
    cdef real th = <real>threshold, v = <real>value, x
    cdef int nt = 1 if n < _PAR_MIN else 0
    if output.shape[0] != n:
        raise ValueError("threshold_forward: output has %d elements, input %d" % (output.shape[0], n))
    with nogil:
        if nt == 1:
            for i in range(n):
                x = input[i]
                output[i] = x if x > th else v
        else:
            for i in prange(n, schedule="dynamic", chunksize=8192):
                x = input[i]
                output[i] = x if x > th else v


def threshold_backward(const real[::1] input, const real[::1] gradOutput, real[::1] gradInput,
                       double threshold):
    """gradInput[i] = gradOutput[i] if input[i] > threshold else 0 (gradInput may be gradOutput)."""
    cdef Py_ssize_t n = input.shape[0], i
    cdef real th = <real>threshold, g, z = 0
    cdef int nt = 1 if n < _PAR_MIN else 0
    if gradOutput.shape[0] != n or gradInput.shape[0] != n:
        raise ValueError("threshold_backward: sizes disagree (%d, %d, %d)"
                         % (n, gradOutput.shape[0], gradInput.shape[0]))
    with nogil:
        if nt == 1:
            for i in range(n):
                g = gradOutput[i]  # loaded unconditionally: the select compiles without a branch
                gradInput[i] = g if input[i] > th else z
        else:
            for i in prange(n, schedule="dynamic", chunksize=8192):
                g = gradOutput[i]  # loaded unconditionally: the select compiles without a branch
                gradInput[i] = g if input[i] > th else z


def nll_targets(cnp.ndarray t, Py_ssize_t n_classes, long long ignore):
    """ClassNLLCriterion's target check over a 1-D int64 array (any stride): (how many targets
    equal ignore, position of the first other target outside 0 <= t < n_classes or -1).  The
    numpy masks it stands for cost more than the loss itself at char-rnn's batch of 16."""
    if cnp.PyArray_TYPE(t) != cnp.NPY_INT64 or cnp.PyArray_NDIM(t) != 1:
        raise TypeError("nll_targets: a 1-D int64 array expected")
    cdef Py_ssize_t n = cnp.PyArray_DIMS(t)[0], st = cnp.PyArray_STRIDES(t)[0], i, ignored = 0, bad = -1
    cdef char* p = <char*>cnp.PyArray_DATA(t)
    cdef cnp.int64_t v
    for i in range(n):
        v = (<cnp.int64_t*>(p + i * st))[0]
        if v == ignore:
            ignored += 1
        elif (v < 0 or v >= n_classes) and bad < 0:
            bad = i
    return ignored, bad
