"""Repository-level risks in Hugging Face style model directories.

``auto_map`` (and custom pipelines) make ``transformers`` import Python from the repository — or
from another repository — when the user passes ``trust_remote_code=True``; loaders read it at the
top of ``config.json``/``tokenizer_config.json``/``preprocessor_config.json`` and nested in
``processor_config.json``, so it is judged at any depth of any JSON file (:func:`code_references`);
diffusers ``model_index.json`` names custom pipeline and component files;
sentence-transformers ``modules.json`` and Router ``types`` name classes to import;
chat templates ride in JSON and ``.jinja`` files; ``.py`` files are what remote code runs; native
executables and scripts have no business in a model repository; symlinks may point outside it.
The handlers (``json``, ``jinja``, ``python``, ``executable`` in ``airlock.scan.handlers``) and
the engine's walk (symlinks leaving the model) raise these rules.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from airlock.formats.json_budget import parse_cost
from airlock.report import Finding, Severity
from airlock.scan import (
    attn_kernels,
    export_spec,
    hf_paths,
    processor_sizes,
    st_kwargs,
    tokenizer_rules,
)
from airlock.scan.adapters import config_findings as adapter_config_findings
from airlock.scan.adapters import is_config_name
from airlock.scan.format_rules import Rule, short
from airlock.scan.handlers.common import object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source, note_folder_read
from airlock.scan.jinja_rules import TOO_COMPLEX, template_findings
from airlock.scan.keras_rules import build_findings, folder_bytes, issue_findings

HF_REF = "https://huggingface.co/docs/transformers/custom_models"

BAD_JSON = Rule(
    "AIR-CFG-000",
    Severity.LOW,
    "JSON config cannot be parsed",
    "A configuration file that does not parse cannot be judged; loaders fail or fall back.",
)
REMOTE_CODE = Rule(
    "AIR-CFG-001",
    Severity.HIGH,
    "Model config requires remote code",
    "auto_map / custom_pipelines make transformers import Python shipped with the model when"
    " trust_remote_code=True: the repository's code runs with the user's privileges.",
    HF_REF,
)
FOREIGN_CODE = Rule(
    "AIR-CFG-002",
    Severity.CRITICAL,
    "Model config pulls code from another repository",
    "An auto_map entry of the form 'owner/repo--module.Class' downloads and runs code from a"
    " different repository, which can change after this one was reviewed.",
    HF_REF,
)
TRUST_REMOTE = Rule(
    "AIR-CFG-003",
    Severity.MEDIUM,
    "Config turns trust_remote_code on",
    "A config that sets trust_remote_code=true makes downstream loaders run repository code"
    " without the user asking for it.",
    HF_REF,
)
MODULE_TYPE = Rule(
    "AIR-CFG-004",
    Severity.HIGH,
    "sentence-transformers config imports a class outside its allowlist",
    "Each module 'type' (modules.json, Router types) is imported by sentence-transformers and"
    " activation paths (activation_fn, activation_function) are imported and called: only the"
    " library's own module classes and torch activation classes, by exact name, are allowed;"
    " anything else is code from the repository or the environment.",
    "https://sbert.net/docs/sentence_transformer/usage/custom_models.html",
)
PY_RULES = {
    "process": Rule(
        "AIR-CFG-005",
        Severity.HIGH,
        "Repository Python code starts processes",
        "os.system/subprocess in code that trust_remote_code imports runs commands on the host.",
        HF_REF,
    ),
    "dynamic": Rule(
        "AIR-CFG-006",
        Severity.HIGH,
        "Repository Python code runs dynamic code",
        "eval/exec/__import__/pickle/marshal/ctypes run code that the reviewer cannot see.",
        HF_REF,
    ),
    "network": Rule(
        "AIR-CFG-007",
        Severity.MEDIUM,
        "Repository Python code uses the network",
        "Sockets and HTTP clients in model code can exfiltrate data or fetch a second stage.",
        HF_REF,
    ),
    "file": Rule(
        "AIR-CFG-008",
        Severity.LOW,
        "Repository Python code modifies files",
        "Deleting, moving or writing files is unusual in model code.",
        HF_REF,
    ),
    "obfuscation": Rule(
        "AIR-CFG-009",
        Severity.HIGH,
        "Repository Python code is obfuscated",
        "Encoded blobs and exec of decoded data hide what the code does from review.",
        HF_REF,
    ),
    "reflection": Rule(
        "AIR-CFG-010",
        Severity.MEDIUM,
        "Repository Python code reaches interpreter internals",
        "getattr on builtins, __subclasses__, __globals__ are ways around import review.",
        HF_REF,
    ),
    "syntax": Rule(
        "AIR-CFG-011",
        Severity.LOW,
        "Repository Python file cannot be analysed",
        "A Python file the scanner cannot parse cannot be judged.",
        HF_REF,
    ),
}
PY_SHIPPED = Rule(
    "AIR-CFG-012",
    Severity.LOW,
    "Python code shipped in the model repository",
    "trust_remote_code imports repository Python; review it before enabling remote code.",
    HF_REF,
)
EXECUTABLE = Rule(
    "AIR-CFG-013",
    Severity.HIGH,
    "Native executable in the model repository",
    "ELF/PE/Mach-O binaries are not model data; they are loaded by custom code or by the user.",
)
SCRIPT = Rule(
    "AIR-CFG-014",
    Severity.MEDIUM,
    "Shell script in the model repository",
    "Scripts are not model data and may be run by install instructions or custom code.",
)
SYMLINK = Rule(
    "AIR-CFG-015",
    Severity.HIGH,
    "Symlink leaves the model directory",
    "A loader following the link reads (or a copy step overwrites) a file outside the model.",
)

COMPONENT_MODULE = Rule(
    "AIR-CFG-016",
    Severity.MEDIUM,
    "diffusers component imports a module outside the libraries",
    "model_index.json names a component [module, Class]; a module that is neither a library"
    " nor a diffusers pipeline module is imported by name from the environment (or, when"
    " <component>/<module>.py ships with the model, run from the model: AIR-CFG-001).",
    "https://huggingface.co/docs/diffusers/using-diffusers/custom_pipeline_overview",
)

STANDARD_ST_MODULES = ("sentence_transformers.",)
# keys whose value names code a loader imports, judged at any depth of any JSON file
CODE_KEYS = ("auto_map", "custom_pipelines")
# sentence-transformers imports these dotted paths (Dense, CrossEncoder; trust_remote_code)
IMPORT_KEYS = ("activation_function", "activation_fn", "sbert_ce_default_activation_function")
# sentence-transformers imports AND CALLS (no arguments) any "torch.*" path without
# trust_remote_code (torch.utils.collect_env.main runs shell commands): only activation module
# classes, by exact name
_ACTIVATION_CLASSES = (
    "CELU", "ELU", "GELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh",
    "LeakyReLU", "LogSigmoid", "LogSoftmax", "Mish", "PReLU", "ReLU", "ReLU6", "RReLU", "SELU",
    "SiLU", "Sigmoid", "Softmax", "Softmax2d", "Softmin", "Softplus", "Softshrink", "Softsign",
    "Tanh", "Tanhshrink",
)  # fmt: skip
ACTIVATIONS = frozenset({
    *(f"torch.nn.modules.activation.{c}" for c in _ACTIVATION_CLASSES),
    *(f"torch.nn.{c}" for c in _ACTIVATION_CLASSES),
    "torch.nn.modules.linear.Identity", "torch.nn.Identity",
})  # fmt: skip
# sentence-transformers module classes (modules.json / Router types), by class name, under any
# of the library's own packages (old saves: sentence_transformers.models.X; 5+/6: per-encoder
# sub-packages)
ST_MODULE_CLASSES = frozenset({
    "Asym", "BoW", "CLIPModel", "CNN", "Dense", "Dropout", "HierarchicalTokenPooling", "LSTM",
    "LayerNorm", "LogitScore", "MLMTransformer", "MultiVectorMask", "Normalize", "Pooling",
    "Router", "SparseAutoEncoder", "SparseStaticEmbedding", "SpladePooling", "StaticEmbedding",
    "Transformer", "WeightedLayerPooling", "WordEmbeddings", "WordWeights",
})  # fmt: skip
DIFFUSERS_LIBRARIES = frozenset({"diffusers", "transformers", "onnxruntime.training"})
# diffusers.pipelines sub-modules that honest model_index.json files name for extra components
DIFFUSERS_PIPELINE_MODULES = frozenset({
    "alt_diffusion", "audioldm2", "blip_diffusion", "controlnet", "deepfloyd_if", "deprecated",
    "kandinsky", "kolors", "latent_diffusion", "ledits_pp", "paint_by_example", "shap_e",
    "stable_audio", "stable_cascade", "stable_diffusion", "stable_diffusion_gligen",
    "stable_diffusion_safe", "unclip", "unidiffuser", "versatile_diffusion", "wuerstchen",
})  # fmt: skip
MAX_WALK_NODES = 4_000_000  # JSON objects and arrays one file's walk visits
# WordEmbeddings' wordembedding_config.json: a dotted tokenizer_class is imported and .load()ed
# (transformers' own tokenizer_class values are plain class names, never dotted)
ST_TOKENIZER_CLASSES = frozenset(
    {"WhitespaceTokenizer", "PhraseTokenizer", "TransformersTokenizerWrapper"}
)
# an object with one of these keys may name code (the parser's hook collects such objects)
WATCHED_KEYS = (
    *CODE_KEYS, "trust_remote_code", *IMPORT_KEYS, "types", "_class_name", "_diffusers_version",
)  # fmt: skip
MAX_REFS = 1000
MAX_PATH_SHOWN = 200
MAX_KEY_SHOWN = 60
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_TEMPLATES = 100


def json_config_findings(
    doc: Any,
    location: str,
    member: str | None,
    folder: Path | None = None,
    watched: list[dict[str, Any]] | None = None,
) -> list[Finding]:
    """Remote code, templates, trust_remote_code and Keras objects in one parsed JSON file.

    Code references are looked for at every depth. ``watched``: every object of the document
    that has one of the :data:`WATCHED_KEYS`, as the parser's hook collected them
    (:func:`parse_watched`); when given, a document without any is not walked, and one too large
    to walk for the references' paths is judged from these objects (path ``?``). ``folder`` is the
    directory the file sits in, when it is on disk (diffusers components name a ``.py`` file in a
    sub-folder)."""
    from airlock.formats.keras import analyze_config, looks_like_keras_config

    out: list[Finding] = []
    out.extend(_code_findings(doc, location, member, folder, watched))
    if isinstance(doc, dict):
        out.extend(_templates(doc, location, member))
        if looks_like_keras_config(doc) and "module" in doc:
            out.extend(issue_findings(analyze_config(doc), location, member, "keras config"))
            # model_from_json / a keras_hub preset builds it too (rt19fmt2): judged by the
            # bytes the folder carries besides this file (none inside an archive)
            carried = folder_bytes(folder, location) if folder is not None else 0
            out.extend(build_findings(doc, carried, location, member, "keras config"))
    if isinstance(doc, list):  # sentence-transformers modules.json
        for i, entry in enumerate(doc[:10_000]):
            if isinstance(entry, dict) and isinstance(entry.get("type"), str):
                t = entry["type"]
                if not st_module(t):
                    ev = f"modules[{i}] type {t!r}"
                    out.append(MODULE_TYPE.finding(location, ev, member=member))
    if is_config_name(location, member):  # a PEFT adapter's own config rules
        out.extend(adapter_config_findings(doc, location, member))
    name = hf_paths.file_name(location, member)
    out.extend(hf_paths.path_findings(doc, location, member, name))
    out.extend(st_kwargs.kwargs_findings(doc, location, member, name))
    out.extend(export_spec.manifest_findings(doc, location, member, name))
    out.extend(tokenizer_rules.tokenizer_findings(doc, location, member))
    out.extend(processor_sizes.processor_findings(doc, location, member, name))
    out.extend(attn_kernels.kernel_findings(doc, location, member, name))
    return out


def st_module(ref: str, names: frozenset[str] = ST_MODULE_CLASSES) -> bool:
    """Whether a dotted class path is one of sentence-transformers' own module classes (or of
    ``names``), under one of the library's packages."""
    parts = ref.split(".")
    return (
        len(parts) >= 3
        and ref.startswith(STANDARD_ST_MODULES)
        and parts[-1] in names
        and all(p.isidentifier() and not p.startswith("_") for p in parts)
    )


