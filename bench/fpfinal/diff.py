"""Session 18 helper fpfinal: compare two bench/fp13_check.py results (session start vs main).

``python bench/fpfinal/diff.py START.json MAIN.json``: counts, then every artifact allowed at
the start and denied on main (NEW DENY, with its rules and first evidence) and the reverse."""

import json
import sys


def main(argv: list[str]) -> int:
    a = {(r["family"], r["artifact"]): r for r in json.load(open(argv[0]))}
    b = {(r["family"], r["artifact"]): r for r in json.load(open(argv[1]))}
    da = sum(not r["allowed"] for r in a.values())
    db = sum(not r["allowed"] for r in b.values())
    print(f"{len(b)} artifacts ({len(a)} at start); denied start {da}, main {db}")
    for k in sorted(b):
        if k in a and a[k]["allowed"] and not b[k]["allowed"]:
            w = b[k]["blocking"]
            ev = w[0]["evidence"] if w else "no high finding"
            print("  NEW DENY", "/".join(k), sorted({x["rule"] for x in w}), ev[:200])
        if k in a and not a[k]["allowed"] and b[k]["allowed"]:
            print("  new allow", "/".join(k))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
