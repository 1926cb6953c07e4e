"""argv: SRC files... -> one line per file: name, findings (rule ids + evidence), work."""

import hashlib
import sys
import time

sys.path.insert(0, sys.argv[1])
from airlock.scan.jinja_rules import analyze_template

seen = set()
tot = flagged = 0
for p in sys.argv[2:]:
    src = open(p, errors="replace").read()
    h = hashlib.md5(src.encode()).hexdigest()
    if h in seen:
        continue
    seen.add(h)
    tot += 1
    t = time.time()
    iss = analyze_template(src)
    dt = time.time() - t
    if iss:
        flagged += 1
    print(p.split("/")[-1], round(dt, 2), [(i.rule.rule_id, i.evidence[:80]) for i in iss])
print("TOTAL", tot, "with findings", flagged)
