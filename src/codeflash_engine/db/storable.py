"""Values made storable in PostgreSQL, for rows whose text comes straight from requests."""

from typing import Any, TypeVar

import attrs

from codeflash_engine.db.rows import (
    CandidateRow,
    LLMCallRecord,
    OptimizationErrorRecord,
    OptimizationFeaturesRecord,
    RequestRow,
    TraceDelta,
    UsageDelta,
)


def storable(value: Any) -> Any:
    """``value`` with every string made storable in PostgreSQL: ``text`` and ``jsonb`` refuse NUL
    characters, and lone surrogates (valid in JSON escapes, so in request bodies) cannot be encoded
    as UTF-8. Both come straight from requests into prompts; they become U+FFFD and ``?``, so the
    row is kept rather than rejected."""
    if isinstance(value, str):
        if value.isascii() and "\x00" not in value:
            return value
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


# Constrained, not bound to AttrsInstance: mypy's attrs plugin cannot evolve a bound type variable.
RowT = TypeVar(
    "RowT",
    LLMCallRecord,
    OptimizationErrorRecord,
    OptimizationFeaturesRecord,
    RequestRow,
    CandidateRow,
    TraceDelta,
    UsageDelta,
)


def storable_row(row: RowT) -> RowT:
    """``row`` with ``storable`` applied to every field."""
    return attrs.evolve(row, **{f.name: storable(getattr(row, f.name)) for f in attrs.fields(type(row))})
