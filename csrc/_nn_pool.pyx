"""Pooling, upsampling and padding kernels (THNN style): stateless, GIL released, checked first.

Layouts are C-contiguous with the batch folded into the plane axis: images (P, H, W) with
P = N*C, volumes (P, T, H, W), sequences (N, T, F).  Index buffers are int64 and 0-based:
SpatialMaxPooling stores the flat index h*W+w inside the input plane (Torch7 stores it + 1);
SpatialAdaptiveMaxPooling stores (row, col) of the max relative to its window (Torch7: + 1);
TemporalMaxPooling and VolumetricMaxPooling store what THNN stores (already 0-based offsets
inside the window; the volumetric one packed as t + 256*y + 65536*x).
"""
import numpy as np
cimport numpy as cnp
from cython.parallel cimport prange
from libc.math cimport isnan, floor, ceil, INFINITY

cnp.import_array()

ctypedef fused real:
    float
    double

ctypedef cnp.int64_t index_t


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


# ---------------------------------------------------------------- spatial max pooling

cdef inline void _max_2x2(const real* row0, const real* row1, Py_ssize_t i0, Py_ssize_t W,
                          real* out, index_t* ind) noexcept nogil:
    """The 2x2 window at row0[0..1], row1[0..1] (flat index i0 of row0[0]), with TH's rule: scanned
    in order from -inf, a strictly larger value or a NaN takes over.  Without NaNs that is the
    first position of the running max (x > m ? x : m, one maxss each), found by integer
    arithmetic, so random data costs no mispredicted branches; NaNs and all -inf go the slow way."""
    cdef real a = row0[0], b = row0[1], c = row1[0], d = row1[1], m
    cdef int nans = (a != a) + (b != b) + (c != c) + (d != d)
    cdef index_t ea, eb, ec, best
    m = a
    m = b if b > m else m
    m = c if c > m else m
    m = d if d > m else m
    if nans == 0 and m != -INFINITY:
        ea = a == m
        eb = b == m
        ec = c == m
        best = i0 + (1 - ea) * (eb + (1 - eb) * (W + (1 - ec)))
    else:
        m = -INFINITY
        best = -1
        if a > m or a != a:
            m = a
            best = i0
        if b > m or b != b:
            m = b
            best = i0 + 1
        if c > m or c != c:
            m = c
            best = i0 + W
        if d > m or d != d:
            m = d
            best = i0 + W + 1
    out[0] = m
    ind[0] = best


cdef inline void _max_2x2_row(const real* row0, const real* row1, Py_ssize_t i0, Py_ssize_t W,
                              Py_ssize_t oW, real* out, index_t* ind) noexcept nogil:
    """_max_2x2 over the oW windows of one output row (row0/row1: the two input rows, i0: the flat
    index of row0[0]).  A branch-free first pass the compiler vectorizes assumes neither NaNs nor
    an all -inf window (_max_2x2's fast case, same arithmetic); where the row has one, the row is
    done again window by window."""
    cdef Py_ssize_t ow
    cdef real a, b, c, d, m
    cdef index_t ea, eb, ec
    cdef int bad = 0
    for ow in range(oW):
        a = row0[2 * ow]
        b = row0[2 * ow + 1]
        c = row1[2 * ow]
        d = row1[2 * ow + 1]
        m = a
        m = b if b > m else m
        m = c if c > m else m
        m = d if d > m else m
        bad = bad | (a != a) | (b != b) | (c != c) | (d != d) | (m == -INFINITY)
        ea = a == m
        eb = b == m
        ec = c == m
        out[ow] = m
        ind[ow] = i0 + 2 * ow + (1 - ea) * (eb + (1 - eb) * (W + (1 - ec)))
    if bad:
        for ow in range(oW):
            _max_2x2(row0 + 2 * ow, row1 + 2 * ow, i0 + 2 * ow, W, out + ow, ind + ow)


