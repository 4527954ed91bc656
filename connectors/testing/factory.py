"""ServerFactory: start each live server once per session, from the first source that works."""

from __future__ import annotations

import contextlib
import importlib
import os
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NoReturn, final

import pytest

from connectors.resource import Resource
from connectors.testing.process import ServerStartError
from connectors.testing.servers import Products, ServerUnavailable

REQUIRE_LIVE_ENV: Final = "CONNECTORS_REQUIRE_LIVE"
DOCKER_ENV: Final = "CONNECTORS_TEST_DOCKER"


@dataclass(frozen=True)
class Recipe:
    """How to start one kind of server: as a local process, or (optionally) a container."""

    local: Callable[[Path], AbstractContextManager[Products]]
    container: Callable[[], AbstractContextManager[Products]] | None = None


@dataclass(frozen=True)
class Service:
    """A resource the harness offers: its type, its recipe and its per-test isolation."""

    resource_type: str
    recipe: str
    fresh: Callable[[dict[str, Any]], AbstractContextManager[dict[str, Any]]] | None = None


def url_env(name: str) -> str:
    """The variable that points service ``name`` at a running server, by URL."""
    return f"CONNECTORS_TEST_{name.upper()}_URL"


def recipe_modules() -> list[str]:
    """The modules of the registered connectors' test-server recipes (``Connector.testing``)."""
    from connectors.plugins import get_registry

    found = (connector.testing for connector in get_registry().connectors.values())
    return [module for module in found if module]


