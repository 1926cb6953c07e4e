"""Hand-written multilingual prompts for the guard, combined by template
(scripts/guard_phrases.json).

Injections: in 18 languages, each in the language's own words (not translated sentence by
sentence from one English original): instruction overrides, "forget your rules", system-prompt
extraction, no-restriction and persona switches, fake authority, "reply only with", filter
switches and fiction framings. Everyday prompts: the same 18 languages, deliberately using the
same trigger words in their everyday sense ("ignore my last message", "the previous answer",
"the washing machine's instructions", "operating system", "writing prompt", "turn off the
child lock", "act as my interviewer", "from now on answer in simple words").

Every slot has two or three wordings. The *training* part uses every wording but the last, in
the training structures; the *held-out* part uses only the last wording of each slot, in
structures (slot combinations) never trained on, with other names, tokens and cities. So the
held-out figures measure phrasings and combinations the model never saw, not memorised
templates. Languages written by the Airlock developers; no external data.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

PHRASES = Path(__file__).with_name("guard_phrases.json")

TRAIN_STRUCTS = [
    ("OVR", "RVL"), ("OVR", "ONLY"), ("FGT", "UNR"), ("PER", "UNR"), ("AUTH", "DIS"),
    ("AUTH", "RVL"), ("OVR", "UNR"), ("RVL",), ("PER", "DIS"), ("FIC", "DIS"), ("OVR",),
    ("AUTH", "OVR", "RVL"), ("en:OVR", "UNR"),
]  # fmt: skip
HELD_STRUCTS = [
    ("FIC", "UNR"), ("OVR", "DIS"), ("AUTH", "ONLY"), ("FGT", "RVL"), ("FIC", "RVL"), ("PER",),
    ("en:OVR", "RVL"),
]  # fmt: skip
BENIGN_TRAIN = [
    ("IGN",), ("PREV",), ("INSTR",), ("SYS",), ("PROMPT",), ("FORGET",), ("RULES",), ("ROLE",),
    ("OFF",), ("NOW",), ("SMALL", "Q"), ("Q",), ("SMALL", "INSTR"),
]  # fmt: skip
BENIGN_HELD = [("IGN",), ("PREV",), ("INSTR",), ("SYS",), ("PROMPT",), ("FORGET",), ("RULES",),
               ("ROLE",), ("OFF",), ("NOW",), ("SMALL", "Q"), ("SMALL", "ROLE")]  # fmt: skip
FILL_TRAIN = {"name": ["DAN", "Nova", "Omega"], "tok": ["ACCESS GRANTED", "PWNED", "OK-4521"],
              "city": ["Paris", "Tokyo", "Cairo", "Lima"]}  # fmt: skip
FILL_HELD = {"name": ["Zeta", "KAI"], "tok": ["HACKED", "X-7731"], "city": ["Rome", "Seoul"]}
_NO_SPACE = {"zh", "ja"}


@dataclass(frozen=True)
class Synth:
    text: str
    label: int
    lang: str
    family: str
    held_out: bool


def _join(lang: str, parts: list[str]) -> str:
    if lang in _NO_SPACE:
        return "".join(p if p.endswith(("。", "？", "！")) else p + "。" for p in parts)
    out = []
    for p in parts:
        out.append(p if p.endswith((".", "?", "!", "؟", "।")) else p + ".")
    return " ".join(out)


def _fill(text: str, fill: dict[str, list[str]], k: int) -> str:
    return text.format(**{key: vals[k % len(vals)] for key, vals in fill.items()})


def _variants(
    table: dict[str, dict[str, list[str]]], lang: str, slot: str, held: bool
) -> list[str]:
    src_lang, name = (slot.split(":") if ":" in slot else (lang, slot))
    words = table[src_lang][name]
    return words[-1:] if held else words[:-1]


def generate(path: Path = PHRASES) -> list[Synth]:
    """All synthetic prompts, training and held-out parts, deterministic."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Synth] = []
    for label, kind, train, held in ((1, "injection", TRAIN_STRUCTS, HELD_STRUCTS),
                                     (0, "benign", BENIGN_TRAIN, BENIGN_HELD)):  # fmt: skip
        table = data[kind]
        for lang in table:
            for is_held, structs in ((False, train), (True, held)):
                fill = FILL_HELD if is_held else FILL_TRAIN
                for struct in structs:
                    options = [_variants(table, lang, s, is_held) for s in struct]
                    combos = list(itertools.product(*options))
                    reps = 2 if is_held else max(1, 6 // len(combos))
                    k = 0
                    for combo in combos:
                        for _ in range(reps):
                            text = _join(lang, [_fill(p, fill, k) for p in combo])
                            if k % 3 == 1:
                                text = text.lower()
                            elif k % 3 == 2:
                                text = text.rstrip(".。")
                            k += 1
                            fam = f"{kind}:{'+'.join(struct)}"
                            out.append(Synth(text, label, lang, fam, is_held))
    seen: set[str] = set()
    uniq = []
    for s in out:
        if s.text not in seen:
            seen.add(s.text)
            uniq.append(s)
    return uniq


if __name__ == "__main__":
    items = generate()
    for split in (False, True):
        part = [s for s in items if s.held_out == split]
        print("held-out" if split else "training", len(part),
              "injections", sum(s.label for s in part))  # fmt: skip
