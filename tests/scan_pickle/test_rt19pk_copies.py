"""Session 18 (rt19pk): allowlisted calls that copy a payload the pickle holds once. One
memoised 1 MiB byte string handed to 1,500 ``bytearray`` calls (or text to ``str.lower``, bytes
to 200 ``list`` calls, an int8 array to 128 ``_rebuild_device_tensor_from_numpy(a,
complex128)`` calls) took 1.5-2.3 GB at ``pickle.load`` from a 1 MB file;
``_rebuild_device_tensor_from_cpu_tensor`` of a stride-0 ``expand(3e8)`` view as float64 took
2.5 GB from a 1.7 KB torch file. All were ALLOW. Calls may copy the pickle's payloads about
once: more than 3x its size + 64 MiB from reused payloads (or tensor views larger than their
storage) is AIR-PKL-009. Fixtures are built here and never loaded."""

from __future__ import annotations

import io
import pickle
from typing import Any

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

torch = pytest.importorskip("torch")


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...]) -> None:
        self.f, self.a = f, a

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a)


def _severe(data: bytes, name: str = "a.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


_MB = 1 << 20
_to_numpy = torch._utils._rebuild_device_tensor_from_numpy
_from_cpu = torch._utils._rebuild_device_tensor_from_cpu_tensor


def _chain() -> list[_R]:
    out = [_R(str.lower, ("A" * _MB,))]
    for _ in range(150):
        out.append(_R(str.lower, (out[-1],)))
    return out


BAD = {
    "bytearray": lambda: [_R(bytearray, (b"a" * _MB,)) for _ in range(150)],
    "str-lower": lambda: [_R(str.lower, ("A" * _MB,)) for _ in range(150)],
    "list-of-bytes": lambda: [_R(list, (b"a" * _MB,)) for _ in range(150)],
    "lower-chain": _chain,
    "numpy-to-complex": lambda: [
        _R(_to_numpy, (np.zeros(_MB, np.int8), torch.complex128, "cpu", False)) for _ in range(150)
    ],
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_reused_payload_copied_by_many_calls_is_denied(case: str) -> None:
    obj = BAD[case]()
    if case != "lower-chain":  # one memoised payload: pickle writes it once, then BINGETs
        payload = obj[0].a
        for o in obj:
            o.a = payload
    assert "AIR-PKL-009" in _severe(pickle.dumps(obj, protocol=4))


def test_copy_of_a_stride_zero_view_is_denied() -> None:
    view = torch.zeros(1).expand(300_000_000)
    buf = io.BytesIO()
    torch.save({"x": _R(_from_cpu, (view, torch.float64, "cpu", False))}, buf)
    assert "AIR-PKL-009" in _severe(buf.getvalue(), "a.pt")


def test_honest_payloads_and_views_stay_clean() -> None:
    import pandas as pd

    big = np.arange(4 * _MB, dtype=np.float64)
    frame = pd.DataFrame({"a": big, "b": big.astype(np.int32), "s": ["x"] * big.size})
    strings = pd.DataFrame({"s": ["x", "yy"] * 500})  # (4M arrow strings at protocol 2: 015)
    obj = {
        "frame": frame.drop(columns="s"),
        "strings": strings,
        "series": pd.Series(big, index=pd.Index(big)),
        "arrays": [big, big, np.frombuffer(bytes(range(256)) * 8192, np.uint8)],
        "blob": bytearray(b"z" * (8 * _MB)),
        "text": "y" * (8 * _MB),
        "same-bytes": [b"q" * _MB] * 10,
    }
    for proto in (2, 4, 5):
        assert _severe(pickle.dumps(obj, protocol=proto)) == set(), proto
    m = torch.nn.Linear(512, 512)
    m.register_buffer("pos", torch.arange(512).expand((1, -1)))
    m.register_buffer("wide", torch.zeros(1).expand(100_000_000))
    buf = io.BytesIO()
    torch.save({"model": m, "sd": m.state_dict(), "t": [m.weight, m.weight]}, buf)
    assert _severe(buf.getvalue(), "a.pt") == set()
