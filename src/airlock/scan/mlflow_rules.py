"""MLflow ``MLmodel`` files (AIR-CFG-021).

``mlflow.pyfunc.load_model`` reads ``MLmodel`` (YAML), prepends the flavor's ``code`` directory
to ``sys.path`` (``_add_code_from_conf_to_system_path``), then
``importlib.import_module(flavors.python_function.loader_module)._load_pyfunc(data)``; the
``mlflow.pyfunc.model`` loader unpickles ``python_model`` with cloudpickle, or executes
``model_code_path`` (models from code); sklearn/pytorch flavors load their pickled model with
pickle/cloudpickle. So: a ``loader_module`` outside ``mlflow.`` is high (it is imported, from the
shipped code directory when there is one), a ``code`` directory is high (every module in it is
importable by name at load and shadows the environment's), ``model_code_path`` is high, a
path leaving the folder is high; ``python_model`` is medium and a pickled flavor model low
(their own pickle scans decide).

YAML is not parsed with a YAML library: block-style ``key: value`` lines are read by
indentation; every key of interest must be such a line (flow style, anchors, aliases, tags or
merge keys near it make the file high: it cannot be judged)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan import hydra_rules
from airlock.scan.format_rules import Rule

MLFLOW_REF = "https://mlflow.org/docs/latest/ml/model/"

MLMODEL = Rule(
    "AIR-CFG-021",
    Severity.HIGH,
    "MLflow model imports or unpickles code at load",
    "mlflow.pyfunc.load_model puts the model's code directory first on sys.path, imports the"
    " MLmodel's loader_module and calls it, executes model_code_path and unpickles python_model"
    " with cloudpickle: a loader outside mlflow and shipped code run with the user's privileges.",
    MLFLOW_REF,
)
KEYS = (
    "loader_module", "code", "model_code_path", "python_model", "pickled_model",
    "serialization_format", "data", "model_class", "keras_module", "skops_trusted_types",
)  # fmt: skip
# flavors' model_class: xgboost instantiates it with no argument then calls load_model, lightgbm
# picks its loader by it, spark calls its loadFromLocal; the libraries' own classes only
MODEL_CLASS_PREFIXES = ("xgboost.", "lightgbm.", "pyspark.ml.")
# tensorflow/keras flavors import keras_module (MLmodel key, or data/keras_module.txt)
KERAS_MODULES = frozenset({"tensorflow.keras", "keras", "tf_keras", "tensorflow.python.keras"})
# the pytorch flavor imports data/pickle_module_info.txt's module and hands it to torch.load
PICKLE_MODULES = frozenset({"mlflow.pytorch.pickle_module", "pickle", "cloudpickle"})
# skops.io.load trusts these types when the MLmodel says so (mlflow's own lightgbm list, and the
# estimator packages): any other trusted type lets the .skops file build it
SKOPS_TRUSTED_PREFIXES = ("sklearn.", "lightgbm.", "xgboost.", "numpy.", "scipy.")
SKOPS_TRUSTED_EXACT = frozenset({"collections.OrderedDict", "collections.defaultdict"})
MODULE_FILES = {"pickle_module_info.txt": PICKLE_MODULES, "keras_module.txt": KERAS_MODULES}
_LINE = re.compile(r"""^( *)(?:"([^"]*)"|'([^']*)'|([^\s:#'"][^:#]*?))[ \t]*:(?:[ \t]+(.*))?$""")
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
MAX_LINES = 200_000
MAX_SHOWN = 5


def _scalar(raw: str | None) -> str | None:
    v = (raw or "").strip()
    if v[:1] in ("'", '"'):
        end = v.rfind(v[0])
        return v[1:end] if end > 0 else v[1:]
    v = re.split(r"[ \t]#", v, maxsplit=1)[0].strip()
    return None if v in ("", "null", "~", "Null", "NULL") else v


def parse(text: str) -> tuple[dict[str, dict[str, str | None]], list[str]]:
    """``flavors.<name>.<key>`` scalars of an MLmodel text, and why it cannot be judged (if).

    YAML this line reading does not model is not judged (rt16lib: yaml.safe_load read these
    where the lines did not): explicit ``?``/``:`` key and value lines (a key named on its own
    line, even ``? flavors``), a value of a key of interest continued on more-indented lines
    (``loader_module:`` then ``evilmod`` below it) or a quoted value not closed on its line
    (an escaped line break joins lines), and a byte-order mark is skipped as YAML skips it."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), text)
    flavors: dict[str, dict[str, str | None]] = {}
    problems: list[str] = []
    stack: list[tuple[int, str]] = []
    parsed: dict[str, int] = dict.fromkeys(KEYS, 0)
    interest = -1  # indent of the last key-of-interest line: deeper lines continue its value
    for n, line in enumerate(text.splitlines()[:MAX_LINES], 1):
        body = line.strip()
        if body and not body.startswith("#"):
            deeper = interest >= 0 and len(line) - len(line.lstrip(" ")) > interest
            listed = body.startswith("- ") and stack and stack[-1][1] == "skops_trusted_types"
            if (deeper and not listed) or _EXPLICIT.match(body):
                problems.append(f"line {n}: {body[:80]!r}")
            if not deeper:
                interest = -1
        if body.startswith("- ") and stack and stack[-1][1] == "skops_trusted_types":
            if len(stack) == 3 and stack[0][1] == "flavors":  # a block list item under the key
                conf = flavors.setdefault(stack[1][1], {})
                item = _scalar(body[2:]) or ""
                conf["skops_trusted_types"] = f"{conf.get('skops_trusted_types') or ''},{item}"
            continue
        if not body or body.startswith("#") or body.startswith("- ") or body == "-":
            continue
        m = _LINE.match(line)
        if m is None:
            continue  # continuation lines of long scalars; keys of interest are counted below
        indent = len(m.group(1))
        key = m.group(2) if m.group(2) is not None else m.group(3) or (m.group(4) or "")
        value = m.group(5)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = [k for _, k in stack] + [key]
        stack.append((indent, key))
        v = (value or "").strip()
        odd = v[:1] in ("&", "*", "!", "|", ">") or (v[:1] == "{" and v != "{}")
        if key == "<<" or (odd and (path[0] == "flavors" or key in KEYS)):
            problems.append(f"line {n}: {line.strip()[:80]!r}")
        if key in parsed:
            parsed[key] += 1
            interest = indent
            if v[:1] in ("'", '"') and not _closed(v):
                problems.append(f"line {n}: {line.strip()[:80]!r} (quoted value not closed)")
        if len(path) == 3 and path[0] == "flavors":
            flavors.setdefault(path[1], {})[key] = _scalar(value)
    for key in KEYS:
        seen = len(re.findall(rf"""(?<![A-Za-z0-9_]){key}["']?[ \t]*:""", text))
        if seen > parsed[key]:
            problems.append(f"{key!r} appears outside block-style key lines")
    return flavors, problems


