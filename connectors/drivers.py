"""A missing driver, said as the ``pip install`` that brings it.

Connectors import their driver inside ``connect`` and ``check`` (and hub scripts at their top):
when it is not installed, the ModuleNotFoundError is turned into a MissingDriverError at one
boundary, ``needs_driver``, naming ``storage-connectors[EXTRA]`` for a built-in type, the
plugin's own distribution (with its extra) for a third-party one.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator

from connectors.connector import Connector
from connectors.errors import MissingDriverError

DISTRIBUTION = "storage-connectors"


def is_missing_driver(exc: BaseException) -> bool:
    """Whether ``exc`` says a module outside this package is not installed."""
    name = exc.name if isinstance(exc, ModuleNotFoundError) else None
    return isinstance(name, str) and bool(name) and name.partition(".")[0] != "connectors"


def install_command(connector: Connector, module: str) -> str:
    """The ``pip install`` line that brings ``module`` for ``connector``."""
    from connectors.plugins import get_registry

    origin = get_registry().origin(connector.name)
    if origin is None or origin.builtin:
        distribution: str | None = DISTRIBUTION
    else:
        distribution = origin.distribution
    if distribution and connector.extra:
        return f"pip install {shlex.quote(f'{distribution}[{connector.extra}]')}"
    from connectors.hub.requirements import requirements

    package = (requirements(f"import {module}\n") or [module.partition(".")[0]])[0]
    return f"pip install {shlex.quote(package)}"


@contextlib.contextmanager
def needs_driver(connector: Connector) -> Iterator[None]:
    """Turn a missing driver met inside the block into a MissingDriverError for ``connector``
    (a missing module of the connector's own package is a bug of its, and stays as it is)."""
    try:
        yield
    except ModuleNotFoundError as exc:
        own = type(connector).__module__.partition(".")[0]
        if not is_missing_driver(exc) or str(exc.name).partition(".")[0] == own:
            raise
        module = str(exc.name)
        raise MissingDriverError(
            connector.name, module, install_command(connector, module)
        ) from exc
