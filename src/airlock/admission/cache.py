"""Registry answers kept in memory, trusted only while the audit log is being followed.

The follower reads the registry's audit log every ``refresh`` seconds from the last sequence
number it saw; any event that can change a gate answer (a decision, revocation, advisory,
policy, key, attestation or location change) empties the cache. Cached answers are served only
while the last successful follow *started* at most ``max_staleness`` seconds ago, so every
answer reflects every registry change committed more than ``max_staleness`` seconds earlier: a
revocation reaches admission within ``max_staleness`` (default 5 s). When the follower cannot
reach the registry for longer, every review asks the registry itself (and is denied when that
fails too). ``ttl`` also bounds each entry's age (policies that look at attestation age change
with time alone). The registry numbers audit events under a lock held to commit, so they become
visible in sequence order and the cursor never moves past an event that is still to commit
(``airlock.registry.audit``); the bound above holds without re-reading gaps.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from airlock.admission.decide import Answer, Location, Unavailable
from airlock.admission.registry import AsyncRegistry

log = logging.getLogger("airlock.admission")
T = TypeVar("T")
MAX_ENTRIES = 50_000
#: Audit actions that cannot change a gate answer (the webhook's own records among them).
QUIET_ACTIONS = frozenset(
    {
        "admission.allow",
        "admission.deny",
        "deployment.record",
        "token.create",
        "decision.refused",
        "attestation.refused",
        "version.submit",
    }
)


@dataclass
class _Entry(Generic[T]):
    value: T
    at: float


class _Table(Generic[T]):
    """One keyed cache with single-flight fetches and epoch-guarded inserts."""

    def __init__(self) -> None:
        self.entries: dict[str, _Entry[T]] = {}
        self.inflight: dict[str, asyncio.Future[T]] = {}

    def clear(self) -> None:
        self.entries.clear()


class RegistryView:
    """What admission knows about the registry: ``answers`` and ``locations`` by key."""

    def __init__(
        self,
        registry: AsyncRegistry,
        *,
        refresh: float = 1.0,
        max_staleness: float = 5.0,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < refresh < max_staleness:
            raise ValueError("refresh must be positive and shorter than max_staleness")
        self.registry = registry
        self.refresh = refresh
        self.max_staleness = max_staleness
        self.ttl = ttl
        self.clock = clock
        self.seq: int | None = None
        self.head_hash: str | None = None  # the head's hash when it was at ``seq``
        self.synced_at: float | None = None  # when the last successful follow started
        self.epoch = 0
        self._answers: _Table[Answer] = _Table()
        self._locations: _Table[Location] = _Table()
        self.stats = {"hits": 0, "misses": 0, "invalidations": 0, "sync_errors": 0}

    # -- freshness ----------------------------------------------------------------------------

    def fresh(self) -> bool:
        return self.synced_at is not None and self.clock() - self.synced_at <= self.max_staleness

    def invalidate(self) -> None:
        self.epoch += 1
        self._answers.clear()
        self._locations.clear()
        self.stats["invalidations"] += 1

    async def sync_once(self) -> None:
        """Follow the audit log once; raises ``Unavailable`` when the registry cannot be read.

        The head first (one cheap call when nothing changed), then the events after the last
        one seen, without the webhook's own decisions; any other event empties the cache.
        """
        started = self.clock()
        head, head_hash = await self.registry.head()
        if (
            self.seq is None
            or head < self.seq  # first sync, or a different database
            or (head == self.seq and head_hash != self.head_hash)  # the same length rewritten
        ):
            self.seq = head
            self.invalidate()
        elif head > self.seq:
            changed = False
            cursor = self.seq
            for _ in range(100):  # at most 100 000 events per follow
                events = await self.registry.events_after(cursor)
                for e in events:
                    cursor = max(cursor, e["seq"])
                    if e.get("action") not in QUIET_ACTIONS:
                        changed = True
                if len(events) < 1000:
                    break
            else:
                changed = True  # too far behind to read it all: start over from the head
            self.seq = max(head, cursor)
            if changed:
                self.invalidate()
        if self.seq == head:
            self.head_hash = head_hash
        else:  # events committed after the head we read: compare at the next follow's head
            self.head_hash = None
        self.synced_at = started

    async def follow(self, stop: asyncio.Event) -> None:
        """Run :meth:`sync_once` every ``refresh`` seconds until ``stop`` is set."""
        while not stop.is_set():
            try:
                await self.sync_once()
            except Unavailable as exc:
                self.stats["sync_errors"] += 1
                log.warning("audit follow failed: %s", exc)
            except Exception:  # never let the follower die: answers would go stale silently
                self.stats["sync_errors"] += 1
                log.exception("audit follow failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.refresh)
            except TimeoutError:
                pass

    # -- look-ups -----------------------------------------------------------------------------

    async def _get(self, table: _Table[T], key: str, fetch: Callable[[str], Awaitable[T]]) -> T:
        now = self.clock()
        if self.fresh():
            hit = table.entries.get(key)
            if hit is not None and now - hit.at <= self.ttl:
                self.stats["hits"] += 1
                return hit.value
        self.stats["misses"] += 1
        pending = table.inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        epoch = self.epoch
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        table.inflight[key] = future
        try:
            value = await fetch(key)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            table.inflight.pop(key, None)
        future.set_result(value)
        if epoch == self.epoch:  # nothing changed in the registry while we asked
            if len(table.entries) >= MAX_ENTRIES:
                table.clear()
            table.entries[key] = _Entry(value, now)
        return value

    def _cached(self, table: _Table[T], keys: list[str]) -> dict[str, T | Unavailable] | None:
        """Every key's answer from the cache, or None when one of them must be fetched."""
        if not self.fresh():
            return None
        now = self.clock()
        found: dict[str, T | Unavailable] = {}
        for key in keys:
            hit = table.entries.get(key)
            if hit is None or now - hit.at > self.ttl:
                return None
            found[key] = hit.value
        self.stats["hits"] += len(keys)
        return found

    async def _many(
        self, table: _Table[T], keys: list[str], fetch: Callable[[str], Awaitable[T]]
    ) -> dict[str, T | Unavailable]:
        found = self._cached(table, keys)  # the hot path: every key cached, no task per key
        if found is not None:
            return found

        async def one(key: str) -> T | Unavailable:
            try:
                return await self._get(table, key, fetch)
            except Unavailable as exc:
                return exc

        results = await asyncio.gather(*(one(k) for k in keys))
        return dict(zip(keys, results, strict=True))

    def cached_answers(self, digests: list[str]) -> dict[str, Answer | Unavailable] | None:
        """Answers for ``digests`` without waiting, or None (something must be fetched)."""
        return self._cached(self._answers, digests)

    def cached_locations(self, uris: list[str]) -> dict[str, Location | Unavailable] | None:
        return self._cached(self._locations, uris)

    async def answers(self, digests: list[str]) -> dict[str, Answer | Unavailable]:
        return await self._many(self._answers, digests, self.registry.check)

    async def locations(self, uris: list[str]) -> dict[str, Location | Unavailable]:
        return await self._many(self._locations, uris, self.registry.resolve)

    def status(self) -> dict[str, Any]:
        age = None if self.synced_at is None else round(self.clock() - self.synced_at, 3)
        return {
            "fresh": self.fresh(),
            "audit_seq": self.seq,
            "sync_age_seconds": age,
            "max_staleness_seconds": self.max_staleness,
            "entries": len(self._answers.entries) + len(self._locations.entries),
            **self.stats,
        }
