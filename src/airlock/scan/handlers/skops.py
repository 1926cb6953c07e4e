"""skops ``.skops`` files: a zip whose ``schema.json`` is a tree of nodes naming the types and
functions ``skops.io.load`` imports, builds or calls; every other member (``.npy`` arrays, ``.npz``
sparse matrices, ``.bin`` bytes) is judged by the engine like any zip member.

skops audits the names only against the caller's ``trusted`` list, and the documented way to
load a file, ``load(f, trusted=get_untrusted_types(file=f))``, trusts whatever the file names.
So each name is judged here with the pickle policy (``airlock.scan.allowlist``), by what the
node's loader does with it (read from skops.io's ``_general``/``_numpy``/``_scipy``/``_sklearn``):

* ``call``: the class is called with values from the file (``ConstructorFromReduceNode``,
  ``DictNode``/``ListNode``/``SetNode``/``TupleNode`` containers, ``NdArrayNode`` scalar types,
  ``RandomStateNode``, ``RandomGeneratorNode`` and its bit generator, the ``__reduce__`` nodes,
  ``OperatorFuncNode`` as ``operator.<name>(*attrs)``);
* ``new``: ``cls.__new__(cls)`` then ``__setstate__``/``__dict__`` with the file's state
  (``ObjectNode``: pickle's NEWOBJ + BUILD);
* ``ref``: the object is imported and handed on (``FunctionNode``, ``TypeNode``);
* ``method``: ``getattr(obj, name)`` on a built object (``MethodNode``), judged as
  ``module.Class.name``.

Classes whose compiled code trusts index fields (trees, SVMs, neighbours, vectorizers...) are
proven by the pickle analysis from the pickle's arrays; ``airlock.scan.skops_proof`` runs the
same proofs on the state read from the node tree and the ``.npy`` members' bytes (decision
trees, forests, gradient boosting, HistGradientBoosting, KD/Ball trees, the estimators of
``airlock.scan.estimator_proof``); the rest (sparse containers, boosters) are refused (fail
closed). A ``TreeNode`` is judged as ``sklearn.tree._tree.Tree`` whatever its label: skops
builds that class.
A schema that does not parse, an unknown loader or protocol, a missing member or a tree past the
bounds is not judged (fail closed). Nothing is imported or loaded: the schema is JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from airlock.formats import archive
from airlock.report import Severity
from airlock.scan import allowlist
from airlock.scan.format_rules import Rule
from airlock.scan.handlers.common import sniff_zip, zip_outcome
from airlock.scan.interface import FormatProblem, ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.skops_proof import Prover

SKOPS_REF = "https://skops.readthedocs.io/en/stable/persistence.html"

DANGEROUS = Rule(
    "AIR-SKOPS-001",
    Severity.CRITICAL,
    "Dangerous type or function in skops schema",
    "skops.io.load imports this name and builds, calls or hands on the object; it is a known "
    "code-execution, import, file, process, network or deserialisation primitive. Loading with "
    "trusted=get_untrusted_types(file=...) trusts whatever the file names.",
    SKOPS_REF,
)
NOT_ALLOWED = Rule(
    "AIR-SKOPS-002",
    Severity.HIGH,
    "Type or function in skops schema not on the allowlist",
    "skops.io.load imports this name and builds, calls or binds it with values from the file; "
    "it is not a known-safe name for that use in the pickle policy Airlock applies to every "
    "format (an allowlist: unknown blocks). Review it, then allow it in the policy file.",
    SKOPS_REF,
)
UNPARSEABLE = Rule(
    "AIR-SKOPS-003",
    Severity.HIGH,
    "skops schema cannot be judged",
    "schema.json does not parse as a skops node tree Airlock knows (bad JSON, duplicate keys, "
    "unknown loader or protocol, missing member, past the depth/count bounds); skops may still "
    "load parts of it, so it is not judged.",
    SKOPS_REF,
    blocks=True,
)
NOT_PROVEN = Rule(
    "AIR-SKOPS-004",
    Severity.HIGH,
    "skops object whose fields are not proven safe",
    "This class's compiled code indexes memory with fields the file sets (trees, SVMs, "
    "neighbours, vectorizers, sparse containers), or its __setstate__ executes text from the "
    "state. Airlock proves these from the schema and the .npy members' bytes as it does for "
    "pickles; this object's proof failed or does not exist for skops files, so it is refused "
    "(skops itself does not trust sklearn.tree._tree.Tree).",
    SKOPS_REF,
)

MAX_DEPTH = 400  # skops builds the tree recursively: deeper fails there too
MAX_NODES = 500_000
MAX_FINDINGS = 50
PROTOCOLS = (0, 1, 2)  # skops 0.16 reads protocols 0..2


class _Bad(Exception):
    """The schema is not a node tree skops would read as Airlock understands it."""


def _by_name(listing: archive.ZipListing) -> dict[str, archive.ZipMember]:
    """The files as skops' ``zipfile`` finds them by name: names cut at a NUL, the last entry
    of a name winning (such names are also AIR-ARC-010 for every zip reader)."""
    out: dict[str, archive.ZipMember] = {}
    for m in listing.members:
        name = archive.zipfile_name(m.name)
        if not name.endswith("/"):
            out[name] = m
    return out


def _schema(listing: archive.ZipListing) -> archive.ZipMember | None:
    """``schema.json`` as ``zipfile`` finds it by name."""
    return _by_name(listing).get("schema.json")


class SkopsHandler:
    """``skops.io.dump`` archives (a zip with a ``schema.json`` node tree).

    Sniffed by the member alone: a byte test for ``"__loader__"`` would miss a key spelled with
    JSON escapes or pushed past the head. A zip whose ``schema.json`` is not a JSON object with
    a ``__loader__`` key (skops reads nothing from it) gets the generic zip reading."""

    name = "skops"

    def sniff(self, src: Source) -> bool:
        listing = sniff_zip(src)
        return listing is not None and _schema(listing) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        listing, out = zip_outcome(src, ctx)
        schema = _schema(listing)
        if schema is None:
            raise Unparseable(UNPARSEABLE, "no schema.json", out)
        by_name = _by_name(listing)
        where = "schema.json" if ctx.member is None else f"{ctx.member}!schema.json"
        try:
            data = bytes(archive.member_data(src, schema, ctx.limits, ctx.budget))
            if not _claims_skops(data):
                from airlock.scan import registry  # lazily: the registry imports handlers

                zip_handler = registry.by_name("zip")
                assert zip_handler is not None
                return zip_handler.scan(src, ctx)
            out.format = "skops"
            out.children = [c for c in out.children if c.name != schema.name]

            def read(name: str) -> bytes | memoryview:
                return archive.member_data(src, by_name[name], ctx.limits, ctx.budget)

            def npz(name: str) -> Callable[[str], bytes | memoryview] | str:
                from airlock.scan import npz_sparse

                inner = Source(bytes(read(name)))
                listing = archive.read_zip(inner, ctx.limits)
                got = npz_sparse.reader(inner, listing, ctx.limits, ctx.budget)
                if got is None or archive.name_clashes(listing.members):
                    return "the member is not a plain save_npz file"
                return got

            models: set[str] = set()
            seen = judge_schema(_parse(data), set(by_name), read, npz, models)
            if models:  # bytes a booster proof parsed as the model: scanned, not unrecognised
                out.children = [c for c in out.children if c.name not in models]
                out.notes.append(f"{len(models)} booster model member(s) proven as models")
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, f"schema.json: {exc}", out) from None
        except _Bad as exc:
            raise Unparseable(UNPARSEABLE, f"schema.json: {exc}"[:300], out) from None
        for (rule, name, how), count in list(seen.items())[:MAX_FINDINGS]:
            sev, why = how
            more = f" ({count} nodes)" if count > 1 else ""
            out.findings.append(
                rule.finding(
                    ctx.location, f"{name}: {why}{more}", member=where, severity=sev,
                    extra={"callable": name},
                )
            )  # fmt: skip
        if len(seen) > MAX_FINDINGS:
            out.notes.append(f"{len(seen) - MAX_FINDINGS} more skops findings not listed")
        out.notes.append("skops schema: every node's type judged")
        return out


def _claims_skops(data: bytes) -> bool:
    """What skops' own ``json.loads`` (bytes: UTF-8/16/32 detected) would build node(s) from: a
    JSON object with a ``__loader__`` key. Text Python's json cannot read is no skops file,
    except one nested past the recursion limit (a loader with a higher limit reads it)."""
    try:
        doc = json.loads(data)
    except RecursionError:
        raise _Bad("nested too deeply") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError: skops.io.load fails too
        return False
    return isinstance(doc, dict) and "__loader__" in doc


def _no_dupes(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _Bad("duplicate keys in a JSON object")
    return d


def _parse(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(data, object_pairs_hook=_no_dupes)
    except _Bad:
        raise
    except RecursionError:
        raise _Bad("nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise _Bad(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(doc, dict):
        raise _Bad("not a JSON object")
    protocol = doc.get("protocol")
    if type(protocol) is not int or protocol not in PROTOCOLS:
        raise _Bad(f"protocol {protocol!r} is not one of {PROTOCOLS}")
    return doc


# (rule, name, (severity, why)) -> count
Seen = dict[tuple[Rule, str, tuple[Severity, str]], int]


def judge_schema(
    doc: dict[str, Any],
    members: set[str],
    read: Callable[[str], Any] | None = None,
    npz: Callable[[str], Callable[[str], Any] | str] | None = None,
    models: set[str] | None = None,
) -> Seen:
    """Every node of the tree judged; raises ``_Bad`` for what skops' reading is not known for.
    ``read`` (a member's bytes by name) lets the estimator proofs run; without it they are
    refused. ``npz`` (a member read as a ``save_npz`` file) lets them read sparse members;
    ``models`` collects the ``.bin`` members a booster proof read whole as the model."""
    policy = allowlist.default_policy()
    seen: Seen = {}
    ids: set[Any] = set()
    cached: list[Any] = []
    pending: list[tuple[tuple[Rule, str, tuple[Severity, str]], dict[str, Any]]] = []
    calls: list[tuple[bool, Any]] = []  # (later, node): key types, partials' functions
    by_id: dict[Any, list[dict[str, Any]]] = {}  # skops' memo: truthy hashable ids
    stack: list[tuple[Any, int]] = [(doc, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _Bad(f"more than {MAX_NODES} nodes")
        if depth > MAX_DEPTH:
            raise _Bad(f"nested deeper than {MAX_DEPTH} nodes")
        if not isinstance(node, dict):
            raise _Bad(f"a node is a {type(node).__name__}, not an object")
        loader, module, cls = node.get("__loader__"), node.get("__module__"), node.get("__class__")
        if not (type(loader) is str and type(module) is str and type(cls) is str):
            raise _Bad("a node lacks string __loader__/__module__/__class__")
        if loader == "CachedNode":
            cached.append(_key(node.get("__id__")))
        elif "__id__" in node:
            ids.add(_key(node["__id__"]))
            try:
                if node["__id__"]:
                    by_id.setdefault(node["__id__"], []).append(node)
            except TypeError:  # an unhashable id: skops' memo lookup fails the load
                pass
        if loader == "DictNode":  # content[key_type(key)]: each key type is called at load
            calls.append((False, _field(node, "key_types")))
        elif loader == "PartialNode":  # partial(func, ...): whoever holds it calls func
            calls.append((True, _field(node, "content", "func")))
        for hit in _judge(policy, node, loader, module, cls, members):
            if hit[0] is NOT_PROVEN and loader in _PROVABLE and read is not None:
                pending.append((hit, node))  # proven after the walk, in its order
                continue
            seen[hit] = seen.get(hit, 0) + 1
        kids = list(_kids(loader, node, int(doc["protocol"])))
        stack.extend((k, depth + 1) for k in reversed(kids))
    if any(c not in ids for c in cached):
        raise _Bad("a CachedNode names an object id no node has")
    for hit in _called_values(policy, calls, by_id):
        seen[hit] = seen.get(hit, 0) + 1
    if pending:
        assert read is not None
        prover = Prover({k: n for k, n in by_id.items() if len(n) > 1}, read, npz)
        for hit, node in pending:
            why = prover.prove(hit[1], node)
            if why is not None:
                hit = (NOT_PROVEN, hit[1], (Severity.HIGH, f"not proven: {why}"[:300]))
                seen[hit] = seen.get(hit, 0) + 1
        if models is not None:
            models.update(prover.model_members)
    return seen


_PROVABLE = frozenset({"ObjectNode", "TreeNode"})


def _key(value: Any) -> Any:
    return value if type(value) in (int, str) else repr(value)


def _field(node: dict[str, Any], *path: str) -> Any:
    cur: Any = node
    for p in path:
        if not isinstance(cur, dict) or p not in cur:
            raise _Bad(f"{node['__loader__']} without {'.'.join(path)}")
        cur = cur[p]
    return cur


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{what} is not a list")
    return value


_LEAVES = frozenset(
    {"JsonNode", "SliceNode", "BytesNode", "BytearrayNode", "FunctionNode", "TypeNode",
     "CachedNode", "SparseMatrixNode"}
)  # fmt: skip
_REDUCE = frozenset({"TreeNode", "LossNode", "QuantileForestNode", "ReduceNode"})
_FIXED = {
    "TreeNode": ("sklearn.tree._tree", "Tree"),
    "QuantileForestNode": ("quantile_forest._quantile_forest_fast", "QuantileForest"),
}


def _kids(loader: str, node: dict[str, Any], protocol: int) -> Iterator[Any]:
    """The nodes skops reads under this one (from its ``get_tree`` calls)."""
    if loader in _LEAVES:
        return
    if loader == "DictNode":
        yield _field(node, "key_types")
        content = _field(node, "content")
        if not isinstance(content, dict):
            raise _Bad("DictNode content is not an object")
        yield from content.values()
    elif loader in ("ListNode", "SetNode", "TupleNode"):
        yield from _list(_field(node, "content"), f"{loader} content")
    elif loader == "DefaultDictNode":
        yield _field(node, "content", "main")
        yield _field(node, "content", "default_factory")
    elif loader == "PartialNode":
        for k in ("func", "args", "kwds", "namespace"):
            yield _field(node, "content", k)
    elif loader in ("ConstructorFromReduceNode", "RandomStateNode", "DTypeNode"):
        yield _field(node, "content")
    elif loader == "ObjectNode":
        if node.get("content") is not None:
            yield node["content"]
    elif loader == "MethodNode":
        yield _field(node, "content", "obj")
    elif loader == "OperatorFuncNode":
        yield _field(node, "attrs")
    elif loader == "NdArrayNode":
        if node.get("type") == "json":
            yield from _list(_field(node, "content"), "NdArrayNode content")
            yield _field(node, "shape")
    elif loader == "MaskedArrayNode":
        yield _field(node, "content", "data")
        yield _field(node, "content", "mask")
    elif loader == "RandomGeneratorNode":
        yield _field(node, "content", "bit_generator")
        yield _field(node, "content", "seed_seq")
    elif loader in _REDUCE:
        yield _field(node, "content")
        yield _field(node, "__reduce__", "args")
    elif loader == "_DictWithDeprecatedKeysNode":
        yield _field(node, "content", "main")
        yield _field(node, "content", "_deprecated_key_to_new_key")
    else:
        raise _Bad(f"unknown loader {loader[:60]!r} (protocol {protocol})")


def _judge(
    policy: allowlist.Policy,
    node: dict[str, Any],
    loader: str,
    module: str,
    cls: str,
    members: set[str],
) -> Iterator[tuple[Rule, str, tuple[Severity, str]]]:
    """What this node makes skops import, and how it uses it."""
    if loader in ("BytesNode", "BytearrayNode", "SparseMatrixNode") or (
        loader == "NdArrayNode" and node.get("type") == "numpy"
    ):
        name = node.get("file")
        if type(name) is not str or name not in members:
            raise _Bad(f"{loader} names no member of the archive")
    if loader in ("JsonNode", "SliceNode", "BytesNode", "BytearrayNode", "CachedNode"):
        return  # nothing imported: json.loads, slice(), the member's bytes
    if loader in ("DictNode", "ListNode", "SetNode", "TupleNode", "RandomStateNode"):
        yield from _name(policy, module, cls, "call")  # key types: _called_values
    elif loader in ("ConstructorFromReduceNode", *_REDUCE):
        yield from _name(policy, module, cls, "call")
        fixed = _FIXED.get(loader)  # skops calls its own constructor, whatever the label says
        if fixed is not None and fixed != (module, cls):
            yield from _name(policy, *fixed, "call")
    elif loader == "ObjectNode":
        yield from _name(policy, module, cls, "new")
    elif loader in ("FunctionNode", "TypeNode"):
        yield from _name(policy, module, cls, "ref")
        content = node.get("content")
        if isinstance(content, dict) and ("module_path" in content or "function" in content):
            mod, fn = content.get("module_path"), content.get("function")  # protocol 0
            if type(mod) is not str or type(fn) is not str:
                raise _Bad("FunctionNode content without module_path/function strings")
            yield from _name(policy, mod, fn, "ref")
    elif loader == "MethodNode":
        func = _field(node, "content", "func")
        obj = _field(node, "content", "obj")
        if type(func) is not str or not isinstance(obj, dict):
            raise _Bad("MethodNode without a func name and an obj node")
        if obj.get("__module__") != module or obj.get("__class__") != cls:
            raise _Bad("MethodNode type differs from its object's")
        yield from _name(policy, module, f"{cls}.{func}", "method")
    elif loader == "OperatorFuncNode":
        if module != "operator":
            raise _Bad("OperatorFuncNode outside operator")
        yield from _name(policy, "operator", cls, "call")
    elif loader == "NdArrayNode":
        kind = node.get("type")
        if kind not in ("numpy", "json"):
            raise _Bad(f"NdArrayNode of type {str(kind)[:40]!r}")
        if kind == "numpy" and f"{module}.{cls}" != "numpy.ndarray":
            yield from _name(policy, module, cls, "call")  # cls(array)
    elif loader == "SparseMatrixNode":
        if node.get("type") != "scipy":
            raise _Bad("SparseMatrixNode not of type scipy")
        # load_npz(member) whatever the names say: the .npz member's own scan proves it
    elif loader == "RandomGeneratorNode":
        yield from _name(policy, module, cls, "call")
        try:
            bitgen = json.loads(
                node["content"]["bit_generator"]["content"]["bit_generator"]["content"]
            )
        except (KeyError, TypeError, ValueError):
            raise _Bad("RandomGeneratorNode without a bit generator name") from None
        if type(bitgen) is not str:
            raise _Bad("RandomGeneratorNode bit generator name is not a string")
        if bitgen not in _BIT_GENERATORS:  # getattr(numpy.random, name)(seed_seq)
            yield from _name(policy, "numpy.random", bitgen, "call")
    # PartialNode: its func is judged by _called_values
    # DefaultDictNode, MaskedArrayNode, DTypeNode, _DictWithDeprecatedKeysNode:
    # skops builds its own fixed type (defaultdict, partial, MaskedArray, .dtype, a dict)


def _loaded(node: Any, by_id: dict[Any, list[dict[str, Any]]]) -> list[Any]:
    """The nodes skops may put at this place: a node (``CachedNode`` or not) whose truthy id
    (Python ``==``: 1, 1.0 and true are one id) an earlier node registered is that earlier
    node (``get_tree``'s memo). Every node sharing the id is returned, so the judgment does
    not rest on Airlock's walk order matching skops'."""
    key = node.get("__id__") if isinstance(node, dict) else None
    try:
        group = by_id.get(key) if key else None
    except TypeError:  # an unhashable id: skops' memo lookup fails the load
        return [node]
    return [node] if group is None else group


_MAX_CALL_CHAIN = 64  # partials of partials followed through ids; more -> not judged


def _called_values(
    policy: allowlist.Policy, calls: list[tuple[bool, Any]], by_id: dict[Any, list[dict[str, Any]]]
) -> Iterator[tuple[Rule, str, tuple[Severity, str]]]:
    """What a DictNode's key types and a PartialNode's func make skops (or the partial's
    holder) call, by the value each node builds, resolving shared ids the way skops does.

    Key types are called at load with each key (``content[key_type(key)]``): they must be a
    list or tuple of type/function nodes (what ``skops.io.dump`` writes) or partials of them,
    each judged as a call. A partial's func is called later with arguments the file does not
    show: as for a pickle's partial (AIR-PKL-009), only reference-only names count there.
    Any other node in these places (an object, a container, a reduce) builds a value whose
    call cannot be judged: refused. Each node (and each id's group) is judged once per way of
    being called: honest saves share one ``str`` key type id across thousands of dicts."""
    done: set[tuple[bool, int]] = set()
    for later, node in calls:
        if later:
            yield from _callee(policy, node, by_id, later, done)
            continue
        for kt in _loaded(node, by_id):
            if kt.get("__loader__") not in ("ListNode", "TupleNode"):
                name = f"{kt.get('__module__')}.{kt.get('__class__')}"[:200]
                why = f"DictNode key types built by a {str(kt.get('__loader__'))[:40]}"
                yield NOT_ALLOWED, name, (Severity.HIGH, f"{why}: each is called with a key")
                continue
            for item in _list(kt.get("content"), "DictNode key types"):
                yield from _callee(policy, item, by_id, later, done)


def _callee(
    policy: allowlist.Policy,
    node: Any,
    by_id: dict[Any, list[dict[str, Any]]],
    later: bool,
    done: set[tuple[bool, int]],
) -> Iterator[tuple[Rule, str, tuple[Severity, str]]]:
    """The type or function nodes a call of the value built from ``node`` calls (through
    partials), judged as calls; anything else there is refused."""
    todo = [node]
    steps = 0
    while todo:
        steps += 1
        if steps > _MAX_CALL_CHAIN:
            raise _Bad(f"more than {_MAX_CALL_CHAIN} partials in one call chain")
        n = todo.pop()
        group = _loaded(n, by_id)
        # keyed by objects alive for the whole scan (the node, or its id's group in by_id)
        key = (later, id(group) if len(group) > 1 or group[0] is not n else id(n))
        if key in done:
            continue
        done.add(key)
        for n in group:
            loader, module, cls = n["__loader__"], n["__module__"], n["__class__"]
            if loader in ("TypeNode", "FunctionNode"):
                names = [(module, cls)]
                content = n.get("content")
                if isinstance(content, dict) and "module_path" in content:  # protocol 0
                    names.append((content["module_path"], content["function"]))
                for mod, qual in names:
                    if not later or f"{mod}.{qual}" in policy.ref_only:
                        yield from _name(policy, mod, qual, "call")
            elif loader == "PartialNode":  # calling a partial calls its func
                todo.append(n["content"]["func"])
            elif loader != "MethodNode":  # a bound method is judged at its node ("method")
                what = "a partial's function" if later else "a DictNode key type"
                why = f"a {loader[:40]} as {what}: the object it builds is called"
                yield NOT_ALLOWED, f"{module}.{cls}"[:200], (Severity.HIGH, why)


# numpy's own bit generators (skops trusts these by default and checks the class at load)
_BIT_GENERATORS = frozenset({"MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"})

_HOW = {
    "call": "called with values from the file",
    "new": "built with __new__ and given the file's state",
    "ref": "imported and handed on",
    "method": "bound as a method of an object from the file",
}


def _name(
    policy: allowlist.Policy, module: str, qualname: str, how: str
) -> Iterator[tuple[Rule, str, tuple[Severity, str]]]:
    from airlock.scan import index_proof
    from airlock.scan.pickle_exec_state import exec_state_rule

    name = f"{module}.{qualname}"
    if not module or not qualname or len(name) > 300:
        raise _Bad(f"node names an empty or oversized type {name[:80]!r}")
    v = policy.classify(module, qualname)
    what = _HOW[how]
    if v.status == allowlist.DANGER:
        sev = v.severity or Severity.CRITICAL
        yield DANGEROUS, name, (sev, f"{what}; {v.category}: {v.why}"[:300])
    elif v.status in (allowlist.UNKNOWN, allowlist.DUNDER):
        yield NOT_ALLOWED, name, (Severity.HIGH, f"{what}; not on the allowlist")
    elif _argument_rule(policy, name):
        yield NOT_ALLOWED, name, (Severity.HIGH, f"{what}; {_ARGS_WHY}")
    elif v.status == allowlist.REF_ONLY and how != "ref":
        yield NOT_ALLOWED, name, (Severity.HIGH, f"{what}; allowed only as a reference")
    elif how == "call" and (name in policy.value_only or name in policy.new_only):
        yield NOT_ALLOWED, name, (Severity.HIGH, f"{what}; allowed only as a value or by __new__")
    elif how in ("call", "new") and (index_proof.tracked(name) or exec_state_rule(name)):
        yield NOT_PROVEN, name, (Severity.HIGH, f"{what}; its fields are not proven safe")


_ARGS_WHY = "allowed in pickles only with arguments Airlock checks there, not in a skops file"


def _argument_rule(policy: allowlist.Policy, name: str) -> bool:
    """A name the pickle policy allows only with checked arguments (``calls_args``: what it
    calls, e.g. ``copyreg.__newobj__(cls, ...)``; ``match_args``, ``import_args``,
    ``nested_args``). skops files have no such check, and skops itself never writes these names
    (its constructor calls are of the object's own class), so any use is refused."""
    return (
        name in policy.calls_args
        or name in policy.match_args
        or name in policy.import_args
        or name in policy.nested_args
    )
