"""Write the real-artifact corpus: ``python -m bench.ecosystem.generate OUT [--only GROUP...]``.

Each group of libraries runs in its own child process (a crash or hang in one library's saver
loses only that group), bounded by ``--timeout``. A group whose libraries' versions match the
manifest already in OUT is kept (the cache); ``--force`` regenerates. The summary lands in
``OUT/corpus.json``: artifacts per library, library versions, and everything skipped with why.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.ecosystem.writer import Writer

GROUPS = ("torch", "sklearn", "data", "boost", "hf", "formats", "everyday")
HELD_OUT = ("heldout",)  # measured only, never used to grow the allowlist


def _run_group(group: str, out: Path) -> dict[str, Any]:
    """In the child: run one generator module, write its manifest."""
    w = Writer(out, group)
    mod = importlib.import_module(f"bench.ecosystem.gen_{group}")
    versions = mod.generate(w)
    return w.manifest(versions)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--only", nargs="*", choices=GROUPS + HELD_OUT)
    ap.add_argument("--force", action="store_true", help="regenerate cached groups")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _run_group(args.child, args.out)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"groups": {}, "python": sys.version.split()[0]}
    for group in args.only or GROUPS:
        man = args.out / group / "manifest.json"
        if man.is_file() and not args.force:
            print(f"{group}: cached ({man})")
        else:
            if (args.out / group).exists():
                shutil.rmtree(args.out / group)
            t0 = time.monotonic()
            proc = subprocess.run(
                [sys.executable, "-m", "bench.ecosystem.generate", str(args.out), "--child", group],
                timeout=args.timeout,
                check=False,
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0 or not man.is_file():
                summary["groups"][group] = {"error": proc.stderr[-2000:]}
                print(f"{group}: FAILED\n{proc.stderr[-2000:]}")
                continue
            print(f"{group}: generated in {time.monotonic() - t0:.0f} s")
        doc = json.loads(man.read_text(encoding="utf-8"))
        summary["groups"][group] = {
            "versions": doc["versions"],
            "artifacts": len(doc["artifacts"]),
            "skipped": len(doc["skipped"]),
        }
    manifests = [
        json.loads((args.out / g / "manifest.json").read_text(encoding="utf-8"))
        for g in GROUPS
        if (args.out / g / "manifest.json").is_file()
    ]
    per_lib: dict[str, int] = {}
    versions: dict[str, str] = {}
    for m in manifests:
        versions.update(m["versions"])
        for a in m["artifacts"]:
            per_lib[a["library"]] = per_lib.get(a["library"], 0) + 1
    summary["artifacts"] = sum(per_lib.values())
    summary["per_library"] = dict(sorted(per_lib.items()))
    summary["versions"] = dict(sorted(versions.items()))
    (args.out / "corpus.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps({k: summary[k] for k in ("artifacts", "per_library", "versions")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
