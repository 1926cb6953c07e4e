"""CatBoost's binary model files (``.cbm``): data read by ``CatBoost.load_model``'s native
parser, no pickle, no code path. The header and its declared core size are checked, so a file
that only borrows the magic is a format problem, not a pass; the core's tree indexes and the CTR
tables after it are proven in range (``airlock.scan.catboost_proof``, AIR-CBM-001), because
CatBoost indexes with them unchecked."""

from __future__ import annotations

import struct

from airlock.scan import catboost_proof
from airlock.scan.interface import FormatProblem, ScanContext, ScanOutcome, Source


class CatBoostHandler:
    """CatBoost ``save_model`` binary: ``CBM1``, the core size, the flatbuffers model core."""

    name = "catboost-cbm"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(b"CBM1") and src.size >= 8

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        (core,) = struct.unpack_from("<I", src.head, 4)
        if core == 0 or core > src.size - 8:
            raise FormatProblem(f"CatBoost model core of {core} bytes does not fit the file")
        data = bytes(src.view())
        why = catboost_proof.verdict(data[8 : 8 + core], data[8 + core :])
        if why is None:
            note = "CatBoost binary model: tree and CTR table indexes proven"
            unread = catboost_proof.unread_parts(data[8 : 8 + core])
            if unread:
                note += f" (model parts not read: {', '.join(unread)[:200]})"
            return ScanOutcome(format=self.name, notes=[note])
        f = catboost_proof.UNPROVEN.finding(
            ctx.location, f"CatBoost model: {why}", member=ctx.member
        )
        return ScanOutcome(format=self.name, findings=[f])
