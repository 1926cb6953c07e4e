"""Round-20 false-positive sweep: honest objects pickled the way users persist them.

``python bench/fp20_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>``:
pandas DataFrames of many dtypes (categorical, tz-aware datetimes, periods, intervals,
``string[pyarrow]``/``string[python]``, nullable and ``[pyarrow]`` dtypes, MultiIndex, sparse)
at several sizes up to millions of Arrow string rows; fitted LightGBM / XGBoost / CatBoost
models and Boosters pickled (not their native files) with drawn hyper-parameters;
imbalanced-learn and category_encoders pipelines; statsmodels results (``results.save``,
``remove_data``); scipy sparse matrices/arrays of every format; nltk / spaCy / gensim objects
pickled or saved with their own ``save``; optuna studies, samplers and pruners; river models;
peft / accelerate state files (``torch.save``); ``np.save`` of object arrays. Each pickle has a
drawn protocol 2-5, joblib a drawn compressor and protocol. ``--seed`` changes data, sizes,
hyper-parameters and protocols, so a held-out grid is one more run. Judge the output with
``bench/fp13_check.py`` (one verdict per artifact). Run with the shared venv.
"""

from __future__ import annotations

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

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


_COMPS: list[Any] = [0, 3, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2)]


def _save(obj: object, out: Path, stem: str, rng: random.Random, joblib_p: float = 0.5) -> None:
    """Pickle with a drawn protocol (2-5); sometimes joblib with a drawn compressor/protocol."""
    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    if rng.random() < joblib_p:
        import joblib

        jproto = rng.choice([None, 2, 3, 4, 5])
        joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS), protocol=jproto)


def _each(out: Path, rng: random.Random, objs: dict[str, Callable[[], Any]]) -> None:
    for name, make in objs.items():
        _try(out, name, lambda n=name, m=make: _save(m(), out, n, rng))


def _xy(rng: random.Random, n: int = 200, d: int = 6, classes: int = 2) -> tuple[Any, Any]:
    g = np.random.default_rng(rng.randrange(1 << 30))
    x = g.normal(size=(n, d))
    y = (x[:, 0] + g.normal(scale=0.5, size=n) > 0).astype(int)
    if classes > 2:
        y = np.digitize(x[:, 0], np.quantile(x[:, 0], np.linspace(0, 1, classes + 1)[1:-1]))
    return x, y


# ---------------------------------------------------------------- pandas


