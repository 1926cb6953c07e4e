"""fp23 sweep (session 22): honest pickles the gate denied (allowlist 2026.12.07.4) from
scikit-survival, InterpretML, skrub, prince, scikit-optimize, fairlearn, pykalman, tsfresh,
statsforecast, mlforecast/coreforecast, stable-baselines3 policies and Pillow images. None of
those libraries but Pillow and scikit-learn is a test dependency: their pickles are assembled
here the way pickle writes them (NEWOBJ then a ``__dict__`` BUILD, as ``bench/fp23_grid.py``
found them). Each class is new_only (a call stays AIR-PKL-009), each function value_only; the
state rules added with them (tsfresh settings' cloudpickled keys, Pillow's image state,
scikit-survival trees under the decision-tree proof) are tested with the attacks they stop, and
the objects left denied on purpose stay denied."""

from __future__ import annotations

import pickle
import re

import pytest

from airlock.report import Severity
from airlock.scan.allowlist import default_policy
from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    b,
    call,
    glob,
    s,
    touch_cmd,
)

NEWOBJ = b"\x81"
EMPTY_LIST = b"]"
APPENDS = b"e"
SETITEMS = b"u"


def _severe(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH}


def _split(dotted: str) -> tuple[str, str]:
    mod, _, name = dotted.rpartition(".")
    return mod, name


def _new(dotted: str, state: bytes | None = None) -> bytes:
    """``copyreg.__newobj__(cls)`` then a BUILD of a plain ``__dict__``: what pickle writes."""
    mod, name = _split(dotted)
    body = state if state is not None else EMPTY_DICT + s("n_features_in_") + b"K\x03" + SETITEM
    return call(glob("copyreg", "__newobj__"), glob(mod, name)) + body + BUILD


