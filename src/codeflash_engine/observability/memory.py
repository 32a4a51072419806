"""What an app without a database would have stored, kept in memory for its tests to read.

Such an app is only built in code (``create_app(..., no_database=...)``), so this is for tests and
plugin authors: nothing is bounded or ever forgotten before the app is.
"""

from collections.abc import Sequence

from codeflash_engine.db.rows import OptimizationFeaturesRecord
from codeflash_engine.observability.recorder import ErrorRecord, LLMCallRecord, Record, RequestRecord


class InMemoryRecords:
    """The recorder's sink (``llm_calls``, ``errors``, ``requests``) and the features store (``features``).

    The recorder writes in the background: ``await resources.recorder.flush()`` before reading
    ``llm_calls`` or ``errors``. ``features`` holds every ``/ai/log_features`` send as it came, in
    order (the database would merge the sends of one trace into one row).
    """

    def __init__(self) -> None:
        self._records: list[Record] = []
        self._features: list[OptimizationFeaturesRecord] = []

    async def write(self, records: Sequence[Record]) -> None:
        self._records.extend(records)

    async def save(self, features: OptimizationFeaturesRecord) -> None:
        self._features.append(features)

    @property
    def llm_calls(self) -> tuple[LLMCallRecord, ...]:
        return tuple(record for record in self._records if isinstance(record, LLMCallRecord))

    @property
    def errors(self) -> tuple[ErrorRecord, ...]:
        return tuple(record for record in self._records if isinstance(record, ErrorRecord))

    @property
    def requests(self) -> tuple[RequestRecord, ...]:
        return tuple(record for record in self._records if isinstance(record, RequestRecord))

    @property
    def features(self) -> tuple[OptimizationFeaturesRecord, ...]:
        return tuple(self._features)
