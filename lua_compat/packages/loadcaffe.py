"""Python side of `require 'loadcaffe'` (lua/loadcaffe.lua): pytorch_lite.converters.caffe builds
the net; the Lua file prints loadcaffe's lines through the script's print."""


def bridge(runtime):
    def load(prototxt, binary, backend):
        from pytorch_lite.converters import caffe
        net, lines = caffe.build(prototxt, binary, backend)
        return net, runtime.lua.table_from(lines)
    return dict(load=load)
