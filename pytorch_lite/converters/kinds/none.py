"""Module kinds with no PyTorch/ONNX equivalent in evaluate form, and why (the message of the
ConversionError that names them)."""
from ..declare import no_equivalent

no_equivalent("its pooling regions are drawn at random at every forward",
              "nn.SpatialFractionalMaxPooling", "nn.VolumetricFractionalMaxPooling")
no_equivalent("its input is a sparse {index, value} list; no dense PyTorch/ONNX layer takes it",
              "nn.SparseLinear", "nn.IndexLinear")
no_equivalent("its output size depends on the values of its input", "nn.MaskedSelect",
              "nn.TemporalDynamicKMaxPooling")
no_equivalent("it is not a layer (an algorithm or a training helper)", "nn.Kmeans", "nn.StochasticGradient")
no_equivalent("it is a criterion (a loss), not a model layer", "nn.ModuleFromCriterion", "nn.CriterionTable")
