"""nn.SparseJacobian: nn.Jacobian's checks for modules taking a sparse input (nn.SparseLinear).

A sparse input is an ``n x 2`` tensor of (index, value) rows; only the value column is
perturbed and differentiated, so the input Jacobian has one row per nonzero.
"""
from . import jacobian as _jac

VALUES = 1   # the column of values (column 0 holds the feature indices)


def backward(module, input, param=None, dparam=None):
    return _jac.backward(module, input, param, dparam, column=VALUES)


def forward(module, input, param=None, perturbation=None):
    return _jac.forward(module, input, param, perturbation, column=VALUES)


backwardUpdate = _jac.backwardUpdate
forwardUpdate = _jac.forwardUpdate
testIO = _jac.testIO
testAllUpdate = _jac.testAllUpdate


def _fill_values(input, minval, maxval):
    _jac._rand_fill(input.select(1, VALUES), minval, maxval)


def testJacobian(module, input, minval=None, maxval=None):
    _fill_values(input, minval, maxval)
    return _jac._max_abs(forward(module, input), backward(module, input))


def testJacobianParameters(module, input, param, dparam, minval=None, maxval=None):
    _fill_values(input, minval, maxval)
    _jac._rand_fill(param, minval, maxval)
    bprop = backward(module, input, param, dparam)
    return _jac._max_abs(forward(module, input, param), bprop)


def testJacobianUpdateParameters(module, input, param, minval=None, maxval=None):
    _fill_values(input, minval, maxval)
    _jac._rand_fill(param, minval, maxval)
    bprop = backwardUpdate(module, input, param)
    return _jac._max_abs(forwardUpdate(module, input, param), bprop)