def _frame(rng: random.Random, n: int) -> Any:
    import pandas as pd

    g = np.random.default_rng(rng.randrange(1 << 30))
    cols: dict[str, Any] = {}
    kinds = rng.sample(
        [
            "cat",
            "cat_ordered",
            "dt",
            "dt_tz",
            "td",
            "period",
            "interval",
            "str_pa",
            "str_py",
            "Int64",
            "Float64",
            "boolean",
            "int_pa",
            "ts_pa",
            "float_pa",
            "bool_pa",
            "obj",
            "sparse",
            "f32",
            "u8",
            "complex",
        ],
        rng.randint(3, 9),
    )
    words = [f"w{i}" for i in range(rng.choice([3, 50, 2000]))]
    for k in kinds:
        if k == "cat":
            cols[k] = pd.Categorical(g.choice(words, n))
        elif k == "cat_ordered":
            cols[k] = pd.Categorical(g.choice(["lo", "mid", "hi"], n), ordered=True)
        elif k == "dt":
            cols[k] = pd.date_range("2020-01-01", periods=n, freq=rng.choice(["s", "h", "D"]))
        elif k == "dt_tz":
            tz = rng.choice(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"])
            cols[k] = pd.date_range("2021-03-01", periods=n, freq="min", tz=tz)
        elif k == "td":
            cols[k] = pd.to_timedelta(g.integers(0, 10**6, n), unit="s")
        elif k == "period":
            cols[k] = pd.period_range("2000-01", periods=n, freq="M")
        elif k == "interval":
            cols[k] = pd.IntervalIndex.from_breaks(np.arange(n + 1, dtype=float))
        elif k == "str_pa":
            cols[k] = pd.Series(g.choice(words, n), dtype="string[pyarrow]")
        elif k == "str_py":
            cols[k] = pd.Series(g.choice(words, n), dtype="string[python]")
        elif k == "Int64":
            s = pd.Series(g.integers(-5, 5, n), dtype="Int64")
            s[s == 0] = pd.NA
            cols[k] = s
        elif k == "Float64":
            cols[k] = pd.Series(g.normal(size=n), dtype="Float64")
        elif k == "boolean":
            cols[k] = pd.Series(g.integers(0, 2, n).astype(bool), dtype="boolean")
        elif k == "int_pa":
            cols[k] = pd.Series(g.integers(0, 100, n), dtype="int64[pyarrow]")
        elif k == "ts_pa":
            cols[k] = pd.Series(pd.date_range("2022", periods=n, freq="s")).astype(
                "timestamp[us][pyarrow]"
            )
        elif k == "float_pa":
            cols[k] = pd.Series(g.normal(size=n), dtype="double[pyarrow]")
        elif k == "bool_pa":
            cols[k] = pd.Series(g.integers(0, 2, n).astype(bool), dtype="bool[pyarrow]")
        elif k == "obj":
            cols[k] = pd.Series([None if i % 7 == 0 else f"o{i}" for i in range(n)], dtype=object)
        elif k == "sparse":
            v = g.normal(size=n)
            v[g.random(n) < 0.9] = 0.0
            cols[k] = pd.arrays.SparseArray(v, fill_value=0.0)
        elif k == "f32":
            cols[k] = g.normal(size=n).astype(np.float32)
        elif k == "u8":
            cols[k] = g.integers(0, 255, n).astype(np.uint8)
        elif k == "complex":
            cols[k] = g.normal(size=n) + 1j * g.normal(size=n)
    df = pd.DataFrame(cols)
    r = rng.random()
    if r < 0.2:
        df.index = pd.MultiIndex.from_arrays([np.arange(n) % 3, np.arange(n)], names=["a", "b"])
    elif r < 0.35:
        df = df.set_index(df.columns[0])
    return df


@family
def gen_pandas(out: Path, rng: random.Random) -> None:
    import pandas as pd

    for i in range(14):
        n = rng.choice([5, 100, 3000, 40_000])
        _try(out, f"df{i}", lambda i=i, n=n: _save(_frame(rng, n), out, f"df{i}_{n}", rng))
    for i in range(4):  # to_pickle with its compressions
        n = rng.choice([50, 5000])
        comp = rng.choice(["infer", "gzip", "bz2", "xz", "zstd", None])
        ext = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz", "zstd": ".zst"}.get(str(comp), "")
        _try(
            out,
            f"to_pickle{i}",
            lambda i=i, n=n, comp=comp, ext=ext: _frame(rng, n).to_pickle(
                out / f"to_pickle{i}.pkl{ext}", compression=comp, protocol=rng.choice([2, 4, 5])
            ),
        )
    # many Arrow string rows (the session's known case: 4M rows at protocol 2)
    g = np.random.default_rng(rng.randrange(1 << 30))
    for rows in (rng.choice([300_000, 1_000_000]), rng.choice([2_000_000, 4_000_000])):
        s = pd.Series(np.char.add("id_", g.integers(0, 10**9, rows).astype(str)))
        df = pd.DataFrame(
            {"key": s.astype(rng.choice(["string[pyarrow]", "large_string[pyarrow]"]))}
        )
        df["v"] = g.normal(size=rows).astype(np.float32)
        proto = rng.choice([2, 4, 5])
        _try(
            out,
            f"arrow_{rows}",
            lambda df=df, rows=rows, proto=proto: (
                out / f"arrow_str_{rows}.p{proto}.pkl"
            ).write_bytes(pickle.dumps(df, protocol=proto)),
        )
    objs = {
        "series_cat": lambda: pd.Series(pd.Categorical(["a", "b", "a"] * 100)),
        "index_dt_tz": lambda: pd.date_range("2024", periods=500, freq="h", tz="Europe/Berlin"),
        "multiindex": lambda: pd.MultiIndex.from_product([["x", "y"], range(50)]),
        "timestamp_offsets": lambda: [
            pd.Timestamp("2020-01-01", tz="UTC"),
            pd.offsets.BusinessDay(3),
            pd.offsets.MonthEnd(),
            pd.Timedelta("3h"),
            pd.Period("2020Q1"),
            pd.Interval(0, 1, closed="left"),
            pd.NaT,
            pd.NA,
        ],
        "groupby_agg": lambda: _frame(rng, 500).reset_index(drop=True).describe(include="all"),
    }
    _each(out, rng, objs)


# ---------------------------------------------------------------- boosters pickled


@family
def gen_boosters(out: Path, rng: random.Random) -> None:
    x, y = _xy(rng, 300, 8)
    _, y3 = _xy(rng, 300, 8, 3)
    yr = x[:, 1] * 2.0 + x[:, 2]

    def lgb() -> dict[str, Callable[[], Any]]:
        import lightgbm as lgbm

        p = {
            "n_estimators": rng.choice([5, 20]),
            "num_leaves": rng.choice([4, 15, 31]),
            "learning_rate": rng.choice([0.05, 0.3]),
            "verbose": -1,
        }
        return {
            "lgb_clf": lambda: lgbm.LGBMClassifier(**p).fit(x, y),
            "lgb_multi": lambda: lgbm.LGBMClassifier(**p, class_weight="balanced").fit(x, y3),
            "lgb_reg": lambda: lgbm.LGBMRegressor(**p, objective=rng.choice(["l2", "huber"])).fit(
                x, yr
            ),
            "lgb_rank": lambda: lgbm.LGBMRanker(**p).fit(x, y3, group=[100, 100, 100]),
            "lgb_booster": lambda: lgbm.train(
                {"objective": "binary", "verbose": -1, "num_leaves": p["num_leaves"]},
                lgbm.Dataset(x, y),
                num_boost_round=p["n_estimators"],
            ),
            "lgb_dart": lambda: lgbm.LGBMClassifier(**p, boosting_type="dart").fit(x, y),
        }

    def xgbs() -> dict[str, Callable[[], Any]]:
        import xgboost as xgb

        p = {
            "n_estimators": rng.choice([5, 20]),
            "max_depth": rng.choice([2, 4, 6]),
            "tree_method": rng.choice(["hist", "approx", "exact"]),
        }
        return {
            "xgb_clf": lambda: xgb.XGBClassifier(**p).fit(x, y),
            "xgb_multi": lambda: xgb.XGBClassifier(**p, objective="multi:softprob").fit(x, y3),
            "xgb_reg": lambda: xgb.XGBRegressor(**p, eval_metric="mae").fit(x, yr),
            "xgb_rf": lambda: xgb.XGBRFClassifier(n_estimators=5).fit(x, y),
            "xgb_booster": lambda: xgb.train(
                {"max_depth": p["max_depth"], "objective": "binary:logistic"},
                xgb.DMatrix(x, label=y),
                num_boost_round=p["n_estimators"],
            ),
            "xgb_early": lambda: xgb.XGBClassifier(**p, early_stopping_rounds=2).fit(
                x[:200], y[:200], eval_set=[(x[200:], y[200:])], verbose=False
            ),
        }

    def cbs() -> dict[str, Callable[[], Any]]:
        import catboost as cb
        import pandas as pd

        p = {"iterations": rng.choice([5, 20]), "depth": rng.choice([2, 4]), "verbose": 0}
        df = pd.DataFrame(x, columns=[f"f{i}" for i in range(8)])
        df["c"] = np.where(y > 0, "yes", "no")[::-1]
        return {
            "cb_clf": lambda: cb.CatBoostClassifier(**p, thread_count=1).fit(x, y),
            "cb_reg": lambda: cb.CatBoostRegressor(**p, thread_count=1).fit(x, yr),
            "cb_cat": lambda: cb.CatBoostClassifier(**p, thread_count=1, cat_features=["c"]).fit(
                df, y
            ),
            "cb_multi": lambda: cb.CatBoostClassifier(
                **p, thread_count=1, loss_function="MultiClass"
            ).fit(x, y3),
        }

    for maker in (lgb, xgbs, cbs):
        try:
            objs = maker()
        except ImportError as exc:
            print(f"skip {maker.__name__}: {exc}", file=sys.stderr)
            continue
        _each(out, rng, objs)


# ---------------------------------------------------------------- imblearn / category_encoders


@family
def gen_contrib(out: Path, rng: random.Random) -> None:
    import category_encoders as ce
    import pandas as pd
    from imblearn import combine, ensemble, over_sampling, under_sampling
    from imblearn.pipeline import make_pipeline as imb_pipe
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    x, y = _xy(rng, 300, 5)
    y = np.where(np.arange(300) % rng.choice([4, 7]) == 0, 1, 0)
    g = np.random.default_rng(rng.randrange(1 << 30))
    df = pd.DataFrame(
        {
            "a": g.choice(["p", "q", "r", "s"], 300),
            "b": g.choice(["u", "v"], 300),
            "n": g.normal(size=300),
        }
    )
    samplers = {
        "smote": lambda: over_sampling.SMOTE(k_neighbors=rng.choice([2, 3, 5])),
        "adasyn": lambda: over_sampling.ADASYN(),
        "borderline": lambda: over_sampling.BorderlineSMOTE(),
        "ros": lambda: over_sampling.RandomOverSampler(shrinkage=rng.choice([None, 0.5])),
        "rus": lambda: under_sampling.RandomUnderSampler(),
        "tomek": lambda: under_sampling.TomekLinks(),
        "nearmiss": lambda: under_sampling.NearMiss(version=rng.choice([1, 2, 3])),
        "enn": lambda: under_sampling.EditedNearestNeighbours(),
        "smoteenn": lambda: combine.SMOTEENN(),
        "smotetomek": lambda: combine.SMOTETomek(),
    }
    objs: dict[str, Callable[[], Any]] = {
        f"pipe_{k}": (lambda s=s: imb_pipe(s(), LogisticRegression()).fit(x, y))
        for k, s in samplers.items()
    }
    objs.update(
        {
            "brf": lambda: ensemble.BalancedRandomForestClassifier(n_estimators=5).fit(x, y),
            "bbag": lambda: ensemble.BalancedBaggingClassifier(
                DecisionTreeClassifier(), n_estimators=3
            ).fit(x, y),
            "easy": lambda: ensemble.EasyEnsembleClassifier(n_estimators=3).fit(x, y),
            "rusboost": lambda: ensemble.RUSBoostClassifier(n_estimators=5).fit(x, y),
        }
    )
    encoders = [
        "OneHotEncoder",
        "OrdinalEncoder",
        "TargetEncoder",
        "BinaryEncoder",
        "HashingEncoder",
        "WOEEncoder",
        "CatBoostEncoder",
        "JamesSteinEncoder",
        "LeaveOneOutEncoder",
        "MEstimateEncoder",
        "CountEncoder",
        "BaseNEncoder",
        "SumEncoder",
        "HelmertEncoder",
        "BackwardDifferenceEncoder",
        "PolynomialEncoder",
        "GLMMEncoder",
        "QuantileEncoder",
        "SummaryEncoder",
        "GrayEncoder",
        "RankHotEncoder",
    ]
    for name in rng.sample(encoders, 12):
        cls = getattr(ce, name, None)
        if cls is None:
            continue
        kw: dict[str, Any] = {"cols": ["a", "b"]}
        if name == "HashingEncoder":
            kw["max_process"] = 1
        objs[f"ce_{name}"] = lambda cls=cls, kw=kw: cls(**kw).fit(df, y)
    _each(out, rng, objs)


# ---------------------------------------------------------------- statsmodels


@family
def gen_statsmodels(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    g = np.random.default_rng(rng.randrange(1 << 30))
    n = rng.choice([80, 200])
    df = pd.DataFrame({"x1": g.normal(size=n), "x2": g.normal(size=n)})
    df["g"] = g.choice(["a", "b", "c"], n)
    df["y"] = 1 + df.x1 * 2 + g.normal(size=n)
    df["b"] = (df.y > df.y.median()).astype(int)
    df["k"] = g.poisson(2, n)
    ts = pd.Series(
        np.cumsum(g.normal(size=n)) + 10 + np.sin(np.arange(n) / 3),
        index=pd.date_range("2015", periods=n, freq="MS"),
    )
    X = sm.add_constant(df[["x1", "x2"]])
    models: dict[str, Callable[[], Any]] = {
        "ols": lambda: sm.OLS(df.y, X).fit(),
        "ols_formula": lambda: smf.ols("y ~ x1 + C(g)", df).fit(),
        "ols_robust": lambda: smf.ols("y ~ x1 * x2", df).fit(cov_type="HC3"),
        "wls": lambda: sm.WLS(df.y, X, weights=1 + np.abs(df.x2)).fit(),
        "glm_poisson": lambda: smf.glm("k ~ x1", df, family=sm.families.Poisson()).fit(),
        "glm_gamma": lambda: sm.GLM(
            np.abs(df.y) + 0.1, X, family=sm.families.Gamma(sm.families.links.Log())
        ).fit(),
        "logit": lambda: smf.logit("b ~ x1 + x2", df).fit(disp=0),
        "probit": lambda: sm.Probit(df.b, X).fit(disp=0),
        "mnlogit": lambda: sm.MNLogit(df.g.map({"a": 0, "b": 1, "c": 2}), X).fit(disp=0),
        "negbin": lambda: smf.negativebinomial("k ~ x1", df).fit(disp=0),
        "quantreg": lambda: smf.quantreg("y ~ x1", df).fit(q=rng.choice([0.25, 0.5, 0.9])),
        "rlm": lambda: sm.RLM(df.y, X).fit(),
        "arima": lambda: ARIMA(ts, order=(rng.choice([0, 1, 2]), 1, 1)).fit(),
        "sarimax": lambda: SARIMAX(ts, order=(1, 0, 0), seasonal_order=(1, 0, 0, 12)).fit(
            disp=False
        ),
        "holtwinters": lambda: ExponentialSmoothing(
            ts, trend="add", seasonal=rng.choice([None, "add"]), seasonal_periods=12
        ).fit(),
        "lowess": lambda: sm.nonparametric.lowess(df.y, df.x1),
    }
    for name, make in models.items():

        def one(name: str = name, make: Callable[[], Any] = make) -> None:
            res = make()
            way = rng.choice(["save", "save_rd", "pickle"])
            if way != "pickle" and hasattr(res, "save"):
                try:
                    res.save(str(out / f"{name}.{way}.pickle"), remove_data=way == "save_rd")
                except AttributeError:  # results without remove_data (HoltWinters)
                    res.save(str(out / f"{name}.save.pickle"))
            else:
                _save(res, out, name, rng)

        _try(out, name, one)


# ---------------------------------------------------------------- scipy sparse


@family
def gen_sparse(out: Path, rng: random.Random) -> None:
    import scipy.sparse as sp

    g = np.random.default_rng(rng.randrange(1 << 30))
    for i in range(12):
        m, n = rng.choice([(5, 7), (300, 200), (3000, 5000)])
        dens = rng.choice([0.001, 0.05, 0.3])
        dt = rng.choice([np.float64, np.float32, np.int64, np.int8, np.complex128, bool])
        base = sp.random(m, n, density=dens, format="coo", dtype=np.float64, rng=g).astype(dt)
        fmt = rng.choice(["csr", "csc", "coo", "bsr", "dia", "lil", "dok"])
        arr = rng.random() < 0.5
        obj = base.asformat(fmt)
        if arr:
            obj = getattr(sp, f"{fmt}_array")(obj)
        stem = f"{fmt}{'_arr' if arr else ''}_{i}"
        _try(out, stem, lambda obj=obj, stem=stem: _save(obj, out, stem, rng))
    objs = {
        "tfidf_like": lambda: {
            "X": sp.random(200, 1000, density=0.01, format="csr", rng=g),
            "vocab": {f"t{i}": i for i in range(1000)},
        },
        "eye_kron": lambda: sp.kron(sp.eye(30), sp.random(4, 4, density=0.5, rng=g), "csr"),
        "unsorted": lambda: sp.csr_matrix(
            (np.ones(4), np.array([3, 1, 2, 0]), np.array([0, 2, 4])), shape=(2, 5)
        ),
    }
    _each(out, rng, objs)


# ---------------------------------------------------------------- nltk / spaCy / gensim


@family
def gen_nlp(out: Path, rng: random.Random) -> None:
    import nltk
    from nltk.classify import DecisionTreeClassifier, MaxentClassifier, NaiveBayesClassifier
    from nltk.lm import MLE, KneserNeyInterpolated, Laplace
    from nltk.lm.preprocessing import padded_everygram_pipeline
    from nltk.probability import ConditionalFreqDist, FreqDist
    from nltk.stem import PorterStemmer, SnowballStemmer
    from nltk.tag import DefaultTagger, UnigramTagger
    from nltk.tokenize import RegexpTokenizer, TreebankWordTokenizer

    words = [f"w{i % rng.choice([7, 30])}" for i in range(400)]
    sents = [words[i : i + 8] for i in range(0, 400, 8)]
    feats = [({"a": w[-1], "len": len(w)}, "x" if int(w[1:]) % 2 else "y") for w in words[:100]]
    tagged = [[(w, "NN" if int(w[1:]) % 2 else "VB") for w in s] for s in sents]

    def lm(cls: Any) -> Any:
        order = rng.choice([2, 3])
        train, vocab = padded_everygram_pipeline(order, sents)
        m = cls(order)
        m.fit(train, vocab)
        return m

    objs: dict[str, Callable[[], Any]] = {
        "freqdist": lambda: FreqDist(words),
        "cfd": lambda: ConditionalFreqDist((w[-1], w) for w in words),
        "nb": lambda: NaiveBayesClassifier.train(feats),
        "dtree": lambda: DecisionTreeClassifier.train(feats, entropy_cutoff=0.1),
        "maxent": lambda: MaxentClassifier.train(feats, max_iter=3, trace=0),
        "unigram_tagger": lambda: UnigramTagger(tagged, backoff=DefaultTagger("NN")),
        "stemmers": lambda: [PorterStemmer(), SnowballStemmer(rng.choice(["english", "german"]))],
        "tokenizers": lambda: [RegexpTokenizer(r"\w+"), TreebankWordTokenizer()],
        "lm_mle": lambda: lm(MLE),
        "lm_laplace": lambda: lm(Laplace),
        "lm_kn": lambda: lm(KneserNeyInterpolated),
        "tree": lambda: nltk.Tree.fromstring("(S (NP w1) (VP (V w2) (NP w3)))"),
    }
    _each(out, rng, objs)

    try:
        import spacy
        from spacy.tokens import DocBin

        nlp = spacy.blank(rng.choice(["en", "de", "fr"]))
        docs = [nlp(" ".join(s)) for s in sents[:10]]
        db = DocBin(attrs=["ORTH", "LEMMA"], store_user_data=True)
        for d in docs:
            db.add(d)
        (out / "docbin.spacy").write_bytes(db.to_bytes())
        _try(out, "spacy_doc", lambda: _save(docs[0], out, "spacy_doc", rng))
        _try(out, "spacy_vocab", lambda: _save(nlp.vocab, out, "spacy_vocab", rng))
        _try(out, "spacy_nlp", lambda: _save(nlp, out, "spacy_nlp", rng))
    except ImportError as exc:
        print(f"skip spacy: {exc}", file=sys.stderr)

    try:
        from gensim.corpora import Dictionary
        from gensim.models import Doc2Vec, FastText, TfidfModel, Word2Vec
        from gensim.models.doc2vec import TaggedDocument

        dim = rng.choice([8, 32])
        w2v = Word2Vec(sents, vector_size=dim, min_count=1, epochs=2, sg=rng.choice([0, 1]))
        w2v.save(str(out / "w2v.model"))
        _save(w2v.wv, out, "w2v_kv", rng, 0.0)
        d2v = Doc2Vec(
            [TaggedDocument(s, [i]) for i, s in enumerate(sents)], vector_size=dim, epochs=2
        )
        d2v.save(str(out / "d2v.model"))
        ft = FastText(sents, vector_size=dim, min_count=1, epochs=1, bucket=1000)
        _save(ft, out, "fasttext", rng, 0.0)
        dct = Dictionary(sents)
        dct.save(str(out / "dict.gensim"))
        _save(TfidfModel(dictionary=dct), out, "tfidf", rng, 0.0)
    except ImportError as exc:
        print(f"skip gensim: {exc}", file=sys.stderr)


# ---------------------------------------------------------------- optuna


@family
def gen_optuna(out: Path, rng: random.Random) -> None:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)

    b_log = rng.random() < 0.5

    def objective(trial: Any) -> float:
        a = trial.suggest_float("a", -3, 3, step=0.5)
        b = trial.suggest_int("b", 1, 9, log=b_log)
        c = trial.suggest_categorical("c", ["x", "y", None, 1.5])
        trial.set_user_attr("note", f"b={b}")
        return float(a * a + b + (c == "x"))

    samplers: dict[str, Callable[[], Any]] = {
        "tpe": lambda: optuna.samplers.TPESampler(seed=1, multivariate=rng.random() < 0.5),
        "random": lambda: optuna.samplers.RandomSampler(seed=2),
        "qmc": lambda: optuna.samplers.QMCSampler(seed=4),
        "nsga2": lambda: optuna.samplers.NSGAIISampler(seed=5),
        "grid": lambda: optuna.samplers.GridSampler(
            {"a": [0.0, 1.0], "b": [1, 2], "c": ["x", "y"]}
        ),
        "bruteforce": lambda: optuna.samplers.BruteForceSampler(),
    }
    pruners = [
        optuna.pruners.MedianPruner(),
        optuna.pruners.HyperbandPruner(),
        optuna.pruners.SuccessiveHalvingPruner(),
        optuna.pruners.NopPruner(),
        optuna.pruners.PercentilePruner(25.0),
    ]
    for name, make in samplers.items():

        def one(name: str = name, make: Callable[[], Any] = make) -> None:
            study = optuna.create_study(sampler=make(), pruner=rng.choice(pruners))
            study.optimize(objective, n_trials=rng.choice([4, 12]))
            _save(study, out, f"study_{name}", rng)
            _save(study.trials, out, f"trials_{name}", rng, 0.0)

        _try(out, name, one)
    _try(
        out,
        "best_params",
        lambda: _save({"sampler": optuna.samplers.TPESampler()}, out, "tpe", rng),
    )


# ---------------------------------------------------------------- river


@family
def gen_river(out: Path, rng: random.Random) -> None:
    from river import (
        anomaly,
        cluster,
        compose,
        datasets,
        ensemble,
        forest,
        linear_model,
        naive_bayes,
        neighbors,
        optim,
        preprocessing,
        tree,
    )

    data = list(datasets.Phishing())[: rng.choice([60, 200])]
    objs: dict[str, Callable[[], Any]] = {
        "logreg": lambda: (
            preprocessing.StandardScaler()
            | linear_model.LogisticRegression(optimizer=optim.SGD(rng.choice([0.01, 0.1])))
        ),
        "hoeffding": lambda: tree.HoeffdingTreeClassifier(grace_period=rng.choice([10, 50])),
        "hat": lambda: tree.HoeffdingAdaptiveTreeClassifier(seed=1),
        "arf": lambda: forest.ARFClassifier(n_models=3, seed=1),
        "gnb": lambda: naive_bayes.GaussianNB(),
        "knn": lambda: neighbors.KNNClassifier(n_neighbors=3),
        "bagging": lambda: ensemble.BaggingClassifier(
            linear_model.LogisticRegression(), n_models=3, seed=1
        ),
        "adwin_bag": lambda: ensemble.ADWINBaggingClassifier(tree.HoeffdingTreeClassifier(), 2),
        "hst": lambda: compose.Pipeline(
            preprocessing.MinMaxScaler(), anomaly.HalfSpaceTrees(n_trees=5, seed=1)
        ),
        "kmeans": lambda: cluster.KMeans(n_clusters=3, seed=1),
        "pa": lambda: linear_model.PAClassifier(),
    }
    for name, make in objs.items():

        def one(name: str = name, make: Callable[[], Any] = make) -> None:
            m = make()
            for x, y in data:
                if hasattr(m, "learn_one"):
                    try:
                        m.learn_one(x, y)
                    except TypeError:
                        m.learn_one(x)
            _save(m, out, name, rng)

        _try(out, name, one)


# ---------------------------------------------------------------- peft / accelerate / torch


@family
def gen_torch_states(out: Path, rng: random.Random) -> None:
    import torch
    from torch import nn

    torch.manual_seed(rng.randrange(1 << 30))
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=rng.choice([1e-3, 3e-4]))
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(4, 8)).sum().backward()
        opt.step()
    proto = rng.choice([2, 3, 4, 5])

    def tsave(obj: Any, name: str) -> None:
        torch.save(obj, out / f"{name}.p{proto}.pt", pickle_protocol=proto)

    _try(
        out,
        "ckpt",
        lambda: tsave(
            {
                "epoch": 3,
                "model": model.state_dict(),
                "optimizer": opt.state_dict(),
                "rng": torch.get_rng_state(),
                "np_rng": np.random.get_state(),
                "py_rng": random.getstate(),
                "args": {"lr": 1e-3, "tags": ["a"], "path": "/data/x"},
            },
            "ckpt",
        ),
    )

    def peft_states() -> None:
        from peft import IA3Config, LoraConfig, get_peft_model, get_peft_model_state_dict

        base = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
        cfg = rng.choice(
            [
                LoraConfig(r=rng.choice([2, 4]), target_modules=["0", "2"], lora_dropout=0.1),
                IA3Config(target_modules=["0", "2"], feedforward_modules=["2"]),
            ]
        )
        pm = get_peft_model(base, cfg)
        tsave(get_peft_model_state_dict(pm), "peft_sd")
        tsave({"config": cfg, "state": get_peft_model_state_dict(pm)}, "peft_with_cfg")
        pm.save_pretrained(str(out / "peft_dir_bin"), safe_serialization=False)
        pm.save_pretrained(str(out / "peft_dir_st"))

    _try(out, "peft", peft_states)

    def accel() -> None:
        from accelerate import Accelerator

        acc = Accelerator(cpu=True)
        m, _o = acc.prepare(model, opt)
        acc.save_state(str(out / "accel_state"), safe_serialization=rng.random() < 0.5)
        acc.save(m.state_dict(), str(out / "accel_save.bin"))

    _try(out, "accelerate", accel)


