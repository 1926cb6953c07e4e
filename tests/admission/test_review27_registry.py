"""Session 27 review (review27): the webhook's registry answers are capped as they arrive.

``AsyncRegistry._call`` buffered the whole body (decoded by httpx) before comparing its size
with MAX_ANSWER_BYTES: an endless answer, or a 3.5 KB ``Content-Encoding: gzip, gzip`` one
that decodes to gigabytes, was held whole. Now an encoded answer is refused and reading
stops at the cap (the gate's client had the same fix, registry/client.py)."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from airlock.admission import registry as reg_mod
from airlock.admission.decide import Unavailable
from airlock.admission.registry import AsyncRegistry

DIGEST = "ab" * 32
ALLOW = json.dumps({"allow": True, "digest": DIGEST, "model": "m", "state": "approved"}).encode()


class _Stream(httpx.AsyncByteStream):
    def __init__(self, parts: list[bytes], sent: list[int]) -> None:
        self.parts, self.sent = parts, sent

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.sent[0] += 1
            yield part


def _ask(answer: Any) -> Any:
    async def run() -> Any:
        client = AsyncRegistry("http://reg.test", "t", transport=httpx.MockTransport(answer))
        try:
            return await client.check(DIGEST)
        finally:
            await client.aclose()

    return asyncio.run(run())


def test_an_honest_answer_still_reads() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept-encoding"] == "identity"
        return httpx.Response(200, stream=_Stream([ALLOW[:10], ALLOW[10:]], [0]))

    assert _ask(answer).allow


def test_an_encoded_answer_is_refused() -> None:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = c.compress(ALLOW) + c.flush()

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip"}
        return httpx.Response(200, stream=_Stream([body], [0]), headers=headers)

    with pytest.raises(Unavailable, match="encoded"):
        _ask(answer)


def test_an_endless_answer_is_not_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reg_mod, "MAX_ANSWER_BYTES", 1 << 20)
    sent = [0]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Stream([b" " * (1 << 20)] * 64 + [ALLOW], sent))

    with pytest.raises(Unavailable, match="too large"):
        _ask(answer)
    assert sent[0] <= 3
