"""Stand-alone chat templates (``chat_template.jinja``), judged by ``airlock.scan.jinja_rules``."""

from __future__ import annotations

from airlock.scan.handlers.common import object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source
from airlock.scan.jinja_rules import template_findings


class JinjaFileHandler:
    """Stand-alone chat templates (``chat_template.jinja``)."""

    name = "jinja"

    def sniff(self, src: Source) -> bool:
        if b"\0" in src.head:
            return False
        if src.path is not None and src.path.suffix in (".jinja", ".j2", ".jinja2"):
            return True
        head = src.head.lstrip()
        return head[:2] in (b"{%", b"{{") and b"message" in head and b"\0" not in head

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        text = bytes(src.view()).decode("utf-8", "replace")
        label = object_name(src, ctx)
        return ScanOutcome(
            format="jinja",
            findings=template_findings(text, ctx.location, member=ctx.member, label=label),
        )
