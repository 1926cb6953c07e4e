"""The review console in a real headless Chromium (Debian's /usr/bin/chromium via Playwright).

Log in with a token, open the review queue, inspect the hostile version (findings, not-scanned,
diff), load the reviewer's encrypted key into WebCrypto (non-extractable), approve with an
in-browser signature the server verifies, revoke it, and see the affected deployment; then the
CLI's ``registry audit verify`` accepts the chain. Every page is checked for payloads that ran
(``window.__pwned``), for payload text shown verbatim, and for CSP violations.

Skipped when Chromium or Playwright is missing, unless ``AIRLOCK_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airlock.cli import register
from airlock.registry.api import create_app

from .seed import FILE_PAYLOAD, PASSPHRASE, PAYLOADS, SCRIPT_FILE_PAYLOAD, Seeded

CHROMIUM = os.environ.get("AIRLOCK_CHROMIUM", "/usr/bin/chromium")
#: Set to a directory to save a screenshot of each page (docs/registry.md shows them).
SHOTS = os.environ.get("AIRLOCK_CONSOLE_SCREENSHOTS")


def _browser_problem() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


_problem = _browser_problem()
if _problem:
    if os.environ.get("AIRLOCK_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"browser tests are required here: {_problem}")
    pytest.skip(_problem, allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright  # noqa: E402


@pytest.fixture
def seeded(seeded_sqlite: Seeded) -> Seeded:
    return seeded_sqlite  # one backend is enough for the browser; test_console covers both


@pytest.fixture
def server(seeded: Seeded) -> Iterator[str]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(create_app(seeded.store), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"  # a secure context: WebCrypto is available
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Console errors (CSP reports show up there) and page errors of one page."""

    def __init__(self, page: Page) -> None:
        self.csp: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            self.csp.append(msg.text)


def _inert(page: Page, watch: Watch) -> None:
    assert page.evaluate("() => window.__pwned") is None, page.url
    injected = "() => document.querySelectorAll('iframe, img, main svg[onload]').length"
    assert page.evaluate(injected) == 0
    assert watch.errors == [], watch.errors
    assert watch.csp == [], watch.csp  # nothing inline was even attempted


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"), full_page=True)


def _login(page: Page, base: str, token: str) -> None:
    page.goto(f"{base}/ui/")
    assert "/ui/login" in page.url
    _shot(page, "login")
    page.fill("#token", token)
    page.click("#login")
    page.wait_for_load_state()
    assert page.url == f"{base}/ui/", (page.url, page.text_content("main"))


def _load_key(page: Page, key: Path) -> str:
    page.set_input_files("#key-file", str(key))
    page.fill("#key-pass", PASSPHRASE)
    page.click("#key-load")
    page.wait_for_function("() => document.getElementById('key-status').dataset.hint")
    status = page.text_content("#key-status") or ""
    assert "non-extractable: true" in status, status
    return status


def _sign(page: Page, button: str, reason: str) -> str:
    page.fill("#reason", reason)
    page.click(button)
    page.wait_for_function(
        "() => /recorded|Refused|failed/.test(document.getElementById('sign-result').textContent)"
    )
    return page.text_content("#sign-result") or ""


