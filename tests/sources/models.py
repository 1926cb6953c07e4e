"""Generated test models (never downloaded): safetensors of any size (sparse), harmless pickles."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8, "U8": 1}


def write_safetensors(
    path: Path,
    tensors: dict[str, tuple[str, list[int]]],
    *,
    size: int | None = None,
    tail: bytes = b"",
    metadata: dict[str, str] | None = None,
    filler: str = "filler",
) -> Path:
    """A valid safetensors file; tensor bytes are a hole (zeros). ``size`` pads the last tensor's
    region out by adding a filler tensor, ``tail`` overwrites the last bytes (polyglots)."""
    header: dict[str, object] = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = DTYPE_BYTES[dtype]
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    if size is not None:
        fill = size - 8 - len(raw) - offset
        if fill > 0:
            header[filler] = {
                "dtype": "U8",
                "shape": [fill],
                "data_offsets": [offset, offset + fill],
            }
            raw = json.dumps(header, separators=(",", ":")).encode()
            raw += b" " * (-len(raw) % 8)
            fill = size - 8 - len(raw) - offset
            header[filler] = {
                "dtype": "U8",
                "shape": [fill],
                "data_offsets": [offset, offset + fill],
            }
            raw = json.dumps(header, separators=(",", ":")).encode()
            pad = size - 8 - len(raw) - offset - fill
            raw += b" " * pad
            offset += fill
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)))
        fh.write(raw)
        fh.truncate(8 + len(raw) + offset)
        if tail:
            fh.seek(8 + len(raw) + offset - len(tail))
            fh.write(tail)
    return path


def evil_pickle(marker: str = "/tmp/airlock-never-runs") -> bytes:
    """A pickle that would call os.system when loaded (we never load it)."""
    cmd = f"touch {marker}".encode()
    return b"\x80\x02cos\nsystem\nq\x00X" + struct.pack("<I", len(cmd)) + cmd + b"\x85R."


def make_model(root: Path, *, big: int = 40 * 1024**2, denied: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 8}))
    (root / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 512}))
    (root / "README.md").write_text("# test model\n")
    (root / ".gitattributes").write_text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    write_safetensors(
        root / "model.safetensors",
        {"embeddings.weight": ("F32", [64, 8]), "encoder.weight": ("F16", [8, 8])},
        size=big,
    )
    if denied:
        (root / "pytorch_model.bin").write_bytes(evil_pickle())
    return root


def make_hf_cache(
    cache: Path, repo_id: str, commit: str, src: Path, ref: str = "main", kind: str = "models"
) -> Path:
    """The huggingface_hub cache layout for ``src``: blobs named by digest, snapshot links."""
    import hashlib

    repo = cache / f"{kind}--{repo_id.replace('/', '--')}"
    blobs = repo / "blobs"
    snap = repo / "snapshots" / commit
    blobs.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        name = hashlib.sha256(data).hexdigest()
        (blobs / name).write_bytes(data)
        link = snap / p.relative_to(src)
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(blobs / name, link.parent), link)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / ref).write_text(commit)
    return snap
