"""A progress bar for long loops, where a Torch7 script had ``xlua.progress(i, n)``.

    from pytorch_lite.progress import progress
    for i in range(n):
        ...
        progress(i + 1, n)        # 1-based count, as xlua.progress takes it

Backed by tqdm when it is installed, by a plain ``[====>....] i/n`` line on stderr otherwise.
``progress(n, n)`` finishes the bar; the next ``progress(1, m)`` starts a new one.
"""
import sys
import time

try:
    import tqdm as _tqdm
except ImportError:      # pragma: no cover - depends on the environment
    _tqdm = None


class Progress(object):
    """One bar; ``update(i, n)`` moves it to i of n (1-based) and closes it at n."""

    def __init__(self, use_tqdm=None, file=None, width=50):
        self.use_tqdm = (_tqdm is not None) if use_tqdm is None else use_tqdm
        self.file = file
        self.width = width
        self._bar = None
        self._total = None
        self._start = None

    def update(self, current, total):
        current, total = int(current), int(total)
        if total <= 0:
            return
        if self._start is None or self._total != total or current <= 1:
            self._open(total)
        if self.use_tqdm:
            self._bar.update(current - self._bar.n)
        else:
            self._draw(current, total)
        if current >= total:
            self.close()

    def _open(self, total):
        self.close()
        self._total = total
        self._start = time.time()
        if self.use_tqdm:
            self._bar = _tqdm.tqdm(total=total, file=self.file or sys.stderr, leave=True)

    def _draw(self, current, total):
        out = self.file or sys.stderr
        done = int(self.width * current / total)
        bar = '=' * max(done - 1, 0) + ('>' if done else '') + '.' * (self.width - done)
        elapsed = time.time() - self._start
        out.write('\r [%s] %d/%d  %.1fs' % (bar, current, total, elapsed))
        if current >= total:
            out.write('\n')
        out.flush()

    def close(self):
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._total = None
        self._start = None


_default = Progress()


def progress(current, total):
    """xlua.progress(current, total): draw the shared bar at current of total (1-based)."""
    _default.update(current, total)
