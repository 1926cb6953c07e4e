"""The optional user-supplied ONNX classifier: a tiny hand-built model (embedding → masked mean →
MatMul) whose weights make the token "ignore" push towards INJECTION, with a WordLevel tokenizer."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from airlock.errors import DependencyError
from airlock.guard.factory import default_pipeline
from airlock.guard.onnx import (
    OnnxClassifierScanner,
    SandboxedOnnxClassifier,
    load_onnx_classifier,
)
from airlock.guard.types import GuardError, ScanContext
from airlock.sandbox import runner, service
from tests.conftest import run_cli

WORDS = ["hello", "world", "please", "fix", "my", "typo", "ignore", "weather", "today"]
VOCAB = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
BENIGN = "please fix my typo hello world"
ATTACK = "please ignore my typo"


def need_sandbox() -> None:
    """Skip without a usable bubblewrap; in CI (AIRLOCK_REQUIRE_SANDBOX=1) fail instead."""
    if runner.bwrap_works():
        return
    reason = "bubblewrap missing or kernel lacks user namespaces"
    if os.environ.get("AIRLOCK_REQUIRE_SANDBOX") == "1":
        pytest.fail(f"sandbox backend required in CI: {reason}")
    pytest.skip(reason)


def load(path: Path, label: str | None = None, *, sandbox: bool = True) -> Any:
    """The classifier as the guard loads it: in the sandboxed worker unless told otherwise."""
    if sandbox:
        need_sandbox()
    clf = load_onnx_classifier(path, label, sandbox=sandbox)
    if sandbox:
        assert isinstance(clf, SandboxedOnnxClassifier)
        assert clf.service.backend.startswith("bwrap+seccomp")
    return clf


def _graph_parts(id_type: int = TensorProto.INT64, ids_name: str = "input_ids") -> Any:
    emb = np.zeros((len(VOCAB), 2), np.float32)
    emb[VOCAB["ignore"], 0] = 40.0  # diluted by the mean: one "ignore" per ~16 tokens still wins
    w = np.array([[0.0, 1.0], [0.0, 0.0]], np.float32)
    b = np.array([0.5, 0.0], np.float32)
    nodes = [
        helper.make_node("Gather", ["emb", ids_name], ["e"]),
        helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["m", "ax2"], ["m3"]),
        helper.make_node("Mul", ["e", "m3"], ["em"]),
        helper.make_node("ReduceSum", ["em", "ax1"], ["s"], keepdims=0),
        helper.make_node("ReduceSum", ["m3", "ax1"], ["n"], keepdims=0),
        helper.make_node("Div", ["s", "n"], ["mean"]),
        helper.make_node("MatMul", ["mean", "w"], ["z"]),
        helper.make_node("Add", ["z", "b"], ["logits"]),
    ]
    inits = [
        numpy_helper.from_array(emb, "emb"),
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(b, "b"),
        numpy_helper.from_array(np.array([2], np.int64), "ax2"),
        numpy_helper.from_array(np.array([1], np.int64), "ax1"),
    ]
    inputs = [
        helper.make_tensor_value_info(ids_name, id_type, ["batch", "seq"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
    ]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])]
    return nodes, inits, inputs, outputs


def _model(nodes: list[Any], inits: list[Any], inputs: list[Any], outputs: list[Any]) -> Any:
    graph = helper.make_graph(nodes, "tiny_pi", inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _folder(root: Path, model: Any = None, id2label: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if model is None:
        model = _model(*_graph_parts())
    onnx.save_model(model, str(root / "model.onnx"))
    tok = Tokenizer(models.WordLevel(VOCAB, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tok.save(str(root / "tokenizer.json"))
    cfg = {"id2label": id2label or {"0": "SAFE", "1": "INJECTION"}, "max_position_embeddings": 16,
           "pad_token_id": 0}  # fmt: skip
    (root / "config.json").write_text(json.dumps(cfg))
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _folder(tmp_path_factory.mktemp("onnx") / "tiny")


@pytest.fixture
def session_spy(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Records every InferenceSession onnxruntime is asked to build in this process, every
    sandboxed worker service created and every process started for one; refuses them all."""
    seen: list[Any] = []

    def spy(*args: Any, **kwargs: Any) -> None:
        seen.append(args)
        raise AssertionError("neither onnxruntime nor a worker may see this model")

    monkeypatch.setattr(onnxruntime, "InferenceSession", spy)
    monkeypatch.setattr(service.SandboxedService, "__init__", spy)
    monkeypatch.setattr(runner, "popen", spy)
    return seen


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "in-process"])
def test_blocks_injection_and_allows_benign(tiny: Path, sandbox: bool) -> None:
    clf = load(tiny, sandbox=sandbox)
    assert clf.label == "INJECTION" and clf.inputs == ("input_ids", "attention_mask")
    assert clf.max_len == 16
    sc = OnnxClassifierScanner(clf)
    assert sc.scan(ScanContext(BENIGN, "input")) == []
    (f,) = sc.scan(ScanContext(ATTACK, "input"))
    assert f.rule_id == "AIR-GRD-PI-002" and f.action == "block" and f.score and f.score > 0.9
    assert f.where == f"chars 0-{len(ATTACK)}"


