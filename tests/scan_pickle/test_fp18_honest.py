"""fp18 sweep: honest pickles the gate denied (allowlist 2026.12.06.27). Estimators of tslearn,
pyod, feature-engine, kmodes, MAPIE, mlxtend, pmdarima, hdbscan and lifelines (none of them a
test dependency: their pickles are assembled here the way pickle writes them, NEWOBJ then a
``__dict__`` BUILD), the bound methods lifelines fitters keep, hdbscan's distance metrics, and
statsmodels model kinds no earlier list held (real saves: statsmodels is in the ecosystem group).
Each class is new_only (a call stays AIR-PKL-009), each method value_only; what stays denied by
design is tested too (sklearn-crfsuite's FileResource, hnswlib, ngboost, numba dispatchers,
lifelines' penalised-likelihood partial)."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan.allowlist import ALLOW, UNKNOWN, default_policy
from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import BUILD, EMPTY_DICT, PROTO2, SETITEM, STOP, call, glob, s


def _severe(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH}


def _new(mod: str, name: str) -> bytes:
    """``copyreg.__newobj__(cls)`` then a BUILD of ``{"key": 1}``: what pickle writes."""
    return call(glob("copyreg", "__newobj__"), glob(mod, name)) + (
        EMPTY_DICT + s("key") + b"K\x01" + SETITEM + BUILD
    )


def _split(dotted: str) -> tuple[str, str]:
    mod, _, name = dotted.rpartition(".")
    return mod, name


CLASSES = [
    "tslearn.clustering.kmeans.TimeSeriesKMeans",
    "tslearn.svm.svm.TimeSeriesSVC",
    "tslearn.piecewise.piecewise.SymbolicAggregateApproximation",
    "pyod.models.iforest.IForest",
    "pyod.models.ecod.ECOD",
    "feature_engine.encoding.woe.WoEEncoder",
    "feature_engine.pipeline.pipeline.Pipeline",
    "kmodes.kprototypes.KPrototypes",
    "mapie.regression.regression.SplitConformalRegressor",
    "mapie.conformity_scores.bounds.absolute.AbsoluteConformityScore",
    "mlxtend.classifier.stacking_cv_classification.StackingCVClassifier",
    "pmdarima.arima.arima.ARIMA",
    "pmdarima.preprocessing.endog.boxcox.BoxCoxEndogTransformer",
    "hdbscan.hdbscan_.HDBSCAN",
    "hdbscan.prediction.PredictionData",
    "lifelines.fitters.weibull_aft_fitter.WeibullAFTFitter",
    "lifelines.fitters.coxph_fitter.CoxPHFitter",
    "lifelines.utils.CovariateParameterMappings",
    "joblib.memory.Memory",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_load_as_pickle_writes_them_and_a_call_is_denied(dotted: str) -> None:
    mod, name = _split(dotted)
    assert not _severe(PROTO2 + _new(mod, name) + STOP)
    called = PROTO2 + call(glob(mod, name), s("/etc")) + STOP
    assert "AIR-PKL-009" in _severe(called)


def _getattr(obj: bytes, attr: str) -> bytes:
    return call(glob("builtins", "getattr"), obj, s(attr))


@pytest.mark.parametrize(
    ("cls", "method"),
    [
        ("lifelines.fitters.weibull_aft_fitter.WeibullAFTFitter", "_add_penalty"),
        ("lifelines.fitters.nelson_aalen_fitter.NelsonAalenFitter", "_variance_f_smooth"),
        ("lifelines.fitters.log_normal_aft_fitter.LogNormalAFTFitter",
         "_log_likelihood_right_censoring"),
    ],
)
def test_bound_methods_are_values_only(cls: str, method: str) -> None:
    """lifelines fitters keep bound methods (pickled getattr(instance, name)): clean as
    values; called at load, AIR-PKL-009."""
    mod, name = _split(cls)
    held = PROTO2 + EMPTY_DICT + s("f") + _getattr(_new(mod, name), method) + SETITEM + STOP
    assert not _severe(held)
    run = PROTO2 + call(_getattr(_new(mod, name), method), s("x"), s("y")) + STOP
    assert "AIR-PKL-009" in _severe(run)


def test_kmodes_dissimilarity_is_a_value_only() -> None:
    held = PROTO2 + EMPTY_DICT + s("f") + glob("kmodes.util.dissim", "matching_dissim")
    assert not _severe(held + SETITEM + STOP)
    assert "AIR-PKL-009" in _severe(
        PROTO2 + call(glob("kmodes.util.dissim", "matching_dissim"), s("a"), s("b")) + STOP
    )


def _metric(name: str) -> bytes:
    """hdbscan DistanceMetric.__reduce__: newObj(cls), then __setstate__((p, vec, mat))."""
    state = b"(" + b"G@\x00\x00\x00\x00\x00\x00\x00" + b"NNt"  # (2.0, None, None)
    return PROTO2 + call(glob("hdbscan.dist_metrics", "newObj"), glob("hdbscan.dist_metrics",
                                                                        name)) + state + BUILD


def test_hdbscan_metric_new_obj() -> None:
    assert not _severe(_metric("EuclideanDistance") + STOP)
    assert not _severe(_metric("ManhattanDistance") + STOP)
    # metrics whose dist indexes vec/mat by the data's width, and PyFuncDistance: not listed
    for name in ("MahalanobisDistance", "SEuclideanDistance", "PyFuncDistance"):
        assert "AIR-PKL-002" in _severe(_metric(name) + STOP)
    # newObj(cls) is cls.__new__(cls), judged like copyreg.__newobj__: an allowed class's
    # empty instance; an unknown or dangerous argument is a finding
    same = PROTO2 + call(glob("hdbscan.dist_metrics", "newObj"),
                         glob("tslearn.clustering.kmeans", "TimeSeriesKMeans")) + STOP
    assert not _severe(same)
    unknown = PROTO2 + call(glob("hdbscan.dist_metrics", "newObj"), glob("mypkg", "Cls")) + STOP
    assert "AIR-PKL-002" in _severe(unknown)
    worse = PROTO2 + call(glob("hdbscan.dist_metrics", "newObj"), glob("os", "system")) + STOP
    assert _severe(worse)


@pytest.mark.parametrize(
    "dotted",
    [
        # FileResource.__setstate__ writes the pickle's bytes to mkstemp(suffix, prefix) with
        # suffix/prefix from the state ('../../site-packages/x' + '.pth')
        "sklearn_crfsuite._fileresource.FileResource",
        "sklearn_crfsuite.estimator.CRF",
        "hnswlib.Index",  # native __setstate__ of raw index memory
        "numba.core.registry.CPUDispatcher",  # umap / pynndescent: cloudpickled code objects
        "numba.cloudpickle.cloudpickle._make_function",
        "formulaic.model_spec.ModelSpec",
    ],
)
def test_what_stays_denied(dotted: str) -> None:
    mod, name = _split(dotted)
    assert default_policy().classify(mod, name).status not in (ALLOW,)
    assert _severe(PROTO2 + _new(mod, name) + STOP)


def test_ngboost_setstate_routes_stay_denied() -> None:
    # NGBoost.__setstate__ calls state['Dist'].uncensor(Score) and builds classes from the
    # state: fp27 listed the models with a gate on that state (test_fp27_honest); a bare
    # instance, or a Dist that is an object with a planted 'uncensor', is still a finding
    assert _severe(PROTO2 + _new("ngboost.api", "NGBRegressor") + STOP)
    planted = (
        glob("ngboost.api", "NGBRegressor") + b")\x81" + b"}"
        + s("Dist") + glob("pwlf.pwlf", "PiecewiseLinFit") + b")\x81}"
        + s("uncensor") + glob("builtins", "print") + b"sbs"
        + s("Score") + glob("ngboost.scores", "LogScore") + b"s"
        + s("uncensor") + b"\x88sb"
    )
    assert "AIR-PKL-009" in _severe(PROTO2 + planted + STOP)


def test_lifelines_penalised_likelihood_partial_stays_denied() -> None:
    """Parametric regression fitters keep partial(self._create_neg_likelihood_with_penalty_
    function, likelihood=..., penalty=...): an escaping partial is judged as called, and the
    method calls its keyword callables; proving that only fit() calls it is not done."""
    fitter = _new("lifelines.fitters.weibull_aft_fitter", "WeibullAFTFitter")
    meth = _getattr(fitter, "_create_neg_likelihood_with_penalty_function")
    part = call(glob("functools", "partial"), meth)
    data = PROTO2 + _new("lifelines.fitters.weibull_aft_fitter", "WeibullAFTFitter")
    data += EMPTY_DICT + s("f") + part + SETITEM + BUILD + STOP
    assert "AIR-PKL-009" in _severe(data)
    assert default_policy().classify("lifelines.utils", "CensoringType").status == ALLOW
    assert default_policy().classify("lifelines.utils", "no_such_name").status == UNKNOWN


# ---------------------------------------------------------------- statsmodels (real saves)


def _clean(obj: object) -> None:
    for proto in (2, 4):
        findings = scan_data(pickle.dumps(obj, protocol=proto), "obj.pkl").findings
        bad = [(f.rule_id, f.evidence[:120]) for f in findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)


def _data() -> tuple[object, object]:
    pd = pytest.importorskip("pandas")
    r = np.random.default_rng(18)
    n = 60
    df = pd.DataFrame({"y": r.normal(size=n), "x": r.normal(size=n), "g": r.integers(0, 5, n),
                       "k": r.poisson(1.0, n)})
    idx = pd.date_range("2021-01-01", periods=n, freq="D")
    ts = pd.DataFrame(np.cumsum(r.normal(size=(n, 2)), axis=0), index=idx, columns=["a", "b"])
    return df, ts


@pytest.mark.filterwarnings("ignore")
def test_statsmodels_model_kinds_are_clean() -> None:
    sm = pytest.importorskip("statsmodels.api")
    smf = pytest.importorskip("statsmodels.formula.api")
    from statsmodels.othermod.betareg import BetaModel
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.seasonal import STL

    df, ts = _data()
    pos = ts["a"] - ts["a"].min() + 1.0
    unit = (df["y"] - df["y"].min() + 0.1) / (df["y"].max() - df["y"].min() + 0.2)
    _clean([
        sm.ZeroInflatedPoisson(df["k"], sm.add_constant(df[["x"]])).fit(disp=0, maxiter=30),
        ETSModel(pos, error="add", trend="add").fit(disp=False, maxiter=20),
        sm.tsa.ARDL(ts["a"], 1, ts[["b"]], 1).fit(),
        smf.gee("y ~ x", "g", df, cov_struct=sm.cov_struct.Exchangeable()).fit(),
        smf.glm("k ~ x", df, family=sm.families.Tweedie(var_power=1.5)).fit(),
        smf.phreg("y ~ x", df.assign(y=np.abs(df["y"]) + 0.1)).fit(),
        BetaModel(unit, sm.add_constant(df[["x"]])).fit(disp=0),
        STL(pos.values, period=7).fit(),
        sm.PCA(ts.values, ncomp=1),
    ])


@pytest.mark.filterwarnings("ignore")
def test_statsmodels_discrete_generator_template_is_judged() -> None:
    """zipoisson_gen (kept by ZeroInflatedPoisson) inherits rv_generic.__setstate__, which execs
    _parse_arg_template: scipy's own template is clean, anything else AIR-PKL-016."""
    discrete = pytest.importorskip("statsmodels.distributions.discrete")
    for gen in (discrete.zipoisson, discrete.zinegbin, discrete.genpoisson_p):
        _clean(gen)
        bad = copy.deepcopy(gen)
        bad._parse_arg_template = "import os\n" + gen._parse_arg_template
        assert "AIR-PKL-016" in _severe(pickle.dumps(bad, protocol=2))
