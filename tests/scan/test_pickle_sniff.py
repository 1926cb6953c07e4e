"""Structural pickle sniffing: every protocol found by content, text and binaries left alone."""

from __future__ import annotations

import collections
import os
import pickle
from pathlib import Path

import pytest

from airlock.formats.pickle_sniff import looks_like_pickle

from . import samples

OBJECTS = [
    {"a": [1, 2.5, "x", b"y", None, True]},
    collections.OrderedDict(a=1),
    [1] * 100,
    (1, 2),
    "s" * 5000,
    list(range(3000)),
    {1, 2},
    frozenset([3]),
    2**100,
    bytearray(b"abc"),
    None,
]


@pytest.mark.parametrize("protocol", range(6))
@pytest.mark.parametrize("index", range(len(OBJECTS)))
def test_every_protocol_is_a_pickle(protocol: int, index: int) -> None:
    assert looks_like_pickle(pickle.dumps(OBJECTS[index], protocol=protocol))


@pytest.mark.parametrize("protocol", range(6))
def test_truncated_malicious_stream_is_a_pickle(tmp_path: Path, protocol: int) -> None:
    data = samples.evil_pickle(tmp_path / "m", protocol)
    assert looks_like_pickle(data[:-1])


def test_padding_cannot_hide_a_pickle() -> None:
    data = b"V" + b"a" * 300_000 + b"\ncos\nsystem\n(S'id'\ntR."
    assert looks_like_pickle(data)


def test_broken_after_call_is_a_pickle() -> None:
    assert looks_like_pickle(b"cos\nsystem\n(S'x'\ntRX\xff\xff\xff\x7f")


@pytest.mark.parametrize(
    "data",
    [
        b"Hello world\n",
        b"# README\n\nThis model is great.\n",
        b"[PAD]\n[unused0]\n[unused1]\n",
        b'{"architectures": ["BertModel"]}',
        b"(hello)",
        b"version: 1\n",
        b"3\n",
        b"little",
        b"x = 1\n",
        b"\x89PNG\r\n\x1a\n" + os.urandom(100),
        b"GGUF\x03\x00\x00\x00",
        b"\x80\x09 bad protocol",
        b"",
    ],
)
def test_non_pickles(data: bytes) -> None:
    assert not looks_like_pickle(data)


def test_minilm_files_are_not_pickles(minilm_dir: Path) -> None:
    for p in minilm_dir.rglob("*"):
        if p.is_file():
            assert not looks_like_pickle(p.read_bytes()), p.name
