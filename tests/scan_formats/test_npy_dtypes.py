"""Which ``.npy`` dtypes may hold objects (``np.load(allow_pickle=True)`` then unpickles the
data): every spelling numpy reads as an object dtype must count, and what ``np.save`` writes for
plain data must not. numpy itself is the oracle here, on descriptors only (nothing is loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats.numpy import dtype_kind
from airlock.scan.engine import scan_data

np = pytest.importorskip("numpy")
fmt = pytest.importorskip("numpy.lib.format")

OBJECT_FORMS = [
    "|O", "O", "=O", "object", "object_", "O8", "f8,O", "i4, O", "(2,)O", "T", "|T",
    [("a", "O")], [("a", [("b", "O")])], [("a", "O", (2,))], ("O", (2,)), {"aO": 0}, {"aO"},
    ["aO"],
]  # fmt: skip


@pytest.mark.parametrize("descr", OBJECT_FORMS, ids=repr)
def test_every_object_spelling_numpy_accepts_counts(descr: object) -> None:
    assert fmt.descr_to_dtype(descr).hasobject  # the oracle: numpy would unpickle
    assert dtype_kind(descr) != "plain"


_PLAIN = st.sampled_from(
    ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "g", "c8", "c16",
     "G", "S3", "U5", "V8", "M8[ns]", "m8[s]", "M8", "M8[10ms]", "<f4", ">i8", "=u2"]
)  # fmt: skip
_FIELD = st.from_regex(r"[a-z]{1,4}", fullmatch=True)


@st.composite
def plain_dtypes(draw: st.DrawFn, depth: int = 0) -> object:
    if depth >= 2 or draw(st.booleans()):
        return np.dtype(draw(_PLAIN))
    names = draw(st.lists(_FIELD, min_size=1, max_size=3, unique=True))
    fields = []
    for n in names:
        sub = draw(plain_dtypes(depth + 1))
        shape = draw(st.sampled_from([(), (2,), (2, 3)]))
        fields.append((n, sub, shape) if shape else (n, sub))
    return np.dtype(fields, align=draw(st.booleans()))


@settings(max_examples=150, deadline=None)
@given(plain_dtypes())
def test_what_np_save_writes_for_plain_data_is_plain(dtype: object) -> None:
    descr = fmt.dtype_to_descr(dtype)
    assert not np.dtype(dtype).hasobject
    assert dtype_kind(descr) == "plain", descr


@pytest.mark.parametrize("descr", ["f8,O", "object", "T", {"aO": 0}, {"aO"}], ids=repr)
def test_object_array_under_another_spelling_is_never_clean(
    descr: object, tmp_path: Path
) -> None:
    """A header numpy reads as object dtype, then a pickle calling os.system: the pickle is
    analysed (an object spelling) or the header is refused (a form ``np.save`` never writes)."""
    header = repr({"descr": descr, "fortran_order": False, "shape": (1,)})
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    payload = b"cos\nsystem\n(S'touch " + str(tmp_path / "ran").encode() + b"'\ntR."
    data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + payload
    report = scan_data(data, "x.npy")
    rules = {f.rule_id for f in report.findings}
    assert "AIR-PKL-001" in rules or report.objects[0].status == "not_scanned", report
    assert not (tmp_path / "ran").exists()
