"""Secrets at rest in the SQL stores: the key file's life cycle and sealing values with it.

A resource value is stored with each string that holds one of its secrets replaced by AES-GCM
ciphertext (see crypto.py) bound to the label ``resource:<path>``; the rest stays readable JSON.
The key file is created on first use and checked against the key id the workspace recorded, so a
wrong or missing key file is reported as such. A key rotation writes the new key to
``<key file>.new`` before its transaction commits and renames it afterwards;
:func:`finish_rotation` completes (or discards) one interrupted between the two.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connectors.errors import WorkspaceError
from connectors.redact import REFERENCE_PREFIXES, secrets_of
from connectors.workspace import crypto

# A secret this short would match inside unrelated text: it only counts as the whole string.
_SHORT = 4


def pending_key_file(key_file: Path) -> Path:
    """Where a rotation writes the new key before its transaction commits."""
    return key_file.with_name(key_file.name + ".new")


def finish_rotation(key_file: Path, expected: str) -> None:
    """Complete a rotation interrupted after its commit, or drop one that never committed."""
    pending = pending_key_file(key_file)
    if not pending.exists():
        return
    if crypto.key_id(crypto.read_key_file(pending)) == expected:
        os.replace(pending, key_file)
    else:
        pending.unlink(missing_ok=True)


def load_key(key_file: Path, expected: str | None) -> bytes:
    """The workspace key; a first key is created when the workspace has recorded none."""
    if expected:
        finish_rotation(key_file, expected)
    if not key_file.exists():
        if expected:
            raise WorkspaceError(
                f"workspace key file {key_file} is missing but this workspace holds "
                f"secrets encrypted with key {expected}; copy that key file here "
                "(or point CONNECTORS_WORKSPACE_KEY_FILE at it)"
            )
        crypto.create_key_file(key_file, crypto.new_key())
    return crypto.read_key_file(key_file)


def checked_cipher(key: bytes, expected: str | None, key_file: Path) -> crypto.Cipher:
    """A Cipher for ``key``, refused when it is not the key the workspace recorded."""
    kid = crypto.key_id(key)
    if expected != kid:
        raise WorkspaceError(
            f"workspace key file {key_file} holds key {kid} but this workspace's "
            f"secrets are encrypted with key {expected}"
        )
    return crypto.Cipher(key)


def secrets_in(resource_type: str, value: Any) -> list[str]:
    """The non-empty secret strings of a resource value (see ``connectors.redact.secrets_of``)."""
    return [s for s in secrets_of(resource_type, value) if isinstance(s, str) and s]


def holds_secret(text: str, secrets: list[str]) -> bool:
    """Whether ``text`` is, or contains, one of ``secrets`` (a ``$var:``/``$res:`` never does)."""
    if text.startswith(REFERENCE_PREFIXES):
        return False
    return any(text == s or (len(s) >= _SHORT and s in text) for s in secrets)


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` with ``fn`` applied to every string in it (object keys left alone)."""
    if isinstance(value, dict):
        return {k: map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, str):
        return fn(value)
    return value


def seal(value: Any, secrets: list[str], cipher: crypto.Cipher, label: str) -> Any:
    """``value`` with every string holding one of ``secrets`` encrypted."""
    return map_strings(
        value, lambda text: cipher.encrypt(text, label) if holds_secret(text, secrets) else text
    )


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
