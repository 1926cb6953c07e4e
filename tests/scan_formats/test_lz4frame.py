"""The pure-Python LZ4 frame decoder against the reference encoder (python-lz4), plus hostile
input: truncations and mutations only ever raise Lz4Error, and output never exceeds the cap."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats import lz4frame

lz4f = pytest.importorskip("lz4.frame", reason="needs group test")

_data = st.one_of(
    st.binary(max_size=3000),
    st.builds(
        lambda parts, n: b"".join(parts) * n,
        st.lists(st.binary(max_size=40), max_size=8),
        st.integers(1, 300),
    ),
)
_opts = st.fixed_dictionaries({
    "block_size": st.sampled_from([lz4f.BLOCKSIZE_MAX64KB, lz4f.BLOCKSIZE_MAX256KB]),
    "block_linked": st.booleans(),
    "content_checksum": st.booleans(),
    "block_checksum": st.booleans(),
    "store_size": st.booleans(),
    "compression_level": st.sampled_from([0, 3, 9]),
})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_data, _opts)
def test_round_trips_the_reference_encoder(data: bytes, opts: dict) -> None:
    assert lz4frame.decompress(lz4f.compress(data, **opts), cap=len(data) + 1) == data


def test_large_linked_blocks_and_concatenated_frames() -> None:
    data = bytes(range(256)) * 3000 + b"tail" * 50_000
    frame = lz4f.compress(data, block_size=lz4f.BLOCKSIZE_MAX64KB, block_linked=True)
    assert lz4frame.decompress(frame + frame, cap=10 * len(data)) == data + data


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=2000), st.data())
def test_truncated_or_mutated_frames_fail_cleanly(data: bytes, draw: st.DataObject) -> None:
    frame = bytearray(lz4f.compress(data * 3))
    cut = draw.draw(st.integers(0, len(frame) - 1))
    with pytest.raises(lz4frame.Lz4Error):
        lz4frame.decompress(bytes(frame[:cut]), cap=10_000_000)
    for _ in range(draw.draw(st.integers(1, 5))):
        frame[draw.draw(st.integers(0, len(frame) - 1))] = draw.draw(st.integers(0, 255))
    try:
        out = lz4frame.decompress(bytes(frame), cap=7000)
    except lz4frame.Lz4Error as exc:
        assert len(exc.partial) <= 7000
    else:
        assert len(out) <= 7000


def test_cap_stops_a_bomb() -> None:
    bomb = lz4f.compress(b"\0" * 5_000_000)
    with pytest.raises(lz4frame.Lz4Bomb):
        lz4frame.decompress(bomb, cap=1_000_000)


def test_joblib_lz4_files_are_scanned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    joblib = pytest.importorskip("joblib", reason="needs group test")
    np = pytest.importorskip("numpy")
    from airlock.scan.engine import scan_paths
    from tests.scan_pickle.builders import PROTO2, STOP, call, glob, s, touch_cmd

    good = tmp_path / "good.joblib"
    joblib.dump({"w": np.arange(100_000), "names": np.array(["a", 1], dtype=object)}, good,
                compress="lz4")  # fmt: skip
    report = scan_paths([good])
    assert report.findings == [] and not report.not_scanned
    evil = tmp_path / "evil.joblib"
    evil.write_bytes(
        lz4f.compress(PROTO2 + call(glob("os", "system"), s(touch_cmd(tmp_path / "m"))) + STOP)
    )
    report = scan_paths([evil])
    assert any("os.system" in f.evidence for f in report.findings)
