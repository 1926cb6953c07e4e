"""Static scanning, whole process, side by side: ``airlock scan`` vs picklescan, modelscan and
ModelAudit on the same files in one run.

Usage: .venv/bin/python bench/bench_scan.py [--work DIR] [--anchors /tmp/anchors/bin]
                                            [--runs 3] [--anchor-runs 1] [--out FILE]

Workloads (created once under --work, default /tmp/airlock-bench):
- ``ckpt_1g.pt``: a real 1 GiB ``torch.save`` state_dict (64 float32 tensors of 16 MiB);
- ``repo/``: a many-file repository: 24 ``torch.save`` checkpoints (about 4 MiB each), 12
  joblib scikit-learn forests (plain and zlib/gzip/xz), 12 ``.npy`` arrays and 8 plain pickles of
  large Python structures (1.7 MiB each; pure-Python opcode work, where processes beat threads).
Every run is a fresh process (start-up included), page cache warm (one untimed warm-up per
tool). Wall time is the median of the runs; peak RSS is the child's ``ru_maxrss`` from
``wait4``. Anchors run with telemetry disabled through their documented environment variables.
``--variant LABEL=SRC`` (repeatable) adds ``airlock`` run from another source tree
(``PYTHONPATH=SRC``: before/after in the same run); ``--instructions`` also counts each
command's instructions once under ``valgrind --tool=callgrind`` (repeatable under load).
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "NO_ANALYTICS": "1",
    "PROMPTFOO_DISABLE_TELEMETRY": "1",
    "MODELAUDIT_TELEMETRY_DISABLED": "1",
    "HF_HUB_OFFLINE": "1",
    "TERM": "dumb",
}


def make_checkpoint(path: Path) -> None:
    import torch

    state = {f"layers.{i}.weight": torch.zeros(4096, 1024) for i in range(64)}
    torch.save(state, path)


def make_repo(repo: Path) -> None:
    import joblib
    import numpy as np
    import torch
    from sklearn.ensemble import RandomForestClassifier

    repo.mkdir(parents=True)
    torch.manual_seed(0)
    for i in range(24):
        model = torch.nn.Sequential(torch.nn.Linear(1024, 1024), torch.nn.ReLU())
        torch.save(model.state_dict(), repo / f"shard-{i:02d}.bin")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(300, 8)), rng.integers(0, 3, 300)
    forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(x, y)
    for i, compress in enumerate([0, 0, 0, 0, 3, 3, ("gzip", 3), ("gzip", 3), ("xz", 3)] * 2):
        if i >= 12:
            break
        joblib.dump(forest, repo / f"forest-{i:02d}.joblib", compress=compress)
    for i in range(12):
        np.save(repo / f"array-{i:02d}.npy", rng.normal(size=(256, 256)).astype(np.float32))
    for i in range(8):
        data = {f"k{j}": [j, float(j), str(j)] for j in range(50_000)}
        (repo / f"cache-{i}.pkl").write_bytes(pickle.dumps(data, protocol=4))


TIMEOUT = 180.0


def make_evil(d: Path) -> None:
    """Malicious samples (harmless payload: exec that writes a marker file) in containers."""
    import gzip

    import joblib
    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.scan import samples

    d.mkdir(parents=True)
    marker = d / "marker"
    evil = samples.evil_pickle(marker)
    tz = samples.torch_zip(evil, "model", compress=True)
    files = {
        "raw.pkl": evil,
        "disguised.safetensors": samples.evil_pickle(marker, 4),
        "protocol0.bin": samples.evil_pickle(marker, 0),
        "torch-damaged-cd.pt": samples.break_central_directory(tz),
        "torch-bad-crc.pt": samples.corrupt_crc(samples.torch_zip(evil, "model"), "model/data.pkl"),
        "torch-legacy.pth": samples.legacy_torch(evil),
        "object-array.npz": samples.zip_bytes({"w.npy": samples.npy_object(marker)}),
        "bundle.tar.gz": samples.tar_bytes({"m/pytorch_model.bin": tz}, mode="w:gz"),
        "payload.pkl.gz": gzip.compress(evil),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    payload = {"weights": np.arange(1000.0), "hook": samples.Payload(marker)}
    joblib.dump(payload, d / "after-array.joblib")
    joblib.dump(payload, d / "after-array.xz.joblib", compress=("xz", 3))


def run(cmd: list[str]) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS (KiB), exit code and CPU seconds (user + system) of one fresh
    process (killed at TIMEOUT, reported with exit code -9)."""
    env = dict(os.environ, **QUIET_ENV)
    # as installed tools run: with byte-code caches (the warm-up run writes them)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > TIMEOUT:
            proc.kill()
        time.sleep(0.01)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode, usage.ru_utime + usage.ru_stime


