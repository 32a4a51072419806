"""API keys for the harness's clients."""

from codeflash_engine.auth.accounts import issue_key
from codeflash_engine.http.resources import AppResources

TEST_USER = "plugin-tests@codeflash-engine.test"

# The one key the harness's app without a database accepts (``codeflash_use_database`` False).
# A fixed, public value is harmless: only code can build such an app, never a deployment.
NO_DATABASE_API_KEY = "cf-codeflash-harness-no-database"


async def issue_test_key(resources: AppResources) -> str:
    """An enterprise (unlimited quota) key in the app's database, so tests never hit a quota."""
    if resources.database is None:
        raise ValueError(
            "this app runs without a database, so no key can be issued; it accepts only the "
            "api_keys given to NoDatabase (the harness's is NO_DATABASE_API_KEY)"
        )
    issued = await issue_key(resources.database, TEST_USER, "enterprise", None, resources.settings.auth)
    return issued.key
