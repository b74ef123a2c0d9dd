"""require 'unsup' from Lua: the classes and functions under Torch7's names, 1-based connection
tables and datasets, Lua subclasses and Lua encoders inside unsup's modules, x:shrinkage,
optim.FistaLS with Lua closures, nn.hessian with nn.Diag, and t7 files written from Lua."""
import numpy as np
import pytest

from lua_compat.runtime import LuaScriptError, Runtime
from test_unsup import ista, lloyd


@pytest.fixture()
def rt():
    return Runtime()


def arr(t):
    return np.array(t._a, dtype=np.float64)


def test_require_provides_the_package_and_nn_diag(rt):
    got = rt.execute("""
        require 'nn'
        local before = nn.Diag
        local u = require 'unsup'
        local names = {}
        for _, n in ipairs({'UnsupModule', 'AutoEncoder', 'SparseAutoEncoder', 'FistaL1', 'LinearFistaL1',
                            'SpatialConvFistaL1', 'PSD', 'LinearPSD', 'ConvPSD', 'UnsupTrainer'}) do
           if type(unsup[n]) ~= 'table' then names[#names + 1] = n end
        end
        for _, n in ipairs({'kmeans', 'pca', 'pcacov', 'zca_whiten', 'zca_colour', 'zca_layer',
                            'inv_zca_layer', 'pca_whiten', 'pca_colour', 'pca_layer', 'inv_pca_layer'}) do
           if type(unsup[n]) ~= 'function' then names[#names + 1] = n end
        end
        local p = unsup.LinearPSD(4, 3, 0.1, 1)
        return before == nil, u == unsup, table.concat(names, ','), torch.type(nn.Diag(3)),
               torch.isTypeOf(p, 'unsup.PSD'), torch.isTypeOf(p, 'unsup.UnsupModule'),
               torch.isTypeOf(p, 'nn.Module'), torch.isTypeOf(p.decoder, 'unsup.FistaL1')""")
    assert got == (True, True, "", "nn.Diag", True, True, True, False)


def test_shrinkage_method_on_float_and_double_tensors(rt):
    got = rt.execute("""
        require 'unsup'
        local x = torch.Tensor({-2, -0.5, 0, 0.3, 1.5})
        local r = x:shrinkage(1)
        local f = torch.FloatTensor({0.75, -3})
        f:shrinkage(0.5)
        local ok1, e1 = pcall(function() x:shrinkage(-1) end)
        local ok2, e2 = pcall(function() x:shrinkage() end)
        return r, x, f, e1, e2, torch.LongTensor.shrinkage == nil""")
    r, x, f, e1, e2, no_long = got
    assert r == 1 and no_long
    np.testing.assert_array_equal(arr(x), [-1, 0, 0, 0, 0.5])
    np.testing.assert_allclose(arr(f), [0.25, -2.5])
    assert "Lambda should be non-negative" in e1 and "number expected, got nil" in e2


def test_linear_fista_from_lua_reaches_the_lasso_optimum(rt):
    A = np.random.RandomState(1).randn(6, 9)
    b = np.random.RandomState(2).randn(6)
    energy, code, L, n = rt.execute("""
        require 'unsup'
        local A, b = ...
        local params = {maxiter = 3000, errthres = 1e-13}
        local fista = unsup.LinearFistaL1(6, 9, 0.15, params)
        fista.D.weight:copy(A)
        local e, h = fista:forward(b)
        return e, fista.code, fista.params.L, #h""", _T(A), _T(b))
    z_ref, e_ref = ista(A, b, 0.15, 1.0)
    assert energy == pytest.approx(e_ref, rel=1e-7)
    np.testing.assert_allclose(arr(code), z_ref, atol=1e-5)
    assert L > 0 and n > 10


def _T(a):
    import pytorch_lite as torch
    return torch.Tensor(np.asarray(a, dtype=np.float64).tolist())


def test_optim_fistals_with_lua_closures_updates_the_params_table(rt):
    A = np.random.RandomState(3).randn(5, 8)
    b = np.random.RandomState(4).randn(5)
    code, L, F, hasbuf = rt.execute("""
        require 'unsup'
        local A, b = ...
        local lambda = 0.2
        local rec, grad = torch.Tensor(), torch.Tensor()
        -- sparsecoding.lua's closures: f answers the reconstruction too
        local function f(x, mode)
           rec:resize(A:size(1)):addmv(0, 1, A, x)
           local fval = b:dist(rec)^2
           if mode and mode:match('dx') then
              rec:add(-1, b):mul(2)
              grad:resizeAs(x):addmv(0, 1, A:t(), rec)
              return fval, grad, rec
           end
           return fval, rec
        end
        local function g(x) return lambda * x:norm(1) end
        local function pl(x, L) x:shrinkage(lambda / L) end
        local params = {maxiter = 4000, errthres = 1e-14, doFistaUpdate = true}
        local x = torch.zeros(8)
        local code, h = optim.FistaLS(f, g, pl, x, params)
        return x, params.L, h[#h].F, torch.isTensor(params.xkm)""", _T(A), _T(b))
    z_ref, e_ref = ista(A, b, 0.2, 1.0)
    z = arr(code)
    assert F == pytest.approx(e_ref, rel=1e-7)
    assert np.sum((A @ z - b) ** 2) + 0.2 * np.abs(z).sum() == pytest.approx(e_ref, rel=1e-7)
    np.testing.assert_allclose(z, z_ref, atol=1e-4)   # a flat valley: FISTA stops on F's change
    assert L >= 0.1 and hasbuf


