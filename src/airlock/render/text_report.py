"""Scan report for humans (rich): findings first, then what could not be scanned, then totals."""

from __future__ import annotations

from typing import Any

from airlock.render.markup import escape_markup, printable
from airlock.report import Severity
from airlock.scan.result import ScanReport

_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


_safe = printable  # untrusted text (member names, evidence) without control characters


def render_text(report: ScanReport, console: Any, *, verbose: bool = False) -> None:
    """Print the report on a rich ``Console``; untrusted strings are never parsed as markup and
    lose their control characters (no terminal escape injection from a member name)."""

    def escape(text: str) -> str:
        return escape_markup(_safe(text))

    findings = sorted(report.findings, key=lambda f: (-f.severity, f.location, f.member or ""))
    for f in findings:
        where = f.location + (f"!{f.member}" if f.member else "")
        if f.offset is not None:
            where += f" @{f.offset}"
        style = _STYLE[f.severity]
        console.print(
            f"[{style}]{str(f.severity).upper():8}[/] {escape(f.rule_id)} {escape(f.title)}"
        )
        console.print(f"         {escape(where)}")
        if f.evidence:
            console.print(f"         [bold]{escape(f.evidence)}[/]")
        if verbose and f.why:
            console.print(f"         [dim]{escape(f.why)}[/]")
        if verbose and f.reference:
            console.print(f"         [dim]{escape(f.reference)}[/]")
    for o in report.not_scanned:
        where = o.location + (f"!{o.member}" if o.member else "")
        console.print(f"[yellow]NOT SCANNED[/] {escape(where)}: {escape(o.reason or '')}")
    if verbose:
        for o in report.objects:
            if o.status == "scanned":
                where = o.location + (f"!{o.member}" if o.member else "")
                console.print(f"[dim]scanned[/] {escape(where)} [dim]({escape(o.format)})[/]")
                for note in o.notes:
                    console.print(f"         [dim]{escape(note)}[/]")
    for m in report.models:  # adapters: a model of another kind, with the base it claims
        base = m["base"].get("config") or "(none named)"
        cards = [c for c in m["base"].get("card", []) if c != base]
        card = f", card: {', '.join(cards)}" if cards else ""
        kind = (m.get("config") or {}).get("peft_type") or "?"
        console.print(
            f"[cyan]ADAPTER[/] {escape(m['path'])}: {escape(kind)} adapter for base "
            f"{escape(base)}{escape(card)}; {escape(m['behaviour'])}"
        )
    c = report.counts()
    sev = ", ".join(f"{n} {s}" for s, n in c["by_severity"].items() if n) or "no findings"
    verdict = "[green]clean[/]" if not report.findings else f"[red]{c['findings']} finding(s)[/]"
    if not report.findings and c["not_scanned"]:  # said once: "no findings" was printed twice
        verdict, sev = "[yellow]not clean[/]", "no findings, but some objects were not scanned"
    console.print(
        f"{verdict}: {sev}; {c['files']} file(s), {c['objects']} object(s), "
        f"{c['not_scanned']} not scanned, {report.seconds:.2f}s"
    )