def test_review_approve_revoke_in_the_browser(
    browser: Browser, server: str, seeded: Seeded
) -> None:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page)
    _login(page, server, seeded.reviewer_token)
    cookies = {c["name"]: c for c in context.cookies()}
    session = cookies["airlock_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert page.evaluate("() => document.cookie") == ""  # the session is out of the page's reach
    _inert(page, watch)

    page.click("#nav-queue")
    page.wait_for_url("**/ui/?state=submitted")
    assert page.locator("h1").text_content() == "Review queue"
    _shot(page, "queue")
    page.click(f"a[href='/ui/versions/{seeded.v2}']")
    page.wait_for_url(f"**/ui/versions/{seeded.v2}")
    _inert(page, watch)
    assert "NOT scanned" in (page.text_content("#not-scanned") or "")
    findings = page.text_content("#findings") or ""
    assert "AIR-PKL-001" in findings and PAYLOADS[1] in findings  # evidence shown as text
    diff = page.text_content("#diff") or ""
    assert FILE_PAYLOAD in diff and SCRIPT_FILE_PAYLOAD in diff
    assert "model.safetensors:lm_head.weight" in diff and "F32 [16, 4]" in diff
    assert "<script>window.__pwned=12</script>" in diff  # the chat template diff, as text
    assert "Still missing" in (page.text_content("#policy") or "")

    status = _load_key(page, seeded.alice_key)
    assert "ECDSA P-256" in status
    _shot(page, "review")
    result = _sign(page, "#sign-approve", "looks fine " + PAYLOADS[0])
    assert "approve recorded: version is approved" in result, result
    page.wait_for_function("() => !document.getElementById('sign-approve')")
    v = seeded.store.get_version(seeded.v2)
    assert v.state == "approved"
    assert v.decisions[-1].approver == "alice"  # identity from the key, verified server-side
    _inert(page, watch)

    # The key survives navigation (IndexedDB, non-extractable) and signs the revocation.
    page.reload()
    page.wait_for_function("() => document.getElementById('key-status').dataset.hint")
    assert "non-extractable: true" in (page.text_content("#key-status") or "")
    result = _sign(page, "#sign-revoke", "backdoor found")
    assert "revoke recorded: version is revoked" in result, result
    page.wait_for_function("() => !document.getElementById('sign-revoke')")  # page reloaded
    assert seeded.store.get_version(seeded.v2).state == "revoked"

    page.click("a[href='/ui/advisories']")
    page.wait_for_url("**/ui/advisories")
    _inert(page, watch)
    affected = page.text_content("#affected-table") or ""
    _shot(page, "advisories")
    assert "prod/web" in affected and seeded.v2[:12] in affected and "revoked" in affected

    page.click("a[href='/ui/audit']")
    _inert(page, watch)
    assert "Chain verified" in (page.text_content("#chain-status") or "")
    assert "version.revoke" in (page.text_content("#audit-table") or "")
    _shot(page, "audit")

    # Every other page with the hostile text: nothing ran, the text is there verbatim.
    for path in ("/ui/", f"/ui/?q={seeded.v2[:8]}", f"/ui/versions/{seeded.v1}"):
        page.goto(server + path)
        _inert(page, watch)
        if path == "/ui/":
            _shot(page, "catalogue")
    page.goto(f"{server}/ui/versions/{seeded.v2}")
    assert PAYLOADS[0] in (page.text_content(".facts") or "")  # base model field
    _inert(page, watch)

    # The CLI's own verification accepts the chain the browser's decisions extended.
    result_cli = CliRunner().invoke(
        register(),
        ["registry", "audit", "verify", "--database", str(seeded.store.engine.url)],
        env={"AIRLOCK_REGISTRY_URL": ""},
    )
    assert result_cli.exit_code == 0, result_cli.stdout + result_cli.stderr
    page.click("#logout")
    page.wait_for_url("**/ui/login?bye=1")
    assert page.evaluate(_KEY_COUNT) == 0  # a new login starts without the key
    context.close()


_KEY_COUNT = """() => new Promise((resolve) => {
  const req = indexedDB.open('airlock-console', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('keys');
  req.onsuccess = () => {
    const get = req.result.transaction('keys').objectStore('keys').count();
    get.onsuccess = () => resolve(get.result);
  };
})"""


def test_ed25519_reject_and_a_read_token_cannot_sign(
    browser: Browser, server: str, seeded: Seeded
) -> None:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page)
    _login(page, server, seeded.reviewer_token)
    page.goto(f"{server}/ui/versions/{seeded.v3}")
    supported = page.evaluate(
        "async () => { try { await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign']);"
        " return true; } catch (e) { return false; } }"
    )
    if int(browser.version.split(".")[0]) >= 137:  # Ed25519 ships enabled from Chromium 137
        assert supported
    if supported:
        assert "Ed25519" in _load_key(page, seeded.bob_key)
        result = _sign(page, "#sign-reject", "not ours")
        assert "reject recorded: version is rejected" in result, result
        v3 = seeded.store.get_version(seeded.v3)
        assert v3.state == "rejected" and v3.decisions[0].approver == "bob"
    # A wrong passphrase is an error message, not a key.
    page.goto(f"{server}/ui/versions/{seeded.v2}")
    page.set_input_files("#key-file", str(seeded.alice_key))
    page.fill("#key-pass", "wrong")
    page.click("#key-load")
    page.wait_for_function(
        "() => /Could not load/.test(document.getElementById('sign-result').textContent)"
    )
    _inert(page, watch)
    context.close()

    reader = browser.new_context()
    page = reader.new_page()
    _login(page, server, seeded.reader_token)
    page.goto(f"{server}/ui/versions/{seeded.v2}")
    assert page.locator("#decide").count() == 0
    # Even a hand-made request from the page, with the right CSRF token, is refused by scope.
    status = page.evaluate(
        """async (digest) => (await fetch(`/ui/versions/${digest}/decisions`, {method: 'POST',
            headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
                      'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
            body: JSON.stringify({envelope: {}})})).status""",
        seeded.v2,
    )
    assert status == 403
    reader.close()


