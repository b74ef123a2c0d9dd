"""Lua holds the Python objects it sees until a sweep (the lupa #293/#294 workaround in
lua_compat): a loop making big tensors must not hold them all (it held gigabytes before)."""
import tracemalloc

import pytest

lua_compat = pytest.importorskip("lua_compat")
from lua_compat import runtime  # noqa: E402


def test_loop_of_big_temporaries_stays_bounded(monkeypatch):
    monkeypatch.setattr(runtime, "SWEEP_BYTES", 32 << 20)
    rt = lua_compat.Runtime()
    tracemalloc.start()
    try:
        rt.execute("for i = 1, 60 do local y = torch.zeros(1000, 1000) end")   # 60 x 8 MB
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120 << 20, "peak %d MB" % (peak >> 20)
