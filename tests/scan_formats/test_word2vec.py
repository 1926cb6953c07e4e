"""word2vec binary vectors: honest files from gensim's saver and the C tool's layout are
recognised and clean; files that only start like one are AIR-W2V-000 (blocking), and
text-format vectors stay with the text handler."""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from airlock.formats.source import Source
from airlock.scan.engine import scan_data
from airlock.scan.handlers import word2vec as w2v
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


def _old_walk(src: Source) -> str | tuple[int, int]:
    """The walker before review14 (one read per entry): the reference the buffered one must
    agree with, message for message."""
    got = w2v._header(src.head)
    if got is None:
        return "no '<count> <size>' header line"
    count, size, pos = got
    vec = 4 * size
    if count * (vec + 1) > src.size:
        return f"{count} entries of {vec} bytes do not fit in {src.size} bytes"
    for i in range(count):
        space = src.read_at(pos, w2v.MAX_WORD + 1).find(b" ")
        if space < 0:
            return f"entry {i}: no space within {w2v.MAX_WORD} bytes (a word too long, or the end)"
        pos += space + 1
        if pos + vec > src.size:
            return f"entry {i}: its {size} values run past the end"
        pos += vec
    rest = src.read_at(pos, min(src.size - pos, 65))
    if len(rest) > 64 or rest.strip(b"\r\n"):
        return f"{src.size - pos} bytes after the last of {count} entries"
    return count, size


def _random_file(rng: random.Random, max_word: int) -> bytes:
    """Near-valid files: vector bytes full of spaces and newlines, words at and past the
    limit, a wrong count, a cut or junk at the end."""
    size = rng.choice([1, 1, 2, 3])
    n = rng.randint(1, 60)
    out = bytearray(f"{n + rng.choice([0, 0, 0, 1, -1]) or 1} {size}\n".encode())
    for _ in range(n):
        out += b"\n" * rng.choice([0, 1]) + bytes(
            rng.choice(b"ab\n")
            for _ in range(
                max_word + 1 if rng.random() < 0.005 else rng.choice([0, 1, 3, max_word - 1])
            )
        )
        out += b" " + bytes(rng.choice(b"  \nxy\0") for _ in range(4 * size))
    tail = rng.choice([b"", b"\n", b"\r\n", b"junk", b"\n" * 70])
    out += tail
    if rng.random() < 0.2:
        del out[rng.randrange(8, len(out)) :]
    return bytes(out)


@pytest.mark.parametrize("small", [True, False])
def test_buffered_walk_agrees_with_the_per_entry_walk(
    small: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review14: the walker read 4 KB per entry (tiny vectors: ~3 MB/s); the buffered,
    batched one must give the same result on every file. ``small``: a buffer, batch and word
    limit so small that batches and refills cross entry boundaries everywhere."""
    if small:
        monkeypatch.setattr(w2v, "MAX_WORD", 6)
        monkeypatch.setattr(w2v, "_CHUNK", 40)
        monkeypatch.setattr(w2v, "_BATCH", 3)
    rng = random.Random(14)
    outcomes = set()
    for _ in range(1500):
        data = _random_file(rng, w2v.MAX_WORD if small else 8)
        src = Source(data)
        old = _old_walk(src)
        assert w2v.walk(src) == old, data
        outcomes.add(old if isinstance(old, tuple) else old.split(":")[0].split(" ")[0])
    assert len(outcomes) > 5  # accepted files and each kind of refusal were drawn
