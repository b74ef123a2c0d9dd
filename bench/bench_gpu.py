"""nn training steps on the GPU against PyTorch CUDA in the same process, same weights, same data:
bench_nn.py's four workloads (convnet, MLP, VGG-BN, char-rnn's LSTM) with model:cuda() on our
side and .cuda() on PyTorch's.  Every timed step ends with a device synchronize on both sides.

Run on a GPU machine (bench/gpu_check.sh does):  python bench/bench_gpu.py [--reps N]
Prints the median time of each side and the ratio (ours / PyTorch CUDA); the goal is <= 1.2x.
``--dry-run`` runs the same code without a GPU (our Cuda types under PYTORCH_LITE_CUDA=cpu, PyTorch
on the CPU), to check the script itself; its times mean nothing.  ``--fake`` does the same over
tests/fake_cupy.py, the strict stand-in for CuPy, so a host array meeting a device one fails as it
would on the GPU (also no GPU, times meaningless).
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_nn as B  # noqa: E402  (the CPU workloads: the same models and data)

lt, nn = B.lt, B.nn
GOAL = 1.2
DEV = ["cuda"]   # PyTorch's device: 'cpu' in a dry run


def tsync(T):
    return T.cuda.synchronize if DEV[0] == "cuda" else (lambda: None)


def synced(f, sync):
    def run():
        f()
        sync()
    return run


def interleaved(fo, ft, reps):
    return B.interleaved(fo, ft, reps)


def compare(T, name, ours, theirs, crit_o, crit_t, x, y, reps, rows):
    """model:cuda() against PyTorch's model.cuda(): one training step (forward, criterion, backward)."""
    ours.cuda()
    theirs = theirs.to(DEV[0])
    xo = lt.from_numpy(x).cuda()
    yo = None if y is None else lt.from_numpy(y.astype(np.int64)).cuda()
    xt = T.from_numpy(x).to(DEV[0])
    yt = None if y is None else T.from_numpy(y).to(DEV[0])
    if crit_o is not None:
        crit_o.cuda()
    ours.modules[0].gradInput = None      # no gradient w.r.t. the input, as PyTorch's input
    fo = synced(B.step_ours(ours, crit_o, xo, yo), lt.cuda.synchronize)
    ft = synced(B.step_torch(T, theirs, crit_t, xt, yt), tsync(T))
    fo()
    with T.no_grad():
        err = float(np.abs(ours.output.float().numpy() - theirs(xt).cpu().numpy()).max())
    to, tt = interleaved(fo, ft, reps)
    rows.append((name, to, tt, err))


