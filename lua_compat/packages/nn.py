"""Python functions behind require 'nn' (lua_compat/lua/nn.lua): nn.Jacobian, nn.SparseJacobian,
nn.hessian and nn.tables, each function as ``<namespace>.<name>`` (nn.lua builds the Lua tables).

They run in Python over the modules Lua hands them, so a finite-difference check does not cross
the bridge once per element."""
from pytorch_lite import nn

NAMESPACES = {
    "Jacobian": (nn.Jacobian, (
        "backward", "backwardUpdate", "forward", "forwardUpdate", "testJacobian", "testJacobianParameters",
        "testJacobianUpdateParameters", "testIO", "testAllUpdate", "backwardDiagHessian",
        "linearModuleDiagHessian", "testDiagHessian", "testDiagHessianInput", "testDiagHessianWeight",
        "testDiagHessianBias")),
    "SparseJacobian": (nn.SparseJacobian, (
        "backward", "backwardUpdate", "forward", "forwardUpdate", "testJacobian", "testJacobianParameters",
        "testJacobianUpdateParameters", "testIO", "testAllUpdate")),
    "hessian": (nn.hessian, (
        "enable", "updateDiagHessianInput", "accDiagHessianParameters", "updateDiagHessianInputPointWise",
        "initDiagHessianParameters")),
    "tables": (nn.tables, ("full", "oneToOne", "random")),
}
# functions whose result holds indices: Torch7's are 1-based
ONE_BASED_RESULTS = {"tables.full", "tables.oneToOne", "tables.random"}


def bridge(runtime):
    result = runtime.conv.result
    out = {"utils.cache_for": runtime.methods.cache_for,   # a Lua table -> the Python dict type() uses
           "utils.tensor_type": lambda t, typename, cache: nn.utils.recursive_type(t, typename, cache)}
    for ns, (mod, names) in NAMESPACES.items():
        for name in names:
            def call(*args, _fn=getattr(mod, name)):
                return result(_fn(*args))

            def call_plus1(*args, _fn=getattr(mod, name)):
                r = _fn(*args)
                r._a[...] += 1
                return r
            key = ns + "." + name
            out[key] = call_plus1 if key in ONE_BASED_RESULTS else call
    return out
