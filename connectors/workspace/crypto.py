"""Encryption at rest: AES-256-GCM with a per-workspace key file readable by its owner only.

A ciphertext is stored as the string ``$enc:v1:<key id>:<base64(nonce + ciphertext)>``; the key
id is the first 16 hex digits of the SHA-256 of the key, so a wrong key file is reported as
such instead of failing as corrupt data. The associated data binds each ciphertext to the
row it belongs to (``resource:<path>``, ``variable:<path>``), so a value copied to another path
does not decrypt.

The key file (32 random bytes, base64) is created on first use with mode 0600 inside a
directory made 0700; a key file that group or others can read is refused.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

from connectors.errors import WorkspaceError

PREFIX = "$enc:v1:"
_NONCE = 12


def is_encrypted(text: object) -> bool:
    """Whether ``text`` is a ciphertext string of this module."""
    return isinstance(text, str) and text.startswith(PREFIX)


def key_id(key: bytes) -> str:
    """The id a ciphertext names its key by: 16 hex digits of the key's SHA-256."""
    return hashlib.sha256(key).hexdigest()[:16]


def new_key() -> bytes:
    """32 random bytes: a new AES-256 key."""
    return os.urandom(32)


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to ``path`` atomically, mode 0600 from the start."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, base64.b64encode(key) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def create_key_file(path: Path, key: bytes) -> None:
    """Create ``path`` holding ``key`` (mode 0600) unless it exists: two processes making the
    first key at once end up sharing one (the file is linked into place, never overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    write_key_file(tmp, key)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: best effort
        if not path.exists():
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_key_file(path: Path) -> bytes:
    """The key in ``path``; refused when group or others may read it, or it is malformed."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise WorkspaceError(f"workspace key file {path} does not exist") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise WorkspaceError(
            f"workspace key file {path} is accessible by group or others "
            f"(mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise WorkspaceError(f"workspace key file {path} does not hold a 32-byte base64 key")
    return key


class Cipher:
    """AES-GCM with one key; ``encrypt``/``decrypt`` strings bound to an associated label."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.key = key
        self.key_id = key_id(key)
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: str, label: str) -> str:
        """``plaintext`` sealed under a fresh nonce and bound to ``label``."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), label.encode())
        return f"{PREFIX}{self.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, label: str) -> str:
        """The plaintext of ``token``; a wrong key, label or corrupt token is a WorkspaceError."""
        from cryptography.exceptions import InvalidTag

        try:
            kid, body = token[len(PREFIX) :].split(":", 1)
        except ValueError:
            raise WorkspaceError(f"corrupt encrypted value at {label}") from None
        if kid != self.key_id:
            raise WorkspaceError(
                f"the value at {label} was encrypted with key {kid}, "
                f"but the workspace key file holds key {self.key_id}"
            )
        try:
            raw = base64.b64decode(body, validate=True)
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], label.encode()).decode()
        except (ValueError, InvalidTag):
            raise WorkspaceError(f"encrypted value at {label} does not decrypt (corrupt)") from None
