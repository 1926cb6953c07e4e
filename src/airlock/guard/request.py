"""Every text an OpenAI-style request carries to the model, with the role it plays there.

Chat Completions, Completions, Responses and Embeddings bodies are walked field by field:
message content (strings, typed and untyped parts), ``name``, assistant ``refusal`` and
tool-call arguments, tool and function descriptions and their parameter schemas (every string in
a schema reaches the prompt: descriptions, titles, enums, defaults, property names),
``response_format``/``text.format`` schemas, ``chat_template`` and ``chat_template_kwargs``,
``documents``, ``suffix``, Responses ``instructions``, function-call outputs and prompt
variables. Files attached inline (``file_data``) are decoded and judged when they hold text;
file content the guard cannot read (PDFs and other binary files, ``file_id`` / ``file_url``
references) is refused unless the policy forwards it unjudged. Token-id prompts are decoded
with the configured tokenizer or refused. A key this module does not know is walked for
strings, which are judged as text, or refused in strict mode.

Pure: no I/O; the pipeline scans what this returns.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from airlock.guard.types import GuardFinding, Limits, limit_finding

ENDPOINTS = ("chat", "completions", "embeddings", "responses")
MAX_DEPTH = 32
MAX_FIELDS = 4096

# Keys that carry no text to the model (sampling, ids, routing, accounting).
_NON_TEXT = frozenset({
    "model", "frequency_penalty", "presence_penalty", "repetition_penalty", "logit_bias",
    "logprobs", "top_logprobs", "max_tokens", "max_completion_tokens", "max_output_tokens", "n",
    "seed", "service_tier", "stop", "stream", "stream_options", "temperature", "top_p", "top_k",
    "min_p", "user", "parallel_tool_calls", "metadata", "store", "reasoning_effort", "reasoning",
    "modalities", "best_of", "echo", "encoding_format", "dimensions", "use_beam_search",
    "length_penalty", "ignore_eos", "skip_special_tokens", "spaces_between_special_tokens",
    "add_generation_prompt", "continue_final_message", "add_special_tokens", "min_tokens",
    "include_stop_str_in_output", "previous_response_id", "background", "include", "truncation",
    "max_tool_calls", "safety_identifier", "prompt_cache_key", "conversation", "priority",
    "request_id", "return_tokens_as_token_ids", "truncate_prompt_tokens",
})  # fmt: skip
# Keys inside a message / input item that are identifiers, not text.
_ITEM_IDS = frozenset({"role", "type", "id", "call_id", "tool_call_id", "status", "detail",
                       "file_id", "image_url", "url", "format", "audio", "index"})  # fmt: skip
_TEXT_PARTS = frozenset({"text", "input_text", "output_text", "refusal"})
_MEDIA_PARTS = frozenset({"image_url", "input_image", "input_audio"})
_FILE_PARTS = frozenset({"file", "input_file"})
# Container formats whose text is not their bytes (PDF streams, zipped Office files, images).
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
# What a base64 payload looks like (standard or URL-safe alphabet, line-wrapped, padding optional)
_B64ISH = re.compile(r"[A-Za-z0-9+/_\-\s]{16,}={0,2}\s*")
# MIME types of attached files whose bytes are text the model reads as such.
_TEXT_MIME = ("text/", "application/json", "application/xml", "application/x-yaml",
              "application/yaml", "application/csv", "application/x-ndjson",
              "application/javascript", "application/x-python", "application/sql")  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One text the model will see: where it sits in the body, the role it plays, the text."""

    where: str
    role: str
    text: str


@dataclass(frozen=True)
class RequestPolicy:
    """How to treat what is not plain text: token-id prompts (``refuse``, ``decode`` with
    ``decoder``, or ``allow`` unjudged), keys this module does not know (``strict`` refuses
    them; otherwise their strings are judged as text) and attached files the guard cannot read
    (``unread_files``: ``refuse``, or ``allow`` to forward them unjudged)."""

    id_prompts: str = "refuse"
    decoder: Callable[[list[int]], str] | None = None
    strict: bool = False
    unread_files: str = "refuse"

    def __post_init__(self) -> None:
        if self.id_prompts not in ("refuse", "decode", "allow"):
            raise ValueError(f"id_prompts must be refuse, decode or allow, not {self.id_prompts!r}")
        if self.unread_files not in ("refuse", "allow"):
            raise ValueError(f"unread_files must be refuse or allow, not {self.unread_files!r}")
        if self.id_prompts == "decode" and self.decoder is None:
            raise ValueError("id_prompts='decode' needs a decoder (a tokenizer)")


