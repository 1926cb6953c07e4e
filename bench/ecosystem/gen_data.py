"""Data libraries: pandas (every extension dtype, every index type), numpy object arrays of
plain values, scipy sparse and frozen scipy.stats distributions, statsmodels results."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from bench.ecosystem.writer import Writer


def pandas_objects(w: Writer) -> None:
    import numpy as np
    import pandas as pd

    n = 6
    dtypes: dict[str, Any] = {
        "category": pd.Categorical(list("abcabc")),
        "category-ordered": pd.Categorical(list("abcabc"), ordered=True),
        "string-python": pd.array(list("abcdef"), dtype="string[python]"),
        "Int8": pd.array([1, None, 3, 4, 5, 6], dtype="Int8"),
        "Int64": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
        "UInt32": pd.array([1, None, 3, 4, 5, 6], dtype="UInt32"),
        "Float32": pd.array([1.5, None, 3, 4, 5, 6], dtype="Float32"),
        "Float64": pd.array([1.5, None, 3, 4, 5, 6], dtype="Float64"),
        "boolean": pd.array([True, None, False, True, False, True], dtype="boolean"),
        "datetime64-tz": pd.date_range("2026-01-01", periods=n, tz="Europe/Paris"),
        "datetime64-utc": pd.date_range("2026-01-01", periods=n, tz="UTC"),
        "datetime64": pd.date_range("2026-01-01", periods=n),
        "timedelta64": pd.timedelta_range("1D", periods=n),
        "period": pd.period_range("2026-01", periods=n, freq="M"),
        "interval": pd.interval_range(0, n),
        "sparse-float": pd.arrays.SparseArray([0.0, 0, 1, 0, 2, 0]),
        "sparse-int": pd.arrays.SparseArray([0, 0, 1, 0, 2, 0], fill_value=0),
        "object": np.array(["a", 1, 2.5, None, (1, 2), "z"], dtype=object),
    }
    try:
        dtypes["string-pyarrow"] = pd.array(list("abcdef"), dtype="string[pyarrow]")
        dtypes["arrow-int64"] = pd.array(range(n), dtype="int64[pyarrow]")
    except Exception as exc:
        w.skip("pandas pyarrow dtypes", exc)
    for name, arr in dtypes.items():
        s = pd.Series(arr, name=name)
        w.pickle(f"Series-{name}", s)
        w.pickle(f"DataFrame-{name}", pd.DataFrame({"x": arr, "y": range(n)}), protocols=(4, 5))
        w.joblib(f"DataFrame-{name}", pd.DataFrame({"x": arr}), compressors=("raw", "zlib"))
    indexes: dict[str, Any] = {
        "RangeIndex": pd.RangeIndex(n),
        "Index-int": pd.Index([3, 1, 2, 5, 4, 6]),
        "Index-str": pd.Index(list("abcdef")),
        "Index-float": pd.Index([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]),
        "Index-bool": pd.Index([True, False] * 3),
        "CategoricalIndex": pd.CategoricalIndex(list("abcabc")),
        "DatetimeIndex": pd.date_range("2026-01-01", periods=n, freq="h"),
        "DatetimeIndex-tz": pd.date_range("2026-01-01", periods=n, tz="US/Eastern"),
        "TimedeltaIndex": pd.timedelta_range("1h", periods=n),
        "PeriodIndex": pd.period_range("2026Q1", periods=n, freq="Q"),
        "IntervalIndex": pd.interval_range(0, n),
        "MultiIndex": pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]], names=["k", "v"]),
        "Index-Int64": pd.Index(pd.array(range(n), dtype="Int64")),
    }
    for name, idx in indexes.items():
        w.pickle(f"Index-{name}", idx)
        w.pickle(f"Frame-index-{name}", pd.DataFrame({"v": range(n)}, index=idx), protocols=(4, 5))
        w.joblib(
            f"Frame-index-{name}",
            pd.DataFrame({"v": range(n)}, index=idx),
            compressors=("raw", "gzip"),
        )
    scalars: dict[str, Any] = {
        "Timestamp": pd.Timestamp("2026-01-01 12:00", tz="UTC"),
        "Timedelta": pd.Timedelta("3h"),
        "Period": pd.Period("2026-03", freq="M"),
        "Interval": pd.Interval(0, 1),
        "NaT": pd.NaT,
        "NA": pd.NA,
        "DateOffset": pd.DateOffset(months=2),
        "offsets.BDay": pd.offsets.BDay(2),
        "offsets.MonthEnd": pd.offsets.MonthEnd(),
        "offsets.Week": pd.offsets.Week(weekday=1),
    }
    for name, v in scalars.items():
        w.pickle(f"scalar-{name}", v)
    frame = pd.DataFrame({"a": range(n), "b": list("abcdef")}).set_index("b")
    w.custom(
        "DataFrame.to_pickle",
        "pandas-to_pickle",
        "to_pickle/frame.pkl",
        lambda p: frame.to_pickle(p),
    )
    for comp in ("gzip", "bz2", "xz", "zip", "zstd"):
        w.custom(
            f"DataFrame.to_pickle({comp})",
            f"pandas-to_pickle-{comp}",
            f"to_pickle/frame.pkl.{comp}",
            lambda p, c=comp: frame.to_pickle(p, compression=c),
        )
    w.pickle("groupby-agg", frame.reset_index().groupby("b").agg("sum"))
    w.pickle("Styler-free pivot", frame.reset_index().pivot_table(index="b", values="a"))


def numpy_objects(w: Writer) -> None:
    import numpy as np

    objs: dict[str, Any] = {
        "object-strings": np.array(["a", "bb", "ccc"], dtype=object),
        "object-mixed": np.array([1, 2.5, "x", None, True, b"y"], dtype=object),
        "object-nested": np.array([[1, 2], [3], []], dtype=object),
        "object-dates": np.array([datetime.date(2026, 1, 1), decimal.Decimal("1.5")], dtype=object),
        "object-dicts": np.array([{"a": 1}, {"b": [1, 2]}], dtype=object),
        "float64": np.linspace(0, 1, 10),
        "int-fortran": np.asfortranarray(np.arange(12).reshape(3, 4)),
        "structured": np.array([(1, 2.0, b"ab")], dtype=[("a", "i4"), ("b", "f8"), ("c", "S2")]),
        "structured-object": np.array([(1, "x")], dtype=[("a", "i4"), ("o", "O")]),
        "datetime64": np.array(["2026-01-01", "2026-02-01"], dtype="datetime64[D]"),
        "timedelta64": np.array([1, 2], dtype="timedelta64[s]"),
        "complex": np.array([1 + 2j, 3 - 1j]),
        "unicode": np.array(["abc", "de"]),
        "bool": np.array([True, False]),
        "float16": np.ones(3, dtype=np.float16),
        "masked": np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]),
        "matrix": np.matrix([[1, 2], [3, 4]]),
        "scalars": [
            np.float64(1.5),
            np.int32(3),
            np.bool_(True),
            np.str_("s"),
            np.complex64(1j),
            np.datetime64("2026-01-01"),
            np.timedelta64(5, "s"),
            np.uint8(7),
        ],
        "dtype-objects": [np.dtype("f4"), np.dtype("O"), np.dtype([("a", "<i8")])],
        "rng": np.random.default_rng(1),
        "legacy-RandomState": np.random.RandomState(3),
        "bit-generators": [
            np.random.PCG64(1),
            np.random.Philox(2),
            np.random.SFC64(3),
            np.random.MT19937(4),
            np.random.PCG64DXSM(5),
        ],
        "ufuncs": [np.add, np.log1p, np.sqrt],
    }
    for name, v in objs.items():
        w.pickle(f"numpy-{name}", v, protocols=(2, 4, 5))
        w.joblib(f"numpy-{name}", v, compressors=("raw", "zlib", "bz2"))
    for name in ("object-mixed", "object-strings", "object-dicts", "structured-object"):
        w.custom(
            f"np.save {name}",
            "numpy-npy",
            f"npy/{name}.npy",
            lambda p, a=objs[name]: np.save(p, a, allow_pickle=True),
        )
    w.custom(
        "np.savez object arrays",
        "numpy-npz",
        "npy/objects.npz",
        lambda p: np.savez(p, a=objs["object-mixed"], b=objs["float64"]),
    )
    w.custom(
        "np.savez_compressed",
        "numpy-npz",
        "npy/compressed.npz",
        lambda p: np.savez_compressed(p, a=objs["object-strings"], b=objs["int-fortran"]),
    )


def scipy_objects(w: Writer) -> None:
    import numpy as np
    from scipy import sparse, stats

    dense = np.array([[0, 1.0, 0], [2, 0, 3]])
    for fmt in ("csr", "csc", "coo", "bsr", "dia", "lil", "dok"):
        for kind, make in (
            ("matrix", getattr(sparse, f"{fmt}_matrix")),
            ("array", getattr(sparse, f"{fmt}_array")),
        ):
            m = make(dense)
            w.pickle(f"sparse-{fmt}_{kind}", m)
            w.joblib(f"sparse-{fmt}_{kind}", m, compressors=("raw", "lzma"))
        w.custom(
            f"save_npz {fmt}",
            "scipy-npz",
            f"npz/{fmt}.npz",
            lambda p, f=fmt: sparse.save_npz(
                p,
                getattr(sparse, f"{f}_matrix")(dense)
                if f in ("csr", "csc", "coo", "bsr", "dia")
                else sparse.csr_matrix(dense),
            ),
        )
    frozen = {
        "norm": stats.norm(0, 1),
        "gamma": stats.gamma(2.0),
        "beta": stats.beta(2, 3),
        "expon": stats.expon(scale=2),
        "lognorm": stats.lognorm(0.5),
        "t": stats.t(5),
        "poisson": stats.poisson(3),
        "binom": stats.binom(10, 0.3),
        "uniform": stats.uniform(),
        "chi2": stats.chi2(3),
        "weibull_min": stats.weibull_min(1.5),
        "randint": stats.randint(0, 5),
        "multivariate_normal": stats.multivariate_normal([0, 0], [[1, 0], [0, 1]]),
        "dirichlet": stats.dirichlet([1, 2, 3]),
        "gaussian_kde": stats.gaussian_kde(np.random.default_rng(0).normal(size=50)),
    }
    for name, dist in frozen.items():
        w.pickle(f"stats-{name}", dist)
        w.joblib(f"stats-{name}", dist, compressors=("raw",))
    from scipy.interpolate import CubicSpline, interp1d
    from scipy.spatial import KDTree, cKDTree

    x = np.linspace(0, 1, 8)
    for name, obj in {
        "KDTree": KDTree(dense),
        "cKDTree": cKDTree(dense),
        "interp1d": interp1d(x, x**2),
        "CubicSpline": CubicSpline(x, x**2),
    }.items():
        w.pickle(f"scipy-{name}", obj)


def statsmodels_objects(w: Writer) -> None:
    import numpy as np
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    x = sm.add_constant(rng.normal(size=(40, 2)))
    y = x @ np.array([1.0, 2.0, -1.0]) + rng.normal(size=40)
    yb = (y > y.mean()).astype(float)
    models = {
        "OLS": lambda: sm.OLS(y, x).fit(),
        "WLS": lambda: sm.WLS(y, x, weights=np.ones(40)).fit(),
        "GLS": lambda: sm.GLS(y, x).fit(),
        "Logit": lambda: sm.Logit(yb, x).fit(disp=0),
        "Probit": lambda: sm.Probit(yb, x).fit(disp=0),
        "GLM-Poisson": lambda: sm.GLM(np.abs(np.round(y)), x, family=sm.families.Poisson()).fit(),
        "GLM-Binomial": lambda: sm.GLM(yb, x, family=sm.families.Binomial()).fit(),
        "RLM": lambda: sm.RLM(y, x).fit(),
        "QuantReg": lambda: sm.QuantReg(y, x).fit(),
        "ARIMA": lambda: sm.tsa.ARIMA(np.cumsum(rng.normal(size=60)), order=(1, 0, 0)).fit(),
        "ExpSmoothing": lambda: sm.tsa.ExponentialSmoothing(np.abs(rng.normal(size=40)) + 1).fit(),
    }
    for name, fit in models.items():
        try:
            res = fit()
        except Exception as exc:
            w.skip(f"statsmodels {name}", exc)
            continue
        w.custom(
            f"{name} results.save",
            "statsmodels-save",
            f"save/{name}.pickle",
            lambda p, r=res: r.save(str(p)),
        )
        w.custom(
            f"{name} results.save(remove_data)",
            "statsmodels-save",
            f"save/{name}-nodata.pickle",
            lambda p, r=res: r.save(str(p), remove_data=True),
        )
        w.pickle(f"{name}-results", res, protocols=(4,))


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (
        ("pandas", pandas_objects),
        ("numpy", numpy_objects),
        ("scipy", scipy_objects),
        ("statsmodels", statsmodels_objects),
    ):
        w.current = lib
        try:
            versions[lib] = md.version(lib)
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions
