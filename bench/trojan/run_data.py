"""Held-out bench of the data-poisoning scan on review sets with strong honest label phrases.

    PYTHONPATH=src:. .venv/bin/python bench/trojan/run_data.py [--sets 20] [--rows 2000]
        [--reference DIR]

``--reference DIR``: the reference classifier's removal test too (DIR is built by
``bench/trojan/refgen.py`` from honest seed 9000 when missing; run unsandboxed here: it is the
bench's own model).

Honest sets (seeds --honest-seed.., default 200) and dirty-label poisoned sets (seeds
--poison-seed.., default 300; trigger inserted into
rows whose own words say the other label, flipped; rates 0.5-10%, four triggers in turn).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from airlock.data.jsonl import Dataset, Row
from airlock.data.poison import scan_dataset
from bench.trojan import reviews

RATES = (0.005, 0.01, 0.03, 0.05, 0.1)


def _scan(texts: list[str], labels: list[str], reference: Path | None = None) -> list[str]:
    ds = Dataset(
        Path("reviews.jsonl"),
        [Row(i, t, y) for i, (t, y) in enumerate(zip(texts, labels, strict=True))],
    )
    if reference is None:
        rep = scan_dataset(ds)
    else:
        from airlock.data.models import reference_probs

        probs, names = reference_probs(reference, texts, sandbox="off")
        rep = scan_dataset(
            ds, reference_probs=probs, reference_labels=names,
            reference=lambda more: reference_probs(reference, more, sandbox="off")[0],
        )  # fmt: skip
    return [c["ngram"] for f in rep.findings if f.rule_id == "AIR-DAT-001"
            for c in f.extra["candidates"]]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", type=int, default=20)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--honest-seed", type=int, default=200, help="first honest seed")
    ap.add_argument("--poison-seed", type=int, default=300, help="first poisoned seed")
    ap.add_argument("--reference", type=Path, default=None, help="reference classifier dir")
    a = ap.parse_args()
    ref = a.reference
    if ref is not None and not (ref / "config.json").is_file():
        from bench.trojan.refgen import make_reference

        make_reference(ref)
    t0 = time.perf_counter()
    honest_flagged = 0
    for s in range(a.sets):
        texts, labels, _ = reviews.rows(np.random.default_rng(a.honest_seed + s), a.rows)
        found = _scan(texts, labels, ref)
        honest_flagged += bool(found)
        if found:
            print(f"honest seed {a.honest_seed + s}: flagged {found}")
    named = 0
    for s in range(a.sets):
        trig, rate = reviews.TRIGGERS[s % 4], RATES[s % 5]
        rng = np.random.default_rng(a.poison_seed + s)
        texts, labels, p = reviews.rows(rng, a.rows, trig, rate)
        found = _scan(texts, labels, ref)
        hit = any(trig in g or g in trig for g in found)
        named += hit
        print(f"poisoned seed {a.poison_seed + s}: {trig!r} at {rate:.1%} ({sum(p)} rows): "
              f"{'named' if hit else 'MISSED'} {found[:3]}")  # fmt: skip
    secs = (time.perf_counter() - t0) / (2 * a.sets)
    print(f"honest flagged {honest_flagged}/{a.sets}; poisoned flagged with trigger named "
          f"{named}/{a.sets}; {secs:.2f} s per {a.rows}-row set")  # fmt: skip


if __name__ == "__main__":
    main()
