"""fp16 sweep: honest pickles the gate denied. transformers 5 tokenizers with reviewed property
setters (DeBERTa, MBart, MBart50, MPNet, NLLB, SeamlessM4T), transformers 4.x tokenizers
(hand-built: this venv has transformers 5), a whole CrossEncoder / SparseEncoder, a Whisper
processor. Each allowance is new_only: a call of the class stays AIR-PKL-009."""

from __future__ import annotations

import io
import pickle
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _bpe() -> Any:
    from tokenizers import models

    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, "<pad>": 3, "<mask>": 4, "a": 5, "b": 6, "ab": 7}
    return tokenizers.Tokenizer(models.BPE(vocab, [("a", "b")], unk_token="<unk>"))


SETTER_CLASSES = ["DebertaTokenizer", "MBartTokenizer", "MBart50Tokenizer", "MPNetTokenizer",
                  "NllbTokenizer", "SeamlessM4TTokenizer"]  # fmt: skip


@pytest.mark.parametrize("cls", SETTER_CLASSES)
def test_tokenizers_with_reviewed_setters_are_clean(cls: str) -> None:
    if not hasattr(transformers, "TokenizersBackend"):
        pytest.skip("transformers < 5")
    kind = getattr(transformers, cls)
    try:
        tok = kind()
    except Exception:
        tok = kind(tokenizer_object=_bpe(), unk_token="<unk>")
    for proto in (2, 4):
        data = pickle.dumps(tok, protocol=proto)
        assert cls.encode() in data
        report = scan_data(data, "tok.pkl")
        assert not report.findings, report.findings


@pytest.mark.parametrize(
    "mod,cls",
    [
        ("transformers.models.deberta.tokenization_deberta", "DebertaTokenizer"),
        ("transformers.tokenization_utils_fast", "PreTrainedTokenizerFast"),
        ("transformers.models.roberta.tokenization_roberta_fast", "RobertaTokenizerFast"),
        ("transformers.models.llama.tokenization_llama_fast", "LlamaTokenizerFast"),
        ("sentence_transformers.cross_encoder.model", "CrossEncoder"),
        ("transformers.models.whisper.processing_whisper", "WhisperProcessor"),
    ],
)
def test_newobj_is_clean_and_a_call_is_denied(mod: str, cls: str) -> None:
    """NEWOBJ + dict BUILD (what pickle writes) is clean; REDUCE runs __init__ with pickle
    arguments (vocabulary files by name, a hub download): AIR-PKL-009."""
    glob = f"c{mod}\n{cls}\n".encode()
    honest = b"\x80\x02ccopyreg\n__newobj__\n(" + glob + b"tR}X\x03\x00\x00\x00keyK\x01sb."
    assert not scan_data(honest, "tok.pkl").findings
    called = b"\x80\x02" + glob + b"(X\x05\x00\x00\x00/etc/tR."
    assert "AIR-PKL-009" in _severe(called)


@pytest.mark.parametrize(
    "mod,cls",
    [
        # sentencepiece slow tokenizers of transformers 4.x: __setstate__ loads vocab_file
        ("transformers.models.speech_to_text.tokenization_speech_to_text", "Speech2TextTokenizer"),
        ("transformers.models.marian.tokenization_marian", "MarianTokenizer"),
        ("transformers.models.bert_japanese.tokenization_bert_japanese", "BertJapaneseTokenizer"),
        ("sentence_transformers.cross_encoder.model", "_Float32Linear"),
    ],
)
def test_unreviewed_neighbours_stay_unknown(mod: str, cls: str) -> None:
    data = b"\x80\x02ccopyreg\n__newobj__\n(" + f"c{mod}\n{cls}\n".encode() + b"tR}b."
    assert "AIR-PKL-002" in _severe(data)


