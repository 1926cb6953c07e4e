"""Generated Kubernetes policies: schema-valid (kubernetes-validate --strict) and with the right
intent (checked with the evaluator: who may reach whom on which port)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.errors import UsageError
from airlock.policy.evaluate import Cluster, External, Pod
from airlock.policy.k8s import (
    EndpointSpec,
    cilium_policy,
    istio_policies,
    network_policy,
    parse_egress,
    parse_labels,
    pod_security_patch,
)
from airlock.policy.yamlout import dump_all

SPEC = EndpointSpec(
    name="llm",
    namespace="models",
    port=8000,
    gateway_labels={"app": "gw"},
    gateway_namespace="edge",
    egress=(parse_egress("10.20.0.0/16:443"), parse_egress("0.0.0.0/0:5432")),
)
MODEL = Pod("llm-0", "models", {"app.kubernetes.io/name": "llm"}, "10.1.0.5")
GATEWAY = Pod("gw-0", "edge", {"app": "gw"}, "10.1.0.9")
INTRUDER = Pod("x-0", "models", {"app": "other"}, "10.1.0.7")
DNS = Pod("coredns", "kube-system", {"k8s-app": "kube-dns"}, "10.1.0.2")


def cluster() -> Cluster:
    return Cluster([network_policy(SPEC)], {"models": {}, "edge": {}, "kube-system": {}})


def test_intent() -> None:
    c = cluster()
    assert c.may_reach(GATEWAY, MODEL, 8000)
    assert not c.may_reach(GATEWAY, MODEL, 9000)
    assert not c.may_reach(INTRUDER, MODEL, 8000)
    assert not c.may_reach(Pod("gw-fake", "models", {"app": "gw"}), MODEL, 8000)  # wrong ns
    assert c.may_reach(MODEL, DNS, 53, "UDP") and c.may_reach(MODEL, DNS, 53, "TCP")
    assert not c.may_reach(MODEL, INTRUDER, 8000)
    assert not c.may_reach(MODEL, GATEWAY, 8000)
    assert c.may_reach(MODEL, External("10.20.3.4"), 443)
    assert not c.may_reach(MODEL, External("10.20.3.4"), 80)
    assert not c.may_reach(MODEL, External("8.8.8.8"), 443)
    assert c.may_reach(MODEL, External("8.8.8.8"), 5432)
    assert not c.may_reach(MODEL, External("169.254.169.254"), 5432)  # carved out of 0.0.0.0/0
    # pods the policy does not select are unaffected
    assert c.may_reach(INTRUDER, GATEWAY, 1234)


def test_metadata_address_is_never_allowed() -> None:
    for bad in ("169.254.169.254:80", "169.254.169.254/32:80", "[fd00:ec2::254]:80"):
        with pytest.raises(UsageError, match="metadata"):
            parse_egress(bad)


@pytest.mark.parametrize("bad", ["nohost", "a:b", ":80", "host:70000", "bad_host!:80"])
def test_bad_egress(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_egress(bad)


def test_dns_names_need_cilium_or_istio() -> None:
    spec = EndpointSpec(
        "llm", "models", 8000, {"app": "gw"}, egress=(parse_egress("api.example.com:443"),)
    )
    with pytest.raises(UsageError, match="cilium"):
        network_policy(spec)
    pol = cilium_policy(spec)
    assert pol["spec"]["egress"][1]["toFQDNs"] == [{"matchName": "api.example.com"}]


def test_labels_and_names_are_validated() -> None:
    assert parse_labels("app=gw,tier=edge", "x") == {"app": "gw", "tier": "edge"}
    for bad in ("", "app", "a b=c", "app=bad value"):
        with pytest.raises(UsageError):
            parse_labels(bad, "--gateway-selector")
    with pytest.raises(UsageError):
        network_policy(EndpointSpec("Bad_Name", "models", 80, {"a": "b"}))


def test_yaml_roundtrip_of_everything() -> None:
    docs = [network_policy(SPEC), pod_security_patch(SPEC, ["server"]), cilium_policy(SPEC),
            *istio_policies(SPEC, "cluster.local/ns/edge/sa/gw")]  # fmt: skip
    assert list(yaml.safe_load_all(dump_all(docs))) == docs


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda ch: (
            st.lists(ch, max_size=4)
            | st.dictionaries(st.text(min_size=1, max_size=10), ch, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_yaml_emitter_roundtrips_any_data(data: object) -> None:
    doc = {"root": data}
    assert yaml.safe_load(dump_all([doc]).split("\n", 1)[1]) == doc


def _validator() -> str | None:
    exe = Path(sys.executable).parent / "kubernetes-validate"
    return str(exe) if exe.exists() else shutil.which("kubernetes-validate")


@pytest.mark.skipif(_validator() is None, reason="kubernetes-validate (PyPI) is not installed")
def test_kubernetes_validate_strict(tmp_path: Path) -> None:
    f = tmp_path / "policy.yaml"
    f.write_text(dump_all([network_policy(SPEC)]))
    r = subprocess.run(
        [_validator(), "--strict", str(f)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    # and the validator does reject a broken policy
    broken = network_policy(SPEC)
    broken["spec"]["policyTypes"] = "Ingress"
    f.write_text(dump_all([broken]))
    r = subprocess.run(
        [_validator(), "--strict", str(f)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode != 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_egress_and_label_parsers_only_raise_usage_errors(text: str) -> None:
    try:
        e = parse_egress(text)
    except UsageError:
        pass
    else:
        assert 0 < e.port < 65536 and e.protocol in ("TCP", "UDP")
        assert "169.254.169.254" not in e.target
    try:
        labels = parse_labels(text, "--gateway-selector")
    except UsageError:
        pass
    else:
        assert labels and all(isinstance(k, str) for k in labels)
