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
strings, which are judged as text, or refused in strict mode. Identifier keys (``id``,
``call_id``, ``tool_call_id``, ``type``, ``status``, ``detail``, ``format``, ``index``,
``file_id``) pass when they are opaque identifiers (``[A-Za-z0-9_.:-]{1,128}`` and not three
or more words strung together, see :func:`opaque_id`) and are judged as text otherwise (some
chat templates print ``tool_call_id`` into the prompt). Strings under the sampling / routing
keys are judged too: no string the upstream receives goes unjudged. ``prompt_embeds`` (input
the guard cannot read, like token ids) follows the token-id policy. Above ``PACK_ABOVE`` texts,
adjacent texts of one message / item / tool definition / top-level key in the same role are
packed into one judged text (at most ``PACK_CHARS``), and more than ``MAX_JUDGED`` judged texts
are refused, so a body split into thousands of parts costs no more than a few hundred scans.

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

from airlock.guard.types import (
    INSTRUCTION_ROLES,
    GuardFinding,
    Limits,
    folded_chars,
    limit_finding,
)

ENDPOINTS = ("chat", "completions", "embeddings", "responses")
MAX_DEPTH = 32
MAX_FIELDS = 4096  # strings collected while walking (cheap)
MAX_JUDGED = 512  # texts handed to the scanners after packing (each scan has a fixed cost)
PACK_ABOVE = 128  # more texts than this: adjacent texts of one unit are packed
PACK_CHARS = 2000  # a packed text stays this short (a small window for the classifier)

# Keys that carry no text to the model (sampling, ids, routing, accounting): their strings are
# still judged (as role "meta"); they are not refused in strict mode.
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
# Keys inside a message / item / part that hold identifiers: a value that looks like one passes,
# anything else is judged as text.
_ID_KEYS = frozenset({"type", "id", "call_id", "tool_call_id", "status", "detail", "format",
                      "index", "file_id"})  # fmt: skip
