"""Callables that reach code which may call them with arguments the pickle does not show.

Red-team review (session 8): a nested-load helper memoised and handed to an allowlisted function
that calls its argument (numpy.random._pickle.__generator_ctor), and functools.partial of the
reference-only numpy.memmap handed to __generator_ctor, a pandas SETITEM key or LambdaLR. The
class: any callable value that flows as an argument, a BUILD state, a container item or the
result is judged as if called with unknown arguments. These tests build every (value, sink)
pair from the policy itself, so a new nested-load/reference-only/deferred name or a new sink
shape is covered without a new fixture; allowed values through the same sinks stay clean.
"""

from __future__ import annotations

import io
import pickle
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from airlock.scan.allowlist import default_policy
from airlock.scan.pickle_vm import _DEFERRED
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    NONE,
    POP,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    b,
    call,
    get,
    glob,
    put,
    s,
    severe,
    touch_cmd,
    tup,
)

_POLICY = default_policy()
_GEN_CTOR = glob("numpy.random._pickle", "__generator_ctor")


def _ref(name: str) -> bytes:
    mod, _, qual = name.rpartition(".")
    return glob(mod, qual)


# Values that are safe only as direct calls with arguments we see (or never as calls).
_NEEDS_ARGS = sorted(
    set(_DEFERRED)
    | {k for k in _POLICY.nested_args if not k.startswith("_")}
    | {k for k in _POLICY.import_args if not k.startswith("_")}
    | {k for k in _POLICY.match_args if not k.startswith("_")}
)
_REF_ONLY = sorted(_POLICY.ref_only)


def _partial(func: bytes, *args: bytes) -> bytes:
    return call(glob("functools", "partial"), func, *args)


def _values() -> list[tuple[str, bytes, str, str]]:
    """(id, ops pushing the value, rule expected, subject expected)."""
    out = [(f"ref:{n}", _ref(n), "AIR-PKL-001", n) for n in _NEEDS_ARGS]
    out += [(f"ref:{n}", _ref(n), "AIR-PKL-009", n) for n in _REF_ONLY]
    # a partial inherits every rule of what it wraps (its own arguments do not make it safe)
    out += [(f"partial:{n}", _partial(_ref(n), s("/tmp/x")), "AIR-PKL-009", n) for n in _REF_ONLY]
    out += [
        (
            "partial:_load_from_bytes(not a pickle)",
            _partial(_ref("torch.storage._load_from_bytes")),
            "AIR-PKL-001",
            "torch.storage._load_from_bytes",
        ),
        ("partial:getattr", _partial(_ref("builtins.getattr")), "AIR-PKL-001", "builtins.getattr"),
        (
            "partial:partial:memmap",
            _partial(glob("functools", "partial"), _ref("numpy.memmap"), s("/tmp/x")),
            "AIR-PKL-",
            "",
        ),
    ]
    return out


_ALLOWED = [
    ("int", glob("builtins", "int")),
    ("GELU", glob("torch.nn.modules.activation", "GELU")),
    ("partial:LayerNorm", _partial(glob("torch.nn.modules.normalization", "LayerNorm"), b"K\x04")),
    ("partial:int", _partial(glob("builtins", "int"), s("7"))),
]


def _sinks() -> dict[str, Callable[[bytes], bytes]]:
    """Sink name -> function(value ops) -> whole pickle."""
    receiver = glob("collections", "OrderedDict")

    def arg(v: bytes) -> bytes:  # __generator_ctor(name, ctor) calls ctor(name)
        return PROTO2 + _GEN_CTOR + tup(s("MT19937"), v) + b"R" + POP + NONE + STOP

    def nested_arg(v: bytes) -> bytes:  # inside a dict inside a tuple of an allowed call
        d = EMPTY_DICT + s("k") + tup(v) + SETITEM
        return PROTO2 + glob("collections", "deque") + tup(tup(d)) + b"R" + POP + NONE + STOP

    def newobj_arg(v: bytes) -> bytes:
        return PROTO2 + receiver + tup(v) + b"\x81" + POP + NONE + STOP

    def build_state(v: bytes) -> bytes:
        state = EMPTY_DICT + s("lr_lambda") + v + SETITEM
        return PROTO2 + call(receiver) + state + BUILD + POP + NONE + STOP

    def setitem_value(v: bytes) -> bytes:
        return PROTO2 + glob("pandas", "DataFrame") + b")R" + s("c") + v + SETITEM + STOP

    def setitem_key(v: bytes) -> bytes:  # pandas calls a callable key with the frame
        return PROTO2 + glob("pandas", "DataFrame") + b")R" + v + b"K\x01" + SETITEM + STOP

    def append_after_escape(v: bytes) -> bytes:  # the list was handed over before it held v
        lst = b"]" + put(9) + POP
        handed = glob("collections", "deque") + tup(get(9)) + b"R" + POP
        return PROTO2 + lst + handed + get(9) + v + b"a" + POP + NONE + STOP

    def result(v: bytes) -> bytes:
        return PROTO2 + v + STOP

    def memo_reuse(v: bytes) -> bytes:  # memoised, then passed along from the memo
        return (
            PROTO2 + v + put(0) + POP + _GEN_CTOR + tup(s("x"), get(0)) + b"R" + POP + NONE + STOP
        )

    return {
        "arg": arg,
        "nested-arg": nested_arg,
        "newobj-arg": newobj_arg,
        "build-state": build_state,
        "setitem-value": setitem_value,
        "setitem-key": setitem_key,
        "append-after-escape": append_after_escape,
        "result": result,
        "memo-reuse": memo_reuse,
    }


_SINKS = _sinks()


