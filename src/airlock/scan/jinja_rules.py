"""Static analysis of Jinja chat templates: parse with Jinja's own parser, never render.

Chat templates ship inside GGUF metadata and ``tokenizer_config.json`` and are rendered by
``transformers``/``llama.cpp`` bindings for every request; an unsandboxed render of a hostile
template runs Python (CVE-2024-34359). Escapes need Python internals: dunder attributes, the
``attr`` filter with a computed name, or attribute chains climbing from template globals
(``cycler``, ``lipsum``, ``self``...). Attackers hide the names by building strings, so string
expressions are constant-folded before they are judged.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.jinja_ints import huge_ints, ref_key

REF = "CVE-2024-34359 (llama-cpp-python Jinja SSTI); https://jinja.palletsprojects.com/en/stable/sandbox/"

UNPARSEABLE = Rule(
    "AIR-JINJA-000",
    Severity.MEDIUM,
    "Chat template cannot be parsed",
    "A template the scanner cannot parse cannot be judged; the loader may still render it.",
)
DUNDER = Rule(
    "AIR-JINJA-001",
    Severity.CRITICAL,
    "Chat template accesses a dunder attribute",
    "Dunder attributes (__class__, __globals__, __subclasses__...) reach Python internals from a"
    " template; rendering it outside a sandbox executes code.",
    REF,
)
COMPUTED_ATTR = Rule(
    "AIR-JINJA-002",
    Severity.HIGH,
    "Chat template looks up an attribute by a computed name",
    "attr()/attribute= with a name computed at render time hides which attribute is reached;"
    " this is how template injection payloads evade literal filters.",
    REF,
)
DANGEROUS_NAME = Rule(
    "AIR-JINJA-003",
    Severity.CRITICAL,
    "Chat template reaches a process, import or eval primitive",
    "Attributes such as popen, system, eval, import_module only exist on Python modules and"
    " builtins; no chat template needs them.",
    REF,
)
GLOBAL_CHAIN = Rule(
    "AIR-JINJA-004",
    Severity.HIGH,
    "Chat template climbs an attribute chain from a template global",
    "Globals such as cycler, joiner, lipsum, self and namespace are Python objects whose"
    " attributes lead to __globals__ and the builtins; ordinary templates only call them.",
    REF,
)
PRIVATE_ATTR = Rule(
    "AIR-JINJA-005",
    Severity.MEDIUM,
    "Chat template accesses a private attribute",
    "Underscore attributes are Python implementation details (Jinja's sandbox forbids them);"
    " they are stepping stones towards internals such as _TemplateReference__context.",
    REF,
)
OBFUSCATED = Rule(
    "AIR-JINJA-006",
    Severity.CRITICAL,
    "Chat template builds a Python-internal name from pieces",
    "A dunder or dangerous name assembled by concatenation, ~, format, join, replace or a"
    " reversed string exists only to evade literal matching.",
    REF,
)
INCLUDE = Rule(
    "AIR-JINJA-007",
    Severity.LOW,
    "Chat template includes, imports or extends another template",
    "Chat templates are self-contained; loading other templates reads files via the loader.",
)
TOO_COMPLEX = Rule(
    "AIR-JINJA-008",
    Severity.HIGH,
    "Chat template too large or too deeply nested to analyse",
    "The scanner bounds template size and nesting; what it could not analyse is not known safe"
    " (padding a template past the bound hid a render that never ends, and would hide a sandbox"
    " escape for renderers on older Jinja). Real chat templates are far below the bounds.",
)
RESOURCES = Rule(
    "AIR-JINJA-009",
    Severity.HIGH,
    "Chat template does work fixed by the template itself that hangs or exhausts the renderer",
    "A loop nest over constant ranges, a constant range, or a repetition ('x' * 10**12) whose"
    " size the template fixes (not the conversation), or a macro that recurses on a counter or"
    " slice more than once per call, keeps transformers' apply_chat_template (and llama.cpp"
    " bindings) busy or out of memory on every request. Real templates loop over messages.",
)

MAX_TEMPLATE_CHARS = 1 << 20
MAX_REDEFINED = 8  # macros defined again, each costed in place of the first; beyond: a finding
MAX_ITERATIONS = 1_000_000  # loop iterations (product of a nest) or range() items
MAX_DATA_NEST = 4  # independent loops over the conversation nested in one another
MAX_REPEAT = 1_000_000  # characters or items built by one repetition (* a loop's count)
INT_CAP = 1 << 200  # constant folding of integers saturates here
MAX_LIPSUM = 10_000  # lipsum() paragraphs
MAX_INT_BITS = 1_000_000  # an integer a power builds (the loader computes it exactly)
# Total work (review17 F3): loop passes times what each pass does, in units of about a
# nanosecond of transformers' sandbox (measured at load 16 on 2 shared cores; see RELIABILITY.md).
MAX_WORK = 1_000_000_000  # ~1 s of rendering; real chat templates stay below 10**8
CONV_PASSES = 64  # passes of a loop over the conversation (the conversation fixes them)
CONV_DEPTH = 3  # conversation loops counted around a pass (deeper: AIR-JINJA-009's nest rule)
PASS_WORK = 300  # one loop pass
NODE_WORK = 300  # one node evaluated on a pass of a loop the template fixes
ELEM_WORK = 60  # an item or character a C-level operation touches (in, index, upper, split, ==)
SERIAL_WORK = 1_000  # an item serialised (tojson, join, string, pprint)
CONVERT_WORK = 300  # a character or item built by ~, + or * or printed (lists are serialised)
CALLBACK_WORK = 8_000  # an item a filter calls back on (sort, map, select, unique, groupby, max)
BIG_OP = 100_000  # outside loops the template fixes, only operations this costly are charged
BIG_VALUE = 10_000  # ... on values the template fixes, or values holding this many of its own
CONV_ITEM = 2_048  # characters or items of one conversation item (a message, a tool)
CONV_WHOLE = 131_072  # characters of the whole conversation (messages|string, tools|tojson)
CALL_WORK = 10_000  # one macro call (frame, arguments, a test): 11 us measured (RELIABILITY.md)
MAX_NESTING = 1_000  # nesting of lists, dicts and namespaces the template builds: unbounded
MAX_REAL_BUILD = 100_000_000  # characters or items built from counts a real conversation sizes
# filters and string methods whose integer argument is the width of what they build
PADDING = frozenset({"center", "indent", "ljust", "rjust", "zfill", "expandtabs"})
# filters whose first argument sizes what they build: (positional count, keyword, the keyword
# that must be given too, or None): tojson's indent repeats on every line, slice(n) makes n
# lists, batch(n, fill) pads the last batch to n items
COUNTED_ARGS: dict[str, tuple[int, str, str | None]] = {
    "tojson": (1, "indent", None),
    "slice": (1, "slices", None),
    "batch": (1, "linecount", "fill_with"),
}
# widths in %-format and str.format specs (``%999999999s``, ``{:>999999999}``, ``{:.999999999f}``)
# a %-conversion: mapping key, flags, width and precision (``*`` takes them from the arguments)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
MAX_NODES = 200_000
# tpl26: nodes one analysis may expand, every pass of every rule over the tree and of the data
# flow's fixed points counted. The 129 real templates of the bench need at most 88,000
# (functionary v3.2); a 1 MB template of a real one repeated needed 2.9 million and 34 s (10-30
# us a step on 2 loaded cores). Past it: AIR-JINJA-008 (never allow). Counted in steps, not
# seconds, so verdicts do not vary with load. jinja2's own parse (linear) is not counted.
MAX_ANALYSIS_WORK = 600_000
MAX_FOLD_DEPTH = 64
MAX_FOLD_CHARS = 4096
MAX_ISSUES = 200
MAX_FLOW_PASSES = 32  # data-flow fixed points; real templates settle in 2-3
# review21: bindings the cost model collects (a value given to a name, each one costed); the
# bench's chat templates hold at most 13. N macros named as values and N calls of one of them
# through a list bound every call's arguments to every macro's parameters: N * N (N = 2,000,
# a 104 KB template: 78 s, no finding)
MAX_BINDINGS = 20_000

_DUNDER = re.compile(r"^__[A-Za-z0-9_]+__$")
# Dunders used in every published sandbox escape: critical.
ESCAPE_DUNDERS = frozenset(
    {
        "__class__", "__base__", "__bases__", "__mro__", "__subclasses__", "__globals__",
        "__builtins__", "__import__", "__init__", "__dict__", "__getattribute__", "__code__",
        "__func__", "__self__", "__module__", "__reduce__", "__reduce_ex__", "__loader__",
        "__spec__", "__getitem__", "__call__", "__closure__", "__wrapped__", "__new__",
        "__subclasshook__", "__dir__", "__qualname__", "__name__",
    }
)  # fmt: skip
# Attributes that only exist on modules, builtins, frames: critical anywhere.
CRITICAL_NAMES = frozenset(
    {
        "popen", "eval", "exec", "execfile", "compile", "import_module", "__import__",
        "check_output", "check_call", "getoutput", "getstatusoutput", "spawnl", "spawnv",
        "spawnlp", "spawnvp", "execl", "execv", "execve", "execvp", "load_module",
        "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame", "tb_frame", "cr_frame",
        "ag_frame", "func_globals", "co_code", "Popen", "subprocess", "_TemplateReference__context",
        "system",
    }
)  # fmt: skip
# Suspicious as attribute names (module traversal) but too common as plain strings.
HIGH_NAMES = frozenset({"os", "sys", "builtins", "modules", "importlib", "posix", "nt"})
# Names a literal subscript reads as data: HIGH_NAMES, and 'system', the chat role every
# template keys its tables by (EXAONE's ``role_indicators['system']``). Reaching a module to
# subscript needs a chain the other rules judge.
DATA_KEYS = HIGH_NAMES | {"system"}

TEMPLATE_GLOBALS = frozenset(
    {
        "range", "dict", "lipsum", "cycler", "joiner", "namespace", "self", "request", "config",
        "url_for", "get_flashed_messages", "g", "session", "raise_exception", "strftime_now",
        "varargs", "kwargs", "caller",
    }
)  # fmt: skip
SAFE_GLOBAL_ATTRS: dict[str, frozenset[str]] = {
    "cycler": frozenset({"next", "reset", "current", "items"}),
    "dict": frozenset({"fromkeys"}),  # a classmethod making a dict; transformers' TemplateDict
}
_SAFE_ANY_GLOBAL = frozenset().union(*SAFE_GLOBAL_ATTRS.values())
# Filters whose ``attribute=`` (or first) argument is an attribute path.
ATTRIBUTE_FILTERS = frozenset(
    {"map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max"}
)


@dataclass(frozen=True)
class TemplateIssue:
    """One suspicious construct found in a template (rule, what was seen, template line)."""

    rule: Rule
    evidence: str
    line: int | None
    severity: Severity | None = None


class _Unfoldable(Exception):
    """The expression has no constant value (depends on render-time data)."""


@functools.cache
def _environment() -> Any:
    """An environment with the syntax transformers accepts: loopcontrols and {% generation %}."""
    import jinja2
    import jinja2.ext
    from jinja2 import nodes

    class _Generation(jinja2.ext.Extension):
        tags = {"generation"}  # noqa: RUF012 - Jinja's own declaration style

        def parse(self, parser: Any) -> Any:
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
            return nodes.Scope(body).set_lineno(lineno)

    # Parse only, never render: autoescape is irrelevant here.
    return jinja2.Environment(extensions=[jinja2.ext.loopcontrols, _Generation])  # noqa: S701


def _walk(root: Any, children: Callable[[Any], list[Any]] | None = None) -> Iterator[Any]:
    """Iterative pre-order walk (the recursive ``find_all`` can exhaust the stack);
    ``children`` picks which children of a node are walked (default: all)."""
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _TooComplex(f"more than {MAX_NODES} syntax nodes")
        yield node
        stack.extend(reversed(children(node) if children else list(_children(node))))


class _TooComplex(Exception):
    pass


# nodes left to expand in the analysis under way (None: outside analyze_template)
_WORK_LEFT: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "airlock_jinja_work_left", default=None
)


def _spend(steps: int) -> None:
    """Spend ``steps`` of the analysis's work budget; past it the template is too complex."""
    left = _WORK_LEFT.get()
    if left is not None:
        left[0] -= steps
        if left[0] < 0:
            raise _TooComplex(
                f"analysis needs more than {MAX_ANALYSIS_WORK:,} steps: its cost is not judged"
            )


def _children(node: Any) -> Iterator[Any]:
    """``node``'s children, one step of the analysis's work budget spent (every walk of the tree
    goes through here, so a template cannot make the rules' passes take unbounded time)."""
    _spend(1)
    return cast("Iterator[Any]", node.iter_child_nodes())


class _Folder:
    """Constant folding of string expressions, memoised per node, bounded in depth and size."""

    def __init__(self) -> None:
        self.memo: dict[int, object] = {}
        self.names: dict[str, object] = {}

    def value(self, node: Any) -> object | None:
        try:
            return self._fold(node, 0)
        except (_Unfoldable, TypeError, ValueError, IndexError, KeyError, OverflowError):
            return None

    def _fold(self, node: Any, depth: int) -> object:
        if depth > MAX_FOLD_DEPTH:
            raise _Unfoldable
        key = id(node)
        if key in self.memo:
            cached = self.memo[key]
            if cached is _Unfoldable:
                raise _Unfoldable
            return cached
        try:
            result = self._compute(node, depth + 1)
        except (_Unfoldable, TypeError, ValueError, IndexError, KeyError, OverflowError):
            self.memo[key] = _Unfoldable
            raise _Unfoldable from None
        if isinstance(result, str) and len(result) > MAX_FOLD_CHARS:
            self.memo[key] = _Unfoldable
            raise _Unfoldable
        self.memo[key] = result
        return result

    def _compute(self, node: Any, depth: int) -> object:
        from jinja2 import nodes

        f = self._fold
        if isinstance(node, nodes.Const):
            if isinstance(node.value, (str, int, float, bool)) or node.value is None:
                return node.value
            raise _Unfoldable
        if isinstance(node, nodes.TemplateData):
            return node.data
        if isinstance(node, nodes.Name):
            if node.name in self.names:
                return self.names[node.name]
            raise _Unfoldable
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return [f(item, depth) for item in node.items]
        if isinstance(node, nodes.Concat):
            return "".join(str(f(item, depth)) for item in node.nodes)
        if isinstance(node, nodes.Add):
            left, right = f(node.left, depth), f(node.right, depth)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            if isinstance(left, list) and isinstance(right, list):
                return left + right
            raise _Unfoldable
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            operand = f(node.node, depth)
            if isinstance(operand, int) and not isinstance(operand, bool):
                return -operand if isinstance(node, nodes.Neg) else operand
            raise _Unfoldable
        if isinstance(node, nodes.Mul):
            left, right = f(node.left, depth), f(node.right, depth)
            if isinstance(left, str) and isinstance(right, int) and len(left) * right <= 4096:
                return left * right
            raise _Unfoldable
        if isinstance(node, nodes.Mod):
            left, right = f(node.left, depth), f(node.right, depth)
            if isinstance(left, str):
                _foldable_format(left, percent=True)
                return left % (tuple(right) if isinstance(right, list) else right)
            raise _Unfoldable
        if isinstance(node, nodes.Getitem):
            base, arg = f(node.node, depth), node.arg
            if isinstance(arg, nodes.Slice):
                start = None if arg.start is None else f(arg.start, depth)
                stop = None if arg.stop is None else f(arg.stop, depth)
                step = None if arg.step is None else f(arg.step, depth)
                bounds = (start, stop, step)
                if isinstance(base, (str, list)) and all(_is_index(b) for b in bounds):
                    return base[slice(*cast("tuple[int | None, ...]", bounds))]
                raise _Unfoldable
            index = f(arg, depth)
            if isinstance(base, (str, list)) and isinstance(index, int):
                return base[index]
            raise _Unfoldable
        if isinstance(node, nodes.Filter):
            return self._filter(node, depth)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            base = f(node.node.node, depth)
            args = [f(a, depth) for a in node.args]
            kwargs = {kw.key: f(kw.value, depth) for kw in node.kwargs}
            return _str_method(base, node.node.attr, args, kwargs)
        raise _Unfoldable

    def _filter(self, node: Any, depth: int) -> object:
        if node.node is None:
            raise _Unfoldable
        base = self._fold(node.node, depth)
        args = [self._fold(a, depth) for a in node.args]
        kwargs = {kw.key: self._fold(kw.value, depth) for kw in node.kwargs}
        name = node.name
        if name == "reverse":
            return base[::-1] if isinstance(base, (str, list)) else _raise()
        if name == "join":
            sep = args[0] if args else kwargs.get("d", "")
            if isinstance(base, (str, list)) and isinstance(sep, str):
                return str(sep).join(str(x) for x in base)
            raise _Unfoldable
        if name == "list":
            return list(base) if isinstance(base, (str, list)) else _raise()
        if name in {"string", "e", "escape", "safe"}:
            return str(base)
        if name == "format" and isinstance(base, str):
            _foldable_format(base, percent=True)
            return base % (tuple(args) if args else kwargs)
        if name in {"replace", "lower", "upper", "title", "capitalize", "trim", "first", "last"}:
            method = {"trim": "strip", "first": "__first", "last": "__last"}.get(name, name)
            if method == "__first":
                return base[0] if isinstance(base, (str, list)) else _raise()
            if method == "__last":
                return base[-1] if isinstance(base, (str, list)) else _raise()
            return _str_method(base, method, args, {})
        raise _Unfoldable


def format_widths(text: str, percent: bool) -> tuple[int, bool]:
    """The widest width or precision a %-format (``percent``) or str.format string fixes, and
    whether some width comes from the arguments (``%*s``, ``{:>{w}}``): read, never applied.
    A str.format string Python cannot parse counts as taking its widths from the arguments."""
    import string

    widest, dynamic = 0, False
    if percent:
        for width, precision in _PERCENT_SPEC.findall(text):
            for n in (width, precision):
                dynamic = dynamic or n == "*"
                widest = max(widest, int(n) if n.isdigit() else 0)
        return widest, dynamic
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return widest, True
    for _, name, spec, _ in fields:
        if name is not None and ("." in name or "[" in name):
            dynamic = True  # attribute or index lookups: never folded
        if spec:
            dynamic = dynamic or "{" in spec
            widest = max([widest, *(int(d) for d in re.findall(r"\d+", spec))])
    return widest, dynamic


def _is_index(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _raise() -> object:
    raise _Unfoldable


def _foldable_format(text: str, percent: bool) -> None:
    """Folding applies a format in this process: only short ones whose widths the text fixes
    below the fold limit (``'{:>{w}}'.format(x, w=10**10)`` would build 10 GB here)."""
    if len(text) > MAX_FOLD_CHARS:
        raise _Unfoldable
    widest, dynamic = format_widths(text, percent)
    if dynamic or widest > MAX_FOLD_CHARS:
        raise _Unfoldable


_STR_METHODS = frozenset(
    {"format", "join", "replace", "lower", "upper", "strip", "lstrip", "rstrip", "title",
     "capitalize", "swapcase", "removeprefix", "removesuffix"}
)  # fmt: skip


def _str_method(base: object, method: str, args: list[object], kwargs: dict[str, object]) -> object:
    if not isinstance(base, str) or method not in _STR_METHODS:
        raise _Unfoldable
    if method == "join":
        if len(args) != 1 or not isinstance(args[0], (str, list)):
            raise _Unfoldable
        return base.join(str(x) for x in args[0])
    if method == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        if not isinstance(old, str) or not isinstance(new, str) or not old:
            raise _Unfoldable
        if len(base) + base.count(old) * len(new) > MAX_FOLD_CHARS:
            raise _Unfoldable
    if method == "format":
        _foldable_format(base, percent=False)
    result = getattr(base, method)(*args, **kwargs)  # only str methods from the allowlist above
    if not isinstance(result, str):
        raise _Unfoldable
    return result


def _name_issue(name: str, how: str, line: int | None, computed: bool) -> TemplateIssue | None:
    """Judge an attribute name reached by ``how``; ``computed`` when it was assembled."""
    if _DUNDER.match(name):
        if computed:
            return TemplateIssue(OBFUSCATED, f"{how} builds {name!r}", line)
        severity = None if name in ESCAPE_DUNDERS else Severity.HIGH
        return TemplateIssue(DUNDER, f"{how} {name!r}", line, severity)
    if name in CRITICAL_NAMES:
        rule = OBFUSCATED if computed else DANGEROUS_NAME
        return TemplateIssue(rule, f"{how} {name!r}", line)
    if name in HIGH_NAMES:
        rule = OBFUSCATED if computed else DANGEROUS_NAME
        return TemplateIssue(rule, f"{how} {name!r}", line, Severity.HIGH)
    if name.startswith("_"):
        return TemplateIssue(PRIVATE_ATTR, f"{how} {name!r}", line)
    return None


def _is_literal(node: Any) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Const)


# --- data flow: values that may hold a template global, and keys chosen at render time ---

# ``loop`` is a per-loop object: its attributes are ints/items, but ``[loop]|first`` aliases it.
GLOBAL_SEEDS = TEMPLATE_GLOBALS | {"loop"}
_LOOP_INT_ATTRS = frozenset(
    {"index", "index0", "revindex", "revindex0", "length", "depth", "depth0"}
)
_INT_FILTERS = frozenset({"length", "count", "int", "wordcount"})
# Filters that return (part of) their input unchanged: data stays data.
_DATA_FILTERS = frozenset(
    {"items", "list", "dictsort", "first", "last", "reverse", "sort", "unique"}
)
# Filters that keep a subset of their input, whatever their (test) arguments.
_SUBSET_FILTERS = frozenset({"select", "reject", "selectattr", "rejectattr", "sort", "unique"})
_DATA_METHODS = frozenset({"items", "keys", "values"})
# a strftime format of numeric and day/month/AM-PM fields and punctuation only
_DATE_FORMAT = re.compile(r"(?:%[aAbBdHIjmMpSuwyY%]|[^A-Za-z_%])*")
# str methods whose result is pieces of their receiver, cut where constant arguments say
_CUTTING_METHODS = frozenset({"split", "rsplit", "strip", "lstrip", "rstrip"})
# Methods that do not change their receiver; any other call (``d.update(...)``,
# ``l|attr('append')(...)``) may put template-built values into it.
_PURE_METHODS = frozenset(
    {"split", "rsplit", "splitlines", "strip", "lstrip", "rstrip", "startswith", "endswith",
     "replace", "lower", "upper", "title", "capitalize", "get", "format", "join", "count",
     "find", "rfind", "index", "items", "keys", "values", "removeprefix", "removesuffix",
     "isdigit", "isalpha", "isspace", "next", "cycle", "changed"}
)  # fmt: skip
_OPAQUE = object()  # a binding whose value the analysis cannot see (macro/call-block parameter)


def _names_in_target(target: Any) -> Iterator[str]:
    from jinja2 import nodes

    if isinstance(target, nodes.Name):
        yield target.name
    elif isinstance(target, nodes.NSRef):
        yield target.name
    elif isinstance(target, (nodes.Tuple, nodes.List)):
        for item in target.items:
            yield from _names_in_target(item)


def _const_dict(value: object) -> bool:
    """A dict literal whose keys and values are all constants."""
    from jinja2 import nodes

    return isinstance(value, nodes.Dict) and all(
        isinstance(p.key, nodes.Const) and isinstance(p.value, nodes.Const) for p in value.items
    )


def _root_name(node: Any) -> str | None:
    from jinja2 import nodes

    while isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call)):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


