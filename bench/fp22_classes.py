"""Classes of the fp22 libraries that load by NEWOBJ + a ``__dict__``/slots BUILD only
(allowlist groups ``fp22-*``).

``python bench/fp22_classes.py OUT.json`` (in the fp22 side venv: torchvision, timm,
torchmetrics, einops, ultralytics, gpytorch, hmmlearn, xarray, hyperopt; see
``bench/fp22_grid.py``) lists, per group, every class those modules define (no test modules, no
``<locals>`` classes) that is a subclass of the group's base (``torch.nn.Module``,
``torch.optim.Optimizer``, ``torchmetrics.Metric``, scikit-learn's ``BaseEstimator``, or a
plain class of the listed transform/data modules) and has no pickle-time hook in any class of
its MRO outside ``object``/stdlib other than the reviewed ones:

- ``torch.nn.Module``: ``__setstate__`` (``self.__dict__.update(state)`` and defaults for
  missing hook dicts), ``__getattr__`` (reads ``_parameters``/``_buffers``/``_modules``; absent
  while the object is built, so pickle's ``__setstate__`` lookup finds Module's own),
  ``__setattr__``/``__delattr__`` (not reached: BUILD with a ``__setstate__`` does not setattr);
- ``torch.optim.Optimizer.__setstate__`` (``__dict__.update`` and defaults, as torch-optim);
- ``sklearn.base.BaseEstimator.__setstate__`` (a ``__dict__`` update after a version check);
- ``torchmetrics.Metric.__setstate__``: ``__dict__.update(state)`` then re-wraps the instance's
  own ``update``/``compute`` methods (``inspect.signature`` of a bound method and
  ``functools.wraps``; no name from the pickle is looked up or called), and
  ``Metric.__setattr__`` (only for the ``higher_is_better``-like class attributes; BUILD goes
  through ``__setstate__``). ``Metric.__hash__`` hashes ``id(self)`` and the values of the
  metric's ``_defaults`` state (tensors/lists): it runs only when an instance is a key;
- ``torchvision.tv_tensors.TVTensor``: ``__new__`` is not used by the unpickler (tensor subclass
  instances come back through ``torch._tensor._rebuild_from_type_v2``, ``as_subclass``);
- xarray's ``AttrAccessMixin.__setattr__`` (``object.__setattr__`` with a clearer error) and
  ``__getattr__`` (walks ``_attr_sources``; absent slots while built raise AttributeError, so
  the unpickler's ``__setstate__`` lookup finds nothing and BUILD sets slots by setattr).

Setters of properties are listed (a slots BUILD calls setattr, a ``__dict__`` BUILD does not):
a class whose BUILD would reach an unreviewed setter is excluded. dict/list/set subclasses are
excluded (SETITEMS/APPENDS). The criteria were fixed before grid 2 was judged.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import sys
import warnings
from typing import Any

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
    "__hash__",
    "__eq__",
)
# APPENDS/SETITEMS on any class other than list/dict is judged by the scanner itself (AIR-PKL-019
# unless a class is known to only store items), so a torch container's own list methods are
# not a hook of BUILD; they are listed so that a new one elsewhere is noticed
CONTAINER_METHODS = {
    "torch.nn.modules.container.Sequential",
    "torch.nn.modules.container.ModuleList",
    "torch.nn.modules.container.ModuleDict",
    "torch.nn.modules.container.ParameterList",
    "torch.nn.modules.container.ParameterDict",
}
REVIEWED = {
    ("torch.nn.modules.module.Module", "__setstate__"),
    ("torch.nn.modules.module.Module", "__getattr__"),
    ("torch.nn.modules.module.Module", "__setattr__"),
    ("torch.nn.modules.module.Module", "__delattr__"),
    ("torch.optim.optimizer.Optimizer", "__setstate__"),
    ("sklearn.base.BaseEstimator", "__setstate__"),
    ("torchmetrics.metric.Metric", "__setstate__"),
    ("torchmetrics.metric.Metric", "__setattr__"),
    ("torchmetrics.metric.Metric", "__hash__"),
    ("torchmetrics.metric.Metric", "__eq__"),
    ("torchvision.tv_tensors._tv_tensor.TVTensor", "__new__"),
    ("xarray.core.common.AttrAccessMixin", "__setattr__"),
    ("xarray.core.common.AttrAccessMixin", "__getattr__"),
    # if not hasattr(self, 'padding_mode'): self.padding_mode = 'zeros' after Module's
    ("torch.nn.modules.conv._ConvNd", "__setstate__"),
    # torch.Tensor's hooks: a tensor subclass comes back through _rebuild_from_type_v2
    # (as_subclass of a rebuilt tensor, then its own __setstate__ / __dict__ update)
    ("torch.Tensor", "__reduce_ex__"),
    ("torch.Tensor", "__setstate__"),
    ("torch.Tensor", "__hash__"),
    ("torch.Tensor", "__eq__"),
    ("torch.Tensor", "__setitem__"),
    ("torch.Tensor", "__getattribute__"),
    ("torch.Tensor", "__new__"),
}
# an optimizer __setstate__ that is Optimizer's then group.setdefault(<name>, <constant>) only
_SETDEFAULT = re.compile(
    r"\s*(def __setstate__\(self, state\):|super\((\w+, self)?\)\.__setstate__\(state\)|"
    r"for group in self\.param_groups:|group\.setdefault\(('\w+'|\"\w+\"), "
    r"(False|True|None|-?\d+(\.\d+)?)\)|#.*|)\s*"
)


def _plain_optimizer_setstate(k: type) -> bool:
    import torch

    if not issubclass(k, torch.optim.Optimizer):
        return False
    src = inspect.getsource(vars(k)["__setstate__"])
    return all(_SETDEFAULT.fullmatch(line) for line in src.splitlines())


OK = {
    "builtins",
    "abc",
    "typing",
    "collections.abc",
    "numbers",
    "enum",
    "dataclasses",
    "torch._C",
    "torch._tensor",
    "torch.nn.modules.module",
    "torch.optim.optimizer",
    "torch._C._TensorBase",
}


def _module_base() -> type:
    import torch

    return torch.nn.Module


# group -> (packages walked, base classes by dotted name; "*" = any class of those modules)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fp22-torchvision-modules": (("torchvision.models", "torchvision.ops"), ("torch.nn.Module",)),
    "fp22-torchvision-transforms": (("torchvision.transforms",), ("*",)),
    "fp22-torchvision-tv-tensors": (("torchvision.tv_tensors",), ("torch.Tensor",)),
    "fp22-timm-modules": (("timm.models", "timm.layers"), ("torch.nn.Module",)),
    "fp22-timm-optim": (("timm.optim",), ("torch.optim.Optimizer",)),
    "fp22-timm-transforms": (
        (
            "timm.data.transforms",
            "timm.data.random_erasing",
            "timm.data.auto_augment",
            "timm.data.transforms_factory",
        ),
        ("*",),
    ),
    "fp22-torchmetrics": (("torchmetrics",), ("torchmetrics.Metric", "torch.nn.Module")),
    "fp22-einops": (("einops.layers.torch",), ("torch.nn.Module",)),
    "fp22-ultralytics-modules": (("ultralytics.nn",), ("torch.nn.Module",)),
    "fp22-gpytorch-modules": (("gpytorch",), ("torch.nn.Module",)),
    "fp22-hmmlearn": (("hmmlearn",), ("sklearn.base.BaseEstimator",)),
    "fp22-hmmlearn-plain": (("hmmlearn.base",), ("*",)),
    "fp22-xarray": (
        (
            "xarray.core.dataarray",
            "xarray.core.dataset",
            "xarray.core.variable",
            "xarray.core.indexes",
            "xarray.core.indexing",
            "xarray.core.extension_array",
            "xarray.core.coordinates",
        ),
        ("*",),
    ),
    "fp22-hyperopt": (("hyperopt.base",), ("*",)),
    "fp22-torchvision-plain": (("torchvision.models.detection._utils",), ("*",)),
}
SKIP_MODS = (
    ".test",
    "._test",
    ".tests",
    "torchvision.models.feature_extraction",
    "ultralytics.nn.autobackend",
    "ultralytics.nn.text_model",
    "timm.models._hub",
    "torchvision.datasets",
    "torchvision.io",
)


def _resolve(dotted: str) -> type:
    mod, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(mod), name)  # type: ignore[no-any-return]


def _has_setstate(obj: type) -> bool:
    """A reviewed ``__setstate__`` in the MRO (BUILD then never reaches a property setter)."""
    for k in obj.__mro__:
        if "__setstate__" in vars(k):
            return f"{k.__module__}.{k.__qualname__}" in {r[0] for r in REVIEWED} or (
                _plain_optimizer_setstate(k)
            )
    return False


def _hooks(obj: type) -> list[str]:
    bad = []
    for k in obj.__mro__:
        if k is object or k.__module__ in OK:
            continue
        kname = f"{k.__module__}.{k.__qualname__}"
        for name, value in vars(k).items():
            if name in HOOKS and (kname, name) not in REVIEWED:
                if name in ("__hash__", "__eq__") and value is None:
                    continue
                if kname in CONTAINER_METHODS and name in ("__setitem__", "append", "extend"):
                    continue
                if name == "__setstate__" and _plain_optimizer_setstate(k):
                    continue
                bad.append(f"{name}@{kname}")
            elif isinstance(value, property) and value.fset is not None:
                if _has_setstate(obj):
                    continue  # BUILD calls __setstate__, never setattr
                bad.append(f"setter {name}@{kname}")
            elif (
                hasattr(type(value), "__set__")
                and type(value).__module__ != "builtins"
                and not isinstance(value, property)
            ):
                bad.append(f"descriptor {name}@{kname}")
    if any(issubclass(obj, t) for t in (dict, list, set)):
        bad.append("container")
    if type(obj) is not type and type(obj).__module__ not in ("abc", "builtins", "enum"):
        bad.append(f"metaclass {type(obj).__module__}.{type(obj).__qualname__}")
    return bad


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from fp22_grid import _torchvision

    _torchvision()
    out: dict[str, Any] = {"groups": {}, "excluded": {}, "versions": {}}
    for group, (pkgs, base_names) in GROUPS.items():
        names: set[str] = set()
        try:
            bases = tuple(_resolve(b) for b in base_names if b != "*")
        except Exception as exc:
            out["excluded"][group] = repr(exc)[:200]
            continue
        for pkg_name in pkgs:
            try:
                pkg = importlib.import_module(pkg_name)
            except Exception as exc:
                out["excluded"][pkg_name] = repr(exc)[:200]
                continue
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
                    bad = _hooks(obj)
                    if bad:
                        out["excluded"][full] = bad[:4]
                    else:
                        names.add(full)
        out["groups"][group] = sorted(names)
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    print(
        {g: len(v) for g, v in out["groups"].items()},
        len(out["excluded"]),
        "excluded",
        out["versions"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
