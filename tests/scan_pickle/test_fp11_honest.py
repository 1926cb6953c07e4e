"""Session 11 sweep (fp11): honest pickles the gate denied as unknown callables, and a hostile
variant of each newly allowed family that stays denied.

- pandas 2.0-2.3 name classes by module path (``pandas.core.frame DataFrame``); pandas 3 by
  the public name. The streams here are pandas 3's own protocol-2 pickles of the sweep's 23
  objects with every GLOBAL rewritten to the path pandas 2.2.3 writes for the same object
  (the same opcodes, the pandas 2 names); when a pandas 2.x is importable (e.g.
  ``PYTHONPATH=/tmp/fp11/old``), its own pickles are scanned too.
- pytz / dateutil time zones, every pandas offset, scikit-learn 1.5's bare ``_loss`` Cython
  losses and ``_RemainderColsList``, rare stdlib values (HTTPStatus, array, ChainMap,
  ipaddress), numpy polynomials, scipy result tuples and PCHIP/Akima interpolators.
"""

from __future__ import annotations

import array
import collections
import datetime
import http
import ipaddress
import pickle
import re
from typing import Any

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan.allowlist import ALLOW, default_policy

from .builders import (
    EMPTY_DICT,
    EMPTY_TUPLE,
    NONE,
    PROTO2,
    STOP,
    analyze,
    assert_clean,
    call,
    glob,
    s,
    severe,
)

pd = pytest.importorskip("pandas")

# pandas 3 GLOBAL -> the GLOBAL pandas 2.2.3 writes for the same object (module, name)
_P2 = {
    "pandas DataFrame": "pandas.core.frame DataFrame",
    "pandas Series": "pandas.core.series Series",
    "pandas Index": "pandas.core.indexes.base Index",
    "pandas RangeIndex": "pandas.core.indexes.range RangeIndex",
    "pandas MultiIndex": "pandas.core.indexes.multi MultiIndex",
    "pandas DatetimeIndex": "pandas.core.indexes.datetimes DatetimeIndex",
    "pandas TimedeltaIndex": "pandas.core.indexes.timedeltas TimedeltaIndex",
    "pandas PeriodIndex": "pandas.core.indexes.period PeriodIndex",
    "pandas IntervalIndex": "pandas.core.indexes.interval IntervalIndex",
    "pandas CategoricalIndex": "pandas.core.indexes.category CategoricalIndex",
    "pandas Categorical": "pandas.core.arrays.categorical Categorical",
    "pandas CategoricalDtype": "pandas.core.dtypes.dtypes CategoricalDtype",
    "pandas DatetimeTZDtype": "pandas.core.dtypes.dtypes DatetimeTZDtype",
    "pandas PeriodDtype": "pandas.core.dtypes.dtypes PeriodDtype",
    "pandas IntervalDtype": "pandas.core.dtypes.dtypes IntervalDtype",
    "pandas SparseDtype": "pandas.core.dtypes.dtypes SparseDtype",
    "pandas ArrowDtype": "pandas.core.dtypes.dtypes ArrowDtype",
    "pandas StringDtype": "pandas.core.arrays.string_ StringDtype",
    "pandas BooleanDtype": "pandas.core.arrays.boolean BooleanDtype",
    "pandas Int64Dtype": "pandas.core.arrays.integer Int64Dtype",
    "pandas Float64Dtype": "pandas.core.arrays.floating Float64Dtype",
    "pandas NA": "pandas._libs.missing NA",
    "pandas Interval": "pandas._libs.interval Interval",
    "pandas Period": "pandas._libs.tslibs.period Period",
    "pandas DateOffset": "pandas._libs.tslibs.offsets DateOffset",
    "pandas.arrays DatetimeArray": "pandas.core.arrays.datetimes DatetimeArray",
    "pandas.arrays TimedeltaArray": "pandas.core.arrays.timedeltas TimedeltaArray",
    "pandas.arrays PeriodArray": "pandas.core.arrays.period PeriodArray",
    "pandas.arrays IntervalArray": "pandas.core.arrays.interval IntervalArray",
    "pandas.arrays SparseArray": "pandas.core.arrays.sparse.array SparseArray",
    "pandas.arrays IntegerArray": "pandas.core.arrays.integer IntegerArray",
    "pandas.arrays FloatingArray": "pandas.core.arrays.floating FloatingArray",
    "pandas.arrays BooleanArray": "pandas.core.arrays.boolean BooleanArray",
    "pandas.arrays StringArray": "pandas.core.arrays.string_ StringArray",
    "pandas.arrays ArrowStringArray": "pandas.core.arrays.string_arrow ArrowStringArray",
    "pandas.arrays ArrowExtensionArray": "pandas.core.arrays.arrow.array ArrowExtensionArray",
    "pandas._libs.tslibs.nattype _nat_unpickle": "pandas._libs.tslibs.nattype __nat_unpickle",
    "pandas.core.indexes.timedeltas _new_TimedeltaIndex": "pandas.core.indexes.base _new_Index",
}
_GLOBAL = re.compile(rb"c([\w.]+)\n(\w+)\n")


