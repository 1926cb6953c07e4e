"""The check attestation's in-toto Statement: what was checked, by which rules, with what result.

Subject: the model's OMS root digest first (named after the model), then one subject per file
(its path and sha256), so a verifier can bind the verdict to bytes without trusting a name.
Predicate (``https://airlock.dev/check/v1``): the verdict, every step's name / ok / summary,
the checker's and the pickle allowlist's versions, the policy in force (the gate options and,
when one was used, a policy file's path and sha256) and the time. Pure: no I/O here.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from airlock.errors import FormatError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://airlock.dev/check/v1"
ROOT_ANNOTATION = "airlock.dev/oms-root"
MAX_STATEMENT_BYTES = 64 * 1024 * 1024
MAX_FILES = 1_000_000
MAX_STEPS = 32
MAX_SUMMARY = 2000
VERDICTS = ("allow", "deny")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CheckStatement:
    """A parsed check statement (shape-checked, not yet trusted: see ``bundle.verify``)."""

    name: str
    root_digest: str
    files: tuple[tuple[str, str], ...]  # (path, sha256), in subject order
    verdict: str
    steps: tuple[dict[str, Any], ...]
    issued_at: datetime
    predicate: dict[str, Any]


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def policy_record(options: dict[str, Any], policy_file: tuple[str, bytes] | None) -> dict[str, Any]:
    """The policy in force: the gate's options (always) and a policy file (path, bytes) if any.

    ``sha256`` covers both, so two checks under the same policy carry the same hash.
    """
    record: dict[str, Any] = {"options": options, "file": None}
    if policy_file is not None:
        path, data = policy_file
        record["file"] = {"path": path, "sha256": hashlib.sha256(data).hexdigest()}
    record["sha256"] = hashlib.sha256(canonical(record)).hexdigest()
    return record


def build(
    *,
    name: str,
    root_digest: str,
    files: list[tuple[str, str]],
    verdict: str,
    steps: list[dict[str, Any]],
    checker_version: str,
    allowlist: dict[str, Any],
    policy: dict[str, Any],
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The unsigned statement (see the module docstring for the fields)."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}")
    when = (timestamp or datetime.now(UTC)).astimezone(UTC)
    subjects: list[dict[str, Any]] = [
        {
            "name": name,
            "digest": {"sha256": root_digest},
            "annotations": {ROOT_ANNOTATION: True},
        }
    ]
    subjects.extend({"name": path, "digest": {"sha256": digest}} for path, digest in files)
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "verdict": verdict,
            "steps": [
                {"name": s["name"], "ok": bool(s["ok"]), "summary": str(s["summary"])[:MAX_SUMMARY]}
                for s in steps
            ],
            "checker": {"name": "airlock", "version": checker_version},
            "scanner": {"name": "airlock", "version": checker_version, "allowlist": allowlist},
            "policy": policy,
            "timestamp": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        },
    }


def _fail(msg: str) -> FormatError:
    return FormatError(f"check attestation: {msg}")


def _digest_of(subject: Any, where: str) -> tuple[str, str]:
    if not isinstance(subject, dict):
        raise _fail(f"{where} must be an object")
    name = subject.get("name")
    digests = subject.get("digest")
    if not isinstance(name, str) or not name or len(name) > 4096:
        raise _fail(f"{where}.name must be a non-empty string")
    if not isinstance(digests, dict) or not isinstance(digests.get("sha256"), str):
        raise _fail(f"{where}.digest.sha256 missing")
    digest = digests["sha256"]
    if not _HEX64.match(digest):
        raise _fail(f"{where}.digest.sha256 is not 64 lowercase hex")
    return name, digest


def parse(payload: bytes) -> CheckStatement:
    """Check a statement's shape; every field the verifier relies on is required."""
    if len(payload) > MAX_STATEMENT_BYTES:
        raise _fail(f"statement larger than {MAX_STATEMENT_BYTES} bytes")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise _fail("statement is not valid JSON") from None
    if not isinstance(data, dict) or data.get("_type") != STATEMENT_TYPE:
        raise _fail(f"statement _type must be {STATEMENT_TYPE!r}")
    if data.get("predicateType") != PREDICATE_TYPE:
        raise _fail(
            f"predicateType is {str(data.get('predicateType'))[:80]!r}, expected {PREDICATE_TYPE!r}"
        )
    subjects = data.get("subject")
    if not isinstance(subjects, list) or not subjects or len(subjects) > MAX_FILES + 1:
        raise _fail(f"subject must list the model and 0 to {MAX_FILES} files")
    first = subjects[0]
    name, root = _digest_of(first, "subject[0]")
    notes = first.get("annotations") if isinstance(first, dict) else None
    if not isinstance(notes, dict) or notes.get(ROOT_ANNOTATION) is not True:
        raise _fail(f"subject[0] must be the model's OMS root (annotation {ROOT_ANNOTATION})")
    files = tuple(_digest_of(s, f"subject[{i}]") for i, s in enumerate(subjects[1:], 1))
    if files:
        from airlock.provenance.manifest import root_digest
        from airlock.provenance.walk import sort_key

        if len({p for p, _ in files}) != len(files):
            raise _fail("a file is listed twice in the subject")
        ordered = sorted(files, key=lambda f: sort_key(f[0]))
        if root_digest(d for _, d in ordered) != root:
            raise _fail("the per-file digests do not add up to the root digest")
    pred = data.get("predicate")
    if not isinstance(pred, dict):
        raise _fail("predicate must be an object")
    verdict = pred.get("verdict")
    if verdict not in VERDICTS:
        raise _fail(f"predicate.verdict must be one of {VERDICTS}")
    steps = pred.get("steps")
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise _fail(f"predicate.steps must be a list of at most {MAX_STEPS} steps")
    for i, s in enumerate(steps):
        if (
            not isinstance(s, dict)
            or not isinstance(s.get("name"), str)
            or not isinstance(s.get("ok"), bool)
            or not isinstance(s.get("summary"), str)
        ):
            raise _fail(f"predicate.steps[{i}] needs name, ok and summary")
    if verdict == "allow" and not all(s["ok"] for s in steps):
        raise _fail("verdict allow with a failed step")
    stamp = pred.get("timestamp")
    if not isinstance(stamp, str):
        raise _fail("predicate.timestamp missing")
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise _fail("predicate.timestamp is not ISO 8601") from None
    if when.tzinfo is None:
        raise _fail("predicate.timestamp has no time zone")
    try:
        when = when.astimezone(UTC)
    except OverflowError:  # year 1 at +14:00 is before datetime.min in UTC
        raise _fail("predicate.timestamp is out of range") from None
    for key in ("checker", "scanner", "policy"):
        if not isinstance(pred.get(key), dict):
            raise _fail(f"predicate.{key} must be an object")
    return CheckStatement(
        name=name,
        root_digest=root,
        files=files,
        verdict=verdict,
        steps=tuple(steps),
        issued_at=when,
        predicate=pred,
    )
