"""The contract between the scan engine and one format handler (one module per format).

The engine wraps every object (a file on disk, or an archive member / decompressed stream in
memory) in a :class:`Source`, asks each registered handler in order whether it ``sniff``\\s the
object (magic bytes and structure, never the file name), hands it to the first that does, and
recurses into the :class:`Child` objects the handler returns. Handlers never execute or import
anything from the object: they only read bytes.

Writing a handler (see ``airlock.scan.registry``)::

    class GgufHandler:
        name = "gguf"
        def sniff(self, src: Source) -> bool:
            return src.head.startswith(b"GGUF")
        def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
            ...  # read with src.read_at / src.view(), never more than the limits allow
            return ScanOutcome(format="gguf", findings=[...])

An object that claims the handler's format and does not parse as it is reported one way: the
handler raises :class:`FormatProblem` (:class:`Unparseable` to name the format's own rule and
keep what was found before the break), and the engine records a finding of a not-judged rule
and the object as not scanned, which denies. A budget that stops the reading returns
``ScanOutcome(not_scanned=...)``. Either way the object is never "clean".
"""

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

# Byte sources and budgets live in ``airlock.formats.source`` (below the readers that use them);
# re-exported here as part of the handler contract.
from airlock.formats.source import (
    HEAD_BYTES,
    Budget,
    FormatProblem,
    Limits,
    Source,
)
from airlock.report import Finding
from airlock.scan.format_rules import Rule

if TYPE_CHECKING:
    from airlock.scan.torch_package import PackageLayout

__all__ = ["HEAD_BYTES", "Budget", "FormatProblem", "Limits", "Source", "Unparseable"]

# The current file's deadline, per thread: parallel files each have their own (a scan never
# yields to other work on its thread; ``threading`` is loaded anyway, ``contextvars`` is not).
_LOCAL = threading.local()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Scan the current top-level file within ``seconds`` (per thread: parallel files each have
    their own)."""
    before = deadline()
    _LOCAL.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _LOCAL.deadline = before


@contextmanager
def watching_folder() -> Iterator[list[bool]]:
    """Note, for the top-level file scanned on this thread, whether a handler judged it with
    the files beside it (``note_folder_read``): ``[True]`` then. Such a verdict is not a
    function of the file's bytes and name, so it is never cached by content (``fleet.cache``)."""
    before = getattr(_LOCAL, "folder_read", None)
    seen = [False]
    _LOCAL.folder_read = seen
    try:
        yield seen
    finally:
        _LOCAL.folder_read = before


def note_folder_read() -> None:
    """The current file's verdict depends on its folder (a sibling file, its size, its
    absence): a diffusers component's shipped ``.py``, the weights a Keras config builds for,
    an MLmodel's code folder, OpenVINO/TensorFlow weight files."""
    seen: list[bool] | None = getattr(_LOCAL, "folder_read", None)
    if seen is not None:
        seen[0] = True


def deadline() -> float | None:
    """When the current file's time budget runs out (``time.monotonic``), if one is set."""
    end: float | None = getattr(_LOCAL, "deadline", None)
    return end


def out_of_time() -> bool:
    end = deadline()
    return end is not None and time.monotonic() > end


class ReadAs(NamedTuple):
    """How a container says its member is read, beyond the handler named by ``Child.hint``:
    ``torchscript``, a TorchScript archive's pickle (its ``__torch__`` class references resolve
    to code in the archive); ``records``, which stacked records a legacy tar member holds
    (``"storages"`` or ``"tensors"``); ``defined``, the ``def`` names of every code member of a
    TorchScript archive (a method call by one of them reaches the archive's own code);
    ``storage``, for a ``torch.save`` zip's ``data.pkl``: the bytes of the archive's storage
    record ``key`` (bounded by the limits and budget; raises FormatProblem), which proves
    sparse indices in range (``airlock.scan.sparse_proof``); ``package``, for a pickle of a
    ``torch.package`` archive: its module tree (a global whose module the archive ships runs
    the archive's own code, ``airlock.scan.torch_package``); ``head_only``: the bytes may be only
    the first ones of a member whose length the container checked itself (a large plain ``.npy``
    in a zip), so a reader must not take their end for the object's; ``load_run``: the archive
    runs its own code at load (``__setstate__``), which may copy any tensor the pickle rebuilds;
    ``load_costs``: per class qualname, bytes one run of its ``__setstate__`` may allocate per
    byte of the object's state and whether it reads ``CONSTANTS``
    (``torchscript_load.setstate_costs``), with ``archive_bytes`` the
    archive's size (``airlock.scan.load_cost``); ``load_calls``: per class qualname, calls one
    run of its ``__setstate__`` makes (``torchscript_load.setstate_calls``), summed per object;
    ``weight_norm``: the archive's weight-norm calls
    as attribute paths (``airlock.scan.weight_norm.Site``), judged on data.pkl's tensors."""

    torchscript: bool = False
    records: str | None = None
    defined: frozenset[str] = frozenset()
    storage: Callable[[str], bytes | memoryview] | None = None
    package: "PackageLayout | None" = None
    head_only: bool = False
    load_run: bool = False
    load_costs: "Mapping[str, tuple[float, bool]] | None" = None
    load_calls: "Mapping[str, float] | None" = None
    archive_bytes: int = 0
    weight_norm: tuple[Any, ...] = ()


