"""The webhook's registry connection (async, bounded in time): gate answers by digest, storage
location look-ups, the audit log to follow, and the audit batches to append."""

from __future__ import annotations

import os
import ssl
from typing import Any

import httpx

from airlock.admission.decide import Answer, Location, Unavailable

MAX_ANSWER_BYTES = 4 * 1024 * 1024


class AsyncRegistry:
    """HTTP client for the registry service; every failure becomes ``Unavailable``."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 2.0,
        ca_file: str | None = None,
        advisory_fail_on: str = "low",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r}: registry URL must start with http:// or https://")
        tok = token or os.environ.get("AIRLOCK_REGISTRY_TOKEN", "")
        self.url = url.rstrip("/")
        self.advisory_fail_on = advisory_fail_on
        self._http = httpx.AsyncClient(
            base_url=self.url,
            # answers are read undecoded and capped as they arrive (_call): ask for no encoding
            headers={"Accept-Encoding": "identity"}
            | ({"Authorization": f"Bearer {tok}"} if tok else {}),
            timeout=httpx.Timeout(timeout),
            verify=ssl.create_default_context(cafile=ca_file) if ca_file else True,
            transport=transport,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """The answer, read at most MAX_ANSWER_BYTES (review27: the whole body was buffered,
        and gzip-decoded by httpx, before its size was looked at: an endless or a 3.5 KB
        "Content-Encoding: gzip, gzip" answer took gigabytes)."""
        chunks: list[bytes] = []
        size = 0
        try:
            async with self._http.stream(method, path, **kw) as resp:
                coding = resp.headers.get("content-encoding", "").strip().lower()
                if coding not in ("", "identity"):
                    raise Unavailable(f"registry answer is {coding[:40]!r}-encoded")
                async for chunk in resp.aiter_bytes():  # identity: nothing decoded
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise Unavailable("registry answer too large")
                    chunks.append(chunk)
        except httpx.TimeoutException:
            raise Unavailable(f"registry did not answer in time ({path})") from None
        except httpx.HTTPError as exc:
            raise Unavailable(f"cannot reach the registry: {type(exc).__name__}") from None
        return httpx.Response(resp.status_code, content=b"".join(chunks), request=resp.request)

    @staticmethod
    def _json(resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except (ValueError, RecursionError):
            raise Unavailable(f"registry answered HTTP {resp.status_code} without JSON") from None

    def _fail(self, resp: httpx.Response) -> Unavailable:
        msg = ""
        data = None
        try:
            data = resp.json()
        except (ValueError, RecursionError):
            pass
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            msg = str(data["error"].get("message", ""))[:200]
        return Unavailable(f"registry answered HTTP {resp.status_code} {msg}".strip())

    async def check(self, digest: str) -> Answer:
        body = {"digest": digest, "advisory_fail_on": self.advisory_fail_on}
        resp = await self._call("POST", "/v1/check", json=body)
        if resp.status_code != 200:
            raise self._fail(resp)
        data = self._json(resp)
        try:
            allow = data["allow"]
            reasons = tuple(str(r)[:500] for r in data.get("reasons", [])[:32])
            warnings = tuple(str(w)[:500] for w in data.get("warnings", [])[:32])
            model, state = data.get("model"), data.get("state")
        except (TypeError, KeyError, AttributeError):
            raise Unavailable("registry answered /v1/check with a malformed decision") from None
        if (
            not isinstance(allow, bool)
            or data.get("digest") != digest
            or not isinstance(model, str | None)
            or not isinstance(state, str | None)
        ):
            raise Unavailable("registry answered /v1/check with a malformed decision")
        return Answer(allow, model, state, reasons, warnings)

    async def resolve(self, uri: str) -> Location:
        resp = await self._call("GET", "/v1/locations", params={"uri": uri})
        if resp.status_code == 404:
            return Location(None)
        if resp.status_code != 200:
            raise self._fail(resp)
        data = self._json(resp)
        digest = data.get("digest") if isinstance(data, dict) else None
        model = data.get("model") if isinstance(data, dict) else None
        if not isinstance(digest, str) or len(digest) != 64 or not isinstance(model, str):
            raise Unavailable("registry answered /v1/locations with a malformed record")
        return Location(digest, model)

    async def head(self) -> tuple[int, str]:
        """The audit head: its sequence number and hash."""
        resp = await self._call("GET", "/v1/audit/head")
        if resp.status_code != 200:
            raise self._fail(resp)
        data = self._json(resp)
        seq = data.get("seq") if isinstance(data, dict) else None
        digest = data.get("hash") if isinstance(data, dict) else None
        if not isinstance(seq, int) or not isinstance(digest, str):
            raise Unavailable("registry answered /v1/audit/head without a sequence number")
        return seq, digest

    async def events_after(self, seq: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Events after ``seq``, leaving out admission decisions (the webhook's own)."""
        params = {"after": seq, "limit": limit, "exclude": "admission."}
        resp = await self._call("GET", "/v1/audit", params=params)
        if resp.status_code != 200:
            raise self._fail(resp)
        data = self._json(resp)
        if not isinstance(data, list) or not all(
            isinstance(e, dict) and isinstance(e.get("seq"), int) for e in data
        ):
            raise Unavailable("registry answered /v1/audit with malformed events")
        return data

    async def record(self, lines: list[bytes]) -> None:
        """Send spooled decisions (their JSON lines as written: nothing parsed again)."""
        body = b'{"events":[' + b",".join(lines) + b"]}"
        headers = {"Content-Type": "application/json"}
        resp = await self._call("POST", "/v1/admission/events", content=body, headers=headers)
        if resp.status_code != 201:
            raise self._fail(resp)
