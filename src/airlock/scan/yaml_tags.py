"""YAML tags that make a loader import and call Python (AIR-CFG-022).

SpeechBrain's ``Pretrained.from_hparams`` (and every recipe) reads ``hyperparams.yaml`` with
HyperPyYAML's ``load_hyperpyyaml``, whose tags run at load: ``!apply:NAME [args]`` and
``!applyref:NAME`` call any importable function (``!apply:os.system ["..."]``), ``!new:NAME``
instantiates any class (``subprocess.Popen``), ``!name:NAME``/``!module:NAME`` import, and
``!include:PATH`` reads another file. Its loader is ruamel's unsafe ``Loader``, so PyYAML's
``!!python/object/apply:`` (also long form ``!<tag:yaml.org,2002:python/...>``) runs too, as it
does under ``yaml.unsafe_load`` / ``yaml.load(Loader=yaml.Loader)``; ``yaml.full_load``
(Lightning's ``hparams_file``) resolves ``!!python/name:``.

Tags are resolved as a YAML parser resolves them, without a YAML library: shorthand handles
through the file's ``%TAG`` directives (every definition of a handle is tried: a directive can
make ``!`` or ``!!`` mean ``tag:yaml.org,2002:python/object/``), verbatim ``!<...>`` tags, and
``%XX`` escapes decoded. A called or imported name is judged like a Hydra ``_target_``
(:func:`airlock.scan.hydra_rules.judge`): exact inert torch classes pass; SpeechBrain's own
names pass for ``!new:``/``!name:``/``!module:`` (the library the user loads with; its
shell/fetch/loader helpers excepted), are medium for ``!apply:``; anything else is high, critical
for the standard library, processes, files, imports and deserialisers. A tag in a comment or a
block scalar is judged too (conservative). HyperPyYAML resolves names with ``pydoc.locate``,
which walks attributes through modules, so a name is judged at every component: one naming the
standard library (``torch.cuda._memory_viz.subprocess.Popen``) is critical, a private or another
library's component high, and a torch name passes only as an attribute of a pinned torch module."""

from __future__ import annotations

import re
import sys
from urllib.parse import unquote

from airlock.report import Finding, Severity
from airlock.scan import hpy_reread, hydra_rules, yaml_scalar
from airlock.scan.format_rules import Rule

HPY_REF = "https://github.com/speechbrain/HyperPyYAML"

TAG = Rule(
    "AIR-CFG-022",
    Severity.HIGH,
    "YAML tag imports or calls Python at load (HyperPyYAML, !!python)",
    "SpeechBrain's load_hyperpyyaml calls every !apply:/!applyref: function, instantiates every"
    " !new: class and imports !name:/!module: names of hyperparams.yaml while it loads, and its"
    " unsafe loader (like yaml.unsafe_load) runs !!python/object/apply: tags: only inert torch"
    " classes and SpeechBrain's own names are allowed; any other name is code the file chose.",
    HPY_REF,
)

