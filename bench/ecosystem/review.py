"""Review aid for allowlist candidates: what unpickling each name can run.

``python -m bench.ecosystem.review NAMES.json`` (a JSON list or {name: [...]} of dotted names)
imports each name from the installed libraries (our own environment, not a model) and reports:
its kind; for classes, which pickle hooks (``__new__``, ``__setstate__``, ``__reduce__``,
``__reduce_ex__``, metaclass) it defines itself or inherits from a class
outside a small set of reviewed bases; for functions, the calls in their source. Every hook or
function source is searched for what an allowlisted name must never reach (code execution,
file/network I/O, imports, attribute traversal); hits are printed for a human to decide.
Nothing is added to the allowlist automatically.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import sys
from typing import Any

HOOKS = ("__new__", "__setstate__", "__reduce__", "__reduce_ex__")  # what unpickling runs
# Bases whose hooks were read once: object, Module (dict update, hooks dicts), BaseEstimator
# (version warning + dict update), Enum (lookup by value), dict/list/tuple/OrderedDict.
REVIEWED_BASES = (
    "builtins.",
    "torch.nn.modules.module.Module",
    "sklearn.base.BaseEstimator",
    "enum.",
    "collections.",
    "typing.",
    "abc.",
    "dataclasses.",
)
RISKY = re.compile(
    r"\b(open|exec|eval|compile|__import__|import_module|importlib|subprocess|os\.system|"
    r"os\.popen|popen|system|urlopen|requests|socket|hf_hub_download|from_pretrained|"
    r"snapshot_download|torch\.load|pickle\.load|pickle\.loads|joblib\.load|np\.load|"
    r"getattr|setattr|globals|locals|builtins|ctypes|load_library|write|unlink|remove|"
    r"tempfile|mkstemp|NamedTemporaryFile)\b"
)


def _resolve(name: str) -> Any:
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except Exception:
            continue
        try:
            for p in parts[cut:]:
                obj = getattr(obj, p)
            return obj
        except AttributeError:
            continue
    raise LookupError(name)


def _src(fn: Any) -> str:
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


def review(name: str) -> dict[str, Any]:
    try:
        obj = _resolve(name)
    except Exception as exc:
        return {"name": name, "kind": "unresolvable", "note": f"{type(exc).__name__}: {exc}"}
    out: dict[str, Any] = {"name": name, "hits": []}
    if inspect.isclass(obj):
        out["kind"] = "enum" if issubclass(obj, __import__("enum").Enum) else "class"
        hooks = []
        for hook in HOOKS:
            for klass in obj.__mro__:
                if hook in vars(klass):
                    owner = f"{klass.__module__}.{klass.__qualname__}"
                    if not owner.startswith(REVIEWED_BASES):
                        hooks.append(f"{hook} from {owner}")
                        src = _src(vars(klass)[hook])
                        out["hits"] += [f"{hook}: {m}" for m in sorted(set(RISKY.findall(src)))]
                        if not src:
                            out["hits"].append(f"{hook}: compiled (no source)")
                    break
        meta = type(obj)
        if meta is not type and not f"{meta.__module__}.".startswith(REVIEWED_BASES):
            hooks.append(f"metaclass {meta.__module__}.{meta.__qualname__}")
        out["hooks"] = hooks
    elif callable(obj):
        out["kind"] = "function" if inspect.isfunction(obj) else type(obj).__name__
        src = _src(obj)
        out["hits"] = sorted(set(RISKY.findall(src))) if src else ["compiled (no source)"]
    else:
        out["kind"] = f"value of type {type(obj).__name__}"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names")
    args = ap.parse_args(argv)
    doc = json.load(open(args.names, encoding="utf-8"))
    names = sorted(doc)  # a list, or a dict keyed by name
    for name in names:
        json.dump(review(name), sys.stdout)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
