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

import sys

from fp22_classes import _hooks
from fp23_classes import walk_classes

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


def main(argv: list[str]) -> int:
    return walk_classes(argv[0], GROUPS, _hooks_here)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
