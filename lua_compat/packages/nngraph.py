"""Python side of nngraph's graph tools in Lua (lua/nngraph.lua): nngraph.simple_print,
nngraph.display and nngraph.setDebug over pytorch_lite.nngraph."""
import itertools
import os

from pytorch_lite.image.display import display_dir
from pytorch_lite.nngraph import gmodule, graphviz

_shown = itertools.count(1)


def _display_prefix():
    return os.path.join(display_dir(), "nngraph-%d-%d" % (os.getpid(), next(_shown)))


def _simple_dot(g, title=None, fname=None):
    """simple_print.dot: fname.dot and fname.svg of the simplified graph (no file name: into the
    display folder, as Torch7 showed it in a window); returns the picture's path."""
    prefix = fname or _display_prefix()
    graphviz.write_dot(graphviz.simple_todot(g, title), prefix)
    return prefix + ".svg"


def _display(g):
    """nngraph.display(gmodule): the forward graph drawn into the display folder (Torch7 opened
    it in a browser); returns the picture's path."""
    prefix = _display_prefix()
    return graphviz.dot(g.fg, prefix, prefix)[-1]


def bridge(runtime):
    return dict(simple_todot=graphviz.simple_todot, simple_dot=_simple_dot, display=_display,
                set_debug=gmodule.set_debug)
