"""Label and vocabulary files that happen to read as a broken protocol-0 pickle.

Any text whose first line starts with ``c`` opens with the GLOBAL opcode: ``contradiction\\n
entailment\\nneutral\\n`` (an NLI head's ``labels.txt``) is, to ``pickle.load``, "import
``ontradiction.entailment``", then an invalid opcode. Such a file is still read as a pickle
(the unpickler would attempt that import), but when the stream can do nothing else before it
breaks (no call can run: only GLOBALs, then a byte that is no opcode, the end, or an opcode
that fails for want of a MARK or of stack items) and every module it names is unknown (not the
standard library, not a package the allowlist or danger table names), the file is judged as
the text its name says, with a LOW finding that keeps the import on record.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from airlock.formats.pickle_ops import IS_OPCODE
from airlock.scan.allowlist import default_policy

if TYPE_CHECKING:
    from airlock.report import Finding
    from airlock.scan.interface import ScanContext
    from airlock.scan.pickle_vm import PickleAnalysis

TEXT_SUFFIXES = frozenset({".txt", ".md", ".csv", ".tsv", ".vocab", ".labels", ".yaml", ".yml"})
MAX_TEXT_BYTES = 1 << 20
MAX_GLOBALS = 64
# opcodes that first look for a MARK (none was pushed: each fails before it acts); not INST,
# whose pure-Python version imports its class before it looks for the MARK
_NEEDS_MARK = frozenset(b"1eulotd") | {0x90, 0x91}  # ADDITEMS, FROZENSET
# opcodes that need two or more stack items (fail on one GLOBAL's single item)
_NEEDS_TWO = frozenset(b"Rbas") | {0x81, 0x92}  # REDUCE BUILD APPEND SETITEM NEWOBJ(_EX)


def _line(data: bytes, pos: int) -> tuple[str, int] | None:
    end = data.find(b"\n", pos)
    if end < 0:
        return None
    try:
        return data[pos:end].decode("utf-8"), end + 1
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=1)
def _known_modules() -> frozenset[str]:
    """Modules whose import could do something: the standard library (with the Python 2 names
    protocol-0 GLOBALs are mapped from) and every package the allowlist or danger table names."""
    import _compat_pickle

    policy = default_policy()
    names = [*policy.allowed_names(), *policy.prefixes, *policy.exact, *policy.modules]
    names += [*_compat_pickle.IMPORT_MAPPING, *(m for m, _ in _compat_pickle.NAME_MAPPING)]
    return frozenset(sys.stdlib_module_names) | {n.split(".")[0] for n in names if n}


def imports_only(data: bytes) -> list[tuple[str, str]] | None:
    """The (module, name) pairs a broken text pickle would import before it fails, when that is
    all it can do; ``None`` when the stream could do anything more (or completes)."""
    pos = 0
    names: list[tuple[str, str]] = []
    while pos < len(data):
        op = data[pos]
        if op == ord("c") and len(names) < MAX_GLOBALS:
            module = _line(data, pos + 1)
            name = _line(data, module[1]) if module else None
            if module is None or name is None:
                return names or None  # the unpickler fails reading the GLOBAL's lines
            names.append((module[0], name[0]))
            pos = name[1]
            continue
        if not names:
            return None
        if not IS_OPCODE[op] or op in _NEEDS_MARK or (len(names) == 1 and op in _NEEDS_TWO):
            return names
        return None
    return names or None  # ends after GLOBALs: truncated, nothing called


def text_import_only(data: bytes | memoryview, suffix: str) -> list[tuple[str, str]] | None:
    """``imports_only`` for a file named as text whose bytes are UTF-8 text and whose imports
    all name unknown modules; ``None`` otherwise (then it is judged as the pickle it reads as)."""
    if suffix.lower() not in TEXT_SUFFIXES or len(data) > MAX_TEXT_BYTES:
        return None
    raw = bytes(data)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(not (c.isprintable() or c in "\n\r\t") for c in text):
        return None
    names = imports_only(raw)
    if not names:
        return None
    known = _known_modules()
    if any(module.split(".")[0].strip() in known for module, _ in names):
        return None
    return names


_BROKEN_IMPORT = frozenset({"AIR-PKL-002", "AIR-PKL-005"})


def importable(module: str) -> bool:
    """Whether ``__import__`` could find ``module`` the way any installed package is found: every
    dotted part an identifier. ``hannels:`` (the GLOBAL a ``conda.yaml`` starting ``channels:``
    reads as) is found only as a file or folder of that exact name on ``sys.path``, which no
    package installs and a model folder that ships one is flagged for (its ``.py``)."""
    return all(part.isidentifier() for part in module.split("."))


def label_text_finding(
    data: bytes | memoryview, ctx: ScanContext, analysis: PickleAnalysis
) -> list[Finding] | None:
    """The findings that replace the pickle reading of a text file that only reads as a broken,
    import-only pickle of unknown modules: a LOW one that keeps the import on record, none when
    no module it names could be imported (YAML keys, prose: judged as the text it is); ``None``
    when the pickle reading stands."""
    from airlock.scan import pickle_rules

    if not analysis.error or not {f.rule_id for f in analysis.findings} <= _BROKEN_IMPORT:
        return None
    imports = text_import_only(data, PurePosixPath(ctx.member or ctx.location).suffix)
    if imports is None:
        return None
    if not any(importable(m) for m, _ in imports):
        return []
    evidence = "pickle.load would import " + ", ".join(f"{m}.{n}"[:120] for m, n in imports[:5])
    return [
        pickle_rules.rule("AIR-PKL-014").finding(
            ctx.location, evidence, member=ctx.member, offset=0
        )
    ]