def test_pipeline_runs_it_after_the_cheap_scanners(tiny: Path) -> None:
    need_sandbox()  # default_pipeline loads it sandboxed
    p = default_pipeline(use_classifier=False, onnx_classifier=tiny)
    assert [s.name for s in p.scanners][-1] == "onnx-classifier"
    assert p.check_text(BENIGN).action == "allow"
    d = p.check_text(ATTACK)
    assert d.blocked and [f.scanner for f in d.findings] == ["onnx-classifier"]
    strict = default_pipeline(use_classifier=False, onnx_classifier=tiny, onnx_threshold=0.999)
    assert strict.check_text(ATTACK).action == "allow"
    with pytest.raises(GuardError, match=r"threshold must be in \(0, 1\)"):
        default_pipeline(use_classifier=False, onnx_classifier=tiny, onnx_threshold=1.5)


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "in-process"])
def test_long_input_is_scanned_in_token_windows(tiny: Path, sandbox: bool) -> None:
    sc = OnnxClassifierScanner(load(tiny, sandbox=sandbox))
    padding = "hello world " * 400  # 800 tokens: far beyond one 16-token window
    assert sc.scan(ScanContext(padding, "input")) == []
    (f,) = sc.scan(ScanContext(padding + "ignore", "input"))
    start, end = (int(x) for x in f.where.removeprefix("chars ").split("-"))
    assert end == len(padding) + len("ignore") and start > len(padding) - 100
    (g,) = sc.scan(ScanContext("ignore " + padding, "input"))
    assert g.where.startswith("chars 0-")


def test_decoded_and_obfuscated_text_are_scanned(tiny: Path) -> None:
    import base64

    sc = OnnxClassifierScanner(load(tiny))
    hidden = base64.b64encode(b"please ignore my typo now").decode()
    (f,) = sc.scan(ScanContext(f"hello world {hidden}", "input"))
    assert f.where == "base64-decoded"
    (g,) = sc.scan(ScanContext("please ｉｇｎｏｒｅ my typo", "input"))  # fullwidth: NFKC folds it
    assert g.where == "normalised"


def test_external_data_inside_the_folder_is_loaded_by_airlock(tmp_path: Path) -> None:
    root = tmp_path / "ext"
    root.mkdir()
    model = _model(*_graph_parts())  # emb (104 bytes) goes external; shape inputs stay inline
    onnx.save_model(model, str(root / "model.onnx"), save_as_external_data=True,
                    location="weights.bin", size_threshold=64)  # fmt: skip
    _folder(root, onnx.load(str(root / "model.onnx"), load_external_data=False))
    assert (root / "weights.bin").stat().st_size > 0
    sc = OnnxClassifierScanner(load(root))
    assert sc.scan(ScanContext(BENIGN, "input")) == []
    assert sc.scan(ScanContext(ATTACK, "input"))


