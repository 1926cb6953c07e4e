# ruff: noqa: E501, E402, F401
"""Regenerate src/airlock/scan/data/pickle_allowlist.json from the installed libraries.

Usage: .venv/bin/python tests/scan_pickle/allowlist_gen.py src/airlock/scan/data/pickle_allowlist.json
Generated groups (torch.nn classes, optimizers, schedulers, sklearn estimators...) come from the
installed versions; hand-curated groups and the dangerous table are written out below. Review the
diff before committing: the JSON is the policy.
"""

import inspect
import json
import os
import sys

import numpy as np
import numpy.dtypes
import scipy.sparse as sp
import torch
import torch.nn as nn
import torch.optim
import torch.optim.lr_scheduler as ls
from sklearn.utils import all_estimators


def qn(o):
    return f"{o.__module__}.{o.__qualname__}"


import importlib
import pkgutil

torch_nn_set = {qn(o) for o in vars(nn).values() if inspect.isclass(o) and issubclass(o, nn.Module)}
for info in pkgutil.iter_modules(nn.modules.__path__, "torch.nn.modules."):
    mod = importlib.import_module(info.name)
    torch_nn_set |= {
        qn(o)
        for o in vars(mod).values()
        if inspect.isclass(o) and issubclass(o, nn.Module) and o.__module__ == info.name
    }
torch_nn = sorted(torch_nn_set)
torch_nn += [
    "torch.nn.parameter.Parameter",
    "torch.nn.parameter.Buffer",
    "torch.nn.parameter.UninitializedParameter",
    "torch.nn.parameter.UninitializedBuffer",
]
torch_optim = sorted(
    {
        qn(o)
        for o in vars(torch.optim).values()
        if inspect.isclass(o) and issubclass(o, torch.optim.Optimizer)
    }
)
torch_sched = sorted(
    {
        qn(o)
        for o in vars(ls).values()
        if inspect.isclass(o)
        and o.__module__ == ls.__name__
        and not o.__name__.startswith("_enable")
        and o.__name__ not in ("_initial_mode",)
    }
)
import torch._weights_only_unpickler as w

