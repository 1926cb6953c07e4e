"""The data-field stage (candidate K, opt-in): is a text that the model reads as DATA (a tool's
output, a function result, a retrieved document, an e-mail an agent fetched) talking to the
assistant? Honest data describes the world; an indirect injection addresses the agent: it gives
it orders, claims to be its system or its user, tells it to hide what it does, to remember an
instruction for later, to send something somewhere, or fakes the turn markers of a chat.

A small logistic model over a fixed list of such structural signals (counted by bounded,
linear-time regexes on the normalised text) and the linear classifier's score decides, for the
data roles only (``tool`` / ``function``). It does two things there:

- ``p >= hi``: block on its own (instructions addressed to the agent that the n-gram model
  missed);
- ``p < lo``: the text does not address the agent at all, so the linear classifier's and the
  semantic stage's verdicts on it are not enough to block (a news article or an e-mail that
  talks ABOUT passwords, prompts or instructions is data): they are turned into warnings.

Weights and the two thresholds are plain numbers in ``data/pi-datafield-v1.json`` (trained by
scripts/train_guard_datafield.py on seen sets only); nothing is unpickled or executed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.guard.normalize import windows
from airlock.guard.types import GuardError, GuardFinding, ScanContext
from airlock.report import Severity

DATAFIELD_MODEL = Path(__file__).parent / "data" / "pi-datafield-v1.json"
DATA_ROLES = frozenset({"tool", "function"})
_MAX_META = 1 << 16

_AI = r"(?:ai|a\.i\.|assistant|agent|chatbot|bot|llm|language model|model|copilot|claude|gpt|chatgpt|gemini)"  # noqa: E501
_WHO = r"(?:the user|users?|anyone|the human|the customer|the operator|the owner|them|him|her)"
# (name, pattern) -- every pattern is linear-time: alternations and bounded gaps only
SIGNALS: tuple[tuple[str, str], ...] = (
    ("role_marker", r"(?m)^\s*(?:system|assistant|user|human|ai|developer|tool)\s*:"
     r"|<\|?(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\|?>|\[/?inst\]"
     r"|<</?sys>>|</?(?:system|instructions?|admin|sys)>|#{2,}\s*(?:system|instruction)"),
    ("end_of_data", r"(?:end|close) of (?:the )?(?:tool |function )?(?:output|result|response"
     r"|document|data|context|email|message)|</?(?:tool_?output|function_?result|context"
     r"|document|data)>|-{3,}\s*(?:end|begin)"),
    ("ai_address", rf"\b{_AI}\b"),
    ("note_to_ai", rf"\b(?:note|message|instructions?|attention|reminder|memo|directive)"
     rf"\s*(?:to|for)\s*(?:the |any |all )?{_AI}s?\b|\bdear {_AI}\b|\bhey {_AI}\b"
     rf"|\b(?:if|when) you(?:'re| are) (?:an? )?{_AI}\b"),
    ("override", r"\b(?:ignore|disregard|forget|override|bypass|skip|abandon|drop)\b.{0,40}"
     r"\b(?:previous|prior|above|earlier|all|any|original|system|safety|existing|other)\b"
     r".{0,24}\b(?:instructions?|rules|guidelines|prompts?|directives?|constraints?|policies"
     r"|policy|restrictions?|guardrails?|tasks?)\b"),
    ("new_orders", r"\b(?:new|updated|real|actual|true|additional|hidden|secret|revised|"
     r"important|priority|override|urgent)\s+(?:instructions?|task|objective|goal|directive"
     r"|orders?|mission|rules?|policy)\b"),
    ("you_must", r"\byou (?:must|should|will|need to|are required to|have to|shall|are now"
     r"|now|may now|can now|are to|are hereby)\b"),
    ("your_task", r"\byour (?:new |real |actual |true |primary |only |next |main )?(?:task"
     r"|job|goal|role|instructions?|purpose|objective|directive|mission|prompt|rules)\b"),
    ("conceal", rf"\b(?:do not|don't|dont|never|without|avoid) (?:tell|telling|inform|informing"
     rf"|mention|mentioning|reveal|revealing|notify|notifying|alert|alerting|asking|ask"
     rf"|showing|show|disclose|disclosing|letting)\b.{{0,16}}\b{_WHO}"
     r"|\b(?:secretly|silently|quietly|covertly|discreetly|invisibly|stealthily)\b"),
    ("persist", r"\bfrom now on\b|\bgoing forward\b|\bhenceforth\b|\bin (?:all )?(?:future|"
     r"subsequent|later) (?:responses|replies|conversations|sessions|interactions|answers"
     r"|tasks)\b|\bfor all future\b|\bremember (?:this|that|to)\b|\bpermanently\b"
     r"|\bwhenever (?:the )?user\b|\balways (?:respond|reply|answer|include|recommend|use"
     r"|send|forward|add|append|mention|say|cc|bcc|route|approve|grant|trust|prefer)\b"),
    ("exfil", r"\b(?:send|forward|email|e-mail|post|upload|transmit|exfiltrate|leak|share|copy"
     r"|cc|bcc|route|redirect|report|sync|mirror|dump)\b.{0,60}(?:\bto\b|@|https?://)"),
    ("email_addr", r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}\b"),
    ("url", r"https?://|www\."),
    ("secret", r"\b(?:passwords?|passwd|api[ _-]?keys?|access tokens?|tokens?|credentials?"
     r"|secrets?|ssh|private keys?|id_rsa|\.env|credit cards?|card numbers?|cvv|ssn"
     r"|social security|bank details|session cookies?|auth(?:entication)? codes?|otp)\b"),
    ("tool_call", r"\b(?:call|invoke|execute|run|use|trigger|fire)\s+(?:the\s+)?[\w.-]{1,40}"
     r"\s+(?:tool|function|command|api|endpoint|action)\b|\b(?:function_call|tool_call|"
     r"tool_use)\b"),
    ("shell", r"\brm -rf\b|\bcurl\s|\bwget\s|\bchmod\b|\bsudo\s|\bbash -c\b|\|\s*(?:ba)?sh\b"
     r"|\bpowershell\b|\beval\(|\bexec\(|\bos\.system\b|\bsubprocess\b|\bnc -e\b"),
    ("prompt_words", r"\bsystem prompt\b|\bsystem message\b|\binitial instructions\b|\byour"
     r" (?:instructions|prompt|rules|guidelines|configuration)\b|\bdeveloper mode\b"
     r"|\bjailbreak|\bdan mode\b|\bunrestricted\b|\bno (?:restrictions|limits|rules)\b"),
    ("authority", r"\b(?:i am|i'm|this is) (?:the|your) (?:admin|administrator|developer"
     r"|owner|creator|ceo|system|operator|security team|it department)\b|\badmin(?:istrator)?"
     r" (?:access|privileges|mode|override|rights)\b|\bauthori[sz]ed by\b|\bsuper ?user\b"
     r"|\bgod mode\b|\broot access\b"),
    ("money", r"\b(?:transfer|wire|refund|payment|pay|bank account|iban|routing number|crypto"
     r"|bitcoin|btc|wallet|invoice|discount|gift cards?)\b"),
    ("imperative_start", r"(?m)(?:^|[.!?]\s+)(?:ignore|disregard|forget|send|forward|delete"
     r"|execute|run|reveal|output|print|respond|reply|say|tell|include|append|add|grant"
     r"|transfer|approve|disable|enable|update|change|override|visit|click|download|navigate"
     r"|open|email|share|upload|remember|always|never|do not|don't|stop|act|pretend|switch"
     r"|recommend|call|invoke|write|store|save|mark|set)\b"),
    ("the_user", r"\b(?:the user|user's|users'|the human)\b"),
    ("hidden_markup", r"<!--|display\s*:\s*none|font-size\s*:\s*0|visibility\s*:\s*hidden"
     r"|\[//\]: #|color\s*:\s*(?:white|#fff)"),
    ("instruction_word", r"\binstructions?\b|\bcommands?\b|\bdirectives?\b"),
    ("urgency", r"\b(?:important|urgent|attention|warning|critical|immediately|mandatory"
     r"|required|priority)\b"),
)
_COMPILED = tuple((n, re.compile(p, re.DOTALL)) for n, p in SIGNALS)
FEATURES: tuple[str, ...] = (*(n for n, _ in SIGNALS), "linear_logit")
# a window's signals are counted on at most this many characters (the normalised text is
# already capped by the request limits; windows bound each regex pass)
WINDOW = 4000
OVERLAP = 400


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def features(text: str, linear: float) -> list[float]:
    """The stage's feature vector for one (normalised, windowed) text: log1p counts of each
    signal and the linear classifier's score as a logit. (No length: documents are long.)"""
    out = [math.log1p(sum(1 for _ in rx.finditer(text))) for _, rx in _COMPILED]
    return [*out, _logit(linear)]


