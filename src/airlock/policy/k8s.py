"""Kubernetes policies for an inference endpoint: default-deny NetworkPolicy (ingress only from
the gateway to the serving port, egress only DNS plus what is listed, never the cloud metadata
address), a hardened pod securityContext patch, and optional Cilium and Istio variants.

A compromised model server should be able to answer the gateway and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from airlock.errors import UsageError

METADATA_V4 = "169.254.169.254/32"
METADATA_V6 = "fd00:ec2::254/128"
_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_LABEL_KEY = re.compile(r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
_LABEL_VAL = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
MAX_EGRESS = 64


@dataclass(frozen=True)
class Egress:
    """One allowed destination: a CIDR (any NetworkPolicy) or a DNS name (Cilium/Istio only)."""

    target: str
    port: int
    protocol: str = "TCP"

    @property
    def is_cidr(self) -> bool:
        try:
            ipaddress.ip_network(self.target, strict=False)
            return True
        except ValueError:
            return False


@dataclass(frozen=True)
class EndpointSpec:
    name: str
    namespace: str
    port: int
    gateway_labels: dict[str, str]
    gateway_namespace: str | None = None
    egress: tuple[Egress, ...] = ()
    pod_labels: dict[str, str] = field(default_factory=dict)
    dns_namespace: str = "kube-system"
    dns_labels: dict[str, str] = field(default_factory=lambda: {"k8s-app": "kube-dns"})

    @property
    def selector(self) -> dict[str, str]:
        return self.pod_labels or {"app.kubernetes.io/name": self.name}


def parse_labels(text: str, what: str) -> dict[str, str]:
    """``k=v[,k2=v2]`` with Kubernetes label syntax checked."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        k, sep, v = part.partition("=")
        if not sep or not _LABEL_KEY.match(k) or not _LABEL_VAL.match(v):
            raise UsageError(f"{what}: {part!r} is not a valid k=v label")
        out[k] = v
    if not out:
        raise UsageError(f"{what}: at least one k=v label is required")
    return out


def parse_egress(text: str) -> Egress:
    """``host:port``, ``cidr:port``, ``[v6]:port`` with optional ``/udp`` suffix."""
    proto = "TCP"
    if text.lower().endswith(("/udp", "/tcp")):
        text, proto = text[:-4], text[-3:].upper()
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
    else:
        host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536 or not host:
        raise UsageError(f"--egress {text!r}: expected host:port or cidr:port")
    e = Egress(host.lower(), int(port), proto)
    if e.is_cidr:
        net = ipaddress.ip_network(e.target, strict=False)
        for meta in (METADATA_V4, METADATA_V6):
            m = ipaddress.ip_network(meta)
            if net.version == m.version and net.prefixlen >= 1 and net.subnet_of(m):  # type: ignore[arg-type]
                raise UsageError(f"--egress {text!r}: the cloud metadata address is never allowed")
        e = Egress(str(net), e.port, proto)
    elif not _HOST_RE.match(e.target) or e.target == "metadata.google.internal":
        raise UsageError(f"--egress {text!r}: not a valid host name or CIDR")
    return e


def validate(spec: EndpointSpec) -> None:
    for n, what in ((spec.name, "--name"), (spec.namespace, "--namespace")):
        if not _NAME_RE.match(n):
            raise UsageError(f"{what} {n!r} is not a valid Kubernetes name")
    if not 0 < spec.port < 65536:
        raise UsageError(f"--port {spec.port} is out of range")
    if len(spec.egress) > MAX_EGRESS:
        raise UsageError(f"at most {MAX_EGRESS} --egress entries")


def _cidr_except(cidr: str) -> list[str]:
    """Metadata addresses inside ``cidr`` that must be carved out."""
    net = ipaddress.ip_network(cidr)
    out = []
    for meta in (METADATA_V4, METADATA_V6):
        m = ipaddress.ip_network(meta)
        if m.version == net.version and m.subnet_of(net):  # type: ignore[arg-type]
            out.append(meta)
    return out


def _meta(spec: EndpointSpec, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "namespace": spec.namespace,
        "labels": {"app.kubernetes.io/managed-by": "airlock"},
    }