class ConfigTooLarge(Exception):
    """The JSON document has more containers than the walk visits (:data:`MAX_WALK_NODES`)."""


@dataclass(frozen=True)
class CodeRef:
    """One place in a JSON document that makes a loader import code. ``kind``: ``remote``
    (transformers ``auto_map``, ``custom_pipelines``, a diffusers custom pipeline or component:
    Python shipped with the model), ``module`` (a dotted class path sentence-transformers
    imports: environment or repository code), ``component`` (a diffusers component from a
    module that is no library and no diffusers pipeline), ``trust`` (``trust_remote_code``)."""

    kind: str
    path: str
    value: Any
    key: str = ""


def code_references(doc: Any, max_nodes: int | None = None, name: str = "") -> list[CodeRef]:
    """Every code reference in ``doc`` at any depth, breadth first (shallow places, which are
    the ones loaders read, are visited first). Loaders read ``auto_map`` at the top of
    ``config.json`` / ``tokenizer_config.json`` / ``preprocessor_config.json``, nested under
    ``image_processor`` / ``feature_extractor`` / ``audio_processor`` / ``video_processor`` of
    ``processor_config.json`` (transformers 5), and wherever the next version puts it: the key is
    judged wherever it appears. Raises :class:`ConfigTooLarge` past ``max_nodes`` containers
    (default :data:`MAX_WALK_NODES`). ``name``: the file's base name, when known (diffusers reads
    ``[library, Class]`` components from a pipeline index only, :func:`pipeline_index`)."""
    limit = MAX_WALK_NODES if max_nodes is None else max_nodes
    refs: list[CodeRef] = []
    # (node, its parent's path, its index in that parent when the parent is a list): list
    # elements' paths are only spelled out when something below them needs one
    queue: deque[tuple[Any, str, int]] = deque([(doc, "", -1)])
    seen = 0
    while queue:
        node, base, idx = queue.popleft()
        seen += 1
        if seen > limit:
            raise ConfigTooLarge(f"more than {limit} JSON objects and arrays to walk")
        path: str | None = None
        if isinstance(node, dict):
            path = base if idx < 0 else _child_path(base, f"[{idx}]")
            if len(refs) < MAX_REFS:
                refs.extend(_node_refs(node, path, name))
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    queue.append((v, _child_path(path, f".{k[:MAX_KEY_SHOWN]}"), -1))
        else:
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    if path is None:
                        path = base if idx < 0 else _child_path(base, f"[{idx}]")
                    queue.append((v, path, i))
    return refs


