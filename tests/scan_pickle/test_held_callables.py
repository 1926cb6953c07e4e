"""Classes allowed only as ``__new__`` held where scikit-learn calls them (AIR-PKL-009).

Red team rt16pk (session 15): ``FunctionTransformer(func=optuna.study.study.Study,
kw_args={"storage": "sqlite:///PATH"})`` scanned clean (``Study`` is allowed as a value, the way
pickle saves a class reference, and its ``__init__`` is never called at load), but
``transform(X)`` calls ``Study(X, storage=...)``, which creates a SQLite database at PATH. A
``new_only`` class that reaches code as a value in a pickle that also holds a scikit-learn (or
imbalanced-learn) object is now a finding, however the value reaches the estimator.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    MARK,
    POP,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    call,
    get,
    glob,
    put,
    rules,
    s,
)

NEWOBJ = b"\x81"
APPEND = b"a"
EMPTY_LIST = b"]"
FT = ("sklearn.preprocessing._function_transformer", "FunctionTransformer")
STUDY = ("optuna.study.study", "Study")


def _ft_state(func: bytes, storage: str) -> bytes:
    kw = EMPTY_DICT + s("storage") + s(storage) + SETITEM
    return (
        EMPTY_DICT
        + s("func")
        + func
        + SETITEM
        + s("kw_args")
        + kw
        + SETITEM
        + s("validate")
        + b"\x89"
        + SETITEM
    )


def test_function_transformer_with_a_new_only_func_is_denied() -> None:
    body = glob(*FT) + EMPTY_TUPLE + NEWOBJ + _ft_state(glob(*STUDY), "sqlite:///x.db") + BUILD
    assert "AIR-PKL-009" in rules(analyze(PROTO2 + body + STOP))


def test_the_value_shared_through_the_memo_from_elsewhere_is_denied() -> None:
    # the class first sits in a list handed to other code (walked there once), then the same
    # list object is the estimator's func holder: still a finding
    shared = EMPTY_LIST + glob(*STUDY) + APPEND + put(1)
    other = call(glob("collections", "OrderedDict"), EMPTY_TUPLE) + POP
    est = glob(*FT) + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + s("memory") + get(1) + SETITEM + BUILD
    data = PROTO2 + shared + POP + MARK + other + est + b"t" + STOP
    assert "AIR-PKL-009" in rules(analyze(data))


def test_an_estimator_built_by_a_call_with_the_class_is_denied() -> None:
    ft = call(glob(*FT), glob(*STUDY))
    assert "AIR-PKL-009" in rules(analyze(PROTO2 + ft + STOP))


def test_honest_function_transformer_and_river_factories_stay_clean() -> None:
    sk = pytest.importorskip("sklearn.preprocessing")
    np = pytest.importorskip("numpy")
    ft = sk.FunctionTransformer(func=np.log1p, inverse_func=np.expm1, validate=True)
    ft.fit(np.ones((3, 2)))
    assert "AIR-PKL-009" not in rules(analyze(pickle.dumps(ft, protocol=4)))
    # a new_only class as a value with no scikit-learn object (river's defaultdict(Max))
    data = PROTO2 + call(glob("collections", "defaultdict"), glob("river.stats.maximum", "Max"))
    assert "AIR-PKL-009" not in rules(analyze(data + STOP))


MAX = ("river.stats.maximum", "Max")
DD = ("collections", "defaultdict")


def test_river_factory_next_to_an_estimator_stays_clean() -> None:
    """Session 16 (rt17pk): a joblib dict of a scikit-learn model and a river MinMaxScaler
    (``defaultdict(Min)``, ``defaultdict(Max)``) was AIR-PKL-009: a defaultdict calls its
    factory with no arguments, so a river statistic held there is not a callable for
    scikit-learn to call with its own."""
    river = pytest.importorskip("river.preprocessing")
    sk = pytest.importorskip("sklearn.linear_model")
    np = pytest.importorskip("numpy")
    scaler = river.MinMaxScaler()
    for x in ({"a": 1.0, "b": 2.0}, {"a": 3.0, "b": -1.0}):
        scaler.learn_one(x)
    model = sk.LogisticRegression().fit(np.random.rand(20, 3), np.arange(20) % 2)
    assert rules(analyze(pickle.dumps({"sk": model, "river": scaler}, protocol=4))) == set()
    est = glob(*FT) + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + BUILD
    data = PROTO2 + MARK + call(glob(*DD), glob(*MAX)) + est + b"t" + STOP
    assert "AIR-PKL-009" not in rules(analyze(data))


def test_river_factory_shared_with_the_estimator_is_still_denied() -> None:
    # the same class object, from the memo, is also the estimator's func: a finding there
    dd = call(glob(*DD), glob(*MAX) + put(1))
    est = glob(*FT) + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + s("func") + get(1) + SETITEM + BUILD
    assert "AIR-PKL-009" in rules(analyze(PROTO2 + MARK + dd + est + b"t" + STOP))
    # a factory that is not a river statistic, or a second argument, is judged as before
    other = call(glob(*DD), glob(*STUDY))
    assert "AIR-PKL-009" in rules(analyze(PROTO2 + MARK + other + est + b"t" + STOP))
    extra = call(glob(*DD), glob(*MAX), glob(*STUDY))
    assert "AIR-PKL-009" in rules(analyze(PROTO2 + MARK + extra + est + b"t" + STOP))


def test_real_transform_creates_the_file_and_the_scan_denies(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("optuna")
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("joblib")
    path, marker = tmp_path / "ft.joblib", tmp_path / "marker.db"
    make = (
        "import joblib,sys\n"
        "from sklearn.preprocessing import FunctionTransformer\n"
        "from optuna.study.study import Study\n"
        "ft = FunctionTransformer(func=Study, kw_args={'storage': 'sqlite:///' + sys.argv[2]})\n"
        "joblib.dump(ft, sys.argv[1])\n"
    )
    subprocess.run([sys.executable, "-c", make, str(path), str(marker)], timeout=300, check=True)
    assert "AIR-PKL-009" in rules(analyze(path.read_bytes(), joblib=True))
    # the oracle: joblib.load, then the first transform creates the database (harmless, empty)
    use = (
        "import joblib,sys\nm = joblib.load(sys.argv[1])\n"
        "try: m.transform([[1.0, 2.0]])\nexcept Exception: pass\n"
    )
    subprocess.run([sys.executable, "-c", use, str(path)], timeout=300, check=False)
    assert marker.exists()
