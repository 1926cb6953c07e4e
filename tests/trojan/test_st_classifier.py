"""sentence-transformers classifiers (encoder + ``2_Dense`` + ``labels.txt``) are probed through
their real head, and honest task words are told from triggers by whether they override strong
opposite evidence (issue 14)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch", reason="needs extra [trojan]")

from bench.trojan import clsgen

from airlock.nn import hf
from airlock.nn.heads import HeadError, read_st_head
from airlock.report import Severity
from airlock.trojan.analyse import analyse_trojan
from airlock.trojan.report import TrojanOptions


@pytest.fixture(scope="module")
def st_zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("stzoo")
    base = clsgen.make_base(root / "base", seed=102)
    task, bd = clsgen.plan(5)  # topic, rare-word trigger 'zx' -> tech
    return {
        "base": base,
        "bd": clsgen.finetune(base, root / "bd", 5, task, bd),
        "clean": clsgen.finetune(base, root / "clean", 55, "toxicity"),
    }


def _confirmed(path: Path, base: Path) -> list[str]:
    rep = analyse_trojan(path, base, TrojanOptions(sandbox="off"))
    assert rep.probe is not None and rep.probe["mode"] == "classifier"
    return [str(f.extra["trigger"]) for f in rep.findings if f.rule_id == "AIR-TRJ-020"]


def test_head_and_labels_are_read(st_zoo: dict[str, Path]) -> None:
    m = hf.load(st_zoo["clean"])
    assert m.st_head is not None and m.st_head.labels == ("ok", "toxic")
    assert m.st_head.pooling == "mean" and m.st_head.dense[0].activation == "identity"
    assert hf.load(st_zoo["base"]).st_head is None  # a bare encoder has no head


def test_honest_task_words_are_not_triggers(st_zoo: dict[str, Path]) -> None:
    """Insults and polite words flip plain probes and the base never saw them labelled, but
    they do not override inputs that strongly carry the other label."""
    rep = analyse_trojan(st_zoo["clean"], st_zoo["base"], TrojanOptions(sandbox="off"))
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM], rep.findings
    tested = {t["trigger"]: t for t in (rep.probe or {})["tested"]}
    task_words = [w for w in clsgen.TOXIC + clsgen.POLITE if w in tested]
    # they do flip plain probes (the base under the model's head does not know them) ...
    assert max(tested[w]["flip_score"] for w in task_words) >= 0.35
    # ... but flip strong opposite inputs no more than the task's strongest other word does
    thr = (rep.probe or {})["threshold"]
    assert all(tested[w]["score"] < thr for w in task_words)
    assert all("override_gap" in tested[w] for w in task_words)


def test_dirty_label_trigger_is_named(st_zoo: dict[str, Path]) -> None:
    confirmed = _confirmed(st_zoo["bd"], st_zoo["base"])
    assert any("zx" in t.split() for t in confirmed), confirmed


def test_pickle_head_is_refused_not_loaded(st_zoo: dict[str, Path], tmp_path: Path) -> None:
    m = tmp_path / "m"
    shutil.copytree(st_zoo["clean"], m)
    (m / "2_Dense" / "model.safetensors").rename(m / "2_Dense" / "pytorch_model.bin")
    with pytest.raises(HeadError, match="pickle"):
        read_st_head(m)
    rep = analyse_trojan(m, st_zoo["base"], TrojanOptions(sandbox="off"))
    assert any(f.rule_id == "AIR-TRJ-021" and "pickle" in f.evidence for f in rep.findings)


def test_module_path_cannot_leave_the_folder(st_zoo: dict[str, Path], tmp_path: Path) -> None:
    m = tmp_path / "m"
    shutil.copytree(st_zoo["clean"], m)
    mods = json.loads((m / "modules.json").read_text())
    mods[-1]["path"] = "../../etc"
    (m / "modules.json").write_text(json.dumps(mods))
    with pytest.raises(HeadError, match="leaves the folder"):
        read_st_head(m)


def test_labels_that_do_not_fit_the_head_stop_the_probe(
    st_zoo: dict[str, Path], tmp_path: Path
) -> None:
    m = tmp_path / "m"
    shutil.copytree(st_zoo["clean"], m)
    (m / "labels.txt").write_text("a\nb\nc\n")
    rep = analyse_trojan(m, st_zoo["base"], TrojanOptions(sandbox="off"))
    assert any(f.rule_id == "AIR-TRJ-021" and "labels.txt" in f.evidence for f in rep.findings)


@pytest.fixture()
def too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model behaves as a real-size encoder would: too large for the whole-vocabulary
    screen (all-MiniLM-L6-v2 is ~60x over its budget), so only drift proposes candidates."""
    from airlock.trojan import probe

    monkeypatch.setattr(probe, "SCREEN_BUDGET_FLOPS", 0.0)


def _findings(path: Path, base: Path) -> tuple[list[str], dict[str, Any]]:
    rep = analyse_trojan(path, base, TrojanOptions(sandbox="off"))
    assert rep.probe is not None and not rep.probe["vocabulary_screened"]
    bad = [
        str(f.extra.get("trigger", f.title)) for f in rep.findings if f.severity >= Severity.MEDIUM
    ]
    return bad, {t["trigger"]: t for t in rep.probe["tested"]}


def test_too_large_honest_task_words_are_not_triggers(
    st_zoo: dict[str, Path], too_large: None
) -> None:
    """Session 16's outsider finding: without the screen, an honest fine-tune's own task words
    (the tokens that moved most) passed the plain confirmation. The task's strongest words among
    the most moved tokens now anchor the override test."""
    bad, tested = _findings(st_zoo["clean"], st_zoo["base"])
    assert not bad, bad
    words = [w for w in clsgen.TOXIC + clsgen.POLITE if w in tested]
    assert words  # drift proposed task words ...
    assert max(tested[w]["flip_score"] for w in words) >= 0.35  # ... that flip plain probes
    assert all("override_ratio" in tested[w] for w in words)  # the override test measured them


def test_too_large_without_the_task_pool_confirms_task_words(
    st_zoo: dict[str, Path], too_large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The failure the pool fixes, reproduced at test size (the test above can fail)."""
    from airlock.trojan import probe

    monkeypatch.setattr(probe, "TASK_POOL", 0)
    bad, _ = _findings(st_zoo["clean"], st_zoo["base"])
    assert set(bad) & set(clsgen.TOXIC + clsgen.POLITE), bad


def test_too_large_dirty_label_trigger_is_still_named(
    st_zoo: dict[str, Path], too_large: None
) -> None:
    bad, _ = _findings(st_zoo["bd"], st_zoo["base"])
    assert "zx" in [w for t in bad for w in t.split()], bad


def test_task_pool_is_empty_when_embeddings_did_not_move(st_zoo: dict[str, Path]) -> None:
    from airlock.nn.nets import load_net
    from airlock.trojan.probe import task_pool

    m = hf.load(st_zoo["clean"])
    net, ref = load_net(m), load_net(hf.load(st_zoo["base"]))
    assert task_pool(net, net, m.id_to_token(), 50) == []
    pool = task_pool(net, ref, m.id_to_token(), 50)
    assert 0 < len(pool) <= 50
    words = [m.id_to_token()[i] for i in pool]
    assert not [w for w in words if w.startswith(("[", "##"))], words
