"""River classes that load by NEWOBJ + a __dict__ update and nothing else (allowlist group
``river-hook-free-classes``).

``python bench/river_classes.py OUT.json`` (in a venv with river) lists every class river
defines in its model subpackages (not datasets, stream, synth, compat, evaluate; no test
modules) that has none of the hooks below in any river base: nothing a pickle's NEWOBJ, BUILD,
SETITEM, APPEND or ADDITEMS would run; not a dict/list/set subclass; no Python data descriptor
but the reviewed property setters. The criteria were fixed before the held-out grid
(``fp13_gen.py river_heldout``) was generated. OUT.json: ``names`` and ``excluded`` (why).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
import warnings
from types import ModuleType
from typing import Any

SUBPKGS = """active anomaly bandit base cluster compose conf covariance drift ensemble facto
feature_extraction feature_selection forest imblearn linear_model metrics misc model_selection
multiclass multioutput naive_bayes neighbors neural_net optim preprocessing proba reco rules
sketch stats time_series tree utils""".split()
HOOKS = (
    "__reduce__",
    "__reduce_ex__",
    "__setstate__",
    "__getattr__",
    "__getattribute__",
    "__setattr__",
    "__delattr__",
    "__new__",
    "__setitem__",
    "append",
    "extend",
    "add",
    "__set_name__",
    "__class_getitem__",
    "__init_subclass__",
)
# property setters read and found to validate or store plainly
REVIEWED = {
    "split_criterion",
    "leaf_prediction",
    "max_size",
    "last_split_attempt_at",
    "last_split_reevaluation_at",
    "statistics",
    "sample_flags",
}
OK_BASES = {"builtins", "abc", "typing", "collections.abc", "numbers", "enum", "dataclasses"}
SKIP = (".envs", ".datasets")


def _modules(sub: str, excluded: dict[str, Any]) -> list[ModuleType]:
    pkg = importlib.import_module(f"river.{sub}")
    mods = [pkg]
    for m in pkgutil.walk_packages(getattr(pkg, "__path__", []), pkg.__name__ + "."):
        last = m.name.rsplit(".", 1)[-1]
        if ".test" in m.name or last.startswith("test") or any(s in m.name for s in SKIP):
            continue
        try:
            mods.append(importlib.import_module(m.name))
        except Exception as exc:  # an optional dependency missing: its classes are not listed
            excluded[m.name] = repr(exc)[:100]
    return mods


def _hooks(obj: type) -> list[tuple[str, str]]:
    bad = []
    for k in obj.__mro__:
        if k is object or k.__module__ in OK_BASES:
            continue
        for name, value in vars(k).items():
            if name in HOOKS:
                bad.append((name, k.__module__))
            elif isinstance(value, property):
                if value.fset is not None and name not in REVIEWED:
                    bad.append((f"setter {name}", k.__module__))
            elif hasattr(type(value), "__set__") and type(value).__module__ != "builtins":
                bad.append((f"descriptor {name}", k.__module__))
    if issubclass(obj, BaseException):
        bad.append(("exception", ""))
    if any(issubclass(obj, t) for t in (dict, list, set)):
        bad.append(("container", ""))
    return bad


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    names: set[str] = set()
    excluded: dict[str, Any] = {}
    for sub in SUBPKGS:
        try:
            mods = _modules(sub, excluded)
        except Exception as exc:
            excluded[sub] = repr(exc)[:100]
            continue
        for mod in mods:
            for obj in vars(mod).values():
                if not inspect.isclass(obj) or obj.__module__ != mod.__name__:
                    continue
                if obj.__module__.startswith("river._river_rust") or "<locals>" in obj.__qualname__:
                    continue
                full = f"{obj.__module__}.{obj.__qualname__}"
                bad = _hooks(obj)
                if bad:
                    excluded[full] = bad[:3]
                else:
                    names.add(full)
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump({"names": sorted(names), "excluded": excluded}, fh, indent=1)
    print(len(names), "listed;", len(excluded), "excluded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
