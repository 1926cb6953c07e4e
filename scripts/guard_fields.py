"""Per-text scores of every guard scanner on a request set, and the serve view replayed from
them: where a guard's blocks come from (which role, which stage), and what a candidate policy
would decide, without rerunning the guard for each policy.

    python scripts/guard_fields.py dump --data /tmp/f33/F --out /tmp/f33/F.fields.jsonl
    python scripts/guard_fields.py replay --dump /tmp/f33/F.fields.jsonl [...]

``dump`` reads ``PREFIX.benign.jsonl`` / ``PREFIX.injections.jsonl`` (the blind writers'
format: ``request``, ``label``, ``field``...), extracts every text the serve view judges
(``request_fields`` + ``conversation_window``), and runs every scanner on each text with no
early stop: the rule-like scanners' blocking rule ids, the linear score, and the semantic
stage's encoder score for every text at or above the band (whatever its role, so a policy may
use it where the shipped one does not). ``replay`` recomputes the shipped decision from those
records (it must reproduce ``guard check --onnx-classifier builtin``'s counts) and prints the
flags by role and stage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from guard_prose import prose_view

from airlock.cli.guard import _embeddings_shape
from airlock.guard.factory import BUILTIN_ONNX, default_pipeline
from airlock.guard.lexicon import foreign
from airlock.guard.request import RequestRefused, conversation_window, request_fields
from airlock.guard.scanners import ClassifierScanner
from airlock.guard.semantic.stage import SemanticScanner, combine, stage_texts
from airlock.guard.types import INSTRUCTION_ROLES, ScanContext

PASSAGE_SIZES = (120, 240, 360)
PASSAGE_CHARS = 240
MAX_PASSAGES = 64  # more sentences than this: the whole text's verdict stands (fail closed)
_SENTENCE = re.compile(r"[^.!?\u3002\uff01\uff1f\n]+[.!?\u3002\uff01\uff1f]*")


def _sentences(text: str, size: int) -> list[str]:
    """Sentences and lines of ``text``; one longer than a passage is cut at whitespace (or
    hard, for scripts without spaces) into pieces of at most ``PASSAGE_CHARS``."""
    out: list[str] = []
    for m in _SENTENCE.finditer(text):
        sent = m.group(0).strip()
        while len(sent) > size:
            cut = sent.rfind(" ", size // 2, size)
            cut = cut if cut > 0 else size
            out.append(sent[:cut])
            sent = sent[cut:].strip()
        if sent:
            out.append(sent)
    return out


def passages(text: str, size: int = PASSAGE_CHARS) -> list[str] | None:
    """The passages the stage localises a verdict to: from each sentence, it and the
    sentences after it up to ``size`` characters. None when the text has more than
    ``MAX_PASSAGES`` sentences (too costly to localise: the whole-text verdict stands)."""
    sents = _sentences(text, size)
    if len(sents) > MAX_PASSAGES:
        return None
    out: list[str] = []
    for i, first in enumerate(sents):
        cur = first
        for nxt in sents[i + 1 :]:
            if len(cur) + 1 + len(nxt) > size:
                break
            cur = f"{cur} {nxt}"
        out.append(cur)
    return list(dict.fromkeys(out))




def _endpoint(item: dict[str, Any]) -> str:
    if "messages" in item:
        return "chat"
    if "prompt" in item:
        return "completions"
    return "embeddings" if _embeddings_shape(item) else "responses"


def _passage_scores(sem: SemanticScanner, texts: list[str], got: list[Any],
                    ctx: ScanContext) -> dict[str, Any]:  # fmt: skip
    """The best passage's encoder score, per passage size (None: not localised)."""
    best = max(range(len(got)), key=lambda i: got[i][0])
    if texts[best] in {d.text for d in ctx.decoded}:
        return {}
    out: dict[str, Any] = {}
    for size in PASSAGE_SIZES:
        ps = passages(texts[best], size)
        if ps is None or len(ps) <= 1:
            out[str(size)] = None
            continue
        scores = sem.model.score(ps, time.perf_counter() + 60.0)
        out[str(size)] = max(s for s, _, _ in scores)
    return out


