"""HDF5 files: legacy Keras models keep their architecture in the root group's ``model_config``
attribute, read by the bounded pure-Python reader ``airlock.formats.hdf5`` (no C parser sees
the hostile bytes) and judged by ``airlock.scan.keras_rules``. Every object linked from the root
is walked (``airlock.formats.hdf5_tree``) for data h5py would read from other files."""

from __future__ import annotations

from airlock.formats.hdf5 import Hdf5Error, root_attributes
from airlock.formats.hdf5_tree import outside_references
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.keras_rules import (
    DECLARED_DATA,
    DECLARED_FLOOR,
    DECLARED_RATIO,
    HDF5_UNREADABLE,
    OUTSIDE_DATA,
    config_scan,
)

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


class HDF5Handler:
    """HDF5 files (``.h5``/``.hdf5``, legacy Keras models)."""

    name = "hdf5"

    def sniff(self, src: Source) -> bool:
        return any(src.head[o : o + 8] == HDF5_MAGIC for o in (0, 512, 1024, 2048))

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            attrs = {a.name: a for a in root_attributes(src.view())}
        except Hdf5Error as exc:
            raise Unparseable(HDF5_UNREADABLE, str(exc)[:200]) from None
        fmt = "keras-h5" if "model_config" in attrs else "hdf5"
        out = ScanOutcome(format=fmt)
        for key in ("model_config", "training_config"):
            attr = attrs.get(key)
            if attr is None:
                continue
            if attr.value is None:  # Keras would hand whatever it is to its JSON decoder
                raise Unparseable(HDF5_UNREADABLE, f"{key} is not a string ({attr.kind})", out)
            text = attr.value.decode("utf-8", "replace")
            try:
                found, payloads = config_scan(
                    text,
                    ctx.location,
                    ctx.member,
                    key,
                    require=key == "model_config",
                    weight_bytes=src.size if key == "model_config" else None,
                )
                out.children.extend(payloads)
            except Unparseable as exc:
                raise Unparseable(exc.rule, str(exc), out) from None
            out.findings.extend(found)
        declared: list[tuple[int, str]] = []
        try:
            outside = outside_references(src.view(), declared=declared)
        except Hdf5Error as exc:
            raise Unparseable(HDF5_UNREADABLE, f"object tree: {str(exc)[:200]}", out) from None
        for ref in outside:
            out.findings.append(
                OUTSIDE_DATA.finding(
                    ctx.location,
                    f"{ref.kind} at {ref.path[:200]}: {ref.detail}",
                    member=ctx.member,
                    extra={"hdf5_path": ref.path[:200]},
                )
            )
        total = sum(size for size, _path in declared)
        limit = max(DECLARED_FLOOR, DECLARED_RATIO * src.size)
        if total > limit:
            size, path = max(declared)
            ev = (
                f"{len(declared)} datasets declare {total:,} bytes for a {src.size:,}-byte file"
                f" (the largest: {path[:200]}, {size:,} bytes)"
            )
            out.findings.append(DECLARED_DATA.finding(ctx.location, ev, member=ctx.member))
        return out
