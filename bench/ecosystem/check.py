"""Scan the real-artifact corpus and check the symbolic pickle machine against the real unpickler.

Usage: ``python -m bench.ecosystem.check CORPUS [--no-oracle] [--json OUT.json]``

1. Times a default ``airlock scan`` of the whole corpus (what a user runs) and lists every
   finding and every not-scanned object, grouped by rule and callable, with the libraries.
2. Scans again serially, recording the globals the symbolic machine resolved in each file, and
   loads each pickle-bearing artifact with its real loader in a sandboxed child (``oracle.py``),
   recording the globals the real unpickler imports. Every name the real unpickler imports must
   be one the machine resolved (``missed``); names the machine reports beyond those must be ones
   it resolved through getattr/ufunc reconstruction (``extra``, listed for review).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
_PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".ckpt")


def _manifests(corpus: Path) -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*/manifest.json"))
    ]


def _library_of(corpus: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _manifests(corpus):
        for a in m["artifacts"]:
            out[str(corpus / a["path"])] = a["library"]
    return out


def _owner(path: str, libs: dict[str, str]) -> str:
    p = path
    while p and p not in libs:
        p = p.rpartition("/")[0]
    return libs.get(p, "?")


def scan_corpus(corpus: Path) -> dict[str, Any]:
    from airlock.scan.engine import scan_paths

    t0 = time.monotonic()
    c0 = time.process_time()
    report = scan_paths([corpus])
    wall = time.monotonic() - t0
    libs = _library_of(corpus)
    by_rule: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        key = f.extra.get("callable") if isinstance(f.extra, dict) else None
        by_rule[f"{f.rule_id} {f.severity.name}"][str(key or f.title)].append(
            f"{_owner(f.location, libs)}: {f.location}"
        )
    not_scanned = [f"{o.location} {o.member or ''}: {o.reason}" for o in report.not_scanned]
    files = {o.location for o in report.objects}
    return {
        "files": len(files),
        "objects": len(report.objects),
        "findings": len(report.findings),
        "not_scanned": not_scanned,
        "wall_s": round(wall, 2),
        "parent_cpu_s": round(time.process_time() - c0, 2),
        "workers": report.workers,
        "mode": report.mode,
        "by_rule": {k: dict(v) for k, v in sorted(by_rule.items())},
    }


def symbolic_names(corpus: Path) -> dict[str, set[str]]:
    """Globals the symbolic machine resolved, per file (serial scan with analyze_pickle wrapped)."""
    from airlock.scan import pickle_vm
    from airlock.scan.engine import ScanOptions, scan_paths

    seen: dict[str, set[str]] = defaultdict(set)
    real = pickle_vm.analyze_pickle

    def recording(data: Any, **kw: Any) -> Any:
        res = real(data, **kw)
        seen[str(kw.get("location", "")).split("!")[0]].update(res.callables)
        return res

    pickle_vm.analyze_pickle = recording  # type: ignore[assignment]
    try:
        scan_paths([corpus], ScanOptions(mode="serial", workers=1))
    finally:
        pickle_vm.analyze_pickle = real  # type: ignore[assignment]
    return seen


def _loader(kind: str, path: str) -> str | None:
    if kind.startswith("pickle-") or kind == "statsmodels-save":
        return "pickle"
    if kind in ("torch-zip", "torch-legacy", "hf-trainer-file"):
        return "torch"
    if kind.startswith("joblib-"):
        return "joblib"
    if kind.startswith("pandas-to_pickle"):
        return "pandas"
    if kind == "numpy-npy":
        return "npy"
    if kind in ("numpy-npz", "scipy-npz"):
        return "numpy"
    if path.endswith(_PICKLE_SUFFIXES):
        return "torch"
    return None


def oracle_items(corpus: Path) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for m in _manifests(corpus):
        for a in m["artifacts"]:
            p = corpus / a["path"]
            if p.is_dir():
                if a["kind"] == "hf-trainer":
                    continue  # its files are listed one by one
                for f in sorted(p.rglob("*")):
                    if f.is_file() and f.suffix in _PICKLE_SUFFIXES:
                        items.append((str(f), "torch"))
            else:
                loader = _loader(a["kind"], str(p))
                if loader:
                    items.append((str(p), loader))
    return items


def real_names(corpus: Path, items: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Run oracle.py over ``items`` inside Airlock's sandbox (read-only corpus, no network)."""
    from airlock.sandbox.runner import SandboxPolicy, run

    policy = SandboxPolicy(
        ro_paths=(corpus.resolve(), REPO, Path(sys.prefix).resolve()),
        memory_mb=8192,
        cpu_seconds=3600,
        wall_seconds=3600.0,
        env={
            "PYTHONPATH": f"{REPO}:{REPO / 'src'}",
            "HF_HUB_OFFLINE": "1",
            "KERAS_BACKEND": "torch",
            "OMP_NUM_THREADS": "1",
        },
    )
    res = run(
        [sys.executable, "-m", "bench.ecosystem.oracle"], policy, stdin=json.dumps(items).encode()
    )
    out: dict[str, dict[str, Any]] = {}
    for line in res.stdout.decode().splitlines():
        doc = json.loads(line)
        out[doc["path"]] = doc
    if len(out) < len(items):
        sys.stderr.write(res.stderr.decode()[-3000:])
    return out


def compare(corpus: Path) -> dict[str, Any]:
    items = oracle_items(corpus)
    t0 = time.monotonic()
    real = real_names(corpus, items)
    t_real = time.monotonic() - t0
    sym = symbolic_names(corpus)
    missed: dict[str, list[str]] = {}
    extra: dict[str, int] = defaultdict(int)
    errors: dict[str, str] = {}
    compared = 0
    for path, _ in items:
        doc = real.get(path)
        if doc is None:
            errors[path] = "no answer from the sandboxed loader"
            continue
        if doc["error"]:
            errors[path] = doc["error"]
            continue
        compared += 1
        mine = sym.get(path, set())
        gone = sorted(set(doc["names"]) - mine)
        if gone:
            missed[path] = gone
        for n in mine - set(doc["names"]):
            extra[n] += 1
    return {
        "loaded": len(items),
        "compared": compared,
        "missed": missed,
        "extra_resolved": dict(sorted(extra.items())),
        "load_errors": errors,
        "oracle_s": round(t_real, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--no-oracle", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    summary = json.loads((args.corpus / "corpus.json").read_text(encoding="utf-8"))
    out: dict[str, Any] = {
        "artifacts": summary["artifacts"],
        "libraries": len(summary["versions"]),
        "versions": summary["versions"],
        "scan": scan_corpus(args.corpus),
    }
    if not args.no_oracle:
        out["oracle"] = compare(args.corpus)
    text = json.dumps(out, indent=1)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)
    scan = out["scan"]
    bad = scan["findings"] or scan["not_scanned"] or (out.get("oracle") or {}).get("missed")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
