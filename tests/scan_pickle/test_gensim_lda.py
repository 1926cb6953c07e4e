"""gensim ``LdaModel.save`` folders (fp14): the model pickle, its ``.state`` (an ``LdaState``) and
``.id2word`` siblings. ``LdaModel.load`` unpickles both siblings, so the model file passes only
in a scan that judged them as files too: a folder check of an honest save is clean, a check of
the one file is not, and a crafted sibling denies the folder."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import airlock
from airlock.scan.engine import scan_data

gensim_models = pytest.importorskip("gensim.models")
corpora = pytest.importorskip("gensim.corpora")


class _Touch:
    """A pickle that opens (creates) a marker file at load: the harmless stand-in for code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def _save(folder: Path, sep: bool, topics: int = 3, multicore: bool = False) -> Path:
    words = [f"w{i}" for i in range(30)]
    corpus = [[words[(i * 7 + j * 3) % 30] for j in range(8)] for i in range(40)]
    dct = corpora.Dictionary(corpus)
    bow = [dct.doc2bow(d) for d in corpus]
    if multicore:  # an LdaModel subclass with LdaModel's load and save
        lda = gensim_models.LdaMulticore(bow, id2word=dct, num_topics=topics, workers=1)
    else:
        lda = gensim_models.LdaModel(bow, id2word=dct, num_topics=topics, random_state=1)
    folder.mkdir()
    path = folder / "lda.model"
    lda.save(str(path), **({"sep_limit": 0} if sep else {}))
    return path


def _rules(result: airlock.CheckResult) -> set[str]:
    return {f.rule_id for f in result.findings}


@pytest.mark.parametrize(("sep", "multicore"), [(False, False), (True, False), (False, True)])
def test_honest_lda_folder_is_clean_and_the_lone_file_is_not(
    tmp_path: Path, sep: bool, multicore: bool
) -> None:
    path = _save(tmp_path / "m", sep, multicore=multicore)
    assert {p.name for p in path.parent.iterdir()} >= {
        "lda.model",
        "lda.model.state",
        "lda.model.id2word",
    }
    folder = airlock.check(path.parent)
    assert folder.allowed, folder.findings
    lone = airlock.check(path)
    assert not lone.allowed and "AIR-PKL-018" in _rules(lone)


def test_lda_bytes_without_a_path_keep_the_finding(tmp_path: Path) -> None:
    path = _save(tmp_path / "m", False)
    report = scan_data(path.read_bytes(), "lda.model")
    assert any(f.rule_id == "AIR-PKL-018" for f in report.findings)


@pytest.mark.parametrize("sibling", ["lda.model.state", "lda.model.id2word"])
def test_crafted_sibling_denies_the_folder_and_really_runs(tmp_path: Path, sibling: str) -> None:
    path = _save(tmp_path / "m", False)
    marker = tmp_path / "ran"
    (path.parent / sibling).write_bytes(pickle.dumps(_Touch(marker), protocol=2))
    assert not airlock.check(path.parent).allowed
    # the oracle: gensim's own load unpickles the sibling (a child process; payload harmless)
    code = "import sys; from gensim.models import LdaModel; LdaModel.load(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=120)
    assert marker.exists()


def test_missing_sibling_keeps_the_finding(tmp_path: Path) -> None:
    path = _save(tmp_path / "m", False)
    (path.parent / "lda.model.id2word").unlink()
    result = airlock.check(path.parent)
    assert not result.allowed and "AIR-PKL-018" in _rules(result)


def test_siblings_of_another_model_do_not_count(tmp_path: Path) -> None:
    """A folder holding the model, with the siblings of a different name beside it."""
    path = _save(tmp_path / "m", False)
    for ext in (".state", ".id2word"):
        shutil.move(str(path) + ext, str(path.parent / f"other.model{ext}"))
    result = airlock.check(path.parent)
    assert not result.allowed and "AIR-PKL-018" in _rules(result)
