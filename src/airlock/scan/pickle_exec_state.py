"""Allowlisted classes whose ``__setstate__`` executes text taken from the pickled state.

scipy's ``rv_generic.__setstate__`` (every ``rv_continuous`` / ``rv_discrete`` subclass:
``norm_gen``, ``binom_gen``, ``rv_sample``, ``rv_histogram``, ...) does
``self.__dict__.update(state)`` and then ``_attach_methods()`` ->
``_attach_argparser_methods()`` -> ``exec(self._parse_arg_template, ns)``: the template is
whatever string the pickle put in the state, so a crafted one runs arbitrary Python at load.
(The ``except ValueError`` branch for scipy<1.6 states calls ``__init__()``, which rebuilds the
template from sanitised shapes; but ``dict.update`` of a non-dict state can still set attributes
from pairs first, so only a plain dict state is accepted.)

``EXEC_STATE`` is the table: a class-name pattern -> the state attributes its ``__setstate__``
executes, each with a validator that accepts only what the library itself produces. A BUILD on
such an object is safe only when its state is a plain dict with constant string keys and every
listed attribute, where present, is a constant string the validator accepts.

statsmodels' ``ModelData.__setstate__`` (``PandasData``, ``PatsyData``): when the state holds
``restore_model_spec`` it re-evaluates ``state["formula"]`` with the formula engine (formulaic /
patsy), which evaluates the formula's terms as Python in the loader's stack frames
(``eval_env=depth``): ``y ~ I(__import__('os').system(...))`` runs at ``sm.load``. Results of
``smf.ols("y ~ a + C(g)", df).fit().save(...)`` hold such a state, so only formulas made of
column names, numbers, formula operators and calls of a few pure transforms are accepted. The
engines also look up and call any name in a function position (patsy calls a callable
contrast: ``C(g, exit)`` ends the loader), so a name may stand only as a column, C()'s
contrast only as a known contrast, and every option only as a literal.

transformers 5 tokenizers (``TokenizersBackend`` and the model tokenizer classes) have no
``__setstate__``: BUILD updates ``__dict__``, and ``apply_chat_template`` later renders
``self.chat_template`` (``get_chat_template``: a string, or a dict of named templates), so that
attribute is marked ``chat_template``: the pickle analyser judges it with
``airlock.scan.jinja_rules`` as it judges tokenizer_config.json's.
"""

from __future__ import annotations

from collections.abc import Callable

from airlock.lazy_regex import LazyPattern

# scipy.stats._distn_infrastructure.parse_arg_template (unchanged from scipy 1.6 to 1.17)
_SCIPY_TEMPLATE = """
def _parse_args(self, %(shape_arg_str)s %(locscale_in)s):
    return (%(shape_arg_str)s), %(locscale_out)s

def _parse_args_rvs(self, %(shape_arg_str)s %(locscale_in)s, size=None):
    return self._argcheck_rvs(%(shape_arg_str)s %(locscale_out)s, size=size)

def _parse_args_stats(self, %(shape_arg_str)s %(locscale_in)s, moments='mv'):
    return (%(shape_arg_str)s), %(locscale_out)s, moments
"""
# (locscale_in, locscale_out) as rv_continuous and rv_discrete / rv_sample pass them
_SCIPY_LOCSCALE = (("loc=0, scale=1", "loc, scale"), ("loc=0", "loc, 1"))
_IDENT = "[_a-zA-Z][_a-zA-Z0-9]*"
# shape_arg_str: ', '.join(shapes) + ', ' (or '') of identifiers scipy checked as such
_SHAPES = LazyPattern(rf"\ndef _parse_args\(self, ((?:{_IDENT}, )*) loc=0")
_MAX_TEMPLATE = 16 * 1024


def scipy_arg_template(text: str) -> bool:
    """True when ``text`` is exactly what ``rv_generic._construct_argparser`` produces."""
    if len(text) > _MAX_TEMPLATE:
        return False
    m = _SHAPES.match(text)
    if m is None:
        return False
    shapes = m.group(1)
    if any(s in _KEYWORDS for s in shapes.split(", ") if s):
        return False
    return any(
        text == _SCIPY_TEMPLATE % {"shape_arg_str": shapes, "locscale_in": i, "locscale_out": o}
        for i, o in _SCIPY_LOCSCALE
    )


_KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try "
    "while with yield".split()
)

_FORMULA_TOKEN = LazyPattern(
    r"\s+|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<str>'[^'\\\n]*'|\"[^\"\\\n]*\")"
    r"|(?P<op>\*\*|[<>=!]=|[~+\-*/%:|^(),=<>\[\]])"
)
# transforms a formula may call on data: identity, centring/scaling, splines, polynomials and
# numpy's element-wise math (no file, attribute or code access); C and Q are judged apart
_FORMULA_CALLS = frozenset(
    "I center standardize scale bs cr cc te poly".split()
    + [
        f"{m}.{f}"
        for m in ("np", "numpy")
        for f in "log log1p log2 log10 exp expm1 sqrt abs square power sin cos tanh".split()
    ]
)
# the contrasts C() may be given, by name or called with literals: patsy.contrasts and
# formulaic's patsy-compatible names and its ``contr`` registry. The engines call a callable
# contrast (patsy) or a class (formulaic), so no other name may stand there.
_CONTRASTS = frozenset(
    "Treatment Sum Poly Helmert Diff".split()
    + [f"contr.{c}" for c in "treatment sum poly helmert diff SAS custom".split()]
)
_LITERAL_NAMES = frozenset(("True", "False", "None"))
_UNARY = frozenset("+-~")
# formula operators, and inside a call Python's arithmetic and comparisons on data
_BINARY = frozenset("~ + - * / % : | ^ ** < > <= >= == !=".split())
_MAX_FORMULA = 4096
_MAX_DEPTH = 32


