"""The top-level functions: parse, to_connection_string, validate, connect, check."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from connectors.connector import Connector, Match
from connectors.errors import (
    CheckError,
    ConnectorsError,
    ParseError,
    PluginError,
    Problem,
    ValidationError,
)
from connectors.parsing import leading_key, url_scheme
from connectors.pasted import Pasted, early, near_miss, quoted, unwrap
from connectors.plugins import contain, get_connector, get_registry, plugin_failure
from connectors.resource import CheckResult, Resource, ResourceType
from connectors.text import MAX_INPUT, describe_surrogate, surrogate_at, surrogate_problem


def resource_types() -> list[ResourceType]:
    """Every registered resource type, sorted by name."""
    connectors = get_registry().connectors
    return [connectors[name].resource_type for name in sorted(connectors)]


def detect(text: str) -> list[tuple[str, int]]:
    """Each type that claims ``text``, with its score (``connector.Match``), best first.

    A ``scheme://`` text is not shown to a connector whose ``url_schemes`` leaves it out, nor a
    ``KEY=value`` text to one whose ``text_keys`` leave out its first key. A detect that raises
    is reported as a warning naming its plugin, and its type skipped.
    """
    scores = []
    for name, connector in _asked_about(text):
        try:
            score = connector.detect(text)
            claimed = score > _NONE
        except Exception as exc:
            contain(plugin_failure(name, "detect", exc))
            continue
        if claimed:
            scores.append((name, score))
    if len(scores) > 1:
        scores.sort(key=lambda pair: (-pair[1], pair[0]))
    return scores


_NONE = Match.NONE
Asked = list[tuple[str, Connector]]


class _Askers:
    """Which connectors to ask about a text: by its URL scheme those whose ``url_schemes`` admit
    it, by its first key those whose ``text_keys`` do, in registration order. Built once per set
    of registered types."""

    def __init__(self, connectors: dict[str, Connector]) -> None:
        self.connectors = connectors
        self.size = len(connectors)
        self.every = list(connectors.items())
        schemes = self._declared(connectors, "url_schemes")
        #: a scheme no connector names goes to those that take any scheme
        self.other = [(name, c) for name, c in self.every if schemes[name] is None]
        self.by_scheme = self._by_word(schemes)
        self.by_key = self._by_word(self._declared(connectors, "text_keys"))

    def _declared(
        self, connectors: dict[str, Connector], attribute: str
    ) -> dict[str, frozenset[str] | None]:
        """Each connector's ``url_schemes`` or ``text_keys``; one that raises declares none."""
        declared: dict[str, frozenset[str] | None] = {}
        for name, connector in self.every:
            try:
                declared[name] = getattr(connector, attribute)
            except Exception as exc:
                contain(plugin_failure(name, "detect", exc))
                declared[name] = frozenset()
        return declared

    def _by_word(self, declared: dict[str, frozenset[str] | None]) -> dict[str, Asked]:
        """Each declared word -> the connectors that declare it or declare None."""
        words = set().union(*(found for found in declared.values() if found))
        return {
            word: [(n, c) for n, c in self.every if _admits(declared[n], word)] for word in words
        }

    def of(self, text: str) -> Asked:
        scheme = url_scheme(text)
        if scheme is None:
            key = leading_key(text)
            return self.every if key is None else self.by_key.get(key, self.every)
        asked = self.by_scheme.get(scheme)
        if asked is None:  # mongodb+srv is asked as mongodb
            plus = scheme.find("+")
            asked = self.by_scheme.get(scheme[:plus], self.other) if plus > 0 else self.other
        return asked


def _admits(words: frozenset[str] | None, word: str) -> bool:
    """Whether a connector that declares these schemes or keys is asked about a text of ``word``."""
    return words is None or word in words


_askers: _Askers | None = None


def _asked_about(text: str) -> Asked:
    """The connectors to ask about ``text``."""
    global _askers
    connectors = get_registry().connectors
    askers = _askers
    if askers is None or askers.connectors is not connectors or askers.size != len(connectors):
        askers = _askers = _Askers(connectors)
    return askers.of(text)


