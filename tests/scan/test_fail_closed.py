"""Fail-closed properties of the engine (issue 12): every reading a loader could give a file is
judged, and every budget that stops analysis makes the object "not scanned".

The generators below produce the *next* member of each class, not the reported cases only. The
oracle for "a loader accepts this" is ``pickle.loads`` on data-only prefixes we generate (no
globals, nothing executable); payload pickles are never loaded.
"""

from __future__ import annotations

import gzip
import io
import pickle
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats import pickle_ops
from airlock.formats.pickle_ops import IS_OPCODE
from airlock.scan.engine import ScanOptions, not_judged, scan_data
from airlock.scan.interface import Limits

from .samples import evil_pickle, npy_object, tar_bytes, torch_zip, zip_bytes

PAYLOAD = b"cos\nsystem\n(S'touch /tmp/airlock-marker'\ntR."
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _dangerous(data: bytes, **kw: object) -> bool:
    report = scan_data(data, "sample.bin", **kw)  # type: ignore[arg-type]
    return any(f.rule_id == "AIR-PKL-001" for f in report.findings)


# --- class 1: the sniffer is never stricter than the unpickler -----------------------------------

_SPACE = st.sampled_from(["", " ", "  ", "\t", "\x0b", "\x0c", "\r"])
_DIGITS = st.integers(0, 10**12).map(str)


@st.composite
def number_line(draw: st.DrawFn) -> bytes:
    """An INT/LONG/FLOAT/PUT argument in one of the spellings some unpickler accepts."""
    op = draw(st.sampled_from("ILFp"))
    n = draw(st.integers(0, 10**9))
    body = draw(
        st.sampled_from(
            [str(n), hex(n), oct(n), bin(n), f"{n:_}", f"0{n:o}", f".{n}", f"{n}e3", "inf"]
        )
    )
    sign = draw(st.sampled_from(["", "+", "-"])) if op != "p" else draw(st.sampled_from(["", "+"]))
    tail = draw(st.sampled_from(["", "L", "\0junk"])) if op in "IL" else ""
    return f"{op}{draw(_SPACE)}{sign}{body}{draw(_SPACE)}{tail}\n".encode("latin-1")


def _accepted(prefix: bytes) -> bool:
    try:
        pickle.loads(prefix + b".")  # data only: numbers, None, memo ops
    except Exception:
        return False
    return True


@FAST
@given(st.lists(number_line(), min_size=1, max_size=4))
def test_protocol0_number_forms_are_judged_as_pickle(lines: list[bytes]) -> None:
    prefix = b"N" + b"".join(x if x.startswith(b"p") else x + b"0" for x in lines)
    if not _accepted(prefix):
        return
    data = prefix + b"0" + PAYLOAD
    assert _dangerous(data)
    assert _dangerous(gzip.compress(data))


def test_reported_number_forms() -> None:
    for head in (b"I0x0\n0", b"I 1\n0", b"I1_0\n0", b"F.5\n0", b"Np+0\n0", b"I010\n0"):
        assert _accepted(head[:-1]), head
        assert _dangerous(head + PAYLOAD), head
        assert _dangerous(gzip.compress(head + PAYLOAD)), head


# --- class 2: every reading is judged; two formats at once is a finding --------------------------


def _harmless_containers() -> dict[str, bytes]:
    clean = pickle.dumps({"w": [1.0, 2.0]}, protocol=2)
    return {
        "torch-zip": torch_zip(clean),
        "zip": zip_bytes({"a.txt": b"hello", "b.json": b"{}"}),
        "tar": tar_bytes({"a.txt": b"hello"}),
        "npz": zip_bytes({"a.npy": b"\x93NUMPY\x01\x00" + b"\x76\x00" + b" " * 117 + b"\n"}),
    }


def test_pickle_prefixed_containers_are_judged_both_ways(tmp_path: Path) -> None:
    for kind, container in _harmless_containers().items():
        data = evil_pickle(tmp_path / "m") + container
        report = scan_data(data, "model.pt")
        rules = {f.rule_id for f in report.findings}
        assert "AIR-PKL-001" in rules, kind
        if kind != "tar":  # tar headers sit at offset 0: a prefix hides the tar from tarfile
            assert "AIR-SCAN-004" in rules, kind


