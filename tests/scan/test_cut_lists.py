"""`scan -v` shows what a pickle imports, and every list the scanner cuts says how much it cut
(issue 20). Fixtures are bytes written here; nothing is ever unpickled."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.formats.keras import KerasIssue
from airlock.scan.handlers.pickle_stream import MAX_LISTED_GLOBALS
from airlock.scan.keras_rules import MAX_FINDINGS, issue_findings
from tests.conftest import run_cli


def _pickle_importing(names: list[tuple[str, str]]) -> bytes:
    """Protocol-2 pickle that pushes and pops one GLOBAL per name, then returns None."""
    ops = b"\x80\x02"
    for module, name in names:
        ops += b"c" + module.encode() + b"\n" + name.encode() + b"\n" + b"0"
    return ops + b"N."


def test_verbose_scan_lists_the_pickles_imports(tmp_path: Path) -> None:
    f = tmp_path / "state.pkl"
    f.write_bytes(_pickle_importing([("collections", "OrderedDict"), ("torch._utils", "x")]))
    r = run_cli("scan", str(f), "-v")
    assert "imports: collections.OrderedDict, torch._utils.x" in r.stdout, r.stdout
    quiet = run_cli("scan", str(f))
    assert "imports:" not in quiet.stdout
    j = run_cli("scan", str(f), "--format", "json")
    notes = [n for o in json.loads(j.stdout)["objects"] for n in o["notes"]]
    assert "imports: collections.OrderedDict, torch._utils.x" in notes


def test_a_long_import_list_says_how_many_were_left_out(tmp_path: Path) -> None:
    f = tmp_path / "many.pkl"
    n = MAX_LISTED_GLOBALS + 7
    f.write_bytes(_pickle_importing([(f"mod{i}", f"fn{i}") for i in range(n)]))
    r = run_cli("scan", str(f), "-v")
    assert "(+7 more left out)" in r.stdout


def test_keras_issue_list_says_how_many_were_left_out() -> None:
    issues = [KerasIssue("foreign-module", f"$.layers[{i}]", f"evil{i}.mod") for i in range(230)]
    out = issue_findings(issues, "model.keras", None, "config.json")
    assert len(out) == MAX_FINDINGS + 1
    assert "30 more issues left out" in out[-1].evidence
