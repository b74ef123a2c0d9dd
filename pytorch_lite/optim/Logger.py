"""optim.Logger: log values during training to a text file and plot them.

    logger = optim.Logger('train.log')
    logger.setNames(['training error', 'test error'])
    for epoch in range(n):
        logger.add([train_err, test_err])
    logger.style(['-', '-'])
    logger.plot()            # train.log.png with matplotlib; otherwise the text log only

The file is written exactly as Torch7's Logger writes it: one tab-terminated header line of
names, then one line per ``add`` with each number as ``%11.4e`` followed by a tab.
"""
import os
import sys
import time

from ..errors import TorchTypeError


class Logger(object):
    """Fields as in Torch7: ``name``, ``file``, ``symbols`` (name or 0-based index -> list of
    values), ``styles``, ``names``, ``idx``, ``empty``, ``showPlot``, ``defaultStyle`` ('+'),
    ``logscale``, ``plotfile`` (PNG written by ``plot``; Torch7 wrote ``<name>.eps``)."""
    typename = 'optim.Logger'

    def __init__(self, filename=None, timestamp=False):
        if filename:
            self.name = filename
            dirname = os.path.dirname(filename)
            if dirname:
                os.makedirs(dirname, exist_ok=True)
            if timestamp:
                filename = filename + '-' + time.strftime('%Y_%m_%d_%X')
            self.file = open(filename, 'w')
            self.plotfile = self.name + '.png'
        else:
            self.file = sys.stdout
            self.name = 'stdout'
            self.plotfile = None
            print('<Logger> warning: no path provided, logging to std out')
        self.empty = True
        self.symbols = {}
        self.styles = {}
        self.names = {}
        self.idx = {}
        self.figure = None
        self.showPlot = True
        self.plotRawCmd = None
        self.defaultStyle = '+'
        self.logscale = False

    def setNames(self, names):
        """Name the columns (a list); later ``add`` calls take a list of values in that order."""
        self.names = {k: key for k, key in enumerate(names)}
        self.empty = False
        self.nsymbols = len(names)
        for k, key in enumerate(names):
            self.file.write(str(key) + '\t')
            self.symbols[k] = []
            self.styles[k] = [self.defaultStyle]
            self.idx[key] = k
        self.file.write('\n')
        self.file.flush()
        return self

    def add(self, symbols):
        """Log one row: a list (after ``setNames``) or a dict name -> value."""
        items = _items(symbols)
        if self.empty:
            self.empty = False
            self.nsymbols = len(items)
            for k, _ in items:
                self.file.write(str(k) + '\t')
                self.symbols[k] = []
                self.styles[k] = [self.defaultStyle]
                self.names[k] = k
            self.idx = self.names
            self.file.write('\n')
        for _, val in items:
            if isinstance(val, bool) or not isinstance(val, (int, float, str)):
                raise TorchTypeError('<Logger> can only log numbers and strings')
            if isinstance(val, str):
                self.file.write(val + '\t')
            else:
                self.file.write('%11.4e' % val + '\t')
        self.file.write('\n')
        self.file.flush()
        for k, val in items:
            self.symbols[k].append(val)

    def style(self, symbols):
        """Plot styles per symbol (a list in column order, or a dict): a style string or a
        list of them ('+', '-', '.', '+-', ...)."""
        for name, style in _items(symbols):
            if isinstance(style, str):
                self.styles[name] = [style]
            elif isinstance(style, (list, tuple)):
                self.styles[name] = list(style)
            else:
                raise TorchTypeError('<Logger> style should be a string or a table of strings')
        return self

    def setlogscale(self, value):
        self.logscale = value

    def plot(self, *names):
        """Plot every symbol with more than one value (or the given ones) to ``plotfile``.

        Needs matplotlib; without it this warns once and the text log stays the record."""
        try:
            import matplotlib
            matplotlib.use('Agg')
            import matplotlib.pyplot as plt
        except ImportError:
            if not getattr(self, 'warned', False):
                print('<Logger> warning: cannot plot without matplotlib; see the text log')
                self.warned = True
            return None
        keys = [self.idx[n] for n in names] if names else list(self.symbols)
        plots = [(k, self.symbols[k]) for k in keys if len(self.symbols[k]) > 1]
        if not plots or self.plotfile is None:
            return None
        fig, ax = plt.subplots()
        for k, values in plots:
            for st in self.styles[k]:
                ax.plot(range(1, len(values) + 1), values, _mpl_style(st), label=str(self.names[k]))
        if self.logscale:
            ax.set_yscale('log')
        ax.grid(True)
        ax.legend()
        ax.set_title('<Logger::' + self.name + '>')
        fig.savefig(self.plotfile)
        plt.close(fig)
        return self.plotfile


def _items(symbols):
    if isinstance(symbols, dict):
        return list(symbols.items())
    return list(enumerate(symbols))


_STYLES = {'+': '+', '-': '-', '.': '.', '~': '-', '+-': '+-', '|': '|', 'o': 'o'}


def _mpl_style(style):
    """gnuplot-ish style strings as used with Torch7's Logger, as matplotlib format strings."""
    return _STYLES.get(style, style)