def _child_path(path: str, step: str) -> str:
    """Where a value sits (``image_processor.auto_map``), cut so a deep hostile document cannot
    make the walk's paths grow with its depth."""
    if len(path) >= MAX_PATH_SHOWN:
        return path if path.endswith("...") else path + "..."
    return f"{path}{step}" if path else step.lstrip(".")


# the files diffusers reads a pipeline's components from (DiffusionPipeline.config_name,
# ModularPipeline.config_name)
PIPELINE_INDEXES = frozenset({"model_index.json", "modular_model_index.json"})


def pipeline_index(node: dict[str, Any], name: str) -> bool:
    """Whether diffusers may read ``node``'s list values as ``[library, Class(, spec)]``
    components: a ``model_index.json`` / ``modular_model_index.json`` (or a file whose name is
    not known), or any object whose ``_class_name`` is not a plain class name of a model,
    scheduler or processor (a pipeline's, a custom pipeline's list, none). A model's own
    ``config.json`` (``UNet2DConditionModel``: ``down_block_types: ['DownBlock2D', ...]``) is
    passed to its ``__init__`` as data by ``ConfigMixin`` and never names a library."""
    if name in PIPELINE_INDEXES or not name:
        return True
    cls = node.get("_class_name")
    return not (isinstance(cls, str) and cls.isidentifier() and not cls.endswith("Pipeline"))


