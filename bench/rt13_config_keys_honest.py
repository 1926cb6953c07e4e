"""Honest-config sweep for AIR-CFG-022..025 (red team rt13cfg): scan every YAML under the roots
(optionally as if named NAME) and count the rules' findings by severity.

Usage: bench/rt13_config_keys_honest.py RULES NAME ROOT... (NAME "" keeps each file's own name).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from airlock.report import Severity
from airlock.scan.engine import scan_data


def main() -> None:
    rules = sys.argv[1].split(",")
    name = sys.argv[2]
    files = [
        p
        for root in sys.argv[3:]
        for p in sorted(Path(root).rglob("*"))
        if p.suffix in (".yaml", ".yml") and p.is_file()
    ]
    severities: collections.Counter[str] = collections.Counter()
    hits: collections.Counter[tuple[str, str, str]] = collections.Counter()
    flagged = 0
    for p in files:
        report = scan_data(p.read_bytes(), name or p.name)
        found = [f for f in report.findings if f.rule_id in rules]
        flagged += any(f.severity >= Severity.HIGH for f in found)
        for f in found:
            severities[str(f.severity)] += 1
            hits[(f.rule_id, str(f.severity), f.evidence.split(": ", 1)[-1][:100])] += 1
    print(len(files), "files;", flagged, "with high+;", dict(severities))
    for key, count in hits.most_common(25):
        print(count, key)


if __name__ == "__main__":
    main()
