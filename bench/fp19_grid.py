"""Round-19 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp19_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for families no earlier sweep (fp13, fp14, fp16, fp17, fp18) nor the
real-artifact corpus (``bench/ecosystem``) held as such: numpy objects users pickle (random
generators and bit generators, ``SeedSequence``, ``RandomState``, masked arrays, matrices,
``poly1d``, char arrays, datetime/timedelta and extended-precision scalars, object arrays of
honest Python values); torch tensor kinds (nested jagged/strided, named, float8 and other
narrow dtypes, complex, unsigned, per-tensor/per-channel quantized, sparse COO, views,
``torch.Size``/dtype/device values) under ``torch.save`` (zip and legacy, protocols 2-5);
whole optimizer / LR-scheduler / ``GradScaler`` objects and ``torch.Generator`` states;
transformers objects pickled (configs, ``GenerationConfig``, ``BatchEncoding``, ``TrainerState``,
callbacks, logits processors, data collators); gymnasium spaces, environments and wrappers;
scikit-learn ``all_estimators()`` under pickle protocols 2-4 and joblib with a drawn
compressor and protocol; stdlib values (collections, datetime, zoneinfo, decimal, fractions,
uuid, pathlib, ipaddress, enum members, re patterns, namespaces, array).
``--seed`` changes data, sizes and the draw of options, so a held-out grid is one more run.
Judge with ``bench/fp13_check.py`` (one verdict per artifact).
"""

from __future__ import annotations

import os
import pickle
import random
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid

warnings.filterwarnings("ignore")
os.environ.setdefault("KERAS_BACKEND", "torch")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


_COMPS: list[Any] = [0, 1, 3, 9, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2), ("xz", 1)]


def _save(obj: object, out: Path, stem: str, rng: random.Random) -> None:
    """Pickle with a drawn protocol (2-5) and joblib with a drawn compressor and protocol."""
    import joblib

    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    jproto = rng.choice([None, 2, 3, 4])
    joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS), protocol=jproto)


def _each(out: Path, rng: random.Random, objs: dict[str, Callable[[], Any]]) -> None:
    for name, make in objs.items():
        _try(out, name, lambda n=name, m=make: _save(m(), out, n, rng))


def _tsave(obj: object, out: Path, stem: str, rng: random.Random) -> None:
    """torch.save in the zip format with a drawn protocol, and sometimes the legacy format."""
    import torch

    proto = rng.choice([2, 3, 4, 5])
    torch.save(obj, out / f"{stem}.p{proto}.pt", pickle_protocol=proto)
    if rng.random() < 0.4:
        torch.save(obj, out / f"{stem}.legacy.pt", _use_new_zipfile_serialization=False)


# ---------------------------------------------------------------- numpy


