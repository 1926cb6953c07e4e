"""PyTorch: every torch.nn layer as a full-module save, optimizers, LR schedulers, GradScaler,
and the Python values people torch.save beside their weights."""

from __future__ import annotations

import collections
import datetime
import decimal
import fractions
import inspect
import uuid
from typing import Any

from bench.ecosystem.writer import Writer

# Constructor arguments tried in order until one builds the layer (most take sizes).
_ARGS: tuple[tuple[Any, ...], ...] = ((), (4,), (4, 4), (2, 2, 3), (4, 4, 4), (4, 2), (2, 2))
_SPECIAL: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "MultiheadAttention": ((8, 2), {}),
    "Transformer": (
        (),
        {
            "d_model": 8,
            "nhead": 2,
            "num_encoder_layers": 1,
            "num_decoder_layers": 1,
            "dim_feedforward": 16,
        },
    ),
    "TransformerEncoderLayer": ((8, 2), {"dim_feedforward": 16}),
    "TransformerDecoderLayer": ((8, 2), {"dim_feedforward": 16}),
    "AdaptiveLogSoftmaxWithLoss": ((8, 20, [5, 10]), {}),
    "EmbeddingBag": ((10, 4), {}),
    "Embedding": ((10, 4), {}),
    "Unflatten": ((1, (2, 2)), {}),
    "Fold": (((4, 4), (2, 2)), {}),
    "Unfold": (((2, 2),), {}),
    "RNN": ((4, 4), {}),
    "LSTM": ((4, 4), {"num_layers": 2}),
    "GRU": ((4, 4), {}),
    "RNNCell": ((4, 4), {}),
    "LSTMCell": ((4, 4), {}),
    "GRUCell": ((4, 4), {}),
    "Bilinear": ((4, 4, 2), {}),
    "GroupNorm": ((2, 4), {}),
    "LayerNorm": ((4,), {}),
    "RMSNorm": ((4,), {}),
    "LocalResponseNorm": ((2,), {}),
    "PixelShuffle": ((2,), {}),
    "PixelUnshuffle": ((2,), {}),
    "ChannelShuffle": ((2,), {}),
    "Upsample": ((), {"scale_factor": 2.0}),
    "UpsamplingNearest2d": ((), {"scale_factor": 2.0}),
    "UpsamplingBilinear2d": ((), {"scale_factor": 2.0}),
}


def _layers() -> list[tuple[str, Any]]:
    import torch.nn as nn

    out = []
    for name in sorted(dir(nn)):
        cls = getattr(nn, name)
        if inspect.isclass(cls) and issubclass(cls, nn.Module) and not name.startswith("_"):
            out.append((name, cls))
    return out


def _build(name: str, cls: Any) -> Any:
    import torch.nn as nn

    if name == "RNNBase":
        return cls("GRU", 4, 4)
    if name == "RNNCellBase":
        return cls(4, 4, True, 3)
    if name == "TransformerEncoder":
        return cls(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16), 2)
    if name == "TransformerDecoder":
        return cls(nn.TransformerDecoderLayer(8, 2, dim_feedforward=16), 2)
    if name in _SPECIAL:
        args, kw = _SPECIAL[name]
        return cls(*args, **kw)
    last: Exception | None = None
    for args in _ARGS:
        try:
            return cls(*args)
        except Exception as exc:
            last = exc
    raise RuntimeError(f"no default arguments build it: {last}")


