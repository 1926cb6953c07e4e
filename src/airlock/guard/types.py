"""The guard's shared vocabulary: findings, decisions, the per-text scan context, the scanner
interface and request limits. Every other guard module imports from here; this one imports
nothing from the guard but the normaliser, so no import circle can form through it."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from airlock.errors import AirlockError
from airlock.guard.normalize import (
    Decoded,
    Normalized,
    decode_segments,
    flatten,
    normalize,
    reversed_variant,
)
from airlock.report import Severity

_EVIDENCE = 80
RANK = {"allow": 0, "warn": 1, "redact": 2, "block": 3}
WORDS = re.compile(r"\w+")
# Roles a text can play that instruct the model by design (system prompts, tool specs, templates,
# schemas); scanners may weigh them differently from user data. Other roles: user, assistant,
# tool, function, unknown.
INSTRUCTION_ROLES = frozenset({"system", "developer", "tool-spec", "template", "schema"})


class GuardError(AirlockError):
    """The guard was misconfigured or given a request it cannot judge."""


@dataclass(frozen=True)
class GuardFinding:
    """One reason to act; ``span`` indexes the raw text when the match can be located there."""

    scanner: str
    rule_id: str
    severity: Severity
    action: str
    message: str
    evidence: str = ""
    span: tuple[int, int] | None = None
    score: float | None = None
    where: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scanner": self.scanner,
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "action": self.action,
            "message": self.message,
            "evidence": self.evidence,
        }
        if self.score is not None:
            out["score"] = round(self.score, 4)
        if self.where:
            out["where"] = self.where
        return out


@dataclass
class Decision:
    """What to do with one text or request; ``id`` is quoted in error bodies and logs."""

    action: str
    findings: list[GuardFinding]
    would: str
    text: str | None = None
    id: str = field(default_factory=lambda: "gf_" + uuid.uuid4().hex[:24])
    elapsed_ms: float = 0.0

    @property
    def blocked(self) -> bool:
        return self.action == "block"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "would": self.would,
            "findings": [f.to_json() for f in self.findings],
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


class ScanContext:
    """One text with its normalised form and decoded segments, computed once per text;
    ``role`` is what the text is to the model (user data, system prompt, tool spec...)."""

    def __init__(self, raw: str, direction: str, role: str = "user") -> None:
        self.raw = raw
        self.direction = direction
        self.role = role
        # scores earlier scanners leave for later ones (the semantic stage reads the linear
        # classifier's, to run only in its uncertain band)
        self.scores: dict[str, float] = {}

    @cached_property
    def norm(self) -> Normalized:
        return normalize(self.raw)

    @cached_property
    def decoded(self) -> list[Decoded]:
        """Encoded segments that decode to text, and the text read backwards when that reads
        better than forwards (an instruction to be reversed by the model)."""
        out = list(flatten(decode_segments(self.raw)))
        rev = reversed_variant(self.norm.text)
        if rev is not None:
            out.append(Decoded("reversed", 0, len(self.raw), rev))
        return out


class Scanner(Protocol):
    """A guard scanner: cheap ones get a low ``cost`` and run first."""

    name: str
    cost: int
    timeout_s: float
    directions: frozenset[str]

    def scan(self, ctx: ScanContext) -> list[GuardFinding]: ...


@dataclass(frozen=True)
class Limits:
    """Request schema and size limits (tokens are estimated: no tokenizer download)."""

    max_bytes: int = 1 << 20
    max_messages: int = 256
    max_text_chars: int = 200_000
    max_tokens_est: int = 64_000
    roles: frozenset[str] = frozenset(
        {"system", "developer", "user", "assistant", "tool", "function"}
    )


def folded_chars(text: str, stop: int | None = None) -> int:
    """Characters after NFKC, what the scanners read; counting ends once past ``stop``.

    rt27sbx: U+FDFA is 18 characters there, so 199,000 of them, under the raw-text limit, made
    3.6 million to normalise (~8 s of CPU per 600 KB request behind a 2 s guard deadline, which
    does not stop the thread; NFKC alone took over a second). Counted in pieces cut before an
    ASCII character (nothing composes with a following ASCII one, so the pieces add up
    exactly), so a text far past ``stop`` costs only the first pieces."""
    if unicodedata.is_normalized("NFKC", text):
        return len(text)
    total, i, n = 0, 0, len(text)
    while i < n:
        j = k = min(n, i + 4096)
        while k < n and k < j + 256 and not text[k].isascii():
            k += 1
        if k < n and text[k].isascii():
            j = k
        total += len(unicodedata.normalize("NFKC", text[i:j]))
        i = j
        if stop is not None and total > stop:
            break
    return total


def limit_finding(what: str, msg: str) -> GuardFinding:
    return GuardFinding("limits", "AIR-GRD-LIM-001", Severity.MEDIUM, "block", f"{what}: {msg}")


def clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE else text[: _EVIDENCE - 1] + "…"


def redact(text: str, findings: Iterable[GuardFinding]) -> str:
    spans = sorted(
        (f.span[0], f.span[1], f.rule_id) for f in findings if f.action == "redact" and f.span
    )
    out, pos = [], 0
    for s, e, rid in spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(f"[REDACTED:{rid}]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


