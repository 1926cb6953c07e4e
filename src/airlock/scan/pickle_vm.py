"""Symbolic pickle machine: judge every callable a pickle would run, without running any.

The machine replays the opcode stream the way CPython's unpickler does (stack, marks, memo,
frames, several pickles in a row, joblib's raw array bytes in the middle of the stream) but
every global is a symbol, every call produces a symbol, and every symbol is judged against the
policy in :mod:`airlock.scan.allowlist`. A value that reaches code which may call it (an
argument, a BUILD state, an item set on an object, the loaded result) is judged as if called with
arguments we cannot see: names safe only as direct calls with known arguments (reference-only,
nested-load helpers, getattr, partial) are findings there, wherever the memo brings them.
Plain data (ints, strings, tuples, dicts) is kept concretely, within bounds, because attackers
build callables from data: ``STACK_GLOBAL`` with strings from the memo,
``getattr(__import__('os'), 'system')``, ``operator.attrgetter`` chains.

Where a real loader would raise, we note it (a malformed stream is itself a finding) and keep
going when we can: findings after the break cost nothing, and judging what came *before* the
break is what catches nullifAI-style broken pickles. We stop only when the bytes can no longer be
decoded (invalid opcode, truncation) or a limit is hit.

Public API: :func:`analyze_pickle`, :class:`PickleAnalysis`, :data:`RULES`.
"""

from __future__ import annotations

import gc
import re
import sys
from functools import lru_cache
from typing import Any

from airlock.formats import pickle_ops as ops
from airlock.formats.pickle_ops import (
    F64BE,
    I32,
    IS_OPCODE,
    U16,
    U32,
    U64,
    PickleParseError,
    decode_text,
    read_line,
)
from airlock.formats.ranged import LazyBytes, Paged
from airlock.report import Finding, Severity
from airlock.scan import estimator_proof as ep
from airlock.scan import gensim_specials, load_cost, pickle_hooks, pickle_keys, pil_state
from airlock.scan import index_proof as ip
from airlock.scan import pandas_cat as pcat
from airlock.scan import pandas_proof as pdp
from airlock.scan import pickle_alloc as palloc
from airlock.scan import pickle_arrow as arrow
from airlock.scan import sparse_proof as sp
from airlock.scan.allowlist import (
    ALLOW,
    DANGER,
    DUNDER,
    REF_ONLY,
    Policy,
    Verdict,
    canonical,
    default_policy,
)
from airlock.scan.interface import Limits, out_of_time
from airlock.scan.pickle_exec_state import (
    SPEC_KEY,
    SPEC_KEYS,
    SPEC_WHY,
    chat_template,
    exec_state_rule,
    spec_bytes,
)
from airlock.scan.pickle_rules import GHSA, RULE_SEVERITY, RULES
from airlock.scan.pickle_values import (
    DTYPES,
    K_DYN,
    K_GLOBAL,
    K_MODULE,
    K_OBJ,
    PDict,
    PSet,
    Span,
    Sym,
    describe,
    dtype_fields,
    dtype_layout,
    dtype_new,
    dtype_setstate,
    dtype_str,
    nested_kind,
    not_a_str,
    persistent_value,
    plausible_pickle,
)

__all__ = ["RULES", "PickleAnalysis", "analyze_pickle"]

_SMALL_BYTES = 256  # byte strings up to this size are kept; larger ones become spans
_SMALL_STR = 64 * 1024  # text up to this size is decoded; larger becomes a span
_MAX_STACK = 2_000_000
MAX_DISTINCT_FINDINGS = 10_000  # past it: a limit finding (not scanned), bounded memory
_MAX_ITEMS = 4_000_000  # container items kept concretely across one analysis
_NESTED_MIN = 8
_MAX_WALK = 64_000_000  # container items visited judging values that reach called code
_EVIDENCE_MAX = 200

# torch.ScriptObject.__setstate__((state, qualname)) builds the TorchBind class ``qualname``
# (any class a loaded library registered). Allowed: eager quantization's packed parameters,
# whose C++ __setstate__ re-packs tensors with shape checks (not sparse.LinearPackedParamsBase:
# its block-sparse indices are trusted; not aten.OpaqueObject or the c10d/profiling classes).
_SCRIPT_OBJECT = "torch.ScriptObject"
_TORCHBIND_CLASSES = frozenset(
    f"__torch__.torch.classes.{n}"
    for n in (
        "quantized.LinearPackedParamsBase",
        "quantized.Conv2dPackedParamsBase",
        "quantized.Conv3dPackedParamsBase",
        "quantized.EmbeddingPackedParamsBase",
        "rnn.CellParamsBase",
    )
)
_WRAPPERS = frozenset(
    {
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
    }
)
_WRAPPER_FIELDS = (
    "subclass",
    "shape",
    "order",
    "dtype",
    "allow_mmap",
    "numpy_array_alignment_bytes",
)
_GETATTR = "builtins.getattr"
_UFUNC_RECONSTRUCT = frozenset({"numpy.core._ufunc_reconstruct", "numpy._core._ufunc_reconstruct"})
_IMPORTERS = frozenset({"builtins.__import__", "importlib.import_module", "importlib.__import__"})
_NAME_RESOLVERS = frozenset({"pkgutil.resolve_name", "pydoc.locate"})
_ATTRGETTERS = frozenset({"operator.attrgetter", "_operator.attrgetter"})
_METHODCALLERS = frozenset({"operator.methodcaller", "_operator.methodcaller"})
_PARTIALS = frozenset({"functools.partial", "_functools.partial"})
# review19: what torch.load's rebuilds hand a tensor to without computing on it (the view is
# stored, wrapped or re-typed); any other callable handed a view larger than its storage is
# AIR-PKL-009 (OrderedDict(view) would iterate it: one tensor object per row).
# functools.partial objects: their function is judged when the partial is called.
_VIEW_KEEPERS = frozenset(
    {
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._tensor._rebuild_from_type_v2",
        "torch._tensor._rebuild_from_type",
        "torch.jit._pickle.build_tensorlist",
        "torch.jit._pickle.restore_type_tag",
    }
    | _PARTIALS
)
_LIST_FLOOR = 64 << 20  # bytes object-list array states may allocate in any pickle
_LIST_RATIO = 8  # and per byte of the pickle (an object pointer per 1-byte NONE)
# fixalloc19: container constructors that iterate their argument (list(tensor): an object per
# element) and what makes a tensor or array (checked as their direct arguments)
_ITERATING = frozenset(
    {
        "builtins.list",
        "builtins.tuple",
        "builtins.set",
        "builtins.frozenset",
        "builtins.dict",
        "collections.deque",
        "collections.Counter",
        "collections.OrderedDict",
        "collections.defaultdict",
        "torch.Size",
    }
)
# rt21pk: constructors among those that hash their items (a set's) or keys (a dict's pairs)
_SET_MAKERS = frozenset({"builtins.set", "builtins.frozenset", "collections.Counter"})
_HASHING = _SET_MAKERS | frozenset(
    {"builtins.dict", "collections.OrderedDict", "collections.defaultdict"}
)
_TENSORS = ("torch._utils._rebuild_", "torch._tensor._rebuild_")
_CHAINMAP = "collections.ChainMap"
# rt23pk: torch rebuilds that setattr() every key of their state argument (_set_obj_state)
_OBJ_STATE_SETTERS = frozenset(
    {"torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2"}
)
# rt23pk: objects whose second BUILD other rules judge (an array's state set twice is not
# proven; a dtype's is read as numpy does)
_RESTATED = ip.RECONSTRUCT | DTYPES | _WRAPPERS
_MAP_DEPTH = 8  # mappings inside mappings followed for the keys they hold (deeper: unknown)
_MAP_VIEW_ITEMS = 1 << 20  # keys read from the mappings a state holds (more: unknown)
_FRAME_SLACK = 64 << 20  # bytes a FRAME may declare past the data before it counts as an ask
_MEMO_SLACK = 1 << 16  # memo indices past half the pickle's bytes + this are not a saver's
_WORK_FLOOR = 1 << 22  # container items any pickle may have the loader walk (rt22pk)
# rt21pk: rebuilds that convert an array to a dtype the pickle names, and that dtype's width
_DEVICE_REBUILDS = frozenset(
    {
        "torch._utils._rebuild_device_tensor_from_numpy",
        "torch._utils._rebuild_device_tensor_from_cpu_tensor",
    }
)
_TORCH_ITEMSIZE = {
    f"torch.{n}": w
    for w, names in (
        (1, "bool uint8 int8 quint8 qint8 float8_e4m3fn float8_e5m2"),
        (2, "int16 short uint16 float16 half bfloat16"),
        (4, "int32 int uint32 float32 float qint32 complex32 chalf"),
        (8, "int64 long uint64 float64 double complex64 cfloat"),
        (16, "complex128 cdouble"),
    )
    for n in names.split()
}
_QTENSOR_UNSHOWN = 1 << 28
_PACKED_Q = {"QUInt4x2Storage": 2, "QUInt2x4Storage": 4}  # quantized elements per byte
# rt21pk: callables that walk their argument all the way down (a str renders it, numpy's scalar
# types and polynomial classes convert it to an array)
_RENDERS = frozenset(
    {"builtins.str", "numpy.str_", "numpy.unicode_", "torch.torch_version.TorchVersion"}
)
_DEEP_WALKERS = _RENDERS | frozenset(
    f"numpy.{n}"
    for n in (
        "bool bool8 bool_ byte bytes_ cdouble clongdouble complex128 complex64 complex_ "
        "csingle datetime64 double float16 float32 float64 float_ half int16 int32 int64 int8 "
        "int_ intc intp longdouble longlong object_ short single string_ timedelta64 ubyte "
        "uint16 uint32 uint64 uint8 uintc uintp ulonglong ushort record void poly1d "
        "lib._polynomial_impl.poly1d polynomial.polynomial.Polynomial "
        "polynomial.chebyshev.Chebyshev polynomial.hermite.Hermite polynomial.hermite_e.HermiteE "
        "polynomial.laguerre.Laguerre polynomial.legendre.Legendre"
    ).split()
)
_DEEP_EDGES = 1 << 22  # references followed per call (more: counted as unbounded)
_UNBOUNDED = 1 << 62  # elements a quantized tensor over an unshown storage may claim
_ARRAY_MAKERS = (
    ip.RECONSTRUCT
    | ip.FROMBUFFER
    | {"numpy.ndarray", "torch.Tensor", "torch.nn.parameter.Parameter", "torch.nn.parameter.Buffer"}
)
_HOLDS_DEPTH = 16  # containers walked deep for ranges and views (deeper: counted as holding)
_HOLDS_ITEMS = 4096  # items walked per argument list (more: counted as holding)
# Judged by how they are used rather than by being named: getattr is how pickle stores
# torch.tanh, partial wraps layer classes (timm), numpy 1.x stores ufuncs through
# _ufunc_reconstruct(module, name). Harmless when what they reach is allowed; critical otherwise.
_DEFERRED = frozenset({_GETATTR}) | _PARTIALS | _UFUNC_RECONSTRUCT
_HOW_CALLABLE = {
    "getattr": _GETATTR,
    "attrgetter": "operator.attrgetter",
    "methodcaller": "operator.methodcaller",
}
# objects whose own call runs a function the pickle chose
_CALLABLE_OBJS = _PARTIALS | _ATTRGETTERS | _METHODCALLERS
_MISSING = object()  # an argument a call does not have (None is a value: match_args' null)
_MAX_HOOK_STATES = 4096  # states kept for pickle_hooks (more: AIR-PKL-009)
_NEWOBJS = frozenset({"NEWOBJ", "NEWOBJ_EX"})  # how pickle builds an instance: cls.__new__ only
_COPYREG_NEWOBJS = frozenset({"copyreg.__newobj__", "copyreg.__newobj_ex__"})
_COPY_MIN = 4096  # payloads smaller than this are not charged (copy_cost)
_COPY_FLOOR = 64 << 20  # bytes calls may copy from reused payloads beyond the pickle's size
# torch's rebuild helpers that wrap a tensor without copying it
_NO_COPY = frozenset(
    {
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._tensor._rebuild_from_type_v2",
        "torch.nn.parameter.Parameter",
        "torch.nn.parameter.Buffer",
    }
)
_PARTIAL_ESCAPE = "functools.partial in "  # how partial_escapes judges a partial handed on
_LATIN1 = frozenset({"latin1", "latin-1", "latin_1", "iso-8859-1", "iso8859-1", "l1", "8859"})


class _Hard(Exception):
    """The bytes cannot be decoded further (or a limit was hit).

    ``cut`` says whether the break can come from where the bytes end (a truncated argument, no
    STOP): past the analysis cap such a break is the cap's doing, not the stream's. A byte that
    is no opcode or an opcode with too few stack items breaks every unpickler right there,
    wherever the bytes end."""

    def __init__(
        self, message: str, offset: int, rule: str = "AIR-PKL-005", *, cut: bool = True
    ) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.rule = rule
        self.cut = cut


class _Abort(Exception):
    """A speculative parse of bytes after a STOP turned out not to be a pickle."""


class PickleAnalysis:
    """What one pickle stream (possibly several pickles in a row) would do when loaded.

    ``callables`` lists every resolved global once, in order of first appearance.
    ``end_offset`` is the byte just after the last opcode consumed (trailing non-pickle data
    starts there). ``error`` is set when the stream could not be decoded to the end; the
    findings still judge everything before the break. ``nested`` holds byte strings that look
    like pickles, zip archives or .npy files (``("bytes@<offset>", data)``) for the engine.
    """

    def __init__(self) -> None:  # a plain class: no method source compiled at import
        self.findings: list[Finding] = []
        self.callables: list[str] = []
        self.pickles = 0
        self.end_offset = 0
        self.error: str | None = None
        self.nested: list[tuple[str, bytes]] = []
        self.sparse: list[Any] = []  # see _Collector.sparse
        self.overlaps: list[Any] = []  # see _Collector.overlaps
        self.ts_builds: list[tuple[str, int]] = []  # see _Collector.ts_builds
        self.ts_states: list[tuple[str, Any]] = []  # see _Collector.ts_states
        self.sparse_proven = 0  # sparse rebuilds proven in range (handlers.common.analyze)
        self.global_at: set[int] = set()  # offsets of every global resolved (see _Collector)
        self.first_at: dict[str, int] = {}  # where each global was first resolved
        self.parts_at: dict[int, tuple[str, str]] = {}  # module and name strings, by offset
        # the class of the object pickle.load returns (the first stream's), when it is one
        self.loads: str | None = None


_MAX_OVERLAPS = 10  # overlapping tensor views kept per pickle (one is enough to report)
_MAX_TEMPLATES = 100  # distinct chat templates judged in one pickle


