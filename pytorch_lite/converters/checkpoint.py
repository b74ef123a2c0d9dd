"""Checkpoints as users have them: a model alone, or tables holding models (char-rnn saves
``{protos = {rnn = gModule, criterion = ...}, opt = ..., vocab = ...}``).

Paths are dotted keys into the tables, as Lua would index them: ``protos.rnn``; list entries by
their 1-based Lua index (``models.2``).  Criteria are not models."""
from ..errors import TorchValueError


def _typename(obj):
    return getattr(obj, "typename", None)


def is_model(obj):
    """A module (live, or a TorchObject of a class pytorch_lite has no Python class for)."""
    name = _typename(obj)
    if not isinstance(name, str) or name.endswith("Criterion") or name.startswith("torch."):
        return False
    if hasattr(obj, "forward"):
        return True
    fields = getattr(obj, "fields", None)
    if isinstance(fields, dict):
        return name.startswith(("nn.", "cudnn.", "cunn.")) or ("output" in fields and "gradInput" in fields)
    return False


def _entries(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            k = getattr(k, "value", k)
            if isinstance(k, (str, int)) and not isinstance(k, bool):
                yield str(k), v
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj, 1):
            yield str(i), v


def find_models(obj, prefix="", seen=None):
    """[(dotted path, model)] for every model in obj's tables (not inside models), in key order."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if is_model(obj):
        return [(prefix, obj)]
    out = []
    items = list(_entries(obj))
    items.sort(key=lambda kv: (not kv[0].isdigit(), int(kv[0]) if kv[0].isdigit() else 0, kv[0]))
    for k, v in items:
        out += find_models(v, prefix + "." + k if prefix else k, seen)
    return out


def listing(models):
    return "\n".join("  %s  %s" % (p or "(the root)", _typename(m)) for p, m in models)


def pick(obj, key=None, source="the file"):
    """The model at ``key`` (a dotted path), or the only model in ``obj``."""
    if key:
        cur = obj
        for seg in key.split("."):
            nxt = None
            if isinstance(cur, dict):
                for k, v in cur.items():
                    k = getattr(k, "value", k)
                    if str(k) == seg and not isinstance(k, bool):
                        nxt = v
                        break
            elif isinstance(cur, (list, tuple)) and seg.isdigit() and 1 <= int(seg) <= len(cur):
                nxt = cur[int(seg) - 1]
            if nxt is None:
                models = find_models(obj)
                raise TorchValueError("%s has no entry %r (--key %s)%s" % (
                    source, seg, key, "; its models:\n" + listing(models) if models else ""))
            cur = nxt
        if not is_model(cur):
            raise TorchValueError("--key %s in %s holds a %s, not a model" % (key, source, _describe(cur)))
        return cur
    if is_model(obj):
        return obj
    models = find_models(obj)
    if len(models) == 1:
        return models[0][1]
    if not models:
        raise TorchValueError("%s holds a %s with no model in it" % (source, _describe(obj)))
    raise TorchValueError("%s holds %d models: choose one with --key PATH:\n%s"
                          % (source, len(models), listing(models)))


def _describe(obj):
    if isinstance(obj, dict):
        return "table of %d entries" % len(obj)
    if isinstance(obj, (list, tuple)):
        return "list of %d entries" % len(obj)
    return _typename(obj) or type(obj).__name__
