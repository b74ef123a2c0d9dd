"""require 'cjson' (lua-cjson's API) with Python's json as the independent reference."""
import json

import pytest

from lua_compat.runtime import Runtime, LuaScriptError


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_encode_matches_json(rt):
    got = rt.execute("""local cjson = require 'cjson'
        return cjson.encode({1, 2.5, 'a"b', true, false}), cjson.encode({x = {y = {1, 2}}}),
               cjson.encode({1, 2, nil, 4}), cjson.encode({}), cjson.encode('tab\\tslash/'),
               cjson.encode(0.1), cjson.encode(1/3), cjson.encode(1e20), cjson.encode({[1] = 'a', [2] = 'b', k = 1})""")
    assert json.loads(got[0]) == [1, 2.5, 'a"b', True, False]
    assert json.loads(got[1]) == {"x": {"y": [1, 2]}}
    assert got[2] == "[1,2,null,4]" and json.loads(got[2]) == [1, 2, None, 4]
    assert got[3] == "{}"
    assert got[4] == '"tab\\tslash\\/"' and json.loads(got[4]) == "tab\tslash/"   # lua-cjson escapes '/'
    assert got[5:8] == ("0.1", "%.14g" % (1 / 3), "1e+20")
    assert json.loads(got[8]) == {"1": "a", "2": "b", "k": 1}


def test_sparse_arrays(rt):
    got = rt.execute("""local cjson = require('cjson').new()
        local ok, err = pcall(cjson.encode, {[1] = 1, [20] = 2})
        local dense = cjson.encode({[1] = 1, [3] = 3})               -- max 3 <= safe 10: an array
        local a, b, c = cjson.encode_sparse_array(true)
        local conv = cjson.encode({[1] = 1, [20] = 2})
        local a2, b2, c2 = cjson.encode_sparse_array(false, 1, 1)
        local ok2 = pcall(cjson.encode, {[1] = 1, [3] = 3})           -- 3 > 1 * 2 items: too sparse now
        return ok, err, dense, a, b, c, conv, a2, b2, c2, ok2""")
    assert got[:6] == (False, "Cannot serialise table: excessively sparse array", "[1,null,3]", True, 2, 10)
    assert json.loads(got[6]) == {"1": 1, "20": 2}
    assert got[7:] == (False, 1, 1, False)


def test_decode(rt):
    doc = {"a": [1, 2, None, {"b": "x/y"}], "n": 1500.25, "s": "\u00e9t\u00e9", "t": True, "e": {}}
    got = rt.execute("""local cjson = require 'cjson'
        local t = cjson.decode(...)
        return t.a[1], t.a[2], t.a[3] == cjson.null, t.a[4].b, t.n, t.s, t.t, next(t.e), #t.a,
               type(cjson.null), cjson.encode(cjson.decode('[null]'))""", json.dumps(doc))
    assert got == (1, 2, True, "x/y", 1500.25, "\u00e9t\u00e9", True, None, 4, "userdata", "[null]")
    with pytest.raises(LuaScriptError, match="invalid token at character 4"):
        rt.execute("return require('cjson').decode('[1,')")
    assert rt.execute("return require('cjson.safe').decode('[1,')")[0] is None


def test_errors(rt):
    for code, msg in (("{[{}] = 1}", "table key must be a number or string"),
                      ("0/0", "must not be NaN or Inf"), ("print", "type not supported")):
        ok, err = rt.execute("return pcall(require('cjson').encode, %s)" % code)
        assert ok is False and msg in err
