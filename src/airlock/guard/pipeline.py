"""The guard pipeline: request limits, then scanners cheapest first, each with its own timeout
and error isolation, rolled up into one :class:`Decision` (allow / warn / redact / block).

Fail-closed by default: a scanner that raises or overruns its timeout counts as a blocking
finding, because a guard that silently stops guarding is worse than one that says no.
Monitor mode keeps every finding but never blocks or rewrites (``would`` says what enforce
mode would have done).
"""

from __future__ import annotations

import secrets as _secrets
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any

from airlock.guard.request import (
    WINDOW_ROLES,
    RequestPolicy,
    RequestRefused,
    conversation_window,
    request_fields,
)
from airlock.guard.types import (
    RANK,
    Decision,
    GuardError,
    GuardFinding,
    Limits,
    ScanContext,
    Scanner,
    folded_chars,
    limit_finding,
    redact,
)
from airlock.report import Severity


def make_canary() -> str:
    """A fresh unguessable token to plant in a system prompt."""
    return "airlock-canary-" + _secrets.token_hex(8)


class Pipeline:
    """Scanners behind one interface; thread-pool timeouts isolate slow or crashing scanners."""

    def __init__(
        self,
        scanners: Sequence[Scanner],
        *,
        monitor: bool = False,
        fail_closed: bool = True,
        limits: Limits | None = None,
        policy: RequestPolicy | None = None,
        workers: int = 4,
        isolation: str = "thread",
        window_roles: tuple[str, ...] = WINDOW_ROLES,
    ) -> None:
        """``isolation="thread"`` enforces each scanner's timeout preemptively from a worker
        thread; ``"inline"`` runs scanners in the caller's thread (cheaper) and treats an overrun
        as a timeout after the fact, for callers that impose their own hard deadline (the proxy).
        """
        if isolation not in ("thread", "inline"):
            raise GuardError(f"unknown isolation {isolation!r}")
        self.isolation = isolation
        self.window_roles = window_roles
        self.scanners = sorted(scanners, key=lambda s: s.cost)
        self.monitor = monitor
        self.fail_closed = fail_closed
        self.limits = limits or Limits()
        self.policy = policy or RequestPolicy()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="airlock-guard")

    def close(self) -> None:
        """Stop the worker threads and any scanner's own resources (sandboxed workers)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        for s in self.scanners:
            closer = getattr(s, "close", None)
            if callable(closer):
                closer()

    def _run(self, scanner: Scanner, ctx: ScanContext) -> list[GuardFinding]:
        timeout = f"scanner {scanner.name} timed out after {scanner.timeout_s}s", "ERR-002"
        try:
            if self.isolation == "inline":
                t0 = time.perf_counter()
                got = scanner.scan(ctx)
                if time.perf_counter() - t0 <= scanner.timeout_s:
                    return got
                msg, rid = timeout
            else:
                fut = self._pool.submit(scanner.scan, ctx)
                try:
                    return fut.result(timeout=scanner.timeout_s)
                except FutureTimeout:
                    fut.cancel()
                    msg, rid = timeout
        except TimeoutError:  # a scanner that watches its own deadline (the ONNX classifier)
            msg, rid = timeout
        except Exception as exc:
            msg, rid = f"scanner {scanner.name} failed: {type(exc).__name__}", "ERR-001"
        action = "block" if self.fail_closed else "warn"
        return [GuardFinding(scanner.name, f"AIR-GRD-{rid}", Severity.HIGH, action, msg)]

    def scan_text(
        self, text: str, direction: str = "input", where: str = "", role: str = "user"
    ) -> list[GuardFinding]:
        """All findings for one text, scanners in cost order; stops early after a block.
        ``role`` is what the text is to the model (see :mod:`airlock.guard.request`)."""
        ctx = ScanContext(text, direction, role)
        found: list[GuardFinding] = []
        for sc in self.scanners:
            if direction not in sc.directions:
                continue
            got = self._run(sc, ctx)
            if where:
                got = [_with_where(f, where) for f in got]
            found.extend(got)
            if any(f.action == "block" for f in got):
                break
        return found

    def decide(self, findings: list[GuardFinding], text: str | None, t0: float) -> Decision:
        would = max((f.action for f in findings), key=RANK.__getitem__, default="allow")
        action = ("warn" if findings else "allow") if self.monitor else would
        out_text = redact(text, findings) if (action == "redact" and text is not None) else None
        return Decision(
            action, findings, would, out_text, elapsed_ms=(time.perf_counter() - t0) * 1e3
        )

    def check_text(self, text: str, direction: str = "input") -> Decision:
        t0 = time.perf_counter()
        if len(text) > self.limits.max_text_chars:
            f = limit_finding("text", f"{len(text)} chars > {self.limits.max_text_chars}")
            return self.decide([f], None, t0)
        if folded_chars(text, self.limits.max_text_chars) > self.limits.max_text_chars:
            f = limit_finding("text", f"over {self.limits.max_text_chars} chars after Unicode"
                              " compatibility normalisation (NFKC)")  # fmt: skip
            return self.decide([f], None, t0)
        return self.decide(self.scan_text(text, direction), text, t0)

    def check_request(self, body: Any, endpoint: str, size: int = 0) -> Decision:
        """Validate an OpenAI-style request body and judge every text the model would see,
        each in its role, then the user's messages read together (split instructions)."""
        t0 = time.perf_counter()
        try:
            fields = request_fields(body, endpoint, size, self.limits, self.policy)
        except RequestRefused as exc:
            return self.decide([exc.finding], None, t0)
        findings: list[GuardFinding] = []
        for f in [*fields, *conversation_window(fields, roles=self.window_roles)]:
            findings.extend(self.scan_text(f.text, "input", f.where, f.role))
            if any(x.action == "block" for x in findings):
                break
        return self.decide(findings, None, t0)
def _with_where(f: GuardFinding, where: str) -> GuardFinding:
    return replace(f, where=f"{where} {f.where}".strip())


