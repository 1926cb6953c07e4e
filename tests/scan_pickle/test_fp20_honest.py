"""fp20 (session 19): honest artifacts the fp20 grid (``bench/fp20_grid.py``) found denied,
each with a malicious variant of the same shape that stays denied."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path
from typing import Any

import pytest

import airlock

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

from pyarrow.lib import _restore_array, py_buffer  # noqa: E402


def _rules(path: Path) -> set[str]:
    return {
        f.rule_id for f in airlock.scan(path).findings if str(f.severity) in ("high", "critical")
    }


class _Evil:
    def __init__(self, data: tuple[Any, ...]) -> None:
        self.data = data

    def __reduce__(self) -> Any:
        return (_restore_array, (self.data,))


# -- Arrow buffers over 64 KiB at protocol 2: bytearray(_codecs.encode(<text>, 'latin1')) ----


@pytest.mark.parametrize("rows", [20_000, 300_000])
def test_arrow_string_column_protocol2_large_is_clean(tmp_path: Path, rows: int) -> None:
    s = pd.Series([f"row{i}\xe9" for i in range(rows)], dtype="string[pyarrow]")
    path = tmp_path / "df.pkl"
    path.write_bytes(pickle.dumps(pd.DataFrame({"s": s, "i": range(rows)}), protocol=2))
    assert _rules(path) == set()
    back = pickle.loads(path.read_bytes())
    assert back["s"].iloc[-1] == f"row{rows - 1}\xe9"


def test_arrow_int_array_protocol2_large_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "a.pkl"
    path.write_bytes(pickle.dumps(pa.array(range(50_000), pa.int64()), protocol=2))
    assert _rules(path) == set()


def _offsets_past(n: int) -> tuple[Any, ...]:
    offsets = struct.pack(f"<{n + 1}q", *range(n), 1 << 40)  # 8 (n + 1) bytes > 64 KiB
    return (pa.large_string(), n, 0, 0, [None, py_buffer(offsets), py_buffer(b"x" * n)], [], None)


def test_arrow_large_offsets_past_values_protocol2_denied(tmp_path: Path) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"col": _Evil(_offsets_past(20_000))}, protocol=2))
    assert "AIR-PKL-015" in _rules(path)


def test_arrow_large_text_not_latin1_denied(tmp_path: Path) -> None:
    """The same call with a text that is not Latin-1 (the real encode raises): not proven."""
    honest = tmp_path / "h.pkl"
    honest.write_bytes(pickle.dumps(pa.array(range(20_000), pa.int64()), protocol=2))
    raw = honest.read_bytes()
    # BINUNICODE of the values' text: replace its first character (U+0000) with U+0100
    at = raw.index(b"X", raw.index(b"_codecs\nencode"))
    length = struct.unpack("<I", raw[at + 1 : at + 5])[0]
    assert length > 64 * 1024 and raw[at + 5] == 0
    body = "\u0100".encode() + raw[at + 6 : at + 5 + length]
    bad = raw[:at] + b"X" + struct.pack("<I", len(body)) + body + raw[at + 5 + length :]
    path = tmp_path / "evil.pkl"
    path.write_bytes(bad)
    assert "AIR-PKL-015" in _rules(path)


# -- joblib object arrays read as pickle.load would (outer memo): a str shape is TypeError --


@pytest.mark.parametrize("protocol", [4, 5, None])
def test_joblib_object_column_frame_is_clean(tmp_path: Path, protocol: int | None) -> None:
    joblib = pytest.importorskip("joblib")
    np = pytest.importorskip("numpy")
    g = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "c": pd.Categorical(g.choice(["lo", "mid", "hi"], 500), ordered=True),
            "o": pd.Series([None if i % 7 == 0 else f"o{i}" for i in range(500)], dtype=object),
            "n": g.normal(size=500),
        }
    ).describe(include="all")
    path = tmp_path / "d.joblib"
    joblib.dump(df[["o"]], path, protocol=protocol)
    assert _rules(path) == set()


class _Call:
    def __init__(self, fn: Any, args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args

    def __reduce__(self) -> Any:
        return (self.fn, self.args)


@pytest.mark.parametrize(
    "args",
    [
        (b"\xff\xff\xff\xff",),  # bytes are a shape: (255, 255, 255, 255)
        ("", "V1500000000"),  # '' is the shape (): the dtype still counts
        ((1 << 20, 1 << 10),),
    ],
)
def test_ndarray_allocating_shapes_still_denied(tmp_path: Path, args: tuple[Any, ...]) -> None:
    np = pytest.importorskip("numpy")
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"a": _Call(np.ndarray, args)}, protocol=4))
    assert "AIR-PKL-009" in _rules(path)
