"""scikit-learn: every estimator of all_estimators() that fits on toy data with its defaults,
pipelines, ColumnTransformer, FunctionTransformer with numpy ufuncs, TF-IDF with common
tokenizers; each saved with pickle and with joblib (every compressor)."""

from __future__ import annotations

import re
import warnings
from typing import Any

from bench.ecosystem.writer import Writer

_SKIP_TYPES = ("cluster",)  # fitted like classifiers minus y


def _data() -> dict[str, Any]:
    import numpy as np
    from sklearn.datasets import make_classification, make_regression

    x, y = make_classification(n_samples=60, n_features=6, n_informative=3, random_state=0)
    xr, yr = make_regression(n_samples=60, n_features=6, random_state=0)
    ym = np.stack([y, 1 - y], axis=1)
    return {"x": np.abs(x), "y": y, "xr": xr, "yr": yr, "ym": ym, "yrm": np.stack([yr, yr], 1)}


def _construct(cls: Any, kind: str) -> Any:
    """Defaults; meta-estimators get the simplest inner estimator(s) of their kind."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    try:
        return cls()
    except TypeError as exc:
        msg = str(exc)
    reg = kind == "regressor" or "Regressor" in cls.__name__
    inner = Ridge() if reg else LogisticRegression()
    tree = DecisionTreeRegressor() if reg else DecisionTreeClassifier()
    if "'estimators'" in msg:
        return cls([("lin", inner), ("tree", tree)])
    if "'param_grid'" in msg:
        return cls(inner, {"alpha" if reg else "C": [0.1, 1.0]}, cv=2)
    if "'param_distributions'" in msg:
        return cls(inner, {"alpha" if reg else "C": [0.1, 1.0]}, cv=2, n_iter=2)
    if "'estimator'" in msg:
        return cls(inner)
    raise TypeError(msg)


def _fit(name: str, cls: Any, kind: str, d: dict[str, Any]) -> Any:
    est = _construct(cls, kind)
    if kind == "classifier":
        attempts = [(d["x"], d["y"]), (d["x"], d["ym"])]
    elif kind == "regressor":
        attempts = [(d["xr"], d["yr"]), (d["xr"], d["yrm"])]
    else:
        attempts = [(d["x"], d["y"]), (d["x"], None)]
    last: Exception | None = None
    for x, y in attempts:
        try:
            return est.fit(x, y) if y is not None else est.fit(x)
        except Exception as exc:
            last = exc
    raise RuntimeError(f"does not fit toy data with default parameters: {last}")


def estimators(w: Writer) -> None:
    from sklearn.utils import all_estimators

    d = _data()
    kinds: dict[str, str] = {}
    for kind in ("classifier", "regressor", "transformer", "cluster"):
        for name, _ in all_estimators(type_filter=kind):
            kinds.setdefault(name, kind)
    for name, cls in all_estimators():
        kind = kinds.get(name, "other")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = _fit(name, cls, kind, d)
        except Exception as exc:
            w.skip(f"sklearn {name}", exc)
            continue
        w.pickle(f"{name}", est, protocols=(5,))
        w.joblib(f"{name}", est, compressors=("raw", "zlib", "lz4"))


def composites(w: Writer) -> None:
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.ensemble import RandomForestClassifier, StackingClassifier, VotingClassifier
    from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    d = _data()
    frame = pd.DataFrame(
        {
            "age": [20.0, 30, np.nan, 50] * 5,
            "city": ["a", "b", "a", "c"] * 5,
            "income": [1.0, 2, 3, 4] * 5,
        }
    )
    yf = np.array([0, 1] * 10)
    ct = ColumnTransformer(
        [
            (
                "num",
                Pipeline([("imp", SimpleImputer()), ("sc", StandardScaler())]),
                ["age", "income"],
            ),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"]),
        ]
    )
    objs: dict[str, Any] = {
        "Pipeline-ColumnTransformer": Pipeline([("pre", ct), ("clf", LogisticRegression())]).fit(
            frame, yf
        ),
        "ColumnTransformer-remainder": ColumnTransformer(
            [("sc", StandardScaler(), ["age"])], remainder="passthrough"
        ).fit(frame[["age", "income"]]),
        "make_pipeline": make_pipeline(StandardScaler(), LogisticRegression()).fit(d["x"], d["y"]),
        "FeatureUnion": FeatureUnion([("a", StandardScaler()), ("b", FunctionTransformer())]).fit(
            d["x"]
        ),
        "GridSearchCV": GridSearchCV(LogisticRegression(), {"C": [0.1, 1]}, cv=2).fit(
            d["x"], d["y"]
        ),
        "Stacking": StackingClassifier([("rf", RandomForestClassifier(n_estimators=3))], cv=2).fit(
            d["x"], d["y"]
        ),
        "Voting": VotingClassifier(
            [("lr", LogisticRegression()), ("rf", RandomForestClassifier(n_estimators=3))]
        ).fit(d["x"], d["y"]),
        "TransformedTarget-log1p": TransformedTargetRegressor(
            LinearRegression(), func=np.log1p, inverse_func=np.expm1
        ).fit(d["x"], np.abs(d["yr"])),
    }
    for ufunc in (
        "log1p",
        "expm1",
        "sqrt",
        "log",
        "exp",
        "abs",
        "square",
        "tanh",
        "sin",
        "cbrt",
        "reciprocal",
        "negative",
        "sign",
        "floor",
        "rint",
        "arcsinh",
    ):
        f = getattr(np, ufunc)
        objs[f"FunctionTransformer-np.{ufunc}"] = FunctionTransformer(f).fit(d["x"])
    objs["FunctionTransformer-np.clip"] = FunctionTransformer(
        np.clip, kw_args={"a_min": 0, "a_max": 1}
    ).fit(d["x"])
    docs = ["the cat sat", "the dog ran fast", "a cat and a dog", "hello world again"] * 3
    tokenizers: dict[str, Any] = {
        "default": None,
        "str.split": str.split,
        "str.lower": None,
        "re.compile.findall": re.compile(r"\w+").findall,
    }
    for tname, tok in tokenizers.items():
        for vec in (TfidfVectorizer, CountVectorizer):
            kw: dict[str, Any] = {}
            if tok is not None:
                kw = {"tokenizer": tok, "token_pattern": None}
            if tname == "str.lower":
                kw = {"preprocessor": str.lower}
            objs[f"{vec.__name__}-{tname}"] = vec(**kw).fit(docs)
    objs["TfidfVectorizer-ngrams-char"] = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 3)
    ).fit(docs)
    objs["TfidfVectorizer-stopwords-en"] = TfidfVectorizer(stop_words="english").fit(docs)
    objs["HashingVectorizer"] = HashingVectorizer(n_features=32).fit(docs)
    objs["text-Pipeline"] = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(
        docs, [0, 1, 0, 1] * 3
    )
    for name, obj in objs.items():
        w.pickle(name, obj, protocols=(4, 5))
        w.joblib(name, obj)


def generate(w: Writer) -> dict[str, str]:
    import sklearn

    estimators(w)
    composites(w)
    return {"scikit-learn": sklearn.__version__}
