"""require 'image' from Lua: Torch7's calling forms reach pytorch_lite.image, with Lua's
1-based flip dimension and drawRect corners, dok-style named tables, and clear errors."""
import numpy as np
import pytest
from PIL import Image

import pytorch_lite as torch
from lua_compat.runtime import LuaScriptError, Runtime
from pytorch_lite import image


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'image'")
    return r


def test_forms_match_python(rt):
    x = torch.DoubleTensor(np.random.RandomState(0).rand(3, 6, 8))
    rt.globals().x = x
    got = rt.execute("""return image.scale(x, 5, 4, 'bicubic'), image.crop(x, 'br', 3, 2),
                               image.crop(x, 1, 1, 4, 5), image.rotate(x, 0.3, 'bilinear'),
                               image.rgb2hsv(x), image.convolve(x, image.gaussian(3), 'same')""")
    want = [image.scale(x, 5, 4, "bicubic"), image.crop(x, "br", 3, 2), image.crop(x, 1, 1, 4, 5),
            image.rotate(x, 0.3, "bilinear"), image.rgb2hsv(x), image.convolve(x, image.gaussian(3), "same")]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w.numpy())


def test_flip_dim_and_drawRect_corners_are_1_based(rt):
    x = torch.DoubleTensor(np.arange(24.).reshape(2, 3, 4))
    rt.globals().x = x
    a, b = rt.execute("return image.flip(x, 1), image.flip(x, 3)")
    np.testing.assert_array_equal(a.numpy(), x.numpy()[::-1])
    np.testing.assert_array_equal(b.numpy(), x.numpy()[:, :, ::-1])
    r = rt.execute("return image.drawRect(torch.ByteTensor(3, 6, 6):zero(), 2, 2, 5, 5, {color={9, 9, 9}})")
    mask = r.numpy()[0] == 9
    assert mask[1, 1:5].all() and mask[4, 1:5].all() and not mask[0].any() and not mask[2, 2]


def test_named_tables(rt):
    g, n, m = rt.execute("""return image.gaussian{size=5, sigma=0.2, normalize=true},
                                   image.gaussian1D{size=4}, image.minmax{tensor=torch.Tensor{2, 4, 6}}""")
    np.testing.assert_array_equal(g.numpy(), image.gaussian(5, 0.2, normalize=True).numpy())
    assert n.size(0) == 4
    assert m.numpy().tolist() == [0, 0.5, 1]
    d = rt.execute("return image.toDisplayTensor{input={torch.zeros(1, 2, 2), torch.ones(1, 2, 2)}, nrow=1}")
    assert tuple(d.size()) == (1, 4, 2)


def test_load_save_from_lua(rt, tmp_path):
    path = str(tmp_path / "l.png")
    arr = np.random.RandomState(1).randint(0, 256, (4, 5, 3)).astype(np.uint8)
    Image.fromarray(arr).save(path)
    rt.globals().path = path
    out = str(tmp_path / "o.png")
    rt.globals().out = out
    n, c, t = rt.execute("""local im = image.load(path, 3, 'float')
                            image.save(out, image.hflip(im))
                            local s = image.getSize(out)
                            return s[1], im:size(1), torch.type(im)""")
    assert (n, c, t) == (3, 3, "torch.FloatTensor")
    np.testing.assert_array_equal(np.asarray(Image.open(out)), arr[:, ::-1])


def test_errors_name_the_problem(rt):
    with pytest.raises(LuaScriptError, match="crop goes outside bounds"):
        rt.execute("image.crop(torch.rand(3, 4, 4), 0, 0, 9, 9)")
    with pytest.raises(LuaScriptError, match="mode must be one of"):
        rt.execute("image.scale(torch.rand(3, 4, 4), 2, 2, 'nearest')")
    with pytest.raises(LuaScriptError, match="minmax expects a table"):
        rt.execute("image.minmax(torch.rand(3))")


def test_functions_not_provided_say_so(rt):
    with pytest.raises(LuaScriptError, match="image.lena is not provided by pytorch-lite"):
        rt.execute("local im = image.lena()")
