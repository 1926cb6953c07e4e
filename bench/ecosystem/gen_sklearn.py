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
    m.update(_parameter_variants(x, y, y3, yr))
    return m


def _parameter_variants(x: Any, y: Any, y3: Any, yr: Any) -> dict[str, Callable[[], Any]]:
    """Score functions, kernels, pooling functions, dtypes, solvers and options stored as
    estimator parameters."""
    import numpy as np
    from sklearn import (
        cluster,
        compose,
        decomposition,
        dummy,
        ensemble,
        feature_extraction,
        feature_selection,
        kernel_approximation,
        linear_model,
        manifold,
        mixture,
        neighbors,
        pipeline,
        preprocessing,
        semi_supervised,
        svm,
    )

    fs = feature_selection
    m: dict[str, Callable[[], Any]] = {}
    for name in ("chi2", "f_classif", "mutual_info_classif"):
        m[f"SelectKBest-{name}"] = lambda name=name: fs.SelectKBest(getattr(fs, name), k=2).fit(
            x, y
        )
    for name in ("f_regression", "r_regression", "mutual_info_regression"):
        m[f"SelectPercentile-{name}"] = lambda name=name: fs.SelectPercentile(
            getattr(fs, name)
        ).fit(x, yr)
    m["GenericUnivariateSelect-chi2"] = lambda: fs.GenericUnivariateSelect(fs.chi2).fit(x, y)
    m["SelectFdr-f_classif"] = lambda: fs.SelectFdr(alpha=0.5).fit(x, y)
    m["SequentialFeatureSelector"] = lambda: fs.SequentialFeatureSelector(
        linear_model.LogisticRegression(), n_features_to_select=2, cv=2
    ).fit(x, y)
    m["RFECV-f1"] = lambda: fs.RFECV(linear_model.LogisticRegression(), cv=2, scoring="f1").fit(
        x, y
    )
    for pool in ("mean", "median", "max", "min"):
        m[f"FeatureAgglomeration-{pool}"] = lambda pool=pool: cluster.FeatureAgglomeration(
            2, pooling_func=getattr(np, pool)
        ).fit(x)
    for link in ("ward", "complete", "average", "single"):
        m[f"Agglomerative-{link}"] = lambda link=link: cluster.AgglomerativeClustering(
            3, linkage=link
        ).fit(x)
    m["Birch-agglo"] = lambda: cluster.Birch(n_clusters=cluster.AgglomerativeClustering(2)).fit(x)
    for kern in ("rbf", "poly", "sigmoid", "cosine", "linear", "laplacian", "chi2"):
        m[f"Nystroem-{kern}"] = lambda kern=kern: kernel_approximation.Nystroem(
            kernel=kern, n_components=5
        ).fit(x)
        m[f"KernelPCA-{kern}"] = lambda kern=kern: decomposition.KernelPCA(
            2, kernel=kern, fit_inverse_transform=kern == "rbf"
        ).fit(x)
    m["KernelRidge-rbf"] = lambda: (
        __import__("sklearn.kernel_ridge").kernel_ridge.KernelRidge(kernel="rbf").fit(x, yr)
    )
    for solver in ("svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"):
        m[f"Ridge-{solver}"] = lambda solver=solver: linear_model.Ridge(
            solver=solver, positive=solver == "lbfgs"
        ).fit(x, yr)
    m["RidgeCV-r2"] = lambda: linear_model.RidgeCV(scoring="r2").fit(x, yr)
    m["RidgeClassifierCV-f1"] = lambda: linear_model.RidgeClassifierCV(scoring="f1").fit(x, y)
    m["LogisticRegressionCV-roc_auc"] = lambda: linear_model.LogisticRegressionCV(
        cv=2, scoring="roc_auc"
    ).fit(x, y)
    m["ElasticNet-random"] = lambda: linear_model.ElasticNet(alpha=0.01, selection="random").fit(
        x, yr
    )
    m["PassiveAggressive-squared_hinge"] = lambda: linear_model.PassiveAggressiveClassifier(
        loss="squared_hinge"
    ).fit(x, y)
    m["PassiveAggressiveRegressor-sq"] = lambda: linear_model.PassiveAggressiveRegressor(
        loss="squared_epsilon_insensitive"
    ).fit(x, yr)
    m["Perceptron-l1"] = lambda: linear_model.Perceptron(penalty="l1").fit(x, y3)
    m["HGB-early-f1"] = lambda: ensemble.HistGradientBoostingClassifier(
        max_iter=5, early_stopping=True, scoring="f1", validation_fraction=0.3
    ).fit(x, y)
    m["HGB-monotonic-interaction"] = lambda: ensemble.HistGradientBoostingRegressor(
        max_iter=3, monotonic_cst=[1, 0, -1, 0], interaction_cst=[[0, 1], [2, 3]]
    ).fit(x, yr)
    m["HGB-class_weight"] = lambda: ensemble.HistGradientBoostingClassifier(
        max_iter=3, class_weight="balanced"
    ).fit(x, y3)
    m["GB-init-zero-subsample"] = lambda: ensemble.GradientBoostingClassifier(
        n_estimators=3, init="zero", subsample=0.5, n_iter_no_change=2
    ).fit(x, y3)
    m["GB-init-estimator"] = lambda: ensemble.GradientBoostingRegressor(
        n_estimators=3, init=linear_model.Ridge()
    ).fit(x, yr)
    m["RF-oob-maxsamples"] = lambda: ensemble.RandomForestClassifier(
        3, oob_score=True, max_samples=0.5, class_weight="balanced_subsample"
    ).fit(x, y3)
    m["ExtraTrees-sqrt"] = lambda: ensemble.ExtraTreesRegressor(3, max_features="sqrt").fit(x, yr)
    m["RandomTreesEmbedding"] = lambda: ensemble.RandomTreesEmbedding(3).fit(x)
    m["AdaBoostRegressor-square"] = lambda: ensemble.AdaBoostRegressor(
        n_estimators=3, loss="square"
    ).fit(x, yr)
    m["Bagging-SVC-features"] = lambda: ensemble.BaggingClassifier(
        svm.SVC(), n_estimators=2, max_features=0.5, bootstrap_features=True
    ).fit(x, y)
    m["Voting-soft"] = lambda: ensemble.VotingClassifier(
        [("a", linear_model.LogisticRegression()), ("b", svm.SVC(probability=True))],
        voting="soft",
        weights=[1, 2],
    ).fit(x, y)
    m["StackingRegressor-passthrough"] = lambda: ensemble.StackingRegressor(
        [("a", linear_model.Ridge())], passthrough=True, cv=2
    ).fit(x, yr)
    for weights in ("uniform", "distance"):
        m[f"KNNRegressor-{weights}-kd"] = lambda weights=weights: neighbors.KNeighborsRegressor(
            weights=weights, algorithm="kd_tree"
        ).fit(x, yr)
    m["LOF-manhattan"] = lambda: neighbors.LocalOutlierFactor(novelty=True, metric="manhattan").fit(
        x
    )
    m["NearestCentroid-shrink"] = lambda: neighbors.NearestCentroid(
        shrink_threshold=0.1, metric="manhattan"
    ).fit(x, y)
    m["KNeighborsTransformer-Isomap"] = lambda: pipeline.make_pipeline(
        neighbors.KNeighborsTransformer(n_neighbors=6, mode="distance"),
        manifold.Isomap(n_neighbors=5, metric="precomputed"),
    ).fit(x)
    m["LabelPropagation-knn"] = lambda: semi_supervised.LabelPropagation(kernel="knn").fit(x, y)
    m["SelfTraining-k_best"] = lambda: semi_supervised.SelfTrainingClassifier(
        svm.SVC(probability=True), criterion="k_best", k_best=5, max_iter=1
    ).fit(x, np.where(np.arange(60) % 3 == 0, -1, y))
    for cov in ("full", "tied", "diag", "spherical"):
        m[f"GMM-{cov}"] = lambda cov=cov: mixture.GaussianMixture(2, covariance_type=cov).fit(x)
    for strategy in ("mean", "median", "quantile", "constant"):
        m[f"DummyRegressor-{strategy}"] = lambda strategy=strategy: dummy.DummyRegressor(
            strategy=strategy, quantile=0.5, constant=1.0
        ).fit(x, yr)
    m["QuantileTransformer-normal"] = lambda: preprocessing.QuantileTransformer(
        n_quantiles=10, output_distribution="normal"
    ).fit(x)
    m["PowerTransformer-boxcox"] = lambda: preprocessing.PowerTransformer("box-cox").fit(x + 1)
    m["OneHot-drop-float32"] = lambda: preprocessing.OneHotEncoder(
        drop="first", dtype=np.float32, sparse_output=False
    ).fit((x * 3).astype(int))
    m["OneHot-sparse-min_frequency"] = lambda: preprocessing.OneHotEncoder(
        min_frequency=3, handle_unknown="infrequent_if_exist"
    ).fit((x * 5).astype(int))
    m["Ordinal-unknown"] = lambda: preprocessing.OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.int64
    ).fit((x * 3).astype(int))
    m["TargetEncoder-multiclass"] = lambda: preprocessing.TargetEncoder().fit(
        (x[:, :2] * 3).astype(int), y3
    )
    m["Spline-periodic"] = lambda: preprocessing.SplineTransformer(
        extrapolation="periodic", knots="quantile"
    ).fit(x)
    m["KBins-onehot-dense"] = lambda: preprocessing.KBinsDiscretizer(
        3, encode="onehot-dense", quantile_method="averaged_inverted_cdf"
    ).fit(x)
    m["Poly-interaction"] = lambda: preprocessing.PolynomialFeatures(
        3, interaction_only=True, include_bias=False
    ).fit(x)
    m["FunctionTransformer-validate-inverse"] = lambda: preprocessing.FunctionTransformer(
        np.log1p, inverse_func=np.expm1, validate=True, check_inverse=True
    ).fit(x)
    m["TTR-quantile"] = lambda: compose.TransformedTargetRegressor(
        linear_model.Ridge(), transformer=preprocessing.QuantileTransformer(n_quantiles=10)
    ).fit(x, yr)
    m["ColumnTransformer-weights-remainder"] = lambda: compose.ColumnTransformer(
        [("a", preprocessing.StandardScaler(), [0, 1]), ("b", "drop", [2])],
        remainder=preprocessing.MinMaxScaler(),
        transformer_weights={"a": 2.0},
    ).fit(x)
    m["FeatureUnion-weights"] = lambda: pipeline.FeatureUnion(
        [("pca", decomposition.PCA(2)), ("svd", decomposition.TruncatedSVD(2))],
        transformer_weights={"pca": 0.5},
    ).fit(x)
    docs = ["the cat sat", "the dog ran fast", "a cat and a dog", "hello world again"] * 3
    text = feature_extraction.text
    m["Tfidf-float32-l1-sublinear"] = lambda: text.TfidfVectorizer(
        dtype=np.float32, norm="l1", sublinear_tf=True, max_df=0.9, min_df=1
    ).fit(docs)
    m["CountVectorizer-binary-int32"] = lambda: text.CountVectorizer(
        binary=True, dtype=np.int32, ngram_range=(1, 2), max_features=10
    ).fit(docs)
    m["HashingVectorizer-alternate"] = lambda: text.HashingVectorizer(
        n_features=64, alternate_sign=False, norm=None, analyzer="char", dtype=np.float32
    ).fit(docs)
    m["FeatureHasher-string"] = lambda: feature_extraction.FeatureHasher(
        16, input_type="string"
    ).fit([["a", "b"], ["c"]])
    m["DictVectorizer-sparse-false"] = lambda: feature_extraction.DictVectorizer(
        sparse=False, dtype=np.float32
    ).fit([{"a": 1, "b": "x"}, {"c": 2.0}])
    m["SVC-balanced-ovo"] = lambda: svm.SVC(
        class_weight="balanced", decision_function_shape="ovo", gamma="auto"
    ).fit(x, y3)
    m["LinearSVC-l1"] = lambda: svm.LinearSVC(penalty="l1", dual=False).fit(x, y3)
    m["NMF-mu-kl"] = lambda: decomposition.NMF(
        2, solver="mu", beta_loss="kullback-leibler", max_iter=20
    ).fit(x)
    m["PCA-randomized-whiten"] = lambda: decomposition.PCA(
        2, svd_solver="randomized", whiten=True
    ).fit(x)
    m["MiniBatchDictionaryLearning"] = lambda: decomposition.MiniBatchDictionaryLearning(
        3, max_iter=2, transform_algorithm="lasso_lars"
    ).fit(x)
    m["SparseCoder"] = lambda: decomposition.SparseCoder(np.eye(4)[:2])
    m["PLSSVD"] = lambda: (
        __import__("sklearn.cross_decomposition")
        .cross_decomposition.PLSSVD(2)
        .fit(x, np.c_[yr, yr * 2])
    )
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
