"""Redaction: secrets are masked by their position, never by matching their text.

- A resource value is masked by field: the fields its type marks secret (``"password": true``
  in the schema; secret-like key names where the schema says nothing) become ``********``. Every
  other field is shown as it is, even when its text equals a password, except for the password
  positions of connection strings written inside it.
- Text without fields (errors, check details, driver messages) has its structure masked: the
  password in ``scheme://user:password@host`` and the value of ``password=``, ``AccountKey=``,
  ``SharedAccessSignature=``, ``sig=``, ``token=`` pairs, secrets known or not. A ``Redactor``
  also masks the known secrets of a resource in every encoded form (percent, ``+``, base64,
  JSON), where one stands as a whole token and is not part of a non-secret field's text.

Every scan here is linear in the length of the text.
"""

from __future__ import annotations

import base64
import bisect
import copy
import json
import re
from collections.abc import Iterable, Iterator
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
# The authority of a URL ends at the first of these (RFC 3986 §3.2); a password with an unencoded
# ``@`` still belongs to the userinfo, which ends at the last ``@`` (as the parsers read it).
_AUTHORITY = re.compile(r"[^\s/?#]*")
_SECRET_PAIR = re.compile(
    r"(?<![\w.-])(?:password|passwd|passphrase|pwd|sslpassword|AccountKey|SharedAccessSignature|sig"
    r"|token|access_token|auth_token|refresh_token|client_secret|secret)\s*=\s*",
    re.IGNORECASE,
)
_BARE_VALUE = re.compile(r"[^\s;&'\"]*")
# An HTTP credential: ``Bearer <token>``, or any scheme's after ``Authorization:``.
_HTTP_CREDENTIAL = re.compile(
    r"(?:\bBearer[ \t]+|\bAuthorization\s*[:=]\s*(?:[A-Za-z][\w-]*[ \t]+)?)"
    r"(?P<pw>[A-Za-z0-9\-._~+/]+=*)",
    re.IGNORECASE,
)


def encoded_forms(secret: str) -> set[str]:
    """Every form in which ``secret`` may appear in output."""
    raw = secret.encode("utf-8", "surrogatepass")
    forms = {
        secret,
        quote(raw, safe=""),
        quote(raw),
        quote_plus(raw),
        json.dumps(secret)[1:-1],
    }
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode()
        forms.update({encoded, encoded.rstrip("=")})
    return {form for form in forms if form}


# -- text with structure ---------------------------------------------------------------------------


def redact_text(text: str) -> str:
    """Mask the password positions of URLs, ``password=...`` pairs, ``Bearer`` tokens and
    ``Authorization:`` headers, secrets known or not."""
    spans = [*_url_passwords(text), *_pair_values(text), *_http_credentials(text)]
    return _apply(text, _merge(spans))


def is_secret_key(name: object) -> bool:
    """Whether a value under the key ``name`` is a secret (``password``, ``pwd``,
    ``passphrase``, ``api_key``, ``Authorization``, ...): masked whole on display, encrypted at
    rest. The one definition both use."""
    return isinstance(name, str) and _SECRET_KEY.search(name) is not None


# Every key _SECRET_KEY matches holds one of these words, unanchored (a test checks each
# alternative): an ASCII JSON text without any of them has no secret-looking key.
_SECRET_KEY_WORDS = (
    *("pass", "pwd", "secret", "token", "key", "credential", "private", "auth"),
    *("cookie", "sig", "sas", "session"),
)
_SECRET_KEY_ANYWHERE = re.compile(
    _SECRET_KEY.pattern.replace("^", "").replace("$", ""), re.IGNORECASE
)


def may_hold_secret(json_text: str) -> bool:
    """False when nothing in a free-JSON value (``any``/``state``), given as its ``json.dumps``
    text, can be secret by the definition above: no key holds a secret-looking word and no
    string can look secret (``may_look_secret``). A scan of the text, not a walk of the value."""
    if not json_text.isascii():  # re's case-insensitive match knows letters str.lower does not
        return may_look_secret(json_text) or _SECRET_KEY_ANYWHERE.search(json_text) is not None
    if "=" in json_text or ("://" in json_text and "@" in json_text):
        return True
    lowered = json_text.lower()  # "bearer", "authori" (may_look_secret's words) and the keys'
    return "bearer" in lowered or any(word in lowered for word in _SECRET_KEY_WORDS)


