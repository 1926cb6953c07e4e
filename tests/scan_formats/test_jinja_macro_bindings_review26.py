"""review26: the bindings a macro's call sites give its parameters are charged to the work
budget as they are made (tpl26's binding made one per parameter, per definition, per call
site, uncounted: 2,000 same-named macros and 20,000 calls, a 212 KB template, took 282 s and
352 MB before the first fixed-point pass spent a step)."""

from __future__ import annotations

import pytest

from airlock.scan import jinja_rules


def _flow_of(source: str) -> None:
    all_nodes = list(jinja_rules._walk(jinja_rules._environment().parse(source)))
    jinja_rules._Flow(all_nodes, jinja_rules._Folder())


def test_call_site_bindings_stop_at_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    def reached(self: object) -> None:
        raise AssertionError("every binding was made before a step was charged for them")

    monkeypatch.setattr(jinja_rules._Flow, "_taint_fixpoint", reached)
    source = "{%macro m(a)%}{%endmacro%}" * 60 + "{{m(x)}}" * 1000  # 60,000 bindings
    token = jinja_rules._WORK_LEFT.set([20_000])
    try:
        with pytest.raises(jinja_rules._TooComplex):
            _flow_of(source)
    finally:
        jinja_rules._WORK_LEFT.reset(token)


def test_many_same_named_macros_are_too_complex(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja_rules, "MAX_ANALYSIS_WORK", 20_000)
    source = "{%macro m(a)%}{%endmacro%}" * 60 + "{{m(x)}}" * 1000
    issues = jinja_rules.analyze_template(source)
    assert "AIR-JINJA-008" in {i.rule.rule_id for i in issues}


def test_keyword_arguments_still_bind_their_parameter() -> None:
    """tpl26's reading kept: a parameter given data by keyword at every call is data."""
    source = (
        "{% macro show(spec) %}{{ spec[spec.keys()|first] }}{% endmacro %}"
        "{% for t in tools %}{{ show(spec=t) }}{% endfor %}"
    )
    all_nodes = list(jinja_rules._walk(jinja_rules._environment().parse(source)))
    flow = jinja_rules._Flow(all_nodes, jinja_rules._Folder())
    spec = flow.bindings["spec"]
    assert spec and all(v is not jinja_rules._OPAQUE for v in spec)