def spatial_max_pool_forward(real[:, :, ::1] input, real[:, :, ::1] output, index_t[:, :, ::1] indices,
                             int kH, int kW, int dH, int dW, int padH, int padW, int dilH, int dilW):
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P and indices.shape[0] == P and indices.shape[1] == oH
           and indices.shape[2] == oW, "spatial_max_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hstart, wstart, hend, wend, ih, iw, best
    cdef real v, m
    cdef bint u
    cdef bint k2 = (kH == 2 and kW == 2 and dH == 2 and dW == 2 and padH == 0 and padW == 0
                    and dilH == 1 and dilW == 1 and 2 * oH <= H and 2 * oW <= W)
    if k2:
        with nogil:
            for p in prange(P, schedule="dynamic", chunksize=16):
                for oh in range(oH):
                    _max_2x2_row(&input[p, 2 * oh, 0], &input[p, 2 * oh + 1, 0], 2 * oh * W, W, oW,
                                 &output[p, oh, 0], &indices[p, oh, 0])
        return
    with nogil:
        for p in prange(P, schedule="dynamic", chunksize=16):
            for oh in range(oH):
                for ow in range(oW):
                    hstart = oh * dH - padH
                    wstart = ow * dW - padW
                    hend = hstart + (kH - 1) * dilH + 1
                    wend = wstart + (kW - 1) * dilW + 1
                    if hend > H:
                        hend = H
                    if wend > W:
                        wend = W
                    while hstart < 0:
                        hstart = hstart + dilH
                    while wstart < 0:
                        wstart = wstart + dilW
                    m = -INFINITY
                    best = -1
                    ih = hstart
                    while ih < hend:
                        iw = wstart
                        while iw < wend:
                            v = input[p, ih, iw]
                            u = (v > m) | (v != v)
                            m = v if u else m
                            best = ih * W + iw if u else best
                            iw = iw + dilW
                        ih = ih + dilH
                    output[p, oh, ow] = m
                    indices[p, oh, ow] = best


def spatial_max_pool_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput,
                              index_t[:, :, ::1] indices):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P and indices.shape[0] == P and indices.shape[1] == oH
           and indices.shape[2] == oW, "spatial_max_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t p, i, k, HW = H * W, oHW = oH * oW
    cdef real* gi
    cdef const real* go
    cdef const index_t* ind
    with nogil:
        for p in prange(P, schedule="dynamic", chunksize=16):
            gi = &gradInput[p, 0, 0]
            go = &gradOutput[p, 0, 0]
            ind = &indices[p, 0, 0]
            for i in range(HW):
                gi[i] = 0
            for i in range(oHW):
                k = ind[i]
                if k >= 0 and k < HW:
                    gi[k] += go[i]


# ---------------------------------------------------------------- spatial average pooling

def spatial_avg_pool_forward(real[:, :, ::1] input, real[:, :, ::1] output, int kH, int kW,
                             int dH, int dW, int padH, int padW, bint count_include_pad):
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P, "spatial_avg_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hs, ws, he, we, ih, iw, pool, div
    cdef double s
    with nogil:
        for p in prange(P, schedule="static"):
            for oh in range(oH):
                for ow in range(oW):
                    hs = oh * dH - padH
                    ws = ow * dW - padW
                    he = hs + kH
                    we = ws + kW
                    if he > H + padH:
                        he = H + padH
                    if we > W + padW:
                        we = W + padW
                    pool = (he - hs) * (we - ws)
                    if hs < 0:
                        hs = 0
                    if ws < 0:
                        ws = 0
                    if he > H:
                        he = H
                    if we > W:
                        we = W
                    s = 0
                    for ih in range(hs, he):
                        for iw in range(ws, we):
                            s = s + input[p, ih, iw]
                    div = pool if count_include_pad else (he - hs) * (we - ws)
                    output[p, oh, ow] = <real>(s / div)


