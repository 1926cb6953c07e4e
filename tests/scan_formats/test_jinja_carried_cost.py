"""The carried-growth walk's own cost (review25): a name set again and again from itself (if/else
blocks each doing ``set c = c + ...`` inside the message loop) had every one of its values walked
again for every read of it, cubic in the blocks (100 blocks of a 3 KB template: > 120 s). The
work is counted (names looked up), never timed: doubling the blocks may at most about double it."""

from __future__ import annotations

import pytest

from airlock.scan import jinja_rules

BLOCK = "{% if m.x %}{% set c = c + m.y %}{% else %}{% set c = m.z + c %}{% endif %}"


def template(blocks: int) -> str:
    return ("{% for m in messages %}{% set c = m.content %}" + BLOCK * blocks
            + "{% for x in c %}{{ x }}{% endfor %}{% endfor %}")  # fmt: skip


def lookups(blocks: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, set[str]]:
    seen = [0]
    real = jinja_rules.ref_key

    def counted(node: object) -> str | None:
        seen[0] += 1
        return real(node)

    monkeypatch.setattr(jinja_rules, "ref_key", counted)
    found = {i.rule.rule_id for i in jinja_rules.analyze_template(template(blocks))}
    return seen[0], found


def test_a_name_set_many_times_from_itself_costs_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small, found_small = lookups(30, monkeypatch)
    large, found_large = lookups(60, monkeypatch)
    assert large < 2.5 * small, (small, large)
    # the verdict is the walk's, unchanged: c doubles on every pass (c + ... and ... + c)
    assert "AIR-JINJA-009" in found_small and "AIR-JINJA-009" in found_large
