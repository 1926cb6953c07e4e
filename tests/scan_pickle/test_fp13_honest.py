"""Session 13 sweep (fp13): honest pickles of river online models, in-memory HF datasets,
darts and sktime forecasters were denied as unknown callables. Their classes are allowed as
the savers write them (NEWOBJ + a __dict__ state; river's Rust containers by their own
reduce; the functions river keeps as attributes as values only); a call of a class with pickle
arguments, a call of a value-only method at load, or code in the state is still denied."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path

import pytest

from airlock.report import Severity
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    NONE,
    PROTO2,
    SETITEM,
    STOP,
    TUPLE,
    analyze,
    assert_clean,
    b,
    call,
    get,
    glob,
    put,
    rules,
    s,
    severe,
    touch_cmd,
)

NEW_ONLY = [
    ("river.linear_model.log_reg", "LogisticRegression"),
    ("river.compose.pipeline", "Pipeline"),
    ("river.tree.hoeffding_tree_classifier", "HoeffdingTreeClassifier"),
    ("river.preprocessing.scale", "StandardScaler"),
    ("river.drift.adwin", "ADWIN"),
    ("datasets.arrow_dataset", "Dataset"),
    ("datasets.table", "InMemoryTable"),
    ("darts.models.forecasting.exponential_smoothing", "ExponentialSmoothing"),
    ("darts.timeseries", "TimeSeries"),
    ("sktime.forecasting.theta", "ThetaForecaster"),
    # hook-free river classes listed by bench/river_classes.py
    ("river.time_series.snarimax", "SNARIMAX"),
    ("river.cluster.dbstream", "DBSTREAM"),
    ("river.tree.stochastic_gradient_tree", "SGTClassifier"),
]


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("river.utils.rolling", "Rolling"),  # __getattr__ forwards to the wrapped object
        ("river.time_series.holt_winters", "AdditiveLevel"),  # a deque with its own __reduce__
        ("river.preprocessing.scale", "MaxAbsScaler"),  # __setstate__ not reviewed
        ("river.datasets.base", "RemoteDataset"),  # downloads from its url when iterated
    ],
)
def test_river_classes_with_hooks_stay_unknown(module: str, name: str) -> None:
    a = analyze(_newobj(module, name, EMPTY_DICT))
    assert "AIR-PKL-002" in rules(a) and severe(a)


def _newobj(module: str, name: str, state: bytes) -> bytes:
    obj = call(glob("copyreg", "__newobj__"), glob(module, name))
    return PROTO2 + obj + state + BUILD + STOP


def _bound(obj_module: str, obj_name: str, attr: str) -> bytes:
    """getattr(<a new instance>, attr): how pickle saves a bound method of an instance."""
    inst = call(glob("copyreg", "__newobj__"), glob(obj_module, obj_name))
    return call(glob("builtins", "getattr"), inst, s(attr))


@pytest.mark.parametrize(("module", "name"), NEW_ONLY)
def test_saved_shape_is_clean(module: str, name: str) -> None:
    state = EMPTY_DICT + s("n") + b"K\x04" + SETITEM
    assert_clean(analyze(_newobj(module, name, state)))


@pytest.mark.parametrize(("module", "name"), NEW_ONLY)
def test_call_with_pickle_arguments_is_denied(module: str, name: str) -> None:
    a = analyze(PROTO2 + call(glob(module, name), s("x")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


@pytest.mark.parametrize(("module", "name"), NEW_ONLY[::2])
def test_code_in_the_state_is_denied(module: str, name: str, tmp_path: Path) -> None:
    cmd = call(glob("os", "system"), s(touch_cmd(tmp_path / "ran")))
    state = EMPTY_DICT + s("loss") + cmd + SETITEM
    assert severe(analyze(_newobj(module, name, state)), Severity.CRITICAL)


def test_river_bound_method_as_attribute_is_clean() -> None:
    """PAClassifier keeps getattr(self, '_calc_tau_2') as an attribute: a value, never called."""
    state = (
        EMPTY_DICT
        + s("calc_tau")
        + _bound("river.linear_model.pa", "PAClassifier", "_calc_tau_2")
        + SETITEM
    )
    assert_clean(analyze(_newobj("river.linear_model.pa", "PAClassifier", state)))


def test_river_bound_method_called_at_load_is_denied() -> None:
    """The same bound method called by the pickle itself: value-only, AIR-PKL-009."""
    bound = _bound("river.linear_model.pa", "PAClassifier", "_calc_tau_2")
    a = analyze(PROTO2 + call(bound, EMPTY_DICT, b"K\x01") + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


def test_river_function_value_called_at_load_is_denied() -> None:
    a = analyze(
        PROTO2 + call(glob("river.naive_bayes.gaussian", "GaussianNB._make_gaussian")) + STOP
    )
    assert "AIR-PKL-009" in rules(a) and severe(a)


def test_vectordict_reduce_is_clean_and_a_code_factory_is_not(tmp_path: Path) -> None:
    """VectorDict(data, default_factory, mask, copy) as its __reduce__ writes it; a factory
    that is a command runner is judged on its own (critical) even though only use calls it."""
    vd = glob("river._river_rust.vectordict", "VectorDict")
    data = EMPTY_DICT + s("a") + b"G" + struct.pack(">d", 1.0)
    assert_clean(analyze(PROTO2 + call(vd, data + SETITEM, NONE, NONE, b"\x88") + STOP))
    evil = analyze(PROTO2 + call(vd, EMPTY_DICT, glob("os", "system"), NONE, b"\x88") + STOP)
    assert severe(evil, Severity.CRITICAL)


def test_adaptive_windowing_state_is_clean() -> None:
    """AdaptiveWindowing: NEWOBJ with numbers then __setstate__(bincode bytes)."""
    cls = glob("river._river_rust.drift", "AdaptiveWindowing")
    new = call(glob("copyreg", "__newobj__"), cls, b"K\x05", b"K\x0a")
    assert_clean(analyze(PROTO2 + new + b(b"\x00" * 24) + BUILD + STOP))


def test_memory_mapped_table_is_not_allowed() -> None:
    """A Dataset whose table is memory-mapped opens the file its pickle names: still unknown."""
    a = analyze(_newobj("datasets.table", "MemoryMappedTable", EMPTY_DICT))
    assert "AIR-PKL-002" in rules(a) and severe(a)


def test_features_reduce_is_clean() -> None:
    feats = call(glob("datasets.features.features", "Features"), EMPTY_DICT)
    assert_clean(analyze(PROTO2 + feats + STOP))


def test_real_saves_are_clean(tmp_path: Path) -> None:
    """The libraries' own objects (skipped when river is not installed)."""
    import airlock

    river = pytest.importorskip("river")
    from river import linear_model, neighbors, preprocessing

    objs = {
        "logreg.pkl": preprocessing.StandardScaler() | linear_model.LogisticRegression(),
        "pa.pkl": linear_model.PAClassifier(mode=2),
        "knn.pkl": neighbors.KNNClassifier(n_neighbors=3),
    }
    for name, model in objs.items():
        for i in range(30):
            model.learn_one({"a": i / 30, "b": (i % 7) / 7}, i % 2 == 0)
        path = tmp_path / name
        path.write_bytes(pickle.dumps(model, protocol=4))
        report = airlock.scan(path)
        assert report.findings == [] and not report.not_scanned, (name, report.findings)
    assert river


