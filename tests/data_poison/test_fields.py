"""``data scan`` never passes a file it did not read (issue 20): a field no row has is a usage
error, and a file whose rows are mostly malformed is a failing finding, not "clean"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airlock.data.jsonl import read_jsonl
from airlock.data.poison import scan_dataset
from airlock.errors import UsageError
from airlock.report import Severity
from tests.conftest import run_cli


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_field_no_row_has_is_a_usage_error(tmp_path: Path) -> None:
    f = _write(tmp_path / "train.jsonl", [{"text": f"row {i}", "label": i % 2} for i in range(50)])
    with pytest.raises(UsageError, match=r"--text-field 'txt'.*fields: text, label"):
        read_jsonl(f, "txt", None)
    with pytest.raises(UsageError, match="--label-field 'lbl'"):
        read_jsonl(f, "text", "lbl")
    r = run_cli("data", "scan", str(f), "--text-field", "txt")
    assert r.returncode == 2 and "no row of" in r.stderr and r.stderr.count("\n") == 1


def test_mostly_malformed_file_fails(tmp_path: Path) -> None:
    rows: list[object] = [{"text": "fine row", "label": "a"}]
    rows += [{"text": 12345, "label": "a"} for _ in range(30)]  # field present, wrong type
    f = _write(tmp_path / "train.jsonl", rows)
    rep = scan_dataset(read_jsonl(f, "text", "label"))
    dat7 = [x for x in rep.findings if x.rule_id == "AIR-DAT-007"]
    assert dat7 and dat7[0].severity == Severity.HIGH and "not judged" in dat7[0].title
    r = run_cli("data", "scan", str(f), "--text-field", "text", "--label-field", "label")
    assert r.returncode == 1 and "AIR-DAT-007" in r.stdout


def test_a_few_malformed_rows_stay_low(tmp_path: Path) -> None:
    rows: list[object] = [{"text": f"row number {i}", "label": "a"} for i in range(40)]
    rows.append({"text": None})
    f = _write(tmp_path / "train.jsonl", rows)
    rep = scan_dataset(read_jsonl(f, "text", None))
    dat7 = [x for x in rep.findings if x.rule_id == "AIR-DAT-007"]
    assert dat7 and dat7[0].severity == Severity.LOW


def test_empty_and_non_object_files_are_not_usage_errors(tmp_path: Path) -> None:
    assert read_jsonl(_write(tmp_path / "e.jsonl", []), "text", None).rows == []
    ds = read_jsonl(_write(tmp_path / "s.jsonl", ["just a string", 3]), "text", None)
    assert len(ds.malformed) == 2
