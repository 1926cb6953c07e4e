"""Chat templates that hang or exhaust the renderer (red team rt12 f2, f5): loop nests over
constant ranges, huge constant ranges and repetitions, macros in loops, and macros recursing
on a counter were clean; transformers' apply_chat_template hangs or raises MemoryError on
them. Each is AIR-JINJA-009 (HIGH) wherever a template is read; real templates stay clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan
from airlock.scan.jinja_rules import analyze_template

from . import gguf_build as gb
from .templates import BENIGN

NESTED = "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"
COSTLY = {
    "nested ranges": NESTED,
    "string repetition": "{{ 'hi' * 999999999999 }}",
    "range of a power": "{% for i in range(10**12) %}{{ i }}{% endfor %}",
    "joined range": "{{ range(10**9)|join(',') }}",
    "list repetition": "{{ ([1] * 10**8)|length }}",
    "named bound": (
        "{% set n = 99999 %}{% for i in range(n) %}{% for j in range(n) %}.{% endfor %}{% endfor %}"
    ),
    "arithmetic bound": (
        "{% set a = 1000 %}{% set b = a * a * a %}{% for i in range(b) %}{% endfor %}"
    ),
    "macro in a loop": (
        "{% macro g() %}{% for i in range(5000) %}.{% endfor %}{% endmacro %}"
        "{% for i in range(5000) %}{{ g() }}{% endfor %}"
    ),
    "loop.cycle": (
        "{% for i in range(5000) %}{% for j in range(5000) %}{{ loop.cycle('a', 'b') }}"
        "{% endfor %}{% endfor %}"
    ),
    "repetition in a loop": "{% for i in range(1000) %}{{ 'x' * 100000 }}{% endfor %}",
    "branching recursion": (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(60) }}"
    ),
    "recursion in a loop": (
        "{% macro f(s) %}{% for c in s %}{{ f(s[1:]) }}{% endfor %}{% endmacro %}"
        "{{ f('abcdefghijklmnopqrstuvwxyz') }}"
    ),
    "data times a constant": "{% for i in range(messages|length * 10**9) %}{% endfor %}",
    "named list": (
        "{% set x = range(10**5)|list %}{% for i in x %}{% for j in x %}{% endfor %}{% endfor %}"
    ),
    "namespace doubling": (
        "{% set ns = namespace(s='x') %}{% for m in messages %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}"
    ),
    "name doubling": "{% set s = 'x' %}{% for i in range(60) %}{% set s = s * 2 %}{% endfor %}",
    "doubling recursion": (
        "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
        "{{ f('x', 60) }}"
    ),
    "center": "{{ 'x'|center(10**10) }}",
    "indent": "{{ messages[0].content|indent(999999999) }}",
    "ljust": "{{ 'x'.ljust(10**10) }}",
    "zfill": "{{ '1'.zfill(10**9) }}",
    "percent width": "{{ '%999999999s' % 'x' }}",
    "percent precision": "{{ '%.999999999f' % 1.5 }}",
    "format filter width": "{{ '%999999999s'|format('x') }}",
    "str.format width": "{{ '{:>999999999}'.format('x') }}",
    "lipsum": "{{ lipsum(10**6) }}",
    # rt15og: widths taken from the arguments (transformers built a 1 GB string; the scanner's
    # own constant folding built it too, 5.9 GB resident for w=6*10**9)
    "nested format width": "{{ '{:>{w}}'.format('x', w=999999999) }}",
    "positional format width": "{{ '{0:>{1}}'.format('x', 999999999) }}",
    "format_map width": "{{ '{a:>{w}}'.format_map({'a': 'x', 'w': 999999999}) }}",
    "percent star width": "{{ '%*s' % (999999999, 'x') }}",
    "percent mapping width": "{{ '%(a)999999999s' % {'a': 'x'} }}",
    # rt15og: more work the template fixes (transformers hung > 8 s or raised MemoryError)
    "tojson indent": "{{ messages|tojson(indent=999999999) }}",
    "slice count": "{{ range(10)|slice(999999999)|list|length }}",
    "batch fill": "{{ range(10)|batch(999999999, 'x')|list|length }}",
    "repetition of a repetition": "{{ (([1] * 100000) * 100000)|length }}",
    "replace amplifies": "{{ ('x' * 1000)|replace('x', 'x' * 1000)|replace('x', 'x' * 1000) }}",
    "replace of the empty string": "{{ ('x' * 100000)|replace('', 'y' * 100000) }}",
    "wordwrap string": "{{ ('x ' * 1000)|wordwrap(1, True, 'y' * 1000000) }}",
    # review16c: the wrap string given by keyword (transformers' sandbox: MemoryError at 2 GiB)
    "wordwrap keyword string": "{{ ('a ' * 100000)|wordwrap(wrapstring='y' * 30000, width=1) }}",
    "map wordwrap keyword string": (
        "{{ ['a ' * 100000]|map('wordwrap', 1, wrapstring='y' * 30000)|join }}"
    ),
    "join keyword separator": "{{ range(100000)|join(d='x' * 100000) }}",
    "sum of a range as a count": "{{ 'x' * (range(100000)|sum) }}",
    "str.count as a count": "{{ 'x' * (('a' * 100000).count('') * 30000) }}",
    "filter block wordwrap": (
        "{% filter wordwrap(1, wrapstring='y' * 30000) %}{{ 'a ' * 100000 }}{% endfilter %}"
    ),
    "filter block replace": (
        "{% filter replace('a', 'y' * 30000) %}{{ 'a' * 100000 }}{% endfilter %}"
    ),
    "loop over a literal dict's items": (
        "{% for k, v in {'a': 'x' * 100000}.items() %}{{ v * 30000 }}{% endfor %}"
    ),
    "loop over a literal dict's values": (
        "{% for v in {'a': 'x' * 100000}.values() %}{{ v * 30000 }}{% endfor %}"
    ),
    "loop unpacking a string and its count": (
        "{% for a, b in [('x' * 100000, 30000)] %}{{ a * b }}{% endfor %}"
    ),
    "caller output repeated": (
        "{% macro g() %}{{ caller() * 30000 }}{% endmacro %}"
        "{% call g() %}{{ 'x' * 100000 }}{% endcall %}"
    ),
    "block output repeated": (
        "{% block b %}{{ 'x' * 100000 }}{% endblock %}{{ self.b() * 30000 }}"
    ),
    "loop.previtem repeated": (
        "{% for s in ['x' * 100000, 'y'] %}{% if loop.previtem %}{{ loop.previtem * 30000 }}"
        "{% endif %}{% endfor %}"
    ),
    "default repeated": "{{ (nothing|default('x' * 100000)) * 30000 }}",
    "percent result repeated": "{{ ('%s' % ('x' * 100000)) * 30000 }}",
    "format result repeated": "{{ ('{}'.format('x' * 100000)) * 30000 }}",
    "split list repeated": "{{ (('x ' * 100000).split()) * 30000 }}",
    "namespace by ** repeated": (
        "{% set ns = namespace(**{'s': 'x' * 100000}) %}{{ ns.s * 30000 }}"
    ),
    "dict() value repeated": "{% set d = dict(s='x' * 100000) %}{{ d.s * 30000 }}",
    "str.join method": "{{ ('y' * 30000).join(['a'] * 100000) }}",
    "replace doubling in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s = ns.s|replace('a', 'aa') %}{% endfor %}{{ ns.s|length }}"
    ),
    "replace method doubling in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s = ns.s.replace('a', 'aa') %}{% endfor %}{{ ns.s|length }}"
    ),
    "format field twice in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s = '{0}{0}'.format(ns.s) %}{% endfor %}{{ ns.s|length }}"
    ),
    "doubling through a macro": (
        "{% macro f(s) %}{{ s }}{{ s }}{% endmacro %}{% set ns = namespace(s='ab') %}"
        "{% for i in range(32) %}{% set ns.s = f(ns.s) %}{% endfor %}{{ ns.s|length }}"
    ),
    "doubling through a set block": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}{% endfor %}{{ ns.s|length }}"
    ),
    "doubling through an alias": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}{% set t = ns.s %}"
        "{% set ns.s = t ~ ns.s %}{% endfor %}{{ ns.s|length }}"
    ),
    "fibonacci of two attributes": (
        "{% set ns = namespace(a='ab', b='ab') %}{% for i in range(32) %}"
        "{% set ns.a = ns.a ~ ns.b %}{% set ns.b = ns.a ~ ns.b %}{% endfor %}{{ ns.a|length }}"
    ),
    "list of itself repeated in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}{% set ns.s = [ns.s] * 2 %}"
        "{% endfor %}{{ ns.s|string|length }}"
    ),
    "bracketed self repeated in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s = (ns.s|default('')) * 2 %}{% endfor %}{{ ns.s|length }}"
    ),
    "percent mapping names itself twice in a loop": (
        "{% set ns = namespace(s='ab') %}{% for i in range(32) %}"
        "{% set ns.s = '%(a)s%(a)s' % {'a': ns.s} %}{% endfor %}{{ ns.s|length }}"
    ),
    "recursive loop over the same list under a depth guard": (
        "{% for x in [1, 2] recursive %}{% if loop.depth < 40 %}{{ loop([1, 2]) }}{% endif %}"
        "{% endfor %}"
    ),
    "recursive loop over the conversation": (
        "{% for x in messages recursive %}{% if loop.depth < 40 %}{{ loop(messages) }}"
        "{% endif %}{% endfor %}"
    ),
    "nested filter blocks doubling": (
        "{% filter replace('x', 'xx') %}" * 40 + "x" + "{% endfilter %}" * 40
    ),
    "doubling filter blocks padded past the analyser's depth": (
        "{% filter replace('x', 'xx') %}{% filter lower %}{% filter trim %}" * 40
        + "x"
        + "{% endfilter %}" * 120
    ),
    "count nested past the analyser's depth": "{{ 'x' * (3000000000" + " + 0" * 80 + ") }}",
    "range nested past the analyser's depth": (
        "{% for i in range(100000" + " + 0" * 80 + ") %}{% for j in range(100000) %}"
        "{% endfor %}{% endfor %}"
    ),
    "a constant loop printing a long value": (
        "{% set x = 'x' * 100000 %}{% for i in range(30000) %}{{ x }}{% endfor %}"
    ),
    "a constant loop printing long template text": (
        "{% for i in range(30000) %}" + "y" * 100000 + "{% endfor %}"
    ),
    "chained tojson": "{{ ('<' * 1000)" + "|tojson" * 25 + " }}",
    "chained pprint": "{{ ('\\\\' * 1000)" + "|pprint" * 25 + " }}",
    "lipsum words": "{{ lipsum(1, False, 99999998, 99999999) }}",
    "recursion on a namespace counter": (
        "{% set ns = namespace(d=0) %}{% macro f() %}{% set ns.d = ns.d + 1 %}"
        "{% if ns.d < 40 %}{{ f() }}{{ f() }}{% endif %}{% set ns.d = ns.d - 1 %}"
        "{% endmacro %}{{ f() }}"
    ),
    "recursion on unchanged arguments": (
        "{% set ns = namespace(d=0) %}{% macro f(n) %}{% set ns.d = ns.d + 1 %}"
        "{% if ns.d < 40 %}{{ f(n) }}{{ f(n) }}{% endif %}{% set ns.d = ns.d - 1 %}"
        "{% endmacro %}{{ f(1) }}"
    ),
    "mutual recursion": (
        "{% macro a(n) %}{{ b(n - 1) }}{{ b(n - 1) }}{% endmacro %}"
        "{% macro b(n) %}{% if n %}{{ a(n) }}{% endif %}{% endmacro %}{{ a(50) }}"
    ),
    # fix14jj: repetition through {% set %} (review14 m_*: MemoryError in the sandbox)
    "repeated set variable": (
        "{% set a = 'x' * 1000 %}{% set b = a * 1000 %}{{ (b * 10000)|length }}"
    ),
    "repeated set list": "{% set a = [1] * 100000 %}{{ (a * 100000)|length }}",
    "repeated namespace attribute": (
        "{% set ns = namespace(v='x' * 1000) %}{% set ns.v = ns.v * 1000 %}"
        "{{ (ns.v * 10000)|length }}"
    ),
    "repeated set block": (
        "{% set a %}{{ 'x' * 1000 }}{% endset %}{% set b = a * 1000 %}{{ (b * 10000)|length }}"
    ),
    "repeated branch assignment": (
        "{% set a = 'y' %}{% if true %}{% set a = 'x' * 1000 %}{% endif %}"
        "{% set b = a * 1000 %}{{ (b * 10000)|length }}"
    ),
    "repeated loop accumulator": (
        "{% set ns = namespace(v='') %}{% for i in range(1000) %}"
        "{% set ns.v = ns.v ~ 'x' * 1000 %}{% endfor %}{{ (ns.v * 10000)|length }}"
    ),
    "repeated reassignment": (
        "{% set a = 'x' %}{% set a = a * 100 %}{% set a = a * 100 %}{% set a = a * 100 %}"
        "{{ (a * 100000)|length }}"
    ),
    "repeated end of a long set-block chain": (
        "{% set a0 %}{{ 'x' * 1000 }}{% endset %}"
        + "".join(f"{{% set a{i} %}}{{{{ a{i - 1} }}}}{{% endset %}}" for i in range(1, 100))
        + "{{ (a99 * 10**6)|length }}"
    ),
    "repeated macro result": (
        "{% macro m() %}{{ 'x' * 1000 }}{% endmacro %}{{ (m() * 10**6)|length }}"
    ),
    "repeated macro default": (
        "{% macro m(a='x' * 1000) %}{{ (a * 10**6)|length }}{% endmacro %}{{ m() }}"
    ),
    "repeated macro argument": (
        "{% macro m(a) %}{{ (a * 10**6)|length }}{% endmacro %}{{ m('x' * 1000) }}"
    ),
    "repeated with variable": "{% with a = 'x' * 1000 %}{{ (a * 10**6)|length }}{% endwith %}",
    "repeated loop item": "{% for a in ['x' * 1000] %}{{ (a * 10**6)|length }}{% endfor %}",
    "repeated dict item": "{% set d = {'k': 'x' * 1000} %}{{ (d['k'] * 10**6)|length }}",
    "repeated join of a repeated list": (
        "{% set s = (['x' * 1000] * 1000)|join(',') %}{{ (s * 10**4)|length }}"
    ),
    "self-concatenation outside a loop": "{% set a = 'x' %}" + "{% set a = a ~ a %}" * 40,
    "repeated filtered concatenation": (
        "{% set a = ('x' * 10)|string ~ 'y' %}{% set b = a * 1000 %}{{ (b * 10**6)|length }}"
    ),
    # rt16cfg: sizes the estimator did not follow (MemoryError or >20 s in transformers'
    # sandbox, 3 GB cap): a join's separator, a dict literal's values, map() applying a
    # padding filter, integer powers, growth by a name or a power in a loop, nested call blocks
    "join with a long separator": "{{ range(99999) | join('x' * 100000) }}",
    "repeated dict literal": "{% set d = {'a': 'x' * 100000} %}{{ (d | string) * 100000 }}",
    "map applying a padding filter": (
        "{{ range(99999) | map('string') | map('center', 100000) | join | length }}"
    ),
    "constant power": "{{ (10 ** 100000000) > 1 }}",
    "chained powers": "{{ (10 ** 10 ** 10 ** 10 ** 10 ** 10 ** 10 ** 10 ** 10) > 1 }}",
    "power in a loop": (
        "{% set ns = namespace(n=10) %}{% for i in range(64) %}{% set ns.n = ns.n ** 2 %}"
        "{% endfor %}{{ ns.n > 0 }}"
    ),
    "repetition by a name in a loop": (
        "{% set two = 2 %}{% set ns = namespace(s='x') %}{% for i in range(64) %}"
        "{% set ns.s = ns.s * two %}{% endfor %}{{ ns.s|length }}"
    ),
    # rt16cfg: loops over iterables whose length the estimator did not follow (>20 s)
    "loops over repeated strings": (
        "{% for x in 'x' * 99999 %}{% for y in 'y' * 99999 %}{% endfor %}{% endfor %}"
    ),
    "loops over repeated lists": (
        "{% for x in [0] * 99999 %}{% for y in [0] * 99999 %}{% endfor %}{% endfor %}"
    ),
    "loops over mapped ranges": (
        "{% for x in range(99999)|map('string') %}{% for y in range(99999)|select %}"
        "{% endfor %}{% endfor %}"
    ),
    "loops over a name bound to a repeated string": (
        "{% set s = 'x' * 99999 %}{% for x in s %}{% for y in s %}{% endfor %}{% endfor %}"
    ),
    "nested call blocks": (
        "{% macro f() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        + "{% call f() %}" * 40
        + "x"
        + "{% endcall %}" * 40
    ),
}


@pytest.mark.parametrize("name", list(COSTLY))
def test_costly_template_is_denied(name: str) -> None:
    issues = [i for i in analyze_template(COSTLY[name]) if i.rule.rule_id == "AIR-JINJA-009"]
    assert issues and issues[0].rule.severity == Severity.HIGH, (name, issues)


HONEST = {
    "review16c sum, count, filter block, join(d=)": (
        "{{ [1, 2, 3]|sum }}{{ messages|map(attribute='content')|map('length')|sum }}"
        "{% filter replace('\\n', ' ') %}{{ 'a b'.count(' ') }}{% endfilter %}"
        "{{ messages|map(attribute='role')|join(d=', ') }}"
    ),
    "review16c escapes and defaults": (
        "{{ messages|tojson }}{{ messages[0]|tojson(indent=2)|e }}{{ messages|pprint }}"
        "{{ (x|default('-')) * 3 }}{{ ('%s' % 'ab') * 2 }}{{ 'a b'.split() * 2 }}"
    ),
    "review16c accumulators": (
        "{% set ns = namespace(t='', p='') %}{% for m in messages %}"
        "{% set ns.t = ns.t|replace('<think>', '') %}"
        "{% set ns.p = '{}\\n{}'.format(ns.p, m.content) %}"
        "{% set ns.p = ns.p ~ m.content|replace('\\n', ' ') %}{% set ns.t = ns.t|trim %}"
        "{% endfor %}{{ ', '.join(messages|map(attribute='role')) }}{{ ns.p }}"
    ),
    "review16c carried values": (
        "{% macro fmt(s) %}[{{ s }}]{% endmacro %}"
        "{% set ns = namespace(out='', last='', prev='', cur='') %}{% for m in messages %}"
        "{% set ns.last = m.content %}{% set ns.out = ns.out ~ ns.last %}"
        "{% set c = m.content|trim %}{% set ns.out = ns.out ~ c ~ fmt(m.content) %}"
        "{% set ns.prev = ns.cur %}{% set ns.cur = m.content %}"
        "{% set ns.out = '%s%s' % (ns.out, m.content) %}{% set ns.out = ns.out * 1 %}"
        "{% endfor %}{{ ns.out }}"
    ),
    "review16c recursive loops over items": (
        "{% for x in tools recursive %}{{ x.name }}{% if x.children %}{{ loop(x.children) }}"
        "{% endif %}{% endfor %}{% for x in messages recursive %}"
        "{{ loop(x.children|default([])) }}{% endfor %}"
        "{% for k, v in {'a': {'b': {}}}|dictsort recursive %}{{ k }}{{ loop(v|dictsort) }}"
        "{% endfor %}"
    ),
    "review16c small constant loops printing": (
        "{% for i in range(3) %}{{ tools|tojson }}{{ messages[0].content }}----{% endfor %}"
    ),
    "review16c literal loops": (
        "{% for w, n in [(2, 3), (4, 5)] %}{{ w * n }}{{ '-' * n }}{% endfor %}"
        "{% for k, v in {'user': '<|user|>', 'assistant': '<|a|>'}.items() %}{{ k }}{{ v }}"
        "{% endfor %}{% for tag in ['<s>', '</s>'] %}{{ tag * 2 }}{% endfor %}"
    ),
    "data-bound loops": (
        "{% for m in messages %}{% for i in range(messages|length) %}{{ '  ' * loop.index }}"
        "{% endfor %}{% endfor %}"
    ),
    "small constant loops": (
        "{% for i in range(100) %}{% for j in range(100) %}{{ i * j }}{% endfor %}{% endfor %}"
    ),
    "indent repetition": "{{ ' ' * 4 }}{{ '-' * 80 }}{{ message.content * 2 }}",
    "schema recursion": (
        '{%- macro py_type(spec) %}{%- if spec.type == "array" %}{{ "list[" + '
        'py_type(spec|items) + "]" }}{%- elif spec.type == "object" %}{{ "dict[str, " + '
        'py_type(spec.additionalProperties) + "]" }}{%- elif spec.type is iterable %}'
        '{%- for t in spec.type %}{{ py_type({"type": t}) }}{%- endfor %}{%- endif %}'
        "{%- endmacro %}{% for tool in tools %}{{ py_type(tool.parameters) }}{% endfor %}"
    ),
    "accumulator": (
        "{% set ns = namespace(s='') %}{% for m in messages %}"
        "{% set ns.s = ns.s + m.content %}{% endfor %}{{ ns.s }}"
    ),
    "data ranges": (
        "{% for i in range(1, messages|length + 1) %}{% endfor %}"
        "{% for i in range(messages|length - 1, -1, -1) %}{{ messages[i] }}{% endfor %}"
    ),
    "widths and formats": (
        "{{ content|indent(4) }}{{ 'x'|center(80) }}{{ '%s: %s'|format(a, b) }}"
        "{{ '{}{}'.format(a, b) }}{{ '%05d' % 3 }}{{ '%d' % 1234567 }}{{ loop.index % 2 }}"
    ),
    "linear recursion": (
        "{% macro d(n) %}{% if n > 0 %}-{{ d(n - 1) }}{% endif %}{% endmacro %}{{ d(3) }}"
    ),
    "tool json and text edits": (
        "{% for t in tools %}{{ t|tojson(indent=4) }}{{ t.description|replace('\\n', ' ') }}"
        "{{ t.description|replace('', '') }}{{ t.description|wordwrap(80) }}{% endfor %}"
        "{{ messages|batch(2)|list|length }}{{ ('-' * 40)|replace('-', '=') }}"
    ),
    "schema recursion over items": (
        "{% macro s(p) %}{% for k, v in p.properties|items %}{{ k }}{{ s(v) }}{% endfor %}"
        "{% if p.items %}{{ s(p.items) }}{% endif %}{% endmacro %}"
        "{% for t in tools %}{{ s(t.parameters) }}{% endfor %}"
    ),
    "set variables and accumulators": (
        "{% set sep = '-' * 80 %}{% set ns = namespace(s='') %}{% for m in messages %}"
        "{{ sep * 2 }}{% set ns.s = ns.s ~ m.content %}{% endfor %}{{ ns.s }}"
    ),
    "call blocks, map chains, small powers": (
        "{%- macro wrap(role) -%}<|{{ role }}|>{{ caller() }}<|end|>{%- endmacro -%}"
        "{%- set ns = namespace(count=0, pos=1) -%}{%- for message in messages -%}"
        "{%- set ns.count = ns.count + 1 -%}{%- set ns.pos = ns.pos * 1 -%}"
        "{%- call wrap(message.role) -%}{{ message.content }}{%- endcall -%}{%- endfor -%}"
        "{{ messages | map(attribute='content') | map('string') | map('trim') | join('\\n') }}"
        "{{ tools | map('tojson') | join('\\n\\n') if tools else '' }}"
        "{{ (messages | length) ** 2 }}{{ 2 ** 10 }}{%- set sep = '=' * 40 -%}"
        "{{ ['a', 'b'] | join(sep) }}{{ {'a': 'x'} | tojson }}"
        "{{ range(messages|length) | map('string') | join(', ') }}"
    ),
    # iintothewind's Qwen fix: the loop variable is rebound on every pass, nothing doubles
    "loop variable reassigned from itself": (
        "{% for k, v in messages[0]|items %}"
        "{% set v = v|string if v is string else v|tojson %}{{ v }}{% endfor %}"
    ),
}


@pytest.mark.parametrize("name", sorted(BENIGN) + list(HONEST))
def test_real_and_honest_templates_have_no_cost_finding(name: str) -> None:
    source = BENIGN.get(name) or HONEST[name]
    assert [i for i in analyze_template(source) if i.rule.rule_id == "AIR-JINJA-009"] == []


def _write_every_location(root: Path, template: str) -> None:
    """The template in every place a repository carries one."""
    (root / "string").mkdir()
    (root / "string" / "tokenizer_config.json").write_text(json.dumps({"chat_template": template}))
    (root / "list").mkdir()
    listed = [
        {"name": "default", "template": "{{ x }}"},
        {"name": "tool_use", "template": template},
    ]
    (root / "list" / "tokenizer_config.json").write_text(json.dumps({"chat_template": listed}))
    (root / "jinja").mkdir()
    (root / "jinja" / "chat_template.jinja").write_text(template)
    (root / "extra" / "additional_chat_templates").mkdir(parents=True)
    (root / "extra" / "additional_chat_templates" / "rag.jinja").write_text(template)
    (root / "json").mkdir()
    (root / "json" / "chat_template.json").write_text(json.dumps({"chat_template": template}))
    (root / "gguf").mkdir()
    (root / "gguf" / "m.gguf").write_bytes(
        gb.build([gb.kv_string("tokenizer.chat_template", template)])
    )


LOCATIONS = ("string", "list", "jinja", "extra", "json", "gguf")


def test_every_template_location_is_judged(tmp_path: Path) -> None:
    _write_every_location(tmp_path, NESTED)
    report = scan(tmp_path)
    hits = {
        Path(f.location).relative_to(tmp_path).parts[0]
        for f in report.findings
        if f.rule_id == "AIR-JINJA-009"
    }
    assert hits == set(LOCATIONS), report.findings


def test_every_template_location_is_clean_for_a_real_template(tmp_path: Path) -> None:
    _write_every_location(tmp_path, BENIGN["qwen_tools"])
    report = scan(tmp_path)
    assert [f for f in report.findings if f.rule_id.startswith("AIR-JINJA")] == []


def test_folding_never_applies_a_format_whose_widths_it_does_not_fix() -> None:
    """rt15og: the constant folder applied attacker formats in the scanner's own process
    (``'{:>{w}}'.format('x', w=6*10**9)`` took 31 s and 5.9 GB, then judged nothing). A width
    from the arguments, a fixed width past the fold limit, or a field lookup is not folded."""
    from airlock.scan.jinja_rules import _environment, _Folder, format_widths

    def fold(expr: str) -> object:
        node = _environment().parse("{{ " + expr + " }}").body[0].nodes[0]
        return _Folder().value(node)

    assert fold("'{:>6}'.format('ab')") == "    ab"
    assert fold("'%-4s|' % 'ab'") == "ab  |"
    assert fold("'{:>{w}}'.format('ab', w=6)") is None
    assert fold("'%*s' % (6, 'ab')") is None
    assert fold("'{:>5000}'.format('ab')") is None
    assert fold("'{0.real}'.format(1)") is None
    assert format_widths("{:>{w}.{p}f}", percent=False) == (0, True)
    assert format_widths("%(k)12.3f %s", percent=True) == (12, False)
    assert format_widths("{", percent=False) == (0, True)


def test_real_sandbox_builds_what_the_new_cost_rules_bound(tmp_path: Path) -> None:
    """Oracle (scaled down, in a subprocess): transformers' sandboxed template really builds
    these sizes, so the full-size forms above are the loader's work, not the estimator's."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    scaled = {
        "{{ range(99) | join('x' * 100) }}": 98 * 100 + 10 + 89 * 2,
        "{% set d = {'a': 'x' * 100} %}{{ (d | string) * 10 }}": 10 * (100 + 9),
        "{{ range(10) | map('string') | map('center', 100) | join }}": 1000,
        "{{ 10 ** 10 ** 2 }}": 21,  # (10 ** 10) ** 2: Jinja groups powers left
        "{% macro f() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        + "{% call f() %}" * 5
        + "x"
        + "{% endcall %}" * 5: 32,
    }
    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "ts = json.load(sys.stdin)\n"
        "out = [len(_compile_jinja_template(t).render(messages=[])) for t in ts]\n"
        "print(json.dumps(out))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(list(scaled)),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(run.stdout) == list(scaled.values())


