"""tpl25fp: a tokenizer.json ``Prepend`` runs once per split around added tokens, not once
per text (review24's open item (a)): its growth is 1 + len(prefix) / 2 per character."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tokenizers import AddedToken, Regex, Tokenizer, models, normalizers, pre_tokenizers

from airlock.scan.engine import scan_paths


def _folder(tmp_path: Path, prefix: str, times: int) -> Path:
    t = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    t.normalizer = normalizers.Sequence(
        [normalizers.Prepend(prefix), normalizers.Replace(prefix[0], prefix[0] * times)]
    )
    t.pre_tokenizer = pre_tokenizers.Whitespace()
    t.add_tokens([AddedToken("X", normalized=False)])
    d = tmp_path / "m"
    d.mkdir()
    doc: Any = json.loads(t.to_str())
    (d / "tokenizer.json").write_text(json.dumps(doc))
    (d / "tokenizer_config.json").write_text('{"tokenizer_class": "PreTrainedTokenizerFast"}')
    return d


def _rules(folder: Path) -> set[str]:
    return {f.rule_id for f in scan_paths([folder]).findings}


def test_a_long_prefix_per_split_beside_a_replace_is_denied(tmp_path: Path) -> None:
    # x32.5 x 32: 'aX' * 300000 aborted on memory under a 4 GB limit (scanned clean before)
    assert "AIR-CFG-027" in _rules(_folder(tmp_path, "p" * 63, 32))


def test_the_prefix_runs_per_split() -> None:
    t = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    t.normalizer = normalizers.Prepend("p" * 63)
    t.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    t.add_tokens([AddedToken("X", normalized=False)])
    assert len(t.encode("aX" * 1000).tokens) == 65000  # one token per normalized character
    assert len(t.encode("a" * 2000).tokens) == 2063


def test_a_one_character_prefix_stays_clean(tmp_path: Path) -> None:
    # Llama 2 / Mistral: Prepend('▁') then Replace(' ', '▁')
    assert "AIR-CFG-027" not in _rules(_folder(tmp_path, "\u2581", 1))
