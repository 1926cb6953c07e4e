"""Chat-template analysis: real templates are clean, every escape technique is caught."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.report import Severity
from airlock.scan.jinja_rules import analyze_template, template_findings

from .templates import BENIGN, REDTEAM_J3


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_real_templates_give_no_finding(name: str) -> None:
    assert analyze_template(BENIGN[name]) == []


MALICIOUS = {
    # CVE-2024-34359 proof of concept shape
    "subclasses": "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == "
    "'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('touch /tmp/x') }}"
    "{% endif %}{% endfor %}",
    "cycler_globals": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "joiner_globals": "{{ joiner.__init__.__globals__['os'].system('id') }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "namespace": "{{ namespace.__init__.__globals__.__builtins__.eval('1') }}",
    "self_context": "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
    "attr_dunder": "{{ ()|attr('__class__')|attr('__base__')|attr('__subclasses__')() }}",
    "attr_computed": "{{ x|attr(message.key) }}",
    "concat_tilde": "{{ ()|attr('__cla' ~ 'ss__') }}",
    "concat_plus": "{% set n = '__glo' + 'bals__' %}{{ lipsum[n] }}",
    "reversed": "{{ ()|attr('__ssalc__'[::-1]) }}",
    "reverse_filter": "{{ ()|attr('__ssalc__'|reverse|join) }}",
    "join_list": "{{ ()|attr(['__', 'class', '__']|join) }}",
    "format": "{{ ()|attr('%c%cclass%c%c'|format(95, 95, 95, 95)) }}",
    "replace": "{{ ()|attr('XXclassXX'|replace('XX', '__')) }}",
    "str_format_method": "{{ ()|attr('{0}{0}class{0}{0}'.format('_')) }}",
    "subscript_builtins": "{{ x['__builtins__'] }}",
    "map_attribute": "{{ items|map(attribute='__class__')|list }}",
    "popen_attr": "{{ x.popen('id') }}",
    "map_attr_filter": "{{ [x]|map('attr', '__cl' ~ 'ass__')|first }}",
    "map_attr_computed": "{{ [x]|map('attr', message.k)|first }}",
    "implicit_concat": "{{ x['__glo' 'bals__'] }}",
    "hex_escape": "{{ x['\\x5f\\x5fclass\\x5f\\x5f'] }}",
    "mul_join": "{{ x|attr(['_' * 2, 'class', '_' * 2]|join) }}",
    "include": "{% include 'other.j2' %}",
}


@pytest.mark.parametrize("name", sorted(MALICIOUS))
def test_malicious_templates_are_flagged(name: str) -> None:
    issues = analyze_template(MALICIOUS[name])
    assert issues, name
    if name != "include":
        assert max(i.severity or i.rule.severity for i in issues) >= Severity.HIGH


def test_obfuscated_names_are_reported_as_built() -> None:
    for name in ("concat_tilde", "reversed", "reverse_filter", "join_list", "format", "replace"):
        issues = analyze_template(MALICIOUS[name])
        assert any(i.rule.rule_id == "AIR-JINJA-006" and "__class__" in i.evidence for i in issues)


def test_computed_attr_name() -> None:
    assert [i.rule.rule_id for i in analyze_template(MALICIOUS["attr_computed"])] == [
        "AIR-JINJA-002"
    ]


def test_global_chain_without_dunder() -> None:
    issues = analyze_template("{{ cycler.something }}{{ joiner|attr('x') }}")
    assert {i.rule.rule_id for i in issues} == {"AIR-JINJA-004"}
    assert analyze_template("{% set c = cycler(1, 2) %}{{ c.next() }}{{ cycler.reset }}") == []


def test_unparseable_template() -> None:
    issues = analyze_template("{% for x in %}")
    assert [i.rule.rule_id for i in issues] == ["AIR-JINJA-000"]


def test_deep_nesting_is_bounded() -> None:
    deep = "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"
    issues = analyze_template(deep)
    assert issues and issues[0].rule.rule_id in {"AIR-JINJA-008", "AIR-JINJA-000"}


def test_huge_template_is_bounded() -> None:
    issues = analyze_template("a" * (2 << 20))
    assert [i.rule.rule_id for i in issues] == ["AIR-JINJA-008"]
    # rt15og: a comment padding a loop nest past the bound was MEDIUM (allowed) while
    # transformers' render never ended: what is not analysed blocks
    assert issues[0].rule.severity == Severity.HIGH


def test_string_bomb_is_not_folded() -> None:
    # 'a' * 10**9 must not allocate
    rules = {i.rule.rule_id for i in analyze_template("{{ x|attr('a' * 1000000000) }}")}
    assert rules == {"AIR-JINJA-002", "AIR-JINJA-009"}  # computed name, and a 1 GB repetition


def test_template_is_never_rendered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "rendered"
    src = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    assert template_findings(src, "model.gguf", label="tokenizer.chat_template")
    assert not marker.exists()


def test_findings_carry_location_and_reference() -> None:
    (f, *_) = template_findings(MALICIOUS["lipsum"], "t.json", label="chat_template")
    assert f.location == "t.json" and f.reference and "CVE-2024-34359" in f.reference
    assert f.evidence.startswith("chat_template line 1")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}%#()[]|~'\"_.abcxs+ \n-:=,0123456789", max_size=200))
def test_analyzer_never_crashes(src: str) -> None:
    analyze_template(src)


def test_flagged_payload_is_real_outside_a_sandbox(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The analyser flags without rendering; rendering unsandboxed (test only) runs the payload."""
    import jinja2
    import jinja2.sandbox

    marker = tmp_path / "rendered"
    src = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    assert {i.rule.rule_id for i in analyze_template(src)} >= {"AIR-JINJA-001", "AIR-JINJA-003"}
    assert not marker.exists()
    with pytest.raises(jinja2.exceptions.SecurityError):
        jinja2.sandbox.ImmutableSandboxedEnvironment().from_string(src).render()
    assert not marker.exists()
    jinja2.Environment().from_string(src).render()  # proving the fixture only
    assert marker.exists()