class RequestRefused(Exception):
    """The body cannot be judged (shape, limits, policy); ``finding`` says why."""

    def __init__(self, finding: GuardFinding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _refuse(msg: str) -> RequestRefused:
    return RequestRefused(limit_finding("request", msg))


class _Walker:
    def __init__(self, policy: RequestPolicy, limits: Limits) -> None:
        self.policy = policy
        self.limits = limits
        self.out: list[Field] = []

    def add(self, where: str, role: str, text: str) -> None:
        if len(self.out) >= MAX_FIELDS:
            raise _refuse(f"more than {MAX_FIELDS} text fields")
        if text:
            self.out.append(Field(where, role, text))

    def strings(self, obj: Any, where: str, role: str, depth: int = 0, keys: bool = True) -> None:
        """Every string in a JSON value (dict keys too: schema property names reach the
        prompt)."""
        if depth > MAX_DEPTH:
            raise _refuse(f"{where}: nested deeper than {MAX_DEPTH}")
        if isinstance(obj, str):
            self.add(where, role, obj)
        elif isinstance(obj, list):
            for i, x in enumerate(obj):
                self.strings(x, f"{where}[{i}]", role, depth + 1, keys)
        elif isinstance(obj, dict):
            names = [k for k in obj if isinstance(k, str)]
            if keys and names:
                self.add(f"{where}{{keys}}", role, " ".join(names))
            for k, v in obj.items():
                self.strings(v, f"{where}.{k}", role, depth + 1, keys)

    def unknown(self, obj: Any, where: str) -> None:
        if self.policy.strict:
            raise _refuse(f"{where}: unknown field (strict mode)")
        self.strings(obj, where, "unknown", keys=False)

    def text_or_tokens(self, val: Any, where: str, role: str) -> None:
        """A prompt/input: a string, a list of strings, token ids, or lists of token ids."""
        single = not (isinstance(val, list) and val and not _is_ids(val))
        items = [val] if single else val
        if not items or len(items) > self.limits.max_messages:
            raise _refuse(f"{where} must have 1-{self.limits.max_messages} items")
        for i, it in enumerate(items):
            w = where if single else f"{where}[{i}]"
            if isinstance(it, str):
                self.add(w, role, it)
            elif isinstance(it, list) and _is_ids(it):
                self.token_ids(it, w, role)
            else:
                raise _refuse(f"{where} items must be strings or token ids")

    def token_ids(self, ids: list[int], where: str, role: str) -> None:
        if len(ids) > self.limits.max_tokens_est:
            raise _refuse(f"{where}: {len(ids)} token ids > {self.limits.max_tokens_est}")
        if self.policy.id_prompts == "refuse":
            raise _refuse(f"{where}: token-id prompts cannot be judged without a tokenizer"
                          " (configure one, or allow them unjudged)")  # fmt: skip
        if self.policy.id_prompts == "decode" and self.policy.decoder is not None:
            try:
                text = self.policy.decoder(ids)
            except Exception as exc:  # an id out of the vocabulary, a broken tokenizer
                raise _refuse(f"{where}: token ids cannot be decoded ({type(exc).__name__})"
                              ) from None  # fmt: skip
            self.add(f"{where} (decoded)", role, text)

    def content(self, content: Any, where: str, role: str) -> None:
        if content is None:
            return
        if isinstance(content, str):
            self.add(where, role, content)
            return
        if not isinstance(content, list):
            raise _refuse(f"{where} has an unsupported shape")
        for j, part in enumerate(content):
            w = f"{where}[{j}]"
            if isinstance(part, str):
                self.add(w, role, part)
                continue
            if not isinstance(part, dict):
                raise _refuse(f"{w} has an unsupported shape")
            kind = part.get("type")
            if kind in _TEXT_PARTS or (kind is None and ("text" in part or "refusal" in part)):
                text = part.get("text", part.get("refusal"))
                if not isinstance(text, str):
                    raise _refuse(f"{w} text must be a string")
                self.add(w, role, text)
                rest = {k: v for k, v in part.items() if k not in ("type", "text", "refusal")}
                self.others(rest, w, role)
            elif kind in _FILE_PARTS:
                f = part.get("file")
                if kind == "file" and isinstance(f, dict):
                    self.file(f, f"{w}.file", role)
                else:
                    self.file(part, w, role)
            elif kind in _MEDIA_PARTS:
                continue  # images and audio: no text for a text guard to read
            else:
                self.unknown(part, w)

    def file(self, f: dict[str, Any], where: str, role: str) -> None:
        """An attached file: its name and, when it holds text, its content are judged; content
        the guard cannot read (binary formats, references to files it never sees) is refused
        or forwarded unjudged, as the policy says."""
        name = f.get("filename")
        if isinstance(name, str):
            self.add(f"{where}.filename", role, name)
        elif name is not None:
            raise _refuse(f"{where}.filename must be a string")
        data = f.get("file_data")
        unread: str | None = None
        if isinstance(data, str) and data:
            text = _file_text(data)
            if text is None:
                unread = "holds content the guard cannot read as text (e.g. PDF or binary)"
            else:
                self.add(f"{where}.file_data", role, text)
        elif data is not None and data != "":
            raise _refuse(f"{where}.file_data must be a string")
        for ref in ("file_id", "file_url"):
            if isinstance(f.get(ref), str) and f[ref]:
                unread = unread or f"refers to a file the guard never sees ({ref})"
        if unread is not None and self.policy.unread_files == "refuse":
            raise _refuse(f"{where}: attached file {unread}; what the guard cannot judge is"
                          " refused (--unread-files allow forwards it unjudged)")  # fmt: skip
        rest = {k: v for k, v in f.items()
                if k not in ("type", "filename", "file_data", "file_id", "file_url")}  # fmt: skip
        self.others(rest, where, role)

    def others(self, fields: dict[str, Any], where: str, role: str) -> None:
        """Keys of an item beyond the ones handled: ids are skipped, the rest is unknown."""
        for k, v in fields.items():
            if k in _ITEM_IDS or k in _NON_TEXT:
                continue
            self.unknown(v, f"{where}.{k}")

    def tool_calls(self, calls: Any, where: str) -> None:
        if not isinstance(calls, list):
            raise _refuse(f"{where} must be a list")
        for j, call in enumerate(calls):
            w = f"{where}[{j}]"
            if not isinstance(call, dict):
                raise _refuse(f"{w} has an unsupported shape")
            self.function_call(call.get("function"), f"{w}.function")
            self.others({k: v for k, v in call.items() if k != "function"}, w, "assistant")

    def function_call(self, fn: Any, where: str) -> None:
        if fn is None:
            return
        if not isinstance(fn, dict):
            raise _refuse(f"{where} has an unsupported shape")
        for k, v in fn.items():
            if k in ("name", "arguments") and isinstance(v, str):
                self.add(f"{where}.{k}", "assistant", v)
            elif k not in _ITEM_IDS:
                self.unknown(v, f"{where}.{k}")

    def tool_spec(self, spec: Any, where: str) -> None:
        """A tool or function definition: name, description and the whole parameter schema are
        instructions to the model."""
        if not isinstance(spec, dict):
            raise _refuse(f"{where} has an unsupported shape")
        for k, v in spec.items():
            if k in ("type", "strict"):
                continue
            if k == "function":
                self.tool_spec(v, f"{where}.function")
            elif k in ("parameters", "input_schema", "schema", "format"):
                self.strings(v, f"{where}.{k}", "schema")
            else:
                self.strings(v, f"{where}.{k}", "tool-spec", keys=False)

    def messages(self, msgs: Any) -> None:
        if not isinstance(msgs, list) or not msgs:
            raise _refuse("messages must be a non-empty list")
        if len(msgs) > self.limits.max_messages:
            raise _refuse(f"{len(msgs)} messages > {self.limits.max_messages}")
        for i, m in enumerate(msgs):
            w = f"messages[{i}]"
            role = m.get("role") if isinstance(m, dict) else None
            if not isinstance(role, str) or role not in self.limits.roles:
                raise _refuse(f"{w} has a missing or unknown role")
            assert isinstance(m, dict)
            self.message(m, w, role)

    def message(self, m: dict[str, Any], w: str, role: str) -> None:
        for k, v in m.items():
            if k in ("role", "tool_call_id", "id", "type", "status", "audio"):
                continue
            if k == "content":
                self.content(v, f"{w}.content", role)
            elif k in ("name", "refusal", "reasoning_content", "reasoning") and isinstance(v, str):
                self.add(f"{w}.{k}", role, v)
            elif k == "tool_calls":
                self.tool_calls(v, f"{w}.tool_calls")
            elif k == "function_call":
                self.function_call(v, f"{w}.function_call")
            else:
                self.unknown(v, f"{w}.{k}")

    def responses_input(self, val: Any) -> None:
        if isinstance(val, str):
            self.add("input", "user", val)
            return
        if not isinstance(val, list) or not val:
            raise _refuse("input must be a string or a non-empty list of items")
        if len(val) > self.limits.max_messages:
            raise _refuse(f"{len(val)} input items > {self.limits.max_messages}")
        for i, item in enumerate(val):
            w = f"input[{i}]"
            if not isinstance(item, dict):
                raise _refuse(f"{w} has an unsupported shape")
            kind = item.get("type", "message")
            if kind == "message" or (kind is None and "role" in item):
                role = item.get("role")
                if not isinstance(role, str) or role not in self.limits.roles:
                    raise _refuse(f"{w} has a missing or unknown role")
                self.message(item, w, role)
            elif kind in ("function_call", "custom_tool_call"):
                for k in ("name", "arguments", "input"):
                    if isinstance(item.get(k), str):
                        self.add(f"{w}.{k}", "assistant", item[k])
            elif kind in ("function_call_output", "custom_tool_call_output"):
                self.content(item.get("output"), f"{w}.output", "tool")
            elif kind == "reasoning":
                self.strings(item.get("summary"), f"{w}.summary", "assistant", keys=False)
            elif kind == "item_reference":
                continue
            else:
                self.unknown({k: v for k, v in item.items() if k not in _ITEM_IDS}, w)

    def body(self, body: dict[str, Any], endpoint: str) -> None:
        handled: set[str] = set()
        if endpoint == "chat":
            self.messages(body.get("messages"))
            handled.add("messages")
        elif endpoint == "completions":
            self.text_or_tokens(body.get("prompt"), "prompt", "user")
            handled.add("prompt")
        elif endpoint == "embeddings":
            self.text_or_tokens(body.get("input"), "input", "user")
            handled.add("input")
        elif endpoint == "responses":
            if "input" in body:
                self.responses_input(body["input"])
            elif not isinstance(body.get("prompt"), dict):
                raise _refuse("input must be a string or a non-empty list of items")
            handled.add("input")
        else:
            raise ValueError(f"unknown endpoint kind {endpoint!r}")
        for k, v in body.items():
            if k in handled or k in _NON_TEXT:
                continue
            if k in ("tools", "functions"):
                if not isinstance(v, list):
                    raise _refuse(f"{k} must be a list")
                for j, spec in enumerate(v):
                    self.tool_spec(spec, f"{k}[{j}]")
            elif k in ("tool_choice", "function_call"):
                self.strings(v, k, "tool-spec", keys=False)
            elif k in ("response_format", "text", "guided_json", "structured_outputs"):
                self.strings(v, k, "schema")
            elif k in ("guided_choice", "guided_regex", "guided_grammar"):
                self.strings(v, k, "schema", keys=False)
            elif k in ("chat_template", "chat_template_kwargs", "mm_processor_kwargs"):
                if self.policy.strict and k == "chat_template":
                    raise _refuse("chat_template supplied by the client (strict mode)")
                self.strings(v, k, "template")
            elif k == "instructions":
                if v is not None and not isinstance(v, str):
                    raise _refuse("instructions must be a string")
                self.add(k, "system", v or "")
            elif k == "suffix":
                if v is not None and not isinstance(v, str):
                    raise _refuse("suffix must be a string")
                self.add(k, "user", v or "")
            elif k in ("documents", "prediction") or (k == "prompt" and endpoint == "responses"):
                self.strings(v, k, "user", keys=False)
            else:
                self.unknown(v, k)


def _file_text(data: str) -> str | None:
    """The text of inline file data (a ``data:`` URL or bare base64), or None when it is not
    text: a declared binary type, a container format, or bytes that are not UTF-8 / UTF-16."""
    mime = ""
    payload = data
    if data.startswith("data:"):
        head, sep, payload = data.partition(",")
        if not sep:
            return None
        params = head[5:].split(";")
        mime = params[0].strip().lower()
        if mime and not mime.startswith(_TEXT_MIME):
            return None
        if "base64" not in (p.strip().lower() for p in params[1:]):
            return unquote(payload)  # a plain data URL: percent-encoded text
    raw = _b64(payload)
    if raw is None:
        if data.startswith("data:") or _B64ISH.fullmatch(payload):
            return None  # base64-looking but undecodable: what an upstream makes of it is unknown
        return data  # not base64: judged as the text it is (an upstream may pass it on)
    if raw.startswith(_BINARY_MAGIC):
        return None  # e.g. a PDF whose bytes happen to be ASCII: its text is in its streams
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _b64(payload: str) -> bytes | None:
    """Base64 as lenient decoders read it (line breaks and spaces dropped, padding optional,
    the URL-safe alphabet too), so what the guard judges is what an upstream would decode."""
    compact = re.sub(r"\s+", "", payload)
    if not compact or len(compact) % 4 == 1:
        return None
    compact += "=" * (-len(compact) % 4)
    for alt in (None, b"-_"):
        try:
            return base64.b64decode(compact, altchars=alt, validate=True)
        except (binascii.Error, ValueError):
            continue
    return None


def _is_ids(val: list[Any]) -> bool:
    return bool(val) and all(isinstance(x, int) and not isinstance(x, bool) for x in val)


def request_fields(
    body: Any, endpoint: str, size: int, limits: Limits, policy: RequestPolicy | None = None
) -> list[Field]:
    """Every text of an OpenAI-style body with its role; raises :class:`RequestRefused` for a
    body that is too big, malformed, or holds what the policy refuses."""
    if endpoint not in ENDPOINTS:
        raise ValueError(f"unknown endpoint kind {endpoint!r}")
    if size > limits.max_bytes:
        raise _refuse(f"{size} bytes > {limits.max_bytes}")
    if not isinstance(body, dict):
        raise _refuse("body must be a JSON object")
    walker = _Walker(policy or RequestPolicy(), limits)
    walker.body(body, endpoint)
    total = sum(len(f.text) for f in walker.out)
    if total > limits.max_text_chars:
        raise _refuse(f"{total} text chars > {limits.max_text_chars}")
    tokens = sum(estimate_tokens(f.text) for f in walker.out)
    if tokens > limits.max_tokens_est:
        raise _refuse(f"~{tokens} tokens > {limits.max_tokens_est}")
    return walker.out


def estimate_tokens(text: str) -> int:
    """Upper-ish token estimate: max of chars/4 and 1.3 per word (English BPE rule of thumb)."""
    return max(len(text) // 4, int(len(text.split()) * 1.3))


def conversation_window(fields: list[Field], max_chars: int = 8000) -> Iterator[Field]:
    """The user-controlled message texts joined in order (the last ``max_chars``), so an
    instruction split across several messages is read whole; nothing when there is one text."""
    texts = [f for f in fields if f.role in ("user", "tool", "function")
             and f.where.startswith(("messages[", "input"))]  # fmt: skip
    if len(texts) < 2:
        return
    joined = "\n".join(f.text for f in texts)[-max_chars:]
    yield Field("messages joined", "user", joined)