PYTHON_TAG = "tag:yaml.org,2002:python/"
# PyYAML's FullLoader data tags: build plain values, import nothing
_PYTHON_DATA = frozenset({
    "none", "bool", "str", "unicode", "bytes", "int", "long", "float", "complex", "list",
    "tuple", "dict",
})  # fmt: skip
# building a path object runs nothing (PyYAML's dump of a pathlib hparam)
_INERT_APPLY = frozenset({
    "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePath",
    "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
})  # fmt: skip
# ``!!python/object:NAME`` builds ``NAME.__new__(NAME)`` and sets its ``__dict__`` (no
# ``__setstate__``): inert for these; Lightning's yaml.dump of a nested Namespace hparam writes it
_INERT_OBJECT = frozenset({"argparse.Namespace"})
# functions SpeechBrain's own configs call at load with harmless arguments
CALL_ALLOWED = frozenset({
    "speechbrain.utils.seed_everything", "speechbrain.utils.seed.seed_everything",
    "torch.manual_seed", "speechbrain.utils.hparams.choice", "operator.not_",
})  # fmt: skip
FRAMEWORK = "speechbrain."
# SpeechBrain helpers that run shell commands, import, download or load other models
FRAMEWORK_DANGEROUS = (
    "superpowers", "run_shell", "importutils", "download", "from_hparams", "from_pretrained",
    "foreign_class", "run_on_main", "hpopt", "speechbrain.core.", "fetching.fetch",
    "data_utils", "torch_audio_backend",
)  # fmt: skip
# HyperPyYAML resolves a name with pydoc.locate, which walks attributes through modules: a
# prefix proves nothing (``torch.cuda._memory_viz.subprocess.Popen`` is subprocess.Popen). A
# torch/torchaudio name passes only as an attribute of one of these pinned torch modules (the
# parent must be exactly one of them, so no alias in between), never private, never a module
# another library or the standard library provides; for ``!new:`` a class (capitalised).
_TORCH_MODULES = frozenset({
    "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.modules",
    *(f"torch.nn.modules.{m}" for m in (
        "activation", "batchnorm", "container", "conv", "dropout", "flatten", "instancenorm",
        "linear", "loss", "normalization", "padding", "pooling", "rnn", "sparse", "transformer",
        "upsampling", "pixelshuffle", "distance", "fold", "adaptive", "channelshuffle",
    )),
    "torch.nn.utils", "torch.nn.utils.rnn", "torch.nn.utils.parametrizations", "torch.optim",
    "torch.optim.lr_scheduler", "torchaudio", "torchaudio.transforms", "torchaudio.functional",
    "torchaudio.models", "torchaudio.compliance.kaldi",
})  # fmt: skip
# callables those modules import from elsewhere (functools, itertools, copy, warnings...)
_TORCH_FOREIGN = frozenset({
    "partial", "wraps", "warn", "deepcopy", "contextmanager", "lru_cache", "cached_property",
    "chain", "islice", "repeat", "ref", "bisect_right", "TypedDict", "container_abcs",
    # public callables of the pinned modules whose __module__ is not torch's (review13 #13;
    # listed from the shared venv's torch, see RELIABILITY.md "review13 config fixes")
    "Any", "Callable", "Counter", "Enum", "Iterable", "Literal", "NamedTuple", "Optional",
    "OrderedDict", "ParamSpec", "Self", "Sequence", "SupportsFloat", "TypeVar", "auto", "cast",
    "deprecated", "namedtuple", "overload", "override",
})  # fmt: skip
# module names (and the usual aliases) a library module may import: a component naming one
# walks out of the library the prefix promises
_FOREIGN = frozenset({
    *sys.stdlib_module_names, *hydra_rules.DANGEROUS_ROOTS, "torch", "torchaudio", "speechbrain",
    "sb", "np", "numpy", "scipy", "sympy", "pd", "pandas", "yaml", "ruamel", "hyperpyyaml",
    "requests", "huggingface_hub", "transformers", "sentencepiece", "spm", "joblib", "tqdm",
    "librosa", "soundfile", "sf", "ta", "dill", "filelock", "fsspec", "jinja2", "networkx",
    "packaging", "pkg_resources", "setuptools", "typing_extensions",
})  # fmt: skip
_REF_EXACT = frozenset({"sentencepiece.SentencePieceProcessor"})
VERBS = ("apply", "applyref", "new", "name", "module", "include")
# a tag starts wherever a YAML scanner may start a token: line start, after whitespace, a BOM,
# a flow indicator, or ``:``/``-``/``?`` (``{"a":!apply:...}`` is a JSON-like flow key); and
# after ``(``: a plain ``(...)`` scalar is an implicit ``!tuple``, whose ``(`` becomes ``[``
_TAG_TOKEN = re.compile(
    r"(?:^|(?<=[\s\[\]{},:?\-\ufeff(]))!(<[^>\r\n]*>|[^\s\[\]{},]*)", re.MULTILINE
)
TUPLE = "!tuple"
MAX_REFS = 10_000  # !ref/!copy templates judged; beyond: a high finding (fail closed)
MAX_TUPLES = 1000  # !tuple scalars re-read; beyond: a high finding (fail closed)
# a directive after a BOM is a directive (the scanners skip a BOM without counting a column);
# PyYAML and ruamel take '_' in a handle (``!e_!``), which the YAML spec does not
_DIRECTIVE = re.compile(
    r"(?:^\ufeff*|\ufeff)%TAG[ \t]+(!(?:[A-Za-z0-9_-]*!)?)[ \t]+(\S+)", re.MULTILINE
)
_HANDLE = re.compile(r"(![A-Za-z0-9_-]*!)(.*)", re.DOTALL)
MAX_TAGS = 100_000  # distinct tag tokens judged; beyond: a high finding (fail closed)
MAX_SHOWN = 1000
# documentation is not loaded as YAML; .txt is judged (hparams_file may be any name)
DOC_SUFFIXES = (".md", ".rst", ".html", ".htm")


