"""The exception hierarchy of storage-connectors.

    ConnectorsError
     ├── ParseError (ValueError)        a connection string that does not follow its format
     ├── ValidationError (ValueError)   a resource value that does not fit its schema
     ├── CheckError                     a live check that could not run at all
     ├── PluginError                    a plugin that could not be loaded or registered
     └── WorkspaceError                 a workspace path, reference or store problem

No message ever carries a secret: parsers name the part that is wrong (its position and role),
never quote a password, key or token.
"""

from __future__ import annotations

from dataclasses import dataclass


class ConnectorsError(Exception):
    """Base class of every error this package raises on purpose."""


class ParseError(ConnectorsError, ValueError):
    """A connection string that cannot be parsed.

    ``position`` is the 0-based offset in the input where the problem is, when known; ``hint``
    says what to write instead (``did you mean postgresql://?``, the encoded form of a
    character, the form the type expects). ``connectors.parse`` gives every error a hint.
    """

    def __init__(
        self,
        message: str,
        *,
        position: int | None = None,
        type_name: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.position = position
        self.type_name = type_name
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" (at position {self.position})" if self.position is not None else ""
        prefix = f"{self.type_name}: " if self.type_name else ""
        hint = f"; hint: {self.hint}" if self.hint else ""
        return f"{prefix}{self.message}{where}{hint}"


@dataclass(frozen=True)
class Problem:
    """One schema violation: where it is (a JSON pointer) and what is wrong."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class ValidationError(ConnectorsError, ValueError):
    """A resource value that does not fit its resource type; lists every problem found."""

    def __init__(self, type_name: str, problems: list[Problem]) -> None:
        self.type_name = type_name
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        listed = "; ".join(str(p) for p in self.problems)
        return f"invalid {self.type_name} value: {listed}"


class CheckError(ConnectorsError):
    """A live check that could not be run (not a failed check: that is a CheckResult)."""


class PluginError(ConnectorsError):
    """A plugin that failed to load or registered something that clashes."""


class WorkspaceError(ConnectorsError):
    """A bad workspace path, an unknown resource or variable, a reference cycle, a store failure."""


class NotFoundError(WorkspaceError, KeyError):
    """A resource, variable or state that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"
