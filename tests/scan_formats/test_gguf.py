"""GGUF reader and handler: benign files from the gguf writer are clean, hostile headers are
findings, templates are analysed, and no input crashes or hangs the reader."""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats.gguf import GGML_TYPES, GGUFError, read_gguf
from airlock.scan.engine import run_handler
from airlock.scan.handlers.gguf import GGUFHandler
from airlock.scan.interface import ScanContext, Source

from . import gguf_build as gb
from .templates import CHATML, LLAMA3, QWEN_TOOLS, REDTEAM_J3


def scan_bytes(data: bytes) -> list[str]:
    h = GGUFHandler()
    assert h.sniff(Source(data))
    out = run_handler(h, Source(data), ScanContext("m.gguf"))
    assert out.format == "gguf"
    return [f.rule_id for f in out.findings]


def write_benign(path: Path, template: str) -> None:
    import gguf

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_block_count(2)
    w.add_chat_template(template)
    w.add_chat_template([{"name": "tool_use", "template": QWEN_TOOLS}])
    w.add_token_list(["<s>", "</s>", "hello"] * 100)
    w.add_array("test.nested_ints", [1, 2, 3])
    w.add_tensor("w", np.ones((4, 8), dtype=np.float32))
    w.add_tensor("b", np.zeros((8,), dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def test_ggml_type_table_matches_gguf_package() -> None:
    import gguf

    for t, (block, size) in gguf.GGML_QUANT_SIZES.items():
        assert GGML_TYPES[int(t)][1:] == (block, size)


def test_benign_file_written_by_gguf_is_clean(tmp_path: Path) -> None:
    p = tmp_path / "m.gguf"
    write_benign(p, LLAMA3)
    data = p.read_bytes()
    g = read_gguf(data)
    assert [t.name for t in g.tensors] == ["w", "b"]
    assert g.tensors[0].nbytes == 128 and g.tensors[1].nbytes == 16
    assert set(g.chat_templates()) == {
        "tokenizer.chat_template",
        "tokenizer.chat_template.tool_use",
    }
    assert g.arrays["tokenizer.ggml.tokens"] == ("string", 300)
    assert scan_bytes(data) == []


def test_malicious_template_in_gguf(tmp_path: Path) -> None:
    p = tmp_path / "m.gguf"
    write_benign(p, "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    ids = scan_bytes(p.read_bytes())
    assert "AIR-JINJA-001" in ids and "AIR-JINJA-003" in ids


def test_runtime_built_names_in_gguf_template_are_denied() -> None:
    """Red team session 8 (j3b): names built at render time, global reached via [cycler]|first."""
    data = gb.build([gb.kv_string("tokenizer.chat_template", REDTEAM_J3)])
    ids = set(scan_bytes(data))
    assert {"AIR-JINJA-002", "AIR-JINJA-004"} <= ids


def test_named_template_is_scanned() -> None:
    data = gb.build([gb.kv_string("tokenizer.chat_template.rag", "{{ x.__class__ }}")])
    assert scan_bytes(data) == ["AIR-JINJA-001"]


@pytest.mark.parametrize("key", ["tokenizer.chat_template", "tokenizer.chat_template.rag"])
def test_every_value_of_a_duplicated_template_key_is_judged(key: str) -> None:
    """rt15og: the scanner kept the last value of a duplicated key; llama.cpp's gguf_find_key
    and older gguf-py readers take the first, so a hostile first template hid behind a benign
    second one (only the LOW duplicate-key anomaly was reported)."""
    first = gb.kv_string(key, "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    data = gb.build([first, gb.kv_string(key, LLAMA3)])
    assert {"AIR-JINJA-001", "AIR-JINJA-003", "AIR-GGUF-005"} <= set(scan_bytes(data))
    assert scan_bytes(gb.build([gb.kv_string(key, LLAMA3)])) == []


_NESTED = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"


def test_templates_as_llama_cpp_python_reads_them_are_judged() -> None:
    """rt16cfg: llama-cpp-python's LlamaModel.metadata() reads keys and values back from a C
    string buffer (``.value`` stops at the first NUL): a key ``tokenizer.chat_template\\0x``
    becomes (and overwrites) ``tokenizer.chat_template``, and a value is rendered up to its
    first NUL, so a syntax error after the NUL hid a hanging template (medium AIR-JINJA-000)."""
    hidden = gb.build(
        [
            gb.kv_string("tokenizer.chat_template", LLAMA3),
            gb.kv_string("tokenizer.chat_template\0x", _NESTED),
        ]
    )
    assert "AIR-JINJA-009" in scan_bytes(hidden)
    cut = gb.build([gb.kv_string("tokenizer.chat_template", _NESTED + "\0{% if %}")])
    assert "AIR-JINJA-009" in scan_bytes(cut)
    assert scan_bytes(gb.build([gb.kv_string("tokenizer.chat_template", LLAMA3 + "\0")])) == []


def test_template_before_fatal_error_still_scanned() -> None:
    bad = gb.s("k") + struct.pack("<I", 99)
    data = gb.build([gb.kv_string("tokenizer.chat_template", "{{ lipsum.__globals__ }}"), bad])
    ids = scan_bytes(data)
    assert "AIR-GGUF-001" in ids and "AIR-JINJA-001" in ids


@pytest.mark.parametrize(
    "data,rule",
    [
        (gb.build([], n_kv=2**63), "AIR-GGUF-001"),  # count beyond the file
        (gb.build([], n_tensors=2**40), "AIR-GGUF-001"),
        (gb.build([gb.s("k") + struct.pack("<I", 8) + struct.pack("<Q", 2**62)]), "AIR-GGUF-001"),
        (gb.build([gb.s("k") + struct.pack("<IIQ", 9, 4, 2**61)]), "AIR-GGUF-001"),  # array len
        (
            gb.build([gb.s("k") + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1) * 6]),
            "AIR-GGUF-001",
        ),
        (b"GGUF" + struct.pack("<I", 7) + b"\0" * 16, "AIR-GGUF-001"),  # version
        (b"GGUF\x03\0\0\0", "AIR-GGUF-001"),  # truncated
        (gb.build([], [gb.tensor("t", [2**62, 2**62], 0, 0)]), "AIR-GGUF-002"),
        (gb.build([], [gb.tensor("t", [2**64 - 1], 0, 0)]), "AIR-GGUF-002"),
        (gb.build([], [gb.tensor("t", [1, 1, 1, 1, 1], 0, 0)], b"\0" * 32), "AIR-GGUF-002"),
        (gb.build([], [gb.tensor("t", [1024], 0, 0)], b"\0" * 32), "AIR-GGUF-003"),
        (
            gb.build([], [gb.tensor("a", [8], 0, 0), gb.tensor("b", [8], 0, 0)], b"\0" * 64),
            "AIR-GGUF-003",
        ),
        (gb.build([], [gb.tensor("t", [8], 0, 4)], b"\0" * 64), "AIR-GGUF-004"),
        (gb.build([], [gb.tensor("t", [8], 77, 0)], b"\0" * 64), "AIR-GGUF-004"),
        (gb.build([], [gb.tensor("t", [31], 2, 0)], b"\0" * 64), "AIR-GGUF-004"),
        (gb.build([gb.kv_u32("general.alignment", 3)]), "AIR-GGUF-004"),
        (gb.build([gb.kv_u32("a", 1), gb.kv_u32("a", 2)]), "AIR-GGUF-005"),
        (
            gb.build(
                [gb.s("k") + struct.pack("<IIQ", 9, 9, 1) + struct.pack("<IQ", 4, 1) + b"\0" * 4]
            ),
            "AIR-GGUF-005",
        ),  # nested array
    ],
)
def test_hostile_headers(data: bytes, rule: str) -> None:
    assert rule in scan_bytes(data)


def test_read_gguf_raises_on_fatal() -> None:
    data = gb.build([], n_kv=2**63)
    with pytest.raises(GGUFError, match="metadata count"):
        read_gguf(data)


def test_sparse_huge_file_judged_from_header(tmp_path: Path) -> None:
    hdr = gb.build([gb.kv_string("general.name", "big")], [gb.tensor("t", [2**30], 0, 0)])
    p = tmp_path / "big.gguf"
    with p.open("wb") as fh:
        fh.write(hdr)
        fh.truncate(len(hdr) + 4 * 2**30)
    with p.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        src = Source(mm, p)
        out = run_handler(GGUFHandler(), src, ScanContext(str(p)))
        src.release()
    assert out.findings == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.integers(0, 380))
def test_reader_never_crashes_on_mutations(noise: bytes, cut: int) -> None:
    base = gb.build(
        [gb.kv_string("tokenizer.chat_template", "{{ x }}"), gb.kv_u32("general.alignment", 32)],
        [gb.tensor("t", [8], 0, 0)],
        b"\0" * 32,
    )
    data = base[:cut] + noise + base[cut + len(noise) :]
    out = run_handler(GGUFHandler(), Source(data), ScanContext("f.gguf"))
    assert not any(f.rule_id == "AIR-SCAN-002" for f in out.findings)  # no crash


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_reader_never_crashes_on_noise(noise: bytes) -> None:
    data = b"GGUF\x03\0\0\0" + noise
    out = run_handler(GGUFHandler(), Source(data), ScanContext("f.gguf"))
    assert not any(f.rule_id == "AIR-SCAN-002" for f in out.findings)  # no crash


def test_oversized_template_is_reported_not_skipped_silently() -> None:
    big = "{{ x }}" * (700 * 1024)  # > 4 MiB
    data = gb.build([gb.kv_string("tokenizer.chat_template", big)])
    assert sorted(scan_bytes(data)) == ["AIR-GGUF-005", "AIR-JINJA-008"]


def test_junk_strings_cannot_push_template_out_of_budget() -> None:
    junk = [gb.kv_string(f"junk.{i}", "j" * (3 * 1024 * 1024)) for i in range(30)]
    data = gb.build([*junk, gb.kv_string("tokenizer.chat_template", "{{ x.__class__ }}")])
    ids = scan_bytes(data)
    assert "AIR-JINJA-001" in ids


def test_big_endian_gguf_is_scanned() -> None:  # rt22gguf: was not_scanned (denied honest files)
    data = b"GGUF" + struct.pack(">IQQ", 3, 0, 0)
    out = GGUFHandler().scan(Source(data), ScanContext("be.gguf"))
    assert not out.not_scanned and out.findings == []


def _kv_string_array(key: str, items: list[str]) -> bytes:
    return gb.s(key) + struct.pack("<IIQ", 9, 8, len(items)) + b"".join(gb.s(i) for i in items)


def _as_llama_cpp(items: list[str]) -> str:
    """llama.cpp's gguf_kv_to_str for an array of strings (src/llama-impl.cpp): the string
    llama-cpp-python's metadata() and llama.cpp's server hand to their template engines."""
    quoted = (i.replace("\\", "\\\\").replace('"', '\\"') for i in items)
    return "[" + ", ".join(f'"{q}"' for q in quoted) + "]"


def test_template_key_holding_an_array_of_strings_is_judged() -> None:
    """rt17tpl: ``tokenizer.chat_template`` typed array-of-strings scanned clean (only string
    values were read as templates); llama.cpp turns every value into a string, so the loader
    renders ``["<template>", ...]``, a template like any other."""
    items = [_NESTED, "x"]
    ids = scan_bytes(gb.build([_kv_string_array("tokenizer.chat_template", items)]))
    assert "AIR-JINJA-009" in ids
    escape = ["{{ cycler.__init__.__globals__.os }}"]
    ids = scan_bytes(gb.build([_kv_string_array("tokenizer.chat_template.tool_use", escape)]))
    assert "AIR-JINJA-001" in ids
    honest = gb.build([_kv_string_array("tokenizer.chat_template", [CHATML])])
    assert scan_bytes(honest) == []
    # llama.cpp reads each item as a C string: cut at its NUL, the pieces join into one
    # expression ('x, ' * 10**10, Jinja concatenating adjacent string literals)
    cut = ["{{ 'x' \0{% if %}", " * 10 ** 10 }}"]
    assert "AIR-JINJA-009" in scan_bytes(
        gb.build([_kv_string_array("tokenizer.chat_template", cut)])
    )


def test_array_template_renders_as_its_string_form() -> None:
    """The emulated string form is a working template (rendered here in Jinja's sandbox, as
    llama-cpp-python's Jinja2ChatFormatter does; scaled down)."""
    import jinja2.sandbox

    text = _as_llama_cpp(["{% for i in range(3) %}{{ i }}{% endfor %}", "x"])
    env = jinja2.sandbox.ImmutableSandboxedEnvironment()
    assert env.from_string(text).render() == '["012", "x"]'


def test_huge_array_template_is_not_analysed_but_reported() -> None:
    items = ["{{ x }}" * 1000] * 1000  # 7 MB: over the kept bound
    ids = scan_bytes(gb.build([_kv_string_array("tokenizer.chat_template", items)]))
    assert "AIR-JINJA-008" in ids
