"""fp17 sweep: honest pickles the gate denied (allowlist 2026.12.06.24). NLTK classifiers,
taggers, language models and tokenizers; the rest of imbalanced-learn's samplers and
category_encoders' encoders; optuna GP / brute-force samplers; XGBoost early-stopping callbacks;
a Wav2Vec2 processor; every scipy.stats distribution generator; scipy.special ufuncs as
FunctionTransformer parameters; gensim Phrases / LSI / HDP / NMF / RP / similarity models.
Each class is new_only (a call stays AIR-PKL-009), each function value_only; what stays denied
by design is tested too (regex's compiled engine code, a sharded similarity index)."""

from __future__ import annotations

import pickle
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import airlock
from airlock.report import Severity
from airlock.scan.engine import scan_data


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _clean(obj: object) -> None:
    for proto in (2, 4):
        data = pickle.dumps(obj, protocol=proto)
        report = scan_data(data, "obj.pkl")
        bad = [f for f in report.findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)


def _sents() -> list[list[tuple[str, str]]]:
    words = ["the", "gate", "scans", "a", "model", "wolf", "cries", "never"]
    tags = ["DT", "NN", "VBZ", "DT", "NN", "NN", "VBZ", "RB"]
    return [[(words[(i + j) % 8], tags[(i + j) % 8]) for j in range(5)] for i in range(30)]


def _nltk_objects() -> dict[str, Callable[[], Any]]:
    nltk = pytest.importorskip("nltk")
    from nltk.classify import DecisionTreeClassifier, MaxentClassifier
    from nltk.classify.scikitlearn import SklearnClassifier
    from nltk.lm import MLE, KneserNeyInterpolated, WittenBellInterpolated
    from nltk.lm.preprocessing import padded_everygram_pipeline
    from nltk.tag import AffixTagger, DefaultTagger, PerceptronTagger
    from nltk.tokenize import RegexpTokenizer, TreebankWordTokenizer
    from sklearn.linear_model import LogisticRegression

    sents = _sents()
    feats = [({"w": w, "last": w[-1]}, t) for s in sents for w, t in s]

    def perceptron() -> Any:
        p = PerceptronTagger(load=False)
        p.train(sents, nr_iter=2)
        return p

    def lm(kind: type) -> Any:
        train, vocab = padded_everygram_pipeline(2, [[w for w, _ in s] for s in sents])
        m = kind(2)
        m.fit(train, vocab)
        return m

    return {
        "decision_tree": lambda: DecisionTreeClassifier.train(feats, depth_cutoff=3),
        "maxent": lambda: MaxentClassifier.train(feats, max_iter=2, trace=0),
        "sklearn_wrapper": lambda: SklearnClassifier(LogisticRegression()).train(feats),
        "affix": lambda: AffixTagger(sents, backoff=DefaultTagger("NN")),
        "perceptron": perceptron,
        "lm_mle": lambda: lm(MLE),
        "lm_kneser_ney": lambda: lm(KneserNeyInterpolated),
        "lm_witten_bell": lambda: lm(WittenBellInterpolated),
        "regexp_tokenizer_unused": lambda: RegexpTokenizer(r"\w+"),
        "treebank": TreebankWordTokenizer,
        "collocations": lambda: nltk.collocations.BigramCollocationFinder.from_words(
            [w for s in sents for w, _ in s]
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "decision_tree",
        "maxent",
        "sklearn_wrapper",
        "affix",
        "perceptron",
        "lm_mle",
        "lm_kneser_ney",
        "lm_witten_bell",
        "regexp_tokenizer_unused",
        "treebank",
        "collocations",
    ],
)
def test_honest_nltk_objects_are_clean(name: str) -> None:
    _clean(_nltk_objects()[name]())


