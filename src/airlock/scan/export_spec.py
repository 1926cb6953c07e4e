"""transformers ``exporters`` folders: ``export.json`` names classes the loader imports and builds.

``ExportedModel.from_pretrained(folder)`` (transformers 5.25, ``transformers/exporters``) reads
``export.json``: ``export_format`` picks a registered backend (``onnx``, ``openvino``,
``executorch``, ``dynamo``); each ``components.<name>.file`` is joined to the folder and loaded
(plus its sidecar: ``<file>.data`` for ONNX, ``<file minus .xml>.bin`` for OpenVINO); each
``components.<name>.metadata`` becomes an ``ExportMetadata`` whose ``in_spec``/``out_spec`` are
torch pytree specs (``treespec_dumps``: ``[1, {"type", "context", "children_spec"}]``). Reading a
spec back imports code three ways, none behind ``trust_remote_code``:

* ``register_treespec_types`` regex-scans the raw spec text for ``"type": "transformers...[.:]X"``
  and imports that module (any duplicate or ignored key counts);
* torch resolves ``type`` in its registry of pytree nodes; ``collections.defaultdict``'s context
  names a module that is imported, and every JSON context is parsed with an object hook that
  imports ``{"__enum__": ..., "fqn": "module:Class"}``;
* a transformers node's context is rebuilt by ``_unflatten_from_context`` when the model is first
  called: ``{"_t": "seq"|"map"|"obj"|"type", "p": "module:callable"}`` imports ANY module and
  calls the callable with the items (``seq``/``map``), builds the class without ``__init__``
  (``obj``) or returns it (``type``) -- ``{"_t": "seq", "p": "os:system", "v": ["cmd"]}`` runs a
  shell command.

So a manifest is judged as data, fail closed: every spec is parsed (bounded size and depth,
duplicate keys refused) and every node type, context tag and class path must be one transformers
itself writes -- torch's built-in containers, ``ModelOutput`` classes (``transformers.
modeling_outputs.X`` / ``transformers.models.<m>.modeling_<m>.X``) and the cache classes its
exporter registers (``transformers.cache_utils:<cache or layer>``, a model module's ``*Cache`` /
``*CacheLayer`` / ``*(Dynamic|Static)*Layer``). A component file that leaves the folder, an
unknown export format, dtype, device or key, a malformed value: denied (AIR-CFG-019).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from airlock.formats.json_budget import parse_cost
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.hf_paths import outside

EXPORT_SPEC = Rule(
    "AIR-CFG-019",
    Severity.CRITICAL,
    "transformers export manifest names code or files outside the folder",
    "ExportedModel.from_pretrained reads export.json: the pytree specs of each component name"
    " classes that are imported and called when the model runs ('seq'/'map'/'obj'/'type' paths"
    " such as os:system), and each component's file is opened relative to the folder. Only the"
    " containers, ModelOutput and cache classes transformers itself writes, and files inside the"
    " folder, are allowed.",
    "https://github.com/huggingface/transformers/tree/main/src/transformers/exporters",
)

MANIFEST_NAME = "export.json"
FORMATS = frozenset({"onnx", "openvino", "executorch", "dynamo"})
MANIFEST_KEYS = frozenset({"schema_version", "export_format", "components"})
ENTRY_KEYS = frozenset({"file", "metadata"})
METADATA_KEYS = frozenset({
    "architecture", "packages", "export_config", "export_dtype", "export_device", "kwargs",
    "in_spec", "out_spec", "in_constants", "out_constants",
})  # fmt: skip
SPEC_KEYS = ("in_spec", "out_spec")
NODE_KEYS = frozenset({"type", "context", "children_spec"})

# torch pytree node types whose context is plain JSON (collections.defaultdict is left out:
# its context names a module torch imports)
TORCH_NODE_TYPES = frozenset({
    "builtins.tuple", "builtins.list", "builtins.dict", "collections.OrderedDict",
    "collections.deque", "torch.Size", "torch.fx.immutable_collections.immutable_list",
    "torch.fx.immutable_collections.immutable_dict",
})  # fmt: skip
NAMEDTUPLE = "collections.namedtuple"  # context: a registered type name, looked up only
# transformers.cache_utils classes (5.25) the exporter's generic flattener writes as "obj"/"type"
CACHE_UTILS_CLASSES = frozenset({
    "Cache", "DynamicCache", "StaticCache", "QuantizedCache", "EncoderDecoderCache", "MtpCache",
    "DFlashCache", "KVSharingDict", "DynamicLayer", "DynamicSlidingWindowLayer",
    "DynamicIndexedLayer", "StaticLayer", "StaticSlidingWindowLayer", "StaticIndexedLayer",
    "BaseQuantizedLayer", "QuantizedLayer", "QuantoQuantizedLayer", "HQQQuantizedLayer",
    "Fp8QuantizedLayer", "LinearAttentionLayer", "LinearAttentionAndFullAttentionLayer",
    "LinearAttentionAndSlidingWindowAttentionLayer", "LinearAttentionAndStaticFullAttentionLayer",
    "LinearAttentionAndStaticSlidingWindowAttentionLayer", "DummyLayer",
})  # fmt: skip
_MODEL_MODULE = re.compile(r"transformers\.models\.[a-z0-9_]{1,80}\.modeling_[a-z0-9_]{1,80}")
_MODEL_CACHE = re.compile(
    r"[A-Za-z][A-Za-z0-9_]{0,120}(Cache|CacheLayer)|[A-Za-z]\w{0,120}(Dynamic|Static)\w{0,120}Layer"
)
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]{0,150}")
# ModelOutput subclasses whose names do not say "Output" (transformers 5.25)
ODD_OUTPUTS = frozenset(
    {"MusicgenUnconditionalInput", "MoshiUnconditionalInput", "AudioVideoEmbeddings", "FlavaLosses"}
)
# _flatten_to_context's sequence / mapping classes: builtins and collections only
SEQ_CLASSES = frozenset(
    {"builtins:tuple", "builtins:list", "builtins:set", "builtins:frozenset", "collections:deque"}
)
MAP_CLASSES = frozenset({"builtins:dict", "collections:OrderedDict"})
DTYPES = frozenset({
    "float32", "float64", "float16", "bfloat16", "complex32", "complex64", "complex128",
    "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "bool",
    "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
    "float4_e2m1fn_x2", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
    "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
    *(f"int{i}" for i in range(1, 8)), *(f"uint{i}" for i in range(1, 8)),
})  # fmt: skip
LAYOUTS = frozenset(
    {"strided", "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr", "sparse_bsc", "_mkldnn",
     "jagged"}
)  # fmt: skip
_DEVICE = re.compile(
    r"(cpu|cuda|mps|xpu|meta|hpu|npu|xla|mtia|privateuseone|ipu|lazy|hip|maia)(:\d{1,5})?"
)
# the loader's own regex (transformers.exporters.metadata.register_treespec_types)
_REGISTER = re.compile(r'"type": "(transformers(?:\.\w+)*[.:]\w+)"')
_TAG_KEYS = {
    "tensor": {"i"}, "sym": {"i"}, "layout": {"n"}, "dtype": {"n"}, "device": {"s"},
    "size": {"v"}, "items": {"v"}, "type": {"p"}, "map": {"p", "v"}, "seq": {"p", "v"},
    "obj": {"p", "s"},
}  # fmt: skip
MAX_SPEC_CHARS = 16 << 20
MAX_PARSE_COST = 512 << 20
MAX_DEPTH = 100
MAX_NODES = 2_000_000
MAX_COMPONENTS = 1000
MAX_SHOWN = 20


class _Stop(Exception):
    """The walk's budget is spent: the document is denied as not judged."""


