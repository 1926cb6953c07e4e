"""``airlock fleet``: judge a whole model store on Celery workers (submit, worker, status,
metrics, rejudge, publish). Needs the ``fleet`` extra (Celery) and the registry database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

fleet_app = typer.Typer(
    help="Judge a whole model store once per file digest on Celery workers.",
    no_args_is_help=True,
)

BROKER_OPTION = typer.Option(
    None,
    "--broker",
    envvar="AIRLOCK_FLEET_BROKER",
    help="Celery broker URL (default amqp://guest:guest@127.0.0.1:5672//; redis://... works).",
)
QUEUE_OPTION = typer.Option(
    None,
    "--queue",
    envvar="AIRLOCK_FLEET_QUEUE",
    help="Work queue name (default airlock.fleet; separate fleets on one broker differ).",
)
DATABASE_OPTION = typer.Option(
    None,
    "--database",
    envvar="AIRLOCK_DATABASE_URL",
    help="Registry database URL holding the verdict cache and jobs (airlock registry init).",
)


def _engine(database: str | None) -> Any:
    from airlock.registry import migrate
    from airlock.registry.db import make_engine

    engine = make_engine(database)
    migrate.require_current(engine)
    return engine


def _require_broker(app: Any) -> None:
    """Ask the broker once: unreachable or refusing the login is one line naming it (password
    hidden), exit 2."""
    from airlock.errors import InputError
    from airlock.fleet.tasks import queue_depth

    conn = app.connection_for_write()
    if conn.transport_cls == "memory":  # an in-process broker: nothing to reach
        return
    try:
        queue_depth(app)
    except Exception as exc:  # kombu, amqp and redis each raise their own
        shown = conn.as_uri()  # password masked
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise InputError(f"cannot use the fleet broker at {shown}: {reason}") from None


@fleet_app.command("submit")
def submit_cmd(
    root: str = typer.Argument(..., help="Store folder, or hf://ORG/NAME[@REV], s3://B/P, ..."),
    repo_depth: int = typer.Option(
        1, "--repo-depth", min=0, help="Folder levels to a repository (1: ROOT/NAME)."
    ),
    max_queued: int = typer.Option(
        10_000, "--max-queued", min=1, help="Wait while the queue holds this many tasks."
    ),
    spool: Path | None = typer.Option(None, "--spool", help="Where remote models are copied."),
    policy: str | None = _common.POLICY_OPTION,
    broker: str | None = BROKER_OPTION,
    queue: str | None = QUEUE_OPTION,
    database: str | None = DATABASE_OPTION,
    fmt: OutputFormat = _common.FORMAT_OPTION,
) -> None:
    """Walk a store and enqueue one task per file digest not judged yet."""

    def run() -> int:
        from airlock.fleet.ruleset import current
        from airlock.fleet.submit import submit
        from airlock.fleet.tasks import make_app, queue_depth
        from airlock.policyfile import load_policy

        engine = _engine(database)
        app = make_app(broker, database, queue=queue)
        rs = current(load_policy(policy))
        _require_broker(app)  # before the job is made: a job nobody can enqueue never ends
        out = submit(
            engine,
            app,
            root,
            rs,
            repo_depth=repo_depth,
            max_queued=max_queued,
            spool=spool,
            queue_depth=lambda: queue_depth(app),
        )
        text = (
            f"job {out.job_id}: {out.repos} repos, {out.files} files, {out.unique} unique "
            f"digests; {out.from_cache} files judged before (cache), {out.enqueued} tasks "
            f"enqueued, {out.unreadable} unreadable ({out.seconds:.1f} s)"
        )
        _emit(fmt, out.to_json(), text)
        for note in out.notes:  # JSON carries them in "notes"
            sys.stderr.write(f"airlock: note: {note}\n")
        return EXIT_OK

    raise typer.Exit(_common.guarded(run))


@fleet_app.command("worker")
def worker_cmd(
    concurrency: int = typer.Option(1, "--concurrency", min=1, help="Pool processes."),
    time_limit: float = typer.Option(
        300.0, "--time-limit", min=1.0, help="Seconds per file; past it: not scanned."
    ),
    memory_limit: int = typer.Option(
        4096, "--memory-limit", min=0, help="Heap MiB per pool process (0: none)."
    ),
    max_attempts: int = typer.Option(
        3, "--max-attempts", min=1, help="Deliveries a worker may die on before dead-letter."
    ),
    name: str | None = typer.Option(None, "--name", help="Worker node name."),
    loglevel: str = typer.Option("INFO", "--loglevel", help="Celery log level."),
    broker: str | None = BROKER_OPTION,
    queue: str | None = QUEUE_OPTION,
    database: str | None = DATABASE_OPTION,
) -> None:
    """Run a Celery worker that judges files (late acks, prefetch 1, requeue on worker loss)."""

    def run() -> int:
        import os
        import socket

        from airlock.fleet.tasks import make_app, worker_argv

        _engine(database)
        app = make_app(
            broker,
            database,
            queue=queue,
            time_limit=time_limit,
            memory_limit_mb=memory_limit,
            max_attempts=max_attempts,
        )
        node = name or f"airlock-{os.getpid()}@{socket.gethostname()}"
        app.worker_main(argv=worker_argv(app.conf.airlock_queue, concurrency, node, loglevel))
        return EXIT_OK

    raise typer.Exit(_common.guarded(run))


@fleet_app.command("status")
def status_cmd(
    job: str | None = typer.Option(None, "--job", help="Job id (default: the newest)."),
    broker: str | None = BROKER_OPTION,
    queue: str | None = QUEUE_OPTION,
    database: str | None = DATABASE_OPTION,
    no_broker: bool = typer.Option(False, "--no-broker", help="Do not ask the queue depth."),
    fmt: OutputFormat = _common.FORMAT_OPTION,
) -> None:
    """Progress, throughput and failures of a job (exit 1 while files are failed/dead)."""

    def run() -> int:
        from airlock.fleet import jobs

        engine = _engine(database)
        st = jobs.status(engine, job)
        data = st.to_json()
        if not no_broker:
            from airlock.fleet.tasks import make_app, queue_depth

            try:
                data["queue_depth"] = queue_depth(make_app(broker, database, queue=queue))
            except Exception as exc:
                data["queue_depth"] = None
                data["broker_error"] = f"{type(exc).__name__}: {exc}"[:200]
        lines = [
            f"job {st.job_id} {st.root}",
            f"  {data['finished']}/{st.files} files finished  "
            + "  ".join(f"{k} {v}" for k, v in sorted(st.states.items())),
            f"  {data['unique_digests']} unique digests (dedup ratio {data['dedup_ratio']}), "
            f"{st.from_cache} from the cache",
            f"  throughput {_shown(data['files_per_second'])} files/s overall, "
            f"{data['recent_files_per_second']} in the last minute; queue depth "
            + _queue_shown(data),
        ]
        for f in st.failures:
            lines.append(f"  {f['state']:<11} {f['model']}/{f['path']}: {f['reason']}")
        _emit(fmt, data, "\n".join(lines))
        bad = st.states.get("dead", 0)
        return EXIT_FINDINGS if bad else EXIT_OK

    raise typer.Exit(_common.guarded(run))


def _shown(value: Any) -> str:
    return "-" if value is None else str(value)


def _queue_shown(data: dict[str, Any]) -> str:
    if data.get("queue_depth") is not None:
        return str(data["queue_depth"])
    if "broker_error" in data:
        return f"unknown (broker: {data['broker_error']})"
    return "not asked"


@fleet_app.command("rejudge")
def rejudge_cmd(
    policy: str | None = _common.POLICY_OPTION,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count and list, write nothing (no bytes are read)."
    ),
    database: str | None = DATABASE_OPTION,
    fmt: OutputFormat = _common.FORMAT_OPTION,
) -> None:
    """Re-judge stored verdicts after an allowlist, rule or policy change: only files whose
    evidence meets the change; lists every flipped verdict (exit 1 if any flipped)."""

    def run() -> int:
        from airlock.fleet.rejudge import rejudge
        from airlock.fleet.ruleset import current
        from airlock.policyfile import load_policy

        engine = _engine(database)
        rep = rejudge(engine, current(load_policy(policy)), dry_run=dry_run)
        data = rep.to_json()
        lines = [
            f"{rep.considered} stored verdicts under older rules: {rep.touched} touched by the "
            f"change ({rep.from_evidence} re-judged from stored evidence, {rep.rescanned} "
            f"rescanned, {len(rep.unavailable)} without bytes), {rep.carried} carried "
            f"unchanged, {rep.up_to_date} already current; {len(rep.flips)} verdicts flipped"
        ]
        for fl in rep.flips:
            where = ", ".join(fl.models[:5]) + (
                f" (+{len(fl.models) - 5})" if len(fl.models) > 5 else ""
            )
            lines.append(
                f"  {fl.before} -> {fl.after}  {fl.name} sha256:{fl.sha256[:16]}… "
                f"({fl.how}) in {where}"
            )
            for d in fl.deployments:
                lines.append(
                    f"      deployed: {d['name']} ({d['environment']}) version {d['version'][:16]}…"
                )
        for u in rep.unavailable[:20]:
            lines.append(f"  unavailable {u['name']} sha256:{u['sha256'][:16]}…: {u['why']}")
        _emit(fmt, data, "\n".join(lines))
        return EXIT_FINDINGS if rep.flips or rep.unavailable else EXIT_OK

    raise typer.Exit(_common.guarded(run))


@fleet_app.command("publish")
def publish_cmd(
    job: str | None = typer.Option(None, "--job", help="Job id (default: the newest)."),
    prefix: str = typer.Option("", "--prefix", help="Prepended to model names (e.g. mirror/)."),
    registry: str | None = typer.Option(
        None, "--registry", envvar="AIRLOCK_REGISTRY_URL", help="Registry service URL."
    ),
    token: str | None = typer.Option(
        None, "--token", envvar="AIRLOCK_REGISTRY_TOKEN", help="Registry API token."
    ),
    database: str | None = DATABASE_OPTION,
    fmt: OutputFormat = _common.FORMAT_OPTION,
) -> None:
    """Register a job's judged repositories as versions (state submitted) with scan reports."""

    def run() -> int:
        import getpass

        from airlock.fleet import jobs
        from airlock.fleet.publish import publish

        engine = _engine(database)
        job_id = jobs.status(engine, job).job_id
        backend: Any
        if registry:
            from airlock.registry.client import RegistryClient

            backend = RegistryClient(registry, token)
        else:
            from airlock.registry.store import Store

            backend = Store.open(database)
        try:
            out = publish(
                engine, backend, job_id, actor=f"fleet:{getpass.getuser()}", prefix=prefix
            )
        finally:
            backend.close()
        text = (
            f"job {job_id}: {len(out.published)} versions registered, {out.already} already "
            f"registered, {out.unfinished} repositories not finished"
        )
        if out.adapters:
            text += f"; {len(out.adapters)} adapters not published: " + "; ".join(
                f"{a['model']}: {a['reason']}" for a in out.adapters[:5]
            )
        _emit(fmt, out.to_json(), text)
        return EXIT_OK

    raise typer.Exit(_common.guarded(run))