def _frames() -> dict[str, Any]:
    n = 6
    return {
        "basic": pd.DataFrame({"a": range(n), "b": list("abcdef"), "f": np.linspace(0, 1, n)}),
        "cat": pd.DataFrame({"c": pd.Categorical(list("abcabc"))}),
        "tz_str": pd.DataFrame({"t": pd.date_range("2026-01-01", periods=n, tz="Europe/Paris")}),
        "tz_utc": pd.DataFrame({"t": pd.date_range("2026-01-01", periods=n, tz="UTC")}),
        "naive_dt": pd.DataFrame(
            {"t": pd.date_range("2026-01-01", periods=n)},
            index=pd.date_range("2026", periods=n, freq="h"),
        ),
        "period": pd.DataFrame({"p": pd.period_range("2026-01", periods=n, freq="M")}),
        "interval": pd.DataFrame({"i": pd.interval_range(0, n)}),
        "nullable": pd.DataFrame(
            {
                "i": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
                "s": pd.array(list("abcdef"), dtype="string"),
                "b": pd.array([True, None] * 3, dtype="boolean"),
            }
        ),
        "sparse": pd.DataFrame({"s": pd.arrays.SparseArray([0, 0, 1, 0, 2, 0])}),
        "multiindex": pd.DataFrame(
            {"v": range(n)}, index=pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]])
        ),
        "timedelta": pd.DataFrame({"d": pd.timedelta_range("1D", periods=n)}),
    }


def _objects() -> dict[str, Any]:
    """The 23 objects of /tmp/fp11/gen_old.py: 11 frames, their first column, the scalars."""
    out: dict[str, Any] = {}
    for k, df in _frames().items():
        out[f"pd223_{k}"] = df
        out[f"pd223_series_{k}"] = df["t"] if "t" in df else df.iloc[:, 0]
    out["pd223_scalars"] = {
        "ts": pd.Timestamp("2026-01-01", tz="US/Eastern"),
        "td": pd.Timedelta("1h"),
        "off": pd.offsets.MonthEnd(),
        "per": pd.Period("2026-01"),
    }
    return out


def _as_pandas2(data: bytes) -> tuple[bytes, int]:
    """The stream with each pandas 3 GLOBAL replaced by pandas 2.2.3's name for it."""
    count = 0

    def sub(m: re.Match[bytes]) -> bytes:
        nonlocal count
        key = f"{m.group(1).decode()} {m.group(2).decode()}"
        new = _P2.get(key)
        if new is None:
            return m.group(0)
        count += 1
        mod, name = new.split(" ")
        return glob(mod, name)

    return _GLOBAL.sub(sub, data), count


@pytest.mark.parametrize("name", sorted(_objects()))
def test_pandas2_paths_of_the_sweep_objects_are_clean(name: str) -> None:
    obj = _objects()[name]
    data, count = _as_pandas2(pickle.dumps(obj, protocol=2))
    assert count > 0
    for leftover in _GLOBAL.findall(data):
        assert (leftover[0], leftover[1]) != (b"pandas", b"DataFrame")
    assert_clean(analyze(data))


