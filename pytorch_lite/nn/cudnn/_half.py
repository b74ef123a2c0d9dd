"""Half tensors in cudnn's layers compute in float (not a module file).

cudnn runs a CudaHalfTensor layer in the math type cudnn.configmap names for it, which is float
where the device lacks fast half arithmetic (and what test scripts ask for with
cudnn.configureMath); the convolution, pooling and normalisation kernels here have no half
version at all.  So on half tensors a layer runs on float copies of its input and of its tensor
fields, and everything it wrote (output, gradInput, gradWeight, running_mean, ...) is rounded back
into its half tensors, which keep their identity (getParameters' views stay views)."""
from ...tensor import Tensor

HALF, FLOAT = "torch.CudaHalfTensor", "torch.CudaTensor"


def _floated(v):
    return v.type(FLOAT) if isinstance(v, Tensor) and v.typename == HALF else v


def _in_float(module, method, args):
    """method(shadow, *args) on a float shadow of module; its results rounded back into module."""
    shadow = type(module).__new__(type(module))
    fields = module.__dict__
    shadow.__dict__.update({k: _floated(v) for k, v in fields.items()})
    result = method(shadow, *[_floated(a) for a in args])
    for k, v in shadow.__dict__.items():
        old = fields.get(k)
        if v is old:
            continue
        if isinstance(v, Tensor) and v.typename == FLOAT:
            if isinstance(old, Tensor) and old.typename == HALF:
                if v.dim():
                    old.resize(*v.size()).copy(v)
                else:
                    old.set()
            else:
                fields[k] = v.type(HALF)
        else:
            fields[k] = v   # what the call set otherwise (an index tensor, a recorded size)
    if result is shadow.__dict__.get("output"):
        return fields["output"]
    if result is shadow.__dict__.get("gradInput"):
        return fields["gradInput"]
    return result


def half_as_float(cls):
    """cls with its forward and backward methods running half inputs through _in_float."""
    for name in ("updateOutput", "updateGradInput", "accGradParameters", "backward"):
        method = getattr(cls, name)

        def run(self, input, *rest, _method=method):
            if isinstance(input, Tensor) and input.typename == HALF:
                return _in_float(self, _method, (input,) + rest)
            return _method(self, input, *rest)
        run.__name__ = run.__qualname__ = name
        run.__doc__ = method.__doc__
        setattr(cls, name, run)
    return cls
