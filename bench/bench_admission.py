"""Admission webhook latency under a fixed request rate (open loop), registry on the same host.

    .venv/bin/python bench/bench_admission.py [--rate 500] [--seconds 20] [--runs 3]

Three processes on 127.0.0.1: ``airlock registry serve`` (SQLite, 1 worker), ``airlock
admission serve`` (HTTPS, 1 process) and this load generator. The generator sends
AdmissionReview v1 requests (built with the ``kubernetes`` client's models: Pods, Deployments,
StatefulSets, Jobs, CronJobs, DaemonSets, KServe InferenceServices) on a fixed schedule over
persistent TLS connections; a request's latency runs from its *scheduled* send time to the end of
its answer, so a stalled server cannot hide queueing (no coordinated omission). Workloads name
approved, submitted and revoked versions (a fixed mix; the digests differ per run's seed), so
answers are allows and denials from the webhook's cache. A warm-up of 2 s precedes each run.

Anchor, same run: the registry's own ``POST /v1/check`` at the same rate (plain HTTP), i.e. what
each review would cost a webhook that asked the registry every time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.admission.k8s import WORKLOAD_KINDS, inference_service, review, workload  # noqa: E402
from tests.admission.servers import free_port, make_tls  # noqa: E402


def _wait(url: str, ca: str | None, proc: subprocess.Popen[bytes], path: str) -> None:
    import httpx

    deadline = time.monotonic() + 60
    verify: Any = ssl.create_default_context(cafile=ca) if ca else True
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with {proc.returncode}")
        try:
            if httpx.get(url + path, timeout=1, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become ready")


def _setup_registry(db: str, seed: int) -> tuple[str, list[str], list[str], list[str]]:
    """Versions in every state and a read+publish token: (token, approved, submitted, revoked)."""
    from airlock.provenance.keys import generate_private_key, public_key_pem
    from airlock.provenance.manifest import FileDigest, Manifest
    from airlock.registry.statements import sign_decision
    from airlock.registry.store import Store

    rng = random.Random(seed)
    store = Store.open(db, init=True)
    key = generate_private_key()
    store.add_key("approver", public_key_pem(key.public_key()).decode(), actor="bench")
    token = store.create_token("admission", ["read", "publish"], actor="bench").token

    def version() -> str:
        digest = "".join(rng.choice("0123456789abcdef") for _ in range(64))
        m = Manifest(files=(FileDigest("model.safetensors", 10, digest),))
        return str(store.submit(m, model="org/llm", source="hf:org/llm", actor="bench").digest)

    def decide(what: str, d: str) -> None:
        rec = store.get_version(d).record
        store.decide(sign_decision(what, d, "org/llm", key, record=rec), actor="bench")

    approved = [version() for _ in range(16)]
    for d in approved:
        decide("approve", d)
    submitted = [version() for _ in range(4)]
    revoked = [version() for _ in range(4)]
    for d in revoked:
        decide("approve", d)
        decide("revoke", d)
    for i, d in enumerate(approved[:4]):
        store.set_location(f"s3://models/llm-{i}", d, actor="bench")
    store.close()
    return token, approved, submitted, revoked


def _realistic(obj: Any) -> dict[str, Any]:
    """``obj`` as clusters hold it: 40 environment variables, resources, a probe, 15 labels
    and server-side-apply ``managedFields`` on the pod spec and object (about 6 KB)."""
    from kubernetes import client as k

    body: dict[str, Any] = k.ApiClient().sanitize_for_serialization(obj)
    meta = body["metadata"]
    meta["labels"] = {**meta.get("labels", {}), **{f"team.example/l{i}": "v" for i in range(15)}}
    meta["managedFields"] = [
        {"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {f"f:f{i}": {} for i in range(120)}}}
    ]  # fmt: skip
    spec = body.get("spec", {})
    pod = (
        spec.get("template", {}).get("spec")
        or spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec")
        or (spec if body["kind"] == "Pod" else None)
    )
    for c in (pod or {}).get("containers", []):
        c["env"] = [{"name": f"VAR_{i}", "value": "x" * 40} for i in range(40)]
        c["resources"] = {"limits": {"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": "1"},
                          "requests": {"cpu": "4", "memory": "16Gi"}}  # fmt: skip
        c["readinessProbe"] = {"httpGet": {"path": "/health", "port": 8000}, "periodSeconds": 5}
    return body


def _reviews(
    seed: int,
    approved: list[str],
    submitted: list[str],
    revoked: list[str],
    realistic: bool = False,
) -> list[bytes]:
    """400 reviews of every kind; ``realistic``: UPDATE reviews of full-size objects, with the
    ``oldObject`` the API server sends (5.5-12.4 KB, 11.5 KB on average, instead of 1.3 KB)."""
    rng = random.Random(seed)
    kinds = [*WORKLOAD_KINDS, "InferenceService"]
    out = []
    for i in range(400):
        kind = kinds[i % len(kinds)]
        roll = rng.random()
        digest = rng.choice(approved if roll < 0.8 else submitted if roll < 0.9 else revoked)
        if kind == "InferenceService":
            obj: Any = inference_service(f"s3://models/llm-{rng.randrange(4)}")
        else:
            obj = workload(kind, {"airlock.dev/models": f"org/llm@sha256:{digest}"}, f"w{i}")
        if realistic:
            body = _realistic(obj)
            data = review(body, operation="UPDATE")
            data["request"]["oldObject"] = json.loads(json.dumps(body))
        else:
            data = review(obj)
        out.append(json.dumps(data).encode())
    return out


def _request(host: str, path: str, body: bytes, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{auth}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def _load(
    port: int,
    ssl_ctx: ssl.SSLContext | None,
    requests: list[bytes],
    rate: float,
    seconds: float,
    connections: int,
    check: Any,
) -> dict[str, Any]:
    """Open loop: request ``i`` is due at ``start + i / rate``; a dispatcher hands due requests
    to ``connections`` persistent connections (one worker each, as an API server's connection
    pool would), and latency runs from the due time to the end of the answer, so time spent
    waiting for a free connection or for the dispatcher itself counts against the server.

    No task per request and the collector off during the run: the generator's own pauses would
    otherwise show up as server latency."""
    clock = time.perf_counter  # uvloop's loop.time() has millisecond resolution
    conns = [
        await asyncio.open_connection("127.0.0.1", port, ssl=ssl_ctx) for _ in range(connections)
    ]
    due: asyncio.Queue[tuple[int, float]] = asyncio.Queue()
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    total = int(rate * seconds)

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            i, scheduled = await due.get()
            if i < 0:
                return
            try:
                writer.write(requests[i % len(requests)])
                status, body = await _read_answer(reader)
                latencies.append(clock() - scheduled)
                label = check(status, body)
                outcomes[label] = outcomes.get(label, 0) + 1
            except Exception:
                return  # this connection is unusable now; the others carry on

    async def dispatch() -> None:
        start = clock() + 0.05
        i = 0
        while i < total:
            now = clock()
            while i < total and start + i / rate <= now:
                due.put_nowait((i, start + i / rate))
                i += 1
            if i < total:
                await asyncio.sleep(max(0.0, start + i / rate - clock()))
        for _ in conns:
            due.put_nowait((-1, 0.0))

    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        await asyncio.gather(dispatch(), *(worker(r, w) for r, w in conns))
        wall = time.perf_counter() - t0
    finally:
        gc.enable()
    for _, w in conns:
        w.close()
    latencies.sort()
    errors = total - len(latencies)  # unanswered (a broken connection, a malformed answer)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": total,
        "answered": len(latencies),
        "errors": errors,
        "achieved_rate": round(len(latencies) / wall, 1),
        "p50_ms": round(pct(0.50), 2),
        "p90_ms": round(pct(0.90), 2),
        "p99_ms": round(pct(0.99), 2),
        "p999_ms": round(pct(0.999), 2),
        "max_ms": round(latencies[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "outcomes": outcomes,
    }


def _run(coro: Any) -> Any:
    """Run the generator on uvloop when installed (less of the shared CPU for the generator)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _admission_label(status: int, body: bytes) -> str:
    if status != 200:
        return f"http-{status}"
    return "allow" if json.loads(body)["response"]["allowed"] else "deny"


