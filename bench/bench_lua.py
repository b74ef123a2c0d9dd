"""Lua bridge speed: `python bench/bench_lua.py [rounds]`

1. A Lua loop calling tensor methods on small tensors: microseconds per call (target <= 2 us),
   the empty Lua loop subtracted, against the same Python call; Lua and Python runs alternate,
   the best of each over the rounds is kept (the run least disturbed by other load).
2. The nn issue's MLP (784-1024-1024-10, ReLU, batch 128, CrossEntropyCriterion, float) trained
   with forward+backward+sgd, written in Lua vs the same loop in Python (target <= 1.1x), the
   two alternating, best of the rounds each.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import pytorch_lite as torch  # noqa: E402
from pytorch_lite import nn  # noqa: E402
import pytorch_lite.optim as optim  # noqa: E402
from lua_compat import Runtime  # noqa: E402

N_CALLS = 200000


OPS = (("dim", "x:dim()", lambda x, y: x.dim()),
       ("size(1)", "x:size(1)", lambda x, y: x.size(0)),
       ("add(y)", "x:add(y)", lambda x, y: x.add(y)),
       ("narrow(1,2,2)", "x:narrow(1, 2, 2)", lambda x, y: x.narrow(0, 1, 2)))


def method_calls(rt, rounds):
    """{op: (best lua us, best python us)} over alternating runs."""
    lua_loops = {}
    for name, expr, _ in OPS + (("empty", "", None),):
        lua_loops[name] = rt.lua.eval("""function(n)
            local x, y = torch.Tensor(3, 3):fill(1), torch.Tensor(3, 3):fill(2)
            local clock = os.clock
            local t0 = clock()
            for i = 1, n do %s end
            return clock() - t0
        end""" % expr)
    best = {name: [float("inf"), float("inf")] for name, _, _ in OPS}
    x, y = torch.Tensor(3, 3).fill(1), torch.Tensor(3, 3).fill(2)
    for _ in range(rounds):
        empty = lua_loops["empty"](N_CALLS)
        for name, _, py in OPS:
            t = (lua_loops[name](N_CALLS) - empty) / N_CALLS * 1e6
            t0 = time.process_time()
            for _ in range(N_CALLS):
                py(x, y)
            tp = (time.process_time() - t0) / N_CALLS * 1e6
            b = best[name]
            b[0], b[1] = min(b[0], t), min(b[1], tp)
    return best


LUA_MLP = """
local steps, x, y = ...
require 'nn'
require 'optim'
torch.manualSeed(1)
local model = nn.Sequential():add(nn.Linear(784, 1024)):add(nn.ReLU()):add(nn.Linear(1024, 1024))
   :add(nn.ReLU()):add(nn.Linear(1024, 10)):float()
local crit = nn.CrossEntropyCriterion():float()
local params, grads = model:getParameters()
local config = {learningRate = 0.01}
local function feval()
   grads:zero()
   local out = model:forward(x)
   local loss = crit:forward(out, y)
   model:backward(x, crit:backward(out, y))
   return loss, grads
end
optim.sgd(feval, params, config)
return function()
   local loss
   for i = 1, steps do local _, fs = optim.sgd(feval, params, config) loss = fs[1] end
   return loss
end
"""


def mlp_python(steps, x, y):
    torch.manualSeed(1)
    model = nn.Sequential().add(nn.Linear(784, 1024)).add(nn.ReLU()).add(nn.Linear(1024, 1024))
    model.add(nn.ReLU()).add(nn.Linear(1024, 10))
    model = model.float()
    crit = nn.CrossEntropyCriterion().float()
    params, grads = model.getParameters()
    config = {"learningRate": 0.01}

    def feval(p):
        grads.zero()
        out = model.forward(x)
        loss = crit.forward(out, y)
        model.backward(x, crit.backward(out, y))
        return loss, grads
    optim.sgd(feval, params, config)

    def train():
        for _ in range(steps):
            _, fs = optim.sgd(feval, params, config)
        return fs[0]
    return train


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rt = Runtime()
    print("Lua tensor method calls on 3x3 tensors (us per call, empty loop subtracted, best of %d alternating "
          "runs; target <= 2)" % rounds)
    for name, (t, tp) in method_calls(rt, rounds).items():
        print("  x:%-14s lua %6.2f   python %6.2f   lua - python %5.2f" % (name, t, tp, t - tp))
    steps = 20
    rng = np.random.RandomState(0)
    x = torch.from_numpy(rng.standard_normal((128, 784)).astype(np.float32))
    y_py = torch.LongTensor(rng.randint(0, 10, 128).tolist())
    y_lua = torch.LongTensor((y_py.numpy() + 1).tolist())
    train_py = mlp_python(steps, x, y_py)
    train_lua = rt.lua.eval("function(code) return loadstring(code) end")(LUA_MLP)(steps, x, y_lua)
    train_py(), train_lua()   # warm both (first GEMMs, allocations)
    tp = tl = float("inf")
    runs = []
    for _ in range(rounds):   # alternate, keep the fastest of each (the least disturbed by other load)
        t0 = time.perf_counter()
        lp = train_py()
        a = time.perf_counter() - t0
        t0 = time.perf_counter()
        ll = train_lua()
        b = time.perf_counter() - t0
        runs.append(b / a)
        tp, tl = min(tp, a), min(tl, b)
    print("MLP 784-1024-1024-10 b128 CE + sgd, %d steps, %d alternating runs (wall seconds per step, best run; "
          "target <= 1.1x)" % (steps, rounds))
    print("  python %.4f   lua %.4f   ratio %.3f   (per-run ratios %s; same final loss: %s)"
          % (tp / steps, tl / steps, tl / tp, " ".join("%.2f" % r for r in runs), abs(lp - ll) <= 1e-4 * abs(lp)))


if __name__ == "__main__":
    main()
