"""Adapter module patterns: Python ``re`` (what peft runs) vs Airlock's linear matcher.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_safe_regex.py
Prints Markdown rows: a backtracking pattern on growing inputs (``re`` doubles per character,
the NFA does not), an ordinary vision-language target pattern over an 80-layer LLaMA's
module names (the NFA's cost, paid once per adapter), and reading a config of many costly
``rank_pattern`` keys (``--keys N``: parse time and Python-heap peak; security review 7, F6).
Single runs, wall clock.
"""

from __future__ import annotations

import re
import sys
import time
import tracemalloc
from collections.abc import Callable

from airlock.formats import peft
from airlock.formats.safe_regex import SafePattern

PATTERN = "(a|a)*b"
VLM = r"^(?!.*vision).*layers\.\d+\.self_attn\.(q|k|v|o)_proj$"
MODULES = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
           "mlp.up_proj", "mlp.down_proj", "mlp.gate_proj")  # fmt: skip


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def many_keys(n: int) -> None:
    """A ~50 KB config of ``n`` keys ``x{i}[a-z._0-9]{0,1990}`` (~4000 NFA states each)."""
    doc = {"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"],
           "rank_pattern": {f"x{i}[a-z._0-9]{{0,1990}}": 8 for i in range(n)}}  # fmt: skip
    tracemalloc.start()
    t, cfg = timed(lambda: peft.parse_config(doc))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    refused = sum(p.kind == "pattern" for p in cfg.problems)  # type: ignore[attr-defined]
    print(f"| config of {n} keys `x{{i}}[a-z._0-9]{{0,1990}}` | parse {t:.2f} s | "
          f"heap peak {peak / 2**20:.1f} MiB | {refused} keys AIR-ADP-008 |")


def main() -> None:
    if "--keys" in sys.argv:
        many_keys(int(sys.argv[sys.argv.index("--keys") + 1]))
        return
    print("| case | Python re | Airlock NFA |\n| --- | ---: | ---: |")
    for n in (16, 20, 22):
        tr, _ = timed(lambda: re.fullmatch(PATTERN, "a" * n))  # noqa: B023
        ts, _ = timed(lambda: SafePattern(PATTERN).fullmatch("a" * n))  # noqa: B023
        print(f"| `(a\\|a)*b` on {n} a's | {tr:.3f} s | {ts * 1000:.2f} ms |")
    ts, _ = timed(lambda: SafePattern(PATTERN).fullmatch("a" * 4000))
    print(f"| `(a\\|a)*b` on 4000 a's | (not run) | {ts * 1000:.2f} ms |")
    cfg = peft.parse_config({"peft_type": "LORA", "r": 8, "target_modules": VLM})
    names = [f"model.layers.{i}.{m}" for i in range(80) for m in MODULES]
    ts, hits = timed(lambda: sum(peft.targeted(cfg, n) for n in names))
    rx = re.compile(VLM)
    tr, want = timed(lambda: sum(rx.fullmatch(n) is not None for n in names))
    assert hits == want
    shown = VLM.replace("|", "\\|")
    print(f"| {len(names)} module names of an 80-layer LLaMA, `{shown}`, {hits} targeted "
          f"| {tr * 1000:.2f} ms | {ts * 1000:.1f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
