"""``airlock policy k8s --admission``: valid Kubernetes objects, consistent with the webhook."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import ssl
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from airlock.admission import review as rv
from airlock.policy.admission import VALIDATE_RULES, AdmissionSpec, manifests

from .k8s import GVR


def _validator() -> str | None:
    exe = Path(sys.executable).parent / "kubernetes-validate"
    return str(exe) if exe.exists() else shutil.which("kubernetes-validate")


@pytest.mark.skipif(_validator() is None, reason="kubernetes-validate (PyPI) is not installed")
@pytest.mark.parametrize("cert_manager", [True, False])
def test_manifests_pass_strict_schema_validation(cert_manager: bool, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "admission.yaml"
    args = ["policy", "k8s", "--admission", "--registry", "http://registry.airlock:8470",
            "--mutating", "-o", str(out)]  # fmt: skip
    if not cert_manager:
        args.append("--generate-ca")
    proc = cli(*args)
    assert proc.returncode == 0, proc.stderr
    kinds = [d["kind"] for d in yaml.safe_load_all(out.read_text())]
    wanted = {"Deployment", "Service", "ValidatingWebhookConfiguration", "Role", "RoleBinding",
              "MutatingWebhookConfiguration", "ServiceAccount"}  # fmt: skip
    assert wanted <= set(kinds)
    assert ("Certificate" in kinds) == cert_manager and ("Secret" in kinds) != cert_manager
    r = subprocess.run([_validator(), "--strict", str(out)], capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    passed = r.stdout.count("passed for resource") + r.stderr.count("passed for resource")
    assert passed == len(kinds) - (2 if cert_manager else 0)  # cert-manager CRDs: no schema
    if not cert_manager:
        assert out.stat().st_mode & 0o077 == 0  # holds a private key


def test_cert_manager_objects() -> None:
    docs, _ = manifests(AdmissionSpec(registry="http://r:8470"))
    cert = next(d for d in docs if d["kind"] == "Certificate")
    assert cert["apiVersion"] == "cert-manager.io/v1"
    assert cert["spec"]["secretName"] == "airlock-admission-tls"
    assert "airlock-admission.airlock-system.svc" in cert["spec"]["dnsNames"]
    issuer = next(d for d in docs if d["kind"] == "Issuer")
    assert cert["spec"]["issuerRef"] == {"name": issuer["metadata"]["name"], "kind": "Issuer"}
    hook = next(d for d in docs if d["kind"] == "ValidatingWebhookConfiguration")
    assert hook["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == (
        "airlock-system/airlock-admission"
    )
    assert "caBundle" not in hook["webhooks"][0]["clientConfig"]


def test_webhook_rules_cover_exactly_the_kinds_the_webhook_judges() -> None:
    docs, _ = manifests(AdmissionSpec(registry="http://r:8470"))
    hook = next(d for d in docs if d["kind"] == "ValidatingWebhookConfiguration")["webhooks"][0]
    covered = {
        (g, r) for rule in hook["rules"] for g in rule["apiGroups"] for r in rule["resources"]
    }
    judged = {"Pod", "InferenceService", "TrainedModel", *rv.TEMPLATE_KINDS}
    assert covered == {(GVR[k][0], GVR[k][2]) for k in judged}
    assert hook["failurePolicy"] == "Fail" and hook["sideEffects"] == "NoneOnDryRun"
    assert "kube-system" in hook["namespaceSelector"]["matchExpressions"][0]["values"]
    assert VALIDATE_RULES == [
        {k: v for k, v in rule.items() if k not in ("operations", "scope")}
        for rule in hook["rules"]
    ]
    open_docs, _ = manifests(AdmissionSpec(registry="http://r:8470", fail_open=True))
    dep = next(d for d in open_docs if d["kind"] == "Deployment")
    assert "--fail-open" in dep["spec"]["template"]["spec"]["containers"][0]["args"]


def test_generated_ca_bundle_serves_the_webhook(tmp_path: Path) -> None:
    """The generated Secret runs the real server; the caBundle the API server would use trusts
    it under the Service's DNS name."""
    from airlock.admission.server import App, Settings

    from .servers import webhook_server

    spec = AdmissionSpec(registry="http://127.0.0.1:9", cert_manager=False)
    docs, _ = manifests(spec)
    secret = next(d for d in docs if d["kind"] == "Secret")
    hook = next(d for d in docs if d["kind"] == "ValidatingWebhookConfiguration")["webhooks"][0]
    (tmp_path / "tls.crt").write_bytes(base64.b64decode(secret["data"]["tls.crt"]))
    (tmp_path / "tls.key").write_bytes(base64.b64decode(secret["data"]["tls.key"]))
    ca = tmp_path / "ca.pem"
    ca.write_bytes(base64.b64decode(hook["clientConfig"]["caBundle"]))

    class Files:
        cert, key = tmp_path / "tls.crt", tmp_path / "tls.key"

    app = App(Settings(registry_url=spec.registry, spool_dir=tmp_path / "spool"))
    with webhook_server(app, Files) as url:
        ctx = ssl.create_default_context(cafile=str(ca))
        port = int(url.rsplit(":", 1)[1])
        # Connect to 127.0.0.1 but check the certificate against the Service's DNS name.
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
            ctx.wrap_socket(raw, server_hostname=spec.service_host) as tls,
        ):
            tls.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
        assert b"200" in data.split(b"\r\n", 1)[0]
        body = json.loads(data.split(b"\r\n\r\n", 1)[1])
        assert body["response"]["allowed"] is False
        assert "malformed review" in body["response"]["status"]["message"]
        # and a wrong host name is refused by the same CA bundle
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with pytest.raises(ssl.SSLCertVerificationError):
                ctx.wrap_socket(raw, server_hostname="evil.example")


