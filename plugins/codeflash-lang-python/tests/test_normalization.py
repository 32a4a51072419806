from codeflash_lang_python.normalization import source_key


def test_renamed_locals_docstrings_and_comments_do_not_matter() -> None:
    first = "def f(a):\n    x = a + 1\n    return x\n"
    second = 'def f(a):\n    """Add one."""\n    result = a + 1  # one more\n    return result\n'
    assert source_key(first) == source_key(second)


def test_a_changed_operation_matters() -> None:
    assert source_key("def f(a):\n    return a + 1\n") != source_key("def f(a):\n    return a * 2\n")


def test_renamed_parameter_matters() -> None:
    assert source_key("def f(a):\n    return a\n") != source_key("def f(b):\n    return b\n")


def test_renamed_exception_variable_does_not_matter() -> None:
    first = "try:\n    pass\nexcept ValueError as e:\n    raise e\n"
    second = "try:\n    pass\nexcept ValueError as error:\n    raise error\n"
    assert source_key(first) == source_key(second)


def test_locals_are_canonicalized_per_function() -> None:
    first = "def f(a):\n    x = a\n    return x\n\ndef g(b):\n    y = b\n    return y\n"
    second = "def f(a):\n    x = a\n    return x\n\ndef g(b):\n    x = b\n    return x\n"
    assert source_key(first) == source_key(second)


def test_imported_names_are_kept() -> None:
    assert source_key("import numpy as np\nx = np.zeros(3)\n") != source_key(
        "import numpy as xp\nx = xp.zeros(3)\n"
    )


def test_code_that_does_not_parse_is_its_own_key() -> None:
    assert source_key("def (") == "def ("
