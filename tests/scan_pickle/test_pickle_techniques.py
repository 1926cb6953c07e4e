"""Every public pickle-attack technique family, as a generated fixture with a harmless payload.

Each fixture writes a marker file under tmp_path when loaded. Where loading is harmless we load
it once to prove the payload is real (the scanner must flag a pickle that really runs code), then
assert the analyser flags it. Families come from picklescan/modelscan/fickling advisories, JFrog's
picklescan zero-days, nullifAI broken pickles and Trail of Bits' Sleepy/Sticky Pickle write-ups.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import marshal
import os
import pickle
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from airlock.report import Severity
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    MEMOIZE,
    NONE,
    POP,
    PROTO2,
    PROTO4,
    REDUCE,
    SETITEM,
    STACK_GLOBAL,
    STOP,
    TUPLE,
    analyze,
    b,
    call,
    get,
    glob,
    int32_array,
    put,
    rules,
    s,
    severe,
    sglob,
    touch_cmd,
    tup,
    write_src,
)


class _Reduce:
    def __init__(self, func: Callable[..., object], *args: object) -> None:
        self.func = func
        self.args = args

    def __reduce__(self) -> tuple[object, ...]:
        return self.func, self.args


def _dumps(func: Callable[..., object], *args: object, protocol: int = 4) -> bytes:
    return pickle.dumps(_Reduce(func, *args), protocol=protocol)


def _os_system(m: Path) -> bytes:
    return PROTO2 + call(glob("posix", "system"), s(touch_cmd(m))) + STOP


# name -> (builder(marker) -> bytes, callable expected among critical findings, prove by loading)
TECHNIQUES: dict[str, tuple[Callable[[Path], bytes], str, bool]] = {
    # Classic __reduce__ payloads, every protocol.
    **{
        f"reduce-os-system-p{p}": (
            (lambda m, p=p: _dumps(os.system, touch_cmd(m), protocol=p)),
            "posix.system",
            True,
        )
        for p in range(6)
    },
    "subprocess-call": (
        lambda m: _dumps(__import__("subprocess").call, ["touch", str(m)]),
        "subprocess.call",
        True,
    ),
    "builtins-exec": (lambda m: _dumps(exec, write_src(m)), "builtins.exec", True),
    "builtins-eval": (lambda m: _dumps(eval, write_src(m)), "builtins.eval", True),
    # Protocol 0 text forms and Python 2 names (__builtin__ -> builtins).
    "proto0-builtin-eval": (
        lambda m: b"c__builtin__\neval\n(V" + write_src(m).encode() + b"\ntR.",
        "builtins.eval",
        True,
    ),
    "inst-opcode": (
        lambda m: b"(V" + touch_cmd(m).encode() + b"\nios\nsystem\n.",
        "os.system",
        True,
    ),
    "obj-opcode": (
        lambda m: b"(cos\nsystem\nV" + touch_cmd(m).encode() + b"\no.",
        "os.system",
        True,
    ),
    "unicode-escape-operands": (
        lambda m: b"\x80\x04V\\u006fs\nV\\u0073ystem\n\x93" + tup(s(touch_cmd(m))) + b"R.",
        "os.system",
        True,
    ),
    # STACK_GLOBAL operands from the memo (picklescan memo bypass, imaginaryctf 2023).
    "stack-global-memo": (
        lambda m: (
            PROTO4
            + s("os")
            + put(0)
            + POP
            + s("system")
            + put(1)
            + POP
            + get(0)
            + get(1)
            + STACK_GLOBAL
            + tup(s(touch_cmd(m)))
            + b"R."
        ),
        "os.system",
        True,
    ),
    "memo-overwrite": (
        lambda m: (
            PROTO4
            + s("collections")
            + put(0)
            + POP
            + s("os")
            + put(0)
            + POP
            + get(0)
            + s("system")
            + STACK_GLOBAL
            + tup(s(touch_cmd(m)))
            + b"R."
        ),
        "os.system",
        True,
    ),
    "memoize-operands": (
        lambda m: (
            PROTO4
            + s("posix")
            + MEMOIZE
            + s("system")
            + MEMOIZE
            + POP
            + POP
            + b"h\x00h\x01"
            + STACK_GLOBAL
            + tup(s(touch_cmd(m)))
            + b"R."
        ),
        "posix.system",
        True,
    ),
    # Dotted qualnames walk through modules a harmless module imported.
    "dotted-torch-os-system": (
        lambda m: PROTO4 + sglob("torch", "os.system") + tup(s(touch_cmd(m))) + b"R.",
        "torch.os.system",
        True,
    ),
    "dotted-global-opcode-proto4": (
        lambda m: PROTO4 + glob("torch", "os.system") + tup(s(touch_cmd(m))) + b"R.",
        "torch.os.system",
        True,
    ),
    # getattr / import chains (universal bypass class).
    "getattr-import": (
        lambda m: (
            PROTO2
            + call(
                call(
                    glob("builtins", "getattr"),
                    call(glob("builtins", "__import__"), s("os")),
                    s("system"),
                ),
                s(touch_cmd(m)),
            )
            + STOP
        ),
        "os.system",
        True,
    ),
    "importlib-import-module": (
        lambda m: (
            PROTO2
            + call(
                call(
                    glob("builtins", "getattr"),
                    call(glob("importlib", "import_module"), s("os")),
                    s("system"),
                ),
                s(touch_cmd(m)),
            )
            + STOP
        ),
        "os.system",
        True,
    ),
    "operator-attrgetter": (
        lambda m: (
            PROTO2
            + call(
                call(
                    call(glob("operator", "attrgetter"), s("system")),
                    call(glob("builtins", "__import__"), s("os")),
                ),
                s(touch_cmd(m)),
            )
            + STOP
        ),
        "os.system",
        True,
    ),
    "operator-methodcaller": (
        lambda m: (
            PROTO2
            + call(
                call(glob("operator", "methodcaller"), s("system"), s(touch_cmd(m))),
                call(glob("builtins", "__import__"), s("os")),
            )
            + STOP
        ),
        "os.system",
        True,
    ),
    "functools-partial": (
        lambda m: (
            PROTO2
            + call(call(glob("functools", "partial"), glob("os", "system"), s(touch_cmd(m))))
            + STOP
        ),
        "os.system",
        True,
    ),
    "pkgutil-resolve-name": (
        lambda m: (
            PROTO2
            + call(call(glob("pkgutil", "resolve_name"), s("os:system")), s(touch_cmd(m)))
            + STOP
        ),
        "os.system",
        True,
    ),
    "pydoc-locate": (
        lambda m: (
            PROTO2 + call(call(glob("pydoc", "locate"), s("os.system")), s(touch_cmd(m))) + STOP
        ),
        "os.system",
        True,
    ),
    "getattr-builtins-module": (
        lambda m: (
            PROTO2
            + call(
                call(
                    glob("builtins", "getattr"),
                    call(glob("builtins", "__import__"), s("builtins")),
                    s("exec"),
                ),
                s(write_src(m)),
            )
            + STOP
        ),
        "builtins.exec",
        True,
    ),
    # Import name computed at load time: str('os') is 'os' for the loader, unknown to a scanner.
    "stack-global-computed": (
        lambda m: (
            PROTO4
            + call(glob("builtins", "str"), s("os"))
            + s("system")
            + STACK_GLOBAL
            + tup(s(touch_cmd(m)))
            + b"R."
        ),
        "",
        True,
    ),
    # Code-running stdlib gadgets from picklescan/modelscan advisories.
    "runpy-run-code": (
        lambda m: PROTO2 + call(glob("runpy", "_run_code"), s(write_src(m)), EMPTY_DICT) + STOP,
        "runpy._run_code",
        True,
    ),
    "numpy-runstring": (
        lambda m: (
            PROTO2
            + call(glob("numpy.testing._private.utils", "runstring"), s(write_src(m)), EMPTY_DICT)
            + STOP
        ),
        "numpy.testing._private.utils.runstring",
        True,
    ),
    "timeit": (
        lambda m: (
            PROTO2
            + call(
                glob("timeit", "timeit"),
                s(write_src(m)),
                s("pass"),
                glob("time", "perf_counter"),
                b"K\x01",
            )
            + STOP
        ),
        "timeit.timeit",
        True,
    ),
    "cprofile-run": (
        lambda m: PROTO2 + call(glob("cProfile", "run"), s(write_src(m))) + STOP,
        "cProfile.run",
        True,
    ),
    "code-interactive-interpreter": (
        lambda m: (
            PROTO2
            + call(
                call(glob("operator", "methodcaller"), s("runsource"), s(write_src(m))),
                call(glob("code", "InteractiveInterpreter")),
            )
            + STOP
        ),
        "code.InteractiveInterpreter",
        True,
    ),
    "marshal-function-type": (
        lambda m: (
            PROTO2
            + call(
                call(
                    glob("types", "FunctionType"),
                    call(
                        glob("marshal", "loads"),
                        b(marshal.dumps(compile(write_src(m), "<x>", "exec"))),
                    ),
                    EMPTY_DICT,
                )
            )
            + STOP
        ),
        "marshal.loads",
        True,
    ),
    "nested-pickle-loads": (
        lambda m: PROTO2 + call(glob("pickle", "loads"), b(_os_system(m))) + STOP,
        "pickle.loads",
        True,
    ),
    "cloudpickle-function": (
        lambda m: __import__("cloudpickle").dumps(
            eval(f"lambda: open({str(m)!r}, 'w').write('x')")
        ),
        "cloudpickle.cloudpickle._make_function",
        False,
    ),
    # Torch's own helpers: a dangerous callable passed to an allowlisted rebuild function.
    "torch-rebuild-from-type-func": (
        lambda m: (
            PROTO2
            + call(
                glob("torch._tensor", "_rebuild_from_type_v2"),
                glob("os", "system"),
                glob("torch", "Tensor"),
                tup(s(touch_cmd(m))),
                EMPTY_DICT,
            )
            + STOP
        ),
        "os.system",
        True,
    ),
    # fickling "call vanishes when its result is popped".
    "pop-after-call": (
        lambda m: PROTO2 + call(glob("os", "system"), s(touch_cmd(m))) + POP + NONE + STOP,
        "os.system",
        True,
    ),
    "dup-and-pop-mark": (
        lambda m: PROTO2 + MARK + call(glob("os", "system"), s(touch_cmd(m))) + b"21" + NONE + STOP,
        "os.system",
        True,
    ),
    # nullifAI: payload first, then the stream breaks (invalid opcode / truncation).
    "broken-invalid-opcode": (lambda m: _os_system(m)[:-1] + b"\xff\xfe", "posix.system", True),
    "broken-truncated": (
        lambda m: _os_system(m)[:-1] + b"X\xff\xff\x00\x00ab",
        "posix.system",
        True,
    ),
    # Sleepy Pickle: a process-wide hook with an innocent-looking callable.
    "sleepy-pickle-global-hook": (
        lambda m: (
            PROTO2
            + call(
                glob("torch.nn.modules.module", "register_module_forward_hook"),
                glob("builtins", "print"),
            )
            + STOP
        ),
        "torch.nn.modules.module.register_module_forward_hook",
        False,
    ),
    # Several pickles in one stream (legacy torch reads five in a row).
    "second-pickle": (
        lambda m: pickle.dumps({"weights": [1, 2]}, protocol=2) + _os_system(m),
        "posix.system",
        False,
    ),
    "second-pickle-proto0": (
        lambda m: (
            pickle.dumps([1], protocol=2) + b"(V" + touch_cmd(m).encode() + b"\nios\nsystem\n."
        ),
        "os.system",
        False,
    ),
}


@pytest.mark.parametrize("name", sorted(TECHNIQUES))
def test_technique_is_flagged(name: str, tmp_path: Path) -> None:
    build, expected, prove = TECHNIQUES[name]
    if name.startswith("cloudpickle"):
        pytest.importorskip("cloudpickle", reason="needs group test")
    marker = tmp_path / "marker"
    data = build(marker)
    if prove:
        try:
            pickle.loads(data)
        except Exception:
            pass  # broken streams raise after running the payload
        assert marker.exists(), f"fixture {name} did not run its payload"
    result = analyze(data)
    crit = [f for f in result.findings if f.severity == Severity.CRITICAL]
    assert crit, [(f.rule_id, f.severity, f.evidence) for f in result.findings]
    if expected:
        assert expected in result.callables or any(expected in f.evidence for f in crit), (
            result.callables,
            [f.evidence for f in crit],
        )


def test_broken_stream_is_also_a_finding(tmp_path: Path) -> None:
    result = analyze(_os_system(tmp_path / "m")[:-1] + b"\xff")
    assert result.error is not None and "0xff" in result.error
    assert {"AIR-PKL-001", "AIR-PKL-005"} <= rules(result)
    assert result.end_offset == len(_os_system(tmp_path / "m")) - 1


def test_stack_global_from_computed_value_is_dynamic_import(tmp_path: Path) -> None:
    result = analyze(TECHNIQUES["stack-global-computed"][0](tmp_path / "m"))
    assert "AIR-PKL-003" in rules(result)


def test_getattr_chain_flags_getattr_and_its_result(tmp_path: Path) -> None:
    result = analyze(TECHNIQUES["getattr-import"][0](tmp_path / "m"))
    names = {f.extra.get("callable") for f in severe(result)}
    assert {"builtins.__import__", "os.system", "builtins.getattr"} <= names


def test_second_pickle_is_counted(tmp_path: Path) -> None:
    result = analyze(TECHNIQUES["second-pickle"][0](tmp_path / "m"))
    assert result.pickles == 2
    single = analyze(TECHNIQUES["second-pickle"][0](tmp_path / "m"), multi=False)
    assert single.pickles == 1 and "posix.system" not in single.callables


def test_nested_pickle_bytes_are_returned(tmp_path: Path) -> None:
    inner = _os_system(tmp_path / "m")
    data = PROTO2 + b"}" + s("blob") + b(inner) + SETITEM + STOP
    result = analyze(data)
    assert result.findings == []  # the outer stream itself only holds data...
    assert [d for _, d in result.nested] == [inner]  # ...the engine recurses into the bytes
    name = result.nested[0][0]
    assert name.startswith("bytes@") and data[int(name[6:]) :].startswith(inner)
    assert "posix.system" in analyze(result.nested[0][1]).callables


def test_nested_zip_and_npy_are_returned() -> None:
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("a/data.pkl", b"\x80\x02N.")
    npy = io.BytesIO()
    __import__("numpy").save(npy, __import__("numpy").arange(3))
    data = PROTO2 + tup(b(zbuf.getvalue()), b(npy.getvalue()), b(b"\x80\x00\x01\x02" * 20)) + STOP
    kinds = [d[:4] for _, d in analyze(data).nested]
    assert kinds == [b"PK\x03\x04", b"\x93NUM"]  # random 0x80-prefixed bytes are not a pickle


def test_ext_codes_are_flagged() -> None:
    for code in (b"\x82\x01", b"\x83\x01\x02", b"\x84\x01\x02\x03\x04"):
        result = analyze(PROTO2 + code + tup() + b"R" + STOP)
        assert "AIR-PKL-004" in rules(result) and "AIR-PKL-010" in rules(result)


def test_build_on_global_is_monkey_patching(tmp_path: Path) -> None:
    # Sticky-pickle style: set an attribute on an imported class during load.
    data = (
        PROTO2
        + glob("argparse", "Namespace")
        + tup(NONE, b"}" + s("airlock_probe") + b"K\x01" + SETITEM)
        + BUILD
        + STOP
    )
    try:
        pickle.loads(data)
        assert argparse.Namespace.airlock_probe == 1  # type: ignore[attr-defined]
    finally:
        if hasattr(argparse.Namespace, "airlock_probe"):
            delattr(argparse.Namespace, "airlock_probe")
    result = analyze(data)
    assert "AIR-PKL-007" in rules(result)
    assert severe(result)


def test_setitem_on_global_dict_is_flagged() -> None:
    data = (
        PROTO2 + glob("torch.serialization", "_package_registry") + s("k") + NONE + SETITEM + STOP
    )
    assert "AIR-PKL-007" in rules(analyze(data))


def test_build_on_unresolved_object_is_flagged() -> None:
    data = PROTO2 + b"\x82\x07" + EMPTY_DICT + BUILD + STOP
    assert "AIR-PKL-006" in rules(analyze(data))


def test_ref_only_type_called_is_flagged() -> None:
    data = (
        PROTO2 + call(glob("numpy", "memmap"), s("/tmp/x"), glob("numpy", "uint8"), s("w+")) + STOP
    )
    assert "AIR-PKL-009" in rules(analyze(data))
    # ...and through copyreg.__newobj__, which calls its class argument.
    data2 = (
        PROTO2 + call(glob("copyreg", "__newobj__"), glob("numpy", "memmap"), s("/tmp/x")) + STOP
    )
    assert "AIR-PKL-009" in rules(analyze(data2))


def test_unknown_callable_blocks() -> None:
    result = analyze(PROTO2 + call(glob("mypackage.models", "Net")) + STOP)
    assert [(f.rule_id, f.severity) for f in result.findings] == [("AIR-PKL-002", Severity.HIGH)]
    assert result.callables == ["mypackage.models.Net"]


def test_dunder_traversal_is_high() -> None:
    result = analyze(PROTO4 + sglob("builtins", "object.__subclasses__") + tup() + b"R" + STOP)
    assert "AIR-PKL-008" in rules(result)


def test_codec_trick_is_flagged() -> None:
    data = PROTO2 + call(glob("_codecs", "encode"), s("cbfvk"), s("rot13")) + STOP
    assert "AIR-PKL-012" in rules(analyze(data))
    plain = analyze(PROTO2 + call(glob("_codecs", "encode"), s("abc\u00e9"), s("latin1")) + STOP)
    assert plain.findings == []


def test_codecs_encoded_nested_pickle_is_returned(tmp_path: Path) -> None:
    inner = _os_system(tmp_path / "m")
    data = PROTO2 + call(glob("_codecs", "encode"), s(inner.decode("latin-1")), s("latin1")) + STOP
    assert [d for _, d in analyze(data).nested] == [inner]


def test_torch_zip_with_payload(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    marker = tmp_path / "m"
    path = tmp_path / "evil.pt"
    torch.save({"w": torch.zeros(2), "x": _Reduce(os.system, touch_cmd(marker))}, path)
    torch.load(path, weights_only=False)
    assert marker.exists()
    with zipfile.ZipFile(path) as z:
        pkl = z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))
    result = analyze(pkl)
    assert "posix.system" in result.callables
    assert [f.extra["callable"] for f in severe(result)] == ["posix.system"]


class _EvilPayload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return os.system, (touch_cmd(self.marker),)


@pytest.mark.parametrize("compress", [0, 3])
def test_joblib_payload_after_raw_array_bytes(tmp_path: Path, compress: int) -> None:
    joblib = pytest.importorskip("joblib", reason="needs group test")
    np = pytest.importorskip("numpy", reason="needs group test")
    marker = tmp_path / "m"
    path = tmp_path / "evil.joblib"
    joblib.dump({"a": np.arange(1000.0), "b": _EvilPayload(marker)}, path, compress=compress)
    joblib.load(path)
    assert marker.exists()
    raw = path.read_bytes()
    if compress:
        import zlib

        raw = zlib.decompress(raw)
    result = analyze(raw, joblib=True)
    assert result.error is None and result.end_offset == len(raw)
    assert [f.extra["callable"] for f in severe(result)] == ["posix.system"]


def test_joblib_payload_inside_object_array(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib", reason="needs group test")
    np = pytest.importorskip("numpy", reason="needs group test")
    marker = tmp_path / "m"
    path = tmp_path / "evil.joblib"
    arr = np.empty(2, dtype=object)
    arr[0] = "fine"
    arr[1] = _EvilPayload(marker)
    joblib.dump({"before": np.ones(7), "obj": arr, "after": np.zeros(3)}, path)
    joblib.load(path)
    assert marker.exists()
    raw = path.read_bytes()
    result = analyze(raw, joblib=True)
    assert result.error is None and result.end_offset == len(raw)
    assert "posix.system" in result.callables


def test_joblib_stream_without_joblib_mode_breaks() -> None:
    joblib = pytest.importorskip("joblib", reason="needs group test")
    np = pytest.importorskip("numpy", reason="needs group test")
    buf = io.BytesIO()
    joblib.dump({"a": np.arange(50.0)}, buf)
    # Without joblib=True the raw array bytes are read as opcodes: a broken stream.
    assert analyze(buf.getvalue()).error is not None
    assert analyze(buf.getvalue(), joblib=True).error is None


DANGEROUS_NAMES = [
    "posix.system",
    "nt.system",
    "os.popen",
    "os.execv",
    "subprocess.Popen",
    "subprocess.check_output",
    "_posixsubprocess.fork_exec",
    "pty.spawn",
    "commands.getoutput",
    "multiprocessing.Process",
    "asyncio.create_subprocess_shell",
    "asyncio.unix_events._UnixSubprocessTransport._start",
    "concurrent.futures.ProcessPoolExecutor",
    "builtins.compile",
    "builtins.open",
    "builtins.setattr",
    "builtins.__import__",
    "builtins.breakpoint",
    "builtins.apply",
    "types.CodeType",
    "types.FunctionType",
    "marshal.loads",
    "copyreg.add_extension",
    "sys.settrace",
    "sys.modules",
    "runpy.run_path",
    "code.interact",
    "codeop.compile_command",
    "timeit.Timer",
    "cProfile.runctx",
    "profile.Profile.run",
    "trace.Trace.runctx",
    "pdb.Pdb.run",
    "bdb.Bdb.run",
    "doctest.debug_script",
    "idlelib.pyshell.ModifiedInterpreter.runcode",
    "lib2to3.pgen2.pgen.ParserGenerator.make_label",
    "pydoc.pipepager",
    "importlib.util.spec_from_file_location",
    "imp.load_source",
    "pkgutil.get_importer",
    "zipimport.zipimporter",
    "gc.get_objects",
    "inspect.getmodule",
    "weakref.finalize",
    "atexit.register",
    "threading.Thread",
    "_thread.start_new_thread",
    "signal.raise_signal",
    "ctypes.CDLL",
    "_ctypes.dlopen",
    "cffi.FFI",
    "numpy.ctypeslib.load_library",
    "pip.main",
    "pip._internal.main",
    "ensurepip._run_pip",
    "venv.create",
    "distutils.file_util.write_file",
    "setuptools.setup",
    "webbrowser.open",
    "pickle.loads",
    "_pickle.loads",
    "dill._dill._create_function",
    "dill._dill._load_type",
    "cloudpickle.cloudpickle._builtin_type",
    "shelve.open",
    "yaml.unsafe_load",
    "jsonpickle.decode",
    "torch.load",
    "torch.serialization.load",
    "torch.storage._load_from_bytes",
    "numpy.load",
    "joblib.load",
    "pandas.read_pickle",
    "keras.models.load_model",
    "torch.hub.load",
    "torch.jit.load",
    "torch.jit.unsupported_tensor_ops.execWrapper",
    "torch._inductor.codecache.compile_file",
    "torch._dynamo.guards.GuardBuilder.get",
    "torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression",
    "torch.utils._config_module.ConfigModule.load_config",
    "torch.utils.collect_env.run",
    "torch.utils.bottleneck.__main__.run_cprofile",
    "torch.utils.data.datapipes.utils.decoder.basichandlers",
    "torch.utils.cpp_extension.load_inline",
    "torch._C._jit_pass_inline",
    "torch.package.PackageImporter",
    "torch.ops.load_library",
    "torch.distributed.rpc.rpc_sync",
    "shutil.rmtree",
    "tempfile.mktemp",
    "glob.glob",
    "io.FileIO",
    "_io.FileIO",
    "codecs.open",
    "tarfile.open",
    "zipfile.ZipFile",
    "sqlite3.connect",
    "mmap.mmap",
    "logging.config.listen",
    "numpy.fromfile",
    "numpy.savetxt",
    "torch.save",
    "socket.create_connection",
    "ssl.get_server_certificate",
    "http.client.HTTPSConnection",
    "httplib.HTTPSConnection",
    "urllib.request.urlopen",
    "requests.api.get",
    "aiohttp.client.ClientSession",
    "httpx.get",
    "smtplib.SMTP",
    "ftplib.FTP",
    "telnetlib.Telnet",
    "xmlrpc.client.ServerProxy",
    "socketserver.TCPServer",
    "numpy.DataSource",
    "huggingface_hub.hf_hub_download",
    "transformers.dynamic_module_utils.get_class_from_dynamic_module",
    "numpy.f2py.crackfortran.getlincoef",
    "_osx_support._read_output",
    "uuid._get_command_stdout",
    "platform._syscmd_file",
    "antigravity.fly",
    "sympy.sympify",
    "pandas.eval",
    "numexpr.evaluate",
    "operator.attrgetter",
    "_operator.methodcaller",
    "functools.reduce",
    "builtins.getattr",
]


@pytest.mark.parametrize("dotted", DANGEROUS_NAMES)
@pytest.mark.parametrize("form", ["GLOBAL", "STACK_GLOBAL"])
def test_dangerous_name_table(dotted: str, form: str) -> None:
    parts = dotted.split(".")
    # Split where a real pickle would: the module is the longest importable-looking prefix we
    # know; for the test any split must be caught, so try the first component as module too.
    for cut in (1, len(parts) - 1):
        module, name = ".".join(parts[:cut]), ".".join(parts[cut:])
        ref = glob(module, name) if form == "GLOBAL" else sglob(module, name)
        result = analyze(PROTO4 + ref + POP + NONE + STOP)
        crit = [f for f in result.findings if f.severity == Severity.CRITICAL]
        assert crit, (module, name, [(f.rule_id, f.evidence) for f in result.findings])


def test_memo_fixture_is_not_fooled_by_unrelated_strings(tmp_path: Path) -> None:
    # picklescan once took the last two string opcodes before STACK_GLOBAL as its operands.
    data = (
        PROTO4
        + s("posix")
        + s("system")
        + STACK_GLOBAL
        + put(3)
        + POP
        + s("collections")
        + s("OrderedDict")
        + POP
        + POP
        + get(3)
        + tup(s(touch_cmd(tmp_path / "m")))
        + b"R"
        + STOP
    )
    pickle.loads(data)
    assert (tmp_path / "m").exists()
    assert "posix.system" in analyze(data).callables


def _wrapper_in_frame(marker: Path) -> bytes:
    """A joblib stream whose array wrapper sits mid-frame: joblib reads the array bytes from the
    file *after* the frame, then keeps executing the frame (parser-differential bait)."""
    dtype = (
        call(sglob("numpy", "dtype"), s("f8"), b"\x89", b"\x88")
        + tup(
            b"K\x03", s("<"), NONE, NONE, NONE, b"J\xff\xff\xff\xff", b"J\xff\xff\xff\xff", b"K\x00"
        )
        + BUILD
    )
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + sglob("numpy", "ndarray")
        + s("shape")
        + tup(b"K\x03")
        + s("order")
        + s("C")
        + s("dtype")
        + dtype
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    wrapper = sglob("joblib.numpy_pickle", "NumpyArrayWrapper") + b")\x81" + state + BUILD
    frame = (
        EMPTY_DICT
        + s("a")
        + wrapper
        + SETITEM
        + s("b")
        + call(sglob("posix", "system"), s(touch_cmd(marker)))
        + SETITEM
    )
    array = struct.pack("<3d", 1.0, 2.0, 3.0)
    return PROTO4 + b"\x95" + struct.pack("<Q", len(frame)) + frame + array + STOP


def test_joblib_wrapper_mid_frame_matches_loader(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    path = tmp_path / "frame.joblib"
    data = _wrapper_in_frame(marker)
    path.write_bytes(data)
    loaded = joblib.load(path)
    assert marker.exists() and list(loaded["a"]) == [1.0, 2.0, 3.0]
    result = analyze(data, joblib=True)
    assert result.error is None and result.end_offset == len(data)
    assert [f.extra["callable"] for f in severe(result)] == ["posix.system"]


def test_opcodes_hidden_in_joblib_array_bytes(tmp_path: Path) -> None:
    """joblib.load reads the bytes after a NumpyArrayWrapper as array data; pickle.load reads
    them as opcodes. Hide a payload there: it must be flagged whichever way we were told to read.
    """
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    hidden = b"cposix\nsystem\n(V" + touch_cmd(marker).encode() + b"\ntR0"
    dtype = (
        call(sglob("numpy", "dtype"), s("u1"), b"\x89", b"\x88")
        + tup(
            b"K\x03", s("|"), NONE, NONE, NONE, b"J\xff\xff\xff\xff", b"J\xff\xff\xff\xff", b"K\x00"
        )
        + BUILD
    )
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + sglob("numpy", "ndarray")
        + s("shape")
        + tup(b"M" + struct.pack("<H", len(hidden)))
        + s("order")
        + s("C")
        + s("dtype")
        + dtype
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    wrapper = sglob("joblib.numpy_pickle", "NumpyArrayWrapper") + b")\x81" + state + BUILD
    data = PROTO2 + EMPTY_DICT + s("a") + wrapper + hidden + SETITEM + STOP
    path = tmp_path / "x.joblib"
    path.write_bytes(data)
    assert bytes(joblib.load(path)["a"]) == hidden and not marker.exists()
    pickle.loads(data)  # the same bytes through pickle.load run the payload
    assert marker.exists()
    for mode in (True, False):
        result = analyze(data, joblib=mode)
        assert [f.extra["callable"] for f in severe(result)] == ["posix.system"], mode


def _wrapper_hiding(hidden: bytes, array_len: int, *, spelled: bool, lead: bytes = b"") -> bytes:
    """``lead``, a NumpyArrayWrapper of ``array_len`` uint8 items, then ``hidden``.
    ``spelled=False`` names the wrapper through UNICODE escapes, so the stream holds neither
    joblib marker and the handler reads it as a plain pickle."""
    if spelled:
        cls = sglob("joblib.numpy_pickle", "NumpyArrayWrapper")
    else:
        cls = b"V\\u006aoblib.numpy_pickle\nV\\u004eumpyArrayWrapper\n" + STACK_GLOBAL
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + sglob("numpy", "ndarray")
        + s("shape")
        + tup(b"J" + struct.pack("<i", array_len))
        + s("order")
        + s("C")
        + s("dtype")
        + call(sglob("numpy", "dtype"), s("u1"), b"\x89", b"\x88")
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    return PROTO2 + lead + cls + b")\x81" + state + BUILD + hidden + STOP


@pytest.mark.parametrize("loader", ["pickle.load", "joblib.load"])
def test_unknown_global_hidden_from_one_reading(tmp_path: Path, loader: str) -> None:
    """Red team rt13 J1/J2: the reading of a joblib stream the handler did not assume kept
    only AIR-PKL-001/003, so an unknown global (AIR-PKL-002: sympy's sympify runs code as
    surely as os.system) hidden in "array bytes" for pickle.load, or behind a BINBYTES the
    plain reading swallows for joblib.load, was allowed."""
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    gadget = call(glob("logging", "FileHandler"), s(str(marker))) + POP
    if loader == "pickle.load":  # markers spelled out: the handler reads it as joblib
        data = _wrapper_hiding(gadget, len(gadget), spelled=True)
    else:  # no markers: read as a plain pickle, whose BINBYTES swallows the gadget
        data = _wrapper_hiding(b"B" + struct.pack("<I", len(gadget)) + gadget, 5, spelled=False)
    path = tmp_path / "x.pkl"
    path.write_bytes(data)
    if loader == "pickle.load":
        joblib.load(path)
        assert not marker.exists()
        pickle.loads(data)
    else:
        pickle.loads(data)
        assert not marker.exists()
        joblib.load(path)
    assert marker.exists()  # the loader ran the hidden global (it created the file)
    for mode in (True, False):
        found = [f for f in severe(analyze(data, joblib=mode)) if f.rule_id == "AIR-PKL-002"]
        assert [f.extra["callable"] for f in found] == ["logging.FileHandler"], mode


def _object_array_over(outer_memo: bytes, inner: bytes) -> bytes:
    """A protocol-4 joblib stream: ``outer_memo`` (memoized, popped), then a one-item object
    array wrapper whose inner pickle is ``inner``. joblib.load gives the inner pickle a memo of
    its own; pickle.load reads it on with the outer memo (keys 0, 1...)."""
    dtype = call(sglob("numpy", "dtype"), s("O8"), b"\x89", b"\x88")
    dtype += tup(b"K\x03", s("|"), NONE, NONE, NONE, b"J\xff\xff\xff\xff" * 2, b"K?") + BUILD
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + sglob("numpy", "ndarray")
        + s("shape")
        + b"K\x01\x85"
        + s("order")
        + s("C")
        + s("dtype")
        + dtype
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    wrapper = sglob("joblib.numpy_pickle", "NumpyArrayWrapper") + b")\x81" + state + BUILD
    return PROTO4 + outer_memo + wrapper + PROTO4 + inner + STOP + STOP


def test_inner_pickle_taking_a_gadget_from_the_outer_memo(tmp_path: Path) -> None:
    """Red team rt13 MEMO1: an object array's inner pickle whose ``BINGET 0; BINGET 1;
    STACK_GLOBAL`` reads its own memo under joblib.load (builtins.str) but the outer one under
    pickle.load (a gadget stored there as two data strings). Both readings resolve a global at
    that offset, which the other-reading rule took for honest memo-key reuse: allowed, ran."""
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    outer = s("logging") + MEMOIZE + POP + s("FileHandler") + MEMOIZE + POP
    inner = s("builtins") + MEMOIZE + s("str") + MEMOIZE + POP + POP + get(0) + get(1)
    inner += STACK_GLOBAL + s(str(marker)) + b"\x85" + REDUCE
    data = _object_array_over(outer, inner)
    path = tmp_path / "x.joblib"
    path.write_bytes(data)
    with contextlib.suppress(Exception):  # joblib wants an array back; it got str(marker)
        joblib.load(path)
    assert not marker.exists()
    pickle.loads(data)
    assert marker.exists()  # pickle.load ran the gadget (it created the file)
    found = [f for f in severe(analyze(data, joblib=True)) if f.rule_id == "AIR-PKL-002"]
    assert [f.extra["callable"] for f in found] == ["logging.FileHandler"]
    assert found[0].extra["loader"] == "pickle.load"


def test_inner_pickle_taking_only_a_gadget_name_from_the_outer_memo(tmp_path: Path) -> None:
    """review13 #8: MEMO1 with the module string shared by both readings (pathlib): under
    joblib.load the inner pickle calls pathlib.Path (harmless), under pickle.load
    pathlib.Path.write_text, which writes any file with chosen content. Dropped as memo-key
    reuse while only both-strings-differ was kept: allowed, ran."""
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    outer = s("pathlib") + MEMOIZE + POP + s("Path.write_text") + MEMOIZE + POP
    inner = s("pathlib") + MEMOIZE + s("Path") + MEMOIZE + POP + POP + get(0) + get(1)
    inner += STACK_GLOBAL + call(sglob("pathlib", "Path"), s(str(marker))) + s("x") + b"\x86"
    inner += REDUCE
    data = _object_array_over(outer, inner)
    path = tmp_path / "x.joblib"
    path.write_bytes(data)
    with contextlib.suppress(Exception):  # joblib wants an array back
        joblib.load(path)
    assert not marker.exists()
    pickle.loads(data)
    assert marker.read_text() == "x"  # pickle.load wrote the file
    for mode in (True, False):
        found = [f for f in severe(analyze(data, joblib=mode)) if f.rule_id == "AIR-PKL-002"]
        assert [f.extra["callable"] for f in found] == ["pathlib.Path.write_text"], mode


def test_global_referenced_by_one_reading_and_called_by_the_other(tmp_path: Path) -> None:
    """review13 #16: the same GLOBAL numpy.memmap at the same offset is only referenced under
    joblib.load (the bytes after the wrapper are array data) but called under pickle.load
    (they are opcodes there): memmap(path, mode='w+') creates the file. Both readings resolve
    the same global there, so its use in the other reading was dropped: allowed, ran."""
    joblib = pytest.importorskip("joblib", reason="needs group test")
    marker = tmp_path / "m"
    hidden = POP + MARK + s(str(marker)) + s("uint8") + s("w+") + b"K\x00" + b"K\x10\x85"
    hidden += TUPLE + REDUCE + NONE
    data = _wrapper_hiding(hidden, len(hidden), spelled=True, lead=sglob("numpy", "memmap"))
    path = tmp_path / "x.joblib"
    path.write_bytes(data)
    joblib.load(path)
    assert not marker.exists()
    pickle.loads(data)
    assert marker.exists()  # pickle.load called memmap (it created the file)
    for mode in (True, False):
        found = [f for f in severe(analyze(data, joblib=mode)) if f.rule_id == "AIR-PKL-009"]
        assert [f.extra["subject"] for f in found] == ["numpy.memmap"], mode


def test_inner_pickle_reading_one_outer_string_stays_clean() -> None:
    """What honest joblib object arrays do under pickle.load: the inner pickle's BINGET of its
    module string reads an outer data string, its name is a literal ('classes_.dtype'). The
    loader fails to import that; not a finding (412 honest saves: RELIABILITY.md, rt13)."""
    outer = s("classes_") + MEMOIZE + POP
    inner = s("numpy") + MEMOIZE + POP + get(0) + s("dtype") + STACK_GLOBAL + s("O8") + b"\x85"
    inner += REDUCE
    assert not severe(analyze(_object_array_over(outer, inner), joblib=True))


def test_inner_pickle_taking_a_stdlib_module_with_the_same_name(tmp_path: Path) -> None:
    """Red team rt15pk: the honest shape above with a standard-library module string in the
    outer memo: under joblib.load the inner pickle calls numpy's _reconstruct, under pickle.load
    copy._reconstruct(None, None, func, args), which calls func(*args) (an optuna Study given
    a SQLite URL creates that file). Dropped as the honest shape: allowed, ran."""
    outer = s("copy") + MEMOIZE + POP
    inner = s("numpy._core.multiarray") + MEMOIZE + POP + get(0) + s("_reconstruct")
    inner += STACK_GLOBAL + MARK + NONE + NONE + sglob("optuna.study.study", "Study")
    inner += tup(s("n"), s(f"sqlite:///{tmp_path / 'm.db'}")) + TUPLE + REDUCE
    data = _object_array_over(outer, inner)
    found = [f for f in severe(analyze(data, joblib=True)) if f.rule_id == "AIR-PKL-002"]
    assert [f.extra["callable"] for f in found] == ["copy._reconstruct"]
    assert found[0].extra["loader"] == "pickle.load"
    pytest.importorskip("optuna")
    pytest.importorskip("sqlalchemy")
    _load_in_child(data)  # raises (no such study) after the file is made
    assert (tmp_path / "m.db").exists()


def test_inner_pickle_taking_index_arrays_from_the_outer_memo(tmp_path: Path) -> None:
    """Red team rt15pk: a csr_matrix in an object array's inner pickle whose ``indices`` is a
    BINGET: its own in-range array under joblib.load, an out-of-range one stored by the outer
    stream under pickle.load (toarray() then writes out of bounds). Both readings build the
    same global there, so the other reading's AIR-PKL-017 was dropped as misread bytes."""
    outer = int32_array([0, 1, 50_000_000]) + MEMOIZE + POP
    inner = int32_array([0, 1, 2]) + MEMOIZE + POP
    inner += glob("scipy.sparse._csr", "csr_matrix") + b")\x81" + EMPTY_DICT + MARK
    inner += s("_shape") + b"K\x03K\x03\x86" + s("maxprint") + b"K\x32"
    inner += s("indices") + get(0) + s("indptr") + int32_array([0, 1, 2, 3])
    inner += s("data") + int32_array([1, 1, 1]) + b"u" + BUILD
    data = _object_array_over(outer, inner)
    found = [f for f in severe(analyze(data, joblib=True)) if f.rule_id == "AIR-PKL-017"]
    assert len(found) == 1 and found[0].extra["loader"] == "pickle.load"
    assert "50000000 out of range" in found[0].evidence
    # the oracle (a child: only the indices are read, no array is touched)
    assert _load_in_child(data, "print(int(o.indices.max()), o.shape)") == "50000000 (3, 3)"


