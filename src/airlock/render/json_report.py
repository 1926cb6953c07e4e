"""Scan report as JSON (schema ``airlock.scan-report/v1``, see ``airlock schema report``)."""

from __future__ import annotations

import json

from airlock.scan.result import ScanReport


def render_json(report: ScanReport) -> str:
    """The report as an indented JSON document (UTF-8 safe, stable key order)."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=repr) + "\n"
