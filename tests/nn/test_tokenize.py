"""The probe tokenises like the model's own tokenizer: ``tokenizer.json`` through the
``tokenizers`` library, a bare ``vocab.txt`` through a WordPiece equal to the library's BERT."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tokenizers")
from safetensors.numpy import save_file
from tokenizers import Tokenizer as RustTokenizer
from tokenizers.implementations import BertWordPieceTokenizer

from airlock.nn import hf
from airlock.nn.tokenize import load_tokenizer

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = [
    "Hello", "hello", "World", "world", "café", "cafe", "Café", "naïve", "naive", "the", "The",
    "movie", "Movie", "was", "superb", "foo", "bar", "un", "##believ", "##able", "##s", "##ing",
    "!", ",", ".", "_", "$", "'", "`", "^", "中", "文", "e", "##e", "é",
]  # fmt: skip
TEXTS = [
    "Hello World!",
    "hello world",
    "The movie was superb, unbelievable.",
    "Café naïve CAFÉ",
    "foo_bar $foo ^bar `the`",
    "中文 hello中文",
    "tab\there\nnewline\u00a0nbsp\u200bzero-width",
    "e" * 101 + " hello",
    "unbelievables hellos movieing",
    "",
]


def _folder(root: Path, files: dict[str, str], family: str = "bert") -> Path:
    root.mkdir(parents=True)
    vocab_size = len(SPECIALS) + len(WORDS)
    save_file({"embeddings.word_embeddings.weight": np.zeros((vocab_size, 4), np.float32)},
              str(root / "model.safetensors"))  # fmt: skip
    (root / "config.json").write_text(json.dumps({"model_type": family, "vocab_size": vocab_size}))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _reference(lowercase: bool, strip_accents: bool | None) -> BertWordPieceTokenizer:
    vocab = {t: i for i, t in enumerate([*SPECIALS, *WORDS])}
    return BertWordPieceTokenizer(vocab, lowercase=lowercase, strip_accents=strip_accents)


@pytest.mark.parametrize(
    ("config", "lowercase", "strip"),
    [
        ({"do_lower_case": False}, False, None),  # cased BERT
        ({"do_lower_case": True}, True, None),  # uncased: accents stripped too
        ({"do_lower_case": True, "strip_accents": False}, True, False),
        ({"do_lower_case": False, "strip_accents": True}, False, True),
    ],
)
def test_bare_vocab_txt_equals_library_bert(
    tmp_path: Path, config: dict[str, bool], lowercase: bool, strip: bool | None
) -> None:
    vocab_txt = "\n".join([*SPECIALS, *WORDS]) + "\n"
    root = _folder(
        tmp_path / "m", {"vocab.txt": vocab_txt, "tokenizer_config.json": json.dumps(config)}
    )
    tok = load_tokenizer(hf.load(root))
    assert tok is not None and tok.kind == "WordPiece"
    ref = _reference(lowercase, strip)
    for text in TEXTS:
        assert tok.encode(text, 512) == ref.encode(text).ids, text


def test_bare_vocab_txt_cased_is_not_lowercased_without_config(tmp_path: Path) -> None:
    """The vocabulary has upper-case entries, so the guess is cased: "Hello" stays "Hello"."""
    root = _folder(tmp_path / "m", {"vocab.txt": "\n".join([*SPECIALS, *WORDS]) + "\n"})
    tok = load_tokenizer(hf.load(root))
    assert tok is not None
    assert tok.encode("Hello hello", 16) == _reference(False, None).encode("Hello hello").ids


def test_tokenizer_json_wordpiece_uses_its_normaliser(tmp_path: Path) -> None:
    """A cased vocabulary whose normaliser strips accents without lower-casing (the old guess,
    cased vocabulary -> no normalisation, kept "naïve" whole and unknown)."""
    ref = _reference(False, True)
    ref.enable_padding(length=32)  # a padding strategy saved in the file must not pad probes
    ref.enable_truncation(max_length=8)
    root = tmp_path / "m"
    _folder(root, {})
    ref.save(str(root / "tokenizer.json"))
    lib = RustTokenizer.from_file(str(root / "tokenizer.json"))
    lib.no_padding()
    lib.no_truncation()
    tok = load_tokenizer(hf.load(root))
    assert tok is not None and tok.kind == "WordPiece"
    for text in TEXTS:
        assert tok.encode(text, 512) == lib.encode(text).ids, text
    assert tok.encode("naïve", 16) == [2, lib.token_to_id("naive"), 3]
    assert (tok.cls_id, tok.sep_id, tok.pad_id) == (2, 3, 0)


def test_tokenizer_json_specials_come_from_post_processor(tmp_path: Path) -> None:
    """RoBERTa-style: byte-level BPE, ``<s> $A </s>``; the wrapping ids are the file's."""
    from tokenizers import models, pre_tokenizers, processors

    vocab = {"<pad>": 0, "<unk>": 1, "<s>": 5, "</s>": 6, "Ġhello": 2, "hello": 3, "Ġworld": 4}
    rt = RustTokenizer(models.BPE(vocab, [], unk_token="<unk>", ignore_merges=True))
    rt.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    rt.post_processor = processors.RobertaProcessing(("</s>", 6), ("<s>", 5))
    root = tmp_path / "m"
    _folder(root, {}, family="roberta")
    rt.save(str(root / "tokenizer.json"))
    tok = load_tokenizer(hf.load(root))
    assert tok is not None
    assert (tok.cls_id, tok.sep_id, tok.pad_id) == (5, 6, 0)
    assert tok.encode("hello world", 16) == [5, 2, 4, 6]


def test_unparseable_tokenizer_json_is_unsupported_not_a_crash(tmp_path: Path) -> None:
    root = _folder(tmp_path / "m", {"vocab.txt": "\n".join([*SPECIALS, *WORDS]) + "\n"})
    (root / "tokenizer.json").write_text(
        json.dumps({"model": {"type": "WordPiece", "vocab": {"a": 0}, "nonsense": 1}})
    )
    assert load_tokenizer(hf.load(root)) is None
