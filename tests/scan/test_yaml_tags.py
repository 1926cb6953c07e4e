"""YAML tags that import or call Python at load (AIR-CFG-022): SpeechBrain's HyperPyYAML
(``!apply:``, ``!new:``, ...) and PyYAML's ``!!python/`` tags, however the tag is spelled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data, scan_paths
from airlock.scan.yaml_tags import judge_tag

# a SpeechBrain inference hyperparams.yaml as the hub's speaker-recognition models ship it
HONEST = b"""# ############################################################################
# Model: ECAPA big for Speaker verification
# ############################################################################
pretrained_path: speechbrain/spkrec-ecapa-voxceleb
n_mels: 80
left_frames: 0
deltas: False
compute_features: !new:speechbrain.lobes.features.Fbank
    n_mels: !ref <n_mels>
    left_frames: !ref <left_frames>
    deltas: !ref <deltas>
mean_var_norm: !new:speechbrain.processing.features.InputNormalization
    norm_type: sentence
    std_norm: False
embedding_model: !new:speechbrain.lobes.models.ECAPA_TDNN.ECAPA_TDNN
    input_size: !ref <n_mels>
    channels: [1024, 1024, 1024, 1024, 3072]
    activation: !name:torch.nn.LeakyReLU
    window_fn: !name:torch.hamming_window
modules:
    compute_features: !ref <compute_features>
    embedding_model: !ref <embedding_model>
seed: !apply:speechbrain.utils.seed_everything [1986]
shape: !tuple (1, 2)
label_encoder: !new:speechbrain.dataio.encoder.CategoricalEncoder
tokenizer: !new:sentencepiece.SentencePieceProcessor
pretrainer: !new:speechbrain.utils.parameter_transfer.Pretrainer
    loadables:
        embedding_model: !ref <embedding_model>
    paths:
        embedding_model: !ref <pretrained_path>/embedding_model.ckpt
