"""A prompt-injection classifier that needs nothing but numpy: a logistic model over hashed
character and word n-grams of the normalised text.

Weights live in an ``.npz`` of plain arrays (read with ``allow_pickle=False``) next to a JSON file
describing the features, the decision threshold, and where the training data came from. The same
:func:`featurize` is used by ``scripts/train_guard.py``, so training and inference cannot drift.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from airlock.errors import FormatError, InputError
from airlock.guard.lexicon import LEXICON_VERSION, concept_ids

_WORD_RE = re.compile(r"\w+")
_P = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MAX_META_BYTES = 1 << 20
_MAX_WEIGHTS = 1 << 24

DEFAULT_MODEL = Path(__file__).parent / "data" / "pi-linear-v1.json"


@dataclass(frozen=True)
class FeatureConfig:
    """How text becomes a sparse vector; stored with the weights so both sides agree."""

    dim: int = 1 << 18
    char_ngrams: tuple[int, ...] = (3, 4, 5)
    word_ngrams: tuple[int, ...] = (1, 2)
    max_chars: int = 4000
    # Cross-lingual concept tokens (airlock.guard.lexicon): 0 = off, else the lexicon version.
    concepts: int = 0
    concept_weight: float = 1.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dim": self.dim,
            "char_ngrams": list(self.char_ngrams),
            "word_ngrams": list(self.word_ngrams),
            "max_chars": self.max_chars,
        }
        if self.concepts:
            out["concepts"] = self.concepts
            out["concept_weight"] = self.concept_weight
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureConfig:
        try:
            cfg = cls(
                dim=int(data["dim"]),
                char_ngrams=tuple(int(n) for n in data["char_ngrams"]),
                word_ngrams=tuple(int(n) for n in data["word_ngrams"]),
                max_chars=int(data["max_chars"]),
                concepts=int(data.get("concepts", 0)),
                concept_weight=float(data.get("concept_weight", 1.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"classifier feature config is invalid: {exc}") from None
        ok_dim = 0 < cfg.dim <= _MAX_WEIGHTS
        ok_n = all(0 < n <= 8 for n in cfg.char_ngrams + cfg.word_ngrams)
        if not (ok_dim and ok_n and 0 < cfg.max_chars <= 1 << 20):
            raise FormatError("classifier feature config is out of range")
        if cfg.concepts not in (0, LEXICON_VERSION) or not 0 < cfg.concept_weight <= 100:
            raise FormatError(f"classifier wants concept lexicon v{cfg.concepts}, this is v"
                              f"{LEXICON_VERSION}, or its concept weight is out of range")
        return cfg


def _mix(h: npt.NDArray[np.uint64], salt: int) -> npt.NDArray[np.uint64]:
    h = (h ^ np.uint64(salt)) * _MIX
    return h ^ (h >> np.uint64(29))


def _ngram_hashes(codes: npt.NDArray[np.uint64], n: int, salt: int) -> npt.NDArray[np.uint64]:
    length = codes.shape[0] - n + 1
    if length <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(length, dtype=np.uint64)
    for k in range(n):
        h = h * _P + codes[k : k + length]
    return _mix(h, salt)


def featurize(
    text: str, cfg: FeatureConfig
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Sparse L2-normalised log-count vector ``(indices, values)`` of already-normalised text."""
    text = text[: cfg.max_chars]
    padded = " " + " ".join(text.split()) + " "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = [_ngram_hashes(codes, n, 0x100 + n) for n in cfg.char_ngrams]
    words = _WORD_RE.findall(text)
    if words:
        wcodes = np.fromiter(
            (zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words)
        )
        parts.extend(_ngram_hashes(wcodes, n, 0x200 + n) for n in cfg.word_ngrams)
    allh = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    if allh.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = (allh % np.uint64(cfg.dim)).astype(np.int64)
    uniq, counts = np.unique(idx, return_counts=True)
    vals = np.log1p(counts.astype(np.float32))
    if cfg.concepts:
        cidx, cvals = _concept_features(padded, cfg)
        if cidx.size:
            both = np.concatenate([uniq, cidx])
            uniq, inv = np.unique(both, return_inverse=True)
            merged = np.zeros(uniq.shape[0], dtype=np.float32)
            np.add.at(merged, inv, np.concatenate([vals, cvals]))
            vals = merged
    vals /= np.float32(math.sqrt(float(np.dot(vals, vals))))
    return uniq, vals