def _show(value: Any, limit: int = 120) -> str:
    if isinstance(value, str):
        value = value[: limit + 1]
    text = repr(value) if not isinstance(value, (dict, list)) else f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_manifest(doc: Any, name: str) -> bool:
    """``export.json`` (the only name the loader opens) with one of the keys the loader reads
    first (without them it stops at once), or any JSON object with both."""
    if not isinstance(doc, dict):
        return False
    if name.lower() == MANIFEST_NAME:
        return "components" in doc or "export_format" in doc
    return "components" in doc and "export_format" in doc


def cache_class(path: Any) -> bool:
    """A ``module:Class`` path (``_class_to_path``) of a cache or cache-layer class of
    transformers: the ones the exporter registers as pytree nodes and writes as ``obj``/``type``."""
    if not isinstance(path, str) or path.count(":") != 1:
        return False
    module, name = path.split(":")
    if module == "transformers.cache_utils":
        return name in CACHE_UTILS_CLASSES
    return bool(_MODEL_MODULE.fullmatch(module) and _MODEL_CACHE.fullmatch(name))


def model_output_type(path: Any) -> bool:
    """A ``module.Class`` serialized name of a ``ModelOutput`` subclass (registered with a dot)."""
    if not isinstance(path, str) or ":" in path or "." not in path:
        return False
    module, _, name = path.rpartition(".")
    if not _CLASS_NAME.fullmatch(name) or not ("Output" in name or name in ODD_OUTPUTS):
        return False
    return module == "transformers.modeling_outputs" or bool(_MODEL_MODULE.fullmatch(module))