# -- gensim: SaveLoad.load reads the files its state's lists name (airlock.scan.gensim_specials)

W2V = ("gensim.models.word2vec", "Word2Vec")
EMPTY_LIST = b"]"
APPEND = b"a"
POP = b"0"


def _names(*names: str) -> bytes:
    out = EMPTY_LIST
    for n in names:
        out += s(n) + APPEND
    return out


def _saveload_state(**lists: tuple[str, ...]) -> bytes:
    state = EMPTY_DICT
    for key, names in lists.items():
        state += s(f"__{key}") + _names(*names) + SETITEM
    return state


def _w2v(state: bytes, after: bytes = b"") -> bytes:
    obj = call(glob("copyreg", "__newobj__"), glob(*W2V))
    return PROTO2 + obj + state + BUILD + after + STOP


HONEST = {
    "numpys": ("syn1neg",),
    "scipys": (),
    "ignoreds": ("cum_table",),
    "recursive_saveloads": ("wv",),
}


def test_gensim_honest_state_is_clean() -> None:
    assert_clean(analyze(_w2v(_saveload_state(**HONEST))))
    kv = call(glob("copyreg", "__newobj__"), glob("gensim.models.keyedvectors", "KeyedVectors"))
    vals = EMPTY_DICT + s("hashfxn") + glob("builtins", "hash") + SETITEM
    assert_clean(analyze(PROTO2 + kv + vals + BUILD + STOP))


