"""The console over HTTP: who gets in (admin session or bearer admin key, nobody else), cookie flags,
CSRF on every form post, keys shown by suffix only, and the pages' content."""

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from .conftest import Console, make_trace

PAGES = ["/console/traces", "/console/usage", "/console/keys", "/console/traces/{trace}"]
API = ["/console/api/traces", "/console/api/traces/{trace}"]
FORMS = ["/console/logout", "/console/keys", "/console/keys/1/revoke"]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def log_in(client: TestClient, key: str) -> httpx.Response:
    page = client.get("/console")
    return client.post(
        "/console/login", data={"key": key, "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )


@pytest.fixture
def browser(console: Console) -> Iterator[TestClient]:
    """The module's client (one lifespan per app) with an empty cookie jar, emptied again after."""
    console.client.cookies.clear()
    yield console.client
    console.client.cookies.clear()
    console.client.base_url = "http://testserver"  # type: ignore[assignment]


def session_of(response: httpx.Response) -> str:
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("cf_console_session="))
    return cookie.split(";")[0].split("=", 1)[1]


@pytest.fixture(scope="module")
def trace_id(console: Console) -> str:
    return make_trace(console)


def test_nobody_gets_data_without_an_admin(console: Console, browser: TestClient, trace_id: str) -> None:
    ordinary = {"Authorization": f"Bearer {console.user_key}"}
    for path in [p.format(trace=trace_id) for p in PAGES]:
        refused = browser.get(path, follow_redirects=False)
        assert refused.status_code == 401 and 'name="key"' in refused.text, path
        assert trace_id not in refused.text and "dev@example.com" not in refused.text
        assert browser.get(path, headers=ordinary).status_code == 403
        assert browser.get(path, headers={"Authorization": "Bearer cf-" + "A" * 43}).status_code == 403
        assert browser.get(path, headers={"Authorization": "Basic eDp5"}).status_code == 401
    for path in [p.format(trace=trace_id) for p in API]:
        refused = browser.get(path)
        assert refused.status_code == 401 and refused.json()["error"]
        assert browser.get(path, headers=ordinary).json() == {
            "error": "the console needs an active admin key"
        }
    for path in FORMS:
        assert browser.post(path, data={"csrf_token": "x"}, follow_redirects=False).status_code == 401
        assert browser.post(path, data={"csrf_token": "x"}, headers=ordinary).status_code == 403
    assert log_in(browser, console.user_key).status_code == 403
    assert "cf_console_session" not in browser.cookies


def test_login_sets_a_strict_httponly_session_cookie_and_logout_ends_it(
    console: Console, browser: TestClient
) -> None:
    response = log_in(browser, console.admin_key)
    assert response.status_code == 303 and response.headers["location"] == "/console/traces"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("cf_console_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # plain HTTP here; see the HTTPS test below
    page = browser.get("/console/traces")
    assert page.status_code == 200 and "Log out" in page.text
    assert (
        page.headers["cache-control"] == "no-store"
        and "default-src 'none'" in page.headers["content-security-policy"]
    )

    assert browser.post("/console/logout", data={"csrf_token": "forged"}).status_code == 403
    assert (
        browser.post(
            "/console/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
        ).status_code
        == 303
    )
    browser.cookies.set("cf_console_session", session_of(response), path="/console")
    assert browser.get("/console/traces").status_code == 401  # the session is gone server-side too


def test_the_cookie_is_secure_over_https(console: Console, browser: TestClient) -> None:
    browser.base_url = "https://console.example"  # type: ignore[assignment]
    response = log_in(browser, console.admin_key)
    cookie = next(c for c in response.headers.get_list("set-cookie") if "cf_console_session" in c)
    assert "Secure" in cookie


def test_login_needs_its_csrf_token(console: Console, browser: TestClient) -> None:
    browser.get("/console")
    forged = browser.post("/console/login", data={"key": console.admin_key, "csrf_token": "forged"})
    assert forged.status_code == 403 and "cf_console_session" not in browser.cookies


def test_every_form_post_checks_its_csrf_token(console: Console, browser: TestClient) -> None:
    log_in(browser, console.admin_key)
    keys = console.sql("SELECT id FROM cf_api_keys WHERE role = 'user' ORDER BY id")
    for path, data in [
        ("/console/keys", {"email": "mallory@example.com"}),
        (f"/console/keys/{keys[0]['id']}/revoke", {}),
        ("/console/logout", {}),
    ]:
        for csrf in ({}, {"csrf_token": ""}, {"csrf_token": "forged"}, {"csrf_token": "\u00e9t\u00e9"}):
            response = browser.post(path, data=data | csrf, follow_redirects=False)
            assert response.status_code == 403, (path, csrf, response.text)
    assert not console.sql("SELECT 1 FROM users WHERE email = 'mallory@example.com'")
    assert (
        console.sql("SELECT revoked_at FROM cf_api_keys WHERE id = $1", keys[0]["id"])[0]["revoked_at"]
        is None
    )
    assert browser.get("/console/keys").status_code == 200


def test_keys_are_created_shown_once_listed_by_suffix_and_revoked(
    console: Console, browser: TestClient
) -> None:
    log_in(browser, console.admin_key)
    csrf = csrf_of(browser.get("/console/keys").text)
    created = browser.post(
        "/console/keys", data={"csrf_token": csrf, "email": "new@example.com", "tier": "pro", "role": "user"}
    )
    assert created.status_code == 201
    new_key = re.search(r"cf-[A-Za-z0-9_-]{43}", created.text)
    assert new_key is not None
    listing = browser.get("/console/keys").text
    for key in (new_key.group(0), console.admin_key, console.user_key, console.private_key):
        assert key not in listing and key[3:] not in listing
        assert f"cf-…{key[-4:]}" in listing
    [row] = console.sql(
        "SELECT id FROM cf_api_keys WHERE suffix = $1 AND revoked_at IS NULL", new_key.group(0)[-4:]
    )
    revoked = browser.post(
        f"/console/keys/{row['id']}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert (
        console.client.post(
            "/ai/explain", json={}, headers={"Authorization": f"Bearer {new_key.group(0)}"}
        ).status_code
        == 401
    )


def test_revoking_an_admin_key_ends_its_sessions(console: Console, browser: TestClient) -> None:
    log_in(browser, console.admin_key)
    csrf = csrf_of(browser.get("/console/keys").text)
    created = browser.post(
        "/console/keys", data={"csrf_token": csrf, "email": "ops2@example.com", "role": "admin"}
    )
    second = re.search(r"cf-[A-Za-z0-9_-]{43}", created.text)
    assert second is not None
    mine = browser.cookies.get("cf_console_session")
    browser.cookies.clear()
    theirs = session_of(log_in(browser, second.group(0)))
    assert browser.get("/console/traces").status_code == 200
    [row] = console.sql("SELECT id FROM cf_api_keys WHERE suffix = $1", second.group(0)[-4:])
    browser.cookies.clear()
    browser.cookies.set("cf_console_session", mine or "", path="/console")
    assert browser.post(f"/console/keys/{row['id']}/revoke", data={"csrf_token": csrf}).status_code == 200
    browser.cookies.clear()
    browser.cookies.set("cf_console_session", theirs, path="/console")
    assert browser.get("/console/traces").status_code == 401


def test_the_trace_page_shows_calls_costs_and_why_candidates_were_dropped(
    console: Console, browser: TestClient, trace_id: str
) -> None:
    log_in(browser, console.admin_key)
    listing = browser.get("/console/traces", params={"user": "dev@example.com"}).text
    assert trace_id in listing and "/ai/optimize" in listing
    page = browser.get(f"/console/traces/{trace_id}").text
    assert page.count("<summary>Prompt</summary>") == 3 and "azure" in page and "bedrock" in page
    assert "extract" in page and "deduplicate" in page and "duplicate" in page
    assert re.search(r"\$0\.\d{4}", page)
    assert "return x + x" in page  # the candidate's code, behind a click

    private = make_trace(console, key=console.private_key)
    page = browser.get(f"/console/traces/{private}").text
    assert "Privacy mode" in page and "<summary>Prompt</summary>" not in page and "double" not in page


def test_bearer_admin_key_reads_the_json_api(console: Console, browser: TestClient, trace_id: str) -> None:
    admin = {"Authorization": f"Bearer {console.admin_key}"}
    listing = browser.get("/console/api/traces", params={"limit": 1}, headers=admin).json()
    assert len(listing["traces"]) == 1 and listing["next_cursor"]
    detail = browser.get(f"/console/api/traces/{trace_id}", headers=admin).json()
    assert len(detail["llm_calls"]) == 3 and len(detail["candidates"]) == 3
    assert browser.get("/console/api/traces/nope", headers=admin).status_code == 404
    assert browser.get("/console/api/traces", params={"since": "yesterday"}, headers=admin).status_code == 422
    assert browser.get("/console/api/traces", params={"after": "%%%"}, headers=admin).status_code == 422


def test_usage_page_draws_a_chart_with_its_numbers(
    console: Console, browser: TestClient, trace_id: str
) -> None:
    page = browser.get("/console/usage", headers={"Authorization": f"Bearer {console.admin_key}"}).text
    assert "<svg" in page and "<rect" in page and "acme" in page and "LLM calls" in page