class _Flow:
    """Conservative data flow over a parsed template (flat names, greatest/least fixed points).

    ``bears(expr)``: the value may be, or contain, a template global (cycler, lipsum, self...)
    after any round trip through containers, filters, macro arguments or assignments.
    ``safe_key(expr)``: a subscript key the template author cannot steer to an arbitrary name:
    a constant, an integer (arithmetic on lengths/loop counters/ranges), or data passed in
    by the caller (messages, tools...) reached through constant lookups.
    """

    def __init__(self, all_nodes: list[Any], folder: _Folder) -> None:
        from jinja2 import nodes

        self.folder = folder
        self.bindings: dict[str, list[object]] = {}  # name -> expr | ("iter", expr) | _OPAQUE
        self.macro_args: dict[str, list[str]] = {}
        self.callblock_args: list[str] = []
        self.calls: list[Any] = []
        self.parents: dict[int, Any] = {}
        self._bound_in: dict[int, set[str]] = {}
        self._macro_sites: dict[str, list[Any] | None] = {}
        self._site_keywords: dict[str, list[dict[str, list[Any]]]] = {}
        self._loads: dict[str, list[Any]] = {}  # name -> its Name nodes read
        self._rebound: set[str] = set()  # names a set, loop, with or parameter binds
        for n in all_nodes:
            for c in _children(n):
                self.parents[id(c)] = n
            if isinstance(n, nodes.Name) and n.ctx == "load":
                self._loads.setdefault(n.name, []).append(n)
            elif isinstance(n, (nodes.Assign, nodes.AssignBlock, nodes.For)):
                self._rebound.update(_names_in_target(n.target))
            elif isinstance(n, nodes.With):
                for target in n.targets:
                    self._rebound.update(_names_in_target(target))
            elif isinstance(n, (nodes.Macro, nodes.CallBlock)):
                self._rebound.update(a.name for a in n.args)
        for n in all_nodes:
            if isinstance(n, nodes.Assign):
                for name in _names_in_target(n.target):
                    self.bindings.setdefault(name, []).append(n.node)
                    if isinstance(n.target, nodes.NSRef):
                        self.bindings.setdefault(f"{name}.{n.target.attr}", []).append(n.node)
            elif isinstance(n, nodes.AssignBlock):
                for name in _names_in_target(n.target):
                    self.bindings.setdefault(name, []).append(_OPAQUE)
            elif isinstance(n, nodes.For):
                single = isinstance(n.target, nodes.Name)
                for pos, name in enumerate(_names_in_target(n.target)):
                    self.bindings.setdefault(name, []).append(("iter", n.iter, single, pos))
            elif isinstance(n, nodes.With):
                for target, value in zip(n.targets, n.values, strict=False):
                    for name in _names_in_target(target):
                        self.bindings.setdefault(name, []).append(value)
            elif isinstance(n, (nodes.Macro, nodes.CallBlock)):
                names = [a.name for a in n.args]
                if isinstance(n, nodes.Macro):
                    self.macro_args.setdefault(n.name, []).extend(names)
                    self._bind_macro(n)
                else:
                    self.callblock_args.extend(names)
                    for name in names:
                        self.bindings.setdefault(name, []).append(_OPAQUE)
            elif isinstance(n, nodes.Call):
                self.calls.append(n)
                callee = n.node
                pure = isinstance(callee, nodes.Getattr) and callee.attr in _PURE_METHODS
                if not pure and not isinstance(callee, nodes.Name):  # may mutate its receiver
                    root = _root_name(callee)
                    if root is not None:
                        self.bindings.setdefault(root, []).append(_OPAQUE)
        # namespace(a=...) seeds the slots "ns.a"
        for name, values in list(self.bindings.items()):
            for bound in values:
                if (
                    isinstance(bound, nodes.Call)
                    and isinstance(bound.node, nodes.Name)
                    and bound.node.name == "namespace"
                ):
                    for kw in bound.kwargs:
                        self.bindings.setdefault(f"{name}.{kw.key}", []).append(kw.value)
        # a pass judges every binding: the tree's nodes and the bindings the calls made (review26)
        self._pass_work = len(all_nodes) + sum(len(v) for v in self.bindings.values())
        self.tainted: set[str] = set(GLOBAL_SEEDS)
        self._taint_fixpoint()
        self.int_names = self._greatest(self._int_binding)
        self.data_names = self._greatest(self._data_binding)
        self.key_names = self._greatest(self._key_binding)

    def _bind_macro(self, macro: Any) -> None:
        """A macro's parameters take what its call sites pass (tpl26: muse-glimmer's
        ``render_tool_defs(tools)`` made ``tools`` inside it opaque, so a key read from the tools
        was "computed"): each positional or keyword argument and each default is a binding. A
        call with ``*args``/``**kwargs``, or the macro's name read other than as the callee of a
        call (``set g = f``, ``[f]|map(...)``, an argument), leaves every parameter opaque."""
        from jinja2 import nodes

        names = [a.name for a in macro.args]
        if macro.name not in self._macro_sites:
            # the name bound to something else too: a call may reach that, or it this macro
            found: list[Any] = []
            ok = macro.name not in self._rebound
            for n in self._loads.get(macro.name, []) if ok else []:
                parent = self.parents.get(id(n))
                if not (isinstance(parent, nodes.Call) and parent.node is n) or (
                    parent.dyn_args is not None or parent.dyn_kwargs is not None
                ):
                    ok = False
                    break
                found.append(parent)
            self._macro_sites[macro.name] = found if ok else None
        sites = self._macro_sites[macro.name]
        if sites is None:
            for name in names:
                self.bindings.setdefault(name, []).append(_OPAQUE)
            return
        # review26: every binding made is a step of the work budget (2,000 macros of one name
        # and 20,000 calls of it made 40 million bindings: 282 s, 352 MB, for a 212 KB template)
        _spend(len(names) * max(1, len(sites)))
        if macro.name not in self._site_keywords:  # per call: keyword -> values, built once
            self._site_keywords[macro.name] = [_keywords(call) for call in sites]
        keywords = self._site_keywords[macro.name]
        first_default = len(names) - len(macro.defaults)
        for pos, name in enumerate(names):
            bound = self.bindings.setdefault(name, [])
            if pos >= first_default:
                bound.append(macro.defaults[pos - first_default])
            for call, given in zip(sites, keywords, strict=True):
                if pos < len(call.args):
                    bound.append(call.args[pos])
                bound.extend(given.get(name, ()))

    # -- global-bearing values (least fixed point: taint only grows) --
    def _taint_fixpoint(self) -> None:
        from jinja2 import nodes

        for _ in range(MAX_FLOW_PASSES):
            _spend(self._pass_work)
            grow: set[str] = set()
            for name, values in self.bindings.items():
                if "." in name or name in self.tainted:
                    continue
                for value in values:
                    expr = value[1] if isinstance(value, tuple) else value
                    if expr is not _OPAQUE and self.bears(cast("Any", expr)):
                        grow.add(name)
            for call in self.calls:
                args = [*call.args, *(kw.value for kw in call.kwargs)]
                args += [a for a in (call.dyn_args, call.dyn_kwargs) if a is not None]
                if not any(self.bears(a) for a in args):
                    continue
                callee = call.node
                if isinstance(callee, nodes.Name):  # macro / caller parameters
                    grow.update(self.macro_args.get(callee.name, []))
                    if callee.name == "caller":
                        grow.update(self.callblock_args)
                else:  # d.update({..: cycler}), l.append(cycler), x.method(cycler)
                    root = _root_name(callee)
                    if root is not None:
                        grow.add(root)
            if grow <= self.tainted:
                return
            self.tainted |= grow
        self.tainted |= set(self.bindings)  # did not settle: every bound name may hold a global

    def bears(self, node: Any) -> bool:
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            return node.name in self.tainted
        if isinstance(node, nodes.Call):
            args = [*node.args, *(kw.value for kw in node.kwargs)]
            args += [a for a in (node.dyn_args, node.dyn_kwargs) if a is not None]
            if any(self.bears(a) for a in args):
                return True
            # namespace(...)/cycler(...)/range(...)/macro(): a fresh object or a string
            return not isinstance(node.node, nodes.Name) and self.bears(node.node)
        if isinstance(node, nodes.Getattr):
            base = node.node
            if isinstance(base, nodes.Name) and base.name == "loop":
                return False  # loop.index0, loop.previtem...: counters and caller data
            return self.bears(base)
        if isinstance(node, nodes.Getitem):
            return self.bears(node.node)
        if isinstance(node, (nodes.Compare, nodes.Not, nodes.Test, nodes.Concat, nodes.Const)):
            return False
        if isinstance(node, nodes.Filter) and node.name in _INT_FILTERS | {"string", "tojson"}:
            return False
        return any(self.bears(child) for child in _children(node))

    # -- keys (greatest fixed point: a name is trusted until one binding is not) --
    def _greatest(self, judge: Any) -> set[str]:
        names = set(self.bindings)
        for _ in range(MAX_FLOW_PASSES):
            _spend(self._pass_work)
            keep = {n for n in names if all(judge(v, names) for v in self.bindings[n])}
            if keep == names:
                return names
            names = keep
        return set()  # did not settle: trust no bound name

    def _int_binding(self, value: object, names: set[str]) -> bool:
        from jinja2 import nodes

        if value is _OPAQUE:
            return False
        if isinstance(value, tuple):
            it = value[1]
            return bool(
                value[2]
                and isinstance(it, nodes.Call)
                and isinstance(it.node, nodes.Name)
                and it.node.name == "range"
                and not it.kwargs
                and all(self.is_int(a, names) for a in it.args)
            )
        return self.is_int(value, names)

    def is_int(self, node: Any, names: set[str] | None = None) -> bool:
        from jinja2 import nodes

        names = self.int_names if names is None else names
        if isinstance(node, nodes.Const):
            return isinstance(node.value, int) and not isinstance(node.value, bool)
        if isinstance(node, nodes.Name):
            return node.name in names and node.name not in self.tainted
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            if node.node.name == "loop":
                return node.attr in _LOOP_INT_ATTRS
            return f"{node.node.name}.{node.attr}" in names
        if isinstance(node, nodes.Filter):
            return node.name in _INT_FILTERS
        if isinstance(node, (nodes.Add, nodes.Sub, nodes.Mul, nodes.FloorDiv, nodes.Mod)):
            return self.is_int(node.left, names) and self.is_int(node.right, names)
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            return self.is_int(node.node, names)
        if isinstance(node, nodes.CondExpr):
            return self.is_int(node.expr1, names) and (
                node.expr2 is None or self.is_int(node.expr2, names)
            )
        return False

    def _data_binding(self, value: object, names: set[str]) -> bool:
        from jinja2 import nodes

        if value is _OPAQUE:
            return False
        if isinstance(value, tuple):
            return self.is_data(value[1], names)
        node = cast("Any", value)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            return node.node.name == "namespace"  # the object; its slots are judged separately
        return self.is_data(node, names)

    def _key_binding(self, value: object, names: set[str]) -> bool:
        from jinja2 import nodes

        if value is _OPAQUE:
            return False
        if isinstance(value, tuple):
            it = value[1]
            if self._int_binding(value, self.int_names) or self.is_data(it):
                return True
            items = self.folder.value(it)
            if isinstance(items, list) and not value[2]:
                # tpl24fp: ``for field, label in [('maximum', 'Maximum'), ...]`` (functionary
                # v3.2): every part of every literal row is a plain key
                return all(
                    isinstance(x, (list, tuple)) and all(_plain_key(y) for y in x) for x in items
                )
            return isinstance(items, list) and bool(value[2]) and all(_plain_key(x) for x in items)
        node = cast("Any", value)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            return node.node.name == "namespace"
        return self.safe_key(node, names)

    def is_data(self, node: Any, names: set[str] | None = None) -> bool:
        """Caller-supplied data reached by constant steps (the template cannot choose it).

        Template constants are not data: slicing a constant string by render-time numbers
        is exactly how a hidden name is cut out of an innocent-looking table.
        """
        from jinja2 import nodes

        names = self.data_names if names is None else names
        if isinstance(node, nodes.Name):
            if node.name in self.tainted:
                return False
            return node.name in names or node.name not in self.bindings
        if isinstance(node, nodes.Getattr):
            base = node.node
            if isinstance(base, nodes.Name) and self._is_namespace(base.name):
                slot = f"{base.name}.{node.attr}"
                return slot in names and slot in self.bindings
            return self.is_data(base, names)
        if isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Slice):
                bounds = [b for b in (arg.start, arg.stop, arg.step) if b is not None]
                ok = all(self.is_int(b) or self.is_data(b, names) for b in bounds)
                return ok and self.is_data(node.node, names)
            value = self.folder.value(arg)
            if isinstance(value, (int, str)) and not isinstance(value, bool):
                key_ok = _plain_key(value)
            else:
                key_ok = self.is_int(arg) or self.is_data(arg, names)
            return key_ok and self.is_data(node.node, names)
        if isinstance(node, nodes.Filter):
            keeps = node.name in _SUBSET_FILTERS or (node.name in _DATA_FILTERS and not node.args)
            return keeps and node.node is not None and self.is_data(node.node, names)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            if node.dyn_args is not None or node.dyn_kwargs is not None or node.kwargs:
                return False
            if node.node.attr in _CUTTING_METHODS:
                # tpl26: ``fn.name.split('.')[0]`` (muse-glimmer): pieces of the data, cut
                # where a constant says; nothing of the template's own is added
                ok = all(isinstance(self.folder.value(a), str) for a in node.args)
                return ok and self.is_data(node.node.node, names)
            return (
                node.node.attr in _DATA_METHODS
                and not node.args
                and self.is_data(node.node.node, names)
            )
        # tpl26: either branch of a conditional (its test is never the value), a list of data
        # items (``nsns.seen + [tns]``, from ``[]``), and data joined to data: only the
        # caller's text, never a constant of the template's
        if isinstance(node, nodes.CondExpr):
            return self.is_data(node.expr1, names) and (
                node.expr2 is None or self.is_data(node.expr2, names)
            )
        if isinstance(node, nodes.List):
            return all(self.is_data(item, names) for item in node.items)
        if isinstance(node, nodes.Add):
            return self.is_data(node.left, names) and self.is_data(node.right, names)
        return False

    def _is_namespace(self, name: str) -> bool:
        from jinja2 import nodes

        return any(
            isinstance(v, nodes.Call)
            and isinstance(v.node, nodes.Name)
            and v.node.name == "namespace"
            for v in self.bindings.get(name, [])
        )

    def own_key(self, lookup: Any) -> bool:
        """``d[k]`` inside ``{% for k in d %}`` (or ``for k, v in d|items``): a real lookup of
        one of ``d``'s own keys, which Jinja never turns into an attribute fetch for a dict."""
        from jinja2 import nodes

        key = lookup.arg
        if not isinstance(key, nodes.Name) or key.name in self.tainted:
            return False
        child, node = lookup, self.parents.get(id(lookup))
        while node is not None:
            if isinstance(node, (nodes.Macro, nodes.CallBlock)):
                if key.name in {a.name for a in node.args}:
                    return False
            if isinstance(node, nodes.For) and child is not node.iter:
                names = list(_names_in_target(node.target))
                if key.name in names:
                    single = isinstance(node.target, nodes.Name)
                    binding = ("iter", node.iter, single, names.index(key.name))
                    rebound = self._rebinds(node, key.name)
                    return not rebound and _is_key_of(binding, lookup.node)
            child, node = node, self.parents.get(id(node))
        return False

    def table_lookup(self, lookup: Any) -> bool:
        """``table[key]`` where ``table`` is only ever bound to a dict literal of constant keys
        and constant values and the result goes straight to output, a test, a comparison or a
        string concatenation (Hermes-style tool templates' ``basic_type_map[json_spec.type]``).
        Whatever the key, the result is one of the constants or, through Jinja's attribute
        fallback, an attribute of a plain dict that nothing reads further."""
        from jinja2 import nodes

        table = lookup.node
        if not isinstance(table, nodes.Name) or table.name in self.tainted:
            return False
        bound = self.bindings.get(table.name)
        if not bound or any(not _const_dict(v) for v in bound):
            return False
        return self.sunk(lookup)

    def sunk(self, node: Any) -> bool:
        """The value of ``node`` goes straight to output, a test, a comparison or a string
        concatenation and is read no further."""
        from jinja2 import nodes

        parent = self.parents.get(id(node))
        sinks = (nodes.Output, nodes.Test, nodes.Compare, nodes.Operand, nodes.Concat, nodes.Add)
        return isinstance(parent, sinks)

    def _rebinds(self, loop: Any, name: str) -> bool:
        """Whether the body of ``loop`` assigns ``name`` again (memoised per loop)."""
        from jinja2 import nodes

        if id(loop) not in self._bound_in:
            self._bound_in[id(loop)] = {
                bound
                for body_node in loop.body
                for m in _walk(body_node)
                if isinstance(m, (nodes.Assign, nodes.AssignBlock, nodes.For))
                for bound in _names_in_target(m.target)
            }
        return name in self._bound_in[id(loop)]

    def safe_key(self, node: Any, names: set[str] | None = None) -> bool:
        """A key the template cannot steer: a plain constant, an integer, caller data, or a
        name every binding of which is one of those."""
        from jinja2 import nodes

        names = self.key_names if names is None else names
        value = self.folder.value(node)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return _plain_key(value)
        if self.is_int(node) or self.is_data(node) or self._date_key(node):
            return True
        return isinstance(node, nodes.Name) and node.name in names and node.name not in self.tainted

    def _date_key(self, node: Any) -> bool:
        """``strftime_now('%A')`` (tpl26: hunyuan's ``weekday_map[strftime_now('%A')]``): a
        constant format of date fields and punctuation makes digits and day or month names,
        never a name a lookup could turn into an attribute (letters outside a field would)."""
        from jinja2 import nodes

        if not (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "strftime_now"
            and "strftime_now" not in self.bindings
            and "strftime_now" not in self.macro_args  # a macro of that name returns anything
            and len(node.args) == 1
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return False
        fmt = self.folder.value(node.args[0])
        return isinstance(fmt, str) and _DATE_FORMAT.fullmatch(fmt) is not None


def _keywords(call: Any) -> dict[str, list[Any]]:
    """A call's keyword arguments by name (a name given twice keeps both values)."""
    out: dict[str, list[Any]] = {}
    for kw in call.kwargs:
        out.setdefault(kw.key, []).append(kw.value)
    return out


def _is_key_of(binding: tuple[Any, ...], base: Any) -> bool:
    """``for k in base`` / ``for k, v in base|items`` (``k`` only): ``base[k]`` is a real lookup."""
    from jinja2 import nodes

    _, it, single, pos = binding
    pairs = (isinstance(it, nodes.Filter) and it.name == "items") or (
        isinstance(it, nodes.Call)
        and isinstance(it.node, nodes.Getattr)
        and it.node.attr == "items"
    )
    if not (single and not pairs) and not (pairs and not single and pos == 0):
        return False
    return bool(_collection(it) == base)


def _collection(node: Any) -> Any:
    """The collection a ``for`` iterates: ``d``, ``d|items``, ``d.keys()``, ``d|reject(...)``."""
    from jinja2 import nodes

    while True:
        if isinstance(node, nodes.Filter) and node.name in _DATA_FILTERS | _SUBSET_FILTERS:
            node = node.node
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in _DATA_METHODS
            and not node.args
        ):
            node = node.node.node
        else:
            return node


