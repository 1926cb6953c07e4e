"""Static analysis of Python files shipped in model repositories (``trust_remote_code`` imports
them): parse with ``ast`` — never import — and report process, network, file, dynamic-code and
obfuscation patterns, resolving import aliases (``from os import system as s``)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from airlock.report import Severity

MAX_SOURCE_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_ISSUES = 200
LONG_BLOB = 2000

PROCESS = {
    "os.system", "os.popen", "os.execl", "os.execle", "os.execlp", "os.execv", "os.execve",
    "os.execvp", "os.execvpe", "os.spawnl", "os.spawnle", "os.spawnv", "os.spawnve",
    "os.spawnlp", "os.spawnvp", "os.fork", "os.forkpty", "os.posix_spawn", "os.posix_spawnp",
    "os.startfile", "pty.spawn", "commands.getoutput", "commands.getstatusoutput",
    "platform.popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
}  # fmt: skip
PROCESS_MODULES = ("subprocess.",)
DYNAMIC = {
    "eval", "exec", "compile", "__import__", "builtins.eval", "builtins.exec",
    "builtins.compile", "builtins.__import__", "importlib.import_module",
    "importlib.__import__", "runpy.run_path", "runpy.run_module", "marshal.loads",
    "marshal.load", "pickle.loads", "pickle.load", "dill.loads", "dill.load",
    "cloudpickle.loads", "cloudpickle.load", "types.FunctionType", "types.CodeType",
    "ctypes.CDLL", "ctypes.cdll.LoadLibrary", "ctypes.WinDLL", "ctypes.PyDLL",
    "ctypes.pythonapi", "code.interact", "code.InteractiveInterpreter",
}  # fmt: skip
NETWORK_MODULES = (
    "socket.", "urllib.request.", "urllib2.", "requests.", "httpx.", "http.client.", "ftplib.",
    "smtplib.", "telnetlib.", "paramiko.", "aiohttp.", "websocket.", "websockets.",
    "xmlrpc.client.",
)  # fmt: skip
NETWORK = {"urllib.urlopen", "urllib.urlretrieve", "webbrowser.open"}
FILE_WRITE = {
    "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.rename", "os.replace",
    "os.chmod", "os.chown", "os.symlink", "os.link", "os.makedirs", "shutil.rmtree",
    "shutil.move", "shutil.copy", "shutil.copyfile", "shutil.copytree", "shutil.chown",
}  # fmt: skip
DECODERS = {
    "base64.b64decode", "base64.b32decode", "base64.b16decode", "base64.a85decode",
    "base64.b85decode", "base64.decodebytes", "codecs.decode", "zlib.decompress",
    "gzip.decompress", "bz2.decompress", "lzma.decompress", "bytes.fromhex", "binascii.unhexlify",
    "binascii.a2b_base64",
}  # fmt: skip
REFLECTION = {"getattr", "globals", "locals", "vars", "setattr", "builtins.getattr"}


@dataclass(frozen=True)
class CodeIssue:
    """``category``: process, dynamic, network, file, obfuscation, reflection, syntax."""

    category: str
    severity: Severity
    line: int | None
    evidence: str


_Add = Callable[[str, Severity, ast.AST, str], None]


class _Aliases(ast.NodeVisitor):
    """Name -> fully qualified name, from every import statement in the file."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if a.asname:
                self.names[a.asname] = a.name
            else:
                self.names[a.name.split(".")[0]] = a.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        for a in node.names:
            self.names[a.asname or a.name] = f"{base}.{a.name}" if base else a.name


def _dotted(node: ast.AST, aliases: dict[str, str], depth: int = 0) -> str | None:
    if depth > 50:
        return None
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, aliases, depth + 1)
        return f"{base}.{node.attr}" if base else None
    return None


def _module_level(tree: ast.Module) -> set[int]:
    """ids of nodes that run at import time (outside function bodies)."""
    out: set[int] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # decorators and default values run at import; the body does not
            stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            continue
        out.add(id(node))
        stack.extend(ast.iter_child_nodes(node))
    return out


def _raise(severity: Severity, at_import: bool) -> Severity:
    return Severity(min(Severity.CRITICAL, severity + 1)) if at_import else severity