_ID = re.compile(r"[A-Za-z0-9_.:-]+")
_ID_SEP = re.compile(r"[_.:-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z]{3,}")
_TEXT_PARTS = frozenset({"text", "input_text", "output_text", "refusal"})
_MEDIA_PARTS = frozenset({"image_url", "input_image", "input_audio"})
_FILE_PARTS = frozenset({"file", "input_file"})
# Keys on parts that carry text the guard judges but that are no instructions of their own.
_PART_EXTRAS = frozenset({"annotations", "logprobs", "cache_control"})
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
        self.strings(obj, where, "unknown")

    def ident(self, val: Any, where: str, role: str) -> None:
        """An identifier (id, call_id, type, status, ...): passes when it is opaque (see
        :func:`opaque_id`), otherwise it is judged as the text it is (some chat templates print
        ids verbatim)."""
        if val is None or isinstance(val, (bool, int, float)):
            return
        if isinstance(val, str) and opaque_id(val):
            return
        self.strings(val, where, role)

    def others(self, fields: dict[str, Any], where: str, role: str) -> None:
        """Keys of an item beyond the ones handled: identifiers are checked (and judged when
        they do not look like one), annotations and cache hints judged, the rest is unknown."""
        for k, v in fields.items():
            w = f"{where}.{k}"
            if k in _ID_KEYS:
                self.ident(v, w, role)
            elif k in _PART_EXTRAS:
                self.strings(v, w, role)
            else:
                self.unknown(v, w)

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

    def embeds(self, val: Any, where: str) -> None:
        """Prompt embeddings (vLLM's ``prompt_embeds``): model input no text guard can read,
        like token ids without a tokenizer; refused unless token-id prompts are allowed
        unjudged."""
        if val is None or val == "" or val == []:
            return
        if self.policy.id_prompts != "allow":
            raise _refuse(f"{where}: prompt embeddings cannot be judged (forwarded unjudged"
                          " only when token-id prompts are allowed unjudged)")  # fmt: skip
        if not isinstance(val, (str, list)) or (
            isinstance(val, list) and not all(isinstance(x, str) for x in val)
        ):
            raise _refuse(f"{where} must be a base64 string or a list of them")

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
                # a refusal part's text is its "refusal" (vLLM reads that key); an untyped part
                # may carry either: every one present is judged
                known = ("refusal", "text") if kind in ("refusal", None) else ("text",)
                texts = [part[k] for k in known if k in part]
                if not texts or not all(isinstance(t, str) for t in texts):
                    raise _refuse(f"{w} text must be a string")
                for k in known:
                    if k in part:
                        self.add(w if len(texts) == 1 else f"{w}.{k}", role, part[k])
                rest = {k: v for k, v in part.items() if k != "type" and k not in known}
                self.others(rest, w, role)
            elif kind in _FILE_PARTS:
                f = part.get("file")
                if kind == "file" and isinstance(f, dict):
                    self.file(f, f"{w}.file", role)
                    self.others({k: v for k, v in part.items() if k not in ("type", "file")},
                                w, role)  # fmt: skip
                else:
                    self.file(part, w, role)
            elif kind in _MEDIA_PARTS:
                self.media(part, w, role, kind)
            else:
                self.unknown(part, w)

    def media(self, part: dict[str, Any], where: str, role: str, kind: str) -> None:
        """An image or audio part: the picture or sound itself (a URL, base64 data, a file id)
        is no text for a text guard; every other key is checked like any other."""
        key = "input_audio" if kind == "input_audio" else "image_url"
        ref = part.get(key)
        if isinstance(ref, dict):
            payload = "data" if kind == "input_audio" else "url"
            if not isinstance(ref.get(payload), str):
                raise _refuse(f"{where}.{key}.{payload} must be a string")
            self.others({k: v for k, v in ref.items() if k != payload}, f"{where}.{key}", role)
        elif ref is not None and not (isinstance(ref, str) and kind != "input_audio"):
            raise _refuse(f"{where}.{key} has an unsupported shape")
        self.others({k: v for k, v in part.items() if k not in ("type", key)}, where, role)

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
            if k in ("name", "arguments"):
                self.strings(v, f"{where}.{k}", "assistant")  # arguments may be an object
            else:
                self.others({k: v}, where, "assistant")

    def tool_spec(self, spec: Any, where: str) -> None:
        """A tool or function definition: name, description and the whole parameter schema are
        instructions to the model."""
        if not isinstance(spec, dict):
            raise _refuse(f"{where} has an unsupported shape")
        for k, v in spec.items():
            if k in ("type", "strict"):
                self.ident(v, f"{where}.{k}", "tool-spec")
            elif k == "function":
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
            if k == "role":
                continue  # checked against the allowed roles by the caller
            if k == "content":
                self.content(v, f"{w}.content", role)
            elif k in ("name", "refusal", "reasoning_content", "reasoning") and (
                v is None or isinstance(v, str)
            ):
                self.add(f"{w}.{k}", role, v or "")
            elif k == "tool_calls":
                self.tool_calls(v, f"{w}.tool_calls")
            elif k == "function_call":
                self.function_call(v, f"{w}.function_call")
            elif k == "audio":  # a reference to an earlier audio answer: {"id": ...}
                if isinstance(v, dict):
                    self.others(v, f"{w}.audio", role)
                else:
                    self.strings(v, f"{w}.audio", role)
            else:
                self.others({k: v}, w, role)

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
            rest = {k: v for k, v in item.items() if k != "type"}
            if kind == "message" or (kind is None and "role" in item):
                role = item.get("role")
                if not isinstance(role, str) or role not in self.limits.roles:
                    raise _refuse(f"{w} has a missing or unknown role")
                self.message(item, w, role)
            elif kind in ("function_call", "custom_tool_call"):
                for k, v in rest.items():
                    if k in ("name", "arguments", "input"):
                        self.strings(v, f"{w}.{k}", "assistant")  # arguments may be an object
                    else:
                        self.others({k: v}, w, "assistant")
            elif kind in ("function_call_output", "custom_tool_call_output"):
                self.content(rest.pop("output", None), f"{w}.output", "tool")
                self.others(rest, w, "tool")
            elif kind == "reasoning":
                # summaries, reasoning text and the encrypted blob all reach the upstream
                for k in ("summary", "content", "encrypted_content"):
                    if k in rest:
                        self.strings(rest.pop(k), f"{w}.{k}", "assistant", keys=False)
                self.others(rest, w, "assistant")
            elif kind == "item_reference":
                self.others(rest, w, "user")
            else:
                if self.policy.strict:
                    raise _refuse(f"{w}: unknown input item type (strict mode)")
                self.ident(kind, f"{w}.type", "unknown")
                self.strings(rest, w, "unknown")

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
            if k in handled:
                continue
            if k in _NON_TEXT:
                self.strings(v, k, "meta")  # not model text, but nothing is forwarded unjudged
            elif k == "prompt_embeds":
                self.embeds(v, k)
            elif k in ("tools", "functions"):
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


_UNIT = re.compile(r"(?:messages|input|tools|functions)\[\d+\]|[^.\[{ ]+")


