"""Models where they live: judging hub models before download, huge sharded checkpoints.

Runs a hub-compatible server on 127.0.0.1 (tests/sources/hubserver.py) over generated models:
- a 10 GiB safetensors-only model (a sparse file with a real 300-tensor header): `airlock check
  hf://...` wall time (whole process) and bytes received, against `airlock check` of the same
  files on disk (which must hash all 10 GiB) as the anchor;
- a 141-shard checkpoint with its index: judged from the hub and in place, peak RSS of each;
- a legacy (non-zip) torch.save checkpoint: judged from the prefix holding its pickles;
- a stalled hub: time until the clear error, with AIRLOCK_HTTP_TIMEOUT=2, 2 attempts;
- a large ONNX file (raw_data payloads in a sparse file): judged from its protobuf structure.

Every row also gives the CPU time (user + sys) of the check process: unlike wall time on a
shared machine, it does not depend on the load.

Usage: python bench/bench_sources.py [--size-gib 10] [--shards 141] [--tensors 600]
       [--legacy-gib 2] [--onnx-gib 1.9] [--repeats 5] [--quick]
       (--quick: only the hf:// rows of the 10 GiB model and the ONNX file)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.sources.hubserver import HubRepo, HubServer  # noqa: E402
from tests.sources.models import write_safetensors  # noqa: E402
from tests.sources.shards import make_sharded  # noqa: E402


def sha256_sparse(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 * 1024**2):
            h.update(chunk)
    return h.hexdigest()


def run_check(name: str, env: dict[str, str]) -> tuple[float, dict[str, object], int]:
    """Wall time, JSON report and peak RSS of `airlock check NAME --format json` (a child);
    its CPU time is added to ``CPU``."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['airlock', 'check', sys.argv[1], '--format', 'json']\n"
        "try:\n"
        "    runpy.run_module('airlock', run_name='__main__')\n"
        "finally:\n"
        "    hwm = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "    print('RSS', hwm, file=sys.stderr)\n"
    )
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-c", code, name], capture_output=True, text=True, env=env, timeout=900
    )
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    rss = int(next(line.split()[1] for line in out.stderr.splitlines() if line.startswith("RSS")))
    try:
        doc = json.loads(out.stdout)
    except ValueError:
        doc = {"error": out.stderr.strip().splitlines()[0] if out.stderr else out.returncode}
    return dt, doc, rss * 1024


CPU: list[float] = []


