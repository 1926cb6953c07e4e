"""skops: what a node's value is called with (review13 #1, #4). Names the pickle policy allows
only with checked arguments (``copyreg.__newobj__(numpy.memmap, path, ..., 'w+')`` creates a
file) are refused as skops calls; key types and partials' functions are judged by the value
skops builds there, through ``CachedNode``s and repeated ``__id__``s (skops loads the first node
of an id). Hand-built schemas; one oracle runs the real documented skops load on marker
payloads."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.engine import scan_data


def _n(loader: str, module: str, cls: str, **kw: Any) -> dict[str, Any]:
    return {"__class__": cls, "__module__": module, "__loader__": loader, **kw}


def _json(value: Any) -> dict[str, Any]:
    return _n("JsonNode", "builtins", type(value).__name__, content=json.dumps(value), is_json=True)


def _type(module: str, cls: str, **kw: Any) -> dict[str, Any]:
    return _n("TypeNode", module, cls, **kw)


def _tup(*items: Any) -> dict[str, Any]:
    return _n("TupleNode", "builtins", "tuple", content=list(items))


def _lst(*items: Any) -> dict[str, Any]:
    return _n("ListNode", "builtins", "list", content=list(items))


def _dict(items: dict[str, Any], key_types: Any = None) -> dict[str, Any]:
    kt = key_types or _lst(*[_type("builtins", "str") for _ in items])
    return _n("DictNode", "builtins", "dict", content=items, key_types=kt)


def _partial(func: Any, **kwds: Any) -> dict[str, Any]:
    return _n("PartialNode", "functools", "partial",
              content={"func": func, "args": _tup(), "kwds": _dict(kwds),
                       "namespace": _json(None)})  # fmt: skip


def _skops(root: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("schema.json", json.dumps({**root, "protocol": 2}))
    return buf.getvalue()


def _rules(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "m.skops").findings}


def _newobj_memmap(path: str, label: tuple[str, str] = ("copyreg", "__newobj__")) -> Any:
    """``copyreg.__newobj__(numpy.memmap, path, 'uint8', 'w+', 0, (16,))``: creates the file."""
    args = _tup(_type("numpy", "memmap"), _json(path), _json("uint8"), _json("w+"), _json(0),
                _tup(_json(16)))  # fmt: skip
    return _n("ConstructorFromReduceNode", *label, content=args)


def _cached_key_type(path: str) -> Any:
    """numpy.memmap first met as a reference (id 77), then a key type's partial names it by a
    CachedNode: skops calls ``partial(memmap, mode='w+', shape=(16,))(path)``."""
    mm = _type("numpy", "memmap", __id__=77)
    part = _partial(_n("CachedNode", "numpy", "memmap", __id__=77), mode=_json("w+"),
                    shape=_tup(_json(16)))  # fmt: skip
    return _lst(mm, _dict({path: _json(1)}, key_types=_lst(part)))


def _repeated_id_key_type(path: str) -> Any:
    """The key type's partial says builtins.str, but its func's id 1.0 is the earlier memmap's
    id 1 (Python ``==``): skops calls ``partial(memmap, mode='w+', shape=(16,))(path)``."""
    mm = _type("numpy", "memmap", __id__=1)
    part = _partial(_type("builtins", "str", __id__=1.0), mode=_json("w+"), shape=_tup(_json(16)))
    return _lst(mm, _dict({path: _json(1)}, key_types=_lst(part)))


@pytest.mark.parametrize(
    "root",
    [
        _newobj_memmap("x"),
        # LossNode calls its own label (ReduceNode with the node's module/class)
        {**_newobj_memmap("x"), "__loader__": "LossNode", "content": _dict({}),
         "__reduce__": {"args": _newobj_memmap("x")["content"]}},
        _n("ConstructorFromReduceNode", "dateutil.tz.tz", "tzfile", content=_tup(_json("/etc/x"))),
        _n("ConstructorFromReduceNode", "copyreg", "_reconstructor",
           content=_tup(_type("numpy", "memmap"), _type("numpy", "memmap"), _json("x"))),
        _lst(_n("FunctionNode", "copyreg", "__newobj__")),  # handed on: called by the holder
    ],
)  # fmt: skip
def test_argument_restricted_callables_are_refused_in_skops_files(root: Any) -> None:
    assert "AIR-SKOPS-002" in _rules(_skops(root))


def test_a_constructor_call_of_the_objects_own_class_stays_clean() -> None:
    # what skops.io.dump writes for ZoneInfo("UTC") (its reduce is the class itself)
    tz = _n("ConstructorFromReduceNode", "zoneinfo", "ZoneInfo", content=_tup(_json("UTC")))
    assert not scan_data(_skops(_lst(tz, _type("numpy", "memmap"))), "m.skops").findings


@pytest.mark.parametrize(
    "root",
    [
        _cached_key_type("x"),
        _repeated_id_key_type("x"),
        # key types built by a constructor call: list((memmap,))
        _dict({"x": _json(1)}, key_types=_n("ConstructorFromReduceNode", "builtins", "list",
                                            content=_tup(_tup(_type("numpy", "memmap"))))),
        # key types list named by a CachedNode of an earlier list holding memmap
        _lst({**_lst(_type("numpy", "memmap")), "__id__": 5},
             _dict({"x": _json(1)}, key_types=_n("CachedNode", "builtins", "list", __id__=5))),
        # a partial (not a key type) whose func is a CachedNode of memmap
        _lst(_type("numpy", "memmap", __id__=9),
             _partial(_n("CachedNode", "numpy", "memmap", __id__=9), mode=_json("w+"))),
        # an object as a key type: its __call__ runs on each key
        _dict({"x": _json(1)}, key_types=_lst(_n("ObjectNode", "builtins", "object"))),
    ],
)  # fmt: skip
def test_key_types_and_partial_functions_are_judged_by_the_value_skops_loads(root: Any) -> None:
    assert "AIR-SKOPS-002" in _rules(_skops(root))


def test_key_types_sharing_ids_as_honest_saves_do_stay_clean() -> None:
    # skops.io.dump writes the one ``str`` type object once per dict, all with its one id
    s = _type("builtins", "str", __id__=3)
    inner = _dict({"a": _json(1), "b": _json(2)}, key_types=_lst(dict(s), dict(s)))
    f1 = _n("FunctionNode", "sklearn.metrics._classification", "f1_score", __id__=4)
    root = _lst(inner, _dict({"c": inner | {"__id__": 8}}, key_types=_lst(dict(s))),
                _partial(f1, average=_json("macro")), _partial(dict(f1)))  # fmt: skip
    assert not scan_data(_skops(root), "m.skops").findings


def test_the_refused_gadgets_are_real_under_the_documented_skops_load(tmp_path: Path) -> None:
    """Oracle: ``load(f, trusted=get_untrusted_types(file=f))`` creates the marker files
    (numpy.memmap with mode w+; the key-type load then fails, after the write)."""
    pytest.importorskip("skops.io")
    cases = {"newobj": _newobj_memmap, "cached": _cached_key_type, "repeat": _repeated_id_key_type}
    paths = []
    for name, build in cases.items():
        path = tmp_path / f"{name}.skops"
        path.write_bytes(_skops(build(str(tmp_path / f"MARKER_{name}"))))
        assert "AIR-SKOPS-002" in _rules(path.read_bytes()), name
        paths.append(str(path))
    code = (
        "import sys, skops.io as s\n"
        "for f in sys.argv[1:]:\n"
        "    try: s.load(f, trusted=s.get_untrusted_types(file=f))\n"
        "    except Exception: pass\n"
    )
    subprocess.run([sys.executable, "-c", code, *paths], check=True, timeout=600, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("MARKER_*")) == [
        "MARKER_cached", "MARKER_newobj", "MARKER_repeat"]  # fmt: skip
