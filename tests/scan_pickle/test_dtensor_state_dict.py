"""FSDP2/DTensor state dicts saved with ``torch.save``: DTensor and its spec objects (torch's own
weights_only safe globals) are allowed by exact name; a call of DeviceMesh (its ``__init__`` can
set up process groups), any other ``torch.distributed`` name, or code in the spec's state stays
denied. The honest fixture is written by a subprocess with a one-rank gloo group over a FileStore
(no port); the test skips when gloo is unavailable. Nothing is ever loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths

from .builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    call,
    glob,
    rules,
    s,
    severe,
    touch_cmd,
)

pytest.importorskip("torch")

_WRITER = """
import sys, torch, torch.distributed as dist, torch.nn as nn
out, store = sys.argv[1], sys.argv[2]
dist.init_process_group("gloo", store=dist.FileStore(store, 1), rank=0, world_size=1)
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.tensor import distribute_tensor, Shard, Replicate
mesh = init_device_mesh("cpu", (1,))
sd = {"w": distribute_tensor(torch.ones(4, 4), mesh, [Shard(0)]),
      "b": distribute_tensor(torch.zeros(4), mesh, [Replicate()])}
torch.save(sd, out + "/dtensor_sd.pt")
from torch.distributed.fsdp import fully_shard
m = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2))
fully_shard(m, mesh=mesh)
torch.save(m.state_dict(), out + "/fsdp2_state_dict.pt")
dist.destroy_process_group()
"""


def test_honest_dtensor_and_fsdp2_state_dicts_clean(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _WRITER, str(tmp_path), str(tmp_path / "store")],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    if run.returncode != 0:
        pytest.skip(f"no one-rank gloo group here: {run.stderr[-300:]}")
    for name in ("dtensor_sd.pt", "fsdp2_state_dict.pt"):
        report = scan_paths([tmp_path / name])
        assert [(f.rule_id, f.evidence) for f in report.findings] == [], name


def test_device_mesh_called_is_denied() -> None:
    a = analyze(PROTO2 + call(glob("torch.distributed.device_mesh", "DeviceMesh"), s("cpu")) + STOP)
    assert "AIR-PKL-009" in rules(a) and severe(a)


def test_other_torch_distributed_names_still_critical() -> None:
    for mod, name in (
        ("torch.distributed.rpc", "rpc_sync"),
        ("torch.distributed", "init_process_group"),
    ):
        a = analyze(PROTO2 + call(glob(mod, name), s("x")) + STOP)
        assert severe(a, Severity.CRITICAL), (mod, name)


def test_code_in_dtensor_spec_state_is_denied(tmp_path: Path) -> None:
    evil = call(glob("os", "system"), s(touch_cmd(tmp_path / "pwned")))
    data = (PROTO2 + glob("torch.distributed.tensor._dtensor_spec", "DTensorSpec") + EMPTY_TUPLE
            + b"\x81" + EMPTY_DICT + s("mesh") + evil + SETITEM + BUILD + STOP)  # fmt: skip
    assert severe(analyze(data), Severity.CRITICAL)
