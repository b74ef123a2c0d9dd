"""require 'graph': torch/graph's Graph/Node/Edge from Lua (the classes nngraph's gModules are
made of), its algorithms in Torch7's order, and Graphviz output (graph.dot, graphvizFile,
graphvizLayout) through Graphviz's own dot program."""
import io
import os
import re
import shutil

import pytest

from lua_compat.runtime import Runtime

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's dot program is not installed (./dev.sh setup installs it)")


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def test_topsort_roots_leaves_and_node_index(rt):
    # two outputs share an ancestor: graph's topsort hangs both reversed roots from one dummy
    # root, so the shared node is listed once (a, b, c), not once per root
    got = rt.execute("""
        require 'graph'
        local a, b, c, d = graph.Node('a'), graph.Node('b'), graph.Node('c'), graph.Node('d')
        local g = graph.Graph()
        g:add(graph.Edge(a, b))
        g:add(graph.Edge(a, c))
        local sorted = g:topsort()
        local names = {}
        for i, n in ipairs(sorted) do names[i] = n.data end
        local roots, leaves = g:roots(), g:leaves()
        return table.concat(names, ','), #roots, roots[1].data, #leaves, leaves[1].data, leaves[2].data,
               g.nodes[c], g.nodes[d], g.edges[g.edges[2]], b.id, g:hasCycle()""")
    assert got == ("a,b,c", 1, "a", 2, "b", "c", 3, None, 2, 2, False)


def test_topsort_of_a_diamond_and_cycles(rt):
    got = rt.execute("""
        require 'graph'
        local n = {}
        for i = 1, 4 do n[i] = graph.Node(i) end
        local g = graph.Graph()
        for _, e in ipairs({{1, 2}, {1, 3}, {2, 3}, {2, 4}, {3, 4}}) do g:add(graph.Edge(n[e[1]], n[e[2]])) end
        local order = {}
        for i, node in ipairs(g:topsort()) do order[i] = node.data end
        local dfs, bfs = {}, {}
        n[1]:dfs(function(node) dfs[#dfs + 1] = node.data end)
        n[1]:bfs(function(node) bfs[#bfs + 1] = node.data end)
        local acyclic = g:hasCycle()
        g:add(graph.Edge(n[4], n[2]))
        local ok, err = pcall(g.topsort, g)
        return table.concat(order, ','), table.concat(dfs, ','), table.concat(bfs, ','), acyclic,
               g:hasCycle(), n[2]:hasCycle(), ok, tostring(err):match('cycles') ~= nil""")
    assert got == ("1,2,3,4", "4,3,2,1", "1,2,3,4", False, True, True, False, True)


def test_dot_escape_and_todot(rt):
    got = rt.execute("""
        require 'graph'
        local g = graph.Graph()
        g:add(graph.Edge(graph.Node('x'), graph.Node('y')))
        return graph._dotEscape('red'), graph._dotEscape('My label'), graph._dotEscape('Non[an'),
               graph._dotEscape('My\\nnewline'), graph._dotEscape('Say "hi"'), g:todot('T')""")
    assert got[:5] == ("red", '"My label"', '"Non[an"', '"My\\nnewline"', '"Say \\"hi\\""')
    # Graph:todot's text, built by hand from graph's layout rules
    assert got[5] == ('digraph G {\nlabelloc="t";\nlabel="T";\nnode [shape = oval]; '
                      '\nn1[label="Node1\\nx"];\nn2[label="Node2\\ny"];\nn1 -> n2;\n}')


