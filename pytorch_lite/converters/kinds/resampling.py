"""Up-sampling, pixel shuffle and spatial/volumetric padding."""
from ..declare import declare
from ._common import _batched


@declare("nn.SpatialUpSamplingNearest")
def upsampling_nearest(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.resize(v, s.xout.size()[-2:], "nearest"))


@declare("nn.SpatialUpSamplingBilinear")
def upsampling_bilinear(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.resize(v, s.xout.size()[-2:], "bilinear"))


@declare("nn.UpSampling")
def upsampling(m, g, x, s):
    # nearest: each element repeated scale_factor times; linear: corners aligned
    return g.resize(x, s.xout.size()[2:], "nearest" if m.mode == "nearest" else "bilinear")


def _spatial_pad(g, s, x, m, mode):
    """pad_l/r/t/b; negative values crop (Torch7 allows them for zero padding)."""
    rank = s.xin.dim()
    l, r, t, b = m.pad_l, m.pad_r, m.pad_t, m.pad_b
    h, w = s.xin.size()[-2:]
    if min(l, r, t, b) < 0:
        x = g.narrow(x, rank - 1, max(-l, 0), w - max(-l, 0) - max(-r, 0))
        x = g.narrow(x, rank - 2, max(-t, 0), h - max(-t, 0) - max(-b, 0))
        l, r, t, b = max(l, 0), max(r, 0), max(t, 0), max(b, 0)
    pads = [(0, 0)] * (rank - 2) + [(t, b), (l, r)]
    if not any(l or r or t or b for _ in [0]):
        return x
    if mode == "constant":
        return g.pad(x, pads, mode)
    return _batched(g, s, x, 4, lambda v: g.pad(v, [(0, 0)] * 2 + pads[-2:], mode))


@declare("nn.SpatialZeroPadding")
def spatial_zero_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "constant")


@declare("nn.SpatialReflectionPadding")
def spatial_reflection_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "reflect")


@declare("nn.SpatialReplicationPadding")
def spatial_replication_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "edge")


@declare("nn.VolumetricReplicationPadding")
def volumetric_replication_padding(m, g, x, s):
    pads = [(0, 0), (0, 0), (m.pfront, m.pback), (m.ptop, m.pbottom), (m.pleft, m.pright)]
    return _batched(g, s, x, 5, lambda v: g.pad(v, pads, "edge"))


@declare("nn.PixelShuffle")
def pixel_shuffle(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.pixel_shuffle(v, m.upscaleFactor))
