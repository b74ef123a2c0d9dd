"""Python side of `require 'cjson'` (lua/cjson.lua): decoding with Python's json.  Encoding is
done in the Lua file, since lua-cjson's rules (array detection, sparse arrays, key order) are
about Lua tables."""
import json

from pytorch_lite.errors import TorchValueError


class Null:
    """cjson.null: the one value JSON null decodes to (a userdata in Lua, as lua-cjson's)."""
    __slots__ = ()

    def __repr__(self):
        return "cjson.null"


NULL = Null()


def bridge(runtime):
    table = runtime.lua.table_from

    def to_lua(v):
        t = type(v)
        if t is dict:
            return table({k: to_lua(e) for k, e in v.items()})
        if t is list:
            return table([to_lua(e) for e in v])
        if v is None:
            return NULL
        return v

    def decode(text, max_depth=1000):
        if not isinstance(text, str):
            raise TorchValueError("bad argument #1 to 'decode' (string expected, got %s)" % type(text).__name__)
        try:
            v = json.loads(text)
        except json.JSONDecodeError as e:
            raise TorchValueError("Expected value but found invalid token at character %d (%s)"
                                  % (e.pos + 1, e.msg)) from None
        except RecursionError:
            raise TorchValueError("Found too many nested data structures") from None
        if max_depth is not None and _depth(v) > max_depth:
            raise TorchValueError("Found too many nested data structures (%d) at character 1" % (max_depth + 1))
        return to_lua(v)

    return dict(decode=decode, null=NULL)


def _depth(v):
    if isinstance(v, dict):
        return 1 + max((_depth(e) for e in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(e) for e in v), default=0)
    return 0
