"""Registry answers -> one admission answer. Pure.

A workload is admitted only when every model it names is known, approved, not revoked and
within policy (the registry's gate says allow), and each ``NAME@sha256:ROOT`` names the model the
registry has under that digest. Anything the webhook could not find out (registry down, slow,
malformed answer) is "unavailable": denied, unless the operator chose ``fail_open``; in
``warn_only`` mode every denial becomes an allowed answer with Kubernetes warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from airlock.admission.review import Workload


@dataclass(frozen=True)
class Answer:
    """The registry gate's decision about one digest (``GateDecision`` fields that matter)."""

    allow: bool
    model: str | None
    state: str | None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Location:
    """A storage URI resolved by the registry (``digest`` None: not registered)."""

    digest: str | None
    model: str | None = None


class Unavailable(Exception):
    """No answer could be obtained (timeout, outage, malformed answer): never an allow."""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    message: str
    warnings: tuple[str, ...] = ()
    unavailable: bool = False  # the denial is (also) for want of an answer
    denials: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Modes:
    require_models: bool = False
    fail_open: bool = False
    warn_only: bool = False


def judge(
    workload: Workload,
    answers: dict[str, Answer | Unavailable],
    locations: dict[str, Location | Unavailable],
    modes: Modes = Modes(),
) -> Verdict:
    """The admission answer for ``workload`` given what the registry said. An object already
    being deleted is let through whatever its models: after a revocation, the controllers that
    clean up (finalizer removal is an UPDATE) must not be refused, and no pod starts from it
    (every new Pod is judged at its own CREATE)."""
    if workload.terminating:
        return Verdict(True, "airlock: being deleted; nothing starts from this object")
    denials: list[str] = []
    outages: list[str] = []
    notes: list[str] = []
    judged: list[tuple[str, str, str | None]] = []  # (label, digest, name claimed for it)
    for uri in workload.uris:
        loc = locations.get(uri) or Unavailable("no answer")
        if isinstance(loc, Unavailable):
            outages.append(f"{uri}: registry unavailable ({loc})")
        elif loc.digest is None:
            denials.append(f"{uri}: storage location is not registered to any approved version")
        else:
            judged.append((f"{uri} (sha256:{loc.digest[:12]})", loc.digest, None))
    for ref in workload.refs:  # each name is checked against its own digest's model
        judged.append((str(ref), ref.digest, ref.name))
    for label, digest, claimed in judged:
        ans = answers.get(digest) or Unavailable("no answer")
        if isinstance(ans, Unavailable):
            outages.append(f"{label}: registry unavailable ({ans})")
            continue
        if claimed is not None and ans.model is not None and ans.model != claimed:
            denials.append(f"{label}: the registry has this digest as model {ans.model!r}")
        elif not ans.allow:
            why = "; ".join(ans.reasons) or f"version is {ans.state or 'unknown'}"
            denials.append(f"{label}: {why}")
        notes.extend(f"{label}: {w}" for w in ans.warnings)
    if not judged and not denials and not outages and modes.require_models:
        denials.append("names no model (annotation airlock.dev/models or a registered storage URI)")
    if not denials and not outages:
        count = len(judged)
        message = f"airlock: {count} model(s) approved" if count else "airlock: names no model"
        return Verdict(True, message, tuple(notes))
    problems = denials + outages
    message = "airlock: denied: " + "; ".join(problems)
    if modes.warn_only or (modes.fail_open and not denials):
        mode = "warn-only" if modes.warn_only else "fail-open"
        warns = [f"airlock ({mode}): would deny: {p}" for p in problems] + notes
        return Verdict(
            True,
            f"airlock ({mode}): " + "; ".join(problems),
            tuple(warns),
            bool(outages),
            tuple(problems),
        )
    return Verdict(False, message, tuple(notes), bool(outages), tuple(problems))
