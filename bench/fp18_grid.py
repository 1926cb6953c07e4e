"""Round-18 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp18_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for families no earlier sweep (fp13, fp14, fp16, fp17) nor the
real-artifact corpus (``bench/ecosystem``) held: lifelines survival fitters and regressions;
tslearn estimators (pickles and tslearn's own ``to_json`` / ``to_hdf5`` / ``to_pickle``); the
``hdbscan`` package's clusterers; umap-learn and pynndescent (numba-backed) models; approximate
nearest-neighbour index files (annoy ``.ann``, hnswlib ``save_index`` and pickles, faiss
``write_index`` of several index kinds and ``serialize_index`` arrays); pmdarima ARIMA models and
pipelines; skl2onnx conversions of scikit-learn models (``ai.onnx.ml`` operators, ZipMap);
sklearn-crfsuite CRFs (pickle and the crfsuite model file); kmodes; MAPIE conformal wrappers;
pyod detectors; ngboost; feature-engine transformers; mlxtend ensembles, selectors and
association-rule frames; statsmodels model kinds no earlier grid fitted (VAR, VECM, MixedLM, GEE,
zero-inflated, ordered, Markov switching, ETS, STL, dynamic factor...); MLflow model folders of
flavours other than sklearn/pyfunc (xgboost, lightgbm, catboost, statsmodels, onnx, pytorch,
keras, spaCy, pmdarima).
``--seed`` changes data, sizes and the draw of options, so a held-out grid is one more run.
Run it in a side venv (never the project's); judge with ``bench/fp13_check.py`` (one verdict
per artifact).
"""

from __future__ import annotations

import os
import pickle
import random
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid

warnings.filterwarnings("ignore")
os.environ.setdefault("KERAS_BACKEND", "torch")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


_COMPS: list[Any] = [0, 1, 3, 9, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2), ("xz", 1)]


def _save(obj: object, out: Path, stem: str, rng: random.Random) -> None:
    """Pickle with a drawn protocol (2-5) and joblib with a drawn compressor."""
    import joblib

    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS))


def _each(out: Path, rng: random.Random, objs: dict[str, Callable[[], Any]]) -> None:
    for name, make in objs.items():
        _try(out, name, lambda n=name, m=make: _save(m(), out, n, rng))


def _xy(rng: random.Random, n: int | None = None, d: int | None = None) -> tuple[Any, Any, Any]:
    r = np.random.default_rng(rng.randrange(10**6))
    n = n or rng.choice([60, 80, 120])
    d = d or rng.choice([3, 4, 5])
    x = r.normal(size=(n, d))
    y = x @ r.normal(size=d) + 0.1 * r.normal(size=n)
    yc = (y > np.median(y)).astype(int)
    return x, y, yc


# ---------------------------------------------------------------- lifelines


