"""Protocol-0 number operands: the scanner reads every spelling that either real unpickler
(``pickle.loads`` = ``_pickle.c``, ``pickle._loads`` = ``pickle.py``) accepts, and the value
agrees with the one the accepting unpickler produced.

The spellings are built from parts (whitespace, signs, bases, underscores, NULs, junk, the
trailing ``L``), so a new quirk of either parser shows up here as a disagreement, not as a
working pickle the scanner files as text."""

from __future__ import annotations

import itertools
import math
import pickle

from airlock.formats import pickle_ops as ops
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.scan.pickle_vm import analyze_pickle

PRE = [b"", b" ", b"\t", b"+", b"-", b"\x00", b" +"]
BODY = [b"0", b"1", b"00", b"01", b"010", b"08", b"0x1f", b"0X_1", b"0o17", b"0b1", b"1_0",
        b"0_1", b"0_0", b"12", b"", b"1.5", b".5", b"5.", b"1e3", b"inf", b"nan", b"x",
        b"99999999999999999999"]  # fmt: skip
POST = [b"", b" ", b"\x00", b"\x00junk", b"L", b"\r", b"\x0b", b"_", b" \x00x"]


def _spellings() -> list[bytes]:
    return sorted({p + b + s for p, b, s in itertools.product(PRE, BODY, POST)})


def _loads(data: bytes) -> list[object]:
    out = []
    for load in (pickle.loads, pickle._loads):  # type: ignore[attr-defined]
        try:
            out.append(load(data))
        except Exception:
            continue
    return out


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_number_operands_match_both_unpicklers() -> None:
    checked = 0
    for text in _spellings():
        for op, parse in ((b"I", ops.parse_int_line), (b"L", ops.parse_long_line),
                          (b"F", ops.parse_float_line)):  # fmt: skip
            stream = op + text + b"\n."
            accepted = _loads(stream)
            if not accepted:
                continue
            checked += 1
            assert looks_like_pickle(stream), stream
            value = parse(text)
            assert any(_same(value, v) for v in accepted), (stream, value, accepted)
            analysis = analyze_pickle(stream, location="t")
            assert not analysis.findings, (stream, analysis.findings)
    assert checked > 150


def test_memo_operands_match_both_unpicklers() -> None:
    checked = 0
    for text in _spellings():
        stream = b"(I1\np" + text + b"\n0g" + text + b"\nl."
        if not _loads(stream):
            continue
        checked += 1
        assert looks_like_pickle(stream), stream
        found = analyze_pickle(stream, location="t").findings
        try:
            index = int(text)  # as pickle.py reads a PUT operand
        except ValueError:
            index = 0
        if index > 1 << 16:
            # session 22 (rt23pk): the C unpickler grows its memo table to twice the index, so an
            # index far past anything the pickle can hold is a memory finding, not a clean file
            assert [(f.rule_id, f.extra.get("subject")) for f in found] == [
                ("AIR-PKL-009", "memo index")
            ], stream
        else:
            assert not found, stream
    assert checked > 20


def test_operands_neither_unpickler_accepts_are_flagged() -> None:
    for text in (b"x", b"0_1", b"", b"\x00", b"1 2"):
        stream = b"(I1\nL" + text + b"\nl."
        assert not _loads(stream)
        rules = {f.rule_id for f in analyze_pickle(stream, location="t").findings}
        assert "AIR-PKL-005" in rules