def tools(
    anchors: Path, target: Path, variants: tuple[str, ...] = (), fmt: str = "json"
) -> dict[str, list[str]]:
    out = {"airlock": [str(VENV_BIN / "airlock"), "scan", str(target), "--format", fmt]}
    for variant in variants:
        label, src = variant.split("=", 1)
        out[label] = ["env", f"PYTHONPATH={src}", *out["airlock"]]
    candidates = {
        "picklescan": [str(anchors / "picklescan"), "-p", str(target)],
        "modelscan": [str(anchors / "modelscan"), "-p", str(target)],
        "modelaudit": [str(anchors / "modelaudit"), "scan", str(target), "--no-cache"],
    }
    for name, cmd in candidates.items():
        if Path(cmd[0]).exists():
            out[name] = cmd
    return out


def instructions(cmd: list[str]) -> int:
    """Instructions executed by one run of ``cmd`` (callgrind; the process only). Hash seed
    fixed: string hashing changes the work dicts do from run to run."""
    env = dict(os.environ, **QUIET_ENV, PYTHONHASHSEED="0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    while cmd[0] == "env" or "=" in cmd[0]:  # valgrind does not follow env's exec: set it here
        if cmd[0] != "env":
            key, value = cmd[0].split("=", 1)
            env[key] = value
        cmd = cmd[1:]
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    ).stderr
    return int(out.split("Collected : ")[1].split()[0])


def measure(cmd: list[str], runs: int, warm: bool = True) -> tuple[float, int, int, float]:
    if warm:
        run(cmd)  # warm-up: page cache, .pyc
    results = [run(cmd) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        results[-1][2],
        statistics.median(r[3] for r in results),
    )


