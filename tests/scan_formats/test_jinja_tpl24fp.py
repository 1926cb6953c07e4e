"""tpl24fp: real chat templates the doubling rule of AIR-JINJA-009 denied though nothing
carries from pass to pass (Apriel 1.6, Reka-Edge, MiniCPM5; each renders in < 1.5 s), and
the near variants that still double and stay denied."""

from __future__ import annotations

import pytest

from airlock.scan.jinja_rules import analyze_template

DOUBLES = "value doubles on every"


def _doubles(src: str) -> bool:
    return any(DOUBLES in i.evidence for i in analyze_template(src))


# Apriel 1.6: a default through a conditional expression whose test reads the name
APRIEL = (
    "{% for m in messages %}{{ m.content }}"
    "{% set t = t if (t is defined) else false %}"
    "{% if not loop.last or t %}<|end|>{% endif %}{% endfor %}"
)
APRIEL_DENIED = {
    "branch_doubles": "{% for m in messages %}{% set t = t ~ t if t is defined else '' %}"
    "{% endfor %}{{ t }}",
    "slot_branch_doubles": "{% set ns = namespace(s='a') %}{% for m in messages %}"
    "{% set ns.s = ns.s ~ ns.s if ns.s else 'a' %}{% endfor %}{{ ns.s }}",
    "outside_the_condition": "{% set ns = namespace(s='a') %}{% for m in messages %}"
    "{% set ns.s = (ns.s if ns.s is defined else '') ~ ns.s %}{% endfor %}{{ ns.s }}",
}

# Reka-Edge: a macro building its own ``ns = namespace(out='')`` named like the caller's
REKA_MACRO = (
    "{% macro render(c) %}{% if c is string %}{{ c }}{% else %}"
    "{% set ns = namespace(out='') %}{% for i in c %}{% set ns.out = ns.out ~ i.text %}"
    "{% endfor %}{{ ns.out }}{% endif %}{% endmacro %}"
)
REKA = (
    REKA_MACRO + "{% set ns = namespace(out='') %}{% for m in messages %}"
    "{% set ns.out = ns.out ~ m.role ~ render(m.content) ~ '<sep>' %}{% endfor %}{{ ns.out }}"
)
REKA_DENIED = {
    # the macro reads the caller's ns.out before it makes its own
    "read_before_own": "{% macro render(c) %}{{ ns.out }}{% set ns = namespace(out='') %}"
    "{{ ns.out }}{% endmacro %}{% set ns = namespace(out='a') %}{% for m in messages %}"
    "{% set ns.out = ns.out ~ render(m.content) %}{% endfor %}{{ ns.out }}",
    # its own namespace starts from the caller's value
    "own_from_callers": "{% macro render(c) %}{% set ns = namespace(out=ns.out) %}"
    "{{ ns.out }}{% endmacro %}{% set ns = namespace(out='a') %}{% for m in messages %}"
    "{% set ns.out = ns.out ~ render(m.content) %}{% endfor %}{{ ns.out }}",
    # made in a branch, read after it (the other branch keeps the caller's)
    "own_in_a_branch": "{% macro render(c) %}{% if c %}{% set ns = namespace(out='') %}"
    "{% endif %}{{ ns.out }}{% endmacro %}{% set ns = namespace(out='a') %}"
    "{% for m in messages %}{% set ns.out = ns.out ~ render(m.content) %}{% endfor %}",
}

# MiniCPM5: every pass sets ``content`` afresh in both branches of an if, then splits it and
# rebuilds it piece by piece in an inner loop
MINICPM = (
    "{% for m in messages %}"
    "{% if m.content is string %}{% set content = m.content %}"
    "{% else %}{% set content = '' %}{% endif %}"
    "{% if m.tool_calls %}{% set parts = content.split('<sep>') %}"
    "{% set done = parts[0] %}"
    "{% for i in range(1, parts|length) %}{% set done = done + '<f/>' + parts[i] %}"
    "{% endfor %}{% set content = done %}{% endif %}"
    "{{ m.role }}{{ content }}{% endfor %}"
)
MINICPM_DENIED = {
    # no else: a pass without a string content keeps the last pass's (doubled) value
    "no_else": MINICPM.replace("{% else %}{% set content = '' %}", ""),
    # the else branch reads the carried value
    "else_reads_it": MINICPM.replace("{% set content = '' %}", "{% set content = content %}"),
    # the test reads it
    "test_reads_it": MINICPM.replace("m.content is string", "content is defined"),
    # reset, then doubled from the carried value by a later if/else
    "plain_doubling": "{% for m in messages %}{% if m.content %}{% set s = s ~ s %}"
    "{% else %}{% set s = s ~ s %}{% endif %}{% endfor %}{{ s }}",
}


