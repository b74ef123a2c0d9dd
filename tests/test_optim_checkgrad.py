"""optim.checkgrad: the central-difference estimate of an opfunc's gradient, from Python and Lua."""
import io

import numpy as np

import pytorch_lite as torch
from pytorch_lite import optim
from lua_compat import Runtime

A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])


def test_checkgrad_of_a_quadratic_from_python():
    a = torch.Tensor(A.tolist())

    def f(x):   # 0.5 x'Ax, gradient Ax
        g = torch.mv(a, x)
        return 0.5 * x.dot(g), g
    x = torch.Tensor([1.0, -2.0, 0.5])
    diff, dC, est = optim.checkgrad(f, x)
    exact = A @ np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(dC._a, exact, rtol=0, atol=0)
    np.testing.assert_allclose(est._a, exact, atol=1e-6)
    assert diff < 1e-8
    assert x._a.tolist() == [1.0, -2.0, 0.5]       # put back after each probe

    def wrong(x):
        return f(x)[0], torch.mv(a, x).mul(2)
    assert optim.checkgrad(wrong, x, 1e-5)[0] > 0.3   # |2g - g| / |2g + g| = 1/3


def test_checkgrad_from_lua():
    got = Runtime(stdout=io.StringIO()).execute("""
        require 'optim'
        local x = torch.Tensor{0.5, -1}
        local function f(x) return (x[1] ^ 3) + x[1] * x[2], torch.Tensor{3 * x[1] ^ 2 + x[2], x[1]} end
        local diff, dC, est = optim.checkgrad(f, x)
        return diff, dC[1], dC[2], est[1], est[2], x[1]""")
    diff, d1, d2, e1, e2, x1 = got
    assert (d1, d2, x1) == (-0.25, 0.5, 0.5)
    assert abs(e1 + 0.25) < 1e-6 and abs(e2 - 0.5) < 1e-6 and diff < 1e-6
