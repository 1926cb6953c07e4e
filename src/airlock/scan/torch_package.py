"""``torch.package`` archives (``PackageExporter`` output), resolved as ``PackageImporter``
(torch/package/package_importer.py) resolves them, never loaded.

The zip's records sit under one directory (the first record's, as ``PyTorchFileReader``
takes it). ``.data/extern_modules`` lists the modules imported from the environment; every
other module a pickle names is looked up in the archive's own tree: the module tree is built
from every record's path (``a/b/c.py`` is module ``a.b.c``, ``a/b/__init__.py`` package
``a.b``, any other record's directories namespace packages), externs first (an extern name
replaces the node of its last atom). An import walks the atoms of a name from the root: an
extern node is the real module (``importlib.import_module``), a missing first atom is the real
module only for ``numpy``, ``numpy.core``, ``numpy.core._multiarray_umath`` and ``builtins``
(else the import fails), and a ``.py`` or ``__init__.py`` of the archive is compiled and run
(``exec``) on import. So a pickle global whose module is shipped and not extern runs the
archive's own code at ``load_pickle``: the design of torch.package (honest packages with their
own model classes do so; like ``trust_remote_code``), and a module shipped under the name of a
standard-library, torch or allowlisted module replaces that module for the pickle (the
exporter always externs the standard library and torch, so an honest archive never ships one).
Storages are ``.data/<key>.storage`` records, read as raw tensor bytes
(``get_storage_from_record``) for a ``("storage", type, key, location, size)`` persistent id.

:func:`scan_package` reads the archive (the PyTorch zip handler hands such an archive over
whatever else it holds: PackageImporter reads it): pickles judged with their globals resolved
through the module tree (``ReadAs.package``), the package's own modules analysed as Python,
storage records a pickle names skipped as raw bytes.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

from airlock.formats import archive, torch
from airlock.formats.source import FormatProblem
from airlock.report import Severity
from airlock.scan import engine_rules as R
from airlock.scan.format_rules import Rule
from airlock.scan.handlers.common import (
    skip_raw_record,
    storage_records,
    unique_members,
    zip_child,
    zip_problems,
)
from airlock.scan.interface import Child, ReadAs, ScanContext, ScanOutcome, Source

OWN_CODE = Rule(
    "AIR-PT-010",
    Severity.HIGH,
    "torch.package archive runs its own Python code",
    "PackageImporter.load_pickle imports every module a pickle names from the archive itself "
    "unless .data/extern_modules lists it, and runs the archive's .py source for it: loading "
    "the package runs its own code (the design of torch.package, like trust_remote_code; a "
    "package with its own model classes does so). Critical when the shipped module has the "
    "name of a standard-library, torch or allowlisted module: what reads as a safe global is "
    "the archive's code (PackageExporter always externs the standard library and torch).",
    "https://pytorch.org/docs/stable/package.html",
)

EXTERN_RECORD = ".data/extern_modules"
VERSION_RECORD = ".data/version"
# imported from the environment when not in the archive (IMPLICIT_IMPORT_ALLOWLIST)
IMPLICIT = frozenset({"numpy", "numpy.core", "numpy.core._multiarray_umath", "builtins"})
# a module name the importer answers with itself (``self.modules["torch_package_importer"]``)
IMPORTER_MODULE = "torch_package_importer"
MAX_SCANNED_PICKLE = 64 << 20  # bytes of one pickle read for its storage keys
_PKG, _MOD, _EXTERN = "package", "module", "extern"
_STRING_OPS = frozenset({"STRING", "BINSTRING", "SHORT_BINSTRING", "UNICODE", "BINUNICODE",
                         "SHORT_BINUNICODE", "BINUNICODE8"})  # fmt: skip
_INT_OPS = frozenset({"INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4"})


class _Node:
    __slots__ = ("children", "kind", "source")

    def __init__(self, kind: str, source: str | None = None) -> None:
        self.kind = kind
        self.source = source  # the record run on import (a .py or __init__.py), if any
        self.children: dict[str, _Node] = {}


def package_root(names: list[str]) -> str | None:
    """The record prefix (``"pkg/"``, as written) of a torch.package archive: the directory of
    the first record, holding ``.data/extern_modules`` and ``.data/version``; else None."""
    files = [n for n in names if not n.endswith("/")]
    if not files or "/" not in files[0]:
        return None
    root = files[0].split("/", 1)[0] + "/"
    folded = {torch.fold(n) for n in files}
    froot = torch.fold(root)
    if froot + EXTERN_RECORD in folded and froot + VERSION_RECORD in folded:
        return root
    return None


class PackageLayout:
    """The module tree of one archive. ``records`` are record names relative to the root."""

    def __init__(self, root: str, records: list[str], externs: list[str]) -> None:
        self.root = root
        self.tree = _Node(_PKG)
        self.externs = [e for e in externs if e]
        for name in self.externs:
            *prefix, last = name.split(".")
            pkg = self._package(prefix)
            if pkg is not None:
                pkg.children[last] = _Node(_EXTERN)
        # module name -> record of its source, for every .py the archive ships
        self.modules: dict[str, str] = {}
        for rec in records:
            *prefix, last = rec.split("/")
            if len(prefix) > 1 and prefix[0] == ".data":
                continue
            pkg = self._package(prefix)
            if pkg is None:
                continue  # under an extern: PackageImporter refuses the archive
            if last == "__init__.py":
                pkg.source = rec
                self.modules[".".join(prefix)] = rec
            elif last.endswith(".py"):
                pkg.children[last[:-3]] = _Node(_MOD, rec)
                self.modules[".".join([*prefix, last[:-3]])] = rec

    def _package(self, atoms: list[str]) -> _Node | None:
        cur = self.tree
        for atom in atoms:
            node = cur.children.get(atom)
            if node is None:
                node = cur.children[atom] = _Node(_PKG)
            if node.kind != _PKG:
                return None  # an extern (or a module used as a package: refused by torch)
            cur = node
        return cur

    def own_module(self, dotted: str) -> tuple[str, str] | None:
        """``(module, record)`` of the archive's own code that importing a global named
        ``dotted`` (``module.qualname``) runs, or None (an extern, an implicitly imported
        module, a namespace package or a name that does not import)."""
        cur = self.tree
        atoms = dotted.split(".")
        if atoms[0] == IMPORTER_MODULE:  # the PackageImporter itself: imports archive modules
            return IMPORTER_MODULE, "PackageImporter (import_module loads any module it ships)"
        for i, atom in enumerate(atoms):
            node = cur.children.get(atom)
            if node is None or node.kind == _EXTERN:
                return None
            if node.source is not None:
                return ".".join(atoms[: i + 1]), node.source
            if node.kind != _PKG:
                return None
            cur = node
        return None

    def shadowed(self, module: str, name: str | None = None) -> str | None:
        """What the archive's ``module`` passes itself off as: a standard-library or torch
        module (PackageExporter externs those), or an allowlisted global (``name``)."""
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in ("builtins", "__builtin__"):
            return "standard-library module"
        if top == "torch":
            return "torch module"
        from airlock.scan.allowlist import ALLOW, REF_ONLY, default_policy

        if name and default_policy().classify("", name).status in (ALLOW, REF_ONLY):
            return "allowlisted global"
        return None


def storage_keys(data: bytes | memoryview) -> set[str]:
    """Every string and integer constant of a pickle, as text (its persistent ids' storage
    keys among them: ``f"{key}.storage"``), read
    opcode by opcode (``pickletools.genops``: nothing is built or imported); up to a break."""
    import pickletools  # torch.package archives only

    found: set[str] = set()
    ops = pickletools.genops(io.BytesIO(bytes(data)))
    while True:
        try:
            op, arg, _pos = next(ops)
        except StopIteration:
            break
        except Exception:  # a damaged stream (ValueError, ...): the keys read so far
            break
        if op.name in _STRING_OPS and isinstance(arg, (str, bytes)) and len(arg) <= 64:
            found.add(arg if isinstance(arg, str) else arg.decode("latin-1"))
        elif op.name in _INT_OPS and type(arg) is int and 0 <= arg < 1 << 63:
            found.add(str(arg))  # the exporter's keys are ints (f"{key}.storage")
    return found if "storage" in found else set()  # no ("storage", ...) persistent id


# --- the archive -----------------------------------------------------------------------------

_RECORDS = (".data/version", ".data/python_version", ".data/serialization_id", "byteorder")
_MAX_EXTERN_BYTES = 4 << 20


def scan_package(src: Source, ctx: ScanContext, listing: archive.ZipListing) -> ScanOutcome:
    """One torch.package archive (``package_root`` of its names is not None)."""
    root = package_root(listing.names())
    out = ScanOutcome(format="torch-package")
    if root is None:
        out.not_scanned = "not a torch.package archive"
        return out
    zip_problems(src, listing, ctx, out)
    for group in torch.case_clashes(listing.names()):
        evidence = ", ".join(repr(n) for n in group[:4])[:200]
        out.findings.append(R.TORCH_CASE_CLASH.finding(ctx.location, evidence, member=ctx.member))
    files = [m for m in listing.members if not m.is_dir]
    froot = torch.fold(root)
    by_folded: dict[str, list[archive.ZipMember]] = {}
    for m in files:
        by_folded.setdefault(torch.fold(m.name), []).append(m)
    layout = PackageLayout(
        root,
        [m.name[len(root) :] for m in files if m.name.startswith(root)],
        _externs(src, ctx, by_folded.get(froot + EXTERN_RECORD, [])),
    )
    for module, record in sorted(layout.modules.items()):
        top = module.split(".")[0]
        posing = layout.shadowed(top)
        if posing in ("standard-library module", "torch module"):
            ev = (
                f"ships {record} as module {module!r}, a {posing}: PackageImporter imports"
                " it from the archive in place of the real one (PackageExporter always"
                " externs these)"
            )
            out.findings.append(
                OWN_CODE.finding(ctx.location, ev, member=ctx.member, severity=Severity.CRITICAL)
            )
    # pickles: read here for their storage keys, then handed on with the module tree
    storage = storage_records(src, ctx, by_folded, froot, ".data/{key}.storage")
    read_as = ReadAs(package=layout, storage=storage)
    keys: set[str] = set()
    pickles: dict[str, Child] = {}
    for m in files:
        rel = m.name[len(root) :] if m.name.startswith(root) else None
        if rel is None or rel.endswith(".py") or rel.startswith(".data/"):
            continue
        if not (rel.endswith(".pkl") or archive.member_head(src, m, 1) == b"\x80"):
            continue
        hint = "pickle" if rel.endswith(".pkl") else None
        if m.size > MAX_SCANNED_PICKLE:
            pickles[m.name] = zip_child(src, m, ctx, hint=hint, read_as=read_as)
            continue
        try:
            data = archive.member_data(src, m, ctx.limits, ctx.budget)
        except FormatProblem:
            pickles[m.name] = zip_child(src, m, ctx, hint=hint, read_as=read_as)
            continue
        keys |= storage_keys(data)
        pickles[m.name] = Child(m.name, _const(data), m.size, hint, read_as, crc=m.crc)
    storages = frozenset(
        m.name
        for m in files
        if m.name.startswith(root)
        and (rel := m.name[len(root) :]).startswith(".data/")
        and rel.endswith(".storage")
        and rel[len(".data/") : -len(".storage")] in keys
    )

    def role(m: archive.ZipMember) -> int:
        return m.name in pickles

    for m in unique_members(listing, out, storages, role):
        if m.is_dir:
            continue
        if m.name in storages:
            skip_raw_record(m, ctx, out)
        elif m.name in pickles:
            out.children.append(pickles[m.name])
        elif m.name.startswith(root) and m.name[len(root) :] in _RECORDS and m.size <= 4096:
            out.children.append(zip_child(src, m, ctx, hint="torch-record"))
        elif m.name.startswith(root) and m.name[len(root) :] == EXTERN_RECORD:
            # module names, decoded as UTF-8 text (a sniff could take "c..." for a pickle)
            out.children.append(zip_child(src, m, ctx, hint="text"))
        else:  # load_pickle reads any resource: one sniffed as a pickle resolves the same way
            out.children.append(zip_child(src, m, ctx, read_as=read_as))
    out.notes.append(
        f"torch.package: {len(layout.modules)} own module(s), {len(layout.externs)} extern,"
        f" {len(pickles)} pickle(s), {len(storages)} storage record(s)"
    )
    return out


def _const(data: bytes | memoryview) -> Callable[[], bytes | memoryview]:
    return lambda: data


def _externs(src: Source, ctx: ScanContext, found: list[archive.ZipMember]) -> list[str]:
    """``.data/extern_modules``, one module a line (as ``str.splitlines``); unreadable or
    duplicated: none (every global is then judged as the archive's or the environment's)."""
    if len(found) != 1 or found[0].size > _MAX_EXTERN_BYTES:
        return []
    try:
        raw = archive.member_data(src, found[0], ctx.limits, ctx.budget)
    except FormatProblem:
        return []
    return bytes(raw).decode("utf-8", "replace").splitlines()
