"""Python functions behind require 'nn' (lua_compat/lua/nn.lua): nn.Jacobian, nn.SparseJacobian
and nn.hessian, each function as ``<namespace>.<name>`` (nn.lua builds the Lua tables).

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
}


def bridge(runtime):
    result = runtime.conv.result
    out = {}
    for ns, (mod, names) in NAMESPACES.items():
        for name in names:
            def call(*args, _fn=getattr(mod, name)):
                return result(_fn(*args))
            out[ns + "." + name] = call
    return out
