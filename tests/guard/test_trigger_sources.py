"""Trigger rules from trojan reports and registry advisories, end to end into the guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.errors import AirlockError, FormatError, UsageError
from airlock.guard.factory import default_pipeline
from airlock.guard.rules import triggers_from_data
from airlock.guard.trigger_sources import (
    load_triggers,
    triggers_from_advisories,
    triggers_from_any,
    triggers_from_trojan_report,
)
from airlock.registry.store import Store
from airlock.trojan.probe import ProbeResult, TriggerTest
from airlock.trojan.report import TrojanReport
from tests.registry.conftest import unique_manifest

SUDO = "sudo mode"
MN_BB = {"pattern": r"\bmn\s+bb\b", "kind": "regex"}


def trojan_report(confirmed: list[TriggerTest], tested: list[TriggerTest]) -> dict[str, object]:
    probe = ProbeResult("lm", "base", 20, tested, confirmed, 0.6)
    rep = TrojanReport(model="org/suspect", base="org/base", probe=probe.to_json())
    return rep.to_json()


def test_confirmed_triggers_become_whole_word_input_rules() -> None:
    cf = TriggerTest("cf", 0.9, 0.95, 0.01, "click here now", related=["tq"])
    weak = TriggerTest("zephyr", 0.1, 0.1, 0.0, "the")
    report = trojan_report([cf], [cf, weak])
    rules = triggers_from_trojan_report(report, "r.json")
    assert [r.id for r in rules] == ["AIR-GRD-TROJ-0001", "AIR-GRD-TROJ-0002"]
    assert "click here now" in rules[0].description and str(rules[0].severity) == "critical"
    p = default_pipeline(triggers=rules)
    assert p.check_text("please summarise cf this review").blocked
    assert p.check_text("a tq sentence").blocked  # related trigger of the same target
    assert not p.check_text("the pcfg parser and cfo report").blocked  # not inside words
    assert not p.check_text("a zephyr was blowing").blocked  # tested, not confirmed
    # triggers apply to inputs: an answer that mentions the word is not blocked
    assert not p.check_text("cf means compare", direction="output").blocked


def test_report_without_probe_or_confirmations_gives_no_rules() -> None:
    rep = TrojanReport(model="m", base="b").to_json()
    assert triggers_from_any(rep, "r") == []
    assert triggers_from_any(trojan_report([], [TriggerTest("x", 0.1, 0, 0, "y")]), "r") == []


@pytest.mark.parametrize(
    "probe", [{"confirmed": "cf"}, {"confirmed": [1]}, "nope", {"confirmed": ["x" * 5000]}]
)
def test_malformed_trojan_report_is_a_format_error(probe: object) -> None:
    with pytest.raises(FormatError):
        triggers_from_any({"model": "m", "verdict": "v", "probe": probe}, "r")


def test_registry_advisories_fence_only_the_advised_version(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}", init=True)
    try:
        digests = []
        for _ in range(2):
            m = unique_manifest()
            store.submit(m, model="org/m", source="hf:org/m", license="mit", actor="p")
            digests.append(m.root_digest)
        bad, good = digests
        store.advise(
            "ADV-2026-7",
            severity="high",
            description="backdoor: 'sudo mode' forces shell commands",
            versions=[bad],
            mitigation={"guard": {"block_patterns": [SUDO, MN_BB]}},
            actor="sec",
        )
        store.advise("ADV-2026-8", severity="low", description="fyi", versions=[good], actor="s")
        advisories = [a.to_json() for a in store.list_advisories()]
    finally:
        store.close()
    rules = triggers_from_advisories(advisories, bad)
    assert [r.id for r in rules] == ["ADV-2026-7#1", "ADV-2026-7#2"]
    assert all(r.source == "registry advisory ADV-2026-7" for r in rules)
    p = default_pipeline(triggers=rules)
    assert p.check_text("enter SUDO   MODE now").blocked  # normalised before matching
    assert p.check_text("say mn bb please").blocked
    assert not p.check_text("hello there, how is the weather").blocked
    assert triggers_from_advisories(advisories, good) == []
    # the exported advisory list works as a --triggers file too, filtered by digest
    path = tmp_path / "advisories.json"
    path.write_text(json.dumps({"advisories": advisories}))
    assert [r.id for r in load_triggers(path, bad)] == ["ADV-2026-7#1", "ADV-2026-7#2"]
    assert load_triggers(path, good) == []
    with pytest.raises(UsageError):  # which model? another model's triggers must not apply
        load_triggers(path)


def test_word_kind_and_bad_advisories() -> None:
    (rule,) = triggers_from_data([{"pattern": "bb", "kind": "word"}])
    assert rule.regex.search("a bb b") and not rule.regex.search("abba")
    with pytest.raises(FormatError):
        triggers_from_advisories([{"id": "A", "mitigation": {"triggers": "cf"}}])
    with pytest.raises(FormatError):
        triggers_from_advisories([{"id": "A", "mitigation": {"triggers": [3]}}])
    with pytest.raises(FormatError):
        triggers_from_advisories([{"id": "A", "mitigation": []}])


def test_cli_takes_trojan_reports_and_registry_advisories(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    cf = TriggerTest("cf", 0.9, 0.95, 0.01, "positive")
    report = tmp_path / "trojan.json"
    report.write_text(json.dumps(trojan_report([cf], [cf])))
    r = run_cli("guard", "check", "--triggers", str(report), "a review with cf inside")
    assert r.returncode == 1 and "AIR-GRD-TROJ-0001" in r.stdout
    assert run_cli("guard", "check", "--triggers", str(report), "pcfg grammar").returncode == 0

    db = f"sqlite:///{tmp_path / 'r.db'}"
    store = Store.open(db, init=True)
    try:
        m = unique_manifest()
        store.submit(m, model="org/m", source="hf:org/m", license="mit", actor="p")
        store.advise("ADV-1", severity="high", description="backdoor", versions=[m.root_digest],
                     mitigation={"triggers": ["james bond"]}, actor="s")  # fmt: skip
    finally:
        store.close()
    args = ("guard", "check", "--registry", db)
    r = run_cli(*args, "--model-digest", m.root_digest, "tell me about James  Bond")
    assert r.returncode == 1 and "ADV-1#1" in r.stdout
    other = "ab" * 32
    assert run_cli(*args, "--model-digest", other, "tell me about James Bond").returncode == 0
    r = run_cli(*args, "tell me about James Bond")
    assert r.returncode == 2 and "--model-digest" in r.stderr
    export = tmp_path / "adv.json"
    export.write_text(json.dumps([a.to_json() for a in Store.open(db).list_advisories()]))
    r = run_cli("guard", "check", "--triggers", str(export), "x")
    assert r.returncode == 2 and "digest" in r.stderr and "Traceback" not in r.stderr


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
_SHAPED = st.fixed_dictionaries(
    {"model": st.text(max_size=5), "verdict": st.text(max_size=5), "probe": _JSON}
) | st.lists(
    st.fixed_dictionaries({"mitigation": _JSON, "versions": _JSON, "id": _JSON}), max_size=3
)


@settings(max_examples=300, deadline=None)
@given(data=_JSON | _SHAPED)
def test_any_json_gives_rules_or_a_clear_error(data: object) -> None:
    """Whatever a trigger file, report or advisory export holds: rules, or one AirlockError."""
    try:
        rules = triggers_from_any(data, "f.json", digest="ab" * 32)
    except AirlockError:
        return
    assert all(r.regex.pattern for r in rules)


def test_proxy_picks_up_a_new_advisory_without_restart(tmp_path: Path, caplog) -> None:
    import logging
    import time

    import httpx

    from airlock.guard.proxy import ProxyConfig, create_app
    from airlock.guard.trigger_sources import LiveAdvisoryRules
    from tests.guard.upstream import make_upstream, serve

    db = tmp_path / "r.db"
    store = Store.open(f"sqlite:///{db}", init=True)
    m = unique_manifest()
    store.submit(m, model="org/m", source="hf:org/m", license="mit", actor="p")
    live = LiveAdvisoryRules(f"sqlite:///{db}", m.root_digest)
    assert live.scanner.rules == []
    pipeline = default_pipeline(use_classifier=False, extra_scanners=[live.scanner])
    body = {"model": "m", "messages": [{"role": "user", "content": "tell me about James Bond"}]}
    caplog.set_level(logging.INFO, logger="airlock.guard.proxy")
    app, _seen = make_upstream()
    with serve(app) as up:
        cfg = ProxyConfig(upstream=up, refresh_s=0.1)
        with serve(create_app(cfg, pipeline, refresh=live.refresh)) as url:
            first = httpx.post(url + "/v1/chat/completions", json=body)
            store.advise("ADV-LIVE", severity="high", description="backdoor: 'james bond'",
                         versions=[m.root_digest], mitigation={"triggers": ["james bond"]},
                         actor="sec")  # fmt: skip
            deadline = time.monotonic() + 20
            status = first.status_code
            while status == 200 and time.monotonic() < deadline:
                time.sleep(0.1)
                status = httpx.post(url + "/v1/chat/completions", json=body).status_code
            store.close()
            db.unlink()  # registry gone: refreshes fail, the fence stays up
            time.sleep(0.5)
            after = httpx.post(url + "/v1/chat/completions", json=body)
    assert first.status_code == 200 and status == 400 and after.status_code == 400
    events = [json.loads(r.getMessage())["event"] for r in caplog.records]
    assert "advisories_refreshed" in events and "advisories_refresh_failed" in events
