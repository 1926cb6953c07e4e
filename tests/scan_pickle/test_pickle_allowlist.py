"""The policy data: well-formed, names that exist, and the decision order documented in
airlock.scan.allowlist."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import warnings
from importlib import resources
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.allowlist import (
    ALLOW,
    DANGER,
    DUNDER,
    REF_ONLY,
    UNKNOWN,
    Policy,
    default_policy,
    group_names,
)
from airlock.scan.pickle_vm import RULES

# Names kept for files written by older library versions (absent from the installed ones).
_LEGACY = (
    "sklearn.externals.",
    "numpy.float_",
    "numpy.complex_",
    "numpy.unicode_",
    "numpy.string_",
    "numpy.bool8",
    "numpy.random.mtrand.__RandomState_ctor",
    "sklearn.ensemble._gb_losses.",
    "pandas.core.",  # pandas 2.x module paths (group pandas-2x-paths)
    "pandas._libs.missing.NA",
    "pandas._libs.interval.Interval",
    "pandas._libs.tslibs.nattype.__nat_unpickle",
    "_loss.",  # scikit-learn 1.5's bare Cython module name
    "sklearn._loss._loss.__pyx_unpickle_",
    "sklearn.compose._column_transformer._RemainderColsList",
)

# Methods of objects a call returns: the machine names getattr(re._compile(...), "findall")
# as "re._compile.findall", which is not an importable path.
_CALL_RESULT_ATTRS = frozenset({"re._compile.findall"})


def _other_major(group: dict[str, Any], top: str) -> bool:
    """Whether every version the group was seen in has another major version than the one
    installed (its names are that version's module paths)."""
    seen = str(group.get("seen_in", {}).get(top, ""))
    try:
        installed = importlib.metadata.version(top)
    except importlib.metadata.PackageNotFoundError:
        return False
    majors = {v.strip().split(".")[0] for v in seen.split(",") if v.strip()}
    return bool(majors) and installed.split(".")[0] not in majors


def _doc() -> dict[str, Any]:
    text = resources.files("airlock.scan").joinpath("data/pickle_allowlist.json").read_text()
    doc: dict[str, Any] = json.loads(text)
    return doc


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_document_is_well_formed() -> None:
    doc = _doc()
    assert doc["schema"] == 1 and doc["version"]
    for group in doc["allow"]:
        names = group_names(group)
        assert group["why"] and names and len(set(names)) == len(names)
        assert ("names" in group) != ("names_text" in group)
    for cat in doc["dangerous"]:
        Severity.parse(cat["severity"])
        assert cat["why"] and cat["reference"].startswith("https://")
    danger = {n for c in doc["dangerous"] for n in c.get("names", [])}
    allowed = {n for g in doc["allow"] for n in group_names(g)}
    assert not danger & allowed


def test_no_lazy_name_is_in_two_groups() -> None:
    """A names_text group's names are in no other group: their label (``Verdict.matched``) does
    not depend on when the group is split. (Array groups that share a name keep the last
    group's label, as they always have.)"""
    doc = _doc()
    lazy = [g for g in doc["allow"] if "names_text" in g]
    for group in lazy:
        others = {
            n for g in doc["allow"] + doc["ref_only"] if g is not group for n in group_names(g)
        }
        assert not others & set(group_names(group)), group["group"]


def _as_arrays(doc: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(doc))
    for group in out["allow"]:
        names = group_names(group)
        group.pop("names_prefix", None), group.pop("names_text", None)
        group["names"] = names
    return out


def test_names_text_group_answers_like_an_array() -> None:
    """The shipped file stores transformers-architectures as names_text, split on first need:
    every decision equals the one from the same document with every group as a names array,
    in either order of first questions (a lazily split name first, or an unknown one first)."""
    doc = _doc()
    assert any("names_text" in g for g in doc["allow"])
    lazy_names = [n for g in doc["allow"] if "names_text" in g for n in group_names(g)]
    assert lazy_names and all(n.startswith("transformers.models.") for n in lazy_names)
    probes = [n for g in doc["allow"] + doc["ref_only"] for n in group_names(g)]
    probes += [n for c in doc["dangerous"] for n in c.get("names", []) + c.get("modules", [])]
    probes += [
        "transformers.models.bert.modeling_bert.NoSuchClass",
        "transformers.models.evil.os.system",
        "transformers.models.x.__class__.__subclasses__",
        "transformers.dynamic_module_utils.get_class_from_dynamic_module",
        "transformers.modeling_utils.PreTrainedModel",
        "transformers.models",
        "transformersx.models.bert.modeling_bert.BertModel",
        "mycorp.models.Net",
        "__torch__.my.Net",
        "torch.os.system",
    ]
    eager = Policy(_as_arrays(doc))
    want = {n: eager.classify(*n.rpartition(".")[::2]) for n in probes}
    for first in (lazy_names[0], "mycorp.models.Net", "transformers.models.bert.x.Missing"):
        lazy = Policy(doc)
        assert lazy._pending
        lazy.classify(*first.rpartition(".")[::2])
        got = {n: lazy.classify(*n.rpartition(".")[::2]) for n in probes}
        assert got == want
    checkpoint = Policy(doc)
    for name in (
        "torch._utils._rebuild_tensor_v2",
        "collections.OrderedDict",
        "torch.FloatStorage",
    ):
        assert checkpoint.classify(*name.rpartition(".")[::2]).status == ALLOW
    assert checkpoint._pending  # a plain checkpoint never splits the transformers group
    assert set(checkpoint.allowed_names()) >= set(lazy_names) and not checkpoint._pending


def test_explain_finds_a_lazy_group() -> None:
    from airlock.explain import explain_name

    name = "transformers.models.afmoe.modeling_afmoe.AfmoeAttention"
    info = explain_name(name)
    assert info["status"] == ALLOW
    assert info["decided_in"].endswith("allow group 'transformers-architectures'")
    assert "seen_in" in info


@pytest.mark.filterwarnings("ignore")
def test_allowlisted_names_exist_in_installed_libraries() -> None:
    pytest.importorskip("torch", reason="needs extra [trojan]")
    pytest.importorskip("sklearn", reason="needs group test")
    missing = []
    for group in _doc()["allow"]:
        for name in group_names(group):
            if _other_major(group, name.split(".")[0]):
                continue  # e.g. transformers 4.x's *_fast modules while 5.x is installed
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    _resolve(name)
                except (ImportError, AttributeError):
                    if name.startswith(_LEGACY) or name in _CALL_RESULT_ATTRS:
                        continue
                    top = name.split(".")[0]
                    if "seen_in" in group and importlib.util.find_spec(top) is None:
                        continue  # a corpus-grown group for a library not installed here
                    missing.append(name)
    assert missing == []


@pytest.mark.parametrize(
    ("module", "qualname", "status"),
    [
        ("torch._utils", "_rebuild_tensor_v2", ALLOW),
        ("collections", "OrderedDict", ALLOW),
        ("__torch__.my.Module", "Net", ALLOW),
        ("numpy", "memmap", REF_ONLY),
        ("posix", "system", DANGER),
        ("torch", "os.system", DANGER),
        ("torch.serialization", "os.path.join", DANGER),
        ("asyncio.unix_events", "_UnixSubprocessTransport", DANGER),
        ("copyreg", "add_extension", DANGER),
        ("copyreg", "_reconstructor", ALLOW),
        ("torch.jit._pickle", "build_intlist", ALLOW),
        ("torch.jit", "load", DANGER),
        ("builtins", "object.__subclasses__", DUNDER),
        ("mypkg.models", "Net", UNKNOWN),
        ("mypkg", "code", UNKNOWN),  # a suffix is only checked as module.attribute
        ("builtins", "set", ALLOW),
        # Gadgets that must never be allowlisted (template injection, writing a .pth file):
        ("jinja2.environment", "Template.render", UNKNOWN),
        ("jinja2", "Template", UNKNOWN),
        ("pathlib", "Path.write_text", UNKNOWN),
        ("pathlib", "PosixPath.write_bytes", UNKNOWN),
    ],
)
def test_decisions(module: str, qualname: str, status: str) -> None:
    assert default_policy().classify(module, qualname).status == status


def test_rules_are_documented() -> None:
    for rule, (title, why, ref) in RULES.items():
        assert rule.startswith("AIR-PKL-") and title and why and ref.startswith("https://")
