"""The mutating webhook's patch: an init container per model that runs ``airlock verify
--digest ROOT`` over the mounted model before the model server starts. Pure.

The pod says where each model is mounted with ``airlock.dev/model-mounts:
NAME=VOLUME[/SUBPATH][,...]`` (NAME as in ``airlock.dev/models``). The containers are appended
after the pod's own init containers (a downloader such as KServe's storage-initializer runs
first), mount the volume read-only, and run as non-root without privileges. A re-invoked webhook
finds its containers already there and adds nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

from airlock.admission.review import MOUNTS_ANNOTATION, ReviewError, Workload

CONTAINER_PREFIX = "airlock-verify-"
MOUNT_ROOT = "/airlock/models"
_VOLUME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_SUBPATH = re.compile(r"^[A-Za-z0-9._/-]{1,512}$")


def parse_mounts(text: str) -> dict[str, tuple[str, str]]:
    """``NAME=VOLUME[/SUBPATH]`` items -> {name: (volume, subpath)}."""
    out: dict[str, tuple[str, str]] = {}
    for item in (t.strip() for t in text[:65536].split(",")):
        if not item:
            continue
        name, sep, where = item.partition("=")
        volume, _, sub = where.partition("/")
        if not sep or not _VOLUME.match(volume):
            raise ReviewError(f"annotation {MOUNTS_ANNOTATION}: {item[:120]!r} is not NAME=VOLUME")
        if sub and (not _SUBPATH.match(sub) or ".." in sub.split("/")):
            raise ReviewError(f"annotation {MOUNTS_ANNOTATION}: bad sub-path in {item[:120]!r}")
        out[name.strip()] = (volume, sub.strip("/"))
    return out


def verify_containers(workload: Workload, image: str) -> list[dict[str, Any]]:
    """The init containers to add (empty when the pod asks for none)."""
    text = workload.annotations.get(MOUNTS_ANNOTATION)
    if text is None or workload.pod_spec is None:
        return []
    mounts = parse_mounts(text)
    volumes = {v.get("name") for v in workload.pod_spec.get("volumes") or [] if isinstance(v, dict)}
    by_name = {r.name: r for r in workload.refs}
    unknown = sorted(set(mounts) - set(by_name))
    if unknown:
        raise ReviewError(
            f"annotation {MOUNTS_ANNOTATION} names {', '.join(unknown)[:200]}, "
            "which airlock.dev/models does not list"
        )
    containers = []
    for i, (name, (volume, sub)) in enumerate(sorted(mounts.items())):
        if volume not in volumes:
            raise ReviewError(f"{MOUNTS_ANNOTATION}: the pod has no volume {volume!r}")
        mount = f"{MOUNT_ROOT}/{i}"
        path = f"{mount}/{sub}" if sub else mount
        containers.append(
            {
                "name": f"{CONTAINER_PREFIX}{i}",
                "image": image,
                "command": ["airlock", "verify", path, "--digest", by_name[name].digest],
                "volumeMounts": [{"name": volume, "mountPath": mount, "readOnly": True}],
                "securityContext": {
                    "runAsNonRoot": True,
                    "runAsUser": 65532,
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                    "seccompProfile": {"type": "RuntimeDefault"},
                },
                "resources": {
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                    "limits": {"memory": "512Mi"},
                },
            }
        )
    return containers


def init_container_patch(workload: Workload, image: str) -> bytes | None:
    """A JSON Patch adding the verifying init containers, or None when nothing is to add."""
    wanted = verify_containers(workload, image)
    if not wanted:
        return None
    spec = workload.pod_spec or {}
    existing = spec.get("initContainers")
    if existing is not None and not isinstance(existing, list):
        raise ReviewError("Pod: spec.initContainers is not a list")
    present = {c.get("name") for c in existing or [] if isinstance(c, dict)}
    if any(c["name"] in present for c in wanted):
        return None  # re-invocation: already injected
    ops: list[dict[str, Any]]
    if not existing:
        ops = [{"op": "add", "path": "/spec/initContainers", "value": wanted}]
    else:
        ops = [{"op": "add", "path": "/spec/initContainers/-", "value": c} for c in wanted]
    return json.dumps(ops, separators=(",", ":")).encode()
