"""Data files (Parquet, Arrow IPC file/stream, Feather v1/v2, MAT-files v4/v5) are recognised by
bounded parsers: honest files from the real writers are clean, a pickled Arrow extension type
(``arrow.py_extension_type``, CVE-2023-47248) is flagged and its pickle judged, MATLAB objects
are reported, and truncated or malformed files are a blocking finding, never a traceback."""

from __future__ import annotations

import io
import json
import os
import pickle
import pickletools
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.gate import CheckOptions, check
from airlock.scan.engine import ScanOptions, scan_data, scan_paths

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
feather = pytest.importorskip("pyarrow.feather")
sio = pytest.importorskip("scipy.io")


class _Boom:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("echo pwned",))


TABLE_META = {"huggingface": json.dumps({"info": {"features": {"text": {"_type": "Value"}}}})}


def _table(field_meta: dict[str, bytes] | None = None) -> pa.Table:
    t = pa.table({"text": ["hello", "world"], "label": pa.array([0, 1], pa.int64())})
    if field_meta is not None:
        nested = pa.struct([pa.field("inner", pa.int64(), metadata=field_meta)])
        t = t.append_column(pa.field("s", nested), pa.array([{"inner": 1}, {"inner": 2}], nested))
    return t.replace_schema_metadata(TABLE_META)


def _stream(t: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, t.schema) as w:
        w.write_table(t)
    return sink.getvalue()


