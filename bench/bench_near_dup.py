"""Near-duplicate search: Airlock's MinHash/LSH (``airlock.data.near_dup``) vs datasketch's
MinHashLSH on the same generated corpus, in one run.

Usage: .venv/bin/python bench/bench_near_dup.py [--rows 100000] [--seed 0] [--sample 4000]
                                                [--threshold 0.8] [--work DIR] [--out FILE]

Corpus (deterministic by seed, written once to --work): Zipf-distributed words, rows of 20-120
words plus 10% short rows (4-15 words); planted near-copies of random rows at several edit
levels (so their exact Jaccard spreads from about 0.5 to 0.98, long and short rows), and exact
duplicate groups of 2-50 copies.

Both tools see the same similarity: the exact Jaccard Airlock defines (word 3-gram sets for long
rows, character 5-gram sets when both rows are short); datasketch gets the same shingles, 128
permutations and the same threshold. Reported:

- recall of planted pairs per Jaccard band (found = same Airlock group / returned by the
  datasketch query);
- recall and precision against brute-force exact Jaccard over every pair of a sample of rows
  (planted pairs are sampled whole, so positives exist); Airlock's reported pairs are verified,
  datasketch's are sketch candidates; ``group_pair_precision`` counts every pair inside an
  Airlock group (groups are transitive, so a chain can join rows below the threshold);
- wall time (rows/s) and peak memory: each tool runs in a fresh child process that reads the
  corpus, resets its peak RSS (``/proc/self/clear_refs``) and reports peak RSS (``VmHWM``) minus
  the RSS before the run.

datasketch runs twice: with its own banding (``MinHashLSH(threshold=...)`` picks bands and rows
that balance false positives and negatives) and with Airlock's banding (``params=``), which
isolates the implementation from the choice of parameters. datasketch is a bench-only anchor
(``.venv/bin/pip install datasketch``); without it the anchor is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from airlock.data.near_dup import (
    WORD_K,
    NearDupOptions,
    char_shingles,
    find_duplicates,
    jaccard,
    lsh_params,
    normalise,
    uses_chars,
)

LEVELS = [0, 1, 2, 3, 4, 6, 9]  # edits per planted copy (long rows: word swaps)


def make_corpus(rows: int, seed: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Texts and planted near pairs (row, copy)."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = [f"w{i:05d}" for i in range(40_000)]
    n_plant = rows // 20
    n_exact = rows // 100
    n_base = rows - n_plant - n_exact * 3
    texts: list[str] = []
    for _ in range(n_base):
        n = rng.randint(4, 15) if rng.random() < 0.1 else rng.randint(20, 120)
        ids = np.minimum(nrng.zipf(1.3, n), len(vocab)) - 1
        texts.append(" ".join(vocab[i] for i in ids))
    planted: list[tuple[int, int]] = []
    for k in range(n_plant):
        src = rng.randrange(n_base)
        ws = texts[src].split()
        edits = LEVELS[k % len(LEVELS)]
        if len(ws) < 16:  # short row: character typos
            for _ in range(max(1, edits // 3)):
                j = rng.randrange(len(ws))
                w = ws[j]
                c = rng.randrange(len(w))
                ws[j] = w[:c] + rng.choice("xyzq") + w[c + 1 :]
        else:
            for _ in range(edits):
                ws[rng.randrange(len(ws))] = rng.choice(vocab)
            if edits == 0:
                ws.insert(rng.randrange(len(ws)), "trigger")
        planted.append((src, len(texts)))
        texts.append(" ".join(ws))
    while len(texts) < rows:
        src = rng.randrange(n_base)
        texts.extend([texts[src]] * min(rows - len(texts), rng.randint(1, 49)))
    return texts, planted


def _shingle_bytes(doc: list[str], short: bool) -> list[bytes]:
    if short:
        return [s.encode() for s in char_shingles(doc)]
    return [" ".join(doc[i : i + WORD_K]).encode() for i in range(len(doc) - WORD_K + 1)]


def run_airlock(texts: list[str], threshold: float) -> dict[str, Any]:
    res = find_duplicates(texts, [None] * len(texts), NearDupOptions(threshold=threshold))
    group_of: dict[int, int] = {}
    for g, grp in enumerate(res.groups):
        for m in grp.members:
            group_of[m] = g
    edges = [(a, b) for grp in res.groups for a, b, _ in grp.edges]
    return {
        "group_of": group_of,
        "edges": edges,
        "candidates": res.candidates,
        "verified": res.verified,
        "capped": res.capped,
    }


def run_datasketch(texts: list[str], threshold: float, same_bands: bool) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    opts = NearDupOptions(threshold=threshold)
    docs = [normalise(t, opts.max_words) for t in texts]
    params = lsh_params(threshold, 128, opts.target_recall) if same_bands else None
    lsh = MinHashLSH(threshold=threshold, num_perm=128, params=params)
    sigs: list[Any] = []
    for i, doc in enumerate(docs):
        if not doc:
            sigs.append(None)
            continue
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(_shingle_bytes(doc, len(doc) < opts.short_words))
        lsh.insert(i, m, check_duplication=False)
        sigs.append(m)
    pairs: set[tuple[int, int]] = set()
    for i, m in enumerate(sigs):
        if m is not None:
            pairs.update((min(i, j), max(i, j)) for j in lsh.query(m) if j != i)
    return {"pairs": sorted(pairs)}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: lifetime peak


def child(tool: str, corpus: Path, threshold: float, out: Path) -> None:
    texts = json.loads(corpus.read_text())["texts"]
    before = _status_kib("VmRSS")
    try:  # reset the peak RSS to now, so loading the corpus does not mask the run's peak
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    if tool == "airlock":
        result = run_airlock(texts, threshold)
    else:
        result = run_datasketch(texts, threshold, same_bands=tool == "datasketch-same-bands")
    wall = time.perf_counter() - t0
    peak = _status_kib("VmHWM")
    result.update(wall_s=wall, peak_delta_mib=(peak - before) / 1024, peak_mib=peak / 1024)
    if "group_of" in result:
        result["group_of"] = list(result["group_of"].items())
    out.write_text(json.dumps(result))


def _spawn(tool: str, corpus: Path, threshold: float, work: Path) -> dict[str, Any] | None:
    out = work / f"{tool}.json"
    cmd = [sys.executable, __file__, "--child", tool, "--corpus", str(corpus), "--threshold",
           str(threshold), "--child-out", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"{tool} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def brute_truth(texts: list[str], sample: list[int], threshold: float) -> set[tuple[int, int]]:
    """Every pair of ``sample`` rows whose exact Jaccard reaches ``threshold`` (sparse products
    give the intersections; candidates are then rechecked with ``jaccard``)."""
    from scipy import sparse

    opts = NearDupOptions()
    docs = [normalise(texts[i], opts.max_words) for i in sample]
    out: set[tuple[int, int]] = set()
    for short in (True, False):
        idx = [k for k, d in enumerate(docs) if d and (len(d) < opts.short_words) == short]
        vocab: dict[bytes, int] = {}
        ri: list[int] = []
        ci: list[int] = []
        for r, k in enumerate(idx):
            for sh in set(_shingle_bytes(docs[k], short)):
                ri.append(r)
                ci.append(vocab.setdefault(sh, len(vocab)))
        x = sparse.csr_matrix((np.ones(len(ri), np.float32), (ri, ci)), (len(idx), len(vocab)))
        inter = (x @ x.T).tocoo()
        size = np.asarray(x.sum(1)).ravel()
        jac = inter.data / (size[inter.row] + size[inter.col] - inter.data)
        hit = jac >= threshold - 1e-6
        for r, c in zip(inter.row[hit], inter.col[hit], strict=True):
            if r < c:
                out.add((min(sample[idx[r]], sample[idx[c]]), max(sample[idx[r]], sample[idx[c]])))
    # mixed pairs (one short row, one long) compare on word shingles: check those directly
    longs = [k for k, d in enumerate(docs) if len(d) >= opts.short_words]
    shorts = [k for k, d in enumerate(docs) if WORD_K <= len(d) < opts.short_words]
    for s in shorts:
        for lg in longs:
            if (
                len(docs[s]) >= threshold * len(docs[lg]) - WORD_K
                and uses_chars(len(docs[s]), len(docs[lg]), opts.short_words) is False
                and jaccard(docs[s], docs[lg], opts.short_words) >= threshold
            ):
                a, b = sample[s], sample[lg]
                out.add((min(a, b), max(a, b)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=4000)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--work", type=Path, default=Path("/tmp/airlock-bench-neardup"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--child")
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--child-out", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.corpus, args.threshold, args.child_out)
        return
    t = args.threshold
    args.work.mkdir(parents=True, exist_ok=True)
    texts, planted = make_corpus(args.rows, args.seed)
    corpus = args.work / f"corpus-{args.rows}-{args.seed}.json"
    corpus.write_text(json.dumps({"texts": texts}))
    opts = NearDupOptions(threshold=t)
    docs = {i: normalise(texts[i], opts.max_words) for p in planted for i in p}
    pj = [jaccard(docs[a], docs[b], opts.short_words) for a, b in planted]
    rng = random.Random(args.seed + 1)
    chosen = rng.sample(range(len(planted)), min(len(planted), args.sample // 4))
    sample = sorted({i for k in chosen for i in planted[k]} | set(
        rng.sample(range(len(texts)), args.sample - 2 * len(chosen))
    ))  # fmt: skip
    truth = brute_truth(texts, sample, t)
    in_sample = set(sample)

    results: dict[str, Any] = {"rows": len(texts), "threshold": t, "seed": args.seed,
                               "planted": len(planted), "sample": len(sample),
                               "sample_true_pairs": len(truth), "tools": {}}  # fmt: skip
    for tool in ("airlock", "datasketch", "datasketch-same-bands"):
        if tool != "airlock":
            try:
                import datasketch  # noqa: F401
            except ImportError:
                print("datasketch not installed: anchor skipped (.venv/bin/pip install datasketch)")
                continue
        raw = _spawn(tool, corpus, t, args.work)
        if raw is None:
            continue
        if tool == "airlock":
            group_of = dict(raw["group_of"])

            hits = [a in group_of and group_of.get(a) == group_of.get(b) for a, b in planted]

            reported = {(min(a, b), max(a, b)) for a, b in raw["edges"]}
            # exact copies are reported as groups: count their pairs among the sample too
            by_group: dict[int, list[int]] = {}
            for r in sample:
                if r in group_of:
                    by_group.setdefault(group_of[r], []).append(r)
            sample_reported = {
                (a, b) for m in by_group.values() for a in m for b in m if a < b and (
                    (a, b) in reported or normalise(texts[a], 5000) == normalise(texts[b], 5000))
            }  # fmt: skip
            same_group = {(a, b) for m in by_group.values() for a in m for b in m if a < b}
            extra = {
                "group_pair_precision": round(len(same_group & truth) / max(1, len(same_group)), 4),
                **{k: raw[k] for k in ("candidates", "verified", "capped")},
            }
        else:
            extra = {}
            pairs = {tuple(p) for p in raw["pairs"]}

            hits = [(min(a, b), max(a, b)) in pairs for a, b in planted]

            sample_reported = {p for p in pairs if p[0] in in_sample and p[1] in in_sample}
        bands: dict[str, list[int]] = {}
        for hit, j in zip(hits, pj, strict=True):
            lo = min(0.95, int(j * 20) / 20)
            key = "<0.50" if lo < 0.5 else f"{lo:.2f}-{min(1.0, lo + 0.05):.2f}"
            bands.setdefault(key, [0, 0])
            bands[key][0] += 1
            bands[key][1] += hit
        tp = len(sample_reported & truth)
        results["tools"][tool] = {
            "wall_s": round(raw["wall_s"], 2),
            "rows_per_s": round(len(texts) / raw["wall_s"]),
            "peak_delta_mib": round(raw["peak_delta_mib"], 1),
            "planted_recall_by_jaccard": {
                k: f"{v[1]}/{v[0]} = {v[1] / v[0]:.4f}" for k, v in sorted(bands.items())
            },
            "sample_recall": round(tp / max(1, len(truth)), 4),
            "sample_precision": round(tp / max(1, len(sample_reported)), 4),
            "sample_reported_pairs": len(sample_reported),
            **extra,
        }
    tools = results["tools"]
    for name in ("datasketch", "datasketch-same-bands"):
        if "airlock" in tools and name in tools:
            a, d = tools["airlock"], tools[name]
            results[f"ratios_airlock_over_{name}"] = {
                "throughput": round(a["rows_per_s"] / d["rows_per_s"], 2),
                "peak_memory": round(a["peak_delta_mib"] / max(0.1, d["peak_delta_mib"]), 2),
                "sample_recall": round(a["sample_recall"] / max(1e-9, d["sample_recall"]), 3),
                "sample_precision": round(
                    a["sample_precision"] / max(1e-9, d["sample_precision"]), 3
                ),
            }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
