"""A real service for the console tests, started once for the folder: its own migrated database, the
installed language plugins, LLM providers on the fake LLM over HTTP, and three keys: an admin key,
an ordinary key and an ordinary key of an organization in privacy mode.

``make_trace(console, trace_id, key=...)`` sends an ``/ai/optimize`` whose three LLM replies give one
kept candidate and two dropped ones (a reply without code, and a duplicate), then waits until the
recorder has written everything.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.http.app import create_app
from codeflash_engine.settings import Settings
from codeflash_engine.testing.fake_llm import FakeLLM, Reply
from codeflash_engine.testing.fake_llm.settings import fake_llm_settings
from codeflash_engine.testing.settings import env_free, harness_plugin_settings, harness_settings

CODE_REPLY = "Faster:\n```python:pkg/slow.py\ndef double(x):\n    return x + x\n```\n"
NO_CODE_REPLY = "I would rather not change anything here."
SOURCE = "```python:pkg/slow.py\ndef double(x):\n    return x * 2\n```"


@frozen
class Console:
    app: FastAPI
    client: TestClient
    fake: FakeLLM
    admin_key: str
    user_key: str
    private_key: str
    settings: Settings

    def flush(self) -> None:
        assert self.client.portal is not None
        self.client.portal.call(self.app.state.resources.recorder.flush)

    def sql(self, query: str, *args: Any) -> list[Any]:
        async def fetch() -> list[Any]:
            async with self.app.state.resources.database.connection() as conn:
                return list(await conn.fetch(query, *args))

        assert self.client.portal is not None
        return self.client.portal.call(fetch)


def make_trace(console: Console, trace_id: str | None = None, *, key: str | None = None) -> str:
    trace_id = trace_id or str(uuid.uuid4())
    console.fake.clear()
    console.fake.reply(NO_CODE_REPLY, times=1)
    console.fake.default = Reply(CODE_REPLY)
    response = console.client.post(
        "/ai/optimize",
        json={"trace_id": trace_id, "source_code": SOURCE, "n_candidates": 3, "language": "python"},
        headers={"Authorization": f"Bearer {key or console.user_key}"},
    )
    assert response.status_code == 200, response.text
    console.flush()
    return trace_id


@pytest.fixture(scope="package")
def console(postgres_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    name = f"console_{uuid.uuid4().hex[:12]}"
    postgres_server.psql(f"CREATE DATABASE {name} TEMPLATE codeflash_template;")
    try:
        with FakeLLM() as fake:
            fake.default = Reply(CODE_REPLY)
            data_dir: Path = tmp_path_factory.mktemp("console-data")
            base = harness_settings()
            settings = Settings(
                http=base.http,
                plugins=harness_plugin_settings(isolation="thread"),
                database=env_free(
                    DatabaseSettings, DATABASE_URL=postgres_server.get_uri(name), CODEFLASH_DATA_DIR=data_dir
                ),
                auth=base.auth.model_copy(update={"rate_limit_max": 1_000_000}),
                llm=fake_llm_settings(fake, "azure", "bedrock", CODEFLASH_LLM_MAX_RETRIES=0),
                observability=base.observability,
            )
            app = create_app(settings, load_entry_points=True)
            with TestClient(app, raise_server_exceptions=False) as client:
                assert client.portal is not None
                database = app.state.resources.database

                def key(email: str, role: str = "user", organization: str | None = None) -> str:
                    assert client.portal is not None
                    issued = client.portal.call(
                        lambda: issue_key(
                            database, email, "enterprise", organization, settings.auth, role=role
                        )
                    )
                    return issued.key

                admin_key = key("ops@example.com", "admin")
                user_key = key("dev@example.com", organization="acme")
                private_key = key("secret@example.com", organization="private-co")

                async def privacy() -> None:
                    async with database.connection() as conn:
                        await conn.execute(
                            "UPDATE organizations SET privacy_mode = true WHERE name = 'private-co'"
                        )

                client.portal.call(privacy)
                yield Console(
                    app=app,
                    client=client,
                    fake=fake,
                    admin_key=admin_key,
                    user_key=user_key,
                    private_key=private_key,
                    settings=settings,
                )
    finally:
        postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")
