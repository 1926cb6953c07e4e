"""A staged file (only the fetched ranges, holes elsewhere) is judged exactly like the real file.

Property test over generated safetensors/GGUF-like files larger than the small-file limit, with
random headers, random first bytes (pickle openings), random middle bytes (never fetched) and
random tails (zips, tars, noise): the scanner's findings and not-scanned objects must be the same
on the staged copy as on the real file, whichever strategy the planner chose.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from airlock.scan.engine import ScanOptions, scan
from airlock.sources.judge import JudgeOptions, stage
from airlock.sources.remote import RemoteFile, RemoteModel
from airlock.sources.streaming import scan_staged
from tests.sources.models import evil_pickle

SIZE = 17 * 1024**2


class LocalReader:
    """Reader over local files, counting bytes (the hub without the HTTP)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.received = 0

    def read_range(self, f: RemoteFile, start: int, end: int) -> bytes:
        with open(self.root / f.key, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        self.received += len(data)
        return data

    def stream(
        self, f: RemoteFile, progress: Callable[[int], None] | None, start: int = 0
    ) -> Iterator[bytes]:
        with open(self.root / f.key, "rb") as fh:
            fh.seek(start)
            while chunk := fh.read(1024**2):
                self.received += len(chunk)
                if progress:
                    progress(len(chunk))
                yield chunk

    def bytes_received(self) -> int:
        return self.received

    def close(self) -> None:
        pass


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", evil_pickle())
    return buf.getvalue()


def _header(tensors: list[tuple[str, int, int]], first: int) -> bytes:
    doc = {n: {"dtype": "U8", "shape": [e - b], "data_offsets": [b, e]} for n, b, e in tensors}
    raw = json.dumps(doc).encode()
    raw += b" " * ((first - len(raw)) % 256)  # steer the u64's first byte (opcode or not)
    return struct.pack("<Q", len(raw)) + raw


files = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["safetensors", "gguf", "other"]),
        "tensors": st.lists(
            st.tuples(st.integers(0, SIZE), st.integers(0, SIZE)), min_size=0, max_size=5
        ),
        "first": st.sampled_from([0x80, 0x28, 0x63, 0x7D, 0x00, 0x50, 0x2E]),
        "middle": st.one_of(
            st.just(b""), st.binary(min_size=1, max_size=64), st.just(evil_pickle())
        ),
        "mid_at": st.integers(3 * 1024**2, 14 * 1024**2),
        "tail": st.one_of(st.just(b""), st.binary(max_size=64), st.just(b"x"), st.builds(_zip)),
    }
)


def _write(path: Path, spec: dict[str, object]) -> None:
    with open(path, "wb") as fh:
        fh.truncate(SIZE)
        if spec["kind"] == "safetensors":
            t = [(f"t{i}", min(a, b), max(a, b)) for i, (a, b) in enumerate(spec["tensors"])]  # type: ignore[arg-type]
            fh.write(_header(t, int(spec["first"])))  # type: ignore[call-overload]
        elif spec["kind"] == "gguf":
            fh.write(b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 4) + b"k.ey")
            fh.write(struct.pack("<I", 8) + struct.pack("<Q", 5) + b"hello")
        else:
            fh.write(bytes([int(spec["first"])]) + b"\x02cos\nsystem\n")  # type: ignore[call-overload]
        fh.seek(int(spec["mid_at"]))  # type: ignore[call-overload]
        fh.write(spec["middle"])  # type: ignore[arg-type]
        tail = spec["tail"]
        assert isinstance(tail, bytes)
        if tail:
            fh.seek(SIZE - len(tail))
            fh.write(tail)


