"""``airlock admission serve``: the validating (``/validate``) and mutating (``/mutate``)
webhook over HTTPS.

Per review: parse (malformed -> deny with the reason), look every model up in the
:class:`~airlock.admission.cache.RegistryView` within ``review_timeout`` (no answer -> deny, or
allow with a warning under ``fail_open``), judge, append the decision to the spool (the audit
chain's queue), answer. Background tasks follow the registry's audit log and send the spool.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import ssl
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from airlock.admission import review as rv
from airlock.admission.cache import RegistryView
from airlock.admission.decide import Modes, Unavailable, Verdict, judge
from airlock.admission.mutate import init_container_patch
from airlock.admission.registry import AsyncRegistry
from airlock.admission.spool import Spool

log = logging.getLogger("airlock.admission")
DEFAULT_IMAGE = "ghcr.io/airlock-dev/airlock:0.1.0"


@dataclass(frozen=True)
class Settings:
    registry_url: str
    spool_dir: Path
    token: str | None = None
    registry_ca: str | None = None
    registry_timeout: float = 2.0
    review_timeout: float = 3.0
    refresh: float = 1.0
    max_staleness: float = 5.0
    ttl: float = 60.0
    flush_interval: float = 0.5
    max_backlog: int = 100_000
    advisory_fail_on: str = "low"
    verifier_image: str = DEFAULT_IMAGE
    modes: Modes = field(default_factory=Modes)


class Webhook:
    """The webhook's state: registry view, spool, modes."""

    def __init__(self, settings: Settings, registry: AsyncRegistry | None = None) -> None:
        self.settings = settings
        self.registry = registry or AsyncRegistry(
            settings.registry_url,
            settings.token,
            timeout=settings.registry_timeout,
            ca_file=settings.registry_ca,
            advisory_fail_on=settings.advisory_fail_on,
        )
        self.view = RegistryView(
            self.registry,
            refresh=settings.refresh,
            max_staleness=settings.max_staleness,
            ttl=settings.ttl,
        )
        self.spool = Spool(settings.spool_dir, max_backlog=settings.max_backlog)
        self.stop = asyncio.Event()
        self.unrecorded = 0

    # -- one review ---------------------------------------------------------------------------

    async def validate(self, body: bytes) -> dict[str, Any]:
        try:
            workload = rv.parse_review(body)
        except rv.ReviewError as exc:
            uid = rv.uid_of(body)
            self._record(None, Verdict(False, f"airlock: malformed review: {exc}"), uid)
            return rv.response(uid, False, f"airlock: malformed review: {exc}")
        verdict = await self._judge(workload)
        if self.spool.backlog >= self.settings.max_backlog and verdict.allowed:
            # The audit chain is not keeping up (registry unreachable for long): an allow that
            # cannot be recorded is not given, unless the operator chose fail-open.
            note = "audit spool full: decisions cannot reach the registry's audit chain"
            if self.settings.modes.fail_open:
                verdict = Verdict(True, verdict.message, (*verdict.warnings, f"airlock: {note}"))
            else:
                verdict = Verdict(False, f"airlock: denied: {note}", unavailable=True)
        if not self._record(workload, verdict, workload.uid) and verdict.allowed:
            if not self.settings.modes.fail_open:
                verdict = Verdict(False, "airlock: denied: the decision cannot be recorded")
        return rv.response(
            workload.uid, verdict.allowed, verdict.message, warnings=list(verdict.warnings)
        )

    async def _judge(self, workload: rv.Workload) -> Verdict:
        digests = list(dict.fromkeys(r.digest for r in workload.refs))
        try:
            async with asyncio.timeout(self.settings.review_timeout):
                locations = await self.view.locations(list(workload.uris))
                digests += [
                    loc.digest
                    for loc in locations.values()
                    if not isinstance(loc, Unavailable) and loc.digest and loc.digest not in digests
                ]
                answers = await self.view.answers(digests)
        except TimeoutError:
            late = Unavailable(f"no registry answer within {self.settings.review_timeout:g} s")
            answers = dict.fromkeys(digests, late)
            locations = dict.fromkeys(workload.uris, late)
        return judge(workload, answers, locations, self.settings.modes)

    async def mutate(self, body: bytes) -> dict[str, Any]:
        try:
            workload = rv.parse_review(body)
            patch = init_container_patch(workload, self.settings.verifier_image)
        except rv.ReviewError as exc:
            return rv.response(rv.uid_of(body), False, f"airlock: malformed review: {exc}")
        return rv.response(workload.uid, True, "", patch=patch)

    def _record(self, workload: rv.Workload | None, verdict: Verdict, uid: str) -> bool:
        """Spool the decision for the audit chain; False when it could not be kept."""
        modes = self.settings.modes
        mode = "warn-only" if modes.warn_only else "fail-open" if modes.fail_open else "enforce"
        event = {
            "id": uuid.uuid4().hex,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "uid": uid[:128],
            "kind": workload.kind if workload else "",
            "namespace": workload.namespace if workload else "",
            "name": workload.name if workload else "",
            "operation": workload.operation if workload else "",
            "user": workload.user if workload else "",
            "models": workload.models if workload else [],
            "allowed": verdict.allowed,
            "reason": verdict.message[:4000],
            "mode": mode,
        }
        if workload is not None and workload.dry_run:
            return True  # dry runs have no side effects (the webhook declares NoneOnDryRun)
        if self.spool.backlog >= 10 * self.settings.max_backlog:
            self.unrecorded += 1  # the disk bound: counted and reported on /readyz
            return False
        try:
            self.spool.add(event)
        except OSError as exc:
            self.unrecorded += 1
            log.error("cannot spool an admission decision: %s", exc)
            return False
        return True

    # -- background ---------------------------------------------------------------------------

    async def flush_once(self) -> int:
        """Send every waiting spool segment; returns how many were acknowledged."""
        sent = 0
        for path in self.spool.ready():
            lines = Spool.read(path)
            if lines:
                try:
                    await self.registry.record(lines)
                except Unavailable as exc:
                    log.warning("audit batch not sent (will retry): %s", exc)
                    break
            self.spool.done(path)
            sent += 1
        return sent

    async def flusher(self) -> None:
        while not self.stop.is_set():
            try:
                await self.flush_once()
            except Exception:
                log.exception("audit flush failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), timeout=self.settings.flush_interval)

    def status(self) -> dict[str, Any]:
        return {
            "cache": self.view.status(),
            "audit_backlog": self.spool.backlog,
            "unrecorded": self.unrecorded,
            "modes": {
                "fail_open": self.settings.modes.fail_open,
                "warn_only": self.settings.modes.warn_only,
                "require_models": self.settings.modes.require_models,
            },
        }


class FastPath:
    """ASGI: ``POST /validate`` and ``/mutate`` are answered here, without FastAPI's router,
    request objects and dependency resolution (they cost more CPU per review than the review);
    everything else goes to the FastAPI app."""

    def __init__(self, app: FastAPI, hook: Webhook) -> None:
        self.app = app
        self.hook = hook
        self.state = app.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path")
        if scope["type"] != "http" or scope["method"] != "POST" or path not in _ROUTES:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= rv.MAX_REVIEW_BYTES:
                chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks) if size <= rv.MAX_REVIEW_BYTES else b"\x00too large"
        handler = self.hook.validate if path == "/validate" else self.hook.mutate
        try:
            result = await handler(body)
        except Exception as exc:  # never a 500: the API server would apply its failurePolicy
            log.exception("review failed")
            why = f"airlock: denied: internal error ({type(exc).__name__})"
            result = rv.response(rv.uid_of(body), False, why)
        answer = json.dumps(result, separators=(",", ":")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})


_ROUTES = frozenset({"/validate", "/mutate"})


def create_app(settings: Settings, registry: AsyncRegistry | None = None) -> FastPath:
    hook = Webhook(settings, registry)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        gc.freeze()  # start-up objects out of the collector's way: shorter pauses per review
        tasks = [
            asyncio.create_task(hook.view.follow(hook.stop)),
            asyncio.create_task(hook.flusher()),
        ]
        try:
            yield
        finally:
            hook.stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await hook.flush_once()
            hook.spool.close()
            await hook.registry.aclose()

    app = FastAPI(
        title="Airlock admission webhook",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.hook = hook

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        status = hook.status()
        ready = status["cache"]["audit_seq"] is not None
        return JSONResponse(status, status_code=200 if ready else 503)

    return FastPath(app, hook)


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    tls_cert: str,
    tls_key: str,
    client_ca: str | None = None,
) -> None:
    """Run the webhook with uvicorn over HTTPS (``client_ca``: require client certificates)."""
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        ssl_ca_certs=client_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED if client_ca else ssl.CERT_NONE,
        log_level="warning",
        access_log=False,
        loop="auto",
        http="auto",
        timeout_graceful_shutdown=5,
    )
