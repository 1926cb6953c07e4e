"""The pickle policy as data: which callables a pickle may name, and which are critical.

The policy lives in ``data/pickle_allowlist.json`` (versioned, reviewed like code, no logic in it)
so that adding a safe constructor never means editing the analyser. This module only loads the
JSON and answers one question, ``classify(module, qualname)`` for a resolved global.

Order of decisions (first match wins):

1. exact allowlisted name -> ``ALLOW`` (or ``REF_ONLY`` for names that may be referenced but must
   not be called, e.g. ``numpy.memmap``);
2. an allowlisted prefix (only ``__torch__.``: names no Python unpickler can import);
3. a dangerous name, module or submodule -> ``DANGER`` with the category's severity. A dotted
   attribute path is checked at every component, so ``torch`` + ``os.system`` is ``os.system``;
4. a dunder component after the module (``x.__class__.__subclasses__``) -> ``DUNDER``;
5. anything else -> ``UNKNOWN``: a high finding, so it blocks at the gate (an allowlist scanner
   fails closed; the policy file can allow a reviewed name).

A group may store its names as ``names_text`` (whitespace-separated, each after ``names_prefix``)
instead of a ``names`` array: the 8,700 transformers classes decode as one string and are split
into the lookup table only when a name with that prefix first misses it (step 1 still sees them
first). No name is listed in two groups, so a name's group label does not depend on that order.
"""

import _compat_pickle
import json
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from airlock.report import Severity

ALLOW = "allow"
REF_ONLY = "ref-only"
DANGER = "danger"
DUNDER = "dunder"
UNKNOWN = "unknown"


TORCHBIND_PREFIX = "__torch__.torch.classes."


def native_torchbind(name: str) -> bool:
    """A TorchBind class outside the namespaces the TorchScript policy allows: registered by a
    native library, its C++ ``__setstate__`` runs when the unpickler builds it, so it is no
    class of the archive's code/ (session 18, rt19ts: ``__torch__.torch.classes.aten.
    OpaqueObject`` in constants.pkl ran ``pickle.loads`` of its base64 state inside
    ``torch.jit.load`` while the ``__torch__.`` prefix allowed it)."""
    if not name.startswith(TORCHBIND_PREFIX):
        return False
    from airlock.scan.torch_ops import policy  # the TorchScript operator policy, cached

    return name[len(TORCHBIND_PREFIX) :].split(".", 1)[0] not in policy().torchbind_namespaces


class Verdict(NamedTuple):
    """How the policy judges one resolved name."""

    status: str
    name: str
    severity: Severity | None = None
    category: str = ""
    why: str = ""
    reference: str | None = None
    matched: str = ""


class _DangerEntry:
    __slots__ = ("category", "reference", "severity", "why")  # plain: no source compiled

    def __init__(self, severity: Severity, category: str, why: str, reference: str | None) -> None:
        self.severity = severity
        self.category = category
        self.why = why
        self.reference = reference


def group_names(group: Mapping[str, Any]) -> list[str]:
    """An allow or ref_only group's names, whether stored as ``names`` or ``names_text``."""
    if "names_text" in group:
        prefix = str(group.get("names_prefix", ""))
        return [prefix + n for n in str(group["names_text"]).split()]
    return list(group.get("names", []))


class _Names:
    """A set of names for ``in`` tests whose ``names_text`` groups are split on first need: the
    8,742 transformers classes are only split when a name under their prefix is asked about,
    not at the start-up of every scan (7 ms)."""

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._lazy: list[tuple[str, Mapping[str, Any]]] = []
        self._lock = threading.Lock()

    def add(self, names: Iterable[str]) -> None:
        self._names.update(names)

    def add_group(self, group: Mapping[str, Any]) -> None:
        if "names_text" in group:
            self._lazy.append((str(group.get("names_prefix", "")), group))
        else:
            self._names.update(group_names(group))

    def __contains__(self, name: object) -> bool:
        if name in self._names:
            return True
        if not self._lazy or not isinstance(name, str):
            return False
        with self._lock:
            load = [g for p, g in self._lazy if name.startswith(p)]
            for g in load:
                self._names.update(group_names(g))
            self._lazy = [(p, g) for p, g in self._lazy if all(g is not x for x in load)]
        return name in self._names


