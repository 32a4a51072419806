"""What goes to an LLM and what comes back, as the plugins see it."""

from attrs import frozen


@frozen
class Prompt:
    """A two-message conversation: the system instructions and the user turn."""

    system: str
    user: str


@frozen
class LLMReply:
    """The text one model answered."""

    text: str
    model: str
