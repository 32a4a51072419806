"""Service settings, read from the environment (and an optional ``.env`` file).

Each concern owns one settings group; ``Settings`` composes them. Groups read flat, documented
environment variable names (``DATABASE_URL``, ``CODEFLASH_LOAD_PLUGINS`` ...), listed in the README.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from codeflash_engine.auth.settings import AuthSettings
from codeflash_engine.db.settings import DatabaseSettings
from codeflash_engine.llm.settings import LLMSettings
from codeflash_engine.observability.settings import ObservabilitySettings
from codeflash_engine.settings_base import ENV_CONFIG

NameList = Annotated[tuple[str, ...], NoDecode]


def split_names(value: object) -> object:
    """Accept ``"a, b"`` from the environment as well as a real sequence from code."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class HTTPSettings(BaseSettings):
    """The HTTP edge: body size limit, the per-request deadline, environment and logging.

    ``request_timeout_s`` (``CODEFLASH_REQUEST_TIMEOUT_S``) bounds a whole ``/ai/*`` request: auth
    and quota queries, every LLM call and retry, every plugin hook. At the deadline the request
    answers ``504 {"error"}`` and its LLM and hook calls are cancelled. Without it a request's time
    is only bounded by ``CODEFLASH_LLM_TIMEOUT`` x (1 + retries) plus hook timeouts, 360 s and more
    by default. The default, 270 s, is below the codeflash client's 300 s read timeout (it waits that
    long for every AI call) with 30 s to spare for the answer to travel through proxies and load
    balancers: the client gets a clear 504 it can print instead of its own timeout, and the service
    stops spending LLM tokens on an answer nobody will read.
    """

    model_config = ENV_CONFIG

    max_body_bytes: int = Field(default=2 * 1024 * 1024, alias="CODEFLASH_MAX_BODY_BYTES", gt=0)
    request_timeout_s: float = Field(default=270.0, alias="CODEFLASH_REQUEST_TIMEOUT_S", gt=0)
    environment: str = Field(default="development", alias="CODEFLASH_ENV")
    log_level: str = Field(default="INFO", alias="CODEFLASH_LOG_LEVEL")


class PluginSettings(BaseSettings):
    """Which language plugins load.

    ``load_plugins`` is an allow-list (``None`` loads every installed plugin, an empty list loads
    none); ``disable_plugins`` a block-list; both accept a distribution, entry-point or language
    name. A ``required_plugins`` entry that is missing or broken stops start-up. ``strict`` re-raises
    the first loading error instead of recording it (the test suite uses it). ``isolation`` says
    where hooks run: ``process`` (worker processes, so a parser crash cannot take the server down)
    or ``thread`` (for plugins registered in-process, as the test harness does); ``workers`` 0 means
    one per core, up to 4.
    """

    model_config = ENV_CONFIG

    load_plugins: NameList | None = Field(default=None, alias="CODEFLASH_LOAD_PLUGINS")
    disable_plugins: NameList = Field(default=(), alias="CODEFLASH_DISABLE_PLUGINS")
    required_plugins: NameList = Field(default=(), alias="CODEFLASH_REQUIRED_PLUGINS")
    strict: bool = Field(default=False, alias="CODEFLASH_STRICT_PLUGINS")
    isolation: Literal["process", "thread"] = Field(default="process", alias="CODEFLASH_PLUGIN_ISOLATION")
    workers: int = Field(default=0, ge=0, alias="CODEFLASH_PLUGIN_WORKERS")
    hook_timeout_seconds: float = Field(default=60.0, gt=0, alias="CODEFLASH_HOOK_TIMEOUT_SECONDS")

    _split = field_validator("load_plugins", "disable_plugins", "required_plugins", mode="before")(
        split_names
    )


class Settings(BaseModel):
    """Everything ``create_app`` needs; build it with ``Settings()`` to read the environment."""

    http: HTTPSettings = Field(default_factory=HTTPSettings)
    plugins: PluginSettings = Field(default_factory=PluginSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)