def _concept_features(
    text: str, cfg: FeatureConfig
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Concept unigrams, ordered concept bigrams, and unordered concept pairs within four hits
    (word order differs between languages: "talimatları yok say" is INSTRUCTION IGNORE)."""
    ids = concept_ids(text)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    keys = [1000 + i for i in ids]
    keys += [2000 + 64 * a + b for a, b in itertools.pairwise(ids)]
    keys += [6000 + 64 * min(a, b) + max(a, b) for k, a in enumerate(ids)
             for b in ids[k + 1 : k + 4] if a != b]  # fmt: skip
    h = _mix(np.asarray(keys, dtype=np.uint64), 0x300)
    idx = (h % np.uint64(cfg.dim)).astype(np.int64)
    uniq, counts = np.unique(idx, return_counts=True)
    return uniq, np.log1p(counts.astype(np.float32)) * np.float32(cfg.concept_weight)


def default_threshold(meta_path: Path = DEFAULT_MODEL, key: str = "threshold") -> float | None:
    """The calibrated threshold recorded next to the weights (None if unreadable), cheap enough
    for ``--help``: reads the small JSON only. ``key="threshold_foreign"``: the one for text
    mostly not in English."""
    try:
        value = json.loads(meta_path.read_bytes()[:_MAX_META_BYTES])[key]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class LinearClassifier:
    """``score(text)`` = probability that normalised text is a prompt injection."""

    config: FeatureConfig
    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float
    meta: dict[str, Any]
    # Calibrated separately for text mostly not in English (lexicon.foreign); None = one threshold.
    foreign_threshold: float | None = None

    @classmethod
    def load(cls, meta_path: Path = DEFAULT_MODEL) -> LinearClassifier:
        """Load the JSON description and the ``.npz`` it names (checked against its sha256)."""
        try:
            raw = meta_path.read_bytes()[: _MAX_META_BYTES + 1]
        except OSError as exc:
            raise InputError(f"{meta_path}: cannot read classifier: {exc.strerror}") from None
        if len(raw) > _MAX_META_BYTES:
            raise FormatError(f"{meta_path}: classifier metadata is too large")
        try:
            meta = json.loads(raw)
            cfg = FeatureConfig.from_json(meta["features"])
            weights_name = str(meta["weights_file"])
            weights_sha = str(meta["weights_sha256"])
            threshold = float(meta["threshold"])
            raw_foreign = meta.get("threshold_foreign")
            foreign_thr = None if raw_foreign is None else float(raw_foreign)
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{meta_path}: classifier metadata is invalid: {exc}") from None
        wpath = meta_path.parent / Path(weights_name).name
        if not wpath.is_file():
            raise InputError(f"{wpath}: classifier weights file is missing")
        if sha256_file(wpath) != weights_sha:
            raise FormatError(f"{wpath}: classifier weights do not match their recorded sha256")
        try:
            with np.load(wpath, allow_pickle=False) as npz:
                w = np.asarray(npz["weights"], dtype=np.float32)
                b = np.asarray(npz["bias"], dtype=np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise FormatError(f"{wpath}: cannot read classifier weights: {exc}") from None
        if w.shape != (cfg.dim,) or b.shape != (1,) or not np.all(np.isfinite(w)):
            raise FormatError(f"{wpath}: classifier weights have the wrong shape or values")
        if foreign_thr is not None and not 0.0 < foreign_thr < 1.0:
            raise FormatError(f"{meta_path}: threshold_foreign must be in (0, 1)")
        return cls(cfg, w, float(b[0]), threshold, meta, foreign_thr)

    def decision(self, text: str) -> float:
        idx, vals = featurize(text, self.config)
        return float(np.dot(self.weights[idx], vals)) + self.bias

    def score(self, text: str) -> float:
        z = self.decision(text)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
