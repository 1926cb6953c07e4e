"""A small Kubernetes NetworkPolicy evaluator: "may pod A reach pod B (or an IP) on port N?".

Implements the documented semantics: a pod is isolated for a direction once any policy with that
policyType selects it; then a connection is allowed only if some selecting policy has a rule whose
peers and ports match. A connection needs the source's egress and the destination's ingress.
Used to check the intent of generated policies, not to replace the cluster's enforcement.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict[str, str] = field(default_factory=dict)
    ip: str | None = None


@dataclass(frozen=True)
class External:
    """A destination outside the cluster (or any bare IP)."""

    ip: str


def selector_matches(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    """LabelSelector semantics (empty selector matches everything)."""
    if not selector:
        return True
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def _ip_in_block(ip: str | None, block: dict[str, Any]) -> bool:
    if ip is None:
        return False
    addr = ipaddress.ip_address(ip)
    net = ipaddress.ip_network(block["cidr"], strict=False)
    if addr.version != net.version or addr not in net:
        return False
    return not any(
        addr in ipaddress.ip_network(e, strict=False)
        for e in block.get("except") or []
        if ipaddress.ip_network(e, strict=False).version == addr.version
    )


class Cluster:
    """Namespaces (with labels) and the NetworkPolicies in force."""

    def __init__(self, policies: Iterable[dict[str, Any]], namespaces: dict[str, dict[str, str]]):
        self.policies = [p for p in policies if p.get("kind") == "NetworkPolicy"]
        self.namespaces = {
            ns: {"kubernetes.io/metadata.name": ns, **labels} for ns, labels in namespaces.items()
        }

    def _ns_labels(self, ns: str) -> dict[str, str]:
        return self.namespaces.get(ns, {"kubernetes.io/metadata.name": ns})

    def _peer_matches(self, peer: dict[str, Any], policy_ns: str, other: Pod | External) -> bool:
        if "ipBlock" in peer:
            return _ip_in_block(other.ip, peer["ipBlock"])
        if isinstance(other, External):
            return False
        pod_sel, ns_sel = peer.get("podSelector"), peer.get("namespaceSelector")
        if ns_sel is None:
            ns_ok = other.namespace == policy_ns
        else:
            ns_ok = selector_matches(ns_sel, self._ns_labels(other.namespace))
        return ns_ok and (pod_sel is None or selector_matches(pod_sel, other.labels))

    @staticmethod
    def _port_matches(ports: list[dict[str, Any]] | None, port: int, proto: str) -> bool:
        if not ports:
            return True
        for p in ports:
            if p.get("protocol", "TCP") != proto:
                continue
            if "port" not in p:
                return True
            lo = p["port"]
            if isinstance(lo, int) and lo <= port <= p.get("endPort", lo):
                return True
        return False

    def _allowed(
        self, pod: Pod, direction: str, other: Pod | External, port: int, proto: str
    ) -> bool:
        kind, key, peers_key = (
            ("Ingress", "ingress", "from") if direction == "ingress" else ("Egress", "egress", "to")
        )
        selecting = [
            p for p in self.policies
            if p["metadata"].get("namespace", "default") == pod.namespace
            and selector_matches(p["spec"].get("podSelector"), pod.labels)
            and kind in p["spec"].get("policyTypes", ["Ingress"])
        ]  # fmt: skip
        if not selecting:
            return True
        for pol in selecting:
            ns = pol["metadata"].get("namespace", "default")
            for rule in pol["spec"].get(key) or []:
                peers = rule.get(peers_key)
                if peers and not any(self._peer_matches(pr, ns, other) for pr in peers):
                    continue
                if self._port_matches(rule.get("ports"), port, proto):
                    return True
        return False

    def may_reach(self, src: Pod, dst: Pod | External, port: int, proto: str = "TCP") -> bool:
        """Whether ``src`` may open a connection to ``dst`` on ``port``."""
        if not self._allowed(src, "egress", dst, port, proto):
            return False
        if isinstance(dst, Pod):
            return self._allowed(dst, "ingress", src, port, proto)
        return True
