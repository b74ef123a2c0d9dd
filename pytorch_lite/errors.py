"""The project's exception types.

Every error pytorch_lite raises on bad input is a TorchError; each also subclasses the
built-in that fits (IndexError, ValueError, TypeError, RuntimeError), so ordinary Python
handlers keep working.
"""


class TorchError(Exception):
    """Base of all pytorch_lite errors."""


class TorchIndexError(TorchError, IndexError):
    """An index or dimension out of range."""


class TorchValueError(TorchError, ValueError):
    """A value (size, shape, option) that the operation cannot accept."""


class TorchTypeError(TorchError, TypeError):
    """An argument of the wrong type, or a call matching no declared signature."""


class TorchRuntimeError(TorchError, RuntimeError):
    """An operation that cannot be carried out on these operands (e.g. a singular matrix)."""


def check(cond, msg, exc=TorchValueError):
    if not cond:
        raise exc(msg)


class TorchCudaError(TorchRuntimeError):
    """A Cuda tensor was asked for where there is no CUDA device (and no PYTORCH_LITE_CUDA=cpu)."""
