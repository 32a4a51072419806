"""Pieces shared by several endpoint schemas."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

MAX_CANDIDATES = 10
"""Upper bound on candidates per request, whatever ``n_candidates`` asks (documented in the README)."""


def _clamp_candidates(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return min(max(value, 1), MAX_CANDIDATES)


CandidateCount = Annotated[int, BeforeValidator(_clamp_candidates)]

# Integers that reach PostgreSQL columns: out of range they used to fail the insert with a 500.
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]


class ClientRequest(BaseModel):
    """Base for request bodies: unknown and legacy fields (``python_version`` ...) are ignored.

    Numbers are accepted where text is expected: the client's own models type some humanized fields
    (runtimes, speedups) as numbers, and a number there is no reason to refuse a request.
    """

    model_config = ConfigDict(extra="ignore", str_max_length=5_000_000, coerce_numbers_to_str=True)


class ExperimentMetadata(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    group: str | None = None


class TracedRequest(ClientRequest):
    trace_id: str = Field(min_length=1, max_length=200)
    codeflash_version: str | None = None
    call_sequence: Int32 | None = None


class CandidateOut(BaseModel):
    """One candidate as the client parses it (``_get_valid_candidates``)."""

    source_code: str
    explanation: str
    optimization_id: str
    parent_id: str | None = None
    model: str | None = None


class FunctionParent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    type: str


class FunctionToOptimize(BaseModel):
    model_config = ConfigDict(extra="ignore")

    function_name: str
    file_path: str | None = None
    parents: list[FunctionParent] = Field(default_factory=list)
    starting_line: int | None = None
    ending_line: int | None = None
    is_async: bool = False
    is_method: bool = False
    language: str | None = None

    @property
    def qualified_name(self) -> str:
        return ".".join([*(parent.name for parent in self.parents), self.function_name])