@family
def gen_np_objects(out: Path, rng: random.Random) -> None:
    import datetime as dt
    import decimal
    import fractions

    r = np.random.default_rng(rng.randrange(10**6))
    n = rng.choice([5, 17, 64])
    bg = rng.choice(
        [np.random.PCG64, np.random.PCG64DXSM, np.random.MT19937, np.random.Philox, np.random.SFC64]
    )
    objs: dict[str, Callable[[], Any]] = {
        "generator": lambda: np.random.Generator(bg(rng.randrange(10**6))),
        "default_rng": lambda: np.random.default_rng(rng.randrange(10**6)),
        "bit_generator": lambda: bg(rng.randrange(10**6)),
        "seed_sequence": lambda: np.random.SeedSequence(rng.randrange(10**9)).spawn(3),
        "random_state": lambda: np.random.RandomState(rng.randrange(10**6)),
        "rng_states": lambda: {"np": np.random.get_state(), "g": r.bit_generator.state},
        "masked": lambda: np.ma.masked_array(
            r.normal(size=n), mask=r.random(n) < 0.3, fill_value=-1.0
        ),
        "masked_hard_2d": lambda: (
            np.ma.masked_invalid(np.where(r.random((n, 3)) < 0.2, np.nan, r.normal(size=(n, 3))))
            if rng.random() < 0.5
            else np.ma.array(r.integers(0, 9, (n, 2)), mask=False, hard_mask=True)
        ),
        "matrix": lambda: np.matrix(r.normal(size=(3, 4))),
        "poly1d": lambda: np.poly1d(r.normal(size=rng.choice([2, 4]))),
        "chararray": lambda: np.char.array([f"w{k}" for k in range(n)]),
        "datetime64": lambda: [
            np.datetime64("2025-03-01T12:00", rng.choice(["s", "ms", "ns"])),
            np.timedelta64(90, "m"),
            np.arange("2025-01", "2025-06", dtype="datetime64[M]"),
        ],
        "longdouble": lambda: [
            np.longdouble("1.5"),
            np.clongdouble(1 + 2j),
            np.arange(n, dtype=np.longdouble),
        ],
        "scalars": lambda: [
            np.float16(1.5),
            np.int8(-3),
            np.uint64(2**63),
            np.bool_(True),
            np.complex64(1j),
            np.str_("x"),
            np.bytes_(b"y"),
            np.void(b"\x00\x01"),
        ],
        "object_array": lambda: np.array(
            [
                1,
                "a",
                None,
                2.5,
                decimal.Decimal("1.25"),
                fractions.Fraction(1, 3),
                dt.date(2025, 1, 2),
                (1, 2),
                {"k": [1]},
            ][: rng.choice([5, 9])],
            dtype=object,
        ),
        "dtype_meta": lambda: np.dtype(np.float64, metadata={"unit": "m"}),
        "dtypes": lambda: [
            np.dtype("<U7"),
            np.dtype([("a", "<i4"), ("b", "<f8", (2,))]),
            np.dtype("M8[D]"),
            np.dtype("m8[us]"),
            np.dtype("c16"),
        ],
        "finfo": lambda: [np.iinfo(np.int16).max, float(np.finfo(np.float32).eps)],
    }
    _each(out, rng, objs)


# ---------------------------------------------------------------- torch tensors


@family
def gen_torch_tensors(out: Path, rng: random.Random) -> None:
    import torch

    torch.manual_seed(rng.randrange(10**6))
    n = rng.choice([4, 8, 16])

    def qchan() -> Any:
        w = torch.randn(n, 3)
        return torch.quantize_per_channel(
            w,
            torch.rand(n) / 10 + 0.01,
            torch.zeros(n, dtype=torch.long),
            0,
            rng.choice([torch.qint8, torch.quint8]),
        )

    objs: dict[str, Callable[[], Any]] = {
        "nested_jagged": lambda: torch.nested.nested_tensor(
            [torch.randn(k, 3) for k in (2, 5, n)], layout=torch.jagged
        ),
        "nested_strided": lambda: torch.nested.nested_tensor([torch.randn(k, 3) for k in (2, n)]),
        "named": lambda: torch.randn((2, n), names=("N", "C")),
        "float8": lambda: {
            str(d): torch.randn(n).to(d)
            for d in (
                torch.float8_e4m3fn,
                torch.float8_e5m2,
                torch.float8_e4m3fnuz,
                torch.float8_e5m2fnuz,
            )
        },
        "e8m0": lambda: torch.ones(n).to(torch.float8_e8m0fnu),
        "narrow": lambda: {
            "bf16": torch.randn(n).bfloat16(),
            "f16": torch.randn(n).half(),
            "chalf": torch.randn(n, dtype=torch.cfloat).to(torch.chalf),
            "bool": torch.rand(n) > 0.5,
        },
        "complex": lambda: torch.randn(n, 2, dtype=rng.choice([torch.cfloat, torch.cdouble])),
        "unsigned": lambda: [
            torch.tensor(list(range(n)), dtype=d)
            for d in (torch.uint8, torch.uint16, torch.uint32, torch.uint64)
        ],
        "quant_tensor": lambda: torch.quantize_per_tensor(
            torch.randn(n, 3),
            0.05,
            rng.choice([0, 3]),
            rng.choice([torch.qint8, torch.quint8, torch.qint32]),
        ),
        "quant_channel": qchan,
        "quint4x2": lambda: torch.quantize_per_tensor(torch.rand(n, 4), 0.1, 0, torch.quint4x2),
        "sparse_coo": lambda: torch.randn(n, n).relu().to_sparse(),
        "sparse_uncoalesced": lambda: torch.sparse_coo_tensor(
            torch.tensor([[0, 0, 1], [1, 1, 2]]), torch.tensor([1.0, 2.0, 3.0]), (3, 3)
        ),
        "views": lambda: (
            lambda b: {"base": b, "t": b.t(), "sl": b[1:, ::2], "exp": b[:1].expand(3, -1)}
        )(torch.randn(n, 6)),
        "meta_values": lambda: [
            torch.Size([2, n]),
            torch.float32,
            torch.device("cpu"),
            torch.channels_last,
            torch.int8,
        ],
        "params": lambda: {
            "w": torch.nn.Parameter(torch.randn(n, 2), requires_grad=False),
            "b": torch.nn.Parameter(torch.zeros(n)),
        },
        "channels_last": lambda: torch.randn(2, 3, n, n).to(memory_format=torch.channels_last),
        "generator_state": lambda: {
            "cpu": torch.get_rng_state(),
            "gen": torch.Generator().manual_seed(rng.randrange(99)).get_state(),
        },
    }
    for name, make in objs.items():
        _try(out, name, lambda nm=name, m=make: _tsave(m(), out, nm, rng))


