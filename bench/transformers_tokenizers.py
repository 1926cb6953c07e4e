"""List the transformers 5 tokenizer classes of the ``transformers-tokenizers`` allowlist group.

``python bench/transformers_tokenizers.py SITE_PACKAGES/transformers``: every class of
``models/*/tokenization_*.py`` whose single base is ``TokenizersBackend`` or a class already
listed (bases resolved through the module's imports) and whose class body defines no
pickle-time hook (reduce/setstate/getstate/new/getattr/setattr/delattr/setitem/append/add) and
no property setter. Read with ``ast`` only: nothing is imported.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

HOOKS = {"__setstate__", "__getstate__", "__reduce__", "__reduce_ex__", "__getattr__",
         "__getattribute__", "__setattr__", "__delattr__", "__new__", "__setitem__", "append",
         "add", "__init_subclass__", "__class_getitem__"}  # fmt: skip
ROOT_CLASS = "transformers.tokenization_utils_tokenizers.TokenizersBackend"


def _imports(tree: ast.Module, mod: str) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            parts = mod.split(".")[: -node.level] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            for a in node.names:
                out[a.asname or a.name] = f"{base}.{a.name}"
    return out


def classes(root: Path) -> dict[str, tuple[list[str], bool]]:
    """Full class name -> (resolved bases, whether its body is free of hooks and setters)."""
    found: dict[str, tuple[list[str], bool]] = {}
    for f in sorted(root.glob("models/*/tokenization_*.py")):
        mod = ".".join(f.relative_to(root.parent).with_suffix("").parts)
        tree = ast.parse(f.read_text(encoding="utf-8"))
        imports = _imports(tree, mod)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [
                imports.get(b.id, f"{mod}.{b.id}") if isinstance(b, ast.Name) else "?"
                for b in node.bases
            ]
            funcs = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            setter = any(
                isinstance(d, ast.Attribute) and d.attr == "setter"
                for n in funcs
                for d in n.decorator_list
            )
            free = not ({n.name for n in funcs} & HOOKS) and not setter
            found[f"{mod}.{node.name}"] = (bases, free)
    return found


def main(argv: list[str]) -> int:
    found = classes(Path(argv[0]))
    ok = {ROOT_CLASS}
    changed = True
    while changed:
        changed = False
        for name, (bases, free) in found.items():
            if name not in ok and free and len(bases) == 1 and bases[0] in ok:
                ok.add(name)
                changed = True
    print("\n".join(sorted(ok)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
