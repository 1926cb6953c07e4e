"""A fake OpenAI-compatible upstream (real FastAPI app) and a helper to serve apps on loopback."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


def make_upstream() -> tuple[FastAPI, list[dict[str, Any]]]:
    """Replies with the text of the ``x-reply`` request header (base64) or a default text.

    Records every request body it received, so tests can prove a blocked request never arrived.
    """
    app = FastAPI()
    seen: list[dict[str, Any]] = []
    app.state.raw = []  # (query string, raw body bytes) of every chat request
    app.state.streams = []  # "finished" or "closed early", per streamed answer

    def reply_for(request: Request) -> str:
        enc = request.headers.get("x-reply")
        return base64.b64decode(enc).decode() if enc else "Paris is the capital of France."

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        app.state.raw.append((request.url.query, await request.body()))
        reply = reply_for(request)
        delay = float(request.headers.get("x-delay", "0"))
        if body.get("stream"):

            async def gen() -> AsyncIterator[bytes]:
                done = False
                try:
                    async for part in events():
                        if delay:
                            await asyncio.sleep(delay)
                        yield part
                    done = True
                finally:
                    app.state.streams.append("finished" if done else "closed early")

            async def events() -> AsyncIterator[bytes]:
                role = {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "choices": [
                        {"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}
                    ],
                }
                yield f"data: {json.dumps(role)}\n\n".encode()
                stall = float(request.headers.get("x-stall", "0"))
                for i in range(0, len(reply), 7):
                    if stall and i >= 7:
                        await asyncio.sleep(stall)  # goes quiet mid-answer
                    ev = {
                        "id": "c1",
                        "object": "chat.completion.chunk",
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"content": reply[i : i + 7]},
                                "finish_reason": None,
                            }
                        ],
                    }
                    yield f"data: {json.dumps(ev)}\n\n".encode()
                end = {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                if request.headers.get("x-truncate"):
                    return  # connection ends mid-answer: no finish event, no [DONE]
                yield f"data: {json.dumps(end)}\n\n".encode()
                yield b"data: [DONE]\n\n"

            return StreamingResponse(gen(), media_type="text/event-stream")
        return JSONResponse(
            {
                "id": "c1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": reply},
                    }
                ],
            }
        )

    @app.post("/v1/completions")
    async def completions(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        return {
            "id": "t1",
            "object": "text_completion",
            "choices": [{"index": 0, "text": reply_for(request), "finish_reason": "stop"}],
        }

    @app.post("/v1/responses")
    async def responses(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        reply = reply_for(request)
        item = {"type": "message", "id": "m1", "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": reply, "annotations": []}]}  # fmt: skip
        done = {"id": "r1", "object": "response", "status": "completed", "output": [item]}
        if not body.get("stream"):
            return done

        async def gen() -> AsyncIterator[bytes]:
            def ev(name: str, data: dict[str, Any]) -> bytes:
                return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode()

            yield ev("response.created", {"response": {"id": "r1", "output": []}})
            for i in range(0, len(reply), 5):
                yield ev("response.output_text.delta",
                         {"output_index": 0, "content_index": 0, "delta": reply[i : i + 5]})
            yield ev("response.output_text.done",
                     {"output_index": 0, "content_index": 0, "text": reply})
            yield ev("response.completed", {"response": done})

        return StreamingResponse(gen(), media_type="text/event-stream")

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        return {
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
        }

    return app, seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on 127.0.0.1 in a thread; yields its base URL; bounded start-up."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
