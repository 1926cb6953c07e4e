"""Python files in a model repository (what ``trust_remote_code`` imports): analysed with
``ast`` by ``airlock.scan.pycode``, never imported."""

from __future__ import annotations

import re

from airlock.report import Finding
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
        for conv in CONVENTION_FILES:
            if where == conv or where.endswith("/" + conv):
                ev = (
                    f"{name}: imported by from_pretrained(trust_remote_code=True), no config needed"
                )
                findings.append(REMOTE_CODE.finding(ctx.location, ev, member=ctx.member))
        findings.extend(_code_finding(i, name, ctx) for i in issues)
        return ScanOutcome(format="python", findings=findings)


def _code_finding(issue: CodeIssue, name: str, ctx: ScanContext) -> Finding:
    rule = PY_RULES[issue.category]
    where = f"{name}:{issue.line}" if issue.line else name
    return rule.finding(
        ctx.location, f"{where}: {issue.evidence}", member=ctx.member, severity=issue.severity
    )
