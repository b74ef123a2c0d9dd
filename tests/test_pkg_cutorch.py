"""require 'cutorch', 'cunn', 'cudnn' from Lua: with no device (the requires fail as Torch7's do
without a GPU, so scripts probing pcall(require, 'cunn') take their CPU path; Cuda types raise one
clear error), and with the Cuda types computing on the CPU (PYTORCH_LITE_CUDA=cpu): a cudnn
script's numbers equal the float model's, checkpoints reload as Cuda tensors."""
import pytest

import cuda_host
import fake_cupy
from lua_compat.runtime import Runtime
from pytorch_lite.cuda import device

HAS_GPU = device._probe()[0] is not None


@pytest.fixture(params=["cpu", "fake"])
def cuda_types(request, monkeypatch):
    """'cpu': PYTORCH_LITE_CUDA=cpu; 'fake': the GPU code paths over the strict stand-in CuPy
    (tests/fake_cupy.py), whose device arrays refuse host ones as CuPy's do."""
    if request.param == "cpu":
        monkeypatch.setenv(device.ENV, "cpu")
        yield "cpu"
    else:
        if cuda_host.CXX is None:
            pytest.skip("no host C++ compiler to run the kernel sources")
        monkeypatch.delenv(device.ENV, raising=False)
        with fake_cupy.installed():
            yield "fake"


@pytest.mark.skipif(HAS_GPU, reason="this machine has a CUDA device")
def test_requires_without_a_device(monkeypatch):
    monkeypatch.delenv(device.ENV, raising=False)
    got = Runtime().execute("""
        require 'nn'
        local results = {}
        for _, name in ipairs({'cutorch', 'cunn', 'cudnn'}) do
           local ok, err = pcall(require, name)
           results[#results + 1] = ok
           results[#results + 1] = tostring(err)
        end
        -- char-rnn's probe: both fail, so it falls back on the CPU
        local ok_cunn = pcall(require, 'cunn')
        local ok, err = pcall(function() return torch.FloatTensor(2):cuda() end)
        local ok2, err2 = pcall(function() return nn.Linear(2, 2):cuda() end)
        results[#results + 1] = ok_cunn
        results[#results + 1] = ok
        results[#results + 1] = tostring(err)
        results[#results + 1] = ok2
        results[#results + 1] = tostring(err2)
        results[#results + 1] = rawget(_G, 'cutorch') == nil
        return unpack(results)""")
    assert got[0] is False and got[2] is False and got[4] is False and got[6] is False
    for msg in (got[1], got[3], got[5]):
        assert msg.startswith("no CUDA device: ") and "PYTORCH_LITE_CUDA=cpu" in msg and "\n" not in msg
    assert got[7] is False and got[9] is False and got[11] is True
    for msg in (got[8], got[10]):
        assert "no CUDA device" in msg and "PYTORCH_LITE_CUDA=cpu" in msg


SCRIPT = r"""
require 'cudnn'
local path = ...
cutorch.setDevice(1)
cutorch.manualSeed(5)
torch.manualSeed(1)
local net = nn.Sequential():add(cudnn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)):add(cudnn.ReLU(true))
   :add(cudnn.SpatialMaxPooling(2, 2, 2, 2)):add(nn.View(4 * 2 * 2)):add(nn.Linear(16, 3))
   :add(cudnn.LogSoftMax())
cudnn.benchmark = true
cudnn.fastest = true
net = cudnn.convert(net, cudnn)
local x = torch.rand(2, 3, 4, 4)
local ref = net:clone():float()
local yf = ref:forward(x:float())
local lf = nn.ClassNLLCriterion():float():forward(yf, torch.LongTensor{1, 3})
net:cuda()
local crit = nn.ClassNLLCriterion():cuda()
local xc = x:cuda()
local y = net:forward(xc)
local target = torch.CudaLongTensor{1, 3}
local loss = crit:forward(y, target)
local gi = net:backward(xc, crit:backward(y, target))
cutorch.synchronize()
torch.save(path, net)
local back = torch.load(path)
local props = cutorch.getDeviceProperties(cutorch.getDevice())
local free, total = cutorch.getMemoryUsage(1)
local a, b = cutorch.withDevice(1, function() return 7, 8 end)
return torch.type(y), y:getDevice(), (y:float() - yf):abs():max(), loss - lf, torch.type(gi),
       torch.type(net:get(1).gradWeight), torch.type(back:get(1).weight),
       (back:forward(xc):float() - yf):abs():max(), type(props.name), free <= total, a + b,
       cutorch.getDeviceCount(), cutorch.getDevice(), torch.type(y:max(2)), select(2, y:max(2)):type()
"""


def test_cudnn_script_on_the_cuda_types(cuda_types, tmp_path):
    got = Runtime().execute(SCRIPT, str(tmp_path / "net.t7"))
    if cuda_types == "fake":   # the device kernels sum in another order than the CPU ones
        assert max(abs(got[2]), abs(got[3]), abs(got[7])) < 1e-5
        got = got[:2] + (0, 0) + got[4:7] + (0,) + got[8:]
    assert got == ("torch.CudaTensor", 1, 0, 0, "torch.CudaTensor", "torch.CudaTensor", "torch.CudaTensor",
                   0, "string", True, 15, 1, 1, "torch.CudaTensor", "torch.CudaLongTensor")


