"""``torch.export.save`` PT2 archives: raw tensor files named by the archive's payload config
and long enough (whole elements) for the tensors it describes are tensor bytes (red-team false
positive: they were "not scanned"); pickled members are still judged, and anything that does
not match is a finding."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport

from . import samples

torch = pytest.importorskip("torch")
nn = torch.nn


def assert_clean(report: ScanReport) -> None:
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == [], [(o.location, o.member, o.reason) for o in report.not_scanned]


def denied(report: ScanReport) -> bool:
    return bool(report.not_scanned) or any(f.severity >= Severity.HIGH for f in report.findings)


class _Mixed(nn.Module):
    """Parameters, a buffer, a plain-tensor constant, a non-contiguous view, several dtypes."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(3, 4)
        self.register_buffer("steps", torch.arange(4, dtype=torch.int64))
        self.register_buffer("mask", torch.tensor([True, False, True, True]))
        self.register_buffer("h16", torch.ones(4, dtype=torch.float16))
        self.register_buffer("empty", torch.zeros(0))
        self.t = nn.Parameter(torch.randn(4, 3).t())  # strides (1, 3)
        self.c = torch.randn(4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.lin(x) + self.c + self.steps.float() * self.mask.float() + self.h16.float()
        return y + (x @ self.t).sum() + self.empty.sum()


class _Views(nn.Module):
    """Views of larger storages: the whole storage is saved, longer than the view reaches."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(10)[2:6])
        self.register_buffer("b", torch.randn(8, 8)[::2, 1:3])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.w + self.b.sum()


class _Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(10, 4)
        self.head = nn.Linear(4, 10, bias=False)
        self.head.weight = self.emb.weight

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.head(self.emb(idx))


@pytest.fixture(scope="module")
def pt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pt2")
    torch.manual_seed(0)
    x = torch.randn(2, 3)
    models = {
        "seq": (nn.Sequential(nn.Linear(3, 4), nn.ReLU()), (x,)),
        "mixed": (_Mixed(), (x,)),
        "tied": (_Tied(), (torch.tensor([[1, 2, 3]]),)),
        "views": (_Views(), (torch.randn(4),)),
        "conv": (
            nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU()).eval(),
            (torch.randn(1, 3, 8, 8),),
        ),
        "encoder": (nn.TransformerEncoderLayer(8, 2, 16).eval(), (torch.randn(5, 2, 8),)),
    }
    for name, (module, args) in models.items():
        torch.export.save(torch.export.export(module, args), str(d / f"{name}.pt2"))
    return d


@pytest.mark.parametrize("name", ["seq", "mixed", "tied", "views", "conv", "encoder"])
def test_real_pt2_archives_are_clean(pt2: Path, name: str) -> None:
    report = scan_paths([pt2 / f"{name}.pt2"])
    assert report.objects[0].format == "pytorch-pt2"
    assert_clean(report)
    # the sample inputs (a torch.save zip) are still analysed as pickles
    assert any(o.format == "pickle" for o in report.objects)


def _rewrite(src: Path, change: dict[str, bytes | None]) -> bytes:
    """``src`` with members replaced (``None`` removes one) or added, by suffix of the name."""
    out = io.BytesIO()
    done: set[str] = set()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        root = zin.namelist()[0].split("/", 1)[0]
        for info in zin.infolist():
            rel = info.filename.split("/", 1)[1]
            if rel in change:
                done.add(rel)
                if change[rel] is not None:
                    zout.writestr(info.filename, change[rel])  # type: ignore[arg-type]
                continue
            zout.writestr(info.filename, zin.read(info.filename))
        for rel, data in change.items():
            if rel not in done and data is not None:
                zout.writestr(f"{root}/{rel}", data)
    return out.getvalue()


def _config(src: Path) -> dict[str, object]:
    with zipfile.ZipFile(src) as z:
        name = next(n for n in z.namelist() if n.endswith("_weights_config.json"))
        return json.loads(z.read(name))  # type: ignore[no-any-return]


def _scan(tmp_path: Path, data: bytes) -> ScanReport:
    path = tmp_path / "m.pt2"
    path.write_bytes(data)
    return scan_paths([path])


def test_pickled_weight_with_payload_is_denied(tmp_path: Path, pt2: Path) -> None:
    """A config that says ``use_pickle: true``: torch.load(weights_only=False) reads it."""
    config = _config(pt2 / "seq.pt2")
    entry = next(iter(config["config"].values()))  # type: ignore[attr-defined]
    entry["use_pickle"] = True
    evil = samples.torch_zip(samples.evil_pickle(tmp_path / "marker"))
    data = _rewrite(
        pt2 / "seq.pt2",
        {
            "data/weights/model_weights_config.json": json.dumps(config).encode(),
            f"data/weights/{entry['path_name']}": evil,
        },
    )
    report = _scan(tmp_path, data)
    assert any(f.severity == Severity.CRITICAL for f in report.findings), report.findings


def test_sample_inputs_with_payload_are_denied(tmp_path: Path, pt2: Path) -> None:
    evil = samples.torch_zip(samples.evil_pickle(tmp_path / "marker"))
    report = _scan(tmp_path, _rewrite(pt2 / "seq.pt2", {"data/sample_inputs/model.pt": evil}))
    assert any(f.severity == Severity.CRITICAL for f in report.findings)


def test_opaque_object_constant_with_payload_is_denied(tmp_path: Path, pt2: Path) -> None:
    """``opaque_obj_N`` constants are read with pickle.loads."""
    with zipfile.ZipFile(pt2 / "mixed.pt2") as z:
        name = next(n for n in z.namelist() if n.endswith("_constants_config.json"))
        config = json.loads(z.read(name))
    config["config"]["evil"] = {"path_name": "opaque_obj_0", "is_param": False,
                                "use_pickle": True, "tensor_meta": None}  # fmt: skip
    data = _rewrite(
        pt2 / "mixed.pt2",
        {
            "data/constants/model_constants_config.json": json.dumps(config).encode(),
            "data/constants/opaque_obj_0": samples.evil_pickle(tmp_path / "marker"),
        },
    )
    report = _scan(tmp_path, data)
    assert any(f.severity == Severity.CRITICAL for f in report.findings)


def test_extra_members_are_judged(tmp_path: Path, pt2: Path) -> None:
    evil = _rewrite(pt2 / "seq.pt2", {"data/weights/extra.pkl": pickle.dumps({"a": 1})})
    assert_clean(_scan(tmp_path, evil))  # a harmless extra pickle is judged, and clean
    payload = samples.evil_pickle(tmp_path / "marker")
    report = _scan(tmp_path, _rewrite(pt2 / "seq.pt2", {"data/weights/weight_99": payload}))
    assert any(f.severity == Severity.CRITICAL for f in report.findings)
    report = _scan(tmp_path, _rewrite(pt2 / "seq.pt2", {"extra/blob": bytes(range(256)) * 4}))
    assert denied(report)


def test_raw_weight_of_the_wrong_size_is_a_finding(tmp_path: Path, pt2: Path) -> None:
    config = _config(pt2 / "seq.pt2")
    path_name = next(iter(config["config"].values()))["path_name"]  # type: ignore[attr-defined]
    with zipfile.ZipFile(pt2 / "seq.pt2") as z:
        raw = z.read(next(n for n in z.namelist() if n.endswith(f"/data/weights/{path_name}")))
    for bad in (raw[:-4], raw + b"\0"):  # short of what the tensors reach; not whole elements
        report = _scan(tmp_path, _rewrite(pt2 / "seq.pt2", {f"data/weights/{path_name}": bad}))
        assert "AIR-PT-002" in {f.rule_id for f in report.findings}
        assert denied(report)


def test_raw_weight_not_named_by_the_config_is_not_vouched(tmp_path: Path, pt2: Path) -> None:
    config = _config(pt2 / "seq.pt2")
    config["config"] = {}
    data = _rewrite(
        pt2 / "seq.pt2",
        {"data/weights/model_weights_config.json": json.dumps(config).encode()},
    )
    assert denied(_scan(tmp_path, data))


def test_unreadable_config_is_a_finding(tmp_path: Path, pt2: Path) -> None:
    data = _rewrite(pt2 / "seq.pt2", {"data/weights/model_weights_config.json": b"{not json"})
    report = _scan(tmp_path, data)
    assert "AIR-PT-002" in {f.rule_id for f in report.findings}
    assert denied(report)


def test_path_names_cannot_leave_their_directory(tmp_path: Path, pt2: Path) -> None:
    config = _config(pt2 / "seq.pt2")
    next(iter(config["config"].values()))["path_name"] = "../models/model.json"  # type: ignore[attr-defined]
    data = _rewrite(
        pt2 / "seq.pt2",
        {"data/weights/model_weights_config.json": json.dumps(config).encode()},
    )
    assert "AIR-PT-002" in {f.rule_id for f in _scan(tmp_path, data).findings}


def _with_target(src: Path, old: str, new: str) -> bytes:
    with zipfile.ZipFile(src) as z:
        name = next(n for n in z.namelist() if "/models/" in n and n.endswith(".json"))
        text = z.read(name).decode()
    assert f'"target": "{old}"' in text
    program = text.replace(f'"target": "{old}"', f'"target": "{new}"', 1).encode()
    return _rewrite(src, {name.split("/", 1)[1]: program})


def test_honest_program_targets_are_allowed(tmp_path: Path) -> None:
    """Higher-order ops, symbolic sizes and Python operators of a dynamic-shape export."""

    class Cond(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            branch = torch.cond(x.sum() > 0, lambda v: v.sin(), lambda v: v.cos(), (x,))
            return branch + x.shape[0] // 2

    dims = {"x": {0: torch.export.Dim("n")}}
    ep = torch.export.export(Cond(), (torch.randn(3, 2),), dynamic_shapes=dims)
    path = tmp_path / "cond.pt2"
    torch.export.save(ep, str(path))
    assert_clean(scan_paths([path]))


@pytest.mark.parametrize(
    ("target", "critical"),
    [
        ("torch.ops.aten.from_file.default", True),
        ("torch.serialization.os.system", True),
        ("torch.load", True),
        ("torch.ops.my_ns.run.default", False),
        ("torch.ops.aten.no_such_op.default", False),
        ("_operator.methodcaller", False),
        ("builtins.eval", False),
    ],
)
def test_program_calling_outside_the_allowlist_is_denied(
    tmp_path: Path, pt2: Path, target: str, critical: bool
) -> None:
    data = _with_target(pt2 / "seq.pt2", "torch.ops.aten.relu.default", target)
    report = _scan(tmp_path, data)
    hits = [f for f in report.findings if f.rule_id == "AIR-PT-003"]
    assert hits and denied(report), report.findings
    assert (hits[0].severity == Severity.CRITICAL) is critical


def test_a_rewritten_target_really_runs(tmp_path: Path, pt2: Path) -> None:
    """The loader resolves targets by attribute path: running the loaded program calls the
    callable the archive names (here a harmless one, torch.ops.aten.neg instead of relu)."""
    data = _with_target(
        pt2 / "seq.pt2", "torch.ops.aten.relu.default", "torch.ops.aten.neg.default"
    )
    path = tmp_path / "m.pt2"
    path.write_bytes(data)
    loaded = torch.export.load(str(path))
    weight, bias = loaded.state_dict["0.weight"], loaded.state_dict["0.bias"]
    x = torch.randn(2, 3)
    assert torch.allclose(loaded.module()(x), -(x @ weight.T + bias))


def test_program_with_unchecked_view_op_is_denied(tmp_path: Path) -> None:
    """Red-team p2: aten::_reshape_alias_copy takes sizes/strides without a storage-bounds check;
    the archive's size patched to 65540 over a 4-element input returns heap bytes when run. The
    op is off the allowlist whatever its arguments (the unpatched export is denied too)."""

    class Leak(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.ops.aten._reshape_alias_copy(x, [4], [1])

    ep = torch.export.export(Leak(), (torch.zeros(4),), strict=False)
    src = tmp_path / "ok.pt2"
    torch.export.save(ep, str(src))
    with zipfile.ZipFile(src) as z:
        name = next(n for n in z.namelist() if n.endswith("models/model.json"))
        program = json.loads(z.read(name))
    patched = 0
    for node in program["graph_module"]["graph"]["nodes"]:
        if "_reshape_alias_copy" in node["target"]:
            for arg in node["inputs"]:
                if arg["name"] == "size":
                    arg["arg"] = {"as_ints": [65540]}
                    patched += 1
    assert patched == 1
    data = _rewrite(src, {name.split("/", 1)[1]: json.dumps(program).encode()})
    for report in (scan_paths([src]), _scan(tmp_path, data)):
        hits = [f for f in report.findings if f.rule_id == "AIR-PT-003"]
        assert hits and denied(report), report.findings
        assert "_reshape_alias_copy" in hits[0].evidence