def looks_secret(text: object) -> bool:
    """Whether ``text`` carries a secret by its shape, whatever key it sits under: a URL with
    a password, a ``password=``/``AccountKey=``/``sig=`` pair, a ``Bearer`` token or an
    ``Authorization:`` header. Display masks that part; the workspace encrypts the whole string."""
    if not isinstance(text, str) or not text or text.startswith(REFERENCE_PREFIXES):
        return False
    return may_look_secret(text) and redact_text(text) != text


def may_look_secret(text: str) -> bool:
    """False when no part of ``text`` can look secret: what each scanner of ``redact_text``
    needs is absent (``://`` and ``@``, ``=``, ``bearer``/``authori``). Also true of a JSON
    document as a whole (``json.dumps`` keeps these characters as they are), so one test
    clears every string of a value (states can be large)."""
    if "=" in text or ("://" in text and "@" in text):
        return True
    lowered = text.lower()
    return "bearer" in lowered or "authori" in lowered


def _http_credentials(text: str) -> Iterator[tuple[int, int]]:
    lowered = text.lower()
    if "bearer" not in lowered and "authori" not in lowered:
        return
    for found in _HTTP_CREDENTIAL.finditer(text):
        yield found.span("pw")


def _url_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the password in every ``scheme://user:password@host`` of ``text``."""
    found = text.find("://")
    while found != -1:
        start = found + 3
        if found > 0 and _is_scheme_char(text[found - 1]):
            match = _AUTHORITY.match(text, start)
            end = match.end() if match else start
            at = text.rfind("@", start, end)
            colon = text.find(":", start, at) if at != -1 else -1
            if colon != -1 and colon + 1 < at:
                yield colon + 1, at
        found = text.find("://", start)


def _is_scheme_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "+.-")


