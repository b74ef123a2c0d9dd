"""nn.SpatialDropout(p=0.5, stochasticInference=False): in training, zeroes whole feature maps
with probability p (one Bernoulli draw per map, kept in `noise`); in evaluate mode, scales the
input by 1-p (Torch7 does not rescale while training)."""
from .Module import Module
from . import _spatial as S


class SpatialDropout(S.FeatureDropout, Module):
    _ndim = 2
    _expected = "a 3D (nfeat x h x w) or 4D (nbatch x nfeat x h x w) tensor"
