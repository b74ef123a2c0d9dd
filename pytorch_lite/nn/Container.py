"""nn.Container: the common base of modules made of other modules (nn doc/containers.md).

Python indices are 0-based: ``get(0)`` is the first child (Torch7's ``get(1)``)."""
from ..errors import TorchIndexError
from ..tensor import Tensor
from .Module import Module


class Container(Module):
    def __init__(self, *args):
        super().__init__(*args)
        self.modules = []

    def add(self, module):
        self.modules.append(module)
        return self

    def get(self, index):
        n = len(self.modules)
        if not -n <= index < n:
            raise TorchIndexError("%s:get(): index %d out of range for %d modules" % (self.typename, index, n))
        return self.modules[index]

    def rethrowErrors(self, module, index, funcName, *args):
        """module.funcName(*args) for the child at 0-based index; an error raised inside keeps its
        type and gets Torch7's "In <n> module of <container>:" line in front of its message (n is
        1-based, as in the print layout), one line per enclosing container."""
        try:
            return getattr(module, funcName)(*args)
        except Exception as e:
            child_error(self, e, index)
            raise

    def size(self):
        return len(self.modules)

    def applyToModules(self, func):
        for m in self.modules:
            func(m)

    def zeroGradParameters(self):
        for m in self.modules:
            m.zeroGradParameters()

    def updateParameters(self, learningRate):
        for m in self.modules:
            m.updateParameters(learningRate)

    def training(self):
        for m in self.modules:
            m.training()
        return super().training()

    def evaluate(self):
        for m in self.modules:
            m.evaluate()
        return super().evaluate()

    def share(self, mlp, *names):
        for mine, other in zip(self.modules, mlp.modules):
            mine.share(other, *names)
        return self

    def reset(self, stdv=None):
        for m in self.modules:
            m.reset(stdv)
        return self

    def parameters(self):
        w, gw = [], []
        for m in self.modules:
            mw, mgw = m.parameters()
            w += mw
            gw += mgw
        return w, gw

    def clearState(self):
        d = self.__dict__
        for f in ("output", "gradInput"):
            v = d.get(f)
            if isinstance(v, Tensor):
                d[f] = v.new()
            elif isinstance(v, list):
                d[f] = []
            elif v is not None:
                d[f] = None
        for m in self.modules:
            m.clearState()
        return self


def child_error(container, e, index):
    """Prefix e's message with the child's position in container (in place; the caller re-raises)."""
    line = "In %d module of %s:" % (index + 1, container.typename)
    if e.args and isinstance(e.args[0], str) and type(e).__str__ in (BaseException.__str__, Exception.__str__):
        e.args = (line + "\n" + e.args[0],) + e.args[1:]
    else:
        e.add_note(line)
    return e


def branch_str(module):
    """The print layout Torch7's Concat, ConcatTable, Parallel and ParallelTable share."""
    tab, line = "  ", "\n"
    nxt, last_nxt = "  |`-> ", "   `-> "
    ext, extlast = "  |    ", "       "
    s = module.typename + " {" + line + tab + "input"
    n = len(module.modules)
    for i, m in enumerate(module.modules):
        if i == n - 1:
            s += line + tab + last_nxt + "(%d): " % (i + 1) + str(m).replace(line, line + tab + extlast)
        else:
            s += line + tab + nxt + "(%d): " % (i + 1) + str(m).replace(line, line + tab + ext)
    return s + line + tab + "   ... -> " + "output" + line + "}"
