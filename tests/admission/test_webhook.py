"""The webhook over HTTPS with AdmissionReview payloads from the ``kubernetes`` client's models."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from airlock.admission.decide import Modes

from .conftest import MODEL, Registry, Webhook, WebhookFactory
from .k8s import WORKLOAD_KINDS, inference_service, review, workload
from .servers import free_port, slow_server

ALL_KINDS = [*WORKLOAD_KINDS, "InferenceService"]


def _models(*refs: str) -> dict[str, str]:
    return {"airlock.dev/models": ",".join(refs)}


def _payload(kind: str, registry: Registry, digest: str, model: str = MODEL) -> dict[str, Any]:
    """A review of ``kind`` naming ``digest`` (InferenceService: through a storage URI)."""
    if kind == "InferenceService":
        uri = f"s3://models/{digest[:16]}"
        registry.store.set_location(uri, digest, actor="publisher")
        return review(inference_service(uri))
    return review(workload(kind, _models(f"{model}@sha256:{digest}")))


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_approved_unapproved_revoked_unknown(
    kind: str, registry: Registry, webhook: Webhook
) -> None:
    approved = registry.approved()
    payload = _payload(kind, registry, approved)
    answer = webhook.review(payload)
    assert answer["uid"] == payload["request"]["uid"]
    assert answer["allowed"] is True, answer
    assert "1 model(s) approved" in answer["status"]["message"]

    submitted = registry.submit()
    answer = webhook.review(_payload(kind, registry, submitted))
    assert answer["allowed"] is False
    assert answer["status"]["code"] == 403
    assert "version is submitted, not approved" in answer["status"]["message"]

    revoked = registry.approved()
    registry.revoke(revoked)
    answer = webhook.review(_payload(kind, registry, revoked))
    assert answer["allowed"] is False and "version is revoked" in answer["status"]["message"]

    if kind == "InferenceService":
        answer = webhook.review(review(inference_service("s3://models/never-registered")))
        assert answer["allowed"] is False and "not registered" in answer["status"]["message"]
    else:
        answer = webhook.review(_payload(kind, registry, "ee" * 32))
        assert answer["allowed"] is False
        assert "version is not registered" in answer["status"]["message"]


def test_every_model_must_pass(registry: Registry, webhook: Webhook) -> None:
    good, bad = registry.approved(), registry.submit()
    refs = _models(f"{MODEL}@sha256:{good}", f"{MODEL}@sha256:{bad}")
    answer = webhook.review(review(workload("Deployment", refs)))
    assert answer["allowed"] is False
    assert bad in answer["status"]["message"] and good not in answer["status"]["message"]
    # A digest named under another model's name is refused.
    answer = webhook.review(review(workload("Pod", _models(f"org/other@sha256:{good}"))))
    assert answer["allowed"] is False and "'org/llama'" in answer["status"]["message"]
    # No model named: allowed (the webhook's scope decides), unless models are required.
    answer = webhook.review(review(workload("Pod", None)))
    assert answer["allowed"] is True and "names no model" in answer["status"]["message"]


MALFORMED: list[tuple[bytes, str]] = [
    (b"{not json", "not valid JSON"),
    (b"[]", "not a JSON object"),
    (
        json.dumps({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview"}).encode(),
        "not an admission.k8s.io/v1",
    ),
    (
        json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}).encode(),
        "no request",
    ),
    (b"\x00" * 10, "not valid JSON"),
]


def test_malformed_reviews_are_denied_with_a_reason(webhook: Webhook) -> None:
    for body, reason in MALFORMED:
        answer = webhook.review(body)
        assert answer["allowed"] is False
        assert "malformed review" in answer["status"]["message"]
        assert reason in answer["status"]["message"], (body, answer)
    good = review(workload("Pod", _models(f"{MODEL}@sha256:{'ab' * 32}")))
    cases: list[tuple[Any, str]] = [
        (lambda r: r["request"].pop("uid"), "uid missing"),
        (
            lambda r: r["request"]["object"]["metadata"]["annotations"].update(
                {"airlock.dev/models": "llama:latest"}
            ),
            "not NAME@sha256:ROOT",
        ),
        (
            lambda r: r["request"]["object"]["metadata"]["annotations"].update(
                {"airlock.dev/models": 5}
            ),
            "annotations must map strings",
        ),
        (lambda r: r["request"]["kind"].update(kind="Service"), "not supported"),
        (lambda r: r["request"]["object"].pop("spec"), "spec missing"),
        (lambda r: r["request"].update(object="x"), "not an object"),
    ]
    for mutate, reason in cases:
        bad = json.loads(json.dumps(good))
        mutate(bad)
        answer = webhook.review(bad)
        assert answer["allowed"] is False and reason in answer["status"]["message"], reason
    huge = json.dumps(good).encode() + b" " * (4 * 1024 * 1024)
    answer = webhook.review(huge)
    assert answer["allowed"] is False and "malformed" in answer["status"]["message"]


def _any_kind(kind: str, digest: str) -> dict[str, Any]:
    if kind == "InferenceService":
        return review(inference_service(f"s3://models/{digest[:12]}"))
    return review(workload(kind, _models(f"{MODEL}@sha256:{digest}")))


def test_registry_down_fails_closed_or_open(webhook_at: WebhookFactory) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with webhook_at(dead) as hook:
        for kind in ALL_KINDS:
            answer = hook.review(_any_kind(kind, "ab" * 32))
            assert answer["allowed"] is False, kind
            assert "registry unavailable" in answer["status"]["message"]
            assert "cannot reach the registry" in answer["status"]["message"]
        assert hook.http.get("/readyz").status_code == 503
    with webhook_at(dead, modes=Modes(fail_open=True)) as hook:
        for kind in ALL_KINDS:
            answer = hook.review(_any_kind(kind, "ab" * 32))
            assert answer["allowed"] is True, kind
            assert any("fail-open" in w and "would deny" in w for w in answer["warnings"])


def test_registry_slow_fails_closed(webhook_at: WebhookFactory) -> None:
    with slow_server(30) as slow, webhook_at(slow, registry_timeout=0.3) as hook:
        for kind in ALL_KINDS:
            answer = hook.review(_any_kind(kind, "cd" * 32))
            assert answer["allowed"] is False, kind
            assert "registry unavailable" in answer["status"]["message"]
            # the registry timeout (0.3 s) or, on a starved machine, the review deadline (1.5 s)
            message = answer["status"]["message"]
            assert "in time" in message or "no registry answer within" in message


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_malformed_object_of_every_kind(kind: str, webhook: Webhook) -> None:
    payload = _any_kind(kind, "ef" * 32)
    obj = payload["request"]["object"]
    if kind == "InferenceService":
        obj["spec"]["predictor"]["model"]["storageUri"] = "not a uri"
    elif kind == "Pod":
        obj["spec"] = []
    else:
        path = rv_template_path(kind)
        node = obj
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = "not a template"
    answer = webhook.review(payload)
    assert answer["allowed"] is False
    assert "malformed review" in answer["status"]["message"] and kind in answer["status"]["message"]


def rv_template_path(kind: str) -> tuple[str, ...]:
    from airlock.admission.review import TEMPLATE_KINDS

    return TEMPLATE_KINDS[kind]


def test_revocation_reaches_admission_within_the_documented_delay(
    registry: Registry, webhook: Webhook
) -> None:
    digest = registry.approved()
    payload = review(workload("Deployment", _models(f"{MODEL}@sha256:{digest}")))
    assert webhook.review(payload)["allowed"] is True
    assert webhook.review(payload)["allowed"] is True  # now answered from the cache
    registry.revoke(digest)
    time.sleep(0.5)  # the configured --max-staleness: the bound, by construction
    answer = webhook.review(payload)
    assert answer["allowed"] is False and "revoked" in answer["status"]["message"]
    # the follower empties the cache when it reads the revocation; on a loaded machine it may
    # read it after the review above (which then asked the registry itself), so wait for it
    for _ in range(300):
        cache = webhook.http.get("/readyz").json()["cache"]
        if cache["invalidations"] >= 1:
            break
        time.sleep(0.1)
    # every review was counted, from the cache or not (whether the second one was a hit
    # depends on the follower having run in the last max-staleness, i.e. on machine load)
    assert cache["invalidations"] >= 1 and cache["hits"] + cache["misses"] >= 3


def test_warn_only_mode_allows_with_warnings(
    registry: Registry, webhook_at: WebhookFactory
) -> None:
    submitted = registry.submit()
    with webhook_at(registry.url, registry.token, modes=Modes(warn_only=True)) as hook:
        hook.wait_ready()
        answer = hook.review(review(workload("Job", _models(f"{MODEL}@sha256:{submitted}"))))
        assert answer["allowed"] is True
        assert any("warn-only" in w and "not approved" in w for w in answer["warnings"])


def test_require_models(registry: Registry, webhook_at: WebhookFactory) -> None:
    with webhook_at(registry.url, registry.token, modes=Modes(require_models=True)) as hook:
        hook.wait_ready()
        answer = hook.review(review(workload("Pod", None)))
        assert answer["allowed"] is False and "names no model" in answer["status"]["message"]


def test_decisions_reach_the_audit_chain(registry: Registry, webhook_at: WebhookFactory) -> None:
    digest = registry.approved()
    name = f"audited-{digest[:8]}"
    with webhook_at(registry.url, registry.token) as hook:
        hook.wait_ready()
        allow = hook.review(
            review(workload("Deployment", _models(f"{MODEL}@sha256:{digest}"), name))
        )
        deny = hook.review(review(workload("Pod", _models(f"{MODEL}@sha256:{'ef' * 32}"), name)))
        assert allow["allowed"] and not deny["allowed"]
        hook.review(b"garbage")
    # the webhook flushed its spool on shutdown (and every 0.1 s before)
    events = _admission_events(registry)
    mine = [e for e in events if e["payload"]["name"] == name]
    assert [e["action"] for e in mine] == ["admission.allow", "admission.deny"]
    assert mine[0]["subject"] == f"ml/Deployment/{name}"
    assert mine[0]["payload"]["models"] == [f"{MODEL}@sha256:{digest}"]
    assert "not registered" in mine[1]["payload"]["reason"]
    assert any("malformed" in e["payload"]["reason"] for e in events)
    assert registry.store.audit_verify().ok


def test_spooled_decisions_survive_an_outage_and_a_restart(
    registry: Registry, webhook_at: WebhookFactory, tmp_path: Any
) -> None:
    spool = tmp_path / "outage-spool"
    name = "during-outage"
    with webhook_at(f"http://127.0.0.1:{free_port()}", spool_dir=spool) as hook:
        for _ in range(3):
            answer = hook.review(
                review(workload("Pod", _models(f"{MODEL}@sha256:{'ab' * 32}"), name))
            )
            assert answer["allowed"] is False
    assert list(spool.glob("*.jsonl")), "decisions were not kept on disk"
    assert not [e for e in _admission_events(registry) if e["payload"]["name"] == name]
    with webhook_at(registry.url, registry.token, spool_dir=spool) as hook:
        hook.wait_ready()
        deadline = time.monotonic() + 10
        while list(spool.glob("*.jsonl")) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not list(spool.glob("*.jsonl"))
    mine = [e for e in _admission_events(registry) if e["payload"]["name"] == name]
    assert len(mine) == 3 and len({e["payload"]["id"] for e in mine}) == 3


def _admission_events(registry: Registry) -> list[dict[str, Any]]:
    out, after = [], 0
    while True:
        batch = registry.store.audit_events(after=after, limit=1000)
        if not batch:
            return [e for e in out if e["action"].startswith("admission.")]
        out.extend(e.to_json() for e in batch)
        after = batch[-1].seq


def test_mutating_webhook_injects_verifier(registry: Registry, webhook: Webhook) -> None:
    digest = registry.approved()
    notes = {
        **_models(f"{MODEL}@sha256:{digest}"),
        "airlock.dev/model-mounts": f"{MODEL}=model/llama",
    }
    payload = review(workload("Pod", notes))
    answer = webhook.review(payload, "/mutate")
    assert answer["allowed"] is True and answer["patchType"] == "JSONPatch"
    patch = json.loads(base64.b64decode(answer["patch"]))
    assert patch[0]["op"] == "add" and patch[0]["path"] == "/spec/initContainers"
    container = patch[0]["value"][0]
    assert container["command"] == [
        "airlock",
        "verify",
        "/airlock/models/0/llama",
        "--digest",
        digest,
    ]
    assert container["volumeMounts"] == [
        {"name": "model", "mountPath": "/airlock/models/0", "readOnly": True}
    ]
    assert container["securityContext"]["runAsNonRoot"] is True
    # Re-invoked with the container present: no second copy.
    payload["request"]["object"]["spec"]["initContainers"] = patch[0]["value"]
    again = webhook.review(payload, "/mutate")
    assert again["allowed"] is True and "patch" not in again
    # A pod without the annotation is left alone; a bad volume is refused.
    assert "patch" not in webhook.review(review(workload("Pod", None)), "/mutate")
    notes["airlock.dev/model-mounts"] = f"{MODEL}=nosuchvolume"
    answer = webhook.review(review(workload("Pod", notes)), "/mutate")
    assert answer["allowed"] is False and "no volume" in answer["status"]["message"]


def test_plain_http_and_untrusted_ca_are_refused(webhook: Webhook) -> None:
    with pytest.raises(httpx.HTTPError):
        httpx.post(webhook.url.replace("https://", "http://") + "/validate", json={}, timeout=5)
    with pytest.raises(httpx.ConnectError):
        httpx.post(webhook.url + "/validate", json={}, timeout=5)  # system CAs do not know it


def test_the_injected_command_verifies_the_mounted_model(tmp_path: Any, cli) -> None:  # type: ignore[no-untyped-def]
    """What the init container runs: exit 0 for the approved bytes, 1 for anything else."""
    import shutil
    from pathlib import Path

    from airlock.admission.mutate import verify_containers
    from airlock.admission.review import parse_review
    from airlock.provenance.hashing import hash_model

    model = tmp_path / "volume" / "llama"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "sample-model", model)
    root = hash_model(model).root_digest
    notes = {
        **_models(f"{MODEL}@sha256:{root}"),
        "airlock.dev/model-mounts": f"{MODEL}=model/llama",
    }
    w = parse_review(json.dumps(review(workload("Pod", notes))).encode())
    command = verify_containers(w, "airlock:test")[0]["command"]
    assert command[:2] == ["airlock", "verify"]
    # the volume is mounted at /airlock/models/0: run the same command against our copy
    args = [a.replace("/airlock/models/0", str(tmp_path / "volume")) for a in command[1:]]
    proc = cli(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (model / "config.json").write_text('{"tampered": true}')
    proc = cli(*args)
    assert proc.returncode == 1
