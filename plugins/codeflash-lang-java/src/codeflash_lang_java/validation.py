"""``validate``: what makes the client reject a block (a tree-sitter ERROR or MISSING node), and
what makes its ``javac`` reject it on the project's Java version."""

from collections.abc import Sequence

from codeflash_engine.domain import Diagnostic, SourceFile
from codeflash_lang_java.features import newer_features
from codeflash_lang_java.grammar import syntax_diagnostics
from codeflash_lang_java.java_version import JavaVersion


def validate_file(file: SourceFile, version: JavaVersion) -> list[Diagnostic]:
    problems = syntax_diagnostics(file.code, file.path)
    if not file.code.strip():
        problems.append(Diagnostic(message="the block is empty", path=file.path, line=1, column=1))
    return problems or newer_features(file.code, file.path, version.floor)


def validate_files(files: Sequence[SourceFile], version: JavaVersion) -> list[Diagnostic]:
    return [problem for file in files for problem in validate_file(file, version)]
