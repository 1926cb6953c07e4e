"""PyTorch Mobile (lite interpreter) ``bytecode.pkl``: read AS DATA, never unpickled.

``torch.jit.mobile._load_for_lite_interpreter`` runs only ``bytecode.pkl`` (``code/`` may be
absent or say something else): a pickle of ``(version, method, method, ...)`` where each method
is ``(qualified_name, (("instructions", ...), ("operators", ((name, overload[, num_args]),
...)), ("constants", ...), ("types", ...), ("register_size", n))[, schema])``. Every ``OP``/
``OPN`` instruction indexes that operator table, so the table is what the program can call.

The evaluator below accepts data opcodes only (tuples, lists, dicts, numbers, strings, memo);
globals, reductions and persistent ids become an opaque marker (the pickle scan of the same
member judges them). A layout that is not the one above is an error: the caller fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airlock.formats import pickle_ops
from airlock.formats.source import FormatProblem

MAX_BYTECODE_BYTES = 256 << 20


class _Opaque:
    """A value built by a global/reduce/persistent id: never evaluated."""


_OPAQUE = _Opaque()


@dataclass
class MobileProgram:
    version: int = 0
    methods: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)  # "ns::op" (overloads dropped)
    types: list[str] = field(default_factory=list)
    # methods run at load (``__setstate__``) that loop: a LOOP instruction or a backward jump;
    # when one calls out (CALL / INTERFACE_CALL / CALL_METHOD), every looping method counts
    load_loops: list[str] = field(default_factory=list)
    # (method, "ns::op", overload) of every operator those methods (or, when one calls out,
    # all methods) hold: judged by an allowlist (``torchscript_load.mobile_op_bounded``)
    load_ops: list[tuple[str, str, str]] = field(default_factory=list)
    # class qualname -> (the ("ns::op", overload) of every OP/OPN instruction of its
    # ``__setstate__``, None when it calls out; whether its constants table holds anything but
    # scalars and short strings): what one run copies, counted per object of data.pkl
    # (``torchscript_load.mobile_setstate_costs``; the lite interpreter never reads ``code/``)
    setstate_steps: dict[str, tuple[list[tuple[str, str]] | None, bool]] = field(
        default_factory=dict
    )


def _text(buf: Any, span: tuple[int, int]) -> str:
    pos, n = span
    return pickle_ops.decode_text(buf[pos : pos + n])


def load_data(buf: bytes | memoryview) -> Any:
    """The value of one pickle built from data opcodes only."""
    stack: list[Any] = []
    marks: list[int] = []
    memo: dict[int, Any] = {}

    def pop_mark() -> list[Any]:
        if not marks:
            raise FormatProblem("bytecode.pkl: MARK missing")
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    def pop() -> Any:
        if len(stack) <= (marks[-1] if marks else 0):
            raise FormatProblem("bytecode.pkl: stack underflow")
        return stack.pop()

    try:
        for _, name, arg in pickle_ops.iter_ops(buf):
            if name in ("PROTO", "FRAME"):
                continue
            if name == "STOP":
                if len(stack) != 1 or marks:
                    raise FormatProblem("bytecode.pkl: unbalanced stack at STOP")
                return stack[0]
            if name == "MARK":
                marks.append(len(stack))
            elif name in ("BININT", "BININT1", "BININT2", "LONG1", "LONG4"):
                stack.append(int(arg))
            elif name == "BINFLOAT":
                stack.append(float(arg))
            elif name == "NONE":
                stack.append(None)
            elif name in ("NEWTRUE", "NEWFALSE"):
                stack.append(name == "NEWTRUE")
            elif name in ("BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8"):
                stack.append(_text(buf, arg))
            elif name in ("BINBYTES", "SHORT_BINBYTES", "BINBYTES8"):
                stack.append(_OPAQUE)
            elif name == "EMPTY_TUPLE":
                stack.append(())
            elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
                k = int(name[-1])
                items = [pop() for _ in range(k)][::-1]
                stack.append(tuple(items))
            elif name == "TUPLE":
                stack.append(tuple(pop_mark()))
            elif name == "EMPTY_LIST":
                stack.append([])
            elif name == "LIST":
                stack.append(pop_mark())
            elif name in ("APPEND", "APPENDS"):
                items = [pop()] if name == "APPEND" else pop_mark()
                target = pop()
                if not isinstance(target, list):
                    raise FormatProblem("bytecode.pkl: APPEND to a non-list")
                target.extend(items)
                stack.append(target)
            elif name == "EMPTY_DICT":
                stack.append({})
            elif name in ("SETITEM", "SETITEMS", "DICT"):
                items = [pop(), pop()][::-1] if name == "SETITEM" else pop_mark()
                target = {} if name == "DICT" else pop()
                if not isinstance(target, dict) or len(items) % 2:
                    raise FormatProblem("bytecode.pkl: SETITEM on a non-dict")
                for i in range(0, len(items), 2):
                    key = items[i]
                    target[key if isinstance(key, str | int) else id(key)] = items[i + 1]
                stack.append(target)
            elif name in ("BINPUT", "LONG_BINPUT"):
                memo[int(arg)] = pop()
                stack.append(memo[int(arg)])
            elif name == "MEMOIZE":
                memo[len(memo)] = pop()
                stack.append(memo[len(memo) - 1])
            elif name in ("BINGET", "LONG_BINGET"):
                if int(arg) not in memo:
                    raise FormatProblem("bytecode.pkl: memo key missing")
                stack.append(memo[int(arg)])
            elif name == "GLOBAL":
                stack.append(_OPAQUE)
            elif name == "STACK_GLOBAL":
                pop(), pop()
                stack.append(_OPAQUE)
            elif name in ("REDUCE", "BUILD", "NEWOBJ"):
                pop(), pop()
                stack.append(_OPAQUE)
            elif name == "BINPERSID":
                pop()
                stack.append(_OPAQUE)
            else:
                raise FormatProblem(f"bytecode.pkl: opcode {name} not expected in mobile bytecode")
    except pickle_ops.PickleParseError as exc:
        raise FormatProblem(f"bytecode.pkl: {exc}") from None
    raise FormatProblem("bytecode.pkl: no STOP")  # pragma: no cover - iter_ops raises first


def _pairs(table: Any) -> dict[str, Any]:
    if not isinstance(table, tuple) or not all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in table
    ):
        raise FormatProblem("bytecode.pkl: method table is not (name, value) pairs")
    keys = [p[0] for p in table]
    if len(set(keys)) != len(keys):
        raise FormatProblem("bytecode.pkl: duplicated method table entry")
    return dict(table)


def parse_bytecode(buf: bytes | memoryview) -> MobileProgram:
    """Methods, the operator names of every method's table, and the type strings."""
    if len(buf) > MAX_BYTECODE_BYTES:
        raise FormatProblem("bytecode.pkl too large")
    value = load_data(buf)
    if not isinstance(value, tuple) or not value or type(value[0]) is not int:
        raise FormatProblem("bytecode.pkl: not a (version, methods...) tuple")
    prog = MobileProgram(version=value[0])
    loops: dict[str, tuple[bool, bool]] = {}
    method_ops: dict[str, list[tuple[str, str]]] = {}
    for method in value[1:]:
        if not (isinstance(method, tuple) and len(method) in (2, 3)):
            raise FormatProblem("bytecode.pkl: method entry is not (name, table[, schema])")
        qualname, table = method[0], _pairs(method[1])
        if not isinstance(qualname, str):
            raise FormatProblem("bytecode.pkl: method name is not a string")
        prog.methods.append(qualname)
        ops = table.get("operators")
        if not isinstance(ops, tuple):
            raise FormatProblem(f"bytecode.pkl: {qualname}: operator table missing")
        for op in ops:
            if not (
                isinstance(op, tuple)
                and len(op) in (2, 3)
                and isinstance(op[0], str)
                and isinstance(op[1], str)
            ):
                raise FormatProblem(f"bytecode.pkl: {qualname}: malformed operator entry")
            prog.operators.append(op[0])
            method_ops.setdefault(qualname, []).append((op[0], op[1]))
        types = table.get("types", ())
        if not isinstance(types, tuple) or not all(isinstance(t, str) for t in types):
            raise FormatProblem(f"bytecode.pkl: {qualname}: malformed type table")
        prog.types.extend(types)
        _record_loops(qualname, table.get("instructions"), loops)
        if qualname.endswith(".__setstate__"):
            cls = qualname[: -len(".__setstate__")]
            steps = _op_steps(qualname, table.get("instructions"), ops)
            reads = _reads_constants(table.get("constants", ()))
            if cls in prog.setstate_steps:  # the same name twice: both counted
                was, was_reads = prog.setstate_steps[cls]
                steps = None if was is None or steps is None else was + steps
                reads = reads or was_reads
            prog.setstate_steps[cls] = (steps, reads)
    setstates = [q for q in loops if q.endswith(".__setstate__")]
    calls_out = any(loops[q][1] for q in setstates)
    prog.load_loops = [
        q for q, (looping, _) in loops.items() if looping and (q in setstates or calls_out)
    ]
    prog.load_ops = [
        (q, name, overload)
        for q in (loops if calls_out else setstates)
        for name, overload in method_ops.get(q, [])
    ]
    return prog


