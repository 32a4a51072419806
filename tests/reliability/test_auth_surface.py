"""No route answers without a valid key unless it is on a short public list, and keys never leak.

Routes are enumerated from the app itself, so a route added later is covered (or fails the public
list check) without touching this file.
"""

import hashlib
import json
import logging
from typing import Any

import pytest
from fastapi.routing import APIRoute

from codeflash_engine.testing.fake_llm import FakeLLM

from .conftest import Service

PUBLIC = {"/healthcheck", "/plugins", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
# Static assets only (Swagger UI's, the console's stylesheet): no data behind them.
ASSETS = {"/docs-assets", "/console/static"}
# The console's login form: it shows nothing but the form.
CONSOLE_LOGIN = {"/console", "/console/login"}
BAD_AUTHORIZATION = [
    None,
    "",
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "Bearer cf-" + "A" * 43,
    "Bearer not-a-cf-key",
    "Bearer " + "x" * 10_000,
    "Bearer cf-\u00e9\u00e9",
]


def _flatten(routes: list[Any], prefix: str = "") -> list[Any]:
    """Every leaf route, through included routers (FastAPI keeps them nested, with a prefix)."""
    leaves = []
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            context = getattr(route, "include_context", None)
            leaves += _flatten(nested.routes, prefix + getattr(context, "prefix", ""))
        else:
            leaves.append((prefix, route))
    return leaves


def _routes(service: Service) -> list[tuple[str, str]]:
    found = []
    for prefix, route in _flatten(service.app.routes):
        methods = getattr(route, "methods", None) or {"GET"}
        found += [(method, prefix + route.path) for method in sorted(methods - {"HEAD", "OPTIONS"})]
    return found


def test_every_route_is_public_by_name_or_under_ai_or_console(service: Service) -> None:
    paths = {path for _, path in _routes(service)}
    assert paths - PUBLIC, "no /ai/ routes found"
    known = PUBLIC | ASSETS
    assert all(path in known or path.startswith(("/ai/", "/console")) for path in paths), sorted(
        paths - known
    )
    ai_routes = [r for _, r in _flatten(service.app.routes) if r.path.startswith("/ai/")]
    assert len(ai_routes) == 14 and all(isinstance(r, APIRoute) for r in ai_routes)


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATION, ids=lambda a: repr(a)[:20])
def test_no_ai_route_answers_without_a_valid_key(
    service: Service, fresh_fake: FakeLLM, authorization: str | None
) -> None:
    for method, path in _routes(service):
        if not path.startswith("/ai/"):
            continue
        # Without the client's default key; a plausible body, so only the key can be the reason.
        body = {"trace_id": "t", "source_code": "def f(): ...", "optimized_code": "def f(): ..."}
        saved = service.client.headers.pop("Authorization")
        try:
            headers = {} if authorization is None else {"Authorization": authorization.encode()}
            response = service.client.request(method, path, json=body, headers=headers)
        finally:
            service.client.headers["Authorization"] = saved

        assert response.status_code == 401, (method, path, response.status_code, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]
    assert fresh_fake.requests == []


def test_keys_never_reach_logs_metrics_or_error_messages(
    service: Service,
    fresh_fake: FakeLLM,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    valid = service.key
    unknown = "cf-" + "Z" * 39 + "Q9x7"
    secrets = [
        valid,
        valid[3:],
        hashlib.sha384(valid.encode()).hexdigest(),
        unknown,
        unknown[3:],
        hashlib.sha384(unknown.encode()).hexdigest(),
    ]
    bodies: list[str] = []
    fresh_fake.fail(500, times=1)  # an LLM error on the way
    for path, body in [
        ("/ai/explain", {"trace_id": "leak", "source_code": "def f(): ...", "optimized_code": "def f(): 1"}),
        ("/ai/optimize", {"trace_id": "leak", "source_code": "def f(x):\n    return x\n"}),
        ("/ai/optimize", {"trace_id": "leak"}),  # a 422
        ("/ai/optimize", {"trace_id": "leak", "source_code": "x", "language": "cobol"}),  # unknown language
    ]:
        bodies.append(service.client.post(path, json=body).text)
    for key in (unknown, valid + "x", valid[:-1]):
        bodies.append(
            service.client.post("/ai/explain", json={}, headers={"Authorization": f"Bearer {key}"}).text
        )
    bodies.append(service.client.get("/metrics").text)
    bodies.append(json.dumps(service.app.openapi()))

    captured = capfd.readouterr()
    logs = caplog.text + "\n".join(repr(record.msg) for record in caplog.records)
    everything = "\n".join([*bodies, captured.out, captured.err, logs])
    assert "trace_id': 'leak'" in logs  # the logs were captured: request lines carry the trace id
    for secret in secrets:
        assert secret not in everything
    assert valid[-4:] in everything or "…" in everything  # only the displayable suffix, if anything


def _console_routes(service: Service) -> list[tuple[str, str]]:
    return [
        (method, path.replace("{trace_id}", "leak").replace("{key_id}", "1"))
        for method, path in _routes(service)
        if path.startswith("/console") and path not in ASSETS | CONSOLE_LOGIN
    ]


@pytest.mark.parametrize("authorization", [*BAD_AUTHORIZATION, "ordinary key"], ids=lambda a: repr(a)[:20])
def test_no_console_route_answers_without_an_admin(
    service: Service, fresh_fake: FakeLLM, authorization: str | None
) -> None:
    routes = _console_routes(service)
    assert len(routes) >= 9, routes
    # A trace recorded under the ordinary key, so there is data a refused answer could leak.
    recorded = {"trace_id": "leak", "source_code": "def f(): ...", "optimized_code": "def f(): 1"}
    assert service.client.post("/ai/explain", json=recorded).status_code == 200
    if authorization == "ordinary key":
        authorization = f"Bearer {service.key}"
    for method, path in routes:
        saved = service.client.headers.pop("Authorization")
        try:
            headers = {} if authorization is None else {"Authorization": authorization.encode()}
            response = service.client.request(
                method, path, data={"csrf_token": "x", "email": "m@example.com"}, headers=headers,
                follow_redirects=False,
            )  # fmt: skip
        finally:
            service.client.headers["Authorization"] = saved
        assert response.status_code in (401, 403), (method, path, authorization, response.status_code)
        assert "reliability@example.com" not in response.text and "def f()" not in response.text
        if response.headers["content-type"].startswith("text/html"):
            assert 'name="key"' in response.text  # the login form, nothing else
        else:
            assert response.json()["error"]
