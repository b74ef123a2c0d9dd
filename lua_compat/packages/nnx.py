"""Python side of ``require 'nnx'`` (lua_compat/lua/nnx.lua): pytorch_lite.nnx's classes made
known to the bridge when the package is required (they live in nn, as nnx puts them)."""


def bridge(runtime):
    conv = runtime.conv

    def register():
        from pytorch_lite import nnx
        from .. import objects
        objects.torch_classes().update(nnx.CLASSES)
        return conv.to_lua([n for n in nnx.CLASSES])

    return {"register": register}