# ---------------------------------------------------------------- torch whole objects


@family
def gen_torch_objects(out: Path, rng: random.Random) -> None:
    import torch
    from torch.optim import lr_scheduler as S

    torch.manual_seed(rng.randrange(10**6))

    def model() -> Any:
        k = rng.choice([3, 8])
        return torch.nn.Sequential(torch.nn.Linear(4, k), torch.nn.ReLU(), torch.nn.Linear(k, 2))

    def stepped(opt: Any, m: Any) -> Any:
        for _ in range(2):
            opt.zero_grad()
            m(torch.randn(5, 4)).pow(2).mean().backward()
            opt.step()
        return opt

    optims: dict[str, Callable[[Any], Any]] = {
        "sgd": lambda p: torch.optim.SGD(p, lr=0.1, momentum=rng.choice([0.0, 0.9])),
        "adam": lambda p: torch.optim.Adam(p, lr=1e-3, amsgrad=rng.random() < 0.5),
        "adamw": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3),
        "adagrad": lambda p: torch.optim.Adagrad(p),
        "nadam": lambda p: torch.optim.NAdam(p),
        "radam": lambda p: torch.optim.RAdam(p),
        "adadelta": lambda p: torch.optim.Adadelta(p),
        "adamax": lambda p: torch.optim.Adamax(p),
        "asgd": lambda p: torch.optim.ASGD(p),
        "rprop": lambda p: torch.optim.Rprop(p),
        "sparse_adam": lambda p: torch.optim.SparseAdam(list(p)),
    }
    for name, make in optims.items():

        def opt_run(name: str = name, make: Callable[[Any], Any] = make) -> None:
            m = model()
            opt = make(m.parameters())
            if name != "sparse_adam":
                stepped(opt, m)
            _tsave(opt, out, f"optim_{name}", rng)
            if rng.random() < 0.5:
                _save(opt, out, f"optim_{name}_pk", rng)

        _try(out, f"optim_{name}", opt_run)

    scheds: dict[str, Callable[[Any], Any]] = {
        "step": lambda o: S.StepLR(o, step_size=3, gamma=0.5),
        "multistep": lambda o: S.MultiStepLR(o, milestones=[2, 5]),
        "exponential": lambda o: S.ExponentialLR(o, gamma=0.9),
        "cosine": lambda o: S.CosineAnnealingLR(o, T_max=10),
        "cosine_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3),
        "onecycle": lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=20),
        "cyclic": lambda o: S.CyclicLR(
            o, 0.01, 0.1, mode=rng.choice(["triangular", "triangular2", "exp_range"])
        ),
        "plateau": lambda o: S.ReduceLROnPlateau(o, patience=2),
        "linear": lambda o: S.LinearLR(o, start_factor=0.1, total_iters=4),
        "constant": lambda o: S.ConstantLR(o, factor=0.5, total_iters=3),
        "polynomial": lambda o: S.PolynomialLR(o, total_iters=8, power=2.0),
        "sequential": lambda o: S.SequentialLR(
            o, [S.LinearLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.9)], milestones=[2]
        ),
        "chained": lambda o: S.ChainedScheduler(
            [S.ConstantLR(o, 0.5, total_iters=2), S.ExponentialLR(o, 0.9)]
        ),
    }
    for name, make in scheds.items():

        def sched_run(name: str = name, make: Callable[[Any], Any] = make) -> None:
            m = model()
            opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
            sch = make(opt)
            for _ in range(rng.choice([1, 3])):
                stepped(opt, m)
                sch.step(1.0) if name == "plateau" else sch.step()
            _tsave(sch, out, f"sched_{name}", rng)
            _tsave(
                {"model": m, "optimizer": opt, "scheduler": sch, "epoch": 3},
                out,
                f"ckpt_{name}",
                rng,
            )

        _try(out, f"sched_{name}", sched_run)

    def scaler() -> None:
        sc = torch.amp.GradScaler("cpu", init_scale=rng.choice([2.0**8, 2.0**16]))
        _tsave(sc, out, "grad_scaler", rng)
        _save(sc, out, "grad_scaler_pk", rng)

    _try(out, "grad_scaler", scaler)

    def swa() -> None:
        m = model()
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        _tsave(
            torch.optim.swa_utils.SWALR(
                opt,
                swa_lr=0.05,
                anneal_epochs=rng.choice([2, 5]),
                anneal_strategy=rng.choice(["cos", "linear"]),
            ),
            out,
            "swalr",
            rng,
        )

    _try(out, "swalr", swa)


