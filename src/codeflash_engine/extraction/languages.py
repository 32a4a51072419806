"""Language names as LLMs write them on fences, mapped to the names the client uses."""

from pathlib import PurePosixPath

_ALIASES = {
    "py": "python",
    "py3": "python",
    "python3": "python",
    "python": "python",
    "js": "javascript",
    "jsx": "javascript",
    "mjs": "javascript",
    "cjs": "javascript",
    "node": "javascript",
    "javascript": "javascript",
    "ts": "typescript",
    "tsx": "typescript",
    "typescript": "typescript",
    "java": "java",
    "go": "go",
    "golang": "go",
}

_EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".java": "java",
    ".go": "go",
}


def normalize_language(tag: str) -> str:
    """``py``/``python3`` -> ``python``, ``js`` -> ``javascript`` ...; unknown tags are lowercased."""
    lowered = tag.strip().lower()
    return _ALIASES.get(lowered, lowered)


def is_known_language(tag: str) -> bool:
    return tag.strip().lower() in _ALIASES


def language_of_path(path: str) -> str | None:
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower())