class _Collector:
    """Deduplicated findings, callables and nested payloads for one analysis."""

    def __init__(self, location: str, member: str | None, limits: Limits) -> None:
        self.location = location
        self.member = member
        self.limits = limits
        self.hits: dict[tuple[str, str], list[Any]] = {}
        self.callables: dict[str, None] = {}
        self.nested: list[tuple[str, bytes]] = []
        self.nested_bytes = 0
        self.executed = False  # any global resolved / call made (speculation bookkeeping)
        self.saw_wrapper = False  # a joblib NumpyArrayWrapper was built
        # where globals are resolved: telling two readings of a joblib stream apart
        # (_merge_other_reading)
        self.global_at: set[int] = set()
        self.first_at: dict[str, int] = {}
        self.parts_at: dict[int, tuple[str, str]] = {}
        # each use of torch._utils._rebuild_sparse_tensor: a claim to prove, or why it cannot
        # be proven (airlock.scan.sparse_proof)
        self.sparse: list[Any] = []
        # tensors rebuilt as views with more elements than their storage (stride 0): a copy
        # made by code run at load materialises them (review16b; handlers.pickle_stream)
        self.overlaps: list[Any] = []
        # chat templates in tokenizer states, judged by airlock.scan.jinja_rules
        self.templates: list[Finding] = []
        # (class, bytes of the tensors its state holds) per BUILD of a TorchScript object or
        # TorchBind ScriptObject: what load-run code may copy, per object (airlock.scan.load_cost)
        self.ts_builds: list[tuple[str, int]] = []
        self.ts_states: list[tuple[str, Any]] = []  # (class, BUILD state) of the same objects
        self.qbytes: dict[int, int] = {}  # quantized tensors' bytes by symbol id
        self.walk_left = [load_cost.MAX_WALKED]  # state values load_cost may still walk
        self.qkeep: list[Any] = []  # those symbols, kept alive while their ids are in use
        # offsets of dict keys naming a statsmodels formula spec (pickle_exec_state.SPEC_KEYS)
        self.spec_at: list[int] = []

    def flag(
        self,
        rule: str,
        subject: str,
        offset: int,
        evidence: str,
        *,
        severity: Severity | None = None,
        why: str | None = None,
        reference: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        key = (rule, subject)
        hit = self.hits.get(key)
        if hit is not None:
            hit[1] += 1
            return
        if len(self.hits) >= MAX_DISTINCT_FINDINGS:  # memory: a million distinct globals
            over = ("AIR-PKL-011", "findings")
            if over not in self.hits:
                why_over = f"more than {MAX_DISTINCT_FINDINGS} distinct findings (rest untracked)"
                self.hits[over] = [offset, 1, why_over, None, None, None, {}, "findings"]
            return
        self.hits[key] = [offset, 1, evidence, severity, why, reference, extra or {}, subject]

    def merge(self, other: _Collector) -> None:
        for key, hit in other.hits.items():
            mine = self.hits.get(key)
            if mine is None:
                self.hits[key] = hit
            else:
                mine[1] += hit[1]
        for name in other.callables:
            self.callables.setdefault(name, None)
        self.global_at |= other.global_at
        for name, at in other.first_at.items():
            self.first_at.setdefault(name, at)
        for at, parts in other.parts_at.items():
            self.parts_at.setdefault(at, parts)
        self.nested.extend(other.nested)
        self.nested_bytes += other.nested_bytes
        self.sparse.extend(other.sparse)
        self.overlaps.extend(other.overlaps[: _MAX_OVERLAPS - len(self.overlaps)])
        self.templates.extend(other.templates)
        self.ts_builds.extend(other.ts_builds)
        self.ts_states.extend(other.ts_states)
        self.qbytes.update(other.qbytes)
        self.qkeep.extend(other.qkeep)
        self.spec_at.extend(other.spec_at[: _MAX_SPEC - len(self.spec_at)])

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for (rule, _), (offset, count, evidence, sev, why, ref, extra, subject) in sorted(
            self.hits.items(), key=lambda kv: (kv[1][0], kv[0])
        ):
            title, rule_why, rule_ref = RULES[rule]
            data = dict(extra)
            data["count"] = count
            if subject:
                data.setdefault("subject", subject)
            out.append(
                Finding(
                    rule_id=rule,
                    severity=sev if sev is not None else RULE_SEVERITY[rule],
                    title=title,
                    location=self.location,
                    evidence=evidence[:_EVIDENCE_MAX],
                    why=f"{rule_why} {why}" if why else rule_why,
                    member=self.member,
                    offset=offset,
                    reference=ref or rule_ref,
                    extra=data,
                )
            )
        seen = set()
        for f in self.templates:  # two readings of one stream judge the same template
            if (f.rule_id, f.evidence) not in seen:
                seen.add((f.rule_id, f.evidence))
                out.append(f)
        return out


# dunder attributes savers' instance states hold (scipy distributions keep __doc__;
# functools.update_wrapper copies the rest): data nothing looks up as a hook at load
_STATE_DUNDERS = frozenset(
    {"__doc__", "__module__", "__name__", "__qualname__", "__annotations__", "__wrapped__"}
)

# fp21: dunder-named attributes a library keeps on its own instances, accepted in a BUILD state
# of those classes only: networkx graphs keep their algorithm cache in '__networkx_cache__' (a
# plain dict networkx's dispatch reads; no Python protocol looks the name up)
_COPULAS_STORE_ARGS = frozenset(
    {
        "copulas.multivariate.gaussian.GaussianMultivariate",
        "copulas.multivariate.vine.VineCopula",
        "copulas.univariate.base.ScipyModel",
        "copulas.univariate.base.Univariate",
        "copulas.univariate.beta.BetaUnivariate",
        "copulas.univariate.gamma.GammaUnivariate",
        "copulas.univariate.gaussian.GaussianUnivariate",
        "copulas.univariate.gaussian_kde.GaussianKDE",
        "copulas.univariate.log_laplace.LogLaplace",
        "copulas.univariate.student_t.StudentTUnivariate",
        "copulas.univariate.truncated_gaussian.TruncatedGaussian",
        "copulas.univariate.uniform.UniformUnivariate",
    }
)
_CLASS_STATE_DUNDERS = {
    "__networkx_cache__": frozenset(
        {
            "networkx.classes.graph.Graph",
            "networkx.classes.digraph.DiGraph",
            "networkx.classes.multigraph.MultiGraph",
            "networkx.classes.multidigraph.MultiDiGraph",
        }
    ),
    # fp24: skforecast forecasters keep their tags dict there (skforecast reads it; their
    # __setstate__ is a key rename and a __dict__ update)
    "__skforecast_tags__": frozenset(
        {
            "skforecast.recursive._forecaster_recursive.ForecasterRecursive",
            "skforecast.recursive._forecaster_recursive_multiseries.ForecasterRecursiveMultiSeries",
            "skforecast.recursive._forecaster_recursive_classifier.ForecasterRecursiveClassifier",
            "skforecast.direct._forecaster_direct.ForecasterDirect",
            "skforecast.direct._forecaster_direct_multivariate.ForecasterDirectMultiVariate",
        }
    ),
    # fp25: BorutaPy.__init__ sets self.__version__ = '0.3' (a string; no protocol reads it)
    "__version__": frozenset({"boruta.boruta_py.BorutaPy"}),
    # fp26: copulas' @store_args __init__ keeps deep copies of its arguments in self.__args__ /
    # self.__kwargs__ (a tuple and a dict copulas reads to make a new instance; no protocol
    # looks an instance's __args__ up)
    "__args__": _COPULAS_STORE_ARGS,
    "__kwargs__": _COPULAS_STORE_ARGS,
}


# fp22: einops layers come back through __setstate__, which runs
# self.__init__(pattern=state['pattern'], **state['axes_lengths']) (+ reduction=): einops parses
# the pattern into a recipe per rank. Savers write exactly {'pattern': text, 'axes_lengths':
# {axis name: int}} (and 'reduction': one of einops' reduction names); anything else (a long
# pattern, keys that are not identifiers, values that are not ints, another key) is not judged
_EINOPS_LAYERS = {"einops.layers.torch.Rearrange": False, "einops.layers.torch.Reduce": True}
_EINOPS_REDUCTIONS = frozenset({"min", "max", "sum", "mean", "prod", "any", "all"})
_EINOPS_MAX_PATTERN = 512
_EINOPS_MAX_AXES = 32
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


# fp22: keys a class's own __getstate__ drops and its __setstate__ rebuilds from the instance:
# torchmetrics' Metric.__setstate__ wraps self.update / self.compute (inspect.signature,
# functools.wraps) and the wrapper calls whatever 'update' the state planted when the user
# updates the metric; savers never write these keys. review22: the same __setstate__ then calls
# self._wrap_update(self.update) and self._wrap_compute(self.compute) at load, and an instance
# __dict__ entry wins over those methods: a planted functools.partial(torch.nn.Linear, N, N)
# there ran Linear(N, N, bias=<bound method>) inside pickle.load (3.6 GB for N=30,000); they
# are methods of the class, never in an instance's __dict__
_DROPPED_STATE_KEYS = (
    (
        "torchmetrics.",
        frozenset({"update", "compute", "_update_signature", "_wrap_update", "_wrap_compute"}),
    ),
    # review22: torch.optim.Optimizer.__setstate__ (timm's optimizers call it too) ends with
    # self._patch_step_function(): a planted partial(torch.nn.Linear, 30000, 30000) under that
    # key allocated 3.6 GB inside torch.load (SGD and timm AdamP); Optimizer.__getstate__
    # writes only defaults/state/param_groups
    ("torch.optim.", frozenset({"_patch_step_function"})),
    ("timm.optim.", frozenset({"_patch_step_function"})),
    # review22 (a sweep of every allowlisted class whose first __setstate__ in the MRO calls
    # a method on self): scipy's rv_generic.__setstate__ updates __dict__ then calls
    # self._attach_methods() (which calls self._attach_argparser_methods()); statsmodels'
    # NegativeBinomial.__setstate__ then calls self._initialize(); IsotonicRegression's
    # self._build_f(X_thresholds_, y_thresholds_): the same partial allocated 3.6 GB in
    # pickle.load of a norm_gen and of a NegativeBinomial (scanned clean)
    ("scipy.stats.", frozenset({"_attach_methods", "_attach_argparser_methods"})),
    ("statsmodels.distributions.", frozenset({"_attach_methods", "_attach_argparser_methods"})),
    ("statsmodels.discrete.discrete_model.NegativeBinomial", frozenset({"_initialize"})),
    ("sklearn.isotonic.IsotonicRegression", frozenset({"_build_f"})),
    # fp24: glum's GeneralizedLinearRegressorBase.__setstate__ calls state['feature_dtypes_']
    # .items() (a pre-3.0 key: glum 3.4 writes _categorical_levels_; the prefix covers _glm_cv)
    ("glum._glm", frozenset({"feature_dtypes_"})),
)


def _pair_keys(x: Any) -> list[Any]:
    """The keys of a tuple or list of 2-item tuples/lists: what ``dict.update`` takes besides a
    mapping ([] when ``x`` is not one). review22: a ``__setstate__`` that runs
    ``self.__dict__.update(state)`` (torch.nn.Module, Optimizer, torchmetrics' Metric,
    scipy's distributions, sklearn's BaseEstimator) takes such a state as well: a ReLU given
    ``(('__setstate__', partial(torch.nn.Linear, 30000, 30000)),)`` then a second BUILD
    allocated 3.6 GB in pickle.load, and the key checks looked at dict states only."""
    if type(x) not in (tuple, list) or not x:
        return []
    keys = []
    for item in x:
        if type(item) not in (tuple, list) or len(item) != 2:
            return []
        keys.append(item[0])
    return keys


def _state_pair_keys(state: Any) -> list[Any]:
    """Keys ``state`` (or a part of a 2-tuple state) puts on an instance as pairs."""
    parts = state if type(state) is tuple and len(state) == 2 else ()
    return [k for cand in (state, *parts) for k in _pair_keys(cand)]


def _state_str_keys(state: Any) -> list[str]:
    """The text keys a BUILD state puts on an instance: its dict parts' (a dict, or the dict and
    slot parts of a 2-tuple) and its (key, value) pair forms'."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    keys = [k for p in parts if type(p) is PDict for k, _ in p.items]
    return [k for k in (*keys, *_state_pair_keys(state)) if type(k) is str]


def _dropped_state_key(state: Any, name: str) -> str | None:
    """A key of a BUILD state of ``name`` that its saver drops (None: there is none)."""
    for prefix, keys in _DROPPED_STATE_KEYS:
        if name.startswith(prefix):
            hit = next((k for k in _state_str_keys(state) if k in keys), None)
            if hit is not None:
                return hit
    return None


def _unknown_part(state: Any, built: dict[int, Sym] | None = None) -> Any:
    """A part of a BUILD state (the state, or either half of a 2-tuple) that is an object made
    at load rather than a dict of the pickle: its keys are whatever its class makes of its own
    state (a torch ModuleDict's keys() are its _modules'). With ``built``: only an object that
    was itself given a state there (not a tensor or array). None when there is none."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    for part in parts:
        if type(part) is not Sym or (part.kind != K_OBJ and part.kind != K_DYN):
            continue
        if built is None:
            return part
        if id(part) in built and part.meta is None:
            attrs = part.attrs
            if not attrs or ("arr" not in attrs and "ix" not in attrs):
                return part
    return None


# fp27: NGBoost models come back through __setstate__, which rebuilds what __getstate__ drops:
# manifold(state['Score'], state['Dist']) makes a class with Dist.implementation(Score) and
# Dist as bases; with 'K' it first calls k_categorical(K) / MultivariateNormal(K) (class
# factories keyed by 'Dist_name'), NGBRegressor with 'uncensor' calls state['Dist'].uncensor(
# Score), NGBSurvival calls SurvivalDistnClass(state['_basedist']). Savers write Dist, Score and
# _basedist as references to ngboost's own distribution/score classes (value-only in the
# policy: a call or NEWOBJ of one is AIR-PKL-009), K as a small class count, uncensor as True;
# anything else (an instance there, whose planted 'uncensor'/'implementation' would be called,
# a K that sizes MVN's arrays) is not judged
_NGBOOST_MODELS = frozenset(
    {
        "ngboost.ngboost.NGBoost",
        "ngboost.api.NGBRegressor",
        "ngboost.api.NGBClassifier",
        "ngboost.api.NGBSurvival",
    }
)
_NGBOOST_CLASS_KEYS = ("Dist", "Score", "_basedist")
_NGBOOST_MAX_K = 1000


def _ngboost_state_problem(state: Any, value_only: frozenset[str]) -> str | None:
    """Why an NGBoost model's BUILD state is not what its ``__getstate__`` writes (None: it is)."""
    if type(state) is not PDict:
        return "a state that is not a dict of the pickle"
    if any(type(k) is not str for k, _ in state.items):
        return "a key that is not a text"
    for key in _NGBOOST_CLASS_KEYS:
        if not state.has(key):
            continue
        v = state.get(key)
        if type(v) is not Sym or v.kind != K_GLOBAL or not str(v.name).startswith("ngboost."):
            return f"a {key!r} that is not a reference to an ngboost class"
        if v.name not in value_only:
            return f"a {key!r} that is not one of ngboost's distribution/score classes"
    if not state.has("Score") or not any(state.has(k) for k in ("Dist", "K", "_basedist")):
        return "no 'Score' and 'Dist' (or 'K', '_basedist') to rebuild the manifold from"
    if state.has("K"):
        k = state.get("K")
        if type(k) not in (int, float) or not 1 <= k <= _NGBOOST_MAX_K:
            return "a 'K' that is not a small class count"
        if state.get("Dist_name") not in ("Categorical", "MVN"):
            return "a 'K' without a 'Dist_name' of Categorical or MVN"
    if state.has("uncensor") and state.get("uncensor") is not True:
        return "an 'uncensor' that is not True"
    return None


def _einops_state_problem(state: Any, reduce: bool) -> str | None:
    """Why an einops layer's BUILD state is not what its ``__getstate__`` writes (None: it is)."""
    if type(state) is not PDict:
        return "a state that is not a dict of the pickle"
    keys = [k for k, _ in state.items]
    want = ["pattern", "axes_lengths"] + (["reduction"] if reduce else [])
    if sorted(k for k in keys if type(k) is str) != sorted(want) or len(keys) != len(want):
        return f"state keys other than {want}"
    pattern = state.get("pattern")
    if type(pattern) is not str or len(pattern) > _EINOPS_MAX_PATTERN or "->" not in pattern:
        return "a pattern that is not a short 'a -> b' text"
    if reduce and state.get("reduction") not in _EINOPS_REDUCTIONS:
        return "a reduction that is not one of einops' reduction names"
    axes = state.get("axes_lengths")
    if type(axes) is not PDict or len(axes.items) > _EINOPS_MAX_AXES:
        return "axes_lengths that are not a small dict"
    for k, v in axes.items:
        if type(k) is not str or not _IDENT.fullmatch(k) or k in ("pattern", "reduction"):
            return "an axis name that is not an identifier"
        if type(v) is not int:
            return "an axis length that is not an int"
    return None


def _dunder_key(state: Any, cls: str | None = None) -> str | None:
    """A dunder name other than ``_STATE_DUNDERS`` among the keys a BUILD state puts on an
    instance (its ``__dict__`` part or, in a ``(dict, slots)`` pair, the slot part pickle sets
    with setattr): an instance ``__setstate__`` is what the next BUILD calls, ``__class__``
    retypes the object, ``__dict__`` replaces its attributes unchecked, and ``__reduce_ex__``,
    ``__deepcopy__``, ``__array_interface__``... are looked up on the instance by copy and
    numpy."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    for part in parts:
        if type(part) is PDict:
            for k, _ in part.items:
                if type(k) is str and k[:2] == "__" == k[-2:] and k not in _STATE_DUNDERS:
                    if part is parts[0] and cls in _CLASS_STATE_DUNDERS.get(k, ()):
                        continue  # (the __dict__ part only: pickle setattr()s the slot part)
                    return k
                if type(k) is Sym:  # a key computed at load ('__SETSTATE__'.lower())
                    return f"a key computed at load ({describe(k)})"
        elif type(part) is Sym and part.kind == K_OBJ and part.name in _MAPPING_MAKERS:
            # pickle takes any dict subclass as the state; its keys are not tracked
            return f"a {part.name} built at load (keys not known)"
    for k in _state_pair_keys(state):  # (no saver writes pairs: no class exemption)
        if type(k) is str and k[:2] == "__" == k[-2:] and k not in _STATE_DUNDERS:
            return k
        if type(k) is Sym:
            return f"a key computed at load ({describe(k)})"
    return None


# rt20pk: what copy/deepcopy/pickle and list users look up on a list subclass's instance
_LIST_METHODS = frozenset(n for n in dir(list) if not n.startswith("_"))


def _expanded(value: Any, edges: int) -> tuple[int, Any]:
    """(bytes a walk down ``value`` visits, once per reference, an object the pickle built
    among them or None): text and bytes count their length, anything else 8. Shared
    containers are summed per reference (memoised by identity); past ``edges`` references or
    64 levels the weight is unbounded."""
    memo: dict[int, int] = {}
    obj: Any = None
    left = [edges]

    def walk(v: Any, depth: int) -> int:
        nonlocal obj
        t = type(v)
        if t is str or t is bytes or t is bytearray:
            return len(v)
        if t is Span:
            return int(v.length)
        if t is Sym:
            if obj is None and v.kind == K_OBJ:
                obj = v
            return 8
        if t is not tuple and t is not list and t is not PDict and t is not PSet:
            return 8
        known = memo.get(id(v))
        if known is not None:
            return known
        if depth > 64:
            return _UNBOUNDED
        items: Any = v if t is tuple or t is list else v.items
        left[0] -= len(items)
        if left[0] < 0:
            return _UNBOUNDED
        total = 0
        for x in items:
            total += walk(x, depth + 1)
            if total >= _UNBOUNDED:
                total = _UNBOUNDED
                break
        memo[id(v)] = total
        return total

    return walk(value, 0), obj


def _deep_new(name: str, seq: Any) -> tuple[str, Any] | None:
    """copyreg's helpers building a str or numpy scalar (sub)class from arguments: the
    ``__new__`` they run walks the arguments as the class's call does (``__newobj__(cls,
    *args)``, ``__newobj_ex__(cls, args, kwargs)``, ``_reconstructor(cls, base, state)`` runs
    ``base.__new__(cls, state)``): (walker name, what it walks)."""
    if not seq:
        return None
    at = 1 if name == "copyreg._reconstructor" else 0
    cls = seq[at] if len(seq) > at else None
    if type(cls) is not Sym or cls.kind != K_GLOBAL or cls.name not in _DEEP_WALKERS:
        return None
    if name == "copyreg._reconstructor":
        return str(cls.name), tuple(seq[2:3])
    if name == "copyreg.__newobj_ex__":
        return str(cls.name), tuple(seq[1:3])
    return str(cls.name), tuple(seq[1:])


def _items_bytes(v: Any) -> int:
    """Memory a list of the items of text or bytes ``v`` takes: a pointer each, and a new
    1-character str (~80 bytes) for each character past Latin-1 (Latin-1 ones and small ints
    are shared). Text left in place counts its worst case: 2-byte UTF-8 characters, 42x."""
    if type(v) is str:
        wide = len(v) - len(v.encode("latin-1", "ignore"))
        return 8 * len(v) + 80 * wide
    if type(v) is Span:
        return v.length * (42 if v.is_text else 8)
    return 8 * len(v)


def _merged_keywords(keywords: Any, kwargs: Any) -> Any:
    """What a partial passes its function: ``{**keywords, **kwargs}`` (the call's win), as
    functools does (rt21pk: only the stored ones were judged when both were given); a
    mapping not shown as a dict of the pickle is a value the analyser cannot read."""
    if palloc.no_kwargs(keywords):
        return kwargs
    if palloc.no_kwargs(kwargs):
        return keywords
    if type(keywords) is not PDict or type(kwargs) is not PDict:
        return Sym(K_DYN, "keyword arguments of a partial and its call")
    merged = PDict()
    merged.items = [*keywords.items, *kwargs.items]  # a later pair wins, as in a dict
    return merged


def _state_pairs(state: Any) -> list[tuple[Any, Any]]:
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    return [(k, v) for p in parts if type(p) is PDict for k, v in p.items if type(k) is str]


def _list_method_key(state: Any) -> str | None:
    """A key of a BUILD state (dict, slot part or pairs) that shadows a list method on the
    instance of an allowlisted list subclass (``item_targets``' ``before_build``)."""
    return next((k for k in _state_str_keys(state) if k in _LIST_METHODS), None)


# rt21pk: the two a list subclass's instance is asked for by copy/deepcopy (``y.append``)
# and pickle's APPEND(S) (``extend``, else ``append``), whatever the class
_INSTANCE_LIST_HOOKS = frozenset({"append", "extend"})


def _list_hook_key(state: Any) -> str | None:
    """A key ``append``/``extend`` of a BUILD state (dict or slot part) whose value is not plain
    data (a global, an object, a call's result: something that may be callable). On an
    instance of any list subclass, copy, deepcopy and pickle call it per item; the allowlist's
    list subclasses are not all known here (its unimported libraries), so no class may have
    one. Honest states hold no callable under these names."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    for part in parts:
        if type(part) is PDict:
            for k, v in part.items:
                if type(k) is str and k in _INSTANCE_LIST_HOOKS and type(v) is Sym:
                    return k
    return None


_MAPPING_MAKERS = frozenset(
    {"builtins.dict", "collections.OrderedDict", "collections.defaultdict", "collections.Counter"}
)


class _Machine:
    """Runs one pickle (from PROTO/first opcode to STOP) symbolically."""

    def __init__(
        self,
        buf: Any,
        col: _Collector,
        policy: Policy,
        limits: Limits,
        budget: list[int],
        *,
        joblib: bool,
        speculative: bool,
    ) -> None:
        self.buf = buf
        self.n = len(buf)
        # numbers read in place, or (a remote file read by ranges) from slices
        self.nums: tuple[Any, ...] = (
            _NUMS if type(buf) in ops.NATIVE else tuple(ops.sliced(f, k) for f, k in _SIZED)
        )
        self.col = col
        self.policy = policy
        self.limits = limits
        self.budget = budget  # see _analyze
        self.joblib = joblib
        self.speculative = speculative
        self.pending_getattr: list[tuple[Sym, int]] = []
        self.special = _special_names(policy)
        # Allowed only with particular arguments; judged at the call (like getattr).
        self.conditional = (
            frozenset(policy.import_args)
            | frozenset(policy.nested_args)
            | frozenset(policy.match_args)
        )
        # Callables that are safe only as direct calls with arguments we see: passed anywhere
        # else (an argument, a BUILD state, a container item, the result), the receiving code
        # may call them with arguments chosen by it (or by other data), so they are findings.
        self.needs_args = _DEFERRED | self.conditional
        # Containers already handed to code that may call what they hold (id -> container, a
        # strong reference so the id is not reused): items added to them later escape too.
        self.escaped: dict[int, Any] = {}
        self.pil_data: dict[int, Any] = {}  # PIL image data byte strings already used (by id)
        # Set once a value that needs judging where it escapes exists (every such value
        # starts as a global resolved here); before that a walk can find nothing to judge.
        self.sensitive = False
        self.partial_depth = 0
        # rt18b1: ranges (and what calls make of them) materialised per pickle: list(range(2**22))
        # memoised once and handed to ten calls is ten lists (1.6 GiB)
        self.range_max = 0
        self.range_used = 0
        self.range_ids: set[int] = set()
        self.range_keep: list[Any] = []  # keeps ids valid
        # review19: tensor views larger than their storage (a stride-0 expand: 4 bytes standing
        # for 2^30 elements) and what keeps them (_rebuild_parameter(view)): any other callable
        # handed one (torch.nn.functional.normalize) allocates every element at load
        self.view_ids: set[int] = set()
        self.view_keep: list[Any] = []
        # rt19pk: bytes calls may copy from payloads beyond each payload's first use (see
        # copy_cost): ids of payloads used once, sizes of what calls made of them
        self.copied = 0
        self.work = 0  # items BUILD states and iterating calls walk (see work_charge)
        self.chainmaps: dict[int, Any] = {}  # id(ChainMap) -> its maps (a list or tuple)
        self.chainmap_keep: list[Any] = []
        # rt23pk: what a mapping made at load was handed (id -> PDicts and mappings it copies,
        # pairs SETITEM(S) stored in it, keys starting with '_' or a list method only): a
        # BUILD state that is one puts those keys on the instance (Module.__setstate__ runs
        # __dict__.update(state) on a Bunch, OptimizeResult or ChainMap as on a dict)
        self.map_sources: dict[int, list[Any]] = {}
        self.map_keep: list[Any] = []
        # objects given a BUILD state with a part whose keys are not shown (an object made
        # at load: a ModuleDict's keys are its _modules'): a later BUILD on one may call an
        # instance '__setstate__' that state planted
        self.unknown_state: dict[int, Sym] = {}
        self.copy_at = 0
        self.copy_seen: set[int] = set()
        self.copy_made: dict[int, int] = {}
        self.copy_keep: list[Any] = []
        # Results of plain calls carry nothing but their origin, so one symbol per origin.
        self.results: dict[str | None, Sym] = {}
        self.broke = False
        self.last_end = 0
        self.proto = 0
        # Byte payloads behind pyarrow buffers (and their offsets), and byte values the
        # pickle mutates (SETITEM/APPEND on a bytearray): a proven array must not read those.
        # Arrow offsets buffers must not change after they are proven: byte values the
        # pickle mutates (SETITEM/APPEND on a bytearray), and bytearrays (BYTEARRAY8 or a
        # bytearray() call) handed to any code but py_buffer (numpy's _frombuffer gives a
        # writable view), are ``mutated``.
        self.arrow_sources: list[tuple[Any, int]] = []
        self.mutable: dict[int, Any] = {}
        self.mutated: dict[int, Any] = {}
        # scipy sparse containers and search trees built here: proven at finish
        # (airlock.scan.index_proof)
        self.ix_claims: list[Sym] = []
        # pandas: slice(...) and _unpickle_block(...) results (id -> (sym, args)) and
        # BlockManager(blocks, axes) calls (blocks, offset), proven at finish (pandas_proof)
        self.pd_calls: dict[int, tuple[Sym, Any]] = {}
        self.pd_managers: list[tuple[Any, int]] = []
        # Categoricals and what their categories are made of (id -> (sym, record), a strong
        # reference so ids are not reused), and _restore_array lengths (pandas_cat)
        self.pd_made: dict[int, tuple[Sym, pcat.Made]] = {}
        self.arrow_lengths: dict[int, tuple[Sym, int]] = {}
        # gensim SaveLoad BUILDs: (class, special lists installed, offset), judged at finish
        # when the lists hold what they will hold after loading (airlock.scan.gensim_specials)
        self.saveload: list[tuple[str, list[tuple[str, Any]], int]] = []
        # tokenizer BUILDs whose chat_template is a dict: (class, dict, offset), judged at
        # finish (SETITEMs after the BUILD change the dict the tokenizer holds)
        self.template_dicts: list[tuple[str, Any, int]] = []
        # states of classes whose methods run code on what the state holds (pickle_hooks)
        self.hook_states: list[tuple[str, Any, int]] = []
        self.templates_judged: set[str] = set()
        # classes allowed only as __new__ (or as values) that reached code as values, and
        # objects of libraries that call the callables they hold with arguments of their own
        # (_CALLERS: FunctionTransformer.func(X, **kw_args) at transform): judged at finish
        self.new_only_values: dict[str, int] = {}
        self.caller: tuple[str, int] | None = None
        self.result: Any = None  # what the pickle loads (the last STOP)
        # bytearrays: times each was handed to code (one _frombuffer call may view it)
        self.mut_events: dict[int, int] = {}
        # objects given a BUILD state (kept alive so an id is never reused): their instance
        # __dict__ may now hold an 'extend'/'append' that APPEND(S) would call instead
        self.built_objs: dict[int, Sym] = {}
        # HASH_FIELDS objects given a state whose fields run code when hashed (pickle_keys)
        self.key_unsafe: dict[int, Sym] = {}
        # text holding ``model_spec`` was pushed: dict keys are checked (spec_keys); pushes
        # of exact spec names, the ones listed in _init_keys, the first push's offset
        self.spec_seen = False
        self.spec_pushes = 0
        self.spec_listed = 0
        self.spec_first = -1

    # -- findings -------------------------------------------------------------------------

    def anomaly(self, message: str, offset: int) -> None:
        """Something a real loader raises on; keep analysing (conservative), report once."""
        if self.speculative:
            raise _Abort(message)
        if not self.broke:
            self.broke = True
            self.col.flag("AIR-PKL-005", "", offset, f"{message} at offset {offset}")

    def judge(self, sym: Sym, offset: int, how: str) -> None:
        v = sym.verdict
        assert v is not None
        name = v.name
        self.col.callables.setdefault(name, None)
        self.col.executed = True
        status = v.status
        if status == ALLOW or status == REF_ONLY:
            return
        if status == DANGER:
            self.col.flag(
                "AIR-PKL-001",
                name,
                offset,
                f"{how} {name}",
                severity=v.severity,
                why=f"{v.why} (matched {v.matched!r}, category {v.category})",
                reference=v.reference,
                extra={"callable": name, "category": v.category},
            )
        elif status == DUNDER:
            self.col.flag("AIR-PKL-008", name, offset, f"{how} {name}", extra={"callable": name})
        else:
            self.col.flag("AIR-PKL-002", name, offset, f"{how} {name}", extra={"callable": name})

    def resolve(self, module: str, qual: str, offset: int, how: str, compat: bool = True) -> Sym:
        if compat and self.proto < 3:
            # Unpicklers map Python 2 names (__builtin__, copy_reg...) only below protocol 3.
            module, qual = canonical(module, qual)
        if self.speculative and not all(p.isidentifier() for p in f"{module}.{qual}".split(".")):
            raise _Abort("not an importable name")
        sym = Sym(K_GLOBAL, f"{module}.{qual}" if module else qual)
        self.col.global_at.add(offset)
        self.col.first_at.setdefault(str(sym.name), offset)
        self.col.parts_at.setdefault(offset, (module, qual))
        sym.mod = module
        sym.qual = qual
        sym.verdict = self.policy.classify(module, qual)
        if (
            sym.verdict.status == REF_ONLY
            or sym.name in _CALLABLE_OBJS
            or sym.name in self.policy.new_only
        ):
            self.sensitive = True
        if sym.name in _DEFERRED or sym.name in self.conditional:
            self.sensitive = True
            self.col.callables.setdefault(sym.name, None)
            self.col.executed = True
            self.pending_getattr.append((sym, offset))
            return sym
        self.judge(sym, offset, how)
        return sym

    def resolve_text(self, raw_mod: bytes, raw_name: bytes, offset: int, how: str) -> Sym:
        return self.resolve(decode_text(raw_mod), decode_text(raw_name), offset, how)

    def finish(self) -> None:
        if self.spec_seen:
            self.spec_finish()
        for sym, offset in self.pending_getattr:
            if not sym.used:
                self.flag_deferred(str(sym.name), offset, f"{sym.name} used other than directly")
        for src, offset in self.arrow_sources:
            if id(src) in self.mutated:
                self.arrow_flag("an offsets buffer's bytes may be changed by the pickle", offset)
        if self.ix_claims:
            self.prove_indices()
        for blocks, offset in self.pd_managers:
            self.prove_frame(blocks, offset)
        self.prove_categoricals()
        for name, lists, offset in self.saveload:
            why = gensim_specials.problem(lists)
            if why is not None:
                self.saveload_flag(name, why, offset)
        if self.caller is not None:
            self.held_callables(*self.caller)
        hook_budget = [pickle_hooks.MAX_ITEMS]
        for name, state, offset in self.hook_states:
            why = pickle_hooks.problem(name, state, hook_budget)
            if why is not None:
                self.col.flag("AIR-PKL-009", name, offset, f"BUILD of {name} with {why}",
                              extra={"callable": name})  # fmt: skip
        for name, templates, offset in self.template_dicts:
            for key, text in templates.items:
                if type(key) is not str or type(text) is not str:
                    what = f"chat_template[{describe(key)}] = {describe(text)}"
                    self.template_flag(name, f"{what}, not a constant string", offset)
                else:
                    self.judge_template(name, f"chat_template[{key!r}]", text, offset)

    def held_callables(self, caller: str, at: int) -> None:
        """A class allowed only as pickle builds an instance (``new_only``: its ``__init__``
        with foreign arguments can open or create files) held where an object of a library in
        ``_CALLERS`` may call it with arguments of its own: scikit-learn's FunctionTransformer
        calls ``func(X, **kw_args)`` at transform, so ``func=optuna.study.study.Study`` and
        ``kw_args={'storage': 'sqlite:///PATH'}`` create a database at PATH (red team rt16pk).
        The value may reach the object through any container the pickle shares, so every such
        value in a pickle with such an object is a finding."""
        for name, offset in self.new_only_values.items():
            self.col.flag(
                "AIR-PKL-009",
                name,
                offset,
                f"{name} passed as a value in a pickle with {caller} (at {at}), which calls "
                "the callables it holds with arguments of its own",
                extra={"callable": name},
            )

    def template_flag(self, name: str, problem: str, offset: int) -> None:
        """A tokenizer's chat template the rules cannot read: high (unjudged code to render)."""
        self.col.flag(
            "AIR-PKL-016",
            name,
            offset,
            f"BUILD of {name} (apply_chat_template renders its chat_template) with {problem}",
            severity=Severity.HIGH,
            extra={"callable": name},
        )

    def judge_template(self, name: str, label: str, text: str, offset: int) -> None:
        """One constant chat template, judged by the Jinja rules like tokenizer_config.json's
        and reported at the BUILD's offset (each distinct text once; at most MAX_TEMPLATES)."""
        from airlock.scan.jinja_rules import template_findings

        if text in self.templates_judged:
            return
        if len(self.templates_judged) >= _MAX_TEMPLATES:
            self.template_flag(name, f"more than {_MAX_TEMPLATES} chat templates", offset)
            return
        self.templates_judged.add(text)
        where = f"pickled {name.rsplit('.', 1)[-1]}.{label}"
        col = self.col
        for f in template_findings(text, col.location, member=col.member, label=where):
            col.templates.append(f._replace(offset=offset))

    def saveload_flag(self, name: str, why: str, offset: int) -> None:
        self.col.flag(
            "AIR-PKL-018", name, offset, f"BUILD of {name}: {why}", extra={"callable": name}
        )

    def arrow_flag(self, reason: str, offset: int, name: str = arrow.RESTORE) -> None:
        self.col.flag(
            "AIR-PKL-015",
            reason,
            offset,
            f"{name}: {reason}",
            extra={"callable": name},
        )

    def arrow_call(self, res: Sym, name: str, seq: Any, plain: bool, offset: int) -> None:
        """Track the pyarrow pickle helpers' values; prove each ``_restore_array`` in bounds."""
        args = tuple(seq) if plain else None
        if name == arrow.TYPE_FOR_ALIAS:
            res.attrs = {"layout": arrow.alias_layout(args), "int": arrow.alias_int(args)}
        elif name in arrow.TYPES:
            res.attrs, why = arrow.factory_type(name, args)
            if why is not None:
                self.arrow_flag(why, offset, name)
        elif name == arrow.BYTEARRAY:
            res.attrs = {"data": arrow.bytearray_data(args), "latin1_of": None}
            if args is not None and len(args) == 1 and res.attrs["data"] is None:
                # protocol 2: bytearray(_codecs.encode(<large text left in place>, 'latin1'))
                res.attrs["latin1_of"] = self.latin1_text(args[0])
        elif name == arrow.PY_BUFFER:
            src = args[0] if args is not None and len(args) == 1 else None
            data: Any = None
            if type(src) is bytes or (type(src) is Span and not src.is_text):
                data = src
            elif type(src) is Sym and src.kind == K_OBJ and src.name == arrow.BYTEARRAY:
                data = (src.attrs or {}).get("data")
                text = (src.attrs or {}).get("latin1_of")
                if data is None and text is not None:  # read only when Arrow consumes it
                    data = self.latin1_or_none(text)
            else:
                big = self.latin1_text(src)
                if big is not None:
                    data = self.latin1_or_none(big)
            res.attrs = {"data": data, "src": src}
        elif args is None or len(args) != 1:
            self.arrow_flag("not called with one positional ArrayData tuple", offset)
        else:
            sources: list[Any] = []
            reason = arrow.check_array(args[0], self.arrow_read, sources)
            if reason is not None:
                self.arrow_flag(reason, offset)
            elif type(args[0]) is tuple and len(args[0]) > 1 and type(args[0][1]) is int:
                self.arrow_lengths[id(res)] = (res, args[0][1])
            self.arrow_sources.extend((s, offset) for s in sources)

    def latin1_text(self, value: Any) -> Span | None:
        """The text of ``_codecs.encode(<large text left in place>, 'latin1')`` (protocol 2's
        bytes over the size pickle inlines), when ``value`` is that call's result."""
        attrs = value.attrs if type(value) is Sym and value.kind == K_DYN else None
        text = attrs.get("latin1_of") if attrs else None
        return text if type(text) is Span and text.is_text else None

    def latin1_or_none(self, text: Span) -> bytes | None:
        """Those bytes, or None when too large to read or not Latin-1 (left not proven)."""
        if text.length > self.limits.max_member_bytes:
            return None
        try:
            return self.latin1_bytes(text)
        except UnicodeEncodeError:
            return None

    def arrow_read(self, data: Any, start: int, length: int) -> bytes:
        if type(data) is bytes:
            return data[start : start + length]
        return bytes(self.buf[data.offset + start : data.offset + start + length])

    # -- scipy sparse containers and search trees (airlock.scan.index_proof) ------------

    def ix_new(
        self,
        res: Sym,
        cls: str,
        why: str | None,
        offset: int,
        *,
        constructed: bool,
        args: Any = None,
    ) -> None:
        """An instance of a class that trusts its index arrays: proven at the end."""
        kind = ip.kind_of(cls)
        res.attrs = {"ix": kind, "cls": cls, "why": why, "state": {}, "builds": 0, "args": args}
        res.attrs["constructed"] = constructed
        res.attrs["offset"] = offset
        if len(self.ix_claims) < ip.MAX_CLAIMS:
            self.ix_claims.append(res)
        else:
            why = f"more than {ip.MAX_CLAIMS} such objects in one pickle"
            self.col.flag(ip.RULE, why, offset, f"{cls}: not proven: {why}")

    def ix_build(self, attrs: dict[str, Any], state: Any) -> None:
        attrs["builds"] += 1
        if attrs["ix"][0] not in ("sparse", "owner", "hgbtree", "est"):  # Cython: last counts
            if type(state) is PDict:  # as it is now: later SETITEMs come after __setstate__
                snapshot = PDict()
                snapshot.items = list(state.items)
                state = snapshot
            attrs["state"] = state
            if attrs["builds"] > 1:
                attrs["why"] = "__setstate__ called twice"
            return
        merged = attrs["state"]  # plain class: BUILD updates __dict__
        parts = [state]
        if attrs["ix"][0] == "est" and type(state) is tuple and len(state) == 2:
            # (dict state or None, slot state): scipy's PPoly keeps its fields in __slots__
            parts = [p for p in state if p is not None]
        for part in parts:
            if type(part) is not PDict:
                attrs["why"] = f"a state {describe(state)} that is not a plain dict"
                return
            for k, v in part.items:
                if type(k) is not str:
                    attrs["why"] = "a state key that is not a constant string"
                    return
                merged[k] = v

    def arr_build(self, attrs: dict[str, Any], state: Any) -> None:
        """BUILD of an array from ``_reconstruct``: kept, read only if a proof needs it."""
        attrs["builds"] += 1
        attrs["state"] = state
        if attrs["builds"] > 1:
            attrs["why"] = "its state set twice"

    def arr_parse(self, attrs: dict[str, Any]) -> None:
        """``ndarray.__setstate__((version,) shape, dtype, is_fortran, rawdata)`` on an array
        from ``_reconstruct``: its bytes are known when rawdata is bytes in the pickle (numpy
        checks their length against shape and dtype)."""
        state = attrs.pop("state", None)
        args = attrs.pop("args", None)
        attrs["arr"] = None
        if attrs["builds"] != 1:
            attrs["why"] = attrs.get("why") or "never given its state"
            return
        if not (_is_seq(args) and args and _name_of(args[0]) in ip.NDARRAY):
            attrs["why"] = "an ndarray subclass"
            return
        if type(state) is tuple and len(state) == 5:
            state = state[1:]
        if type(state) is not tuple or len(state) != 4:
            attrs["why"] = "a state that is not numpy's"
            return
        shape, dt, fortran, raw = state
        dstr = dtype_str(dt)
        if type(shape) is not tuple or not all(type(d) is int and d >= 0 for d in shape):
            attrs["why"] = "a shape that is not plain ints"
            return
        if dstr is None:
            attrs["why"] = "a dtype not known for certain"
            return
        count = 1
        for d in shape:
            count *= d
        if dstr == "|O8" and type(raw) is list and len(raw) == count:
            attrs["arr"] = ip.Arr(shape, dstr, lambda: raw)  # the objects, as the pickle has them
            return
        if count == 0:  # numpy checks the bytes' length: none (protocol 2 writes bytes())
            attrs["arr"] = ip.Arr(shape, dstr, lambda: b"")
            return
        text = raw.attrs.get("latin1_of") if type(raw) is Sym and raw.attrs else None
        if text is not None:  # _codecs.encode(<large text>, 'latin1'): protocol 2's bytes
            attrs["arr"] = ip.Arr(
                shape, dstr, lambda: self.latin1_bytes(text), _fields_of(dt, dstr), fortran is True
            )
            return
        if type(raw) is not bytes and not (type(raw) is Span and not raw.is_text):
            attrs["why"] = "bytes not held in the pickle"
            return
        attrs["arr"] = ip.Arr(
            shape, dstr, lambda: self.span_bytes(raw), _fields_of(dt, dstr), fortran is True
        )

    def frombuffer(self, seq: Any) -> dict[str, Any]:
        """``_frombuffer(buf, dtype, shape, order)`` (numpy's pickle protocol 5 form):
        ``frombuffer(buf, dtype).reshape(shape)``, a view of ``buf``. Its bytes are known when
        ``buf`` is bytes in the pickle, or a bytearray no other code receives."""
        attrs: dict[str, Any] = {"arr": None, "why": "not numpy's protocol-5 form", "builds": 1}
        if seq is None or len(seq) != 4:
            return attrs
        buf, dt, shape, order = seq
        dstr = dtype_str(dt)
        if dstr is None or type(shape) is not tuple:
            return attrs
        if not all(type(d) is int and d >= 0 for d in shape):
            return attrs
        if type(buf) is not bytes and not (type(buf) is Span and not buf.is_text):
            attrs["why"] = "bytes not held in the pickle"
            return attrs
        attrs["why"] = None
        count = 1
        for d in shape:
            count *= d
        if count:  # an empty array reads no bytes (and b"" is one shared object)
            attrs["src"] = buf
        attrs["arr"] = ip.Arr(
            shape, dstr, lambda: self.span_bytes(buf), _fields_of(dt, dstr), order == "F"
        )
        return attrs

    def latin1_bytes(self, text: Span) -> bytes:
        """The bytes ``_codecs.encode(text, 'latin1')`` makes of a large text left in place."""
        return decode_text(self.buf[text.offset : text.offset + text.length]).encode("latin-1")

    def span_bytes(self, data: Any) -> Any:
        if type(data) is bytes:
            return data
        buf = self.buf
        view = memoryview(buf) if type(buf) in ops.NATIVE else None
        if view is not None:
            return view[data.offset : data.offset + data.length]
        return bytes(buf[data.offset : data.offset + data.length])

    def arr_of(self, value: Any) -> ip.Arr | str:
        attrs = value.attrs if type(value) is Sym and value.kind == K_OBJ else None
        if attrs is None or "arr" not in attrs:
            return f"{describe(value)} is not a numpy array rebuilt from bytes in the pickle"
        if attrs["arr"] is _LAZY:
            self.arr_parse(attrs)
        why = attrs.get("why")
        arr = attrs["arr"]
        if arr is None or (why and why.startswith("changed")):
            return f"a numpy array {why or 'not known'}"
        src = attrs.get("src")
        if src is not None and id(src) in self.mutable and self.mut_events.get(id(src), 0) > 1:
            return "a numpy array over a bytearray other code may change"
        return arr  # type: ignore[no-any-return]

    # -- pandas DataFrame block placements (airlock.scan.pandas_proof) --------------------

    def pd_flag(self, why: str, offset: int) -> None:
        self.col.flag(
            pdp.RULE,
            f"{pdp.MANAGER}: {why}",
            offset,
            f"{pdp.MANAGER}: block placements not proven in range: {why}",
            extra={"callable": pdp.MANAGER},
        )

    def pd_call(self, name: str, args: Any, kwargs: Any, offset: int, how: str) -> Sym:
        """``slice``/``_unpickle_block`` results keep their arguments; a ``BlockManager``
        call is proven at finish; a BlockManager made any other way (``__new__`` and a state:
        pandas' __setstate__ checks nothing) is not proven."""
        res = Sym(K_OBJ, name)
        plain = type(args) is tuple and kwargs is None and how not in _NEWOBJS
        if name in pcat.TRACKED:
            plain_args = args if type(args) is tuple and kwargs is None else None
            self.pd_track(res, name, how, plain_args, offset)
        elif name == pdp.MANAGER:
            if plain and (len(args) == 2 or (len(args) == 3 and args[2] is True)):
                self.pd_managers.append((args[0], offset))
            elif how == "NEWOBJ" and args == ():  # then __setstate__: proven at finish
                self.pd_track(res, name, how, (), offset)
            else:
                self.pd_flag(f"made by {how} other than BlockManager(blocks, axes)", offset)
        elif plain and len(self.pd_calls) < ip.MAX_CLAIMS * 100:
            self.pd_calls[id(res)] = (res, args)
        return res

    def pd_track(
        self, res: Sym, name: str, how: str, args: tuple[Any, ...] | None, offset: int
    ) -> None:
        """Record how a Categorical or what its categories may be made of was made (dict
        arguments as their items at the call: later SETITEMs do not reach the callee)."""
        if len(self.pd_made) >= ip.MAX_CLAIMS * 100:
            if name == pcat.UNPICKLE:
                self.pd_flag("more pandas arrays than can be proven", offset)
            return
        if args is not None:
            args = tuple(list(a.items) if type(a) is PDict else a for a in args)
        self.pd_made[id(res)] = (res, pcat.Made(name, how, args, offset))

    def pd_made_of(self, value: Any) -> pcat.Made | None:
        got = self.pd_made.get(id(value))
        return got[1] if got is not None and got[0] is value else None

    def arrow_length(self, value: Any) -> int | None:
        got = self.arrow_lengths.get(id(value))
        return got[1] if got is not None and got[0] is value else None

    def prove_categoricals(self) -> None:
        """Every NDArrayBacked from ``__pyx_unpickle_NDArrayBacked`` given one (dtype, ndarray)
        state, and a Categorical's codes inside its categories (airlock.scan.pandas_cat)."""
        for _sym, made in self.pd_made.values():
            if made.name in pcat.MASKED:
                self.prove_masked(made)
            if made.name == pdp.MANAGER:
                self.prove_old_manager(made)
            if made.name != pcat.UNPICKLE:
                continue
            cls = made.args[0] if made.args else None
            what = _name_of(cls) or "pandas array"
            why: str | None
            if made.args is not None and not (type(cls) is Sym and cls.kind == K_GLOBAL):
                why = f"the class {describe(cls)} is not a named class"
            elif out_of_time():
                why = "time budget hit"
            else:
                try:
                    if what in pcat.CATEGORICAL:
                        why = pcat.verdict(made, self.pd_made_of, self.arr_of, self.arrow_length)
                    else:
                        got = pcat.backed_parts(made, _is_ndarray)
                        why = got if type(got) is str else pcat.data_kind(what, got[1], self.arr_of)
                except Exception as exc:  # odd input: not proven, never a crash
                    why = f"not checked ({type(exc).__name__})"
            if why is not None:
                self.col.flag(
                    pcat.RULE,
                    f"{what}: {why}",
                    made.offset,
                    f"{what} (__pyx_unpickle_NDArrayBacked) not proven: {why}",
                    extra={"callable": pcat.UNPICKLE, "unbuilt": not made.states},
                )

    def prove_old_manager(self, made: pcat.Made) -> None:
        """A BlockManager from ``__new__`` and ``__setstate__`` (pandas < 1.4 pickles; pandas
        rebuilds it from the state's ``'0.14.1'`` dict and checks nothing, and its
        ``_rebuild_blknos_and_blklocs`` writes each placed column's slot unchecked): the
        placements must be exactly 0..N-1 for N the length of its items (axes[0])."""
        why: str | None
        try:
            got = pdp.old_state(made.states)
            if type(got) is str:
                why = got
            else:
                axes, blocks = got
                triples = [self.pd_block_of(b, len(axes)) for b in blocks]
                why = pdp.verdict(triples, self.arr_of)
                placed = pdp.placed_count(triples, self.arr_of) if why is None else 0
                n = pcat.length(axes[0], self.pd_made_of, self.arr_of, self.arrow_length)
                if why is None and n != placed:
                    why = f"{placed} placed columns for items of length {n}"
        except Exception as exc:  # odd input: not proven, never a crash
            why = f"not checked ({type(exc).__name__})"
        if why is not None:
            self.pd_flag(f"made by __new__ and __setstate__: {why}", made.offset)

    def pd_block_of(self, block: Any, ndim: int) -> Any:
        """(placement, rows, ndim) of a ``{'values': ..., 'mgr_locs': ...}`` block state."""
        d = pcat.mapping(block)
        if d is None or "values" not in d or "mgr_locs" not in d:
            return "a block state other than {'values': ..., 'mgr_locs': ...}"
        placement = d["mgr_locs"]
        pgot = self.pd_calls.get(id(placement)) if type(placement) is Sym else None
        if pgot is not None and pgot[0] is placement and placement.name == pdp.SLICE:
            placement = tuple(pgot[1])
        arr = self.arr_of(d["values"])
        rows = arr.shape[0] if isinstance(arr, ip.Arr) and len(arr.shape) == 2 else None
        return (placement, rows, ndim)

    def prove_masked(self, made: pcat.Made) -> None:
        def shape_of(value: Any) -> Any:
            arr = self.arr_of(value)
            return None if isinstance(arr, str) else arr.shape

        try:
            why = pcat.masked_verdict(made, shape_of)
        except Exception as exc:  # odd input: not proven, never a crash
            why = f"not checked ({type(exc).__name__})"
        if why is not None:
            self.col.flag(
                pcat.RULE,
                f"{made.name}: {why}",
                made.offset,
                f"{made.name}: data and mask not proven of one shape: {why}",
                extra={"callable": made.name},
            )

    def pd_block(self, block: Any) -> Any:
        """(placement, rows of 2-D numpy values or None, ndim) of an ``_unpickle_block``
        result, or the reason it is not known."""
        got = self.pd_calls.get(id(block))
        if got is None or got[0] is not block or block.name != pdp.UNPICKLE_BLOCK:
            return f"{describe(block)} is not made by _unpickle_block(values, placement, ndim)"
        args = got[1]
        if len(args) != 3:
            return "_unpickle_block not called with (values, placement, ndim)"
        values, placement, ndim = args
        pgot = self.pd_calls.get(id(placement)) if type(placement) is Sym else None
        if pgot is not None and pgot[0] is placement and placement.name == pdp.SLICE:
            placement = tuple(pgot[1])
        arr = self.arr_of(values)
        rows = arr.shape[0] if isinstance(arr, ip.Arr) and len(arr.shape) == 2 else None
        return (placement, rows, ndim)

    def prove_frame(self, blocks: Any, offset: int) -> None:
        why: str | None
        if type(blocks) is not tuple:
            why = f"blocks {describe(blocks)} are not a tuple"
        elif out_of_time():
            why = "time budget hit"
        else:
            try:
                why = pdp.verdict([self.pd_block(b) for b in blocks], self.arr_of)
            except Exception as exc:  # odd input: not proven, never a crash
                why = f"not checked ({type(exc).__name__})"
        if why is not None:
            self.pd_flag(why, offset)

    def prove_indices(self) -> None:
        # estimators holding decision trees first: they tell each Tree the X width it gets
        claims = sorted(
            self.ix_claims, key=lambda c: _PROOF_ORDER.get((c.attrs or {})["ix"][1:2], 2)
        )
        for sym in claims:
            attrs = sym.attrs or {}
            cls = attrs["cls"]
            why = attrs["why"]
            kind = attrs["ix"]
            if why is None and out_of_time():
                why = "time budget hit"
            if why is None:
                try:
                    if kind[0] == "owner":
                        why = self.link_trees(kind[1], attrs)
                    elif kind[0] == "tree":
                        why = self.prove_dtree(attrs)
                    elif kind[0] == "hgbtree":
                        why = self.prove_tpred(attrs)
                    elif kind[0] == "est":
                        ctx = ep.Ctx(
                            self.arr_of,
                            self.state_of,
                            self.int_of,
                            self.scalar_of,
                            self.text_of,
                            self.blob_of,
                        )
                        if attrs["constructed"] and cls in ip.BOOSTERS:
                            why = "made by calling the class (a model file or string given "
                            why += "to the constructor reaches the native parser unproven)"
                        else:
                            why = ep.verdict(cls, attrs["state"], ctx)
                    elif kind[0] == "sparse":
                        if attrs["builds"]:
                            why = ip.sparse_verdict(kind[1], attrs["state"], self.arr_of)
                    elif attrs["builds"]:
                        state = attrs["state"]
                        if kind[0] == "ck":
                            why = ip.ckdtree_verdict(state, self.arr_of)
                        else:
                            why = ip.sk_tree_verdict(kind[1], state, self.arr_of)
                    elif not attrs["constructed"]:
                        why = "made without its constructor and never given a state"
                except Exception as exc:  # odd input: not proven, never a crash
                    why = f"not checked ({type(exc).__name__})"
            if why is not None:
                self.col.flag(
                    ip.RULE,
                    f"{cls}: {why}",
                    attrs["offset"],
                    f"{cls}: index arrays not proven in range: {why}",
                    extra={"callable": cls},
                )

    def text_of(self, value: Any) -> tuple[str | None, str | None]:
        """A str the pickle holds as a constant (small, or a large text left in place)."""
        if type(value) is str:
            return value, None
        if type(value) is Span and value.is_text:
            return decode_text(self.buf[value.offset : value.offset + value.length]), None
        return None, f"{describe(value)} is not a string constant in the pickle"

    def blob_of(self, value: Any) -> tuple[Any, str | None]:
        """The bytes of a bytearray the pickle builds from its own bytes (BYTEARRAY8, or
        ``bytearray(bytes)``) and never changes."""
        data: Any = None
        if type(value) is bytes or type(value) is Span:
            if id(value) not in self.mutable or (type(value) is Span and value.is_text):
                return None, f"{describe(value)} is not a bytearray"
            data = value
        elif type(value) is Sym and value.kind == K_OBJ and value.name == arrow.BYTEARRAY:
            data = (value.attrs or {}).get("data")
        if data is None:
            return None, f"{describe(value)} is not a bytearray built from bytes in the pickle"
        # handed to code once (the booster's __setstate__), never changed by the pickle
        if self.mut_events.get(id(value), 0) > 1:
            return None, "a bytearray the pickle changes or hands to other code"
        return self.span_bytes(data), None

    def state_of(self, value: Any, kind: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """The merged state of a tracked plain-class object (a scipy sparse container, an
        estimator of airlock.scan.estimator_proof) given its state once, else None; with
        ``kind``, only an object of that kind (``("sparse", "csr")``...)."""
        attrs = value.attrs if type(value) is Sym and value.kind == K_OBJ else None
        if not attrs or attrs.get("ix", ("",))[0] not in ("sparse", "est") or attrs["why"]:
            return None
        if kind is not None and attrs["ix"] != kind:
            return None
        state = attrs["state"]
        return state if type(state) is dict and attrs["builds"] == 1 else None

    def scalar_of(self, value: Any) -> tuple[str, bytes] | None:
        """A numpy scalar (``multiarray.scalar(dtype, bytes)``) as (dtype.str, its bytes)."""
        attrs = value.attrs if type(value) is Sym and value.kind == K_OBJ else None
        seq = attrs.get("scalar") if attrs else None
        if seq is None or len(seq) != 2 or type(seq[1]) is not bytes:
            return None
        dstr = dtype_str(seq[0])
        if dstr is None or not dstr[2:].isdigit() or len(seq[1]) != int(dstr[2:]):
            return None
        return dstr, seq[1]

    def int_of(self, value: Any) -> int | None:
        """A numpy integer scalar as an int."""
        sc = self.scalar_of(value)
        if sc is None or sc[0] not in ("<i8", "<i4", ">i8", ">i4", "<u4", "<u8", ">u4", ">u8"):
            return None
        dstr, raw = sc
        return int.from_bytes(raw, "little" if dstr[0] == "<" else "big", signed=dstr[1] == "i")

    def link_trees(self, kind: str, attrs: dict[str, Any]) -> str | None:
        """A DecisionTree*/ExtraTree* estimator tells its ``tree_`` (a Tree proven later) the
        width its predict checks X against (n_features_in_); a GradientBoosting* estimator,
        whose compiled predict reads its trees without that check, requires each of its
        estimators_ to check the model's width (its stages may come from a nested joblib
        pickle, already proven against their own n_features_in_)."""
        state = attrs["state"]
        if kind == "hgb":
            return self.link_predictors(state)
        if kind in ("bm", "init"):
            return None
        if kind == "dt":
            tree = state.get("tree_")
            if type(tree) is Sym and tree.attrs and tree.attrs.get("ix") == ("tree",):
                tree.attrs.setdefault("owners", []).append(state.get("n_features_in_"))
            return None
        if "estimators_" not in state:
            return None
        arr = self.arr_of(state["estimators_"])
        if not isinstance(arr, ip.Arr):
            return f"estimators_: {arr}"
        if arr.dtype != "|O8" or arr.raw is None:
            return "estimators_ is not an object array held in the pickle"
        nfi = state.get("n_features_in_")
        for est in arr.raw():
            if type(est) is not Sym or not est.attrs or est.attrs.get("ix") != ("owner", "dt"):
                return f"an estimators_ item {describe(est)} is not a decision tree"
            own = est.attrs["state"].get("n_features_in_")  # its Tree is proven against it
            if type(nfi) is not int or type(own) is not int or own != nfi:
                return f"a stage checks X for {own!r:.30} features, the model for {nfi!r:.30}"
        if len(arr.shape) != 2:
            return f"estimators_ of shape {arr.shape} is not 2-D"
        init, loss = self.gb_part(state.get("init_")), self.gb_part(state.get("_loss"))
        multinomial = loss is not None and loss[0] == ip.MULTINOMIAL
        multinomial = multinomial and loss is not None and "is_multiclass" not in loss[1]
        return ip.gb_columns_verdict(
            arr.shape[1],
            state.get("init_"),
            state.get("n_trees_per_iteration_"),
            init[0] if init else None,
            init[1] if init else None,
            multinomial,
            self.arr_of,
            lambda v: self.scalar_of(v) is not None,
        )

    def gb_part(self, value: Any) -> tuple[str, dict[str, Any]] | None:
        """(class, merged state) of a GradientBoosting init estimator or loss kept for
        ``ip.gb_columns_verdict``, else None."""
        attrs = value.attrs if type(value) is Sym and value.kind == K_OBJ else None
        if not attrs or attrs.get("ix") != ("owner", "init") or attrs["why"]:
            return None
        st = attrs["state"]
        return (attrs["cls"], st) if type(st) is dict else None

    def link_predictors(self, state: dict[str, Any]) -> str | None:
        """A HistGradientBoosting* estimator tells each TreePredictor of its ``_predictors``
        (a list of lists) the X width its predict validates (n_features_in_) and its bin
        mapper's is_categorical_ (the known-categories bitsets' rows). A TreePredictor no
        estimator claims is not proven (see ``ip.tpred_verdict``)."""
        preds = state.get("_predictors")
        if preds is None:
            return None  # unfitted: predict raises before reading any tree

        def is_categorical() -> Any:
            bm = state.get("_bin_mapper")
            bm_attrs = bm.attrs if type(bm) is Sym and bm.kind == K_OBJ and bm.attrs else None
            if not bm_attrs or bm_attrs.get("ix") != ("owner", "bm") or bm_attrs["why"]:
                return None
            return ip.categorical_mask(self.arr_of(bm_attrs["state"].get("is_categorical_")))

        owner = ip.hgb_owner(state.get("n_features_in_"), is_categorical)
        if type(preds) is not list:
            return f"_predictors {describe(preds)} is not a list"
        for it in preds:
            if type(it) is not list:
                return f"a _predictors item {describe(it)} is not a list"
            for p in it:
                pa = p.attrs if type(p) is Sym and p.kind == K_OBJ and p.attrs else None
                if pa is None or pa.get("ix") != ("hgbtree",):
                    return f"a _predictors entry {describe(p)} is not a TreePredictor"
                pa.setdefault("owners", []).append(owner)
        return None

    def prove_tpred(self, attrs: dict[str, Any]) -> str | None:
        if not attrs["builds"]:
            return "never given its state"
        return ip.tpred_verdict(attrs["state"], attrs.get("owners", []), self.arr_of)

    def prove_dtree(self, attrs: dict[str, Any]) -> str | None:
        if not attrs["builds"]:
            return "never given its state"
        state = attrs["state"]
        if type(state) is not PDict:
            return f"a state {describe(state)} that is not a plain dict"
        plain: dict[str, Any] = {}
        for k, v in state.items:
            if type(k) is not str:
                return "a state key that is not a constant string"
            plain[k] = v
        return ip.dtree_verdict(attrs["args"], plain, attrs.get("owners", []), self.arr_of)

    def flag_deferred(self, name: str, offset: int, evidence: str) -> None:
        """A getattr/partial/ufunc-reconstruct whose target is not a known allowed name."""
        self.col.flag(
            "AIR-PKL-001",
            name,
            offset,
            evidence,
            severity=Severity.CRITICAL,
            why="It reaches any attribute or callable chosen by the pickle.",
            reference=f"{GHSA}/GHSA-vvpj-8cmc-gx39",
            extra={"callable": name, "category": "import"},
        )

    # -- data payloads --------------------------------------------------------------------

    def payload_bytes(self, off: int, ln: int) -> Any:
        buf = self.buf
        if ln >= _NESTED_MIN:
            head = bytes(buf[off : off + 8])
            kind = nested_kind(head)
            if kind is not None:
                self.add_nested(off, ln, kind)
        if ln <= _SMALL_BYTES:
            return bytes(buf[off : off + ln])
        return Span(off, ln, False)

    def add_nested(self, off: int, ln: int, kind: str, data: bytes | None = None) -> bool:
        """Hand a nested payload to the engine; False when it was not (implausible, limits)."""
        col = self.col
        lim = self.limits
        if (
            kind == "pickle"
            and self.budget[3] > 0
            and not plausible_pickle(
                self.buf if data is None else data,
                off if data is None else 0,
                off + ln if data is None else len(data),
                self.budget,
            )
        ):
            return False
        if ln > lim.max_member_bytes or col.nested_bytes + ln > lim.max_expanded_bytes:
            self.col.flag(
                "AIR-PKL-011", "nested", off, f"nested {kind} of {ln} bytes at {off} too large"
            )
            return False
        if len(col.nested) >= lim.max_members:
            return False
        col.nested_bytes += ln
        col.nested.append(
            (f"bytes@{off}", data if data is not None else bytes(self.buf[off : off + ln]))
        )
        return True

    def byte_string(self, raw: Any, offset: int) -> Any:
        """A protocol-0/1 string (STRING, BINSTRING): Python 3 decodes an ASCII one to ``str``
        (the default ``encoding="ASCII"``), so it is text here too, and may spell a spec name."""
        if type(raw) is bytes and raw.isascii():
            text = raw.decode("ascii")
            if SPEC_KEY in text:
                self.spec_text(text, offset)
            return text
        return raw

    def payload_text(self, off: int, ln: int) -> Any:
        if ln > _SMALL_STR:
            return Span(off, ln, True)
        text = decode_text(self.buf[off : off + ln])
        if SPEC_KEY in text:
            self.spec_text(text, off)
        return text

    def spec_text(self, text: str | None, offset: int) -> None:
        """Text holding ``model_spec`` was pushed (None: a numpy str_/bytes_ scalar spelling
        it): from now on dict keys and pair arguments are checked, and each push of a spec
        name must be an item of the model's ``_init_keys`` list (``spec_finish``)."""
        self.spec_seen = True
        if text is None or text in SPEC_KEYS:
            self.spec_pushes += 1
            if self.spec_first < 0:
                self.spec_first = offset

    def spec_hit(self, k: Any) -> bool:
        if type(k) is str:
            return k in SPEC_KEYS
        if type(k) is Sym and k.kind == K_OBJ and k.attrs and "scalar" in k.attrs:
            return any(spec_bytes(x) for x in (k.attrs["scalar"] or ()))
        return False

    def spec_flag(self, offset: int) -> None:
        if len(self.col.spec_at) < _MAX_SPEC:
            self.col.spec_at.append(offset)

    def spec_keys(self, items: Any, offset: int) -> None:
        """Dict items (key, value, key, value...: SETITEM(S) on a dict or an object, DICT)
        whose key names a statsmodels formula spec, as a str or a numpy str_/bytes_ scalar:
        refused at the end of the analysis when the pickle names statsmodels (``SPEC_WHY``).
        The names listed in an ``_init_keys`` value (the honest form) are counted."""
        for i in range(0, len(items) - 1, 2):
            k, v = items[i], items[i + 1]
            if self.spec_hit(k):
                self.spec_flag(offset)
            elif k == "_init_keys" and type(v) is list:
                self.spec_listed += sum(1 for x in v if type(x) is str and x in SPEC_KEYS)

    def spec_pairs(self, seq: Any, offset: int) -> None:
        """A call's arguments holding (spec name, value) pairs (``dict(pairs)``,
        ``OrderedDict(pairs)``: a mapping a BUILD may install as attributes)."""
        todo = [(x, 0) for x in seq[:64]]
        while todo:
            x, depth = todo.pop()
            if type(x) is tuple or type(x) is list:
                if len(x) == 2 and self.spec_hit(x[0]):
                    self.spec_flag(offset)
                    return
                if depth < 2:
                    todo.extend((y, depth + 1) for y in x[:10_000])

    def spec_finish(self) -> None:
        """Spec names pushed beyond the ones listed in ``_init_keys`` are refused."""
        if self.spec_pushes > self.spec_listed:
            self.spec_flag(max(self.spec_first, 0))

    def take_items(self, k: int) -> bool:
        b = self.budget
        if b[1] >= k:
            b[1] -= k
            return True
        return False

    # -- values that reach code which may call them ------------------------------------

    def escape(self, value: Any, offset: int, how: str) -> None:
        """``value`` (and everything it holds) reaches code that may call it with arguments
        the pickle does not show: a call's arguments, a BUILD state, an item set on an object,
        the loaded result. Every callable in it is judged as if called with unknown arguments.

        Containers are walked once and remembered (items added to them later escape at the
        SETITEM/APPEND); small tuples are walked again, bounded by the walk budget.
        """
        t = type(value)
        if t is Sym:
            if value.kind == K_GLOBAL or value.kind == K_OBJ:
                self.escape_sym(value, offset, how)
            return
        if t is not tuple and t is not list and t is not PDict and t is not PSet:
            if id(value) in self.mutable and how != arrow.PY_BUFFER:
                self.mutated[id(value)] = value
                self.mut_events[id(value)] = self.mut_events.get(id(value), 0) + 1
            return
        todo = [value]
        escaped = self.escaped
        budget = self.budget
        left = budget[4]
        while todo:
            v = todo.pop()
            t = type(v)
            if t is tuple:
                items: Any = v
                if len(v) > 8:
                    if id(v) in escaped:
                        continue
                    escaped[id(v)] = v
            else:  # list, PDict, PSet: remembered, so items added later escape too
                if id(v) in escaped:
                    continue
                escaped[id(v)] = v
                items = v if t is list else v.items
            left -= len(items) + 1
            if left < 0:
                budget[4] = left
                raise _Hard(
                    "values reaching called code nest or repeat beyond the walk limit",
                    offset,
                    "AIR-PKL-011",
                )
            for x in items:
                tx = type(x)
                if tx is Sym:
                    if x.kind == K_GLOBAL or x.kind == K_OBJ:
                        self.escape_sym(x, offset, how)
                elif tx is tuple:
                    if x:
                        todo.append(x)
                elif tx is list or tx is PDict or tx is PSet:
                    todo.append(x)
                elif (tx is bytes or tx is Span) and id(x) in self.mutable:
                    if how != arrow.PY_BUFFER:
                        self.mutated[id(x)] = x
                        self.mut_events[id(x)] = self.mut_events.get(id(x), 0) + 1
        budget[4] = left

    def sparse_use(self, claim: Any) -> None:
        sparse = self.col.sparse
        if len(sparse) < sp.MAX_CLAIMS:
            sparse.append(claim)
        elif type(sparse[-1]) is not str:
            sparse.append(f"more than {sp.MAX_CLAIMS} sparse tensors")

    def escape_items(self, target: Any, items: Any, offset: int, how: str) -> None:
        """Items added to ``target``: they escape when it already has (or is an object whose
        ``__setitem__``/``append``/``add`` runs code)."""
        t = type(target)
        if t is Sym and target.meta is not None:  # tensor[i] = v after a rebuild read it
            self.sparse_use(f"{how} on a rebuilt tensor")
        if (t is list or t is PDict or t is PSet) and id(target) not in self.escaped:
            return
        self.escape(items, offset, how)

    def escape_sym(self, sym: Sym, offset: int, how: str, *, held: bool = True) -> None:
        """``held``: the receiving code may keep the value and call it later (False for the
        class argument of copyreg's helpers, which only reaches ``cls.__new__``)."""
        kind = sym.kind
        if kind == K_GLOBAL:
            name = str(sym.name)
            v = sym.verdict
            if v is not None and v.status == REF_ONLY:
                self.col.flag(
                    "AIR-PKL-009",
                    name,
                    offset,
                    f"{name} passed as a value to {how}, which may call it",
                )
            elif name == sp.SPARSE_REBUILD:
                self.sparse_use(f"passed as a value to {how}")
            elif held and name in self.policy.new_only:
                self.new_only_values.setdefault(name, offset)
            elif name in self.needs_args:
                self.flag_deferred(
                    name,
                    offset,
                    f"{name} passed as a value to {how}, which may call it with any arguments",
                )
        elif kind == K_OBJ:
            oname = sym.name
            if oname == arrow.BYTEARRAY and how != arrow.PY_BUFFER:
                self.mutated[id(sym)] = sym
                self.mut_events[id(sym)] = self.mut_events.get(id(sym), 0) + 1
            if oname not in _CALLABLE_OBJS:
                return
            if oname in _PARTIALS:
                if id(sym) in self.escaped:
                    return
                self.escaped[id(sym)] = sym
                self.partial_escapes(sym, offset, how)
            elif oname in _ATTRGETTERS or oname in _METHODCALLERS:
                self.flag_deferred(
                    str(oname),
                    offset,
                    f"{oname} object passed to {how}, which may call it on any object",
                )

    def partial_escapes(self, sym: Sym, offset: int, how: str) -> None:
        """A partial that escapes is its function called with its arguments and more: judged
        under every rule of that function (reference-only, nested loads, getattr...)."""
        if self.partial_depth >= 16:
            self.flag_deferred(
                str(sym.name), offset, f"functools.partial nested too deeply, passed to {how}"
            )
            return
        attrs = sym.attrs or {}
        inner = attrs.get("func")
        args = attrs.get("args", ())
        args = tuple(args) if _is_seq(args) else ()
        unknown = Sym(K_DYN, f"arguments {how} chooses")
        self.escape(attrs.get("keywords"), offset, how)
        self.partial_depth += 1
        try:
            kw = None if palloc.no_kwargs(attrs.get("keywords")) else attrs.get("keywords")
            res = self.call(inner, (*args, unknown), kw, offset, f"functools.partial in {how}")
            self.escape(res, offset, how)  # what the receiving code's call returns, it holds
        finally:
            self.partial_depth -= 1

    # -- calls ----------------------------------------------------------------------------

    def call(self, func: Any, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        """The value ``func(*args, **kwargs)`` would produce, judging everything it runs."""
        if type(func) is Sym and func.kind == K_GLOBAL and func.name in _ITERATING:
            self.iterated(str(func.name), args, offset, how)
            if _is_seq(args):
                walked = sum(self.walk_len(a) for a in tuple(args)[:2])
                if walked:
                    self.work_charge(walked, offset, f"{how} of {func.name}")
            if func.name in _HASHING:
                self.hashed_items(str(func.name), args, offset)
        fed = 0
        if not (type(func) is Sym and func.name in _NO_COPY):
            self.copy_at = offset
            fed = self.copy_cost(args, 0) + self.copy_cost(kwargs, 0)
            if type(func) is Sym and func.name in _DEVICE_REBUILDS:
                self.widen_cost(args)
        if type(func) is Sym and func.kind == K_GLOBAL and func.name in _DEEP_WALKERS:
            self.deep_walk_cost(str(func.name), args, kwargs, offset)
        if type(func) is Sym and func.name in _OBJ_STATE_SETTERS and _is_seq(args):
            if len(args) >= 4:
                self.obj_state(str(func.name), tuple(args)[3], offset)
        if type(func) is Sym and func.name == "copyreg._reconstructor" and _is_seq(args):
            seq = tuple(args)
            if len(seq) >= 3 and _name_of(seq[1]) in _ITERATING:
                # rt23pk: base.__init__(obj, state) walks the state (dict(ChainMap(...)))
                walked = self.walk_len(seq[2])
                if walked:
                    self.work_charge(walked, offset, f"{how} of {_name_of(seq[1])}")
        if fed:
            res = self.call_ranges(func, args, kwargs, offset, how)
            if type(res) is Sym and self.results.get(res.name) is res:
                res = Sym(res.kind, res.name)  # its own size: not every result of that name
            if len(self.copy_made) < 65536:
                self.copy_made[id(res)] = fed
                self.copy_keep.append(res)
            return res
        return self.call_ranges(func, args, kwargs, offset, how)

    def hash_keys(self, keys: Any, offset: int, how: str) -> None:
        """Keys (set items) ``how`` hashes at load: an instance whose class hashes by Python
        code over its state is AIR-PKL-009 (airlock.scan.pickle_keys)."""
        for k in keys:
            tk = type(k)
            if tk is tuple or tk is Sym or tk is PSet:
                why = pickle_keys.key_problem(k, self.built_objs, self.key_unsafe)
                if why is not None:
                    self.col.flag(
                        "AIR-PKL-009",
                        f"hashed at load: {why.split(' (')[0]}",
                        offset,
                        f"{how} hashes {why}: no saver writes such a key or set item",
                    )

    def hashed_items(self, name: str, args: Any, offset: int) -> None:
        """What the dict and set constructors hash: a set's (Counter's) items, a dict's keys
        (the first item of each pair of a list or tuple argument)."""
        seq = tuple(args) if _is_seq(args) else ()
        at = 1 if name == "collections.defaultdict" else 0
        arg = seq[at] if len(seq) > at else None
        items: list[Any] = []
        if type(arg) is PSet:
            items = list(arg.items)
        elif type(arg) is tuple or type(arg) is list:
            items = list(arg)
        del items[_HOLDS_ITEMS:]
        if name in _SET_MAKERS:
            self.hash_keys(items, offset, name)
        else:
            self.hash_keys([x[0] for x in items if _is_seq(x) and x], offset, name)

    def deep_walk_cost(self, name: str, args: Any, kwargs: Any, offset: int) -> None:
        """``str(x)`` renders, numpy's scalar types and polynomial classes convert (np.array)
        their argument all the way down, once per reference: memoised lists nest into
        products (rt21pk: str() of 2,000 references to a list of 16 references to one 64 KiB
        text, 69 KB, made a 2 GiB str at pickle.load; numpy.float64 of 1,000 x 1,000
        references to a list of 1,000 floats, 6 KB, asked for 7.45 GiB; Polynomial/poly1d
        ran > 60 s; all clean). What the walk visits is charged as copies; an object the
        pickle built, rendered by its class's __repr__ over its state, is AIR-PKL-009."""
        self.copy_at = offset
        weight, obj = _expanded((args, kwargs), _DEEP_EDGES)
        if obj is not None and name in _RENDERS:
            self.col.flag(
                "AIR-PKL-009",
                name,
                offset,
                f"{name} renders {describe(obj)}: its class's __repr__ runs over a state the "
                "pickle chose; savers never call it on an object",
                extra={"callable": name},
            )
        if weight > _COPY_MIN:
            self._charge(weight, args)

    def widen_cost(self, args: Any) -> None:
        """``_rebuild_device_tensor_from_numpy(a, dtype, ...)`` / ``..._from_cpu_tensor(t,
        dtype, ...)`` convert their array to ``dtype`` (rt21pk: a 70 MiB int8 array as
        complex128, used once, 1.4 GiB at pickle.load and torch.load): the bytes the conversion
        adds to the array's are charged as copies. Savers pass the array's own dtype."""
        if type(args) is not tuple or len(args) < 2:
            return
        src, dt = args[0], args[1]
        width = _TORCH_ITEMSIZE.get(str(dt.name), 16) if type(dt) is Sym else 16
        size, item = 0, 1
        if type(src) is Sym and type(src.meta) is sp.Tensor:
            size = load_cost.tensor_bytes(src.meta)
            item = load_cost.element_bytes(src.meta.storage)
        elif type(src) is Sym and src.attrs and src.name in ip.RECONSTRUCT:
            state = src.attrs.get("state")
            if type(state) is tuple and state:
                raw = state[-1]
                text = self.latin1_text(raw)  # protocol 2: _codecs.encode(text, 'latin1')
                raw = text if text is not None else raw
                size = raw.length if type(raw) is Span else len(raw) if type(raw) is bytes else 0
                layout = dtype_layout(state[2]) if len(state) > 2 else None
                item = layout[0] if layout is not None and layout[0] > 0 else 1
        elif type(src) is Sym and src.attrs and type(src.attrs.get("joblib_bytes")) is tuple:
            # rt22pk: a joblib NumpyArrayWrapper array (zlib: 360 KB on disk, 80 MiB int8)
            # as complex128 took 1.5 GB at joblib.load and scanned clean
            size, item = src.attrs["joblib_bytes"]
            item = max(item, 1)
        extra = size // item * width - size
        if extra > 0:
            self._charge(extra, src)

    def copy_cost(self, v: Any, depth: int) -> int:
        """Bytes a call handed ``v`` (an argument, or an item of one) may copy from payloads,
        charged to this pickle's budget: a byte string, text or array held in the pickle is
        free on its first use (the file's own bytes) and charged on every later one; what a call
        made of one is charged on every use; a tensor view larger than its storage (a stride-0
        expand) is charged its excess. Session 18 (rt19pk): one memoised 1 MiB payload handed
        to 1,500 ``bytearray`` / ``str.lower`` calls, 200 ``list`` calls or 128
        ``_rebuild_device_tensor_from_numpy(a, complex128)`` calls took 1.5-2.3 GB at load."""
        t = type(v)
        size = 0
        if t is Span:
            size = v.length
        elif t is bytes or t is str or t is bytearray:
            size = len(v) if len(v) >= _COPY_MIN else 0
        elif t is Sym:
            made = self.copy_made.get(id(v))
            if made is not None:
                return self._charge(made, v)
            if type(v.meta) is sp.Tensor:
                logical = load_cost.tensor_bytes(v.meta)
                stored = v.meta.numel * load_cost.element_bytes(v.meta.storage)
                if logical > stored + _COPY_MIN:
                    return self._charge(logical - stored, v)
                size = logical
            elif v.attrs and v.name in ip.RECONSTRUCT and type(v.attrs.get("state")) is tuple:
                raw = v.attrs["state"][-1]
                size = raw.length if type(raw) is Span else len(raw) if type(raw) is bytes else 0
        elif depth == 0 and (t is tuple or t is list or t is PDict):
            items = v.items if t is PDict else v
            total = 0
            for i, item in enumerate(items):
                if i >= 256:
                    break
                if t is PDict:
                    item = item[1]
                total += self.copy_cost(item, 1)
            return total
        if size < _COPY_MIN:
            return 0
        if id(v) not in self.copy_seen:
            if len(self.copy_seen) < 65536:
                self.copy_seen.add(id(v))
                self.copy_keep.append(v)
                return size  # a first use: a result made of it is charged when used
            return self._charge(size, v)
        return self._charge(size, v)

    def walk_len(self, v: Any) -> int:
        """Items the loader walks when it iterates ``v`` (a dict, list, tuple or ChainMap)
        once: a ChainMap walks every map (at least one step per map)."""
        t = type(v)
        if t is PDict:
            return len(v.items)
        if t is list or t is tuple:
            return len(v)
        if t is Sym and id(v) in self.chainmaps:
            limit = 8 * self.n + _WORK_FLOOR
            total = 0
            for m in self.chainmaps[id(v)]:
                tm = type(m)
                total += max(1, len(m.items) if tm is PDict else len(m) if tm is list else 1)
                if total > limit:
                    break
            return total
        return 0

    def work_charge(self, items: int, offset: int, what: str) -> None:
        """rt22pk: time-only loads. BUILD applies its whole state each time (dict.update /
        setattr per key) and a constructor or __setstate__ walks a mapping it is handed, so one
        memoised 20,000-key dict BUILT 60,000 times onto a SimpleNamespace (589 KB) ran 31 s
        at pickle.load, and OrderedDict / dict / Module.__setstate__ of a ChainMap of 60,000
        references to that dict (529 KB) ran 52 s; all scanned clean. Savers build each state
        once from the file's own bytes: the items walked are bounded by 8x the pickle's size
        + 4M, past which it is AIR-PKL-009."""
        before = self.work
        self.work += items
        limit = 8 * self.n + _WORK_FLOOR
        if before <= limit < self.work:
            self.col.flag(
                "AIR-PKL-009",
                "repeated walks of one container",
                offset,
                f"{what} makes the loader walk more than 8x the pickle's size + "
                f"{_WORK_FLOOR:,} container items ({self.work:,}): one memoised dict, list or "
                "ChainMap applied or iterated over and over; savers build each state once",
            )

    def map_record(self, sym: Sym, sources: Any) -> None:
        """``sym`` (a mapping made at load) copies the keys of ``sources``' dicts and of the
        mappings recorded here (a ChainMap, a dict subclass called with a dict)."""
        kept = [
            x
            for x in sources
            if type(x) is PDict
            or (type(x) is Sym and (id(x) in self.map_sources or id(x) in self.chainmaps))
            or (_pair_keys(x) if type(x) is list or type(x) is tuple else False)
        ]
        if kept:
            self.map_sources.setdefault(id(sym), []).extend(kept)
            self.map_keep.append(sym)

    def maps_in(self, args: tuple[Any, ...]) -> bool:
        """Whether a call's arguments hold a dict of the pickle or a mapping recorded here."""
        for x in args:
            tx = type(x)
            if tx is PDict or (
                tx is Sym and (id(x) in self.map_sources or id(x) in self.chainmaps)
            ):
                return True
            if (tx is list or tx is tuple) and x and _is_seq(x[0]) and len(x[0]) == 2:
                return True  # (key, value) pairs: dict(pairs) in a dict subclass
        return False

    def map_items(self, target: Sym, items: Any) -> None:
        """SETITEM(S) on a mapping made at load: the pairs whose key the state checks read
        (not text, a leading '_', a list method name) are recorded on it."""
        it = iter(items)
        keep = PDict()
        keep.items = [
            (k, v)
            for k, v in zip(it, it, strict=False)
            if type(k) is not str or k[:1] == "_" or k in _LIST_METHODS
        ]
        if keep.items:
            self.map_sources.setdefault(id(target), []).append(keep)
            self.map_keep.append(target)

    def keys_held(self, sym: Sym, depth: int) -> Any:
        """A dict of the keys ``sym`` was recorded to hold (``sym`` itself when nothing is
        recorded); a source whose keys are not known gives a key computed at load."""
        srcs = self.map_sources.get(id(sym))
        maps = self.chainmaps.get(id(sym))
        if srcs is None and maps is None:
            return sym
        view = PDict()
        done: set[int] = set()  # a map handed on many times is read once
        for src in (*(srcs or ()), *(maps or ())):
            if id(src) in done:
                continue
            done.add(id(src))
            if type(src) is Sym and depth < _MAP_DEPTH:
                src = self.keys_held(src, depth + 1)
            if (type(src) is list or type(src) is tuple) and len(src) <= _MAP_VIEW_ITEMS:
                pairs = PDict()
                pairs.items = [(k, x[1]) for k, x in zip(_pair_keys(src), src, strict=False)]
                src = pairs
            if type(src) is PDict and len(view.items) + len(src.items) <= _MAP_VIEW_ITEMS:
                view.items.extend(src.items)
            else:
                view.items.append((Sym(K_DYN, f"keys of {describe(src)}"), None))
                break
        return view

    def state_view(self, state: Any) -> Any:
        """``state`` with its mapping parts made at load shown as the keys they hold (None
        when it has none)."""
        parts = state if type(state) is tuple and len(state) == 2 else (state,)
        seen = [self.keys_held(p, 0) if type(p) is Sym else p for p in parts]
        if all(a is b for a, b in zip(seen, parts, strict=True)):
            return None
        return tuple(seen) if len(seen) == 2 else seen[0]

    def obj_state(self, name: str, state: Any, offset: int) -> None:
        """``_rebuild_parameter_with_state`` / ``_rebuild_from_type_v2`` setattr() each key of
        their state on the tensor (torch's _set_obj_state): a dunder there is what a later
        BUILD on it calls (rt23pk: '__setstate__': bytearray, then BUILD 3e9: 3.2 GB at
        torch.load, scanned clean)."""
        view = self.state_view(state)
        dunder = _dunder_key(state) or (_dunder_key(view) if view is not None else None)
        unknown = _unknown_part(state if view is None else view)
        if dunder is None and unknown is not None:
            dunder = f"the keys of {describe(unknown)} (made at load: not shown)"
        if dunder is not None:
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: state key {dunder}",
                offset,
                f"{name} sets {dunder!r} on the tensor it rebuilds (setattr per state key): "
                "a later BUILD calls an instance '__setstate__'; no saver writes such a key",
                extra={"callable": name},
            )

    def own(self, v: Sym) -> Sym:
        """The symbol one object memoised (or DUP'd) from a call's shared result symbol gets
        (rt23pk: so a second BUILD of that object is told from the BUILD of another object of
        its class). A result some id-keyed record already holds (a range, a view, a bytearray,
        a copy) keeps the shared symbol."""
        i = id(v)
        if (
            i in self.range_ids
            or i in self.view_ids
            or i in self.mutable
            or i in self.mutated
            or i in self.mut_events
            or i in self.copy_made
            or i in self.copy_seen
            or i in self.escaped
            or i in self.key_unsafe
            or i in self.built_objs
            or i in self.map_sources
            or i in self.chainmaps
            or i in self.pd_calls
            or i in self.pd_made
            or i in self.arrow_lengths
        ):
            return v
        return Sym(K_OBJ, v.name)

    def memo_put(self, memo: dict[int, Any], stack: list[Any], key: int, offset: int) -> None:
        """Store the top of the stack at ``key`` (BINPUT, LONG_BINPUT, PUT, MEMOIZE): a call's
        shared result symbol first gets its own (see own); past max_memo entries, memo_full."""
        if len(memo) < self.limits.max_memo or key in memo:
            v = stack[-1]
            if type(v) is Sym and v.kind == K_OBJ and self.results.get(v.name) is v:
                v = stack[-1] = self.own(v)  # its own symbol (see build)
            memo[key] = v
        else:
            self.memo_full(offset)

    def frame_past(self, length: int, offset: int) -> None:
        """rt23pk: pickle.load reads a frame with one read() of its declared length, which a
        file object allocates first (FRAME 3e9 in a 13-byte file: 2.8 GiB of address space
        before the load fails); savers frame what they wrote."""
        self.col.flag(
            "AIR-PKL-009",
            "frame length",
            offset,
            f"FRAME declares {length:,} bytes, {length - (self.n - offset):,} past the end of "
            "the data: the loader allocates the declared length before reading it",
        )

    def memo_index(self, key: int, offset: int) -> None:
        """rt23pk: the C unpickler grows its memo table to twice the largest index stored (8
        bytes a slot, zeroed): LONG_BINPUT 2**28 (a 9-byte pickle) took 4.2 GB at pickle.load
        and torch.load. Savers number memo entries from 0, one per object."""
        self.col.flag(
            "AIR-PKL-009",
            "memo index",
            offset,
            f"memo index {key:,} is past half the pickle's {self.n:,} bytes: the loader "
            f"allocates a {key * 16:,}-byte memo table; savers number entries from 0",
        )

    def _charge(self, size: int, v: Any) -> int:
        before = self.copied
        self.copied += size
        limit = 3 * self.n + _COPY_FLOOR
        if before <= limit < self.copied:
            self.col.flag(
                "AIR-PKL-009",
                "copies of payloads",
                self.copy_at,
                f"calls copy more than 3x the pickle's size + {_COPY_FLOOR >> 20} MiB from "
                "payloads used more than once or tensor views larger than their storage "
                f"({describe(v)}): {self.copied} bytes",
            )
        return size

    def call_ranges(self, func: Any, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        is_range = type(func) is Sym and func.name == palloc.RANGE
        if not self.range_ids and not self.view_ids and not is_range:
            return self.call_one(func, args, kwargs, offset, how)
        viewed = bool(self.view_ids) and (
            self.holds(args, self.view_ids) or self.holds(kwargs, self.view_ids)
        )
        keeper = type(func) is Sym and (
            (func.kind == K_GLOBAL and func.name in _VIEW_KEEPERS)
            or (func.kind == K_OBJ and func.name in _PARTIALS)
        )
        if viewed and not keeper:
            self.col.flag(
                "AIR-PKL-009",
                describe(func),
                offset,
                f"{how} calls {describe(func)} with a tensor view larger than its storage (a "
                "stride-0 expand): code run at load allocates every element the view claims",
            )
        fed = bool(self.range_ids) and (
            self.holds(args, self.range_ids) or self.holds(kwargs, self.range_ids)
        )
        if fed:  # each call handed a range (or what a call made of one) may copy all its items
            self.range_used += self.range_max
            if self.range_used > palloc.MAX_RANGE:
                self.col.flag(
                    "AIR-PKL-009",
                    describe(func),
                    offset,
                    f"{how} calls {describe(func)} with a range (or what was made of one): more "
                    f"than {palloc.MAX_RANGE} items materialised in this pickle",
                )
        res = self.call_one(func, args, kwargs, offset, how)
        if is_range and func.kind == K_GLOBAL:
            self.range_max = max(self.range_max, palloc.range_len(args))
            fed = True
        if fed and len(self.range_ids) < 4096:
            self.range_ids.add(id(res))
            self.range_keep.append(res)
        if viewed and keeper:
            # _rebuild_parameter(view) is the view: a fresh symbol, not the shared result
            # every plain call of that name returns
            if type(res) is Sym and self.results.get(res.name) is res:
                res = Sym(res.kind, res.name)
            self.view_found(res)
        return res

    def holds(self, v: Any, ids: set[int]) -> bool:
        """``v`` is (or holds in its tuples, lists and dicts) one of ``ids``: a range or what a
        call made of one (_new_Index(Index, {'data': range, 'dtype': 'object'}) materialises
        it too), or an oversized tensor view. Containers past ``_HOLDS_DEPTH`` levels or
        ``_HOLDS_ITEMS`` items are not walked: counted as holding one (fail closed)."""
        if id(v) in ids:
            return True
        todo = [(v, 0)]
        seen: set[int] = set()
        walked = 0
        while todo:
            v, depth = todo.pop()
            t = type(v)
            if not (t is tuple or t is list or t is PDict) or id(v) in seen:
                continue
            seen.add(id(v))
            items = v.items if t is PDict else v
            if not items:
                continue
            walked += len(items)
            if depth >= _HOLDS_DEPTH or walked > _HOLDS_ITEMS:
                return True
            for item in items:
                if id(item) in ids:
                    return True
                todo.append((item, depth + 1))
        return False

    def list_array_cost(self, name: str, state: tuple[Any, ...], offset: int) -> None:
        """fixalloc19: an array whose state is an object list allocates items x itemsize before
        filling it (zeroed): a structured dtype [('y', 'O'), ('pad', 'V900000000')] makes one
        list item 900 MB. Honest lists cost at least a byte an item for 8 bytes (an object
        pointer): all such arrays of one file's pickles may take 8 bytes per byte over a
        floor (``budget[5]``)."""
        if len(state) in (5, 7) and type(state[0]) is int:
            state = state[1:5]
        layout = dtype_layout(state[1]) if len(state) >= 4 else None
        if layout is None or type(state[3]) is not list:
            return
        cost = len(state[3]) * layout[0]
        left = self.budget[5]
        self.budget[5] = left - cost
        if left >= 0 > left - cost:  # reported once
            self.col.flag(
                "AIR-PKL-009",
                name,
                offset,
                f"{name}.__setstate__ of an object list allocating {cost:,} bytes (items x "
                f"itemsize {layout[0]:,}): object-list arrays of this pickle take more than "
                f"{_LIST_FLOOR:,} bytes plus {_LIST_RATIO} per byte of its {self.n:,}",
                extra={"callable": name},
            )

    def iterated(self, name: str, args: Any, offset: int, how: str) -> None:
        """fixalloc19: list(tensor) makes one tensor object per element or row: a 1 MiB uint8
        tensor became 643 MiB at torch.load (a 1.05 MB .pt file); list(ndarray) one numpy
        scalar per item. Savers write containers with their opcodes, never by iterating an
        array: a tensor or array handed to a container constructor is AIR-PKL-009."""
        if not _is_seq(args):
            return
        for a in tuple(args)[:4]:
            ta = type(a)
            if ta is str or ta is bytes or ta is bytearray or ta is Span:
                # rt21pk: list(text) makes a pointer per character and, past Latin-1, a new
                # 1-character str (76-80 bytes) each: 48 list() of one memoised 1 MiB text of
                # 4-byte characters took 1.07 GiB at pickle.load, list() of a 48 MiB one 1.1
                # GiB; both clean. Charged in full as copies (savers never iterate text).
                self.copy_at = offset
                self._charge(_items_bytes(a), a)
                continue
            if ta is not Sym or a.kind != K_OBJ:
                continue
            aname = str(a.name)
            if id(a) in self.view_ids or aname in _ARRAY_MAKERS or aname.startswith(_TENSORS):
                self.col.flag(
                    "AIR-PKL-009",
                    name,
                    offset,
                    f"{how} calls {name} with {describe(a)}: iterating a tensor or array makes "
                    "one object per element (hundreds of bytes each, from one byte of data)",
                    extra={"callable": name},
                )
                return

    def view_found(self, t: Sym) -> None:
        """One per rebuild call (bounded by the pickle's own length, so never capped)."""
        self.view_ids.add(id(t))
        self.view_keep.append(t)

    def call_one(self, func: Any, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        self.col.executed = True
        if type(func) is Sym and func.kind == K_GLOBAL and func.attrs and "new_of" in func.attrs:
            return self.new_method_call(func, args, kwargs, offset, how)
        if type(func) is Sym and func.kind == K_GLOBAL and func.name not in self.special:
            # Fast path (every tensor rebuild): a plain call of a resolved global.
            if self.caller is None and str(func.name).startswith(_CALLERS):
                self.caller = (str(func.name), offset)
            v = func.verdict
            if v is not None and v.status == REF_ONLY:
                self.col.flag("AIR-PKL-009", str(func.name), offset, f"{how} calls {func.name}")
            elif func.name in self.policy.value_only:
                self.value_only_call(str(func.name), offset, how)
            elif func.name in self.policy.new_only and how not in _NEWOBJS:
                self.new_only_call(str(func.name), offset, how)
            if func.name in palloc.CHECKED:
                self.alloc_check(str(func.name), args, kwargs, offset, how)
            if func.name == _DEFAULTDICT and type(args) is tuple and _no_arg_factory(args):
                # defaultdict(river.stats.Max) calls its factory with no arguments only
                self.escape_sym(args[0], offset, str(func.name), held=False)
                self.escape(args[1:], offset, str(func.name))
            elif type(args) is not tuple or args:
                self.escape(args, offset, str(func.name))
            if kwargs is not None:
                self.escape(kwargs, offset, str(func.name))
            if func.name in sp.REBUILDS:
                seen = sp.call_meta(sp.TENSOR_V2, args, _meta_of)  # qtensor: same first args
                over = type(seen) is sp.Tensor and sp.overlapping(seen)
                if over and len(self.col.overlaps) < _MAX_OVERLAPS:
                    self.col.overlaps.append(seen)
                if func.name != sp.TENSOR_V2:
                    self.qtensor_reserve(str(func.name), args, seen, offset)
                if func.name != sp.TENSOR_V2 and kwargs is None:  # a quantized tensor
                    qt = Sym(K_OBJ, func.name)  # its own symbol: its bytes, per object
                    self.col.qbytes[id(qt)] = (
                        load_cost.tensor_bytes(seen) if type(seen) is sp.Tensor else load_cost.ANY
                    )
                    self.col.qkeep.append(qt)
                    if over:
                        self.view_found(qt)
                    return qt
            if func.name in sp.META_NAMES and kwargs is None:
                meta = sp.call_meta(func.name, args, _meta_of)
                if meta is not None:
                    shown = Sym(K_OBJ, func.name)
                    shown.meta = meta
                    if type(meta) is sp.Tensor and sp.overlapping(meta):
                        self.view_found(shown)
                    return shown
            elif func.name in ip.RECONSTRUCT:  # an ndarray (one symbol each: see arr_of)
                arr = Sym(K_OBJ, func.name)
                arr.attrs = {"arr": _LAZY, "args": args, "builds": 0}
                return arr
            elif func.name == sp.SPARSE_REBUILD:
                self.sparse_use(
                    sp.coo_claim(args, _meta_of, _name_of)
                    if kwargs is None
                    else "called with keyword arguments"
                )
                sparse = Sym(K_OBJ, func.name)
                sparse.meta = ("sparse",)  # changed later (BUILD, SETITEM): not proven
                return sparse
            if func.name in pdp.CALLS or func.name in pcat.TRACKED:
                return self.pd_call(str(func.name), args, kwargs, offset, how)
            if type(args) is tuple and args and (func.name == _CHAINMAP or self.maps_in(args)):
                # rt23pk: a mapping made from dicts (ChainMap(*maps), Bunch(d)): its own
                # symbol, with the keys it holds and (ChainMap) the walk it costs
                made = Sym(K_OBJ, func.name)
                self.map_record(made, args)
                if func.name == _CHAINMAP:
                    self.chainmaps[id(made)] = args
                    self.chainmap_keep.append(made)
                return made
            res = self.results.get(func.name)
            if res is None:
                res = self.results[func.name] = Sym(K_OBJ, func.name)
            return res
        if type(func) is not Sym:
            self.anomaly(f"{how} calls a non-callable {describe(func)}", offset)
            return Sym(K_DYN, "result of a failed call")
        kind = func.kind
        if kind == K_GLOBAL:
            return self.call_global(func, args, kwargs, offset, how)
        if kind == K_OBJ and func.name is not None:
            fname = func.name
            attrs = func.attrs or {}
            if fname in _ATTRGETTERS:
                return self.attr_chain(args[0] if _is_seq(args) and args else None, attrs, offset)
            if fname in _METHODCALLERS and _is_seq(args) and args:
                meth = self.getattr_value(args[0], attrs.get("name"), offset, "methodcaller")
                return self.call(meth, attrs.get("args", ()), None, offset, "methodcaller")
            if fname in _PARTIALS:
                inner = attrs.get("func")
                fixed = attrs.get("args", ())
                extra = (tuple(fixed) if _is_seq(fixed) else ()) + (
                    tuple(args) if _is_seq(args) else ()
                )
                keywords = attrs.get("keywords")
                self.escape(keywords, offset, "functools.partial")
                self.escape(kwargs, offset, "functools.partial")
                if self.partial_depth >= 16:
                    self.flag_deferred(fname, offset, "functools.partial nested too deeply")
                    return Sym(K_DYN, "result of a partial")
                self.partial_depth += 1
                try:
                    kw = _merged_keywords(keywords, kwargs)
                    return self.call(inner, extra, kw, offset, "functools.partial")
                finally:
                    self.partial_depth -= 1
        if kind == K_MODULE:
            self.anomaly(f"{how} calls module {func.name}", offset)
            return Sym(K_DYN, "result of a failed call")
        self.col.flag(
            "AIR-PKL-010",
            describe(func),
            offset,
            f"{how} calls {describe(func)} with {describe(args)}",
        )
        return Sym(K_DYN, f"result of calling {describe(func)}")

    def qtensor_reserve(self, name: str, args: Any, seen: Any, offset: int) -> None:
        """``_rebuild_qtensor`` makes ``_empty_affine_quantized(size)`` (or the per-channel
        one) before ``set_`` puts the storage in: prod(size) elements are reserved whatever the
        storage holds (rt21pk: size (2**31,) over a 4-element storage, 1.6 KB: 2.6 GiB of
        address space at torch.load; stride 0 loads it as a 2**31-element view). Savers write
        a size within the storage; one past it, or not shown, is AIR-PKL-009."""
        size = sp.size_of(args[2], _meta_of) if type(args) is tuple and len(args) > 2 else None
        why = None
        if size is None:
            why = "a size the pickle does not show as integers"
        elif any(d < 0 for d in size):
            why = None  # torch refuses a negative dimension before allocating
        else:
            n = 1
            for d in size:
                n *= d
            if type(seen) is sp.Tensor:
                # quint4x2 / quint2x4 pack 2 / 4 elements in a storage byte (fp19 grid seed
                # 2121: an honest quint4x2 tensor of 32 elements over 16 bytes)
                per = _PACKED_Q.get(seen.storage.rsplit(".", 1)[-1], 1)
                if n > seen.numel * per:
                    why = f"{n} elements over a storage of {seen.numel}"
            elif n > _QTENSOR_UNSHOWN:
                why = f"{n} elements over a storage the pickle does not show"
        if why is not None:
            self.col.flag(
                "AIR-PKL-009",
                name,
                offset,
                f"{name} with {why}: torch reserves every element of the size before it sets "
                "the storage",
                extra={"callable": name},
            )

    def called(self, value: Any, offset: int, how: str) -> None:
        """``value`` is called by an allowlisted helper (copyreg._reconstructor and friends)
        with arguments of the helper's choosing."""
        if type(value) is Sym:
            if value.kind == K_GLOBAL:
                self.escape_sym(value, offset, how, held=False)
            elif value.kind != K_MODULE:
                self.col.flag(
                    "AIR-PKL-010", describe(value), offset, f"{how} calls {describe(value)}"
                )

    def reconstructor_base_call(self, name: str, seq: Any, i: int, offset: int) -> bool:
        """``copyreg._reconstructor(cls, base, state)`` with a ``base`` other than object runs
        ``base.__new__(cls, state)`` and ``base.__init__(obj, state)``: for a class allowed only
        as ``__new__`` (or as a value, or with particular arguments) that is ``base(state)``,
        judged as that call. True when judged so."""
        if name != "copyreg._reconstructor" or i != 1:
            return False
        base = seq[1]
        if type(base) is not Sym or base.kind != K_GLOBAL or base.name == "builtins.object":
            return False
        bname = base.name
        if not (
            bname in palloc.CHECKED
            or bname in self.policy.new_only
            or bname in self.policy.value_only
            or bname in self.conditional
        ):
            return False
        self.call(base, (seq[2] if len(seq) > 2 else None,), None, offset, name)
        return True

    def value_only_call(self, name: str, offset: int, how: str) -> None:
        """A name allowed only as a value (a ufunc, clip, mean) is called at load time."""
        if how.startswith(_PARTIAL_ESCAPE) and name in self.policy.value_only_partial_ok:
            return  # an activation held in a partial: called by model code at use only
        self.col.flag("AIR-PKL-009", name, offset,
                      f"{how} calls {name}, which can write into its arguments")  # fmt: skip

    def alloc_check(self, name: str, args: Any, kwargs: Any, offset: int, how: str) -> None:
        """An allowlisted callable that allocates by its arguments (bytes(N), range(N),
        numpy's _reconstruct shape): refused unless called as savers write it."""
        why = palloc.problem(name, args, kwargs, how)
        if why is not None:
            self.col.flag("AIR-PKL-009", name, offset, why, extra={"callable": name})

    def new_only_call(self, name: str, offset: int, how: str) -> None:
        """A class allowed only as pickle builds an instance (``__new__`` and state) is called."""
        if how.startswith(_PARTIAL_ESCAPE) and name in self.policy.new_only_partial_ok:
            return  # a layer factory held in a partial: called by model code at use only
        self.col.flag("AIR-PKL-009", name, offset,
                      f"{how} calls {name}: only its __new__ is allowed, not __init__")  # fmt: skip

    def call_global(self, func: Sym, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        name = str(func.name)
        if name == pdp.MANAGER:  # only A.__new__(BlockManager) comes here (not special)
            self.pd_flag(f"made by {how} other than BlockManager(blocks, axes)", offset)
        if self.caller is None and name.startswith(_CALLERS):
            self.caller = (name, offset)
        v = func.verdict
        if v is not None and v.status == REF_ONLY:
            self.col.flag("AIR-PKL-009", name, offset, f"{how} calls {name}")
        elif name in self.policy.value_only:
            self.value_only_call(name, offset, how)
        elif name in self.policy.new_only and how not in _NEWOBJS:
            self.new_only_call(name, offset, how)
        if name in palloc.CHECKED:
            self.alloc_check(name, args, kwargs, offset, how)
        seq: Any = args if _is_seq(args) else ()
        if self.spec_seen:
            self.spec_pairs(seq, offset)
        has_kwargs = kwargs is not None and not (type(kwargs) is PDict and not kwargs.items)
        if has_kwargs:
            self.escape(kwargs, offset, name)
        if name in _NP_RANDOM_CTORS and how not in _NEWOBJS:
            return self.random_ctor(name, args, has_kwargs, offset)
        if how in ("NEWOBJ", "NEWOBJ_EX"):
            if name in self.needs_args:
                self.flag_deferred(name, offset, f"{how} of {name}")
            res = Sym(K_OBJ, name)
            if name in DTYPES:
                res.attrs = dtype_new(tuple(seq), has_kwargs or not _is_seq(args))
            elif name in _WRAPPERS:
                res.attrs = {}
                self.escape(args, offset, name)
            else:
                self.escape(args, offset, name)
                if name in ip.TRACKED:
                    self.ix_new(res, name, None, offset, constructed=False)
            return res
        if name == _GETATTR:
            func.used = True
            if len(seq) >= 2:
                res = self.getattr_value(seq[0], seq[1], offset, "getattr")
                if type(res) is Sym and res.kind == K_GLOBAL:
                    return res
            self.flag_deferred(
                _GETATTR, offset, f"getattr{describe(tuple(seq))} cannot be resolved"
            )
            return Sym(K_DYN, "getattr result")
        if name in _UFUNC_RECONSTRUCT:
            func.used = True
            if len(seq) >= 2 and type(seq[0]) is str and type(seq[1]) is str:
                res = self.resolve(seq[0], seq[1], offset, name, compat=False)
                if res.verdict is not None and res.verdict.status not in (ALLOW, REF_ONLY):
                    self.flag_deferred(name, offset, f"{name} resolves to {res.name}")
                return res
            self.flag_deferred(name, offset, f"{name}{describe(tuple(seq))} cannot be resolved")
            return Sym(K_DYN, "ufunc")
        if name in _IMPORTERS:
            if seq and type(seq[0]) is str:
                modname = seq[0]
                if name == "builtins.__import__" and not (len(seq) >= 4 and seq[3]):
                    modname = modname.split(".")[0]
                return self.module_value(modname, offset, name)
            return Sym(K_DYN, "imported module")
        if name in _NAME_RESOLVERS:
            if seq and type(seq[0]) is str:
                target = seq[0]
                mod, _, qual = target.partition(":") if ":" in target else ("", "", target)
                return self.resolve(mod, qual, offset, name, compat=False)
            return Sym(K_DYN, "resolved name")
        if name in _PARTIALS:
            func.used = True
            wrapped: Any = seq[0] if seq else None
            if not (type(wrapped) is Sym and wrapped.kind == K_GLOBAL):
                # partial(<global>) inherits every rule of the global: it is judged as a call
                # of it wherever the partial is called or escapes.
                self.flag_deferred(name, offset, f"{name} of {describe(wrapped)}")
            if has_kwargs:
                self.flag_deferred(name, offset, f"{name} with keyword arguments")
        if name in _ATTRGETTERS or name in _METHODCALLERS or name in _PARTIALS:
            res = Sym(K_OBJ, name)
            if name in _ATTRGETTERS:
                res.attrs = {"names": tuple(seq)}
            elif name in _METHODCALLERS:
                res.attrs = {"name": seq[0] if seq else None, "args": tuple(seq[1:])}
            else:
                res.attrs = {"func": seq[0] if seq else None, "args": tuple(seq[1:])}
            return res
        if name == "_codecs.encode":
            return self.codecs_encode(seq, offset)
        if name in self.conditional:
            func.used = True
            loads = self.policy.nested_args.get(name)
            for i, arg in enumerate(seq):
                if i != loads:
                    self.escape(arg, offset, name)
            return self.conditional_call(name, seq, offset)
        calls = self.policy.calls_args.get(name)
        if calls:
            sized = palloc.newobj_target(seq) if name in _COPYREG_NEWOBJS else None
            if sized is not None:  # cls.__new__(cls, *args): bytes.__new__ allocates by args
                if name == "copyreg.__newobj__":
                    self.alloc_check(sized, tuple(seq[1:]), None, offset, "NEWOBJ")
                else:
                    self.alloc_check(
                        sized,
                        seq[1] if len(seq) > 1 else (),
                        seq[2] if len(seq) > 2 else None,
                        offset,
                        "NEWOBJ_EX",
                    )
            walker = _deep_new(name, seq)
            if walker is not None:  # str.__new__(TorchVersion, x) renders x like str(x)
                self.deep_walk_cost(walker[0], walker[1], None, offset)
            for i in calls:
                if i < len(seq) and not self.reconstructor_base_call(name, seq, i, offset):
                    self.called(seq[i], offset, name)
            # fp21: copyreg.__newobj__(cls, *args) is cls.__new__(cls, *args), as the NEWOBJ
            # opcode: for a type whose __new__ is its constructor (ml_dtypes' bfloat16('1.5'),
            # int4(array)) a call, so a name allowed only as a value is AIR-PKL-009 here too
            first = seq[0] if name in _COPYREG_NEWOBJS and seq else None
            if type(first) is Sym and first.kind == K_GLOBAL:
                if first.name in self.policy.value_only:
                    self.value_only_call(str(first.name), offset, name)
            for i, arg in enumerate(seq):
                if i not in calls:
                    self.escape(arg, offset, name)
            if name == "torch._tensor._rebuild_from_type_v2" and len(seq) >= 3:
                self.call(seq[0], seq[2], None, offset, name)
            if name.startswith("copyreg.") and seq and type(seq[0]) is Sym:
                origin = seq[0].name if seq[0].kind == K_GLOBAL else None
                res = Sym(K_OBJ, origin)
                if origin in pcat.TRACKED:
                    # protocols 0-1: _reconstructor(cls, object, None) is object.__new__(cls)
                    new = len(seq) == 3 and _name_of(seq[1]) == "builtins.object" and seq[2] is None
                    how, margs = ("copyreg.__newobj__", ()) if new else (name, tuple(seq[1:]))
                    self.pd_track(res, origin, how, margs, offset)
                if origin == pdp.MANAGER:
                    new = name == "copyreg.__newobj__" and len(seq) == 1
                    new = new or (len(seq) == 3 and _name_of(seq[1]) == "builtins.object")
                    if new and (len(seq) == 1 or seq[2] is None):  # __setstate__ proven later
                        self.pd_track(res, origin, "copyreg.__newobj__", (), offset)
                    else:
                        self.pd_flag(f"made by {name} and a base class's __init__", offset)
                if name == "copyreg._reconstructor" and len(seq) >= 3:
                    self.map_record(res, seq[2:3])  # base.__init__(obj, state): dict copies
                if origin in _WRAPPERS:
                    res.attrs = {}
                elif origin in ip.TRACKED:
                    plain = name == "copyreg.__newobj__" or (
                        len(seq) == 3 and _name_of(seq[1]) == "builtins.object" and seq[2] is None
                    )
                    why = None if plain else f"built by {name} with a base class's __init__"
                    self.ix_new(res, origin, why, offset, constructed=False)
                return res
        res = Sym(K_OBJ, name)
        if seq and self.maps_in(tuple(seq)):
            self.map_record(res, seq)
        if name in DTYPES:
            res.attrs = dtype_new(tuple(seq), has_kwargs or not _is_seq(args))
            self.escape(args, offset, name)
        elif name in _WRAPPERS:
            res.attrs = {k: seq[i] for i, k in enumerate(_WRAPPER_FIELDS) if i < len(seq)}
            if len(seq) < 6:
                res.attrs["numpy_array_alignment_bytes"] = 16
            self.escape_wrapper_state(res.attrs, offset)
        elif not calls:
            self.escape(args, offset, name)
        if name in arrow.NAMES:
            self.arrow_call(res, name, seq, _is_seq(args) and not has_kwargs, offset)
        elif name in ip.FROMBUFFER:
            res.attrs = self.frombuffer(seq if _is_seq(args) and not has_kwargs else None)
        elif name in _NP_SCALAR:
            res.attrs = {"scalar": tuple(seq) if _is_seq(args) and not has_kwargs else None}
            if any(spec_bytes(x) for x in (seq if _is_seq(args) else ())):
                self.spec_text(None, offset)  # a numpy str_/bytes_ scalar is a str key too
        elif name in ip.RECONSTRUCT:
            res.attrs = {"arr": _LAZY, "args": args, "builds": 0}
        elif name in ip.SK_NEWOBJ:
            cls = _name_of(seq[0]) if seq else None
            if cls in ip.TRACKED:
                self.ix_new(res, cls, None, offset, constructed=False)
        elif name in ip.TRACKED:
            # INST/OBJ without arguments make the object with __new__ alone (no __init__)
            new = how in ("INST", "OBJ") and not seq
            why = None
            if not new and ip.sparse_format(name):
                why = "its constructor called (scipy does not check index ranges there)"
            plain = _is_seq(args) and not has_kwargs
            targs = tuple(seq) if plain else None
            self.ix_new(res, name, why, offset, constructed=not new, args=targs)
        return res

    def random_ctor(self, name: str, args: Any, has_kwargs: bool, offset: int) -> Any:
        """numpy.random._pickle's helpers, judged as the calls they make: a class given to
        ``__bit_generator_ctor`` is called with no arguments, the ``ctor`` given to
        ``__generator_ctor`` / ``__randomstate_ctor`` with the first argument."""
        seq = tuple(args) if _is_seq(args) else None
        if seq is None or has_kwargs or len(seq) > (1 if name == _BITGEN_CTOR else 2):
            self.col.flag("AIR-PKL-009", name, offset, f"{name} called with arguments numpy's "
                          "pickles do not write", extra={"callable": name})  # fmt: skip
            self.escape(args, offset, name)
            return Sym(K_OBJ, name)
        if name == _BITGEN_CTOR:
            if seq and type(seq[0]) is Sym and seq[0].kind == K_GLOBAL:
                self.call(seq[0], (), None, offset, name)
        elif len(seq) == 2:
            self.call(seq[1], seq[:1], None, offset, name)
        self.escape(seq, offset, name)  # and judged as values handed on, as before
        return Sym(K_OBJ, name)

    def conditional_call(self, name: str, seq: Any, offset: int) -> Any:
        """A name the policy allows only with particular arguments (``import_args``,
        ``nested_args``); any other use is as critical as the import or load it performs."""
        imp = self.policy.import_args.get(name)
        if imp is not None:
            i, j = imp
            if len(seq) > max(i, j) and type(seq[i]) is str and type(seq[j]) is str:
                res = self.resolve(seq[i], seq[j], offset, name, compat=False)
                if res.verdict is None or res.verdict.status != ALLOW:
                    self.flag_deferred(name, offset, f"{name} imports {res.name}")
                return Sym(K_OBJ, res.name)
            self.flag_deferred(name, offset, f"{name}{describe(tuple(seq))} cannot be resolved")
            return Sym(K_DYN, "imported object")
        shape = self.policy.match_args.get(name)
        if shape is not None:
            for i, rx in shape:
                arg = seq[i] if len(seq) > i else _MISSING
                if rx is None:
                    if arg is not None:
                        how = f"{name} called with {describe(tuple(seq))}"
                        self.flag_deferred(name, offset, how)
                        break
                elif type(arg) is not str or re.fullmatch(rx, arg) is None:
                    self.flag_deferred(name, offset, f"{name} called with {describe(tuple(seq))}")
                    break
            return Sym(K_OBJ, name)
        k = self.policy.nested_args[name]
        arg = seq[k] if len(seq) > k else None
        if not self.judge_nested(arg, offset):
            self.flag_deferred(name, offset, f"{name} loads {describe(arg)}, which is not judged")
        return Sym(K_OBJ, name)

    def byte_length(self, value: Any) -> int | None:
        """The length of a byte string of the pickle (in place or protocol 2's latin-1 form),
        None when ``value`` is not one."""
        if type(value) is bytes:
            return len(value)
        if type(value) is Span and not value.is_text:
            return value.length
        if type(value) is Sym and value.attrs is not None and "latin1_of" in value.attrs:
            text = value.attrs["latin1_of"]
            if type(text) is Span and text.is_text:
                data = self.latin1_or_none(text)
                return None if data is None else len(data)
        return None

    def judge_nested(self, arg: Any, offset: int) -> bool:
        """Hand a byte string of the pickle that a loader deserialises to the engine to judge
        as a nested pickle (or archive); False when it is not one judged here."""
        judged = False
        if type(arg) is bytes:
            kind = nested_kind(arg[:8])
            judged = kind is not None and self.add_nested(offset, len(arg), kind, arg)
        elif type(arg) is Span and not arg.is_text:
            judged = any(tag == f"bytes@{arg.offset}" for tag, _ in self.col.nested)
        elif type(arg) is Sym and arg.attrs is not None and "latin1_of" in arg.attrs:
            # protocol 2's bytes: _codecs.encode(<large text left in place>, 'latin1'), what
            # pickle.dumps(protocol=2) writes for a torch storage's _load_from_bytes argument
            text = arg.attrs["latin1_of"]
            if type(text) is Span and text.length <= self.limits.max_member_bytes:
                data = self.latin1_bytes(text)
                kind = nested_kind(data[:8])
                judged = kind is not None and self.add_nested(offset, len(data), kind, data)
        return judged

    def module_value(self, modname: str, offset: int, how: str) -> Sym:
        mod, _, last = modname.rpartition(".")
        probe = Sym(K_GLOBAL, modname)
        probe.verdict = self.policy.classify(mod, last)
        self.judge(probe, offset, f"{how}(")
        res = Sym(K_MODULE, modname)
        return res

    def getattr_value(self, obj: Any, attr: Any, offset: int, how: str) -> Any:
        """Resolve ``getattr(obj, attr)`` to a named global when both are known."""
        if type(attr) is not str or type(obj) is not Sym:
            return Sym(K_DYN, "attribute")
        if obj.kind == K_GLOBAL:
            if obj.name in self.needs_args:
                self.flag_deferred(str(obj.name), offset, f"{how} on {obj.name}")
            elif attr == "__new__" and self.plain_class(obj):
                # copyreg's protocol < 4 form of NEWOBJ_EX: partial(getattr(cls, '__new__'),
                # cls, *args, **kwargs); judged at the call (its first argument must be an
                # allowed class: then it is what NEWOBJ of that class runs)
                res = Sym(K_GLOBAL, f"{obj.name}.__new__")
                res.mod, res.qual = obj.mod, f"{obj.qual}.__new__"
                res.verdict = Verdict(ALLOW, str(res.name), matched="__new__ of an allowed class")
                res.attrs = {"new_of": obj}
                return res
            mod, qual = obj.mod, (f"{obj.qual}.{attr}" if obj.qual else attr)
        elif obj.kind == K_MODULE and obj.name:
            mod, qual = obj.name, attr
        elif obj.kind == K_OBJ and obj.name:
            mod, _, base = obj.name.rpartition(".")
            qual = f"{base}.{attr}"
        else:
            return Sym(K_DYN, "attribute")
        res = self.resolve(mod, qual, offset, how, compat=False)
        if res.name in self.conditional:
            return res  # judged where it is called, by its arguments
        if res.verdict is not None and res.verdict.status not in (ALLOW, REF_ONLY):
            self.col.flag(
                "AIR-PKL-001",
                f"{how}->{res.name}",
                offset,
                f"{how}({describe(obj)}, {attr!r}) resolves to {res.name}",
                severity=Severity.CRITICAL,
                why="Attribute lookup at load time reaches objects no import names.",
                reference=f"{GHSA}/GHSA-vvpj-8cmc-gx39",
                extra={
                    "callable": _HOW_CALLABLE.get(how, how),
                    "resolves_to": res.name,
                    "category": "import",
                },
            )
        return res

    def plain_class(self, obj: Sym) -> bool:
        """An allowed global whose NEWOBJ is allowed (not reference-only, value-only or
        allowed only with particular arguments)."""
        v = obj.verdict
        return (
            v is not None
            and v.status == ALLOW
            and obj.name not in self.needs_args
            and obj.name not in self.special
            and obj.name not in self.policy.value_only
        )

    def new_method_call(self, func: Sym, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        """``A.__new__(B, *args, **kwargs)``: B's NEWOBJ_EX when B is an allowed class too
        (B is A, or a subclass inheriting A's __new__, as copyreg writes it; A.__new__ on any
        other B makes a B without B's own __new__, which copyreg._reconstructor already may).
        Anything else as the first argument is a call judged like an unknown one."""
        seq: Any = args if _is_seq(args) else ()
        cls = seq[0] if seq else None
        if type(cls) is Sym and cls.kind == K_GLOBAL and self.plain_class(cls):
            return self.call_global(cls, tuple(seq[1:]), kwargs, offset, "NEWOBJ_EX")
        self.col.flag(
            "AIR-PKL-010", str(func.name), offset, f"{how} calls {func.name} with {describe(args)}"
        )
        return Sym(K_DYN, f"result of calling {func.name}")

    def attr_chain(self, obj: Any, attrs: dict[str, Any], offset: int) -> Any:
        names = attrs.get("names") or ()
        cur = obj
        for dotted in names[:1]:
            if type(dotted) is not str:
                return Sym(K_DYN, "attribute")
            for part in dotted.split("."):
                cur = self.getattr_value(cur, part, offset, "attrgetter")
        return cur

    def codecs_encode(self, seq: Any, offset: int) -> Any:
        text = seq[0] if seq else None
        enc = seq[1] if len(seq) >= 2 else "utf-8"
        if type(enc) is not str or enc.lower().replace(" ", "") not in _LATIN1:
            self.col.flag(
                "AIR-PKL-012", str(enc)[:40], offset, f"_codecs.encode(..., {describe(enc)})"
            )
            if type(text) is not str and not (type(text) is Span and text.is_text):
                # rt18b1: bytes-to-bytes codecs (hex doubles) chained on their own results
                # grow a byte to GiBs; savers encode text only
                self.col.flag(
                    "AIR-PKL-009",
                    "_codecs.encode",
                    offset,
                    f"_codecs.encode({describe(text)}, {describe(enc)}): encodes something other "
                    "than text from the pickle (a bytes codec chained on its results grows it)",
                )
            return Sym(K_DYN, "encoded bytes")
        if type(text) is str:
            try:
                data = text.encode("latin-1")
            except UnicodeEncodeError:
                self.anomaly("_codecs.encode cannot encode its argument as Latin-1", offset)
                return Sym(K_DYN, "encoded bytes")
            if len(data) >= _NESTED_MIN:
                kind = nested_kind(data[:8])
                if kind is not None:
                    self.add_nested(offset, len(data), kind, data)
            return data
        res = Sym(K_DYN, "encoded bytes")
        if type(text) is Span and text.is_text:  # protocol 2's large bytes: read if needed
            res.attrs = {"latin1_of": text}
            if bytes(self.buf[text.offset : text.offset + 4]) == b"CBM1":  # a CatBoost model
                if text.length <= self.limits.max_member_bytes:
                    self.add_nested(offset, text.length, "catboost", self.latin1_bytes(text))
                else:
                    self.add_nested(offset, text.length, "catboost")  # flags the limit
        return res

    # -- mutation checks ------------------------------------------------------------------

    def check_target(self, target: Any, offset: int, how: str, keys: Any = None) -> None:
        """Items added to (or state set on) ``target``, which is not a container the pickle
        built itself: judged by what the call on ``target`` runs."""
        if type(target) is bytes or type(target) is Span:  # a bytearray (BYTEARRAY8) changed
            self.mutated[id(target)] = target
            self.mut_events[id(target)] = 2  # never a proven array's bytes
        if type(target) is not Sym:
            return
        if target.name == arrow.BYTEARRAY:
            self.mutated[id(target)] = target
            self.mut_events[id(target)] = 2  # never a proven booster's bytes
        if target.attrs is not None and ("arr" in target.attrs or "ix" in target.attrs):
            target.attrs["why"] = f"changed by {how} after it was built"
        kind = target.kind
        if kind == K_GLOBAL or kind == K_MODULE:
            self.col.flag(
                "AIR-PKL-007", str(target.name), offset, f"{how} modifies {describe(target)}"
            )
        elif kind == K_DYN or target.name is None:
            self.col.flag(
                "AIR-PKL-006", f"{how}:{describe(target)}", offset, f"{how} on {describe(target)}"
            )
        elif kind == K_OBJ and how != "BUILD":
            self.item_target(str(target.name), offset, how, keys, id(target) in self.built_objs)

    def item_target(self, name: str, offset: int, how: str, keys: Any, built: bool) -> None:
        """APPEND(S)/SETITEM(S)/ADDITEMS on an instance of ``name`` run its extend, append,
        __setitem__ or add (an instance's own attribute first, for the named methods) with
        the pickle's items and whatever state the object was given: river's SWINN.append
        calls the dist_func from its state on two items (an optuna Study opening a SQLite
        file). Allowed only for the policy's ``item_targets``, classes whose methods store;
        for list subclasses (``before_build``) only while no BUILD has set the instance's
        ``__dict__``, where an ``extend``/``append`` attribute would shadow the method."""
        entry = self.policy.item_targets.get(name)
        problem = None
        if entry is None or how not in entry[0]:
            problem = "a method the policy does not know to only store items"
        elif entry[2] and built:
            problem = "a method an earlier BUILD of its __dict__ may have replaced"
        elif entry[1] and any(
            type(k) is not str or not k.isidentifier() or k.startswith("__") for k in keys or ()
        ):
            problem = "a key that is not a constant attribute name (it is set as an attribute)"
        if problem is not None:
            self.col.flag(
                "AIR-PKL-019",
                name,
                offset,
                f"{how} on a {name} object runs {problem}",
                extra={"callable": name},
            )

    # -- joblib ---------------------------------------------------------------------------

    def joblib_array(self, wrapper: Sym, file_pos: int, offset: int) -> tuple[int, Sym]:
        """Skip the raw bytes joblib wrote after this NumpyArrayWrapper; return (end, array)."""
        if file_pos >= self.n:
            raise _Hard(f"joblib array data at {file_pos} is past the end", offset)
        attrs = wrapper.attrs or {}
        layout = dtype_layout(attrs.get("dtype"))
        if layout is None:
            raise _Hard(
                f"cannot determine the dtype of the joblib array at offset {offset}",
                offset,
                "AIR-PKL-013",
            )
        itemsize, has_object = layout
        if has_object:
            inner = _Machine(
                self.buf,
                self.col,
                self.policy,
                self.limits,
                self.budget,
                joblib=False,
                speculative=False,
            )
            end = inner.run(file_pos)
            inner.finish()
            got = inner.result
            if type(got) is Sym and got.attrs is not None and "arr" in got.attrs:
                return end, got  # an object array (scipy lil rows): judged as pickled
            return end, Sym(K_OBJ, "numpy.ndarray")
        shape = attrs.get("shape")
        if not isinstance(shape, (tuple, list)) or not all(type(d) is int for d in shape):
            raise _Hard(
                f"joblib array shape is not a tuple of ints at {offset}", offset, "AIR-PKL-013"
            )
        count = 1
        for d in shape:
            count *= d
            if count < 0 or count > self.n:
                raise _Hard(f"joblib array of shape {describe(shape)} exceeds the data", offset)
        pos = file_pos
        if attrs.get("numpy_array_alignment_bytes") is not None and pos < self.n:
            pos += 1 + self.buf[pos]
        end = pos + count * itemsize
        if end > self.n:
            raise _Hard(f"joblib array data at {file_pos} runs past the end", offset)
        arr = Sym(K_OBJ, "numpy.ndarray")
        joblib_bytes = (count * itemsize, itemsize)  # what a widening conversion starts from
        dstr = dtype_str(attrs.get("dtype"))
        sub = attrs.get("subclass")
        if dstr is not None and _name_of(sub) in ip.NDARRAY:
            span = Span(pos, count * itemsize, False)
            fields = _fields_of(attrs.get("dtype"), dstr)
            fortran = attrs.get("order") == "F"
            arr.attrs = {
                "arr": ip.Arr(tuple(shape), dstr, lambda: self.span_bytes(span), fields, fortran),
                "joblib_bytes": joblib_bytes,
            }
        else:
            arr.attrs = {
                "arr": None,
                "why": "a joblib array of a dtype or class not known",
                "joblib_bytes": joblib_bytes,
            }
        return end, arr

    # -- the loop -------------------------------------------------------------------------

    def run(self, pos: int) -> int:
        """Run one pickle starting at ``pos``; return the offset just after its STOP."""
        U16, I32, U32, U64, F64BE = self.nums
        buf = self.buf
        n = self.n
        col = self.col
        stack: list[Any] = []
        push = stack.append
        pop = stack.pop
        marks: list[int] = []
        memo: dict[int, Any] = {}
        memo_put = self.memo_put
        memo_cap = (n >> 1) + _MEMO_SLACK
        results = self.results
        budget = self.budget
        ops_left = budget[0]
        check_at = max(ops_left - 65536, -1)
        big = n + 1
        frame_end = -1
        jump_at = big  # joblib: where the current frame ends and array bytes must be skipped
        jump_by = 0
        guard = n if jump_at > n else jump_at
        start = pos
        try:
            while True:
                if pos >= guard:
                    if jump_at < big:
                        if pos == jump_at:
                            pos += jump_by
                            jump_at, jump_by = big, 0
                            guard = n
                            continue
                        if pos > jump_at:
                            raise _Hard("opcode crosses a frame boundary", start)
                    raise _Hard("pickle data was truncated (no STOP)", min(pos, n))
                ops_left -= 1
                if ops_left <= check_at:  # every 64k opcodes: op budget and stack depth
                    if ops_left < 0:
                        raise _Hard(
                            f"more than {self.limits.max_pickle_ops} opcodes", pos, "AIR-PKL-011"
                        )
                    if len(stack) > _MAX_STACK or len(marks) > _MAX_STACK:
                        raise _Hard("stack deeper than 2,000,000 entries", pos, "AIR-PKL-011")
                    if out_of_time():
                        why = f"per-file time budget of {self.limits.max_seconds:g} s exceeded"
                        raise _Hard(why, pos, "AIR-PKL-011")
                    check_at = max(ops_left - 65536, -1)
                start = pos
                op = buf[pos]
                pos += 1
                # Ordered roughly by frequency in real checkpoints.
                if op == 0x72:  # LONG_BINPUT
                    if pos + 4 > n:
                        raise _Hard("pickle data was truncated", start)
                    key = U32(buf, pos)[0]
                    pos += 4
                    if key > memo_cap:
                        self.memo_index(key, start)
                    memo_put(memo, stack, key, start)
                elif op == 0x68:  # BINGET
                    if pos >= n:
                        raise _Hard("pickle data was truncated", start)
                    key = buf[pos]
                    pos += 1
                    push(memo[key] if key in memo else self.memo_miss(key, start))
                elif op == 0x4B:  # BININT1
                    if pos >= n:
                        raise _Hard("pickle data was truncated", start)
                    push(buf[pos])
                    pos += 1
                elif op == 0x28:  # MARK
                    marks.append(len(stack))
                elif op == 0x58:  # BINUNICODE
                    if pos + 4 > n:
                        raise _Hard("pickle data was truncated", start)
                    ln = U32(buf, pos)[0]
                    pos += 4
                    if ln > n - pos:
                        raise _Hard(f"string length {ln} runs past the end", start)
                    push(self.payload_text(pos, ln))
                    pos += ln
                elif op == 0x74:  # TUPLE
                    k = marks.pop()
                    tup = tuple(stack[k:])
                    del stack[k:]
                    push(tup)
                elif op == 0x85:  # TUPLE1
                    stack[-1] = (stack[-1],)
                elif op == 0x52:  # REDUCE
                    args = pop()
                    func = stack[-1]
                    stack[-1] = self.call(func, args, None, start, "REDUCE")
                elif op == 0x51:  # BINPERSID
                    self.escape(stack[-1], start, "persistent_load")
                    stack[-1] = persistent_value(stack[-1])
                elif op == 0x89:  # NEWFALSE
                    push(False)
                elif op == 0x29:  # EMPTY_TUPLE
                    push(())
                elif op == 0x71:  # BINPUT
                    if pos >= n:
                        raise _Hard("pickle data was truncated", start)
                    key = buf[pos]
                    pos += 1
                    memo_put(memo, stack, key, start)
                elif op == 0x8C:  # SHORT_BINUNICODE
                    if pos >= n:
                        raise _Hard("pickle data was truncated", start)
                    ln = buf[pos]
                    pos += 1
                    if pos + ln > n:
                        raise _Hard("pickle data was truncated", start)
                    text = decode_text(buf[pos : pos + ln])
                    if SPEC_KEY in text:
                        self.spec_text(text, start)
                    push(text)
                    pos += ln
                elif op == 0x94:  # MEMOIZE
                    memo_put(memo, stack, len(memo), start)
                elif op == 0x88:  # NEWTRUE
                    push(True)
                elif op == 0x7D:  # EMPTY_DICT
                    push(PDict())
                elif op == 0x75:  # SETITEMS
                    k = marks.pop()
                    items = stack[k:]
                    del stack[k:]
                    target = stack[-1]
                    if self.spec_seen:
                        self.spec_keys(items, start)
                    self.hash_keys(items[0::2], start, "SETITEMS")
                    if type(target) is PDict:
                        if self.take_items(len(items) // 2):
                            it = iter(items)
                            target.items.extend(zip(it, it, strict=False))
                    else:
                        self.check_target(target, start, "SETITEMS", items[0::2])
                        if type(target) is Sym and target.kind == K_OBJ:
                            self.map_items(target, items)
                    self.escape_items(target, items, start, "SETITEMS")
                elif op == 0x86:  # TUPLE2
                    b = pop()
                    stack[-1] = (stack[-1], b)
                elif op == 0x87:  # TUPLE3
                    c = pop()
                    b = pop()
                    stack[-1] = (stack[-1], b, c)
                elif op == 0x4A:  # BININT
                    if pos + 4 > n:
                        raise _Hard("pickle data was truncated", start)
                    push(I32(buf, pos)[0])
                    pos += 4
                elif op == 0x6A:  # LONG_BINGET
                    if pos + 4 > n:
                        raise _Hard("pickle data was truncated", start)
                    key = U32(buf, pos)[0]
                    pos += 4
                    push(memo[key] if key in memo else self.memo_miss(key, start))
                elif op == 0x4E:  # NONE
                    push(None)
                elif op == 0x5D:  # EMPTY_LIST
                    push([])
                elif op == 0x65:  # APPENDS
                    k = marks.pop()
                    items = stack[k:]
                    del stack[k:]
                    target = stack[-1]
                    if type(target) is list:
                        if self.take_items(len(items)):
                            target.extend(items)
                    else:
                        self.check_target(target, start, "APPENDS")
                    self.escape_items(target, items, start, "APPENDS")
                elif op == 0x61:  # APPEND
                    v = pop()
                    target = stack[-1]
                    if type(target) is list:
                        if self.take_items(1):
                            target.append(v)
                    else:
                        self.check_target(target, start, "APPEND")
                    self.escape_items(target, v, start, "APPEND")
                elif op == 0x81:  # NEWOBJ
                    args = pop()
                    cls = stack[-1]
                    stack[-1] = self.call(cls, args, None, start, "NEWOBJ")
                elif op == 0x62:  # BUILD
                    state = pop()
                    inst = stack[-1]
                    if type(inst) is Sym and inst.kind == K_OBJ and results.get(inst.name) is inst:
                        # a call's shared result symbol: the object it stands for gets its own
                        # (review23: Pickler.fast writes no memo, and every StandardScaler of a
                        # list after the first was a "second BUILD")
                        inst = stack[-1] = self.own(inst)
                    if type(inst) is Sym:
                        in_frame = pos < frame_end
                        file_pos = frame_end + jump_by if in_frame else pos
                        end = self.build(inst, state, start, file_pos, stack)
                        if end != file_pos:  # joblib array bytes consumed
                            if in_frame:
                                # The unpickler holds the frame in memory: array bytes are
                                # read from the file after it, then the frame continues.
                                jump_at = frame_end
                                jump_by = end - frame_end
                                guard = n if jump_at > n else jump_at
                            else:
                                pos = end
                elif op == 0x47:  # BINFLOAT
                    if pos + 8 > n:
                        raise _Hard("pickle data was truncated", start)
                    push(F64BE(buf, pos)[0])
                    pos += 8
                elif op == 0x4D:  # BININT2
                    if pos + 2 > n:
                        raise _Hard("pickle data was truncated", start)
                    push(U16(buf, pos)[0])
                    pos += 2
                elif op == 0x73:  # SETITEM
                    v = pop()
                    key = pop()
                    target = stack[-1]
                    if self.spec_seen:
                        self.spec_keys((key, v), start)
                    if type(key) is not str:
                        self.hash_keys((key,), start, "SETITEM")
                    if type(target) is PDict:
                        if self.take_items(1):
                            target.items.append((key, v))
                    else:
                        self.check_target(target, start, "SETITEM", (key,))
                        if type(target) is Sym and target.kind == K_OBJ:
                            self.map_items(target, (key, v))
                    self.escape_items(target, (key, v), start, "SETITEM")
                elif op == 0x63:  # GLOBAL
                    (m, q), pos = ops.read_arg(buf, op, pos, n)
                    push(self.resolve_text(m, q, start, "GLOBAL"))
                elif op == 0x93:  # STACK_GLOBAL
                    q = pop()
                    m = stack[-1]
                    if type(m) is str and type(q) is str:
                        stack[-1] = self.resolve(m, q, start, "STACK_GLOBAL")
                    else:
                        stack[-1] = self.dynamic_global(m, q, start)
                elif op == 0x8A:  # LONG1
                    val, pos = ops.read_arg(buf, op, pos, n)
                    push(val)
                elif op == 0x92:  # NEWOBJ_EX
                    kwargs = pop()
                    args = pop()
                    cls = stack[-1]
                    stack[-1] = self.call(cls, args, kwargs, start, "NEWOBJ_EX")
                elif op == 0x43 or op == 0x42 or op == 0x8E or op == 0x96:  # *BINBYTES*, BYTEARRAY8
                    (off, ln), pos = ops.read_arg(buf, op, pos, n)
                    v = self.payload_bytes(off, ln)
                    if op == 0x96:  # a mutable bytearray (see arrow_sources)
                        self.mutable[id(v)] = v
                    push(v)
                elif op == 0x55 or op == 0x54:  # SHORT_BINSTRING, BINSTRING
                    (off, ln), pos = ops.read_arg(buf, op, pos, n)
                    push(self.byte_string(self.payload_bytes(off, ln), start))
                elif op == 0x8D:  # BINUNICODE8
                    (off, ln), pos = ops.read_arg(buf, op, pos, n)
                    push(self.payload_text(off, ln))
                elif op == 0x95:  # FRAME
                    if pos + 8 > n:
                        raise _Hard("pickle data was truncated", start)
                    ln = U64(buf, pos)[0]
                    pos += 8
                    if ln > n - pos:
                        self.anomaly(f"frame of {ln} bytes runs past the end", start)
                        if ln > n - pos + _FRAME_SLACK:
                            self.frame_past(ln, start)
                    frame_end = pos + ln
                elif op == 0x80:  # PROTO
                    if pos >= n:
                        raise _Hard("pickle data was truncated", start)
                    self.proto = buf[pos]
                    if self.proto > ops.HIGHEST_PROTOCOL:
                        self.anomaly(f"unsupported pickle protocol {self.proto}", start)
                    pos += 1
                elif op == 0x2E:  # STOP
                    result = pop()
                    self.result = result
                    if self.sensitive:  # nothing can be added to what it holds after STOP
                        self.escape(result, start, "the code that loaded the pickle")
                    start = pos
                    return pos
                elif op == 0x30:  # POP
                    if marks and marks[-1] == len(stack):
                        marks.pop()
                    else:
                        pop()
                elif op == 0x31:  # POP_MARK
                    k = marks.pop()
                    del stack[k:]
                elif op == 0x32:  # DUP
                    v = stack[-1]
                    if type(v) is Sym and v.kind == K_OBJ and results.get(v.name) is v:
                        v = stack[-1] = self.own(v)  # one object, its own symbol
                    push(v)
                elif op == 0x6C:  # LIST
                    k = marks.pop()
                    lst = stack[k:]
                    del stack[k:]
                    push(lst)
                elif op == 0x64:  # DICT
                    k = marks.pop()
                    items = stack[k:]
                    del stack[k:]
                    d = PDict()
                    if self.spec_seen:
                        self.spec_keys(items, start)
                    self.hash_keys(items[0::2], start, "DICT")
                    it = iter(items)
                    d.items.extend(zip(it, it, strict=False))
                    push(d)
                elif op == 0x8F:  # EMPTY_SET
                    push(PSet())
                elif op == 0x90:  # ADDITEMS
                    k = marks.pop()
                    items = stack[k:]
                    del stack[k:]
                    target = stack[-1]
                    self.hash_keys(items, start, "ADDITEMS")
                    if type(target) is PSet and not target.frozen:
                        if self.take_items(len(items)):
                            target.items.extend(items)
                    else:
                        self.check_target(target, start, "ADDITEMS")
                    self.escape_items(target, items, start, "ADDITEMS")
                elif op == 0x91:  # FROZENSET
                    k = marks.pop()
                    fs = PSet(True)
                    fs.items = stack[k:]
                    self.hash_keys(fs.items, start, "FROZENSET")
                    del stack[k:]
                    push(fs)
                elif op == 0x69:  # INST
                    (m, q), pos = ops.read_arg(buf, op, pos, n)
                    k = marks.pop()
                    args = tuple(stack[k:])
                    del stack[k:]
                    cls = self.resolve_text(m, q, start, "INST")
                    push(self.call(cls, args, None, start, "INST"))
                elif op == 0x6F:  # OBJ
                    k = marks.pop()
                    items = stack[k:]
                    del stack[k:]
                    if not items:
                        raise IndexError("OBJ without a class")
                    push(self.call(items[0], tuple(items[1:]), None, start, "OBJ"))
                elif op == 0x70 or op == 0x67:  # PUT, GET
                    line, pos = read_line(buf, pos, n, start)
                    try:
                        key = ops.parse_memo_line(line)
                    except ValueError:
                        self.anomaly("memo index is not a number", start)
                        key = -1
                    if op == 0x67:
                        push(memo[key] if key in memo else self.memo_miss(key, start))
                    elif key < 0:
                        self.anomaly("negative memo index", start)
                    else:
                        if key > memo_cap:
                            self.memo_index(key, start)
                        memo_put(memo, stack, key, start)
                elif op == 0x49 or op == 0x4C or op == 0x46:  # INT, LONG, FLOAT
                    line, pos = read_line(buf, pos, n, start)
                    try:
                        if op == 0x49:
                            push(ops.parse_int_line(line))
                        elif op == 0x4C:
                            push(ops.parse_long_line(line))
                        else:
                            push(ops.parse_float_line(line))
                    except ValueError:
                        self.anomaly("malformed number", start)
                        push(Sym(K_DYN, "malformed number"))
                elif op == 0x53:  # STRING
                    line, pos = read_line(buf, pos, n, start)
                    try:
                        raw = ops.parse_string_line(line)
                    except ValueError:
                        self.anomaly("malformed STRING argument", start)
                        push(Sym(K_DYN, "malformed string"))
                    else:
                        push(self.byte_string(raw, start))
                elif op == 0x56:  # UNICODE
                    line, pos = read_line(buf, pos, n, start)
                    try:
                        text = str(line, "raw-unicode-escape")
                    except UnicodeDecodeError:
                        self.anomaly("malformed UNICODE argument", start)
                        push(Sym(K_DYN, "malformed string"))
                    else:
                        if SPEC_KEY in text:
                            self.spec_text(text, start)
                        push(text)
                elif op == 0x50:  # PERSID
                    line, pos = read_line(buf, pos, n, start)
                    push(Sym(K_DYN, "persistent id"))
                elif op == 0x82 or op == 0x83 or op == 0x84:  # EXT1/2/4
                    code, pos = ops.read_arg(buf, op, pos, n)
                    if code <= 0:  # both unpicklers refuse it before any lookup
                        raise _Hard("EXT specifies code <= 0", start)
                    col.flag(
                        "AIR-PKL-004",
                        str(code),
                        start,
                        f"EXT code {code}",
                        extra={"code": code},
                    )
                    col.executed = True
                    push(Sym(K_DYN, f"extension code {code}"))
                elif op == 0x97:  # NEXT_BUFFER
                    push(Sym(K_DYN, "out-of-band buffer"))
                elif op == 0x98:  # READONLY_BUFFER
                    stack[-1]
                else:
                    raise _Hard(f"invalid opcode 0x{op:02x}", start, cut=False)
        except IndexError:
            if pos >= n:
                raise _Hard("pickle data was truncated", start) from None
            raise _Hard("unpickling stack underflow", start, cut=False) from None
        except PickleParseError as exc:
            raise _Hard(str(exc).rsplit(" at offset", 1)[0], exc.offset) from None
        finally:
            budget[0] = ops_left
            self.last_end = start

    def build(self, inst: Sym, state: Any, offset: int, file_pos: int, stack: list[Any]) -> int:
        """BUILD on a symbolic object: judge __setstate__, track wrapper/dtype state.

        Returns the file position after any joblib array bytes this BUILD makes the loader
        read (``file_pos`` itself when there are none).
        """
        kind = inst.kind
        if inst.meta is not None:  # __setstate__ on a rebuilt tensor may replace its data
            self.sparse_use("BUILD on a rebuilt tensor")
        if kind == K_GLOBAL or kind == K_MODULE:
            self.check_target(inst, offset, "BUILD")
            self.escape(state, offset, "BUILD")
            return file_pos
        if kind == K_DYN or inst.name is None:
            self.col.flag(
                "AIR-PKL-006", f"BUILD:{describe(inst)}", offset, f"BUILD on {describe(inst)}"
            )
            self.escape(state, offset, "BUILD")
            return file_pos
        name = inst.name
        if id(inst) in self.built_objs and name not in _RESTATED:
            # rt23pk: savers give each object one BUILD, right after making it (pickle
            # memoises it first: a memoised object has its own symbol); a second one calls
            # whatever the first put under '__setstate__' (a ModuleDict's keys, pairs made by
            # tuple(), an object array's rows: Module.__setstate__ updates __dict__ with any)
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: BUILD twice",
                offset,
                f"BUILD of a {name} that an earlier BUILD already gave a state: pickle calls "
                "the instance's '__setstate__', which the first state may have set; savers "
                "build each object once",
                extra={"callable": name},
            )
        self.built_objs[id(inst)] = inst
        walked = self.walk_len(state)
        if type(state) is tuple:
            walked = sum(self.walk_len(part) for part in state[:2])
        if walked:
            self.work_charge(walked, offset, f"BUILD of {name}")
        if name == _CHAINMAP and type(state) is PDict:
            maps = state.get("maps")
            if type(maps) is list or type(maps) is tuple:
                self.chainmaps[id(inst)] = maps
                self.chainmap_keep.append(inst)
        if name in pickle_keys.HASH_FIELDS and id(inst) not in self.key_unsafe:
            if pickle_keys.state_problem(state, self.built_objs) is not None:
                self.key_unsafe[id(inst)] = inst
        dunder = _dunder_key(state, name)
        view = self.state_view(state) if self.map_sources or self.chainmaps else None
        if dunder is None and view is not None:
            dunder = _dunder_key(view, name)  # rt23pk: a Bunch / ChainMap state's keys
        if id(inst) in self.unknown_state and dunder is None:
            dunder = "keys of an earlier state made at load (a second BUILD of the object)"
        if _unknown_part(state if view is None else view, self.built_objs) is not None:
            self.unknown_state[id(inst)] = inst
        if dunder is not None:
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: state key {dunder}",
                offset,
                f"BUILD of {name} sets {dunder!r} on the instance: a later BUILD calls an "
                "instance '__setstate__' with its state, a '__class__' retypes the object "
                "(whose __setstate__ then runs unchecked); no saver writes such a key",
                extra={"callable": name},
            )
        dropped = _dropped_state_key(state, name)
        if dropped is None and view is not None:
            dropped = _dropped_state_key(view, name)
        if dropped is not None:
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: state key {dropped}",
                offset,
                f"BUILD of {name} sets {dropped!r}: its __getstate__ drops that key or it "
                "names a method its __setstate__ calls (a planted value would be called at "
                "load or wrapped and called at use); no saver writes it",
                extra={"callable": name},
            )
        if name == pil_state.IMAGE:
            why = pil_state.image_state_problem(state, self.byte_length)
            if why is None:
                # one byte string of the pickle backs one image: memo references to a 1 MiB
                # string made 2 100 images (2.1 GiB) of a 1.1 MB pickle (review23)
                data = state[4]
                if id(data) in self.pil_data:
                    why = "data another image's state holds (a memo reference)"
                self.pil_data[id(data)] = data
            if why is not None:
                self.col.flag(
                    "AIR-PKL-009",
                    f"{name}: state",
                    offset,
                    f"BUILD of {name} with {why}: its __setstate__ allocates the image from "
                    "the state's mode and size before it checks the data (core.new); savers "
                    "write [info, mode, size, palette, data] with the pixels' bytes",
                    extra={"callable": name},
                )
        if name in _NGBOOST_MODELS:
            why = _ngboost_state_problem(state, self.policy.value_only)
            if why is not None:
                self.col.flag(
                    "AIR-PKL-009",
                    f"{name}: state",
                    offset,
                    f"BUILD of {name} with {why}: its __setstate__ builds classes from the "
                    "state's Dist/Score (and K, uncensor, _basedist) at load; savers write "
                    "references to ngboost's distribution and score classes",
                    extra={"callable": name},
                )
        if name in _EINOPS_LAYERS:
            why = _einops_state_problem(state, _EINOPS_LAYERS[name])
            if why is not None:
                self.col.flag(
                    "AIR-PKL-009",
                    f"{name}: state",
                    offset,
                    f"BUILD of {name} with {why}: its __setstate__ runs __init__ with the "
                    "state's pattern and axis lengths (einops parses the pattern); savers write "
                    "{'pattern': text, 'axes_lengths': {name: int}}",
                    extra={"callable": name},
                )
        if name.startswith("sklearn.") and type(state) is PDict:
            version = state.get("_sklearn_version")
            if version is not None and type(version) is not str:
                # rt21pk: BaseEstimator.__setstate__ warns with str() of it when it differs
                # from the running version: a list of 2,000 references to 16 references to a
                # 64 KiB text (69 KB) was rendered to 2 GiB at pickle.load (clean before)
                self.col.flag(
                    "AIR-PKL-009",
                    f"{name}: _sklearn_version",
                    offset,
                    f"BUILD of {name} with _sklearn_version {describe(version)}: scikit-learn "
                    "renders it with str() in its version warning; savers write the version text",
                    extra={"callable": name},
                )
        entry = self.policy.item_targets.get(name)
        keyed = state if view is None else view
        shadow = _list_method_key(keyed) if entry is not None and entry[2] else None
        hook = _list_hook_key(keyed) if shadow is None else None
        if hook is not None:
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: state key {hook}",
                offset,
                f"BUILD of {name} sets {hook!r} to {describe(dict(_state_pairs(keyed))[hook])} "
                "on the instance: on a list subclass copy, deepcopy and pickle call it per item "
                "(GenerationConfig's __hash__ deep-copies its __dict__); no saver writes one",
                extra={"callable": name},
            )
        if shadow is not None:
            self.col.flag(
                "AIR-PKL-009",
                f"{name}: state key {shadow}",
                offset,
                f"BUILD of the list subclass {name} sets {shadow!r} on the instance: copy and "
                "deepcopy (GenerationConfig's __hash__, a quantization config's __iter__) "
                "call the instance's append per item, pickle its extend; savers write no state",
                extra={"callable": name},
            )
        if self.caller is None and name.startswith(_CALLERS):
            self.caller = (name, offset)
        if name.startswith("__torch__.") or name == _SCRIPT_OBJECT:
            builds = self.col.ts_builds
            if len(builds) < load_cost.MAX_BUILDS:
                held = load_cost.state_bytes(state, self.col.qbytes, self.col.walk_left)
                builds.append((name, held))
                self.col.ts_states.append((name, state))  # attributes (airlock.scan.weight_norm)
            elif builds[-1][0]:
                builds.append(("", load_cost.ANY))  # more objects than counted: unbounded
        made = self.pd_made_of(inst)
        if made is not None:
            made.states.append(_freeze(state, [4096]))
        elif name in pcat.STATEFUL:
            self.col.flag(
                pcat.RULE,
                f"{name}: given a state",
                offset,
                f"{name} given a state where its making was not followed: not proven",
                extra={"callable": name},
            )
        if name in palloc.ARRAY_STATE and type(state) is tuple:
            why = palloc.array_state_problem(name, state, dtype_str(_array_state_dtype(state)))
            if why is not None:
                self.col.flag("AIR-PKL-017", f"{name}: object list", offset, why,
                              extra={"callable": name})  # fmt: skip
            else:
                self.list_array_cost(name, state, offset)
        if name in DTYPES:
            if inst.attrs is not None:
                dtype_setstate(inst.attrs, state)
            self.escape(state, offset, f"{name}.__setstate__")
            return file_pos
        if inst.attrs is not None and name not in _WRAPPERS:
            if name in ip.RECONSTRUCT:
                self.arr_build(inst.attrs, state)
            elif "arr" in inst.attrs:  # ndarray.__setstate__ on a built array replaces it
                inst.attrs["arr"] = None
                inst.attrs["why"] = "its state set after it was built"
            elif "ix" in inst.attrs:
                self.ix_build(inst.attrs, state)
        if name not in _WRAPPERS:
            if name == _SCRIPT_OBJECT:
                self.torchbind_state(state, offset)
            executes = exec_state_rule(name)
            if executes is not None:
                self.exec_state(name, executes, state, offset)
            if name in PICKLED_KEY_STATES:
                self.pickled_keys_state(name, state, offset)
            if name in gensim_specials.SAVELOAD:
                lists = gensim_specials.state_lists(state)
                if isinstance(lists, str):
                    self.saveload_flag(name, lists, offset)
                else:
                    self.saveload.append((name, lists, offset))
            if pickle_hooks.watched(name):
                if len(self.hook_states) < _MAX_HOOK_STATES:
                    self.hook_states.append((name, state, offset))
                else:
                    self.col.flag("AIR-PKL-009", name, offset, f"BUILD of {name}: more than "
                                  f"{_MAX_HOOK_STATES:,} such states (not checked)")  # fmt: skip
            if name in _PARTIALS and type(state) is tuple and len(state) == 4:
                # partial.__setstate__((func, args, keywords, namespace)) replaces all three
                attrs = inst.attrs if inst.attrs is not None else {}
                inst.attrs = attrs
                attrs["func"], attrs["args"], attrs["keywords"] = state[0], state[1], state[2]
            self.escape(state, offset, f"BUILD of {name}")
            return file_pos
        self.col.saw_wrapper = True
        attrs = inst.attrs if inst.attrs is not None else {}
        inst.attrs = attrs
        slot = None
        if isinstance(state, tuple) and len(state) == 2:
            state, slot = state
        for part in (state, slot):
            if type(part) is PDict:
                for k, v in part.items:
                    if type(k) is str:
                        attrs[k] = v
                    else:
                        self.escape(k, offset, f"BUILD of {name}")
            else:
                self.escape(part, offset, f"BUILD of {name}")
        self.escape_wrapper_state(attrs, offset)
        if not self.joblib:
            return file_pos
        end, arr = self.joblib_array(inst, file_pos, offset)
        stack[-1] = arr
        return end

    def torchbind_state(self, state: Any, offset: int) -> None:
        """BUILD of ``torch.ScriptObject``: its ``__setstate__((state, qualname))`` instantiates
        the TorchBind class registered under ``qualname`` and runs that class's C++
        ``__setstate__`` on ``state``. Only the packed-parameter classes eager quantization
        saves are allowed; any other (or a name that is not a constant) is an unknown callable."""
        qual = state[1] if type(state) is tuple and len(state) == 2 else None
        if type(qual) is str and qual in _TORCHBIND_CLASSES:
            return
        what = qual if type(qual) is str else f"torch.ScriptObject state {describe(state)}"
        self.col.flag(
            "AIR-PKL-002",
            what,
            offset,
            f"BUILD of torch.ScriptObject instantiates TorchBind class {what}",
            extra={"callable": what},
        )

    def pickled_keys_state(self, name: str, state: Any, offset: int) -> None:
        """BUILD of tsfresh's settings (``PickableSettings.__setstate__`` runs
        ``cloudpickle.loads`` on every key of its state dict, then stores the dict): allowed
        only when the state is a plain dict not handed to other code before, of at most
        ``_MAX_PICKLED_KEYS`` keys, each a byte string of the pickle that the engine judges as
        a nested pickle (what ``__getstate__`` writes: ``cloudpickle.dumps(key)``)."""
        problem = None
        if type(state) is not PDict:
            problem = f"a state {describe(state)} that is not a plain dict"
        elif id(state) in self.escaped:
            problem = "a state dict other code received before this BUILD"
        elif len(state.items) > _MAX_PICKLED_KEYS:
            problem = f"{len(state.items):,} keys (more than {_MAX_PICKLED_KEYS:,})"
        else:
            for key, _ in state.items:
                if not self.judge_nested(key, offset):
                    problem = f"a key {describe(key)} that is not a pickle judged here"
                    break
        if problem is not None:
            self.col.flag(
                "AIR-PKL-016",
                name,
                offset,
                f"BUILD of {name} ({name.rsplit('.', 1)[-1]}.__setstate__ unpickles each state "
                f"key with cloudpickle) with {problem}",
                extra={"callable": name},
            )

    def exec_state(
        self, name: str, executes: tuple[tuple[str, Any], ...], state: Any, offset: int
    ) -> None:
        """BUILD of a class whose ``__setstate__`` executes state text (``pickle_exec_state``):
        critical unless the state is a plain dict with constant string keys, not handed to any
        code before, and every executed attribute in it is a constant string its validator
        accepts."""
        problem = None
        if type(state) is not PDict:
            problem = f"a state {describe(state)} that is not a plain dict"
        elif id(state) in self.escaped:
            problem = "a state dict other code received before this BUILD"
        elif any(type(k) is not str for k, _ in state.items):
            problem = "a state key that is not a constant string"
        else:
            for attr, valid in executes:
                if not state.has(attr):
                    continue
                value = state.get(attr)
                if valid is chat_template:
                    problem = self.chat_template(name, value, offset)
                    if problem is not None:
                        self.template_flag(name, problem, offset)
                        problem = None
                    continue
                if type(value) is not str:
                    problem = f"{attr} = {describe(value)}, not a constant string"
                elif not valid(value):
                    problem = f"{attr} = {describe(value)}, not the form the library writes"
                if problem is not None:
                    break
        if problem is not None:
            self.col.flag(
                "AIR-PKL-016",
                name,
                offset,
                f"BUILD of {name} ({name.rsplit('.', 1)[-1]}.__setstate__ executes state) "
                f"with {problem}",
                extra={"callable": name},
            )

    def chat_template(self, name: str, value: Any, offset: int) -> str | None:
        """A tokenizer state's ``chat_template``: None, a constant string (judged now) or a
        dict of them (judged at finish); anything else (a REDUCE result, a dict other code
        received first) is a problem."""
        if value is None:
            return None
        if type(value) is str:
            self.judge_template(name, "chat_template", value, offset)
            return None
        if type(value) is PDict and id(value) not in self.escaped:
            self.template_dicts.append((name, value, offset))
            return None
        if type(value) is PDict:
            return "a chat_template dict other code received before this BUILD"
        return f"chat_template = {describe(value)}, not a constant string or dict of them"

    def escape_wrapper_state(self, attrs: dict[str, Any], offset: int) -> None:
        """A joblib array wrapper's fields. ``subclass`` is only ever compared with ndarray and
        memmap, or handed to numpy's ``_reconstruct`` as the type of an empty array (never
        called), so a global there (numpy.memmap is reference-only) is not an escape."""
        for key, value in attrs.items():
            if key == "subclass" and type(value) is Sym and value.kind == K_GLOBAL:
                continue
            self.escape(value, offset, "joblib.numpy_pickle.NumpyArrayWrapper")

    def memo_miss(self, key: int, offset: int) -> Any:
        if self.budget[2]:
            return Sym(K_DYN, "memo entry dropped at the memo limit")
        self.anomaly(f"memo key {key} was never stored", offset)
        return Sym(K_DYN, "missing memo entry")

    def memo_full(self, offset: int) -> None:
        if not self.budget[2]:
            self.budget[2] = 1
            self.col.flag(
                "AIR-PKL-011",
                "memo",
                offset,
                f"more than {self.limits.max_memo} memo entries; later ones are not tracked",
            )

    def dynamic_global(self, m: Any, q: Any, offset: int) -> Sym:
        self.col.executed = True
        self.col.global_at.add(offset)
        if self.speculative:
            raise _Abort("dynamic global")
        if not_a_str(m) or not_a_str(q):
            # The unpickler's STACK_GLOBAL accepts exact str operands only and raises otherwise
            # (C and Python: "STACK_GLOBAL requires str"): a load error, not an import. Seen
            # when pickle.load reads a joblib stream whose object-array pickles reuse memo slots.
            self.anomaly("STACK_GLOBAL requires two strings", offset)
        elif (type(m) is Sym or type(m) is Span or type(m) is str) and (
            type(q) is Sym or type(q) is Span or type(q) is str
        ):
            self.col.flag(
                "AIR-PKL-003",
                f"{describe(m)}.{describe(q)}",
                offset,
                f"STACK_GLOBAL module={describe(m)} name={describe(q)}",
            )
        else:
            self.anomaly("STACK_GLOBAL requires two strings", offset)
        return Sym(K_DYN, "dynamically imported object")


# libraries whose objects call the callables they hold (estimator parameters such as func,
# score_func, metric, kernel, tokenizer) with arguments of their own at fit/predict/transform
_CALLERS = ("sklearn.", "imblearn.")
_DEFAULTDICT = "collections.defaultdict"
# new_only classes a defaultdict may hold as its factory (called with no arguments on a missing
# key): river's running statistics (a constructor of numbers; no argument opens or runs anything)
_NO_ARG_FACTORIES = ("river.stats.",)


def _array_state_dtype(state: tuple[Any, ...]) -> Any:
    """The dtype of numpy's ``((version,) shape, dtype, is_fortran, rawdata, ...)`` state."""
    i = 2 if len(state) in (5, 7) and type(state[0]) is int else 1
    return state[i] if len(state) > i else None


def _no_arg_factory(args: tuple[Any, ...]) -> bool:
    """``defaultdict(cls, ...)`` whose factory is a river statistic class: it is called with
    no arguments, so it is not a callable held for a library to call with its own (the rt16pk
    rule over-blocked a joblib dict of a scikit-learn model and a river MinMaxScaler)."""
    f = args[0] if args else None
    return type(f) is Sym and f.kind == K_GLOBAL and str(f.name).startswith(_NO_ARG_FACTORIES)


_NP_SCALAR = frozenset({"numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar"})
# rt20pk: numpy.random._pickle's helpers call what they are given: __bit_generator_ctor(cls) is
# cls() for a class; __generator_ctor / __randomstate_ctor(name, ctor) are ctor(name) (savers
# write a bit generator or a name and no ctor: __generator_ctor(1500000000, bytearray) took
# 1.4 GiB at pickle.load and scanned clean)
_NP_RANDOM = "numpy.random._pickle."
_BITGEN_CTOR = _NP_RANDOM + "__bit_generator_ctor"
_NP_RANDOM_CTORS = frozenset(
    {_BITGEN_CTOR, _NP_RANDOM + "__generator_ctor", _NP_RANDOM + "__randomstate_ctor"}
)
_MAX_SPEC = 16  # offsets of formula-spec text kept per analysis
_LAZY = object()  # an array whose state is read only when a proof needs it


def _fields_of(dt: Any, dstr: str) -> Any:
    """The fields of a structured array's dtype, worked out only if a proof asks."""
    return (lambda: dtype_fields(dt)) if dstr[1] == "V" else None


# estimators link their trees before those are proven
_PROOF_ORDER = {("gb",): 0, ("hgb",): 0, ("dt",): 1}
# tsfresh settings: PickableSettings.__setstate__ = {cloudpickle.loads(k): v for k, v in state}
PICKLED_KEY_STATES = frozenset(
    f"tsfresh.feature_extraction.settings.{c}FCParameters"
    for c in ("Comprehensive", "Efficient", "Minimal", "IndexBased", "TimeBased")
) | {"tsfresh.feature_extraction.settings.PickableSettings"}
_MAX_PICKLED_KEYS = 4096
_SIZED = ((U16, 2), (I32, 4), (U32, 4), (U64, 8), (F64BE, 8))
_NUMS = tuple(f for f, _ in _SIZED)


@lru_cache(maxsize=4)
def _special_names(policy: Policy) -> frozenset[str]:
    """Globals whose calls need more than "result of calling X" (evaluated or tracked)."""
    return (
        frozenset({"_codecs.encode"})
        | _NP_RANDOM_CTORS
        | _DEFERRED
        | _IMPORTERS
        | _NAME_RESOLVERS
        | _ATTRGETTERS
        | _METHODCALLERS
        | _PARTIALS
        | DTYPES
        | _WRAPPERS
        | arrow.NAMES
        | ip.FROMBUFFER
        | _NP_SCALAR
        | ip.SK_NEWOBJ
        | ip.TRACKED
        | frozenset(policy.calls_args)
        | frozenset(policy.import_args)
        | frozenset(policy.nested_args)
        | frozenset(policy.match_args)
        # fp20: one symbol per instance, so a BUILD of one (nltk Tree children) does not count
        # as a BUILD of the next one APPEND(S) fills (item_targets' before_build)
        | frozenset(n for n, entry in policy.item_targets.items() if entry[2])
    )


def _meta_of(value: Any) -> Any:
    return value.meta if type(value) is Sym else None


def _name_of(value: Any) -> Any:
    return value.name if type(value) is Sym and value.kind == K_GLOBAL else None


def _freeze(value: Any, left: list[int]) -> Any:
    """A BUILD state as ``__setstate__`` sees it: dicts as lists of their items now (items the
    pickle adds after the BUILD never reached it), lists as tuples; at most ``left[0]`` values
    (more: a string, which no proof accepts)."""
    left[0] -= 1
    if left[0] < 0:
        return "a state too large to record"
    t = type(value)
    if t is PDict:
        return [(k, _freeze(v, left)) for k, v in value.items]
    if t is tuple or t is list:
        return tuple(_freeze(v, left) for v in value)
    return value


def _is_ndarray(value: Any) -> bool:
    """A value the machine knows is a numpy array (rebuilt, viewed or a joblib array)."""
    return type(value) is Sym and value.attrs is not None and "arr" in value.attrs


def _is_seq(value: Any) -> bool:
    return type(value) is tuple or type(value) is list


def analyze_pickle(
    data: bytes | bytearray | memoryview,
    *,
    location: str,
    member: str | None = None,
    multi: bool = True,
    joblib: bool = False,
    limits: Limits = Limits(),
) -> PickleAnalysis:
    """Judge what loading ``data`` (a pickle stream) would import and call. Never raises.

    ``multi``: keep reading pickles after a STOP while the next bytes start another pickle
    (legacy ``torch.save`` stacks five); stops cleanly where non-pickle data begins.
    ``joblib``: the stream was written by joblib's NumpyPickler, so raw array bytes follow
    each ``NumpyArrayWrapper`` BUILD (and object arrays are nested pickles): skip/judge them.
    """
    # The machine allocates many small acyclic objects; the cyclic GC rescanning them (and the
    # caller's heap) would dominate run time. Re-enabled on the way out.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        result, saw_wrapper = _analyze(data, location, member, multi, joblib, limits)
        if saw_wrapper:
            _merge_other_reading(result, data, location, member, joblib, limits)
        return result
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyze(
    data: bytes | bytearray | memoryview,
    location: str,
    member: str | None,
    multi: bool,
    joblib: bool,
    limits: Limits,
) -> tuple[PickleAnalysis, bool]:
    buf: Any = data
    if isinstance(data, memoryview) and (data.format != "B" or data.ndim != 1):
        buf = data.cast("B")
    elif isinstance(data, LazyBytes):  # a remote object: read through its blocks, in place
        buf = data.paged()
    n = len(buf)
    # Opcodes are only read from the first max_pickle_bytes (joblib's skipped array bytes do
    # not count); a pickle that runs past that is a limit finding, not a truncation.
    capped = not joblib and n > limits.max_pickle_bytes
    if capped:
        cap = limits.max_pickle_bytes
        buf = buf.prefix(cap) if isinstance(buf, Paged) else memoryview(buf)[:cap]
        n = len(buf)
    policy = default_policy()
    col = _Collector(location, member, limits)
    result = PickleAnalysis()
    # [opcodes left, container items left, memo limit reported, nested-check opcodes left,
    #  items walked for values reaching called code, bytes object-list arrays may allocate]
    budget = [limits.max_pickle_ops, _MAX_ITEMS, 0, 1_000_000, _MAX_WALK, 0]
    budget[5] = _LIST_FLOOR + _LIST_RATIO * len(buf)  # list_array_cost, over every stream
    pos = 0
    if n == 0:
        result.error = "empty pickle stream"
        col.flag("AIR-PKL-005", "", 0, "empty pickle stream")
    while pos < n:
        speculative = False
        if result.pickles:
            # Bytes after a STOP are only another pickle if they parse as one: legacy torch
            # files continue with raw storage bytes (a numel of 128 even starts with 0x80 0x00).
            if not multi or not IS_OPCODE[buf[pos]]:
                break
            speculative = True
        target = _Collector(location, member, limits) if speculative else col
        machine = _Machine(
            buf, target, policy, limits, budget, joblib=joblib, speculative=speculative
        )
        try:
            pos = machine.run(pos)
            machine.finish()
        except (_Hard, _Abort) as exc:
            if speculative and not target.executed:
                break  # trailing data, not a pickle
            machine.finish()
            if target is not col:
                col.merge(target)
            if isinstance(exc, _Hard):
                message, offset, rule = exc.message, exc.offset, exc.rule
                if capped and exc.cut:  # a break the cap may have made: bytes past it unjudged
                    message = f"pickle longer than the {limits.max_pickle_bytes}-byte limit"
                    rule = "AIR-PKL-011"
            else:
                message, offset, rule = str(exc), machine.last_end, "AIR-PKL-005"
            col.flag(rule, "", offset, f"{message} (offset {offset})")
            result.error = f"{message} at offset {offset}"
            result.end_offset = max(machine.last_end, result.end_offset)
            break
        if target is not col:
            col.merge(target)
        if not result.pickles and type(machine.result) is Sym and machine.result.kind == K_OBJ:
            result.loads = str(machine.result.name)
        result.pickles += 1
        result.end_offset = pos
    if col.spec_at and any(name.startswith("statsmodels.") for name in col.first_at):
        col.flag("AIR-PKL-016", SPEC_KEY, col.spec_at[0], SPEC_WHY, extra={"callable": SPEC_KEY})
    result.findings = col.findings()
    result.callables = list(col.callables)
    result.nested = col.nested
    result.sparse = col.sparse
    result.overlaps = col.overlaps
    result.ts_builds = col.ts_builds
    result.ts_states = col.ts_states
    result.global_at = col.global_at
    result.first_at = col.first_at
    result.parts_at = col.parts_at
    return result, col.saw_wrapper


def _merge_other_reading(
    result: PickleAnalysis,
    data: bytes | bytearray | memoryview,
    location: str,
    member: str | None,
    joblib: bool,
    limits: Limits,
) -> None:
    """A stream with a joblib array wrapper means different things to joblib.load (raw array
    bytes follow) and to pickle.load (those bytes are opcodes). Attackers can hide opcodes in
    "array data" for whichever loader the scanner did not assume, so read it the other way too
    and keep the findings that cannot come from misread data: named dangerous callables and
    computed imports, and every other blocking finding about an importable global that the
    other reading resolves where this one resolves none (in bytes this reading skipped as array
    data or read as a string's payload): an unknown global there runs as surely as os.system
    (sympy's sympify: red team rt13 J1/J2). One shape is dropped: an honest joblib stream's
    object-array pickles reuse the memo keys of the stream around them when read by
    pickle.load, which then fails to import a module string taken from the outer memo with the
    literal name this reading also saw at that offset ('classes_.dtype'). Only that shape (same
    name, other module, not a standard-library one: copy._reconstruct, rt15pk) is dropped; a
    global sharing only its module (a gadget's name taken from the outer memo:
    pathlib.Path.write_text, review13 #8), differing in both (rt13 MEMO1) or the same global
    used otherwise (referenced here, called there: review13 #16; index arrays taken from the
    outer memo: rt15pk) is kept."""
    other, _ = _analyze(data, location, member, False, not joblib, limits)
    # sparse rebuilds of either reading must be proven (handlers.common.analyze)
    result.sparse.extend(other.sparse)
    have = {(f.rule_id, f.extra.get("subject")) for f in result.findings}
    loader = "pickle.load" if joblib else "joblib.load"
    for f in other.findings:
        if (f.rule_id, f.extra.get("subject")) in have or f.extra.get("unbuilt"):
            # unbuilt: a pandas array never given its state there (pickle.load stops at an
            # inner object-array pickle's STOP and returns that array, not the pandas one)
            continue
        name = f.extra.get("callable") or f.extra.get("subject")
        if f.rule_id in ("AIR-PKL-001", "AIR-PKL-003") or (
            f.severity >= Severity.HIGH
            and _importable(name)
            and _elsewhere(other.first_at.get(str(name), -1), other, result, f.rule_id)
        ):
            extra = dict(f.extra)
            extra["loader"] = loader
            result.findings.append(
                f._replace(evidence=f"{f.evidence} (when read by {loader})", extra=extra)
            )
            name = f.extra.get("callable")
            if isinstance(name, str) and name not in result.callables:
                result.callables.append(name)


def _importable(name: Any) -> bool:
    """A dotted name an unpickler could import (misread array bytes rarely spell one)."""
    return type(name) is str and all(p.isidentifier() for p in name.split("."))


_PROOF_RULES = frozenset(("AIR-PKL-015", "AIR-PKL-017"))


def _elsewhere(at: int, other: PickleAnalysis, this: PickleAnalysis, rule: str) -> bool:
    """Whether a finding about the global the other reading resolves at ``at`` is not merely
    this reading's global there with its module string taken from another memo entry (the
    honest object-array shape, see _merge_other_reading)."""
    if at not in this.global_at:
        return True
    mine, theirs = this.parts_at.get(at), other.parts_at.get(at)
    if mine is None or theirs is None:  # a computed import here: nothing to compare
        return True
    if mine == theirs:  # the same global: kept when the other reading calls a reference-only
        # type. Proofs of its state (AIR-PKL-015/017) read misread bytes there while that
        # reading breaks; one that reads to its end returns what it built, and an inner
        # pickle's memo keys give it other index arrays there (SIGSEGV on use, rt15pk).
        return rule == "AIR-PKL-009" or (rule in _PROOF_RULES and other.error is None)
    if mine[1] != theirs[1] or mine[0] == theirs[0]:
        return True
    # Same name, other module: honest module strings there are the outer stream's attribute
    # names and keys ('classes_', 'subclass'), which import nothing. A standard-library module
    # imports on every loader's machine, and some share a name with an allowed global:
    # copy._reconstruct(x, None, func, args) calls func(*args), uu.encode writes a file
    # (red team rt15pk). Those are kept.
    return str(theirs[0]).split(".", 1)[0] in sys.stdlib_module_names