@fleet_app.command("metrics")
def metrics_cmd(
    listen: str | None = typer.Option(
        None, "--listen", help="Serve GET /metrics on HOST:PORT instead of printing once."
    ),
    broker: str | None = BROKER_OPTION,
    queue: str | None = QUEUE_OPTION,
    database: str | None = DATABASE_OPTION,
) -> None:
    """Prometheus text metrics: queue depth, tasks/s, cache hit ratio, failures, verdicts."""

    def run() -> int:
        import sys

        from airlock.errors import UsageError
        from airlock.fleet import metrics
        from airlock.fleet.tasks import make_app, queue_depth

        engine = _engine(database)
        app = make_app(broker, database, queue=queue)

        def body() -> str:
            return metrics.render(metrics.collect(engine, lambda: queue_depth(app)))

        if listen is None:
            sys.stdout.write(body())
            return EXIT_OK
        host, _, port = listen.rpartition(":")
        if not port.isdigit():
            raise UsageError(f"--listen {listen!r}: expected HOST:PORT")
        _common.require_listen(host or "127.0.0.1", int(port))  # bad host/port: one line, exit 2
        metrics.serve(host or "127.0.0.1", int(port), body)
        return EXIT_OK

    raise typer.Exit(_common.guarded(run))


def _emit(fmt: OutputFormat, data: object, text: str) -> None:
    if fmt is OutputFormat.json:
        _common.print_json(data)
    else:
        _common.console().print(text, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(fleet_app, name="fleet")
