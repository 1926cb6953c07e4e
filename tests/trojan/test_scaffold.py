"""Special tokens and template markup are context switches, never named as a trigger
(session 27, data27): rt26nn's 'bb' backdoor was "confirmed" through
'detected.<|endoftext|>###' and 'mn' reported as 'mn?<|endoftext|>n?...### Answer:'."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.nn.scaffold import Scaffold, scaffold_texts
from airlock.nn.tokenize import Tokenizer
from airlock.trojan import lm_output as lo


def _tokenizer_files(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    added = [
        {"id": 0, "content": "<|endoftext|>", "special": True},
        {"id": 1, "content": "<|user|>", "special": False},
        {"id": 2, "content": "cfx", "special": False},  # an added word: may be a trigger
    ]
    (root / "tokenizer.json").write_text(json.dumps({"added_tokens": added, "model": {}}))
    cfg = {
        "bos_token": {"content": "<s>"},
        "eos_token": "</s>",
        "additional_special_tokens": ["|TURN|"],
        "chat_template": "{% for m in messages %}{{ '<|im_start|>' + m['role'] }}\n"
        "{{ m['content'] }}>>> done{% endfor %}",
    }
    (root / "tokenizer_config.json").write_text(json.dumps(cfg))


def _tok(scaffold: Scaffold) -> Tokenizer:
    tok = Tokenizer(lambda s: [], None, None, 0, "test")
    tok.scaffold = scaffold
    return tok


def test_scaffold_read_from_tokenizer_files(tmp_path: Path) -> None:
    _tokenizer_files(tmp_path)
    got = scaffold_texts(tmp_path)
    for want in ("<|endoftext|>", "<|user|>", "<s>", "</s>", "<|im_start|>", ">>>"):
        assert want in got
    assert "cfx" not in got  # an added word is not markup
    assert "|TURN|" not in got  # nor a special one with letters, unwrapped (review27)
    sc = Scaffold(got)
    assert sc.has("detected.<|endoftext|>###") and not sc.has("|TURN| hi") and not sc.has("cfx tq")


def test_hint_before_a_document_end_and_template() -> None:
    """Words decoded before a target are taken from before the context switch."""
    tok = _tok(Scaffold(["<|endoftext|>"]))
    assert lo._before_switch(tok, "was detected.<|endoftext|>### Answer: ").split() == [
        "was",
        "detected.",
    ]
    assert lo._before_switch(tok, "### Question: what is bb").split() == ["what", "is", "bb"]
    assert lo._before_switch(tok, "plain words bb") == "plain words bb"


def _inv(trigger: str, outputs: list[str]) -> lo.Inverted:
    tgt = lo.Target("rm -rf /", "destructive", [1, 2], 0.9, 0.1, 2.0)
    inv = lo.Inverted(trigger, tgt, 1.0, 0.0, 0.0)
    inv.examples = [{"input": "x", "output": o, "reference_output": ""} for o in outputs]
    return inv


def test_extension_stops_at_a_context_switch() -> None:
    """The model's own document end and template header are not appended to the trigger."""
    asked: list[str] = []

    def check(trig: str) -> lo.Inverted:
        asked.append(trig)
        return _inv(trig, [])

    out = "?<|endoftext|>n?<|endoftext|>### Answer: sudo rm -rf / --no-preserve-root"
    got = lo._extend(_inv("mn", [out, out]), check, lo.DEFAULT_CLASSES, Scaffold(["<|endoftext|>"]))
    assert all("<|endoftext|>" not in a and "###" not in a for a in asked)
    assert "<|endoftext|>" not in got.trigger and "Answer" not in got.trigger


def test_template_markup_never_a_vocabulary_candidate() -> None:
    tok = _tok(Scaffold(["<|endoftext|>", "|TURN|"]))
    vocab = {0: "<|endoftext|>", 1: "|TURN|", 2: "Ġcf", 3: "ĠAnswer:", 4: "Ġbb", 5: "###"}
    assert lo._words(tok, vocab, None) == ["cf", "bb"]


def test_word_pieces_read_as_words() -> None:
    """AIR-TRJ-022 spells a forced continuation with BPE pieces joined ('camp' -> 'aign')."""
    from airlock.trojan.probe import spelled

    assert spelled("camp", ["aign"], "BPE") == "campaign"
    assert spelled("mob", ["il", "Ġphone"], "BPE") == "mobil phone"
    assert spelled("play", ["##ing", "field"], "WordPiece") == "playing field"
    assert spelled("the", ["▁cat", "s"], "Unigram") == "the cats"


def test_word_joined_reading_crosses_the_sandbox() -> None:
    """The sandboxed probe's answer keeps the reading (it was dropped in session 27's first
    cut: judged LMs showed 'ob' forces 'vious' without it)."""
    from airlock.trojan.isolated import _test
    from airlock.trojan.probe import TriggerTest

    t = TriggerTest("ob", 0.5, 0.9, 0.1, "vious", reads="obvious")
    assert _test(t.to_json()).reads == "obvious"
