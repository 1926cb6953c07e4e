"""The chat-template analysis's own cost (tpl26): a 1 MB template of a real one repeated took
34-55 s to judge, with no bound. Each loop walked the whole tree again (quadratic), and nothing
stopped the rules' passes. Now every node expansion is one step of a budget; past it the
template is AIR-JINJA-008 (a finding, never allow). Work is counted, never timed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airlock.scan import jinja_rules

# a real-looking message loop with a namespace accumulator (Qwen / Llama style)
BLOCK = (
    "{%- set ns = namespace(last=-1, out='') %}"
    "{%- for m in messages %}{%- if m.role == 'user' %}{%- set ns.last = loop.index0 %}"
    "{%- endif %}{{- '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}"
    "{%- endfor %}"
)


def walked(source: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, set[str]]:
    """Nodes every ``_walk`` of the analysis yields, and the rule ids found."""
    seen = [0]
    real = jinja_rules._walk

    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for node in real(*args, **kwargs):
            seen[0] += 1
            yield node

    monkeypatch.setattr(jinja_rules, "_walk", counted)
    found = {i.rule.rule_id for i in jinja_rules.analyze_template(source)}
    monkeypatch.undo()
    return seen[0], found


def test_many_loops_cost_linear_walks(monkeypatch: pytest.MonkeyPatch) -> None:
    # the namespace holders were found again for every loop: 2x the loops, ~4x the walks
    small, found_small = walked(BLOCK * 40, monkeypatch)
    large, found_large = walked(BLOCK * 80, monkeypatch)
    assert large < 2.3 * small, (small, large)
    assert not found_small and not found_large


def test_past_the_budget_is_a_finding_never_allow(monkeypatch: pytest.MonkeyPatch) -> None:
    source = BLOCK * 10
    assert jinja_rules.analyze_template(source) == []
    monkeypatch.setattr(jinja_rules, "MAX_ANALYSIS_WORK", 2_000)
    issues = jinja_rules.analyze_template(source)
    assert [i.rule.rule_id for i in issues if "steps" in i.evidence] == ["AIR-JINJA-008"]
    assert jinja_rules.analyze_template("{{ messages[0].content }}") == []  # a fresh budget each


def test_budget_counts_every_rule_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps spent grow with the template, and a real one stays far below the bound."""
    spent = [0]
    real = jinja_rules._children

    def counted(node: Any) -> Iterator[Any]:
        spent[0] += 1
        return real(node)

    monkeypatch.setattr(jinja_rules, "_children", counted)
    jinja_rules.analyze_template(BLOCK * 10)
    ten = spent[0]
    spent[0] = 0
    jinja_rules.analyze_template(BLOCK * 20)
    assert 1.5 * ten < spent[0] < 2.5 * ten, (ten, spent[0])
    assert spent[0] * 20 < jinja_rules.MAX_ANALYSIS_WORK


def test_budget_left_outside_an_analysis_is_unset() -> None:
    jinja_rules.analyze_template(BLOCK)
    assert jinja_rules._WORK_LEFT.get() is None


def test_data_flow_fixed_points_are_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data flow's passes over every binding walk no tree, yet cost steps too."""
    expanded, spent = [0], [0]
    real_children, real_spend = jinja_rules._children, jinja_rules._spend

    def children(node: Any) -> Iterator[Any]:
        expanded[0] += 1
        return real_children(node)

    def spend(steps: int) -> None:
        spent[0] += steps
        real_spend(steps)

    monkeypatch.setattr(jinja_rules, "_children", children)
    monkeypatch.setattr(jinja_rules, "_spend", spend)
    jinja_rules.analyze_template(BLOCK * 10)
    nodes = sum(1 for _ in jinja_rules._environment().parse(BLOCK * 10).find_all(object))
    assert spent[0] >= expanded[0] + 4 * nodes, (spent[0], expanded[0], nodes)