def _load_in_child(data: bytes, then: str = "") -> str:
    """pickle.loads ``data`` in a child process, run ``then`` on the result ``o``; its stdout."""
    code = "import pickle,sys\ntry: o = pickle.loads(sys.stdin.buffer.read())\n"
    code += f"except Exception: o = None\n{then}"
    proc = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=120, check=False
    )
    return proc.stdout.decode().strip()


def test_python2_names_are_mapped_only_below_protocol_3() -> None:
    # Unpicklers apply the __builtin__ -> builtins mapping only for protocols 0-2 (fix_imports).
    old = analyze(PROTO2 + glob("__builtin__", "eval") + POP + NONE + STOP)
    assert old.callables == ["builtins.eval"] and severe(old)
    new = analyze(b"\x80\x03" + glob("__builtin__", "eval") + POP + NONE + STOP)
    assert new.callables == ["__builtin__.eval"]
    assert [f.rule_id for f in new.findings] == ["AIR-PKL-002"]  # not importable on Python 3


def test_overstated_frame_around_joblib_wrapper_terminates(tmp_path: Path) -> None:
    # Fuzzer regression: a frame claiming to run past the end put the array read past EOF.
    data = _wrapper_in_frame(tmp_path / "m")
    length = struct.unpack_from("<Q", data, 3)[0]
    for extra in (1, 24, 25, 1000):
        bad = data[:3] + struct.pack("<Q", length + extra) + data[11:]
        for mode in (True, False):
            result = analyze(bad, joblib=mode)
            assert result.error is not None and result.end_offset <= len(bad)


def test_binstring_operands_for_stack_global(tmp_path: Path) -> None:
    # modelscan missed STACK_GLOBAL operands written as (SHORT_)BINSTRING.
    marker = tmp_path / "m"
    data = (
        PROTO4
        + b"U\x05posixT\x06\x00\x00\x00system"
        + STACK_GLOBAL
        + tup(s(touch_cmd(marker)))
        + b"R."
    )
    pickle.loads(data)
    assert marker.exists()
    assert "posix.system" in analyze(data).callables


def test_newobj_ex_and_inst_of_dangerous_class() -> None:
    newobj_ex = PROTO4 + sglob("subprocess", "Popen") + tup(s("id")) + EMPTY_DICT + b"\x92" + STOP
    inst = b"(S'id'\nisubprocess\nPopen\n."
    for data in (newobj_ex, inst):
        result = analyze(data)
        assert [f.extra["callable"] for f in severe(result)] == ["subprocess.Popen"]