# ---------------------------------------------------------------- numpy object arrays


@family
def gen_np_save(out: Path, rng: random.Random) -> None:
    import datetime as dt

    g = np.random.default_rng(rng.randrange(1 << 30))
    objs: dict[str, Any] = {
        "strings": np.array([f"s{i}" for i in range(rng.choice([5, 500]))], dtype=object),
        "dicts": np.array([{"id": i, "v": float(i)} for i in range(20)], dtype=object),
        "ragged": np.array([np.arange(i) for i in range(1, 12)], dtype=object),
        "mixed": np.array([1, "a", None, 2.5, (1, 2), dt.date(2020, 1, 1)], dtype=object),
        "struct": np.zeros(10, dtype=[("a", "<i4"), ("b", "<f8", (3,)), ("c", "U5")]),
        "dt64": np.arange("2020-01", "2021-01", dtype="datetime64[D]"),
        "f16": g.normal(size=(64, 64)).astype(np.float16),
    }
    for name, arr in objs.items():
        _try(
            out,
            name,
            lambda arr=arr, name=name: np.save(
                out / f"{name}.npy", arr, allow_pickle=arr.dtype == object
            ),
        )
    _try(
        out,
        "npz",
        lambda: np.savez_compressed(
            out / "bundle.npz", a=objs["f16"], b=objs["strings"], c=objs["struct"]
        ),
    )


