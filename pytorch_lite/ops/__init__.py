"""The declared tensor surface, one topic per module.  Importing registers every declaration."""
from . import arith  # noqa: F401
