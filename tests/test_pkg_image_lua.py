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


def test_lena_window_say_what_is_missing(rt, monkeypatch):
    monkeypatch.delenv("PYTORCH_LITE_IMAGE_ASSETS", raising=False)
    with pytest.raises(LuaScriptError, match="image.lena: the picture grace_hopper_512.jpg .*PYTORCH_LITE_IMAGE_ASSETS"):
        rt.execute("local im = image.lena()")
    with pytest.raises(LuaScriptError, match="image.window: pytorch-lite has no GUI"):
        rt.execute("image.window()")


def test_lena_from_assets_next_to_the_script(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTORCH_LITE_IMAGE_ASSETS", raising=False)
    (tmp_path / "assets").mkdir()
    arr = np.random.RandomState(4).randint(0, 256, (4, 6, 3)).astype(np.uint8)
    Image.fromarray(arr).save(str(tmp_path / "assets" / "grace_hopper_512.png"))
    Image.fromarray(arr[..., 0]).save(str(tmp_path / "assets" / "fabio.png"))
    script = tmp_path / "s.lua"
    script.write_text("require 'image'\nreturn image.lena(), image.fabio()\n")
    lena, fabio = Runtime().run_file(str(script))
    np.testing.assert_array_equal(lena.numpy(), arr.transpose(2, 0, 1) * (1 / 255))
    np.testing.assert_array_equal(fabio.numpy(), arr[None, ..., 0] * (1 / 255))   # grey stays 1xHxW


def test_new_functions_match_python(rt):
    x = torch.DoubleTensor(np.random.RandomState(5).rand(3, 10, 12))
    f = torch.DoubleTensor(np.random.RandomState(6).uniform(-2, 2, (2, 5, 6)))
    rt.globals().x, rt.globals().f = x, f
    got = rt.execute("""return image.warp(x, f, 'bicubic', true, 'pad', 0.5),
                               image.affinetransform(x, torch.Tensor{{1, 0.2}, {0, 1}}, 'simple', {1, -1}),
                               image.polar(x, 'bilinear', 'full'), image.logpolar(x, 'simple', 'valid'),
                               image.rgb2lab(x), image.y2jet(torch.Tensor{{1, 3}, {2, 3}}),
                               image.lcn(x[1]), image.dilate(x[1]:gt(0.5):double())""")
    m = torch.DoubleTensor([[1, 0.2], [0, 1]])
    want = [image.warp(x, f, "bicubic", True, "pad", 0.5), image.affinetransform(x, m, "simple", [1, -1]),
            image.polar(x, "bilinear", "full"), image.logpolar(x, "simple", "valid"), image.rgb2lab(x),
            image.y2jet(torch.DoubleTensor([[1, 3], [2, 3]])), image.lcn(x[0]),
            image.dilate(torch.DoubleTensor((x.numpy()[0] > 0.5).astype(float)))]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w.numpy())


def test_drawText_options_and_pyramid_table(rt):
    got = rt.execute("""return image.drawText(torch.ByteTensor(3, 12, 20):zero(), 'Hi', 2, 3,
                                               {color={9, 8, 7}, bg={1, 1, 1}, size=1})""")
    want = image.drawText(torch.ByteTensor(np.zeros((3, 12, 20), np.uint8)), "Hi", 2, 3, color=(9, 8, 7),
                          bg=(1, 1, 1))
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    default = rt.execute("return image.drawText(torch.ByteTensor(3, 12, 20):zero(), 'H')").numpy()
    assert (default[0, 1:8, 1] == 255).all() and not default[1:].any()   # red at x = y = 1
    same, n, h1, h2 = rt.execute("""local dst = {}
                                   local r = image.gaussianpyramid(dst, torch.rand(3, 8, 8), {0.5, 0.25})
                                   return r == dst, #dst, dst[1]:size(2), dst[2]:size(3)""")
    assert (same, n, h1, h2) == (True, 2, 4, 2)
    levels = rt.execute("return #image.gaussianpyramid(torch.rand(8, 8), {0.5})")
    assert levels == 1


def test_format_table_and_sizes(rt, tmp_path):
    path = str(tmp_path / "p.png")
    Image.fromarray(np.zeros((5, 7, 3), np.uint8)).save(path)
    rt.globals().path = path
    c, h, w, same, ok, bad = rt.execute("""local c, h, w = image.getPNGsize(path)
        return c, h, w, image.supported_filetypes.pgm.loader == image.loadPPM,
               image.is_supported('jpeg'), image.is_supported('gif')""")
    assert (c, h, w, same, ok, bad) == (3, 5, 7, True, True, False)
    t = rt.execute("return image.supported_filetypes.png.loader(path, 1, 'byte')")
    assert tuple(t.size()) == (5, 7)
