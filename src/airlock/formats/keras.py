"""Keras model configs (v3 ``.keras`` config.json, legacy HDF5 ``model_config``, SavedModel
``keras_metadata.pb``): walk the whole JSON tree and report what deserialisation would import or
call — never importing Keras or the referenced code.

Keras rebuilds a model by importing ``module`` + ``class_name`` for every object in the config
and calling it. Everything outside Keras' own namespaces is therefore a code reference
(CVE-2025-1550); functions inside Keras can be gadgets (``get_file``: CVE-2025-8747;
``enable_unsafe_deserialization``: CVE-2025-9906); Lambda layers carry marshalled bytecode
(CVE-2024-3660), which is summarised here by a bounded marshal reader, never loaded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from airlock.formats.pymarshal import CodeSummary, MarshalError, read_code

MAX_NODES = 2_000_000
MAX_CONFIG_BYTES = 256 * 1024 * 1024
MAX_LAMBDA_B64 = 8 * 1024 * 1024
MAX_PAYLOADS = 1000

KERAS_ROOTS = frozenset({"keras", "tf_keras", "keras_hub", "keras_nlp", "keras_cv", "tensorflow"})
DANGEROUS_MODULES = frozenset(
    {
        "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "sys", "shutil", "socket",
        "importlib", "runpy", "pickle", "marshal", "ctypes", "code", "codeop", "pty",
        "webbrowser", "requests", "urllib", "urllib2", "urllib3", "http", "httpx", "ftplib",
        "telnetlib", "smtplib", "io", "pathlib", "tempfile", "multiprocessing", "threading",
        "asyncio", "signal", "platform", "shelve", "dill", "cloudpickle", "joblib", "numpy",
        "pandas", "torch", "__main__", "operator", "functools", "types", "inspect", "gc",
    }
)  # fmt: skip
# Functions reachable inside Keras that read/write files, fetch URLs, load further models or
# switch safe mode off.
GADGET_FUNCTIONS = frozenset(
    {
        "get_file", "enable_unsafe_deserialization", "load_model", "load_weights",
        "set_global_attribute", "save_model", "save_weights", "save", "plot_model",
        "model_to_dot", "deserialize_keras_object", "register_keras_serializable",
        "extract_archive", "urlretrieve", "urlopen", "copy", "rmtree", "remove", "unlink",
        "system", "popen", "exec", "eval", "compile", "open", "load", "import_module",
        "func_load", "export", "write", "makedirs",
    }
)  # fmt: skip
# Keras namespaces whose functions are never layer arguments: files, downloads (``datasets``
# fetch and write ~/.keras/datasets; ``applications`` constructors fetch weights through
# get_file), callbacks that write, exporters, plots saved to a path (``visualization``), global
# state.
GADGET_SPACES = frozenset(
    {
        "saving", "config", "utils", "global_state", "datasets", "callbacks", "export",
        "applications", "visualization",
    }
)  # fmt: skip
# Gadgets whatever namespace they are reached from.
STRONG_GADGETS = frozenset(
    {
        "get_file", "enable_unsafe_deserialization", "load_model", "set_global_attribute",
        "load_weights", "save_model", "save_weights", "plot_model", "func_load",
        "deserialize_keras_object", "extract_archive", "urlretrieve", "urlopen",
        "KerasFileEditor", "TFSMLayer", "load_data", "get_word_index",
    }
)  # fmt: skip
# tf.* functions a legacy TFOpLambda layer may name that reach files, Python or the network.
TF_GADGET_PREFIXES = (
    "io.", "raw_ops.", "compat.v1.io.", "compat.v1.gfile.", "gfile.", "data.", "saved_model.",
    "summary.", "compat.v1.summary.", "debugging.", "distribute.", "keras.", "compat.v1.keras.",
    "lookup.", "train.", "compat.v1.train.", "experimental.", "compat.v1.py_func", "sysconfig.",
    "load_op_library", "load_library",
)  # fmt: skip
TF_GADGETS = frozenset({"py_function", "numpy_function", "print", "compat.v1.Print"})
# Keras namespaces whose functions are ordinary layer arguments (activations, losses...).
BENIGN_FUNCTION_SPACES = frozenset(
    {
        "activations", "losses", "metrics", "ops", "initializers", "regularizers", "constraints",
        "optimizers", "math", "nn", "numpy", "random", "image", "linalg", "core",
    }
)  # fmt: skip
SUSPICIOUS_NAMES = frozenset(
    {
        "system", "popen", "exec", "eval", "__import__", "compile", "open", "subprocess",
        "check_output", "getattr", "setattr", "globals", "locals", "os", "builtins", "socket",
        "urlopen", "loads", "load", "remove", "rmtree", "spawn", "fork", "execv", "Popen",
    }
)  # fmt: skip


@dataclass(frozen=True)
class KerasIssue:
    """One finding in a config: ``kind`` is a stable code, ``path`` a JSON path."""

    kind: str
    path: str
    evidence: str
    critical: bool = True


class KerasConfigError(ValueError):
    """The config text is not JSON the walker can read."""


def parse_config(text: str | bytes) -> Any:
    """``json.loads`` with size and nesting bounds (deep nesting raises, never crashes)."""
    if len(text) > MAX_CONFIG_BYTES:
        raise KerasConfigError(f"config of {len(text)} bytes exceeds {MAX_CONFIG_BYTES}")
    try:
        return json.loads(text)
    except RecursionError:
        raise KerasConfigError("config JSON nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise KerasConfigError(f"config is not valid JSON ({exc})") from None


def looks_like_keras_config(doc: Any) -> bool:
    """A serialized Keras object: ``class_name`` + ``config`` at the top (v3 or legacy)."""
    return isinstance(doc, dict) and isinstance(doc.get("class_name"), str) and "config" in doc


def _walk(doc: Any) -> Iterator[tuple[str, Any]]:
    stack: list[tuple[str, Any]] = [("$", doc)]
    count = 0
    while stack:
        path, node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise KerasConfigError(f"config has more than {MAX_NODES} values")
        yield path, node
        if isinstance(node, dict):
            for k, v in reversed(list(node.items())):
                if isinstance(v, (dict, list, str)) or k == "safe_mode":
                    stack.append((f"{path}.{k}", v))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((f"{path}[{i}]", node[i]))


def _root(module: str) -> str:
    return module.split(".", 1)[0]


def _is_keras(module: str) -> bool:
    return _root(module) in KERAS_ROOTS


def describe_lambda(code_b64: object) -> tuple[str, CodeSummary | None]:
    """Decode a Lambda's base64 marshal payload into a one-line summary (never executed)."""
    if isinstance(code_b64, list) and code_b64:
        code_b64 = code_b64[0]  # legacy (code, defaults, closure)
    if not isinstance(code_b64, str):
        return "bytecode not a string", None
    if len(code_b64) > MAX_LAMBDA_B64:
        return f"bytecode of {len(code_b64)} base64 characters (not decoded)", None
    try:
        raw = binascii.a2b_base64(code_b64.encode("ascii", "replace"))
    except (binascii.Error, ValueError) as exc:
        return f"bytecode is not base64 ({exc})", None
    try:
        summary = read_code(raw)
    except MarshalError as exc:
        return f"{len(raw)} bytes of undecodable bytecode ({exc})", None
    names = summary.all_names()
    strings = summary.all_strings()
    flagged = [n for n in names if n in SUSPICIOUS_NAMES]
    text = (
        f"function {summary.name or '?'} (Python {summary.layout} bytecode) names {names[:20]}"
        f" strings {[s[:80] for s in strings[:10]]}"
    )
    if flagged:
        text += f"; dangerous names: {flagged}"
    return text, summary