# ---------------------------------------------------------------- transformers objects


@family
def gen_hf_objects(out: Path, rng: random.Random) -> None:
    import transformers as T

    h = rng.choice([16, 32])
    cfgs: dict[str, Callable[[], Any]] = {
        "bert_cfg": lambda: T.BertConfig(
            hidden_size=h, num_hidden_layers=2, num_attention_heads=2, intermediate_size=2 * h
        ),
        "gpt2_cfg": lambda: T.GPT2Config(n_embd=h, n_layer=2, n_head=2),
        "llama_cfg": lambda: T.LlamaConfig(
            hidden_size=h,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=2 * h,
            rope_scaling=rng.choice([None, {"rope_type": "linear", "factor": 2.0}]),
        ),
        "t5_cfg": lambda: T.T5Config(d_model=h, num_layers=2, num_heads=2),
        "vit_cfg": lambda: T.ViTConfig(hidden_size=h, num_hidden_layers=1, num_attention_heads=2),
        "clip_cfg": lambda: T.CLIPConfig(),
        "auto_cfg": lambda: T.AutoConfig.for_model("roberta", hidden_size=h),
        "gen_cfg": lambda: T.GenerationConfig(
            max_new_tokens=rng.choice([16, 64]),
            do_sample=True,
            top_p=0.9,
            temperature=0.7,
            repetition_penalty=1.1,
        ),
        "gen_cfg_beam": lambda: T.GenerationConfig(
            num_beams=4, early_stopping=True, no_repeat_ngram_size=3
        ),
        "trainer_state": lambda: T.TrainerState(
            global_step=10, epoch=1.0, log_history=[{"loss": 0.5, "step": 10}]
        ),
        "trainer_control": lambda: T.TrainerControl(should_save=True),
        "early_stopping": lambda: T.EarlyStoppingCallback(early_stopping_patience=3),
        "logits_procs": lambda: T.LogitsProcessorList(
            [
                T.TemperatureLogitsWarper(0.7),
                T.TopKLogitsWarper(5),
                T.TopPLogitsWarper(0.9),
                T.RepetitionPenaltyLogitsProcessor(1.2),
                T.MinLengthLogitsProcessor(5, 0),
            ]
        ),
        "stopping": lambda: T.StoppingCriteriaList([T.MaxLengthCriteria(32)]),
        "batch_feature": lambda: T.BatchFeature({"input_values": np.zeros((1, h), "float32")}),
    }

    def batch_encoding() -> Any:
        return T.BatchEncoding({"input_ids": [[101, 7, 102]], "attention_mask": [[1, 1, 1]]})

    cfgs["batch_encoding"] = batch_encoding
    _each(out, rng, cfgs)

    def torch_saved() -> None:
        import torch

        be = T.BatchEncoding(
            {
                "input_ids": torch.tensor([[101, 7, 102]]),
                "attention_mask": torch.ones(1, 3, dtype=torch.long),
            }
        )
        _tsave(be, out, "batch_encoding_t", rng)
        _tsave(T.GenerationConfig(max_new_tokens=8), out, "gen_cfg_t", rng)
        _tsave(T.BertConfig(hidden_size=h, num_attention_heads=2), out, "bert_cfg_t", rng)

    _try(out, "torch_saved", torch_saved)


