"""The three test frameworks the client runs Java tests with, and what each needs in a test class."""

from attrs import frozen


@frozen
class Framework:
    name: str
    display: str
    test_import: str
    assertions_import: str
    import_prefixes: tuple[str, ...]
    public_members: bool
    """JUnit 4 and TestNG run only public classes and methods."""


JUNIT5 = Framework(
    name="junit5",
    display="JUnit 5 (Jupiter)",
    test_import="org.junit.jupiter.api.Test",
    assertions_import="org.junit.jupiter.api.Assertions",
    import_prefixes=("org.junit.jupiter.",),
    public_members=False,
)
JUNIT4 = Framework(
    name="junit4",
    display="JUnit 4",
    test_import="org.junit.Test",
    assertions_import="org.junit.Assert",
    import_prefixes=("org.junit.",),
    public_members=True,
)
TESTNG = Framework(
    name="testng",
    display="TestNG",
    test_import="org.testng.annotations.Test",
    assertions_import="org.testng.Assert",
    import_prefixes=("org.testng.",),
    public_members=True,
)
FRAMEWORKS = {framework.name: framework for framework in (JUNIT5, JUNIT4, TESTNG)}


def framework_named(name: object) -> Framework:
    """The client sends ``junit5`` (its default), ``junit4`` or ``testng``."""
    return FRAMEWORKS.get(str(name or "").strip().lower(), JUNIT5)


def framework_of_import(import_path: str) -> Framework | None:
    for framework in (JUNIT5, TESTNG, JUNIT4):  # most specific prefix first
        if any(import_path.startswith(prefix) for prefix in framework.import_prefixes):
            return framework
    return None