def _plain_key(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and _name_issue(value, "subscript", None, False) is None


def analyze_template(source: str) -> list[TemplateIssue]:
    """Every suspicious construct in ``source`` (empty for an ordinary chat template)."""
    from jinja2 import exceptions, nodes

    if len(source) > MAX_TEMPLATE_CHARS:
        return [TemplateIssue(TOO_COMPLEX, f"{len(source)} characters", None)]
    try:
        tree = _environment().parse(source)
    except exceptions.TemplateSyntaxError as exc:
        return [TemplateIssue(UNPARSEABLE, str(exc.message or exc), exc.lineno)]
    except RecursionError:
        return [TemplateIssue(TOO_COMPLEX, "nesting exhausts the parser", None)]
    except Exception as exc:  # the parser failing on hostile text is a finding
        return [TemplateIssue(UNPARSEABLE, f"{type(exc).__name__}: {exc}", None)]

    issues: list[TemplateIssue] = []
    seen: set[tuple[str, str, int | None]] = set()

    def add(issue: TemplateIssue | None) -> None:
        if issue is None or len(issues) >= MAX_ISSUES:
            return
        key = (issue.rule.rule_id, issue.evidence, issue.line)
        if key not in seen:
            seen.add(key)
            issues.append(issue)

    folder = _Folder()
    judged: set[int] = set()  # constants already judged as attribute names
    budget = _WORK_LEFT.set([MAX_ANALYSIS_WORK])
    try:
        all_nodes = list(_walk(tree))
        block_names = {n.name for n in all_nodes if isinstance(n, nodes.Block)}
        _fold_names(all_nodes, folder, set())
        ambiguous = _ambiguous_names(all_nodes, folder)
        if ambiguous:
            folder.names.clear()
            _fold_names(all_nodes, folder, ambiguous)
        flow = _Flow(all_nodes, folder)
        cost = _Cost(all_nodes, folder)
        cost.check(tree, add)
        for what, line in huge_ints(all_nodes):
            add(TemplateIssue(RESOURCES, what, line))
        # a name defined again runs whichever definition came last where it is called: each
        # later definition is costed in place of the first (fixtext19: an empty first ``g`` hid
        # a second looping 20,000 times, called 20,000 times)
        later = [
            n for n in all_nodes if isinstance(n, nodes.Macro) and cost.macros[n.name] is not n
        ]
        for alt in later[:MAX_REDEFINED]:
            _Cost(all_nodes, folder, {alt.name: alt}).check(tree, add)
        if len(later) > MAX_REDEFINED:
            what = f"more than {MAX_REDEFINED} macros defined again: their cost is not judged"
            add(TemplateIssue(RESOURCES, what, getattr(later[MAX_REDEFINED], "lineno", None)))
        for n in all_nodes:
            line = getattr(n, "lineno", None)
            if isinstance(n, (nodes.Getattr, nodes.Getitem)):
                _check_flow(n, flow, folder, line, add)
            if isinstance(n, nodes.Getattr):
                add(_name_issue(n.attr, "attribute", line, computed=False))
                if not flow.sunk(n):
                    add(_format_receiver(n.attr, n.node, folder, f".{n.attr}", line))
                base = n.node
                if isinstance(base, nodes.Name) and base.name in TEMPLATE_GLOBALS:
                    allowed = SAFE_GLOBAL_ATTRS.get(base.name, frozenset())
                    if base.name == "self":
                        allowed = frozenset(block_names)
                    if n.attr not in allowed and not _DUNDER.match(n.attr):
                        add(TemplateIssue(GLOBAL_CHAIN, f"{base.name}.{n.attr}", line))
            elif isinstance(n, nodes.Getitem) and not isinstance(n.arg, nodes.Slice):
                judged.add(id(n.arg))
                value = folder.value(n.arg)
                if isinstance(value, str) and not flow.sunk(n):
                    add(_format_receiver(value, n.node, folder, f"[{value!r}]", line))
                if isinstance(value, str):
                    computed = not _is_literal(n.arg)
                    issue = _name_issue(value, "subscript", line, computed)
                    if issue is not None and issue.rule is not PRIVATE_ATTR:
                        if issue.rule is DANGEROUS_NAME and value in DATA_KEYS:
                            issue = None  # x['os'], roles['system'] may be plain data; x.os is not
                        add(issue)
                base = n.node
                if isinstance(base, nodes.Name) and base.name in TEMPLATE_GLOBALS - {"self"}:
                    add(TemplateIssue(GLOBAL_CHAIN, f"{base.name}[...]", line))
            elif isinstance(n, nodes.Filter):
                judged.update(id(a) for a in n.args)
                _check_filter(n, folder, line, add)
            elif isinstance(n, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
                add(TemplateIssue(INCLUDE, type(n).__name__.lower(), line))
            if isinstance(n, nodes.Expr) and not isinstance(n, (nodes.Const, nodes.Name)):
                # also filters and subscripts: ('...'|reverse), (['{0.__in', 'it__}']|join)
                value = folder.value(n)
                if isinstance(value, str) and not _is_literal(n):
                    stripped = value.strip()
                    if _DUNDER.match(stripped) or stripped in CRITICAL_NAMES:
                        add(TemplateIssue(OBFUSCATED, f"expression builds {stripped!r}", line))
                    for name in _format_lookups(value):
                        add(_name_issue(name, "built format field", line, computed=True))
            if isinstance(n, nodes.Const) and isinstance(n.value, str):
                if id(n) not in judged and _DUNDER.match(n.value) and n.value in ESCAPE_DUNDERS:
                    add(TemplateIssue(DUNDER, f"string literal {n.value!r}", line))
                for name in _format_lookups(n.value):
                    add(_name_issue(name, "format field", line, computed=False))
    except _TooComplex as exc:
        add(TemplateIssue(TOO_COMPLEX, str(exc), None))
    except RecursionError:
        add(TemplateIssue(TOO_COMPLEX, "nesting exhausts the analyser", None))
    finally:
        _WORK_LEFT.reset(budget)
    return issues


_FORMAT_LOOKUP = re.compile(r"[.\[]\s*([^.\[\]{}!:]*)")


def _format_lookups(text: str) -> list[str]:
    """Attribute and index names a str.format field looks up (``{0.__init__.__globals__}``,
    ``{c[__builtins__]}``): str.format walks them itself, so a format string reaches Python
    internals without any attribute syntax in the template. Only names starting with '_'."""
    if "{" not in text:
        return []
    out: list[str] = []
    for field in re.findall(r"\{([^{}]*)", text[:MAX_TEMPLATE_CHARS]):
        name = re.split(r"[!:]", field, maxsplit=1)[0]
        out.extend(p.strip() for p in _FORMAT_LOOKUP.findall(name) if p.strip().startswith("_"))
    return out


def _fold_names(all_nodes: list[Any], folder: _Folder, skip: set[str]) -> None:
    """``{% set x = <constant expression> %}``: names used later to hide attribute strings."""
    from jinja2 import nodes

    for _ in range(2):
        for n in all_nodes:
            if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name):
                if n.target.name in skip:
                    continue
                value = folder.value(n.node)
                if isinstance(value, str):
                    folder.names[n.target.name] = value
        folder.memo.clear()


def _ambiguous_names(all_nodes: list[Any], folder: _Folder) -> set[str]:
    """Names with a binding other than one constant assignment (loop targets, macro
    parameters, a second assignment of another value): folding them to one value would let
    ``{% set k = 'a' %}{% set k = <built> %}{{ x[k] }}`` pass as the constant ``'a'``."""
    from jinja2 import nodes

    out: set[str] = set()
    for n in all_nodes:
        if isinstance(n, nodes.Assign):
            for name in _names_in_target(n.target):
                if not isinstance(n.target, nodes.Name) or (
                    folder.value(n.node) != folder.names.get(name)
                ):
                    out.add(name)
        elif isinstance(n, (nodes.AssignBlock, nodes.For)):
            out.update(_names_in_target(n.target))
        elif isinstance(n, nodes.With):
            for target in n.targets:
                out.update(_names_in_target(target))
        elif isinstance(n, (nodes.Macro, nodes.CallBlock)):
            out.update(a.name for a in n.args)
    return out


def _check_flow(n: Any, flow: _Flow, folder: _Folder, line: int | None, add: Any) -> None:
    """Lookups on values that may hold a template global, and subscripts by computed keys."""
    from jinja2 import nodes

    base = n.node
    bare_global = isinstance(base, nodes.Name) and base.name in GLOBAL_SEEDS
    if not bare_global and flow.bears(base):
        if isinstance(n, nodes.Getattr):
            if n.attr not in _SAFE_ANY_GLOBAL and not _DUNDER.match(n.attr):
                add(TemplateIssue(GLOBAL_CHAIN, f"<value holding a global>.{n.attr}", line))
        else:
            add(TemplateIssue(GLOBAL_CHAIN, "<value holding a global>[...]", line))
    if isinstance(n, nodes.Getitem) and not isinstance(n.arg, nodes.Slice):
        if folder.value(n.arg) is None and not (
            flow.safe_key(n.arg) or flow.own_key(n) or flow.table_lookup(n)
        ):
            what = type(n.arg).__name__
            add(
                TemplateIssue(
                    COMPUTED_ATTR, f"subscript by a key computed at render time ({what})", line
                )
            )


_FORMAT_METHODS = frozenset({"format", "format_map"})


def _format_receiver(
    attr: str, base: Any, folder: _Folder, how: str, line: int | None
) -> TemplateIssue | None:
    """``s.format`` where ``s`` is not a constant the analyser folded: str.format walks the
    attribute and index paths in its fields itself (``{0.__init__.__globals__[os].environ}``), so
    a format string assembled at render time (pieces of a dict, list or message) reaches Python
    internals that no other rule can see. A folded string's fields are judged where it is built."""
    if attr not in _FORMAT_METHODS:
        return None
    text = folder.value(base) if base is not None else None
    if isinstance(text, str):
        if not _format_walks(text):
            return None
        what = f"{how} on a format string whose fields look up attributes or items"
        return TemplateIssue(COMPUTED_ATTR, what, line)
    what = f"{how} on a string built at render time (its fields look up attributes)"
    return TemplateIssue(COMPUTED_ATTR, what, line)


def _format_walks(text: str, depth: int = 0) -> bool:
    """Some field of the str.format string ``text`` looks up an attribute or a named item
    (``{0.x}``, ``{0[x]}``, also in a nested width field), or Python cannot parse it. A
    list index (``{x[0]}``) reaches nothing a template subscript does not."""
    import _string  # type: ignore[import-not-found]  # str.format's own field parser
    import string

    if depth > 4:
        return True  # Python's format nests two levels; anything deeper is not judged
    try:
        for _, name, spec, _ in string.Formatter().parse(text):
            if name is None:
                continue
            if any(
                attr or not isinstance(key, int)
                for attr, key in _string.formatter_field_name_split(name)[1]
            ):
                return True
            if spec and _format_walks(spec, depth + 1):
                return True
    except ValueError:
        return True
    return False


def _check_filter(n: Any, folder: _Folder, line: int | None, add: Any) -> None:
    from jinja2 import nodes

    if n.name == "attr":
        if not n.args:
            return
        value = folder.value(n.args[0])
        if not isinstance(value, str):
            add(TemplateIssue(COMPUTED_ATTR, "attr(<computed>)", line))
            return
        issue = _name_issue(value, "attr filter", line, computed=not _is_literal(n.args[0]))
        add(issue)
        add(_format_receiver(value, n.node, folder, f"attr({value!r})", line))
        base = n.node
        if isinstance(base, nodes.Name) and base.name in TEMPLATE_GLOBALS and issue is None:
            add(TemplateIssue(GLOBAL_CHAIN, f"{base.name}|attr({value!r})", line))
        return
    if n.name in {"map", "select", "reject"} and len(n.args) >= 2:
        if folder.value(n.args[0]) == "attr":  # seq|map("attr", name) applies the attr filter
            value = folder.value(n.args[1])
            if not isinstance(value, str):
                add(TemplateIssue(COMPUTED_ATTR, f'{n.name}("attr", <computed>)', line))
            else:
                computed = not _is_literal(n.args[1])
                add(_name_issue(value, f'{n.name}("attr")', line, computed))
                add(_format_receiver(value, None, folder, f'{n.name}("attr", {value!r})', line))
            return
    if n.name in ATTRIBUTE_FILTERS:
        candidates = [kw.value for kw in n.kwargs if kw.key == "attribute"]
        if n.name in {"selectattr", "rejectattr", "groupby"} and n.args:
            candidates.append(n.args[0])
        for arg in candidates:
            value = folder.value(arg)
            if not isinstance(value, str):
                add(TemplateIssue(COMPUTED_ATTR, f"{n.name}(attribute=<computed>)", line))
                continue
            for part in value.split("."):
                add(_name_issue(part, f"{n.name} attribute", line, not _is_literal(arg)))
                add(_format_receiver(part, None, folder, f"{n.name}(attribute={value!r})", line))


def template_findings(
    source: str, location: str, *, member: str | None = None, label: str = "chat template"
) -> list[Finding]:
    """Findings for one template; ``label`` says where it came from (GGUF key, JSON key...)."""
    out = []
    for issue in analyze_template(source):
        where = f"{label} line {issue.line}" if issue.line else label
        out.append(
            issue.rule.finding(
                location,
                f"{where}: {issue.evidence}",
                member=member,
                severity=issue.severity,
                extra={"template": label},
            )
        )
    return out


class _Cost:
    """A static bound on the work a render does that the template itself fixes: integer
    literals and their arithmetic are folded (``range(10**12)``, ``'x' * 999999999999``,
    ``{% set n = 99999 %}``); a bound that depends on the conversation (``range(messages|length)``)
    counts as one, so ordinary templates cost nothing here."""

    def __init__(
        self, all_nodes: list[Any], folder: _Folder, prefer: dict[str, Any] | None = None
    ) -> None:
        from jinja2 import nodes

        self.folder = folder
        self.macros: dict[str, Any] = {}
        self.ints: dict[str, int] = {}
        self.products: dict[str, int] = {}
        self.caller_runs: dict[str, int] = {}
        self.bits: dict[int, int | None] = {}  # int_bits of Pow nodes (the tree outlives this)
        self.active: set[str] = set()
        self.lengths: dict[str, int] = {}
        self.loop_fixed: set[str] = set()  # targets of loops the template fixes
        self.work = 0  # the total work :meth:`_total_work` charges
        self.loop_max: int | None = None
        self.counted: dict[str, list[Any]] = {}  # counters given numbers the conversation sizes
        self.counted_max: dict[str, int] = {}  # and their bounds for a real conversation
        texts = [n.value for n in all_nodes if isinstance(n, nodes.Const)]
        texts += [n.data for n in all_nodes if isinstance(n, nodes.TemplateData)]
        spelled = [
            _number(m)
            for t in texts
            if isinstance(t, str)
            for m in _NUMBER_TEXT.findall(t[:MAX_TEMPLATE_CHARS])
        ]  # and numbers a set block or macro prints into its text: {{ 4000000000 }}
        spelled += [_number(t) for t in texts if not isinstance(t, str)]
        self.text_max = max((v for v in spelled if v is not None), default=None)
        self.seqs: set[str] = set()  # names given a string or list (never a count)
        self.assigns: dict[str, list[tuple[Any, int]]] = {}  # filled below (size() reads it)
        self.sizes: dict[str, int] = {}
        self.all_macros = [n for n in all_nodes if isinstance(n, nodes.Macro)]
        self.collected = False  # every binding in self.assigns (lengths may follow them)
        self._template_names: set[str] | None = None
        self.local: dict[int, str] = {}  # id of a macro parameter's read -> its local key
        self.local_lengths: dict[str, int | None] = {}  # and items' (``key[item]``)
        self.items_of: dict[str, list[Any]] = {}  # name -> iterables a loop takes it from
        self.scoped_names: dict[str, str] = {}  # local key -> the parameter's name
        self.macro_scope: dict[int, dict[str, str]] = {}  # id of a macro -> its parameters' keys
        for n in all_nodes:
            if isinstance(n, nodes.Macro):
                self.macros.setdefault(n.name, n)
            if isinstance(n, nodes.AssignBlock) and isinstance(n.target, nodes.Name):
                self.seqs.add(n.target.name)  # {% set a %}...{% endset %} is a string
        self.macros.update(prefer or {})  # a later definition of a name, costed in its place
        assigns: list[Any] = [
            n for n in all_nodes if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name)
        ]
        for _ in range(2):  # names given strings or lists are repeated, never counts
            self.seqs.update(n.target.name for n in assigns if self._sequence(n.node))
        self._fold_ints(_int_sources(all_nodes))
        for _ in range(2):  # a second round resolves {% set a = 10 %}{% set b = 'x' * a %}
            for n in assigns:
                size = self.length(n.node)
                if size is not None:  # {% set s = 'x' * 99999 %}{% for c in s %}
                    name = n.target.name
                    self.lengths[name] = max(size, self.lengths.get(name, size))
        loops = [self.length(n.iter) for n in all_nodes if isinstance(n, nodes.For)]
        self.loop_max = max((n for n in loops if n is not None), default=None)
        if all_nodes:
            self._collect_assigns(all_nodes[0])
        self.collected = True
        loops = [self.length(n.iter) for n in all_nodes if isinstance(n, nodes.For)]
        self.loop_max = max((n for n in [*loops, self.loop_max] if n is not None), default=None)
        for key in list(self.assigns):  # source order: a chain of names stays shallow
            self._bound(key, 0)
        for n in all_nodes:  # lengths again, now that sizes of names are known
            if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name):
                size = self.length(n.node)
                if size is not None:
                    name = n.target.name
                    self.lengths[name] = max(size, self.lengths.get(name, size))

    def _fold_ints(self, sources: dict[str, list[Any]]) -> None:
        """The largest integer every name, slot (``m.n``, ``ns.n``) and container (``m[]``:
        any item of it) may hold, from every way a name is given a value (rounds resolve
        names given other names: ``{% with n = m.k %}``)."""
        for key, values in sources.items():  # strings and lists are repeated, never counts
            if any(not isinstance(v, tuple) and self._sequence(v) for v in values):
                self.seqs.add(key)
        for _ in range(3):
            for key, values in sources.items():
                for value in values:
                    if isinstance(value, tuple):  # ("item", iterable) / ("ref", other key)
                        if key not in self.seqs:
                            held = (
                                self.ints.get(value[1])
                                if value[0] == "ref"
                                else self.literal_max(value[1])
                            )
                            self._raise_int(key, held)
                        continue
                    if key not in self.seqs:
                        folded = self.int_value(value, lenient=True)
                        if folded is None and self.real_int(value) is not None:
                            self.counted.setdefault(key, []).append(value)
                        self._raise_int(key, folded)
                    self._raise_int(f"{key}[]", self.literal_max(value, containers_only=True))
        # tplfp20: a counter also given a number the conversation sizes (``ns.n = ns.n +
        # m.content|length``) is no constant (it held only its first value before): at most
        # what one pass adds, once per pass of a real conversation's loops
        for key in self.counted:
            self.ints.pop(key, None)
        bounds: dict[str, int] = {}
        for key, values in self.counted.items():
            self.counted_max[key] = 0  # its own earlier value, read while costing its values
            top = max((self.real_int(v) or 0 for v in values), default=0)
            bounds[key] = min(INT_CAP, max(top, 1) * CONV_PASSES)
        self.counted_max.update(bounds)

    def _raise_int(self, key: str, v: int | None) -> None:
        if v is not None:
            self.ints[key] = max(v, self.ints.get(key, v))

    def literal_max(self, node: Any, containers_only: bool = False) -> int | None:
        """The largest number written inside a literal the template builds (a dict, list,
        tuple, ``namespace(...)``, numeric strings included: ``'3e9'|int``), or held by a
        name's container: what a lookup, ``|first``/``|max`` or ``.get`` on it may give."""
        from jinja2 import nodes

        if containers_only and not isinstance(node, (nodes.Dict, nodes.List, nodes.Tuple)):
            if not isinstance(node, (nodes.Name, nodes.Call)):
                return None
        best: int | None = None
        stack, seen = [node], 0
        while stack and seen < 10_000:
            n = stack.pop()
            seen += 1
            v: int | None = None
            if isinstance(n, nodes.Const):
                v = _number(n.value)
            elif isinstance(n, nodes.Name):
                v = max(self.ints.get(n.name, 0), self.ints.get(f"{n.name}[]", 0)) or None
            elif isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
                if n.node.name in ("namespace", "dict"):
                    stack.extend(_children(n))
            elif isinstance(n, nodes.BinExpr) or (
                isinstance(n, nodes.Filter) and n.name in _COUNT_FILTERS
            ):
                v = self.int_value(n, lenient=True)
            elif isinstance(n, nodes.Filter) and n.name in ("int", "float", "map"):
                v = self._number_filter(n)  # [s|int(0, 16)]|first, s|map('int', 0, 16)|max
                stack.extend(_children(n))
            elif isinstance(n, _carriers()):
                stack.extend(_children(n))
            if v is not None:
                best = v if best is None else max(best, v)
        return best

    def _sequence(self, node: Any, depth: int = 0) -> bool:
        """``node`` is a string or list the template builds (``'x' * 1000``, ``[1] * n``,
        ``a ~ b``), so a name bound to it is repeated, not a repetition count."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return False
        if isinstance(node, nodes.Const):
            return isinstance(node.value, str)
        if isinstance(node, (nodes.List, nodes.Tuple, nodes.Concat)):
            return True
        if isinstance(node, nodes.Name):
            return node.name in self.seqs
        if isinstance(node, (nodes.Mul, nodes.Add)):
            return self._sequence(node.left, depth + 1) or self._sequence(node.right, depth + 1)
        if isinstance(node, nodes.Filter) and node.name in _SIZE_FILTERS and node.node:
            return self._sequence(node.node, depth + 1)
        return False

    def _collect_assigns(self, tree: Any) -> None:
        """Every value a name (``a``) or namespace attribute (``ns.a``) is given, with the
        iteration product of the loops around the assignment: :meth:`size` follows a name
        to the largest of them (``{% set a = 'x' * 1000 %}{{ a * 10**7 }}``).

        A macro's parameter is local to it (Jinja never lets a caller's name of the same
        spelling through): reads of it inside the macro's own body follow only what its calls
        pass, its default and what the body itself sets (key ``param@macro:line``), when every
        mention of the macro is a plain call of it. Every binding still goes to the name's
        global key too, which other reads follow (session 20: Qwen 3.6 forks' ``render_content(
        content)`` sized its parameter by the template's own later ``set content = ...``)."""
        from jinja2 import nodes

        def add(key: str, value: Any, mult: int, scope: dict[str, str] | None = None) -> None:
            bind(key, value, mult)
            local = (scope or {}).get(key)
            if local is not None:
                bind(local, value, mult)

        bindings = 0

        def spend() -> None:
            nonlocal bindings
            bindings += 1
            if bindings > MAX_BINDINGS:
                raise _TooComplex(
                    f"more than {MAX_BINDINGS:,} values given to names (calls times the macros"
                    " they may call): their cost is not judged"
                )

        def bind(key: str, value: Any, mult: int) -> None:
            spend()
            self.assigns.setdefault(key, []).append((value, mult))

        called = {
            id(n.node)
            for n in _walk(tree)
            if isinstance(n, nodes.Call) and n.dyn_args is None and n.dyn_kwargs is None
        }
        plain = {m.name for m in self.all_macros}
        for n in _walk(tree):  # a macro named anywhere but as a plain call: not scoped
            if isinstance(n, nodes.Name) and n.name in plain and id(n) not in called:
                plain.discard(n.name)
        scopes: dict[str, list[dict[str, str]]] = {}  # macro name -> its definitions' scopes
        scope_macro: dict[int, Any] = {}  # id of a scope -> the macro it is of
        by_name: dict[str, list[Any]] = {}  # macro name -> its definitions
        for m in self.all_macros:
            by_name.setdefault(m.name, []).append(m)
        caller_calls: dict[int, list[Any]] = {}  # id of a macro -> its caller(...) calls
        for m in self.all_macros:
            if m.name in plain:
                scope = {a.name: f"{a.name}@{m.name}:{m.lineno}" for a in m.args}
                self.scoped_names.update({v: k for k, v in scope.items()})
                scopes.setdefault(m.name, []).append(scope)
                self.macro_scope[id(m)] = scope
                scope_macro[id(scope)] = m
        unplain = [m for m in self.all_macros if m.name not in plain and m.args]

        stack: list[tuple[Any, int, dict[str, str]]] = [(tree, 1, {})]
        while stack:
            n, mult, scope = stack.pop()
            if isinstance(n, nodes.Name) and n.ctx == "load" and n.name in scope:
                self.local[id(n)] = scope[n.name]
            if isinstance(n, nodes.For):
                inner = min(INT_CAP, mult * (self.length(n.iter) or 1))
                targets = [n.target] if isinstance(n.target, nodes.Name) else []
                if isinstance(n.target, nodes.Tuple):
                    targets = [t for t in n.target.items if isinstance(t, nodes.Name)]
                if not isinstance(n.iter, (nodes.List, nodes.Tuple, nodes.Dict)):
                    # session 20: an item of a list held by a name, a slot or a filter chain
                    # (``a = [range(20000)]``, ``for x in a``, ``for i in x`` nested twice:
                    # > 30 s in the sandbox, was clean): its length is an item's
                    for t in targets:
                        for key in (t.name, scope.get(t.name)):
                            if key is not None:
                                self.items_of.setdefault(key, []).append(n.iter)
                for item in _loop_values(n.iter):  # each name may be given any value
                    for t in targets:
                        add(t.name, item, mult, scope)
                    add("loop[]", item, mult)  # loop.previtem / loop.nextitem
                stack.append((n.iter, mult, scope))
                if n.test is not None:
                    stack.append((n.test, inner, scope))
                stack.extend((c, mult, scope) for c in reversed(n.else_))
                stack.extend((c, inner, scope) for c in reversed(n.body))
                continue
            if isinstance(n, nodes.CallBlock):  # what caller() returns
                add("caller()", n, mult)
            if isinstance(n, nodes.Block):  # what self.name() returns
                add(f"self.{n.name}()", n, mult)
            if isinstance(n, nodes.Macro):  # what a call returns, and its parameters
                add(f"{n.name}()", n, mult)
                own = self.macro_scope.get(id(n), {})
                with_default = n.args[len(n.args) - len(n.defaults) :]
                for arg, default in zip(with_default, n.defaults, strict=False):
                    add(arg.name, default, mult, own)
                stack.extend((c, mult, scope) for c in reversed(n.defaults))
                stack.extend((c, mult, own) for c in reversed(n.body))
                continue
            if isinstance(n, nodes.CallBlock):  # its own parameters shadow the macro's
                inside = {k: v for k, v in scope.items() if k not in {a.name for a in n.args}}
                # session 20: {% call(ys) w(...) %}: ys is what w's caller(...) calls pass
                # (a range handed on so, looped over twice: > 30 s in the sandbox, clean)
                callee = n.call.node.name if isinstance(n.call.node, nodes.Name) else None
                for m in by_name.get(callee or "", []) if n.args else []:
                    if id(m) not in caller_calls:  # walked once, not once per call block
                        caller_calls[id(m)] = [
                            c
                            for c in _walk(m)
                            if isinstance(c, nodes.Call)
                            and isinstance(c.node, nodes.Name)
                            and c.node.name == "caller"
                        ]
                    for c in caller_calls[id(m)]:
                        for arg, given in zip(n.args, c.args, strict=False):
                            add(arg.name, given, mult)
                        for k in c.kwargs:
                            add(k.key, k.value, mult)
                        for dyn in (c.dyn_args, c.dyn_kwargs):
                            if dyn is not None:
                                for arg in n.args:
                                    add(arg.name, nodes.Getitem(dyn, nodes.Const(0), "load"), mult)
                stack.extend((c, mult, scope) for c in reversed([n.call, *n.defaults]))
                stack.extend((c, mult, inside) for c in reversed(n.body))
                continue
            if isinstance(n, nodes.Call) and not (
                isinstance(n.node, nodes.Name) and n.node.name in self.macros
            ):  # session 20: a callee the text does not name ([w][0], ns.f, an alias) may be
                # any macro named as a value (its loops over a range so passed were clean)
                for m in unplain if n.args or n.kwargs or n.dyn_args or n.dyn_kwargs else []:
                    spend()  # each (call, macro) pair, whether it binds or not
                    for arg, given in zip(m.args, n.args, strict=False):
                        add(arg.name, given, mult)
                    for k in n.kwargs:
                        if k.key in {a.name for a in m.args}:
                            add(k.key, k.value, mult)
                    for dyn in (n.dyn_args, n.dyn_kwargs):
                        if dyn is not None:
                            for arg in m.args:
                                add(arg.name, nodes.Getitem(dyn, nodes.Const(0), "load"), mult)
            if isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
                macro = self.macros.get(n.node.name)
                if macro is not None:
                    for arg, given in zip(macro.args, n.args, strict=False):
                        add(arg.name, given, mult)
                    for k in n.kwargs:
                        add(k.key, k.value, mult)
                    # session 20: what a macro's varargs / kwargs hold (w(*varargs) handed a
                    # range on: > 25 s in the sandbox, clean)
                    extra = n.args[len(macro.args) :]
                    if extra:
                        add("varargs", nodes.List(list(extra)), mult)
                    named = {a.name for a in macro.args}
                    more = [k for k in n.kwargs if k.key not in named]
                    if more:
                        pairs = [nodes.Pair(nodes.Const(k.key), k.value) for k in more]
                        add("kwargs", nodes.Dict(pairs), mult)
                    # session 20: ``w(*a)`` / ``w(**d)`` give any parameter an item of a / a
                    # value of d (a 900,000-character item printed 1,500 times: 1.3 GiB, clean)
                    for dyn in (n.dyn_args, n.dyn_kwargs):
                        if dyn is not None:
                            item = nodes.Getitem(dyn, nodes.Const(0), "load")
                            for m in by_name.get(n.node.name, []):
                                for arg in m.args:
                                    add(arg.name, item, mult)
                for own in scopes.get(n.node.name, []):  # every definition of the name
                    for arg, given in zip(scope_macro[id(own)].args, n.args, strict=False):
                        bind(own[arg.name], given, mult)
                    for k in n.kwargs:
                        if k.key in own:
                            bind(own[k.key], k.value, mult)
            elif isinstance(n, nodes.With):
                for target, given in zip(n.targets, n.values, strict=False):
                    if isinstance(target, nodes.Name):
                        add(target.name, given, mult, scope)
            if isinstance(n, (nodes.Assign, nodes.AssignBlock)):
                target = n.target
                value = n.node if isinstance(n, nodes.Assign) else n
                if isinstance(target, nodes.Name):
                    add(target.name, value, mult, scope)
                    for k in _namespace_kwargs(value):
                        add(f"{target.name}.{k.key}", k.value, mult)
                    if isinstance(value, nodes.Dict):
                        for pair in value.items:
                            key = pair.key.value if isinstance(pair.key, nodes.Const) else None
                            if isinstance(key, str):
                                add(f"{target.name}.{key}", pair.value, mult)
                elif isinstance(target, nodes.NSRef):
                    add(f"{target.name}.{target.attr}", value, mult)
            stack.extend((c, mult, scope) for c in reversed(list(_children(n))))

    def _bound(self, key: str, depth: int) -> int:
        """The largest size any assignment gives ``key``, in source order: a value built from
        the name itself sees the largest size so far (``{% set a = a * 1000 %}`` twice is
        10**6), and in a loop grows that much on every pass."""
        from jinja2 import nodes

        if key in self.sizes:
            return self.sizes[key]
        peak = 1
        for value, mult in self.assigns.get(key, []):
            self.sizes[key] = peak  # what a reference to the name itself reads
            if isinstance(value, (nodes.AssignBlock, nodes.Macro, nodes.CallBlock, nodes.Block)):
                outs = [
                    self.size(e, depth + 1)
                    for o in _walk(value)
                    if isinstance(o, nodes.Output)
                    for e in o.nodes
                ]
                n = min(INT_CAP, sum(outs) * self.walk(value.body, None))
            else:
                n = self.size(value, depth + 1)
            if mult > 1 and _mentions(value, self.scoped_names.get(key, key)):
                n = min(INT_CAP, n * mult)
            peak = max(peak, n)
        self.sizes[key] = peak
        return peak

    def int_value(self, node: Any, depth: int = 0, lenient: bool = False) -> int | None:
        """The constant integer ``node`` evaluates to (saturating at :data:`INT_CAP`), or None.
        ``lenient``: a lower bound, taking a value the template does not fix as at least 1 in
        a sum or product (``messages|length * 10**9`` is at least 10**9)."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return INT_CAP  # deeper than followed: unbounded (fail closed)
        if isinstance(node, nodes.Const):
            v = node.value
            return _number(v) if not isinstance(v, str) else None
        if isinstance(node, nodes.Name):
            return self.ints.get(node.name)
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            v = self.int_value(node.node, depth + 1)
            return None if v is None else (-v if isinstance(node, nodes.Neg) else v)
        if isinstance(node, nodes.Filter) and node.name in ("int", "float") and node.node:
            text = self.folder.value(node.node)  # '3000000000'|int, ('3' ~ '0' * 9)|int
            folded = None if text is None else [text]
            return self._converted(node, folded, self.int_value(node.node, depth + 1), 0, depth)
        if isinstance(node, nodes.Filter) and node.name in _NUMBER_FILTERS and node.node:
            base = node.node
            text = self.folder.value(base)
            if isinstance(text, str):
                return _number(text)
            v = self.int_value(base, depth + 1)
            return None if v is None else abs(v) if node.name == "abs" else v
        if isinstance(node, nodes.Filter) and node.name == "sum" and node.node:
            # every item added: range(100000)|sum is 5e9, not its largest item
            count = self.length(node.node, depth + 1) or 1
            top = max(self.literal_max(node.node) or 0, count)  # range(n) items are below n
            return min(INT_CAP, top * count + (self.literal_max(node) or 0))
        if isinstance(node, nodes.Filter) and node.name in _ITEM_FILTERS and node.node:
            return self.literal_max(node)  # [3e9]|first, m|max, [a, b]|sum(start=n)
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in _POSITION_METHODS
        ):  # ('a' * 10**5).count(''): at most the receiver's length + 1
            # session 20: only of text the template fixes (m.content.count('') was 2, its
            # loops fixed at two passes: 16 s nested twice in the sandbox, clean)
            names = {n.name for n in _walk(node.node.node) if isinstance(n, nodes.Name)}
            if not self.collected or names - self.template_names():
                return None
            return min(INT_CAP, self.size(node.node.node, depth + 1) + 1)
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "loop"
        ):  # at most the longest loop the template fixes
            return self.loop_max if node.attr in _LOOP_INT_ATTRS else None
        lookup = _lookup_key(node, self.folder)
        if lookup is not None:
            name, key = lookup
            slot = self.ints.get(f"{name}.{key}") if key is not None else None
            if slot is not None:
                return slot
        if isinstance(node, (nodes.Dict, nodes.List, nodes.Tuple)) or self._sequence(node):
            return None  # a container or a string is repeated, never a count
        if isinstance(node, _carriers()) and not (
            isinstance(node, nodes.Filter) and node.name in _COUNT_FILTERS
        ):  # m.a.b, m.values()|list|first, x|default(n): at most a number they are built from
            return self.literal_max(node)
        if isinstance(node, nodes.Filter) and node.name in {"length", "count"} and node.node:
            n = self.length(node.node, depth + 1)
            return n
        if not isinstance(node, nodes.BinExpr) or self._sequence(node):
            return None  # 'x' * 1000 is a string, not the count 1000
        a = self.int_value(node.left, depth + 1, lenient)
        b = self.int_value(node.right, depth + 1, lenient)
        if lenient and isinstance(node, (nodes.Add, nodes.Mul)) and (a is None) != (b is None):
            known = cast("int", b if a is None else a)
            return known if known > 0 else None
        if a is None or b is None:
            return None
        try:
            if isinstance(node, nodes.Add):
                r = a + b
            elif isinstance(node, nodes.Sub):
                r = a - b
            elif isinstance(node, nodes.Mul):
                r = a * b
            elif isinstance(node, nodes.FloorDiv):
                r = a // b
            elif isinstance(node, nodes.Div):
                r = int(a / b)
            elif isinstance(node, nodes.Mod):
                r = a % b
            elif isinstance(node, nodes.Pow):
                if b < 0:
                    return 0
                if abs(a) > 1 and b * abs(a).bit_length() > INT_CAP.bit_length():
                    r = INT_CAP
                else:
                    r = a**b
            else:
                return None
        except (ZeroDivisionError, OverflowError):
            return None
        return max(-INT_CAP, min(INT_CAP, r))

    def _number_filter(self, node: Any) -> int | None:
        """``|int``, ``|float`` or ``|map('int'|'float', ...)``: the largest number it gives."""
        if node.name != "map":
            return self.int_value(node, lenient=True)
        if not node.args or self.folder.value(node.args[0]) not in ("int", "float"):
            return None
        if node.node is None:
            return None
        items = self.folder.value(node.node)
        texts = list(items) if isinstance(items, (str, list)) else None
        return self._converted(node, texts, self.literal_max(node.node), 1, 0)

    def _converted(
        self, node: Any, texts: list[object] | None, unfolded: int | None, skip: int, depth: int
    ) -> int | None:
        """The largest number Jinja's ``|int``/``|float`` (``node``, or ``map('int', ...)`` with
        its first ``skip`` arguments the filter's name) gives for the folded ``texts`` (None: not
        folded, at most ``unfolded`` or a number spelled in the text), every argument followed:
        the default is returned when the text does not parse (``'zz'|int(3e9)``) and a base
        reads hex or prefixed digits (``'B2D05E00'|int(0, 16)``), so a base that is not 10 on
        text the analyser does not fold, or a base it cannot fix, is unbounded."""
        kind = "int" if node.name == "int" else "float"
        if node.name == "map":
            kind = cast("str", self.folder.value(node.args[0]))
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            return INT_CAP  # |int(*a, **k): arguments the analyser cannot see
        params = ("default", "base") if kind == "int" else ("default",)
        given = dict(zip(params, node.args[skip:], strict=False))
        given.update((kw.key, kw.value) for kw in node.kwargs if kw.key in params)
        fallback: int | None = 0
        if "default" in given:
            spelled = [
                self.int_value(given["default"], depth + 1, lenient=True),
                self.literal_max(given["default"]),
            ]
            fallback = max((v for v in spelled if v is not None), default=None)
        base: object = 10
        if "base" in given:
            base = self.folder.value(given["base"])
            if base is None:
                base = self.int_value(given["base"], depth + 1)
        if not isinstance(base, int) or isinstance(base, bool):
            return INT_CAP  # a base the template computes at render time
        if texts is None:
            if base != 10:
                return INT_CAP  # hex, octal or prefixed digits the analyser never sees
            known = [unfolded, self.text_max, fallback]  # a number spelled in a set block
            return max((v for v in known if v is not None), default=None)
        results = [_jinja_number(kind, t, base) for t in texts[:MAX_FOLD_CHARS]]
        known = [fallback if r is None else r for r in results]
        return max((v for v in known if v is not None), default=None)

    def length(self, node: Any, depth: int = 0) -> int | None:
        """How many items iterating ``node`` yields when the template fixes it, else None."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return INT_CAP  # deeper than followed: unbounded (fail closed)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            if node.node.name == "range" and node.args and not node.kwargs:
                bounds = [self.int_value(a, depth + 1, lenient=True) for a in node.args[:3]]
                if any(b is None for b in bounds):
                    return None
                ints = cast("list[int]", bounds)
                start, stop, step = (0, ints[0], 1) if len(ints) == 1 else (*ints[:2], 1)
                if len(ints) == 3:
                    step = ints[2]
                if step == 0:
                    return 0
                return max(0, (stop - start + step - (1 if step > 0 else -1)) // step)
            return None
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return len(node.items)
        if isinstance(node, nodes.Mul):  # 'x' * 99999, [0] * 99999: the count times its items
            repeat = self._repeat(node)
            if repeat is not None:
                inner = self.length(repeat[1], depth + 1)
                inner = self.size(repeat[1], depth + 1) if inner is None else inner
                return min(INT_CAP, max(0, repeat[0]) * inner)
        if isinstance(node, nodes.Name) and id(node) in self.local:
            return self._local_length(self.local[id(node)], depth)
        if (
            isinstance(node, nodes.Name)
            and self.collected
            and (node.name in self.items_of or node.name in self.assigns)
        ):
            # session 20: one value the conversation decides makes the length unknown (a
            # name set to [1] and to messages|tojson was a loop of one pass: > 30 s nested)
            return self._local_length(node.name, depth)
        if isinstance(node, nodes.Name) and node.name in self.lengths:
            return self.lengths[node.name]
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and self.collected
            and f"{node.node.name}.{node.attr}" in self.assigns
        ):
            return self._local_length(f"{node.node.name}.{node.attr}", depth)
        if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Slice):
            return self.item_length(node.node, depth + 1)  # a[0], a[k]: one item of a
        if isinstance(node, nodes.Filter) and node.node is not None and node.name in {
            "first", "last", "random", "min", "max",
        }:  # fmt: skip
            return self.item_length(node.node, depth + 1)
        if isinstance(node, nodes.Filter) and node.node is not None and node.name in {
            "list", "reverse", "sort", "unique", "batch", "slice", "map", "select", "reject",
            "selectattr", "rejectattr",
        }:  # fmt: skip
            return self.length(node.node, depth + 1)  # at most as many items
        value = self.folder.value(node)
        return len(value) if isinstance(value, (str, list)) else None

    def item_length(self, node: Any, depth: int = 0, level: int = 1) -> int | None:
        """The most items an item of ``node`` yields when the template fixes it (an item of
        ``[range(20000)]``, of a name or slot holding one; ``level`` 2: an item of an item),
        else None."""
        from jinja2 import nodes

        if level <= 0:
            return self.length(node, depth + 1)
        if depth > MAX_FOLD_DEPTH or level > 8:
            return INT_CAP if depth > MAX_FOLD_DEPTH else None
        found: list[int | None] = []
        if isinstance(node, (nodes.List, nodes.Tuple)):
            found = [self.item_length(i, depth + 1, level - 1) for i in node.items]
        elif isinstance(node, nodes.Dict):
            found = [self.item_length(p.value, depth + 1, level - 1) for p in node.items]
        elif isinstance(node, (nodes.Name, nodes.Getattr)):
            key = ref_key(node)
            if isinstance(node, nodes.Name) and id(node) in self.local:
                key = self.local[id(node)]
            if key is not None and (key in self.assigns or key in self.items_of):
                memo = f"{key}[item{level}]"
                if memo in self.local_lengths:
                    return self.local_lengths[memo]
                self.local_lengths[memo] = None
                found = [
                    self.item_length(v, depth + 1, level) for v, _ in self.assigns.get(key, [])
                ]
                found += [
                    self.item_length(it, depth + 1, level + 1) for it in self.items_of.get(key, [])
                ]
                best = max((n for n in found if n is not None), default=None)
                if self.collected:
                    self.local_lengths[memo] = best
                else:
                    del self.local_lengths[memo]
                return best
        elif isinstance(node, nodes.Filter) and node.node is not None and node.name in {
            "list", "reverse", "sort", "unique", "select", "reject", "selectattr",
            "rejectattr", "dictsort", "items",
        }:  # fmt: skip
            return self.item_length(node.node, depth + 1, level)
        elif isinstance(node, nodes.Filter) and node.node is not None and node.name in {
            "first", "last", "random", "min", "max",
        }:  # fmt: skip
            return self.item_length(node.node, depth + 1, level + 1)
        elif isinstance(node, nodes.Filter) and node.node is not None and node.name in {
            "batch", "slice",
        }:  # fmt: skip
            # a part holds at most every item
            return self.item_length(node.node, depth + 1, level - 1)
        elif isinstance(node, nodes.Getitem):
            step = 0 if isinstance(node.arg, nodes.Slice) else 1
            return self.item_length(node.node, depth + 1, level + step)
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in ("items", "values")
        ):
            return self.item_length(node.node.node, depth + 1, level)
        elif isinstance(node, (nodes.Add, nodes.Concat)):
            parts = [node.left, node.right] if isinstance(node, nodes.Add) else node.nodes
            found = [self.item_length(x, depth + 1, level) for x in parts]
        elif isinstance(node, nodes.Mul):
            found = [
                self.item_length(node.left, depth + 1, level),
                self.item_length(node.right, depth + 1, level),
            ]
        elif level == 1:
            value = self.folder.value(node)
            if isinstance(value, list):
                found = [len(v) for v in value if isinstance(v, (str, list))]
        return max((n for n in found if n is not None), default=None)

    def _local_length(self, key: str, depth: int) -> int | None:
        """The most items a macro parameter's value (local ``key``) may yield, from what its
        calls pass, its default and what the macro sets (None: the conversation decides)."""
        if key in self.local_lengths:
            return self.local_lengths[key]
        self.local_lengths[key] = None  # read by its own values: what the others give
        found = [self.length(v, depth + 1) for v, _ in self.assigns.get(key, [])]
        found += [self.item_length(it, depth + 1) for it in self.items_of.get(key, [])]
        # one value the conversation decides: no fixed length (a loop of its own), unless a
        # value the template fixes is longer than a conversation loop is counted
        known = max((n for n in found if n is not None), default=None)
        best = known if None not in found or (known or 0) > CONV_PASSES else None
        if self.collected:
            self.local_lengths[key] = best
        else:  # bindings still being collected: nothing final yet
            del self.local_lengths[key]
        return best

    def product(self, name: str) -> int:
        """The largest loop-iteration product inside macro ``name`` (1 while it recurses)."""
        if name in self.products:
            return self.products[name]
        if name in self.active or len(self.active) > 32:
            return 1
        self.active.add(name)
        try:
            peak = self.walk(self.macros[name].body, None)
        finally:
            self.active.discard(name)
        self.products[name] = peak
        return peak

    def check(self, tree: Any, add: Any) -> None:
        self.walk(tree.body, add)
        for key, size in self.sizes.items():  # {% set a = a ~ a %} forty times
            if size > MAX_REPEAT:
                line = getattr(self.assigns[key][-1][0], "lineno", None)
                add(TemplateIssue(RESOURCES, f"{key} holds {_big(size)} characters or items", line))
        self._recursion(tree, add)
        self._doubling(tree, add)
        self._data_nests(tree, add)
        self._total_work(tree, add)

    def _data_nests(self, tree: Any, add: Any) -> None:
        """Loops over the conversation nested :data:`MAX_DATA_NEST` deep, each over a collection
        that does not come from an enclosing loop's item (``for a in messages`` in ``for b in
        messages``...): the template fixes the degree, so 100 messages cost 100**degree
        passes. A walk down the data (``for t in message.tool_calls`` in ``for message in
        ...``: each loop over the directly enclosing loop's item) costs the data's size and
        counts no degree until a loop over something else runs inside it (then one). A loop
        over an item's part that is no such walk (``messages[0].content``, ``m.content`` inside
        a loop over ``m.content``, a name or namespace attribute set to one) may walk the
        characters of a message (thousands): it counts two."""
        from jinja2 import nodes

        stored = {n.name for n in _walk(tree) if isinstance(n, nodes.Name) and n.ctx == "store"}
        listed = _non_strings(tree, stored)  # ``is string`` tested false: no text

        def built(value: Any, seen: frozenset[str] = frozenset()) -> bool:
            """``value`` is (or is set to) a list, dict or namespace the template writes."""
            while isinstance(value, (nodes.Filter, nodes.Getattr, nodes.Getitem)):
                if isinstance(value, nodes.Getattr) and isinstance(value.node, nodes.Name):
                    break  # ns.d: a namespace slot, looked up below
                if value.node is None:
                    return False
                value = value.node
            if isinstance(value, (nodes.Dict, nodes.List, nodes.Tuple)):
                return True
            if isinstance(value, nodes.Call) and isinstance(value.node, nodes.Name):
                return value.node.name in ("dict", "namespace")
            key = None
            if isinstance(value, nodes.Name):
                key = value.name
            elif isinstance(value, nodes.Getattr) and isinstance(value.node, nodes.Name):
                key = f"{value.node.name}.{value.attr}"
                if key not in self.assigns and built(value.node, seen):
                    return True
            if key is None or key not in self.assigns or key in seen:
                return False
            return len(seen) >= 16 or any(built(v, seen | {key}) for v, _ in self.assigns[key])

        def text_walk(it: Any) -> bool:
            return id(it) not in listed and _text_walk(it, built)

        def text_count(value: Any, seen: frozenset[str] = frozenset()) -> bool:
            """``value`` counts characters of the conversation: a length of text
            (``m.content|length``), arithmetic on one, or a name or namespace counter set to
            one (``ns.n = ns.n + m.content|length``): a ``range()`` of it walks as far as text."""
            if isinstance(value, nodes.Keyword):
                value = value.value
            if (
                isinstance(value, nodes.Call)
                and isinstance(value.node, nodes.Getattr)
                and value.node.attr in _POSITION_METHODS
            ):  # session 20: m.content.count('') is its length + 1 (16 s nested twice)
                return part(value.node.node) and text_walk(value.node.node)
            if isinstance(value, nodes.Filter) and value.node is not None:
                if value.name in _COUNT_FILTERS:
                    return part(value.node) and text_walk(value.node)
                return value.name in _NUMBER_FILTERS and text_count(value.node, seen)
            if isinstance(value, nodes.BinExpr) and not isinstance(value, (nodes.And, nodes.Or)):
                return text_count(value.left, seen) or text_count(value.right, seen)
            key = None
            if isinstance(value, nodes.Name):
                key = value.name
            elif isinstance(value, nodes.Getattr) and isinstance(value.node, nodes.Name):
                key = f"{value.node.name}.{value.attr}"
            if key is None or key not in self.assigns or key in seen:
                return False
            return len(seen) >= 16 or any(text_count(v, seen | {key}) for v, _ in self.assigns[key])

        def part(value: Any, seen: frozenset[str] = frozenset()) -> bool:
            """``value`` is an item's part (an attribute or an item of a value, through
            filters, slices, method calls and names set only to such values), or a range
            as long as text (:func:`text_count`)."""
            if (
                isinstance(value, nodes.Call)
                and isinstance(value.node, nodes.Name)
                and value.node.name == "range"
                and any(text_count(a) for a in value.args)
            ):
                return True
            while True:
                if isinstance(value, nodes.Filter) and value.name in _SERIAL_FILTERS:
                    return True  # text made of the conversation (messages|tojson)
                if isinstance(value, (nodes.Concat, nodes.Mod)) or _join_method(value):
                    return True
                if isinstance(value, (nodes.Filter, nodes.Test)) and value.node is not None:
                    value = value.node
                elif isinstance(value, nodes.Call):
                    value = value.node
                elif isinstance(value, nodes.Getitem) and isinstance(value.arg, nodes.Slice):
                    value = value.node
                else:
                    break
            key = None
            if isinstance(value, nodes.Name):
                key = value.name
            elif isinstance(value, nodes.Getattr) and isinstance(value.node, nodes.Name):
                key = f"{value.node.name}.{value.attr}"  # a namespace attribute
            if key is not None and key in self.assigns:
                if key in seen:
                    return False  # {% set messages = messages[1:] %}: its other values decide
                if len(seen) >= 16:
                    return True
                return any(part(v, seen | {key}) for v, _ in self.assigns[key])
            return isinstance(value, (nodes.Getattr, nodes.Getitem))

        loop_bound = _loop_bound(tree)
        reaching = _reaching_sets(tree)

        def reads(value: Any, bound: frozenset[str], depth: int = 0) -> bool:
            """Every value ``value`` may take comes from a name of ``bound``: each data root
            (:func:`_data_roots`: not a test, a compared value or an index) is one, or a name
            set only to such values (``{% set c = m.content %}``), or an inner loop's item read
            in that loop's body (``for k, v in args.items()`` ... ``ns.a + [k]``; LFM2.5),
            which comes from the loop's collection. ``(messages if m else [])`` or ``m and
            messages`` may be the whole conversation: not a walk down ``m`` (session 24: such
            loops nested were read as walks). Past an inner loop a name of ``bound`` counts
            only where its own loop encloses the read (lexically, :func:`_loop_bound`)."""
            todo: list[tuple[Any, bool]] = [(value, False)]
            seen = set[str]()
            found = False
            while todo:
                if len(seen) >= 64:
                    return False  # too many names to follow: not known to be the item's
                v, strict = todo.pop()
                for r in _data_roots(v, self.macros):
                    if (
                        isinstance(r, nodes.Getattr)
                        and isinstance(r.node, nodes.Name)
                        and f"{r.node.name}.{r.attr}" not in self.assigns
                    ):
                        r = r.node  # an attribute of a name, not a namespace slot
                    if isinstance(r, nodes.Getitem):
                        # one item picked by an index the bound item gives (MiniCPM5's
                        # ``message.tool_calls[i - 1]`` in ``for i in range(...)``), as before
                        # session 24; else it is its collection's
                        if depth < 8 and reads(r.arg, bound, depth + 1):
                            found = True
                        else:
                            todo.append((r.node, strict))
                        continue
                    if isinstance(r, nodes.Name):
                        if r.name in bound and (not strict or id(r) in loop_bound):
                            found = True
                            continue
                        loop = loop_bound.get(id(r))
                        if loop is not None:
                            if f"#{id(loop)}" not in seen:
                                seen.add(f"#{id(loop)}")
                                todo.append((loop.iter, True))
                            continue
                        if id(r) in reaching:  # the sets that reach this read
                            if f"@{id(r)}" not in seen:
                                seen.add(f"@{id(r)}")
                                todo.extend((x, strict) for x in reaching[id(r)])
                            continue
                        key = r.name
                    elif isinstance(r, nodes.Getattr) and isinstance(r.node, nodes.Name):
                        key = f"{r.node.name}.{r.attr}"
                    else:
                        return False  # a value from elsewhere (a call result, a global)
                    if key in seen:
                        continue  # ns.a = ns.a + [k]: its other values decide
                    if key in bound or key not in self.assigns:
                        return False
                    seen.add(key)
                    todo.extend((x, strict) for x, _ in self.assigns[key])
            return found

        in_body: set[str] = set()  # call blocks being costed (a body calling its macro)
        own_nest: dict[str, int] = {}  # a call block's macro: the nest its own body runs
        body_nest: dict[tuple[int, bool], int] = {}  # a call block's body: its own nest

        def local(
            roots: list[Any], outer: frozenset[str], nested: tuple[int, int] = (0, 0)
        ) -> tuple[int, list[tuple[int, int, str, int, int]]]:
            """The deepest nest of free loops in ``roots`` and every (degree, walk, macro,
            around, inside) call (walk: the degree a walk down the data adds when something
            runs inside; around: loops outside the free loop the walk started from; inside:
            any loop around the call). A walk down to text (:func:`_text_walk`: ``for a in
            m.content``) inside a free loop that is itself inside another (``for m in
            messages`` ... ``for a in m.content`` ... ``for m2 in messages`` ... ``for b in
            m2.content``: a real conversation's characters squared) adds its degree too.
            ``nested``: the roots' parameters are parts of an item whose free loop is inside
            another, and the roots run inside a loop."""
            peak, calls = 0, []
            base = nested[1]
            # (..., text: inside a walk down to text)
            stack: list[tuple[Any, int, frozenset[str], frozenset[str], int, int, bool]] = [
                (r, 0, outer, outer, 0, nested[0], False) for r in roots
            ]
            while stack:
                node, degree, names, direct, walk, around, text = stack.pop()
                if isinstance(node, nodes.For):
                    bound = names | frozenset(_names_in_target(node.target))
                    inner, deeper, outside, texts = degree, walk, around, text
                    if self.length(node.iter) is None:
                        if reads(node.iter, direct):
                            deeper = walk + 1  # a walk down the enclosing item
                            texts = text or text_walk(node.iter)
                            if around and text_walk(node.iter):
                                peak = max(peak, degree + 1)  # text x the loops around
                        elif reads(node.iter, names):  # an outer item's part: its text
                            inner = degree + walk + (2 if text_walk(node.iter) else 1)
                            deeper = 0
                            outside = degree + walk + around + base
                        else:
                            inner = degree + walk + (2 if part(node.iter) else 1)
                            deeper, outside = 0, degree + walk + around + base
                    peak = max(peak, inner)
                    target = frozenset(_names_in_target(node.target))
                    stack.extend(
                        (c, inner, bound, target, deeper, outside, texts) for c in node.body
                    )
                    stack.extend(
                        (c, degree, names, direct, walk, around, text)
                        for c in (node.iter, *node.else_)
                    )
                    continue
                if isinstance(node, nodes.Macro):
                    continue  # runs where it is called
                callee = node.call.node if isinstance(node, nodes.CallBlock) else None
                if isinstance(callee, nodes.Name) and callee.name in self.macros:
                    # the body runs where the macro calls caller(): inside its loops
                    own = own_nest.get(callee.name, 0)
                    if callee.name not in own_nest and callee.name not in in_body:
                        in_body.add(callee.name)  # a macro whose body calls itself this way
                        try:
                            macro = self.macros[callee.name]
                            args = frozenset(a.name for a in macro.args)
                            own = own_nest[callee.name] = local(macro.body, args, (0, 1))[0]
                        finally:
                            in_body.discard(callee.name)
                    if own:
                        key = (id(node), around > 0)
                        if key not in body_nest:
                            body_nest[key] = local(node.body, names, (around, 1))[0]
                        peak = max(peak, degree + walk + own + body_nest[key])
                if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                    if node.node.name in self.macros:
                        inside = int(degree + walk + base > 0)
                        calls.append((degree, walk, node.node.name, around, inside))
                weight = free_pass(node, names, direct, walk, around, text)  # |selectattr
                if weight:
                    peak = max(peak, degree + walk + weight)
                stack.extend(
                    (c, degree, names, direct, walk, around, text) for c in _children(node)
                )
            return peak, calls

        def free_pass(
            node: Any,
            names: frozenset[str],
            direct: frozenset[str],
            walk: int,
            around: int,
            text: bool,
        ) -> int:
            """A filter or ``in`` test that walks a collection the conversation sizes (not an
            enclosing loop's item, a constant or a loop counter): a pass like a loop's (1); one
            walking an outer loop's item's part on every pass of an inner loop (``for a in
            m.content`` ... ``m.content|select('equalto', a)``) counts as a loop over it (2;
            an ``in`` test or a filter that calls nothing back per item there, 1)."""
            if isinstance(node, nodes.Filter) and node.node is not None:
                if node.name in _O1_FILTERS:
                    return 0
                walked = [node.node]
            elif isinstance(node, nodes.Compare):
                walked = [op.expr for op in node.ops if op.op in ("in", "notin")]
            else:
                return 0
            weight = 0
            serial = isinstance(node, nodes.Filter) and node.name in _SERIAL_FILTERS
            for w in walked:
                while (
                    isinstance(w, nodes.Filter)
                    and (w.name in _O1_FILTERS or (text and serial))
                    and w.node
                ):
                    w = w.node  # messages|default([])|selectattr(...); messages|map(..)|join
                if isinstance(w, (nodes.Const, nodes.BinExpr, nodes.Filter, nodes.Compare)):
                    continue  # a number, or a chain whose first filter counts the pass
                if _root_name(w) in (None, "loop") or self.length(w) is not None:
                    continue
                if not reads(w, names):
                    # the conversation's whole text per character of a message: its squared
                    weight = max(weight, 2 if text and serial else 1)
                elif direct and not reads(w, direct):  # ``in`` on a text runs at C speed
                    slow = isinstance(node, nodes.Filter) and node.name in _CALLBACK_FILTERS
                    weight = max(weight, 2 if slow else 1)
                elif around and isinstance(node, nodes.Filter) and text_walk(w):
                    if node.name in _CALLBACK_FILTERS:  # a callback per character
                        weight = max(weight, 1 - walk)
            return weight

        # per macro and (parameters walked inside a nested free loop, run inside a loop)
        parts = {
            (name, a, b): local(m.body, frozenset(x.name for x in m.args), (a, b))
            for name, m in self.macros.items()
            for a in (0, 1)
            for b in (0, 1)
        }
        memo: dict[tuple[str, int, int], int] = {}

        def reach(degree: int, walk: int, callee: str, around: int, inside: int) -> int:
            got = memo[(callee, int(around > 0), inside)]
            return degree + (walk if got else 0) + got

        for root in parts:  # callees first (iterative post-order); a cycle reads 0
            if root in memo:
                continue
            memo[root] = 0
            todo: list[tuple[tuple[str, int, int], int]] = [(root, 0)]
            while todo:
                key, i = todo.pop()
                calls = parts[key][1]
                if i < len(calls):
                    todo.append((key, i + 1))
                    callee = (calls[i][2], int(calls[i][3] > 0), calls[i][4])
                    if callee not in memo:
                        memo[callee] = 0
                        todo.append((callee, 0))
                    continue
                memo[key] = max([parts[key][0], *(reach(*call) for call in calls)])
        peak, calls = local(tree.body, frozenset())
        degree = max([peak, *(reach(*call) for call in calls)])
        if degree >= MAX_DATA_NEST:
            add(
                TemplateIssue(
                    RESOURCES,
                    f"{degree} loops over the conversation nested in one another: 100 messages"
                    f" make {_big(100**degree)} passes",
                    None,
                )
            )

    def template_names(self) -> set[str]:
        """:meth:`_fixed_names` before any loop is judged (cached once bindings are known)."""
        if self._template_names is None:
            self._template_names = self._fixed_names() - {"loop"}
        return self._template_names

    def _fixed_names(self) -> set[str]:
        """Names the template alone gives values: targets of loops it fixes the length of and
        names every assignment of which reads only such names and globals (fixed point)."""
        from jinja2 import nodes

        fixed = set(self.loop_fixed) | (TEMPLATE_GLOBALS - {"varargs", "kwargs", "caller"})
        candidates = {k for k in self.assigns if "." not in k and not k.endswith(("()", "[]"))}
        fixed |= candidates
        for _ in range(MAX_FLOW_PASSES):
            drop = {
                k
                for k in candidates & fixed
                if k not in self.loop_fixed
                and any(
                    isinstance(n, nodes.Name) and n.name not in fixed
                    for v, _ in self.assigns[k]
                    for n in _walk(v)
                )
            }
            if not drop:
                break
            fixed -= drop
        return fixed

    def _operation(self, node: Any) -> tuple[list[Any], int] | None:
        """(operands walked, work per item or character) of an operation whose time is linear
        in the size of what it reads or builds; None for constant-time nodes."""
        from jinja2 import nodes

        if isinstance(node, nodes.Filter) and node.node is not None:
            if node.name in _O1_FILTERS:
                return None
            per = ELEM_WORK
            if node.name in _CALLBACK_FILTERS:
                per = CALLBACK_WORK
            elif node.name in _SERIAL_FILTERS:
                per = SERIAL_WORK
            return [node.node, *node.args, *(k.value for k in node.kwargs)], per
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            if node.node.attr in _O1_METHODS:
                return None
            return [node.node.node, *node.args, *(k.value for k in node.kwargs)], ELEM_WORK
        if isinstance(node, nodes.Compare):
            return [node.expr, *(op.expr for op in node.ops)], ELEM_WORK
        if isinstance(node, nodes.Test) and node.name in ("in", "eq", "equalto", "==", "ne"):
            return [node.node, *node.args], ELEM_WORK
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Slice):
            return [node.node], ELEM_WORK
        if isinstance(node, (nodes.Concat, nodes.Add, nodes.Mul)):
            return [node], CONVERT_WORK  # what it builds (a list printed by ~ is serialised)
        if isinstance(node, nodes.Output):  # a macro's output is charged in its body
            printed = [
                x
                for x in node.nodes
                if not (isinstance(x, nodes.Call) and isinstance(x.node, nodes.Name))
                or x.node.name not in self.macros
            ]
            return printed, ELEM_WORK
        return None

    def _total_work(self, tree: Any, add: Any) -> None:
        """review17 F3: the loop passes the template fixes bounded each on their own
        (MAX_ITERATIONS) and the values it builds on their own (MAX_REPEAT), never their
        product: ``{% for i in range(999) %}{% for j in range(999) %}{{ big.index(x) }}`` with a
        99,999-item ``big`` ran for hours. Every pass is charged the work of what it does (the
        size of what each filter, method, test, comparison, slice or concatenation reads or
        builds; a conversation value at the size of a real one) times the passes around it
        (loops over the conversation at :data:`CONV_PASSES`); the total is bounded by
        :data:`MAX_WORK`. Work on the conversation at one pass per message is the nest rule's."""
        from jinja2 import nodes

        self.loop_fixed = {
            name
            for n in _walk(tree)
            if isinstance(n, nodes.For) and self.length(n.iter) is not None
            for name in _names_in_target(n.target)
        }
        fixed = self._fixed_names()
        memo: dict[tuple[str, bool], int] = {}
        active: set[str] = set()
        worst: list[tuple[int, Any, str]] = []
        stored = {n.name for n in _walk(tree) if isinstance(n, nodes.Name) and n.ctx == "store"}
        listed = _non_strings(tree, stored)

        def cost(
            roots: list[Any],
            hot0: bool,
            top: bool,
            at: tuple[int, int, frozenset[str]] = (1, 0, frozenset()),
        ) -> int:
            total = 0
            # (node, fixed passes, conversation loops around, hot: inside a fixed loop, items)
            stack: list[tuple[Any, int, int, bool, frozenset[str]]] = [
                (r, at[0], at[1], hot0, at[2]) for r in reversed(roots)
            ]
            while stack and total < INT_CAP:
                node, mult, deg, hot, items = stack.pop()
                scale = min(INT_CAP, mult * CONV_PASSES ** min(deg, CONV_DEPTH))
                here, what = 0, ""
                if isinstance(node, nodes.Macro):
                    continue  # runs where it is called
                if isinstance(node, (nodes.If, nodes.CondExpr)):  # one branch runs
                    if isinstance(node, nodes.If):
                        elifs = [[e.test, *e.body] for e in node.elif_]
                        branches = [node.body, *elifs, node.else_]
                    else:
                        branches = [[node.expr1], [node.expr2] if node.expr2 else []]
                    here = cost([node.test], hot, top, (mult, deg, items)) + max(
                        cost(b, hot, top, (mult, deg, items)) for b in branches
                    )
                    total = min(INT_CAP, total + here)
                    continue
                if isinstance(node, nodes.For):
                    n = self.length(node.iter)
                    stack.append((node.iter, mult, deg, hot, items))
                    stack.extend((c, mult, deg, hot, items) for c in node.else_)
                    bound = items
                    if n is not None:
                        inner, ideg, ihot = min(INT_CAP, mult * max(n, 0)), deg, hot or n > 1
                        here, what = min(INT_CAP, scale * max(n, 0) * PASS_WORK), "loop passes"
                    else:
                        free = not any(_mentions(node.iter, x) for x in items)
                        inner, ideg, ihot = mult, deg + (1 if free else 0), hot
                        if items and id(node.iter) not in listed and _text_walk(node.iter):
                            # a walk down a message's text: its characters, not a message
                            # count (rt20tpl: strftime_now('%Y' * 9999) per character, > 30 s)
                            inner = min(INT_CAP, mult * max(1, CONV_ITEM // CONV_PASSES))
                        bound = items | frozenset(_names_in_target(node.target))
                        if hot:
                            here = min(INT_CAP, scale * CONV_PASSES * PASS_WORK)
                            what = "loop passes over the conversation"
                    for c in [*node.body, *([node.test] if node.test else [])]:
                        stack.append((c, inner, ideg, ihot, bound))
                    if here:
                        total += here
                        worst.append((here, node, what))
                    continue
                if isinstance(node, nodes.CallBlock) and isinstance(node.call.node, nodes.Name):
                    runs = self._caller_runs(node.call.node.name)
                    stack.append((node.call, mult, deg, hot, items))
                    for c in node.body:
                        stack.append((c, min(INT_CAP, mult * runs), deg, hot or runs > 1, items))
                    continue
                if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                    name = node.node.name
                    if name in self.macros and name not in active and len(active) >= 32:
                        here, what = INT_CAP, f"calls of {name}() nested too deep to bound"
                    elif name in self.macros and name not in active:
                        key = (name, hot)
                        if key not in memo:
                            active.add(name)
                            try:
                                macro = self.macros[name]  # its arguments are items
                                args = frozenset(a.name for a in macro.args)
                                memo[key] = cost(macro.body, hot, False, (1, 0, args))
                            finally:
                                active.discard(name)
                        per_call = memo[key] + (NODE_WORK * 10 if hot else 0)  # a frame
                        here, what = min(INT_CAP, scale * per_call), f"calls of {name}()"
                op = self._operation(node)
                if op is not None:
                    operands, per = op
                    sizes = [self.size(x) for x in operands]
                    conv = [  # names the conversation gives values
                        {n.name for n in _walk(x) if isinstance(n, nodes.Name)} - fixed - {"loop"}
                        for x in operands
                    ]
                    work = sum(s for s in sizes if s > 1) * per
                    if not hot and max(sizes, default=0) < BIG_VALUE:
                        # outside loops the template fixes only what it fixes itself counts
                        # (sizes of values mixing the conversation in are loose upper bounds)
                        if work < BIG_OP or any(conv):
                            work = 0
                    work += self.real_growth(node) * ELEM_WORK
                    if hot:
                        work += NODE_WORK
                        for names in conv:  # a conversation value: the size of a real one
                            if names:
                                whole = not (names & items)
                                work += (CONV_WHOLE if whole else CONV_ITEM) * per
                    here = min(INT_CAP, here + scale * work)
                    what = what or f"{type(node).__name__.lower()} on values of" + (
                        f" {_big(max(sizes))} characters or items" if sizes else ""
                    )
                elif hot:
                    here = min(INT_CAP, here + scale * NODE_WORK)
                if here:
                    total = min(INT_CAP, total + here)
                    if top:
                        worst.append((here, node, what))
                stack.extend((c, mult, deg, hot, items) for c in _children(node))
            return total

        for name in self.macros:  # callees defined first are costed first: chains stay shallow
            for hot in (False, True):
                cost(
                    [nodes.Output([nodes.Call(nodes.Name(name, "load"), [], [], None, None)])],
                    hot,
                    False,
                )
        total = self.work = cost(tree.body, False, True)
        if total > MAX_WORK:
            here, node, what = max(worst, key=lambda w: w[0]) if worst else (total, None, "")
            add(
                TemplateIssue(
                    RESOURCES,
                    f"work of {_big(total)} units (bound {_big(MAX_WORK)}, about a nanosecond"
                    f" each): loop passes times what each pass does; most from {what}"
                    f" ({_big(here)})",
                    getattr(node, "lineno", None),
                )
            )

    def _doubling(self, tree: Any, add: Any) -> None:
        """``{% set s = s ~ s %}`` (or ``ns.s = ns.s * 2``) in a loop: the value doubles every
        pass, 2**60 bytes after 60 messages. Real templates append to an accumulator once."""
        from jinja2 import nodes

        # session 20: a body run again and again without a loop around it (a recursive
        # macro's, a call block's whose macro calls caller() in a loop or twice) carries
        # namespace slots from run to run like a loop's passes (ns.s = ns.s ~ ns.s in a call
        # block run 40 times, or in a macro recursing 40 deep: MemoryError in the sandbox)
        _units, sites = _call_graph(tree)
        holders = _namespace_holders(tree)  # once: per loop it made the walk quadratic (tpl26)
        graph = {u: {t for site in todo for t in site.targets} for u, todo in sites.items()}
        recursive = {
            u.split(" ", 1)[1].split("(", 1)[0]
            for cycle in _call_cycles(graph)
            for u in cycle
            if u.startswith("macro ")
        }

        def repeats_caller(name: str) -> bool:
            macro = self.macros.get(name)
            if macro is None or name in recursive:
                return True
            calls = 0
            todo: list[tuple[Any, bool]] = [(c, False) for c in macro.body]
            while todo:
                x, looped = todo.pop()
                if isinstance(x, nodes.Macro):
                    continue
                if isinstance(x, nodes.Name) and x.name == "caller":
                    calls += 2 if looped else 1
                inner = looped or (isinstance(x, nodes.For) and x.recursive)
                for c in _children(x):
                    in_body = isinstance(x, nodes.For) and any(c is y for y in x.body)
                    todo.append((c, inner or in_body))
            return calls > 1

        def repeated(body: list[Any], line: int | None) -> None:
            runs = nodes.For(nodes.Name("_", "store"), nodes.Const(None), body, [], None, False)
            if _carried_growth(runs, self.macros, holders, slots_only=True) or any(
                isinstance(x, nodes.Assign)
                and isinstance(x.target, nodes.NSRef)
                and _grows(x.target, x.node)
                for x in _walk_body(body)
            ):
                add(TemplateIssue(RESOURCES, "value doubles on every run of a body", line))

        for m in self.all_macros:
            if m.name in recursive:
                repeated(m.body, getattr(m, "lineno", None))
        for cb in (x for x in _walk(tree) if isinstance(x, nodes.CallBlock)):
            callee = cb.call.node
            if not isinstance(callee, nodes.Name) or repeats_caller(callee.name):
                repeated(cb.body, getattr(cb, "lineno", None))

        # (node, inside a loop, names the innermost loop binds afresh on every pass)
        stack: list[tuple[Any, bool, frozenset[str]]] = [(tree, False, frozenset())]
        rewritten: set[int] = set()  # assignments after a fresh set of their name this pass
        while stack:
            n, in_loop, fresh = stack.pop()
            if (
                in_loop
                and isinstance(n, nodes.Assign)
                and not (isinstance(n.target, nodes.Name) and n.target.name in fresh)
                and id(n) not in rewritten
                and _grows(n.target, n.node)
            ):
                line = getattr(n, "lineno", None)
                add(TemplateIssue(RESOURCES, "value doubles on every loop pass", line))
            if isinstance(n, nodes.For):
                line = getattr(n, "lineno", None)
                if _carried_growth(n, self.macros, holders):
                    add(TemplateIssue(RESOURCES, "value doubles on every loop pass", line))
                if n.recursive and not _recurses_into_items(n):
                    add(TemplateIssue(RESOURCES, "recursive loop not walking its items", line))
                elif n.recursive:  # loop(v|items) twice a pass on data the template nests
                    calls = [
                        c
                        for c in _walk_body(n.body)
                        if isinstance(c, nodes.Call)
                        and isinstance(c.node, nodes.Name)
                        and c.node.name == "loop"
                    ]
                    if len(calls) > 1:
                        depth = self._nesting(tree)
                        if len(calls) ** min(depth, 200) * CALL_WORK > MAX_WORK:
                            add(
                                TemplateIssue(
                                    RESOURCES,
                                    f"recursive loop recurses {len(calls)} times a pass on data"
                                    f" the template nests {_big(depth)} deep",
                                    line,
                                )
                            )
                stack.extend((c, in_loop, fresh) for c in (n.iter, n.target, *n.else_))
                bound = frozenset(_names_in_target(n.target))
                rewritten |= _reset_first(n.body, self.macros)
                stack.extend((c, True, bound) for c in n.body)
            elif isinstance(n, nodes.Macro):  # a macro body runs where it is called
                stack.extend((c, in_loop, frozenset()) for c in _children(n))
            else:
                stack.extend((c, in_loop, fresh) for c in _children(n))

    def walk(self, roots: list[Any], add: Any) -> int:
        """The largest iteration product under ``roots``; with ``add``, report what is too big."""
        from jinja2 import nodes

        def report(evidence: str, line: int | None) -> None:
            if add is not None:
                add(TemplateIssue(RESOURCES, evidence, line))

        peak = 1
        stack: list[tuple[Any, int]] = [(r, 1) for r in reversed(roots)]
        while stack:
            node, mult = stack.pop()
            line = getattr(node, "lineno", None)
            if isinstance(node, nodes.Macro) and add is None:
                continue  # a nested macro runs where it is called
            if isinstance(node, nodes.For):
                n = self.length(node.iter)
                inner = min(INT_CAP, mult * (n if n is not None else 1))
                peak = max(peak, inner)
                if inner > MAX_ITERATIONS >= mult:
                    report(f"loop nest of {_big(inner)} iterations fixed by the template", line)
                it = node.iter  # the loop counts its own range
                if (
                    isinstance(it, nodes.Call)
                    and isinstance(it.node, nodes.Name)
                    and (it.node.name == "range")
                ):
                    stack.extend((c, mult) for c in _children(it))
                else:
                    stack.append((it, mult))
                stack.extend((c, inner) for c in [*node.body, *([node.test] if node.test else [])])
                stack.extend((c, mult) for c in node.else_)
                continue
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                callee = node.node.name
                if callee == "range":
                    n = self.length(node)
                    if n is not None and mult * n > MAX_ITERATIONS:
                        report(f"range of {_big(n)} items (x{_big(mult)} loop passes)", line)
                elif callee == "lipsum":
                    n = self._widest(
                        [*node.args[:1], *(k.value for k in node.kwargs if k.key == "n")]
                    )
                    words = self._widest(
                        [*node.args[3:4], *(k.value for k in node.kwargs if k.key == "max")]
                    )  # words per paragraph (default at most 100)
                    if n is not None and n * mult > MAX_LIPSUM:
                        report(f"lipsum of {_big(n)} paragraphs", line)
                    elif words is not None and (n or 5) * words * mult > MAX_REPEAT:
                        report(f"lipsum of {_big(words)} words per paragraph", line)
                elif callee in self.macros:
                    p = self.product(callee)
                    total = min(INT_CAP, mult * p)
                    peak = max(peak, total)
                    if total > MAX_ITERATIONS >= max(mult, p):
                        report(f"macro {callee}() in loops: {_big(total)} iterations", line)
            elif isinstance(node, nodes.CallBlock) and isinstance(node.call.node, nodes.Name):
                runs = self._caller_runs(node.call.node.name)
                inner = min(INT_CAP, mult * runs)
                if inner > MAX_ITERATIONS >= mult:
                    report(f"call blocks nest to {_big(inner)} caller() runs", line)
                stack.append((node.call, mult))
                stack.extend((c, mult) for c in [*node.args, *node.defaults])
                stack.extend((c, inner) for c in node.body)
                continue
            elif isinstance(node, nodes.Mul):
                self._repetition(node, mult, report, line)
            elif isinstance(node, nodes.Pow):
                bits = self.int_bits(node)
                if bits is not None and bits > MAX_INT_BITS:
                    report(f"power builds an integer of {_big(bits)} bits", line)
            elif isinstance(node, nodes.Filter) and node.name == "sum" and node.node:
                # session 20: sum(start=[]) adds lists, copying what it holds at each item:
                # ([[0]] * 100000)|sum(start=[]) > 30 s in the sandbox (clean)
                start = [*node.args[1:2], *(k.value for k in node.kwargs if k.key == "start")]
                if start and self.int_value(start[0], lenient=True) is None:
                    count = self.length(node.node) or 1
                    if self.conversational(node.node):
                        count = max(count, CONV_WHOLE)
                    if count * count // 2 * mult > MAX_WORK // ELEM_WORK:
                        report(f"|sum of {_big(count)} lists copies each again", line)
            elif isinstance(node, nodes.Filter) and node.name in ("join", "map") and node.node:
                total = self.size(node) * mult
                if total > MAX_REPEAT:
                    report(f"|{node.name} builds {_big(total)} characters or items", line)
            elif isinstance(node, nodes.Output) and mult > 1:
                # what a loop the template fixes prints on every pass
                total = sum(self.size(e) for e in node.nodes) * mult
                if total > MAX_REPEAT:
                    report(f"loop prints {_big(total)} characters", line)
            elif _join_method(node):
                total = self.size(node) * mult
                if total > MAX_REPEAT:
                    report(f"str.join builds {_big(total)} characters", line)
            elif isinstance(node, nodes.Filter) and node.name in _AMPLIFY and node.node:
                total = self.size(node) * mult
                if total > MAX_REPEAT:
                    report(f"|{node.name} builds {_big(total)} characters", line)
            elif _string_op(node)[0] is not None:
                total = self.size(node) * mult
                if total > MAX_REPEAT:
                    report(f"{_string_op(node)[1]} builds {_big(total)} characters", line)
            self._padding(node, mult, report, line)
            stack.extend((c, mult) for c in _children(node))
        return peak

    def int_bits(self, node: Any, depth: int = 0) -> int | None:
        """A bound on the bits of the integer ``node`` computes, followed through powers
        (``10 ** 10 ** 10 ** 10`` is computed exactly by the loader, however large), or None."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return INT_CAP  # deeper than followed: unbounded (fail closed)
        if isinstance(node, nodes.Pow):
            if id(node) in self.bits:
                return self.bits[id(node)]
            base = self.int_bits(node.left, depth + 1)
            exp = self.int_value(node.right, lenient=True)
            bits = None
            if base is not None and exp is not None and exp > 0:
                bits = min(INT_CAP, base * exp) if base > 1 else base
            self.bits[id(node)] = bits
            return bits
        if isinstance(node, nodes.Mul):
            a, b = self.int_bits(node.left, depth + 1), self.int_bits(node.right, depth + 1)
            return None if a is None or b is None else min(INT_CAP, a + b)
        v = self.int_value(node, lenient=True)
        return None if v is None else abs(v).bit_length()

    def _caller_runs(self, name: str) -> int:
        """How often macro ``name`` runs its call block's body: its ``caller()`` calls, each
        times the loops around it the template fixes (at least one per call site)."""
        from jinja2 import nodes

        macro = self.macros.get(name)
        if macro is None:
            return 1
        if name in self.caller_runs:
            return self.caller_runs[name]
        runs = 0
        stack: list[tuple[Any, int]] = [(c, 1) for c in macro.body]
        while stack:
            node, mult = stack.pop()
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                if node.node.name == "caller":
                    runs += mult
            if isinstance(node, nodes.For):
                n = self.length(node.iter)
                inner = min(INT_CAP, mult * max(1, n if n is not None else 1))
                stack.extend((c, inner) for c in node.body)
                stack.extend((c, mult) for c in [node.iter, *node.else_])
                continue
            stack.extend((c, mult) for c in _children(node))
        self.caller_runs[name] = max(1, min(INT_CAP, runs))
        return self.caller_runs[name]

    def _widest(self, args: list[Any]) -> int | None:
        values = [self.int_value(a, lenient=True) for a in args]
        known = [v for v in values if v is not None]
        return max(known) if known else None

    def _padding(self, node: Any, mult: int, report: Any, line: int | None) -> None:
        """Widths that build the string: ``|center(10**10)``, ``|indent(10**9)``,
        ``x.ljust(10**10)``, ``'%999999999s'|format(x)``, ``'{:>999999999}'.format(x)``."""
        from jinja2 import nodes

        how, args, spec = None, [], None
        if isinstance(node, nodes.Filter) and node.name in PADDING:
            how, args = node.name, [*node.args, *(k.value for k in node.kwargs)]
        elif isinstance(node, nodes.Filter) and node.name in COUNTED_ARGS:
            first, kw, needs = COUNTED_ARGS[node.name]  # |tojson(indent=N), |slice(N), ...
            given = {k.key for k in node.kwargs}
            if needs is None or len(node.args) > 1 or needs in given:
                how = node.name
                args = [*node.args[:first], *(k.value for k in node.kwargs if k.key == kw)]
        elif isinstance(node, nodes.Filter) and node.name == "format":
            how, spec = "|format", node.node  # Jinja's format filter is a %-format
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            if node.node.attr in PADDING:
                how, args = node.node.attr, [*node.args, *(k.value for k in node.kwargs)]
            elif node.node.attr in {"format", "format_map"}:
                how, spec = node.node.attr, node.node.node
        elif isinstance(node, nodes.Mod):
            how, spec = "%", node.left
        if how is None:
            return
        width = self._widest(args) if args else None
        if width is not None and how in ("indent", "expandtabs"):  # per line, per tab
            receiver = node.node if isinstance(node, nodes.Filter) else node.node.node
            width = min(INT_CAP, width * max(1, self.size(receiver)))
        if spec is not None:
            text = self.folder.value(spec)
            if isinstance(text, str):
                fixed, dynamic = format_widths(text[:MAX_FOLD_CHARS], how in ("%", "|format"))
                width = max(fixed, (self._widest(_format_args(node)) or 0) if dynamic else 0)
        if width is not None and width * mult > MAX_REPEAT:
            report(f"{how} pads to {_big(width)} characters", line)
            return
        counts = args  # widths a real conversation sizes: |center((messages|length) ** 7)
        if spec is not None:
            text = self.folder.value(spec)
            counts = (
                _format_args(node)
                if not isinstance(text, str)
                or format_widths(text[:MAX_FOLD_CHARS], how in ("%", "|format"))[1]
                else []
            )
            if not isinstance(text, str):  # session 20: ('%' ~ n ~ 's')|format(x): a width
                # the spec is built from (n a real conversation sizes: 1.5 GiB, clean)
                counts = [*counts, *(x for x in _walk(spec) if x is not spec)]
        total = self._real_build(counts, 1, mult)
        if total > MAX_REAL_BUILD:
            report(f"{how} pads to up to {_big(total)} characters for a real conversation", line)

    def _repeat(self, node: Any) -> tuple[int, Any] | None:
        """(count, repeated operand) of ``x * n`` / ``n * x`` when the template fixes ``n``;
        a side that is a number only leniently (``[1] * 10**5``) is the repeated one."""
        from jinja2 import nodes

        a, b = self.int_value(node.left, lenient=True), self.int_value(node.right, lenient=True)
        if a is not None and b is not None:
            a, b = self.int_value(node.left), self.int_value(node.right)
        if a is not None and b is not None:  # a name a loop may give a string or a count
            for count, other in ((a, node.right), (b, node.left)):
                if isinstance(other, nodes.Name) and self.size(other) > 1:
                    return count, other
        if (a is None) == (b is None):
            return None  # numbers times numbers, or no constant count
        return (a, node.right) if a is not None else (cast("int", b), node.left)

    def real_int(self, node: Any, depth: int = 0) -> int | None:
        """An upper bound on the integer ``node`` computes for a real conversation (the gate's
        bounds: a length or loop counter at most :data:`CONV_WHOLE`), or None when ``node``
        is not known to be a number. ``(messages|length) ** 7`` is 4.5e35, not one."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return INT_CAP
        fixed = self.int_value(node)
        if fixed is not None:
            return abs(fixed)
        if self.counted_max:
            lookup = _lookup_key(node, self.folder)
            key = node.name if isinstance(node, nodes.Name) else None
            if lookup is not None and lookup[1] is not None:
                key = f"{lookup[0]}.{lookup[1]}"
            if key in self.counted_max:
                return self.counted_max[key]
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in _POSITION_METHODS
        ):  # a count or position in text: at most its length + 1
            return max(CONV_WHOLE, self.size(node.node.node)) + 1
        if isinstance(node, nodes.Filter) and node.node is not None:
            if node.name in _COUNT_FILTERS:
                return max(CONV_WHOLE, self.size(node.node))
            if node.name in _NUMBER_FILTERS:
                return self.real_int(node.node, depth + 1)
            return None
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            if node.node.name == "loop" and node.attr in _LOOP_INT_ATTRS:
                return max(CONV_WHOLE, self.loop_max or 0)
            return None
        if not isinstance(node, nodes.BinExpr) or self._sequence(node):
            return None
        a, b = self.real_int(node.left, depth + 1), self.real_int(node.right, depth + 1)
        if a is None or b is None:
            return None
        if isinstance(node, nodes.Pow):
            if a > 1 and b * a.bit_length() > INT_CAP.bit_length():
                return INT_CAP
            return min(INT_CAP, int(a**b))
        if isinstance(node, nodes.Mul):
            return min(INT_CAP, a * b)
        if isinstance(node, (nodes.Add, nodes.Sub)):
            return min(INT_CAP, a + b)
        if isinstance(node, nodes.Mod):
            return b
        return a  # a quotient is at most its dividend

    def conversational(self, node: Any) -> bool:
        """``node`` reads a name the template does not fix (the conversation's)."""
        from jinja2 import nodes

        names = {n.name for n in _walk(node) if isinstance(n, nodes.Name)}
        if names - self.template_names() - {"loop"}:
            return True
        todo = [node]
        seen: set[str] = set()
        while todo and len(seen) < 16:  # a namespace slot fed by the conversation
            for n in _walk(todo.pop()):
                key = ref_key(n) if isinstance(n, nodes.Getattr) else None
                if key is not None and key in self.assigns and key not in seen:
                    seen.add(key)
                    for v, _ in self.assigns[key]:
                        if {x.name for x in _walk(v) if isinstance(x, nodes.Name)} - (
                            self.template_names() | {"loop"}
                        ):
                            return True
                        todo.append(v)
        return False

    def real_growth(self, node: Any) -> int:
        """Characters a rewrite of a real message's text adds to it (session 20: a wrap
        string or an indent per character, a replacement per space: 1.9 GiB at 20 messages
        in the sandbox, clean): 0 unless the text is the conversation's."""
        from jinja2 import nodes

        base, how, args = _string_op(node)
        if (
            base is None
            and isinstance(node, nodes.Filter)
            and node.name == "indent"
            and node.node is not None
        ):
            base, how, args = node.node, "indent", _by_position(node, ("width",))
        if base is None or how == "filter" or not self.conversational(base):
            return 0
        n = max(self.size(base), CONV_ITEM)
        if how == "replace" and len(args) >= 2:
            old = self.folder.value(args[0])
            new = self.size(args[1])
            if isinstance(old, str) and old:
                return max(0, n // len(old) * new - n)
            return min(INT_CAP, (n + 1) * new)
        if how == "wordwrap":
            width = self.int_value(args[0], lenient=True) if args else None
            wrap = self.size(args[2]) if len(args) > 2 else 1
            return min(INT_CAP, (n // max(1, width or 1) + 1) * wrap)
        if how == "indent" and args:
            width = self.int_value(args[0], lenient=True)
            width = max(width or 0, self.size(args[0]))
            return min(INT_CAP, n * width) if width > 8 else 0
        return 0

    def _real_build(self, counts: list[Any], unit: int, mult: int) -> int:
        """What a count sized by a real conversation builds (0 when no count is known)."""
        known = [v for v in (self.real_int(c) for c in counts) if v is not None]
        return min(INT_CAP, max(known, default=0) * max(1, unit) * mult)

    def _repetition(self, node: Any, mult: int, report: Any, line: int | None) -> None:
        repeat = self._repeat(node)
        if repeat is None:  # 'x' * (messages|length) ** 7: a count the conversation sizes
            a, b = self.real_int(node.left), self.real_int(node.right)
            if (a is None) != (b is None):
                other = node.left if a is None else node.right
                count = node.right if a is None else node.left
                unit = self.size(other)
                if self.conversational(other):  # m.content * n: a real message's length
                    unit = max(unit, CONV_ITEM)
                total = self._real_build([count], unit, mult)
                if total > MAX_REAL_BUILD:
                    report(
                        f"repetition builds up to {_big(total)} characters or items for a real"
                        " conversation",
                        line,
                    )
            return
        count, other = repeat
        total = count * self.size(other) * mult
        if total > MAX_REPEAT:
            report(f"repetition builds {_big(total)} characters or items", line)

    def size(self, node: Any, depth: int = 0) -> int:
        """A bound on the characters or items a value the template fixes holds (1 when the
        conversation decides): repetitions of repetitions, ``replace`` with a longer string,
        ``wordwrap`` inserting its wrap string, folded constants."""
        from jinja2 import nodes

        if depth > MAX_FOLD_DEPTH:
            return INT_CAP  # nested deeper than followed: not bounded (fail closed)
        if isinstance(node, nodes.Mul):
            repeat = self._repeat(node)
            if repeat is not None:
                return min(INT_CAP, max(1, repeat[0]) * self.size(repeat[1], depth + 1))
        base, how, args = _string_op(node)
        if base is not None:
            n = self.size(base, depth + 1)
            if how == "replace" and len(args) >= 2:
                old = self.folder.value(args[0])
                new = self.size(args[1], depth + 1)
                if isinstance(old, str):
                    return n + (n + 1) * new if not old else max(n, n // len(old) * new)
            if how == "wordwrap":
                width = self.int_value(args[0], lenient=True) if args else None
                wrap = self.size(args[2], depth + 1) if len(args) > 2 else 1
                return n + (n // max(1, width or 79) + 1) * wrap
            return n
        if isinstance(node, nodes.Name) and id(node) in self.local:
            return self._bound(self.local[id(node)], depth)
        if isinstance(node, nodes.Name) and node.name in self.assigns:
            return self._bound(node.name, depth)
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and f"{node.node.name}.{node.attr}" in self.assigns
        ):
            return self._bound(f"{node.node.name}.{node.attr}", depth)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            if f"{node.node.name}()" in self.assigns:
                return self._bound(f"{node.node.name}()", depth)
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and isinstance(node.node.node, nodes.Name)
            and node.node.node.name == "self"
            and f"self.{node.node.attr}()" in self.assigns
        ):
            return self._bound(f"self.{node.node.attr}()", depth)
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name == "loop"
            and node.attr in ("previtem", "nextitem")
        ):
            return self._bound("loop[]", depth) if "loop[]" in self.assigns else 1
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.node, nodes.Name)
            and isinstance(node.arg, nodes.Const)
            and f"{node.node.name}.{node.arg.value}" in self.assigns
        ):
            return self._bound(f"{node.node.name}.{node.arg.value}", depth)
        if isinstance(node, nodes.TemplateData):
            return max(1, len(node.data))
        if isinstance(node, (nodes.List, nodes.Tuple)):  # items' characters bound a join
            return min(INT_CAP, max(1, sum(self.size(i, depth + 1) for i in node.items)))
        if isinstance(node, nodes.Dict):  # |string, |tojson, items() keep keys and values
            pairs = [(p.key, p.value) for p in node.items]
            return min(INT_CAP, max(1, sum(self.size(x, depth + 1) for kv in pairs for x in kv)))
        if isinstance(node, nodes.Filter) and node.name == "map" and node.node and node.args:
            return self._map_size(node, depth)
        if _join_method(node):  # sep.join(items): the separator once per item
            items = node.args[0]
            count = self.length(items, depth + 1) or self.size(items, depth + 1)
            sep = self.size(node.node.node, depth + 1)
            return min(INT_CAP, self.size(items, depth + 1) + sep * count)
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in ("format", "format_map")
        ):  # rt24tpl: '{0}{0}'.format(...) nested 34 deep was sized 6 (2**34 characters)
            fmt = self.size(node.node.node, depth + 1)
            passed = [*node.args, *(k.value for k in node.kwargs)]
            passed += [x for x in (node.dyn_args, node.dyn_kwargs) if x is not None]
            widest = max((self.size(a, depth + 1) for a in passed), default=0)
            fields = _format_fields(self.folder.value(node.node.node), fmt)
            return min(INT_CAP, fmt + fields * widest)
        if isinstance(node, nodes.Filter) and node.name == "join" and node.node:
            given = [*node.args[:1], *(k.value for k in node.kwargs if k.key == "d")]
            if not given and (node.dyn_args is not None or node.dyn_kwargs is not None):
                given = [x for x in (node.dyn_args, node.dyn_kwargs) if x is not None]
            split = _split_parts(node.node)
            if split is not None and not node.dyn_args and not node.dyn_kwargs:
                # text.split(t)[1:]|join(s): the parts hold text's characters less the
                # separators taken out, and each separator taken out is at most put back
                # as s (tplfp20's open |join sizes: the same t and s give text back)
                base, sep = split
                n = self.size(base, depth + 1)
                if given and sep is not None and _stable(sep) and given[0] == sep:
                    return n
                cut = self.folder.value(sep) if sep is not None else None
                cut_len = len(cut) if isinstance(cut, str) and cut else 1
                put = self.size(given[0], depth + 1) if given else 0
                return min(INT_CAP, n + (n // cut_len + 1) * max(0, put - cut_len))
            sep = self.size(given[0], depth + 1) if given else 1
            return min(INT_CAP, self.size(node.node, depth + 1) * (1 + sep))
        if isinstance(node, nodes.Concat):
            return min(INT_CAP, sum(self.size(p, depth + 1) for p in node.nodes))
        if isinstance(node, nodes.Add):
            return min(INT_CAP, self.size(node.left, depth + 1) + self.size(node.right, depth + 1))
        if isinstance(node, nodes.Filter) and node.name in _AMPLIFY and node.node:
            # escapes grow text by a factor per pass: tojson's \\ doubling and \u003c, repr's
            # \U0001xxxx, %25, &#34; (25 chained |tojson built 67 MB from 1,000 characters)
            return min(INT_CAP, _AMPLIFY[node.name] * self.size(node.node, depth + 1))
        if isinstance(node, nodes.Filter) and node.name in _SIZE_FILTERS and node.node:
            return self.size(node.node, depth + 1)
        value = self.folder.value(node)
        if isinstance(value, (str, list)):
            return max(1, len(value))
        # anything else holds at most what it is built from: x|default(s), '%s' % s,
        # '{}'.format(s), s.split(), namespace(**{'k': s}), dict(k=s) (widths: _padding)
        parts = 0
        if isinstance(node, (nodes.Expr, nodes.Keyword, nodes.Pair)) and not isinstance(
            node, (nodes.Name, nodes.Const)
        ):
            parts = sum(self.size(c, depth + 1) for c in _children(node))
        return min(INT_CAP, max(1, self.length(node, depth + 1) or 1, parts))

    def _map_size(self, node: Any, depth: int) -> int:
        """``items|map('center', 10**5)``: the filter named applied to every item (an item's own
        size taken as one: the conversation's)."""
        from jinja2 import nodes

        count = self.length(node.node, depth + 1) or self.size(node.node, depth + 1)
        name = self.folder.value(node.args[0])
        rest = [*node.args[1:], *(k.value for k in node.kwargs)]
        each = 1
        if name in PADDING or name in COUNTED_ARGS:
            each = max(1, self._widest(rest) or 1)
        elif name in _STRING_OP_PARAMS:
            # every item rewritten: n characters gain up to n + 1 copies of the new text
            # (replace) or one wrap string per width characters (wordwrap)
            shape = nodes.Filter(None, name, node.args[1:], list(node.kwargs), None, None)
            args = _by_position(shape, _STRING_OP_PARAMS[name])
            chars = self.size(node.node, depth + 1) + count
            if name == "replace" and len(args) >= 2:
                return min(INT_CAP, chars * (1 + self.size(args[1], depth + 1)))
            if name == "wordwrap":
                wrap = self.size(args[2], depth + 1) if len(args) > 2 else 1
                return min(INT_CAP, chars * (1 + wrap))
        elif name == "join" and rest:
            each = self.size(rest[0], depth + 1)
        elif isinstance(name, str) and name in _SIZE_FILTERS:
            each = 1
        elif not isinstance(node.args[0], nodes.Const):
            each = 1  # map(attribute=...) or a computed filter name (AIR-JINJA-002's business)
        return min(INT_CAP, max(1, count * each))

    def _nesting(self, tree: Any) -> int:
        """The deepest nesting of lists, tuples, dicts and namespaces any value the template
        builds may have (the conversation's values count none: they are as deep as real
        ones). Names, namespace slots and loop targets carry what they are given, in source
        order; a value given itself wrapped again inside a loop deepens on every pass (a
        loop the template fixes: its passes; over the conversation: :data:`CONV_PASSES`),
        and past :data:`MAX_NESTING` it is unbounded. Macro parameters count none: a
        recursion wrapping its argument (``f({'type': t})``) is :meth:`_recursion`'s."""
        from jinja2 import nodes

        table: dict[str, int] = {}
        peak = 0

        def depth(node: Any, level: int = 0) -> int:
            if level > MAX_FOLD_DEPTH:
                return MAX_NESTING
            if isinstance(node, (nodes.List, nodes.Tuple)):
                return 1 + max((depth(i, level + 1) for i in node.items), default=0)
            if isinstance(node, nodes.Dict):
                return 1 + max((depth(p.value, level + 1) for p in node.items), default=0)
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                if node.node.name in ("dict", "namespace"):
                    given = [*node.args, *(k.value for k in node.kwargs)]
                    given += [x for x in (node.dyn_args, node.dyn_kwargs) if x is not None]
                    return 1 + max((depth(g, level + 1) for g in given), default=0)
            key = ref_key(node)
            if key is not None and key in table:
                return table[key]
            if isinstance(node, (nodes.Name, nodes.Const, nodes.TemplateData)):
                return 0
            if isinstance(node, (nodes.Concat, nodes.Compare, nodes.Test, nodes.Not)):
                return 0  # a string or a boolean
            if isinstance(node, nodes.Filter) and node.name in _SERIAL_FILTERS:
                return 0
            return max((depth(c, level + 1) for c in _children(node)), default=0)

        def give(key: str, value: Any, passes: int) -> None:
            nonlocal peak
            old = table.get(key, 0)
            new = depth(value)
            if passes > 1 and _mentions(value, key):  # the value wraps itself again?
                table[key] = old + MAX_NESTING
                step = depth(value) - old - MAX_NESTING
                table[key] = old
                if step > 0:
                    new = max(new, old + step * passes)  # deeper on every pass
            table[key] = min(MAX_NESTING, max(old, new))
            peak = max(peak, table[key])

        stack: list[tuple[Any, int]] = [(tree, 1)]
        while stack:
            n, passes = stack.pop()
            if isinstance(n, nodes.For):
                count = self.length(n.iter)
                inner = min(MAX_NESTING, passes * (CONV_PASSES if count is None else count))
                for t in _names_in_target(n.target):
                    give(t, n.iter, passes)
                stack.extend((c, passes) for c in reversed(n.else_))
                stack.extend((c, max(1, inner)) for c in reversed(n.body))
                continue
            if isinstance(n, nodes.Assign):
                key = ref_key(n.target)
                if key is not None:
                    give(key, n.node, passes)
                    for k in _namespace_kwargs(n.node):
                        give(f"{key}.{k.key}", k.value, passes)
            elif isinstance(n, nodes.With):
                for target, given in zip(n.targets, n.values, strict=False):
                    key = ref_key(target)
                    if key is not None:
                        give(key, given, passes)
            elif isinstance(n, (nodes.Dict, nodes.List, nodes.Tuple, nodes.Call)):
                peak = max(peak, min(MAX_NESTING, depth(n)))
                continue  # its parts are counted in it
            stack.extend((c, passes) for c in reversed(list(_children(n))))
        return peak

    def _recursion(self, tree: Any, add: Any) -> None:
        """Macros (and blocks, call-block bodies) that call themselves, directly or through
        others, on a counter or a slice more than once per call, or from a loop: exponential
        work. Recursion on parts of the data (``f(spec.items)``, ``f({"type": t})``) is what
        real tool-schema templates do. A callee the text does not name (an alias, a macro
        passed as an argument, ``ns.f``, ``[f][0]``, ``caller``) may be any macro whose
        name is used as a value (review19: ``{% set h = f %}`` then ``h(n - 1)`` twice)."""
        from jinja2 import nodes

        units, sites = _call_graph(tree)
        graph = {u: {t for site in todo for t in site.targets} for u, todo in sites.items()}
        parts: _Parts | None = None
        nesting: int | None = None
        for cycle in _call_cycles(graph):
            members = [u for u in cycle if u in units]
            if not members:
                continue
            name = min(members, key=lambda u: (not u.startswith("macro "), units[u][1] or 0))
            own = [(u, st) for u in members for st in sites[u] if st.targets & cycle]
            per_unit: dict[str, int] = {}
            for u, st in own:
                per_unit[u] = per_unit.get(u, 0) + (2 if st.in_loop else 1)
            branching = any(n > 1 for n in per_unit.values())
            params = frozenset(p for u in members for p in units[u][0])
            parts = parts or _Parts(tree)
            parts.params, parts._memo = params, {}
            # tpl24fp: a site also passing a named part of a parameter (functionary's
            # ``get_array_typescript(.., items_info, depth + 1)``) ends with the data, like any
            # walk down it; its counter adds nothing (fanned walks are judged below)
            computed = [
                st
                for _, st in own
                if st.opaque
                or (any(map(_shrinks, st.args)) and not any(map(parts.descends, st.args)))
            ]
            doubling = [
                st
                for _, st in own
                for a in st.args
                for p in {n.name for n in _walk(a) if isinstance(n, nodes.Name)} & params
                if _grows(_store_name(p), a)
            ]
            unchanged = [st for _, st in own if st.passes_through(params)]
            if branching and len(unchanged) == len(own):
                computed = unchanged  # f() / f(n) calling itself: only a namespace counter ends it
            # sites passing no named part of a parameter, on a value built from one (``s ~ 'x'``,
            # ``s|replace(...)``) or under a namespace counter: two per call double per level
            built: dict[str, list[_Site]] = {}
            for u, st in own:
                if st.opaque or any(parts.descends(a) for a in st.args):
                    continue
                if parts.counter or any(parts.guarded(a) for a in st.args):
                    built.setdefault(u, []).extend([st, st] if st.in_loop else [st])
            fanned = next((b for b in built.values() if len(b) > 1), [])
            if fanned and not computed:
                computed = fanned
                branching = True
            if doubling or (computed and branching):
                site = (doubling or computed)[0]
                label = name.split("#")[0]
                add(
                    TemplateIssue(
                        RESOURCES,
                        f"{label} recurses ({len(own)} call site(s)) on a computed,"
                        " growing or shrinking argument: exponential work",
                        getattr(site.node, "lineno", None),
                    )
                )
                continue
            # fixjrec's open item: parts of data the template itself nests D deep, walked by
            # two sites per call (``f(d.a)`` twice on a 40-deep literal: 2**40 calls). The
            # conversation's data is as deep as a real one; the template's is what it writes.
            fan = max(per_unit.values(), default=0)
            if fan > 1:
                depth = self._nesting(tree) if nesting is None else nesting
                nesting = depth
                calls = fan ** min(depth, 200)
                if calls * CALL_WORK > MAX_WORK:
                    label = name.split("#")[0]
                    add(
                        TemplateIssue(
                            RESOURCES,
                            f"{label} recurses {fan} times per call on parts of data the"
                            f" template nests {_big(depth)} deep: {_big(calls)} calls",
                            getattr(own[0][1].node, "lineno", None),
                        )
                    )


_NUMBER_FILTERS = frozenset({"int", "abs", "float", "round"})
# Filters that read a collection without walking it (a conversation pass counts the others).
_O1_FILTERS = frozenset(
    {"length", "count", "first", "last", "default", "d", "attr", "random", "int", "float",
     "abs", "round"}
)  # fmt: skip
# filters calling back into Python for every item, and serialising ones (work per item)
_CALLBACK_FILTERS = frozenset(
    {"sort", "map", "select", "reject", "selectattr", "rejectattr", "unique", "groupby", "max",
     "min", "dictsort"}
)  # fmt: skip
_SERIAL_FILTERS = frozenset({"tojson", "join", "string", "pprint", "urlencode", "xmlattr"})
# methods reading a fixed part of their receiver (a dict's views, a cycler's or joiner's step)
_O1_METHODS = frozenset({"get", "items", "keys", "values", "next", "reset", "current"})
_NUMBER_TEXT = re.compile(r"\d[\d_]{0,63}(?:\.\d{1,16})?(?:[eE][+-]?\d{1,4})?")
_COUNT_FILTERS = frozenset({"length", "count", "wordcount"})  # sized from what they count


@functools.cache
def _carriers() -> tuple[type, ...]:
    """Expressions whose value is at most a number inside them (a lookup, a filter, a method
    result); jinja2 is imported on first use, never at module import."""
    from jinja2 import nodes

    return (
        nodes.Dict, nodes.List, nodes.Tuple, nodes.Pair, nodes.Keyword, nodes.Filter,
        nodes.Getattr, nodes.Getitem, nodes.CondExpr, nodes.Call,
    )  # fmt: skip


_POSITION_METHODS = frozenset({"count", "find", "rfind", "index", "rindex"})
_ITEM_FILTERS = frozenset({"first", "last", "max", "min", "random", "sum"})


def _number(value: object) -> int | None:
    """An int, float or numeric string (as ``|int``/``|float`` read it) as an integer, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if len(value) > 64:
            return None
        try:
            value = float(value.strip().replace("_", ""))
        except ValueError:
            return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return max(-INT_CAP, min(INT_CAP, int(value)))
    return value if isinstance(value, int) else None


def _jinja_number(kind: str, value: object, base: int) -> int | None:
    """Jinja 3.1's ``do_int(value, base=base)`` / ``do_float`` on a folded value (text of at
    most :data:`MAX_FOLD_CHARS`), saturated at :data:`INT_CAP`; None where it gives its default."""
    try:
        if kind == "float":
            return _number(float(cast("Any", value)))
        try:
            r = int(value, base) if isinstance(value, str) else int(cast("Any", value))
        except (TypeError, ValueError):
            r = int(float(cast("Any", value)))
    except (TypeError, ValueError, OverflowError):
        return None
    return max(-INT_CAP, min(INT_CAP, r))


def _lookup_key(node: Any, folder: _Folder) -> tuple[str, object] | None:
    """(name, constant key or None) of ``m.k``, ``m['k']``, ``m[i]``, ``m.get(k)``, ``m.pop()``."""
    from jinja2 import nodes

    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return node.node.name, node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name):
        key = folder.value(node.arg)
        return node.node.name, key if isinstance(key, (str, int)) else None
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr in ("get", "pop", "setdefault")
        and isinstance(node.node.node, nodes.Name)
    ):
        return node.node.node.name, None
    return None


def _int_sources(all_nodes: list[Any]) -> dict[str, list[Any]]:
    """Every expression a name or slot may be given: assignments (``ns.n``, dict-literal keys
    ``m.k``), ``with``, the items of what a loop walks (``("item", iterable)``), macro defaults
    and every call's arguments, a call block's parameters from its macro's ``caller(...)``."""
    from jinja2 import nodes

    out: dict[str, list[Any]] = {}
    macros = {n.name: n for n in all_nodes if isinstance(n, nodes.Macro)}
    parents = {id(c): n for n in all_nodes for c in _children(n)}

    def add(key: str, value: Any) -> None:
        out.setdefault(key, []).append(value)

    def bind(target: Any, value: Any) -> None:
        if isinstance(target, nodes.Name):
            add(target.name, value)
            if isinstance(value, nodes.Dict):
                for pair in value.items:
                    if isinstance(pair.key, nodes.Const):
                        add(f"{target.name}.{pair.key.value}", pair.value)
            if isinstance(value, nodes.Call) and isinstance(value.node, nodes.Name):
                if value.node.name in ("namespace", "dict"):
                    for kw in value.kwargs:
                        add(f"{target.name}.{kw.key}", kw.value)
        elif isinstance(target, nodes.NSRef):
            add(f"{target.name}.{target.attr}", value)
        else:  # a, b = ...: any item
            for name in _names_in_target(target):
                add(name, ("item", value))

    def call_args(params: list[Any], call: Any) -> None:
        for param, given in zip(params, call.args, strict=False):
            bind(param, given)
        for kw in call.kwargs:
            add(kw.key, kw.value)
        for dyn in (call.dyn_args, call.dyn_kwargs):
            if dyn is not None:
                for param in params:
                    add(param.name, ("item", dyn))

    for n in all_nodes:
        if isinstance(n, nodes.Assign):
            bind(n.target, n.node)
        elif isinstance(n, nodes.With):
            for target, value in zip(n.targets, n.values, strict=False):
                bind(target, value)
        elif isinstance(n, nodes.For):
            for name in _names_in_target(n.target):
                add(name, ("item", n.iter))
        elif isinstance(n, nodes.Macro):
            for arg, default in zip(
                n.args[len(n.args) - len(n.defaults) :], n.defaults, strict=True
            ):
                bind(arg, default)
        elif isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
            if n.node.name in macros:
                call_args(macros[n.node.name].args, n)
            elif n.node.name == "caller":  # keyed by the macro around it (call blocks read them)
                for macro_name in _enclosing_macros(n, parents):
                    for pos, given in enumerate(n.args):
                        add(f"{macro_name}()#{pos}", given)
                    for kw in n.kwargs:
                        add(f"{macro_name}()#{kw.key}", kw.value)
        elif isinstance(n, nodes.CallBlock) and isinstance(n.call.node, nodes.Name):
            name = n.call.node.name
            if name in macros:
                call_args(macros[name].args, n.call)
                for pos, param in enumerate(n.args):  # what the macro's caller(...) calls pass
                    add(param.name, ("ref", f"{name}()#{pos}"))
                    add(param.name, ("ref", f"{name}()#{param.name}"))
            for arg, default in zip(
                n.args[len(n.args) - len(n.defaults) :], n.defaults, strict=True
            ):
                bind(arg, default)
    return out


def _enclosing_macros(node: Any, parents: dict[int, Any]) -> list[str]:
    from jinja2 import nodes

    out = []
    while (node := parents.get(id(node))) is not None:
        if isinstance(node, nodes.Macro):
            out.append(node.name)
    return out


def _loop_values(it: Any) -> list[Any]:
    """The values a loop over ``it`` may bind when the template writes them: a literal list's
    items, tuple items unpacked (``for a, b in [(s, n)]``), a literal dict's values through
    ``.items()``, ``.values()`` and ordering filters (``for k, v in {'a': s}.items()``)."""
    from jinja2 import nodes

    out: list[Any] = []
    stack, seen = [(it, True)], 0
    while stack and seen < 1000:
        x, top = stack.pop()
        seen += 1
        if isinstance(x, (nodes.List, nodes.Tuple)):
            if not top:
                out.append(x)  # a name bound to the whole tuple
            stack.extend((i, False) for i in x.items)
        elif isinstance(x, nodes.Dict):
            stack.extend((p.value, False) for p in x.items)
        elif (
            isinstance(x, nodes.Call)
            and isinstance(x.node, nodes.Getattr)
            and x.node.attr in ("items", "values")
        ):
            stack.append((x.node.node, True))
        elif isinstance(x, nodes.Filter) and x.name in _LOOP_ORDER and x.node:
            stack.append((x.node, True))
        elif not top:
            out.append(x)
    return out


_LOOP_ORDER = frozenset({"dictsort", "items", "list", "reverse", "sort", "unique"})


def _format_fields(text: object, size: int) -> int:
    """Replacement fields of a ``str.format`` string (each prints an argument once): counted
    when the string is known, else one per two characters it may hold."""
    import string

    if isinstance(text, str):
        try:
            return sum(1 for _, f, _, _ in string.Formatter().parse(text) if f is not None)
        except ValueError:
            pass
    return max(1, size // 2)


def _string_op(node: Any) -> tuple[Any, str, list[Any]]:
    """(base, operation, arguments) of ``x|replace(a, b)``, ``x.replace(a, b)`` and
    ``x|wordwrap(...)``: operations whose result can be much longer than ``x``; base None else."""
    from jinja2 import nodes

    if isinstance(node, nodes.Filter) and node.name in _STRING_OP_PARAMS and node.node:
        return node.node, node.name, _by_position(node, _STRING_OP_PARAMS[node.name])
    if isinstance(node, nodes.FilterBlock):  # {% filter replace('a', 'y' * n) %}...{% endfilter %}
        body: list[Any] = []  # what the body prints, nested filter blocks whole
        stack = list(node.body)
        while stack:
            o = stack.pop()
            if isinstance(o, nodes.Output):
                body.extend(o.nodes)
            elif isinstance(o, nodes.FilterBlock):
                body.append(o)
            elif isinstance(o, nodes.Stmt):
                stack.extend(_children(o))
        f: Any = node.filter
        while isinstance(f, nodes.Filter):
            if f.name in _STRING_OP_PARAMS:
                return nodes.Concat(body), f.name, _by_position(f, _STRING_OP_PARAMS[f.name])
            f = f.node
        return nodes.Concat(body), "filter", []  # at least its body
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr == "replace"
    ):
        return node.node.node, "replace", list(node.args)
    return None, "", []


_STRING_OP_PARAMS = {
    "replace": ("old", "new", "count"),
    "wordwrap": ("width", "break_long_words", "wrapstring", "break_on_hyphens"),
}


def _by_position(node: Any, params: tuple[str, ...]) -> list[Any]:
    """A filter's arguments in its signature's order, keywords put in their place
    (``wordwrap(1, wrapstring=w)`` wraps with ``w``); a gap left by an omitted keyword is a
    ``None`` constant, read as the default."""
    from jinja2 import nodes

    out: list[Any] = list(node.args)
    named = {k.key: k.value for k in node.kwargs}
    for name in params[len(out) :]:
        out.append(named.pop(name, nodes.Const(None)))
    while out and isinstance(out[-1], nodes.Const) and out[-1].value is None:
        out.pop()
    return [*out, *named.values()]


def _format_args(node: Any) -> list[Any]:
    """The expressions a format takes its values from (``%`` operand items, call arguments,
    mapping values): where ``*`` and nested ``{w}`` widths come from."""
    from jinja2 import nodes

    if isinstance(node, nodes.Mod):
        given = [node.right]
    else:
        given = [*node.args, *(k.value for k in node.kwargs)]
    out: list[Any] = []
    for g in given:
        if isinstance(g, (nodes.Tuple, nodes.List)):
            out.extend(g.items)
        elif isinstance(g, nodes.Dict):
            out.extend(pair.value for pair in g.items)
        else:
            out.append(g)
    return out


@dataclass
class _Site:
    """A place a macro, block or call-block body runs another (or itself): its arguments,
    whether it is in a loop, what it may run; ``opaque``: its arguments are not known."""

    node: Any
    args: list[Any]
    in_loop: bool
    targets: frozenset[str]
    opaque: bool = False
    dyn: bool = False

    def passes_through(self, params: frozenset[str]) -> bool:
        """Arguments that are constants or the callers' own parameters, unchanged: a
        recursion that only template state (a namespace counter) can end."""
        from jinja2 import nodes

        if self.opaque or self.dyn:
            return False
        return all(
            isinstance(a, nodes.Const) or (isinstance(a, nodes.Name) and a.name in params)
            for a in self.args
        )


def _store_name(name: str) -> Any:
    from jinja2 import nodes

    return nodes.Name(name, "store")


# what str, list and dict values answer to by attribute (a dict key of that name is not
# reached by ``d.name``); any other attribute call may read a key or namespace slot
_VALUE_METHODS = frozenset(
    {"split", "rsplit", "splitlines", "strip", "lstrip", "rstrip", "lower", "upper", "title",
     "capitalize", "startswith", "endswith", "replace", "find", "rfind", "index", "rindex",
     "count", "format", "format_map", "join", "isdigit", "isalpha", "isspace", "isalnum",
     "isupper", "islower", "zfill", "center", "ljust", "rjust", "partition", "rpartition",
     "encode", "casefold", "swapcase", "expandtabs", "removeprefix", "removesuffix", "items",
     "keys", "values", "get", "copy", "next", "reset", "current", "cycle", "changed"}
)  # fmt: skip
_KEY_WRITERS = frozenset({"update", "setdefault", "fromkeys", "__setitem__"})
UNKNOWN_CALLEE = "?"  # the graph node of every callee the text does not name


def _call_graph(
    tree: Any,
) -> tuple[dict[str, tuple[list[str], int | None]], dict[str, list[_Site]]]:
    """Units (macros, blocks, call-block bodies: key -> (parameters, line)) and the sites in
    each that run units. A callee the text names runs the units of that name; ``self.b()`` and
    a block inside a unit run block ``b``; any other callee (a name the template binds, an
    attribute, an item, a computed value) runs :data:`UNKNOWN_CALLEE`, which runs every unit
    used as a value (a macro named outside a call, ``caller`` or ``self`` passed on). A call
    block runs its body from the unit around it once for every ``caller()`` its macro makes
    (any number when its macro hands ``caller`` on or calls it from a nested body)."""
    from jinja2 import nodes

    units: dict[str, tuple[list[str], int | None]] = {}
    sites: dict[str, list[_Site]] = {}
    by_name: dict[str, list[str]] = {}
    blocks: dict[str, str] = {}
    bound: set[str] = set()
    slots: set[str] = set()  # keys and namespace attributes the template writes
    any_slot = False
    escaped_names: set[str] = set()
    callee_ids: set[int] = set()
    # macro unit -> (caller() sites in its own body, caller used any other way)
    caller_use: dict[str, list[Any]] = {}
    caller_deep: set[str] = set()
    call_blocks: list[tuple[str | None, str, Any, bool]] = []
    pending: list[tuple[str, Any, bool]] = []  # (unit, Call node, in loop): classified below
    counter = 0
    stack: list[tuple[Any, str | None, bool, str | None]] = [(tree, None, False, None)]
    while stack:
        node, unit, in_loop, macro = stack.pop()
        if isinstance(node, nodes.Macro):
            counter += 1
            key = f"macro {node.name}()#{counter}"
            units[key] = ([a.name for a in node.args], getattr(node, "lineno", None))
            sites[key] = []
            by_name.setdefault(node.name, []).append(key)
            bound.update(a.name for a in node.args)
            for c in [*node.defaults, *node.body]:
                stack.append((c, key, False, key))
            continue
        if isinstance(node, nodes.CallBlock):
            counter += 1
            key = f"call block body#{counter}"
            units[key] = ([a.name for a in node.args], getattr(node, "lineno", None))
            sites[key] = []
            bound.update(a.name for a in node.args)
            call_blocks.append((unit, key, node.call, in_loop))
            stack.append((node.call, unit, in_loop, macro))
            for c in [*node.defaults, *node.body]:
                stack.append((c, key, False, macro))
            continue
        if isinstance(node, nodes.Block):
            key = f"block {node.name}"
            blocks[node.name] = key
            units[key] = ([], getattr(node, "lineno", None))
            sites.setdefault(key, [])
            if unit is not None:
                sites[unit].append(_Site(node, [], in_loop, frozenset({key})))
            for c in node.body:
                stack.append((c, key, False, None))
            continue
        if isinstance(node, nodes.Call):
            callee_ids.add(id(node.node))
            if isinstance(node.node, nodes.Getattr):
                callee_ids.add(id(node.node.node))  # self.b(): not ``self`` handed on
            if unit is not None:
                pending.append((unit, node, in_loop))
            if (
                isinstance(node.node, nodes.Name)
                and node.node.name == "caller"
                and macro is not None
            ):
                caller_use.setdefault(macro, []).append((node, in_loop))
                if unit != macro:
                    caller_deep.add(macro)
            if isinstance(node.node, nodes.Name) and node.node.name in ("dict", "namespace"):
                any_slot = any_slot or bool(node.args) or node.dyn_args is not None
            any_slot = any_slot or node.dyn_kwargs is not None
            if isinstance(node.node, nodes.Getattr) and node.node.attr in _KEY_WRITERS:
                any_slot = True  # d.update(...), d.setdefault(k, f): keys from anywhere
            slots.update(k.key for k in node.kwargs)
        elif isinstance(node, nodes.Name):
            if node.ctx in ("store", "param"):
                bound.add(node.name)
            elif id(node) not in callee_ids:
                escaped_names.add(node.name)
                if node.name == "caller" and macro is not None:
                    caller_deep.add(macro)
        elif isinstance(node, nodes.Getattr):
            if (
                isinstance(node.node, nodes.Name)
                and node.node.name == "self"
                and id(node) not in callee_ids
            ):
                escaped_names.add(f"self.{node.attr}")
                callee_ids.add(id(node.node))
        elif isinstance(node, nodes.NSRef):
            slots.add(node.attr)
        elif isinstance(node, nodes.Pair):
            if isinstance(node.key, nodes.Const) and isinstance(node.key.value, str):
                slots.add(node.key.value)
            else:
                any_slot = True
        elif isinstance(node, (nodes.Import, nodes.FromImport)):
            if isinstance(node, nodes.Import):
                bound.add(node.target)
            else:
                bound.update(n if isinstance(n, str) else n[-1] for n in node.names)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str):
            slots.add(node.value)  # d.setdefault('split', f): a key from a constant
        inner = in_loop or isinstance(node, nodes.For)
        for c in _children(node):  # after the Call: its callee is in callee_ids
            stack.append((c, unit, inner, macro))
    # pseudo-nodes (never units): a name runs every macro of that name (the last one defined
    # wins at run time, so any of them), UNKNOWN_CALLEE every unit used as a value
    for name, keys in by_name.items():
        sites[f"name {name}"] = [_Site(None, [], False, frozenset(keys), opaque=True)]
    escaped = {f"name {n}" for n in escaped_names if n in by_name}
    escaped.update(
        blocks[n[5:]] for n in escaped_names if n.startswith("self.") and n[5:] in blocks
    )
    if "self" in escaped_names:
        escaped.update(blocks.values())
    if "caller" in escaped_names:
        escaped.update(key for _, key, _, _ in call_blocks)
    sites[UNKNOWN_CALLEE] = [_Site(None, [], False, frozenset(escaped), opaque=True)]
    unknown = frozenset({UNKNOWN_CALLEE})

    def targets(call: Any) -> frozenset[str]:
        callee = call.node
        if isinstance(callee, nodes.Name):
            name = callee.name
            named = frozenset({f"name {name}"} if name in by_name else ())
            if name in bound or name == "caller":
                return named | unknown
            return named  # a global the host passes in (range, raise_exception...)
        if isinstance(callee, nodes.Getattr):
            if isinstance(callee.node, nodes.Name) and callee.node.name == "self":
                if "self" not in bound:
                    key = blocks.get(callee.attr)
                    return frozenset({key}) if key else frozenset()
            elif callee.attr in _VALUE_METHODS and not any_slot and callee.attr not in slots:
                return frozenset()  # a str/list/dict method: no template value answers to it
        return unknown

    for unit, call, in_loop in pending:
        args = [*call.args, *(k.value for k in call.kwargs)]
        dyn = call.dyn_args is not None or call.dyn_kwargs is not None
        sites[unit].append(_Site(call, args, in_loop, targets(call), dyn=dyn))
    # what a macro's caller() calls pass, per name of macro (and for any escaped macro)
    runs: dict[str, tuple[list[Any], bool, bool, bool]] = {}
    for name, keys in [*by_name.items(), (UNKNOWN_CALLEE, [])]:
        if name == UNKNOWN_CALLEE:
            keys = [k for n in escaped_names if n in by_name for k in by_name[n]]
        uses = [use for k in keys for use in caller_use.get(k, [])]
        deep = any(k in caller_deep for k in keys)
        many = deep or len(uses) > 1 or any(loop for _, loop in uses)
        args = [a for c, _ in uses for a in [*c.args, *(k.value for k in c.kwargs)]]
        runs[name] = (args, bool(uses) or deep, many, deep)
    for outer, key, call, in_loop in call_blocks:
        if outer is None:
            continue  # the body runs from the template's top: no unit re-enters through it
        found = [runs[UNKNOWN_CALLEE if t == UNKNOWN_CALLEE else t[5:]] for t in targets(call)]
        if any(used for _, used, _, _ in found):  # the body runs as often as caller() does
            many = any(m for _, _, m, _ in found)
            args = [a for r, _, _, _ in found for a in r]
            deep = any(d for _, _, _, d in found)  # caller handed on: its arguments unknown
            sites[outer].append(_Site(call, args, in_loop or many, frozenset({key}), opaque=deep))
    return units, sites


