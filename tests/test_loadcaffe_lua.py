"""require 'loadcaffe' from Lua: the net loadcaffe.load returns, walked and rebuilt the way
jcjohnson/neural-style and neuraltalk2 do it, checked against PyTorch CPU on the same weights."""
import io

import numpy as np
import pytest

from lua_compat.runtime import Runtime, LuaScriptError
from pytorch_lite.cuda import device

import caffe_nets as C

pytest.importorskip("google.protobuf")
pt = pytest.importorskip("torch")
F = pt.nn.functional


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def table(t):
    return [t[i] for i in range(1, len(t) + 1)]


@pytest.mark.parametrize("v1", [True, False])
def test_load_and_forward(rt, tmp_path, v1):
    layers = C.tiny_vgg()
    proto, model = C.write(tmp_path, layers, v1, (1, 3, 20, 20))
    x = np.random.RandomState(1).standard_normal((2, 3, 20, 20))
    got = rt.execute("""require 'loadcaffe'
        local proto, model, x = ...
        local net = loadcaffe.load(proto, model, 'nn')
        local names, types = {}, {}
        for i = 1, #net.modules do
           names[i] = net:get(i).name
           types[i] = torch.type(net:get(i))
        end
        net:evaluate()
        return torch.type(net), names, types, net:forward(x):clone(), net:forward(x[2]):clone(),
               type(loadcaffe.load), net:get(1).weight:size(2)""", proto, model, C.torch_tensor(x))
    kind, names, types, y, y1, fn, nin = got
    n = 13 if v1 else 12
    assert kind == "nn.Sequential" and fn == "function" and nin == 3
    assert table(names) == ["conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "pool2", "torch_view", "fc6",
                            "relu6", "drop6", "fc7", "prob"][:n]
    assert table(types)[:4] == ["nn.SpatialConvolution", "nn.ReLU", "nn.SpatialCrossMapLRN", "nn.SpatialMaxPooling"]
    ref = C.reference(layers, x, stop_at_softmax=not v1)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(y1.numpy(), ref[1], rtol=1e-10, atol=1e-12)
    out = rt._stdout.getvalue().splitlines()
    assert out == ["Successfully loaded " + model, "conv1: 8 3 3 3", "conv2: 12 4 3 3", "fc6: 1 1 432 16",
                   "fc7: 1 1 16 5"]


# A script in neural-style's manner: the caffe net walked layer by layer, max pooling swapped for
# average pooling, loss modules (torch.class) inserted after the layers named on the command line,
# targets computed by forwarding the net built so far; then the loss and its gradient on an image.
NEURAL_STYLE = r"""
require 'nn'
require 'loadcaffe'
local proto, model, content_img, style_img, img, content_layer, style_layer = ...

local ContentLoss, parent = torch.class('nn.ContentLoss', 'nn.Module')
function ContentLoss:__init(strength, target)
   parent.__init(self)
   self.strength, self.target, self.loss = strength, target, 0
   self.crit = nn.MSECriterion()
end
function ContentLoss:updateOutput(input)
   self.loss = self.crit:forward(input, self.target) * self.strength
   self.output = input
   return self.output
end
function ContentLoss:updateGradInput(input, gradOutput)
   self.gradInput = self.crit:backward(input, self.target):clone():mul(self.strength)
   self.gradInput:add(gradOutput)
   return self.gradInput
end

local function Gram()
   local g = nn.Sequential()
   g:add(nn.View(-1):setNumInputDims(2))
   local both = nn.ConcatTable()
   both:add(nn.Identity())
   both:add(nn.Identity())
   g:add(both)
   g:add(nn.MM(false, true))
   return g
end

local StyleLoss, sparent = torch.class('nn.StyleLoss', 'nn.Module')
function StyleLoss:__init(strength, target)
   sparent.__init(self)
   self.strength, self.target, self.loss = strength, target, 0
   self.gram, self.crit = Gram(), nn.MSECriterion()
end
function StyleLoss:updateOutput(input)
   self.G = self.gram:forward(input):clone():div(input:nElement())
   self.loss = self.crit:forward(self.G, self.target) * self.strength
   self.output = input
   return self.output
end
function StyleLoss:updateGradInput(input, gradOutput)
   local dG = self.crit:backward(self.G, self.target):mul(self.strength):div(input:nElement())
   self.gradInput = self.gram:backward(input, dG):clone():add(gradOutput)
   return self.gradInput
end

local cnn = loadcaffe.load(proto, model, 'nn'):float()
content_img, style_img, img = content_img:float(), style_img:float(), img:float()
local net, losses, seen = nn.Sequential(), {}, {}
local found = 0
for i = 1, #cnn do
   if found < 2 then
      local layer = cnn:get(i)
      local name = layer.name
      local layer_type = torch.type(layer)
      seen[#seen + 1] = name .. '=' .. layer_type
      if layer_type == 'nn.SpatialMaxPooling' or layer_type == 'cudnn.SpatialMaxPooling' then
         assert(layer.padW == 0 and layer.padH == 0)
         net:add(nn.SpatialAveragePooling(layer.kW, layer.kH, layer.dW, layer.dH):float())
      else
         net:add(layer)
      end
      if name == content_layer then
         local target = net:forward(content_img):clone()
         local loss = nn.ContentLoss(5, target):float()
         net:add(loss)
         losses[#losses + 1] = loss
         found = found + 1
      end
      if name == style_layer then
         local feats = net:forward(style_img):clone()
         local target = Gram():float():forward(feats):clone():div(feats:nElement())
         local loss = nn.StyleLoss(100, target):float()
         net:add(loss)
         losses[#losses + 1] = loss
         found = found + 1
      end
   end
end
cnn = nil
collectgarbage()

local y = net:forward(img)
local grad = net:updateGradInput(img, y:clone():zero())
local total = 0
for _, l in ipairs(losses) do total = total + l.loss end
return seen, total, grad:double(), #net.modules, torch.type(net:get(3)), torch.type(net:get(5))
"""


