"""A model's inventory for review diffs: tensor names, dtypes and shapes, and config texts.

Read as data only: safetensors headers through the bounded header parser, JSON configs as text,
the chat template as text (never rendered). Publishers attach it inside the scan report
(``"inventory"`` key, which policies ignore) with ``airlock registry submit --inventory``; the
console's diff compares two versions' inventories.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from airlock.errors import AirlockError

TEXT_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "chat_template.jinja",
    "chat_template.json",
)
MAX_TEXT_BYTES = 256 * 1024
MAX_FILES = 2000
MAX_TENSORS = 200_000


def model_inventory(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The inventory of the model directory (or single file) at ``root``."""
    from airlock.formats.safetensors import read_header

    base = Path(root)
    paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
    tensors: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    count = 0
    for path in paths[:MAX_FILES]:
        if path.is_symlink():
            continue
        rel = path.name if base.is_file() else path.relative_to(base).as_posix()
        if path.suffix == ".safetensors":
            try:
                with open(path, "rb") as fh:
                    header = read_header(fh, os.fstat(fh.fileno()).st_size, path=rel)
            except (AirlockError, OSError):
                continue  # the scan report says why; the inventory just lacks the file
            table: dict[str, Any] = {}
            for name, info in header.tensors.items():
                if count >= MAX_TENSORS:
                    break
                table[name] = {"dtype": info.dtype, "shape": list(info.shape)}
                count += 1
            tensors[rel] = table
        elif path.name in TEXT_FILES:
            try:
                raw = path.read_bytes()[:MAX_TEXT_BYTES]
            except OSError:
                continue
            text = raw.decode("utf-8", errors="replace")
            texts[rel] = text
            if path.name == "tokenizer_config.json":
                template = _chat_template(text)
                if template is not None:
                    texts[f"{rel}:chat_template"] = template
    return {"tensors": tensors, "texts": texts}


def _chat_template(config_text: str) -> str | None:
    """The chat template string(s) of a tokenizer config, as text."""
    try:
        data = json.loads(config_text)
    except (ValueError, RecursionError):
        return None
    value = data.get("chat_template") if isinstance(data, dict) else None
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # named templates: [{"name": ..., "template": ...}]
        parts = [
            f"## {t.get('name', '')}\n{t.get('template', '')}" for t in value if isinstance(t, dict)
        ]
        return "\n".join(parts)
    return None
