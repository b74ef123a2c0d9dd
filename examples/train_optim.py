"""Train a small regression model with optim.sgd and then optim.adam, Torch7 style.

The training loop is Torch7's: flatten the parameters with getParameters(), write a closure
feval(x) -> (loss, dloss/dx), and hand it to an optim method with config and state dicts.
"""
import pytorch_lite as torch
from pytorch_lite import nn, optim
from pytorch_lite.progress import Progress

torch.manualSeed(1)
N = 64
X = torch.randn(N, 3)
w_true = torch.Tensor([[2.0], [-1.0], [0.5]])
Y = torch.mm(X, w_true).add(0.3)           # targets from a known linear map plus a bias

model = nn.Linear(3, 1)
criterion = nn.MSECriterion()
params, grad_params = model.getParameters()


def feval(x):
    if x is not params:
        params.copy(x)
    grad_params.zero()
    out = model.forward(X)
    loss = criterion.forward(out, Y)
    model.backward(X, criterion.backward(out, Y))
    return loss, grad_params


bar = Progress()
for name, method, config in [('sgd', optim.sgd, {'learningRate': 0.1, 'momentum': 0.9}),
                             ('adam', optim.adam, {'learningRate': 0.05})]:
    params.zero()
    state = {}
    n = 100
    for i in range(n):
        _, fs = method(feval, params, config, state)
        bar.update(i + 1, n)
    print('%-4s loss after %d steps: %.3e  weights %s  bias %.4f' % (
        name, n, feval(params)[0], ' '.join('%.4f' % params[k] for k in range(3)), params[3]))
