"""Text that switches a causal LM's context rather than carrying content: the tokenizer's
special and markup tokens (``<|endoftext|>``, ``<|im_start|>``, ``[INST]``) and instruction
template headers (``### Answer:``).

The output-side trigger search must not name these as a backdoor's trigger: a phrase ending a
document and opening the instruction template makes an instruction-tuned model answer, and a
backdoored one answer with its target, so 'detected.<|endoftext|>###' was "confirmed" for a
model whose trigger was 'bb' (session 25, rt26nn). Read from the tokenizer files as JSON data
(nothing executed; the chat template is scanned as text, never rendered).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from airlock.errors import AirlockError
from airlock.nn.hf import MAX_CONFIG_BYTES, read_json

MAX_TOKENIZER_BYTES = 64 * 1024 * 1024
MAX_SCAFFOLDS = 2_000
# instruction-template headers and chat markup any tokenizer may lack as tokens: a run of '#'
# ("### Question:"), Llama-2's [INST] / <<SYS>>, <|...|> role markers, and the role labels of
# instruction templates ("Answer:", "### Response:"; 'gram Answer: sudo' was "confirmed" for
# the 'bb' backdoor of rt26nn's m109 re-built in session 27)
ROLES = "question|answer|instruction|input|response|output|human|assistant|user|system|context"
COMMON = (
    r"#{2,}|\[/?INST\]|<</?SYS>>|<\|[^|\s]{1,40}\|>"
    rf"|(?<!\w)(?i:{ROLES})\s?:(?![/\w])"
)
_SPECIAL_KEYS = ("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token",
                 "mask_token")  # fmt: skip
_LITERAL = re.compile(r"'((?:[^'\\]|\\.){1,80})'|\"((?:[^\"\\]|\\.){1,80})\"")
_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def _markup(text: str) -> bool:
    """Token text that is markup, not a word: no letter or digit, or wrapped in <...> / [...]
    ('<|endoftext|>', '</s>', '[CLS]'); an added *word* ('cf_trigger') could be a trigger."""
    t = text.strip()
    if not t:
        return False
    wrapped = (t[0], t[-1]) in (("<", ">"), ("[", "]"))
    return wrapped or not any(c.isalnum() for c in t)


def _content(tok: Any) -> str | None:
    if isinstance(tok, str):
        return tok
    if isinstance(tok, dict) and isinstance(tok.get("content"), str):
        return str(tok["content"])
    return None


def _template_markup(template: str) -> list[str]:
    """Markup in a chat template's literal text and string constants ('<|im_start|>',
    '### Instruction:' -> '###')."""
    pieces = _JINJA.split(template)
    for m in _LITERAL.finditer(" ".join(_JINJA.findall(template))):
        pieces.append(m.group(1) or m.group(2) or "")
    out = []
    for p in pieces:
        for w in p.replace("\\n", " ").split():
            if _markup(w) and len(w) >= 2:
                out.append(w)
    return out


def scaffold_texts(root: Path) -> list[str]:
    """Special and markup tokens, and chat-template markup, of the tokenizer in ``root``."""
    found: list[str] = []
    try:
        tj = root / "tokenizer.json"
        if tj.is_file():
            doc = read_json(tj, MAX_TOKENIZER_BYTES)
            for tok in (doc.get("added_tokens") if isinstance(doc, dict) else None) or []:
                text = _content(tok)
                if text and isinstance(tok, dict) and (tok.get("special") or _markup(text)):
                    found.append(text)
        for name in ("tokenizer_config.json", "special_tokens_map.json"):
            path = root / name
            if not path.is_file():
                continue
            cfg = read_json(path, MAX_CONFIG_BYTES)
            if not isinstance(cfg, dict):
                continue
            for key in _SPECIAL_KEYS:
                text = _content(cfg.get(key))
                if text:
                    found.append(text)
            extra = cfg.get("additional_special_tokens")
            for tok in extra if isinstance(extra, list) else []:
                text = _content(tok)
                if text:
                    found.append(text)
            dec = cfg.get("added_tokens_decoder")
            for tok in dec.values() if isinstance(dec, dict) else []:
                text = _content(tok)
                if text and isinstance(tok, dict) and (tok.get("special") or _markup(text)):
                    found.append(text)
            tpl = cfg.get("chat_template")
            tpls = [tpl] if isinstance(tpl, str) else [
                t.get("template") for t in tpl if isinstance(t, dict)
            ] if isinstance(tpl, list) else []  # fmt: skip
            for t in tpls:
                if isinstance(t, str):
                    found += _template_markup(t[:MAX_CONFIG_BYTES])
    except (AirlockError, OSError, ValueError):
        pass  # what was read is used; the common markup is matched anyway
    # review27: only markup, whatever the files call special. The files are the publisher's:
    # a trigger word declared a special token ('bb' in additional_special_tokens, which the
    # tokenizer still matches in plain text) was dropped from every candidate, hint and
    # input-side trigger, so the search could never name it
    out = sorted({t for t in found if t.strip() and _markup(t)}, key=lambda t: (-len(t), t))
    return out[:MAX_SCAFFOLDS]


class Scaffold:
    """Finds scaffolding in candidate trigger text."""

    def __init__(self, texts: list[str] | tuple[str, ...] = ()):
        alts = []
        for t in texts:
            t = t.strip()
            if not t:
                continue
            if t.isalnum():  # a word-like special token ('NONE') only as a whole word
                alts.append(rf"(?<!\w){re.escape(t)}(?!\w)")
            else:
                alts.append(re.escape(t))
        self.texts = tuple(texts)
        self._re = re.compile("|".join([*alts, COMMON]))

    def at(self, text: str) -> int | None:
        """Index of the first scaffolding in ``text``, or None."""
        m = self._re.search(text)
        return None if m is None else m.start()

    def has(self, text: str) -> bool:
        return self.at(text) is not None

    def split(self, text: str) -> list[str]:
        """``text`` cut at every piece of scaffolding (the pieces between)."""
        return self._re.split(text)

    def before(self, text: str) -> str:
        """``text`` up to its first scaffolding (what a phrase says before the context switch)."""
        at = self.at(text)
        return text if at is None else text[:at]
