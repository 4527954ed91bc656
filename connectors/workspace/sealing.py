"""Secrets at rest in the SQL stores: the key file's life cycle and sealing values with it.

A resource value is stored with each string that holds one of its secrets (its type's secret
fields, secret-looking keys, or a secret by its shape: the definition display masks by) replaced
by AES-GCM ciphertext (see crypto.py) bound to the label ``resource:<path>``; the rest stays
readable JSON. The key (keys.py: a file, the environment or the OS keyring) is created on
first use and checked against the key id the workspace recorded, so a wrong or missing key is
reported as such. A key rotation writes the new key beside the current one before its
transaction commits and moves it into place afterwards;
:func:`finish_rotation` completes (or discards) one interrupted between the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.errors import WorkspaceError
from connectors.redact import REFERENCE_PREFIXES, looks_secret, secrets_of
from connectors.workspace import crypto
from connectors.workspace.keys import KeySource

# A secret this short would match inside unrelated text: it only counts as the whole string.
_SHORT = 4


def finish_rotation(source: KeySource, expected: str) -> None:
    """Complete a rotation interrupted after its commit, or drop one that never committed."""
    pending = source.read_pending()
    if pending is None:
        return
    if crypto.key_id(pending) == expected:
        source.commit_pending()
    else:
        source.drop_pending()


def load_key(source: KeySource, expected: str | None) -> bytes:
    """The workspace key; a first key is created when the workspace has recorded none."""
    if expected:
        finish_rotation(source, expected)
    key = source.read()
    if key is None:
        if expected:
            raise WorkspaceError(
                f"{source.description} is missing but this workspace holds secrets "
                f"encrypted with key {expected}; {source.how_to_supply}"
            )
        source.create(crypto.new_key())
        key = source.read()
        assert key is not None
    return key


def checked_cipher(key: bytes, expected: str | None, source: KeySource) -> crypto.Cipher:
    """A Cipher for ``key``, refused when it is not the key the workspace recorded."""
    kid = crypto.key_id(key)
    if expected != kid:
        raise WorkspaceError(
            f"{source.description} holds key {kid} but this workspace's "
            f"secrets are encrypted with key {expected}"
        )
    return crypto.Cipher(key)


def secrets_in(resource_type: str, value: Any) -> list[str]:
    """The non-empty secret strings of a resource value (see ``connectors.redact.secrets_of``)."""
    return [s for s in secrets_of(resource_type, value) if isinstance(s, str) and s]


def holds_secret(text: str, secrets: list[str]) -> bool:
    """Whether ``text`` is, or contains, one of ``secrets``, or carries a secret by its shape
    (``looks_secret``: what display masks in any string); a ``$var:``/``$res:`` never does."""
    if text.startswith(REFERENCE_PREFIXES):
        return False
    if any(text == s or (len(s) >= _SHORT and s in text) for s in secrets):
        return True
    return looks_secret(text)


def any_string(value: Any, predicate: Callable[[str], bool]) -> bool:
    """Whether some string in ``value`` (object keys left alone) satisfies ``predicate``."""
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return isinstance(value, str) and predicate(value)
    for item in items:  # scalars are tested here, without a call per list item
        if isinstance(item, str):
            if predicate(item):
                return True
        elif isinstance(item, (dict, list)) and any_string(item, predicate):
            return True
    return False


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` with ``fn`` applied to every string in it (object keys left alone)."""
    if isinstance(value, dict):
        return {k: map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, str):
        return fn(value)
    return value


def seal(
    value: Any, secrets: list[str], cipher: crypto.Cipher, label: str, shown: Any = None
) -> Any:
    """``value`` with every string holding one of ``secrets`` encrypted, and every string that
    display masks (``shown``: ``redact_value`` of it, walked alongside): one definition."""
    if isinstance(value, dict):
        beside = shown if isinstance(shown, dict) else {}
        return {k: seal(v, secrets, cipher, label, beside.get(k, v)) for k, v in value.items()}
    if isinstance(value, list):
        row = shown if isinstance(shown, list) and len(shown) == len(value) else value
        return [seal(v, secrets, cipher, label, s) for v, s in zip(value, row, strict=True)]
    if isinstance(value, str) and not value.startswith(REFERENCE_PREFIXES):
        masked = shown is not None and shown != value
        if masked or holds_secret(value, secrets):
            return cipher.encrypt(value, label)
    return value


def unseal(value: Any, cipher: crypto.Cipher, label: str) -> Any:
    """``value`` with every ciphertext string decrypted."""
    return map_strings(
        value, lambda text: cipher.decrypt(text, label) if crypto.is_encrypted(text) else text
    )


def reseal(value: Any, old: crypto.Cipher, new: crypto.Cipher, label: str) -> Any:
    """``value`` with every ciphertext string re-encrypted from ``old`` to ``new``."""
    return map_strings(
        value,
        lambda text: (
            new.encrypt(old.decrypt(text, label), label) if crypto.is_encrypted(text) else text
        ),
    )