# Session 8 red team: names built at render time and globals passed through containers/filters.
_T = "zyxwvutsrqponmlkjihgfedcba_./ "
_RT = "(" + "~".join(f"T[{_T.index(c)}+n]" for c in "__init__") + ")"  # runtime-indexed name
_PRE = "{% set T = '" + _T + "' %}{% set n = messages|length %}"
DATAFLOW_ESCAPES = {
    "redteam_j3": REDTEAM_J3,
    "j4a_runtime_index_alias": _PRE + "{% set z = [cycler]|first %}{{ z[" + _RT + "] }}",
    "j4b_macro_constant_index": "{% set T = '" + _T + "' %}{% macro w(s) %}{% for c in s %}"
    "{{ T[c] }}{% endfor %}{% endmacro %}{% set z = [cycler]|first %}{{ z[w([26, 26])] }}",
    "j4c_runtime_index_bare": _PRE + "{{ cycler[" + _RT + "] }}",
    "alias_last": "{% set z = [joiner]|last %}{{ z.anything }}",
    "alias_list_index": "{% set z = [lipsum][0] %}{{ z.x }}",
    "alias_dict_attr": "{{ dict(a=cycler).a.x }}",
    "alias_set": "{% set x = cycler %}{{ x.y }}",
    "alias_set_chain": "{% set a = namespace %}{% set b = (a, 1) %}{% set c = b|first %}{{ c.q }}",
    "alias_macro_arg": "{% macro m(o) %}{{ o.q }}{% endmacro %}{{ m([self]|first) }}",
    "alias_loop_target": "{% for o in [cycler, 1] %}{{ o.q }}{% endfor %}",
    "alias_nsref": "{% set ns = namespace(v=0) %}{% set ns.v = cycler %}{{ ns.v.q }}",
    "alias_mutation": "{% set d = {} %}{{ d.update({'k': lipsum}) }}{{ d.k.q }}",
    "alias_or": "{{ (none or cycler).q }}",
    "alias_loop_object": "{% for m in messages %}{% set l = [loop]|first %}{{ l.q }}{% endfor %}",
    "macro_returning_global_text": "{% macro g() %}{{ cycler }}{% endmacro %}{{ x[g()] }}",
    "key_from_tilde": "{% set k = message.a ~ message.b %}{{ x[k] }}",
    "key_from_join": "{{ x[[message.a, message.b]|join] }}",
    "key_from_macro": "{% macro k() %}a{% endmacro %}{{ x[k()] }}",
    "key_from_filter": "{{ x[message.role|replace('u', '_')] }}",
    "key_from_table_slice": "{% set s = 'xx__class__yy' %}{{ x[s[2:n]] }}",
    "key_from_table_index": _PRE + "{{ x[T[1 + n]] }}",
    "key_folded_then_rebound": "{% set k = 'a' %}{% set k = T[1 + n] ~ T[n] %}{{ x[k] }}",
    "key_two_constants_sliced": "{% if a %}{% set k = 'xx__class__' %}{% else %}"
    "{% set k = 'q' %}{% endif %}{{ x[k[2:n]] }}",
    # tpl26: a parameter takes its call sites' arguments; one built key among them is enough
    "key_macro_param": _PRE + "{% macro m(k) %}{{ x[k] }}{% endmacro %}{{ m('a') }}"
    "{{ m(T[1+n] ~ T[n]) }}",
    "key_loop_over_built": _PRE + "{% for k in [T[1+n] ~ T[2+n]] %}{{ x[k] }}{% endfor %}",
    "key_value_not_key": "{% set d = {'a': 'b' ~ n} %}{% for k, v in d|items %}{{ d[v] }}"
    "{% endfor %}",
    "key_from_mutated_data": _PRE + "{{ tools|attr('append')(T[1+n] ~ T[n]) }}"
    "{% for k in tools %}{{ x[k] }}{% endfor %}",
    "key_int_then_string": "{% set i = 1 %}{% set i = 'a' ~ n %}{{ messages[i] }}",
}


