"""The exception hierarchy of storage-connectors.

    ConnectorsError
     ├── ParseError (ValueError)        a connection string that does not follow its format
     ├── ValidationError (ValueError)   a resource value that does not fit its schema
     ├── UnknownTypeError (ValueError)  a type name no installed plugin registers
     ├── MissingDriverError (ImportError) a driver that is not installed; names the pip install
     ├── CheckError                     a live check or client that cannot be had at all
     │                                  (a type with no check or no driver: misuse)
     ├── PluginError                    a plugin that could not be loaded or registered, or
     │                                  whose detect/parse failed or answered outside its schema
     └── WorkspaceError                 a workspace path, reference or store problem
          └── NotFoundError (KeyError)  a resource, variable or state that does not exist

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


class UnknownTypeError(ConnectorsError, ValueError):
    """A resource type name that no installed plugin registers; the message lists the
    installed types and the closest name."""

    def __init__(self, type_name: str, installed: list[str]) -> None:
        self.type_name = type_name
        self.installed = installed
        super().__init__(str(self))

    @property
    def closest(self) -> str | None:
        """The installed name nearest to ``type_name`` (difflib), if any is near enough."""
        import difflib  # only for this error: not on every start

        text = self.type_name if isinstance(self.type_name, str) else repr(self.type_name)
        found = difflib.get_close_matches(text.lower(), self.installed, n=1, cutoff=0.6)
        return found[0] if found else None

    def __str__(self) -> str:
        guess = self.closest
        mean = f"; did you mean {guess!r}?" if guess else ""
        installed = ", ".join(self.installed)
        return f"unknown resource type {self.type_name!r}{mean} (installed: {installed})"


class MissingDriverError(ConnectorsError, ImportError):
    """The driver a connector needs is not installed; the message is the ``pip install``
    that brings it (``storage-connectors[EXTRA]``, or a plugin's own distribution)."""

    def __init__(self, type_name: str, module: str, install: str) -> None:
        self.type_name = type_name
        self.module = module
        self.install = install
        super().__init__(str(self), name=module)

    def __str__(self) -> str:
        return (
            f"{self.type_name} needs the driver {self.module!r}, which is not installed: "
            f"{self.install}"
        )


class CheckError(ConnectorsError):
    """A live check that cannot be run at all: a type with no check, a resource that is not
    one (not a failed check: that is a CheckResult whose steps say what failed); or a client
    ``connect`` cannot make: a type with no driver."""


class PluginError(ConnectorsError):
    """A plugin that failed to load or registered something refused (a type name already
    taken, a schema that is not valid JSON Schema), or a connector whose detect or parse
    raised, or whose parser answered outside its schema (``type_name`` names it)."""

    def __init__(self, message: str, *, type_name: str | None = None) -> None:
        self.type_name = type_name
        super().__init__(message)


class WorkspaceError(ConnectorsError):
    """A bad workspace path, an unknown resource or variable, a reference cycle, a store failure."""


class NotFoundError(WorkspaceError, KeyError):
    """A resource, variable or state that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"
