"""Python side of `require 'cudnn'` (lua/cudnn.lua): cudnn's functional calls
(pytorch_lite.nn.cudnn.functional) and cudnn.convert's module swap; cudnn's classes are
pytorch_lite.nn.cudnn's, found by name."""
from pytorch_lite import nn
from pytorch_lite.nn.cudnn import functional

# cudnn.convert's list: the classes it swaps between nn and cudnn (cudnn's convert.lua names these)
CONVERTIBLE = ("BatchNormalization", "SpatialBatchNormalization", "SpatialConvolution", "SpatialCrossMapLRN",
               "SpatialFullConvolution", "SpatialMaxPooling", "SpatialAveragePooling", "ReLU", "Tanh", "Sigmoid",
               "SoftMax", "LogSoftMax", "VolumetricBatchNormalization", "VolumetricConvolution",
               "VolumetricFullConvolution", "VolumetricMaxPooling", "VolumetricAveragePooling")


def _swap(module, cls):
    """module's fields under class cls (cudnn.convert copies the table and sets its metatable)."""
    new = cls.__new__(cls)
    new.__dict__.update(module.__dict__)
    return new


def convert_one(module, to_cudnn):
    """The module cudnn.convert puts in place of module (module itself when its class is not on
    cudnn's list)."""
    name = getattr(module, "typename", None)
    if type(module).__module__.startswith("lua_compat") or not isinstance(name, str):
        return module   # a class defined in Lua (or a subclass of one) stays what it is
    if to_cudnn:
        short = "SpatialConvolution" if name == "nn.SpatialConvolutionMM" else name[3:]
        if name.startswith("nn.") and short in CONVERTIBLE:
            cls = nn.CLASSES.get("cudnn." + short)
            if cls is not None and cls is not type(module):
                new = _swap(module, cls)
                if short == "SpatialConvolution":
                    new.__dict__.pop("finput", None)
                    new.__dict__.pop("fgradInput", None)
                return new
        return module
    if name.startswith("cudnn.") and name[6:] in CONVERTIBLE:
        cls = nn.CLASSES.get("nn." + name[6:])
        if name == "cudnn.SpatialConvolution" and int(module.__dict__.get("groups") or 1) != 1:
            return module   # nn's convolution has no groups: a grouped one stays cudnn's
        if cls is not None:
            new = _swap(module, cls)
            new.__dict__.pop("groups", None)
            return new
    return module


def bridge(runtime):
    fns = {name: getattr(functional, name) for name in dir(functional)
           if name.endswith(("_updateOutput", "_updateGradInput", "_accGradParameters"))}
    return dict(classes=runtime.lua.table_from(sorted(n[6:] for n in nn.cudnn.CLASSES)),
                functional=runtime.lua.table_from(fns), convert_one=convert_one)
