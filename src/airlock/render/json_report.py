"""Scan report as JSON (schema ``airlock.scan-report/v1``, see ``airlock schema report``)."""

from __future__ import annotations

import json
import re
from typing import Any

from airlock.scan.result import ScanReport

_SURROGATE = "[\ud800-\udfff]"


def dumps(data: Any) -> str:
    """JSON text that is valid UTF-8 whatever the file names were.

    Names that are not UTF-8 reach us as lone surrogates (``os.fsdecode``'s surrogateescape);
    they are written as ``\\udcXX`` escapes, which JSON allows, and ``os.fsencode`` of the
    decoded string gives the raw bytes back. Everything else stays readable (no ASCII escaping).
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=repr)
    try:
        text.encode("utf-8")  # no lone surrogate: nothing to escape (no pattern compiled)
    except UnicodeEncodeError:
        text = re.sub(_SURROGATE, lambda m: f"\\u{ord(m.group()):04x}", text)
    return text + "\n"


def render_json(report: ScanReport) -> str:
    """The report as an indented JSON document (UTF-8 safe, stable key order)."""
    return dumps(report.to_json())
