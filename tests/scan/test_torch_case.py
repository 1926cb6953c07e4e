"""torch's zip reader looks records up ignoring ASCII case (miniz without
``MZ_ZIP_FLAG_CASE_SENSITIVE``): ``x/DATA.PKL`` loads as ``data.pkl``, ``x/CODE/m.py`` compiles as
``code/m.py``, a PT2 ``path_name`` ``WEIGHT_0`` reads ``weight_0``. Red-team round 4 (H1-H3, H7)
renamed members so Airlock's exact-name roles missed them; names are now compared folded, and
names that differ only in case are denied (AIR-PT-004: which one torch returns is undecided)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from airlock.formats import torch as tf
from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport

from . import samples

torch = pytest.importorskip("torch")
nn = torch.nn


def denied(report: ScanReport) -> bool:
    return bool(report.not_scanned) or any(f.severity >= Severity.HIGH for f in report.findings)


def rules(report: ScanReport) -> set[str]:
    return {f.rule_id for f in report.findings}


def assert_clean(report: ScanReport) -> None:
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == [], [(o.member, o.reason) for o in report.not_scanned]


def scan(path: Path) -> ScanReport:
    return scan_paths([path])


def rewrite(src: Path, dst: Path, edit: object) -> Path:
    """Copy a zip member by member through ``edit(name, data) -> [(name, data), ...]``."""
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for info in zin.infolist():
            for name, data in edit(info.filename, zin.read(info.filename)):  # type: ignore[operator]
                z.writestr(name, data)
    return dst


def child(code: str) -> str:
    """Run the real loader in a child process (harmless payloads only)."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    return run.stdout + run.stderr


