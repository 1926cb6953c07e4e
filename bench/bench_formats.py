"""Header-only judging of 10 GB-class files: Airlock's safetensors and GGUF handlers vs the
reference readers (``safetensors.safe_open`` and gguf-py's ``GGUFReader``) on the same files.

Usage: .venv/bin/python bench/bench_formats.py [--gib 10] [--tensors 400] [--vocab 32000]
                                               [--repeat 5] [--out FILE]
Files are sparse (the header is real, the tensor bytes are holes), created under bench/.work/.
Times are in-process medians after one warm-up (page cache warm); ``airlock scan`` is also timed
as a whole process. Prints Markdown (and writes --out).
"""

from __future__ import annotations

import argparse
import json
import mmap
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent


def make_safetensors(path: Path, gib: int, tensors: int) -> None:
    total = gib * 1024**3
    per = total // tensors // 4 * 4
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    for i in range(tensors):
        header[f"model.layers.{i}.weight"] = {
            "dtype": "F32",
            "shape": [per // 4],
            "data_offsets": [i * per, (i + 1) * per],
        }
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with path.open("wb") as fh:
        fh.write(struct.pack("<Q", len(raw)) + raw)
        fh.truncate(8 + len(raw) + tensors * per)


def make_gguf(path: Path, gib: int, tensors: int, vocab: int) -> None:
    def s(text: str) -> bytes:
        b = text.encode()
        return struct.pack("<Q", len(b)) + b

    template = (
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
        "message['content'] + '<|im_end|>\\n'}}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    )
    kvs = [
        s("general.architecture") + struct.pack("<I", 8) + s("llama"),
        s("tokenizer.chat_template") + struct.pack("<I", 8) + s(template),
        s("tokenizer.ggml.tokens")
        + struct.pack("<IIQ", 9, 8, vocab)
        + b"".join(s(f"tok{i}") for i in range(vocab)),
        s("tokenizer.ggml.scores")
        + struct.pack("<IIQ", 9, 6, vocab)
        + struct.pack(f"<{vocab}f", *([0.0] * vocab)),
    ]
    per = gib * 1024**3 // tensors // 32 * 32
    infos = []
    for i in range(tensors):
        infos.append(s(f"blk.{i}.weight") + struct.pack("<IQIQ", 1, per // 4, 0, i * per))
    body = b"GGUF" + struct.pack("<IQQ", 3, tensors, len(kvs)) + b"".join(kvs) + b"".join(infos)
    body += b"\0" * (-len(body) % 32)
    with path.open("wb") as fh:
        fh.write(body)
        fh.truncate(len(body) + tensors * per)


def timeit(fn: Callable[[], object], repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def airlock_handler(path: Path, handler_name: str) -> Callable[[], object]:
    from airlock.scan.handlers.gguf import GGUFHandler
    from airlock.scan.handlers.safetensors import SafetensorsHandler
    from airlock.scan.interface import ScanContext, Source

    handler = SafetensorsHandler() if handler_name == "safetensors" else GGUFHandler()

    def run() -> object:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            src = Source(mm, path)
            out = handler.scan(src, ScanContext(str(path)))
            src.release()
        assert out.findings == [], out.findings
        return out

    return run


def anchor_safetensors(path: Path) -> Callable[[], object]:
    from safetensors import safe_open

    def run() -> object:
        with safe_open(str(path), "np") as f:
            return list(f.keys())

    return run


def anchor_gguf(path: Path) -> Callable[[], object]:
    from gguf import GGUFReader

    return lambda: len(GGUFReader(str(path)).tensors)


def cli(path: Path) -> Callable[[], object]:
    exe = VENV_BIN / "airlock"
    return lambda: subprocess.run([str(exe), "scan", str(path)], capture_output=True, check=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=int, default=10)
    ap.add_argument("--tensors", type=int, default=400)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    work = HERE / ".work" / "formats"
    work.mkdir(parents=True, exist_ok=True)
    st_path = work / f"sparse-{args.gib}g.safetensors"
    gg_path = work / f"sparse-{args.gib}g.gguf"
    make_safetensors(st_path, args.gib, args.tensors)
    make_gguf(gg_path, args.gib, args.tensors, args.vocab)
    rows = [
        (
            "safetensors",
            "airlock handler (header + validation)",
            airlock_handler(st_path, "safetensors"),
        ),
        ("safetensors", "safetensors.safe_open + keys()", anchor_safetensors(st_path)),
        ("safetensors", "`airlock scan` whole process", cli(st_path)),
        ("gguf", "airlock handler (header + template analysis)", airlock_handler(gg_path, "gguf")),
        ("gguf", "gguf-py GGUFReader", anchor_gguf(gg_path)),
        ("gguf", "`airlock scan` whole process", cli(gg_path)),
    ]
    lines = [
        f"Sparse {args.gib} GiB files, {args.tensors} tensors, GGUF vocab {args.vocab};"
        f" median of {args.repeat} after warm-up.",
        "",
        "| file | reader | seconds |",
        "| --- | --- | ---: |",
    ]
    for fmt, name, fn in rows:
        lines.append(f"| {fmt} | {name} | {timeit(fn, args.repeat):.4f} |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
