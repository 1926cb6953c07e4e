"""Rules raised by the engine and the container handlers (archives, PyTorch, NumPy, joblib).

Pickle rules live with the pickle analyser; format rules (safetensors, GGUF...) in
``format_rules``. Ids are stable: never renumber, only add.
"""

from __future__ import annotations

from airlock.report import Severity
from airlock.scan.format_rules import Rule

UNPARSEABLE = Rule(
    "AIR-SCAN-001",
    Severity.HIGH,
    "File could not be parsed",
    "The object was recognised but its structure is broken or hostile, so it was not fully "
    "read. Loaders are often more lenient than parsers: what we cannot read may still load.",
    blocks=True,
)
SCANNER_ERROR = Rule(
    "AIR-SCAN-002",
    Severity.MEDIUM,
    "Scanner error",
    "The scanner failed on this object, so nothing is known about it. Treat it as unscanned.",
)
DISGUISED = Rule(
    "AIR-SCAN-003",
    Severity.HIGH,
    "File content does not match its name",
    "A pickle-based file carries the name of a format that cannot execute code (e.g. "
    ".safetensors). Tools that trust the extension will load it with an unpickler.",
    "https://jfrog.com/blog/data-scientists-targeted-by-malicious-hugging-face-ml-models-with-silent-backdoor/",
)
DAMAGED_ZIP = Rule(
    "AIR-ARC-001",
    Severity.MEDIUM,
    "Damaged or inconsistent zip directory",
    "The central directory is missing, disagrees with the local headers, or has overlapping "
    "entries. Different readers then see different contents, a known way to slip a payload "
    "past scanners (and overlapping entries are how non-recursive zip bombs work). A "
    "directory that is there but could not be read as miniz and zipfile read it is high: "
    "the members they list were not judged.",
    "https://github.com/mmaitre314/picklescan/security/advisories",
)
CRC_MISMATCH = Rule(
    "AIR-ARC-002",
    Severity.LOW,
    "Zip member CRC mismatch",
    "The member's data does not match its checksum. torch.load and other lenient readers "
    "ignore this; Python's zipfile refuses it, so scanners built on zipfile miss the member.",
)
BOMB = Rule(
    "AIR-ARC-003",
    Severity.MEDIUM,
    "Decompression limit exceeded",
    "The object expands beyond the size, ratio or total-budget limits (decompression bomb, "
    "or an input too large to scan); the rest was not scanned.",
    "https://www.bamsoftware.com/hacks/zipbomb/",
    blocks=True,
)
ENCRYPTED = Rule(
    "AIR-ARC-004",
    Severity.MEDIUM,
    "Encrypted archive member",
    "Encrypted content cannot be inspected; it was not scanned.",
    blocks=True,
)
TOO_DEEP = Rule(
    "AIR-ARC-005",
    Severity.MEDIUM,
    "Nesting too deep",
    "Archives nested beyond the depth limit were not scanned (a way to exhaust scanners).",
    blocks=True,
)
TRUNCATED_STREAM = Rule(
    "AIR-ARC-006",
    Severity.LOW,
    "Corrupt or truncated compressed data",
    "The compressed stream breaks off; the part that decoded was scanned (a reader that "
    "stops at the break would see the same bytes), but the object as a whole was not: it "
    "counts as not scanned.",
    blocks=True,
)
TOO_MANY = Rule(
    "AIR-ARC-007",
    Severity.MEDIUM,
    "Too many members",
    "The archive has more members than the limit; it was not scanned.",
    blocks=True,
)
TORCHSCRIPT_CALL = Rule(
    "AIR-TS-001",
    Severity.CRITICAL,
    "Dangerous call in TorchScript code",
    "TorchScript code stored in the archive is compiled and run by torch.jit.load (and by "
    "torch.load on TorchScript files); it refers to an operation that reaches the file system, "
    "processes or the Python interpreter.",
    "https://github.com/pytorch/pytorch/security/advisories/GHSA-53q9-r3pm-6pq6",
)
TORCHSCRIPT_CUSTOM_OP = Rule(
    "AIR-TS-002",
    Severity.HIGH,
    "TorchScript code calls a non-standard operator",
    "The code calls an operator (or names a TorchBind class) outside PyTorch's own namespaces; "
    "what it does depends on native libraries loaded in the process. Review before loading.",
)
TORCHSCRIPT_UNPARSEABLE = Rule(
    "AIR-TS-003",
    Severity.MEDIUM,
    "TorchScript code could not be parsed",
    "The code member is not valid Python syntax, so its calls could not be checked.",
    blocks=True,
)
TORCHSCRIPT_UNLISTED = Rule(
    "AIR-TS-004",
    Severity.HIGH,
    "TorchScript code calls an operation outside the allowlist",
    "TorchScript code runs when the archive loads (__setstate__ inside torch.jit.load). Airlock "
    "allows the tensor-math operators, TorchScript builtins and the archive's own methods; this "
    "name is none of those, so what it does at load time was not judged.",
    "https://pytorch.org/docs/stable/jit_builtin_functions.html",
)
TORCHSCRIPT_LOAD_UNBOUNDED = Rule(
    "AIR-TS-005",
    Severity.HIGH,
    "TorchScript code run at load has no proven bound",
    "torch.jit.load runs every __setstate__ in the archive's code and what it calls; a loop or"
    " an op there not known to stay within its inputs' size (broadcasting, products, windows,"
    " factories sized by data) can hang the loading process or exhaust its memory before any"
    " model code is trusted.",
    "https://pytorch.org/docs/stable/jit.html",
)
PT2_LAYOUT = Rule(
    "AIR-PT-002",
    Severity.HIGH,
    "PT2 archive payload does not match its config",
    "A torch.export archive's payload config names its tensor files with their dtype, shape "
    "and strides; this file's size differs from what they need, or the config cannot be "
    "followed, so the file was not taken for tensor bytes.",
    "https://pytorch.org/docs/stable/export.html",
)
PT2_PROGRAM_CALL = Rule(
    "AIR-PT-003",
    Severity.HIGH,
    "PT2 program calls an operation outside the allowlist",
    "A torch.export archive's program (models/*.json) names the callables its graph nodes run; "
    "the loader resolves them by attribute path from torch, operator or math. This one is not "
    "an allowed tensor operator (critical when it reaches files).",
    "https://pytorch.org/docs/stable/export.html",
)
PT2_PROGRAM_CODE = Rule(
    "AIR-PT-006",
    Severity.CRITICAL,
    "PT2 program text becomes Python code at load",
    "torch.export.load pastes the program's input, output, node and subgraph names into the "
    "forward method torch.fx generates and executes, hands each symbolic-shape expr_str to "
    "sympy.sympify (Python eval), and ep.module() executes the guards_code lines. torch's own "
    "serializer writes plain identifiers, sympy.srepr expressions and size comparisons; this "
    "one is something else, so loading the archive can run it.",
    "https://github.com/pytorch/pytorch/blob/main/torch/_export/serde/serialize.py",
)
PT2_AOTI_BUILD = Rule(
    "AIR-PT-007",
    Severity.CRITICAL,
    "AOTInductor package is compiled when loaded",
    "An AOTInductor package that ships C++ sources with compile/linker flag files (and no "
    "shared library) is built by the loader (torch.export.load, aoti_load_package): it runs "
    "the compiler command the flag files describe, and the sources it compiles, as the user.",
    "https://pytorch.org/docs/stable/torch.compiler_aot_inductor.html",
)
TORCH_CASE_CLASH = Rule(
    "AIR-PT-004",
    Severity.HIGH,
    "PyTorch archive has member names that differ only in case",
    "torch's zip reader looks records up ignoring case (x/DATA.PKL is read as data.pkl) and, of "
    "names that differ only in case, returns whichever its search of the sorted directory meets "
    "first, which changes with the other members: which bytes load cannot be told. torch never "
    "writes such names.",
    "https://github.com/pytorch/pytorch/blob/main/caffe2/serialize/inline_container.cc",
)
LEGACY_TAR_LINK = Rule(
    "AIR-PT-005",
    Severity.HIGH,
    "Legacy PyTorch tar member is a link or special file",
    "torch.load reads a legacy tar checkpoint's sys_info, pickle, storages and tensors through "
    "tarfile, which follows hard and symbolic links to another member's bytes (or a file "
    "outside the archive) and reassembles sparse members, so such a member hands the loader "
    "bytes judged under another role, or not at all. torch only ever wrote regular files.",
)
NPY_OBJECT = Rule(
    "AIR-NPY-001",
    Severity.LOW,
    "NumPy object array (embedded pickle)",
    "The array has an object dtype: its contents are a pickle, unpickled by "
    "np.load(allow_pickle=True). No longer reported on its own: the embedded pickle is "
    "analysed and judged like any other, so only what it would run is a finding.",
    "https://numpy.org/doc/stable/reference/generated/numpy.load.html",
)
LEGACY_LAYOUT = Rule(
    "AIR-PT-001",
    Severity.MEDIUM,
    "Legacy PyTorch layout could not be followed",
    "A legacy checkpoint's pickles and raw storages could not be told apart, so part of the "
    "file was not scanned.",
    blocks=True,
)