@pytest.mark.parametrize("src", [APRIEL, REKA, MINICPM], ids=["apriel", "reka", "minicpm"])
def test_values_set_afresh_or_in_their_own_namespace_do_not_double(src: str) -> None:
    assert not _doubles(src)


@pytest.mark.parametrize(
    "src",
    [*APRIEL_DENIED.values(), *REKA_DENIED.values(), *MINICPM_DENIED.values()],
    ids=[*APRIEL_DENIED, *REKA_DENIED, *MINICPM_DENIED],
)
def test_near_variants_that_carry_a_doubled_value_stay_denied(src: str) -> None:
    assert _doubles(src)


RECURSES = "recurses"


def _recurses(src: str) -> bool:
    return any(RECURSES in i.evidence for i in analyze_template(src))


# a macro writing a namespace slot (a counter may end any recursion, so only a step down the
# data counts), and macros binding ``item``, ``v`` and ``value`` to text they build
OTHERS = (
    "{% set ns = namespace(seen=false) %}{% macro mark() %}{% set ns.seen = true %}"
    "{% endmacro %}{% macro lines(text) %}{% for item in text.split('\\n') %}{{ item }}"
    "{% endfor %}{% set v = text ~ '!' %}{% set value = text ~ '?' %}{{ v }}{{ value }}"
    "{% endmacro %}{% macro show(val) %}{% set content = val ~ '' %}"
    "{% for item in content %}{{ item }}{% endfor %}{% endmacro %}"
)
# MiniMax-M3: ``to_xml`` recursing into the items of its argument, in a template that binds
# ``item`` and ``v`` to other values elsewhere
MINIMAX = OTHERS + (
    "{% macro to_xml(val, ns) %}{% if val is mapping %}"
    "{% for k, v in val.items() if v is not none %}<{{ k }}>{{ to_xml(v, ns) }}</{{ k }}>"
    "{% endfor %}{% elif val is iterable and val is not string %}"
    "{% for item in val %}<item>{{ to_xml(item, ns) }}</item>{% endfor %}"
    "{% else %}{{ val }}{% endif %}{% endmacro %}"
    "{% for m in messages %}{% set v = m.content ~ '!' %}"
    "{% for item in [v, m.role ~ ':'] %}{{ item }}{% endfor %}"
    "{% for t in m.tool_calls or [] %}{{ to_xml(t.function.arguments, '') }}{% endfor %}"
    "{% endfor %}"
)
# Kimi-K3: ``json_sorted(value)`` whose ``else`` (after ``value is string or ...``) walks a
# list, in a template that also binds ``value`` in a loop of its own
KIMI = OTHERS + (
    "{% macro json_sorted(value) %}{% if value is mapping %}{{ '{' }}"
    "{% for key, item in value|dictsort %}{{ key|tojson }}:{{ json_sorted(item) }}"
    "{% endfor %}{{ '}' }}"
    "{% elif value is string or value is number or value is boolean or value is none %}"
    "{{ value|tojson }}{% else %}[{% for item in value %}{{ json_sorted(item) }}{% endfor %}]"
    "{% endif %}{% endmacro %}"
    "{% for m in messages %}{% for t in m.tool_calls or [] %}"
    "{% for key, value in t.function.arguments.items() %}{{ key }}={{ value }}{% endfor %}"
    "{{ json_sorted(t.function.arguments) }}{% endfor %}{{ m.content }}{% endfor %}"
)
RECURSION_DENIED = {
    # the loop's item rebuilt in the body: a built string, not a part
    "item_rebuilt": MINIMAX.replace(
        "<item>{{ to_xml(item, ns) }}", "{% set item = item ~ 'x' %}<item>{{ to_xml(item, ns) }}"
    ),
    # items built from the argument
    "built_items": MINIMAX.replace("{% for item in val %}", "{% for item in [val ~ 'x', val] %}"),
    # the macro rebinds its parameter, so the guard tests another value
    "param_rebound": KIMI.replace(
        "{% else %}[", "{% else %}{% set value = value|string %}["
    ),
}