placeholder: !PLACEHOLDER
shared: !include:shared.yaml
# Lightning/PyYAML data tags: plain values, and paths, build nothing that runs
kernel: !!python/tuple [3, 3]
root: !!python/object/apply:pathlib.PosixPath [data, x]
"""


def _tags(data: bytes, name: str = "hyperparams.yaml") -> list[Finding]:
    return [f for f in scan_data(data, name).findings if f.rule_id == "AIR-CFG-022"]


def test_honest_hyperparams_are_clean() -> None:
    assert _tags(HONEST) == []
    # a "!" in ordinary text is no tag a loader resolves
    assert _tags(b"Hello !world\n! !! !!!\nx: '!apply:os.system'\n", "notes.yaml") == []


@pytest.mark.parametrize(
    "doc",
    [
        b'x: !apply:os.system ["touch M"]\n',
        b'x: !applyref:os.system ["touch M"]\n',
        b'x: !new:subprocess.Popen [["touch", "M"]]\n',
        b'x: !!python/object/apply:os.system ["touch M"]\n',
        b'x: !!python/object/new:subprocess.Popen [["touch", "M"]]\n',
        b"x: !!python/name:os.system\n",
        b'x: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch M"]\n',
        b'x: !<!apply:os.system> ["touch M"]\n',
        b'%TAG !e! tag:yaml.org,2002:python/object/\n---\nx: !e!apply:os.system ["touch M"]\n',
        b'%TAG !z! !ap\n---\nx: !z!ply:os.system ["touch M"]\n',
        b'%TAG ! tag:yaml.org,2002:python/object/\n---\nx: !apply:os.system ["touch M"]\n',
        b'x: !ap%70ly:os.system ["touch M"]\n',
        b'x: [!apply:pathlib.Path.write_text [!new:pathlib.Path ["M"], "hi"]]\n',
        b'x: {a: !apply:speechbrain.utils.superpowers.run_shell ["touch M"]}\n',
    ],
)
def test_code_running_tags_are_denied_however_spelled(doc: bytes) -> None:
    found = _tags(doc)
    assert found and max(f.severity for f in found) >= Severity.HIGH, doc
    # whatever the file is called, in a model folder or a tar member
    assert _tags(doc, "hparams.txt")


def test_judged_names() -> None:
    assert judge_tag("!apply:speechbrain.lobes.models.g2p.dataio.flip_map") is not None
    assert judge_tag("!new:speechbrain.lobes.models.CRDNN.CRDNN") is None
    assert judge_tag("!new:mypkg.Evil") == (
        Severity.HIGH, "!new:mypkg.Evil instantiates 'mypkg.Evil' while the file loads"
    )  # fmt: skip
    assert judge_tag("!include:../../etc/x.yaml") is not None
    assert judge_tag("!name:torch.load") is not None
    assert judge_tag("tag:yaml.org,2002:python/tuple") is None
    assert judge_tag("!ref") is None


def test_documentation_is_not_judged() -> None:
    assert _tags(b"Use `!apply:os.system` to ...\n", "README.md") == []


def _hyperpyyaml_loads(path: Path, cwd: Path) -> int:
    code = (
        "import sys\nfrom hyperpyyaml import load_hyperpyyaml\n"
        "with open(sys.argv[1]) as f:\n    load_hyperpyyaml(f)\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(path)], cwd=cwd, timeout=120, check=False)
    return run.returncode


def test_real_hyperpyyaml_runs_what_the_gate_denies(tmp_path: Path) -> None:
    """Oracle: HyperPyYAML itself, in a subprocess, runs the harmless payload of each spelling
    the scanner denies, and loads an honest file the scanner passes."""
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    docs = [
        f'x: !apply:os.system ["touch {marker}"]\n',
        f'x: !!python/object/apply:os.system ["touch {marker}"]\n',
        f'%TAG !z! !ap\n---\nx: !z!ply:os.system ["touch {marker}"]\n',
        f'x: !ap%70ly:os.system ["touch {marker}"]\n',
        f'x: !apply:pathlib.Path.write_text [!new:pathlib.Path ["{marker}"], "hi"]\n',
    ]
    for i, doc in enumerate(docs):
        model = tmp_path / f"m{i}"
        model.mkdir()
        (model / "hyperparams.yaml").write_text(doc)
        report = scan_paths([model])
        assert any(f.rule_id == "AIR-CFG-022" and f.severity >= Severity.HIGH
                   for f in report.findings), doc  # fmt: skip
        _hyperpyyaml_loads(model / "hyperparams.yaml", tmp_path)
        assert marker.exists(), doc
        marker.unlink()
    honest = tmp_path / "honest"
    honest.mkdir()
    (honest / "hyperparams.yaml").write_text(
        "n: 4\nlin: !new:torch.nn.Linear\n    in_features: !ref <n>\n    out_features: 2\n"
        "act: !name:torch.nn.LeakyReLU\nseed: !apply:torch.manual_seed [1]\nt: !tuple (1, 2)\n"
    )
    assert _hyperpyyaml_loads(honest / "hyperparams.yaml", tmp_path) == 0
    assert [f for f in scan_paths([honest]).findings if f.rule_id == "AIR-CFG-022"] == []


@pytest.mark.parametrize(
    "tag",
    [
        "!new:torch.cuda._memory_viz.subprocess.Popen",
        "!new:torch._utils.logging.FileHandler",
        "!name:torch.os.system",
        "!name:torch.nn.functional.importlib.import_module",
        "!module:torch.nn.functional.np",
        "!new:torch.nn.modules.module.torch.hub.load",
        "!new:speechbrain.dataio.dataio.os.system",
        "!new:speechbrain.nnet.linear.sb.core.Brain",
        "!new:speechbrain.utils._private.Thing",
        "!new:torch.optim.lr_scheduler.partial",
        "!new:torch.utils.data.Dataset",
    ],
)
def test_attribute_walks_out_of_torch_are_denied(tag: str) -> None:
    """HyperPyYAML resolves names with pydoc.locate, which walks attributes through modules:
    a torch or SpeechBrain prefix proves nothing."""
    verdict = judge_tag(tag)
    assert verdict is not None and verdict[0] >= Severity.HIGH, tag


def test_pinned_torch_names_are_torch_objects() -> None:
    """Every public attribute of the pinned torch modules that a tag may name is torch's own
    (or a plain value): no foreign callable or module passes."""
    torch = pytest.importorskip("torch")
    import builtins
    import importlib
    import types

    from airlock.scan import yaml_tags

    for mod in sorted(m for m in yaml_tags._TORCH_MODULES if m.split(".")[0] == "torch"):
        module = importlib.import_module(mod)
        for attr in dir(module):
            obj = getattr(module, attr)
            for verb in ("name", "new"):
                if judge_tag(f"!{verb}:{mod}.{attr}") is not None:
                    continue
                if isinstance(obj, types.ModuleType):
                    assert obj.__name__.startswith("torch"), (mod, attr)
                elif callable(obj):
                    owner = getattr(obj, "__module__", None) or "torch"
                    assert getattr(builtins, attr, None) is not obj, (mod, attr)
                    ok = ("torch", "typing", "collections", "enum", "builtins")  # types, C classes
                    assert owner.startswith(ok), (mod, attr, owner)
    assert torch is not None


def test_real_hyperpyyaml_walks_out_of_torch(tmp_path: Path) -> None:
    """Oracle: HyperPyYAML builds the foreign class a torch-prefixed name walks to; the gate
    denies it, and still passes honest torch/SpeechBrain spellings."""
    pytest.importorskip("hyperpyyaml")
    pytest.importorskip("torch")
    marker = tmp_path / "marker"
    model = tmp_path / "m"
    model.mkdir()
    (model / "hyperparams.yaml").write_text(
        f"log: !new:torch._utils.logging.FileHandler\n    filename: {marker}\n"
    )
    assert any(f.rule_id == "AIR-CFG-022" and f.severity >= Severity.HIGH
               for f in scan_paths([model]).findings)  # fmt: skip
    _hyperpyyaml_loads(model / "hyperparams.yaml", tmp_path)
    assert marker.exists()
    honest = (
        b"lin: !new:torch.nn.Linear\n    in_features: 2\n    out_features: 2\n"
        b"loss: !new:torch.nn.modules.loss.CrossEntropyLoss\n"
        b"opt: !name:torch.optim.Adam\n    lr: 0.1\nsched: !name:torch.optim.lr_scheduler.StepLR\n"
        b"act: !name:torch.nn.functional.relu\nwin: !name:torch.hamming_window\n"
        b"res: !new:torchaudio.transforms.Resample\n"
        b"enc: !new:speechbrain.nnet.linear.Linear\n"
    )
    assert _tags(honest) == []


SPELLINGS = [
    '\ufeff!!python/object/apply:os.system ["touch {m}"]\n',  # a BOM before the first tag
    '{{"a":!apply:os.system ["touch {m}"]}}\n',  # JSON-like flow key: no space after ':'
    'x: ["a\n%b", !apply:os.system ["touch {m}"]]\n',  # '%' line inside a quoted scalar
]


@pytest.mark.parametrize("doc", SPELLINGS)
def test_tags_a_yaml_scanner_reads_anywhere(doc: str) -> None:
    found = _tags(doc.format(m="M").encode())
    assert found and max(f.severity for f in found) >= Severity.HIGH, doc


def test_real_hyperpyyaml_reads_those_tags(tmp_path: Path) -> None:
    """Oracle: HyperPyYAML runs each spelling's harmless payload."""
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    for i, doc in enumerate(SPELLINGS):
        path = tmp_path / f"h{i}.yaml"
        path.write_text(doc.format(m=marker), encoding="utf-8")
        assert _tags(path.read_bytes())
        _hyperpyyaml_loads(path, tmp_path)
        assert marker.exists(), doc
        marker.unlink()