def layers(w: Writer) -> None:
    import torch
    import torch.nn as nn

    for name, cls in _layers():
        if name in (
            "Module",
            "ModuleList",
            "ModuleDict",
            "ParameterList",
            "ParameterDict",
            "Sequential",
            "Container",
        ):
            continue
        try:
            mod = _build(name, cls)
        except Exception as exc:
            w.skip(f"torch.nn.{name}", exc)
            continue
        w.torch(f"nn.{name}", mod)
        w.pickle(f"nn.{name}", mod, protocols=(2,))
    # Containers and a small real network, also as state_dicts.
    net = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.LazyLinear(3)
    )
    w.torch("nn.Sequential-convnet", net)
    box = nn.ModuleDict({"a": nn.Linear(2, 2), "b": nn.ModuleList([nn.GELU(), nn.Tanh()])})
    w.torch("nn.ModuleDict", box)
    w.torch("nn.ParameterDict", nn.ParameterDict({"w": nn.Parameter(torch.zeros(2))}))
    w.torch("nn.ParameterList", nn.ParameterList([nn.Parameter(torch.ones(3))]))
    mlp = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 2))
    w.torch("state_dict-mlp", mlp.state_dict())
    w.torch("state_dict-lstm", nn.LSTM(4, 4, num_layers=2).state_dict())


def optimizers(w: Writer) -> None:
    import torch
    import torch.nn as nn
    import torch.optim as optim
    from torch.optim import lr_scheduler as lrs

    def fresh() -> tuple[nn.Module, list[Any]]:
        model = nn.Linear(4, 2)
        return model, list(model.parameters())

    opt_kw: dict[str, dict[str, Any]] = {"LBFGS": {"lr": 0.1}, "SparseAdam": {}, "Muon": {}}
    for name in sorted(dir(optim)):
        cls = getattr(optim, name)
        if not (inspect.isclass(cls) and issubclass(cls, optim.Optimizer)) or name == "Optimizer":
            continue
        try:
            model, params = fresh()
            if name == "SparseAdam":
                emb = nn.Embedding(10, 4, sparse=True)
                opt = cls(list(emb.parameters()))
                emb(torch.tensor([1, 2])).sum().backward()
                opt.step()
            elif name == "Muon":
                lin = nn.Linear(4, 4, bias=False)
                opt = cls(list(lin.parameters()))
                lin(torch.ones(2, 4)).sum().backward()
                opt.step()
            else:
                opt = cls(params, **opt_kw.get(name, {}))

                def closure(model: nn.Module = model, opt: Any = opt) -> Any:
                    opt.zero_grad()
                    loss = model(torch.ones(3, 4)).pow(2).sum()
                    loss.backward()
                    return loss

                opt.step(closure)
        except Exception as exc:
            w.skip(f"torch.optim.{name}", exc)
            continue
        w.torch(f"optim.{name}.state_dict", opt.state_dict())
        w.torch(f"optim.{name}.object", opt, legacy=False)

    sched: dict[str, Any] = {
        "StepLR": lambda o: lrs.StepLR(o, 2),
        "MultiStepLR": lambda o: lrs.MultiStepLR(o, [1, 3]),
        "ConstantLR": lambda o: lrs.ConstantLR(o),
        "LinearLR": lambda o: lrs.LinearLR(o),
        "ExponentialLR": lambda o: lrs.ExponentialLR(o, 0.9),
        "PolynomialLR": lambda o: lrs.PolynomialLR(o),
        "CosineAnnealingLR": lambda o: lrs.CosineAnnealingLR(o, 10),
        "CosineAnnealingWarmRestarts": lambda o: lrs.CosineAnnealingWarmRestarts(o, 5),
        "CyclicLR": lambda o: lrs.CyclicLR(o, 0.01, 0.1),
        "OneCycleLR": lambda o: lrs.OneCycleLR(o, 0.1, total_steps=10),
        "ReduceLROnPlateau": lambda o: lrs.ReduceLROnPlateau(o),
        "SequentialLR": lambda o: lrs.SequentialLR(
            o, [lrs.ConstantLR(o), lrs.ExponentialLR(o, 0.9)], milestones=[2]
        ),
        "ChainedScheduler": lambda o: lrs.ChainedScheduler(
            [lrs.ConstantLR(o), lrs.ExponentialLR(o, 0.9)]
        ),
    }
    for name, make in sched.items():
        try:
            _, params = fresh()
            opt = optim.SGD(params, lr=0.1, momentum=0.9)
            s = make(opt)
            opt.step()
            s.step(1.0) if name == "ReduceLROnPlateau" else s.step()
        except Exception as exc:
            w.skip(f"lr_scheduler.{name}", exc)
            continue
        w.torch(f"lr_scheduler.{name}.state_dict", s.state_dict())
        w.torch(f"lr_scheduler.{name}.object", s, legacy=False)
    try:
        scaler = torch.amp.GradScaler("cpu")
        w.torch("amp.GradScaler.state_dict", scaler.state_dict())
        w.torch("amp.GradScaler.object", scaler, legacy=False)
    except Exception as exc:
        w.skip("torch.amp.GradScaler", exc)


