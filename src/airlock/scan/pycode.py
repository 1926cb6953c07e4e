"""Static analysis of Python files shipped in model repositories (``trust_remote_code`` imports
them): parse with ``ast`` — never import — and report process, network, file, dynamic-code and
obfuscation patterns, resolving import aliases (``from os import system as s``), simple
assignments (``s = os.system``) and the routes to a module or builtin that go around an import
statement: module registries and namespaces (``sys.modules["os"]``, ``sys.modules.get("os")``,
``__builtins__["exec"]``, ``globals()["__builtins__"]``, ``vars(m)[...]``, ``m.__dict__[...]``),
``__import__("os")``, ``importlib.import_module("os")`` and ``getattr(m, "name")``. Such a
lookup whose key is not a constant cannot be resolved: calling through it is itself a finding
(dynamic code).

A dangerous callable is judged wherever it is referenced, not only where it is called: passed as
a value (``atexit.register(os.system, ...)``, ``map(os.system, ...)``,
``functools.partial(os.system, ...)``, ``staticmethod(system)``, ``{"x": os.system}``) it is
called by other code. Attribute chains that walk through a module another module imported
(``platform.os.system``, ``shutil.os.system``) are the module they reach. ``timeit`` runs a
code string, ``operator.methodcaller``/``attrgetter`` look up the name they are given, and
``torch.hub.load`` of a repository fetches and runs its ``hubconf.py``.

Stdlib runners and resolvers are dynamic code too: ``cProfile``/``profile``/``trace``/``pdb``
``run*`` of a code string, ``doctest``, ``code``, ``zipimport``, ``importlib.util`` loaders,
``pkgutil.resolve_name``/``pydoc.locate``, ``logging.config.fileConfig``/``listen``; a string
that names a dangerous callable (``"os:system"``, a dictConfig ``"()": "os.system"`` factory)
is one a resolver calls. Writing a file named ``*.py``/``*.pth``/... or into site-packages plants
code a later import runs (HIGH); a bare ``sys.path`` edit is LOW."""

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
    # stdlib runners and resolvers: each runs a code string or returns the callable a string
    # names (rt12 f3)
    "code.InteractiveConsole", "code.compile_command", "cProfile.run", "cProfile.runctx",
    "profile.run", "profile.runctx", "cProfile.Profile().run", "cProfile.Profile().runctx",
    "profile.Profile().run", "profile.Profile().runctx", "trace.Trace().run",
    "trace.Trace().runctx", "pdb.run", "pdb.runeval", "pdb.runctx", "pdb.runcall",
    "pdb.Pdb().run", "pdb.Pdb().runeval", "pdb.Pdb().runctx", "bdb.Bdb().run",
    "bdb.Bdb().runeval", "bdb.Bdb().runctx", "doctest.run_docstring_examples",
    "doctest.testmod", "doctest.testfile", "doctest.DocTestRunner", "doctest.DebugRunner",
    "doctest.debug_src", "doctest.debug_script", "pkgutil.resolve_name", "pydoc.locate",
    "pydoc.importfile", "zipimport.zipimporter", "imp.load_source", "imp.load_module",
    "imp.load_compiled", "importlib.util.spec_from_file_location",
    "importlib.util.spec_from_loader", "importlib.machinery.SourceFileLoader",
    "importlib.machinery.SourcelessFileLoader", "importlib.machinery.ExtensionFileLoader",
    "logging.config.fileConfig", "logging.config.listen",
}  # fmt: skip
# classes whose instances run code (``trace.Trace().run("...")``, ``t = cProfile.Profile()``):
# a call of one is named ``<class>()`` so that its methods can be listed in DYNAMIC
RUNNER_CLASSES = {"cProfile.Profile", "profile.Profile", "trace.Trace", "pdb.Pdb", "bdb.Bdb"}
# dictConfig builds objects by calling the factory a "()" key names
DICT_CONFIG = {"logging.config.dictConfig", "logging.config.DictConfigurator"}
# a written file with one of these names (or into site-packages) is imported or run later
CODE_SUFFIXES = (".py", ".pyc", ".pth", ".pyw", ".so", ".pyd")
PATH_WRITERS = ("write_text", "write_bytes")
SYS_PATH_EDITS = {"sys.path.insert", "sys.path.append", "sys.path.extend", "site.addsitedir"}
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
# what a lookup through a module registry or namespace resolves to when its key is not constant
DYN = "<dynamic>"
SELF = "<this module>"  # sys.modules[__name__]
NAMESPACES = {"globals": "globals()", "locals": "locals()", "vars": "vars()"}
IMPORTERS = {"__import__", "importlib.import_module", "importlib.__import__"}
LOOKUP_METHODS = ("get", "__getitem__", "pop")
# modules whose attributes looked up by a computed name reach processes or code
SENSITIVE_MODULES = {
    "builtins", "os", "posix", "nt", "subprocess", "sys", "importlib", "pty", "ctypes", "marshal",
    "pickle", "runpy", "code", "types", "shutil", "socket", "io", "operator",
}  # fmt: skip
# modules that other modules re-export as an attribute (``platform.os``, ``shutil.os``,
# ``torch.os``): an attribute path reaching one of them names that module
REEXPORTED = {
    "os", "posix", "nt", "subprocess", "builtins", "__builtins__", "pty", "ctypes", "socket",
    "importlib", "runpy", "marshal", "pickle", "sys", "code", "types",
}  # fmt: skip
# referenced as a value (not called where the reference is), these still run processes or code
SUBPROCESS_CALLS = {
    "subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
    "subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput",
}  # fmt: skip
REF_NETWORK = {"socket.socket", "socket.create_connection", "socket.fromfd", "socket.socketpair"}
TIMEIT = {"timeit.timeit", "timeit.repeat", "timeit.Timer"}
# attribute names that operator.methodcaller / attrgetter must not be handed
DANGEROUS_ATTRS = {
    "system", "popen", "execl", "execle", "execlp", "execv", "execve", "execvp", "execvpe",
    "spawnl", "spawnle", "spawnv", "spawnve", "spawnlp", "spawnvp", "posix_spawn", "posix_spawnp",
    "startfile", "fork", "forkpty", "eval", "exec", "compile", "__import__", "import_module",
    "Popen", "run", "call", "check_call", "check_output", "getoutput", "getstatusoutput",
    "loads", "load", "CDLL", "LoadLibrary", "pythonapi", "run_path", "run_module",
    "__globals__", "__builtins__", "__subclasses__", "__code__", "modules", "f_globals",
}  # fmt: skip
ATTR_GETTERS = {"operator.methodcaller", "operator.attrgetter"}
# modules whose attributes fetched by a computed name and passed on are processes or code
CODE_MODULES = {
    "os", "subprocess", "builtins", "pty", "ctypes", "importlib", "runpy", "marshal", "pickle",
    "code",
}  # fmt: skip
# what ``from <module> import *`` binds that is dangerous (a star import of os binds system)
STAR_NAMES = frozenset(
    n for n in (*PROCESS, *SUBPROCESS_CALLS, *DYNAMIC) if n.count(".") == 1
)  # fmt: skip
BUILTIN_NAMES = {"eval", "exec", "compile", "__import__"}


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
            if a.name == "*" and base:  # from os import *: its dangerous names, unqualified
                module = _normalise(base)
                for full in STAR_NAMES:
                    mod, _, short = full.rpartition(".")
                    if mod == module:
                        self.names.setdefault(short, full)
                continue
            self.names[a.asname or a.name] = f"{base}.{a.name}" if base else a.name