_EXPLICIT = re.compile(r"^[?:](?:[ \t]|$)")


def _closed(v: str) -> bool:
    """A quoted YAML value closed on its line (a comment may follow)."""
    q = v[0]
    rest = v[1:].replace("''", "") if q == "'" else re.sub(r"\\.", "", v[1:])
    end = rest.find(q)
    return end >= 0 and (rest[end + 1 :].strip() == "" or rest[end + 1 :].lstrip()[:1] == "#")


def _outside(path: str) -> bool:
    return path.startswith(("/", "\\", "~")) or ".." in re.split(r"[/\\]", path) or "://" in path


def _py_files(folder: Path | None, code: str) -> list[str]:
    if folder is None:
        return []
    from airlock.scan.interface import note_folder_read

    note_folder_read()
    root = folder / code
    try:
        return sorted(str(p.relative_to(folder)) for p in root.rglob("*.py"))[:MAX_SHOWN]
    except OSError:
        return []


def findings(
    flavors: dict[str, dict[str, str | None]],
    problems: list[str],
    location: str,
    member: str | None,
    folder: Path | None,
) -> list[Finding]:
    """The AIR-CFG-021 findings of one MLmodel's flavors (``folder``: where it sits on disk)."""
    out: list[Finding] = []

    def add(evidence: str, severity: Severity = Severity.HIGH) -> None:
        out.append(MLMODEL.finding(location, evidence, member=member, severity=severity))

    for why in problems[:MAX_SHOWN]:
        add(f"MLmodel cannot be judged: {why}")
    for flavor, conf in sorted(flavors.items()):
        code = conf.get("code")
        shipped = _py_files(folder, code) if code else []
        for key in ("code", "python_model", "pickled_model", "model_code_path", "data"):
            value = conf.get(key)
            if value and _outside(value):
                add(f"flavors.{flavor}.{key} {value[:120]!r} leaves the model folder")
        if code:
            files = f" (ships {', '.join(shipped)})" if shipped else ""
            add(
                f"flavors.{flavor}.code {code[:120]!r} is put first on sys.path at load: every"
                f" module in it is importable by name and shadows installed ones{files}"
            )
        loader = conf.get("loader_module")
        if flavor == "python_function" and loader and not loader.startswith("mlflow."):
            rel = loader.replace(".", "/")
            mine = [f for f in shipped if f.endswith((f"{rel}.py", f"{rel}/__init__.py"))]
            src = f" from {code!r}" if code else ""
            ran = f"; {mine[0]} runs at load" if mine else ""
            add(f"mlflow.pyfunc.load_model imports {loader[:120]!r}{src} and calls it{ran}")
        model_class = conf.get("model_class")
        if model_class and not _library_class(model_class, MODEL_CLASS_PREFIXES):
            sev = max(hydra_rules.judge(model_class) or Severity.HIGH, Severity.HIGH)
            add(
                f"flavors.{flavor}.model_class {model_class[:120]!r} is imported and called at"
                " load (not the library's own class)",
                sev,
            )
        keras = conf.get("keras_module")
        if keras and keras not in KERAS_MODULES:
            add(
                f"flavors.{flavor}.keras_module {keras[:120]!r} is imported at load",
                _module_severity(keras),
            )
        trusted = conf.get("skops_trusted_types")
        if trusted is not None:
            names = [t.strip() for t in trusted.strip("[]").split(",") if t.strip()]
            odd = [t for t in names if not _skops_trusted(t)]
            if odd or not names:
                shown = ", ".join(odd[:MAX_SHOWN]) or trusted[:120]
                add(
                    f"flavors.{flavor}.skops_trusted_types makes skops.io.load trust {shown}:"
                    " the .skops file may build any of them"
                )
        if flavor == "python_function" and conf.get("model_code_path"):
            path = conf["model_code_path"] or ""
            add(f"mlflow.pyfunc.load_model executes model_code_path {path[:120]!r} (from code)")
        if flavor == "python_function" and conf.get("python_model"):
            pm = conf["python_model"] or ""
            add(
                f"mlflow.pyfunc.load_model unpickles {pm[:120]!r} with cloudpickle: whatever that"
                " pickle references runs (its own scan judges it)",
                Severity.MEDIUM,
            )
        fmt = conf.get("serialization_format")
        pickled = conf.get("pickled_model")
        if pickled or fmt in ("cloudpickle", "pickle"):
            add(
                f"flavors.{flavor} loads {pickled or 'its model'!s:.120} with {fmt or 'pickle'}"
                " (its own scan judges it)",
                Severity.LOW,
            )
    return out