def _resolve(token: str, directives: dict[str, list[str]]) -> list[str]:
    """The full tags a tag token (text after ``!``) may mean, as YAML 1.1/1.2 resolves it."""
    if token.startswith("<"):
        return [unquote(token[1:-1] if token.endswith(">") else token[1:])]
    m = _HANDLE.match("!" + token)
    if m is not None:
        handle, suffix = m.group(1), m.group(2)
    else:
        handle, suffix = "!", token
    defaults = {"!": "!", "!!": "tag:yaml.org,2002:"}
    prefixes = list(directives.get(handle, []))
    if handle in defaults:
        prefixes.append(defaults[handle])  # the default holds in documents that do not redefine it
    return [unquote(p + suffix) for p in prefixes]


def _judge_name(verb: str, name: str) -> Severity | None:
    """The severity of a name a tag imports (``verb``: what the loader does with it)."""
    if hydra_rules._DOTTED.fullmatch(name) is None:
        return Severity.HIGH  # cannot be judged
    root = name.split(".", 1)[0]
    if root in hydra_rules.DANGEROUS_ROOTS or name.startswith(hydra_rules.DANGEROUS_PREFIXES):
        if verb == "apply" and name in _INERT_APPLY:
            return None
        return None if name in CALL_ALLOWED else Severity.CRITICAL
    if name in CALL_ALLOWED:
        return None
    parts = name.split(".")
    if any(p in _FOREIGN and p not in ("torch", "torchaudio") for p in parts[1:]):
        return Severity.CRITICAL  # pydoc.locate walks into the standard library
    if any(p.startswith("_") or p in _FOREIGN for p in parts[1:]):
        return Severity.HIGH  # a private or another library's attribute: cannot be judged
    if verb == "object" and name in _INERT_OBJECT:
        return None
    if name.startswith(FRAMEWORK):
        if any(d in name for d in FRAMEWORK_DANGEROUS):
            return Severity.HIGH
        return Severity.MEDIUM if verb in ("apply", "applyref") else None
    if verb in ("new", "name", "module", "object"):
        if name in hydra_rules.ALLOWED or name in _REF_EXACT:
            return None
        parent, _, last = name.rpartition(".")  # a bare name has no parent (fuzz15)
        if parent in _TORCH_MODULES and last not in _TORCH_FOREIGN:
            if verb in ("name", "module") or last[:1].isupper():
                return None
    return Severity.HIGH


def _outside(path: str) -> bool:
    return (
        path.startswith(("/", "\\", "~"))
        or ".." in re.split(r"[/\\]", path)
        or "://" in path
        or re.match(r"[A-Za-z]:", path) is not None
    )


