"""Secret values in Windmill's own ciphertext, as ``wmill sync pull`` writes them.

Without ``--plain-secrets``, ``wmill sync pull`` writes each secret variable encrypted with the
Windmill workspace's key (base64 of AES blocks), or as a reference to an external vault
(``$vault:``, ``$aws_sm:``, ``$azure_kv:``). Only that Windmill instance can read them. Such a
value is stored here marked with ``MARK`` (never as if it were the secret itself); reading it is
an error that says so, and exporting writes the ciphertext back unchanged, so ``wmill sync push``
returns it to Windmill as it came.
"""

from __future__ import annotations

import base64
import binascii
import re

from connectors.errors import WorkspaceError

MARK = "$windmill_encrypted:"
VAULT_PREFIXES = ("$vault:", "$aws_sm:", "$azure_kv:")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def looks_like_workspace_ciphertext(value: str) -> bool:
    """Windmill's own test (wmill CLI ``looksLikeWorkspaceCiphertext``): a vault reference, or
    base64 whose bytes are whole AES blocks."""
    if value.startswith(VAULT_PREFIXES):
        return True
    if not value or len(value) % 4 or not _BASE64.match(value):
        return False
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(decoded) > 0 and len(decoded) % 16 == 0


def mark(ciphertext: str) -> str:
    """The stored form of a Windmill ciphertext."""
    return MARK + ciphertext


def is_marked(value: str) -> bool:
    """Whether a stored value is a Windmill ciphertext."""
    return value.startswith(MARK)


def ciphertext(value: str) -> str:
    """The Windmill ciphertext inside a marked value."""
    return value.removeprefix(MARK)


def refuse(path: str) -> WorkspaceError:
    """The error for reading a variable that holds Windmill ciphertext."""
    return WorkspaceError(
        f"variable {path} holds a secret encrypted by a Windmill workspace (imported from "
        "`wmill sync pull` without --plain-secrets); only that Windmill can read it: pull with "
        f"--plain-secrets and import again, or set it with `connectors variable set {path}`"
    )
