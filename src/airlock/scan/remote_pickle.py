"""The pickle reading from offset 0 of a remote object (``formats.ranged``), from a prefix.

``pickle.load`` would unpickle any file from its first byte, so the engine analyses every object
that starts with an opcode as a pickle too. For a remote object the analysis runs on a growing
prefix of fetched bytes: a prefix's analysis is the whole object's when it ended well inside the
prefix (no truncation, no limit, and no opcode right after the last STOP where the analyser
would try another pickle). Otherwise it runs on ``max_pickle_bytes + 1`` bytes, which is exactly
what the analyser reads of a longer object (it caps there). One reading is not reproduced from a
prefix: a stream that builds a joblib array wrapper is re-read as joblib without that cap; for
a larger object that reading is not run and the object is not judged (a limit finding).
"""

from __future__ import annotations

from typing import Any

from airlock.formats.pickle_ops import IS_OPCODE
from airlock.formats.ranged import LazyBytes
from airlock.formats.source import Limits

PREFIXES = (1024**2, 16 * 1024**2, 128 * 1024**2)
MARGIN = 64  # an opcode that broke this close to the prefix end may have read past it
_WRAPPERS = ("NumpyArrayWrapper", "NDArrayWrapper")


def _wrapper(analysis: Any) -> bool:
    return any(w in c for c in analysis.callables for w in _WRAPPERS)


def _settled(analysis: Any, data: bytes) -> bool:
    error = analysis.error or ""
    if "truncat" in error or "limit" in error or _wrapper(analysis):
        return False
    end = analysis.end_offset
    if end + MARGIN >= len(data):
        return False
    return not (analysis.pickles and IS_OPCODE[data[end]])


def analyze_remote_pickle(
    view: LazyBytes, location: str, member: str | None, limits: Limits
) -> Any:
    """``analyze_pickle(view)`` as it would run on the whole object (see the module doc)."""
    from airlock.scan.pickle_rules import rule
    from airlock.scan.pickle_vm import analyze_pickle

    full = min(len(view), limits.max_pickle_bytes + 1)
    for size in PREFIXES:
        if size >= full:
            break
        data = bytes(view[:size])
        analysis = analyze_pickle(data, location=location, member=member, limits=limits)
        if _settled(analysis, data):
            return analysis
        del data, analysis
    analysis = analyze_pickle(bytes(view[:full]), location=location, member=member, limits=limits)
    if full < len(view) and _wrapper(analysis):
        analysis.findings.append(
            rule("AIR-PKL-011").finding(
                location,
                "a joblib array wrapper in a remote object larger than the pickle limit: its "
                "joblib reading is not run remotely (judge it with --download)",
                member=member,
            )
        )
    return analysis
