"""Session 18 red team rt19ts: TorchScript / lite-interpreter / PT2 / torch.package bypasses found
with the real loaders as oracles (each hostile archive is built here; the loaders run only in
child processes of the oracle tests)."""

from __future__ import annotations

import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from airlock.scan.engine import scan_paths

torch = pytest.importorskip("torch")
nn = torch.nn


class _CloneSub(nn.Module):
    def __init__(self, w: torch.Tensor) -> None:
        super().__init__()
        self.w = w

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, bool]:
        return (self.w, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]) -> None:
        self.w = torch.clone(state[0])
        self.training = state[1]


class _ManySubs(nn.Module):
    def __init__(self, weights: list[torch.Tensor]) -> None:
        super().__init__()
        self.subs = nn.ModuleList([_CloneSub(w) for w in weights])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


@pytest.fixture
def no_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load-cost budget without its 64 MiB floor, so small fixtures show the rule."""
    from airlock.scan import load_cost

    monkeypatch.setattr(load_cost, "FLOOR_BYTES", 0)


def _lite(module: nn.Module, path: Path, drop: tuple[str, ...] = ()) -> Path:
    """Saved for the lite interpreter, members whose name contains one of ``drop`` left out."""
    full = path.with_suffix(".full")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.script(module)._save_for_lite_interpreter(str(full))
    with zipfile.ZipFile(full) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            if not any(d in info.filename for d in drop):
                zout.writestr(info, zin.read(info))
    full.unlink()
    return path


def _ts005(path: Path) -> list[str]:
    return [f.evidence for f in scan_paths([path]).findings if f.rule_id == "AIR-TS-005"]


@pytest.mark.parametrize("drop", [("/code/",), ("/code/", "constants.pkl")])
def test_lite_bytecode_setstate_cost_counts_per_object(
    no_floor: None, drop: tuple[str, ...], tmp_path: Path
) -> None:
    """rt19ts: 300 objects whose bytecode ``__setstate__`` clones ONE shared 4 MiB tensor, in a
    ``.ptl`` without ``code/`` (and without constants.pkl): 1,432 MiB at
    ``_load_for_lite_interpreter`` from a 4.2 MB archive, ALLOW before (the per-object cost
    came from ``code/`` only). Here 40 objects share 64 KiB; each with its own stays clean."""
    shared = torch.zeros(1 << 14)
    found = _ts005(_lite(_ManySubs([shared] * 40), tmp_path / "shared.ptl", drop))
    assert any("object(s) rebuilt at load" in e and "_CloneSub" in e for e in found), found
    own = [torch.zeros(1 << 14) for _ in range(40)]
    assert _ts005(_lite(_ManySubs(own), tmp_path / "own.ptl", drop)) == []


def test_lite_bytecode_cost_wins_over_disagreeing_code(no_floor: None, tmp_path: Path) -> None:
    """The same archive with ``code/`` kept but its ``__setstate__`` rewritten to copy nothing:
    the lite interpreter still runs the bytecode's clone per object."""
    path = _lite(_ManySubs([torch.zeros(1 << 14)] * 40), tmp_path / "full.ptl")
    edited = tmp_path / "edited.ptl"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if "/code/" in info.filename and info.filename.endswith(".py"):
                data = data.replace(b"torch.clone((state)[0])", b"(state)[0]")
            zout.writestr(info, data)
    with zipfile.ZipFile(edited) as z:
        code = [n for n in z.namelist() if "/code/" in n and n.endswith(".py")]
        assert code and b"torch.clone" not in b"".join(z.read(n) for n in code)
    found = _ts005(edited)
    assert any("object(s) rebuilt at load" in e and "_CloneSub" in e for e in found), found


def test_mobile_setstate_costs_from_bytecode() -> None:
    from airlock.scan.torchscript_load import mobile_setstate_costs

    a_ops = [("prim::TupleUnpack", ""), ("aten::clone", ""), ("aten::eq", "str")]
    costs = mobile_setstate_costs(
        {
            "__torch__.A": (a_ops, False),
            "__torch__.B": (None, False),
            "__torch__.C": ([("quantized::conv2d_prepack", "")], True),
        }
    )
    assert costs["__torch__.A"] == (2.0, False)
    assert costs["__torch__.B"] == (float("inf"), False)
    assert costs["__torch__.C"] == (1.0, True)
    assert "" not in costs  # the lite loader finds __setstate__ by the exact class name