def test_pandas2_table_names_the_same_objects() -> None:
    """Each pandas 2 path is allowed, and where pandas 3 still has it, it is the same object."""
    import importlib

    policy = default_policy()
    for new, old in _P2.items():
        mod, name = old.split(" ")
        assert policy.classify(mod, name).status == ALLOW, old
        nmod, nname = new.split(" ")
        assert policy.classify(nmod, nname).status == ALLOW, new
        try:
            here = getattr(importlib.import_module(mod), name)
        except (ImportError, AttributeError):
            continue  # moved in pandas 3
        if "unpickle" not in name and "_new_" not in name:
            assert here is getattr(importlib.import_module(nmod), nname), old


def test_real_pandas2_pickles_are_clean_when_installed() -> None:
    if not pd.__version__.startswith("2."):
        pytest.skip("needs pandas 2.x importable (e.g. PYTHONPATH=/tmp/fp11/old)")
    for name, obj in _objects().items():
        for proto in (2, 4, 5):
            assert_clean(analyze(pickle.dumps(obj, protocol=proto))), name


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("pandas.core.frame", "read_pickle"),
        ("pandas.io.pickle", "read_pickle"),
        ("pandas.core.computation.eval", "eval"),
        ("pandas.core.frame", "DataFrame.to_pickle"),
        ("pandas.core.series", "Series.apply"),
        ("pandas.core.indexes.base", "Index.map"),
        ("pandas._libs.tslibs.offsets", "Tick"),
        ("_loss", "os"),
        ("_loss", "CyHalfBinomialLoss.__init__"),
        ("pytz", "open_resource"),
        ("pytz", "timezone"),
        ("dateutil.tz.tz", "tzlocal"),
        ("dateutil.tz", "gettz"),
        ("http.server", "HTTPServer"),
        ("http.client", "HTTPConnection"),
        ("array", "array.tofile"),
        ("ipaddress", "ip_address"),
        ("numpy.polynomial.polynomial", "polyval"),
        ("numpy", "loadtxt"),
        ("scipy.stats._stats_py", "linregress"),
        ("scipy.interpolate._cubic", "CubicHermiteSpline.from_spline"),
    ],
)
def test_same_family_callables_not_on_the_list_stay_denied(module: str, name: str) -> None:
    a = analyze(PROTO2 + call(glob(module, name), s("x")) + STOP)
    assert severe(a), (module, name)


def test_pytz_zone_is_a_zone_name() -> None:
    zone = pickle.dumps(
        datetime.datetime(2026, 1, 1, tzinfo=pytest.importorskip("pytz").timezone("US/Eastern")),
        protocol=2,
    )
    assert_clean(analyze(zone))
    assert_clean(analyze(pickle.dumps(pytest.importorskip("pytz").utc, protocol=4)))
    assert_clean(analyze(pickle.dumps(pytest.importorskip("pytz").FixedOffset(-330))))
    for bad in ("/etc/passwd", "../../etc/passwd", "US/../../etc"):
        a = analyze(PROTO2 + call(glob("pytz", "_p"), s(bad), NONE) + STOP)
        assert severe(a, Severity.CRITICAL), bad


def test_dateutil_tzfile_opens_nothing() -> None:
    tz = pytest.importorskip("dateutil.tz")
    paris = tz.gettz("Europe/Paris")
    if paris is not None and type(paris).__name__ == "tzfile":
        assert_clean(analyze(pickle.dumps(pd.Series(pd.date_range("2026", periods=3, tz=paris)))))
        assert_clean(analyze(pickle.dumps(paris, protocol=2)))
    assert_clean(analyze(pickle.dumps([tz.tzutc(), tz.tzoffset("X", 3600)], protocol=4)))
    honest = PROTO2 + call(glob("dateutil.tz.tz", "tzfile"), NONE, s("/usr/x")) + STOP
    assert_clean(analyze(honest))
    # a string first argument is a path tzfile opens and reads
    a = analyze(PROTO2 + call(glob("dateutil.tz.tz", "tzfile"), s("/etc/shadow")) + STOP)
    assert severe(a, Severity.CRITICAL)
    a = analyze(PROTO2 + glob("dateutil.tz.tz", "tzfile") + STOP)  # escapes uncalled
    assert severe(a)


