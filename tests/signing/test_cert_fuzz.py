"""Damaged signing certificates in a bundle: always a failed result, never an exception."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.provenance import dsse, oms
from airlock.provenance.keys import load_private_key
from airlock.provenance.signing import verify_signature
from tests.signing.helpers import Pki, make_pki


@functools.cache
def _setup() -> tuple[Pki, bytes, bytes, Path]:
    tmp = Path(tempfile.mkdtemp(prefix="airlock-cert-fuzz-"))
    pki = make_pki(tmp / "pki")
    key_path, _, cert = pki.leaf(tmp / "leaf")
    key = load_private_key(key_path)
    stmt = oms.build_statement("m", oms.Serialization(), [])
    env = dsse.sign_envelope(oms.compact_json(stmt), dsse.INTOTO_PAYLOAD_TYPE, key)
    model = tmp / "model"
    model.mkdir()
    leaf_der = cert.public_bytes(serialization.Encoding.DER)
    inter_der = pki.intermediate.public_bytes(serialization.Encoding.DER)
    bundle = oms.bundle_bytes(oms.build_bundle(env, certificates=(leaf_der, inter_der)))
    return pki, leaf_der, bundle, model


def test_unmodified_certificate_bundle_verifies() -> None:
    pki, _, bundle, model = _setup()
    res = verify_signature(model, bundle, trust_roots=[pki.root])
    assert res.ok, res.reason


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_damaged_leaf_certificate(data: st.DataObject) -> None:
    pki, leaf_der, bundle, model = _setup()
    damaged = bytearray(leaf_der)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(damaged) - 1))
        damaged[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    new = bytes(damaged[:cut])
    text = bundle.decode()
    old_b64 = dsse.b64encode(leaf_der)
    res = verify_signature(
        model, text.replace(old_b64, dsse.b64encode(new)).encode(), trust_roots=[pki.root]
    )
    if new != leaf_der:
        assert not res.ok, "a damaged certificate verified"
    assert "\n" not in res.reason
