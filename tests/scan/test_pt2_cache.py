"""``torch.export`` archives of transformers models whose sample inputs hold a KV cache.

``torch.export.save`` pickles the sample inputs (``data/sample_inputs/model.pt``); with a
``DynamicCache`` among them the pickle names ``transformers.cache_utils.DynamicCache`` and its
layers. ``torch.export.load`` reads it with ``weights_only=True``, which refuses those classes,
then falls back to ``weights_only=False`` (``torch._export.serde.serialize.
deserialize_torch_artifact``): the honest pickle is ``NEWOBJ`` (``object.__new__``) plus a
``__dict__`` of tensors, so it is allowed; a call of the class, or anything else in the cache's
state that runs code, is still denied. Fixtures are tiny random-weight models (no downloads)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport

from . import samples
from .test_torch_pt2 import _rewrite, assert_clean, denied

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
cache_utils = pytest.importorskip("transformers.cache_utils")

SAMPLE = "data/sample_inputs/model.pt"


def _llama() -> Any:
    cfg = transformers.LlamaConfig(
        vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64,
    )  # fmt: skip
    return transformers.LlamaForCausalLM(cfg).eval(), cfg


def _gpt2() -> Any:
    cfg = transformers.GPT2Config(vocab_size=64, n_embd=16, n_layer=2, n_head=2, n_positions=64)
    return transformers.GPT2LMHeadModel(cfg).eval(), cfg


def _warm_cache(model: Any, cfg: Any, config: bool = True) -> Any:
    cache = cache_utils.DynamicCache(config=cfg) if config else cache_utils.DynamicCache()
    with torch.no_grad():
        model(input_ids=torch.tensor([[1, 2, 3]]), past_key_values=cache, use_cache=True)
    return cache


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Honest saves: transformers' DynamoExporter folders (export.json + model.pt2) of a tiny
    Llama with and without a DynamicCache input, and plain torch.export.save of a tiny GPT-2 with
    a cache built without a config (its layer_class_to_replicate is the DynamicLayer class)."""
    exporter = pytest.importorskip("transformers.exporters.exporter_dynamo")
    configs = pytest.importorskip("transformers.exporters.configs")
    d = tmp_path_factory.mktemp("pt2cache")
    torch.manual_seed(0)
    llama, cfg = _llama()
    ex = exporter.DynamoExporter()
    inputs = {"input_ids": torch.tensor([[4]]), "past_key_values": _warm_cache(llama, cfg)}
    ex.export(llama, inputs, configs.DynamoConfig()).save_pretrained(d / "llama_cache")
    plain = {"input_ids": torch.tensor([[1, 2, 3]])}
    ex.export(llama, plain, configs.DynamoConfig()).save_pretrained(d / "llama")
    gpt2, gcfg = _gpt2()
    exporter.register_cache_pytrees_for_model(gpt2)
    kwargs = {"input_ids": torch.tensor([[4]]), "past_key_values": _warm_cache(gpt2, gcfg, False),
              "use_cache": True}  # fmt: skip
    ep = torch.export.export(gpt2, (), kwargs, strict=False)
    torch.export.save(ep, str(d / "gpt2_cache.pt2"))
    return d


def _globals(pt2: Path) -> set[str]:
    """The globals the sample-input pickle names (read with pickletools, never unpickled)."""
    import pickletools

    with zipfile.ZipFile(pt2) as z:
        inner = z.read(next(n for n in z.namelist() if n.endswith(SAMPLE)))
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        pkl = z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))
    return {
        str(arg).replace(" ", ".")
        for op, arg, _ in pickletools.genops(pkl)
        if op.name in ("GLOBAL", "STACK_GLOBAL")
    }


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", ["llama_cache", "llama", "gpt2_cache.pt2"])
def test_honest_exports_are_clean(exports: Path, name: str) -> None:
    report = scan_paths([exports / name])
    assert_clean(report)
    assert any(o.format == "pytorch-pt2" for o in report.objects)


def test_honest_cache_pickle_names_only_cache_classes(exports: Path) -> None:
    """What the saver writes: the cache and layer classes (NEWOBJ), tensors and a device."""
    found = _globals(exports / "llama_cache" / "model.pt2")
    assert {"transformers.cache_utils.DynamicCache", "transformers.cache_utils.DynamicLayer"} <= (
        found
    )
    assert {n for n in found if n.startswith("transformers.")} == {
        "transformers.cache_utils.DynamicCache",
        "transformers.cache_utils.DynamicLayer",
    }


@pytest.mark.filterwarnings("ignore")
def test_real_loader_falls_back_to_the_full_unpickler(
    exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why the cache classes must be judged as full pickle: weights_only refuses them, and
    torch.export.load then reads the same bytes with weights_only=False (honest fixture only)."""
    from torch._export.serde import serialize

    # torch 2.13's fallback warning has two %s for one argument: pytest's log capture raises
    monkeypatch.setattr(serialize.log, "disabled", True)
    pt2 = exports / "gpt2_cache.pt2"
    with zipfile.ZipFile(pt2) as z:
        inner = z.read(next(n for n in z.namelist() if n.endswith(SAMPLE)))
    with pytest.raises(Exception, match="DynamicCache"):
        torch.load(io.BytesIO(inner), weights_only=True)
    loaded = torch.export.load(str(pt2))
    _args, kwargs = loaded.example_inputs
    assert type(kwargs["past_key_values"]) is cache_utils.DynamicCache


class _CallsCache:
    """Pickles as ``REDUCE DynamicCache()``: a call of the class (its ``__init__``)."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (cache_utils.DynamicCache, ())


class _MyCache(cache_utils.DynamicCache):  # type: ignore[misc]
    """A cache class transformers does not ship (not on the allowlist)."""


def _sample_inputs(value: Any) -> bytes:
    buf = io.BytesIO()
    torch.save(((), {"input_ids": torch.tensor([[4]]), "past_key_values": value}), buf)
    return buf.getvalue()


def _evil_cache(tmp_path: Path) -> Any:
    cache = cache_utils.DynamicCache()
    cache.update(torch.zeros(1, 1, 2, 4), torch.zeros(1, 1, 2, 4), 0)
    cache.layers[0].keys = samples.SystemPayload(tmp_path / "marker")  # in the cache's state
    return cache


@pytest.mark.parametrize(
    ("variant", "rule", "critical"),
    [
        ("payload-in-state", "AIR-PKL-001", True),
        ("calls-the-class", "AIR-PKL-009", False),
        ("unknown-cache-class", "AIR-PKL-002", False),
    ],
)
def test_cache_variants_that_run_code_are_denied(
    tmp_path: Path, exports: Path, variant: str, rule: str, critical: bool
) -> None:
    value = {
        "payload-in-state": lambda: _evil_cache(tmp_path),
        "calls-the-class": lambda: [_CallsCache()],
        "unknown-cache-class": lambda: _MyCache(),
    }[variant]()
    data = _rewrite(exports / "gpt2_cache.pt2", {SAMPLE: _sample_inputs(value)})
    path = tmp_path / "m.pt2"
    path.write_bytes(data)
    report: ScanReport = scan_paths([path])
    assert denied(report), report.findings
    hits = [f for f in report.findings if f.rule_id == rule]
    assert hits, [(f.rule_id, f.evidence) for f in report.findings]
    assert any(f.severity == Severity.CRITICAL for f in report.findings) is critical
    assert not (tmp_path / "marker").exists()