def _bind_assignments(nodes: list[ast.AST], names: dict[str, str]) -> None:
    """Add ``x = <resolvable expression>`` bindings (any scope, flow-insensitive) to ``names``:
    ``s = os.system``, ``m = sys.modules["os"]``, ``f = globals()[key]`` (dynamic). A name
    bound to several values keeps the riskiest; import aliases stay as they are."""
    pairs: list[tuple[str, ast.AST]] = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            pairs.extend((t.id, node.value) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            if isinstance(node.target, ast.Name):
                pairs.append((node.target.id, node.value))
    imported = set(names)
    for _ in range(2):  # a second round resolves chains (a = sys.modules; b = a["os"])
        for name, value in pairs:
            if name in imported:
                continue
            resolved = _dotted(value, names)
            if resolved is None or resolved == name:
                continue
            old = names.get(name)
            if old is None or _risk(resolved) > _risk(old):
                names[name] = resolved


def _risk(name: str) -> int:
    if name.startswith(DYN):
        return 3
    if name in PROCESS or name.startswith(PROCESS_MODULES) or name in DYNAMIC:
        return 2
    return 1 if name.split(".")[0] in SENSITIVE_MODULES else 0


def _reached(name: str) -> str | None:
    """The dangerous callable an attribute path reaches, or None: the path itself, a path
    through it (``os.system.__call__``), or one that walks through a module another object
    re-exports (``platform.os.system``, ``shutil.os.system``, ``torch.os.system``)."""
    if name.startswith(DYN):
        return None
    parts = name.split(".")
    starts = [0] + [i for i in range(1, len(parts)) if parts[i] in REEXPORTED]
    for i in starts:
        tail = parts[i:]
        for k in range(1, len(tail) + 1):
            cand = ".".join(tail[:k])
            if i:
                cand = _normalise(cand)
            if _ref_danger(cand) is not None:
                return cand
    return None


def _ref_danger(name: str) -> str | None:
    """The category of a dangerous callable ``name`` refers to, wherever the reference is."""
    if name in PROCESS or name in SUBPROCESS_CALLS or name.startswith("pty."):
        return "process"
    if name in DYNAMIC or name in TIMEIT or name.startswith("runpy."):
        return "dynamic"  # runpy's private helpers (_run_code, _run_module_as_main) run code too
    root, _, rest = name.partition(".")
    if root == "ctypes" and rest.split(".")[0] in {
        "CDLL", "cdll", "PyDLL", "pydll", "WinDLL", "windll", "pythonapi", "LoadLibrary",
    }:  # fmt: skip
        return "dynamic"
    if name in REF_NETWORK:
        return "network"
    return None


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _normalise(name: str) -> str:
    """``__builtins__`` is the builtins module (or its dict); posix/nt are what os re-exports."""
    root, _, rest = name.partition(".")
    if root == "__builtins__":
        root = "builtins"
    elif root in ("posix", "nt"):
        root = "os"
    return f"{root}.{rest}" if rest else root


def _lookup(container: str, key: ast.AST | None, aliases: dict[str, str]) -> str | None:
    """``container[key]`` / ``container.get(key)`` when ``container`` is a module registry or a
    namespace; None when it is not (an ordinary subscript)."""
    k = _const_str(key)
    if container.startswith(DYN):
        return DYN
    if container == "sys.modules":
        if isinstance(key, ast.Name) and key.id == "__name__":
            return SELF
        return _normalise(k) if k else DYN
    if container in NAMESPACES.values():
        return _normalise(aliases.get(k, k)) if k else DYN
    if container.endswith(".__dict__") or container == "builtins":
        base = container.removesuffix(".__dict__")
        if not k:
            return DYN
        return _normalise(k) if base == "builtins" else f"{base}.{k}"
    return None


def _dotted(node: ast.AST, aliases: dict[str, str], depth: int = 0) -> str | None:
    """The qualified name ``node`` evaluates to, or :data:`DYN` (a registry lookup that cannot
    be resolved, and whatever is reached through it), or None (not a name)."""
    if depth > 50:
        return None
    if isinstance(node, ast.Name):
        return _normalise(aliases.get(node.id, node.id))
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, aliases, depth + 1)
        if base is None:
            return None
        return DYN if base.startswith(DYN) else f"{base}.{node.attr}"
    if isinstance(node, ast.Subscript):
        base = _dotted(node.value, aliases, depth + 1)
        return None if base is None else _lookup(base, node.slice, aliases)
    if isinstance(node, ast.Call):
        return _call_result(node, aliases, depth)
    return None


