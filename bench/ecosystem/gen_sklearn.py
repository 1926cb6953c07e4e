"""scikit-learn: every estimator of all_estimators() that fits on toy data with its defaults,
pipelines, ColumnTransformer, FunctionTransformer with numpy ufuncs, TF-IDF with common
tokenizers; each saved with pickle and with joblib (every compressor)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
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


def enable_experimental() -> None:
    """all_estimators() lists IterativeImputer and the Halving searches only once enabled."""
    from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer

    del enable_halving_search_cv, enable_iterative_imputer


def estimators(w: Writer) -> None:
    from sklearn.utils import all_estimators

    enable_experimental()

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


def _try_fit(make: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make()


def _search_with(scoring: str, x: Any, y: Any, yr: Any) -> Any:
    """A small GridSearchCV scored by ``scoring`` on the kind of target that scorer expects."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import GridSearchCV

    func = get_scorer(scoring)._score_func
    if func.__module__.startswith("sklearn.metrics.cluster"):
        est, grid, target = KMeans(n_init=1), {"n_clusters": [2, 3]}, y
    elif func.__module__.endswith("_regression"):
        est, grid, target = Ridge(), {"alpha": [0.1, 1.0]}, np.abs(yr) + 0.1
    else:
        est, grid, target = LogisticRegression(), {"C": [0.1, 1.0]}, y
    return GridSearchCV(est, grid, cv=2, scoring=scoring).fit(x, target)


