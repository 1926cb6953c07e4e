"""The evidence a stored verdict keeps so that a rule change can find, and where possible
re-judge, exactly the files it touches without reading their bytes again.

- ``globals``: every callable a pickle in the file names (allowed ones too: an allowlist that
  drops a name must find them), from the pickle handler's ``imports:`` notes and the findings;
  ``globals_complete`` is false when a list was cut or a pickle was read another way (then any
  allowlist change counts as touching the file);
- ``rules``: rule ids of the findings (a rule's severity change re-grades these);
- ``formats``: object formats (a file with none of the pickle family ignores allowlist changes);
- ``templates``: Jinja rule ids hit in chat templates; ``ops``: TorchScript / Keras / ONNX /
  TensorFlow findings' subjects (custom ops, layers).
"""

from __future__ import annotations

from typing import Any

from airlock.scan.result import FileResult

PICKLE_FAMILY = frozenset(
    {
        "pickle",
        "joblib",
        "pytorch",
        "torchscript",
        "pytorch-legacy",
        "pytorch-legacy-tar",
        "pytorch-legacy-records",
        "pytorch-zip",
        "torch-package",
    }
)
_IMPORTS = "imports: "
_OPS_PREFIXES = ("AIR-TS-", "AIR-KERAS-", "AIR-ONNX-", "AIR-TF-")
NAME_CUT = 200  # the handler cuts names to 200 characters


def extract(result: FileResult) -> dict[str, Any]:
    names: dict[str, None] = {}
    complete = True
    formats = sorted({o.format for o in result.objects})
    for o in result.objects:
        listed = False
        for note in o.notes:
            if note.startswith(_IMPORTS):
                listed = True
                body = note[len(_IMPORTS) :]
                if body.endswith(" more left out)"):
                    complete = False
                    body = body.rsplit(" (+", 1)[0]
                for n in body.split(", "):
                    if len(n) >= NAME_CUT:
                        complete = False
                    names.setdefault(n, None)
            elif "pickle stream(s)" in note:
                listed = True
        if o.format in ("pickle", "joblib") and not listed:
            complete = False  # read as a pickle by another path: its names are not listed
    for f in result.findings:
        name = f.extra.get("callable")
        if isinstance(name, str) and name not in names:
            names[name] = None
            complete = False
    templates = sorted({f.rule_id for f in result.findings if f.rule_id.startswith("AIR-JINJA-")})
    ops = sorted(
        {
            f"{f.rule_id} {f.evidence[:120]}"
            for f in result.findings
            if f.rule_id.startswith(_OPS_PREFIXES)
        }
    )
    return {
        "globals": sorted(names),
        "globals_complete": complete,
        "rules": sorted({f.rule_id for f in result.findings}),
        "formats": formats,
        "templates": templates,
        "ops": ops,
    }


def has_pickle(evidence: dict[str, Any]) -> bool:
    return bool(PICKLE_FAMILY.intersection(evidence.get("formats", []))) or bool(
        evidence.get("globals")
    )