class ScanContext:
    """Where an object sits: top-level ``location``, ``member`` chain inside archives (``a!b``),
    the on-disk path when the object is a real file (lets ONNX/Keras handlers look at siblings),
    nesting ``depth``, the ``limits`` and the expansion ``budget`` of the top-level file, and
    how its container said to read it (``read_as``). Immutable (``Final``: mypy rejects any
    assignment); a plain class, as a frozen dataclass compiles its methods' source at import."""

    def __init__(
        self,
        location: str,
        member: str | None = None,
        fs_path: Path | None = None,
        depth: int = 0,
        limits: Limits = Limits(),  # immutable (a NamedTuple): one shared default is safe
        budget: Budget | None = None,  # None: a fresh budget of the default limit
        read_as: ReadAs = ReadAs(),  # immutable (a NamedTuple): one shared default is safe
    ) -> None:
        self.location: Final = location
        self.member: Final = member
        self.fs_path: Final = fs_path
        self.depth: Final = depth
        self.limits: Final = limits
        self.budget: Final = Budget(Limits().max_expanded_bytes) if budget is None else budget
        self.read_as: Final = read_as

    def child(self, name: str, read_as: ReadAs | None = None) -> "ScanContext":
        member = name if self.member is None else f"{self.member}!{name}"
        return ScanContext(
            self.location, member, None, self.depth + 1, self.limits, self.budget,
            read_as or ReadAs(),
        )  # fmt: skip


class Child(NamedTuple):
    """A nested object for the engine to scan in turn.

    ``load`` produces its bytes only when the engine gets to it (so a 100-member archive never
    holds 100 members in memory); it may raise :class:`FormatProblem`. ``hint`` names the handler
    to use without sniffing (e.g. ``"pickle"`` for a PyTorch ``data.pkl`` that the loader will
    unpickle whatever it looks like); ``read_as`` how that handler reads it (the child's
    ``ScanContext.read_as``). ``size`` is the expected size when known (for reports); ``crc`` the
    CRC-32 the container recorded for the bytes (zip), checked by the engine.
    """

    name: str
    load: Callable[[], bytes | memoryview]
    size: int | None = None
    hint: str | None = None
    read_as: ReadAs = ReadAs()
    crc: int | None = None

    @staticmethod
    def of(name: str, data: bytes | memoryview, hint: str | None = None) -> "Child":
        return Child(name, lambda: data, len(data), hint)


class ScanOutcome:
    """What a handler found. ``not_scanned`` is a reason when the handler could not read the
    object completely (encrypted, too large, unsupported variant): never report such an object
    as clean. ``skipped`` lists members deliberately not read with the reason (e.g. tensor
    storages, which loaders copy as raw bytes), ``notes`` short facts for the report.
    ``data_files``: other files of the model that this object reads as raw bytes by offset
    (ONNX external data), resolved, inside the model directory and in range: the engine takes
    them for judged raw data when their own content is no known format. ``loads``: the class
    of the object a pickle loads (its first stream), when that is an object of a known class."""

    def __init__(
        self,
        format: str,
        findings: list[Finding] | None = None,
        children: list[Child] | None = None,
        not_scanned: str | None = None,
        skipped: list[tuple[str, str]] | None = None,
        notes: list[str] | None = None,
        data_files: list[Path] | None = None,
        loads: str | None = None,
    ) -> None:  # a plain class: a dataclass compiles its methods' source at import
        self.format = format
        self.findings: list[Finding] = [] if findings is None else findings
        self.children: list[Child] = [] if children is None else children
        self.not_scanned = not_scanned
        self.skipped: list[tuple[str, str]] = [] if skipped is None else skipped
        self.notes: list[str] = [] if notes is None else notes
        self.data_files: list[Path] = [] if data_files is None else data_files
        self.loads = loads  # a pickle's: the class of the object it loads, when known


class Unparseable(FormatProblem):
    """The object claims this handler's format and does not parse as it. ``rule`` is the
    format's "cannot be parsed" rule (a not-judged rule); ``partial`` what was read before the
    break (its findings and children are still reported)."""

    def __init__(self, rule: Rule, message: str, partial: ScanOutcome | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.partial = partial


class FormatHandler(Protocol):
    """One format. ``name`` is stable (it appears in reports and in ``Child.hint``)."""

    name: str

    def sniff(self, src: Source) -> bool:
        """True if this handler recognises the object, from ``src.head`` (first 4 KiB) and, when
        needed, a few small reads (``src.tail``, ``src.read_at``). Must be cheap and never raise."""
        ...

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        """Read the object and return findings, children to recurse into, or a not-scanned
        reason. Raise ``FormatProblem`` for broken structure."""
        ...