# ``package>name``: deserialize_keras_object returns ``custom_objects[s]`` for ANY string ``s``
# that is a registry key, so ``"kernel_initializer": "thirdparty>Init"`` built and called a
# registered class in safe mode (review16b). Keys _judge_object judges (a function's config
# name: _function_ref), and names, excluded.
_REGISTRY_KEY = re.compile(r"[^\s<]+>[^\s<]+")  # register_keras_serializable(name=...) is free
# EinsumDense's ``equation`` ("abc,cd->abd") is an einsum string passed as is, never looked up
# (rt25fmt: every honest EinsumDense save was denied for its "->")
_NOT_LOOKED_UP = frozenset(
    {"registered_name", "class_name", "module", "name", "config", "equation"}
)


def _key(path: str) -> str:
    return path.rstrip("]").rsplit(".", 1)[-1].split("[", 1)[0]


def analyze_config(doc: Any) -> list[KerasIssue]:
    """Every code reference, Lambda, gadget and safe-mode toggle in a Keras config tree."""
    issues: list[KerasIssue] = []
    for path, node in _walk(doc):
        if isinstance(node, str):
            if node in ("enable_unsafe_deserialization", "safe_mode_saving"):
                issues.append(KerasIssue("unsafe-toggle", path, f"string {node!r}"))
            elif _REGISTRY_KEY.fullmatch(node) and _key(path) not in _NOT_LOOKED_UP:
                ev = (
                    f"string {node!r}: a key of the application's custom-object registry, which "
                    "Keras returns (and initializers.get / losses.get instantiate) for it"
                )
                issues.append(KerasIssue("foreign-module", path, ev, critical=False))
            continue
        if path.endswith(".safe_mode") and node is False:
            issues.append(KerasIssue("unsafe-toggle", path, "safe_mode set to false"))
            continue
        if not isinstance(node, dict):
            continue
        issues.extend(_judge_object(path, node))
    return issues


