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
)


def exec_state_rule(name: str) -> tuple[tuple[str, Callable[[str], bool]], ...] | None:
    """The executed state attributes of class ``name`` (None: its state runs no text)."""
    if not name.startswith("scipy."):
        return None
    for pattern, attrs in EXEC_STATE:
        if pattern.fullmatch(name):
            return attrs
    return None