# torch's weights_only list holds _rebuild_sparse_tensor, but torch does not check the indices
# it rebuilds (red-team k2: load succeeds, to_dense() writes out of bounds): dangerous below
MEMORY_UNSAFE = ["torch._utils._rebuild_sparse_tensor"]
torch_core = sorted(
    k for k in w._get_allowed_globals() if k.startswith("torch") and k not in MEMORY_UNSAFE
)
torch_core += [
    "torch.strided",
    "torch.sparse_coo",
    "torch.sparse_csr",
    "torch.sparse_csc",
    "torch.sparse_bsr",
    "torch.sparse_bsc",
    "torch._mkldnn",
    "torch.contiguous_format",
    "torch.channels_last",
    "torch.channels_last_3d",
    "torch.preserve_format",
    "torch.torch_version.TorchVersion",
    "torch._C.Generator",
    "torch.Generator",
    "torch.jit._pickle.build_boollist",
    "torch.jit._pickle.build_doublelist",
    "torch.jit._pickle.build_intlist",
    "torch.jit._pickle.build_tensor_from_id",
    "torch.jit._pickle.build_tensorlist",
    "torch.jit._pickle.restore_type_tag",
    "torch.nn.modules.module._IncompatibleKeys",
]
torch_core = sorted(set(torch_core) - {"torch.storage._load_from_bytes"})
torch_fn = [
    "torch.nn.functional." + n
    for n in (
        "relu",
        "relu6",
        "gelu",
        "silu",
        "elu",
        "selu",
        "celu",
        "leaky_relu",
        "mish",
        "hardswish",
        "hardsigmoid",
        "hardtanh",
        "softplus",
        "softsign",
        "tanhshrink",
        "sigmoid",
        "tanh",
        "glu",
        "logsigmoid",
        "softmax",
        "log_softmax",
        "dropout",
        "layer_norm",
        "linear",
        "normalize",
        "prelu",
        "rrelu",
    )
]
torch_fn += [
    "torch._C._VariableFunctionsClass." + n
    for n in ("tanh", "sigmoid", "relu", "exp", "softmax", "log_softmax")
]
torch_fn += ["torch." + n for n in ("tanh", "sigmoid", "relu")]
np_dtypes = sorted(
    {
        qn(o)
        for o in vars(numpy.dtypes).values()
        if inspect.isclass(o) and o.__module__ == "numpy.dtypes"
    }
)
np_scalar_types = sorted(
    {
        "numpy." + n
        for n in (
            "bool_",
            "bool",
            "int8",
            "int16",
            "int32",
            "int64",
            "uint8",
            "uint16",
            "uint32",
            "uint64",
            "float16",
            "float32",
            "float64",
            "longdouble",
            "complex64",
            "complex128",
            "clongdouble",
            "str_",
            "bytes_",
            "void",
            "object_",
            "datetime64",
            "timedelta64",
            "intc",
            "uintc",
            "intp",
            "uintp",
            "short",
            "ushort",
            "byte",
            "ubyte",
            "longlong",
            "ulonglong",
            "half",
            "single",
            "double",
            "csingle",
            "cdouble",
            "generic",
            "number",
            "integer",
            "floating",
            "float_",
            "int_",
            "complex_",
            "unicode_",
            "string_",
            "bool8",
        )
    }
)
numpy_core = []
for pfx in ("numpy.core", "numpy._core"):
    numpy_core += [
        f"{pfx}.multiarray._reconstruct",
        f"{pfx}.multiarray.scalar",
        f"{pfx}.numeric._frombuffer",
        f"{pfx}.multiarray.dtype",
    ]
numpy_core += [
    "numpy.ndarray",
    "numpy.ma.MaskedArray",
    "numpy.matrixlib.defmatrix.matrix",
    "numpy.dtype",
    "numpy.matrix",
    "numpy.ma.core._mareconstruct",
    "numpy.ma.core.MaskedArray",
    "numpy.ma.core.MaskedConstant",
    "numpy.random._pickle.__randomstate_ctor",
    "numpy.random._pickle.__bit_generator_ctor",
    "numpy.random._pickle.__generator_ctor",
    "numpy.random.mtrand.RandomState",
    "numpy.random._generator.Generator",
    "numpy.random._mt19937.MT19937",
    "numpy.random._pcg64.PCG64",
    "numpy.random._pcg64.PCG64DXSM",
    "numpy.random._philox.Philox",
    "numpy.random._sfc64.SFC64",
    "numpy.random.bit_generator.SeedSequence",
    "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
    "numpy.random.mtrand.__RandomState_ctor",
    "numpy.random.__RandomState_ctor",
]
# all_estimators() lists IterativeImputer and the Halving searches only once they are enabled
from sklearn.experimental import enable_halving_search_cv, enable_iterative_imputer

sk = sorted({qn(c) for _, c in all_estimators()})
sk_internal = [
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neighbors._kd_tree.KDTree64",
    "sklearn.neighbors._ball_tree.BallTree64",
    "sklearn.neighbors._kd_tree.KDTree32",
    "sklearn.neighbors._ball_tree.BallTree32",
    "sklearn.neighbors._kd_tree.newObj",
    "sklearn.neighbors._ball_tree.newObj",
    "sklearn.utils._bunch.Bunch",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._gb_losses.BinomialDeviance",
    "sklearn.preprocessing._encoders._BaseEncoder",
]
import sklearn._loss._loss as LL
import sklearn._loss.link as LK
import sklearn._loss.loss as L
import sklearn.metrics._dist_metrics as DM

for mod in (L, LK, LL, DM):
    sk_internal += sorted(
        {qn(o) for o in vars(mod).values() if inspect.isclass(o) and o.__module__ == mod.__name__}
    )
