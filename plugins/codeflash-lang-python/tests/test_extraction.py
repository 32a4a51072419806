from codeflash_lang_python.extraction import extract
from codeflash_lang_python.file_mapping import map_to_request_path
from pylang_samples import ORIGINAL, PATH, RequestFactory

from codeflash_engine.domain import LLMReply, SourceFile, Task

CHATTY_REPLY = """Sure! The loop can be replaced by the closed form of the sum of squares.

```python
def sum_of_squares(n):
    return (n - 1) * n * (2 * n - 1) // 6
```

This runs in O(1) instead of O(n). Let me know if you need anything else!
"""


def test_chatty_reply_with_a_fence_without_path_maps_to_the_only_file(make_request: RequestFactory) -> None:
    extracted = extract(make_request(), LLMReply(CHATTY_REPLY, "m"))
    (file,) = extracted.files
    assert file.path == PATH
    assert file.code.startswith("def sum_of_squares(n):")
    assert extracted.explanation.startswith("Sure! The loop")


def test_two_files_map_by_exact_path_and_basename(make_request: RequestFactory) -> None:
    request = make_request(files=(SourceFile("pkg/a.py", "x = 1\n"), SourceFile("pkg/b.py", "y = 2\n")))
    reply = "Changes:\n```python:pkg/a.py\nx = 10\n```\n```python:b.py\ny = 20\n```\n"
    extracted = extract(request, LLMReply(reply, "m"))
    assert [(file.path, file.code.strip()) for file in extracted.files] == [
        ("pkg/a.py", "x = 10"),
        ("pkg/b.py", "y = 20"),
    ]


def test_block_for_an_unknown_file_is_dropped_with_a_reason(make_request: RequestFactory) -> None:
    request = make_request(files=(SourceFile("pkg/a.py", "x = 1\n"), SourceFile("pkg/b.py", "y = 2\n")))
    extracted = extract(request, LLMReply("```python:pkg/c.py\nz = 3\n```\n", "m"))
    assert extracted.files == ()
    assert any("pkg/c.py" in problem for problem in extracted.problems)


def test_truncated_reply_yields_nothing(make_request: RequestFactory) -> None:
    extracted = extract(
        make_request(), LLMReply("Here:\n```python:mypkg/slow.py\ndef sum_of_squares(n):\n", "m")
    )
    assert extracted.files == ()
    assert extracted.problems


def test_search_replace_applies_to_the_candidate_being_repaired(make_request: RequestFactory) -> None:
    broken = (
        "def sum_of_squares(n):\n    if n <= 0 or n == 49:\n        return 0\n"
        "    return (n - 1) * n * (2 * n - 1) // 6\n"
    )
    request = make_request(task=Task.CODE_REPAIR, modified_source_code=f"```python:{PATH}\n{broken}```")
    reply = (
        "The special case for 49 is wrong.\n\n"
        f"{PATH}\n<<<<<<< SEARCH\n    if n <= 0 or n == 49:\n=======\n    if n <= 0:\n>>>>>>> REPLACE\n"
    )
    extracted = extract(request, LLMReply(reply, "m"))
    (file,) = extracted.files
    assert "n == 49" not in file.code
    assert file.code.startswith("def sum_of_squares(n):\n    if n <= 0:\n")
    assert extracted.explanation == "The special case for 49 is wrong."


def test_edit_that_does_not_apply_is_a_problem_not_an_exception(make_request: RequestFactory) -> None:
    reply = f"{PATH}\n<<<<<<< SEARCH\nthis text is not in the file\n=======\nx = 1\n>>>>>>> REPLACE\n"
    extracted = extract(make_request(task=Task.REFINE, code=ORIGINAL), LLMReply(reply, "m"))
    assert extracted.files == ()
    assert extracted.problems


def test_mapping_order_matches_the_client() -> None:
    paths = ["a/x.py", "b/y.py"]
    assert map_to_request_path("a/x.py", paths) == "a/x.py"
    assert map_to_request_path("./a/x.py", paths) == "a/x.py"
    assert map_to_request_path("other/y.py", paths) == "b/y.py"
    assert map_to_request_path(None, paths) is None
    assert map_to_request_path("whatever.py", ["only.py"]) == "only.py"