class _Plain(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


class _Alias(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten._reshape_alias(x, [1 << 28], [1 << 20]).sum()


class _Lin(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.c = torch.ones(2)  # a tensor constant (data/constants/tensor_0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(x) + self.c


# ---- the folding helper ---------------------------------------------------------------------


def test_fold_is_ascii_only_like_miniz() -> None:
    assert tf.fold("X/DATA.PKL") == "x/data.pkl"
    assert tf.fold("x/Ä.PY") == "x/Ä.py"  # MZ_TOLOWER touches A-Z only


def test_roles_are_given_by_folded_names() -> None:
    layout = tf.classify_members(
        ["x/DATA.PKL", "x/CODE/__torch__.PY", "x/Data/0", "x/VERSION", "x/BYTECODE.pkl"]
    )
    assert layout.pickles == ["x/DATA.PKL", "x/BYTECODE.pkl"]
    assert layout.code == ["x/CODE/__torch__.PY"]
    assert layout.storages == ["x/Data/0"]
    assert layout.metadata == ["x/VERSION"]
    assert tf.is_torch_zip(["x/DATA.PKL"])


def test_code_beside_a_code_pickle_is_still_code() -> None:
    """A sibling ``x/CODE.pkl`` once made ``x/CODE/*.py`` look like its tensor storages."""
    layout = tf.classify_members(["x/data.pkl", "x/CODE.pkl", "x/CODE/__torch__.py", "x/EXTRA.pkl",
                                  "x/EXTRA/notes"])  # fmt: skip
    assert layout.code == ["x/CODE/__torch__.py"]
    assert "x/EXTRA/notes" in layout.other and not layout.storages


def test_case_clashes() -> None:
    assert tf.case_clashes(["x/data.pkl", "x/DATA.PKL", "x/a", "x/a", "x/d/", "x/D/"]) == [
        ["x/DATA.PKL", "x/data.pkl"]
    ]


# ---- torch.save / TorchScript / mobile ------------------------------------------------------


def test_upper_case_data_pkl_is_judged(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    data = samples.torch_zip(samples.evil_pickle(marker), prefix="x")
    src = tmp_path / "plain.pt"
    src.write_bytes(data)
    out = rewrite(src, tmp_path / "case.pt", lambda n, d: [(n.replace("data.pkl", "DATA.PKL"), d)])
    report = scan(out)
    assert any(f.severity >= Severity.CRITICAL for f in report.findings)


def test_case_variant_names_are_denied(tmp_path: Path) -> None:
    src = tmp_path / "honest.pt"
    torch.save({"w": torch.ones(2)}, src)

    def twin(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.endswith("/data.pkl"):
            return [(name, data), (name.replace("data.pkl", "Data.pkl"), data)]
        return [(name, data)]

    report = scan(rewrite(src, tmp_path / "twin.pt", twin))
    assert "AIR-PT-004" in rules(report) and denied(report)


def _ts_case(tmp_path: Path, body: str, extra: bool = False) -> Path:
    honest = tmp_path / "ts.pt"
    torch.jit.save(torch.jit.script(_Plain()), str(honest))

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        out = []
        if "/code/" in name and name.endswith(".py"):
            src = data.decode()
            data = (src[: src.index("    return torch.add(x, 1)")] + body).encode()
            if extra:  # a sibling CODE.pkl: CODE/ once read as its storages
                out.append((name.split("/code/")[0] + "/CODE.pkl", pickle.dumps(1)))
        return [*out, (name.replace("/code/", "/CODE/"), data)]

    return rewrite(honest, tmp_path / "ts_case.pt", edit)


@pytest.mark.parametrize("extra", [False, True])
def test_upper_case_torchscript_code_is_judged_as_torchscript(tmp_path: Path, extra: bool) -> None:
    """H2: ``x/CODE/__torch__.py`` is compiled by torch.jit.load; a file-backed op in it."""
    body = '    return torch.add(torch.from_file("/nonexistent/airlock", True, 4), x)\n'
    report = scan(_ts_case(tmp_path, body, extra))
    assert "AIR-TS-001" in rules(report) and denied(report)


def test_upper_case_torchscript_code_unchecked_view_op(tmp_path: Path) -> None:
    """H2 variant: aten::_reshape_alias (unchecked strides, out-of-bounds read)."""
    report = scan(_ts_case(tmp_path, "    return torch._reshape_alias(x, [1 << 28], [1 << 20])\n"))
    assert denied(report) and rules(report) & {"AIR-TS-001", "AIR-TS-004"}


def test_upper_case_mobile_bytecode_is_judged(tmp_path: Path) -> None:
    """H3: the lite interpreter runs ``x/BYTECODE.pkl`` (code/ dropped)."""
    lite = tmp_path / "m.ptl"
    torch.jit.script(_Alias())._save_for_lite_interpreter(str(lite))

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if "/code/" in name:
            return []
        return [(name.replace("/bytecode.pkl", "/BYTECODE.pkl"), data)]

    report = scan(rewrite(lite, tmp_path / "case.ptl", edit))
    assert denied(report)
    assert any("_reshape_alias" in f.evidence for f in report.findings)


def test_honest_torch_outputs_stay_clean(tmp_path: Path) -> None:
    torch.save({"w": torch.ones(3), "n": 1}, tmp_path / "w.pt")
    torch.jit.save(torch.jit.script(_Plain()), str(tmp_path / "ts.pt"))
    torch.jit.script(_Plain())._save_for_lite_interpreter(str(tmp_path / "m.ptl"))
    for name in ("w.pt", "ts.pt", "m.ptl"):
        assert_clean(scan(tmp_path / name))


# ---- torch.export PT2 -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pt2") / "m.pt2"
    torch.export.save(torch.export.export(_Lin(), (torch.ones(1, 2),)), str(path))
    return path


def _pt2_case(pt2: Path, dst: Path, marker: Path, kind: str) -> Path:
    """A raw payload file rewritten to an evil pickle, and a second config entry naming it in
    another case with ``use_pickle: true`` (H7: ``weight_0`` + ``WEIGHT_0``; constants must start
    with ``tensor_``, so ``tensor_a`` + ``tensor_A``)."""
    evil = pickle.dumps(samples.SystemPayload(marker), protocol=2)
    evil += b" " * (-len(evil) % 4)  # whole float32 elements
    if kind == "weights":
        old, raw, alias, config = "weight_0", "weight_0", "WEIGHT_0", "_weights_config.json"
    else:
        old, raw, alias, config = "tensor_0", "tensor_a", "tensor_A", "_constants_config.json"

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.endswith(f"data/{kind}/{old}"):
            name, data = name[: -len(old)] + raw, evil
        if name.endswith(config):
            cfg = json.loads(data)
            for entry in cfg["config"].values():
                if entry["path_name"] == old:
                    entry["path_name"] = raw
            cfg["config"]["zz_extra"] = {"path_name": alias, "is_param": False,
                                         "use_pickle": True, "tensor_meta": None}  # fmt: skip
            data = json.dumps(cfg).encode()
        return [(name, data)]

    return rewrite(pt2, dst, edit)


def test_honest_pt2_is_clean(pt2: Path) -> None:
    assert_clean(scan(pt2))


@pytest.mark.parametrize("kind", ["weights", "constants"])
def test_pt2_path_names_resolve_case_folded(tmp_path: Path, pt2: Path, kind: str) -> None:
    """H7: the raw ``weight_0`` (skipped unread) is what torch unpickles for ``WEIGHT_0``."""
    report = scan(_pt2_case(pt2, tmp_path / "case.pt2", tmp_path / "marker", kind))
    assert "AIR-PT-002" in rules(report) and denied(report)
    assert any(f.severity >= Severity.CRITICAL for f in report.findings)


def test_pt2_case_variant_members_are_denied(tmp_path: Path, pt2: Path) -> None:
    def twin(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.endswith("data/weights/weight_0"):
            return [(name, data), (name.replace("weight_0", "Weight_0"), data)]
        return [(name, data)]

    report = scan(rewrite(pt2, tmp_path / "twin.pt2", twin))
    assert "AIR-PT-004" in rules(report) and denied(report)


# ---- what the real loader does (child processes, harmless payloads) -------------------------


def test_oracle_torch_reads_records_ignoring_case(tmp_path: Path) -> None:
    src = tmp_path / "w.pt"
    torch.save({"w": 7}, src)
    out = rewrite(src, tmp_path / "case.pt", lambda n, d: [(n.replace("data.pkl", "DATA.PKL"), d)])
    assert "{'w': 7}" in child(f"import torch; print(torch.load({str(out)!r}))")


def test_oracle_case_variants_pick_depends_on_other_members() -> None:
    """Why AIR-PT-004 denies rather than picks: the same two names load differently with the
    number of unrelated members (miniz binary search over a heap-sorted directory)."""
    code = (
        "import io, pickle, zipfile, torch\n"
        "seen = set()\n"
        "for n in range(8):\n"
        "    b = io.BytesIO()\n"
        "    with zipfile.ZipFile(b, 'w') as z:\n"
        "        for nm in ('x/data.pkl', 'x/DATA.PKL'):\n"
        "            z.writestr(nm, pickle.dumps(nm, protocol=2))\n"
        "        for i in range(n):\n"
        "            z.writestr(f'x/extra_{i}', b'')\n"
        "        z.writestr('x/version', b'3\\n')\n"
        "    seen.add(torch.load(io.BytesIO(b.getvalue())))\n"
        "print(sorted(seen))\n"
    )
    assert "['x/DATA.PKL', 'x/data.pkl']" in child(code)


@pytest.mark.parametrize("kind", ["weights", "constants"])
def test_oracle_pt2_case_payload_runs(tmp_path: Path, pt2: Path, kind: str) -> None:
    marker = tmp_path / "marker"
    case = _pt2_case(pt2, tmp_path / "case.pt2", marker, kind)
    child(f"import torch; torch.export.load({str(case)!r})")
    assert marker.exists()  # the hole was real: the scan above must deny it
    assert denied(scan(case))


@pytest.mark.parametrize("extra", ["code/x.py", "xconstants.pkl"])
def test_torchscript_lookalike_keeps_jit_pickle_attribute_walks(tmp_path: Path, extra: str) -> None:
    """Red team rt13: a member under code/ (or a name ending in constants.pkl) made Airlock read
    a torch.save zip as TorchScript and drop every finding under ``torch.jit._pickle.``; torch.load
    delegates to torch.jit only with a constants.pkl record, so the Python unpickler walked
    ``torch.jit._pickle.__loader__.set_data`` and wrote a file of the pickle's choosing (ALLOW)."""
    marker = tmp_path / "written"
    path = tmp_path / "plain.pt"
    torch.save({"w": torch.zeros(2)}, path)
    gadget = (
        b"\x80\x04\x8c\x11torch.jit._pickle\x8c\x13__loader__.set_data\x93("
        + b"X" + len(str(marker)).to_bytes(4, "little") + str(marker).encode()
        + b"C\x05pwnedtR0}."
    )  # fmt: skip

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if not name.endswith("/data.pkl"):
            return [(name, data)]
        root = name.rsplit("/", 1)[0]
        return [(name, gadget), (f"{root}/{extra}", b"def f(x):\n    return x\n")]

    evil = rewrite(path, tmp_path / "evil.pt", edit)
    out = child(f"import torch; torch.load({str(evil)!r}, weights_only=False)")
    assert marker.read_bytes() == b"pwned", out  # the loader walked the path and wrote
    report = scan(evil)
    assert denied(report)
    assert "AIR-PKL-008" in rules(report) or "AIR-PKL-001" in rules(report)
