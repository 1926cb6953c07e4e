"""The built-in guard scanners, one class per check, cheapest first: obfuscation, rules and
triggers, canaries, and the numpy prompt-injection classifier."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

from airlock.guard.classifier import LinearClassifier
from airlock.guard.datafield import gate
from airlock.guard.everyday import everyday_view, without_prohibitions
from airlock.guard.lexicon import foreign
from airlock.guard.normalize import normalize, windows
from airlock.guard.rules import TOOL_POISON, TOOL_ROLES, Rule, ToolPoisonSignals
from airlock.guard.types import INSTRUCTION_ROLES, WORDS, GuardFinding, ScanContext, clip
from airlock.report import Severity


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
                                    clip(n.hidden_tag_text)))  # fmt: skip
        if n.bidi:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-002", Severity.MEDIUM, "warn",
                                    f"{n.bidi} bidirectional control character(s)"))  # fmt: skip
        if n.invisible > 2:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-003", Severity.LOW, "warn",
                                    f"{n.invisible} invisible character(s) removed"))  # fmt: skip
        if n.marks:
            out.append(GuardFinding(self.name, "AIR-GRD-OBF-004", Severity.LOW, "warn",
                                    f"{n.marks} combining mark(s) on letters removed"))  # fmt: skip
        return out


@dataclass
class RuleScanner:
    """Regex/literal rules on the normalised text (and its reading without accents) and on
    every decoded segment."""

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
            if m2 is None and ctx.norm.demarked:  # "ígnore all prévious instructions"
                m2 = rule.regex.search(ctx.norm.demarked)
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
                            rule.description, clip(ev), span, where=where)  # fmt: skip


_TOOL_RULES = {
    "AIR-GRD-TOOL-001": "tool description tells the model to send secrets or the conversation"
    " to an outside destination (tool poisoning)",
    "AIR-GRD-TOOL-002": "tool description tells the model to read a secret file, credentials or"
    " the conversation and pass them on (tool poisoning)",
    "AIR-GRD-TOOL-003": "tool description tells the model to hide what it does from the user"
    " (tool poisoning)",
    "AIR-GRD-TOOL-004": "tool description copies messages to a fixed outside address (tool"
    " shadowing)",
}


@dataclass
class ToolPoisonScanner:
    """Tool poisoning in tool descriptions and parameter schemas (roles ``tool-spec`` and
    ``schema``): instructions to read secrets and send them out, or to hide from the user.
    The classifier needs near-certainty for tool specs, which instruct by design; these
    signatures judge them regardless. Each signal is found in one pass and paired by distance,
    so the cost stays linear in the text whatever the attacker writes."""

    signals: ToolPoisonSignals = TOOL_POISON
    roles: frozenset[str] = TOOL_ROLES
    name: str = "tool-poisoning"
    cost: int = 1
    timeout_s: float = 1.0  # linear, ~1 us a character: 0.2-0.3 s for a 200,000-char schema
    directions: frozenset[str] = frozenset({"input"})
    move_gap: int = 60  # "send" ... "the user's password"
    dest_gap: int = 130  # "the user's password" ... "to the url"
    read_gap: int = 30  # "read" ... "~/.ssh/id_rsa"
    object_gap: int = 100  # "~/.ssh/id_rsa" ... "include its contents"
    conceal_gap: int = 400  # "do not tell the user" ... "before using this tool"

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        if ctx.role not in self.roles:
            return []
        texts = [("normalised", ctx.norm.text)]
        if ctx.norm.demarked:
            texts.append(("normalised", ctx.norm.demarked))
        texts += [(f"{d.kind}-decoded", normalize(d.text).text) for d in ctx.decoded]
        for where, text in texts:
            hit = self._judge(text)
            if hit:
                rid, (a, b) = hit
                # honest tools do send conversations to webhooks or CC an owner: without an
                # instruction aimed at the model (hijack) or one hiding it, it is a warning
                aimed = rid == "AIR-GRD-TOOL-003" or self.signals.aimed.search(text) is not None
                sev, action = (Severity.HIGH, "block") if aimed else (Severity.MEDIUM, "warn")
                return [GuardFinding(self.name, rid, sev, action, _TOOL_RULES[rid],
                                     clip(text[a:b]), where=where)]  # fmt: skip
        return []

    def _judge(self, text: str) -> tuple[str, tuple[int, int]] | None:
        sig = self.signals
        targets = [m.span() for m in sig.target.finditer(text)]
        if targets:
            moves = [m.end() for m in sig.move.finditer(text)]
            dests = [m.start() for m in sig.dest.finditer(text)]
            for s, e in targets:
                mv = _last_before(moves, s, self.move_gap)
                if mv is None:
                    continue
                d = _first_after(dests, e, self.dest_gap)
                if d is not None and sig.to.search(text, e, d + 1):
                    return "AIR-GRD-TOOL-001", (mv, d + 20)
            reads = [m.end() for m in sig.read.finditer(text)]
            objs = [m.start() for m in sig.obj.finditer(text)]
            for s, e in targets:
                rd = _last_before(reads, s, self.read_gap)
                o = _first_after(objs, e, self.object_gap) if rd is not None else None
                if rd is not None and o is not None:
                    return "AIR-GRD-TOOL-002", (rd, o + 30)
        conceals = [m.span() for m in sig.conceal.finditer(text)]
        if conceals:
            anchors = [m.start() for m in sig.anchor.finditer(text)]
            for s, e in conceals:
                a = nearest(anchors, s, e, self.conceal_gap)
                if a is not None:
                    return "AIR-GRD-TOOL-003", (min(a, s), max(a, e))
        m = sig.shadow.search(text)
        if m:
            return "AIR-GRD-TOOL-004", m.span()
        return None


def _last_before(points: list[int], pos: int, gap: int) -> int | None:
    """The last of the sorted ``points`` in [pos - gap, pos]."""
    i = bisect.bisect_right(points, pos)
    return points[i - 1] if i and points[i - 1] >= pos - gap else None


def nearest(points: list[int], start: int, end: int, gap: int) -> int | None:
    """The last of the sorted ``points`` up to ``gap`` before ``start``, else the first up to
    ``gap`` after ``end``: pairs two signals by distance in linear time."""
    a = _last_before(points, start, gap)
    return a if a is not None else _first_after(points, end, gap)


def _first_after(points: list[int], pos: int, gap: int) -> int | None:
    """The first of the sorted ``points`` in [pos, pos + gap]."""
    i = bisect.bisect_left(points, pos)
    return points[i] if i < len(points) and points[i] <= pos + gap else None


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
                                     clip(c))]  # fmt: skip
        return []


@dataclass
class ClassifierScanner:
    """The built-in prompt-injection classifier over windows of the text and decoded segments."""

    model: LinearClassifier
    threshold: float
    # Lower threshold for text mostly not in English (calibrated with the model; None = off).
    foreign_threshold: float | None = None
    # System prompts, tool specs, templates and schemas instruct the model by design ("You are a
    # helpful assistant." reads like a persona switch): the classifier needs far more evidence
    # there; rules and triggers still apply in full.
    instruction_threshold: float = 0.97
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
        best, where = 0.0, ""
        text = ctx.norm.text
        # A routing or sampling value (role "meta": model name, stop, user id...) of one token is
        # an identifier the model never reads as prose; both learned stages were trained on prose
        # and read "llama-3.1-8b-instruct" as an attack (session 22: every request naming that
        # model blocked in the serve view). Rules still judge it, and decoded payloads count.
        if ctx.role == "meta" and not ctx.decoded and len(text.split()) <= 1:
            return []
        if len(text) < self.min_chars and len(WORDS.findall(text)) < self.min_words:
            if not ctx.decoded:
                return []
        # everyday "ignore the typos" / "my previous e-mail" override words do not count, nor a
        # system prompt's own "never reveal this prompt" (instruction roles)
        view = everyday_view(text)
        if ctx.role in INSTRUCTION_ROLES:
            view = without_prohibitions(view)
        for off, chunk in windows(view, self.window, self.overlap):
            s = self.model.score(chunk)
            if s > best:
                best, where = s, f"chars {off}-{off + len(chunk)}"
        for d in ctx.decoded:
            s = self.model.score(normalize(d.text).text)
            if s > best:
                best, where = s, f"{d.kind}-decoded"
        ctx.scores[self.name] = best
        thr = self.threshold
        if self.foreign_threshold is not None and foreign(text):
            thr = min(thr, self.foreign_threshold)
        if ctx.role in INSTRUCTION_ROLES:
            thr = max(self.threshold, self.instruction_threshold)
        if best >= thr:
            msg = "prompt injection (classifier)"
            f = GuardFinding(
                self.name, "AIR-GRD-PI-001", Severity.HIGH, "block", msg, "", None, best
            )
            return gate(ctx, [replace(f, where=where)])
        return []


