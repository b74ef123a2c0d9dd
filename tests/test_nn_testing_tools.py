"""nn.Jacobian, nn.SparseJacobian and nn.hessian (Torch7's testing tools), checked against
independent references: analytic Jacobians, numpy sums, and modules with a planted gradient bug
that the checks must catch."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn

J = nn.Jacobian


def D(a):
    return torch.DoubleTensor(np.ascontiguousarray(a, dtype=np.float64))


class WrongGradLinear(nn.Linear):
    """A Linear whose gradInput is off by 10% (the checks must see it)."""
    typename = "nn.WrongGradLinear"

    def updateGradInput(self, input, gradOutput):
        super().updateGradInput(input, gradOutput)
        self.gradInput.mul(1.1)
        return self.gradInput


class WrongAccLinear(nn.Linear):
    """A Linear whose weight gradient ignores the scale (accUpdate then goes the wrong way)."""
    typename = "nn.WrongAccLinear"

    def accGradParameters(self, input, gradOutput, scale=1):
        super().accGradParameters(input, gradOutput, 1)


def test_jacobian_forward_and_backward_are_the_analytic_jacobian_of_linear():
    torch.manualSeed(3)
    m = nn.Linear(4, 3)
    x = torch.rand(4)
    w = m.weight._a.copy()
    # d out_j / d in_i = W[j, i]; Torch7's layout is input-major: jac[i, j]
    assert np.allclose(J.forward(m, x)._a, w.T, atol=1e-8)
    assert np.allclose(J.backward(m, x)._a, w.T, atol=1e-14)
    # w.r.t. the bias: the identity
    assert np.allclose(J.backward(m, x, m.bias, m.gradBias)._a, np.eye(3), atol=1e-14)
    assert np.allclose(J.forward(m, x, m.bias)._a, np.eye(3), atol=1e-8)


def test_jacobian_checks_pass_a_correct_module_and_catch_wrong_gradients():
    torch.manualSeed(1)
    x = torch.Tensor(5, 4)
    good = nn.Linear(4, 3)
    assert J.testJacobian(good, x) < 1e-8
    assert J.testJacobianParameters(good, x, good.weight, good.gradWeight) < 1e-8
    assert J.testJacobianUpdateParameters(good, x, good.weight) < 1e-8
    assert J.testJacobian(WrongGradLinear(4, 3), x) > 1e-2
    bad = WrongAccLinear(4, 3)
    assert J.testJacobianUpdateParameters(bad, x, bad.weight) > 1e-2


def test_jacobian_draws_its_inputs_from_the_global_generator_in_range():
    torch.manualSeed(7)
    x = torch.Tensor(6)
    J.testJacobian(nn.Tanh(), x, -3, -1)
    torch.manualSeed(7)
    expected = torch.rand(6).mul(2).add(-3)
    assert np.array_equal(x._a, expected._a)
    assert x._a.min() >= -3 and x._a.max() < -1


def test_forward_update_is_a_unit_step_against_the_gradient():
    torch.manualSeed(2)
    m = nn.Linear(3, 2)
    x = torch.rand(3)
    upd = J.forwardUpdate(m, x, m.bias)
    # one unit of gradOutput on output j moves bias_i by -delta_ij
    expected = m.bias._a[:, None] - np.eye(2)
    assert np.allclose(upd._a, expected, atol=1e-8)
    assert np.allclose(J.backwardUpdate(m, x, m.bias)._a, expected, atol=1e-14)


def test_io_and_all_update_report_zero_for_a_sound_module():
    torch.manualSeed(4)
    m = nn.Linear(4, 3)
    x = torch.rand(2, 4)
    ferr, berr = J.testIO(m, x)
    assert ferr == 0 and berr == 0
    errs = J.testAllUpdate(m, x, "weight", "gradWeight")
    assert set(errs) == {"accGradParameters", "accUpdateGradParameters", "accGradParameters [shared]",
                         "accUpdateGradParameters [shared]"}
    assert max(errs.values()) < 1e-12
    bad = J.testAllUpdate(WrongAccLinear(4, 3), x, "weight", "gradWeight")
    assert bad["accUpdateGradParameters"] > 1e-3


def test_io_round_trip_keeps_a_subclass_of_a_registered_class():
    torch.manualSeed(5)
    m = nn.Sequential().add(nn.SplitTable(0)).add(nn.CosineDistance())
    assert J.testIO(m, torch.rand(2, 5)) == (0.0, 0.0)


def test_diag_hessian_of_linear_matches_squared_weights():
    nn.hessian.enable()
    torch.manualSeed(6)
    m = nn.Linear(4, 3)
    x = torch.rand(2, 4)
    m.initDiagHessianParameters()
    J.backwardDiagHessian(m, x, "diagHessianInput")
    w = m.weight._a
    # F = sum(y^2)/2 with y = Wx + b: d2F/dx_i^2 = sum_j W_ji^2, for every sample
    assert np.allclose(m.diagHessianInput._a, np.tile((w ** 2).sum(0), (2, 1)), atol=1e-14)
    # d2F/dW_ji^2 = sum_samples x_i^2, d2F/db_j^2 = number of samples
    assert np.allclose(m.diagHessianWeight._a, np.tile((x._a ** 2).sum(0), (3, 1)), atol=1e-14)
    assert np.allclose(m.diagHessianBias._a, 2, atol=1e-14)
    for check in (J.testDiagHessianInput, J.testDiagHessianWeight, J.testDiagHessianBias):
        assert check(m, x) < 1e-10


def test_diag_hessian_of_a_sequential_with_tanh():
    nn.hessian.enable()
    torch.manualSeed(8)
    lin = nn.Linear(3, 2)
    m = nn.Sequential().add(lin).add(nn.Tanh())
    x = torch.rand(3)
    m.initDiagHessianParameters()
    m.forward(x)
    ones = torch.Tensor(2).fill(1)
    got = m.updateDiagHessianInput(x, ones)
    y = np.tanh(lin.weight._a @ x._a + lin.bias._a)
    # pointwise: tanh'(z)^2 passed through the squared weights
    expected = (lin.weight._a ** 2).T @ ((1 - y ** 2) ** 2)
    assert np.allclose(got._a, expected, atol=1e-12)


def test_hessian_mse_and_l1cost_second_derivatives():
    nn.hessian.enable()
    x = D([[0.5, 0.0], [-1.0, 2.0]])
    assert np.allclose(nn.MSECriterion().updateDiagHessianInput(x, x)._a, 2 / 4)
    assert np.array_equal(nn.L1Cost().updateDiagHessianInput(x)._a, [[1, 0], [1, 1]])
    with pytest.raises(Exception, match="updateDiagHessianInput"):
        nn.ReLU().updateDiagHessianInput(x, x)


def test_sparse_jacobian_differentiates_the_value_column_only():
    torch.manualSeed(9)
    m = nn.SparseLinear(6, 3)
    x = D([[1, 0.5], [4, -1.0], [2, 2.0]])   # 0-based feature indices in Python
    jac = nn.SparseJacobian.forward(m, x)
    # d out_j / d value_k = weight[j, index_k]
    assert np.allclose(jac._a, m.weight._a[:, [1, 4, 2]].T, atol=1e-8)
    assert np.array_equal(x._a[:, 0], [1, 4, 2])   # the indices stay
    assert nn.SparseJacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) < 1e-8
    assert nn.SparseJacobian.testJacobianUpdateParameters(m, x, m.bias) < 1e-8
