"""Session 18 (rt19pk): allowlisted tensor functions called at load on a stride-0 view.
``torch.save({'x': <reduce to torch.relu(torch.zeros(1).expand(600000000))>})`` is a 1.7 KB
file; ``torch.load`` computed the relu of 600M elements (2.5 GB) and airlock allowed it, as
``F.softmax(view, 0)``. The functions are values in honest pickles (an activation attribute,
a partial), never called: a call is AIR-PKL-009. Fixtures are built here and never loaded."""

from __future__ import annotations

import functools
import io
import pickle
from typing import Any

import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from airlock.report import Severity  # noqa: E402
from airlock.scan.engine import scan_data  # noqa: E402


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...]) -> None:
        self.f, self.a = f, a

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a)


def _severe(obj: object) -> set[str]:
    buf = io.BytesIO()
    torch.save(obj, buf)
    found = scan_data(buf.getvalue(), "a.pt").findings
    return {f.rule_id for f in found if f.severity >= Severity.HIGH}


def _view() -> Any:
    return torch.zeros(1).expand(600_000_000)


BAD = {
    "relu": lambda: _R(torch.relu, (_view(),)),
    "softmax": lambda: _R(F.softmax, (_view(), 0)),
    "tanh": lambda: _R(torch.tanh, (_view(),)),
    "gelu": lambda: _R(F.gelu, (_view(),)),
    "exp": lambda: _R(torch.exp, (_view(),)),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_tensor_function_called_at_load_is_denied(case: str) -> None:
    assert "AIR-PKL-009" in _severe({"x": BAD[case]()})


def test_partial_of_a_tensor_function_called_at_load_is_denied() -> None:
    tanh = functools.partial(F.gelu, approximate="tanh")
    assert "AIR-PKL-009" in _severe({"x": _R(tanh, (_view(),))})


@pytest.mark.parametrize("proto", [2, 4, 5])
def test_functions_held_as_values_stay_clean(proto: int) -> None:
    m = torch.nn.TransformerEncoderLayer(8, 2, 16, activation=F.gelu)
    held = {
        "m": m,
        "f": [F.softmax, torch.tanh, F.silu],
        "p": functools.partial(F.gelu, approximate="tanh"),
    }
    assert _severe(held) == set()
    data = pickle.dumps(held, protocol=proto)
    found = scan_data(data, "a.pkl").findings
    assert {f.rule_id for f in found if f.severity >= Severity.HIGH} == set()
