"""Python side of `require 'csvigo'` (lua/csvigo.lua): reading and writing rows with Python's csv
('"' quotes, doubled inside a field, a field quoted only when it needs it; '\\n' line ends)."""
import csv
import os

from pytorch_lite.errors import TorchValueError


def bridge(runtime):
    def read_rows(path, separator=","):
        if not isinstance(separator, str) or len(separator) != 1:
            raise TorchValueError("csvigo: the separator must be one character, got %r" % (separator,))
        try:
            with open(os.path.expanduser(path), newline="") as f:
                rows = [row for row in csv.reader(f, delimiter=separator, quotechar='"', doublequote=True)]
        except OSError as e:
            raise TorchValueError("csvigo: cannot open %s: %s" % (path, e.strerror)) from None
        return runtime.lua.table_from([runtime.lua.table_from(r) for r in rows])

    def write_rows(path, rows, separator=","):
        if not isinstance(separator, str) or len(separator) != 1:
            raise TorchValueError("csvigo: the separator must be one character, got %r" % (separator,))
        with open(os.path.expanduser(path), "w", newline="") as f:
            w = csv.writer(f, delimiter=separator, quotechar='"', lineterminator="\n")
            for i in range(1, len(rows) + 1):
                row = rows[i]
                w.writerow([row[j] for j in range(1, len(row) + 1)])
        return True

    return dict(read_rows=read_rows, write_rows=write_rows)