def node_type_allowed(value: Any) -> bool:
    return value in TORCH_NODE_TYPES or model_output_type(value) or cache_class(value)


def _strict_loads(text: str) -> Any:
    """``json.loads`` refusing duplicate keys (the loaders keep the last, the regex sees all)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise ValueError(f"duplicate key {_show(k, 60)}")
            out[k] = v
        return out

    return json.loads(text, object_pairs_hook=pairs)


class _Judge:
    def __init__(self, location: str, member: str | None) -> None:
        self.location = location
        self.member = member
        self.out: list[Finding] = []
        self.nodes = 0

    def deny(self, where: str, why: str) -> None:
        if len(self.out) < MAX_SHOWN:
            ev = f"{where}: {why}"
            self.out.append(EXPORT_SPEC.finding(self.location, ev, member=self.member))

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Stop(f"more than {MAX_NODES} values in the specs; not judged")

    # -- manifest ---------------------------------------------------------------------------

    def manifest(self, doc: dict[str, Any]) -> None:
        for key in doc:
            if key not in MANIFEST_KEYS:
                self.deny(_show(key, 60), "key the exporter never writes (not judged)")
        version = doc.get("schema_version", 1)
        if not isinstance(version, int) or isinstance(version, bool):
            self.deny("schema_version", f"{_show(version)} is not an integer")
        fmt = doc.get("export_format")
        if fmt not in FORMATS:
            self.deny("export_format", f"{_show(fmt)} is not a built-in backend")
        components = doc.get("components")
        if not isinstance(components, dict) or not components:
            self.deny("components", "missing, empty or not an object")
            return
        if len(components) > MAX_COMPONENTS:
            self.deny("components", f"more than {MAX_COMPONENTS} components")
            return
        for name, entry in components.items():
            self.component(f"components.{_show(name, 60)}", entry)

    def component(self, where: str, entry: Any) -> None:
        if not isinstance(entry, dict):
            self.deny(where, "not an object")
            return
        for key in entry:
            if key not in ENTRY_KEYS:
                self.deny(f"{where}.{_show(key, 60)}", "key the exporter never writes")
        file = entry.get("file")
        if not isinstance(file, str) or not file.strip() or len(file) > 4096:
            self.deny(f"{where}.file", f"{_show(file)} is not a file name")
        else:
            why = outside(file) or ("backslash in the path" if "\\" in file else "")
            if why:
                self.deny(f"{where}.file", f"{_show(file, 200)} ({why})")
        meta = entry.get("metadata")
        if not isinstance(meta, dict):
            self.deny(f"{where}.metadata", "missing or not an object")
            return
        self.metadata(f"{where}.metadata", meta)

    def metadata(self, where: str, meta: dict[str, Any]) -> None:
        for key in meta:
            if key not in METADATA_KEYS:
                self.deny(f"{where}.{_show(key, 60)}", "key the exporter never writes")
        dtype = meta.get("export_dtype")
        if dtype is not None and dtype not in DTYPES:  # getattr(torch, export_dtype)
            self.deny(f"{where}.export_dtype", f"{_show(dtype)} is not a torch dtype")
        for key in ("architecture", "export_device"):
            v = meta.get(key)
            if v is not None and not (isinstance(v, str) and len(v) <= 1000):
                self.deny(f"{where}.{key}", f"{_show(v)} is not a short string")
        for key in ("packages", "export_config", "kwargs"):
            v = meta.get(key)
            if v is not None and not isinstance(v, dict):
                self.deny(f"{where}.{key}", "not an object")
        consts = meta.get("in_constants", {})
        if not isinstance(consts, dict) or not all(_scalar(v) for v in consts.values()):
            self.deny(f"{where}.in_constants", "not an object of scalars")
        outs = meta.get("out_constants", [])
        if not isinstance(outs, list) or not all(_out_constant(x) for x in outs):
            self.deny(f"{where}.out_constants", "not a list of [index, scalar] pairs")
        for key in SPEC_KEYS:
            spec = meta.get(key)
            if spec is None:
                continue
            if not isinstance(spec, str):
                self.deny(f"{where}.{key}", f"{_show(spec)} is not a dumped pytree spec")
                continue
            self.spec(f"{where}.{key}", spec)

    # -- pytree spec ------------------------------------------------------------------------

    def spec(self, where: str, text: str) -> None:
        if len(text) > MAX_SPEC_CHARS or parse_cost(text.encode("utf-8", "replace")) > (
            MAX_PARSE_COST
        ):
            self.deny(where, f"spec of {len(text)} characters: too large to judge")
            return
        # every "type" the loader's regex would import, whatever key or duplicate carries it
        for m in _REGISTER.finditer(text):
            if not node_type_allowed(m.group(1)):
                self.deny(
                    where, f"imports {_show(m.group(1), 200)} (not a class transformers saves)"
                )
        try:
            doc = _strict_loads(text)
        except RecursionError:
            self.deny(where, "nested too deeply to judge")
            return
        except ValueError as exc:
            self.deny(where, f"not a valid spec ({_show(str(exc), 120)})")
            return
        if not (isinstance(doc, list) and len(doc) == 2 and doc[0] == 1 and type(doc[0]) is int):
            self.deny(where, "not [1, node] (treespec_dumps protocol 1)")
            return
        stack: list[tuple[Any, str, int]] = [(doc[1], "root", 0)]
        while stack:
            node, path, depth = stack.pop()
            self.count()
            here = f"{where} {path}"
            if depth > MAX_DEPTH:
                self.deny(here, f"nested deeper than {MAX_DEPTH}")
                return
            if not isinstance(node, dict) or set(node) != NODE_KEYS:
                self.deny(here, "not a {type, context, children_spec} node")
                continue
            typ, ctx, children = node["type"], node["context"], node["children_spec"]
            if not isinstance(children, list):
                self.deny(here, "children_spec is not a list")
                continue
            if typ is None:  # a leaf
                if ctx is not None or children:
                    self.deny(here, "leaf with a context or children")
                continue
            if typ == NAMEDTUPLE:
                if not isinstance(ctx, str) or len(ctx) > 1000:
                    self.deny(here, "namedtuple context is not a type name")
            elif not node_type_allowed(typ):
                self.deny(here, f"node type {_show(typ, 200)} is not one transformers saves")
                continue
            elif not isinstance(ctx, str):
                self.deny(here, f"context {_show(ctx)} is not dumped JSON")
            else:
                self.context(f"{here} [{typ}]", ctx)
            for i, child in enumerate(children):
                stack.append((child, f"{path}.{i}", depth + 1))

    def context(self, where: str, text: str) -> None:
        try:
            doc = _strict_loads(text)
        except RecursionError:
            self.deny(where, "context nested too deeply to judge")
            return
        except ValueError as exc:
            self.deny(where, f"context is not JSON ({_show(str(exc), 120)})")
            return
        for why in self._context_problems(doc):
            self.deny(where, why)

    def _context_problems(self, root: Any) -> Iterator[str]:
        """What ``_unflatten_from_context`` (and torch's enum hook) would import or cannot
        read, walking the context as the loader does."""
        stack: list[tuple[Any, int]] = [(root, 0)]
        while stack:
            ctx, depth = stack.pop()
            self.count()
            if depth > MAX_DEPTH:
                yield f"context nested deeper than {MAX_DEPTH}"
                return
            if ctx is None or isinstance(ctx, (bool, int, float, str)):
                continue
            if isinstance(ctx, list):
                stack.extend((x, depth + 1) for x in ctx)
                continue
            if not isinstance(ctx, dict):  # pragma: no cover - JSON has no other types
                yield f"context value {_show(ctx)}"
                continue
            if "__enum__" in ctx:  # torch's enum_object_hook imports ctx["fqn"]
                yield f"enum object naming {_show(ctx.get('fqn'), 200)} (imported by torch)"
                continue
            if "_t" not in ctx:
                stack.extend((v, depth + 1) for v in ctx.values())
                continue
            tag = ctx["_t"]
            if not isinstance(tag, str) or tag not in _TAG_KEYS:
                yield f"unknown context tag {_show(tag, 60)}"
                continue
            if set(ctx) != {"_t", *_TAG_KEYS[tag]}:
                yield f"'{tag}' with keys {_show(sorted(ctx), 160)}"
                continue
            problem = _tag_problem(tag, ctx)
            if problem:
                yield problem
                continue
            if tag == "items":
                stack.extend((pair[1], depth + 1) for pair in ctx["v"])
            elif tag in ("map", "obj"):
                stack.extend((v, depth + 1) for v in ctx["v" if tag == "map" else "s"].values())
            elif tag == "seq":
                stack.extend((x, depth + 1) for x in ctx["v"])


def _index(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << 40


def _scalar(v: Any) -> bool:
    return (
        v is None or isinstance(v, (bool, int, float)) or (isinstance(v, str) and len(v) < 1 << 16)
    )


def _out_constant(x: Any) -> bool:
    return isinstance(x, list) and len(x) == 2 and _index(x[0]) and _scalar(x[1])


def _tag_problem(tag: str, ctx: dict[str, Any]) -> str:
    """Why one tagged context object is refused, "" when it is one transformers writes."""
    if tag in ("tensor", "sym"):
        return "" if _index(ctx["i"]) else f"'{tag}' index {_show(ctx['i'])}"
    if tag in ("dtype", "layout"):
        names = DTYPES if tag == "dtype" else LAYOUTS
        return "" if ctx["n"] in names else f"'{tag}' {_show(ctx['n'])} (getattr on torch)"
    if tag == "device":
        s = ctx["s"]
        return "" if isinstance(s, str) and _DEVICE.fullmatch(s) else f"device {_show(s)}"
    if tag == "size":
        v = ctx["v"]
        ok = isinstance(v, list) and len(v) <= 64 and all(_index(x) for x in v)
        return "" if ok else "'size' is not a list of sizes"
    if tag == "items":
        v = ctx["v"]
        ok = isinstance(v, list) and all(
            isinstance(p, list) and len(p) == 2 and _scalar(p[0]) for p in v
        )
        return "" if ok else "'items' is not a list of [key, value] pairs"
    path = ctx["p"]
    allowed = {"seq": SEQ_CLASSES, "map": MAP_CLASSES}.get(tag)
    ok = path in allowed if allowed is not None else cache_class(path)
    if not ok:
        why = "imported and called; not a class transformers saves"
        return f"'{tag}' names {_show(path, 200)} ({why})"
    if tag == "seq" and not isinstance(ctx["v"], list):
        return "'seq' values are not a list"
    if tag in ("map", "obj") and not isinstance(ctx["v" if tag == "map" else "s"], dict):
        return f"'{tag}' state is not an object"
    return ""


def manifest_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """Everything ``ExportedModel.from_pretrained`` would import, call or open from this
    manifest that transformers itself never writes (AIR-CFG-019)."""
    if not is_manifest(doc, name):
        return []
    judge = _Judge(location, member)
    try:
        judge.manifest(doc)
    except _Stop as stop:
        judge.out.append(EXPORT_SPEC.finding(location, str(stop), member=member))
    return judge.out