def _call_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected sets of macros that call themselves (Kosaraju, iterative: a
    megabyte of macros calling one another costs linear time)."""
    order: list[str] = []
    seen: set[str] = set()
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(graph[root]))]
        while stack:
            node, it = stack[-1]
            nxt = next((m for m in it if m not in seen), None)
            if nxt is None:
                stack.pop()
                order.append(node)
            else:
                seen.add(nxt)
                stack.append((nxt, iter(graph[nxt])))
    reverse: dict[str, set[str]] = {m: set() for m in graph}
    for m, callees in graph.items():
        for c in callees:
            reverse[c].add(m)
    out: list[set[str]] = []
    done: set[str] = set()
    for root in reversed(order):
        if root in done:
            continue
        part = {root}
        done.add(root)
        todo = [root]
        while todo:
            for m in reverse[todo.pop()]:
                if m not in done:
                    done.add(m)
                    part.add(m)
                    todo.append(m)
        if len(part) > 1 or root in graph[root]:
            out.append(part)
    return out


_FIXED, _PATH, _BUILT = 0, 1, 2
# filters and methods giving a part of a mapping (a string or list refuses them): a step down
_PART_FILTERS = frozenset({"items", "dictsort", "attr"})
_PART_METHODS = frozenset({"items", "values", "get"})
# filters giving some items of the value (a string's first character is that string again)
_SAME_FILTERS = frozenset(
    {"first", "last", "random", "list", "sort", "reverse", "unique", "select", "reject",
     "selectattr", "rejectattr", "default", "d", "batch", "slice", "groupby"}
)  # fmt: skip


@functools.cache
def _decision_kinds() -> tuple[set[tuple[Any, str]], tuple[Any, ...]]:
    from jinja2 import nodes

    fields = {(nodes.If, "test"), (nodes.CondExpr, "test"), (nodes.For, "iter"),
              (nodes.For, "test"), (nodes.Getitem, "arg")}  # fmt: skip
    whole = (nodes.Compare, nodes.Test, nodes.And, nodes.Or, nodes.Not, nodes.Slice,
             nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow)  # fmt: skip
    return fields, whole


class _Parts:
    """What a recursive call passes, per argument: a part of a parameter reached through at
    least one named step (``p.properties``, ``p['items']``, ``v`` of ``p|items``: the data ends
    it), or a value built from a parameter (``s ~ 'x'``, ``s|replace(..)``, ``s.strip()``,
    arithmetic: only a guard on it ends it). A string's item or character (``s[0]``, ``s|first``,
    ``for c in s``) is that string again, and a literal wrapping a part (``{'a': c}``) climbs a
    step back: neither descends. A named step does not descend either when the template can put
    a namespace inside a namespace (``set ns.a = ns``: a cycle). ``counter``: a macro, block or
    call block writes a namespace slot (a counter in template state may end any recursion)."""

    def __init__(self, tree: Any) -> None:
        from jinja2 import nodes

        self.params: frozenset[str] = frozenset()
        self.tree = tree
        self._decisions: tuple[set[str], list[tuple[str, set[str]]]] | None = None
        self._forward: dict[str, set[str]] | None = None
        self._backward: dict[str, set[str]] = {}
        self._scope_of: dict[int, int] = {}
        self._memo: dict[str, tuple[int, int]] = {}
        self._steps = 0
        self.binds: dict[str, list[tuple[Any, bool]]] = {}
        # tpl24fp: the macro each name use and binding sits in (0: the template's top level)
        self.macro_of: dict[int, int] = {}
        self.bind_scope: dict[int, int] = {}  # id of a bound value -> its macro
        scopes: list[tuple[Any, int]] = [(tree, 0)]
        while scopes:
            x, scope = scopes.pop()
            self.macro_of[id(x)] = scope
            inner_scope = id(x) if isinstance(x, nodes.Macro) else scope
            scopes.extend((c, inner_scope) for c in _children(x))
        spaces: set[str] = set()
        ns_values: list[Any] = []
        self.counter = any(
            isinstance(m, nodes.Assign) and isinstance(m.target, nodes.NSRef)
            for u in _walk(tree)
            if isinstance(u, (nodes.Macro, nodes.CallBlock, nodes.Block))
            for m in _walk(u)
        )
        for n in _walk(tree):
            if isinstance(n, nodes.Assign):
                if isinstance(n.target, nodes.NSRef):
                    ns_values.append(n.node)
                for name in _names_in_target(n.target):
                    self.binds.setdefault(name, []).append((n.node, False))
                    self.bind_scope[id(n.node)] = self.macro_of.get(id(n), 0)
                if (
                    isinstance(n.node, nodes.Call)
                    and isinstance(n.node.node, nodes.Name)
                    and n.node.node.name == "namespace"
                ):
                    spaces.update(_names_in_target(n.target))
            elif isinstance(n, nodes.For):
                for name in _names_in_target(n.target):
                    self.binds.setdefault(name, []).append((n.iter, True))
                    self.bind_scope[id(n.iter)] = self.macro_of.get(id(n), 0)
            elif isinstance(n, nodes.With):
                for t, v in zip(n.targets, n.values, strict=False):
                    for name in _names_in_target(t):
                        self.binds.setdefault(name, []).append((v, False))
                        self.bind_scope[id(v)] = self.macro_of.get(id(n), 0)
        macro_params = {a.name for n in _walk(tree) if isinstance(n, nodes.Macro) for a in n.args}
        holders = spaces | macro_params | {"varargs", "kwargs"}
        self.nested = any(
            isinstance(m, nodes.Name) and m.name in holders for v in ns_values for m in _walk(v)
        )
        stored = {n.name for n in _walk(tree) if isinstance(n, nodes.Name) and n.ctx == "store"}
        self.parted = _non_strings(tree, stored)
        self.loop_bound = _loop_bound(tree)

    def guarded(self, node: Any) -> bool:
        """A value built from a parameter that some condition reads (``s|length < 40``,
        through assignments and macro arguments): a counter. A prefix or an indent that is
        only printed and passed on ends nothing (an honest renderer ends with its data)."""
        from jinja2 import nodes

        if not self.built(node):
            return False
        if self._decisions is None:
            self._decisions = self._decided_names()
        decided, flows = self._decisions
        if self._forward is None:
            self._forward, self._backward = {}, {}
            for target, sources in flows:
                self._backward.setdefault(target, set()).update(sources)
                for src in sources:
                    self._forward.setdefault(src, set()).add(target)
        names = {
            f"{self._scope_of.get(id(n), 0)}:{n.name}"
            for n in _walk(node)
            if isinstance(n, nodes.Name)
        }
        todo = list(names)
        while todo and len(names) < 65536:  # back to the parameters the value is built from
            new = self._backward.get(todo.pop(), set()) - names
            names |= new
            todo.extend(new)
        own = [k for k in names if not k.startswith("0:") and k.partition(":")[2] in self.params]
        return any(self._reaches(k, self._forward, decided) for k in own)

    def _reaches(self, name: str, forward: dict[str, set[str]], decided: set[str]) -> bool:
        seen = {name}
        todo = [name]
        while todo and len(seen) < 65536:
            cur = todo.pop()
            if cur in decided:
                return True
            new = forward.get(cur, set()) - seen
            seen |= new
            todo.extend(new)
        return bool(todo)  # too many names to follow: a decision may read it

    def _decided_names(self) -> tuple[set[str], list[tuple[str, set[str]]]]:
        """Names read in a decision (an if, a loop's list or filter, a conditional's test,
        a comparison, a test, and/or/not, an index, arithmetic, ``range``) and the flows
        between names (assignments, loop targets, macro arguments to parameters). A name a
        macro binds (a parameter, a set or loop variable) is that macro's own: ``id:name``."""
        from jinja2 import nodes

        macros: dict[str, list[tuple[int, list[str]]]] = {}
        local: dict[int, set[str]] = {}
        for n in _walk(self.tree):
            if isinstance(n, nodes.Macro):
                macros.setdefault(n.name, []).append((id(n), [a.name for a in n.args]))
                own = {a.name for a in n.args} | {"varargs", "kwargs", "caller"}
                for m in _walk(n):
                    if isinstance(m, nodes.Name) and m.ctx in ("store", "param"):
                        own.add(m.name)
                local[id(n)] = own
        every = {
            f"{mid}:{p}" for ms in macros.values() for mid, args in ms for p in [*args, "varargs"]
        }
        decided: set[str] = set()
        flows: list[tuple[str, set[str]]] = []
        fields, whole = _decision_kinds()

        def qual(name: str, scope: int) -> str:
            return f"{scope}:{name}" if scope and name in local[scope] else f"0:{name}"

        def names(value: Any, scope: int) -> set[str]:
            return {qual(m.name, scope) for m in _walk(value) if isinstance(m, nodes.Name)}

        stack: list[tuple[Any, bool, int]] = [(self.tree, False, 0)]
        count = 0
        while stack:
            n, deciding, scope = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise _TooComplex(f"more than {MAX_NODES} syntax nodes")
            if isinstance(n, nodes.Name):
                self._scope_of[id(n)] = scope
                if deciding:
                    decided.add(qual(n.name, scope))
            if isinstance(n, nodes.Macro):
                scope = id(n)
            if isinstance(n, (nodes.Assign, nodes.For)):
                value = n.node if isinstance(n, nodes.Assign) else n.iter
                for tname in _names_in_target(n.target):
                    flows.append((qual(tname, scope), names(value, scope)))
            elif isinstance(n, nodes.With):
                for t, v in zip(n.targets, n.values, strict=False):
                    for name in _names_in_target(t):
                        flows.append((qual(name, scope), names(v, scope)))
            elif isinstance(n, nodes.Call):
                callee = n.node
                targets = macros.get(callee.name) if isinstance(callee, nodes.Name) else None
                passed: list[tuple[int, str | None, Any]] = [
                    (i, None, a) for i, a in enumerate(n.args)
                ]
                passed += [(-1, k.key, k.value) for k in n.kwargs]
                passed += [(-1, None, d) for d in (n.dyn_args, n.dyn_kwargs) if d is not None]
                for i, key, a in passed:
                    src = names(a, scope)
                    if targets is None or (i < 0 and key is None):
                        flows.extend((p, src) for p in every)
                        continue
                    for mid, args in targets:
                        if key is not None:
                            flows.append((f"{mid}:{key if key in args else 'kwargs'}", src))
                        else:
                            flows.append((f"{mid}:{args[i] if i < len(args) else 'varargs'}", src))
            for field in n.fields:
                child = getattr(n, field)
                inner = deciding or (type(n), field) in fields or isinstance(n, whole)
                if isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
                    inner = inner or (n.node.name == "range" and field != "node")
                for c in child if isinstance(child, list) else [child]:
                    if isinstance(c, nodes.Node):
                        stack.append((c, inner, scope))
        return decided, flows

    def descends(self, node: Any) -> bool:
        kind, steps = self._kind(node, 0, frozenset())
        return kind == _PATH and steps > 0

    def built(self, node: Any) -> bool:
        return self._kind(node, 0, frozenset())[0] == _BUILT

    def _join(self, parts: list[tuple[int, int]]) -> tuple[int, int]:
        if any(k == _BUILT for k, _ in parts):
            return _BUILT, 0
        paths = [s for k, s in parts if k == _PATH]
        return (_PATH, min(paths)) if paths else (_FIXED, 0)

    def _item_kind(self, value: Any, d: int, seen: frozenset[str]) -> tuple[int, int]:
        """The kind of an item of a loop over ``value``."""
        from jinja2 import nodes

        if isinstance(value, (nodes.List, nodes.Tuple)):
            return self._join([self._kind(i, d, seen) for i in value.items])
        if id(value) in self.parted:
            # an item of a list or a key of a mapping: a step down (a cycle through a
            # namespace never ends, so it stops at the recursion limit at once)
            k, s = self._kind(value, d, seen)
            return (k, s + 1) if k == _PATH else (k, s)
        return self._kind(value, d, seen)

    def _kind(self, n: Any, depth: int, seen: frozenset[str]) -> tuple[int, int]:
        from jinja2 import nodes

        self._steps += 1
        if depth > 32:
            return _BUILT, 0
        d = depth + 1
        if isinstance(n, nodes.Keyword):
            n = n.value
        if isinstance(n, (nodes.Const, nodes.TemplateData)):
            return _FIXED, 0
        if isinstance(n, nodes.Name):
            loop = self.loop_bound.get(id(n))
            if loop is not None and n.name not in self.params:
                # tpl24fp: read in the body of the loop binding it, a name is that loop's
                # item, whatever else the template binds to it (Kimi-K3, MiniMax-M3: an
                # ``item`` of the conversation elsewhere made the macro's ``item`` built)
                mark = f"{n.name}@{id(loop)}"
                if mark in seen:
                    return _BUILT, 0
                if mark not in self._memo:
                    self._memo[mark] = self._item_kind(loop.iter, d, seen | {mark})
                return self._memo[mark]
            if n.name in self.params:
                return _PATH, 0
            if n.name not in self.binds:
                return _FIXED, 0  # a global the host passes in
            if n.name in seen or self._steps > 200_000:
                return _BUILT, 0
            binds, memo = self.binds[n.name], n.name
            reader = self.macro_of.get(id(n))
            if reader and any(self.bind_scope.get(id(v)) == reader for v, _ in binds):
                # tpl24fp: a name a macro binds itself is its own or the top level's; what
                # another macro binds to that name is local there (Jinja2 scoping: GigaChat's
                # ``props``, bound in several macros)
                binds = [(v, lp) for v, lp in binds if self.bind_scope.get(id(v)) in (0, reader)]
                memo = f"{n.name}%{reader}"
            if memo in self._memo:
                return self._memo[memo]
            out = []
            for value, loop in binds[:16]:
                if loop:
                    out.append(self._item_kind(value, d, seen | {n.name}))
                else:
                    out.append(self._kind(value, d, seen | {n.name}))
            found = self._join(out) if len(binds) <= 16 else (_BUILT, 0)
            self._memo[memo] = found
            return found
        step = 0 if self.nested else 1
        if isinstance(n, nodes.Getattr):
            k, s = self._kind(n.node, d, seen)
            return (k, s + step) if k == _PATH else (k, 0)
        if isinstance(n, nodes.Getitem):
            k, s = self._kind(n.node, d, seen)
            if isinstance(n.arg, nodes.Slice):
                return (_FIXED, 0) if k == _FIXED else (_BUILT, 0)
            key = self._kind(n.arg, d, seen)
            if k == _PATH:
                named = isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str)
                return (_BUILT, 0) if key[0] == _BUILT else (_PATH, s + (step if named else 0))
            if k == _FIXED and key[0] != _FIXED:
                return _PATH, 0  # a table's entry chosen by the argument: not smaller
            return k, 0
        if isinstance(n, (nodes.Filter, nodes.Call)):
            if isinstance(n, nodes.Filter):
                base, name = n.node, n.name
            elif isinstance(n.node, nodes.Getattr):
                base, name = n.node.node, "." + n.node.attr
            else:
                base, name = None, None
            args = [self._kind(a, d, seen) for a in [*n.args, *n.kwargs]]
            if n.dyn_args is not None or n.dyn_kwargs is not None:
                args.append(self._kind(n.dyn_args or n.dyn_kwargs, d, seen))
            k, s = self._kind(base, d, seen) if base is not None else (_FIXED, 0)
            if k == _PATH and not any(a[0] == _BUILT for a in args):
                if name in _PART_FILTERS or name in {"." + m for m in _PART_METHODS}:
                    return _PATH, s + (1 if name in ("items", "dictsort") else step)
                if name in _SAME_FILTERS or name == ".keys":
                    return _PATH, s
            if k != _FIXED or any(a[0] != _FIXED for a in args):
                return _BUILT, 0  # text or a value made from the argument
            return _FIXED, 0
        if isinstance(n, (nodes.List, nodes.Tuple, nodes.Dict)):
            items = [p.value if isinstance(p, nodes.Pair) else p for p in n.items]
            keys = [p.key for p in n.items if isinstance(p, nodes.Pair)]
            if any(self._kind(k, d, seen)[0] != _FIXED for k in keys):
                return _BUILT, 0
            k, s = self._join([self._kind(i, d, seen) for i in items])
            return (k, s - 1) if k == _PATH else (k, 0)
        if isinstance(n, nodes.CondExpr):
            return self._join([self._kind(x, d, seen) for x in (n.expr1, n.expr2) if x is not None])
        if isinstance(n, (nodes.And, nodes.Or)):
            return self._join([self._kind(x, d, seen) for x in (n.left, n.right)])
        kinds = [self._kind(c, d, seen) for c in _children(n)]
        return (_BUILT, 0) if any(k != _FIXED for k, _ in kinds) else (_FIXED, 0)