def analyze_python(source: bytes | str) -> list[CodeIssue]:
    """Every risky call in ``source``; calls that run at import time are one severity higher."""
    if len(source) > MAX_SOURCE_BYTES:
        return [CodeIssue("syntax", Severity.MEDIUM, None, f"{len(source)} bytes: too large")]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        return [CodeIssue("syntax", Severity.LOW, line, f"cannot parse: {exc}")]
    except (RecursionError, MemoryError):
        return [CodeIssue("syntax", Severity.MEDIUM, None, "nested too deeply to parse")]
    aliases = _Aliases()
    try:
        aliases.visit(tree)
        import_time = _module_level(tree)
        nodes = []
        for i, node in enumerate(ast.walk(tree)):
            if i > MAX_NODES:
                return [CodeIssue("syntax", Severity.MEDIUM, None, "too many syntax nodes")]
            nodes.append(node)
    except RecursionError:
        return [CodeIssue("syntax", Severity.MEDIUM, None, "nested too deeply to analyse")]
    issues: list[CodeIssue] = []
    seen: set[tuple[str, int | None, str]] = set()

    def add(category: str, severity: Severity, node: ast.AST, evidence: str) -> None:
        line = getattr(node, "lineno", None)
        key = (category, line, evidence)
        if key in seen or len(issues) >= MAX_ISSUES:
            return
        seen.add(key)
        sev = _raise(severity, id(node) in import_time)
        where = " (runs at import)" if id(node) in import_time else ""
        issues.append(CodeIssue(category, sev, line, evidence + where))

    for node in nodes:
        if isinstance(node, ast.Call):
            _judge_call(node, aliases.names, add)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            if len(node.value) > LONG_BLOB and _looks_encoded(node.value):
                add("obfuscation", Severity.MEDIUM, node, f"{len(node.value)}-char encoded blob")
        elif isinstance(node, ast.Attribute) and node.attr in {
            "__subclasses__",
            "__globals__",
            "__builtins__",
            "__code__",
            "f_globals",
        }:
            add("reflection", Severity.MEDIUM, node, f"access to {node.attr}")
    return issues


def _looks_encoded(value: str | bytes) -> bool:
    text = value if isinstance(value, str) else value.decode("latin-1")
    sample = text[:4096]
    allowed = sum(c.isalnum() or c in "+/=_-\n" for c in sample)
    return " " not in sample[:200] and allowed / max(1, len(sample)) > 0.97


def _judge_call(node: ast.Call, aliases: dict[str, str], add: _Add) -> None:
    name = _dotted(node.func, aliases)
    if name is None:
        return
    if name in PROCESS or name.startswith(PROCESS_MODULES) or name == "subprocess":
        add("process", Severity.HIGH, node, f"call {name}()")
    elif name in DYNAMIC:
        decoded = [a for a in node.args if isinstance(a, ast.Call) and _decodes(a, aliases)]
        if decoded and name.split(".")[-1] in {"exec", "eval", "compile", "loads"}:
            add("obfuscation", Severity.CRITICAL, node, f"{name}() of decoded data")
        else:
            add("dynamic", Severity.HIGH, node, f"call {name}()")
    elif name in NETWORK or name.startswith(NETWORK_MODULES):
        add("network", Severity.MEDIUM, node, f"call {name}()")
    elif name in FILE_WRITE:
        add("file", Severity.LOW, node, f"call {name}()")
    elif name == "open" and _write_mode(node):
        add("file", Severity.LOW, node, "open() for writing")
    elif name in REFLECTION and node.args:
        first = node.args[0]
        if (
            name.endswith("getattr")
            and isinstance(first, ast.Name)
            and first.id
            in {
                "__builtins__",
                "builtins",
                "os",
                "subprocess",
            }
        ):
            add("reflection", Severity.HIGH, node, f"getattr on {first.id}")
        elif name in {"globals", "locals", "vars"}:
            add("reflection", Severity.LOW, node, f"call {name}()")


def _decodes(node: ast.Call, aliases: dict[str, str]) -> bool:
    name = _dotted(node.func, aliases) or ""
    if name in DECODERS or name.endswith((".decode", ".decompress", "b64decode")):
        return True
    return any(isinstance(a, ast.Call) and _decodes(a, aliases) for a in node.args)


def _write_mode(node: ast.Call) -> bool:
    mode: ast.AST | None = node.args[1] if len(node.args) > 1 else None
    for kw in node.keywords:
        if kw.arg == "mode":
            mode = kw.value
    return (
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and any(c in mode.value for c in "wax+")
    )
