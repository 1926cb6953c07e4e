"""Session 12 sweep (fp12): honest pickles of category_encoders / imbalanced-learn estimators,
optuna studies and samplers, and whole timm models were denied as unknown callables. Their
classes are allowed as the savers write them (NEWOBJ + a __dict__ state, Enums by value); a
call with pickle arguments, or code in the state, is still denied."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from airlock.report import Severity
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    call,
    glob,
    rules,
    s,
    severe,
)

NEW_ONLY = [
    ("category_encoders.target_encoder", "TargetEncoder"),
    ("category_encoders.ordinal", "OrdinalEncoder"),
    ("imblearn.pipeline", "Pipeline"),
    ("imblearn.over_sampling._smote.base", "SMOTE"),
    ("optuna.study.study", "Study"),
    ("optuna.storages._in_memory", "InMemoryStorage"),
    ("optuna.samplers._tpe.sampler", "TPESampler"),
    ("timm.models.resnet", "ResNet"),
    ("timm.models.vision_transformer", "VisionTransformer"),
    ("timm.layers.adaptive_avgmax_pool", "SelectAdaptivePool2d"),
]


def _newobj(module: str, name: str, state: bytes) -> bytes:
    obj = call(glob("copyreg", "__newobj__"), glob(module, name))
    return PROTO2 + obj + state + BUILD + STOP


@pytest.mark.parametrize(("module", "name"), NEW_ONLY)
def test_saved_shape_is_clean(module: str, name: str) -> None:
    state = EMPTY_DICT + s("n_features_in_") + b"K\x04" + SETITEM
    assert_clean(analyze(_newobj(module, name, state)))


@pytest.mark.parametrize(("module", "name"), NEW_ONLY)
def test_call_with_pickle_arguments_is_denied(module: str, name: str) -> None:
    a = analyze(PROTO2 + call(glob(module, name), s("x")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


@pytest.mark.parametrize(("module", "name"), NEW_ONLY[:5])
def test_code_in_the_state_is_denied(module: str, name: str) -> None:
    state = EMPTY_DICT + s("cols") + call(glob("os", "system"), s("id")) + SETITEM
    assert severe(analyze(_newobj(module, name, state)), Severity.CRITICAL)


def test_rdb_storage_is_not_allowed() -> None:
    """An RDB storage's state names a database URL it reconnects to: not listed."""
    a = analyze(_newobj("optuna.storages._rdb.storage", "RDBStorage", EMPTY_DICT))
    assert "AIR-PKL-002" in rules(a) and severe(a)


def test_enums_by_value_are_clean() -> None:
    for module, name, value in (
        ("optuna.study._study_direction", "StudyDirection", b"K\x01"),
        ("optuna.trial._state", "TrialState", b"K\x01"),
        ("timm.layers.format", "Format", s("NCHW")),
    ):
        assert_clean(analyze(PROTO2 + call(glob(module, name), value) + STOP))


def test_real_saves_are_clean(tmp_path: Path) -> None:
    """The libraries' own objects (each part skipped when its library is not installed)."""
    import airlock

    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    joblib = pytest.importorskip("joblib")
    rs = np.random.RandomState(0)
    x = rs.rand(40, 3)
    y = (x[:, 0] > 0.7).astype(int)
    objs: dict[str, object] = {}
    try:
        import category_encoders as ce

        df = pd.DataFrame({"c": rs.choice(["a", "b", "c"], 40), "n": x[:, 1]})
        objs["ce_target.joblib"] = ce.TargetEncoder(cols=["c"]).fit(df, y)
        objs["ce_woe.pkl"] = ce.WOEEncoder(cols=["c"]).fit(df, y)
    except ImportError:
        pass
    try:
        from imblearn.over_sampling import SMOTE
        from imblearn.pipeline import make_pipeline
        from sklearn.linear_model import LogisticRegression

        objs["imb_smote.joblib"] = make_pipeline(SMOTE(k_neighbors=2), LogisticRegression()).fit(
            x, y
        )
    except ImportError:
        pass
    try:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=5)
        objs["study.pkl"] = study
    except ImportError:
        pass
    if not objs:
        pytest.skip("none of category_encoders, imbalanced-learn, optuna installed")
    for name, obj in objs.items():
        path = tmp_path / name
        if name.endswith(".joblib"):
            joblib.dump(obj, path)
        else:
            path.write_bytes(pickle.dumps(obj, protocol=4))
        report = airlock.scan(path)
        assert report.findings == [] and not report.not_scanned, (name, report.findings)
