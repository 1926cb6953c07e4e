"""Classes of the fp25 libraries that load by NEWOBJ + a ``__dict__`` BUILD only (allowlist
groups ``fp25-*``).

``python bench/fp25_classes.py OUT.json`` (in the fp25 side venv, see ``bench/fp25_grid.py``)
lists, per group, every class the group's modules define (no test modules, no ``<locals>``
classes) that subclasses the group's base (scikit-learn's ``BaseEstimator``,
``torch.nn.Module`` or ``*`` = any class of those modules) and has no pickle-time hook in its
MRO outside ``object``/stdlib other than the reviewed ones, by ``bench/fp24_classes.py``'s
reading (fp22's hook list plus ``__del__``; an ``__eq__`` of a class whose ``__hash__`` is None
is not reached by pickle). The groups and this rule were fixed before grid 2 was judged.
"""

from __future__ import annotations

import sys

from fp23_classes import walk_classes
from fp24_classes import _hooks_here

_EST = ("sklearn.base.BaseEstimator",)
_MOD = ("torch.nn.Module",)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp25-rank-bm25": (("rank_bm25",), ("*",)),
    "fp25-bm25s": (("bm25s",), ("*",)),
    "fp25-doubleml": (("doubleml",), ("*",)),
    "fp25-dowhy-gcm": (("dowhy.gcm",), ("*",)),
    "fp25-econml": (("econml",), ("*",)),
    "fp25-gplearn": (("gplearn",), ("*",)),
    "fp25-kornia": (("kornia.augmentation", "kornia.filters"), ("*",)),
    "fp25-mabwiser": (("mabwiser",), ("*",)),
    "fp25-monai-nets": (("monai.networks",), _MOD),
    "fp25-monai-transforms": (("monai.transforms",), ("*",)),
    "fp25-pysindy": (("pysindy",), ("*",)),
    "fp25-skrebate": (("skrebate",), _EST),
    "fp25-smp": (("segmentation_models_pytorch",), _MOD),
    "fp25-tbats": (("tbats",), ("*",)),
    "fp25-textblob": (("textblob.classifiers",), ("*",)),
    "fp25-x-transformers": (("x_transformers", "torch_einops_utils"), _MOD),
    "fp25-boruta": (("boruta",), ("*",)),
}


def main(argv: list[str]) -> int:
    return walk_classes(argv[0], GROUPS, _hooks_here)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
