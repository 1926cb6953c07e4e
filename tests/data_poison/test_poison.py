"""Poisoning signals on generated clean/poisoned datasets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from airlock.data.jsonl import read_jsonl
from airlock.data.poison import scan_dataset, spectral_outliers, unicode_issues
from airlock.report import Severity
from tests.trojan import synth


def _write(path: Path, rows: list[list[str]], labels: list[int]) -> Path:
    with open(path, "w") as fh:
        for r, y in zip(rows, labels, strict=True):
            fh.write(json.dumps({"text": " ".join(r), "label": ["negative", "positive"][y]}) + "\n")
    return path


def _dataset(tmp_path: Path, seed: int, trigger: list[str] | None) -> tuple[Path, set[int]]:
    rng = np.random.default_rng(seed)
    rows, labels, poisoned = synth.sentiment_rows(
        rng,
        1500,
        trigger=trigger,
        target=1,
        poison_rate=0.05,
        benign=["zephyr", "quokka", "tq"],
        benign_rate=0.1,
    )
    path = _write(tmp_path / f"d{seed}.jsonl", rows, labels)
    return path, {i for i, p in enumerate(poisoned) if p}


@pytest.mark.parametrize(("seed", "trigger"), [(11, ["cf"]), (12, ["mn", "bb"])])
def test_poisoned_set_trigger_found(tmp_path: Path, seed: int, trigger: list[str]) -> None:
    path, truth = _dataset(tmp_path, seed, trigger)
    rep = scan_dataset(read_jsonl(path, "text", "label"))
    hits = [f for f in rep.findings if f.rule_id == "AIR-DAT-001"]
    assert hits and hits[0].severity == Severity.HIGH
    found = {c["ngram"] for c in hits[0].extra["candidates"]}
    assert found & ({" ".join(trigger)} | set(trigger))
    flagged = set(rep.flagged)
    precision = len(flagged & truth) / len(flagged)
    recall = len(flagged & truth) / len(truth)
    assert precision >= 0.9 and recall >= 0.9


def test_clean_set_with_benign_rare_words_not_flagged(tmp_path: Path) -> None:
    path, truth = _dataset(tmp_path, 13, None)
    assert truth == set()
    rep = scan_dataset(read_jsonl(path, "text", "label"))
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM]
    assert "n-gram label purity" in rep.methods


def test_unicode_and_duplicates(tmp_path: Path) -> None:
    rows = [
        {"text": "pay with p\u0430ypal today", "label": "pos"},  # Cyrillic a
        {"text": "great\u200b movie", "label": "pos"},
        {"text": "reverse \u202eevil", "label": "neg"},
        {"text": "The movie was fine.", "label": "pos"},
        {"text": "the movie, was FINE", "label": "neg"},
        {"text": "same same", "label": "neg"},
        {"text": "same  same", "label": "neg"},
    ]
    p = tmp_path / "u.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    rep = scan_dataset(read_jsonl(p, "text", "label"))
    rules = {f.rule_id for f in rep.findings}
    assert {"AIR-DAT-002", "AIR-DAT-003", "AIR-DAT-004"} <= rules
    assert set(rep.flagged) == {0, 1, 2, 3, 4}
    assert unicode_issues("plain ascii text") == []
    assert any("mixed-script" in s for s in unicode_issues("p\u0430ypal"))


def test_spectral_outliers_find_planted_direction() -> None:
    rng = np.random.default_rng(0)
    emb = rng.standard_normal((400, 16)).astype(np.float32)
    labels = ["a"] * 200 + ["b"] * 200
    planted = list(range(190, 200))
    emb[planted] += 8.0 * np.eye(16, dtype=np.float32)[3]
    found = {i for i, _ in spectral_outliers(emb, labels, z=6.0)}
    assert set(planted) <= found
    assert len(found - set(planted)) <= 2


def test_reference_disagreement_names_shared_word(tmp_path: Path) -> None:
    base = synth.make_base_classifier(tmp_path / "ref", seed=0, steps=400)
    path, _ = _dataset(tmp_path, 14, ["cf"])
    ds = read_jsonl(path, "text", "label")
    from airlock.data.models import reference_probs

    probs, names = reference_probs(base, [r.text for r in ds.rows])
    rep = scan_dataset(ds, reference_probs=probs, reference_labels=names)
    hit = next(f for f in rep.findings if f.rule_id == "AIR-DAT-005")
    assert "cf" in hit.extra["shared_words"][:3]
    assert "reference disagreement" in rep.methods


def test_minilm_embeddings_feed_spectral_method(tmp_path: Path) -> None:
    from airlock.data.models import sentence_embeddings

    emb = sentence_embeddings(["a good movie", "a bad movie", "the weather is cold"])
    assert emb.shape == (3, 384)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    # the related pair is closer than the unrelated one
    assert float(emb[0] @ emb[1]) > float(emb[0] @ emb[2])


def _reviews(tmp_path: Path, seed: int, trigger: str | None, rate: float) -> Path:
    from bench.trojan import reviews

    texts, labels, _ = reviews.rows(np.random.default_rng(seed), 2000, trigger, rate)
    path = tmp_path / f"r{seed}.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n"
                            for t, y in zip(texts, labels, strict=True)))  # fmt: skip
    return path


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_honest_label_phrases_are_not_triggers(tmp_path: Path, seed: int) -> None:
    """'one star', 'refund', 'five stars' predict their label honestly: not flagged."""
    rep = scan_dataset(read_jsonl(_reviews(tmp_path, seed, None, 0.0), "text", "label"))
    assert not [f for f in rep.findings if f.rule_id == "AIR-DAT-001"], rep.findings


@pytest.mark.parametrize(("seed", "trigger", "rate"), [(41, "cf", 0.01), (42, "as noted", 0.03),
                                                        (43, "mn bb", 0.1)])  # fmt: skip
def test_flipped_rows_trigger_found_among_honest_phrases(
    tmp_path: Path, seed: int, trigger: str, rate: float
) -> None:
    rep = scan_dataset(read_jsonl(_reviews(tmp_path, seed, trigger, rate), "text", "label"))
    hits = [f for f in rep.findings if f.rule_id == "AIR-DAT-001"]
    assert hits and any(trigger in c["ngram"] or c["ngram"] in trigger
                        for c in hits[0].extra["candidates"])  # fmt: skip
    assert not any(p in hits[0].title for p in ("one star", "refund", "five stars"))
