"""Session 11 families: TRL/Seq2Seq training_args.bin, OmegaConf hyperparameters, torch
distributions/TensorDataset/PackedSequence and stable-baselines3's VecNormalize/replay buffers.

Honest saves (written by the libraries, or by hand in exactly the saver's shape where the library
is not installed here) are clean; a call of the same class (REDUCE runs its ``__init__`` with the
pickle's arguments) and code hidden in the same state are denied. Nothing is ever unpickled."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths

from .builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    NONE,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    call,
    glob,
    rules,
    s,
    severe,
    touch_cmd,
)

NEWOBJ = b"\x81"


def _newobj(module: str, name: str, state: dict[str, str]) -> bytes:
    """NEWOBJ(cls) + BUILD of a str dict: how pickle saves a plain dataclass instance."""
    body = EMPTY_DICT + b"".join(s(k) + s(v) + SETITEM for k, v in state.items())
    return PROTO2 + glob(module, name) + EMPTY_TUPLE + NEWOBJ + body + BUILD + STOP


def _report_severe(path: Path) -> list[Any]:
    return [f for f in scan_paths([path]).findings if f.severity >= Severity.HIGH]


TRAINING_ARGS = [
    ("trl.trainer.sft_config", "SFTConfig"),
    ("trl.trainer.dpo_config", "DPOConfig"),
    ("trl.trainer.grpo_config", "GRPOConfig"),
    ("trl.experimental.orpo.orpo_config", "ORPOConfig"),
    ("transformers.training_args_seq2seq", "Seq2SeqTrainingArguments"),
]


@pytest.mark.parametrize(("module", "name"), TRAINING_ARGS)
def test_training_args_subclass_saved_is_clean(module: str, name: str) -> None:
    assert_clean(analyze(_newobj(module, name, {"output_dir": "/tmp/x", "optim": "adamw"})))


@pytest.mark.parametrize(("module", "name"), TRAINING_ARGS)
def test_training_args_subclass_called_is_denied(module: str, name: str) -> None:
    # SFTConfig(output_dir=...) would run __post_init__ with the pickle's values
    a = analyze(PROTO2 + call(glob(module, name), s("/tmp/x")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


def test_trl_config_with_code_in_state_is_denied(tmp_path: Path) -> None:
    evil = call(glob("os", "system"), s(touch_cmd(tmp_path / "pwned")))
    data = (PROTO2 + glob("trl.trainer.sft_config", "SFTConfig") + EMPTY_TUPLE + NEWOBJ
            + EMPTY_DICT + s("optim") + evil + SETITEM + BUILD + STOP)  # fmt: skip
    assert severe(analyze(data), Severity.CRITICAL)


def test_omegaconf_hyperparameters_clean(tmp_path: Path) -> None:
    omegaconf = pytest.importorskip("omegaconf")
    torch = pytest.importorskip("torch")
    hp = {"lr": 0.1, "layers": [16, 32], "name": "run", "home": "${oc.env:HOME}",
          "nested": {"flag": True, "ref": "${lr}", "none": None}}  # fmt: skip
    cfg = omegaconf.OmegaConf.create(hp)
    ckpt = {"state_dict": {"w": torch.zeros(2)}, "hyper_parameters": cfg,
            "list": omegaconf.OmegaConf.create([1, "a", 2.5])}  # fmt: skip
    torch.save(ckpt, tmp_path / "last.ckpt")
    assert _report_severe(tmp_path / "last.ckpt") == []
    (tmp_path / "p2.pkl").write_bytes(pickle.dumps(cfg, protocol=2))
    assert _report_severe(tmp_path / "p2.pkl") == []


def test_omegaconf_called_or_poisoned_is_denied(tmp_path: Path) -> None:
    a = analyze(PROTO2 + call(glob("omegaconf.dictconfig", "DictConfig"), EMPTY_DICT) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)
    evil = call(glob("builtins", "exec"), s("import os"))
    data = (PROTO2 + glob("omegaconf.nodes", "AnyNode") + EMPTY_TUPLE + NEWOBJ
            + EMPTY_DICT + s("_val") + evil + SETITEM + BUILD + STOP)  # fmt: skip
    assert severe(analyze(data), Severity.CRITICAL)
    a = analyze(PROTO2 + call(glob("typing", "Any")) + STOP)
    assert severe(a)


def test_omegaconf_as_reconstructor_base_is_a_call(tmp_path: Path) -> None:
    """copyreg._reconstructor(cls, base, state) with base other than object runs
    base.__init__(obj, state): a new_only class there is a call (rev11 recon.pkl)."""
    recon = glob("copyreg", "_reconstructor")
    dc = glob("omegaconf.dictconfig", "DictConfig")
    state = EMPTY_DICT + s("a") + b"K\x01" + SETITEM
    a = analyze(PROTO2 + call(recon, dc, dc, state) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)
    a = analyze(PROTO2 + call(recon, dc, glob("omegaconf.nodes", "AnyNode"), NONE) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)
    # how protocols 0 and 1 save an instance: base object, state None, then BUILD
    honest = call(recon, dc, glob("builtins", "object"), NONE) + EMPTY_DICT + BUILD
    assert_clean(analyze(PROTO2 + honest + STOP))
    omegaconf = pytest.importorskip("omegaconf")
    cfg = omegaconf.OmegaConf.create({"lr": 0.1, "layers": [16, 32], "nested": {"a": None}})
    for proto in (0, 1):
        data = pickle.dumps(cfg, protocol=proto)
        assert b"_reconstructor" in data
        (tmp_path / f"p{proto}.pkl").write_bytes(data)
        assert _report_severe(tmp_path / f"p{proto}.pkl") == []


def test_torch_distributions_and_data_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    D = torch.distributions
    normal = D.Normal(torch.zeros(3), torch.ones(3))
    objs = {
        "normal": normal,
        "cat": D.Categorical(logits=torch.zeros(4)),
        "ind": D.Independent(normal, 1),
        "mvn": D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
        "beta": D.Beta(torch.ones(2), torch.ones(2)),
        "tanh": D.TransformedDistribution(normal, [D.transforms.TanhTransform(cache_size=1)]),
        "ds": torch.utils.data.TensorDataset(torch.zeros(4, 2), torch.arange(4)),
        "packed": torch.nn.utils.rnn.pack_sequence(
            [torch.ones(3, 2), torch.ones(2, 2)], enforce_sorted=False),
    }  # fmt: skip
    for k, v in objs.items():
        torch.save(v, tmp_path / f"{k}.pt")
        assert _report_severe(tmp_path / f"{k}.pt") == [], k


def test_torch_distribution_called_is_denied() -> None:
    a = analyze(PROTO2 + call(glob("torch.distributions.normal", "Normal"), s("x")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)
    a = analyze(PROTO2 + call(glob("torch.nn.utils.rnn", "PackedSequence"), s("x")) + STOP)
    assert severe(a)


def test_sb3_vec_normalize_and_buffers_clean(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    spaces = pytest.importorskip("gymnasium.spaces")
    buffers = pytest.importorskip("stable_baselines3.common.buffers")
    rms = pytest.importorskip("stable_baselines3.common.running_mean_std")
    import numpy as np

    box = spaces.Box(low=-1.0, high=1.0, shape=(3,), dtype=np.float32)
    objs = {
        "spaces": [box, spaces.Discrete(4), spaces.MultiDiscrete([2, 3]), spaces.MultiBinary(3),
                   spaces.Dict({"a": box, "b": spaces.Discrete(2)}),
                   spaces.Tuple((box, spaces.Discrete(2)))],
        "rb": buffers.ReplayBuffer(4, box, spaces.Discrete(4), device="cpu"),
        "rms": rms.RunningMeanStd(shape=(3,)),
    }  # fmt: skip
    for k, v in objs.items():
        (tmp_path / f"{k}.pkl").write_bytes(pickle.dumps(v))
        assert _report_severe(tmp_path / f"{k}.pkl") == [], k


def test_sb3_cloudpickle_wrapper_state_is_denied() -> None:
    # CloudpickleWrapper.__setstate__ is cloudpickle.loads: never allowed
    data = (PROTO2 + glob("stable_baselines3.common.vec_env.base_vec_env", "CloudpickleWrapper")
            + EMPTY_TUPLE + NEWOBJ + s("x") + BUILD + STOP)  # fmt: skip
    assert severe(analyze(data))
    a = analyze(PROTO2 + call(glob("stable_baselines3.common.vec_env.vec_normalize",
                                   "VecNormalize"), s("env")) + STOP)  # fmt: skip
    assert "AIR-PKL-009" in rules(a) and severe(a)
