"""Honest-config sweep for AIR-CFG-022..025 (red team rt13cfg): scan every YAML under the roots
(optionally as if named NAME) and count the rules' findings by severity.

Usage: bench/rt13_config_keys_honest.py RULES NAME ROOT... (NAME "" keeps each file's own name)."""
import sys, collections
from pathlib import Path
from airlock.scan.engine import scan_data
rules = sys.argv[1].split(","); name = sys.argv[2]
files = [p for r in sys.argv[3:] for p in Path(r).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
sev = collections.Counter(); hits = collections.Counter(); flagged = 0
for p in files:
    rep = scan_data(p.read_bytes(), name or p.name)
    fs = [f for f in rep.findings if f.rule_id in rules]
    if any(f.severity >= 3 for f in fs): flagged += 1
    for f in fs:
        sev[str(f.severity)] += 1
        hits[(f.rule_id, str(f.severity), f.evidence.split(": ", 1)[-1][:100])] += 1
print(len(files), "files;", flagged, "with high+;", dict(sev))
for k, v in hits.most_common(25): print(v, k)
