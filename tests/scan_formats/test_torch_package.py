"""torch.package archives (red-team session 11, f2): PackageImporter.load_pickle imports a module
a pickle names from the archive itself unless .data/extern_modules lists it, so an archive that
ships collections/__init__.py runs it for a pickle naming only collections.OrderedDict. Globals
are resolved as the importer resolves them: the archive's own module is AIR-PT-010 (critical
when it passes for a standard-library, torch or allowlisted module), .data/N.storage records the
pickles name are raw tensor bytes, and an honest package of extern'd torch modules is clean."""

from __future__ import annotations

import collections
import pickle
import zipfile
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan
from airlock.scan.torch_package import PackageLayout, package_root

PAYLOAD = "import os\nlist(map(os.system, ['id']))\nfrom _collections import OrderedDict\n"


def _shadowing(
    path: Path, protocol: int = 3, externs: str = "os\n_collections\n", name: str = "model.pkl"
) -> Path:
    data = pickle.dumps(collections.OrderedDict(a=1), protocol=protocol)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"pkg/model/{name}", data)
        z.writestr("pkg/collections/__init__.py", PAYLOAD)
        z.writestr("pkg/.data/extern_modules", externs)
        z.writestr("pkg/.data/version", "6\n")
        z.writestr("pkg/.data/python_version", "3.11\n")
        z.writestr("pkg/byteorder", "little")
    return path


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_shipped_collections_is_critical(tmp_path: Path, protocol: int) -> None:
    report = scan(_shadowing(tmp_path / "pkg.pt", protocol))
    own = [f for f in report.findings if f.rule_id == "AIR-PT-010"]
    assert {f.severity for f in own} == {Severity.CRITICAL}, report.findings
    on_pickle = [f for f in own if f.member and f.member.endswith("model.pkl")]
    assert on_pickle and "collections.OrderedDict" in on_pickle[0].evidence
    assert "standard-library" in on_pickle[0].evidence


@pytest.mark.parametrize("protocol", [0, 1])
def test_a_resource_not_named_pkl_resolves_the_same(tmp_path: Path, protocol: int) -> None:
    report = scan(_shadowing(tmp_path / "pkg.pt", protocol, name="weights.data"))
    on_pickle = [
        f for f in report.findings
        if f.rule_id == "AIR-PT-010" and (f.member or "").endswith("weights.data")
    ]  # fmt: skip
    assert on_pickle and on_pickle[0].severity == Severity.CRITICAL, report.findings


def test_shipped_stdlib_module_is_critical_even_when_no_pickle_names_it(tmp_path: Path) -> None:
    path = tmp_path / "p.pt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("p/data.bin", b"\0" * 8)
        z.writestr("p/json/__init__.py", "VALUE = 1\n")
        z.writestr("p/.data/extern_modules", "\n")
        z.writestr("p/.data/version", "6\n")
    report = scan(path)
    own = [f for f in report.findings if f.rule_id == "AIR-PT-010"]
    assert own and own[0].severity == Severity.CRITICAL and "'json'" in own[0].evidence


def test_extern_module_is_the_environment_s(tmp_path: Path) -> None:
    """collections extern: the archive's file under it is never the module (torch refuses)."""
    report = scan(_shadowing(tmp_path / "pkg.pt", externs="collections\nos\n"))
    assert not [f for f in report.findings if f.rule_id == "AIR-PT-010"]