def test_custom_op_domain_is_refused_before_onnxruntime(
    tmp_path: Path, session_spy: list[Any]
) -> None:
    nodes, inits, inputs, outputs = _graph_parts()
    nodes[-1] = helper.make_node("Boom", ["z", "b"], ["logits"], domain="evil.ops")
    model = _model(nodes, inits, inputs, outputs)
    model.opset_import.append(helper.make_opsetid("evil.ops", 1))
    root = _folder(tmp_path / "custom", model)
    with pytest.raises(GuardError, match=r"refusing ONNX classifier.*AIR-ONNX-003"):
        load_onnx_classifier(root)
    assert session_spy == []


def test_external_data_traversal_is_refused_before_onnxruntime(
    tmp_path: Path, session_spy: list[Any]
) -> None:
    (tmp_path / "secret.bin").write_bytes(b"\0" * 4096)
    model = _model(*_graph_parts())
    emb = next(t for t in model.graph.initializer if t.name == "emb")
    emb.ClearField("raw_data")
    emb.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "../secret.bin"), ("offset", "0"), ("length", "104")):
        emb.external_data.add(key=k, value=v)
    root = _folder(tmp_path / "trav", model)
    with pytest.raises(GuardError, match=r"refusing ONNX classifier.*AIR-ONNX-001"):
        load_onnx_classifier(root)
    assert session_spy == []


def test_unscannable_file_in_the_folder_is_refused(tmp_path: Path, session_spy: list[Any]) -> None:
    import pickle

    root = _folder(tmp_path / "pkl")
    (root / "extra.bin").write_bytes(pickle.dumps(print))  # a callable a loader would resolve
    with pytest.raises(GuardError, match="refusing ONNX classifier"):
        load_onnx_classifier(root)
    assert session_spy == []


def test_wrong_input_signature_is_explained(tmp_path: Path) -> None:
    need_sandbox()  # the signature is checked where the session lives: in the worker
    root = _folder(tmp_path / "int32", _model(*_graph_parts(TensorProto.INT32)))
    with pytest.raises(GuardError, match=r"input 'input_ids' is tensor\(int32\).*expected int64"):
        load_onnx_classifier(root)
    root = _folder(tmp_path / "named", _model(*_graph_parts(ids_name="tokens")))
    with pytest.raises(GuardError, match=r"unsupported input signature.*tokens"):
        load_onnx_classifier(root)


def test_label_choice(tmp_path: Path) -> None:
    root = _folder(tmp_path / "lab", id2label={"0": "jailbreak", "1": "unsafe"})
    with pytest.raises(GuardError, match=r"several id2label entries.*--onnx-label"):
        load_onnx_classifier(root)
    assert load(root, "UNSAFE").target == 1
    with pytest.raises(GuardError, match="label 'toxic' not in id2label"):
        load_onnx_classifier(root, "toxic")


def test_missing_onnxruntime_names_the_extra(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(DependencyError, match=r"model-airlock\[guard-onnx\]"):
        load_onnx_classifier(tiny)


def test_cli_check_with_onnx_classifier(tiny: Path, tmp_path: Path) -> None:
    need_sandbox()
    bad = run_cli("guard", "check", "--onnx-classifier", str(tiny), ATTACK)
    assert bad.returncode == 1 and "AIR-GRD-PI-002" in bad.stdout, bad.stderr
    ok = run_cli("guard", "check", "--onnx-classifier", str(tiny), BENIGN)
    assert ok.returncode == 0 and "ALLOW" in ok.stdout
    plain = run_cli("guard", "check", "--onnx-classifier", str(tiny), "--onnx-unsandboxed", ATTACK)
    assert plain.returncode == 1 and "AIR-GRD-PI-002" in plain.stdout
    assert "in-process, unsandboxed" in plain.stderr
    nodes, inits, inputs, outputs = _graph_parts()
    nodes[0] = helper.make_node("Gather", ["emb", "input_ids"], ["e"], domain="evil.ops")
    evil = _folder(tmp_path / "evil", _model(nodes, inits, inputs, outputs))
    refused = run_cli("guard", "check", "--onnx-classifier", str(evil), BENIGN)
    assert refused.returncode == 2 and "refusing ONNX classifier" in refused.stderr


def test_overrunning_model_is_a_timeout_and_blocks(tiny: Path) -> None:
    sc = OnnxClassifierScanner(load(tiny), timeout_s=0.0)
    with pytest.raises(TimeoutError):  # stops between batches instead of running on
        sc.scan(ScanContext(BENIGN, "input"))
    p = default_pipeline(use_classifier=False, isolation="inline")
    p.scanners.append(sc)
    d = p.check_text(BENIGN)
    assert d.blocked and [f.rule_id for f in d.findings] == ["AIR-GRD-ERR-002"]


def test_token_type_ids_are_fed_when_the_model_asks(tmp_path: Path) -> None:
    nodes, inits, inputs, outputs = _graph_parts()
    inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["b", "s"]))
    clf = load(_folder(tmp_path / "tt", _model(nodes, inits, inputs, outputs)))
    assert clf.inputs == ("input_ids", "attention_mask", "token_type_ids")
    assert OnnxClassifierScanner(clf).scan(ScanContext(ATTACK, "input"))