def spatial_avg_pool_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput, int kH, int kW,
                              int dH, int dW, int padH, int padW, bint count_include_pad):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P, "spatial_avg_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hs, ws, he, we, ih, iw, pool, div
    cdef real g
    with nogil:
        for p in prange(P, schedule="static"):
            for ih in range(H):
                for iw in range(W):
                    gradInput[p, ih, iw] = 0
            for oh in range(oH):
                for ow in range(oW):
                    hs = oh * dH - padH
                    ws = ow * dW - padW
                    he = hs + kH
                    we = ws + kW
                    if he > H + padH:
                        he = H + padH
                    if we > W + padW:
                        we = W + padW
                    pool = (he - hs) * (we - ws)
                    if hs < 0:
                        hs = 0
                    if ws < 0:
                        ws = 0
                    if he > H:
                        he = H
                    if we > W:
                        we = W
                    div = pool if count_include_pad else (he - hs) * (we - ws)
                    g = gradOutput[p, oh, ow] / div
                    for ih in range(hs, he):
                        for iw in range(ws, we):
                            gradInput[p, ih, iw] += g


# ---------------------------------------------------------------- adaptive pooling

cdef inline Py_ssize_t _start(Py_ssize_t a, Py_ssize_t b, Py_ssize_t c) noexcept nogil:
    return <Py_ssize_t>floor(<float>(a * c) / b)


cdef inline Py_ssize_t _end(Py_ssize_t a, Py_ssize_t b, Py_ssize_t c) noexcept nogil:
    return <Py_ssize_t>ceil(<float>((a + 1) * c) / b)


def adaptive_max_pool_forward(real[:, :, ::1] input, real[:, :, ::1] output, index_t[:, :, :, ::1] indices):
    """indices has shape (2, P, oH, oW): row and column of the max relative to the window start."""
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P and indices.shape[0] == 2 and indices.shape[1] == P
           and indices.shape[2] == oH and indices.shape[3] == oW,
           "adaptive_max_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hs, he, ws, we, ih, iw, by, bx
    cdef real v, m
    with nogil:
        for p in prange(P, schedule="static"):
            for oh in range(oH):
                hs = _start(oh, oH, H)
                he = _end(oh, oH, H)
                for ow in range(oW):
                    ws = _start(ow, oW, W)
                    we = _end(ow, oW, W)
                    m = -INFINITY
                    by = -1
                    bx = -1
                    for ih in range(hs, he):
                        for iw in range(ws, we):
                            v = input[p, ih, iw]
                            if v > m or isnan(v):
                                m = v
                                by = ih - hs
                                bx = iw - ws
                    output[p, oh, ow] = m
                    indices[0, p, oh, ow] = by
                    indices[1, p, oh, ow] = bx


def adaptive_max_pool_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput,
                               index_t[:, :, :, ::1] indices):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P and indices.shape[1] == P and indices.shape[2] == oH
           and indices.shape[3] == oW, "adaptive_max_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, ih, iw
    with nogil:
        for p in prange(P, schedule="static"):
            for ih in range(H):
                for iw in range(W):
                    gradInput[p, ih, iw] = 0
            for oh in range(oH):
                for ow in range(oW):
                    ih = _start(oh, oH, H) + indices[0, p, oh, ow]
                    iw = _start(ow, oW, W) + indices[1, p, oh, ow]
                    if ih >= 0 and ih < H and iw >= 0 and iw < W:
                        gradInput[p, ih, iw] += gradOutput[p, oh, ow]


def adaptive_avg_pool_forward(real[:, :, ::1] input, real[:, :, ::1] output):
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P, "adaptive_avg_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hs, he, ws, we, ih, iw
    cdef real s
    with nogil:
        for p in prange(P, schedule="static"):
            for oh in range(oH):
                hs = _start(oh, oH, H)
                he = _end(oh, oH, H)
                for ow in range(oW):
                    ws = _start(ow, oW, W)
                    we = _end(ow, oW, W)
                    s = 0
                    for ih in range(hs, he):
                        for iw in range(ws, we):
                            s = s + input[p, ih, iw]
                    output[p, oh, ow] = s / ((he - hs) * (we - ws))


