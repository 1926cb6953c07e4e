"""word2vec binary vectors: honest files from gensim's saver and the C tool's layout are
recognised and clean; files that only start like one are AIR-W2V-000 (blocking), and
text-format vectors stay with the text handler."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from airlock.scan.engine import scan_data
from airlock.scan.result import FileResult


def _c_tool(words: list[str], dim: int, newline: bool = True, seed: int = 0) -> bytes:
    """The layout word2vec.c writes: header, then word, space, float32 values, newline."""
    vecs = np.random.default_rng(seed).normal(size=(len(words), dim)).astype("<f4")
    out = [f"{len(words)} {dim}\n".encode()]
    for w, v in zip(words, vecs, strict=True):
        out.append(w.encode() + b" " + v.tobytes() + (b"\n" if newline else b""))
    return b"".join(out)


def _fmt(report: FileResult) -> str:
    return report.objects[0].format


def _rules(report: FileResult) -> set[str]:
    return {f.rule_id for f in report.findings}


WORDS = ["the", "naïve", "mot-clé", "</s>", "x" * 40, "中文"]


@pytest.mark.parametrize("newline", [True, False])
@pytest.mark.parametrize("dim", [1, 7, 300])
def test_c_tool_layouts_are_clean(newline: bool, dim: int) -> None:
    report = scan_data(_c_tool(WORDS, dim, newline), "vectors.bin")
    assert _fmt(report) == "word2vec-binary"
    assert not report.findings


def test_gensim_binary_saves_are_clean_and_the_loader_agrees(tmp_path: Path) -> None:
    models = pytest.importorskip("gensim.models")
    corpus = [[WORDS[(i * j) % len(WORDS)] for j in range(6)] for i in range(30)]
    for dim in (4, 33):
        w2v = models.Word2Vec(corpus, vector_size=dim, min_count=1, workers=1, seed=dim)
        path = tmp_path / f"kv{dim}.bin"
        w2v.wv.save_word2vec_format(str(path), binary=True)
        report = scan_data(path.read_bytes(), path.name)
        assert _fmt(report) == "word2vec-binary" and not report.findings
    # the hand-built layouts load in gensim (a child process: the loader is an oracle only)
    c_path = tmp_path / "c.bin"
    c_path.write_bytes(_c_tool(WORDS, 5))
    code = (
        "import sys; from gensim.models import KeyedVectors as K;"
        "kv = K.load_word2vec_format(sys.argv[1], binary=True); print(len(kv), kv.vector_size)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(c_path)], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.split() == [str(len(WORDS)), "5"], out.stderr


@pytest.mark.parametrize(
    "data",
    [
        _c_tool(WORDS, 4).replace(b"6 4\n", b"7 4\n", 1),  # one entry short
        _c_tool(WORDS, 4).replace(b"6 4\n", b"99999999999 4\n", 1),  # header past the file
        _c_tool(WORDS, 4) + pickle.dumps(print),  # a pickle after the last vector
        _c_tool(WORDS, 4) + b"\n" * 200,  # a long tail
        b"1 4\n\xff" + b"a" * 5000 + b" " + bytes(16),  # a word past the bound
    ],
)
def test_broken_files_are_denied(data: bytes) -> None:
    report = scan_data(data, "vectors.bin")
    assert "AIR-W2V-000" in _rules(report), report.findings
    assert report.objects[0].status == "not_scanned"  # not judged: the gate denies


def test_a_text_head_before_binary_is_not_scanned() -> None:
    """A first word long enough to fill the head with text: not sniffed as word2vec (the text
    handler's), and not judged either."""
    report = scan_data(_c_tool(["a" * 5000], 4), "vectors.bin")
    assert report.objects[0].status == "not_scanned"


def test_text_vectors_stay_text() -> None:
    text = b"2 3\nthe 0.1 0.2 0.3\ncat -1 0 1\n"
    report = scan_data(text, "vectors.txt")
    assert _fmt(report) != "word2vec-binary" and not report.findings
