"""TensorFlow Lite flatbuffers built here with the flatbuffers builder in the layout of
schema.fbs: builtin-only models are clean, custom and risky Flex ops are findings, broken
tables or indices are never clean and never crash the scan."""

from __future__ import annotations

from pathlib import Path

import flatbuffers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.scan.engine import scan_data, scan_paths

CUSTOM = 32


def _vector(b: flatbuffers.Builder, offsets: list[int]) -> int:
    b.StartVector(4, len(offsets), 4)
    for off in reversed(offsets):
        b.PrependUOffsetTRelative(off)
    return int(b.EndVector())


def build(
    ops: list[tuple[int, str | None]],
    op_index: int = 0,
    tensor_buffer: int = 1,
    options: bytes | None = None,
) -> bytes:
    """A model with the given operator codes (builtin, custom_code), one subgraph whose single
    operator names ``op_index`` (with ``custom_options`` bytes when given) and whose tensor
    reads buffer ``tensor_buffer``."""
    b = flatbuffers.Builder(1024)
    custom_options = b.CreateByteVector(options) if options is not None else None
    names = [b.CreateString(c) if c is not None else None for _, c in ops]
    codes = []
    for (builtin, _), name in zip(ops, names, strict=True):
        b.StartObject(4)
        b.PrependInt8Slot(0, min(builtin, 127), 0)
        if name is not None:
            b.PrependUOffsetTRelativeSlot(1, name, 0)
        b.PrependInt32Slot(2, 1, 1)
        b.PrependInt32Slot(3, builtin, 0)
        codes.append(b.EndObject())
    data = b.CreateByteVector(b"\0\0\x80?" * 4)
    buffers = []
    for with_data in (False, True):
        b.StartObject(3)
        if with_data:
            b.PrependUOffsetTRelativeSlot(0, data, 0)
        buffers.append(b.EndObject())
    b.StartObject(4)
    b.PrependUint32Slot(2, tensor_buffer, 0)
    tensor = b.EndObject()
    b.StartObject(6)
    b.PrependUint32Slot(0, op_index, 0)
    if custom_options is not None:
        b.PrependUOffsetTRelativeSlot(5, custom_options, 0)
    operator = b.EndObject()
    tensors, operators = _vector(b, [tensor]), _vector(b, [operator])
    b.StartObject(5)
    b.PrependUOffsetTRelativeSlot(0, tensors, 0)
    b.PrependUOffsetTRelativeSlot(3, operators, 0)
    subgraph = b.EndObject()
    code_vec, sg_vec, buf_vec = _vector(b, codes), _vector(b, [subgraph]), _vector(b, buffers)
    b.StartObject(8)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, code_vec, 0)
    b.PrependUOffsetTRelativeSlot(2, sg_vec, 0)
    b.PrependUOffsetTRelativeSlot(4, buf_vec, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    return bytes(b.Output())


def test_builtin_model_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "model.tflite"
    path.write_bytes(build([(9, None), (3, None)]))  # FULLY_CONNECTED, CONV_2D
    report = scan_paths([path])
    assert report.findings == [] and not report.not_scanned
    assert report.objects[0].format == "tflite"
    assert "2 operator codes" in report.objects[0].notes[0]


def test_custom_operator_is_high() -> None:
    r = scan_data(build([(CUSTOM, "MyNativeKernel")]), "m.tflite")
    assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-TFL-001", "HIGH")]


@pytest.mark.parametrize(
    ("op", "severity"),
    [
        ("FlexWriteFile", "HIGH"),
        ("FlexPyFunc", "CRITICAL"),
        # a TFLite model has no assets: the vocabulary file is a path the model names
        ("FlexInitializeTableFromTextFileV2", "HIGH"),
        # rt19ts (session 18): the V2 checkpoint ops, judged only by the SavedModel saver proof,
        # were allowed; TF 2.21's converter emits them as select-TF ops (no saver in a TFLite)
        ("FlexRestoreV2", "HIGH"),
        ("FlexSaveV2", "HIGH"),
        ("FlexMergeV2Checkpoints", "HIGH"),
    ],
)
def test_risky_flex_ops_are_rated_like_savedmodel_ops(op: str, severity: str) -> None:
    r = scan_data(build([(CUSTOM, op)]), "m.tflite")
    assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-TFL-002", severity)]


def test_ordinary_flex_op_is_a_note() -> None:
    r = scan_data(build([(CUSTOM, "FlexRFFT")]), "m.tflite")
    assert r.findings == [] and "RFFT" in " ".join(r.objects[0].notes)


@pytest.mark.parametrize(
    "data",
    [
        build([(9, None)], op_index=4),  # operator names an opcode that does not exist
        build([(9, None)], tensor_buffer=9),  # tensor names a buffer that does not exist
        build([(9, None)])[:40],
        b"\xff\xff\xff\x7fTFL3" + b"\0" * 64,  # root offset past the end
    ],
)
def test_broken_models_are_not_clean(data: bytes) -> None:
    r = scan_data(data, "m.tflite")
    assert r.findings and any(o.status == "not_scanned" for o in r.objects)


_SEED = build([(9, None), (CUSTOM, "FlexRFFT")])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=4))
def test_mutated_models_never_crash_the_scanner(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_SEED)
    for pos, value in edits:
        data[pos] = value
    r = scan_data(bytes(data), "m.tflite")
    assert not any(f.rule_id == "AIR-SCAN-002" for f in r.findings), r.findings


