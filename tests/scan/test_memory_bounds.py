"""Peak-memory bounds (issue 12, class 10): expanded data held at once never exceeds the
resident budget, and the JSON cost estimate bounds what ``json.loads`` really allocates.
(The whole-process figures on the worst inputs are in BENCHMARKS.md, bench/bench_memory.py.)"""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats.json_budget import parse_cost
from airlock.scan.engine import ScanOptions, scan_data
from airlock.scan.interface import Limits

from .samples import zip_bytes

MIB = 1024**2
SMALL = ScanOptions(limits=Limits(max_resident_bytes=2 * MIB))


def test_expansion_past_the_resident_budget_is_not_scanned() -> None:
    report = scan_data(gzip.compress(b"\0" * (3 * MIB)), "x.pkl.gz", SMALL)
    assert report.objects[-1].status == "not_scanned"
    assert any(f.rule_id == "AIR-ARC-003" for f in report.findings)


def test_siblings_reuse_the_budget_but_nesting_adds_up() -> None:
    member = b"N." + b" " * (MIB + MIB // 2)
    siblings = zip_bytes({f"m{i}.pkl": member for i in range(4)}, zipfile.ZIP_DEFLATED)
    report = scan_data(siblings, "s.zip", SMALL)
    assert all(o.status == "scanned" or o.reason == "unrecognised format" for o in report.objects)
    assert not any(f.rule_id == "AIR-ARC-003" for f in report.findings)
    nested = zip_bytes({"in.zip": zip_bytes({"m.pkl": member}, zipfile.ZIP_DEFLATED)})
    deep = gzip.compress(gzip.compress(member + member))
    for data in (nested, deep):
        report = scan_data(data, "n.bin", SMALL)
        held_ok = all(o.status == "scanned" for o in report.objects)
        assert held_ok or any(f.rule_id == "AIR-ARC-003" for f in report.findings)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=6), inner, max_size=8)
    ),
    max_leaves=200,
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_json, min_size=1, max_size=50))
def test_json_cost_estimate_bounds_the_real_allocation(values: list[object]) -> None:
    raw = json.dumps(values, separators=(",", ":")).encode()
    tracemalloc.start()
    try:
        json.loads(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= parse_cost(raw) + 4096, (len(raw), peak, parse_cost(raw))


def test_json_cost_of_the_worst_shapes() -> None:
    for doc in (b"[" + b"{}," * 20000 + b"{}]", b"[" + b"[]," * 20000 + b"[]]",
                b"[" + b"1.5," * 20000 + b"1.5]", b'{"a":' * 500 + b"0" + b"}" * 500):  # fmt: skip
        tracemalloc.start()
        try:
            json.loads(doc)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak <= parse_cost(doc), (doc[:10], peak, parse_cost(doc))


def test_distinct_findings_are_bounded_and_past_the_bound_not_scanned() -> None:
    from airlock.scan.pickle_vm import MAX_DISTINCT_FINDINGS

    n = MAX_DISTINCT_FINDINGS + 50
    data = b"\x80\x02" + b"".join(f"cmod{i}\nname{i}\n0".encode() for i in range(n)) + b"N."
    report = scan_data(data, "globals.pkl")
    assert len(report.findings) <= MAX_DISTINCT_FINDINGS + 5
    assert report.objects[0].status == "not_scanned"


def test_a_mapped_compressed_file_drops_its_read_pages_and_judges_the_same(tmp_path: Path) -> None:
    """Input pages behind the decoder leave the mapping (a 1 GiB tar.gz peaked at its size plus
    its expansion); only the mapping of a whole file qualifies, and the verdict is unchanged."""
    import mmap
    import os
    import pickle

    from airlock.formats.archive import _whole_mapping
    from airlock.scan.engine import scan

    raw = pickle.dumps([os.urandom(1 << 20) for _ in range(20)], protocol=4)
    packed = gzip.compress(raw, compresslevel=1)  # > 16 MiB: pages are dropped on the way
    path = tmp_path / "big.pkl.gz"
    path.write_bytes(packed)
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        whole = memoryview(mm).cast("B")
        assert _whole_mapping(whole) is mm
        assert _whole_mapping(whole[1:]) is None and _whole_mapping(memoryview(packed)) is None
        whole.release()
    on_disk = scan(path)
    in_memory = scan_data(packed, str(path))
    assert (
        [(o.member, o.format, o.status) for o in on_disk.objects]
        == [(o.member, o.format, o.status) for o in in_memory.objects]
        == [(None, "gzip", "scanned"), ("<gzip>", "pickle", "scanned")]
    )
    assert on_disk.findings == [] and in_memory.findings == []
