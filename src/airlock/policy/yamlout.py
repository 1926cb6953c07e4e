"""A tiny deterministic YAML emitter for plain data (dicts, lists, str, int, bool, None).

Strings are always double-quoted JSON strings, which YAML reads back unchanged, so no value can
turn into a different type or a document marker.
"""

from __future__ import annotations

import json
from typing import Any


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return json.dumps(v)
    return _quote(str(v))


def _quote(s: str) -> str:
    """A YAML double-quoted scalar using only printable ASCII and YAML escapes."""
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= cp <= 0x7E:
            out.append(ch)
        elif cp <= 0xFF:
            out.append(f"\\x{cp:02x}")
        elif cp <= 0xFFFF:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain_key(k: str) -> bool:
    return k.isascii() and k.isalnum() and k[:1].isalpha() and k.lower() not in _SPECIAL


def _emit(v: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            out[-1] += " {}"
            return
        for k, item in v.items():
            key = str(k) if _plain_key(str(k)) else _scalar(k)
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:")
                _emit(item, indent + 1, out)
            elif isinstance(item, dict | list):
                out.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, dict) and item:
                sub: list[str] = [""]
                _emit(item, indent + 1, sub)
                first = sub[1].lstrip()
                out.append(f"{pad}- {first}")
                out.extend(sub[2:])
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                _emit(item, indent + 1, out)
            else:
                empty = "{}" if isinstance(item, dict) else "[]"
                out.append(f"{pad}- {empty if isinstance(item, dict | list) else _scalar(item)}")
    else:
        out.append(pad + _scalar(v))


def dump_all(docs: list[dict[str, Any]], comments: list[str] | None = None) -> str:
    """Multi-document YAML, each document preceded by ``---`` and optional comment lines."""
    out: list[str] = []
    for i, doc in enumerate(docs):
        out.append("---")
        if comments and i < len(comments) and comments[i]:
            out.extend(f"# {line}" for line in comments[i].splitlines())
        body: list[str] = [""]
        _emit(doc, 0, body)
        out.extend(body[1:])
    return "\n".join(out) + "\n"
