"""The README's examples run: every ```python block, and every `$ pytorch-lite ...` command
with the output it shows (numbers may differ in their last digits)."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TEXT = open(os.path.join(ROOT, "README.md")).read()
PY_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)
CMD_BLOCKS = [b for b in re.findall(r"```\n(\$ pytorch-lite .*?)```", TEXT, re.S)]
SHARED = os.path.join(ROOT, "..", "shared", "fixtures")


@pytest.mark.parametrize("code", PY_BLOCKS, ids=["python-%d" % i for i in range(len(PY_BLOCKS))])
def test_python_block_runs(code, tmp_path, monkeypatch, capsys):
    os.symlink(os.path.join(ROOT, "examples"), str(tmp_path / "examples"))  # paths as from the repo root
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})


def _mask(line):
    # numbers in e-notation may differ in their last digits; trailing tabs (th's print) are invisible
    return re.sub(r"\d\.\d+e[-+]\d+", "<num>", line).rstrip()


@pytest.fixture(scope="module")
def command_dir(tmp_path_factory):
    """One folder for all command blocks, in README order: a later block reads what an earlier wrote."""
    d = tmp_path_factory.mktemp("readme_commands")
    os.symlink(os.path.join(ROOT, "examples"), str(d / "examples"))   # relative paths, as from the repo root
    return d


@pytest.mark.parametrize("block", CMD_BLOCKS, ids=["cmd-%d" % i for i in range(len(CMD_BLOCKS))])
def test_command_block(block, command_dir):
    tmp_path = command_dir
    if not os.path.isdir(SHARED):
        pytest.skip("../shared/fixtures is absent (CI always has it)")
    lines = block.rstrip("\n").splitlines()
    argv = lines[0][2:].split()
    argv = [os.path.join(ROOT, a) if a.startswith("../shared") else a for a in argv]
    r = subprocess.run([sys.executable, "-m", "pytorch_lite.cli"] + argv[1:], cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = [_mask(line) for line in r.stdout.splitlines()]
    want = [_mask(line) for line in lines[1:]]
    assert got == want
