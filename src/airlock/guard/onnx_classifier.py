"""A user-supplied ONNX sequence classifier (e.g. a Hugging Face Optimum export of a
prompt-injection model) as one more guard scanner.

The model is untrusted input until Airlock has judged it, so loading goes: read the bytes once,
scan the folder *and* those exact bytes with Airlock's scanner, refuse on any finding at medium
or above or any object left unscanned, then hand onnxruntime the in-memory bytes (never the path)
with no custom-op libraries, the CPU provider only and one intra-op thread. External data is read
by us from inside the folder and supplied as initializers, so onnxruntime never opens a file.
The tokenizer is ``tokenizer.json`` read by the ``tokenizers`` library: data, not code.

Even a model that passed the scan is parsed by onnxruntime (C++) and ``tokenizers`` (Rust), and
the guard sees all traffic, so by default both run in a long-lived sandboxed worker
(:mod:`airlock.sandbox.service`): the parent sends it the scanned bytes (it binds no user file)
and asks it for scores; a crash or a hang fails that request closed and a fresh worker serves
the next. ``sandbox=False`` keeps the old in-process loading for machines without a sandbox.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from airlock.errors import DependencyError
from airlock.fileio import read_capped
from airlock.guard.pipeline import GuardError, GuardFinding, ScanContext
from airlock.report import Severity

EXTRA = "guard-onnx"
DEFAULT_MAX_LEN = 512
DEFAULT_THRESHOLD = 0.5
LABEL_HINT = re.compile(r"injection|jailbreak|unsafe", re.IGNORECASE)
MAX_JSON_BYTES = 64 << 20
MAX_MODEL_BYTES = 2 << 30  # protobuf's own limit for one ModelProto
ALLOWED_INPUTS = frozenset({"input_ids", "attention_mask", "token_type_ids"})
# TensorProto.DataType -> numpy dtype, for external initializers we read ourselves
_NP_TYPES: dict[int, Any] = {
    1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32,
    7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64,
}  # fmt: skip
# The top-level graph as formats.onnx labels it; anything nested (subgraphs, functions,
# attributes) carries more text and is refused if it asks for external data.
_TOP_GRAPH = re.compile(r"graph(?: '[^']*'| \"[^\"]*\")?")

Window = tuple[list[int], list[int], tuple[int, int]]
"""Token ids, token type ids, and the character span of the text the window covers."""
Best = tuple[float, int, int]
"""A text's highest window score and that window's character span."""
# Memory for the sandboxed worker: interpreter, numpy, onnxruntime, tokenizers (address space,
# so generous), plus copies of the model: the bytes received, the session's, its arena.
WORKER_BASE_MB = 2048
HARD_GRACE_S = 1.0


def _import(name: str) -> Any:
    """Optional dependencies as ``Any`` (onnxruntime ships no type information)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise DependencyError(
            f"the ONNX classifier needs {name!r} from the {EXTRA!r} extra:"
            f" pip install 'model-airlock[{EXTRA}]'"
        ) from None


def _locate(path: Path) -> tuple[Path, Path]:
    """``(folder, model file)``: a folder holding ``model.onnx`` (or exactly one ``.onnx``), or
    an ``.onnx`` file whose folder holds the tokenizer and config."""
    if path.is_file():
        return path.parent, path
    if not path.is_dir():
        raise GuardError(f"{path}: no such ONNX classifier file or folder")
    if (path / "model.onnx").is_file():
        return path, path / "model.onnx"
    found = sorted(p for p in path.glob("*.onnx") if p.is_file())
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise GuardError(f"{path}: expected model.onnx or one .onnx file (found: {names})")
    return path, found[0]


def _refuse(problems: list[str], extra: int, what: str) -> None:
    if problems:
        more = f" (+{extra} more)" if extra > 0 else ""
        raise GuardError(f"refusing ONNX classifier {what}: Airlock's scan found"
                         f" {'; '.join(problems)}{more}; run 'airlock scan {what}' for the"
                         " full report")  # fmt: skip


def _refuse_findings(report: Any, what: str) -> None:
    """Any finding at medium or above anywhere in the folder: a booby-trapped file next to the
    model says the folder is not what it claims to be, even if we would not open that file."""
    # the folder scan and the in-memory scan of model.onnx see the same problems: say them once
    seen = (f for f in report.findings if f.severity >= Severity.MEDIUM)
    bad = list(dict.fromkeys(f"{f.rule_id} {f.severity}: {f.title} ({f.evidence})" for f in seen))
    shown = bad[:3]
    _refuse(shown, len(bad) - len(shown), what)


