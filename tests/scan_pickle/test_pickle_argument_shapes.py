"""Names the policy allows only with particular arguments, and values the machine must track
the way the real unpickler does (the fixes the real-artifact corpus called for).

Each pair: the shape real libraries write scans clean, and the same name used as a gadget is
critical. The shapes come from bench/ecosystem artifacts (kernels' _rebuild_kernel_func in
transformers Llama models, torch.storage._load_from_bytes in pickle.dumps of modules, zoneinfo in
pandas frames, legacy torch.save of whole modules, joblib streams read by pickle.load).
"""

from __future__ import annotations

import io
import pickle

import pytest

from airlock.report import Severity
from tests.scan_pickle.builders import (
    PROTO2,
    PROTO4,
    STOP,
    analyze,
    assert_clean,
    b,
    call,
    glob,
    rules,
    s,
    severe,
    sglob,
    touch_cmd,
)

KERNEL = ("kernels._internals.layer.layer", "_rebuild_kernel_func")


def _critical(data: bytes) -> list[str]:
    return [f.rule_id for f in severe(analyze(data), Severity.CRITICAL)]


def test_kernel_rebuild_of_an_allowed_function_is_clean() -> None:
    data = PROTO2 + call(glob(*KERNEL), s("transformers.models.llama.modeling_llama"),
                         s("apply_rotary_pos_emb")) + STOP  # fmt: skip
    assert_clean(analyze(data))


@pytest.mark.parametrize(
    ("module", "name"),
    [("os", "system"), ("builtins", "eval"), ("mypkg.evil", "payload"), ("antigravity", "x")],
)
def test_kernel_rebuild_imports_nothing_else(module: str, name: str) -> None:
    data = PROTO2 + call(glob(*KERNEL), s(module), s(name)) + STOP
    assert "AIR-PKL-001" in _critical(data)


def test_kernel_rebuild_with_computed_names_is_critical(tmp_path) -> None:  # type: ignore[no-untyped-def]
    computed = call(glob("builtins", "str"), s("os"))  # a str the machine cannot see
    data = PROTO2 + call(glob(*KERNEL), computed, s("system")) + STOP
    assert "AIR-PKL-001" in _critical(data)
    # Referenced without being called (e.g. handed to another callable) is critical too.
    data = PROTO2 + call(glob("builtins", "list"), glob(*KERNEL)) + STOP
    assert "AIR-PKL-001" in _critical(data)


def test_load_from_bytes_of_a_torch_save_is_judged_as_a_nested_file() -> None:
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    module = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    a = analyze(pickle.dumps(module, protocol=4))
    assert a.findings == [], [(f.rule_id, f.evidence) for f in a.findings]
    assert a.nested, "the bytes torch.load would read must be handed to the engine"


def test_load_from_bytes_of_a_malicious_pickle_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """End to end through the engine: the nested bytes are scanned like a file."""
    from airlock.scan.engine import scan_paths

    evil = PROTO2 + call(glob("os", "system"), s(touch_cmd(tmp_path / "m"))) + STOP
    data = PROTO2 + call(glob("torch.storage", "_load_from_bytes"), b(evil)) + STOP
    path = tmp_path / "model.pkl"
    path.write_bytes(data)
    report = scan_paths([path])
    assert any(f.severity is Severity.CRITICAL and "os.system" in f.evidence
               for f in report.findings)  # fmt: skip


def test_protocol2_pickle_of_a_large_module_is_judged() -> None:
    """fp16 grid 3: pickle.dumps(protocol=2) of a torch model writes each storage's bytes as
    _codecs.encode(<text>, 'latin1'); text over 64 KiB stays in place, and the nested torch file
    it holds was 'not judged' (AIR-PKL-001 on every honest protocol-2 pickle of such a model)."""
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    module = torch.nn.Sequential(torch.nn.Linear(200, 200), torch.nn.ReLU())
    a = analyze(pickle.dumps(module, protocol=2))
    assert a.findings == [], [(f.rule_id, f.evidence) for f in a.findings]
    assert a.nested


