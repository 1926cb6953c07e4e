"""SentencePiece tokenizer models (``tokenizer.model`` of Llama-2/Mistral, ``spiece.model`` of
T5): a vocabulary the SentencePiece runtime reads into tables, no code path. Recognised by
parsing, so a file that only borrows the name is judged as what it is."""

from __future__ import annotations

from airlock.formats.protobuf_wire import ProtobufError
from airlock.formats.sentencepiece import looks_like_sentencepiece, read_sentencepiece
from airlock.report import Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

UNPARSEABLE = Rule(
    "AIR-SPM-000",
    Severity.HIGH,
    "SentencePiece model cannot be parsed",
    "The file starts like a SentencePiece ModelProto and does not parse as one: a file the"
    " scanner cannot follow cannot be judged.",
    "https://github.com/google/sentencepiece/blob/master/src/sentencepiece_model.proto",
    blocks=True,
)


class SentencePieceHandler:
    """SentencePiece ``ModelProto`` files."""

    name = "sentencepiece"

    def sniff(self, src: Source) -> bool:
        return looks_like_sentencepiece(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_sentencepiece(src.view())
        except ProtobufError as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(model.types.items()))
        note = f"SentencePiece {model.model_type} model: {model.pieces} pieces ({kinds})"
        if not model.has_trainer or not model.has_normalizer:
            note += "; no trainer/normalizer spec"
        return ScanOutcome(format=self.name, notes=[note + ": vocabulary data, no code"])
