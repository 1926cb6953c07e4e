"""spaCy ``config.cfg`` (AIR-SPACY-001, rt16lib): ``spacy.load`` resolves ``[nlp]`` and the
``[components]`` blocks, so a ``source`` key or an ``[nlp.after_creation]`` callback
``spacy.copy_from_base_model.v1`` makes it load ANOTHER pipeline from a path the gate never saw
(ALLOW before: config.cfg was plain text). Fixtures are written here; the real spaCy runs in a
child process where it is installed (it tries to load the named pipeline: E050 for a missing
one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_paths
from airlock.scan.spacy_config import claims_spacy, findings

# what spacy.blank("en") + tok2vec + ner + sentencizer writes (spaCy 3.8), trimmed
HONEST = """[paths]
train = null
dev = null
vectors = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec","ner","sentencizer"]
disabled = []
before_creation = null
after_creation = null
after_pipeline_creation = null
batch_size = 1000

[nlp.tokenizer]
@tokenizers = "spacy.Tokenizer.v1"

[nlp.vectors]
@vectors = "spacy.Vectors.v1"

[components]

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100
incorrect_spans_key = null

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
hidden_width = 64
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true

[components.ner.scorer]
@scorers = "spacy.ner_scorer.v1"

[components.sentencizer]
factory = "sentencizer"
punct_chars = null
overwrite = false

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[training]
seed = ${system.seed}
dropout = 0.1

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[initialize]
vectors = ${paths.vectors}
"""

CALLBACK = '[nlp.after_creation]\n@callbacks = "spacy.copy_from_base_model.v1"\n'
CALLBACK += 'tokenizer = "{other}"\nvocab = null\n'


def _evil(kind: str, other: str) -> str:
    if kind == "callback":
        text = HONEST.replace("after_creation = null\n", "")
        return text + "\n" + CALLBACK.format(other=other)
    if kind == "source":
        block = '[components.sentencizer]\nfactory = "sentencizer"\npunct_chars = null\n'
        block += "overwrite = false\n"
        assert block in HONEST
        return HONEST.replace(block, f'[components.sentencizer]\nsource = "{other}"\n')
    if kind == "reader":  # a file reader pulled into a component's arguments
        return HONEST.replace(
            "incorrect_spans_key = null\n",
            'incorrect_spans_key = {"@readers": "srsly.read_json.v1", "path": "/etc/x"}\n',
        )
    if kind == "foreign":
        return HONEST.replace('"spacy.TransitionBasedParser.v2"', '"spacy-llm.Anything.v1"')
    if kind == "factory":
        return HONEST.replace('factory = "tok2vec"', 'factory = "my_plugin_component"')
    if kind == "broken":
        return HONEST + '\n[components.ner]\nfactory = "ner"\n'  # a duplicate block
    raise AssertionError(kind)


def _high(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.rule_id == "AIR-SPACY-001" and f.severity >= Severity.HIGH]


def test_honest_config_is_clean() -> None:
    assert claims_spacy(HONEST.encode())
    assert findings(HONEST, "config.cfg", None) == []


@pytest.mark.parametrize("kind", ["callback", "source", "reader", "foreign", "factory", "broken"])
def test_configs_that_load_or_call_outside_are_high(kind: str) -> None:
    assert _high(findings(_evil(kind, "/tmp/elsewhere"), "config.cfg", None)), kind


def test_pipeline_folder_gate(tmp_path: Path) -> None:
    for name, text in (("honest", HONEST), ("evil", _evil("callback", "/tmp/elsewhere"))):
        root = tmp_path / name
        root.mkdir()
        (root / "config.cfg").write_text(text)
        (root / "meta.json").write_text('{"lang": "en", "name": "pipeline"}')
        high = _high(scan_paths([root]).findings)
        assert bool(high) == (name == "evil"), name


def test_real_spacy_loads_the_named_pipeline(tmp_path: Path) -> None:
    """Where spaCy is installed: spacy.load of the crafted folders tries to load the pipeline
    the config names (the findings are real); the honest folder loads."""
    try:
        import spacy
    except Exception:
        pytest.skip("spaCy not installed")
    honest = tmp_path / "honest"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(honest)
    assert findings((honest / "config.cfg").read_text(), "config.cfg", None) == []
    missing = str(tmp_path / "not_there")
    code = "import spacy, sys\ntry:\n    spacy.load(sys.argv[1])\nexcept OSError as e:\n"
    code += "    print(e)\n"
    for kind in ("callback", "source"):
        root = tmp_path / kind
        root.mkdir()
        text = (honest / "config.cfg").read_text()
        if kind == "callback":
            text = text.replace("after_creation = null\n", "")
            text += "\n" + CALLBACK.format(other=missing)
        else:
            start = text.index("[components.sentencizer]")
            end = text.index("\n[", start + 1)
            end = text.index("\n[", end + 1)  # the scorer block
            text = text[:start] + f'[components.sentencizer]\nsource = "{missing}"\n' + text[end:]
        for f in honest.iterdir():
            if f.name != "config.cfg":
                (root / f.name).symlink_to(f)
        (root / "config.cfg").write_text(text)
        assert _high(findings(text, "config.cfg", None)), kind
        out = subprocess.run(
            [sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300
        )
        assert "E050" in out.stdout and "not_there" in out.stdout, (kind, out.stdout, out.stderr)
