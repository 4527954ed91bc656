"""``$var:`` and ``$res:`` references inside resource values, resolved recursively.

As Windmill's ``get_value_interpolated`` does: a string that starts with ``$var:`` becomes that
variable's (decrypted) value; one that starts with ``$res:`` becomes that resource's value,
itself resolved. Objects are walked; so are arrays (Windmill's server does not walk arrays, its
job-argument resolution does; resolving them here is the more useful of the two). Keys are never
inspected. A resource that refers back to itself, directly or through others, is a
WorkspaceError naming the whole cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError

ResourceLookup = Callable[[str], Any]  # path -> raw value, or raises NotFoundError
VariableLookup = Callable[[str], str]  # path -> value, or raises NotFoundError


def resolve(
    value: Any,
    resources: ResourceLookup,
    variables: VariableLookup,
    *,
    origin: str | None = None,
) -> Any:
    """``value`` with every reference replaced; ``origin`` is the path ``value`` was read from."""
    chain = [origin] if origin else []
    return _walk(value, resources, variables, chain)


def _walk(
    value: Any, resources: ResourceLookup, variables: VariableLookup, chain: list[str]
) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, resources, variables, chain) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, resources, variables, chain) for item in value]
    if isinstance(value, str):
        if value.startswith("$var:"):
            return _variable(value[5:], variables, chain)
        if value.startswith("$res:"):
            return _resource(value[5:], resources, variables, chain)
    return value


def _where(chain: list[str]) -> str:
    return f" (referenced from {chain[-1]})" if chain else ""


def _variable(path: str, variables: VariableLookup, chain: list[str]) -> str:
    try:
        return variables(path)
    except NotFoundError:
        raise NotFoundError(f"variable {path} not found{_where(chain)}") from None


def _resource(
    path: str, resources: ResourceLookup, variables: VariableLookup, chain: list[str]
) -> Any:
    if path.count("/") < 2:
        raise WorkspaceError(
            f"invalid reference $res:{path}{_where(chain)}: needs u/, f/ or g/ path"
        )
    if path in chain:
        cycle = " -> ".join(f"$res:{p}" for p in [*chain[chain.index(path) :], path])
        raise WorkspaceError(f"reference cycle: {cycle}")
    try:
        raw = resources(path)
    except NotFoundError:
        raise NotFoundError(f"resource {path} not found{_where(chain)}") from None
    return _walk(raw, resources, variables, [*chain, path])
