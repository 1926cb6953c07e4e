"""Session 27 review (review27): the tokenizer files cannot hide a trigger word as scaffolding.

The files are the model publisher's. A word declared a special token (``additional_special_
tokens: ["bb"]``, or an added token marked special) is still matched in plain user text by the
tokenizer (transformers 4.57: "hello bb world" -> the special id), so a backdoor keyed on it
fires from ordinary input; ``scaffold_texts`` took it for a context switch, and the LM output
search dropped every candidate, hint and input-side trigger containing it."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.nn.scaffold import Scaffold, scaffold_texts
from airlock.nn.tokenize import Tokenizer
from airlock.trojan import lm_output as lo


def test_word_like_special_tokens_are_not_scaffolding(tmp_path: Path) -> None:
    added = [
        {"id": 0, "content": "<|endoftext|>", "special": True},
        {"id": 1, "content": "cf_trigger", "special": True},
    ]
    (tmp_path / "tokenizer.json").write_text(json.dumps({"added_tokens": added, "model": {}}))
    cfg = {"eos_token": "</s>", "unk_token": "zq", "additional_special_tokens": ["bb", "|TURN|"]}
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(cfg))
    got = scaffold_texts(tmp_path)
    assert {"<|endoftext|>", "</s>"} <= set(got)
    assert not {"bb", "cf_trigger", "zq", "|TURN|"} & set(got)
    tok = Tokenizer(lambda s: [], None, None, 0, "test")
    tok.scaffold = Scaffold(got)
    vocab = {0: "<|endoftext|>", 1: "Ġbb", 2: "cf_trigger", 3: "|TURN|"}
    assert lo._words(tok, vocab, None) == ["bb", "cf_trigger", "|TURN|"]
    assert not tok.scaffold.has("say bb now")
