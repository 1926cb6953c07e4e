"""CatBoost's binary model files (``.cbm``): data read by ``CatBoost.load_model``'s native
parser, no pickle, no code path. The header and its declared core size are checked, so a file
that only borrows the magic is a format problem, not a pass."""

from __future__ import annotations

import struct

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
        return ScanOutcome(format=self.name, notes=["CatBoost binary model: data only"])
