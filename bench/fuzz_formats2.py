"""Mutation fuzzing of every other scan handler through the whole engine (session 15, fuzz15).

``bench/fuzz_formats.py`` covers GGUF, safetensors, ONNX, SavedModel, Keras zip, the protobuf
and marshal readers and the Jinja analyser; this campaign reuses its ``mutate`` on valid seeds
made by the real savers (torch, numpy, h5py, pyarrow, skops, xgboost, catboost, sentencepiece,
scipy) or the tests' byte builders, and runs each input through ``scan_data`` so that nested
members (archives, compressed streams, TorchScript code, EPContext blobs, YAML re-reads) are
reached the way a real scan reaches them.

Counted per target:
- crash: an exception escaping ``scan_data``, or a handler raising anything but its documented
  ``FormatProblem`` (the engine turns that into a "scanner error" finding, which still denies);
- fail-open: a strict prefix of a seed (a truncated file) judged clean (every object scanned, no
  finding at all) in the seed's own format (a cut config that reads as plain text is not one);
- slow: an input taking more than 2 s (all inputs are < 1 MB); a 20 s alarm stops a hang.

Usage: nice -n 10 .venv/bin/python bench/fuzz_formats2.py [--seconds 20] [--seed 1]
       [--only NAME[,NAME]] [--out FILE]
Crashing / fail-open / slow inputs are written to /tmp/airlock-fuzz2/ for regression tests.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import lzma
import pickle
import random
import resource
import signal
import struct
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fuzz_formats import mutate  # noqa: E402

from airlock.scan import engine  # noqa: E402
from airlock.scan.engine import scan_data  # noqa: E402
from airlock.scan.result import FileResult  # noqa: E402

OUT = Path("/tmp/airlock-fuzz2")
SLOW = 2.0
Seeds = list[tuple[str, bytes]]


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _torch_seeds(tmp: Path) -> dict[str, Seeds]:
    import torch

    class M(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = torch.nn.Linear(3, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.lin(x)) * 2

    m = M()
    out: dict[str, Seeds] = {}
    buf = io.BytesIO()
    torch.save(m.state_dict(), buf)
    zipped = buf.getvalue()
    buf = io.BytesIO()
    torch.save({"w": torch.arange(6.0)}, buf, _use_new_zipfile_serialization=False)
    out["torch zip + legacy"] = [("model.pt", zipped), ("legacy.bin", buf.getvalue())]
    from tests.scan.test_legacy_tar_links import honest

    out["torch legacy tar"] = [("legacy.tar", honest(2))]
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(m), buf)
    out["torchscript archive"] = [("m.pt", buf.getvalue())]
    try:
        ep = torch.export.export(m, (torch.ones(1, 3),))
        torch.export.save(ep, tmp / "m.pt2")
        out["pt2 archive"] = [("m.pt2", (tmp / "m.pt2").read_bytes())]
    except Exception as exc:  # torch.export is optional: the campaign says so
        sys.stderr.write(f"pt2 seed not built: {exc}\n")
    return out


def _numpy_seeds() -> dict[str, Seeds]:
    import numpy as np
    import scipy.io
    import scipy.sparse

    def npy(a: object) -> bytes:
        buf = io.BytesIO()
        np.save(buf, a)
        return buf.getvalue()

    buf = io.BytesIO()
    np.savez_compressed(buf, a=np.arange(10.0), b=np.ones((2, 3), np.int8))
    sp = io.BytesIO()
    scipy.sparse.save_npz(sp, scipy.sparse.random(5, 5, density=0.3, format="csr", random_state=0))
    mat = io.BytesIO()
    scipy.io.savemat(mat, {"w": np.arange(6.0).reshape(2, 3), "s": "text", "c": {"k": 1.0}})
    mat4 = io.BytesIO()
    scipy.io.savemat(mat4, {"w": np.ones(3)}, format="4")
    return {
        "npy / npz": [
            ("a.npy", npy(np.arange(12, dtype="<f4").reshape(3, 4))),
            ("s.npy", npy(np.array(["ab", "c"]))),
            ("r.npy", npy(np.zeros(2, dtype=[("x", "<i4"), ("y", "<f8")]))),
            ("a.npz", buf.getvalue()),
            ("sparse.npz", sp.getvalue()),
        ],
        "matlab": [("w.mat", mat.getvalue()), ("w4.mat", mat4.getvalue())],
    }


def _archive_seeds() -> dict[str, Seeds]:
    inner_pickle = pickle.dumps({"a": [1, 2.0, "x"]}, protocol=2)
    header = json.dumps({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    st = struct.pack("<Q", len(header)) + header + b"\0" * 8
    cfg = json.dumps({"model_type": "bert", "hidden_size": 8}).encode()
    tgz = _tar({"model/config.json": cfg, "model/w.safetensors": st}, "w:gz")
    nested = _zip({"outer/inner.tar.gz": tgz, "data.pkl": inner_pickle, "README.md": b"# m\n"})
    stored = _zip({"a.json": cfg, "b.zip": _zip({"c.pkl": inner_pickle})}, zipfile.ZIP_STORED)
    return {
        "zip / tar walkers (nested)": [
            ("m.zip", nested),
            ("s.zip", stored),
            ("m.tar", _tar({"config.json": cfg, "w.safetensors": st, "x.zip": stored})),
            ("m.tar.gz", tgz),
        ],
        "compressed streams": [
            ("w.gz", gzip.compress(st)),
            ("p.bz2", bz2.compress(inner_pickle)),
            ("c.xz", lzma.compress(cfg)),
            ("p.lzma", lzma.compress(inner_pickle, format=lzma.FORMAT_ALONE)),
        ],
    }


def _tabular_seeds(tmp: Path) -> dict[str, Seeds]:
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    table = pa.table({"x": [1, 2, 3], "s": ["a", "b", None], "f": [0.5, 1.5, 2.5]})
    pq.write_table(table, tmp / "t.parquet")
    feather.write_feather(table, tmp / "t.feather")
    stream = io.BytesIO()
    with pa.ipc.new_stream(stream, table.schema) as w:
        w.write_table(table)
    return {
        "columnar (parquet/arrow/feather)": [
            ("t.parquet", (tmp / "t.parquet").read_bytes()),
            ("t.feather", (tmp / "t.feather").read_bytes()),
            ("t.arrows", stream.getvalue()),
        ]
    }


def _ml_seeds(tmp: Path) -> dict[str, Seeds]:
    import catboost
    import h5py
    import numpy as np
    import sentencepiece as spm
    import skops.io
    import xgboost
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    x = np.random.default_rng(0).normal(size=(40, 3))
    y = (x[:, 0] > 0).astype(int)
    out: dict[str, Seeds] = {}
    with h5py.File(tmp / "w.h5", "w") as f:
        g = f.create_group("model_weights/dense")
        g.create_dataset("kernel", data=np.ones((3, 2), np.float32))
        g.attrs["weight_names"] = [b"kernel"]
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {}})
        f.create_dataset("c", data=np.arange(100), chunks=(10,), compression="gzip")
    out["hdf5"] = [("w.h5", (tmp / "w.h5").read_bytes())]
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(x, y)
    tree = DecisionTreeClassifier(max_depth=2).fit(x, y)
    out["skops"] = [("p.skops", skops.io.dumps(pipe)), ("t.skops", skops.io.dumps(tree))]
    booster = xgboost.train({"max_depth": 2}, xgboost.DMatrix(x, label=y), num_boost_round=2)
    booster.save_model(tmp / "m.ubj")
    out["xgboost ubj"] = [("m.ubj", (tmp / "m.ubj").read_bytes())]
    cb = catboost.CatBoostClassifier(
        iterations=2, depth=2, verbose=False, thread_count=1, allow_writing_files=False
    )
    cb.fit(x, y)
    cb.save_model(str(tmp / "m.cbm"))
    out["catboost"] = [("m.cbm", (tmp / "m.cbm").read_bytes())]
    corpus = tmp / "corpus.txt"
    corpus.write_text(
        "\n".join(f"the model {i} reads tokens and words {i * 7}" for i in range(300))
    )
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(tmp / "sp"), vocab_size=60, minloglevel=2
    )
    out["sentencepiece"] = [("tokenizer.model", (tmp / "sp.model").read_bytes())]
    return out


def _built_seeds() -> dict[str, Seeds]:
    import msgpack
    from onnx import helper
    from tests.scan_formats import coreml_build as cm
    from tests.scan_formats.test_media_tokenizer_flax import _flax
    from tests.scan_formats.test_onnx import make_model
    from tests.scan_formats.test_openvino import ir
    from tests.scan_formats.test_tflite import build, flex_options
    from tests.scan_formats.test_word2vec import _c_tool

    ep = helper.make_node(
        "EPContext", ["x"], ["y"], domain="com.microsoft", name="ep0",
        embed_mode=1, ep_cache_context=b"\x00blob", source="QNN",
    )  # fmt: skip
    ep_model = make_model(
        nodes=[ep], opsets=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    words = ["the", "a", "model", "</s>", "word"]
    return {
        "tflite + flex": [
            ("m.tflite", build([(0, None), (1, None)])),
            ("f.tflite", build([(32, "FlexAddV2")], options=flex_options("AddV2", "AddV2"))),
        ],
        "coreml": [
            ("m.mlmodel", cm.model(5, cm.network(cm.layer("l1"), cm.layer("l2")))),
            ("weight.bin", cm.blob_storage([b"\0" * 64, b"\1" * 32])),
        ],
        "openvino": [("m.xml", ir([(0, 16), (16, 16)]))],
        "flax msgpack": [("m.msgpack", _flax()), ("e.msgpack", msgpack.packb({"a": {}}))],
        "word2vec": [("v.bin", _c_tool(words, 4))],
        "onnx EPContext": [("ep.onnx", ep_model.SerializeToString())],
    }


_PY = b'''"""A model's code."""
import math
from torch import nn