# Session 16 (rt17tpl): counts the template fixes but reaches through a container, a filter,
# a with/macro/call-block binding or a number spelled in text. Each built 3 GB (or hung) in
# transformers' sandbox while the analyser, which folded only literals and set names, said clean.
_N = "3000000000"
HIDDEN_COUNTS = {
    "dict attribute": "{% set m = {'n': N} %}{{ 'x' * m.n }}",
    "dict ranges": "{% set m = {'n': 100000} %}{% for i in range(m.n) %}"
    "{% for j in range(m['n']) %}x{% endfor %}{% endfor %}",
    "list index": "{% set m = [N] %}{{ 'x' * m[0] }}",
    "first of a literal": "{{ 'x' * ([N]|first) }}",
    "max of a literal": "{{ 'x' * ([1, N]|max) }}",
    "sum": "{{ 'x' * ([1500000000, 1500000000]|sum) }}",
    "numeric string": "{{ 'x' * ('N'|int) }}",
    "float string": "{{ 'x' * ('3e9'|float|int) }}",
    "padding from a dict": "{% set m = {'w': N} %}{{ 'x'|center(m.w) }}",
    "with": "{% with n = N %}{{ 'x' * n }}{% endwith %}",
    "macro default": "{% macro f(n=N) %}{{ 'x' * n }}{% endmacro %}{{ f() }}",
    "macro argument": "{% macro f(n) %}{{ 'x' * n }}{% endmacro %}{{ f(N) }}",
    "caller argument": "{% macro f(n) %}{{ caller(n) }}{% endmacro %}"
    "{% call(k) f(N) %}{{ 'x' * k }}{% endcall %}",
    "loop attributes": "{% for i in range(100000) %}{% if loop.last %}"
    "{{ 'x' * (loop.length * loop.length) }}{% endif %}{% endfor %}",
    "power of a dict item": "{% set m = {'e': 100000000} %}{{ 7 ** m.e }}",
    "power of a numeric string": "{{ (10 ** ('100000000'|int))|string|length }}",
    "nested dict": "{% set m = {'a': {'b': N}} %}{{ 'x' * m.a.b }}",
    "dict values": "{% set m = {'a': N} %}{% for v in m.values() %}{{ 'x' * v }}{% endfor %}",
    "macro output": "{% macro n() %}N{% endmacro %}{{ 'x' * (n()|int) }}",
    "set block": "{% set n %}N{% endset %}{{ 'x' * (n|int) }}",
    # held-out miss (rt17tpl t6): the number is printed into the block, not written as text
    "set block printing a number": "{% set s %}a {{ N }} b{% endset %}"
    "{{ 'x' * (s.split()[1]|int) }}",
    "split": "{{ 'x' * ('a,N'.split(',')[1]|int) }}",
    "sum start": "{{ 'x' * ([1]|sum(start=N)) }}",
    "unpacked": "{% set a, b = N, 1 %}{{ 'x' * a }}",
    "default filter": "{{ 'x' * (undefined_thing|default(N)) }}",
}


