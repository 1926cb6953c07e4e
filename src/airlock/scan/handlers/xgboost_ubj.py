"""xgboost's own model files (``save_model("*.ubj")``): data read by the library's native
parser (``Booster.load_model``), no pickle, no code path. The UBJSON document is walked to its
end within bounds, so a file that only borrows the magic is a format problem, not a pass.
"""

from __future__ import annotations

import struct

from airlock.scan.interface import FormatProblem, ScanContext, ScanOutcome, Source

_MAX_DEPTH = 64
_MAX_ITEMS = 50_000_000
_FIXED = {b"i": 1, b"U": 1, b"I": 2, b"l": 4, b"L": 8, b"d": 4, b"D": 8, b"C": 1}
_INT = {b"i": ">b", b"U": ">B", b"I": ">h", b"l": ">i", b"L": ">q"}


class _Ubj:
    """A bounded walk over a UBJSON document (values are skipped, structure is checked)."""

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0
        self.items = 0

    def byte(self) -> bytes:
        if self.pos >= len(self.buf):
            raise FormatProblem("UBJSON document is truncated")
        b = bytes(self.buf[self.pos : self.pos + 1])
        self.pos += 1
        return b

    def integer(self, marker: bytes | None = None) -> int:
        m = marker or self.byte()
        fmt = _INT.get(m)
        if fmt is None:
            raise FormatProblem(f"UBJSON length of type {m!r}")
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise FormatProblem("UBJSON document is truncated")
        (n,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        if n < 0:
            raise FormatProblem("negative UBJSON length")
        return int(n)

    def skip(self, n: int) -> None:
        if n > len(self.buf) - self.pos:
            raise FormatProblem("UBJSON value runs past the end")
        self.pos += n

    def value(self, marker: bytes, depth: int) -> None:
        self.items += 1
        if self.items > _MAX_ITEMS or depth > _MAX_DEPTH:
            raise FormatProblem("UBJSON document too deep or too large")
        if marker in (b"Z", b"N", b"T", b"F"):
            return
        if marker in _FIXED:
            self.skip(_FIXED[marker])
        elif marker in (b"S", b"H"):
            self.skip(self.integer())
        elif marker in (b"[", b"{"):
            self.container(marker == b"{", depth + 1)
        else:
            raise FormatProblem(f"unknown UBJSON type {marker!r}")

    def container(self, is_object: bool, depth: int) -> None:
        typ: bytes | None = None
        count: int | None = None
        m = self.byte()
        if m == b"$":
            typ = self.byte()
            m = self.byte()
            if m != b"#":
                raise FormatProblem("UBJSON typed container without a count")
        if m == b"#":
            count = self.integer()
            m = b""
        end = b"}" if is_object else b"]"
        n = 0
        while True:
            if count is not None and n >= count:
                return
            if count is None:
                if not m:
                    m = self.byte()
                if m == end:
                    return
            if is_object:  # key: a string without its S marker
                if count is not None or m in _INT:
                    self.skip(self.integer(m if count is None else None))
                else:
                    raise FormatProblem("UBJSON object key is not a string")
                m = b""
            if typ is not None and typ in _FIXED and not is_object:
                if count is None:
                    raise FormatProblem("UBJSON typed array without a count")
                self.items += count
                self.skip(count * _FIXED[typ])
                return
            self.value(typ or (m or self.byte()), depth)
            m = b""
            n += 1


def _ubj_ok(head: bytes) -> bool:
    return head.startswith(b"{L") and b"learner" in head[:32]


class XGBoostUbjHandler:
    """xgboost ``save_model("*.ubj")``: a UBJSON document with a top-level ``learner``."""

    name = "xgboost-ubj"

    def sniff(self, src: Source) -> bool:
        return _ubj_ok(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        doc = _Ubj(src.view())
        if doc.byte() != b"{":
            raise FormatProblem("not a UBJSON object")
        doc.container(True, 1)
        if doc.pos != src.size:
            raise FormatProblem(f"{src.size - doc.pos} bytes after the UBJSON document")
        from airlock.scan import xgboost_proof as xgb

        try:
            why = xgb.verdict(xgb.parse_ubj(src.view()))
        except xgb.UbjError as exc:
            why = str(exc)
        if why is None:
            return ScanOutcome(format=self.name, notes=["xgboost UBJSON model: indexes proven"])
        f = xgb.UNPROVEN.finding(ctx.location, f"XGBoost model: {why}", member=ctx.member)
        return ScanOutcome(format=self.name, findings=[f])
