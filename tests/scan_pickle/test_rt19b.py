"""rt19b: second-round red team of the session-18 pickle allowlist additions (fp19 .32).

- ``numpy.char.chararray`` is new_only, but NEWOBJ is ``chararray.__new__(cls, shape,
  itemsize, unicode, buffer)``: a str buffer fills ``prod(shape) * itemsize`` bytes (40 bytes of
  pickle, 1.5 GB at pickle.load). Savers write ``_reconstruct(chararray, (0,), b'b')``.
- a transformers quantization config's ``__iter__`` (``dict(cfg)``, ``list(cfg)``) and repr
  deep-copy its ``__dict__``: deepcopy re-runs every reduce / ``__deepcopy__`` / list-subclass
  ``append`` of what a BUILD put there (a LogitsProcessorList whose instance ``append`` is
  ``bytearray`` and item 1.5e9: 1.7 GB from 250 bytes).
- BatchFeature / BatchEncoding ``__getattr__`` answers any attribute from ``state['data']``:
  ``__array_interface__`` there makes numpy read a stride-0 view of 2e8 doubles
  (``Polynomial(bf)``: 1.6 GB, 28 s at pickle.load).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


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


class _Reduce:
    def __init__(self, func: object, args: tuple[object, ...]) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (self.func, self.args)


# ---------------------------------------------------------------- chararray NEWOBJ


def _chararray_newobj(n: int, proto: int) -> bytes:
    g = b"cnumpy.char\nchararray\n"
    size = b"\x8a\x05" + n.to_bytes(5, "little")
    if proto == 2:  # NEWOBJ (cls, (shape, itemsize, unicode, buffer))
        return b"\x80\x02" + g + b"(" + size + b"K\x01\x89X\x01\x00\x00\x00xt\x81."
    # NEWOBJ_EX (cls, (shape,), {'buffer': 'x'})
    return b"\x80\x04" + g + b"(" + size + b"t}(X\x06\x00\x00\x00bufferX\x01\x00\x00\x00xu\x92."


@pytest.mark.parametrize("proto", [2, 4])
def test_chararray_newobj_with_a_shape_is_denied(proto: int) -> None:
    pytest.importorskip("numpy")
    assert "AIR-PKL-009" in _severe(_chararray_newobj(1_500_000_000, proto))


def test_oracle_chararray_newobj_fills_its_shape(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    out = _oracle(tmp_path, _chararray_newobj(1000, 2), "print('N', obj.nbytes, obj[999])")
    assert "N 1000 b'x'" in out


def test_saved_chararray_stays_clean() -> None:
    np = pytest.importorskip("numpy")
    for proto in (2, 4, 5):
        assert _severe(pickle.dumps(np.char.array(["ab", "c"]), protocol=proto)) == set()


# ---------------------------------------------------------------- quantization config __iter__


def _config_holding(value: object, via: object = dict, proto: int = 2) -> bytes:
    pytest.importorskip("transformers")
    from transformers import BitsAndBytesConfig

    cfg = BitsAndBytesConfig.__new__(BitsAndBytesConfig)
    cfg.__dict__["x"] = value
    return pickle.dumps({"a": _Reduce(via, (cfg,))}, protocol=proto)


def _list_with_append(append: object, item: object) -> object:
    from transformers.generation.logits_process import LogitsProcessorList

    lst = LogitsProcessorList([item])
    lst.__dict__["append"] = append
    return lst


@pytest.mark.parametrize("proto", [2, 4])
@pytest.mark.parametrize("via", [dict, list])
def test_config_deepcopying_a_hostile_list_is_denied(proto: int, via: object) -> None:
    pytest.importorskip("transformers")
    data = _config_holding(_list_with_append(bytearray, 1_500_000_000), via, proto)
    assert "AIR-PKL-009" in _severe(data)


def test_oracle_config_iter_runs_the_instance_append(tmp_path: Path) -> None:
    """dict(cfg) deep-copies cfg.__dict__: the list copy's instance append (print) runs."""
    pytest.importorskip("transformers")
    data = _config_holding(_list_with_append(print, "rt19b-item"))
    assert "rt19b-item" in _oracle(tmp_path, data, "")


