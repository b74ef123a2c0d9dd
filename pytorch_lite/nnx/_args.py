"""Constructor arguments as nnx takes them (xlua.unpack_class): positionally, or as one table
(a dict from Lua) of named arguments, or as Python keywords."""
from ..errors import TorchValueError


def options(name, args, kw, names, defaults=None, required=()):
    """{argument name: value} from (args, kw) given the argument names in order."""
    if len(args) == 1 and isinstance(args[0], dict) and not kw:
        given = dict(args[0])
    else:
        if len(args) > len(names):
            raise TorchValueError("%s: at most %d arguments (%s), got %d"
                                  % (name, len(names), ", ".join(names), len(args)))
        given = dict(zip(names, args))
        given.update(kw)
    unknown = set(given) - set(names)
    if unknown:
        raise TorchValueError("%s: unknown argument(s) %s (expected %s)"
                              % (name, ", ".join(sorted(map(str, unknown))), ", ".join(names)))
    out = dict(defaults or {})
    out.update({k: v for k, v in given.items() if v is not None})
    for k in names:
        out.setdefault(k, None)
    missing = [k for k in required if out.get(k) is None]
    if missing:
        raise TorchValueError("%s: missing argument(s) %s" % (name, ", ".join(missing)))
    return out