def test_zip_that_starts_as_a_complete_pickle_opens_its_members(tmp_path: Path) -> None:
    # A stored member whose local header, read as protocol 0, is PERSID ... STOP.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("\n.x.npy", npy_object(tmp_path / "m"))
    report = scan_data(buf.getvalue(), "weights.npz")
    assert any(f.rule_id == "AIR-PKL-001" for f in report.findings)


@FAST
@given(st.binary(max_size=64), st.sampled_from(["torch-zip", "zip", "npz"]))
def test_any_prefix_before_a_zip_keeps_the_zip_judged(prefix: bytes, kind: str) -> None:
    container = (
        torch_zip(b"cos\nsystem\n(S'x'\ntR.")
        if kind == "torch-zip"
        else zip_bytes({"a.pkl": PAYLOAD}, zipfile.ZIP_STORED)
    )
    assert _dangerous(prefix + container)


# --- class 3: a budget that stops analysis never passes ------------------------------------------


def test_payload_past_the_pickle_cap_is_not_scanned() -> None:
    limits = Limits(max_pickle_bytes=4096)
    pad = b"(" + b"I1\n" * 3000 + b"0" * 3001  # valid opcodes all the way past the cap
    report = scan_data(pad + PAYLOAD, "big.pkl", ScanOptions(limits=limits))
    assert report.objects[0].status == "not_scanned"


_SMALL: dict[str, float] = {
    "max_depth": 0,
    "max_members": 1,
    "max_member_bytes": 64,
    "max_expanded_bytes": 64,
    "max_ratio": 1.0,
    "max_pickle_bytes": 64,
    "max_pickle_ops": 8,
    "max_memo": 1,
    "max_json_bytes": 8,
    "max_resident_bytes": 16,
    "max_seconds": 0.0,
}


def test_every_limit_that_fires_makes_the_object_not_scanned(tmp_path: Path) -> None:
    """Whatever budget stops the analysis, the result is never "scanned" with a mere finding."""
    assert set(Limits._fields) == set(_SMALL)
    samples = {
        **_harmless_containers(),
        "pickle": pickle.dumps([list(range(50))] * 3, protocol=2) + b" " * 100,
        "gz": gzip.compress(b"(" + b"I1\n" * 200 + b"l."),
        "nested": zip_bytes({"in.zip": zip_bytes({"in.pkl": PAYLOAD})}),
    }
    for field, value in _SMALL.items():
        limits = Limits()._replace(**{field: value})
        for kind, data in samples.items():
            full = scan_data(data, "x.bin")
            report = scan_data(data, "x.bin", ScanOptions(limits=limits))
            unread = [o for o in report.objects if o.status == "not_scanned"]
            hit = [f for f in report.findings if not_judged(f.rule_id)]
            if hit:
                assert unread, (field, kind, hit)
            rules = sorted(f.rule_id for f in report.findings)
            if rules != sorted(f.rule_id for f in full.findings):  # the limit changed the verdict
                assert unread, (field, kind, rules)


# --- class 7: extraction attacks are findings ----------------------------------------------------

_ESCAPING = st.sampled_from(
    ["../x.pkl", "/etc/cron.d/x", "a/../../x", "..\\x.pkl", "C:/x", "\\\\srv\\x", "./../x"]
)
_BENIGN = st.sampled_from(["a/b.pkl", "./a.txt", "a/../b.txt", "dir/", "x..y/z"])


def _escape_rules(data: bytes) -> list[str]:
    return [f.rule_id for f in scan_data(data, "a.tar").findings if f.rule_id == "AIR-ARC-009"]


@FAST
@given(_ESCAPING, _BENIGN)
def test_member_names_leaving_the_extraction_dir_are_findings(bad: str, good: str) -> None:
    for build in (tar_bytes, zip_bytes):
        assert _escape_rules(build({good: b"hi", bad: b"hello"})), (build, bad)
        assert not _escape_rules(build({good: b"hi"})), (build, good)