def test_cudnn_convert_checks_its_destination(monkeypatch):
    monkeypatch.setenv(device.ENV, "cpu")
    got = Runtime().execute("""
        require 'cudnn'
        local ok, err = pcall(cudnn.convert, nn.Sequential(), {})
        local ok2, err2 = pcall(cudnn.SpatialConvolution, 3, 4, 3, 3, 1, 1, 0, 0, 2)
        return ok, tostring(err):match('nn or cudnn') ~= nil, ok2, tostring(err2):match('groups') ~= nil,
               torch.type(cudnn.SpatialConvolution(3, 4, 3, 3)), cudnn.ReLU == nn.ReLU""")
    assert got == (False, True, False, True, "nn.SpatialConvolution", True)


def test_cuda_mask_and_index_tensors_index_cuda_tensors(cuda_types):
    # cutorch: torch.eq on a CudaTensor gives a CudaByteTensor, which x[mask] takes as a mask
    # (torch-rnn's TemporalCrossEntropyCriterion: target[torch.eq(target, 0)] = 1); a
    # CudaLongTensor index is 1-based from Lua as a LongTensor one
    got = Runtime().execute("""
        require 'cutorch'
        local t = torch.CudaTensor{0, 2, 0, 3}
        local mask = torch.eq(t, 0)
        t[mask] = 7
        local picked = t[torch.CudaLongTensor{4, 1}]
        local sel = t[torch.ne(t, 7)]
        return torch.type(mask), t[1], t[2], t[3], t[4], picked[1], picked[2], sel:size(1), sel[2]""")
    assert got == ("torch.CudaByteTensor", 7, 2, 7, 3, 3, 7, 2, 3)


TRAIN = r"""
-- char-rnn's GPU idioms: an nngraph RNN cell on one-hot inputs, getParameters, clones sharing
-- weights, optim.rmsprop, a checkpoint of the float copy (as train.lua saves protos); and a
-- LookupTable beside it (cloned, a Lua-made LookupTable would lose its 1-based input view)
require 'nngraph'
require 'optim'
local usecuda, path = ...
if usecuda then require 'cunn' end
torch.manualSeed(3)
local x = nn.Identity()()
local prev_h = nn.Identity()()
local sum = nn.CAddTable()({nn.Linear(11, 8)(x), nn.Linear(8, 8)(prev_h)})
local h = nn.Tanh()(sum)
local out = nn.LogSoftMax()(nn.Linear(8, 11)(h))
local proto = nn.gModule({x, prev_h}, {h, out})
local crit = nn.ClassNLLCriterion()
local lookup = nn.LookupTable(11, 4)
if usecuda then proto:cuda(); crit:cuda(); lookup:cuda() end
local params, grads = proto:getParameters()
local clones = {}
for t = 1, 3 do clones[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias') end
local idx = {torch.LongTensor{1, 5, 11}, torch.LongTensor{2, 2, 7}, torch.LongTensor{9, 4, 3}}
local targets = {torch.LongTensor{5, 11, 2}, torch.LongTensor{2, 7, 9}, torch.LongTensor{4, 3, 1}}
local inputs = {}
local h0 = torch.zeros(3, 8)
for t = 1, 3 do inputs[t] = torch.zeros(3, 11):scatter(2, idx[t]:view(3, 1), 1) end
if usecuda then
   h0 = h0:cuda()
   for t = 1, 3 do inputs[t] = inputs[t]:cuda(); targets[t] = targets[t]:cuda(); idx[t] = idx[t]:cuda() end
end
local function feval(p)
   if p ~= params then params:copy(p) end
   grads:zero()
   local hs, outs, loss = {[0] = h0}, {}, 0
   for t = 1, 3 do
      local o = clones[t]:forward({inputs[t], hs[t - 1]})
      hs[t] = o[1]:clone()
      outs[t] = o[2]
      loss = loss + crit:forward(outs[t], targets[t])
   end
   local dh = h0:clone():zero()
   for t = 3, 1, -1 do
      local dout = crit:backward(outs[t], targets[t])
      dh = clones[t]:backward({inputs[t], hs[t - 1]}, {dh, dout})[2]:clone()
   end
   grads:clamp(-5, 5)
   return loss / 3, grads
end
local losses = {}
local state = {learningRate = 0.05, alpha = 0.95}
for i = 1, 4 do
   local _, l = optim.rmsprop(feval, params, state)
   losses[i] = l[1]
end
lookup:zeroGradParameters()
for t = 1, 3 do
   local e = lookup:forward(idx[t])
   lookup:backward(idx[t], e:clone():fill(t))
end
local float_proto = proto:clone():float()
torch.save(path, {protos = float_proto, params = params})
local back = torch.load(path)
return losses[1], losses[4], torch.type(params), torch.type(back.params),
       torch.type(back.protos:parameters()[1]), params:float():sum(), lookup.gradWeight:float():sum(),
       lookup.gradWeight[11][1], torch.type(lookup.output)
"""


def test_a_char_rnn_style_training_loop_on_the_cuda_types(cuda_types, tmp_path):
    rt = Runtime()
    want = rt.execute(TRAIN, False, str(tmp_path / "cpu.t7"))
    got = Runtime().execute(TRAIN, True, str(tmp_path / "gpu.t7"))
    assert want[2] == "torch.DoubleTensor" and got[2] == got[3] == "torch.CudaTensor"
    assert got[4] == "torch.FloatTensor" and got[1] < got[0]
    # LookupTable, 1-based from Lua: row 11 got time steps 1's gradient once (4 columns of 1)
    assert got[7] == want[7] == 1 and got[6] == want[6] == 4 * 9 * 2 and got[8] == "torch.CudaTensor"
    for g, w in ((got[0], want[0]), (got[1], want[1]), (got[5], want[5])):
        assert abs(g - w) <= 1e-4 * max(1.0, abs(w)), (got, want)