def test_regexp_tagger_stays_denied() -> None:
    """A RegexpTagger holds regex patterns, which regex pickles as its compiled engine code
    (``regex._regex.compile(pattern, flags, code, ...)``): the engine trusts that code, so the
    call stays unknown."""
    pytest.importorskip("nltk")
    from nltk.tag import RegexpTagger

    data = pickle.dumps(RegexpTagger([(r".*s$", "VBZ"), (r".*", "NN")]), protocol=4)
    assert b"regex._regex" in data or b"_regex\n" in data or b"compile" in data
    assert "AIR-PKL-002" in _severe(data)


def _imb_ce() -> dict[str, Callable[[], Any]]:
    ce = pytest.importorskip("category_encoders")
    imb = pytest.importorskip("imblearn")
    _ = imb
    import pandas as pd
    from imblearn import combine, ensemble, over_sampling, under_sampling
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression

    r = np.random.default_rng(7)
    x = r.normal(size=(80, 3))
    y = (x[:, 0] > 0.5).astype(int)  # separable, about 30 % positive: boosting always fits
    df = pd.DataFrame({"a": x[:, 0], "city": r.choice(["p", "q", "s"], 80)})
    return {
        "borderline": lambda: make_pipeline(
            over_sampling.BorderlineSMOTE(k_neighbors=3, random_state=0), LogisticRegression()
        ).fit(x, y),
        "smotetomek": lambda: make_pipeline(
            combine.SMOTETomek(random_state=0), LogisticRegression()
        ).fit(x, y),
        "nearmiss": lambda: make_pipeline(under_sampling.NearMiss(), LogisticRegression()).fit(
            x, y),
        "rusboost": lambda: ensemble.RUSBoostClassifier(n_estimators=2, random_state=0).fit(x, y),
        "gray": lambda: ce.GrayEncoder(cols=["city"]).fit(df, y),
        "rankhot": lambda: ce.RankHotEncoder(cols=["city"]).fit(df, y),
        "summary": lambda: ce.SummaryEncoder(cols=["city"], quantiles=[0.5]).fit(df, x[:, 0]),
    }