# Layer config keys a string value of which is a file read at load: the lookup layers
# (StringLookup, IntegerLookup, TextVectorization) read ``vocabulary`` with tf.io.gfile when it is
# a path; Keras' own saves write a list (or null, with the vocabulary in assets/). Keras 3 refuses
# a path outside the archive only in safe mode (red team rt14: safe_mode=False read the file).
FILE_KEYS = ("vocabulary", "merges", "proto")


# KerasHub registers each exported class as ``keras_hub>Name`` and ``keras_nlp>Name`` (its
# ``keras_hub_export``); a ``.keras`` file or preset config names that key beside the class's
# own keras_hub module (fp26). The registry then gives the class module + class_name name.
HUB_PACKAGES = frozenset({"keras_hub", "keras_nlp"})


def _hub_own_key(module: object, class_name: object, raw_name: object, lookup: object) -> bool:
    """Whether ``lookup`` is KerasHub's own registry key for this keras_hub class."""
    if not (isinstance(module, str) and isinstance(class_name, str) and isinstance(lookup, str)):
        return False
    package, sep, name = lookup.partition(">")
    return (
        bool(sep)
        and package in HUB_PACKAGES
        and _root(module) in HUB_PACKAGES
        and name == class_name == raw_name
        and "." not in name
    )


def _judge_object(path: str, node: dict[str, Any]) -> list[KerasIssue]:
    out: list[KerasIssue] = []
    class_name = raw_name = node.get("class_name")
    module = node.get("module")
    config = node.get("config")
    if isinstance(class_name, str) and isinstance(module, str):
        module, class_name = _api_name(module, class_name)
    if class_name == "__lambda__":
        code = config.get("code") if isinstance(config, dict) else None
        text, _ = describe_lambda(code)
        out.append(KerasIssue("lambda-bytecode", path, text))
        return out
    for key in ("function", "output_shape"):
        if node.get(f"{key}_type") == "lambda":  # legacy tf.keras Lambda config
            text, _ = describe_lambda(node.get(key))
            out.append(KerasIssue("lambda-bytecode", f"{path}.{key}", text))
        elif node.get(f"{key}_type") == "function" and isinstance(node.get(key), str):
            mod = node.get("module") if isinstance(node.get("module"), str) else ""
            out.extend(_function_ref(f"{path}.{key}", str(mod), str(node[key])))
    if class_name == "Lambda" and isinstance(config, dict):
        out.append(KerasIssue("lambda-layer", path, _lambda_evidence(config), critical=False))
    if class_name in ("TFOpLambda", "SlicingOpLambda") and isinstance(config, dict):
        fn = config.get("function")
        if isinstance(fn, str) and (fn.startswith(TF_GADGET_PREFIXES) or fn in TF_GADGETS):
            out.append(KerasIssue("gadget-function", path, f"{class_name} calls tf.{fn}"))
    if class_name == "TFSMLayer":
        where = config.get("filepath") if isinstance(config, dict) else None
        out.append(KerasIssue("external-model", path, f"TFSMLayer loads SavedModel {where!r}"))
    if isinstance(config, dict):
        for key in FILE_KEYS:
            if isinstance(config.get(key), str) and config[key]:
                ev = f"{class_name} {key} is the file {config[key]!r}"
                out.append(KerasIssue("external-file", f"{path}.config.{key}", ev))
    if not isinstance(class_name, str):
        return out
    if class_name == "function" and isinstance(config, str):
        out.extend(_function_ref(path, module if isinstance(module, str) else "", config))
        return out
    legacy_lambda_module = node.get("function_type") == "lambda"
    foreign = isinstance(module, str) and bool(module) and not _is_keras(module)
    registered = node.get("registered_name")
    # Keras 3 first looks ``config.get("registered_name", class_name)`` up in the application's
    # custom-object registry, whose keys are ``package>name``: a Keras-module object that names
    # such a key (as registered_name, or as class_name with none) gets the registered class.
    lookup = registered if "registered_name" in node else raw_name
    if _hub_own_key(module, class_name, raw_name, lookup):
        pass
    elif (
        isinstance(registered, str)
        and registered not in (class_name, raw_name, "")
        and class_name != "function"  # functions are looked up by their config name
        and not foreign
    ) or (isinstance(lookup, str) and ">" in lookup and not foreign):
        ev = (
            f"registered_name {lookup!r} on {module!r} class {class_name!r}: Keras looks it up"
            " in the application's custom-object registry before module and class_name"
        )
        out.append(KerasIssue("foreign-module", path, ev, critical=False))
    if foreign and isinstance(module, str) and not legacy_lambda_module:
        critical = _root(module) in DANGEROUS_MODULES
        ev = f"module {module!r} class {class_name!r}"
        registered = node.get("registered_name")
        if isinstance(registered, str) and registered != class_name:
            ev += f" (registered_name {registered!r})"
        out.append(KerasIssue("foreign-module", path, ev, critical))
    elif class_name in GADGET_FUNCTIONS:
        out.append(KerasIssue("gadget-function", path, f"class {class_name!r} in {module!r}"))
    return out


