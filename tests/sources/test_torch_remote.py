"""PyTorch zip checkpoints from the hub: directory, local headers and pickles are read by range,
tensor storages never; the verdict and digest equal the local copy's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from airlock.gate import check
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.models import evil_pickle

torch = pytest.importorskip("torch")


def _checkpoint(path: Path, evil: bool) -> None:
    state = {f"layer{i}.weight": torch.zeros(1024, 1024) for i in range(6)}  # 24 MiB of storages
    buf = io.BytesIO()
    torch.save(state, buf)
    if not evil:
        path.write_bytes(buf.getvalue())
        return
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w") as out:  # same layout, data.pkl swapped for a payload
        for info in src.infolist():
            data = evil_pickle() if info.filename.endswith("/data.pkl") else src.read(info)
            out.writestr(info, data)


@pytest.mark.parametrize("evil", [False, True])
def test_torch_zip_from_the_hub(hub: HubServer, tmp_path: Path, evil: bool) -> None:
    src = tmp_path / f"torch-{evil}"
    src.mkdir()
    _checkpoint(src / "pytorch_model.bin", evil)
    repo = f"org/torch-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local = check(src)
    remote = check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert {f.rule_id for f in remote.findings} == {f.rule_id for f in local.findings}
    source = next(s for s in remote.steps if s.name == "source")
    f = source.data["files"][0]
    assert f["read"] == "header" and "PyTorch zip" in f["reason"], f["reason"]
    assert source.data["bytes_received"] < 4 * 1024**2  # of ~24 MiB