def test_honest_quantization_configs_stay_clean() -> None:
    pytest.importorskip("transformers")
    import torch
    from transformers import AwqConfig, BitsAndBytesConfig, LlamaConfig, VptqConfig

    cfg = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
    for proto in (2, 4, 5):
        assert _severe(pickle.dumps(cfg, protocol=proto)) == set()
    others = [AwqConfig(bits=4, group_size=128, modules_to_not_convert=["lm_head"]), VptqConfig()]
    assert _severe(pickle.dumps({"q": others}, protocol=4)) == set()
    llama = LlamaConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, quantization_config=cfg)  # fmt: skip
    assert _severe(pickle.dumps(llama, protocol=2)) == set()


# ---------------------------------------------------------------- BatchFeature __getattr__


def _feature(data: object, cls: str = "BatchFeature") -> object:
    import transformers

    klass = getattr(transformers, cls)
    bf = klass.__new__(klass)
    bf.__dict__.update(data=data, _encodings=None, _n_sequences=None)
    return bf


def _interface(n: int) -> dict[str, object]:
    return {"shape": (n,), "strides": (0,), "typestr": "<f8", "data": b"\0" * 8, "version": 3}


@pytest.mark.parametrize("cls", ["BatchFeature", "BatchEncoding"])
def test_feature_answering_array_interface_is_denied(cls: str) -> None:
    pytest.importorskip("transformers")
    np = pytest.importorskip("numpy")
    bf = _feature({"__array_interface__": _interface(200_000_000)}, cls)
    data = pickle.dumps({"a": _Reduce(np.polynomial.Polynomial, (bf,))}, protocol=2)
    assert "AIR-PKL-009" in _severe(data)


def test_feature_whose_data_is_not_a_dict_is_denied() -> None:
    pytest.importorskip("transformers")
    from transformers import BitsAndBytesConfig

    bf = _feature(BitsAndBytesConfig.__new__(BitsAndBytesConfig))
    assert "AIR-PKL-009" in _severe(pickle.dumps(bf, protocol=2))