def _check_label(status: int, body: bytes) -> str:
    return "allow" if status == 200 and json.loads(body)["allow"] else f"deny/{status}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=500)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seed", type=int, default=100, help="first run's seed; run k uses seed+k")
    ap.add_argument(
        "--realistic", action="store_true", help="full-size UPDATE reviews (see _reviews)"
    )
    ap.add_argument(
        "--src", type=Path, help="the webhook's src folder (another build, e.g. from git archive)"
    )
    args = ap.parse_args()
    py = sys.executable
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        tls = make_tls(base / "tls")
        for run in range(args.runs):
            seed = args.seed + run
            db = f"sqlite:///{base}/registry-{seed}.db"
            token, approved, submitted, revoked = _setup_registry(db, seed)
            reg_port, hook_port = free_port(), free_port()
            env = {**os.environ, "AIRLOCK_DATABASE_URL": db, "AIRLOCK_REGISTRY_TOKEN": token}
            reg = subprocess.Popen(
                [py, "-m", "airlock", "registry", "serve", "--port", str(reg_port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            hook = None
            try:
                _wait(f"http://127.0.0.1:{reg_port}", None, reg, "/v1/health")
                hook = subprocess.Popen(
                    [
                        py,
                        "-m",
                        "airlock",
                        "admission",
                        "serve",
                        "--registry",
                        f"http://127.0.0.1:{reg_port}",
                        "--tls-cert",
                        str(tls.cert),
                        "--tls-key",
                        str(tls.key),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(hook_port),
                        "--spool",
                        str(base / f"spool-{seed}"),
                    ],
                    env={**env, "PYTHONPATH": str(args.src)} if args.src else env,
                )
                _wait(f"https://127.0.0.1:{hook_port}", str(tls.ca), hook, "/readyz")
                ctx = ssl.create_default_context(cafile=str(tls.ca))
                reqs = [
                    _request("127.0.0.1", "/validate", b)
                    for b in _reviews(seed, approved, submitted, revoked, args.realistic)
                ]
                _run(_load(hook_port, ctx, reqs, args.rate, 2, args.connections, _admission_label))
                load0 = os.getloadavg()[0]
                cpu0 = _cpu_seconds(hook.pid)
                reg0 = _cpu_seconds(reg.pid)
                gen0 = time.process_time()
                res = _run(
                    _load(
                        hook_port,
                        ctx,
                        reqs,
                        args.rate,
                        args.seconds,
                        args.connections,
                        _admission_label,
                    )
                )
                n = max(1, res["answered"])
                res["webhook_cpu_ms_per_review"] = round(
                    (_cpu_seconds(hook.pid) - cpu0) * 1e3 / n, 3
                )
                res["registry_cpu_ms_per_review"] = round(
                    (_cpu_seconds(reg.pid) - reg0) * 1e3 / n, 3
                )
                res["generator_cpu_ms_per_review"] = round(
                    (time.process_time() - gen0) * 1e3 / n, 3
                )
                res["load_average"] = f"{load0:.1f}-{os.getloadavg()[0]:.1f}"  # start-end
                checks = [
                    _request("127.0.0.1", "/v1/check", json.dumps({"digest": d}).encode(), token)
                    for d in approved + submitted + revoked
                ]
                anchor = _run(
                    _load(
                        reg_port,
                        None,
                        checks,
                        args.rate,
                        args.seconds,
                        args.connections,
                        _check_label,
                    )
                )
                res["seed"] = seed
                res["webhook_src"] = str(args.src or "this checkout")
                res["anchor_registry_check"] = anchor
                res["p99_ratio_webhook_to_registry_check"] = round(
                    res["p99_ms"] / anchor["p99_ms"], 3
                )
                results.append(res)
                print(json.dumps(res), flush=True)
            finally:
                for p in (hook, reg):
                    if p is not None:
                        p.terminate()
                        try:
                            p.wait(10)
                        except subprocess.TimeoutExpired:
                            p.kill()
    print(
        "\n| run (seed) | load avg (start-end) | rate | reviews | errors | p50 ms | p90 ms |"
        " p99 ms | max ms |"
        " webhook CPU ms/review | registry CPU ms/review | generator CPU ms/review |"
        " registry /v1/check p99 ms | webhook/registry p99 |"
    )
    print("| --- " * 14 + "|")
    for r in results:
        print(
            f"| {r['seed']} | {r['load_average']} | {r['achieved_rate']} | {r['answered']} | "
            f"{r['errors']} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} | "
            f"{r['webhook_cpu_ms_per_review']} | {r['registry_cpu_ms_per_review']} | "
            f"{r['generator_cpu_ms_per_review']} | {r['anchor_registry_check']['p99_ms']} | "
            f"{r['p99_ratio_webhook_to_registry_check']} |"
        )


if __name__ == "__main__":
    main()