@family
def gen_pandas_arrow(out: Path, rng: random.Random) -> None:
    """pandas columns of ArrowDtype beyond strings: nested, dictionary, decimal, temporal."""
    import datetime as dt
    import decimal

    import pandas as pd
    import pyarrow as pa

    g = np.random.default_rng(rng.randrange(1 << 30))
    n = rng.choice([10, 500, 20_000])
    ints = g.integers(0, 50, n)
    cols: dict[str, Any] = {
        "list_int": lambda: pa.array([list(range(i % 4)) for i in ints], pa.list_(pa.int64())),
        "large_list": lambda: pa.array(
            [[float(i)] * (i % 3) for i in ints], pa.large_list(pa.float32())
        ),
        "struct": lambda: pa.array(
            [{"a": int(i), "b": f"s{i}"} for i in ints],
            pa.struct([("a", pa.int32()), ("b", pa.string())]),
        ),
        "dict_str": lambda: pa.array([f"c{i % 5}" for i in ints]).dictionary_encode(),
        "decimal": lambda: pa.array(
            [decimal.Decimal(f"{i}.{i % 100:02d}") for i in ints], pa.decimal128(10, 2)
        ),
        "date32": lambda: pa.array(
            [dt.date(2020, 1, 1) + dt.timedelta(days=int(i)) for i in ints], pa.date32()
        ),
        "time64": lambda: pa.array([int(i) * 1000 for i in ints], pa.time64("us")),
        "duration": lambda: pa.array([int(i) for i in ints], pa.duration("ms")),
        "ts_tz": lambda: pa.array(
            [int(i) * 10**9 for i in ints], pa.timestamp("ns", tz=rng.choice(["UTC", "Asia/Tokyo"]))
        ),
        "binary": lambda: pa.array([bytes([i % 256]) * (i % 5) for i in ints], pa.binary()),
        "large_binary": lambda: pa.array([b"x" * (i % 7) for i in ints], pa.large_binary()),
        "fixed_binary": lambda: pa.array([bytes(4)] * n, pa.binary(4)),
        "bool_nulls": lambda: pa.array([None if i % 9 == 0 else bool(i % 2) for i in ints]),
        "int_nulls": lambda: pa.array([None if i % 6 == 0 else int(i) for i in ints], pa.int16()),
        "string_view": lambda: pa.array([f"v{i}" for i in ints], pa.string_view()),
        "map": lambda: pa.array([[("k", int(i))] for i in ints], pa.map_(pa.string(), pa.int64())),
        "halffloat": lambda: pa.array(g.normal(size=n).astype(np.float16), pa.float16()),
        "list_str": lambda: pa.array([[f"t{i}"] * (i % 3) for i in ints], pa.list_(pa.string())),
    }
    names = list(cols)
    for i in range(10):
        pick = rng.sample(names, rng.randint(1, 4))
        stem = f"af{i}_" + "-".join(pick)

        def one(pick: list[str] = pick, stem: str = stem) -> None:
            df = pd.DataFrame(
                {k: pd.Series(pd.arrays.ArrowExtensionArray(cols[k]())) for k in pick}
            )
            _save(df, out, stem, rng)

        _try(out, stem, one)
    for k in names:  # each kind once, alone, as a pyarrow Table and as a pandas column
        _try(out, k, lambda k=k: _save(pa.table({k: cols[k]()}), out, f"table_{k}", rng, 0.0))


