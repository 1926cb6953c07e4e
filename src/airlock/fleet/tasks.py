"""The Celery app and its one task: judge one file (one digest + name of one job).

Delivery guarantees come from the broker, bookkeeping from the database:

- late acks, prefetch 1, ``reject_on_worker_lost``: a message is acknowledged only after its
  verdict is written, so a worker killed mid-task (``kill -9``, OOM killer) or a broker restart
  puts it back on the queue, and another worker takes it;
- a repeat is harmless: verdicts are keyed by content (one row per key) and a file is closed
  only once (``jobs.finish`` touches open files only);
- poison inputs: every start counts an attempt in the database; past ``max_attempts`` (the
  worker died on it each time) the file is closed "not scanned" and the message goes to the
  dead-letter queue instead of killing workers forever;
- limits: a soft time limit ends the scan as "not scanned" (the hard limit kills the child;
  ``on_failure`` then records it), and each pool child runs under an address-space-free data
  limit (RLIMIT_DATA: heap, not the mapped model file), so running out is a MemoryError the
  engine turns into "not scanned", never a lost file.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from kombu.entity import Queue as _Queue

from airlock.fleet.cache import CONTEXT_FORMATS

QUEUE = "airlock.fleet"
TASK = "airlock.fleet.judge_file"
MAX_QUEUE = 100_000  # the broker's hard bound (amqp: x-max-length, reject-publish)
DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
ENV_BROKER = "AIRLOCK_FLEET_BROKER"
ENV_QUEUE = "AIRLOCK_FLEET_QUEUE"


def broker_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_BROKER, "").strip() or DEFAULT_BROKER


def is_amqp(url: str) -> bool:
    return url.split("://", 1)[0] in ("amqp", "pyamqp", "amqps")


def _queue(name: str, **kw: Any) -> Any:
    return _Queue(name, **kw)  # type: ignore[no-untyped-call]


def queue_name(name: str | None = None) -> str:
    """The work queue (``--queue``/``$AIRLOCK_FLEET_QUEUE``; separate fleets share a broker)."""
    return name or os.environ.get(ENV_QUEUE, "").strip() or QUEUE


def dead_queue(queue: str) -> str:
    return f"{queue}.dead"


def queues(url: str, queue: str) -> list[Any]:
    if not is_amqp(url):
        return [_queue(queue, durable=True)]
    args = {
        "x-max-length": MAX_QUEUE,
        "x-overflow": "reject-publish",
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": dead_queue(queue),
    }
    return [_queue(queue, durable=True, routing_key=queue, queue_arguments=args)]


def make_app(
    broker: str | None = None,
    database: str | None = None,
    *,
    queue: str | None = None,
    time_limit: float = 300.0,
    memory_limit_mb: int = 4096,
    max_attempts: int = 3,
) -> Celery:
    url = broker_url(broker)
    queue = queue_name(queue)
    app = Celery("airlock-fleet", broker=url, set_as_current=True)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_queues=queues(url, queue),
        task_default_queue=queue,
        task_default_delivery_mode="persistent",
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_soft_time_limit=time_limit,
        task_time_limit=time_limit + 30.0,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        # publisher confirms: a bounded queue refuses a publish instead of dropping it
        broker_transport_options={"confirm_publish": True} if is_amqp(url) else {},
        airlock_database=database,
        airlock_memory_limit_mb=memory_limit_mb,
        airlock_max_attempts=max_attempts,
        airlock_queue=queue,
    )
    app.task(
        name=TASK,
        bind=True,
        base=JudgeTask,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(RetryableError,),
        retry_backoff=2,
        retry_backoff_max=60,
        max_retries=5,
    )(judge_file)
    return app


class RetryableError(Exception):
    """The database was unreachable: retry later (the file stays queued)."""


def _child_init(**_: Any) -> None:
    """Each pool child: heap limit (RLIMIT_DATA counts heap and anonymous maps, not the
    read-only mapping of the model file), and no core dumps."""
    import resource

    from celery import current_app

    mb = int(current_app.conf.get("airlock_memory_limit_mb") or 0)
    if mb > 0:
        limit = mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        except (ValueError, OSError):
            pass
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    # the scanner's modules and the ruleset versions, once per child (not in the first task)
    from airlock.fleet.ruleset import current

    current()


worker_process_init.connect(_child_init)

_ENGINES: dict[str, Any] = {}


def _engine(url: str | None) -> Any:
    from airlock.registry.db import database_url, make_engine

    key = database_url(url)
    if key not in _ENGINES:
        _ENGINES[key] = make_engine(key)
    return _ENGINES[key]


class JudgeTask(Task):  # type: ignore[misc]
    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Retries exhausted, or the hard time limit killed the child: never lose the file."""
        job_id, sha256, name, _location = _args(args, kwargs)
        from celery.exceptions import TimeLimitExceeded

        reason = (
            "not scanned: hard time limit exceeded"
            if isinstance(exc, TimeLimitExceeded)
            else f"not scanned: task failed ({type(exc).__name__}: {exc})"[:500]
        )
        state = "not_scanned" if isinstance(exc, TimeLimitExceeded) else "dead"
        try:
            from airlock.fleet import jobs

            jobs.finish(
                _engine(self.app.conf.airlock_database),
                job_id,
                sha256,
                name,
                state=state,
                verdict_key=None,
                from_cache=False,
                reason=reason,
            )
        finally:
            if state == "dead":
                dead_letter(self.app, args, reason)


