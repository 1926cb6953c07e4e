"""Longer mutation-fuzzing run for the scan-formats parsers (the CI runs the short hypothesis
versions in tests/scan_formats). Each target gets valid seeds, mutated by byte flips, splices,
truncations, duplications and boundary integers; a crash is any exception other than the
parser's documented error, or a handler raising at all.

Usage: .venv/bin/python bench/fuzz_formats.py [--seconds 30] [--seed 1] [--out FILE]
Prints per target: executions, crashes, slowest input (seconds) as Markdown.
"""

from __future__ import annotations

import argparse
import json
import marshal
import random
import struct
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from airlock.formats.protobuf_wire import ProtobufError, iter_fields
from airlock.formats.pymarshal import MarshalError, read_code
from airlock.scan.handlers.gguf import GGUFHandler
from airlock.scan.handlers.keras import KerasZipHandler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.handlers.safetensors import SafetensorsHandler
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source
from airlock.scan.jinja_rules import analyze_template

INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 2**63 - 1, 2**64 - 1]


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if not b:
            b += rng.randbytes(8)
        pos = rng.randrange(len(b))
        if op == 0:
            b[pos] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos : pos + 8] = struct.pack("<Q", rng.choice(INTERESTING))
        elif op == 2:
            del b[pos : pos + rng.randint(1, 64)]
        elif op == 3:
            b[pos:pos] = rng.randbytes(rng.randint(1, 32))
        elif op == 4:
            end = min(len(b), pos + rng.randint(1, 128))
            b[pos:pos] = b[pos:end] * rng.randint(1, 8)
        else:
            b = b[: rng.randrange(len(b) + 1)]
    return bytes(b)


def handler_target(handler: object) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        src = Source(data)
        if handler.sniff(src):  # type: ignore[attr-defined]
            handler.scan(src, ScanContext("fuzz"))  # type: ignore[attr-defined]

    return run


def expect(fn: Callable[[bytes], object], *errors: type[BaseException]) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        try:
            fn(data)
        except errors:
            pass

    return run


def seeds() -> dict[str, tuple[list[bytes], Callable[[bytes], None]]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.scan_formats import gguf_build as gb
    from tests.scan_formats import pb
    from tests.scan_formats.templates import BENIGN

    gguf_seed = gb.build(
        [
            gb.kv_string("tokenizer.chat_template", BENIGN["chatml"]),
            gb.kv_u32("general.alignment", 32),
        ],
        [gb.tensor("t", [8, 4], 0, 0), gb.tensor("u", [32], 2, 128)],
        b"\0" * 160,
    )
    header = json.dumps({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    st_seed = struct.pack("<Q", len(header)) + header + b"\0" * 16
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr(
            "config.json",
            json.dumps({"module": "keras", "class_name": "Sequential", "config": {"layers": []}}),
        )
    try:
        from tests.scan_formats.test_onnx import make_model

        onnx_seed = make_model().SerializeToString()
    except ImportError:
        onnx_seed = b"\x08\x08\x12\x04test"
    sm_seed = pb.saved_model([("x", "Placeholder"), ("r", "ReadFile")], [("c", "Const")], ["a"])
    code_seed = marshal.dumps(mutate.__code__)
    return {
        "gguf handler": ([gguf_seed], handler_target(GGUFHandler())),
        "safetensors handler": ([st_seed], handler_target(SafetensorsHandler())),
        "onnx handler": ([onnx_seed], handler_target(OnnxHandler())),
        "savedmodel handler": ([sm_seed], handler_target(SavedModelHandler())),
        "keras zip handler": ([buf.getvalue()], handler_target(KerasZipHandler())),
        "protobuf wire reader": (
            [onnx_seed, sm_seed],
            expect(lambda d: list(iter_fields(d)), ProtobufError),
        ),
        "marshal reader": ([code_seed], expect(read_code, MarshalError)),
        "jinja analyser": (
            [t.encode() for t in BENIGN.values()],
            lambda d: analyze_template(d.decode("utf-8", "replace")) and None,
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lines = [
        f"Mutation fuzzing, {args.seconds:g} s per target, seed {args.seed}.",
        "",
        "| target | executions | crashes | slowest input (s) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (corpus, target) in seeds().items():
        execs = crashes = 0
        slowest = 0.0
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            data = mutate(rng, rng.choice(corpus))
            t0 = time.perf_counter()
            try:
                target(data)
            except Exception:
                crashes += 1
                if crashes <= 3:
                    sys.stderr.write(f"{name}: crash on {data[:64]!r}\n{traceback.format_exc()}\n")
            slowest = max(slowest, time.perf_counter() - t0)
            execs += 1
        lines.append(f"| {name} | {execs} | {crashes} | {slowest:.4f} |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
