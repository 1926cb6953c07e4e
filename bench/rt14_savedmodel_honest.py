"""Honest TensorFlow SavedModels from the real savers through the rt14 SavedModel rules (AIR-TF-004
saver proof, the added file ops, saved_model.pb(txt) name claims) and Keras vocabulary paths
(AIR-KERAS-010): per kind, how many model directories and files scan with no finding and nothing
not scanned. The models are written by ``rt14_savedmodel_make.py`` under a Python that has
tensorflow (a side venv: TensorFlow is not a dependency of Airlock). Run from the repository
root: ``python bench/rt14_savedmodel_honest.py --tf-python /path/to/venv/bin/python``
(``--models DIR`` scans an earlier run's models again, e.g. under another checkout)."""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, "src")

from airlock.scan.engine import scan_paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tf-python", help="a Python with tensorflow installed")
    ap.add_argument("--models", help="scan the models an earlier run wrote here instead")
    args = ap.parse_args()
    if args.models:
        out = Path(args.models)
    else:
        out = Path(tempfile.mkdtemp(prefix="rt14-sm-"))
        maker = Path(__file__).with_name("rt14_savedmodel_make.py")
        subprocess.run([args.tf_python, str(maker), str(out)], check=True, capture_output=True)
        print("models in", out)
    tally: collections.Counter[tuple[str, bool]] = collections.Counter()
    for d in sorted(out.iterdir()):
        r = scan_paths([d])
        ok = not r.findings and all(o.status == "scanned" for o in r.objects)
        kind = d.name.rsplit("_", 1)[0] if d.name.startswith("keras") else d.name.split("_")[0]
        kind += d.suffix
        tally[(kind, ok)] += 1
        if not ok:
            print("NOT CLEAN", d.name, sorted({f.rule_id for f in r.findings}))
    for kind in sorted({k for k, _ in tally}):
        print(f"| {kind} | {tally[(kind, True)]} / {tally[(kind, True)] + tally[(kind, False)]} |")


if __name__ == "__main__":
    main()
