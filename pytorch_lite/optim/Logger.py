"""optim.Logger: log values during training to a text file and plot them.

    logger = optim.Logger('train.log')
    logger.setNames(['training error', 'test error'])
    for epoch in range(n):
        logger.add([train_err, test_err])
    logger.style(['-', '-'])
    logger.plot()            # train.log.png (pytorch_lite.gnuplot); without matplotlib the text log only

The file is written exactly as Torch7's Logger writes it: one tab-terminated header line of
names, then one line per ``add`` with each number as ``%11.4e`` followed by a tab.
"""
import atexit
import os
import sys
import time
import weakref

import numpy as np

from ..errors import TorchRuntimeError, TorchTypeError


class Logger(object):
    """Fields as in Torch7: ``name``, ``file``, ``symbols`` (name or 0-based index -> list of
    values), ``styles``, ``names``, ``idx``, ``empty``, ``showPlot``, ``defaultStyle`` ('+'),
    ``logscale``, ``nsymbols``, ``plotfile`` (PNG written by ``plot``; Torch7 wrote
    ``<name>.eps``).  Column keys given by position (``setNames`` or a list to ``add``) are
    0-based here, 1-based in Torch7's tables.

    Registered with the t7 reader/writer as ``optim.Logger``, in Torch7's layout (1-based column
    keys, ``epsfile``).  The open ``file`` is not written (Torch7 cannot save its io file
    either): a Logger loaded from a t7 file logs to stdout if it did, else it has no file until
    you give it one (``logger.file = open(logger.name, 'a')``); its logged ``symbols`` are kept
    and ``plot`` works.
    """
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
        if self.file is None:
            raise TorchRuntimeError("<Logger> no open file (a Logger loaded from a t7 file has "
                                    "none): set logger.file = open(logger.name, 'a')")
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
        """Plot every symbol with more than one value (or the given ones) to ``plotfile``, as
        Torch7's Logger:plot does through gnuplot (here pytorch_lite.gnuplot, which draws with
        matplotlib): one series per symbol and style against the row number 1..n, the title
        '<Logger::name>', a grid and ``logscale``.  Returns the file written, or None.

        Without matplotlib this warns once and the text log stays the record."""
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            if not getattr(self, 'warned', False):
                print('<Logger> warning: cannot plot without matplotlib; see the text log')
                self.warned = True
            return None
        keys = [self.idx[n] for n in names] if names else list(self.symbols)
        series = []
        for k in keys:
            values = self.symbols[k]
            if len(values) > 1 and all(_is_number(v) for v in values):
                x = np.arange(1, len(values) + 1, dtype=np.float64)
                y = np.asarray(values, dtype=np.float64)
                for st in self.styles.get(k) or [self.defaultStyle]:
                    series.append((str(self.names.get(k, k)), x, y, st))
        if not series or self.plotfile is None:
            return None
        # Torch7 hands the data to a gnuplot process and goes on while it draws; drawing here
        # takes the script's own time, so a Logger drawn again within DRAW_EVERY seconds (a
        # demo plotting after each of 10000 epochs) is drawn when the interval has passed, and
        # at exit at the latest
        last = _drawn_at.get(self)
        if last is not None and time.monotonic() - last < DRAW_EVERY:
            _pending[self] = series
            return self.plotfile
        _draw(self, series)
        return self.plotfile

    def _drawing(self, series):
        from .. import gnuplot
        gnuplot.pngfigure(self.plotfile)
        with gnuplot.held(close=True):   # one drawing, not one per setting
            gnuplot.plot(series)
            gnuplot.logscale(self.logscale)
            gnuplot.grid(True)
            gnuplot.title('<Logger::' + str(self.name) + '>')

    # -- t7 files (pytorch_lite.serialization registry) ----------------------------------------
    def __t7_read__(self, fields, version):
        f = dict(fields)
        names, idx = f.get('names'), f.get('idx')
        f['symbols'] = {_key_in(k): _list(v) for k, v in _pairs(f.get('symbols'))}
        f['styles'] = {_key_in(k): _list(v) for k, v in _pairs(f.get('styles'))}
        f['names'] = {_key_in(k): (_key_in(v) if _is_int(v) and v == k else v)
                      for k, v in _pairs(names)}
        f['idx'] = (f['names'] if idx is names and idx is not None
                    else {_key_in(k): _key_in(v) for k, v in _pairs(idx)})
        eps = f.pop('epsfile', None)
        name = f.get('name', 'stdout')
        f['file'] = sys.stdout if name == 'stdout' else None
        f.setdefault('plotfile', None if eps is None else str(name) + '.png')
        for key, default in (('empty', True), ('figure', None), ('showPlot', True),
                             ('plotRawCmd', None), ('defaultStyle', '+'), ('logscale', False)):
            f.setdefault(key, default)
        self.__dict__.update(f)

    def __t7_write__(self):
        f = dict(self.__dict__)
        f.pop('file', None)
        plotfile = f.pop('plotfile', None)
        if plotfile is not None:
            f['epsfile'] = str(self.name) + '.eps'
        names = self.names
        out_names = _table_out({_key_out(k): (_key_out(v) if _is_int(v) and v == k else v)
                                for k, v in names.items()})
        f['names'] = out_names
        f['idx'] = (out_names if self.idx is names
                    else {_key_out(k): _key_out(v) for k, v in self.idx.items()})
        f['symbols'] = _table_out({_key_out(k): v for k, v in self.symbols.items()})
        f['styles'] = _table_out({_key_out(k): v for k, v in self.styles.items()})
        return f


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _key_in(k):
    return k - 1 if _is_int(k) else k


def _key_out(k):
    return k + 1 if _is_int(k) else k


def _pairs(t):
    """A Lua table as read from a t7 file (list, dict or None) as (1-based key, value) pairs."""
    if t is None:
        return []
    if isinstance(t, dict):
        return list(t.items())
    return [(i + 1, v) for i, v in enumerate(t)]


def _list(v):
    """A Lua sequence read back (list, or a dict for the empty table) as a list."""
    if isinstance(v, dict):
        return [v[k] for k in sorted(v)] if all(_is_int(k) for k in v) else v
    return list(v) if isinstance(v, (list, tuple)) else v


def _table_out(d):
    """A dict with the keys 1..n as a list (a Lua sequence), else the dict."""
    if d and all(_is_int(k) for k in d) and sorted(d) == list(range(1, len(d) + 1)):
        return [d[k] for k in range(1, len(d) + 1)]
    return d


def _items(symbols):
    if isinstance(symbols, dict):
        return list(symbols.items())
    return list(enumerate(symbols))


DRAW_EVERY = 1.0                          # seconds between two drawings of one Logger's plot
_drawn_at = weakref.WeakKeyDictionary()   # (kept outside the Logger: not written to t7 files)
_pending = weakref.WeakKeyDictionary()    # Logger -> the series its latest plot() asked for


def _draw(logger, series):
    _pending.pop(logger, None)
    logger._drawing(series)
    _drawn_at[logger] = time.monotonic()


@atexit.register
def _draw_pending():
    """The plots asked for last are on disk when the program ends."""
    for logger, series in list(_pending.items()):
        try:
            _draw(logger, series)
        except Exception as e:   # a failing drawing at exit is reported, not raised
            print('<Logger> could not draw %s: %s' % (logger.plotfile, e), file=sys.stderr)
