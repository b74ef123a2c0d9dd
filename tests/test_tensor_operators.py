"""Python operators on tensors follow Python's conventions (new results, * elementwise,
@ matrix product; += and friends in place); checked against numpy."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.errors import TorchValueError

rng = np.random.RandomState(3)
A = rng.randn(3, 4)
B = rng.randn(3, 4) + 3


@pytest.fixture
def xy():
    return torch.from_numpy(A.copy()), torch.from_numpy(B.copy())


@pytest.mark.parametrize("expr, ref", [
    (lambda x, y: x + y, lambda a, b: a + b),
    (lambda x, y: x + 2, lambda a, b: a + 2),
    (lambda x, y: 2 + x, lambda a, b: 2 + a),
    (lambda x, y: x - y, lambda a, b: a - b),
    (lambda x, y: x - 2, lambda a, b: a - 2),
    (lambda x, y: 2 - x, lambda a, b: 2 - a),
    (lambda x, y: x * y, lambda a, b: a * b),
    (lambda x, y: x * 3, lambda a, b: a * 3),
    (lambda x, y: 3 * x, lambda a, b: 3 * a),
    (lambda x, y: x / y, lambda a, b: a / b),
    (lambda x, y: x / 4, lambda a, b: a / 4),
    (lambda x, y: 4 / y, lambda a, b: 4 / b),
    (lambda x, y: y ** 2, lambda a, b: b ** 2),
    (lambda x, y: 2 ** x, lambda a, b: 2 ** a),
    (lambda x, y: y ** x, lambda a, b: b ** a),
    (lambda x, y: -x, lambda a, b: -a),
    (lambda x, y: abs(x), lambda a, b: abs(a)),
    (lambda x, y: x @ y.t(), lambda a, b: a @ b.T),
    (lambda x, y: x @ y[0], lambda a, b: a @ b[0]),
    (lambda x, y: x[1] @ y[0], lambda a, b: a[1] @ b[0]),
    (lambda x, y: x < y, lambda a, b: (a < b).astype(np.uint8)),
    (lambda x, y: x >= 0, lambda a, b: (a >= 0).astype(np.uint8)),
])
def test_operator(xy, expr, ref):
    x, y = xy
    got = expr(x, y)
    want = ref(A, B)
    assert x.tolist() == A.tolist() and y.tolist() == B.tolist()  # operands untouched
    if np.ndim(want) == 0:
        assert got == pytest.approx(float(want), rel=1e-12)
    else:
        assert got.numpy().dtype == want.dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)


def test_inplace_operators(xy):
    x, y = xy
    alias = x
    x += y
    x -= 1
    x *= y
    x /= 2
    assert x is alias
    np.testing.assert_allclose(x.numpy(), (A + B - 1) * B / 2, rtol=1e-12)


def test_equality_is_identity_like_lua(xy):
    x, _ = xy
    assert x == x and not (x == x.clone()) and x != x.clone()
    assert len({x, x}) == 1
    with pytest.raises(TorchValueError):
        bool(x)


def test_matmul_bad_dims(xy):
    x, _ = xy
    with pytest.raises(TorchValueError):
        x.view(3, 2, 2) @ x