_CALLS = frozenset({"CALL", "INTERFACE_CALL", "CALL_METHOD"})
_LONG_CONSTANT = 4096


def _op_steps(
    qualname: str, instructions: Any, ops: tuple[Any, ...]
) -> list[tuple[str, str]] | None:
    """The operator each OP/OPN instruction runs, in order (None when the method calls out)."""
    steps: list[tuple[str, str]] = []
    for ins in instructions:  # a tuple of tuples: checked by _record_loops
        if ins[0] in _CALLS:
            return None
        if ins[0] in ("OP", "OPN"):
            x = ins[1] if len(ins) > 1 else None
            if type(x) is not int or not 0 <= x < len(ops):
                raise FormatProblem(f"bytecode.pkl: {qualname}: operator index out of range")
            steps.append((ops[x][0], ops[x][1]))
    return steps


def _reads_constants(constants: Any) -> bool:
    """A constants table with tensors (or other objects) or long strings: load code can copy
    bytes that are not in the object's state."""
    if not isinstance(constants, tuple):
        return True
    return not all(
        c is None or type(c) in (bool, int, float) or (type(c) is str and len(c) <= _LONG_CONSTANT)
        for c in constants
    )


def _record_loops(qualname: str, instructions: Any, loops: dict[str, tuple[bool, bool]]) -> None:
    """(loops, calls out) of one method's instruction table ((op, X, N) tuples)."""
    if not isinstance(instructions, tuple):
        raise FormatProblem(f"bytecode.pkl: {qualname}: instruction table missing")
    looping = calls = False
    for ins in instructions:
        if not (isinstance(ins, tuple) and ins and isinstance(ins[0], str)):
            raise FormatProblem(f"bytecode.pkl: {qualname}: malformed instruction")
        op, x = ins[0], ins[1] if len(ins) > 1 else 0
        looping |= op == "LOOP" or (op in ("JMP", "JF") and (not isinstance(x, int) or x <= 0))
        calls |= op in _CALLS
    loops[qualname] = (looping, calls)