def measure_interleaved(
    cmds: dict[str, list[str]],
    runs: int,
    got: dict[str, list[tuple[float, int, int, float]]] | None = None,
) -> dict[str, tuple[float, int, int, float]]:
    """Each tool once per round, rounds repeated ``runs`` times (after one warm-up round): tools
    compared under the same load, as the issue's "in the same run" asks; medians per tool
    (``got``, if given, receives every round's results)."""
    for cmd in cmds.values():
        run(cmd)
    got = {} if got is None else got
    got.update({name: [] for name in cmds})
    for _ in range(runs):
        for name, cmd in cmds.items():
            got[name].append(run(cmd))
    return {
        name: (
            statistics.median(r[0] for r in rs),
            max(r[1] for r in rs),
            rs[-1][2],
            statistics.median(r[3] for r in rs),
        )
        for name, rs in got.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/airlock-bench"))
    ap.add_argument("--anchors", type=Path, default=Path("/tmp/anchors/bin"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--anchor-runs", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--detect", action="store_true", help="also run every tool on the malicious samples"
    )
    ap.add_argument("--skip-perf", action="store_true", help="only the detection table")
    ap.add_argument("--ckpt-only", action="store_true", help="only the 1 GiB checkpoint")
    ap.add_argument(
        "--no-warmup", action="store_true", help="skip the anchors' warm-up run (slow tools)"
    )
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="LABEL=SRC",
        help="also airlock from source tree SRC (PYTHONPATH), reported as LABEL",
    )
    ap.add_argument("--report-format", default="json", help="airlock's --format (text, json)")
    ap.add_argument(
        "--instructions", action="store_true", help="count instructions once (callgrind)"
    )
    ap.add_argument(
        "--interleave",
        action="store_true",
        help="run the tools in turn, --runs rounds (same load for each; for fast tools)",
    )
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ckpt, repo = args.work / "ckpt_1g.pt", args.work / "repo"
    # Workloads are made in a child: a parent that imported torch would pass its RSS on to
    # every measured child (Linux keeps ru_maxrss across fork/exec).
    for func, target in (("make_checkpoint", ckpt), ("make_repo", repo)):
        if not target.exists() and not (args.ckpt_only and target == repo):
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import bench_scan as b; b.{func}(b.Path({str(target)!r}))",
                ],
                cwd=Path(__file__).parent,
                check=True,
            )
    repo_files = [] if args.ckpt_only else sorted(p for p in repo.iterdir() if p.is_file())
    repo_bytes = sum(p.stat().st_size for p in repo_files)
    lines = [
        "| workload | tool | wall (s) | CPU (s) | peak RSS (MiB) | exit | wall / airlock "
        "| CPU / airlock | RSS / airlock |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    workloads = [
        (f"1 GiB torch.save ({ckpt.stat().st_size / 1024**3:.2f} GiB)", ckpt),
        (f"repo: {len(repo_files)} files, {repo_bytes / 1024**2:.0f} MiB", repo),
    ][: 1 if args.ckpt_only else 2]
    for label, target in [] if args.skip_perf else workloads:
        base: tuple[float, int, float] | None = None
        cmds = tools(args.anchors, target, tuple(args.variant), args.report_format)
        load = os.getloadavg()[0]
        rounds: dict[str, list[tuple[float, int, int, float]]] = {}
        together = measure_interleaved(cmds, args.runs, rounds) if args.interleave else {}
        if together:
            print(f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after", flush=True)
            for name, rs in rounds.items():  # CPU per round over airlock's in the same round
                ref = rounds["airlock"]
                ratio = statistics.median(r[3] / a[3] for r, a in zip(rs, ref, strict=True))
                cpu = statistics.median(r[3] for r in rs) * 1000
                wall = statistics.median(r[0] for r in rs) * 1000
                print(
                    f"{name}: CPU median {cpu:.1f} ms, wall median {wall:.0f} ms, "
                    f"median per-round CPU / airlock {ratio:.3f}",
                    flush=True,
                )
        for name, cmd in cmds.items():
            runs = args.runs if name == "airlock" else args.anchor_runs
            if name in together:
                wall, rss, code, cpu = together[name]
            else:
                wall, rss, code, cpu = measure(
                    cmd, runs, warm=not args.no_warmup or name == "airlock"
                )
            if base is None:
                base = (wall, rss, cpu)
            if code == -9 and wall >= TIMEOUT:
                lines.append(
                    f"| {label} | {name} | > {TIMEOUT:.0f} (killed) | {cpu:.2f} | "
                    f"{rss / 1024:.0f} | - | > {TIMEOUT / base[0]:.0f}x | - | - |"
                )
            else:
                lines.append(
                    f"| {label} | {name} | {wall:.2f} | {cpu:.2f} | {rss / 1024:.0f} | {code} | "
                    f"{wall / base[0]:.1f}x | {cpu / base[2]:.1f}x | {rss / base[1]:.1f}x |"
                )
            print(lines[-1], flush=True)
        if args.instructions:
            counts = {name: instructions(cmd) for name, cmd in cmds.items()}
            lines += ["", "| tool | instructions (M) | / airlock |", "| --- | ---: | ---: |"]
            lines += [
                f"| {name} | {n / 1e6:.1f} | {n / counts['airlock']:.3f} |"
                for name, n in counts.items()
            ]
            print("\n".join(lines[-len(counts) - 3 :]), flush=True)
    if args.detect:
        evil_dir = args.work / "evil"
        if not evil_dir.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import bench_scan as b; b.make_evil(b.Path({str(evil_dir)!r}))",
                ],
                cwd=Path(__file__).parent,
                check=True,
            )
        names = list(tools(args.anchors, evil_dir))
        lines += ["", "| sample | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
        for sample in sorted(p for p in evil_dir.iterdir() if p.name != "marker"):
            codes = [str(run(cmd)[2]) for cmd in tools(args.anchors, sample).values()]
            lines.append(f"| {sample.name} | " + " | ".join(codes) + " |")
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
