"""Python side of ``require 'unsup'`` (lua_compat/lua/unsup.lua): pytorch_lite.unsup's classes
made known to the bridge when the package is required (not before: nn.Diag is unsup's, as in
Torch7), and its functions with Lua's conventions (tables in, several results out, a Lua
dataset 1-based)."""
from ..bridge import to_py

FUNCTIONS = ("kmeans", "pca", "pcacov", "zca_whiten", "zca_colour", "zca_layer", "inv_zca_layer",
             "pca_whiten", "pca_colour", "pca_layer", "inv_pca_layer")


def bridge(runtime):
    conv = runtime.conv

    def register():
        from pytorch_lite import unsup
        from .. import objects
        classes = objects.torch_classes()
        classes.update(unsup.CLASSES)
        classes.update(unsup.OTHER_CLASSES)
        names = [n.split(".", 1)[1] for n in list(unsup.CLASSES) + list(unsup.OTHER_CLASSES)
                 if n.startswith("unsup.")]
        return conv.to_lua(names)

    def call(name):
        def fn(*args):
            from pytorch_lite import unsup
            return conv.result(getattr(unsup, name)(*[to_py(a) for a in args]))
        fn.__name__ = name
        return fn

    def shrinkage(x, lambda_):
        from pytorch_lite import unsup
        unsup.shrinkage(x, lambda_)

    def dataset(t):
        from ..objects import LuaDataset
        return LuaDataset(t)

    def hessian_enable():
        from pytorch_lite import unsup
        return unsup.enable_hessian()

    def hessian_parameters(module):
        """The diagonal-Hessian tensors matching module.parameters() (each module's weight ->
        diagHessianWeight, bias -> diagHessianBias), flattened into one tensor as Torch7's
        getParameters returns third once nn.hessian is enabled; None when there are none."""
        from pytorch_lite import nn
        owner = {}
        seen = set()

        def walk(v):
            if id(v) in seen:
                return
            seen.add(id(v))
            if isinstance(v, (nn.Module, nn.Criterion)):
                d = v.__dict__
                for p, h in (("weight", "diagHessianWeight"), ("bias", "diagHessianBias")):
                    if d.get(p) is not None and d.get(h) is not None:
                        owner[id(d[p])] = d[h]
                for f in d.values():
                    walk(f)
            elif isinstance(v, (list, tuple)):
                for e in v:
                    walk(e)
            elif isinstance(v, dict):
                for e in v.values():
                    walk(e)
        walk(module)
        hs = [owner[id(p)] for p in module.parameters()[0] if id(p) in owner]
        return nn.Module.flatten(hs) if hs else None

    out = {name: call(name) for name in FUNCTIONS}
    out.update(register=register, shrinkage=shrinkage, dataset=dataset, hessian_enable=hessian_enable,
               hessian_parameters=hessian_parameters)
    return out