def _node_refs(node: dict[str, Any], path: str, name: str = "") -> list[CodeRef]:
    out: list[CodeRef] = []

    def at(key: str) -> str:
        return _child_path(path, f".{key[:MAX_KEY_SHOWN]}")

    for key in CODE_KEYS:
        if key in node and node[key] is not None:
            out.append(CodeRef("remote", at(key), node[key]))
    if node.get("trust_remote_code") is True:
        out.append(CodeRef("trust", at("trust_remote_code"), True))
    # sentence-transformers: dotted paths it imports (activation functions, Router module types)
    for key in IMPORT_KEYS:
        v = node.get(key)
        if isinstance(v, str) and "." in v and v not in ACTIVATIONS:
            out.append(CodeRef("module", at(key), v))
    tok = node.get("tokenizer_class")
    if isinstance(tok, str) and "." in tok and not st_module(tok, ST_TOKENIZER_CLASSES):
        out.append(CodeRef("module", at("tokenizer_class"), tok))
    types = node.get("types")
    if isinstance(types, dict) and "structure" in node:  # router_config.json
        for k, v in islice(types.items(), MAX_REFS):
            if isinstance(v, str) and not st_module(v):
                out.append(CodeRef("module", _child_path(at("types"), f".{k[:MAX_KEY_SHOWN]}"), v))
    # diffusers: model_index.json / component configs
    cls = node.get("_class_name")
    if isinstance(cls, list):  # ["pipeline_file", "Class"]: the pipeline's own .py file
        out.append(CodeRef("remote", at("_class_name"), cls))
    if ("_class_name" in node or "_diffusers_version" in node) and pipeline_index(node, name):
        for k, v in islice(node.items(), MAX_REFS):
            # [library, Class]; modular_model_index.json: [library, Class, spec]
            if k.startswith("_") or not isinstance(v, list) or len(v) not in (2, 3):
                continue
            if len(v) == 3 and not isinstance(v[2], dict):
                continue
            lib = v[0]
            if isinstance(lib, str) and lib not in DIFFUSERS_LIBRARIES:
                out.append(CodeRef("component", at(k), v, k))
    return out