def _tar_link(name: str, target: str, hard: bool) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo(name)
        info.type = tarfile.LNKTYPE if hard else tarfile.SYMTYPE
        info.linkname = target
        t.addfile(info)
    return buf.getvalue()


@FAST
@given(st.sampled_from(["x", "d/x", "d/e/x"]), st.booleans())
def test_tar_links_outside_the_archive_are_findings(name: str, hard: bool) -> None:
    depth = name.count("/")
    assert _escape_rules(_tar_link(name, "/etc/passwd", hard))
    assert _escape_rules(_tar_link(name, "../" * (depth + 1) + "x", hard))
    assert not _escape_rules(_tar_link(name, "y", hard))
    if not hard:  # symlinks resolve from the member's directory
        assert not _escape_rules(_tar_link(name, "../" * depth + "y", hard))


def _archive_links(kind: str, links: dict[str, str]) -> bytes:
    """A tar or zip of ``links`` (name -> symlink target) and one regular file: zip entries
    carry S_IFLNK in their external attributes, which unzip/bsdtar/7-Zip extract as links."""
    import tarfile

    buf = io.BytesIO()
    if kind == "tar":
        with tarfile.open(fileobj=buf, mode="w") as t:
            for name, target in links.items():
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, target
                t.addfile(info)
            info = tarfile.TarInfo("model.onnx")
            info.size = 2
            t.addfile(info, io.BytesIO(b"hi"))
        return buf.getvalue()
    with zipfile.ZipFile(buf, "w") as z:
        for name, target in links.items():
            zi = zipfile.ZipInfo(name)
            zi.create_system, zi.external_attr = 3, (0o120777 << 16)
            z.writestr(zi, target)
        z.writestr("model.onnx", b"hi")
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_links_are_followed_through_the_archives_own_links(kind: str) -> None:
    """rt15og: 'a -> .' then 'w.bin -> a/../canary.txt' stays inside as text but leaves once
    extracted (tar xf / unzip made both links; onnxruntime 1.17.3 read the canary as an ONNX
    model's external data); zip symlinks were not judged at all. Links that stay inside (also
    through another link) are not findings."""

    def rules(links: dict[str, str]) -> list[str]:
        report = scan_data(_archive_links(kind, links), f"a.{kind}")
        return [f.rule_id for f in report.findings if f.rule_id == "AIR-ARC-009"]

    assert rules({"a": ".", "w.bin": "a/../canary.txt"})
    assert rules({"d": ".", "d/w.bin": "../canary.txt"})
    assert rules({"a": "b", "b": "a", "w.bin": "a/x"})  # a loop is not followed for ever
    assert rules({"w.bin": "/tmp/canary.txt"})
    assert not rules({"a": "sub", "w.bin": "a/../blob.bin"})
    assert not rules({"sub/w.bin": "../blob.bin"})


def test_tar_gz_checkpoint_with_traversal_is_denied() -> None:
    data = gzip.compress(tar_bytes({"model_config.yaml": b"a: 1\n", "../../.bashrc": b"x"}))
    report = scan_data(data, "model.nemo")
    assert any(f.rule_id == "AIR-ARC-009" and f.severity >= 3 for f in report.findings)


# --- class 8: a format claimed by name or magic that does not parse denies ------------------------


def _safetensors() -> bytes:
    import json
    import struct

    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * 8


def _npy() -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.arange(4, dtype=np.float32))
    return buf.getvalue()


VALID = {".safetensors": _safetensors, ".npy": _npy}


def _denies(report: object) -> bool:
    from airlock.report import Severity

    findings = report.findings  # type: ignore[attr-defined]
    return any(f.severity >= Severity.HIGH for f in findings)  # denies even --allow-unscanned


