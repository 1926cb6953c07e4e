"""Gate every artifact of a ``bench/fp13_gen.py`` tree once and count denials per family.

``PYTHONPATH=src python bench/fp13_check.py OUT RESULT.json [FAMILY...]``: one artifact = one
entry of ``OUT/<family>/`` (a file or a saved folder), judged by ``airlock.check`` with the
default options (deny = a high/critical finding or an object not scanned, as ``airlock check``).
Prints denied/artifacts per family and, for each denied artifact, its blocking rule ids and the
first evidence; RESULT.json keeps everything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import airlock


def _blocking(res: airlock.CheckResult) -> list[dict[str, str]]:
    return [
        {
            "rule": f.rule_id,
            "severity": str(f.severity),
            "evidence": f.evidence[:200],
            "member": f.member or "",
        }
        for f in res.findings
        if str(f.severity) in ("high", "critical")
    ]


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    only = set(argv[2:])
    rows = []
    for fam in sorted(p for p in root.iterdir() if p.is_dir()):
        if only and fam.name not in only:
            continue
        arts = sorted(fam.iterdir())
        denied = 0
        for art in arts:
            try:
                res = airlock.check(art)
                allowed, why = res.allowed, _blocking(res)
            except Exception as exc:  # the gate's own error is a deny too
                allowed, why = False, [{"rule": "ERROR", "severity": "", "evidence": repr(exc)}]
            rows.append(
                {"family": fam.name, "artifact": art.name, "allowed": allowed, "blocking": why}
            )
            if not allowed:
                denied += 1
                first = why[0] if why else {"rule": "?", "evidence": "no high finding"}
                rules = sorted({w["rule"] for w in why})
                print(f"  DENY {fam.name}/{art.name}: {','.join(rules)} {first['evidence'][:140]}")
        print(f"{fam.name}: {denied} denied of {len(arts)}")
    Path(argv[1]).write_text(json.dumps(rows, indent=1))
    total = len(rows)
    print(f"all: {sum(not r['allowed'] for r in rows)} denied of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
