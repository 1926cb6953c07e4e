"""fp20 (session 19): honest artifacts the fp20 grid (``bench/fp20_grid.py``) found denied,
each with a malicious variant of the same shape that stays denied."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path
from typing import Any

import pytest

import airlock

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

from pyarrow.lib import _restore_array, py_buffer  # noqa: E402


def _rules(path: Path) -> set[str]:
    return {
        f.rule_id for f in airlock.scan(path).findings if str(f.severity) in ("high", "critical")
    }


class _Evil:
    def __init__(self, data: tuple[Any, ...]) -> None:
        self.data = data

    def __reduce__(self) -> Any:
        return (_restore_array, (self.data,))


# -- Arrow buffers over 64 KiB at protocol 2: bytearray(_codecs.encode(<text>, 'latin1')) ----


@pytest.mark.parametrize("rows", [20_000, 300_000])
def test_arrow_string_column_protocol2_large_is_clean(tmp_path: Path, rows: int) -> None:
    s = pd.Series([f"row{i}\xe9" for i in range(rows)], dtype="string[pyarrow]")
    path = tmp_path / "df.pkl"
    path.write_bytes(pickle.dumps(pd.DataFrame({"s": s, "i": range(rows)}), protocol=2))
    assert _rules(path) == set()
    back = pickle.loads(path.read_bytes())
    assert back["s"].iloc[-1] == f"row{rows - 1}\xe9"


def test_arrow_int_array_protocol2_large_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "a.pkl"
    path.write_bytes(pickle.dumps(pa.array(range(50_000), pa.int64()), protocol=2))
    assert _rules(path) == set()


def _offsets_past(n: int) -> tuple[Any, ...]:
    offsets = struct.pack(f"<{n + 1}q", *range(n), 1 << 40)  # 8 (n + 1) bytes > 64 KiB
    return (pa.large_string(), n, 0, 0, [None, py_buffer(offsets), py_buffer(b"x" * n)], [], None)


def test_arrow_large_offsets_past_values_protocol2_denied(tmp_path: Path) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"col": _Evil(_offsets_past(20_000))}, protocol=2))
    assert "AIR-PKL-015" in _rules(path)


def test_arrow_large_text_not_latin1_denied(tmp_path: Path) -> None:
    """The same call with a text that is not Latin-1 (the real encode raises): not proven."""
    honest = tmp_path / "h.pkl"
    honest.write_bytes(pickle.dumps(pa.array(range(20_000), pa.int64()), protocol=2))
    raw = honest.read_bytes()
    # BINUNICODE of the values' text: replace its first character (U+0000) with U+0100
    at = raw.index(b"X", raw.index(b"_codecs\nencode"))
    length = struct.unpack("<I", raw[at + 1 : at + 5])[0]
    assert length > 64 * 1024 and raw[at + 5] == 0
    body = "\u0100".encode() + raw[at + 6 : at + 5 + length]
    bad = raw[:at] + b"X" + struct.pack("<I", len(body)) + body + raw[at + 5 + length :]
    path = tmp_path / "evil.pkl"
    path.write_bytes(bad)
    assert "AIR-PKL-015" in _rules(path)


# -- joblib object arrays read as pickle.load would (outer memo): a str shape is TypeError --


@pytest.mark.parametrize("protocol", [4, 5, None])
def test_joblib_object_column_frame_is_clean(tmp_path: Path, protocol: int | None) -> None:
    joblib = pytest.importorskip("joblib")
    np = pytest.importorskip("numpy")
    g = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "c": pd.Categorical(g.choice(["lo", "mid", "hi"], 500), ordered=True),
            "o": pd.Series([None if i % 7 == 0 else f"o{i}" for i in range(500)], dtype=object),
            "n": g.normal(size=500),
        }
    ).describe(include="all")
    path = tmp_path / "d.joblib"
    joblib.dump(df[["o"]], path, protocol=protocol)
    assert _rules(path) == set()


class _Call:
    def __init__(self, fn: Any, args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args

    def __reduce__(self) -> Any:
        return (self.fn, self.args)


@pytest.mark.parametrize(
    "args",
    [
        (b"\xff\xff\xff\xff",),  # bytes are a shape: (255, 255, 255, 255)
        ("", "V1500000000"),  # '' is the shape (): the dtype still counts
        ((1 << 20, 1 << 10),),
    ],
)
def test_ndarray_allocating_shapes_still_denied(tmp_path: Path, args: tuple[Any, ...]) -> None:
    np = pytest.importorskip("numpy")
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"a": _Call(np.ndarray, args)}, protocol=4))
    assert "AIR-PKL-009" in _rules(path)


# -- allowlist additions (fp20-nltk-snowball/-stem-values/-tree, fp20-river-ensembles, optuna
# gamma functions): real saves clean; calls, and APPEND after a BUILD, stay denied -----------


def _g(mod: str, name: str) -> bytes:
    return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"


def _scan_bytes(tmp_path: Path, raw: bytes) -> set[str]:
    path = tmp_path / "evil.pkl"
    path.write_bytes(raw)
    return _rules(path)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_nltk_tree_and_snowball_pickles_clean(tmp_path: Path, protocol: int) -> None:
    nltk = pytest.importorskip("nltk")
    from nltk.stem import SnowballStemmer

    tree = nltk.Tree.fromstring("(S (NP (D the) (N cat)) (VP (V sat) (PP (P on) (NP mat))))")
    stemmers = [SnowballStemmer(lang) for lang in ("english", "german", "porter", "russian")]
    path = tmp_path / "nlp.pkl"
    path.write_bytes(pickle.dumps({"tree": tree, "stem": stemmers}, protocol=protocol))
    assert _rules(path) == set()
    back = pickle.loads(path.read_bytes())
    assert back["tree"] == tree and back["stem"][0].stem("running") == "run"


def test_nltk_tree_append_after_build_denied(tmp_path: Path) -> None:
    """BUILD {'extend': print} then APPEND: the C unpickler calls the instance's extend
    (print, in a subprocess: the marker is printed); the scan says AIR-PKL-019."""
    raw = (
        b"\x80\x02"
        + _g("nltk.tree.tree", "Tree")
        + b")\x81}X\x06\x00\x00\x00extend"
        + _g("builtins", "print")
        + b"sbX\x06\x00\x00\x00MARKERa."
    )
    assert "AIR-PKL-019" in _scan_bytes(tmp_path, raw)


@pytest.mark.parametrize(
    ("mod", "name", "args"),
    [
        ("nltk.tree.tree", "Tree", b"X\x01\x00\x00\x00S]\x86"),
        ("nltk.stem.snowball", "SnowballStemmer", b"X\x07\x00\x00\x00english\x85"),
        ("river.ensemble.bagging", "ADWINBaggingClassifier", b")"),
        ("optuna.samplers._tpe.sampler", "default_gamma", b"\x8a\x01\x05\x85"),
    ],
)
def test_admitted_names_called_denied(tmp_path: Path, mod: str, name: str, args: bytes) -> None:
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, b"\x80\x02" + _g(mod, name) + args + b"R.")


def test_snowball_bound_stem_called_denied(tmp_path: Path) -> None:
    raw = (
        b"\x80\x02"
        + _g("builtins", "getattr")
        + _g("nltk.stem.snowball", "EnglishStemmer")
        + b")\x81X\x04\x00\x00\x00stem\x86RX\x07\x00\x00\x00runningu\x85R."
    ).replace(b"u\x85R", b"\x85R")
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, raw)


def test_river_adwin_bagging_and_append_on_userlist(tmp_path: Path) -> None:
    pytest.importorskip("river")
    from river import datasets, ensemble, tree

    model = ensemble.ADWINBaggingClassifier(tree.HoeffdingTreeClassifier(), n_models=2, seed=1)
    for x, y in list(datasets.Phishing())[:40]:
        model.learn_one(x, y)
    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps(model, protocol=4))
    assert _rules(path) == set()
    raw = b"\x80\x02" + _g("river.ensemble.bagging", "ADWINBaggingClassifier") + b")\x81K\x01a."
    assert "AIR-PKL-019" in _scan_bytes(tmp_path, raw)


def test_optuna_tpe_study_clean(tmp_path: Path) -> None:
    optuna = pytest.importorskip("optuna")
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(lambda t: t.suggest_float("a", -1, 1) ** 2, n_trials=3)
    path = tmp_path / "s.pkl"
    path.write_bytes(pickle.dumps(study, protocol=4))
    assert _rules(path) == set()
