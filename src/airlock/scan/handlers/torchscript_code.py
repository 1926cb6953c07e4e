"""Python-syntax TorchScript code in a TorchScript archive's ``code/``: compiled and run when
the archive loads. Parsed with ``ast`` (never compiled); calls into the OS, dynamic code and
non-standard operator namespaces are findings."""

from __future__ import annotations

import ast
import re

from airlock.scan import engine_rules as R
from airlock.scan.format_rules import Rule
from airlock.scan.handlers.common import MAX_TEXT_BYTES
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable


class TorchScriptCodeHandler:
    """Python-syntax TorchScript code in ``code/``: compiled and run when the archive loads."""

    name = "torchscript-code"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        out = ScanOutcome(format="torchscript-code")
        if src.size > MAX_TEXT_BYTES:
            out.not_scanned = "code member too large"
            return out
        text = bytes(src.view()).decode("utf-8", "replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            raise Unparseable(R.TORCHSCRIPT_UNPARSEABLE, str(exc)[:200]) from None
        for name, line, is_call in _dotted_names(tree):
            rule = _torchscript_rule(name, is_call)
            if rule is not None:
                out.findings.append(
                    rule.finding(
                        ctx.location,
                        f"{name} (line {line})",
                        member=ctx.member,
                        extra={"callable": name},
                    )
                )
        return out


_TS_DANGEROUS_MODULES = frozenset(
    {
        "os", "sys", "subprocess", "socket", "shutil", "builtins", "__builtins__", "importlib",
        "pickle", "marshal", "ctypes", "runpy", "pty", "posix", "nt", "requests", "urllib",
        "webbrowser",
    }
)  # fmt: skip
# getattr/setattr are TorchScript builtins over module attributes (traced code uses
# ``getattr(self, "0")``), not Python's reflection: they are not on this list.
_TS_DANGEROUS_BUILTINS = frozenset(
    {"eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "breakpoint",
     "input"}
)  # fmt: skip
_TS_STD_NAMESPACES = frozenset(
    {"aten", "prim", "quantized", "_quantized", "_caffe2", "profiler", "_c10d_functional",
     "c10d", "_c10d_functional_autograd", "quantized_decomposed", "image", "torchvision",
     "torchaudio", "torchtext", "fbgemm", "mkldnn", "mkl", "_test"}
)  # fmt: skip
_TS_DANGEROUS_OP = re.compile(
    r"(?:^|_)(save|load|open|system|popen|exec|spawn|fork|write|read_file|unlink|remove)(?:_|$)"
)


def _dotted_names(tree: ast.AST) -> list[tuple[str, int, bool]]:
    """Outermost name/attribute chains (``torch.ops.aten.add``), whether each is called, and
    imports (TorchScript has none; a serialized one is hand-made)."""
    inner: set[int] = set()
    called: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
        elif isinstance(node, ast.Call):
            called.add(id(node.func))
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner:
            parts: list[str] = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name):
                parts.append(cur.id)
                found.append((".".join(reversed(parts)), node.lineno, id(node) in called))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            mod = getattr(node, "module", None) or ",".join(a.name for a in node.names)
            found.append((f"import {mod}", node.lineno, True))
    return found


def _torchscript_rule(name: str, is_call: bool) -> Rule | None:
    if name.startswith("import "):
        return R.TORCHSCRIPT_CALL
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] in _TS_DANGEROUS_MODULES:
        return R.TORCHSCRIPT_CALL
    if len(parts) == 1 and is_call and parts[0] in _TS_DANGEROUS_BUILTINS:
        return R.TORCHSCRIPT_CALL
    if parts[:2] == ["torch", "ops"]:
        parts = parts[1:]
    if len(parts) >= 3 and parts[0] == "ops":
        ns, op = parts[1], parts[2]
        if _TS_DANGEROUS_OP.search(op):
            return R.TORCHSCRIPT_CALL
        if ns not in _TS_STD_NAMESPACES:
            return R.TORCHSCRIPT_CUSTOM_OP
    return None
