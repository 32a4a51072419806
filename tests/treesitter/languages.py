"""Grammars and definition rules for the kit's tests, as a plugin would declare them."""

from codeflash_engine.treesitter import DefinitionRule, DefinitionRules, Grammar

JAVASCRIPT = Grammar("tree_sitter_javascript", name="javascript")
TYPESCRIPT = Grammar("tree_sitter_typescript", "language_typescript", name="typescript")
TSX = Grammar("tree_sitter_typescript", "language_tsx", name="tsx")
JAVA = Grammar("tree_sitter_java", name="java")
GO = Grammar("tree_sitter_go", name="go")

_EXPORTED = frozenset({"export_statement"})
JS_RULES = DefinitionRules(
    (
        DefinitionRule("function_declaration", "function", wrapper_types=_EXPORTED),
        DefinitionRule("generator_function_declaration", "function", wrapper_types=_EXPORTED),
        DefinitionRule("class_declaration", "class", scope=True, wrapper_types=_EXPORTED),
        DefinitionRule("abstract_class_declaration", "class", scope=True, wrapper_types=_EXPORTED),
        DefinitionRule("method_definition", "method"),
        DefinitionRule(
            "variable_declarator",
            "function",
            value_field="value",
            value_types={"arrow_function", "function_expression", "function"},
            wrapper_types={"lexical_declaration", "variable_declaration", "export_statement"},
        ),
    )
)
JAVA_RULES = DefinitionRules(
    (
        DefinitionRule("class_declaration", "class", scope=True),
        DefinitionRule("interface_declaration", "interface", scope=True),
        DefinitionRule("enum_declaration", "enum", scope=True),
        DefinitionRule("record_declaration", "class", scope=True),
        DefinitionRule("method_declaration", "method"),
        DefinitionRule("constructor_declaration", "constructor"),
    )
)
GO_RULES = DefinitionRules(
    (
        DefinitionRule("function_declaration", "function"),
        DefinitionRule(
            "method_declaration", "method", qualifier_field="receiver", qualifier_types={"type_identifier"}
        ),
        DefinitionRule("var_spec", "function", value_field="value", value_types={"func_literal"}),
        DefinitionRule("type_spec", "type"),
    )
)
