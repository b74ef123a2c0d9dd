"""The declared tensor surface, one topic per module.  Importing registers every declaration."""
from . import arith  # noqa: F401
from . import indexing  # noqa: F401
from . import sort  # noqa: F401
