"""The behavioural probe runs in the sandbox by default, with the same result as in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from airlock.nn import hf
from airlock.sandbox import calls, runner
from airlock.sandbox.calls import IsolatedCallFailed
from airlock.sandbox.runner import SandboxPolicy
from airlock.trojan import isolated
from airlock.trojan.analyse import analyse_trojan
from airlock.trojan.isolated import run_probe_isolated
from airlock.trojan.probe import run_probe
from airlock.trojan.report import TrojanOptions
from airlock.trojan.token_drift import TokenCandidate


def _sandbox_works() -> bool:
    return runner.bwrap_path() is not None and runner.bwrap_works()


needs_sandbox = pytest.mark.skipif(
    not _sandbox_works() and os.environ.get("AIRLOCK_REQUIRE_SANDBOX") != "1",
    reason="bubblewrap unusable here",
)


@needs_sandbox
def test_sandboxed_probe_matches_in_process(zoo: dict[str, Path], monkeypatch) -> None:
    calls: list[SandboxPolicy] = []
    real = isolated.run_probe_isolated

    def spy(*args: object, **kw: object) -> object:
        calls.append(kw["policy"])  # type: ignore[arg-type]
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(isolated, "run_probe_isolated", spy)
    boxed = analyse_trojan(zoo["cf"], zoo["base"])  # the default: sandboxed
    local = analyse_trojan(zoo["cf"], zoo["base"], TrojanOptions(sandbox="off"))
    assert len(calls) == 1 and not calls[0].allow_net and not calls[0].allow_unsandboxed
    assert boxed.probe is not None and local.probe is not None
    assert boxed.probe["confirmed"] == local.probe["confirmed"] == ["cf"]
    assert [t["score"] for t in boxed.probe["tested"]] == [
        t["score"] for t in local.probe["tested"]
    ]
    assert any(m.endswith("sandboxed)") for m in boxed.methods)
    assert [f.rule_id for f in boxed.findings] == [f.rule_id for f in local.findings]


def test_policy_binds_only_the_models_and_their_blobs(tmp_path: Path, zoo: dict[str, Path]) -> None:
    snap = tmp_path / "snapshots" / "abc"
    blobs = tmp_path / "blobs"
    snap.mkdir(parents=True)
    blobs.mkdir()
    for f in zoo["cf"].iterdir():
        (blobs / f.name).write_bytes(f.read_bytes())
        (snap / f.name).symlink_to(Path("../../blobs") / f.name)
    pol = calls.policy_for([snap, zoo["base"]])
    assert set(pol.ro_paths) == {snap.resolve(), blobs.resolve(), zoo["base"].resolve()}
    assert not pol.allow_net and pol.memory_mb >= calls.BASE_MEMORY_MB


@needs_sandbox
def test_probe_failures_are_clear_findings(zoo: dict[str, Path]) -> None:
    m = hf.load(zoo["cf"])
    cands = [TokenCandidate(m.vocab["cf"], "cf", 1.0, 1.0, 10.0)]
    # too little memory for torch: the worker dies, the caller gets one clear error
    tiny = SandboxPolicy(ro_paths=(zoo["cf"], zoo["base"]), memory_mb=64, wall_seconds=60)
    with pytest.raises(IsolatedCallFailed, match="sandboxed probe failed"):
        run_probe_isolated(zoo["cf"], zoo["base"], cands, policy=tiny)
    # the same result as the in-process probe when it does run
    boxed = run_probe_isolated(zoo["cf"], zoo["base"], cands)
    local = run_probe(m, hf.load(zoo["base"]), cands)
    assert [t.trigger for t in boxed.confirmed] == [t.trigger for t in local.confirmed] == ["cf"]


def test_no_sandbox_means_no_probe_unless_allowed(zoo: dict[str, Path], monkeypatch) -> None:
    monkeypatch.setattr(runner, "bwrap_path", lambda: None)
    rep = analyse_trojan(zoo["cf"], zoo["base"])
    skipped = [f for f in rep.findings if f.rule_id == "AIR-TRJ-021"]
    assert skipped and "no sandbox backend works here" in skipped[0].evidence
    assert rep.probe is None
    rep = analyse_trojan(zoo["cf"], zoo["base"], TrojanOptions(sandbox="fallback"))
    assert rep.probe is not None and rep.probe["confirmed"] == ["cf"]