def judge_tag(tag: str) -> tuple[Severity, str] | None:
    """The severity and evidence of one resolved tag (``None``: the tag runs nothing)."""
    if tag.startswith(PYTHON_TAG):
        kind, _, name = tag[len(PYTHON_TAG) :].partition(":")
        if not name and kind in _PYTHON_DATA:
            return None
        verbs = {"object/apply": "apply", "object/new": "new", "object": "object",
                 "name": "name", "module": "module"}  # fmt: skip
        verb = verbs.get(kind)
        if verb is None:
            return Severity.HIGH, f"!!python/{kind[:60]} tag: unknown python tag"
        sev = _judge_name(verb, name)
        if sev is None:
            return None
        what = "calls" if verb in ("apply", "new", "object") else "imports"
        return max(sev, Severity.HIGH), f"!!python/{kind}:{name[:120]} {what} {name[:120]!r}"
    if not tag.startswith("!"):
        return None  # another URI: no constructor, the loader fails
    verb, sep, arg = tag[1:].partition(":")
    if not sep or verb not in VERBS:
        return None  # !ref, !copy, !tuple, !PLACEHOLDER and unknown local tags run nothing
    if verb == "include":
        if _outside(arg):
            return Severity.HIGH, f"!include:{arg[:120]} reads a YAML file outside the model"
        if not arg.lower().endswith((".yaml", ".yml")):  # README.md, a broken config.json
            ev = f"!include:{arg[:120]} reads a file as YAML that the scan judges as another"
            return Severity.HIGH, ev + " format (tags there would not be judged)"
        return None
    sev = _judge_name(verb, arg)
    if sev is None:
        return None
    what = {
        "apply": "calls", "applyref": "calls", "new": "instantiates", "name": "imports",
        "module": "imports",
    }[verb]  # fmt: skip
    return sev, f"!{verb}:{arg[:120]} {what} {arg[:120]!r} while the file loads"


def _tuple_findings(
    value: str, whole: bool, location: str, member: str | None, where: str
) -> list[Finding]:
    """HyperPyYAML's ``!tuple`` builds ``"[" + value[1:-1] + "]"`` from its scalar's value and
    reads it with PyYAML's unsafe ``yaml.Loader``: the tags of that text are judged, and any
    ``!`` left there that no rule reads (or a scalar too long to read) is high."""
    inner = "[" + value[1:-1] + "]"
    found = _findings(inner, location, member, where + " (inside a !tuple string)", tuples=False)
    if found:
        return found
    if not whole or "!" in inner:
        why = "too long to read" if not whole else "holds '!' (a tag to its YAML re-read)"
        ev = f"{where}: !tuple string {value[:80]!r} {why}: PyYAML's unsafe loader re-reads it"
        return [TAG.finding(location, ev, member=member, severity=Severity.HIGH)]
    return []


def _reread_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """Quoted scalars whose decoded value HyperPyYAML's round trip turns into an implicit
    ``!tuple`` (:func:`airlock.scan.hpy_reread.quoted_tuples`), judged like ``!tuple``."""
    out: list[Finding] = []
    line, last = 1, 0
    for pos, value, whole in hpy_reread.quoted_tuples(text):
        if pos < 0:
            ev = f"{name}: more than {hpy_reread.MAX_QUOTED} quoted '(' strings: cannot be judged"
            return [*out, TAG.finding(location, ev, member=member, severity=Severity.HIGH)]
        line += text.count("\n", last, pos)
        last = pos
        where = f"{name} line {line} (a quoted '(...)' string is an implicit !tuple)"
        out += _tuple_findings(value, whole, location, member, where)
    return out


_FLOW_END = re.compile(r"[ \t]#|[,\]}]")


