"""fp19 sweep: honest pickles the gate denied (allowlist 2026.12.06.29, fixed in .32),
written by the real savers: gymnasium environments and wrappers (``gym.make`` output,
NormalizeObservation's RunningMeanStd), transformers BatchFeature / TrainerState /
TrainerControl / callbacks, generation LogitsProcessorList / StoppingCriteriaList,
quantization configs, data collators, accelerate kwargs, numpy char arrays, a whole CyclicLR
(``triangular2``) under ``torch.save``. Each class is new_only (a call stays AIR-PKL-009), the
scale functions value_only; the list subclasses take APPENDS only before any BUILD (an
instance ``extend`` set by a BUILD is what pickle's APPENDS would call: the real loader
shows it)."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    call,
    glob,
    s,
)

NEWOBJ = b"\x81"
APPENDS = b"e"


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


# ---------------------------------------------------------------- gymnasium


@pytest.mark.parametrize("env_id", ["CartPole-v1", "Pendulum-v1", "FrozenLake-v1", "Taxi-v4"])
@pytest.mark.parametrize("proto", [2, 5])
def test_gym_make_env_pickles_are_clean(env_id: str, proto: int) -> None:
    gym = pytest.importorskip("gymnasium")
    env = gym.make(env_id)
    env.reset(seed=3)
    assert _severe(pickle.dumps(env, protocol=proto)) == set()


def test_gym_normalize_wrappers_are_clean() -> None:
    gym = pytest.importorskip("gymnasium")
    from gymnasium import wrappers as w

    env = w.NormalizeReward(
        w.NormalizeObservation(w.RecordEpisodeStatistics(gym.make("CartPole-v1")))
    )
    env.reset(seed=1)
    env.step(env.action_space.sample())
    assert _severe(pickle.dumps(env, protocol=4)) == set()
    assert _severe(pickle.dumps(gym.spec("CartPole-v1"))) == set()


@pytest.mark.parametrize(
    ("mod", "name"),
    [
        ("gymnasium.envs.toy_text.frozen_lake", "FrozenLakeEnv"),
        ("gymnasium.wrappers.common", "TimeLimit"),
        ("transformers.generation.logits_process", "WatermarkLogitsProcessor"),
        ("transformers.feature_extraction_utils", "BatchFeature"),
        ("numpy.char", "chararray"),
    ],
)
def test_a_call_of_a_new_only_class_is_denied(mod: str, name: str) -> None:
    data = PROTO2 + call(glob(mod, name), b"K\x05") + STOP
    assert "AIR-PKL-009" in _severe(data)


def test_rendering_wrappers_are_not_allowed() -> None:
    """RecordVideo.__del__ writes video files to the folder in its state: not listed."""
    data = (
        PROTO2
        + call(glob("copyreg", "__newobj__"), glob("gymnasium.wrappers.rendering", "RecordVideo"))
        + STOP
    )
    assert "AIR-PKL-002" in _severe(data)


# ---------------------------------------------------------------- transformers


def test_transformers_generation_objects_are_clean() -> None:
    tr = pytest.importorskip("transformers")
    np = pytest.importorskip("numpy")
    objs = [
        tr.BatchFeature({"input_values": np.zeros((1, 8), "float32")}),
        tr.TrainerState(global_step=4, log_history=[{"loss": 0.5}]),
        tr.TrainerControl(should_save=True),
        tr.EarlyStoppingCallback(early_stopping_patience=2),
        tr.LogitsProcessorList(
            [
                tr.TemperatureLogitsWarper(0.7),
                tr.TopKLogitsWarper(5),
                tr.RepetitionPenaltyLogitsProcessor(1.2),
            ]
        ),
        tr.StoppingCriteriaList([tr.MaxLengthCriteria(32)]),
    ]
    for obj in objs:
        for proto in (2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)


def _list_with_extend(extend: bytes) -> bytes:
    """A LogitsProcessorList given a BUILD {'extend': X}, then APPENDS: pickle calls X(items)."""
    return (
        PROTO2
        + glob("transformers.generation.logits_process", "LogitsProcessorList")
        + EMPTY_TUPLE
        + NEWOBJ
        + EMPTY_DICT
        + s("extend")
        + extend
        + SETITEM
        + BUILD
        + MARK
        + s("item")
        + APPENDS
        + STOP
    )


def test_appends_after_a_build_is_denied() -> None:
    pytest.importorskip("transformers")
    # an allowed value as the instance's 'extend': the machine knows APPENDS would call it
    assert "AIR-PKL-019" in _severe(_list_with_extend(glob("collections", "OrderedDict")))
    honest = (
        PROTO2
        + glob("transformers.generation.logits_process", "LogitsProcessorList")
        + EMPTY_TUPLE
        + NEWOBJ
        + MARK
        + s("item")
        + APPENDS
        + STOP
    )
    assert _severe(honest) == set()


def test_oracle_appends_calls_the_instance_extend(tmp_path: Path) -> None:
    """The real loader: after BUILD {'extend': print}, APPENDS runs print(items)."""
    pytest.importorskip("transformers")
    path = tmp_path / "lp.pkl"
    path.write_bytes(_list_with_extend(glob("builtins", "print")))
    code = "import pickle,sys\npickle.load(open(sys.argv[1],'rb'))"
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "['item']" in out.stdout


# ---------------------------------------------------------------- numpy / torch


def test_numpy_chararray_is_clean() -> None:
    np = pytest.importorskip("numpy")
    arr = np.char.array(["w1", "w22", "w333"])
    for proto in (2, 5):
        assert _severe(pickle.dumps(arr, protocol=proto)) == set()


def test_whole_cyclic_lr_triangular2_is_clean() -> None:
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1, momentum=0.9)
        sch = torch.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="triangular2")
        opt.step()
        sch.step()
    buf = io.BytesIO()
    torch.save(sch, buf)
    assert _severe(buf.getvalue(), "sched.pt") == set()


@pytest.mark.parametrize("fn", ["_triangular2_scale_fn", "_exp_range_scale_fn"])
def test_a_scale_function_called_at_load_is_denied(fn: str) -> None:
    data = (
        PROTO2 + call(glob("torch.optim.lr_scheduler", f"CyclicLR.{fn}"), b"K\x02", b"K\x03") + STOP
    )
    assert "AIR-PKL-009" in _severe(data)


# ---------------------------------------------------------------- configs


def test_quantization_accelerate_and_collator_configs_are_clean() -> None:
    tr = pytest.importorskip("transformers")
    pytest.importorskip("accelerate")
    from accelerate.utils import dataclasses as acc
    from tokenizers import Tokenizer, models

    tk = Tokenizer(models.WordLevel({"[PAD]": 0, "[UNK]": 1, "a": 2}, unk_token="[UNK]"))
    tok = tr.PreTrainedTokenizerFast(tokenizer_object=tk, pad_token="[PAD]", unk_token="[UNK]")
    objs = [
        tr.BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4"),
        tr.GPTQConfig(bits=4, dataset=["a b"]),
        tr.LlamaConfig(
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            quantization_config=tr.BitsAndBytesConfig(load_in_8bit=True).to_dict(),
        ),
        [
            acc.DistributedDataParallelKwargs(find_unused_parameters=True),
            acc.DataLoaderConfiguration(),
            acc.ProjectConfiguration(project_dir="runs"),
            acc.GradientAccumulationPlugin(num_steps=2),
            acc.PrecisionType.BF16,
        ],
        tr.DataCollatorWithPadding(tok),
    ]
    for obj in objs:
        for proto in (2, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)


@pytest.mark.parametrize(
    ("mod", "name"),
    [
        ("transformers.utils.quantization_config", "BitsAndBytesConfig"),
        ("accelerate.utils.dataclasses", "ProjectConfiguration"),
        ("transformers.data.data_collator", "DataCollatorWithPadding"),
    ],
)
def test_a_config_call_is_denied(mod: str, name: str) -> None:
    assert "AIR-PKL-009" in _severe(PROTO2 + call(glob(mod, name), s("x")) + STOP)


def test_deepspeed_plugin_is_not_allowed() -> None:
    data = (
        PROTO2
        + call(
            glob("copyreg", "__newobj__"), glob("accelerate.utils.dataclasses", "DeepSpeedPlugin")
        )
        + STOP
    )
    assert "AIR-PKL-002" in _severe(data)
