"""Every entry of tests/nn_cases.py through the one harness."""
import pytest

import nn_cases as C
from nn_cases import CASES

FIXTURE_CASES = [c for c in CASES if c.fixture]
JAC_CASES = [c for c in CASES if c.jacobian]


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda c: c.name)
def test_torch7_fixture(case):
    C.check_fixture(case)


@pytest.mark.parametrize("case", JAC_CASES, ids=lambda c: c.name)
def test_jacobian(case):
    C.check_jacobian(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_type_roundtrip(case):
    C.check_type_roundtrip(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_clear_state_and_clone(case):
    C.check_clear_state_and_clone(case)


@pytest.mark.parametrize("case", [c for c in CASES if c.tostring], ids=lambda c: c.name)
def test_print_layout(case):
    assert str(case.build()) == case.tostring
