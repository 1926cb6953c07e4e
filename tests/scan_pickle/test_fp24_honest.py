"""fp24 sweep (session 23): honest pickles the gate denied (allowlist 2026.12.07.5) from
scikit-multilearn, imodels, skforecast, cleanlab, glum, implicit (ALS), linearmodels,
pomegranate, pyts, ruptures, scikit-lego, scikit-surprise and pytorch-tabnet. None of those
libraries is a test dependency: their pickles are assembled here the way pickle writes them
(NEWOBJ then a ``__dict__`` BUILD, as ``bench/fp24_grid.py`` found them). Each class is new_only
(a call stays AIR-PKL-009), each function value_only; the state rules added with them
(skforecast's tags dunder, glum's pre-3.0 ``feature_dtypes_`` key, imodels' Rule and ruptures'
Bnode hashing instance fields) are tested with what they stop, and the families left denied on
purpose stay denied."""

from __future__ import annotations

import pytest

from airlock.scan.allowlist import default_policy
from tests.scan_pickle.builders import (
    ADDITEMS,
    APPEND,
    BUILD,
    EMPTY_DICT,
    EMPTY_LIST,
    EMPTY_SET,
    MARK,
    NEWOBJ,
    NONE,
    PROTO2,
    SETITEM,
    STOP,
    TUPLE,
    call,
    glob,
    high_rules,
    s,
    split_name,
)


def _new(dotted: str, state: bytes | None = None) -> bytes:
    """``copyreg.__newobj__(cls)`` then a BUILD of a plain ``__dict__``: what pickle writes."""
    mod, name = split_name(dotted)
    body = state if state is not None else EMPTY_DICT + s("n_features_in_") + b"K\x03" + SETITEM
    return call(glob("copyreg", "__newobj__"), glob(mod, name)) + body + BUILD


