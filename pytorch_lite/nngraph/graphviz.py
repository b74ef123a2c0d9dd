"""Graphviz export: ``todot(graph, title)`` (dot text, as graph's Graph:todot writes it),
``dot(graph, title, fname)`` (writes fname.dot, and fname.svg when the ``dot`` program exists),
``layout(graph, algorithm)`` (graph.graphvizLayout: node positions in the unit square) and
``render(graph, algorithm, path)`` (graph.graphvizFile: a picture in the format of path's
extension).  Layout and rendering are Graphviz's own ``dot`` program (Debian: graphviz)."""
import os
import shutil
import subprocess

from ..errors import TorchRuntimeError, TorchValueError


def dot_escape(s):
    """graph._dotEscape: a dot id stays as it is when it is all letters; anything else is quoted,
    newlines and quotes escaped."""
    s = str(s)
    if all("a" <= c <= "z" or "A" <= c <= "Z" for c in s):
        return s
    return '"' + s.replace("\n", "\\n").replace('"', '\\"') + '"'


def _lua_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return "%d" % v
    return str(v)


def todot(g, title=None):
    """Graph:todot's text, character for character: nodes n<id> with their name and label (and a
    node's graphNodeAttributes, sorted by name), then the edges."""
    out = ["digraph G {\n"]
    if title:
        out.append('labelloc="t";\nlabel="%s";\n' % title)
    out.append("node [shape = oval]; ")
    for node in g.nodes:
        head = node.graphNodeName() if hasattr(node, "graphNodeName") else "Node%d" % node.id
        attrs = ""
        if hasattr(node, "graphNodeAttributes"):
            a = node.graphNodeAttributes() or {}
            attrs = " " + " ".join("%s=%s" % (k, dot_escape(_lua_str(a[k]))) for k in sorted(a, key=str))
        out.append("\nn%d[label=%s%s];" % (node.id, dot_escape(head + "\n" + node.label()), attrs))
    out.append("\n")
    for e in g.edges:
        out.append("n%d -> n%d;\n" % (e.from_.id, e.to.id))
    out.append("}")
    return "".join(out)


def dot(g, title=None, fname="graph"):
    """graph.dot: fname.svg and fname.dot, both laid out by Graphviz's dot (as Torch7 writes
    them); without Graphviz only fname.dot, the graph's own dot text.  Returns the paths."""
    if shutil.which("dot") is None:
        with open(fname + ".dot", "w") as f:
            f.write(todot(g, title))
        return [fname + ".dot"]
    return [render(g, "dot", fname + ".dot", title), render(g, "dot", fname + ".svg", title)]


def _graphviz():
    exe = shutil.which("dot")
    if exe is None:
        raise TorchRuntimeError("graph: laying out a graph needs Graphviz's dot program "
                                "(Debian/Ubuntu: apt-get install graphviz)")
    return exe


def _run(args, text):
    r = subprocess.run([_graphviz()] + args, input=text.encode(), capture_output=True)
    if r.returncode != 0:
        raise TorchRuntimeError("graphviz failed: %s" % r.stderr.decode(errors="replace").strip())
    return r.stdout


def layout(g, algorithm="dot"):
    """Each node's position from Graphviz's layout ``algorithm`` (dot, neato, ...), scaled to the
    unit square of the drawing's bounding box: an (n, 2) DoubleTensor, row i for the node of id i."""
    from ..tensor import DoubleTensor
    text = _run(["-K" + (algorithm or "dot"), "-Tplain"], todot(g)).decode(errors="replace")
    width = height = None
    pos = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] == "graph":
            width, height = float(parts[2]), float(parts[3])
        elif parts and parts[0] == "node" and parts[1].startswith("n"):
            pos[int(parts[1][1:])] = (float(parts[2]), float(parts[3]))
    out = DoubleTensor(len(g.nodes), 2).zero()
    for node in g.nodes:
        x, y = pos.get(node.id, (0.0, 0.0))
        out[node.id - 1][0] = x / width if width else 0.5
        out[node.id - 1][1] = y / height if height else 0.5
    return out


def render(g, algorithm, path, title=None):
    """g laid out by ``algorithm`` and drawn in the format of path's extension (svg, png, pdf,
    dot: the laid-out graph, ...)."""
    ext = os.path.splitext(path)[1][1:]
    if not ext.isalpha():
        raise TorchValueError("graph.graphvizFile: the file name %r needs an extension naming the format "
                              "(.svg, .png, .pdf, .dot)" % (path,))
    _run(["-K" + (algorithm or "dot"), "-T" + ext, "-o", path], todot(g, title))
    return path


def write_dot(text, prefix):
    """prefix.dot holding text, and prefix.svg drawn from it when Graphviz is installed."""
    with open(prefix + ".dot", "w") as f:
        f.write(text)
    if shutil.which("dot") is not None:
        _run(["-Tsvg", "-o", prefix + ".svg"], text)


def simple_todot(g, title=None):
    """nngraph.simple_print.todot: g without its Identity and module-less nodes (their edges
    joined across them), labels 'Node<id>\\n<label>'."""
    nodes = [[n.id, n] for n in g.nodes]
    edges = [[n.id, c.id] for n in g.nodes for c in n.children]

    def good(n):
        m = n.data.get("module") if isinstance(n.data, dict) else None
        return m is not None and getattr(m, "typename", None) != "nn.Identity"
    i = 0
    while i < len(nodes):
        if good(nodes[i][1]):
            i += 1
            continue
        gone = nodes.pop(i)[0]
        into = [e[0] for e in edges if e[1] == gone]
        outof = [e[1] for e in edges if e[0] == gone]
        edges = [e for e in edges if gone not in e] + [[f, t] for f in into for t in outof]
    # (nngraph numbers the kept nodes again, but names and labels keep each node's own id)
    out = ["digraph G {\n"]
    if title:
        out.append('labelloc="t";\nlabel="%s";\n' % title)
    out.append("node [shape = oval]; ")
    for nid, n in nodes:
        out.append('\nn%d[label="Node%d\\n%s"];' % (nid, nid, n.label()))
    out.append("\n")
    for f, t in edges:
        out.append("n%d -> n%d;\n" % (f, t))
    out.append("}")
    return "".join(out)
