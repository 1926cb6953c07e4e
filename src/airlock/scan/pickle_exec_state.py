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
column names, numbers, formula operators and calls of a few pure transforms are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
_SHAPES = re.compile(rf"\ndef _parse_args\(self, ((?:{_IDENT}, )*) loc=0")
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

_FORMULA_TOKEN = re.compile(
    r"\s+|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<op>\*\*|[~+\-*/:|^(),])"
)
# transforms a formula may call: categorical coding, identity, centring/scaling, splines,
# polynomials and numpy's element-wise math (no file, attribute or code access)
_FORMULA_CALLS = frozenset(
    "C I center standardize scale bs cr cc poly".split()
    + [
        f"{m}.{f}"
        for m in ("np", "numpy")
        for f in "log log1p log2 log10 exp expm1 sqrt abs square power sin cos tanh".split()
    ]
)
_MAX_FORMULA = 4096


def statsmodels_formula(text: str) -> bool:
    """True when ``text`` is a formula of column names, numbers, formula operators and calls of
    ``_FORMULA_CALLS``: no dunder, keyword, string, attribute access or call of anything else
    (every other ``(`` opens a group after an operator)."""
    if len(text) > _MAX_FORMULA or "__" in text:
        return False
    pos, prev = 0, ""  # the last token: 'name:<n>', 'num' or 'op:<o>'
    while pos < len(text):
        m = _FORMULA_TOKEN.match(text, pos)
        if m is None:
            return False
        pos = m.end()
        if m.group("name"):
            name = m.group("name")
            if name in _KEYWORDS or ("." in name and name not in _FORMULA_CALLS):
                return False
            prev = f"name:{name}"
        elif m.group("num"):
            prev = "num"
        elif m.group("op"):
            op = m.group("op")
            if op == "(" and prev.startswith("name:") and prev[5:] not in _FORMULA_CALLS:
                return False
            if op == "(" and prev in ("num", "op:)"):
                return False
            prev = f"op:{op}"
        # whitespace keeps the last token: "f (x)" is still a call of f
    return True


# class name pattern -> ((state attribute, validator of its constant string value), ...)
EXEC_STATE: tuple[tuple[re.Pattern[str], tuple[tuple[str, Callable[[str], bool]], ...]], ...] = (
    (
        # every rv_generic subclass scipy ships (the *_gen classes, rv_histogram, rv_sample,
        # levy_stable_gen, ...): the frozen wrappers (*_frozen) have no __setstate__
        re.compile(
            r"scipy\.stats\.(?:_continuous_distns|_discrete_distns|_levy_stable"
            r"|_distn_infrastructure)\.(?!.*_frozen$)[A-Za-z_][A-Za-z0-9_]*"
        ),
        (("_parse_arg_template", scipy_arg_template),),
    ),
    (
        # ModelData and its subclasses: the formula is evaluated only when the state also
        # holds restore_model_spec, but a formula is judged wherever it appears
        re.compile(r"statsmodels\.base\.data\.(?:ModelData|PandasData|PatsyData)"),
        (("formula", statsmodels_formula),),
    ),
)


def exec_state_rule(name: str) -> tuple[tuple[str, Callable[[str], bool]], ...] | None:
    """The executed state attributes of class ``name`` (None: its state runs no text)."""
    if not name.startswith(("scipy.", "statsmodels.")):
        return None
    for pattern, attrs in EXEC_STATE:
        if pattern.fullmatch(name):
            return attrs
    return None
