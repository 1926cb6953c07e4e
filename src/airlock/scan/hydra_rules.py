"""Hydra ``_target_`` graphs in YAML and JSON configs (AIR-CFG-020).

NeMo (``.nemo`` archives: a tar, possibly gzipped, holding ``model_config.yaml``), pyannote,
the Lightning CLI and many Hydra projects pass a model's config to ``hydra.utils.instantiate``,
which imports the dotted name of every ``_target_`` (at any depth; ``_recursive_`` is on by
default) and calls it with the node's other keys and ``_args_`` (``_partial_`` wraps it in
``functools.partial`` for a later call). A config is code: ``pathlib.Path.write_text`` then
``torch.hub.load(source="local")`` runs any Python, and hydra's own blocklist stops neither.

Every ``_target_`` is judged by its full dotted name: an exact allowlist of inert torch classes
(layers, activations, losses, optimisers, LR schedulers) is no finding; a class (last part
capitalised) of the model frameworks' own model packages (``nemo.collections.``,
``pyannote.audio.``) is medium: library code the user chose to install, called with the
config's arguments; any other name is high, and critical when it reaches the standard library,
processes, files, imports or deserialisers. A value that is not a plain dotted name (an
interpolation ``${...}``, an alias, a tag, a block scalar) cannot be judged: high.

YAML is not parsed (no YAML library is a dependency, and none runs on untrusted text here): the
text is searched. ``\\xHH``/``\\uHHHH``/``\\UHHHHHHHH`` escapes (double-quoted YAML scalars) are
decoded first, so an escaped key is still seen; every occurrence of ``_target_`` must be a key
with a plain value or it is a finding (a comment that mentions it too: conservative). JSON is
walked after parsing (escapes already decoded)."""

from __future__ import annotations

import re
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.config_rules import ACTIVATIONS
from airlock.scan.format_rules import Rule

HYDRA_REF = "https://hydra.cc/docs/advanced/instantiate_objects/overview/"

TARGET = Rule(
    "AIR-CFG-020",
    Severity.HIGH,
    "Hydra config names a callable to import and call (_target_)",
    "hydra.utils.instantiate (NeMo restore_from, pyannote, Lightning CLI, Hydra projects) imports"
    " every _target_ of a config, at any depth, and calls it with the config's arguments"
    " (_args_, _partial_): only inert torch classes by exact name are allowed; a model"
    " framework's own classes are medium; anything else runs code the config chose.",
    HYDRA_REF,
)