try:
    import sklearn.tree._criterion as C
    import sklearn.tree._splitter as S

    for mod in (C,):
        sk_internal += sorted(
            {
                qn(o)
                for o in vars(mod).values()
                if inspect.isclass(o) and o.__module__ == mod.__name__
            }
        )
except ImportError:
    pass
sk_internal = sorted(set(sk_internal))
scipy_sparse = sorted(
    {
        qn(o)
        for o in vars(sp).values()
        if inspect.isclass(o)
        and o.__module__.startswith("scipy.sparse")
        and ("matrix" in o.__name__ or "array" in o.__name__)
    }
)

import torch.distributed.checkpoint.metadata as dcp_meta

torch_dcp = sorted(
    {
        qn(o)
        for o in vars(dcp_meta).values()
        if inspect.isclass(o) and o.__module__ == dcp_meta.__name__
    }
    | {"torch.distributed.checkpoint.filesystem._StorageInfo"}
)

np_ufuncs = sorted({f"numpy.{n}" for n in dir(np) if isinstance(getattr(np, n, None), np.ufunc)})

allow = [
    {
        "group": "python-builtins",
        "why": "Plain data types and constants; constructing them runs no user code.",
        "names": sorted(
            [
                "builtins." + n
                for n in (
                    "set",
                    "frozenset",
                    "bytearray",
                    "bytes",
                    "complex",
                    "slice",
                    "range",
                    "list",
                    "tuple",
                    "dict",
                    "str",
                    "int",
                    "float",
                    "bool",
                    "object",
                    "Ellipsis",
                    "NotImplemented",
                )
            ]
        ),
    },
    {
        "group": "python-stdlib-data",
        "why": "Standard-library value types that appear in checkpoints (timestamps, paths, argparse namespaces, decimals). Constructors only store data.",
        "names": [
            "collections.OrderedDict",
            "collections.defaultdict",
            "collections.Counter",
            "collections.deque",
            "datetime.datetime",
            "datetime.date",
            "datetime.time",
            "datetime.timedelta",
            "datetime.timezone",
            "decimal.Decimal",
            "types.SimpleNamespace",
            "_io.BytesIO",
            "io.BytesIO",
            "fractions.Fraction",
            "uuid.UUID",
            "argparse.Namespace",
            "pathlib.PosixPath",
            "pathlib.WindowsPath",
            "pathlib.PurePosixPath",
            "pathlib.PureWindowsPath",
            "pathlib.Path",
        ],
    },
    {
        "group": "pickle-protocol-helpers",
        "why": "Helpers pickle itself emits to rebuild objects (protocol 0/1 class instances, protocol 2 bytes). copyreg helpers call their class arguments, which are judged on their own.",
        "names": [
            "copyreg._reconstructor",
            "copyreg.__newobj__",
            "copyreg.__newobj_ex__",
            "_codecs.encode",
        ],
    },
    {
        "group": "torch-core",
        "why": "Tensor/storage rebuild helpers, dtypes, layouts, devices and sizes: PyTorch's own weights_only allowlist plus layouts, memory formats, TorchVersion and the TorchScript list builders.",
        "names": torch_core,
    },
    {
        "group": "torch-nn-modules",
        "why": "Standard torch.nn layer classes (whole-module torch.save). Pickled via object.__reduce_ex__: the class is instantiated with __new__ and Module.__setstate__ only updates __dict__. Explicit names, generated from torch.nn; no module prefix because torch.nn.modules also holds global hook registries and functions.",
        "names": torch_nn,
    },
    {
        "group": "torch-nn-functional",
        "why": "Pure tensor activations stored as module attributes (e.g. TransformerEncoderLayer.activation).",
        "names": sorted(set(torch_fn)),
    },
    {
        "group": "torch-optim",
        "why": "Optimizer and LR-scheduler classes for whole-object training checkpoints; __setstate__ only restores dictionaries.",
        "names": sorted(set(torch_optim + torch_sched)),
    },
    {
        "group": "torch-distributed-checkpoint",
        "why": "Data classes and enums of torch.distributed.checkpoint's .metadata pickle (tensor shapes, chunk offsets, storage indexes). The rest of torch.distributed (RPC, rendezvous, process groups) stays dangerous.",
        "names": torch_dcp,
    },
    {
        "group": "numpy-core",
        "why": "ndarray/dtype/scalar reconstruction (numpy 1.x numpy.core and 2.x numpy._core paths), masked arrays, matrix, random generator state.",
        "names": sorted(set(numpy_core)),
    },
    {
        "group": "numpy-ufuncs",
        "why": "NumPy ufuncs (pure element-wise math) stored as estimator parameters, e.g. FunctionTransformer(np.log1p).",
        "names": np_ufuncs,
    },
    {
        "group": "numpy-types",
        "why": "Scalar type objects and numpy 2 DType classes referenced as values (e.g. an estimator's dtype parameter).",
        "names": sorted(set(np_scalar_types + np_dtypes)),
    },
    {
        "group": "scipy-sparse",
        "why": "Sparse matrix/array containers: __setstate__ restores index/data arrays.",
        "names": scipy_sparse,
    },
    {
        "group": "joblib",
        "why": "joblib's placeholder for an array whose raw bytes follow in the stream (the analyser skips exactly those bytes). sklearn.externals.joblib is the copy vendored by scikit-learn < 0.23.",
        "names": [
            "joblib.numpy_pickle.NumpyArrayWrapper",
            "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
        ],
    },
    {
        "group": "sklearn-estimators",
        "why": "Every public scikit-learn estimator class (generated from sklearn.utils.all_estimators, with the experimental IterativeImputer and Halving searches enabled); BaseEstimator.__setstate__ only updates __dict__. Callables passed as parameters are judged on their own.",
        "names": sk,
    },
    {
        "group": "sklearn-internals",
        "why": "Compiled helper objects estimators hold (tree arrays, losses, link functions, distance metrics, KD/Ball trees).",
        "names": sk_internal,
    },
]
prefixes = [
    {
        "prefix": "__torch__.",
        "why": "TorchScript class names: Python's unpickler cannot import a module named __torch__ (it does not exist), and TorchScript's own unpickler resolves them only to classes compiled from the archive's code/ files, which are scanned as code.",
    }
]
ref_only = [
    {
        "names": ["numpy.memmap"],
        "why": "Seen as the array subclass joblib records; harmless as a reference, but calling it opens or creates a file at a path taken from the pickle.",
    },
    {
        "names": ["torch._C._VariableFunctionsClass"],
        "why": "Pickle stores torch.tanh and friends as getattr(torch._C._VariableFunctionsClass, 'tanh'); the class is only a namespace for that lookup, and the looked-up name is judged on its own.",
    },
]
calls_args = {
    "torch._tensor._rebuild_from_type_v2": [0, 1],
    "copyreg._reconstructor": [0, 1],
    "copyreg.__newobj__": [0],
    "copyreg.__newobj_ex__": [0],
}

