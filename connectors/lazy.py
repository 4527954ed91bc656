"""Imports deferred until first use: detection must not import every family's parser."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_import(namespace: dict[str, Any], module: str, *names: str) -> None:
    """Define ``names`` in ``namespace`` as stand-ins that import ``module`` on first call.

    The first call of any of them imports the module and puts its real functions in their
    place, so later calls cost nothing extra (an ``import`` inside a function costs about a
    microsecond at every call). ``"name as alias"`` binds under another name. Write the same
    ``from module import ...`` under ``TYPE_CHECKING`` next to it, for the type checker.
    """

    pairs = [(n.split(" as ")[0], n.split(" as ")[-1]) for n in names]  # "parse as parse_x"

    def load() -> None:
        imported = importlib.import_module(module)
        for original, name in pairs:
            namespace[name] = getattr(imported, original)

    def stand_in(name: str) -> Callable[..., Any]:
        def first_call(*args: Any, **kwargs: Any) -> Any:
            load()
            return namespace[name](*args, **kwargs)

        first_call.__name__ = name
        return first_call

    for _, name in pairs:
        namespace[name] = stand_in(name)


def lazy_exports(namespace: dict[str, Any], exports: dict[str, str]) -> None:
    """Give a module (``namespace``: its ``globals()``) the names of ``exports`` (name -> the
    module defining it), each imported on first attribute access (PEP 562).

    A name that is the last part of its module's own name (``"redact": "connectors.redact"``)
    stands for the module itself. Write the same imports under ``TYPE_CHECKING``.
    """
    label = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {label!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        value = module if module_name.rpartition(".")[2] == name else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
