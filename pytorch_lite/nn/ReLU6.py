"""nn.ReLU6(inplace=False): min(max(x, 0), 6)."""
from .HardTanh import HardTanh


class ReLU6(HardTanh):
    min_val = 0  # Torch7's ReLU6 stores only `inplace`
    max_val = 6

    def __init__(self, inplace=False):
        super().__init__(0, 6, inplace)
