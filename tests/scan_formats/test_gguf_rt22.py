"""Session 21 red team (rt22gguf): GGUF files whose real loader crashes, blows up or renders a
template the gate had not judged, and honest big-endian files the gate refused."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from airlock.formats.gguf import MAX_LOADER_READS, read_gguf
from airlock.scan.engine import run_handler
from airlock.scan.handlers.gguf import GGUFHandler
from airlock.scan.interface import ScanContext, Source

from . import gguf_build as gb
from .templates import CHATML

EVIL = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def outcome(data: bytes):  # type: ignore[no-untyped-def]
    return run_handler(GGUFHandler(), Source(data), ScanContext("m.gguf"))


def ids(data: bytes) -> list[str]:
    return [f.rule_id for f in outcome(data).findings]


def kv_array(key: str, etype: int, n: int, body: bytes) -> bytes:
    return gb.s(key) + struct.pack("<IIQ", 9, etype, n) + body


def test_tiny_items_that_blow_up_gguf_py_are_denied() -> None:
    """20 MB of uint8 array elements took gguf's GGUFReader past 3 GiB (MemoryError); 600,000
    one-byte keys took it to 1.9 GiB. Both scanned clean (the array fits the file)."""
    n = MAX_LOADER_READS + 10
    out = outcome(gb.build([kv_array("x.amp", 0, n, b"\0" * n)]))
    assert out.not_scanned
    assert {"AIR-GGUF-006", "AIR-GGUF-001"} <= {f.rule_id for f in out.findings}
    kvs = [gb.s(f"k{i}") + struct.pack("<IB", 0, 0) for i in range(MAX_LOADER_READS // 5 + 10)]
    assert "AIR-GGUF-006" in ids(gb.build(kvs))
    # nested empty arrays: each one costs the reader two views; notes of other kinds (capped
    # at 1000) must not crowd the finding out
    arrays = kv_array(
        "x.amp", 9, MAX_LOADER_READS // 2, struct.pack("<IQ", 0, 0) * (MAX_LOADER_READS // 2)
    )
    assert "AIR-GGUF-006" in ids(gb.build([arrays]))


def test_largest_honest_vocabulary_is_within_the_loader_budget(tmp_path: Path) -> None:
    """An o200k-sized vocabulary (201,088 tokens, scores, types, 446,000 merges) is honest."""
    import gguf

    path = tmp_path / "vocab.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"t{i}" for i in range(201_088)])
    w.add_token_scores([0.0] * 201_088)
    w.add_token_types([1] * 201_088)
    w.add_token_merges([f"a{i} b{i}" for i in range(446_000)])
    w.add_chat_template(CHATML)
    w.add_tensor("w", np.ones((4, 32), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    assert ids(path.read_bytes()) == []


def test_alignment_of_the_wrong_type_is_denied() -> None:
    """llama.cpp reads general.alignment with gguf_get_val_u32, whose type assert aborts the
    process; gguf-py refuses the file. A uint64 alignment of 64 scanned clean."""
    align = gb.s("general.alignment") + struct.pack("<IQ", 10, 64)
    found = ids(gb.build([align], [gb.tensor("w", [8], 0, 0)], b"\0" * 64))
    assert "AIR-GGUF-006" in found
    honest = gb.build([gb.kv_u32("general.alignment", 64)], [gb.tensor("w", [8], 0, 0)])
    assert "AIR-GGUF-006" not in ids(honest + b"\0" * 64)


def test_template_key_too_long_to_keep_is_still_a_template_key() -> None:
    """A key over 64 KiB was dropped (read as ''), so its template was never judged;
    llama-cpp-python offers ``tokenizer.chat_template.<name>`` by name and cuts a key at its
    NUL, making ``tokenizer.chat_template\\0AAAA...`` the default template."""
    for key in (
        "tokenizer.chat_template." + "A" * 70_000,
        "tokenizer.chat_template\0" + "A" * 70_000,
    ):
        assert "AIR-JINJA-001" in ids(gb.build([gb.kv_string(key, EVIL)]))


def test_template_key_after_the_retained_budget_is_judged() -> None:
    """64 MiB of kept strings exhausted the budget: the next key was dropped and the default
    template after it scanned clean (gguf-py reads it as tokenizer.chat_template)."""
    mib = 1 << 20
    fill = [gb.kv_string(f"a{i:02d}", "J" * (4 * mib)) for i in range(15)]
    fill.append(gb.kv_string("a15", "J" * (4 * mib - 48)))
    data = gb.build([*fill, gb.kv_string("tokenizer.chat_template", EVIL)])
    assert "AIR-JINJA-001" in ids(data)


def _writer_file(path: Path, endian: object) -> bytes:
    import gguf

    w = gguf.GGUFWriter(str(path), "llama", endianess=endian)  # type: ignore[arg-type]
    w.add_name("tiny")
    w.add_token_list(["<s>", "</s>", "a"])
    w.add_token_scores([0.0, 0.0, -1.0])
    w.add_chat_template(CHATML)
    w.add_tensor("w", np.ones((4, 32), dtype=np.float32))
    w.add_tensor("h", np.ones((32,), dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path.read_bytes()


def test_big_endian_gguf_is_read_like_its_little_endian_twin(tmp_path: Path) -> None:
    """gguf-py writes big-endian GGUF and its reader loads it on any host (llama.cpp on
    big-endian hosts); the gate refused it as not scanned, also when honest."""
    import gguf

    le = read_gguf(_writer_file(tmp_path / "le.gguf", gguf.GGUFEndian.LITTLE))
    be_bytes = _writer_file(tmp_path / "be.gguf", gguf.GGUFEndian.BIG)
    be = read_gguf(be_bytes)
    assert (be.metadata, be.tensors, be.data_offset) == (le.metadata, le.tensors, le.data_offset)
    out = outcome(be_bytes)
    assert not out.not_scanned and out.findings == []
    evil = b"GGUF" + struct.pack(">IQQ", 3, 0, 1) + struct.pack(">Q", 23)
    evil += b"tokenizer.chat_template" + struct.pack(">IQ", 8, len(EVIL)) + EVIL.encode()
    assert "AIR-JINJA-001" in ids(evil)
