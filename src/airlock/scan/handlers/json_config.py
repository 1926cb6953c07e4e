"""JSON: Hugging Face configs, tokenizer configs, chat_template.json, modules.json, Keras
configs; judged by ``airlock.scan.config_rules``."""

from __future__ import annotations

from airlock.scan.config_rules import json_outcome
from airlock.scan.interface import ScanContext, ScanOutcome, Source


def _json_start(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"{":
        nxt = text[1:].lstrip(b" \t\r\n")[:1]
        return nxt in (b'"', b"}")
    if text[:1] == b"[":
        nxt = text[1:].lstrip(b" \t\r\n")[:1]
        return nxt in (b"{", b"]", b'"')
    return False


class JsonConfigHandler:
    """JSON: HF configs, tokenizer configs, chat_template.json, modules.json, Keras configs."""

    name = "json"

    def sniff(self, src: Source) -> bool:
        return _json_start(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        return json_outcome(src, ctx)
