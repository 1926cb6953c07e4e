"""Output checks on a rolling window, for streamed responses.

Text is held back by ``holdback`` characters before it is released, and every scan covers the
already-released tail plus everything pending. Any match no longer than ``holdback`` is therefore
complete inside one scan before any of its characters is released, so a secret or canary split
across stream chunks is still caught and can be redacted or the stream cut.
"""

from __future__ import annotations

import time
from dataclasses import replace

from airlock.guard.pipeline import Pipeline
from airlock.guard.types import Decision, GuardFinding, limit_finding, redact

MAX_OUTPUT_CHARS = 4_000_000


class OutputStream:
    """Feed model output piece by piece; get back what is safe to send on."""

    def __init__(self, pipeline: Pipeline, holdback: int = 256) -> None:
        self.pipeline = pipeline
        self.holdback = holdback
        self.tail = ""
        self.pending = ""
        self.total = 0
        self.findings: list[GuardFinding] = []
        self.blocked: Decision | None = None

    def _scan(self) -> Decision:
        window = self.tail + self.pending
        found = self.pipeline.scan_text(window, "output")
        shift = len(self.tail)
        local: list[GuardFinding] = []
        for f in found:
            if f.span is not None:
                if f.span[1] <= shift:
                    continue  # entirely inside text released (and scanned) before
                s, e = max(0, f.span[0] - shift), f.span[1] - shift
                f = replace(f, span=(s, e))
            local.append(f)
        return self.pipeline.decide(local, self.pending, time.perf_counter())

    def _release(self, final: bool) -> tuple[str, Decision | None]:
        if self.blocked is not None:
            return "", self.blocked
        if not final and len(self.pending) <= self.holdback:
            return "", None
        d = self._scan()
        self.findings.extend(d.findings)
        if d.action == "block":
            self.blocked = d
            self.pending = ""
            return "", d
        text = d.text if (d.action == "redact" and d.text is not None) else self.pending
        cut = len(text) if final else max(0, len(text) - self.holdback)
        out = text[:cut]
        # what stays pending keeps its redacted form, so it is not matched twice
        self.pending = text[cut:]
        self.tail = (self.tail + out)[-self.holdback :]
        return out, (d if d.findings else None)

    def will_scan(self, piece: str) -> bool:
        """Whether feeding ``piece`` triggers a scan (callers may run cheap feeds inline)."""
        return self.blocked is None and len(self.pending) + len(piece) > self.holdback

    def feed(self, piece: str) -> tuple[str, Decision | None]:
        """Add output text; returns (text to release now, decision if anything was found)."""
        self.total += len(piece)
        if self.total > MAX_OUTPUT_CHARS:
            too_long = limit_finding("output", f"more than {MAX_OUTPUT_CHARS} chars")
            self.blocked = self.pipeline.decide([too_long], None, time.perf_counter())
            return "", self.blocked
        self.pending += piece
        return self._release(final=False)

    def finish(self) -> tuple[str, Decision | None]:
        """Release everything still held back (after a final scan)."""
        return self._release(final=True)


def check_output_text(pipeline: Pipeline, text: str) -> tuple[str, Decision]:
    """Non-streamed output: one scan, returns the (possibly redacted) text and the decision."""
    d = pipeline.check_text(text, "output")
    return (d.text if d.action == "redact" and d.text is not None else text), d


__all__ = ["OutputStream", "check_output_text", "redact"]
