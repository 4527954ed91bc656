"""Whether what a script's ``#requirements:``/``#extra_requirements:`` comments list is installed.

Windmill's rules (``windmill-parser-py-imports``): a line starting with ``#requirements:`` or
``# requirements:`` (or ``#extra_requirements:``) is followed by one requirement per line, each a
comment ``#<requirement>`` (one optional space), up to the first line that is not one.
``requirements`` replaces the imports Windmill would infer; ``extra_requirements`` adds to them.

A local run installs nothing: each listed distribution must already be installed (any version;
the pins are for Windmill's lock file), else one error names the missing ones and the pip
command. ``wmill`` is never needed: ``import wmill`` is served by ``connectors.wmill``.
(``connectors.hub.requirements`` resolves the whole list, imports included, for lock files.)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from importlib import metadata

from connectors.errors import ConnectorsError

_HEADERS = ("#requirements:", "# requirements:", "#extra_requirements:", "# extra_requirements:")
_LINE = re.compile(r"^#\s?(\S+)\s*$")
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")
SERVED = {"wmill"}


class MissingRequirementError(ConnectorsError):
    """A package the script's requirement comments list is not installed."""


@dataclass(frozen=True)
class Requirements:
    """What the script's comments list, and whether they replace the inferred imports."""

    requirements: list[str]
    replaces_imports: bool


def read_requirements(source: str) -> Requirements | None:
    """The requirement block of ``source`` (None when the script has none)."""
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(_HEADERS):
            found = []
            for following in lines[index + 1 :]:
                match = _LINE.match(following)
                if match is None:
                    break
                found.append(match.group(1))
            return Requirements(found, replaces_imports="extra_" not in line)
    return None


def distribution_name(requirement: str) -> str | None:
    """``polars==0.20.2`` -> ``polars``; ``s3fs[boto]>=1`` -> ``s3fs``."""
    match = _NAME.match(requirement)
    return match.group(1) if match else None


def check_installed(source: str, where: str) -> list[str]:
    """The requirements listed in ``source``; a MissingRequirementError when some are missing."""
    found = read_requirements(source)
    if found is None:
        return []
    missing = []
    for requirement in found.requirements:
        name = distribution_name(requirement)
        if name is None or name.lower() in SERVED:
            continue
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(requirement)
    if missing:
        names = ", ".join(missing)
        command = "pip install " + " ".join(shlex.quote(item) for item in missing)
        raise MissingRequirementError(
            f"{where} requires {names} (its requirements comment), not installed: {command}"
        )
    return found.requirements
