"""Policy rules: each rule, the combinators, JSON round trips, and hostile policy documents."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.registry.errors import InvalidRequest
from airlock.registry.policy import (
    AllOf,
    AllowedSources,
    AnyOf,
    MinApprovers,
    PolicyContext,
    RequiredSigners,
    ScanClean,
    SeparationOfDuties,
    parse_policy,
)
from airlock.report import Severity

CTX = PolicyContext(
    digest="ab" * 32,
    source="hf:org/model",
    approvers=frozenset({"alice", "bob"}),
    signers=frozenset({"release-bot"}),
    scan_reports=(
        {"schema": "airlock.scan-report/v1", "findings": [{"rule_id": "R1", "severity": "medium"}]},
    ),
)


def test_rules() -> None:
    assert MinApprovers(2).evaluate(CTX).ok
    assert MinApprovers(3).evaluate(CTX).reasons == ("2 of 3 required approvals",)
    assert RequiredSigners(("release-bot",)).evaluate(CTX).ok
    assert not RequiredSigners(("release-bot", "qa")).evaluate(CTX).ok
    assert AllowedSources(("hf:org/*",)).evaluate(CTX).ok
    assert not AllowedSources(("hf:other/*",)).evaluate(CTX).ok
    assert ScanClean(Severity.HIGH).evaluate(CTX).ok
    bad = ScanClean(Severity.MEDIUM).evaluate(CTX)
    assert not bad.ok and "R1" in bad.reasons[0]
    assert not ScanClean(Severity.HIGH).evaluate(PolicyContext("ab" * 32, "x")).ok


def test_separation_of_duties() -> None:
    from datetime import UTC, datetime

    from airlock.registry.policy import CheckFact, required_facts

    assert SeparationOfDuties(2).evaluate(CTX).ok
    # bob signed the model and alice its check verdict: neither approval counts
    ctx = PolicyContext(
        "ab" * 32,
        "x",
        approvers=frozenset({"alice", "bob", "carol"}),
        signers=frozenset({"bob"}),
        checks=(CheckFact("alice", "allow", datetime.now(UTC)),),
    )
    assert SeparationOfDuties(1).evaluate(ctx).ok
    assert SeparationOfDuties(2).evaluate(ctx).reasons == (
        "1 of 2 required approvals by someone other than its signers "
        "(alice, bob also signed the model or its check)",
    )
    assert parse_policy({"rule": "separation_of_duties"}) == SeparationOfDuties(1)
    assert required_facts(SeparationOfDuties(1)) == {"approvers", "signers", "checks"}
    with pytest.raises(InvalidRequest, match="count"):
        parse_policy({"rule": "separation_of_duties", "count": 0})


def test_scan_clean_reads_nested_files_and_incomplete_scans() -> None:
    nested = PolicyContext(
        "ab" * 32,
        "x",
        scan_reports=({"files": [{"findings": [{"rule_id": "R9", "severity": "critical"}]}]},),
    )
    assert "R9" in ScanClean(Severity.HIGH).evaluate(nested).reasons[0]
    unknown = PolicyContext("ab" * 32, "x", scan_reports=({"findings": [{"severity": "weird"}]},))
    assert not ScanClean(Severity.CRITICAL).evaluate(unknown).ok
    partial = PolicyContext("ab" * 32, "x", scan_reports=({"findings": [], "not_scanned": ["a"]},))
    assert "incomplete" in ScanClean(Severity.LOW).evaluate(partial).reasons[0]


def test_combinators() -> None:
    ok, bad = MinApprovers(1), MinApprovers(5)
    assert AllOf((ok, ok)).evaluate(CTX).ok
    assert AllOf((ok, bad)).evaluate(CTX).reasons == ("2 of 5 required approvals",)
    assert AnyOf((bad, ok)).evaluate(CTX).ok
    result = AnyOf((bad, AllowedSources(("x",)))).evaluate(CTX)
    assert not result.ok and "none of the alternatives" in result.reasons[0]


def test_json_roundtrip() -> None:
    doc = {
        "all_of": [
            {"rule": "min_approvers", "count": 2},
            {"rule": "separation_of_duties", "count": 1},
            {"rule": "scan_clean", "severity": "high"},
            {
                "any_of": [
                    {"rule": "required_signers", "signers": ["release-bot"]},
                    {"rule": "allowed_sources", "patterns": ["hf:org/*"]},
                ]
            },
        ]
    }
    rule = parse_policy(doc)
    assert rule.to_json() == doc
    assert parse_policy(json.loads(json.dumps(rule.to_json()))) == rule
    assert rule.evaluate(CTX).ok


def _nested(depth: int) -> dict[str, object]:
    doc: dict[str, object] = {"all_of": []}
    for _ in range(depth):
        doc = {"all_of": [doc]}
    return doc


def test_depth_limit_boundary() -> None:
    parse_policy(_nested(8))
    with pytest.raises(InvalidRequest, match="deeper"):
        parse_policy(_nested(9))


@pytest.mark.parametrize(
    "doc",
    [
        None,
        [],
        {"rule": "nope"},
        {"rule": "min_approvers", "count": 0},
        {"rule": "min_approvers", "count": True},
        {"rule": "scan_clean", "severity": "urgent"},
        {"rule": "required_signers", "signers": []},
        {"rule": "allowed_sources", "patterns": [1]},
        {"any_of": []},
        {"all_of": "x"},
        _nested(10),
        {"all_of": [{"rule": "min_approvers", "count": 1}] * 65},
    ],
)
def test_bad_policies(doc: object) -> None:
    with pytest.raises(InvalidRequest):
        parse_policy(doc)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(["rule", "all_of", "any_of", "min_approvers", "scan_clean", "high"]),
    lambda c: (
        st.lists(c, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["rule", "all_of", "any_of", "count", "severity", "signers", "patterns", "x"]
            ),
            c,
            max_size=3,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_parse_policy_total(doc: object) -> None:
    try:
        rule = parse_policy(doc)
    except InvalidRequest:
        return
    assert parse_policy(rule.to_json()) == rule
    rule.evaluate(CTX)


def test_scan_clean_reads_real_scan_reports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The policy judges the engine's own ``airlock.scan-report/v1`` output."""
    import airlock
    from airlock.registry.policy import PolicyContext, ScanClean
    from airlock.report import Severity

    (tmp_path / "config.json").write_text("{}")
    clean = airlock.scan(tmp_path).to_json()
    (tmp_path / "model.bin").write_bytes(b"cos\nsystem\n(S'touch x'\ntR.")
    evil = airlock.scan(tmp_path).to_json()
    (tmp_path / "model.bin").unlink()
    (tmp_path / "w.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\0" * 64)
    unread = airlock.scan(tmp_path).to_json()
    rule = ScanClean(Severity.HIGH)

    def ctx(report):  # type: ignore[no-untyped-def]
        return PolicyContext(digest="0" * 64, source="hf:org/m", scan_reports=(report,))

    assert rule.evaluate(ctx(clean)).ok
    assert not rule.evaluate(ctx(evil)).ok
    res = rule.evaluate(ctx(unread))
    assert not res.ok and any("not scanned" in r for r in res.reasons)
