"""pytorch_lite.progress: the xlua.progress replacement, tqdm-backed or plain."""
import io

import pytest

from pytorch_lite.progress import Progress, progress


def test_plain_bar_draws_and_finishes():
    out = io.StringIO()
    p = Progress(use_tqdm=False, file=out, width=10)
    for i in range(1, 5):
        p.update(i, 4)
    text = out.getvalue()
    assert '1/4' in text and text.rstrip().endswith('s')
    assert '[=========>] 4/4' in text and text.endswith('\n')


def test_tqdm_bar_counts_to_total():
    pytest.importorskip('tqdm')
    out = io.StringIO()
    p = Progress(use_tqdm=True, file=out)
    for i in range(1, 11):
        p.update(i, 10)
    assert '10/10' in out.getvalue() and p._bar is None


def test_module_function_accepts_restarts(capsys):
    for n in (3, 2):
        for i in range(1, n + 1):
            progress(i, n)
    assert '2/2' in capsys.readouterr().err
