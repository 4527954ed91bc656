"""A class attribute built on first use, for schemas that need a costly import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LazySchema:
    """``schema = LazySchema(build)``: ``build()`` runs once, when the schema is first read.

    Auto-detection imports every connector; a schema built from the parser's tables would
    import every parser with it.
    """

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self._build = build
        self._value: dict[str, Any] | None = None

    def __get__(self, instance: object, owner: type | None = None) -> dict[str, Any]:
        if self._value is None:
            self._value = self._build()
        return self._value