@pytest.mark.parametrize("name", sorted(HIDDEN_COUNTS))
def test_counts_reached_through_containers_and_bindings_are_denied(name: str) -> None:
    issues = analyze_template(HIDDEN_COUNTS[name].replace("N", _N))
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in issues}, (name, issues)


def test_hidden_counts_really_build_in_the_sandbox() -> None:
    """Oracle (scaled down to 10**5, in a subprocess): transformers' sandbox follows every
    route above, so the full-size forms are the loader's work."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    small = [
        t.replace("N", "100000")
        for t in HIDDEN_COUNTS.values()
        if "N" in t and not any(w in t for w in ("range", "**", "loop", "float"))
    ]
    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "ts = json.load(sys.stdin)\n"
        "print(json.dumps([len(_compile_jinja_template(t).render(messages=[])) for t in ts]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(small),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert all(n >= 100000 for n in json.loads(run.stdout)), run.stdout


def test_conversation_loops_nested_four_deep_are_denied() -> None:
    """rt17tpl: six loops over ``messages`` nested in one another scanned clean (each counts
    one pass when the conversation decides its length); 20 messages make 6.4 * 10**7 passes
    in transformers' sandbox, 100 make 10**12. Loops over an item's parts are its data."""
    nest = "{% for a in messages %}" * 4 + "x" + "{% endfor %}" * 4
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(nest)}
    via_macro = (
        "{% macro m() %}{% for c in tools %}{% for d in messages %}x{% endfor %}{% endfor %}"
        "{% endmacro %}{% for a in messages %}{% for b in messages %}{{ m() }}{% endfor %}"
        "{% endfor %}"
    )
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(via_macro)}
    parts = (
        "{% for m in messages %}{% for t in m.tool_calls %}{% for k, v in t.arguments|items %}"
        "{% for x in v %}{{ x }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
        "{% for a in messages %}{% for b in messages %}{{ a == b }}{% endfor %}{% endfor %}"
    )
    assert analyze_template(parts) == []


# Session 16 (fixjinja, review16 F5): |int / |float read their default and base arguments.
# The count of each is 3,000,000,000 (transformers' sandbox built the 3 GB string); the
# analyser read only the text (unparseable, or hex) and said clean.
INT_ARGUMENTS = {
    "base 16": "'B2D05E00'|int(0, 16)",
    "base 0, prefixed": "'0xB2D05E00'|int(0, 0)",
    "base 2": "'10110010110100000101111000000000'|int(0, 2)",
    "base keyword": "'B2D05E00'|int(base=16)",
    "default": "'zz'|int(3000000000)",
    "default keyword": "'zz'|int(default=3000000000)",
    "float default": "'zz'|float(3e9)|int",
    "float default keyword": "'zz'|float(default=3e9)|int",
    "default through a name": "'zz'|int(n)",
    "inside a list": "['B2D05E00'|int(0, 16)]|first",
    "map base": "['B2D05E00']|map('int', 0, 16)|first",
    "map default": "['zz']|map('int', 3000000000)|max",
}


@pytest.mark.parametrize("name", sorted(INT_ARGUMENTS))
def test_int_and_float_arguments_are_followed(name: str) -> None:
    count = INT_ARGUMENTS[name]
    for src in (
        "{% set n = 3000000000 %}{{ 'x' * (" + count + ") }}",
        "{% set n = 3000000000 %}{% set k = " + count + " %}{% for i in range(k) %}{% endfor %}",
    ):
        issues = analyze_template(src)
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in issues}, (src, issues)


def test_int_base_on_unfolded_text_is_unbounded_and_honest_conversions_stay_clean() -> None:
    hidden = "{% for m in messages %}{{ 'x' * (m.content|int(0, 16)) }}{% endfor %}"
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(hidden)}
    honest = (
        "{% for m in messages %}{{ loop.index|string }}{{ m.n|int(0) }}{{ m.x|float(1.5) }}"
        "{{ 'x' * ('12'|int(0, 16)) }}{{ m.k|int(base=10) }}{% endfor %}"
        "{{ messages|map(attribute='n')|map('int')|sum }}"
    )
    assert analyze_template(honest) == []


def test_int_arguments_really_give_the_count_in_the_sandbox() -> None:
    """Oracle: transformers' sandbox evaluates each count above to 3,000,000,000 (printed,
    not repeated)."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "ts = json.load(sys.stdin)\n"
        "print(json.dumps([_compile_jinja_template(t).render(messages=[]) for t in ts]))\n"
    )
    srcs = ["{% set n = 3000000000 %}{{ (" + c + ")|int }}" for c in INT_ARGUMENTS.values()]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(srcs),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(run.stdout) == ["3000000000"] * len(srcs), run.stdout


_THREE_LOOPS = (
    "{% for x in messages %}{% for y in messages %}{% for z in messages %}BODY"
    "{% endfor %}{% endfor %}{% endfor %}"
)
FILTER_PASSES = {
    "selectattr list": "{{ messages|selectattr('role', 'equalto', 'user')|list|length }}",
    "map join": "{{ messages|map(attribute='content')|join }}",
    "behind default": "{{ messages|default([])|selectattr('role')|list }}",
    "in test": "{{ 'x' in messages }}",
    "tojson": "{{ messages|tojson }}",
}


@pytest.mark.parametrize("name", sorted(FILTER_PASSES))
def test_filter_passes_over_the_conversation_count_in_the_nest(name: str) -> None:
    """review16 F10: a filter walking the conversation inside three nested message loops is a
    fourth pass (transformers' sandbox: 6.5 s at 40 messages, 65.6 s at 60); O(1) reads of it
    and filters over a loop item's parts are not."""
    nest = _THREE_LOOPS.replace("BODY", FILTER_PASSES[name])
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(nest)}
    two = nest.replace("{% for z in messages %}", "").replace("{% endfor %}", "", 1)
    assert analyze_template(two) == []
    via_macro = (
        "{% macro f() %}"
        + FILTER_PASSES[name]
        + "{% endmacro %}"
        + _THREE_LOOPS.replace("BODY", "{{ f() }}")
    )
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(via_macro)}


def test_constant_time_reads_and_item_filters_in_a_nest_stay_clean() -> None:
    body = (
        "{{ messages|length }}{{ messages|first }}{{ loop.index|string }}{{ z.content|trim }}"
        "{{ (messages|length - 1)|string }}{{ z.tool_calls|map(attribute='name')|join }}"
    )
    assert analyze_template(_THREE_LOOPS.replace("BODY", body)) == []