class Net(nn.Module):
    def __init__(self, n: int = 4) -> None:
        super().__init__()
        self.l = nn.Linear(n, n)

    def forward(self, x):
        return self.l(x) * math.sqrt(2)
'''
_YAML = b"""model:
  name: tiny
  layers: [1, 2, 3]
  act: !!str relu
  rate: 1.0e-3
  nested: {a: &x 1, b: *x}
"""
_HPY = b"""seed: 1
dim: 8
model: !new:torch.nn.Linear
    in_features: !ref <dim>
    out_features: 2
opt: !name:torch.optim.Adam
    lr: 0.001
"""


def _text_seeds() -> dict[str, Seeds]:
    template = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    index = {
        "metadata": {"total_size": 16},
        "weight_map": {
            "a": "model-00001-of-00002.safetensors",
            "b": "model-00002-of-00002.safetensors",
        },
    }
    return {
        "json config / text / yaml": [
            ("config.json", json.dumps({"model_type": "llama", "hidden_size": 8}).encode()),
            ("tokenizer_config.json", json.dumps({"chat_template": template}).encode()),
            ("config.yaml", _YAML),
            ("hyperparams.yaml", _HPY),
            ("README.md", b"# model\n\nA tiny model.\n"),
        ],
        "python source": [("modeling.py", _PY)],
        "shard index": [("model.safetensors.index.json", json.dumps(index).encode())],
    }  # fmt: skip


def seeds() -> dict[str, Seeds]:
    tmp = Path(tempfile.mkdtemp(prefix="fuzz2-"))
    out: dict[str, Seeds] = {}
    for part in (
        lambda: _torch_seeds(tmp), _numpy_seeds, _archive_seeds, lambda: _tabular_seeds(tmp),
        lambda: _ml_seeds(tmp), _built_seeds, _text_seeds,
    ):  # fmt: skip
        out.update(part())
    return out


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


_ERRORS: list[str] = []
_run_handler = engine.run_handler


def _checked(handler: object, src: object, ctx: object, how: str = "") -> engine.ScanOutcome:
    out = _run_handler(handler, src, ctx, how)  # type: ignore[arg-type]
    if out.not_scanned and "scanner error:" in out.not_scanned:
        _ERRORS.append(f"{handler.name}: {out.not_scanned}")  # type: ignore[attr-defined]
    return out


def clean(result: FileResult) -> bool:
    return not result.findings and all(o.status != "not_scanned" for o in result.objects)


def _top(result: FileResult) -> str:
    return result.objects[0].format if result.objects else ""


def campaign(name: str, corpus: Seeds, seconds: float, rng: random.Random) -> str:
    execs = crashes = open_ = slow = 0
    slowest = 0.0
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    deadline = time.monotonic() + seconds
    tag = name.split()[0].replace("/", "")
    formats = {fname: _top(scan_data(seed, fname)) for fname, seed in corpus}
    while time.monotonic() < deadline:
        fname, seed = rng.choice(corpus)
        prefix = rng.random() < 0.15 and len(seed) > 1
        data = seed[: rng.randrange(1, len(seed))] if prefix else mutate(rng, seed)
        _ERRORS.clear()
        problem = ""
        t0 = time.perf_counter()
        signal.alarm(20)
        try:
            result = scan_data(data, fname)
            if _ERRORS:
                problem = "crash: " + _ERRORS[0]
            elif prefix and clean(result) and _top(result) == formats[fname]:
                problem = f"fail-open: truncated seed judged clean as {formats[fname]}"
        except Hang:
            problem = "hang (> 20 s)"
        except Exception as exc:
            problem = f"crash: escaped scan_data: {type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
        took = time.perf_counter() - t0
        slowest = max(slowest, took)
        if not problem and took > SLOW:
            problem = f"slow: {took:.2f} s"
        execs += 1
        if problem:
            kind = problem.split(":")[0].split()[0]
            crashes += kind in ("crash", "hang")
            open_ += kind == "fail-open"
            slow += kind == "slow"
            n = {"crash": crashes, "hang": crashes, "fail-open": open_, "slow": slow}[kind]
            if n <= 5:
                OUT.mkdir(exist_ok=True)
                path = OUT / f"{tag}-{kind}-{n}-{fname}"
                path.write_bytes(data)
                sys.stderr.write(f"{name}: {problem[:300]} -> {path}\n")
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) // 1024
    return f"| {name} | {execs} | {crashes} | {open_} | {slow} | {slowest:.3f} | {rss} |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    engine.run_handler = _checked  # type: ignore[assignment]
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.monotonic()
    corpora = seeds()
    wanted = [w for w in args.only.split(",") if w]
    lines = [
        f"Engine mutation fuzzing, {args.seconds:g} s per target, seed {args.seed} "
        f"(seeds built in {time.monotonic() - t0:.0f} s).",
        "",
        "| target | executions | crashes | fail-open | slow (> 2 s) | slowest (s) | RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, corpus in corpora.items():
        if wanted and not any(w in name for w in wanted):
            continue
        lines.append(campaign(name, corpus, args.seconds, rng))
        sys.stderr.write(lines[-1] + "\n")
    lines.append(f"\nload average at the end: {open('/proc/loadavg').read().split()[:3]}")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
