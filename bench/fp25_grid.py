"""Round-25 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp25_grid.py OUT [--seed N] [--check TREE] [FAMILY...]`` writes
``OUT/<family>/<artifact>`` (a file or a saved folder) for library families no earlier sweep
(fp12-fp24, ``bench/ecosystem``, ``bench/fpfinal``) held: Boruta, MABWiser bandits, MiniSom,
gplearn symbolic estimators, PySINDy models, DoubleML models, FLAML ``AutoML``, EconML CATE
estimators, DoWhy gcm causal models, rank-bm25 indexes, bm25s retrievers (``save`` folders and
pickles), TextBlob classifiers, kornia augmentation/filter modules, segmentation-models-pytorch
models (``torch.save`` and ``save_pretrained``), x-transformers models, MONAI networks and
transforms, BERTopic (``save`` as pickle and safetensors), tbats/BATS models, PaCMAP, skrebate
feature selectors. (sklearn-pandas 2.2 does not import with scikit-learn 1.9: not built.)

Needs a side venv holding those libraries (``/tmp/fp25/venv``: a ``.pth`` onto the shared
venv's site-packages, the extra packages installed with the shared venv's ``pip freeze`` as
constraints so torch stays 2.13.0+cpu). ``--seed`` changes data, sizes, hyper-parameters and
the draw of options, so a held-out grid is one more run. ``--check TREE`` then judges every
artifact with ``TREE/src`` through ``bench/fp13_check.py`` and prints the denials.
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
from fp24_grid import _clf_data, _each, _nrng, _save

warnings.filterwarnings("ignore")
os.environ.setdefault("NUMBA_CACHE_DIR", "/tmp/fp25/numba")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _tsave(obj: object, out: Path, stem: str, rng: random.Random) -> None:
    """``torch.save`` at a drawn protocol (2-5), sometimes the legacy format."""
    import torch

    proto = rng.choice([2, 3, 4, 5])
    legacy = rng.random() < 0.2
    torch.save(
        obj, out / f"{stem}.p{proto}{'.legacy' if legacy else ''}.pt",
        pickle_protocol=proto, _use_new_zipfile_serialization=not legacy,
    )


def _torchvision_shim() -> None:
    """Import torchvision with its fake-kernel registrations skipped (fp22's way: its PyPI
    wheel's C ops do not load over the CPU torch; the saved objects never use them)."""
    import torch.library as lib

    orig = lib.register_fake
    lib.register_fake = lambda *a, **k: lambda f: f  # type: ignore[assignment]
    try:
        import torchvision  # noqa: F401
    finally:
        lib.register_fake = orig


@family
def gen_boruta(out: Path, rng: random.Random) -> None:
    from boruta import BorutaPy
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    x, y = _clf_data(rng, 80, 160)
    mk: dict[str, Callable[[], Any]] = {
        "boruta_rf": lambda: BorutaPy(
            RandomForestClassifier(n_estimators=20, max_depth=rng.randint(2, 5)),
            n_estimators="auto" if rng.random() < 0.5 else 20, max_iter=rng.randint(8, 15),
            random_state=rng.randrange(100),
        ).fit(x, y),
        "boruta_et": lambda: BorutaPy(
            ExtraTreesClassifier(n_estimators=15), max_iter=10, perc=rng.choice([90, 100])
        ).fit(x, y),
    }
    _each(out, rng, mk, 2)


@family
def gen_mabwiser(out: Path, rng: random.Random) -> None:
    from mabwiser.mab import MAB, LearningPolicy, NeighborhoodPolicy

    nr = _nrng(rng)
    n = rng.randint(40, 100)
    arms = ["a1", "a2", "a3"][: rng.randint(2, 3)]
    dec = list(nr.choice(arms, size=n))
    rew = list(nr.random(size=n))
    ctx = nr.normal(size=(n, 3))
    seed = rng.randrange(100)
    lp = {
        "eps": lambda: LearningPolicy.EpsilonGreedy(epsilon=rng.choice([0.1, 0.2])),
        "ucb": lambda: LearningPolicy.UCB1(alpha=1.0),
        "softmax": lambda: LearningPolicy.Softmax(tau=1.0),
        "random": lambda: LearningPolicy.Random(),
        "ts": lambda: LearningPolicy.ThompsonSampling(),
        "linucb": lambda: LearningPolicy.LinUCB(alpha=1.0),
        "lints": lambda: LearningPolicy.LinTS(alpha=1.0),
        "lingreedy": lambda: LearningPolicy.LinGreedy(epsilon=0.1),
    }

    def fit(kind: str, np_: Any = None) -> Any:
        policy = lp[kind]()
        m = MAB(arms, policy, neighborhood_policy=np_, seed=seed)
        contextual = kind.startswith("lin") or np_ is not None
        if kind == "ts":
            m.fit(dec, [int(r > 0.5) for r in rew])
        elif contextual:
            m.fit(dec, rew, ctx)
        else:
            m.fit(dec, rew)
        return m

    mk: dict[str, Callable[[], Any]] = {k: (lambda k=k: fit(k)) for k in lp}
    mk["knn_eps"] = lambda: fit("eps", NeighborhoodPolicy.KNearest(k=5))
    mk["radius_ucb"] = lambda: fit("ucb", NeighborhoodPolicy.Radius(radius=2))
    mk["clusters_eps"] = lambda: fit("eps", NeighborhoodPolicy.Clusters(n_clusters=2))
    mk["tree_eps"] = lambda: fit("eps", NeighborhoodPolicy.TreeBandit())
    _each(out, rng, mk, 8)


@family
def gen_minisom(out: Path, rng: random.Random) -> None:
    from minisom import MiniSom

    nr = _nrng(rng)
    data = nr.random(size=(rng.randint(50, 150), rng.randint(3, 6)))

    def one(i: int) -> None:
        s = rng.randint(3, 8)
        som = MiniSom(
            s, s, data.shape[1], sigma=rng.choice([0.5, 1.0, 1.5]),
            neighborhood_function=rng.choice(["gaussian", "mexican_hat", "bubble", "triangle"]),
            topology=rng.choice(["rectangular", "hexagonal"]),
            activation_distance=rng.choice(["euclidean", "cosine", "manhattan", "chebyshev"]),
            decay_function=rng.choice(
                ["inverse_decay_to_zero", "linear_decay_to_zero", "asymptotic_decay"]
            ),
            random_seed=rng.randrange(100),
        )
        som.train(data, rng.randint(50, 200))
        _save(som, out, f"som{i}", rng, 0.3)

    for i in range(3):
        _try(out, f"som{i}", lambda i=i: one(i))


@family
def gen_gplearn(out: Path, rng: random.Random) -> None:
    from gplearn.genetic import SymbolicClassifier, SymbolicRegressor, SymbolicTransformer

    x, y = _clf_data(rng, 60, 120)
    fs = rng.sample(["add", "sub", "mul", "div", "sqrt", "log", "abs", "neg", "max", "min",
                     "sin", "cos", "inv", "tan"], rng.randint(4, 8))
    kw = dict(population_size=rng.randint(50, 150), generations=rng.randint(2, 4),
              function_set=fs, random_state=rng.randrange(100))

    mk: dict[str, Callable[[], Any]] = {
        "sym_reg": lambda: SymbolicRegressor(**kw).fit(x, x[:, 0] * 2 + x[:, 1]),
        "sym_clf": lambda: SymbolicClassifier(**kw).fit(x, y),
        "sym_tr": lambda: SymbolicTransformer(n_components=3, hall_of_fame=10, **kw).fit(
            x, x[:, 0]
        ),
    }
    _each(out, rng, mk, 4)


@family
def gen_pysindy(out: Path, rng: random.Random) -> None:
    import pysindy as ps

    t = np.linspace(0, rng.uniform(2, 5), rng.randint(100, 300))
    x = np.stack([np.sin(t * rng.uniform(1, 3)), np.cos(t), np.sin(t) * np.cos(t)], axis=1)
    libs = {
        "poly": lambda: ps.PolynomialLibrary(degree=rng.randint(1, 3)),
        "fourier": lambda: ps.FourierLibrary(n_frequencies=rng.randint(1, 3)),
        "identity": lambda: ps.IdentityLibrary(),
    }
    opts = {
        "stlsq": lambda: ps.STLSQ(threshold=rng.choice([0.05, 0.1])),
        "sr3": lambda: ps.SR3(reg_weight_lam=0.1),
        "ssr": lambda: ps.SSR(),
        "frols": lambda: ps.FROLS(),
    }
    difs = {
        "fd": lambda: ps.FiniteDifference(order=rng.choice([1, 2])),
        "sfd": lambda: ps.SmoothedFiniteDifference(),
    }
    mk: dict[str, Callable[[], Any]] = {}
    for ln in libs:
        for on in opts:
            def m(ln: str = ln, on: str = on) -> Any:
                dn = rng.choice(sorted(difs))
                return ps.SINDy(
                    feature_library=libs[ln](), optimizer=opts[on](),
                    differentiation_method=difs[dn](),
                ).fit(x, t=t)

            mk[f"sindy_{ln}_{on}"] = m
    _each(out, rng, mk, 7)


@family
def gen_doubleml(out: Path, rng: random.Random) -> None:
    import doubleml as dml
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.linear_model import LassoCV, LogisticRegressionCV

    seed = rng.randrange(1000)
    n = rng.randint(100, 250)
    from doubleml.irm.datasets import make_irm_data
    from doubleml.plm.datasets import make_plr_CCDDHNR2018

    data = make_plr_CCDDHNR2018(n_obs=n, dim_x=rng.randint(4, 8), return_type="DataFrame")
    d_plr = dml.DoubleMLData(data, "y", "d")
    data_irm = make_irm_data(n_obs=n, dim_x=5, return_type="DataFrame")
    d_irm = dml.DoubleMLData(data_irm, "y", "d")

    def rf_r() -> Any:
        return RandomForestRegressor(
            n_estimators=10, max_depth=rng.randint(2, 4), random_state=seed
        )

    def rf_c() -> Any:
        return RandomForestClassifier(n_estimators=10, max_depth=3, random_state=seed)

    mk: dict[str, Callable[[], Any]] = {
        "plr_rf": lambda: dml.DoubleMLPLR(d_plr, rf_r(), rf_r(), n_folds=rng.choice([2, 3])).fit(
            store_models=rng.random() < 0.5
        ),
        "plr_lasso": lambda: dml.DoubleMLPLR(d_plr, LassoCV(cv=3), LassoCV(cv=3), n_folds=2).fit(),
        "irm": lambda: dml.DoubleMLIRM(
            d_irm, rf_r(), LogisticRegressionCV(cv=3), n_folds=2
        ).fit(),
        "irm_rf": lambda: dml.DoubleMLIRM(d_irm, rf_r(), rf_c(), n_folds=2, score="ATTE").fit(),
        "data": lambda: d_plr,
    }
    _each(out, rng, mk, 4)


@family
def gen_flaml(out: Path, rng: random.Random) -> None:
    from flaml import AutoML

    x, y = _clf_data(rng, 80, 160)
    ests = rng.sample(["lgbm", "rf", "extra_tree", "xgboost", "lrl1", "kneighbor"], 2)

    def fit(task: str) -> AutoML:
        a = AutoML()
        yy = y if task == "classification" else x[:, 0]
        a.fit(x, yy, task=task, time_budget=rng.choice([2, 3]), estimator_list=ests,
              verbose=0, seed=rng.randrange(100), log_file_name="")
        return a

    def clf() -> None:
        a = fit("classification")
        _save(a, out, "automl_clf", rng, 0.3)
        a.pickle(str(out / "automl_clf.flaml.pkl"))
        _save(a.model, out, "automl_clf_model", rng, 0.3)

    def reg() -> None:
        a = fit("regression")
        _save(a, out, "automl_reg", rng, 0.3)

    _try(out, "clf", clf)
    _try(out, "reg", reg)


@family
def gen_econml(out: Path, rng: random.Random) -> None:
    from econml.dml import CausalForestDML, LinearDML, SparseLinearDML
    from econml.dr import DRLearner
    from econml.metalearners import SLearner, TLearner, XLearner
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.linear_model import LassoCV, LogisticRegression

    nr = _nrng(rng)
    n = rng.randint(150, 300)
    xx = nr.normal(size=(n, rng.randint(2, 4)))
    w = nr.normal(size=(n, 2))
    t = (nr.random(size=n) < 0.5).astype(int)
    y = xx[:, 0] * t + w[:, 0] + nr.normal(size=n) * 0.1

    def rf() -> Any:
        return RandomForestRegressor(n_estimators=10, max_depth=3)

    mk: dict[str, Callable[[], Any]] = {
        "linear_dml": lambda: LinearDML(
            model_y=rf(), model_t=LogisticRegression(), discrete_treatment=True, cv=2
        ).fit(y, t, X=xx, W=w),
        "sparse_dml": lambda: SparseLinearDML(
            model_y=LassoCV(cv=2), model_t=LogisticRegression(), discrete_treatment=True, cv=2
        ).fit(y, t, X=xx, W=w),
        "cf_dml": lambda: CausalForestDML(
            model_y=rf(), model_t=RandomForestClassifier(n_estimators=10),
            discrete_treatment=True, n_estimators=rng.choice([20, 40]), cv=2,
        ).fit(y, t, X=xx, W=w),
        "dr": lambda: DRLearner(
            model_propensity=LogisticRegression(), model_regression=rf(), model_final=rf(), cv=2
        ).fit(y, t, X=xx, W=w),
        "slearner": lambda: SLearner(overall_model=rf()).fit(y, t, X=xx),
        "tlearner": lambda: TLearner(models=rf()).fit(y, t, X=xx),
        "xlearner": lambda: XLearner(models=rf(), propensity_model=LogisticRegression()).fit(
            y, t, X=xx
        ),
    }
    _each(out, rng, mk, 5)


@family
def gen_dowhy(out: Path, rng: random.Random) -> None:
    import networkx as nx
    import pandas as pd
    from dowhy import gcm

    nr = _nrng(rng)
    n = rng.randint(200, 400)
    z = nr.normal(size=n)
    x = z + nr.normal(size=n) * 0.5
    y = 2 * x + z + nr.normal(size=n) * 0.3
    df = pd.DataFrame({"Z": z, "X": x, "Y": y})

    def scm() -> None:
        kind = rng.choice(["scm", "anm", "icm"])
        g = nx.DiGraph([("Z", "X"), ("Z", "Y"), ("X", "Y")])
        m = {"scm": gcm.StructuralCausalModel, "anm": gcm.InvertibleStructuralCausalModel,
             "icm": gcm.ProbabilisticCausalModel}[kind](g)
        gcm.auto.assign_causal_mechanisms(m, df)
        gcm.fit(m, df)
        _save(m, out, f"gcm_{kind}_{rng.randrange(1000)}", rng, 0.3)

    for i in range(3):
        _try(out, f"scm{i}", scm)


_WORDS = ("model data scan pickle torch gate file safe load weight layer tensor graph node "
          "train test split score value class label token text word").split()


def _corpus(rng: random.Random, n: int) -> list[list[str]]:
    return [rng.sample(_WORDS, rng.randint(3, 8)) for _ in range(n)]


@family
def gen_rank_bm25(out: Path, rng: random.Random) -> None:
    from rank_bm25 import BM25L, BM25Okapi, BM25Plus

    docs = _corpus(rng, rng.randint(20, 80))
    mk: dict[str, Callable[[], Any]] = {
        "okapi": lambda: BM25Okapi(docs, k1=rng.choice([1.2, 1.5]), b=0.75),
        "bm25l": lambda: BM25L(docs),
        "bm25plus": lambda: BM25Plus(docs, delta=rng.choice([0.5, 1.0])),
    }
    _each(out, rng, mk, 3)


@family
def gen_bm25s(out: Path, rng: random.Random) -> None:
    import bm25s

    docs = [" ".join(d) for d in _corpus(rng, rng.randint(20, 80))]
    method = rng.choice(["lucene", "robertson", "atire", "bm25l", "bm25+"])

    def retr() -> None:
        tok = bm25s.tokenize(docs, stopwords="en", show_progress=False)
        r = bm25s.BM25(method=method)
        r.index(tok, show_progress=False)
        r.save(str(out / "retriever"), corpus=docs if rng.random() < 0.5 else None)
        _save(r, out, "retriever", rng, 0.3)

    def tokenizer() -> None:
        t = bm25s.tokenization.Tokenizer(stopwords="en")
        t.tokenize(docs, show_progress=False)
        t.save_vocab(str(out / "tokenizer"))
        _save(t, out, "tokenizer", rng, 0.3)

    _try(out, "retriever", retr)
    _try(out, "tokenizer", tokenizer)


@family
def gen_textblob(out: Path, rng: random.Random) -> None:
    from textblob.classifiers import (
        DecisionTreeClassifier,
        MaxEntClassifier,
        NaiveBayesClassifier,
        PositiveNaiveBayesClassifier,
    )

    train = [(d, rng.choice(["pos", "neg"])) for d in _corpus(rng, rng.randint(10, 30))]
    mk: dict[str, Callable[[], Any]] = {
        "nb": lambda: NaiveBayesClassifier(train),
        "dt": lambda: DecisionTreeClassifier(train),
        "maxent": lambda: MaxEntClassifier(train),
        "pnb": lambda: PositiveNaiveBayesClassifier(
            positive_set=[d for d, _ in train[:5]], unlabeled_set=[d for d, _ in train[5:]]
        ),
    }

    def trained(k: str) -> Any:
        c = mk[k]()
        if k == "maxent":
            c.train(max_iter=3)
        else:
            c.classify(train[0][0])
        return c

    _each(out, rng, {k: (lambda k=k: trained(k)) for k in mk}, 4)


@family
def gen_kornia(out: Path, rng: random.Random) -> None:
    import kornia.augmentation as K
    import kornia.filters as F
    import torch
    from kornia.augmentation.container import AugmentationSequential

    augs = [
        lambda: K.RandomHorizontalFlip(p=0.5),
        lambda: K.RandomAffine(degrees=rng.choice([10.0, 30.0]), p=0.7),
        lambda: K.ColorJitter(0.1, 0.1, 0.1, 0.1, p=0.5),
        lambda: K.RandomResizedCrop((32, 32), p=1.0),
        lambda: K.RandomGaussianBlur((3, 3), (0.1, 2.0), p=0.5),
        lambda: K.Normalize(mean=torch.tensor([0.5, 0.5, 0.5]), std=torch.tensor([0.2, 0.2, 0.2])),
        lambda: K.RandomRotation(15.0),
        lambda: K.RandomErasing(p=0.3),
    ]

    def seq(i: int) -> None:
        a = AugmentationSequential(*[f() for f in rng.sample(augs, rng.randint(2, 5))])
        a(torch.rand(2, 3, 40, 40))
        _tsave(a, out, f"augseq{i}", rng)
        if rng.random() < 0.4:
            _save(a, out, f"augseq{i}", rng, 0.0)

    def filt() -> None:
        m = torch.nn.Sequential(
            F.GaussianBlur2d((3, 3), (1.5, 1.5)), F.Sobel(), torch.nn.Conv2d(3, 4, 3)
        )
        _tsave(m, out, "filters", rng)
        _tsave(m.state_dict(), out, "filters_state", rng)

    for i in range(3):
        _try(out, f"augseq{i}", lambda i=i: seq(i))
    _try(out, "filters", filt)


@family
def gen_smp(out: Path, rng: random.Random) -> None:
    _torchvision_shim()
    import segmentation_models_pytorch as smp

    archs = ["Unet", "UnetPlusPlus", "FPN", "Linknet", "PSPNet", "DeepLabV3Plus", "PAN", "MAnet"]
    enc = rng.choice(["resnet18", "mobilenet_v2", "efficientnet-b0"])

    def one(arch: str) -> None:
        m = getattr(smp, arch)(encoder_name=enc, encoder_weights=None, classes=rng.randint(1, 3),
                               encoder_depth=5)
        if rng.random() < 0.5:
            _tsave(m, out, arch, rng)
        else:
            _tsave(m.state_dict(), out, f"{arch}_state", rng)
        if rng.random() < 0.4:
            m.save_pretrained(str(out / f"{arch}_pretrained"))

    for arch in rng.sample(archs, 4):
        _try(out, arch, lambda arch=arch: one(arch))


@family
def gen_x_transformers(out: Path, rng: random.Random) -> None:
    from x_transformers import (
        ContinuousTransformerWrapper,
        Decoder,
        Encoder,
        TransformerWrapper,
        ViTransformerWrapper,
        XTransformer,
    )

    d = rng.choice([32, 64])
    kw = dict(dim=d, depth=rng.randint(1, 2), heads=rng.choice([2, 4]))
    extra = rng.choice([{}, {"rotary_pos_emb": True}, {"ff_glu": True}, {"attn_flash": False}])
    mk: dict[str, Callable[[], Any]] = {
        "decoder": lambda: TransformerWrapper(num_tokens=100, max_seq_len=64,
                                              attn_layers=Decoder(**kw, **extra)),
        "encoder": lambda: TransformerWrapper(num_tokens=100, max_seq_len=64,
                                              attn_layers=Encoder(**kw)),
        "vit": lambda: ViTransformerWrapper(image_size=32, patch_size=8,
                                            attn_layers=Encoder(**kw)),
        "cont": lambda: ContinuousTransformerWrapper(dim_in=8, dim_out=8, max_seq_len=32,
                                                     attn_layers=Decoder(**kw)),
        "xtrans": lambda: XTransformer(dim=d, enc_num_tokens=50, enc_depth=1, enc_heads=2,
                                       enc_max_seq_len=32, dec_num_tokens=50, dec_depth=1,
                                       dec_heads=2, dec_max_seq_len=32),
    }
    for name in rng.sample(sorted(mk), 4):
        def one(name: str = name) -> None:
            m = mk[name]()
            _tsave(m, out, name, rng)
            if rng.random() < 0.4:
                _tsave(m.state_dict(), out, f"{name}_state", rng)

        _try(out, name, one)


@family
def gen_monai(out: Path, rng: random.Random) -> None:
    import monai.networks.nets as nets
    from monai import transforms as T

    nets_mk: dict[str, Callable[[], Any]] = {
        "unet": lambda: nets.UNet(spatial_dims=2, in_channels=1, out_channels=2,
                                  channels=(4, 8, 16), strides=(2, 2),
                                  num_res_units=rng.randint(0, 2)),
        "basicunet": lambda: nets.BasicUNet(spatial_dims=2, in_channels=1, out_channels=2,
                                            features=(4, 4, 8, 8, 16, 4)),
        "segresnet": lambda: nets.SegResNet(spatial_dims=2, init_filters=8, in_channels=1,
                                            out_channels=2),
        "densenet": lambda: nets.DenseNet121(spatial_dims=2, in_channels=1, out_channels=3),
        "attunet": lambda: nets.AttentionUnet(spatial_dims=2, in_channels=1, out_channels=2,
                                              channels=(4, 8, 16), strides=(2, 2)),
    }
    for name in rng.sample(sorted(nets_mk), 3):
        def one(name: str = name) -> None:
            m = nets_mk[name]()
            _tsave(m, out, name, rng)
            if rng.random() < 0.5:
                _tsave({"epoch": 3, "state_dict": m.state_dict()}, out, f"{name}_ckpt", rng)

        _try(out, name, one)

    tr = [
        lambda: T.ScaleIntensityd(keys=["image"]),
        lambda: T.RandFlipd(keys=["image", "label"], prob=0.5, spatial_axis=0),
        lambda: T.RandRotate90d(keys=["image", "label"], prob=0.5),
        lambda: T.NormalizeIntensityd(keys=["image"]),
        lambda: T.RandGaussianNoised(keys=["image"], prob=0.2),
        lambda: T.EnsureChannelFirstd(keys=["image"], channel_dim="no_channel"),
        lambda: T.Resized(keys=["image"], spatial_size=(16, 16)),
        lambda: T.ToTensord(keys=["image", "label"]),
    ]

    def comp(i: int) -> None:
        c = T.Compose([f() for f in rng.sample(tr, rng.randint(2, 5))])
        _save(c, out, f"compose{i}", rng, 0.3)

    for i in range(2):
        _try(out, f"compose{i}", lambda i=i: comp(i))


@family
def gen_bertopic(out: Path, rng: random.Random) -> None:
    _torchvision_shim()
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.cluster import KMeans
    from umap import UMAP

    nr = _nrng(rng)
    n = rng.randint(120, 200)
    k = rng.randint(3, 5)
    centers = nr.normal(size=(k, 16)) * 5
    lab = nr.integers(0, k, size=n)
    emb = (centers[lab] + nr.normal(size=(n, 16))).astype(np.float32)
    vocab = [[f"w{j}_{i}" for i in range(6)] for j in range(k)]
    docs = [" ".join(rng.sample(vocab[j], 4) + rng.sample(_WORDS, 3)) for j in lab]
    cluster = (
        HDBSCAN(min_cluster_size=10, prediction_data=True) if rng.random() < 0.5
        else KMeans(n_clusters=k, n_init=3)
    )
    tm = BERTopic(
        umap_model=UMAP(n_neighbors=10, n_components=rng.randint(2, 5), random_state=1),
        hdbscan_model=cluster, calculate_probabilities=False,
    )
    tm.fit(docs, emb)

    def pk() -> None:
        tm.save(str(out / "topic_model.pickle"), serialization="pickle", save_embedding_model=False)

    def st() -> None:
        tm.save(str(out / "topic_model_st"), serialization="safetensors",
                save_ctfidf=rng.random() < 0.5, save_embedding_model=False)

    def plain() -> None:
        _save(tm, out, "topic_model", rng, 0.3)

    for name, fn in [("pk", pk), ("st", st), ("plain", plain)]:
        _try(out, name, fn)


@family
def gen_tbats(out: Path, rng: random.Random) -> None:
    from tbats import BATS, TBATS

    nr = _nrng(rng)
    n = rng.randint(60, 120)
    p = rng.choice([7, 12])
    y = 10 + np.sin(np.arange(n) * 2 * np.pi / p) * 3 + nr.normal(size=n) * 0.5

    def one(kind: str) -> None:
        cls = {"tbats": TBATS, "bats": BATS}[kind]
        est = cls(seasonal_periods=[p], use_box_cox=False, use_arma_errors=rng.random() < 0.3,
                  use_trend=rng.random() < 0.5, n_jobs=1)
        m = est.fit(y)
        _save(m, out, f"{kind}_model", rng, 0.3)

    _try(out, "tbats", lambda: one("tbats"))
    _try(out, "bats", lambda: one("bats"))


@family
def gen_pacmap(out: Path, rng: random.Random) -> None:
    import pacmap

    nr = _nrng(rng)
    x = nr.normal(size=(rng.randint(100, 250), rng.randint(5, 12))).astype(np.float32)

    def one(kind: str) -> None:
        cls = {"pacmap": pacmap.PaCMAP, "localmap": pacmap.LocalMAP}[kind]
        m = cls(n_components=2, n_neighbors=rng.choice([5, 10]), save_tree=kind == "pacmap"
                and rng.random() < 0.5, random_state=rng.randrange(100))
        m.fit_transform(x)
        _save(m, out, kind, rng, 0.3)

    _try(out, "pacmap", lambda: one("pacmap"))
    _try(out, "localmap", lambda: one("localmap"))


@family
def gen_skrebate(out: Path, rng: random.Random) -> None:
    from skrebate import SURF, MultiSURF, MultiSURFstar, ReliefF, SURFstar

    x, y = _clf_data(rng, 50, 100)
    k = rng.randint(2, 3)
    mk: dict[str, Callable[[], Any]] = {
        "relieff": lambda: ReliefF(n_features_to_select=k, n_neighbors=rng.choice([5, 10])).fit(
            x, y
        ),
        "surf": lambda: SURF(n_features_to_select=k).fit(x, y),
        "surfstar": lambda: SURFstar(n_features_to_select=k).fit(x, y),
        "multisurf": lambda: MultiSURF(n_features_to_select=k).fit(x, y),
        "multisurfstar": lambda: MultiSURFstar(n_features_to_select=k).fit(x, y),
    }
    _each(out, rng, mk, 5)


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
