"""Python-source analyser over a corpus of honest code (false-positive probe): every ``.py``
under a directory through ``airlock.scan.pycode.analyze_python`` (ast only, nothing imported);
prints the count of files per highest severity and, with ``--list``, each file above LOW.

    PYTHONPATH=src nice -n 10 .venv/bin/python bench/pycode_corpus.py DIR [--list]
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from airlock.report import Severity
from airlock.scan.pycode import analyze_python


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    counts: collections.Counter[str] = collections.Counter()
    above: list[tuple[str, str]] = []
    files = sorted(root.rglob("*.py"))
    for path in files:
        issues = analyze_python(path.read_bytes())
        worst = max((i.severity for i in issues), default=None)
        name = "none" if worst is None else worst.name.lower()
        counts[name] += 1
        if worst is not None and worst > Severity.LOW:
            above.append((name, str(path.relative_to(root))))
    print(f"{len(files)} files:", ", ".join(f"{k} {counts[k]}" for k in
          ("none", "info", "low", "medium", "high", "critical") if counts[k]))  # fmt: skip
    if "--list" in argv:
        for name, path in above:
            print(f"  {name:8} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