# ---------------------------------------------------------------- gymnasium


@family
def gen_gym(out: Path, rng: random.Random) -> None:
    import gymnasium as gym
    from gymnasium import spaces

    seed = rng.randrange(10**6)
    n = rng.choice([3, 5])

    def seeded(sp: Any) -> Any:
        sp.seed(seed)
        sp.sample()
        return sp

    objs: dict[str, Callable[[], Any]] = {
        "box": lambda: seeded(
            spaces.Box(-1.0, 1.0, (n, 2), dtype=rng.choice([np.float32, np.float64]))
        ),
        "box_bounds": lambda: seeded(spaces.Box(np.zeros(n), np.arange(1, n + 1))),
        "discrete": lambda: seeded(spaces.Discrete(n, start=rng.choice([0, 1]))),
        "multidiscrete": lambda: seeded(spaces.MultiDiscrete([n, 2, 4])),
        "multibinary": lambda: seeded(spaces.MultiBinary(n)),
        "dict": lambda: seeded(
            spaces.Dict({"pos": spaces.Box(-1, 1, (2,)), "k": spaces.Discrete(n)})
        ),
        "tuple": lambda: seeded(spaces.Tuple((spaces.Discrete(2), spaces.MultiBinary(3)))),
        "text": lambda: seeded(spaces.Text(max_length=8)),
        "sequence": lambda: seeded(spaces.Sequence(spaces.Discrete(4))),
        "graph": lambda: seeded(spaces.Graph(spaces.Box(0, 1, (2,)), spaces.Discrete(3))),
        "oneof": lambda: seeded(spaces.OneOf((spaces.Discrete(2), spaces.Box(0, 1, (1,))))),
    }
    envs = [
        "CartPole-v1",
        "MountainCar-v0",
        "Pendulum-v1",
        "Acrobot-v1",
        "FrozenLake-v1",
        "Taxi-v4",
        "CliffWalking-v1",
        "Blackjack-v1",
        "MountainCarContinuous-v0",
    ]
    for env_id in rng.sample(envs, rng.choice([5, 7])):

        def env(env_id: str = env_id) -> Any:
            e = gym.make(env_id)
            e.reset(seed=seed)
            return e

        objs[f"env_{env_id}"] = env

    def wrapped() -> Any:
        from gymnasium import wrappers as W

        e = gym.make("CartPole-v1")
        e = W.RecordEpisodeStatistics(e)
        e = W.NormalizeObservation(e)
        e = W.NormalizeReward(e) if rng.random() < 0.5 else W.ClipReward(e, -1, 1)
        e.reset(seed=seed)
        e.step(e.action_space.sample())
        return e

    objs["wrapped"] = wrapped
    objs["env_spec"] = lambda: gym.spec("CartPole-v1")
    objs["running_ms"] = lambda: __import__(
        "gymnasium.wrappers.utils", fromlist=["RunningMeanStd"]
    ).RunningMeanStd(shape=(n,))
    _each(out, rng, objs)


# ---------------------------------------------------------------- scikit-learn, every estimator


@family
def gen_sk_protocols(out: Path, rng: random.Random) -> None:
    """Every estimator of all_estimators() that fits on toy data with its defaults, dumped with
    one drawn old pickle protocol (2-4) and joblib with a drawn compressor and protocol."""
    import joblib
    from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer
    from sklearn.utils import all_estimators

    del enable_halving_search_cv, enable_iterative_imputer
    r = np.random.default_rng(rng.randrange(10**6))
    n = rng.choice([30, 40, 60])
    x = np.abs(r.normal(size=(n, 4))) + 0.1
    yc = np.arange(n) % rng.choice([2, 3])
    yr = x @ r.normal(size=4)
    ym = np.stack([yc, 1 - yc % 2], axis=1)
    from sklearn.linear_model import LogisticRegression, Ridge

    regs = {n for n, _ in all_estimators(type_filter="regressor")}
    for name, cls in all_estimators():

        def run(name: str = name, cls: type = cls) -> None:
            kw: dict[str, Any] = {}
            try:
                est = cls()
            except TypeError:
                if "estimators" in str(cls.__init__.__code__.co_varnames):
                    base = Ridge() if name in regs else LogisticRegression()
                    kw["estimators"] = [
                        ("a", base),
                        ("b", Ridge() if name in regs else LogisticRegression(C=0.5)),
                    ]
                    est = cls(**kw)
                else:
                    base = Ridge() if name in regs else LogisticRegression()
                    est = cls(base)
            y = yr if name in regs else yc
            if "MultiOutput" in name or "Chain" in name:
                y = ym if name not in regs else np.stack([yr, yr * 2], axis=1)
            try:
                est.fit(x, y)
            except Exception:
                est.fit(x)
            proto = rng.choice([2, 3, 4])
            (out / f"{name}.p{proto}.pkl").write_bytes(pickle.dumps(est, protocol=proto))
            if rng.random() < 0.5:
                joblib.dump(
                    est,
                    out / f"{name}.joblib",
                    compress=rng.choice(_COMPS),
                    protocol=rng.choice([2, 3, 4, 5]),
                )

        _try(out, name, run)


