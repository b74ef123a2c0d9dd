"""Which nn arguments carry dims and indices: the nn half of the bridge's one declaration.

Torch7's nn is 1-based, pytorch_lite.nn is 0-based.  Rather than special-casing modules in the
bridge, every index-carrying argument is declared here once, with the same kinds as the tensor
declaration table (``D`` dimension, ``I`` element index, ``L`` tensor of indices, ``*`` as is;
``i`` an index that may be a negative sentinel compared with shifted indices, as ClassNLLCriterion's
ignoreIndex, so always shifted; ``P`` an index where 0 means none, as LookupTable's paddingValue):

- ``CTOR``: constructor arguments, positionally (``...`` repeats the last kind; ``DL`` is a table
  of dimensions, as nn.Transpose's pairs).
- ``METHODS``: method arguments, for any module that has the method (``"get"``), or for one
  class (``"optim.ConfusionMatrix.add"``; the class entry wins).  ``Y`` is a class label: a
  number, or a 1-D tensor of labels (2-D score/one-hot tensors pass as they are); ``S`` is a
  dataset (a Lua table with ``size()`` and 1-based examples, seen 0-based from Python); ``C`` a
  Lua table used as a cache (type()'s tensorCache): the same Python dict each time.
- ``FIELDS``: fields read from Lua that are not plain values: ``K`` a dict keyed by 0-based
  column numbers (keys +1), ``V`` a dict whose values are 0-based column numbers (values +1),
  ``view`` a live 1-based view of a dict (writes go through), ``file`` a Python file object
  (Lua sees ``write``/``close``/``flush``), ``P`` an index where 0 means none (read and written).
  Besides these, every nn class's ``t7_index_fields`` (1-based in t7 files) are 1-based in Lua.
- ``INPUTS``: modules whose input (``input``) or target (``target``) holds indices; the bridge
  gives such modules, when created from Lua, a 1-based view of that argument (``input:2``: only
  the 2nd entry of a table input; ``input:column1``: the first column of sparse (index, value)
  rows).
"""

CTOR = {
    "nn.Concat": "D", "nn.DepthConcat": "D", "nn.JoinTable": "D", "nn.SplitTable": "D",
    "nn.Max": "D", "nn.Min": "D", "nn.Mean": "D", "nn.Sum": "D",
    "nn.Narrow": "D I", "nn.NarrowTable": "I", "nn.Parallel": "D D", "nn.Replicate": "* D",
    "nn.Select": "D I", "nn.SelectTable": "I", "nn.Squeeze": "D", "nn.Unsqueeze": "D",
    "nn.Transpose": "DL ...", "nn.Padding": "D * * * I", "nn.Index": "D",
    "nn.ClassNLLCriterion": "* * i", "nn.LookupTable": "* * P",
    "nn.SpatialConvolutionMap": "L", "nn.SpatialFullConvolutionMap": "L",
    "nn.MixtureTable": "D", "nn.GatedLinearUnit": "D",
    "unsup.SpatialConvFistaL1": "L", "unsup.ConvPSD": "L",   # connection tables, as the Map modules'
    "nn.SpatialPadding": "* * * * D D *", "nn.SpatialUpSampling": "* * D D",   # nnx's
    "nn.PushTable": "I", "nn.PullTable": "* I", "nn.SpatialPyramid": "* * * * * * D D D D *",
}

METHODS = {
    "get": "I", "insert": "* I", "remove": "I", "type": "* C",
    "optim.ConfusionMatrix.add": "I i",   # a target <= 0 is a missing label: ignored (Torch7)
    "optim.ConfusionMatrix.batchAdd": "Y Y",
    "nn.StochasticGradient.train": "S",
    "nn.LookupTable.setPadding": "P",
    "nn.PartialLinear.setPartition": "L",
    "nn.PushTable.pull": "I",
    "nn.SpatialPyramid.focus": "I I", "nn.SpatialFovea.focus": "I I",   # nnx: a pixel
}

FIELDS = {
    "nn.LookupTable": {"paddingValue": "P"},
    "optim.Logger": {"symbols": "K", "styles": "K", "names": "K", "idx": "V", "file": "file"},
    "nngraph.Node": {"data": "view"},
    "graph.Node": {"data": "view"},
}

INPUTS = {
    "nn.LookupTable": "input",
    "nn.OneHot": "input",
    "nn.Index": "input:2",
    "nn.IndexLinear": "input:1",
    "nn.SparseLinear": "input:column1",
    "nn.ClassNLLCriterion": "target",
    "nn.CrossEntropyCriterion": "target",
    "nn.SpatialClassNLLCriterion": "target",
    "cudnn.SpatialCrossEntropyCriterion": "target",
    "cudnn.VolumetricCrossEntropyCriterion": "target",
    "nn.MultiMarginCriterion": "target",
    "nn.MultiLabelMarginCriterion": "target",
    "nn.DistMarginCriterion": "target",
    "nn.ClassSimplexCriterion": "target",
}


def parse(spec):
    """'D I' -> (('D', 'I'), repeat_last)"""
    parts = spec.split()
    rep = bool(parts) and parts[-1] == "..."
    if rep:
        parts = parts[:-1]
    return tuple(parts), rep
