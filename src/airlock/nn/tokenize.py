"""Turn probe texts into token ids for the forward passes, without the model's code.

A folder with ``tokenizer.json`` is tokenised by the ``tokenizers`` library (``Tokenizer.from_file``
parses the file as data: normaliser, pre-tokeniser, model, post-processor) for every model kind,
WordPiece and WordLevel included; the special tokens an encoder wraps its input in are taken from
the file's post-processor. Only a bare BERT ``vocab.txt`` (no ``tokenizer.json``) uses the
WordPiece written here: BERT's normaliser and pre-tokeniser as ``tokenizers`` implements them,
with lower-casing and accent stripping from ``tokenizer_config.json`` (``do_lower_case``,
``strip_accents``), guessed from the vocabulary only when that file does not say.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from airlock.errors import DependencyError
from airlock.nn.hf import MAX_CONFIG_BYTES, HFModel, ModelFormatError, read_json
from airlock.nn.scaffold import Scaffold, scaffold_texts

MAX_WORD_CHARS = 100  # BERT's max_input_chars_per_word: longer words are [UNK]


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
        # special tokens and template markup: context switches, never trigger candidates
        self.scaffold = Scaffold()

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


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _is_punct(c: str) -> bool:
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c) in ("Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps")


def _is_ws(c: str) -> bool:
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def bert_normalize(text: str, lower: bool, strip_accents: bool) -> str:
    """BERT's normaliser: drop control characters, spaces for whitespace, CJK characters
    isolated, then (optionally) accents stripped after NFD and lower-casing."""
    out: list[str] = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD:
            continue
        if c not in "\t\n\r" and unicodedata.category(c) in ("Cc", "Cf", "Cn", "Co"):
            continue
        if _is_ws(c):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {c} ")
        else:
            out.append(c)
    text = "".join(out)
    if strip_accents:
        text = "".join(
            c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
        )
    return text.lower() if lower else text


def bert_words(text: str) -> list[str]:
    """BERT's pre-tokeniser: split on whitespace, every punctuation character its own word."""
    words: list[str] = []
    cur: list[str] = []
    for c in text:
        if c.isspace() or _is_punct(c):
            if cur:
                words.append("".join(cur))
                cur = []
            if not c.isspace():
                words.append(c)
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


def wordpiece(
    vocab: dict[str, int], lower: bool, strip_accents: bool | None = None
) -> Callable[[str], list[int]]:
    """BERT's tokenizer for a bare ``vocab.txt`` (``strip_accents`` None follows ``lower``)."""
    unk = vocab.get("[UNK]", 0)
    strip = lower if strip_accents is None else strip_accents

    def encode(text: str) -> list[int]:
        out: list[int] = []
        for word in bert_words(bert_normalize(text, lower, strip)):
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


def _casing(model: HFModel) -> tuple[bool, bool | None]:
    """(lower-case, strip accents) of a bare ``vocab.txt``: ``tokenizer_config.json`` when it
    says, else lower-casing guessed from the vocabulary (no upper-case entries)."""
    lower: bool | None = None
    strip: bool | None = None
    cfg_path = model.root / "tokenizer_config.json"
    if cfg_path.is_file():
        try:
            doc = read_json(cfg_path, MAX_CONFIG_BYTES)
        except ModelFormatError:
            doc = None
        if isinstance(doc, dict):
            if isinstance(doc.get("do_lower_case"), bool):
                lower = doc["do_lower_case"]
            if isinstance(doc.get("strip_accents"), bool):
                strip = doc["strip_accents"]
    if lower is None:
        lower = all(t == t.lower() for t in list(model.vocab)[:5000] if not t.startswith("["))
    return lower, strip


def _rust_tokenizer(path: Path) -> Any | None:
    """``tokenizers.Tokenizer`` of ``path`` with the file's padding and truncation switched off
    (a padding strategy in the file would pad every probe), or None when it does not parse."""
    try:
        from tokenizers import Tokenizer as RustTokenizer
    except ImportError:
        raise DependencyError(
            f"{path}: reading tokenizer.json needs the tokenizers library "
            "(pip install 'model-airlock[trojan]')"
        ) from None
    try:
        tok = RustTokenizer.from_file(str(path))
        tok.no_padding()
        tok.no_truncation()
    except Exception:  # any parse failure means "no tokenizer", never a crash
        return None
    return tok


def _wrapping(tok: Any) -> tuple[list[int], list[int]]:
    """Ids the post-processor puts before and after a single sequence."""
    plain = list(tok.encode("a", add_special_tokens=False).ids)
    full = list(tok.encode("a", add_special_tokens=True).ids)
    for i in range(len(full) - len(plain) + 1):
        if full[i : i + len(plain)] == plain:
            return full[:i], full[i + len(plain) :]
    return [], []


def load_tokenizer(model: HFModel) -> Tokenizer | None:
    """A tokenizer for ``model`` or None when its vocabulary type is not supported."""
    vocab = model.vocab
    if not vocab:
        return None
    encoder = model.family == "bert"  # causal LMs get no [CLS]/[SEP] wrapping
    # Llama tokenizers often have no pad token; any id works since the mask hides padding
    pad_id = vocab.get("[PAD]", vocab.get("<pad>", 0))
    cls_id = vocab.get("[CLS]", vocab.get("<s>")) if encoder else None
    sep_id = vocab.get("[SEP]", vocab.get("</s>")) if encoder else None
    tj = model.root / "tokenizer.json"
    if tj.is_file():
        tok = _rust_tokenizer(tj)
        if tok is None:
            return None
        # LMs: the post-processor adds the BOS token Llama-style models expect (GPT-2 adds none)
        lm_specials = not encoder and model.family != "gpt2"
        if encoder:
            before, after = _wrapping(tok)
            if len(before) == 1 and len(after) == 1:
                cls_id, sep_id = before[0], after[0]
        pad = tok.token_to_id("[PAD]")
        pad = tok.token_to_id("<pad>") if pad is None else pad
        pad_id = pad if isinstance(pad, int) else pad_id

        def encode(text: str) -> list[int]:
            return list(tok.encode(text, add_special_tokens=lm_specials).ids)

        def decode(ids: list[int]) -> str:
            return str(tok.decode(ids, skip_special_tokens=False))

        out = Tokenizer(encode, cls_id, sep_id, pad_id, model.vocab_kind or "tokenizers", decode)
        out.scaffold = Scaffold(scaffold_texts(model.root))
        bos = model.config.get("bos_token_id")
        # GPT-2 starts documents with <|endoftext|>; not added for a WordLevel vocabulary
        # (only the bench's generated GPT-2s have one; their thresholds were set without it,
        # and the output-side search adds it itself: lm_output.with_document_start)
        gpt2 = model.family == "gpt2" and model.vocab_kind != "WordLevel"
        if gpt2 and isinstance(bos, int) and bos in model.id_to_token():
            out.bos_id = bos
        return out
    if model.vocab_kind == "WordPiece":  # a bare vocab.txt
        lower, strip = _casing(model)
        return Tokenizer(wordpiece(vocab, lower, strip), cls_id, sep_id, pad_id, "WordPiece")
    return None


def surface(token: str) -> str:
    """How a vocabulary entry is written in plain text (``##ab`` -> ``ab``, ``Ġcf`` -> ``cf``)."""
    for mark in ("##", "Ġ", "▁"):
        if token.startswith(mark):
            token = token[len(mark) :]
    return token.replace("</w>", "")