_LAYERS = (
    "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Embedding",
    "EmbeddingBag", "LayerNorm", "GroupNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
    "InstanceNorm1d", "InstanceNorm2d", "RMSNorm", "Dropout", "Dropout1d", "Dropout2d",
    "Dropout3d", "AlphaDropout", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d",
    "AvgPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "Flatten", "Unflatten", "Sequential", "ModuleList", "ModuleDict",
    "MultiheadAttention", "TransformerEncoderLayer", "TransformerDecoderLayer",
    "TransformerEncoder", "TransformerDecoder", "Transformer", "Upsample", "PixelShuffle",
    "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "CrossEntropyLoss", "MSELoss", "L1Loss",
    "BCELoss", "BCEWithLogitsLoss", "NLLLoss", "CTCLoss", "SmoothL1Loss", "HuberLoss",
    "KLDivLoss", "CosineEmbeddingLoss",
)  # fmt: skip
_OPTIMIZERS = (
    "Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
)  # fmt: skip
# LambdaLR/MultiplicativeLR take a callable: left out (its nested _target_ would be judged anyway)
_SCHEDULERS = (
    "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
    "OneCycleLR", "LinearLR", "ConstantLR", "PolynomialLR", "ReduceLROnPlateau", "CyclicLR",
    "SequentialLR", "ChainedScheduler",
)  # fmt: skip
ALLOWED = frozenset({
    *ACTIVATIONS,
    *(f"torch.nn.{c}" for c in _LAYERS),
    *(f"torch.optim.{c}" for c in _OPTIMIZERS),
    *(f"torch.optim.lr_scheduler.{c}" for c in _SCHEDULERS),
})  # fmt: skip
# the model frameworks' own model packages: their classes are the model code the user installed
FRAMEWORK_PREFIXES = ("nemo.collections.", "pyannote.audio.")
# roots (first dotted part) and prefixes whose callables run code, processes, imports, file or
# network I/O or deserialise: critical
DANGEROUS_ROOTS = frozenset({
    "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "pathlib", "shutil",
    "importlib", "runpy", "sys", "io", "code", "codeop", "pty", "ctypes", "pickle", "_pickle",
    "marshal", "functools", "operator", "multiprocessing", "socket", "urllib", "http",
    "requests", "httpx", "tempfile", "glob", "webbrowser", "pydoc", "pkgutil", "cProfile",
    "profile", "pdb", "trace", "doctest", "zipimport", "logging", "hydra", "omegaconf", "dill",
    "cloudpickle", "joblib", "shelve", "tarfile", "zipfile", "asyncio", "threading", "signal",
    "platform", "timeit", "types", "inspect", "ast", "compileall", "py_compile", "site",
    "setuptools", "pip", "distutils", "venv", "smtplib", "ftplib", "telnetlib",
})  # fmt: skip
DANGEROUS_PREFIXES = (
    "torch.hub.", "torch.load", "torch.save", "torch.jit.", "torch.package.",
    "torch.utils.cpp_extension.", "torch.utils.collect_env", "torch.ops.", "torch.classes.",
    "torch.serialization.", "torch.compile", "numpy.load", "numpy.save", "numpy.fromfile",
    "numpy.ctypeslib", "numpy.f2py", "nemo.utils.model_utils.",
)  # fmt: skip
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
# the value after a key on its own line: ``key: v``, ``"key":v`` (JSON-like); the rest of the
# line blank or a comment (a complex key ``? key`` whose ``: v`` is on a later line)
_SAME_LINE = re.compile(r"""["']?[ \t]*:(?:[ \t]+|(?=\r?$)|(?=\S))""", re.MULTILINE)
_LINE_DONE = re.compile(r"""["']?[ \t]*(?:#|\r?$)""", re.MULTILINE)
MAX_SKIP = 200  # blank/comment lines a complex key's ``:`` may follow; beyond: cannot be judged
MAX_VALUE = 1024  # characters of a value line read; a longer value is not plain (judged high)
# ``_target_`` as a word: ``num_target_tokens`` is another key
_WORD = re.compile(r"(?<![A-Za-z0-9_])_target_(?![A-Za-z0-9_])")
MAX_TARGETS = 1000  # distinct values judged per file; beyond: a high finding (fail closed)
# not a dotted name, so every judge reads it as high ("cannot be judged")
TOO_MANY = f"<more than {MAX_TARGETS} distinct values: the rest cannot be judged>"
MAX_WALK_NODES = 4_000_000
DOC_SUFFIXES = (".md", ".rst", ".txt", ".html", ".htm")


def judge(target: str) -> Severity | None:
    """The severity of a ``_target_`` that is a plain dotted name (``None``: allowed)."""
    if target in ALLOWED:
        return None
    root = target.split(".", 1)[0]
    if "." not in target or root in DANGEROUS_ROOTS or target.startswith(DANGEROUS_PREFIXES):
        return Severity.CRITICAL
    last = target.rsplit(".", 1)[1]
    if target.startswith(FRAMEWORK_PREFIXES) and last[:1].isupper():
        return Severity.MEDIUM
    return Severity.HIGH


def _finding(location: str, member: str | None, where: str, value: str) -> Finding:
    plain = _DOTTED.fullmatch(value) is not None
    sev = judge(value) if plain else Severity.HIGH
    if plain and sev is None:
        raise AssertionError("allowed targets make no finding")  # callers filter first
    what = (
        f"hydra.utils.instantiate imports and calls {value!r}"
        if plain
        else f"_target_ value {value[:80]!r} is not a plain dotted name: cannot be judged"
    )
    return TARGET.finding(location, f"{where}: {what}", member=member, severity=sev)


def _collect(pairs: list[tuple[str, str]], location: str, member: str | None) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for where, value in pairs:
        if value in seen:
            continue
        seen.add(value)
        if _DOTTED.fullmatch(value) is not None and judge(value) is None:
            continue
        out.append(_finding(location, member, where, value))
    return out


def _plain_value(raw: str) -> str:
    """The scalar after ``_target_:`` on its line: quoted, or plain up to a comment, comma or
    closing bracket (flow style)."""
    v = raw.strip()
    if v[:1] in ("'", '"'):
        end = v.find(v[0], 1)
        return v[1:end] if end > 0 else v
    v = re.split(r"[ \t]#|[,}\]]", v, maxsplit=1)[0]
    return v.strip()


