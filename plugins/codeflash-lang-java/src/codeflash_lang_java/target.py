"""Which file and method a request is about.

``/ai/testgen`` names the function; ``/ai/optimize`` and the refinement family do not, but the
client's context says it: the class skeleton in the target file's block holds the target method
and nothing else but fields and constructors (helpers come after the closing brace).
"""

from collections.abc import Mapping

from attrs import frozen

from codeflash_engine.domain import SourceFile, TaskRequest
from codeflash_engine.treesitter import DefinitionRule, DefinitionRules, definitions
from codeflash_lang_java.grammar import JAVA, parse
from codeflash_lang_java.structure import JavaUnit, Signature, read_unit

# What defines what in Java, for the kit's definitions: types scope their members' names.
JAVA_RULES = DefinitionRules(
    (
        DefinitionRule("class_declaration", "class", scope=True),
        DefinitionRule("interface_declaration", "interface", scope=True),
        DefinitionRule("enum_declaration", "enum", scope=True),
        DefinitionRule("record_declaration", "record", scope=True),
        DefinitionRule("method_declaration", "method"),
        DefinitionRule("constructor_declaration", "constructor"),
    )
)


@frozen
class Target:
    """``path`` and ``unit`` of the target file's block; ``methods`` the target methods' signatures
    by name (empty when the request shows none)."""

    path: str | None
    unit: JavaUnit
    methods: Mapping[str, Signature]

    @property
    def class_name(self) -> str | None:
        return self.unit.class_name


def _named_function(request: TaskRequest) -> tuple[str | None, str | None]:
    """The function's name and file path when the request names them."""
    if request.target is not None:
        return request.target.name, request.target.file_path
    function = request.details.get("function_to_optimize")
    if isinstance(function, Mapping) and function.get("function_name"):
        return str(function["function_name"]), function.get("file_path")
    return None, None


def _target_file(files: tuple[SourceFile, ...], file_path: str | None) -> SourceFile | None:
    if file_path:
        wanted = file_path.replace("\\", "/")
        for file in files:
            if file.path and (wanted == file.path or wanted.endswith("/" + file.path)):
                return file
    return next((file for file in files if read_unit(file.code).class_name is not None), None) or (
        files[0] if files else None
    )


def find_target(request: TaskRequest) -> Target | None:
    name, file_path = _named_function(request)
    file = _target_file(request.files, file_path)
    if file is None:
        return None
    unit = read_unit(file.code)
    methods = [
        definition
        for definition in definitions(JAVA, file.code, JAVA_RULES, tree=parse(file.code))
        if definition.kind == "method"
    ]
    if name is not None:
        # By name: in the class (``Inventory.totalQuantity``) or after its closing brace (depth 0).
        wanted = [d for d in methods if d.name == name and d.depth <= 1]
    else:
        # The skeleton's class body holds the target and nothing else but fields and constructors.
        wanted = [d for d in methods if d.depth == 1 and d.qualified_name == f"{unit.class_name}.{d.name}"]
    starts = {definition.start_byte for definition in wanted}
    signatures = {
        member.names[0]: member.signature
        for member in unit.members
        if member.kind == "method" and member.start_byte in starts and member.signature is not None
    }
    return Target(path=file.path, unit=unit, methods=signatures)


def target_name(request: TaskRequest) -> str | None:
    """The target method's simple name, from the request or the skeleton."""
    name, _ = _named_function(request)
    if name is not None:
        return name
    target = find_target(request)
    return next(iter(target.methods), None) if target is not None else None
