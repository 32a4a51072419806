"""The console in a real browser: Debian's headless chromium driven by Playwright, against the
service as a real process (``codeflash-engine serve``) on the fake LLM.

An operator logs in with an admin key, finds a trace made through the fake LLM, opens it and sees
its LLM calls, costs and why a candidate was dropped; an ordinary key and no key get only the login
form. No page may raise a JavaScript error or load anything from outside the service (every other
request is aborted and fails the test). A screenshot of each page is kept in the test's tmp dir.
"""

import asyncio
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from codeflash_engine.auth.accounts import Role, issue_key
from codeflash_engine.db import open_database
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.service import ServiceProcess
from codeflash_engine.testing.settings import env_free, harness_settings

from .conftest import CODE_REPLY, NO_CODE_REPLY, SOURCE

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
EXPECTED_REFUSAL = re.compile(r"^Failed to load resource: the server responded with a status of 40[13] ")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"Debian's chromium is not installed ({CHROMIUM}): apt-get install chromium", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


async def issue(url: str, email: str, role: Role) -> str:
    settings = env_free(DatabaseSettings, DATABASE_URL=url, CODEFLASH_DB_MIGRATE_ON_STARTUP=False)
    async with open_database(settings) as database:
        issued = await issue_key(database, email, "enterprise", None, harness_settings().auth, role=role)
        return issued.key


class Site:
    def __init__(self, url: str, admin_key: str, user_key: str, trace_id: str) -> None:
        self.url = url
        self.admin_key = admin_key
        self.user_key = user_key
        self.trace_id = trace_id


@pytest.fixture(scope="module")
def site(postgres_server: Any) -> Iterator[Site]:
    name = f"browser_{uuid.uuid4().hex[:12]}"
    postgres_server.psql(f"CREATE DATABASE {name} TEMPLATE codeflash_template;")
    try:
        with FakeLLM() as fake:
            env = {
                "DATABASE_URL": postgres_server.get_uri(name),
                "CODEFLASH_PLUGIN_ISOLATION": "thread",
                "CODEFLASH_LLM_MAX_RETRIES": "0",
                **fake.env(),
            }
            with ServiceProcess(env=env) as service:
                # In-process (test_cli.py runs the real `keys create --role admin`): two fewer process starts.
                admin_key = asyncio.run(issue(env["DATABASE_URL"], "ops@example.com", "admin"))
                user_key = asyncio.run(issue(env["DATABASE_URL"], "dev@example.com", "user"))
                fake.reply(NO_CODE_REPLY, times=1)
                fake.default = Reply(CODE_REPLY)
                trace_id = f"browser-{uuid.uuid4().hex[:8]}"
                response = httpx.post(
                    f"{service.url}/ai/optimize",
                    json={"trace_id": trace_id, "source_code": SOURCE, "n_candidates": 3},
                    headers={"Authorization": f"Bearer {user_key}"},
                    timeout=60,
                )
                assert response.status_code == 200, response.text
                yield Site(service.url, admin_key, user_key, trace_id)
    finally:
        postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


class Browser:
    """One chromium page that records JavaScript errors and any request leaving the service."""

    def __init__(self, page: Any, origin: str, shots: Path) -> None:
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.shots = shots
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("console", self._console_message)

        def only_the_service(route: Any) -> None:
            if urlsplit(route.request.url).netloc == origin or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_the_service)

    def _console_message(self, message: Any) -> None:
        # The 401 of a page this test opens without a session on purpose is not a script error.
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            self.errors.append(f"{self.page.url}: {message.text}")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


@pytest.fixture
def browser(site: Site, tmp_path: Path) -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(viewport={"width": 1400, "height": 900})
            wrapped = Browser(context.new_page(), urlsplit(site.url).netloc, tmp_path)
            yield wrapped
            assert wrapped.errors == [], wrapped.errors
            assert wrapped.outside == [], f"requests outside the service: {wrapped.outside}"
        finally:
            chromium.close()


def log_in(browser: Browser, site: Site, key: str) -> None:
    browser.page.goto(f"{site.url}/console")
    browser.page.fill("#key", key)
    browser.page.click("button[type=submit]")


def test_an_operator_finds_why_a_trace_dropped_candidates_and_what_it_cost(
    browser: Browser, site: Site
) -> None:
    page = browser.page
    response = page.goto(f"{site.url}/console")
    assert response is not None and response.status == 200
    browser.shot("login")
    log_in(browser, site, site.admin_key)
    page.wait_for_url(f"{site.url}/console/traces")
    assert page.locator("table.grid tbody tr").count() >= 1
    browser.shot("traces")

    page.fill("input[name=user]", "dev@example.com")
    page.click("form.filters button[type=submit]")
    page.click(f"text={site.trace_id}")
    page.wait_for_url(f"{site.url}/console/traces/{site.trace_id}")
    calls = page.locator("table.calls > tbody > tr:not(.text)")
    assert calls.count() == 3
    assert "$" in page.locator("dd.cost").inner_text()
    assert {"azure", "bedrock"} <= set(page.locator("table.calls").inner_text().split())
    dropped = page.locator("tr.dropped")
    assert dropped.count() == 2
    reasons = " ".join(dropped.locator("td.reason").all_inner_texts())
    assert "no code" in reasons.lower() or "code" in reasons.lower()
    assert "duplicate" in reasons
    page.locator("summary", has_text="Prompt").first.click()
    assert page.locator("details[open] pre").first.is_visible()
    browser.shot("trace")

    page.click("text=Usage")
    page.wait_for_url(f"{site.url}/console/usage")
    assert page.locator("svg.chart rect.bar").count() >= 1
    browser.shot("usage")

    page.click("text=Keys")
    page.wait_for_url(f"{site.url}/console/keys")
    text = page.content()
    assert site.admin_key not in text and site.user_key not in text and f"cf-…{site.user_key[-4:]}" in text
    browser.shot("keys")

    page.click("text=Log out")
    page.wait_for_url(f"{site.url}/console")
    assert page.goto(f"{site.url}/console/traces").status == 401  # type: ignore[union-attr]


def test_an_ordinary_key_and_no_key_see_only_the_login_form(browser: Browser, site: Site) -> None:
    page = browser.page
    for path in ("/console/traces", f"/console/traces/{site.trace_id}", "/console/usage", "/console/keys"):
        response = page.goto(site.url + path)
        assert response is not None and response.status == 401
        assert page.locator("#key").is_visible() and site.trace_id not in page.content()
    log_in(browser, site, site.user_key)
    assert "not an active admin key" in page.content()
    browser.shot("refused")
    response = page.goto(f"{site.url}/console/traces")
    assert response is not None and response.status == 401


def test_the_api_docs_load_with_no_internet(browser: Browser, site: Site) -> None:
    page = browser.page
    page.goto(f"{site.url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "codeflash-engine" in page.locator(".swagger-ui .info .title").inner_text()
    browser.shot("docs")