def adaptive_avg_pool_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P, "adaptive_avg_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t p, oh, ow, hs, he, ws, we, ih, iw
    cdef real g
    with nogil:
        for p in prange(P, schedule="static"):
            for ih in range(H):
                for iw in range(W):
                    gradInput[p, ih, iw] = 0
            for oh in range(oH):
                hs = _start(oh, oH, H)
                he = _end(oh, oH, H)
                for ow in range(oW):
                    ws = _start(ow, oW, W)
                    we = _end(ow, oW, W)
                    g = gradOutput[p, oh, ow] / ((he - hs) * (we - ws))
                    for ih in range(hs, he):
                        for iw in range(ws, we):
                            gradInput[p, ih, iw] += g


# ---------------------------------------------------------------- temporal / volumetric max pooling

def temporal_max_pool_forward(real[:, :, ::1] input, real[:, :, ::1] output, index_t[:, :, ::1] indices,
                              int kW, int dW):
    """input (N, T, F) -> output (N, oT, F); indices hold the 0-based frame offset inside the window."""
    cdef Py_ssize_t N = input.shape[0], T = input.shape[1], F = input.shape[2]
    cdef Py_ssize_t oT = output.shape[1]
    _check(output.shape[0] == N and output.shape[2] == F and indices.shape[0] == N
           and indices.shape[1] == oT and indices.shape[2] == F and (oT - 1) * dW + kW <= T,
           "temporal_max_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t n, t, f, k, best
    cdef real v, m
    with nogil:
        for n in prange(N, schedule="static"):
            for t in range(oT):
                for f in range(F):
                    m = -INFINITY
                    best = -1
                    for k in range(kW):
                        v = input[n, t * dW + k, f]
                        if v > m or isnan(v):
                            m = v
                            best = k
                    output[n, t, f] = m
                    indices[n, t, f] = best


def temporal_max_pool_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput,
                               index_t[:, :, ::1] indices, int dW):
    cdef Py_ssize_t N = gradInput.shape[0], T = gradInput.shape[1], F = gradInput.shape[2]
    cdef Py_ssize_t oT = gradOutput.shape[1]
    _check(gradOutput.shape[0] == N and gradOutput.shape[2] == F and indices.shape[0] == N
           and indices.shape[1] == oT and indices.shape[2] == F,
           "temporal_max_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t n, t, f, k
    with nogil:
        for n in prange(N, schedule="static"):
            for t in range(T):
                for f in range(F):
                    gradInput[n, t, f] = 0
            for t in range(oT):
                for f in range(F):
                    k = t * dW + indices[n, t, f]
                    if k >= 0 and k < T:
                        gradInput[n, k, f] += gradOutput[n, t, f]


def volumetric_max_pool_forward(real[:, :, :, ::1] input, real[:, :, :, ::1] output,
                                index_t[:, :, :, ::1] indices, int kT, int kH, int kW,
                                int dT, int dH, int dW, int padT, int padH, int padW):
    cdef Py_ssize_t P = input.shape[0], T = input.shape[1], H = input.shape[2], W = input.shape[3]
    cdef Py_ssize_t oT = output.shape[1], oH = output.shape[2], oW = output.shape[3]
    _check(output.shape[0] == P and indices.shape[0] == P and indices.shape[1] == oT
           and indices.shape[2] == oH and indices.shape[3] == oW,
           "volumetric_max_pool_forward: buffer shapes disagree")
    cdef Py_ssize_t p, ot, oh, ow, a, i, j, it, ih, iw, ba, bi, bj
    cdef real v, m
    with nogil:
        for p in prange(P, schedule="static"):
            for ot in range(oT):
                for oh in range(oH):
                    for ow in range(oW):
                        m = -INFINITY
                        ba = -1
                        bi = -1
                        bj = -1
                        for a in range(kT):
                            it = ot * dT - padT + a
                            if it < 0 or it >= T:
                                continue
                            for i in range(kH):
                                ih = oh * dH - padH + i
                                if ih < 0 or ih >= H:
                                    continue
                                for j in range(kW):
                                    iw = ow * dW - padW + j
                                    if iw < 0 or iw >= W:
                                        continue
                                    v = input[p, it, ih, iw]
                                    if v > m or isnan(v):
                                        m = v
                                        ba = a
                                        bi = i
                                        bj = j
                        output[p, ot, oh, ow] = m
                        indices[p, ot, oh, ow] = ba + 256 * bi + 65536 * bj


def volumetric_max_pool_backward(real[:, :, :, ::1] gradOutput, real[:, :, :, ::1] gradInput,
                                 index_t[:, :, :, ::1] indices, int dT, int dH, int dW,
                                 int padT, int padH, int padW):
    cdef Py_ssize_t P = gradInput.shape[0], T = gradInput.shape[1], H = gradInput.shape[2]
    cdef Py_ssize_t W = gradInput.shape[3]
    cdef Py_ssize_t oT = gradOutput.shape[1], oH = gradOutput.shape[2], oW = gradOutput.shape[3]
    _check(gradOutput.shape[0] == P and indices.shape[0] == P and indices.shape[1] == oT
           and indices.shape[2] == oH and indices.shape[3] == oW,
           "volumetric_max_pool_backward: buffer shapes disagree")
    cdef Py_ssize_t p, ot, oh, ow, it, ih, iw, code
    with nogil:
        for p in prange(P, schedule="static"):
            for it in range(T):
                for ih in range(H):
                    for iw in range(W):
                        gradInput[p, it, ih, iw] = 0
            for ot in range(oT):
                for oh in range(oH):
                    for ow in range(oW):
                        code = indices[p, ot, oh, ow]
                        it = ot * dT - padT + (code & 255)
                        ih = oh * dH - padH + ((code >> 8) & 255)
                        iw = ow * dW - padW + ((code >> 16) & 255)
                        if it >= 0 and it < T and ih >= 0 and ih < H and iw >= 0 and iw < W:
                            gradInput[p, it, ih, iw] += gradOutput[p, ot, oh, ow]


# ---------------------------------------------------------------- bilinear upsampling (align corners)
# THNN computes the source coordinates in single precision, whatever the element type.

cdef inline float _scale(Py_ssize_t n, Py_ssize_t on) noexcept:
    return <float>(n - 1) / (on - 1) if on > 1 else 0.0


def upsample_bilinear_forward(real[:, :, ::1] input, real[:, :, ::1] output):
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P, "upsample_bilinear_forward: buffer shapes disagree")
    cdef float rh = _scale(H, oH), rw = _scale(W, oW)
    cdef Py_ssize_t p, h2, w2, h1, w1, h1p, w1p
    cdef float h1r, w1r
    cdef real h1l, h0l, w1l, w0l
    with nogil:
        for p in prange(P, schedule="static"):
            for h2 in range(oH):
                h1r = rh * <float>h2
                h1 = <Py_ssize_t>h1r
                h1p = 1 if h1 < H - 1 else 0
                h1l = <real>(h1r - h1)
                h0l = 1 - h1l
                for w2 in range(oW):
                    w1r = rw * <float>w2
                    w1 = <Py_ssize_t>w1r
                    w1p = 1 if w1 < W - 1 else 0
                    w1l = <real>(w1r - w1)
                    w0l = 1 - w1l
                    output[p, h2, w2] = (h0l * (w0l * input[p, h1, w1] + w1l * input[p, h1, w1 + w1p])
                                         + h1l * (w0l * input[p, h1 + h1p, w1]
                                                  + w1l * input[p, h1 + h1p, w1 + w1p]))