def test_too_many_tags_fail_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A payload after the cap of distinct tags is not waved through; repeats are no count."""
    from airlock.scan import yaml_tags

    monkeypatch.setattr(yaml_tags, "MAX_TAGS", 50)
    honest = b"".join(b"x%d: !ref <a>\n" % i for i in range(500))
    assert _tags(honest) == []
    filler = b"".join(b"x%d: !t%d 1\n" % (i, i) for i in range(60))
    found = _tags(filler + b'y: !!python/object/apply:os.system ["touch M"]\n')
    assert found and found[-1].severity >= Severity.HIGH
    assert "cannot be judged" in found[-1].evidence
    monkeypatch.setattr(yaml_tags, "MAX_SHOWN", 5)
    many = b"".join(b"x%d: !new:mypkg.C%d\n" % (i, i) for i in range(10))
    assert "cannot be judged" in _tags(many)[-1].evidence


def test_directive_handles_and_honest_flow() -> None:
    doc = b"%YAML 1.1\n%TAG !e! tag:example.com,2000:app/\n---\nx: !e!foo 1\ny: [a-b, c:d]\n"
    assert _tags(doc) == []


def test_lightning_namespace_hparams(tmp_path: Path) -> None:
    """Lightning's save_hparams_to_yaml falls back to yaml.dump, which writes a nested Namespace
    hparam as ``!!python/object:argparse.Namespace`` (built by __new__ and a __dict__ update:
    inert); apply/new and other classes stay denied."""
    yaml = pytest.importorskip("yaml")
    from argparse import Namespace

    doc = yaml.dump({"args": Namespace(lr=0.1, layers=2), "k": (3, 3)}).encode()
    assert b"!!python/object:argparse.Namespace" in doc
    assert _tags(doc, "hparams.yaml") == []
    for bad in (b"x: !!python/object:subprocess.Popen {}\n",
                b"x: !!python/object/apply:argparse.Namespace []\n",
                b"x: !!python/object:mypkg.Evil {}\n"):  # fmt: skip
        found = _tags(bad, "hparams.yaml")
        assert found and found[0].severity >= Severity.HIGH, bad


# review13 #5: HyperPyYAML's !tuple re-reads "[" + value[1:-1] + "]" with PyYAML's unsafe loader,
# value = the scalar's decoded value; a plain "(...)" scalar is an implicit !tuple
TUPLE_SPELLINGS = [
    'k: !tuple "(3, \\x21\\x21python/object/apply:os.system [\\"touch {m}\\"])"\n',
    'k: !tuple "(\\u0021!python/object/apply:os.system [\\"touch {m}\\"])"\n',
    "k: !tuple '(!!python/object/apply:os.system [\"touch {m}\"],)'\n",
    'k: (!!python/object/apply:os.system ["touch {m}"],)\n',
    'k: !tuple "x!\\\n  !python/object/apply:os.system [\\"touch {m}\\"]x"\n',
    "k: !tuple\n  'z!!python/object/apply:os.system [\"touch {m}\"]z'\n",
]


@pytest.mark.parametrize("doc", TUPLE_SPELLINGS)
def test_tuple_strings_are_read_as_the_loader_reads_them(doc: str) -> None:
    found = _tags(doc.format(m="M").encode())
    assert found and max(f.severity for f in found) == Severity.CRITICAL, doc


def test_real_hyperpyyaml_runs_tuple_strings(tmp_path: Path) -> None:
    """Oracle: HyperPyYAML runs each !tuple spelling's harmless payload."""
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    for i, doc in enumerate(TUPLE_SPELLINGS):
        path = tmp_path / f"t{i}.yaml"
        path.write_text(doc.format(m=marker), encoding="utf-8")
        _hyperpyyaml_loads(path, tmp_path)
        assert marker.exists(), doc
        marker.unlink()


