"""A method must come back inside its ``class Name { ... }``: a bare method does not parse in the
client and the candidate is dropped there. Wrap it here when that makes it valid."""

from codeflash_engine.domain import SourceFile
from codeflash_lang_js.postprocessing.parsed import OriginalCode, ParsedFile, parse_file


def wrap_bare_method(file: ParsedFile, original: OriginalCode, language: str) -> ParsedFile:
    """``file`` wrapped in the target's class when it is a bare method of it, else ``file``."""
    class_name = original.target_class
    if class_name is None or not file.tree.root_node.has_error or file.path != original.target_path:
        return file
    wrapped = parse_file(SourceFile(file.path, f"class {class_name} {{\n{file.code.strip()}\n}}\n"), language)
    if wrapped.tree.root_node.has_error or original.target is None or wrapped.find(original.target) is None:
        return file
    return wrapped