class _Deny(Exception):
    """The formula holds something the formula engine could call or resolve as code."""


class _Formula:
    """Recursive-descent judge of a formula: the formula engines evaluate every term as Python,
    and any name they see in a function position (a callee, C()'s contrast) is looked up in the
    loader's frames and builtins and called, so names may stand only as columns (not called,
    not passed as a function) and calls only of the transforms above with literal options."""

    def __init__(self, text: str) -> None:
        self.toks: list[tuple[str, str]] = []  # (kind, text)
        pos = 0
        while pos < len(text):
            m = _FORMULA_TOKEN.match(text, pos)
            if m is None:
                raise _Deny
            pos = m.end()
            kind = m.lastgroup
            if kind is not None:
                self.toks.append((kind, m.group(kind)))
        self.i = 0
        self.depth = 0

    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        k, t = self.peek()
        if k != kind or (text is not None and t != text):
            raise _Deny
        self.i += 1
        return t

    def is_op(self, text: str, k: int = 0) -> bool:
        return self.peek(k) == ("op", text)

    def formula(self) -> None:
        self.expr(literals=False)
        if self.peek()[0] != "end":
            raise _Deny

    def expr(self, literals: bool) -> None:
        """Operands joined by formula operators; ``literals``: strings may be operands."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Deny
        while True:
            while self.peek()[0] == "op" and self.peek()[1] in _UNARY:
                self.i += 1
            self.operand(literals)
            if self.is_op("("):  # calling a number, a group or a call's result
                raise _Deny
            k, t = self.peek()
            if k != "op" or t not in _BINARY:
                break
            self.i += 1
        self.depth -= 1

    def operand(self, literals: bool) -> None:
        kind = self.peek()[0]
        if kind == "num" or (kind == "str" and literals):
            self.i += 1
        elif kind == "name" and self.is_op("(", 1):
            self.call()
        elif kind == "name":
            self.column()
        elif self.is_op("("):
            self.i += 1
            self.expr(literals)
            self.take("op", ")")
        else:
            raise _Deny

    def column(self) -> None:
        """A bare name: the engine evaluates it as data and never calls it."""
        name = self.take("name")
        if "." in name or name in _KEYWORDS:
            raise _Deny

    def call(self) -> None:
        name = self.take("name")
        if name == "C":
            self.args(first=self.categorical, rest=self.contrast, kwargs={"contrast", "contrasts"})
        elif name == "Q":  # a quoted column name, looked up as data
            self.take("op", "(")
            self.take("str")
            self.take("op", ")")
        elif name in _FORMULA_CALLS:
            # the data is the first argument (both of power's, all of te's smooths); options
            # are literals
            data = lambda: self.expr(True)  # noqa: E731
            rest = data if name.endswith(".power") or name == "te" else self.literal
            self.args(first=data, rest=rest, kwargs=set())
        else:
            raise _Deny

    def categorical(self) -> None:
        """C()'s data: a column, bare or quoted."""
        if self.peek() == ("name", "Q") and self.is_op("(", 1):
            self.call()
        else:
            self.column()

    def contrast(self) -> None:
        """C()'s contrast: a known contrast by name, called with literals, or a literal matrix."""
        kind, name = self.peek()
        if kind != "name":
            self.literal()
            return
        if name not in _CONTRASTS:
            raise _Deny
        self.i += 1
        if self.is_op("("):
            self.args(first=self.literal, rest=self.literal, kwargs=set())

    def args(self, first: Callable[[], None], rest: Callable[[], None], kwargs: set[str]) -> None:
        """``(first, rest..., kw=...)``: keywords named in ``kwargs`` take ``rest``, the others
        only literals."""
        self.take("op", "(")
        n = 0
        while not self.is_op(")"):
            if n:
                self.take("op", ",")
            if self.peek()[0] == "name" and self.is_op("=", 1):
                kw = self.take("name")
                self.i += 1
                (rest if kw in kwargs else self.literal)()
            else:
                (first if n == 0 else rest)()
            n += 1
        self.take("op", ")")

    def literal(self) -> None:
        """A number, string, True/False/None or a list or tuple of literals."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Deny
        while self.is_op("-") or self.is_op("+"):
            self.i += 1
        kind, text = self.peek()
        if kind in ("num", "str") or (kind == "name" and text in _LITERAL_NAMES):
            self.i += 1
        elif self.is_op("[") or self.is_op("("):
            close = "]" if self.is_op("[") else ")"
            self.i += 1
            while not self.is_op(close):
                self.literal()
                if not self.is_op(close):
                    self.take("op", ",")
            self.i += 1
        else:
            raise _Deny
        self.depth -= 1


def statsmodels_formula(text: str) -> bool:
    """True when ``text`` is a formula of column names, numbers, formula operators and calls of
    ``_FORMULA_CALLS`` on such terms (options literal), ``C(column, contrast)`` and
    ``Q("column")``: no dunder, keyword, attribute access, and no name where the engine would
    call it."""
    if len(text) > _MAX_FORMULA or "__" in text:
        return False
    try:
        _Formula(text).formula()
    except _Deny:
        return False
    return True


# statsmodels keeps a fitted formula's spec as ``model_spec`` on the model's data (and reads
# ``model.model_spec`` first): predict, get_prediction and the GAM/ProcessMLE/MixedLM helpers
# hand it to the formula engine, which evaluates a string spec's terms as Python. Honest saves
# never hold it (``ModelData.__getstate__`` drops it; the formula is re-parsed at load and
# judged by ``statsmodels_formula``), so a dict key naming it in a pickle of statsmodels objects
# is refused: a BUILD state's, a Bunch's items', a numpy str_ key (honest saves hold the name
# only as an item of the model's ``_init_keys`` list).
SPEC_KEY = "model_spec"
# the attributes holding such specs (ProcessMLE keeps three more on its data)
SPEC_KEYS = frozenset({SPEC_KEY, "scale_model_spec", "smooth_model_spec", "noise_model_spec"})
_SPEC_FORMS = (
    SPEC_KEY.encode(),
    SPEC_KEY.encode("utf-32-le"),
    SPEC_KEY.encode("utf-32-be"),
    SPEC_KEY.encode("utf-16-le"),
    SPEC_KEY.encode("utf-16-be"),
)
SPEC_WHY = (
    "a dict key naming a statsmodels formula spec (model_spec) in a pickle of statsmodels objects: "
    "predict hands a model's or its data's model_spec to the formula engine, which evaluates a "
    "string spec's terms as Python (honest saves never store it: ModelData.__getstate__ drops "
    "it and the load re-parses the judged formula)"
)


def spec_bytes(value: object) -> bool:
    """A byte value (a numpy ``str_``/``bytes_`` scalar's data) spelling ``model_spec``."""
    if type(value) is not bytes or len(value) > 4096:
        return False
    return any(form in value for form in _SPEC_FORMS)


def chat_template(text: str) -> bool:
    """Marker validator: a Jinja chat template, judged by the pickle analyser with the Jinja
    rules (findings of their own, and a dict of named templates too) rather than here."""
    return True


# class name pattern -> ((state attribute, validator of its constant string value), ...)
EXEC_STATE: tuple[tuple[LazyPattern[str], tuple[tuple[str, Callable[[str], bool]], ...]], ...] = (
    (
        # every rv_generic subclass scipy ships (the *_gen classes, rv_histogram, rv_sample,
        # levy_stable_gen, ...): the frozen wrappers (*_frozen) have no __setstate__
        LazyPattern(
            r"scipy\.stats\.(?:_continuous_distns|_discrete_distns|_levy_stable"
            r"|_distn_infrastructure)\.(?!.*_frozen$)[A-Za-z_][A-Za-z0-9_]*"
        ),
        (("_parse_arg_template", scipy_arg_template),),
    ),
    (
        # statsmodels' rv_discrete generators (the zero-inflated count models keep one): none
        # overrides scipy's __setstate__, which execs the same template
        LazyPattern(
            r"statsmodels\.distributions\.discrete\.(?:zipoisson|zinegativebinomial"
            r"|zigeneralizedpoisson|genpoisson_p|truncatedpoisson|truncatednegbin)_gen"
        ),
        (("_parse_arg_template", scipy_arg_template),),
    ),
    (
        # ModelData and its subclasses: the formula is evaluated only when the state also
        # holds restore_model_spec, but a formula is judged wherever it appears
        LazyPattern(r"statsmodels\.base\.data\.(?:ModelData|PandasData|PatsyData)"),
        (("formula", statsmodels_formula),),
    ),
    (
        # every tokenizer class of transformers (the allowlisted transformers-tokenizers group
        # and the ones left unknown, judged anyway): apply_chat_template renders chat_template
        LazyPattern(
            r"transformers\.(?:models\.[A-Za-z0-9_]+\.)?tokenization_[A-Za-z0-9_]+"
            r"\.[A-Za-z_][A-Za-z0-9_]*"
        ),
        (("chat_template", chat_template),),
    ),
)


def exec_state_rule(name: str) -> tuple[tuple[str, Callable[[str], bool]], ...] | None:
    """The executed state attributes of class ``name`` (None: its state runs no text)."""
    if not name.startswith(("scipy.", "statsmodels.", "transformers.")):
        return None
    for pattern, attrs in EXEC_STATE:
        if pattern.fullmatch(name):
            return attrs
    return None