def _summary(
    report: object,
) -> tuple[list[tuple[str, str | None]], list[tuple[str | None, str | None]]]:
    findings = sorted(((f.rule_id, f.member) for f in report.findings), key=str)  # type: ignore[attr-defined]
    unread = sorted(((o.member, o.reason) for o in report.not_scanned), key=str)  # type: ignore[attr-defined]
    return findings, unread


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=files)
def test_staged_file_is_judged_like_the_real_one(tmp_path: Path, spec: dict[str, object]) -> None:
    real_dir = tmp_path / f"real-{os.urandom(4).hex()}"
    real_dir.mkdir()
    _write(real_dir / "w.bin", spec)
    reader = LocalReader(real_dir)
    sha = hashlib.sha256((real_dir / "w.bin").read_bytes()).hexdigest()
    model = RemoteModel("test://m", "m", [RemoteFile("w.bin", SIZE, sha, key="w.bin")], reader)
    staged = stage(model, JudgeOptions(staging_dir=tmp_path))
    event(f"{spec['kind']}: {staged.files[0].strategy}")
    try:
        assert _summary(scan_staged(staged, ScanOptions())) == _summary(scan(real_dir))
        if staged.files[0].strategy == "header":
            assert reader.received < 4 * 1024**2
    finally:
        staged.cleanup()


def test_listing_with_a_file_over_a_folder_is_refused(tmp_path: Path) -> None:
    import pytest

    from airlock.sources.errors import SourceError

    (tmp_path / "a").write_bytes(b"x")
    files = [RemoteFile("a", 1, key="a"), RemoteFile("a/b", 1, key="a")]
    model = RemoteModel("test://m", "m", files, LocalReader(tmp_path))
    with pytest.raises(SourceError, match="lies under a file"):
        stage(model, JudgeOptions(staging_dir=tmp_path))
    assert not list(tmp_path.glob("airlock-remote-*"))


def _torch_base() -> bytes:
    import pytest

    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save({f"w{i}": torch.zeros(1024, 1024) for i in range(5)}, buf)  # ~20 MiB
    return buf.getvalue()


_TORCH: list[bytes] = []