def _api_name(module: str, name: str) -> tuple[str, str]:
    """The (module, name) Keras resolves: Keras 3 looks ``f"{module}.{name}"`` up among its
    exported API names, so ``module "keras"`` + ``class_name "layers.Lambda"`` is the Lambda layer
    (and ``"utils.get_file"`` that function) under a name no rule compares equal (session 15:
    Keras 3.15 in safe mode rebuilt a dotted Lambda and called its function)."""
    if "." not in name:
        return module, name
    full = f"{module}.{name}" if module else name
    head, _, tail = full.rpartition(".")
    return head, tail


def _function_ref(path: str, module: str, name: str) -> list[KerasIssue]:
    if ">" in name:  # a registry key: Keras returns the registered function before the module's
        ev = f"function {name!r}: a key of the application's custom-object registry"
        return [KerasIssue("foreign-module", path, ev, critical=False)]
    module, name = _api_name(module, name)
    ref = f"{module}.{name}" if module else name
    if module and not _is_keras(module):
        critical = _root(module) in DANGEROUS_MODULES or name in GADGET_FUNCTIONS
        return [KerasIssue("foreign-module", path, f"function {ref!r}", critical)]
    parts = set(module.split("."))
    benign_space = bool(parts & BENIGN_FUNCTION_SPACES)
    if name in STRONG_GADGETS or parts & GADGET_SPACES:
        return [KerasIssue("gadget-function", path, f"function {ref!r}")]
    if name in GADGET_FUNCTIONS and not benign_space:
        return [KerasIssue("gadget-function", path, f"function {ref!r}")]
    if module and not benign_space:
        return [KerasIssue("gadget-function", path, f"unusual function {ref!r}", critical=False)]
    return []


def _lambda_evidence(config: dict[str, Any]) -> str:
    fn = config.get("function")
    if isinstance(fn, dict):
        if fn.get("class_name") == "__lambda__":
            return "Lambda layer with marshalled bytecode"
        return f"Lambda layer calling {fn.get('module')!r}.{fn.get('config')!r}"
    if isinstance(fn, str):
        return f"Lambda layer calling {config.get('module')!r}.{fn!r}"
    return "Lambda layer with marshalled bytecode"


def torch_module_payloads(doc: Any) -> list[tuple[str, bytes | None]]:
    """The pickled torch modules a config carries: ``TorchModuleWrapper`` keeps its
    ``torch.nn.Module`` as base64 ``torch.save`` bytes in ``config.module``, which Keras' torch
    backend hands to ``torch.load(weights_only=False)`` when safe mode is off (always before it
    checked). Decoded as Keras decodes it (``b64decode(s.encode("ascii"))``); ``None`` when
    Keras' own decoding fails (nothing is loaded then). (JSON path, bytes) per payload."""
    out: list[tuple[str, bytes | None]] = []
    for path, node in _walk(doc):
        if not isinstance(node, dict) or not isinstance(node.get("class_name"), str):
            continue
        module = node.get("module")
        name = _api_name(module if isinstance(module, str) else "", node["class_name"])[1]
        if name != "TorchModuleWrapper":
            continue
        config = node.get("config")
        text = config.get("module") if isinstance(config, dict) else None
        if not isinstance(text, str):
            continue
        if len(out) >= MAX_PAYLOADS:
            raise KerasConfigError(f"more than {MAX_PAYLOADS} torch module payloads")
        try:
            out.append((f"{path}.config.module", base64.b64decode(text.encode("ascii"))))
        except (UnicodeEncodeError, binascii.Error, ValueError):
            out.append((f"{path}.config.module", None))
    return out


