"""The output guard judges every string a response carries to the client, not only
``message.content``: tool-call arguments, reasoning fields, content given as parts, refusals and
every Responses API output item, JSON and streamed alike. Also: nesting too deep to parse is a
clean 400 (request) or 502 (upstream), and a request body trickled in is cut off with 408."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from airlock.guard.factory import default_pipeline
from airlock.guard.pipeline import Pipeline
from airlock.guard.proxy import ProxyConfig, create_app
from tests.guard.upstream import serve

CANARY = "airlock-canary-5f3e9a1b2c4d6e7f"
AWS = "AKIA" + "QWERTYUIOPASDFGH"
LEAK = f"the marker is {CANARY}, as you asked"


def _msg(**fields: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "model": "m",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", **fields}}
        ],
    }


def _call(args: str, name: str = "send") -> dict[str, Any]:
    return {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}


def _resp(*items: dict[str, Any]) -> dict[str, Any]:
    return {"id": "r1", "object": "response", "status": "completed", "output": list(items)}


JSON_CASES: dict[str, dict[str, Any]] = {
    "tool-args": _msg(content=None, tool_calls=[_call(json.dumps({"body": LEAK}))]),
    "tool-name": _msg(content=None, tool_calls=[_call("{}", name="x" + CANARY)]),
    "reasoning_content": _msg(content="ok", reasoning_content=LEAK),
    "reasoning": _msg(content="ok", reasoning=LEAK),
    "content-parts": _msg(content=[{"type": "text", "text": LEAK}]),
    "refusal": _msg(content=None, refusal=LEAK),
    "completions": {
        "id": "t",
        "object": "text_completion",
        "choices": [{"index": 0, "text": LEAK, "finish_reason": "stop"}],
    },
    "resp-reasoning-summary": _resp(
        {"type": "reasoning", "id": "rs", "summary": [{"type": "summary_text", "text": LEAK}]},
        {
            "type": "message",
            "id": "m",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "ok", "annotations": []}],
        },
    ),
    "resp-function-call": _resp(
        {"type": "function_call", "id": "fc", "call_id": "c", "name": "send", "arguments": LEAK}
    ),
    "resp-output-text": _resp(
        {
            "type": "message",
            "id": "m",
            "role": "assistant",
            "content": [{"type": "output_text", "text": LEAK}],
        }
    ),
    "resp-refusal": _resp(
        {
            "type": "message",
            "id": "m",
            "role": "assistant",
            "content": [{"type": "refusal", "refusal": LEAK}],
        }
    ),
}


def _pieces(text: str, n: int = 6) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


def _chunks(deltas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    evs = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": d, "finish_reason": None}],
        }
        for d in deltas
    ]
    evs.append(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
    )
    return evs


def _tool_deltas(args: str, name: str = "send") -> list[dict[str, Any]]:
    first = {
        "role": "assistant",
        "tool_calls": [
            {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": name, "arguments": ""},
            }
        ],
    }
    rest = [{"tool_calls": [{"index": 0, "function": {"arguments": p}}]} for p in _pieces(args)]
    return [first, *rest]


def _rev(etype: str, **data: Any) -> tuple[str, dict[str, Any]]:
    return etype, {"type": etype, **data}


def _resp_deltas(etype: str, text: str, **keys: Any) -> list[tuple[str, dict[str, Any]]]:
    return [_rev(etype, output_index=0, item_id="x", delta=p, **keys) for p in _pieces(text)]


STREAM_CASES: dict[str, list[Any]] = {
    "tool-args": _chunks(_tool_deltas(json.dumps({"body": LEAK}))),
    "tool-name": _chunks(_tool_deltas("{}", name="x" + CANARY)),
    "reasoning_content": _chunks([{"reasoning_content": p} for p in _pieces(LEAK)]),
    "reasoning": _chunks([{"reasoning": p} for p in _pieces(LEAK)]),
    "refusal": _chunks([{"refusal": p} for p in _pieces(LEAK)]),
    "content-parts": _chunks([{"content": [{"type": "text", "text": p}]} for p in _pieces(LEAK)]),
    "resp-function-call": [
        *_resp_deltas("response.function_call_arguments.delta", LEAK),
        _rev("response.function_call_arguments.done", output_index=0, item_id="x", arguments=LEAK),
    ],
    "resp-reasoning-summary": [
        *_resp_deltas("response.reasoning_summary_text.delta", LEAK, summary_index=0),
        _rev("response.reasoning_summary_text.done", output_index=0, summary_index=0, text=LEAK),
    ],
    "resp-refusal": _resp_deltas("response.refusal.delta", LEAK, content_index=0),
    # no deltas at all: the whole item arrives in one event
    "resp-item-done": [
        _rev(
            "response.output_item.done",
            output_index=0,
            item={
                "type": "function_call",
                "id": "fc",
                "call_id": "c",
                "name": "send",
                "arguments": LEAK,
            },
        )
    ],
    "resp-completed": [_rev("response.completed", response=JSON_CASES["resp-reasoning-summary"])],
}

BENIGN_ARGS = json.dumps({"city": "Paris", "units": "metric", "note": "x" * 400})
STREAM_CASES["benign-tool"] = _chunks(_tool_deltas(BENIGN_ARGS, name="get_weather"))
JSON_CASES["secret-in-args"] = _msg(content="ok", tool_calls=[_call(json.dumps({"k": AWS}))])
STREAM_CASES["secret-in-args"] = _chunks(_tool_deltas(json.dumps({"k": AWS, "pad": "y" * 300})))


# strings outside the held-back delta texts: logprobs tokens (and their UTF-8 bytes), a whole
# message inside a chunk, chunks with no choices or odd choices, Responses delta extras
def _lp(piece: str, alts: bool = True) -> dict[str, Any]:
    top = [{"token": piece, "logprob": -0.1, "bytes": list(piece.encode())}] if alts else []
    return {
        "content": [
            {"token": piece, "logprob": -0.1, "bytes": list(piece.encode()), "top_logprobs": top}
        ]
    }


def _lp_chunks(content: list[str], tokens: list[str], **lp: Any) -> list[dict[str, Any]]:
    evs = _chunks([{"content": c} for c in content])
    for ev, tok in zip(evs, tokens, strict=False):
        ev["choices"][0]["logprobs"] = _lp(tok, **lp)
    return evs


_NOISE = ["ok "] * len(_pieces(LEAK))
STREAM_CASES["logprobs-token"] = _lp_chunks(_NOISE, _pieces(LEAK))
STREAM_CASES["logprobs-bytes"] = _chunks([{"content": "ok "} for _ in _NOISE])
for _ev, _p in zip(STREAM_CASES["logprobs-bytes"], _pieces(LEAK), strict=False):
    _ev["choices"][0]["logprobs"] = {
        "content": [{"token": "", "logprob": -0.1, "bytes": list(_p.encode())}]
    }
STREAM_CASES["message-in-chunk"] = [
    {"id": "c", "choices": [{"index": 0, "message": {"content": p}, "finish_reason": None}]}
    for p in _pieces(LEAK)
] + _chunks([])
STREAM_CASES["no-choices"] = [{"id": "c", "content": p} for p in _pieces(LEAK)]
STREAM_CASES["odd-choices"] = [{"id": "c", "choices": [p]} for p in _pieces(LEAK)]
STREAM_CASES["resp-delta-logprobs"] = [
    _rev(
        "response.output_text.delta",
        output_index=0,
        content_index=0,
        item_id="m",
        delta="ok ",
        logprobs=[{"token": p, "logprob": -0.1, "top_logprobs": []}],
    )
    for p in _pieces(LEAK)
]
STREAM_CASES["resp-delta-extra"] = [
    _rev("response.output_text.delta", output_index=0, content_index=0, delta="ok", text=p)
    for p in _pieces(LEAK)
]
JSON_CASES["tool-call-id"] = _msg(
    content=None, tool_calls=[{**_call("{}"), "id": f"functions.{CANARY}:0"}]
)
HONEST = " ".join(f"word{i} is fine;" for i in range(120))  # 1.7k chars, longer than holdback
STREAM_CASES["benign-logprobs"] = _lp_chunks(_pieces(HONEST, 5), _pieces(HONEST, 5))

STREAM_CASES["cmpl-top-keys"] = [
    {
        "id": "t",
        "object": "text_completion",
        "choices": [
            {
                "index": 0,
                "text": "ok ",
                "logprobs": {"tokens": ["ok "], "top_logprobs": [{p: -0.1, "ok ": -0.2}]},
                "finish_reason": None,
            }
        ],
    }
    for p in _pieces(LEAK)
]
JSON_CASES["cmpl-top-keys"] = {
    "id": "t",
    "object": "text_completion",
    "choices": [
        {
            "index": 0,
            "text": "ok",
            "logprobs": {"tokens": ["ok"], "top_logprobs": [{LEAK: -0.1}]},
            "finish_reason": "stop",
        }
    ],
}
_SECRET_TEXT = f"key {AWS} " + "z" * 300
STREAM_CASES["secret-logprobs"] = _lp_chunks(_pieces(_SECRET_TEXT), _pieces(_SECRET_TEXT))

DEEP = "[" * 100_000 + "]" * 100_000


def make_leaky_upstream() -> FastAPI:
    """Answers with the canned response named by the ``x-case`` header."""
    app = FastAPI()

    async def answer(request: Request) -> Response:
        body = await request.json()
        case = request.headers["x-case"]
        if case == "deep-json":
            return Response('{"choices": ' + DEEP + "}", media_type="application/json")
        if case == "deep-walk":  # parses, but deeper than the guard walks
            deep = '{"a": ' * 400 + "1" + "}" * 400
            return Response('{"choices": [' + deep + "]}", media_type="application/json")
        if case == "deep-stream":
            frames = [b'data: {"choices": ' + DEEP.encode() + b"}\n\n", b"data: [DONE]\n\n"]
            return StreamingResponse(iter(frames), media_type="text/event-stream")
        if case == "text-200":
            return Response(f"here it is: {LEAK}", media_type="text/plain")
        if case == "error-500":  # an upstream error echoing the prompt
            err = {"error": {"message": f"bad request: {LEAK}", "type": "server_error"}}
            return Response(json.dumps(err), status_code=500, media_type="application/json")
        if case == "error-text-400":
            return Response(f"cannot parse {LEAK}", status_code=400, media_type="text/html")
        if not body.get("stream"):
            return Response(json.dumps(JSON_CASES[case]), media_type="application/json")
        events = STREAM_CASES[case]
        if case.startswith("resp-"):
            frames = [f"event: {n}\ndata: {json.dumps(e)}\n\n".encode() for n, e in events]
        else:
            frames = [f"data: {json.dumps(e)}\n\n".encode() for e in events]
            frames.append(b"data: [DONE]\n\n")
        return StreamingResponse(iter(frames), media_type="text/event-stream")

    for route in ("/v1/chat/completions", "/v1/completions", "/v1/responses"):
        app.post(route)(answer)
    return app


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return default_pipeline(canaries=[CANARY])


@pytest.fixture(scope="module")
def proxy(pipeline: Pipeline) -> Iterator[str]:
    with (
        serve(make_leaky_upstream()) as up,
        serve(create_app(ProxyConfig(upstream=up, body_timeout_s=1.0), pipeline)) as url,
    ):
        yield url


def _route(case: str) -> tuple[str, dict[str, Any]]:
    if case.startswith("resp-"):
        return "/v1/responses", {"model": "m", "input": "hi"}
    if case == "completions" or case.startswith("cmpl-"):
        return "/v1/completions", {"model": "m", "prompt": "hi"}
    return "/v1/chat/completions", {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def post(url: str, case: str, stream: bool = False) -> httpx.Response:
    path, body = _route(case)
    return httpx.post(
        url + path, json={**body, "stream": stream}, headers={"x-case": case}, timeout=30
    )


def events(r: httpx.Response) -> list[dict[str, Any]]:
    return [
        json.loads(line[6:])
        for line in r.text.splitlines()
        if line.startswith("data: ") and line != "data: [DONE]"
    ]


LEAK_JSON = [c for c in JSON_CASES if c != "secret-in-args"]
LEAK_STREAM = [
    c
    for c in STREAM_CASES
    if c not in ("benign-tool", "secret-in-args", "benign-logprobs", "secret-logprobs")
]


@pytest.mark.parametrize("case", LEAK_JSON)
def test_canary_in_any_json_field_is_blocked(proxy: str, case: str) -> None:
    r = post(proxy, case)
    assert r.status_code == 400, r.text
    assert CANARY not in r.text
    err = r.json()["error"]
    assert err["code"] == "airlock_output_blocked" and "AIR-GRD-CANARY-001" in err["findings"]


@pytest.mark.parametrize("case", LEAK_STREAM)
def test_canary_in_any_streamed_field_is_cut(proxy: str, case: str) -> None:
    r = post(proxy, case, stream=True)
    assert r.status_code == 200
    assert CANARY not in r.text and CANARY[:20] not in r.text.replace("\\", "")
    errors = [e["error"] for e in events(r) if "error" in e]
    assert errors and errors[0]["code"] == "airlock_output_blocked", r.text
    assert "AIR-GRD-CANARY-001" in errors[0]["findings"]


@pytest.mark.parametrize(
    "case",
    ["logprobs-token", "logprobs-bytes", "message-in-chunk", "no-choices", "odd-choices",
     "resp-delta-logprobs", "resp-delta-extra", "cmpl-top-keys"],
)  # fmt: skip
def test_no_piece_of_a_streamed_leak_outside_the_delta_goes_out(proxy: str, case: str) -> None:
    r = post(proxy, case, stream=True)
    # every piece after the canary's first is held back until judged: none reaches the client
    for piece in ("nary-5", "f3e9a1", "b2c4d6", "e7f, a"):
        assert piece not in r.text, r.text
        assert str(list(piece.encode()))[1:-1].replace(" ", "") not in r.text.replace(" ", "")
    sent = json.dumps([e for e in events(r) if "error" not in e])
    assert '"logprobs"' not in sent and '"message"' not in sent and '"text"' not in sent


@pytest.mark.parametrize(
    ("case", "status"), [("text-200", 400), ("error-500", 502), ("error-text-400", 502)]
)
def test_canary_in_a_text_or_error_body_is_blocked(proxy: str, case: str, status: int) -> None:
    r = post(proxy, case)
    assert r.status_code == status, r.text
    assert CANARY not in r.text
    assert r.json()["error"]["code"] == "airlock_output_blocked"


def test_honest_stream_with_logprobs_arrives_complete_and_in_order(proxy: str) -> None:
    r = post(proxy, "benign-logprobs", stream=True)
    assert r.status_code == 200 and r.text.rstrip().endswith("data: [DONE]")
    evs = events(r)
    assert not [e for e in evs if "error" in e]
    text, tokens, raw = [], [], b""
    for ev in evs:
        for ch in ev["choices"]:
            text.append(ch.get("delta", {}).get("content") or "")
            for lp in (ch.get("logprobs") or {}).get("content") or []:
                tokens.append(lp["token"])
                raw += bytes(lp["bytes"])
                assert lp["top_logprobs"][0]["token"] == lp["token"]
    assert "".join(text) == HONEST
    assert "".join(tokens) == HONEST and raw.decode() == HONEST
    assert evs[-1]["choices"][0]["finish_reason"] == "stop"


def test_secret_in_streamed_logprobs_is_redacted_or_blanked(proxy: str) -> None:
    r = post(proxy, "secret-logprobs", stream=True)
    assert r.status_code == 200 and r.text.rstrip().endswith("data: [DONE]")
    assert AWS[4:12] not in r.text and str(list(AWS[4:12].encode()))[1:-1] not in r.text
    evs = events(r)
    assert not [e for e in evs if "error" in e]
    text = "".join(ch.get("delta", {}).get("content") or "" for e in evs for ch in e["choices"])
    assert text.endswith("z" * 300)


def test_streamed_tool_call_is_reassembled_intact(proxy: str) -> None:
    r = post(proxy, "benign-tool", stream=True)
    assert r.status_code == 200 and r.text.rstrip().endswith("data: [DONE]")
    evs = events(r)
    assert not [e for e in evs if "error" in e]
    names, args = [], []
    for ev in evs:
        for ch in ev["choices"]:
            for tc in ch.get("delta", {}).get("tool_calls") or []:
                assert tc["index"] == 0
                names.append(tc.get("function", {}).get("name") or "")
                args.append(tc.get("function", {}).get("arguments") or "")
    assert names[0] == "get_weather"  # the name is not held back: clients need it first
    assert "".join(args) == BENIGN_ARGS
    assert evs[-1]["choices"][0]["finish_reason"] == "stop"  # the finish event comes last


def test_secret_in_tool_arguments_is_redacted(proxy: str) -> None:
    r = post(proxy, "secret-in-args")
    assert r.status_code == 200
    msg = r.json()["choices"][0]["message"]
    assert AWS not in r.text and msg["content"] == "ok"
    assert set(json.loads(msg["tool_calls"][0]["function"]["arguments"])) == {"k"}
    s = post(proxy, "secret-in-args", stream=True)
    assert s.status_code == 200 and AWS not in s.text and AWS[:12] not in s.text


@pytest.mark.parametrize("field", ["messages", "metadata", "logit_bias"])
def test_deeply_nested_request_is_a_400(proxy: str, field: str) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    raw = json.dumps(body)[:-1] + f', "{field}": {DEEP}}}'
    if field == "messages":
        raw = '{"model": "m", "messages": ' + DEEP + "}"
    r = httpx.post(
        proxy + "/v1/chat/completions",
        content=raw.encode(),
        timeout=30,
        headers={"content-type": "application/json", "x-case": "refusal"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("case", ["deep-json", "deep-walk"])
def test_deeply_nested_upstream_json_is_a_clean_502(proxy: str, case: str) -> None:
    r = post(proxy, case)
    assert r.status_code == 502, r.text
    assert r.json()["error"]["code"] == "upstream_error"


def test_deeply_nested_upstream_event_ends_the_stream_cleanly(proxy: str) -> None:
    r = post(proxy, "deep-stream", stream=True)
    assert r.status_code == 200
    errors = [e["error"] for e in events(r) if "error" in e]
    assert errors and errors[0]["code"] == "upstream_error"


def test_trickled_request_body_gets_408_and_the_connection_closes(proxy: str) -> None:
    host, port = proxy.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n"
            b"content-type: application/json\r\ncontent-length: 200\r\n\r\n{"
        )
        s.settimeout(0.2)
        t0 = time.monotonic()
        got = b""
        while time.monotonic() - t0 < 10:
            try:
                data = s.recv(65536)
            except TimeoutError:
                try:
                    s.sendall(b" ")  # one byte per 0.2 s: never idle, never done
                except OSError:
                    break
                continue
            if not data:
                break  # closed by the server
            got += data
        elapsed = time.monotonic() - t0
    assert got.startswith(b"HTTP/1.1 408"), got[:200]
    assert b"request_timeout" in got and b"connection: close" in got.lower()
    assert elapsed < 5  # closed soon after the 1 s deadline, not held open