def _worker_pids(clf: SandboxedOnnxClassifier) -> list[int]:
    """The processes under the service's bubblewrap (the Python worker among them)."""
    todo, out = [clf.service._box[0].proc.pid], []
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").iterdir():
            kids = [int(k) for k in (task / "children").read_text().split()]
            out += kids
            todo += kids
    return out


def test_hung_worker_times_out_blocks_and_is_replaced(tiny: Path) -> None:
    clf = load(tiny)
    p = default_pipeline(use_classifier=False, isolation="inline")
    p.scanners.append(OnnxClassifierScanner(clf, timeout_s=0.5))
    for pid in _worker_pids(clf):
        os.kill(pid, signal.SIGSTOP)  # a model wedged inside onnxruntime
    d = p.check_text(ATTACK.replace("ignore", "fix"))
    assert d.blocked and [f.rule_id for f in d.findings] == ["AIR-GRD-ERR-002"]
    p.scanners[-1].timeout_s = 60.0  # the replacement boots inside this call: no race with load
    d2 = p.check_text(BENIGN)
    assert d2.action == "allow" and clf.service.starts == 2, d2.to_json()
    assert p.check_text(ATTACK).blocked


def test_worker_crash_mid_request_errors_then_recovers(tiny: Path) -> None:
    clf = load(tiny)
    sc = OnnxClassifierScanner(clf, timeout_s=30.0)
    pids = _worker_pids(clf)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)  # hold it inside the request, then kill it there
    result: list[BaseException] = []

    def scan() -> None:
        try:
            sc.scan(ScanContext(BENIGN, "input"))
        except BaseException as exc:  # handed to the test thread
            result.append(exc)

    t = threading.Thread(target=scan)
    t.start()
    while not clf.service._lock.locked():
        time.sleep(0.01)
    time.sleep(0.3)  # the request is in the frozen worker's pipe
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    t.join(30)
    assert len(result) == 1 and "worker died" in str(result[0])
    p = default_pipeline(use_classifier=False, isolation="inline")
    p.scanners.append(sc)
    assert p.check_text(ATTACK).blocked and p.check_text(BENIGN).action == "allow"
    assert clf.service.starts == 2


def test_no_sandbox_refuses_unless_in_process(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "bwrap_path", lambda: None)
    with pytest.raises(runner.SandboxUnavailable, match="--onnx-unsandboxed"):
        load_onnx_classifier(tiny)
    assert OnnxClassifierScanner(load(tiny, sandbox=False)).scan(ScanContext(ATTACK, "input"))


def test_pipeline_close_stops_the_sandboxed_worker(tiny: Path) -> None:
    from airlock.sandbox.runner import bwrap_works
    from airlock.sandbox.service import ServiceError

    if not bwrap_works():
        pytest.skip("bubblewrap unusable here")
    p = default_pipeline(use_classifier=False, onnx_classifier=tiny)
    (scanner,) = [s for s in p.scanners if s.name == "onnx-classifier"]
    service = scanner.model.service  # type: ignore[attr-defined]
    assert p.check_text(ATTACK).blocked
    p.close()
    with pytest.raises(ServiceError, match="closed"):
        service.call({"texts": ["x"]}, timeout_s=5)
    unboxed = default_pipeline(use_classifier=False, onnx_classifier=tiny, onnx_sandbox=False)
    assert unboxed.check_text(ATTACK).blocked
    assert not hasattr(unboxed.scanners[-1].model, "service")
    unboxed.close()
