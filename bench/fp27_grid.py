"""Round-27 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp27_grid.py OUT [--seed N] [--check TREE] [FAMILY...]`` writes
``OUT/<family>/<artifact>`` (a file or a saved folder) for library families no earlier sweep
(fp12-fp26, ``bench/ecosystem``, ``bench/fpfinal``) held; each family's docstring says what it
saves. Pickles at a drawn protocol 2-5, joblib with a drawn compressor, ``torch.save`` at a
drawn protocol (sometimes legacy), and the libraries' own savers.

Needs a side venv holding those libraries (``/tmp/fp27/venv``: a ``.pth`` onto the shared
venv's site-packages, the extra packages installed with the shared venv's ``pip freeze`` as
constraints so torch stays 2.13.0+cpu). ``--seed`` changes data, sizes, hyper-parameters and
the draw of options, so a held-out grid is one more run. ``--check TREE`` then judges every
artifact with ``TREE/src`` through ``bench/fp13_check.py``.
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

os.environ.setdefault("NUMBA_CACHE_DIR", "/tmp/fp27/numba")

import numpy as np
from fp13_gen import _try
from fp23_grid import main_with_check
from fp24_grid import _clf_data, _each, _nrng, _save
from fp25_grid import _tsave
from fp26_grid import _pick

warnings.filterwarnings("ignore")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _reg_data(rng: random.Random, n_lo: int = 60, n_hi: int = 200) -> tuple[Any, Any]:
    x, _ = _clf_data(rng, n_lo, n_hi)
    return x, x[:, 0] * 2.0 - x[:, 1] + _nrng(rng).normal(size=len(x)) * 0.3


@family
def gen_ngboost(out: Path, rng: random.Random) -> None:
    """NGBoost regressors/classifiers over several distributions and scores (pickle/joblib)."""
    from ngboost import NGBClassifier, NGBRegressor, NGBSurvival, distns, scores
    from sklearn.tree import DecisionTreeRegressor

    x, y = _clf_data(rng)
    xr, yr = _reg_data(rng)
    n_est = rng.randint(5, 20)
    base = lambda: DecisionTreeRegressor(max_depth=rng.randint(2, 4))  # noqa: E731
    mk: dict[str, Callable[[], Any]] = {
        "reg_normal": lambda: NGBRegressor(Dist=distns.Normal, n_estimators=n_est,
                                           verbose=False).fit(xr, yr),
        "reg_laplace_crps": lambda: NGBRegressor(Dist=distns.Laplace, Score=scores.CRPScore,
                                                 n_estimators=n_est, verbose=False).fit(xr, yr),
        "reg_lognormal": lambda: NGBRegressor(Dist=distns.LogNormal, n_estimators=n_est,
                                              Base=base(), verbose=False).fit(xr, np.exp(yr / 4)),
        "reg_t": lambda: NGBRegressor(Dist=distns.T, n_estimators=n_est, verbose=False).fit(
            xr, yr),
        "clf_bernoulli": lambda: NGBClassifier(Dist=distns.Bernoulli, n_estimators=n_est,
                                               verbose=False).fit(x, y),
        "clf_k3": lambda: NGBClassifier(Dist=distns.k_categorical(3), n_estimators=n_est,
                                        verbose=False).fit(x, (x[:, 1] > 0) + y),
        "surv_exp": lambda: NGBSurvival(Dist=distns.Exponential, n_estimators=n_est,
                                        verbose=False).fit(xr, np.exp(yr / 4),
                                                           (yr > 0).astype(int)),
        "reg_poisson": lambda: NGBRegressor(Dist=distns.Poisson, n_estimators=n_est,
                                            verbose=False).fit(xr, np.round(np.exp(yr / 4))),
    }
    _each(out, rng, mk, 5)


@family
def gen_bayes_opt(out: Path, rng: random.Random) -> None:
    """bayesian-optimization optimizers used by suggest/register (no target function kept),
    with a drawn acquisition; pickled, and the ``save_state`` JSON."""
    from bayes_opt import BayesianOptimization, acquisition

    nr = _nrng(rng)
    acq = {
        "ucb": lambda: acquisition.UpperConfidenceBound(kappa=rng.uniform(1, 3)),
        "ei": lambda: acquisition.ExpectedImprovement(xi=0.01),
        "poi": lambda: acquisition.ProbabilityOfImprovement(xi=0.01),
        "gphedge": lambda: acquisition.GPHedge([acquisition.UpperConfidenceBound(),
                                                acquisition.ExpectedImprovement(xi=0.0)]),
    }
    for name in _pick(rng, sorted(acq), 3):

        def one(name: str = name) -> None:
            opt = BayesianOptimization(
                f=None, pbounds={"x": (-2, 2), "y": (-3, 3)}, acquisition_function=acq[name](),
                random_state=rng.randrange(100), verbose=0, allow_duplicate_points=True,
            )
            for _ in range(rng.randint(4, 8)):
                p = opt.suggest()
                opt.register(params=p, target=-p["x"] ** 2 - (p["y"] - 1) ** 2
                             + float(nr.normal() * 0.01))
            _save(opt, out, name, rng)
            if hasattr(opt, "save_state") and rng.random() < 0.5:
                opt.save_state(out / f"{name}_state.json")

        _try(out, name, one)


@family
def gen_pymoo(out: Path, rng: random.Random) -> None:
    """pymoo ``minimize`` results and the algorithms after a run, on built-in problems
    (pickled: pymoo's checkpoint recipe)."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.algorithms.moo.nsga3 import NSGA3
    from pymoo.algorithms.soo.nonconvex.de import DE
    from pymoo.algorithms.soo.nonconvex.ga import GA
    from pymoo.algorithms.soo.nonconvex.pso import PSO
    from pymoo.optimize import minimize
    from pymoo.problems import get_problem
    from pymoo.util.ref_dirs import get_reference_directions

    pop = rng.randint(8, 20)
    mk: dict[str, Callable[[], tuple[Any, Any]]] = {
        "nsga2_zdt1": lambda: (NSGA2(pop_size=pop), get_problem("zdt1", n_var=5)),
        "nsga3_dtlz2": lambda: (
            NSGA3(ref_dirs=get_reference_directions("das-dennis", 3, n_partitions=3)),
            get_problem("dtlz2"),
        ),
        "ga_rastrigin": lambda: (GA(pop_size=pop), get_problem("rastrigin", n_var=4)),
        "de_ackley": lambda: (DE(pop_size=pop), get_problem("ackley", n_var=3)),
        "pso_sphere": lambda: (PSO(pop_size=pop), get_problem("sphere", n_var=3)),
    }
    for name in _pick(rng, sorted(mk), 4):

        def one(name: str = name) -> None:
            algo, prob = mk[name]()
            res = minimize(prob, algo, ("n_gen", rng.randint(2, 5)), seed=rng.randrange(100),
                           verbose=False, copy_algorithm=False)
            if rng.random() < 0.5:
                _save(res, out, f"{name}_result", rng)
            else:
                _save(algo, out, f"{name}_algorithm", rng)

        _try(out, name, one)


@family
def gen_deap(out: Path, rng: random.Random) -> None:
    """DEAP's documented checkpoint: a pickled dict of population, generation, hall of fame,
    logbook and ``random.getstate()`` (creator classes made before the save, as a user does)."""
    from deap import algorithms, base, creator, tools

    if not hasattr(creator, "FitnessMax"):
        creator.create("FitnessMax", base.Fitness, weights=(1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMax)
        creator.create("FitnessMulti", base.Fitness, weights=(-1.0, 1.0))
        creator.create("IndividualMO", list, fitness=creator.FitnessMulti)
    n = rng.randint(6, 12)

    def toolbox(multi: bool) -> Any:
        tb = base.Toolbox()
        tb.register("attr", random.random)
        ind = creator.IndividualMO if multi else creator.Individual
        tb.register("individual", tools.initRepeat, ind, tb.attr, n)
        tb.register("population", tools.initRepeat, list, tb.individual)
        tb.register("evaluate", (lambda i: (sum(i), max(i))) if multi else (lambda i: (sum(i),)))
        tb.register("mate", tools.cxTwoPoint)
        tb.register("mutate", tools.mutGaussian, mu=0, sigma=0.2, indpb=0.2)
        tb.register("select", tools.selNSGA2 if multi else tools.selTournament,
                    **({} if multi else {"tournsize": 3}))
        return tb

    def run(multi: bool, i: int) -> None:
        random.seed(rng.randrange(1000))
        tb = toolbox(multi)
        popn = tb.population(n=rng.randint(10, 20))
        hof = tools.ParetoFront() if multi else tools.HallOfFame(rng.randint(1, 4))
        stats = tools.Statistics(lambda ind: ind.fitness.values)
        stats.register("avg", np.mean)
        stats.register("max", np.max)
        popn, log = algorithms.eaSimple(popn, tb, cxpb=0.5, mutpb=0.2, ngen=rng.randint(2, 5),
                                        stats=stats if rng.random() < 0.5 else None,
                                        halloffame=hof, verbose=False)
        cp = {"population": popn, "generation": 3, "halloffame": hof, "logbook": log,
              "rndstate": random.getstate()}
        _save(cp, out, f"checkpoint_{'mo' if multi else 'so'}_{i}", rng, 0.0)

    for i in range(2):
        _try(out, f"so_{i}", lambda i=i: run(False, i))
    _try(out, "mo", lambda: run(True, 0))


@family
def gen_lmfit(out: Path, rng: random.Random) -> None:
    """lmfit built-in models' fit results (``save_modelresult``, ``ModelResult.dumps``),
    composite models (``save_model``), ``Parameters.dump`` and pickles of parameters and
    minimizer results."""
    from lmfit import Parameters, minimize, models
    from lmfit.model import save_model, save_modelresult

    nr = _nrng(rng)
    x = np.linspace(-5, 5, rng.randint(50, 120))
    y = 3 * np.exp(-((x - 0.5) ** 2) / 2) + 0.2 * x + nr.normal(size=len(x)) * 0.05
    kinds = {
        "gauss_line": lambda: models.GaussianModel(prefix="g_") + models.LinearModel(prefix="l_"),
        "lorentz": lambda: models.LorentzianModel(),
        "voigt": lambda: models.VoigtModel(),
        "poly": lambda: models.PolynomialModel(degree=rng.randint(2, 4)),
        "exp_const": lambda: models.ExponentialModel() + models.ConstantModel(),
        "skewed": lambda: models.SkewedGaussianModel(),
    }
    for name in _pick(rng, sorted(kinds), 4):

        def one(name: str = name) -> None:
            m = kinds[name]()
            pars = m.make_params()
            for p in pars.values():
                if p.value is None or not np.isfinite(p.value):
                    p.set(value=1.0)
            for k in pars:
                if k.endswith("sigma") or k.endswith("amplitude") or k.endswith("gamma"):
                    pars[k].set(value=1.0, min=1e-3)
            res = m.fit(y, pars, x=x)
            r = rng.random()
            if r < 0.4:
                save_modelresult(res, str(out / f"{name}.modelresult.sav"))
            elif r < 0.6:
                save_model(m, str(out / f"{name}.model.sav"))
            elif r < 0.8:
                (out / f"{name}.result.json").write_text(res.dumps())
            else:
                _save(res.params, out, f"{name}_params", rng, 0.0)

        _try(out, name, one)

    def mini() -> None:
        p = Parameters()
        p.add("a", value=1.0, min=0)
        p.add("b", value=0.0)
        p.add("c", expr="a * 2")
        res = minimize(lambda pp: pp["a"] * x + pp["b"] - y, p)
        _save(res.params, out, "minimize_params", rng, 0.0)
        with open(out / "params.json", "w") as fh:
            p.dump(fh)

    _try(out, "minimize", mini)


@family
def gen_filterpy(out: Path, rng: random.Random) -> None:
    """filterpy Kalman/g-h/H-infinity/least-squares filters after updates, sigma points, and
    fixed-lag smoothers (pickle/joblib)."""
    from filterpy.common import Q_discrete_white_noise
    from filterpy.gh import GHFilter, GHKFilter
    from filterpy.hinfinity import HInfinityFilter
    from filterpy.kalman import (
        FadingKalmanFilter,
        FixedLagSmoother,
        InformationFilter,
        JulierSigmaPoints,
        KalmanFilter,
        MerweScaledSigmaPoints,
        SquareRootKalmanFilter,
    )
    from filterpy.leastsq import LeastSquaresFilter

    nr = _nrng(rng)
    zs = np.cumsum(nr.normal(size=rng.randint(10, 30)))

    def kf(cls: Any) -> Any:
        f = cls(dim_x=2, dim_z=1) if cls is not FadingKalmanFilter else cls(
            alpha=1.01, dim_x=2, dim_z=1)
        f.x = np.array([0.0, 0.0]) if cls is not FadingKalmanFilter else np.array([[0.0], [0.0]])
        f.F = np.array([[1.0, 1.0], [0.0, 1.0]])
        f.H = np.array([[1.0, 0.0]])
        if cls is InformationFilter:
            f.R_inv = np.eye(1)
        else:
            f.R = np.eye(1) * rng.uniform(0.5, 2)
            f.Q = Q_discrete_white_noise(2, 1.0, 0.1) + np.eye(2) * 1e-3
        for z in zs:
            f.predict()
            f.update(np.array([z]))
        return f

    def smoother() -> Any:
        s = FixedLagSmoother(dim_x=2, dim_z=1, N=rng.randint(3, 6))
        s.x = np.array([[0.0], [0.0]])
        s.F = np.array([[1.0, 1.0], [0.0, 1.0]])
        s.H = np.array([[1.0, 0.0]])
        for z in zs:
            s.smooth(z)
        return s

    def gh(k: bool) -> Any:
        f = GHKFilter(0.0, 0.0, 0.0, 1.0, 0.2, 0.1, 0.01) if k else GHFilter(0.0, 0.0, 1.0, 0.2,
                                                                              0.1)
        for z in zs:
            f.update(z)
        return f

    def hinf() -> Any:
        f = HInfinityFilter(2, 1, 0, gamma=0.01)
        f.F = np.array([[1.0, 1.0], [0.0, 1.0]])
        f.H = np.array([[1.0, 0.0]])
        f.P = np.eye(2) * 0.01
        f.W = np.eye(2) * 0.0003
        f.V = 0.01
        for z in zs:
            f.update(z)
            f.predict()
        return f

    def lsq() -> Any:
        f = LeastSquaresFilter(dt=1.0, order=rng.randint(0, 2))
        for z in zs:
            f.update(z)
        return f

    mk: dict[str, Callable[[], Any]] = {
        "kalman": lambda: kf(KalmanFilter),
        "fading": lambda: kf(FadingKalmanFilter),
        "information": lambda: kf(InformationFilter),
        "sqrt_kalman": lambda: kf(SquareRootKalmanFilter),
        "merwe_points": lambda: MerweScaledSigmaPoints(2, alpha=0.1, beta=2.0, kappa=1.0),
        "julier_points": lambda: JulierSigmaPoints(2, kappa=rng.uniform(0, 2)),
        "fixed_lag": smoother,
        "gh": lambda: gh(False),
        "ghk": lambda: gh(True),
        "hinfinity": hinf,
        "leastsq": lsq,
    }
    _each(out, rng, mk, 7)


@family
def gen_lime(out: Path, rng: random.Random) -> None:
    """LIME tabular/text explainers; its default kernel is a closure pickle refuses, so the
    save is ``dill`` (what users reach for), and a plain pickle when a drawn kernel width keeps
    the discretizers only."""
    import dill
    from lime.lime_tabular import LimeTabularExplainer
    from lime.lime_text import LimeTextExplainer

    x, y = _clf_data(rng)
    mk: dict[str, Callable[[], Any]] = {
        "tabular_quartile": lambda: LimeTabularExplainer(
            x, mode="classification", training_labels=y, discretizer="quartile",
            random_state=rng.randrange(100)),
        "tabular_entropy": lambda: LimeTabularExplainer(
            x, mode="classification", training_labels=y, discretizer="entropy"),
        "tabular_reg": lambda: LimeTabularExplainer(x, mode="regression",
                                                    discretize_continuous=False),
        "text": lambda: LimeTextExplainer(class_names=["neg", "pos"]),
    }
    for name in _pick(rng, sorted(mk), 3):

        def one(name: str = name) -> None:
            e = mk[name]()
            try:
                _save(e, out, name, rng, 0.0)
            except Exception:
                (out / f"{name}.dill").write_bytes(dill.dumps(e, protocol=rng.choice([3, 4])))
            if getattr(e, "discretizer", None) is not None:
                _save(e.discretizer, out, f"{name}_discretizer", rng, 0.3)

        _try(out, name, one)


@family
def gen_crepes(out: Path, rng: random.Random) -> None:
    """crepes conformal predictors: WrapClassifier/WrapRegressor around sklearn learners,
    standalone conformal regressors/classifiers/predictive systems, DifficultyEstimator,
    MondrianCategorizer (pickle/joblib)."""
    from crepes import (
        ConformalClassifier,
        ConformalPredictiveSystem,
        ConformalRegressor,
        WrapClassifier,
        WrapRegressor,
    )
    from crepes.extras import DifficultyEstimator, MondrianCategorizer, hinge
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    x, y = _clf_data(rng, 120, 240)
    xr, yr = _reg_data(rng, 120, 240)
    h = len(x) // 2
    hr = len(xr) // 2

    def wrap_clf() -> Any:
        w = WrapClassifier(RandomForestClassifier(n_estimators=5, max_depth=3))
        w.fit(x[:h], y[:h])
        w.calibrate(x[h:], y[h:], class_cond=rng.random() < 0.5)
        return w

    def wrap_reg(norm: bool) -> Any:
        w = WrapRegressor(RandomForestRegressor(n_estimators=5, max_depth=3))
        w.fit(xr[:hr], yr[:hr])
        de = DifficultyEstimator().fit(xr[:hr], y=yr[:hr], scaler=True) if norm else None
        w.calibrate(xr[hr:], yr[hr:], de=de, cps=rng.random() < 0.5)
        return w

    def mondrian() -> Any:
        rf = RandomForestRegressor(n_estimators=5, max_depth=3).fit(xr[:hr], yr[:hr])
        return MondrianCategorizer().fit(xr[hr:], learner=rf, no_bins=rng.randint(2, 5))

    resid = _nrng(rng).normal(size=50)
    probs = _nrng(rng).dirichlet([1, 1], size=50)
    mk: dict[str, Callable[[], Any]] = {
        "wrap_clf": wrap_clf,
        "wrap_reg": lambda: wrap_reg(False),
        "wrap_reg_norm": lambda: wrap_reg(True),
        "conformal_regressor": lambda: ConformalRegressor().fit(resid),
        "conformal_cps": lambda: ConformalPredictiveSystem().fit(resid),
        "conformal_classifier": lambda: ConformalClassifier().fit(
            hinge(probs, np.array([0, 1]), (probs[:, 1] > 0.5).astype(int))),
        "difficulty_knn": lambda: DifficultyEstimator().fit(xr, k=rng.randint(3, 10)),
        "mondrian": mondrian,
    }
    _each(out, rng, mk, 6)


@family
def gen_widedeep(out: Path, rng: random.Random) -> None:
    """pytorch-widedeep: WideDeep models (TabMlp, TabResnet, TabTransformer, FTTransformer,
    SAINT, TabNet components) trained one epoch, saved by ``Trainer.save`` (folder), whole by
    ``torch.save`` and as state dicts; the Tab/Wide preprocessors pickled as its docs do."""
    import pandas as pd
    from fp25_grid import _torchvision_shim

    _torchvision_shim()
    import torch
    from pytorch_widedeep import Trainer
    from pytorch_widedeep.models import (
        SAINT,
        FTTransformer,
        TabMlp,
        TabResnet,
        TabTransformer,
        Wide,
        WideDeep,
    )
    from pytorch_widedeep.preprocessing import TabPreprocessor, WidePreprocessor

    nr = _nrng(rng)
    n = rng.randint(80, 160)
    df = pd.DataFrame({
        "c1": nr.choice(["a", "b", "c"], n), "c2": nr.choice(["x", "y"], n),
        "n1": nr.normal(size=n), "n2": nr.normal(size=n),
    })
    target = (df["n1"] + (df["c1"] == "a") > 0).astype(int).to_numpy()
    wide_pre = WidePreprocessor(wide_cols=["c1", "c2"], crossed_cols=[("c1", "c2")])
    xw = wide_pre.fit_transform(df)
    attn = {"tabtransformer", "fttransformer", "saint"}

    def deep(name: str) -> tuple[Any, Any]:
        tp = TabPreprocessor(cat_embed_cols=["c1", "c2"], continuous_cols=["n1", "n2"],
                             with_attention=name in attn)
        xt = tp.fit_transform(df)
        kw: dict[str, Any] = {"column_idx": tp.column_idx, "continuous_cols": ["n1", "n2"]}
        if name in attn:
            kw["cat_embed_input"] = tp.cat_embed_input
            kw["input_dim"] = 8
            kw["n_blocks"] = 1
            kw["n_heads"] = 2
        else:
            kw["cat_embed_input"] = tp.cat_embed_input
        cls = {"tabmlp": TabMlp, "tabresnet": TabResnet, "tabtransformer": TabTransformer,
               "fttransformer": FTTransformer, "saint": SAINT}[name]
        if name == "tabmlp":
            kw["mlp_hidden_dims"] = [16, 8]
        if name == "tabresnet":
            kw["blocks_dims"] = [16, 8]
        return cls(**kw), (tp, xt)

    for name in _pick(rng, ["tabmlp", "tabresnet", "tabtransformer", "fttransformer", "saint"],
                      3):

        def one(name: str = name) -> None:
            d, (tp, xt) = deep(name)
            use_wide = rng.random() < 0.6
            wide = Wide(input_dim=int(xw.max()), pred_dim=1) if use_wide else None
            m = WideDeep(wide=wide, deeptabular=d)
            tr = Trainer(m, objective="binary", verbose=0)
            tr.fit(X_wide=xw if use_wide else None, X_tab=xt, target=target, n_epochs=1,
                   batch_size=32)
            r = rng.random()
            if r < 0.4:
                tr.save(path=str(out / f"{name}_trainer"), save_state_dict=rng.random() < 0.5)
            elif r < 0.7:
                _tsave(m, out, f"{name}_whole", rng)
            else:
                torch.save(m.state_dict(), out / f"{name}_sd.pt")
            _save(tp, out, f"{name}_tab_preprocessor", rng, 0.3)

        _try(out, name, one)
    _try(out, "wide_pre", lambda: _save(wide_pre, out, "wide_preprocessor", rng, 0.3))


@family
def gen_botorch(out: Path, rng: random.Random) -> None:
    """BoTorch GP surrogates (SingleTaskGP, MultiTaskGP, model lists, fixed-noise,
    mixed) fitted by ``fit_gpytorch_mll``: ``torch.save`` whole and state dicts, plus
    acquisition functions."""
    import torch
    from botorch.acquisition import LogExpectedImprovement, UpperConfidenceBound
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import ModelListGP, MultiTaskGP, SingleTaskGP
    from botorch.models.transforms import Normalize, Standardize
    from gpytorch.mlls import ExactMarginalLogLikelihood

    torch.manual_seed(rng.randrange(1000))
    n, d = rng.randint(8, 20), rng.randint(2, 3)
    tx = torch.rand(n, d, dtype=torch.float64)
    ty = (tx.sin().sum(-1, keepdim=True) + 0.05 * torch.randn(n, 1, dtype=torch.float64))

    def stgp(noise: bool) -> Any:
        m = SingleTaskGP(tx, ty, train_Yvar=torch.full_like(ty, 0.01) if noise else None,
                         input_transform=Normalize(d=d), outcome_transform=Standardize(m=1))
        fit_gpytorch_mll(ExactMarginalLogLikelihood(m.likelihood, m))
        return m

    def mtgp() -> Any:
        task = torch.randint(0, 2, (n, 1)).to(tx)
        m = MultiTaskGP(torch.cat([tx, task], -1), ty, task_feature=-1)
        fit_gpytorch_mll(ExactMarginalLogLikelihood(m.likelihood, m))
        return m

    mk: dict[str, Callable[[], Any]] = {
        "single_task": lambda: stgp(False),
        "fixed_noise": lambda: stgp(True),
        "multi_task": mtgp,
        "model_list": lambda: ModelListGP(stgp(False), stgp(True)),
        "ucb": lambda: UpperConfidenceBound(stgp(False), beta=rng.uniform(0.1, 2)),
        "log_ei": lambda: LogExpectedImprovement(stgp(False), best_f=ty.max()),
    }
    for name in _pick(rng, sorted(mk), 4):

        def one(name: str = name) -> None:
            m = mk[name]()
            if rng.random() < 0.5:
                _tsave(m, out, name, rng)
            else:
                torch.save({"state_dict": m.state_dict(), "train_x": tx, "train_y": ty},
                           out / f"{name}_ckpt.pt")

        _try(out, name, one)


@family
def gen_pwlf(out: Path, rng: random.Random) -> None:
    """pwlf piecewise-linear fits (``fit`` by differential evolution, ``fit_with_breaks``,
    degree 0-2, weighted), pickled."""
    import pwlf

    nr = _nrng(rng)
    x = np.sort(nr.uniform(0, 10, rng.randint(40, 100)))
    y = np.where(x < 4, x, 4 + 0.2 * (x - 4)) + nr.normal(size=len(x)) * 0.1

    def fitted(kind: str) -> Any:
        deg = rng.choice([0, 1, 2]) if kind != "weighted" else 1
        m = pwlf.PiecewiseLinFit(x, y, degree=deg, weights=np.ones_like(x) if kind == "weighted"
                                 else None, seed=rng.randrange(100))
        if kind == "breaks":
            m.fit_with_breaks([0.0, 4.0, 10.0])
        else:
            m.fit(rng.randint(2, 3), maxiter=20, popsize=4)
        return m

    mk: dict[str, Callable[[], Any]] = {k: (lambda k=k: fitted(k))
                                        for k in ("de", "breaks", "weighted")}
    _each(out, rng, mk, 3)


@family
def gen_dynesty(out: Path, rng: random.Random) -> None:
    """dynesty nested-sampling ``Results`` (static and dynamic samplers), pickled as users
    keep them; the sampler itself holds the user's likelihood function, so it is not saved."""
    import dynesty

    nd = rng.randint(2, 3)

    def run(dynamic: bool) -> Any:
        ll = _gauss_loglike
        pt = _unit_prior
        if dynamic:
            s = dynesty.DynamicNestedSampler(ll, pt, nd, rstate=_nrng(rng))
            s.run_nested(maxiter=rng.randint(200, 400), print_progress=False)
        else:
            s = dynesty.NestedSampler(ll, pt, nd, nlive=rng.randint(30, 60), rstate=_nrng(rng),
                                      bound=rng.choice(["single", "multi", "balls"]))
            s.run_nested(maxiter=rng.randint(200, 400), print_progress=False)
        return s.results

    mk: dict[str, Callable[[], Any]] = {"static": lambda: run(False),
                                        "dynamic": lambda: run(True)}
    _each(out, rng, mk, 2)


def _gauss_loglike(x: Any) -> float:
    return float(-0.5 * np.sum(x**2))


def _unit_prior(u: Any) -> Any:
    return 10.0 * u - 5.0


@family
def gen_sbi(out: Path, rng: random.Random) -> None:
    """sbi posteriors after a short training (NPE direct posteriors, NLE/NRE MCMC
    posteriors): pickled, as its docs save them, and the density estimators by ``torch.save``."""
    import torch
    from sbi.inference import NLE, NPE, NRE
    from sbi.utils import BoxUniform

    torch.manual_seed(rng.randrange(1000))
    d = rng.randint(2, 3)
    prior = BoxUniform(low=-2 * torch.ones(d), high=2 * torch.ones(d))
    theta = prior.sample((rng.randint(200, 400),))
    xs = theta + 0.1 * torch.randn_like(theta)
    mk: dict[str, Callable[[], Any]] = {
        "npe_maf": lambda: NPE(prior=prior, density_estimator="maf"),
        "npe_nsf": lambda: NPE(prior=prior, density_estimator="nsf"),
        "npe_mdn": lambda: NPE(prior=prior, density_estimator="mdn"),
        "nle": lambda: NLE(prior=prior),
        "nre": lambda: NRE(prior=prior),
    }
    for name in _pick(rng, sorted(mk), 3):

        def one(name: str = name) -> None:
            inf = mk[name]()
            est = inf.append_simulations(theta, xs).train(max_num_epochs=2,
                                                          show_train_summary=False)
            kw = {} if name.startswith("npe") else {"mcmc_method": "slice_np",
                                                    "mcmc_parameters": {"num_chains": 1}}
            post = inf.build_posterior(est, **kw)
            _save(post, out, f"{name}_posterior", rng, 0.0)
            if rng.random() < 0.5:
                _tsave(est, out, f"{name}_estimator", rng)

        _try(out, name, one)


@family
def gen_hummingbird(out: Path, rng: random.Random) -> None:
    """hummingbird-ml: sklearn trees/linear models/scalers compiled to PyTorch (``convert``),
    saved by its ``save`` (zip) and by ``torch.save`` of the container."""
    import hummingbird.ml as hb
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    x, y = _clf_data(rng)
    x = x.astype(np.float32)
    mk: dict[str, Callable[[], Any]] = {
        "rf": lambda: RandomForestClassifier(n_estimators=5, max_depth=3),
        "gbt": lambda: GradientBoostingClassifier(n_estimators=5, max_depth=2),
        "tree": lambda: DecisionTreeClassifier(max_depth=rng.randint(2, 5)),
        "logreg": lambda: LogisticRegression(),
        "scaled_logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression()),
    }
    for name in _pick(rng, sorted(mk), 4):

        def one(name: str = name) -> None:
            m = hb.convert(mk[name]().fit(x, y), "torch",
                           extra_config={"tree_implementation": rng.choice(["gemm", "tree_trav",
                                                                            "perf_tree_trav"])}
                           if name in ("rf", "gbt", "tree") else None)
            if rng.random() < 0.6:
                m.save(str(out / f"{name}_hb"))
            else:
                _tsave(m, out, name, rng)

        _try(out, name, one)


@family
def gen_trimap(out: Path, rng: random.Random) -> None:
    """TriMap embeddings fitted on small data (pickle/joblib)."""
    import trimap

    x, _ = _clf_data(rng, 80, 160)

    def one(i: int) -> Any:
        m = trimap.TRIMAP(n_dims=2, n_inliers=rng.randint(5, 10), n_outliers=3,
                          n_random=rng.randint(1, 3), n_iters=rng.randint(50, 120),
                          distance=rng.choice(["euclidean", "cosine", "manhattan"]))
        m.fit(x)
        return m

    _each(out, rng, {f"trimap_{i}": (lambda i=i: one(i)) for i in range(3)}, 2)


@family
def gen_tensorly(out: Path, rng: random.Random) -> None:
    """TensorLy decompositions (CP/Tucker/TT/PARAFAC2/NMF estimators and their CPTensor /
    TuckerTensor / TTTensor results), pickled."""
    import tensorly as tl
    from tensorly import decomposition as dec

    nr = _nrng(rng)
    t = tl.tensor(nr.random(size=(rng.randint(4, 7), rng.randint(4, 7), rng.randint(3, 5))))
    r = rng.randint(2, 3)
    mk: dict[str, Callable[[], Any]] = {
        "cp_est": lambda: _fitted_tl(dec.CP(rank=r, n_iter_max=20), t),
        "tucker_est": lambda: _fitted_tl(dec.Tucker(rank=[2, 2, 2], n_iter_max=20), t),
        "tt_est": lambda: _fitted_tl(dec.TensorTrain(rank=[1, 2, 2, 1]), t),
        "nn_cp_est": lambda: _fitted_tl(dec.CP_NN_HALS(rank=r, n_iter_max=20), t),
        "cp_tensor": lambda: dec.parafac(t, rank=r, n_iter_max=20),
        "tucker_tensor": lambda: dec.tucker(t, rank=[2, 2, 2], n_iter_max=20),
        "tt_tensor": lambda: dec.tensor_train(t, rank=[1, 2, 2, 1]),
        "parafac2": lambda: dec.parafac2([t[i] for i in range(t.shape[0])], rank=2,
                                         n_iter_max=10),
    }
    _each(out, rng, mk, 6)


def _fitted_tl(est: Any, t: Any) -> Any:
    est.fit_transform(t)
    return est


@family
def gen_igraph(out: Path, rng: random.Random) -> None:
    """python-igraph graphs with attributes (``Graph.write_pickle`` and plain pickles),
    community clusterings and layouts."""
    import igraph as ig

    n = rng.randint(15, 40)
    g = ig.Graph.Erdos_Renyi(n=n, p=rng.uniform(0.1, 0.3))
    g.vs["name"] = [f"v{i}" for i in range(n)]
    g.vs["weight"] = [float(i) for i in range(n)]
    g.es["w"] = [rng.random() for _ in range(g.ecount())]
    mk: dict[str, Callable[[], Any]] = {
        "graph": lambda: g,
        "tree": lambda: ig.Graph.Tree(rng.randint(10, 30), 2),
        "directed": lambda: ig.Graph.Barabasi(n, 2, directed=True),
        "clustering": lambda: g.community_multilevel() if not g.is_directed() else None,
        "layout": lambda: g.layout("fr"),
        "dendrogram": lambda: g.community_fastgreedy(),
    }
    for name in _pick(rng, sorted(mk), 5):

        def one(name: str = name) -> None:
            obj = mk[name]()
            if isinstance(obj, ig.Graph) and rng.random() < 0.5:
                obj.write_pickle(str(out / f"{name}.igraph.pkl"))
            else:
                _save(obj, out, name, rng)

        _try(out, name, one)


@family
def gen_zuko(out: Path, rng: random.Random) -> None:
    """zuko normalizing flows (MAF/NSF/NAF/NICE/RealNVP/GF/CNF/GMM) after a few training
    steps: ``torch.save`` whole and state dicts."""
    import torch
    import zuko

    torch.manual_seed(rng.randrange(1000))
    d, c = rng.randint(2, 3), rng.choice([0, 2])
    mk: dict[str, Callable[[], Any]] = {
        "maf": lambda: zuko.flows.MAF(d, c, transforms=2, hidden_features=[16]),
        "nsf": lambda: zuko.flows.NSF(d, c, transforms=2, hidden_features=[16]),
        "naf": lambda: zuko.flows.NAF(d, c, transforms=1, hidden_features=[16]),
        "realnvp": lambda: zuko.flows.RealNVP(d, c, transforms=2, hidden_features=[16]),
        "nice": lambda: zuko.flows.NICE(d, c, transforms=2, hidden_features=[16]),
        "gf": lambda: zuko.flows.GF(d, c, transforms=2),
        "cnf": lambda: zuko.flows.CNF(d, c, hidden_features=[16]),
        "gmm": lambda: zuko.flows.GMM(d, c, components=3),
    }
    for name in _pick(rng, sorted(mk), 5):

        def one(name: str = name) -> None:
            f = mk[name]()
            opt = torch.optim.Adam(f.parameters(), lr=1e-3)
            x = torch.randn(64, d)
            ctx = torch.randn(64, c) if c else None
            for _ in range(3):
                loss = -(f(ctx) if c else f()).log_prob(x).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
            if rng.random() < 0.5:
                _tsave(f, out, name, rng)
            else:
                torch.save({"model": f.state_dict(), "optimizer": opt.state_dict()},
                           out / f"{name}_ckpt.pt")

        _try(out, name, one)


@family
def gen_nflows(out: Path, rng: random.Random) -> None:
    """nflows flows built from its transforms (MAF, coupling, spline, permutations):
    ``torch.save`` whole and state dicts."""
    import torch
    from nflows import distributions, flows, transforms
    from nflows.nn.nets import ResidualNet

    torch.manual_seed(rng.randrange(1000))
    d = rng.randint(2, 4)

    def flow(kind: str) -> Any:
        ts: list[Any] = []
        for _ in range(rng.randint(1, 3)):
            if kind == "maf":
                ts.append(transforms.MaskedAffineAutoregressiveTransform(d, 16))
            elif kind == "spline":
                ts.append(transforms.MaskedPiecewiseRationalQuadraticAutoregressiveTransform(
                    d, 16, num_bins=4, tails="linear", tail_bound=3.0))
            else:
                ts.append(transforms.AffineCouplingTransform(
                    torch.arange(d) % 2,
                    lambda i, o: ResidualNet(i, o, hidden_features=16, num_blocks=1)))
            ts.append(rng.choice([transforms.ReversePermutation(d),
                                  transforms.RandomPermutation(d)]))
        return flows.Flow(transforms.CompositeTransform(ts), distributions.StandardNormal([d]))

    for name in ("maf", "spline", "coupling"):

        def one(name: str = name) -> None:
            f = flow(name)
            f.log_prob(torch.randn(8, d)).mean().backward()
            if rng.random() < 0.6:
                _tsave(f, out, name, rng)
            else:
                torch.save(f.state_dict(), out / f"{name}_sd.pt")

        _try(out, name, one)


@family
def gen_d3rlpy(out: Path, rng: random.Random) -> None:
    """d3rlpy offline-RL algorithms built on a small synthetic dataset, saved by ``save``
    (its ``.d3`` file), ``save_model`` (torch weights) and ``save_policy`` (TorchScript)."""
    import d3rlpy

    nr = _nrng(rng)
    n, od = rng.randint(100, 200), rng.randint(3, 5)
    obs = nr.normal(size=(n, od)).astype(np.float32)
    term = np.zeros(n)
    term[n // 2 - 1] = term[-1] = 1
    cont = nr.uniform(-1, 1, size=(n, 2)).astype(np.float32)
    disc = nr.integers(0, 3, size=n)
    rew = nr.normal(size=n).astype(np.float32)
    algos = {
        "cql": (d3rlpy.algos.CQLConfig, cont),
        "iql": (d3rlpy.algos.IQLConfig, cont),
        "td3bc": (d3rlpy.algos.TD3PlusBCConfig, cont),
        "bc": (d3rlpy.algos.BCConfig, cont),
        "sac": (d3rlpy.algos.SACConfig, cont),
        "dqn": (d3rlpy.algos.DQNConfig, disc),
        "discrete_cql": (d3rlpy.algos.DiscreteCQLConfig, disc),
    }
    for name in _pick(rng, sorted(algos), 3):

        def one(name: str = name) -> None:
            cfg, acts = algos[name]
            ds = d3rlpy.dataset.MDPDataset(obs, acts, rew, term)
            algo = cfg(batch_size=16).create(device="cpu:0")
            algo.fit(ds, n_steps=rng.randint(5, 20), n_steps_per_epoch=5, show_progress=False,
                     save_interval=10**6, logger_adapter=d3rlpy.logging.NoopAdapterFactory())
            r = rng.random()
            if r < 0.5:
                algo.save(str(out / f"{name}.d3"))
            elif r < 0.8:
                algo.save_model(str(out / f"{name}_model.pt"))
            else:
                algo.save_policy(str(out / f"{name}_policy.pt"))

        _try(out, name, one)


@family
def gen_sdv(out: Path, rng: random.Random) -> None:
    """SDV single-table synthesizers (GaussianCopula, CopulaGAN-free ones: TVAE skipped for
    time) fitted on a small table: ``synthesizer.save`` (cloudpickle) and the metadata JSON."""
    import pandas as pd
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    nr = _nrng(rng)
    n = rng.randint(60, 120)
    df = pd.DataFrame({"age": nr.integers(18, 80, n), "city": nr.choice(["a", "b", "c"], n),
                       "score": nr.normal(size=n)})
    md = Metadata.detect_from_dataframe(df)

    def one(i: int) -> None:
        s = GaussianCopulaSynthesizer(md, default_distribution=rng.choice(
            ["norm", "beta", "truncnorm", "uniform"]))
        s.fit(df)
        s.save(str(out / f"gaussian_copula_{i}.pkl"))

    for i in range(2):
        _try(out, f"gc_{i}", lambda i=i: one(i))
    _try(out, "metadata", lambda: md.save_to_json(str(out / "metadata.json")))


if __name__ == "__main__":
    _ = pickle, _tsave
    sys.exit(main_with_check(FAMILIES))
