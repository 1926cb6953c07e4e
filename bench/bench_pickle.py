"""Throughput of the symbolic pickle machine on real checkpoint pickles.

Usage: .venv/bin/python bench/bench_pickle.py
Builds (in memory) a large torch state_dict pickle, a whole-module pickle, a legacy-format
checkpoint with ~1 GiB of storage bytes after the pickles, and a joblib file with ~1 GiB of raw
array bytes, then times analyze_pickle on each (best of 3, process CPU time: the machine is
shared) and prints a Markdown table.
"""

from __future__ import annotations

import io
import pickletools
import time
import zipfile

import joblib
import numpy as np
import torch

from airlock.scan.pickle_vm import analyze_pickle


def _zip_pickle(obj: object) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))


def _time(data: bytes | memoryview, **kw: bool) -> tuple[float, int]:
    best = float("inf")
    ops = 0
    for _ in range(3):
        t = time.process_time()
        res = analyze_pickle(data, location="bench", **kw)
        best = min(best, time.process_time() - t)
        assert not res.findings, res.findings
        ops = res.end_offset
    return best, ops


def main() -> None:
    rows = []
    sd = {f"layer{i}.weight": torch.zeros(2) for i in range(20_000)}
    data = _zip_pickle(sd)
    rows.append(("state_dict, 20k tensors (data.pkl)", len(data), *_time(data)))
    t = time.process_time()
    for _ in pickletools.genops(data):
        pass
    genops = time.process_time() - t
    rows.append(("  same, pickletools.genops only (reference)", len(data), genops, len(data)))
    model = torch.nn.Sequential(*[torch.nn.Linear(4, 4) for _ in range(2_000)])
    data = _zip_pickle(model)
    rows.append(("whole nn.Module, 2k Linear (data.pkl)", len(data), *_time(data)))
    buf = io.BytesIO()
    big = {f"w{i}": torch.zeros(64 * 1024 * 1024 // 4) for i in range(16)}  # 16 x 64 MiB
    torch.save(big, buf, _use_new_zipfile_serialization=False)
    data = buf.getvalue()
    rows.append(("legacy torch.save, 1 GiB of storages", len(data), *_time(memoryview(data))))
    del big, buf, data
    buf = io.BytesIO()
    joblib.dump({f"a{i}": np.zeros(32 * 1024 * 1024) for i in range(4)}, buf)  # 4 x 256 MiB
    data = buf.getvalue()
    rows.append(("joblib, 1 GiB of raw arrays", len(data), *_time(memoryview(data), joblib=True)))
    print("| input | bytes | best of 3 (CPU time) | stream bytes consumed |")
    print("| --- | ---: | ---: | ---: |")
    for name, size, secs, end in rows:
        print(f"| {name} | {size:,} | {secs * 1000:.1f} ms | {end:,} |")


if __name__ == "__main__":
    main()