def lstm_gpu(T, rng):
    """char-rnn's cell, 20 clones forward+backward on the device, against the same cell under
    PyTorch CUDA autograd (bench_nn.lstm_steps with everything moved to the GPU)."""
    V, H, L, Bt, S = B.LSTM_V, B.LSTM_H, B.LSTM_L, B.LSTM_B, B.LSTM_T
    proto, linears = B.lstm_cell_ours()
    proto.cuda()
    params, grads = proto.getParameters()
    clones = [proto.clone("weight", "bias", "gradWeight", "gradBias") for _ in range(S)]
    crit = nn.ClassNLLCriterion().cuda()
    labels = [rng.randint(0, V, Bt) for _ in range(S)]
    xs = [np.eye(V, dtype=np.float32)[rng.randint(0, V, Bt)] for _ in range(S)]
    xo = [lt.from_numpy(x).cuda() for x in xs]
    yo = [lt.from_numpy(y.astype(np.int64)).cuda() for y in labels]
    zero = lt.CudaTensor(Bt, H).zero()
    res = {}

    def ours():
        loss = B.lstm_train_step(clones, grads, crit, xo, yo, zero, L)
        lt.cuda.synchronize()
        res["ours"] = loss

    W = [(T.from_numpy(m.weight.float().numpy().copy()).to(DEV[0]).requires_grad_(),
          T.from_numpy(m.bias.float().numpy().copy()).to(DEV[0]).requires_grad_()) for m in linears]
    xt = [T.from_numpy(x).to(DEV[0]) for x in xs]
    yt = [T.from_numpy(y.astype(np.int64)).to(DEV[0]) for y in labels]
    tzero = T.zeros(Bt, H, device=DEV[0])

    def theirs():
        for w, b in W:
            w.grad = None
            b.grad = None
        loss = B.torch_lstm_loss(T, W, xt, yt, tzero, Bt, H, L, S)
        loss.backward()
        tsync(T)()
        res["theirs"] = float(loss.detach())

    return ours, theirs, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--dry-run", action="store_true", help="no GPU: check the script on the CPU")
    ap.add_argument("--fake", action="store_true", help="no GPU: check it over the strict stand-in for CuPy")
    args = ap.parse_args()
    import torch as T
    if args.fake:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
        import fake_cupy
        os.environ.pop("PYTORCH_LITE_CUDA", None)
        DEV[0] = "cpu"
        with fake_cupy.installed():
            return run(T, args, "fake CuPy (no GPU: times mean nothing)")
    if args.dry_run:
        os.environ["PYTORCH_LITE_CUDA"] = "cpu"
        DEV[0] = "cpu"
    elif not T.cuda.is_available():
        sys.exit("bench_gpu: PyTorch sees no CUDA device (torch %s, built for CUDA %s)" % (T.__version__, T.version.cuda))
    elif lt.cuda.getDeviceCount() < 1 or lt.cuda.cpu_mode():
        sys.exit("bench_gpu: pytorch_lite sees no CUDA device (CuPy installed? PYTORCH_LITE_CUDA unset?)")
    return run(T, args, "dry run (no GPU: times mean nothing)" if args.dry_run else "")


def run(T, args, what):
    T.backends.cudnn.benchmark = True
    print(what, "device:", lt.cuda.getDeviceProperties(0)["name"], "| torch", T.__version__, "CUDA", T.version.cuda)
    rng = np.random.RandomState(0)
    lt.manualSeed(1)
    rows = []
    xc = rng.standard_normal((64, 3, 32, 32)).astype(np.float32)
    conv = B.convnet_ours()
    compare(T, "convnet 64x3x32x32", conv, B.convnet_torch(T, conv), None, None, xc, None, args.reps, rows)
    xm = rng.standard_normal((128, 784)).astype(np.float32)
    labels = rng.randint(0, 10, 128)
    mlp = B.mlp_ours()
    compare(T, "mlp b128 CE", mlp, B.mlp_torch(T, mlp), nn.CrossEntropyCriterion(), T.nn.CrossEntropyLoss(),
            xm, labels, args.reps, rows)
    xv = rng.standard_normal((32, 3, 64, 64)).astype(np.float32)
    lv = rng.randint(0, 10, 32)
    vgg = B.vgg_ours()
    compare(T, "vgg_bn b32 3x64x64 CE", vgg, B.vgg_torch(T, vgg), nn.CrossEntropyCriterion(),
            T.nn.CrossEntropyLoss(), xv, lv, args.reps, rows)
    fo, ft, res = lstm_gpu(T, rng)
    fo()
    ft()
    to, tt = interleaved(fo, ft, args.reps)
    rows.append(("lstm 2x128 b16 20 steps", to, tt, abs(res["ours"] - res["theirs"])))

    print("%-28s %9s %9s %7s %7s %6s  %s" % ("GPU training step", "ours ms", "torch ms", "ratio", "r-min",
                                             "goal", "max|out diff|"))
    for name, to, tt, err in rows:
        print("%-28s %9.3f %9.3f %7.2f %7.2f %6.1f  %.2e" % (name, np.median(to) * 1e3, np.median(tt) * 1e3,
                                                          np.median(to) / np.median(tt), to.min() / tt.min(),
                                                          GOAL, err))


if __name__ == "__main__":
    main()
