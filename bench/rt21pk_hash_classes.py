"""Allowlisted classes whose hash runs more than ``object.__hash__`` (session 20, rt21pk).

``PYTHONPATH=src python bench/rt21pk_hash_classes.py`` imports every name of the pickle
allowlist (bench/tests only: library code runs on import) and prints the classes whose
``__hash__`` or ``__eq__`` is not ``object``'s, grouped as Python-level or C, and which of them
``airlock.scan.pickle_keys`` does not list (``HASH_CODE``, ``HASH_FIELDS``, ``PATHS``) or
review as safe. A new library in the allowlist whose classes hash by code shows up under
"not listed"; the exit status is 1 then. Names that do not import here (libraries not in this
venv) are counted.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import sys
import warnings
from typing import Any

from airlock.scan import pickle_keys
from airlock.scan.allowlist import default_policy

# reviewed: hash by identity (tensors) or a C hash of the object's own scalar fields
_SAFE_PREFIXES = ("builtins.", "datetime.", "decimal.", "numpy.")
_SAFE = {"tokenizers.AddedToken", "torch.device"}


def _resolve(name: str) -> Any:
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except BaseException:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _tensor(cls: type) -> bool:
    torch = sys.modules.get("torch")
    return (
        torch is not None
        and issubclass(cls, torch.Tensor)
        and cls.__hash__ is torch.Tensor.__hash__
    )


def main() -> int:
    warnings.filterwarnings("ignore")
    names = sorted(default_policy().allowed_names())
    unresolved = 0
    custom: list[str] = []
    for name in names:
        cls = _resolve(name)
        if cls is None:
            unresolved += 1
            continue
        if not inspect.isclass(cls) or cls.__hash__ is None or issubclass(cls, enum.Enum):
            continue
        if cls.__hash__ is object.__hash__ and cls.__eq__ is object.__eq__:
            continue
        if _tensor(cls):
            continue
        custom.append(name)
    listed = pickle_keys.HASH_CODE | pickle_keys.HASH_FIELDS | pickle_keys.PATHS
    missing = [
        n
        for n in custom
        if n not in listed
        and not n.startswith(_SAFE_PREFIXES + pickle_keys.HASH_CODE_PREFIXES)
        and n not in _SAFE
    ]
    print(f"{len(names)} allowlisted names, {unresolved} not importable here")
    print(f"{len(custom)} classes hash or compare by more than identity")
    print(f"not listed in pickle_keys ({len(missing)}):", *missing, sep="\n  ")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
