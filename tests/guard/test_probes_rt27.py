"""rt27sbx (session 27): text that Unicode compatibility normalisation (NFKC) multiplies.

U+FDFA is 18 characters after NFKC: 199,000 of them passed the raw-text limit (200,000) and
made 3.6 million characters to normalise and scan, ~8 s of CPU per 600 KB request through
``guard serve`` while the proxy gave up after its 2 s deadline (the thread runs on); a dozen
such requests kept ordinary ones waiting 9 s and answered them with timeout blocks. The limit
now counts characters after NFKC, the way the scanners read them."""

from __future__ import annotations

import unicodedata

import pytest

from airlock.guard.factory import default_pipeline
from airlock.guard.request import RequestRefused, request_fields
from airlock.guard.types import Limits

SMALL = Limits(max_text_chars=2000)


def _chat(text: str) -> dict[str, object]:
    return {"model": "m", "messages": [{"role": "user", "content": text}]}


def test_a_request_that_nfkc_multiplies_past_the_limit_is_refused() -> None:
    body = _chat("\ufdfa" * 1000)  # 1,000 characters raw, 18,000 after NFKC
    with pytest.raises(RequestRefused, match="NFKC"):
        request_fields(body, "chat", 0, SMALL)
    d = default_pipeline(use_classifier=False, limits=SMALL).check_request(body, "chat")
    assert d.blocked and [f.rule_id for f in d.findings] == ["AIR-GRD-LIM-001"], d.findings


def test_a_text_that_nfkc_multiplies_past_the_limit_is_refused() -> None:
    d = default_pipeline(use_classifier=False, limits=SMALL).check_text("\ufdfa" * 1000)
    assert d.blocked and [f.rule_id for f in d.findings] == ["AIR-GRD-LIM-001"], d.findings


def test_ordinary_text_under_the_limit_is_still_judged() -> None:
    from airlock.guard.types import folded_chars

    text = "Bitte übersetze: ｶﾀｶﾅ und ﬁ sind Kompatibilitätszeichen. " * 20
    assert folded_chars(text) == len(unicodedata.normalize("NFKC", text))
    d = default_pipeline(use_classifier=False, limits=SMALL).check_request(_chat(text), "chat")
    assert not any(f.rule_id == "AIR-GRD-LIM-001" for f in d.findings), d.findings


def test_the_count_is_exact_across_its_pieces() -> None:
    from airlock.guard.types import folded_chars

    text = ("e\u0301 가\u1100\u1161\u11a8 Å\u030a ①ﬁ " * 3000) + "\ufdfa" * 10
    assert folded_chars(text) == len(unicodedata.normalize("NFKC", text))
    assert folded_chars("\ufdfa" * 100_000, stop=1000) < 100_000 * 18  # stops early
