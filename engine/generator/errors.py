"""Errors raised by generator backends; the Answerer turns every one into an extractive answer."""


class GeneratorError(RuntimeError):
    """A backend failed (bad configuration, HTTP error, malformed stream, model missing)."""


class GeneratorTimeout(GeneratorError):
    """The deadline expired before the backend finished."""
