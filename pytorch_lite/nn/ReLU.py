"""nn.ReLU(ip=False): Threshold(0, 0)."""
from .Threshold import Threshold


class ReLU(Threshold):
    threshold = 0  # defaults for files that lack the fields (cudnn.ReLU)
    val = 0

    def __init__(self, ip=False):
        super().__init__(0, 0, ip)