@pytest.mark.parametrize(
    "lists",
    [
        {**HONEST, "scipys": ("syn1neg",)},  # SaveLoad.load unpickles <file>.syn1neg.npy
        {**HONEST, "numpys": ("../../../tmp/x",)},
        {**HONEST, "recursive_saveloads": ("wv/../../x",)},
        {**HONEST, "ignoreds": ("a b",)},
    ],
)
def test_gensim_lists_naming_other_files_are_denied(lists: dict[str, tuple[str, ...]]) -> None:
    a = analyze(_w2v(_saveload_state(**lists)))
    assert "AIR-PKL-018" in rules(a) and severe(a)


def test_gensim_list_appended_after_build_is_denied() -> None:
    """The list the BUILD installed is memoised and grows afterwards: judged as it ends."""
    state = EMPTY_DICT + s("__scipys") + EMPTY_LIST + put(1) + SETITEM
    a = analyze(_w2v(state, after=get(1) + s("syn1neg") + APPEND + POP))
    assert "AIR-PKL-018" in rules(a) and severe(a)


def test_gensim_state_that_is_not_a_dict_is_denied() -> None:
    pair = MARK + _saveload_state(**HONEST) + EMPTY_DICT + s("__scipys") + _names("x")
    pair += SETITEM + TUPLE
    a = analyze(_w2v(pair))
    assert "AIR-PKL-018" in rules(a) and severe(a)


