"""Items added to an allowlisted object run that object's own method (AIR-PKL-019).

Red team rt15pk (session 14): APPEND on a river SWINN index runs ``SWINN.append``, which calls
the ``dist_func`` from the pickled state on the new item and a stored one; with
``optuna.study.study.Study`` there (allowed as a value) that is ``Study(name, "sqlite:///PATH")``,
which creates a database file at a path the pickle chose. The scanner used to judge only the
items, never the method. Now APPEND/APPENDS/SETITEM/SETITEMS/ADDITEMS are allowed only on the
policy's ``item_targets`` (dicts, lists, deques, sets and reviewed subclasses that only store).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    glob,
    rules,
    s,
)

NEWOBJ = b"\x81"
APPEND = b"a"
APPENDS = b"e"
SETITEMS = b"u"
EMPTY_LIST = b"]"


def _new(module: str, name: str) -> bytes:
    return glob(module, name) + EMPTY_TUPLE + NEWOBJ


def _swinn_append(path: Path, marker: Path) -> None:
    from optuna.study.study import Study
    from river.neighbors.ann.swinn import SWINN

    def dist(a: object, b: object) -> float:
        return 0.0

    index = SWINN(graph_k=2, dist_func=dist, maxlen=20, warm_up=3, seed=1)
    for _ in range(5):
        index.append(f"sqlite:///{marker}")
    index.dist_func = Study  # type: ignore[assignment]
    body = pickle.dumps(index, protocol=4)
    path.write_bytes(body[:-1] + s("study") + APPEND + STOP)


def test_swinn_append_with_a_state_callable_is_denied_and_really_writes(tmp_path: Path) -> None:
    pytest.importorskip("river")
    pytest.importorskip("optuna")
    pytest.importorskip("sqlalchemy")
    path, marker = tmp_path / "swinn.pkl", tmp_path / "marker.db"
    _swinn_append(path, marker)
    assert "AIR-PKL-019" in rules(analyze(path.read_bytes()))
    # the oracle: the real loader creates the file the pickle names (harmless empty database)
    code = "import pickle,sys\ntry: pickle.load(open(sys.argv[1],'rb'))\nexcept Exception: pass"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=120, check=False)
    assert marker.exists()


@pytest.mark.parametrize(
    "body",
    [
        _new("river.neighbors.ann.swinn", "SWINN") + s("x") + APPEND,
        _new("river.neighbors.ann.swinn", "SWINN") + MARK + s("x") + s("y") + APPENDS,
        _new("pandas.core.frame", "DataFrame") + s("k") + s("v") + SETITEM,
        _new("numpy.random._generator", "Generator") + MARK + s("k") + s("v") + SETITEMS,
        # OrderedDict looks extend/append up on the instance: a BUILD can plant them
        _new("collections", "OrderedDict") + s("x") + APPEND,
        glob("collections", "OrderedDict") + EMPTY_TUPLE + b"R" + MARK + s("x") + b"\x90",
        # ModelOutput.__setitem__ also sets the attribute: '__class__' would retype it
        _new("transformers.modeling_outputs", "SequenceClassifierOutput")
        + s("__class__")
        + s("v")
        + SETITEM,
    ],
    ids=["swinn-append", "swinn-appends", "df-setitem", "generator", "od-append", "od-add", "mo"],
)
def test_items_added_to_objects_whose_methods_are_not_reviewed(body: bytes) -> None:
    assert "AIR-PKL-019" in rules(analyze(PROTO2 + body + STOP))


@pytest.mark.parametrize(
    "body",
    [
        _new("collections", "OrderedDict") + MARK + s("a") + s("b") + SETITEMS,
        glob("collections", "defaultdict")
        + MARK
        + glob("builtins", "list")
        + b"tR"
        + s("k")
        + EMPTY_LIST
        + SETITEM,
        glob("collections", "deque") + EMPTY_TUPLE + b"R" + MARK + s("a") + s("b") + APPENDS,
        _new("sklearn.utils._bunch", "Bunch") + EMPTY_DICT + BUILD + s("k") + s("v") + SETITEM,
        _new("transformers.modeling_outputs", "SequenceClassifierOutput")
        + s("logits")
        + s("v")
        + SETITEM,
    ],
    ids=["od", "defaultdict", "deque", "bunch", "model-output"],
)
def test_items_added_to_plain_containers_stay_clean(body: bytes) -> None:
    assert_clean(analyze(PROTO2 + body + STOP))