def _row(
    label: str, name: str, env: dict[str, str], hub: HubServer, total: int, repeats: int = 1
) -> str:
    times = []
    CPU.clear()
    for _ in range(repeats):
        hub.bytes_sent = 0
        hub.requests.clear()
        dt, doc, rss = run_check(name, env)
        times.append(dt)
    sent, requests = hub.bytes_sent, len(hub.requests)
    frac = f"{100 * sent / total:.4f}%" if sent else "-"
    root = str(doc.get("root_digest"))[:16]
    if "verdict" not in doc:
        root = f"error: {doc}"
    times.sort()
    wall = f"{times[len(times) // 2]:.2f}" + (
        f" ({times[0]:.2f}-{times[-1]:.2f}, n={repeats})" if repeats > 1 else ""
    )
    cpu = sorted(CPU)
    return (
        f"| {label} | {wall} | {cpu[len(cpu) // 2]:.2f} | {requests} | {sent:,} | {frac} | "
        f"{rss / 1024**2:.0f} | {doc.get('verdict')} | {root}… |"
    )


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _onnx(path: Path, gib: float, tensors: int = 300) -> None:
    """A ModelProto of about ``gib`` GiB written field by field: real nodes and tensor headers,
    each initializer's ``raw_data`` a hole in a sparse file (the onnx package cannot build one
    this large in memory)."""
    n = max(1, int(gib * 1024**3 / tensors) // 4 * 4)
    heads = []
    for i in range(tensors):
        head = _varint(1 << 3) + _varint(n // 4) + _varint(2 << 3) + _varint(1)  # dims, FLOAT
        head += _field(8, f"layers.{i}.weight".encode())
        heads.append(head + _varint(9 << 3 | 2) + _varint(n))  # raw_data tag and length
    node = _field(1, b"x") + _field(1, b"layers.0.weight") + _field(2, b"y") + _field(4, b"Add")
    inits = sum(len(_varint(len(h) + n)) + 1 + len(h) + n for h in heads)
    graph_len = len(_field(1, node)) + len(_field(2, b"g")) + inits
    model = _varint(1 << 3) + _varint(8) + _field(2, b"airlock-bench")
    model += _field(8, _varint(2 << 3) + _varint(17))  # opset_import {version: 17}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(model + _varint(7 << 3 | 2) + _varint(graph_len))
        fh.write(_field(1, node) + _field(2, b"g"))
        for h in heads:
            fh.write(_varint(5 << 3 | 2) + _varint(len(h) + n) + h)
            fh.seek(n, os.SEEK_CUR)  # the payload: a hole
        fh.truncate()


def _legacy(path: Path, gib: float) -> None:
    """A legacy (non-zip) torch.save checkpoint of about ``gib`` GiB (real bytes, zeros)."""
    import torch

    n = max(1, int(gib * 1024**3 / 4 / 64))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        state = {f"layers.{i}.weight": torch.zeros(n) for i in range(64)}
        torch.save(state, fh, _use_new_zipfile_serialization=False)


def _table(rows: list[str]) -> None:
    print("| run | wall s | CPU s | requests | bytes sent by the hub | of total | peak RSS MiB "
          "| verdict | root |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-gib", type=float, default=10)
    ap.add_argument("--shards", type=int, default=141)
    ap.add_argument("--tensors", type=int, default=600)
    ap.add_argument("--shard-mib", type=int, default=20, help="sparse shard size (> 16: by header)")
    ap.add_argument("--legacy-gib", type=float, default=2, help="legacy torch.save checkpoint")
    ap.add_argument("--repeats", type=int, default=5, help="runs of the 10 GiB hf:// check")
    ap.add_argument("--onnx-gib", type=float, default=1.9, help="ONNX file (protobuf < 2 GiB)")
    ap.add_argument("--quick", action="store_true", help="only the hf:// 10 GiB and ONNX rows")
    args = ap.parse_args()
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "HF_HUB_CACHE": str(tmp / "cache"),
        "AIRLOCK_STAGING_DIR": str(tmp),
        "NO_PROXY": "127.0.0.1",
        "HF_TOKEN_PATH": str(tmp / "none"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules, as an installed package has
    size = int(args.size_gib * 1024**3)
    big = tmp / "big"
    tensors = {f"model.layers.{i // 10}.w{i % 10}.weight": ("BF16", [256, 256]) for i in range(300)}
    # tensors hold zeros (a sparse file); the header is real
    write_safetensors(big / "model.safetensors", tensors, size=size)
    (big / "config.json").write_text(json.dumps({"model_type": "llama"}))
    t0 = time.perf_counter()
    digest = sha256_sparse(big / "model.safetensors")
    print(f"(stating the hub's sha256 took {time.perf_counter() - t0:.1f} s to compute)")
    onnx = tmp / "onnx"
    _onnx(onnx / "model.onnx", args.onnx_gib)
    (onnx / "config.json").write_text(json.dumps({"model_type": "onnx"}))
    rows = []
    with HubServer() as hub:
        env["HF_ENDPOINT"] = hub.url
        hub.add(HubRepo.from_dir("bench/big", big, stated={"model.safetensors": digest}))
        hub.add(HubRepo.from_dir("bench/onnx", onnx))
        total = sum(f.size for f in hub.repos["bench/big"].files.values())
        gib = f"{args.size_gib:g} GiB"
        run_check("hf://bench/big", env)  # warm-up: compiles modules, fills the page cache
        rows.append(_row(f"hf:// {gib}", "hf://bench/big", env, hub, total, args.repeats))
        ototal = sum(f.size for f in hub.repos["bench/onnx"].files.values())
        ogib = f"{args.onnx_gib:g} GiB ONNX, 300 initializers"
        rows.append(_row(f"hf:// {ogib}", "hf://bench/onnx", env, hub, ototal, args.repeats))
        if args.quick:
            _table(rows)
            print(f"load average at the end: {os.getloadavg()[0]:.2f}")
            return
        rows.append(_row(f"local {ogib}", str(onnx), env, hub, ototal))
        pad = args.shard_mib * 1024**2
        sharded, _ = make_sharded(tmp / "sharded", args.shards, args.tensors, pad=pad)
        legacy = tmp / "legacy"
        _legacy(legacy / "pytorch_model.bin", args.legacy_gib)
        (legacy / "config.json").write_text(json.dumps({"model_type": "bert"}))
        hub.add(HubRepo.from_dir("bench/sharded", sharded))
        hub.add(HubRepo.from_dir("bench/legacy", legacy))
        rows.append(_row(f"local {gib}", str(big), env, hub, total))
        ltotal = sum(f.size for f in hub.repos["bench/legacy"].files.values())
        lgib = f"{args.legacy_gib:g} GiB legacy torch.save"
        rows.append(_row(f"hf:// {lgib}", "hf://bench/legacy", env, hub, ltotal))
        rows.append(_row(f"local {lgib}", str(legacy), env, hub, ltotal))
        stotal = sum(f.size for f in hub.repos["bench/sharded"].files.values())
        for label, name in (
            (f"hf:// {args.shards} shards", "hf://bench/sharded"),
            (f"local {args.shards} shards", str(sharded)),
        ):
            rows.append(_row(label, name, env, hub, stotal))
        hub.faults.stall = True
        stall_env = {
            **env,
            "AIRLOCK_HTTP_TIMEOUT": "2",
            "AIRLOCK_HTTP_RETRIES": "2",
            "AIRLOCK_HTTP_BACKOFF": "0.1",
        }
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "airlock", "check", "hf://bench/big"],
            capture_output=True, text=True, env=stall_env, timeout=120,
        )  # fmt: skip
        stall = (time.perf_counter() - t0, out.returncode, out.stderr.strip())
        hub.faults.stall, hub.faults.trickle = False, 0.05  # headers, then a byte every 50 ms
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "airlock", "check", "hf://bench/big"],
            capture_output=True, text=True, env=stall_env, timeout=120,
        )  # fmt: skip
        trickle = (time.perf_counter() - t0, out.returncode, out.stderr.strip())
    _table(rows)
    print(f"\nstalled hub: exit {stall[1]} after {stall[0]:.2f} s: {stall[2]}")
    print(f"trickling hub: exit {trickle[1]} after {trickle[0]:.2f} s: {trickle[2]}")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.2f}; peak RSS of this script "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        for d in Path(tempfile.gettempdir()).glob("bench-sources-*"):
            shutil.rmtree(d, ignore_errors=True)
