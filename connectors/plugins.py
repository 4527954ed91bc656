"""The plugin manager: built-in connectors plus third-party ones from entry points.

Third-party plugins are distributions with an entry point in the ``connectors`` group:

    [project.entry-points.connectors]
    foo = "storage_connectors_foo"

A plugin that fails to import, or registers a type name already taken, is reported once with
its distribution and skipped; the rest keeps working. ``CONNECTORS_DISABLE_PLUGINS``
(comma-separated entry-point names) skips plugins; ``CONNECTORS_LOAD_PLUGINS`` loads only the
named ones. Built-ins cannot be disabled. ``CONNECTORS_STRICT_PLUGINS=1`` turns a plugin
problem into an error.

The entry-point list is cached (``connectors.entry_point_cache``): scanning every installed
distribution's metadata costs more than the rest of ``connectors parse``.
"""

from __future__ import annotations

import importlib
import os
import warnings
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

import pluggy

from connectors import hookspecs
from connectors.connector import Connector
from connectors.entry_point_cache import CachedEntryPoint, connectors_entry_points
from connectors.errors import PluginError

ENTRY_POINT_GROUP = "connectors"
DEFAULT_PLUGINS = (
    "connectors.default_plugins.postgresql",
    "connectors.default_plugins.mongodb",
    "connectors.default_plugins.redis",
    "connectors.default_plugins.upstash_redis",
    "connectors.default_plugins.s3",
    "connectors.default_plugins.azure_blob",
)


class PluginWarning(UserWarning):
    """A plugin was skipped; the message names it, its distribution and why."""


@dataclass
class PluginInfo:
    """One loaded plugin: where it came from and what it registered."""

    name: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    registered: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.builtin:
            return f"built-in plugin {self.name!r}"
        dist = f" from {self.distribution} {self.version}" if self.distribution else ""
        return f"plugin {self.name!r}{dist}"


@dataclass
class Registry:
    """Every connector by type name, the plugin each came from, and the problems met."""

    connectors: dict[str, Connector] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def origin(self, type_name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if type_name in p.registered), None)


def _strict() -> bool:
    return os.environ.get("CONNECTORS_STRICT_PLUGINS", "") not in ("", "0")


def _report(registry: Registry, message: str, exc: BaseException | None = None) -> None:
    if _strict():
        raise PluginError(message) from exc
    registry.problems.append(message)
    warnings.warn(message, PluginWarning, stacklevel=3)


def _names(variable: str) -> list[str]:
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


def _selected(ep: CachedEntryPoint) -> bool:
    only = _names("CONNECTORS_LOAD_PLUGINS")
    skip = _names("CONNECTORS_DISABLE_PLUGINS")
    return (not only or ep.name in only) and ep.name not in skip


def build_plugin_manager() -> tuple[pluggy.PluginManager, dict[str, PluginInfo], Registry]:
    """A fresh manager with the built-ins and every selected entry-point plugin loaded."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    infos: dict[str, PluginInfo] = {}
    for module_name in DEFAULT_PLUGINS:
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
        infos[module_name] = PluginInfo(module_name.rsplit(".", 1)[-1], builtin=True)
    for ep in connectors_entry_points(ENTRY_POINT_GROUP):
        if not _selected(ep) or pm.get_plugin(ep.name) is not None:
            continue
        info = PluginInfo(ep.name, distribution=ep.distribution, version=ep.version)
        try:
            plugin: ModuleType = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:
            _report(registry, f"{info.label} failed to load: {type(exc).__name__}: {exc}", exc)
            continue
        infos[ep.name] = info
    pm.check_pending()
    return pm, infos, registry


def _collect(pm: pluggy.PluginManager, infos: dict[str, PluginInfo], registry: Registry) -> None:
    # One call per implementation, so each registration is attributed to its plugin.
    for impl in pm.hook.register_connectors.get_hookimpls():
        info = infos[impl.plugin_name]
        registry.plugins.append(info)

        def register(connector: Connector, info: PluginInfo = info) -> None:
            name = getattr(connector, "name", None)
            if not isinstance(connector, Connector) or not name:
                _report(registry, f"{info.label} registered {connector!r}, not a named Connector")
                return
            taken = registry.origin(name)
            if taken is not None:
                _report(
                    registry,
                    f"{info.label} registers type {name!r}, "
                    f"already registered by {taken.label}; skipped",
                )
                return
            registry.connectors[name] = connector
            info.registered.append(name)

        try:
            impl.function(register=register)
        except Exception as exc:
            _report(registry, f"{info.label} failed to register: {type(exc).__name__}: {exc}", exc)


@cache
def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    pm, infos, registry = build_plugin_manager()
    _collect(pm, infos, registry)
    return registry


def get_connector(type_name: str) -> Connector:
    """The connector registered for ``type_name``, or a PluginError naming the known ones."""
    registry = get_registry()
    try:
        return registry.connectors[type_name]
    except KeyError:
        known = ", ".join(sorted(registry.connectors))
        raise PluginError(f"unknown resource type {type_name!r} (known: {known})") from None


def reset() -> None:
    """Forget the cached registry (tests that install plugins call this)."""
    get_registry.cache_clear()
