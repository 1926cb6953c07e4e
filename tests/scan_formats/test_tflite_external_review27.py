"""TFLite external buffers on hostile files (session 27, review27).

Every entry of the groups (or buffers) vector may name one table: 150 KB of group entries
naming one 64 KiB name made read_tflite hold 1.3 GB (each entry decoded anew). And a group
naming a file absent from the model folder was a medium finding, so the gate allowed it:
ai-edge-litert 2.3.0's ``CompiledModel.from_buffer`` opens the name relative to the working
directory, whose file of that name became the weights (an ADD's output showed its bytes).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from airlock.formats.source import FormatProblem
from airlock.formats.tflite import read_tflite
from airlock.scan.engine import scan_data, scan_paths
from tests.scan_formats import test_tflite_external as ext

MiB = 1 << 20


def _model(names: list[str], groups: int = 1, buffers: int = 1) -> bytes:
    """``ext._model`` with ``names`` as its groups, the groups vector repeated ``groups``
    times and the buffers vector (one buffer, in group 0) ``buffers`` times."""
    real = getattr(ext, "_tables")  # the module global _model looks up
    calls: list[int] = []

    def tables(b: object, offsets: list[int]) -> int:
        calls.append(1)
        if len(calls) == 1:  # the groups vector
            offsets = [_group(b, n) for n in names] * groups
        elif len(calls) == 2:
            offsets = offsets * buffers
        return int(real(b, offsets))

    setattr(ext, "_tables", tables)
    try:
        return ext._model("")
    finally:
        setattr(ext, "_tables", real)


def _group(b: object, name: str) -> int:
    s = b.CreateString(name)  # type: ignore[attr-defined]
    b.StartObject(1)  # type: ignore[attr-defined]
    b.PrependUOffsetTRelativeSlot(0, s, 0)  # type: ignore[attr-defined]
    return int(b.EndObject())  # type: ignore[attr-defined]


def _peak(fn: object) -> int:
    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_group_entries_naming_one_long_name_are_read_once() -> None:
    data = _model(["w" * 70_000], groups=3_000)
    model = read_tflite(data)
    assert len(model.external_groups) == 3_000
    assert _peak(lambda: read_tflite(data)) < 32 * MiB  # was 200 MB: 3,000 copies of 64 KiB
    assert "AIR-TFL-004" in {f.rule_id for f in scan_data(data, "model.tflite").findings}


def test_more_group_name_bytes_than_the_budget_is_unparseable() -> None:
    data = _model([f"{i:02d}" + "w" * 60_000 for i in range(20)])
    with pytest.raises(FormatProblem, match="group names"):
        read_tflite(data)
    assert "AIR-TFL-000" in {f.rule_id for f in scan_data(data, "model.tflite").findings}


def test_many_buffers_without_a_group_make_at_most_the_kept_findings(tmp_path: Path) -> None:
    data = _model([], buffers=50_000)  # group 0 of no groups: every buffer has none
    (tmp_path / "model.tflite").write_bytes(data)
    report = scan_paths([tmp_path])
    assert {f.rule_id for f in report.findings} == {"AIR-TFL-005"}
    assert len(report.findings) <= 50


def _allowed(folder: Path) -> bool:
    from airlock.gate import CheckOptions, check

    return check(folder, CheckOptions()).allowed


def test_a_group_whose_file_is_not_in_the_folder_is_denied(tmp_path: Path) -> None:
    (tmp_path / "model.tflite").write_bytes(ext._model("secret.env"))
    assert "AIR-TFL-005" in {f.rule_id for f in scan_paths([tmp_path]).findings}
    assert not _allowed(tmp_path)


def test_a_group_that_cannot_be_looked_at_is_reported() -> None:
    """Bytes without a folder (an archive member): the file is not judged, so neither is
    the model."""
    findings = scan_data(ext._model("weights.bin"), "model.tflite").findings
    assert {f.rule_id for f in findings} == {"AIR-TFL-005"}
