"""OpenVINO IR pairs (``openvino_model.xml`` + ``.bin``) written here in the IR v11 layout: the
XML is judged, and the .bin is raw weights when the XML's Const ranges hold; extension
operations, hostile XML and bad ranges are findings, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.scan.engine import scan_data, scan_paths


def ir(consts: list[tuple[int, int]], extra: str = "", version: str = "11") -> bytes:
    layers = ['<layer id="0" name="x" type="Parameter" version="opset1">'
              '<data shape="1,4" element_type="f32"/></layer>']  # fmt: skip
    for i, (offset, size) in enumerate(consts, 1):
        layers.append(
            f'<layer id="{i}" name="w{i}" type="Const" version="opset1">'
            f'<data element_type="f32" shape="{size // 4}" offset="{offset}" size="{size}"/>'
            '<output><port id="0" precision="FP32"><dim>4</dim></port></output></layer>'
        )
    body = "".join(layers) + extra
    return (
        f'<?xml version="1.0"?>\n<net name="m" version="{version}"><layers>{body}</layers>'
        '<edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/></edges>'
        "<rt_info/></net>\n"
    ).encode()


def _pair(tmp_path: Path, xml: bytes, weights: bytes) -> Path:
    (tmp_path / "openvino_model.xml").write_bytes(xml)
    (tmp_path / "openvino_model.bin").write_bytes(weights)
    return tmp_path


def test_ir_pair_is_judged_xml_and_raw_weights(tmp_path: Path) -> None:
    report = scan_paths([_pair(tmp_path, ir([(0, 16), (16, 32)]), bytes(range(128, 176)))])
    assert report.findings == [] and not report.not_scanned
    formats = {Path(o.location).name: o.format for o in report.objects}
    assert formats == {"openvino_model.xml": "openvino-ir", "openvino_model.bin": "external-data"}


def test_range_past_the_bin_is_a_finding_and_the_bin_stays_unjudged(tmp_path: Path) -> None:
    report = scan_paths([_pair(tmp_path, ir([(0, 16), (40, 32)]), bytes(range(128, 176)))])
    assert {f.rule_id for f in report.findings} == {"AIR-OV-002"}
    assert report.not_scanned  # the .bin: nothing vouches for it


def test_pickle_named_bin_is_still_a_pickle(tmp_path: Path) -> None:
    payload = b"cos\nsystem\n(S'touch /tmp/pwned'\ntR."
    report = scan_paths([_pair(tmp_path, ir([(0, 16)]), payload + b"\0" * 16)])
    assert any(f.severity.name == "CRITICAL" for f in report.findings)


def test_extension_layer_is_high_and_tokenizer_ops_are_known() -> None:
    custom = '<layer id="9" name="evil" type="MyKernel" version="my_ext"/>'
    r = scan_data(ir([], custom), "openvino_model.xml")
    assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-OV-001", "HIGH")]
    tok = '<layer id="9" name="t" type="StringTensorUnpack" version="extension"/>'
    r = scan_data(ir([], tok), "openvino_tokenizer.xml")
    assert r.findings == [] and "StringTensorUnpack" in " ".join(r.objects[0].notes)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE net [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<net name="&b;" version="11"><layers/></net>',  # entity expansion refused
        b'<?xml version="1.0"?><!DOCTYPE net SYSTEM "file:///etc/passwd"><net version="11"/>',
        ir([(0, 16)])[:-20],  # truncated
        ir([], version="7"),
        b'<net version="11"><layers><layer id="1" type="Const" version="opset1">'
        b'<data offset="x" size="4"/></layer></layers></net>',
    ],
)
def test_hostile_or_broken_xml_is_not_clean(data: bytes) -> None:
    r = scan_data(data, "openvino_model.xml")
    assert r.findings and any(o.status == "not_scanned" for o in r.objects)


_SEED = ir([(0, 16)], '<layer id="9" name="t" type="StringTensorUnpack" version="extension"/>')


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=4))
def test_mutated_xml_never_crashes_the_scanner(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_SEED)
    for pos, value in edits:
        data[pos] = value
    r = scan_data(bytes(data), "openvino_model.xml")
    assert not any(f.rule_id == "AIR-SCAN-002" for f in r.findings), r.findings
