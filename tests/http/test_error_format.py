"""Every non-2xx response is a JSON object with an ``error`` string, whatever produced it."""

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from codeflash_engine.http.app import create_app
from codeflash_engine.settings import HTTPSettings, PluginSettings, Settings


class Body(BaseModel):
    count: int


probe = APIRouter()


@probe.post("/probe")
async def accept(body: Body) -> dict[str, int]:
    return {"count": body.count}


@probe.get("/explode")
async def explode() -> None:
    raise RuntimeError("secret internal detail")


@pytest.fixture
def app(engine_settings: Settings) -> FastAPI:
    settings = engine_settings.model_copy(
        update={"http": HTTPSettings(max_body_bytes=1024), "plugins": PluginSettings(load_plugins=())}
    )
    app = create_app(settings)
    app.include_router(probe)
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_not_found(client: TestClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}


def test_method_not_allowed(client: TestClient) -> None:
    response = client.delete("/healthcheck")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


def test_validation_error_names_the_field(client: TestClient) -> None:
    response = client.post("/probe", json={"count": "many"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("invalid request: count:")


def test_malformed_json_is_a_422_with_an_error(client: TestClient) -> None:
    response = client.post("/probe", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "error" in response.json()


def test_body_over_the_limit_by_content_length(client: TestClient) -> None:
    response = client.post("/probe", content=b"x" * 2048, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "1024 bytes" in response.json()["error"]


def test_body_over_the_limit_when_streamed_without_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b" " * 512

    response = client.post("/probe", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "error" in response.json()


def test_unexpected_exception_is_a_generic_500_with_a_trace_id(client: TestClient) -> None:
    response = client.get("/explode")
    assert response.status_code == 500
    body = response.json()
    assert "secret internal detail" not in body["error"]
    assert body["trace_id"] in body["error"]
