"""rt24tpl: tokenizer.json pipelines that multiply their input (AIR-CFG-027)."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from airlock.scan.engine import scan_paths

VOCAB = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3, "hello": 4}


def _tok() -> Tokenizer:
    t = Tokenizer(models.WordLevel(VOCAB, unk_token="[UNK]"))
    t.pre_tokenizer = pre_tokenizers.Whitespace()
    return t


def _rules(folder: Path) -> set[str]:
    rep = scan_paths([folder])
    return {f.rule_id for f in rep.findings}


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    d = tmp_path / "m"
    d.mkdir()
    (d / "tokenizer.json").write_text(json.dumps(doc))
    (d / "tokenizer_config.json").write_text('{"tokenizer_class": "PreTrainedTokenizerFast"}')
    return d


def _replace(pattern: dict[str, str], content: str) -> dict[str, Any]:
    return {"type": "Replace", "pattern": pattern, "content": content}


def _doc(**parts: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_tok().to_str())
    doc.update(parts)
    return doc


BYTES = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}
TEN_A = _replace({"String": "a"}, "a" * 10)
ATTACKS = {
    # rt24tpl c01, c02, c06: killed at 60 s CPU encoding 500 characters; c04 on decode;
    # c05 (200,000 x $A): killed too
    "replace_chain": _doc(normalizer={"type": "Sequence", "normalizers": [TEN_A] * 9}),
    "replace_space": _doc(
        normalizer={"type": "Sequence", "normalizers": [_replace({"String": " "}, " " * 16)] * 10}
    ),
    "replace_regex": _doc(
        normalizer={"type": "Sequence", "normalizers": [_replace({"Regex": "."}, "ab" * 5)] * 9}
    ),
    "replace_empty_regex": _doc(
        normalizer={"type": "Sequence", "normalizers": [_replace({"Regex": "x*"}, "y" * 8)] * 4}
    ),
    # review24: Oniguruma reads the POSIX brackets as one character, re as 41 (a set and
    # literals); 5 steps grew 'hello world' to a 3.2 GB allocation in Tokenizer.encode
    "replace_posix_brackets": _doc(
        normalizer={
            "type": "Sequence",
            "normalizers": [_replace({"Regex": "[" + "[:alpha:]" * 40 + "]"}, "a" * 40)] * 5,
        }
    ),
    # review24: each ByteLevel doubles a character past ASCII (a space is 'Ġ', two bytes):
    # 30 of them aborted Tokenizer.encode('hello world') on a 2.4 GB allocation
    "byte_level_chain": _doc(pre_tokenizer={"type": "Sequence", "pretokenizers": [BYTES] * 30}),
    "decoder_chain": _doc(decoder={"type": "Sequence", "decoders": [TEN_A] * 9}),
    # round 2 on this rule: an empty BPEDecoder suffix doubles every token (2**30 here)
    "bpe_decoder_chain": _doc(
        decoder={"type": "Sequence", "decoders": [{"type": "BPEDecoder", "suffix": ""}] * 30}
    ),
    "template_copies": _doc(
        post_processor={
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}] * 200_000,
            "pair": [
                {"Sequence": {"id": "A", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 1}},
            ],
            "special_tokens": {},
        }
    ),
    "nested_sequences": _doc(
        normalizer=json.loads(json.dumps({"type": "Sequence", "normalizers": [TEN_A, TEN_A]}))
        | {"normalizers": [{"type": "Sequence", "normalizers": [TEN_A, TEN_A]}, TEN_A, TEN_A]}
    ),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_multiplying_pipelines_are_denied(tmp_path: Path, name: str) -> None:
    assert "AIR-CFG-027" in _rules(_write(tmp_path, ATTACKS[name]))


def test_the_growth_is_real() -> None:
    """Three of the Replace steps above already make one 'a' a thousand (the real library)."""
    t = _tok()
    t.normalizer = normalizers.Sequence([normalizers.Replace("a", "a" * 10)] * 3)
    assert len(t.normalizer.normalize_str("a")) == 1000


def test_a_wordpiece_without_a_word_limit_is_denied(tmp_path: Path) -> None:
    """A 5,000-character word took 6.6 s at max_input_chars_per_word 10**9 (round 2)."""
    doc = json.loads(_tok().to_str())
    doc["model"] = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                    "max_input_chars_per_word": 10**9, "vocab": VOCAB}  # fmt: skip
    assert "AIR-CFG-027" in _rules(_write(tmp_path, doc))
    doc["model"]["max_input_chars_per_word"] = 100  # BERT's
    (tmp_path / "b").mkdir()
    assert "AIR-CFG-027" not in _rules(_write(tmp_path / "b", doc))


def test_an_empty_bpe_suffix_doubles_on_decode() -> None:
    seq = decoders.Sequence([decoders.BPEDecoder(suffix="")] * 5)
    assert len(seq.decode(["ab", "cd", "ef"])) == 192  # 12 after one layer: doubling


def test_posix_bracket_growth_is_real() -> None:
    """One '[[:alpha:][:alpha:]]' match is one character in tokenizers (re: three)."""
    t = _tok()
    t.normalizer = normalizers.Replace(Regex("[" + "[:alpha:]" * 2 + "]"), "a" * 10)
    assert len(t.normalizer.normalize_str("ab")) == 20


def _charsmap(longest: int) -> str:
    """A sentencepiece charsmap's layout (u32 trie size, trie, NUL-separated replacements):
    nmt_nfkc's longest replacement is 33 bytes (U+FDFA)."""
    trie = b"\0" * 16
    pool = b"a\0" + b"x" * longest + b"\0"
    return base64.b64encode(struct.pack("<I", len(trie)) + trie + pool).decode()


