"""`require 'torchmpi'`, 'torchmpi.nn' and 'distlearn' in 2-rank jobs of `pytorch-lite run`, and both
examples: one process and two ranks print the same checksum (Python and Lua alike)."""
import os
import re
import sys

import numpy as np
import pytest

import distlearn_reference
from distributed_harness import ROOT, mpirun
from distributed_worker import inputs

# every rank writes "name v1 v2 ..." lines to $OUT/rank<r>.txt
LUA_COMMON = r"""
local mpi = require 'torchmpi'
local mpinn = require 'torchmpi.nn'
mpi.start()
local r = mpi.rank()
local f = assert(io.open(os.getenv('OUT') .. '/rank' .. r .. '.txt', 'w'))
local function out(name, t)
   local vals = {}
   if torch.isTensor(t) then
      local flat = t:clone():resize(t:nElement())
      for i = 1, flat:nElement() do vals[i] = string.format('%.17g', flat[i]) end
   else
      for i, v in ipairs(t) do vals[i] = string.format('%.17g', v) end
   end
   f:write(name, ' ', table.concat(vals, ' '), '\n')
   f:flush()
end
local function inputs(rank, n)
   local t = torch.DoubleTensor(n)
   for i = 1, n do t[i] = ((i - 1) * 3 + 7 * rank + 1) % 23 - 5 end
   return t
end
"""

LUA_COLLECTIVES = LUA_COMMON + r"""
require 'nn'
out('rank_size', {mpi.rank(), mpi.size()})
for _, tn in ipairs({'torch.FloatTensor', 'torch.DoubleTensor', 'torch.LongTensor'}) do
   local base = inputs(r, 12):type(tn)
   local x = base:clone():resize(4, 3)
   mpi.allreduceTensor(x)
   out(tn .. '_allreduce', x)
   local y = base:clone():resize(3, 4):t()           -- not contiguous
   mpi.broadcastTensor(1, y)
   out(tn .. '_broadcast', y)
   local z = base:clone()
   mpi.reduceTensor(0, z)
   out(tn .. '_reduce', z)
   local g = torch.Tensor():type(tn)
   mpi.allgatherTensor(base, g)
   out(tn .. '_allgather', g)
end
out('scalars', {mpi.allreduce_double(r + 0.5), mpi.allreduce_long(r + 1)})
torch.manualSeed(10 + r)
local net = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh()):add(nn.Linear(2, 2))
local ok = pcall(mpinn.checkWithAllreduce, net)
out('check_before', {ok and 1 or 0})
mpinn.synchronizeParameters(net)
mpinn.checkWithAllreduce(net)
local p, g = net:getParameters()
out('params', p)
g:copy(inputs(r, g:nElement()))
mpinn.synchronizeGradients(net)
out('grads', g)
mpi.barrier()
mpi.stop()
"""

# the same on the Cuda types (cutorch/cunn under PYTORCH_LITE_CUDA=cpu: numpy arrays through MPI)
CUDA_OF = {"torch.FloatTensor": "torch.CudaTensor", "torch.DoubleTensor": "torch.CudaDoubleTensor",
           "torch.LongTensor": "torch.CudaLongTensor"}
LUA_CUDA_COLLECTIVES = "require 'cutorch'\nrequire 'cunn'\n" + LUA_COLLECTIVES
for _cpu, _cuda in CUDA_OF.items():
    LUA_CUDA_COLLECTIVES = LUA_CUDA_COLLECTIVES.replace("'%s'" % _cpu, "'%s'" % _cuda)
LUA_CUDA_COLLECTIVES = LUA_CUDA_COLLECTIVES.replace("mpi.start()", "mpi.start(true)").replace(
    "local net = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh()):add(nn.Linear(2, 2))",
    "local net = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh()):add(nn.Linear(2, 2)):cuda()").replace(
    "out('params', p)",
    "out('params', p)\nout('cuda', {mpi.withCuda and 1 or 0, mpi.hasNCCL and 1 or 0, "
    "torch.type(p) == 'torch.CudaTensor' and 1 or 0})")
assert "{'torch.CudaTensor', 'torch.CudaDoubleTensor', 'torch.CudaLongTensor'}" in LUA_CUDA_COLLECTIVES and ":cuda()" in LUA_CUDA_COLLECTIVES

LUA_DISTLEARN = LUA_COMMON + r"""
local steps = {}
for s in os.getenv('DIST_STEPS'):gmatch('%d+') do steps[#steps + 1] = tonumber(s) end
local sgd = require 'distlearn.AllReduceSGD'(nil)
local params, grads = {inputs(r, 7):mul(0.5)}, {torch.DoubleTensor(7)}
sgd.synchronizeParameters(params)
for epoch = 0, 1 do
   local n = steps[r + 2 * epoch + 1]
   for step = 1, n do
      grads[1]:fill((r + 1) * step / n)
      sgd.sumAndNormalizeGradients(grads)
      params[1]:add(grads[1])
   end
   sgd.synchronizeParameters(params)
   out('sgd' .. epoch, params[1])
end
local distlearn = require 'distlearn'
local ea = distlearn.AllReduceEA(distlearn.tree(), 2, 0.3)
local p = {b = torch.DoubleTensor({1, -1}), a = inputs(r, 3)}
ea.synchronizeParameters(p)
for epoch = 0, 1 do
   for step = 1, steps[r + 2 * epoch + 1] do
      for _, k in ipairs({'a', 'b'}) do p[k]:add(-0.25, p[k]:clone():add(-(r + 1) * 2)) end
      ea.averageParameters(p)
   end
   ea.synchronizeCenter(p)
   out('ea' .. epoch, torch.cat(p.a, p.b))
end
ea.synchronizeParameters(p)
out('ea2', torch.cat(p.a, p.b))
-- the tree itself: a finished rank contributes zeros until the other is done
local tree = distlearn.tree()
local v = torch.DoubleTensor({r + 1})
local _, n = tree.allReduce(v, function(a, b) return a:add(b) end)
out('tree', {tree.nodeIndex, tree.numNodes, v[1], n})
mpi.stop()
"""


