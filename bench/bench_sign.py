"""Signature verification benchmark: ``airlock verify --signature`` vs ``model_signing verify key``.

Usage: .venv/bin/python bench/bench_sign.py [--small-repeat 7] [--big-files 4] [--big-mib 1024]
                                             [--big-repeat 1] [--skip-big] [--out FILE]
Both tools verify the *same* bundle (signed by Airlock; model_signing accepts it) on the same
warm-page-cache model, whole processes, interleaved in one run. Small: a 10 MB model (start-up
dominates). Big: N x M MiB files (hashing dominates). Prints Markdown (and writes --out).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))


def write_file(path: Path, size: int, block: bytes) -> None:
    """``size`` bytes of random-looking data (a random block, varied per block)."""
    if path.exists() and path.stat().st_size == size:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        left, i = size, 0
        while left:
            n = min(len(block), left)
            fh.write(i.to_bytes(8, "little") + block[8:n] if n > 8 else block[:n])
            left -= n
            i += 1


def make_small(root: Path) -> None:
    block = os.urandom(1 << 20)
    write_file(root / "model.safetensors", 6_000_000, block)
    write_file(root / "sub" / "adapter.bin", 3_900_000, block)
    write_file(root / "sub" / "deeper" / "tokenizer.json", 100_000, block)
    (root / "config.json").write_text('{"model_type": "bench"}')


def make_big(root: Path, files: int, mib: int) -> None:
    block = os.urandom(64 << 20)
    for i in range(files):
        write_file(root / f"model-{i + 1:05d}-of-{files:05d}.safetensors", mib << 20, block)
    (root / "config.json").write_text('{"model_type": "bench"}')


def warm(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix != ".sig":
            with open(p, "rb") as fh:
                while fh.read(16 << 20):
                    pass


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + sys) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def interleaved(
    cmds: dict[str, list[str]], repeat: int, env: dict[str, str], warmup: bool = True
) -> dict[str, list[tuple[float, float]]]:
    """Run the commands alternately so both see the same machine load (after one warm-up)."""
    out: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
    if warmup:
        for cmd in cmds.values():
            run_once(cmd, env)
    for _ in range(repeat):
        for name, cmd in cmds.items():
            out[name].append(run_once(cmd, env))
    return out


def sign_model(model: Path, work: Path) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization

    from airlock.provenance import keys
    from airlock.provenance.signing import sign

    key = keys.generate_private_key()
    pub = work / "bench.pub"
    pub.write_bytes(keys.public_key_pem(key.public_key()))
    (work / "bench.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    sig = work / f"{model.name}.sig"
    sign(model, key, output=sig)
    return sig, pub


def commands(model: Path, sig: Path, pub: Path) -> dict[str, list[str]]:
    return {
        "model_signing 1.1.1 verify key": [
            str(VENV_BIN / "model_signing"), "verify", "key", str(model),
            "--signature", str(sig), "--public_key", str(pub),
        ],
        "airlock verify --signature --key": [
            str(VENV_BIN / "python"), "-m", "airlock", "verify", str(model), "--signature",
            str(sig), "--key", str(pub),
        ],
    }  # fmt: skip


def row(name: str, runs: list[tuple[float, float]]) -> str:
    times = [w for w, _ in runs]
    cpu = min(c for _, c in runs)
    return (
        f"| {name} | {min(times):.3f} | {statistics.median(times):.3f} | {max(times):.3f} "
        f"| {cpu:.3f} | {len(times)} |"
    )


def walls(runs: list[tuple[float, float]]) -> list[float]:
    return [w for w, _ in runs]


HEADER = (
    "| command | best wall s | median wall s | worst wall s | best CPU s (user+sys) | runs |\n"
    "|---|---:|---:|---:|---:|---:|"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small-repeat", type=int, default=7)
    ap.add_argument("--big-files", type=int, default=4)
    ap.add_argument("--big-mib", type=int, default=1024)
    ap.add_argument("--big-repeat", type=int, default=1)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--src", type=Path, default=None, help="Import airlock from this src/ (A/B a patch)."
    )
    args = ap.parse_args()
    work = HERE / ".work" / "sign"
    work.mkdir(parents=True, exist_ok=True)
    # Like an installed package: byte-compiled modules (this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would recompile Airlock's sources on every start).
    env = dict(os.environ, AIRLOCK_CACHE_DIR=str(work / "cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if args.src is not None:
        env["PYTHONPATH"] = str(args.src.resolve())
    lines: list[str] = []
    load = os.getloadavg()[0]
    lines.append(
        f"Machine: {os.cpu_count()} cores, load average {load:.1f} at start; warm page cache; "
        "whole-process wall times, the two tools interleaved after a warm-up run (byte-compiled "
        "modules, as installed); both verify the same Airlock-made bundle (files method, "
        "sha256, ECDSA P-256).\n"
    )
    small = work / "small-10MB"
    make_small(small)
    sig, pub = sign_model(small, work)
    warm(small)
    res = interleaved(commands(small, sig, pub), args.small_repeat, env)
    size = sum(p.stat().st_size for p in small.rglob("*") if p.is_file())
    lines.append(f"### 10 MB model ({size / 1e6:.1f} MB, 4 files in nested folders)\n")
    lines.append(HEADER)
    for name, times in res.items():
        lines.append(row(name, times))
    ours = walls(res["airlock verify --signature --key"])
    ref = walls(res["model_signing 1.1.1 verify key"])
    lines.append(
        f"\n- airlock best {min(ours):.3f} s (target <= 0.3 s), median "
        f"{statistics.median(ours):.3f} s; reference best {min(ref):.3f} s -> "
        f"{min(ref) / min(ours):.1f}x faster\n"
    )
    if not args.skip_big:
        big = work / f"big-{args.big_files}x{args.big_mib}M"
        make_big(big, args.big_files, args.big_mib)
        sig, pub = sign_model(big, work)
        warm(big)
        res = interleaved(commands(big, sig, pub), args.big_repeat, env, warmup=False)
        gib = sum(p.stat().st_size for p in big.rglob("*") if p.is_file()) / 2**30
        lines.append(f"### {args.big_files} x {args.big_mib} MiB model ({gib:.2f} GiB)\n")
        lines.append(HEADER)
        for name, times in res.items():
            lines.append(row(name, times))
        ours = walls(res["airlock verify --signature --key"])
        ref = walls(res["model_signing 1.1.1 verify key"])
        lines.append(
            f"\n- airlock / reference wall time: {min(ours) / min(ref):.2f}x (target <= 0.8x); "
            f"airlock {gib / min(ours):.2f} GiB/s\n"
        )
    if args.src is not None:
        lines.append(f"(airlock imported from {args.src})\n")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
