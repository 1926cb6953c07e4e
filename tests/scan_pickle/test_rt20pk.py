"""rt20pk: pickle-gate red team with the real loaders as oracles (session 19).

- numpy.random._pickle's helpers call what the pickle gives them: ``__generator_ctor(name,
  ctor)`` / ``__randomstate_ctor(name, ctor)`` are ``ctor(name)`` and
  ``__bit_generator_ctor(cls)`` is ``cls()``. ``__generator_ctor(1500000000, bytearray)``
  (70 bytes) took 1.4 GiB at pickle.load and scanned clean.
- a functools.partial's keywords set by its BUILD state were dropped when the partial was
  called at load: ``partial(bytearray)`` + state ``(bytearray, (), {'source': 1500000000},
  None)`` called with ``()`` (92 bytes) took 1.4 GiB and scanned clean.
"""

from __future__ import annotations

import functools
import pickle
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

NP = "numpy.random._pickle"


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _g(mod: str, name: str) -> bytes:
    return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"


def _s(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def _i(n: int) -> bytes:
    return b"J" + struct.pack("<i", n)


def _t(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def _call(func: bytes, *args: bytes) -> bytes:
    return func + _t(*args) + b"R"


def _pickle(body: bytes) -> bytes:
    return b"\x80\x02" + body + b"."


def _partial_called(func: bytes, args: bytes, keywords: bytes) -> bytes:
    """partial(func), BUILD (func, args, keywords, None), then called with ()."""
    made = _call(_g("functools", "partial"), func) + _t(func, args, keywords, b"N") + b"b"
    return _pickle(made + _t() + b"R")


def _oracle(tmp_path: Path, data: bytes, code: str) -> str:
    path = tmp_path / "x.pkl"
    path.write_bytes(data)
    src = "import pickle,sys\nobj=pickle.load(open(sys.argv[1],'rb'))\n" + code
    out = subprocess.run(
        [sys.executable, "-c", src, str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return out.stdout + out.stderr


# ------------------------------------------------------------ numpy.random._pickle helpers

_CTOR_CASES = {
    "generator_ctor bytearray": _call(
        _g(NP, "__generator_ctor"), _i(1_500_000_000), _g("builtins", "bytearray")
    ),
    "randomstate_ctor bytearray": _call(
        _g(NP, "__randomstate_ctor"), _i(1_500_000_000), _g("builtins", "bytearray")
    ),
    "generator_ctor BatchNorm1d": _call(
        _g(NP, "__generator_ctor"),
        _i(100_000_000),
        _g("torch.nn.modules.batchnorm", "BatchNorm1d"),
    ),
    "generator_ctor HistogramObserver": _call(
        _g(NP, "__generator_ctor"),
        _i(400_000_000),
        _g("torch.ao.quantization.observer", "HistogramObserver"),
    ),
    "generator_ctor FloatStorage": _call(
        _g(NP, "__generator_ctor"), _i(400_000_000), _g("torch", "FloatStorage")
    ),
    "bit_generator_ctor of a new_only class": _call(
        _g(NP, "__bit_generator_ctor"), _g("torch.nn.modules.linear", "Identity")
    ),
    "generator_ctor through bit_generator_ctor": _call(
        _g(NP, "__generator_ctor"),
        _g("torch.nn.modules.linear", "Identity"),
        _g(NP, "__bit_generator_ctor"),
    ),
    "generator_ctor with three arguments": _call(
        _g(NP, "__generator_ctor"), _s("MT19937"), _g(NP, "__bit_generator_ctor"), _i(1)
    ),
    "partial keywords give the ctor": _partial_called(
        _g(NP, "__generator_ctor"),
        _t(_i(1_500_000_000)),
        b"}" + _s("bit_generator_ctor") + _g("builtins", "bytearray") + b"s",
    ),
}


@pytest.mark.parametrize("case", sorted(_CTOR_CASES))
def test_random_ctor_calling_its_argument_is_denied(case: str) -> None:
    assert "AIR-PKL-009" in _severe(_pickle(_CTOR_CASES[case]))


def test_oracle_generator_ctor_calls_its_ctor(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    data = _pickle(_call(_g(NP, "__generator_ctor"), _i(1000), _g("builtins", "bytearray")))
    assert "'bytearray' object has no attribute" in _oracle(tmp_path, data, "")


def test_honest_generators_stay_clean() -> None:
    np = pytest.importorskip("numpy")
    objs = [
        np.random.default_rng(1),
        np.random.RandomState(3),
        np.random.PCG64(2),
        np.random.MT19937(5),
        np.random.Generator(np.random.Philox(4)),
        np.random.SFC64(1),
        np.random.SeedSequence(7),
    ]
    for obj in objs:
        for proto in (0, 2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)
    # older numpy wrote the bit generator's name (and later its ctor)
    for body in (
        _call(_g(NP, "__generator_ctor"), _s("PCG64")),
        _call(_g(NP, "__randomstate_ctor"), _s("MT19937")),
        _call(_g(NP, "__randomstate_ctor"), _s("MT19937"), _g(NP, "__bit_generator_ctor")),
        _call(_g(NP, "__bit_generator_ctor"), _g("numpy.random._pcg64", "PCG64")),
    ):
        assert _severe(_pickle(body)) == set(), body


# ------------------------------------------------------------ partial keywords


@pytest.mark.parametrize("proto", [2, 4])
def test_partial_keywords_from_its_state_are_judged(proto: int) -> None:
    data = _partial_called(
        _g("builtins", "bytearray"), _t(), b"}" + _s("source") + _i(1_500_000_000) + b"s"
    )
    if proto == 4:
        data = b"\x80\x04" + data[2:]
    assert "AIR-PKL-009" in _severe(data)


def test_oracle_partial_state_keywords_are_used(tmp_path: Path) -> None:
    data = _partial_called(_g("builtins", "bytearray"), _t(), b"}" + _s("source") + _i(1000) + b"s")
    assert "L 1000" in _oracle(tmp_path, data, "print('L', len(obj))")


def test_honest_partials_with_keywords_stay_clean() -> None:
    torch = pytest.importorskip("torch")
    objs = [
        functools.partial(torch.nn.LayerNorm, eps=1e-6),
        functools.partial(torch.nn.functional.gelu, approximate="tanh"),
        functools.partial(torch.optim.AdamW, lr=1e-3, weight_decay=0.1),
        torch.ao.quantization.get_default_qat_qconfig("fbgemm"),
    ]
    for obj in objs:
        for proto in (2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)


# ------------------------------------------------------------ list subclasses' method keys

_LP = ("transformers.generation.logits_process", "LogitsProcessorList")
_GC = ("transformers.generation.configuration_utils", "GenerationConfig")


def _newobj(mod: str, name: str) -> bytes:
    return _g(mod, name) + b")\x81"


def _hostile_list(n: int, key: str = "append") -> bytes:
    """A LogitsProcessorList holding n, then BUILD {key: bytearray}: deepcopy calls
    ``y.append(item)`` on the copy after restoring its __dict__."""
    return _newobj(*_LP) + _i(n) + b"a}" + _s(key) + _g("builtins", "bytearray") + b"sb"


def _config_holding(value: bytes) -> bytes:
    return _newobj(*_GC) + b"}" + _s("x") + value + b"sb"


_HASH_CASES = {
    # GenerationConfig.__hash__ is hash(to_json_string()): to_dict deep-copies __dict__
    "dict key": b"}" + _config_holding(_hostile_list(1_500_000_000)) + _i(1) + b"s",
    "set item": b"\x8f(" + _config_holding(_hostile_list(1_500_000_000)) + b"\x90",
    "frozenset item": b"(" + _config_holding(_hostile_list(1_500_000_000)) + b"\x91",
    "extend key": _hostile_list(1, "extend"),
    "slot state": _newobj(*_LP) + b"N}" + _s("append") + _g("builtins", "bytearray") + b"s\x86b",
}


@pytest.mark.parametrize("case", sorted(_HASH_CASES))
def test_list_subclass_state_shadowing_a_method_is_denied(case: str) -> None:
    pytest.importorskip("transformers")
    data = b"\x80\x04" + _HASH_CASES[case] + b"."
    assert "AIR-PKL-009" in _severe(data)


def test_oracle_generation_config_hash_deep_copies_the_list(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    # the list holds a string and its instance append is print: hashing the config (as a dict
    # key) deep-copies the list, which calls print with the item during pickle.load
    lst = _newobj(*_LP) + _s("rt20pk-item") + b"a}" + _s("append") + _g("builtins", "print")
    data = b"\x80\x04}" + _config_holding(lst + b"sb") + _i(1) + b"s."
    assert "rt20pk-item" in _oracle(tmp_path, data, "")


def test_honest_logits_processor_lists_stay_clean() -> None:
    pytest.importorskip("transformers")
    from transformers import GenerationConfig
    from transformers.generation.logits_process import (
        LogitsProcessorList,
        TemperatureLogitsWarper,
        TopKLogitsWarper,
    )

    lst = LogitsProcessorList([TemperatureLogitsWarper(0.7), TopKLogitsWarper(5)])
    for obj in (lst, {"procs": lst, "cfg": GenerationConfig(max_new_tokens=8)}):
        for proto in (2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)


# ------------------------------------------------------------ tokenizer values called at load


def _findall(text: str) -> bytes:
    pattern = _call(_g("re", "_compile"), _s("(a+)+$"), _i(0))
    return _pickle(_call(_call(_g("builtins", "getattr"), pattern, _s("findall")), _s(text)))


def _splits(calls: int, text: str) -> bytes:
    """One memoised text handed to ``calls`` str.split calls, kept in a list."""
    one = b"\x8c\x08builtins\x8c\tstr.split\x93h\x00\x85R"
    return b"\x80\x04](" + _s(text) + b"\x940" + one * calls + b"e."


def test_compiled_findall_called_at_load_is_denied() -> None:
    assert "AIR-PKL-009" in _severe(_findall("a" * 34 + "!"))


def test_oracle_findall_backtracks(tmp_path: Path) -> None:
    # 16 letters: a few thousand steps; every letter more doubles them (34: > 40 s)
    assert "L 0" in _oracle(tmp_path, _findall("a" * 16 + "!"), "print('L', len(obj))")


def test_str_split_called_at_load_is_denied() -> None:
    assert "AIR-PKL-009" in _severe(_splits(60, "ab " * 349_525))
    assert "AIR-PKL-009" in _severe(_splits(1, "ab ab"))


def test_vectorizer_tokenizers_stay_clean() -> None:
    pytest.importorskip("sklearn")
    import re

    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    docs = ["the cat sat", "the dog ran far", "a cat and a dog"]
    objs = [
        CountVectorizer(tokenizer=str.split, preprocessor=str.lower, token_pattern=None).fit(docs),
        TfidfVectorizer(tokenizer=re.compile(r"\w+").findall, token_pattern=None).fit(docs),
        functools.partial(str.split, sep=","),
        {"tok": str.split, "low": str.lower},
    ]
    for obj in objs:
        for proto in (2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)
