"""Classes of the fp26 libraries that load by NEWOBJ + a ``__dict__`` BUILD only (allowlist
groups ``fp26-*``).

``python bench/fp26_classes.py OUT.json`` (in the fp26 side venv, see ``bench/fp26_grid.py``)
lists, per group, every class the group's modules define (no test modules, no ``<locals>``
classes) that subclasses the group's base (scikit-learn's ``BaseEstimator``,
``torch.nn.Module`` or ``*`` = any class of those modules) and has no pickle-time hook in its
MRO outside ``object``/stdlib other than the reviewed ones, by ``bench/fp24_classes.py``'s
reading (fp22's hook list plus ``__del__``; an ``__eq__`` of a class whose ``__hash__`` is None
is not reached by pickle). The groups and this rule were fixed before grid 2 was judged.
"""

from __future__ import annotations

import os
import sys

from fp23_classes import walk_classes
from fp24_classes import _hooks_here as _fp24_hooks

os.environ.setdefault("KERAS_BACKEND", "torch")
_EST = ("sklearn.base.BaseEstimator",)
_MOD = ("torch.nn.Module",)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp26-causallearn": (
        ("causallearn.graph", "causallearn.search.FCMBased.lingam"), ("*",)
    ),
    "fp26-causalml": (
        ("causalml.inference.meta", "causalml.inference.tree", "causalml.propensity"), ("*",)
    ),
    "fp26-copulas": (("copulas",), ("*",)),
    "fp26-cornac": (("cornac.models", "cornac.data", "cornac.utils"), ("*",)),
    "fp26-ctgan": (("ctgan",), ("*",)),
    "fp26-rdt": (("rdt.transformers",), ("*",)),
    "fp26-emcee": (("emcee.backends",), ("*",)),
    "fp26-gstools": (("gstools",), ("*",)),
    "fp26-karateclub": (("karateclub",), ("*",)),
    "fp26-lda": (("lda",), ("*",)),
    "fp26-metric-learning": (("pytorch_metric_learning",), ("*",)),
    "fp26-open-clip": (("open_clip",), _MOD),
    "fp26-open-clip-plain": (("open_clip.tokenizer", "open_clip.transform"), ("*",)),
    "fp26-torchtuples": (("torchtuples", "pycox.models"), _MOD),
    "fp26-pykeen": (("pykeen.models", "pykeen.nn", "pykeen.regularizers", "pykeen.losses"), _MOD),
    "fp26-pykeen-plain": (("pykeen.inverse",), ("*",)),
    "fp26-pykrige": (("pykrige",), ("*",)),
    "fp26-pysad": (("pysad",), ("*",)),
    "fp26-libpysal": (("libpysal.weights",), ("*",)),
    "fp26-mgwr": (("mgwr", "spglm"), ("*",)),
    "fp26-skgstat": (("skgstat",), ("*",)),
    "fp26-sklift": (("sklift.models",), _EST),
    "fp26-xgbse": (("xgbse",), ("*",)),
}

# hooks read by hand in the fp26 versions: copulas' Bivariate.__new__ picks the subclass whose
# copula_type matches a CopulaTypes member or name given as a keyword (NEWOBJ passes none), else
# plain object.__new__; nothing else runs.
REVIEWED_HERE = frozenset({"__new__@copulas.bivariate.base.Bivariate"})


def _hooks_here(obj: type) -> list[str]:
    return [h for h in _fp24_hooks(obj) if h not in REVIEWED_HERE]


def main(argv: list[str]) -> int:
    return walk_classes(argv[0], GROUPS, _hooks_here)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
