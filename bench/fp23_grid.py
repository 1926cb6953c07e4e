"""Round-23 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp23_grid.py OUT [--seed N] [--check TREE] [FAMILY...]`` writes
``OUT/<family>/<artifact>`` (a file or a saved folder) for library families no earlier sweep
(fp12-fp22, ``bench/ecosystem``, ``bench/fpfinal``) held: scikit-survival estimators,
tsfresh feature settings and augmenters, statsforecast ``StatsForecast.save`` and fitted models,
mlforecast ``MLForecast.save`` folders, shapely geometries and STRtrees, geopandas frames
(pickle and GeoParquet), astropy tables / quantities / times / fitted ``astropy.modeling``
models, PIL images in pickles and ``torch.save``, stable-baselines3 ``model.save`` zips,
``VecNormalize`` and replay buffers, shap explainers and explanations, interpret EBMs,
skrub encoders and pipelines, openTSNE embeddings, prince factor analyses, scikit-optimize
results (``skopt.dump``) and searches, pygam GAMs, fairlearn mitigators and pykalman filters.

Needs a side venv holding those libraries (``/tmp/fp23/venv``: a ``.pth`` onto the shared
venv's site-packages, the extra packages installed with the shared venv's ``pip freeze`` as
constraints so torch stays 2.13.0+cpu). ``--seed`` changes data, sizes, hyper-parameters and
the draw of options, so a held-out grid is one more run. ``--check TREE`` then judges every
artifact with ``TREE/src`` through ``bench/fp13_check.py`` (run by the shared venv's python) and
prints the denials with their rule ids.
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid

warnings.filterwarnings("ignore")
os.environ.setdefault("NUMBA_CACHE_DIR", "/tmp/fp23/numba")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


_COMPS: list[Any] = [0, 3, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2)]


def _save(obj: object, out: Path, stem: str, rng: random.Random, joblib_p: float = 0.4) -> None:
    """Pickle with a drawn protocol (2-5); sometimes joblib with a drawn compressor/protocol."""
    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    if rng.random() < joblib_p:
        import joblib

        jproto = rng.choice([None, 2, 3, 4, 5])
        joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS), protocol=jproto)


def _nrng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.randrange(10**6))


# ---------------------------------------------------------------- scikit-survival


@family
def gen_sksurv(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from sklearn.pipeline import make_pipeline
    from sksurv import ensemble, linear_model, nonparametric, svm, tree
    from sksurv.preprocessing import OneHotEncoder
    from sksurv.util import Surv

    nr = _nrng(rng)
    n = rng.randint(60, 200)
    x = nr.normal(size=(n, 4))
    time = nr.exponential(10, n) + 0.1
    event = nr.random(n) < rng.uniform(0.5, 0.9)
    y = Surv.from_arrays(event, time)
    ne = rng.randint(3, 12)
    ests: dict[str, Callable[[], Any]] = {
        "coxph": lambda: linear_model.CoxPHSurvivalAnalysis(alpha=rng.choice([0.0, 0.1, 1.0])),
        "coxnet": lambda: linear_model.CoxnetSurvivalAnalysis(
            l1_ratio=rng.choice([0.5, 0.9, 1.0]), fit_baseline_model=True
        ),
        "ipcridge": lambda: linear_model.IPCRidge(alpha=rng.choice([0.5, 1.0])),
        "rsf": lambda: ensemble.RandomSurvivalForest(n_estimators=ne, max_depth=4),
        "est": lambda: ensemble.ExtraSurvivalTrees(n_estimators=ne, max_depth=3),
        "gbsa": lambda: ensemble.GradientBoostingSurvivalAnalysis(
            n_estimators=ne, loss=rng.choice(["coxph", "squared", "ipcwls"])
        ),
        "cgbsa": lambda: ensemble.ComponentwiseGradientBoostingSurvivalAnalysis(n_estimators=ne),
        "tree": lambda: tree.SurvivalTree(max_depth=rng.randint(2, 5)),
        "fastsvm": lambda: svm.FastSurvivalSVM(max_iter=20, rank_ratio=rng.choice([0.0, 1.0])),
        "kernelsvm": lambda: svm.FastKernelSurvivalSVM(
            kernel=rng.choice(["rbf", "linear"]), max_iter=10
        ),
        "naivesvm": lambda: svm.NaiveSurvivalSVM(max_iter=200),
    }
    for name in rng.sample(sorted(ests), 8):

        def one(name: str = name) -> None:
            est = ests[name]().fit(x, y)
            _save(est, out, name, rng)

        _try(out, name, one)
    df = pd.DataFrame(x, columns=list("abcd"))
    df["grp"] = pd.Categorical(nr.choice(["u", "v", "w"], n))

    def pipe() -> None:
        p = make_pipeline(OneHotEncoder(), linear_model.CoxPHSurvivalAnalysis()).fit(df, y)
        _save(p, out, "pipeline_onehot_cox", rng)
        sf = p.predict_survival_function(df.iloc[:3])
        _save(list(sf), out, "stepfunctions", rng)

    _try(out, "pipe", pipe)

    def km() -> None:
        _save(nonparametric.SurvivalFunctionEstimator().fit(y), out, "km_estimator", rng)
        _save(nonparametric.CensoringDistributionEstimator().fit(y), out, "censoring", rng)
        _save(nonparametric.kaplan_meier_estimator(event, time), out, "km_arrays", rng)

    _try(out, "km", km)


# ---------------------------------------------------------------- tsfresh


@family
def gen_tsfresh(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline
    from tsfresh.feature_extraction import (
        ComprehensiveFCParameters,
        EfficientFCParameters,
        MinimalFCParameters,
        extract_features,
    )
    from tsfresh.feature_extraction.settings import from_columns
    from tsfresh.transformers import FeatureAugmenter, FeatureSelector, RelevantFeatureAugmenter

    nr = _nrng(rng)
    ids = rng.randint(20, 40)
    ln = rng.randint(10, 30)
    ts = pd.DataFrame(
        {
            "id": np.repeat(np.arange(ids), ln),
            "time": np.tile(np.arange(ln), ids),
            "x": nr.normal(size=ids * ln) + np.repeat(nr.normal(0, 2, ids), ln),
            "y": nr.normal(size=ids * ln),
        }
    )
    yv = pd.Series((ts.groupby("id")["x"].mean() > 0).astype(int).values, index=np.arange(ids))
    for name, cls in [
        ("comprehensive", ComprehensiveFCParameters),
        ("efficient", EfficientFCParameters),
        ("minimal", MinimalFCParameters),
    ]:
        _try(out, name, lambda cls=cls, name=name: _save(cls(), out, f"settings_{name}", rng))
    kw = {"column_id": "id", "column_sort": "time", "n_jobs": 0, "disable_progressbar": True}

    def extracted() -> None:
        feats = extract_features(ts, default_fc_parameters=MinimalFCParameters(), **kw)
        _save(from_columns(feats), out, "from_columns", rng)
        sel = FeatureSelector(fdr_level=rng.choice([0.05, 0.5, 1.0])).fit(feats.fillna(0), yv)
        _save(sel, out, "feature_selector", rng)

    _try(out, "extracted", extracted)

    def augmenter() -> None:
        x0 = pd.DataFrame(index=np.arange(ids))
        aug = FeatureAugmenter(default_fc_parameters=MinimalFCParameters(), **kw)
        aug.set_timeseries_container(ts)
        aug.fit(x0)
        _save(aug, out, "feature_augmenter", rng)

    _try(out, "augmenter", augmenter)

    def relevant() -> None:
        x0 = pd.DataFrame(index=np.arange(ids))
        pipe = Pipeline(
            [
                (
                    "aug",
                    RelevantFeatureAugmenter(
                        default_fc_parameters=MinimalFCParameters(),
                        ml_task="classification",
                        **kw,
                    ),
                ),
                ("rf", RandomForestClassifier(n_estimators=rng.randint(3, 10))),
            ]
        )
        pipe.set_params(aug__timeseries_container=ts)
        pipe.fit(x0, yv)
        pipe.set_params(aug__timeseries_container=None)
        _save(pipe, out, "relevant_pipeline", rng)

    _try(out, "relevant", relevant)


# ---------------------------------------------------------------- statsforecast / mlforecast


def _panel(rng: random.Random, n_series: int, length: int) -> Any:
    import pandas as pd

    nr = _nrng(rng)
    rows = []
    for i in range(n_series):
        ds = pd.date_range("2025-01-01", periods=length, freq="D")
        y = (
            10
            + np.sin(np.arange(length) * 2 * np.pi / 7) * 3
            + nr.normal(size=length).cumsum() * 0.2
        )
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": y}))
    return pd.concat(rows, ignore_index=True)


@family
def gen_statsforecast(out: Path, rng: random.Random) -> None:
    from statsforecast import StatsForecast
    from statsforecast import models as m

    df = _panel(rng, rng.randint(2, 4), rng.randint(40, 90))
    pool: dict[str, Callable[[], Any]] = {
        "autoarima": lambda: m.AutoARIMA(season_length=7),
        "autoets": lambda: m.AutoETS(season_length=7, model=rng.choice(["ZZZ", "AAN", "ANA"])),
        "autotheta": lambda: m.AutoTheta(season_length=7),
        "autoces": lambda: m.AutoCES(season_length=7),
        "naive": lambda: m.Naive(),
        "snaive": lambda: m.SeasonalNaive(season_length=7),
        "histavg": lambda: m.HistoricAverage(),
        "croston": lambda: m.CrostonClassic(),
        "theta": lambda: m.Theta(season_length=7),
        "mstl": lambda: m.MSTL(season_length=[7]),
        "window": lambda: m.WindowAverage(window_size=rng.randint(3, 10)),
        "ses": lambda: m.SimpleExponentialSmoothing(alpha=rng.choice([0.1, 0.5])),
        "holt": lambda: m.Holt(season_length=7),
        "arima": lambda: m.ARIMA(order=(rng.randint(0, 2), 1, rng.randint(0, 2))),
    }
    for k in range(2):
        names = rng.sample(sorted(pool), rng.randint(2, 4))

        def one(names: list[str] = names, k: int = k) -> None:
            sf = StatsForecast(models=[pool[n]() for n in names], freq="D", n_jobs=1)
            sf.fit(df)
            sf.save(str(out / f"sf_{k}_{'_'.join(names)}.pkl"))
            _save(sf.fitted_[0, 0], out, f"fitted_{names[0]}_{k}", rng)

        _try(out, f"sf{k}", one)


@family
def gen_mlforecast(out: Path, rng: random.Random) -> None:
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.lag_transforms import ExpandingMean, RollingMean
    from sklearn.linear_model import LinearRegression, Ridge

    df = _panel(rng, rng.randint(2, 4), rng.randint(40, 90))
    for k in range(2):

        def one(k: int = k) -> None:
            models: dict[str, Any] = {"lr": LinearRegression()}
            if rng.random() < 0.7:
                models["lgb"] = lgb.LGBMRegressor(
                    n_estimators=rng.randint(5, 20), verbosity=-1, num_leaves=rng.choice([4, 8])
                )
            if rng.random() < 0.5:
                models["ridge"] = Ridge(alpha=rng.choice([0.1, 1.0]))
            lags = rng.sample([1, 2, 3, 7, 14], rng.randint(1, 3))
            tfm = {lags[0]: [ExpandingMean(), RollingMean(window_size=rng.choice([3, 7]))]}
            fc = MLForecast(
                models=models,
                freq="D",
                lags=lags,
                lag_transforms=tfm if rng.random() < 0.7 else None,
                date_features=rng.choice([["dayofweek"], ["dayofweek", "month"], []]),
            )
            fc.fit(df)
            fc.save(out / f"mlf_{k}")
            _save(fc.models_, out, f"models_{k}", rng)

        _try(out, f"mlf{k}", one)


# ---------------------------------------------------------------- shapely / geopandas


@family
def gen_shapely(out: Path, rng: random.Random) -> None:
    import shapely
    from shapely import geometry as g

    nr = _nrng(rng)
    pts = nr.uniform(-50, 50, size=(rng.randint(5, 40), 2))
    objs: dict[str, Any] = {
        "point": g.Point(*pts[0]),
        "point_z": g.Point(pts[0][0], pts[0][1], 3.0),
        "line": g.LineString(pts[:5]),
        "ring": g.LinearRing(pts[:4]),
        "polygon": g.Polygon(pts[:6]).convex_hull,
        "polygon_hole": g.Point(0, 0).buffer(10).difference(g.Point(0, 0).buffer(3)),
        "multipoint": g.MultiPoint(pts),
        "multiline": g.MultiLineString([pts[:3], pts[3:6]]),
        "multipolygon": g.MultiPolygon([g.box(0, 0, 1, 1), g.box(2, 2, 3, 4)]),
        "collection": g.GeometryCollection([g.Point(1, 2), g.box(0, 0, 2, 2)]),
        "empty": g.Polygon(),
        "geom_array": shapely.points(pts),
        "dict_of_geoms": {
            "aoi": g.box(*pts[0], *(pts[0] + 5)),
            "pts": list(shapely.points(pts[:5])),
        },
    }
    for name in rng.sample(sorted(objs), 9):
        _try(out, name, lambda name=name: _save(objs[name], out, name, rng))

    def tree() -> None:
        _save(
            shapely.STRtree(shapely.points(pts), node_capacity=rng.choice([4, 10])),
            out,
            "strtree",
            rng,
        )

    _try(out, "strtree", tree)


@family
def gen_geopandas(out: Path, rng: random.Random) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely import geometry as g

    nr = _nrng(rng)
    n = rng.randint(5, 60)
    xy = nr.uniform(-10, 10, size=(n, 2))
    crs = rng.choice(["EPSG:4326", "EPSG:3857", "EPSG:32633", None])
    gdf = gpd.GeoDataFrame(
        {
            "name": [f"f{i}" for i in range(n)],
            "value": nr.normal(size=n),
            "cat": pd.Categorical(nr.choice(["a", "b"], n)),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=crs,
    )
    polys = gpd.GeoDataFrame(
        {"k": range(3)},
        geometry=[g.box(0, 0, 1, 1), g.Point(0, 0).buffer(2), g.box(-1, -1, 0, 3)],
        crs=crs,
    )
    _try(out, "gdf", lambda: _save(gdf, out, "points_gdf", rng))
    _try(out, "gdf_pd", lambda: gdf.to_pickle(out / "points_to_pickle.pkl"))
    _try(out, "polys", lambda: _save(polys, out, "polys_gdf", rng))
    _try(out, "series", lambda: _save(gdf.geometry, out, "geoseries", rng))
    _try(out, "buffered", lambda: _save(gdf.buffer(rng.choice([0.5, 1.0])), out, "buffered", rng))
    _try(out, "dissolve", lambda: _save(gdf.dissolve(by="cat"), out, "dissolved", rng))
    _try(out, "parquet", lambda: gdf.to_parquet(out / "points.parquet"))
    if crs is not None:
        _try(out, "crs", lambda: _save(gdf.crs, out, "crs_object", rng))


# ---------------------------------------------------------------- astropy


@family
def gen_astropy(out: Path, rng: random.Random) -> None:
    import astropy.units as u
    from astropy.coordinates import SkyCoord
    from astropy.modeling import fitting, models
    from astropy.table import QTable, Table
    from astropy.time import Time

    nr = _nrng(rng)
    n = rng.randint(5, 50)
    t = Table(
        {
            "name": [f"star{i}" for i in range(n)],
            "flux": nr.normal(size=n) * u.Jy,
            "mag": nr.uniform(10, 20, n),
        },
        meta={"survey": "fp23", "epoch": 2026},
    )
    qt = QTable({"dist": nr.uniform(1, 100, n) * u.pc, "v": nr.normal(size=n) * u.km / u.s})
    objs: dict[str, Callable[[], Any]] = {
        "table": lambda: t,
        "qtable": lambda: qt,
        "quantity": lambda: (
            nr.normal(size=rng.randint(3, 30)) * rng.choice([u.m, u.erg / u.s, u.K])
        ),
        "unit": lambda: u.Unit("erg / (cm2 s Angstrom)"),
        "time": lambda: Time(
            ["2026-01-01T00:00:00", "2026-06-01T12:00:00"], scale=rng.choice(["utc", "tt"])
        ),
        "skycoord": lambda: SkyCoord(
            ra=nr.uniform(0, 360, 4) * u.deg, dec=nr.uniform(-90, 90, 4) * u.deg
        ),
        "masked_table": lambda: Table(
            {"a": np.ma.masked_array([1, 2, 3], mask=[0, 1, 0])}, masked=True
        ),
    }
    for name in rng.sample(sorted(objs), 6):
        _try(out, name, lambda name=name: _save(objs[name](), out, name, rng))
    x = np.linspace(-5, 5, 50)
    yv = 3 * np.exp(-0.5 * (x / rng.uniform(0.5, 2)) ** 2) + nr.normal(0, 0.1, 50)
    fitter = rng.choice([fitting.LevMarLSQFitter, fitting.TRFLSQFitter, fitting.LinearLSQFitter])

    def fitted() -> None:
        if fitter is fitting.LinearLSQFitter:
            mdl = fitter()(models.Polynomial1D(degree=rng.randint(1, 4)), x, yv)
        else:
            mdl = fitter()(models.Gaussian1D(1, 0, 1) + models.Const1D(0), x, yv)
        _save(mdl, out, "fitted_model", rng)

    _try(out, "fitted", fitted)
    _try(out, "ecsv", lambda: t.write(out / "table.ecsv", format="ascii.ecsv"))


# ---------------------------------------------------------------- PIL images


@family
def gen_pil(out: Path, rng: random.Random) -> None:
    from PIL import Image

    nr = _nrng(rng)
    w, h = rng.randint(4, 64), rng.randint(4, 64)
    rgb = Image.fromarray(nr.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
    imgs: dict[str, Callable[[], Any]] = {
        "rgb": lambda: rgb,
        "rgba": lambda: rgb.convert("RGBA"),
        "gray": lambda: rgb.convert("L"),
        "bilevel": lambda: rgb.convert("1"),
        "palette": lambda: rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16),
        "i16": lambda: Image.fromarray(nr.integers(0, 65535, (h, w), dtype=np.uint16)),
        "float": lambda: Image.fromarray(nr.random((h, w)).astype(np.float32)),
        "int32": lambda: rgb.convert("I"),
        "cmyk": lambda: rgb.convert("CMYK"),
        "ycbcr": lambda: rgb.convert("YCbCr"),
        "la": lambda: rgb.convert("LA"),
    }
    for name in rng.sample(sorted(imgs), 7):
        _try(out, name, lambda name=name: _save(imgs[name](), out, f"img_{name}", rng))

    def dataset() -> None:
        recs = [{"image": imgs[k](), "label": i} for i, k in enumerate(rng.sample(sorted(imgs), 3))]
        _save(recs, out, "records", rng)

    _try(out, "dataset", dataset)

    def torch_saved() -> None:
        import torch

        torch.save(
            {"images": [rgb, rgb.convert("L")], "labels": torch.tensor([0, 1])}, out / "images.pt"
        )

    _try(out, "torch", torch_saved)


# ---------------------------------------------------------------- stable-baselines3


@family
def gen_sb3(out: Path, rng: random.Random) -> None:
    import gymnasium as gym
    import stable_baselines3 as sb3
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    algos = [
        ("PPO", "CartPole-v1", {"n_steps": 64, "batch_size": 32}),
        ("A2C", "CartPole-v1", {"n_steps": 8}),
        ("DQN", "CartPole-v1", {"learning_starts": 10, "buffer_size": 500}),
        ("SAC", "Pendulum-v1", {"learning_starts": 10, "buffer_size": 500, "batch_size": 16}),
        ("TD3", "Pendulum-v1", {"learning_starts": 10, "buffer_size": 500, "batch_size": 16}),
        ("DDPG", "Pendulum-v1", {"learning_starts": 10, "buffer_size": 500, "batch_size": 16}),
    ]
    for algo, env_id, kw in rng.sample(algos, 4):

        def one(algo: str = algo, env_id: str = env_id, kw: dict[str, Any] = kw) -> None:
            env = gym.make(env_id)
            arch = rng.choice([[16], [32, 32], [64, 64]])
            model = getattr(sb3, algo)(
                "MlpPolicy",
                env,
                seed=rng.randrange(1000),
                learning_rate=rng.choice([3e-4, 1e-3]),
                policy_kwargs={"net_arch": arch},
                **kw,
            )
            model.learn(total_timesteps=rng.choice([64, 128]))
            model.save(out / f"{algo.lower()}_{env_id.split('-')[0].lower()}.zip")
            if rng.random() < 0.5:
                model.policy.save(out / f"{algo.lower()}_policy.pth")
            if algo in ("DQN", "SAC", "TD3", "DDPG") and rng.random() < 0.6:
                model.save_replay_buffer(out / f"{algo.lower()}_replay.pkl")

        _try(out, algo, one)

    def vecnorm() -> None:
        venv = VecNormalize(
            DummyVecEnv([lambda: gym.make("CartPole-v1")]), norm_reward=rng.random() < 0.5
        )
        venv.reset()
        for _ in range(10):
            venv.step(np.array([venv.action_space.sample()]))
        venv.save(str(out / "vecnormalize.pkl"))

    _try(out, "vecnorm", vecnorm)


# ---------------------------------------------------------------- shap


@family
def gen_shap(out: Path, rng: random.Random) -> None:
    import shap
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import LinearRegression

    nr = _nrng(rng)
    x = nr.normal(size=(rng.randint(40, 100), 4))
    y = x[:, 0] * 2 + x[:, 1] ** 2 + nr.normal(0, 0.1, len(x))
    tm = rng.choice(
        [
            lambda: RandomForestRegressor(n_estimators=rng.randint(3, 10), max_depth=4),
            lambda: GradientBoostingRegressor(n_estimators=rng.randint(5, 20)),
        ]
    )().fit(x, y)

    def tree() -> None:
        ex = shap.TreeExplainer(tm)
        _save(ex, out, "tree_explainer", rng)
        sv = ex(x[:10])
        _save(sv, out, "explanation", rng)
        _save(ex.shap_values(x[:10]), out, "shap_values", rng)

    _try(out, "tree", tree)

    def linear() -> None:
        lm = LinearRegression().fit(x, y)
        ex = shap.LinearExplainer(lm, x)
        _save(ex, out, "linear_explainer", rng)
        _save(ex(x[:5]), out, "linear_explanation", rng)

    _try(out, "linear", linear)

    def saved() -> None:
        ex = shap.explainers.Tree(tm, x[:20])
        with open(out / "explainer_save.bin", "wb") as f:
            ex.save(f)

    _try(out, "saved", saved)

    def masker() -> None:
        _save(shap.maskers.Independent(x, max_samples=rng.choice([10, 50])), out, "masker", rng)

    _try(out, "masker", masker)


# ---------------------------------------------------------------- interpret


@family
def gen_interpret(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from interpret.glassbox import (
        ClassificationTree,
        ExplainableBoostingClassifier,
        ExplainableBoostingRegressor,
        LinearRegression,
        LogisticRegression,
    )

    nr = _nrng(rng)
    n = rng.randint(60, 150)
    df = pd.DataFrame(
        {
            "a": nr.normal(size=n),
            "b": nr.integers(0, 5, n),
            "c": nr.choice(["x", "y", "z"], n),
        }
    )
    yc = (df["a"] + (df["c"] == "x") > 0).astype(int)
    common = {"max_rounds": rng.choice([20, 50]), "outer_bags": 2, "n_jobs": 1}

    def ebc() -> None:
        m = ExplainableBoostingClassifier(interactions=rng.choice([0, 2]), **common).fit(df, yc)
        _save(m, out, "ebm_classifier", rng)
        if hasattr(m, "to_json"):
            m.to_json(str(out / "ebm_classifier.json"))

    _try(out, "ebc", ebc)

    def ebr() -> None:
        m = ExplainableBoostingRegressor(interactions=0, **common).fit(df, df["a"] * 2.0)
        _save(m, out, "ebm_regressor", rng)

    _try(out, "ebr", ebr)

    def glass() -> None:
        num = df[["a", "b"]]
        _save(LogisticRegression().fit(num, yc), out, "glass_logistic", rng)
        _save(LinearRegression().fit(num, df["a"]), out, "glass_linear", rng)
        _save(ClassificationTree(max_depth=3).fit(num, yc), out, "glass_tree", rng)

    _try(out, "glass", glass)


# ---------------------------------------------------------------- skrub


@family
def gen_skrub(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import skrub
    from sklearn.linear_model import Ridge

    nr = _nrng(rng)
    n = rng.randint(30, 100)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    df = pd.DataFrame(
        {
            "city": nr.choice(words, n),
            "job": [" ".join(nr.choice(words, 3)) for _ in range(n)],
            "when": pd.date_range("2025-01-01", periods=n, freq="D"),
            "num": nr.normal(size=n),
        }
    )
    y = nr.normal(size=n)
    encs: dict[str, Callable[[], Any]] = {
        "table_vectorizer": lambda: skrub.TableVectorizer(),
        "minhash": lambda: skrub.MinHashEncoder(n_components=rng.choice([4, 8])),
        "gap": lambda: skrub.GapEncoder(n_components=rng.choice([2, 3]), max_iter=3),
        "string": lambda: skrub.StringEncoder(n_components=rng.choice([2, 3])),
        "datetime": lambda: skrub.DatetimeEncoder(add_weekday=rng.random() < 0.5),
        "similarity": lambda: skrub.SimilarityEncoder(),
    }
    for name in rng.sample(sorted(encs), 4):

        def one(name: str = name) -> None:
            col = {"datetime": "when", "table_vectorizer": None}.get(name, "job")
            enc = encs[name]()
            enc.fit(df if col is None else df[col])
            _save(enc, out, name, rng)

        _try(out, name, one)

    def pipe() -> None:
        p = skrub.tabular_pipeline(Ridge(alpha=rng.choice([0.1, 1.0]))).fit(df, y)
        _save(p, out, "tabular_pipeline", rng)

    _try(out, "pipe", pipe)


# ---------------------------------------------------------------- openTSNE


@family
def gen_opentsne(out: Path, rng: random.Random) -> None:
    from openTSNE import TSNE, affinity

    nr = _nrng(rng)
    x = nr.normal(size=(rng.randint(60, 150), rng.randint(4, 10)))

    def emb() -> None:
        tsne = TSNE(
            n_components=2,
            perplexity=rng.choice([5, 10, 20]),
            n_iter=rng.choice([50, 100]),
            neighbors=rng.choice(["exact", "annoy", "pynndescent"]),
            negative_gradient_method=rng.choice(["fft", "bh"]),
            n_jobs=1,
            random_state=rng.randrange(100),
        )
        e = tsne.fit(x)
        _save(e, out, "embedding", rng)
        _save(tsne, out, "tsne_params", rng)

    _try(out, "emb", emb)

    def aff() -> None:
        a = affinity.PerplexityBasedNN(x, perplexity=5, method="exact", n_jobs=1)
        _save(a, out, "affinity_exact", rng)

    _try(out, "aff", aff)


# ---------------------------------------------------------------- prince


@family
def gen_prince(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import prince

    nr = _nrng(rng)
    n = rng.randint(20, 80)
    num = pd.DataFrame(nr.normal(size=(n, 4)), columns=list("abcd"))
    cat = pd.DataFrame({c: nr.choice(["x", "y", "z"], n) for c in "pqr"})
    cont = pd.DataFrame(nr.integers(1, 20, (5, 4)), index=list("vwxyz"), columns=list("ABCD"))
    nc = rng.choice([2, 3])
    fits: dict[str, Callable[[], Any]] = {
        "pca": lambda: prince.PCA(n_components=nc, rescale_with_std=rng.random() < 0.5).fit(num),
        "ca": lambda: prince.CA(n_components=2).fit(cont),
        "mca": lambda: prince.MCA(n_components=2).fit(cat),
        "famd": lambda: prince.FAMD(n_components=2).fit(pd.concat([num, cat], axis=1)),
        "gpa": lambda: prince.GPA(),
    }
    for name in rng.sample(sorted(fits), 4):
        _try(out, name, lambda name=name: _save(fits[name](), out, name, rng))


# ---------------------------------------------------------------- scikit-optimize


@family
def gen_skopt(out: Path, rng: random.Random) -> None:
    import skopt
    from skopt.space import Categorical, Integer, Real

    space = [Real(-2.0, 2.0, name="x"), Integer(1, 10, name="n"), Categorical(["a", "b"], name="c")]

    def f(p: list[Any]) -> float:
        return float((p[0] - 0.3) ** 2 + p[1] * 0.01 + (p[2] == "b"))

    calls = rng.randint(10, 16)
    for name, fn in [
        ("gp", skopt.gp_minimize),
        ("forest", skopt.forest_minimize),
    ]:

        def one(name: str = name, fn: Any = fn) -> None:
            res = fn(f, space, n_calls=calls, random_state=rng.randrange(100))
            skopt.dump(res, out / f"res_{name}.pkl", store_objective=False)

        if rng.random() < 0.75:
            _try(out, name, one)

    def opt() -> None:
        o = skopt.Optimizer(
            space, base_estimator=rng.choice(["GP", "ET", "RF"]), n_initial_points=4
        )
        for _ in range(6):
            p = o.ask()
            o.tell(p, f(p))
        _save(o, out, "optimizer", rng)

    _try(out, "opt", opt)

    def search() -> None:
        from sklearn.datasets import make_classification
        from sklearn.svm import SVC

        x, y = make_classification(60, 4, random_state=rng.randrange(100))
        bs = skopt.BayesSearchCV(SVC(), {"C": Real(0.1, 10, prior="log-uniform")}, n_iter=4, cv=2)
        bs.fit(x, y)
        _save(bs, out, "bayes_search", rng)

    _try(out, "search", search)


# ---------------------------------------------------------------- pygam


@family
def gen_pygam(out: Path, rng: random.Random) -> None:
    from pygam import GammaGAM, LinearGAM, LogisticGAM, PoissonGAM, f, l, s, te

    nr = _nrng(rng)
    n = rng.randint(60, 200)
    x = np.column_stack([nr.normal(size=n), nr.uniform(0, 1, n), nr.integers(0, 3, n)])
    terms = rng.choice([s(0) + s(1) + f(2), s(0, n_splines=8) + l(1), te(0, 1) + f(2), s(0) + s(1)])
    ylin = x[:, 0] + np.sin(3 * x[:, 1]) + nr.normal(0, 0.1, n)
    gams: dict[str, Callable[[], Any]] = {
        "linear": lambda: LinearGAM(terms).fit(x, ylin),
        "logistic": lambda: LogisticGAM(terms).fit(x, (ylin > 0).astype(int)),
        "poisson": lambda: PoissonGAM(terms).fit(x, nr.poisson(np.exp(x[:, 1]))),
        "gamma": lambda: GammaGAM(terms).fit(x, np.exp(ylin * 0.3)),
        "gridsearch": lambda: LinearGAM(terms).gridsearch(
            x, ylin, lam=np.logspace(-2, 2, 3), progress=False
        ),
    }
    for name in rng.sample(sorted(gams), 4):
        _try(out, name, lambda name=name: _save(gams[name](), out, name, rng))


# ---------------------------------------------------------------- fairlearn


@family
def gen_fairlearn(out: Path, rng: random.Random) -> None:
    from fairlearn.metrics import MetricFrame, selection_rate
    from fairlearn.postprocessing import ThresholdOptimizer
    from fairlearn.reductions import (
        DemographicParity,
        EqualizedOdds,
        ExponentiatedGradient,
        GridSearch,
    )
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score

    nr = _nrng(rng)
    n = rng.randint(80, 200)
    x = nr.normal(size=(n, 3))
    a = nr.choice(["g1", "g2"], n)
    y = (x[:, 0] + (a == "g1") * 0.5 + nr.normal(0, 0.5, n) > 0).astype(int)
    cons = rng.choice([DemographicParity, EqualizedOdds])

    def eg() -> None:
        m = ExponentiatedGradient(
            LogisticRegression(), constraints=cons(), max_iter=rng.choice([5, 20])
        )
        m.fit(x, y, sensitive_features=a)
        _save(m, out, "exponentiated_gradient", rng)

    _try(out, "eg", eg)

    def gs() -> None:
        m = GridSearch(LogisticRegression(), constraints=cons(), grid_size=rng.choice([3, 5]))
        m.fit(x, y, sensitive_features=a)
        _save(m, out, "grid_search", rng)

    _try(out, "gs", gs)

    def to() -> None:
        m = ThresholdOptimizer(
            estimator=LogisticRegression().fit(x, y),
            constraints=rng.choice(["demographic_parity", "equalized_odds"]),
            prefit=True,
            predict_method="predict_proba",
        )
        m.fit(x, y, sensitive_features=a)
        _save(m, out, "threshold_optimizer", rng)

    _try(out, "to", to)

    def mf() -> None:
        pred = LogisticRegression().fit(x, y).predict(x)
        fr = MetricFrame(
            metrics={"acc": accuracy_score, "sel": selection_rate},
            y_true=y,
            y_pred=pred,
            sensitive_features=a,
        )
        _save(fr, out, "metric_frame", rng)

    _try(out, "mf", mf)


# ---------------------------------------------------------------- pykalman


@family
def gen_pykalman(out: Path, rng: random.Random) -> None:
    from pykalman import AdditiveUnscentedKalmanFilter, KalmanFilter

    nr = _nrng(rng)
    n = rng.randint(30, 100)
    obs = nr.normal(size=(n, rng.choice([1, 2]))).cumsum(axis=0)
    dim = obs.shape[1]

    def kf() -> None:
        k = KalmanFilter(
            n_dim_obs=dim,
            n_dim_state=dim,
            em_vars=rng.choice([["transition_covariance", "observation_covariance"], "all"]),
        )
        k = k.em(obs, n_iter=rng.randint(2, 6))
        _save(k, out, "kalman_em", rng)
        _save(k.smooth(obs), out, "smoothed", rng)

    _try(out, "kf", kf)

    def ukf() -> None:
        u = AdditiveUnscentedKalmanFilter(n_dim_obs=dim, n_dim_state=dim)
        _save(u, out, "additive_ukf_default", rng)

    _try(out, "ukf", ukf)


def _check(out: Path, tree: Path, families: list[str]) -> None:
    """Judge the grid with ``tree``'s source through ``bench/fp13_check.py``."""
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    here = Path(__file__).resolve().parent
    subprocess.run(
        [
            "/work/main/.venv/bin/python",
            str(here / "fp13_check.py"),
            str(out),
            str(out.parent / f"{out.name}.result.json"),
            *families,
        ],
        env=env,
        check=False,
    )


def main_with_check(families: dict[str, Callable[[Path, random.Random], None]]) -> int:
    """``OUT [--seed N] [--check TREE] [FAMILY...]``: write the grid, then (``--check``) judge
    it with ``TREE/src`` (later grids' one command line)."""
    args = sys.argv[1:]
    tree_arg: Path | None = None
    if "--check" in args:
        i = args.index("--check")
        tree_arg = Path(args[i + 1])
        del args[i : i + 2]
    rc = run_grid(families, args, 1)
    if tree_arg is not None:
        fams = [a for a in args[1:] if not a.startswith("--") and a in families]
        _check(Path(args[0]), tree_arg, fams)
    return rc


if __name__ == "__main__":
    args = sys.argv[1:]
    tree_arg: Path | None = None
    if "--check" in args:
        i = args.index("--check")
        tree_arg = Path(args[i + 1])
        del args[i : i + 2]
    rc = run_grid(FAMILIES, args, 1)
    if tree_arg is not None:
        fams = [a for a in args[1:] if not a.startswith("--") and a in FAMILIES]
        _check(Path(args[0]), tree_arg, fams)
    sys.exit(rc)