@FAST
@given(st.sampled_from(sorted(VALID)), st.data())
def test_truncated_or_mutated_claimed_formats_deny(suffix: str, data: st.DataObject) -> None:
    good = VALID[suffix]()
    report = scan_data(good, f"w{suffix}")
    assert report.findings == [] and report.objects[0].status == "scanned"
    cut = data.draw(st.integers(0, len(good) - 1))
    bad = data.draw(st.sampled_from([good[:cut], good[:cut] + b"\xff" + good[cut + 1 :]]))
    report = scan_data(bad, f"w{suffix}")
    if report.findings or report.objects[0].status != "scanned":
        assert _denies(report), [(f.rule_id, str(f.severity)) for f in report.findings]


@FAST
@given(
    st.sampled_from([".safetensors", ".gguf", ".npy", ".npz", ".h5", ".keras", ".onnx"]),
    st.binary(min_size=1, max_size=256),
)
def test_garbage_under_a_format_name_denies(suffix: str, junk: bytes) -> None:
    assert _denies(scan_data(junk, f"model{suffix}"))


def test_safetensors_header_past_the_end_denies() -> None:
    import struct

    assert _denies(scan_data(struct.pack("<Q", 10**6) + b'{"a":1}', "m.safetensors"))


def test_member_named_for_one_loader_is_judged_by_its_content_too(tmp_path: Path) -> None:
    """np.load opens every member of an .npz by its magic, even one called archive/data.pkl
    (which makes the zip look like a torch checkpoint, whose loader would unpickle it)."""
    for name in ("archive/data.pkl", "archive/version", "archive/code/x.py"):
        data = zip_bytes({name: npy_object(tmp_path / "m"), "archive/data/0": b"\0" * 8})
        for fname in ("weights.npz", "model.pt"):
            report = scan_data(data, fname)
            assert any(f.rule_id == "AIR-PKL-001" for f in report.findings), (name, fname)
            assert not any(f.rule_id == "AIR-SCAN-005" for f in report.findings), (name, fname)


@FAST
@given(st.sampled_from(["gzip", "bz2", "xz", "lzma", "zlib"]), st.sampled_from(["eocd", "zip"]))
def test_compressed_stream_with_a_zip_tail_is_judged_decompressed(kind: str, tail: str) -> None:
    """joblib.load and pandas decompress by the magic at offset 0 and ignore what follows the
    stream; a zip end record (or a whole zip) after it must not hide the stream."""
    import bz2
    import lzma
    import zlib

    comp = {
        "gzip": gzip.compress,
        "bz2": bz2.compress,
        "xz": lambda d: lzma.compress(d, format=lzma.FORMAT_XZ),
        "lzma": lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE),
        "zlib": zlib.compress,
    }[kind]
    trailer = b"PK\x05\x06" + bytes(18) if tail == "eocd" else zip_bytes({"a.txt": b"hi"})
    assert _dangerous(comp(PAYLOAD) + trailer)


def test_entries_sharing_one_member_are_judged_once_but_every_role_is_judged() -> None:
    """The non-recursive bomb (thousands of central entries naming one member) costs one
    analysis, and the one analysis still judges the bytes (a pickle behind a PERSID line)."""
    import struct

    base = zip_bytes({"x.txt": b"P0\nI1\n" + PAYLOAD[:-1] + b"."}, zipfile.ZIP_STORED)
    eocd = base.rfind(b"PK\x05\x06")
    cd_off = struct.unpack_from("<I", base, eocd + 16)[0]
    cd = base[cd_off:eocd]
    n = 300
    out = base[:cd_off] + cd * n
    out += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, n, n, len(cd) * n, cd_off, 0)
    report = scan_data(out, "many.zip")
    assert len([o for o in report.objects if o.member]) == 1
    assert report.objects[0].skipped
    assert any(f.rule_id == "AIR-ARC-001" for f in report.findings)  # overlapping entries


def test_container_whose_bytes_no_unpickler_accepts_is_not_a_polyglot() -> None:
    """A tar whose first member is named p... reads as PUT + a bad memo index: the analyser steps
    over that anomaly, a real unpickler stops there; not two formats (differential 3:1042)."""
    data = tar_bytes({"pytorch_model.npz": zip_bytes({"arr_0.npy": b"x\n" * 10})})
    try:
        pickle.loads(data)
        accepted = True
    except Exception:
        accepted = False
    rules = {f.rule_id for f in scan_data(data, "model.tar").findings}
    assert accepted or "AIR-SCAN-004" not in rules


