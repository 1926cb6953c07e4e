"""Bounded JSONL reading for fine-tuning sets: malformed rows are reported, never fatal."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from airlock.errors import InputError, UsageError
from airlock.formats.safetensors import json_depth

MAX_LINE_BYTES = 1024 * 1024
MAX_ROWS = 2_000_000
MAX_DEPTH = 32


@dataclass(frozen=True)
class Row:
    index: int  # 0-based line number in the file
    text: str
    label: str | None


@dataclass
class Dataset:
    path: Path
    rows: list[Row] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    truncated: bool = False

    @property
    def labels(self) -> list[str]:
        return sorted({r.label for r in self.rows if r.label is not None})


def _field(obj: object, name: str) -> object:
    """``a.b`` walks nested objects."""
    for part in name.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def read_jsonl(
    path: Path, text_field: str, label_field: str | None, max_rows: int = MAX_ROWS
) -> Dataset:
    """Rows with a string ``text_field`` (and a scalar label); everything else is 'malformed'."""
    if not text_field:
        raise UsageError("--text-field must name a field")
    ds = Dataset(path)
    seen: dict[str, int] = {}  # field -> rows that have it (a missing field is a usage error)
    keys: dict[str, None] = {}  # top-level keys seen, for the error message
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        for lineno, raw in enumerate(iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b"")):
            if len(ds.rows) >= max_rows:
                ds.truncated = True
                break
            if len(raw) > MAX_LINE_BYTES:
                ds.malformed.append((lineno, f"line longer than {MAX_LINE_BYTES} bytes"))
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = fh.readline(MAX_LINE_BYTES)
                continue
            if not raw.strip():
                continue
            if json_depth(raw) > MAX_DEPTH:
                ds.malformed.append((lineno, "JSON nested too deep"))
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError) as exc:
                ds.malformed.append((lineno, f"not JSON ({str(exc)[:80]})"))
                continue
            if isinstance(obj, dict) and len(keys) < 50:
                keys.update(dict.fromkeys(str(k)[:40] for k in list(obj)[:50]))
            text = _field(obj, text_field)
            for name, value in ((text_field, text), (label_field, _field(obj, label_field or ""))):
                if name and value is not None:
                    seen[name] = seen.get(name, 0) + 1
            if not isinstance(text, str):
                ds.malformed.append((lineno, f"no string field {text_field!r}"))
                continue
            label: str | None = None
            if label_field:
                lab = _field(obj, label_field)
                if isinstance(lab, bool) or not isinstance(lab, (str, int, float)):
                    ds.malformed.append((lineno, f"no scalar field {label_field!r}"))
                    continue
                label = str(lab)
            ds.rows.append(Row(lineno, text, label))
    _require_fields(ds, seen, keys, text_field, label_field)
    return ds


def _require_fields(
    ds: Dataset,
    seen: dict[str, int],
    keys: dict[str, None],
    text_field: str,
    label_field: str | None,
) -> None:
    """A field that no row has is a mistyped option, not a dataset of malformed rows."""
    if not keys:
        return
    for option, name in (("--text-field", text_field), ("--label-field", label_field)):
        if name and not seen.get(name):
            shown = ", ".join(list(keys)[:20])
            raise UsageError(f"{option} {name!r}: no row of {ds.path} has it (fields: {shown})")