def _library_class(name: str, prefixes: tuple[str, ...]) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (
        name.startswith(prefixes)
        and hydra_rules._DOTTED.fullmatch(name) is not None
        and last[:1].isupper()
    )


def _skops_trusted(name: str) -> bool:
    return name in SKOPS_TRUSTED_EXACT or _library_class(name, SKOPS_TRUSTED_PREFIXES)


def module_file_findings(text: str, name: str, location: str, member: str | None) -> list[Finding]:
    """``pickle_module_info.txt`` (pytorch flavor) and ``keras_module.txt`` (keras flavor): the
    loader imports the module the file names (``importlib.import_module(f.read())``)."""
    value = text[:200].strip()
    if value in MODULE_FILES[name]:
        return []
    ev = f"{name}: mlflow imports module {value[:120]!r} at load"
    return [MLMODEL.finding(location, ev, member=member, severity=_module_severity(value))]


def _module_severity(module: str) -> Severity:
    """A module a loader imports by name: critical for the standard library's process, file,
    import and deserialiser modules, else high."""
    root = module.split(".", 1)[0]
    dangerous = root in hydra_rules.DANGEROUS_ROOTS or module.startswith(
        hydra_rules.DANGEROUS_PREFIXES
    )
    return Severity.CRITICAL if dangerous else Severity.HIGH


def text_findings(
    text: str, location: str, member: str | None, folder: Path | None
) -> list[Finding]:
    flavors, problems = parse(text)
    return findings(flavors, problems, location, member, folder)


def json_findings(
    doc: Any, location: str, member: str | None, folder: Path | None
) -> list[Finding]:
    """An ``MLmodel`` that is JSON (yaml.safe_load reads JSON too)."""
    flavors: dict[str, dict[str, str | None]] = {}
    raw = doc.get("flavors") if isinstance(doc, dict) else None
    if isinstance(raw, dict):
        for name, conf in raw.items():
            if isinstance(conf, dict):
                flavors[str(name)] = {
                    k: (
                        v
                        if isinstance(v, str) or v is None
                        else ",".join(map(str, v))
                        if isinstance(v, list)
                        else repr(v)[:120]
                    )
                    for k, v in conf.items()
                    if k in KEYS
                }
    return findings(flavors, [], location, member, folder)