def network_policy(spec: EndpointSpec) -> dict[str, Any]:
    """Default-deny ingress+egress for the endpoint pods with the minimal allowances."""
    validate(spec)
    names = [e for e in spec.egress if not e.is_cidr]
    if names:
        raise UsageError(
            f"--egress {names[0].target}: NetworkPolicy cannot match DNS names; "
            "use a CIDR, or --cilium / --istio for name-based egress"
        )
    gw_peer: dict[str, Any] = {"podSelector": {"matchLabels": dict(spec.gateway_labels)}}
    gw_peer["namespaceSelector"] = {
        "matchLabels": {"kubernetes.io/metadata.name": spec.gateway_namespace or spec.namespace}
    }
    dns_peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": spec.dns_namespace}},
        "podSelector": {"matchLabels": dict(spec.dns_labels)},
    }
    egress: list[dict[str, Any]] = [
        {
            "to": [dns_peer],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
        }
    ]
    for e in spec.egress:
        block: dict[str, Any] = {"cidr": e.target}
        exc = _cidr_except(e.target)
        if exc:
            block["except"] = exc
        egress.append(
            {"to": [{"ipBlock": block}], "ports": [{"protocol": e.protocol, "port": e.port}]}
        )
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(spec, f"{spec.name}-airlock"),
        "spec": {
            "podSelector": {"matchLabels": dict(spec.selector)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [gw_peer], "ports": [{"protocol": "TCP", "port": spec.port}]}],
            "egress": egress,
        },
    }


def pod_security_patch(spec: EndpointSpec, containers: Sequence[str]) -> dict[str, Any]:
    """A strategic-merge patch for the endpoint's Deployment hardening the pod and ``containers``.

    Apply alone with ``kubectl patch deployment NAME --type strategic --patch-file F``. It names
    existing containers (a strategic merge matches them by name; an unknown name would add an
    image-less container) and never touches ``spec.selector``, which is immutable.
    """
    validate(spec)
    if not containers:
        raise UsageError("the Deployment patch needs --container NAME (the container to harden)")
    for c in containers:
        if not _NAME_RE.match(c):
            raise UsageError(f"--container {c!r} is not a valid Kubernetes container name")
    return {
        "spec": {
            "template": {
                "spec": {
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "hostNetwork": False,
                    "hostPID": False,
                    "hostIPC": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 65532,
                        "runAsGroup": 65532,
                        "fsGroup": 65532,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [
                        {
                            "name": c,
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "privileged": False,
                                "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True,
                                "capabilities": {"drop": ["ALL"]},
                                "seccompProfile": {"type": "RuntimeDefault"},
                            },
                        }
                        for c in dict.fromkeys(containers)
                    ],
                },
            },
        },
    }


def cilium_policy(spec: EndpointSpec) -> dict[str, Any]:
    """CiliumNetworkPolicy: same intent, plus DNS-name egress (toFQDNs) via the DNS proxy."""
    validate(spec)
    gw_ns = spec.gateway_namespace or spec.namespace
    gw_labels = {**spec.gateway_labels, "k8s:io.kubernetes.pod.namespace": gw_ns}
    dns_labels = {**spec.dns_labels, "k8s:io.kubernetes.pod.namespace": spec.dns_namespace}
    dns_rule: dict[str, Any] = {
        "toEndpoints": [{"matchLabels": dns_labels}],
        "toPorts": [{"ports": [{"port": "53", "protocol": "ANY"}],
                     "rules": {"dns": [{"matchPattern": "*"}]}}],
    }  # fmt: skip
    egress: list[dict[str, Any]] = [dns_rule]
    for e in spec.egress:
        ports = [{"ports": [{"port": str(e.port), "protocol": e.protocol}]}]
        if e.is_cidr:
            exc = _cidr_except(e.target)
            cidr: dict[str, Any] = {"cidr": e.target, **({"except": exc} if exc else {})}
            egress.append({"toCIDRSet": [cidr], "toPorts": ports})
        else:
            egress.append({"toFQDNs": [{"matchName": e.target}], "toPorts": ports})
    return {
        "apiVersion": "cilium.io/v2",
        "kind": "CiliumNetworkPolicy",
        "metadata": _meta(spec, f"{spec.name}-airlock"),
        "spec": {
            "endpointSelector": {"matchLabels": dict(spec.selector)},
            "ingress": [{"fromEndpoints": [{"matchLabels": gw_labels}],
                         "toPorts": [{"ports": [{"port": str(spec.port), "protocol": "TCP"}]}]}],
            "egress": egress,
            "egressDeny": [{"toCIDR": [METADATA_V4]}],
        },
    }  # fmt: skip