def _zip(name: str, data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, data)
    return out.getvalue()


def test_metadata_zip_of_associated_files_is_judged_not_a_polyglot() -> None:
    # tflite_support's MetadataPopulator appends labels/vocab files as a zip after the model
    r = scan_data(build([(9, None)]) + _zip("labels.txt", b"person\nbicycle\n"), "m.tflite")
    assert r.findings == [] and all(o.status == "scanned" for o in r.objects)
    assert any(o.member == "labels.txt" for o in r.objects)


def test_pickle_in_the_appended_zip_is_still_judged() -> None:
    payload = b"cos\nsystem\n(S'touch /tmp/pwned'\ntR."
    r = scan_data(build([(9, None)]) + _zip("labels.pkl", payload), "m.tflite")
    assert any(f.severity.name == "CRITICAL" for f in r.findings)


def test_shared_tables_cannot_make_the_walk_quadratic() -> None:
    """Every SubGraph entry names one subgraph whose every Tensor entry names one tensor table:
    n * n table reads from ~8 n bytes. The walk is bounded by the file's size, and the file is
    not judged (fails closed)."""
    import struct

    from airlock.formats.tflite import read_tflite
    from airlock.scan.interface import FormatProblem

    n = 2000
    root, subs = 32, 40
    sub = subs + 4 + 4 * n
    tensors = sub + 8
    tensor = tensors + 4 + 4 * n
    buf = bytearray(tensor + 4)
    struct.pack_into("<I4s", buf, 0, root, b"TFL3")
    struct.pack_into("<HHHHH", buf, 8, 10, 8, 0, 0, 4)  # Model vtable: subgraphs (field 2)
    struct.pack_into("<HHH", buf, 20, 6, 8, 4)  # SubGraph vtable: tensors (field 0)
    struct.pack_into("<HH", buf, 28, 4, 4)  # Tensor vtable: no fields
    struct.pack_into("<iI", buf, root, root - 8, subs - (root + 4))
    struct.pack_into("<I", buf, subs, n)
    for i in range(n):
        struct.pack_into("<I", buf, subs + 4 + 4 * i, sub - (subs + 4 + 4 * i))
    struct.pack_into("<iI", buf, sub, sub - 20, tensors - (sub + 4))
    struct.pack_into("<I", buf, tensors, n)
    for i in range(n):
        struct.pack_into("<I", buf, tensors + 4 + 4 * i, tensor - (tensors + 4 + 4 * i))
    struct.pack_into("<i", buf, tensor, tensor - 28)
    with pytest.raises(FormatProblem, match="more tables"):
        read_tflite(bytes(buf))
    result = scan_data(bytes(buf), "m.tflite")
    assert result.objects[0].status == "not_scanned"


def flex_options(name: str, nodedef_op: str) -> bytes:
    """``custom_options`` as the converter writes them: a flexbuffer vector of the op name and
    the serialized NodeDef (here just its ``op`` field, 2)."""
    from flatbuffers import flexbuffers

    fb = flexbuffers.Builder()
    with fb.Vector():
        fb.String(name)
        fb.String("\x12" + chr(len(nodedef_op)) + nodedef_op)
    return bytes(fb.Finish())


@pytest.mark.parametrize(
    ("code", "name", "nodedef_op"),
    [
        ("FlexIdentity", "ReadFile", "ReadFile"),  # the delegate runs the flexbuffer's name
        ("Flex", "WriteFile", "WriteFile"),
        ("FlexIdentity", "Identity", "ReadFile"),  # defaults from another op: a disguise
    ],
)
def test_flex_op_is_judged_by_the_op_the_delegate_runs(
    code: str, name: str, nodedef_op: str
) -> None:
    """Session 15: the select-ops delegate routes any ``Flex*`` custom code to TensorFlow and
    runs ``OpKernelRunner::Create(v[0])`` from ``custom_options``; ``FlexIdentity`` naming
    ``ReadFile`` there was allowed (no finding)."""
    r = scan_data(build([(CUSTOM, code)], options=flex_options(name, nodedef_op)), "m.tflite")
    assert {f.rule_id for f in r.findings} == {"AIR-TFL-002"}
    assert any(f.severity.name == "HIGH" for f in r.findings)


def test_honest_flex_options_and_unreadable_ones() -> None:
    honest = build([(CUSTOM, "FlexRFFT")], options=flex_options("RFFT", "RFFT"))
    assert scan_data(honest, "m.tflite").findings == []
    pyfunc = build([(CUSTOM, "FlexRFFT")], options=flex_options("EagerPyFunc", "EagerPyFunc"))
    assert [f.severity.name for f in scan_data(pyfunc, "m.tflite").findings] == [
        "CRITICAL",
        "HIGH",  # and the name differs from the operator code
    ]
    broken = build([(CUSTOM, "FlexRFFT")], options=b"\x01\x02\x28\x01")
    assert [f.rule_id for f in scan_data(broken, "m.tflite").findings] == ["AIR-TFL-002"]
