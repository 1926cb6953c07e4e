"""SentencePiece ``ModelProto`` (``tokenizer.model``, ``spiece.model``) read with the bounded
protobuf wire reader: the vocabulary (pieces with score and type), the trainer and normalizer
specs. A tokenizer model is data the SentencePiece runtime reads into tables; the reader proves
the file is one (every field where the schema puts it) so nothing else hides under the name.

Schema (sentencepiece_model.proto): ModelProto 1 pieces, 2 trainer_spec, 3 normalizer_spec,
4 self_test_data, 5 denormalizer_spec; SentencePiece 1 piece (string), 2 score (float),
3 type (enum 1..6).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from airlock.formats.protobuf_wire import I32, LEN, VARINT, Field, ProtobufError, iter_fields

MAX_PIECES = 4_000_000  # the largest real vocabularies are ~1M
MAX_PIECE_BYTES = 1 << 16
PIECE_TYPES = {1: "normal", 2: "unknown", 3: "control", 4: "user_defined", 5: "unused", 6: "byte"}
MODEL_TYPES = {1: "unigram", 2: "bpe", 3: "word", 4: "char"}
# ModelProto field -> wire type; every other number is not SentencePiece
_TOP = {1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: LEN}
_PIECE = {1: LEN, 2: I32, 3: VARINT}


@dataclass
class SentencePieceModel:
    pieces: int = 0
    types: Counter[str] = field(default_factory=Counter)
    model_type: str = "unigram"
    has_trainer: bool = False
    has_normalizer: bool = False


def _piece(f: Field) -> int:
    """The piece type of one SentencePiece message (1 when absent)."""
    ptype, has_text = 1, False
    for g in iter_fields(f.data, 16):
        if _PIECE.get(g.number) != g.wire:
            raise ProtobufError(f"piece at {f.offset}: field {g.number} is not SentencePiece")
        if g.number == 1:
            has_text = True
            if len(g.data) > MAX_PIECE_BYTES:
                raise ProtobufError(f"piece at {f.offset}: {len(g.data)} bytes of text")
        elif g.number == 3:
            ptype = g.as_int()
            if ptype not in PIECE_TYPES:
                raise ProtobufError(f"piece at {f.offset}: unknown type {ptype}")
    if not has_text:
        raise ProtobufError(f"piece at {f.offset} has no text")
    return ptype


def looks_like_sentencepiece(head: bytes) -> bool:
    """The first bytes are ModelProto pieces: a field-1 message that parses as a piece, whole
    inside the head (a real vocabulary's first piece is a few bytes: ``<unk>``)."""
    try:
        first = next(iter_fields(head, 1))
        return first.number == 1 and first.wire == LEN and _piece(first) in PIECE_TYPES
    except (ProtobufError, StopIteration):
        return False


def read_sentencepiece(data: bytes | memoryview) -> SentencePieceModel:
    """The whole ModelProto, checked field by field; ``ProtobufError`` when it is not one."""
    model = SentencePieceModel()
    for f in iter_fields(data, MAX_PIECES + 16):
        if _TOP.get(f.number) != f.wire:
            raise ProtobufError(f"field {f.number} at {f.offset} is not part of a ModelProto")
        if f.number == 1:
            model.pieces += 1
            if model.pieces > MAX_PIECES:
                raise ProtobufError(f"more than {MAX_PIECES} pieces")
            model.types[PIECE_TYPES[_piece(f)]] += 1
        elif f.number == 2:
            model.has_trainer = True
            for g in iter_fields(f.data, 1 << 16):
                if g.number == 3 and g.wire == VARINT:
                    model.model_type = MODEL_TYPES.get(g.as_int(), f"type {g.as_int()}")
        else:  # normalizer / denormalizer / self-test data: well-formed messages
            model.has_normalizer = model.has_normalizer or f.number == 3
            for _ in iter_fields(f.data, 1 << 16):
                pass
    if not model.pieces:
        raise ProtobufError("ModelProto without pieces")
    return model
