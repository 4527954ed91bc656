"""Where the workspace key lives: the environment, the OS keyring, or a key file.

``CONNECTORS_WORKSPACE_KEY`` chooses, in this order:

1. ``keyring``: the OS keyring (the optional ``keyring`` package), service
   ``storage-connectors``, entry named by the key file's path; created there on first use;
2. any other value: the key itself, 32 bytes in base64 (``openssl rand -base64 32``); it is
   never written anywhere, so it cannot be rotated in place;
3. unset: the key file (``<home>/workspaces/<name>.key`` or ``CONNECTORS_WORKSPACE_KEY_FILE``),
   mode 0600, created on first use.

A rotation writes the new key beside the current one (``<key file>.new``, or the keyring entry
``<entry>.new``) before its transaction commits and moves it into place afterwards.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.errors import WorkspaceError
from connectors.workspace import crypto

ENV_KEY = "CONNECTORS_WORKSPACE_KEY"
KEYRING_SERVICE = "storage-connectors"


@dataclass(frozen=True)
class KeySource:
    """The key file (default), the keyring entry, or the environment variable."""

    kind: str  # "file" | "keyring" | "env"
    key_file: Path

    @property
    def description(self) -> str:
        if self.kind == "env":
            return f"the {ENV_KEY} variable"
        if self.kind == "keyring":
            return f"the OS keyring entry {KEYRING_SERVICE}/{self.key_file}"
        return f"workspace key file {self.key_file}"

    @property
    def how_to_supply(self) -> str:
        if self.kind == "env":
            return f"set {ENV_KEY} to that key"
        if self.kind == "keyring":
            return f"store that key (base64) in the OS keyring as {KEYRING_SERVICE}/{self.key_file}"
        return "copy that key file here (or point CONNECTORS_WORKSPACE_KEY_FILE at it)"

    # --- the current key ---------------------------------------------------------------------
    def read(self) -> bytes | None:
        """The key, or None when there is none yet."""
        if self.kind == "env":
            return _decode(os.environ.get(ENV_KEY, ""), self.description)
        if self.kind == "keyring":
            text = _ring("get_password", str(self.key_file))
            return None if text is None else _decode(text, self.description)
        if not self.key_file.exists():
            return None
        return crypto.read_key_file(self.key_file)

    def create(self, key: bytes) -> None:
        """Record a first key (the environment variable is the user's to set)."""
        if self.kind == "keyring":
            _ring("set_password", str(self.key_file), _encode(key))
        elif self.kind == "file":
            try:
                crypto.create_key_file(self.key_file, key)
            except OSError as exc:
                raise WorkspaceError(
                    f"cannot create {self.description}: {exc.strerror or exc}"
                ) from None

    # --- rotation ----------------------------------------------------------------------------
    def write_pending(self, key: bytes) -> None:
        if self.kind == "env":
            raise WorkspaceError(
                f"the workspace key comes from {ENV_KEY}, which cannot be rewritten: "
                "unset it to rotate a key file or keyring key"
            )
        if self.kind == "keyring":
            _ring("set_password", f"{self.key_file}.new", _encode(key))
        else:
            crypto.write_key_file(self._pending_file, key)

    def read_pending(self) -> bytes | None:
        if self.kind == "keyring":
            text = _ring("get_password", f"{self.key_file}.new")
            return None if text is None else _decode(text, self.description)
        if self.kind == "file" and self._pending_file.exists():
            return crypto.read_key_file(self._pending_file)
        return None

    def commit_pending(self) -> None:
        """Make the pending key the current one."""
        if self.kind == "keyring":
            text = _ring("get_password", f"{self.key_file}.new")
            if text is not None:
                _ring("set_password", str(self.key_file), text)
            self.drop_pending()
        elif self.kind == "file":
            os.replace(self._pending_file, self.key_file)

    def drop_pending(self) -> None:
        if self.kind == "keyring":
            if _ring("get_password", f"{self.key_file}.new") is not None:
                _ring("delete_password", f"{self.key_file}.new")
        elif self.kind == "file":
            self._pending_file.unlink(missing_ok=True)

    @property
    def _pending_file(self) -> Path:
        return self.key_file.with_name(self.key_file.name + ".new")


def key_source(key_file: Path) -> KeySource:
    """The source ``CONNECTORS_WORKSPACE_KEY`` selects (see the module docstring)."""
    chosen = os.environ.get(ENV_KEY, "").strip()
    if not chosen:
        return KeySource("file", key_file)
    if chosen.lower() == "keyring":
        return KeySource("keyring", key_file)
    return KeySource("env", key_file)


def _encode(key: bytes) -> str:
    return base64.b64encode(key).decode()


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise WorkspaceError(f"{where} does not hold a 32-byte base64 key")
    return key


def _ring(method: str, entry: str, *args: str) -> Any:
    """``keyring.<method>(service, entry, *args)``, its failures as WorkspaceError."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise WorkspaceError(
            f"{ENV_KEY}=keyring needs the keyring package: "
            "pip install 'storage-connectors[keyring]'"
        ) from None
    try:
        return getattr(keyring, method)(KEYRING_SERVICE, entry, *args)
    except KeyringError as exc:
        message = f"the OS keyring refused {method} for the workspace key: {exc}"
        raise WorkspaceError(message) from None
