"""spaCy pipeline ``config.cfg`` (AIR-SPACY-001).

``spacy.load(path)`` reads ``config.cfg`` with confection (Python's ``configparser`` with
``optionxform = str`` and no interpolation at read; each value read as JSON when it parses as
JSON) and resolves ``[nlp]`` and every ``[components.*]`` block: each ``@<registry> = "name"``
key (as a section key or inside an inline JSON value) calls that registered function with the
block's other values, ``factory`` names the component factory, ``source`` loads ANOTHER
pipeline (a path or an installed package) to copy a component from, and ``[nlp]``'s
``before_creation``/``after_creation``/``after_pipeline_creation`` callbacks run at load
(``spacy.copy_from_base_model.v1`` loads the pipeline its ``tokenizer``/``vocab`` name). Values
may pull other sections in with ``${section.key}``, so every block is judged, not only those two.

Judged here, with the same stdlib parser: every registered name must be one of spaCy's, thinc's
or spacy-legacy's own that builds layers, scorers, tokenizers, optimisers or lazy corpus readers
(read from spaCy 3.8 / thinc 8 registries); names that read files or load other pipelines when
called (``srsly.read_*``, ``spacy.read_labels.v1``, ``spacy.KBFromFile.v1``,
``spacy.copy_from_base_model.v1``) and names of other packages (spacy-transformers fetches its
``name`` from the Hub, spacy-llm calls remote models) are high, as are a non-null ``source``, a
factory that is not one of spaCy's, a ``lang`` that is not a language code, and a file claiming
``[nlp]`` that does not parse (fail closed)."""

from __future__ import annotations

import configparser
import json
import re
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule, short

SPACY_REF = "https://spacy.io/usage/training#config"

SPACY_CONFIG = Rule(
    "AIR-SPACY-001",
    Severity.HIGH,
    "spaCy config loads or calls something outside the pipeline",
    "spacy.load resolves config.cfg: every @registry function named in [nlp] and the"
    " [components] blocks is called at load, 'source' loads another pipeline, [nlp] callbacks"
    " run, and the factory builds the component. Only spaCy's own layer, scorer, tokenizer and"
    " optimiser functions and factories are judged safe; functions that read files, load other"
    " pipelines or fetch models, and other packages' functions are not.",
    SPACY_REF,
)

_THINC_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.v[0-9]+$")  # thinc's "Adam.v1", "Relu.v1"
# spaCy / spacy-legacy / spacy-loggers / thinc prefixes of registered names
_OWN_PREFIXES = ("spacy.", "spacy-legacy.", "spacy-loggers.", "thinc.")
# registries whose spaCy/thinc members only build objects (layers, losses, schedules...)
_BUILDERS = frozenset(
    {
        "architectures", "layers", "initializers", "losses", "optimizers", "schedules",
        "scorers", "batchers", "augmenters", "loggers", "tokenizers", "vectors", "ops",
        "lemmatizers", "regularizers",
    }
)  # fmt: skip
# members of other registries that only build values (spacy 3.8)
_MISC = frozenset(
    {
        "spacy.CandidateBatchGenerator.v1", "spacy.CandidateGenerator.v1", "spacy.EmptyKB.v1",
        "spacy.EmptyKB.v2", "spacy.LookupsDataLoader.v1", "spacy.first_longest_spans_filter.v1",
        "spacy.levenshtein_compare.v1", "spacy.ngram_range_suggester.v1",
        "spacy.ngram_suggester.v1", "spacy.preset_spans_suggester.v1",
        "spacy.prioritize_existing_ents_filter.v1", "spacy.prioritize_new_ents_filter.v1",
    }
)  # fmt: skip
# corpus readers that read nothing until iterated (training only)
_READERS = frozenset({"spacy.Corpus.v1", "spacy.JsonlCorpus.v1", "spacy.PlainTextCorpus.v1"})
_CALLBACKS = frozenset(
    {"spacy.models_with_nvtx_range.v1", "spacy.models_and_pipes_with_nvtx_range.v1"}
)
# read files / load pipelines when called: named for the evidence
_LOADERS = {
    "spacy.copy_from_base_model.v1": "loads the pipeline its tokenizer/vocab name",
    "spacy.read_labels.v1": "reads the JSON file at its path",
    "spacy.KBFromFile.v1": "reads a knowledge base from its path",
    "srsly.read_json.v1": "reads the file at its path",
    "srsly.read_jsonl.v1": "reads the file at its path",
    "srsly.read_msgpack.v1": "reads the file at its path",
    "srsly.read_yaml.v1": "reads the file at its path",
}
# spaCy's own component factories (spacy 3.8 docs/API), and "<lang>.lemmatizer"-style ones
FACTORIES = frozenset(
    {
        "attribute_ruler", "beam_ner", "beam_parser", "doc_cleaner", "entity_linker",
        "entity_ruler", "future_entity_ruler", "lemmatizer", "merge_entities",
        "merge_noun_chunks", "merge_subtokens", "morphologizer", "ner", "parser", "senter",
        "sentencizer", "span_finder", "span_ruler", "spancat", "spancat_singlelabel", "tagger",
        "textcat", "textcat_multilabel", "tok2vec", "token_splitter", "trainable_lemmatizer",
    }
)  # fmt: skip
_LANG_FACTORY = re.compile(r"^[a-z]{2,3}\.(?:lemmatizer|morphologizer)$")
_LANG = re.compile(r"^(?:[a-z]{2,3}|xx)$")
_NLP_HEADER = re.compile(rb"^[ \t]*\[[ \t]*nlp[ \t]*[\].]", re.M)
MAX_SECTIONS = 20_000
MAX_SHOWN = 20


