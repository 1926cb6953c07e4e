"""Round-13 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp13_gen.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for river, gensim, prophet, spaCy, HF datasets, sentence-transformers,
Lightning, peft, tokenizers (and darts/flair/setfit/fastai when installed). Run it in a side venv
that has those libraries (never the project's venv); a family whose library is missing is
skipped with a line on stderr. ``--seed`` changes the data and the hyper-parameter draw, so a
second grid (held out from the fixes) is one more run. Judge the output with
``bench/fp13_check.py``.
"""

from __future__ import annotations

import argparse
import io
import pickle
import random
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import joblib
import numpy as np

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _dump(obj: object, out: Path, stem: str, rng: random.Random) -> None:
    """The ways users persist a Python object: pickle (two protocols), joblib (one compressor)."""
    proto = rng.choice([2, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice([0, 3]))


def _try(out: Path, stem: str, fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception as exc:  # a save the library refused: dropped, said on stderr
        print(f"skip {out.name}/{stem}: {type(exc).__name__}: {exc}"[:300], file=sys.stderr)


@family
def gen_river(out: Path, rng: random.Random) -> None:
    from river import (
        anomaly,
        cluster,
        compose,
        drift,
        ensemble,
        feature_extraction,
        forest,
        linear_model,
        naive_bayes,
        neighbors,
        optim,
        preprocessing,
        tree,
    )

    seed = rng.randrange(1000)
    lr = rng.choice([0.01, 0.05, 0.1])
    models: dict[str, Callable[[], object]] = {
        "logreg": lambda: (
            preprocessing.StandardScaler()
            | linear_model.LogisticRegression(optimizer=optim.SGD(lr))
        ),
        "linreg_adam": lambda: linear_model.LinearRegression(optimizer=optim.Adam(lr)),
        "pa": lambda: linear_model.PAClassifier(C=rng.choice([0.01, 1.0]), mode=rng.choice([1, 2])),
        "perceptron": lambda: linear_model.Perceptron(),
        "hoeffding": lambda: tree.HoeffdingTreeClassifier(grace_period=rng.choice([20, 50])),
        "hat": lambda: tree.HoeffdingAdaptiveTreeClassifier(seed=seed),
        "hoeffding_reg": lambda: tree.HoeffdingTreeRegressor(),
        "gnb": lambda: naive_bayes.GaussianNB(),
        "mnb": lambda: feature_extraction.BagOfWords() | naive_bayes.MultinomialNB(),
        "knn": lambda: neighbors.KNNClassifier(n_neighbors=rng.choice([3, 5])),
        "arf": lambda: forest.ARFClassifier(n_models=rng.choice([3, 5]), seed=seed),
        "bagging": lambda: ensemble.BaggingClassifier(linear_model.LogisticRegression(), seed=seed),
        "adwin": lambda: drift.ADWIN(delta=rng.choice([0.002, 0.01])),
        "pagehinkley": lambda: drift.PageHinkley(),
        "hst": lambda: anomaly.HalfSpaceTrees(seed=seed, n_trees=rng.choice([5, 10])),
        "kmeans": lambda: cluster.KMeans(n_clusters=rng.choice([2, 3]), seed=seed),
        "union": lambda: (
            compose.TransformerUnion(preprocessing.StandardScaler(), preprocessing.MinMaxScaler())
            | linear_model.LogisticRegression()
        ),
        "onehot": lambda: preprocessing.OneHotEncoder() | linear_model.LogisticRegression(),
    }
    data = np.random.default_rng(seed).normal(size=(120, 3))
    for name, make in models.items():

        def fit(name: str = name, make: Callable[[], object] = make) -> None:
            model = make()
            for i, row in enumerate(data):
                x = {f"f{j}": float(v) for j, v in enumerate(row)}
                y = bool(row[0] + 0.3 * row[1] > 0)
                if name in ("mnb",):
                    model.learn_one(f"word{i % 7} word{i % 3}", y)  # type: ignore[attr-defined]
                elif name == "onehot":
                    model.learn_one({"c": f"v{i % 4}"}, y)  # type: ignore[attr-defined]
                elif name in ("adwin", "pagehinkley"):
                    model.update(float(row[0]))  # type: ignore[attr-defined]
                elif name in ("hst", "kmeans"):
                    model.learn_one({k: abs(v) % 1 for k, v in x.items()})  # type: ignore[attr-defined]
                elif name in ("linreg_adam", "hoeffding_reg"):
                    model.learn_one(x, float(row[0]))  # type: ignore[attr-defined]
                else:
                    model.learn_one(x, y)  # type: ignore[attr-defined]
            _dump(model, out, name, rng)

        _try(out, name, fit)


@family
def gen_river_more(out: Path, rng: random.Random) -> None:
    """Other river models than ``gen_river``'s (a check of the allowlist on unseen classes)."""
    from river import (
        anomaly,
        drift,
        ensemble,
        facto,
        feature_extraction,
        linear_model,
        naive_bayes,
        preprocessing,
        tree,
    )

    seed = rng.randrange(1000)
    models: dict[str, Callable[[], object]] = {
        "alma": lambda: linear_model.ALMAClassifier(),
        "efdt": lambda: tree.ExtremelyFastDecisionTreeClassifier(grace_period=20),
        "adaboost": lambda: ensemble.AdaBoostClassifier(tree.HoeffdingTreeClassifier(), seed=seed),
        "bnb": lambda: preprocessing.Binarizer() | naive_bayes.BernoulliNB(),
        "normalizer": lambda: preprocessing.Normalizer() | linear_model.LogisticRegression(),
        "kswin": lambda: drift.KSWIN(seed=seed),
        "oneclass": lambda: anomaly.OneClassSVM(),
        "fm": lambda: facto.FMClassifier(n_factors=2, seed=seed),
        "tfidf": lambda: feature_extraction.TFIDF(),
        "srp": lambda: ensemble.SRPClassifier(n_models=3, seed=seed),
    }
    data = np.random.default_rng(seed).normal(size=(80, 3))
    for name, make in models.items():

        def fit(name: str = name, make: Callable[[], object] = make) -> None:
            model = make()
            for i, row in enumerate(data):
                x = {f"f{j}": float(v) for j, v in enumerate(row)}
                if name == "tfidf":
                    model.learn_one(f"word{i % 7} word{i % 3}")  # type: ignore[attr-defined]
                elif name == "kswin":
                    model.update(float(row[0]))  # type: ignore[attr-defined]
                elif name == "oneclass":
                    model.learn_one(x)  # type: ignore[attr-defined]
                else:
                    model.learn_one(x, bool(row[0] > 0))  # type: ignore[attr-defined]
            _dump(model, out, name, rng)

        _try(out, name, fit)


@family
def gen_river_heldout(out: Path, rng: random.Random) -> None:
    """River models of classes in neither ``gen_river`` nor ``gen_river_more`` (grid 3: a check
    of the hook-free class list of ``bench/river_classes.py`` written before it was run)."""
    from river import (
        anomaly,
        cluster,
        drift,
        ensemble,
        feature_selection,
        forest,
        linear_model,
        multiclass,
        naive_bayes,
        neighbors,
        preprocessing,
        rules,
        stats,
        time_series,
        tree,
    )

    seed = rng.randrange(1000)
    models: dict[str, Callable[[], object]] = {
        "ovr": lambda: multiclass.OneVsRestClassifier(linear_model.LogisticRegression()),
        "softmax": lambda: linear_model.SoftmaxRegression(),
        "bayeslin": lambda: linear_model.BayesianLinearRegression(),
        "snarimax": lambda: time_series.SNARIMAX(p=2, d=0, q=1),
        "dbstream": lambda: cluster.DBSTREAM(),
        "clustream": lambda: cluster.CluStream(seed=seed, max_micro_clusters=5),
        "gaussscorer": lambda: anomaly.GaussianScorer(),
        "sgt": lambda: tree.SGTClassifier(),
        "levbag": lambda: ensemble.LeveragingBaggingClassifier(
            linear_model.LogisticRegression(), seed=seed
        ),
        "selectk": lambda: feature_selection.SelectKBest(similarity=stats.PearsonCorr(), k=2),
        "knnreg": lambda: neighbors.KNNRegressor(),
        "amrules": lambda: rules.AMRules(),
        "amf": lambda: forest.AMFClassifier(n_estimators=3, seed=seed),
        "ddm": lambda: drift.binary.DDM(),
        "maxabs_cnb": lambda: preprocessing.MaxAbsScaler() | naive_bayes.GaussianNB(),
        "ewmean": lambda: stats.EWMean(),
    }
    data = np.random.default_rng(seed).normal(size=(80, 3))
    regressors = ("bayeslin", "knnreg", "amrules", "selectk")
    for name, make in models.items():

        def fit(name: str = name, make: Callable[[], object] = make) -> None:
            model = make()
            for i, row in enumerate(data):
                x = {f"f{j}": float(v) for j, v in enumerate(row)}
                if name == "snarimax":
                    model.learn_one(float(row[0]))  # type: ignore[attr-defined]
                elif name in ("dbstream", "clustream"):
                    model.learn_one(x)  # type: ignore[attr-defined]
                elif name == "gaussscorer":
                    model.learn_one(None, float(row[0]))  # type: ignore[attr-defined]
                elif name == "ddm":
                    model.update(bool(row[0] > 0))  # type: ignore[attr-defined]
                elif name == "ewmean":
                    model.update(float(row[0]))  # type: ignore[attr-defined]
                elif name in regressors:
                    model.learn_one(x, float(row[0]))  # type: ignore[attr-defined]
                elif name == "ovr":
                    model.learn_one(x, i % 3)  # type: ignore[attr-defined]
                else:
                    model.learn_one(x, bool(row[0] > 0))  # type: ignore[attr-defined]
            _dump(model, out, name, rng)

        _try(out, name, fit)


def _corpus(rng: random.Random) -> list[list[str]]:
    words = [f"w{i}" for i in range(40)]
    return [[rng.choice(words) for _ in range(8)] for _ in range(60)]


@family
def gen_gensim(out: Path, rng: random.Random) -> None:
    from gensim.corpora import Dictionary
    from gensim.models import Doc2Vec, FastText, LdaModel, TfidfModel, Word2Vec
    from gensim.models.doc2vec import TaggedDocument

    corpus = _corpus(rng)
    seed = rng.randrange(1000)
    vs = rng.choice([8, 16])
    w2v = Word2Vec(corpus, vector_size=vs, min_count=1, seed=seed, sg=rng.choice([0, 1]), workers=1)
    ft = FastText(corpus, vector_size=vs, min_count=1, seed=seed, workers=1)
    d2v = Doc2Vec(
        [TaggedDocument(d, [i]) for i, d in enumerate(corpus)],
        vector_size=vs,
        min_count=1,
        seed=seed,
        workers=1,
    )
    dct = Dictionary(corpus)
    bow = [dct.doc2bow(d) for d in corpus]
    lda = LdaModel(bow, id2word=dct, num_topics=rng.choice([2, 3]), random_state=seed)
    tfidf = TfidfModel(bow)
    objs = {
        "w2v": w2v,
        "ft": ft,
        "d2v": d2v,
        "kv": w2v.wv,
        "ftkv": ft.wv,
        "lda": lda,
        "dict": dct,
        "tfidf": tfidf,
    }
    for name, obj in objs.items():
        # inline: everything in one pickle; folder: large arrays in sibling .npy files
        _try(out, name, lambda o=obj, n=name: o.save(str(out / f"{n}.model")))
        folder = out / f"{name}_sep"

        def sep(o: object = obj, n: str = name, folder: Path = folder) -> None:
            folder.mkdir()
            o.save(str(folder / f"{n}.model"), sep_limit=0)  # type: ignore[attr-defined]

        _try(out, name + "_sep", sep)
    _try(out, "kv_bin", lambda: w2v.wv.save_word2vec_format(str(out / "kv.bin"), binary=True))
    _try(out, "kv_txt", lambda: w2v.wv.save_word2vec_format(str(out / "kv.txt")))


@family
def gen_prophet(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from prophet import Prophet
    from prophet.serialize import model_to_json

    n = 120
    ds = pd.date_range("2024-01-01", periods=n, freq="D")
    y = np.sin(np.arange(n) / rng.choice([5.0, 7.0])) + np.random.default_rng(
        rng.randrange(99)
    ).normal(0, 0.1, n)
    grid = [
        {"growth": "linear"},
        {"growth": "flat", "weekly_seasonality": False},
        {"seasonality_mode": "multiplicative", "changepoint_prior_scale": 0.1},
        {"growth": "linear", "mcmc_samples": 0, "interval_width": 0.9, "holidays_prior_scale": 5.0},
    ]
    for i, kw in enumerate(grid):

        def fit(i: int = i, kw: dict[str, object] = kw) -> None:
            m = Prophet(**kw)  # type: ignore[arg-type]
            if i == 3:
                m.add_country_holidays("US")
                m.add_regressor("extra")
            df = pd.DataFrame({"ds": ds, "y": y, "extra": np.arange(n) % 3})
            m.fit(df)
            (out / f"m{i}.json").write_text(model_to_json(m))
            _dump(m, out, f"m{i}", rng)

        _try(out, f"m{i}", fit)


@family
def gen_spacy(out: Path, rng: random.Random) -> None:
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank(rng.choice(["en", "de", "fr"]))
    nlp.add_pipe("sentencizer")
    if rng.random() < 2:
        nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Airlock"}])
    texts = ["Airlock scans models. It never runs them.", "A second doc here!"]
    docs = list(nlp.pipe(texts))
    _try(out, "doc", lambda: _dump(docs[0], out, "doc", rng))
    _try(out, "docs", lambda: _dump(docs, out, "docs", rng))
    _try(out, "span", lambda: _dump(docs[0][0:2], out, "span", rng))
    _try(out, "vocab", lambda: _dump(nlp.vocab, out, "vocab", rng))
    _try(out, "nlp", lambda: _dump(nlp, out, "nlp", rng))
    _try(out, "docbin", lambda: DocBin(docs=docs, store_user_data=True).to_disk(out / "d.spacy"))
    _try(out, "doc_bytes", lambda: (out / "doc.bytes").write_bytes(docs[0].to_bytes()))
    _try(out, "nlp_disk", lambda: nlp.to_disk(out / "nlp_dir"))
    _ = Doc


@family
def gen_datasets(out: Path, rng: random.Random) -> None:
    import datasets

    n = rng.choice([10, 30])
    ds = datasets.Dataset.from_dict(
        {"text": [f"t{i}" for i in range(n)], "label": [i % 2 for i in range(n)]},
        features=datasets.Features(
            {"text": datasets.Value("string"), "label": datasets.ClassLabel(names=["a", "b"])}
        ),
    )
    dd = datasets.DatasetDict({"train": ds, "test": ds.select(range(3))})
    _try(out, "save_to_disk", lambda: ds.save_to_disk(str(out / "ds_dir")))
    _try(out, "dd_to_disk", lambda: dd.save_to_disk(str(out / "dd_dir")))
    _try(out, "ds_pickle", lambda: _dump(ds, out, "ds", rng))
    _try(out, "features", lambda: _dump(ds.features, out, "features", rng))
    _try(out, "dd_pickle", lambda: _dump(dd, out, "dd", rng))
    _try(out, "info", lambda: _dump(ds.info, out, "info", rng))
    _try(out, "mapped", lambda: _dump(ds.map(lambda r: {"n": len(r["text"])}), out, "mapped", rng))


@family
def gen_st(out: Path, rng: random.Random) -> None:
    from sentence_transformers import SentenceTransformer, models

    dim = rng.choice([8, 16])
    emb = models.StaticEmbedding.__init__  # noqa: F841 - presence check
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    vocab = {f"w{i}": i for i in range(50)} | {"[UNK]": 50, "[PAD]": 51}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    static = models.StaticEmbedding(tok, embedding_dim=dim)
    stacks = {
        "static_norm": [static, models.Normalize()],
        "static_dense": [static, models.Dense(dim, rng.choice([4, 8])), models.Normalize()],
        "static_dropout": [static, models.Dropout(0.1)],
    }
    for name, mods in stacks.items():
        _try(out, name, lambda n=name, m=mods: SentenceTransformer(modules=m).save(str(out / n)))


@family
def gen_lightning(out: Path, rng: random.Random) -> None:
    import lightning as L
    import torch

    class Tiny(L.LightningModule):
        def __init__(self, hidden: int = 4, lr: float = 1e-3, act: str = "relu") -> None:
            super().__init__()
            self.save_hyperparameters()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(3, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
            )

        def training_step(self, batch: object, idx: int) -> torch.Tensor:
            x, y = batch  # type: ignore[misc]
            return torch.nn.functional.mse_loss(self.net(x), y)

        def configure_optimizers(self) -> object:
            opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
            return {"optimizer": opt, "lr_scheduler": sched}

    torch.manual_seed(rng.randrange(1000))
    x = torch.randn(32, 3)
    dl = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=8
    )
    for i, (hidden, lr) in enumerate([(4, 1e-3), (rng.choice([8, 16]), rng.choice([0.01, 0.1]))]):

        def fit(i: int = i, hidden: int = hidden, lr: float = lr) -> None:
            trainer = L.Trainer(
                max_epochs=1,
                logger=False,
                enable_checkpointing=False,
                enable_progress_bar=False,
                enable_model_summary=False,
                default_root_dir=str(out.parent / ".lightning_tmp"),
            )
            trainer.fit(Tiny(hidden, lr), dl)
            trainer.save_checkpoint(str(out / f"tiny{i}.ckpt"))
            trainer.save_checkpoint(str(out / f"tiny{i}_w.ckpt"), weights_only=True)

        _try(out, f"tiny{i}", fit)


@family
def gen_lightning_hparams(out: Path, rng: random.Random) -> None:
    """Checkpoints whose hyper-parameters hold objects, as lightning-hydra-template writes
    them: optimizer/scheduler factories as functools.partial, a loss module, a Namespace."""
    import argparse
    import functools

    import lightning as L
    import torch

    class Net(L.LightningModule):
        def __init__(self, optimizer: object, scheduler: object, loss: object, extra: object):
            super().__init__()
            self.save_hyperparameters(logger=False)
            self.lin = torch.nn.Linear(3, 1)

        def training_step(self, batch: object, idx: int) -> torch.Tensor:
            x, y = batch  # type: ignore[misc]
            return self.hparams.loss(self.lin(x), y)

        def configure_optimizers(self) -> object:
            opt = self.hparams.optimizer(params=self.parameters())
            return {"optimizer": opt, "lr_scheduler": self.hparams.scheduler(optimizer=opt)}

    torch.manual_seed(rng.randrange(1000))
    x = torch.randn(16, 3)
    dl = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=8
    )
    grid = {
        "adam_step": (
            functools.partial(torch.optim.Adam, lr=rng.choice([1e-3, 1e-2]), weight_decay=0.0),
            functools.partial(torch.optim.lr_scheduler.StepLR, step_size=1, gamma=0.5),
            torch.nn.MSELoss(),
            argparse.Namespace(batch_size=8, tags=["a", "b"]),
        ),
        "sgd_cosine": (
            functools.partial(torch.optim.SGD, lr=0.1, momentum=0.9),
            functools.partial(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=3),
            torch.nn.SmoothL1Loss(beta=rng.choice([0.5, 1.0])),
            {"dropout": 0.1, "layers": [8, 4]},
        ),
        "adamw_plateau": (
            functools.partial(torch.optim.AdamW, lr=3e-4),
            functools.partial(torch.optim.lr_scheduler.ExponentialLR, gamma=0.9),
            torch.nn.L1Loss(),
            None,
        ),
    }
    for name, args in grid.items():

        def fit(name: str = name, args: tuple[object, ...] = args) -> None:
            trainer = L.Trainer(
                max_epochs=1,
                logger=False,
                enable_checkpointing=False,
                enable_progress_bar=False,
                enable_model_summary=False,
                default_root_dir=str(out.parent / ".lightning_tmp"),
            )
            trainer.fit(Net(*args), dl)
            trainer.save_checkpoint(str(out / f"{name}.ckpt"))

        _try(out, name, fit)


@family
def gen_peft(out: Path, rng: random.Random) -> None:
    import torch
    from peft import IA3Config, LoraConfig, get_peft_model

    class Base(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q = torch.nn.Linear(8, 8)
            self.v = torch.nn.Linear(8, 8)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.v(self.q(x))

    cfgs = {
        "lora": LoraConfig(
            r=rng.choice([2, 4]),
            target_modules=["q", "v"],
            lora_dropout=0.1,
            use_rslora=rng.random() < 0.5,
        ),
        "lora_dora": LoraConfig(r=2, target_modules=["q"], use_dora=True),
        "ia3": IA3Config(target_modules=["q", "v"], feedforward_modules=["v"]),
    }
    for name, cfg in cfgs.items():

        def save(name: str = name, cfg: object = cfg) -> None:
            m = get_peft_model(Base(), cfg)  # type: ignore[arg-type]
            m.save_pretrained(str(out / name))
            m.save_pretrained(str(out / f"{name}_bin"), safe_serialization=False)

        _try(out, name, save)


@family
def gen_tokenizers(out: Path, rng: random.Random) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    text = [" ".join(s) for s in _corpus(rng)]
    for kind in ("bpe", "wordpiece", "unigram"):

        def train(kind: str = kind) -> None:
            if kind == "bpe":
                tok = Tokenizer(models.BPE(unk_token="[UNK]"))
                tr: object = trainers.BpeTrainer(special_tokens=["[UNK]", "[PAD]"], vocab_size=80)
            elif kind == "wordpiece":
                tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
                tr = trainers.WordPieceTrainer(special_tokens=["[UNK]", "[PAD]"], vocab_size=80)
            else:
                tok = Tokenizer(models.Unigram())
                tr = trainers.UnigramTrainer(
                    special_tokens=["[UNK]"], vocab_size=60, unk_token="[UNK]"
                )
            tok.pre_tokenizer = pre_tokenizers.Whitespace()
            tok.train_from_iterator(text, tr)  # type: ignore[arg-type]
            tok.save(str(out / f"{kind}.json"))
            fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]")
            fast.save_pretrained(str(out / f"{kind}_hf"))
            _dump(tok, out, f"{kind}_tok", rng)

        _try(out, kind, train)


@family
def gen_darts(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from darts import TimeSeries
    from darts.models import ExponentialSmoothing, LinearRegressionModel, NaiveSeasonal

    n = 60
    s = TimeSeries.from_series(
        pd.Series(np.sin(np.arange(n) / 4.0) + 2, index=pd.date_range("2024", periods=n, freq="D"))
    )
    lags = rng.choice([3, 6])
    for name, m in {
        "naive": NaiveSeasonal(K=7),
        "ets": ExponentialSmoothing(),
        "linreg": LinearRegressionModel(lags=lags),
    }.items():

        def fit(name: str = name, m: object = m) -> None:
            m.fit(s)  # type: ignore[attr-defined]
            m.save(str(out / f"{name}.pkl"))  # type: ignore[attr-defined]

        _try(out, name, fit)
    _try(out, "series", lambda: _dump(s, out, "series", rng))


@family
def gen_fastai(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from fastai.tabular.all import (
        Categorify,
        FillMissing,
        Normalize,
        TabularDataLoaders,
        tabular_learner,
    )

    n = 64
    g = np.random.default_rng(rng.randrange(1000))
    df = pd.DataFrame(
        {
            "a": g.normal(size=n),
            "b": g.normal(size=n),
            "c": [f"k{i % 3}" for i in range(n)],
            "y": [i % 2 for i in range(n)],
        }
    )
    for i, layers in enumerate([[8], [rng.choice([4, 16]), 4]]):

        def export(i: int = i, layers: list[int] = layers) -> None:
            dls = TabularDataLoaders.from_df(
                df,
                path=str(out.parent / ".fastai_tmp"),
                procs=[Categorify, FillMissing, Normalize],
                cat_names=["c"],
                cont_names=["a", "b"],
                y_names="y",
                bs=16,
            )
            learn = tabular_learner(dls, layers=layers)
            learn.fit(1)
            learn.export(str(out / f"tab{i}.pkl"))
            learn.save(str(out / f"tab{i}_weights"))  # -> .pth beside the path's models/

        _try(out, f"tab{i}", export)


@family
def gen_sktime(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from sktime.forecasting.naive import NaiveForecaster
    from sktime.forecasting.theta import ThetaForecaster
    from sktime.forecasting.trend import PolynomialTrendForecaster

    y = pd.Series(
        np.sin(np.arange(48) / 3.0) + 3, index=pd.period_range("2020-01", periods=48, freq="M")
    )
    models = {
        "naive": NaiveForecaster(strategy=rng.choice(["last", "mean"]), sp=12),
        "theta": ThetaForecaster(sp=12),
        "poly": PolynomialTrendForecaster(degree=rng.choice([1, 2])),
    }
    for name, m in models.items():

        def fit(name: str = name, m: object = m) -> None:
            m.fit(y)  # type: ignore[attr-defined]
            m.save(str(out / name))  # type: ignore[attr-defined]  # -> NAME.zip
            _dump(m, out, name, rng)

        _try(out, name, fit)


@family
def gen_setfit(out: Path, rng: random.Random) -> None:
    from sentence_transformers import SentenceTransformer, models
    from setfit import SetFitModel
    from sklearn.linear_model import LogisticRegression
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    vocab = {f"w{i}": i for i in range(50)} | {"[UNK]": 50, "[PAD]": 51}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    body = SentenceTransformer(modules=[models.StaticEmbedding(tok, embedding_dim=8)])
    head = LogisticRegression(C=rng.choice([0.5, 1.0]))
    x = body.encode([f"w{i} w{i + 1}" for i in range(10)])
    head.fit(x, [i % 2 for i in range(10)])
    m = SetFitModel(model_body=body, model_head=head, labels=["neg", "pos"])
    _try(out, "setfit", lambda: m.save_pretrained(str(out / "setfit")))


def run_grid(
    families: dict[str, Callable[[Path, random.Random], None]], argv: list[str], seed: int
) -> int:
    """The generators' one command line (fp13, fp14, fp16 grids): OUT [--seed N] [FAMILY...];
    each family writes into OUT/FAMILY with its own seeded random source."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("families", nargs="*")
    a = ap.parse_intermixed_args(argv)
    for name, fn in families.items():
        if a.families and name not in a.families:
            continue
        out = a.out / name
        out.mkdir(parents=True, exist_ok=True)
        try:
            fn(out, random.Random(f"{a.seed}-{name}"))
        except ImportError as exc:
            print(f"skip family {name}: {exc}", file=sys.stderr)
        except Exception:
            traceback.print_exc()
    return 0


def main(argv: list[str]) -> int:
    _ = io
    return run_grid(FAMILIES, argv, 13)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