def _unit(f: Field) -> tuple[str, str]:
    """What a text belongs to: one message / input item / tool or function definition (two
    tools are never packed together: signals of honest tools must not pair up across them) or
    one top-level key, and its role (the instruction roles, which the scanners treat alike,
    count as one; the sampling and routing keys are one unit)."""
    if f.role == "meta":
        return "", "meta"
    m = _UNIT.match(f.where)
    return (m.group(0) if m else f.where), "instruction" if f.role in INSTRUCTION_ROLES else f.role


def _pack(fields: list[Field]) -> list[Field]:
    """Adjacent texts of one unit in the same role joined (newline-separated, as chat templates
    join content parts) into texts of at most ``PACK_CHARS``, when there are more than
    ``PACK_ABOVE`` of them; a text already longer stays whole. Refuses more than
    ``MAX_JUDGED`` judged texts."""
    if len(fields) <= PACK_ABOVE:
        return fields
    out: list[Field] = []
    group: list[Field] = []

    def flush() -> None:
        if len(group) == 1:
            out.append(group[0])
        elif group:
            out.append(Field(f"{_common(group)} ({len(group)} fields)", group[0].role,
                             "\n".join(f.text for f in group)))  # fmt: skip
        group.clear()

    size = 0  # length of the group's joined text
    for f in fields:
        if group and (_unit(f) != _unit(group[0]) or size + 1 + len(f.text) > PACK_CHARS):
            flush()
        size = size + 1 + len(f.text) if group else len(f.text)
        group.append(f)
    flush()
    if len(out) > MAX_JUDGED:
        raise _refuse(f"more than {MAX_JUDGED} separate texts to judge ({len(fields)} fields);"
                      " join small parts")  # fmt: skip
    return out


def _common(group: list[Field]) -> str:
    """The longest path prefix the texts of a group share, cut at a path boundary."""
    paths = [f.where for f in group]
    n = min(len(p) for p in paths)
    head = next((paths[0][:i] for i in range(n) if any(p[i] != paths[0][i] for p in paths)),
                paths[0][:n])  # fmt: skip
    if any(p != head for p in paths) and not head.endswith((".", "[")):
        head = head[: max(head.rfind("."), head.rfind("["), 0)]
    return head.rstrip(".[") or paths[0]


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


def opaque_id(val: str, max_len: int = 128) -> bool:
    """An identifier that can pass unjudged: id characters only, and not words strung together.
    Split at ``_ . : -`` and at camelCase humps, three or more purely alphabetic pieces of three
    letters or more read as words (``Ignore_all_previous_instructions``, ``IgnoreAllPrevious``),
    which some chat templates print into the prompt: such an id is judged as text. Opaque ids
    (``call_abc123XYZ``, ``chatcmpl-9xYzAbC``, ``toolu_01A09q...``, UUIDs, ``input_text``) pass."""
    return len(val) <= max_len and bool(_ID.fullmatch(val)) and _words(val) < 3


def _words(val: str) -> int:
    pieces = (q for p in _ID_SEP.split(val) for q in _CAMEL.split(p))
    return sum(1 for q in pieces if _WORD.fullmatch(q))


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
    walker.out = _pack(walker.out)
    total = sum(len(f.text) for f in walker.out)
    if total > limits.max_text_chars:
        raise _refuse(f"{total} text chars > {limits.max_text_chars}")
    folded = 0
    for f in walker.out:
        folded += folded_chars(f.text, limits.max_text_chars - folded)
        if folded > limits.max_text_chars:
            raise _refuse(f"over {limits.max_text_chars} text chars after Unicode compatibility"
                          " normalisation (NFKC)")  # fmt: skip
    tokens = sum(estimate_tokens(f.text) for f in walker.out)
    if tokens > limits.max_tokens_est:
        raise _refuse(f"~{tokens} tokens > {limits.max_tokens_est}")
    return walker.out


def estimate_tokens(text: str) -> int:
    """Upper-ish token estimate: max of chars/4 and 1.3 per word (English BPE rule of thumb)."""
    return max(len(text) // 4, int(len(text.split()) * 1.3))


WINDOW_ROLES = ("user", "tool", "function")


def conversation_window(fields: list[Field], max_chars: int = 8000,
                        roles: tuple[str, ...] = WINDOW_ROLES) -> Iterator[Field]:  # fmt: skip
    """The user-controlled message texts joined in order (the last ``max_chars``), so an
    instruction split across several messages is read whole; nothing when there is one text.
    ``roles``: which messages take part (with the data-field stage on, tool outputs are judged
    in their own role and only the user's messages are joined)."""
    texts = [f for f in fields if f.role in roles
             and f.where.startswith(("messages[", "input"))]  # fmt: skip
    if len(texts) < 2:
        return
    joined = "\n".join(f.text for f in texts)[-max_chars:]
    yield Field("messages joined", "user", joined)
