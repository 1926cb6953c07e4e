"""Run the behavioural probe inside Airlock's sandbox.

The probe never runs a model's code (weights are parsed by our own readers and pushed through our
own forward passes), but it does feed hostile bytes to parsers written in C and Rust (numpy, the
``tokenizers`` library, torch kernels on attacker-chosen shapes). So it runs in a sandboxed worker
(:func:`airlock.sandbox.worker.run_python`): no network, no exec, read-only access to the two
model folders and the interpreter, rlimits and a wall-clock deadline. A parser exploit then
reaches nothing else; a crash or timeout is a clear error, not a dead scanner.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from airlock.errors import AirlockError
from airlock.sandbox.runner import SandboxPolicy
from airlock.trojan.probe import ProbeResult, TriggerTest
from airlock.trojan.token_drift import TokenCandidate

MAX_OUTPUT = 32 << 20
# Address space for torch itself, its thread pools and the probe's activations, on top of the
# weights (float32, model plus base, plus a copy while converting).
BASE_MEMORY_MB = 6144

_WORKER = r"""
import json, sys
from pathlib import Path

import torch

from airlock.trojan import hf
from airlock.trojan.probe import run_probe
from airlock.trojan.token_drift import TokenCandidate

args = json.loads(sys.argv[1])
torch.set_num_threads(args["threads"])
cands = [TokenCandidate(**c) for c in args["candidates"]]
res = run_probe(hf.load(Path(args["model"])), hf.load(Path(args["base"])), cands,
                pairs_of=args["pairs_of"], seed=args["seed"])
out = res.to_json()
out["confirmed_detail"] = [t.to_json() for t in res.confirmed]
sys.stdout.write("\n" + json.dumps(out))
"""


class ProbeFailed(AirlockError):
    """The sandboxed probe crashed, ran out of memory or time, or answered nonsense."""


def _visible_paths(root: Path) -> set[Path]:
    """The folder and, for Hugging Face cache snapshots, the blob folders its links point into."""
    paths = {root.resolve()}
    try:
        entries = list(os.scandir(root))
    except OSError:
        return paths
    for entry in entries[:10_000]:
        if entry.is_symlink():
            try:
                paths.add(Path(entry.path).resolve().parent)
            except OSError:
                continue
    return paths


def _weights_mb(root: Path) -> int:
    total = 0
    for p in root.resolve().rglob("*.safetensors"):
        try:
            total += p.stat().st_size
        except OSError:
            continue
    return total >> 20


def policy_for(
    model: Path, base: Path, wall_seconds: float = 1800.0, *, allow_unsandboxed: bool = False
) -> SandboxPolicy:
    """Read-only binds of both models, no network, memory sized to the weights."""
    ro = tuple(sorted(_visible_paths(model) | _visible_paths(base)))
    # half-precision files double when read as float32; both models are resident at once
    weights = 2 * (_weights_mb(model) + _weights_mb(base))
    memory = BASE_MEMORY_MB + 2 * weights
    return SandboxPolicy(
        ro_paths=ro,
        memory_mb=memory,
        cpu_seconds=int(wall_seconds * 2),
        wall_seconds=wall_seconds,
        file_size_mb=16,
        allow_unsandboxed=allow_unsandboxed,
    )


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
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProbeFailed(f"sandboxed probe answered an unreadable result: {exc}") from None


def _test(t: dict[str, Any]) -> TriggerTest:
    return TriggerTest(
        trigger=str(t["trigger"]),
        score=float(t["score"]),
        model_rate=float(t["model_rate"]),
        reference_rate=float(t["reference_rate"]),
        target=str(t["target"]),
        examples=list(t.get("examples", [])),
        related=[str(r) for r in t.get("related", [])],
    )


def run_probe_isolated(
    model: Path,
    base: Path,
    candidates: list[TokenCandidate],
    *,
    pairs_of: int = 4,
    seed: int = 0,
    policy: SandboxPolicy | None = None,
) -> ProbeResult:
    """:func:`airlock.trojan.probe.run_probe` in a sandboxed worker (same result)."""
    from airlock.sandbox.worker import run_python

    pol = policy or policy_for(model, base)
    args = {
        "model": str(model.resolve()),
        "base": str(base.resolve()),
        "candidates": [
            {"token_id": c.token_id, "token": c.token, "drift": c.drift,
             "relative": c.relative, "z": c.z}
            for c in candidates
        ],
        "pairs_of": pairs_of,
        "seed": seed,
        "threads": max(1, min(os.cpu_count() or 1, 8)),
    }  # fmt: skip
    res = run_python(_WORKER, pol, [json.dumps(args)])
    if res.timed_out:
        raise ProbeFailed(f"sandboxed probe ran past its {pol.wall_seconds:.0f} s deadline")
    if res.returncode != 0:
        tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ProbeFailed(
            f"sandboxed probe failed (exit {res.returncode}): " + " | ".join(tail)[-400:]
        )
    if len(res.stdout) > MAX_OUTPUT:
        raise ProbeFailed("sandboxed probe answered more than 32 MiB")
    last = res.stdout.rstrip().rsplit(b"\n", 1)[-1]
    try:
        data = json.loads(last)
    except ValueError:
        raise ProbeFailed("sandboxed probe answered no result") from None
    return _rebuild(data)
