"""AdmissionReview v1 payloads built from the official ``kubernetes`` client's models."""

from __future__ import annotations

import uuid
from typing import Any

from kubernetes import client as k

_API = k.ApiClient()
MODEL_VOLUME = "model"

#: kind -> (group, version, resource)
GVR = {
    "Pod": ("", "v1", "pods"),
    "Deployment": ("apps", "v1", "deployments"),
    "StatefulSet": ("apps", "v1", "statefulsets"),
    "DaemonSet": ("apps", "v1", "daemonsets"),
    "ReplicaSet": ("apps", "v1", "replicasets"),
    "Job": ("batch", "v1", "jobs"),
    "CronJob": ("batch", "v1", "cronjobs"),
    "InferenceService": ("serving.kserve.io", "v1beta1", "inferenceservices"),
    "TrainedModel": ("serving.kserve.io", "v1alpha1", "trainedmodels"),
}
WORKLOAD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]


def pod_spec(mounts: bool = False) -> k.V1PodSpec:
    volume_mounts = [k.V1VolumeMount(name=MODEL_VOLUME, mount_path="/models", read_only=True)]
    return k.V1PodSpec(
        containers=[
            k.V1Container(
                name="server",
                image="vllm/vllm-openai:v0.6.0",
                args=["--model", "/models/llama"],
                volume_mounts=volume_mounts,
            )
        ],
        volumes=[
            k.V1Volume(
                name=MODEL_VOLUME,
                persistent_volume_claim=k.V1PersistentVolumeClaimVolumeSource(claim_name="models"),
            )
        ],
        restart_policy="Never" if mounts else None,
    )


def workload(kind: str, annotations: dict[str, str] | None, name: str = "llm") -> Any:
    """A ``kubernetes`` model object of ``kind`` whose pod template carries ``annotations``."""
    meta = k.V1ObjectMeta(name=name, namespace="ml", labels={"app": name})
    template = k.V1PodTemplateSpec(
        metadata=k.V1ObjectMeta(labels={"app": name}, annotations=annotations),
        spec=pod_spec(kind in ("Job", "CronJob")),
    )
    selector = k.V1LabelSelector(match_labels={"app": name})
    if kind == "Pod":
        return k.V1Pod(
            api_version="v1",
            kind="Pod",
            metadata=k.V1ObjectMeta(name=name, namespace="ml", annotations=annotations),
            spec=pod_spec(),
        )
    if kind == "Deployment":
        return k.V1Deployment(
            api_version="apps/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1DeploymentSpec(selector=selector, template=template, replicas=2),
        )
    if kind == "StatefulSet":
        return k.V1StatefulSet(
            api_version="apps/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1StatefulSetSpec(selector=selector, template=template, service_name=name),
        )
    if kind == "DaemonSet":
        return k.V1DaemonSet(
            api_version="apps/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1DaemonSetSpec(selector=selector, template=template),
        )
    if kind == "ReplicaSet":
        return k.V1ReplicaSet(
            api_version="apps/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1ReplicaSetSpec(selector=selector, template=template),
        )
    if kind == "Job":
        return k.V1Job(
            api_version="batch/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1JobSpec(template=template),
        )
    if kind == "CronJob":
        return k.V1CronJob(
            api_version="batch/v1",
            kind=kind,
            metadata=meta,
            spec=k.V1CronJobSpec(
                schedule="0 * * * *",
                job_template=k.V1JobTemplateSpec(spec=k.V1JobSpec(template=template)),
            ),
        )
    raise ValueError(kind)


def inference_service(
    storage_uri: str, annotations: dict[str, str] | None = None
) -> dict[str, Any]:
    """A KServe v1beta1 InferenceService (a CRD: the metadata is the client's model)."""
    meta = _API.sanitize_for_serialization(
        k.V1ObjectMeta(name="llm", namespace="ml", annotations=annotations)
    )
    return {
        "apiVersion": "serving.kserve.io/v1beta1",
        "kind": "InferenceService",
        "metadata": meta,
        "spec": {
            "predictor": {
                "model": {
                    "modelFormat": {"name": "huggingface"},
                    "storageUri": storage_uri,
                    "resources": {"limits": {"cpu": "2", "memory": "8Gi"}},
                }
            }
        },
    }


def review(obj: Any, *, operation: str = "CREATE", dry_run: bool = False) -> dict[str, Any]:
    """The AdmissionReview v1 the API server sends for ``obj``."""
    body = obj if isinstance(obj, dict) else _API.sanitize_for_serialization(obj)
    kind = body["kind"]
    group, version, resource = GVR[kind]
    gvk = {"group": group, "version": version, "kind": kind}
    gvr = {"group": group, "version": version, "resource": resource}
    user = _API.sanitize_for_serialization(
        k.V1UserInfo(username="system:serviceaccount:ml:deployer", groups=["system:authenticated"])
    )
    options = {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": str(uuid.uuid4()),
            "kind": gvk,
            "resource": gvr,
            "requestKind": gvk,
            "requestResource": gvr,
            "name": body["metadata"].get("name"),
            "namespace": body["metadata"].get("namespace", "ml"),
            "operation": operation,
            "userInfo": user,
            "object": body,
            "oldObject": None,
            "dryRun": dry_run,
            "options": options,
        },
    }
