"""AdmissionReview v1 -> the workload and the models it names. Pure and bounded.

A workload names models by digest in the annotation ``airlock.dev/models``
(``NAME@sha256:ROOT[,NAME@sha256:ROOT...]``) on the object or its pod template, and/or by a
storage URI that the registry maps to a digest: KServe's ``storageUri`` (an InferenceService's
components, a TrainedModel's model), a ``STORAGE_URI`` environment variable of an
InferenceService's container, and the annotation through which KServe's pod mutator downloads a
model into any pod (``internal.serving.kserve.io/storage-initializer-sourceuri``). Supported:
Pods, the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs,
KServe InferenceServices and TrainedModels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from airlock.admission import jsonio

MODELS_ANNOTATION = "airlock.dev/models"
MOUNTS_ANNOTATION = "airlock.dev/model-mounts"
#: KServe's pod mutator injects a storage-initializer downloading this URI into any pod that
#: carries it (the InferenceService controller sets it on the pods it creates); then the same
#: key of KFServing, KServe's predecessor.
KSERVE_SOURCE_ANNOTATIONS = (
    "internal.serving.kserve.io/storage-initializer-sourceuri",
    "internal.serving.kubeflow.org/storage-initializer-sourceuri",
)
KSERVE_STORAGE_ENV = "STORAGE_URI"  # a custom container's model, downloaded the same way
MAX_REVIEW_BYTES = 3 * 1024 * 1024
MAX_ANNOTATION_CHARS = 64 * 1024
MAX_MODELS = 64
MAX_URIS = 16
MAX_NAME = 200
MAX_NODES = 20_000  # values walked per InferenceService component (never cut short: refused)
TEMPLATE_KINDS = {
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
KSERVE_COMPONENTS = ("predictor", "transformer", "explainer")
_REF = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._:/+-]{0,199})@sha256:([0-9a-f]{64})$")
_URI = re.compile(r"^[a-z][a-z0-9+.-]{0,31}://\S{1,960}$")


class ReviewError(ValueError):
    """The review cannot be judged; the message says why (and becomes the denial reason)."""


@dataclass(frozen=True)
class ModelRef:
    name: str
    digest: str

    def __str__(self) -> str:
        return f"{self.name}@sha256:{self.digest}"


@dataclass(frozen=True)
class Workload:
    uid: str
    kind: str
    namespace: str
    name: str
    operation: str
    user: str
    refs: tuple[ModelRef, ...] = ()
    uris: tuple[str, ...] = ()
    dry_run: bool = False
    annotations: dict[str, str] = field(default_factory=dict)
    pod_spec: dict[str, Any] | None = None  # Pods only: what the mutating webhook patches
    # an UPDATE of an object already being deleted (a controller removing its finalizer):
    # nothing new starts from it, and denying would leave it stuck in Terminating
    terminating: bool = False

    @property
    def models(self) -> list[str]:
        return [str(r) for r in self.refs] + list(self.uris)


#: How the HTTP server hands over a body past ``MAX_REVIEW_BYTES`` (with its first 4 KiB).
TOO_LARGE = b"\x00too large\x00"
#: The API server writes ``request.uid`` first: found in the kept prefix of a too-large review.
_UID_PREFIX = re.compile(rb'"request"\s*:\s*\{\s*"uid"\s*:\s*"([A-Za-z0-9._:-]{1,128})"')


def uid_of(body: bytes) -> str:
    """The review's uid, best effort (for answering a review that is otherwise malformed: a
    denial must carry the uid, or the API server sees a broken answer, which its
    ``failurePolicy: Ignore`` would turn into an allow)."""
    if body.startswith(TOO_LARGE):
        m = _UID_PREFIX.search(body, len(TOO_LARGE), len(TOO_LARGE) + 4096)
        return m.group(1).decode() if m else ""
    try:
        data = jsonio.loads(body)
        uid = data["request"]["uid"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return ""
    return uid if isinstance(uid, str) and len(uid) <= 128 else ""


def parse_refs(text: str, where: str) -> tuple[ModelRef, ...]:
    """``NAME@sha256:ROOT`` items separated by commas (whitespace ignored)."""
    if len(text) > MAX_ANNOTATION_CHARS:
        raise ReviewError(f"{where}: longer than {MAX_ANNOTATION_CHARS} characters")
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise ReviewError(f"{where}: names no model")
    if len(items) > MAX_MODELS:
        raise ReviewError(f"{where}: more than {MAX_MODELS} models")
    refs = []
    for item in items:
        m = _REF.match(item)
        if m is None:
            raise ReviewError(
                f"{where}: {item[:120]!r} is not NAME@sha256:ROOT (64 lowercase hex root digest)"
            )
        refs.append(ModelRef(m.group(1), m.group(2)))
    return tuple(dict.fromkeys(refs))


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _annotations(meta: Any, where: str) -> dict[str, str]:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ReviewError(f"{where}: metadata is not an object")
    notes = meta.get("annotations") or {}
    if not isinstance(notes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in notes.items()
    ):
        raise ReviewError(f"{where}: metadata.annotations must map strings to strings")
    return notes


def _uri(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _URI.match(value):
        raise ReviewError(f"{where} storage URI {str(value)[:120]!r} is not scheme://...")
    return value


def _kserve_uris(spec: Any) -> list[str]:
    """Every ``storageUri`` under the predictor / transformer / explainer (old and new layouts),
    and every container's ``STORAGE_URI``. A ``storage`` key + path (resolved by KServe from a
    storage secret the webhook cannot read) is refused: it names a model the registry cannot
    judge."""
    uris: list[str] = []
    if not isinstance(spec, dict):
        raise ReviewError("InferenceService: spec is not an object")
    for comp in KSERVE_COMPONENTS:
        part = spec.get(comp)
        if part is None:
            continue
        if not isinstance(part, dict):
            raise ReviewError(f"InferenceService: spec.{comp} is not an object")
        stack: list[Any] = [part]
        seen = 0
        while stack:
            node = stack.pop()
            seen += 1
            if seen > MAX_NODES:
                raise ReviewError(f"InferenceService: spec.{comp} has more than {MAX_NODES} fields")
            if isinstance(node, dict):
                if node.get("name") == KSERVE_STORAGE_ENV and "value" in node:
                    uris.append(_uri(node["value"], f"InferenceService: spec.{comp} env"))
                elif node.get("name") == KSERVE_STORAGE_ENV and "valueFrom" in node:
                    raise ReviewError(
                        f"InferenceService: spec.{comp} env {KSERVE_STORAGE_ENV} comes from "
                        "valueFrom, which the webhook cannot read"
                    )
                for key, value in node.items():
                    if key in ("storageUri", "storageUris"):
                        values = value if isinstance(value, list) else [value]
                        for v in values:
                            uri = v.get("uri") if isinstance(v, dict) else v
                            uris.append(_uri(uri, f"InferenceService: spec.{comp}"))
                    elif key == "storage" and isinstance(value, dict) and value:
                        raise ReviewError(
                            f"InferenceService: spec.{comp} names its model by a storage key and "
                            "path, which the registry cannot judge: use storageUri"
                        )
                    elif isinstance(value, dict | list):
                        stack.append(value)
            elif isinstance(node, list):
                stack.extend(node)
    if len(uris) > MAX_URIS:
        raise ReviewError(f"InferenceService: more than {MAX_URIS} storage URIs")
    return list(dict.fromkeys(uris))


def parse_review(body: bytes) -> Workload:
    """Parse one AdmissionReview v1 request; ``ReviewError`` says what is wrong with it."""
    if len(body) > MAX_REVIEW_BYTES or body.startswith(TOO_LARGE):
        raise ReviewError(f"review larger than {MAX_REVIEW_BYTES} bytes")
    try:
        data = jsonio.loads(body)
    except (ValueError, RecursionError):
        raise ReviewError("review is not valid JSON") from None
    if not isinstance(data, dict):
        raise ReviewError("review is not a JSON object")
    if data.get("apiVersion") != "admission.k8s.io/v1" or data.get("kind") != "AdmissionReview":
        raise ReviewError("not an admission.k8s.io/v1 AdmissionReview")
    req = data.get("request")
    if not isinstance(req, dict):
        raise ReviewError("AdmissionReview has no request")
    uid = req.get("uid")
    if not isinstance(uid, str) or not uid or len(uid) > 128:
        raise ReviewError("request.uid missing")
    kind_info = req.get("kind")
    kind = kind_info.get("kind") if isinstance(kind_info, dict) else None
    if not isinstance(kind, str):
        raise ReviewError("request.kind.kind missing")
    operation = str(req.get("operation") or "")[:16]
    obj = req.get("object")
    if operation == "DELETE" or obj is None:
        raise ReviewError(f"{operation or 'this'} request carries no object to judge")
    if not isinstance(obj, dict):
        raise ReviewError("request.object is not an object")
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        raise ReviewError("request.object.metadata missing")
    name = meta.get("name") or meta.get("generateName") or req.get("name") or ""
    namespace = req.get("namespace") or meta.get("namespace") or ""
    user_info = req.get("userInfo")
    user = user_info.get("username", "") if isinstance(user_info, dict) else ""
    if not all(isinstance(x, str) for x in (name, namespace, user)):
        raise ReviewError("request name, namespace or user is not a string")
    notes = dict(_annotations(meta, kind))
    uris: list[str] = []
    pod_spec: dict[str, Any] | None = None
    if kind == "Pod":
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            raise ReviewError("Pod: spec missing")
        pod_spec = spec
    elif kind in TEMPLATE_KINDS:
        template = _dig(obj, TEMPLATE_KINDS[kind])
        if not isinstance(template, dict):
            raise ReviewError(f"{kind}: pod template missing")
        inner = _annotations(template.get("metadata"), f"{kind} pod template")
        for key in (MODELS_ANNOTATION, *KSERVE_SOURCE_ANNOTATIONS):
            if key in inner and key in notes and inner[key] != notes[key]:
                raise ReviewError(f"{kind}: {key} differs between the object and its pod template")
        notes.update(inner)
    elif kind == "InferenceService":
        uris = _kserve_uris(obj.get("spec"))
    elif kind == "TrainedModel":  # loaded into a running multi-model InferenceService
        uris = [_uri(_dig(obj, ("spec", "model", "storageUri")), "TrainedModel: spec.model")]
    else:
        raise ReviewError(f"kind {kind[:60]!r} is not supported by this webhook")
    for key in KSERVE_SOURCE_ANNOTATIONS:
        if key in notes:
            uris = list(dict.fromkeys([*uris, _uri(notes[key], f"annotation {key}")]))
    refs: tuple[ModelRef, ...] = ()
    if MODELS_ANNOTATION in notes:
        refs = parse_refs(notes[MODELS_ANNOTATION], f"annotation {MODELS_ANNOTATION}")
    return Workload(
        uid=uid,
        kind=kind,
        namespace=namespace[:253],
        name=name[:253],
        operation=operation,
        user=user[:253],
        refs=refs,
        uris=tuple(uris),
        dry_run=req.get("dryRun") is True,
        annotations=notes,
        pod_spec=pod_spec,
        terminating=operation == "UPDATE" and meta.get("deletionTimestamp") is not None,
    )


def response(
    uid: str,
    allowed: bool,
    message: str,
    *,
    warnings: list[str] | None = None,
    patch: bytes | None = None,
) -> dict[str, Any]:
    """The AdmissionReview v1 answer."""
    resp: dict[str, Any] = {"uid": uid, "allowed": allowed}
    if not allowed:
        resp["status"] = {"code": 403, "reason": "Forbidden", "message": message[:4000]}
    elif message:
        resp["status"] = {"code": 200, "message": message[:4000]}
    if warnings:
        resp["warnings"] = [w[:400] for w in warnings[:16]]
    if patch is not None:
        import base64

        resp["patchType"] = "JSONPatch"
        resp["patch"] = base64.b64encode(patch).decode("ascii")
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": resp}
