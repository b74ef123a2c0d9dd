"""Classes a checkpoint may hold that pytorch_lite has no Python class for, but whose forward is
known: each becomes an equivalent module before converting.

* ``OneHot`` (char-rnn's ``util/OneHot.lua``): ``nn.OneHot(outputSize)`` (indices 0-based in
  Python, as for LookupTable).
* ``nn.DataParallelTable`` (cunn) and ``nn.GPU``: the module they wrap (their forward on one
  device is its forward).
* ``cudnn.ClippedReLU``: ``nn.HardTanh(0, ceiling)``.
"""


def _one_hot(obj):
    from ..nn import OneHot
    return OneHot(int(obj.fields["outputSize"]))


def _wrapped(obj):
    mods = obj.fields.get("modules") or []
    mods = list(mods.values()) if isinstance(mods, dict) else list(mods)
    return substitute(mods[0]) if mods else None


def _clipped_relu(obj):
    from ..nn import HardTanh
    return HardTanh(0, float(obj.fields.get("ceiling", 6)))


KNOWN = {"OneHot": _one_hot, "nn.DataParallelTable": _wrapped, "nn.GPU": _wrapped,
         "cudnn.ClippedReLU": _clipped_relu}


def _replace(obj):
    fields = getattr(obj, "fields", None)
    make = KNOWN.get(getattr(obj, "typename", None)) if isinstance(fields, dict) and not hasattr(obj, "forward") \
        else None
    return make(obj) if make else None


def substitute(model):
    """model with every known class replaced (containers and nngraph nodes updated in place)."""
    new = _replace(model)
    if new is not None:
        return new
    seen = set()

    def visit(m):
        if id(m) in seen:
            return
        seen.add(id(m))
        mods = m.__dict__.get("modules") if hasattr(m, "__dict__") else None
        if not isinstance(mods, list):
            return
        for i, child in enumerate(mods):
            rep = _replace(child)
            if rep is not None:
                mods[i] = rep
                for node in list(m.__dict__.get("forwardnodes") or []) + list(m.__dict__.get("backwardnodes") or []):
                    data = getattr(node, "data", None)
                    if isinstance(data, dict) and data.get("module") is child:
                        data["module"] = rep
                if m.__dict__.get("module") is child:
                    m.module = rep
            else:
                visit(child)
    visit(model)
    return model
