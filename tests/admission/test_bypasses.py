"""Session 24 attack round (rt25adm): ways to load a model past the webhook, each now closed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from airlock.admission import review as rv
from airlock.admission.decide import Answer, judge
from airlock.admission.mutate import init_container_patch, verify_containers

from .conftest import MODEL, Registry, Webhook
from .k8s import WORKLOAD_KINDS, inference_service, review, workload

DIGEST = "ab" * 32
SOURCE = "internal.serving.kserve.io/storage-initializer-sourceuri"


def _parse(payload: dict[str, Any]) -> rv.Workload:
    return rv.parse_review(json.dumps(payload).encode())


@pytest.mark.parametrize("kind", WORKLOAD_KINDS)
def test_kserve_source_annotation_is_a_model(kind: str) -> None:
    """KServe's pod mutator downloads the annotated URI into any pod: it names a model."""
    w = _parse(review(workload(kind, {SOURCE: "s3://evil/model"})))
    assert w.uris == ("s3://evil/model",)
    legacy = "internal.serving.kubeflow.org/storage-initializer-sourceuri"  # KFServing's key
    assert _parse(review(workload(kind, {legacy: "s3://old/model"}))).uris == ("s3://old/model",)


def test_kserve_container_env_storage_uri_and_storage_spec() -> None:
    isvc = inference_service("s3://models/good")
    pred = isvc["spec"]["predictor"]
    del pred["model"]
    env = [{"name": "A", "value": "1"}, {"name": "STORAGE_URI", "value": "s3://evil/model"}]
    pred["containers"] = [{"name": "kserve-container", "image": "x", "env": env}]
    assert _parse(review(isvc)).uris == ("s3://evil/model",)
    env[1] = {"name": "STORAGE_URI", "valueFrom": {"configMapKeyRef": {"name": "m", "key": "u"}}}
    with pytest.raises(rv.ReviewError, match="valueFrom"):
        _parse(review(isvc))
    isvc = inference_service("s3://models/good")
    model = isvc["spec"]["predictor"]["model"]
    del model["storageUri"]
    model["storage"] = {"key": "localMinIO", "path": "evil/model"}
    with pytest.raises(rv.ReviewError, match="storage key"):
        _parse(review(isvc))
    deep = inference_service("s3://models/good")
    deep["spec"]["predictor"]["model"] = {"a": {"b": [{"c": {"storageUri": "s3://deep/m"}}]}}
    assert _parse(review(deep)).uris == ("s3://deep/m",)


def test_trained_model_is_judged() -> None:
    tm = {
        "apiVersion": "serving.kserve.io/v1alpha1",
        "kind": "TrainedModel",
        "metadata": {"name": "tm", "namespace": "ml"},
        "spec": {"inferenceService": "llm", "model": {"storageUri": "s3://evil/m"}},
    }
    assert _parse(review(tm)).uris == ("s3://evil/m",)
    del tm["spec"]["model"]["storageUri"]
    with pytest.raises(rv.ReviewError):
        _parse(review(tm))


def test_each_name_is_checked_against_its_own_digest() -> None:
    notes = {"airlock.dev/models": f"org/evil@sha256:{DIGEST},org/llama@sha256:{DIGEST}"}
    w = _parse(review(workload("Pod", notes)))
    out = judge(w, {DIGEST: Answer(True, "org/llama", "approved")}, {})
    assert not out.allowed and "org/evil" in out.message


def _pod(init: list[dict[str, Any]] | None = None) -> rv.Workload:
    notes = {
        "airlock.dev/models": f"{MODEL}@sha256:{DIGEST}",
        "airlock.dev/model-mounts": f"{MODEL}=model",
    }
    payload = review(workload("Pod", notes))
    if init is not None:
        payload["request"]["object"]["spec"]["initContainers"] = init
    return _parse(payload)


def _ops(w: rv.Workload) -> list[dict[str, Any]]:
    patch = init_container_patch(w, "airlock:test")
    return json.loads(patch) if patch else []


def test_a_pod_cannot_bring_its_own_verifier() -> None:
    fake = {"name": "airlock-verify-0", "image": "busybox", "command": ["true"]}
    with pytest.raises(rv.ReviewError, match="airlock's own"):
        _ops(_pod([fake]))
    ours = verify_containers(_pod(), "airlock:test")[0]
    for change in ({"args": ["--help"]}, {"restartPolicy": "Always"}, {"env": [{"name": "X"}]}):
        with pytest.raises(rv.ReviewError):
            _ops(_pod([{**copy.deepcopy(ours), **change}]))
    # Re-invocation: ours, with the API server's defaults, is left alone.
    defaulted = {**copy.deepcopy(ours), "imagePullPolicy": "IfNotPresent"}
    assert _ops(_pod([defaulted])) == []


