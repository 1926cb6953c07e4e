"""``airlock scan`` against picklescan, interleaved rounds with exact wall times (issue 12).

Usage: python bench/startup_rounds.py --ckpt /tmp/startup-bench/ckpt_1g.pt
           --anchors /tmp/anchors/bin --variant branch=/work/wt/x/src --variant main=/tmp/main/src
           [--format json] [--runs 21]

Each round runs every command once as a fresh process (``.pyc`` caches warm after one warm-up
round, ``PYTHONDONTWRITEBYTECODE`` unset, output to /dev/null): each airlock variant with
``PYTHONPATH=SRC``, picklescan (``ANCHORS/picklescan -p``) without ``PYTHONPATH``. Wall time
comes from a blocking ``wait4`` (``bench_scan.py`` polls every 10 ms, too coarse for ~80 ms
runs); CPU = user + system. Prints medians and the median over rounds of each command's figure
divided by picklescan's in the same round, with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS (KiB) and exit code of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--anchors", type=Path, default=Path("/tmp/anchors/bin"))
    ap.add_argument("--variant", action="append", required=True, metavar="LABEL=SRC")
    ap.add_argument("--format", default="json")
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    airlock = str(Path(sys.executable).parent / "airlock")
    drop = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base.update(TERM="dumb", HF_HUB_OFFLINE="1", DO_NOT_TRACK="1")
    scan = [airlock, "scan", str(args.ckpt), "--format", args.format]
    cmds: dict[str, tuple[list[str], dict[str, str]]] = {}
    for variant in args.variant:
        label, src = variant.split("=", 1)
        cmds[label] = (scan, dict(base, PYTHONPATH=src))
    cmds["picklescan"] = ([str(args.anchors / "picklescan"), "-p", str(args.ckpt)], base)
    cwd = args.ckpt.parent
    for cmd, env in cmds.values():
        run(cmd, env, cwd)  # warm-up: page cache, .pyc
    load = open("/proc/loadavg").read().split()[:3]
    got: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in cmds}
    for _ in range(args.runs):
        for name, (cmd, env) in cmds.items():
            got[name].append(run(cmd, env, cwd))
    after = open("/proc/loadavg").read().split()[:3]
    print(f"--format {args.format}, {args.runs} rounds, load {' '.join(load)} -> {' '.join(after)}")
    print("| command | wall median (ms) | wall / picklescan | CPU median (ms) | CPU / picklescan "
          "| peak RSS (MiB) | exit |")  # fmt: skip
    ref = got["picklescan"]
    for name, rs in got.items():
        wall = statistics.median(r[0] for r in rs) * 1000
        cpu = statistics.median(r[1] for r in rs) * 1000
        per_wall = statistics.median(r[0] / p[0] for r, p in zip(rs, ref, strict=True))
        per_cpu = statistics.median(r[1] / p[1] for r, p in zip(rs, ref, strict=True))
        rss = max(r[2] for r in rs) / 1024
        print(
            f"| {name} | {wall:.1f} | {per_wall:.3f} | {cpu:.1f} | {per_cpu:.3f} | {rss:.0f} "
            f"| {rs[-1][3]} |"
        )


if __name__ == "__main__":
    main()
