"""require 'cutorch', 'cunn', 'cudnn' from Lua: with no device (the requires fail as Torch7's do
without a GPU, so scripts probing pcall(require, 'cunn') take their CPU path; Cuda types raise one
clear error), and with the Cuda types computing on the CPU (PYTORCH_LITE_CUDA=cpu): a cudnn
script's numbers equal the float model's, checkpoints reload as Cuda tensors."""
import pytest

import cuda_host
import pytorch_lite as torch
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
    # cudnn's classes carry cudnn's names (subclasses of nn's where the forward is nn's);
    # groups must divide both plane counts, as cudnn asserts
    monkeypatch.setenv(device.ENV, "cpu")
    got = Runtime().execute("""
        require 'cudnn'
        local ok, err = pcall(cudnn.convert, nn.Sequential(), {})
        local ok2, err2 = pcall(cudnn.SpatialConvolution, 3, 4, 3, 3, 1, 1, 0, 0, 2)
        return ok, tostring(err):match('nn or cudnn') ~= nil, ok2, tostring(err2):match('groups') ~= nil,
               torch.type(cudnn.SpatialConvolution(3, 4, 3, 3)), cudnn.ReLU == nn.ReLU,
               torch.isTypeOf(cudnn.ReLU(), 'nn.ReLU'), torch.type(cudnn.ReLU())""")
    assert got == (False, True, False, True, "cudnn.SpatialConvolution", False, True, "cudnn.ReLU")


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


def test_cuda_index_ops_take_an_index_of_their_own_type(cuda_types):
    # cutorch's index/indexCopy/indexAdd/indexFill/gather/scatter take a CudaLongTensor, a host
    # LongTensor, or a tensor of the op's own Cuda type (converted; not a byte or char one for the
    # slice-indexing ops); from Lua all of them are 1-based
    got = Runtime().execute("""
        require 'cutorch'
        local x = torch.CudaTensor{{1, 2, 3}, {4, 5, 6}}
        local a = x:index(2, torch.CudaTensor{3, 1})
        local b = x:index(1, torch.LongTensor{2})
        local c = x:index(1, torch.CudaLongTensor{2, 2})
        local g = x:gather(2, torch.CudaTensor{{2}, {3}})
        local s = torch.CudaTensor(2, 3):zero():scatter(2, torch.CudaTensor{{1}, {2}}, 7)
        local ic = torch.CudaTensor(2, 3):zero():indexCopy(1, torch.CudaTensor{2, 1}, x)
        local ia = torch.CudaDoubleTensor(2, 3):fill(1):indexAdd(2, torch.CudaDoubleTensor{3, 3}, torch.CudaDoubleTensor(2, 2):fill(2))
        local f = torch.CudaIntTensor(2, 3):zero():indexFill(2, torch.CudaIntTensor{2}, 9)
        local gb = torch.CudaByteTensor{{1, 2}, {3, 4}}:gather(2, torch.CudaByteTensor{{2}, {1}})
        return a:float():totable(), b:float():totable(), c:float():totable(), g:float():totable(),
               s:float():totable(), ic:float():totable(), ia:double():totable(), f:int():totable(),
               gb:byte():totable(), torch.type(a)""")
    py = [_lists(v) for v in got[:9]]
    assert py == [[[3, 1], [6, 4]], [[4, 5, 6]], [[4, 5, 6], [4, 5, 6]], [[2], [6]],
                  [[7, 0, 0], [0, 7, 0]], [[4, 5, 6], [1, 2, 3]], [[1, 1, 5], [1, 1, 5]],
                  [[0, 9, 0], [0, 9, 0]], [[2], [3]]]
    assert got[9] == "torch.CudaTensor"
    # from Python (0-based): a byte index cannot address slices, as in cutorch
    with pytest.raises(torch.TorchTypeError, match="not allowed"):
        torch.CudaByteTensor(2, 3).index(0, torch.CudaByteTensor([0]))
    assert torch.CudaTensor([[1, 2], [3, 4]]).index(1, torch.CudaTensor([1])).tolist() == [[2], [4]]


def _lists(t):
    """A Lua table of tables (totable()) as nested Python lists."""
    if hasattr(t, "values"):
        return [_lists(v) for v in t.values()]
    return t


