"""Stable rule ids of the pickle analysis: title, why it matters, reference, default severity.

Ids never change meaning; new techniques get new ids. ``RULES`` is re-exported by
:mod:`airlock.scan.pickle_vm` (reports and SARIF rule metadata read it from there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airlock.report import Severity

if TYPE_CHECKING:
    from airlock.scan.format_rules import Rule

GHSA = "https://github.com/mmaitre314/picklescan/security/advisories"

#: Stable rule ids: id -> (title, why it matters, reference).
RULES: dict[str, tuple[str, str, str]] = {
    "AIR-PKL-001": (
        "Dangerous callable in pickle",
        "Loading this pickle calls or imports a known code-execution, import, file, process, "
        "network or nested-deserialisation primitive.",
        "https://docs.python.org/3/library/pickle.html#restricting-globals",
    ),
    "AIR-PKL-002": (
        "Callable not on the allowlist",
        "Loading imports this module and may call this object; it is not a known-safe "
        "constructor for any ecosystem Airlock knows. Airlock is an allowlist scanner, so an "
        "unknown callable blocks: review what unpickling it runs, then allow it in the policy "
        "file ([tool.airlock] allow, with a reason) if it only rebuilds data.",
        "https://docs.python.org/3/library/pickle.html#restricting-globals",
    ),
    "AIR-PKL-003": (
        "Import name assembled at load time",
        "STACK_GLOBAL takes its module/name from values computed while loading, so the imported "
        "object cannot be known statically: a classic scanner-evasion technique.",
        f"{GHSA}/GHSA-9gvj-pp9x-gcfr",
    ),
    "AIR-PKL-004": (
        "Extension-registry reference",
        "EXT1/EXT2/EXT4 import whatever copyreg's extension registry maps the code to in the "
        "loading process; that cannot be resolved statically.",
        "https://peps.python.org/pep-0307/#the-extension-registry",
    ),
    "AIR-PKL-005": (
        "Malformed pickle stream",
        "A loader executes everything before the point where this stream breaks and then fails; "
        "broken pickles are used to hide payloads from scanners (nullifAI).",
        "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face",
    ),
    "AIR-PKL-006": (
        "State set on an unresolved object",
        "BUILD/SETITEM/APPEND call __setstate__, __setitem__, append or extend on an object "
        "whose type could not be resolved, so arbitrary methods may run.",
        "https://docs.python.org/3/library/pickle.html#pickling-class-instances",
    ),
    "AIR-PKL-007": (
        "Global object modified by the pickle",
        "The pickle sets attributes or items on a class, function or module it imported "
        "(monkey-patching: Sticky/Sleepy Pickle style persistence, hooking later loads).",
        "https://blog.trailofbits.com/2024/06/11/exploiting-ml-models-with-pickle-file-attacks-part-1/",
    ),
    "AIR-PKL-008": (
        "Attribute traversal through dunder names",
        "The global's dotted path walks through __dunder__ attributes (e.g. __class__, "
        "__globals__, __builtins__), a way to reach arbitrary objects from a harmless one.",
        f"{GHSA}/GHSA-655q-fx9r-782v",
    ),
    "AIR-PKL-009": (
        "Reference-only type used as a call",
        "This name is allowed as a value (e.g. an array subclass marker) but the pickle calls "
        "it, or hands it (alone or in a functools.partial) to code that may call it with "
        "arguments the pickle does not show, which can open or create files.",
        "https://numpy.org/doc/stable/reference/generated/numpy.memmap.html",
    ),
    "AIR-PKL-010": (
        "Call of a computed callable",
        "The pickle calls an object that was itself produced while loading (result of another "
        "call, extension code, persistent id), so the call target is not a known global.",
        "https://docs.python.org/3/library/pickle.html#object.__reduce__",
    ),
    "AIR-PKL-011": (
        "Pickle analysis limit reached",
        "The stream exceeds a size/count limit; what lies beyond was not fully analysed.",
        "https://docs.python.org/3/library/pickle.html",
    ),
    "AIR-PKL-012": (
        "Unusual codec in _codecs.encode",
        "Pickle only needs Latin-1 to rebuild bytes; other codecs are a way to decode hidden "
        "payloads at load time.",
        "https://docs.python.org/3/library/codecs.html#standard-encodings",
    ),
    "AIR-PKL-013": (
        "joblib array layout not understood",
        "joblib writes raw array bytes inside the pickle stream; their length could not be "
        "derived from the array wrapper, so the rest of the stream was not analysed.",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
    ),
    "AIR-PKL-014": (
        "Text that reads as a broken pickle that only imports",
        "The file is text named as text (a label or vocabulary list), but its first line starts "
        "with 'c', which pickle.load reads as an import; the stream can do nothing else before "
        "it breaks and the module is unknown. Judged as text; shown so nobody unpickles it.",
        "https://docs.python.org/3/library/pickletools.html",
    ),
    "AIR-PKL-015": (
        "Arrow array not proven in bounds",
        "pyarrow rebuilds a pickled Array (pyarrow.lib._restore_array) from the type, length, "
        "offset and buffers the pickle gives, without validating them: a length or offset past "
        "its buffers makes later reads run off the heap (out-of-bounds read, crash). Airlock "
        "allows the call only when it proves every buffer large enough from constants in the "
        "pickle (nested list/struct children and dictionary indices included); this one it "
        "could not (or found it out of bounds). A pyarrow timestamp type whose time zone is not "
        "a zone name or offset (a path, looked up on conversion) is refused under this rule too.",
        "https://arrow.apache.org/docs/format/Columnar.html#buffer-listing-for-each-layout",
    ),
    "AIR-PKL-016": (
        "Pickled state executed as code",
        "This allowlisted class's __setstate__ executes text from the pickled state (scipy's "
        "rv_continuous/rv_discrete distributions exec _parse_arg_template), so a crafted state "
        "runs arbitrary Python at load. Airlock allows the BUILD only when the state is a plain "
        "dict whose executed attributes are constant strings of exactly the form the library "
        "writes; this one is not (or cannot be known).",
        "https://github.com/scipy/scipy/blob/main/scipy/stats/_distn_infrastructure.py",
    ),
    "AIR-PKL-018": (
        "Pickle makes its loader read files it names",
        "gensim's SaveLoad.load follows lists in the pickled state (__numpys, __scipys, "
        "__recursive_saveloads) to build file names and unpickles the __scipys files: pickles "
        "this scan never judged. Airlock allows a gensim model only when those lists are "
        "attribute names (sibling data files numpy reads without pickle) and __scipys is empty. "
        "LdaModel.load also unpickles the fixed siblings <file>.state and <file>.id2word: a file "
        "loading an LdaModel passes only in a scan that judged both as files of their own.",
        "https://radimrehurek.com/gensim/utils.html#gensim.utils.SaveLoad.load",
    ),
    "AIR-PKL-017": (
        "Index arrays not proven in range",
        "scipy sparse matrices/arrays (indices, indptr, coords, offsets) and search trees "
        "(scipy cKDTree, scikit-learn KDTree/BallTree: idx_array, node data) read and write "
        "memory through their own index arrays without bounds checks, and unpickling sets those "
        "arrays without the checks their constructors make: an out-of-range index loads fine "
        "and crashes (out-of-bounds read or write) at the first toarray(), product or query(). "
        "Fitted scikit-learn/scipy objects whose compiled code indexes with their fields (libsvm "
        "models, neighbours classifiers, vectorizer vocabularies, feature hashers, splines) are "
        "held to the same standard, and so are LightGBM / XGBoost Boosters, whose __setstate__ "
        "hands the model text (AIR-LGB-001) or serialised model (AIR-XGB-001) to a native "
        "parser that trusts its indexes. "
        "numpy's ndarray.__setstate__ reads shape-many items from an object array's list "
        "without checking its length: the list must hold exactly that many. "
        "Airlock allows them only when it proves every index in range for the stated shape "
        "from the array bytes in the pickle; this one it could not (or found one out of range).",
        "https://docs.scipy.org/doc/scipy/reference/sparse.html",
    ),
    "AIR-PKL-019": (
        "Items added to an object whose methods run code",
        "APPEND/APPENDS/SETITEM/SETITEMS/ADDITEMS on an object call its own extend, append, "
        "__setitem__ or add (an attribute the pickle set on the instance first) with the "
        "pickle's items; an allowlisted class's method can act on its pickled state (river's "
        "SWINN.append calls the distance function from its state, e.g. one that opens a "
        "database file). Airlock allows this only on dicts, lists, deques, sets and reviewed "
        "subclasses whose methods only store the item.",
        "https://docs.python.org/3/library/pickle.html#pickling-class-instances",
    ),
}

RULE_SEVERITY: dict[str, Severity] = {
    "AIR-PKL-001": Severity.CRITICAL,
    "AIR-PKL-002": Severity.HIGH,  # unknown blocks at the gate (fail closed)
    "AIR-PKL-003": Severity.CRITICAL,
    "AIR-PKL-004": Severity.HIGH,
    "AIR-PKL-005": Severity.MEDIUM,
    "AIR-PKL-006": Severity.HIGH,
    "AIR-PKL-007": Severity.HIGH,
    "AIR-PKL-008": Severity.HIGH,
    "AIR-PKL-009": Severity.HIGH,  # calling it opens or creates files
    "AIR-PKL-010": Severity.HIGH,
    "AIR-PKL-011": Severity.MEDIUM,
    "AIR-PKL-012": Severity.MEDIUM,
    "AIR-PKL-013": Severity.MEDIUM,
    "AIR-PKL-014": Severity.LOW,
    "AIR-PKL-015": Severity.HIGH,  # memory-unsafe on use; unproven blocks (fail closed)
    "AIR-PKL-016": Severity.CRITICAL,  # code execution at load
    "AIR-PKL-017": Severity.HIGH,  # memory-unsafe on use; unproven blocks (fail closed)
    "AIR-PKL-018": Severity.HIGH,  # an unjudged pickle loaded after this one
    "AIR-PKL-019": Severity.HIGH,  # an unreviewed method run with the pickle's items
}


def rule(rule_id: str) -> Rule:
    """One of the pickle rules, as registered."""
    from airlock.scan.format_rules import lookup

    found = lookup(rule_id)
    assert found is not None, rule_id
    return found


def _register() -> None:
    """The pickle rules in the scanner's one rule registry (``format_rules``)."""
    from airlock.scan.format_rules import Rule

    for rule_id, (title, why, ref) in RULES.items():
        blocks = rule_id in ("AIR-PKL-011", "AIR-PKL-013")  # the rest of the stream unread
        Rule(rule_id, RULE_SEVERITY[rule_id], title, why, ref, blocks)


_register()
