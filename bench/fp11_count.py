"""Files and denied files per top folder of a ``airlock scan -f json`` report of /tmp/fp11/out.

``python3 bench/fp11_count.py REPORT.json [FOLDER...]``: denied = a high or critical finding;
the folders named are listed file by file.
"""

from __future__ import annotations

import collections
import json
import sys

ROOT = "/tmp/fp11/out/"


def _folder(location: str) -> str:
    return location.split("!")[0].split(ROOT)[1].split("/")[0]


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as fh:
        doc = json.load(fh)
    files: dict[str, set[str]] = collections.defaultdict(set)
    denied: dict[str, set[str]] = collections.defaultdict(set)
    for o in doc["objects"]:
        files[_folder(o["location"])].add(o["location"].split("!")[0])
    for f in doc["findings"]:
        if f["severity"] in ("high", "critical"):
            denied[_folder(f["location"])].add(f["location"].split("!")[0])
    total = sum(len(v) for v in files.values())
    print("total files", total, "denied", sum(len(v) for v in denied.values()))
    for p in sorted(files):
        print(p, len(files[p]), "denied", len(denied[p]))
    for p in argv[1:]:
        for x in sorted(denied[p]):
            print("  ", x)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