def test_cutorch_generators_are_apart_from_the_cpu_one(cuda_types):
    # cutorch draws from its own generator per device: torch.manualSeed leaves it alone,
    # cutorch.seed() returns a seed that repeats the stream, getRNGState/setRNGState restore it;
    # it is THRandom's Mersenne Twister, so one seed gives the CPU's numbers
    got = Runtime().execute("""
        require 'cutorch'
        cutorch.manualSeed(5)
        torch.manualSeed(99)
        local a = torch.CudaTensor(4):uniform()
        torch.manualSeed(5)
        local b = torch.FloatTensor(4):uniform()
        local s = cutorch.seed()
        local d = torch.CudaDoubleTensor(3):normal()
        cutorch.manualSeed(s)
        local e = torch.CudaDoubleTensor(3):normal()
        local st = cutorch.getRNGState()
        local f = torch.CudaTensor(3):uniform()
        cutorch.manualSeed(s + 1)
        cutorch.setRNGState(st)
        local g = torch.CudaTensor(3):uniform()
        cutorch.manualSeedAll(3)
        local h = torch.CudaTensor(2):bernoulli(0.5)
        cutorch.manualSeedAll(3)
        local k = torch.CudaTensor(2):bernoulli(0.5)
        return (a:float() - b):abs():max(), (d - e):abs():max(), (f - g):abs():max(), (h - k):abs():max(),
               s == math.floor(s) and s >= 0 and s < 2^53, torch.type(st), cutorch.initialSeed()""")
    assert got == (0, 0, 0, 0, True, "torch.ByteTensor", 3)


def test_cuda_geometric_counts_trials_to_a_success_as_cutorch(cuda_types):
    # cutorch: the number of trials up to the first success of probability p (mean 1/p);
    # TH on the CPU: up to the first failure (mean 1/(1-p))
    got = Runtime().execute("""
        require 'cutorch'
        cutorch.manualSeed(1)
        torch.manualSeed(1)
        local c = torch.CudaTensor(40000):geometric(0.8)
        local f = torch.FloatTensor(40000):geometric(0.8)
        return c:mean(), f:mean(), c:min()""")
    assert abs(got[0] - 1.25) < 0.02 and abs(got[1] - 5) < 0.1 and got[2] == 1


def test_alias_tables_are_zero_based_on_the_cuda_types(cuda_types):
    # cutorch keeps the alias table J 0-based; Torch7's CPU one is 1-based; the draws are 1-based
    got = Runtime().execute("""
        require 'cutorch'
        local probs = {0.1, 0.5, 0.05, 0.35}
        local sc = torch.multinomialAliasSetup(torch.CudaTensor(probs))
        local sf = torch.multinomialAliasSetup(torch.FloatTensor(probs))
        local out = torch.CudaLongTensor(2000)
        torch.multinomialAlias(out, sc)
        local outf = torch.LongTensor(2000)
        torch.multinomialAlias(outf, sf)
        return torch.type(sc[1]), sc[1]:min(), sc[1]:max(), sf[1]:min(), sf[1]:max(),
               (sc[1]:long() + 1 - sf[1]):abs():max(), out:min(), out:max(), outf:min(), outf:max()""")
    assert got[0] == "torch.CudaLongTensor"
    assert got[1] >= 0 and got[2] <= 3 and got[3] >= 1 and got[4] <= 4 and got[5] == 0
    assert got[6:] == (1, 4, 1, 4)