def test_every_pandas_offset_is_clean() -> None:
    offs = pd.offsets
    values = [
        offs.CustomBusinessDay(holidays=["2026-01-01"]),
        offs.CustomBusinessHour(),
        offs.CustomBusinessMonthEnd(),
        offs.CustomBusinessMonthBegin(),
        offs.BusinessHour(),
        offs.SemiMonthEnd(),
        offs.QuarterEnd(startingMonth=2),
        offs.BYearBegin(),
        offs.FY5253(weekday=0, startingMonth=1, variation="nearest"),
        offs.FY5253Quarter(weekday=0, startingMonth=1, variation="nearest"),
        offs.WeekOfMonth(week=1, weekday=1),
        offs.LastWeekOfMonth(weekday=1),
        offs.Easter(),
        offs.Minute(5),
        offs.Nano(3),
    ]
    for proto in (2, 4):
        assert_clean(analyze(pickle.dumps(values, protocol=proto)))


def test_sklearn15_bare_loss_module() -> None:
    """sklearn 1.5.x writes ``_loss.CyHalfBinomialLoss`` (the Cython module's own name)."""
    stream = (
        PROTO2
        + call(
            glob("_loss", "__pyx_unpickle_CyHalfBinomialLoss"),
            glob("_loss", "CyHalfBinomialLoss"),
            b"J" + (238750788).to_bytes(4, "little"),
            EMPTY_TUPLE,
        )
        + STOP
    )
    assert_clean(analyze(stream))
    assert severe(analyze(PROTO2 + call(glob("_loss", "_loss_unknown"), EMPTY_TUPLE) + STOP))
    # ColumnTransformer's remainder list (1.5-1.6): NEWOBJ + a __dict__ state
    rem = (
        PROTO2
        + glob("sklearn.compose._column_transformer", "_RemainderColsList")
        + EMPTY_TUPLE
        + b"\x81"
        + EMPTY_DICT
        + s("data")
        + b"]K\x02a"
        + b"s"
        + s("future_dtype")
        + s("str")
        + b"s"
        + b"b"
        + STOP
    )
    assert_clean(analyze(rem))


