"""pandas DataFrame block placements out of the frame's columns.

Red team rt16pk (session 15): a DataFrame pickle is ``BlockManager(blocks, axes)`` with each
block from ``_unpickle_block(values, placement, ndim)``; pandas checks only that the
placements hold as many positions as there are columns. A placement of
``slice(10**6, 10**6 + 2, 1)`` on a two-column frame scanned clean, loaded, and ``print(df)``
crashed the process (SIGSEGV). The placements must now be proven to be exactly the columns
0..N-1 once each (airlock.scan.pandas_proof); anything else is AIR-PKL-017.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import subprocess
import sys
from typing import Any

import pytest

from airlock.scan import pandas_proof as pdp
from tests.scan_pickle.builders import analyze

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
internals = pytest.importorskip("pandas._libs.internals")
managers = pytest.importorskip("pandas.core.internals.managers")
blocks_mod = pytest.importorskip("pandas.core.internals.blocks")


def _frame() -> Any:
    # two blocks: float columns a, b (placement 0..1) and int column c (placement 2)
    return pd.DataFrame({"a": np.arange(3.0), "b": np.arange(3.0), "c": np.arange(3)})


def _dumps(obj: Any, placements: list[Any] | None = None, setstate: bool = False) -> bytes:
    """Pickle ``obj`` as pandas does, with the blocks' placements replaced in order, or its
    BlockManager written as copyreg._reconstructor + __setstate__ (older pandas' form)."""
    todo = list(placements or [])

    class P(pickle.Pickler):
        def reducer_override(self, o: Any) -> Any:
            if isinstance(o, blocks_mod.Block) and todo:
                return (internals._unpickle_block, (o.values, todo.pop(0), o.ndim))
            if setstate and type(o) is managers.BlockManager:
                return (copyreg._reconstructor, (type(o), object, None), o.__getstate__())
            return NotImplemented

    buf = io.BytesIO()
    P(buf, protocol=4).dump(obj)
    return buf.getvalue()


def _rules(data: bytes) -> list[str]:
    return [f.rule_id for f in analyze(data).findings]


HOSTILE = {
    "out_of_range": [slice(10**6, 10**6 + 2, 1), slice(2, 3, 1)],
    "huge": [slice(2**40, 2**40 + 2, 1), slice(2, 3, 1)],
    "negative": [slice(-2, 0, 1), slice(2, 3, 1)],
    "overlap": [slice(0, 2, 1), slice(1, 2, 1)],
    "duplicated": [np.array([0, 0]), slice(2, 3, 1)],
    "gap": [slice(0, 4, 2), slice(3, 4, 1)],
    "array_out_of_range": [np.array([0, 1]), np.array([7])],
    "reversed": [slice(1, -1, -1), slice(2, 3, 1)],
    "open_slice": [slice(None, 2, None), slice(2, 3, 1)],
    "rows_mismatch": [slice(0, 1, 1), slice(1, 3, 1)],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_placements_are_not_proven(case: str) -> None:
    data = _dumps(_frame(), HOSTILE[case])
    assert "AIR-PKL-017" in _rules(data)


def test_setstate_manager_is_not_proven() -> None:
    # pandas' BlockManager.__setstate__ builds the blocks and checks nothing
    data = _dumps(_frame(), setstate=True)
    assert "AIR-PKL-017" in _rules(data)


def _honest() -> dict[str, Any]:
    n = 4
    d = pd.DataFrame({"a": range(n)})
    for i in range(6):
        d[f"c{i}"] = np.arange(n) * i if i % 2 else [f"s{i}"] * n
    d.insert(2, "ins", 1.5)  # not consolidated: array placements
    return {
        "plain": _frame(),
        "reordered": _frame()[["c", "a", "b"]],
        "inserts": d,
        "dropped": pd.DataFrame(np.ones((3, 6))).drop(columns=[1, 4]),
        "cat_tz": pd.DataFrame(
            {
                "c": pd.Categorical(list("abca")),
                "t": pd.date_range("2020", periods=n, tz="UTC"),
                "i": pd.array([1, None, 3, 4], dtype="Int64"),
            }
        ),
        "multi": pd.DataFrame(
            np.arange(12.0).reshape(3, 4), columns=pd.MultiIndex.from_product([["a", "b"], [1, 2]])
        ),
        "empty": pd.DataFrame(),
        "empty_cols": pd.DataFrame(columns=["a", "b"]),
        "single": pd.DataFrame({"a": [1.0]}),
        "two_tz": pd.DataFrame(  # one DatetimeTZ block of two columns (2-D DatetimeArray)
            {
                "t": pd.date_range("2020", periods=2, tz="UTC"),
                "u": pd.date_range("2021", periods=2, tz="UTC"),
            }
        ),
        "series": pd.Series([1.0, 2.0]),
    }


@pytest.mark.parametrize("name", sorted(_honest()))
@pytest.mark.parametrize("proto", [2, 4, 5])
def test_honest_frames_stay_clean(name: str, proto: int) -> None:
    data = pickle.dumps(_honest()[name], protocol=proto)
    assert _rules(data) == []


def test_verdict_unit() -> None:
    none = lambda v: "no array"  # noqa: E731
    ok = [((0, 2, 1), 2, 2), ((2, 3, 1), None, 2)]
    assert pdp.verdict(ok, none) is None
    assert pdp.verdict([], none) is None
    assert pdp.verdict([((0, 3, 2), None, 2), ((1, 2, 1), None, 2)], none) is None
    assert pdp.verdict([((0, 2, 1), None, 1)], none) is not None  # ndim
    assert pdp.verdict([((0, 2**62, 1), None, 2)], none) is not None  # too large
    assert pdp.verdict([((0, 2, 0), None, 2)], none) is not None  # step 0
    assert pdp.verdict(["not made by _unpickle_block"], none) is not None


def test_oracle_out_of_range_crashes_pandas() -> None:
    """The bug this guards (in a child process): the hostile frame loads and print crashes."""
    data = _dumps(_frame(), HOSTILE["out_of_range"])
    code = "import pickle,sys\ndf = pickle.loads(sys.stdin.buffer.read())\nprint(df)\n"
    proc = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=120
    )
    assert proc.returncode != 0  # SIGSEGV (-11) in pandas 3.1.1


def _old_dumps(df: Any, locs: list[Any] | None = None, items: Any = None, proto: int = 4) -> bytes:
    """``df`` with its BlockManager as pandas < 1.4 wrote it: ``copyreg.__newobj__`` and the
    ``(axes, values, items, {'0.14.1': {'axes', 'blocks'}})`` state ``__setstate__`` reads,
    optionally with other placements or another items Index."""

    def state(mgr: Any) -> Any:
        axes = list(mgr.axes)
        if items is not None:
            axes[0] = items
        blocks = [
            {"values": b.values, "mgr_locs": b.mgr_locs.indexer if locs is None else locs[i]}
            for i, b in enumerate(mgr.blocks)
        ]
        values = [b.values for b in mgr.blocks]
        return (axes, values, [axes[0]] * len(values), {"0.14.1": {"axes": axes, "blocks": blocks}})

    class P(pickle.Pickler):
        def reducer_override(self, o: Any) -> Any:
            if type(o) is managers.BlockManager:
                return (copyreg.__newobj__, (type(o),), state(o))
            return NotImplemented

    buf = io.BytesIO()
    P(buf, protocol=proto).dump(df)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["plain", "reordered", "inserts", "dropped", "cat_tz", "single"])
