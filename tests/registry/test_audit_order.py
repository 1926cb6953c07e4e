"""Audit events become visible in sequence order, so a follower's cursor never passes one.

A follower (the admission webhook's cache, ``registry audit log --after``, the console's export)
reads events ``after`` the last sequence number it saw. Were sequence numbers handed out at
INSERT and made visible at COMMIT (a PostgreSQL sequence), a transaction holding seq N could
commit after one holding N+1, and a follower that read N+1 would skip N for good (a revocation,
say). The registry instead takes ``audit_head``'s row lock before it numbers an event and holds
it to COMMIT: a second writer waits, and commit order is sequence order. These tests hold that
on a real PostgreSQL with two connections.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from airlock.admission.cache import RegistryView
from airlock.registry import audit
from airlock.registry.store import Store

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)
WAIT = 30.0  # upper bound for a condition we wait for (not a timing assertion)


def _append(store: Store, actor: str, action: str) -> int:
    with store._write() as (s, head):
        return audit.append(s, head, actor=actor, action=action, subject="org/m").seq


def _waiting_on(store: Store, pid: int) -> int:
    """How many backends wait for a lock held by backend ``pid``."""
    q = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    with store.engine.connect() as conn:
        return int(conn.execute(q, {"pid": pid}).scalar_one())


def test_a_later_writer_waits_for_the_earlier_commit(store: Store) -> None:
    start = store.audit_head().seq
    first_open, release = threading.Event(), threading.Event()
    seqs: dict[str, int] = {}
    pid: list[int] = []

    def first() -> None:  # takes the next number, then stays open until released
        with store._write() as (s, head):
            pid.append(s.execute(text("SELECT pg_backend_pid()")).scalar_one())
            seqs["first"] = audit.append(s, head, actor="a", action="version.revoke",
                                         subject="org/m").seq  # fmt: skip
            first_open.set()  # not flushed: the number alone must hold the others back
            release.wait(WAIT)

    def second() -> None:
        # (an action audit_verify does not replay against a table: the event is synthetic)
        seqs["second"] = _append(store, "b", "deployment.record")

    t1 = threading.Thread(target=first)
    t1.start()
    try:
        assert first_open.wait(WAIT)
        t2 = threading.Thread(target=second)
        t2.start()
        deadline = time.monotonic() + WAIT
        while t2.is_alive() and _waiting_on(store, pid[0]) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        # With numbers from a sequence the second writer would commit seq N+1 here, and a
        # follower would read it while N is still invisible.
        assert t2.is_alive() and _waiting_on(store, pid[0]) == 1, seqs
        assert store.audit_events(after=start) == []
        assert store.audit_head().seq == start
    finally:
        release.set()
        t1.join(WAIT)
    t2.join(WAIT)
    events = store.audit_events(after=start)
    assert [(e.seq, e.actor) for e in events] == [(start + 1, "a"), (start + 2, "b")]
    assert seqs == {"first": start + 1, "second": start + 2}
    assert store.audit_verify().ok


class _StoreRegistry:
    """The two calls the admission follower makes, answered by the store directly."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[int] = []

    async def head(self) -> tuple[int, str]:
        head = self.store.audit_head()
        return head.seq, head.hash

    async def events_after(self, seq: int, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.store.audit_events(after=seq, limit=limit, exclude="admission.")
        self.seen.extend(r.seq for r in rows)
        return [r.to_json() for r in rows]


def test_the_admission_follower_sees_every_event_under_concurrent_writers(store: Store) -> None:
    """Four writers commit concurrently while the webhook's follower reads: it misses none."""
    registry = _StoreRegistry(store)
    view = RegistryView(registry, refresh=0.01, max_staleness=5.0)  # type: ignore[arg-type]
    asyncio.run(view.sync_once())
    start = view.seq
    assert start is not None

    def writer(i: int) -> None:
        for n in range(25):
            _append(store, f"w{i}", "admission.allow" if n % 5 == 0 else "version.revoke")

    async def follow(threads: list[threading.Thread]) -> None:
        while any(t.is_alive() for t in threads):
            await view.sync_once()
        await view.sync_once()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    asyncio.run(follow(threads))
    expected = [e.seq for e in store.audit_events(after=start, limit=1000)
                if not e.action.startswith("admission.")]  # fmt: skip
    assert len(expected) == 80
    assert sorted(set(registry.seen)) == expected
    assert view.seq == store.audit_head().seq