def test_gensim_code_in_state_or_value_call_is_denied(tmp_path: Path) -> None:
    cmd = call(glob("os", "system"), s(touch_cmd(tmp_path / "ran")))
    state = _saveload_state(**HONEST) + s("corpus") + cmd + SETITEM
    assert severe(analyze(_w2v(state)), Severity.CRITICAL)
    a = analyze(PROTO2 + call(glob("gensim.utils", "call_on_class_only"), s("x")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


def test_lda_model_needs_its_siblings_judged() -> None:
    """LdaModel.load also unpickles the fixed siblings .state and .id2word: the class is known
    (fp14) but a scan without those files keeps AIR-PKL-018 (tests/scan_pickle/test_gensim_lda.py:
    folder scans)."""
    from airlock.scan.engine import scan_data

    obj = call(glob("copyreg", "__newobj__"), glob("gensim.models.ldamodel", "LdaModel"))
    data = PROTO2 + obj + _saveload_state(**HONEST) + BUILD + STOP
    assert "AIR-PKL-002" not in rules(analyze(data))
    found = {f.rule_id for f in scan_data(data, "lda.model").findings}
    assert "AIR-PKL-018" in found


def test_dot_model_name_is_exempt_only_for_gensim_models(tmp_path: Path) -> None:
    """gensim documents `.model` for its pickles; any other pickle named so, or a gensim
    pickle named like another safe format, is still a disguise (AIR-SCAN-003)."""
    import airlock

    honest = _w2v(_saveload_state(**HONEST))
    (tmp_path / "w2v.model").write_bytes(honest)
    report = airlock.scan(tmp_path / "w2v.model")
    assert report.findings == [] and not report.not_scanned, report.findings
    (tmp_path / "x.model").write_bytes(PROTO2 + EMPTY_DICT + STOP)
    (tmp_path / "w2v.safetensors").write_bytes(honest)
    for name in ("x.model", "w2v.safetensors"):
        found = {f.rule_id for f in airlock.scan(tmp_path / name).findings}
        assert "AIR-SCAN-003" in found, name


def test_gensim_real_saves_are_clean(tmp_path: Path) -> None:
    """gensim's own save, inline and with sibling arrays (skipped without gensim)."""
    import airlock

    pytest.importorskip("gensim")
    from gensim.models import Word2Vec

    corpus = [[f"w{(i * j) % 17}" for j in range(6)] for i in range(30)]
    model = Word2Vec(corpus, vector_size=8, min_count=1, seed=1, workers=1)
    model.save(str(tmp_path / "w2v.model"))
    (tmp_path / "sep").mkdir()
    model.save(str(tmp_path / "sep" / "w2v.model"), sep_limit=0)
    for path in (tmp_path / "w2v.model", tmp_path / "sep"):
        res = airlock.check(path)
        assert res.allowed, [(f.rule_id, f.evidence) for f in res.findings]


# -- spaCy Doc / Vocab pickles: nested srsly (cloudpickle) bytes judged as files of their own


def _doc(hooks: bytes, vocab: bytes = NONE) -> bytes:
    fn = glob("spacy.tokens.doc", "unpickle_doc")
    return PROTO2 + call(fn, vocab, hooks, b(b"\x85\xa4text\xa2hi")) + STOP


def _latin1(data: bytes) -> bytes:
    """Protocol 2's bytes: _codecs.encode(text, 'latin1')."""
    return call(glob("_codecs", "encode"), s(data.decode("latin-1")), s("latin1"))


def test_spacy_doc_pickle_is_clean(tmp_path: Path) -> None:
    import airlock

    hooks = pickle.dumps(({}, {}, {}, {}), protocol=5)
    getters = pickle.dumps({}, protocol=5)
    vocab = call(
        glob("spacy.vocab", "unpickle_vocab"),
        call(glob("spacy.strings", "StringStore"), EMPTY_LIST + s("hi") + APPEND),
        call(glob("spacy.vectors", "unpickle_vectors"), b(b"\x80")),
        call(glob("spacy.morphology", "unpickle_morphology"), NONE, EMPTY_LIST),
        NONE,
        _latin1(getters),
        _newobj_expr("spacy.lookups", "Lookups"),
        glob("spacy.lang.en.syntax_iterators", "noun_chunks"),
    )
    for i, data in enumerate((_doc(b(hooks), vocab), _doc(_latin1(hooks), vocab))):
        path = tmp_path / f"doc{i}.pkl"
        path.write_bytes(data)
        report = airlock.scan(path)
        assert report.findings == [] and not report.not_scanned, report.findings


def _newobj_expr(module: str, name: str) -> bytes:
    return call(glob("copyreg", "__newobj__"), glob(module, name)) + EMPTY_DICT + BUILD


@pytest.mark.parametrize("latin1", [False, True])
def test_spacy_doc_with_code_in_its_nested_pickle_is_denied(tmp_path: Path, latin1: bool) -> None:
    import airlock

    inner = PROTO2 + call(glob("os", "system"), s(touch_cmd(tmp_path / "ran"))) + STOP
    path = tmp_path / "doc.pkl"
    path.write_bytes(_doc(_latin1(inner) if latin1 else b(inner)))
    found = airlock.scan(path).findings
    assert any(f.severity >= Severity.CRITICAL for f in found), found


def test_spacy_doc_hooks_not_bytes_are_denied() -> None:
    """The nested argument must be bytes the engine judges: anything else is not judged."""
    a = analyze(_doc(call(glob("spacy.strings", "StringStore"), EMPTY_LIST)))
    assert severe(a)


def test_spacy_noun_chunks_called_at_load_is_denied() -> None:
    fn = glob("spacy.lang.en.syntax_iterators", "noun_chunks")
    a = analyze(PROTO2 + call(fn, NONE) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)
