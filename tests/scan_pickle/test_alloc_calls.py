"""Session 17 (fixalloc, review17 F1/F2): allowlisted callables whose CALL allocates by its
arguments. bytes(N) / bytearray(N), range(10**9) handed to a constructor, numpy's
_reconstruct with a huge shape, torch.nn.Linear(100000, 100000), torch.FloatStorage(4e9),
BertModel(config with vocab_size 10**7), csr_matrix((M, N)), DataFrame(1.0, index, columns):
tens of bytes of pickle, gigabytes at pickle.load. Each is AIR-PKL-009 now; what savers write
(NEWOBJ + state, bytes from the pickle, the class only named) stays clean. Fixtures are built
here and never loaded."""

from __future__ import annotations

import collections
import io
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

import airlock
from airlock.report import Severity
from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import glob


def _c(value: object) -> bytes:
    """The opcodes of a constant (protocol 2, no PROTO / STOP)."""
    return pickle.dumps(value, protocol=2)[2:-1]


def _call(mod: str, name: str, *args: object) -> bytes:
    return b"\x80\x02" + glob(mod, name) + b"(" + b"".join(_c(a) for a in args) + b"tR."


def _severe(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH}


def _clean(obj: object, protocols: tuple[int, ...] = (0, 2, 4, 5)) -> None:
    for proto in protocols:
        data = pickle.dumps(obj, protocol=proto)
        bad = [f for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)


BIG = 8_000_000_000

ATTACKS = {
    "bytes": _call("builtins", "bytes", BIG),
    "bytearray": _call("builtins", "bytearray", BIG),
    "bytearray_py2": _call("__builtin__", "bytearray", BIG),
    "bytes_newobj": b"\x80\x02" + glob("builtins", "bytes") + _c((BIG,)) + b"\x81.",
    "bytes_copyreg_newobj": b"\x80\x02"
    + glob("copyreg", "__newobj__")
    + b"("
    + glob("builtins", "bytes")
    + _c(BIG)
    + b"tR.",
    "range": _call("builtins", "range", 10**9),
    "deque_of_range": b"\x80\x02"
    + glob("collections", "deque")
    + b"("
    + glob("builtins", "range")
    + _c((10**9,))
    + b"RtR.",
    "reconstruct_shape": b"\x80\x02"
    + glob("numpy._core.multiarray", "_reconstruct")
    + b"("
    + glob("numpy", "ndarray")
    + _c((10**6, 10**6))
    + _c(b"b")
    + b"tR.",
    "ndarray_shape": _call("numpy", "ndarray", (10**6, 10**6)),
    "linear": _call("torch.nn.modules.linear", "Linear", 100000, 100000),
    "embedding": _call("torch.nn.modules.sparse", "Embedding", 10**6, 10**4),
    "float_storage": _call("torch", "FloatStorage", 4_000_000_000),
    "float_storage_newobj": b"\x80\x02" + glob("torch", "FloatStorage") + _c((10**9,)) + b"\x81.",
    "tensor": _call("torch", "Tensor", 10**9),
    "untyped_storage": _call("torch.storage", "UntypedStorage", 10**10),
    "csr_shape": _call("scipy.sparse._csr", "csr_matrix", (10**10, 1)),
    "lil_shape": _call("scipy.sparse._lil", "lil_matrix", (10**9, 1)),
    "dataframe": _call("pandas.core.frame", "DataFrame", 1.0),
    "quantized_embedding": _call(
        "torch.ao.nn.quantized.modules.embedding_ops", "Embedding", 10**6, 10**4
    ),
    "peft_prompt_embedding": _call("peft.tuners.prompt_tuning.model", "PromptEmbedding", 0, 0),
    "sentence_transformer_hub": _call(
        "sentence_transformers.sentence_transformer.model", "SentenceTransformer", "org/model"
    ),
    "bert_config_call": _call(
        "transformers.models.bert.configuration_bert", "BertConfig", "kernels-community/x"
    ),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_call_that_allocates_by_its_arguments_is_denied(name: str) -> None:
    assert "AIR-PKL-009" in _severe(ATTACKS[name])


def test_a_transformers_model_called_with_a_config_is_denied() -> None:
    """review17 F2: REDUCE of BertModel(config) runs its __init__ (vocab_size x hidden floats,
    and config._attn_implementation resolved, hub kernels included); the config itself is
    written as NEWOBJ + state, as pickle writes it."""
    config = (
        glob("transformers.models.bert.configuration_bert", "BertConfig")
        + b")\x81}"
        + _c("vocab_size")[:-2]
        + _c(10**7)
        + b"sb"
    )
    for mod, cls in (
        ("transformers.models.bert.modeling_bert", "BertModel"),
        ("transformers.models.llama.modeling_llama", "LlamaForCausalLM"),
        ("transformers.models.afmoe.modeling_afmoe", "AfmoeModel"),
    ):
        data = b"\x80\x02" + glob(mod, cls) + b"(" + config + b"tR."
        assert "AIR-PKL-009" in _severe(data), cls
        honest = b"\x80\x02" + glob(mod, cls) + b")\x81}" + b"b."
        assert not _severe(honest), cls


def test_small_ranges_and_bytes_from_the_pickle_are_clean() -> None:
    _clean([b"", b"abc" * 100, bytearray(b"xy" * 300), range(5), range(0, 10**12, 10**6)])
    _clean([collections.deque(range(4), maxlen=9), collections.Counter("aab"), frozenset({1})])
    _clean([np.zeros((3, 2)), np.matrix([[1, 2]]), np.ma.masked_array([1, 2], [0, 1])])
    assert not _severe(_call("builtins", "bytearray", "xy", "latin-1"))
    assert not _severe(_call("builtins", "range", 0, 10, 2))


def test_torch_saves_of_modules_storages_and_state_dicts_are_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Embedding(10, 4), torch.nn.Linear(4, 3), torch.nn.LayerNorm(3),
        torch.nn.LSTM(3, 2), torch.nn.LazyLinear(2),
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        typed = torch.FloatStorage(3)
    _clean([net, net.state_dict(), torch.zeros(3).untyped_storage(), typed], (2, 4, 5))
    for zipped in (True, False):
        for obj in (net, net.state_dict(), {"w": torch.ones(2, 2)}):
            buf = io.BytesIO()
            torch.save(obj, buf, _use_new_zipfile_serialization=zipped)
            path = tmp_path / f"m{zipped}.pt"
            path.write_bytes(buf.getvalue())
            result = airlock.check(path)
            assert result.allowed, (zipped, result.findings)


def test_transformers_models_configs_and_sparse_and_frames_are_clean() -> None:
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    import pandas as pd
    import scipy.sparse as sps

    cfg = transformers.BertConfig(
        vocab_size=40, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=8,
    )  # fmt: skip
    model = transformers.BertModel(cfg)
    gen = transformers.GenerationConfig(max_new_tokens=3)
    eye = np.eye(3)
    frames = [pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), pd.Series([1.0, 2.0])]
    sparse = [sps.csr_matrix(eye), sps.lil_matrix(eye), sps.dok_matrix(eye), sps.csr_array(eye)]
    _clean([cfg, gen, model], (2, 4, 5))
    _clean(frames + sparse, (2, 4, 5))


