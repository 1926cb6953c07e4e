"""Real artifacts written by the libraries' own savers give zero findings through the engine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from airlock.scan.engine import ScanOptions, scan_paths
from airlock.scan.result import ScanReport


def assert_clean(report: ScanReport) -> None:
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == [], [(o.location, o.member, o.reason) for o in report.not_scanned]


@pytest.fixture(scope="module")
def torch_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    d = tmp_path_factory.mktemp("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(4 * 6 * 6, 10), torch.nn.Dropout(0.1),
    )  # fmt: skip
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, 10)
    loss = model(torch.randn(2, 3, 8, 8)).sum()
    loss.backward()
    opt.step()
    sched.step()
    torch.save(model.state_dict(), d / "state_dict.pt")
    torch.save(model, d / "whole_module.pt")
    torch.save(
        {"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict(),
         "scheduler": sched.state_dict(), "loss": loss.item()},
        d / "checkpoint.pt",
    )  # fmt: skip
    torch.save(model.state_dict(), d / "legacy.pt", _use_new_zipfile_serialization=False)
    torch.save({"t": torch.arange(10, dtype=torch.float16)}, d / "half.bin")
    torch.jit.save(torch.jit.script(torch.nn.Linear(3, 2)), d / "scripted.pt")
    torch.jit.script(torch.nn.TransformerEncoderLayer(16, 2)).save(d / "scripted_encoder.pt")
    torch.jit.script(torch.nn.LSTM(4, 8)).save(d / "scripted_lstm.pt")
    traced = torch.jit.trace(
        torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU()), torch.randn(1, 3, 8, 8)
    )
    traced.save(d / "traced.pt")
    return d


@pytest.mark.parametrize(
    "name", ["state_dict.pt", "whole_module.pt", "checkpoint.pt", "legacy.pt", "half.bin"]
)
def test_torch_saves_are_clean(torch_files: Path, name: str) -> None:
    report = scan_paths([torch_files / name])
    assert_clean(report)
    assert report.objects[0].format in ("pytorch", "pytorch-legacy")


@pytest.mark.parametrize(
    "name", ["scripted.pt", "scripted_encoder.pt", "scripted_lstm.pt", "traced.pt"]
)
def test_torchscript_archives_are_clean(torch_files: Path, name: str) -> None:
    report = scan_paths([torch_files / name])
    assert report.objects[0].format == "torchscript"
    assert any(o.format == "torchscript-code" for o in report.objects)
    assert_clean(report)


def test_torch_storages_are_not_read(torch_files: Path) -> None:
    report = scan_paths([torch_files / "checkpoint.pt"])
    top = report.objects[0]
    assert sum(top.skipped.values()) >= 6
    assert all(o.member is None or "/data/" not in o.member for o in report.objects)


@pytest.fixture(scope="module")
def numpy_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import numpy as np

    d = tmp_path_factory.mktemp("np")
    np.save(d / "a.npy", np.arange(100, dtype=np.float32).reshape(10, 10))
    np.save(d / "f.npy", np.asfortranarray(np.ones((3, 4))))
    np.save(d / "s.npy", np.zeros(3, dtype=[("x", "<i4"), ("y", "<f8")]))
    np.savez(d / "z.npz", a=np.arange(5), b=np.eye(3))
    np.savez_compressed(d / "zc.npz", a=np.arange(5000), b=np.eye(30))
    return d


def test_numpy_files_are_clean(numpy_files: Path) -> None:
    report = scan_paths([numpy_files])
    assert_clean(report)
    formats = {o.location.rsplit("/", 1)[-1]: o.format for o in report.objects if o.member is None}
    assert formats == {
        "a.npy": "npy",
        "f.npy": "npy",
        "s.npy": "npy",
        "z.npz": "npz",
        "zc.npz": "npz",
    }


@pytest.fixture(scope="module")
def sklearn_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import joblib
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    d = tmp_path_factory.mktemp("sk")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(60, 4)), rng.integers(0, 2, 60)
    rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(x, y)
    pipe = Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())]).fit(x, y)
    joblib.dump(rf, d / "rf.joblib")
    joblib.dump(pipe, d / "pipe.joblib")
    for c in ("zlib", "gzip", "bz2", "xz", "lzma"):
        joblib.dump(rf, d / f"rf.{c}.joblib", compress=(c, 3))
    joblib.dump(pipe, d / "pipe.z.joblib", compress=3)
    return d


def test_sklearn_joblib_files_are_clean(sklearn_files: Path) -> None:
    report = scan_paths([sklearn_files])
    assert_clean(report)
    assert report.files == 8


def test_sklearn_compressed_are_decompressed(sklearn_files: Path) -> None:
    report = scan_paths([sklearn_files / "rf.xz.joblib"])
    assert [o.format for o in report.objects] == ["compressed", "joblib"] or [
        o.format for o in report.objects
    ][1] == "joblib"


def test_minilm_directory_is_clean(minilm_dir: Path) -> None:
    report = scan_paths([minilm_dir])
    assert report.findings == [], [(f.rule_id, f.location, f.evidence) for f in report.findings]
    st = [o for o in report.objects if o.location.endswith("model.safetensors")]
    assert st and st[0].format == "safetensors"


def test_hf_cache_repo_layout(tmp_path: Path, minilm_dir: Path) -> None:
    """models--org--name/{blobs,refs,snapshots/<rev>/...}: every file scanned once, blobs under
    their snapshot names; a blob no snapshot names is still scanned (it is hashed)."""
    repo = tmp_path / "models--sentence-transformers--all-MiniLM-L6-v2"
    (repo / "blobs").mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    snap = repo / "snapshots" / ("a" * 40)
    snap.mkdir(parents=True)
    for i, name in enumerate(["config.json", "vocab.txt"]):
        blob = repo / "blobs" / f"{i:064x}"
        shutil.copy(minilm_dir / name, blob)
        os.symlink(os.path.relpath(blob, snap), snap / name)
    (repo / "blobs" / f"{7:064x}").write_bytes(b"cos\nsystem\n(S'x'\ntR.")  # unreferenced
    report = scan_paths([repo])
    tops = sorted(o.location for o in report.objects if o.member is None)
    # every file the hash covers is scanned once, named by the snapshot path that links to it
    assert tops == [
        str(repo / "blobs" / f"{7:064x}"),
        str(repo / "refs" / "main"),
        str(snap / "config.json"),
        str(snap / "vocab.txt"),
    ]
    assert sum("same file" in i for i in report.ignored) == 2
    assert {f.location for f in report.findings} == {str(repo / "blobs" / f"{7:064x}")}


def test_threads_and_processes_agree(sklearn_files: Path, numpy_files: Path) -> None:
    paths = [sklearn_files, numpy_files]
    serial = scan_paths(paths, ScanOptions(mode="serial"))
    procs = scan_paths(paths, ScanOptions(mode="processes", workers=2))
    threads = scan_paths(paths, ScanOptions(mode="threads", workers=3))

    def key(r: ScanReport) -> list[tuple[str, str | None, str, str]]:
        return [(o.location, o.member, o.format, o.status) for o in r.objects]

    assert key(serial) == key(procs) == key(threads)
    assert procs.mode == "processes" and threads.mode == "threads"


def test_legacy_checkpoint_larger_than_pickle_limit_is_fully_scanned(tmp_path: Path) -> None:
    """Storage bytes after the pickles are data: a file bigger than max_pickle_bytes whose
    pickles are small is scanned, not reported as partially read."""
    import torch

    from airlock.scan.engine import scan
    from airlock.scan.interface import Limits

    path = tmp_path / "legacy.pt"
    torch.save({"w": torch.zeros(256, 1024)}, path, _use_new_zipfile_serialization=False)
    assert path.stat().st_size > 1024 * 1024
    report = scan(path, ScanOptions(limits=Limits(max_pickle_bytes=64 * 1024)))
    assert report.findings == [] and report.not_scanned == []


def test_npy_larger_than_pickle_limit_is_clean(tmp_path: Path) -> None:
    """A .npy opens with 0x93 (STACK_GLOBAL), which every unpickler refuses on an empty stack:
    no pickle reading, however far past the pickle cap the array runs (a 400 MiB float array
    used to come back "two formats at once" and not scanned)."""
    import numpy as np

    from airlock.scan.engine import scan
    from airlock.scan.interface import Limits

    path = tmp_path / "big.npy"
    np.save(path, np.zeros(64 * 1024, dtype=np.float64))
    report = scan(path, ScanOptions(limits=Limits(max_pickle_bytes=4096)))
    assert report.findings == [] and report.not_scanned == []


def test_pickle_breaking_before_the_cap_on_a_bad_opcode_is_judged(tmp_path: Path) -> None:
    """A stream that every unpickler refuses at a byte before the cap (no opcode there) is judged
    like a short one: what comes after that byte never runs, wherever the cap is. A break the cap
    may have caused (a truncated argument) still leaves the object not scanned."""
    import pickle as pkl

    from airlock.scan.engine import scan_data
    from airlock.scan.interface import Limits

    limits = ScanOptions(limits=Limits(max_pickle_bytes=4096))
    payload = b"cos\nsystem\n(S'touch /tmp/x'\ntR."
    body = pkl.dumps(list(range(10)), protocol=2)[:-1]  # no STOP
    refused = scan_data(body + b"\xff" + b"\0" * 8192 + payload, "x.pkl", limits)
    assert [o.status for o in refused.objects] == ["scanned"]
    assert all(f.rule_id != "AIR-PKL-011" for f in refused.findings)
    cut = scan_data(b"(" + b"I1\n" * 3000 + payload, "y.pkl", limits)
    assert [o.status for o in cut.objects] == ["not_scanned"]
