"""TorchScript code is judged against an allowlist: real scripted/traced saves stay clean, and
load-time code that reaches files (the red-team ``torch.from_file(path, True, n)`` write in
``__setstate__``) is denied however it is spelled."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.handlers.torchscript_code import judge, policy
from airlock.scan.result import ScanReport

torch = pytest.importorskip("torch")
nn = torch.nn


def assert_clean(report: ScanReport) -> None:
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == [], [(o.location, o.member, o.reason) for o in report.not_scanned]


def blocking(report: ScanReport) -> list[tuple[str, str]]:
    return [(f.rule_id, f.evidence) for f in report.findings if f.severity >= Severity.HIGH]


class _Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2)
        self.ff = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 8))
        self.ln = nn.LayerNorm(8)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.attn(x, x, x)
        return self.ln(x + y)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.ff(self.encode(x))


class _Outer(nn.Module):
    """Calls a method another code member defines, keeps a dict and formats strings."""

    def __init__(self) -> None:
        super().__init__()
        self.block = _Block()
        self.names: dict[str, int] = {"a": 1}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.block.encode(x)
        if x.dim() != 3:
            raise ValueError(f"expected 3 dims, got {x.dim()}")
        for k, v in self.names.items():
            h = h * float(v) + len(k)
        with torch.no_grad():
            h = torch.nn.functional.softmax(h, dim=-1)
        return h


class _Stateful(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.x = 1

    @torch.jit.export
    def __getstate__(self) -> tuple[int, bool]:
        return (self.x, self.training)

    @torch.jit.export
    def __setstate__(self, s: tuple[int, bool]) -> None:
        self.x = s[0]
        self.training = s[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.x


class _LstmHead(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.rnn = nn.LSTM(8, 16, num_layers=2, batch_first=True)
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.rnn(x)
        return self.head(y[:, -1])


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("ts_honest")
    torch.manual_seed(0)
    seq = torch.randn(5, 2, 8)
    img = torch.randn(1, 3, 8, 8)
    x1 = torch.randn(2, 3, 4)
    scripted = {
        "lstm": nn.LSTM(8, 4, 2, bidirectional=True),
        "gru": nn.GRU(8, 4, batch_first=True),
        "encoder": nn.TransformerEncoderLayer(8, 2, 16, norm_first=True),
        "decoder": nn.TransformerDecoderLayer(8, 2, 16),
        "convnet": nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.1), nn.Linear(4, 2),
        ),
        "embedding_bag": nn.EmbeddingBag(10, 4, mode="mean"),
        "outer": _Outer(),
        "stateful": _Stateful(),
    }  # fmt: skip
    for name, module in scripted.items():
        torch.jit.script(module).save(str(d / f"s_{name}.pt"))
    traced = {
        "mha": (nn.MultiheadAttention(8, 2), (seq, seq, seq)),
        "transformer": (nn.Transformer(8, 2, 1, 1, 16), (seq, seq)),
        "convnet": (scripted["convnet"], (img,)),
        "norms": (nn.Sequential(nn.BatchNorm1d(3), nn.LocalResponseNorm(2)), (x1,)),
    }  # fmt: skip
    for name, (module, args) in traced.items():
        torch.jit.trace(module.eval(), args, check_trace=False).save(str(d / f"t_{name}.pt"))
    qd = torch.ao.quantization.quantize_dynamic(
        nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4)), {nn.Linear}, dtype=torch.qint8
    )
    torch.jit.script(qd).save(str(d / "s_quantized_dynamic.pt"))
    # dynamically quantized LSTM: its code names __torch__.torch.classes.rnn.CellParamsBase
    qlstm = torch.ao.quantization.quantize_dynamic(
        _LstmHead().eval(), {nn.LSTM, nn.Linear}, dtype=torch.qint8
    )
    torch.jit.script(qlstm).save(str(d / "s_quantized_lstm.pt"))
    torch.jit.trace(qlstm, (torch.randn(2, 5, 8),)).save(str(d / "t_quantized_lstm.pt"))
    frozen = torch.jit.freeze(torch.jit.script(scripted["convnet"].eval()))
    frozen.save(str(d / "s_frozen.pt"))
    return d


HONEST = [
    "s_lstm.pt", "s_gru.pt", "s_encoder.pt", "s_decoder.pt", "s_convnet.pt",
    "s_embedding_bag.pt", "s_outer.pt", "s_stateful.pt", "t_mha.pt", "t_transformer.pt",
    "t_convnet.pt", "t_norms.pt", "s_quantized_dynamic.pt", "s_frozen.pt",
    "s_quantized_lstm.pt", "t_quantized_lstm.pt",
]  # fmt: skip


@pytest.mark.parametrize("name", HONEST)
def test_real_torchscript_saves_are_clean(honest: Path, name: str) -> None:
    report = scan_paths([honest / name])
    assert report.objects[0].format == "torchscript"
    assert any(o.format == "torchscript-code" for o in report.objects)
    assert_clean(report)


def _inject(base: Path, lines: list[str]) -> bytes:
    """The saved ``_Stateful`` archive with ``lines`` added to its ``__setstate__`` (run by
    ``torch.jit.load``), the way the red-team sample was made."""
    out = io.BytesIO()
    anchor = b"    self.training = (s)[1]\n"
    extra = "".join(f"    {line}\n" for line in lines).encode()
    injected = 0
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".py") and anchor in data:
                data = data.replace(anchor, anchor + extra)
                injected += 1
            dst.writestr(info.filename, data)
    assert injected == 1
    return out.getvalue()


KEEP = [
    "_0 = torch.copy_(t, torch.tensor([80, 80, 80, 80], dtype=0))",
    "self.x = int(torch.sum(t))",
]
WRITERS = {
    "red_team": ['t = torch.from_file("{p}", True, 4, dtype=0)', *KEEP],
    "keywords": ['t = torch.from_file(filename="{p}", shared=True, size=4, dtype=0)', *KEEP],
    "ops_aten": ['t = ops.aten.from_file("{p}", True, 4, dtype=0)', *KEEP],
    "autograd": ['t = torch.autograd.from_file("{p}", True, 4, dtype=0)', *KEEP],
    "other_ns_autograd": ['t = ops.evil.autograd.from_file("{p}", True, 4, dtype=0)', *KEEP],
    "alias": ["_9 = torch.from_file", 't = _9("{p}", True, 4, dtype=0)', *KEEP],
    "getattr": ['t = getattr(torch, "from_file")("{p}", True, 4, dtype=0)', *KEEP],
    "fork": ['_8 = fork(torch.from_file, "{p}", True, 4, dtype=0)', "t = torch.wait(_8)", *KEEP],
    "save": ['torch.save(torch.tensor([80]), "{p}")'],
}
# do not load in torch 2.13 (still denied: a later torch may resolve them)
NOT_LOADING = {
    "torch_ops_aten": ['t = torch.ops.aten.from_file("{p}", True, 4, dtype=0)', *KEEP],
    "math": ['t = math.from_file("{p}", True, 4, dtype=0)', *KEEP],
}


@pytest.fixture(scope="module")
def stateful_base(honest: Path) -> Path:
    return honest / "s_stateful.pt"


@pytest.mark.parametrize("variant", sorted(WRITERS) + sorted(NOT_LOADING))
def test_file_writing_setstate_is_denied(tmp_path: Path, stateful_base: Path, variant: str) -> None:
    lines = {**WRITERS, **NOT_LOADING}[variant]
    target = tmp_path / "victim.pth"
    path = tmp_path / "m.pt"
    path.write_bytes(_inject(stateful_base, [ln.format(p=target) for ln in lines]))
    report = scan_paths([path])
    assert ("AIR-TS-001", "critical") in {(f.rule_id, str(f.severity)) for f in report.findings}, (
        report.findings
    )


@pytest.mark.parametrize("variant", ["red_team", "getattr", "fork", "other_ns_autograd"])
def test_the_writers_really_write(tmp_path: Path, stateful_base: Path, variant: str) -> None:
    """torch.jit.load (in a child process) overwrites the file: detecting them matters."""
    target = tmp_path / "victim.pth"
    target.write_bytes(b"AAAA")
    path = tmp_path / "m.pt"
    path.write_bytes(_inject(stateful_base, [ln.format(p=target) for ln in WRITERS[variant]]))
    code = f"import torch; torch.jit.load({str(path)!r})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert target.read_bytes() == b"PPPP"


OTHER_DENIED = {
    "set_storage": (["_7 = torch.set_(torch.empty([0]), torch.empty([0]))"], "AIR-TS-001"),
    "method_set": (["_7 = (torch.empty([0])).set_(torch.empty([0]))"], "AIR-TS-001"),
    "custom_ns": (["_7 = ops.my_ns.frobnicate(self.x)"], "AIR-TS-002"),
    "torchbind": (["_7 = __torch__.torch.classes.my_ns.Writer.__new__(self.x)"], "AIR-TS-002"),
    "unknown_aten": (["_7 = torch.no_such_op(self.x)"], "AIR-TS-004"),
    "manual_seed": (["torch.manual_seed(0)"], "AIR-TS-004"),
    "python_op": (["_7 = ops.prim.PythonOp(self.x)"], "AIR-TS-004"),
    "distributed": (["_7 = ops.c10d.broadcast(self.x)"], "AIR-TS-004"),
    "unknown_method": (["_7 = (self).frobnicate(self.x)"], "AIR-TS-004"),
    "torch_C": (["_7 = torch._C._jit_pass(self.x)"], "AIR-TS-004"),
    "unknown_bare": (["_7 = frobnicate(self.x)"], "AIR-TS-004"),
    "open": (['_7 = open("/tmp/x", "w")'], "AIR-TS-001"),
    "os_module": (['_7 = os.system("id")'], "AIR-TS-001"),
    "import": (["import os"], "AIR-TS-001"),
    "bare_torch": (["_7 = torch"], "AIR-TS-004"),
    "computed_getattr": (['_7 = getattr(torch, "from_" + "file")'], "AIR-TS-004"),
    # memory-unsafe with crafted sizes/indices (no storage-bounds check): red-team t1/t1b
    "reshape_alias": (["_7 = torch._reshape_alias(torch.empty([4]), [65536], [1])"], "AIR-TS-004"),
    "reshape_alias_method": (["_7 = (torch.empty([4]))._reshape_alias_copy([65536], [1])"],
                             "AIR-TS-004"),
    "sparse_coo": (["_7 = torch.sparse_coo_tensor(torch.tensor([[68719476736]]), "
                    "torch.ones([1]), [4])"], "AIR-TS-004"),
    "sparse_csr": (["_7 = torch.sparse_csr_tensor(torch.tensor([0, 1073741824]), "
                    "torch.tensor([1]), torch.ones([1]), [1, 4])"], "AIR-TS-004"),
    "sparse_index_alias": (["_7 = torch.fill_((torch.empty([4])).to_sparse()._indices(), 9)"],
                           "AIR-TS-004"),
    "pool_backward": (["_7 = ops.aten.max_pool2d_with_indices_backward(self.x)"], "AIR-TS-004"),
    "defined_method_named_like_one": (["_7 = (self)._reshape_alias(self.x)"], "AIR-TS-004"),
}  # fmt: skip


@pytest.mark.parametrize("variant", sorted(OTHER_DENIED))
def test_other_unlisted_code_is_denied(tmp_path: Path, stateful_base: Path, variant: str) -> None:
    lines, rule = OTHER_DENIED[variant]
    path = tmp_path / "m.pt"
    path.write_bytes(_inject(stateful_base, lines))
    report = scan_paths([path])
    assert rule in {f.rule_id for f in report.findings}, report.findings
    assert blocking(report)


def test_method_defined_in_the_archive_cannot_stand_in_for_an_excluded_operator() -> None:
    import ast

    tree = ast.parse("def seed(self):\n    return 1\ndef f(self, t):\n    return (t).seed()\n")
    rules = {rule.rule_id for rule, _, _ in judge(tree, frozenset({"seed"}))}
    assert rules == {"AIR-TS-004"}


def test_policy_file_is_consistent() -> None:
    pol = policy()
    for ns, ops in pol.allow.items():
        assert not ops & pol.dangerous, ns
    assert not pol.allow["aten"] & pol.aten_excluded
    assert {"from_file", "save", "set_"} <= pol.dangerous
    assert {"linear", "conv2d", "lstm", "add", "format", "append"} <= pol.allow["aten"]
    raw = json.loads(
        (
            Path(__file__).resolve().parents[2] / "src/airlock/scan/data/torchscript_allowlist.json"
        ).read_text()
    )
    assert raw["schema"] == 1


class _Leak(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten._reshape_alias_copy(x, [x.numel() + 65536], [1])  # OOB read


class _Smash(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.ops.aten._reshape_alias(x, [1 << 26], [1])  # view far past the storage
        y.fill_(1.0)  # OOB write
        return x


class _SparseSmash(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = torch.sparse_coo_tensor(torch.tensor([[1 << 36]]), torch.ones(1), [4])
        return x + s.to_dense()  # OOB write: invariant checks are off by default


@pytest.mark.parametrize("module", [_Leak, _Smash, _SparseSmash])
def test_red_team_unchecked_memory_ops_are_denied(tmp_path: Path, module: type) -> None:
    """Red-team t1/t1b: scripted models that read/write past a storage through allowlisted ops
    with unchecked sizes/indices (torch.jit.load + forward leaks heap or SIGSEGVs)."""
    path = tmp_path / "m.pt"
    torch.jit.script(module()).save(str(path))
    report = scan_paths([path])
    assert "AIR-TS-004" in {f.rule_id for f in report.findings}, report.findings
    assert blocking(report)


def test_as_strided_stays_allowed_because_torch_checks_it() -> None:
    """aten::as_strided* take raw sizes/strides/offset too, but torch checks them against the
    storage (setStorage) before any access, so they stay on the list."""
    x = torch.zeros(4)
    for call in (
        lambda: torch.as_strided(x, [65540], [1]),
        lambda: torch.as_strided(x, [4], [1], 1 << 30),
        lambda: torch.zeros(4).as_strided_([65540], [1]),
        lambda: torch.ops.aten.as_strided_copy(x, [65540], [1]),
        lambda: torch.as_strided_scatter(x, torch.ones(65540), [65540], [1]),
    ):
        with pytest.raises(RuntimeError, match="setStorage"):
            call()
    pol = policy()
    assert {"as_strided", "as_strided_", "as_strided_copy", "as_strided_scatter"} <= pol.allow[
        "aten"
    ]


def test_unchecked_ops_are_off_the_list() -> None:
    pol = policy()
    required = {
        "_reshape_alias", "_reshape_alias_copy", "sparse_coo_tensor", "sparse_csr_tensor",
        "sparse_compressed_tensor", "_sparse_coo_tensor_with_dims_and_tensors",
        "_nested_view_from_jagged", "_indices", "max_pool2d_with_indices_backward",
    }  # fmt: skip
    assert required <= pol.unchecked["aten"]
    for ns, ops in pol.unchecked.items():
        assert not ops & pol.allow.get(ns, frozenset()), ns
    assert pol.unchecked["aten"] <= pol.aten_excluded
    assert "_backward" in pol.allow["aten"]  # Tensor.backward() is not a raw-index kernel