def _refuse_unscanned(report: Any, used: set[Path], raw: set[Path], what: str) -> None:
    """Files we read must have been scanned. External-data files are exempt from *format*
    recognition only: they are raw tensor bytes that we read as numbers, never parse. Unused
    files the scanner cannot read (``spm.model`` next to ``tokenizer.json``...) are not opened."""
    problems = []
    for o in report.not_scanned:
        p = Path(o.location).resolve()
        if p in raw and o.member is None and "unrecognised" in (o.reason or ""):
            continue
        if p in used or p in raw:
            problems.append(f"not scanned: {o.location}{'!' + o.member if o.member else ''}"
                            f" ({o.reason})")  # fmt: skip
    _refuse(problems[:3], len(problems) - 3, what)


@dataclass(frozen=True)
class _ExternalRef:
    name: str
    path: Path
    dtype: Any
    dims: tuple[int, ...]
    offset: int
    length: int


def _external_refs(model_bytes: bytes, folder: Path) -> list[_ExternalRef]:
    """Every external tensor, checked to be a numeric top-level initializer in ``folder``."""
    from airlock.formats.onnx import read_onnx
    from airlock.formats.protobuf_wire import ProtobufError
    from airlock.scan.onnx_handler import location_escapes

    try:
        parsed = read_onnx(model_bytes)
    except ProtobufError as exc:
        raise GuardError(f"{folder}: ONNX model cannot be parsed: {exc}") from None
    root = folder.resolve()
    refs: list[_ExternalRef] = []
    for t in parsed.tensors:
        if t.external is None:
            continue
        label = f"{folder}: external tensor {t.name!r} ({t.where})"
        if not _TOP_GRAPH.fullmatch(t.where) or t.data_type not in _NP_TYPES:
            raise GuardError(f"{label}: only top-level numeric initializers may be external")
        location = t.external.get("location", "")
        if location_escapes(location):
            raise GuardError(f"{label}: location {location!r} leaves the model folder")
        target = (folder / location).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise GuardError(f"{label}: {location!r} is not a file inside the model folder")
        dtype = np.dtype(_NP_TYPES[t.data_type])
        size = math.prod(t.dims) * dtype.itemsize
        try:
            offset = int(t.external.get("offset") or 0)
            length = int(t.external.get("length") or size)
        except ValueError:
            raise GuardError(f"{label}: offset/length are not integers") from None
        if offset < 0 or length != size:
            raise GuardError(f"{label}: {length} bytes at {offset} do not hold shape {t.dims}")
        refs.append(_ExternalRef(t.name, target, dtype, t.dims, offset, length))
    return refs


def _read_external(ref: _ExternalRef) -> Any:
    with ref.path.open("rb") as fh:
        fh.seek(ref.offset)
        raw = fh.read(ref.length)
    if len(raw) != ref.length:
        raise GuardError(f"{ref.path}: too short for external tensor {ref.name!r}")
    return np.frombuffer(raw, dtype=ref.dtype).reshape(ref.dims)


def _pick_label(labels: Sequence[str], wanted: str | None, where: Path) -> int:
    if wanted is not None:
        hits = [i for i, lab in enumerate(labels) if lab.casefold() == wanted.casefold()]
        if not hits:
            raise GuardError(f"{where}: label {wanted!r} not in id2label {list(labels)}")
        return hits[0]
    hits = [i for i, lab in enumerate(labels) if LABEL_HINT.search(lab)]
    if len(hits) != 1:
        why = "several" if hits else "no"
        raise GuardError(f"{where}: {why} id2label entries look like injection"
                         f" ({list(labels)}); choose one with --onnx-label")  # fmt: skip
    return hits[0]


def _config(folder: Path) -> dict[str, Any]:
    path = folder / "config.json"
    if not path.is_file():
        raise GuardError(f"{folder}: config.json (with id2label) is missing")
    try:
        cfg = json.loads(read_capped(path, MAX_JSON_BYTES, "ONNX classifier config"))
    except ValueError:
        raise GuardError(f"{path}: not valid JSON") from None
    if not isinstance(cfg, dict):
        raise GuardError(f"{path}: must be a JSON object")
    return cfg


def _labels(cfg: dict[str, Any], where: Path) -> list[str]:
    raw = cfg.get("id2label")
    try:
        pairs = sorted((int(k), str(v)) for k, v in raw.items())  # type: ignore[union-attr]
    except (AttributeError, ValueError, TypeError):
        raise GuardError(f"{where}: config.json needs an id2label object") from None
    if [i for i, _ in pairs] != list(range(len(pairs))) or len(pairs) < 2:
        raise GuardError(f"{where}: id2label must number 2 or more labels 0..n-1")
    return [v for _, v in pairs]


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