zips = st.fixed_dictionaries(
    {
        "evil_pkl": st.booleans(),
        "extra_member": st.sampled_from([None, "notes.txt", "m/extra.pkl", "../escape.py"]),
        "storage_noise": st.binary(max_size=64),
        "noise_at": st.integers(2 * 1024**2, 15 * 1024**2),
        "prefix": st.sampled_from([b"", b"junk" * 8]),
        "suffix": st.sampled_from([b"", b"\0" * 10, b"PK\x05\x06"]),
    }
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=zips)
def test_range_staged_torch_zip_is_judged_like_the_real_one(
    tmp_path: Path, spec: dict[str, object]
) -> None:
    if not _TORCH:
        _TORCH.append(_torch_base())
    base = zipfile.ZipFile(io.BytesIO(_TORCH[0]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in base.infolist():
            data = base.read(info)
            if spec["evil_pkl"] and info.filename.endswith("/data.pkl"):
                data = evil_pickle()
            out.writestr(info, data)
        if spec["extra_member"]:
            out.writestr(str(spec["extra_member"]), evil_pickle())
    raw = bytearray(spec["prefix"] + buf.getvalue() + spec["suffix"])  # type: ignore[operator]
    at = min(int(spec["noise_at"]), len(raw) - 100)  # type: ignore[call-overload]
    noise = spec["storage_noise"]
    assert isinstance(noise, bytes)
    raw[at : at + len(noise)] = noise
    real_dir = tmp_path / f"real-{os.urandom(4).hex()}"
    real_dir.mkdir()
    (real_dir / "pytorch_model.bin").write_bytes(raw)
    sha = hashlib.sha256(raw).hexdigest()
    reader = LocalReader(real_dir)
    f = RemoteFile("pytorch_model.bin", len(raw), sha, key="pytorch_model.bin")
    staged = stage(RemoteModel("test://m", "m", [f], reader), JudgeOptions(staging_dir=tmp_path))
    event(f"torch zip: {staged.files[0].strategy}")
    try:
        assert _summary(scan_staged(staged, ScanOptions())) == _summary(scan(real_dir))
    finally:
        staged.cleanup()


_LEGACY: dict[bool, bytes] = {}


def _legacy_base(long: bool) -> bytes:
    if long not in _LEGACY:
        import pytest

        torch = pytest.importorskip("torch")
        state = {f"w{i}": torch.zeros(1024, 1024) for i in range(5)}  # ~20 MiB of storages
        if long:
            state.update({f"x.{i}": torch.zeros(1) for i in range(20_000)})  # > 1 MiB of pickle
        buf = io.BytesIO()
        torch.save(state, buf, _use_new_zipfile_serialization=False)
        _LEGACY[long] = buf.getvalue()
    return _LEGACY[long]


legacies = st.fixed_dictionaries(
    {
        "long": st.booleans(),
        # a change inside the pickles (payload, broken opcode) or among the storages
        "patch": st.one_of(st.binary(min_size=1, max_size=16), st.just(evil_pickle())),
        "patch_at": st.one_of(st.integers(0, 4096), st.integers(4096, 20 * 1024**2)),
        "suffix": st.sampled_from([b"", b"\0" * 10, b"PK\x05\x06" + b"\0" * 18, _zip()]),
    }
)


@settings(
    max_examples=int(os.environ.get("AIRLOCK_EQUIV_EXAMPLES", "8")),  # a campaign: raise it
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(spec=legacies)
def test_prefix_staged_legacy_torch_is_judged_like_the_real_one(
    tmp_path: Path, spec: dict[str, object]
) -> None:
    raw = bytearray(_legacy_base(bool(spec["long"])) + spec["suffix"])  # type: ignore[operator]
    patch = spec["patch"]
    assert isinstance(patch, bytes)
    at = min(int(spec["patch_at"]), len(raw) - len(patch))  # type: ignore[call-overload]
    raw[at : at + len(patch)] = patch
    real_dir = tmp_path / f"real-{os.urandom(4).hex()}"
    real_dir.mkdir()
    (real_dir / "pytorch_model.bin").write_bytes(raw)
    reader = LocalReader(real_dir)
    sha = hashlib.sha256(raw).hexdigest()
    f = RemoteFile("pytorch_model.bin", len(raw), sha, key="pytorch_model.bin")
    staged = stage(RemoteModel("test://m", "m", [f], reader), JudgeOptions(staging_dir=tmp_path))
    event(f"legacy torch: {staged.files[0].strategy}")
    try:
        assert _summary(scan_staged(staged, ScanOptions())) == _summary(scan(real_dir))
        if staged.files[0].strategy == "header":
            assert reader.received < len(raw) // 2
    finally:
        staged.cleanup()


PICKLE_SIZE = 70 * 1024**2  # past the 64 MiB the scanner searches for joblib's marker

pickles = st.fixed_dictionaries(
    {
        "body": st.one_of(
            st.just(evil_pickle()),
            st.builds(
                lambda n, proto: __import__("pickle").dumps({"k": list(range(n))}, protocol=proto),
                st.integers(0, 3000),
                st.integers(2, 5),
            ),
        ),
        "after": st.sampled_from([b"", b"\x00", b"\x80\x02", b"N.", b"\xff" * 8]),
        "noise": st.one_of(st.just(b""), st.binary(min_size=1, max_size=8)),
        "noise_at": st.one_of(st.integers(0, 200), st.integers(1024**2, PICKLE_SIZE - 64)),
        # joblib's marker (read whole) and zip tails (read whole) are the rarer cases
        "marker_at": st.sampled_from([None, None, None, 5, 40 * 1024**2, 66 * 1024**2]),
        "suffix": st.sampled_from([b"", b"", b"", _zip(), b"\x00PK\x05\x06"]),
    }
)


@settings(
    max_examples=int(os.environ.get("AIRLOCK_EQUIV_EXAMPLES", "8")),  # a campaign: raise it
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(spec=pickles)
def test_prefix_staged_pickle_is_judged_like_the_real_one(
    tmp_path: Path, spec: dict[str, object]
) -> None:
    real_dir = tmp_path / f"real-{os.urandom(4).hex()}"
    real_dir.mkdir()
    path = real_dir / "model.pkl"
    with open(path, "wb") as fh:  # sparse: only the written ranges take blocks
        fh.truncate(PICKLE_SIZE)
        for at, data in (
            (0, spec["body"] + spec["after"]),  # type: ignore[operator]
            (spec["noise_at"], spec["noise"]),
            (spec["marker_at"], b"joblib.numpy_pickle"),
            (PICKLE_SIZE - len(spec["suffix"]), spec["suffix"]),  # type: ignore[arg-type]
        ):
            if at is not None and data:
                fh.seek(int(at))  # type: ignore[call-overload]
                fh.write(data)  # type: ignore[arg-type]
    reader = LocalReader(real_dir)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    f = RemoteFile("model.pkl", PICKLE_SIZE, sha, key="model.pkl")
    staged = stage(RemoteModel("test://m", "m", [f], reader), JudgeOptions(staging_dir=tmp_path))
    event(f"pickle: {staged.files[0].strategy} {staged.files[0].reason.split('(')[0]}")
    try:
        assert _summary(scan_staged(staged, ScanOptions())) == _summary(scan(real_dir))
    finally:
        staged.cleanup()


onnx_specs = st.fixed_dictionaries(
    {
        "big_mib": st.lists(st.integers(1, 9), min_size=1, max_size=3),
        "denied": st.booleans(),
        "custom_op": st.booleans(),
        "attr_kib": st.sampled_from([0, 1, 100]),
        "small": st.integers(0, 30),
        # overwrite bytes near the start (nodes), near the end (small tensors, inputs, opsets)
        # or anywhere (mostly skipped payloads); or append bytes that are a field or noise
        "where": st.sampled_from(["start", "end", "anywhere", "none"]),
        "at": st.integers(0, 2**31),
        "noise": st.binary(min_size=1, max_size=8),
        "append": st.sampled_from(
            [b"", b"", b"", b"\x3a\xff\x01", b"\x08\x07", b"PK\x05\x06" + b"\0" * 18]
        ),
    }
)


@settings(
    max_examples=int(os.environ.get("AIRLOCK_EQUIV_EXAMPLES", "20")),  # a campaign: raise it
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(spec=onnx_specs)
def test_structure_staged_onnx_is_judged_like_the_real_one(
    tmp_path: Path, spec: dict[str, object]
) -> None:
    from tests.sources.onnx_models import onnx_model

    model = onnx_model(
        big_mib=[*spec["big_mib"], 17 - sum(spec["big_mib"]) % 17 + 1],  # type: ignore[misc]
        denied=bool(spec["denied"]),
        custom_op=bool(spec["custom_op"]),
        attr_kib=int(spec["attr_kib"]),  # type: ignore[call-overload]
        small=int(spec["small"]),  # type: ignore[call-overload]
    )
    raw = bytearray(model.SerializeToString())
    noise = spec["noise"]
    assert isinstance(noise, bytes)
    at = int(spec["at"])  # type: ignore[call-overload]
    span = {"start": 4096, "end": 4096, "anywhere": len(raw), "none": 0}[str(spec["where"])]
    if span:
        pos = at % span if spec["where"] != "end" else len(raw) - 1 - at % span
        raw[pos : pos + len(noise)] = noise[: len(raw) - pos]
    raw += spec["append"]  # type: ignore[operator]
    real_dir = tmp_path / f"real-{os.urandom(4).hex()}"
    real_dir.mkdir()
    (real_dir / "m.onnx").write_bytes(bytes(raw))
    reader = LocalReader(real_dir)
    sha = hashlib.sha256(raw).hexdigest()
    remote = RemoteModel(
        "test://m", "m", [RemoteFile("m.onnx", len(raw), sha, key="m.onnx")], reader
    )
    staged = stage(remote, JudgeOptions(staging_dir=tmp_path))
    event(f"onnx: {staged.files[0].strategy}")
    try:  # reasons may name the file: compare them without the folder
        assert repr(_summary(scan_staged(staged, ScanOptions()))).replace(
            str(staged.root), "M"
        ) == repr(_summary(scan(real_dir))).replace(str(real_dir), "M")
        if staged.files[0].strategy == "header":
            assert reader.received < 4 * 1024**2
    finally:
        staged.cleanup()


def test_download_of_a_file_over_a_folder_is_refused_before_writing(tmp_path: Path) -> None:
    """``--download`` refuses the same listing with the same message, before anything is
    written into the HF cache (it failed half-way, on whichever thread lost the race)."""
    import pytest

    from airlock.sources.download import download
    from airlock.sources.errors import SourceError

    (tmp_path / "a").write_bytes(b"x")
    files = [RemoteFile("a", 1, git_sha1="0" * 40, key="a"),
             RemoteFile("a/b", 1, git_sha1="0" * 40, key="a")]  # fmt: skip
    model = RemoteModel("test://m", "m", files, LocalReader(tmp_path), commit="1" * 40)
    with pytest.raises(SourceError, match="lies under a file"):
        download(model, "org/m", None, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()
