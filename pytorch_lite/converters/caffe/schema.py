"""The part of Caffe's message schema (caffe.proto) a loader needs, built at import time with
google.protobuf's descriptor classes: NetParameter and the layer messages in both of Caffe's
layouts, the old V1 ``layers`` (type an enum) and the new ``layer`` (type a string).

Only the fields read are declared, each under its field number on the wire; every other field
of a real file is kept by protobuf as an unknown field (binary) or skipped (text), so any
caffemodel and prototxt reads.  Two choices differ from caffe.proto on purpose:

* a blob's ``data`` / ``double_data`` (packed repeated float / double) are declared ``bytes``:
  a packed field is one length-delimited run of little-endian values, which numpy reads in
  place, where a repeated float field would make one Python float per weight;
* the convolution's ``pad``, ``kernel_size``, ``stride`` and ``dilation`` are repeated (as in
  current Caffe, one value per spatial dimension or one for all); an older file writing them
  once as an optional field reads the same.
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_T = descriptor_pb2.FieldDescriptorProto
_TYPES = {"int32": _T.TYPE_INT32, "int64": _T.TYPE_INT64, "uint32": _T.TYPE_UINT32, "float": _T.TYPE_FLOAT,
          "bool": _T.TYPE_BOOL, "string": _T.TYPE_STRING, "bytes": _T.TYPE_BYTES}

# message -> its enums {name: [(value name, number)]}
ENUMS = {
    "PoolingParameter": {"PoolMethod": [("MAX", 0), ("AVE", 1), ("STOCHASTIC", 2)],
                         "RoundMode": [("CEIL", 0), ("FLOOR", 1)]},
    "LRNParameter": {"NormRegion": [("ACROSS_CHANNELS", 0), ("WITHIN_CHANNEL", 1)]},
    "V1LayerParameter": {"LayerType": [
        ("NONE", 0), ("ABSVAL", 35), ("ACCURACY", 1), ("ARGMAX", 30), ("BNLL", 2), ("CONCAT", 3),
        ("CONTRASTIVE_LOSS", 37), ("CONVOLUTION", 4), ("DATA", 5), ("DECONVOLUTION", 39), ("DROPOUT", 6),
        ("DUMMY_DATA", 32), ("EUCLIDEAN_LOSS", 7), ("ELTWISE", 25), ("EXP", 38), ("FLATTEN", 8),
        ("HDF5_DATA", 9), ("HDF5_OUTPUT", 10), ("HINGE_LOSS", 28), ("IM2COL", 11), ("IMAGE_DATA", 12),
        ("INFOGAIN_LOSS", 13), ("INNER_PRODUCT", 14), ("LRN", 15), ("MEMORY_DATA", 29),
        ("MULTINOMIAL_LOGISTIC_LOSS", 16), ("MVN", 34), ("POOLING", 17), ("POWER", 26), ("RELU", 18),
        ("SIGMOID", 19), ("SIGMOID_CROSS_ENTROPY_LOSS", 27), ("SILENCE", 36), ("SOFTMAX", 20),
        ("SOFTMAX_LOSS", 21), ("SPLIT", 22), ("SLICE", 33), ("TANH", 23), ("WINDOW_DATA", 24),
        ("THRESHOLD", 31)]},
}

# message -> [(field, number, type or message or enum, label, default)]; label 'opt' / 'rep' /
# 'packed' (a packed repeated scalar)
MESSAGES = {
    "BlobShape": [("dim", 1, "int64", "packed", None)],
    "BlobProto": [
        ("num", 1, "int64", "opt", None), ("channels", 2, "int64", "opt", None),
        ("height", 3, "int64", "opt", None), ("width", 4, "int64", "opt", None),
        ("data", 5, "bytes", "opt", None), ("shape", 7, "BlobShape", "opt", None),
        ("double_data", 8, "bytes", "opt", None)],
    "ConvolutionParameter": [
        ("num_output", 1, "uint32", "opt", None), ("bias_term", 2, "bool", "opt", "true"),
        ("pad", 3, "uint32", "rep", None), ("kernel_size", 4, "uint32", "rep", None),
        ("group", 5, "uint32", "opt", "1"), ("stride", 6, "uint32", "rep", None),
        ("pad_h", 9, "uint32", "opt", "0"), ("pad_w", 10, "uint32", "opt", "0"),
        ("kernel_h", 11, "uint32", "opt", None), ("kernel_w", 12, "uint32", "opt", None),
        ("stride_h", 13, "uint32", "opt", None), ("stride_w", 14, "uint32", "opt", None),
        ("axis", 16, "int32", "opt", "1"), ("dilation", 18, "uint32", "rep", None)],
    "PoolingParameter": [
        ("pool", 1, ".PoolMethod", "opt", "MAX"), ("kernel_size", 2, "uint32", "opt", None),
        ("stride", 3, "uint32", "opt", "1"), ("pad", 4, "uint32", "opt", "0"),
        ("kernel_h", 5, "uint32", "opt", None), ("kernel_w", 6, "uint32", "opt", None),
        ("stride_h", 7, "uint32", "opt", None), ("stride_w", 8, "uint32", "opt", None),
        ("pad_h", 9, "uint32", "opt", "0"), ("pad_w", 10, "uint32", "opt", "0"),
        ("global_pooling", 12, "bool", "opt", "false"), ("round_mode", 13, ".RoundMode", "opt", "CEIL")],
    "InnerProductParameter": [
        ("num_output", 1, "uint32", "opt", None), ("bias_term", 2, "bool", "opt", "true"),
        ("axis", 5, "int32", "opt", "1"), ("transpose", 6, "bool", "opt", "false")],
    "LRNParameter": [
        ("local_size", 1, "uint32", "opt", "5"), ("alpha", 2, "float", "opt", "1"),
        ("beta", 3, "float", "opt", "0.75"), ("norm_region", 4, ".NormRegion", "opt", "ACROSS_CHANNELS"),
        ("k", 5, "float", "opt", "1")],
    "DropoutParameter": [("dropout_ratio", 1, "float", "opt", "0.5")],
    "ReLUParameter": [("negative_slope", 1, "float", "opt", "0")],
    "SoftmaxParameter": [("axis", 2, "int32", "opt", "1")],
    # the current layout: `layer { name: "conv1" type: "Convolution" ... }`
    "LayerParameter": [
        ("name", 1, "string", "opt", None), ("type", 2, "string", "opt", None),
        ("bottom", 3, "string", "rep", None), ("top", 4, "string", "rep", None),
        ("blobs", 7, "BlobProto", "rep", None),
        ("convolution_param", 106, "ConvolutionParameter", "opt", None),
        ("dropout_param", 108, "DropoutParameter", "opt", None),
        ("inner_product_param", 117, "InnerProductParameter", "opt", None),
        ("lrn_param", 118, "LRNParameter", "opt", None),
        ("pooling_param", 121, "PoolingParameter", "opt", None),
        ("relu_param", 123, "ReLUParameter", "opt", None),
        ("softmax_param", 125, "SoftmaxParameter", "opt", None)],
    # the V0 layout nested in V1's `layer` field: only recognised, to be refused by name
    "V0LayerParameter": [("name", 1, "string", "opt", None), ("type", 2, "string", "opt", None)],
    # the old layout: `layers { name: "conv1" type: CONVOLUTION ... }`
    "V1LayerParameter": [
        ("layer", 1, "V0LayerParameter", "opt", None),
        ("bottom", 2, "string", "rep", None), ("top", 3, "string", "rep", None),
        ("name", 4, "string", "opt", None), ("type", 5, ".LayerType", "opt", None),
        ("blobs", 6, "BlobProto", "rep", None),
        ("convolution_param", 10, "ConvolutionParameter", "opt", None),
        ("dropout_param", 12, "DropoutParameter", "opt", None),
        ("inner_product_param", 17, "InnerProductParameter", "opt", None),
        ("lrn_param", 18, "LRNParameter", "opt", None),
        ("pooling_param", 19, "PoolingParameter", "opt", None),
        ("relu_param", 30, "ReLUParameter", "opt", None),
        ("softmax_param", 39, "SoftmaxParameter", "opt", None)],
    "NetParameter": [
        ("name", 1, "string", "opt", None), ("layers", 2, "V1LayerParameter", "rep", None),
        ("input", 3, "string", "rep", None), ("input_dim", 4, "int32", "rep", None),
        ("input_shape", 8, "BlobShape", "rep", None), ("layer", 100, "LayerParameter", "rep", None)],
}

PACKAGE = "pytorch_lite_caffe"   # a private pool: no clash with a caffe_pb2 the program imports


def _file():
    fd = descriptor_pb2.FileDescriptorProto(name="pytorch_lite_caffe.proto", package=PACKAGE, syntax="proto2")
    for mname, fields in MESSAGES.items():
        m = fd.message_type.add(name=mname)
        for ename, values in ENUMS.get(mname, {}).items():
            e = m.enum_type.add(name=ename)
            for vname, number in values:
                e.value.add(name=vname, number=number)
        for fname, number, kind, label, default in fields:
            f = m.field.add(name=fname, number=number,
                            label=_T.LABEL_OPTIONAL if label == "opt" else _T.LABEL_REPEATED)
            if kind in _TYPES:
                f.type = _TYPES[kind]
            elif kind.startswith("."):   # an enum of this message
                f.type, f.type_name = _T.TYPE_ENUM, ".%s.%s%s" % (PACKAGE, mname, kind)
            else:
                f.type, f.type_name = _T.TYPE_MESSAGE, ".%s.%s" % (PACKAGE, kind)
            if label == "packed":
                f.options.packed = True
            if default is not None:
                f.default_value = default
    return fd


_POOL = descriptor_pool.DescriptorPool()
_POOL.Add(_file())


def message_class(name):
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(PACKAGE + "." + name))


NetParameter = message_class("NetParameter")
V1_TYPE_NAMES = {number: name for name, number in ENUMS["V1LayerParameter"]["LayerType"]}