def test_streams_events_and_host_tensors(cuda_types):
    # one queue per device: waits and barriers hold by construction; the stream numbers are
    # checked and reported as cutorch's; pinned host tensors are host tensors
    got = Runtime().execute("""
        require 'cutorch'
        cutorch.reserveStreams(3)
        cutorch.setStream(2)
        local cur, n = cutorch.getStream(), cutorch.getNumStreams()
        cutorch.streamWaitFor(2, {1, 3})
        cutorch.streamBarrier({1, 2, 3})
        local ev = cutorch.Event()
        ev:waitOn()
        cutorch.streamSynchronize(cutorch.getStream())
        local ok, err = pcall(cutorch.setStream, 4)
        cutorch.setStream(0)
        local h = cutorch.createCudaHostTensor(3, 4)
        local h2 = cutorch.createCudaHostDoubleTensor(torch.LongStorage{2, 5})
        local h3 = cutorch.createCudaHostTensor({6})
        local h0 = cutorch.createCudaHostTensor()
        h:uniform()
        local d = torch.CudaTensor(3, 4)
        d:copyAsync(h)
        local back = torch.FloatTensor(3, 4)
        back:copyAsync(d)
        local e = torch.Tensor():cuda()
        cutorch.reserveBlasHandles(2)
        cutorch.setBlasHandle(2)
        local okb = pcall(cutorch.setBlasHandle, 3)
        cutorch.setHeapTracking(true)
        cutorch.deviceReset()
        local blas = {cutorch.getBlasHandle(), cutorch.getNumBlasHandles(), okb,
                      cutorch.hasFastHalfInstructions(), cutorch.isCachingAllocatorEnabled(),
                      cutorch.getRuntimeVersion() >= 0}
        return cur, n, ok, tostring(err):match('invalid stream') ~= nil, torch.type(h), h:size(2),
               torch.type(h2), h2:size(2), h3:size(1), h0:storage() ~= nil, h0:nElement(),
               (back - h):abs():max(), e:getDevice(), d:getDevice(), d:storage():getDevice(), torch.type(ev),
               unpack(blas)""")
    # fast fp16 is cutorch's P100 test (capability 6.0 exactly); CuPy's pool is the caching allocator
    assert got == (2, 3, False, True, "torch.FloatTensor", 4, "torch.DoubleTensor", 5, 6, True, 0,
                   0, 0, 1, 1, "cutorch.Event", 2, 2, False, False, cuda_types == "fake", True)


def test_half_tensors_draw_sort_and_select_as_cutorch(cuda_types):
    # cutorch.hasHalf: CudaHalfTensor draws (in float, rounded to half), sorts and selects
    got = Runtime().execute("""
        require 'cutorch'
        cutorch.manualSeed(4)
        local h = torch.CudaHalfTensor(6):uniform(-2, 2)
        cutorch.manualSeed(4)
        local f = torch.CudaTensor(6):uniform(-2, 2)
        local n = torch.CudaHalfTensor(1000):normal(3, 0.5)
        local x = torch.CudaHalfTensor{0.5, -1.25, 3, 2, -0.75}
        local sv, si = x:sort(1, true)
        local tv, ti = x:topk(2, 1, false, true)
        return cutorch.hasHalf, cutorch.hasHalfInstructions(), (h:float() - f:half():float()):abs():max(),
               math.abs(n:float():mean() - 3) < 0.1, torch.type(sv), sv:float():totable(),
               si:long():totable(), tv:float():totable(), ti:long():totable()""")
    # fp16 instructions from compute capability 5.3 (the stand-in CuPy reports a 9.0 device)
    assert got[:4] == (True, cuda_types == "fake", 0, True) and got[4] == "torch.CudaHalfTensor"
    assert [_lists(v) for v in got[5:]] == [[3, 2, 0.5, -0.75, -1.25], [3, 4, 1, 5, 2], [-1.25, -0.75], [2, 5]]


def test_integer_range_reads_its_step_as_a_long(monkeypatch):
    # TH's range takes accreal bounds and step (a C long for the integer types): a negative
    # step on a ByteTensor counts down
    monkeypatch.setenv(device.ENV, "cpu")
    got = Runtime().execute("""
        require 'cutorch'
        return torch.ByteTensor():range(10, 4, -3):totable(), torch.CudaByteTensor():range(9, 1, -4):byte():totable()""")
    assert [_lists(v) for v in got] == [[10, 7, 4], [9, 5, 1]]


def test_memory_file_clones_keep_cuda_tensors(cuda_types):
    # char-rnn's clone_many_times copies a Cuda model through a MemoryFile and :set()s the clone's
    # parameters to the original's: once cutorch is loaded, readObject keeps Cuda tensors as
    # torch.load does (they used to come back as FloatTensors, and set() refused them)
    got = Runtime().execute("""
        require 'cunn'
        local net = nn.Linear(3, 2):cuda()
        local mem = torch.MemoryFile('w'):binary()
        mem:writeObject(net)
        local reader = torch.MemoryFile(mem:storage(), 'r'):binary()
        local clone = reader:readObject()
        reader:close()
        clone.weight:set(net.weight)
        net.weight:fill(0.5)
        local y = clone:forward(torch.CudaTensor{1, 2, 3})
        return torch.type(clone.weight), torch.type(clone.bias), clone.weight[1][1],
               (y:float() - (net.bias:float() + 3)):abs():max()""")
    assert got == ("torch.CudaTensor", "torch.CudaTensor", 0.5, 0)