def upsample_bilinear_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P, "upsample_bilinear_backward: buffer shapes disagree")
    cdef float rh = _scale(H, oH), rw = _scale(W, oW)
    cdef Py_ssize_t p, h2, w2, h1, w1, h1p, w1p
    cdef float h1r, w1r
    cdef real h1l, h0l, w1l, w0l, g
    with nogil:
        for p in prange(P, schedule="static"):
            for h2 in range(H):
                for w2 in range(W):
                    gradInput[p, h2, w2] = 0
            for h2 in range(oH):
                h1r = rh * <float>h2
                h1 = <Py_ssize_t>h1r
                h1p = 1 if h1 < H - 1 else 0
                h1l = <real>(h1r - h1)
                h0l = 1 - h1l
                for w2 in range(oW):
                    w1r = rw * <float>w2
                    w1 = <Py_ssize_t>w1r
                    w1p = 1 if w1 < W - 1 else 0
                    w1l = <real>(w1r - w1)
                    w0l = 1 - w1l
                    g = gradOutput[p, h2, w2]
                    gradInput[p, h1, w1] += h0l * w0l * g
                    gradInput[p, h1, w1 + w1p] += h0l * w1l * g
                    gradInput[p, h1 + h1p, w1] += h1l * w0l * g
                    gradInput[p, h1 + h1p, w1 + w1p] += h1l * w1l * g