def dump(prefix: Path, out: Path, passage_scores: bool = False) -> None:
    p = default_pipeline(onnx_classifier=BUILTIN_ONNX, onnx_sandbox=False)
    sem = next(s for s in p.scanners if isinstance(s, SemanticScanner))
    lin = next(s for s in p.scanners if isinstance(s, ClassifierScanner))
    others = [s for s in p.scanners if s is not sem and s is not lin]
    t0 = time.monotonic()
    with out.open("w", encoding="utf-8") as fh:
        for part in ("benign", "injections"):
            path = prefix.with_name(prefix.name + f".{part}.jsonl")
            rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
            for i, row in enumerate(rows):
                body = row["request"]
                rec: dict[str, Any] = {"part": part, "i": i, "field": row.get("field"),
                                       "lang": row.get("lang"), "intent": row.get("intent"),
                                       "texts": []}  # fmt: skip
                try:
                    fields = request_fields(body, _endpoint(body), 0, p.limits, p.policy)
                except RequestRefused as exc:
                    rec["refused"] = exc.finding.rule_id
                    fh.write(json.dumps(rec) + "\n")
                    continue
                rec["endpoint"] = _endpoint(body)
                window = list(conversation_window(fields, roles=p.window_roles))
                # the window of the user's own messages only, when it differs (a policy option)
                alt = [a for a in conversation_window(fields, roles=("user",))
                       if all(a.text != w.text for w in window)]  # fmt: skip
                for f in [*fields, *window, *alt]:
                    ctx = ScanContext(f.text, "input", f.role)
                    blocks = [g.rule_id for s in others if "input" in s.directions
                              for g in s.scan(ctx) if g.action == "block"]  # fmt: skip
                    lin.scan(ctx)
                    score = ctx.scores.get("classifier")
                    t: dict[str, Any] = {"role": f.role, "where": f.where, "n": len(f.text),
                                         "blocks": blocks, "lin": score,
                                         "foreign": foreign(ctx.norm.text)}  # fmt: skip
                    if any(f is a for a in alt):
                        t["alt"] = "user-window"
                    elif any(f is w for w in window):  # also the user-only window?
                        t["user_only"] = len(alt) == 0 and any(
                            True for _ in conversation_window(fields, roles=("user",)))
                    if score is not None and score >= sem.band:
                        texts = stage_texts(ctx)
                        if texts:
                            got = sem.model.score(texts, time.perf_counter() + 60.0)
                            t["sem"] = max(s for s, _, _ in got)
                        if passage_scores and combine(score, t["sem"], sem.alpha) >= sem.threshold:
                            t["psem"] = _passage_scores(sem, texts, got, ctx)  # candidate L
                        decoded = {d.text for d in ctx.decoded}
                        prose = [x for x in dict.fromkeys(
                            t if t in decoded else prose_view(t) for t in texts) if x.strip()]
                        if prose != texts:  # candidate C's reading, where it differs
                            end = time.perf_counter() + 60.0
                            got = sem.model.score(prose, end) if prose else []
                            t["sem_prose"] = max((s for s, _, _ in got), default=None)
                    rec["texts"].append(t)
                fh.write(json.dumps(rec) + "\n")
            print(f"{part}: {len(rows)} rows, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    p.close()


def shipped(t: dict[str, Any], lin_thr: float, lin_foreign: float, inst_thr: float,
            sem_thr: float, band: float, alpha: float) -> str:  # fmt: skip
    """Which stage blocks this text in the shipped serve view ('' = none)."""
    if t["blocks"]:
        return "rule"
    s = t.get("lin")
    if s is None:
        return ""
    thr = min(lin_thr, lin_foreign) if t["foreign"] else lin_thr
    if t["role"] in INSTRUCTION_ROLES:
        thr = max(lin_thr, inst_thr)
    if s >= thr:
        return "lin"
    if t["role"] in INSTRUCTION_ROLES or s < band or "sem" not in t:
        return ""
    return "sem" if float(combine(s, t["sem"], alpha)) >= sem_thr else ""


def replay(dumps: list[Path]) -> None:
    meta = json.loads((BUILTIN_ONNX / "airlock-model.json").read_text(encoding="utf-8"))
    args = (float(meta["linear_threshold"]), float(meta["linear_threshold_foreign"]), 0.97,
            float(meta["threshold"]), float(meta["band"]), float(meta.get("alpha", 0.0)))
    for d in dumps:
        recs = [json.loads(x) for x in d.read_text(encoding="utf-8").splitlines() if x]
        for part in ("benign", "injections"):
            rs = [r for r in recs if r["part"] == part]
            flagged, why = 0, Counter[str]()
            for r in rs:
                hits = [(t["role"], shipped(t, *args)) for t in r["texts"] if "alt" not in t]
                hits = [h for h in hits if h[1]]
                if "refused" in r or hits:
                    flagged += 1
                    why.update({f"{st}:{role}" for role, st in hits} or {"refused"})
            print(f"{d.name} {part}: {flagged}/{len(rs)}  " +
                  ", ".join(f"{k} {v}" for k, v in why.most_common(12)))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("dump")
    a.add_argument("--data", type=Path, required=True)
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--passages", action="store_true", help="candidate L's passage scores too")
    b = sub.add_parser("replay")
    b.add_argument("--dump", type=Path, action="append", required=True)
    ns = ap.parse_args()
    if ns.cmd == "dump":
        dump(ns.data, ns.out, ns.passages)
    else:
        replay(ns.dump)


if __name__ == "__main__":
    main()
