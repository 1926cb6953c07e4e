"""Session 27 review (review27): the registry client's size cap held for undecoded bytes only.

httpx decodes each received chunk whole before ``_fetch`` counts it, so a 3.5 KB answer with
``Content-Encoding: gzip, gzip`` became 4 GB in the client's memory (against a 256 MB cap).
The client now asks for no encoding and refuses an encoded answer (no decision: deny)."""

from __future__ import annotations

import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from airlock.registry import client as client_mod
from airlock.registry.client import RegistryClient
from airlock.registry.errors import InvalidRequest, RemoteError

ASKED = "ab" * 32
ALLOW = b'{"allow": true, "digest": "' + ASKED.encode() + b'", "state": "approved", "model": "m"}'


def _gzip(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def _client(answer: Any) -> RegistryClient:
    return RegistryClient("http://reg.test", "t", transport=httpx.MockTransport(answer))


def test_an_encoded_answer_is_refused_and_none_is_asked_for() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("accept-encoding", ""))
        return httpx.Response(200, content=_gzip(ALLOW), headers={"Content-Encoding": "gzip"})

    with _client(answer) as client, pytest.raises(RemoteError, match="encoded"):
        client.check(ASKED)
    assert seen == ["identity"]


def test_a_compression_bomb_is_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_mod, "MAX_RESPONSE_BYTES", 1 << 20)
    bomb = _gzip(_gzip(ALLOW + b" " * (64 << 20)))
    assert len(bomb) < 1 << 16

    def answer(request: httpx.Request) -> httpx.Response:
        # streamed, as a real transport gives it (content= is decoded in the mock itself)
        return httpx.Response(200, stream=_Stream(bomb), headers={"Content-Encoding": "gzip, gzip"})

    tracemalloc.start()
    try:
        with _client(answer) as client, pytest.raises(RemoteError):
            client.check(ASKED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20  # was 64 MB: the whole bomb decoded before the 1 MB cap


class _Stream(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body


@pytest.mark.parametrize("token", ["alk_tökén", "alk_abc def", "alk_abc\n", "alk_\u201cabc\u201d"])
def test_a_token_no_header_can_hold_is_a_usage_error(
    token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pasted token with a typographic character or a line break was 'internal error:
    UnicodeEncodeError' (review27's open item); now a clear usage error before any request."""
    monkeypatch.delenv("AIRLOCK_REGISTRY_TOKEN", raising=False)
    with pytest.raises(InvalidRequest, match="printable ASCII"):
        RegistryClient("http://127.0.0.1:9", token)
