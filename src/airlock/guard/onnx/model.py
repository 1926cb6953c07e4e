"""The classifier itself: tokenizer windows, batched onnxruntime calls, and the session built
from judged bytes (in the sandboxed worker or in-process)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from airlock.guard.onnx.common import (
    ALLOWED_INPUTS,
    DEFAULT_MAX_LEN,
    Best,
    Window,
    _import,
    _Prepared,
)
from airlock.guard.types import GuardError


def _int_dim(d: Any) -> int | None:
    return d if isinstance(d, int) and d > 0 else None


@dataclass
class OnnxTextClassifier:
    """A loaded, validated classifier: ``score`` returns P(target label) per window."""

    session: Any
    tokenizer: Any
    labels: list[str]
    target: int
    inputs: tuple[str, ...]
    output: str
    max_len: int
    fixed_len: int | None = None
    pad_id: int = 0
    multi_label: bool = False
    source: str = ""
    batch: int = 8
    stride: int = field(init=False)

    def __post_init__(self) -> None:
        self.stride = max(1, self.max_len // 10)  # ~10% overlap, as the built-in windows
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_len, stride=self.stride)

    @property
    def label(self) -> str:
        return self.labels[self.target]

    def windows(self, text: str) -> list[Window]:
        """Token windows ``(ids, type_ids, (char_start, char_end))`` covering the whole text."""
        enc = self.tokenizer.encode(text)
        out: list[Window] = []
        for w in (enc, *enc.overflowing):
            spans = [o for o in w.offsets if o[1] > o[0]]
            where = (spans[0][0], spans[-1][1]) if spans else (0, 0)
            out.append((list(w.ids), list(w.type_ids), where))
        return out

    def score_windows(self, wins: Sequence[Window], deadline: float = 0.0) -> list[float]:
        """Probabilities of the target label, batch by batch; stops once ``deadline`` (a
        ``perf_counter`` value, 0 = none) has passed, so a timed-out scan does not keep a worker
        thread busy for long after the pipeline gave up on it."""
        scores: list[float] = []
        for i in range(0, len(wins), self.batch):
            if deadline and time.perf_counter() > deadline:
                raise TimeoutError("ONNX classifier deadline passed")
            chunk = wins[i : i + self.batch]
            width = self.fixed_len or max(len(ids) for ids, _, _ in chunk)
            ids = np.full((len(chunk), width), self.pad_id, dtype=np.int64)
            types = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, (tok, typ, _) in enumerate(chunk):
                ids[row, : len(tok)] = tok
                types[row, : len(typ)] = typ
                mask[row, : len(tok)] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            logits = self.session.run([self.output], {k: feed[k] for k in self.inputs})[0]
            logits = np.asarray(logits, dtype=np.float64)
            if logits.shape != (len(chunk), len(self.labels)):
                raise GuardError(f"{self.source}: logits shape {logits.shape}, expected"
                                 f" {(len(chunk), len(self.labels))}")  # fmt: skip
            if self.multi_label:
                probs = 1.0 / (1.0 + np.exp(-logits[:, self.target]))
            else:
                z = np.exp(logits - logits.max(axis=1, keepdims=True))
                probs = z[:, self.target] / z.sum(axis=1)
            scores.extend(float(p) for p in probs)
        return scores

    def score(self, texts: Sequence[str], deadline: float = 0.0) -> list[Best]:
        """Per text, the highest window score and that window's character span (texts are
        scored together, so short ones share batches)."""
        per = [self.windows(t) for t in texts]
        scores = self.score_windows([w for ws in per for w in ws], deadline)
        out: list[Best] = []
        i = 0
        for ws in per:
            if not ws:
                out.append((0.0, 0, 0))
                continue
            k = max(range(i, i + len(ws)), key=scores.__getitem__)
            out.append((scores[k], *ws[k - i][2]))
            i += len(ws)
        return out


def _build(prep: _Prepared) -> OnnxTextClassifier:
    """Tokenizer and session from judged bytes: in the sandboxed worker, or in-process."""
    ort = _import("onnxruntime")
    tokenizers = _import("tokenizers")
    try:
        tokenizer = tokenizers.Tokenizer.from_str(prep.tok_text)
    except Exception as exc:
        raise GuardError(f"{prep.source}: tokenizer.json is not a tokenizers tokenizer: {exc}"
                         ) from None  # fmt: skip

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    opts.add_session_config_entry("session.load_model_format", "ONNX")
    if prep.external:  # supplied by us, so onnxruntime never resolves a path itself
        values = [ort.OrtValue.ortvalue_from_numpy(a) for _, a in prep.external]
        opts.add_external_initializers([n for n, _ in prep.external], values)
    try:
        session = ort.InferenceSession(prep.model_bytes, opts, providers=["CPUExecutionProvider"])
    except Exception as exc:
        msg = " ".join(str(exc).split())[:300]
        raise GuardError(f"{prep.model_name}: onnxruntime cannot load the model: {msg}") from None

    model_file = Path(prep.model_name)
    inputs, fixed = _check_inputs(session, model_file)
    output = _check_output(session, model_file, len(prep.labels))
    cfg_len = prep.cfg_len
    max_len = min(cfg_len, DEFAULT_MAX_LEN) if cfg_len is not None and cfg_len > 8 else 512
    if fixed is not None:
        max_len = min(max_len, fixed)
    return OnnxTextClassifier(session, tokenizer, prep.labels, prep.target, inputs, output,
                              max_len, fixed, prep.pad, prep.multi, prep.source)  # fmt: skip


def _check_inputs(session: Any, where: Path) -> tuple[tuple[str, ...], int | None]:
    """Inputs must be int64 ``[batch, seq]`` input_ids + attention_mask (+ token_type_ids)."""
    got = {i.name: i for i in session.get_inputs()}
    sig = ", ".join(f"{i.name}: {i.type} {i.shape}" for i in got.values())
    hint = ("expected int64 [batch, sequence] inputs input_ids, attention_mask and optionally"
            f" token_type_ids; the model has {sig or 'no inputs'}")  # fmt: skip
    if not {"input_ids", "attention_mask"} <= got.keys() or not got.keys() <= ALLOWED_INPUTS:
        raise GuardError(f"{where}: unsupported input signature: {hint}")
    fixed: set[int] = set()
    for i in got.values():
        if i.type != "tensor(int64)" or len(i.shape) != 2:
            raise GuardError(f"{where}: input {i.name!r} is {i.type} {i.shape}: {hint}")
        if _int_dim(i.shape[1]) is not None:
            fixed.add(i.shape[1])
    if len(fixed) > 1:
        raise GuardError(f"{where}: inputs disagree on the sequence length: {hint}")
    return tuple(n for n in ("input_ids", "attention_mask", "token_type_ids") if n in got), (
        fixed.pop() if fixed else None
    )


def _check_output(session: Any, where: Path, n_labels: int) -> str:
    """One float ``[batch, labels]`` output, preferably named ``logits``."""
    outs = list(session.get_outputs())
    out = next((o for o in outs if o.name == "logits"), outs[0] if len(outs) == 1 else None)
    if out is None:
        names = [o.name for o in outs]
        raise GuardError(f"{where}: several outputs {names} and none is named 'logits'")
    dims = out.shape
    last = _int_dim(dims[-1]) if dims else None
    ok = out.type in ("tensor(float)", "tensor(float16)", "tensor(double)") and len(dims) == 2
    if not ok or (last is not None and last != n_labels):
        raise GuardError(f"{where}: output {out.name!r} is {out.type} {dims}; expected float"
                         f" logits [batch, {n_labels}] matching config.json id2label")  # fmt: skip
    return str(out.name)