def test_oracle_feature_getattr_feeds_numpy(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    np = pytest.importorskip("numpy")
    bf = _feature({"__array_interface__": _interface(1000)})
    data = pickle.dumps(_Reduce(np.polynomial.Polynomial, (bf,)), protocol=2)
    assert "L 1000" in _oracle(tmp_path, data, "print('L', len(obj.coef))")


def test_honest_features_stay_clean() -> None:
    pytest.importorskip("transformers")
    import torch
    from transformers import BatchEncoding, BatchFeature

    bf = BatchFeature({"pixel_values": torch.zeros(1, 3, 4, 4), "labels": [1, 2]})
    be = BatchEncoding({"input_ids": [[1, 2, 3]], "attention_mask": [[1, 1, 1]]})
    for proto in (2, 4, 5):
        assert _severe(pickle.dumps({"f": bf, "e": be}, protocol=proto)) == set()


# ---------------------------------------------------------------- dunder keys in BUILD states

_NEWOBJ, _TUPLE2 = b"\x81", b"\x86"


def _built_twice(host: tuple[str, str], first: bytes, second: bytes) -> bytes:
    """NEWOBJ host, BUILD ``first``, BUILD ``second``."""
    from tests.scan_pickle.builders import BUILD, EMPTY_TUPLE, PROTO2, STOP, glob

    return PROTO2 + glob(*host) + EMPTY_TUPLE + _NEWOBJ + first + BUILD + second + BUILD + STOP


def _one_key(key: str, value: bytes, slot: bool) -> bytes:
    from tests.scan_pickle.builders import EMPTY_DICT, NONE, SETITEM, s

    d = EMPTY_DICT + s(key) + value + SETITEM
    return NONE + d + _TUPLE2 if slot else d


@pytest.mark.parametrize("slot", [False, True])
@pytest.mark.parametrize(
    "host", [("collections", "OrderedDict"), ("transformers.trainer_callback", "TrainerControl")]
)
def test_instance_setstate_from_a_build_is_denied(host: tuple[str, str], slot: bool) -> None:
    """BUILD {'__setstate__': bytearray} then BUILD 1500000000: pickle calls the instance
    attribute (1.5 GB at pickle.load from 90 bytes, ALLOW before)."""
    from tests.scan_pickle.builders import glob

    if host[0].startswith("transformers"):
        pytest.importorskip("transformers")
    big = b"\x8a\x05" + (1_500_000_000).to_bytes(5, "little")
    data = _built_twice(host, _one_key("__setstate__", glob("builtins", "bytearray"), slot), big)
    assert "AIR-PKL-009" in _severe(data)


def test_oracle_instance_setstate_is_called(tmp_path: Path) -> None:
    """The real loader calls the instance '__setstate__' (print) with the next BUILD's state."""
    from tests.scan_pickle.builders import glob, s

    data = _built_twice(
        ("collections", "OrderedDict"),
        _one_key("__setstate__", glob("builtins", "print"), False),
        s("rt19b-called"),
    )
    assert "rt19b-called" in _oracle(tmp_path, data, "")


def _retyped_to_scipy(marker: Path) -> bytes:
    from tests.scan_pickle.builders import EMPTY_DICT, SETITEM, glob, s

    code = f"open({str(marker)!r}, 'w').write('x')"
    return _built_twice(
        ("transformers.trainer_callback", "TrainerControl"),
        _one_key("__class__", glob("scipy.stats._continuous_distns", "norm_gen"), True),
        EMPTY_DICT + s("_parse_arg_template") + s(code) + SETITEM,
    )


def test_retyping_slot_state_is_denied(tmp_path: Path) -> None:
    """BUILD (None, {'__class__': norm_gen}) retypes a TrainerControl; the next BUILD runs
    rv_generic.__setstate__, which execs the state's _parse_arg_template (a file written at
    pickle.load, ALLOW before: the template check keys on the name pickle built)."""
    pytest.importorskip("transformers")
    pytest.importorskip("scipy")
    assert "AIR-PKL-009" in _severe(_retyped_to_scipy(tmp_path / "marker"))


def test_oracle_retyped_object_execs_the_template(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    pytest.importorskip("scipy")
    marker = tmp_path / "marker"
    _oracle(tmp_path, _retyped_to_scipy(marker), "")
    assert marker.exists()


def _mapping_state(maker: tuple[str, str], key: bytes, value: bytes) -> bytes:
    """A BUILD state made at load by a dict subclass, ``maker([(key, value)])``: pickle takes
    any dict subclass as the state (lead's final review: an OrderedDict state planted
    '__setstate__' past the key check of plain dicts, 1.5 GB at pickle.load, ALLOW)."""
    from tests.scan_pickle.builders import REDUCE, glob

    return glob(*maker) + b"]" + key + value + _TUPLE2 + b"a" + b"\x85" + REDUCE


_BIG = b"\x8a\x05" + (1_500_000_000).to_bytes(5, "little")


@pytest.mark.parametrize(
    "maker",
    [("collections", "OrderedDict"), ("builtins", "dict"), ("collections", "defaultdict")],
)
def test_instance_setstate_from_a_mapping_built_at_load_is_denied(maker: tuple[str, str]) -> None:
    from tests.scan_pickle.builders import glob, s

    state = _mapping_state(maker, s("__setstate__"), glob("builtins", "bytearray"))
    assert "AIR-PKL-009" in _severe(_built_twice(("collections", "OrderedDict"), state, _BIG))


def test_a_state_key_computed_at_load_is_denied() -> None:
    """'__SETSTATE__'.lower() as the key of a plain dict state."""
    from tests.scan_pickle.builders import EMPTY_DICT, SETITEM, call, glob, s

    key = call(glob("builtins", "str.lower"), s("__SETSTATE__"))
    state = EMPTY_DICT + key + glob("builtins", "bytearray") + SETITEM
    assert "AIR-PKL-009" in _severe(_built_twice(("collections", "OrderedDict"), state, _BIG))


def test_oracle_mapping_state_plants_setstate(tmp_path: Path) -> None:
    """The real loader installs the OrderedDict state's '__setstate__' and calls it (print)."""
    from tests.scan_pickle.builders import glob, s

    state = _mapping_state(
        ("collections", "OrderedDict"), s("__setstate__"), glob("builtins", "print")
    )
    data = _built_twice(("collections", "OrderedDict"), state, s("rt19b-mapping"))
    assert "rt19b-mapping" in _oracle(tmp_path, data, "")
