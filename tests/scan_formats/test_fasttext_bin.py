"""fastText binary models (fp17: gensim's ``save_facebook_model`` files were "not scanned"):
an honest file is clean; one whose counts disagree, whose matrices have another shape, that is
cut or has bytes after it, is AIR-FT-000. gensim's own loader is the oracle for the honest file."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

import airlock
from airlock.scan.handlers.fasttext import MAGIC

gensim_models = pytest.importorskip("gensim.models")


def _save(tmp_path: Path, bucket: int = 100) -> Path:
    from gensim.models.fasttext import save_facebook_model

    words = [f"w{i}" for i in range(20)] + ["naïve"]
    corpus = [[words[(i * 3 + j) % len(words)] for j in range(6)] for i in range(30)]
    ft = gensim_models.FastText(corpus, vector_size=4, min_count=1, workers=1, seed=1,
                                bucket=bucket)
    path = tmp_path / "ft.bin"
    save_facebook_model(ft, str(path))
    return path


def _rules(path: Path) -> set[str]:
    return {f.rule_id for f in airlock.check(path).findings}


def test_honest_facebook_model_is_clean_and_loads(tmp_path: Path) -> None:
    path = _save(tmp_path)
    assert path.read_bytes()[:4] == MAGIC
    result = airlock.check(path)
    assert result.allowed, result.findings
    from gensim.models.fasttext import load_facebook_model

    assert load_facebook_model(str(path)).wv.vector_size == 4


def _patch(path: Path, offset: int, fmt: str, value: int) -> None:
    data = bytearray(path.read_bytes())
    struct.pack_into(fmt, data, offset, value)
    path.write_bytes(bytes(data))


_DICT = 8 + 56  # after the magic, version and arguments


@pytest.mark.parametrize(
    ("offset", "fmt", "value"),
    [
        (4, "<i", 13),  # a version the tool does not read
        (8, "<i", 9),  # dim 9: the matrices hold 4 values per row
        (8 + 32, "<i", 7),  # bucket 7: the input matrix has nwords + 100 rows
        (_DICT, "<i", 30),  # dictionary size past the entries
        (_DICT + 4, "<i", 40),  # nwords larger than the dictionary
        (_DICT + 8, "<i", 3),  # labels the dictionary does not hold
    ],
)
def test_disagreeing_header_is_unparseable(tmp_path: Path, offset: int, fmt: str,
                                           value: int) -> None:
    path = _save(tmp_path)
    _patch(path, offset, fmt, value)
    assert "AIR-FT-000" in _rules(path)


def test_cut_or_padded_file_is_unparseable(tmp_path: Path) -> None:
    path = _save(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-4])
    assert "AIR-FT-000" in _rules(path)
    path.write_bytes(data + b"\0" * 8)
    assert "AIR-FT-000" in _rules(path)


def test_entry_of_the_wrong_type_is_unparseable(tmp_path: Path) -> None:
    path = _save(tmp_path)
    data = bytearray(path.read_bytes())
    first_nul = data.index(b"\0", _DICT + 28)
    data[first_nul + 9] = 1  # the first word marked as a label
    path.write_bytes(bytes(data))
    assert "AIR-FT-000" in _rules(path)


def _build(*, bucket: int = 0, minn: int = 0, maxn: int = 0, word_ngrams: int = 1,
           model: int = 2, prune: list[tuple[int, int]] | None = None) -> bytes:
    """A model as the tool lays it out (dense, or quantized with a prune index): review16 F6/F7."""
    words = [b"</s>", b"hello", b"world"]
    dim = 4
    out = MAGIC + struct.pack("<i", 12)
    out += struct.pack("<12id", dim, 5, 5, 1, 5, word_ngrams, 2, model, bucket, minn, maxn,
                       100, 1e-4)
    nlabels = 0
    out += struct.pack("<iiiqq", len(words), len(words), nlabels, 10,
                       -1 if prune is None else len(prune))
    for w in words:
        out += w + b"\0" + struct.pack("<qb", 3, 0)
    if prune is None:
        rows = len(words) + bucket
        out += b"\0" + struct.pack("<qq", rows, dim) + b"\0" * (4 * rows * dim)
    else:
        out += b"".join(struct.pack("<ii", k, v) for k, v in prune)
        rows, nsubq, dsub = len(words) + len(prune), 2, 2
        out += b"\1" + struct.pack("<?qqi", False, rows, dim, rows * nsubq) + bytes(rows * nsubq)
        out += struct.pack("<iiii", dim, nsubq, dsub, dsub) + b"\0" * (4 * dim * 256)
    orows = nlabels if model == 3 else len(words)
    out += b"\0" + struct.pack("<qq", orows, dim) + b"\0" * (4 * orows * dim)
    return out


@pytest.mark.parametrize(
    "kw",
    [
        {"bucket": 0, "minn": 3, "maxn": 6},  # initNgrams: hash % 0 at load (SIGFPE)
        {"bucket": 0, "maxn": 1},
        {"bucket": 0, "word_ngrams": 2, "model": 3},  # addWordNgrams at predict: h % 0
        {"bucket": 1, "minn": 3, "maxn": 6, "prune": [(0, 10**8)]},  # row past the matrix
        {"bucket": 1, "minn": 3, "maxn": 6, "prune": [(0, 0), (5, 2)]},  # row 2 of 2
        {"bucket": 1, "minn": 3, "maxn": 6, "prune": [(0, -1)]},  # a word's row, or before
    ],
)
def test_loader_division_or_index_out_of_range_is_unparseable(tmp_path: Path,
                                                               kw: dict[str, object]) -> None:
    path = tmp_path / "m.bin"
    path.write_bytes(_build(**kw))  # type: ignore[arg-type]
    assert "AIR-FT-000" in _rules(path)


@pytest.mark.parametrize(
    "kw",
    [
        {"bucket": 0},  # the tool's own bucket 0: no subwords, no word n-grams
        {"bucket": 10, "minn": 3, "maxn": 6},
        {"bucket": 1, "minn": 3, "maxn": 6, "prune": [(0, 1), (7, 0)]},
    ],
)
def test_consistent_builds_stay_clean(tmp_path: Path, kw: dict[str, object]) -> None:
    path = tmp_path / "m.bin"
    path.write_bytes(_build(**kw))  # type: ignore[arg-type]
    assert airlock.check(path).allowed
