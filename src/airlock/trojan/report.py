"""The trojan analysis result: findings, the evidence behind them, and an honest verdict.

The verdict never says "clean": it says which methods found no evidence and lists what those
methods cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airlock.report import Finding, max_severity
from airlock.trojan.danger import DEFAULT_CLASSES, DangerClass

BLIND_SPOTS_ALWAYS = (
    "triggers made of common words or syntax/style (they do not stand out in token drift)",
    "backdoors already present in the base model (everything is measured relative to it)",
)
BLIND_SPOT_NO_PROBE = "behavioural confirmation did not run, so candidates are unconfirmed"
BLIND_SPOT_NO_BASE = "no trustworthy base: token drift and weight deltas are meaningless"
# a model too large for the vocabulary screen whose input embedding did not move (frozen
# embeddings, LoRA on attention: how most fine-tunes of real encoders are made) gives the probe
# no token to try (session 16: a frozen-embedding "cf" backdoor of the real MiniLM, attack
# success 1.0, was never tested)
BLIND_SPOT_NO_CANDIDATES = (
    "token triggers: the vocabulary is too large to screen and no embedding row moved "
    "(frozen embeddings or adapters), so no trigger candidate was tested"
)
# a low-rank edit "listens to" a token when its whitened key alignment beats the best alignment
# of random directions by this many of their standard deviations (edit_keys; dev seeds 1-8:
# edits 2.8-5.1 but one at 1.7, random decoys -1.8-1.5)
KEY_Z = 2.3


@dataclass(frozen=True)
class TrojanOptions:
    top_k: int = 10  # trigger candidates kept from token drift
    z_threshold: float = 8.0  # robust z above which a token's drift is an outlier
    behavioural: bool | None = None  # None: run when torch is installed and the arch is supported
    pairs_of: int = 4  # strongest candidates combined pairwise as phrase triggers
    related_cosine: float = 0.8  # a tensor "derives from" the base above this cosine
    seed: int = 0
    # where the behavioural probe runs: "on" in Airlock's sandbox (no network, no exec,
    # read-only models; refused when no sandbox works), "fallback" the same but unsandboxed with
    # a warning when no sandbox works, "off" in this process (our own parsers and forward passes,
    # never model code, but hostile bytes reach C/Rust parsers here)
    sandbox: str = "on"
    # dangerous output classes a causal LM is screened for (defaults + ``danger.load_classes``)
    danger_classes: tuple[DangerClass, ...] = DEFAULT_CLASSES


@dataclass
class BaseMatch:
    arch_differences: dict[str, tuple[Any, Any]]
    vocab_same: bool | None
    vocab_added: int
    missing: list[str]
    extra: list[str]
    shape_mismatch: list[str]
    compared: int = 0
    related: int = 0
    identical: int = 0

    @property
    def related_share(self) -> float:
        return self.related / self.compared if self.compared else 0.0

    @property
    def is_base(self) -> bool:
        return (
            not self.arch_differences
            and self.vocab_same is not False
            and (self.compared > 0 and self.related_share >= 0.5)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "arch_differences": {k: list(v) for k, v in self.arch_differences.items()},
            "vocab_same": self.vocab_same,
            "vocab_added": self.vocab_added,
            "missing_in_model": self.missing[:50],
            "extra_in_model": self.extra[:50],
            "shape_mismatch": self.shape_mismatch[:50],
            "tensors_compared": self.compared,
            "tensors_related": self.related,
            "tensors_identical": self.identical,
            "related_share": round(self.related_share, 4),
            "is_base": self.is_base,
        }


@dataclass
class TrojanReport:
    model: str
    base: str
    findings: list[Finding] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    blind_spots: list[str] = field(default_factory=list)
    base_match: BaseMatch | None = None
    drift: dict[str, Any] | None = None
    tensors: list[dict[str, Any]] = field(default_factory=list)
    layer_energy: dict[int, float] = field(default_factory=dict)
    probe: dict[str, Any] | None = None
    score: float = 0.0  # higher = more suspicious (for ranking/AUROC; not a probability)
    adapter: dict[str, Any] | None = None  # a PEFT adapter judged merged into its base

    @property
    def verdict(self) -> str:
        sev = max_severity(self.findings)
        methods = ", ".join(self.methods) or "none"
        blind = "; ".join(self.blind_spots)
        if sev is not None and sev >= sev.MEDIUM:
            n = sum(1 for f in self.findings if f.severity >= sev.MEDIUM)
            head = f"evidence of tampering or a backdoor found ({n} findings >= medium)"
        else:
            head = f"no evidence of a backdoor found by methods: {methods}"
        return f"{head}. Cannot see: {blind}."

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "base": self.base,
            "verdict": self.verdict,
            "score": round(self.score, 6),
            "methods": self.methods,
            "blind_spots": self.blind_spots,
            "findings": [f.to_json() for f in self.findings],
            "base_match": self.base_match.to_json() if self.base_match else None,
            "token_drift": self.drift,
            "tensors": self.tensors,
            "layer_energy": {str(k): round(v, 4) for k, v in self.layer_energy.items()},
            "probe": self.probe,
            "adapter": self.adapter,
        }
