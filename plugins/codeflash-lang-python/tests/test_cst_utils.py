import libcst as cst
from codeflash_lang_python.cst_utils import (
    add_imports,
    find_class,
    find_function,
    imported_names,
    remove_statements,
    used_names,
)

MODULE = cst.parse_module(
    "import os.path\nfrom numpy import array as arr\n\n\nclass Outer:\n    class Inner:\n"
    "        def run(self):\n            return os.path.join(self.x, arr([1]))\n\n\ndef top():\n    pass\n"
)


def test_find_function_and_class_by_qualified_name() -> None:
    run = find_function(MODULE, "Outer.Inner.run")
    assert run is not None and run.name.value == "run"
    assert find_class(MODULE, "Outer.Inner") is not None
    assert find_function(MODULE, "Outer.Inner") is None
    assert find_function(MODULE, "missing") is None


def test_imported_and_used_names() -> None:
    assert imported_names(MODULE) == {"os", "arr"}
    run = find_function(MODULE, "Outer.Inner.run")
    assert run is not None
    assert used_names(run) == {"run", "self", "os", "arr"}


def test_remove_one_statement_of_a_semicolon_line() -> None:
    module = cst.parse_module("a = 1; print(a)\nb = 2\n")
    assert remove_statements(module, frozenset({(1,)})).code == "a = 1; \nb = 2\n"


def test_add_imports_after_docstring_and_imports() -> None:
    module = cst.parse_module('"""Doc."""\nimport os\n\nx = os.sep\n')
    assert add_imports(module, ["import sys"]).code == '"""Doc."""\nimport os\nimport sys\n\nx = os.sep\n'