def decode_escapes(text: str) -> str:
    """``\\xHH``/``\\uHHHH``/``\\UHHHHHHHH`` escapes decoded (double-quoted YAML scalars)."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), text)


TOO_FAR = -1  # next_content: more than MAX_SKIP blank/comment lines follow


class _Lines:
    """Where the next line that is neither blank nor a comment starts (memoised per line, so
    every line is read once however many keys point past it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[int, int | None] = {}

    def next_content(self, eol: int) -> int | None:
        """The first non-blank character of the first content line after the line ending at
        ``eol``; ``None`` at the end of the text; ``TOO_FAR`` past ``MAX_SKIP`` lines (every
        line of a long comment block then answers ``TOO_FAR``: fail closed, and linear)."""
        text, pos = self.text, eol
        chain: list[int] = []
        found: int | None = None
        while True:
            if pos in self.memo:
                found = self.memo[pos]
                break
            if pos >= len(text):
                break
            if len(chain) > MAX_SKIP:
                found = TOO_FAR
                break
            chain.append(pos)
            start = pos + 1
            head = text[start : start + MAX_VALUE]
            body = start + len(head) - len(head.lstrip(" \t"))
            if body - start >= MAX_VALUE:
                found = TOO_FAR  # an indentation too long to read: cannot be judged
                break
            if body < len(text) and text[body] not in "#\r\n":
                found = body
                break
            nl = text.find("\n", body)
            pos = len(text) if nl < 0 else nl
        for p in chain:
            self.memo[p] = found
        return found


def _value_at(text: str, pos: int, eol: int) -> str:
    """The plain value from ``pos`` to the end of its line, at most ``MAX_VALUE`` characters (a
    longer line gets a marker, so a cut value is never read as a plain name)."""
    raw = text[pos : min(eol, pos + MAX_VALUE)]
    if eol > pos + MAX_VALUE:
        raw += "\x00<cut>"
    return _plain_value(raw)


def key_pairs(
    text: str, name: str, word: re.Pattern[str], keys_only: bool = False
) -> list[tuple[str, str, str]]:
    """``(where, key, value)`` for every match of ``word`` in an (escape-decoded) text: the
    plain scalar after it when it is a key, a marker for a block value, else the text that
    follows (which no dotted name matches: judged as not plain; skipped when ``keys_only``).
    Linear: each line is read a bounded number of times (no regex crosses lines)."""
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    lines = _Lines(text)
    line, last, eol = 1, 0, -1
    for hit in word.finditer(text):
        i = hit.start()
        start = hit.end()
        line += text.count("\n", last, i)  # counted once over the text
        last = i
        if i > eol:
            eol = text.find("\n", i)
            eol = len(text) if eol < 0 else eol
        value: str | None = None
        m = _SAME_LINE.match(text, start)
        if m is not None and m.end() <= eol:
            value = _value_at(text, m.end(), eol)
        elif _LINE_DONE.match(text, start) is not None:
            nxt = lines.next_content(eol)
            if nxt == TOO_FAR:
                value = "<too many comment lines: cannot be judged>"
            elif nxt is not None and text.startswith(":", nxt):
                end = text.find("\n", nxt)
                end = len(text) if end < 0 else end
                value = _value_at(text, nxt + 1, end)
        if value is None:
            if keys_only:
                continue
            value = text[start : start + 40].strip()
        elif not value:
            value = "<block value on the following lines>"
        if (hit.group(0), value) in seen:
            continue
        if len(seen) >= MAX_TARGETS:
            out.append((f"{name} line {line}", hit.group(0), TOO_MANY))
            break
        seen.add((hit.group(0), value))
        out.append((f"{name} line {line}", hit.group(0), value))
    return out


def text_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """``_target_`` keys in a YAML (or other config) text; documentation files are skipped."""
    if name.lower().endswith(DOC_SUFFIXES):
        return []
    text = decode_escapes(text)
    if "_target_" not in text:
        return []
    pairs = [(where, value) for where, _, value in key_pairs(text, name, _WORD)]
    return _collect(pairs, location, member)


def json_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """``_target_`` keys at any depth of a parsed JSON document (bounded walk)."""
    pairs: list[tuple[str, str]] = []
    values: set[str] = set()
    stack: list[Any] = [doc]
    nodes = 0
    while stack and nodes < MAX_WALK_NODES:
        node = stack.pop()
        nodes += 1
        if isinstance(node, dict):
            if "_target_" in node:
                v = node["_target_"]
                value = v if isinstance(v, str) else repr(v)[:80]
                if value not in values and len(values) >= MAX_TARGETS:
                    pairs.append((name, TOO_MANY))
                    break
                values.add(value)
                pairs.append((name, value))
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    if stack and nodes >= MAX_WALK_NODES:
        pairs.append((name, "<document too large to walk>"))
    return _collect(pairs, location, member)
