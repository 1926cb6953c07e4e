"""`data scan` lists that are cut say how many rows were left out (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.data.jsonl import read_jsonl
from airlock.data.poison import scan_dataset
from tests.conftest import run_cli


def test_evidence_and_flagged_rows_say_what_was_left_out(tmp_path: Path) -> None:
    rows = [json.dumps({"text": f"an ordinary sentence number {i}", "label": "a"})
            for i in range(60)]  # fmt: skip
    rows += [json.dumps({"text": f"zero\u200bwidth row {i}", "label": "a"}) for i in range(30)]
    rows += ["{not json"] * 14
    f = tmp_path / "train.jsonl"
    f.write_text("\n".join(rows) + "\n")
    rep = scan_dataset(read_jsonl(f, "text", "label"))
    by_rule = {x.rule_id: x for x in rep.findings}
    assert by_rule["AIR-DAT-007"].evidence.endswith("(+4 more left out)")
    assert by_rule["AIR-DAT-002"].evidence.endswith("(+20 more left out)")
    r = run_cli("data", "scan", str(f), "--text-field", "text", "--label-field", "label")
    assert "10 more flagged rows left out" in r.stdout, r.stdout
    j = json.loads(run_cli("data", "scan", str(f), "--text-field", "text", "-f", "json").stdout)
    assert j["malformed_left_out"] == 0 and j["flagged_rows_left_out"] == 0
