"""Record, per fresh-set row sent in its request field (bench_guard_fields17.request), what the
semantic-view pipeline's stages see: every other scanner's action (classifier never blocks, the
semantic stage replaced by a recorder), and per judged text its role, linear score, foreign flag
and the texts the encoder would read. Output: /tmp/guard18/rec/freshK.json (no text printed)."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)

import json
import sys
from pathlib import Path

sys.path.insert(0, f"{ROOT}/bench")
from bench_guard_fields17 import request

from airlock.cli.guard import FieldChoice, OnnxChoice, TriggerChoice, _pipeline
from airlock.guard.lexicon import foreign
from airlock.guard.semantic.stage import stage_texts

REC: list = []


class Recorder:
    name = "semantic"
    cost = 8
    timeout_s = 30.0
    directions = frozenset({"input"})

    def scan(self, ctx):
        lin = ctx.scores.get("classifier")
        REC.append(
            {
                "role": ctx.role,
                "lin": lin,
                "foreign": bool(foreign(ctx.norm.text)),
                "texts": stage_texts(ctx) if lin is not None else [],
            }
        )
        return []

    def close(self):
        pass


p, _ = _pipeline(
    TriggerChoice(),
    [],
    False,
    None,
    isolation="inline",
    onnx=OnnxChoice(Path("builtin"), None, None, False),
    fields=FieldChoice(),
)
for i, s in enumerate(p.scanners):
    if s.name == "semantic":
        p.scanners[i] = Recorder()
    if s.name == "classifier":
        s.threshold = 1.01
        s.foreign_threshold = None
        s.instruction_threshold = 1.01
names = [s.name for s in p.scanners]
assert "semantic" in names and "classifier" in names, names
out_dir = Path(f"{WORK}/rec")
out_dir.mkdir(exist_ok=True)
for prefix in sys.argv[1:]:
    pre = Path(prefix)
    res = []
    for part, label in (("injections", 1), ("benign", 0)):
        for line in (
            pre.with_name(pre.name + f".{part}.jsonl").read_text(encoding="utf-8").split("\n")
        ):
            if not line.strip():
                continue
            r = json.loads(line)
            field = r.get("field", "user")
            REC.clear()
            d = p.check_request(request(r["text"], field), "chat")
            res.append(
                {
                    "label": label,
                    "field": field,
                    "source": r["source"],
                    "lang": r.get("lang"),
                    "lang_bucket": r.get("lang_bucket", "en" if r.get("lang") == "en" else "other"),
                    "text": r["text"],
                    "other": d.action,
                    "ctx": list(REC),
                }
            )
    (out_dir / (pre.name + ".json")).write_text(json.dumps(res, ensure_ascii=False))
    print(pre.name, len(res), flush=True)