def _honest() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    t = _tok()  # BERT
    t.normalizer = normalizers.BertNormalizer(lowercase=True)
    t.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 1), ("[SEP]", 2)],
    )  # fmt: skip
    t.decoder = decoders.WordPiece()
    out["bert"] = json.loads(t.to_str())
    t = _tok()  # Llama 2 (converted sentencepiece)
    t.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    steps = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    t.decoder = decoders.Sequence([*steps, decoders.Strip(" ", 1, 0)])
    t.post_processor = processors.TemplateProcessing(
        single="[CLS] $A", pair="[CLS] $A [CLS] $B", special_tokens=[("[CLS]", 1)]
    )
    out["llama2"] = json.loads(t.to_str())
    t = _tok()  # T5 / XLM-R: the precompiled nmt_nfkc map, then runs of spaces to one
    t.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    doc = json.loads(t.to_str())
    doc["normalizer"] = {
        "type": "Sequence",
        "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": _charsmap(33)},
            doc["normalizer"],
        ],
    }
    out["t5"] = doc
    t = _tok()  # NFKD + strip accents + lowercase (many BERT-likes)
    t.normalizer = normalizers.Sequence(
        [normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase()]
    )
    out["nfkd"] = json.loads(t.to_str())
    t = _tok()  # GPT-2 / Llama 3: a split regex, then bytes to characters
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(r"\s+|\w+"), "isolated"), pre_tokenizers.ByteLevel(False)]
    )
    t.decoder = decoders.ByteLevel()
    out["bytelevel"] = json.loads(t.to_str())
    t = _tok()  # sentencepiece converted with a Metaspace pre-tokenizer
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace()]
    )
    out["metaspace"] = json.loads(t.to_str())
    return out


@pytest.mark.parametrize("name", ["bert", "llama2", "t5", "nfkd", "bytelevel", "metaspace"])
def test_honest_pipelines_stay_clean(tmp_path: Path, name: str) -> None:
    assert "AIR-CFG-027" not in _rules(_write(tmp_path, _honest()[name]))


def test_a_huge_charsmap_replacement_is_denied(tmp_path: Path) -> None:
    doc = _doc(
        normalizer={
            "type": "Sequence",
            "normalizers": [{"type": "Precompiled", "precompiled_charsmap": _charsmap(5000)}],
        }
    )
    assert "AIR-CFG-027" in _rules(_write(tmp_path, doc))