class Policy:
    """A loaded allowlist/danger table (see module docstring for the decision order)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.version = str(doc.get("version", "unknown"))
        self.allowed: dict[str, str] = {}
        # (names_prefix, group) of names_text groups not yet split into ``allowed``
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        for group in doc.get("allow", []):
            if "names_text" in group:
                self._pending.append((str(group.get("names_prefix", "")), group))
            else:
                self.allowed.update(dict.fromkeys(group["names"], group["group"]))
        self.prefixes: tuple[str, ...] = tuple(p["prefix"] for p in doc.get("allow_prefixes", []))
        self.ref_only: frozenset[str] = frozenset(
            n for group in doc.get("ref_only", []) for n in group_names(group)
        )
        # allowed as values (an estimator parameter such as FunctionTransformer(np.log1p)), but
        # a call at load time is a finding: ufuncs, clip and mean can write into an argument
        # (their out), e.g. into an index array AIR-PKL-017 has already proven
        # ``partial_ok`` entries: a functools.partial of one handed on is called by model code
        # at use (an activation), not at load; the partial called at load is still a finding
        value_only: set[str] = set()
        value_partial_ok: set[str] = set()
        for entry in doc.get("value_only", []):
            names: set[str] = set(entry.get("names", ()))
            for g in doc.get("allow", []):
                if g.get("group") in entry.get("groups", ()):
                    names.update(group_names(g))
            value_only.update(names)
            if entry.get("partial_ok") is True:  # JSON true only, as for new_only below
                value_partial_ok.update(names)
        self.value_only: frozenset[str] = frozenset(value_only)
        self.value_only_partial_ok: frozenset[str] = frozenset(value_partial_ok)
        # allowed when built the way pickle saves an instance (NEWOBJ: cls.__new__, then state)
        # or as a value; any other call runs the class's __init__ with the pickle's arguments
        # ``partial_ok: true`` entries (JSON true only: a policy's "false" is no yes): classes
        # whose __init__ only allocates by its arguments (no files, no network): a
        # functools.partial of one that escapes (timm's partial(nn.LayerNorm, eps=1e-6)) is
        # called by model code at use, not at load
        self.new_only = _Names()
        self.new_only_partial_ok = _Names()
        for entry in doc.get("new_only", []):
            ok = entry.get("partial_ok") is True
            sets = [self.new_only] + ([self.new_only_partial_ok] if ok else [])
            for s in sets:
                s.add(entry.get("names", ()))
                for g in doc.get("allow", []):
                    if g.get("group") in entry.get("groups", ()):
                        s.add_group(g)
        self.calls_args: dict[str, tuple[int, ...]] = {
            k: tuple(v) for k, v in doc.get("calls_args", {}).items() if not k.startswith("_")
        }
        # name -> (module arg, name arg): the call imports module.name; allowed only when both
        # are constant strings naming an allowed global (e.g. kernels' _rebuild_kernel_func).
        self.import_args: dict[str, tuple[int, int]] = {
            k: (int(v[0]), int(v[1]))
            for k, v in doc.get("import_args", {}).items()
            if not k.startswith("_")
        }
        # name -> arg: the call deserialises that byte string (torch.storage._load_from_bytes);
        # allowed only when the bytes are in the pickle and handed to the engine to judge.
        self.nested_args: dict[str, int] = {
            k: int(v) for k, v in doc.get("nested_args", {}).items() if not k.startswith("_")
        }
        # name -> ((arg, regex), ...): each argument a constant str matching in full (compiled
        # by ``re`` when first used: most pickles call none of these); a null regex: the
        # argument must be None (dateutil's tzfile opens a string there as a path).
        self.match_args: dict[str, tuple[tuple[int, str | None], ...]] = {
            k: tuple((int(i), None if rx is None else str(rx)) for i, rx in v.items())
            for k, v in doc.get("match_args", {}).items()
            if not k.startswith("_")
        }
        # class -> (pickle opcodes that may add items to its instances, keys must be plain
        # attribute names, only before any BUILD of the object): the class's __setitem__ /
        # extend / append / add only store. An item added to any other object runs that
        # object's own method (AIR-PKL-019).
        self.item_targets: dict[str, tuple[frozenset[str], bool, bool]] = {}
        for entry in doc.get("item_targets", []):
            ops = frozenset(str(o) for o in entry["ops"])
            keys = bool(entry.get("identifier_keys", False))
            before = bool(entry.get("before_build", False))
            for n in entry["names"]:
                self.item_targets[str(n)] = (ops, keys, before)
        self.exact: dict[str, _DangerEntry] = {}
        self.modules: dict[str, _DangerEntry] = {}
        for cat in doc.get("dangerous", []):
            entry = _DangerEntry(
                Severity.parse(cat["severity"]), cat["category"], cat["why"], cat.get("reference")
            )
            for name in cat.get("names", []):
                self.exact[name] = entry
            for mod in cat.get("modules", []):
                self.modules[mod] = entry
        self.classify = lru_cache(maxsize=8192)(self._classify)

    def _load_pending(self, name: str | None) -> None:
        """Split the names_text groups whose prefix ``name`` starts with (all when ``None``)."""
        with self._lock:
            load = [g for p, g in self._pending if name is None or name.startswith(p)]
            if not load:
                return
            table: dict[str, str] = {}
            for group in load:
                table.update(dict.fromkeys(group_names(group), group["group"]))
            table.update(self.allowed)  # a swap, never a resize under a concurrent reader
            self.allowed = table
            self._pending = [(p, g) for p, g in self._pending if all(g is not x for x in load)]

    def allowed_names(self) -> list[str]:
        """Every exactly allowlisted name (splits the names_text groups)."""
        self._load_pending(None)
        return list(self.allowed)

    def _danger(self, parts: list[str]) -> tuple[str, _DangerEntry] | None:
        # Exact names first (longest first), then module prefixes (shortest first: ``os`` wins).
        for end in range(len(parts), 0, -1):
            cand = ".".join(parts[:end])
            hit = self.exact.get(cand)
            if hit is not None:
                return cand, hit
        for end in range(1, len(parts) + 1):
            cand = ".".join(parts[:end])
            hit = self.modules.get(cand)
            if hit is not None:
                return cand, hit
        return None

    def _classify(self, module: str, qualname: str) -> Verdict:
        name = f"{module}.{qualname}" if module else qualname
        if name in self.ref_only:
            return Verdict(REF_ONLY, name)
        if name in self.allowed:
            return Verdict(ALLOW, name, matched=self.allowed[name])
        if self._pending:
            self._load_pending(name)
            if name in self.allowed:
                return Verdict(ALLOW, name, matched=self.allowed[name])
        if self.prefixes and name.startswith(self.prefixes) and not native_torchbind(name):
            return Verdict(ALLOW, name, matched="prefix")
        mod_parts = module.split(".") if module else []
        parts = mod_parts + qualname.split(".")
        hit = self._danger(parts)
        # An attribute path can walk through modules the first module imported: ``torch`` +
        # ``os.system`` is ``os.system``. Check every suffix that starts inside the attribute
        # path and still names ``module.attribute`` (two or more components).
        start = max(len(mod_parts), 1)
        while hit is None and start <= len(parts) - 2:
            hit = self._danger(parts[start:])
            start += 1
        if hit is not None:
            cand, entry = hit
            return Verdict(
                DANGER, name, entry.severity, entry.category, entry.why, entry.reference, cand
            )
        if any(
            len(p) > 4 and p.startswith("__") and p.endswith("__") for p in parts[len(mod_parts) :]
        ):
            if len(parts) - len(mod_parts) > 1:
                return Verdict(DUNDER, name, Severity.HIGH, "attribute-traversal")
        return Verdict(UNKNOWN, name, Severity.HIGH)


def canonical(module: str, name: str) -> tuple[str, str]:
    """``(module, name)`` after the Python 2 -> 3 renames unpicklers apply to old pickles."""
    key = (module, name)
    mapped = _compat_pickle.NAME_MAPPING.get(key)
    if mapped is not None:
        module, name = mapped
    else:
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    return module, name


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The policy shipped with Airlock (``airlock/scan/data/pickle_allowlist.json``)."""
    # a plain read (importlib.resources costs ~5 ms of start-up; the package ships as files),
    # as bytes: a text-mode read translates newlines chunk by chunk, ~8x slower for 0.5 MB
    data = (Path(__file__).parent / "data" / "pickle_allowlist.json").read_bytes()
    doc: dict[str, Any] = json.loads(data.decode("utf-8"))
    return Policy(doc)
