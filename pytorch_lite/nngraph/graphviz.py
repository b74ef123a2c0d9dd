"""Graphviz export: ``todot(graph, title)`` (dot text, as graph's Graph:todot writes it) and
``dot(graph, title, fname)`` (writes fname.dot, and fname.svg when the ``dot`` program exists)."""
import shutil
import subprocess


def _quote(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\\\\l", "\\l").replace("\\\\n", "\\n") + '"'


def todot(g, title=None):
    out = ["digraph G {\n"]
    if title:
        out.append('labelloc="t";\nlabel=%s;\n' % _quote(title))
    out.append("node [shape = oval]; ")
    names = {}
    for node in g.nodes:
        names[id(node)] = "n%d" % node.id
        head = node.graphNodeName() if hasattr(node, "graphNodeName") else "Node%d" % node.id
        attrs = {"label": head + "\\n" + node.label()}
        if hasattr(node, "graphNodeAttributes"):
            for k, v in node.graphNodeAttributes().items():
                attrs.setdefault(k, v)
        out.append("\n%s[%s];" % (names[id(node)], ", ".join("%s=%s" % (k, _quote(v)) for k, v in attrs.items())))
    out.append("\n")
    for e in g.edges:
        out.append("%s -> %s;\n" % (names[id(e.from_)], names[id(e.to)]))
    out.append("}")
    return "".join(out)


def dot(g, title=None, fname="graph"):
    """Write fname.dot (and fname.svg if Graphviz's ``dot`` is installed); returns the paths."""
    text = todot(g, title)
    paths = [fname + ".dot"]
    with open(paths[0], "w") as f:
        f.write(text)
    exe = shutil.which("dot")
    if exe:
        subprocess.run([exe, "-Tsvg", "-o", fname + ".svg", paths[0]], check=True)
        paths.append(fname + ".svg")
    return paths
