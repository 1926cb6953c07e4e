"""Session 8's fresh sets: prompt injections, jailbreaks and benign requests from wheels no earlier
session read, split by a keyed hash *before anyone looked at the texts*.

Sources (read out of pinned wheels, never installed, never imported; licences copied by
``copy_fresh8_licences`` when anything derived from them ships):
- agent-injection-bench 0.1.0 (MIT): injected content of its agent attacks (documents, tool
  results, web pages, metadata, file names); benign: the user tasks they are planted in.
- aicu-scanner 1.5.0 (MIT): its payload YAMLs that are injections or extraction attempts
  (jailbreaks, encoding attacks incl. multilingual bypass, file payloads, single-turn extraction
  sets); left out: hallucination, toxicity, DoS, its "legitimate task" and behavioural probes
  (labels not clear from their names), trigger fragments and multi-turn scripts.
- raginject 0.12.0 (Apache-2.0): poisoned documents of its indirect-injection patterns (instruction
  override, exfiltration, format smuggling, authority spoofing, payload delivery, obfuscation,
  multilingual, conditional); left out: retriever poisoning (false facts, not instructions);
  benign: the users' questions about the documents.
- sentinelprobe 0.11.0 (MIT): direct prompt-injection cases; indirect ones as the user's request
  followed by the retrieved documents/files (categories naming prompt injection only).
- lmtwt 0.2.0 (MIT): probe prompts whose vector is injection, leak or context poisoning.
- weiseer-prompt-redteam 0.1.0 (Apache-2.0 per its metadata): its attack payloads.
- bastionprobe 0.19.0 (MIT): its indirect payloads (expected to overlap bastioncorpus: dropped
  as seen if so).
- inspect-evals 0.28.0 (MIT; WritingBench data Apache-2.0): WritingBench's 1,000 writing requests
  (benign; long documents with instructions, English and Chinese).

Contamination: a text whose normalised form, or (for texts of 12+ words) more than half of whose
word 5-grams, occur in any earlier set (every set of scripts/guard_data.py, the hand-written ones
and session 7's fresh sets, both halves) is dropped and counted. Split: sha256("airlock-fresh-s8:"
+ group) < 0.5 -> held-out; group is the row id (or the text).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guard_fresh import _norm, _shingles

FRESH8_WHEELS = {
    "agent-injection-bench": ("0.1.0", "agent_injection_bench-0.1.0-py3-none-any.whl"),
    "aicu-scanner": ("1.5.0", "aicu_scanner-1.5.0-py3-none-any.whl"),
    "raginject": ("0.12.0", "raginject-0.12.0-py3-none-any.whl"),
    "sentinelprobe": ("0.11.0", "sentinelprobe-0.11.0-py3-none-any.whl"),
    "lmtwt": ("0.2.0", "lmtwt-0.2.0-py3-none-any.whl"),
    "weiseer-prompt-redteam": ("0.1.0", "weiseer_prompt_redteam-0.1.0-py3-none-any.whl"),
    "bastionprobe": ("0.19.0", "bastionprobe-0.19.0-py3-none-any.whl"),
    "inspect-evals": ("0.28.0", "inspect_evals-0.28.0-py3-none-any.whl"),
}
FRESH8_LICENCES = {
    "agent-injection-bench": ["agent_injection_bench-0.1.0.dist-info/licenses/LICENSE"],
    "aicu-scanner": ["aicu_scanner-1.5.0.dist-info/licenses/LICENSE"],
    "raginject": ["raginject-0.12.0.dist-info/licenses/LICENSE"],
    "sentinelprobe": ["sentinelprobe-0.11.0.dist-info/licenses/LICENSE"],
    "lmtwt": ["lmtwt-0.2.0.dist-info/licenses/LICENSE"],
    "weiseer-prompt-redteam": ["weiseer_prompt_redteam-0.1.0.dist-info/METADATA"],
    "bastionprobe": ["bastionprobe-0.19.0.dist-info/licenses/LICENSE"],
    "inspect-evals": [
        "inspect_evals-0.28.0.dist-info/licenses/LICENSE",
        "inspect_evals-0.28.0.dist-info/licenses/NOTICE",
    ],
}
HELD_OUT_SHARE = 0.5
_AICU_SETS = {
    "jailbreaks.yaml": None,  # every set
    "encoding_attacks.yaml": None,
    "single_turn.yaml": {"boundary_mapping", "creative_extraction", "logic_exploits",
                         "side_channel", "role_assumption", "linguistic", "best_of_n_seed_set"},
}  # fmt: skip
_LMTWT_VECTORS = {"injection", "leak", "context-poison"}


@dataclass(frozen=True)
class Fresh8:
    text: str
    label: int
    source: str  # wheel/part
    group: str

    @property
    def held_out(self) -> bool:
        h = hashlib.sha256(b"airlock-fresh-s8:" + self.group.encode()).digest()[:4]
        return int.from_bytes(h, "big") / 2**32 < HELD_OUT_SHARE


def download_fresh8(wheel_dir: Path) -> None:
    for name, (version, fname) in FRESH8_WHEELS.items():
        if not (wheel_dir / fname).is_file():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 f"{name}=={version}", "-d", str(wheel_dir)],
                check=True,
            )  # fmt: skip


def _zip(wheel_dir: Path, name: str) -> zipfile.ZipFile:
    path = wheel_dir / FRESH8_WHEELS[name][1]
    if not path.is_file():
        raise SystemExit(
            f"missing {path} (pip download --no-deps {name}=={FRESH8_WHEELS[name][0]})"
        )
    return zipfile.ZipFile(path)


def fresh8_meta(wheel_dir: Path) -> dict[str, dict[str, str]]:
    return {
        n: {
            "file": f,
            "version": v,
            "sha256": hashlib.sha256((wheel_dir / f).read_bytes()).hexdigest(),
        }
        for n, (v, f) in FRESH8_WHEELS.items()
    }


def copy_fresh8_licences(wheel_dir: Path, dest: Path) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, members in FRESH8_LICENCES.items():
        with _zip(wheel_dir, name) as z:
            for m in members:
                target = dest / f"{name}--{m.replace('/', '__')}"
                target.write_bytes(z.read(m))
                out.append(target.name)
    return sorted(out)


def _yaml(z: zipfile.ZipFile, member: str) -> Any:
    import yaml

    return yaml.safe_load(z.read(member))


def _jsonl(z: zipfile.ZipFile, member: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in z.read(member).decode("utf-8").splitlines() if x.strip()]


def _aib(wheel_dir: Path) -> list[Fresh8]:
    with _zip(wheel_dir, "agent-injection-bench") as z:
        rows = _jsonl(z, "aib/data/attacks.jsonl")
    out = [Fresh8(r["injected"], 1, "agent-injection-bench", f"aib:{r['id']}") for r in rows]
    out += [Fresh8(r["task"], 0, "agent-injection-bench/tasks", f"aib-t:{r['task']}")
            for r in rows]  # fmt: skip
    return out


def _aicu(wheel_dir: Path) -> list[Fresh8]:
    out: list[Fresh8] = []
    with _zip(wheel_dir, "aicu-scanner") as z:
        for fname, keep in _AICU_SETS.items():
            for set_name, items in _yaml(z, f"aicu/payloads/{fname}")["payload_sets"].items():
                if keep is not None and set_name not in keep:
                    continue
                for it in items:
                    out.append(Fresh8(it["content"], 1, "aicu-scanner", f"aicu:{it['id']}"))
        for it in _yaml(z, "aicu/payloads/file_payloads.yaml")["file_payloads"]:
            out.append(Fresh8(it["content"], 1, "aicu-scanner/files", f"aicu-f:{it['id']}"))
    return out


def _raginject(wheel_dir: Path) -> list[Fresh8]:
    out: list[Fresh8] = []
    with _zip(wheel_dir, "raginject") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("raginject/attacks/patterns/") and n.endswith(".yaml")):
                continue
            for it in _yaml(z, n) or []:
                if it.get("category") == "retriever_poisoning":
                    continue
                src = "raginject/multilingual" if it["category"] == "multilingual" else "raginject"
                out.append(Fresh8(it["injected_content"], 1, src, f"rag:{it['id']}"))
                if it.get("question"):
                    out.append(
                        Fresh8(it["question"], 0, "raginject/questions", f"rag-q:{it['question']}")
                    )
    return out


def _sentinel(wheel_dir: Path) -> list[Fresh8]:
    out: list[Fresh8] = []
    base = "prompt_injection_harness/cases/"
    with _zip(wheel_dir, "sentinelprobe") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith(base) and n.endswith(".yaml")):
                continue
            for c in _yaml(z, n)["cases"]:
                if "prompt_injection" not in c["category"]:
                    continue
                docs = c.get("documents") or c.get("files") or []
                if not docs:
                    out.append(Fresh8(c["user_prompt"], 1, "sentinelprobe/direct", f"sp:{c['id']}"))
                    continue
                body = "\n\n".join(str(d.get("content", "")) for d in docs)
                text = f"{c['user_prompt']}\n\n{body}"
                out.append(Fresh8(text, 1, "sentinelprobe/indirect", f"sp:{c['id']}"))
    return out


def _lmtwt(wheel_dir: Path) -> list[Fresh8]:
    out: list[Fresh8] = []
    with _zip(wheel_dir, "lmtwt") as z:
        for n in sorted(z.namelist()):
            if not (n.startswith("lmtwt/probes/library/") and n.endswith(".yaml")):
                continue
            p = _yaml(z, n)
            if p.get("taxonomy", {}).get("vector") in _LMTWT_VECTORS and p.get("prompt"):
                out.append(Fresh8(p["prompt"], 1, "lmtwt", f"lmtwt:{p['id']}"))
    return out


def _weiseer(wheel_dir: Path) -> list[Fresh8]:
    with _zip(wheel_dir, "weiseer-prompt-redteam") as z:
        rows = _yaml(z, "weiseer_prompt_redteam/attacks.yaml")["attacks"]
    return [Fresh8(r["payload"], 1, "weiseer", f"weiseer:{r['id']}") for r in rows]


def _bastionprobe(wheel_dir: Path) -> list[Fresh8]:
    with _zip(wheel_dir, "bastionprobe") as z:
        rows = _jsonl(z, "bastionprobe/payloads.jsonl")
    return [Fresh8(r["text"], 1, "bastionprobe", f"bprobe:{r['id']}") for r in rows]


def _writingbench(wheel_dir: Path) -> list[Fresh8]:
    with _zip(wheel_dir, "inspect-evals") as z:
        rows = _jsonl(z, "inspect_evals/writingbench/benchmark_all.jsonl")
    return [Fresh8(r["query"], 0, "writingbench", f"wb:{r['index']}") for r in rows]


def load_fresh8(wheel_dir: Path, old_texts: list[str]) -> tuple[list[Fresh8], dict[str, int]]:
    """The fresh sets minus anything already in an earlier set (exact after normalising, or more
    than half of its word 5-grams), and minus duplicates among themselves."""
    rows = _aib(wheel_dir) + _aicu(wheel_dir) + _raginject(wheel_dir) + _sentinel(wheel_dir)
    rows += _lmtwt(wheel_dir) + _weiseer(wheel_dir) + _bastionprobe(wheel_dir)
    rows += _writingbench(wheel_dir)
    old_norm = {_norm(t) for t in old_texts}
    old_sh: set[str] = set()
    for t in old_texts:
        old_sh |= _shingles(t)
    out: list[Fresh8] = []
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


def earlier_texts(wheel_dir: Path) -> list[str]:
    """Every text of the sets before session 7's fresh ones (its contamination reference)."""
    from guard_data import load_benign, load_injection_sources
    from guard_synth import generate

    root = Path(__file__).resolve().parents[1]
    data = load_injection_sources(wheel_dir)
    benign = load_benign(wheel_dir, root / "bench" / "benign_chat.txt")
    old = [t for src in data.values() for part in src.values() for t, _ in part]
    return old + [b.text for b in benign] + [s.text for s in generate()]


def seen_texts(wheel_dir: Path) -> list[str]:
    """Every text of every set used before session 8 (the contamination reference)."""
    from guard_fresh import load_fresh

    old = earlier_texts(wheel_dir)
    fresh7, _ = load_fresh(wheel_dir, old)
    return old + [f.text for f in fresh7]


def main() -> None:
    """Counts only (no text is printed): per source and part, injections / benign."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--wheel-dir", type=Path, required=True)
    args = ap.parse_args()
    download_fresh8(args.wheel_dir)
    rows, dropped = load_fresh8(args.wheel_dir, seen_texts(args.wheel_dir))
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        part = "held-out" if r.held_out else "tuning"
        c = counts.setdefault(r.source, {})
        key = f"{part}/{'inj' if r.label else 'benign'}"
        c[key] = c.get(key, 0) + 1
    print(json.dumps({"dropped": dropped, "by_source": counts}, indent=1, sort_keys=True))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
