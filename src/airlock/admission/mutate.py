"""The mutating webhook's patch: an init container per model that runs ``airlock verify
--digest ROOT`` over the mounted model before the model server starts. Pure.

The pod says where each model is mounted with ``airlock.dev/model-mounts:
NAME=VOLUME[/SUBPATH][,...]`` (NAME as in ``airlock.dev/models``). The containers go after
the pod's own init containers (a downloader such as KServe's storage-initializer runs first) but
before any native sidecar that mounts a model volume, mount the volume read-only, and run as
non-root without privileges. A re-invoked webhook finds its containers already there and adds
nothing; a pod that brings its own ``airlock-verify-N`` is refused.
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


#: Fields the API server may add to a container we injected (defaults), nothing else.
_DEFAULTED = frozenset({"imagePullPolicy", "terminationMessagePath", "terminationMessagePolicy"})


#: What cloud identity webhooks add to every container, init containers too (EKS pod identity:
#: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE... and a token mount; Azure workload identity:
#: AZURE_*): after them our webhook is re-invoked, and nothing of it changes what a local
#: ``airlock verify`` runs (no PATH, PYTHON*, LD_*, AIRLOCK_*; mounts read-only, under
#: /var/run/secrets/, no model volume).
_IDENTITY_ENV = re.compile(r"^(AWS|AZURE)_[A-Z0-9_]{1,64}$")
_IDENTITY_MOUNT = re.compile(r"^/var/run/secrets/[A-Za-z0-9._/-]{1,200}$")


def _identity_only(env: Any, mounts: Any, volumes: set[str]) -> bool:
    """``env`` / ``mounts`` are only what an identity webhook adds (see ``_IDENTITY_ENV``)."""
    if not isinstance(env, list) or not isinstance(mounts, list):
        return False
    for e in env:
        if not isinstance(e, dict) or not _IDENTITY_ENV.match(str(e.get("name"))):
            return False
    for m in mounts:
        if not isinstance(m, dict) or set(m) - {"name", "mountPath", "readOnly"}:
            return False
        path = str(m.get("mountPath"))
        if m.get("readOnly") is not True or m.get("name") in volumes or ".." in path.split("/"):
            return False
        if not _IDENTITY_MOUNT.match(path):
            return False
    return True


def _same(present: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """``present`` is the container we would inject, with at most the API server's defaults and
    what an identity webhook adds to every container: a pod that declares its own
    ``airlock-verify-N`` (``true``, extra args, env, a sidecar restart policy) gets no pass."""
    extra = set(present) - set(wanted) - _DEFAULTED - {"env"}
    ours = wanted["volumeMounts"]
    mounts = present.get("volumeMounts")
    mine = isinstance(mounts, list) and mounts[: len(ours)] == ours
    added = mounts[len(ours) :] if mine and isinstance(mounts, list) else None
    volumes = {str(m["name"]) for m in ours}
    return (
        not extra
        and added is not None
        and _identity_only(present.get("env", []), added, volumes)
        and all(
            present.get(k) == v for k, v in wanted.items() if k not in ("resources", "volumeMounts")
        )
    )


def _mounts(container: Any, volumes: set[str]) -> tuple[bool, bool]:
    """(mounts one of ``volumes``, mounts one of them writable)."""
    found = writable = False
    mounts = container.get("volumeMounts") if isinstance(container, dict) else None
    for m in mounts if isinstance(mounts, list) else []:
        if isinstance(m, dict) and m.get("name") in volumes:
            found = True
            writable = writable or m.get("readOnly") is not True
    return found, writable


def _check_order(init: list[Any], volumes: set[str]) -> None:
    """The verifying containers must run after every init container that writes a model
    volume and before any native sidecar (``restartPolicy: Always``, started without waiting
    for it to finish) that mounts one: a model server sidecar must not load unverified files."""
    mine = [i for i, c in enumerate(init) if _is_verifier(c)]
    first, last = min(mine), max(mine)
    for i, c in enumerate(init):
        if _is_verifier(c) or not isinstance(c, dict):
            continue
        found, writable = _mounts(c, volumes)
        name = str(c.get("name"))[:63]
        if c.get("restartPolicy") == "Always" and found and i < last:
            raise ReviewError(
                f"sidecar init container {name!r} mounts a model volume and would start before "
                "airlock verifies it"
            )
        if c.get("restartPolicy") != "Always" and writable and i > first:
            raise ReviewError(
                f"init container {name!r} writes a model volume after airlock verifies it"
            )


def _is_verifier(c: Any) -> bool:
    return isinstance(c, dict) and str(c.get("name", "")).startswith(CONTAINER_PREFIX)


def init_container_patch(workload: Workload, image: str) -> bytes | None:
    """A JSON Patch adding the verifying init containers, or None when nothing is to add.

    They go before the first native sidecar that mounts a model volume (else at the end); a
    re-invoked webhook finds exactly its own containers there and adds nothing."""
    wanted = verify_containers(workload, image)
    if not wanted:
        return None
    spec = workload.pod_spec or {}
    existing = spec.get("initContainers")
    if existing is not None and not isinstance(existing, list):
        raise ReviewError("Pod: spec.initContainers is not a list")
    existing = existing or []
    volumes = {str(c["volumeMounts"][0]["name"]) for c in wanted}
    present = {c.get("name"): c for c in existing if isinstance(c, dict)}
    names = [c["name"] for c in wanted]
    if any(n in present for n in names):  # re-invocation: exactly ours, in a safe place
        pairs = zip(names, wanted, strict=True)
        if not all(n in present and _same(present[n], c) for n, c in pairs):
            raise ReviewError(
                f"init containers named {CONTAINER_PREFIX}* are airlock's own verification: "
                "the pod declares one that is not"
            )
        _check_order(existing, volumes)
        return None
    pos = next(
        (
            i
            for i, c in enumerate(existing)
            if isinstance(c, dict) and c.get("restartPolicy") == "Always" and _mounts(c, volumes)[0]
        ),
        len(existing),
    )
    _check_order([*existing[:pos], *wanted, *existing[pos:]], volumes)
    ops: list[dict[str, Any]]
    if not existing:
        ops = [{"op": "add", "path": "/spec/initContainers", "value": wanted}]
    elif pos == len(existing):
        ops = [{"op": "add", "path": "/spec/initContainers/-", "value": c} for c in wanted]
    else:
        ops = [
            {"op": "add", "path": f"/spec/initContainers/{pos + k}", "value": c}
            for k, c in enumerate(wanted)
        ]
    return json.dumps(ops, separators=(",", ":")).encode()
