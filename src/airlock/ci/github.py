"""The GitHub Action's entry point: ``python -m airlock.ci.github`` (see ``action.yml``).

Reads the action's inputs from ``INPUT_*`` variables (the composite action passes them), runs
``airlock scan --format sarif`` over every target (paths relative to ``GITHUB_WORKSPACE``, or
``hf://`` ids) and, for ``command: check``, ``airlock check`` on each target; writes the SARIF
where the upload step reads it, ``verdict`` / ``denied`` / ``sarif-file`` to ``GITHUB_OUTPUT``,
a table to ``GITHUB_STEP_SUMMARY``, and exits 1 when any target is denied (2: bad inputs).
Each Airlock run is the real command line in a subprocess, exactly as a user would type it.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

COMMANDS = ("check", "scan")
SEVERITIES = ("info", "low", "medium", "high", "critical")
MAX_TARGETS = 100
TIMEOUT = 6 * 3600


class InputError(ValueError):
    pass


@dataclass(frozen=True)
class Inputs:
    targets: tuple[str, ...]
    command: str
    fail_on: str
    sarif_file: Path
    attest_key: str | None
    allow_unscanned: bool
    extra_args: tuple[str, ...]


@dataclass
class Outcome:
    target: str
    allowed: bool
    summary: str
    attestation: str | None = None


def _bool(value: str, name: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "yes", "1"):
        return True
    if v in ("false", "no", "0", ""):
        return False
    raise InputError(f"input {name}: expected true or false, got {value[:40]!r}")


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """The action's inputs, checked (one error message per bad input)."""
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    raw = env.get("INPUT_PATHS", "")
    targets = tuple(t for t in raw.replace(",", "\n").split() if t)
    if not targets:
        raise InputError("input paths: name at least one model path or hf:// id")
    if len(targets) > MAX_TARGETS:
        raise InputError(f"input paths: at most {MAX_TARGETS} targets")
    resolved = []
    for t in targets:
        if "://" in t:
            resolved.append(t)
            continue
        p = Path(t) if Path(t).is_absolute() else workspace / t
        if not p.exists():
            raise InputError(f"input paths: {t} does not exist in the workspace")
        resolved.append(str(p))
    command = env.get("INPUT_COMMAND", "check").strip() or "check"
    if command not in COMMANDS:
        raise InputError(f"input command: {command!r} is not one of {', '.join(COMMANDS)}")
    fail_on = env.get("INPUT_FAIL_ON", "high").strip().lower() or "high"
    if fail_on not in SEVERITIES:
        raise InputError(f"input fail-on: {fail_on!r} is not one of {', '.join(SEVERITIES)}")
    sarif = env.get("INPUT_SARIF_FILE", "").strip() or "airlock.sarif"
    sarif_path = Path(sarif) if Path(sarif).is_absolute() else workspace / sarif
    key = env.get("INPUT_ATTEST_KEY", "").strip() or None
    if key is not None and command != "check":
        raise InputError("input attest-key: only with command: check")
    try:
        extra = tuple(shlex.split(env.get("INPUT_ARGS", "")))
    except ValueError as exc:
        raise InputError(f"input args: {exc}") from None
    return Inputs(
        targets=tuple(resolved),
        command=command,
        fail_on=fail_on,
        sarif_file=sarif_path,
        attest_key=key,
        allow_unscanned=_bool(env.get("INPUT_ALLOW_UNSCANNED", ""), "allow-unscanned"),
        extra_args=extra,
    )


def _airlock(args: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airlock", *args],
        capture_output=True,
        text=True,
        env=dict(env),
        timeout=TIMEOUT,
        check=False,
    )


def _fail_line(proc: subprocess.CompletedProcess[str]) -> str:
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:300]


def run(inputs: Inputs, env: Mapping[str, str]) -> tuple[list[Outcome], int]:
    """Run the scans/checks; returns the outcomes and the exit code (0, 1 deny, 2 error)."""
    inputs.sarif_file.parent.mkdir(parents=True, exist_ok=True)
    scan = _airlock(
        ["scan", *inputs.targets, "--format", "sarif", "-o", str(inputs.sarif_file),
         "--fail-on", inputs.fail_on, *(["--allow-unscanned"] if inputs.allow_unscanned else [])],
        env,
    )  # fmt: skip
    if scan.returncode == 2 or not inputs.sarif_file.exists():
        raise RuntimeError(f"airlock scan failed: {_fail_line(scan)}")
    outcomes: list[Outcome] = []
    if inputs.command == "scan":
        denied = scan.returncode != 0
        text = "findings at or above " + inputs.fail_on if denied else "no blocking finding"
        outcomes = [Outcome(t, not denied, text) for t in inputs.targets]
    else:
        out_dir = Path(env.get("RUNNER_TEMP") or inputs.sarif_file.parent) / "airlock"
        out_dir.mkdir(parents=True, exist_ok=True)
        for target in inputs.targets:
            args = ["check", target, "--format", "json", "--fail-on", inputs.fail_on]
            if inputs.allow_unscanned:
                args.append("--allow-unscanned")
            attestation = None
            if inputs.attest_key:
                attestation = str(out_dir / f"{uuid.uuid4().hex[:12]}.intoto.json")
                args += ["--attest", inputs.attest_key, "-o", attestation]
            proc = _airlock([*args, *inputs.extra_args], env)
            if proc.returncode == 2:
                raise RuntimeError(f"airlock check {target}: {_fail_line(proc)}")
            try:
                report = json.loads(proc.stdout)
            except ValueError:
                raise RuntimeError(f"airlock check {target}: no JSON report") from None
            failed = [f"{s['name']}: {s['summary']}" for s in report["steps"] if not s["ok"]]
            summary = "; ".join(failed)[:500] or f"root sha256:{report['root_digest'][:16]}…"
            outcomes.append(Outcome(target, report["verdict"] == "allow", summary, attestation))
    code = 0 if all(o.allowed for o in outcomes) else 1
    return outcomes, code


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


def report(inputs: Inputs, outcomes: list[Outcome], env: Mapping[str, str]) -> None:
    denied = [o for o in outcomes if not o.allowed]
    verdict = "deny" if denied else "allow"
    _append(
        env.get("GITHUB_OUTPUT"),
        f"verdict={verdict}\ndenied={len(denied)}\nsarif-file={inputs.sarif_file}\n",
    )
    rows = [
        f"| `{o.target}` | {'✅ allow' if o.allowed else '❌ deny'} | "
        f"{o.summary.replace('|', '/')} |"
        for o in outcomes
    ]
    _append(
        env.get("GITHUB_STEP_SUMMARY"),
        f"### Airlock {inputs.command}: {verdict}\n\n| target | verdict | details |\n"
        "| --- | --- | --- |\n" + "\n".join(rows) + "\n\n"
        f"SARIF: `{inputs.sarif_file}`\n",
    )
    for o in denied:
        # a workflow command: an error annotation on the run
        print(f"::error title=Airlock denied {o.target}::{o.summary}")
    for o in outcomes:
        if o.attestation:
            print(f"airlock: signed verdict for {o.target}: {o.attestation}")


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    try:
        inputs = read_inputs(env)
        outcomes, code = run(inputs, env)
    except (InputError, RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"::error title=Airlock::{exc}")
        return 2
    report(inputs, outcomes, env)
    return code


if __name__ == "__main__":
    sys.exit(main())
