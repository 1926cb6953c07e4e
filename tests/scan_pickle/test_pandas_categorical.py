"""pandas arrays that index outside themselves: Categorical codes outside the categories,
NDArrayBacked arrays never given a state, masked arrays whose mask is not their data's shape.

Red team rt17pk (session 16): a Categorical pickles as ``__pyx_unpickle_NDArrayBacked(
Categorical, checksum, None)`` and a BUILD of ``(CategoricalDtype, codes)``; pandas checks
nothing, and takes ``categories[codes]`` with bounds checks off. A code of 2**40 scanned clean
and ``astype(object)`` (Categorical, Series) or ``to_numpy()`` (DataFrame) crashed the process
(SIGSEGV). The same helper with no BUILD leaves the array's ndarray NULL: ``len()`` SIGSEGV
(DatetimeArray, StringArray, Categorical). An IntegerArray (``__newobj__`` + ``__dict__``
state) with a one-element ``_mask`` under 3,000 values loads and ``groupby(k).cumsum()``
SIGSEGVs. All are AIR-PKL-017 now (airlock.scan.pandas_cat).
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import warnings
from typing import Any

import pytest

from tests.scan_pickle.builders import analyze

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
arrays_lib = pytest.importorskip("pandas._libs.arrays")
joblib = pytest.importorskip("joblib")

_UNPICKLE = arrays_lib.__pyx_unpickle_NDArrayBacked


def _bad_cat(codes: Any, categories: Any = ("a", "b")) -> Any:
    """A Categorical whose codes are ``codes`` (int array), as __setstate__ accepts it."""
    good = pd.Categorical(list(categories))
    cat = pd.Categorical.__new__(pd.Categorical)
    cat.__setstate__((good.dtype, np.asarray(codes)))
    return cat


class _Unbuilt:
    """Pickles as ``__pyx_unpickle_NDArrayBacked(cls, checksum, None)`` with no state."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __reduce__(self) -> Any:
        checksum = pd.Categorical(["a"]).__reduce_ex__(4)[1][1]
        return (_UNPICKLE, (self.cls, checksum, None))