def parse(text: str, type: str | None = None) -> Resource:
    """Parse a connection string into a Resource; the type is detected unless given.

    Detection picks the most specific match (an Upstash ``rediss://`` string is upstash_redis,
    not redis). An unknown or ambiguous string is a ParseError listing the candidate types.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {text.__class__.__name__}")
    if len(text) > MAX_INPUT:
        raise ParseError(
            f"input too long for a connection string ({len(text):,} characters; "
            f"at most {MAX_INPUT:,})"
        )
    bad = surrogate_at(text)
    if bad is not None:
        raise ParseError(describe_surrogate(text, bad), position=bad)
    stripped = text.strip()
    if not stripped:
        raise ParseError(
            "empty connection string", position=0, hint="paste the string the console shows"
        )
    try:
        return _parse_stripped(stripped, type)
    except ParseError as exc:
        # Positions count from the stripped text; report them in the text the user gave. An
        # error about the string as a whole (a missing part) is placed at its start.
        exc.position = (exc.position or 0) + len(text) - len(text.lstrip())
        if exc.hint is None:
            exc.hint = _form_hint(exc.type_name or type)
        raise


def _form_hint(type_name: str | None) -> str:
    """What a string of the type looks like, for an error that has no better hint."""
    connectors = get_registry().connectors
    connector = connectors.get(type_name) if type_name else None
    if connector is not None and connector.examples:
        from connectors.redact import redact_text

        # masked: an example's password could be the very text the user pasted
        example = redact_text(connector.examples[0].splitlines()[0])
        return f"a {connector.name} string looks like {example}"
    return "see `connectors types` for the forms each type reads"


def _parse_stripped(stripped: str, type_name: str | None) -> Resource:
    wrapped = quoted(stripped) if stripped[0] in "'\"" else None
    # a command line does not start with scheme://: a URL to detect is not looked at twice
    if wrapped is None and (type_name is not None or url_scheme(stripped) is None):
        wrapped = early(stripped)
    if wrapped is not None:
        return _parse_pasted(wrapped, type_name)
    if type_name is not None:
        try:
            return _parse_as(type_name, stripped)
        except ParseError as exc:
            pasted = unwrap(stripped)
            if pasted is None or pasted.type_name not in (None, type_name):
                raise
            try:
                return _parse_pasted(pasted, type_name)
            except ParseError:
                raise exc from None
    candidates = detect(stripped)
    while candidates:
        try:
            return _parse_detected(stripped, candidates)
        except PluginError as exc:  # a parser that failed: the string goes to the others
            rest = [pair for pair in candidates if pair[0] != exc.type_name]
            if not rest:
                raise
            contain(exc)
            candidates = rest
    pasted = unwrap(stripped)
    if pasted is not None and (pasted.type_name or detect(pasted.text)):
        return _parse_pasted(pasted, pasted.type_name)
    known = ", ".join(sorted(get_registry().connectors))
    raise ParseError(
        f"not a connection string of any known type (known types: {known})",
        position=0,
        hint=near_miss(stripped) or "give the type with type= (--type) to see what is wrong",
    )


def _parse_as(type_name: str, text: str) -> Resource:
    """``text`` parsed as ``type_name``. A parser that raises something other than ParseError,
    or (a third-party one) answers outside its schema, is a PluginError naming its plugin."""
    registry = get_registry()
    connector = registry.connectors.get(type_name) or get_connector(type_name)
    try:
        resource = connector.parse(text)
    except (ParseError, RecursionError, MemoryError):  # the input's fault, said as such
        raise
    except Exception as exc:
        raise plugin_failure(type_name, "parse", exc) from None
    if type_name in registry.third_party:
        from connectors.plugin_checks import output_problem
        from connectors.plugins import refused_output

        problem = output_problem(connector, resource)
        if problem is not None:
            raise refused_output(type_name, problem)
    return resource


def _parse_detected(stripped: str, candidates: list[tuple[str, int]]) -> Resource:
    """The string parsed by the most specific of the types that claim it."""
    if len(candidates) == 1:  # the usual case
        return _parse_as(candidates[0][0], stripped)
    best = candidates[0][1]
    top = [name for name, score in candidates if score == best]
    if len(top) > 1:
        return _parse_tied(stripped, top)
    resource = _parse_as(top[0], stripped)
    others = [name for name, _ in candidates[1:]]
    if others:
        resource.notes.append(
            f"detected as {top[0]} (the most specific match; also matched: {', '.join(others)})"
        )
    return resource


def _parse_tied(stripped: str, top: list[str]) -> Resource:
    """Types that claim the text equally: the one whose parser accepts it, if only one does
    (``host=h database=d`` is a MySQL keyword string that libpq's parser refuses)."""
    parsed = []
    for name in top:
        try:
            parsed.append(_parse_as(name, stripped))
        except ParseError:
            continue
        except PluginError as exc:
            contain(exc)
    if len(parsed) != 1:
        raise ParseError(
            f"ambiguous: could be {', '.join(top)}",
            position=0,
            hint="choose one with type= (--type)",
        )
    resource = parsed[0]
    refused = [name for name in top if name != resource.resource_type]
    resource.notes.append(
        f"detected as {resource.resource_type} ({', '.join(refused)} could not parse it)"
    )
    return resource


def _parse_pasted(pasted: Pasted, type_name: str | None) -> Resource:
    """The string inside a pasted text, with a note of what was taken off around it."""
    try:
        resource = _parse_stripped(pasted.text, type_name or pasted.type_name)
    except ParseError as exc:
        if exc.position is not None:
            exc.position = pasted.offset if pasted.built else exc.position + pasted.offset
        raise
    resource.notes.insert(0, pasted.note)
    return resource


def to_connection_string(resource: Resource) -> str:
    """The native connection string of ``resource``; ``parse`` of it gives the resource back."""
    return get_connector(resource.resource_type).to_connection_string(resource)


@cache
def _validator(type_name: str) -> Any:
    import jsonschema

    schema = get_connector(type_name).schema
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(type_name: str, value: Any) -> dict[str, Any]:
    """``value`` checked against the type's schema and normalised; ValidationError otherwise.

    Every problem is reported with its JSON pointer, sorted by position.
    """
    connector = get_connector(type_name)
    bad_text = surrogate_problem(value)
    if bad_text is not None:
        raise ValidationError(type_name, [Problem(*bad_text)])
    problems = schema_problems(type_name, value)
    if problems:
        raise ValidationError(type_name, problems)
    return connector.normalise(copy.deepcopy(value))


def schema_problems(type_name: str, value: Any) -> list[Problem]:
    """Where ``value`` does not fit the type's schema, sorted by position, secrets masked."""
    errors = sorted(_validator(type_name).iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errors:
        return []
    from connectors.redact import redactor_for

    secret = set(get_connector(type_name).resource_type.secret_fields)
    redactor = redactor_for(type_name, value)
    return [Problem(_pointer(e.absolute_path), redactor(_message(e, secret))) for e in errors]


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _message(error: Any, secret_fields: set[str]) -> str:
    from connectors.redact import MASK

    # jsonschema quotes the offending instance; a secret field's value must not be shown.
    dotted = ".".join(f"{p}" if isinstance(p, str) else "[]" for p in error.absolute_path)
    dotted = dotted.replace(".[]", "[]")
    if dotted in secret_fields:
        return str(error.message).replace(repr(error.instance), repr(MASK))
    return str(error.message)


def connect(resource: Resource) -> Any:
    """A native client for the resource: psycopg, pymongo, redis, upstash, boto3 or azure.

    A driver that is not installed is a MissingDriverError naming the ``pip install``; a type
    whose connector has no driver (no ``connect``) is a CheckError.
    """
    from connectors.drivers import needs_driver

    connector = get_connector(resource.resource_type)
    if type(connector).connect is Connector.connect:
        raise CheckError(f"{connector.name} has no driver to connect with")
    with needs_driver(connector):
        return connector.connect(resource)


def check(resource: Resource, timeout: float = 10) -> CheckResult:
    """Check the live server in timed steps; ``result.ok`` says whether every step passed.

    ``timeout`` (seconds, positive and finite, else ValueError) bounds the whole check.
    A failure of the server is a failed step; what keeps the check from running at all raises:
    CheckError for a type with no check, MissingDriverError for a driver not installed.
    """
    import time

    from connectors.checks import CHECK_STARTED, GRACE, run_until
    from connectors.drivers import needs_driver
    from connectors.resource import CheckStep
    from connectors.timeouts import positive_seconds

    seconds = positive_seconds(timeout)
    connector = get_connector(resource.resource_type)
    if type(connector).check is Connector.check:
        raise CheckError(f"{connector.name} has no live check")
    started = CHECK_STARTED.get() or time.monotonic()  # the CLI counts from its own start
    token = CHECK_STARTED.set(started)
    try:
        # A backstop for a plugin's check that does not use CheckSteps.
        with needs_driver(connector):
            done, result = run_until(
                lambda: connector.check(resource, timeout=seconds),
                started + seconds + 2 * GRACE,
                "connectors-check",
            )
    except NotImplementedError as exc:  # a plugin's own way of saying it has no check
        reason = " ".join(str(exc).split()) or f"{connector.name} has no live check"
        raise CheckError(reason) from None
    except ConnectorsError:
        raise
    except Exception as exc:  # a check that raised instead of failing a step: still a step
        from connectors.checks import describe
        from connectors.redact import redactor_for

        ms = (time.monotonic() - started) * 1000
        reason = redactor_for(resource.resource_type, resource.value)(describe(exc))
        return CheckResult(ok=False, steps=[CheckStep("check", False, ms, reason)])
    finally:
        CHECK_STARTED.reset(token)
    if done:
        return result
    ms = (time.monotonic() - started) * 1000
    reason = f"no answer within the {seconds:g} s timeout"
    return CheckResult(ok=False, steps=[CheckStep("check", False, ms, reason)])
