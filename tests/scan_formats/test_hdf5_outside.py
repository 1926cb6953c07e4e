"""AIR-KERAS-009: HDF5 objects whose reading opens another file (external raw data storage,
virtual datasets, external links), found by walking every link from the root without the HDF5 C
library (``airlock.formats.hdf5_tree``). h5py writes the files and is the oracle: it reads the
outside bytes through the same call legacy Keras uses for a weight (``np.asarray(group[name])``).
Red team rt13 (session 13): a legacy Keras ``.h5`` whose Dense kernel is stored in
``/etc/passwd``-like outside files was ALLOW before.
"""

from __future__ import annotations

import io
import itertools
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from airlock.formats.hdf5 import Hdf5Error
from airlock.formats.hdf5_tree import outside_references
from airlock.scan.engine import scan_data

os.environ.setdefault("KERAS_BACKEND", "torch")  # as tests/scan_formats/test_keras.py
h5py = pytest.importorskip("h5py", reason="h5py writes the reference files (group test)")

LIBVERS = ["earliest", "v108", "v110", "latest"]
CONFIG = '{"class_name": "Sequential", "config": {"name": "s", "layers": []}}'


def _outside_model(p: Path, secret: Path, libver: str = "earliest") -> None:
    secret.write_bytes(np.arange(12, dtype="<f4").tobytes())
    with h5py.File(p, "w", libver=libver) as f:
        f.attrs["model_config"] = CONFIG
        f.attrs["keras_version"] = "3.15.1"
        g = f.create_group("model_weights/dense/sequential/dense")
        g.create_dataset("kernel", shape=(4, 3), dtype="<f4", external=[(str(secret), 0, 48)])
        g.create_dataset("bias", data=np.zeros(3, dtype="<f4"))


def _rules(data: bytes, name: str) -> list[str]:
    return sorted(f.rule_id for f in scan_data(data, name).findings)


@pytest.mark.parametrize("libver", LIBVERS)
def test_external_storage_weight_is_critical(tmp_path: Path, libver: str) -> None:
    p, secret = tmp_path / "m.h5", tmp_path / "secret.bin"
    _outside_model(p, secret, libver)
    with h5py.File(p, "r") as f:  # the oracle: the weight is the outside file's bytes
        got = np.asarray(f["model_weights/dense/sequential/dense/kernel"]).ravel()
    assert got.tolist() == list(range(12))
    report = scan_data(p.read_bytes(), p.name)
    assert [f.rule_id for f in report.findings] == ["AIR-KERAS-009"]
    assert str(secret) in report.findings[0].evidence
    assert all(o.status == "scanned" for o in report.objects)


def test_virtual_dataset_and_external_link(tmp_path: Path) -> None:
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(4)
    for libver in ("earliest", "latest"):
        p = tmp_path / f"v-{libver}.h5"
        with h5py.File(p, "w", libver=libver) as f:
            for i in range(10):  # past 8 links: dense link storage with the latest format
                f.create_group(f"pad{i}")
            g = f.create_group("a/b")
            g["el"] = h5py.ExternalLink(str(other), "/x")
            layout = h5py.VirtualLayout(shape=(4,), dtype="i8")
            layout[:] = h5py.VirtualSource(str(other), "x", shape=(4,))
            g.create_virtual_dataset("vds", layout)
        with h5py.File(p, "r") as f:
            assert np.asarray(f["a/b/el"]).tolist() == np.asarray(f["a/b/vds"]).tolist()
        kinds = sorted(o.kind for o in outside_references(p.read_bytes()))
        assert kinds == ["external-link", "virtual-dataset"], libver
        assert _rules(p.read_bytes(), p.name) == ["AIR-KERAS-009"] * 2


def test_outside_weight_inside_a_keras_zip(tmp_path: Path) -> None:
    """Keras 3 archives carry model.weights.h5: the member is judged like a file."""
    h5, secret = tmp_path / "w.h5", tmp_path / "secret.bin"
    _outside_model(h5, secret)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("metadata.json", '{"keras_version": "3.15.1"}')
        z.writestr("config.json", CONFIG)
        z.writestr("model.weights.h5", h5.read_bytes())
    assert _rules(buf.getvalue(), "m.keras") == ["AIR-KERAS-009"]


@pytest.mark.parametrize(("libver", "track"), list(itertools.product(LIBVERS, [False, True])))
def test_walk_visits_what_h5py_visits_and_honest_files_are_clean(
    tmp_path: Path, libver: str, track: bool
) -> None:
    """Old-style groups (symbol tables, B-trees split past 16 entries), compact and dense links
    (more than 8, creation order tracked), chunked and compressed datasets, soft links."""
    p = tmp_path / "t.h5"
    with h5py.File(p, "w", libver=libver, track_order=track) as f:
        for i in range(60):
            g = f.create_group(f"g{i}")
            g.create_dataset("w", data=np.arange(3))
            if i % 3 == 0:
                g.create_dataset("c", data=np.arange(100), chunks=(10,), compression="gzip")
            for j in range(i % 11):
                g.create_group(f"s{j}")
        f["soft"] = h5py.SoftLink("/g0")
        f["hard"] = f["g1"]
    want = {"/"}
    with h5py.File(p, "r") as f:
        f.visit(lambda name: want.add("/" + name))
    walked: list[str] = []
    assert outside_references(p.read_bytes(), walked) == []
    assert len(walked) == len(set(walked)) == len(want)  # each object once (/hard is /g1)
    same = {w.replace("/hard", "/g1", 1) if w.startswith("/hard") else w for w in walked}
    assert same == {w.replace("/hard", "/g1", 1) if w.startswith("/hard") else w for w in want}
    assert scan_data(p.read_bytes(), p.name).findings == []


def test_honest_keras_h5_saves_are_clean(tmp_path: Path) -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    p = tmp_path / "m.h5"
    model.save(p)
    model.save_weights(tmp_path / "m.weights.h5")
    for q in (p, tmp_path / "m.weights.h5"):
        report = scan_data(q.read_bytes(), q.name)
        assert report.findings == [], q
        assert all(o.status == "scanned" for o in report.objects), q


def test_damaged_trees_raise_never_crash(tmp_path: Path) -> None:
    """Every single-byte corruption of the group structures either still walks or raises
    Hdf5Error; a hard-link cycle terminates."""
    p = tmp_path / "d.h5"
    with h5py.File(p, "w") as f:
        for i in range(20):
            f.create_group(f"g{i}").create_dataset("x", data=np.arange(2))
        f["g0/back"] = f["/"]  # a cycle back to the root
    data = bytearray(p.read_bytes())
    assert outside_references(bytes(data)) == []
    for pos in range(0, len(data), 7):
        bad = bytearray(data)
        bad[pos] ^= 0xFF
        try:
            outside_references(bytes(bad))
        except Hdf5Error:
            pass


def test_walk_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers that overlap can make many objects out of few bytes: the messages walked over
    all objects are bounded, and past the bound the file is not judged (never slow, never
    clean)."""
    import airlock.formats.hdf5_tree as tree

    p = tmp_path / "many.h5"
    with h5py.File(p, "w") as f:
        for i in range(50):
            f.create_group(f"g{i}")
    monkeypatch.setattr(tree, "MAX_MESSAGES_WALKED", 20)
    with pytest.raises(Hdf5Error, match="not walked"):
        outside_references(p.read_bytes())
    report = scan_data(p.read_bytes(), p.name)
    assert [f.rule_id for f in report.findings] == ["AIR-KERAS-008"]