def variant_makers() -> dict[str, Callable[[], Any]]:
    """Hyper-parameter variants whose pickles name other classes than the defaults do: every SGD
    loss (sklearn.linear_model._sgd_fast loss objects), every Gaussian-process kernel and GPC's
    multi-class wrappers, each calibration method, the Halving searches, IterativeImputer, other
    losses/criteria/solvers/metrics, scorers and CV splitters stored as parameters (red-team round
    10: six honest saves of these shapes were denied)."""
    import numpy as np
    from sklearn import (
        calibration,
        cluster,
        ensemble,
        impute,
        linear_model,
        model_selection,
        neighbors,
        neural_network,
        preprocessing,
        svm,
        tree,
    )
    from sklearn.gaussian_process import GaussianProcessClassifier, GaussianProcessRegressor
    from sklearn.gaussian_process import kernels as k

    enable_experimental()
    rng = np.random.RandomState(0)
    x = rng.rand(60, 4)
    y = (x[:, 0] > 0.5).astype(int)
    y3 = (x[:, 0] * 3).astype(int)
    yr = x[:, 1] * 3
    lr = linear_model.LogisticRegression
    m: dict[str, Callable[[], Any]] = {}
    for loss in (
        "hinge",
        "log_loss",
        "modified_huber",
        "squared_hinge",
        "perceptron",
        "squared_error",
        "huber",
        "epsilon_insensitive",
        "squared_epsilon_insensitive",
    ):
        m[f"SGDClassifier-{loss}"] = lambda loss=loss: linear_model.SGDClassifier(
            loss=loss, max_iter=5
        ).fit(x, y)
    for loss in ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"):
        m[f"SGDRegressor-{loss}"] = lambda loss=loss: linear_model.SGDRegressor(
            loss=loss, max_iter=5
        ).fit(x, yr)
    m["SGDOneClassSVM"] = lambda: linear_model.SGDOneClassSVM(max_iter=5).fit(x)
    m["SGDClassifier-multiclass-avg"] = lambda: linear_model.SGDClassifier(
        average=True, max_iter=5
    ).fit(x, y3)
    kernels: dict[str, Callable[[], Any]] = {
        "RBF": lambda: k.RBF(),
        "Matern": lambda: k.Matern(nu=2.5),
        "RationalQuadratic": lambda: k.RationalQuadratic(),
        "DotProduct": lambda: k.DotProduct(),
        "WhiteKernel": lambda: k.ConstantKernel() * k.RBF() + k.WhiteKernel(),
        "Exponentiation": lambda: k.Exponentiation(k.DotProduct(), 2),
        "PairwiseKernel": lambda: k.PairwiseKernel(metric="rbf"),
        "Matern-Sum": lambda: k.Matern() + k.WhiteKernel(),
        "anisotropic-RBF": lambda: k.RBF(length_scale=[1.0] * 4),
        "ExpSineSquared": lambda: k.ExpSineSquared(periodicity=3.0) + k.WhiteKernel(1.0),
    }
    for kname, make_kernel in kernels.items():
        m[f"GPR-{kname}"] = lambda mk=make_kernel: GaussianProcessRegressor(
            kernel=mk(), optimizer=None
        ).fit(x, yr)
        m[f"GPC-{kname}"] = lambda mk=make_kernel: GaussianProcessClassifier(
            kernel=mk(), optimizer=None
        ).fit(x, y)
    m["GPR-CompoundKernel"] = lambda: GaussianProcessRegressor(
        kernel=k.CompoundKernel([k.RBF(), k.RBF()]), optimizer=None
    )
    m["GPR-default-fitted"] = lambda: GaussianProcessRegressor().fit(x, yr)
    m["GPC-one_vs_rest"] = lambda: GaussianProcessClassifier(multi_class="one_vs_rest").fit(x, y3)
    m["GPC-one_vs_one"] = lambda: GaussianProcessClassifier(multi_class="one_vs_one").fit(x, y3)
    for method in ("sigmoid", "isotonic", "temperature"):
        for ens in (True, False):
            m[f"Calibrated-{method}-ensemble{ens}"] = lambda method=method, ens=ens: (
                calibration.CalibratedClassifierCV(lr(), method=method, cv=2, ensemble=ens).fit(
                    x, y3
                )
            )
    m["HalvingGridSearchCV"] = lambda: model_selection.HalvingGridSearchCV(
        svm.SVC(), {"C": [1, 2, 3]}, cv=2
    ).fit(x, y)
    m["HalvingRandomSearchCV"] = lambda: model_selection.HalvingRandomSearchCV(
        svm.SVC(), {"C": [1, 2, 3]}, cv=2, random_state=0
    ).fit(x, y)
    for strat in ("mean", "median", "most_frequent", "constant"):
        m[f"IterativeImputer-{strat}"] = lambda strat=strat: impute.IterativeImputer(
            max_iter=2, initial_strategy=strat
        ).fit(x)
    m["IterativeImputer-rf"] = lambda: impute.IterativeImputer(
        ensemble.RandomForestRegressor(n_estimators=2), max_iter=1, sample_posterior=False
    ).fit(x)
    m["IterativeImputer-posterior"] = lambda: impute.IterativeImputer(
        sample_posterior=True, max_iter=2, add_indicator=True
    ).fit(np.where(x > 0.9, np.nan, x))
    for loss in ("squared_error", "absolute_error", "huber", "quantile"):
        m[f"GBR-{loss}"] = lambda loss=loss: ensemble.GradientBoostingRegressor(
            loss=loss, n_estimators=3
        ).fit(x, yr)
    for loss in ("log_loss", "exponential"):
        m[f"GBC-{loss}"] = lambda loss=loss: ensemble.GradientBoostingClassifier(
            loss=loss, n_estimators=3
        ).fit(x, y)
    for loss in ("squared_error", "absolute_error", "gamma", "poisson", "quantile"):
        m[f"HGBR-{loss}"] = lambda loss=loss: ensemble.HistGradientBoostingRegressor(
            loss=loss, max_iter=3, **({"quantile": 0.5} if loss == "quantile" else {})
        ).fit(x, yr + 1)
    m["HGBC-multi"] = lambda: ensemble.HistGradientBoostingClassifier(max_iter=3).fit(x, y3)
    for crit in ("gini", "entropy", "log_loss"):
        m[f"DTC-{crit}"] = lambda crit=crit: tree.DecisionTreeClassifier(criterion=crit).fit(x, y)
    for crit in ("squared_error", "friedman_mse", "absolute_error", "poisson"):
        m[f"DTR-{crit}"] = lambda crit=crit: tree.DecisionTreeRegressor(criterion=crit).fit(x, yr)
    for solver in ("sgd", "adam", "lbfgs"):
        m[f"MLP-{solver}"] = lambda solver=solver: neural_network.MLPClassifier(
            solver=solver, max_iter=5
        ).fit(x, y)
    for solver in ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga"):
        m[f"LogReg-{solver}"] = lambda solver=solver: lr(solver=solver, max_iter=20).fit(x, y3)
    for kern in ("linear", "poly", "rbf", "sigmoid"):
        m[f"SVC-{kern}"] = lambda kern=kern: svm.SVC(kernel=kern, probability=True).fit(x, y)
    for metric in ("euclidean", "manhattan", "chebyshev", "minkowski", "cosine", "haversine"):
        for algo in ("auto", "brute"):
            m[f"KNN-{metric}-{algo}"] = lambda metric=metric, algo=algo: (
                neighbors.KNeighborsClassifier(metric=metric, algorithm=algo).fit(
                    x[:, :2] if metric == "haversine" else x, y
                )
            )
    m["KNN-mahalanobis"] = lambda: neighbors.KNeighborsClassifier(
        metric="mahalanobis", metric_params={"VI": np.eye(4)}, algorithm="ball_tree"
    ).fit(x, y)
    for kern in ("gaussian", "tophat", "epanechnikov", "exponential", "linear", "cosine"):
        m[f"KDE-{kern}"] = lambda kern=kern: neighbors.KernelDensity(kernel=kern).fit(x)
    for strat in ("uniform", "quantile", "kmeans"):
        m[f"KBins-{strat}"] = lambda strat=strat: preprocessing.KBinsDiscretizer(
            n_bins=3, strategy=strat, quantile_method="averaged_inverted_cdf"
        ).fit(x)
    # one search per built-in scorer function (each scorer pickles its metric function)
    from sklearn.metrics import get_scorer, get_scorer_names

    by_func: dict[str, str] = {}
    for scoring in get_scorer_names():
        by_func.setdefault(get_scorer(scoring)._score_func.__qualname__, scoring)
    for scoring in sorted(by_func.values()):
        m[f"GridSearchCV-{scoring}"] = lambda scoring=scoring: _search_with(scoring, x, y, yr)
    m["GridSearchCV-multimetric"] = lambda: model_selection.GridSearchCV(
        lr(), {"C": [1, 2]}, cv=2, scoring=["accuracy", "f1"], refit="accuracy"
    ).fit(x, y)
    groups = np.arange(60) % 4
    splitters: dict[str, Any] = {
        "KFold": model_selection.KFold(2),
        "StratifiedKFold": model_selection.StratifiedKFold(2),
        "GroupKFold": model_selection.GroupKFold(2),
        "StratifiedGroupKFold": model_selection.StratifiedGroupKFold(2),
        "ShuffleSplit": model_selection.ShuffleSplit(2, random_state=0),
        "StratifiedShuffleSplit": model_selection.StratifiedShuffleSplit(2, random_state=0),
        "GroupShuffleSplit": model_selection.GroupShuffleSplit(2, random_state=0),
        "RepeatedKFold": model_selection.RepeatedKFold(n_splits=2, n_repeats=2),
        "RepeatedStratifiedKFold": model_selection.RepeatedStratifiedKFold(n_splits=2, n_repeats=2),
        "TimeSeriesSplit": model_selection.TimeSeriesSplit(2),
        "LeaveOneGroupOut": model_selection.LeaveOneGroupOut(),
        "LeavePGroupsOut": model_selection.LeavePGroupsOut(2),
        "PredefinedSplit": model_selection.PredefinedSplit(np.arange(60) % 2),
        "LeaveOneOut": model_selection.LeaveOneOut(),
        "LeavePOut": model_selection.LeavePOut(1),
    }
    for cv_name, cv in splitters.items():
        m[f"GridSearchCV-cv-{cv_name}"] = lambda cv=cv: model_selection.GridSearchCV(
            lr(), {"C": [1, 2]}, cv=cv
        ).fit(x, y, groups=groups)
    for obj in ("balanced_accuracy", "f1"):
        m[f"TunedThreshold-{obj}"] = lambda obj=obj: model_selection.TunedThresholdClassifierCV(
            lr(), scoring=obj, cv=2
        ).fit(x, y)
    m["BisectingKMeans"] = lambda: cluster.BisectingKMeans(3).fit(x)
    m["KMeans-elkan"] = lambda: cluster.KMeans(3, algorithm="elkan", n_init=1).fit(x)
    m["MiniBatchKMeans"] = lambda: cluster.MiniBatchKMeans(3, n_init=1).fit(x)
    return m


def variants(w: Writer) -> None:
    for name, make in variant_makers().items():
        try:
            est = _try_fit(make)
        except Exception as exc:
            w.skip(f"sklearn variant {name}", exc)
            continue
        w.pickle(f"variant-{name}", est, protocols=(5,))
        w.joblib(f"variant-{name}", est, compressors=("raw",))


def generate(w: Writer) -> dict[str, str]:
    import sklearn

    estimators(w)
    variants(w)
    composites(w)
    return {"scikit-learn": sklearn.__version__}