UNSUPPORTED_ARCHIVE = Rule(
    "AIR-ARC-008",
    Severity.MEDIUM,
    "Archive format not supported",
    "The object is a 7z, RAR or zstd container, which Airlock cannot open, so its content "
    "was not scanned. Malicious models have been shipped 7z-compressed precisely because "
    "scanners skip it (nullifAI).",
    "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face",
    blocks=True,
)

POLYGLOT = Rule(
    "AIR-SCAN-004",
    Severity.HIGH,
    "File is two formats at once",
    "The object parses completely as more than one format (e.g. a pickle in front of a zip, a "
    "zip whose first bytes are also a pickle). Each loader picks its own reading, so a scanner "
    "or reviewer that looks at one of them can be shown a harmless file while the loader runs "
    "the other. Every reading was judged; the ambiguity itself is the finding.",
    "https://github.com/trailofbits/polyfile",
)
FORMAT_MISMATCH = Rule(
    "AIR-SCAN-005",
    Severity.HIGH,
    "File does not parse as the format its name claims",
    "The name promises a format (e.g. .safetensors, .npy, .h5) but the bytes do not parse as "
    "it. A loader chosen by the name may read it differently from the scanner (and lenient "
    "loaders accept what strict parsers reject), so it cannot be judged.",
    blocks=True,
)
ARCHIVE_ESCAPE = Rule(
    "AIR-ARC-009",
    Severity.HIGH,
    "Archive member escapes the extraction directory",
    "A zip or tar member name is absolute or climbs out with '..', or a tar member is a "
    "symbolic/hard link pointing outside the archive: extracting it writes or reads files "
    "anywhere the extracting user can (path traversal, zip-slip).",
    "https://security.snyk.io/research/zip-slip-vulnerability",
)
NAME_CLASH = Rule(
    "AIR-ARC-010",
    Severity.HIGH,
    "Zip member names that readers resolve differently",
    "A member name holds a NUL byte, or two entries with different bytes get the same name as "
    "Python's zipfile reads names (cut at the first NUL; '\\' read as '/' on Windows). zipfile "
    "(np.load, Keras, skops, stable-baselines3) loads the last such entry by that name while "
    "other readers keep the full name or take the first, so a scanner can be shown one member "
    "and the loader another; likewise zip64 end records that send zipfile and miniz (torch) to "
    "different central directories, or an end record whose directory offset miniz reads "
    "as stated while zipfile shifts it by the bytes before the record. No writer produces "
    "such names or records.",
    "https://docs.python.org/3/library/zipfile.html#zipfile.ZipInfo",
)