# peak resident KiB of this process's own memory (VmHWM; ru_maxrss keeps the parent's across exec)
_LITE_ORACLE = (
    "import sys, torch\n"
    "from torch.jit.mobile import _load_for_lite_interpreter\n"
    "_load_for_lite_interpreter(sys.argv[1])\n"
    "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
)


def test_lite_loader_runs_bytecode_setstate_per_object(tmp_path: Path) -> None:
    """The oracle: without ``code/``, the lite interpreter's peak memory grows with the number of
    objects cloning one shared tensor (40 x 4 MiB here)."""
    peaks = []
    for n in (1, 40):
        path = _lite(_ManySubs([torch.zeros(1 << 20)] * n), tmp_path / f"m{n}.ptl", ("/code/",))
        run = subprocess.run(
            [sys.executable, "-c", _LITE_ORACLE, str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-500:]
        peaks.append(int(run.stdout.split()[-1]))
    assert peaks[1] - peaks[0] > 100_000, peaks  # KiB: 39 more copies of 4 MiB


class _Plain(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


def _opaque_object(marker: Path) -> bytes:
    """Pickle opcodes building ``__torch__.torch.classes.aten.OpaqueObject`` as torch's pickler
    writes a TorchBind object (GLOBAL, EMPTY_TUPLE, NEWOBJ, state, BUILD); its C++
    ``__setstate__`` runs ``pickle.loads(base64.b64decode(state))``: here ``open(marker, "w")``."""
    import base64
    import pickle
    import struct

    class _Payload:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(marker), "w"))

    state = base64.b64encode(pickle.dumps(_Payload(), protocol=2))
    return (
        b"c__torch__.torch.classes.aten\nOpaqueObject\n)\x81"
        + b"X"
        + struct.pack("<I", len(state))
        + state
        + b"b"
    )


def _with_opaque_constant(path: Path, marker: Path, lite: bool = False) -> Path:
    """A scripted module whose constants.pkl is one OpaqueObject (the code never names it)."""
    full = path.with_suffix(".full")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        script = torch.jit.script(_Plain())
        if lite:
            script._save_for_lite_interpreter(str(full))
        else:
            torch.jit.save(script, str(full))
    with zipfile.ZipFile(full) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("/constants.pkl"):
                data = b"\x80\x02" + _opaque_object(marker) + b"\x85."
            zout.writestr(info, data)
    full.unlink()
    return path


@pytest.mark.parametrize("lite", [False, True])
def test_torchbind_opaque_object_is_critical(lite: bool, tmp_path: Path) -> None:
    """rt19ts: the ``__torch__.`` allow prefix let a native TorchBind class through; torch.jit.load
    ran the payload of ``aten.OpaqueObject`` (marker file written), ALLOW before."""
    path = _with_opaque_constant(tmp_path / "m.pt", tmp_path / "marker", lite=lite)
    found = [(f.rule_id, f.severity.name) for f in scan_paths([path]).findings]
    assert ("AIR-PKL-001", "CRITICAL") in found, found


def test_torchbind_classes_outside_the_policy_are_not_archive_code() -> None:
    from airlock.scan.allowlist import native_torchbind

    assert native_torchbind("__torch__.torch.classes.aten.OpaqueObject")
    assert native_torchbind("__torch__.torch.classes.c10d.ProcessGroup")
    assert not native_torchbind("__torch__.torch.classes.quantized.LinearPackedParamsBase")
    assert not native_torchbind("__torch__.torch.classes.rnn.CellParamsBase")
    assert not native_torchbind("__torch__.MyModule")


_JIT_ORACLE = "import sys, torch\ntorch.jit.load(sys.argv[1])\n"


def test_opaque_object_runs_its_payload_in_the_real_loader(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    path = _with_opaque_constant(tmp_path / "m.pt", marker)
    run = subprocess.run(
        [sys.executable, "-c", _JIT_ORACLE, str(path)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert marker.exists()