def parse_watched(raw: bytes | str) -> tuple[Any, list[dict[str, Any]]]:
    """``json.loads`` (same semantics: the last of duplicate keys wins) that also returns every
    object with one of the :data:`WATCHED_KEYS`, whatever its depth: the parser hands each
    object to the hook as it builds it, so none is missed and honest files need no walk."""
    watched: list[dict[str, Any]] = []

    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        for key in WATCHED_KEYS:
            if key in obj:
                watched.append(obj)
                break
        else:  # a dotted tokenizer_class only (plain class names are every tokenizer's)
            tok = obj.get("tokenizer_class")
            if isinstance(tok, str) and "." in tok:
                watched.append(obj)
        return obj

    return json.loads(raw, object_hook=hook), watched


def _references(doc: Any, watched: list[dict[str, Any]] | None, name: str = "") -> list[CodeRef]:
    if watched is not None and not watched:
        return []
    try:
        return code_references(doc, name=name)
    except ConfigTooLarge:
        if watched is None:
            raise
        return [r for obj in watched[:MAX_REFS] for r in _node_refs(obj, "?", name)]


def _code_findings(
    doc: Any,
    location: str,
    member: str | None,
    folder: Path | None,
    watched: list[dict[str, Any]] | None,
) -> list[Finding]:
    out: list[Finding] = []
    foreign: list[str] = []
    trusted = False
    for ref in _references(doc, watched, hf_paths.file_name(location, member)):
        if ref.kind == "trust":
            if not trusted:
                trusted = True
                ev = f"{ref.path}: true"
                out.append(TRUST_REMOTE.finding(location, ev, member=member))
            continue
        if ref.kind == "module":
            ev = f"{ref.path}: imports {short(ref.value, 300)}"
            out.append(MODULE_TYPE.finding(location, ev, member=member))
            continue
        if ref.kind == "component":
            out.extend(_component_findings(ref, location, member, folder))
            continue
        out.append(
            REMOTE_CODE.finding(location, f"{ref.path}: {short(ref.value, 300)}", member=member)
        )
        foreign.extend(s for s in _strings(ref.value) if "--" in s)
    for s in foreign[:MAX_REFS]:
        repo = s.split("--", 1)[0]
        ev = f"code reference {s!r} loads from repository {repo!r}"
        out.append(FOREIGN_CODE.finding(location, ev, member=member))
    return out


