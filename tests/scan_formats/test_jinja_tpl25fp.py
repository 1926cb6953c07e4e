"""tpl25fp: a loop's collection is "the enclosing item's" only when every value it may take
comes from that item — through names, inner loops' items and the ``set``s that reach the
read — never through a test, a comparison or the other side of ``and``/``or``."""

from __future__ import annotations

import pytest

from airlock.scan.jinja_rules import analyze_template

CONV = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"


def _ids(src: str) -> set[str]:
    return {i.rule.rule_id for i in analyze_template(src)}


# LFM2.5-8B-A1B's tool-call rendering: the argument strings of one call are gathered in a
# namespace made afresh per call and joined once per call (denied before: "4 loops over the
# conversation nested", the join read as a walk over the whole conversation)
LFM25_TOOL_CALLS = """
{%- macro format_arg_value(arg_value) -%}
    {%- if arg_value is string -%}{{- "'" + arg_value + "'" -}}
    {%- elif arg_value is mapping -%}{{- arg_value | tojson -}}
    {%- else -%}{{- arg_value | string -}}{%- endif -%}
{%- endmacro -%}
{%- macro render_tool_calls(tool_calls) -%}
    {%- set tool_calls_ns = namespace(tool_calls=[]) -%}
    {%- for tool_call in tool_calls -%}
        {%- set func_name = tool_call["function"]["name"] -%}
        {%- set func_args = tool_call["function"]["arguments"] -%}
        {%- set args_ns = namespace(arg_strings=[]) -%}
        {%- for arg_name, arg_value in func_args.items() -%}
            {%- set args_ns.arg_strings = args_ns.arg_strings
                + [arg_name + "=" + format_arg_value(arg_value)] -%}
        {%- endfor -%}
        {%- set tool_calls_ns.tool_calls = tool_calls_ns.tool_calls
            + [func_name + "(" + (args_ns.arg_strings | join(", ")) + ")"] -%}
    {%- endfor -%}
    {{- "<|tool_call_start|>[" + (tool_calls_ns.tool_calls | join(", ")) + "]<|tool_call_end|>"
    -}}
{%- endmacro -%}
{%- for message in messages -%}
    {%- if message.tool_calls is defined -%}{{- render_tool_calls(message.tool_calls) -}}
    {%- endif -%}
{%- endfor -%}
"""

# MiniCPM5: one tool call picked by an index the loop gives, after a set in the same body
PICKED_BY_INDEX = """
{%- for message in messages %}
  {%- set content_parts = message.content.split('<tool_sep>') %}
  {%- for i in range(1, content_parts|length) %}
    {%- set tool_index = i - 1 %}
    {%- if tool_index < message.tool_calls|length %}
      {%- set tool_call = message.tool_calls[tool_index] %}
      {%- if tool_call.function %}{%- set tool_call = tool_call.function %}{%- endif %}
      {%- set args_dict = tool_call.arguments %}
      {%- for k, v in args_dict.items() %}{{ k }}={{ v }}{%- endfor %}
    {%- endif %}
  {%- endfor %}
{%- endfor %}
{%- for message in messages %}{%- for tool_call in message.tool_calls %}{{ tool_call.name }}
{%- endfor %}{%- endfor %}
"""


def test_an_inner_loops_item_gathered_per_pass_is_the_items() -> None:
    assert "AIR-JINJA-009" not in _ids(LFM25_TOOL_CALLS)


def test_an_item_picked_by_the_loops_index_stays_the_items() -> None:
    assert "AIR-JINJA-009" not in _ids(PICKED_BY_INDEX)


# "a walk down the enclosing item" only in name: and_side, compared, ifexpr_chars,
# ifexpr_msgs, inner_loop_index_global and set_carried were ALLOW on c7d35d9; all but
# ifexpr_msgs (1.9 s at 20 messages, 100**5 passes at 100) ran past 60 s CPU in the sandbox
# on 20 messages of 2,000 characters
ATTACKS = {
    "ifexpr_chars": "{% for m in messages %}{% for c in m.content %}{% for a in (messages if c"
    " else messages) %}{% for d in a.content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "ifexpr_join": "{% set ns = namespace(a=[]) %}{% for m in messages %}{% for c in m.content %}"
    "{% for x in (messages if c else messages) %}{% set ns.a = ns.a + [x.content] %}{% endfor %}"
    "{{ ns.a|join|length }}{% endfor %}{% endfor %}",
    "ifexpr_msgs": "{% for m in messages %}{% for a in (messages if m else messages) %}{% for b in"
    " (messages if a else messages) %}{% for c in (messages if b else messages) %}{% for d in"
    " (messages if c else messages) %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    "{% endfor %}",
    "and_side": "{% for m in messages %}{% for c in m.content %}{% for a in (c and messages) %}"
    "{% for d in a.content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "or_default": "{% for m in messages %}{% for c in m.content %}{% for a in c|default(messages)"
    " %}{% for d in messages[0].content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "compared": "{% for m in messages %}{% for c in m.content %}{% for a in messages|selectattr("
    "'content', 'ne', c) %}{% for d in a.content %}.{% endfor %}{% endfor %}{% endfor %}"
    "{% endfor %}",
    # the inner-loop reading of this session: an item from the whole conversation
    "inner_loop_conversation": "{% set ns = namespace(a=[]) %}{% for m in messages %}{% for c in"
    " m.content %}{% for x in messages %}{% for k in x.content %}{% set ns.a = ns.a + [k] %}"
    "{% endfor %}{% endfor %}{{ ns.a|join|length }}{% endfor %}{% endfor %}",
    "inner_loop_name_reused": "{% set ns = namespace(a=[]) %}{% for k in messages %}{% set ns.a ="
    " ns.a + [k.content] %}{% endfor %}{% for m in messages %}{% for c in m.content %}{% for k in"
    " messages %}{% set ns.a = ns.a + [k.content] %}{% endfor %}{{ ns.a|join|length }}{% endfor %}"
    "{% endfor %}",
    "inner_loop_index_global": "{% for m in messages %}{% for c in m.content %}{% set i = c|length"
    " %}{% for a in messages[i:] %}{% for d in a.content %}.{% endfor %}{% endfor %}{% endfor %}"
    "{% endfor %}",
    "set_carried": "{% for m in messages %}{% for c in m.content %}{% set x = c %}{% if c %}{% set"
    " x = messages %}{% endif %}{% for a in x %}{% for d in a.content %}.{% endfor %}{% endfor %}"
    "{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_collection_only_tested_against_the_item_is_not_the_items(name: str) -> None:
    assert "AIR-JINJA-009" in _ids(ATTACKS[name] + CONV)