CLASSES = [
    "sksurv.linear_model.coxph.CoxPHSurvivalAnalysis",
    "sksurv.linear_model.coxph.BreslowEstimator",
    "sksurv.linear_model.coxnet.CoxnetSurvivalAnalysis",
    "sksurv.ensemble.forest.RandomSurvivalForest",
    "sksurv.ensemble.boosting.ComponentwiseGradientBoostingSurvivalAnalysis",
    "sksurv.ensemble.survival_loss.CoxPH",
    "sksurv.svm.survival_svm.FastKernelSurvivalSVM",
    "sksurv.nonparametric.SurvivalFunctionEstimator",
    "sksurv.functions.StepFunction",
    "sksurv.preprocessing.OneHotEncoder",
    "sksurv._dataframe._categorical_semantics.ColumnSemantics",
    "interpret.glassbox._ebm._ebm.ExplainableBoostingClassifier",
    "interpret.glassbox._linear.LogisticRegression",
    "interpret.glassbox._decisiontree.ClassificationTree",
    "skrub._table_vectorizer.TableVectorizer",
    "skrub._minhash_encoder.MinHashEncoder",
    "skrub._utils.LRUDict",
    "skrub._table_vectorizer.ShortReprDict",
    "skrub.selectors._base.Filter",
    "skrub._squashing_scaler.SquashingScaler",
    "prince.pca.PCA",
    "prince.svd.SVD",
    "skopt.learning.gaussian_process.gpr.GaussianProcessRegressor",
    "skopt.learning.gaussian_process.kernels.Matern",
    "skopt.space.space.Real",
    "skopt.space.space.Space",
    "skopt.space.transformers.Normalize",
    "skopt.optimizer.optimizer.Optimizer",
    "skopt.searchcv.BayesSearchCV",
    "fairlearn.reductions._exponentiated_gradient.exponentiated_gradient.ExponentiatedGradient",
    "fairlearn.reductions._moments.utility_parity.DemographicParity",
    "fairlearn.postprocessing._threshold_optimizer.ThresholdOptimizer",
    "fairlearn.metrics._metric_frame.MetricFrame",
    "pykalman.standard.KalmanFilter",
    "tsfresh.transformers.relevant_feature_augmenter.RelevantFeatureAugmenter",
    "tsfresh.transformers.feature_selector.FeatureSelector",
    "statsforecast.core.StatsForecast",
    "statsforecast.models.AutoARIMA",
    "statsforecast.core.GroupedArray",
    "mlforecast.core.TimeSeries",
    "mlforecast.grouped_array.GroupedArray",
    "coreforecast.lag_transforms.ExpandingMean",
    "stable_baselines3.common.torch_layers.FlattenExtractor",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_load_as_pickle_writes_them_and_a_call_is_denied(dotted: str) -> None:
    mod, name = _split(dotted)
    assert not _severe(PROTO2 + _new(dotted) + STOP)
    assert dotted in default_policy().new_only
    called = PROTO2 + call(glob(mod, name), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in _severe(called)


FUNCTIONS = [
    "skrub._dataframe._common.is_numeric",
    "skrub._table_vectorizer._created_by_predicate",
    "skrub.selectors._selectors._cardinality_below",
]


@pytest.mark.parametrize("dotted", FUNCTIONS)
def test_function_values_are_values_only(dotted: str) -> None:
    mod, name = _split(dotted)
    held = EMPTY_DICT + s("predicate") + glob(mod, name) + SETITEM
    assert not _severe(PROTO2 + _new("skrub.selectors._base.Filter", held) + STOP)
    assert "AIR-PKL-009" in _severe(PROTO2 + call(glob(mod, name), s("x")) + STOP)


def test_sb3_policy_schedule_by_getattr_is_a_value() -> None:
    # policy.save: {'state_dict': ..., 'data': {'lr_schedule': BasePolicy._dummy_schedule}},
    # pickled as getattr(BasePolicy, '_dummy_schedule') (a staticmethod returning 0.0)
    pol = glob("stable_baselines3.common.policies", "BasePolicy")
    fn = call(glob("builtins", "getattr"), pol, s("_dummy_schedule"))
    held = PROTO2 + EMPTY_DICT + s("lr_schedule") + fn + SETITEM + STOP
    assert not _severe(held)
    assert "AIR-PKL-009" in _severe(PROTO2 + call(fn, b"G?\xe0\x00\x00\x00\x00\x00\x00") + STOP)


def test_namedtuple_results_and_narwhals_enum_are_plain() -> None:
    res = call(glob("statsforecast.utils", "results"), b"K\x01", b"K\x02", b"K\x03", b"K\x04")
    assert not _severe(PROTO2 + res + STOP)
    assert not _severe(PROTO2 + call(glob("narwhals._utils", "Implementation"), s("pandas")) + STOP)


def test_a_new_class_holding_a_command_stays_critical() -> None:
    held = EMPTY_DICT + s("model") + call(glob("os", "system"), s("id")) + SETITEM
    data = PROTO2 + _new("statsforecast.models.AutoARIMA", held) + STOP
    assert "AIR-PKL-001" in _severe(data)


def test_items_added_to_the_mapping_like_classes_are_judged() -> None:
    # LRUDict/ShortReprDict/GroupedArray keep items in attributes: SETITEMS/APPENDS on one would
    # run its own __setitem__/append (savers write a __dict__ BUILD)
    for dotted in ("skrub._utils.LRUDict", "skrub._table_vectorizer.ShortReprDict"):
        data = PROTO2 + _new(dotted) + MARK + s("k") + s("v") + SETITEMS + STOP
        assert "AIR-PKL-019" in _severe(data)
    data = PROTO2 + _new("mlforecast.grouped_array.GroupedArray") + MARK + s("a") + APPENDS + STOP
    assert "AIR-PKL-019" in _severe(data)


# -- scikit-survival trees under the decision-tree proof ------------------------------------


def _sklearn_tree_pickle(owner: str) -> bytes:
    """A real fitted DecisionTreeRegressor at protocol 2 (GLOBAL lines), its class renamed to
    ``owner`` (scikit-survival's trees hold the same sklearn Tree, validated the same way)."""
    import numpy as np
    from sklearn.tree import DecisionTreeRegressor

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    est = DecisionTreeRegressor(max_depth=3, random_state=0).fit(x, x[:, 0])
    data = pickle.dumps(est, protocol=2)
    mod, name = _split(owner)
    old = b"csklearn.tree._classes\nDecisionTreeRegressor\n"
    assert data.count(old) == 1
    return data.replace(old, f"c{mod}\n{name}\n".encode())


@pytest.mark.parametrize(
    "owner", ["sksurv.tree.tree.SurvivalTree", "sksurv.tree.tree.ExtraSurvivalTree"]
)
def test_survival_trees_are_proven_like_sklearn_trees(owner: str) -> None:
    honest = _sklearn_tree_pickle(owner)
    assert not _severe(honest)
    # a split feature past n_features_in_ (the tree would read X out of bounds): the proof runs
    wide = re.sub(rb"(n_features_in_q.)K\x03", b"\\1K\x02", honest, count=1)  # 3 -> 2
    assert wide != honest
    assert "AIR-PKL-017" in _severe(wide)


# -- tsfresh settings: PickableSettings.__setstate__ cloudpickle.loads every key ------------


def _settings(*keys: bytes, cls: str = "MinimalFCParameters") -> bytes:
    items = b"".join(k + b"N" + SETITEM for k in keys)
    dotted = f"tsfresh.feature_extraction.settings.{cls}"
    return PROTO2 + _new(dotted, EMPTY_DICT + items) + STOP


def test_tsfresh_settings_with_pickled_string_keys_are_clean() -> None:
    keys = [b(pickle.dumps(name, protocol=5)) for name in ("mean", "median", "variance")]
    assert not _severe(_settings(*keys))
    assert not _severe(_settings(*keys, cls="ComprehensiveFCParameters"))


def test_tsfresh_settings_key_that_runs_code_is_denied(tmp_path: object) -> None:
    evil = PROTO2 + call(glob("os", "system"), s(touch_cmd(tmp_path))) + STOP
    got = _severe(_settings(b(pickle.dumps("mean", protocol=5)), b(evil)))
    assert got & {"AIR-PKL-001", "AIR-PKL-002"}


@pytest.mark.parametrize(
    "key",
    [
        s("mean"),  # a text key: cloudpickle.loads raises, nothing judged
        b(b"mean not a pickle"),
    ],
)
def test_tsfresh_settings_key_not_a_pickle_is_denied(key: bytes) -> None:
    assert "AIR-PKL-016" in _severe(_settings(key))


def test_tsfresh_settings_state_not_a_dict_is_denied() -> None:
    dotted = "tsfresh.feature_extraction.settings.MinimalFCParameters"
    data = PROTO2 + _new(dotted, EMPTY_LIST) + STOP
    assert "AIR-PKL-016" in _severe(data)


# -- Pillow images: Image.__setstate__ allocates from mode and size first -------------------


@pytest.mark.parametrize("proto", [2, 3, 4, 5])
@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I", "F", "CMYK", "I;16"])
def test_real_pillow_images_are_clean(mode: str, proto: int) -> None:
    from PIL import Image

    im = Image.new("RGB", (13, 7), (10, 200, 30)).convert(mode)
    assert not _severe(pickle.dumps(im, protocol=proto))
    recs = [{"image": im, "label": 1}, {"image": im.copy(), "label": 0}]
    assert not _severe(pickle.dumps(recs, protocol=proto))


def test_large_protocol2_image_is_clean() -> None:
    from PIL import Image

    im = Image.new("RGB", (200, 150), (1, 2, 3))  # 90 KB of pixels: latin-1 text in place
    assert not _severe(pickle.dumps(im, protocol=2))


def _image(state: bytes) -> bytes:
    return PROTO2 + _new("PIL.Image.Image", state) + STOP


def _state(mode: str, size: tuple[int, int], data: bytes, info: bytes = EMPTY_DICT) -> bytes:
    w, h = size
    size_b = MARK + b"J" + w.to_bytes(4, "little") + b"J" + h.to_bytes(4, "little") + b"t"
    return EMPTY_LIST + MARK + info + s(mode) + size_b + b"N" + b(data) + APPENDS


def test_hand_built_image_state_is_clean() -> None:
    assert not _severe(_image(_state("RGB", (4, 2), bytes(24))))


@pytest.mark.parametrize(
    "state",
    [
        # 148 bytes that make the loader allocate 14 GB (3.3 GB resident before MemoryError)
        _state("RGBA", (60000, 60000), b""),
        _state("RGB", (4, 2), bytes(23)),  # data shorter than the image
        _state("RGB", (4, 2), bytes(25)),
        _state("XYZ", (4, 2), bytes(24)),  # not a mode core.new takes
        EMPTY_DICT + s("_size") + b"K\x01" + SETITEM,  # a dict state (no __setstate__ form)
        EMPTY_LIST,
    ],
)
def test_image_state_not_what_getstate_writes_is_denied(state: bytes) -> None:
    assert "AIR-PKL-009" in _severe(_image(state))


def test_one_byte_string_backing_many_images_is_denied() -> None:
    """review23: memo references to one 1 MiB byte string made 2 100 images of a 1.1 MB pickle
    (the real loader: 2.1 GiB); each image's pixels must be its own bytes of the pickle."""
    w, h = 64, 64
    size_b = MARK + b"J" + w.to_bytes(4, "little") + b"J" + h.to_bytes(4, "little") + b"t"
    first = EMPTY_LIST + MARK + EMPTY_DICT + s("L") + size_b + b"N" + b(bytes(w * h)) + b"q\x07"
    again = EMPTY_LIST + MARK + EMPTY_DICT + s("L") + size_b + b"N" + b"h\x07"
    imgs = _new("PIL.Image.Image", first + APPENDS) + _new("PIL.Image.Image", again + APPENDS)
    assert not _severe(PROTO2 + _new("PIL.Image.Image", first + APPENDS) + STOP)
    assert "AIR-PKL-009" in _severe(PROTO2 + EMPTY_LIST + MARK + imgs + APPENDS + STOP)


def test_one_image_pickled_twice_in_a_list_is_clean() -> None:
    from PIL import Image

    im = Image.new("RGB", (13, 7), (10, 200, 30))
    assert not _severe(pickle.dumps([im, im, {"same": im}], protocol=2))


# -- left denied on purpose ----------------------------------------------------------------


@pytest.mark.parametrize(
    "dotted",
    [
        "shapely.io.from_wkb",  # GEOS recursion: a 900 KB nested collection segfaults the loader
        "geopandas.array.GeometryArray",  # __setstate__ runs shapely.from_wkb on the state
        "pygam.pygam.LinearGAM",  # MetaTermMixin.__setattr__ calls term._validate_arguments()
        "skrub._data_ops._estimator.SkrubLearner",  # _CloudPickle.__setstate__
        "prince.mfa.MFA",  # a UserDict subclass, not reviewed
        "astropy.table.table.Table",  # unvetted hooks (Table/Column/Quantity)
        "shap.explainers._tree.TreeExplainer",  # its pickles carry numba-compiled functions
        "openTSNE.tsne.TSNEEmbedding",  # idem (pynndescent's numba dispatchers)
        "PIL.PngImagePlugin.PngImageFile",  # Image.open results: ImageFile's own __setstate__
    ],
)
def test_what_stays_denied(dotted: str) -> None:
    assert "AIR-PKL-002" in _severe(PROTO2 + _new(dotted) + STOP)
