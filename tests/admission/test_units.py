"""Pure parts: review parsing (property tests), judging, the cache's staleness bound, the spool."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.admission import review as rv
from airlock.admission.cache import RegistryView
from airlock.admission.decide import Answer, Location, Modes, Unavailable, judge
from airlock.admission.spool import SEGMENT_EVENTS, Spool

from .k8s import review, workload

DIGEST = "ab" * 32
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_is_parsed_or_refused_with_a_reason(value: Any) -> None:
    body = json.dumps(value).encode()
    try:
        rv.parse_review(body)
    except rv.ReviewError as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_real_reviews_never_crash(data: st.DataObject) -> None:
    base = review(workload("Deployment", {"airlock.dev/models": f"org/m@sha256:{DIGEST}"}))
    paths = [
        ("request",),
        ("request", "object"),
        ("request", "object", "spec"),
        ("request", "object", "spec", "template"),
        ("request", "object", "metadata"),
        ("request", "object", "spec", "template", "metadata"),
        ("request", "kind"),
    ]
    path = data.draw(st.sampled_from(paths))
    node = base
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(JSON)
    try:
        w = rv.parse_review(json.dumps(base).encode())
    except rv.ReviewError:
        return
    assert all(len(r.digest) == 64 for r in w.refs)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_model_annotations(text: str) -> None:
    try:
        refs = rv.parse_refs(text, "a")
    except rv.ReviewError:
        return
    assert 1 <= len(refs) <= rv.MAX_MODELS
    for r in refs:
        assert len(r.digest) == 64 and f"{r.name}@sha256:{r.digest}" in text


def test_template_and_object_annotations_must_agree() -> None:
    r = review(workload("Deployment", {"airlock.dev/models": f"a@sha256:{DIGEST}"}))
    r["request"]["object"]["metadata"]["annotations"] = {"airlock.dev/models": f"b@sha256:{DIGEST}"}
    try:
        rv.parse_review(json.dumps(r).encode())
    except rv.ReviewError as exc:
        assert "differs" in str(exc)
    else:
        raise AssertionError("disagreeing annotations were accepted")


def test_judge() -> None:
    w = rv.parse_review(
        json.dumps(
            review(workload("Pod", {"airlock.dev/models": f"org/m@sha256:{DIGEST}"}))
        ).encode()
    )
    ok = Answer(True, "org/m", "approved")
    assert judge(w, {DIGEST: ok}, {}).allowed
    out = judge(
        w, {DIGEST: Answer(False, "org/m", "revoked", ("version is revoked, not approved",))}, {}
    )
    assert not out.allowed and "revoked" in out.message and not out.unavailable
    down = judge(w, {DIGEST: Unavailable("x")}, {})
    assert not down.allowed and down.unavailable
    assert judge(w, {DIGEST: Unavailable("x")}, {}, Modes(fail_open=True)).allowed
    # fail-open never turns a real denial into an allow
    assert not judge(
        w, {DIGEST: Answer(False, "org/m", "submitted")}, {}, Modes(fail_open=True)
    ).allowed
    assert judge(w, {}, {}).allowed is False  # no answer at all is not an allow


def test_an_object_being_deleted_is_let_through_whatever_its_models() -> None:
    """After a revocation the clean-up must go through: a controller removing a finalizer sends
    an UPDATE of the terminating pod, which naming a revoked model got refused (stuck in
    Terminating). Without the deletion timestamp the same UPDATE is still judged."""
    revoked = {DIGEST: Answer(False, "org/m", "revoked", ("version is revoked",))}
    body = review(workload("Pod", {"airlock.dev/models": f"org/m@sha256:{DIGEST}"}),
                  operation="UPDATE")  # fmt: skip
    live = rv.parse_review(json.dumps(body).encode())
    assert not live.terminating and not judge(live, revoked, {}).allowed
    body["request"]["object"]["metadata"]["deletionTimestamp"] = "2026-12-07T19:00:00Z"
    gone = rv.parse_review(json.dumps(body).encode())
    assert gone.terminating
    assert judge(gone, revoked, {}).allowed
    assert judge(gone, {DIGEST: Unavailable("down")}, {}).allowed
    # a CREATE carrying a deletion timestamp is no deletion: still judged
    body["request"]["operation"] = "CREATE"
    made = rv.parse_review(json.dumps(body).encode())
    assert not made.terminating and not judge(made, revoked, {}).allowed


class FakeRegistry:
    def __init__(self) -> None:
        self.allow = True
        self.seq = 10
        self.events: list[dict[str, Any]] = []
        self.up = True
        self.checks = 0
        self.generation = 0  # a new value: the log rewritten (head hashes differ)

    async def check(self, digest: str) -> Answer:
        if not self.up:
            raise Unavailable("down")
        self.checks += 1
        return Answer(self.allow, "org/m", "approved" if self.allow else "revoked")

    async def resolve(self, uri: str) -> Location:
        return Location(DIGEST, "org/m")

    async def head(self) -> tuple[int, str]:
        if not self.up:
            raise Unavailable("down")
        seq = max([self.seq, *(e["seq"] for e in self.events)])
        return seq, f"{self.generation}-{seq}"

    async def events_after(self, seq: int, limit: int = 1000) -> list[dict[str, Any]]:
        if not self.up:
            raise Unavailable("down")
        return [
            e
            for e in self.events
            if e["seq"] > seq and not str(e["action"]).startswith("admission.")
        ]


def test_cache_serves_only_within_the_staleness_bound() -> None:
    now = [0.0]
    reg = FakeRegistry()
    view = RegistryView(reg, refresh=1, max_staleness=5, clock=lambda: now[0])  # type: ignore[arg-type]

    async def scenario() -> None:
        assert not view.fresh()
        await view.sync_once()
        assert (await view.answers([DIGEST]))[DIGEST].allow  # type: ignore[union-attr]
        await view.answers([DIGEST])
        assert reg.checks == 1  # second answer from the cache
        # The registry revokes; the webhook's own audit events do not empty the cache.
        reg.allow = False
        reg.events.append({"seq": 11, "action": "admission.allow"})
        now[0] = 1
        await view.sync_once()
        assert (await view.answers([DIGEST]))[DIGEST].allow  # type: ignore[union-attr]
        reg.events.append({"seq": 12, "action": "version.revoke"})
        await view.sync_once()
        assert not (await view.answers([DIGEST]))[DIGEST].allow  # type: ignore[union-attr]
        # Follower cut off: past the bound the cache is not used, every review asks the registry.
        reg.allow = True
        reg.up = False
        now[0] = 7
        answer = (await view.answers([DIGEST]))[DIGEST]
        assert isinstance(answer, Unavailable)

    asyncio.run(scenario())


def _cached_allow(view: RegistryView) -> bool:
    hit = view.cached_answers([DIGEST])
    return hit is not None and bool(getattr(hit[DIGEST], "allow", False))


def test_cache_ends_with_each_event_that_can_change_an_answer() -> None:
    """Session 20 (reg21): the webhook's answer cache (the fleet's view of the registry)
    empties on a revocation, an advisory, a policy, key, attestation or location change,
    an action it does not know (fail closed), never on the quiet ones."""
    reg = FakeRegistry()
    view = RegistryView(reg, refresh=1, max_staleness=5, clock=lambda: 0.0)  # type: ignore[arg-type]
    loud = [
        "version.revoke",
        "advisory.publish",
        "policy.set",
        "key.revoke",
        "key.add",
        "attestation.check",
        "location.set",
        "version.baseline",
        "something.new",
        None,
    ]
    quiet = ["admission.allow", "deployment.record", "token.create", "decision.refused",
             "attestation.refused", "version.submit"]  # fmt: skip

    async def scenario() -> None:
        await view.sync_once()
        seq = 10
        for action in quiet + loud:
            await view.answers([DIGEST])
            assert _cached_allow(view)
            seq += 1
            reg.events.append({"seq": seq, "action": action})
            await view.sync_once()
            assert _cached_allow(view) is (action in quiet), action

    asyncio.run(scenario())


def test_cache_ends_when_the_log_goes_back_or_is_rewritten() -> None:
    """Tamper: a registry whose head moved back (a restored or swapped database), or whose
    log was rewritten at the same length (same sequence number, another head hash: on main
    the cached answers stayed), and an answer fetched while the registry changed."""
    reg = FakeRegistry()
    view = RegistryView(reg, refresh=1, max_staleness=5, clock=lambda: 0.0)  # type: ignore[arg-type]

    async def scenario() -> None:
        await view.sync_once()
        await view.answers([DIGEST])
        reg.seq = 5  # moved back
        await view.sync_once()
        assert not _cached_allow(view)
        await view.answers([DIGEST])
        reg.generation = 1  # same length, rewritten
        await view.sync_once()
        assert not _cached_allow(view), "cached answers survived a rewritten log"
        await view.answers([DIGEST])
        await view.sync_once()  # nothing changed: kept
        assert _cached_allow(view)

        view.invalidate()
        real = reg.check

        async def slow(digest: str) -> Answer:
            answer = await real(digest)
            reg.events.append({"seq": 99, "action": "version.revoke"})
            await view.sync_once()  # the revocation lands while the answer is on its way
            return answer

        reg.check = slow  # type: ignore[method-assign]
        await view.answers([DIGEST])
        assert view.cached_answers([DIGEST]) is None  # not kept: asked again next time

    asyncio.run(scenario())


def test_spool_segments_and_restart(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for i in range(SEGMENT_EVENTS + 5):
        spool.add({"id": str(i)})
    assert spool.backlog == SEGMENT_EVENTS + 5
    reopened = Spool(tmp_path)  # as after a crash: nothing acknowledged yet
    assert reopened.backlog == SEGMENT_EVENTS + 5
    segments = spool.ready()
    assert len(segments) == 2 and len(Spool.read(segments[0])) == SEGMENT_EVENTS
    for seg in segments:
        spool.done(seg)
    assert spool.backlog == 0 and not list(tmp_path.glob("*.jsonl"))
    (tmp_path / "000000000009.jsonl").write_bytes(b'{"id": "a"}\n{"id": "tor')
    assert [json.loads(e)["id"] for e in Spool.read(tmp_path / "000000000009.jsonl")] == ["a"]


def test_a_decision_that_cannot_be_recorded_is_not_an_allow(tmp_path: Path) -> None:
    from airlock.admission.server import App, Settings, Webhook

    reg = FakeRegistry()
    hook = Webhook(Settings("http://registry", tmp_path / "spool"), reg)  # type: ignore[arg-type]
    body = json.dumps(
        review(workload("Pod", {"airlock.dev/models": f"org/m@sha256:{DIGEST}"}))
    ).encode()

    def full(_event: Any) -> None:
        raise OSError(28, "No space left on device")

    async def scenario() -> None:
        await hook.view.sync_once()
        assert (await hook.validate(body))["response"]["allowed"] is True
        hook.spool.add = full  # type: ignore[method-assign]
        answer = (await hook.validate(body))["response"]
        assert answer["allowed"] is False and "cannot be recorded" in answer["status"]["message"]
        assert hook.unrecorded == 1

    asyncio.run(scenario())

    # A handler that blows up answers a denial, never an HTTP 500, on both paths.
    app = App(Settings("http://registry", tmp_path / "spool2"), reg)  # type: ignore[arg-type]

    def boom(_body: bytes) -> dict[str, Any]:
        raise RuntimeError("bug")

    async def slow_boom(_body: bytes) -> dict[str, Any]:
        raise RuntimeError("bug")

    app.hook.validate_now = boom  # type: ignore[assignment,method-assign]
    app.hook.validate = slow_boom  # type: ignore[method-assign]
    fast = app.fast(b"POST", b"/validate", body)
    slow = asyncio.run(app.slow(b"POST", b"/validate", body))
    for answer in (fast, slow):
        assert answer is not None and answer[0] == 200
        resp = json.loads(answer[1])["response"]
        assert (
            resp["allowed"] is False
            and "internal error (RuntimeError)" in resp["status"]["message"]
        )
        assert resp["uid"] == json.loads(body)["request"]["uid"]


def test_serve_says_where_it_listens_and_whether_it_has_a_token(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """``admission serve`` printed nothing at start: a missing token showed only as a
    'follow failed' warning a second later."""
    from typer.testing import CliRunner

    from airlock.admission import server
    from airlock.cli import register

    from .servers import free_port, make_tls

    tls = make_tls(tmp_path)
    seen: list[Any] = []
    monkeypatch.setattr(server, "serve", lambda settings, **kw: seen.append((settings, kw)))
    port = free_port()
    args = ["admission", "serve", "--registry", "http://127.0.0.1:8470", "--tls-cert",
            str(tls.cert), "--tls-key", str(tls.key), "--host", "127.0.0.1", "--port", str(port),
            "--spool", str(tmp_path / "spool"), "--fail-open"]  # fmt: skip
    app = register(("admission",))
    cases = (("", "NO registry token"), ("alk_x_y", "token from AIRLOCK_REGISTRY_TOKEN"))
    for token, says in cases:
        r = CliRunner().invoke(app, args, env={"AIRLOCK_REGISTRY_TOKEN": token})
        assert r.exit_code == 0, r.stderr
        line = r.stderr.splitlines()[0]
        assert line.startswith(f"airlock admission serve: listening on https://127.0.0.1:{port}")
        assert "registry http://127.0.0.1:8470" in line and says in line and "fail-open" in line
        assert "alk_x_y" not in r.stderr
    assert len(seen) == 2
