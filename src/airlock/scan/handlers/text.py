"""UTF-8 text that is nothing else (README, vocabularies...): no loader executes it. Tried last,
after every structured format (JSON configs, protocol-0 pickles) had its chance."""

from __future__ import annotations

import codecs
import re

from airlock.report import Finding
from airlock.scan import yaml_scalar
from airlock.scan.handlers.common import MAX_TEXT_BYTES, looks_like_text, object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source


def yaml_findings(raw: bytes, name: str, ctx: ScanContext) -> list[Finding]:
    """Hydra ``_target_`` keys (``airlock.scan.hydra_rules``), tags that import or call Python
    (``airlock.scan.yaml_tags``), ``class_path`` and NeMo ``target`` keys
    (``airlock.scan.classpath_rules``) in a config text. Line breaks are read as the loaders
    read them (CR, NEL, LS, PS); the key rules also read the text with escaped line breaks
    joined (a double-quoted key ``"_tar\\<LF>get_"``), findings of that second reading added
    when the first did not make them."""
    text = yaml_scalar.normal_breaks(raw.decode("utf-8", errors="replace"))
    found = _key_findings(raw, text, name, ctx, tags=True)
    if b"&" in raw and b"*" in raw:
        from airlock.scan import yaml_aliases

        if yaml_aliases.applies(name):
            found += yaml_aliases.findings(text, ctx.location, ctx.member, name)
    joined = yaml_scalar.join_escaped_breaks(text)
    if joined is not text:
        known = {_same(f) for f in found}
        found += [f for f in _key_findings(raw, joined, name, ctx) if _same(f) not in known]
    return found


def _same(f: Finding) -> tuple[str, str, str]:
    """A finding without its line number (the joined reading counts lines differently)."""
    return f.rule_id, str(f.severity), re.sub(r" line \d+", "", f.evidence)


def _key_findings(
    raw: bytes, text: str, name: str, ctx: ScanContext, tags: bool = False
) -> list[Finding]:
    found: list[Finding] = []
    if b"_target_" in raw or b"\\" in raw:
        from airlock.scan.hydra_rules import text_findings

        found += text_findings(text, ctx.location, ctx.member, name)
    if tags and (b"!" in raw or b"\\" in raw):
        from airlock.scan import yaml_tags

        found += yaml_tags.text_findings(text, ctx.location, ctx.member, name)
    keys = (
        b"class_path", b"_instantiator", b"target", b"cls", b"pipeline", b"\\", b"init_args",
        b"lightning", b"seed_everything", b"model", b"data", b"trainer", b"optimizer",
    )  # fmt: skip
    if any(k in raw for k in keys):
        from airlock.scan import classpath_rules

        found += classpath_rules.text_findings(text, ctx.location, ctx.member, name)
    return found


class TextHandler:
    """Plain UTF-8 text (no NUL byte anywhere)."""

    name = "text"

    def sniff(self, src: Source) -> bool:
        return looks_like_text(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        if src.size > MAX_TEXT_BYTES:
            return ScanOutcome(
                format="text", not_scanned=f"text larger than {MAX_TEXT_BYTES} bytes"
            )
        dec = codecs.getincrementaldecoder("utf-8")()
        view = src.view()
        step = 1 << 20
        try:
            for pos in range(0, src.size, step):
                chunk = bytes(view[pos : pos + step])
                if b"\0" in chunk:
                    raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
                dec.decode(chunk, final=False)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return ScanOutcome(format="binary", not_scanned="unrecognised binary format")
        from airlock.scan import lightgbm_proof as lgb

        if lgb.looks_like_model(view):
            why = lgb.verdict(view)
            if why is None:
                return ScanOutcome(format="lightgbm-text", notes=["LightGBM model: indexes proven"])
            f = lgb.UNPROVEN.finding(ctx.location, f"LightGBM model: {why}", member=ctx.member)
            return ScanOutcome(format="lightgbm-text", findings=[f])
        name = object_name(src, ctx)
        found = yaml_findings(bytes(view), name, ctx)
        if name == "MLmodel":
            from airlock.scan import mlflow_rules

            folder = ctx.fs_path.parent if ctx.fs_path is not None and ctx.member is None else None
            text = bytes(view).decode("utf-8", errors="replace")
            found += mlflow_rules.text_findings(text, ctx.location, ctx.member, folder)
        if name == "config.cfg":
            from airlock.scan import spacy_config

            if spacy_config.claims_spacy(bytes(view)):
                text = bytes(view).decode("utf-8", errors="replace")
                found += spacy_config.findings(text, ctx.location, ctx.member)
        if name in ("pickle_module_info.txt", "keras_module.txt"):
            from airlock.scan import mlflow_rules

            text = bytes(view).decode("utf-8", errors="replace")
            found += mlflow_rules.module_file_findings(text, name, ctx.location, ctx.member)
        return ScanOutcome(format="text", findings=found)