class _Lines:
    """Where the line holding each tag starts and how many flow collections are open before
    the tag on it, read once for the tags of a text in order (re-reading each tag's line from
    its start is quadratic on one long line). A tag further than ``MAX_SCALAR`` past the last
    point outside quotes on its line gets ``None`` (not known)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = 0  # the current line's start
        self.seen = 0  # text before this was searched for line breaks
        self.upto = 0  # flow depth counted up to here (outside quotes) on this line; -1: not
        self.depth = 0
        self.first = (-1, False)  # (line start, whether that line is a comment)

    def line_start(self, pos: int) -> int:
        nl = self.text.rfind("\n", self.seen, pos)
        self.seen = max(self.seen, pos)
        if nl >= 0:
            self.start = self.upto = nl + 1
            self.depth = 0
        return self.start

    def commented(self, pos: int) -> bool:
        """Whether the line holding ``pos`` starts (after blanks) with ``#``."""
        start = self.line_start(pos)
        if self.first[0] != start:  # the line's first non-blank, read once per line
            m = _FIRST.search(self.text, start, pos + 1)
            self.first = (start, m is not None and m.group() == "#")
        return self.first[1]

    def flow_depth(self, pos: int) -> int | None:
        self.line_start(pos)
        if self.upto < 0:
            return None  # this line is not read again
        bare = _QUOTED.sub("", self.text[self.upto : pos])
        depth = self.depth + bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")
        if "'" not in bare and '"' not in bare:  # no quote open across pos: resume here
            self.upto, self.depth = pos, depth
        elif pos - self.upto > yaml_scalar.MAX_SCALAR:
            self.upto = -1  # a quote open this long: not known for the rest of the line
            return None
        return depth


_FIRST = re.compile(r"[^ \t]")


def _template(lines: _Lines, start: int, end: int) -> tuple[str, bool]:
    """The template of the ``!ref`` tag at ``start``-``end``: a plain scalar ends at a comment,
    and in a flow collection (the tag right after ``[`` or ``,``) at ``,``/``]``/``}``; anywhere
    else it is read whole, which can only over-include (also when the flow depth is not known)."""
    text = lines.text
    value, whole = yaml_scalar.scalar_after(text, end)
    if not yaml_scalar.plain_after(text, end):
        return value, whole
    after_item = text[max(0, start - 256) : start].rstrip().endswith(("[", ","))
    flow = after_item or (lines.flow_depth(start) or 0) > 0
    cut = (_FLOW_END if flow else _COMMENT).split(value, maxsplit=1)
    # a template cut short of the part read ended there, however long its line is
    return cut[0].strip(), whole or len(cut) > 1


_COMMENT = re.compile(r"[ \t]#")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")


def _kind(tags: list[str]) -> str:
    if TUPLE in tags:
        return "tuple"
    return "ref" if not {"!ref", "!copy"}.isdisjoint(tags) else ""


def text_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """Every tag of a YAML (or other config) text that imports or calls Python."""
    if name.lower().endswith(DOC_SUFFIXES) or ("!" not in text and "\\" not in text):
        return []
    found = _findings(text, location, member, name, tuples=True)
    found += _include_findings(text, location, member, name)
    return found + _reread_findings(text, location, member, name)


def _include_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """HyperPyYAML hands the mapping under an ``!include:`` tag to the included file as
    overrides, where a whole ``!ref`` to a key that file does not have (trusted: the including
    file's business) passes the value on and re-resolves it as a template: a string holding
    ``<...>`` that no ``!ref``/``!copy`` tag reads is judged here (not proven: high)."""
    directives = _directives(text)
    tokens = {m.group(1) for m in _TAG_TOKEN.finditer(text) if m.group(1)}
    if not any(t.startswith("!include:") for k in tokens for t in _resolve(k, directives)):
        return []
    pos = hpy_reread.bare_template(text)
    if pos is None:
        return []
    line = text.count("\n", 0, pos) + 1
    ev = f"{name} line {line}: a string holding '<...>' in a file with an !include: the included"
    ev += " file may resolve it as a !ref template (its value is not proven)"
    return [TAG.finding(location, ev, member=member, severity=Severity.HIGH)]


