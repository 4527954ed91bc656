"""The entry points of one group, read from the installed distributions and cached on disk.

``importlib.metadata.entry_points`` reads every installed distribution's metadata (and imports
email, zipfile and csv to do it): more time than the rest of ``connectors parse``. The list is
kept in a JSON file in ``$CONNECTORS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/connectors``, else
``~/.cache/connectors``), one file per interpreter and ``sys.path``. Its key names every
``*.dist-info`` / ``*.egg-info`` folder on ``sys.path`` with the modification time of its
``entry_points.txt``: installing, removing or upgrading a distribution, or editing its entry
points, changes the key and the list is read again. ``CONNECTORS_CACHE_DIR=off`` turns the
cache off; a cache folder that cannot be written only costs the speed-up.

The same file keeps ``notes``: what else holds as long as the key does (the verdicts on the
plugins' schemas, ``connectors.plugin_checks``), so that start-up need not work them out again.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any, NamedTuple

_FORMAT = 1


class CachedEntryPoint(NamedTuple):
    """What the plugin manager needs of an ``importlib.metadata.EntryPoint``."""

    name: str
    value: str
    distribution: str | None = None
    version: str | None = None

    def load(self) -> Any:
        """Import ``module[:attribute]`` as ``EntryPoint.load`` does (extras are ignored)."""
        target = self.value.split("[", 1)[0]
        module_name, _, attributes = target.partition(":")
        found: Any = importlib.import_module(module_name.strip())
        for attribute in filter(None, attributes.strip().split(".")):
            found = getattr(found, attribute)
        return found


#: group -> the key, entry points and notes of its cache file as last read or written
_loaded: dict[str, tuple[str, list[CachedEntryPoint], dict[str, Any]]] = {}


def cache_dir() -> Path | None:
    """Where the cache files live, or None when the cache is turned off."""
    configured = os.environ.get("CONNECTORS_CACHE_DIR")
    if configured is not None:
        return None if configured in ("", "off", "0") else Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "connectors"


def fingerprint() -> str:
    """Every distribution metadata folder on ``sys.path``, with its entry points' mtime."""
    parts = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as scan:
                names = sorted(item.name for item in scan)
        except OSError:  # a zip file, or a folder that does not exist
            with contextlib.suppress(OSError):
                parts.append(f"{entry}\t{os.stat(entry).st_mtime_ns}")
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                path = os.path.join(entry, name)
                try:
                    stamp = os.stat(os.path.join(path, "entry_points.txt")).st_mtime_ns
                except OSError:
                    stamp = 0
                parts.append(f"{path}\t{stamp}")
    return "\n".join(parts)


def cache_file(group: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    slot = zlib.crc32("\0".join([sys.executable, group, *sys.path]).encode())
    return folder / f"entry-points-{slot:08x}.json"


def _scan(group: str) -> list[CachedEntryPoint]:
    from importlib.metadata import entry_points

    return [
        CachedEntryPoint(
            ep.name,
            ep.value,
            ep.dist.name if ep.dist else None,
            ep.dist.version if ep.dist else None,
        )
        for ep in entry_points(group=group)
    ]


def _read(path: Path, key: str) -> tuple[list[CachedEntryPoint], dict[str, Any]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT or data.get("key") != key:
            return None
        notes = data.get("notes")
        found = [CachedEntryPoint(**item) for item in data["entry_points"]]
        return found, notes if isinstance(notes, dict) else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write(
    path: Path, key: str, found: list[CachedEntryPoint], notes: dict[str, Any] | None = None
) -> None:
    data = {"format": _FORMAT, "key": key, "entry_points": [ep._asdict() for ep in found]}
    if notes:
        data["notes"] = notes
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def connectors_entry_points(group: str) -> list[CachedEntryPoint]:
    """The entry points of ``group``, from the cache when the installed set has not changed."""
    path = cache_file(group)
    if path is None:
        return _scan(group)
    key = fingerprint()
    cached = _read(path, key)
    if cached is not None:
        _loaded[group] = (key, *cached)
        return cached[0]
    found = _scan(group)
    _write(path, key, found)
    _loaded[group] = (key, found, {})
    return found


def notes(group: str) -> dict[str, Any]:
    """The notes kept with ``group``'s entry points, read by ``connectors_entry_points`` (empty
    when the cache is off or the installed set changed)."""
    return dict(_loaded[group][2]) if group in _loaded else {}


def save_notes(group: str, new: dict[str, Any]) -> None:
    """Keep ``new`` with ``group``'s entry points, under the key they were read with."""
    path = cache_file(group)
    if path is None or group not in _loaded or _loaded[group][2] == new:
        return
    key, found, _ = _loaded[group]
    _write(path, key, found, new)
    _loaded[group] = (key, found, dict(new))