def test_joblib_of_a_pipeline_holding_bytes_is_clean(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    pipe = make_pipeline(
        StandardScaler(),
        FunctionTransformer(np.log1p, kw_args={"b": b"\x00\x01" * 50, "ba": bytearray(b"k")}),
    )
    pipe.fit(np.abs(np.random.default_rng(0).normal(size=(5, 2))))
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    result = airlock.check(path)
    assert result.allowed, result.findings


def test_quantized_and_peft_models_are_clean() -> None:
    torch = pytest.importorskip("torch")
    from torch.ao import quantization

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.LSTM(4, 4))
    dq = quantization.quantize_dynamic(net, {torch.nn.Linear, torch.nn.LSTM}, dtype=torch.qint8)
    _clean([dq, quantization.get_default_qconfig("fbgemm"), quantization.FakeQuantize()], (2, 4))
    peft = pytest.importorskip("peft")
    base = torch.nn.Sequential(torch.nn.Linear(4, 4))
    _clean(peft.get_peft_model(base, peft.LoraConfig(r=2, target_modules=["0"])), (2, 4))


def test_a_layer_factory_partial_is_clean_but_its_call_at_load_is_denied() -> None:
    """timm keeps partial(nn.LayerNorm, eps=1e-6) / partial(nn.GELU): called by model code at
    use, so a partial handed on stays clean for layers (partial_ok); calling it at load is
    AIR-PKL-009, and a partial of a hub class (SentenceTransformer) handed on too."""
    partial = glob("functools", "partial")
    gelu = glob("torch.nn.modules.activation", "GELU")
    held = b"\x80\x02}" + _c("act")[:-2] + partial + b"(" + gelu + b"tR" + b"s."
    assert not _severe(held)
    called = b"\x80\x02" + partial + b"(" + glob("torch.nn.modules.linear", "Linear")
    called += _c(100000) + _c(100000) + b"tR)R."
    assert "AIR-PKL-009" in _severe(called)
    hub = glob("sentence_transformers.sentence_transformer.model", "SentenceTransformer")
    held_hub = b"\x80\x02}" + _c("m")[:-2] + partial + b"(" + hub + b"tR" + b"s."
    assert "AIR-PKL-009" in _severe(held_hub)