def test_transformers4_fast_tokenizer_pickle_shape_is_clean() -> None:
    """What transformers 4.57 writes for a pickled AutoTokenizer (a BertTokenizerFast): NEWOBJ,
    a dict state with the Rust tokenizer, AddedToken objects and the special-tokens map."""
    from tokenizers import AddedToken

    class BertTokenizerFast:  # stands in for the 4.x class: pickled under its real name
        pass

    BertTokenizerFast.__module__ = "transformers.models.bert.tokenization_bert_fast"
    BertTokenizerFast.__qualname__ = "BertTokenizerFast"
    tok = BertTokenizerFast.__new__(BertTokenizerFast)
    tok.__dict__.update({
        "_tokenizer": _bpe(), "_special_tokens_map": {"unk_token": AddedToken("<unk>")},
        "init_kwargs": {"do_lower_case": True, "model_max_length": 512},
        "_decode_use_source_tokenizer": False, "deprecation_warnings": {}, "verbose": False,
        "name_or_path": "sentence-transformers/all-MiniLM-L6-v2", "padding_side": "right",
        "chat_template": "{% for m in messages %}{{ m['content'] }}{% endfor %}",
    })  # fmt: skip
    import sys
    import types

    mod = types.ModuleType(BertTokenizerFast.__module__)
    mod.BertTokenizerFast = BertTokenizerFast  # type: ignore[attr-defined]
    sys.modules[BertTokenizerFast.__module__] = mod
    try:
        data = pickle.dumps(tok, protocol=4)
    finally:
        del sys.modules[BertTokenizerFast.__module__]
    report = scan_data(data, "tok.pkl")
    assert not report.findings, report.findings


def _whole(obj: Any) -> bytes:
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def test_whole_cross_encoder_and_sparse_encoder_are_clean(tmp_path: Any) -> None:
    pytest.importorskip("sentence_transformers")
    from sentence_transformers import CrossEncoder, SparseEncoder
    from sentence_transformers.sparse_encoder.modules import MLMTransformer, SpladePooling

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "ab"]
    from tokenizers import models, pre_tokenizers

    tk = tokenizers.Tokenizer(models.WordPiece({w: i for i, w in enumerate(words)},
                                               unk_token="[UNK]"))  # fmt: skip
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]",
    )  # fmt: skip
    cfg = transformers.BertConfig(
        vocab_size=len(words), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=16, num_labels=1,
    )  # fmt: skip
    for d, kind in (("cls", transformers.BertForSequenceClassification),
                    ("mlm", transformers.BertForMaskedLM)):  # fmt: skip
        kind(cfg).save_pretrained(str(tmp_path / d))
        fast.save_pretrained(str(tmp_path / d))
    ce = CrossEncoder(str(tmp_path / "cls"), device="cpu")
    se = SparseEncoder(modules=[MLMTransformer(str(tmp_path / "mlm")), SpladePooling("max")],
                       device="cpu")  # fmt: skip
    for obj in (ce, se):
        report = scan_data(_whole(obj), "model.pt")
        assert not [f for f in report.findings if f.severity >= Severity.HIGH], report.findings


def test_whisper_processor_pickle_is_clean() -> None:
    fe = transformers.WhisperFeatureExtractor(feature_size=80)
    tok = transformers.WhisperTokenizer(tokenizer_object=_bpe(), unk_token="<unk>")
    proc = transformers.WhisperProcessor(feature_extractor=fe, tokenizer=tok)
    for obj in (fe, proc):
        report = scan_data(pickle.dumps(obj, protocol=4), "proc.pkl")
        assert not report.findings, report.findings


@pytest.mark.parametrize("fn", ["dot_score", "pairwise_dot_score", "euclidean_sim"])
def test_similarity_functions_are_values_not_calls(fn: str) -> None:
    """fp16 grid 2 (held out): a SparseEncoder torch.save'd after save() keeps dot_score as its
    similarity attribute. As a value it is clean; a call at load is AIR-PKL-009."""
    glob = f"csentence_transformers.util.similarity\n{fn}\n".encode()
    assert not scan_data(b"\x80\x02}X\x03\x00\x00\x00sim" + glob + b"s.", "m.pkl").findings
    assert "AIR-PKL-009" in _severe(b"\x80\x02" + glob + b"(K\x01K\x02tR.")