# Variables Keras creates when it rebuilds the layers (rt19fmt): ``build_from_config`` builds every
# layer from its ``build_config`` input shape (or the functional graph does) and the
# initializers fill each variable before a weight is read, so a config naming a
# ``Dense(units=16384)`` on 32,768 inputs makes a 2 GiB kernel (4.6 GiB peak) from an 11 KB file.
# The estimate is an upper bound of the usual layers' variables: the product of the layer's size
# arguments times the last dimension of its input shape (the largest declared one when the layer
# has no build_config), four gates over input and state for recurrent layers (``units`` or
# ConvLSTM ``filters`` again); any other integer (or
# integer list) over :data:`SIZE_FLOOR` counts as a size, so an unknown argument is not trusted.
SIZE_KEYS = frozenset(
    {
        "units", "filters", "input_dim", "output_dim", "num_heads", "key_dim", "value_dim",
        "kernel_size", "output_shape", "max_tokens", "num_tokens", "depth_multiplier",
        "intermediate_dim", "hidden_dim", "num_experts", "vocabulary_size",
    }
)  # fmt: skip
# integers that size no variable (axes, strides, seeds, counts of repeats of cheap ops...)
SIZE_EXEMPT = frozenset(
    {
        "seed", "axis", "strides", "dilation_rate", "pool_size", "padding", "cropping", "size",
        "groups", "output_sequence_length", "sequence_length", "n", "batch_size", "steps",
        "batch_shape", "batch_input_shape", "input_shape", "build_input_shape", "target_shape",
        "shape", "dims", "noise_shape", "height", "width", "crop_height", "crop_width",
        "build_config", "compile_config", "shared_object_id", "sparse", "ragged",
    }
)  # fmt: skip
SIZE_FLOOR = 65_536
_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape", "build_input_shape", "shape")
_RECURRENT = ("LSTM", "GRU", "RNN", "Cell")
_INT_CAP = 1 << 62


def _ints(value: Any, depth: int = 0) -> list[int] | None:
    """The integers of an int or a (nested) list of ints, or None when it is something else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return [value]
    if isinstance(value, list) and depth < 4:
        out: list[int] = []
        for v in value:
            if v is None:
                continue
            got = _ints(v, depth + 1)
            if got is None:
                return None
            out.extend(got)
        return out
    return None


def _product(values: list[int]) -> int:
    p = 1
    for v in values:
        p = min(_INT_CAP, p * max(1, min(v, _INT_CAP)))
    return p


# Layers whose variables span every input dimension, not only the last (rt25fmt, session 24):
# PReLU's alpha has the input's whole shape, a normalization over an axis list one variable per
# element of those axes (four for BatchNormalization), EinsumDense's kernel the input dimensions
# its equation contracts. Judged by the input's volume, a 30,000 x 30,000 input made Keras 3.15
# allocate 3.6 GB for a PReLU, LayerNormalization(axis=[1, 2]) or EinsumDense("abc,bcd->ad")
# in a 12 KB .keras the estimate (last dimension only) passed.
_SPANNING = frozenset(
    {
        "PReLU", "EinsumDense", "LayerNormalization", "BatchNormalization", "Normalization",
        "GroupNormalization", "RMSNormalization",
    }
)  # fmt: skip
_SPANNING_VARIABLES = 4  # gamma, beta, moving mean and variance (BatchNormalization)


def _spanning(class_name: object, config: dict[str, Any]) -> str:
    """How the layer's variables grow with its input: ``"last"`` with the last dimension,
    ``"dim"`` with one other dimension (a normalization over one axis), ``"volume"`` with all."""
    if not isinstance(class_name, str) or class_name.rsplit(".", 1)[-1] not in _SPANNING:
        return "last"
    if "Normalization" not in class_name:
        return "volume"
    axes = _ints(config.get("axis", -1))
    if axes == [-1]:
        return "last"
    return "dim" if axes is not None and len(axes) == 1 else "volume"


def _measure(mode: str, shape: list[int]) -> int:
    """An input's width for ``mode`` (a shape without its batch dimension)."""
    if not shape:
        return 1
    return _product(shape) if mode == "volume" else max(shape) if mode == "dim" else shape[-1]


def _widths(mode: str, shape: Any, depth: int = 0) -> list[int]:
    """``_measure`` of a shape with its batch dimension (None counted as 1), or of each shape
    in a list or dict of shapes."""
    if depth > 4:
        return []
    if isinstance(shape, dict):
        return [d for v in shape.values() for d in _widths(mode, v, depth + 1)]
    if isinstance(shape, list) and shape:
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in shape):
            return [_measure(mode, [v if isinstance(v, int) and v > 0 else 1 for v in shape[1:]])]
        return [d for v in shape for d in _widths(mode, v, depth + 1)]
    return []


def _last_dims(shape: Any, depth: int = 0) -> list[int]:
    """The last dimension of a shape, or of each shape in a list or dict of shapes."""
    if depth > 4:
        return []
    if isinstance(shape, dict):
        return [d for v in shape.values() for d in _last_dims(v, depth + 1)]
    if isinstance(shape, list) and shape:
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in shape):
            last = shape[-1]
            return [last] if isinstance(last, int) else []
        return [d for v in shape for d in _last_dims(v, depth + 1)]
    return []


