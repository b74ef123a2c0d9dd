"""The declared tensor surface, one topic per module.  Importing registers every declaration."""
from . import arith  # noqa: F401
from . import elementwise  # noqa: F401
from . import compare  # noqa: F401
from . import reduce  # noqa: F401
from . import indexing  # noqa: F401
from . import sort  # noqa: F401
from . import random_ops  # noqa: F401
from . import construct  # noqa: F401
from . import shape  # noqa: F401
from . import linalg  # noqa: F401
from . import structure  # noqa: F401
from . import conv  # noqa: F401