def test_neural_style_script(rt, tmp_path):
    layers = C.tiny_vgg()
    proto, model = C.write(tmp_path, layers, True, (1, 3, 20, 20))
    rs = np.random.RandomState(2)
    content, style, img = (rs.standard_normal((3, 20, 20)) for _ in range(3))
    seen, loss, grad, n, t3, t5 = rt.execute(NEURAL_STYLE, proto, model, *map(C.torch_tensor, (content, style, img)),
                                             "relu2", "relu1")
    assert table(seen) == ["conv1=nn.SpatialConvolution", "relu1=nn.ReLU", "norm1=nn.SpatialCrossMapLRN",
                           "pool1=nn.SpatialMaxPooling", "conv2=nn.SpatialConvolution", "relu2=nn.ReLU"]
    assert (n, t3, t5) == (8, "nn.StyleLoss", "nn.SpatialAveragePooling")

    # the same in PyTorch: conv1, relu1 | style loss | LRN, 3x3/2 average pooling (floor), conv2, relu2 | content loss
    w1, b1 = (pt.tensor(b, dtype=pt.float64) for b in layers[0]["blobs"])
    w2, b2 = (pt.tensor(b, dtype=pt.float64) for b in layers[4]["blobs"])

    def head(x):
        return F.relu(F.conv2d(x[None], w1, b1, padding=1))[0]

    def tail(h):
        h = F.local_response_norm(h[None], 5, 0.3, 0.75, 2.0)
        h = F.avg_pool2d(h, 3, 2)
        return F.relu(F.conv2d(h, w2, b2, padding=1, groups=2))[0]

    def gram(f):
        f2 = f.reshape(f.shape[0], -1)
        return f2 @ f2.t() / f.numel()

    as_t = lambda a: pt.tensor(a, dtype=pt.float64)   # noqa: E731
    content_target = tail(head(as_t(content)))
    style_target = gram(head(as_t(style)))
    x = as_t(img).requires_grad_()
    h = head(x)
    total = 100 * F.mse_loss(gram(h), style_target) + 5 * F.mse_loss(tail(h), content_target)
    total.backward()
    assert abs(loss - total.item()) <= 1e-4 * abs(total.item())
    np.testing.assert_allclose(grad.numpy(), x.grad.numpy(), rtol=1e-3, atol=1e-5 * np.abs(x.grad.numpy()).max())


