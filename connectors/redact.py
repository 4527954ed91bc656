"""Redaction: the one helper every printer, log line, exception and repr goes through.

A secret is masked in every form it can take in output: raw, percent-encoded (with and without
``/`` kept), ``+``-encoded, base64 (standard and URL-safe, with or without padding) and
JSON-escaped. Passwords inside any ``scheme://user:password@host`` string are masked too, even
when the secret was never registered, because driver errors often echo a whole DSN.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "********"
# A `$var:` / `$res:` reference names where a secret lives; it is not the secret.
REFERENCE_PREFIXES = ("$var:", "$res:")

# The one definition of a secret-looking key, for display (redact_value) and storage (the
# workspace encrypts what display masks): see is_secret_key.
_SECRET_KEY = re.compile(
    r"pass(word|wd)?$|passphrase|pwd|secret|token|api_?key|access_?key|account_?key|credential"
    r"|private|authori[sz]ation|auth_?header|cookie|signature|^sig$|^sas$|session_?key",
    re.IGNORECASE,
)
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.\-]*://[^\s:/@?#]*:)(?P<pw>[^\s@/]+)(?=@)", re.IGNORECASE
)
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>\b(?:password|passphrase|pwd|AccountKey|SharedAccessSignature|sig|token|_token)"
    r"\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|[^\s;&'\"]+)",
    re.IGNORECASE,
)
# An HTTP credential: ``Bearer <token>``, or any scheme's after ``Authorization:``.
_HTTP_CREDENTIAL = re.compile(
    r"(?P<head>\bBearer[ \t]+|\bAuthorization\s*[:=]\s*(?:[A-Za-z][\w-]*[ \t]+)?)"
    r"(?P<pw>[A-Za-z0-9\-._~+/]+=*)",
    re.IGNORECASE,
)
# Secrets this short would mask unrelated text; they are masked only as whole words.
_SHORT = 4


def encoded_forms(secret: str) -> set[str]:
    """Every form in which ``secret`` may appear in output."""
    raw = secret.encode()
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
    }
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode()
        forms.update({encoded, encoded.rstrip("=")})
    return {form for form in forms if form}


class Redactor:
    """Masks a fixed set of secrets, in all their encoded forms, in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._long: set[str] = set()
        self._short: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        if not isinstance(secret, str) or not secret or secret.startswith(REFERENCE_PREFIXES):
            return
        for form in encoded_forms(secret):
            (self._long if len(form) >= _SHORT else self._short).add(form)
        self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and (self._long or self._short):
            # Longest first, so a secret that contains another is masked whole.
            long = sorted(self._long, key=len, reverse=True)
            parts = [re.escape(s) for s in long]
            parts += [rf"(?<![\w]){re.escape(s)}(?![\w])" for s in sorted(self._short)]
            self._pattern = re.compile("|".join(parts))
        return self._pattern

    def __call__(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub(MASK, text)
        return redact_text(text)


def redact_text(text: str) -> str:
    """Mask passwords in URLs, ``password=...`` style pairs, ``Bearer`` tokens and
    ``Authorization:`` headers, secrets known or not."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)
    text = _HTTP_CREDENTIAL.sub(lambda m: m["head"] + MASK, text)
    return _KEYWORD_PASSWORD.sub(lambda m: m["head"] + MASK, text)


def is_secret_key(name: object) -> bool:
    """Whether a value under the key ``name`` is a secret (``password``, ``pwd``,
    ``passphrase``, ``api_key``, ``Authorization``, ...): masked whole on display, encrypted at
    rest. The one definition both use."""
    return isinstance(name, str) and _SECRET_KEY.search(name) is not None


def looks_secret(text: object) -> bool:
    """Whether ``text`` carries a secret by its shape, whatever key it sits under: a URL with
    a password, a ``password=``/``AccountKey=``/``sig=`` pair, a ``Bearer`` token or an
    ``Authorization:`` header. Display masks that part; the workspace encrypts the whole string."""
    if not isinstance(text, str) or not text or text.startswith(REFERENCE_PREFIXES):
        return False
    lowered = text.lower()
    if "://" not in text and "=" not in text and "bearer" not in lowered and ":" not in text:
        return False  # none of the shapes: skip the expressions (states can be large)
    return redact_text(text) != text


def _connector_secrets(resource_type: str, value: dict[str, Any]) -> list[str] | None:
    from connectors.plugins import get_registry

    connector = get_registry().connectors.get(resource_type)
    if connector is None:
        return None
    return connector.secret_values(value)


def secrets_of(resource_type: str, value: Any) -> list[str]:
    """The secret strings inside a resource value (by its type's schema, else by key names)."""
    if isinstance(value, dict):
        known = _connector_secrets(resource_type, value)
        if known is not None:
            return known
    return list(_secrets_by_key_name(value))


def _secrets_by_key_name(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and is_secret_key(key):
                yield item
            else:
                yield from _secrets_by_key_name(item)
    elif isinstance(value, list):
        for item in value:
            yield from _secrets_by_key_name(item)


def redactor_for(resource_type: str, value: Any) -> Redactor:
    """A Redactor that masks every secret of this resource value."""
    return Redactor(secrets_of(resource_type, value))


def redact_value(resource_type: str, value: Any) -> Any:
    """A deep copy of ``value`` with every secret replaced by ``********``.

    Secret fields are masked whole; any other string has secrets inside it masked
    (a connection string in an ``options`` field, a SAS token in a URL).
    """
    redactor = redactor_for(resource_type, value)
    return mask_value(copy.deepcopy(value), redactor)


def mask_value(value: Any, redactor: Redactor) -> Any:
    """``value`` with every string passed through ``redactor``; a string that was nothing but
    secret becomes exactly ``********``."""
    if isinstance(value, dict):
        return {key: mask_value(item, redactor) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_value(item, redactor) for item in value]
    if isinstance(value, str) and value:
        masked = redactor(value)
        return MASK if MASK in masked and masked.replace(MASK, "") == "" else masked
    return value
