"""Honest joblib saves full of object arrays stay clean under the two-readings rule.

An object array's inner pickle, read by pickle.load instead of joblib.load, takes memo entries
of the stream around it, so the scanner's second reading of a joblib stream meets globals such
as ``classes_.dtype`` that no loader imports (pickle_vm._merge_other_reading). This grid is
what makes such shapes common: DataFrame-fitted estimators (``feature_names_in_``), label and
one-hot encoders over strings, ColumnTransformer pipelines, vectorizers, object arrays of
strings, dates, decimals, dicts, nested arrays and fitted estimators; every pickle protocol
from 2, and joblib's compressors. Each file is scanned; the script prints the files with a
finding of high severity or worse, and which (0 expected).

    PYTHONPATH=src python bench/joblib_object_arrays_honest.py [--seeds 0 1 2] [OUT_DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import tempfile
from collections import Counter
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from airlock.report import Severity
from airlock.scan.engine import scan_paths

WORDS = ["red", "green", "blue", "classes_", "dtype", "numpy", "os", "system", "Path", "a\nb"]


def objects(seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    n = 120
    words = [WORDS[i] for i in rng.integers(0, len(WORDS), n)]
    cities = [f"city{i}" for i in rng.integers(0, 40 + seed * 200, n)]
    frame = pd.DataFrame(
        {
            "colour": words,
            "city": cities,
            "age": rng.normal(40, 10, n),
            "income": rng.normal(5e4, 1e4, n),
        }
    )
    y = (frame["age"] > 40).astype(int).to_numpy()
    labels = np.array(words, dtype=object)
    pre = ColumnTransformer(
        [
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                ["colour", "city"],
            ),
            ("num", StandardScaler(), ["age", "income"]),
        ]
    )
    objs: dict[str, object] = {
        "label_encoder": LabelEncoder().fit(labels),
        "onehot": OneHotEncoder(handle_unknown="ignore").fit(frame[["colour", "city"]]),
        "ordinal": OrdinalEncoder().fit(frame[["colour", "city"]]),
        "column_pipe": make_pipeline(pre, LogisticRegression(max_iter=200)).fit(frame, y),
        "tree_frame": DecisionTreeClassifier(max_depth=3, random_state=seed).fit(
            frame[["age", "income"]], y
        ),
        "dictvec": DictVectorizer().fit([{w: 1, c: 2} for w, c in zip(words, cities, strict=True)]),
        "countvec": CountVectorizer().fit([" ".join(words[i : i + 5]) for i in range(0, n, 5)]),
        "obj_strings": labels,
        "obj_mixed": np.array([1, "two", 3.0, None, b"x", ("t", 1), [1, 2]], dtype=object),
        "obj_dates": np.array(
            [dt.date(2020, 1, 1 + seed), dt.datetime(2021, 2, 3, 4, 5), decimal.Decimal("1.5")],
            dtype=object,
        ),
        "obj_dicts": np.array([{"a": 1}, {"classes_": "dtype"}, {}], dtype=object),
        "obj_nested": np.array(
            [np.arange(3), np.array(["x", "y"], dtype=object), labels[:4]], dtype=object
        ),
        "obj_estimators": np.array(
            [LogisticRegression().fit(frame[["age"]], y), StandardScaler().fit(frame[["income"]])],
            dtype=object,
        ),
        "dict_of_arrays": {
            "names": labels[:10],
            "codes": np.arange(10),
            "frame_cols": frame.columns.to_numpy(),
        },
    }
    return objs


def write_grid(out: Path, seeds: list[int]) -> list[Path]:
    paths: list[Path] = []
    for seed in seeds:
        for name, obj in objects(seed).items():
            for proto in (2, 3, 4, 5, None):
                p = out / f"s{seed}_{name}_p{proto or 'd'}.joblib"
                joblib.dump(obj, p, protocol=proto)
                paths.append(p)
            for comp in ("zlib", "gzip", "bz2", "lzma", "xz"):
                p = out / f"s{seed}_{name}_{comp}.joblib"
                joblib.dump(obj, p, compress=(comp, 3))
                paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="jl-objarrays-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = write_grid(out, args.seeds)
    bad: Counter[str] = Counter()
    for p in paths:
        report = scan_paths([p])
        hits = [f for f in report.findings if f.severity >= Severity.HIGH]
        if hits:
            bad[p.name] += 1
            print(
                p.name,
                sorted(
                    {
                        f"{f.rule_id} {f.extra.get('callable') or f.extra.get('subject')}"
                        for f in hits
                    }
                ),
            )
    print(f"{len(paths)} files, {len(bad)} with a finding of high severity or worse ({out})")


if __name__ == "__main__":
    main()
