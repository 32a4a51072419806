"""Errors of the extraction and rendering helpers."""


class RenderError(ValueError):
    """Code or a path cannot be written in the client's markdown without the client misreading it."""