def _component_findings(
    ref: CodeRef, location: str, member: str | None, folder: Path | None
) -> list[Finding]:
    """A diffusers component ``[module, Class]`` whose module is no library: diffusers imports
    ``<component>/<module>.py`` from the model when that file exists (custom component code),
    else a diffusers pipeline module of that name, else any installed module of that name."""
    lib, component = str(ref.value[0]), ref.key
    if lib in DIFFUSERS_PIPELINE_MODULES:  # diffusers imports its own module first
        return []
    shipped = False
    if folder is not None and lib.isidentifier() and component.isidentifier():
        note_folder_read()
        try:
            shipped = (folder / component / f"{lib}.py").is_file()
        except OSError:
            shipped = True  # cannot tell: fail closed
    if shipped or folder is None:  # shipped code, or a folder this scan cannot list
        where = f"{component}/{lib}.py" if shipped else f"{component}/{lib}.py or module {lib!r}"
        ev = f"{ref.path}: {short(ref.value, 200)} loads {where}"
        return [REMOTE_CODE.finding(location, ev, member=member)]
    ev = f"{ref.path}: {short(ref.value, 200)} imports module {lib!r}"
    return [COMPONENT_MODULE.finding(location, ev, member=member)]


def _strings(value: Any) -> list[str]:
    out: list[str] = []
    stack: list[Any] = [value]
    while stack and len(out) < MAX_REFS:
        v = stack.pop()
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def _templates(doc: dict[str, Any], location: str, member: str | None) -> list[Finding]:
    value = doc.get("chat_template")
    out: list[Finding] = []
    if isinstance(value, str):
        out.extend(template_findings(value, location, member=member, label="chat_template"))
    elif isinstance(value, list):
        for i, item in enumerate(value[:MAX_TEMPLATES]):
            if isinstance(item, dict) and isinstance(item.get("template"), str):
                label = f"chat_template[{item.get('name', i)!s}]"
                out.extend(
                    template_findings(item["template"], location, member=member, label=label)
                )
    elif isinstance(value, dict):  # transformers keeps a name -> template mapping as it is
        for name, template in list(value.items())[:MAX_TEMPLATES]:
            if isinstance(template, str):
                label = f"chat_template[{name}]"
                out.extend(template_findings(template, location, member=member, label=label))
    if isinstance(value, (list, dict)) and len(value) > MAX_TEMPLATES:  # any one may be rendered
        ev = f"chat_template: {len(value)} named templates, only {MAX_TEMPLATES} analysed"
        out.append(TOO_COMPLEX.finding(location, ev, member=member))
    return out