def test_conv_psd_reads_one_based_tables_from_lua(rt):
    enc_table, dec_table, code_size = rt.execute("""
        require 'unsup'
        torch.manualSeed(1)
        local psd = unsup.ConvPSD(nn.tables.full(1, 3), 3, 3, 7, 7, 0.1, 1, {encoderType = 'tanh'})
        psd:updateOutput(torch.randn(1, 7, 7))
        return psd.encoder.modules[1].connTable, psd.decoder.D.connTable, psd.decoder.code:size()""")
    np.testing.assert_array_equal(arr(enc_table), [[1, 1], [1, 2], [1, 3]])
    np.testing.assert_array_equal(arr(dec_table), [[1, 1], [2, 1], [3, 1]])
    assert list(code_size) == [3, 5, 5]


def test_kmeans_from_lua_with_callback_and_early_stop(rt):
    pts = np.concatenate([np.random.RandomState(5).randn(15, 2) * 0.2 + m for m in ([2, 0], [0, 2], [-2, -2])])
    init, c, n, calls = rt.execute("""
        require 'unsup'
        local x = ...
        torch.manualSeed(2)
        local init, calls = nil, {}
        local c, n = unsup.kmeans(x, 3, 20, 10, function(i, cc, counts)
           calls[#calls + 1] = i
           if i == 0 then init = cc:clone() end
           if i == 4 then return true end
        end)
        return init, c, n, table.concat(calls, ',')""", _T(pts))
    assert calls == "0,1,2,3,4"
    c_ref, total_ref = lloyd(pts, arr(init), 4)
    np.testing.assert_allclose(arr(c), c_ref, atol=1e-12)
    np.testing.assert_array_equal(arr(n), total_ref)


def test_pca_and_whitening_from_lua_return_all_results(rt):
    d = np.random.RandomState(6).randn(30, 3) @ np.random.RandomState(7).randn(3, 3)
    e, v, n, white, nres = rt.execute("""
        require 'unsup'
        local x = ...
        local e, v = unsup.pcacov(x)
        local s, w = unsup.pca(x)
        local res = {unsup.zca_whiten(x)}
        local layer = unsup.zca_layer(x)
        return e, v, (s - e:index(1, torch.LongTensor{3, 2, 1})):abs():max(), layer:forward(x), #res""", _T(d))
    np.testing.assert_allclose(arr(e), np.linalg.eigh(np.cov(d, rowvar=False))[0], rtol=1e-10)
    assert n < 1e-10 and nres == 4
    np.testing.assert_allclose(np.cov(arr(white), rowvar=False), np.eye(3), atol=1e-4)


def test_lua_subclass_and_lua_encoder_inside_psd(rt, tmp_path):
    got = rt.execute("""
        require 'unsup'
        local path = ...
        torch.manualSeed(3)
        local Enc, encParent = torch.class('nn.DoubledLinear', 'nn.Linear')
        function Enc:updateOutput(input)
           encParent.updateOutput(self, input)
           self.output:mul(2)
           return self.output
        end
        local MyPSD, parent = torch.class('unsup.CountingPSD', 'unsup.PSD')
        function MyPSD:__init(...)
           parent.__init(self, ...)
           self.normalized_count = 0
        end
        function MyPSD:normalize()
           self.normalized_count = self.normalized_count + 1
           parent.normalize(self)
        end
        local enc = nn.DoubledLinear(5, 4)
        local psd = unsup.CountingPSD(enc, unsup.LinearFistaL1(5, 4, 0.1), 1)
        local x = torch.randn(5)
        local e = psd:updateOutput(x)
        local direct = nn.Linear(5, 4)
        direct.weight:copy(enc.weight); direct.bias:copy(enc.bias)
        local pred = direct:forward(x):clone():mul(2)
        psd:updateGradInput(x)
        psd:accGradParameters(x)
        psd:normalize()
        local w = psd.decoder.D.weight
        local colnorm = w:norm(2, 1)
        torch.save(path, psd)
        local back = torch.load(path)
        return (psd.encoder.output - pred):abs():max(), psd.normalized_count, (colnorm - 1):abs():max(),
               torch.type(back), back.normalized_count, torch.type(back.encoder), type(e)""",
                     str(tmp_path / "psd.t7"))
    diff, count, normdev, tname, back_count, enc_type, etype = got
    assert diff < 1e-12 and count == 1 and normdev < 1e-10
    assert (tname, back_count, enc_type, etype) == ("unsup.CountingPSD", 1, "nn.DoubledLinear", "number")


