"""Which function a request is about, and in which file.

Testgen names it (``function_to_optimize``). The optimization endpoints do not: there the client's
read-writable block is laid out as the package clause, the file's imports, the target with its doc
comment, then its same-file helpers (``client-contract-go.md`` §3), so the target is the first
function of the first file.
"""

import posixpath
from collections.abc import Mapping

from attrs import frozen

from codeflash_engine.domain import SourceFile, TaskRequest
from codeflash_lang_go.syntax import read_file


@frozen
class Target:
    name: str
    receiver_type: str | None
    path: str | None

    @property
    def qualified_name(self) -> str:
        return f"{self.receiver_type}.{self.name}" if self.receiver_type else self.name


def target_file(request: TaskRequest, target_path: str | None = None) -> SourceFile | None:
    """The request's file holding the target: the one whose path ends the client's absolute path,
    else the first."""
    if not request.files:
        return None
    if target_path:
        for file in request.files:
            if file.path and (target_path == file.path or target_path.endswith("/" + file.path)):
                return file
        basename = posixpath.basename(target_path)
        for file in request.files:
            if file.path and posixpath.basename(file.path) == basename:
                return file
    return request.files[0]


def _named(request: TaskRequest) -> Target | None:
    function = request.details.get("function_to_optimize")
    if isinstance(function, Mapping) and function.get("function_name"):
        parents = [p.get("name") for p in function.get("parents") or () if isinstance(p, Mapping)]
        receiver = str(parents[-1]) if parents and parents[-1] else None
        return Target(str(function["function_name"]), receiver, function.get("file_path"))
    if request.target is not None:
        receiver = request.target.qualified_name.rpartition(".")[0] or None
        return Target(request.target.name, receiver, request.target.file_path)
    return None


def find_target(request: TaskRequest) -> Target | None:
    named = _named(request)
    file = target_file(request, named.path if named else None)
    if named is not None:
        return Target(named.name, named.receiver_type, file.path if file else named.path)
    if file is None:
        return None
    functions = read_file(file.code).functions
    if not functions:
        return None
    first = functions[0]
    return Target(first.name, first.receiver_type, file.path)


def package_of(request: TaskRequest) -> str | None:
    target = find_target(request)
    file = target_file(request, target.path if target else None)
    return read_file(file.code).package if file is not None else None