def json_outcome(src: Source, ctx: ScanContext) -> ScanOutcome:
    """A JSON object judged by the config rules (bounded: size and estimated parse cost); shared
    by the JSON handler, shard indexes and ``keras_metadata.pb`` files that are JSON."""
    name = object_name(src, ctx)
    limit = min(MAX_JSON_BYTES, ctx.limits.max_json_bytes)
    if src.size > limit:
        return ScanOutcome(format="json", not_scanned=f"JSON larger than {limit} bytes")
    raw = bytes(src.view())
    cost = parse_cost(raw)
    if cost > ctx.limits.max_resident_bytes:
        why = f"JSON would need ~{cost >> 20} MiB to parse (memory budget)"
        return ScanOutcome(format="json", not_scanned=why)
    try:
        doc, watched = parse_watched(raw)
    except RecursionError:
        f = BAD_JSON.finding(ctx.location, f"{name}: nested too deeply", member=ctx.member)
        return ScanOutcome(format="json", findings=[f])
    except (ValueError, UnicodeDecodeError) as exc:
        from airlock.scan.handlers.text import yaml_findings

        # YAML loaders read what is not JSON (HyperPyYAML's !include:config.json): its tags
        yaml = yaml_findings(raw, name, ctx)
        if name.endswith(".json"):
            f = BAD_JSON.finding(ctx.location, f"{name}: {exc}", member=ctx.member)
            return ScanOutcome(format="json", findings=[f, *yaml])
        return ScanOutcome(format="text", findings=yaml)
    folder = ctx.fs_path.parent if ctx.fs_path is not None and ctx.member is None else None
    findings = json_config_findings(doc, ctx.location, ctx.member, folder, watched)
    if b"_target_" in raw or b"\\u" in raw:  # Hydra _target_ graphs (escapes decoded by json)
        from airlock.scan.hydra_rules import json_findings

        findings.extend(json_findings(doc, ctx.location, ctx.member, name))
    marks = (b"class_path", b"_instantiator", b"init_args", b"seed_everything", b"trainer",
             b"target", b"cls", b"\\u")  # fmt: skip
    if any(k in raw for k in marks):
        from airlock.scan import classpath_rules

        findings.extend(classpath_rules.json_findings(doc, ctx.location, ctx.member, name))
    if name == "MLmodel":  # MLflow reads it with yaml.safe_load, which takes JSON too
        from airlock.scan import mlflow_rules

        findings.extend(mlflow_rules.json_findings(doc, ctx.location, ctx.member, folder))
    if type(doc) is dict and ("learner" in doc or "Model" in doc):
        from airlock.scan import xgboost_proof as xgb

        if xgb.looks_like_model(doc):
            unproven = xgb.verdict(doc)
            if unproven is not None:
                evidence = f"XGBoost model: {unproven}"
                findings.append(xgb.UNPROVEN.finding(ctx.location, evidence, member=ctx.member))
    if type(doc) is dict and "features_info" in doc:
        from airlock.scan import catboost_proof as cbp

        if cbp.looks_like_json_model(doc):
            unproven = cbp.json_verdict(doc)
            if unproven is not None:
                evidence = f"CatBoost JSON model: {unproven}"
                findings.append(cbp.UNPROVEN.finding(ctx.location, evidence, member=ctx.member))
    children = []
    if (b"TorchModuleWrapper" in raw or b"\\u" in raw) and _keras_config(doc):
        from airlock.scan.keras_rules import UNPARSEABLE, torch_children

        try:  # model_from_json's pickled torch modules
            children = torch_children(doc, name)
        except ValueError as exc:  # KerasConfigError: too many payloads (not judged)
            findings.append(UNPARSEABLE.finding(ctx.location, f"{name}: {exc}", member=ctx.member))
    return ScanOutcome(format="json", findings=findings, children=children)


def _keras_config(doc: Any) -> bool:
    from airlock.formats.keras import looks_like_keras_config

    return looks_like_keras_config(doc)