@pytest.mark.parametrize("src", [MINIMAX, KIMI], ids=["minimax", "kimi"])
def test_recursion_into_a_loops_items_is_read_in_the_macros_own_scope(src: str) -> None:
    assert not _recurses(src)


@pytest.mark.parametrize("name", sorted(RECURSION_DENIED))
def test_recursion_on_rebuilt_or_rebound_values_stays_denied(name: str) -> None:
    assert _recurses(RECURSION_DENIED[name])


# functionary v3.2: ``get_array_typescript`` passes a depth counter beside a part of its schema
FUNCTIONARY = (
    "{% macro arr(info, depth) %}{% if depth > 5 %}any"
    "{% elif info.type == 'array' %}{{ arr(info['items'], depth + 1) }}[]"
    "{% elif info.type == 'object' %}{% for k, v in info.properties.items() %}"
    "{{ k }}: {{ arr(v, depth + 1) }};{% endfor %}{% else %}{{ info.type }}{% endif %}"
    "{% endmacro %}{% for t in tools or [] %}{{ arr(t.function.parameters, 0) }}{% endfor %}"
    "{% for m in messages %}{{ m.content }}{% endfor %}"
)
COUNTER_DENIED = {
    # a site passing only the counter: 2 calls per level to depth 5**...
    "counter_only": FUNCTIONARY.replace("arr(info['items'], depth + 1)", "arr(info, depth + 1)"),
    # the part passed beside a doubled text
    "doubled_text": FUNCTIONARY.replace(
        "{% macro arr(info, depth) %}", "{% macro arr(info, depth, s='') %}"
    ).replace("arr(v, depth + 1)", "arr(v, depth + 1, s ~ s)"),
}


def test_a_counter_passed_beside_a_part_of_the_data_ends_with_the_data() -> None:
    assert not _recurses(FUNCTIONARY)


@pytest.mark.parametrize("name", sorted(COUNTER_DENIED))
def test_a_counter_without_a_part_or_beside_doubled_text_stays_denied(name: str) -> None:
    assert _recurses(COUNTER_DENIED[name])


# functionary v3.2: a subscript by a name unpacked from a literal list of constant pairs
PAIRS = (
    "{% for m in messages %}{% for field, label in [('maximum', 'Maximum'), "
    "('maxLength', 'Maximum length')] %}{% if field in m %}{{ label }}={{ m[field] }}"
    "{% endif %}{% endfor %}{% endfor %}"
)
PAIRS_DENIED = {
    "row_from_data": PAIRS.replace("('maximum', 'Maximum')", "('maximum', m.content)").replace(
        "m[field]", "m[label]"
    ),
    "string_rows": PAIRS.replace(
        "[('maximum', 'Maximum'), ('maxLength', 'Maximum length')]", "['ab', 'cd']"
    ),
    "nested_row": PAIRS.replace("('maximum', 'Maximum')", "('maximum', ('a', 'b'))").replace(
        "m[field]", "m[label]"
    ),
}


def _computed_key(src: str) -> bool:
    return any(i.rule.rule_id == "AIR-JINJA-002" for i in analyze_template(src))


def test_a_key_unpacked_from_literal_constant_rows_is_plain() -> None:
    assert not _computed_key(PAIRS)


@pytest.mark.parametrize("name", sorted(PAIRS_DENIED))
def test_a_key_unpacked_from_other_rows_stays_computed(name: str) -> None:
    assert _computed_key(PAIRS_DENIED[name])
