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


class _Payload:
    """Pickles to a call of ``os.system`` (never executed: only written and scanned)."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, ("echo pwned",))


def legacy_checkpoint(path: Path, evil: bool, keys: int = 6) -> None:
    """A legacy (non-zip) ``torch.save`` file: stacked pickles, then ~24 MiB of raw storages."""
    state: dict[str, object] = {f"layer{i}.weight": torch.zeros(1024, 1024) for i in range(6)}
    state.update({f"extra.{i}": torch.zeros(1) for i in range(keys - 6)})
    if evil:
        state["hook"] = _Payload()
    with open(path, "wb") as fh:
        torch.save(state, fh, _use_new_zipfile_serialization=False)


@pytest.mark.parametrize("evil", [False, True])
def test_legacy_torch_from_the_hub_reads_only_its_pickles(
    hub: HubServer, tmp_path: Path, evil: bool
) -> None:
    from airlock.sources import resolve

    src = tmp_path / f"legacy-{evil}"
    src.mkdir()
    legacy_checkpoint(src / "pytorch_model.bin", evil)
    repo = f"org/legacy-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local = check(src)
    remote = check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert {f.rule_id for f in remote.findings} == {f.rule_id for f in local.findings}
    source = next(s for s in remote.steps if s.name == "source")
    f = source.data["files"][0]
    assert f["read"] == "header" and "legacy torch" in f["reason"], f["reason"]
    assert source.data["bytes_received"] < 3 * 1024**2  # of ~24 MiB
    with resolve(f"hf://{repo}") as model:  # on disk: only the fetched ranges (a sparse file)
        staged = model.materialise() / "pytorch_model.bin"
        assert staged.stat().st_size == (src / "pytorch_model.bin").stat().st_size
        assert staged.stat().st_blocks * 512 < 3 * 1024**2


def test_legacy_pickles_longer_than_the_first_read_grow_the_prefix(
    hub: HubServer, tmp_path: Path
) -> None:
    src = tmp_path / "legacy-long"
    src.mkdir()
    legacy_checkpoint(src / "pytorch_model.bin", evil=False, keys=20_000)  # > 1 MiB of pickle
    hub.add(HubRepo.from_dir("org/legacy-long", src))
    local, remote = check(src), check("hf://org/legacy-long")
    assert remote.allowed and remote.root_digest == local.root_digest
    source = next(s for s in remote.steps if s.name == "source")
    f = source.data["files"][0]
    assert f["read"] == "header" and "legacy torch" in f["reason"], f["reason"]
    prefix = int(f["reason"].split("(")[1].split(" bytes")[0].replace(",", ""))
    assert prefix > 1024**2  # grown past the first 1 MiB ...
    assert source.data["bytes_received"] < source.data["total_size"] // 2  # ... storages unread