def test_layout_resolves_as_package_importer() -> None:
    records = [
        "model/model.pkl", "mylib/__init__.py", "mylib/net.py", "plain/helpers.py",
        ".data/0.storage", ".data/extern_modules", ".data/version",
    ]  # fmt: skip
    layout = PackageLayout("p/", records, ["torch", "numpy.linalg", "collections"])
    assert layout.own_module("mylib.net.Net") == ("mylib", "mylib/__init__.py")
    assert layout.own_module("plain.helpers.f") == ("plain.helpers", "plain/helpers.py")
    assert layout.own_module("torch.nn.Linear") is None  # extern
    assert layout.own_module("collections.OrderedDict") is None
    assert layout.own_module("model.X") is None  # a namespace package: nothing runs
    assert layout.own_module("os.system") is None  # not in the archive: the import fails
    assert layout.own_module("torch_package_importer.import_module")  # the importer itself
    assert layout.shadowed("collections") == "standard-library module"
    assert layout.shadowed("torch.nn") == "torch module"
    assert layout.shadowed("mylib", "mylib.net.Net") is None
    assert package_root(["p/model/model.pkl", "p/.data/extern_modules", "p/.data/version"])
    assert package_root(["p/model.pkl", "p/.data/version"]) is None
    assert package_root(["a/.data/extern_modules", "b/.data/version"]) is None


torch = pytest.importorskip("torch")


class _Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(4, 2)


def test_honest_state_dict_package_is_clean(tmp_path: Path) -> None:
    from torch.package import PackageExporter

    path = tmp_path / "sd.pt"
    torch.manual_seed(0)
    with PackageExporter(str(path)) as pe:
        pe.extern("torch.**")
        pe.save_pickle("model", "weights.pkl", _Net().state_dict())
    report = scan(path)
    assert report.findings == []
    assert all(o.status == "scanned" for o in report.objects), [o.reason for o in report.objects]
    skipped = [n for o in report.objects for r, n in o.skipped.items() if "tensor storage" in r]
    assert skipped == [2]  # the Linear's weight and bias


def test_own_model_class_is_said_plainly(tmp_path: Path) -> None:
    from torch.package import PackageExporter

    path = tmp_path / "own.pt"
    source = (
        "import torch\nclass Net(torch.nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = torch.nn.Linear(4, 2)\n"
    )
    namespace: dict[str, object] = {"__name__": "ownmodel"}
    exec(compile(source, "ownmodel.py", "exec"), namespace)  # the test's own class
    net_cls = namespace["Net"]
    assert isinstance(net_cls, type)
    import sys
    import types

    mod = types.ModuleType("ownmodel")
    mod.__dict__.update(namespace)
    sys.modules["ownmodel"] = mod
    try:
        with PackageExporter(str(path)) as pe:
            pe.extern("torch.**")
            pe.save_source_string("ownmodel", source)
            pe.save_pickle("model", "model.pkl", net_cls())
    finally:
        del sys.modules["ownmodel"]
    report = scan(path)
    own = [f for f in report.findings if f.rule_id == "AIR-PT-010"]
    assert own and own[0].severity == Severity.HIGH and "ownmodel.Net" in own[0].evidence
    assert "runs" in own[0].evidence
    assert not [f for f in report.findings if f.rule_id == "AIR-PKL-002"], report.findings
    assert all(o.status == "scanned" for o in report.objects)


def test_storage_no_pickle_names_is_judged_by_content(tmp_path: Path) -> None:
    path = tmp_path / "p.pt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("p/model/model.pkl", pickle.dumps({"a": 1}, protocol=3))
        z.writestr("p/.data/7.storage", b"\xff\x00\x10\x80" * 4)
        z.writestr("p/.data/extern_modules", "\n")
        z.writestr("p/.data/version", "6\n")
    report = scan(path)
    assert report.findings == []
    assert not [r for o in report.objects for r in o.skipped if "tensor storage" in r]
    storage = [o for o in report.objects if (o.member or "").endswith(".data/7.storage")]
    assert storage and storage[0].status != "scanned"  # sniffed: no format it is read as


def test_a_package_named_like_safe_data_is_a_disguised_pickle_file(tmp_path: Path) -> None:
    report = scan(_shadowing(tmp_path / "model.safetensors"))
    disguised = [f for f in report.findings if f.rule_id == "AIR-SCAN-003"]
    assert disguised and disguised[0].member is None, report.findings