CLASSES = [
    "skmultilearn.problem_transform.br.BinaryRelevance",
    "skmultilearn.problem_transform.cc.ClassifierChain",
    "skmultilearn.problem_transform.lp.LabelPowerset",
    "skmultilearn.ensemble.partition.LabelSpacePartitioningClassifier",
    "skmultilearn.cluster.random.RandomLabelSpaceClusterer",
    "imodels.tree.figs.FIGSClassifier",
    "imodels.tree.figs.Node",
    "imodels.rule_set.rule_fit.RuleFitClassifier",
    "imodels.rule_set.skope_rules.SkopeRulesClassifier",
    "imodels.util.rule.Rule",
    "imodels.util.transforms.Winsorizer",
    "skforecast.recursive._forecaster_recursive.ForecasterRecursive",
    "skforecast.direct._forecaster_direct.ForecasterDirect",
    "skforecast.preprocessing.preprocessing.QuantileBinner",
    "cleanlab.classification.CleanLearning",
    "glum._glm.GeneralizedLinearRegressor",
    "glum._glm_cv.GeneralizedLinearRegressorCV",
    "glum._distribution.TweedieDistribution",
    "glum._link.LogitLink",
    "implicit.cpu.als.AlternatingLeastSquares",
    "linearmodels.panel.results.PanelEffectsResults",
    "linearmodels.panel.covariance.CovarianceManager",
    "linearmodels.panel.data.PanelData",
    "linearmodels.iv.results.IVResults",
    "linearmodels.shared.hypotheses.WaldTestStatistic",
    "pomegranate.gmm.GeneralMixtureModel",
    "pomegranate.distributions.normal.Normal",
    "pomegranate.hmm.dense_hmm.DenseHMM",
    "pyts.transformation._boss.BOSS",
    "pyts.approximation._sfa.SymbolicFourierApproximation",
    "pyts.classification._knn.KNeighborsClassifier",
    "ruptures.detection.binseg.Binseg",
    "ruptures.costs.costl2.CostL2",
    "ruptures.utils.bnode.Bnode",
    "sklego.meta.decay_estimator.DecayEstimator",
    "sklego.mixture.gmm_classifier.GMMClassifier",
    "sklego.preprocessing.projections.InformationFilter",
    "surprise.prediction_algorithms.matrix_factorization.SVDpp",
    "surprise.prediction_algorithms.knns.KNNBasic",
    "surprise.trainset.Trainset",
    "pytorch_tabnet.tab_model.TabNetClassifier",
    "pytorch_tabnet.tab_network.TabNet",
    "pytorch_tabnet.callbacks.History",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_load_as_pickle_writes_them_and_a_call_is_denied(dotted: str) -> None:
    mod, name = split_name(dotted)
    assert not high_rules(PROTO2 + _new(dotted) + STOP)
    assert dotted in default_policy().new_only
    called = PROTO2 + call(glob(mod, name), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in high_rules(called)


FUNCTIONS = [
    "sklego.meta._decay_utils.exponential_decay",
    "sklego.meta._decay_utils.stepwise_decay",
    "torch.nn.functional.cross_entropy",
    "torch.nn.functional.mse_loss",
]


@pytest.mark.parametrize("dotted", FUNCTIONS)
def test_function_values_are_values_only(dotted: str) -> None:
    mod, name = split_name(dotted)
    held = EMPTY_DICT + s("decay_func") + glob(mod, name) + SETITEM
    assert not high_rules(PROTO2 + _new("sklego.meta.decay_estimator.DecayEstimator", held) + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(glob(mod, name), s("x")) + STOP)


_COV = "linearmodels.panel.covariance.HomoskedasticCovariance"


def _deferred_cov(cov_state: bytes | None = None) -> bytes:
    """A results state holding ``getattr(<covariance estimator>, 'deferred_cov')``: the bound
    method linearmodels' panel results keep (``_deferred_cov``)."""
    est = _new(_COV, cov_state)
    return call(glob("builtins", "getattr"), est, s("deferred_cov"))


def test_linearmodels_bound_deferred_cov_is_a_value() -> None:
    held = EMPTY_DICT + s("_deferred_cov") + _deferred_cov() + SETITEM
    data = PROTO2 + _new("linearmodels.panel.results.PanelEffectsResults", held) + STOP
    assert not high_rules(data)
    # called inside the load: not what the saver writes
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(_deferred_cov()) + STOP)


def test_linearmodels_planted_deferred_cov_stays_denied() -> None:
    # an instance attribute of that name wins over the method: what it holds is judged
    planted = EMPTY_DICT + s("deferred_cov") + call(glob("os", "system"), s("id")) + SETITEM
    held = EMPTY_DICT + s("_deferred_cov") + _deferred_cov(planted) + SETITEM
    data = PROTO2 + _new("linearmodels.panel.results.PanelEffectsResults", held) + STOP
    assert "AIR-PKL-001" in high_rules(data)


def test_namedtuples_are_plain() -> None:
    finfo = glob("linearmodels.panel.model", "FInfo")
    fields = MARK + s("sel") + s("name") + NONE + s("") + b"\x89" + TUPLE  # NEWFALSE
    assert not high_rules(PROTO2 + finfo + fields + NEWOBJ + STOP)
    pred = glob("surprise.prediction_algorithms.predictions", "Prediction")
    args = MARK + s("u1") + s("i3") + b"G@\x08\x00\x00\x00\x00\x00\x00" * 2 + EMPTY_DICT + TUPLE
    dump = EMPTY_DICT + s("predictions") + EMPTY_LIST + pred + args + NEWOBJ + APPEND + SETITEM
    assert not high_rules(PROTO2 + dump + STOP)


_TAGS = "__skforecast_tags__"


def _tags_state() -> bytes:
    tags = EMPTY_DICT + s("library") + s("skforecast") + SETITEM
    return EMPTY_DICT + s(_TAGS) + tags + SETITEM


@pytest.mark.parametrize(
    "dotted",
    [
        "skforecast.recursive._forecaster_recursive.ForecasterRecursive",
        "skforecast.direct._forecaster_direct.ForecasterDirect",
    ],
)
def test_skforecast_tags_dunder_is_accepted_on_forecasters(dotted: str) -> None:
    assert not high_rules(PROTO2 + _new(dotted, _tags_state()) + STOP)


def test_skforecast_tags_dunder_elsewhere_or_in_slots_is_denied() -> None:
    other = _new("sklego.mixture.gmm_classifier.GMMClassifier", _tags_state())
    assert "AIR-PKL-009" in high_rules(PROTO2 + other + STOP)
    slots = MARK + NONE + _tags_state() + TUPLE
    rec = _new("skforecast.recursive._forecaster_recursive.ForecasterRecursive", slots)
    assert "AIR-PKL-009" in high_rules(PROTO2 + rec + STOP)
    # another dunder on a forecaster: an instance __setstate__ is what a second BUILD calls
    hook = EMPTY_DICT + s("__setstate__") + glob("builtins", "print") + SETITEM
    rec = _new("skforecast.recursive._forecaster_recursive.ForecasterRecursive", hook)
    assert "AIR-PKL-009" in high_rules(PROTO2 + rec + STOP)


def test_glum_pre3_feature_dtypes_key_is_denied() -> None:
    # GeneralizedLinearRegressorBase.__setstate__ calls state['feature_dtypes_'].items()
    # when there is no '_categorical_levels_': glum 3.4 never writes that key
    old = EMPTY_DICT + s("feature_dtypes_") + EMPTY_DICT + SETITEM
    glms = ("glum._glm.GeneralizedLinearRegressor", "glum._glm_cv.GeneralizedLinearRegressorCV")
    for cls in glms:
        assert "AIR-PKL-009" in high_rules(PROTO2 + _new(cls, old) + STOP)
    new = EMPTY_DICT + s("_categorical_levels_") + EMPTY_DICT + SETITEM
    assert not high_rules(PROTO2 + _new("glum._glm.GeneralizedLinearRegressor", new) + STOP)


@pytest.mark.parametrize("dotted", ["imodels.util.rule.Rule", "ruptures.utils.bnode.Bnode"])
def test_field_hashing_classes_in_lists_are_clean_as_keys_denied(dotted: str) -> None:
    in_list = EMPTY_LIST + _new(dotted) + APPEND
    assert not high_rules(PROTO2 + in_list + STOP)
    as_key = EMPTY_DICT + _new(dotted) + b"K\x01" + SETITEM
    assert "AIR-PKL-009" in high_rules(PROTO2 + as_key + STOP)
    in_set = EMPTY_SET + MARK + _new(dotted) + ADDITEMS
    assert "AIR-PKL-009" in high_rules(PROTO2 + in_set + STOP)


def test_a_new_class_holding_a_command_stays_critical() -> None:
    held = EMPTY_DICT + s("estimator") + call(glob("os", "system"), s("id")) + SETITEM
    data = PROTO2 + _new("skforecast.recursive._forecaster_recursive.ForecasterRecursive", held)
    assert "AIR-PKL-001" in high_rules(data + STOP)


def test_items_added_to_the_tabnet_callback_container_are_judged() -> None:
    box = _new("pytorch_tabnet.callbacks.CallbackContainer", EMPTY_DICT)
    data = PROTO2 + box + MARK + s("x") + b"e" + STOP  # APPENDS on the instance
    assert "AIR-PKL-019" in high_rules(data)


# left denied on purpose (RELIABILITY/BENCHMARKS fp24): not vetted or a load-time code route
LEFT_DENIED = [
    "arch.univariate.mean.ConstantMean",  # its volatility keeps Cython updaters (__pyx_unpickle)
    "arch.univariate.recursions.GARCHUpdater",
    "nevergrad.parametrization.data.Array",  # value descriptors/setters run layer methods
    "nevergrad.optimization.optimizerlib.NGOpt",
    "implicit.nearest_neighbours.CosineRecommender",  # __setstate__ builds a C++ scorer
    "implicit.cpu.bpr.RNGVector",
    "quantile_forest._quantile_forest_fast.QuantileForest",  # Cython __reduce__/__setstate__
    "quantile_forest._quantile_forest.RandomForestQuantileRegressor",
    "model2vec.model.StaticModel",  # max_length setter calls the tokenizer
    "arviz.data.inference_data.InferenceData",
    "skforecast.recursive._forecaster_stats.ForecasterStats",  # own __setstate__, unread
    "sklego.pipeline.DebugPipeline",
]


@pytest.mark.parametrize("dotted", LEFT_DENIED)
def test_left_denied_names_stay_unknown(dotted: str) -> None:
    assert "AIR-PKL-002" in high_rules(PROTO2 + _new(dotted) + STOP)
