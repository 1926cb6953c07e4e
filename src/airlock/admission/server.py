"""``airlock admission serve``: the validating (``/validate``) and mutating (``/mutate``)
webhook over HTTPS.

Per review: parse (malformed -> deny with the reason), look every model up in the
:class:`~airlock.admission.cache.RegistryView` within ``review_timeout`` (no answer -> deny, or
allow with a warning under ``fail_open``), judge, append the decision to the spool (the audit
chain's queue), answer. When every model is in the fresh cache (the usual case) all of that
runs synchronously as the request arrives. Background tasks follow the registry's audit log and
send the spool.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airlock.admission import jsonio
from airlock.admission import review as rv
from airlock.admission.cache import RegistryView
from airlock.admission.decide import Location, Modes, Unavailable, Verdict, judge
from airlock.admission.http import MAX_PER_CLIENT, Answer, Server, json_answer, server_context
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
    max_connections_per_client: int = MAX_PER_CLIENT


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

    def validate_now(self, body: bytes) -> dict[str, Any] | rv.Workload:
        """The answer when it needs no registry round trip (a malformed review, or every model
        in the fresh cache: the hot path), else the parsed workload for :meth:`validate_slow`."""
        try:
            workload = rv.parse_review(body)
        except rv.ReviewError as exc:
            uid = rv.uid_of(body)
            self._record(None, Verdict(False, f"airlock: malformed review: {exc}"), uid)
            return rv.response(uid, False, f"airlock: malformed review: {exc}")
        locations = self.view.cached_locations(list(workload.uris)) if workload.uris else {}
        if locations is None:
            return workload
        answers = self.view.cached_answers(_digests(workload, locations))
        if answers is None:
            return workload
        return self._finish(workload, judge(workload, answers, locations, self.settings.modes))

    async def validate_slow(self, workload: rv.Workload) -> dict[str, Any]:
        """Ask the registry (through the cache) within ``review_timeout``, then answer."""
        digests = _digests(workload, {})
        try:
            async with asyncio.timeout(self.settings.review_timeout):
                locations = await self.view.locations(list(workload.uris))
                digests = _digests(workload, locations)
                answers = await self.view.answers(digests)
        except TimeoutError:
            late = Unavailable(f"no registry answer within {self.settings.review_timeout:g} s")
            answers = dict.fromkeys(digests, late)
            locations = dict.fromkeys(workload.uris, late)
        return self._finish(workload, judge(workload, answers, locations, self.settings.modes))

    async def validate(self, body: bytes) -> dict[str, Any]:
        first = self.validate_now(body)
        return first if isinstance(first, dict) else await self.validate_slow(first)

    def _finish(self, workload: rv.Workload, verdict: Verdict) -> dict[str, Any]:
        """Record the decision (an allow that cannot be recorded is not given), then answer."""
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

    def mutate(self, body: bytes) -> dict[str, Any]:
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
            "id": os.urandom(16).hex(),  # unique: tells a resent batch's duplicates apart
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
        """Send every waiting spool segment; returns how many were acknowledged. File I/O
        (fsync, reads) runs in a thread: the event loop keeps answering reviews meanwhile."""
        segments = self.spool.rotate()
        if segments:
            try:
                await asyncio.to_thread(Spool.seal, segments)
            finally:
                self.spool.sealed(segments)
        sent = 0
        for path in self.spool.waiting():
            lines, count = await asyncio.to_thread(Spool.load, path)
            if lines:
                try:
                    await self.registry.record(lines)
                except Unavailable as exc:
                    log.warning("audit batch not sent (will retry): %s", exc)
                    break
            self.spool.done(path, count)
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


def _digests(workload: rv.Workload, locations: dict[str, Location | Unavailable]) -> list[str]:
    """The digests to ask about: named ones, then those the storage URIs resolved to."""
    digests = list(dict.fromkeys(r.digest for r in workload.refs))
    for loc in locations.values():
        if not isinstance(loc, Unavailable) and loc.digest and loc.digest not in digests:
            digests.append(loc.digest)
    return digests


_json = jsonio.dumps


class App:
    """The webhook behind its routes, with its background tasks' life cycle.

    ``POST /validate`` and ``/mutate`` always answer HTTP 200 with an AdmissionReview (a review
    that fails inside the webhook is a denial naming the error, never a 500 left to the API
    server's ``failurePolicy``); ``GET /healthz`` is liveness, ``GET /readyz`` readiness."""

    def __init__(self, settings: Settings, registry: AsyncRegistry | None = None) -> None:
        self.hook = Webhook(settings, registry)
        self.server = Server(
            self.fast,
            self.slow,
            max_body=rv.MAX_REVIEW_BYTES,
            max_per_client=settings.max_connections_per_client,
        )
        self._tasks: list[asyncio.Task[None]] = []

    def fast(self, method: bytes, path: bytes, body: bytes) -> Answer | None:
        if path == b"/validate" or path == b"/mutate":
            if method != b"POST":
                return json_answer(405, {"error": "POST an AdmissionReview"})
            try:
                if path == b"/mutate":
                    return 200, _json(self.hook.mutate(body))
                first = self.hook.validate_now(body)
            except Exception as exc:
                return 200, _json(_internal_error(body, exc))
            return (200, _json(first)) if isinstance(first, dict) else None
        if method != b"GET":
            return json_answer(404, {"error": "not found"})
        if path == b"/healthz":
            return json_answer(200, {"status": "ok"})
        if path == b"/readyz":
            status = self.hook.status()
            return json_answer(200 if status["cache"]["audit_seq"] is not None else 503, status)
        return json_answer(404, {"error": "not found"})

    async def slow(self, method: bytes, path: bytes, body: bytes) -> Answer:
        try:
            return 200, _json(await self.hook.validate(body))
        except Exception as exc:
            return 200, _json(_internal_error(body, exc))

    async def start(self, host: str, port: int, ssl_context: ssl.SSLContext | None) -> int:
        """Start the background tasks and listen; returns the port."""
        gc.freeze()  # start-up objects out of the collector's way: shorter pauses per review
        hook = self.hook
        self._tasks = [
            asyncio.create_task(hook.view.follow(hook.stop)),
            asyncio.create_task(hook.flusher()),
        ]
        return await self.server.start(host, port, ssl_context)

    async def stop(self) -> None:
        """Finish answers in progress, stop the background tasks, send what is spooled."""
        await self.server.stop()
        hook = self.hook
        hook.stop.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await hook.flush_once()
        hook.spool.close()
        await hook.registry.aclose()


def _internal_error(body: bytes, exc: Exception) -> dict[str, Any]:
    log.error("review failed", exc_info=exc)
    why = f"airlock: denied: internal error ({type(exc).__name__})"
    return rv.response(rv.uid_of(body), False, why)


async def run(
    app: App,
    host: str,
    port: int,
    ssl_context: ssl.SSLContext | None,
    stop: asyncio.Event,
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Serve until ``stop`` is set (``on_ready(port)`` once listening)."""
    bound = await app.start(host, port, ssl_context)
    try:
        if on_ready is not None:
            on_ready(bound)
        await stop.wait()
    finally:
        await app.stop()


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    tls_cert: str,
    tls_key: str,
    client_ca: str | None = None,
) -> None:
    """Run the webhook over HTTPS until SIGTERM/SIGINT (``client_ca``: require client
    certificates), on uvloop when it is installed."""
    ctx = server_context(tls_cert, tls_key, client_ca)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run(App(settings), host, port, ctx, stop)

    new_loop()(main())


def new_loop() -> Callable[[Any], Any]:
    """``uvloop.run`` when available (a third less CPU per request here), else ``asyncio.run``."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run
