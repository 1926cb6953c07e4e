"""The guard pipeline: request limits, then scanners cheapest first, each with its own timeout
and error isolation, rolled up into one :class:`Decision` (allow / warn / redact / block).

Fail-closed by default: a scanner that raises or overruns its timeout counts as a blocking
finding, because a guard that silently stops guarding is worse than one that says no.
Monitor mode keeps every finding but never blocks or rewrites (``would`` says what enforce
mode would have done).
"""

from __future__ import annotations

import re
import secrets as _secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from airlock.errors import AirlockError
from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier
from airlock.guard.normalize import Decoded, Normalized, decode_segments, flatten, normalize
from airlock.guard.rules import BUILTIN_INPUT_RULES, BUILTIN_SECRET_RULES, Rule
from airlock.report import Severity

_WORDS = re.compile(r"\w+")
_RANK = {"allow": 0, "warn": 1, "redact": 2, "block": 3}
_EVIDENCE = 80


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
    """One text with its normalised form and decoded segments, computed once per text."""

    def __init__(self, raw: str, direction: str) -> None:
        self.raw = raw
        self.direction = direction

    @cached_property
    def norm(self) -> Normalized:
        return normalize(self.raw)

    @cached_property
    def decoded(self) -> list[Decoded]:
        return list(flatten(decode_segments(self.raw)))


class Scanner(Protocol):
    """A guard scanner: cheap ones get a low ``cost`` and run first."""

    name: str
    cost: int
    timeout_s: float
    directions: frozenset[str]

    def scan(self, ctx: ScanContext) -> list[GuardFinding]: ...


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE else text[: _EVIDENCE - 1] + "…"


@dataclass
class ObfuscationScanner:
    """Flags text that hides characters from a human reader (tag smuggling, bidi overrides)."""

    name: str = "obfuscation"
    cost: int = 0
    timeout_s: float = 0.25
    directions: frozenset[str] = frozenset({"input", "output"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        n = ctx.norm
        out: list[GuardFinding] = []
        if n.hidden_tag_text:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-001", Severity.HIGH, "block",
                                    "text hidden in Unicode tag characters",
                                    _clip(n.hidden_tag_text)))  # fmt: skip
        if n.bidi:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-002", Severity.MEDIUM, "warn",
                                    f"{n.bidi} bidirectional control character(s)"))  # fmt: skip
        if n.invisible > 2:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-003", Severity.LOW, "warn",
                                    f"{n.invisible} invisible character(s) removed"))  # fmt: skip
        return out


