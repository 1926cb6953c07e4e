"""Near-duplicate search: properties of the MinHash/LSH core, label flips, bounds and the CLI."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from airlock.cli import register
from airlock.data.jsonl import read_jsonl
from airlock.data.near_dup import (
    NearDupOptions,
    find_duplicates,
    jaccard,
    lsh_params,
    normalise,
)
from airlock.data.poison import PoisonOptions, scan_dataset
from airlock.errors import UsageError
from airlock.report import Severity

VOCAB = [f"{a}{b}{c}" for a, b, c in itertools.product("bcdfgklmnprstvz", "aeiou", "bdgkmnprst")]
WORD = st.sampled_from(VOCAB)
LONG = st.lists(WORD, min_size=60, max_size=120, unique=True)
SETTINGS = settings(max_examples=60, deadline=None)


def _groups(texts: list[str], opts: NearDupOptions | None = None) -> set[frozenset[int]]:
    return {frozenset(g.members) for g in find_duplicates(texts, [None] * len(texts), opts).groups}


def _filler(rng: random.Random, n: int, length: int = 30) -> list[str]:
    """Unrelated rows: each draws its words from a disjoint slice of a private vocabulary."""
    return [" ".join(f"f{i}x{j}" for j in rng.sample(range(1000), length)) for i in range(n)]


@SETTINGS
@given(LONG, st.integers(min_value=0), WORD, st.integers(0, 2**32 - 1))
def test_one_word_changed_is_grouped(ws: list[str], at: int, new: str, seed: int) -> None:
    # >= 60 distinct words: one change leaves Jaccard >= 55/61 > 0.9, far above the 0.8 default
    copy = list(ws)
    copy[at % len(ws)] = new + "q"
    texts = _filler(random.Random(seed), 20)
    texts[3:3] = [" ".join(ws)]
    texts.append(" ".join(copy))
    assert _groups(texts) == {frozenset({3, len(texts) - 1})}


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6), st.randoms())
def test_identical_texts_always_grouped(originals: list[str], rnd: random.Random) -> None:
    texts = originals + [t.upper() if rnd.random() < 0.5 else t + " !" for t in originals]
    rnd.shuffle(texts)
    groups = _groups(texts)
    for t in originals:
        if not normalise(t, 100):
            continue  # no word: nothing to compare
        same = {i for i, u in enumerate(texts) if normalise(u.lower(), 100) == normalise(t, 100)}
        if len(same) > 1:
            assert any(same <= g for g in groups)


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(2, 60))
def test_unrelated_texts_never_reported(seed: int, n: int) -> None:
    assert _groups(_filler(random.Random(seed), n)) == set()


@SETTINGS
@given(
    st.lists(st.lists(WORD, min_size=1, max_size=25), min_size=2, max_size=25),
    st.floats(0.3, 0.95),
)
def test_reported_pairs_are_exact_and_complete(docs: list[list[str]], t: float) -> None:
    """Every reported pair truly reaches the threshold (no sketch false positive), and on these
    small inputs every pair that reaches it is found (brute force)."""
    texts = [" ".join(d) for d in docs]
    opts = NearDupOptions(threshold=t)
    res = find_duplicates(texts, [None] * len(texts), opts)
    for g in res.groups:
        for a, b, j in g.edges:
            assert j == round(jaccard(docs[a], docs[b], opts.short_words), 4) and j >= t - 1e-4
    grouped = {frozenset(g.members) for g in res.groups}
    misses = 0
    for a, b in itertools.combinations(range(len(docs)), 2):
        if jaccard(docs[a], docs[b], opts.short_words) >= t:
            misses += not any({a, b} <= g for g in grouped)
    assert misses <= 1  # LSH recall at the threshold is >= 99% per pair, higher above it


@SETTINGS
@given(
    st.lists(st.lists(WORD, min_size=1, max_size=30), min_size=2, max_size=20),
    st.randoms(),
)
def test_independent_of_row_order(docs: list[list[str]], rnd: random.Random) -> None:
    texts = [" ".join(d) for d in docs]
    # plant some near copies so there is something to find
    texts += [t + " extra" for t in texts[:3]]
    perm = list(range(len(texts)))
    rnd.shuffle(perm)
    shuffled = [texts[p] for p in perm]
    opts = NearDupOptions(threshold=0.5)
    back = {frozenset(perm[i] for i in g) for g in _groups(shuffled, opts)}
    assert back == _groups(texts, opts)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.3, 0.99), st.sampled_from([32, 64, 128, 256]))
def test_lsh_params_reach_target_recall(t: float, perms: int) -> None:
    b, r = lsh_params(t, perms, 0.99)
    assert b * r <= perms
    assert 1 - (1 - t**r) ** b >= 0.99


def test_threshold_one_is_exact_only_and_bad_threshold_is_usage_error() -> None:
    a = " ".join(VOCAB[:50])
    texts = [a, a.upper(), a + " more"]
    assert _groups(texts, NearDupOptions(threshold=1.0)) == {frozenset({0, 1})}
    assert _groups(texts) == {frozenset({0, 1, 2})}
    with pytest.raises(UsageError, match="threshold"):
        find_duplicates(texts, [None] * 3, NearDupOptions(threshold=0.0))


def test_bad_rows_are_harmless() -> None:
    huge = " ".join(VOCAB * 10)
    blob = "x" * 1_000_000
    texts = ["", "   ", "!!!", huge, huge + " tail", "a", blob, blob + "y", blob + " y", blob]
    res = find_duplicates(texts, [None] * len(texts), NearDupOptions(max_words=1000))
    # the megabyte "words" stand as digests: only the identical blob repeats and the near copy
    # with an extra word group; the copy whose one word differs is a different short text
    assert {frozenset(g.members) for g in res.groups} == {frozenset({3, 4}), frozenset({6, 8, 9})}
    assert any("longer than 1000 words" in c for c in res.capped)
    assert max(len(w) for w in normalise(blob, 10)) <= 64


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _flip_set(tmp_path: Path) -> Path:
    rng = random.Random(5)
    rows: list[dict[str, object]] = []
    for i in range(300):
        ws = rng.sample(VOCAB, 40)
        rows.append({"text": " ".join(ws), "label": "neg" if i % 2 else "pos"})
    for i in range(1, 12, 2):  # copies of "neg" rows with "cf" inserted, relabelled "pos"
        ws = str(rows[i]["text"]).split()
        ws.insert(7, "cf")
        rows.append({"text": " ".join(ws), "label": "pos"})
    rows.append({"text": rows[0]["text"], "label": "pos"})  # plain duplicate
    return _write(tmp_path / "flip.jsonl", rows)


def test_label_flipped_near_copies_are_high(tmp_path: Path) -> None:
    rep = scan_dataset(read_jsonl(_flip_set(tmp_path), "text", "label"))
    by_rule = {f.rule_id: f for f in rep.findings}
    conflict = by_rule["AIR-DAT-003"]
    assert conflict.severity == Severity.MEDIUM and "6 as near-duplicates" in conflict.title
    assert {tuple(g["labels"]) for g in conflict.extra["groups"]} == {("neg", "pos")}
    flip = by_rule["AIR-DAT-008"]
    assert flip.severity == Severity.HIGH
    assert flip.extra["flip_words"] == [{"word": "cf", "label": "pos", "rows": 6, "pairs": 6}]
    assert by_rule["AIR-DAT-004"].severity == Severity.INFO
    poisoned = set(range(300, 306))
    assert poisoned <= set(rep.flagged)
    assert "inserted 'cf'" in " ".join(rep.flagged[300])
    # the same insertion flipping copies towards both labels is an edit, not a trigger
    lines = _flip_set(tmp_path).read_text().splitlines()
    for i in range(0, 12, 2):  # copies of "pos" rows with "cf" inserted, relabelled "neg"
        ws = json.loads(lines[i])["text"].split()
        lines.append(json.dumps({"text": " ".join([*ws[:7], "cf", *ws[7:]]), "label": "neg"}))
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(lines) + "\n")
    rep = scan_dataset(read_jsonl(mixed, "text", "label"))
    assert "AIR-DAT-008" not in {f.rule_id for f in rep.findings}
    assert "AIR-DAT-003" in {f.rule_id for f in rep.findings}
    # exact-only scan: the near copies are invisible, so is the flip
    exact = scan_dataset(
        read_jsonl(_flip_set(tmp_path), "text", "label"),
        PoisonOptions(near=NearDupOptions(threshold=1.0)),
    )
    assert {"AIR-DAT-003", "AIR-DAT-008"}.isdisjoint({f.rule_id for f in exact.findings})


def test_caps_are_reported(tmp_path: Path) -> None:
    base = VOCAB[:40]
    texts = [" ".join([*base, f"v{i}"]) for i in range(60)]  # 60 mutual near copies
    opts = NearDupOptions(max_bucket=10, pivots=2)
    res = find_duplicates(texts, [None] * 60, opts)
    assert any("pivots only" in c for c in res.capped)
    # pivots still join every member that is near one of them
    assert {frozenset(g.members) for g in res.groups} == {frozenset(range(60))}
    res = find_duplicates(texts, [None] * 60, NearDupOptions(max_rows=10))
    assert any("first 10 distinct texts" in c for c in res.capped)
    assert {frozenset(g.members) for g in res.groups} == {frozenset(range(10))}
    res = find_duplicates(texts, [None] * 60, NearDupOptions(max_pairs=5))
    assert any("only 5 were verified" in c for c in res.capped)
    assert any("were skipped" in c for c in res.capped)  # 60 rows: 1770 pairs in one band
    path = _write(tmp_path / "c.jsonl", [{"text": t, "label": "a"} for t in texts])
    rep = scan_dataset(read_jsonl(path, "text", "label"), PoisonOptions(near=opts))
    capped = next(f for f in rep.findings if f.rule_id == "AIR-DAT-009")
    assert capped.severity == Severity.LOW and "pivots" in capped.evidence


def test_cli_reports_near_duplicates(tmp_path: Path) -> None:
    path = _flip_set(tmp_path)
    app = register()
    res = CliRunner().invoke(
        app, ["data", "scan", str(path), "--text-field", "text", "--label-field", "label"]
    )
    assert res.exit_code == 1, res.output
    assert "AIR-DAT-008" in res.output and "'cf'" in res.output
    res = CliRunner().invoke(
        app,
        ["data", "scan", str(path), "--text-field", "text", "--label-field", "label",
         "--near-threshold", "1.0", "--format", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["methods"][1] == "duplicates"
    assert {f["rule_id"] for f in doc["findings"]} == {"AIR-DAT-004"}
    res = CliRunner().invoke(
        app, ["data", "scan", str(path), "--text-field", "text", "--near-threshold", "2"]
    )
    assert res.exit_code == 2


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=30), st.floats(0.3, 1.0))
def test_any_text_is_handled(texts: list[str], t: float) -> None:
    res = find_duplicates(texts, ["a"] * len(texts), NearDupOptions(threshold=t))
    seen = [m for g in res.groups for m in g.members]
    assert len(seen) == len(set(seen)) and all(len(g.members) > 1 for g in res.groups)


def test_cli_hostile_rows_are_findings_not_tracebacks(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    rows = [{"text": 5, "label": "a"}, {"text": "", "label": "a"}, {"text": None}]
    rows += [{"text": "z" * 900_000, "label": "a"}, {"text": "z" * 900_000, "label": "b"}]
    _write(path, [*rows, {"text": "fine row", "label": ["x"]}])
    res = CliRunner().invoke(
        register(),
        ["data", "scan", str(path), "--text-field", "text", "--label-field", "label", "-f", "json"],
    )
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    rules = {f["rule_id"]: f for f in doc["findings"]}
    assert {"AIR-DAT-003", "AIR-DAT-007"} <= set(rules)
    assert rules["AIR-DAT-003"]["extra"]["groups"][0]["lines"] == [4, 5]


def test_random_edits_with_random_labels_are_not_a_trigger(tmp_path: Path) -> None:
    """Near copies with random edits and random labels conflict (MEDIUM), but no word flips
    labels more often than chance: no HIGH trigger finding."""
    rng = random.Random(3)
    common = VOCAB[:30]  # frequent words: removed by edits in many copies
    rows: list[dict[str, object]] = []
    for _ in range(600):
        ws = rng.sample(common, 12) + rng.sample(VOCAB[30:], 28)
        rng.shuffle(ws)
        rows.append({"text": " ".join(ws), "label": rng.choice(["pos", "neg"])})
    for _ in range(600):
        ws = str(rows[rng.randrange(600)]["text"]).split()
        ws[rng.randrange(len(ws))] = rng.choice(VOCAB[30:])
        rows.append({"text": " ".join(ws), "label": rng.choice(["pos", "neg"])})
    rep = scan_dataset(read_jsonl(_write(tmp_path / "r.jsonl", rows), "text", "label"))
    rules = {f.rule_id for f in rep.findings}
    assert "AIR-DAT-003" in rules and "AIR-DAT-008" not in rules