# ---------------------------------------------------------------- stdlib values


@family
def gen_stdlib(out: Path, rng: random.Random) -> None:
    import argparse
    import array
    import collections
    import datetime as dt
    import decimal
    import enum
    import fractions
    import http
    import ipaddress
    import pathlib
    import re
    import types
    import uuid
    import zoneinfo

    n = rng.choice([3, 7])
    objs: dict[str, Callable[[], Any]] = {
        "collections": lambda: {
            "counter": collections.Counter("abracadabra"[: n + 3]),
            "od": collections.OrderedDict((str(k), k) for k in range(n)),
            "deque": collections.deque(range(n), maxlen=rng.choice([None, n + 1])),
            "dd_list": collections.defaultdict(list, {"a": [1]}),
            "dd_int": collections.defaultdict(int, {"b": 2}),
            "dd_set": collections.defaultdict(set),
            "dd_dict": collections.defaultdict(dict),
            "chain": collections.ChainMap({"a": 1}, {"b": 2}),
        },
        "datetimes": lambda: [
            dt.datetime(2025, 1, 2, 3, 4, 5, 6),
            dt.date(2025, 5, 6),
            dt.time(7, 8, tzinfo=dt.UTC),
            dt.timedelta(days=n),
            dt.datetime(2025, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
            dt.timezone(dt.timedelta(hours=-3), "X"),
        ],
        "numbers": lambda: [
            decimal.Decimal("3.14159"),
            decimal.Decimal("-Infinity"),
            fractions.Fraction(n, 7),
            complex(1, n),
            float("nan"),
            2**100,
        ],
        "ids_paths": lambda: [
            uuid.uuid4(),
            uuid.UUID(int=n),
            pathlib.PurePosixPath("a/b.txt"),
            pathlib.PureWindowsPath("C:/x"),
            pathlib.Path("/data/m.bin"),
        ],
        "net": lambda: [
            ipaddress.ip_address("10.0.0.1"),
            ipaddress.ip_network("10.0.0.0/8"),
            ipaddress.IPv6Address("::1"),
            ipaddress.ip_interface("192.168.1.2/24"),
        ],
        "enums": lambda: [
            http.HTTPStatus.OK,
            re.IGNORECASE | re.MULTILINE,
            enum.Enum("Color", "RED GREEN") and dt.UTC,
        ],
        "regex": lambda: [re.compile(r"\w+", re.I), re.compile(rb"[0-9]{2,}")],
        "containers": lambda: [
            frozenset({1, 2}),
            {3, 4},
            bytearray(b"ab"),
            range(0, n, 2),
            slice(1, n, 2),
            (1, (2, (3,))),
            b"\x00" * n,
            Ellipsis,
            None,
            NotImplemented,
        ],
        "namespaces": lambda: [
            types.SimpleNamespace(a=1, b="x"),
            argparse.Namespace(lr=0.1, epochs=n, name="run"),
        ],
        "arrays": lambda: [
            array.array("d", [1.0] * n),
            array.array("i", range(n)),
            array.array("u", "hey"),
        ],
    }
    _each(out, rng, objs)


# ---------------------------------------------------------------- configs users pickle


@family
def gen_configs_more(out: Path, rng: random.Random) -> None:
    """Quantization configs, peft configs, accelerate kwargs/plugins, data collators holding a
    tokenizer, OmegaConf containers and torch Generators, pickled directly."""
    import transformers as T

    objs: dict[str, Callable[[], Any]] = {
        "bnb4": lambda: T.BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=rng.choice(["nf4", "fp4"]),
            bnb_4bit_use_double_quant=rng.random() < 0.5,
        ),
        "bnb8": lambda: T.BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=6.0),
        "gptq": lambda: T.GPTQConfig(bits=rng.choice([4, 8]), dataset=["a b c"], group_size=128),
        "awq": lambda: T.AwqConfig(bits=4, group_size=128),
        "quanto": lambda: T.QuantoConfig(weights=rng.choice(["int8", "int4"])),
        "hqq": lambda: T.HqqConfig(nbits=4, group_size=64),
        "fp8": lambda: T.FineGrainedFP8Config(),
        "model_cfg_quant": lambda: T.LlamaConfig(
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            quantization_config=T.BitsAndBytesConfig(load_in_4bit=True).to_dict(),
        ),
    }

    def peft_cfgs() -> Any:
        import peft

        return [
            peft.LoraConfig(
                r=rng.choice([4, 8]),
                target_modules=["q_proj", "v_proj"],
                lora_dropout=0.1,
                task_type="CAUSAL_LM",
            ),
            peft.PrefixTuningConfig(num_virtual_tokens=8, task_type="CAUSAL_LM"),
            peft.IA3Config(target_modules=["k"], feedforward_modules=[]),
            peft.LoHaConfig(r=4, target_modules=["q"]),
            peft.PromptTuningConfig(num_virtual_tokens=4, task_type="SEQ_CLS"),
        ]

    def accel() -> Any:
        from accelerate.utils import dataclasses as A

        return [
            A.DistributedDataParallelKwargs(find_unused_parameters=True),
            A.GradScalerKwargs(init_scale=1024.0),
            A.InitProcessGroupKwargs(),
            A.DataLoaderConfiguration(split_batches=rng.random() < 0.5),
            A.ProjectConfiguration(project_dir="runs", automatic_checkpoint_naming=True),
            A.GradientAccumulationPlugin(num_steps=rng.choice([2, 4])),
            A.AutocastKwargs(enabled=True),
            A.PrecisionType.BF16,
            A.DistributedType.NO,
        ]

    def collators() -> Any:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = {
            w: i
            for i, w in enumerate(
                ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "gate", "scan"]
            )
        }
        tk = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
        tk.pre_tokenizer = pre_tokenizers.Whitespace()
        tok = T.PreTrainedTokenizerFast(
            tokenizer_object=tk,
            pad_token="[PAD]",
            mask_token="[MASK]",
            cls_token="[CLS]",
            sep_token="[SEP]",
            unk_token="[UNK]",
        )
        return [
            T.DataCollatorWithPadding(tok, padding="longest"),
            T.DataCollatorForLanguageModeling(tok, mlm=rng.random() < 0.5),
            T.DataCollatorForTokenClassification(tok),
            T.DefaultDataCollator(),
            T.DataCollatorForSeq2Seq(tok),
        ]

    def omega() -> Any:
        from omegaconf import OmegaConf

        c = OmegaConf.create(
            {
                "model": {"lr": 0.01, "layers": [16, 32], "name": "m"},
                "train": {"lr": "${model.lr}", "epochs": rng.choice([3, 10]), "missing": "???"},
            }
        )
        if rng.random() < 0.5:
            OmegaConf.set_readonly(c, True)
        else:
            OmegaConf.set_struct(c, True)
        return [c, OmegaConf.create([1, {"a": "${0}"}])]

    def generator() -> Any:
        import torch

        g = torch.Generator().manual_seed(rng.randrange(10**6))
        torch.rand(3, generator=g)
        return {"gen": g, "state": g.get_state()}

    objs.update(
        {
            "peft_cfgs": peft_cfgs,
            "accelerate_cfgs": accel,
            "collators": collators,
            "omegaconf": omega,
            "torch_generator": generator,
        }
    )
    _each(out, rng, objs)

    def torch_saved() -> None:
        _tsave(
            {"args": accel(), "quant": T.BitsAndBytesConfig(load_in_4bit=True)},
            out,
            "accelerate_quant_t",
            rng,
        )
        _tsave(generator(), out, "torch_generator_t", rng)

    _try(out, "torch_saved", torch_saved)


def main(argv: list[str]) -> int:
    return run_grid(FAMILIES, argv, 19)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