UNREADABLE = Rule(
    "AIR-SCAN-006",
    Severity.MEDIUM,
    "File or directory could not be read",
    "Part of the model (an unlistable directory, a special file, a dangling or refused link) "
    "could not be read, so it was not scanned. A loader with other permissions, or after the "
    "tree changes, may still read it.",
)

CHANGED = Rule(
    "AIR-SCAN-007",
    Severity.HIGH,
    "File changed while being checked",
    "The file's size, modification or change time moved between the start and the end of "
    "reading it, so the bytes hashed, scanned and later loaded may differ (time-of-check vs "
    "time-of-use). Check again once nothing writes to the model.",
)
TIME_BUDGET = Rule(
    "AIR-SCAN-008",
    Severity.MEDIUM,
    "Scan time budget exceeded",
    "Judging this file took longer than the per-file time budget (Limits.max_seconds), so the"
    " objects not reached were not judged. Inputs built to be slow to analyse are a way to get"
    " past scanners that give up quietly.",
    blocks=True,
)

ALL_RULES: tuple[Rule, ...] = (
    UNPARSEABLE,
    SCANNER_ERROR,
    DISGUISED,
    DAMAGED_ZIP,
    CRC_MISMATCH,
    BOMB,
    ENCRYPTED,
    TOO_DEEP,
    TRUNCATED_STREAM,
    TOO_MANY,
    TORCHSCRIPT_CALL,
    TORCHSCRIPT_CUSTOM_OP,
    TORCHSCRIPT_UNPARSEABLE,
    TORCHSCRIPT_UNLISTED,
    TORCHSCRIPT_LOAD_UNBOUNDED,
    PT2_LAYOUT,
    PT2_PROGRAM_CALL,
    PT2_PROGRAM_CODE,
    PT2_AOTI_BUILD,
    TORCH_CASE_CLASH,
    LEGACY_TAR_LINK,
    NPY_OBJECT,
    LEGACY_LAYOUT,
    UNSUPPORTED_ARCHIVE,
    POLYGLOT,
    FORMAT_MISMATCH,
    ARCHIVE_ESCAPE,
    NAME_CLASH,
    UNREADABLE,
    CHANGED,
    TIME_BUDGET,
)
