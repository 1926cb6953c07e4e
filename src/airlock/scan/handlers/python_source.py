"""Python files in a model repository (what ``trust_remote_code`` imports): analysed with
``ast`` by ``airlock.scan.pycode``, never imported."""

from __future__ import annotations

import re

from airlock.report import Finding, Severity
from airlock.scan.config_rules import PY_RULES, PY_SHIPPED, REMOTE_CODE
from airlock.scan.handlers.common import object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source
from airlock.scan.pycode import CodeIssue, analyze_python

# files a loader imports by their place alone, with no config naming them: transformers'
# from_pretrained(..., trust_remote_code=True) of any model runs custom_generate/generate.py
CONVENTION_FILES = ("custom_generate/generate.py",)
# imported by torch.hub.load(repo_or_dir, ...) (source="local" or a fetched repository): its
# top-level code runs at load; a dangerous reference in it is at least HIGH (AIR-CFG-005/006)
HUBCONF = "hubconf.py"
# modules that pickles and loaders import by their bare name: a shipped ``numpy.py`` or
# ``_loss.py`` is imported in their place when the model's folder is on sys.path (a script or
# notebook run from it), before any of the pickle's own checks. scikit-learn 1.5 pickles name
# its loss classes under the bare module ``_loss`` (sklearn registers it at import; a pickle
# that names it first imports whatever ``_loss`` the path holds). No honest model repository
# ships a module of these names.
SHADOWED = frozenset({
    "_loss", "_codecs", "_pickle", "copyreg", "collections", "builtins", "pickle", "os", "sys",
    "subprocess", "io", "codecs", "functools", "operator", "importlib", "numpy", "torch",
    "joblib", "sklearn", "scipy", "pandas", "typing", "safetensors", "transformers",
})  # fmt: skip

_PY_HINT = re.compile(
    rb"^(import [A-Za-z_]|from [A-Za-z_.]+ import |def [A-Za-z_]+\(|class [A-Za-z_])", re.M
)


class PythonSourceHandler:
    """Python files (what trust_remote_code imports): analysed with ast, never imported."""

    name = "python"

    def sniff(self, src: Source) -> bool:
        head = src.head
        if b"\0" in head:  # binary (a zip or pickle named .py is not Python)
            return False
        if src.path is not None and src.path.suffix in (".py", ".pyw"):
            return True
        if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
            return True
        return _PY_HINT.search(head) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        name = object_name(src, ctx)
        issues = analyze_python(bytes(src.view()))
        is_py = name.endswith((".py", ".pyw")) or src.head.startswith(b"#!")
        if not is_py and any(i.category == "syntax" for i in issues):
            return ScanOutcome(format="text")  # a README with code snippets, not Python
        where = (ctx.member.split("!")[-1] if ctx.member else ctx.location).replace("\\", "/")
        shipped = name
        if where == HUBCONF or where.endswith("/" + HUBCONF):
            shipped = f"{name}: torch.hub.load imports it (its top-level code runs at load)"
        findings = [PY_SHIPPED.finding(ctx.location, shipped, member=ctx.member)]
        module = _module_name(where)
        if module in SHADOWED:
            ev = (
                f"{name}: a module named {module!r} is imported in place of the real one when"
                " this folder is on sys.path (pickles and loaders import it by that name)"
            )
            findings.append(
                PY_RULES["dynamic"].finding(
                    ctx.location, ev, member=ctx.member, severity=Severity.HIGH
                )
            )
        for conv in CONVENTION_FILES:
            if where == conv or where.endswith("/" + conv):
                ev = (
                    f"{name}: imported by from_pretrained(trust_remote_code=True), no config needed"
                )
                findings.append(REMOTE_CODE.finding(ctx.location, ev, member=ctx.member))
        findings.extend(_code_finding(i, name, ctx) for i in issues)
        return ScanOutcome(format="python", findings=findings)


def _module_name(where: str) -> str:
    """The top-level module a file would be imported as from its folder: ``x.py`` -> ``x``,
    ``x/__init__.py`` -> ``x`` (the last two parts of its path)."""
    parts = where.rsplit("/", 2)
    if parts[-1] in ("__init__.py", "__init__.pyw"):
        return parts[-2] if len(parts) > 1 else ""
    stem, dot, ext = parts[-1].rpartition(".")
    return stem if dot and ext in ("py", "pyw") else ""


def _code_finding(issue: CodeIssue, name: str, ctx: ScanContext) -> Finding:
    rule = PY_RULES[issue.category]
    where = f"{name}:{issue.line}" if issue.line else name
    return rule.finding(
        ctx.location, f"{where}: {issue.evidence}", member=ctx.member, severity=issue.severity
    )
