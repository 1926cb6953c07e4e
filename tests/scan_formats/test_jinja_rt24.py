"""rt24tpl: chat templates that hang the sandbox through colliding int hashes or nested
``str.format`` doubling (both ALLOW before; killed at 60 s CPU / 2**34 characters)."""

from __future__ import annotations

import sys

import pytest

from airlock.scan.jinja_rules import analyze_template

P = 2**61 - 1
CONV = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"


def _ids(src: str) -> set[str]:
    return {i.rule.rule_id for i in analyze_template(src)}


COLLIDING = {
    "literal_unique": "{{ range(0, 100000 * P, P)|unique|list|length }}".replace("P", str(P)),
    "fromkeys": "{{ dict.fromkeys(range(0, 100000 * P, P))|length }}".replace("P", str(P)),
    "folded_power": "{% set p = 2 ** 61 - 1 %}{{ range(0, 90000 * p, p)|unique|list|length }}",
    "product": "{% set p = (2 ** 31) * (2 ** 31) %}{{ range(p, p + 90000 * p, p)|unique|list }}",
    "float_int": "{% set p = 2.305843009213694e18|int %}{{ range(0, 90000 * p, p)|unique|list }}",
    "digit_string": "{% set p = ('2305843009' ~ '213693951')|int %}{{ range(0, 9 * p, p)|unique }}",
    # review24: 2 ** 61 was sized 1 bit (a base of 2 is log2 1); 2 x 100,000 keys: > 60 s
    "power_of_two_fromkeys": (
        "{% set p = 2 ** 61 - 1 %}{{ dict.fromkeys(range(0, 100000 * p, p))|length }}"
        "{{ dict.fromkeys(range(p, 100001 * p, p))|length }}"
    ),
    "power_of_two_unknown_exponent": "{% set p = 2 ** (messages|length) %}{{ p }}",
    # review24: a name counted 17 bits whatever it held (two fromkeys of 100,000: > 60 s)
    "named_constant": (
        "{% set a = 1152921504606846976 %}{% set p = a + a - 1 %}"
        "{{ dict.fromkeys(range(0, 100000 * p, p))|length }}"
    ),
    "macro_parameter": "{% macro f(a) %}{{ a + a - 1 }}{% endmacro %}{{ f(2 ** 60) }}",
    "namespace_attribute": "{% set ns = namespace(a=2 ** 60) %}{{ ns.a + ns.a - 1 }}",
    "text_name_int": "{% set a = '2305843009213693951' %}{{ a|int }}",
    "digits_repeated": "{% set p = ('9' * 30)|int %}{{ range(0, 9 * p, p)|unique|list }}",
}


@pytest.mark.parametrize("name", sorted(COLLIDING))
def test_integers_past_the_hash_modulus_are_denied(name: str) -> None:
    assert "AIR-JINJA-009" in _ids(COLLIDING[name] + CONV)


def test_the_collision_is_real() -> None:
    """CPython's int hash is the value modulo 2**61 - 1: all of these land in one bucket."""
    assert sys.hash_info.modulus == P
    assert {hash(k * P) for k in range(1, 1000)} == {0}


HONEST = [
    "{{ (messages|length) * 1000 }}",
    "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}",
    "{{ loop.index0 * 2 if loop is defined else 0 }}",
    "{{ (m.content|length / 4)|int if m is defined else 10 ** 9 }}",
    "{{ '%d'|format(1700000000) }}{{ 2 ** 32 }}",
    "{{ range(0, 100, 7)|unique|list }}{{ ('12' ~ '34')|int }}",
    "{% set ns = namespace(s='') %}{% for m in messages %}{% set ns.s = ns.s + m.content + '"
    "\\n' %}{% endfor %}{% set ts = 1700000000 %}{{ ns.s }}{{ ts + 60 }}",
]


@pytest.mark.parametrize("src", HONEST)
def test_ordinary_numbers_stay_clean(src: str) -> None:
    assert "AIR-JINJA-009" not in _ids(src + CONV)


@pytest.mark.parametrize("depth", [30, 34])
def test_nested_format_doubling_is_denied(depth: int) -> None:
    src = "{{ " + "'{0}{0}'.format(" * depth + "'x'" + ")" * depth + "|length }}"
    assert "AIR-JINJA-009" in _ids(src + CONV)


def test_format_with_named_fields_is_sized() -> None:
    nested = "{{ " + "'{a}{a}{a}'.format(a=" * 22 + "'x'" + ")" * 22 + " }}"
    assert "AIR-JINJA-009" in _ids(nested + CONV)


def test_ordinary_format_calls_stay_clean() -> None:
    src = (
        "{% for m in messages %}{{ '<|{0}|>{1}<|end|>'.format(m.role, m.content) }}"
        "{{ '{name}: {args}'.format(name=m.role, args=m.content|tojson) }}{% endfor %}"
    )
    assert "AIR-JINJA-009" not in _ids(src)
