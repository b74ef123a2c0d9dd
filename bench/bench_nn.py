"""nn speed against PyTorch CPU in the same run (float32, 2 threads): forward+backward of

  convnet  conv 3->32 3x3 pad 1, ReLU, maxpool 2; conv 32->64 3x3 pad 1, ReLU, maxpool 2;
           View; Linear 4096->10, on 64x3x32x32 (target: at most 1.0x PyTorch's time, issue 13)
  mlp      784-1024-1024-10 with ReLUs, batch 128, CrossEntropyCriterion (target: at most 1.0x)
  vgg_bn   3 x (conv 3x3 pad 1, SpatialBatchNormalization, ReLU, maxpool 2); View; Linear 8192->10,
           on 32x3x64x64, CrossEntropyCriterion, training mode (goal: at most 1.0x)
  lstm     char-rnn's cell as an nngraph gModule (2 layers of 128, vocabulary 65, batch 16), 20
           shared-weight clones forward+backward with ClassNLLCriterion per step, against the same
           cell written with torch ops under autograd (goal: at most 1.0x)

Run:  python bench/bench_nn.py [--reps N] [--profile]
Prints the median time of each side and the ratio (ours / PyTorch).  The two sides alternate
within one process, so a shared machine's load falls on both; still, compare medians over reruns.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pytorch_lite as lt  # noqa: E402
from pytorch_lite import nn  # noqa: E402


def interleaved(fo, ft, reps):
    """Time ours and PyTorch's step alternately (the order flipping every rep), so that both
    sides see the same machine load; returns the two lists of times."""
    fo()
    ft()  # warm up (buffers allocated, BLAS / OpenMP threads started)
    to, tt = [], []
    for i in range(reps):
        for f, ts in (((fo, to), (ft, tt)) if i % 2 == 0 else ((ft, tt), (fo, to))):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
    return np.array(to), np.array(tt)


def convnet_ours():
    m = nn.Sequential()
    m.add(nn.SpatialConvolution(3, 32, 3, 3, 1, 1, 1, 1)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    m.add(nn.SpatialConvolution(32, 64, 3, 3, 1, 1, 1, 1)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    m.add(nn.View(64 * 8 * 8).setNumInputDims(3) if hasattr(nn.View(1), "setNumInputDims") else nn.View(-1, 4096))
    m.add(nn.Linear(4096, 10))
    return m.float()


def convnet_torch(T, ours):
    tn = T.nn
    m = tn.Sequential(tn.Conv2d(3, 32, 3, padding=1), tn.ReLU(), tn.MaxPool2d(2),
                      tn.Conv2d(32, 64, 3, padding=1), tn.ReLU(), tn.MaxPool2d(2),
                      tn.Flatten(), tn.Linear(4096, 10))
    with T.no_grad():  # same weights
        for tm, om in zip([m[0], m[3], m[7]], [ours.modules[0], ours.modules[3], ours.modules[7]]):
            tm.weight.copy_(T.from_numpy(om.weight._a.reshape(tm.weight.shape)))
            tm.bias.copy_(T.from_numpy(om.bias._a))
    return m


def mlp_ours():
    m = nn.Sequential().add(nn.Linear(784, 1024)).add(nn.ReLU()).add(nn.Linear(1024, 1024)).add(nn.ReLU())
    m.add(nn.Linear(1024, 10))
    return m.float()


def mlp_torch(T, ours):
    tn = T.nn
    m = tn.Sequential(tn.Linear(784, 1024), tn.ReLU(), tn.Linear(1024, 1024), tn.ReLU(), tn.Linear(1024, 10))
    with T.no_grad():
        for tm, om in zip([m[0], m[2], m[4]], [ours.modules[0], ours.modules[2], ours.modules[4]]):
            tm.weight.copy_(T.from_numpy(om.weight._a))
            tm.bias.copy_(T.from_numpy(om.bias._a))
    return m


def vgg_ours():
    m, planes = nn.Sequential(), (3, 32, 64, 128)
    for b in range(3):
        m.add(nn.SpatialConvolution(planes[b], planes[b + 1], 3, 3, 1, 1, 1, 1))
        m.add(nn.SpatialBatchNormalization(planes[b + 1])).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    m.add(nn.View(128 * 8 * 8)).add(nn.Linear(128 * 8 * 8, 10))
    return m.float()


def vgg_torch(T, ours):
    tn = T.nn
    layers = []
    for b, (i, o) in enumerate(((3, 32), (32, 64), (64, 128))):
        layers += [tn.Conv2d(i, o, 3, padding=1), tn.BatchNorm2d(o), tn.ReLU(), tn.MaxPool2d(2)]
    m = tn.Sequential(*layers, tn.Flatten(), tn.Linear(128 * 8 * 8, 10))
    with T.no_grad():
        for tm, om in zip(m, ours.modules):
            if hasattr(tm, "weight"):
                tm.weight.copy_(T.from_numpy(om.weight._a.reshape(tm.weight.shape)))
                tm.bias.copy_(T.from_numpy(om.bias._a))
    return m.train()


LSTM_V, LSTM_H, LSTM_L, LSTM_B, LSTM_T = 65, 128, 2, 16, 20


def lstm_cell_ours():
    """char-rnn's LSTM cell: inputs x, (c, h) per layer; outputs (c, h) per layer, log-probabilities;
    and its Linear modules in order (i2h, h2h per layer, the projection)."""
    import pytorch_lite.nngraph  # noqa: F401  (nn.gModule)
    V, H = LSTM_V, LSTM_H
    inputs = [nn.Identity()()]
    for _ in range(LSTM_L):
        inputs += [nn.Identity()(), nn.Identity()()]
    x, outs, linears = inputs[0], [], []
    for layer in range(LSTM_L):
        prev_c, prev_h = inputs[1 + 2 * layer], inputs[2 + 2 * layer]
        i2h, h2h = nn.Linear(V if layer == 0 else H, 4 * H), nn.Linear(H, 4 * H)
        linears += [i2h, h2h]
        sums = nn.CAddTable()([i2h(x), h2h(prev_h)])
        g1, g2, g3, g4 = nn.SplitTable(1)(nn.Reshape(4, H)(sums)).split(4)
        in_gate, forget_gate, out_gate, in_tr = nn.Sigmoid()(g1), nn.Sigmoid()(g2), nn.Sigmoid()(g3), nn.Tanh()(g4)
        c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_tr])])
        h = nn.CMulTable()([out_gate, nn.Tanh()(c)])
        outs += [c, h]
        x = h
    linears.append(nn.Linear(H, V))
    outs.append(nn.LogSoftMax()(linears[-1](x)))
    return nn.gModule(inputs, outs).float(), linears


def lstm_train_step(clones, grads, crit, xo, yo, zero, L):
    """One truncated-BPTT step of the cell's clones over len(xo) time steps (as char-rnn's
    train.lua); the summed loss (also bench_gpu.py's)."""
    grads.zero()
    S = len(xo)
    states, outs, loss = [[zero] * (2 * L)], [], 0.0
    for t in range(S):
        o = clones[t].forward([xo[t]] + states[t])
        outs.append(o)
        states.append(list(o[:2 * L]))
        loss += crit.forward(o[2 * L], yo[t])
    d = [zero] * (2 * L)
    for t in reversed(range(S)):
        gi = clones[t].backward([xo[t]] + states[t], d + [crit.backward(outs[t][2 * L], yo[t])])
        d = list(gi[1:])
    return loss


def lstm_steps(T, rng):
    """(ours, PyTorch's) step functions: 20 time steps forward and backward, same weights and data;
    and a dict where each records its summed loss (to check both compute the same thing)."""
    V, H, L, B, S = LSTM_V, LSTM_H, LSTM_L, LSTM_B, LSTM_T
    proto, linears = lstm_cell_ours()
    params, grads = proto.getParameters()
    clones = [proto.clone("weight", "bias", "gradWeight", "gradBias") for _ in range(S)]
    crit = nn.ClassNLLCriterion().float()
    labels = [rng.randint(0, V, B) for _ in range(S)]
    xs = [np.eye(V, dtype=np.float32)[rng.randint(0, V, B)] for _ in range(S)]
    xo, yo = [lt.from_numpy(x) for x in xs], [lt.from_numpy(y.astype(np.int64)) for y in labels]
    zero = lt.FloatTensor(B, H).zero()
    res = {}

    def ours():
        res["ours"] = lstm_train_step(clones, grads, crit, xo, yo, zero, L)

    # PyTorch: the same weights, the Linear modules in the order lstm_cell_ours made them
    W = [(T.from_numpy(m.weight._a.copy()).requires_grad_(), T.from_numpy(m.bias._a.copy()).requires_grad_())
         for m in linears]
    xt = [T.from_numpy(x) for x in xs]
    yt = [T.from_numpy(y.astype(np.int64)) for y in labels]
    tzero = T.zeros(B, H)

    def theirs():
        for w, b in W:
            w.grad = None
            b.grad = None
        loss = torch_lstm_loss(T, W, xt, yt, tzero, B, H, L, S)
        loss.backward()
        res["theirs"] = float(loss.detach())

    return ours, theirs, res


def torch_lstm_loss(T, W, xt, yt, tzero, B, H, L, S):
    """The char-rnn LSTM cell in PyTorch ops over S steps (W: the Linear weights in the order the
    pytorch_lite model made them); the summed NLL loss (also bench_gpu.py's reference)."""
    F = T.nn.functional
    cs, hs, loss = [tzero] * L, [tzero] * L, 0
    for t in range(S):
        x = xt[t]
        for layer in range(L):
            sums = F.linear(x, *W[2 * layer]) + F.linear(hs[layer], *W[2 * layer + 1])
            g = sums.view(B, 4, H)
            i, f, o, tr = T.sigmoid(g[:, 0]), T.sigmoid(g[:, 1]), T.sigmoid(g[:, 2]), T.tanh(g[:, 3])
            cs[layer] = f * cs[layer] + i * tr
            hs[layer] = o * T.tanh(cs[layer])
            x = hs[layer]
        loss = loss + F.nll_loss(F.log_softmax(F.linear(x, *W[2 * L]), 1), yt[t])
    return loss


def step_ours(model, crit, x, y):
    def run():
        model.zeroGradParameters()
        out = model.forward(x)
        if crit is None:
            model.backward(x, g_ones(out))
        else:
            crit.forward(out, y)
            model.backward(x, crit.backward(out, y))
    return run


_G = {}


def g_ones(out):
    key = (type(out), out._size)
    g = _G.get(key)
    if g is None:   # of the output's type: a CudaTensor for bench_gpu.py's model:cuda()
        g = _G[key] = out.new(*out._size).fill(1)
    return g


def step_torch(T, model, crit, x, y):
    def run():
        model.zero_grad(set_to_none=False)
        if x.grad is not None:
            x.grad.zero_()
        out = model(x)
        if crit is None:
            out.backward(T.ones_like(out))
        else:
            crit(out, y).backward()
    return run


def compare(T, name, target, ours, theirs, crit_o, crit_t, x, y, reps, rows):
    """Two rows: the same work on both sides (the first module's gradInput is nil, Torch7's idiom
    for 'no gradient w.r.t. the input', as PyTorch skips it for an input without requires_grad),
    then every gradInput on both sides (PyTorch's input requires grad)."""
    xo = lt.from_numpy(x)
    yo = None if y is None else lt.from_numpy(y.astype(np.int64))
    gi = ours.modules[0].gradInput
    for full in (False, True):
        ours.modules[0].gradInput = gi if full else None
        xt = T.from_numpy(x.copy()).requires_grad_(full)
        fo = step_ours(ours, crit_o, xo, yo)
        ft = step_torch(T, theirs, crit_t, xt, None if y is None else T.from_numpy(y))
        fo()
        with T.no_grad():
            err = float(np.abs(ours.output._a - theirs(xt).numpy()).max())
        to, tt = interleaved(fo, ft, reps)
        rows.append((name + (" all gradInputs" if full else " same work"), to, tt, target, err))
    ours.modules[0].gradInput = gi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="cProfile our steps")
    args = ap.parse_args()
    import torch as T
    T.set_num_threads(2)
    rng = np.random.RandomState(0)
    lt.manualSeed(1)
    rows = []

    # convnet (a plain sum-of-outputs gradient: the criterion is not what is measured)
    xc = rng.standard_normal((64, 3, 32, 32)).astype(np.float32)
    conv = convnet_ours()
    compare(T, "convnet 64x3x32x32", 1.0, conv, convnet_torch(T, conv), None, None, xc, None, args.reps, rows)

    # MLP with CrossEntropyCriterion
    xm = rng.standard_normal((128, 784)).astype(np.float32)
    labels = rng.randint(0, 10, 128)
    mlp = mlp_ours()
    compare(T, "mlp b128 CE", 1.0, mlp, mlp_torch(T, mlp), nn.CrossEntropyCriterion().float(),
            T.nn.CrossEntropyLoss(), xm, labels, args.reps, rows)

    # VGG-style with batch normalization (training mode)
    xv = rng.standard_normal((32, 3, 64, 64)).astype(np.float32)
    lv = rng.randint(0, 10, 32)
    vgg = vgg_ours()
    compare(T, "vgg_bn b32 3x64x64 CE", 1.0, vgg, vgg_torch(T, vgg), nn.CrossEntropyCriterion().float(),
            T.nn.CrossEntropyLoss(), xv, lv, args.reps, rows)

    # char-rnn's LSTM: 20 steps forward+backward
    fo, ft, res = lstm_steps(T, rng)
    fo()
    ft()
    err = abs(res["ours"] - res["theirs"])   # summed losses (ClassNLL averages over the batch)
    to, tt = interleaved(fo, ft, args.reps)
    rows.append(("lstm 2x128 b16 20 steps", to, tt, 1.0, err))

    print("%-32s %9s %9s %7s %7s %7s  %s" % ("benchmark (fwd+bwd)", "ours ms", "torch ms", "ratio",
                                             "r-min", "target", "max|out diff|"))
    for name, to, tt, target, err in rows:
        # ratio: of the medians; r-min: of the fastest runs (the least disturbed by other load)
        print("%-32s %9.2f %9.2f %7.2f %7.2f %7.2f  %.2e" % (name, np.median(to) * 1e3, np.median(tt) * 1e3,
                                                            np.median(to) / np.median(tt), to.min() / tt.min(),
                                                            target, err))

    if args.profile:
        import cProfile
        import pstats
        steps = [step_ours(m, c, lt.from_numpy(x), None if y is None else lt.from_numpy(y.astype(np.int64)))
                 for m, c, x, y in ((conv, None, xc, None), (mlp, nn.CrossEntropyCriterion().float(), xm, labels),
                                    (vgg, nn.CrossEntropyCriterion().float(), xv, lv))]
        for f in steps + [fo]:
            pr = cProfile.Profile()
            pr.enable()
            for _ in range(10):
                f()
            pr.disable()
            pstats.Stats(pr).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
