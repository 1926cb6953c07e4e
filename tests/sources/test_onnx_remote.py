"""Large ONNX files judged from their protobuf structure, never read whole: the tensor payloads
the ONNX reader only measures are skipped by length, everything it reads is fetched, and the
verdict and root digest equal the local copy's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airlock.gate import check
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.onnx_models import write_onnx


def _model_dir(root: Path, denied: bool) -> Path:
    write_onnx(root / "model.onnx", big_mib=[9, 9, 1], denied=denied, attr_kib=200, small=40)
    (root / "config.json").write_text(json.dumps({"model_type": "onnx-test"}))
    return root


@pytest.mark.parametrize("denied", [False, True])
def test_hub_onnx_judged_from_its_structure(hub: HubServer, tmp_path: Path, denied: bool) -> None:
    src = _model_dir(tmp_path / f"onnx-{denied}", denied)
    size = (src / "model.onnx").stat().st_size
    assert size > 16 * 1024**2  # past the small-file limit: not simply read whole
    hub.add(HubRepo.from_dir("org/onnx", src))
    local = check(src)
    sent = hub.bytes_sent
    remote = check("hf://org/onnx")
    assert remote.allowed is local.allowed is (not denied)
    assert remote.root_digest == local.root_digest
    source = next(s for s in remote.steps if s.name == "source")
    st = next(f for f in source.data["files"] if f["path"] == "model.onnx")
    assert st["read"] == "header" and "ONNX graph" in st["reason"]
    assert st["digest_source"] == "stated"
    assert hub.bytes_sent - sent < 3 * 1024**2  # head, tail and the structure, not 19 MiB
    rules = sorted(f.rule_id for s in remote.steps for f in s.findings)
    assert rules == sorted(f.rule_id for s in local.steps for f in s.findings)


def test_onnx_that_breaks_the_walk_is_read_whole(hub: HubServer, tmp_path: Path) -> None:
    src = _model_dir(tmp_path / "broken", False)
    with open(src / "model.onnx", "ab") as fh:
        fh.write(b"\x3a\xff\x01")  # one more graph whose length runs past the end
    hub.add(HubRepo.from_dir("org/broken", src))
    local = check(src)
    remote = check("hf://org/broken")
    assert remote.allowed is local.allowed
    assert remote.root_digest == local.root_digest
    source = next(s for s in remote.steps if s.name == "source")
    st = next(f for f in source.data["files"] if f["path"] == "model.onnx")
    assert st["read"] == "full" and st["digest_source"] == "verified"


def test_repeating_layers_are_fetched_ahead() -> None:
    """Headers that land at a repeating stride (a model's layers) are guessed ahead, so one
    round trip serves many; anything irregular guesses nothing (the walk reads on as usual)."""
    from airlock.sources.judge import predict_jumps

    assert predict_jumps([10, 20, 30], 3) == [40, 50, 60]
    layer = [0, 5, 100, 105, 200, 205, 300]  # two tensors a layer, 100 bytes a layer
    assert predict_jumps(layer, 4) == [305, 400, 405, 500]
    assert predict_jumps([1, 2, 4], 2) == []
    assert predict_jumps([30, 20, 10], 2) == []  # never backwards