def _loop_bound(tree: Any) -> dict[int, Any]:
    """Names read in the body (or filter) of the innermost loop that binds them, and that
    body binds in no other way (no ``set``, inner loop or macro of the same name), mapped to
    that loop: there the name is the loop's item in every engine."""
    from jinja2 import nodes

    out: dict[int, Any] = {}
    stack: list[tuple[Any, dict[str, Any]]] = [(tree, {})]
    while stack:
        n, loops = stack.pop()
        if isinstance(n, nodes.Name) and n.ctx == "load" and n.name in loops:
            out[id(n)] = loops[n.name]
        if isinstance(n, nodes.For):
            inner = dict(loops)
            body = [*n.body, *([n.test] if n.test is not None else [])]
            rebound = {
                x.name
                for b in body
                for x in _walk(b)
                if isinstance(x, nodes.Name) and x.ctx in ("store", "param")
            } | {x.name for b in body for x in _walk(b) if isinstance(x, nodes.Macro)}
            for name in _names_in_target(n.target):
                if name in rebound:
                    inner.pop(name, None)
                else:
                    inner[name] = n
            stack.extend((c, loops) for c in (n.target, n.iter, *n.else_))
            stack.extend((c, inner) for c in body)
            continue
        stack.extend((c, loops) for c in _children(n))
    return out


