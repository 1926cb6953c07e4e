"""Fixtures for engine tests. Until ``airlock.scan.pickle_vm`` exists, a tiny stand-in analyser
(pickletools-based, tests only) lets the engine and containers be exercised; once the real
analyser lands these tests run against it unchanged."""

from __future__ import annotations

import importlib
import os
import pickletools
import sys
import types
from dataclasses import dataclass, field
from typing import Any

from airlock.report import Finding, Severity

try:
    if os.environ.get("AIRLOCK_TEST_PICKLE_SHIM"):
        raise ImportError("shim forced")
    importlib.import_module("airlock.scan.pickle_vm")
    REAL_ANALYZER = True
except ImportError:
    REAL_ANALYZER = False

_DANGER = ("os.", "posix.", "nt.", "subprocess.", "builtins.eval", "builtins.exec", "socket.",
           "__builtin__.exec", "builtins.__import__", "runpy.", "webbrowser.")  # fmt: skip
_SAFE_PREFIX = ("torch.", "collections.", "numpy.", "sklearn.", "joblib.numpy_pickle.", "_codecs.",
                "copyreg._reconstructor", "builtins.", "__builtin__.", "scipy.")  # fmt: skip


@dataclass
class _Analysis:
    findings: list[Finding] = field(default_factory=list)
    callables: list[str] = field(default_factory=list)
    pickles: int = 0
    end_offset: int = 0
    error: str | None = None
    nested: list[tuple[str, bytes]] = field(default_factory=list)


def _shim_analyze(
    data: Any, *, location: str, member: str | None = None, multi: bool = True,
    joblib: bool = False, limits: Any = None,
) -> _Analysis:  # fmt: skip
    raw = bytes(data)
    out = _Analysis()
    pos = 0
    while pos < len(raw):
        strings: list[str] = []
        try:
            for op, arg, at in pickletools.genops(raw[pos:]):
                if op.name in ("GLOBAL", "INST"):
                    mod, name = str(arg).split(" ", 1)
                    out.callables.append(f"{mod}.{name}")
                elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
                    out.callables.append(f"{strings[-2]}.{strings[-1]}")
                elif isinstance(arg, str):
                    strings.append(arg)
                if op.name == "STOP":
                    out.end_offset = pos + at + 1
        except Exception as exc:
            if out.pickles == 0 or not joblib:
                out.error = str(exc)
            break
        out.pickles += 1
        pos = out.end_offset
        if not multi or joblib:
            break
    for c in out.callables:
        sev = None
        if c.startswith(_DANGER):
            sev = Severity.CRITICAL
        elif not c.startswith(_SAFE_PREFIX):
            sev = Severity.MEDIUM
        if sev is not None:
            out.findings.append(Finding("AIR-PKL-001", sev, "call", location, c, member=member,
                                        extra={"callable": c}))  # fmt: skip
    return out


if not REAL_ANALYZER:
    shim = types.ModuleType("airlock.scan.pickle_vm")
    shim.analyze_pickle = _shim_analyze  # type: ignore[attr-defined]
    shim.PickleAnalysis = _Analysis  # type: ignore[attr-defined]
    sys.modules["airlock.scan.pickle_vm"] = shim