G = "https://github.com/mmaitre314/picklescan/security/advisories"
dangerous = [
    {
        "category": "code-execution",
        "severity": "critical",
        "why": "Evaluates or compiles attacker-supplied Python code.",
        "reference": "https://docs.python.org/3/library/pickle.html#restricting-globals",
        "names": [
            "builtins.eval",
            "builtins.exec",
            "builtins.compile",
            "builtins.execfile",
            "builtins.apply",
            "builtins.breakpoint",
            "builtins.input",
            "builtins.help",
            "numpy.testing._private.utils.runstring",
            "torch.jit.unsupported_tensor_ops.execWrapper",
            "torch._dynamo.guards.GuardBuilder.get",
            "torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression",
            "torch._inductor.codecache.compile_file",
            "pandas.eval",
            "pandas.core.computation.eval.eval",
            "numexpr.evaluate",
            "sympy.sympify",
            "sympy.parsing.sympy_parser.parse_expr",
        ],
        "modules": [
            "code",
            "codeop",
            "runpy",
            "marshal",
            "types",
            "timeit",
            "cProfile",
            "profile",
            "trace",
            "pdb",
            "bdb",
            "doctest",
            "idlelib",
            "lib2to3",
            "_interpreters",
            "_xxsubinterpreters",
            "dill",
            "cloudpickle",
            "torch.fx",
            "torch.jit",
            "torch._C",
            "torch._dynamo",
            "torch._inductor",
            "torch.package",
            "torch.utils.cpp_extension",
            "torch.utils.bottleneck",
            "torch.compiler",
            "torch._ops",
            "torch.ops",
            "torch.library",
            "torch.classes",
            "numpy.f2py",
            "numpy.distutils",
            "numpy.testing",
            "antigravity",
            "sympy.parsing",
        ],
    },
    {
        "category": "import",
        "severity": "critical",
        "why": "Imports arbitrary modules or resolves arbitrary names at load time (universal scanner bypass: reaches every blocked function).",
        "reference": f"{G}/GHSA-vvpj-8cmc-gx39",
        "names": [
            "builtins.__import__",
            "builtins.getattr",
            "builtins.setattr",
            "builtins.delattr",
            "builtins.globals",
            "builtins.locals",
            "builtins.vars",
            "builtins.reload",
            "operator.attrgetter",
            "operator.methodcaller",
            "operator.itemgetter",
            "_operator.attrgetter",
            "_operator.methodcaller",
            "_operator.itemgetter",
            "functools.partial",
            "functools.partialmethod",
            "functools.reduce",
            "_functools.partial",
            "_functools.reduce",
            "pydoc.locate",
            "transformers.dynamic_module_utils.get_class_from_dynamic_module",
        ],
        "modules": [
            "importlib",
            "_imp",
            "imp",
            "pkgutil",
            "zipimport",
            "_frozen_importlib",
            "_frozen_importlib_external",
            "sys",
            "pydoc",
            "inspect",
            "gc",
            "site",
            "copyreg",
            "copy_reg",
            "transformers.dynamic_module_utils",
            "weakref",
            "atexit",
            "threading",
            "_thread",
            "sched",
        ],
    },
    {
        "category": "process",
        "severity": "critical",
        "why": "Runs commands or spawns processes.",
        "reference": "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/",
        "names": [
            "platform.popen",
            "platform._syscmd_file",
            "platform._syscmd_ver",
            "uuid._get_command_stdout",
        ],
        "modules": [
            "os",
            "posix",
            "nt",
            "subprocess",
            "_posixsubprocess",
            "_winapi",
            "pty",
            "commands",
            "popen2",
            "multiprocessing",
            "_multiprocessing",
            "concurrent",
            "asyncio",
            "signal",
            "_signal",
            "pexpect",
            "pipes",
            "torch.multiprocessing",
            "torch.utils.collect_env",
            "_osx_support",
            "_aix_support",
            "ctypes",
            "_ctypes",
            "cffi",
            "numpy.ctypeslib",
            "pip",
            "ensurepip",
            "venv",
            "distutils",
            "setuptools",
            "webbrowser",
            "uuid",
            "platform",
        ],
    },
    {
        "category": "nested-load",
        "severity": "critical",
        "why": "Deserialises another pickle/model at load time; its content is not what this scan judged.",
        "reference": f"{G}/GHSA-x843-g5mx-g377",
        "names": [
            "__torch__.torch.classes.aten.OpaqueObject",  # C++ __setstate__: pickle.loads (rt19ts)
            "torch.load",
            "torch.serialization.load",
            "torch.serialization._load",
            "torch.serialization._legacy_load",
            "torch.storage._load_from_bytes",
            "numpy.load",
            "numpy.lib.npyio.load",
            "numpy.lib._npyio_impl.load",
            "numpy.lib.format.read_array",
            "numpy.lib.format.read_array_header_1_0",
            "joblib.load",
            "joblib.numpy_pickle.load",
            "pandas.read_pickle",
            "pandas.io.pickle.read_pickle",
            "keras.models.load_model",
            "keras.saving.load_model",
            "tensorflow.keras.models.load_model",
            "torch.utils._config_module.ConfigModule.load_config",
            "torch.utils.data.datapipes.utils.decoder.basichandlers",
            "lib2to3.pgen2.grammar.Grammar.loads",
            "torch.hub.load",
            "torch.hub.load_state_dict_from_url",
        ],
        "modules": [
            "pickle",
            "_pickle",
            "cPickle",
            "shelve",
            "dbm",
            "jsonpickle",
            "yaml",
            "torch.hub",
            "torch.utils.model_zoo",
            "joblib.numpy_pickle_compat",
            "torch._weights_only_unpickler",
        ],
    },
    {
        "category": "file",
        "severity": "critical",
        "why": "Reads, writes, deletes or maps files.",
        "reference": f"{G}/GHSA-f7qq-56ww-84cr",
        "names": [
            "builtins.open",
            "builtins.file",
            "io.open",
            "io.open_code",
            "io.FileIO",
            "codecs.open",
            "gzip.open",
            "gzip.GzipFile",
            "bz2.open",
            "bz2.BZ2File",
            "lzma.open",
            "lzma.LZMAFile",
            "numpy.fromfile",
            "numpy.save",
            "numpy.savez",
            "numpy.savez_compressed",
            "numpy.savetxt",
            "numpy.loadtxt",
            "numpy.genfromtxt",
            "numpy.rec.fromfile",
            "numpy.core.records.fromfile",
            "numpy._core.records.fromfile",
            "torch.save",
            "torch.serialization.save",
            "torch.from_file",
            "pandas.read_csv",
        ],
        "modules": [
            "shutil",
            "tempfile",
            "fileinput",
            "glob",
            "linecache",
            "_io",
            "io._io",
            "codecs",
            "mmap",
            "sqlite3",
            "_sqlite3",
            "zipfile",
            "tarfile",
            "readline",
            "logging.config",
            "logging.handlers",
            "compileall",
            "py_compile",
            "numpy.lib._datasource",
            "numpy.lib.npyio",
            "numpy.lib._npyio_impl",
            "torch.utils.tensorboard",
            "resource",
        ],
    },
    {
        "category": "persistence",
        "severity": "critical",
        "why": "Installs process-wide hooks or loaders that run later (Sleepy Pickle: tamper with every forward pass or every later load).",
        "reference": "https://blog.trailofbits.com/2024/06/11/exploiting-ml-models-with-pickle-file-attacks-part-1/",
        "names": [
            "torch.nn.modules.module.register_module_forward_hook",
            "torch.nn.modules.module.register_module_forward_pre_hook",
            "torch.nn.modules.module.register_module_backward_hook",
            "torch.nn.modules.module.register_module_full_backward_hook",
            "torch.nn.modules.module.register_module_full_backward_pre_hook",
            "torch.nn.modules.module.register_module_buffer_registration_hook",
            "torch.nn.modules.module.register_module_module_registration_hook",
            "torch.nn.modules.module.register_module_parameter_registration_hook",
            "torch.nn.modules.module._global_forward_hooks",
            "torch.nn.modules.module._global_forward_pre_hooks",
            "torch.nn.modules.module._global_backward_hooks",
            "torch.serialization.register_package",
            "torch.serialization._package_registry",
            "torch.serialization.add_safe_globals",
            "torch.autograd.graph.register_multi_grad_hook",
            "torch.nn.utils.parametrize.register_parametrization",
        ],
        "modules": ["torch.overrides", "torch.utils._python_dispatch", "torch._library"],
    },
    {
        "category": "network",
        "severity": "critical",
        "why": "Opens network connections (exfiltration, downloads, listeners).",
        "reference": "https://osv.dev/vulnerability/CVE-2025-1716",
        "names": ["numpy.DataSource"],
        "modules": [
            "socket",
            "_socket",
            "ssl",
            "_ssl",
            "http",
            "httplib",
            "urllib",
            "urllib2",
            "urllib3",
            "requests",
            "aiohttp",
            "httpx",
            "ftplib",
            "smtplib",
            "poplib",
            "imaplib",
            "nntplib",
            "telnetlib",
            "xmlrpc",
            "socketserver",
            "wsgiref",
            "select",
            "selectors",
            "torch.distributed",
            "huggingface_hub",
        ],
    },
    {
        "category": "memory-safety",
        "severity": "high",
        "why": "Rebuilds a sparse tensor from indices and values stored in the file without invariant checks: torch does not validate them on load (pickle.load, joblib.load, and torch.load even with weights_only=True), so an out-of-range index makes the first to_dense() or arithmetic write out of bounds. Airlock does not read the index tensors to prove them in range; a reviewed sparse artifact can be allowed by digest.",
        "reference": "https://pytorch.org/docs/stable/generated/torch.sparse.check_sparse_tensor_invariants.html",
        "names": MEMORY_UNSAFE,
    },
]
# Groups grown from the real-artifact corpus (bench/ecosystem, each with "seen_in" versions) and
# the argument-shape sections are reviewed by hand: carried over from the current file as they are.
try:
    with open(sys.argv[1]) as fh:
        current = json.load(fh)
