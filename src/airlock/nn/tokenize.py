"""Turn probe texts into token ids for the built-in forward passes, without the model's code.

WordPiece (BERT ``vocab.txt`` or a ``tokenizer.json`` WordPiece model) and WordLevel are
implemented here; BPE (GPT-2's byte-level, Llama's byte-fallback/Metaspace) uses the
``tokenizers`` library when it is installed, which parses ``tokenizer.json`` as data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from airlock.nn.hf import HFModel

_PUNCT_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
MAX_WORD_CHARS = 100


class Tokenizer:
    """``encode(text) -> ids`` (no special tokens) plus the special ids a model expects."""

    def __init__(
        self,
        encode: Callable[[str], list[int]],
        cls_id: int | None,
        sep_id: int | None,
        pad_id: int,
        kind: str,
        decode: Callable[[list[int]], str] | None = None,
    ):
        self._encode = encode
        self._decode = decode
        self.cls_id = cls_id
        self.sep_id = sep_id
        self.pad_id = pad_id
        self.kind = kind
        self.bos_id: int | None = None  # GPT-2-style LMs: document start the model expects

    def encode(self, text: str, max_len: int = 64) -> list[int]:
        ids = self._encode(text)[: max(1, max_len - 2)]
        if self.cls_id is not None and self.sep_id is not None:
            ids = [self.cls_id, *ids, self.sep_id]
        if self.bos_id is not None and (not ids or ids[0] != self.bos_id):
            ids = [self.bos_id, *ids]
        return ids

    def decode(self, ids: list[int], id_to_token: dict[int, str]) -> str:
        """Text of ``ids`` (the model's own decoder when ``tokenizers`` parsed it)."""
        if self._decode is not None:
            try:
                return self._decode(ids)
            except Exception:
                ...
        return " ".join(surface(id_to_token.get(i, f"<id {i}>")) for i in ids)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def wordpiece(vocab: dict[str, int], lower: bool) -> Callable[[str], list[int]]:
    unk = vocab.get("[UNK]", 0)

    def encode(text: str) -> list[int]:
        if lower:
            text = _strip_accents(text.lower())
        out: list[int] = []
        for word in _PUNCT_RE.findall(text):
            if len(word) > MAX_WORD_CHARS:
                out.append(unk)
                continue
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                piece = None
                while start < end:
                    sub = word[start:end] if start == 0 else "##" + word[start:end]
                    if sub in vocab:
                        piece = vocab[sub]
                        break
                    end -= 1
                if piece is None:
                    pieces = [unk]
                    break
                pieces.append(piece)
                start = end
            out.extend(pieces)
        return out

    return encode


def wordlevel(vocab: dict[str, int], lower: bool) -> Callable[[str], list[int]]:
    unk = vocab.get("[UNK]", vocab.get("<unk>", 0))

    def encode(text: str) -> list[int]:
        if lower:
            text = text.lower()
        return [vocab.get(w, unk) for w in _PUNCT_RE.findall(text)]

    return encode


def _from_tokenizers_lib(
    path: Path, specials: bool
) -> tuple[Callable[[str], list[int]], Callable[[list[int]], str]] | None:
    """``specials``: apply the file's post-processor (Llama-style LMs expect its BOS token)."""
    try:
        from tokenizers import Tokenizer as RustTokenizer
    except ImportError:
        return None
    try:
        tok = RustTokenizer.from_file(str(path))
    except Exception:  # any parse failure means "no tokenizer", never a crash
        return None

    def encode(text: str) -> list[int]:
        return list(tok.encode(text, add_special_tokens=specials).ids)

    def decode(ids: list[int]) -> str:
        return str(tok.decode(ids, skip_special_tokens=False))

    return encode, decode


def load_tokenizer(model: HFModel) -> Tokenizer | None:
    """A tokenizer for ``model`` or None when its vocabulary type is not supported."""
    vocab = model.vocab
    if not vocab:
        return None
    lower = all(t == t.lower() for t in list(vocab)[:5000] if not t.startswith("["))
    kind = model.vocab_kind
    encoder = model.family == "bert"  # causal LMs get no [CLS]/[SEP] wrapping
    cls_id = vocab.get("[CLS]", vocab.get("<s>")) if encoder else None
    sep_id = vocab.get("[SEP]", vocab.get("</s>")) if encoder else None
    # Llama tokenizers often have no pad token; any id works since the mask hides padding
    pad_id = vocab.get("[PAD]", vocab.get("<pad>", 0))
    if kind == "WordPiece":
        return Tokenizer(wordpiece(vocab, lower), cls_id, sep_id, pad_id, kind)
    if kind == "WordLevel":
        return Tokenizer(wordlevel(vocab, lower), cls_id, sep_id, pad_id, kind)
    tj = model.root / "tokenizer.json"
    if tj.is_file():
        lib = _from_tokenizers_lib(tj, specials=model.family == "llama")
        if lib is not None:
            out = Tokenizer(lib[0], cls_id, sep_id, pad_id, kind or "tokenizers", lib[1])
            bos = model.config.get("bos_token_id")
            if model.family == "gpt2" and isinstance(bos, int) and bos in model.id_to_token():
                out.bos_id = bos  # GPT-2 starts documents with <|endoftext|>
            return out
    return None


def surface(token: str) -> str:
    """How a vocabulary entry is written in plain text (``##ab`` -> ``ab``, ``Ġcf`` -> ``cf``)."""
    for mark in ("##", "Ġ", "▁"):
        if token.startswith(mark):
            token = token[len(mark) :]
    return token.replace("</w>", "")