# Session 17 (fixjcost, review17 F3): passes and value sizes were bounded each on its own,
# never their product. A 99,999-item list or 999,999-character string the template fixes, walked
# by a linear operation on every pass of a nest under 10**6 passes, kept transformers' sandbox
# busy for hours. Each pass is now charged the work of what it reads or builds.
_BIG_LIST = "{% set big = range(99999)|list %}"
_BIG_TEXT = "{% set big = 'a' * 999999 %}"
_NEST = "{% for i in range(999) %}{% for j in range(999) %}OP{% endfor %}{% endfor %}"
PER_PASS_WORK = {
    "sort": _BIG_LIST + _NEST.replace("OP", "{% set x = big|sort|first %}"),
    "index": _BIG_LIST + _NEST.replace("OP", "{% set x = big.index(99998) %}"),
    "count": _BIG_LIST + _NEST.replace("OP", "{% set x = big.count(1) %}"),
    "upper": _BIG_TEXT + _NEST.replace("OP", "{% set x = big.upper() %}"),
    "in": _BIG_TEXT + _NEST.replace("OP", "{% if 'b' in big %}x{% endif %}"),
    "equal": _BIG_TEXT + _NEST.replace("OP", "{% if big == big ~ '' %}x{% endif %}"),
    "split": "{% set big = range(99999)|join(',') %}"
    + _NEST.replace("OP", "{% set x = big.split(',') %}"),
    "slice": _BIG_LIST + _NEST.replace("OP", "{{ big[1:]|first }}"),
    "unique": _BIG_LIST + "{% for i in range(999) %}{{ big|unique|first }}{% endfor %}",
    "tojson": _BIG_LIST + "{% for i in range(999) %}{{ big|tojson|length }}{% endfor %}",
    "in a macro": _BIG_LIST
    + "{% macro f() %}{{ big|reverse|first }}{% endmacro %}"
    + _NEST.replace("OP", "{{ f() }}"),
    "in a call block": _BIG_LIST
    + "{% macro w() %}{% for i in range(999) %}{{ caller() }}{% endfor %}{% endmacro %}"
    + "{% for j in range(999) %}{% call w() %}{{ big|select|first }}{% endcall %}{% endfor %}",
    "under conversation loops": _BIG_LIST
    + "{% for a in messages %}{% for b in messages %}{{ big|sort|first }}{% endfor %}{% endfor %}",
    "conversation method as a pass": "{% for m in messages %}"
    + _NEST.replace("OP", "{{ messages.index(m) }}")
    + "{% endfor %}",
    "conversation text in a nest": _NEST.replace(
        "OP", "{% if 'zz' in messages|string %}{% endif %}"
    ),
    "nest under the conversation": "{% for m in messages %}"
    + _NEST.replace("OP", "{{ m.role }}")
    + "{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(PER_PASS_WORK))
def test_passes_times_per_pass_work_is_bounded(name: str) -> None:
    issues = analyze_template(PER_PASS_WORK[name] + "{{ messages[0].content }}")
    work = [i for i in issues if i.rule.rule_id == "AIR-JINJA-009"]
    assert work and work[0].rule.severity == Severity.HIGH, (name, issues)


def test_small_fixed_loops_and_constant_time_reads_stay_clean() -> None:
    """The same shapes with work real templates do: a few fixed passes, O(1) reads of a big
    value, operations on short literals inside conversation loops."""
    for src in (
        _BIG_LIST + "{{ big|sort|first }}{{ big|length }}{{ big|first }}",
        _BIG_TEXT + _NEST.replace("OP", "{% set n = big|length %}").replace("999", "99"),
        "{% for i in range(3) %}{{ i }}{{ messages[i].content|trim if messages|length > i }}"
        "{% endfor %}",
        "{% set roles = ['user', 'assistant', 'system', 'tool'] %}{% for m in messages %}"
        "{% for t in messages %}{% if m.role in roles and 'x' in t.content %}{{ t.content|upper }}"
        "{% endif %}{% endfor %}{% endfor %}",
    ):
        assert analyze_template(src) == [], src


def test_per_pass_work_really_walks_the_whole_value_in_the_sandbox() -> None:
    """Oracle (two passes, in a subprocess): transformers' sandbox builds the 99,999-item list
    and walks all of it on every pass (the index found is the last item's)."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    src = (
        _BIG_LIST + "{% for i in range(2) %}{{ big.index(99998) }},{{ big|sort|last }};{% endfor %}"
    )
    code = (
        "import sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "print(_compile_jinja_template(sys.stdin.read()).render(messages=[]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], input=src, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() == "99998,99998;99998,99998;"


# Session 18 (rt19fmt): loops over an item's parts counted no pass at all, so loops nested over
# the same message's characters were clean: three over ``m.content`` render 2 messages of
# 300 characters in 2.9 s in transformers' sandbox and 1,000 characters in over 100 s (cubic).
ITEM_PART_NESTS = {
    "three over one message": (
        "{% for m in messages %}{% for a in m.content %}{% for b in m.content %}"
        "{% for c in m.content %}{% if a == b == c %}{% endif %}{% endfor %}{% endfor %}"
        "{% endfor %}{{ m.content }}{% endfor %}"
    ),
    "two over one message": (
        "{% for m in messages %}{% for a in m.content %}{% for b in m.content %}"
        "{{ a == b }}{% endfor %}{% endfor %}{% endfor %}"
    ),
    "a fixed message's text": (
        "{% for a in messages[0].content %}{% for b in messages[0]['content'] %}"
        "{{ a == b }}{% endfor %}{% endfor %}"
    ),
    "through a name": (
        "{% set c = messages[-1].content %}{% for a in c %}{% for b in c %}{{ a == b }}"
        "{% endfor %}{% endfor %}"
    ),
    "through a namespace": (
        "{% set ns = namespace(c='') %}{% for m in messages %}{% set ns.c = m.content %}"
        "{% endfor %}{% for a in ns.c %}{% for b in ns.c %}{{ a == b }}{% endfor %}{% endfor %}"
    ),
    "a filter over the message inside a walk of it": (
        "{% for m in messages %}{% for a in m.content %}"
        "{{ m.content|select('equalto', a)|list|length }}{% endfor %}{% endfor %}"
    ),
    "through a macro argument": (
        "{% macro w(s) %}{% for a in s %}{% for b in s %}{% for c in s %}.{% endfor %}"
        "{% endfor %}{% endfor %}{% endmacro %}{% for m in messages %}{{ w(m.content) }}"
        "{% endfor %}"
    ),
}


@pytest.mark.parametrize("name", sorted(ITEM_PART_NESTS))
def test_loops_nested_over_one_items_parts_are_denied(name: str) -> None:
    ids = {i.rule.rule_id for i in analyze_template(ITEM_PART_NESTS[name])}
    assert "AIR-JINJA-009" in ids, name


def test_walks_down_an_items_parts_stay_clean() -> None:
    """A walk down the data (each loop over the enclosing loop's item) costs the data's size,
    and a lookup loop over the tools per tool call is tools x calls: both stay clean."""
    honest = (
        "{% for m in messages %}{% if m.content is string %}{{ m.content }}{% else %}"
        "{% for p in m.content %}{% if p.type == 'text' %}{{ p.text }}{% endif %}{% endfor %}"
        "{% endif %}{% for tc in m.tool_calls or [] %}{% for t in tools or [] %}"
        "{% if t.function.name == tc.function.name %}{{ t.function.name }}{% endif %}"
        "{% for k, v in t.function.parameters.properties|items %}{{ k }}{% endfor %}{% endfor %}"
        "{% for k, v in tc.function.arguments|items %}{{ k }}={{ v|tojson }}{% endfor %}"
        "{% endfor %}{% endfor %}"
        "{% set loop_messages = messages[1:] %}{% for message in loop_messages %}"
        "{{ message.content }}{% endfor %}{% for m in messages[::-1] %}{{ m.role }}{% endfor %}"
        "{% for a in messages[0].content %}{{ a }}{% endfor %}"
        "{% for message in messages %}{% for tc in message.tool_calls or [] %}"
        "{% if '</think>' in message.content %}{{ tc.function.name }}{% endif %}"
        "{{ message.content|trim }}{% endfor %}{% endfor %}"
    )
    assert analyze_template(honest) == []


def test_loops_over_one_messages_characters_really_multiply_in_the_sandbox() -> None:
    """Oracle (in a subprocess): transformers' sandbox walks 60 characters three times nested
    (216,000 inner passes, counted in the output)."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    src = (
        "{% for m in messages %}{% for a in m.content %}{% for b in m.content %}"
        "{% for c in m.content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    )
    code = (
        "import sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "msgs = [{'role': 'user', 'content': 'x' * 60}]\n"
        "print(len(_compile_jinja_template(sys.stdin.read()).render(messages=msgs)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], input=src, capture_output=True, text=True, timeout=300
    )
    assert run.stdout.strip() == str(60**3), run.stderr[-500:]


# review19 / session 18 (fixtext19): a macro recursing through a callee its name does not
# spell (an alias, a macro handed on as a value, a call block's ``caller``, a block's
# ``self``). The call graph saw direct calls only: ``{% set h = f %}`` and ``h(n - 1)`` twice
# was clean while transformers' sandbox took 5.45 s at n=17 (2**n calls). Each leaf prints x.
_LEAF = "{% else %}x{% endif %}"
RECURSION_THROUGH_VALUES = {
    "set alias": "{% macro f(n) %}{% if n > 0 %}{{ h(n - 1) }}{{ h(n - 1) }}" + _LEAF
    + "{% endmacro %}{% set h = f %}{{ f(N) }}",
    "set alias inside the macro": "{% macro f(n) %}{% set h = f %}{% if n > 0 %}"
    "{{ h(n - 1) }}{{ h(n - 1) }}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "with alias": "{% macro f(n) %}{% with h = f %}{% if n > 0 %}{{ h(n - 1) }}"
    "{{ h(n - 1) }}" + _LEAF + "{% endwith %}{% endmacro %}{{ f(N) }}",
    "namespace attribute": "{% macro f(n) %}{% if n > 0 %}{{ ns.g(n - 1) }}{{ ns.g(n - 1) }}"
    + _LEAF + "{% endmacro %}{% set ns = namespace(g=f) %}{{ f(N) }}",
    "namespace attribute set later": "{% set ns = namespace(g=none) %}{% macro f(n) %}"
    "{% if n > 0 %}{{ ns.g(n - 1) }}{{ ns.g(n - 1) }}" + _LEAF + "{% endmacro %}"
    "{% set ns.g = f %}{{ f(N) }}",
    "namespace attribute named like a method": "{% macro f(n) %}{% if n > 0 %}"
    "{{ ns.split(n - 1) }}{{ ns.split(n - 1) }}" + _LEAF + "{% endmacro %}"
    "{% set ns = namespace(split=f) %}{{ f(N) }}",
    "loop variable": "{% macro f(n) %}{% if n > 0 %}{% for g in [f, f] %}{{ g(n - 1) }}"
    "{% endfor %}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "macro argument": "{% macro f(n, k) %}{% if n > 0 %}{{ k(n - 1, k) }}{{ k(n - 1, k) }}"
    + _LEAF + "{% endmacro %}{{ f(N, f) }}",
    "macro default": "{% macro f(n, k=f) %}{% if n > 0 %}{{ k(n - 1) }}{{ k(n - 1) }}"
    + _LEAF + "{% endmacro %}{{ f(N) }}",
    "varargs": "{% macro f(n) %}{% if n > 0 %}{{ varargs[0](n - 1, varargs[0]) }}"
    "{{ varargs[0](n - 1, varargs[0]) }}" + _LEAF + "{% endmacro %}{{ f(N, f) }}",
    "conditional callee": "{% macro f(n) %}{% if n > 0 %}{{ (f if n else f)(n - 1) }}"
    "{{ (f if n else f)(n - 1) }}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "list item": "{% macro f(n) %}{% if n > 0 %}{{ [f][0](n - 1) }}{{ [f][0](n - 1) }}"
    + _LEAF + "{% endmacro %}{{ f(N) }}",
    "dict key": "{% macro f(n) %}{% if n > 0 %}{{ {'a': f}.a(n - 1) }}"
    "{{ {'a': f}['a'](n - 1) }}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "filter result": "{% macro f(n) %}{% if n > 0 %}{{ ([f]|first)(n - 1) }}"
    "{{ ([f]|first)(n - 1) }}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "cycler": "{% macro f(n) %}{% if n > 0 %}{{ c.next()(n - 1) }}{{ c.next()(n - 1) }}"
    + _LEAF + "{% endmacro %}{% set c = cycler(f, f) %}{{ f(N) }}",
    "builtin name rebound": "{% macro f(n) %}{% if n > 0 %}{{ range(n - 1) }}"
    "{{ range(n - 1) }}" + _LEAF + "{% endmacro %}{% set range = f %}{{ f(N) }}",
    "macro name rebound": "{% macro g(n) %}{% endmacro %}{% macro f(n) %}{% if n > 0 %}"
    "{{ g(n - 1) }}{{ g(n - 1) }}" + _LEAF + "{% endmacro %}{% set g = f %}{{ f(N) }}",
    "second macro of a name": "{% macro f(n) %}{% endmacro %}{% macro f(n) %}{% if n > 0 %}"
    "{{ f(n - 1) }}{{ f(n - 1) }}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "mutual through an alias": "{% macro a(n) %}{% if n > 0 %}{{ bb(n - 1) }}{{ bb(n - 1) }}"
    + _LEAF + "{% endmacro %}{% macro b(n) %}{{ a(n) }}{% endmacro %}{% set bb = b %}"
    "{{ a(N) }}",
    "namespace counter through an alias": "{% set ns = namespace(d=0) %}{% macro f() %}"
    "{% set ns.d = ns.d + 1 %}{% if ns.d <= N %}{{ h() }}{{ h() }}{% else %}x{% endif %}"
    "{% set ns.d = ns.d - 1 %}{% endmacro %}{% set h = f %}{{ f() }}",
    "caller runs the recursion": "{% macro g() %}{{ caller() }}{{ caller() }}{% endmacro %}"
    "{% macro f(n) %}{% if n > 0 %}{% call g() %}{{ f(n - 1) }}{% endcall %}" + _LEAF
    + "{% endmacro %}{{ f(N) }}",
    "caller with an argument": "{% macro g(m) %}{{ caller(m - 1) }}{{ caller(m - 1) }}"
    "{% endmacro %}{% macro f(n) %}{% if n > 0 %}{% call(k) g(n) %}{{ f(k) }}{% endcall %}"
    + _LEAF + "{% endmacro %}{{ f(N) }}",
    "caller handed on": "{% macro run(c) %}{{ c() }}{{ c() }}{% endmacro %}"
    "{% macro g() %}{{ run(caller) }}{% endmacro %}{% macro f(n) %}{% if n > 0 %}"
    "{% call g() %}{{ f(n - 1) }}{% endcall %}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "caller of an aliased macro": "{% macro g() %}{{ caller() }}{{ caller() }}{% endmacro %}"
    "{% set gg = g %}{% macro f(n) %}{% if n > 0 %}{% call gg() %}{{ f(n - 1) }}"
    "{% endcall %}" + _LEAF + "{% endmacro %}{{ f(N) }}",
    "block through self": "{% set ns = namespace(d=0) %}{% block b %}{% set ns.d = ns.d + 1 %}"
    "{% if ns.d <= N %}{{ self.b() }}{{ self.b() }}{% else %}x{% endif %}"
    "{% set ns.d = ns.d - 1 %}{% endblock %}",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(RECURSION_THROUGH_VALUES))
def test_recursion_through_a_callee_the_text_does_not_name_is_denied(name: str) -> None:
    issues = analyze_template(RECURSION_THROUGH_VALUES[name].replace("N", "40"))
    found = [i for i in issues if i.rule.rule_id == "AIR-JINJA-009" and "recurses" in i.evidence]
    assert found, (name, issues)


def test_recursion_through_values_really_doubles_in_the_sandbox() -> None:
    """Oracle (in a subprocess, n=6): transformers' sandbox renders every spelling above and
    each prints 2**6 leaves: the calls the text does not name do run the macro twice."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = [_compile_jinja_template(t).render(messages=[]).count('x')"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [t.replace("N", "6") for t in RECURSION_THROUGH_VALUES.values()]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    counts = json.loads(run.stdout or "null")
    assert counts == [2**6] * len(sources), (list(RECURSION_THROUGH_VALUES), counts, run.stderr)


def test_macros_handed_on_without_recursion_stay_clean() -> None:
    """Macros used as values, call blocks inside macros (one nested in another's body),
    method calls and a block rendered once: no unit re-enters itself, nothing is reported."""
    honest = (
        "{% macro fmt(x) %}{{ x.strip() }}{{ x.lower() }}{{ x.split(',')|join }}{% endmacro %}"
        "{% set formatter = fmt %}{% for m in messages %}{{ formatter(m.content) }}{% endfor %}"
        "{% macro wrap(role) %}<|{{ role }}|>{{ caller() }}<|end|>{% endmacro %}"
        "{% macro a(m) %}{% call wrap('a') %}{{ b(m) }}{% endcall %}{% endmacro %}"
        "{% macro b(m) %}{% call wrap('b') %}{{ m.content }}{% endcall %}{% endmacro %}"
        "{% for m in messages %}{{ a(m) }}{% endfor %}"
        "{% macro render(p) %}{% for k, v in p.properties|items %}{{ k }}{{ r(v) }}{% endfor %}"
        "{% endmacro %}{% set r = render %}{% for t in tools %}{{ r(t.parameters) }}{% endfor %}"
        "{% block system %}{{ messages[0].content }}{% endblock %}{{ self.system() }}"
    )
    assert [i for i in analyze_template(honest) if i.rule.rule_id == "AIR-JINJA-009"] == []


def test_a_macro_defined_again_is_costed_too() -> None:
    """The cost model kept a name's first definition: an empty first ``g`` hid a second that
    loops 20,000 times, called 20,000 times (4e8 passes; transformers' sandbox: 9e6 in ~2.7 s).
    Each later definition is costed in its place; honest alternatives stay clean."""
    costly = (
        "{% macro g() %}{% endmacro %}{% macro g() %}{% for i in range(20000) %}{% set x = i %}"
        "{% endfor %}{% endmacro %}{% for i in range(20000) %}{{ g() }}{% endfor %}"
    )
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(costly)}
    honest = (
        "{% if a %}{% macro f(m) %}<{{ m.content }}>{% endmacro %}{% else %}"
        "{% macro f(m) %}[{{ m.content }}]{% endmacro %}{% endif %}"
        "{% for m in messages %}{{ f(m) }}{% endfor %}"
    )
    assert analyze_template(honest) == []


# session 18 (fixjrec): recursion twice per level on a value built from the parameter (``~``, a
# string filter or method, ``+``) behind a guard on that value: no argument reads a part of the
# data, so nothing but the guard ends it (transformers' sandbox: 2^n calls). Recursion that
# reads a named part of its parameter (``p.properties``, ``v`` of ``p|items``) ends with the data.
_GUARD = "{% if s|length < N %}"
RECURSION_ON_BUILT_VALUES = {
    "concatenation": "{% macro f(s) %}" + _GUARD + "{{ f(s ~ 'x') }}{{ f(s ~ 'y') }}" + _LEAF
    + "{% endmacro %}{{ f('') }}",
    "replace filter": "{% macro f(s) %}{% if s %}{{ f(s|replace('a', '', 1)) }}"
    "{{ f(s|replace('a', '', 1)) }}" + _LEAF + "{% endmacro %}{{ f('a' * N) }}",
    "replace method": "{% macro f(s) %}{% if s %}{{ f(s.replace('a', '', 1)) }}"
    "{{ f(s.replace('a', '', 1)) }}" + _LEAF + "{% endmacro %}{{ f('a' * N) }}",
    "format filter": "{% macro f(s) %}" + _GUARD + "{{ f('%sx'|format(s)) }}"
    "{{ f('%sy'|format(s)) }}" + _LEAF + "{% endmacro %}{{ f('') }}",
    "join": "{% macro f(s) %}" + _GUARD + "{{ f([s, 'x']|join) }}{{ f([s, 'y']|join) }}"
    + _LEAF + "{% endmacro %}{{ f('') }}",
    "through an alias": "{% macro f(s) %}" + _GUARD + "{{ h(s ~ 'x') }}{{ h(s ~ 'y') }}"
    + _LEAF + "{% endmacro %}{% set h = f %}{{ f('') }}",
    "loop over built values": "{% macro f(s) %}" + _GUARD + "{% for t in [s ~ 'x', s ~ 'y'] %}"
    "{{ f(t) }}{% endfor %}" + _LEAF + "{% endmacro %}{{ f('') }}",
    "set variable": "{% macro f(s) %}" + _GUARD + "{% set t = s ~ 'x' %}{{ f(t) }}{{ f(t) }}"
    + _LEAF + "{% endmacro %}{{ f('') }}",
    "mutual": "{% macro a(s) %}" + _GUARD + "{{ b(s ~ 'x') }}{{ b(s ~ 'y') }}" + _LEAF
    + "{% endmacro %}{% macro b(s) %}{{ a(s) }}{% endmacro %}{{ a('') }}",
    "item of a string beside a counter": "{% macro f(c, s) %}" + _GUARD
    + "{{ f(c[0], s ~ 'x') }}{{ f(c|first, s ~ 'y') }}" + _LEAF + "{% endmacro %}{{ f('a', '') }}",
    "wrapped loop item beside a counter": "{% macro f(d, s) %}" + _GUARD
    + "{% for c in d.a %}{{ f({'a': c}, s ~ 'x') }}{{ f({'a': c}, s ~ 'y') }}{% endfor %}"
    + _LEAF
    + "{% endmacro %}{{ f({'a': 'z'}, '') }}",
    "named part of a namespace that holds itself": "{% set ns = namespace(a=none, d=0) %}"
    "{% set ns.a = ns %}{% macro f(x) %}{% set ns.d = ns.d + 1 %}{% if ns.d <= N %}"
    "{{ f(x.a) }}{{ f(x.a) }}{% else %}x{% endif %}{% set ns.d = ns.d - 1 %}{% endmacro %}"
    "{{ f(ns) }}",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(RECURSION_ON_BUILT_VALUES))
def test_recursion_on_values_built_from_the_parameter_is_denied(name: str) -> None:
    issues = analyze_template(RECURSION_ON_BUILT_VALUES[name].replace("N", "40"))
    found = [i for i in issues if i.rule.rule_id == "AIR-JINJA-009" and "recurses" in i.evidence]
    assert found, (name, issues)


def test_recursion_on_built_values_really_doubles_in_the_sandbox() -> None:
    """Oracle (in a subprocess, n=6): transformers' sandbox renders 2**6 leaves for each."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = [_compile_jinja_template(t).render(messages=[]).count('#')"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [t.replace("N", "6") for t in RECURSION_ON_BUILT_VALUES.values()]
    # the leaf prints one 'x'; count leaves with a marker the arguments never contain
    sources = [t.replace("{% else %}x{% endif %}", "{% else %}#{% endif %}") for t in sources]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    counts = json.loads(run.stdout or "null")
    assert counts == [2**6] * len(sources), (list(RECURSION_ON_BUILT_VALUES), counts, run.stderr)


def test_recursion_that_reads_a_part_of_its_data_stays_clean() -> None:
    """Path-building schema renderers (a prefix built with ``~`` beside a named part of the
    schema), a recursion once per level on a built value, and a literal wrapping a part."""
    honest = (
        "{% macro props(p, prefix) %}{% for k, v in p.properties|items %}"
        "{{ prefix ~ k }}: {{ v.type }}{{ props(v, prefix ~ k ~ '.') }}{% endfor %}"
        "{% if p.items is defined %}{{ props(p.items, prefix ~ '[].') }}{% endif %}{% endmacro %}"
        "{% for t in tools %}{{ props(t.function.parameters, '') }}{% endfor %}"
        "{% macro render(schema, indent) %}{% for name, sub in schema.properties.items() %}"
        "{{ ' ' * indent }}{{ name }}{{ render(sub, indent ~ '  ') }}"
        "{{ render(schema['properties'][name], '  ' ~ indent) }}{% endfor %}{% endmacro %}"
        "{% for t in tools %}{{ render(t.parameters, '') }}{% endfor %}"
        "{% macro once(s) %}{% if s|length < 40 %}{{ once(s ~ 'x') }}{% endif %}{% endmacro %}"
        "{{ once('') }}"
        "{% macro val(v, indent) %}{% if v is mapping %}{% for k in v %}{{ indent ~ k }}"
        "{{ val(v[k], indent ~ ' ') }}{% endfor %}{% elif v is iterable and v is not string %}"
        "{% for x in v %}{{ val(x, indent ~ '-') }}{{ val(x, indent ~ '+') }}{% endfor %}"
        "{% else %}{{ v }}{% endif %}{% endmacro %}{{ val(tools, '') }}"
        "{% macro ty(spec) %}{% for t in spec.type %}{{ ty({'type': t}) }}{% endfor %}"
        "{{ ty(spec.items) }}{% endmacro %}{% for t in tools %}{{ ty(t.parameters) }}{% endfor %}"
    )
    assert [i for i in analyze_template(honest) if i.rule.rule_id == "AIR-JINJA-009"] == []


# Session 19 (rt20tpl), fixjrec's open item: two calls on the same part of data the template
# itself nests deep (``f(d.a)`` twice on a literal 40 deep, 441 bytes) were clean; transformers'
# sandbox rendered 2**14 leaves in 0.24 s and 2**18 in 6.1 s (2**40 never ends). The
# conversation's data is as deep as a real one; data the template writes is as deep as it says.
def _nested(depth: int, wrap: str = "{'a': X}") -> str:
    text = "'z'"
    for _ in range(depth):
        text = wrap.replace("X", text)
    return text


_TWICE = (
    "{% macro f(d) %}{% if d.a is defined %}{{ f(d.a) }}{{ f(d.a) }}{% else %}#{% endif %}"
    "{% endmacro %}"
)
DEEP_TEMPLATE_DATA = {
    "a literal": lambda n: _TWICE + "{{ f(" + _nested(n) + ") }}",
    "a chain of set names": lambda n: (
        "{% set d0 = 'z' %}"
        + "".join(f"{{% set d{i + 1} = {{'a': d{i}}} %}}" for i in range(n))
        + _TWICE
        + f"{{{{ f(d{n}) }}}}"
    ),
    "a namespace wrapped again on every pass": lambda n: (
        "{% set ns = namespace(d='z') %}"
        "{% for i in range(N) %}{% set ns.d = {'a': ns.d} %}{% endfor %}".replace("N", str(n))
        + _TWICE
        + "{{ f(ns.d) }}"
    ),
    "dict() calls and item spellings": lambda n: (
        "{% macro f(d) %}{% if d['a'] is defined %}"
        "{{ f(d['a']) }}{{ f(d['a']) }}{% else %}#{% endif %}{% endmacro %}"
        "{{ f(" + _nested(n, "dict(a=X)") + ") }}"
    ),
    "one site in a fixed loop": lambda n: (
        "{% macro f(d) %}{% if d.a is defined %}"
        "{% for i in range(2) %}{{ f(d.a) }}{% endfor %}{% else %}#{% endif %}{% endmacro %}"
        "{{ f(" + _nested(n) + ") }}"
    ),
    "a default argument": lambda n: (
        "{% macro f(d=" + _nested(n) + ") %}{% if d.a is defined %}"
        "{{ f(d.a) }}{{ f(d.a) }}{% else %}#{% endif %}{% endmacro %}{{ f() }}"
    ),
}


@pytest.mark.parametrize("name", sorted(DEEP_TEMPLATE_DATA))
def test_recursion_twice_per_call_on_deep_template_data_is_denied(name: str) -> None:
    issues = analyze_template(DEEP_TEMPLATE_DATA[name](40))
    found = [i for i in issues if i.rule.rule_id == "AIR-JINJA-009" and "recurses" in i.evidence]
    assert found, (name, issues)


def test_recursion_on_deep_template_data_really_doubles_in_the_sandbox() -> None:
    """Oracle (in a subprocess, 8 deep): transformers' sandbox renders 2**8 leaves for each."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = [_compile_jinja_template(t).render(messages=[]).count('#')"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [make(8) for make in DEEP_TEMPLATE_DATA.values()]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    counts = json.loads(run.stdout or "null")
    assert counts == [2**8] * len(sources), (list(DEEP_TEMPLATE_DATA), counts, run.stderr)


def test_recursion_on_shallow_template_data_and_the_conversation_stays_clean() -> None:
    """Two sites per call on a literal a few levels deep, or on the conversation's own data
    (a tool schema), and values the template rebuilds without wrapping (list appends,
    string accumulators in a loop) stay clean."""
    honest = (
        _TWICE
        + "{{ f("
        + _nested(6)
        + ") }}{% for t in tools %}{{ f(t.function.parameters) }}{% endfor %}"
        "{% set ns = namespace(calls=[], text='') %}{% for m in messages %}"
        "{% set ns.calls = ns.calls + [{'name': m.role, 'args': [m.content]}] %}"
        "{% set ns.text = ns.text ~ m.content %}{% endfor %}{{ f(ns.calls) }}"
    )
    assert [i for i in analyze_template(honest) if i.rule.rule_id == "AIR-JINJA-009"] == []


# Session 19 (rt20tpl), rt19fmt's open item: a walk down one message's characters with a
# second walk of the whole conversation inside (quadratic in the conversation's characters:
# transformers' sandbox 11.7 s at 6 messages of 2,000 characters, over 40 s at 20) counted
# three loops and was clean. A walk down to text inside a free loop that is itself inside
# another counts, as does the text a serialising filter makes of the conversation.
_OUTER = "{% for m in messages %}{% for a in m.content %}INNER{% endfor %}{% endfor %}"
TEXT_WALK_NESTS = {
    "a second walk": _OUTER.replace(
        "INNER",
        "{% for m2 in messages %}{% for b in m2.content %}{% if a == b %}.{% endif %}"
        "{% endfor %}{% endfor %}",
    ),
    "names set to the texts": "{% for m in messages %}{% set c = m.content %}{% for a in c %}"
    "{% for m2 in messages %}{% set d = m2['content'] %}{% for b in d %}{% if a == b %}."
    "{% endif %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "the inner walk in a macro given the text": "{% macro w(s, a) %}{% for b in s %}"
    "{% if a == b %}.{% endif %}{% endfor %}{% endmacro %}"
    + _OUTER.replace("INNER", "{% for m2 in messages %}{{ w(m2.content, a) }}{% endfor %}"),
    "both inner loops in a macro": "{% macro w(a) %}{% for m2 in messages %}"
    "{% for b in m2.content %}{% if a == b %}.{% endif %}{% endfor %}{% endfor %}"
    "{% endmacro %}" + _OUTER.replace("INNER", "{{ w(a) }}"),
    "a callback filter over the inner text": _OUTER.replace(
        "INNER", "{% for m2 in messages %}{{ m2.content|select('equalto', a)|join }}{% endfor %}"
    ),
    "words of each text": _OUTER.replace("m.content", "m.content.split(' ')").replace(
        "INNER",
        "{% for m2 in messages %}{% for b in m2.content.split(' ') %}{% if a == b %}.{% endif %}"
        "{% endfor %}{% endfor %}",
    ),
    "the conversation joined into one text": "{% set t = messages|map(attribute='content')|join"
    " %}{% for a in t %}{% for b in t %}{% if a == b %}.{% endif %}{% endfor %}{% endfor %}",
    "the tools as JSON text": _OUTER.replace(
        "INNER", "{% for b in tools|tojson %}{% if a == b %}.{% endif %}{% endfor %}"
    ),
}


@pytest.mark.parametrize("name", sorted(TEXT_WALK_NESTS))
def test_text_walks_nested_in_conversation_loops_are_denied(name: str) -> None:
    ids = {i.rule.rule_id for i in analyze_template(TEXT_WALK_NESTS[name])}
    assert "AIR-JINJA-009" in ids, name


def test_text_walks_really_multiply_in_the_sandbox() -> None:
    """Oracle (in a subprocess): two messages of 30 equal characters and one tool; each
    template prints once per pair of characters it compares (the tool as JSON: 32)."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "msgs = [{'role': r, 'content': 'x' * 30} for r in ('user', 'assistant')]\n"
        "tools = ['x' * 28]\n"
        "out = [_compile_jinja_template(t).render(messages=msgs, tools=tools).count('.')"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [TEXT_WALK_NESTS[k] for k in ("a second walk", "both inner loops in a macro")]
    sources += [TEXT_WALK_NESTS["the conversation joined into one text"]]
    sources += [TEXT_WALK_NESTS["the tools as JSON text"].replace("a == b", "a == 'x'")]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    counts = json.loads(run.stdout or "null")
    assert counts == [60 * 60, 60 * 60, 60 * 60, 60 * 32], (counts, run.stderr[-500:])


def test_walks_down_short_parts_in_nested_loops_stay_clean() -> None:
    """A tool lookup per tool call walking the tool's properties, a message's parts walked
    with a lookup inside, and a macro rendering a message's content per message."""
    honest = (
        "{% macro render(content) %}{% if content is string %}{{ content }}{% else %}"
        "{% for p in content %}{{ p.text }}{% endfor %}{% endif %}{% endmacro %}"
        "{% for m in messages %}{{ render(m.content) }}"
        "{% for tc in m.tool_calls or [] %}{% for t in tools or [] %}"
        "{% for k, v in t.function.parameters.properties|items %}{{ k }}{% endfor %}"
        "{% for e in t.function.parameters.required %}{{ e }}{% endfor %}{% endfor %}"
        "{% for k, v in tc.function.arguments.items() %}{{ k }}{% endfor %}{% endfor %}"
        "{% for m2 in messages %}{% if m2.content|length > 0 %}{{ m2.role }}{% endif %}"
        "{% for k, v in m2|items %}{{ k }}{% endfor %}{% endfor %}{% endfor %}"
    )
    assert analyze_template(honest) == []


# Session 19 (rt20tpl), attacking the cost model further: each was clean, and transformers'
# sandbox at 20 messages of 2,000 characters took 1.5-1.7 GiB (counts sized by the
# conversation), hit MemoryError (tojson twice a pass through an alias) or never ended (a
# recursive loop twice a pass on a 40-deep literal). Doubling through an alias needs more
# messages than 20 (2**21 characters at 20; 2**64 at the gate's 64).
_ALIAS = (
    "{% set ns = namespace(s='a') %}{% for m in messages %}{% set s = ns.s %}"
    "{% set ns.s = EXPR %}{% endfor %}{{ ns.s|length }}"
)
CONVERSATION_SIZED = {
    "doubling through an alias": _ALIAS.replace("EXPR", "s * 2"),
    "replace doubling through an alias": _ALIAS.replace("EXPR", "s|replace('a', 'aa')"),
    "replace of the empty string through an alias": _ALIAS.replace("EXPR", "s.replace('', 'a')"),
    "tojson twice through an alias": _ALIAS.replace("EXPR", "s|tojson|tojson"),
    "a recursive loop twice a pass on deep data": "{% set d = "
    + _nested(40)
    + " %}{% for k, v in d|items recursive %}{% if v is mapping %}{{ loop(v|items) }}"
    "{{ loop(v|items) }}{% else %}.{% endif %}{% endfor %}",
    "expandtabs of many tabs": "{{ ('\\t' * 1000).expandtabs(10 ** 6)|length }}",
    "a power of the conversation's length repeated": "{{ 'x' * (messages|length) ** 7 }}",
    "a power of the conversation's length as a width": "{{ 'x'|center((messages|length) ** 7) }}",
    "a %-width from the conversation": "{{ '%*s' % ((messages|length) ** 7, 'x') }}",
    "the conversation's characters squared": "{{ 'x' * (messages|map(attribute='content')"
    "|join|length) ** 2 }}",
    "slices counted by the conversation": "{{ messages|slice((messages|length) ** 6)|list }}",
}


@pytest.mark.parametrize("name", sorted(CONVERSATION_SIZED))
def test_counts_and_doubling_the_conversation_sizes_are_denied(name: str) -> None:
    ids = {i.rule.rule_id for i in analyze_template(CONVERSATION_SIZED[name])}
    assert "AIR-JINJA-009" in ids, name


def test_counts_the_conversation_sizes_really_build_in_the_sandbox() -> None:
    """Oracle (in a subprocess, 3 messages, 10 for the alias): the sizes the rules bound."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = []\n"
        "for t, n in json.load(sys.stdin):\n"
        "    msgs = [{'role': 'user', 'content': 'ab'}] * n\n"
        "    out.append(_compile_jinja_template(t).render(messages=msgs).strip())\n"
        "print(json.dumps(out))\n"
    )
    sources = [
        (CONVERSATION_SIZED["doubling through an alias"], 10),
        (CONVERSATION_SIZED["replace of the empty string through an alias"], 10),
        ("{{ ('x' * (messages|length) ** 7)|length }}", 3),
        ("{{ ('%*s' % ((messages|length) ** 7, 'x'))|length }}", 3),
        ("{{ messages|slice((messages|length) ** 6)|list|length }}", 3),
    ]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    got = json.loads(run.stdout or "null")
    assert got == [str(2**10), str(2**11 - 1), str(3**7), str(3**7), str(3**6)], (
        got,
        run.stderr[-500:],
    )


def test_counts_a_real_conversation_keeps_small_stay_clean() -> None:
    honest = (
        "{{ '-' * (messages|length) }}{% for m in messages %}{{ ' ' * (loop.index * 4) }}"
        "{{ '%*s' % (loop.index, '') }}{{ m.content|indent(4) }}{{ m.content|center(80) }}"
        "{% endfor %}{{ ('\\t' * 3).expandtabs(4) }}{{ messages|batch(2)|list|length }}"
        "{{ (messages|length) ** 2 }}{{ '=' * ((messages|length) // 2) }}"
        "{% set ns = namespace(s='') %}{% for m in messages %}{% set s = ns.s %}"
        "{% set ns.s = s ~ m.content|replace('\\n', ' ') %}{% endfor %}{{ ns.s }}"
        "{% for t in tools recursive %}{% if t.children %}{{ loop(t.children) }}{% else %}"
        "{{ loop(t.items|default([])) }}{% endif %}{% endfor %}"
    )
    assert [i for i in analyze_template(honest) if i.rule.rule_id == "AIR-JINJA-009"] == []


# Session 19 (rt20tpl): the conversation's whole text (a serialising filter over it) walked
# per character of a message, and call blocks whose macro loops over the conversation nested
# in one another (the body runs inside the macro's loops). Each was clean; transformers'
# sandbox passed the 30 s timeout on each at 20 messages of 2,000 characters (string_in:
# 23.8 s).
_PER_CHAR = "{% for m in messages %}{% for a in m.content %}OP{% endfor %}{% endfor %}"
_WHOLE = "messages|map(attribute='content')|join"
WHOLE_TEXT_PER_CHARACTER = {
    "select over the joined text": _PER_CHAR.replace(
        "OP", "{{ " + _WHOLE + "|select('equalto', a)|list|length }}"
    ),
    "unique of the joined text": _PER_CHAR.replace("OP", "{{ " + _WHOLE + "|unique|list }}"),
    "wordcount of the conversation as a string": _PER_CHAR.replace(
        "OP", "{{ messages|string|wordcount }}"
    ),
    "in the conversation as a string": _PER_CHAR.replace(
        "OP", "{{ (a ~ m.content) in (messages|string) }}"
    ),
    "loop.cycle of the joined text": _PER_CHAR.replace("OP", "{{ loop.cycle(*" + _WHOLE + ") }}"),
    "call blocks of a conversation loop nested": "{% macro w() %}{% for m in messages %}"
    "{{ caller() }}{% endfor %}{% endmacro %}{% call w() %}{% call w() %}{% call w() %}"
    "{% call w() %}.{% endcall %}{% endcall %}{% endcall %}{% endcall %}",
    "a call block walking text inside one": "{% macro each() %}{% for m in messages %}"
    "{% for a in m.content %}{{ caller() }}{% endfor %}{% endfor %}{% endmacro %}"
    "{% call each() %}{% call each() %}.{% endcall %}{% endcall %}",
}


@pytest.mark.parametrize("name", sorted(WHOLE_TEXT_PER_CHARACTER))
def test_whole_text_per_character_and_nested_call_blocks_are_denied(name: str) -> None:
    ids = {i.rule.rule_id for i in analyze_template(WHOLE_TEXT_PER_CHARACTER[name])}
    assert "AIR-JINJA-009" in ids, name


def test_nested_call_blocks_really_multiply_in_the_sandbox() -> None:
    """Oracle (in a subprocess): 3 messages, 4 nested call blocks: 3**4 bodies."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "msgs = [{'role': 'user', 'content': 'ab'}] * 3\n"
        "print(_compile_jinja_template(sys.stdin.read()).render(messages=msgs).count('.'))\n"
    )
    src = WHOLE_TEXT_PER_CHARACTER["call blocks of a conversation loop nested"]
    run = subprocess.run(
        [sys.executable, "-c", code], input=src, capture_output=True, text=True, timeout=300
    )
    assert run.stdout.strip() == str(3**4), run.stderr[-500:]


def test_whole_text_once_per_message_and_call_blocks_stay_clean() -> None:
    honest = (
        "{% macro wrap(role) %}<|{{ role }}|>{{ caller() }}<|end|>{% endmacro %}"
        "{% macro each_tool() %}{% for t in tools %}{{ caller(t) }}{% endfor %}{% endmacro %}"
        "{% for m in messages %}{% call wrap(m.role) %}{{ m.content }}{% endcall %}"
        "{% if loop.first %}{{ tools|tojson }}{% endif %}"
        "{% for line in m.content.split('\\n') %}{{ line|trim }}{% endfor %}{% endfor %}"
        "{% call(t) each_tool() %}{{ t|tojson }}{% endcall %}"
    )
    assert analyze_template(honest) == []


# Session 19 (rt20tpl), false positives on real templates: Qwen 3.6's upstream template (and
# 9 forks of Qwen 3.5/3.6 templates) were AIR-JINJA-009 "value doubles on every loop pass":
# ``set v = args[k]`` then ``set v = v|tojson if ... else v|string`` rewrites this pass's own
# fresh value, and ``set c = ...`` at the top of a pass then ``c[:p] + '</think>' + c[p:]``
# never carries into the next pass. Values given afresh (reading nothing the loop sets, nor a
# namespace the loop writes through a macro) reset what the pass carries.
def test_values_a_pass_sets_afresh_do_not_double() -> None:
    honest = (
        "{% for tc in messages[0].tool_calls or [] %}{% for k in tc.arguments %}"
        "{% set v = tc.arguments[k] %}{% set v = v|tojson if v is mapping else v|string %}"
        "{{ v }}{% endfor %}{% endfor %}{% for m in messages %}\n"
        "{% set c = m.content|trim %}\n{% set r = '' %}\n"
        "{% if '<think>' in c %}{% set r = c.split('</think>')[0] %}"
        "{% set r = r ~ r|trim %}{% set c = c.split('</think>')[-1] %}{% endif %}\n"
        "{% set p = c.find('<tool_call>') %}\n"
        "{% if p > 0 %}{% set c = c[:p] + '</think>' + c[p:] %}{% endif %}\n{{ r }}{{ c }}"
        "{% endfor %}"
    )
    assert analyze_template(honest) == []


@pytest.mark.parametrize(
    "source",
    [
        "{% set ns = namespace(s='a') %}{% for m in messages %}{% set t = ns.s %}"
        "{% set ns.s = t %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s='a') %}{% for m in messages %}\n{% set s = ns.s %}\n"
        "{% set s = s ~ s %}\n{% set ns.s = s %}\n{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s='a') %}{% macro get() %}{{ ns.s }}{% endmacro %}"
        "{% for m in messages %}{% set x = get() %}{% set x = x ~ x %}{% set ns.s = x %}"
        "{% endfor %}{{ ns.s }}",
    ],
)
def test_a_reset_that_carries_the_old_value_still_doubles(source: str) -> None:
    ids = {i.rule.rule_id for i in analyze_template(source)}
    assert "AIR-JINJA-009" in ids


def test_a_forward_scan_over_an_outer_messages_tool_calls_stays_clean() -> None:
    """Gemma 4's forward scan (session 19, rt20tpl): per message, the later messages, and per
    one the outer message's tool calls (a part a real conversation keeps short, counted one
    like a message loop, not two like a message's text)."""
    honest = (
        "{% for m in messages %}{% for k in range(loop.index0 + 1, messages|length) %}"
        "{% for tc in m.get('tool_calls') or [] %}{% if tc.id == messages[k].tool_call_id %}"
        "{% for a, v in tc.function.arguments|items %}{{ a }}{% endfor %}{% endif %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    assert analyze_template(honest) == []
    text = honest.replace("m.get('tool_calls') or []", "m.content")
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(text)}


# A Gemma-4-like tool template (written for this test): a value formatter recursing per
# item of a list and per value of a mapping after an ``is string`` branch, called from a
# forward scan over the later messages of a message with tool calls.
_FORMAT = (
    "{%- macro fa(argument, escape_keys=True) -%}"
    "{%- if argument is none -%}null"
    "{%- elif argument is string -%}{{ '\"' + argument + '\"' }}"
    "{%- elif argument is mapping -%}{%- set ns = namespace(ff=false) -%}{{ '{' }}"
    "{%- for key, value in argument | dictsort -%}{%- if ns.ff %},{% endif -%}"
    "{%- set ns.ff = true -%}{{ key }}:{{ fa(value, escape_keys=escape_keys) }}{%- endfor -%}}"
    "{%- elif argument is sequence -%}["
    "{%- for item in argument -%}{{ fa(item, escape_keys=escape_keys) }}{%- endfor -%}]"
    "{%- else -%}{{ argument }}{%- endif -%}"
    "{%- endmacro -%}"
    "{%- macro block(name, response) -%}"
    "{%- if response is mapping -%}{%- for key, value in response | dictsort -%}"
    "{{ key }}:{{ fa(value, escape_keys=False) }}{%- endfor -%}"
    "{%- else -%}{{ name + ':' + fa(response, escape_keys=False) }}{%- endif -%}"
    "{%- endmacro -%}"
)
_SCAN = (
    "{%- for message in messages -%}"
    "{%- if message['role'] != 'tool' -%}{{ message['content'] }}"
    "{%- if message.get('tool_calls') -%}"
    "{%- set scan = namespace(stopped=false) -%}"
    "{%- for k in range(loop.index0 + 1, messages | length) -%}"
    "{%- if scan.stopped -%}{%- elif messages[k]['role'] != 'tool' -%}"
    "{%- set scan.stopped = true -%}"
    "{%- else -%}{%- set follow = messages[k] -%}"
    "{%- set tn = namespace(name=follow.get('name') or 'unknown') -%}"
    "{%- for tc in message.get('tool_calls') -%}"
    "{%- if tc.get('id') == follow.get('tool_call_id') -%}"
    "{%- set tn.name = tc['function']['name'] -%}{%- endif -%}{%- endfor -%}"
    "{{- block(tn.name, follow.get('content')) -}}"
    "{%- endif -%}{%- endfor -%}{%- endif -%}{%- endif -%}{%- endfor -%}"
)


def test_a_formatter_recursing_past_an_is_string_branch_stays_clean() -> None:
    """tplfp20: Gemma 4 upstream and 7 forks were denied (0.3-0.5 s, < 6 MiB in transformers'
    sandbox on 20 messages of 2,000 characters): ``for item in argument`` after ``argument is
    string`` was read as a string's characters (the string again: exponential recursion) and,
    inside the forward scan, as a walk down text (4 loops). After the guard it is an item of a
    list; the recursion is still costed by the depth the template itself nests."""
    honest = _FORMAT + _SCAN
    assert analyze_template(honest) == []
    string_first = "{%- elif argument is string -%}{{ '\"' + argument + '\"' }}"
    for bad in (
        honest.replace(string_first, ""),  # no guard: an item may be the string again
        honest.replace("elif argument is string", "elif escape_keys is string"),
        honest.replace("elif argument is string", "elif argument is sequence and false"),
        honest.replace(  # a name the template assigns: the guard is not trusted
            "{%- if argument is none -%}",
            "{%- set argument = argument -%}{%- if argument is none -%}",
        ),
    ):
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}


@pytest.mark.parametrize("depth", [18, 40])
def test_a_guarded_formatter_twice_per_item_on_deep_template_data_is_denied(depth: int) -> None:
    """The guard makes an item a step down the data; a list the template nests deep, walked
    twice per item, is still exponential (2**18 x 2 calls at 18 deep)."""
    lit = "'x'"
    for _ in range(depth):
        lit = "[" + lit + "]"
    src = (
        "{%- macro f(x) -%}{%- if x is string -%}{{ x }}{%- elif x is sequence -%}"
        "{%- for i in x -%}{{ f(i) }}{{ f(i) }}{%- endfor -%}{%- else -%}{{ x }}{%- endif -%}"
        "{%- endmacro -%}{{ f(" + lit + ") }}{% for m in messages %}{{ m.content }}{% endfor %}"
    )
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(src)}


_SUM = (
    "{% set ns = namespace(n=0) %}{% for m in messages %}"
    "{% set ns.n = ns.n + m.content|length %}{% endfor %}"
)


def test_a_counter_summing_content_lengths_is_no_constant() -> None:
    """rt20tpl's open item: the counter held only its first value (0), so ``range(ns.n)``
    nested twice (> 30 s in transformers' sandbox on 20 messages of 2,000 characters) and
    ``'x' * (ns.n * ns.n)`` (1.5 GiB) were clean. It is now at most what a pass adds, per
    pass, and a range of it walks as far as text."""
    for bad in (
        _SUM + "{% for i in range(ns.n) %}{% for j in range(ns.n) %}{% endfor %}{% endfor %}",
        _SUM + "{{ ('x' * (ns.n * ns.n))|length }}",
    ):
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}
    for honest in (
        _SUM + "{% if ns.n > 4000 %}long{% endif %}{{ ns.n }}",
        _SUM + "{% for i in range(ns.n) %}.{% endfor %}",
        "{% for i in range(messages|length) %}{% for j in range(messages|length) %}"
        "{% endfor %}{% endfor %}",
    ):
        assert analyze_template(honest) == []