@family
def gen_boosters_cat(out: Path, rng: random.Random) -> None:
    """Boosters fitted on pandas frames with categorical columns (their pickles keep the
    categories), and torch.save checkpoints holding frames and fitted preprocessors."""
    import pandas as pd

    g = np.random.default_rng(rng.randrange(1 << 30))
    n = 300
    df = pd.DataFrame(
        {
            "num": g.normal(size=n),
            "cat": pd.Categorical(g.choice(["red", "green", "blue"], n)),
            "city": pd.Categorical(g.choice([f"c{i}" for i in range(rng.choice([5, 40]))], n)),
            "cnt": g.integers(0, 9, n),
        }
    )
    y = (df.num + (df.cat == "red") > 0.3).astype(int)

    def lgb() -> Any:
        import lightgbm as lgbm

        return lgbm.LGBMClassifier(n_estimators=rng.choice([5, 15]), verbose=-1).fit(df, y)

    def lgb_booster() -> Any:
        import lightgbm as lgbm

        ds = lgbm.Dataset(df, y, categorical_feature=["cat", "city"])
        return lgbm.train({"objective": "binary", "verbose": -1}, ds, num_boost_round=5)

    def xgb() -> Any:
        import xgboost

        return xgboost.XGBClassifier(
            n_estimators=5, enable_categorical=True, tree_method="hist", max_cat_to_onehot=1
        ).fit(df, y)

    def cb() -> Any:
        import catboost

        return catboost.CatBoostClassifier(
            iterations=5, verbose=0, thread_count=1, cat_features=["cat", "city"]
        ).fit(df.astype({"cat": str, "city": str}), y)

    def hgb() -> Any:
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(max_iter=5, categorical_features="from_dtype").fit(
            df, y
        )

    def ct_pipe() -> Any:
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        ct = ColumnTransformer(
            [
                ("n", StandardScaler(), ["num", "cnt"]),
                ("c", OneHotEncoder(handle_unknown="ignore"), ["cat", "city"]),
            ]
        )
        return Pipeline([("ct", ct), ("lr", LogisticRegression())]).fit(df, y)

    _each(
        out,
        rng,
        {"lgb": lgb, "lgb_booster": lgb_booster, "xgb": xgb, "cb": cb, "hgb": hgb, "ct": ct_pipe},
    )

    def torch_ckpt() -> None:
        import torch
        from sklearn.preprocessing import StandardScaler

        proto = rng.choice([2, 3, 4, 5])
        torch.save(
            {
                "frame": df.head(rng.choice([5, 100])),
                "scaler": StandardScaler().fit(df[["num", "cnt"]]),
                "classes": np.array(["a", "b"], dtype=object),
                "w": torch.randn(4, 4),
            },
            out / f"ckpt_frame.p{proto}.pt",
            pickle_protocol=proto,
        )

    _try(out, "torch_ckpt", torch_ckpt)


def main(argv: list[str]) -> int:
    return run_grid(FAMILIES, argv, 1)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