def istio_policies(
    spec: EndpointSpec, gateway_principal: str | None, *, allow_gateway_namespace: bool = False
) -> list[dict[str, Any]]:
    """Istio: mTLS STRICT and an ALLOW AuthorizationPolicy for the gateway on the serving port.

    The gateway is named by its principal (SPIFFE id); allowing its whole namespace instead must
    be chosen explicitly (``allow_gateway_namespace``): any workload there could then call in.
    """
    validate(spec)
    gw_ns = spec.gateway_namespace or spec.namespace
    if gateway_principal:
        source: dict[str, Any] = {"principals": [gateway_principal]}
    elif allow_gateway_namespace:
        source = {"namespaces": [gw_ns]}
    else:
        raise UsageError(
            "--istio needs --gateway-principal SPIFFE_ID (e.g. cluster.local/ns/"
            f"{gw_ns}/sa/GATEWAY_SA), or --allow-gateway-namespace to let every workload in "
            f"namespace {gw_ns!r} call the endpoint"
        )
    selector = {"matchLabels": dict(spec.selector)}
    return [
        {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
         "metadata": _meta(spec, f"{spec.name}-airlock"),
         "spec": {"selector": selector, "mtls": {"mode": "STRICT"}}},
        {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
         "metadata": _meta(spec, f"{spec.name}-airlock"),
         "spec": {"selector": selector, "action": "ALLOW",
                  "rules": [{"from": [{"source": source}],
                             "to": [{"operation": {"ports": [str(spec.port)]}}]}]}},
    ]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What ``airlock policy k8s`` writes: resources for ``kubectl apply`` (one comment each),
    an optional Deployment patch (written on its own), and warnings the user must read."""

    docs: list[dict[str, Any]]
    comments: list[str]
    warnings: list[str]
    patch: dict[str, Any] | None


def plan(
    spec: EndpointSpec,
    *,
    cilium: bool = False,
    istio: bool = False,
    gateway_principal: str | None = None,
    allow_gateway_namespace: bool = False,
    containers: Sequence[str] = (),
) -> Plan:
    """Every policy asked for. DNS-name egress cannot be in a NetworkPolicy: with ``cilium`` the
    NetworkPolicy keeps the rest and the CiliumNetworkPolicy adds the names (Cilium allows what
    either allows); with only ``istio`` no NetworkPolicy is written. Both cases are warnings."""
    validate(spec)
    docs: list[dict[str, Any]] = []
    comments: list[str] = []
    warnings: list[str] = []
    names = [f"{e.target}:{e.port}" for e in spec.egress if not e.is_cidr]
    if not names:
        docs.append(network_policy(spec))
        comments.append("Default deny; ingress only from the gateway; egress DNS + listed.")
    elif cilium:
        cidrs = tuple(e for e in spec.egress if e.is_cidr)
        docs.append(network_policy(replace(spec, egress=cidrs)))
        comments.append(
            "Default deny; ingress only from the gateway; egress DNS + listed CIDRs. The DNS-name "
            "egress is in the CiliumNetworkPolicy below (Cilium enforces both, additively)."
        )
        warnings.append(
            f"the NetworkPolicy leaves out the DNS-name egress ({', '.join(names)}): only the "
            "CiliumNetworkPolicy allows it, so apply both on a Cilium cluster"
        )
    elif istio:
        warnings.append(
            f"no NetworkPolicy written: it cannot match DNS names ({', '.join(names)}), and "
            "without --cilium nothing below Istio limits the pods' traffic (use CIDRs for a "
            "NetworkPolicy, or add --cilium)"
        )
    else:
        network_policy(spec)  # raises the explanatory UsageError
    if cilium:
        docs.append(cilium_policy(spec))
        comments.append("Cilium variant (supports DNS-name egress via toFQDNs).")
    if istio:
        docs.extend(istio_policies(spec, gateway_principal,
                                   allow_gateway_namespace=allow_gateway_namespace))  # fmt: skip
        comments.append("Istio: STRICT mTLS for the endpoint.")
        if gateway_principal:
            comments.append(f"Istio: only the gateway ({gateway_principal}) on the serving port.")
        else:
            gw_ns = spec.gateway_namespace or spec.namespace
            comments.append(f"Istio: every workload in namespace {gw_ns} on the serving port.")
            warnings.append(
                f"the Istio AuthorizationPolicy lets every workload in namespace {gw_ns!r} call "
                "the endpoint (--allow-gateway-namespace); --gateway-principal names the gateway "
                "alone"
            )
    patch = pod_security_patch(spec, containers) if containers else None
    return Plan(docs, comments, warnings, patch)
