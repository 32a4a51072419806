"""Replies in any JS/TS fence map onto the request's files; edits apply to the refined candidate."""

from codeflash_lang_js.extraction import extract
from jslang_samples import JS_FASTER, JS_ORIGINAL, JS_PATH, TS_ORIGINAL, js_request, ts_request

from codeflash_engine.domain import LLMReply, Task


def test_a_js_tagged_fence_with_another_path_maps_to_the_only_file() -> None:
    extracted = extract(js_request(), LLMReply(f"Faster.\n\n```js:dups.js\n{JS_FASTER}```\n", "m"))
    assert [(file.path, file.code) for file in extracted.files] == [(JS_PATH, JS_FASTER.rstrip("\n"))]
    assert extracted.explanation == "Faster."


def test_a_typescript_reply_to_a_typescript_request_under_a_ts_tag() -> None:
    extracted = extract(ts_request(), LLMReply(f"```ts\n{TS_ORIGINAL}```", "m"))
    assert extracted.files[0].path == "src/stats.ts"


def test_python_blocks_are_ignored_with_a_reason() -> None:
    extracted = extract(js_request(), LLMReply("```python\nprint(1)\n```", "m"))
    assert extracted.files == ()
    assert any("not in JavaScript or TypeScript" in problem for problem in extracted.problems)


def test_search_replace_edits_apply_to_the_candidate_being_refined() -> None:
    request = js_request(Task.REFINE, optimized_source_code=f"```javascript:{JS_PATH}\n{JS_FASTER}```")
    reply = (
        f"Shorter.\n\n{JS_PATH}\n<<<<<<< SEARCH\n  const dups = new Set();\n=======\n"
        "  const dups = new Set([]);\n>>>>>>> REPLACE\n"
    )
    [file] = extract(request, LLMReply(reply, "m")).files
    assert "new Set([])" in file.code
    assert "seen.has(item)" in file.code
    assert JS_ORIGINAL not in file.code


def test_a_test_reply_becomes_the_clients_test_file() -> None:
    request = ts_request(Task.TESTGEN, test_module_path="test_mostCommon__unit_test_0.test")
    [file] = extract(request, LLMReply("```typescript\nimport { x } from 'y';\nx();\n```", "m")).files
    assert file.path == "test_mostCommon__unit_test_0.test.ts"
