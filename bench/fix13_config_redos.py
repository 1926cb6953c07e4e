"""Hostile-config sizes for the config text rules (review13 #9): each shape, repeated to SIZE
bytes, is scanned once; prints seconds and findings per shape. Quadratic rules took > 300 s on
240 KB; linear ones scale with SIZE.

Usage: bench/fix13_config_redos.py [SIZE_BYTES]  (default 10 MB)
"""

from __future__ import annotations

import sys
import time

from airlock.scan.engine import scan_data

# (file name, unit repeated, prefix): comment lines after a key word, key words in one comment
# line, tags and anchors before a dotted value, !tuple strings, alias keys, blank lines
SHAPES = [
    ("model_config.yaml", "#,cls\n", "a: 1\n"),
    ("config.yaml", "#_target_\n", ""),
    ("config.yaml", "_target_ #", ""),
    ("model_config.yaml", ",cls #", "a: "),
    ("model_config.yaml", "? cls\n\n", ""),
    ("config.yaml", "a: b # [x.Y #", "seed_everything: 0\n"),
    ("config.yaml", ": !a: ", "seed_everything: 0\nx"),
    ("hyperparams.yaml", "!tuple ", "k: "),
    ("hyperparams.yaml", "k: !tuple (1,\n", ""),
    ("hyperparams.yaml", "(!x ", "k: "),
    ("model_config.yaml", "{*a", ""),
    ("fit.yaml", "- a.B\n", "trainer: {}\nmodel: 1\n"),
]


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    for name, unit, prefix in SHAPES:
        data = (prefix + unit * (size // len(unit))).encode()
        t0 = time.perf_counter()
        report = scan_data(data, name)
        dt = time.perf_counter() - t0
        count = size // len(unit)
        print(f"{dt:7.2f} s  {len(report.findings):5d} findings  {name} {unit!r} x {count}")


if __name__ == "__main__":
    main()
