"""Session 9 "never cry wolf": honest artifacts the gate used to deny, written by the libraries'
own savers (bench/ecosystem/gen_everyday.py), are clean; a hostile variant of each newly
allowed class is still denied.

- pyarrow: nested (list, large_list, struct), dictionary, decimal and timestamp-with-zone
  arrays are proven in bounds child by child (AIR-PKL-015); Tables, ChunkedArrays and
  RecordBatches assemble proven arrays.
- torch: SWA AveragedModel/SWALR, pruned modules (torch.nn.utils.prune methods in forward
  pre-hooks), eager quantized / dynamic / QAT modules. A pickled
  ``torch.ScriptObject`` instantiates the TorchBind class its state names: only eager
  quantization's packed parameters are allowed.
- numpy: record arrays and StringDType arrays.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import struct
from pathlib import Path
from typing import Any

import pytest
from bench.ecosystem import gen_everyday
from bench.ecosystem.writer import Writer

import airlock
from airlock.scan.engine import scan_paths

pa = pytest.importorskip("pyarrow")
pytest.importorskip("pandas")

from pyarrow.lib import _restore_array, py_buffer  # noqa: E402


def _findings(root: Path) -> list[tuple[str, str, str]]:
    report = scan_paths([root])
    assert report.files > 0
    assert [(o.location, o.member, o.reason) for o in report.not_scanned] == []
    return [(f.rule_id, f.location, f.evidence) for f in report.findings]


def test_honest_arrow_pandas_and_pyarrow_saves_are_clean(tmp_path: Path) -> None:
    w = Writer(tmp_path, "everyday")
    gen_everyday.pandas_arrow(w)
    gen_everyday.numpy_structured(w)
    assert len(w.artifacts) > 100, w.skipped
    assert _findings(tmp_path) == []


def test_honest_torch_quantized_and_swa_saves_are_clean(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    w = Writer(tmp_path, "everyday")
    gen_everyday.torch_models(w)
    gen_everyday.quantized(w)
    assert len(w.artifacts) > 80, w.skipped
    found = _findings(tmp_path)
    # left denied on purpose: torch.compile's OptimizedModule pickles dynamo's frame-conversion
    # machinery, and an fx GraphModule's reduce_graph_module execs the pickled Python source
    assert found and all(
        "compiled.OptimizedModule" in loc or "fx.GraphModule" in loc for _, loc, _ in found
    ), found
    assert any(
        r == "AIR-PKL-001" and "reduce_graph_module" in e
        for r, loc, e in found
        if "fx.GraphModule" in loc
    ), found
    assert [p for p in w.artifacts if "quantized.Linear" in p["path"]]


class _Reduce:
    def __init__(self, func: Any, args: tuple[Any, ...], state: Any = None) -> None:
        self.rv = (func, args) if state is None else (func, args, state)

    def __reduce__(self) -> Any:
        return self.rv


def _rules(tmp_path: Path, obj: Any, protocol: int = 4) -> list[str]:
    path = tmp_path / "x.pkl"
    path.write_bytes(pickle.dumps({"v": obj}, protocol=protocol))
    return [f.rule_id for f in airlock.scan(path).findings]


def _i32(*xs: int) -> Any:
    return py_buffer(struct.pack(f"<{len(xs)}i", *xs))


def _i64_child(length: int, nbytes: int) -> tuple[Any, ...]:
    return (pa.int64(), length, 0, 0, [None, py_buffer(bytes(nbytes))], [], None)


BAD_NESTED = {
    "list_offsets_past_child": (
        pa.list_(pa.int64()), 1, 0, 0, [None, _i32(0, 50)], [_i64_child(2, 16)], None,
    ),
    "list_child_out_of_bounds": (
        pa.list_(pa.int64()), 1, 0, 0, [None, _i32(0, 2)], [_i64_child(1 << 20, 16)], None,
    ),
    "list_child_other_layout": (
        pa.list_(pa.int64()),
        1, 0, 0, [None, _i32(0, 1)],
        [(pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None)],
        None,
    ),
    "large_list_offsets_decrease": (
        pa.large_list(pa.int64()),
        2, 0, 0, [None, py_buffer(struct.pack("<3q", 0, 2, 1))], [_i64_child(2, 16)], None,
    ),
    "struct_child_short": (
        pa.struct([("a", pa.int32())]), 4, 0, 0, [None],
        [(pa.int32(), 1, 0, 0, [None, py_buffer(bytes(4))], [], None)], None,
    ),
    "struct_missing_child": (pa.struct([("a", pa.int32())]), 1, 0, 0, [None], [], None),
    "dictionary_negative_index": (
        pa.dictionary(pa.int32(), pa.string()), 2, 0, 0, [None, _i32(0, -1)], [],
        (pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None),
    ),
    "dictionary_index_past_dictionary": (
        pa.dictionary(pa.int64(), pa.int64()), 1, 0, 0,
        [None, py_buffer(struct.pack("<q", 1 << 40))], [], _i64_child(1, 8),
    ),
    "dictionary_float_index": (
        _Reduce(pa.lib.dictionary, (pa.float32(), pa.string(), False)),
        1, 0, 0, [None, _i32(0)], [],
        (pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None),
    ),
    "decimal_buffer_short": (pa.decimal128(8, 2), 2, 0, 0, [None, py_buffer(bytes(16))], [], None),
    "timestamp_tz_past_buffer": (
        pa.timestamp("ns", tz="UTC"), 4, 0, 0, [None, py_buffer(bytes(8))], [], None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_NESTED))
@pytest.mark.parametrize("protocol", [2, 5])
def test_unproven_nested_arrays_deny(tmp_path: Path, case: str, protocol: int) -> None:
    rules = _rules(tmp_path, _Reduce(_restore_array, (BAD_NESTED[case],)), protocol)
    assert "AIR-PKL-015" in rules, case


def test_proven_nested_arrays_are_clean(tmp_path: Path) -> None:
    """Controls for the hostile cases: the same shapes in bounds."""
    good = [
        (pa.list_(pa.int64()), 1, 0, 0, [None, _i32(0, 2)], [_i64_child(2, 16)], None),
        (
            pa.dictionary(pa.int32(), pa.string()), 2, 0, 0, [None, _i32(0, 0)], [],
            (pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None),
        ),
        (
            pa.struct([("a", pa.int32())]), 1, 0, 0, [None],
            [(pa.int32(), 1, 0, 0, [None, py_buffer(bytes(4))], [], None)], None,
        ),
    ]  # fmt: skip
    for data in good:
        assert _rules(tmp_path, _Reduce(_restore_array, (data,))) == []


@pytest.mark.parametrize("tz", ["/etc/localtime", "../../../../proc/self/environ", "a" * 200])
def test_timestamp_zone_that_is_a_path_denies(tmp_path: Path, tz: str) -> None:
    rules = _rules(tmp_path, _Reduce(pa.lib.timestamp, ("ns", tz)))
    assert "AIR-PKL-015" in rules
    assert _rules(tmp_path, _Reduce(pa.lib.timestamp, ("ns", "America/New_York"))) == []
    assert _rules(tmp_path, _Reduce(pa.lib.timestamp, ("us", "+05:30"))) == []


class _FakeScriptObject:
    """Pickles as torch.ScriptObject (NEWOBJ) with a chosen BUILD state."""

    def __init__(self, state: Any) -> None:
        self.state = state

    @property  # type: ignore[misc]
    def __class__(self) -> Any:  # what pickle's NEWOBJ check reads
        import torch

        return torch.ScriptObject

    def __reduce__(self) -> Any:
        import torch

        return (copyreg.__newobj__, (torch.ScriptObject,), self.state)


def test_torchbind_object_of_other_class_denies(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    for qual in (
        "__torch__.torch.classes.aten.OpaqueObject",
        "__torch__.torch.classes.sparse.LinearPackedParamsBase",
        "__torch__.torch.classes.c10d.ProcessGroup",
    ):
        evil = _FakeScriptObject((("x",), qual))
        path = tmp_path / "so.pt"
        torch.save({"v": evil}, path)
        found = [(f.rule_id, f.evidence) for f in airlock.scan(path).findings]
        assert ("AIR-PKL-002", f"BUILD of torch.ScriptObject instantiates TorchBind class {qual}"
                ) in found, found  # fmt: skip
    # a state that is not (state, constant name) is not judged allowed either
    assert "AIR-PKL-002" in _rules(tmp_path, _FakeScriptObject({"a": 1}), 2)


def test_torchbind_quantized_linear_is_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    import torch.ao.nn.quantized as nnq

    path = tmp_path / "q.pt"
    torch.save(nnq.Linear(4, 2), path)
    assert [f.rule_id for f in airlock.scan(path).findings] == []


def test_averaged_model_with_hostile_avg_fn_denies(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from torch.optim.swa_utils import AveragedModel

    model = AveragedModel(torch.nn.Linear(2, 2))
    path = tmp_path / "swa.pt"
    torch.save(model, path)
    assert [f.rule_id for f in airlock.scan(path).findings] == []
    model.avg_fn = os.system  # pickled by reference; called by update_parameters
    torch.save(model, path)
    assert "AIR-PKL-001" in [f.rule_id for f in airlock.scan(path).findings]


def test_pruning_method_with_hostile_state_denies(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    import torch.nn.utils.prune as prune

    lin = torch.nn.Linear(2, 2)
    prune.l1_unstructured(lin, "weight", amount=0.5)
    path = tmp_path / "pruned.pt"
    torch.save(lin, path)
    assert [f.rule_id for f in airlock.scan(path).findings] == []
    (method,) = lin._forward_pre_hooks.values()
    method.amount = os.system
    torch.save(lin, path)
    assert "AIR-PKL-001" in [f.rule_id for f in airlock.scan(path).findings]
