"""Round-26 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp26_grid.py OUT [--seed N] [--check TREE] [FAMILY...]`` writes
``OUT/<family>/<artifact>`` (a file or a saved folder) for library families no earlier sweep
(fp12-fp25, ``bench/ecosystem``, ``bench/fpfinal``) held: PyKEEN knowledge-graph embeddings
(``save_to_directory``, whole models), karateclub graph embeddings, Cornac recommenders
(``Recommender.save``), YDF decision forests (``model.save`` folders), CausalML uplift
trees/forests and meta-learners, scikit-uplift models, causal-learn graphs (PC/GES/FCI,
LiNGAM), PyKrige kriging, GSTools covariance models/fields/kriging, libpysal weights and mgwr
GWR results, scikit-gstat variograms, NumPyro posterior samples and SVI parameters (jax
arrays), emcee backends, Copulas multivariate/univariate models and CTGAN/TVAE
(``save``), pycox survival nets (``save_net`` / ``save_model_weights``), xgbse survival
estimators, PySAD streaming anomaly detectors, ADTK detectors, silero-vad's shipped model
files (TorchScript, ONNX, safetensors) and re-saves, tomotopy topic models (``save``), ``lda``
models, OpenCLIP models and tokenizers, KerasHub backbones (``.keras``), pytorch-metric-learning
losses/miners, Opacus private models (``save_checkpoint``).

Needs a side venv holding those libraries (``/tmp/fp26/venv``: a ``.pth`` onto the shared
venv's site-packages, the extra packages installed with the shared venv's ``pip freeze`` as
constraints so torch stays 2.13.0+cpu). ``--seed`` changes data, sizes, hyper-parameters and
the draw of options, so a held-out grid is one more run. ``--check TREE`` then judges every
artifact with ``TREE/src`` through ``bench/fp13_check.py`` and prints the denials.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("NUMBA_CACHE_DIR", "/tmp/fp26/numba")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np
from fp13_gen import _try, run_grid
from fp23_grid import _check
from fp24_grid import _clf_data, _each, _nrng, _save
from fp25_grid import _torchvision_shim, _tsave

warnings.filterwarnings("ignore")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _pick(rng: random.Random, names: list[str], k: int) -> list[str]:
    return rng.sample(names, min(k, len(names)))


@family
def gen_pykeen(out: Path, rng: random.Random) -> None:
    _torchvision_shim()
    from pykeen.pipeline import pipeline
    from pykeen.triples import TriplesFactory

    nr = _nrng(rng)
    ne, nrel, nt = rng.randint(20, 40), rng.randint(2, 4), rng.randint(120, 220)
    trip = np.array(
        [
            [f"e{nr.integers(ne)}", f"r{nr.integers(nrel)}", f"e{nr.integers(ne)}"]
            for _ in range(nt)
        ],
        dtype=str,
    )
    tf = TriplesFactory.from_labeled_triples(trip)
    train, test = tf.split([0.85, 0.15], random_state=rng.randrange(100))
    for name in _pick(rng, ["TransE", "DistMult", "ComplEx", "RotatE", "TransH", "ERMLP"], 3):

        def one(name: str = name) -> None:
            res = pipeline(
                training=train, testing=test, model=name, epochs=rng.randint(1, 3),
                model_kwargs={"embedding_dim": rng.choice([4, 8])},
                training_kwargs={"batch_size": 32}, random_seed=rng.randrange(100),
            )
            res.save_to_directory(out / f"{name.lower()}_dir")
            _tsave(res.model, out, f"{name.lower()}_model", rng)

        _try(out, name, one)


@family
def gen_karateclub(out: Path, rng: random.Random) -> None:
    import karateclub as kc
    import networkx as nx

    n = rng.randint(30, 60)
    g = nx.connected_watts_strogatz_graph(n, 4, 0.2, seed=rng.randrange(100))
    graphs = [nx.cycle_graph(rng.randint(5, 9)) for _ in range(6)]
    mk: dict[str, Callable[[], Any]] = {
        "deepwalk": lambda: kc.DeepWalk(walk_number=2, walk_length=10, dimensions=8),
        "node2vec": lambda: kc.Node2Vec(walk_number=2, walk_length=10, dimensions=8),
        "walklets": lambda: kc.Walklets(walk_number=2, walk_length=10, dimensions=4),
        "netmf": lambda: kc.NetMF(dimensions=8),
        "hope": lambda: kc.HOPE(dimensions=8),
        "laplacian": lambda: kc.LaplacianEigenmaps(dimensions=4),
        "randne": lambda: kc.RandNE(dimensions=8),
        "glee": lambda: kc.GLEE(dimensions=4),
        "nodesketch": lambda: kc.NodeSketch(dimensions=8),
        "grarep": lambda: kc.GraRep(dimensions=4),
        "boostne": lambda: kc.BoostNE(dimensions=4),
        "nmfadmm": lambda: kc.NMFADMM(dimensions=4),
        "feather_graph": lambda: kc.FeatherGraph(),
        "graph2vec": lambda: kc.Graph2Vec(dimensions=8, epochs=2),
        "ldp": lambda: kc.LDP(),
    }
    whole = {"feather_graph", "graph2vec", "ldp"}
    for name in _pick(rng, sorted(mk), 7):

        def one(name: str = name) -> None:
            m = mk[name]()
            m.fit(graphs if name in whole else g)
            _save(m, out, name, rng)

        _try(out, name, one)


@family
def gen_cornac(out: Path, rng: random.Random) -> None:
    from cornac import models
    from cornac.data import Dataset

    nr = _nrng(rng)
    nu, ni = rng.randint(15, 30), rng.randint(15, 30)
    uir = [
        (f"u{nr.integers(nu)}", f"i{nr.integers(ni)}", float(nr.integers(1, 6)))
        for _ in range(rng.randint(150, 300))
    ]
    ds = Dataset.from_uir(uir, seed=rng.randrange(100))
    mk: dict[str, Callable[[], Any]] = {
        "mf": lambda: models.MF(k=4, max_iter=20, seed=1),
        "pmf": lambda: models.PMF(k=4, max_iter=20, seed=1),
        "bpr": lambda: models.BPR(k=4, max_iter=20, seed=1),
        "nmf": lambda: models.NMF(k=4, max_iter=20, seed=1),
        "baseline": lambda: models.BaselineOnly(max_iter=10),
        "svd": lambda: models.SVD(k=4, max_iter=10),
        "itemknn": lambda: models.ItemKNN(k=5),
        "userknn": lambda: models.UserKNN(k=5),
        "mostpop": lambda: models.MostPop(),
        "wmf": lambda: models.WMF(k=4, max_iter=5, seed=1),
        "global_avg": lambda: models.GlobalAvg(),
    }
    for name in _pick(rng, sorted(mk), 6):

        def one(name: str = name) -> None:
            m = mk[name]().fit(ds)
            if rng.random() < 0.6:
                m.save(str(out / f"{name}_save"), save_trainset=rng.random() < 0.5)
            else:
                _save(m, out, name, rng)

        _try(out, name, one)


@family
def gen_ydf(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import ydf

    x, y = _clf_data(rng, 80, 200)
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(x.shape[1])])
    df["cat"] = np.array(["a", "b", "c"])[np.arange(len(df)) % 3]
    df["y"] = y
    mk: dict[str, Callable[[], Any]] = {
        "rf": lambda: ydf.RandomForestLearner(label="y", num_trees=rng.randint(3, 10)),
        "gbt": lambda: ydf.GradientBoostedTreesLearner(label="y", num_trees=rng.randint(3, 10)),
        "cart": lambda: ydf.CartLearner(label="y"),
        "iforest": lambda: ydf.IsolationForestLearner(num_trees=5),
        "gbt_reg": lambda: ydf.GradientBoostedTreesLearner(
            label="f0", task=ydf.Task.REGRESSION, num_trees=5
        ),
    }
    for name in _pick(rng, sorted(mk), 4):

        def one(name: str = name) -> None:
            m = mk[name]().train(df.drop(columns=["y"]) if name == "iforest" else df)
            m.save(str(out / f"{name}_model"))

        _try(out, name, one)


def _uplift_data(rng: random.Random) -> tuple[Any, Any, Any, Any]:
    nr = _nrng(rng)
    n = rng.randint(150, 300)
    x = nr.normal(size=(n, rng.randint(3, 5)))
    w = nr.integers(0, 2, size=n)
    y = ((x[:, 0] + w * 0.5 + nr.normal(size=n)) > 0).astype(int)
    return x, w, y, nr


@family
def gen_causalml(out: Path, rng: random.Random) -> None:
    from causalml.inference import meta
    from causalml.inference.tree import UpliftRandomForestClassifier, UpliftTreeClassifier
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression

    x, w, y, nr = _uplift_data(rng)
    t = np.where(w == 1, "treatment_a", "control")
    yc = x[:, 0] + w + nr.normal(size=len(w))
    base = lambda: rng.choice(  # noqa: E731
        [LinearRegression(), RandomForestRegressor(n_estimators=5, max_depth=3)]
    )
    mk: dict[str, Callable[[], Any]] = {
        "s_reg": lambda: _fit(
            meta.BaseSRegressor(learner=base(), control_name="control"), x, t, yc
        ),
        "t_reg": lambda: _fit(
            meta.BaseTRegressor(learner=base(), control_name="control"), x, t, yc
        ),
        "x_reg": lambda: _fit(
            meta.BaseXRegressor(learner=base(), control_name="control"), x, t, yc
        ),
        "r_reg": lambda: _fit(
            meta.BaseRRegressor(learner=base(), control_name="control"), x, t, yc
        ),
        "s_clf": lambda: _fit(
            meta.BaseSClassifier(learner=__import__("sklearn.linear_model").linear_model
                                 .LogisticRegression(), control_name="control"), x, t, y
        ),
        "uplift_tree": lambda: _fit(
            UpliftTreeClassifier(control_name="control", max_depth=rng.randint(2, 4),
                                 evaluationFunction=rng.choice(["KL", "ED", "Chi"])), x, t, y
        ),
        "uplift_forest": lambda: _fit(
            UpliftRandomForestClassifier(control_name="control", n_estimators=3, max_depth=3,
                                         n_jobs=1), x, t, y
        ),
    }
    _each(out, rng, mk, 5)


def _fit(m: Any, x: Any, t: Any, y: Any) -> Any:
    m.fit(x, t, y)
    return m


@family
def gen_sklift(out: Path, rng: random.Random) -> None:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklift.models import ClassTransformation, SoloModel, TwoModels

    x, w, y, _ = _uplift_data(rng)
    est = lambda: rng.choice(  # noqa: E731
        [LogisticRegression(), RandomForestClassifier(n_estimators=5, max_depth=3)]
    )
    mk: dict[str, Callable[[], Any]] = {
        "solo": lambda: SoloModel(est(), method=rng.choice(["dummy", "treatment_interaction"])
                                  ).fit(x, y, w),
        "two_vanilla": lambda: TwoModels(est(), est(), method="vanilla").fit(x, y, w),
        "two_ddr": lambda: TwoModels(est(), est(), method=rng.choice(["ddr_control",
                                                                      "ddr_treatment"])
                                     ).fit(x, y, w),
        "class_transform": lambda: ClassTransformation(est()).fit(x, y, w),
    }
    _each(out, rng, mk, 4)


@family
def gen_causallearn(out: Path, rng: random.Random) -> None:
    from causallearn.search.ConstraintBased.FCI import fci
    from causallearn.search.ConstraintBased.PC import pc
    from causallearn.search.FCMBased import lingam
    from causallearn.search.ScoreBased.GES import ges

    nr = _nrng(rng)
    n = rng.randint(100, 250)
    a = nr.normal(size=n)
    b = a * 0.8 + nr.normal(size=n) * 0.5
    c = b - a * 0.3 + nr.uniform(size=n)
    d = nr.normal(size=n)
    data = np.column_stack([a, b, c, d][: rng.randint(3, 4)])
    mk: dict[str, Callable[[], Any]] = {
        "pc": lambda: pc(data, 0.05, rng.choice(["fisherz", "kci"]) if n < 120 else "fisherz",
                         show_progress=False),
        "ges": lambda: ges(data),
        "fci": lambda: fci(data, show_progress=False, verbose=False),
        "ica_lingam": lambda: lingam.ICALiNGAM(random_state=1).fit(data) or None,
        "direct_lingam": lambda: _ret(lingam.DirectLiNGAM(), data),
    }
    mk["ica_lingam"] = lambda: _ret(lingam.ICALiNGAM(random_state=1), data)
    _each(out, rng, mk, 4)


def _ret(m: Any, data: Any) -> Any:
    m.fit(data)
    return m


@family
def gen_pykrige(out: Path, rng: random.Random) -> None:
    from pykrige.ok import OrdinaryKriging
    from pykrige.ok3d import OrdinaryKriging3D
    from pykrige.rk import Krige
    from pykrige.uk import UniversalKriging

    nr = _nrng(rng)
    n = rng.randint(20, 50)
    x, y, z = nr.uniform(0, 10, n), nr.uniform(0, 10, n), nr.uniform(0, 5, n)
    v = np.sin(x) + np.cos(y) + nr.normal(size=n) * 0.1
    vm = lambda: rng.choice(  # noqa: E731
        ["linear", "power", "gaussian", "spherical", "exponential", "hole-effect"]
    )
    mk: dict[str, Callable[[], Any]] = {
        "ok": lambda: OrdinaryKriging(x, y, v, variogram_model=vm(), nlags=rng.randint(4, 8)),
        "uk": lambda: UniversalKriging(x, y, v, variogram_model=vm(),
                                       drift_terms=["regional_linear"]),
        "ok3d": lambda: OrdinaryKriging3D(x, y, z, v, variogram_model=vm()),
        "krige_sk": lambda: Krige(method=rng.choice(["ordinary", "universal"]),
                                  variogram_model=vm()).fit(np.column_stack([x, y]), v),
    }
    _each(out, rng, mk, 4)


@family
def gen_gstools(out: Path, rng: random.Random) -> None:
    import gstools as gs

    nr = _nrng(rng)
    n = rng.randint(30, 80)
    pos = (nr.uniform(0, 20, n), nr.uniform(0, 20, n))
    field = nr.normal(size=n)
    kinds = ["Gaussian", "Exponential", "Matern", "Stable", "Spherical", "Cubic", "Linear"]

    def model(kind: str) -> Any:
        return getattr(gs, kind)(dim=2, var=rng.uniform(0.5, 2), len_scale=rng.uniform(2, 8))

    def fitted(kind: str) -> Any:
        m = model(kind)
        bins, gamma = gs.vario_estimate(pos, field, bin_edges=np.linspace(0, 10, 6))
        m.fit_variogram(bins, gamma, nugget=rng.random() < 0.5)
        return m

    mk: dict[str, Callable[[], Any]] = {
        f"cov_{k.lower()}": (lambda k=k: fitted(k)) for k in _pick(rng, kinds, 3)
    }
    mk["srf"] = lambda: _srf(gs, model(rng.choice(kinds)), pos, rng)
    mk["krige_ord"] = lambda: gs.krige.Ordinary(model("Gaussian"), pos, field)
    mk["krige_simple"] = lambda: gs.krige.Simple(model("Exponential"), pos, field, mean=0.0)
    _each(out, rng, mk, 5)


def _srf(gs: Any, model: Any, pos: Any, rng: random.Random) -> Any:
    srf = gs.SRF(model, seed=rng.randrange(1000))
    srf(pos)
    return srf


@family
def gen_pysal(out: Path, rng: random.Random) -> None:
    from libpysal import weights
    from mgwr.gwr import GWR, MGWR
    from mgwr.sel_bw import Sel_BW

    nr = _nrng(rng)
    n = rng.randint(40, 80)
    coords = nr.uniform(0, 10, size=(n, 2))
    xx = nr.normal(size=(n, 2))
    y = (xx @ np.array([1.0, -0.5]) + coords[:, :1].ravel() * 0.1 + nr.normal(size=n)).reshape(
        -1, 1
    )
    mk: dict[str, Callable[[], Any]] = {
        "w_knn": lambda: weights.KNN.from_array(coords, k=rng.randint(3, 6)),
        "w_dist": lambda: weights.DistanceBand.from_array(coords, threshold=3.0, binary=False,
                                                          silence_warnings=True),
        "w_kernel": lambda: weights.Kernel.from_array(coords, k=4),
        "w_lat": lambda: weights.lat2W(rng.randint(3, 6), rng.randint(3, 6)),
        "gwr": lambda: GWR(coords, y, xx, Sel_BW(coords, y, xx).search()).fit(),
        "mgwr": lambda: _mgwr(MGWR, Sel_BW, coords, y, xx),
    }
    _each(out, rng, mk, 4)


def _mgwr(mgwr_cls: Any, sel: Any, coords: Any, y: Any, xx: Any) -> Any:
    s = sel(coords, y, xx, multi=True)
    s.search(multi_bw_min=[2])
    return mgwr_cls(coords, y, xx, s).fit()


@family
def gen_skgstat(out: Path, rng: random.Random) -> None:
    import skgstat as skg

    nr = _nrng(rng)
    n = rng.randint(40, 90)
    coords = nr.uniform(0, 10, size=(n, 2))
    vals = np.sin(coords[:, 0]) + nr.normal(size=n) * 0.2

    def vario() -> Any:
        return skg.Variogram(
            coords, vals, model=rng.choice(["spherical", "exponential", "gaussian", "matern",
                                           "cubic", "stable"]),
            estimator=rng.choice(["matheron", "cressie", "dowd"]), n_lags=rng.randint(5, 10),
        )

    mk: dict[str, Callable[[], Any]] = {
        "variogram": vario,
        "variogram_b": vario,
        "ordinary_kriging": lambda: skg.OrdinaryKriging(vario(), min_points=3, max_points=10),
    }
    _each(out, rng, mk, 3)


@family
def gen_numpyro(out: Path, rng: random.Random) -> None:
    import jax
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import MCMC, NUTS, SVI, Trace_ELBO
    from numpyro.infer.autoguide import AutoNormal

    nr = _nrng(rng)
    n = rng.randint(20, 60)
    xs = nr.normal(size=n)
    ys = 2 * xs + 1 + nr.normal(size=n)

    def model(x: Any, y: Any = None) -> None:
        a = numpyro.sample("a", dist.Normal(0, 5))
        b = numpyro.sample("b", dist.Normal(0, 5))
        s = numpyro.sample("s", dist.HalfNormal(2))
        numpyro.sample("obs", dist.Normal(a * x + b, s), obs=y)

    key = jax.random.PRNGKey(rng.randrange(100))

    def mcmc_samples() -> None:
        m = MCMC(NUTS(model), num_warmup=30, num_samples=rng.randint(20, 40), progress_bar=False)
        m.run(key, xs, ys)
        _save(m.get_samples(), out, "mcmc_samples", rng)
        _save(m.get_samples(group_by_chain=True), out, "mcmc_by_chain", rng)

    def svi_params() -> None:
        guide = AutoNormal(model)
        svi = SVI(model, guide, numpyro.optim.Adam(0.05), Trace_ELBO())
        res = svi.run(key, rng.randint(50, 100), xs, ys, progress_bar=False)
        _save(res.params, out, "svi_params", rng)
        _save({"params": res.params, "losses": res.losses}, out, "svi_result_dict", rng)

    _try(out, "mcmc", mcmc_samples)
    _try(out, "svi", svi_params)
    _try(out, "prng_key", lambda: _save({"key": key}, out, "prng_key", rng))


def _emcee_logp(theta: Any) -> Any:
    return -0.5 * np.sum(theta**2)


@family
def gen_emcee(out: Path, rng: random.Random) -> None:
    import emcee

    nw, nd = rng.choice([8, 10]), rng.randint(2, 4)
    p0 = _nrng(rng).normal(size=(nw, nd))

    def h5() -> None:
        be = emcee.backends.HDFBackend(str(out / "chain.h5"))
        be.reset(nw, nd)
        emcee.EnsembleSampler(nw, nd, _emcee_logp, backend=be).run_mcmc(p0, rng.randint(20, 50))

    def mem() -> None:
        s = emcee.EnsembleSampler(nw, nd, _emcee_logp)
        s.run_mcmc(p0, rng.randint(20, 50))
        _save(s.backend, out, "backend", rng)
        _save({"chain": s.get_chain(), "logp": s.get_log_prob()}, out, "chain_dict", rng)

    _try(out, "h5", h5)
    _try(out, "mem", mem)


def _tab_frame(rng: random.Random) -> Any:
    import pandas as pd

    nr = _nrng(rng)
    n = rng.randint(80, 200)
    return pd.DataFrame(
        {
            "a": nr.normal(size=n),
            "b": nr.gamma(2.0, size=n),
            "c": nr.integers(0, 100, size=n).astype(float),
            "cat": nr.choice(["x", "y", "z"], size=n),
        }
    )


@family
def gen_copulas(out: Path, rng: random.Random) -> None:
    from copulas.bivariate import Clayton, Frank, Gumbel
    from copulas.multivariate import GaussianMultivariate, VineCopula
    from copulas.univariate import BetaUnivariate, GaussianKDE, GaussianUnivariate, Univariate

    df = _tab_frame(rng).drop(columns=["cat"])
    u = np.clip(df[["a", "b"]].rank().to_numpy() / (len(df) + 1), 0.01, 0.99)

    def save(m: Any, name: str) -> None:
        if rng.random() < 0.5:
            m.save(str(out / f"{name}.pkl"))
        else:
            _save(m, out, name, rng)

    mk: dict[str, Callable[[], Any]] = {
        "gaussian_mv": lambda: _fit1(GaussianMultivariate(), df),
        "gaussian_mv_kde": lambda: _fit1(GaussianMultivariate(distribution=GaussianKDE), df),
        "vine": lambda: _fit1(VineCopula(rng.choice(["center", "direct", "regular"])), df),
        "uni": lambda: _fit1(Univariate(), df["b"].to_numpy()),
        "uni_beta": lambda: _fit1(BetaUnivariate(), df["b"].to_numpy()),
        "uni_gauss": lambda: _fit1(GaussianUnivariate(), df["a"].to_numpy()),
        "clayton": lambda: _fit1(Clayton(), u),
        "frank": lambda: _fit1(Frank(), u),
        "gumbel": lambda: _fit1(Gumbel(), u),
    }
    for name in _pick(rng, sorted(mk), 6):
        _try(out, name, lambda name=name: save(mk[name](), name))


def _fit1(m: Any, data: Any) -> Any:
    m.fit(data)
    return m


@family
def gen_ctgan(out: Path, rng: random.Random) -> None:
    from ctgan import CTGAN, TVAE

    df = _tab_frame(rng)

    def one(kind: str) -> None:
        cls = {"ctgan": CTGAN, "tvae": TVAE}[kind]
        kw: dict[str, Any] = {"epochs": rng.randint(1, 2), "batch_size": 20}
        if kind == "ctgan":
            kw["pac"] = 2
        m = cls(**kw)
        m.fit(df, discrete_columns=["cat"])
        m.save(str(out / f"{kind}.pt"))
        if rng.random() < 0.4:
            _save(m, out, kind, rng)

    _try(out, "ctgan", lambda: one("ctgan"))
    _try(out, "tvae", lambda: one("tvae"))


@family
def gen_pycox(out: Path, rng: random.Random) -> None:
    import torchtuples as tt
    from pycox import models

    nr = _nrng(rng)
    n = rng.randint(100, 200)
    x = nr.normal(size=(n, rng.randint(3, 6))).astype("float32")
    dur = nr.exponential(5, size=n).astype("float32")
    ev = (nr.random(size=n) < 0.7).astype("float32")

    def one(kind: str) -> None:
        if kind in ("coxph", "coxcc"):
            net = tt.practical.MLPVanilla(x.shape[1], [8], 1, rng.random() < 0.5, 0.1,
                                          output_bias=False)
            m = {"coxph": models.CoxPH, "coxcc": models.CoxCC}[kind](net, tt.optim.Adam)
            tgt = (dur, ev)
        else:
            cls = {"logistic_hazard": models.LogisticHazard, "pmf": models.PMF,
                   "deephit": models.DeepHitSingle, "mtlr": models.MTLR}[kind]
            lab = cls.label_transform(rng.choice([5, 10]))
            tgt = lab.fit_transform(dur, ev)
            net = tt.practical.MLPVanilla(x.shape[1], [8], lab.out_features, True, 0.1)
            m = cls(net, tt.optim.Adam, duration_index=lab.cuts)
        m.fit(x, tgt, batch_size=32, epochs=rng.randint(1, 3), verbose=False)
        d = out / f"{kind}_saved"
        d.mkdir()
        if kind in ("coxph", "coxcc"):
            m.compute_baseline_hazards()
        m.save_net(str(d / "net.pt"))
        if rng.random() < 0.5:
            m.save_model_weights(str(out / f"{kind}_weights.pt"))

    for kind in _pick(rng, ["coxph", "coxcc", "logistic_hazard", "pmf", "deephit", "mtlr"], 4):
        _try(out, kind, lambda kind=kind: one(kind))


@family
def gen_xgbse(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import xgbse
    from xgbse.converters import convert_to_structured

    nr = _nrng(rng)
    n = rng.randint(100, 200)
    x = pd.DataFrame(nr.normal(size=(n, 4)), columns=list("abcd"))
    y = convert_to_structured(pd.Series(nr.exponential(5, n) + 0.1),
                              pd.Series(nr.random(n) < 0.7))
    p = {"max_depth": 2, "objective": "survival:aft", "eval_metric": "aft-nloglik"}
    # xgbse 0.2.3 reads best_iteration, which xgboost 3 sets only with early stopping
    es: dict[str, Any] = {"validation_data": (x, y), "early_stopping_rounds": 2}
    mk: dict[str, Callable[[], Any]] = {
        "kaplan_neighbors": lambda: xgbse.XGBSEKaplanNeighbors(xgb_params=p, n_neighbors=10)
        .fit(x, y, num_boost_round=5, **es),
        "debiased_bce": lambda: xgbse.XGBSEDebiasedBCE(xgb_params=p).fit(
            x, y, num_boost_round=5, **es
        ),
        "stacked_weibull": lambda: xgbse.XGBSEStackedWeibull(xgb_params=p).fit(
            x, y, num_boost_round=5, **es
        ),
    }
    _each(out, rng, mk, 3)


@family
def gen_pysad(out: Path, rng: random.Random) -> None:
    from pysad import models
    from pysad.transform.preprocessing import InstanceStandardScaler

    nr = _nrng(rng)
    xs = nr.normal(size=(rng.randint(60, 120), rng.randint(3, 5)))
    kinds = {
        "loda": lambda: models.LODA(),
        "hst": lambda: models.HalfSpaceTrees(feature_mins=xs.min(0), feature_maxes=xs.max(0)),
        "rshash": lambda: models.RSHash(feature_mins=xs.min(0), feature_maxes=xs.max(0)),
        "xstream": lambda: models.xStream(),
        "exact_storm": lambda: models.ExactStorm(),
        "iforest_asd": lambda: models.IForestASD(window_size=30),
        "kitnet": lambda: models.KitNet(grace_feature_mapping=20, grace_anomaly_detector=20),
        "median": lambda: models.MedianAbsoluteDeviation(),
        "std": lambda: models.StandardAbsoluteDeviation(),
        "rrcf": lambda: models.RobustRandomCutForest(num_trees=3, tree_size=32),
        "knncad": lambda: models.KNNCAD(probationary_period=20),
        "rnd": lambda: models.RandomModel(),
    }

    def fitted(name: str) -> Any:
        m = kinds[name]()
        xx = xs[:, :1] if name in ("median", "std") else xs
        for row in xx:
            m.fit_partial(row)
        return m

    mk: dict[str, Callable[[], Any]] = {k: (lambda k=k: fitted(k)) for k in kinds}
    mk["standardizer"] = lambda: _partial_all(InstanceStandardScaler(), xs)
    _each(out, rng, mk, 7)


def _partial_all(m: Any, xs: Any) -> Any:
    for row in xs:
        m.fit_partial(row)
    return m


@family
def gen_adtk(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from adtk import detector as ad
    from adtk import transformer as at
    from adtk.pipe import Pipeline

    nr = _nrng(rng)
    n = rng.randint(100, 200)
    s = pd.Series(np.sin(np.arange(n) / 5) + nr.normal(size=n) * 0.2,
                  index=pd.date_range("2026-01-01", periods=n, freq="h"))
    df = pd.DataFrame({"a": s, "b": s.to_numpy() * 2 + nr.normal(size=n)}, index=s.index)
    mk: dict[str, Callable[[], Any]] = {
        "quantile": lambda: ad.QuantileAD(high=0.99, low=0.01).fit(s),
        "iqr": lambda: ad.InterQuartileRangeAD(c=1.5).fit(s),
        "esd": lambda: ad.GeneralizedESDTestAD(alpha=0.3).fit(s),
        "persist": lambda: ad.PersistAD(c=3.0, side="positive").fit(s),
        "level_shift": lambda: ad.LevelShiftAD(c=6.0, window=5).fit(s),
        "volatility": lambda: ad.VolatilityShiftAD(c=6.0, window=10).fit(s),
        "autoregression": lambda: ad.AutoregressionAD(n_steps=3, c=3.0).fit(s),
        "threshold": lambda: ad.ThresholdAD(high=1.5, low=-1.5),
        "pca": lambda: ad.PcaAD(k=1).fit(df),
        "min_cluster": lambda: ad.MinClusterDetector(
            __import__("sklearn.cluster").cluster.KMeans(n_clusters=3)).fit(df),
        "pipeline": lambda: Pipeline([
            ("deseasonal", at.ClassicSeasonalDecomposition(freq=rng.choice([12, 24]))),
            ("quantile", ad.QuantileAD(high=0.95)),
        ]).fit(s),
    }
    _each(out, rng, mk, 7)


@family
def gen_silero(out: Path, rng: random.Random) -> None:
    import silero_vad
    import torch

    data = Path(silero_vad.__file__).parent / "data"
    shipped = sorted(p for p in data.iterdir() if p.is_file())
    for p in _pick(rng, [p.name for p in shipped], 4):
        shutil.copy(data / p, out / p)

    def resave() -> None:
        m = silero_vad.load_silero_vad(onnx=False)
        torch.jit.save(m, str(out / "resaved_vad.jit"))

    _try(out, "resave", resave)


@family
def gen_tomotopy(out: Path, rng: random.Random) -> None:
    import tomotopy as tp

    nr = _nrng(rng)
    vocab = [f"w{i}" for i in range(rng.randint(30, 60))]
    docs = [list(nr.choice(vocab, size=rng.randint(5, 20))) for _ in range(rng.randint(30, 60))]
    kinds = {"lda": lambda: tp.LDAModel(k=rng.randint(2, 5), seed=1),
             "hdp": lambda: tp.HDPModel(seed=1),
             "ct": lambda: tp.CTModel(k=3, seed=1),
             "pa": lambda: tp.PAModel(k1=2, k2=3, seed=1)}
    for name in _pick(rng, sorted(kinds), 3):

        def one(name: str = name) -> None:
            m = kinds[name]()
            for d in docs:
                m.add_doc(d)
            m.train(rng.randint(10, 30))
            m.save(str(out / f"{name}.bin"), full=rng.random() < 0.5)
            if rng.random() < 0.5:
                _save(m, out, name, rng, 0.0)

        _try(out, name, one)


@family
def gen_lda(out: Path, rng: random.Random) -> None:
    import lda

    nr = _nrng(rng)
    x = nr.poisson(1.0, size=(rng.randint(20, 50), rng.randint(30, 80)))

    def one(i: int) -> None:
        m = lda.LDA(n_topics=rng.randint(2, 6), n_iter=rng.randint(20, 60), random_state=i)
        m.fit(x)
        _save(m, out, f"lda_{i}", rng)

    for i in range(3):
        _try(out, f"lda_{i}", lambda i=i: one(i))


@family
def gen_open_clip(out: Path, rng: random.Random) -> None:
    _torchvision_shim()
    import open_clip
    import torch

    def tiny() -> Any:
        vis = {"layers": 1, "width": rng.choice([32, 64]), "patch_size": 16,
               "image_size": 32, "head_width": 16}
        txt = {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1}
        return open_clip.CLIP(embed_dim=16, vision_cfg=vis, text_cfg=txt)

    def whole() -> None:
        _tsave(tiny(), out, "clip_whole", rng)

    def sd() -> None:
        torch.save({"epoch": 1, "state_dict": tiny().state_dict()}, out / "clip_ckpt.pt")

    def tok() -> None:
        _save(open_clip.get_tokenizer("ViT-B-32"), out, "tokenizer", rng, 0.0)

    def transforms() -> None:
        pre = open_clip.image_transform(32, is_train=rng.random() < 0.5)
        _save(pre, out, "image_transform", rng, 0.0)

    for name, fn in (("whole", whole), ("sd", sd), ("tok", tok), ("transforms", transforms)):
        _try(out, name, fn)


@family
def gen_keras_hub(out: Path, rng: random.Random) -> None:
    import keras_hub

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(40)]
    mk: dict[str, Callable[[], Any]] = {
        "bert": lambda: keras_hub.models.BertBackbone(
            vocabulary_size=len(vocab), num_layers=1, num_heads=2, hidden_dim=16,
            intermediate_dim=32, max_sequence_length=32),
        "gpt2": lambda: keras_hub.models.GPT2Backbone(
            vocabulary_size=64, num_layers=1, num_heads=2, hidden_dim=16, intermediate_dim=32,
            max_sequence_length=32),
        "distilbert": lambda: keras_hub.models.DistilBertBackbone(
            vocabulary_size=len(vocab), num_layers=1, num_heads=2, hidden_dim=16,
            intermediate_dim=32, max_sequence_length=32),
        "llama": lambda: keras_hub.models.LlamaBackbone(
            vocabulary_size=64, num_layers=1, num_query_heads=2, num_key_value_heads=1,
            hidden_dim=16, intermediate_dim=32),
        "bert_tokenizer": lambda: keras_hub.models.BertTokenizer(vocabulary=vocab),
        "bert_classifier": lambda: keras_hub.models.BertTextClassifier(
            backbone=keras_hub.models.BertBackbone(
                vocabulary_size=len(vocab), num_layers=1, num_heads=2, hidden_dim=16,
                intermediate_dim=32, max_sequence_length=32),
            num_classes=rng.randint(2, 4), preprocessor=None),
    }
    for name in _pick(rng, sorted(mk), 4):

        def one(name: str = name) -> None:
            m = mk[name]()
            if name.endswith("tokenizer"):
                m.save_to_preset(str(out / f"{name}_preset"))
                return
            m.save(str(out / f"{name}.keras"))
            if rng.random() < 0.5:
                m.save_to_preset(str(out / f"{name}_preset"))

        _try(out, name, one)


@family
def gen_metric_learning(out: Path, rng: random.Random) -> None:
    import torch
    from pytorch_metric_learning import distances, losses, miners, reducers, regularizers

    nd = rng.choice([8, 16])
    mk: dict[str, Callable[[], Any]] = {
        "triplet": lambda: losses.TripletMarginLoss(
            margin=0.1, distance=distances.CosineSimilarity(),
            reducer=reducers.ThresholdReducer(low=0)),
        "arcface": lambda: losses.ArcFaceLoss(num_classes=5, embedding_size=nd),
        "proxy_anchor": lambda: losses.ProxyAnchorLoss(num_classes=5, embedding_size=nd),
        "contrastive": lambda: losses.ContrastiveLoss(
            embedding_regularizer=regularizers.LpRegularizer()),
        "ntxent": lambda: losses.NTXentLoss(temperature=0.07),
        "multisim": lambda: losses.MultiSimilarityLoss(),
        "miner_ms": lambda: miners.MultiSimilarityMiner(epsilon=0.1),
        "miner_triplet": lambda: miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard"),
        "cross_batch": lambda: losses.CrossBatchMemory(
            losses.ContrastiveLoss(), embedding_size=nd, memory_size=32),
    }
    emb = torch.randn(12, nd)
    lab = torch.randint(0, 5, (12,))
    for name in _pick(rng, sorted(mk), 6):

        def one(name: str = name) -> None:
            m = mk[name]()
            m(emb, lab)
            _tsave(m, out, name, rng)
            if rng.random() < 0.4 and list(m.state_dict()):
                torch.save(m.state_dict(), out / f"{name}_sd.pt")

        _try(out, name, one)


@family
def gen_opacus(out: Path, rng: random.Random) -> None:
    import torch
    from opacus import PrivacyEngine
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    x, y = _clf_data(rng, 64, 128)
    ds = TensorDataset(torch.tensor(x, dtype=torch.float32), torch.tensor(y))
    dl = DataLoader(ds, batch_size=16)

    def one(i: int) -> None:
        net = nn.Sequential(nn.Linear(x.shape[1], 8), nn.ReLU(), nn.Linear(8, 2))
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        pe = PrivacyEngine(accountant=rng.choice(["rdp", "prv", "gdp"]))
        mod, opt2, dl2 = pe.make_private(module=net, optimizer=opt, data_loader=dl,
                                         noise_multiplier=1.0, max_grad_norm=1.0)
        for xb, yb in dl2:
            opt2.zero_grad()
            nn.functional.cross_entropy(mod(xb), yb).backward()
            opt2.step()
        pe.save_checkpoint(path=out / f"ckpt_{i}.pt", module=mod, optimizer=opt2)
        if rng.random() < 0.5:
            _tsave(mod, out, f"gsm_whole_{i}", rng)

    for i in range(2):
        _try(out, f"opacus_{i}", lambda i=i: one(i))


if __name__ == "__main__":
    _ = pickle
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
