"""The one error family. The CLI maps each class to an exit code and a one-line message."""

from __future__ import annotations


class SpecagentError(Exception):
    """Base class: anything specagent reports to a person as one line."""

    exit_code: int = 1


class UsageError(SpecagentError):
    """The command was called wrongly (bad flag combination, bad value)."""

    exit_code = 1


class InputPathError(SpecagentError):
    """The prototype path is missing, not a folder, or unreadable."""

    exit_code = 2


class OutputPathError(SpecagentError):
    """The output folder cannot be created or written (a file in the way, no permission)."""

    exit_code = 2


class SpecFileError(SpecagentError):
    """A SPEC.md or spec.json could not be read back or fails validation."""

    exit_code = 2


class EditedSpecError(SpecagentError):
    """Writing would overwrite a spec a person edited since specagent wrote it."""

    exit_code = 3


class IndexUnusableError(SpecagentError):
    """The repository index is unusable (locked, built by another embedder, corrupt)."""

    exit_code = 4


class ModelIntegrityError(SpecagentError):
    """A packaged model or tokenizer failed its sha256 check."""

    exit_code = 4


class ModelError(SpecagentError):
    """A configured language model could not be reached or kept returning garbage."""

    exit_code = 5
