"""Keras v3 ``.keras`` archives: ``config.json`` is judged here (``airlock.scan.keras_rules``),
every other member by the engine like any zip member, and so is each pickled torch module the
config carries (``TorchModuleWrapper``)."""

from __future__ import annotations

from airlock.formats import archive
from airlock.scan.handlers.common import sniff_zip, zip_outcome
from airlock.scan.interface import FormatProblem, ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.keras_rules import UNPARSEABLE, config_scan


def _config_member(listing: archive.ZipListing) -> archive.ZipMember | None:
    names = {m.name: m for m in listing.members}
    if "config.json" in names and "metadata.json" in names:
        return names["config.json"]
    return None


class KerasZipHandler:
    """``model.save("x.keras")`` archives."""

    name = "keras"

    def sniff(self, src: Source) -> bool:
        listing = sniff_zip(src)
        return listing is not None and _config_member(listing) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        listing, out = zip_outcome(src, ctx)
        out.format = "keras"
        config = _config_member(listing)
        if config is None:
            return out
        out.children = [c for c in out.children if c.name != "config.json"]
        where = "config.json" if ctx.member is None else f"{ctx.member}!config.json"
        try:
            data = archive.member_data(src, config, ctx.limits, ctx.budget)
            weights = sum(m.size for m in listing.members if m.name not in ("config.json",))
            found, payloads = config_scan(
                bytes(data), ctx.location, where, "config.json", weight_bytes=weights
            )
            out.findings.extend(found)
            out.children.extend(payloads)
        except Unparseable as exc:
            raise Unparseable(exc.rule, str(exc), out) from None
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, f"config.json: {exc}", out) from None
        return out
