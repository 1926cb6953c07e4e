"""A ColumnTransformer that picks columns with ``make_column_selector`` (red-team false positive,
session 8): the selector is a plain class, so the saved pipeline is clean; naming it in a way
that calls it at load time still is not."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import airlock

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
joblib = pytest.importorskip("joblib")
pytest.importorskip("sklearn")


def test_selector_has_no_pickle_hooks() -> None:
    """The evidence for allowing it: unpickling is object.__new__ + a __dict__ update."""
    from sklearn.compose import make_column_selector

    hooks = {
        "__reduce__",
        "__reduce_ex__",
        "__setstate__",
        "__new__",
        "__getattr__",
        "__getattribute__",
        "__setattr__",
    }
    assert make_column_selector.__mro__ == (make_column_selector, object)
    assert not hooks & set(vars(make_column_selector))


@pytest.mark.parametrize("dump", ["joblib", "pickle"])
def test_fitted_pipeline_with_selectors_is_clean(tmp_path: Path, dump: str) -> None:
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "a": rng.normal(size=40),
            "b": pd.Categorical(rng.choice(["x", "y"], 40)),
            "s": rng.choice(["p", "q"], 40),
        }
    )
    ct = ColumnTransformer(
        [
            ("num", StandardScaler(), make_column_selector(dtype_include=np.number)),
            (
                "cat",
                OneHotEncoder(handle_unknown="ignore"),
                make_column_selector(pattern="^[bs]$", dtype_include=["category", "object"]),
            ),
        ]
    )
    model = make_pipeline(ct, LogisticRegression()).fit(df, rng.integers(0, 2, 40))
    path = tmp_path / f"pipe.{dump}"
    if dump == "joblib":
        joblib.dump(model, path)
    else:
        path.write_bytes(pickle.dumps(model))
    report = airlock.scan(path)
    assert [(f.rule_id, f.evidence) for f in report.findings] == []
    assert not report.not_scanned


def test_selector_called_at_load_is_still_a_finding(tmp_path: Path) -> None:
    """Allowing the class is not allowing a call of an instance: REDUCE on the selector runs
    ``df.select_dtypes`` on whatever argument the pickle supplies."""
    path = tmp_path / "call.pkl"
    # make_column_selector()(<int>) : NEWOBJ-less REDUCE of the class, then REDUCE of the instance
    body = (
        b"\x80\x04c__builtin__\nobject\n0"
        b"csklearn.compose._column_transformer\nmake_column_selector\n)R)RK\x01\x85R."
    )
    path.write_bytes(body)
    report = airlock.scan(path)
    assert report.findings or report.not_scanned
