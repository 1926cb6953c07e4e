"""Gradient boosting libraries: xgboost, lightgbm, catboost estimators and boosters, saved with
pickle/joblib and with each library's own model format."""

from __future__ import annotations

from typing import Any

from bench.ecosystem.writer import Writer


def _data() -> tuple[Any, Any, Any]:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 5))
    return x, (x[:, 0] > 0).astype(int), x[:, 1] * 2 + rng.normal(size=80)


def xgboost_models(w: Writer) -> None:
    import xgboost as xgb

    x, y, yr = _data()
    objs = {
        "XGBClassifier": xgb.XGBClassifier(n_estimators=5).fit(x, y),
        "XGBRegressor": xgb.XGBRegressor(n_estimators=5).fit(x, yr),
        "XGBRanker": xgb.XGBRanker(n_estimators=3).fit(x, y, qid=[0] * 40 + [1] * 40),
        "XGBRFClassifier": xgb.XGBRFClassifier(n_estimators=3).fit(x, y),
        "Booster": xgb.train({"max_depth": 2}, xgb.DMatrix(x, label=yr), num_boost_round=3),
    }
    for name, m in objs.items():
        w.pickle(f"xgboost-{name}", m, protocols=(4, 5))
        w.joblib(f"xgboost-{name}", m)
        target = m if name == "Booster" else m.get_booster()
        for ext in ("json", "ubj"):
            w.custom(
                f"{name}.save_model({ext})",
                f"xgboost-{ext}",
                f"native/{name}.{ext}",
                lambda p, t=target: t.save_model(str(p)),
            )


def lightgbm_models(w: Writer) -> None:
    import lightgbm as lgb

    x, y, yr = _data()
    objs = {
        "LGBMClassifier": lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(x, y),
        "LGBMRegressor": lgb.LGBMRegressor(n_estimators=5, verbose=-1).fit(x, yr),
        "LGBMRanker": lgb.LGBMRanker(n_estimators=3, verbose=-1).fit(x, y, group=[40, 40]),
        "Booster": lgb.train({"verbose": -1}, lgb.Dataset(x, label=yr), num_boost_round=3),
    }
    for name, m in objs.items():
        w.pickle(f"lightgbm-{name}", m, protocols=(4, 5))
        w.joblib(f"lightgbm-{name}", m)
        target = m if name == "Booster" else m.booster_
        w.custom(
            f"{name}.save_model",
            "lightgbm-txt",
            f"native/{name}.txt",
            lambda p, t=target: t.save_model(str(p)),
        )


def catboost_models(w: Writer) -> None:
    import catboost as cb

    x, y, yr = _data()
    kw = {"iterations": 5, "verbose": False, "allow_writing_files": False, "thread_count": 1}
    objs = {
        "CatBoostClassifier": cb.CatBoostClassifier(**kw).fit(x, y),
        "CatBoostRegressor": cb.CatBoostRegressor(**kw).fit(x, yr),
        "CatBoostRanker": cb.CatBoostRanker(**kw).fit(x, yr, group_id=[0] * 40 + [1] * 40),
    }
    for name, m in objs.items():
        w.pickle(f"catboost-{name}", m, protocols=(4, 5))
        w.joblib(f"catboost-{name}", m)
        for fmt in ("cbm", "json"):
            w.custom(
                f"{name}.save_model({fmt})",
                f"catboost-{fmt}",
                f"native/{name}.{fmt}",
                lambda p, m=m, f=fmt: m.save_model(str(p), format=f),
            )


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (
        ("xgboost", xgboost_models),
        ("lightgbm", lightgbm_models),
        ("catboost", catboost_models),
    ):
        w.current = lib
        try:
            versions[lib] = md.version(lib)
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions
