"""Python functions behind require 'nn' (lua_compat/lua/nn.lua): nn.Jacobian and nn.SparseJacobian.

They run in Python over the modules Lua hands them, so a finite-difference check does not cross
the bridge once per element."""
from pytorch_lite import nn

_JACOBIAN_FUNCTIONS = (
    "backward", "backwardUpdate", "forward", "forwardUpdate", "testJacobian", "testJacobianParameters",
    "testJacobianUpdateParameters", "testIO", "testAllUpdate", "backwardDiagHessian",
    "linearModuleDiagHessian", "testDiagHessian", "testDiagHessianInput", "testDiagHessianWeight",
    "testDiagHessianBias",
)


def bridge(runtime):
    result = runtime.conv.result
    out = {}
    for prefix, mod in (("jacobian_", nn.Jacobian), ("sparse_jacobian_", nn.SparseJacobian)):
        for name in _JACOBIAN_FUNCTIONS:
            fn = getattr(mod, name, None)
            if fn is None:
                continue

            def call(*args, _fn=fn):
                return result(_fn(*args))
            out[prefix + name] = call
    return out
