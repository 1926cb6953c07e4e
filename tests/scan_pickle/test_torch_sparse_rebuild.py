"""Sparse tensors in pickles (red-team k2): ``torch._utils._rebuild_sparse_tensor`` rebuilds the
indices/values stored in the file without invariant checks, and torch does not validate them on
load (pickle.load, joblib.load, torch.load even with weights_only=True): an out-of-range index
makes the first ``to_dense()`` write out of bounds. In a ``torch.save`` zip, a sparse_coo rebuild
whose indices are a storage record of the archive is proven in range from those bytes (no
finding), and so is an unbatched CSR/CSC/BSR/BSC rebuild (compressed indices monotone from 0 to
nnz, plain indices in range and sorted per row); anything else (plain pickles, joblib, legacy
saves, batched compressed indices, out of range,
inconsistent shapes, short storage) stays a high finding naming the reason."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import airlock
from airlock.report import Severity

torch = pytest.importorskip("torch", reason="needs torch (scripts/test installs torch==2.13.0)")

WHY = "torch does not validate them on load"


def _sparse_hits(path: Path) -> list[tuple[str, Severity, str]]:
    report = airlock.scan(path)
    return [
        (f.rule_id, f.severity, f.evidence)
        for f in report.findings
        if "_rebuild_sparse_tensor" in f.evidence
    ]


def _saves(tmp_path: Path, value: object) -> list[Path]:
    paths = [tmp_path / "v.pkl", tmp_path / "v.pt", tmp_path / "v_legacy.pt"]
    paths[0].write_bytes(pickle.dumps({"emb": value}, protocol=4))
    torch.save({"emb": value}, paths[1])
    torch.save({"emb": value}, paths[2], _use_new_zipfile_serialization=False)
    return paths


def _red_team_coo() -> object:
    return torch.sparse_coo_tensor(torch.tensor([[1 << 36]]), torch.ones(1), (4,))


def _assert_high(path: Path, reason: str = "") -> None:
    hits = _sparse_hits(path)
    assert hits, path
    assert all(rule == "AIR-PKL-001" and sev == Severity.HIGH for rule, sev, _ in hits), hits
    assert all(reason in e for _, _, e in hits), (reason, hits)
    report = airlock.scan(path)
    whys = [f.why for f in report.findings if "_rebuild_sparse_tensor" in f.evidence]
    assert any(WHY in str(w) for w in whys), whys


@pytest.mark.parametrize(
    "make",
    [
        _red_team_coo,
        lambda: torch.randn(3, 3).to_sparse(),
        lambda: torch.eye(3).to_sparse_csr(),
    ],
    ids=["red_team_oob_coo", "honest_coo", "honest_csr"],
)
def test_sparse_rebuild_outside_torch_zip_is_a_high_finding(tmp_path: Path, make: object) -> None:
    """Plain pickle and legacy torch.save: the indices are not proven (nested bytes)."""
    for path in _saves(tmp_path, make()):  # type: ignore[operator]
        if path.name != "v.pt":
            _assert_high(path, "not proven in range")


def test_red_team_k2_torch_zip_denied(tmp_path: Path) -> None:
    path = tmp_path / "k2.pt"
    torch.save({"emb": _red_team_coo()}, path)
    _assert_high(path, f"index {1 << 36} out of range for dim 0 of size 4")


def test_red_team_k2_joblib_denied(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    path = tmp_path / "k2.joblib"
    joblib.dump({"emb": _red_team_coo()}, path)
    _assert_high(path, "not proven in range")


def test_honest_compressed_torch_zip_is_clean(tmp_path: Path) -> None:
    """CSR/CSC/BSR/BSC with int64 and int32 indices, dense dims, empty rows, empty tensors."""
    gen = torch.Generator().manual_seed(3)
    m = (torch.rand(40, 60, generator=gen) < 0.1).float() * torch.randn(40, 60, generator=gen)
    m[5] = 0  # an empty row
    csr = m.to_sparse_csr()
    cases = {
        "csr": csr,
        "csc": m.to_sparse_csc(),
        "bsr": m.to_sparse_bsr((4, 6)),
        "bsc": m.to_sparse_bsc((8, 3)),
        "csr_i32": torch.sparse_csr_tensor(
            csr.crow_indices().int(), csr.col_indices().int(), csr.values(), m.shape
        ),
        "csr_dense_dims": torch.randn(6, 5, 3).to_sparse_csr(dense_dim=1),
        "empty": torch.zeros(3, 4).to_sparse_csr(),
    }
    for name, t in cases.items():
        path = tmp_path / f"{name}.pt"
        torch.save({"adj": t, "w": torch.randn(2)}, path)
        _clean(path)
    torch.save(cases, tmp_path / "all.pt")
    _clean(tmp_path / "all.pt")


def _csr(crow: list[int], col: list[int], size: tuple[int, int], layout: object = None) -> object:
    vals = torch.ones(len(col))
    return torch.sparse_compressed_tensor(
        torch.tensor(crow), torch.tensor(col), vals, size,
        layout=layout or torch.sparse_csr, check_invariants=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("crow", "col", "size", "reason"),
    [
        ([0, 1, 2], [0, 1 << 36], (2, 4), f"plain index {1 << 36} out of range"),
        ([0, 1, 2], [0, -1], (2, 4), "plain index -1 out of range"),
        ([0, 2, 1, 2], [0, 1], (3, 4), "decrease"),
        ([0, 1, 3], [0, 1], (2, 4), "not 0 to 2"),
        ([1, 1, 2], [0, 1], (2, 4), "not 0 to 2"),
        ([0, 2, 2], [1, 1], (2, 4), "sorted and unique"),
        ([0, 1], [0], (2, 4), "do not match size"),
    ],
    ids=["huge_col", "negative_col", "crow_decreases", "crow_end", "crow_start", "dup", "short"],
)
def test_compressed_out_of_range_denied(
    tmp_path: Path, crow: list[int], col: list[int], size: tuple[int, int], reason: str
) -> None:
    path = tmp_path / "bad.pt"
    torch.save({"adj": _csr(crow, col, size)}, path)
    _assert_high(path, reason)


def test_compressed_bad_csc_and_batched_denied(tmp_path: Path) -> None:
    path = tmp_path / "csc.pt"
    torch.save({"adj": _csr([0, 1, 2], [0, 5], (4, 2), torch.sparse_csc)}, path)
    _assert_high(path, "plain index 5 out of range for size 4")
    path = tmp_path / "batched.pt"
    torch.save({"adj": torch.eye(3).repeat(2, 1, 1).to_sparse_csr()}, path)
    _assert_high(path, "batched")


def _clean(path: Path) -> None:
    report = airlock.scan(path)
    assert [(f.rule_id, f.evidence) for f in report.findings] == [], path
    assert report.not_scanned == [], path


def test_honest_coo_torch_zip_is_clean(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(12)
    n, nnz = 5000, 100_000
    idx = torch.randint(0, n, (2, nnz), generator=gen)
    cases = {
        "uncoalesced": torch.sparse_coo_tensor(idx, torch.ones(nnz), (n, n)),
        "coalesced": torch.sparse_coo_tensor(idx, torch.ones(nnz), (n, n)).coalesce(),
        "dense_dims": torch.sparse_coo_tensor(idx[:, :1000], torch.randn(1000, 3, 2), (n, n, 3, 2)),
        "small": torch.randn(4, 4).to_sparse(),
        "empty": torch.sparse_coo_tensor(
            torch.zeros(2, 0, dtype=torch.long), torch.ones(0), (3, 3)
        ),
    }
    for name, t in cases.items():
        path = tmp_path / f"{name}.pt"
        torch.save({"adj": t, "w": torch.randn(2)}, path)
        _clean(path)
    path = tmp_path / "all.pt"
    torch.save(cases, path)
    _clean(path)


def _unchecked(indices: list[list[int]], size: tuple[int, ...], values: object = None) -> object:
    idx = torch.tensor(indices, dtype=torch.long)
    vals = torch.ones(idx.shape[1]) if values is None else values
    return torch.sparse_coo_tensor(idx, vals, size, check_invariants=False)


@pytest.mark.parametrize(
    ("indices", "size", "reason"),
    [
        ([[0, 3], [1, 4]], (4, 4), "index 4 out of range for dim 1 of size 4"),
        ([[0, -1], [1, 2]], (4, 4), "index -1 out of range for dim 0"),
    ],
    ids=["off_by_one", "negative"],
)
def test_out_of_range_torch_zip_denied(
    tmp_path: Path, indices: list[list[int]], size: tuple[int, ...], reason: str
) -> None:
    path = tmp_path / "bad.pt"
    torch.save({"adj": _unchecked(indices, size)}, path)
    _assert_high(path, reason)


class _Rebuild:
    """Pickles as a sparse rebuild with the arguments given (what a crafted file can hold)."""

    def __init__(self, data: tuple[object, ...]) -> None:
        self.data = data

    def __reduce__(self) -> tuple[object, ...]:
        return (torch._utils._rebuild_sparse_tensor, (torch.sparse_coo, self.data))


def test_inconsistent_shapes_torch_zip_denied(tmp_path: Path) -> None:
    idx = torch.tensor([[0, 1], [1, 0]])
    cases = {
        "size_len": (idx, torch.ones(2), torch.Size((4,)), False),
        "values_nnz": (idx, torch.ones(3), torch.Size((4, 4)), False),
        "indices_1d": (torch.tensor([0, 1]), torch.ones(2), torch.Size((4,)), False),
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.pt"
        torch.save({"adj": _Rebuild(data)}, path)
        _assert_high(path, "not proven in range")
        assert _sparse_hits(path)[0][2].count("match") + _sparse_hits(path)[0][2].count("2-D"), (
            _sparse_hits(path)
        )


def test_claimed_coalesced_but_unsorted_denied(tmp_path: Path) -> None:
    idx = torch.tensor([[1, 0], [0, 0]])
    path = tmp_path / "c.pt"
    torch.save({"adj": _Rebuild((idx, torch.ones(2), torch.Size((4, 4)), True))}, path)
    _assert_high(path, "not sorted and unique")


def test_storage_too_short_denied(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "ok.pt"
    torch.save({"adj": torch.randn(4, 4).to_sparse()}, path)
    bad = tmp_path / "short.pt"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("/data/0"):  # the indices: pickled first
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    _assert_high(bad, "declared")


def test_sparse_rebuild_passed_as_value_denied(tmp_path: Path) -> None:
    """Only direct calls are proven: the rebuild passed as a value is not."""
    path = tmp_path / "v.pt"
    torch.save({"f": torch._utils._rebuild_sparse_tensor}, path)
    _assert_high(path, "not proven in range")


def test_dense_tensors_stay_clean(tmp_path: Path) -> None:
    for path in _saves(tmp_path, torch.randn(3, 3)):
        report = airlock.scan(path)
        assert [(f.rule_id, f.evidence) for f in report.findings] == [], path


def test_torch_really_does_not_check_on_load(tmp_path: Path) -> None:
    """The evidence: torch.load (weights_only default) returns the out-of-range tensor without an
    error (only its indices are read here, never to_dense())."""
    path = tmp_path / "v.pt"
    torch.save({"emb": _red_team_coo()}, path)
    loaded = torch.load(path)["emb"]
    assert int(loaded._indices().max()) == 1 << 36


def test_coo_verdict_pure() -> None:
    """The proof itself: bytes and sizes in, verdict out (chunked, budget-aware)."""
    import numpy as np

    from airlock.scan import sparse_proof as sp

    idx = np.array([[0, 1, 2, 3], [3, 2, 1, 0]], dtype="<i8")
    t = sp.Tensor("torch.LongStorage", "0", 8, 0, (2, 4), (4, 1))
    claim = sp.CooClaim(t, (4,), (4, 4), False)
    assert sp.coo_verdict(claim, idx.tobytes(), chunk=3) is None
    assert "time budget" in str(sp.coo_verdict(claim, idx.tobytes(), lambda: True))
    assert "declared" in str(sp.coo_verdict(claim, idx.tobytes()[:-8]))
    coalesced = claim._replace(coalesced=True)
    assert sp.coo_verdict(coalesced, idx.tobytes(), chunk=1) is None
    assert "not sorted" in str(sp.coo_verdict(coalesced, idx[:, ::-1].tobytes(), chunk=3))
    assert "out of range" in str(sp.coo_verdict(claim._replace(size=(4, 3)), idx.tobytes()))
    past = claim._replace(indices=t._replace(offset=1))
    assert "past the end" in str(sp.coo_verdict(past, idx.tobytes()))
    one = sp.CooClaim(t._replace(size=(2, 1), stride=(4, 1 << 80)), (1,), (4, 4), False)
    assert sp.coo_verdict(one, idx.tobytes()) is None
    wide = claim._replace(indices=t._replace(stride=(4, 1 << 80)))
    assert "past the end" in str(sp.coo_verdict(wide, idx.tobytes()))
    floats = claim._replace(indices=t._replace(storage="torch.FloatStorage"))
    assert "not int64/int32" in str(sp.coo_verdict(floats, idx.tobytes()))
