"""Python side of `require 'loadcaffe'` (lua/loadcaffe.lua): pytorch_lite.converters.caffe builds
the net; the Lua file writes the lines loadcaffe prints to the script's stdout."""


def bridge(runtime):
    def load(prototxt, binary, backend):
        from pytorch_lite.converters import caffe
        net, lines = caffe.build(prototxt, binary, backend)
        return net, runtime.lua.table_from(lines)
    return dict(load=load)
