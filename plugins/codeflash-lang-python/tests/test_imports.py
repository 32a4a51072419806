import ast

from codeflash_lang_python.postprocessing.imports import fix_imports
from codeflash_lang_python.postprocessing.render import render_file
from codeflash_lang_python.postprocessing.working import OriginalFile, WorkingFile
from pylang_samples import PATH

ORIGINAL = (
    "import numpy as np\nimport pytest\nfrom math import sqrt\n\n\ndef norm(v):\n"
    "    return sqrt(sum(x * x for x in v))\n"
)


def _fix(code: str) -> str:
    original = OriginalFile(PATH, ORIGINAL, ast.parse(ORIGINAL))
    return render_file(fix_imports(WorkingFile(PATH, code, ast.parse(code)), original)).code


def test_missing_import_is_added_from_the_original() -> None:
    code = '"""Vector helpers."""\n\n\ndef norm(v):\n    return float(np.linalg.norm(v))\n'
    assert _fix(code) == (
        '"""Vector helpers."""\nimport numpy as np\n\n\ndef norm(v):\n    return float(np.linalg.norm(v))\n'
    )


def test_imports_nothing_uses_are_removed_but_future_stays() -> None:
    code = (
        "from __future__ import annotations\nimport pytest\nimport sys\nfrom math import sqrt\n\n\n"
        "def norm(v):\n    return sqrt(sum(x * x for x in v))\n"
    )
    assert _fix(code) == (
        "from __future__ import annotations\nfrom math import sqrt\n\n\ndef norm(v):\n"
        "    return sqrt(sum(x * x for x in v))\n"
    )


def test_used_imports_stay_untouched() -> None:
    code = "import numpy as np\n\n\ndef norm(v):\n    return float(np.linalg.norm(v))\n"
    assert _fix(code) == code
