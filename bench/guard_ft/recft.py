"""Record, per fresh-set row sent in its request field (bench_guard_fields17.request), what the
semantic-view pipeline's stages see (as bench/guard_loso/rec.py) plus D's own head score for
each judged text the stage would read (band 0.02, non-instruction role): the max over the
texts and windows of the shipped USE head's probability. Output: $GUARD_FT_DIR/rec/NAME.json
(no text printed). Usage: recft.py PREFIX..."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_FT_DIR", "/tmp/guardft")
ROOT = str(_P(__file__).resolve().parents[2])

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, f"{ROOT}/bench")
from bench_guard_fields17 import request

from airlock.cli.guard import FieldChoice, OnnxChoice, TriggerChoice, _pipeline
from airlock.guard.lexicon import foreign
from airlock.guard.semantic.stage import stage_texts
from airlock.guard.types import INSTRUCTION_ROLES

REC: list = []


class Recorder:
    name = "semantic"
    cost = 8
    timeout_s = 30.0
    directions = frozenset({"input"})

    def __init__(self, model):
        self.model = model

    def scan(self, ctx):
        lin = ctx.scores.get("classifier")
        texts = stage_texts(ctx) if lin is not None else []
        dsem = None
        if lin is not None and lin >= 0.02 and ctx.role not in INSTRUCTION_ROLES and texts:
            dsem = max(s for s, _, _ in self.model.score(texts, time.perf_counter() + 60))
        REC.append({"role": ctx.role, "lin": lin, "foreign": bool(foreign(ctx.norm.text)),
                    "texts": texts, "dsem": dsem})  # fmt: skip
        return []

    def close(self):
        pass


p, _ = _pipeline(TriggerChoice(), [], False, None, isolation="inline",
                 onnx=OnnxChoice(Path("builtin"), None, None, False), fields=FieldChoice())  # fmt: skip
for i, s in enumerate(p.scanners):
    if s.name == "semantic":
        p.scanners[i] = Recorder(s.model)
    if s.name == "classifier":
        s.threshold = 1.01
        s.foreign_threshold = None
        s.instruction_threshold = 1.01
names = [s.name for s in p.scanners]
assert "semantic" in names and "classifier" in names, names
out_dir = Path(f"{WORK}/rec")
out_dir.mkdir(parents=True, exist_ok=True)
for prefix in sys.argv[1:]:
    pre = Path(prefix)
    res = []
    t0 = time.time()
    for part, label in (("injections", 1), ("benign", 0)):
        src = pre.with_name(pre.name + f".{part}.jsonl")
        for line in src.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            r = json.loads(line)
            field = r.get("field", "user")
            REC.clear()
            d = p.check_request(request(r["text"], field), "chat")
            res.append({"label": label, "field": field, "source": r["source"],
                        "lang": r.get("lang"),
                        "lang_bucket": r.get("lang_bucket", "en" if r.get("lang") == "en"
                                             else "other"),
                        "text": r["text"], "other": d.action, "ctx": list(REC)})  # fmt: skip
    (out_dir / (pre.name + ".json")).write_text(json.dumps(res, ensure_ascii=False))
    print(pre.name, len(res), f"{time.time() - t0:.0f}s", flush=True)