def _benign_npy_object() -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}, "x", 2.5], dtype=object), allow_pickle=True)
    return buf.getvalue()


def _unpicklers_accept(data: bytes) -> bool:
    for load in (pickle.loads, pickle._loads):  # type: ignore[attr-defined]
        try:
            load(data)
            return True
        except Exception:
            continue
    return False


@FAST
@given(
    first=st.sampled_from(["pytorch_model", "pickle", "data", "g", "I", "L", "F", "(", "0", "p1"]),
    ext=st.sampled_from([".bin", ".npy", ".pt", ".pkl", ""]),
)
def test_tar_whose_header_no_unpickler_accepts_is_only_a_tar(first: str, ext: str) -> None:
    """A tar's first 512 bytes start with a member name; when both unpicklers refuse them (a
    name read as PUT/GET/INT with a bad operand, a DICT without MARK...) the file is one format,
    and a benign object array inside it is clean (differential seed 2026: 13 false positives)."""
    data = tar_bytes({first + ext: _benign_npy_object()})
    report = scan_data(data, "model.tar")
    rules = {f.rule_id for f in report.findings}
    if _unpicklers_accept(data):  # ("I\0..." is INT 0 to _pickle.c): really two formats
        assert "AIR-SCAN-004" in rules
    else:
        assert not _denies(report), [(f.rule_id, f.evidence) for f in report.findings]


def test_tar_whose_header_is_a_payload_pickle_still_denies() -> None:
    """The other side: a member name that is itself a working pickle keeps the pickle reading."""
    name = "cos\nsystem\n(S'true'\ntR."
    data = tar_bytes({name: b"x"})
    assert _dangerous(data)


@pytest.mark.parametrize("protocol", [0, 2, 4])
def test_torch_member_that_is_a_zlib_stream_is_what_its_content_is(protocol: int) -> None:
    """``archive/data.pkl`` holding a bare zlib stream of a benign pickle: torch.load fails at
    the first byte (``x`` is no opcode), joblib.load of the extracted member decompresses it; one
    format, judged as compressed, not a polyglot (seed 2026: 5 false positives)."""
    import zlib

    inner = pickle.dumps({"epoch": 1, "names": ["a"]}, protocol=protocol)
    data = zip_bytes({"archive/data.pkl": zlib.compress(inner), "archive/version": b"3\n"})
    report = scan_data(data, "model.pt")
    assert "AIR-SCAN-004" not in {f.rule_id for f in report.findings}
    assert not _denies(report)
    evil = zip_bytes({"archive/data.pkl": zlib.compress(PAYLOAD), "archive/version": b"3\n"})
    assert _dangerous(evil)


def test_time_budget_makes_the_rest_not_scanned() -> None:
    """Past the per-file time budget nothing is passed as clean: a long pickle stops in the
    analyser, an archive stops between members (budgets far below the work; no timing assert)."""
    tight = ScanOptions(limits=Limits(max_seconds=0.001))
    long_pickle = b"\x80\x02]" + b"N\x85a" * 3_000_000 + b"."  # ~9 M opcodes of list appends
    report = scan_data(long_pickle, "big.pkl", tight)
    assert report.objects[0].status == "not_scanned"
    assert any("time budget" in f.evidence for f in report.findings)
    many = zip_bytes({f"m{i}.pkl": pickle.dumps(i) for i in range(2000)})
    report = scan_data(many, "many.zip", tight)
    assert any(o.status == "not_scanned" for o in report.objects)
    assert any(f.rule_id == "AIR-SCAN-008" and not_judged(f.rule_id) for f in report.findings)
    assert scan_data(pickle.dumps([1, 2]), "ok.pkl").objects[0].status == "scanned"  # default


_BAD_OPERANDS = st.sampled_from([b"I0_1\n", b"L01L\n", b"I1 2\n", b"F1.5x\n", b"Ix\n"])