# Input widths the functional graph derives (rt19fmt2): a layer with no ``build_config`` (tf.keras 2
# ``.h5``, Keras 3's own legacy ``.h5``, or one stripped from a ``.keras``) is still built by the
# graph from the shape its input layer produces, so ``Flatten`` of a 128x128x64 input makes a Dense
# kernel 1,048,576 wide and ``UpSampling2D(size=(512, 512))`` multiplies the spatial dimensions.
# The output shape of every layer is propagated along ``inbound_nodes`` (or the order of a
# Sequential) as an upper bound (batch dimension dropped, None counted as 1: Keras builds no
# variable over a None dimension). A shape is *sure* when every layer on its way is one this table
# knows and is called once; a layer the graph feeds a sure shape is then judged by that width
# alone (its own ``build_config``, when present, still counts too), any other by the larger of
# the graph's width and the widest declared last dimension, as before.
_SHAPE_CAP = 1 << 40
_MAX_LAYERS = 100_000
_SAME_SHAPE = frozenset(
    {
        "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "ThresholdedReLU",
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "BatchNormalization", "LayerNormalization",
        "GroupNormalization", "UnitNormalization", "Rescaling", "Normalization", "Masking",
        "ActivityRegularization", "Identity", "Cropping1D", "Cropping2D", "Cropping3D",
        "RandomFlip", "RandomRotation", "RandomContrast", "RandomBrightness", "RandomZoom",
        "RandomTranslation",
    }
)  # fmt: skip
_MERGE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def _dims(shape: Any) -> list[int] | None:
    if not isinstance(shape, list) or len(shape) > 16:
        return None
    out = []
    for d in shape:
        if d is None:
            out.append(1)
        elif isinstance(d, int) and not isinstance(d, bool):
            out.append(max(1, min(d, _SHAPE_CAP)))
        else:
            return None
    return out


def _tuple(value: Any, n: int) -> list[int]:
    got = _ints(value)
    if not got:
        return [1] * n
    got = [max(1, min(v, _SHAPE_CAP)) for v in got]
    return got if len(got) >= n else got + [got[-1]] * (n - len(got))


def _cap(shape: list[int]) -> list[int]:
    return [max(1, min(d, _SHAPE_CAP)) for d in shape]


def _input_shape(config: dict[str, Any]) -> list[int] | None:
    for key in ("batch_shape", "batch_input_shape"):
        got = _dims(config.get(key))
        if got:
            return got[1:] or [1]
    return None


