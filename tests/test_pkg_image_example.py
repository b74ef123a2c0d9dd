"""examples/vision.lua (image load -> scale -> crop -> convnet -> gnuplot PNG) runs as a legacy
script, writes its pictures, and prints what the same pipeline gives through the Python API."""
import os
import pathlib
import subprocess
import sys

import numpy as np
from PIL import Image

import pytorch_lite as torch
from pytorch_lite import image, nn

ROOT = pathlib.Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "vision.lua"


def python_pipeline():
    torch.manualSeed(1)
    img = image.load(str(ROOT / "examples" / "shapes.png"), 3, "float")
    patch = image.rgb2yuv(image.crop(image.scale(img, 40, 30), "c", 28, 28))
    for c in range(3):
        ch = patch[c]
        ch.add(-ch.mean())
        ch.div(ch.std())
    net = nn.Sequential().add(nn.SpatialConvolution(3, 8, 5, 5)).add(nn.ReLU()) \
        .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.SpatialConvolution(8, 16, 5, 5)).add(nn.ReLU()) \
        .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.View(256)).add(nn.Linear(256, 10)).add(nn.SoftMax())
    net.float()
    scores = net.forward(patch).numpy()
    return int(np.argmax(scores)) + 1, float(scores.max())


def test_vision_example_runs(tmp_path):
    assert (ROOT / "examples" / "shapes.png").stat().st_size < 4096
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "pytorch_lite.cli", "run", str(EXAMPLE), "-out", str(tmp_path)],
                       capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300)
    assert p.returncode == 0, p.stderr
    lines = [line.strip() for line in p.stdout.splitlines()]
    assert lines[0] == "loaded shapes.png: 3x48x64"
    k, prob = python_pipeline()
    assert lines[1] == "top class %d  p = %.4f" % (k, prob)
    scores = np.asarray(Image.open(str(tmp_path / "scores.png")).convert("RGB"))
    assert scores.shape == (480, 640, 3)
    blue = (np.abs(scores.astype(int) - [0x1D, 0x45, 0x99]).sum(axis=2) < 40).sum()
    assert blue > 10000                                   # ten bars are drawn
    feats = np.asarray(Image.open(str(tmp_path / "features.png")))
    assert feats.shape == (4 * 50, 4 * 100) and feats.std() > 10  # 2x4 cells of 24x24 maps + 1 pad
