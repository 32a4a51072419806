import libcst as cst
from codeflash_lang_python.cst_utils import add_imports, remove_statements


def test_remove_one_statement_of_a_semicolon_line() -> None:
    module = cst.parse_module("a = 1; print(a)\nb = 2\n")
    assert remove_statements(module, frozenset({(1,)})).code == "a = 1; \nb = 2\n"


def test_add_imports_after_docstring_and_imports() -> None:
    module = cst.parse_module('"""Doc."""\nimport os\n\nx = os.sep\n')
    assert add_imports(module, ["import sys"]).code == '"""Doc."""\nimport os\nimport sys\n\nx = os.sep\n'