def values(w: Writer) -> None:
    """Python values saved beside weights: library dataclasses and named tuples, containers,
    numbers, dates. (A checkpoint's own user classes are for the policy file to allow.)"""
    import torch

    t = torch.arange(6.0).reshape(2, 3)
    vals: dict[str, Any] = {
        "OrderedDict": collections.OrderedDict([("a", t), ("b", 1)]),
        "defaultdict": collections.defaultdict(list, {"a": [1, 2]}),
        "Counter": collections.Counter("mississippi"),
        "deque": collections.deque([1, 2, 3], maxlen=5),
        "set": {1, 2, 3},
        "frozenset": frozenset({"a", "b"}),
        "complex": complex(1, -2),
        "datetime": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "date": datetime.date(2026, 1, 2),
        "time": datetime.time(1, 2, 3),
        "timedelta": datetime.timedelta(days=2, seconds=5),
        "Decimal": decimal.Decimal("3.14159"),
        "Fraction": fractions.Fraction(1, 3),
        "uuid-str": str(uuid.UUID(int=7)),
        "bytes": b"\x00\x01raw",
        "bytearray": bytearray(b"abc"),
        "range": range(2, 10, 2),
        "slice": slice(1, 5, 2),
        "nested": {"epoch": 3, "loss": [0.5, 0.25], "best": None, "tags": ("a", "b")},
        "tensor-complex": torch.complex(torch.ones(2), torch.zeros(2)),
        "tensor-dtypes": {
            str(d): torch.zeros(2, dtype=d)
            for d in (
                torch.float16,
                torch.bfloat16,
                torch.int8,
                torch.uint8,
                torch.bool,
                torch.int64,
            )
        },
        "tensor-sparse": torch.eye(3).to_sparse(),
        "tensor-qint8": torch.quantize_per_tensor(torch.ones(3), 0.1, 0, torch.qint8),
        "torch.Size": torch.Size([2, 3]),
        "torch.dtype": torch.float32,
        "torch.device": torch.device("cpu"),
        "torch.return_types.max": torch.max(t, 1),
        "torch.return_types.topk": torch.topk(t, 1),
        "torch.return_types.sort": torch.sort(t),
        "torch.Generator-state": torch.Generator().manual_seed(0).get_state(),
        "rng-state": {"torch": torch.get_rng_state(), "python": __import__("random").getstate()},
        "argparse.Namespace": __import__("argparse").Namespace(lr=0.1, epochs=3, name="run"),
        "SimpleNamespace": __import__("types").SimpleNamespace(a=1),
    }
    try:
        import numpy as np

        vals["numpy-rng-state"] = np.random.get_state()
        vals["numpy-Generator"] = np.random.default_rng(0)
        vals["numpy-values"] = {"arr": np.arange(4), "f": np.float32(1.5), "i": np.int64(3)}
    except Exception as exc:
        w.skip("numpy values", exc)
    for name, v in vals.items():
        w.torch(f"value.{name}", v)
        w.pickle(f"value.{name}", v, protocols=(2, 5))


def generate(w: Writer) -> dict[str, str]:
    import torch

    layers(w)
    optimizers(w)
    values(w)
    return {"torch": torch.__version__}