def test_honest_tuples_and_unreadable_tuples() -> None:
    honest = (
        b"a: !tuple (1, 2)\nb: !tuple \"(3, 3)\"\nc: (4, 5)\nd: !tuple '(a, b)'\n"
        b'e: !tuple\n  (6, 7)\nf: !tuple "(1,\\\n  2)"\n'
    )
    assert _tags(honest) == []
    # a '!' no tag rule names, and a string too long to read: high
    for doc in (b'k: !tuple "(1, \\x21x)"\n', b"k: !tuple '(" + b"1, " * 3000 + b"2)'\n"):
        found = _tags(doc)
        assert found and found[0].severity == Severity.HIGH, doc


def test_standard_library_names_under_torch_modules() -> None:
    """review13 #13: the standard library's objects re-exported by pinned torch modules."""
    for tag in (
        "!new:torch.nn.utils.parametrizations.Enum",
        "!new:torch.optim.lr_scheduler.Counter",
        "!name:torch.nn.modules.adaptive.namedtuple",
        "!new:torch.nn.modules.container.OrderedDict",
    ):
        assert judge_tag(tag) is not None, tag
    assert judge_tag("!new:torch.nn.modules.container.ModuleDict") is None


# rt15cfg: spellings the tag rule read differently from PyYAML/ruamel (%TAG after a BOM, a
# handle with '_', directives on CR-only lines) and strings HyperPyYAML's round trip re-reads as
# implicit !tuple scalars without a !tuple in the file: a quoted '(...)' whose escapes build the
# tag, and !ref/!copy interpolations (spliced values, chains, HyperPyYAML's string arithmetic)
_RUN = "!!python/object/apply:os.system [\\x27touch {m}\\x27]"
REREAD_SPELLINGS = [
    '\ufeff%TAG !! tag:yaml.org,2002:python/object/apply:\n---\na: !!os.system ["touch {m}"]\n',
    '%TAG !e_! tag:yaml.org,2002:python/object/apply:\n---\na: !e_!os.system ["touch {m}"]\n',
    '%TAG !! tag:yaml.org,2002:python/object/apply:\r---\ra: !!os.system ["touch {m}"]\r',
    'b: "\\x28' + _RUN + ')"\n',
    'b: "(\\x21\\x21python/object/apply:os.system [\\x27touch {m}\\x27])"\n',
    'a: "(!"\nb: "' + _RUN[1:] + ')"\nc: !ref <a><b>\n',
    'a: "(!"\nc: !copy <a><b>\nb: "' + _RUN[1:] + ')"\n',
    'm: {{a: "(!", b: "' + _RUN[1:] + ')"}}\nc: !ref <m[a]><m[b]>\n',
    'a: "(<b>)"\nb: "\\x21' + _RUN[1:] + '"\nc: !ref <a>\n',
    'k: &k a\n*k : "(<b>)"\nb: "\\x21' + _RUN[1:] + '"\nc: !ref <a>\n',
    '? a\n: "(<b>)"\nb: "\\x21' + _RUN[1:] + '"\nc: !ref <a>\n',
    '"\\x61": "(<b>)"\nb: "\\x21' + _RUN[1:] + '"\nc: !ref <a>\n',
    'a: "("\nb: "' + _RUN + ')"\nc:\n  - - !ref <a><b>\n',
    # fix14cfg: a key the index could not read, a flow value on the next line, a plain value
    # (or a !ref chain's template) continued on the next lines
    '"k:1": "<a><b>"\na: "(x, !"\nb: "' + _RUN[1:] + ')"\nc: !ref <k:1>\n',
    'm: {{k:\n  "<a><b>"}}\na: "(x, !"\nb: "' + _RUN[1:] + ')"\nc: !ref <m[k]>\n',
    'm: {{k: # c\n  "<a><b>"}}\na: "(x, !"\nb: "' + _RUN[1:] + ')"\nc: !ref <m[k]>\n',
    'k: (x,\n  <a><b>)\na: "!"\nb: "' + _RUN[1:] + '"\nc: !ref <k>\n',
    'k:\n  (x,\n   <a><b>)\na: "!"\nb: "' + _RUN[1:] + '"\nc: !ref <k>\n',
    'k: !ref (x,\n  <a><b>)\na: "!"\nb: "' + _RUN[1:] + '"\nc: !ref <k>\n',
    "z: \"''\"\nc: !ref \"<z> + '%c' % 40 + '%c' % 33 + "
    "'%cpython/object/apply:os.system [touch {m}]' % 33 + '%c' % 41\"\n",
]