def _bad_masked(mask: Any, n: int = 3000) -> Any:
    """A frame whose Int64 column's mask is ``mask`` (its constructor would refuse it)."""
    df = pd.DataFrame({"k": [1, 2, 3] * (n // 3)})
    df["v"] = pd.array([1, 2, 3] * (n // 3), dtype="Int64")
    for block in df._mgr.blocks:
        if type(block.values).__name__ == "IntegerArray":
            block.values._mask = mask
    return df


class _Backed:
    """Pickles as ``__pyx_unpickle_NDArrayBacked(cls, checksum, None)`` + BUILD (dtype, data)."""

    def __init__(self, cls: type, dtype: Any, data: Any) -> None:
        self.cls, self.dtype, self.data = cls, dtype, data

    def __reduce__(self) -> Any:
        checksum = pd.Categorical(["a"]).__reduce_ex__(4)[1][1]
        return (_UNPICKLE, (self.cls, checksum, None), (self.dtype, self.data))


def _rules(data: bytes) -> list[str]:
    return [f.rule_id for f in analyze(data).findings]


def _hostile() -> dict[str, Any]:
    big = np.array([0, 2**40, 1], dtype=np.int64)
    return {
        "codes_huge": _bad_cat(big),
        "codes_huge_series": pd.Series(_bad_cat(big)),
        "codes_huge_frame": pd.DataFrame({"x": _bad_cat(big), "y": [1, 2, 3]}),
        "codes_int8_past_end": pd.Series(_bad_cat(np.array([0, 2], dtype=np.int8))),
        "codes_below_minus_one": _bad_cat(np.array([0, -2], dtype=np.int8)),
        "codes_int_categories": _bad_cat(np.array([0, 5], dtype=np.int8), categories=(1, 2)),
        "codes_cidx": pd.CategoricalIndex(_bad_cat(np.array([0, 9], dtype=np.int8))),
        "unbuilt_datetime": _Unbuilt(pd.arrays.DatetimeArray),
        "unbuilt_string": {"x": _Unbuilt(pd.arrays.StringArray)},
        "unbuilt_categorical": [_Unbuilt(pd.Categorical)],
        "datetime_over_float": _Backed(
            pd.arrays.DatetimeArray, np.dtype("M8[ns]"), np.array([1.5, 2.5])
        ),
        "datetime_over_int8": _Backed(
            pd.arrays.DatetimeArray, np.dtype("M8[ns]"), np.array([1, 2], dtype=np.int8)
        ),
        "period_over_float": _Backed(pd.arrays.PeriodArray, pd.PeriodDtype("M"), np.ones(2)),
        "string_over_int": _Backed(pd.arrays.StringArray, pd.StringDtype("python"), np.ones(2)),
        "masked_short_mask": _bad_masked(np.zeros(1, dtype=bool)),
        "masked_long_mask": _bad_masked(np.zeros(6000, dtype=bool)),
        "masked_2d_mask": _bad_masked(np.zeros((3000, 1), dtype=bool)),
    }


@pytest.mark.parametrize("case", sorted(_hostile()))
@pytest.mark.parametrize("proto", [0, 2, 4])
def test_hostile_categoricals_are_not_proven(case: str, proto: int) -> None:
    assert "AIR-PKL-017" in _rules(pickle.dumps(_hostile()[case], protocol=proto))


class _StateInCall:
    """Pickles as ``__pyx_unpickle_NDArrayBacked(Categorical, checksum, (dtype, codes))``:
    Cython's own __set_state, which pandas never writes; not proven whatever the codes."""

    def __reduce__(self) -> Any:
        good = pd.Categorical(["a", "b"])
        checksum = good.__reduce_ex__(4)[1][1]
        return (_UNPICKLE, (pd.Categorical, checksum, (good.dtype, np.array([0, 1]))))


def test_state_given_to_the_helper_is_not_proven() -> None:
    assert "AIR-PKL-017" in _rules(pickle.dumps(_StateInCall(), protocol=4))


def _honest() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "str": pd.Categorical(["a", "b", "a", None]),
            "int": pd.Categorical([1, 2, 3, 2]),
            "float_nan": pd.Categorical([1.5, np.nan, 2.5]),
            "ordered": pd.Categorical(["lo", "hi"], categories=["lo", "hi"], ordered=True),
            "empty": pd.Categorical([]),
            "int16_codes": pd.Categorical([f"v{i}" for i in range(300)]),
            "datetime": pd.Categorical(pd.to_datetime(["2024-01-01", "2024-02-01"])),
            "tz": pd.Categorical(pd.to_datetime(["2024-01-01"]).tz_localize("UTC")),
            "period": pd.Categorical(pd.period_range("2024-01", periods=3, freq="M")),
            "interval": pd.cut(pd.Series([1, 5, 9]), bins=3),
            "timedelta": pd.Categorical(pd.to_timedelta([1, 2], unit="s")),
            "object": pd.Categorical(
                np.array(["x", "y"], dtype=object), categories=pd.Index(["x", "y"], dtype=object)
            ),
            "frame": pd.DataFrame({"c": pd.Categorical(list("abc")), "x": [1.0, 2.0, 3.0]}),
            "cidx": pd.DataFrame({"x": [1, 2]}, index=pd.CategoricalIndex(["a", "b"])),
            "datetime_array": pd.to_datetime(["2024-01-01"]).array,
            "string_array": pd.array(["a", "b"], dtype="string[python]"),
            "masked_int": pd.array([1, None, 3], dtype="Int64"),
            "masked_bool": pd.Series([True, None], dtype="boolean"),
            "masked_frame": pd.DataFrame(
                {"a": pd.array([1, None], dtype="UInt8"), "b": pd.array([0.5, None], "Float32")}
            ),
            "masked_empty": pd.array([], dtype="Int16"),
            # an Index's masked data carries _readonly (held-out seed 1617 found it denied)
            "masked_index": pd.DataFrame(
                {"a": pd.array([1.5, None], dtype="Float64"), "x": [1, 2]}
            ).set_index("a"),
        }


@pytest.mark.parametrize("name", sorted(_honest()))
@pytest.mark.parametrize("proto", [0, 1, 2, 4, 5])
def test_honest_categoricals_stay_clean(name: str, proto: int) -> None:
    assert _rules(pickle.dumps(_honest()[name], protocol=proto)) == []


@pytest.mark.parametrize("name", ["str", "object", "frame", "empty", "period", "masked_frame"])
def test_honest_categoricals_in_joblib_stay_clean(name: str) -> None:
    buf = io.BytesIO()
    joblib.dump(_honest()[name], buf)
    found = analyze(buf.getvalue(), joblib=True).findings
    assert found == [], [(f.rule_id, f.evidence) for f in found]


@pytest.mark.parametrize(
    ("case", "use"),
    [
        ("codes_huge", "o.astype(object)"),
        ("codes_huge_frame", "o.to_numpy()"),
        ("unbuilt_datetime", "len(o)"),
        ("datetime_over_float", "print(o)"),
        ("masked_short_mask", "o.groupby('k').cumsum()"),
    ],
)
def test_oracle_hostile_categoricals_crash_pandas(case: str, use: str) -> None:
    """The bug this guards (in a child process): the pickle loads, first use crashes."""
    data = pickle.dumps(_hostile()[case], protocol=4)
    code = f"import pickle,sys\no = pickle.loads(sys.stdin.buffer.read())\n{use}\n"
    proc = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=120
    )
    assert proc.returncode != 0  # SIGSEGV (-11) in pandas 3.1.1
