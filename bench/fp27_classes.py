"""Classes of the fp27 libraries that load by NEWOBJ + a ``__dict__`` BUILD only (allowlist
groups ``fp27-*``).

``python bench/fp27_classes.py OUT.json`` (in the fp27 side venv, see ``bench/fp27_grid.py``)
lists, per group, every class the group's modules define (no test modules, no ``<locals>``
classes) that subclasses the group's base (scikit-learn's ``BaseEstimator``,
``torch.nn.Module`` or ``*`` = any class of those modules) and has no pickle-time hook in its
MRO outside ``object``/stdlib other than the reviewed ones, by ``bench/fp24_classes.py``'s
reading (fp22's hook list plus ``__del__``; an ``__eq__`` of a class whose ``__hash__`` is None
is not reached by pickle). The groups and this rule were fixed before grid 2 was generated.
"""

from __future__ import annotations

import sys

from fp23_classes import walk_classes
from fp24_classes import _hooks_here

_MOD = ("torch.nn.Module",)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp27-ngboost": (("ngboost",), ("*",)),
    "fp27-filterpy": (
        ("filterpy.kalman", "filterpy.gh", "filterpy.hinfinity", "filterpy.leastsq"), ("*",)
    ),
    "fp27-crepes": (("crepes",), ("*",)),
    "fp27-pwlf": (("pwlf",), ("*",)),
    "fp27-bayes-opt": (("bayes_opt",), ("*",)),
    "fp27-dynesty": (("dynesty.bounding", "dynesty.utils", "dynesty.results"), ("*",)),
    "fp27-lmfit": (("lmfit.parameter",), ("*",)),
    "fp27-pymoo": (
        ("pymoo.core", "pymoo.algorithms", "pymoo.operators", "pymoo.termination",
         "pymoo.util.display", "pymoo.util.nds", "pymoo.problems"),
        ("*",),
    ),
    "fp27-sbi": (
        ("sbi.inference.posteriors", "sbi.inference.potentials", "sbi.neural_nets",
         "sbi.utils.sbiutils", "sbi.utils.torchutils"),
        ("*",),
    ),
    "fp27-nflows": (("nflows",), _MOD),
    "fp27-widedeep-nets": (("pytorch_widedeep.models",), _MOD),
    "fp27-widedeep-plain": (
        ("pytorch_widedeep.preprocessing", "pytorch_widedeep.utils.deeptabular_utils"), ("*",)
    ),
    "fp27-hummingbird": (("hummingbird.ml",), ("*",)),
    "fp27-tensorly": (
        ("tensorly.decomposition", "tensorly.cp_tensor", "tensorly.tucker_tensor",
         "tensorly.tt_tensor", "tensorly.tt_matrix", "tensorly.parafac2_tensor"),
        ("*",),
    ),
    "fp27-trimap": (("trimap",), ("*",)),
    "fp27-zuko": (("zuko",), ("*",)),
}


def main(argv: list[str]) -> int:
    from fp25_grid import _torchvision_shim

    _torchvision_shim()
    return walk_classes(argv[0], GROUPS, _hooks_here)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