def test_a_costly_call_per_character_of_a_message_is_denied() -> None:
    """rt20tpl's open item: a walk down a message's text was charged as 64 passes (a message
    count); ``strftime_now('%Y' * 9999)`` per character took 19 s in transformers' sandbox on
    20 messages of 2,000 characters (ALLOW). It is charged per character of a real message;
    a per-character loop doing little stays clean."""
    walk = "{% for m in messages %}{% for a in m.content %}X{% endfor %}{% endfor %}"
    bad = walk.replace("X", "{{ strftime_now('%Y' * 9999)|length }}")
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}
    for body in ("{{ a }}", "{{ strftime_now('%Y-%m-%d') }}", "{% if a == ' ' %}_{% endif %}"):
        assert analyze_template(walk.replace("X", body)) == []


def test_aliases_of_a_value_this_pass_set_afresh_inside_a_branch_do_not_double() -> None:
    """tplfp20 (a Qwen 3.6 fork's unclosed-think repair): inside a branch, ``c`` is set from
    the message, split into head and tail, and rebuilt from both; the aliases read this
    pass's value, nothing carried. Rebuilding a namespace slot that way, or reading ``c``
    before the pass sets it, still doubles."""
    honest = (
        "{% for m in messages %}{% if m.role == 'assistant' %}\n{% set c = m.content %}"
        "{% if '<think>' in c %}\n{% set t = c.split('<think>')|last %}"
        "\n{% set h = c.split('<think>')[:-1]|join('<think>') %}"
        "\n{% set c = h + '<think>' + t + '</think>' %}{% endif %}{{ c }}{% endif %}{% endfor %}"
    )
    assert analyze_template(honest) == []
    late = honest.replace("\n{% set c = m.content %}", "").replace(
        "{{ c }}{% endif %}", "{{ c }}\n{% set c = m.content %}{% endif %}"
    )
    slot = (
        "{% set ns = namespace(c='a') %}{% for m in messages %}{% if m.role == 'assistant' %}"
        "{% if 'a' in ns.c %}\n{% set t = ns.c.split('<think>')|last %}"
        "\n{% set h = ns.c.split('<think>')[:-1]|join('<think>') %}"
        "\n{% set ns.c = h + '<think>' + t + '</think>' %}{% endif %}{% endif %}{% endfor %}"
        "{{ ns.c }}"
    )
    for bad in (late, slot):
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}


