"""nn.VolumetricDropout(p=0.5, stochasticInference=False): SpatialDropout for 4D
(nfeat x t x h x w) or 5D (batch x ...) inputs: in training one Bernoulli draw per feature
volume (kept in `noise`) zeroes whole volumes; in evaluate mode the input is scaled by 1-p."""
from .Module import Module
from . import _spatial as S


class VolumetricDropout(S.FeatureDropout, Module):
    _ndim = 3
    _expected = "a 4D (nfeat x t x h x w) or 5D (nbatch x nfeat x t x h x w) tensor"