@pytest.mark.parametrize("doc", REREAD_SPELLINGS)
def test_reread_spellings_are_denied(doc: str) -> None:
    found = _tags(doc.format(m="M").encode())
    assert found and max(f.severity for f in found) >= Severity.HIGH, doc


def test_real_hyperpyyaml_runs_reread_spellings(tmp_path: Path) -> None:
    """Oracle: HyperPyYAML runs each spelling's harmless payload (none has a !tuple tag or, in
    the last, a '!' at all)."""
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    for i, doc in enumerate(REREAD_SPELLINGS):
        path = tmp_path / f"r{i}.yaml"
        path.write_bytes(doc.format(m=marker).encode())
        _hyperpyyaml_loads(path, tmp_path)
        assert marker.exists(), doc
        marker.unlink()


def test_honest_references_and_quoted_tuples_stay_clean(tmp_path: Path) -> None:
    honest = (
        b"seed: 1986\noutput_folder: !ref results/transformer/<seed>\n"
        b"save_folder: !ref <output_folder>/save\nn_fft: 400\nn: 2\n"
        b"data_folder: !PLACEHOLDER # e.g. /data\ntrain_csv: !ref <data_folder>/train.csv\n"
        b"shape: !ref (<n_fft>, <n>)\nbins: !ref <n_fft> // 2 + 1\nk: \"(3, 3)\"\nj: '(1, 2)'\n"
        b"enc: !new:torch.nn.Linear\n  in_features: !ref <n>\n  out_features: !ref <n>\n"
        b"mods: {enc: !ref <enc>}\nlst: [!ref <enc>, !ref <n>]\n"
        b"model: !new:torch.nn.ModuleList\n  - - !ref <enc>\n    - !ref <enc>\n"
        b"aug: [\n   !ref <enc>,\n   !ref <n>]\n# old: !ref <gone>/x\n"
        b"opt: !name:torch.optim.Adam\n  lr: 0.1\nsched: !ref <opt>\n"
    )
    assert _tags(honest) == []
    pytest.importorskip("hyperpyyaml")
    path = tmp_path / "hyperparams.yaml"
    path.write_bytes(honest.replace(b"!PLACEHOLDER", b"/data"))
    assert _hyperpyyaml_loads(path, tmp_path) == 0