def claims_spacy(raw: bytes) -> bool:
    """A ``config.cfg`` with an ``[nlp]`` block (what ``spacy.load`` requires)."""
    return _NLP_HEADER.search(raw) is not None


def _allowed(registry: str, name: str) -> str:
    """Why the registered function is not judged safe ("" when it is)."""
    if name in _LOADERS:
        return _LOADERS[name]
    own = name.startswith(_OWN_PREFIXES) or (
        _THINC_PLAIN.match(name) is not None and registry in _BUILDERS
    )
    if registry in _BUILDERS and own:
        return ""
    if registry == "misc" and name in _MISC:
        return ""
    if registry == "readers" and name in _READERS:
        return ""
    if registry == "callbacks" and name in _CALLBACKS:
        return ""
    return "not one of spaCy's own functions that only build objects"


_LITERALS: dict[str, Any] = {"True": True, "False": False, "None": None}


def _value(raw: str) -> Any:
    """confection's reading of a value (``try_load_json``): JSON when it parses, Python's
    True/False/None, else the text."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return _LITERALS.get(raw, raw)


def findings(text: str, location: str, member: str | None) -> list[Finding]:
    """The AIR-SPACY-001 findings of one spaCy ``config.cfg`` text."""
    out: list[Finding] = []

    def add(evidence: str) -> None:
        if len(out) < MAX_SHOWN:
            out.append(SPACY_CONFIG.finding(location, evidence, member=member))

    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError) as exc:
        add(f"config.cfg cannot be judged: {short(str(exc), 160)}")
        return out
    sections = parser.sections()
    if len(sections) > MAX_SECTIONS:
        add(f"config.cfg has more than {MAX_SECTIONS} blocks: not judged")
        return out
    for section in sections:
        for key, raw in parser.items(section):
            here = f"[{short(section, 80)}] {short(key, 60)}"
            value = _value(raw) if raw is not None else None
            if key.startswith("@"):
                name = value if isinstance(value, str) else str(value)
                why = _allowed(key[1:], name)
                if why:
                    add(f"{here} = {short(name, 120)}: called at load; {why}")
            elif key == "source" and section.startswith("components.") and value is not None:
                add(f"{here} = {short(raw, 120)}: spacy.load loads that pipeline to copy from")
            elif key == "factory" and section.startswith("components.") and section.count(".") == 1:
                ok = isinstance(value, str) and (
                    value in FACTORIES or _LANG_FACTORY.match(value) is not None
                )
                if not ok:
                    add(f"{here} = {short(raw, 120)}: not one of spaCy's own component factories")
            elif key == "lang" and section == "nlp":
                if not (isinstance(value, str) and _LANG.match(value)):
                    add(f"{here} = {short(raw, 120)}: not a language code")
            for reg, name in _inline(value):
                why = _allowed(reg, name)
                if why:
                    add(f"{here}: inline @{short(reg, 40)} = {short(name, 120)}: {why}")
    return out


def _inline(value: Any) -> list[tuple[str, str]]:
    """``{"@registry": "name", ...}`` objects inside a JSON value (bounded walk)."""
    found: list[tuple[str, str]] = []
    todo = [value]
    steps = 0
    while todo and steps < 100_000:
        steps += 1
        v = todo.pop()
        if isinstance(v, dict):
            for k, x in v.items():
                if isinstance(k, str) and k.startswith("@"):
                    found.append((k[1:], x if isinstance(x, str) else repr(x)[:120]))
                todo.append(x)
        elif isinstance(v, list):
            todo.extend(v)
    if todo:
        found.append(("?", "a value too large to walk"))
    return found
