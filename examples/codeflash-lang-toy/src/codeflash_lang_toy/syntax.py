"""The Toy language: one statement per line.

    # a comment
    fn square(x) = x * x
    let limit = 10
    assert square(3) == 9

Expressions are numbers, names, calls ``name(a, b)``, parentheses and ``+ - * / %``.
"""

import re
from collections.abc import Iterator

from attrs import frozen

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+)|(?P<name>[A-Za-z_]\w*)|(?P<op>==|[-+*/%(),=]))")
KEYWORDS = frozenset({"fn", "let", "assert"})


@frozen
class SyntaxProblem:
    """A syntax error at a 1-based line and column."""

    line: int
    column: int
    message: str


@frozen
class _Token:
    kind: str
    text: str
    column: int


class _Error(Exception):
    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _tokens(line: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while line[position:].strip():
        match = _TOKEN.match(line, position)
        if match is None or match.lastgroup is None:
            column = position + len(line[position:]) - len(line[position:].lstrip()) + 1
            raise _Error(column, f"unexpected character {line[column - 1]!r}")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup) + 1))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over one line's tokens; raises ``_Error`` at the first problem."""

    def __init__(self, tokens: list[_Token], end_column: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.end_column = end_column

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def expect(self, text: str | None = None, kind: str | None = None) -> _Token:
        token = self.peek()
        wanted = text or kind or "token"
        if token is None:
            raise _Error(self.end_column, f"expected {wanted!r}, found the end of the line")
        if (text is not None and token.text != text) or (kind is not None and token.kind != kind):
            raise _Error(token.column, f"expected {wanted!r}, found {token.text!r}")
        self.position += 1
        return token

    def name(self) -> _Token:
        token = self.expect(kind="name")
        if token.text in KEYWORDS:
            raise _Error(token.column, f"{token.text!r} is a keyword")
        return token

    def statement(self) -> None:
        first = self.peek()
        assert first is not None
        if first.text == "fn":
            self.position += 1
            self.name()
            self.expect("(")
            if self.peek_text() != ")":
                self.name()
                while self.peek_text() == ",":
                    self.position += 1
                    self.name()
            self.expect(")")
            self.expect("=")
            self.expression()
        elif first.text == "let":
            self.position += 1
            self.name()
            self.expect("=")
            self.expression()
        elif first.text == "assert":
            self.position += 1
            self.expression()
            self.expect("==")
            self.expression()
        else:
            raise _Error(first.column, f"a statement starts with fn, let or assert, not {first.text!r}")
        extra = self.peek()
        if extra is not None:
            raise _Error(extra.column, f"unexpected {extra.text!r} after the statement")

    def peek_text(self) -> str | None:
        token = self.peek()
        return token.text if token is not None else None

    def expression(self) -> None:
        self.operand()
        while self.peek_text() in ("+", "-", "*", "/", "%"):
            self.position += 1
            self.operand()

    def operand(self) -> None:
        token = self.peek()
        if token is not None and token.kind == "number":
            self.position += 1
        elif token is not None and token.text == "(":
            self.position += 1
            self.expression()
            self.expect(")")
        elif token is not None and token.kind == "name":
            self.name()
            if self.peek_text() == "(":
                self.position += 1
                if self.peek_text() != ")":
                    self.expression()
                    while self.peek_text() == ",":
                        self.position += 1
                        self.expression()
                self.expect(")")
        elif token is None:
            raise _Error(self.end_column, "expected an expression, found the end of the line")
        else:
            raise _Error(token.column, f"expected an expression, found {token.text!r}")


def statements(code: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line that is not blank or a comment."""
    for number, line in enumerate(code.splitlines(), 1):
        text = line.split("#", 1)[0].rstrip()
        if text.strip():
            yield number, text


def check(code: str) -> list[SyntaxProblem]:
    """Every line's first syntax error."""
    problems = []
    for number, text in statements(code):
        try:
            _Parser(_tokens(text), len(text) + 1).statement()
        except _Error as error:
            problems.append(SyntaxProblem(number, error.column, error.message))
    return problems


def normalized(code: str) -> tuple[str, ...]:
    """The code without comments, blank lines and spacing: two versions equal here are the same."""
    return tuple("".join(text.split()) for _, text in statements(code))
