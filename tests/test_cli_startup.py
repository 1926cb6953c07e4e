"""What ``airlock scan`` of a local file loads. Start-up is almost all of a small scan's cost
(the 1 GiB checkpoint vs picklescan, issue 12, BENCHMARKS.md), so the command imports nothing
it does not use. These pin behaviour (which modules are loaded, which records stay immutable),
never timings."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.formats.source import Limits
from airlock.policyfile.model import BUILTIN, AllowedGlobal, Suppression
from airlock.provenance.walk import FileEntry, WalkProblem
from airlock.scan.allowlist import default_policy
from airlock.scan.interface import Child, ReadAs

# Never needed to scan a local pickle: the remote sources, rich (the pipe console renders the
# markup itself), the other report formats, a policy file's TOML reader (none in the folder).
NEVER = {
    "typer",  # the plain forms of `airlock scan` run without it (airlock.cli.scan_job)
    "rich",
    "typer.rich_utils",
    "httpx",
    "jsonschema",
    "tomllib",
    "airlock.sources.resolve",
    "airlock.sources.remote",
    "airlock.sources.hub",
    "airlock.sources.s3",
    "airlock.render.sarif",
    "concurrent.futures",  # the remote read-ahead's thread pool
    "hashlib",  # a scan judges bytes; hashing is the hash/verify/check commands' job
    "tempfile",  # only a remote member spooled to disk needs one
    "airlock.scan.remote_pickle",  # a remote object's pickle reading
    # records on the scan path are plain classes or NamedTuples: a dataclass compiles the source
    # of its methods at import, on every run (issue 12, BENCHMARKS.md)
    "dataclasses",
}


def _loaded(argv: list[str], cwd: Path) -> set[str]:
    """Module names loaded by the console entry running ``airlock ARGV`` in a fresh process."""
    out = cwd / "modules.txt"
    code = (
        "import sys\n"
        "from airlock._entry import main\n"
        f"sys.argv = {['airlock', *argv]!r}\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"open({str(out)!r}, 'w').write('\\n'.join(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "AIRLOCK_POLICY"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr  # exit 0: scanned and clean
    return set(out.read_text().split())


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"weights": [1.0, 2.0], "name": "m"}, protocol=2))
    return path


def test_text_scan_of_a_local_pickle_loads_only_what_it_uses(model: Path) -> None:
    mods = _loaded(["scan", str(model)], model.parent)
    assert "airlock.scan.pickle_vm" in mods  # it did analyse the pickle
    assert not NEVER & mods, NEVER & mods
    assert "airlock.render.json_report" not in mods


def test_json_scan_of_a_local_pickle_loads_only_what_it_uses(model: Path) -> None:
    mods = _loaded(["scan", str(model), "--format", "json"], model.parent)
    assert "airlock.render.json_report" in mods
    assert not NEVER & mods, NEVER & mods
    assert "airlock.render.text_report" not in mods


def test_import_airlock_leaves_typing_to_the_entry() -> None:
    """``import airlock`` imports no ``typing``: the console entry imports it (through typer)
    with the garbage collector paused."""
    code = "import sys, airlock; print('typing' in sys.modules, airlock.__version__)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "False"


def test_records_on_the_scan_path_stay_immutable() -> None:
    """Records built as NamedTuples (no per-class generated code at import) are as immutable,
    comparable and hashable as the frozen dataclasses they replace."""
    records = [
        Limits(),
        BUILTIN,
        AllowedGlobal("a.b", "why"),
        Suppression("AIR-PKL-001", "why", path="x"),
        FileEntry(".", Path("x"), 1),
        WalkProblem("x", "link", "why"),
        ReadAs(torchscript=True),
        default_policy().classify("collections", "OrderedDict"),
    ]
    for rec in records:
        field = rec._fields[0]
        with pytest.raises(AttributeError):
            setattr(rec, field, getattr(rec, field))
        assert rec == type(rec)(*rec)
        hash(rec)
    assert Limits(max_depth=2) != Limits()
    assert Limits()._replace(max_depth=2).max_depth == 2
    assert Child.of("m", b"x").read_as == ReadAs()


def test_scan_records_keep_their_value_semantics(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records that were dataclasses: keyword construction, fresh containers per instance,
    ``_replace`` for the immutable ones, and ``Rule``'s equality without ``defined_in``."""
    from airlock.report import Finding, Severity
    from airlock.scan import format_rules
    from airlock.scan.format_rules import Rule, lookup

    monkeypatch.setattr(format_rules, "_REGISTRY", {})  # the test's rules stay out of the real one
    from airlock.scan.interface import ScanContext, ScanOutcome
    from airlock.scan.result import FileResult, ObjectResult, ScanReport

    f = Finding(rule_id="AIR-X-1", severity=Severity.HIGH, title="t", location="l")
    assert f._replace(offset=3).offset == 3 and f.offset is None
    assert f == Finding("AIR-X-1", Severity.HIGH, "t", "l")
    doc = f._replace(extra={"k": [1]}).to_json()
    assert list(doc) == [*Finding._fields] and doc["severity"] == "high"
    assert doc["extra"] == {"k": [1]}
    with pytest.raises(AttributeError):
        f.title = "u"  # type: ignore[misc]
    a, b = ScanOutcome("pickle"), ScanOutcome("pickle")
    a.findings.append(f)
    assert b.findings == [] and b.children == [] and b.notes == []
    r1, r2 = ScanReport(["x"]), ScanReport(["y"])
    r1.objects.append(ObjectResult("x", None, "pickle", "scanned"))
    assert r2.objects == [] and FileResult("x").objects == []
    c1, c2 = ScanContext("x"), ScanContext("y")
    assert c1.budget is not c2.budget  # each top-level context its own expansion budget
    assert c1.child("m").member == "m" and c1.child("m").child("n").member == "m!n"
    rule = Rule("AIR-TEST-STARTUP", Severity.LOW, "t", "w")
    assert lookup("AIR-TEST-STARTUP") is rule and rule.defined_in == __name__
    assert rule == Rule("AIR-TEST-STARTUP", Severity.LOW, "t", "w", defined_in="elsewhere")
    assert hash(rule) == hash(Rule("AIR-TEST-STARTUP", Severity.LOW, "t", "w"))
    with pytest.raises(ValueError, match="defined twice"):
        Rule("AIR-TEST-STARTUP", Severity.HIGH, "t", "w")


def test_lz4_magic_is_the_readers() -> None:
    """``archive`` names LZ4's magic itself so that the frame reader loads only for LZ4 data."""
    from airlock.formats import archive, lz4frame

    assert archive.LZ4_MAGIC == lz4frame.MAGIC
