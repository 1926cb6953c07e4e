"""Fleet metrics in the Prometheus text exposition format (version 0.0.4), fleet-wide: queue
depth, files by state, finished files per second, cache hit ratio, failures, verdicts.

Read from the database (and the broker for the queue depth) at scrape time, so any number of
workers and submitters are counted without a metrics agent in each of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from airlock.fleet.tables import FleetFileRow, FleetVerdictRow
from airlock.registry.db import utcnow

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # gauge | counter
    help: str
    samples: list[tuple[dict[str, str], float]]


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(metrics: list[Metric]) -> str:
    out: list[str] = []
    for m in metrics:
        out.append(f"# HELP {m.name} {m.help}")
        out.append(f"# TYPE {m.name} {m.kind}")
        for labels, value in m.samples:
            lab = ",".join(f'{k}="{_label(v)}"' for k, v in sorted(labels.items()))
            out.append(f"{m.name}{{{lab}}} {value:g}" if lab else f"{m.name} {value:g}")
    return "\n".join(out) + "\n"


def collect(
    engine: Engine, queue_depth: Callable[[], int] | None = None, *, window: float = 60.0
) -> list[Metric]:
    f = FleetFileRow
    v = FleetVerdictRow
    with engine.connect() as conn:
        states = {
            str(s): int(n) for s, n in conn.execute(select(f.state, func.count()).group_by(f.state))
        }
        since = utcnow() - timedelta(seconds=window)
        recent = int(conn.execute(select(func.count()).where(f.finished_at >= since)).scalar_one())
        # judged without a scan of their own: all but one file of each scanned group
        scanned_groups = int(
            conn.execute(
                select(func.count()).select_from(
                    select(f.job_id, f.sha256, f.name)
                    .where(f.state == "done", f.from_cache.is_(False))
                    .distinct()
                    .subquery()
                )
            ).scalar_one()
        )
        scan_s, engine_s = conn.execute(
            select(func.sum(f.scan_seconds), func.sum(f.engine_seconds))
        ).one()
        verdicts = {
            str(k): int(n)
            for k, n in conn.execute(select(v.verdict, func.count()).group_by(v.verdict))
        }
        scans = int(conn.execute(select(func.coalesce(func.sum(v.scans), 0))).scalar_one())
    done = states.get("done", 0)
    finished = sum(states.get(s, 0) for s in ("done", "not_scanned", "dead"))
    out = [
        Metric(
            "airlock_fleet_files",
            "gauge",
            "Files of all jobs by state.",
            [({"state": s}, float(n)) for s, n in sorted(states.items())],
        ),
        Metric(
            "airlock_fleet_files_finished_total",
            "counter",
            "Files closed: judged, not scanned or dead.",
            [({}, float(finished))],
        ),
        Metric(
            "airlock_fleet_tasks_per_second",
            "gauge",
            f"Files finished per second over the last {window:g} s.",
            [({}, recent / window)],
        ),
        Metric(
            "airlock_fleet_cache_hit_ratio",
            "gauge",
            "Share of judged files that needed no scan of their own (same digest judged).",
            [({}, (done - scanned_groups) / done if done else 0.0)],
        ),
        Metric(
            "airlock_fleet_failures_total",
            "counter",
            "Files not judged: not scanned (limits, unreadable) or dead (poison, retries).",
            [({"state": s}, float(states.get(s, 0))) for s in ("not_scanned", "dead")],
        ),
        Metric(
            "airlock_fleet_verdicts",
            "gauge",
            "Stored verdicts by verdict.",
            [({"verdict": k}, float(n)) for k, n in sorted(verdicts.items())],
        ),
        Metric(
            "airlock_fleet_scans_total",
            "counter",
            "Scans that produced a stored verdict (a redelivered task counts again).",
            [({}, float(scans))],
        ),
        Metric(
            "airlock_fleet_seconds_total",
            "counter",
            "Worker seconds in the scanner and around it (broker, database, bookkeeping).",
            [
                ({"part": "scan"}, float(scan_s or 0.0)),
                ({"part": "engine"}, float(engine_s or 0.0)),
            ],
        ),
    ]
    if queue_depth is not None:
        try:
            depth: float = float(queue_depth())
        except Exception:
            depth = float("nan")
        out.insert(
            0,
            Metric(
                "airlock_fleet_queue_depth",
                "gauge",
                "Tasks waiting in the work queue (NaN: broker unreachable).",
                [({}, depth)],
            ),
        )
    return out


def serve(host: str, port: int, body: Callable[[], str]) -> Any:
    """A blocking HTTP server answering ``GET /metrics`` (for a Prometheus scrape)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            try:
                data = body().encode("utf-8")
            except Exception as exc:
                self.send_error(503, f"{type(exc).__name__}")
                return
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer((host, port), Handler)
    server.serve_forever()
    return server
