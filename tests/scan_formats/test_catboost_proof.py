"""AIR-CBM-001: the tree indexes of a CatBoost ``.cbm`` model core and its CTR value tables
proven in range (``airlock.scan.catboost_proof``). CatBoost writes the honest models (every grow
policy, multiclass, one-hot and every CPU CTR type, text features) and is the oracle: a
TreeSplits entry out of range crashes ``load_model``, a CTR bucket index out of range crashes
``predict_proba``, in a subprocess (red team rt13: ALLOW before, "data only").
"""

from __future__ import annotations

import functools
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from airlock.scan import catboost_proof as cbp
from airlock.scan.engine import scan_data

cb = pytest.importorskip("catboost", reason="catboost writes the reference models (ecosystem)")
np = pytest.importorskip("numpy")

ORACLE = """
import sys, numpy as np, catboost
m = catboost.CatBoostClassifier()
m.load_model(sys.argv[1])
m.predict_proba(np.zeros((4, 5)))
print("ok")
"""


@functools.cache
def _fit(kind: str) -> bytes:
    """``save_model`` output for a small model of ``kind`` (cached: fitting is the slow part)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    kw: dict[str, Any] = {"iterations": 3, "depth": 3, "verbose": 0, "thread_count": 1,
                          "allow_writing_files": False}  # fmt: skip
    data: Any = x
    if kind == "multiclass":
        kw["loss_function"] = "MultiClass"
        y = rng.integers(0, 3, 200)
    elif kind in ("Lossguide", "Depthwise"):
        kw["grow_policy"] = kind
    elif kind == "multiclass-lossguide":
        kw.update(loss_function="MultiClass", grow_policy="Lossguide", max_leaves=5)
        y = rng.integers(0, 3, 200)
    elif kind.startswith("categorical"):
        data = _cat_frame(rng)
        kw.update(cat_features=["c", "d"], one_hot_max_size=4 if kind == "categorical" else 2)
        ctr = kind.partition(":")[2]
        if ctr:
            kw.update(simple_ctr=[ctr], combinations_ctr=[ctr], iterations=8)
        if ctr == "MultiClass":
            kw = {k: v for k, v in kw.items() if "ctr" not in k}
            kw["loss_function"] = "MultiClass"
            y = rng.integers(0, 3, 200)
    elif kind == "text":
        pd = pytest.importorskip("pandas")
        words = ["good", "bad", "great", "awful", "fine", "meh"]
        text = [" ".join(rng.choice(words, 4)) for _ in range(200)]
        data = pd.DataFrame({"a": x[:, 0], "c": rng.choice(["x", "y", "z", "w"], 200), "t": text})
        y = data["t"].str.contains("good|great").astype(int).to_numpy()
        kw.update(cat_features=["c"], text_features=["t"], one_hot_max_size=1, iterations=10)
    model = cb.CatBoostRegressor(**kw) if kind == "regressor" else cb.CatBoostClassifier(**kw)
    model.fit(data, y)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.cbm"
        model.save_model(str(path))
        return path.read_bytes()


def _cat_frame(rng: Any) -> Any:
    pd = pytest.importorskip("pandas")
    return pd.DataFrame({"a": rng.normal(size=200), "c": rng.choice(["x", "y", "z"], 200),
                         "d": rng.choice([f"v{i}" for i in range(30)], 200)})  # fmt: skip


def _ctr_buckets(data: bytes) -> tuple[int, list[int]]:
    """Where the first CTR table's buckets start in ``data``, and its used buckets."""
    core = struct.unpack_from("<I", data, 4)[0]
    table_at = 8 + core + 4 + 4  # count, then the first table's size
    end = table_at + struct.unpack_from("<I", data, table_at - 4)[0]
    buf = bytes(data[table_at:end])
    table = cbp._Table(buf, struct.unpack_from("<I", buf, 0)[0])
    start, size = table.vector(cbp.TABLE_INDEX, 1)
    used = [k for k in range(size // 12)
            if struct.unpack_from("<Q", buf, start + 12 * k)[0] != cbp.EMPTY_BUCKET]  # fmt: skip
    return table_at + start, used


def _trees(data: bytes | bytearray) -> cbp._Table:
    core = bytes(data[8:])
    table = cbp._Table(core, struct.unpack_from("<I", core, 0)[0]).table(cbp.CORE_TREES)
    assert table is not None
    return table


def _set(data: bytes, field: int, index: int, fmt: str, value: int, elem: int = 4) -> bytes:
    out = bytearray(data)
    start, n = _trees(out).vector(field, elem)
    assert index < n
    struct.pack_into(fmt, out, 8 + start + index * struct.calcsize(fmt), value)
    return bytes(out)


def _rules(data: bytes) -> list[str]:
    return [f.rule_id for f in scan_data(data, "m.cbm").findings]


KINDS = ["classifier", "regressor", "multiclass", "Lossguide", "Depthwise",
         "multiclass-lossguide", "categorical", "categorical:Borders", "categorical:Buckets",
         "categorical:Counter", "categorical:BinarizedTargetMeanValue", "categorical:MultiClass",
         "text"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_honest_models_are_proven(kind: str) -> None:
    data = _fit(kind)
    core_len = struct.unpack_from("<I", data, 4)[0]
    assert cbp.verdict(data[8 : 8 + core_len], data[8 + core_len :]) is None
    assert _rules(data) == []
    if kind.startswith("categorical"):
        assert _ctr_buckets(data)[1]  # the model has CTR tables, and they were proven


def test_split_out_of_range_crashes_catboost_and_is_denied(tmp_path: Path) -> None:
    honest = _fit("classifier")
    bins = cbp._binary_features(_trees(honest))
    for value in (1_000_000, -100_000, bins):  # SIGSEGV, SIGSEGV, a silent read one past
        bad = _set(honest, cbp.SPLITS, 0, "<i", value)
        assert _rules(bad) == ["AIR-CBM-001"], value
    p = tmp_path / "bad.cbm"
    p.write_bytes(_set(honest, cbp.SPLITS, 0, "<i", 1_000_000))
    run = subprocess.run([sys.executable, "-c", ORACLE, str(p)], capture_output=True, timeout=120)
    assert run.returncode != 0 and b"ok" not in run.stdout  # the loader itself crashes


@pytest.mark.parametrize(
    ("field", "fmt", "value", "why"),
    [
        (cbp.SIZES, "<i", 12, "tree sizes add up"),
        (cbp.SIZES, "<i", -1, "tree sizes add up"),
        (cbp.STARTS, "<i", 100_000, "prefix sums"),
    ],
)
def test_sizes_and_offsets_must_agree(field: int, fmt: str, value: int, why: str) -> None:
    bad = _set(_fit("classifier"), field, 1, fmt, value)
    core = bad[8 : 8 + struct.unpack_from("<I", bad, 4)[0]]
    assert why in (cbp.verdict(core) or "")


def test_short_leaf_values_and_bad_dimension() -> None:
    honest = _fit("classifier")
    out = bytearray(honest)
    start, _ = _trees(out).vector(cbp.LEAVES, 8)
    struct.pack_into("<I", out, 8 + start - 4, 3)  # LeafValues claims 3 of 40 values
    assert _rules(bytes(out)) == ["AIR-CBM-001"]
    out = bytearray(honest)
    pos = _trees(out).field(cbp.APPROX)
    assert pos is not None
    struct.pack_into("<i", out, 8 + pos, 0)
    assert _rules(bytes(out)) == ["AIR-CBM-001"]


def test_non_symmetric_steps_and_leaf_ids() -> None:
    honest = _fit("Lossguide")
    assert _rules(_set(honest, cbp.STEPS, 0, "<H", 60_000)) == ["AIR-CBM-001"]
    start, n = _trees(honest).vector(cbp.NODE_LEAF, 4)
    ids = struct.unpack_from(f"<{n}I", honest, 8 + start)
    leaf = next(i for i in range(n) if ids[i] != cbp.NO_LEAF)
    assert _rules(_set(honest, cbp.NODE_LEAF, leaf, "<I", 50_000_000)) == ["AIR-CBM-001"]
    assert _rules(_set(honest, cbp.NODE_LEAF, leaf, "<I", cbp.NO_LEAF)) == ["AIR-CBM-001"]


def test_truncated_and_garbled_cores_never_raise() -> None:
    honest = _fit("categorical")
    core_len = struct.unpack_from("<I", honest, 4)[0]
    core = honest[8 : 8 + core_len]
    for cut in range(0, len(core), 97):
        cbp.verdict(core[:cut])
    for pos in range(0, len(core), 13):
        bad = bytearray(core)
        bad[pos] ^= 0xA5
        cbp.verdict(bytes(bad))


ORACLE_CAT = """
import sys, numpy as np, pandas as pd, catboost
m = catboost.CatBoostClassifier()
m.load_model(sys.argv[1])
rng = np.random.default_rng(0)
df = pd.DataFrame({"a": rng.normal(size=200), "c": rng.choice(["x", "y", "z"], 200),
                   "d": rng.choice([f"v{i}" for i in range(30)], 200)})
m.predict_proba(df)
print("ok")
"""


def test_ctr_bucket_index_out_of_range_crashes_predict_and_is_denied(tmp_path: Path) -> None:
    honest = _fit("categorical")
    start, used = _ctr_buckets(honest)
    for value in (2_000_000_000, len(used)):  # SIGSEGV at predict; a silent read one past
        bad = bytearray(honest)
        for k in used:
            struct.pack_into("<I", bad, start + 12 * k + 8, value)
        assert _rules(bytes(bad)) == ["AIR-CBM-001"], value
    p = tmp_path / "ctr.cbm"
    p.write_bytes(_huge_ctr(honest, start, used))
    # the loader reads far out of bounds at predict; whether that faults depends on the memory
    # layout (once in a CI run under xdist it did not), so the oracle gets three tries
    crashed = False
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", ORACLE_CAT, str(p)], capture_output=True,
                             timeout=120)  # fmt: skip
        if run.returncode != 0 and b"ok" not in run.stdout:
            crashed = True
            break
    assert crashed


def _huge_ctr(data: bytes, start: int, used: list[int]) -> bytes:
    out = bytearray(data)
    for k in used:
        struct.pack_into("<I", out, start + 12 * k + 8, 2_000_000_000)
    return bytes(out)


def test_ctr_hash_table_shape() -> None:
    honest = _fit("categorical")
    start, _ = _ctr_buckets(honest)
    full = bytearray(honest)  # every bucket used: a lookup of an unseen category never ends
    core = struct.unpack_from("<I", honest, 4)[0]
    table_at = 8 + core + 8
    buf = bytes(honest[table_at:])
    table = cbp._Table(buf, struct.unpack_from("<I", buf, 0)[0])
    _, size = table.vector(cbp.TABLE_INDEX, 1)
    for k in range(size // 12):
        struct.pack_into("<QI", full, start + 12 * k, k, 0)
    assert _rules(bytes(full)) == ["AIR-CBM-001"]
    short = bytearray(honest)  # 3 buckets fewer: not a power of two
    struct.pack_into("<I", short, start - 4, size - 36)
    assert _rules(bytes(short)) == ["AIR-CBM-001"]
    assert _rules(honest + b"\0") == ["AIR-CBM-001"]  # bytes after the parts


def _pickle_op(blob: bytes, protocol: int) -> bytes:
    """How ``blob`` (bytes) sits in a pickle: BINBYTES (3+) or protocol 2's latin-1 text."""
    if protocol >= 3:
        return blob
    text = blob.decode("latin-1").encode("utf-8")
    return b"X" + struct.pack("<I", len(text)) + text


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_pickled_estimator_model_bytes_are_proven(tmp_path: Path, protocol: int) -> None:
    """``CatBoost.__setstate__`` hands ``state["__model"]`` to the same native parser: the
    bytes held in a pickle (or joblib) file are judged as a .cbm (protocol 2's latin-1 text
    too). A crashing core in an allowlisted CatBoostClassifier pickle was ALLOW before."""
    import pickle

    model = cb.CatBoostClassifier()
    model.load_model(blob=_fit("classifier"))
    honest = pickle.dumps(model, protocol=protocol)
    blob = model._serialize_model()
    assert [f.rule_id for f in scan_data(honest, "m.pkl").findings] == []
    bad_blob = _set(blob, cbp.SPLITS, 0, "<i", 1_000_000)
    bad = honest.replace(_pickle_op(blob, protocol), _pickle_op(bad_blob, protocol))
    assert bad != honest
    assert [f.rule_id for f in scan_data(bad, "m.pkl").findings] == ["AIR-CBM-001"]
    p = tmp_path / "m.pkl"
    p.write_bytes(bad)
    run = subprocess.run(
        [sys.executable, "-c", "import pickle, sys; pickle.load(open(sys.argv[1], 'rb'))", str(p)],
        capture_output=True,
        timeout=120,
    )
    assert run.returncode != 0  # pickle.load itself crashes in CatBoost's parser


def _json_model(kind: str) -> dict[str, Any]:
    """``save_model(format="json")`` of the model ``_fit(kind)`` saved (with its training pool
    for categorical features, which CatBoost needs to write CTR tables)."""
    model = cb.CatBoost()
    model.load_model(blob=_fit(kind))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.json"
        pool = None
        if kind.startswith("categorical"):
            rng = np.random.default_rng(0)
            x = rng.normal(size=(200, 5))
            y = (x[:, 0] + x[:, 1] > 0).astype(int)
            data = _cat_frame(np.random.default_rng(0))
            data["a"] = x[:, 0]
            pool = cb.Pool(data, y, cat_features=["c", "d"])
        model.save_model(str(path), format="json", pool=pool)
        doc: dict[str, Any] = json.loads(path.read_text())
    return doc


@pytest.mark.parametrize("kind", ["classifier", "multiclass", "Lossguide",
                                  "multiclass-lossguide", "categorical"])  # fmt: skip
def test_honest_json_models_are_proven(kind: str) -> None:
    doc = _json_model(kind)
    assert cbp.looks_like_json_model(doc) and cbp.json_verdict(doc) is None
    assert _rules_json(doc) == []


def _rules_json(doc: dict[str, Any]) -> list[str]:
    return [f.rule_id for f in scan_data(json.dumps(doc).encode(), "model.json").findings]


def test_json_split_index_crashes_catboost_and_is_denied(tmp_path: Path) -> None:
    doc = _json_model("classifier")
    doc["oblivious_trees"][0]["splits"][0]["split_index"] = 1_000_000
    assert _rules_json(doc) == ["AIR-CBM-001"]
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc))
    oracle = ORACLE.replace("m.load_model(sys.argv[1])", "m.load_model(sys.argv[1], format='json')")
    run = subprocess.run([sys.executable, "-c", oracle, str(p)], capture_output=True, timeout=120)
    assert run.returncode != 0 and b"ok" not in run.stdout
    short = _json_model("classifier")
    short["oblivious_trees"][0]["leaf_values"] = short["oblivious_trees"][0]["leaf_values"][:2]
    assert _rules_json(short) == ["AIR-CBM-001"]
    tree = _json_model("Lossguide")
    node = tree["trees"][0]
    while "split" not in node:
        node = node["left"]
    node["split"]["split_index"] = -1
    assert _rules_json(tree) == ["AIR-CBM-001"]
