"""``LanguagePluginContract``: the tests every language plugin must pass, inherited by subclassing.

Subclass it in a test module (the subclass name must start with ``Test``) and provide the fixtures
marked "provide" below; every inherited test then runs against your plugin::

    class TestToyContract(LanguagePluginContract):
        distribution = "codeflash-lang-toy"

        @pytest.fixture
        def language_plugin(self): return codeflash_lang_toy.plugin
        ...

A plugin whose pipeline hooks are not written yet sets ``stub = True``: then only the declaration,
the listing and the 501 answer are checked. To opt out of one inherited test, override it in the
subclass (with a ``pytest.skip`` naming the reason).
"""

import re
import uuid
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pytest

from codeflash_engine.domain import (
    Candidate,
    Diagnostic,
    ExtractedCode,
    LanguageInfo,
    LLMReply,
    PostprocessResult,
    Prompt,
    Severity,
    SourceFile,
    TargetFunction,
    Task,
    TaskRequest,
)
from codeflash_engine.errors import LanguageNotImplementedError, PluginError
from codeflash_engine.extraction import CLIENT_MARKDOWN_PATTERN
from codeflash_engine.hookspecs import HOOK_NAMES, PIPELINE_HOOKS, PLUGIN_API_VERSION
from codeflash_engine.plugins import LanguageHooks, PluginHookError, PluginHost, PluginRecord, PluginStatus
from codeflash_engine.plugins.loader import ENTRY_POINT_GROUP
from codeflash_engine.testing.installed import assert_plugin_installed

if TYPE_CHECKING:
    import httpx

TestT = TypeVar("TestT", bound=Callable[..., Any])

_LANGUAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9+#._-]*$")
_FENCE_TAG = re.compile(r"^\w+$")  # the client's markdown regex reads the tag with \w+


def _implemented_only(test: TestT) -> TestT:
    test.__codeflash_contract__ = "implemented"  # type: ignore[attr-defined]
    return test


def _stub_only(test: TestT) -> TestT:
    test.__codeflash_contract__ = "stub"  # type: ignore[attr-defined]
    return test


def _reply_variants(tag: str, path: str, code: str) -> dict[str, str]:
    """The shapes models actually answer in; ``extract_code`` must find ``code`` in each."""
    return {
        "fence with tag and path, prose around": (
            f"Here is a faster version.\n\n```{tag}:{path}\n{code}\n```\n\nIt avoids repeated work."
        ),
        "fence with tag": f"```{tag}\n{code}\n```",
        "fence without tag": f"```\n{code}\n```",
        "xml code tag with file attribute": f'<code file="{path}">\n{code}\n</code>',
        "xml tag around a fence": f"<optimized_code>\n```{tag}:{path}\n{code}\n```\n</optimized_code>",
    }