def lua_job(code, tmp_path, env=None):
    script = tmp_path / "job.lua"
    script.write_text(code)
    outdir = tmp_path / "out"
    outdir.mkdir()
    job = mpirun(["-m", "pytorch_lite.cli", "run", str(script)], env=dict(env or {}, OUT=str(outdir)))
    assert job.rc == 0, str(job)
    res = {}
    for r in (0, 1):
        res[r] = {}
        for line in (outdir / ("rank%d.txt" % r)).read_text().splitlines():
            name, *vals = line.split(" ")
            res[r][name] = np.array([float(v) for v in vals if v])
    return res


@pytest.mark.parametrize("cuda", [False, True], ids=["cpu", "cuda-on-cpu"])
def test_lua_collectives_and_mpinn(tmp_path, cuda):
    if cuda:
        res = lua_job(LUA_CUDA_COLLECTIVES, tmp_path, env={"PYTORCH_LITE_CUDA": "cpu"})
    else:
        res = lua_job(LUA_COLLECTIVES, tmp_path)
    a, b = inputs(0, 12).astype(float), inputs(1, 12).astype(float)
    for r in (0, 1):
        got = res[r]
        assert got["rank_size"].tolist() == [r, 2]
        if cuda:   # mpi.start(true) accepted, no NCCL (MPI carries them), the model moved with :cuda()
            assert got["cuda"].tolist() == [1.0, 0.0, 1.0]
        for tn in (CUDA_OF if not cuda else CUDA_OF.values()):
            np.testing.assert_array_equal(got[tn + "_allreduce"], a + b)
            np.testing.assert_array_equal(got[tn + "_broadcast"], b.reshape(3, 4).T.ravel())   # rank 1's view
            np.testing.assert_array_equal(got[tn + "_reduce"], a + b if r == 0 else b)
            np.testing.assert_array_equal(got[tn + "_allgather"], np.concatenate([a, b]))
        assert got["scalars"].tolist() == [2.0, 3.0]
        assert got["check_before"].tolist() == [0.0]        # different seeds: the check fails before the sync
        np.testing.assert_array_equal(got["params"], res[0]["params"])
        n = got["grads"].size
        np.testing.assert_array_equal(got["grads"], inputs(0, n) + inputs(1, n))   # TorchMPI sums


@pytest.mark.parametrize("steps", [(3, 5, 6, 1)])
def test_lua_distlearn_against_simulation(tmp_path, steps):
    res = lua_job(LUA_DISTLEARN, tmp_path, env={"DIST_STEPS": ",".join(map(str, steps))})
    sgd, ea = distlearn_reference.sgd(steps), distlearn_reference.ea(steps)
    for r in (0, 1):
        for epoch in (0, 1):
            np.testing.assert_allclose(res[r]["sgd%d" % epoch], sgd[r][epoch], rtol=1e-12, atol=1e-12)
        for i in (0, 1, 2):
            np.testing.assert_allclose(res[r]["ea%d" % i], ea[r][i]["a"] + ea[r][i]["b"], rtol=1e-12, atol=1e-12)
        assert res[r]["tree"].tolist() == [r + 1, 2, 3.0, 2.0]


# -- the examples ---------------------------------------------------------------------------------
def _checksum(text):
    found = re.findall(r"^checksum (-?\d+\.\d{6})\s*$", text, re.M)
    assert len(found) == 1, text                        # printed by rank 0 only
    return found[0]


def _run_one(args):
    import subprocess
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return _checksum(p.stdout)


@pytest.mark.parametrize("args", [["examples/distributed_mlp.py"],
                                  ["-m", "pytorch_lite.cli", "run", "examples/distributed_mlp.lua"]],
                         ids=["python", "lua"])
def test_example_one_process_and_two_ranks_agree(args):
    one = _run_one(args)
    job = mpirun(args, timeout=120)
    assert job.rc == 0, str(job)
    assert _checksum(job.out) == one


def test_python_and_lua_examples_train_the_same_model():
    assert _run_one(["examples/distributed_mlp.py"]) == \
        _run_one(["-m", "pytorch_lite.cli", "run", "examples/distributed_mlp.lua"])


# -- one process, in this interpreter: the Lua packages' errors --------------------------------------
def test_lua_packages_in_one_process():
    from lua_compat import Runtime
    from lua_compat.runtime import LuaScriptError
    from pytorch_lite import distributed as dist
    rt = Runtime()
    try:
        assert rt.execute("local mpi = require 'torchmpi'; mpi.start(); "
                          "local x = torch.LongTensor({1, 2}); mpi.allreduceTensor(x); "
                          "return mpi.rank(), mpi.size(), x:sum(), require('distlearn').tree().nodeIndex") == (0, 1, 3, 1)
        with pytest.raises(LuaScriptError, match="mpi.start\\(true\\): Cuda tensors on a GPU need NCCL"):
            rt.execute("require('torchmpi').start(true)")
        with pytest.raises(LuaScriptError, match="the tree must be distlearn.tree\\(\\)"):
            rt.execute("require('distlearn.AllReduceSGD')({nodeIndex = 1, numNodes = 1})")
        with pytest.raises(LuaScriptError, match="expected a tensor or a table of tensors, got a string"):
            rt.execute("require('distlearn.AllReduceSGD')().sumGradients({'x'})")
    finally:
        dist.finalize()