def _non_strings(tree: Any, stored: set[str]) -> set[int]:
    """ids of the uses of a name where a guard shows it is no string: in the branches after
    ``p is string`` (``elif``/``else``), or under ``p is mapping`` / ``p is not string``. A
    loop over it (``for x in p``) takes an item of a list or a key of a mapping, a step down
    the data, not the string again, and walks no text (Gemma 4's ``format_argument``). Names
    the template assigns are never trusted (the guard may test another value)."""
    from jinja2 import nodes

    def when(test: Any, truth: bool) -> set[str]:
        if isinstance(test, nodes.Not):
            return when(test.node, not truth)
        if isinstance(test, (nodes.And, nodes.Or)) and isinstance(test, nodes.And) == truth:
            return when(test.left, truth) | when(test.right, truth)
        if isinstance(test, nodes.Test) and isinstance(test.node, nodes.Name):
            if test.name == "string" and not truth:
                return {test.node.name}
            if truth and test.name in _NOT_STRING_TESTS:
                return {test.node.name}
        return set()

    found: set[int] = set()
    # (node, names guarded, the innermost macro's parameters, names stored in that macro):
    # tpl24fp: a macro's parameter is rebound only inside the macro (Kimi-K3's
    # ``json_sorted(value)`` was distrusted for a ``for key, value in ...`` elsewhere)
    top: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    todo: list[tuple[Any, frozenset[str], tuple[frozenset[str], frozenset[str]]]] = [
        (tree, frozenset(), top)
    ]
    while todo:
        node, safe, scope = todo.pop()
        if isinstance(node, nodes.Macro):
            params = frozenset(a.name for a in node.args)
            own = frozenset(
                x.name for x in _walk(node) if isinstance(x, nodes.Name) and x.ctx == "store"
            )
            todo.extend((c, frozenset(), (params, own)) for c in _children(node))
            continue  # a guard around the definition tests another value
        if isinstance(node, nodes.If):
            known: set[str] = set()
            for branch in [node, *node.elif_]:
                inner = safe | known | when(branch.test, True)
                todo.extend((c, frozenset(inner), scope) for c in branch.body)
                known |= when(branch.test, False)
            todo.extend((c, frozenset(safe | known), scope) for c in node.else_)
            continue
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in safe:
            params, own = scope
            if node.name not in (own if node.name in params else stored):
                found.add(id(node))
        todo.extend((c, safe, scope) for c in _children(node))
    return found