def test_refs_on_long_lines_are_read_once_and_judged() -> None:
    """fix14cfg: each !ref on a line longer than MAX_SCALAR re-read the line from the file's
    start (2 MB line: 20 s) and an honest one was "template too long to read"."""
    pad = "z" * 5000
    items = ", ".join(f"k{i}: !ref <a>" for i in range(300))
    honest = f"a: 1\nx: {{p: {pad}, {items}, q: {pad}, k: !ref <a>}}\n# {pad} !ref <a><b>\n"
    assert _tags(honest.encode()) == []
    hostile = f'a: "(!"\nb: "{_RUN[1:]})"\nx: {{p: {pad}, {items}, k: !ref <a><b>}}\n'
    found = _tags(hostile.replace("{m}", "M").encode())
    assert found and max(f.severity for f in found) >= Severity.HIGH


# rt16cfg: the !ref key index took any value found under a key's name as proof, so a decoy
# ``k: 1`` elsewhere (or none at all) stood in for the real key spelled where the index does not
# read it; a key's escapes were decoded whatever its quotes; a leading BOM hid the first key
_SPLICE = 'a: "(x, !"\nb: "' + _RUN[1:] + ')"\n'
INDEX_SPELLINGS = [
    'd: {{k: 1}}\n? k\n: "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    'd: {{k: 1}}\nn: &n k\n*n : "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    'doc: |\n  k: 1\n? k\n: "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    "d: {{k: 1}}\n&" + "q" * 300 + ' k: "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    "d: {{k: 1}}\nk" + " " * 400 + ': "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    '\ufeffk: "<a><b>"\n' + _SPLICE + "c: !ref <k>\n",
    '"k\\_": "<a><b>"\n' + _SPLICE + "c: !ref <k\xa0>\n",
    '"k\\ ": "<a><b>"\n' + _SPLICE + "c: !ref <k >\n",
    "'\\x6b': \"<a><b>\"\n" + _SPLICE + "c: !ref <\\x6b>\n",
]


@pytest.mark.parametrize("doc", INDEX_SPELLINGS)
def test_ref_keys_the_index_does_not_read_are_not_proven(doc: str) -> None:
    found = _tags(doc.format(m="M").encode())
    assert found and max(f.severity for f in found) >= Severity.HIGH, doc


