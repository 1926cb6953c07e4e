"""Round-24 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp24_grid.py OUT [--seed N] [--check TREE] [FAMILY...]`` writes
``OUT/<family>/<artifact>`` (a file or a saved folder) for library families no earlier sweep
(fp12-fp23, ``bench/ecosystem``, ``bench/fpfinal``) held: scikit-multilearn problem
transformations and RAkEL, imodels rule/tree models, skforecast forecasters
(``save_forecaster``), arch volatility models and results, linearmodels panel/IV results,
quantile-forest regressors, scikit-lego estimators, ruptures change-point detectors, pyts
time-series transformers and classifiers, cleanlab ``CleanLearning``, nevergrad optimizers and
parametrizations, model2vec ``StaticModel.save_pretrained`` folders, glum GLMs,
scikit-surprise algorithms (``surprise.dump``), implicit recommenders (``model.save`` npz
and pickles), pomegranate (torch) distributions and models, pytorch-tabnet ``save_model``
zips, arviz ``InferenceData``.

Needs a side venv holding those libraries (``/tmp/fp24/venv``: a ``.pth`` onto the shared
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
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid
from fp23_grid import _check

warnings.filterwarnings("ignore")
os.environ.setdefault("NUMBA_CACHE_DIR", "/tmp/fp24/numba")

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


def _clf_data(rng: random.Random, n_lo: int = 60, n_hi: int = 200) -> tuple[Any, Any]:
    nr = _nrng(rng)
    n = rng.randint(n_lo, n_hi)
    x = nr.normal(size=(n, rng.randint(3, 6)))
    y = (x[:, 0] + 0.5 * nr.normal(size=n) > 0).astype(int)
    return x, y


def _each(out: Path, rng: random.Random, ests: dict[str, Callable[[], Any]], k: int) -> None:
    """Save ``k`` drawn estimators (each factory fits and returns the object)."""
    for name in rng.sample(sorted(ests), min(k, len(ests))):

        def one(name: str = name) -> None:
            _save(ests[name](), out, name, rng)

        _try(out, name, one)


@family
def gen_multilearn(out: Path, rng: random.Random) -> None:
    from sklearn.naive_bayes import GaussianNB
    from sklearn.tree import DecisionTreeClassifier
    from skmultilearn import problem_transform
    from skmultilearn.ensemble import RakelD

    nr = _nrng(rng)
    n = rng.randint(60, 150)
    x = nr.random(size=(n, rng.randint(4, 8)))
    y = (nr.random(size=(n, rng.randint(2, 4))) < 0.4).astype(int)
    base = lambda: rng.choice([GaussianNB(), DecisionTreeClassifier(max_depth=3)])  # noqa: E731
    ests: dict[str, Callable[[], Any]] = {
        "binary_relevance": lambda: problem_transform.BinaryRelevance(base()).fit(x, y),
        "classifier_chain": lambda: problem_transform.ClassifierChain(base()).fit(x, y),
        "label_powerset": lambda: problem_transform.LabelPowerset(base()).fit(x, y),
        "rakeld": lambda: RakelD(base_classifier=GaussianNB(), labelset_size=2).fit(x, y),
    }
    _each(out, rng, ests, 5)


@family
def gen_imodels(out: Path, rng: random.Random) -> None:
    import imodels

    x, y = _clf_data(rng)
    d = rng.randint(2, 4)
    ests: dict[str, Callable[[], Any]] = {
        "figs": lambda: imodels.FIGSClassifier(max_rules=rng.randint(3, 8)).fit(x, y),
        "figs_reg": lambda: imodels.FIGSRegressor(max_rules=5).fit(x, y.astype(float)),
        "hstree": lambda: imodels.HSTreeClassifierCV(max_leaf_nodes=4 + d).fit(x, y),
        "rulefit": lambda: imodels.RuleFitClassifier(max_rules=rng.randint(5, 12)).fit(x, y),
        "greedy_rule_list": lambda: imodels.GreedyRuleListClassifier(max_depth=d).fit(x, y),
        "boosted_rules": lambda: imodels.BoostedRulesClassifier(n_estimators=d + 2).fit(x, y),
        "skope_rules": lambda: imodels.SkopeRulesClassifier(n_estimators=5).fit(x, y),
        "tao": lambda: imodels.TaoTreeClassifier(n_iters=1).fit(x, y),
        "one_r": lambda: imodels.OneRClassifier().fit(x, y),
        "slipper": lambda: imodels.SlipperClassifier(n_estimators=3).fit(x, y),
    }
    _each(out, rng, ests, 7)


@family
def gen_skforecast(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from skforecast.direct import ForecasterDirect
    from skforecast.recursive import ForecasterRecursive
    from skforecast.utils import save_forecaster
    from sklearn.linear_model import Ridge
    from sklearn.tree import DecisionTreeRegressor

    nr = _nrng(rng)
    n = rng.randint(60, 150)
    y = pd.Series(
        nr.normal(size=n).cumsum(), index=pd.date_range("2020-01-01", periods=n, freq="D")
    )
    lags = rng.randint(3, 8)

    def reg() -> Any:
        return rng.choice([Ridge(alpha=1.0), DecisionTreeRegressor(max_depth=3)])

    def rec() -> None:
        f = ForecasterRecursive(regressor=reg(), lags=lags)
        f.fit(y)
        save_forecaster(f, str(out / "recursive.joblib"), verbose=False)
        _save(f, out, "recursive", rng)

    def direct() -> None:
        f = ForecasterDirect(regressor=reg(), lags=lags, steps=rng.randint(2, 5))
        f.fit(y)
        save_forecaster(f, str(out / "direct.joblib"), verbose=False)

    def window() -> None:
        from skforecast.preprocessing import RollingFeatures

        rf = RollingFeatures(stats=["mean", "std"], window_sizes=rng.choice([3, 5]))
        f = ForecasterRecursive(regressor=reg(), lags=lags, window_features=rf)
        f.fit(y)
        save_forecaster(f, str(out / "recursive_window.joblib"), verbose=False)

    for name, fn in [("rec", rec), ("direct", direct), ("window", window)]:
        _try(out, name, fn)


@family
def gen_arch(out: Path, rng: random.Random) -> None:
    from arch import arch_model

    nr = _nrng(rng)
    r = nr.standard_t(6, size=rng.randint(300, 600))
    for vol in rng.sample(["GARCH", "EGARCH", "ARCH", "HARCH", "FIGARCH"], 3):

        def one(vol: str = vol) -> None:
            m = arch_model(r, vol=vol, p=1, dist=rng.choice(["normal", "t", "skewt"]))
            res = m.fit(disp="off")
            _save(res, out, f"{vol.lower()}_result", rng)
            _save(m, out, f"{vol.lower()}_model", rng, 0.2)

        _try(out, vol, one)


@family
def gen_linearmodels(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from linearmodels.iv import IV2SLS
    from linearmodels.panel import PanelOLS, PooledOLS, RandomEffects

    nr = _nrng(rng)
    ent, per = rng.randint(8, 20), rng.randint(4, 8)
    idx = pd.MultiIndex.from_product([range(ent), range(per)], names=["e", "t"])
    df = pd.DataFrame(nr.normal(size=(ent * per, 3)), index=idx, columns=["y", "x1", "x2"])
    df["const"] = 1.0

    def panel() -> None:
        res = PanelOLS(df.y, df[["x1", "x2"]], entity_effects=True).fit()
        _save(res, out, "panelols_result", rng)
        _save(PooledOLS(df.y, df[["const", "x1"]]).fit(), out, "pooled_result", rng)
        _save(RandomEffects(df.y, df[["const", "x1", "x2"]]).fit(), out, "re_result", rng)

    def iv() -> None:
        d = df.reset_index(drop=True)
        d["z"] = d.x1 + nr.normal(size=len(d))
        res = IV2SLS(d.y, d[["const"]], d.x1, d.z).fit()
        _save(res, out, "iv2sls_result", rng)

    _try(out, "panel", panel)
    _try(out, "iv", iv)


@family
def gen_quantile_forest(out: Path, rng: random.Random) -> None:
    from quantile_forest import ExtraTreesQuantileRegressor, RandomForestQuantileRegressor

    x, y = _clf_data(rng)
    yf = x[:, 0] + y
    ne = rng.randint(3, 10)
    ests: dict[str, Callable[[], Any]] = {
        "rfqr": lambda: RandomForestQuantileRegressor(n_estimators=ne, max_depth=4).fit(x, yf),
        "etqr": lambda: ExtraTreesQuantileRegressor(n_estimators=ne).fit(x, yf),
        "rfqr_q": lambda: RandomForestQuantileRegressor(
            n_estimators=ne, default_quantiles=[0.1, 0.5, 0.9]
        ).fit(x, yf),
    }
    _each(out, rng, ests, 3)


@family
def gen_sklego(out: Path, rng: random.Random) -> None:
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklego import linear_model, meta, mixture, naive_bayes, preprocessing

    x, y = _clf_data(rng)
    ests: dict[str, Callable[[], Any]] = {
        "lowess": lambda: linear_model.LowessRegression(sigma=1.0).fit(x, x[:, 1]),
        "quantile_reg": lambda: linear_model.QuantileRegression(quantile=0.3).fit(x, x[:, 1]),
        "lad": lambda: linear_model.LADRegression().fit(x, x[:, 1]),
        "gmm_clf": lambda: mixture.GMMClassifier(n_components=2).fit(x, y),
        "gmm_outlier": lambda: mixture.GMMOutlierDetector(threshold=0.95).fit(x),
        "gaussian_nb": lambda: naive_bayes.GaussianMixtureNB(n_components=2).fit(x, y),
        "threshold": lambda: meta.Thresholder(LogisticRegression(), threshold=0.4).fit(x, y),
        "zero_inflated": lambda: meta.ZeroInflatedRegressor(
            classifier=LogisticRegression(), regressor=LinearRegression()
        ).fit(x, x[:, 1].clip(0)),
        "rbf": lambda: preprocessing.RepeatingBasisFunction(n_periods=3, column=0).fit(x),
        "interval": lambda: preprocessing.IntervalEncoder().fit(x, y),
        "info_filter": lambda: preprocessing.InformationFilter(columns=[0]).fit(x),
        "decay": lambda: meta.DecayEstimator(LinearRegression()).fit(x, x[:, 1]),
    }
    _each(out, rng, ests, 9)


@family
def gen_ruptures(out: Path, rng: random.Random) -> None:
    import ruptures as rpt

    nr = _nrng(rng)
    sig, _ = rpt.pw_constant(rng.randint(100, 300), rng.randint(1, 3), rng.randint(2, 4))
    sig = sig + nr.normal(scale=0.1, size=sig.shape)
    model = rng.choice(["l2", "l1", "rbf", "normal"])
    ests: dict[str, Callable[[], Any]] = {
        "pelt": lambda: rpt.Pelt(model=model, min_size=3).fit(sig),
        "binseg": lambda: rpt.Binseg(model=model).fit(sig),
        "bottomup": lambda: rpt.BottomUp(model=model).fit(sig),
        "window": lambda: rpt.Window(width=20, model=model).fit(sig),
        "dynp": lambda: rpt.Dynp(model="l2", jump=10).fit(sig[:120]),
        "kernel": lambda: rpt.KernelCPD(kernel=rng.choice(["linear", "rbf"])).fit(sig),
    }
    _each(out, rng, ests, 5)


@family
def gen_pyts(out: Path, rng: random.Random) -> None:
    from pyts import approximation, classification, preprocessing, transformation

    nr = _nrng(rng)
    n, t = rng.randint(20, 40), rng.choice([32, 48, 64])
    x = nr.normal(size=(n, t)).cumsum(axis=1)
    y = nr.integers(0, 2, n)
    ests: dict[str, Callable[[], Any]] = {
        "paa": lambda: approximation.PiecewiseAggregateApproximation(window_size=4).fit(x),
        "sax": lambda: approximation.SymbolicAggregateApproximation(n_bins=4).fit(x),
        "sfa": lambda: approximation.SymbolicFourierApproximation(n_coefs=4).fit(x, y),
        "boss_t": lambda: transformation.BOSS(word_size=2, n_bins=2, window_size=8).fit(x, y),
        "weasel": lambda: transformation.WEASEL(word_size=2, window_sizes=[12, 16]).fit(x, y),
        "rocket": lambda: transformation.ROCKET(n_kernels=rng.randint(20, 60)).fit(x),
        "knn": lambda: classification.KNeighborsClassifier(n_neighbors=3).fit(x, y),
        "saxvsm": lambda: classification.SAXVSM(window_size=8, word_size=3).fit(x, y),
        "bossvs": lambda: classification.BOSSVS(word_size=2, window_size=8).fit(x, y),
        "scaler": lambda: preprocessing.StandardScaler().fit(x),
    }
    _each(out, rng, ests, 8)


@family
def gen_cleanlab(out: Path, rng: random.Random) -> None:
    from cleanlab.classification import CleanLearning
    from sklearn.linear_model import LogisticRegression

    x, y = _clf_data(rng, 80, 200)

    def cl() -> None:
        c = CleanLearning(LogisticRegression(), cv_n_folds=rng.choice([2, 3])).fit(x, y)
        _save(c, out, "clean_learning", rng, 0.6)
        _save(c.get_label_issues(), out, "label_issues", rng, 0.3)

    _try(out, "cl", cl)


@family
def gen_nevergrad(out: Path, rng: random.Random) -> None:
    import nevergrad as ng

    def objective(v: Any) -> float:
        return float(np.sum((np.asarray(v) - 0.5) ** 2))

    for name in rng.sample(["NGOpt", "OnePlusOne", "CMA", "DE", "TwoPointsDE", "PSO"], 3):

        def one(name: str = name) -> None:
            param = rng.choice(
                [
                    ng.p.Array(shape=(rng.randint(2, 5),)),
                    ng.p.Instrumentation(ng.p.Scalar(lower=0, upper=1), ng.p.Choice(["a", "b"])),
                    ng.p.Dict(
                        lr=ng.p.Log(lower=1e-4, upper=1.0),
                        n=ng.p.Scalar().set_integer_casting(),
                    ),
                ]
            )
            opt = ng.optimizers.registry[name](parametrization=param, budget=30)
            for _ in range(rng.randint(3, 10)):
                cand = opt.ask()
                opt.tell(cand, float(rng.random()))
            _save(opt, out, f"opt_{name}", rng)
            _save(param, out, f"param_{name}", rng, 0.2)

        _try(out, name, one)


@family
def gen_model2vec(out: Path, rng: random.Random) -> None:
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, pre_tokenizers

    nr = _nrng(rng)
    words = ["[PAD]", "[UNK]"] + [f"w{i}" for i in range(rng.randint(20, 80))]
    vocab = {w: i for i, w in enumerate(words)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    for i in range(2):

        def one(i: int = i) -> None:
            emb = nr.normal(size=(len(words), rng.choice([8, 16, 32]))).astype(np.float32)
            m = StaticModel(vectors=emb, tokenizer=tok, normalize=bool(i))
            m.save_pretrained(str(out / f"static_{i}"))
            _save(m, out, f"static_{i}_pickle", rng, 0.3)

        _try(out, f"m{i}", one)


@family
def gen_glum(out: Path, rng: random.Random) -> None:
    from glum import GeneralizedLinearRegressor as G
    from glum import GeneralizedLinearRegressorCV

    x, y = _clf_data(rng)
    ests: dict[str, Callable[[], Any]] = {
        "glm_binomial": lambda: G(family="binomial", alpha=0.1).fit(x, y),
        "glm_poisson": lambda: G(family="poisson", l1_ratio=0.5, alpha=0.05).fit(x, y),
        "glm_gamma": lambda: G(family="gamma").fit(x, np.exp(x[:, 0])),
        "glm_tweedie": lambda: G(family="tweedie", alpha=0.1).fit(x, y + 0.1),
        "glm_cv": lambda: GeneralizedLinearRegressorCV(family="normal", n_alphas=5).fit(x, x[:, 1]),
    }
    _each(out, rng, ests, 4)


@family
def gen_implicit(out: Path, rng: random.Random) -> None:
    import scipy.sparse as sp
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender

    nr = _nrng(rng)
    u, i = rng.randint(20, 60), rng.randint(15, 40)
    m = sp.random(u, i, density=0.2, format="csr", random_state=nr.integers(1000), dtype=np.float32)
    f = rng.choice([4, 8, 16])
    ests: dict[str, Callable[[], Any]] = {
        "als": lambda: AlternatingLeastSquares(factors=f, iterations=2),
        "bpr": lambda: BayesianPersonalizedRanking(factors=f, iterations=2),
        "cosine": lambda: CosineRecommender(K=5),
        "bm25": lambda: BM25Recommender(K=5),
    }
    for name in rng.sample(sorted(ests), 3):

        def one(name: str = name) -> None:
            est = ests[name]()
            est.fit(m, show_progress=False)
            est.save(str(out / f"{name}.npz"))
            _save(est, out, name, rng)

        _try(out, name, one)


@family
def gen_pomegranate(out: Path, rng: random.Random) -> None:
    import torch
    from pomegranate.distributions import Categorical, Exponential, Normal
    from pomegranate.gmm import GeneralMixtureModel
    from pomegranate.hmm import DenseHMM

    nr = _nrng(rng)
    x = torch.tensor(nr.normal(size=(rng.randint(50, 120), 2)), dtype=torch.float32)

    def gmm() -> None:
        k = rng.randint(2, 3)
        m = GeneralMixtureModel([Normal() for _ in range(k)], max_iter=5).fit(x)
        torch.save(m, out / "gmm_whole.pt")
        torch.save(m.state_dict(), out / "gmm_state.pt")
        _save(m, out, "gmm", rng, 0.3)

    def hmm() -> None:
        m = DenseHMM([Normal(), Normal()], max_iter=3)
        m.fit(x.unsqueeze(0).repeat(3, 1, 1))
        torch.save(m, out / "hmm_whole.pt")
        torch.save(m.state_dict(), out / "hmm_state.pt")

    def dists() -> None:
        c = Categorical().fit(torch.tensor(nr.integers(0, 4, size=(40, 2))))
        e = Exponential().fit(x.abs())
        torch.save({"cat": c, "exp": e}, out / "dists.pt")

    for name, fn in [("gmm", gmm), ("hmm", hmm), ("dists", dists)]:
        _try(out, name, fn)


@family
def gen_tabnet(out: Path, rng: random.Random) -> None:
    from pytorch_tabnet.tab_model import TabNetClassifier, TabNetRegressor

    x, y = _clf_data(rng, 100, 200)
    x = x.astype(np.float32)

    def clf() -> None:
        m = TabNetClassifier(n_d=rng.choice([4, 8]), n_a=4, n_steps=rng.randint(1, 3), verbose=0)
        m.fit(x, y, max_epochs=2, batch_size=32, virtual_batch_size=16)
        m.save_model(str(out / "tabnet_clf"))
        _save(m, out, "tabnet_clf", rng, 0.2)

    def reg() -> None:
        m = TabNetRegressor(n_d=4, n_a=4, verbose=0)
        m.fit(x, x[:, :1], max_epochs=1, batch_size=32, virtual_batch_size=16)
        m.save_model(str(out / "tabnet_reg"))

    _try(out, "clf", clf)
    _try(out, "reg", reg)


@family
def gen_surprise(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from surprise import NMF, SVD, Dataset, KNNBasic, Reader, SlopeOne, SVDpp, dump

    nr = _nrng(rng)
    n = rng.randint(100, 300)
    df = pd.DataFrame(
        {"u": nr.integers(0, 20, n), "i": nr.integers(0, 15, n), "r": nr.integers(1, 6, n)}
    )
    data = Dataset.load_from_df(df, Reader(rating_scale=(1, 5)))
    train = data.build_full_trainset()
    algos: dict[str, Callable[[], Any]] = {
        "svd": lambda: SVD(n_factors=rng.choice([4, 8]), n_epochs=3),
        "svdpp": lambda: SVDpp(n_factors=4, n_epochs=2),
        "nmf": lambda: NMF(n_factors=4, n_epochs=3),
        "knn": lambda: KNNBasic(k=5, sim_options={"name": rng.choice(["cosine", "msd"])}),
        "slope_one": lambda: SlopeOne(),
    }
    for name in rng.sample(sorted(algos), 4):

        def one(name: str = name) -> None:
            algo = algos[name]()
            algo.fit(train)
            preds = algo.test(train.build_testset()[:20])
            dump.dump(str(out / f"{name}.dump"), predictions=preds, algo=algo)
            _save(algo, out, name, rng, 0.3)

        _try(out, name, one)


@family
def gen_arviz(out: Path, rng: random.Random) -> None:
    import arviz as az

    nr = _nrng(rng)
    c, d = rng.randint(2, 4), rng.randint(50, 200)
    idata = az.from_dict(
        posterior={"mu": nr.normal(size=(c, d)), "tau": nr.random(size=(c, d, 2))},
        sample_stats={"diverging": nr.random(size=(c, d)) < 0.01},
        observed_data={"y": nr.normal(size=10)},
    )

    def nc() -> None:
        idata.to_netcdf(str(out / "idata.nc"))

    def pk() -> None:
        _save(idata, out, "idata", rng, 0.3)
        _save(az.summary(idata), out, "summary", rng, 0.2)

    _try(out, "nc", nc)
    _try(out, "pk", pk)


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