@pytest.mark.parametrize(
    "name", ["borderline", "smotetomek", "nearmiss", "rusboost", "gray", "rankhot", "summary"]
)
def test_honest_imblearn_and_encoders_are_clean(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obj = _imb_ce()[name]()
    _clean(obj)


def test_optuna_gp_and_brute_force_studies_are_clean() -> None:
    optuna = pytest.importorskip("optuna")
    pytest.importorskip("torch")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for sampler in (optuna.samplers.GPSampler(seed=1), optuna.samplers.BruteForceSampler(seed=1)):
        study = optuna.create_study(sampler=sampler)
        study.optimize(lambda t: t.suggest_int("a", 0, 3) + t.suggest_float("b", 0, 1, step=0.5), 4)
        _clean(study)


def test_xgboost_early_stopping_callback_is_clean() -> None:
    xgb = pytest.importorskip("xgboost")
    r = np.random.default_rng(3)
    x, y = r.normal(size=(60, 3)), r.integers(0, 2, 60)
    m = xgb.XGBClassifier(n_estimators=8, max_depth=2,
                          callbacks=[xgb.callback.EarlyStopping(rounds=2, save_best=True)])
    m.fit(x, y, eval_set=[(x, y)], verbose=False)
    data = pickle.dumps(m, protocol=4)
    assert b"EarlyStopping" in data
    _clean(m)


def test_wav2vec2_processor_is_clean(tmp_path: Path) -> None:
    tf = pytest.importorskip("transformers")
    if not hasattr(tf, "TokenizersBackend"):
        pytest.skip("transformers < 5")
    vocab = tmp_path / "vocab.json"
    vocab.write_text('{"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "a": 5, "b": 6}')
    tok = tf.Wav2Vec2CTCTokenizer(str(vocab))
    proc = tf.Wav2Vec2Processor(feature_extractor=tf.Wav2Vec2FeatureExtractor(), tokenizer=tok)
    _clean(proc)


def test_scipy_distributions_and_special_ufuncs_are_clean() -> None:
    stats = pytest.importorskip("scipy.stats")
    special = pytest.importorskip("scipy.special")
    from sklearn.preprocessing import FunctionTransformer

    _clean([stats.truncnorm(-1, 1), stats.vonmises(2.0), stats.skellam(1, 2),
            stats.genextreme(0.1), stats.loguniform(1e-3, 1)])
    x = np.random.default_rng(1).normal(size=(10, 2))
    for fn in (special.expit, special.logit, special.boxcox1p, special.erfinv):
        _clean(FunctionTransformer(fn).fit(x))


def test_sentence_transformers_modules_are_clean(tmp_path: Path) -> None:
    """fp17 grid 2: torch.save / pickle of module stacks (Dense, LayerNorm, CNN, LSTM,
    StaticEmbedding...) named classes outside the allowlist."""
    torch = pytest.importorskip("torch")
    st = pytest.importorskip("sentence_transformers")
    tokenizers = pytest.importorskip("tokenizers")
    from sentence_transformers import models

    vocab = {"[UNK]": 0, "a": 1, "b": 2, "ab": 3}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    static = models.StaticEmbedding(tok, embedding_dim=8)
    mods = [models.Dense(8, 4, activation_function=torch.nn.GELU()), models.LayerNorm(8),
            models.CNN(8, out_channels=2, kernel_sizes=[1, 3]), models.LSTM(8, hidden_dim=4),
            models.WeightedLayerPooling(8, num_hidden_layers=2, layer_start=1),
            models.Dropout(0.1), static]
    _clean(mods)
    whole = st.SentenceTransformer(modules=[static, models.Dense(8, 4), models.Normalize()],
                                   device="cpu")
    path = tmp_path / "whole.pt"
    torch.save(whole, path)
    result = airlock.check(path)
    assert result.allowed, result.findings


def test_numpy_round_as_a_parameter_is_clean() -> None:
    from sklearn.preprocessing import FunctionTransformer

    x = np.random.default_rng(2).normal(size=(6, 2))
    _clean([FunctionTransformer(np.round).fit(x), FunctionTransformer(np.around).fit(x)])


@pytest.mark.parametrize(
    "glob",
    [
        b"cnumpy\nround\n",
        b"csentence_transformers.base.modules.dense\nDense\n",
        b"csentence_transformers.sentence_transformer.modules.static_embedding\nStaticEmbedding\n",
        b"cnltk.tag.perceptron\nPerceptronTagger\n",
        b"cnltk.lm.models\nMLE\n",
        b"cxgboost.callback\nEarlyStopping\n",
        b"ctransformers.models.wav2vec2.tokenization_wav2vec2\nWav2Vec2CTCTokenizer\n",
        b"cimblearn.over_sampling._smote.filter\nBorderlineSMOTE\n",
        b"cgensim.models.lsimodel\nLsiModel\n",
        b"cscipy.special._special_ufuncs\nexpit\n",
        b"cgensim.models.phrases\noriginal_scorer\n",
        b"coptuna._gp.prior\ndefault_log_prior\n",
    ],
)
def test_a_call_of_a_new_name_is_denied(glob: bytes) -> None:
    """NEWOBJ + dict BUILD (what pickle writes) is clean for the classes; REDUCE runs __init__
    (or the function) with pickle arguments: AIR-PKL-009."""
    called = b"\x80\x02" + glob + b"(X\x05\x00\x00\x00/etc/tR."
    assert "AIR-PKL-009" in _severe(called)
    if glob[1:].split(b"\n")[1][:1].isupper():
        honest = b"\x80\x02ccopyreg\n__newobj__\n(" + glob + b"tR}X\x03\x00\x00\x00keyK\x01sb."
        # LsiModel's bytes alone keep the sibling finding (its load reads <fname>.projection)
        assert not _severe(honest) - {"AIR-PKL-018"}


# ---------------------------------------------------------------- gensim


def _corpus() -> tuple[Any, Any]:
    corpora = pytest.importorskip("gensim.corpora")
    words = [f"w{i}" for i in range(30)]
    docs = [[words[(i * 7 + j * 3) % 30] for j in range(8)] for i in range(40)]
    dct = corpora.Dictionary(docs)
    return docs, dct


def _gensim_models() -> dict[str, Callable[[], Any]]:
    gm = pytest.importorskip("gensim.models")
    from gensim import similarities
    from gensim.models.phrases import Phrases

    docs, dct = _corpus()
    bow = [dct.doc2bow(d) for d in docs]
    tfidf = gm.TfidfModel(bow)
    return {
        "phrases": lambda: Phrases(docs, min_count=1, threshold=0.1),
        "frozen_phrases": lambda: Phrases(docs, min_count=1, threshold=0.1).freeze(),
        "hdp": lambda: gm.HdpModel(bow, id2word=dct, random_state=1, T=8, K=3),
        "logent": lambda: gm.LogEntropyModel(bow),
        "nmf": lambda: gm.Nmf(bow, num_topics=2, id2word=dct, random_state=1),
        "rp": lambda: gm.RpModel(bow, num_topics=3),
        "matrix_sim": lambda: similarities.MatrixSimilarity(tfidf[bow], num_features=len(dct)),
        "sparse_sim": lambda: similarities.SparseMatrixSimilarity(tfidf[bow],
                                                                  num_features=len(dct)),
    }


@pytest.mark.parametrize(
    "name", ["phrases", "frozen_phrases", "hdp", "logent", "nmf", "rp", "matrix_sim", "sparse_sim"]
)
def test_honest_gensim_saves_are_clean(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.model"
    _gensim_models()[name]().save(str(path))
    result = airlock.check(path)
    assert result.allowed, result.findings


def _lsi(folder: Path) -> Path:
    gm = pytest.importorskip("gensim.models")
    docs, dct = _corpus()
    lsi = gm.LsiModel([dct.doc2bow(d) for d in docs], id2word=dct, num_topics=2)
    folder.mkdir()
    path = folder / "lsi.model"
    lsi.save(str(path))
    return path


def test_lsi_folder_is_clean_and_the_lone_file_is_not(tmp_path: Path) -> None:
    """LsiModel.load also unpickles ``<fname>.projection``: judged only in the same scan."""
    path = _lsi(tmp_path / "m")
    assert (path.parent / "lsi.model.projection").exists()
    folder = airlock.check(path.parent)
    assert folder.allowed, folder.findings
    lone = airlock.check(path)
    assert not lone.allowed and "AIR-PKL-018" in {f.rule_id for f in lone.findings}


class _Touch:
    """A pickle that opens (creates) a marker file at load: the harmless stand-in for code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def test_crafted_lsi_projection_denies_the_folder_and_really_runs(tmp_path: Path) -> None:
    path = _lsi(tmp_path / "m")
    marker = tmp_path / "ran"
    (path.parent / "lsi.model.projection").write_bytes(pickle.dumps(_Touch(marker), protocol=2))
    assert not airlock.check(path.parent).allowed
    code = "import sys; from gensim.models import LsiModel; LsiModel.load(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=120)
    assert marker.exists()


def test_sharded_similarity_index_stays_denied(tmp_path: Path) -> None:
    """docsim.Similarity's shards load their index from dirname/fname held in the pickle."""
    pytest.importorskip("gensim.similarities")
    from gensim import similarities

    docs, dct = _corpus()
    bow = [dct.doc2bow(d) for d in docs]
    idx = similarities.Similarity(str(tmp_path / "shard"), bow, num_features=len(dct),
                                  shardsize=16)
    idx.save(str(tmp_path / "index.model"))
    assert not airlock.check(tmp_path).allowed
