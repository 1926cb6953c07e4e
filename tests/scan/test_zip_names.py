"""Zip member names as Python's zipfile reads them (review13 #14): ``ZipInfo`` cuts a name at
its first NUL, and of entries sharing a name ``ZipFile.read`` returns the last. A member
``schema.json\\0x`` after a benign ``schema.json`` is what skops loads; any such name is
AIR-ARC-010 for every zip handler, and skops judges the schema zipfile finds."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from typing import Any

import pytest

from airlock.scan.engine import scan_data

_EVIL = {"__class__": "system", "__module__": "os", "__loader__": "ConstructorFromReduceNode",
         "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                     "content": [{"__class__": "str", "__module__": "builtins",
                                  "__loader__": "JsonNode", "content": '"true"',
                                  "is_json": True}]},
         "protocol": 2}  # fmt: skip
_BENIGN = {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode",
           "content": [], "protocol": 2}  # fmt: skip


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip with these names; a NUL is written by renaming a placeholder of the same length
    (zipfile itself cuts names at NUL when writing)."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of some cases
        for name, data in members:
            z.writestr(name.replace("\0", "\x01"), data)
    raw = buf.getvalue()
    for name, _ in members:
        if "\0" in name:
            raw = raw.replace(name.replace("\0", "\x01").encode(), name.encode())
    return raw


def _rules(data: bytes, name: str) -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings}


def _schema(doc: Any) -> bytes:
    return json.dumps(doc).encode()


def test_a_second_schema_json_behind_a_nul_is_what_zipfile_reads_and_is_judged() -> None:
    data = _zip([("schema.json", _schema(_BENIGN)), ("schema.json\0x", _schema(_EVIL))])
    # the reader skops uses: the NUL entry is "schema.json", and the last one wins
    assert json.loads(zipfile.ZipFile(io.BytesIO(data)).read("schema.json")) == _EVIL
    rules = _rules(data, "m.skops")
    assert {"AIR-ARC-010", "AIR-SKOPS-001"} <= rules


def test_a_schema_json_named_only_with_a_nul_is_still_the_skops_schema() -> None:
    data = _zip([("schema.json\0.bak", _schema(_EVIL))])
    assert {"AIR-ARC-010", "AIR-SKOPS-001"} <= _rules(data, "m.skops")


@pytest.mark.parametrize(
    ("members", "name"),
    [
        ([("a.npy", b"1"), ("a.npy", b"2")], "x.npz"),  # plain duplicate, different bytes
        ([("config.json", b"{}"), ("config.json\0x", b"[]")], "m.keras"),
        ([("archive/data.pkl\0", b"x")], "m.pt"),  # a NUL alone: readers disagree on the name
        ([("a/b.npy", b"1"), ("a\\b.npy", b"2")], "x.npz"),  # one name on Windows' zipfile
    ],
)
def test_names_zip_readers_resolve_differently_are_high(
    members: list[tuple[str, bytes]], name: str
) -> None:
    report = scan_data(_zip(members), name)
    hits = [f for f in report.findings if f.rule_id == "AIR-ARC-010"]
    assert hits and all(f.severity >= 3 for f in hits), report.findings


def test_distinct_names_and_honest_skops_members_stay_clean() -> None:
    data = _zip([("schema.json", _schema(_BENIGN)), ("schema.json.bak", b"{}"),
                 ("a.npy", b"1"), ("b.npy", b"1")])  # fmt: skip
    assert "AIR-ARC-010" not in _rules(data, "m.skops")
    assert not scan_data(_zip([("schema.json", _schema(_BENIGN))]), "m.skops").findings