def _directives(text: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for m in _DIRECTIVE.finditer(text):
        directives.setdefault(m.group(1), []).append(m.group(2))
    return directives


def _findings(
    text: str, location: str, member: str | None, name: str, tuples: bool
) -> list[Finding]:
    directives = _directives(text)
    handles = {m.start(1) for m in _DIRECTIVE.finditer(text)}  # a %TAG directive's handle
    out: list[Finding] = []
    seen: set[str] = set()
    kinds: dict[str, str] = {}  # token: "tuple", "ref" (HyperPyYAML's !ref/!copy) or ""
    templates = hpy_reread.Templates(text)
    lines = _Lines(text)
    n_tuples = n_refs = 0
    line, last = 1, 0
    for m in _TAG_TOKEN.finditer(text):
        token = m.group(1)
        if not token or m.start() in handles:
            continue
        if tuples:
            kind = kinds.get(token)
            if kind is None and len(kinds) < MAX_TAGS:
                kind = _kind(_resolve(token, directives))
                kinds[token] = kind
            if kind == "ref" and lines.commented(m.start()):
                continue  # a full-line comment (or a quoted/block scalar's text): no tag
            if kind == "ref":
                n_refs += 1
                line += text.count("\n", last, m.start())
                last = m.start()
                if n_refs > MAX_REFS:
                    ev = f"{name} line {line}: more than {MAX_REFS} !ref templates"
                    ev += ": cannot be judged"
                    out.append(TAG.finding(location, ev, member=member, severity=Severity.HIGH))
                    break
                template, whole = _template(lines, m.start(), m.end())
                why = templates.why_unproven(template) if whole else "template too long to read"
                costly = templates.why_costly(template) if whole else None
                if costly is not None:
                    ev = f"{name} line {line}: !ref {costly}: resolving it hangs or exhausts"
                    ev += " load_hyperpyyaml"
                    out.append(TAG.finding(location, ev, member=member, severity=Severity.HIGH))
                if why is not None:
                    ev = f"{name} line {line}: !ref {why}: the string it builds may be a '(...)'"
                    ev += " tuple PyYAML's unsafe loader re-reads"
                    out.append(TAG.finding(location, ev, member=member, severity=Severity.HIGH))
                continue
            if kind in ("tuple", None):
                line += text.count("\n", last, m.start())
                last = m.start()
                n_tuples += 1
                if n_tuples > MAX_TUPLES or kind is None:
                    ev = f"{name} line {line}: more than {MAX_TUPLES} !tuple strings"
                    ev += ": cannot be judged"
                    out.append(TAG.finding(location, ev, member=member, severity=Severity.HIGH))
                    break
                value, whole = yaml_scalar.scalar_after(text, m.end())
                out += _tuple_findings(value, whole, location, member, f"{name} line {line}")
                continue
        if token in seen:
            continue
        if len(seen) >= MAX_TAGS or len(out) >= MAX_SHOWN:
            line += text.count("\n", last, m.start())
            what = (
                f"more than {MAX_TAGS} distinct tags"
                if len(seen) >= MAX_TAGS
                else (f"more than {MAX_SHOWN} tags that import or call Python")
            )
            ev = f"{name} line {line}: {what}: the rest cannot be judged"
            out.append(TAG.finding(location, ev, member=member, severity=Severity.HIGH))
            break
        seen.add(token)
        line += text.count("\n", last, m.start())
        last = m.start()
        worst: tuple[Severity, str] | None = None
        for tag in _resolve(token, directives):
            verdict = judge_tag(tag)
            if verdict is not None and (worst is None or verdict[0] > worst[0]):
                worst = verdict
        if worst is not None:
            sev, ev = worst
            via = "" if token.startswith(tuple(f"{v}:" for v in VERBS)) else f" (tag !{token[:80]})"
            out.append(
                TAG.finding(location, f"{name} line {line}: {ev}{via}", member=member, severity=sev)
            )
    return out