@FAST
@given(bad=_BAD_OPERANDS, where=st.integers(1, 3), wrap=st.sampled_from(["raw", "zip", "tar"]))
def test_broken_pickle_that_runs_nothing_is_judged_and_payload_after_a_break_denies(
    bad: bytes, where: int, wrap: str
) -> None:
    """A text pickle broken by an operand no unpickler accepts: with no import or call anywhere
    it is judged (nothing can run, whichever loader stops at the break) rather than an
    unrecognised blob; with a payload after the break it still denies (the analyser steps over
    the break, as a more lenient loader would continue)."""
    body = [b"(", b"I1\n", b"S'a'\n", b"Vb\n"]
    body.insert(where, bad + b"0")  # push the broken value, pop it

    def wrapped(pkl: bytes) -> bytes:
        if wrap == "zip":
            return zip_bytes({"model.pkl": pkl})
        if wrap == "tar":
            return tar_bytes({"model.pkl": pkl})
        return pkl

    benign = b"".join(body) + b"l."
    assert not _unpicklers_accept(benign)
    report = scan_data(wrapped(benign), "x.bin")
    unread = [o.reason for o in report.objects if o.status == "not_scanned"]
    assert not unread and not _denies(report), (unread, report.findings)
    evil = b"".join(body) + b"0" + PAYLOAD
    assert _dangerous(wrapped(evil))


# --- a stream every unpickler refuses before anything ran is no pickle reading -------------------

_INERT_OPS = sorted(pickle_ops._INERT)
_NOT_OPCODES = [b for b in range(256) if not IS_OPCODE[b]]


@FAST
@given(
    st.lists(st.sampled_from(_INERT_OPS), max_size=12).map(bytes),
    st.sampled_from(_NOT_OPCODES),
)
def test_refused_before_effect_means_both_unpicklers_stop_before_the_payload(
    tmp_path_factory: pytest.TempPathFactory, prefix: bytes, bad: int
) -> None:
    from airlock.formats.pickle_ops import refused_before_effect

    marker = tmp_path_factory.mktemp("m") / "ran"
    data = prefix + bytes([bad]) + evil_pickle(marker)
    assert refused_before_effect(data)
    for load in (pickle.loads, pickle._loads):  # type: ignore[attr-defined]
        with pytest.raises(Exception):  # any refusal will do
            load(data)
    assert not marker.exists()


def test_opcodes_that_can_run_code_are_never_called_inert() -> None:
    from airlock.formats.pickle_ops import refused_before_effect

    for op in b"cRbio\x81\x92\x93\x82\x83\x84PQ.\x96\x97\x98":
        assert not refused_before_effect(bytes([op, 0x00]))


def test_lzma_alone_data_pkl_is_only_what_its_content_is(tmp_path: Path) -> None:
    import lzma

    benign = pickle.dumps({"weights": [1.0, 2.0]}, protocol=2)
    member = lzma.compress(benign, format=lzma.FORMAT_ALONE)
    assert member[:1] == b"]"
    report = scan_data(torch_zip(member), "model.pt")
    assert not any(f.rule_id == "AIR-SCAN-004" for f in report.findings), report.findings
    evil = lzma.compress(evil_pickle(tmp_path / "m"), format=lzma.FORMAT_ALONE)
    assert _denies(scan_data(torch_zip(evil), "model.pt"))  # the decompressed payload still denies


def _both_refuse(data: bytes) -> bool:
    for load in (pickle.loads, pickle._loads):  # type: ignore[attr-defined]
        try:
            load(data)
        except Exception:  # refused: what we want to know
            continue
        return False
    return True


def test_exact_break_after_an_import_or_before_a_payload_still_denies(tmp_path: Path) -> None:
    """Both unpicklers stop at a malformed number, but what follows is not read by the analyser
    (it stops at a byte that is no opcode): such an object stays not scanned, never allowed."""
    marker = tmp_path / "ran"
    before = b"\x80\x02cos\nsystem\n" + b"L01L\n" + b"\x00"
    after = b"\x80\x02(L01L\n" + b"\x00" + evil_pickle(marker)
    for data in (before, after):
        assert _both_refuse(data) and not marker.exists()
        report = scan_data(data, "blob.bin")
        assert _denies(report) or report.objects[0].status == "not_scanned"


