"""The Deployment hardening patch applies to real Deployments (issue 20): checked with kubectl's
own strategic merge (``kubectl patch --local``, offline) and the Kubernetes schema
(``kubernetes-validate --strict``); plus the Cilium + DNS-name and Istio principal choices."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from airlock.errors import UsageError
from airlock.policy.evaluate import Cluster, External, Pod
from airlock.policy.k8s import EndpointSpec, istio_policies, parse_egress, plan, pod_security_patch
from airlock.policy.yamlout import dump_all
from tests.conftest import run_cli

SPEC = EndpointSpec(name="llm", namespace="models", port=8000, gateway_labels={"app": "gw"},
                    gateway_namespace="edge", pod_labels={"app": "llm-server"})  # fmt: skip

# A Deployment as people write them: the container is not named after the Deployment, the
# selector uses other labels, and there is a sidecar.
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "llm", "namespace": "models"},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "llm-server"}},
        "template": {
            "metadata": {"labels": {"app": "llm-server"}},
            "spec": {
                "containers": [
                    {"name": "server", "image": "vllm/vllm-openai:v0.6.0",
                     "ports": [{"containerPort": 8000}]},
                    {"name": "log-shipper", "image": "fluent/fluent-bit:3.0"},
                ]
            },
        },
    },
}  # fmt: skip


def _tool(name: str) -> str | None:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else shutil.which(name)


def _kubectl_patch(tmp_path: Path, patch_file: Path) -> dict:  # type: ignore[type-arg]
    kubectl = _tool("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed (.ci/run installs it)")
    dep = tmp_path / "deployment.yaml"
    dep.write_text(yaml.safe_dump(DEPLOYMENT))
    env = {**os.environ, "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "none")}
    r = subprocess.run(
        [kubectl, "patch", "--local", "-f", str(dep), "--type", "strategic",
         "--patch", patch_file.read_text(), "-o", "yaml"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    merged: dict = yaml.safe_load(r.stdout)  # type: ignore[type-arg]
    return merged


def test_patch_targets_the_named_container_and_never_the_selector(tmp_path: Path) -> None:
    patch = pod_security_patch(SPEC, ["server"])
    assert "selector" not in patch["spec"] and "metadata" not in patch["spec"]["template"]
    f = tmp_path / "patch.yaml"
    f.write_text(dump_all([patch]))
    merged = _kubectl_patch(tmp_path, f)
    spec = merged["spec"]
    assert spec["selector"] == DEPLOYMENT["spec"]["selector"]  # type: ignore[index]
    containers = {c["name"]: c for c in spec["template"]["spec"]["containers"]}
    assert list(containers) == ["server", "log-shipper"]  # no image-less container added
    assert containers["server"]["image"] == "vllm/vllm-openai:v0.6.0"
    sc = containers["server"]["securityContext"]
    assert sc["readOnlyRootFilesystem"] and sc["capabilities"] == {"drop": ["ALL"]}
    assert "securityContext" not in containers["log-shipper"]
    assert spec["template"]["spec"]["automountServiceAccountToken"] is False
    validator = _tool("kubernetes-validate")
    if validator is None:
        pytest.skip("kubernetes-validate (PyPI) is not installed")
    out = tmp_path / "merged.yaml"
    out.write_text(yaml.safe_dump(merged))
    r = subprocess.run([validator, "--strict", str(out)], capture_output=True, text=True,
                       timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr


def test_cli_writes_the_patch_alone_and_it_applies(tmp_path: Path) -> None:
    patch_file = tmp_path / "patch.yaml"
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--pod-selector", "app=llm-server",
                "--container", "server", "--patch-output", str(patch_file))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [d["kind"] for d in yaml.safe_load_all(r.stdout)] == ["NetworkPolicy"]
    assert f"--patch-file {patch_file}" in patch_file.read_text()
    assert f"Deployment patch in {patch_file}" in r.stdout
    merged = _kubectl_patch(tmp_path, patch_file)
    assert [c["name"] for c in merged["spec"]["template"]["spec"]["containers"]] == [
        "server", "log-shipper"]  # fmt: skip
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--patch-output", str(patch_file))  # fmt: skip
    assert r.returncode == 2 and "--container" in r.stderr


def test_patch_needs_valid_container_names() -> None:
    with pytest.raises(UsageError, match="--container"):
        pod_security_patch(SPEC, [])
    with pytest.raises(UsageError, match="not a valid"):
        pod_security_patch(SPEC, ["Bad_Name"])


def test_cilium_with_dns_egress_writes_both_and_says_so() -> None:
    spec = EndpointSpec("llm", "models", 8000, {"app": "gw"},
                        egress=(parse_egress("api.example.com:443"),
                                parse_egress("10.20.0.0/16:5432")))  # fmt: skip
    p = plan(spec, cilium=True)
    assert [d["kind"] for d in p.docs] == ["NetworkPolicy", "CiliumNetworkPolicy"]
    assert any("api.example.com:443" in w for w in p.warnings)
    # the NetworkPolicy keeps the CIDR egress and the default deny
    c = Cluster([p.docs[0]], {"models": {}, "kube-system": {}})
    pod = Pod("llm-0", "models", {"app.kubernetes.io/name": "llm"}, "10.1.0.5")
    assert c.may_reach(pod, External("10.20.1.1"), 5432)
    assert not c.may_reach(pod, External("8.8.8.8"), 443)
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--egress", "api.example.com:443",
                "--cilium")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [d["kind"] for d in yaml.safe_load_all(r.stdout)] == ["NetworkPolicy",
                                                                 "CiliumNetworkPolicy"]  # fmt: skip
    assert "WARNING" in r.stderr and "api.example.com:443" in r.stderr


def test_istio_only_with_dns_egress_says_no_network_policy() -> None:
    spec = EndpointSpec("llm", "models", 8000, {"app": "gw"},
                        egress=(parse_egress("api.example.com:443"),))  # fmt: skip
    p = plan(spec, istio=True, gateway_principal="cluster.local/ns/models/sa/gw")
    assert "NetworkPolicy" not in [d["kind"] for d in p.docs]
    assert any("no NetworkPolicy written" in w for w in p.warnings)


def test_istio_needs_a_principal_or_an_explicit_namespace_choice() -> None:
    with pytest.raises(UsageError, match="--gateway-principal"):
        istio_policies(SPEC, None)
    docs = istio_policies(SPEC, None, allow_gateway_namespace=True)
    assert docs[1]["spec"]["rules"][0]["from"] == [{"source": {"namespaces": ["edge"]}}]
    p = plan(SPEC, istio=True, allow_gateway_namespace=True)
    assert any("every workload in namespace 'edge'" in w for w in p.warnings)
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--istio")  # fmt: skip
    assert r.returncode == 2 and "--gateway-principal" in r.stderr
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--istio", "--allow-gateway-namespace")  # fmt: skip
    assert r.returncode == 0 and "WARNING" in r.stderr
    assert "principals" not in r.stdout
    r = run_cli("policy", "k8s", "--name", "llm", "--namespace", "models", "--port", "8000",
                "--gateway-selector", "app=gw", "--istio",
                "--gateway-principal", "cluster.local/ns/edge/sa/gw")  # fmt: skip
    assert r.returncode == 0 and "WARNING" not in r.stderr
