"""Harmless payloads: each gadget, when unpickled, creates the file (or folder) ``marker`` and
does nothing else. They span the ways real attacks reach code execution or a file write:
processes, exec/eval (also through getattr chains and importers), file APIs, template engines,
nested deserialisation and library helpers that run strings as code."""

from __future__ import annotations

from collections.abc import Callable

from tests.differential.pickles import Call, Dct, Expr, Glob, Lst, Tup, attr

B = "builtins"


def _code(m: str) -> str:
    return f"open({m!r}, 'w').close()"


def _import(mod: str) -> Call:
    return Call(Glob(B, "__import__"), (mod,))


def _nested(m: str) -> bytes:
    return b"cos\nsystem\n(S'touch " + m.encode() + b"'\ntR."


GADGETS: dict[str, Callable[[str], Expr]] = {
    "os.system": lambda m: Call(Glob("os", "system"), (f"touch {m}",)),
    "posix.system": lambda m: Call(Glob("posix", "system"), (f"touch {m}",)),
    "subprocess.call": lambda m: Call(Glob("subprocess", "call"), (Lst(("touch", m)),)),
    "subprocess.check_output": lambda m: Call(
        Glob("subprocess", "check_output"), (Lst(("touch", m)),)
    ),
    "subprocess.run": lambda m: Call(Glob("subprocess", "run"), (Lst(("touch", m)),)),
    "subprocess.getoutput": lambda m: Call(Glob("subprocess", "getoutput"), (f"touch {m}",)),
    "builtins.exec": lambda m: Call(Glob(B, "exec"), (_code(m),)),
    "builtins.eval": lambda m: Call(Glob(B, "eval"), (_code(m),)),
    "__builtin__.eval": lambda m: Call(Glob("__builtin__", "eval"), (_code(m),)),
    "builtins.open": lambda m: Call(Glob(B, "open"), (m, "w")),
    "io.open": lambda m: Call(Glob("io", "open"), (m, "w")),
    "_io.open": lambda m: Call(Glob("_io", "open"), (m, "w")),
    "codecs.open": lambda m: Call(Glob("codecs", "open"), (m, "w")),
    "os.mkdir": lambda m: Call(Glob("os", "mkdir"), (m,)),
    "os.makedirs": lambda m: Call(Glob("os", "makedirs"), (m,)),
    "os.open": lambda m: Call(Glob("os", "open"), (m, 65)),
    "shutil.copyfile": lambda m: Call(Glob("shutil", "copyfile"), ("/etc/passwd", m)),
    "logging.FileHandler": lambda m: Call(Glob("logging", "FileHandler"), (m,)),
    "getattr(__import__('os'),'system')": lambda m: Call(
        attr(_import("os"), "system"), (f"touch {m}",)
    ),
    "getattr(builtins,'exec')": lambda m: Call(attr(_import(B), "exec"), (_code(m),)),
    "importlib.import_module": lambda m: Call(
        attr(Call(Glob("importlib", "import_module"), ("os",)), "system"), (f"touch {m}",)
    ),
    "operator.methodcaller": lambda m: Call(
        Call(Glob("operator", "methodcaller"), ("system", f"touch {m}")), (_import("os"),)
    ),
    "operator.attrgetter": lambda m: Call(
        Call(Call(Glob("operator", "attrgetter"), ("system",)), (_import("os"),)), (f"touch {m}",)
    ),
    "functools.partial": lambda m: Call(
        Call(Glob("functools", "partial"), (Glob("os", "system"), f"touch {m}")), ()
    ),
    "pathlib.Path.touch": lambda m: Call(attr(Call(Glob("pathlib", "Path"), (m,)), "touch"), ()),
    "pathlib.Path.write_text": lambda m: Call(
        Glob("pathlib", "Path.write_text"), (Call(Glob("pathlib", "Path"), (m,)), "x")
    ),
    "pathlib.PosixPath.write_bytes": lambda m: Call(
        attr(Call(Glob("pathlib", "PosixPath"), (m,)), "write_bytes"), (b"x",)
    ),
    "runpy._run_code": lambda m: Call(Glob("runpy", "_run_code"), (_code(m), Dct(()))),
    "timeit.timeit": lambda m: Call(
        Glob("timeit", "timeit"), (_code(m), "pass", Glob("time", "perf_counter"), 1)
    ),
    "cProfile.run": lambda m: Call(Glob("cProfile", "run"), (_code(m),)),
    "code.InteractiveInterpreter.runsource": lambda m: Call(
        attr(Call(Glob("code", "InteractiveInterpreter"), ()), "runsource"), (_code(m),)
    ),
    "numpy.testing._private.utils.runstring": lambda m: Call(
        Glob("numpy.testing._private.utils", "runstring"), (_code(m), Dct(()))
    ),
    "jinja2.Template.render": lambda m: Call(
        attr(
            Call(
                Glob("jinja2", "Template"),
                ("{{ cycler.__init__.__globals__.os.system('touch " + m + "') }}",),
            ),
            "render",
        ),
        (),
    ),
    "jinja2.environment.Template.render": lambda m: Call(
        Glob("jinja2.environment", "Template.render"),
        (Call(Glob("jinja2", "Template"), ("{{ lipsum.__globals__.os.mkdir('" + m + "') }}",)),),
    ),
    "pickle.loads(nested)": lambda m: Call(Glob("pickle", "loads"), (_nested(m),)),
    "_pickle.loads(nested)": lambda m: Call(Glob("_pickle", "loads"), (_nested(m),)),
    "builtins.getattr(builtins.open)": lambda m: Call(
        Call(Glob(B, "getattr"), (_import(B), "open")), (m, "w")
    ),
    "tuple(map(exec))": lambda m: Call(
        Glob(B, "tuple"), (Call(Glob(B, "map"), (Glob(B, "exec"), Lst((_code(m),)))),)
    ),
    "sqlite3.connect": lambda m: Call(
        attr(Call(Glob("sqlite3", "connect"), (m,)), "execute"), ("create table t(x)",)
    ),
    "zipfile.ZipFile(w)": lambda m: Call(
        attr(Call(Glob("zipfile", "ZipFile"), (m, "w")), "close"), ()
    ),
    # Python 2 names the unpicklers map for protocols < 3 (Lib/_compat_pickle.py)
    "commands.getoutput": lambda m: Call(Glob("commands", "getoutput"), (f"touch {m}",)),
    "cPickle.loads(nested)": lambda m: Call(Glob("cPickle", "loads"), (_nested(m),)),
    "itertools.imap(exec)": lambda m: Call(
        Glob(B, "tuple"), (Call(Glob("itertools", "imap"), (Glob(B, "exec"), Lst((_code(m),)))),)
    ),
    # process spawners off the usual lists
    "os.spawnlp": lambda m: Call(Glob("os", "spawnlp"), (0, "touch", "touch", m)),
    "pydoc.pipepager": lambda m: Call(Glob("pydoc", "pipepager"), ("", f"touch {m}")),
    "imaplib.IMAP4_stream": lambda m: Call(Glob("imaplib", "IMAP4_stream"), (f"touch {m}",)),
    "uuid._get_command_stdout": lambda m: Call(Glob("uuid", "_get_command_stdout"), ("touch", m)),
    "distutils.spawn.spawn": lambda m: Call(Glob("distutils.spawn", "spawn"), (Lst(("touch", m)),)),
    "logging.config.dictConfig": lambda m: Call(
        Glob("logging.config", "dictConfig"),
        (
            Dct(
                (
                    ("version", 1),
                    (
                        "handlers",
                        Dct((("h", Dct((("()", "subprocess.getoutput"), ("cmd", f"touch {m}")))),)),
                    ),
                )
            ),
        ),
    ),
    # resolvers and containers that hand out a dangerous callable
    "pkgutil.resolve_name": lambda m: Call(
        Call(Glob("pkgutil", "resolve_name"), ("os:system",)), (f"touch {m}",)
    ),
    "operator.getitem(vars(builtins))": lambda m: Call(
        Call(Glob("_operator", "getitem"), (Call(Glob(B, "vars"), (_import(B),)), "exec")),
        (_code(m),),
    ),
    "collections.deque(itertools.starmap)": lambda m: Call(
        Glob("collections", "deque"),
        (
            Call(
                Glob("itertools", "starmap"), (Glob("os", "system"), Lst((Tup((f"touch {m}",)),)))
            ),
            0,
        ),
    ),
    "code.InteractiveConsole.push": lambda m: Call(
        attr(Call(Glob("code", "InteractiveConsole"), ()), "push"), (_code(m),)
    ),
    "types.FunctionType(compile)": lambda m: Call(
        Call(
            Glob("types", "FunctionType"),
            (Call(Glob(B, "compile"), (_code(m), "x", "exec")), Dct(())),
        ),
        (),
    ),
    "os.symlink": lambda m: Call(Glob("os", "symlink"), ("/etc/passwd", m)),
    "jinja2.Environment.from_string": lambda m: Call(
        attr(
            Call(
                attr(Call(Glob("jinja2", "Environment"), ()), "from_string"),
                ("{{ cycler.__init__.__globals__.os.system('touch " + m + "') }}",),
            ),
            "render",
        ),
        (),
    ),
    # nested deserialisation through other loaders, from an in-memory buffer
    "numpy.load(nested)": lambda m: Call(
        Glob("numpy", "load"), (Call(Glob("io", "BytesIO"), (_nested(m),)), None, True)
    ),
    "joblib.load(nested)": lambda m: Call(
        Glob("joblib", "load"), (Call(Glob("io", "BytesIO"), (_nested(m),)),)
    ),
    "pandas.read_pickle(nested)": lambda m: Call(
        Glob("pandas", "read_pickle"), (Call(Glob("io", "BytesIO"), (_nested(m),)),)
    ),
    "_pickle.Unpickler.load(nested)": lambda m: Call(
        attr(
            Call(Glob("_pickle", "Unpickler"), (Call(Glob("io", "BytesIO"), (_nested(m),)),)),
            "load",
        ),
        (),
    ),
}


def benign(ch_int: Callable[[int, int], int]) -> Expr:
    """Plain model-like data (numbers, names, nested containers) with no callable but the
    ubiquitous ``collections.OrderedDict``."""
    n = ch_int(0, 4)
    items = tuple((f"layer{i}.weight", float(i) / 2) for i in range(n))
    kind = ch_int(0, 3)
    if kind == 0:
        return Dct(items)
    if kind == 1:
        return Call(Glob("collections", "OrderedDict"), (Lst(tuple(Tup(kv) for kv in items)),))
    if kind == 2:
        return Lst((*range(n), "epoch", True, None))
    return Dct((("epoch", n), ("lr", 0.5), ("names", Tup(("a", "b")))))
