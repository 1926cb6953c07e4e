"""The classifier in a long-lived sandboxed worker: boot frames out, scores back."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from airlock.guard.onnx.common import (
    HARD_GRACE_S,
    MAX_JSON_BYTES,
    MAX_MODEL_BYTES,
    WORKER_BASE_MB,
    Best,
    _Prepared,
)
from airlock.guard.onnx.model import _build
from airlock.guard.types import GuardError

# Inside the sandboxed worker (after its lockdown): build from the frames the parent sends.
_BOOT = """
from airlock.guard.onnx.worker import serve_in_worker
handle, READY = serve_in_worker(recv_frame, BOOT_LIMIT)
"""


def serve_in_worker(
    recv: Callable[[int], bytes], limit: int
) -> tuple[Callable[[Any], Any], dict[str, Any]]:
    """Worker side: read the header, model, tokenizer and external tensors the parent sends
    (see :func:`_boot_frames`), build the classifier, return ``(handle, ready info)``."""
    head = json.loads(recv(MAX_JSON_BYTES))
    model_bytes = recv(limit)
    tok_text = recv(MAX_JSON_BYTES).decode("utf-8", "replace")
    external = [(str(name), np.frombuffer(recv(limit), dtype=np.dtype(str(dt))).reshape(dims))
                for name, dt, dims in head["external"]]  # fmt: skip
    clf = _build(_Prepared(head["source"], head["model_name"], model_bytes, tok_text,
                           head["labels"], head["target"], head["cfg_len"], head["pad"],
                           head["multi"], external))  # fmt: skip

    def handle(req: Any) -> Any:
        budget = float(req["budget_s"])
        deadline = time.perf_counter() + max(budget, 1e-6) if budget else 0.0
        return clf.score([str(t) for t in req["texts"]], deadline)

    ready = {"inputs": list(clf.inputs), "output": clf.output, "max_len": clf.max_len,
             "fixed_len": clf.fixed_len}  # fmt: skip
    return handle, ready


def _boot_frames(prep: _Prepared) -> list[bytes]:
    head = {"source": prep.source, "model_name": prep.model_name, "labels": prep.labels,
            "target": prep.target, "cfg_len": prep.cfg_len, "pad": prep.pad, "multi": prep.multi,
            "external": [[n, a.dtype.str, list(a.shape)] for n, a in prep.external]}  # fmt: skip
    ext = [np.ascontiguousarray(a).tobytes() for _, a in prep.external]
    return [json.dumps(head).encode(), prep.model_bytes, prep.tok_text.encode(), *ext]


@dataclass
class SandboxedOnnxClassifier:
    """The classifier living in a sandboxed worker; same ``score``/``label`` as the in-process
    :class:`OnnxTextClassifier`. A crash or hang fails the call; the worker is replaced."""

    service: Any  # airlock.sandbox.service.SandboxedService
    labels: list[str]
    target: int
    inputs: tuple[str, ...]
    output: str
    max_len: int
    fixed_len: int | None
    source: str

    @property
    def label(self) -> str:
        return self.labels[self.target]

    def score(self, texts: Sequence[str], deadline: float = 0.0) -> list[Best]:
        """The worker stops between batches at ``deadline`` (a ``TimeoutError``); a worker stuck
        inside one batch is killed once the deadline is ``HARD_GRACE_S`` (or the budget again)
        behind."""
        from airlock.sandbox.service import ServiceCallError

        budget = deadline - time.perf_counter() if deadline else 0.0
        if deadline:
            budget = min(budget, -1e-6) if budget <= 0 else budget  # 0 would mean "none"
        hard = max(budget, 0.0) + max(HARD_GRACE_S, budget) if deadline else None
        try:
            got = self.service.call({"texts": list(texts), "budget_s": budget}, hard)
        except ServiceCallError as exc:
            if exc.kind == "TimeoutError":
                raise TimeoutError(f"{self.source}: ONNX classifier deadline passed") from None
            raise GuardError(f"{self.source}: sandboxed ONNX classifier failed: {exc.kind}:"
                             f" {exc.detail}") from None  # fmt: skip
        try:
            out = [(float(s), int(a), int(b)) for s, a, b in got]
            if len(out) != len(texts) or not all(0.0 <= s <= 1.0 for s, _, _ in out):
                raise ValueError
        except (TypeError, ValueError):
            self.service.reset()  # answering nonsense: do not trust that worker again
            raise GuardError(f"{self.source}: sandboxed ONNX classifier answered nonsense"
                             ) from None  # fmt: skip
        return out

    def close(self) -> None:
        self.service.close()


def _sandboxed(prep: _Prepared) -> SandboxedOnnxClassifier:
    from airlock.sandbox.runner import SandboxPolicy, SandboxUnavailable
    from airlock.sandbox.service import (
        SERVICE_CPU_SECONDS,
        SandboxedService,
        ServiceCallError,
        ServiceError,
    )

    frames = _boot_frames(prep)
    model_mb = sum(len(f) for f in frames) >> 20
    # no user file is bound: the worker gets the judged bytes through its pipe
    policy = SandboxPolicy(memory_mb=WORKER_BASE_MB + 4 * model_mb,
                           cpu_seconds=SERVICE_CPU_SECONDS, file_size_mb=16)  # fmt: skip
    service = SandboxedService(_BOOT, policy, boot_frames=frames, name="ONNX classifier worker",
                               max_boot=MAX_MODEL_BYTES)  # fmt: skip
    try:
        ready = service.start()
    except SandboxUnavailable as exc:
        raise SandboxUnavailable(f"{exc}; for the ONNX classifier, --onnx-unsandboxed loads it"
                                 " in-process instead") from None  # fmt: skip
    except ServiceCallError as exc:  # the worker's own refusal (signature, onnxruntime)
        msg = exc.detail if exc.kind == "GuardError" else f"{exc.kind}: {exc.detail}"
        raise GuardError(msg) from None
    except ServiceError as exc:
        raise GuardError(f"{prep.source}: loading in the sandbox failed: {exc}") from None
    inputs, fixed = tuple(ready["inputs"]), ready["fixed_len"]
    return SandboxedOnnxClassifier(service, prep.labels, prep.target, inputs,
                                   str(ready["output"]), int(ready["max_len"]), fixed,
                                   prep.source)  # fmt: skip


