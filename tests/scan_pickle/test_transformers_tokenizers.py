"""Pickled transformers 5 fast tokenizers (fp14: a pickled/joblib'd/torch.save'd
SentenceTransformer or tokenizer was denied on ``TokenizersBackend``): honest saves are clean,
a call of the class (its ``__init__`` reads vocabulary files) and tokenizer classes with property
setters are not."""

from __future__ import annotations

import io
import pickle
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

tokenizers = pytest.importorskip("tokenizers")
transformers = pytest.importorskip("transformers")
if not hasattr(transformers, "TokenizersBackend"):
    pytest.skip("transformers < 5 (no TokenizersBackend)", allow_module_level=True)


def _fast() -> Any:
    from tokenizers import models, pre_tokenizers

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "ab"])}
    tk = tokenizers.Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]",
    )  # fmt: skip


def _severe(data: bytes, name: str) -> set[str]:
    report = scan_data(data, name)
    return {f.rule_id for f in report.findings if f.severity >= Severity.HIGH}


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_pickled_fast_tokenizer_is_clean(protocol: int) -> None:
    tok = _fast()
    assert type(tok).__name__ == "TokenizersBackend"
    report = scan_data(pickle.dumps(tok, protocol=protocol), "tok.pkl")
    assert not report.findings, report.findings


def test_joblib_and_torch_saves_of_a_tokenizer_are_clean() -> None:
    joblib = pytest.importorskip("joblib")
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    joblib.dump(_fast(), buf)
    assert not scan_data(buf.getvalue(), "tok.joblib").findings
    buf = io.BytesIO()
    torch.save({"tokenizer": _fast()}, buf)
    assert not scan_data(buf.getvalue(), "tok.pt").findings


@pytest.mark.parametrize("cls", ["BertTokenizer", "DistilBertTokenizer", "GPT2Tokenizer"])
def test_model_tokenizer_classes_are_clean(cls: str) -> None:
    """A direct subclass of TokenizersBackend and one through BertTokenizer."""
    tok = getattr(transformers, cls)(tokenizer_object=_fast().backend_tokenizer, unk_token="[UNK]")
    data = pickle.dumps(tok, protocol=4)
    assert cls.encode() in data
    assert not scan_data(data, "tok.pkl").findings


def test_calling_the_class_is_denied() -> None:
    """REDUCE of TokenizersBackend runs __init__ with pickle arguments (vocab files by name)."""
    data = b"ctransformers.tokenization_utils_tokenizers\nTokenizersBackend\n(tR."
    assert "AIR-PKL-009" in _severe(data, "tok.pkl")


def test_tokenizer_with_unreviewed_hooks_stays_unknown() -> None:
    """DeBERTa's setter was reviewed in fp16 (test_fp16_honest); RoFormer's hooks were not."""
    data = (
        b"\x80\x02ccopyreg\n__newobj__\n(ctransformers.models.roformer.tokenization_roformer\n"
        b"RoFormerTokenizer\ntR}b."
    )
    assert "AIR-PKL-002" in _severe(data, "tok.pkl")


_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
_HONEST = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"


def _str(text: str) -> bytes:
    raw = text.encode()
    return b"X" + len(raw).to_bytes(4, "little") + raw


def _tokenizer(state: bytes, after: bytes = b"") -> bytes:
    """NEWOBJ of TokenizersBackend, BUILD with ``state`` (opcodes leaving one dict), then
    ``after`` (opcodes leaving the stack as they found it)."""
    return (
        b"\x80\x02ccopyreg\n__newobj__\n(ctransformers.tokenization_utils_tokenizers\n"
        b"TokenizersBackend\ntR" + state + b"b" + after + b"."
    )


def test_pickled_chat_template_is_judged_like_tokenizer_config() -> None:
    """review14: a pickled tokenizer's chat_template was never seen by the Jinja rules."""
    tok = _fast()
    tok.chat_template = _LOOP
    assert "AIR-JINJA-009" in _severe(pickle.dumps(tok, protocol=4), "tok.pkl")
    tok.chat_template = {"default": _HONEST, "tool_use": _LOOP}
    assert "AIR-JINJA-009" in _severe(pickle.dumps(tok, protocol=4), "tok.pkl")
    tok.chat_template = {"default": _HONEST}
    assert not scan_data(pickle.dumps(tok, protocol=4), "tok.pkl").findings
    tok.chat_template = _HONEST
    report = scan_data(pickle.dumps(tok, protocol=4), "tok.pkl")
    assert not report.findings, report.findings


def test_template_dict_filled_after_the_build_is_judged() -> None:
    """The tokenizer keeps the dict itself: a SETITEM after the BUILD changes its templates."""
    state = b"}(" + _str("chat_template") + b"}q\x01u"
    after = b"h\x01" + _str("default") + _str(_LOOP) + b"s0"
    assert "AIR-JINJA-009" in _severe(_tokenizer(state, after), "tok.pkl")


@pytest.mark.parametrize(
    "value",
    [
        b"](" + _str(_HONEST) + b"e",  # a list: not what get_chat_template reads as text
        b"c__builtin__\nstr\n(" + _str(_HONEST) + b"tR",  # built by a call
        b"}(" + _str("default") + b"]u",  # a dict value that is not a string
    ],
)
def test_template_not_a_constant_string_is_high(value: bytes) -> None:
    severe = _severe(_tokenizer(b"}(" + _str("chat_template") + value + b"u"), "tok.pkl")
    assert "AIR-PKL-016" in severe
