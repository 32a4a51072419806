"""The rules of the client's Java replacer (``replacement.py`` in codeflash 0.20.6), as checks.

For the target file the replacer swaps in the target method, replaces the class's constructors,
adds fields and methods whose names the file does not have yet, and ignores everything else: the
imports, the class header, existing fields and existing methods. A candidate that relies on a
change the replacer ignores fails to compile or behaves differently, so it is refused here with
the reason. For a helper file it replaces each helper it sent with the *whole* block.
"""

from codeflash_lang_java.structure import JavaUnit, Member
from codeflash_lang_java.target import Target


class RefusedCandidateError(ValueError):
    """The candidate cannot be applied as written; the message says why."""


def check_target_methods(unit: JavaUnit, target: Target) -> None:
    for name, original in target.methods.items():
        found = unit.methods(name)
        if not found:
            raise RefusedCandidateError(f"does not define the target method `{name}`")
        if len(found) > 1:
            raise RefusedCandidateError(
                f"defines `{name}` {len(found)} times; the client swaps in the first and drops the others"
            )
        signature = found[0].signature
        if signature != original:
            now = signature.describe() if signature else "?"
            raise RefusedCandidateError(
                f"changes the signature of `{name}` from `{original.describe()}` to `{now}`"
            )


def _by_name(unit: JavaUnit) -> dict[tuple[str, str], Member]:
    return {(member.kind, name): member for member in unit.members for name in member.names}


def check_class_unchanged(unit: JavaUnit, target: Target) -> None:
    """Everything but the target method, constructors and new fields or methods stays as sent."""
    original = target.unit
    if unit.class_name is not None and original.class_name is not None:
        if unit.class_name != original.class_name:
            raise RefusedCandidateError(
                f"renames class `{original.class_name}` to `{unit.class_name}`; the client keeps the name"
            )
        if unit.header != original.header:
            raise RefusedCandidateError(
                f"changes the declaration of class `{original.class_name}` (modifiers, type parameters, "
                "extends or implements), which the client keeps as it is"
            )
    if unit.extra_types:
        raise RefusedCandidateError(
            f"declares another top-level type `{unit.extra_types[0]}`, which the client does not copy"
        )
    before = _by_name(original)
    for member in unit.members:
        if member.kind in ("constructor",) or (member.kind == "method" and member.names[0] in target.methods):
            continue
        old = [before.get((member.kind, name)) for name in member.names]
        if member.kind in ("type", "initializer") and old[0] is None:
            raise RefusedCandidateError(
                f"adds {'a nested type' if member.kind == 'type' else 'an initializer block'} "
                f"(`{member.name}`), which the client does not copy into the class"
            )
        changed = [o for o in old if o is not None and o.fingerprint != member.fingerprint]
        if changed:
            what = {"field": "field", "method": "method", "type": "nested type"}.get(member.kind, member.kind)
            raise RefusedCandidateError(
                f"changes the existing {what} `{member.name}`; the client only adds members with new "
                "names and keeps existing ones as they are"
            )


def changed_helpers(unit: JavaUnit, original: JavaUnit, path: str) -> list[Member]:
    """The helper methods a helper-file block changes; refuses what the client cannot apply."""
    if unit.class_name is not None:
        raise RefusedCandidateError(
            f"the block for {path} is a class; the client expects only the helper methods it sent"
        )
    before = {name: member for member in original.members for name in member.names}
    changed = []
    for member in unit.members:
        old = before.get(member.names[0]) if member.kind == "method" else None
        if old is None:
            raise RefusedCandidateError(
                f"adds {member.kind} `{member.name}` to {path}; the client only replaces the helper "
                "methods it sent there"
            )
        if old.signature != member.signature:
            raise RefusedCandidateError(f"changes the signature of helper `{member.name}` in {path}")
        if old.fingerprint != member.fingerprint:
            changed.append(member)
    return changed
