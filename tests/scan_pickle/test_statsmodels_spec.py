"""statsmodels' predict hands ``model.model_spec`` (or ``model.data.model_spec``) to the formula
engine, which evaluates a string spec's terms as Python: a results pickle whose model (or data)
state sets ``model_spec`` to a crafted formula runs code at ``results.predict(df)`` (rt16lib:
ALLOW before, the formula check covered only ``ModelData.formula`` at load). Honest saves never
store the key (``ModelData.__getstate__`` drops it; the model's ``_init_keys`` list names it)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Severity
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    b,
    call,
    glob,
    s,
)

OLS = ("statsmodels.regression.linear_model", "OLS")
EVIL = "a + I(__import__('os').system('touch /nonexistent/airlock-rt16lib') * 0)"


def _critical(data: bytes) -> set[str]:
    return {f.rule_id for f in analyze(data).findings if f.severity >= Severity.CRITICAL}


def _model(state: bytes) -> bytes:
    obj = call(glob("copyreg", "__newobj__"), glob(*OLS))
    return PROTO2 + obj + state + BUILD + STOP


def test_model_spec_key_in_a_model_state_is_critical() -> None:
    state = EMPTY_DICT + s("formula") + s("y ~ a") + SETITEM
    state += s("model_spec") + s(EVIL) + SETITEM
    assert "AIR-PKL-016" in _critical(_model(state))
    # the other spec attributes ProcessMLE keeps on its data, and a DICT-built state
    for key in ("scale_model_spec", "noise_model_spec"):
        assert "AIR-PKL-016" in _critical(_model(EMPTY_DICT + s(key) + s(EVIL) + SETITEM))
    built = MARK + s("model_spec") + s(EVIL) + b"d"
    assert "AIR-PKL-016" in _critical(_model(built))


def test_model_spec_in_pairs_or_outside_init_keys_is_critical() -> None:
    """A BUILD state built by ``OrderedDict(pairs)`` / ``dict(pairs)`` (``__dict__.update``
    takes any mapping), or the name pushed anywhere but the model's ``_init_keys`` list."""
    pairs = b"]" + MARK + MARK + s("model_spec") + s(EVIL) + b"t" + b"e"
    for module, name in (("collections", "OrderedDict"), ("builtins", "dict")):
        assert "AIR-PKL-016" in _critical(_model(call(glob(module, name), pairs))), name
    listed = b"]" + MARK + s("model_spec") + b"e"
    state = EMPTY_DICT + s("other_keys") + listed + SETITEM
    assert "AIR-PKL-016" in _critical(_model(state))


def test_model_spec_as_a_numpy_str_key_is_critical() -> None:
    dtype = call(glob("numpy", "dtype"), s("U10"), b"\x89", b"\x88")  # dtype('U10', False, True)
    key = call(glob("numpy.core.multiarray", "scalar"), dtype, b("model_spec".encode("utf-32-le")))
    state = EMPTY_DICT + key + s(EVIL) + SETITEM
    assert "AIR-PKL-016" in _critical(_model(state))


def test_honest_shapes_stay_clean() -> None:
    # the model's _init_keys list names model_spec; ModelData's restore_model_spec key
    keys = b"]" + MARK + s("missing_idx") + s("formula") + s("model_spec") + b"e"
    state = EMPTY_DICT + s("_init_keys") + keys + SETITEM
    state += s("restore_model_spec") + b"\x88" + SETITEM
    assert_clean(analyze(_model(state)))
    # a model_spec key with no statsmodels object in the pickle is no statsmodels spec
    plain = PROTO2 + EMPTY_DICT + s("model_spec") + s("x") + SETITEM + STOP
    assert_clean(analyze(plain))


def test_real_results_with_a_crafted_spec_run_code_at_predict(tmp_path: Path) -> None:
    """An honest formula results ``save()`` is clean; the same results with a crafted
    ``model.model_spec`` / ``data.model_spec`` are AIR-PKL-016, and the real loader, in a child
    process, runs the formula at ``predict`` (harmless marker file)."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    smf = pytest.importorskip("statsmodels.formula.api")

    import airlock

    rs = np.random.RandomState(0)
    df = pd.DataFrame({"y": rs.rand(30), "a": rs.rand(30), "g": list("abc") * 10})
    res = smf.ols("y ~ a + C(g)", df).fit()
    res.save(tmp_path / "honest.pickle")
    assert airlock.scan(tmp_path / "honest.pickle").findings == []
    loader = (
        "import statsmodels.api as sm, pandas as pd, sys\n"
        "r = sm.load(sys.argv[1])\n"
        "try:\n    r.predict(pd.DataFrame({'a': [1.0], 'g': ['a']}))\n"
        "except Exception:\n    pass\n"
    )
    for where in ("model", "data"):
        marker = tmp_path / f"marker_{where}"
        spec = f"a + I(__import__('pathlib').Path({str(marker)!r}).touch())"
        evil = smf.ols("y ~ a + C(g)", df).fit()
        if where == "model":
            evil.model.model_spec = spec
            data = pickle.dumps(evil, protocol=4)
        else:
            from statsmodels.base.data import ModelData

            original = ModelData.__getstate__

            def getstate(self: object, spec: str = spec) -> dict[str, object]:
                state = dict(original(self))  # type: ignore[arg-type]
                state.pop("restore_model_spec", None)
                state["model_spec"] = spec
                return state

            ModelData.__getstate__ = getstate  # type: ignore[method-assign]
            try:
                data = pickle.dumps(evil, protocol=4)
            finally:
                ModelData.__getstate__ = original  # type: ignore[method-assign]
        path = tmp_path / f"evil_{where}.pickle"
        path.write_bytes(data)
        report = airlock.scan(path)
        assert "AIR-PKL-016" in {f.rule_id for f in report.findings}, where
        subprocess.run([sys.executable, "-c", loader, str(path)], check=False, timeout=300)
        assert marker.exists(), where  # the finding is real: predict evaluated the spec
