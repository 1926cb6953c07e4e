"""Label/vocabulary text that reads as a broken import-only pickle is text; anything that could
do more, or imports a module that exists, is still judged as the pickle it reads as."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.gate import CheckOptions, check
from airlock.scan.engine import scan_paths
from airlock.scan.import_only_text import imports_only

LABEL_FILES = {
    "nli": "contradiction\nentailment\nneutral\n",
    "animals": "cat\ndog\n",
    "animals4": "cat\ndog\ncow\nchicken\n",
    "build_underflow": "cat\ndog\nbird\n",
    "mark_missing": "cheap\nexpensive\nlist\n",
    "topics": "culture\nsport\nfinance\n",
}


@pytest.mark.parametrize("name", sorted(LABEL_FILES))
def test_label_files_are_text_and_allowed(tmp_path: Path, name: str) -> None:
    model = tmp_path / "head"
    model.mkdir()
    (model / "labels.txt").write_text(LABEL_FILES[name])
    report = scan_paths([model])
    assert [f.rule_id for f in report.findings] == ["AIR-PKL-014"]
    assert report.objects[0].format == "text"
    assert check(model, CheckOptions()).allowed


# what pickle.load can do with each: import and call, import a real module, complete a pickle
STILL_PICKLES = {
    "calls_after_mark": b"cat\ndog\n(tR",
    "complete": b"cat\ndog\n(tR.",
    "known_module": b"cos\nsystem\n",
    "known_package": b"cnumpy\nload\nx\n",
    "python2_name": b"c__builtin__\neval\nx\n",
    "two_globals_then_reduce": b"cat\ndog\ncow\nchicken\nR",
    "inst_after_global": b"cat\ndog\niat\ncat\n",
}


@pytest.mark.parametrize("name", sorted(STILL_PICKLES))
def test_what_could_do_more_is_still_a_pickle(tmp_path: Path, name: str) -> None:
    model = tmp_path / "head"
    model.mkdir()
    (model / "labels.txt").write_bytes(STILL_PICKLES[name])
    assert not check(model, CheckOptions()).allowed


def test_same_bytes_not_named_as_text_stay_pickles(tmp_path: Path) -> None:
    (tmp_path / "labels.bin").write_text(LABEL_FILES["nli"])
    assert not check(tmp_path, CheckOptions()).allowed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[a-z][a-z ]{0,12}", fullmatch=True), min_size=1, max_size=5))
def test_import_only_means_the_real_unpickler_calls_nothing(lines: list[str]) -> None:
    """Oracle: whenever ``imports_only`` says a stream can only import, the real unpickler
    (both implementations, in a child with an import hook that records and refuses every
    import) never gets past its imports: it raises, and nothing but find_class ran."""
    data = ("c" + "\n".join(lines) + "\n").encode()
    names = imports_only(data)
    if names is None:
        return
    code = r"""
import io, pickle, sys
data = sys.stdin.buffer.read()
calls = []
for cls in (pickle._Unpickler, pickle.Unpickler):
    class U(cls):
        def find_class(self, module, name):
            calls.append((module, name))
            def trap(*a, **k):
                print("CALLED", flush=True)
            return trap
    try:
        U(io.BytesIO(data)).load()
        print("COMPLETED")
    except Exception:
        pass
print(len(calls))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=30, check=True
    ).stdout.decode()
    assert "CALLED" not in out and "COMPLETED" not in out, (data, out)


def test_marker_payload_in_a_label_file_is_denied(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = pickle.dumps(os.system, protocol=0).replace(b"\n.", b"\n")  # cposix\nsystem\n
    data = payload + f"(S'touch {marker}'\ntR.".encode()
    (tmp_path / "labels.txt").write_bytes(data)
    assert not check(tmp_path, CheckOptions()).allowed


CONDA_YAML = (
    "channels:\n- conda-forge\ndependencies:\n- python=3.11.9\n- pip<=24.0\n- pip:\n"
    "  - mlflow==2.19.0\n  - scikit-learn==1.5.2\nname: mlflow-env\n"
)


def test_mlflow_conda_yaml_is_plain_text(tmp_path: Path) -> None:
    """MLflow's ``conda.yaml`` starts ``channels:``: GLOBAL ``hannels:`` / ``- conda-forge``,
    then DICT without a MARK. No module of that name can be imported: text, no finding."""
    model = tmp_path / "mlflow_model"
    model.mkdir()
    (model / "conda.yaml").write_text(CONDA_YAML)
    (model / "python_env.yaml").write_text("python: 3.11.9\nbuild_dependencies:\n- pip==24.0\n")
    report = scan_paths([model])
    assert report.findings == []
    assert {o.format for o in report.objects} == {"text"}
    assert check(model, CheckOptions()).allowed


@pytest.mark.parametrize(
    ("data", "allowed"),
    [
        (b"chain:\nx\n", True),  # YAML-ish, no importable module: text, no finding
        (b"cat\ndog\n", True),  # importable-looking unknown module: LOW kept
        (b"cos\nsystem\n(S'id'\ntR.", False),  # a real pickle in a .yaml: still a pickle
        (b"cos:\nsystem\n(S'id'\ntR.", False),  # calls after the import: still a pickle
    ],
)
def test_yaml_named_pickles_still_judged(tmp_path: Path, data: bytes, allowed: bool) -> None:
    (tmp_path / "conda.yaml").write_bytes(data)
    report = scan_paths([tmp_path])
    assert check(tmp_path, CheckOptions()).allowed is allowed
    if data == b"chain:\nx\n":
        assert report.findings == []
    if data == b"cat\ndog\n":
        assert [f.rule_id for f in report.findings] == ["AIR-PKL-014"]
