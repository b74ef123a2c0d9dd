"""The main demo: Torch7 code in Python, from tensors to a trained, saved and converted model,
and legacy Lua Torch7 code running unmodified on the same library."""
import os
import tempfile

import pytorch_lite as torch
from pytorch_lite import nn, optim

# -- tensors: Torch7's semantics, 0-based in Python ------------------------------------------------
x = torch.Tensor(2, 3).fill(1)
y = torch.Tensor([[1, 2, 3], [4, 5, 6]])
x.add(y)                      # in place, returns x: Torch7's rule
z = torch.add(x, 10)          # a new tensor
print(z)
print("column 1 is a view:", z[:, 1].storage() is z.storage(), "max of row 0:", z[0].max())

# -- nn + optim: a seeded Torch7 training loop ------------------------------------------------------
torch.manualSeed(1)                       # THRandom-exact: same weights as Torch7 with this seed
X = torch.randn(200, 2)
labels = X.select(1, 0).gt(X.select(1, 1)).long()          # class 1 above the diagonal, 0 below
model = nn.Sequential().add(nn.Linear(2, 16)).add(nn.Tanh()).add(nn.Linear(16, 2)).add(nn.LogSoftMax())
criterion = nn.ClassNLLCriterion()
params, grads = model.getParameters()
print(model)


def feval(p):
    grads.zero()
    out = model.forward(X)
    loss = criterion.forward(out, labels)
    model.backward(X, criterion.backward(out, labels))
    return loss, grads


config = {"learningRate": 0.05}
for step in range(200):
    _, (loss,) = optim.adam(feval, params, config)
confusion = optim.ConfusionMatrix(2)
confusion.batchAdd(model.forward(X), labels)
confusion.updateValids()
print("loss %.4f, training accuracy %.1f%%" % (loss, confusion.totalValid * 100))

# -- t7: save a checkpoint Torch7 can load, and convert it -------------------------------------------
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "model.t7")
    torch.save(path, model.clearState())     # drop the forward buffers, as Torch7's clearState
    back = torch.load(path)
    same = back.forward(X).equal(model.forward(X))
    print("reloaded from t7 (%d bytes), same outputs: %s" % (os.path.getsize(path), same))
    try:
        from pytorch_lite.converters import convert
        for target in ("model.onnx", "model.safetensors"):
            report = convert(path, os.path.join(d, target), input_shape="4x2")
            print("converted to %s, checked: max relative difference %.1e" % (target, report["max_error"]))
    except ImportError as e:  # the converters' optional extras are not installed
        print("converter skipped:", e)

# -- legacy Lua: an unmodified Torch7 script, and a model defined in Lua trained from Python -------
try:
    import lua_compat
except ImportError as e:  # lupa (the 'lua' extra) is not installed
    print("Lua bridge skipped:", e)
else:
    here = os.path.dirname(os.path.abspath(__file__))
    print("$ pytorch-lite run examples/train.lua -epochs 5")
    lua_compat.run_file(os.path.join(here, "train.lua"), ["-epochs", "5"])
    lua_model = lua_compat.load_model(os.path.join(here, "mlp_model.lua"), 2, 8, 2)
    lp, lg = lua_model.getParameters()

    def lua_feval(p):
        lg.zero()
        out = lua_model.forward(X)
        loss = criterion.forward(out, labels)
        lua_model.backward(X, criterion.backward(out, labels))
        return loss, lg

    for step in range(100):
        _, (loss,) = optim.adam(lua_feval, lp, {"learningRate": 0.05})
    print("Lua-defined model (with a torch.class layer) trained from Python: loss %.4f" % loss)