def _args(args: Any, kwargs: Any) -> tuple[str, str, str, str]:
    vals = list(args or [])
    for k in ("job_id", "sha256", "name", "location")[len(vals) :]:
        vals.append((kwargs or {}).get(k, ""))
    return str(vals[0]), str(vals[1]), str(vals[2]), str(vals[3])


def dead_letter(app: Celery, args: Any, reason: str) -> None:
    """Park the task's arguments on the dead-letter queue (inspect, fix, resubmit)."""
    body = {"task": TASK, "args": list(args or []), "reason": reason, "at": time.time()}
    dead = dead_queue(app.conf.airlock_queue)
    with app.producer_or_acquire() as producer:
        producer.publish(
            body,
            routing_key=dead,
            exchange="",
            declare=[_queue(dead, durable=True)],
            serializer="json",
            delivery_mode="persistent",
            retry=True,
        )


def _short(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def judge_file(
    self: Task, job_id: str, sha256: str, name: str, location: str, solo: bool = False
) -> str:
    """Judge ``location`` (expected sha256 ``sha256``) for every file of ``job_id`` with that
    digest and name (``solo``: for this location only); returns the state written."""
    from sqlalchemy.exc import OperationalError

    from airlock.registry.errors import DatabaseError

    try:
        return _judge(self, job_id, sha256, name, location, solo)
    except (DatabaseError, OperationalError) as exc:
        raise RetryableError(str(exc)[:300]) from None


def _judge(self: Task, job_id: str, sha256: str, name: str, location: str, solo: bool) -> str:
    from airlock.fleet import jobs
    from airlock.fleet.cache import VerdictCache, cacheable, insert_verdict, record_ruleset
    from airlock.scan.engine import ScanOptions, read_once

    t0 = time.perf_counter()
    conf = self.app.conf
    engine = _engine(conf.airlock_database)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    only = location if solo else None

    def close(state: str, reason: str | None, **kw: Any) -> str:
        kw.setdefault("verdict_key", None)
        kw.setdefault("from_cache", False)
        jobs.finish(engine, job_id, sha256, name, state=state, reason=reason, location=only, **kw)
        return state

    attempts, still_open = jobs.start(engine, job_id, sha256, name, worker, only)
    if not still_open:
        return "already-finished"  # a redelivery after the verdict was written
    if attempts > int(conf.airlock_max_attempts):
        reason = f"not scanned: the worker died on this file {attempts - 1} times (poison input)"
        close("dead", reason)
        dead_letter(self.app, [job_id, sha256, name, location], reason)
        return "dead"
    rs = _ruleset(engine, job_id)
    if not solo:
        stored = VerdictCache(conf.airlock_database or "", rs, engine=engine).lookup(sha256, name)
        if stored is not None:  # judged meanwhile (another job, another worker)
            return close(
                "done",
                None,
                verdict_key=stored.key,
                from_cache=True,
                engine_seconds=time.perf_counter() - t0,
            )
    s0 = time.perf_counter()
    try:
        done = read_once(Path(location), location, ScanOptions(mode="serial"), "sha256")
    except SoftTimeLimitExceeded:
        reason = f"not scanned: time limit ({conf.task_soft_time_limit:g} s) exceeded"
        return close("not_scanned", reason, scan_seconds=time.perf_counter() - s0)
    scan_s = time.perf_counter() - s0
    result = done.result
    if any("SoftTimeLimitExceeded" in (o.reason or "") for o in result.objects):
        # the engine turned the limit's exception into a scanner error: say what happened
        reason = f"not scanned: time limit ({conf.task_soft_time_limit:g} s) exceeded"
        return close("not_scanned", reason, scan_seconds=scan_s)
    if done.digest != sha256:
        first = result.objects[0].reason if result.objects else None
        why = "changed since it was submitted" if done.digest else f"cannot read it ({first})"
        return close("not_scanned", f"not scanned: {why}", scan_seconds=scan_s)
    contextual = result.reads_folder or any(o.format in CONTEXT_FORMATS for o in result.objects)
    if not cacheable(result) and not contextual:
        bad = next((o for o in result.objects if o.status == "not_scanned"), None)
        if bad is not None:  # cut short by memory or an error: not a verdict on the bytes
            return close("not_scanned", f"not scanned: {bad.reason}", scan_seconds=scan_s)
    if contextual and not solo:
        # judged with its sibling files: this location only; the others get a task each
        only = location
        for other in jobs.open_locations(engine, job_id, sha256, name):
            if other != location:
                self.app.send_task(
                    TASK, args=[job_id, sha256, name, other, True], queue=conf.airlock_queue
                )
    # A result that depends on sibling files (ONNX external data, shard indexes) is stored under
    # a key of its own location, never found by content.
    key_name = f"{name}|in:{_short(job_id + location)}" if contextual else name
    origin = "context" if contextual else "scan"

    def write(conn: Any) -> None:
        if rs not in _RECORDED:  # once per process and ruleset (idempotent anyway)
            record_ruleset(conn, rs)
        insert_verdict(conn, rs, sha256, key_name, result, size=done.size, origin=origin)

    state = close(
        "done",
        None,
        verdict_key=rs.key(sha256, key_name),
        scan_seconds=scan_s,
        engine_seconds=time.perf_counter() - t0 - scan_s,
        extra_writes=write,
    )
    _RECORDED.add(rs)
    return state


_RECORDED: set[Any] = set()  # rulesets whose documents this process has recorded
_POLICIES: dict[str, Any] = {}  # job id -> its ruleset (a job's policy never changes)


def _ruleset(engine: Any, job_id: str) -> Any:
    from airlock.fleet import jobs
    from airlock.fleet.ruleset import with_policy_doc

    rs = _POLICIES.get(job_id)
    if rs is None:
        rs = _POLICIES[job_id] = with_policy_doc(jobs.job_policy(engine, job_id))
    return rs


def queue_depth(app: Celery, queue: str | None = None) -> int:
    """Messages waiting in ``queue`` (ready, not yet delivered), asked of the broker."""
    queue = queue or app.conf.airlock_queue
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        if is_amqp(app.conf.broker_url):
            try:
                return int(channel.queue_declare(queue, passive=True).message_count)
            except Exception as exc:  # the queue does not exist yet: nothing waits
                if "NOT_FOUND" in str(exc) or "404" in str(exc):
                    return 0
                raise
        return int(channel.client.llen(queue))


def worker_argv(queue: str, concurrency: int, name: str, loglevel: str = "INFO") -> list[str]:
    return [
        "worker",
        f"--loglevel={loglevel}",
        f"--concurrency={concurrency}",
        "--pool=prefork",
        "-Q",
        queue,
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "-O",
        "fair",
    ]