def docker_available() -> bool:
    """Whether a Docker daemon answers a ping (about 1 ms when there is none).

    ``CONNECTORS_TEST_DOCKER=0`` forces local processes even when Docker runs.
    """
    if os.environ.get(DOCKER_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


@final
class ServerFactory:
    """Starts the live servers of a test session lazily and stops them at its end.

    Each service comes from, in order: ``CONNECTORS_TEST_<NAME>_URL`` (parsed with
    ``connectors.parse``), a testcontainers container when Docker answers, a local process.
    A server that cannot start skips the tests that need it, or fails them when
    ``CONNECTORS_REQUIRE_LIVE=1``. Build it through the ``connectors_servers`` fixture.
    """

    def __init__(self, rootpath: Path, *, require_live: bool | None = None) -> None:
        self.rootpath = rootpath
        if require_live is None:
            require_live = live_required()
        self.require_live = require_live
        self._stack = contextlib.ExitStack()
        self._products: dict[str, Products] = {}
        self._failures: dict[str, str] = {}
        self._docker: bool | None = None
        self.recipes: dict[str, Recipe] = {}
        """Every recipe this factory can start: the connectors' and those ``add_service`` added."""
        self.services: dict[str, Service] = {}
        """Every service by name: the connectors' own and those ``add_service`` added."""
        self.sources: dict[str, str] = {}
        """How each started service was obtained: ``env``, ``container`` or ``local``."""
        self.startup_seconds: dict[str, float] = {}
        """How long each recipe took to be ready (containers and local processes)."""
        for module in recipe_modules():
            add_services = getattr(importlib.import_module(module), "add_services", None)
            if add_services is not None:
                add_services(self)

    def add_service(
        self,
        name: str,
        resource_type: str,
        local: Callable[[Path], AbstractContextManager[Products]],
        *,
        container: Callable[[], AbstractContextManager[Products]] | None = None,
        fresh: Callable[[dict[str, Any]], AbstractContextManager[dict[str, Any]]] | None = None,
        also: tuple[str, ...] = (),
    ) -> None:
        """Offer another service (a plugin's server) with the built-ins' rules.

        ``local`` (and ``container``) yield ``{name: value}``, plus a value for each name in
        ``also`` (more services of the same server, such as a TLS variant); ``fresh`` isolates
        one test. Each service then comes from ``CONNECTORS_TEST_<NAME>_URL``, a container or
        ``local``, is listed in the session summary and fails under
        ``CONNECTORS_REQUIRE_LIVE=1``. Adding a name again is a no-op, so a session fixture may
        call it every time.
        """
        if name in self.services:
            return
        self.recipes[name] = Recipe(local, container)
        for service in (name, *also):
            self.services[service] = Service(resource_type, name, fresh)

    def resource(self, name: str) -> Resource:
        """The session's Resource for service ``name`` (``postgresql``, ``s3_strict``, ...)."""
        service = self.services[name]
        url = os.environ.get(url_env(name))
        if url:
            from connectors.api import parse

            self.sources[name] = "env"
            return parse(url, type=service.resource_type)
        products = self._start(service.recipe)
        if name not in products:
            self._unavailable(
                name,
                f"the {self.sources[service.recipe]} {service.recipe} server does not provide "
                f"{name}; set {url_env(name)}",
            )
        self.sources.setdefault(name, self.sources[service.recipe])
        return Resource(service.resource_type, products[name])

    def fresh(self, name: str, request: pytest.FixtureRequest) -> Resource:
        """A per-test isolated Resource on service ``name``, cleaned up by a finalizer."""
        live = self.resource(name)
        isolate = self.services[name].fresh
        if isolate is None:
            return live
        scope = contextlib.ExitStack()
        request.addfinalizer(scope.close)
        value = scope.enter_context(isolate(live.value))
        return Resource(live.resource_type, value, live.provider, list(live.notes))

    def summary(self) -> list[str]:
        """One line per service used this session: where it came from, how long it took."""
        lines = []
        for name, source in sorted(self.sources.items()):
            took = self.startup_seconds.get(name)
            lines.append(f"{name}: {source}" + ("" if took is None else f", ready in {took:.2f}s"))
        for name, reason in sorted(self._failures.items()):
            lines.append(f"{name}: unavailable: {reason.splitlines()[0]}")
        return lines

    def close(self) -> None:
        """Stop every server this factory started, newest first."""
        self._stack.close()

    def _start(self, recipe_name: str) -> Products:
        if recipe_name in self._failures:
            self._unavailable(recipe_name, self._failures[recipe_name])
        if recipe_name not in self._products:
            recipe = self.recipes[recipe_name]
            started = time.monotonic()
            try:
                found = self._start_container(recipe_name, recipe)
                if found is None:
                    self.sources[recipe_name] = "local"
                    found = self._stack.enter_context(recipe.local(self.rootpath))
            except (ServerStartError, ServerUnavailable) as exc:
                self._failures[recipe_name] = str(exc)
                self._unavailable(recipe_name, str(exc))
            self._products[recipe_name] = found
            self.startup_seconds[recipe_name] = time.monotonic() - started
        return self._products[recipe_name]

    def _start_container(self, recipe_name: str, recipe: Recipe) -> Products | None:
        """The container form when Docker answers; None (use a local process) otherwise.

        A container that cannot start (no image, no registry) falls back to the local process
        with a warning, rather than losing the server.
        """
        if recipe.container is None:
            return None
        if self._docker is None:
            self._docker = docker_available()
        if not self._docker:
            return None
        try:
            products = self._stack.enter_context(recipe.container())
        except Exception as exc:
            warnings.warn(
                f"connectors.testing: the {recipe_name} container did not start "
                f"({exc.__class__.__name__}: {exc}); starting a local process instead",
                stacklevel=2,
            )
            return None
        self.sources[recipe_name] = "container"
        return products

    def _unavailable(self, name: str, reason: str) -> NoReturn:
        unavailable(name, reason, require_live=self.require_live)


def live_required() -> bool:
    """Whether ``CONNECTORS_REQUIRE_LIVE=1``: a server that cannot start fails the test."""
    return os.environ.get(REQUIRE_LIVE_ENV, "").strip() in ("1", "true", "yes")


def unavailable(name: str, reason: str, *, require_live: bool | None = None) -> NoReturn:
    """Skip the test with the reason, or fail it when ``CONNECTORS_REQUIRE_LIVE=1``."""
    message = f"live {name} server unavailable: {reason}"
    if live_required() if require_live is None else require_live:
        pytest.fail(f"{message} ({REQUIRE_LIVE_ENV}=1)", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def own_server(name: str) -> Iterator[None]:
    """Around a test's own server start-up (a fixture that runs a binary itself): a binary that
    is missing or does not start skips the tests that need it, as the harness's servers do."""
    try:
        yield
    except (ServerStartError, ServerUnavailable) as exc:
        unavailable(name, str(exc))