_NOT_STRING_TESTS = frozenset({"mapping", "number", "integer", "float", "boolean", "none"})


def _shrinks(node: Any) -> bool:
    """An argument computed by arithmetic or slicing (a recursion counter or a shrinking
    sequence), as opposed to a part of the data."""
    from jinja2 import nodes

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, nodes.Keyword):
            n = n.value
        if isinstance(n, (nodes.BinExpr, nodes.Neg, nodes.Slice)) and not isinstance(
            n, (nodes.And, nodes.Or)
        ):
            return True  # ``spec.required or []`` picks a part of the data; its operands are read
        stack.extend(_children(n))
    return False


_SIZE_FILTERS = frozenset(
    {"string", "list", "trim", "upper", "lower", "title", "capitalize", "safe",
     "reverse", "sort", "unique"}
)  # fmt: skip
# the most one pass of an escaping filter multiplies a text's length by
_AMPLIFY = {"tojson": 6, "pprint": 10, "urlencode": 9, "e": 6, "escape": 6, "forceescape": 6}


def _mentions(value: Any, key: str) -> bool:
    """``value`` reads the name or namespace attribute ``key`` (``a`` or ``ns.a``)."""
    from jinja2 import nodes

    name, _, attr = key.partition(".")
    for n in _walk(value):
        if not attr and isinstance(n, nodes.Name) and n.name == name:
            return True
        if (
            attr
            and isinstance(n, nodes.Getattr)
            and n.attr == attr
            and isinstance(n.node, nodes.Name)
            and n.node.name == name
        ):
            return True
    return False


# collections a real conversation keeps short (tool calls, schema parts): a walk down one
# is no text walk; any other part may be a message's text (2,048 characters a message)
_SHORT_PARTS = frozenset(
    {"tool_calls", "properties", "parameters", "items", "enum", "required", "oneOf", "anyOf",
     "allOf", "prefixItems", "functions", "tools", "messages", "images", "videos", "documents",
     "function", "tool_responses", "attachments", "citations"}
)  # fmt: skip


def _text_walk(it: Any, built: Any = None) -> bool:
    """A loop over ``it`` may walk a message's characters: not a mapping's keys or pairs
    (``|items``, ``.items()``) and not a part a real conversation keeps short. ``built(v)``:
    ``v`` is a value the template builds (``{'properties': m.content}``), whose parts are
    whatever it put there, short names or not."""
    from jinja2 import nodes

    def short(base: Any, key: object) -> bool:
        return key in _SHORT_PARTS and not (built is not None and built(base))

    for _ in range(64):
        if isinstance(it, nodes.Filter) and it.node is not None:
            if it.name in ("items", "dictsort"):
                return False
            if it.name in ("default", "d") and it.args:
                return _text_walk(it.node, built) or _text_walk(it.args[0], built)
            it = it.node
        elif isinstance(it, nodes.Call) and isinstance(it.node, nodes.Getattr):
            if it.node.attr in ("items", "values", "keys"):
                return False
            if it.node.attr == "get" and it.args and isinstance(it.args[0], nodes.Const):
                return not short(it.node.node, it.args[0].value)  # m.get('tool_calls')
            it = it.node.node  # s.split(' '), s.strip(): the same text
        elif isinstance(it, (nodes.Or, nodes.And)):
            return _text_walk(it.left, built) or _text_walk(it.right, built)
        elif isinstance(it, nodes.CondExpr):
            return _text_walk(it.expr1, built) or (
                it.expr2 is not None and _text_walk(it.expr2, built)
            )
        elif isinstance(it, nodes.Getattr):
            return not short(it.node, it.attr)
        elif isinstance(it, nodes.Getitem):
            if isinstance(it.arg, nodes.Slice):
                it = it.node
            else:
                key = it.arg.value if isinstance(it.arg, nodes.Const) else None
                return not short(it.node, key)
        elif isinstance(it, (nodes.List, nodes.Tuple, nodes.Dict)):
            return False  # a literal's own items
        else:
            return True
    return True


def _big(n: int) -> str:
    return f"{n:,}" if n < 10**15 else f"~10^{len(str(n)) - 1}"


def _namespace_kwargs(value: Any) -> list[Any]:
    """The slots ``namespace(k=v, ...)`` starts with, so ``ns.k`` can be followed like a name."""
    from jinja2 import nodes

    if (
        isinstance(value, nodes.Call)
        and isinstance(value.node, nodes.Name)
        and value.node.name == "namespace"
    ):
        return list(value.kwargs)
    return []


#: ``_set_in`` per loop body (the body itself kept, so that its id names it while cached): it is
#: asked once per ``set`` of the body, and a walk each time made 2,000 chained sets 140 s.
_SET_IN: dict[int, tuple[list[Any], frozenset[str], frozenset[str]]] = {}


def _set_in(body: list[Any]) -> tuple[frozenset[str], frozenset[str]]:
    """(names and namespace slots the loop ``body`` sets, namespaces it writes)."""
    from jinja2 import nodes

    hit = _SET_IN.get(id(body))
    if hit is not None and hit[0] is body:
        return hit[1], hit[2]
    found: set[str] = set()
    for n in _walk_body(body):
        if isinstance(n, (nodes.Assign, nodes.AssignBlock)):
            key = ref_key(n.target)
            if key is not None:
                found.update((key, key.partition(".")[0]))
    set_here = frozenset(found)
    spaces = frozenset(k.partition(".")[0] for k in set_here if "." in k)
    if len(_SET_IN) >= 64:
        _SET_IN.clear()
    _SET_IN[id(body)] = (body, set_here, spaces)
    return set_here, spaces


def _fresh_value(
    value: Any, body: list[Any], macros: dict[str, Any], known: frozenset[str] = frozenset()
) -> bool:
    """``value`` reads nothing the loop body sets (names, namespace slots), directly or in a
    macro it calls, but ``known`` names (set afresh earlier in this pass): a pass gives it
    afresh, from the loop's item or constants."""
    from jinja2 import nodes

    set_here, spaces = _set_in(body)
    todo, seen = [(value, False)], set[str]()
    while todo:
        root, in_macro = todo.pop()
        for n in _walk(root):
            key = ref_key(n)
            if key is None:
                pass
            elif in_macro:  # a macro sees the loop's namespaces, not its set names
                if key.partition(".")[0] in spaces:
                    return False
            elif key in known:
                pass  # this pass's own value (``is_system = m.role == 'system'`` above)
            elif key in set_here or key.partition(".")[0] in set_here:
                return False
            if isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name):
                name = n.node.name
                if name in macros and name not in seen:
                    if len(seen) >= 16:
                        return False
                    seen.add(name)
                    todo.append((macros[name], True))
    return True


