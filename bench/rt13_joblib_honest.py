"""Honest joblib saves stay clean under the both-readings rule (red team rt13 J1/J2).

joblib.dump of scikit-learn models and of numpy arrays of 14 dtypes (text-like 'S'/'U' arrays
holding newlines and pickle-looking bytes among them), bare and in a dict, and two models with
each of joblib's six compressors: 106 files. Each file is scanned; the script prints how many
have a finding of high severity or worse, and which (0 expected).

    PYTHONPATH=src python bench/rt13_joblib_honest.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import joblib
import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from airlock.report import Severity
from airlock.scan.engine import scan_paths

DTYPES = ["u1", "i1", "i2", "i4", "i8", "f2", "f4", "f8", "c8", "?", "S12", "U5", "<u4", ">f8"]


def objects() -> dict[str, object]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 8))
    y = (x[:, 0] > 0).astype(int)
    docs = ["a cat sat", "on the mat\nnewline", "import os\nsystem\n"]
    objs: dict[str, object] = {
        "lr": LogisticRegression().fit(x, y),
        "rf": RandomForestClassifier(n_estimators=5, random_state=0).fit(x, y),
        "pipe": make_pipeline(StandardScaler(), PCA(3), LogisticRegression()).fit(x, y),
        "tfidf": TfidfVectorizer().fit(docs),
    }
    for i in range(40):
        dt = DTYPES[i % len(DTYPES)]
        if dt.startswith("S"):
            a = np.array([b"cos\nsin\n", b"cposix\nsy", b"ab\ncd\n"] * (i + 1), dtype=dt)
        elif dt.startswith("U"):
            a = np.array(["c\nx\n", "abc"] * (i + 1), dtype=dt)
        elif dt == "?":
            a = rng.integers(0, 2, size=1000 + i).astype(bool)
        else:
            a = (rng.normal(size=(i + 1, 37)) * 1000).astype(dt)
        objs[f"arr{i}_{dt.replace('<', 'l').replace('>', 'b')}"] = a
    objs["bytes_text"] = np.frombuffer(b"csympy\nsympify\n" * 50, dtype="u1")
    objs["bytes_rand"] = rng.integers(0, 256, size=100000).astype("u1")
    objs["ints_small"] = np.arange(10000)
    return objs


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="rt13jl-"))
    out.mkdir(parents=True, exist_ok=True)
    objs = objects()
    for name, obj in objs.items():
        joblib.dump(obj, out / f"{name}.joblib")
        joblib.dump({"a": obj, "b": [obj, 1]}, out / f"{name}_d.joblib")
    for comp in ["zlib", "gzip", "bz2", "lzma", "xz", "lz4"]:
        joblib.dump(objs["pipe"], out / f"pipe_{comp}.joblib", compress=comp)
        joblib.dump(objs["bytes_rand"], out / f"rand_{comp}.joblib", compress=comp)
    files = sorted(out.glob("*.joblib"))
    report = scan_paths(files)
    bad = sorted({f.location for f in report.findings if f.severity >= Severity.HIGH})
    skipped = len(report.not_scanned)
    print(f"{len(files)} files, {len(bad)} with a high+ finding, {skipped} not scanned")
    for loc in bad:
        print("  ", loc)
    return 1 if bad or report.not_scanned else 0


if __name__ == "__main__":
    raise SystemExit(main())
