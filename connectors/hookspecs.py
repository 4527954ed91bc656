"""The plugin contract: the hooks a storage-connectors plugin may implement."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from connectors.connector import Connector

PROJECT = "connectors"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_connectors(register: Callable[[Connector], None]) -> None:
    """Register connectors by calling ``register(connector)`` once per resource type.

    :param register: stores a ``connectors.Connector`` instance under its ``name``. A name
        already taken by another plugin is reported (naming both plugins) and skipped.
    """