def test_unsup_trainer_reads_a_one_based_lua_dataset(rt):
    got = rt.execute("""
        require 'unsup'
        torch.manualSeed(4)
        local reads = {}
        local samples = {}
        for i = 1, 5 do samples[i] = torch.randn(6) end
        local data = setmetatable({}, {__index = function(_, i)
           reads[#reads + 1] = i
           return {samples[i], samples[i]}
        end})
        local ae = unsup.AutoEncoder(nn.Linear(6, 3), nn.Linear(3, 6), 1)
        local trainer = unsup.UnsupTrainer(ae, data)
        local ages = {}
        trainer.hookSample = function(tr, age, ex, res) ages[#ages + 1] = age end
        local w = trainer.parameters[1]:clone()
        trainer:train({eta = 0.01, maxiter = 3, statinterval = 3})
        return table.concat(reads, ','), table.concat(ages, ','), (trainer.parameters[1] - w):abs():max() > 0""")
    assert got == ("1,2,3", "1,2,3", True)


def test_hessian_enable_gives_diag_its_methods(rt):
    got = rt.execute("""
        require 'unsup'
        nn.hessian.enable()   -- (nn.hessian is process-wide: another test may have enabled it)
        local has = type(nn.Diag.updateDiagHessianInput) == 'function'
        local d = nn.Diag(3)
        d.weight:copy(torch.Tensor({2, -1, 0.5}))
        d:initDiagHessianParameters()
        local x, h = torch.Tensor({1, 2, -3}), torch.Tensor({0.5, 1, 2})
        local hi = d:updateDiagHessianInput(x, h):clone()
        d:forward(x)
        d.diagHessianWeight:zero()
        d:accDiagHessianParameters(x, h)
        return has, hi, d.diagHessianWeight""")
    assert got[0] is True
    np.testing.assert_allclose(arr(got[1]), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(arr(got[2]), [0.5, 4.0, 18.0])


def test_bad_arguments_are_lua_errors(rt):
    for code, msg in (("unsup.kmeans(torch.randn(5, 2))", "missing argument"),
                      ("unsup.LinearPSD(4, 3, 0.1, 1, {encoderType = 'relu'})", "encoderType unknown"),
                      ("unsup.SpatialConvFistaL1(nn.tables.full(1, 2), 5, 5, 3, 3, 0.1)", "does not fit"),
                      ("unsup.SparseAutoEncoder(nn.Linear(2, 2), nn.Linear(2, 2), 1, 0.1):normalize()",
                       "has to implement normalize")):
        with pytest.raises(LuaScriptError, match=msg):
            rt.execute("require 'unsup'\n" + code)


def test_get_parameters_answers_the_diagonal_hessian_once_enabled(rt):
    got = rt.execute("""
        require 'unsup'
        torch.manualSeed(5)
        local enc, dec = nn.Linear(4, 3), nn.Linear(3, 4)
        local ae = unsup.AutoEncoder(enc, dec, 0.5)
        local n_before = select('#', ae:getParameters())
        nn.hessian.enable()
        ae:initDiagHessianParameters()
        local x, dx, ddx = ae:getParameters()
        local input = torch.randn(4)
        ae:updateOutput(input, input)
        ddx:zero()
        ae:updateDiagHessianInput(input, input)
        ae:accDiagHessianParameters(input, input)
        return n_before, x:nElement(), ddx:nElement(), enc.output:clone(), dec.diagHessianWeight:clone(),
               ddx:narrow(1, 3 * 4 + 3 + 1, 4 * 3):clone()""")
    n_before, nx, nddx, code, dhw, flat = got
    assert n_before == 2 and nx == nddx == 4 * 3 + 3 + 3 * 4 + 4
    # summed MSE: second derivative 2 per output, times beta; a linear layer's weight sees code^2
    want = np.outer(np.full(4, 2 * 0.5), arr(code) ** 2)
    np.testing.assert_allclose(arr(dhw), want, rtol=1e-12)
    np.testing.assert_allclose(arr(flat), want.ravel(), rtol=1e-12)   # the same numbers, flattened
