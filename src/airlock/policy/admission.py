"""Manifests for the admission webhook (``airlock policy k8s --admission``).

Deployment (two replicas, hardened, HTTPS on 8443, a spool volume for decisions on their way to
the audit chain), Service, ServiceAccount with a Role that can read only the webhook's TLS
Secret, a PodDisruptionBudget, the ValidatingWebhookConfiguration (Pods and the pod templates of
Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, and KServe
InferenceServices) and optionally the MutatingWebhookConfiguration (Pods: the verifying init
container). TLS either from cert-manager (self-signed Issuer + Certificate, CA injected into the
webhooks by cert-manager's cainjector) or generated here (a CA and a serving certificate: the
Secret and the ``caBundle`` are written into the output, so keep that file secret).

Webhooks apply only in namespaces labelled ``airlock.dev/enforce=true`` and never in
``kube-system`` or the webhook's own namespace, so the webhook cannot lock the cluster out of
repairing it.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airlock.errors import UsageError

APP = "airlock-admission"
ENFORCE_LABEL = "airlock.dev/enforce"
PORT = 8443
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
VALIDATE_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]},
    {
        "apiGroups": ["apps"],
        "apiVersions": ["v1"],
        "resources": ["deployments", "statefulsets", "daemonsets", "replicasets"],
    },
    {"apiGroups": ["batch"], "apiVersions": ["v1"], "resources": ["jobs", "cronjobs"]},
    {
        "apiGroups": ["serving.kserve.io"],
        "apiVersions": ["v1beta1"],
        "resources": ["inferenceservices"],
    },
    {  # a TrainedModel loads a model into a running multi-model InferenceService
        "apiGroups": ["serving.kserve.io"],
        "apiVersions": ["v1alpha1"],
        "resources": ["trainedmodels"],
    },
]


@dataclass(frozen=True)
class AdmissionSpec:
    registry: str
    namespace: str = "airlock-system"
    image: str = "ghcr.io/airlock-dev/airlock:0.1.0"
    token_secret: str = "airlock-admission-token"  # noqa: S105 - a Secret's name
    cert_manager: bool = True
    mutating: bool = False
    fail_open: bool = False
    timeout_seconds: int = 5

    def check(self) -> None:
        if not _NAME.match(self.namespace):
            raise UsageError(f"--namespace {self.namespace!r} is not a Kubernetes name")
        if not _NAME.match(self.token_secret):
            raise UsageError(f"token secret {self.token_secret!r} is not a Kubernetes name")
        if not self.registry.startswith(("http://", "https://")):
            raise UsageError("--registry must be the registry service's http(s):// URL")
        if not self.image or any(c.isspace() for c in self.image):
            raise UsageError("--image must be an image reference")
        if not 1 <= self.timeout_seconds <= 30:
            raise UsageError("webhook timeout must be 1-30 seconds (Kubernetes' limit)")

    @property
    def service_host(self) -> str:
        return f"{APP}.{self.namespace}.svc"


def _meta(spec: AdmissionSpec, name: str = APP, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": name,
        "namespace": spec.namespace,
        "labels": {"app.kubernetes.io/name": APP, "app.kubernetes.io/part-of": "airlock"},
    }
    meta.update(extra)
    return meta


def deployment(spec: AdmissionSpec) -> dict[str, Any]:
    args = [
        "admission", "serve",
        "--registry", spec.registry,
        "--tls-cert", "/tls/tls.crt",
        "--tls-key", "/tls/tls.key",
        "--port", str(PORT),
        "--spool", "/spool",
        "--timeout", str(max(1, spec.timeout_seconds - 2)),
    ]  # fmt: skip
    if spec.fail_open:
        args.append("--fail-open")
    probe = {"scheme": "HTTPS", "port": PORT}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(spec),
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app.kubernetes.io/name": APP}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/name": APP}},
                "spec": {
                    "serviceAccountName": APP,
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 65532,
                        "fsGroup": 65532,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [
                        {
                            "name": "webhook",
                            "image": spec.image,
                            "command": ["airlock"],
                            "args": args,
                            "ports": [{"name": "https", "containerPort": PORT}],
                            "env": [
                                {
                                    "name": "AIRLOCK_REGISTRY_TOKEN",
                                    "valueFrom": {
                                        "secretKeyRef": {"name": spec.token_secret, "key": "token"}
                                    },
                                }
                            ],
                            "readinessProbe": {"httpGet": {**probe, "path": "/readyz"}},
                            "livenessProbe": {"httpGet": {**probe, "path": "/healthz"}},
                            "resources": {
                                "requests": {"cpu": "250m", "memory": "128Mi"},
                                "limits": {"memory": "512Mi"},
                            },
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True,
                                "capabilities": {"drop": ["ALL"]},
                            },
                            "volumeMounts": [
                                {"name": "tls", "mountPath": "/tls", "readOnly": True},
                                {"name": "spool", "mountPath": "/spool"},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "tls", "secret": {"secretName": f"{APP}-tls"}},
                        {"name": "spool", "emptyDir": {"sizeLimit": "1Gi"}},
                    ],
                },
            },
        },
    }


def service(spec: AdmissionSpec) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(spec),
        "spec": {
            "selector": {"app.kubernetes.io/name": APP},
            "ports": [{"name": "https", "port": 443, "targetPort": PORT, "protocol": "TCP"}],
        },
    }


def rbac(spec: AdmissionSpec) -> list[dict[str, Any]]:
    """The webhook needs no Kubernetes API access; its account may read only its TLS Secret."""
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(spec),
            "automountServiceAccountToken": False,
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": _meta(spec),
            "rules": [
                {
                    "apiGroups": [""],
                    "resources": ["secrets"],
                    "resourceNames": [f"{APP}-tls"],
                    "verbs": ["get"],
                }
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": _meta(spec),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": APP},
            "subjects": [{"kind": "ServiceAccount", "name": APP, "namespace": spec.namespace}],
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": _meta(spec),
            "spec": {
                "minAvailable": 1,
                "selector": {"matchLabels": {"app.kubernetes.io/name": APP}},
            },
        },
    ]


def _selector(spec: AdmissionSpec) -> dict[str, Any]:
    return {
        "matchLabels": {ENFORCE_LABEL: "true"},
        "matchExpressions": [
            {
                "key": "kubernetes.io/metadata.name",
                "operator": "NotIn",
                "values": ["kube-system", spec.namespace],
            }
        ],
    }


def _client(spec: AdmissionSpec, path: str, ca_bundle: bytes | None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "service": {"name": APP, "namespace": spec.namespace, "path": path, "port": 443}
    }
    if ca_bundle is not None:
        config["caBundle"] = base64.b64encode(ca_bundle).decode("ascii")
    return config


def _webhook_meta(spec: AdmissionSpec, name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/name": APP}}
    if spec.cert_manager:
        meta["annotations"] = {"cert-manager.io/inject-ca-from": f"{spec.namespace}/{APP}"}
    return meta


def validating_webhook(spec: AdmissionSpec, ca_bundle: bytes | None) -> dict[str, Any]:
    ops = ["CREATE", "UPDATE"]
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration",
        "metadata": _webhook_meta(spec, APP),
        "webhooks": [
            {
                "name": "validate.admission.airlock.dev",
                "admissionReviewVersions": ["v1"],
                "clientConfig": _client(spec, "/validate", ca_bundle),
                "rules": [{**r, "operations": ops, "scope": "Namespaced"} for r in VALIDATE_RULES],
                "failurePolicy": "Ignore" if spec.fail_open else "Fail",
                "sideEffects": "NoneOnDryRun",
                "timeoutSeconds": spec.timeout_seconds,
                "namespaceSelector": _selector(spec),
                "matchPolicy": "Equivalent",
            }
        ],
    }


def mutating_webhook(spec: AdmissionSpec, ca_bundle: bytes | None) -> dict[str, Any]:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": _webhook_meta(spec, APP),
        "webhooks": [
            {
                "name": "mutate.admission.airlock.dev",
                "admissionReviewVersions": ["v1"],
                "clientConfig": _client(spec, "/mutate", ca_bundle),
                "rules": [
                    {
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "resources": ["pods"],
                        "operations": ["CREATE"],
                        "scope": "Namespaced",
                    }
                ],
                "failurePolicy": "Ignore" if spec.fail_open else "Fail",
                "sideEffects": "None",
                "reinvocationPolicy": "IfNeeded",
                "timeoutSeconds": spec.timeout_seconds,
                "namespaceSelector": _selector(spec),
            }
        ],
    }


def cert_manager_docs(spec: AdmissionSpec) -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Issuer",
            "metadata": _meta(spec, f"{APP}-selfsigned"),
            "spec": {"selfSigned": {}},
        },
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": _meta(spec),
            "spec": {
                "secretName": f"{APP}-tls",
                "dnsNames": [spec.service_host, f"{spec.service_host}.cluster.local"],
                "duration": "2160h",
                "renewBefore": "360h",
                "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
                "usages": ["server auth", "digital signature"],
                "issuerRef": {"name": f"{APP}-selfsigned", "kind": "Issuer"},
            },
        },
    ]


def generated_tls(spec: AdmissionSpec, *, days: int = 365) -> tuple[bytes, dict[str, Any]]:
    """A fresh CA and serving certificate: (CA bundle PEM, the TLS Secret)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name(f"{APP} CA"))
        .issuer_name(name(f"{APP} CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    hosts = [spec.service_host, f"{spec.service_host}.cluster.local"]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(spec.service_host))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": _meta(spec, f"{APP}-tls"),
        "type": "kubernetes.io/tls",
        "data": {
            "tls.crt": base64.b64encode(cert.public_bytes(serialization.Encoding.PEM)).decode(),
            "tls.key": base64.b64encode(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ).decode(),
            "ca.crt": base64.b64encode(ca_pem).decode(),
        },
    }
    return ca_pem, secret


def manifests(spec: AdmissionSpec) -> tuple[list[dict[str, Any]], list[str]]:
    """Every document, in apply order, and a comment line for each."""
    spec.check()
    docs: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": spec.namespace}}
    ]
    ca_bundle: bytes | None = None
    if spec.cert_manager:
        docs.extend(cert_manager_docs(spec))
    else:
        ca_bundle, secret = generated_tls(spec)
        docs.append(secret)
    docs.extend(rbac(spec))
    docs.extend([deployment(spec), service(spec), validating_webhook(spec, ca_bundle)])
    if spec.mutating:
        docs.append(mutating_webhook(spec, ca_bundle))
    notes = [f"{d['kind']} {d['metadata']['name']}" for d in docs]
    return docs, notes


def write_manifests(
    registry: str | None,
    namespace: str | None,
    image: str | None,
    output: Path | None,
    *,
    cert_manager: bool,
    mutating: bool,
    fail_open: bool,
) -> None:
    """``airlock policy k8s --admission``: the YAML on stdout or in ``output``."""
    import sys

    from airlock.errors import InputError
    from airlock.policy.yamlout import dump_all

    if not registry:
        raise UsageError("--admission needs --registry URL (the registry service)")
    spec = AdmissionSpec(
        registry=registry,
        namespace=namespace or "airlock-system",
        image=image or AdmissionSpec.image,
        cert_manager=cert_manager,
        mutating=mutating,
        fail_open=fail_open,
    )
    docs, notes = manifests(spec)
    head = (
        f"# airlock admission webhook in {spec.namespace}: kubectl apply -f; create the Secret "
        f"{spec.token_secret} (key 'token': a registry token with the read and publish scopes)"
        " first; label namespaces airlock.dev/enforce=true to enforce.\n"
    )
    if not cert_manager:
        head += "# Holds a generated private key (Secret airlock-admission-tls): keep it secret.\n"
    text = head + dump_all(docs, notes)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
        if not cert_manager:
            output.chmod(0o600)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None