@dataclass(frozen=True)
class _Prepared:
    """Everything the session is built from, already judged by the parent: the exact bytes it
    scanned, the parsed config and the external tensors it read itself."""

    source: str
    model_name: str
    model_bytes: bytes
    tok_text: str
    labels: list[str]
    target: int
    cfg_len: int | None
    pad: int
    multi: bool
    external: list[tuple[str, Any]]


def _prepare(path: Path, label: str | None) -> _Prepared:
    """Locate, read and scan; every refusal happens here, before anything parses the model."""
    from airlock.scan.engine import scan_data, scan_paths

    folder, model_file = _locate(path)
    model_bytes = read_capped(model_file, MAX_MODEL_BYTES, "ONNX model")
    tok_path = folder / "tokenizer.json"
    if not tok_path.is_file():
        raise GuardError(f"{folder}: tokenizer.json is missing (export with a fast tokenizer)")
    tok_text = read_capped(tok_path, MAX_JSON_BYTES, "tokenizer").decode("utf-8", "replace")
    cfg = _config(folder)
    labels = _labels(cfg, folder)
    target = _pick_label(labels, label, folder)

    # Judge the folder (tokenizer, config, external data, symlinks) and the exact bytes we load
    # (scan_data), so a file swapped after we read it cannot reach onnxruntime unjudged.
    report = scan_paths([folder])
    mem = scan_data(model_bytes, str(model_file))
    report.objects += mem.objects
    report.findings += mem.findings
    _refuse_findings(report, str(path))
    refs = _external_refs(model_bytes, folder)
    used = {p.resolve() for p in (model_file, tok_path, folder / "config.json")}
    _refuse_unscanned(report, used, {r.path for r in refs}, str(path))

    cfg_len = cfg.get("max_position_embeddings")
    pad = cfg.get("pad_token_id")
    return _Prepared(str(path), str(model_file), model_bytes, tok_text, labels, target,
                     cfg_len if isinstance(cfg_len, int) else None,
                     pad if isinstance(pad, int) and pad >= 0 else 0,
                     cfg.get("problem_type") == "multi_label_classification",
                     [(r.name, _read_external(r)) for r in refs])  # fmt: skip


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


# Inside the sandboxed worker (after its lockdown): build from the frames the parent sends.
_BOOT = """
from airlock.guard.onnx_classifier import serve_in_worker
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


def load_onnx_classifier(
    path: Path, label: str | None = None, *, sandbox: bool = True
) -> OnnxTextClassifier | SandboxedOnnxClassifier:
    """Scan, then load and validate an ONNX sequence classifier folder (Optimum layout): in a
    sandboxed worker by default (refused if no sandbox works here), in-process with
    ``sandbox=False``."""
    _import("onnxruntime")  # name the missing extra before scanning anything
    _import("tokenizers")
    prep = _prepare(path, label)
    return _sandboxed(prep) if sandbox else _build(prep)


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


class TextClassifier(Protocol):
    """What the scanner needs: in-process or in the sandboxed worker."""

    @property
    def label(self) -> str: ...

    def score(self, texts: Sequence[str], deadline: float = 0.0) -> list[Best]: ...


@dataclass
class OnnxClassifierScanner:
    """The user's ONNX classifier over token windows of the text, its normalised form when that
    differs beyond case (obfuscation), and decoded segments; the highest window decides."""

    model: TextClassifier
    threshold: float = DEFAULT_THRESHOLD
    name: str = "onnx-classifier"
    cost: int = 10
    timeout_s: float = 2.0
    directions: frozenset[str] = frozenset({"input"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        deadline = time.perf_counter() + self.timeout_s
        texts: list[tuple[str, str]] = [("", ctx.raw)]
        if ctx.norm.text != ctx.raw.casefold():
            texts.append(("normalised", ctx.norm.text))
        texts.extend((f"{d.kind}-decoded", d.text) for d in ctx.decoded)
        texts = [(kind, text) for kind, text in texts if text.strip()]
        if not texts:
            return []
        scores = self.model.score([t for _, t in texts], deadline)
        best = max(range(len(scores)), key=lambda i: scores[i][0])
        score, start, end = scores[best]
        if score < self.threshold:
            return []
        where = texts[best][0] or f"chars {start}-{end}"
        msg = f"prompt injection (ONNX classifier, label {self.model.label})"
        return [GuardFinding(self.name, "AIR-GRD-PI-002", Severity.HIGH, "block", msg,
                             score=score, where=where)]  # fmt: skip

    def close(self) -> None:
        """Stop the sandboxed worker, if the model runs in one (``Pipeline.close`` calls this)."""
        closer = getattr(self.model, "close", None)
        if callable(closer):
            closer()
