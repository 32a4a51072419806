"""Infrastructure: PostgreSQL (embedded or external), migrations, and every SQL query.

Never imports the HTTP layer or the pipeline.
"""

from codeflash_engine.db.connect import Database, DatabaseUnavailableError, open_database

__all__ = ["Database", "DatabaseUnavailableError", "open_database"]
