"""The shard index cross-check, and a >= 100-shard checkpoint scanned in bounded memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats.shard_index import ShardIndexError, cross_check, parse_index
from airlock.scan.engine import scan
from tests.sources.models import write_safetensors
from tests.sources.shards import make_sharded


def _rules(root: Path) -> set[str]:
    return {f.rule_id for f in scan(root).findings if f.rule_id.startswith("AIR-SHARD")}


def _rewrite(root: Path, fn: object) -> None:
    p = root / "model.safetensors.index.json"
    doc = json.loads(p.read_text())
    fn(doc)  # type: ignore[operator]
    p.write_text(json.dumps(doc))


def test_consistent_index_is_clean(tmp_path: Path) -> None:
    root, _ = make_sharded(tmp_path / "m", 3, 4)
    report = scan(root)
    assert not report.findings and not report.not_scanned
    idx = next(o for o in report.objects if o.location.endswith("index.json"))
    assert idx.format == "shard-index" and "12 tensors in 3 shards" in idx.notes[0]


def test_missing_shard(tmp_path: Path) -> None:
    root, _ = make_sharded(tmp_path / "m", 3, 2)
    (root / "model-00002-of-00003.safetensors").unlink()
    assert "AIR-SHARD-002" in _rules(root)


def test_unsafe_shard_name(tmp_path: Path) -> None:
    root, wm = make_sharded(tmp_path / "m", 2, 2)
    _rewrite(root, lambda d: d["weight_map"].update({next(iter(wm)): "../../etc/passwd"}))
    assert "AIR-SHARD-007" in _rules(root)


@pytest.mark.parametrize("skipped", [".git", ".github", ".Git"])
def test_a_shard_in_a_folder_the_walk_skips_is_unsafe(tmp_path: Path, skipped: str) -> None:
    """rt25: transformers loads a shard the index names in .git/ (skipped by every walk, so
    never scanned); the index was clean and check said ALLOW."""
    from airlock.gate import check

    root, wm = make_sharded(tmp_path / "m", 2, 2)
    shard = wm[next(iter(wm))]
    (root / skipped).mkdir()
    (root / shard).rename(root / skipped / shard)
    _rewrite(root, lambda d: d["weight_map"].update({k: f"{skipped}/{shard}" for k, v in wm.items()
                                                     if v == shard}))  # fmt: skip
    assert "AIR-SHARD-007" in _rules(root)
    assert not check(root).allowed


def test_duplicate_tensor_in_two_shards_and_in_the_index(tmp_path: Path) -> None:
    root, _ = make_sharded(tmp_path / "m", 2, 2)
    write_safetensors(  # shard 2 also holds shard 1's first tensor
        root / "model-00002-of-00002.safetensors",
        {
            "model.layers.1.block.0.weight": ("F16", [2, 2]),
            "model.layers.1.block.1.weight": ("F16", [2, 2]),
            "model.layers.0.block.0.weight": ("F16", [2, 2]),
        },
    )
    assert "AIR-SHARD-003" in _rules(root)
    raw = (root / "model.safetensors.index.json").read_text()
    dup = raw.replace(
        '"weight_map": {', '"weight_map": {"model.layers.0.block.1.weight": "x.safetensors", ', 1
    )
    (root / "model.safetensors.index.json").write_text(dup)
    problems = cross_check(parse_index(dup.encode()), {})
    assert any(p.code == "duplicate" for p in problems)


def test_tensor_in_the_wrong_shard_and_unnamed(tmp_path: Path) -> None:
    root, _ = make_sharded(tmp_path / "m", 2, 2)
    _rewrite(root, lambda d: d["weight_map"].pop("model.layers.1.block.1.weight"))
    _rewrite(
        root,
        lambda d: d["weight_map"].update(
            {"model.layers.0.block.0.weight": "model-00002-of-00002.safetensors"}
        ),
    )
    rules = _rules(root)
    assert {"AIR-SHARD-004", "AIR-SHARD-006"} <= rules


def test_mismatched_shape_and_dtype(tmp_path: Path) -> None:
    root, wm = make_sharded(tmp_path / "m", 2, 2)
    t = next(iter(wm))
    _rewrite(
        root,
        lambda d: d["weight_map"].update({t: {"filename": wm[t], "dtype": "F16", "shape": [4, 4]}}),
    )
    assert "AIR-SHARD-005" in _rules(root)
    _rewrite(
        root,
        lambda d: d["weight_map"].update({t: {"filename": wm[t], "dtype": "F32", "shape": [2, 2]}}),
    )
    assert "AIR-SHARD-005" in _rules(root)


def test_unreadable_index_is_a_finding(tmp_path: Path) -> None:
    root, _ = make_sharded(tmp_path / "m", 1, 1)
    (root / "model.safetensors.index.json").write_text('{"weight_map": [1, 2]}')
    assert "AIR-SHARD-001" in _rules(root)
    with pytest.raises(ShardIndexError):
        parse_index(b'{"weight_map": {"a": 3}}')


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300) | st.text(max_size=200).map(lambda s: ('{"weight_map": ' + s).encode())
)
def test_parse_index_never_crashes(data: bytes) -> None:
    try:
        idx = parse_index(data)
    except ShardIndexError:
        return
    cross_check(idx, {s: None for s in idx.shards})


def test_many_shards_in_bounded_memory(tmp_path: Path) -> None:
    """120 shards x 400 tensors (~25 MB of headers): `airlock check` peak RSS stays <= 512 MiB."""
    root, _ = make_sharded(tmp_path / "big", 120, 400)
    code = (
        "import sys, json\n"
        "from airlock.gate import check\n"
        "r = check(sys.argv[1])\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from the (big) pytest
        "rss = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) * 1024\n"
        "n = len(r.steps[0].data['files'])\n"
        "print(json.dumps({'allowed': r.allowed, 'rss': rss, 'files': n}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    assert doc["allowed"] and doc["files"] == 122
    assert doc["rss"] <= 512 * 1024**2, doc


def test_many_shards_from_the_hub_in_bounded_memory(hub: object, tmp_path: Path) -> None:
    """The same from the test hub: 110 shards fetched and judged in parallel, RSS <= 512 MiB."""
    from tests.sources.hubserver import HubRepo

    root, _ = make_sharded(tmp_path / "remote", 110, 200)
    hub.add(HubRepo.from_dir("org/sharded", root))  # type: ignore[attr-defined]
    code = (
        "import sys, json\n"
        "from airlock.gate import check\n"
        "r = check(sys.argv[1])\n"
        "rss = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) * 1024\n"
        "print(json.dumps({'allowed': r.allowed, 'rss': rss, 'root': r.root_digest}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code, "hf://org/sharded"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    from airlock.provenance.hashing import hash_model

    assert doc["allowed"] and doc["root"] == hash_model(root).root_digest
    assert doc["rss"] <= 512 * 1024**2, doc


def test_broken_index_of_100_header_judged_shards_from_the_hub(hub: object, tmp_path: Path) -> None:
    """100 shards of 17 MiB (judged by header from the hub): a shard the index names but the
    repo lacks, a tensor held twice and a shape the index misstates are findings, as locally."""
    import airlock
    from tests.sources.hubserver import HubRepo

    root, wm = make_sharded(tmp_path / "broken", 100, 20, pad=17 * 1024**2)
    (root / "model-00050-of-00100.safetensors").unlink()
    write_safetensors(  # shard 2 also holds a tensor of shard 1
        root / "model-00002-of-00100.safetensors",
        {"model.layers.1.block.0.weight": ("F16", [2, 2]),
         "model.layers.0.block.0.weight": ("F16", [2, 2])},
        size=17 * 1024**2, filler="model.layers.1.padding",
    )  # fmt: skip
    t = "model.layers.7.block.3.weight"
    _rewrite(root, lambda d: d["weight_map"].update({t: {"filename": wm[t], "shape": [9, 9]}}))
    stated = {p.name: "0" * 64 for p in root.glob("*.safetensors")}  # no need to hash zeros
    hub.add(HubRepo.from_dir("org/broken", root, stated=stated))  # type: ignore[attr-defined]
    remote = airlock.scan("hf://org/broken")
    shard_rules = {f.rule_id for f in remote.findings if f.rule_id.startswith("AIR-SHARD")}
    assert {"AIR-SHARD-002", "AIR-SHARD-003", "AIR-SHARD-005"} <= shard_rules
    assert shard_rules == _rules(root)
    assert remote.fails(airlock.Severity.HIGH)
