"""Load-test ``POST /v1/check`` with wrk against a registry holding N approved versions.

Usage: .venv/bin/python bench/registry_check.py [--database URL] [--versions 10000]
       [--workers 2] [--connections 32] [--duration 10]

Setup inserts the versions (and one approval each, with their audit events) in bulk with SQL
(bench/registry_gate_verify.py), so the registry's write path is not exercised here
(tests/registry/test_concurrency.py does that). The load generator is wrk
(Debian package ``wrk``), run in a second process on loopback, with each request asking about a
random registered digest.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from airlock.registry.store import Store


def populate(store: Store, n: int) -> list[str]:
    """N approved versions with the audit events the registry would have written: since
    regaudit20 the gate replays a version's events and denies rows that have none."""
    sys.path.insert(0, str(Path(__file__).parent))
    from registry_gate_verify import populate as with_events

    return with_events(store, n)


LUA = """
local digests = {%s}
local token = "%s"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
math.randomseed(%d)
request = function()
  local d = digests[math.random(#digests)]
  return wrk.format(nil, "/v1/check", nil, '{"digest":"' .. d .. '"}')
end
"""


def tree_cpu_seconds(root: int) -> float:
    """utime+stime of ``root`` and its children (Linux /proc), to report CPU per request."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", default=None, help="default: a fresh SQLite file")
    ap.add_argument("--schema", default=None, help="PostgreSQL schema to create and use")
    ap.add_argument("--versions", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=10)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="airlock-bench-"))
    url = args.database or f"sqlite:///{tmp / 'registry.db'}"
    server_url = url
    if args.schema:
        from sqlalchemy import create_engine

        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{args.schema}"'))
        admin.dispose()
        server_url = f"{url}?options=-csearch_path%3D{args.schema}"
    store = Store.open(url, schema=args.schema, init=True)
    t0 = time.monotonic()
    digests = populate(store, args.versions)
    token = store.create_token("bench", ["read"], actor="bench").token
    print(f"populated {len(digests)} versions in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    store.close()
    port = random.randint(20000, 40000)
    env = dict(os.environ, AIRLOCK_DATABASE_URL=server_url)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "airlock",
            "registry",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        r = httpx.post(
            f"{base}/v1/check",
            json={"digest": digests[0]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.json()["allow"] is True, r.text
        time.sleep(1.0)  # let every worker finish starting
        lua = tmp / "check.lua"
        sample = random.sample(digests, min(len(digests), 10_000))
        lua.write_text(LUA % (",".join(f'"{d}"' for d in sample), token, 1234))
        cpu0 = tree_cpu_seconds(proc.pid)
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--latency",
                "-s",
                str(lua),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = tree_cpu_seconds(proc.pid) - cpu0
        print(out)
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)  # type: ignore[union-attr]
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        load = os.getloadavg()[0]
        backend = "postgresql" if url.startswith("postgresql") else "sqlite"
        print(
            f"RESULT backend={backend} versions={args.versions} workers={args.workers} "
            f"connections={args.connections} duration={args.duration}s rps={rps:.0f} p99={p99} "
            f"non2xx={non2xx.group(1) if non2xx else 0} "
            f"server_cpu_ms_per_request={1000 * cpu / max(1, requests):.2f} "
            f"loadavg={load:.1f} cpus={os.cpu_count()}"
        )
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
        if args.schema:
            from sqlalchemy import create_engine

            admin = create_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
