"""Python side of ``require 'graph'`` (lua/graph.lua): Graphviz layout and pictures of a
graph.Graph (pytorch_lite.nngraph.graphviz)."""
import itertools
import os

from pytorch_lite.image.display import display_dir
from pytorch_lite.nngraph import graphviz

_shown = itertools.count(1)


def _dot(g, title=None, fname=None):
    """graph.dot: fname.svg and fname.dot; with no file name (Torch7 showed a Qt window) both go
    to the display folder image.display uses.  Returns the picture's path."""
    if fname is None:
        fname = os.path.join(display_dir(), "graph-%d-%d" % (os.getpid(), next(_shown)))
    return graphviz.dot(g, title, fname)[-1]


def bridge(runtime):
    return dict(dot=_dot, layout=graphviz.layout,
                render=lambda g, algorithm, path: graphviz.render(g, algorithm, path) and None,
                todot=graphviz.todot, escape=graphviz.dot_escape)
