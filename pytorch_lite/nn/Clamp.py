"""nn.Clamp(min_value, max_value): HardTanh with a chosen range."""
from .HardTanh import HardTanh


class Clamp(HardTanh):
    def __init__(self, min_value, max_value):
        super().__init__(min_value, max_value)