def _reset_first(
    body: list[Any], macros: dict[str, Any], before: dict[int, frozenset[str]] | None = None
) -> set[int]:
    """Assignments of a loop body whose name (or namespace slot) the same pass has already
    set afresh, from a value not reading it, in a statement list around them (Qwen 3.6:
    ``set v = args[k]`` then ``set v = v|tojson``; ``set r = ''`` then, in a branch,
    ``set r = r|trim``): they rewrite this pass's value, and nothing carries over."""
    from jinja2 import nodes

    covered: set[int] = set()

    def lists(n: Any) -> list[list[Any]]:
        if isinstance(n, nodes.If):
            return [n.body, *([e.body for e in n.elif_]), n.else_]
        if isinstance(
            n, (nodes.With, nodes.FilterBlock, nodes.Scope, nodes.ScopedEvalContextModifier)
        ):
            return [n.body]
        return []

    todo: list[tuple[list[Any], frozenset[str]]] = [(body, frozenset())]
    while todo:
        statements, inherited = todo.pop()
        reset = set(inherited)
        for st in statements:
            if isinstance(st, nodes.Assign):
                if before is not None:  # names this pass has set afresh before ``st``
                    before[id(st)] = frozenset(reset)
                key = ref_key(st.target)
                if key is not None:
                    if key in reset:
                        covered.add(id(st))
                    elif _fresh_value(st.node, body, macros, frozenset(reset)):
                        reset.add(key)
                continue
            todo.extend((inner, frozenset(reset)) for inner in lists(st))
            reset |= _if_resets(st, body, macros, frozenset(reset))
    return covered


def _top_reset(body: list[Any], macros: dict[str, Any]) -> set[str]:
    """Names every pass sets afresh first: the first statement of the loop body touching one
    is a ``set`` of it from a value not reading it, or an ``if`` with an ``else`` each of
    whose branches does so first (MiniCPM5: ``if m.content is string`` / ``set content =
    m.content`` / ``else`` / ``set content = ''``)."""
    return _first_resets(body, body, macros, frozenset())


def _first_resets(
    statements: list[Any], body: list[Any], macros: dict[str, Any], known: frozenset[str]
) -> set[str]:
    """Names ``statements`` set afresh (a value reading nothing the loop ``body`` sets but
    ``known`` names) before anything in them touches the name."""
    from jinja2 import nodes

    fresh: set[str] = set()
    seen: set[str] = set()
    for statement in statements:
        if isinstance(statement, nodes.Assign):
            key = ref_key(statement.target)
            if (
                key is not None
                and key not in seen
                and _fresh_value(statement.node, body, macros, known | fresh)
            ):
                fresh.add(key)
        elif isinstance(statement, nodes.If):
            fresh |= _if_resets(statement, body, macros, known | fresh) - seen
        for n in _walk(statement):
            key = ref_key(n)
            if key is not None:
                seen.update((key, key.partition(".")[0]))
    return fresh


def _if_resets(
    st: Any, body: list[Any], macros: dict[str, Any], known: frozenset[str]
) -> set[str]:
    """Names an ``if`` with an ``else`` sets afresh first in every branch (and its tests do
    not read): whichever branch runs, the name holds this pass's value after it."""
    from jinja2 import nodes

    if not isinstance(st, nodes.If) or not st.else_:
        return set()
    branches = [st.body, *(e.body for e in st.elif_), st.else_]
    tests = [st.test, *(e.test for e in st.elif_)]
    common: set[str] | None = None
    for branch in branches:
        got = _first_resets(branch, body, macros, known)
        common = got if common is None else common & got
    touched = {
        part
        for t in tests
        for n in _walk(t)
        if (key := ref_key(n)) is not None
        for part in (key, key.partition(".")[0])
    }
    return (common or set()) - touched


def _reaching_sets(tree: Any) -> dict[int, list[Any]]:
    """Reads of a name that an earlier ``set`` of it in the same statement list (or an
    enclosing one, inside no loop, macro or call block between) always precedes, mapped to
    the values that can reach them: that ``set``'s and those of later ``set``s in ``if``
    branches between. Straight-line order, the same in every engine (a name carried between
    loop passes is never followed: a loop's body starts afresh)."""
    from jinja2 import nodes

    out: dict[int, list[Any]] = {}

    def record(expr: Any, env: dict[str, list[Any]]) -> None:
        for n in _walk(expr):
            if isinstance(n, nodes.Name) and n.ctx == "load" and n.name in env:
                out[id(n)] = env[n.name]

    def stored(body: list[Any]) -> dict[str, list[Any]]:
        got: dict[str, list[Any]] = {}
        for b in body:
            for n in _walk(b):
                if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name):
                    got.setdefault(n.target.name, []).append(n.node)
                elif isinstance(n, (nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With)):
                    for x in _walk(n.target if not isinstance(n, nodes.With) else n):
                        if isinstance(x, nodes.Name) and x.ctx in ("store", "param"):
                            got.setdefault(x.name, []).append(None)
                elif isinstance(n, nodes.Macro):
                    got.setdefault(n.name, []).append(None)
        return got

    def merge(env: dict[str, list[Any]], body: list[Any]) -> None:
        for name, values in stored(body).items():
            if name in env:
                if None in values:
                    del env[name]  # stored another way: not followed
                else:
                    env[name] = [*env[name], *values]

    def run(body: list[Any], env: dict[str, list[Any]]) -> None:
        for st in body:
            if isinstance(st, nodes.Assign):
                record(st.node, env)
                merge(env, [st])
                if isinstance(st.target, nodes.Name):
                    env[st.target.name] = [st.node]
            elif isinstance(st, nodes.If):
                record(st.test, env)
                run(st.body, dict(env))
                for e in st.elif_:
                    record(e.test, env)
                    run(e.body, dict(env))
                run(st.else_, dict(env))
                merge(env, [*st.body, *st.elif_, *st.else_])
            elif isinstance(st, (nodes.AssignBlock, nodes.FilterBlock)):
                if isinstance(st, nodes.AssignBlock) and st.filter is not None:
                    record(st.filter, env)
                elif isinstance(st, nodes.FilterBlock):
                    record(st.filter, env)
                run(st.body, dict(env))
                merge(env, [st])
            elif isinstance(st, nodes.For):
                record(st.iter, env)
                run(st.body, {})
                run(st.else_, {})
                if st.test is not None:
                    run([], {})
                merge(env, [st])
            elif isinstance(st, (nodes.Macro, nodes.CallBlock)):
                if isinstance(st, nodes.CallBlock):
                    record(st.call, env)
                run(st.body, {})
                merge(env, [st])
            elif isinstance(st, nodes.Stmt) and not isinstance(st, (nodes.Output, nodes.ExprStmt)):
                for c in _children(st):  # With, Scope, blocks...: not followed
                    if isinstance(c, nodes.Stmt):
                        run([c], {})
                    else:
                        record(c, {})
                merge(env, [st])
            else:
                record(st, env)
                merge(env, [st])

    run(tree.body, {})
    return out


def _data_roots(value: Any, macros: dict[str, Any]) -> list[Any]:
    """Where ``value``'s result may come from: names and namespace slots (``ns.a``) in data
    positions, or any other node that makes a value of its own (a call of a macro's result,
    ``caller()``, a filter without a subject). Constants add nothing; tests, comparisons and
    negations give booleans; a subscript's index and a method's arguments pick from or act
    on the subject, the subject is the root; a conditional gives either branch, ``and``/
    ``or`` either side, arithmetic and literals every part."""
    from jinja2 import nodes

    out: list[Any] = []
    opened: set[str] = set()
    stack = [value]
    while stack and len(out) < 256:
        n = stack.pop()
        if n is None or isinstance(n, (nodes.Const, nodes.Test, nodes.Compare, nodes.Not)):
            continue
        if isinstance(n, nodes.Name):
            out.append(n)
        elif isinstance(n, nodes.Getattr):
            if isinstance(n.node, nodes.Name) and n.node.name not in ("loop",):
                out.append(n)  # a namespace slot, or an attribute of a name: decided there
            else:
                stack.append(n.node)
        elif isinstance(n, nodes.Getitem):
            if isinstance(n.arg, nodes.Slice):
                stack.append(n.node)
            else:
                out.append(n)  # one item: the reader decides by its index or its subject
        elif isinstance(n, nodes.Filter):
            if n.node is None:
                out.append(n)
            else:
                stack.append(n.node)
                if n.name in ("default", "d"):
                    stack.extend(n.args)
        elif isinstance(n, nodes.CondExpr):
            stack.extend((n.expr1, n.expr2))
        elif isinstance(n, nodes.Call):
            if isinstance(n.node, nodes.Getattr):
                stack.append(n.node.node)  # a method of the subject
            elif isinstance(n.node, nodes.Name) and n.node.name in ("range", "namespace", "dict"):
                stack.extend([*n.args, *(k.value for k in n.kwargs), n.dyn_args, n.dyn_kwargs])
            elif isinstance(n.node, nodes.Name) and n.node.name in macros:
                # a macro's result: what its arguments hand it and what its body prints
                # from other names (its parameters are the arguments)
                stack.extend([*n.args, *(k.value for k in n.kwargs), n.dyn_args, n.dyn_kwargs])
                if n.node.name not in opened:
                    opened.add(n.node.name)
                    macro = macros[n.node.name]
                    params = {a.name for a in macro.args}
                    for o in _walk(macro):
                        if isinstance(o, nodes.Output):
                            stack.extend(
                                x
                                for x in o.nodes
                                if not (isinstance(x, nodes.Name) and x.name in params)
                            )
            else:
                out.append(n)
        elif isinstance(n, (nodes.Slice, nodes.Keyword, nodes.Pair)):
            stack.extend(_children(n))
        elif isinstance(n, (nodes.List, nodes.Tuple, nodes.Dict, nodes.BinExpr, nodes.UnaryExpr,
                            nodes.Concat, nodes.And, nodes.Or)):
            stack.extend(_children(n))
        else:
            out.append(n)
    if stack:
        out.append(value)  # too many parts: opaque
    return out


def _value_walk(root: Any) -> Iterator[Any]:
    """``_walk`` without the tests of conditional expressions that call nothing: a test's
    value never reaches the result (``t = t if t is defined else false`` reads ``t`` once,
    Apriel 1.6); a test calling something is walked (a macro or method may write a slot)."""
    return _walk(root, _value_children)


def _value_children(n: Any) -> list[Any]:
    from jinja2 import nodes

    if isinstance(n, nodes.CondExpr) and not any(
        isinstance(x, nodes.Call) for x in _walk(n.test)
    ):
        return [c for c in (n.expr1, n.expr2) if c is not None]
    return list(_children(n))


def _macro_slot_reads(macro: Any, slot: str, holders: frozenset[str]) -> int:
    """Reads of slot ``slot`` of a holder in ``macro``, but those after the macro rebinds the
    holder to a namespace of its own earlier in an enclosing statement list (Reka-Edge:
    ``render_content`` sets ``ns = namespace(out='')`` and appends to ``ns.out``: the
    caller's ``ns.out`` is not read). A read before the rebinding sees the caller's."""
    from jinja2 import nodes

    count = 0

    def own_space(value: Any) -> bool:
        return (
            isinstance(value, nodes.Call)
            and isinstance(value.node, nodes.Name)
            and value.node.name == "namespace"
            and not any(isinstance(x, nodes.Name) and x.name in holders for x in _walk(value))
        )

    def statements(body: list[Any], shadowed: frozenset[str]) -> None:
        for st in body:
            if (
                isinstance(st, nodes.Assign)
                and isinstance(st.target, nodes.Name)
                and own_space(st.node)
            ):
                shadowed = shadowed | {st.target.name}
                continue
            node(st, shadowed)

    def node(n: Any, shadowed: frozenset[str]) -> None:
        nonlocal count
        for field in n.fields:
            value = getattr(n, field, None)
            if isinstance(value, list) and value and all(isinstance(x, nodes.Stmt) for x in value):
                statements(value, shadowed)
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, nodes.Stmt):
                    node(child, shadowed)
                elif isinstance(child, nodes.Node):
                    count += sum(
                        1 for x in _walk(child) if _slot_read(x, slot, holders - shadowed)
                    )

    statements(list(macro.body), frozenset())
    return count


def _namespace_holders(tree: Any) -> frozenset[str]:
    """Names that hold a namespace or a container of one: ``ns = namespace(...)``, an alias
    ``ns2 = ns``, ``box = [ns]`` (rt20b: a slot read through one reads the loop's value)."""
    from jinja2 import nodes

    sets = [
        (n.target.name, n.node)
        for n in _walk(tree)
        if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name)
    ]
    held: set[str] = set()
    for _ in range(4):
        for name, value in sets:
            if name not in held and any(
                (
                    isinstance(r, nodes.Call)
                    and isinstance(r.node, nodes.Name)
                    and r.node.name == "namespace"
                )
                or (isinstance(r, nodes.Name) and r.name in held)
                for r in _walk(value)
            ):
                held.add(name)
    return frozenset(held)


def _slot_read(r: Any, attr: str, holders: frozenset[str]) -> bool:
    """``r`` may read slot ``attr`` of a namespace some name holds: ``ns2.s``, ``ns['s']``,
    ``box[0].s``, ``ns|attr('s')``, ``[ns]|map(attribute='s')``."""
    from jinja2 import nodes

    if isinstance(r, nodes.Getattr):
        hit = r.attr == attr
    elif isinstance(r, nodes.Getitem):
        hit = isinstance(r.arg, nodes.Const) and r.arg.value == attr
    elif isinstance(r, nodes.Filter) and r.name == "attr":
        hit = bool(r.args) and isinstance(r.args[0], nodes.Const) and r.args[0].value == attr
    elif isinstance(r, nodes.Filter) and r.name == "map":
        hit = any(
            k.key == "attribute" and isinstance(k.value, nodes.Const) and k.value.value == attr
            for k in r.kwargs
        )
    else:
        return False
    if not hit:
        return False
    return any(isinstance(x, nodes.Name) and x.name in holders for x in _walk(r.node))


def _carried_growth(
    loop: Any,
    macros: dict[str, Any],
    holders: frozenset[str] = frozenset(),
    slots_only: bool = False,
) -> bool:
    """A value carried from pass to pass of ``loop`` whose new value reads carried values
    twice or more, one of them itself: through names set in the body (``t = s; s = t ~ s``),
    a sibling (``a = a ~ b; b = a ~ b``), a set block (``{% set ns.s %}{{ ns.s }}{{ ns.s }}``)
    or a macro that prints its parameter twice (``s = f(s)``). Each pass at least doubles it."""
    from jinja2 import nodes

    values: dict[str, list[Any]] = {}
    before: dict[int, frozenset[str]] = {}
    rewritten = _reset_first(loop.body, macros, before)
    skip: set[int] = set()  # values of assignments rewriting this pass's fresh value
    scoped: set[str] = set()  # names set only inside nested loops (they end with them)
    reset_at: dict[int, frozenset[str]] = {}  # per value: names set afresh earlier this pass
    for n in _walk_body(loop.body):
        if isinstance(n, nodes.Assign):
            key = ref_key(n.target)
            reset_at[id(n.node)] = before.get(id(n), frozenset())
            if key is not None:
                values.setdefault(key, []).append(n.node)
                if id(n) in rewritten:
                    skip.add(id(n.node))
        elif isinstance(n, nodes.AssignBlock):
            key = ref_key(n.target)
            if key is not None:
                values.setdefault(key, []).append(n)
        elif isinstance(n, nodes.For):  # rt20b: an inner loop's item is read from its iterable
            for name in _names_in_target(n.target):
                values.setdefault(name, []).append(n.iter)
            # fix20: a namespace slot set inside the inner loop outlives it, carried from pass
            # to pass of this one (for q in [ns.s]: set ns.s = q ~ q, its items read ns.s);
            # names set there are read through, but only a slot is judged as carried
            for inner in _walk_nested(n):
                if isinstance(inner, nodes.For):
                    for name in _names_in_target(inner.target):
                        values.setdefault(name, []).append(inner.iter)
                        scoped.add(name)
                elif isinstance(inner, (nodes.Assign, nodes.AssignBlock)):
                    key = ref_key(inner.target)
                    if key is not None:
                        value = inner.node if isinstance(inner, nodes.Assign) else inner
                        values.setdefault(key, []).append(value)
                        if "." not in key:
                            scoped.add(key)
    fresh = set(_names_in_target(loop.target))
    top_reset = _top_reset(loop.body, macros)
    # session 20: "set later in the pass" is the body's statement order, not line numbers (a
    # template on one line was read as if every value could come first), and never between
    # two statements of one inner loop (its next pass runs the later one first)
    pos: dict[int, tuple[int, frozenset[int]]] = {}
    order: list[tuple[Any, frozenset[int]]] = [(c, frozenset()) for c in reversed(loop.body)]
    while order:
        n, around = order.pop()
        pos[id(n)] = (len(pos), around)
        if isinstance(n, nodes.Macro):
            continue
        inside = around | {id(n)} if isinstance(n, nodes.For) else around
        for c in reversed(list(_children(n))):
            body = isinstance(n, nodes.For) and any(c is x for x in [*n.body, *n.else_])
            order.append((c, inside if body else around))

    def later(v: Any, at: Any) -> bool:
        if id(v) not in pos or id(at) not in pos:
            return False
        (i, loops_v), (j, loops_at) = pos[id(v)], pos[id(at)]
        return i > j and not (loops_v & loops_at)

    # review25: a name with many values (repeated if/else blocks each setting c from c) had
    # every value walked again for every read of the name: > 120 s for 100 blocks of a 3 KB
    # template. Both steps are kept per argument; nothing else they read changes in this loop.
    memo: dict[tuple[int, int, str, int, frozenset[str]], list[str]] = {}
    best_of: dict[tuple[str, int, str, int, frozenset[str]], list[str]] = {}

    def reads(
        value: Any, depth: int, own: str, at: Any, early: frozenset[str] = frozenset()
    ) -> list[str]:
        key = (id(value), depth, own, id(at), early)
        if key not in memo:
            memo[key] = _reads(value, depth, own, at, early)
        return memo[key]

    def largest(name: str, depth: int, own: str, at: Any, early: frozenset[str]) -> list[str]:
        """A name or sibling set in the body: the carried reads of its largest value (t = s
        aliases s; ns.last = m.content reads nothing carried)."""
        key = (name, depth, own, id(at), early)
        if key not in best_of:
            best: list[str] = []
            for v in values[name]:
                if (name in top_reset or name in early) and later(v, at):
                    continue  # set later in a pass that starts it afresh
                got = reads(v, depth, own, at, early)
                best = got if len(got) > len(best) else best
            best_of[key] = best
        return best_of[key]

    def _reads(
        value: Any, depth: int, own: str, at: Any, early: frozenset[str] = frozenset()
    ) -> list[str]:
        out: list[str] = []
        slot = own.partition(".")[2]
        for r in _value_walk(value):
            if slot and ref_key(r) != own and _slot_read(r, slot, holders):
                out.append(own)  # rt20b: ns2.s (ns2 = ns), ns['s'], [ns][0].s, ns|attr('s')
            if isinstance(r, (nodes.Name, nodes.Getattr)) and getattr(r, "ctx", "load") == "load":
                key = ref_key(r)
                if key in values and key not in fresh:
                    if key == own:
                        out.append(key)
                    elif depth < 3:
                        out.extend(largest(key, depth + 1, own, at, early))
            if isinstance(r, nodes.Mul):  # t = s; s = t * 2: twice what it reads
                for side, count in ((r.left, r.right), (r.right, r.left)):
                    if not (isinstance(count, nodes.Const) and count.value in (0, 1)):
                        out.extend(reads(side, depth + 1, own, at, early))
            elif _rewrites(r, lambda x: ref_key(x) in values and ref_key(x) not in fresh):
                # t = s; s = t|replace('a', 'aa') or t|tojson: longer on every pass
                out.extend(
                    x for c in _children(r) for x in reads(c, depth + 1, own, at, early)
                )
            if (
                isinstance(r, nodes.Call)
                and isinstance(r.node, nodes.Name)
                and r.node.name in macros
            ):
                macro = macros[r.node.name]
                if slot:  # rt20b: a macro printing the slot (it sees the loop's namespaces,
                    # and a parameter given one: g(ns) printing x.s)
                    inner = holders | {
                        param.name
                        for param, arg in zip(macro.args, r.args, strict=False)
                        if any(isinstance(y, nodes.Name) and y.name in holders for y in _walk(arg))
                    }
                    out.extend([own] * _macro_slot_reads(macro, slot, inner))
                for param, arg in zip(macro.args, r.args, strict=False):
                    times = (
                        sum(
                            1
                            for x in _walk(macro)
                            if isinstance(x, nodes.Name) and x.name == param.name
                        )
                        - 1
                    )  # the parameter's own declaration
                    out.extend(reads(arg, depth + 1, own, at, early) * max(0, times - 1))
        return out

    judged = {k for k in values if "." in k} | {
        ref_key(n.target)
        for n in _walk_body(loop.body)
        if isinstance(n, (nodes.Assign, nodes.AssignBlock))
    }
    for key, vals in values.items():
        if "." not in key and (key in fresh or slots_only):
            continue
        if key in scoped and key not in judged:
            continue
        for v in vals:
            if id(v) in skip:
                continue
            got = reads(v, 0, key, v, reset_at.get(id(v), frozenset()))
            if len(got) >= 2 and key in got:
                return True
    return False


def _recurses_into_items(loop: Any) -> bool:
    """Every ``loop(...)`` of a recursive for walks a part of the current item
    (``loop(item.children)``, ``loop(item['items']|default([]))``): the depth is the data's.
    ``loop(messages)`` or ``loop([x, x])`` under a depth guard is N**depth passes (2**40 hung
    transformers' sandbox)."""
    from jinja2 import nodes

    bound = set(_names_in_target(loop.target))
    for n in _walk_body(loop.body):
        if isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name) and n.node.name == "loop":
            if len(n.args) != 1 or n.kwargs or n.dyn_args or n.dyn_kwargs:
                return False
            arg = n.args[0]
            while True:
                if isinstance(arg, nodes.Filter) and arg.name in _PATH_FILTERS and arg.node:
                    arg = arg.node
                elif (
                    isinstance(arg, nodes.Call)
                    and isinstance(arg.node, nodes.Getattr)
                    and (arg.node.attr in ("items", "values") and not arg.args)
                ):
                    arg = arg.node.node
                elif isinstance(arg, (nodes.Getattr, nodes.Getitem)):
                    arg = arg.node
                else:
                    break
            if not (isinstance(arg, nodes.Name) and arg.name in bound):
                return False
            if arg is n.args[0]:
                return False  # loop(item): the same item again
    return True


_PATH_FILTERS = frozenset({"default", "d", "list", "dictsort", "items", "sort", "reverse"})


def _walk_nested(loop: Any) -> Iterator[Any]:
    """Statements inside a nested loop's body and else branch, deeper loops included (macros
    excluded): the slots they set and the items they bind reach the loop around them."""
    from jinja2 import nodes

    stack = [*loop.body, *loop.else_]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, nodes.Macro):
            continue
        if isinstance(n, nodes.For):
            stack.extend([*n.body, *n.else_])
            continue
        stack.extend(_children(n))


def _walk_body(body: list[Any]) -> Iterator[Any]:
    """Statements of a loop body, nested loops' bodies excluded (they are judged as loops)."""
    from jinja2 import nodes

    stack = list(body)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (nodes.For, nodes.Macro)):
            continue
        stack.extend(_children(n))


def _stable(node: Any) -> bool:
    """``node`` reads the same value wherever an expression spells it twice: a constant, a
    name, or constant lookups on one (not a call: ``lipsum()``, a cycler's ``next()``)."""
    from jinja2 import nodes

    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
            return False
        node = node.node
    return isinstance(node, (nodes.Const, nodes.Name))


def _split_parts(node: Any) -> tuple[Any, Any] | None:
    """(text, separator node or None) when ``node`` is ``text.split(sep)`` or ``rsplit``,
    maybe sliced (``[1:]``) or through ``|list``/``|reverse``: parts of ``text``; else None."""
    from jinja2 import nodes

    while True:
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Slice):
            node = node.node
        elif isinstance(node, nodes.Filter) and node.name in ("list", "reverse") and node.node:
            if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
                return None
            node = node.node
        else:
            break
    if not (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr in ("split", "rsplit")
        and node.dyn_args is None
        and node.dyn_kwargs is None
    ):
        return None
    named = {k.key: k.value for k in node.kwargs}
    if set(named) - {"sep", "maxsplit"} or len(node.args) > 2:
        return None
    sep = node.args[0] if node.args else named.get("sep")
    if isinstance(sep, nodes.Const) and sep.value is None:
        sep = None
    return node.node.node, sep


def _join_method(node: Any) -> bool:
    from jinja2 import nodes

    return (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr == "join"
        and len(node.args) == 1
    )


def _rewrites(n: Any, same: Callable[[Any], bool]) -> bool:
    """``n`` rewrites the value ``same`` recognises into a longer one: replace with a new
    text not shorter than the old, wordwrap, an escaping filter, padding, or a format
    whose text is not fixed or names one argument twice (``'{0}{0}'.format(s)``)."""
    import string

    from jinja2 import nodes

    if isinstance(n, nodes.Filter) and n.node is not None and any(map(same, _walk(n.node))):
        if n.name == "replace":
            args = _by_position(n, _STRING_OP_PARAMS["replace"])
            old, new = (
                a.value if isinstance(a, nodes.Const) else None for a in [*args, None, None][:2]
            )
            return not (isinstance(old, str) and isinstance(new, str) and len(new) <= len(old))
        return n.name in {"wordwrap", "center", "indent", *_AMPLIFY}
    if isinstance(n, nodes.Mod) and any(map(same, _walk(n.right))):
        text = n.left.value if isinstance(n.left, nodes.Const) else None
        if not isinstance(text, str):
            return True
        names = re.findall(r"%\((\w*)\)", text)  # '%(a)s%(a)s' % {'a': s}
        return len(names) != len(set(names))
    if not (isinstance(n, nodes.Call) and isinstance(n.node, nodes.Getattr)):
        return False
    receiver = n.node.node
    if n.node.attr == "replace" and any(map(same, _walk(receiver))):
        given = [a.value if isinstance(a, nodes.Const) else None for a in n.args[:2]]
        old, new = [*given, None, None][:2]
        return not (isinstance(old, str) and isinstance(new, str) and len(new) <= len(old))
    if n.node.attr in PADDING and any(map(same, _walk(receiver))):
        return True
    if n.node.attr in ("format", "format_map"):
        passed = [*n.args, *(k.value for k in n.kwargs)]
        if not any(same(x) for a in passed for x in _walk(a)):
            return False
        if not isinstance(receiver, nodes.Const) or not isinstance(receiver.value, str):
            return True
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(receiver.value) if f is not None]
        except ValueError:
            return True
        auto = iter(range(len(fields)))
        used = [re.split(r"[.\[]", f)[0] or str(next(auto)) for f in fields]
        return len(used) != len(set(used))
    return False


def _grows(target: Any, value: Any) -> bool:
    """``value`` uses what ``target`` names twice, or repeats it (``s ~ s``, ``s * 2``)."""
    from jinja2 import nodes

    def same(n: Any) -> bool:
        if isinstance(target, nodes.Name):
            return isinstance(n, nodes.Name) and n.name == target.name
        if isinstance(target, nodes.NSRef):
            return (
                isinstance(n, nodes.Getattr)
                and n.attr == target.attr
                and isinstance(n.node, nodes.Name)
                and n.node.name == target.name
            )
        return False

    uses = 0
    for n in _value_walk(value):
        if same(n):
            uses += 1
        elif _rewrites(n, same):
            return True  # s|replace('a', 'aa'), '{0}{0}'.format(s): longer on every pass
        elif isinstance(n, nodes.Mul) and (
            any(map(same, _walk(n.left))) or any(map(same, _walk(n.right)))
        ):
            count = n.right if any(map(same, _walk(n.left))) else n.left
            if not (isinstance(count, nodes.Const) and count.value in (0, 1)):
                return True  # s * 2, [s] * 2, (s ~ '!') * two (a name is not known to stay 1)
        elif isinstance(n, nodes.Pow) and same(n.left):
            if not (isinstance(n.right, nodes.Const) and n.right.value in (0, 1)):
                return True  # n ** 2 squares on every pass
    return uses > 1