def test_rare_stdlib_values() -> None:
    values = [
        http.HTTPStatus.NOT_FOUND,
        array.array("d", [1.0, 2.0]),
        array.array("i", [1, 2]),
        collections.ChainMap({"a": 1}, {"b": 2}),
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_address("::1"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("fe80::/64"),
        ipaddress.ip_interface("10.0.0.1/24"),
        ipaddress.ip_interface("fe80::1/64"),
    ]
    for proto in (2, 4, 5):
        assert_clean(analyze(pickle.dumps(values, protocol=proto)))
    # the http package stays dangerous apart from the status enum
    a = analyze(PROTO2 + call(glob("http.server", "SimpleHTTPRequestHandler"), s("x")) + STOP)
    assert any(f.severity >= Severity.CRITICAL for f in a.findings)


def test_numpy_polynomials() -> None:
    P = np.polynomial
    values = [
        np.poly1d([1.0, 2.0, 3.0]),
        P.Polynomial([1, 2]),
        P.Chebyshev([1, 2]),
        P.Legendre([1, 2]),
        P.Laguerre([1, 2]),
        P.Hermite([1, 2]),
        P.HermiteE([1, 2]),
    ]
    for proto in (2, 4):
        assert_clean(analyze(pickle.dumps(values, protocol=proto)))


def test_scipy_results_and_pchip() -> None:
    stats = pytest.importorskip("scipy.stats")
    interp = pytest.importorskip("scipy.interpolate")
    x = np.arange(6.0)
    lr = stats.linregress(x, x * 2 + 1)
    pr = stats.pearsonr(x, x**2)
    assert_clean(analyze(pickle.dumps([lr, pr], protocol=4)))
    for cls in (interp.PchipInterpolator, interp.Akima1DInterpolator):
        assert_clean(analyze(pickle.dumps(cls(x, np.sin(x)), protocol=4)))


def test_left_denied_on_purpose() -> None:
    """Objects whose compiled code trusts unpickled shapes or indices (no proof yet)."""
    for module, name in (
        ("scipy.spatial._qhull", "Delaunay"),
        ("scipy.spatial._qhull", "ConvexHull"),
        ("scipy.spatial.transform._rotation", "Rotation"),
        ("scipy.interpolate._rgi", "RegularGridInterpolator"),
        ("scipy.interpolate._rbfinterp", "RBFInterpolator"),
        ("scipy.interpolate._fitpack2", "LSQUnivariateSpline"),
        ("sentencepiece", "SentencePieceProcessor"),
    ):
        assert default_policy().classify(module, name).status != ALLOW, name


def test_protocol2_new_with_keywords_is_newobj() -> None:
    """torch.save (protocol 2) of a scipy result tuple: copyreg writes NEWOBJ_EX as
    partial(getattr(cls, '__new__'), cls, *args, **kwargs)(): allowed when the first argument
    is an allowed class; any other use of the __new__ stays a finding."""
    stats = pytest.importorskip("scipy.stats")
    x = np.arange(6.0)
    for result in (stats.linregress(x, x * 2 + 1), stats.pearsonr(x, x**2)):
        assert_clean(analyze(pickle.dumps(result, protocol=2)))
    new = call(
        glob("builtins", "getattr"), glob("scipy.stats._stats_py", "LinregressResult"), s("__new__")
    )
    # __new__ on something that is not an allowed class
    a = analyze(PROTO2 + call(new, s("x"), b"K\x01") + STOP)
    assert severe(a)
    a = analyze(PROTO2 + call(new, glob("mypkg", "Evil"), b"K\x01") + STOP)
    assert severe(a)
    # only __new__: __init__, __class__ and friends stay attribute traversal
    for attr in ("__init__", "__class__", "__reduce__", "__subclasses__"):
        got = call(
            glob("builtins", "getattr"), glob("scipy.stats._stats_py", "LinregressResult"), s(attr)
        )
        assert severe(analyze(PROTO2 + got + STOP), Severity.CRITICAL), attr
    # __new__ of a name allowed only as a reference or with particular arguments
    for mod, name in (("numpy", "memmap"), ("pytz", "_p"), ("builtins", "getattr")):
        got = call(glob("builtins", "getattr"), glob(mod, name), s("__new__"))
        a = analyze(PROTO2 + call(got, glob(mod, name), s("/tmp/x")) + STOP)
        assert severe(a), (mod, name)


def test_nltk_models() -> None:
    nltk = pytest.importorskip("nltk")
    from nltk.classify import NaiveBayesClassifier
    from nltk.probability import ConditionalFreqDist
    from nltk.stem.porter import PorterStemmer
    from nltk.tag import BigramTagger, DefaultTagger, UnigramTagger
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    feats = [({"w": "good"}, "pos"), ({"w": "bad"}, "neg"), ({"w": "fine"}, "pos")]
    tagged = [[("the", "DT"), ("cat", "NN"), ("sat", "VBD")]]
    text = "Dr. Smith went home. He slept well. Mr. Jones did not! Why? " * 20
    values = [
        NaiveBayesClassifier.train(feats),
        UnigramTagger(tagged, backoff=DefaultTagger("NN")),
        BigramTagger(tagged),
        PorterStemmer(),
        PunktSentenceTokenizer(text),
        ConditionalFreqDist([("a", "x"), ("a", "y"), ("b", "x")]),
        nltk.FreqDist("abracadabra"),
    ]
    for proto in (2, 4):
        assert_clean(analyze(pickle.dumps(values, protocol=proto)))
    # a call of a model class runs its __init__ (training on the pickle's data)
    a = analyze(PROTO2 + call(glob("nltk.tag.sequential", "UnigramTagger"), b"]") + STOP)
    assert "AIR-PKL-009" in {f.rule_id for f in a.findings} and severe(a)
    for mod, name in (
        ("nltk.data", "load"),
        ("nltk", "download"),
        ("nltk.tokenize.punkt", "PunktTrainer"),
        ("nltk.probability", "FreqDist.plot"),
    ):
        assert severe(analyze(PROTO2 + call(glob(mod, name), s("x")) + STOP)), name