def test_real_hyperpyyaml_runs_index_spellings(tmp_path: Path) -> None:
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    for i, doc in enumerate(INDEX_SPELLINGS):
        path = tmp_path / f"r{i}.yaml"
        path.write_bytes(doc.format(m=marker).encode())
        _hyperpyyaml_loads(path, tmp_path)
        assert marker.exists(), doc
        marker.unlink()


INCLUDING = 'n: 1\ninc: !include:sub.yaml\n  k: "<a><b>"\n  a: "(x, !"\n  b: "{run})"\n'


def test_include_overrides_holding_templates_are_not_proven(tmp_path: Path) -> None:
    """The mapping under !include: overrides the included file, whose whole `!ref <k>` to a
    key it does not have (trusted there) re-resolves the override as a template."""
    doc = INCLUDING.format(run=_RUN[1:].format(m="M")).encode()
    found = _tags(doc)
    assert found and max(f.severity for f in found) >= Severity.HIGH
    assert _tags(b"c: !ref <k>\n", "sub.yaml") == []  # the included file alone stays clean
    verbatim = doc.replace(b"!include:", b"!<!%69nclude:")
    assert _tags(verbatim.replace(b"sub.yaml\n", b"sub.yaml>\n", 1))
    honest = (
        b"n_fft: 400\nout: results\nmodel: !include:models/m.yaml\n  n_fft: !ref <n_fft>\n"
        b'  save: !ref <out>/save\n# k: "<a><b>"\nlst: [!ref <n_fft>, !ref <out>/x]\n'
    )
    assert _tags(honest) == []
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    (tmp_path / "sub.yaml").write_text("c: !ref <k>\n")
    path = tmp_path / "hyperparams.yaml"
    path.write_text(INCLUDING.format(run=_RUN[1:].format(m=marker)))
    _hyperpyyaml_loads(path, tmp_path)
    assert marker.exists()


def test_includes_of_files_judged_as_another_format(tmp_path: Path) -> None:
    """rt16cfg: `!include:README.md` (documentation is not judged as YAML) and
    `!include:config.json` holding a tag (not JSON: only a low AIR-CFG-000) ran the included
    file's !!python tag under HyperPyYAML while the folder scanned clean."""
    run = '!!python/object/apply:os.system ["touch {m}"]'
    assert _tags(b"doc: !include:README.md\n")
    broken = ('{"x": ' + run.replace("{m}", "M") + "}\n").encode()
    found = [f for f in scan_data(broken, "config.json").findings if f.rule_id == "AIR-CFG-022"]
    assert found and max(f.severity for f in found) >= Severity.HIGH
    assert _tags(b"m: !include:models/m.yaml\nn: !include:x.yml\n") == []
    pytest.importorskip("hyperpyyaml")
    marker = tmp_path / "marker"
    for name, body in (
        ("README.md", "# card\n\nx: " + run + "\n"),
        ("config.json", '{"x": ' + run + "}\n"),
    ):
        (tmp_path / name).write_text(body.replace("{m}", str(marker)))
        path = tmp_path / "hyperparams.yaml"
        path.write_text(f"doc: !include:{name}\n")
        _hyperpyyaml_loads(path, tmp_path)
        assert marker.exists(), name
        marker.unlink()


# rt17tpl: HyperPyYAML evaluates arithmetic in interpolated references exactly and splices
# str() of each reference: a power it does not fix hangs load_hyperpyyaml, and a chain of
# templates that splice the previous one twice doubles at every step (MemoryError at 2 GiB).
def _doubling(levels: int, via_whole_ref: bool = False) -> bytes:
    lines = ["a0: xxxxxxxxxx"]
    for i in range(1, levels):
        prev = f"a{i - 1}"
        if via_whole_ref:
            lines.append(f"b{i}: !ref <{prev}>")
            prev = f"b{i}"
        lines.append(f"a{i}: !ref <{prev}><{prev}>")
    return ("\n".join(lines) + "\n").encode()


COSTLY_REFS = {
    "power tower": b"n: 10\nbig: !ref <n> ** 10 ** 10\n",
    "power of references": b"a: 3\nb: !ref <a> ** <a> ** <a> ** <a>\n",
    "grouped powers": b"a: 9\nb: !ref (<a> ** 9) ** (<a> ** 9)\n",
    "doubling chain": _doubling(40),
    "doubling through whole references": _doubling(40, via_whole_ref=True),
}


