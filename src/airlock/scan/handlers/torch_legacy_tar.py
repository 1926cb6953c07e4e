"""PyTorch < 0.1.10 tar checkpoints: ``pickle``, ``sys_info`` and the stacked records of the
``storages``/``tensors`` members."""

from __future__ import annotations

from airlock.formats import archive, torch
from airlock.scan import engine_rules as R
from airlock.scan.handlers.common import (
    analyze,
    error_finding,
    shift,
    sniff_tar,
    tar_child,
    tar_problems,
)
from airlock.scan.interface import ReadAs, ScanContext, ScanOutcome, Source


class TorchLegacyTarHandler:
    """The tar container of the oldest PyTorch checkpoints."""

    name = "pytorch-legacy-tar"

    def sniff(self, src: Source) -> bool:
        members = sniff_tar(src)
        return members is not None and torch.is_legacy_tar([m.name for m in members])

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        out = ScanOutcome(format="pytorch-legacy-tar")
        members = archive.read_tar(src, ctx.limits)
        tar_problems(members, ctx, out)
        for m in members:
            if m.kind not in ("file", "dir"):
                # tarfile follows links (``storages`` -> another member's bytes) and reassembles
                # sparse members: denied, not resolved (torch never wrote them)
                what = f"{m.name!r}: {m.kind}" + (f" to {m.link!r}" if m.link is not None else "")
                out.findings.append(
                    R.LEGACY_TAR_LINK.finding(ctx.location, what[:200], member=ctx.member)
                )
            if m.kind != "file":
                continue
            if m.name in ("pickle", "sys_info"):
                out.children.append(tar_child(src, m, hint="pickle"))
            elif m.name in ("storages", "tensors"):
                records = ReadAs(records=m.name)
                hint = "pytorch-legacy-records"
                out.children.append(tar_child(src, m, hint=hint, read_as=records))
            else:
                out.children.append(tar_child(src, m))
        return out


class TorchLegacyRecordsHandler:
    """The ``storages``/``tensors`` members of a legacy tar: a count pickle, then per record a
    small pickle followed by raw bytes (storage data, or a binary tensor header)."""

    name = "pytorch-legacy-records"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        kind = ctx.read_as.records or "storages"
        data = src.view()
        out = ScanOutcome(format=f"pytorch-legacy-{kind}")
        first = analyze(data, ctx, multi=False)
        out.findings += first.findings + error_finding(first, ctx)
        if first.error:
            return out
        offset = first.end_offset
        records = 0
        while offset < src.size and records < ctx.limits.max_members:
            res = analyze(data[offset:], ctx, multi=False)
            out.findings += shift(list(res.findings), offset) + error_finding(res, ctx, offset)
            if res.error:
                return out
            offset += res.end_offset
            records += 1
            try:
                if kind == "tensors":
                    offset = torch.skip_tensor_record(data, offset)
                else:
                    size = torch.storage_element_size(list(res.callables))
                    if size is None and res.callables:
                        raise ValueError(f"unknown storage type {res.callables[-1]}")
                    if size is None:  # the storage_views pickle that ends the member
                        break
                    offset = torch.skip_storage_record(data, offset, size)
            except ValueError as exc:
                out.findings.append(
                    R.LEGACY_LAYOUT.finding(
                        ctx.location, str(exc), member=ctx.member, offset=offset
                    )
                )
                out.not_scanned = f"record layout broken at offset {offset}"
                return out
        if offset < src.size and records >= ctx.limits.max_members:
            # torch keeps unpickling records as far as its count says: the rest is unjudged
            why = f"more than {ctx.limits.max_members} records"
            out.findings.append(R.TOO_MANY.finding(ctx.location, why, member=ctx.member))
            out.not_scanned = why
            return out
        if offset < src.size:
            out.notes.append(f"{src.size - offset} trailing bytes after the last record not read")
        out.notes.append(f"{records} record(s), raw data skipped")
        return out
