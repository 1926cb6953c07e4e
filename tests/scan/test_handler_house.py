"""The scanner's house: one module per format that imports no other handler, readers below the
engine, and one engine path for every "claims a format but does not parse"."""

from __future__ import annotations

import ast
import io
import struct
import zipfile
from pathlib import Path

import pytest

from airlock.scan.engine import not_judged, scan_data

SRC = Path(__file__).resolve().parents[2] / "src" / "airlock"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_handler_modules_import_no_other_handler() -> None:
    handlers = sorted((SRC / "scan" / "handlers").glob("*.py"))
    assert len(handlers) > 20
    for path in handlers:
        own = {"airlock.scan.handlers.common"}
        others = {
            name for name in _imports(path)
            if name.startswith("airlock.scan.handlers.") and name not in own
            and not name.startswith("airlock.scan.handlers.common.")
        }  # fmt: skip
        assert not others, f"{path.name} imports {others}: shared helpers belong in common.py"


def test_readers_never_import_the_engine_above_them() -> None:
    for path in sorted((SRC / "formats").glob("*.py")):
        assert not {i for i in _imports(path) if i.startswith("airlock.scan")}, path.name


def _keras_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr("config.json", "[" * 1000)
    return buf.getvalue()


BROKEN = {
    "safetensors": (struct.pack("<Q", 40) + b'{"w": {"dtype": "F32", "shape": [' + b" " * 60),
    "gguf": b"GGUF\x03\0\0\0" + struct.pack("<QQ", 1, 1) + b"\xff" * 40,
    "hdf5": b"\x89HDF\r\n\x1a\n" + b"\xff" * 600,
    "keras": _keras_zip(),
    "npy": b"\x93NUMPY\x01\x00\x10\x00{'descr': <f4',}",
    "catboost-cbm": b"CBM1" + struct.pack("<I", 10**6) + b"\0" * 32,
}


@pytest.mark.parametrize("fmt", sorted(BROKEN))
def test_a_format_that_does_not_parse_takes_the_one_engine_path(fmt: str) -> None:
    report = scan_data(BROKEN[fmt], "model.bin")
    top = report.objects[0]
    assert top.status == "not_scanned", (fmt, top)
    # the engine's failure path: the reason is the evidence of a not-judged finding of the object
    stops = [f for f in report.findings if f.member is None and not_judged(f.rule_id)]
    assert any(f.evidence == top.reason for f in stops), (fmt, top.reason, stops)
