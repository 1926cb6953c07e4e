"""The proxy behaves like a server: start-up line, JSON access log with request ids, /healthz and
/readyz, an SSE error event before a stalled stream is closed, and the Responses API guarded
both ways (JSON and streamed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from airlock.guard.factory import default_pipeline
from airlock.guard.pipeline import Pipeline
from airlock.guard.proxy import ProxyConfig, create_app, startup_line
from airlock.guard.types import GuardFinding, ScanContext
from tests.guard.test_proxy import AWS, INJECTION, chat, reply
from tests.guard.upstream import make_upstream, serve


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    app, _seen = make_upstream()
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return default_pipeline()


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [json.loads(r.getMessage()) for r in caplog.records]
    return [e for e in lines if e["event"] == "access"]


def test_access_log_has_request_id_latency_and_decision(upstream, pipeline, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="airlock.guard.proxy")
    with serve(create_app(ProxyConfig(upstream=upstream), pipeline)) as url:
        ok = httpx.post(url + "/v1/chat/completions", json=chat("What is the capital of Peru?"),
                        headers={"x-request-id": "client-42"})  # fmt: skip
        bad = httpx.post(url + "/v1/chat/completions", json=chat(INJECTION))
        miss = httpx.get(url + "/nope")
    assert ok.headers["x-request-id"] == "client-42"
    assert bad.headers["x-request-id"].startswith("req_")
    log = access_lines(caplog)
    by_id = {e["request_id"]: e for e in log}
    assert by_id["client-42"]["status"] == 200 and by_id["client-42"]["decision"] == "allow"
    blocked = by_id[bad.headers["x-request-id"]]
    assert blocked["status"] == 400 and blocked["decision"] == "block"
    assert blocked["latency_ms"] > 0 and blocked["path"] == "/v1/chat/completions"
    assert by_id[miss.headers["x-request-id"]]["status"] == 404


def test_hostile_request_ids_are_replaced(upstream, pipeline) -> None:  # type: ignore[no-untyped-def]
    with serve(create_app(ProxyConfig(upstream=upstream), pipeline)) as url:
        r = httpx.get(url + "/healthz", headers={"x-request-id": "a b" + "x" * 200})
    assert r.headers["x-request-id"].startswith("req_")


class Broken:
    name, cost, timeout_s, directions = "broken", 0, 0.5, frozenset({"input"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        raise RuntimeError("down")


def test_healthz_and_readyz(upstream, pipeline) -> None:  # type: ignore[no-untyped-def]
    with serve(create_app(ProxyConfig(upstream=upstream), pipeline)) as url:
        assert httpx.get(url + "/healthz").json() == {"status": "ok"}
        ready = httpx.get(url + "/readyz")
    assert ready.status_code == 200 and "classifier" in ready.json()["scanners"]
    sick = default_pipeline(use_classifier=False, extra_scanners=[Broken()])
    with serve(create_app(ProxyConfig(upstream=upstream), sick)) as url:
        assert httpx.get(url + "/healthz").status_code == 200
        r = httpx.get(url + "/readyz")
    assert r.status_code == 503 and r.json()["status"] == "not ready"


def test_startup_line_names_address_and_configuration(pipeline) -> None:  # type: ignore[no-untyped-def]
    line = startup_line(ProxyConfig(upstream="http://127.0.0.1:9"), pipeline,
                        "http://127.0.0.1:8080")  # fmt: skip
    assert line.startswith("airlock guard serve: listening on http://127.0.0.1:8080")
    thr = next(sc for sc in pipeline.scanners if sc.name == "classifier").threshold  # type: ignore[attr-defined]
    assert f"classifier threshold {thr:g}" in line and "fail-closed" in line
    assert "/v1/responses" in line and "token ids refuse" in line


def test_stalled_stream_ends_with_an_error_event(upstream, pipeline) -> None:  # type: ignore[no-untyped-def]
    cfg = ProxyConfig(upstream=upstream, upstream_timeout_s=0.5)
    events: list[dict[str, Any]] = []
    with (
        serve(create_app(cfg, pipeline)) as url,
        httpx.Client(timeout=30) as c,
        c.stream("POST", url + "/v1/chat/completions", json=chat("Tell me a story.", True),
                 headers={**reply("Once upon a time there was a fox."), "x-stall": "5"}) as r,
    ):  # fmt: skip
        assert r.status_code == 200
        events = [json.loads(x[6:]) for x in r.iter_lines()
                  if x.startswith("data: ") and x != "data: [DONE]"]  # fmt: skip
    assert "error" in events[-1] and "stalled" in events[-1]["error"]["message"]


def test_responses_api_is_guarded_both_ways(upstream, pipeline) -> None:  # type: ignore[no-untyped-def]
    with serve(create_app(ProxyConfig(upstream=upstream), pipeline)) as url:
        bad = httpx.post(url + "/v1/responses", json={"model": "m", "input": "hi",
                                                      "instructions": INJECTION})  # fmt: skip
        ok = httpx.post(url + "/v1/responses", json={"model": "m", "input": "the key?"},
                        headers=reply("the key is " + AWS))  # fmt: skip
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "airlock_guard_blocked"
    text = ok.json()["output"][0]["content"][0]["text"]
    assert text == "the key is [REDACTED:AIR-GRD-SEC-001]"


def test_responses_stream_is_redacted_in_deltas_and_in_final_events(upstream, pipeline) -> None:  # type: ignore[no-untyped-def]
    answer = "Here is the deploy key " + AWS + " - keep it safe. " + "filler " * 60
    body = {"model": "m", "input": "notes?", "stream": True}
    deltas, finals = [], []
    with (
        serve(create_app(ProxyConfig(upstream=upstream), pipeline)) as url,
        httpx.Client(timeout=30) as c,
        c.stream("POST", url + "/v1/responses", json=body, headers=reply(answer)) as r,
    ):
        raw = r.read().decode()
    for line in raw.splitlines():
        if not line.startswith("data: "):
            continue
        ev = json.loads(line[6:])
        if ev.get("type") == "response.output_text.delta":
            deltas.append(ev["delta"])
        elif ev.get("type") in ("response.output_text.done", "response.completed"):
            finals.append(json.dumps(ev))
    streamed = "".join(deltas)
    assert AWS not in raw and "[REDACTED:AIR-GRD-SEC-001]" in streamed
    assert streamed.endswith("filler " * 3) and len(finals) == 2
    assert all("[REDACTED:AIR-GRD-SEC-001]" in f for f in finals)