def _call_result(node: ast.Call, aliases: dict[str, str], depth: int) -> str | None:
    """What a call returns when it is a route to a module or a namespace."""
    func = node.func
    arg0 = node.args[0] if node.args else None
    if isinstance(func, ast.Attribute) and func.attr in LOOKUP_METHODS:
        base = _dotted(func.value, aliases, depth + 1)
        if base is not None:
            return _lookup(base, arg0, aliases)
    name = _dotted(func, aliases, depth + 1)
    if name is None:
        return None
    if name.startswith(DYN):
        return DYN
    if name in RUNNER_CLASSES:
        return f"{name}()"
    short = name.removeprefix("builtins.")
    if short in NAMESPACES:
        if short == "vars" and arg0 is not None:
            inner = _dotted(arg0, aliases, depth + 1)
            return f"{inner or '<object>'}.__dict__"
        return NAMESPACES[short]
    if name in IMPORTERS or short in IMPORTERS:
        mod = _const_str(arg0)
        if mod is None:
            return DYN
        fromlist = len(node.args) > 3 or any(k.arg == "fromlist" for k in node.keywords)
        if short == "__import__" and not fromlist:
            mod = mod.split(".")[0]  # __import__("os.path") returns os
        return _normalise(mod)
    if short == "getattr" and len(node.args) >= 2:
        inner = _dotted(node.args[0], aliases, depth + 1)
        attr = _const_str(node.args[1])
        if inner is None:
            return None
        if inner.startswith(DYN):
            return DYN
        if attr is not None:
            return f"{inner}.{attr}"
        if inner.split(".")[0] in SENSITIVE_MODULES or inner in NAMESPACES.values():
            return DYN
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
    try:
        _bind_assignments(nodes, aliases.names)
    except RecursionError:
        return [CodeIssue("syntax", Severity.MEDIUM, None, "nested too deeply to analyse")]
    issues: list[CodeIssue] = []
    seen: set[tuple[str, int | None, str]] = set()
    parents: dict[int, ast.AST] = {}
    bound: set[str] = set()  # names the file binds itself (a def, an argument, an assignment)
    defs: set[str] = set()  # the file's functions, classes and parameters (maybe callables)
    for node in nodes:
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            defs.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
            defs.add(node.arg)

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
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)) and _is_reference(
            node, parents.get(id(node))
        ):
            try:
                _judge_reference(node, aliases.names, bound, add)
            except RecursionError:
                add("syntax", Severity.MEDIUM, node, "expression nested too deeply to analyse")
        if isinstance(node, (ast.Call, ast.Subscript)):
            try:
                if isinstance(node, ast.Call):
                    _judge_call(node, aliases.names, add, defs)
                _judge_lookup(node, aliases.names, add)
            except RecursionError:
                add("syntax", Severity.MEDIUM, node, "expression nested too deeply to analyse")
        elif isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            if len(node.value) > LONG_BLOB and _looks_encoded(node.value):
                add("obfuscation", Severity.MEDIUM, node, f"{len(node.value)}-char encoded blob")
            elif isinstance(node.value, str) and (hit := _names_callable(node.value)):
                add(
                    "dynamic",
                    Severity.HIGH,
                    node,
                    f"string {node.value[:80]!r} names {hit} (a resolver or factory key calls it)",
                )
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