@dataclass
class RuleScanner:
    """Regex/literal rules on the normalised text and on every decoded segment."""

    rules: Sequence[Rule]
    name: str = "rules"
    cost: int = 1
    timeout_s: float = 0.25
    directions: frozenset[str] = frozenset({"input", "output"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        out: list[GuardFinding] = []
        for rule in self.rules:
            if not rule.applies(ctx.direction):
                continue
            raw_hits = list(rule.regex.finditer(ctx.raw))
            for m in raw_hits:
                out.append(self._finding(rule, m.group(0), (m.start(), m.end()), ""))
            if raw_hits:
                continue
            m2 = rule.regex.search(ctx.norm.text)
            if m2:
                # Only visible after normalisation: cannot be cut out precisely, so never "redact".
                action = "block" if rule.action == "redact" else rule.action
                out.append(self._finding(rule, m2.group(0), None, "normalised", action))
                continue
            for d in ctx.decoded:
                m3 = rule.regex.search(normalize(d.text).text)
                if m3:
                    action = "block" if rule.action == "redact" else rule.action
                    out.append(self._finding(rule, m3.group(0), None, f"{d.kind}-decoded", action))
                    break
        return out

    def _finding(
        self, rule: Rule, ev: str, span: tuple[int, int] | None, where: str, action: str = ""
    ) -> GuardFinding:
        return GuardFinding(self.name, rule.id, rule.severity, action or rule.action,
                            rule.description, _clip(ev), span, where=where)  # fmt: skip


@dataclass
class CanaryScanner:
    """System-prompt leakage: any configured canary token appearing in output."""

    canaries: Sequence[str]
    name: str = "canary"
    cost: int = 0
    timeout_s: float = 0.25
    directions: frozenset[str] = frozenset({"output"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        folded = ctx.norm.text
        for c in self.canaries:
            if c in ctx.raw or c.casefold() in folded:
                return [GuardFinding(self.name, "AIR-GRD-CANARY-001", Severity.CRITICAL, "block",
                                     "canary token leaked: the system prompt is being disclosed",
                                     _clip(c))]  # fmt: skip
        return []


@dataclass
class ClassifierScanner:
    """The built-in prompt-injection classifier over windows of the text and decoded segments."""

    model: LinearClassifier
    threshold: float
    window: int = 4000
    overlap: int = 400
    # Texts this short carry too little evidence: the training sets' short examples are ~98%
    # attacks, so the model would flag "how are you?". Rules and triggers still see them.
    min_words: int = 4
    min_chars: int = 24
    name: str = "classifier"
    cost: int = 5
    timeout_s: float = 1.0
    directions: frozenset[str] = frozenset({"input"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        from airlock.guard.normalize import windows

        best, where = 0.0, ""
        text = ctx.norm.text
        if len(text) < self.min_chars and len(_WORDS.findall(text)) < self.min_words:
            if not ctx.decoded:
                return []
        for off, chunk in windows(ctx.norm.text, self.window, self.overlap):
            s = self.model.score(chunk)
            if s > best:
                best, where = s, f"chars {off}-{off + len(chunk)}"
        for d in ctx.decoded:
            s = self.model.score(normalize(d.text).text)
            if s > best:
                best, where = s, f"{d.kind}-decoded"
        if best >= self.threshold:
            msg = "prompt injection (classifier)"
            f = GuardFinding(
                self.name, "AIR-GRD-PI-001", Severity.HIGH, "block", msg, "", None, best
            )
            return [replace(f, where=where)]
        return []


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


def estimate_tokens(text: str) -> int:
    """Upper-ish token estimate: max of chars/4 and 1.3 per word (English BPE rule of thumb)."""
    return max(len(text) // 4, int(len(text.split()) * 1.3))


def make_canary() -> str:
    """A fresh unguessable token to plant in a system prompt."""
    return "airlock-canary-" + _secrets.token_hex(8)


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


class Pipeline:
    """Scanners behind one interface; thread-pool timeouts isolate slow or crashing scanners."""

    def __init__(
        self,
        scanners: Sequence[Scanner],
        *,
        monitor: bool = False,
        fail_closed: bool = True,
        limits: Limits | None = None,
        scan_system: bool = False,
        workers: int = 4,
        isolation: str = "thread",
    ) -> None:
        """``isolation="thread"`` enforces each scanner's timeout preemptively from a worker
        thread; ``"inline"`` runs scanners in the caller's thread (cheaper) and treats an overrun
        as a timeout after the fact, for callers that impose their own hard deadline (the proxy).
        """
        if isolation not in ("thread", "inline"):
            raise GuardError(f"unknown isolation {isolation!r}")
        self.isolation = isolation
        self.scanners = sorted(scanners, key=lambda s: s.cost)
        self.monitor = monitor
        self.fail_closed = fail_closed
        self.limits = limits or Limits()
        self.scan_system = scan_system
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="airlock-guard")

    def close(self) -> None:
        """Stop the worker threads and any scanner's own resources (sandboxed workers)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        for s in self.scanners:
            closer = getattr(s, "close", None)
            if callable(closer):
                closer()

    def _run(self, scanner: Scanner, ctx: ScanContext) -> list[GuardFinding]:
        timeout = f"scanner {scanner.name} timed out after {scanner.timeout_s}s", "ERR-002"
        try:
            if self.isolation == "inline":
                t0 = time.perf_counter()
                got = scanner.scan(ctx)
                if time.perf_counter() - t0 <= scanner.timeout_s:
                    return got
                msg, rid = timeout
            else:
                fut = self._pool.submit(scanner.scan, ctx)
                try:
                    return fut.result(timeout=scanner.timeout_s)
                except FutureTimeout:
                    fut.cancel()
                    msg, rid = timeout
        except TimeoutError:  # a scanner that watches its own deadline (the ONNX classifier)
            msg, rid = timeout
        except Exception as exc:
            msg, rid = f"scanner {scanner.name} failed: {type(exc).__name__}", "ERR-001"
        action = "block" if self.fail_closed else "warn"
        return [GuardFinding(scanner.name, f"AIR-GRD-{rid}", Severity.HIGH, action, msg)]

    def scan_text(self, text: str, direction: str = "input", where: str = "") -> list[GuardFinding]:
        """All findings for one text, scanners in cost order; stops early after a block."""
        ctx = ScanContext(text, direction)
        found: list[GuardFinding] = []
        for sc in self.scanners:
            if direction not in sc.directions:
                continue
            got = self._run(sc, ctx)
            if where:
                got = [_with_where(f, where) for f in got]
            found.extend(got)
            if any(f.action == "block" for f in got):
                break
        return found

    def decide(self, findings: list[GuardFinding], text: str | None, t0: float) -> Decision:
        would = max((f.action for f in findings), key=_RANK.__getitem__, default="allow")
        action = ("warn" if findings else "allow") if self.monitor else would
        out_text = redact(text, findings) if (action == "redact" and text is not None) else None
        return Decision(
            action, findings, would, out_text, elapsed_ms=(time.perf_counter() - t0) * 1e3
        )

    def check_text(self, text: str, direction: str = "input") -> Decision:
        t0 = time.perf_counter()
        if len(text) > self.limits.max_text_chars:
            f = limit_finding("text", f"{len(text)} chars > {self.limits.max_text_chars}")
            return self.decide([f], None, t0)
        return self.decide(self.scan_text(text, direction), text, t0)

    def check_request(self, body: Any, endpoint: str, size: int = 0) -> Decision:
        """Validate an OpenAI-style request body and scan every client-supplied text in it."""
        t0 = time.perf_counter()
        problems = request_problems(body, endpoint, size, self.limits)
        if problems:
            return self.decide(problems, None, t0)
        findings: list[GuardFinding] = []
        for where, role, text in request_texts(body, endpoint):
            if role in ("system", "developer") and not self.scan_system:
                continue
            findings.extend(self.scan_text(text, "input", where))
            if any(f.action == "block" for f in findings):
                break
        return self.decide(findings, None, t0)


def _with_where(f: GuardFinding, where: str) -> GuardFinding:
    return replace(f, where=f"{where} {f.where}".strip())


def limit_finding(what: str, msg: str) -> GuardFinding:
    return GuardFinding("limits", "AIR-GRD-LIM-001", Severity.MEDIUM, "block", f"{what}: {msg}")


def _content_texts(content: Any) -> list[str] | None:
    if content is None:
        return []
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        out: list[str] = []
        for part in content:
            if not isinstance(part, dict):
                return None
            if part.get("type") in ("text", "input_text"):
                if not isinstance(part.get("text"), str):
                    return None
                out.append(part["text"])
        return out
    return None


def request_texts(body: dict[str, Any], endpoint: str) -> list[tuple[str, str, str]]:
    """``(where, role, text)`` for every text in a request already checked by request_problems."""
    out: list[tuple[str, str, str]] = []
    if endpoint == "chat":
        for i, msg in enumerate(body["messages"]):
            for t in _content_texts(msg.get("content")) or []:
                out.append((f"messages[{i}]", str(msg.get("role")), t))
    else:
        key = "prompt" if endpoint == "completions" else "input"
        val = body.get(key)
        items = val if isinstance(val, list) else [val]
        for i, t in enumerate(items):
            if isinstance(t, str):
                out.append((f"{key}[{i}]", "user", t))
    return out


def request_problems(body: Any, endpoint: str, size: int, limits: Limits) -> list[GuardFinding]:
    """Schema and size violations of an OpenAI-style request (empty list = acceptable)."""
    if size > limits.max_bytes:
        return [limit_finding("request", f"{size} bytes > {limits.max_bytes}")]
    if not isinstance(body, dict):
        return [limit_finding("request", "body must be a JSON object")]
    texts: list[str] = []
    if endpoint == "chat":
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            return [limit_finding("request", "messages must be a non-empty list")]
        if len(msgs) > limits.max_messages:
            return [limit_finding("request", f"{len(msgs)} messages > {limits.max_messages}")]
        for i, m in enumerate(msgs):
            role = m.get("role") if isinstance(m, dict) else None
            if not isinstance(role, str) or role not in limits.roles:
                return [limit_finding("request", f"messages[{i}] has a missing or unknown role")]
            parts = _content_texts(m.get("content"))
            if parts is None:
                return [limit_finding("request", f"messages[{i}].content has an unsupported shape")]
            texts.extend(parts)
    elif endpoint in ("completions", "embeddings"):
        key = "prompt" if endpoint == "completions" else "input"
        val = body.get(key)
        items = val if isinstance(val, list) else [val]
        if not items or len(items) > limits.max_messages:
            return [limit_finding("request", f"{key} must have 1-{limits.max_messages} items")]
        for it in items:
            if isinstance(it, str):
                texts.append(it)
            elif not (isinstance(it, int) or (isinstance(it, list) and len(it) < 1_000_000)):
                return [limit_finding("request", f"{key} items must be strings or token ids")]
    else:
        raise GuardError(f"unknown endpoint kind {endpoint!r}")
    total = sum(len(t) for t in texts)
    if total > limits.max_text_chars:
        return [limit_finding("request", f"{total} text chars > {limits.max_text_chars}")]
    tokens = sum(estimate_tokens(t) for t in texts)
    if tokens > limits.max_tokens_est:
        return [limit_finding("request", f"~{tokens} tokens > {limits.max_tokens_est}")]
    return []


def default_pipeline(
    *,
    triggers: Sequence[Rule] = (),
    canaries: Sequence[str] = (),
    monitor: bool = False,
    fail_closed: bool = True,
    threshold: float | None = None,
    model_path: Path = DEFAULT_MODEL,
    use_classifier: bool = True,
    limits: Limits | None = None,
    isolation: str = "thread",
    onnx_classifier: Path | None = None,
    onnx_label: str | None = None,
    onnx_threshold: float = 0.5,
    onnx_sandbox: bool = True,
    extra_scanners: Sequence[Scanner] = (),
) -> Pipeline:
    """The standard scanner set: obfuscation, canaries, rules+secrets+triggers, classifier, and
    optionally a user-supplied ONNX classifier (scanned by Airlock before it is loaded, then run
    in a sandboxed worker unless ``onnx_sandbox`` is off) and the caller's own scanners (e.g.
    the live registry-advisory rules)."""
    if onnx_classifier is not None and not 0.0 < onnx_threshold < 1.0:
        raise GuardError(f"ONNX classifier threshold must be in (0, 1), got {onnx_threshold}")
    scanners: list[Scanner] = [
        ObfuscationScanner(),
        RuleScanner([*BUILTIN_INPUT_RULES, *BUILTIN_SECRET_RULES, *triggers]),
    ]
    if canaries:
        scanners.append(CanaryScanner(list(canaries)))
    if use_classifier:
        model = LinearClassifier.load(model_path)
        thr = model.threshold if threshold is None else threshold
        if not 0.0 < thr < 1.0:
            raise GuardError(f"classifier threshold must be in (0, 1), got {thr}")
        scanners.append(ClassifierScanner(model, thr))
    if onnx_classifier is not None:
        from airlock.guard.onnx_classifier import OnnxClassifierScanner, load_onnx_classifier

        onnx = load_onnx_classifier(onnx_classifier, onnx_label, sandbox=onnx_sandbox)
        scanners.append(OnnxClassifierScanner(onnx, onnx_threshold))
    scanners.extend(extra_scanners)
    return Pipeline(
        scanners, monitor=monitor, fail_closed=fail_closed, limits=limits, isolation=isolation
    )
