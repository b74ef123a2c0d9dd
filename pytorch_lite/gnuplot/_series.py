"""gnuplot.plot/splot/imagesc argument forms, as Torch7's gnuplot read them, to numpy data.

A series is ``[legend,] x [, y] [, format]``; ``plot`` takes one series as its arguments, or
several as tuples/lists (``plot(('sin', x, y, '-'), ('cos', x, z))`` or ``plot([s1, s2])``).
With y missing: an Nx2 x is (x, y) columns, Nx4 with 'v' is a vector field, NxK is x then K-1
y columns, and a vector is y against its element indices (1..N in Lua, 0..N-1 in Python)."""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor

_PLOT_USAGE = "expecting [string,] tensor [,tensor] [,string]"


def is_data(v):
    return isinstance(v, (Tensor, np.ndarray))


def as_array(v):
    """A tensor or array as a float64 numpy array."""
    if isinstance(v, Tensor):
        return np.asarray(v.numpy(), dtype=np.float64)
    return np.asarray(v, dtype=np.float64)


def _is_series(v):
    return isinstance(v, (list, tuple))


def series_list(args):
    """The plot's series: args is one series, or series given as tuples/lists (or one list of
    them)."""
    if not args:
        raise TorchValueError("no inputs, expecting at least a vector")
    if _is_series(args[0]):
        if args[0] and _is_series(args[0][0]):
            args = args[0]
        return [tuple(a) for a in args]
    return [tuple(args)]


def plot_vars(t, base):
    """(legend, x, y, format) of one series, y 1D or 2D (columns)."""
    legend = x = y = fmt = None
    n = len(t)
    if n == 0:
        raise TorchValueError("empty argument list")
    if n > 4:
        raise TorchValueError(_PLOT_USAGE)
    if isinstance(t[0], str):
        legend = t[0]
    elif is_data(t[0]):
        x = t[0]
    else:
        raise TorchTypeError(_PLOT_USAGE)
    if n >= 2:
        if x is not None and isinstance(t[1], str):
            fmt = t[1]
        elif x is not None and is_data(t[1]):
            y = t[1]
        elif legend is not None and is_data(t[1]):
            x = t[1]
        else:
            raise TorchTypeError(_PLOT_USAGE)
    if n >= 3:
        if legend is not None and x is not None and y is None and fmt is None and is_data(t[2]):
            y = t[2]
        elif (legend is not None or y is not None) and x is not None and fmt is None and isinstance(t[2], str):
            fmt = t[2]
        else:
            raise TorchTypeError(_PLOT_USAGE)
    if n == 4:
        if legend is not None and x is not None and y is not None and isinstance(t[3], str):
            fmt = t[3]
        else:
            raise TorchTypeError(_PLOT_USAGE)
    if x is None:
        raise TorchTypeError(_PLOT_USAGE)
    legend, fmt = legend or "", fmt or ""
    xa = as_array(x)
    if y is None:
        if xa.ndim == 2 and xa.shape[1] == 2:
            xa, ya = xa[:, 0], xa[:, 1]
        elif xa.ndim == 2 and xa.shape[1] == 4 and fmt in ("v", "V", "vectors"):
            xa, ya = xa[:, [0, 2]], xa[:, [1, 3]]
        elif xa.ndim == 2 and xa.shape[1] > 1:
            xa, ya = xa[:, 0], xa[:, 1:]
        else:
            ya = xa.reshape(-1)
            xa = np.arange(ya.shape[0], dtype=np.float64) + base
    else:
        ya = as_array(y)
    if xa.ndim not in (1, 2) or ya.ndim == 0 or ya.shape[0] != xa.shape[0]:
        raise TorchValueError("x and y dims are wrong :  x = %dD y = %dD" % (xa.ndim, ya.ndim))
    return legend, xa, ya, fmt


def splot_vars(t, base):
    """(legend, x, y, z) matrices of one surface: [legend,] z or [legend,] x, y, z."""
    usage = "expecting [string,] tensor [,tensor] [,tensor]"
    n = len(t)
    if n == 0:
        raise TorchValueError("empty argument list")
    legend = ""
    rest = list(t)
    if isinstance(rest[0], str):
        legend = rest.pop(0)
    if not rest or len(rest) not in (1, 3) or not all(is_data(v) for v in rest):
        raise TorchTypeError(usage)
    if len(rest) == 1:
        z = as_array(rest[0])
        if z.ndim != 2:
            raise TorchValueError("x and y and z are expected to be matrices z = %dD" % z.ndim)
        x = np.broadcast_to(np.arange(z.shape[0], dtype=np.float64)[:, None] + base, z.shape)
        y = np.broadcast_to(np.arange(z.shape[1], dtype=np.float64)[None, :] + base, z.shape)
    else:
        x, y, z = (as_array(v) for v in rest)
    if x.ndim != 2 or y.ndim != 2 or z.ndim != 2:
        raise TorchValueError("x and y and z are expected to be matrices x = %dD y = %dD z = %dD"
                              % (x.ndim, y.ndim, z.ndim))
    return legend, x, y, z


def surface_list(args):
    if not args:
        raise TorchValueError("no inputs, expecting at least a matrix")
    return series_list(args)
