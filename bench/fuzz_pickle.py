"""Mutation fuzzing campaign for the pickle analyser (longer than the hypothesis tests).

Usage: .venv/bin/python bench/fuzz_pickle.py [SECONDS] [SEED]
Mutates real torch/joblib/pickle streams byte-wise (flips, inserts, deletes, inserted opcodes
and huge length fields), analyses each in plain and joblib mode, and fails on any exception,
on an input that takes more than 5 s, or on an impossible end offset. Slow inputs are written
to /tmp/airlock-pickle-slow.bin for a regression test.
"""

from __future__ import annotations

import io
import pickle
import random
import signal
import sys
import time
import zipfile
from types import FrameType

import joblib
import numpy as np
import torch

from airlock.scan.interface import Limits
from airlock.scan.pickle_vm import analyze_pickle

_TOKENS = [
    b"\x93",
    b"R",
    b"b",
    b"(",
    b"0",
    b"\x94",
    b"h\x00",
    b"\x95" + bytes(8),
    b"\x8e" + b"\xff" * 8,
]


def _seeds() -> list[bytes]:
    out = []
    buf = io.BytesIO()
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()), buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        out.append(z.read(next(n for n in z.namelist() if n.endswith("data.pkl"))))
    buf = io.BytesIO()
    torch.save({"a": torch.zeros(3)}, buf, _use_new_zipfile_serialization=False)
    out.append(buf.getvalue()[:4000])
    buf = io.BytesIO()
    joblib.dump({"a": np.arange(5.0), "o": np.array([1, None], dtype=object)}, buf)
    out.append(buf.getvalue())
    value = [1, "a", b"b" * 300, {"k": (1.5, None)}, {1, 2}, frozenset([3]), bytearray(b"x")]
    out += [pickle.dumps(value, protocol=p) for p in range(6)]
    return out


def _timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    seeds = _seeds()
    limits = Limits(max_memo=10_000)
    signal.signal(signal.SIGALRM, _timeout)
    cases = 0
    worst = 0.0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data)) if data else 0
            r = rng.random()
            if r < 0.5 and data:
                data[i] = rng.randrange(256)
            elif r < 0.7:
                data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            elif r < 0.85 and data:
                del data[i : i + rng.randint(1, 4)]
            else:
                data[i:i] = rng.choice(_TOKENS)
        blob = bytes(data)
        for joblib_mode in (False, True):
            start = time.perf_counter()
            signal.alarm(5)
            try:
                result = analyze_pickle(blob, location="fuzz", joblib=joblib_mode, limits=limits)
            except TimeoutError:
                with open("/tmp/airlock-pickle-slow.bin", "wb") as fh:
                    fh.write(blob)
                print(f"SLOW input after {cases} cases (joblib={joblib_mode})")
                return 1
            finally:
                signal.alarm(0)
            worst = max(worst, time.perf_counter() - start)
            assert 0 <= result.end_offset <= len(blob)
        cases += 1
    print(f"{cases} mutated inputs x 2 modes, no exception, slowest {worst * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