class LanguagePluginContract:
    """Generic tests for a language plugin (pandas' extension-array base tests, for plugins)."""

    stub: ClassVar[bool] = False
    """Set to ``True`` when every pipeline hook raises ``LanguageNotImplementedError``."""

    distribution: ClassVar[str | None] = None
    """The plugin's distribution name, to check its installed entry point too."""

    known_gaps: ClassVar[Mapping[str, str]] = {}
    """Test ids (``"test_x[param]"``) the plugin is known to fail, with the reason. They run as
    strict xfails: the day the gap is closed the test reports XPASS and fails, so the entry is
    removed rather than forgotten."""

    # -- fixtures the plugin author provides -------------------------------------------------------

    @pytest.fixture
    def language_plugin(self) -> object:
        """Provide: the plugin object, usually its module (what the entry point names)."""
        pytest.fail("provide a language_plugin fixture returning your plugin module or object")

    @pytest.fixture
    def language_name(self) -> str:
        """Provide: the canonical name of a language the plugin declares."""
        pytest.fail("provide a language_name fixture returning the language to test")

    @pytest.fixture
    def sample_source(self) -> str:
        """Provide (not for stubs): a small valid module containing ``sample_function_name``."""
        pytest.fail("provide a sample_source fixture: a small valid module in your language")

    @pytest.fixture
    def sample_function_name(self) -> str:
        """Provide (not for stubs): the function of ``sample_source`` to optimize and test."""
        pytest.fail("provide a sample_function_name fixture: a function defined in sample_source")

    @pytest.fixture
    def optimized_source(self) -> str:
        """Provide (not for stubs): a valid rewrite of ``sample_source``, different from it."""
        pytest.fail("provide an optimized_source fixture: a valid rewrite of sample_source")

    @pytest.fixture
    def invalid_source(self) -> str:
        """Provide (not for stubs): code with a syntax error ``validate`` must report."""
        pytest.fail("provide an invalid_source fixture: code with a syntax error")

    @pytest.fixture
    def sample_test_source(self) -> str:
        """Provide (not for stubs): a valid test module for ``sample_function_name``."""
        pytest.fail("provide a sample_test_source fixture: a valid test module for the sample function")

    # -- derived fixtures (override when the default does not fit) ---------------------------------

    @pytest.fixture
    def codeflash_plugins(self, language_plugin: object) -> tuple[object, ...]:
        return (language_plugin,)

    @pytest.fixture
    def language_info(self, language_plugin: object, language_name: str) -> LanguageInfo:
        """The ``LanguageInfo`` the plugin declares for ``language_name``."""
        declared = _declared(language_plugin)
        matching = [info for info in declared if info.name == language_name]
        assert matching, f"the plugin declares {[info.name for info in declared]}, not {language_name!r}"
        return matching[0]

    @pytest.fixture
    def sample_path(self, language_info: LanguageInfo) -> str:
        """Where ``sample_source`` lives in the client's project (relative, POSIX)."""
        extension = language_info.file_extensions[0] if language_info.file_extensions else ".txt"
        return f"src/sample{extension}"

    @pytest.fixture
    def sample_llm_reply(self, language_info: LanguageInfo, sample_path: str, optimized_source: str) -> str:
        """An optimization reply as a model writes it: prose around one fenced, path-tagged block."""
        return _reply_variants(language_info.tag, sample_path, optimized_source)[
            "fence with tag and path, prose around"
        ]

    @pytest.fixture
    def sample_testgen_reply(self, language_info: LanguageInfo, sample_test_source: str) -> str:
        return f"These tests cover the edge cases.\n\n```{language_info.tag}\n{sample_test_source}\n```\n"

    @pytest.fixture
    def hooks(self, codeflash_host: PluginHost, language_name: str) -> LanguageHooks:
        """The engine's facade for the language: what the pipeline calls (it checks return types)."""
        return codeflash_host.for_language(language_name)

    @pytest.fixture
    def make_request(
        self, language_name: str, sample_path: str, request: pytest.FixtureRequest
    ) -> Callable[..., TaskRequest]:
        """``make_request(Task.OPTIMIZE)``: a request over ``sample_source`` (or ``code``)."""

        def make(task: Task, code: str | None = None) -> TaskRequest:
            source = code if code is not None else request.getfixturevalue("sample_source")
            function = request.getfixturevalue("sample_function_name")
            return TaskRequest(
                task=task,
                language=language_name,
                trace_id=str(uuid.uuid4()),
                files=(SourceFile(path=sample_path, code=source),),
                target=TargetFunction(name=function, qualified_name=function, file_path=sample_path),
            )

        return make

    @pytest.fixture(autouse=True)
    def _applicable(self, request: pytest.FixtureRequest) -> None:
        # Autouse inside this class only: it runs before the fixtures a stub does not provide.
        kind = getattr(request.function, "__codeflash_contract__", None)
        if kind == "implemented" and self.stub:
            pytest.skip("stub plugin: its pipeline hooks are not implemented")
        if kind == "stub" and not self.stub:
            pytest.skip("applies to stub plugins only")
        reason = self.known_gaps.get(request.node.name)
        if reason is not None:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=True))

    # -- declaration --------------------------------------------------------------------------------

    def test_codeflash_language_info_is_valid(
        self, language_plugin: object, language_name: str, codeflash_host: PluginHost
    ) -> None:
        declared = _declared(language_plugin)
        assert declared, "codeflash_language_info declared no language"
        for info in declared:
            for name in info.all_names:
                assert _LANGUAGE_NAME.match(name), f"language name {name!r} is not a lowercase identifier"
                assert codeflash_host.canonical_language(name) == info.name
            assert info.api_version == PLUGIN_API_VERSION
            assert _FENCE_TAG.match(info.tag), f"fence tag {info.tag!r}: the client reads tags with \\w+"
            for extension in info.file_extensions:
                assert extension.startswith("."), f"file extension {extension!r} must start with a dot"
        assert language_name in [info.name for info in declared]
        record = _record_of(codeflash_host, language_plugin)
        assert record.status is PluginStatus.LOADED, record.error
        assert set(record.languages) == {info.name for info in declared}

    def test_implements_every_hook_and_no_unknown_hook(
        self, language_plugin: object, codeflash_host: PluginHost
    ) -> None:
        callers = codeflash_host.manager.get_hookcallers(language_plugin) or []
        implemented = {caller.name for caller in callers}
        assert implemented <= set(HOOK_NAMES), f"unknown hooks: {sorted(implemented - set(HOOK_NAMES))}"
        # pluggy accepts an unknown name silently; a misspelt hook would simply never run.
        assert all(caller.has_spec() for caller in callers)
        assert implemented == set(HOOK_NAMES), f"missing hooks: {sorted(set(HOOK_NAMES) - implemented)}"

    def test_entry_point_is_installed(self, language_plugin: object) -> None:
        if self.distribution is None:
            pytest.skip("set the class attribute distribution = '<your dist name>' to check the entry point")
        record = assert_plugin_installed(self.distribution)
        installed = [
            entry.load()
            for entry in entry_points(group=ENTRY_POINT_GROUP)
            if entry.dist is not None and entry.dist.name == self.distribution
        ]
        assert any(plugin is language_plugin for plugin in installed), (
            f"the entry point of {self.distribution} ({record.module}) is not the plugin the contract tests"
        )

    @pytest.mark.asyncio
    async def test_listed_by_the_service(
        self, codeflash_client: "httpx.AsyncClient", language_plugin: object, language_name: str
    ) -> None:
        response = await codeflash_client.get("/plugins")
        assert response.status_code == 200
        body = response.json()
        assert language_name in body["languages"]
        [record] = [r for r in body["plugins"] if r["module"] == _module_name(language_plugin)]
        assert record["status"] == "loaded"
        assert language_name in record["languages"]

    # -- build_context ------------------------------------------------------------------------------

    @_implemented_only
    @pytest.mark.parametrize("task", [Task.OPTIMIZE, Task.TESTGEN])
    def test_build_context_returns_a_prompt(
        self,
        task: Task,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_function_name: str,
    ) -> None:
        prompt = hooks.build_context(make_request(task))
        assert isinstance(prompt, Prompt)
        assert prompt.system.strip()
        assert prompt.user.strip()
        assert sample_function_name in prompt.system + prompt.user

    @_implemented_only
    @pytest.mark.parametrize("task", list(Task))
    def test_build_context_answers_or_raises_a_plugin_error(
        self, task: Task, hooks: LanguageHooks, make_request: Callable[..., TaskRequest]
    ) -> None:
        # A task the plugin cannot do yet must be refused with the engine's errors (501/400), never
        # with an arbitrary exception (which the engine reports as a broken plugin, 502).
        try:
            prompt = hooks.build_context(make_request(task))
        except PluginError:
            return
        except PluginHookError as exc:
            pytest.fail(f"build_context for {task} raised instead of a PluginError subclass: {exc}")
        assert isinstance(prompt, Prompt)

    # -- extract_code -------------------------------------------------------------------------------

    @_implemented_only
    @pytest.mark.parametrize(
        "variant",
        [
            "fence with tag and path, prose around",
            "fence with tag",
            "fence without tag",
            "xml code tag with file attribute",
            "xml tag around a fence",
        ],
    )
    def test_extract_code_reads_fence_and_xml_variants(
        self,
        variant: str,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        language_info: LanguageInfo,
        sample_path: str,
        optimized_source: str,
    ) -> None:
        reply = _reply_variants(language_info.tag, sample_path, optimized_source)[variant]
        extracted = hooks.extract_code(make_request(Task.OPTIMIZE), LLMReply(text=reply, model="fake"))
        assert isinstance(extracted, ExtractedCode)
        assert [file.path for file in extracted.files] == [sample_path], extracted.problems
        assert extracted.files[0].code.strip() == optimized_source.strip()

    @_implemented_only
    @pytest.mark.parametrize(
        "reply", ["", "I could not find a faster version.", "```", "<code>", "```\nunclosed fence"]
    )
    def test_extract_code_reports_a_reply_without_code(
        self, reply: str, hooks: LanguageHooks, make_request: Callable[..., TaskRequest]
    ) -> None:
        extracted = hooks.extract_code(make_request(Task.OPTIMIZE), LLMReply(text=reply, model="fake"))
        assert extracted.files == ()
        assert extracted.problems, "say why nothing was extracted (it is logged with the dropped candidate)"

    # -- validate -----------------------------------------------------------------------------------

    @_implemented_only
    def test_validate_accepts_valid_code(
        self,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
        sample_source: str,
        optimized_source: str,
    ) -> None:
        request = make_request(Task.OPTIMIZE)
        for code in (sample_source, optimized_source):
            assert hooks.validate(request, [SourceFile(path=sample_path, code=code)]) == []

    @_implemented_only
    def test_validate_flags_a_syntax_error_with_its_position(
        self,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
        invalid_source: str,
    ) -> None:
        diagnostics = hooks.validate(
            make_request(Task.OPTIMIZE), [SourceFile(path=sample_path, code=invalid_source)]
        )
        assert diagnostics, "validate accepted code with a syntax error"
        assert all(isinstance(diagnostic, Diagnostic) for diagnostic in diagnostics)
        errors = [diagnostic for diagnostic in diagnostics if diagnostic.severity is Severity.ERROR]
        assert errors, "a syntax error must be reported with severity error"
        first = errors[0]
        assert first.path == sample_path
        assert isinstance(first.line, int)
        assert 1 <= first.line <= max(1, len(invalid_source.splitlines()))
        assert first.message.strip()

    @_implemented_only
    @pytest.mark.parametrize("garbage", ["\x00\x01\x02", "(" * 5000, "\ufeff\u202e}}}{{{"])
    def test_validate_reports_garbage_without_crashing(
        self,
        garbage: str,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
    ) -> None:
        try:
            diagnostics = hooks.validate(
                make_request(Task.OPTIMIZE), [SourceFile(path=sample_path, code=garbage)]
            )
        except PluginError:
            return
        except PluginHookError as exc:
            pytest.fail(f"validate raised instead of reporting a diagnostic: {exc}")
        assert diagnostics, "validate accepted garbage"

    # -- postprocess --------------------------------------------------------------------------------

    @_implemented_only
    def test_postprocess_keeps_valid_candidates_and_drops_duplicates_and_invalid_ones(
        self,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
        optimized_source: str,
        invalid_source: str,
    ) -> None:
        def candidate(candidate_id: str, code: str) -> Candidate:
            return Candidate(candidate_id=candidate_id, files=(SourceFile(path=sample_path, code=code),))

        candidates = [
            candidate("first", optimized_source),
            candidate("duplicate", optimized_source),
            candidate("invalid", invalid_source),
        ]
        result = hooks.postprocess(make_request(Task.OPTIMIZE), candidates)
        assert isinstance(result, PostprocessResult)
        assert [kept.candidate_id for kept in result.kept] == ["first"]
        assert sorted(dropped.candidate_id for dropped in result.dropped) == ["duplicate", "invalid"]
        assert all(dropped.step and dropped.reason for dropped in result.dropped)

    @_implemented_only
    def test_postprocess_drops_a_copy_of_the_original(
        self,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
        sample_source: str,
    ) -> None:
        copy = Candidate(candidate_id="copy", files=(SourceFile(path=sample_path, code=sample_source),))
        result = hooks.postprocess(make_request(Task.OPTIMIZE), [copy])
        assert result.kept == ()
        assert [dropped.candidate_id for dropped in result.dropped] == ["copy"]

    @_implemented_only
    def test_postprocess_is_idempotent(
        self,
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        sample_path: str,
        optimized_source: str,
    ) -> None:
        request = make_request(Task.OPTIMIZE)
        first = hooks.postprocess(
            request,
            [Candidate(candidate_id="only", files=(SourceFile(path=sample_path, code=optimized_source),))],
        )
        assert [kept.candidate_id for kept in first.kept] == ["only"]
        second = hooks.postprocess(request, first.kept)
        assert second.kept == first.kept
        assert second.dropped == ()

    # -- stubs --------------------------------------------------------------------------------------

    @_stub_only
    @pytest.mark.parametrize("hook", PIPELINE_HOOKS)
    def test_stub_hooks_raise_language_not_implemented(
        self, hook: str, hooks: LanguageHooks, language_name: str
    ) -> None:
        request = TaskRequest(
            task=Task.OPTIMIZE,
            language=language_name,
            trace_id="contract",
            files=(SourceFile(path=None, code="x"),),
        )
        arguments: dict[str, dict[str, Any]] = {
            "build_context": {},
            "extract_code": {"reply": LLMReply(text="```\nx\n```", model="fake")},
            "validate": {"files": request.files},
            "postprocess": {"candidates": (Candidate(candidate_id="c", files=request.files),)},
        }
        with pytest.raises(LanguageNotImplementedError):
            getattr(hooks, hook)(request, **arguments[hook])

    # -- through the service ------------------------------------------------------------------------

    @_implemented_only
    @pytest.mark.asyncio
    async def test_optimize_round_trip(
        self,
        contract_llm: Any,
        codeflash_client: "httpx.AsyncClient",
        language_name: str,
        language_info: LanguageInfo,
        sample_path: str,
        sample_source: str,
        optimized_source: str,
        sample_llm_reply: str,
    ) -> None:
        contract_llm.reply(sample_llm_reply)
        response = await codeflash_client.post(
            "/ai/optimize",
            json={
                "trace_id": str(uuid.uuid4()),
                "language": language_name,
                "source_code": f"```{language_info.tag}:{sample_path}\n{sample_source}\n```",
                "n_candidates": 1,
            },
        )
        assert response.status_code == 200, response.text
        [candidate] = response.json()["optimizations"]
        # Read the candidate the way the client does: its markdown regex, tag, path and code.
        [(tag, path, code)] = CLIENT_MARKDOWN_PATTERN.findall(candidate["source_code"])
        assert (tag, path) == (language_info.tag, sample_path)
        assert code.strip() == optimized_source.strip()
        assert any(sample_source.strip() in seen.prompt for seen in contract_llm.requests)

    @_implemented_only
    @pytest.mark.asyncio
    async def test_testgen_round_trip(
        self,
        contract_llm: Any,
        codeflash_client: "httpx.AsyncClient",
        hooks: LanguageHooks,
        make_request: Callable[..., TaskRequest],
        language_name: str,
        language_info: LanguageInfo,
        sample_path: str,
        sample_source: str,
        sample_function_name: str,
        sample_testgen_reply: str,
    ) -> None:
        contract_llm.reply(sample_testgen_reply)
        response = await codeflash_client.post(
            "/ai/testgen",
            json={
                "trace_id": str(uuid.uuid4()),
                "language": language_name,
                "source_code_being_tested": f"```{language_info.tag}:{sample_path}\n{sample_source}\n```",
                "function_to_optimize": {"function_name": sample_function_name, "file_path": sample_path},
                "module_path": sample_path,
                "test_module_path": "tests/test_sample",
            },
        )
        assert response.status_code == 200, response.text
        generated = response.json()["generated_tests"]
        assert sample_function_name in generated
        request = make_request(Task.TESTGEN)
        assert hooks.validate(request, [SourceFile(path=None, code=generated)]) == []

    @_stub_only
    @pytest.mark.asyncio
    @pytest.mark.parametrize("endpoint", ["/ai/optimize", "/ai/testgen"])
    async def test_stub_answers_501(
        self, endpoint: str, contract_llm: Any, codeflash_client: "httpx.AsyncClient", language_name: str
    ) -> None:
        body = {
            "trace_id": str(uuid.uuid4()),
            "language": language_name,
            "source_code": "```text:src/a.txt\nx\n```",
            "source_code_being_tested": "```text:src/a.txt\nx\n```",
            "function_to_optimize": {"function_name": "f", "file_path": "src/a.txt"},
        }
        response = await codeflash_client.post(endpoint, json=body)
        assert response.status_code == 501, response.text
        assert "not implemented" in response.json()["error"]
        assert contract_llm.requests == [], "a stub must be refused before any LLM call"

    # -- plumbing for the round trips ---------------------------------------------------------------

    @pytest.fixture
    def contract_llm(self, codeflash_fake_llm: Any) -> Any:
        """The fake LLM the round-trip tests script (``codeflash_fake_llm``)."""
        return codeflash_fake_llm


def _declared(plugin: object) -> tuple[LanguageInfo, ...]:
    declared = plugin.codeflash_language_info()  # type: ignore[attr-defined]
    return (declared,) if isinstance(declared, LanguageInfo) else tuple(declared)


def _module_name(plugin: object) -> str:
    # The same identity the loader records for an in-process plugin (``PluginRecord.module``).
    return str(getattr(plugin, "__module__", None) or getattr(plugin, "__name__", type(plugin).__name__))


def _record_of(host: PluginHost, plugin: object) -> PluginRecord:
    matching = [record for record in host.records if record.module == _module_name(plugin)]
    assert matching, f"the host has no record for {_module_name(plugin)}"
    return matching[0]
