"""AIR-KERAS-012 (rt21fmt): HDF5 datasets that declare far more bytes than the file holds.
h5py hands a reader of the whole dataset (legacy Keras ``load_weights``: ``np.asarray(group[
name])``) every declared byte: a 9 KB ``.h5`` whose 32,768 x 32,768 float kernel was never
written (its chunks read as the fill value) took 4,138 MiB in that read, a 2 MB one of gzip
chunks of zeros 2,103 MiB; both were ALLOW (in a ``.keras`` archive too)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from airlock.scan.engine import scan_data

h5py = pytest.importorskip("h5py", reason="h5py writes the sample files")
CONFIG = '{"class_name": "Sequential", "config": {"name": "s", "layers": []}}'


def _rules(data: bytes, name: str) -> list[str]:
    return sorted({f.rule_id for f in scan_data(data, name).findings})


def _file(p: Path, form: str, side: int) -> bytes:
    with h5py.File(p, "w") as f:
        f.attrs["model_config"] = CONFIG
        f.attrs["keras_version"] = "2.15.0"
        g = f.create_group("model_weights/d/d")
        if form == "unwritten":
            g.create_dataset("kernel:0", shape=(side, side), dtype="f4", chunks=(1024, 1024))
        elif form == "late":  # contiguous, space allocated when first written
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_LATE)
            space = h5py.h5s.create_simple((side, side))
            h5py.h5d.create(g.id, b"kernel:0", h5py.h5t.IEEE_F32LE, space, dcpl=dcpl)
        elif form == "committed":  # a named datatype: the dataset's message is a reference
            f["t"] = np.dtype("f4")
            g.create_dataset("kernel:0", shape=(side, side), dtype=f["t"], chunks=(1024, 1024))
        else:  # gzip chunks of zeros, written (1,024 rows at a time)
            rows = 8448  # x 32,768 floats: 1.03 GiB
            ds = g.create_dataset(
                "kernel:0", shape=(rows, side), dtype="f4", chunks=(1024, 1024),
                compression="gzip", compression_opts=1,
            )  # fmt: skip
            block = np.zeros((1024, side), np.float32)
            for i in range(0, rows, 1024):
                ds[i : i + 1024] = block[: rows - i]
    return p.read_bytes()


@pytest.mark.parametrize("form", ["unwritten", "late", "committed", "gzip"])
def test_datasets_declaring_gigabytes_in_a_small_file_are_high(tmp_path: Path, form: str) -> None:
    data = _file(tmp_path / "m.h5", form, 32768)  # 4 GiB declared in 9 KB; gzip 1 MB
    assert _rules(data, "m.h5") == ["AIR-KERAS-012"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0"}))
        z.writestr("config.json", CONFIG)
        z.writestr("model.weights.h5", data)
    assert "AIR-KERAS-012" in _rules(archive.getvalue(), "m.keras")


def test_written_and_honestly_compressed_datasets_are_clean(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    p = tmp_path / "w.h5"
    with h5py.File(p, "w") as f:
        f.attrs["model_config"] = CONFIG
        f.create_dataset("model_weights/d/d/kernel:0", data=rng.standard_normal((512, 256)))
        f.create_dataset("zeros", data=np.zeros((4096, 1024), np.float32), compression="gzip")
        f["t"] = np.dtype("f4")
        f.create_dataset("named", data=np.ones(100, np.float32), dtype=f["t"])
        f.create_dataset("scalar", data=3.0)
        f.create_dataset("empty", shape=(0, 128), dtype="f4")
        f.create_dataset("log", shape=(10_000_000,), dtype="f4", chunks=(65536,))
    assert _rules(p.read_bytes(), "w.h5") == []
