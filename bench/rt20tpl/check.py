"""Static verdict: analyze_template on each file. argv: files."""

import sys

from airlock.scan.jinja_rules import analyze_template

for p in sys.argv[1:]:
    iss = analyze_template(open(p).read())
    ids = sorted({i.rule.rule_id for i in iss})
    print(p, "CLEAN" if not iss else ids, "|", "; ".join(i.evidence[:90] for i in iss[:2]))
