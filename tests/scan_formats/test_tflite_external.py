"""TFLite external weights (session 27, rt27fmt: AIR-TFL-004 / AIR-TFL-005).

LiteRT's schema has external buffers (Model fields 8 and 9): a tensor's bytes come from
``length`` bytes at ``offset`` of the file an ``ExternalBufferGroup`` names. ai-edge-litert
2.3.0's ``CompiledModel.from_file`` opens that name itself, joined to the model's folder: a
group named ``/tmp/.../secret.bin`` or ``../secret.bin`` (or a folder symlink leaving the model
folder) made those bytes the model's weights (the output changed), and the scan allowed it
without a finding. The models are built here with the flatbuffers builder; nothing is run.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import flatbuffers
import pytest

from airlock.scan.engine import scan_data, scan_paths
from tests.scan_formats.test_tflite_stock import F32, _ints, _tables

ADD = 0


def _model(group: str, offset: int = 0, length: int = 16) -> bytes:
    """ADD(x, w) over float[4], where w's 16 bytes are external buffer 1 of group 0."""
    b = flatbuffers.Builder(1024)
    name = b.CreateString(group)
    b.StartObject(1)
    b.PrependUOffsetTRelativeSlot(0, name, 0)
    groups = _tables(b, [b.EndObject()])
    b.StartObject(5)
    b.PrependUint32Slot(0, 1, 0)  # id
    b.PrependUint32Slot(1, 0, 0)  # group
    b.PrependUint64Slot(2, offset, 0)
    b.PrependUint64Slot(3, length, 0)
    externals = _tables(b, [b.EndObject()])
    b.StartObject(4)
    b.PrependInt8Slot(0, ADD, 0)
    b.PrependInt32Slot(2, 1, 1)
    code = b.EndObject()
    b.StartObject(1)
    empty = b.EndObject()
    tensors = []
    for i in range(3):
        dims = _ints(b, [4])
        b.StartObject(11)
        b.PrependUOffsetTRelativeSlot(0, dims, 0)
        b.PrependInt8Slot(1, F32, 0)
        if i == 1:
            b.PrependUint32Slot(10, 1, 0)  # external_buffer
        tensors.append(b.EndObject())
    ins, outs = _ints(b, [0, 1]), _ints(b, [2])
    b.StartObject(3)
    b.PrependUOffsetTRelativeSlot(1, ins, 0)
    b.PrependUOffsetTRelativeSlot(2, outs, 0)
    op = b.EndObject()
    tvec, ovec = _tables(b, tensors), _tables(b, [op])
    graph_in, graph_out = _ints(b, [0]), _ints(b, [2])
    b.StartObject(4)
    b.PrependUOffsetTRelativeSlot(0, tvec, 0)
    b.PrependUOffsetTRelativeSlot(1, graph_in, 0)
    b.PrependUOffsetTRelativeSlot(2, graph_out, 0)
    b.PrependUOffsetTRelativeSlot(3, ovec, 0)
    subgraph = b.EndObject()
    cvec, svec, bvec = _tables(b, [code]), _tables(b, [subgraph]), _tables(b, [empty])
    b.StartObject(10)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, cvec, 0)
    b.PrependUOffsetTRelativeSlot(2, svec, 0)
    b.PrependUOffsetTRelativeSlot(4, bvec, 0)
    b.PrependUOffsetTRelativeSlot(8, groups, 0)
    b.PrependUOffsetTRelativeSlot(9, externals, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    return bytes(b.Output())


def _rules(report: object) -> set[str]:
    return {f.rule_id for f in report.findings}  # type: ignore[attr-defined]


def _allowed(folder: Path) -> bool:
    from airlock.gate import CheckOptions, check

    return check(folder, CheckOptions()).allowed


WEIGHTS = struct.pack("<4f", 0.5, 0.5, 0.5, 0.5)


@pytest.mark.parametrize(
    "group",
    ["/etc/hostname", "../secret.bin", "a/../../secret.bin", "~/secret.bin",
     "a/" * 40_000 + "../" * 40_001 + "secret.bin"],
)  # fmt: skip
def test_a_group_naming_a_file_outside_the_folder_is_denied(group: str, tmp_path: Path) -> None:
    (tmp_path / "secret.bin").write_bytes(WEIGHTS)
    folder = tmp_path / "m"
    folder.mkdir()
    data = _model(group)
    assert "AIR-TFL-004" in _rules(scan_data(data, "model.tflite"))
    (folder / "model.tflite").write_bytes(data)
    assert not _allowed(folder)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_group_through_a_folder_symlink_that_leaves_is_denied(tmp_path: Path) -> None:
    (tmp_path / "secret.bin").write_bytes(WEIGHTS)
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.tflite").write_bytes(_model("data/secret.bin"))
    os.symlink(tmp_path, folder / "data")
    report = scan_paths([folder / "model.tflite"])
    assert "AIR-TFL-004" in _rules(report)


def test_own_external_weights_beside_the_model_are_allowed(tmp_path: Path) -> None:
    (tmp_path / "model.tflite").write_bytes(_model("weights.bin"))
    (tmp_path / "weights.bin").write_bytes(WEIGHTS)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "w.bin").write_bytes(WEIGHTS * 2)
    (tmp_path / "model2.tflite").write_bytes(_model("sub/./w.bin", offset=16, length=16))
    report = scan_paths([tmp_path])
    assert _rules(report) == set()
    assert all(o.status == "scanned" for o in report.objects)
    assert _allowed(tmp_path)


def test_missing_or_short_external_weights_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "model.tflite").write_bytes(_model("nothere.bin"))
    assert _rules(scan_paths([tmp_path / "a"])) == {"AIR-TFL-005"}
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "model.tflite").write_bytes(_model("weights.bin", offset=8))
    (tmp_path / "b" / "weights.bin").write_bytes(WEIGHTS)
    assert "AIR-TFL-005" in _rules(scan_paths([tmp_path / "b"]))
    assert not _allowed(tmp_path / "b")  # the weights file is then no proven data