# ---------------------------------------------------------------- reflection / replication padding

cdef inline Py_ssize_t _src(Py_ssize_t o, Py_ssize_t pad, Py_ssize_t n, bint reflect) noexcept nogil:
    cdef Py_ssize_t i = o - pad
    if reflect:
        if i < 0:
            i = -i
        if i >= n:
            i = 2 * (n - 1) - i
    else:
        if i < 0:
            i = 0
        if i >= n:
            i = n - 1
    return i


def _check_reflect(bint reflect, int padL, int padT, Py_ssize_t H, Py_ssize_t W, Py_ssize_t oH,
                   Py_ssize_t oW, name):
    _check(not reflect or (padL < W and padT < H and oW - W - padL < W and oH - H - padT < H),
           name + ": reflection padding must be smaller than the input")


def pad2d_forward(real[:, :, ::1] input, real[:, :, ::1] output, int padL, int padT, bint reflect):
    cdef Py_ssize_t P = input.shape[0], H = input.shape[1], W = input.shape[2]
    cdef Py_ssize_t oH = output.shape[1], oW = output.shape[2]
    _check(output.shape[0] == P, "pad2d_forward: buffer shapes disagree")
    _check_reflect(reflect, padL, padT, H, W, oH, oW, "pad2d_forward")
    cdef Py_ssize_t p, i, j
    with nogil:
        for p in prange(P, schedule="static"):
            for i in range(oH):
                for j in range(oW):
                    output[p, i, j] = input[p, _src(i, padT, H, reflect), _src(j, padL, W, reflect)]


def pad2d_backward(real[:, :, ::1] gradOutput, real[:, :, ::1] gradInput, int padL, int padT, bint reflect):
    cdef Py_ssize_t P = gradInput.shape[0], H = gradInput.shape[1], W = gradInput.shape[2]
    cdef Py_ssize_t oH = gradOutput.shape[1], oW = gradOutput.shape[2]
    _check(gradOutput.shape[0] == P, "pad2d_backward: buffer shapes disagree")
    _check_reflect(reflect, padL, padT, H, W, oH, oW, "pad2d_backward")
    cdef Py_ssize_t p, i, j
    with nogil:
        for p in prange(P, schedule="static"):
            for i in range(H):
                for j in range(W):
                    gradInput[p, i, j] = 0
            for i in range(oH):
                for j in range(oW):
                    gradInput[p, _src(i, padT, H, reflect), _src(j, padL, W, reflect)] += gradOutput[p, i, j]