def test_a_value_built_from_names_this_pass_set_afresh_is_fresh() -> None:
    """tplfp20 (a Qwen 3.6 fork): ``content`` set from the message and ``is_system`` (itself
    set from the message just before) was not fresh, so rewriting it in a branch read as
    doubling. A name set from a carried slot makes nothing fresh."""
    honest = (
        "{% macro render(c, sys) %}{{ c if sys else c|trim }}{% endmacro %}"
        "{% for m in messages %}\n{% set is_system = m.role == 'system' %}"
        "\n{% set content = render(m.content, is_system)|trim %}"
        "{% if '<off>' in content %}\n{% set content = content.split('<off>')|join('') %}"
        "{% endif %}{% if content|length > 900 %}"
        "\n{% set content = content[:900] ~ ' (of ' ~ (content|length|string) ~ ')' %}"
        "{% endif %}{{ content }}{% endfor %}"
    )
    assert analyze_template(honest) == []
    bad = (
        "{% set ns = namespace(s='a') %}{% for m in messages %}\n{% set k = ns.s %}"
        "\n{% set c = k %}\n{% set ns.s = c ~ c %}{% endfor %}{{ ns.s }}"
    )
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}


def test_a_short_part_name_on_a_value_the_template_builds_is_not_short() -> None:
    """rt20tpl's item (3): ``tool_calls``/``properties``/``items`` are short on real
    conversation data, but a dict the template builds holds what it put there:
    ``{'properties': m2.content}`` walked per character inside a walk of another message's
    characters took 10.3 s at 6 messages in transformers' sandbox (ALLOW)."""
    walk = (
        "{% for m in messages %}{% for a in m.content %}{% for m2 in messages %}X"
        "{% if a == b %}{% endif %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    )
    for part in (
        "{% set e = {'properties': m2.content} %}{% for b in e.properties %}",
        "{% set e = {'items': m2.content} %}{% for b in e['items'] %}",
        "{% set e = dict(tool_calls=m2.content) %}{% for b in e.get('tool_calls') %}",
        "{% set ns = namespace(d={'enum': m2.content}) %}{% for b in ns.d.enum %}",
    ):
        bad = walk.replace("X", part)
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(bad)}
    for part in (
        "{% for b in m2.get('tool_calls') or [] %}",
        "{% set f = m2 %}{% for b in f.tool_calls or [] %}",
    ):
        assert analyze_template(walk.replace("X", part)) == []