@family
def gen_lifelines(out: Path, rng: random.Random) -> None:
    import lifelines as ll
    import pandas as pd

    r = np.random.default_rng(rng.randrange(10**6))
    n = rng.choice([50, 80, 120])
    df = pd.DataFrame({
        "T": r.exponential(10, n) + 0.5, "E": r.integers(0, 2, n),
        "age": r.normal(50, 10, n), "dose": r.uniform(0, 1, n),
        "grp": r.choice(["a", "b"], n),
    })
    num = df[["T", "E", "age", "dose"]]
    pen = rng.choice([0.0, 0.1])

    def uni(cls: Any, **kw: Any) -> Any:
        return cls(**kw).fit(df["T"], df["E"])

    tv = pd.DataFrame({
        "id": np.repeat(np.arange(n // 2), 2), "start": np.tile([0, 5], n // 2),
        "stop": np.tile([5, 12], n // 2), "event": r.integers(0, 2, n - n % 2),
        "x": r.normal(size=n - n % 2),
    })
    _each(out, rng, {
        "kmf": lambda: uni(ll.KaplanMeierFitter),
        "naf": lambda: uni(ll.NelsonAalenFitter),
        "weibull": lambda: uni(ll.WeibullFitter),
        "exponential": lambda: uni(ll.ExponentialFitter),
        "lognormal": lambda: uni(ll.LogNormalFitter),
        "loglogistic": lambda: uni(ll.LogLogisticFitter),
        "gengamma": lambda: uni(ll.GeneralizedGammaFitter),
        "piecewise": lambda: uni(ll.PiecewiseExponentialFitter, breakpoints=[5, 10]),
        "spline": lambda: uni(ll.SplineFitter, knot_locations=np.percentile(df["T"], [10, 50, 90])),
        "bfh": lambda: uni(ll.BreslowFlemingHarringtonFitter),
        "mixture_cure": lambda: uni(ll.MixtureCureFitter, base_fitter=ll.ExponentialFitter()),
        "cox": lambda: ll.CoxPHFitter(penalizer=pen).fit(num, "T", "E"),
        "cox_strata": lambda: ll.CoxPHFitter().fit(df, "T", "E", strata=["grp"]),
        "cox_formula": lambda: ll.CoxPHFitter().fit(df, "T", "E", formula="age + C(grp)"),
        "cox_spline": lambda: ll.CoxPHFitter(baseline_estimation_method="spline",
                                             n_baseline_knots=3).fit(num, "T", "E"),
        "cox_piecewise": lambda: ll.CoxPHFitter(baseline_estimation_method="piecewise",
                                                breakpoints=[5, 10]).fit(num, "T", "E"),
        "weibull_aft": lambda: ll.WeibullAFTFitter(penalizer=pen).fit(num, "T", "E"),
        "lognormal_aft": lambda: ll.LogNormalAFTFitter().fit(num, "T", "E"),
        "loglogistic_aft": lambda: ll.LogLogisticAFTFitter().fit(num, "T", "E"),
        "aalen": lambda: ll.AalenAdditiveFitter(coef_penalizer=0.5).fit(num, "T", "E"),
        "cox_tv": lambda: ll.CoxTimeVaryingFitter(penalizer=0.1).fit(
            tv, id_col="id", event_col="event", start_col="start", stop_col="stop"),
        "crc_spline": lambda: ll.CRCSplineFitter(n_baseline_knots=3).fit(
            num, "T", "E", regressors={"beta_": "age + dose", "gamma0_": "1", "gamma1_": "1",
                                       "gamma2_": "1"}),
        "aj": lambda: ll.AalenJohansenFitter(seed=1).fit(
            df["T"], r.integers(0, 3, n), event_of_interest=1),
    })


# ---------------------------------------------------------------- tslearn


@family
def gen_tslearn(out: Path, rng: random.Random) -> None:
    from tslearn import clustering, neighbors, piecewise, preprocessing, shapelets, svm  # noqa: F401

    r = np.random.default_rng(rng.randrange(10**6))
    n, t = rng.choice([20, 30]), rng.choice([16, 24])
    x = np.cumsum(r.normal(size=(n, t, 1)), axis=1)
    y = r.integers(0, 2, n)
    k = rng.choice([2, 3])
    makers: dict[str, Callable[[], Any]] = {
        "km_euclid": lambda: clustering.TimeSeriesKMeans(k, random_state=0).fit(x),
        "km_dtw": lambda: clustering.TimeSeriesKMeans(k, metric="dtw", max_iter=3,
                                                      random_state=0).fit(x),
        "km_softdtw": lambda: clustering.TimeSeriesKMeans(k, metric="softdtw", max_iter=3,
                                                          random_state=0).fit(x),
        "kshape": lambda: clustering.KShape(n_clusters=k, max_iter=3, random_state=0).fit(x),
        "kernel_km": lambda: clustering.KernelKMeans(n_clusters=k, max_iter=3,
                                                     random_state=0).fit(x),
        "svc": lambda: svm.TimeSeriesSVC(kernel="gak", probability=rng.random() < 0.5).fit(x, y),
        "svr": lambda: svm.TimeSeriesSVR(kernel="gak").fit(x, y.astype(float)),
        "knn": lambda: neighbors.KNeighborsTimeSeriesClassifier(n_neighbors=3).fit(x, y),
        "knn_reg": lambda: neighbors.KNeighborsTimeSeriesRegressor(n_neighbors=3).fit(x, y),
        "knn_plain": lambda: neighbors.KNeighborsTimeSeries(n_neighbors=2).fit(x),
        "scaler_mv": lambda: preprocessing.TimeSeriesScalerMeanVariance().fit(x),
        "scaler_minmax": lambda: preprocessing.TimeSeriesScalerMinMax().fit(x),
        "resampler": lambda: preprocessing.TimeSeriesResampler(sz=8).fit(x),
        "paa": lambda: piecewise.PiecewiseAggregateApproximation(n_segments=4).fit(x),
        "sax": lambda: piecewise.SymbolicAggregateApproximation(n_segments=4,
                                                                alphabet_size_avg=4).fit(x),
        "onedsax": lambda: piecewise.OneD_SymbolicAggregateApproximation(
            n_segments=4, alphabet_size_avg=4, alphabet_size_slope=2).fit(x),
    }
    for name, make in makers.items():
        def save(n: str = name, m: Callable[[], Any] = make) -> None:
            model = m()
            _save(model, out, n, rng)
            for how in ("json", "hdf5", "pickle"):
                fn = getattr(model, f"to_{how}", None)
                if fn is not None:
                    ext = {"json": "json", "hdf5": "h5", "pickle": "tspkl"}[how]
                    _try(out, f"{n}.{how}", lambda f=fn, e=ext: f(str(out / f"{n}.ts.{e}")))
        _try(out, name, save)


# ---------------------------------------------------------------- hdbscan / umap / pynndescent


@family
def gen_hdbscan_pkg(out: Path, rng: random.Random) -> None:
    import hdbscan

    x, _, _ = _xy(rng)
    mcs = rng.choice([4, 5, 8])
    _each(out, rng, {
        "hdbscan": lambda: hdbscan.HDBSCAN(min_cluster_size=mcs).fit(x),
        "hdbscan_pred": lambda: hdbscan.HDBSCAN(min_cluster_size=mcs, prediction_data=True,
                                                gen_min_span_tree=True).fit(x),
        "hdbscan_generic": lambda: hdbscan.HDBSCAN(min_cluster_size=mcs, algorithm="generic",
                                                   metric="manhattan").fit(x),
        "hdbscan_boruvka": lambda: hdbscan.HDBSCAN(min_cluster_size=mcs,
                                                   algorithm="boruvka_balltree").fit(x),
        "hdbscan_leaf": lambda: hdbscan.HDBSCAN(
            min_cluster_size=mcs, cluster_selection_method="leaf",
            match_reference_implementation=True).fit(x),
        "rsl": lambda: hdbscan.RobustSingleLinkage(cut=0.5, k=4).fit(x),
    })


@family
def gen_umap_nnd(out: Path, rng: random.Random) -> None:
    import pynndescent
    import umap

    x, _, yc = _xy(rng, n=rng.choice([80, 120]), d=rng.choice([5, 8]))
    nn = rng.choice([5, 10])
    _each(out, rng, {
        "umap": lambda: umap.UMAP(n_neighbors=nn, n_epochs=20, random_state=0).fit(x),
        "umap_sup": lambda: umap.UMAP(n_neighbors=nn, n_epochs=20, random_state=0,
                                      metric=rng.choice(["cosine", "manhattan"])).fit(x, yc),
        "umap_dens": lambda: umap.UMAP(n_neighbors=nn, n_epochs=20, densmap=True,
                                       random_state=0).fit(x),
        "umap_lowmem": lambda: umap.UMAP(n_neighbors=nn, n_epochs=20, low_memory=False,
                                         n_components=3).fit(x),
        "aligned": lambda: umap.AlignedUMAP(n_neighbors=nn, n_epochs=10).fit(
            [x[:40], x[20:60]], relations=[{i: i - 20 for i in range(20, 40)}]),
        "nnd": lambda: pynndescent.NNDescent(x, n_neighbors=nn, random_state=0),
        "nnd_prepared": lambda: _prepared(pynndescent.NNDescent(x, n_neighbors=nn,
                                                                metric="cosine")),
        "nnd_sparse": lambda: pynndescent.NNDescent(_sparse(x), n_neighbors=nn),
        "nnd_transformer": lambda: pynndescent.PyNNDescentTransformer(n_neighbors=nn).fit(x),
    })


def _prepared(idx: Any) -> Any:
    idx.prepare()
    return idx


def _sparse(x: Any) -> Any:
    import scipy.sparse as sp

    return sp.csr_matrix(np.where(np.abs(x) > 0.5, x, 0.0))


# ---------------------------------------------------------------- ANN index files


@family
def gen_ann_index(out: Path, rng: random.Random) -> None:
    r = np.random.default_rng(rng.randrange(10**6))
    n, d = rng.choice([200, 500]), rng.choice([8, 16, 32])
    x = r.normal(size=(n, d)).astype("float32")

    def annoy(metric: str) -> None:
        from annoy import AnnoyIndex

        idx = AnnoyIndex(d, metric)
        for i, v in enumerate(x):
            idx.add_item(i, v.tolist())
        idx.build(rng.choice([2, 5]))
        idx.save(str(out / f"annoy_{metric}.ann"))

    for m in ("angular", "euclidean", "manhattan", "dot", "hamming"):
        _try(out, f"annoy_{m}", lambda m=m: annoy(m))

    def hnsw(space: str) -> None:
        import hnswlib

        idx = hnswlib.Index(space=space, dim=d)
        idx.init_index(max_elements=n, ef_construction=50, M=rng.choice([8, 16]))
        idx.add_items(x, np.arange(n))
        idx.save_index(str(out / f"hnsw_{space}.bin"))
        _save(idx, out, f"hnsw_{space}_obj", rng)

    for s in ("l2", "ip", "cosine"):
        _try(out, f"hnsw_{s}", lambda s=s: hnsw(s))

    def faiss_(name: str, factory: str) -> None:
        import faiss

        idx = faiss.index_factory(d, factory)
        if not idx.is_trained:
            idx.train(x)
        if factory.startswith("IDMap"):
            idx.add_with_ids(x, np.arange(n, dtype=np.int64) * 3)
        else:
            idx.add(x)
        faiss.write_index(idx, str(out / f"faiss_{name}.index"))
        np.save(out / f"faiss_{name}_serialized.npy", faiss.serialize_index(idx))

    for name, fac in {"flat": "Flat", "ivf": "IVF8,Flat", "pq": f"PQ{d // 4}x4",
                      "ivfpq": f"IVF8,PQ{d // 4}x4", "hnsw": "HNSW16", "sq8": "SQ8",
                      "idmap": "IDMap,Flat", "lsh": "LSH", "pca": f"PCA{d // 2},Flat",
                      "opq": f"OPQ{d // 4},IVF8,PQ{d // 4}x4"}.items():
        _try(out, f"faiss_{name}", lambda n=name, f=fac: faiss_(n, f))

    def faiss_bin() -> None:
        import faiss

        idx = faiss.IndexBinaryFlat(d * 8)
        idx.add(r.integers(0, 256, size=(n, d), dtype=np.uint8))
        faiss.write_index_binary(idx, str(out / "faiss_binary.index"))

    _try(out, "faiss_binary", faiss_bin)


# ---------------------------------------------------------------- pmdarima


@family
def gen_pmdarima(out: Path, rng: random.Random) -> None:
    import pmdarima as pm
    from pmdarima import pipeline, preprocessing

    r = np.random.default_rng(rng.randrange(10**6))
    n = rng.choice([60, 80])
    y = 20 + np.cumsum(r.normal(size=n)) + 3 * np.sin(np.arange(n) / 3)
    y = y - y.min() + 1
    _each(out, rng, {
        "arima": lambda: pm.ARIMA(order=(1, 1, rng.choice([0, 1]))).fit(y),
        "auto": lambda: pm.auto_arima(y, max_p=2, max_q=2, seasonal=False, stepwise=True,
                                      suppress_warnings=True, error_action="ignore"),
        "sarima": lambda: pm.ARIMA(order=(1, 0, 0), seasonal_order=(1, 0, 0, 4)).fit(y),
        "pipe_boxcox": lambda: pipeline.Pipeline([
            ("boxcox", preprocessing.BoxCoxEndogTransformer()),
            ("arima", pm.ARIMA(order=(1, 0, 0)))]).fit(y),
        "pipe_fourier": lambda: pipeline.Pipeline([
            ("fourier", preprocessing.FourierFeaturizer(m=12, k=2)),
            ("arima", pm.ARIMA(order=(1, 0, 0)))]).fit(y),
        "pipe_log": lambda: pipeline.Pipeline([
            ("log", preprocessing.LogEndogTransformer()),
            ("dates", preprocessing.DateFeaturizer(column_name="d")
             if False else preprocessing.FourierFeaturizer(m=4)),
            ("arima", pm.ARIMA(order=(0, 1, 1)))]).fit(y),
    })


# ---------------------------------------------------------------- skl2onnx


@family
def gen_skl2onnx(out: Path, rng: random.Random) -> None:
    from skl2onnx import to_onnx
    from sklearn import (
        cluster,
        decomposition,
        ensemble,
        linear_model,
        naive_bayes,
        neighbors,
        pipeline,
        preprocessing,
        svm,
        tree,
    )

    x, y, yc = _xy(rng)
    x = x.astype(np.float32)
    opset = rng.choice([15, 17, 18])
    models: dict[str, Callable[[], Any]] = {
        "logreg": lambda: linear_model.LogisticRegression().fit(x, yc),
        "linreg": lambda: linear_model.LinearRegression().fit(x, y),
        "rf": lambda: ensemble.RandomForestClassifier(5, max_depth=3).fit(x, yc),
        "gbr": lambda: ensemble.GradientBoostingRegressor(n_estimators=5).fit(x, y),
        "hgb": lambda: ensemble.HistGradientBoostingClassifier(max_iter=5).fit(x, yc),
        "tree": lambda: tree.DecisionTreeRegressor(max_depth=3).fit(x, y),
        "svc": lambda: svm.SVC(probability=True).fit(x, yc),
        "svr": lambda: svm.SVR().fit(x, y),
        "knn": lambda: neighbors.KNeighborsClassifier(3).fit(x, yc),
        "gnb": lambda: naive_bayes.GaussianNB().fit(x, yc),
        "kmeans": lambda: cluster.KMeans(3, n_init=2).fit(x),
        "pca": lambda: decomposition.PCA(2).fit(x),
        "pipe": lambda: pipeline.make_pipeline(preprocessing.StandardScaler(),
                                               linear_model.Ridge()).fit(x, y),
        "mlp": lambda: __import__("sklearn.neural_network", fromlist=["x"])
        .MLPClassifier((8,), max_iter=50).fit(x, yc),
    }
    for name, make in models.items():
        def conv(n: str = name, m: Callable[[], Any] = make) -> None:
            model = m()
            opts = None
            if hasattr(model, "predict_proba") and rng.random() < 0.5:
                opts = {id(model): {"zipmap": False}}
            onx = to_onnx(model, x[:1], target_opset=opset, options=opts)
            (out / f"{n}.onnx").write_bytes(onx.SerializeToString())
        _try(out, name, conv)


# ---------------------------------------------------------------- small sklearn-like libraries


@family
def gen_crf(out: Path, rng: random.Random) -> None:
    import sklearn_crfsuite

    words = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran"]
    r = random.Random(rng.randrange(10**6))
    xs, ys = [], []
    for _ in range(rng.choice([10, 20])):
        sent = [r.choice(words) for _ in range(r.randint(3, 6))]
        xs.append([{"w": w, "len": float(len(w)), "first": i == 0} for i, w in enumerate(sent)])
        ys.append(["D" if w in ("the", "a") else "N" for w in sent])

    def crf(alg: str) -> None:
        path = out / f"crf_{alg}.crfsuite"
        m = sklearn_crfsuite.CRF(algorithm=alg, max_iterations=10, model_filename=str(path),
                                 keep_tempfiles=None)
        m.fit(xs, ys)
        _save(m, out, f"crf_{alg}", rng)

    for alg in ("lbfgs", "l2sgd", "ap", "pa", "arow"):
        _try(out, f"crf_{alg}", lambda a=alg: crf(a))


@family
def gen_sk_libs(out: Path, rng: random.Random) -> None:
    """kmodes, MAPIE, pyod, ngboost, feature-engine and mlxtend estimators (pickle + joblib)."""
    import pandas as pd
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    x, y, yc = _xy(rng)
    r = np.random.default_rng(rng.randrange(10**6))
    cats = r.choice(["a", "b", "c"], size=(len(x), 3))
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(x.shape[1])])
    df["c1"] = pd.Categorical(cats[:, 0])
    df["c2"] = cats[:, 1]
    df.loc[::7, "f0"] = np.nan
    objs: dict[str, Callable[[], Any]] = {}

    def add(prefix: str, f: Callable[[], dict[str, Callable[[], Any]]]) -> None:
        try:
            objs.update({f"{prefix}_{k}": v for k, v in f().items()})
        except ImportError as exc:
            print(f"skip {prefix}: {exc}", file=sys.stderr)

    def kmodes_() -> dict[str, Callable[[], Any]]:
        from kmodes.kmodes import KModes
        from kmodes.kprototypes import KPrototypes

        mix = np.column_stack([x[:, :2], cats]).astype(object)
        return {
            "kmodes": lambda: KModes(n_clusters=2, init=rng.choice(["Huang", "Cao"]),
                                     n_init=2).fit(cats),
            "kproto": lambda: KPrototypes(n_clusters=2, n_init=2).fit(mix, categorical=[2, 3, 4]),
        }

    def mapie_() -> dict[str, Callable[[], Any]]:
        import mapie.classification as mc
        import mapie.regression as mr

        def split_reg() -> Any:
            m = mr.SplitConformalRegressor(LinearRegression(), confidence_level=0.9,
                                           prefit=False)
            m.fit(x[:40], y[:40])
            m.conformalize(x[40:], y[40:])
            return m

        def cross_reg() -> Any:
            m = mr.CrossConformalRegressor(LinearRegression(), method="plus", cv=3)
            m.fit_conformalize(x, y)
            return m

        def split_clf() -> Any:
            m = mc.SplitConformalClassifier(LogisticRegression(), prefit=False,
                                            conformity_score="lac")
            m.fit(x[:40], yc[:40])
            m.conformalize(x[40:], yc[40:])
            return m

        def cqr() -> Any:
            from sklearn.ensemble import GradientBoostingRegressor

            m = mr.ConformalizedQuantileRegressor(
                GradientBoostingRegressor(loss="quantile", n_estimators=5), prefit=False)
            m.fit(x[:40], y[:40])
            m.conformalize(x[40:], y[40:])
            return m

        return {"split_reg": split_reg, "cross_reg": cross_reg, "split_clf": split_clf,
                "cqr": cqr}

    def pyod_() -> dict[str, Callable[[], Any]]:
        from pyod.models import (
            copod,
            ecod,
            hbos,
            iforest,
            knn,
            lof,
            mcd,
            ocsvm,
            pca,
        )

        d: dict[str, Callable[[], Any]] = {
            "iforest": lambda: iforest.IForest(n_estimators=10).fit(x),
            "lof": lambda: lof.LOF().fit(x), "knn": lambda: knn.KNN().fit(x),
            "ecod": lambda: ecod.ECOD().fit(x), "copod": lambda: copod.COPOD().fit(x),
            "hbos": lambda: hbos.HBOS().fit(x), "pca": lambda: pca.PCA().fit(x),
            "ocsvm": lambda: ocsvm.OCSVM().fit(x), "mcd": lambda: mcd.MCD().fit(x),
        }
        try:
            from pyod.models import abod, cblof, feature_bagging, gmm, inne, kde, lmdd, loda

            d.update({
                "abod": lambda: abod.ABOD().fit(x), "cblof": lambda: cblof.CBLOF().fit(x),
                "fbag": lambda: feature_bagging.FeatureBagging(n_estimators=3).fit(x),
                "gmm": lambda: gmm.GMM().fit(x), "inne": lambda: inne.INNE().fit(x),
                "kde": lambda: kde.KDE().fit(x), "lmdd": lambda: lmdd.LMDD(n_iter=5).fit(x),
                "loda": lambda: loda.LODA().fit(x),
            })
        except ImportError:
            pass
        return d

    def ngboost_() -> dict[str, Callable[[], Any]]:
        import ngboost
        from ngboost import distns, scores

        return {
            "reg": lambda: ngboost.NGBRegressor(n_estimators=10, verbose=False).fit(x, y),
            "reg_lognormal": lambda: ngboost.NGBRegressor(
                Dist=distns.LogNormal, Score=scores.CRPScore, n_estimators=10,
                verbose=False).fit(x, np.abs(y) + 0.1),
            "reg_t": lambda: ngboost.NGBRegressor(Dist=distns.T, n_estimators=5,
                                                  verbose=False).fit(x, y),
            "clf": lambda: ngboost.NGBClassifier(Dist=distns.k_categorical(2), n_estimators=10,
                                                 verbose=False).fit(x, yc),
            "surv": lambda: ngboost.NGBSurvival(n_estimators=5, verbose=False).fit(
                x, np.abs(y) + 0.1, yc),
        }

    def fe_() -> dict[str, Callable[[], Any]]:
        from feature_engine import (
            creation,
            discretisation,
            encoding,
            imputation,
            outliers,
            selection,
            transformation,
        )
        from feature_engine import pipeline as fpipe

        num = [c for c in df.columns if c.startswith("f")]
        dfs = df.assign(c1=df["c1"].astype(str))
        return {
            "mean_imp": lambda: imputation.MeanMedianImputer(variables=["f0"]).fit(df),
            "cat_imp": lambda: imputation.CategoricalImputer(variables=["c2"]).fit(dfs),
            "ohe": lambda: encoding.OneHotEncoder(variables=["c1", "c2"]).fit(dfs),
            "ordinal": lambda: encoding.OrdinalEncoder(encoding_method="arbitrary",
                                                       variables=["c1", "c2"]).fit(dfs),
            "rare": lambda: encoding.RareLabelEncoder(tol=0.1, n_categories=2,
                                                      variables=["c2"]).fit(dfs),
            "woe": lambda: encoding.WoEEncoder(variables=["c2"]).fit(dfs, yc),
            "eqfreq": lambda: discretisation.EqualFrequencyDiscretiser(
                variables=num[1:]).fit(df),
            "winsor": lambda: outliers.Winsorizer(variables=num[1:]).fit(df),
            "yj": lambda: transformation.YeoJohnsonTransformer(variables=num[1:]).fit(df),
            "math": lambda: creation.MathFeatures(variables=num[1:3], func=["sum", "mean"])
            .fit(df),
            "cyclic": lambda: creation.CyclicalFeatures(variables=num[1:2]).fit(df),
            "drop_const": lambda: selection.DropConstantFeatures().fit(dfs.fillna(0.0)),
            "drop_corr": lambda: selection.DropCorrelatedFeatures().fit(df[num]),
            "pipe": lambda: fpipe.Pipeline([
                ("imp", imputation.MeanMedianImputer(variables=["f0"])),
                ("enc", encoding.OneHotEncoder(variables=["c1", "c2"]))]).fit(dfs),
        }

    def mlxtend_() -> dict[str, Callable[[], Any]]:
        from mlxtend import classifier, feature_selection, frequent_patterns, preprocessing

        tx = [[w for w in row] for row in cats.tolist()]

        def te() -> Any:
            return preprocessing.TransactionEncoder().fit(tx)

        def rules() -> Any:
            enc = te()
            onehot = pd.DataFrame(enc.transform(tx), columns=enc.columns_)
            fi = frequent_patterns.apriori(onehot, min_support=0.1, use_colnames=True)
            return frequent_patterns.association_rules(fi, metric="confidence",
                                                       min_threshold=0.1)

        return {
            "stack": lambda: classifier.StackingClassifier(
                [LogisticRegression(), DecisionTreeClassifier(max_depth=2)],
                meta_classifier=LogisticRegression()).fit(x, yc),
            "stack_cv": lambda: classifier.StackingCVClassifier(
                [LogisticRegression(), DecisionTreeClassifier(max_depth=2)],
                meta_classifier=LogisticRegression(), cv=2).fit(x, yc),
            "vote": lambda: classifier.EnsembleVoteClassifier(
                [LogisticRegression(), DecisionTreeClassifier(max_depth=2)]).fit(x, yc),
            "sfs": lambda: feature_selection.SequentialFeatureSelector(
                LogisticRegression(), k_features=2, cv=0).fit(x, yc),
            "te": te, "rules": rules,
            "fi": lambda: frequent_patterns.fpgrowth(
                pd.DataFrame(te().transform(tx), columns=te().columns_), min_support=0.1,
                use_colnames=True),
        }

    add("kmodes", kmodes_)
    add("mapie", mapie_)
    add("pyod", pyod_)
    add("ngb", ngboost_)
    add("fe", fe_)
    add("mlx", mlxtend_)
    _each(out, rng, objs)


# ---------------------------------------------------------------- statsmodels kinds


@family
def gen_statsmodels_kinds(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tsa.api import VAR, ExponentialSmoothing
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.seasonal import STL
    from statsmodels.tsa.vector_ar.vecm import VECM

    r = np.random.default_rng(rng.randrange(10**6))
    n = rng.choice([80, 120])
    idx = pd.date_range("2020-01-01", periods=n, freq=rng.choice(["D", "MS", "W"]))
    e = r.normal(size=(n, 2))
    ts2 = pd.DataFrame(np.cumsum(e, axis=0), index=idx, columns=["a", "b"])
    ts = ts2["a"] - ts2["a"].min() + 1
    df = pd.DataFrame({"y": r.normal(size=n), "x": r.normal(size=n),
                       "g": r.integers(0, 6, n), "k": r.poisson(1.0, n),
                       "o": r.integers(0, 3, n)})
    rd = rng.random() < 0.5

    def fitted(res: Any) -> Any:
        if rd and hasattr(res, "remove_data"):
            try:
                res.remove_data()
            except Exception:
                pass
        return res

    makers: dict[str, Callable[[], Any]] = {
        "var": lambda: VAR(ts2.diff().dropna()).fit(2),
        "vecm": lambda: VECM(ts2, k_ar_diff=1, coint_rank=1).fit(),
        "mixedlm": lambda: smf.mixedlm("y ~ x", df, groups=df["g"]).fit(),
        "gee": lambda: smf.gee("y ~ x", "g", df, cov_struct=sm.cov_struct.Exchangeable()).fit(),
        "zip": lambda: sm.ZeroInflatedPoisson(df["k"], sm.add_constant(df[["x"]])).fit(
            disp=0, maxiter=50),
        "negbin": lambda: smf.negativebinomial("k ~ x", df).fit(disp=0),
        "ordered": lambda: OrderedModel(df["o"], df[["x"]], distr="logit").fit(
            method="bfgs", disp=0),
        "mnlogit": lambda: smf.mnlogit("o ~ x", df).fit(disp=0),
        "markov": lambda: sm.tsa.MarkovRegression(ts.diff().dropna().values, k_regimes=2)
        .fit(disp=False, maxiter=20),
        "ets": lambda: ETSModel(ts, error="add", trend="add").fit(disp=False),
        "holt": lambda: ExponentialSmoothing(ts, trend="add").fit(),
        "stl": lambda: STL(ts.values, period=7).fit(),
        "dynfactor": lambda: sm.tsa.DynamicFactor(ts2.diff().dropna(), k_factors=1,
                                                  factor_order=1).fit(disp=False, maxiter=10),
        "varmax": lambda: sm.tsa.VARMAX(ts2.diff().dropna(), order=(1, 0)).fit(
            disp=False, maxiter=10),
        "ardl": lambda: sm.tsa.ARDL(ts2["a"], 1, ts2[["b"]], 1).fit(),
        "autoreg": lambda: sm.tsa.AutoReg(ts.values, lags=2).fit(),
        "theta": lambda: sm.tsa.ThetaModel(ts.values, period=4).fit(),
        "quantreg": lambda: smf.quantreg("y ~ x", df).fit(q=0.3),
        "glm_tweedie": lambda: smf.glm("k ~ x", df, family=sm.families.Tweedie(
            var_power=1.5)).fit(),
        "rlm_huber": lambda: smf.rlm("y ~ x", df, M=sm.robust.norms.HuberT()).fit(),
        "kde": lambda: sm.nonparametric.KDEUnivariate(df["y"].values).fit(),
        "lowess_arr": lambda: sm.nonparametric.lowess(df["y"], df["x"]),
        "pca": lambda: sm.PCA(ts2.values, ncomp=1),
        "phreg": lambda: smf.phreg("y ~ x", df.assign(y=np.abs(df.y) + 0.1)).fit(),
        "beta": lambda: __import__("statsmodels.othermod.betareg", fromlist=["x"]).BetaModel(
            (df["y"] - df["y"].min() + 0.1) / (df["y"].max() - df["y"].min() + 0.2),
            sm.add_constant(df[["x"]])).fit(disp=0),
    }
    for name, make in makers.items():
        def save(n: str = name, m: Callable[[], Any] = make) -> None:
            res = fitted(m())
            if hasattr(res, "save"):
                res.save(str(out / f"{n}.sm.pickle"))
            _save(res, out, n, rng)
        _try(out, name, save)


# ---------------------------------------------------------------- mlflow flavours


@family
def gen_mlflow_flavours(out: Path, rng: random.Random) -> None:
    import mlflow

    x, y, yc = _xy(rng)
    xf = x.astype(np.float32)

    def sig(inp: Any, pred: Any) -> Any:
        from mlflow.models import infer_signature

        return infer_signature(inp, pred)

    def xgb() -> None:
        import mlflow.xgboost
        import xgboost

        m = xgboost.XGBClassifier(n_estimators=5, max_depth=2).fit(x, yc)
        fmt = rng.choice(["json", "ubj"])
        mlflow.xgboost.save_model(m, str(out / "xgboost"), model_format=fmt,
                                  signature=sig(x, m.predict(x)))

    def xgb_booster() -> None:
        import mlflow.xgboost
        import xgboost

        b = xgboost.train({"max_depth": 2}, xgboost.DMatrix(x, y), 4)
        mlflow.xgboost.save_model(b, str(out / "xgboost_booster"))

    def lgb() -> None:
        import lightgbm
        import mlflow.lightgbm

        m = lightgbm.LGBMRegressor(n_estimators=5, verbose=-1).fit(x, y)
        mlflow.lightgbm.save_model(m, str(out / "lightgbm_sk"))
        b = lightgbm.train({"verbose": -1}, lightgbm.Dataset(x, y), 4)
        mlflow.lightgbm.save_model(b, str(out / "lightgbm_booster"))

    def cat() -> None:
        import catboost
        import mlflow.catboost

        m = catboost.CatBoostClassifier(iterations=5, verbose=False).fit(x, yc)
        mlflow.catboost.save_model(m, str(out / "catboost"))

    def sm_() -> None:
        import mlflow.statsmodels
        import statsmodels.api as sm

        res = sm.OLS(y, sm.add_constant(x)).fit()
        mlflow.statsmodels.save_model(res, str(out / "statsmodels"),
                                      remove_data=rng.random() < 0.5)

    def onnx_() -> None:
        import mlflow.onnx
        from skl2onnx import to_onnx
        from sklearn.linear_model import LogisticRegression

        onx = to_onnx(LogisticRegression().fit(xf, yc), xf[:1])
        mlflow.onnx.save_model(onx, str(out / "onnx"))

    def torch_(kind: str) -> None:
        import mlflow.pytorch
        import torch

        torch.manual_seed(rng.randrange(1000))
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 4), torch.nn.ReLU(),
                                  torch.nn.Linear(4, 1))
        if kind == "script":
            net = torch.jit.script(net)
        mlflow.pytorch.save_model(net, str(out / f"pytorch_{kind}"),
                                  serialization_format="pickle")

    def keras_() -> None:
        import keras
        import mlflow.keras

        m = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(3),
                              keras.layers.Dense(1)])
        m.compile("adam", "mse")
        mlflow.keras.save_model(m, str(out / "keras"))

    def spacy_() -> None:
        import mlflow.spacy
        import spacy

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        mlflow.spacy.save_model(nlp, str(out / "spacy"))

    def pmd() -> None:
        import mlflow.pmdarima
        import pmdarima as pm

        m = pm.ARIMA(order=(1, 0, 0)).fit(np.cumsum(y) + 100)
        mlflow.pmdarima.save_model(m, str(out / "pmdarima"))

    def sk_skops() -> None:
        import mlflow.sklearn
        from sklearn.ensemble import HistGradientBoostingClassifier

        m = HistGradientBoostingClassifier(max_iter=5).fit(x, yc)
        mlflow.sklearn.save_model(m, str(out / "sklearn_hgb"),
                                  serialization_format=rng.choice(["cloudpickle", "pickle"]))

    for name, fn in {"xgboost": xgb, "xgboost_booster": xgb_booster, "lightgbm": lgb,
                     "catboost": cat, "statsmodels": sm_, "onnx": onnx_,
                     "pytorch_eager": lambda: torch_("eager"),
                     "pytorch_script": lambda: torch_("script"), "keras": keras_,
                     "spacy": spacy_, "pmdarima": pmd, "sklearn_hgb": sk_skops}.items():
        _try(out, name, fn)
    _ = mlflow


def main(argv: list[str]) -> int:
    return run_grid(FAMILIES, argv, 18)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