except FileNotFoundError:
    current = {}
allow += [g for g in current.get("allow", []) if "seen_in" in g]
# The transformers architectures (8,700 names) are stored as one names_text string that Policy
# splits only when a pickle names a class under its prefix. A name another group lists is
# dropped from it, so no name is in two groups and its label never depends on load order.
LAZY_GROUP = "transformers-architectures"


def group_names(group):
    if "names_text" in group:
        return [group.get("names_prefix", "") + n for n in group["names_text"].split()]
    return list(group["names"])


def lazy(group, others):
    names = sorted(set(group_names(group)) - others)
    prefix = os.path.commonprefix(names)  # noqa: RUF071 (dotted names, cut below)
    prefix = prefix[: prefix.rfind(".") + 1]  # whole components only
    out = {k: v for k, v in group.items() if k not in ("names", "names_prefix", "names_text")}
    out["names_prefix"] = prefix
    out["names_text"] = " ".join(n[len(prefix) :] for n in names)
    return out


eager_names = {n for g in allow if g["group"] != LAZY_GROUP for n in group_names(g)}
allow = [lazy(g, eager_names) if g["group"] == LAZY_GROUP else g for g in allow]
doc = {
    "schema": 1,
    "version": current.get("version", "2026.12.05"),
    "description": "Airlock pickle policy: callables a pickle may name without a finding (allow), and callables that are critical whenever a pickle names them (dangerous). Names are 'module.qualname' after Python 2 name mapping. Anything in neither list is an unknown callable: a finding that blocks at the gate. 'modules' entries match the module, its submodules and everything reached through them.",
    "allow": allow,
    "allow_prefixes": prefixes,
    "ref_only": ref_only,
    "calls_args": calls_args,
    "import_args": current.get("import_args", {}),
    "nested_args": current.get("nested_args", {}),
    "match_args": current.get("match_args", {}),
    "dangerous": dangerous,
}
with open(sys.argv[1], "w") as fh:
    json.dump(doc, fh, indent=1)
    fh.write("\n")
print(sum(len(group_names(g)) for g in allow), "allowed")
