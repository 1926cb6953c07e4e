"""Extra benign rows for the guard's training scripts (``--extra-benign PATH.jsonl``).

Each file holds one JSON object per line with a "text" field (e.g. the TRAIN part written by
scripts/guard_everyday9.py). The rows join the everyday tuning prompts: they train with the
everyday weight and sit in the everyday folds, so the out-of-fold calibration (the thresholds'
everyday-FPR cap) sees them too. Texts already among the everyday rows are skipped.
``--extra-injections PATH.jsonl`` (semantic head, ``--all-seen`` only) adds injection rows the
same way, as calibration group "extra-inj" (the linear stage never trains on them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path


def load_extra_benign(paths: Iterable[Path], have: Iterable[str] = ()) -> list[str]:
    """The texts of the files in order, without repeats or texts already in ``have``."""
    seen = set(have)
    out: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            if isinstance(text, str) and text.strip() and text not in seen:
                seen.add(text)
                out.append(text)
    return out


def load_extra_injections(paths: Iterable[Path], have: Iterable[str] = ()) -> list[str]:
    """Injection texts of ``--extra-injections`` files (same format), without repeats."""
    return load_extra_benign(paths, have)


def extra_meta(paths: Iterable[Path]) -> list[dict[str, str]]:
    """File names and sha256, for the model metadata."""
    return [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in paths]
