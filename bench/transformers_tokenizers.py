"""List the transformers tokenizer classes of the ``transformers-tokenizers`` allowlist groups.

``python bench/transformers_tokenizers.py SITE_PACKAGES/transformers [--v4]``: every class of
``models/*/tokenization_*.py`` whose single base is ``TokenizersBackend`` (transformers 5; with
``--v4``: transformers 4.x's ``PreTrainedTokenizerFast`` or ``PreTrainedTokenizer``) or a class
already listed (bases resolved through the module's imports) and whose class body defines no
pickle-time hook (reduce/setstate/getstate/new/getattr/setattr/delattr/setitem/append/add) and
no property setter other than the ones read by hand (``REVIEWED_SETTERS``: a (state, slots)
BUILD runs them through ``setattr``). Read with ``ast`` only: nothing is imported.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

HOOKS = {"__setstate__", "__getstate__", "__reduce__", "__reduce_ex__", "__getattr__",
         "__getattribute__", "__setattr__", "__delattr__", "__new__", "__setitem__", "append",
         "add", "__init_subclass__", "__class_getitem__"}  # fmt: skip
ROOT_CLASS = "transformers.tokenization_utils_tokenizers.TokenizersBackend"
V4_ROOTS = {"transformers.tokenization_utils_fast.PreTrainedTokenizerFast",
            "transformers.tokenization_utils.PreTrainedTokenizer"}  # fmt: skip

# Property setters read by hand (fp16, transformers 5.25.0 and 4.57.6): each stores the value,
# wraps a str in tokenizers.AddedToken (mask_token), or (src_lang/tgt_lang) maps the language
# code through the tokenizer's own vocabulary (convert_tokens_to_ids / convert_ids_to_tokens)
# and sets the Rust tokenizer's post_processor to a tokenizers.processors.TemplateProcessing of
# those tokens. None imports, opens a file, or calls a value taken from the pickle.
# transformers 4.x's fast classes: mask_token as above; add_bos_token/add_eos_token store the
# flag and run update_post_processor (an f-string of the bos/eos token strings, then the same
# TemplateProcessing assignment).
_MT = frozenset({"src_lang"})
_MASK = frozenset({"mask_token"})
_BOS = frozenset({"add_bos_token", "add_eos_token"})
_M4 = "transformers.models."
REVIEWED_SETTERS: dict[str, frozenset[str]] = {
    **{f"{_M4}{m}.tokenization_{m}_fast.{c}TokenizerFast": _MASK for m, c in [
        ("roberta", "Roberta"), ("bart", "Bart"), ("deberta", "Deberta"), ("mpnet", "MPNet"),
        ("mvp", "Mvp"), ("led", "LED"), ("longformer", "Longformer"),
        ("blenderbot", "Blenderbot")]},
    **{f"{_M4}{m}.tokenization_{m}_fast.{c}TokenizerFast": _BOS for m, c in [
        ("llama", "Llama"), ("gemma", "Gemma"), ("code_llama", "CodeLlama"),
        ("cohere", "Cohere"), ("gpt_neox", "GPTNeoX")]},
    **{f"{_M4}{m}.tokenization_{m}_fast.{c}TokenizerFast": _MT for m, c in [
        ("mbart", "MBart"), ("mbart50", "MBart50"), ("nllb", "Nllb")]},
    f"{_M4}seamless_m4t.tokenization_seamless_m4t_fast.SeamlessM4TTokenizerFast": frozenset(
        {"src_lang", "tgt_lang"}
    ),
    "transformers.models.deberta.tokenization_deberta.DebertaTokenizer": frozenset({"mask_token"}),
    "transformers.models.mpnet.tokenization_mpnet.MPNetTokenizer": frozenset({"mask_token"}),
    "transformers.models.mbart.tokenization_mbart.MBartTokenizer": _MT,
    "transformers.models.mbart50.tokenization_mbart50.MBart50Tokenizer": _MT,
    "transformers.models.nllb.tokenization_nllb.NllbTokenizer": _MT,
    "transformers.models.seamless_m4t.tokenization_seamless_m4t.SeamlessM4TTokenizer": frozenset(
        {"src_lang", "tgt_lang"}
    ),
}


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
    """Full class name -> (resolved bases, whether its body is free of hooks and of setters
    not in ``REVIEWED_SETTERS``)."""
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
            setters = {
                n.name
                for n in funcs
                for d in n.decorator_list
                if isinstance(d, ast.Attribute) and d.attr == "setter"
            }
            name = f"{mod}.{node.name}"
            free = not ({n.name for n in funcs} & HOOKS) and setters <= REVIEWED_SETTERS.get(
                name, frozenset()
            )
            found[name] = (bases, free)
    return found


def main(argv: list[str]) -> int:
    found = classes(Path(argv[0]))
    ok = set(V4_ROOTS) if "--v4" in argv[1:] else {ROOT_CLASS}
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