@pytest.mark.parametrize("name", sorted(DATAFLOW_ESCAPES))
def test_dataflow_escapes_are_high(name: str) -> None:
    issues = analyze_template(DATAFLOW_ESCAPES[name])
    assert issues, name
    assert max(i.severity or i.rule.severity for i in issues) >= Severity.HIGH, issues
    assert {i.rule.rule_id for i in issues} & {"AIR-JINJA-002", "AIR-JINJA-004"}, issues


def test_redteam_j3_really_runs_outside_a_sandbox(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The fixture is a working payload (test only renders it, to prove the case is real)."""
    import jinja2

    marker = tmp_path / "pwned"
    src = REDTEAM_J3.replace("MARKER", str(marker))
    jinja2.Environment().from_string(src).render(messages=[])  # proving the fixture only
    assert marker.exists()


HONEST_FLOW = {
    "int_index": "{% for m in messages %}{{ messages[loop.index0 - 1].role }}{% endfor %}",
    "range_index": "{% for i in range(messages|length) %}{{ messages[i]['content'] }}{% endfor %}",
    "ns_counter": "{% set ns = namespace(i=0) %}{% set ns.i = ns.i + 1 %}{{ messages[ns.i] }}",
    "data_key": "{% for m in messages %}{{ names[m.role] }}{% endfor %}",
    "own_keys": "{% for k in tool.parameters %}{{ tool.parameters[k] }}{% endfor %}",
    "own_keys_items": "{% for k, v in d|items %}{{ d[k] }}{% endfor %}",
    "const_key_list": "{% for k in ['role', 'content'] %}{{ message[k] }}{% endfor %}",
    "loop_items": "{% for m in messages %}{{ loop.previtem['role'] if loop.previtem }}{% endfor %}",
    "globals_called": "{% set c = cycler('a', 'b') %}{{ c.next() }}{% set j = joiner() %}{{ j() }}"
    "{{ range(3)|list }}{{ dict(a=1).a }}{{ namespace(x=1).x }}",
}


def test_constant_table_lookup_is_judged_by_what_reads_the_result() -> None:
    """A dict literal of constants subscripted by any key (Hermes' type table) is clean while the
    result only goes to output, a test or a concatenation; reading further from it is not."""
    # tpl26: a key built by the template (a parameter now takes its call sites' arguments, and
    # caller data such as ``messages|first`` is a safe key in its own right)
    pre = '{% set m = {"a": "b"} %}{% macro f(k) %}BODY{% endmacro %}{{ f("_" ~ messages|length) }}'
    for body in ("{{ m[k] }}", "{% if m[k] is defined %}x{% endif %}", '{{ "a" + m[k] }}'):
        assert analyze_template(pre.replace("BODY", body)) == [], body
    for body in ("{{ m[k].mro() }}", "{% set c = m[k] %}{{ c.mro() }}", "{{ m[k][0] }}"):
        ids = [i.rule.rule_id for i in analyze_template(pre.replace("BODY", body))]
        assert "AIR-JINJA-002" in ids, body
    rebound = '{% set m = {"a": "b"} %}{% set m = x %}{% macro f(k) %}{{ m[k] }}{% endmacro %}'
    ids = [i.rule.rule_id for i in analyze_template(rebound + '{{ f("_" ~ y|first) }}')]
    assert "AIR-JINJA-002" in ids


@pytest.mark.parametrize("name", sorted(HONEST_FLOW))
def test_honest_dataflow_is_clean(name: str) -> None:
    assert analyze_template(HONEST_FLOW[name]) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}",
        "{% set f = '{0.__class__.__mro__}'.format %}{{ f(messages) }}",
        "{{ ('{0.__init__.__globals__}'|attr('format'))(joiner) }}",
        "{{ '{c[__builtins__]}'.format_map({'c': x}) }}",
        "{{ '{0.XXinitXX}'.replace('XX', '__').format(cycler) }}",
    ],
)
def test_format_fields_reaching_internals_are_denied(source: str) -> None:
    """rt15og: str.format walks '.attr' and '[key]' in its fields itself (the CVE-2024-56326 /
    CVE-2025-27516 family: Jinja before 3.1.5/3.1.6 let such calls leave the sandbox); a dunder
    inside a format string was not seen. Ordinary format fields stay clean."""
    rules = {i.rule.rule_id for i in analyze_template(source)}
    assert rules & {"AIR-JINJA-001", "AIR-JINJA-006"}, rules
    honest = "{{ '{0}: {1:>8} {name!r} {x[0]}'.format(a, b, name=c, x=d) }}"
    assert analyze_template(honest) == []


# Session 16 (rt17tpl): a format string assembled from pieces the folder cannot read (dict or
# list items, messages) reaches internals through str.format's own field lookups.
_PIECES = (
    '{% set m = {"a": "{0", "b": ".", "c": "_", "d": "init", "e": "globals",'
    ' "f": "[os].environ}"} %}'
)
_BUILT = "(m.a ~ m.b ~ m.c ~ m.c ~ m.d ~ m.c ~ m.c ~ m.b ~ m.c ~ m.c ~ m.e ~ m.c ~ m.c ~ m.f)"
BUILT_FORMATS = {
    "dict_pieces": _PIECES + "{{ " + _BUILT + ".format(cycler) }}",
    "dict_subscripts": _PIECES + "{{ " + _BUILT + "['format'](cycler) }}",
    "list_pieces": '{% set m = ["{0", ".", "_", "class", "}"] %}'
    "{{ (m[0] ~ m[1] ~ m[2] ~ m[2] ~ m[3] ~ m[2] ~ m[2] ~ m[4]).format(messages) }}",
    "stored_method": _PIECES + "{% set f = " + _BUILT + ".format %}{{ f(cycler) }}",
    "attr_filter": _PIECES + "{{ (" + _BUILT + "|attr('format'))(cycler) }}",
    "format_map": _PIECES + "{{ " + _BUILT + ".format_map(messages) }}",
    "joined": _PIECES + "{{ [m.a, m.f]|join|attr('format_map')(x) }}",
    "map_attribute": "{{ (messages|map(attribute='content.format')|first)(cycler) }}",
    "message_content": "{{ messages[0].content.format(messages) }}",
}


@pytest.mark.parametrize("name", sorted(BUILT_FORMATS))
def test_format_strings_built_at_render_time_are_high(name: str) -> None:
    issues = analyze_template(BUILT_FORMATS[name])
    assert "AIR-JINJA-002" in {i.rule.rule_id for i in issues}, issues


def test_built_format_really_reads_the_environment_outside_a_sandbox() -> None:
    """The fixture is real: unsandboxed Jinja (llama-cpp-python before 0.2.72) prints
    os.environ; the sandbox refuses it (test only renders it, to prove the case)."""
    import jinja2
    import jinja2.sandbox

    src = BUILT_FORMATS["dict_pieces"]
    assert jinja2.Environment().from_string(src).render().startswith("environ(")
    with pytest.raises(jinja2.exceptions.SecurityError):
        jinja2.sandbox.ImmutableSandboxedEnvironment().from_string(src).render()


# Session 16 (fixjinja, review16 F2): format strings the folder folds (so no render-time
# finding) whose fields nobody judged: plain Jinja printed os.environ for each.
_F = "{0.__init__.__globals__[os].environ[MARK]}"
FOLDED_FORMATS = {
    "reverse": "{{ ('" + _F[::-1] + "'|reverse).format(cycler) }}",
    "reverse_set": "{% set s = '" + _F[::-1] + "'|reverse %}{{ s.format(cycler) }}",
    "join_literal": "{{ (['{0.__init', '__.__globals__[os].environ[MARK]}']|join)"
    ".format(cycler) }}",
    "join_format_map": "{{ (['{c.__init', '__.__globals__[os].environ}']|join).format_map(m) }}",
    "no_underscore": "{{ '{0.reset.x}'.format(cycler) }}",
    "index_field": "{{ ('}]x[0{'|reverse).format(x) }}",
    "nested_spec": "{{ '{0:{1.x}}'.format(a, b) }}",
    "attr_filter": "{{ (('}x.0{'|reverse)|attr('format'))(cycler) }}",
}


@pytest.mark.parametrize("name", sorted(FOLDED_FORMATS))
def test_folded_format_strings_with_lookups_are_judged(name: str) -> None:
    issues = analyze_template(FOLDED_FORMATS[name])
    assert "AIR-JINJA-002" in {i.rule.rule_id for i in issues}, issues


def test_folded_format_really_reads_the_environment_outside_a_sandbox() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import jinja2, sys\nprint(jinja2.Environment().from_string(sys.stdin.read()).render())\n"
    )
    for name in ("reverse", "join_literal"):
        run = subprocess.run(
            [sys.executable, "-c", code],
            input=FOLDED_FORMATS[name],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env={**os.environ, "MARK": "fixjinja-marker"},
        )
        assert run.stdout.strip() == "fixjinja-marker", (name, run.stdout)


@pytest.mark.parametrize(
    "source",
    [
        "{{ '{} and {}'.format(a, b) }}",
        "{% set f = '<{0}>' %}{{ f.format(message.role) }}",
        "{% if spec.format is defined %}{{ ' (' ~ spec.format ~ ')' }}{% endif %}",
        "{% if spec['format'] == 'date-time' %}x{% endif %}",
        "{% set r = {'system': 'S', 'user': 'U'} %}{{ r['system'] }}{{ roles['system'] }}",
        # gpt-oss-20b's tool schema renderer: recursion on parts of the data with ``or []``
        "{% macro t(spec, req) %}{% for n, p in spec.properties.items() %}"
        "{{ t(p, spec.required or []) }}{% endfor %}{% if spec['items'] %}"
        "{{ t(spec['items'], req) }}{% endif %}{% endmacro %}{{ t(tools[0], []) }}",
    ],
)
def test_honest_format_role_and_schema_uses_stay_clean(source: str) -> None:
    assert analyze_template(source) == []


def test_dict_fromkeys_is_clean_and_climbing_past_it_is_not() -> None:
    """Session 19 (rt20tpl): transformers' sandbox provides ``dict.fromkeys`` (its
    TemplateDict) and plain Jinja's ``dict`` answers it with a dict; AIR-JINJA-004 flagged it.
    Dunders and other attributes of ``dict`` stay findings."""
    honest = (
        "{{ dict.fromkeys(['a', 'b'])|tojson }}"
        "{% set d = dict.fromkeys(messages|map(attribute='role'), 0) %}{{ d|tojson }}"
    )
    assert analyze_template(honest) == []
    for bad in ("{{ dict.fromkeys.__self__ }}", "{{ dict.mro() }}", "{{ dict.__base__ }}"):
        assert analyze_template(bad), bad