@pytest.mark.parametrize("proto", [2, 4])
def test_old_setstate_managers_are_proven(name: str, proto: int) -> None:
    """Session 16 (rt17pk): pandas < 1.4's __setstate__ form was denied whatever it held; it
    is proven like BlockManager(blocks, axes), N being the items' length (an FP fix)."""
    assert _rules(_old_dumps(_honest()[name], proto=proto)) == []


OLD_HOSTILE = {
    "out_of_range": {"locs": [slice(10**6, 10**6 + 2, 1), slice(2, 3, 1)]},
    "more_than_items": {"items": pd.Index(["a", "b"])},
    "fewer_than_items": {"items": pd.Index(["a", "b", "c", "d"])},
    "rows_mismatch": {"locs": [slice(0, 1, 1), slice(1, 3, 1)]},
    "overlap": {"locs": [slice(0, 2, 1), slice(1, 2, 1)]},
}


@pytest.mark.parametrize("case", sorted(OLD_HOSTILE))
def test_old_setstate_managers_out_of_their_items_are_not_proven(case: str) -> None:
    assert "AIR-PKL-017" in _rules(_old_dumps(_frame(), **OLD_HOSTILE[case]))


def test_oracle_old_setstate_forms() -> None:
    """The real loader (child process): the honest old form loads as the frame; placements
    past the items crash it while loading (an unchecked write)."""
    code = "import pickle,sys\ndf = pickle.loads(sys.stdin.buffer.read())\nprint(df.sum().sum())\n"
    run = [sys.executable, "-c", code]
    ok = subprocess.run(run, input=_old_dumps(_frame()), capture_output=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.strip() == b"9.0", ok.stderr[-300:]
    bad = _old_dumps(_frame(), **OLD_HOSTILE["out_of_range"])
    proc = subprocess.run(run, input=bad, capture_output=True, timeout=120)
    assert proc.returncode != 0  # SIGSEGV (-11) in pandas 3.1.1
