"""tpl26: subscript keys read from what a macro's call sites pass (muse-glimmer's
``nd[tns]`` with ``tns`` cut from ``render_tool_defs(tools)``'s tools) and from a date-only
``strftime_now`` (hunyuan's ``weekday_map[strftime_now('%A')]``) are no longer "computed at
render time"; the attacks on those readings (bench/tpl26/gen_attacks.py) stay denied."""

from __future__ import annotations

import pytest
from bench.tpl26.gen_attacks import PRE, A

from airlock.scan.jinja_rules import analyze_template


def _ids(src: str) -> set[str]:
    return {i.rule.rule_id for i in analyze_template(src)}


# muse-glimmer's tool metadata (trimmed): the namespace prefix of each tool's name, gathered
# once, then looked up in the caller's descriptions
MUSE = """
{%- macro render_tool_defs(tools) -%}
    {%- set nsns = namespace(seen=[]) -%}
    {%- for tool in tools -%}
        {%- set fn = tool.function if tool.function is defined else tool -%}
        {%- set tns = fn.name.split('.')[0] -%}
        {%- if tns not in nsns.seen -%}{%- set nsns.seen = nsns.seen + [tns] -%}{%- endif -%}
    {%- endfor -%}
    {%- set nd = tool_namespace_descriptions if tool_namespace_descriptions is defined else {} -%}
    {%- for tns in nsns.seen -%}
        {{- '{"name": ' + (tns | tojson) + ', "description": ' + ((nd[tns] if tns in nd else '') | tojson) + '}' -}}
    {%- endfor -%}
{%- endmacro -%}
{%- if tools -%}{{- render_tool_defs(tools) -}}{%- endif -%}
{%- for m in messages -%}{{ m.role }}: {{ m.content }}{%- endfor -%}
"""  # noqa: E501

HUNYUAN = """
{%- set weekday_map = {'Monday': '星期一', 'Tuesday': '星期二', 'Sunday': '星期日'} -%}
{%- set weekday_cn = weekday_map[strftime_now('%A')] -%}
{%- set datetime_str = strftime_now('%Y-%m-%d %H:%M:%S') + ' ' + weekday_cn -%}
{{- datetime_str -}}{%- for m in messages -%}{{ m.content }}{%- endfor -%}
"""

HONEST = {
    "muse_glimmer": MUSE,
    "hunyuan_weekday": HUNYUAN,
    "param_from_data": "{% macro m(k) %}{{ x[k] }}{% endmacro %}{{ m(tools) }}{{ m(messages) }}",
    "param_plain_const": "{% macro m(k) %}{{ x[k] }}{% endmacro %}{{ m('a') }}{{ m(k='b') }}",
    "param_default_const": "{% macro m(k='role') %}{{ x[k] }}{% endmacro %}{{ m() }}",
    "cond_both_data": "{% for t in tools %}{{ x[t.name if t.name else t.id] }}{% endfor %}",
    "strip_data": "{% for t in tools %}{{ x[t.name.strip()] }}{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_real_readings_are_clean(name: str) -> None:
    assert analyze_template(HONEST[name]) == [], name


@pytest.mark.parametrize("name", sorted(A))
def test_attacks_on_the_readings_stay_denied(name: str) -> None:
    ids = _ids(PRE + A[name])
    want = "AIR-JINJA-009" if name.startswith("c_") else "AIR-JINJA-002"
    assert want in ids, (name, ids)


def test_a_parameter_reached_only_through_good_sites_is_a_key_another_site_spoils() -> None:
    good = "{% macro m(k) %}{{ x[k] }}{% endmacro %}{{ m(tools) }}"
    assert analyze_template(good) == []
    assert "AIR-JINJA-002" in _ids(PRE + good + "{{ m(T[1:n]) }}")
