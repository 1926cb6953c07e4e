"""Fault injection for the admission webhook: the registry is SIGKILLed mid-load and restarted.

    .venv/bin/python bench/admission_faults.py [--rate 300] [--seconds 30]

Same three processes as ``bench_admission.py``. A third into the run the registry process is
killed; two thirds in it is restarted on the same port and database. Reported: every answer's
outcome per phase, the latest allow after the kill (the webhook may answer from its cache for at
most ``--max-staleness``, 5 s, then must deny), whether any review went unanswered, and, after the
webhook's spool has drained, how many decisions reached the registry's audit chain (each review
must be there once; a resent batch would show as duplicate ids) and whether the chain verifies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.admission.servers import free_port, make_tls  # noqa: E402

from bench.bench_admission import (  # noqa: E402
    _read_answer,
    _request,
    _reviews,
    _setup_registry,
    _wait,
)


async def _load(
    port: int, ctx: ssl.SSLContext, reqs: list[bytes], rate: float, seconds: float
) -> list[tuple[float, str]]:
    conns = [await asyncio.open_connection("127.0.0.1", port, ssl=ctx) for _ in range(16)]
    idle: asyncio.Queue[Any] = asyncio.Queue()
    for c in conns:
        idle.put_nowait(c)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    out: list[tuple[float, str]] = []

    async def one(i: int) -> None:
        at = start + i / rate
        await asyncio.sleep(max(0, at - loop.time()))
        reader, writer = await idle.get()
        try:
            writer.write(reqs[i % len(reqs)])
            status, body = await asyncio.wait_for(_read_answer(reader), 30)
            resp = json.loads(body)["response"] if status == 200 else {}
            if status != 200:
                label = f"http-{status}"
            elif resp["allowed"]:
                label = "allow"
            elif "registry unavailable" in resp["status"]["message"]:
                label = "deny-unavailable"
            else:
                label = "deny"
            out.append((at - start, label))
        except Exception as exc:
            out.append((at - start, f"error-{type(exc).__name__}"))
        finally:
            idle.put_nowait((reader, writer))

    await asyncio.gather(*(one(i) for i in range(int(rate * seconds))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--seed", type=int, default=300)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        tls = make_tls(base / "tls")
        db = f"sqlite:///{base}/registry.db"
        token, approved, submitted, revoked = _setup_registry(db, args.seed)
        reg_port, hook_port = free_port(), free_port()
        env = {**os.environ, "AIRLOCK_DATABASE_URL": db, "AIRLOCK_REGISTRY_TOKEN": token}
        reg_cmd = [py, "-m", "airlock", "registry", "serve", "--port", str(reg_port)]
        reg = subprocess.Popen(
            reg_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait(f"http://127.0.0.1:{reg_port}", None, reg, "/v1/health")
        hook = subprocess.Popen(
            [py, "-m", "airlock", "admission", "serve", "--registry",
             f"http://127.0.0.1:{reg_port}", "--tls-cert", str(tls.cert), "--tls-key",
             str(tls.key), "--host", "127.0.0.1", "--port", str(hook_port),
             "--spool", str(base / "spool")],
            env=env,
        )  # fmt: skip
        procs = {"reg": reg}
        try:
            _wait(f"https://127.0.0.1:{hook_port}", str(tls.ca), hook, "/readyz")
            ctx = ssl.create_default_context(cafile=str(tls.ca))
            reqs = [
                _request("127.0.0.1", "/validate", b)
                for b in _reviews(args.seed, approved, submitted, revoked)
            ]
            kill_at, restart_at = args.seconds / 3, 2 * args.seconds / 3

            async def run() -> list[tuple[float, str]]:
                async def faults() -> None:
                    await asyncio.sleep(kill_at + 0.1)
                    procs["reg"].send_signal(signal.SIGKILL)
                    procs["reg"].wait()
                    await asyncio.sleep(restart_at - kill_at)
                    procs["reg"] = subprocess.Popen(
                        reg_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                    )

                task = asyncio.create_task(faults())
                out = await _load(hook_port, ctx, reqs, args.rate, args.seconds)
                await task
                return out

            answers = asyncio.run(run())
            import httpx

            deadline = time.monotonic() + 60
            backlog = -1
            while time.monotonic() < deadline:
                status = httpx.get(
                    f"https://127.0.0.1:{hook_port}/readyz", verify=ctx, timeout=5
                ).json()
                backlog = status["audit_backlog"]
                if backlog == 0:
                    break
                time.sleep(0.5)
        finally:
            for p in (hook, procs["reg"]):
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        from airlock.registry.store import Store

        store = Store.open(db)
        events: list[dict[str, Any]] = []
        after = 0
        while batch := store.audit_events(after=after, limit=1000):
            events.extend(e.to_json() for e in batch)
            after = batch[-1].seq
        chain_ok = store.audit_verify().ok
        store.close()
    admitted = [e for e in events if e["action"].startswith("admission.")]
    ids = [e["payload"]["id"] for e in admitted]
    phases: dict[str, dict[str, int]] = {"before": {}, "outage": {}, "after": {}}
    for t, label in answers:
        phase = "before" if t < kill_at else "outage" if t < restart_at else "after"
        phases[phase][label] = phases[phase].get(label, 0) + 1
    late_allows = [
        t - kill_at for t, lab in answers if kill_at <= t < restart_at and lab == "allow"
    ]
    result = {
        "reviews": len(answers),
        "phases": phases,
        "latest_allow_after_kill_s": round(max(late_allows), 2) if late_allows else None,
        "unanswered": sum(1 for _, lab in answers if lab.startswith(("error", "http"))),
        "spool_backlog_at_end": backlog,
        "audit_events": len(admitted),
        "distinct_ids": len(set(ids)),
        "duplicates": len(ids) - len(set(ids)),
        "chain_verifies": chain_ok,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