def test_ecdsa_der_reencoding_matches_python(browser: Browser, server: str) -> None:
    """WebCrypto's r||s re-encoded as DER exactly as ``cryptography`` encodes it, including the
    edge cases a random signature hits rarely (leading zero bytes, high bit set, tiny values)."""
    import random

    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    page = browser.new_page()
    page.goto(f"{server}/ui/login")
    rng = random.Random(18)
    for size in (32, 48):
        top = 1 << (8 * size)
        cases = [(1, 1), (top - 1, top - 1), (0x7F << (8 * size - 8), 0x80 << (8 * size - 8)),
                 (0xFF, 0x80), (1 << (8 * size - 9), (1 << (8 * size - 16)) - 1)]  # fmt: skip
        cases += [(rng.randrange(1, top), rng.randrange(1, top)) for _ in range(40)]
        for r, s in cases:
            raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
            der = page.evaluate("([h, n]) => window.AirlockConsole.p1363ToDerHex(h, n)",
                                [raw.hex(), size])  # fmt: skip
            assert der == encode_dss_signature(r, s).hex(), (size, r, s)
    page.close()


def test_api_docs_render_from_this_origin_only(
    browser: Browser, server: str, seeded: Seeded
) -> None:
    """/docs renders Swagger UI with every request to this origin and no CSP violation, and
    "Authorize" + "Try it out" call a token-protected route with the pasted token."""
    pytest.importorskip("fastapi_offline", reason="needs extra [registry]")
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock")  # the operations, drawn from /openapi.json
    assert "/v1/check" in (page.text_content("#swagger-ui") or "")
    page.click("button.authorize")
    page.fill(".auth-container input", seeded.reviewer_token)
    page.click(".auth-btn-wrapper button.authorize")
    page.click(".auth-btn-wrapper button.btn-done")
    page.click("#operations-default-models_v1_models_get .opblock-summary")
    page.click("button.try-out__btn")
    with page.expect_response(lambda r: r.url.startswith(f"{server}/v1/models")) as answer:
        page.click("button.execute")
    assert answer.value.status == 200 and answer.value.request.headers["authorization"] == (
        f"Bearer {seeded.reviewer_token}"
    )
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
    assert seeded.reviewer_token not in stored  # the token stays in the page's memory
    assert requests and all(u.startswith(server + "/") for u in requests), requests
    assert f"{server}/openapi.json" in requests
    assert watch.errors == [] and watch.csp == [], (watch.errors, watch.csp)
    context.close()