def test_text_that_starts_like_a_broken_pickle_stays_text() -> None:
    report = scan_data(b"(I think this model is good)\nL01 notes\n", "NOTES")
    assert report.findings == [] and report.objects[0].format == "text"


# --- a plain array too large to expand is judged by its header ----------------------------------


def _npz(arrays: dict[str, bytes], compress: bool = True) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in arrays.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("compress", [True, False])
def test_plain_array_past_the_member_limit_is_judged_by_its_header(compress: bool) -> None:
    """np.savez_compressed of one array larger than the member limit: numpy reads the data as
    numbers, so the header alone is judged (it used to be a decompression-limit deny)."""
    np = pytest.importorskip("numpy")
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    arrays = {"w": rng.standard_normal(40_000).astype("float32"), "b": np.zeros(200_000)}
    (np.savez_compressed if compress else np.savez)(buf, **arrays)
    limits = Limits(max_member_bytes=64 * 1024)
    report = scan_data(buf.getvalue(), "weights.npz", ScanOptions(limits=limits))
    assert all(o.status == "scanned" for o in report.objects), report.objects
    assert not report.findings
    assert {o.format for o in report.objects} >= {"npz", "npy"}


def test_object_array_past_the_member_limit_stays_not_scanned(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    big = npy_object(marker) + b" " * 200_000  # the pickle stops at its STOP; padding after
    data = _npz({"x.npy": big, "y.pkl": b"\x80\x04" + b"N" * 200_000 + b"."})
    report = scan_data(data, "weights.npz", ScanOptions(limits=Limits(max_member_bytes=4096)))
    unread = {o.member.split("!")[-1] for o in report.objects if o.status == "not_scanned"}
    assert unread == {"x.npy", "y.pkl"}
    assert _dangerous(data)  # and with the default limits the payload is found


@pytest.mark.parametrize("compress", [True, False])
def test_large_plain_array_member_that_is_also_a_zip_is_not_judged_by_its_header(
    compress: bool,
) -> None:
    """A plain ``<f8`` header whose data ends in a zip holding a pickle: zipfile opens the
    member as that zip, so the header alone must not clear it (it expands, and is not scanned
    when the limits stop it, or is reported as the polyglot it is)."""
    inner = zip_bytes({"model.pkl": PAYLOAD})
    n = 40_000
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({n},), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    data = bytes(8 * n - len(inner)) + inner
    member = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + data
    npz = _npz({"x.npy": member}, compress)
    for limits in (Limits(max_member_bytes=64 * 1024), Limits()):
        report = scan_data(npz, "weights.npz", ScanOptions(limits=limits))
        judged = all(o.status == "scanned" for o in report.objects)
        assert not (judged and not report.findings), (limits, report.objects)


def test_large_plain_array_member_judged_by_header_needs_the_directory_length() -> None:
    """A member whose decoded length is not the directory's is expanded as any member."""
    np = pytest.importorskip("numpy")
    buf = io.BytesIO()
    np.save(buf, np.zeros(40_000))
    good = buf.getvalue()
    npz = bytearray(_npz({"x.npy": good + b"\0" * 64}, compress=False))
    listing = zipfile.ZipFile(io.BytesIO(bytes(npz))).infolist()[0]
    assert listing.file_size == len(good) + 64
    # the directory claims 64 bytes fewer than the member holds (its stored size stays right)
    cd = bytes(npz).rfind(b"PK\x01\x02")
    usize = cd + 24
    npz[usize : usize + 4] = (len(good)).to_bytes(4, "little")
    report = scan_data(bytes(npz), "w.npz", ScanOptions(limits=Limits(max_member_bytes=4096)))
    assert any(o.status == "not_scanned" for o in report.objects) or report.findings
