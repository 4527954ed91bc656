"""The plugin manager: built-in connectors plus third-party ones from entry points.

Third-party plugins are distributions with an entry point in the ``connectors`` group:

    [project.entry-points.connectors]
    foo = "storage_connectors_foo"

A plugin that fails to import, registers a type name already taken or a schema that is not
valid JSON Schema (``connectors.plugin_checks``), is reported once with its distribution and
skipped; the rest keeps working. So is a detect or parse that raises something other than
ParseError while a string is parsed (``contain``). ``CONNECTORS_DISABLE_PLUGINS``
(comma-separated entry-point names) skips plugins; ``CONNECTORS_LOAD_PLUGINS`` loads only the
named ones. Built-ins cannot be disabled. ``CONNECTORS_STRICT_PLUGINS=1`` turns a plugin
problem into an error. Each plugin's state (``ok``, ``disabled``, ``broken``) and the reason
are in ``Registry.plugins`` (``connectors plugins``).

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
from connectors.errors import PluginError, UnknownTypeError
from connectors.plugin_checks import SchemaVerdicts

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


OK = "ok"
DISABLED = "disabled"
BROKEN = "broken"


@dataclass
class PluginInfo:
    """One plugin: where it came from, what it registered, its state and why."""

    name: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    registered: list[str] = field(default_factory=list)
    #: ``ok``; ``disabled`` (by CONNECTORS_DISABLE_PLUGINS / CONNECTORS_LOAD_PLUGINS); ``broken``
    #: (it failed to load, or something it registered was refused: see ``reasons``)
    state: str = OK
    reasons: list[str] = field(default_factory=list)

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
    #: the third-party types, whose parser output is validated before anyone sees it
    third_party: set[str] = field(default_factory=set)

    def origin(self, type_name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if type_name in p.registered), None)


def _strict() -> bool:
    return os.environ.get("CONNECTORS_STRICT_PLUGINS", "") not in ("", "0")


def _report(
    registry: Registry,
    message: str,
    exc: BaseException | None = None,
    info: PluginInfo | None = None,
) -> None:
    if _strict():
        raise PluginError(message) from exc
    if info is not None and message not in info.reasons:
        info.state = BROKEN
        info.reasons.append(message)
    if message not in registry.problems:
        registry.problems.append(message)
        warnings.warn(message, PluginWarning, stacklevel=3)


def _names(variable: str) -> list[str]:
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


def _deselected(ep: CachedEntryPoint) -> str | None:
    """Why the environment turns ``ep`` off, or None when it is to be loaded."""
    only = _names("CONNECTORS_LOAD_PLUGINS")
    if only and ep.name not in only:
        return "not in CONNECTORS_LOAD_PLUGINS"
    if ep.name in _names("CONNECTORS_DISABLE_PLUGINS"):
        return "disabled by CONNECTORS_DISABLE_PLUGINS"
    return None


def build_plugin_manager() -> tuple[pluggy.PluginManager, dict[str, PluginInfo], Registry]:
    """A fresh manager with the built-ins and every selected entry-point plugin loaded.

    ``Registry.plugins`` lists every plugin met, the disabled and broken ones included.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    infos: dict[str, PluginInfo] = {}
    for module_name in DEFAULT_PLUGINS:
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
        infos[module_name] = PluginInfo(module_name.rsplit(".", 1)[-1], builtin=True)
    for ep in connectors_entry_points(ENTRY_POINT_GROUP):
        if pm.get_plugin(ep.name) is not None or ep.name in infos:
            continue
        info = infos[ep.name] = PluginInfo(ep.name, ep.distribution, ep.version)
        why_not = _deselected(ep)
        if why_not is not None:
            info.state = DISABLED
            info.reasons.append(why_not)
            continue
        try:
            plugin: ModuleType = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:
            message = f"{info.label} failed to load: {type(exc).__name__}: {exc}"
            _report(registry, message, exc, info)
    pm.check_pending()
    return pm, infos, registry


def _collect(pm: pluggy.PluginManager, infos: dict[str, PluginInfo], registry: Registry) -> None:
    # One call per implementation, so each registration is attributed to its plugin.
    impls = {impl.plugin_name: impl for impl in pm.hook.register_connectors.get_hookimpls()}
    verdicts = SchemaVerdicts(ENTRY_POINT_GROUP)
    for plugin_name, info in infos.items():
        registry.plugins.append(info)
        impl = impls.get(plugin_name)
        if impl is None:
            continue

        def register(connector: Connector, info: PluginInfo = info) -> None:
            _register(registry, info, connector, verdicts)

        try:
            impl.function(register=register)
        except Exception as exc:
            message = f"{info.label} failed to register: {type(exc).__name__}: {exc}"
            _report(registry, message, exc, info)
    verdicts.save()


def _register(
    registry: Registry, info: PluginInfo, connector: Connector, verdicts: SchemaVerdicts
) -> None:
    name = getattr(connector, "name", None)
    if not isinstance(connector, Connector) or not name or not isinstance(name, str):
        message = f"{info.label} registered {connector!r}, not a named Connector"
        _report(registry, message, None, info)
        return
    taken = registry.origin(name)
    if taken is not None:
        message = f"{info.label} registers type {name!r}, already registered by {taken.label}"
        _report(registry, f"{message}; skipped", None, info)
        return
    if not info.builtin:  # the built-ins' schemas are checked by the tests, not at each start
        problem = verdicts.problem(connector)
        if problem is not None:
            message = f"{info.label} registers type {name!r}: {problem}; skipped"
            _report(registry, message, None, info)
            return
        registry.third_party.add(name)
    registry.connectors[name] = connector
    info.registered.append(name)


@cache
def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    pm, infos, registry = build_plugin_manager()
    _collect(pm, infos, registry)
    return registry


def get_connector(type_name: str) -> Connector:
    """The connector registered for ``type_name``; an UnknownTypeError lists the installed
    types and the closest name."""
    registry = get_registry()
    try:
        return registry.connectors[type_name]
    except KeyError:
        raise UnknownTypeError(type_name, sorted(registry.connectors)) from None


def _label(type_name: str) -> str:
    info = get_registry().origin(type_name)
    return info.label if info is not None else f"the connector of {type_name!r}"


def plugin_failure(type_name: str, action: str, exc: Exception) -> PluginError:
    """The error for a connector's ``detect`` or ``parse`` that raised ``exc`` (not a
    ParseError). It names the plugin and where it failed, not the exception's message, which
    may quote the string (a secret)."""
    where = _raised_at(exc)
    message = f"{_label(type_name)} failed in {action}: {type(exc).__name__}{where}"
    return PluginError(message, type_name=type_name)


def refused_output(type_name: str, problem: str) -> PluginError:
    """The error for a parser whose answer does not fit its own schema (``problem``)."""
    return PluginError(f"{_label(type_name)}: its parser {problem}", type_name=type_name)


def contain(error: PluginError) -> None:
    """Report a connector's failure once as a warning naming its plugin: the string goes on to
    the other types. In strict mode the failure is raised instead."""
    registry = get_registry()
    info = registry.origin(error.type_name) if error.type_name else None
    skipped = f"{error}; type {error.type_name!r} was skipped for that string"
    _report(registry, skipped, error, info)


def _raised_at(exc: BaseException) -> str:
    """`` at module:12``: the innermost frame, for the plugin's author."""
    tb = exc.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__") or tb.tb_frame.f_code.co_filename
    return f" at {module}:{tb.tb_lineno}"


def reset() -> None:
    """Forget the cached registry (tests that install plugins call this)."""
    get_registry.cache_clear()
