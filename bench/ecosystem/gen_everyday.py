"""Everyday artifacts users save that the other groups missed (session 9, "never cry wolf"):
torch whole-module saves of SWA/EMA averaged models, eager quantized / QAT / dynamic-quantized
models and compiled modules; pandas columns of every Arrow type (timestamps with and without a
time zone, nested list/struct, dictionary, decimal, binary, dates, durations) and pickled pyarrow
Tables / ChunkedArrays / RecordBatches; numpy structured and record arrays; h5py files whose
root group holds many or large attributes (dense attribute storage) and legacy-Keras-shaped
HDF5 files written by h5py alone (Keras 2 is not installed here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.ecosystem.writer import Writer


def torch_models(w: Writer) -> None:
    import torch
    import torch.nn as nn
    from torch.optim import swa_utils

    def mlp() -> nn.Module:
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

    base = mlp()
    swa = swa_utils.AveragedModel(base)
    swa.update_parameters(base)
    w.torch("swa.AveragedModel", swa)
    w.pickle("swa.AveragedModel", swa, protocols=(2, 4))
    w.torch("swa.AveragedModel.state_dict", swa.state_dict(), legacy=False)
    try:
        ema = swa_utils.AveragedModel(base, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.99))
        ema.update_parameters(base)
        w.torch("ema.AveragedModel", ema, legacy=False)
        w.torch("ema.AveragedModel.state_dict", ema.state_dict(), legacy=False)
    except Exception as exc:
        w.skip("ema AveragedModel", exc)
    bn = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
    swa_bn = swa_utils.AveragedModel(bn, use_buffers=True)
    w.torch("swa.AveragedModel-buffers", swa_bn, legacy=False)
    opt = torch.optim.SGD(base.parameters(), lr=0.1)
    sched = swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=2)
    opt.step()
    sched.step()
    w.torch("swa.SWALR.state_dict", sched.state_dict(), legacy=False)
    w.torch("swa.SWALR.object", sched, legacy=False)

    # pruning (forward pre-hooks holding the pruning method) and parametrizations
    import torch.nn.utils.parametrizations as P
    import torch.nn.utils.prune as prune

    pruned = mlp()
    prune.l1_unstructured(pruned[0], "weight", amount=0.5)
    prune.random_unstructured(pruned[2], "weight", amount=0.3)
    w.torch("prune.l1-random", pruned)
    w.torch("prune.state_dict", pruned.state_dict(), legacy=False)
    glob = mlp()
    prune.global_unstructured([(glob[0], "weight"), (glob[2], "weight")],
                              pruning_method=prune.L1Unstructured, amount=0.2)  # fmt: skip
    w.torch("prune.global", glob, legacy=False)
    for name, make in {
        "orthogonal": lambda: P.orthogonal(nn.Linear(4, 4)),
        "weight_norm": lambda: P.weight_norm(nn.Linear(4, 4)),
        "spectral_norm": lambda: P.spectral_norm(nn.Linear(4, 4)),
    }.items():
        try:
            w.torch(f"parametrize.{name}", make(), legacy=False)
        except Exception as exc:
            w.skip(f"parametrize {name}", exc)
    try:
        traced = torch.fx.symbolic_trace(mlp())
        w.torch("fx.GraphModule", traced, legacy=False)
    except Exception as exc:
        w.skip("torch.fx GraphModule", exc)
    try:
        compiled = torch.compile(mlp())
        w.torch("compiled.OptimizedModule", compiled, legacy=False)
        w.torch("compiled.state_dict", compiled.state_dict(), legacy=False)
    except Exception as exc:
        w.skip("torch.compile", exc)


def quantized(w: Writer) -> None:
    import torch
    import torch.ao.nn.intrinsic as nni
    import torch.ao.nn.qat as nnqat
    import torch.ao.nn.quantized as nnq
    import torch.ao.quantization as tq
    import torch.nn as nn

    torch.backends.quantized.engine = (
        "qnnpack" if "fbgemm" not in (torch.backends.quantized.supported_engines) else "fbgemm"
    )
    mods: dict[str, Any] = {
        "Quantize": lambda: nnq.Quantize(0.1, 0, torch.quint8),
        "DeQuantize": lambda: nnq.DeQuantize(),
        "Linear": lambda: nnq.Linear(4, 2),
        "Conv1d": lambda: nnq.Conv1d(2, 2, 3),
        "Conv2d": lambda: nnq.Conv2d(2, 2, 3),
        "Conv3d": lambda: nnq.Conv3d(2, 2, 3),
        "ConvTranspose2d": lambda: nnq.ConvTranspose2d(2, 2, 3),
        "ReLU6": lambda: nnq.ReLU6(),
        "Hardswish": lambda: nnq.Hardswish(0.1, 0),
        "ELU": lambda: nnq.ELU(0.1, 0),
        "LeakyReLU": lambda: nnq.LeakyReLU(0.1, 0),
        "Sigmoid": lambda: nnq.Sigmoid(0.1, 0),
        "Softmax": lambda: nnq.Softmax(),
        "BatchNorm2d": lambda: nnq.BatchNorm2d(4),
        "LayerNorm": lambda: nnq.LayerNorm(4, torch.ones(4), torch.zeros(4), 0.1, 0),
        "GroupNorm": lambda: nnq.GroupNorm(2, 4, torch.ones(4), torch.zeros(4), 0.1, 0),
        "Embedding": lambda: nnq.Embedding(10, 4),
        "EmbeddingBag": lambda: nnq.EmbeddingBag(10, 4),
        "FloatFunctional": lambda: nnq.FloatFunctional(),
        "QFunctional": lambda: nnq.QFunctional(),
        "Dropout": lambda: nnq.Dropout(0.1),
        "dynamic.Linear": lambda: torch.ao.nn.quantized.dynamic.Linear(4, 2),
        "dynamic.LSTM": lambda: torch.ao.nn.quantized.dynamic.LSTM(4, 4),
        "dynamic.GRU": lambda: torch.ao.nn.quantized.dynamic.GRU(4, 4),
        "qat.Linear": lambda: nnqat.Linear(4, 2, qconfig=tq.get_default_qat_qconfig()),
        "qat.Conv2d": lambda: nnqat.Conv2d(2, 2, 3, qconfig=tq.get_default_qat_qconfig()),
        "intrinsic.ConvReLU2d": lambda: nni.ConvReLU2d(nn.Conv2d(2, 2, 3), nn.ReLU()),
        "intrinsic.LinearReLU": lambda: nni.LinearReLU(nn.Linear(4, 2), nn.ReLU()),
        "QuantStub": lambda: tq.QuantStub(),
        "DeQuantStub": lambda: tq.DeQuantStub(),
        "MinMaxObserver": lambda: tq.MinMaxObserver(),
        "HistogramObserver": lambda: tq.HistogramObserver(),
        "FakeQuantize": lambda: tq.FakeQuantize(),
    }
    for name, make in mods.items():
        try:
            mod = make()
        except Exception as exc:
            w.skip(f"torch.ao {name}", exc)
            continue
        w.torch(f"quantized.{name}", mod)
        w.pickle(f"quantized.{name}", mod, protocols=(2,))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.quant = tq.QuantStub()
            self.conv = nn.Conv2d(1, 2, 3)
            self.bn = nn.BatchNorm2d(2)
            self.relu = nn.ReLU()
            self.fc = nn.Linear(8, 2)
            self.dequant = tq.DeQuantStub()

        def forward(self, x: Any) -> Any:
            x = self.relu(self.bn(self.conv(self.quant(x))))
            return self.dequant(self.fc(x.flatten(1)))

    # eager static post-training quantization, end to end (the user's own Net class is theirs
    # to allow; the saves below keep only library classes by saving its children and state)
    net = Net().eval()
    net.qconfig = tq.get_default_qconfig(torch.backends.quantized.engine)
    fused = tq.fuse_modules(net, [["conv", "bn", "relu"]])
    prepared = tq.prepare(fused)
    prepared(torch.randn(4, 1, 4, 4))
    w.torch("ptq.prepared-children", nn.ModuleDict(dict(prepared.named_children())), legacy=False)
    converted = tq.convert(prepared)
    w.torch("ptq.converted-children", nn.ModuleDict(dict(converted.named_children())))
    w.torch("ptq.converted.state_dict", converted.state_dict(), legacy=False)
    # QAT flow
    qnet = Net().train()
    qnet.qconfig = tq.get_default_qat_qconfig(torch.backends.quantized.engine)
    qat = tq.prepare_qat(tq.fuse_modules_qat(qnet, [["conv", "bn", "relu"]]))
    qat(torch.randn(4, 1, 4, 4))
    w.torch("qat.prepared-children", nn.ModuleDict(dict(qat.named_children())), legacy=False)
    # dynamic quantization of a plain torch.nn model
    dyn = tq.quantize_dynamic(
        nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), {nn.Linear}, torch.qint8
    )
    w.torch("dynamic.quantize_dynamic-mlp", dyn)
    w.torch("dynamic.quantize_dynamic-mlp.state_dict", dyn.state_dict(), legacy=False)
    lstm = tq.quantize_dynamic(nn.LSTM(4, 4, num_layers=2), {nn.LSTM}, torch.qint8)
    w.torch("dynamic.quantize_dynamic-lstm", lstm, legacy=False)


def pandas_arrow(w: Writer) -> None:
    import datetime
    import decimal

    import pandas as pd
    import pyarrow as pa

    n = 6
    ts = [datetime.datetime(2026, 1, i + 1, 12) for i in range(n)]
    cols: dict[str, Any] = {
        "timestamp-ns": pa.array(ts, pa.timestamp("ns")),
        "timestamp-us": pa.array(ts, pa.timestamp("us")),
        "timestamp-tz-utc": pa.array(ts, pa.timestamp("ns", tz="UTC")),
        "timestamp-tz-paris": pa.array(ts, pa.timestamp("ms", tz="Europe/Paris")),
        "timestamp-tz-offset": pa.array(ts, pa.timestamp("s", tz="+05:30")),
        "date32": pa.array([datetime.date(2026, 1, i + 1) for i in range(n)], pa.date32()),
        "duration": pa.array([datetime.timedelta(seconds=i) for i in range(n)], pa.duration("s")),
        "decimal128": pa.array([decimal.Decimal(f"{i}.25") for i in range(n)], pa.decimal128(8, 2)),
        "list-int": pa.array([[1, 2], [], None, [3], [4, 5, 6], [7]], pa.list_(pa.int64())),
        "large-list": pa.array(
            [[1.5], [], [2.5, 3.5], None, [], [1.0]], pa.large_list(pa.float64())
        ),
        "list-str": pa.array([["a"], ["b", "c"], [], None, ["d"], ["e"]], pa.list_(pa.string())),
        "struct": pa.array(
            [{"a": i, "b": f"s{i}"} if i != 2 else None for i in range(n)],
            pa.struct([("a", pa.int32()), ("b", pa.string())]),
        ),
        "dictionary": pa.array(list("abcabc")).dictionary_encode(),
        "dictionary-nulls": pa.array(["x", None, "y", "x", None, "y"]).dictionary_encode(),
        "binary": pa.array([b"\x00", b"ab", None, b"", b"xyz", b"q"], pa.binary()),
        "large-string": pa.array(list("abcdef"), pa.large_string()),
        "bool": pa.array([True, False, None, True, True, False]),
        "float64-nulls": pa.array([1.5, None, 2.5, None, 3.5, 4.5]),
    }
    for name, arr in cols.items():
        try:
            ser = pd.Series(pd.arrays.ArrowExtensionArray(arr), name=name)
        except Exception as exc:
            w.skip(f"pandas arrow {name}", exc)
            continue
        w.pickle(f"Series-arrow-{name}", ser, protocols=(4, 5))
        w.joblib(f"DataFrame-arrow-{name}", ser.to_frame(), compressors=("raw",))
        w.custom(
            f"to_pickle arrow {name}",
            "pandas-to_pickle",
            f"to_pickle/arrow-{name}.pkl",
            lambda p, s=ser: s.to_frame().to_pickle(p),
        )
    try:
        frame = pd.DataFrame(
            {"t": pd.date_range("2026-01-01", periods=n, tz="UTC"), "x": range(n)}
        ).convert_dtypes(dtype_backend="pyarrow")
        w.pickle("DataFrame-convert_dtypes-pyarrow", frame, protocols=(4, 5))
    except Exception as exc:
        w.skip("convert_dtypes pyarrow", exc)
    w.current = "pyarrow"
    table = pa.table(
        {
            k: v
            for k, v in cols.items()
            if k in ("timestamp-ns", "list-int", "struct", "dictionary", "large-string")
        }
    )
    values: dict[str, Any] = {
        "Table": table,
        "Table-plain": pa.table({"a": pa.array(range(n)), "b": pa.array(list("abcdef"))}),
        "RecordBatch": pa.record_batch({"a": pa.array(range(n)), "s": pa.array(list("abcdef"))}),
        "ChunkedArray": pa.chunked_array([pa.array([1, 2]), pa.array([3])]),
        "ChunkedArray-str": pa.chunked_array([pa.array(["a", "b"]), pa.array(["c"])]),
        "Array-int": pa.array([1, 2, None]),
        "Schema": table.schema,
        "DataType-timestamp-tz": pa.timestamp("ns", tz="UTC"),
        "Field": pa.field("x", pa.int64(), nullable=False, metadata={"k": "v"}),
    }
    for name, v in values.items():
        w.pickle(f"pyarrow-{name}", v, protocols=(4, 5))


def numpy_structured(w: Writer) -> None:
    import numpy as np

    objs: dict[str, Any] = {
        "structured-nested": np.zeros(
            3, dtype=[("pos", "f4", (3,)), ("id", "<i8"), ("meta", [("a", "u1"), ("b", "S4")])]
        ),
        "recarray": np.rec.array([(1, 2.0), (3, 4.0)], dtype=[("x", "i4"), ("y", "f8")]),
        "structured-aligned": np.zeros(2, dtype=np.dtype([("a", "u1"), ("b", "f8")], align=True)),
        "subarray-dtype": np.zeros(2, dtype=np.dtype(("f4", (2, 2)))),
        "str-dtype": np.array(["ab", "c"], dtype=np.dtypes.StringDType())
        if hasattr(np, "dtypes") and hasattr(np.dtypes, "StringDType")
        else np.array(["ab", "c"]),
    }
    for name, v in objs.items():
        w.pickle(f"numpy-{name}", v, protocols=(2, 5))
        w.joblib(f"numpy-{name}", v, compressors=("raw",))
        w.custom(f"np.save {name}", "numpy-npy", f"npy/{name}.npy",
                 lambda p, a=v: np.save(p, a, allow_pickle=True))  # fmt: skip


def hdf5_files(w: Writer) -> None:
    import h5py
    import numpy as np

    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {
                    "class_name": "Dense",
                    "config": {"name": f"dense_{i}", "units": 4, "activation": "relu"},
                }
                for i in range(400)
            ],
        },
    }
    text = json.dumps(config)

    def keras_like(p: Path, libver: Any, extra: int = 0, big: bool = False) -> None:
        with h5py.File(p, "w", libver=libver) as f:
            f.attrs["keras_version"] = "2.15.0"
            f.attrs["backend"] = "tensorflow"
            f.attrs["model_config"] = (
                text if big else json.dumps({"class_name": "Sequential", "config": {"layers": []}})
            )
            f.attrs["training_config"] = json.dumps({"loss": "mse"})
            for i in range(extra):
                f.attrs[f"note_{i}"] = f"value {i}"
            g = f.create_group("model_weights")
            g.attrs["layer_names"] = np.array([b"dense_0"])
            d = g.create_group("dense_0")
            d.attrs["weight_names"] = np.array([b"dense_0/kernel:0"])
            d.create_dataset("dense_0/kernel:0", data=np.ones((4, 4), np.float32))

    for libver in ("earliest", "latest"):
        for extra, big in ((0, False), (0, True), (20, False), (40, True)):
            name = f"keras-like-{libver}-attrs{extra}{'-bigconfig' if big else ''}"
            w.custom(name, "hdf5", f"h5/{name}.h5",
                     lambda p, lv=libver, e=extra, b=big: keras_like(p, lv, e, b))  # fmt: skip

    def many(p: Path, libver: Any, track: bool) -> None:
        with h5py.File(p, "w", libver=libver, track_order=track) as f:
            for i in range(64):
                f.attrs[f"a{i:02d}"] = i if i % 3 else f"text {i}"
            f.attrs["arr"] = np.arange(10)
            f.create_dataset("x", data=np.arange(4))

    for libver in ("earliest", "latest"):
        for track in (False, True):
            name = f"many-attrs-{libver}{'-tracked' if track else ''}"
            w.custom(name, "hdf5", f"h5/{name}.h5",
                     lambda p, lv=libver, t=track: many(p, lv, t))  # fmt: skip


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (
        ("torch", torch_models),
        ("torch", quantized),
        ("pandas", pandas_arrow),
        ("numpy", numpy_structured),
        ("h5py", hdf5_files),
    ):
        w.current = lib
        try:
            versions[lib] = md.version(lib)
            if lib == "pandas":
                versions["pyarrow"] = md.version("pyarrow")
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions
