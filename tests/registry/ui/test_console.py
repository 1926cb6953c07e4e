"""The review console over HTTP (no browser): sessions, CSRF, scopes, escaping, pages, diffs."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from airlock.cli import register
from airlock.registry.api import create_app
from airlock.registry.statements import sign_decision
from airlock.registry.ui.session import Sealer

from .conftest import BASE, login
from .seed import (
    FILE_PAYLOAD,
    MODEL,
    PASSPHRASE,
    PAYLOADS,
    SCRIPT_FILE_PAYLOAD,
    TEMPLATE_PAYLOAD,
    Seeded,
)


class _Audit(HTMLParser):
    """Collects what a strict CSP would refuse: inline scripts, handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.inline_scripts += 1
        for k, v in attrs:
            if k.startswith("on"):
                self.handlers.append(f"{tag}.{k}")
            url = (v or "").strip().lower()
            if k in ("href", "src", "action") and url.startswith("javascript"):
                self.js_urls.append(v or "")


def _pages(s: Seeded) -> list[str]:
    return [
        "/ui/",
        "/ui/?state=submitted",
        f"/ui/?q={s.v2[:10]}",
        f"/ui/versions/{s.v1}",
        f"/ui/versions/{s.v2}",
        f"/ui/versions/{s.v2}?against={s.v1}",
        f"/ui/versions/{s.v3}",
        "/ui/advisories",
        "/ui/audit",
        "/ui/audit?verify=1",
    ]


def test_pages_need_a_session(sqlite_client: TestClient, seeded_sqlite: Seeded) -> None:
    client, seeded = sqlite_client, seeded_sqlite
    resp = client.get(f"/ui/versions/{seeded.v2}", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/ui/login?next=/ui/versions/")
    # A forged or foreign session cookie is no session.
    client.cookies.set("airlock_session", "A" * 200, path="/ui")
    assert client.get("/ui/", follow_redirects=False).status_code == 303
    other, _ = Sealer(b"k" * 32).seal(seeded.reviewer_token)
    client.cookies.set("airlock_session", other, path="/ui")
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_login_sets_a_strict_httponly_cookie_and_refuses_bad_tokens(
    sqlite_client: TestClient, seeded_sqlite: Seeded
) -> None:
    client, seeded = sqlite_client, seeded_sqlite
    client.get("/ui/login")
    nonce = client.cookies.get("airlock_login")
    bad = client.post("/ui/login", data={"token": "alk_nope", "csrf": nonce})
    assert bad.status_code == 401 and "invalid or revoked token" in bad.text
    # Login CSRF: without the login page's nonce, or from another site, nothing happens.
    no_nonce = client.post("/ui/login", data={"token": seeded.reviewer_token, "csrf": "x"})
    assert no_nonce.status_code == 403
    client.get("/ui/login")
    nonce = client.cookies.get("airlock_login")
    foreign = client.post("/ui/login", data={"token": seeded.reviewer_token, "csrf": nonce},
                          headers={"Origin": "https://evil.example"})  # fmt: skip
    assert foreign.status_code == 403
    ok = client.post("/ui/login", data={"token": seeded.reviewer_token, "csrf": nonce,
                                        "next": "https://evil.example/"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == "/ui/"
    cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith("airlock_session="))
    flags = {p.strip().lower() for p in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui"} <= flags
    assert "secure" not in flags  # plain HTTP here; see the TLS test
    assert seeded.reviewer_token not in cookie  # sealed, not readable
    assert client.get("/ui/").status_code == 200


def test_cookie_is_secure_over_tls(seeded_sqlite: Seeded) -> None:
    seeded = seeded_sqlite
    with TestClient(create_app(seeded.store), base_url="https://127.0.0.1") as c:
        c.get("/ui/login")
        nonce = c.cookies.get("airlock_login")
        ok = c.post("/ui/login", data={"token": seeded.reviewer_token, "csrf": nonce},
                    follow_redirects=False)  # fmt: skip
        cookie = next(x for x in ok.headers.get_list("set-cookie") if "airlock_session=" in x)
        assert "secure" in cookie.lower()


def test_revoked_token_ends_the_session(sqlite_client: TestClient, seeded_sqlite: Seeded) -> None:
    client, seeded = sqlite_client, seeded_sqlite
    login(client, seeded.reviewer_token)
    assert client.get("/ui/").status_code == 200
    token_id = seeded.reviewer_token.split("_")[1]
    seeded.store.revoke_token(token_id, actor="token:admin")
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_every_page_is_csp_strict_and_renders_payloads_as_text(
    client: TestClient, seeded: Seeded
) -> None:
    login(client, seeded.reviewer_token)
    for path in _pages(seeded):
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.text[:300])
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        audit = _Audit()
        audit.feed(resp.text)
        assert audit.inline_scripts == 0, path
        assert audit.handlers == [], (path, audit.handlers)
        assert audit.js_urls == [], (path, audit.js_urls)
        assert "iframe" not in audit.tags and "img" not in audit.tags, path
        for payload in (*PAYLOADS, FILE_PAYLOAD, SCRIPT_FILE_PAYLOAD, TEMPLATE_PAYLOAD):
            assert payload not in resp.text, (path, payload)
    review = client.get(f"/ui/versions/{seeded.v2}").text
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], FILE_PAYLOAD, SCRIPT_FILE_PAYLOAD):
        assert str(escape(payload)) in review, payload


def test_review_page_groups_findings_and_diffs_against_the_last_approved(
    client: TestClient, seeded: Seeded
) -> None:
    login(client, seeded.reviewer_token)
    page = client.get(f"/ui/versions/{seeded.v2}").text
    assert 'id="not-scanned"' in page and "NOT scanned" in page
    # Severity groups in order, each finding under its file.
    assert page.index("critical · 1") < page.index("high · 1") < page.index("low · 1")
    assert "AIR-PKL-001" in page and "AIR-JINJA-002" in page
    # Diff against v1 (the approved baseline): files, tensors, config and chat template.
    assert f"/ui/versions/{seeded.v1}" in page
    assert "2 added, 0 removed, 3 changed" in page
    assert "model.safetensors:lm_head.weight" in page
    assert "F32 [8, 4]" in page and "F32 [16, 4]" in page
    assert "tokenizer_config.json:chat_template" in page
    assert '+  &#34;vocab_size&#34;: 16' in page
    # The signed check verdict with its trojan and data steps, and the OMS-free provenance.
    assert "trojan" in page and "data-leak" in page and "v-deny" in page
    assert "No OMS signature attached." in page
    # Policy: what is missing (one approval).
    assert "Still missing" in page
    # The decide box binds the statement to this version's state record.
    record = seeded.store.get_version(seeded.v2).record
    assert f'data-record="{record}"' in page and 'data-state="submitted"' in page


def test_decisions_need_the_csrf_token_and_the_approve_scope(
    client: TestClient, seeded: Seeded, tmp_path: Path
) -> None:
    from airlock.provenance.keys import load_private_key

    key = load_private_key(seeded.alice_key, PASSPHRASE.encode())
    record = seeded.store.get_version(seeded.v2).record
    envelope = sign_decision("approve", seeded.v2, MODEL, key, record=record)
    url = f"/ui/versions/{seeded.v2}/decisions"
    body = json.dumps({"envelope": envelope})
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}

    # Not logged in: 401, nothing recorded.
    assert client.post(url, content=body, headers=json_headers).status_code == 401
    login(client, seeded.reader_token)
    page = client.get(f"/ui/versions/{seeded.v2}").text
    assert 'id="decide"' not in page  # a read token sees no decide box...
    csrf = _csrf(page)
    denied = client.post(url, content=body, headers={**json_headers, "X-CSRF-Token": csrf})
    assert denied.status_code == 403 and "approve" in denied.text  # ...and cannot decide
    form = {"csrf": csrf, "id": "X-1", "severity": "low", "versions": seeded.v2, "description": "d"}
    advise = client.post("/ui/advisories", data=form)
    assert advise.status_code == 403

    client.cookies.clear()
    login(client, seeded.reviewer_token)
    csrf = _csrf(client.get(f"/ui/versions/{seeded.v2}").text)
    for headers in (
        json_headers,  # no token
        {**json_headers, "X-CSRF-Token": "wrong"},
        {**json_headers, "X-CSRF-Token": csrf, "Origin": "https://evil.example"},
        {**json_headers, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"},
    ):
        assert client.post(url, content=body, headers=headers).status_code == 403
    form = client.post(url, data={"envelope": json.dumps(envelope)})  # pasted form, no csrf
    assert form.status_code == 403
    assert seeded.store.get_version(seeded.v2).state == "submitted"
    assert not seeded.store.get_version(seeded.v2).decisions
    bad_logout = client.post("/ui/logout", data={"csrf": "wrong"})
    assert bad_logout.status_code == 403

    ok = client.post(url, content=body, headers={**json_headers, "X-CSRF-Token": csrf})
    assert ok.status_code == 201, ok.text
    assert ok.json()["state"] == "approved" and ok.json()["approver"] == "alice"
    # The same statement again is a replay, refused by the store's own check.
    again = client.post(url, content=body, headers={**json_headers, "X-CSRF-Token": csrf})
    assert again.status_code == 409
    # A statement for another version posted here is refused before the store sees it.
    other = client.post(f"/ui/versions/{seeded.v3}/decisions", content=body,
                        headers={**json_headers, "X-CSRF-Token": csrf})  # fmt: skip
    assert other.status_code == 400


def test_pasted_statement_from_cli_sign_only(seeded_sqlite: Seeded) -> None:
    seeded = seeded_sqlite  # the CLI opens the database by URL: the SQLite file
    client = TestClient(create_app(seeded.store), base_url=BASE)
    db = str(seeded.store.engine.url)
    runner = CliRunner()
    result = runner.invoke(
        register(),
        ["registry", "reject", seeded.v3, "--key", str(seeded.bob_key), "--reason",
         PAYLOADS[0], "--sign-only", "--database", db],
        env={"AIRLOCK_KEY_PASSPHRASE": PASSPHRASE, "AIRLOCK_REGISTRY_URL": ""},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    envelope = json.loads(result.stdout)
    assert seeded.store.get_version(seeded.v3).state == "submitted"  # only signed
    login(client, seeded.reviewer_token)
    csrf = _csrf(client.get(f"/ui/versions/{seeded.v3}").text)
    resp = client.post(f"/ui/versions/{seeded.v3}/decisions",
                       data={"csrf": csrf, "envelope": json.dumps(envelope)},
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    v3 = seeded.store.get_version(seeded.v3)
    assert v3.state == "rejected" and v3.decisions[0].approver == "bob"
    page = client.get(f"/ui/versions/{seeded.v3}").text
    assert PAYLOADS[0] not in page and str(escape(PAYLOADS[0])) in page
    broken = client.post(f"/ui/versions/{seeded.v3}/decisions",
                         data={"csrf": csrf, "envelope": "{not json"})  # fmt: skip
    assert broken.status_code == 400 and "not JSON" in broken.text


def test_catalogue_search_filters_and_audit_export(client: TestClient, seeded: Seeded) -> None:
    login(client, seeded.reviewer_token)
    everything = client.get("/ui/").text
    assert seeded.v1[:12] in everything and seeded.v3[:12] in everything
    only_other = client.get("/ui/?q=org/other").text
    assert seeded.v3[:12] in only_other and seeded.v1[:12] not in only_other
    by_digest = client.get(f"/ui/?q={seeded.v2[:8]}").text
    assert seeded.v2[:12] in by_digest and seeded.v3[:12] not in by_digest
    queue = client.get("/ui/?state=submitted").text
    assert "Review queue" in queue and seeded.v1[:12] not in queue and seeded.v2[:12] in queue
    assert client.get("/ui/?q=%25").status_code == 200  # LIKE wildcards are literal
    export = client.get("/ui/audit/export")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    lines = [json.loads(x) for x in export.text.splitlines()]
    assert lines[-1]["verification"]["ok"] is True
    assert [e["seq"] for e in lines[:-1]] == list(range(1, len(lines)))
    audit = client.get("/ui/audit").text
    assert 'id="chain-status" class="ok"' in audit


def test_advisory_from_the_console_and_affected_deployments(
    client: TestClient, seeded: Seeded
) -> None:
    login(client, seeded.reviewer_token)
    page = client.get("/ui/advisories").text
    assert 'id="none-affected"' in page  # v2 is deployed but neither revoked nor advised
    csrf = _csrf(page)
    resp = client.post("/ui/advisories", data={"csrf": csrf, "id": "AIR-2026-9",
                                               "severity": "high", "versions": seeded.v2,
                                               "description": PAYLOADS[1]},
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    page = client.get("/ui/advisories").text
    assert 'id="affected-table"' in page and "prod/web" in page and "AIR-2026-9" in page
    assert PAYLOADS[1] not in page


@pytest.mark.parametrize("path", ["/ui/static/../api.py", "/ui/static/x.py", "/ui/static/nope.js"])
def test_static_serves_only_its_own_assets(sqlite_client: TestClient, path: str) -> None:
    assert sqlite_client.get(path).status_code == 404


def _csrf(page: str) -> str:
    marker = '<meta name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_audit_page_reports_a_tampered_chain(client: TestClient, seeded: Seeded) -> None:
    from sqlalchemy import text

    login(client, seeded.reviewer_token)
    assert 'class="ok"' in client.get("/ui/audit").text  # small chain: walked on first view
    seeded.store.deploy("api", "staging", seeded.v1, actor="token:publisher")  # after the walk
    head = seeded.store.audit_head().seq
    with seeded.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = :s"), {"s": head})
    tail = client.get("/ui/audit").text
    assert "do NOT check out" in tail and f"event {head} (deployment.record) was modified" in tail
    with seeded.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET subject = 'x' WHERE seq = 2"))
    walked = client.get("/ui/audit?verify=1").text
    assert "Chain BROKEN" in walked and "event 2 " in walked


def test_session_cookie_is_sealed_and_expires() -> None:
    sealer = Sealer(b"s" * 32)
    cookie, data = sealer.seal("alk_token", now=1000.0)
    assert "alk_token" not in cookie
    opened = sealer.open(cookie, now=1001.0)
    assert opened is not None and opened.token == "alk_token" and opened.csrf == data.csrf
    assert sealer.open(cookie, now=data.expires + 1.0) is None  # expired
    flipped = cookie[:-2] + ("A" if cookie[-2] != "A" else "B") + cookie[-1]
    assert sealer.open(flipped, now=1001.0) is None  # tampered
    assert Sealer(b"t" * 32).open(cookie, now=1001.0) is None  # another server's key
    assert sealer.open("", now=1001.0) is None and sealer.open("x" * 5000) is None


def test_a_scan_report_too_large_to_show_is_said_so(
    sqlite_client: TestClient, seeded_sqlite: Seeded
) -> None:
    client, seeded = sqlite_client, seeded_sqlite
    finding = {"rule_id": "AIR-X-1", "severity": "high", "title": "t", "location": "weights.bin",
               "evidence": "e" * (5 << 20), "why": ""}  # fmt: skip
    big = {"schema": "airlock.scan-report/v1", "root_digest": seeded.v3, "objects": [],
           "findings": [finding]}  # fmt: skip
    seeded.store.attach_scan_report(seeded.v3, big, actor="token:publisher")
    login(client, seeded.reviewer_token)
    page = client.get(f"/ui/versions/{seeded.v3}").text
    assert 'id="unreadable-scan"' in page and "e" * 1000 not in page