@pytest.mark.parametrize("sink", sorted(_SINKS))
@pytest.mark.parametrize(("vid", "ops", "rule", "subject"), _values(), ids=lambda x: str(x)[:40])
def test_callable_value_reaching_called_code_is_judged(
    sink: str, vid: str, ops: bytes, rule: str, subject: str
) -> None:
    data = _SINKS[sink](ops)
    found = severe(analyze(data))
    assert any(
        f.rule_id.startswith(rule) and subject in str(f.extra.get("subject", "")) for f in found
    ), (vid, sink, [(f.rule_id, f.evidence) for f in analyze(data).findings])


@pytest.mark.parametrize("sink", sorted(_SINKS))
@pytest.mark.parametrize(("vid", "ops"), _ALLOWED, ids=[v for v, _ in _ALLOWED])
def test_allowed_callables_through_the_same_sinks_stay_clean(
    sink: str, vid: str, ops: bytes
) -> None:
    data = _SINKS[sink](ops)
    found = severe(analyze(data))
    if sink.startswith("setitem"):  # DataFrame.__setitem__ itself is not judged (AIR-PKL-019)
        found = [f for f in found if f.rule_id != "AIR-PKL-019"]
    if sink in _CALLED_SINKS and vid in _NEW_ONLY:
        # rt20pk: __generator_ctor(name, v) is v(name) at load: a new_only class's __init__ runs
        assert [f.rule_id for f in found] == ["AIR-PKL-009"], (vid, sink)
        return
    assert found == [], (vid, sink)


_CALLED_SINKS = frozenset({"arg", "memo-reuse"})  # __generator_ctor('MT19937' or 'x', v)
_NEW_ONLY = frozenset({"GELU", "partial:LayerNorm"})


def test_judged_direct_call_does_not_excuse_the_memoised_helper() -> None:
    """t2's shape: _load_from_bytes memoised, passed to __generator_ctor, then called once on a
    judged nested pickle. The direct call is judged per call; the escape is still a finding, in
    either order."""
    inner = pickle.dumps({"w": 1}, protocol=2)
    lfb = glob("torch.storage", "_load_from_bytes") + put(0)
    direct = get(0) + tup(b(inner)) + b"R" + POP
    escaped = _GEN_CTOR + tup(b(b"\x80\x02N."), get(0)) + b"R" + POP
    for body in (escaped + direct, direct + escaped):
        found = severe(analyze(PROTO2 + lfb + POP + body + NONE + STOP))
        assert [f.extra.get("callable") for f in found] == ["torch.storage._load_from_bytes"]
    # the direct call alone (what torch writes for some storages) stays clean
    assert_clean(analyze(PROTO2 + lfb + POP + direct + NONE + STOP))


def test_partial_state_replacing_its_function_is_judged() -> None:
    """partial.__setstate__((func, args, kw, ns)) swaps the function after construction."""
    state = tup(_ref("numpy.memmap"), tup(s("/tmp/x"), s("uint8"), s("w+")), NONE, NONE)
    p = _partial(glob("builtins", "int")) + state + BUILD
    found = severe(analyze(PROTO2 + p + STOP))
    assert any(f.rule_id == "AIR-PKL-009" for f in found)


# -- the red-team shapes, proved live with the real loader on files the test built ----------


def _memmap_partial(path: Path) -> bytes:
    return _partial(
        _ref("numpy.memmap"), s(str(path)), s("uint8"), s("w+"), b"K\x00", tup(b"K\x01")
    )


def _load_quietly(data: bytes) -> None:
    try:
        pickle.loads(data)
    except Exception:  # the payload ran before whatever the loader raised
        pass


def test_memmap_partial_via_generator_ctor(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    marker = tmp_path / "created"
    data = PROTO2 + _GEN_CTOR + tup(s("C"), _memmap_partial(marker)) + b"R" + STOP
    _load_quietly(data)
    assert marker.exists()  # the real unpickler creates the file
    assert any(f.rule_id == "AIR-PKL-009" for f in severe(analyze(data)))


def test_memmap_partial_as_dataframe_key(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    marker = tmp_path / "created"
    data = PROTO2 + glob("pandas", "DataFrame") + b")R" + _memmap_partial(marker) + b"K\x01s" + STOP
    _load_quietly(data)
    assert marker.exists()
    assert any(f.rule_id == "AIR-PKL-009" for f in severe(analyze(data)))


def test_memmap_partial_as_lr_lambda(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    marker = tmp_path / "created"
    sgd = call(
        glob("torch.optim.sgd", "SGD"),
        b"]" + call(glob("torch.nn.parameter", "Parameter")) + b"a",
        b"G" + struct.pack(">d", 0.1),
    )
    data = PROTO2 + call(glob("torch.optim.lr_scheduler", "LambdaLR"), sgd, _memmap_partial(marker))
    data += STOP
    _load_quietly(data)
    assert marker.exists()
    assert any(f.rule_id == "AIR-PKL-009" for f in severe(analyze(data)))


def test_memoised_nested_loader_via_generator_ctor(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    marker = tmp_path / "ran"
    evil = PROTO2 + glob("posix", "system") + tup(s(touch_cmd(marker))) + b"R" + STOP
    buf = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, buf)
    data = (
        b"\x80\x03"
        + glob("torch.storage", "_load_from_bytes")
        + put(0)
        + _GEN_CTOR
        + tup(b(evil), get(0))
        + b"R"
        + POP
        + get(0)
        + tup(b"B" + struct.pack("<I", len(buf.getvalue())) + buf.getvalue())
        + b"R"
        + STOP
    )
    _load_quietly(data)
    assert marker.exists()
    found = severe(analyze(data))
    assert "torch.storage._load_from_bytes" in [f.extra.get("callable") for f in found]
