"""Every entry of tests/nn_cases.py through the one harness."""
import pytest

import nn_cases as C
from nn_cases import CASES


def _available(case):
    """Cases built from modules another part of nn has not landed yet are skipped, not failed."""
    try:
        case.build()
    except AttributeError as e:
        if "pytorch_lite.nn" in str(e):
            pytest.skip(str(e))
        raise


FIXTURE_CASES = [c for c in CASES if c.fixture]
JAC_CASES = [c for c in CASES if c.jacobian]


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda c: c.name)
def test_torch7_fixture(case):
    _available(case)
    C.check_fixture(case)


@pytest.mark.parametrize("case", JAC_CASES, ids=lambda c: c.name)
def test_jacobian(case):
    _available(case)
    C.check_jacobian(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_type_roundtrip(case):
    _available(case)
    C.check_type_roundtrip(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_clear_state_and_clone(case):
    _available(case)
    C.check_clear_state_and_clone(case)


@pytest.mark.parametrize("case", [c for c in CASES if c.tostring], ids=lambda c: c.name)
def test_print_layout(case):
    _available(case)
    assert str(case.build()) == case.tostring


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda c: c.name)
def test_torch7_module_loaded(case):
    _available(case)
    C.check_loaded_module(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_t7_roundtrip(case):
    _available(case)
    C.check_t7_roundtrip(case)
