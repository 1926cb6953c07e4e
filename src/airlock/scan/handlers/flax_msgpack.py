"""Flax checkpoints (``flax_model.msgpack``): one msgpack state dict whose leaves are arrays
(shape, dtype, raw bytes). ``msgpack_restore`` builds numpy arrays from them and runs nothing;
the walk checks that every array is consistent and nothing else is in the file."""

from __future__ import annotations

from airlock.formats.msgpack_sniff import EMPTY_MSGPACK, looks_like_flax_msgpack
from airlock.formats.msgpack_walk import read_flax_msgpack
from airlock.report import Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

UNPARSEABLE = Rule(
    "AIR-FLAX-000",
    Severity.HIGH,
    "Flax msgpack checkpoint cannot be parsed",
    "The file starts like a msgpack state dict and does not parse as what flax writes (bad"
    " lengths, unknown ext types, arrays whose bytes disagree with their shape, trailing bytes):"
    " it cannot be judged.",
    "https://flax.readthedocs.io/en/latest/api_reference/flax.serialization.html",
    blocks=True,
)


class FlaxMsgpackHandler:
    """``flax.serialization.msgpack_serialize`` output."""

    name = "flax-msgpack"

    def sniff(self, src: Source) -> bool:
        # a one-byte file 0x80 is an empty map (spaCy's vocab/key2row and lookups.bin), 0x90 an
        # empty array (an attribute_ruler's patterns with no pattern): data, whatever reads it
        return looks_like_flax_msgpack(src.head) or (src.size == 1 and src.head in EMPTY_MSGPACK)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            s = read_flax_msgpack(src.view())
        except RecursionError:
            raise Unparseable(UNPARSEABLE, "nesting too deep") from None
        except Exception as exc:  # FormatProblem: the claimed format does not hold
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        note = (
            f"Flax msgpack state: {s.arrays} arrays ({s.array_bytes} bytes), {s.scalars} scalars,"
            f" {s.items} msgpack items: data, no code"
        )
        return ScanOutcome(format=self.name, notes=[note])