def _file(t: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_file(sink, t.schema) as w:
        w.write_table(t)
    return sink.getvalue()


def _parquet(t: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(t, sink)
    return sink.getvalue()


def _feather(t: pa.Table, version: int = 2) -> bytes:
    sink = io.BytesIO()
    if version == 1:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            feather.write_feather(t.to_pandas(), sink, version=1)
    else:
        feather.write_feather(t, sink)
    return sink.getvalue()


def _mat(fmt: str, compress: bool = False) -> bytes:
    sink = io.BytesIO()
    data = {"w": np.arange(6.0).reshape(2, 3), "name": "hello"}
    if fmt == "5":
        data.update(cfg={"lr": 0.1, "layers": [1, 2]}, cell=np.array([1, "a"], dtype=object))
    sio.savemat(sink, data, format=fmt, do_compression=compress)
    return sink.getvalue()


HONEST = {
    "arrow_stream": lambda: _stream(_table()),
    "arrow_file": lambda: _file(_table()),
    "parquet": lambda: _parquet(_table()),
    "parquet_pandas": lambda: _parquet(pa.Table.from_pandas(_table().to_pandas())),
    "feather_v2": lambda: _feather(_table()),
    "feather_v1": lambda: _feather(_table(), 1),
    "feather_v2_pandas": lambda: _feather(pa.Table.from_pandas(_table().to_pandas())),
    "arrow_field_meta": lambda: _file(_table({"k": b"v"})),
    "arrow_uuid": lambda: _file(pa.table({"u": pa.array([b"0" * 16], pa.uuid())})),
    "mat_v4": lambda: _mat("4"),
    "mat_v5": lambda: _mat("5"),
    "mat_v5_compressed": lambda: _mat("5", True),
}
FORMATS = {
    "arrow_stream": "arrow-stream", "arrow_file": "arrow-file", "parquet": "parquet",
    "parquet_pandas": "parquet", "feather_v2": "arrow-file", "feather_v1": "feather-v1",
    "feather_v2_pandas": "arrow-file", "arrow_field_meta": "arrow-file", "arrow_uuid": "arrow-file",
    "mat_v4": "matlab-v4", "mat_v5": "matlab-v5", "mat_v5_compressed": "matlab-v5",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_data_files_are_clean(tmp_path: Path, name: str) -> None:
    (tmp_path / f"f_{name}").write_bytes(HONEST[name]())
    report = scan_paths([tmp_path])
    assert report.findings == []
    assert [o.format for o in report.objects] == [FORMATS[name]]
    assert check(tmp_path, CheckOptions()).allowed


def test_hf_datasets_save_to_disk_layout_is_clean(tmp_path: Path) -> None:
    d = tmp_path / "ds"
    d.mkdir()
    (d / "data-00000-of-00001.arrow").write_bytes(_stream(_table()))
    (d / "dataset_info.json").write_text(json.dumps({"features": {"text": {"_type": "Value"}}}))
    (d / "state.json").write_text(
        json.dumps({"_data_files": [{"filename": "data-00000-of-00001.arrow"}],
                    "_fingerprint": "abc", "_format_type": None, "_split": "train"})
    )  # fmt: skip
    report = scan_paths([d])
    assert report.findings == []
    assert check(d, CheckOptions()).allowed


def _py_ext(payload: bytes) -> dict[str, bytes]:
    return {b"ARROW:extension:name": b"arrow.py_extension_type",
            b"ARROW:extension:metadata": payload}  # fmt: skip


@pytest.mark.parametrize("writer", [_stream, _file, _parquet, _feather])
def test_pickled_extension_type_is_flagged_and_its_pickle_judged(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "data").write_bytes(writer(_table(_py_ext(pickle.dumps(_Boom())))))
    report = scan_paths([tmp_path])
    ids = {f.rule_id for f in report.findings}
    assert "AIR-COL-001" in ids
    assert any(f.severity >= 3 and f.rule_id.startswith("AIR-PKL") for f in report.findings), ids
    assert not check(tmp_path, CheckOptions()).allowed


def test_pickled_extension_type_with_harmless_pickle_still_high(tmp_path: Path) -> None:
    (tmp_path / "data.arrow").write_bytes(_file(_table(_py_ext(pickle.dumps(1)))))
    report = scan_paths([tmp_path])
    assert [f.rule_id for f in report.findings] == ["AIR-COL-001"]
    assert not check(tmp_path, CheckOptions()).allowed


def test_pickle_in_other_extension_metadata_is_judged(tmp_path: Path) -> None:
    meta = {b"ARROW:extension:name": b"mylib.tensor",
            b"ARROW:extension:metadata": pickle.dumps(_Boom())}  # fmt: skip
    (tmp_path / "data.arrow").write_bytes(_file(_table(meta)))
    report = scan_paths([tmp_path])
    assert any(f.rule_id.startswith("AIR-PKL") for f in report.findings)
    assert not check(tmp_path, CheckOptions()).allowed


@pytest.mark.parametrize("writer", [_stream, _file, _parquet, _feather])
@pytest.mark.parametrize("hostile_first", [True, False])
def test_repeated_field_metadata_keys_are_all_judged(
    tmp_path: Path, writer: Callable[..., bytes], hostile_first: bool
) -> None:
    """Field metadata may repeat a key; pyarrow resolves the extension type from the first
    ARROW:extension:name/metadata, a dict keeps the last: every pair is judged."""
    hostile = [(b"ARROW:extension:name", b"arrow.py_extension_type"),
               (b"ARROW:extension:metadata", pickle.dumps(_Boom()))]  # fmt: skip
    plain = [(b"ARROW:extension:name", b"plain.name"), (b"ARROW:extension:metadata", b"")]
    pairs = hostile + plain if hostile_first else plain + hostile
    meta = pa.KeyValueMetadata(pairs)
    assert len(meta) == 4  # the writer keeps both
    (tmp_path / "data").write_bytes(writer(_table(meta)))
    report = scan_paths([tmp_path])
    ids = {f.rule_id for f in report.findings}
    assert "AIR-COL-001" in ids
    assert any(f.severity >= 3 and f.rule_id.startswith("AIR-PKL") for f in report.findings), ids
    assert not check(tmp_path, CheckOptions()).allowed


def test_pyarrow_takes_the_first_extension_name(tmp_path: Path) -> None:
    """Why every pair is judged: pyarrow resolves a repeated ARROW:extension:name from its first
    value (a registered type is handed the first metadata)."""
    seen: list[bytes] = []

    class _Ext(pa.ExtensionType):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(pa.int64(), "airlock.test.first")

        def __arrow_ext_serialize__(self) -> bytes:
            return b""

        @classmethod
        def __arrow_ext_deserialize__(cls, storage_type, serialized):  # type: ignore[no-untyped-def]
            seen.append(serialized)
            return _Ext()

    meta = pa.KeyValueMetadata([(b"ARROW:extension:name", b"airlock.test.first"),
                                (b"ARROW:extension:metadata", b"FIRST"),
                                (b"ARROW:extension:name", b"other.name"),
                                (b"ARROW:extension:metadata", b"LAST")])  # fmt: skip
    t = pa.table({"x": [1, 2]}, schema=pa.schema([pa.field("x", pa.int64(), metadata=meta)]))
    path = tmp_path / "d.feather"
    path.write_bytes(_feather(t))
    pa.register_extension_type(_Ext())
    try:
        schema = feather.read_table(path).schema
    finally:
        pa.unregister_extension_type("airlock.test.first")
    assert seen and set(seen) == {b"FIRST"}
    assert isinstance(schema.field("x").type, _Ext)


def _mat_object(cls: int) -> bytes:
    """A level 5 file with one miMATRIX of class ``cls`` (3 object, 16 function, 17 opaque)."""
    e = "<"
    flags = struct.pack(e + "IIII", 6, 8, cls, 0)
    dims = struct.pack(e + "IIii", 5, 8, 1, 1)
    name = struct.pack(e + "II", 1, 3) + b"obj" + b"\0" * 5
    body = (
        flags + (b"" if cls == 16 else dims + name) + struct.pack(e + "II", 1, 4) + b"Evil\0\0\0\0"
    )
    head = b"MATLAB 5.0 MAT-file, hand-built".ljust(116, b" ") + b"\0" * 8 + b"\x00\x01IM"
    return head + struct.pack(e + "II", 14, len(body)) + body


@pytest.mark.parametrize(("cls", "sev"), [(3, 1), (16, 1), (17, 0)])
def test_matlab_objects_are_reported(tmp_path: Path, cls: int, sev: int) -> None:
    (tmp_path / "m.mat").write_bytes(_mat_object(cls))
    report = scan_paths([tmp_path])
    assert [(f.rule_id, int(f.severity)) for f in report.findings] == [("AIR-MAT-001", sev)]
    assert check(tmp_path, CheckOptions()).allowed  # low/info: reported, not denied


MALFORMED = {
    "parquet_truncated": lambda: _parquet(_table())[:-20],
    "parquet_footer_len": lambda: (lambda b: b[:-8] + struct.pack("<I", 1 << 30) + b"PAR1")(
        _parquet(_table())
    ),
    "parquet_encrypted": lambda: _parquet(_table())[:-4] + b"PARE",
    "arrow_file_truncated": lambda: _file(_table())[:-3],
    "arrow_stream_truncated": lambda: _stream(_table())[:-40],
    "feather_v1_truncated": lambda: _feather(_table(), 1)[:-9] + b"FEA1",
    "mat_v5_truncated": lambda: _mat("5")[:-30],
    "mat_v5_bad_version": lambda: (lambda b: b[:124] + b"\x00\x02" + b[126:])(_mat("5")),
    "mat_v4_truncated": lambda: _mat("4")[:-5],
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_data_files_block(tmp_path: Path, name: str) -> None:
    (tmp_path / "f").write_bytes(MALFORMED[name]())
    report = scan_paths([tmp_path])
    assert report.objects[0].status == "not_scanned", report.objects[0]
    assert not check(tmp_path, CheckOptions()).allowed


SEEDS = [_stream(_table({"k": b"v"})), _file(_table()), _parquet(_table()), _feather(_table(), 1),
         _mat("4"), _mat("5"), _mat("5", True), _mat_object(3)]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=4),
    cut=st.integers(0, 1 << 16),
)
def test_mutated_data_files_never_raise(
    seed: bytes, edits: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(seed)
    for pos, byte in edits:
        data[pos % len(data)] = byte
    data = data[: max(1, len(data) - cut % 64)]
    report = scan_data(bytes(data), "f", ScanOptions(mode="serial"))
    assert all(o.status in ("scanned", "not_scanned") for o in report.objects)


def test_mat_v73_is_read_as_hdf5(tmp_path: Path) -> None:
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "v73.mat"
    with h5py.File(path, "w", userblock_size=512) as f:
        f["w"] = np.arange(4.0)
    data = bytearray(path.read_bytes())
    data[:128] = b"MATLAB 7.3 MAT-file, Platform: GLNXA64".ljust(116) + b"\0" * 8 + b"\0\x02IM"
    path.write_bytes(bytes(data))
    report = scan_paths([tmp_path])
    assert [o.format for o in report.objects] == ["hdf5"] and report.findings == []


def test_parquet_arrow_schema_must_be_canonical_base64(tmp_path: Path) -> None:
    """Arrow's base64 decoder stops at the first byte outside the alphabet, Python's skips it:
    a schema spelt with such bytes could read differently to each, so it is not judged."""
    t = _table().replace_schema_metadata({**TABLE_META, "x": "y"})
    data = _parquet(t)
    i = data.index(b"ARROW:schema")
    j = data.index(b"/////", i)  # every IPC message starts with the 0xFFFFFFFF continuation
    bad = data[:j] + b"!" + data[j + 1 :]  # same length: the footer length still holds
    (tmp_path / "f.parquet").write_bytes(bad)
    report = scan_paths([tmp_path])
    assert [f.rule_id for f in report.findings] == ["AIR-COL-000"]


def test_old_datasets_array_feature_says_so(tmp_path: Path) -> None:
    """datasets < 2.15 subclassed pa.PyExtensionType for Array2D-5D: honest files of that era
    carry the pickled type (``(Array2DExtensionType, ((2, 2), 'float32'))``), which pyarrow
    0.14.1-14.0.0 unpickle. Still denied; the evidence says how to re-save."""

    def u(text: bytes) -> bytes:  # SHORT_BINUNICODE
        return b"\x8c" + bytes([len(text)]) + text

    payload = (
        b"\x80\x04" + u(b"datasets.features.features") + u(b"Array2DExtensionType") + b"\x93"
        b"K\x02K\x02\x86" + u(b"float32") + b"\x86R."
    )
    pickletools.dis(payload, io.StringIO())  # well formed
    (tmp_path / "data.arrow").write_bytes(_file(_table(_py_ext(payload))))
    report = scan_paths([tmp_path])
    col = [f for f in report.findings if f.rule_id == "AIR-COL-001"]
    assert len(col) == 1 and "datasets < 2.15" in col[0].evidence
    assert not check(tmp_path, CheckOptions()).allowed


def test_raw_bytes_starting_like_one_v4_record_are_not_a_mat_file(tmp_path: Path) -> None:
    """An int32 tensor (0, 1, 1, 0, 2, 65, ...) reads as a level 4 header (double, 1x1, name
    'A'): without a second record that fits to the end it is not taken for a MAT-file."""
    raw = np.array([0, 1, 1, 0, 2, 65, 7, 7, 7, 7, 7], dtype="<i4").tobytes()
    (tmp_path / "w.bin").write_bytes(raw)
    report = scan_paths([tmp_path])
    assert report.objects[0].format != "matlab-v4"


@pytest.mark.parametrize("name", sorted(HONEST))
def test_remote_sniff_equals_local(name: str) -> None:
    """A remote file's format is decided from ranged reads (``sources/plan.first_reading``);
    these formats are then fetched whole and scanned as local bytes: the sniff must agree."""
    from airlock.formats.ranged import BlockReader, RangedSource
    from airlock.scan import registry
    from airlock.scan.interface import Source

    data = HONEST[name]()
    reader = BlockReader(len(data), lambda a, b: data[a:b], block=4096)
    remote, local = registry.sniff(RangedSource(reader)), registry.sniff(Source(data))
    assert remote is not None and local is not None and remote.name == local.name


def _polars_layout(data: bytes) -> bytes:
    """An IPC file as polars (polars-arrow) writes it: the leading schema as a bare flatbuffer
    ``Message`` (no continuation, no length), the framed messages where the footer's blocks say.
    Built from pyarrow's file by moving the schema flatbuffer to offset 8 (its offsets are
    relative) and zero-filling up to the first record batch, so every block keeps its offset."""
    assert data[8:12] == b"\xff\xff\xff\xff"
    length = struct.unpack_from("<i", data, 12)[0]
    end = 16 + length
    return data[:8] + data[16:end] + b"\x00" * 8 + data[end:]


def test_polars_ipc_file_layout_is_read_by_its_footer(tmp_path: Path) -> None:
    """fp16: polars' ``write_ipc`` files were AIR-COL-000 (the stream walk read the bare schema
    flatbuffer's root offset as a message length); pyarrow reads them by the footer."""
    data = _polars_layout(_file(_table()))
    assert pa.ipc.open_file(io.BytesIO(data)).read_all().num_rows == 2  # the oracle reads it
    (tmp_path / "pl.ipc").write_bytes(data)
    report = scan_paths([tmp_path])
    assert not report.findings, report.findings
    evil = _polars_layout(_file(_table(_py_ext(pickle.dumps(_Boom())))))
    (tmp_path / "pl.ipc").write_bytes(evil)
    assert "AIR-COL-001" in {f.rule_id for f in scan_paths([tmp_path]).findings}


def test_polars_layout_with_junk_schema_or_blocks_still_blocks(tmp_path: Path) -> None:
    data = bytearray(_polars_layout(_file(_table())))
    junk = bytes(data[:8]) + b"\x07" * 16 + bytes(data[24:])  # no schema flatbuffer at 8
    (tmp_path / "a.arrow").write_bytes(junk)
    assert "AIR-COL-000" in {f.rule_id for f in scan_paths([tmp_path]).findings}
    first = bytes(data).index(b"\xff\xff\xff\xff", 8)  # the record batch's framing
    data[first + 4 : first + 8] = struct.pack("<i", 1 << 20)  # a length past its block
    (tmp_path / "a.arrow").write_bytes(bytes(data))
    assert "AIR-COL-000" in {f.rule_id for f in scan_paths([tmp_path]).findings}