@pytest.mark.parametrize(
    "read",
    [
        "ns2.s",  # {% set ns2 = ns %} outside the loop
        "get()",  # a macro printing ns.s
        "g(ns)",  # {% macro g(x) %}{{ x.s }}{% endmacro %}
        "ns['s']",
        "box[0].s",  # {% set box = [ns] %}
        "ns|attr('s')",
        "[ns]|map(attribute='s')|first",
    ],
)
def test_namespace_slot_doubled_through_an_indirect_read(read: str) -> None:
    """rt20b: ``set v = <read of ns.s>; set ns.s = v ~ v`` in a loop over messages doubles the
    slot every pass (MemoryError at 1.5 GiB in 2-3 s in transformers' sandbox at 40 messages);
    the read went through an alias, a macro, a subscript or a filter and was clean. A slot of
    another name, or a read of another slot, stays clean."""
    head = (
        "{%- set ns = namespace(s='ab', t='x') -%}{%- set ns2 = ns -%}{%- set box = [ns] -%}"
        "{%- macro get() -%}{{ ns.s }}{%- endmacro -%}{%- macro g(x) -%}{{ x.s }}{%- endmacro -%}"
    )
    loop = "{%- for m in messages -%}{%- set v = READ -%}{%- set ns.s = v ~ v -%}{%- endfor -%}"
    src = head + loop.replace("READ", read) + "{{ ns.s }}"
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(src)}
    other = read.replace("'s'", "'t'").replace(".s", ".t").replace("get()", "m.content")
    other = other.replace("g(ns)", "g(m)")
    assert analyze_template(head + loop.replace("READ", other) + "{{ ns.s }}") == []


@pytest.mark.parametrize(
    "inner",
    [
        "{%- for q in [ns.s] -%}{%- set ns.s = q ~ q -%}{%- endfor -%}",
        "{%- for q in (ns.s,) -%}{%- set ns.s = q ~ q -%}{%- endfor -%}",
        "{%- for q in [ns.s]|list -%}{%- set ns.s = q ~ q -%}{%- endfor -%}",
        "{%- for q in [ns.s] -%}{%- set v = q -%}{%- set ns.s = v ~ v -%}{%- endfor -%}",
        "{%- for q in [ns.s] -%}{%- for r in [q] -%}{%- set ns.s = r ~ r -%}{%- endfor -%}"
        "{%- endfor -%}",
    ],
)
def test_namespace_slot_doubled_through_an_inner_loop_item(inner: str) -> None:
    """fix20 (rt20b's open item): an inner loop's item bound to a namespace slot, the slot set
    to the item twice inside it, doubles the slot on every pass of the loop over messages (no
    end in 20 s in transformers' sandbox at 40 messages); an item of another slot the loop
    never sets stays clean."""
    head = "{%- set ns = namespace(s='ab', t='x') -%}{%- for m in messages -%}"
    tail = "{%- endfor -%}{{ ns.s|length }}"
    assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(head + inner + tail)}
    other = inner.replace("[ns.s]", "[ns.t]").replace("(ns.s,)", "(ns.t,)")
    assert analyze_template(head + other + tail) == []


# session 20 (tpl21): tplfp20's three real templates still denied, and bypasses found beside
_RENDER_MACRO = (
    "{% macro render(content) %}{% if content is string %}{{ content }}{% else %}"
    "{% for p in content %}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}{{ p.text }}"
    "{% endfor %}{% endif %}{% endmacro %}"
)


def test_a_macro_parameter_is_sized_by_its_calls_not_a_name_spelled_alike() -> None:
    """Qwen 3.6 forks: ``render_content(content)`` was sized by every ``set content = ...``
    of the template (17,484 characters per call, then charged per message: work 3.0e9,
    DENY); Jinja never lets a caller's name through a parameter of the same spelling."""
    honest = (
        "{% set prompt = 'You are a careful assistant. ' * 500 %}" + _RENDER_MACRO
        + "{% set content = prompt %}{{ content }}{% for m in messages %}"
        "{% set text = render(m.content)|trim %}{{ text|lower }}{{ text|upper }}"
        "{{ text|replace('a', 'b') }}{{ text|trim }}{% endfor %}"
    )  # fmt: skip
    assert analyze_template(honest) == []
    bad = {  # what the parameter is given still counts, however it is given
        "argument": _RENDER_MACRO + "{% for i in range(100) %}{{ render('x' * 20000) }}"
        "{% endfor %}",
        "keyword": _RENDER_MACRO + "{% for i in range(100) %}{{ render(content='x' * 20000) }}"
        "{% endfor %}",
        "set inside": _RENDER_MACRO.replace("{{ content }}", "{% set content = content * 20000 %}"
        "{{ content }}") + "{% for i in range(100) %}{{ render('x') }}{% endfor %}",
        "default": "{% macro render(content='x' * 20000) %}{{ content }}{% endmacro %}"
        "{% for i in range(100) %}{{ render() }}{% endfor %}",
        "alias": "{% set prompt = 'x' * 20000 %}" + _RENDER_MACRO + "{% set content = prompt %}"
        "{% set g = render %}{% for i in range(100) %}{{ g(content) }}{% endfor %}",
        "call block": _RENDER_MACRO + "{% for i in range(100) %}{% call render('x' * 20000) %}"
        "{% endcall %}{% endfor %}",
        "star args": _RENDER_MACRO + "{% set a = ['x' * 20000] %}{% for i in range(100) %}"
        "{{ render(*a) }}{% endfor %}",
        "star kwargs": _RENDER_MACRO + "{% for i in range(100) %}{{ render(**{'content': "
        "'x' * 20000}) }}{% endfor %}",
    }  # fmt: skip
    for name, source in bad.items():
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}, name