def test_verifier_runs_before_a_sidecar_that_mounts_the_model() -> None:
    mount = [{"name": "model", "mountPath": "/m"}]
    download = {"name": "download", "image": "d", "volumeMounts": mount}
    proxy = {"name": "proxy", "image": "p", "restartPolicy": "Always"}
    server = {"name": "server", "image": "s", "restartPolicy": "Always", "volumeMounts": mount}
    ops = _ops(_pod([proxy, download, server]))
    assert [o["path"] for o in ops] == ["/spec/initContainers/2"]
    assert _ops(_pod([proxy, download]))[0]["path"] == "/spec/initContainers/-"
    # Our own container placed after the sidecar (declared by the pod) is refused too.
    ours = verify_containers(_pod(), "airlock:test")[0]
    with pytest.raises(rv.ReviewError, match="start before"):
        _ops(_pod([server, ours]))
    # A writer after the sidecar could change the files after they were verified.
    with pytest.raises(rv.ReviewError, match="writes a model volume"):
        _ops(_pod([server, download]))


def test_oversized_review_is_denied_with_its_uid(webhook: Webhook) -> None:
    payload = review(workload("Pod", None))
    payload["request"]["object"]["spec"]["containers"][0]["args"] = ["x" * 1000] * 3300
    answer = webhook.review(payload)
    assert answer["uid"] == payload["request"]["uid"] and answer["allowed"] is False
    assert "larger than" in answer["status"]["message"]


def test_kserve_source_annotation_end_to_end(registry: Registry, webhook: Webhook) -> None:
    answer = webhook.review(review(workload("Deployment", {SOURCE: "s3://evil/model"})))
    assert answer["allowed"] is False and "not registered" in answer["status"]["message"]
    good = registry.approved()
    registry.store.set_location("s3://models/rt25-good", good, actor="publisher")
    answer = webhook.review(review(workload("Pod", {SOURCE: "s3://models/rt25-good"})))
    assert answer["allowed"] is True, answer


def test_reinvoked_after_an_identity_webhook_our_verifier_is_left_alone() -> None:
    """The EKS pod identity webhook (its rawPodWithInitContainer test data) and Azure workload
    identity add env and a token mount to every container, init containers too; our webhook
    is then re-invoked (reinvocationPolicy IfNeeded) and refused its own container: every such
    pod with model mounts was denied. What they add cannot change what verify runs; anything
    else still refuses."""
    ours = verify_containers(_pod(), "airlock:test")[0]
    env = [
        {"name": "AWS_ROLE_ARN", "value": "arn:aws:iam::111122223333:role/r"},
        {"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": "/var/run/secrets/eks.amazonaws.com/x"},
        {"name": "AZURE_FEDERATED_TOKEN_FILE", "value": "/var/run/secrets/azure/tokens/t"},
    ]
    token = {"name": "aws-iam-token", "readOnly": True,
             "mountPath": "/var/run/secrets/eks.amazonaws.com/serviceaccount"}  # fmt: skip
    mutated = {**copy.deepcopy(ours), "imagePullPolicy": "IfNotPresent", "env": env,
               "volumeMounts": [*ours["volumeMounts"], token]}  # fmt: skip
    assert _ops(_pod([mutated])) == []
    bad_env = [{"name": "PATH", "value": "/airlock/models/0"}, {"name": "PYTHONPATH"}]
    bad_mounts = [
        {**token, "mountPath": "/usr/local/bin"},
        {**token, "readOnly": False},
        {**token, "name": "model"},
        {**token, "mountPath": "/var/run/secrets/../../usr/lib"},
        {**token, "subPath": "x"},
    ]
    for e in bad_env:
        with pytest.raises(rv.ReviewError, match="airlock's own"):
            _ops(_pod([{**mutated, "env": [*env, e]}]))
    for m in bad_mounts:
        with pytest.raises(rv.ReviewError, match="airlock's own"):
            _ops(_pod([{**mutated, "volumeMounts": [*ours["volumeMounts"], m]}]))
    with pytest.raises(rv.ReviewError, match="airlock's own"):  # ours must come first, as made
        _ops(_pod([{**mutated, "volumeMounts": [token, *ours["volumeMounts"]]}]))
