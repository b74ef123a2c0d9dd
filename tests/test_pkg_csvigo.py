"""require 'csvigo': load in raw/tidy/query modes and save, with Python's csv as the reference."""
import csv
import io

import pytest

from lua_compat.runtime import Runtime

ROWS = [["name", "age", "city"], ["ann", "31", "Paris, FR"], ["bob", "27", 'say "hi"'], ["cy", "31", "Rome"]]


@pytest.fixture()
def data(tmp_path):
    p = tmp_path / "d.csv"
    with open(p, "w", newline="") as f:
        csv.writer(f).writerows(ROWS)
    return str(p)


def run(code, *args):
    out = io.StringIO()
    return Runtime(stdout=out).execute(code, *args), out.getvalue()


def test_raw_and_tidy(data):
    got, out = run("""require 'csvigo'
        local raw = csvigo.load{path = ..., mode = 'raw', verbose = false}
        local tidy = csvigo.load(..., ',', 'tidy')
        local noh = csvigo.load{path = ..., header = false, verbose = false}
        return #raw, raw[2][3], raw[3][3], raw[1][1], #tidy.name, tidy.age[3], tidy.city[1], noh.var_1[1], #noh.var_2""",
                   data)
    assert got == (4, "Paris, FR", 'say "hi"', "name", 3, "31", "Paris, FR", "name", 4)
    assert out.startswith("<csv>\tparsing file: " + data)


def test_query(data):
    got, _ = run("""require 'csvigo'
        local q = csvigo.load{path = ..., mode = 'query', verbose = false}
        local u = q('union', {age = 31})
        local i = q('inter', {age = '31', city = {'Rome'}})
        local vars = q('vars')
        table.sort(vars)
        return #u.name, u.name[1], u.name[2], #i.name, i.name[1], table.concat(vars, ','), #q('all').city""", data)
    assert got == (2, "ann", "cy", 1, "cy", "age,city,name", 3)


def test_save(tmp_path):
    raw, tidy = str(tmp_path / "raw.csv"), str(tmp_path / "tidy.csv")
    run("""require 'csvigo'
        local raw, tidy = ...
        csvigo.save{path = raw, data = {{'a', 'b'}, {1, 'x,y'}, {2.5, 'q"q'}}, verbose = false}
        csvigo.save{path = tidy, data = {col = {1, 2}}, verbose = false}""", raw, tidy)
    with open(raw, newline="") as f:
        assert list(csv.reader(f)) == [["a", "b"], ["1", "x,y"], ["2.5", 'q"q']]
    assert open(raw).read() == 'a,b\n1,"x,y"\n2.5,"q""q"\n'
    assert open(tidy).read() == "col\n1\n2\n"


def test_file_class(data, tmp_path):
    out = str(tmp_path / "f.csv")
    got, _ = run("""require 'csvigo'
        local src, out = ...
        local f = csvigo.File(src, 'r')
        local header, first = f:read(), f:read()
        local rest = f:readall()
        f:close()
        local w = csvigo.File(out, 'w', ';')
        w:write({'a;b', 'q"q', 3})
        w:close()
        return header[2], first[3], #rest, rest[1][3], rest[2][1]""", data, out)
    assert got == ("age", "Paris, FR", 2, 'say "hi"', "cy")
    with open(out, newline="") as f:
        assert list(csv.reader(f, delimiter=";")) == [["a;b", 'q"q', "3"]]
