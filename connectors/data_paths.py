"""Where the built-in plugins' data lives: the source tree, or the wheel's ``_data`` folder."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``hub_scripts`` or ``resource_types``: in the wheel, or at the top of a source checkout."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def scripts_dir(type_name: str) -> Path:
    return data_dir("hub_scripts") / type_name


def resource_type_file(type_name: str) -> Path:
    """The committed ``resource_types/<name>.json``, generated from the type's model."""
    return data_dir("resource_types") / f"{type_name}.json"