def _models_in(annotation: Any) -> list[type]:
    """Pydantic model classes inside a type annotation (Optional, List, Annotated, unions)."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _unknown_fields(model: type, data: Any, path: str) -> list[str]:
    """Keys of ``data`` that ``model`` (generated from the CRD's OpenAPI schema) does not
    declare: the models ignore extra keys, the API server's structural pruning drops them."""
    if not isinstance(data, dict):
        return []
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}  # type: ignore[attr-defined]
    out = []
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            out.append(f"{path}.{key}")
            continue
        if typing.get_origin(field.annotation) is dict:
            continue  # free-form map (labels, annotations)
        for sub in _models_in(field.annotation)[:1]:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                where = f"{path}.{key}[{i}]" if isinstance(value, list) else f"{path}.{key}"
                out += _unknown_fields(sub, item, where)
    return out


def test_cert_manager_objects_match_the_cert_manager_crd_schemas() -> None:
    """Certificate and Issuer against cert-manager's v1 CRD schemas, as generated into
    pydantic models by ``cloudcoil-models-cert-manager`` (types, enums, required fields), plus
    no key the schema does not declare. The check can fail: broken copies are refused."""
    cm = pytest.importorskip("cloudcoil.models.cert_manager.v1")
    from pydantic import ValidationError

    docs, _ = manifests(AdmissionSpec(registry="http://r:8470", mutating=True))
    models = {"Certificate": cm.Certificate, "Issuer": cm.Issuer}
    checked = [d for d in docs if d["kind"] in models]
    assert sorted(d["kind"] for d in checked) == ["Certificate", "Issuer"]
    for doc in checked:
        model = models[doc["kind"]]
        model.model_validate(doc)
        assert _unknown_fields(model, doc, doc["kind"]) == []
    cert = next(d for d in checked if d["kind"] == "Certificate")
    broken: list[tuple[Any, str]] = [
        (lambda s: s.pop("secretName"), "missing"),
        (lambda s: s["privateKey"].update(algorithm="DSA"), "literal_error"),
        (lambda s: s.update(usages=["server-auth"]), "literal_error"),
        (lambda s: s["issuerRef"].pop("name"), "missing"),
        (lambda s: s.update(dnsNames="one.example"), "list_type"),
    ]
    for mutate, error in broken:
        copy = json.loads(json.dumps(cert))
        mutate(copy["spec"])
        with pytest.raises(ValidationError) as info:
            cm.Certificate.model_validate(copy)
        assert error in {e["type"] for e in info.value.errors()}, (error, info.value)
    typo = json.loads(json.dumps(cert))
    typo["spec"]["dnsName"] = typo["spec"].pop("dnsNames")
    typo["spec"]["privateKey"]["rotation"] = "Always"
    assert _unknown_fields(cm.Certificate, typo, "Certificate") == [
        "Certificate.spec.privateKey.rotation",
        "Certificate.spec.dnsName",
    ]
