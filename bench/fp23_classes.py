"""Classes of the fp23 libraries that load by NEWOBJ + a ``__dict__`` BUILD only (allowlist
groups ``fp23-*``).

``python bench/fp23_classes.py OUT.json`` (in the fp23 side venv, see ``bench/fp23_grid.py``)
lists, per group, every class the group's modules define (no test modules, no ``<locals>``
classes) that subclasses the group's base (scikit-learn's ``BaseEstimator`` or ``*`` = any
class of those modules) and has no pickle-time hook in its MRO outside ``object``/stdlib other
than the reviewed ones: the criteria and the hook list are ``bench/fp22_classes.py``'s
(``__reduce__``/``__reduce_ex__``/``__setstate__``/``__getattr__``/``__getattribute__``/
``__setattr__``/``__delattr__``/``__new__``/``__setitem__``/append/extend/add/``__set_name__``/
``__class_getitem__``/``__hash__``/``__eq__``, a property setter a slots BUILD reaches, a data
descriptor, a non-enum metaclass, a dict/list/set base), with scikit-learn's
``BaseEstimator.__setstate__`` reviewed (a ``__dict__`` update after a version check). The
criteria were fixed before grid 2 was judged.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import warnings
from collections.abc import Callable
from typing import Any

from fp22_classes import _hooks, _resolve

GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp23-sksurv": (("sksurv",), ("sklearn.base.BaseEstimator",)),
    "fp23-sksurv-plain": (
        ("sksurv.functions", "sksurv.linear_model.coxph", "sksurv.ensemble.survival_loss"),
        ("*",),
    ),
    "fp23-interpret": (("interpret.glassbox",), ("sklearn.base.BaseEstimator",)),
    "fp23-skrub": (("skrub",), ("sklearn.base.BaseEstimator",)),
    "fp23-skrub-selectors": (("skrub.selectors",), ("*",)),
    "fp23-prince": (("prince",), ("sklearn.base.BaseEstimator",)),
    "fp23-skopt": (("skopt.learning",), ("sklearn.base.BaseEstimator",)),
    "fp23-skopt-gp-kernels": (("skopt.learning.gaussian_process.kernels",), ("*",)),
    "fp23-skopt-space": (("skopt.space", "skopt.optimizer.optimizer", "skopt.searchcv"), ("*",)),
    "fp23-fairlearn": (("fairlearn",), ("sklearn.base.BaseEstimator",)),
    "fp23-fairlearn-moments": (("fairlearn.reductions._moments",), ("*",)),
    "fp23-pykalman": (("pykalman.standard", "pykalman.unscented"), ("*",)),
    "fp23-pygam": (
        ("pygam.pygam", "pygam.terms", "pygam.distributions", "pygam.links", "pygam.callbacks"),
        ("*",),
    ),
    "fp23-tsfresh": (("tsfresh.transformers",), ("sklearn.base.BaseEstimator",)),
    "fp23-statsforecast": (("statsforecast.models", "statsforecast.core"), ("*",)),
    "fp23-mlforecast": (
        ("mlforecast.core", "mlforecast.grouped_array", "mlforecast.lag_transforms"),
        ("*",),
    ),
}
SKIP_MODS = (".test", "._test", ".tests", "conftest")


def main(argv: list[str]) -> int:
    return walk_classes(argv[0], GROUPS, _hooks)


def walk_classes(
    path: str,
    groups: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
    hooks: Callable[[type], list[str]],
) -> int:
    """Every class of each group's packages (subclasses of its bases) that ``hooks`` finds no
    load-time hook on, written to ``path`` with the excluded ones and the versions; fp24 reuses
    it with its own hook reading."""
    warnings.filterwarnings("ignore")
    out: dict[str, Any] = {"groups": {}, "excluded": {}, "versions": {}}
    for group, (pkgs, base_names) in groups.items():
        names: set[str] = set()
        bases = tuple(_resolve(b) for b in base_names if b != "*")
        for pkg_name in pkgs:
            pkg = importlib.import_module(pkg_name)
            top = pkg_name.split(".")[0]
            out["versions"][top] = str(getattr(importlib.import_module(top), "__version__", "?"))
            mods = [pkg]
            for m in pkgutil.walk_packages(getattr(pkg, "__path__", []), pkg.__name__ + "."):
                if any(s in m.name for s in SKIP_MODS) or m.name.rsplit(".", 1)[-1].startswith(
                    "test"
                ):
                    continue
                try:
                    mods.append(importlib.import_module(m.name))
                except Exception as exc:
                    out["excluded"][m.name] = repr(exc)[:200]
            for mod in mods:
                for obj in vars(mod).values():
                    if not inspect.isclass(obj) or obj.__module__ != mod.__name__:
                        continue
                    if "<locals>" in obj.__qualname__ or issubclass(obj, BaseException):
                        continue
                    if bases and not issubclass(obj, bases):
                        continue
                    full = f"{obj.__module__}.{obj.__qualname__}"
                    bad = hooks(obj)
                    if bad:
                        out["excluded"][full] = bad[:4]
                    else:
                        names.add(full)
        out["groups"][group] = sorted(names)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    print({g: len(v) for g, v in out["groups"].items()}, len(out["excluded"]), "excluded")
    print(out["versions"])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