@pytest.mark.parametrize("name", sorted(COSTLY_REFS))
def test_ref_templates_that_hang_the_loader_are_denied(name: str) -> None:
    found = _tags(COSTLY_REFS[name])
    assert any("hangs or exhausts" in f.evidence for f in found), found
    assert max(f.severity for f in found) >= Severity.HIGH


def test_small_ref_arithmetic_and_splices_stay_clean() -> None:
    honest = (
        b"base: 4\nlr: 0.001\nsize: !ref <base> ** 2\nwarm: !ref <lr> * 2 ** 8\n"
        b"folder: results/<base>\nsave: !ref <folder>/save/<base>_<base>\n" + _doubling(8)
    )
    assert _tags(honest) == []


def test_real_hyperpyyaml_computes_what_the_cost_rule_bounds(tmp_path: Path) -> None:
    """Oracle (scaled down, subprocess): HyperPyYAML computes the power and doubles the
    spliced strings, so the full-size forms above are the loader's work."""
    pytest.importorskip("hyperpyyaml")
    code = (
        "import sys\nfrom hyperpyyaml import load_hyperpyyaml\n"
        "d = load_hyperpyyaml(sys.stdin.read())\n"
        "print(d['big'], len(d['a11']), len(d['a12']))\n"
    )
    text = "n: 3\nbig: !ref <n> ** 2 ** 3\n" + _doubling(13).decode()
    run = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=120
    )
    assert run.stdout.split() == [str(3**8), str(10 * 2**11), str(10 * 2**12)], run.stderr


def _laughs(levels: int, flow: bool) -> bytes:
    if flow:
        lines = ["l0: &l0 [x, x]"]
        lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, levels)]
    else:
        lines = ["l0: &l0", "  - x", "  - x"]
        for i in range(1, levels):
            lines += [f"l{i}: &l{i}", f"  - *l{i - 1}", f"  - *l{i - 1}"]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("flow", [True, False])
def test_alias_bombs_are_denied(flow: bool) -> None:
    """rt17tpl: 40 lines of nested aliases (2**40 nodes) scanned clean; load_hyperpyyaml hung."""
    found = [f for f in scan_data(_laughs(40, flow), "hyperparams.yaml").findings]
    assert "AIR-CFG-026" in {f.rule_id for f in found}, found


def test_ordinary_anchors_and_stars_stay_clean() -> None:
    text = (
        b"base: &base\n  lr: 0.1\n  wd: 0\ntrain:\n  <<: *base\n  lr: 0.2\neval:\n  <<: *base\n"
        b"files: data/*.wav\nx: 2 ** 3\nsizes: &s [1, 2]\nboth: [*s, *s]\n"
    )
    assert scan_data(text, "config.yaml").findings == []
    assert scan_data(_laughs(12, True), "config.yaml").findings == []  # 4,095 expansions
    assert scan_data(_laughs(40, True), "notes.txt").findings == []  # no YAML loader reads it


def test_real_hyperpyyaml_expands_nested_aliases(tmp_path: Path) -> None:
    """Oracle (scaled down, subprocess): load_hyperpyyaml's time grows with the expanded tree,
    not the text (five more lines: 32 times the nodes); the 40 levels above never finish."""
    pytest.importorskip("hyperpyyaml")
    code = (
        "import sys, time\nfrom hyperpyyaml import load_hyperpyyaml\n"
        "for path in sys.argv[1:]:\n"
        "    start = time.perf_counter()\n"
        "    load_hyperpyyaml(open(path))\n"
        "    print(time.perf_counter() - start)\n"
    )
    paths = []
    for levels in (12, 17):
        path = tmp_path / f"h{levels}.yaml"
        path.write_bytes(_laughs(levels, True))
        paths.append(str(path))
    run = subprocess.run(
        [sys.executable, "-c", code, *paths], capture_output=True, text=True, timeout=300
    )
    small, large = (float(t) for t in run.stdout.split())
    assert large > 8 * small, (small, large)