def test_index_insert_remove_and_cut(rt, tmp_path):
    # neuraltalk2 keeps the first layers (cnn:get(i) into a new Sequential); scripts insert and
    # remove modules and rename them
    layers = C.tiny_vgg()
    proto, model = C.write(tmp_path, layers, False)
    x = np.random.RandomState(3).standard_normal((2, 3, 20, 20))
    got = rt.execute("""require 'loadcaffe'
        local proto, model, x = ...
        local cnn = loadcaffe.load(proto, model)
        local part = nn.Sequential()
        for i = 1, 10 do part:add(cnn:get(i)) end   -- up to relu6
        part:evaluate()
        local feats = part:forward(x):clone()
        cnn:insert(nn.Identity(), 3)
        cnn:get(3).name = 'inserted'
        cnn:remove(#cnn)                             -- fc7 off
        cnn:get(1).name = cnn:get(1).name .. '_renamed'
        local names = {}
        for i = 1, #cnn.modules do names[i] = cnn.modules[i].name end
        return feats, names, cnn:get(4).name, part:get(1) == cnn:get(1)""", proto, model, C.torch_tensor(x))
    feats, names, fourth, same = got
    np.testing.assert_allclose(feats.numpy(), C.reference(layers[:9], x), rtol=1e-10, atol=1e-12)
    assert table(names) == ["conv1_renamed", "relu1", "inserted", "norm1", "pool1", "conv2", "relu2", "pool2",
                            "torch_view", "fc6", "relu6", "drop6"]
    assert fourth == "norm1" and same is True


def test_errors_reach_lua(rt, tmp_path):
    proto, model = C.write(tmp_path, C.tiny_vgg(), True)
    got = rt.execute("""require 'loadcaffe'
        local proto, model, missing = ...
        local ok1, e1 = pcall(loadcaffe.load, proto, missing)
        local ok2, e2 = pcall(loadcaffe.load, proto, model, 'ccn2')
        local ok3, e3 = pcall(loadcaffe.load, proto)
        return ok1, e1, ok2, e2, ok3, e3""", proto, model, str(tmp_path / "gone.caffemodel"))
    assert got[0] is False and "CaffeFormatError" in got[1] and "gone.caffemodel: no such file" in got[1]
    assert got[2] is False and "'ccn2' backend" in got[3]
    assert got[4] is False and "two file names expected" in got[5]
    with pytest.raises(LuaScriptError, match=r"layer 'cat' \(type Concat\)"):
        rt.execute("""require 'loadcaffe'
            loadcaffe.load(...)""", *C.write(tmp_path, [dict(name="cat", type="Concat")], False, stem="cat"))


def test_cudnn_backend_from_lua(tmp_path, monkeypatch):
    monkeypatch.setenv(device.ENV, "cpu")
    layers = C.tiny_vgg()
    proto, model = C.write(tmp_path, layers, True)
    x = np.random.RandomState(4).standard_normal((2, 3, 20, 20))
    got = Runtime(stdout=io.StringIO()).execute("""require 'loadcaffe'
        local proto, model, x = ...
        local net = loadcaffe.load(proto, model, 'cudnn')
        net:evaluate()
        local y = net:forward(x:cuda()):double()
        return torch.type(net:get(1)), net:get(5).groups, torch.type(net:get(1).weight), y, cudnn ~= nil""",
                                                proto, model, C.torch_tensor(x))
    assert got[:3] == ("cudnn.SpatialConvolution", 2, "torch.CudaTensor") and got[4] is True
    np.testing.assert_allclose(got[3].numpy(), C.reference(layers, x), rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(device._probe()[0] is not None, reason="this machine has a CUDA device")
def test_cudnn_backend_without_a_device(tmp_path, monkeypatch):
    # loadcaffe's cudnn net requires cudnn, which fails without a GPU as in Torch7
    monkeypatch.delenv(device.ENV, raising=False)
    proto, model = C.write(tmp_path, C.tiny_vgg(), True)
    ok, err = Runtime(stdout=io.StringIO()).execute("""require 'loadcaffe'
        return pcall(loadcaffe.load, ...)""", proto, model, "cudnn")
    assert ok is False and err.startswith("no CUDA device")


def test_modules_take_the_default_tensor_type(rt, tmp_path):
    proto, model = C.write(tmp_path, C.tiny_vgg(), True)
    got = rt.execute("""require 'loadcaffe'
        torch.setdefaulttensortype('torch.FloatTensor')
        local net = loadcaffe.load(...)
        torch.setdefaulttensortype('torch.DoubleTensor')
        return torch.type(net:get(1).weight), torch.type(net:get(9).bias), net:get(1).weight[1][2][3][1]""",
                     proto, model)
    assert got[:2] == ("torch.FloatTensor", "torch.FloatTensor")
    assert got[2] == float(C.tiny_vgg()[0]["blobs"][0][0, 1, 2, 0])   # Lua's 1-based [1][2][3][1]
