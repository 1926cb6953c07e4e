"""Regressions from the session-15 engine fuzz campaign (``bench/fuzz_formats2.py``, fuzz15):
each input below made a parser raise past its documented error (the engine then reported a
"scanner error" instead of the format's own finding)."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats import archive
from airlock.report import Severity
from airlock.scan.engine import scan_data
from airlock.scan.interface import Limits, Source
from airlock.scan.yaml_tags import judge_tag

SCANNER_ERROR = "AIR-SCAN-002"


def _descriptor_member(data: bytes, name: bytes = b"b.npy") -> bytes:
    """A deflated zip member whose sizes are in a data descriptor (flag 8), no central
    directory: the walker must inflate ``data`` to find where the member ends."""
    header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x8, 8, 0, 0, 0, 0, 0, len(name), 0)
    return header + name + data


def test_corrupt_deflate_behind_a_data_descriptor_is_a_finding_not_a_scanner_error() -> None:
    """fuzz15: a mutated .npz / TorchScript archive whose member's deflate stream was corrupt
    raised ``zlib.error`` out of the local-header walk (AIR-SCAN-002 "scanner error")."""
    data = _descriptor_member(b"\xff" * 40)  # block type 3: invalid
    listing = archive.read_zip(Source(data), Limits())
    assert any("cannot find the end" in p for p in listing.problems)
    result = scan_data(data, "a.npz")
    rules = {f.rule_id for f in result.findings}
    assert SCANNER_ERROR not in rules
    assert "AIR-ARC-001" in rules


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_behind_a_data_descriptor_never_raise(body: bytes) -> None:
    result = scan_data(_descriptor_member(body), "a.zip")
    assert SCANNER_ERROR not in {f.rule_id for f in result.findings}


def test_bare_name_in_a_hyperpyyaml_tag_is_judged_not_a_crash() -> None:
    """fuzz15: ``!new:tor`` (a one-word name, no dot) raised ValueError in the tag judge."""
    verdict = judge_tag("!new:tor")
    assert verdict is not None and verdict[0] >= Severity.HIGH
    result = scan_data(b"dim: 8\nmodel: !new:tor\n    n: 1\n", "hyperparams.yaml")
    rules = {f.rule_id for f in result.findings}
    assert SCANNER_ERROR not in rules
    assert "AIR-CFG-022" in rules


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["new", "name", "apply", "module", "object"]), st.text(max_size=40))
def test_any_tag_name_is_judged_without_raising(verb: str, name: str) -> None:
    judge_tag(f"!{verb}:{name}")


def _npy(array: object) -> bytes:
    import io

    import numpy as np

    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def test_truncated_npy_is_not_clean_and_whole_arrays_are() -> None:
    """fuzz15: a .npy cut inside its data (np.load raises) was judged clean: the header parsed
    and nothing checked the array's length."""
    import numpy as np

    arrays = [
        np.arange(12, dtype="<f4").reshape(3, 4),
        np.array(["ab", "c"]),
        np.zeros(2, dtype=[("x", "<i4"), ("y", "<f8", (2, 3))]),
        np.zeros((), dtype="<M8[ns]"),
        np.zeros((0, 5)),
    ]
    for a in arrays:
        data = _npy(a)
        whole = scan_data(data, "a.npy")
        assert not whole.findings and whole.objects[0].status == "scanned", a.dtype
        if a.nbytes:
            cut = scan_data(data[:-1], "a.npy")
            assert cut.objects[0].status == "not_scanned", a.dtype
            assert "truncated" in (cut.objects[0].reason or "")


def test_large_npz_member_whose_array_outruns_it_is_not_clean() -> None:
    """The zip handler judges a large plain .npy member by its header; its length is checked
    against the header's array size there (the npy handler sees only the header)."""
    import io
    import zipfile

    import numpy as np

    from airlock.scan.engine import ScanOptions

    data = _npy(np.zeros(40_000, "<f8"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("whole.npy", data)
        z.writestr("cut.npy", data[:-8])
    report = scan_data(buf.getvalue(), "w.npz", ScanOptions(limits=Limits(max_member_bytes=65536)))
    status = {o.member: o.status for o in report.objects if o.member}
    assert status == {"whole.npy": "scanned", "cut.npy": "not_scanned"}