def test_protocol2_encoded_load_from_bytes_payload_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from airlock.scan.engine import scan_paths

    pad = "x" * 70_000  # past the 64 KiB of text the machine decodes eagerly
    cmd = call(glob("os", "system"), s(touch_cmd(tmp_path / "m")))
    evil = PROTO2 + s(pad) + b"0" + cmd + STOP
    text = s(evil.decode("latin-1"))
    data = PROTO2 + call(glob("torch.storage", "_load_from_bytes"),
                         call(glob("_codecs", "encode"), text, s("latin1"))) + STOP  # fmt: skip
    path = tmp_path / "model.pkl"
    path.write_bytes(data)
    report = scan_paths([path])
    assert any(f.severity is Severity.CRITICAL and "os.system" in f.evidence
               for f in report.findings)  # fmt: skip
    encoded = call(glob("_codecs", "encode"), s("y" * 70_000), s("latin1"))
    junk = PROTO2 + call(glob("torch.storage", "_load_from_bytes"), encoded) + STOP
    assert "AIR-PKL-001" in _critical(junk)


@pytest.mark.parametrize("arg", [b"", s("not bytes"), call(glob("builtins", "bytes"), s("x"))])
def test_load_from_bytes_of_anything_unjudged_is_critical(arg: bytes) -> None:
    data = PROTO2 + call(glob("torch.storage", "_load_from_bytes"), arg) + STOP
    assert "AIR-PKL-001" in _critical(data)


def test_zoneinfo_keys_are_zone_names_only() -> None:
    zi = call(glob("builtins", "getattr"), glob("zoneinfo", "ZoneInfo"), s("_unpickle"))
    ok = PROTO2 + call(zi, s("Europe/Paris"), b"K\x01") + STOP
    assert_clean(analyze(ok))
    for key in ("../../../etc/passwd", "/etc/localtime", "a" * 200):
        bad = PROTO2 + call(zi, s(key), b"K\x01") + STOP
        assert "AIR-PKL-001" in _critical(bad), key


def test_stack_global_on_a_known_object_is_a_load_error_not_an_import() -> None:
    """The unpickler raises on STACK_GLOBAL with a non-str module (pickle.load of a joblib
    stream does this after an object array's own pickle reuses memo slots)."""
    obj = call(glob("collections", "OrderedDict"))
    data = PROTO4 + obj + s("dtype") + b"\x93" + STOP
    a = analyze(data)
    assert "AIR-PKL-003" not in rules(a) and "AIR-PKL-005" in rules(a)
    # A str the machine cannot see (built by str()) is still a computed import.
    data = PROTO4 + call(glob("builtins", "str"), s("os")) + s("system") + b"\x93" + STOP
    assert "AIR-PKL-003" in rules(analyze(data))
    data = PROTO4 + sglob("os", "path") + s("join") + b"\x93" + STOP
    assert severe(analyze(data), Severity.CRITICAL)


def test_joblib_column_transformer_pipeline_is_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: object arrays inside a joblib stream read by pickle.load."""
    joblib = pytest.importorskip("joblib", reason="needs group test")
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn", reason="needs group test")
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from airlock.scan.engine import scan_paths

    x = np.array([["a", 1.0], ["b", 2.0], ["a", 3.0], ["c", 4.0]] * 3, dtype=object)
    ct = ColumnTransformer([("oh", OneHotEncoder(), [0]), ("sc", StandardScaler(), [1])])
    model = Pipeline([("pre", ct), ("clf", LogisticRegression())]).fit(x, [0, 1, 0, 1] * 3)
    for compress in (0, 3, ("bz2", 3)):
        path = tmp_path / f"m{compress!s:.3}.joblib"
        joblib.dump(model, path, compress=compress)
        report = scan_paths([path])
        assert report.findings == [], [(f.rule_id, f.evidence) for f in report.findings]


def test_legacy_torch_module_class_from_persistent_id(tmp_path) -> None:  # type: ignore[no-untyped-def]
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    from airlock.scan.engine import scan_paths

    path = tmp_path / "legacy.pt"
    torch.save(torch.nn.Sequential(torch.nn.LazyLinear(2), torch.nn.GELU()), path,
               _use_new_zipfile_serialization=False)  # fmt: skip
    report = scan_paths([path])
    assert report.findings == [], [(f.rule_id, f.evidence) for f in report.findings]
    # The class inside the persistent id is judged: an unknown one is reported.
    buf = io.BytesIO()
    pid = b"(" + s("module") + glob("mypkg.evil", "Net") + s("f.py") + s("src") + b"t"
    buf.write(PROTO2 + pid + b"Q" + b")\x81" + STOP)
    assert "AIR-PKL-002" in rules(analyze(buf.getvalue()))
