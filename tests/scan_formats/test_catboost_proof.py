"""AIR-CBM-001: the tree indexes of a CatBoost ``.cbm`` model core proven in range
(``airlock.scan.catboost_proof``). CatBoost writes the honest models (every grow policy,
multiclass, one-hot and CTR categorical features) and is the oracle: a TreeSplits entry out of
range crashes ``load_model`` in a subprocess (red team rt13: ALLOW before, "data only").
"""

from __future__ import annotations

import functools
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
    elif kind == "categorical":
        pd = pytest.importorskip("pandas")
        data = pd.DataFrame({"a": x[:, 0], "c": rng.choice(["x", "y", "z"], 200),
                             "d": rng.choice([f"v{i}" for i in range(30)], 200)})  # fmt: skip
        kw.update(cat_features=["c", "d"], one_hot_max_size=4)
    model = cb.CatBoostRegressor(**kw) if kind == "regressor" else cb.CatBoostClassifier(**kw)
    model.fit(data, y)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.cbm"
        model.save_model(str(path))
        return path.read_bytes()


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
         "multiclass-lossguide", "categorical"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_honest_models_are_proven(kind: str) -> None:
    data = _fit(kind)
    core = data[8 : 8 + struct.unpack_from("<I", data, 4)[0]]
    assert cbp.verdict(core) is None
    assert _rules(data) == []


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