def _pair_values(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the values of ``password=`` style pairs; a quoted value is masked whole."""
    if "=" not in text:
        return
    pos = 0
    while (head := _SECRET_PAIR.search(text, pos)) is not None:
        start = head.end()
        if start < len(text) and text[start] in "'\"":
            end = _closing_quote(text, start)
            if end == -1:  # unterminated: the rest of the text may all be the secret
                yield start, len(text)
                return
            yield start, end + 1
            pos = end + 1
        else:
            bare = _BARE_VALUE.match(text, start)
            end = bare.end() if bare else start
            if end > start:
                yield start, end
            pos = end


def _closing_quote(text: str, start: int) -> int:
    """The index of the quote closing the one at ``start`` (backslash escapes it), or -1."""
    quote_char, pos = text[start], start + 1
    while (end := text.find(quote_char, pos)) != -1:
        backslashes = 0
        while end - 1 - backslashes > start and text[end - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end
        pos = end + 1
    return -1


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts += [text[pos:start], MASK]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# -- known secrets in free text -------------------------------------------------------------------


class Redactor:
    """Masks known secrets in free text, and the structure ``redact_text`` masks.

    A secret is masked where it stands as a whole token (not inside a longer word) and is not
    part of the text of a ``public`` value (a non-secret field: a user named like the password,
    a dbname that contains it).
    """

    def __init__(self, secrets: Iterable[str] = (), public: Iterable[str] = ()) -> None:
        self._forms: set[str] = set()
        self._public: set[str] = set()
        for secret in secrets:
            self.add(secret)
        for text in public:
            self.add_public(text)

    def add(self, secret: str) -> None:
        """Mask ``secret`` (and its encoded forms) from now on."""
        if not isinstance(secret, str) or not secret or secret.startswith(REFERENCE_PREFIXES):
            return
        self._forms.update(encoded_forms(secret))

    def add_public(self, text: str) -> None:
        """Keep ``text``, a non-secret field's value, whole wherever it appears."""
        if isinstance(text, str) and text:
            self._public.add(text)

    def extend(self, other: Redactor) -> None:
        """Mask ``other``'s secrets too, and keep its public values."""
        self._forms |= other._forms
        self._public |= other._public

    def __call__(self, text: str) -> str:
        text = redact_text(text)
        if not self._forms:
            return text
        covered = _merge(_occurrences(text, self._public))
        starts = [start for start, _ in covered]
        spans: list[tuple[int, int]] = []
        for form in sorted(self._forms, key=len, reverse=True):
            spans.extend(_token_occurrences(text, form, covered, starts))
        return _apply(text, _merge(spans))


def _occurrences(text: str, needles: Iterable[str]) -> Iterator[tuple[int, int]]:
    for needle in needles:
        pos = 0
        while (found := text.find(needle, pos)) != -1:
            yield found, found + len(needle)
            pos = found + len(needle)


def _token_occurrences(
    text: str, form: str, covered: list[tuple[int, int]], starts: list[int]
) -> Iterator[tuple[int, int]]:
    size, pos = len(form), 0
    while (found := text.find(form, pos)) != -1:
        end = found + size
        index = bisect.bisect_right(starts, found) - 1
        if index >= 0 and end <= covered[index][1]:
            pos = max(found + 1, covered[index][1] - size + 1)  # inside a public value
        elif _inside_word(text, found, end, form):
            pos = found + 1
        else:
            yield found, end
            pos = end


def _inside_word(text: str, start: int, end: int, form: str) -> bool:
    """Whether ``text[start:end]`` continues a word on either side (so is not a whole token)."""
    before = _word(form[0]) and start > 0 and _word(text[start - 1])
    return before or (_word(form[-1]) and end < len(text) and _word(text[end]))


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


# -- resource values ------------------------------------------------------------------------------


def _connector(resource_type: str) -> Any:
    from connectors.plugins import get_registry

    return get_registry().connectors.get(resource_type)


def secrets_of(resource_type: str, value: Any) -> list[str]:
    """The secret strings inside a resource value (by its type's schema, else by key names)."""
    connector = _connector(resource_type)
    if isinstance(value, dict) and connector is not None:
        found: list[str] = connector.secret_values(value)
        return found
    by_name: list[str] = []
    _secrets_by_key_name(value, by_name)
    return by_name


def _secrets_by_key_name(value: Any, found: list[str]) -> None:
    # Scalars are skipped without a call: a state may be a long list of numbers.
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if is_secret_key(key):
                    found.append(item)
            elif isinstance(item, (dict, list)):
                _secrets_by_key_name(item, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _secrets_by_key_name(item, found)


def public_strings(resource_type: str, value: Any) -> list[str]:
    """The strings of the non-secret fields of a resource value."""
    found: list[str] = []

    def collect(item: Any, secret: bool) -> Any:
        if isinstance(item, str) and not secret:
            found.append(item)
        return item

    _walk(value, _Schema.of(resource_type), "", collect)
    return found


def redactor_for(resource_type: str, value: Any) -> Redactor:
    """A Redactor for text about this resource: its secrets masked, its other fields kept."""
    return Redactor(secrets_of(resource_type, value), public_strings(resource_type, value))


def redact_value(resource_type: str, value: Any, *, mask: str = MASK) -> Any:
    """A copy of ``value`` with every secret field replaced by ``mask``.

    Any other string is kept as it is, except the password positions of connection strings in it.
    """

    def shown(item: Any, secret: bool) -> Any:
        if not isinstance(item, str) or not item:
            return item
        if secret:
            return item if item.startswith(REFERENCE_PREFIXES) else mask
        return redact_text(item)

    return _walk(copy.deepcopy(value), _Schema.of(resource_type), "", shown)


def mask_value(value: Any, redactor: Redactor) -> Any:
    """``value`` (no fields known) with every string passed through ``redactor``."""
    if isinstance(value, dict):
        return {key: mask_value(item, redactor) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_value(item, redactor) for item in value]
    if isinstance(value, str) and value:
        return redactor(value)
    return value


class _Schema:
    """Which paths of a value are secret: the schema's marks, and key names elsewhere."""

    def __init__(self, secret: set[str], declared: set[str]) -> None:
        self.secret = secret
        self.declared = declared

    @classmethod
    def of(cls, resource_type: str) -> _Schema:
        connector = _connector(resource_type)
        if connector is None:
            return cls(set(), set())
        schema = connector.resource_type.schema
        return cls(set(connector.resource_type.secret_fields), set(_declared_paths(schema, "")))

    def is_secret(self, path: str, key: str) -> bool:
        if path in self.secret:
            return True
        return path not in self.declared and is_secret_key(key)


def _declared_paths(schema: dict[str, Any], prefix: str) -> Iterator[str]:
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        path = f"{prefix}{name}"
        yield path
        if prop.get("type") == "object":
            yield from _declared_paths(prop, f"{path}.")
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict):
            yield from _declared_paths(items, f"{path}[].")


def _walk(value: Any, schema: _Schema, path: str, leaf: Any) -> Any:
    """``value`` with each leaf replaced by ``leaf(item, is_secret)``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            child = f"{path}{key}"
            if isinstance(item, dict | list):
                out[key] = _walk(item, schema, f"{child}.", leaf)
            else:
                out[key] = leaf(item, schema.is_secret(child, str(key)))
        return out
    if isinstance(value, list):
        item_path = f"{path[:-1]}[]." if path else ""
        return [
            _walk(item, schema, item_path, leaf)
            if isinstance(item, dict | list)
            else leaf(item, schema.is_secret(item_path[:-1], ""))
            for item in value
        ]
    return leaf(value, False)
