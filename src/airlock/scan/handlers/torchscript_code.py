"""Python-syntax TorchScript code in a TorchScript archive's ``code/``: compiled and run when
the archive loads (``__setstate__`` runs inside ``torch.jit.load``). Parsed with ``ast`` (never
compiled) and judged against an allowlist (``data/torchscript_allowlist.json``, generated from
torch's operator registry by ``tests/scan/torchscript_allowlist_gen.py``).

How TorchScript's importer resolves serialized code, and so what is judged:
- ``torch.X`` (also ``torch.autograd.X``) is the operator ``aten::X``; ``ops.NS.X`` is ``NS::X``
  (``ops.NS.autograd.X`` is ``aten::X`` again). The operator must be on the namespace's list,
  called or only referred to (``fork(torch.from_file, ...)``).
- ``(value).name(...)`` on a tensor, list, string or dict is ``aten::name``; on a module or
  class it is a method of the archive. A method name must be an allowed operator, a TorchBind
  method, or a ``def`` somewhere in the archive's code that is not an excluded operator.
- bare calls: TorchScript builtins, local variables, functions the archive defines.
- ``__torch__.torch.classes.NS.Cls`` are TorchBind classes from native libraries: only the
  namespaces on the list. Other ``__torch__`` names are the archive's own code.
- names that reach files (``from_file``, ``save``, ``set_``...) are critical wherever they
  appear; imports, Python's reflection builtins and OS modules are critical as before.
"""

from __future__ import annotations

import ast

from airlock.scan import engine_rules as R
from airlock.scan.format_rules import Rule
from airlock.scan.handlers.common import MAX_TEXT_BYTES
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.torch_ops import OpVerdict, op_verdict, policy


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
        defined = ctx.read_as.defined | defined_names(tree)
        seen: set[tuple[str, str]] = set()
        for rule, name, line in judge(tree, defined):
            if (rule.rule_id, name) in seen:
                continue
            seen.add((rule.rule_id, name))
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
        "webbrowser", "io", "pathlib", "tempfile", "mmap",
    }
)  # fmt: skip
_TS_DANGEROUS_BUILTINS = frozenset(
    {"eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "breakpoint",
     "input", "setattr", "delattr"}
)  # fmt: skip


def defined_names(tree: ast.AST) -> frozenset[str]:
    return frozenset(
        n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def dotted_name(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``['a', 'b', 'c']``; None when the chain does not start at a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return list(reversed(parts))
    return None


_VERDICT_RULE = {
    OpVerdict.ALLOWED: None,
    OpVerdict.DANGEROUS: R.TORCHSCRIPT_CALL,
    OpVerdict.UNLISTED: R.TORCHSCRIPT_UNLISTED,
    OpVerdict.CUSTOM: R.TORCHSCRIPT_CUSTOM_OP,
}


def _op_rule(ns: str, op: str) -> Rule | None:
    """``ns::op`` reached by ``torch.op`` or ``ops.ns.op``."""
    return _VERDICT_RULE[op_verdict(ns, op)]


def _method_rule(name: str, defined: frozenset[str]) -> Rule | None:
    """``(value).name(...)``: an aten operator on a tensor/list/str/dict, else a method."""
    pol = policy()
    if name in pol.dangerous:
        return R.TORCHSCRIPT_CALL
    if pol.is_unchecked("aten", name):
        return R.TORCHSCRIPT_UNLISTED
    if name in pol.allow["aten"] or name in pol.allow["prim"] or name in pol.methods:
        return None
    if name in pol.aten_excluded:
        return R.TORCHSCRIPT_UNLISTED
    if name in defined:
        return None
    return R.TORCHSCRIPT_UNLISTED


def _rooted_rule(parts: list[str]) -> Rule | None:
    """A chain rooted at ``torch`` or ``ops`` (called or not)."""
    if parts[-1] in policy().dangerous:
        return R.TORCHSCRIPT_CALL
    root, rest = parts[0], parts[1:]
    ns = "aten"
    if root == "ops":
        if not rest:
            return R.TORCHSCRIPT_UNLISTED
        ns, rest = rest[0], rest[1:]
    while len(rest) > 1 and rest[0] == "autograd":  # BuiltinModule.autograd is aten again
        ns, rest = "aten", rest[1:]
    if len(rest) != 1:
        return R.TORCHSCRIPT_UNLISTED
    return _op_rule(ns, rest[0])


def judge(tree: ast.AST, defined: frozenset[str]) -> list[tuple[Rule, str, int]]:
    """Every finding of one code member: (rule, the name as written, line)."""
    pol = policy()
    local: set[str] = set()
    inner: set[int] = set()
    called: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            local.add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.Attribute):
            inner.add(id(node.value))
        elif isinstance(node, ast.Call):
            called.add(id(node.func))
    found: list[tuple[Rule, str, int]] = []

    def add(rule: Rule | None, name: str, node: ast.AST) -> None:
        if rule is not None:
            found.append((rule, name, getattr(node, "lineno", 0)))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            mod = getattr(node, "module", None) or ",".join(a.name for a in node.names)
            add(R.TORCHSCRIPT_CALL, f"import {mod}", node)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                name = func.id
                if name in _TS_DANGEROUS_BUILTINS:
                    add(R.TORCHSCRIPT_CALL, name, node)
                elif name not in local and name not in pol.builtins and name not in defined:
                    add(R.TORCHSCRIPT_UNLISTED, name, node)
                if name in ("getattr", "hasattr") and len(node.args) >= 2:
                    attr = node.args[1]
                    if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                        if attr.value in pol.dangerous or attr.value in pol.aten_excluded:
                            add(R.TORCHSCRIPT_CALL, f"{name}(..., {attr.value!r})", node)
                    else:
                        add(R.TORCHSCRIPT_UNLISTED, f"{name} with a computed name", node)
            elif isinstance(func, ast.Attribute) and dotted_name(func) is None:
                add(_method_rule(func.attr, defined), f"(...).{func.attr}", node)
        elif isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner:
            parts = dotted_name(node)
            if parts is None:
                continue  # (expr).attr: a call of it is judged at the Call
            root = parts[0]
            name = ".".join(parts)
            if root in local and root not in ("torch", "ops"):
                if len(parts) > 1 and id(node) in called:
                    add(_method_rule(parts[-1], defined), name, node)
                elif parts[-1] in pol.dangerous:
                    add(R.TORCHSCRIPT_CALL, name, node)
                continue
            if len(parts) == 1:
                if root in ("torch", "ops"):
                    add(R.TORCHSCRIPT_UNLISTED, name, node)  # getattr(torch, ...) and the like
                continue  # a bare call is judged at the Call; other names are values or types
            if root in ("torch", "ops"):
                add(_rooted_rule(parts), name, node)
            elif root == "__torch__":
                if parts[1:3] == ["torch", "classes"]:
                    ns = parts[3] if len(parts) > 3 else ""
                    if ns not in pol.torchbind_namespaces:
                        add(R.TORCHSCRIPT_CUSTOM_OP, name, node)
            elif root == "CONSTANTS":
                continue
            elif root in _TS_DANGEROUS_MODULES:
                add(R.TORCHSCRIPT_CALL, name, node)
            elif id(node) in called:
                add(_method_rule(parts[-1], defined), name, node)
            elif parts[-1] in pol.dangerous:
                add(R.TORCHSCRIPT_CALL, name, node)
    return found