def _is_reference(node: ast.AST, parent: ast.AST | None) -> bool:
    """A whole name, attribute path or lookup call read as a value: not part of a longer
    attribute path, not the callee of a call (:func:`_judge_call` judges those), not a
    registry lookup (:func:`_judge_lookup`)."""
    if isinstance(node, (ast.Name, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
        return False
    if isinstance(node, ast.Call) and (
        isinstance(node.func, ast.Attribute) and node.func.attr in LOOKUP_METHODS
    ):
        return False
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return False
    return not (isinstance(parent, ast.Call) and parent.func is node)


def _judge_reference(node: ast.expr, aliases: dict[str, str], bound: set[str], add: _Add) -> None:
    """A dangerous callable read as a value (an argument, a container item, a class attribute,
    an alias): whatever receives it can call it."""
    name = _dotted(node, aliases)
    if name is not None and name.startswith(DYN) and isinstance(node, ast.Call):
        module = _computed_attribute_of(node, aliases)
        if module is not None:
            what = ast.unparse(node)[:120]
            add(
                "dynamic",
                Severity.HIGH,
                node,
                f"{what}: a computed name of {module} passed as a value",
            )
        return
    if name is None or name.startswith(DYN) or name == SELF:
        return
    if isinstance(node, ast.Name) and node.id in bound and node.id not in aliases:
        return  # the file's own def, argument or variable of that name
    hit = _reached(name)
    if hit is not None:
        category = _ref_danger(hit) or "dynamic"
        what = hit if hit == name else f"{hit} (as {name})"
        add(category, Severity.HIGH, node, f"{what} passed as a value (other code calls it)")


def _computed_attribute_of(node: ast.Call, aliases: dict[str, str]) -> str | None:
    """``getattr(os, name)`` with a computed name: the process or code module it looks in."""
    func = _dotted(node.func, aliases)
    if func not in ("getattr", "builtins.getattr") or len(node.args) < 2:
        return None
    if _const_str(node.args[1]) is not None:
        return None
    module = _dotted(node.args[0], aliases)
    return module if module in CODE_MODULES else None


def _code_string(node: ast.expr | None, defs: frozenset[str] | set[str]) -> bool:
    """An argument that may be a string of code: not a lambda, an attribute, or the name of a
    function, class or parameter of the file."""
    if node is None or isinstance(node, (ast.Lambda, ast.Attribute)):
        return False
    return not (isinstance(node, ast.Name) and node.id in defs)


def _judge_call(
    node: ast.Call,
    aliases: dict[str, str],
    add: _Add,
    defs: frozenset[str] | set[str] = frozenset(),
) -> None:
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in PATH_WRITERS
        and _code_path(node.func.value)
    ):
        what = f"{node.func.attr}()"
        add("file", Severity.HIGH, node, f"{what} writes a Python file or into site-packages")
        return
    name = _dotted(node.func, aliases)
    if name is None:
        return
    if name.startswith(DYN):
        what = ast.unparse(node.func)[:120]
        add("dynamic", Severity.HIGH, node, f"call through a computed module lookup: {what}")
        return
    if _ref_danger(name) is None:
        name = _reached(name) or name  # os.system.__call__, platform.os.system: os.system
    if name in TIMEIT:
        stmt = [node.args[i] for i in range(min(2, len(node.args)))]
        stmt += [k.value for k in node.keywords if k.arg in ("stmt", "setup")]
        if any(_code_string(a, defs) for a in stmt):
            add("dynamic", Severity.HIGH, node, f"{name}() runs a code string")
        return
    if name in ATTR_GETTERS:
        for arg in node.args:
            text = _const_str(arg)
            if text is None:
                add("reflection", Severity.MEDIUM, node, f"{name}() of a computed name")
            elif DANGEROUS_ATTRS.intersection(text.split(".")):
                add("dynamic", Severity.HIGH, node, f"{name}({text!r})")
        return
    if name == "torch.hub.load":
        # source is keyword-only (after *args); its default is "github"
        source = next((k.value for k in node.keywords if k.arg == "source"), None)
        if _const_str(source) != "local":
            repo = ast.unparse(node.args[0])[:120] if node.args else "?"
            add(
                "dynamic",
                Severity.HIGH,
                node,
                f"torch.hub.load({repo}) fetches a repository and runs its hubconf.py",
            )
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
    elif name in DICT_CONFIG:
        _judge_dict_config(node, name, add)
    elif name in SYS_PATH_EDITS:
        add("dynamic", Severity.LOW, node, f"{name}(): later imports may load shipped files")
    elif name in FILE_WRITE:
        target = node.args[-1] if name.startswith("shutil.") and node.args else None
        if target is not None and len(node.args) > 1 and _code_path(target):
            add("file", Severity.HIGH, node, f"{name}() to a Python file or site-packages")
        else:
            add("file", Severity.LOW, node, f"call {name}()")
    elif name == "open" and _write_mode(node):
        if node.args and _code_path(node.args[0]):
            add("file", Severity.HIGH, node, "open() writes a Python file or into site-packages")
        else:
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
    elif (category := _ref_danger(name)) is not None:  # pty.fork, ctypes.cdll, ...
        add(category, Severity.HIGH, node, f"call {name}()")


def _judge_lookup(node: ast.Call | ast.Subscript, aliases: dict[str, str], add: _Add) -> None:
    """A lookup in a module registry or namespace (``sys.modules[...]``, ``.get(...)``,
    ``__builtins__[...]``, ``globals()[...]``, ``vars(m)[...]``, ``m.__dict__[...]``): reaching a
    sensitive module or a dangerous builtin this way is a way around import review (dynamic
    code, wherever the result goes); a computed key is noted (calling through it is judged by
    :func:`_judge_call`)."""
    key: ast.expr | None
    if isinstance(node, ast.Subscript):
        if not isinstance(node.ctx, ast.Load):
            return
        base, key = _dotted(node.value, aliases), node.slice
    elif isinstance(node.func, ast.Attribute) and node.func.attr in LOOKUP_METHODS:
        base, key = _dotted(node.func.value, aliases), (node.args[0] if node.args else None)
    else:
        return
    if base is None or base.startswith(DYN):
        return
    reached = _lookup(base, key, aliases)
    if reached is None or reached == SELF:
        return
    if reached == DYN:
        add("reflection", Severity.LOW, node, f"computed lookup in {base}")
    elif _risk(reached) > 0:
        add("dynamic", Severity.HIGH, node, f"{reached} reached through {base}")


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


def _names_callable(text: str) -> str | None:
    """The dangerous callable a string names as ``module.attr`` or ``module:attr`` (what
    ``pkgutil.resolve_name``, ``pydoc.locate`` and a dictConfig ``"()"`` key resolve), or None."""
    text = text.removeprefix("ext://")  # dictConfig resolves ext:// values too
    if not 3 <= len(text) <= 200 or not ("." in text or ":" in text):
        return None
    name = text.replace(":", ".", 1)
    if not all(part.isidentifier() for part in name.split(".")):
        return None
    return _reached(_normalise(name))


def _judge_dict_config(node: ast.Call, name: str, add: _Add) -> None:
    """``logging.config.dictConfig``: a ``"()"`` key names a factory it imports and calls; one
    outside logging is a call of arbitrary code (a dangerous one is judged as a string)."""
    for arg in [*node.args, *(k.value for k in node.keywords)]:
        for sub in ast.walk(arg):
            if not isinstance(sub, ast.Dict):
                continue
            for key, value in zip(sub.keys, sub.values, strict=True):
                if _const_str(key) != "()":
                    continue
                factory = _const_str(value)
                if factory is not None and _names_callable(factory):
                    continue  # judged HIGH as a string naming a dangerous callable
                if factory is None or not factory.startswith("logging."):
                    shown = factory if factory is not None else ast.unparse(value)[:80]
                    add("dynamic", Severity.LOW, sub, f"{name}() factory '()': {shown}")


def _code_path(node: ast.expr) -> bool:
    """A path expression with a literal part naming a Python file (``.py``, ``.pth``, ...) or
    site-packages: what is written there is imported later."""
    for sub in ast.walk(node):
        text = _const_str(sub)
        if text is None:
            continue
        low = text.lower().rstrip("/\\")
        if low.endswith(CODE_SUFFIXES) or "site-packages" in low or "dist-packages" in low:
            return True
    return False
