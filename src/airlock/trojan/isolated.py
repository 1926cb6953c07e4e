"""Run the behavioural probe inside Airlock's sandbox.

The probe never runs a model's code (weights are parsed by our own readers and pushed through our
own forward passes), but it does feed hostile bytes to parsers written in C and Rust (numpy, the
``tokenizers`` library, torch kernels on attacker-chosen shapes). So it runs in a sandboxed worker
(:mod:`airlock.sandbox.calls`): no network, no exec, read-only access to the two
model folders and the interpreter, rlimits and a wall-clock deadline. A parser exploit then
reaches nothing else; a crash or timeout is a clear error, not a dead scanner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airlock.sandbox import calls
from airlock.sandbox.runner import SandboxPolicy
from airlock.trojan.danger import DEFAULT_CLASSES, DangerClass
from airlock.trojan.danger import to_json as danger_json
from airlock.trojan.probe import ProbeResult, TriggerTest
from airlock.trojan.token_drift import TokenCandidate


def probe_entry(
    out_dir: Path,
    model: str,
    base: str,
    candidates: list[dict[str, Any]],
    singles: int,
    pairs_of: int,
    seed: int,
    classes: list[dict[str, Any]] | None = None,
    edited: list[str] | None = None,
) -> dict[str, Any]:
    """Runs inside the sandbox (see :func:`run_probe_isolated`)."""
    from airlock.nn import hf
    from airlock.trojan import danger
    from airlock.trojan.probe import run_probe

    cands = [TokenCandidate(**c) for c in candidates]
    res = run_probe(
        hf.load(Path(model)), hf.load(Path(base)), cands, singles=singles, pairs_of=pairs_of,
        seed=seed, classes=danger.from_json(classes) if classes else danger.DEFAULT_CLASSES,
        edited=tuple(edited or ()),
    )  # fmt: skip
    out = res.to_json()
    out["confirmed_detail"] = [t.to_json() for t in res.confirmed]
    return out


def _rebuild(data: Any) -> ProbeResult:
    try:
        tested = [_test(t) for t in data["tested"]]
        confirmed = [_test(t) for t in data["confirmed_detail"]]
        return ProbeResult(
            mode=str(data["mode"]),
            reference=str(data["reference"]),
            probes=int(data["probes"]),
            tested=tested,
            confirmed=confirmed,
            threshold=float(data["threshold"]),
            screened=bool(data["vocabulary_screened"]),
            output_targets=[dict(t) for t in data.get("output_targets", [])],
            unexplained=[_test(t) for t in data.get("unexplained", [])],
            output_search=str(data.get("output_search", "")),
            edit_keys=[dict(k) for k in data.get("edit_keys", [])],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise calls.IsolatedCallFailed(f"sandboxed probe answered nonsense: {exc}") from None


def _test(t: dict[str, Any]) -> TriggerTest:
    return TriggerTest(
        trigger=str(t["trigger"]),
        score=float(t["score"]),
        model_rate=float(t["model_rate"]),
        reference_rate=float(t["reference_rate"]),
        target=str(t["target"]),
        examples=list(t.get("examples", [])),
        related=[str(r) for r in t.get("related", [])],
        reads=str(t.get("reads", ""))[:500],  # AIR-TRJ-022's word-joined reading
    )


def run_probe_isolated(
    model: Path,
    base: Path,
    candidates: list[TokenCandidate],
    *,
    singles: int = 10,
    pairs_of: int = 4,
    seed: int = 0,
    policy: SandboxPolicy | None = None,
    classes: tuple[DangerClass, ...] = DEFAULT_CLASSES,
    edited: tuple[str, ...] = (),
) -> ProbeResult:
    """:func:`airlock.trojan.probe.run_probe` in a sandboxed worker (same result)."""
    pol = policy or calls.policy_for([model, base])
    args = {
        "model": str(model.resolve()),
        "base": str(base.resolve()),
        "candidates": [
            {"token_id": c.token_id, "token": c.token, "drift": c.drift,
             "relative": c.relative, "z": c.z}
            for c in candidates
        ],
        "singles": singles,
        "pairs_of": pairs_of,
        "seed": seed,
        "classes": danger_json(classes),
        "edited": list(edited),
    }  # fmt: skip
    threads = calls.threads_for([model, base])
    target = "airlock.trojan.isolated.probe_entry"
    with calls.isolated_call(target, args, pol, threads) as (data, _out):
        return _rebuild(data)
