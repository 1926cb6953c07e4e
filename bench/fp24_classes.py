"""Classes of the fp24 libraries that load by NEWOBJ + a ``__dict__`` BUILD only (allowlist
groups ``fp24-*``).

``python bench/fp24_classes.py OUT.json`` (in the fp24 side venv, see ``bench/fp24_grid.py``)
lists, per group, every class the group's modules define (no test modules, no ``<locals>``
classes) that subclasses the group's base (scikit-learn's ``BaseEstimator`` or ``*`` = any
class of those modules, or ``torch.nn.Module``) and has no pickle-time hook in its MRO
outside ``object``/stdlib (nor a ``__del__``, which runs on the loaded state) other than the
reviewed ones: the criteria and the hook list are ``bench/fp22_classes.py``'s
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
from typing import Any

from fp22_classes import _hooks, _resolve

GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp24-multilearn": (("skmultilearn",), ("sklearn.base.BaseEstimator",)),
    "fp24-imodels": (("imodels",), ("sklearn.base.BaseEstimator",)),
    "fp24-imodels-plain": (
        ("imodels.tree.figs", "imodels.util.transforms", "imodels.util.rule"),
        ("*",),
    ),
    "fp24-skforecast": (
        ("skforecast.recursive", "skforecast.direct", "skforecast.preprocessing"),
        ("*",),
    ),
    "fp24-cleanlab": (("cleanlab.classification",), ("sklearn.base.BaseEstimator",)),
    "fp24-glum": (("glum",), ("sklearn.base.BaseEstimator",)),
    "fp24-glum-plain": (("glum._distribution", "glum._link"), ("*",)),
    "fp24-implicit": (("implicit.cpu.als", "implicit.cpu.bpr"), ("*",)),
    "fp24-linearmodels": (
        ("linearmodels.panel", "linearmodels.iv", "linearmodels.shared"),
        ("*",),
    ),
    "fp24-pomegranate": (("pomegranate",), ("torch.nn.Module",)),
    "fp24-pyts": (("pyts",), ("sklearn.base.BaseEstimator",)),
    "fp24-ruptures": (("ruptures.detection", "ruptures.costs", "ruptures.utils"), ("*",)),
    "fp24-sklego": (("sklego",), ("sklearn.base.BaseEstimator",)),
    "fp24-surprise": (("surprise.prediction_algorithms", "surprise.trainset"), ("*",)),
    "fp24-tabnet": (("pytorch_tabnet",), ("torch.nn.Module", "sklearn.base.BaseEstimator")),
    "fp24-tabnet-plain": (("pytorch_tabnet.callbacks",), ("*",)),
}
# hooks read by hand in the fp24 versions (bench/fp24_grid.py's docstring): each is a
# ``__dict__`` update plus a key rename or defaults (the __setstate__s), a plain store of the
# value (the setters), a list append the scanner judges itself (APPENDS on an instance is
# AIR-PKL-019), or a hash of instance fields (Rule, Bnode: in ``pickle_keys.HASH_CODE``, so
# such an object as a dict key or set item is AIR-PKL-009). An ``__eq__`` of a class whose
# ``__hash__`` is None is not reached by pickle (fp23's criterion).
REVIEWED_HERE = frozenset(
    {
        "__setstate__@skforecast.base._forecaster_base.ForecasterBase",
        "__setstate__@glum._glm.GeneralizedLinearRegressorBase",
        "setter feature_dtypes_@glum._glm.GeneralizedLinearRegressorBase",
        "setter _doc_link_template@sklearn.utils._repr_html.base._HTMLDocumentationLinkMixin",
        "setter power@glum._distribution.TweedieDistribution",
        "setter formula@linearmodels.panel.model._PanelModelBase",
        "setter formula@linearmodels.iv.model._IVModelBase",
        "append@pytorch_tabnet.callbacks.CallbackContainer",
        "__eq__@imodels.util.rule.Rule",
        "__hash__@imodels.util.rule.Rule",
        "__eq__@ruptures.utils.bnode.Bnode",
        "__hash__@ruptures.utils.bnode.Bnode",
    }
)


def _hooks_here(obj: type) -> list[str]:
    out = [f"__del__@{k.__module__}.{k.__qualname__}" for k in obj.__mro__ if "__del__" in vars(k)]
    for h in _hooks(obj):
        if h in REVIEWED_HERE:
            continue
        name, _, where = h.partition("@")
        if name == "__eq__":
            k = next((c for c in obj.__mro__ if f"{c.__module__}.{c.__qualname__}" == where), None)
            if k is not None and k.__hash__ is None:
                continue
        out.append(h)
    return out


SKIP_MODS = (".test", "._test", ".tests", "conftest")


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    out: dict[str, Any] = {"groups": {}, "excluded": {}, "versions": {}}
    for group, (pkgs, base_names) in GROUPS.items():
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
                    bad = _hooks_here(obj)
                    if bad:
                        out["excluded"][full] = bad[:4]
                    else:
                        names.add(full)
        out["groups"][group] = sorted(names)
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    print({g: len(v) for g, v in out["groups"].items()}, len(out["excluded"]), "excluded")
    print(out["versions"])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
