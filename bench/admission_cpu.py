"""CPU cost of one admission review, counted so that other load on the machine cannot move it.

    .venv/bin/python bench/admission_cpu.py [--reviews 1000] [--dilation 20] [--src DIR]

The webhook (``airlock admission serve``'s ``serve()``, HTTPS, registry on 127.0.0.1) runs
under ``valgrind --tool=callgrind`` with instrumentation off until it is ready and warm (every
answer cached, every connection open: an API server reuses its connections). Then two windows
are counted with ``callgrind_control``: an idle one (no reviews: what the timers cost per
second) and one of ``--reviews`` reviews sent one at a time over ``--connections`` persistent
TLS connections in turn, each review alone in the server (as at 500 reviews/s, where nothing is
batched). Instructions per review = (reviews window - idle rate x its length) / reviews: the
whole process in user space (Python, OpenSSL, uvloop, the spool write, the audit batches and
the audit-log follow), not the kernel.

Default settings except that the background intervals (audit follow, audit batches, cache
bounds) are stretched by ``--dilation``, the factor by which valgrind slows the webhook down
(500 / the reviews per second it reaches under valgrind, printed as ``reviews_per_s``): per
review they then cost what they cost at 500 reviews/s in real time.

Instruction counts do not depend on what else the machine runs; time per instruction does, so
compare builds by the ratio (``--src``: the ``src`` folder of another checkout, e.g. from
``git archive``). ``--no-valgrind`` measures CPU seconds (user + system, /proc) per review over
the same sequence instead: the kernel's share is in there, and it moves with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
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
    _cpu_seconds,
    _read_answer,
    _request,
    _reviews,
    _setup_registry,
    _wait,
)


class _Client:
    """Persistent TLS connections (opened once, before anything is counted: an API server
    reuses its connections, so handshakes are not part of a review's cost)."""

    def __init__(
        self, port: int, ca: str, reqs: list[bytes], pause: float, connections: int
    ) -> None:
        self.loop = asyncio.new_event_loop()
        self.port, self.reqs, self.pause = port, reqs, pause
        self.ctx = ssl.create_default_context(cafile=ca)
        self.conns = [self.loop.run_until_complete(self._open()) for _ in range(connections)]
        self.sent = 0

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port, ssl=self.ctx)

    def send(self, count: int) -> dict[str, int]:
        """``count`` reviews, one at a time, round robin over the connections."""
        return self.loop.run_until_complete(self._send(count))

    async def _send(self, count: int) -> dict[str, int]:
        outcomes: dict[str, int] = {}
        for _ in range(count):
            i = self.sent
            self.sent += 1
            reader, writer = self.conns[i % len(self.conns)]
            writer.write(self.reqs[i % len(self.reqs)])
            try:
                status, body = await _read_answer(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                # the server closed an idle keep-alive connection (uvicorn does after 5 s, a
                # long time under valgrind): reconnect and resend, as an API server would
                outcomes["reconnects"] = outcomes.get("reconnects", 0) + 1
                reader, writer = self.conns[i % len(self.conns)] = await self._open()
                writer.write(self.reqs[i % len(self.reqs)])
                status, body = await _read_answer(reader)
            label = "allow" if status == 200 and json.loads(body)["response"]["allowed"] else "deny"
            outcomes[label] = outcomes.get(label, 0) + 1
            if self.pause:
                await asyncio.sleep(self.pause)
        return outcomes

    def close(self) -> None:
        for _, w in self.conns:
            w.close()
        self.loop.close()


def _control(pid: int, *args: str) -> str:
    out = subprocess.run(
        ["callgrind_control", *args, str(pid)], capture_output=True, text=True, timeout=600
    )
    return out.stdout + out.stderr


def _dumped_ir(outdir: Path, before: set[Path]) -> int:
    """Total Ir of the dump files written since ``before`` (one per thread)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        new = set(outdir.glob("callgrind.out.*")) - before
        if new:
            time.sleep(1.0)  # let every thread's file be written
            new = set(outdir.glob("callgrind.out.*")) - before
            total = 0
            for f in new:
                m = re.search(r"^(?:summary|totals):\s+(\d+)", f.read_text(), re.M)
                total += int(m.group(1)) if m else 0
            return total
        time.sleep(0.5)
    raise RuntimeError("callgrind wrote no dump")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=1000)
    ap.add_argument("--idle", type=float, default=20.0, help="idle window, seconds")
    ap.add_argument("--pause", type=float, default=0.002, help="seconds between reviews")
    ap.add_argument("--seed", type=int, default=800)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the webhook's src folder")
    ap.add_argument(
        "--connections",
        type=int,
        default=4,
        help="persistent connections, used in turn (few: under valgrind the old uvicorn server "
        "closes connections idle for 5 s, and a reconnect would count a handshake)",
    )
    ap.add_argument("--no-valgrind", action="store_true")
    ap.add_argument("--keep", type=Path, help="copy callgrind's dumps here (callgrind_annotate)")
    ap.add_argument("--realistic", action="store_true", help="full-size UPDATE reviews")
    ap.add_argument(
        "--dilation",
        type=float,
        default=60.0,
        help="valgrind slow-down the background intervals are stretched by (see above)",
    )
    args = ap.parse_args()
    if not args.no_valgrind and not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (apt-get install valgrind), or use --no-valgrind")
    py = sys.executable
    result: dict[str, Any] = {
        "src": str(args.src),
        "reviews": args.reviews,
        "seed": args.seed,
        "realistic": args.realistic,
    }
    if not args.no_valgrind:
        result["dilation"] = args.dilation
    with tempfile.TemporaryDirectory(prefix="admission-cpu-") as tmp:
        base = Path(tmp)
        tls = make_tls(base / "tls")
        db = f"sqlite:///{base}/registry.db"
        token, approved, submitted, revoked = _setup_registry(db, args.seed)
        reqs = [
            _request("127.0.0.1", "/validate", b)
            for b in _reviews(args.seed, approved, submitted, revoked, args.realistic)
        ]
        reg_port, hook_port = free_port(), free_port()
        env = {**os.environ, "AIRLOCK_DATABASE_URL": db, "AIRLOCK_REGISTRY_TOKEN": token}
        reg = subprocess.Popen(
            [py, "-m", "airlock", "registry", "serve", "--port", str(reg_port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        hook_env = {**env, "PYTHONPATH": str(args.src)}
        # Default settings, but the background intervals stretched by ``--dilation`` (how
        # much slower the webhook runs under valgrind): per review, the audit follow and the
        # audit batches then cost what they cost at 500 reviews/s in real time.
        d = 1.0 if args.no_valgrind else args.dilation
        launcher = (
            "from pathlib import Path\n"
            "from airlock.admission.server import Settings, serve\n"
            f"s = Settings(registry_url='http://127.0.0.1:{reg_port}', "
            f"spool_dir=Path({str(base / 'spool')!r}), token={token!r}, "
            f"refresh={1.0 * d}, max_staleness={5.0 * d}, ttl={60.0 * d}, "
            f"flush_interval={0.5 * d}, registry_timeout={2.0 * d}, review_timeout={3.0 * d})\n"
            f"serve(s, host='127.0.0.1', port={hook_port}, tls_cert={str(tls.cert)!r}, "
            f"tls_key={str(tls.key)!r})\n"
        )
        cmd = [py, "-c", launcher]
        outdir = base / "cg"
        outdir.mkdir()
        if not args.no_valgrind:
            cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                   f"--callgrind-out-file={outdir}/callgrind.out.%p", "--separate-threads=yes",
                   *cmd]  # fmt: skip
        hook = subprocess.Popen(cmd, env=hook_env, stderr=subprocess.DEVNULL)
        try:
            _wait(f"http://127.0.0.1:{reg_port}", None, reg, "/v1/health")
            _wait(f"https://127.0.0.1:{hook_port}", str(tls.ca), hook, "/readyz")
            client = _Client(hook_port, str(tls.ca), reqs, args.pause, args.connections)
            client.send(300)  # warm: every answer cached, every connection open
            if args.no_valgrind:
                cpu0, t0 = _cpu_seconds(hook.pid), time.monotonic()
                time.sleep(args.idle)
                idle_rate = (_cpu_seconds(hook.pid) - cpu0) / (time.monotonic() - t0)
                cpu0, t0 = _cpu_seconds(hook.pid), time.monotonic()
                result["outcomes"] = client.send(args.reviews)
                span = time.monotonic() - t0
                used = _cpu_seconds(hook.pid) - cpu0
                result["idle_cpu_ms_per_s"] = round(idle_rate * 1e3, 3)
                result["cpu_us_per_review"] = round(
                    (used - idle_rate * span) / args.reviews * 1e6, 1
                )
            else:
                _control(hook.pid, "--instr=on")
                before = set(outdir.glob("callgrind.out.*"))
                _control(hook.pid, "--zero")
                t0 = time.monotonic()
                time.sleep(args.idle)
                _control(hook.pid, "--dump=idle")
                idle_span = time.monotonic() - t0
                idle_ir = _dumped_ir(outdir, before)
                # every connection used once more, so that none is counted reconnecting (the
                # old uvicorn server closes connections idle for 5 s)
                result["rewarm"] = client.send(args.connections)
                before = set(outdir.glob("callgrind.out.*"))
                _control(hook.pid, "--zero")
                t0 = time.monotonic()
                result["outcomes"] = client.send(args.reviews)
                span = time.monotonic() - t0
                _control(hook.pid, "--dump=reviews")
                window_ir = _dumped_ir(outdir, before)
                idle_rate = idle_ir / idle_span
                result["idle_ir_per_s"] = round(idle_rate)
                result["window_s"] = round(span, 1)
                result["reviews_per_s"] = round(args.reviews / span, 1)
                result["window_ir"] = window_ir
                result["ir_per_review"] = round((window_ir - idle_rate * span) / args.reviews)
            result["load_average"] = round(os.getloadavg()[0], 1)
            if args.keep:
                shutil.copytree(outdir, args.keep, dirs_exist_ok=True)
        finally:
            for p in (hook, reg):
                p.terminate()
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
