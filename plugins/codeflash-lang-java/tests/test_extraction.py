"""``extract_code``: Java blocks mapped onto the request's files the way the client maps them."""

from codeflash_lang_java import plugin
from java_samples import (
    FOR_EACH,
    HELPER_PATH,
    ITEM_HELPERS,
    TARGET_PATH,
    generation_request,
    optimize_request,
)

from codeflash_engine.domain import LLMReply, Task


def _extract(
    text: str, task: Task = Task.OPTIMIZE
) -> tuple[list[tuple[str | None, str]], str, tuple[str, ...]]:
    request = generation_request() if task is Task.TESTGEN else optimize_request(task)
    extracted = plugin.extract_code(request, LLMReply(text=text, model="m"))
    return [(f.path, f.code) for f in extracted.files], extracted.explanation, extracted.problems


def test_path_tagged_fences_map_onto_their_files_with_the_explanation() -> None:
    reply = (
        f"Faster loop.\n\n```java:{TARGET_PATH}\n{FOR_EACH}\n```\n```java:{HELPER_PATH}\n"
        f"{ITEM_HELPERS}\n```\n"
    )
    files, explanation, _ = _extract(reply)
    assert [path for path, _ in files] == [TARGET_PATH, HELPER_PATH]
    assert files[0][1] == FOR_EACH
    assert explanation == "Faster loop."


def test_a_wrong_directory_maps_by_basename_and_a_pathless_block_to_the_target() -> None:
    files, _, _ = _extract(f"```java:Inventory.java\n{FOR_EACH}\n```")
    assert files[0][0] == TARGET_PATH
    files, _, _ = _extract(f"```java\n{FOR_EACH}\n```")
    assert files[0][0] == TARGET_PATH


def test_blocks_in_another_language_are_never_taken() -> None:
    files, _, problems = _extract(f"```kotlin:{TARGET_PATH}\nfun totalQuantity() = 0\n```")
    assert files == [] and problems


def test_an_unknown_path_is_reported() -> None:
    files, _, problems = _extract(f"```java:src/Other.java\n{FOR_EACH}\n```")
    assert files == [] and any("src/Other.java" in p for p in problems)


def test_search_replace_edits_apply_to_the_candidate_being_refined() -> None:
    request = optimize_request(Task.REFINE, optimized_source_code=f"```java:{TARGET_PATH}\n{FOR_EACH}\n```")
    reply = (
        f"Use +=.\n\n{TARGET_PATH}\n<<<<<<< SEARCH\n            total += clamp(it.getQuantity());\n=======\n"
        "            total += Math.min(it.getQuantity(), LIMIT);\n>>>>>>> REPLACE\n"
    )
    extracted = plugin.extract_code(request, LLMReply(text=reply, model="m"))
    [file] = extracted.files
    assert "Math.min(it.getQuantity(), LIMIT)" in file.code and "for (Item it : items)" in file.code


def test_a_test_reply_is_one_new_file_its_largest_block() -> None:
    files, _, _ = _extract(
        "```java\nclass A {}\n```\n```java\nclass InventoryTest { void t() {} }\n```", Task.TESTGEN
    )
    assert files == [("test_totalQuantity__unit_test_0Test.java", "class InventoryTest { void t() {} }")]