NESTED_OVER_AN_ITEM = {  # each > 30 s in transformers' sandbox at 20,000 (clean before)
    "macro argument": "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}"
    "{% endfor %}{% endmacro %}{{ w(range(N)) }}",
    "macro default": "{% macro w(xs=range(N)) %}{% for a in xs %}{% for b in xs %}.{% endfor %}"
    "{% endfor %}{% endmacro %}{{ w() }}",
    "star args": "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}"
    "{% endmacro %}{% set a = [range(N)] %}{{ w(*a) }}",
    "star kwargs": "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}"
    "{% endmacro %}{{ w(**{'xs': range(N)}) }}",
    "item of a literal": "{% for x in [range(N)] %}{% for i in x %}{% for j in x %}.{% endfor %}"
    "{% endfor %}{% endfor %}",
    "item of a name": "{% set a = [range(N)] %}{% for x in a %}{% for i in x %}{% for j in x %}."
    "{% endfor %}{% endfor %}{% endfor %}",
    "first item": "{% set a = [range(N)] %}{% set x = a|first %}{% for i in x %}{% for j in x %}."
    "{% endfor %}{% endfor %}",
    "item of an item": "{% set a = [[range(N)]] %}{% for x in a %}{% for y in x %}{% for i in y %}"
    "{% for j in y %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "indexes": "{% set a = [[range(N)]] %}{% for i in a[0][0] %}{% for j in (a|first)|first %}."
    "{% endfor %}{% endfor %}",
}  # fmt: skip


def test_loops_over_an_item_or_a_parameter_the_template_fixes_are_counted() -> None:
    """A range handed to a macro (argument, default, ``*a``, ``**d``) or held as an item of a
    list the template builds was a loop of unknown length (one pass per message): two nested
    loops over 20,000 items (4 * 10**8 passes) were clean."""
    for name, source in NESTED_OVER_AN_ITEM.items():
        issues = analyze_template(source.replace("N", "20000"))
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in issues}, name
        assert analyze_template(source.replace("N", "20")) == [], name


def test_loops_over_an_item_really_run_in_the_sandbox() -> None:
    """Oracle (in a subprocess, N=300): transformers' sandbox runs N**2 passes for each."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = [len(_compile_jinja_template(t).render(messages=[]).strip())"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [t.replace("N", "300") for t in NESTED_OVER_AN_ITEM.values()]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(run.stdout or "null") == [300**2] * len(sources), run.stderr


def test_split_then_join_by_the_same_separator_gives_the_text_back() -> None:
    """Qwen forks' ``content.split('</think>')[1:]|join('</think>')`` was sized (1 + 8) times
    the text, chained three times (iintothewind's fix: ``|join builds 2,855,052``, DENY);
    the parts hold the text less what was cut, and each cut is put back once at most."""
    honest = (
        "{% set s = 'lorem ipsum ' * 200 %}"
        "{% for t in ['</think>', '<tool_call>', '<tool_response>'] %}"
        "{% set s = s.split(t)[1:]|join(t) %}{% endfor %}"
        "{% set s = s.split('</think>')[1:]|join('</think>') %}"
        "{% set s = s.split('<tool_call>')[1:]|join('<tool_call>') %}"
        "{% set s = s.split('<tool_response>')|reverse|join('<tool_response>') %}{{ s }}"
    )
    assert analyze_template(honest) == []
    bad = [  # a longer separator put back, or one not the same: still sized
        "{% set s = 'a' * 5000 %}{{ s.split('a')|join('b' * 1000) }}",
        "{% set s = 'ab' * 5000 %}{{ s.split('a')[1:]|join('b' * 1000) }}",
        "{% set s = 'a ' * 5000 %}{{ s.split()|join('b' * 1000) }}",
        "{% set t = 'a' %}{% set s = 'a' * 5000 %}{{ s.split(t)|join('x' * 500) }}",
    ]
    for source in bad:
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}, source


def test_doubling_rules_follow_statement_order_not_line_numbers() -> None:
    """tplfp20's open item (3): a value set later in the pass was skipped only on a later
    line, so the same template on one line (as GGUF metadata often holds it) was DENY; 8 of
    the 53 real templates with their newlines removed were."""
    one = (
        "{% set ns = namespace(s='') %}{% for m in messages %}{% set c = m.content %}"
        "{% set ns.s = c %}{% set c = ns.s ~ ns.s %}{{ c }}{% endfor %}{{ ns.s }}"
    )
    assert analyze_template(one.replace("%}{%", "%}\n{%")) == []
    assert analyze_template(one) == []
    # a slot read back inside an inner loop before a later statement of it sets it: carried
    bad = (
        "{% set ns = namespace(s='a', t='') %}{% for m in messages %}{% set ns.t = '' %}"
        "{% for q in messages %}{% set ns.s = ns.t %}{% set ns.t = ns.s ~ ns.s %}{% endfor %}"
        "{% endfor %}{{ ns.s }}"
    )
    for source in (bad, bad.replace("%}{%", "%}\n{%")):
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}


_REP = "{% macro rep() %}{% for i in range(N) %}{{ caller() }}{% endfor %}{% endmacro %}"
REPEATED_BODY_DOUBLING = {  # MemoryError at 1.5 GiB in transformers' sandbox at N=40 (clean)
    "call block": "{% set ns = namespace(s='ab') %}" + _REP + "{% call rep() %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endcall %}{{ ns.s|length }}",
    "call block, alias": "{% set ns = namespace(s='ab', t='') %}" + _REP + "{% call rep() %}"
    "{% set ns.t = ns.s %}{% set ns.s = ns.t ~ ns.t %}{% endcall %}{{ ns.s|length }}",
    "recursion": "{% set ns = namespace(s='ab') %}{% macro f(n) %}{% if n > 0 %}"
    "{% set ns.s = ns.s ~ ns.s %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(N) }}"
    "{{ ns.s|length }}",
}  # fmt: skip


def test_namespace_doubling_in_a_body_run_again_and_again_is_denied() -> None:
    """A call block whose macro calls caller() in a loop, or a recursive macro, carries
    namespace slots from run to run like loop passes; the doubling rules judged loops only.
    Run once, or appended to once a run, it stays clean."""
    for name, source in REPEATED_BODY_DOUBLING.items():
        issues = analyze_template(source.replace("N", "40"))
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in issues}, name
    honest = (
        "{% set ns = namespace(s='', n=0) %}{% macro box() %}<b>{{ caller() }}</b>{% endmacro %}"
        "{% call box() %}{% set ns.s = ns.s ~ ns.s %}{% endcall %}"
        "{% macro rep() %}{% for m in messages %}{{ caller(m) }}{% endfor %}{% endmacro %}"
        "{% call(m) rep() %}{% set ns.s = ns.s ~ m.content %}{% set ns.n = ns.n + 1 %}"
        "{% endcall %}{% macro f(p) %}{% set ns.s = ns.s ~ p.type %}"
        "{% for k, q in p.properties|items %}{{ f(q) }}{% endfor %}{% endmacro %}"
        "{% for t in tools %}{{ f(t.function.parameters) }}{% endfor %}"
    )
    assert analyze_template(honest) == []


def test_repeated_body_doubling_really_doubles_in_the_sandbox() -> None:
    """Oracle (in a subprocess, N=10): transformers' sandbox doubles 'ab' ten times."""
    pytest.importorskip("transformers")
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from transformers.utils.chat_template_utils import _compile_jinja_template\n"
        "out = [_compile_jinja_template(t).render(messages=[]).strip()"
        " for t in json.load(sys.stdin)]\n"
        "print(json.dumps(out))\n"
    )
    sources = [t.replace("N", "10") for t in REPEATED_BODY_DOUBLING.values()]
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(run.stdout or "null") == [str(2 * 2**10)] * len(sources), run.stderr


def test_rewrites_and_repetitions_of_real_message_text_are_sized() -> None:
    """The conversation's text counted one character in these (1.5-1.9 GiB at 20 messages of
    2,000 characters in transformers' sandbox, each clean): a wrap string per character, an
    indent string per line, a format width built into the spec, a message repeated by a
    count the conversation sizes."""
    bad = {
        "wrapstring": "{% for m in messages %}{{ m.content|wordwrap(1, wrapstring='z' * 30000) }}"
        "{% endfor %}",
        "indent string": "{% for m in messages %}{{ m.content|wordwrap(1)|indent('z' * 30000,"
        " blank=True) }}{% endfor %}",
        "built spec": "{% for m in messages %}{{ ('%' ~ ((m.content|length) ** 2 * 20) ~ 's')"
        "|format('a') }}{% endfor %}",
        "message times a count": "{% for m in messages %}{{ m.content * (messages|tojson|length) }}"
        "{% endfor %}",
        "list of a message": "{% for m in messages %}{{ ([m.content] * (m.content|length) * 20)"
        "|join }}{% endfor %}",
    }  # fmt: skip
    for name, source in bad.items():
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}, name
    honest = (
        "{% for m in messages %}{{ m.content|wordwrap(80) }}{{ m.content|indent(2) }}"
        "{{ m.content|replace('\\n', '\\n  ') }}{{ '-' * (messages|length) }}"
        "{{ ('%-' ~ 12 ~ 's')|format(m.role) }}{{ m.content * 2 }}{% endfor %}"
    )
    assert analyze_template(honest) == []


def test_counts_and_lengths_the_conversation_decides_are_not_fixed() -> None:
    """``m.content.count('')`` was a fixed 2 (16 s nested twice in the sandbox), a name set to
    ``[1]`` and to ``messages|tojson`` a loop of one pass, a call block's parameter took
    nothing from ``caller(xs)``, and ``|sum(start=[])`` copies quadratically (> 30 s each)."""
    bad = {
        "count of text": "{% for m in messages %}{% for i in range(m.content.count('')) %}"
        "{% for j in range(m.content.count('')) %}{% endfor %}{% endfor %}{% endfor %}",
        "mixed lengths": "{% set xs = [1] %}{% if messages %}{% set xs = messages|tojson %}"
        "{% endif %}{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}",
        "mixed lengths, long": "{% set xs = range(20000) %}{% if messages %}"
        "{% set xs = messages %}{% endif %}{% for a in xs %}{% for b in xs %}.{% endfor %}"
        "{% endfor %}",
        "caller argument": "{% macro w(xs) %}{{ caller(xs) }}{% endmacro %}{% call(ys) "
        "w(range(20000)) %}{% for a in ys %}{% for b in ys %}.{% endfor %}{% endfor %}"
        "{% endcall %}",
        "sum of lists": "{{ ([[0]] * 100000)|sum(start=[])|length }}",
        "sum of conversation lists": "{% set ns = namespace(l=[]) %}{% for m in messages %}"
        "{% set ns.l = ns.l + m.content|list %}{% endfor %}"
        "{{ (ns.l|map('list')|list * 20)|sum(start=[])|length }}",
    }  # fmt: skip
    for name, source in bad.items():
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}, name
    honest = (
        "{% set s = 'a' * 50 %}{% for i in range(s.count('a')) %}.{% endfor %}"
        "{% set xs = [] %}{% if tools %}{% set xs = tools %}{% endif %}"
        "{% for t in xs %}{{ t.name }}{% endfor %}{{ [[1], [2]]|sum(start=[])|length }}"
        "{{ messages|sum(attribute='n', start=0) }}"
    )
    assert analyze_template(honest) == []


def test_macros_called_through_values_varargs_and_kwargs_take_their_arguments() -> None:
    """A macro called through a value (``[w][0](...)``, a namespace slot) or handed an
    argument through ``varargs``/``kwargs`` took nothing from that call: two nested loops over
    the range so passed (> 25 s in transformers' sandbox) were clean; so was a ``|join`` whose
    separator came through ``**d`` (180 M characters from a 90,000-character text)."""
    w = "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}"
    bad = {
        "item of a list": w + "{{ [w][0](range(20000)) }}",
        "namespace slot": w + "{% set m = namespace(f=w) %}{{ m.f(range(20000)) }}",
        "varargs": w + "{% macro g() %}{{ w(*varargs) }}{% endmacro %}{{ g(range(20000)) }}",
        "varargs item": "{% macro g() %}{% for a in varargs[0] %}{% for b in varargs[0] %}."
        "{% endfor %}{% endfor %}{% endmacro %}{{ g(range(20000)) }}",
        "kwargs": "{% macro g() %}{% for a in kwargs.xs %}{% for b in kwargs.xs %}.{% endfor %}"
        "{% endfor %}{% endmacro %}{{ g(xs=range(20000)) }}",
        "join separator": "{% set s = 'a' * 90000 %}{{ s.split('a')|join(**{'d': 'b' * 2000}) }}",
    }  # fmt: skip
    for name, source in bad.items():
        assert "AIR-JINJA-009" in {i.rule.rule_id for i in analyze_template(source)}, name
    honest = w + "{% set m = namespace(f=w) %}{{ m.f(messages) }}{{ [w][0]([1, 2]) }}"
    assert analyze_template(honest) == []


def test_macros_called_through_a_list_do_not_cost_calls_times_macros() -> None:
    """review21: N macros named as values and N calls through the list bound every call's
    arguments to every macro's parameters, then costed each binding: N * N (N = 2,000, a
    104 KB template, took 78 s and gave no finding). Past a budget of bindings the template
    is too complex (fail closed); a few such calls stay clean."""

    def template(n: int) -> str:
        macros = "".join(f"{{% macro m{k}(a) %}}{{{{ a }}}}{{% endmacro %}}" for k in range(n))
        listed = "{% set w = [" + ",".join(f"m{k}" for k in range(n)) + "] %}"
        return macros + listed + "{{ w[0](1) }}" * n

    assert [i.rule.rule_id for i in analyze_template(template(300))] == ["AIR-JINJA-008"]
    assert analyze_template(template(5)) == []


def test_a_long_chain_of_sets_walks_its_loop_body_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a ``set`` reads what its loop sets walked the whole body for every ``set``:
    2,000 chained sets took 140 s of CPU, 12,000 (420 KB, under the 1 MB bound) hours. The
    findings are unchanged; the body is walked a bounded number of times, not once per set."""
    import airlock.scan.jinja_rules as jr

    calls = [0]
    walk = jr._walk_body

    def counted(body: list[Any]) -> Any:
        calls[0] += 1
        return walk(body)

    monkeypatch.setattr(jr, "_walk_body", counted)
    n = 200
    sets = "".join(f"{{% set v{i} = v{i - 1} + m.content %}}" for i in range(1, n))
    src = (
        "{% for m in messages %}{% set v0 = m.content %}" + sets
        + f"{{% for x in v{n - 1} %}}{{{{ x }}}}{{% endfor %}}{{% endfor %}}"
    )  # fmt: skip
    assert [i.rule.rule_id for i in jr.analyze_template(src)] == ["AIR-JINJA-009"] * 2
    assert calls[0] < 20