@dataclass(frozen=True)
class DataFieldModel:
    weights: tuple[float, ...]
    bias: float
    lo: float
    hi: float
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = DATAFIELD_MODEL) -> DataFieldModel:
        """Plain JSON: feature names (must equal this module's list), weights, bias, lo, hi."""
        try:
            raw = path.read_bytes()
            if len(raw) > _MAX_META:
                raise ValueError("too large")
            meta = json.loads(raw)
            names = meta["features"]
            w = tuple(float(x) for x in meta["weights"])
            bias, lo, hi = float(meta["bias"]), float(meta["lo"]), float(meta["hi"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GuardError(f"{path}: not an Airlock data-field model ({exc})") from None
        if list(names) != list(FEATURES) or len(w) != len(FEATURES):
            raise GuardError(f"{path}: its features are not this Airlock's data-field features")
        if not (0.0 <= lo <= hi <= 1.0) or not all(math.isfinite(x) for x in (*w, bias)):
            raise GuardError(f"{path}: thresholds or weights out of range")
        return cls(w, bias, lo, hi, {"sha256": hashlib.sha256(raw).hexdigest()})

    def score(self, text: str, linear: float) -> float:
        """Probability that ``text`` (normalised) addresses the agent: the highest window's."""
        best = 0.0
        for _, chunk in windows(text, WINDOW, OVERLAP):
            z = self.bias + sum(w * x for w, x in zip(self.weights, features(chunk, linear),
                                                      strict=True))  # fmt: skip
            best = max(best, 1.0 / (1.0 + math.exp(-max(min(z, 60.0), -60.0))))
        return best


@dataclass
class DataFieldScanner:
    """Data roles only: ``p >= hi`` blocks (AIR-GRD-PI-004); otherwise leaves ``p`` in the
    context, where the classifier and semantic scanners read it (``gate``) and downgrade their
    own block to a warning when ``p < lo``. Runs before both (lower cost), after the rules."""

    model: DataFieldModel
    linear: Any  # the LinearClassifier (its score feeds the stage)
    name: str = "data-field"
    cost: int = 4
    timeout_s: float = 1.0
    directions: frozenset[str] = frozenset({"input"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        if ctx.role not in DATA_ROLES:
            return []
        text = ctx.norm.text
        lin = max((self.linear.score(c) for _, c in windows(text, WINDOW, OVERLAP)), default=0.0)
        p = self.model.score(text, lin)
        for d in ctx.decoded:  # an encoded order is still an order
            dt = d.text.casefold()
            p = max(p, self.model.score(dt, self.linear.score(dt)))
        ctx.scores[self.name] = p
        ctx.scores[f"{self.name}-lo"] = self.model.lo
        if p >= self.model.hi:
            return [GuardFinding(self.name, "AIR-GRD-PI-004", Severity.HIGH, "block",
                                 "instructions addressed to the assistant inside data (a tool"
                                 " output or document): indirect prompt injection",
                                 score=p)]  # fmt: skip
        return []


def gate(ctx: ScanContext, findings: list[GuardFinding]) -> list[GuardFinding]:
    """A data-role text the data-field stage judged not to address the agent (``p < lo``, left
    in the context with its ``lo``) is not blocked by the n-gram or semantic verdicts alone:
    their blocks become warnings (kept, so monitor mode and logs still show them)."""
    p, lo = ctx.scores.get("data-field"), ctx.scores.get("data-field-lo")
    if p is None or lo is None or p >= lo:
        return findings
    from dataclasses import replace

    return [replace(f, action="warn", severity=Severity.MEDIUM,
                    message=f"{f.message} (in data that does not address the assistant:"
                            f" data-field {p:.3f})")
            if f.action == "block" else f for f in findings]  # fmt: skip
