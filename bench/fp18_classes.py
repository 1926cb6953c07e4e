"""Estimator classes of the fp18 libraries that load by NEWOBJ + a __dict__ update only
(allowlist group ``fp18-estimators``).

``python bench/fp18_classes.py OUT.json`` (in a venv with tslearn, pyod, feature-engine, kmodes,
MAPIE, mlxtend, pmdarima, lifelines, hdbscan) lists every class those packages define (no test
modules) that is a scikit-learn ``BaseEstimator`` or a lifelines ``BaseFitter`` subclass and has
no pickle-time hook in any base outside ``object``/stdlib other than the reviewed ones:
``sklearn.base.BaseEstimator.__setstate__`` (a ``__dict__`` update after a version check), the
property setter ``_doc_link_template`` of scikit-learn's HTML mixin (pickle's BUILD stores into
``__dict__`` and never runs setters), ``pmdarima.arima.arima.ARIMA.__setstate__``
(``self.__dict__ = state`` and a version warning), ``lifelines ... CoxPHFitter.__getattr__``
(delegates to ``self._model``, absent while the object is built: pickle's ``__setstate__``
lookup finds nothing) and hdbscan's read-only fitted-attribute properties whose setters only
store. No dict/list/set subclass. The criteria were fixed before grid 2 was generated.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import warnings
from typing import Any

PKGS = ("tslearn", "pyod.models", "feature_engine", "kmodes", "mapie", "mlxtend.classifier",
        "mlxtend.regressor", "mlxtend.cluster", "mlxtend.feature_selection",
        "mlxtend.feature_extraction", "mlxtend.preprocessing", "pmdarima", "lifelines.fitters",
        "hdbscan")
HOOKS = ("__reduce__", "__reduce_ex__", "__setstate__", "__getattr__", "__getattribute__",
         "__setattr__", "__delattr__", "__new__", "__setitem__", "append", "extend", "add",
         "__set_name__", "__class_getitem__")
REVIEWED = {
    ("sklearn.base.BaseEstimator", "__setstate__"),
    ("pmdarima.arima.arima.ARIMA", "__setstate__"),
    ("lifelines.fitters.coxph_fitter.CoxPHFitter", "__getattr__"),
}
REVIEWED_SETTERS = {
    "sklearn.utils._repr_html.base._HTMLDocumentationLinkMixin": {"_doc_link_template"},
    # hdbscan_.HDBSCAN: the fitted-tree properties' setters are never reached by BUILD
    # (BaseEstimator.__setstate__ updates __dict__); listed so a new setter is noticed
    "hdbscan.hdbscan_.HDBSCAN": {"prediction_data_", "branch_detection_data_", "outlier_scores_",
                                 "condensed_tree_", "single_linkage_tree_",
                                 "minimum_spanning_tree_", "exemplars_", "relative_validity_"},
}
# plain (non-estimator) classes whose instances honest saves hold: MAPIE 1.x's conformal
# wrappers and scores (not BaseEstimator subclasses), hdbscan's PredictionData, lifelines'
# CovariateParameterMappings; every hook-free class of these modules is listed
PLAIN = ("mapie.regression", "mapie.classification", "mapie.conformity_scores", "mapie.estimator",
         "hdbscan.prediction", "lifelines.utils")
OK = {"builtins", "abc", "typing", "collections.abc", "numbers", "enum", "dataclasses"}


def _bases() -> tuple[type, ...]:
    from sklearn.base import BaseEstimator

    out: list[type] = [BaseEstimator]
    try:
        from lifelines.fitters import BaseFitter

        out.append(BaseFitter)
    except ImportError:
        pass
    return tuple(out)


def _hooks(obj: type) -> list[str]:
    bad = []
    for k in obj.__mro__:
        if k is object or k.__module__ in OK:
            continue
        kname = f"{k.__module__}.{k.__qualname__}"
        for name, value in vars(k).items():
            if name in HOOKS and (kname, name) not in REVIEWED:
                bad.append(f"{name}@{kname}")
            elif isinstance(value, property):
                if value.fset is not None and name not in REVIEWED_SETTERS.get(kname, ()):
                    bad.append(f"setter {name}@{kname}")
            elif hasattr(type(value), "__set__") and type(value).__module__ != "builtins":
                bad.append(f"descriptor {name}@{kname}")
    if any(issubclass(obj, t) for t in (dict, list, set)):
        bad.append("container")
    return bad


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    bases = _bases()
    names: set[str] = set()
    excluded: dict[str, Any] = {}
    versions: dict[str, str] = {}
    for pkg_name in PKGS:
        try:
            pkg = importlib.import_module(pkg_name)
        except Exception as exc:
            excluded[pkg_name] = repr(exc)[:100]
            continue
        top = pkg_name.split(".")[0]
        versions[top] = str(getattr(importlib.import_module(top), "__version__", "?"))
        mods = [pkg]
        for m in pkgutil.walk_packages(getattr(pkg, "__path__", []), pkg.__name__ + "."):
            last = m.name.rsplit(".", 1)[-1]
            if ".test" in m.name or last.startswith("test") or ".tests" in m.name:
                continue
            try:
                mods.append(importlib.import_module(m.name))
            except Exception as exc:  # an optional dependency missing: not listed
                excluded[m.name] = repr(exc)[:100]
        for mod in mods:
            for obj in vars(mod).values():
                if not inspect.isclass(obj) or obj.__module__ != mod.__name__:
                    continue
                plain = mod.__name__.startswith(PLAIN) and not issubclass(obj, BaseException)
                if "<locals>" in obj.__qualname__ or not (plain or issubclass(obj, bases)):
                    continue
                full = f"{obj.__module__}.{obj.__qualname__}"
                bad = _hooks(obj)
                if bad:
                    excluded[full] = bad[:3]
                else:
                    names.add(full)
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump({"names": sorted(names), "excluded": excluded, "versions": versions}, fh,
                  indent=1)
    print(len(names), "listed;", len(excluded), "excluded", versions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
