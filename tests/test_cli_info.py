"""`pytorch-lite info FILE.t7`: a tree of what a file holds, on every fixture."""
import glob
import io
import os
import subprocess
import sys

import pytest

from pytorch_lite import cli

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "fixtures"))
SER = os.path.join(SHARED, "torch7", "serialization")
FIXTURES = sorted(glob.glob(os.path.join(SER, "*.t7")) + glob.glob(os.path.join(SHARED, "public", "*", "*.t7"))
                  + glob.glob(os.path.join(SHARED, "torch7", "modules", "*.t7"))
                  + glob.glob(os.path.join(SHARED, "torch7", "tensor", "*.t7")))
NOT_T7 = os.path.join(SHARED, "public", "pytorch-aux-reward-rl", "model.t7")
needs = pytest.mark.skipif(not FIXTURES, reason="../shared/fixtures is absent")


def info(*argv):
    out = io.StringIO()
    rc = cli.main(["info", *argv], out=out)
    return rc, out.getvalue()


@needs
def test_info_works_on_every_fixture(capsys):
    for path in FIXTURES:
        rc, text = info(path)
        if path == NOT_T7:
            assert rc == 2 and text == ""
            assert "not a Torch7 t7 file" in capsys.readouterr().err
        else:
            assert rc == 0, path
            assert text.startswith(os.path.basename(path) + ": t7 "), path


@needs
def test_info_tree_of_shared_storage():
    rc, text = info(os.path.join(SER, "shared_storage.bin.t7"))
    assert rc == 0
    assert text.splitlines() == [
        "shared_storage.bin.t7: t7 binary, 8-byte longs, 458 bytes",
        "table {5}",
        "  a: torch.DoubleTensor 6, on S1, values 1 2 3 4 5 6",
        "  again: table [2]",
        '    1: -> same object as root["a"]',
        "    2: torch.DoubleTensor 2x3, on S1 (shared), values 1 2 3 4 5 6",
        '  b: -> same object as root["again"][2]',
        "  c: torch.DoubleTensor 2x2, on S1 at 2 (shared), stride 1,2, values 3 5 4 6",
        "  s: torch.DoubleStorage S1 size=6 (shared)",
    ]


@needs
def test_info_flavours_and_options():
    assert info(os.path.join(SER, "mixed.b32.t7"))[1].startswith("mixed.b32.t7: t7 binary, 4-byte longs")
    assert info(os.path.join(SER, "mixed.ascii.t7"))[1].startswith("mixed.ascii.t7: t7 ascii")
    rc, text = info(os.path.join(SER, "table_nested.bin.t7"), "--depth", "1", "--max-items", "3")
    assert rc == 0 and "... (7 more)" in text and "--depth 1 stops here" in text
    rc, _ = info(os.path.join(SER, "mixed.b32.t7"), "--longsize", "8")
    assert rc == 2


@needs
def test_info_prints_an_nn_model_as_torch7_does():
    """The .txt of nn_model holds Torch7's own print(model) of the file."""
    pytest.importorskip("pytorch_lite.nn")
    txt = open(os.path.join(SER, "nn_model.bin.txt")).read().splitlines()
    start = txt.index("# print(loaded) gives:") + 1
    expected = [line[4:] for line in txt[start:] if line.startswith("#   ")]
    rc, text = info(os.path.join(SER, "nn_model.bin.t7"))
    lines = text.splitlines()
    assert rc == 0 and lines[1] == "print(model):"
    assert lines[2:2 + len(expected)] == expected


@needs
def test_gpu_model_shows_the_file_types():
    rc, text = info(os.path.join(SHARED, "public", "DeepLearning_HW1", "model.t7"))
    assert rc == 0 and "torch.FloatTensor 64x784, on S" in text and "file: torch.CudaTensor" in text


@needs
def test_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "pytorch_lite.cli", "info", os.path.join(SER, "root_string.bin.t7")],
                       capture_output=True, text=True, cwd=os.path.join(HERE, ".."))
    assert r.returncode == 0 and r.stdout.splitlines()[1].startswith("string '")


def test_missing_file_and_usage(capsys):
    rc, _ = info("/nonexistent/file.t7")
    assert rc == 2 and "No such file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([])


@needs
def test_info_lists_the_models_of_a_table_by_their_convert_keys(tmp_path):
    """A public file holding a table of modules: info lists each with the --key convert takes."""
    path = os.path.join(SHARED, "public", "luatorch-onnx-convert", "test__data__model1.t7")
    rc, text = info(path, "--depth", "0")
    assert rc == 0
    lines = text.splitlines()
    start = lines.index("models (convert --key PATH):") + 1
    assert lines[start:start + 11] == [
        "  abs  nn.Abs", "  cadd-table  nn.CAddTable", "  linear-bias  nn.Linear", "  linear-nobias  nn.Linear",
        "  lookup  nn.LookupTable", "  replicate  nn.Replicate", "  reshape  nn.Reshape", "  sigmoid  nn.Sigmoid",
        "  splittable  nn.SplitTable", "  tanh  nn.Tanh", "contents:"]
    pytest.importorskip("onnx")
    out = io.StringIO()
    assert cli.main(["convert", path, str(tmp_path / "l.onnx"), "--key", "linear-nobias"], out) == 0
    assert out.getvalue().startswith("wrote %s (onnx); checked" % (tmp_path / "l.onnx"))


def test_run_passes_every_argument_after_the_script_to_it(tmp_path):
    # as `th script.lua ...`: options that look like pytorch-lite's own, and '--', are the script's
    script = tmp_path / "args.lua"
    script.write_text('local t = {} for i = 0, #arg do t[#t + 1] = arg[i] end print(table.concat(t, "|"))')
    out = io.StringIO()
    assert cli.main(["run", str(script), "--", "--x", "-h", "a"], out=out) == 0
    assert out.getvalue().strip() == "|".join([str(script), "--", "--x", "-h", "a"])