def _layer_output(
    cls: str, config: dict[str, Any], inputs: list[list[int]]
) -> tuple[list[int] | None, bool]:
    """An upper bound of one layer's output shape, and whether the table knows the layer."""
    if cls == "InputLayer":
        got = _input_shape(config)
        return got, got is not None
    if not inputs:
        return None, False
    x = inputs[0]
    first = config.get("data_format") == "channels_first"
    spatial = list(range(1, len(x))) if first else list(range(0, len(x) - 1))
    chan = 0 if first else len(x) - 1
    if cls in _SAME_SHAPE:
        return list(x), True
    if cls == "Flatten":
        return [_product(x)], True
    if cls == "Reshape":
        target = _ints(config.get("target_shape"))
        if not target:
            return None, False
        known = _product([t for t in target if t > 0])
        return _cap([t if t > 0 else max(1, _product(x) // known) for t in target]), True
    if cls == "Permute":
        order = _ints(config.get("dims"))
        if not order or sorted(order) != list(range(1, len(x) + 1)):
            return None, False
        return [x[d - 1] for d in order], True
    if cls == "Dense" and isinstance(config.get("units"), int):
        return _cap([*x[:-1], config["units"]]), True
    if cls.startswith("UpSampling"):
        out = list(x)
        for axis, s in zip(spatial, _tuple(config.get("size", 2), len(spatial)), strict=False):
            out[axis] = x[axis] * s
        return _cap(out), True
    if cls.startswith("ZeroPadding"):
        pad = max(_ints(config.get("padding")) or [1])
        out = list(x)
        for axis in spatial:
            out[axis] = x[axis] + 2 * max(0, pad)
        return _cap(out), True
    if cls == "RepeatVector":
        return _cap([_tuple(config.get("n"), 1)[0], *x]), True
    if cls == "Embedding":
        return _cap([*x, _tuple(config.get("output_dim"), 1)[0]]), True
    if cls == "Resizing":
        out = list(x)
        hw = _tuple([config.get("height"), config.get("width")], 2)
        for axis, s in zip(spatial, hw, strict=False):
            out[axis] = s
        return _cap(out), True
    if cls.startswith("Global") and "Pooling" in cls:
        return [x[chan]], True
    if "Pooling" in cls:  # ceil(d / stride) bounds both paddings; strides default to pool_size
        strides = config.get("strides")
        step = _tuple(strides if strides is not None else config.get("pool_size", 2), len(spatial))
        pool = _tuple(config.get("pool_size", 2), len(spatial))
        valid = config.get("padding") == "valid"
        out = list(x)
        for i, axis in enumerate(spatial):
            reach = pool[i] if valid else 1  # valid: (d - pool) // stride + 1
            out[axis] = max(1, (x[axis] - reach) // step[i] + 1)
        return out, True
    if cls == "Concatenate":
        axis = config.get("axis", -1)
        rank = len(x)
        same = [s for s in inputs if len(s) == rank]
        out = [max(s[i] for s in same) for i in range(rank)]
        if isinstance(axis, int) and not isinstance(axis, bool) and axis > 0:
            axis -= 1  # Keras counts the batch dimension
        if isinstance(axis, int) and not isinstance(axis, bool) and -rank <= axis < rank:
            out[axis] = sum(s[axis] for s in same)
            return _cap(out), len(same) == len(inputs)
        return None, False
    if cls in _MERGE:
        rank = max(len(s) for s in inputs)
        padded = [[1] * (rank - len(s)) + s for s in inputs]
        return [max(s[i] for s in padded) for i in range(rank)], True
    if "Conv" in cls and "LSTM" not in cls and cls.startswith(("Conv", "Separable", "Depthwise")):
        strides = _tuple(config.get("strides"), len(spatial))
        kernel = _tuple(config.get("kernel_size"), len(spatial))
        dilation = _tuple(config.get("dilation_rate"), len(spatial))
        out = list(x)
        for i, axis in enumerate(spatial):
            if "Transpose" in cls:  # (d - 1) * s + (k - 1) * dilation + 1 + output_padding
                out[axis] = x[axis] * strides[i] + kernel[i] * dilation[i]
            else:  # valid: (d - (k - 1) * dilation - 1) // s + 1; any other: ceil(d / s)
                reach = (kernel[i] - 1) * dilation[i] + 1 if config.get("padding") == "valid" else 1
                out[axis] = max(1, (x[axis] - reach) // strides[i] + 1)
        filters = config.get("filters")
        if isinstance(filters, int) and not isinstance(filters, bool) and filters > 0:
            out[chan] = filters
        elif cls.startswith("Depthwise"):
            out[chan] = x[chan] * _tuple(config.get("depth_multiplier"), 1)[0]
        else:
            return None, False
        return _cap(out), True
    if cls in ("LSTM", "GRU", "SimpleRNN") and isinstance(config.get("units"), int):
        last = config["units"]
        return _cap([*x[:-1], last] if config.get("return_sequences") else [last]), True
    if cls == "TimeDistributed" and len(x) > 1:
        inner = config.get("layer")
        if isinstance(inner, dict) and isinstance(inner.get("config"), dict):
            got, sure = _layer_output(str(inner.get("class_name")), inner["config"], [x[1:]])
            if got:
                return _cap([x[0], *got]), sure
    if cls == "Bidirectional":
        inner = config.get("layer")
        if isinstance(inner, dict) and isinstance(inner.get("config"), dict):
            got, sure = _layer_output(str(inner.get("class_name")), inner["config"], inputs)
            if got:
                return _cap([*got[:-1], 2 * got[-1]]), sure
    return None, False


def _history(node: Any, depth: int = 0) -> list[tuple[str, int]]:
    """The (layer name, tensor index) pairs a node's arguments come from (Keras 3
    ``keras_history`` or tf.keras 2 ``[name, node_index, tensor_index, kwargs]``)."""
    if depth > 8:
        return []
    if isinstance(node, dict):
        history = node.get("keras_history")
        if isinstance(history, list) and len(history) == 3 and isinstance(history[0], str):
            index = history[2] if isinstance(history[2], int) else 1
            return [(history[0], index)]
        return [n for v in node.values() for n in _history(v, depth + 1)]
    if isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):
            return [(node[0], node[2] if isinstance(node[2], int) else 1)]
        return [n for v in node for n in _history(v, depth + 1)]
    return []


def _wrapped(
    cls: str,
    config: dict[str, Any],
    x: list[int],
    sure: bool,
    widths: dict[int, tuple[int, bool]],
    fed: dict[int, tuple[list[int], bool]],
) -> None:
    """The layer a wrapper (``TimeDistributed``, ``Bidirectional``...: ``config.layer``) builds
    is fed the wrapper's input (``TimeDistributed``: without the time axis). Red team rt23tf: a
    ``TimeDistributed(Dense(8192))`` after ``Reshape((1, 65536))`` built a 2 GiB kernel (6.6 GiB
    peak) while the inner Dense was judged by the widest declared dimension (256)."""
    inner = config.get("layer")
    if not isinstance(inner, dict):
        return
    shape = x[1:] if cls == "TimeDistributed" and len(x) > 1 else x
    inner_config = inner.get("config")
    if not isinstance(inner_config, dict):
        inner_config = {}
    mode = _spanning(inner.get("class_name"), inner_config)
    widths[id(inner)] = (_measure(mode, shape), sure)  # rt25fmt: TimeDistributed(PReLU)
    fed[id(inner)] = (shape or [1], sure)


def graph_widths(doc: Any) -> dict[int, tuple[int, bool]]:
    """For each layer object (by ``id``) of every Functional or Sequential config in ``doc``:
    an upper bound of the last dimension of the input the graph hands it, and whether it is
    sure (see the note above)."""
    widths: dict[int, tuple[int, bool]] = {}
    fed: dict[int, tuple[list[int], bool]] = {}  # layer -> the first input the graph feeds it
    for _path, node in _walk(doc):
        if not isinstance(node, dict) or not isinstance(node.get("config"), dict):
            continue
        layers = node["config"].get("layers")
        if not isinstance(layers, list) or len(layers) > _MAX_LAYERS:
            continue
        sequential = "Sequential" in str(node.get("class_name"))
        shapes: dict[str, tuple[list[int], bool]] = {}
        previous: tuple[list[int], bool] | None = None
        if sequential:
            built = _dims(node["config"].get("build_input_shape"))
            # a nested Sequential with no shape of its own is built by what its caller feeds it
            previous = (built[1:] or [1], True) if built else fed.get(id(node))
        for layer in layers:
            if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict):
                continue
            config = layer["config"]
            cls = str(layer.get("class_name"))
            if sequential:
                declared = _input_shape(config)
                got = [(declared, True)] if declared else ([previous] if previous else [])
                once = True
            else:
                refs = _history(layer.get("inbound_nodes"))
                got = [
                    (shapes[n][0], shapes[n][1] and i == 0) if n in shapes else ([1], False)
                    for n, i in refs
                ]
                nodes = layer.get("inbound_nodes")
                once = isinstance(nodes, list) and len(nodes) <= 1
            inputs = [s for s, _ in got]
            sure = once and all(ok for _, ok in got)
            if inputs:
                mode = _spanning(cls, config)
                widths[id(layer)] = (max(_measure(mode, s) for s in inputs), sure)
                fed[id(layer)] = (inputs[0], sure)
                _wrapped(cls, config, inputs[0], sure, widths, fed)
            out, known = _layer_output(cls, config, inputs)
            result = (out, sure and known) if out is not None else ([1], False)
            name = layer.get("name", config.get("name"))
            if isinstance(name, str) and name not in shapes:
                shapes[name] = result
            elif isinstance(name, str):  # a name twice: nothing about it is sure
                shapes[name] = (
                    [max(a, b) for a, b in zip(shapes[name][0], result[0], strict=False)],
                    False,
                )
            previous = result
    return widths


def build_estimate(doc: Any) -> tuple[int, str]:
    """An upper bound of the variable elements Keras builds for ``doc`` and the layer that
    adds the most (see the note above)."""
    objects: list[tuple[str, dict[str, Any]]] = []
    widest, widest_volume = 1, 1
    for path, node in _walk(doc):
        if not isinstance(node, dict):
            continue
        for key in _SHAPE_KEYS:
            if key in node:
                widest = max([widest, *(d for d in _last_dims(node[key]) if d < _INT_CAP)])
                widest_volume = max([widest_volume, *_widths("volume", node[key])])
        if isinstance(node.get("config"), dict) and isinstance(node.get("class_name"), str):
            objects.append((path, node))
    graph = graph_widths(doc)
    total, top, top_path = 0, 0, ""
    for path, node in objects:
        config = node["config"]
        if isinstance(config.get("layers"), list):
            continue  # a model: its layers count
        sizes: list[int] = []
        for key, value in config.items():
            if key in SIZE_EXEMPT:
                continue
            ints = _ints(value)
            if not ints:
                continue
            p = _product(ints)
            if key in SIZE_KEYS or p > SIZE_FLOOR:
                sizes.append(p)
        build = node.get("build_config")
        mode = _spanning(node["class_name"], config)
        if not sizes and not isinstance(build, dict) and mode == "last":
            continue
        dims = (
            _widths(mode, build.get("input_shape", build.get("shapes_dict")))
            if isinstance(build, dict)
            else []
        )
        declared = [d for d in dims if d > 0]
        derived, sure = graph.get(id(node), (0, False))
        if sure:  # the graph builds it from a shape the table bounds (rt19fmt2)
            width = max([derived, *declared])
        else:
            fallback = widest if mode == "last" else widest_volume
            width = max([derived, *declared] if declared else [derived, fallback])
        est = _product(sizes)
        if "input_dim" not in config:
            est = _product([est, width])
        if mode != "last" and "Normalization" in str(node["class_name"]):
            est = _product([est, _SPANNING_VARIABLES])
        if any(r in str(node["class_name"]) for r in _RECURRENT):  # 4 gates, state to state
            state = max((_ints(config.get(k)) or [1])[0] for k in ("units", "filters"))
            est = _product([4, _product(sizes), width + max(1, state)])
        total = min(_INT_CAP, total + est)
        if est > top:
            top, top_path = est, path
    return total, top_path