@needs_dot
def test_layout_files_and_dot_display(rt, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTORCH_LITE_DISPLAY_DIR", str(tmp_path / "shown"))
    got = rt.execute("""
        require 'graph'
        local dir = ...
        local g = graph.Graph()
        local root, n1, n2 = graph.Node(10), graph.Node(1), graph.Node(2)
        g:add(graph.Edge(root, n1))
        g:add(graph.Edge(n1, n2))
        local p = graph.graphvizLayout(g, 'dot')
        graph.graphvizFile(g, 'dot', dir .. '/g.png')
        graph.dot(g, 'chain', dir .. '/chain')
        graph.dot(g, 'shown')
        local bad = pcall(graph.graphvizFile, g, 'dot', dir .. '/noext')
        return p:size(1), p:size(2), p[{{}, 1}]:std(), p[1][2] > p[2][2] and p[2][2] > p[3][2],
               p:min() >= 0 and p:max() <= 1, bad""", str(tmp_path))
    assert got[:2] == (3, 2) and got[2] < 1e-6 and got[3] is True and got[4] is True and got[5] is False
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "chain.svg").read_text().lstrip().startswith("<?xml")
    assert "digraph G" in (tmp_path / "chain.dot").read_text()
    shown = os.listdir(tmp_path / "shown")
    assert any(f.endswith(".svg") for f in shown)
    assert "graph.dot: " in rt._stdout.getvalue()


@needs_dot
def test_nngraph_sets_the_graph_global(rt, tmp_path):
    got = rt.execute("""
        require 'nngraph'
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Tanh()(nn.Linear(2, 3)(x))})
        graph.dot(g.fg, 'MLP', ...)
        return torch.type(g.fg), g.fg.nodes[g.fg.nodes[2]]""", str(tmp_path / "mlp"))
    assert got == ("graph.Graph", 2)
    assert "nn.Linear" in (tmp_path / "mlp.dot").read_text()
    assert (tmp_path / "mlp.svg").exists()


def test_nngraph_simple_print_drops_identity_nodes(rt):
    text = rt.execute("""
        require 'nngraph'
        local in1 = nn.Identity()()
        local m = nn.Linear(10, 10)(in1)
        local out = nn.CAddTable()({nn.Tanh()(m), nn.Sigmoid()(m)})
        local mod = nn.gModule({in1}, {out})
        return nngraph.simple_print.todot(mod.fg, 'simple')""")
    lines = text.split("\n")
    # kept: the Linear, the two pointwise nodes and the CAddTable, named by their own ids; the
    # Identity input node and the graph's module-less ends are gone, their edges joined across
    assert lines[:4] == ["digraph G {", 'labelloc="t";', 'label="simple";', "node [shape = oval]; "]
    labels = [l for l in lines if "[label=" in l]
    assert len(labels) == 4 and not any("Identity" in l for l in labels)
    assert all(l.startswith("n%s[label=\"Node%s\\n" % (l[1:l.index("[")], l[1:l.index("[")])) for l in labels)
    edges = [l for l in lines if re.fullmatch(r"n\d+ -> n\d+;", l)]
    assert len(edges) == 4


@needs_dot
def test_nngraph_set_debug_saves_the_failing_node(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rt = Runtime(stdout=io.StringIO())
    got = rt.execute("""
        require 'nngraph'
        local x = nn.Identity()()
        local bad = nn.Linear(10, 3)(x)
        local mod = nn.gModule({x}, {nn.Tanh()(bad)})
        nngraph.setDebug(true)
        local ok = pcall(mod.forward, mod, torch.randn(5))
        nngraph.setDebug(false)
        local ok2 = pcall(mod.forward, mod, torch.randn(5))
        local badid
        for _, n in ipairs(mod.fg.nodes) do if n.data.module == bad.data.module then badid = n.id end end
        return ok, ok2, badid""")
    assert got[0] is False and got[1] is False
    assert "saving nngraph_1in_1out.svg" in capsys.readouterr().err
    dot = (tmp_path / "nngraph_1in_1out.dot").read_text()
    assert dot.rstrip().endswith("n%d[style=filled, fillcolor=red];\n}" % got[2])
    assert (tmp_path / "nngraph_1in_1out.svg").exists()
    assert len(list(tmp_path.glob("*.svg"))) == 1   # debug off: nothing more saved
