"""Server time of every review-console page with N versions in the registry.

Usage: .venv/bin/python bench/bench_console.py [--versions 10000] [--models 500]
       [--database URL] [--reuse] [--repeat 15]

Setup goes through the store's own API (so the audit chain is real and as long as N versions
make it): each version is submitted with a scan report carrying findings and an inventory,
every other one approved with a signed statement, some deployed, a few advised. Then every
console page is requested in-process (Starlette's test client: routing, session check, queries,
template rendering; no network) ``--repeat`` times after one warm-up; the table gives median
and max wall time and the median CPU time of the process per request (what the page costs
when the machine is shared).
``--reuse`` keeps and reuses the database file between runs (setup takes minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient

from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.registry.api import create_app
from airlock.registry.statements import sign_decision
from airlock.registry.store import Store

TARGET_MS = 300.0


def _report(digest: str, i: int) -> dict[str, object]:
    findings = [
        {"rule_id": f"AIR-BENCH-{k:03d}", "severity": ("low", "medium", "high")[k % 3],
         "title": f"finding {k}", "location": f"shard-{k % 4}.safetensors",
         "evidence": "x" * 80, "why": "because", "member": None, "offset": k, "reference": None}
        for k in range(i % 12)
    ]  # fmt: skip
    tensors = {
        f"shard-{s}.safetensors": {
            f"layers.{j}.weight": {"dtype": "BF16", "shape": [4096, 4096 + (i % 3)]}
            for j in range(s * 16, s * 16 + 16)
        }
        for s in range(4)
    }
    return {
        "schema": "airlock.scan-report/v1",
        "root_digest": digest,
        "objects": [],
        "findings": findings,
        "inventory": {
            "tensors": tensors,
            "texts": {
                "config.json": f'{{"hidden_size": 4096, "revision": {i}}}',
                "tokenizer_config.json:chat_template": "{% for m in messages %}"
                + f"<|{i % 5}|>{{{{ m.content }}}}{{% endfor %}}",
            },
        },
    }


def populate(store: Store, versions: int, models: int) -> None:
    key = generate_private_key()
    store.add_key("bench-reviewer", public_key_pem(key.public_key()).decode(), actor="bench")
    started = time.perf_counter()
    for i in range(versions):
        model = f"org/model-{i % models:04d}"
        files = [
            FileDigest(f"shard-{s}.safetensors", 1 << 30,
                       hashlib.sha256(f"{i}-{s}-{secrets.token_hex(4)}".encode()).hexdigest())
            for s in range(4)
        ]  # fmt: skip
        files.append(FileDigest("config.json", 700, hashlib.sha256(f"c{i}".encode()).hexdigest()))
        manifest = Manifest(files=sorted_files(files), name=model)
        v = store.submit(manifest, model=model, source=f"hf:{model}", base_model="meta/base",
                         license="apache-2.0", actor="token:bench")  # fmt: skip
        digest = v.digest
        store.attach_scan_report(digest, _report(digest, i), actor="token:bench")
        if i % 2 == 0:
            record = store.get_version(digest).record
            store.decide(sign_decision("approve", digest, model, key, record=record),
                         actor="token:bench")  # fmt: skip
        if i % 100 == 0:
            store.deploy(f"svc-{i // 100}", "prod", digest, actor="token:bench")
        if i % 1000 == 999:
            store.advise(f"AIR-BENCH-{i}", severity="high", description="bench advisory",
                         versions=[digest], actor="token:bench")  # fmt: skip
        if i % 1000 == 0 and i:
            rate = i / (time.perf_counter() - started)
            print(f"  {i} versions ({rate:.0f}/s)", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", type=int, default=10_000)
    ap.add_argument("--models", type=int, default=500)
    ap.add_argument("--database", default=None)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    url = args.database or f"sqlite:////tmp/console-bench-{args.versions}.db"
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    fresh = not (args.reuse and path is not None and path.exists())
    if fresh and path is not None and path.exists():
        path.unlink()
    store = Store.open(url, init=True)
    if fresh:
        print(f"populating {args.versions} versions ...", file=sys.stderr)
        populate(store, args.versions, args.models)
    token = store.create_token("bench-ui", ["read", "approve"], actor="bench").token
    head = store.audit_head().seq
    rows = store.list_versions(limit=1000, offset=max(0, args.versions - 1000))
    newest = rows[-1].digest
    with_findings = next(r.digest for r in reversed(rows) if r.state == "submitted")
    pages = {
        "catalogue": "/ui/",
        "review queue": "/ui/?state=submitted",
        "search (model)": "/ui/?q=model-0042",
        "search (digest prefix)": f"/ui/?q={newest[:8]}",
        "catalogue, last page": f"/ui/?page={args.versions // 50}",
        "version review + diff": f"/ui/versions/{with_findings}",
        "advisories": "/ui/advisories",
        "audit (timeline + check of events since the last walk)": "/ui/audit",
        "audit, older page": f"/ui/audit?before={head // 2}",
    }
    with TestClient(create_app(store), base_url="http://127.0.0.1") as client:
        client.get("/ui/login")
        nonce = client.cookies.get("airlock_login")
        client.post("/ui/login", data={"token": token, "csrf": nonce})
        print(f"\n{args.versions} versions, {head} audit events, {store.engine.dialect.name}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        c0, t0 = time.process_time(), time.perf_counter()
        client.get("/ui/audit?verify=1")  # the on-demand whole-chain walk (an action)
        walk = ((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000)
        store.deploy("svc-bench", "prod", newest, actor="token:bench")  # an event after the walk
        print(f"| page | median ms | max ms | CPU ms median | CPU ms max "
              f"| median < {TARGET_MS:.0f} ms |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        worst = 0.0
        for name, path_q in pages.items():
            times, cpu = [], []
            client.get(path_q)  # warm: templates compiled, connections open
            for _ in range(args.repeat):
                c0, t0 = time.process_time(), time.perf_counter()
                resp = client.get(path_q)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                if resp.status_code != 200:
                    raise SystemExit(f"{path_q}: HTTP {resp.status_code}")
            worst = max(worst, statistics.median(times))
            print(f"| {name} | {statistics.median(times):.1f} | {max(times):.1f} | "
                  f"{statistics.median(cpu):.1f} | {max(cpu):.1f} | "
                  f"{'yes' if statistics.median(times) < TARGET_MS else 'NO'} |")  # fmt: skip
        print(f"\nwhole-chain walk on demand (/ui/audit?verify=1, {head} events): "
              f"{walk[0]:.0f} ms wall, {walk[1]:.0f} ms CPU")  # fmt: skip
    store.close()
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
