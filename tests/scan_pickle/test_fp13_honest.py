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
    NONE,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    b,
    call,
    glob,
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
]


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
