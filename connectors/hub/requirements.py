"""The PyPI requirements of a script, read from its imports the way Windmill reads them.

Windmill takes the script's top-level imports, drops the standard library and relative imports,
and names each by its first module component (``_`` becomes ``-``), with a list of exceptions;
``#requirements:`` followed by ``#<requirement>`` lines replaces the inference, and
``#extra_requirements:`` adds to it. The first-component rule gets some names wrong:
``from bson import ...`` would install the PyPI project ``bson`` (an unrelated package that breaks
pymongo) and ``azure.core`` the deprecated ``azure`` bundle; ``IMPORT_PACKAGES`` names them right,
longest module prefix first (``from google.cloud import storage`` is read as
``google.cloud.storage``). A driver this project depends on keeps this project's version
range (pyproject's extras), so a lock resolves what the tests ran against.
"""

from __future__ import annotations

import ast
import re
import sys
from functools import cache

#: module (or module prefix) -> PyPI project, where the first-component rule is wrong
IMPORT_PACKAGES: dict[str, str] = {
    "azure.core": "azure-core",
    "azure.identity": "azure-identity",
    "azure.storage.blob": "azure-storage-blob",
    "azure.storage.filedatalake": "azure-storage-file-datalake",
    "bs4": "beautifulsoup4",
    "bson": "pymongo",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "dns": "dnspython",
    "dotenv": "python-dotenv",
    "google.api_core": "google-api-core",
    "google.auth": "google-auth",
    "google.cloud.bigquery": "google-cloud-bigquery",
    "google.cloud.storage": "google-cloud-storage",
    "google.oauth2": "google-auth",
    "gridfs": "pymongo",
    "jwt": "PyJWT",
    "psycopg": "psycopg[binary]",
    "psycopg2": "psycopg2-binary",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "yaml": "PyYAML",
}
_HEADER = re.compile(r"^#\s*(requirements|extra_requirements)\s*:\s*$")
_REQUIREMENT_LINE = re.compile(r"^#(\S+)$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def requirements(source: str) -> list[str]:
    """The script's requirements, one PyPI requirement string each, sorted and unique."""
    declared = _header(source, "requirements")
    if declared is not None:
        return declared
    found = {_package(module) for module in imported_modules(source)}
    found.update(_header(source, "extra_requirements") or [])
    ranges = _project_ranges()
    return sorted({ranges.get(_canonical(r), r) for r in found}, key=str.lower)


def imported_modules(source: str) -> list[str]:
    """The absolute, non-standard-library modules imported at the top level of ``source``."""
    tree = ast.parse(source)
    modules: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from google.cloud import storage` may import the module google.cloud.storage
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return [m for m in dict.fromkeys(modules) if m.split(".")[0] not in sys.stdlib_module_names]


def _package(module: str) -> str:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in IMPORT_PACKAGES:
            return IMPORT_PACKAGES[prefix]
    return parts[0].replace("_", "-")


def _header(source: str, kind: str) -> list[str] | None:
    """The ``#<kind>:`` block's requirements, or None when the script has none."""
    lines = source.splitlines()
    for index, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if match and match[1] == kind:
            found = []
            for follower in lines[index + 1 :]:
                requirement = _REQUIREMENT_LINE.match(follower.strip())
                if requirement is None:
                    break
                found.append(requirement[1])
            return found
    return None


def _canonical(requirement: str) -> str:
    match = _NAME.match(requirement)
    return re.sub(r"[-_.]+", "-", match[0]).lower() if match else requirement.lower()


@cache
def _project_ranges() -> dict[str, str]:
    """Canonical name -> this project's requirement for it (``pymongo>=4.6``), from its extras."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        declared = requires("storage-connectors") or []
    except PackageNotFoundError:
        return {}
    ranges: dict[str, str] = {}
    for line in declared:
        spec, _, marker = (part.strip() for part in line.partition(";"))
        if "test" in marker:
            continue  # the test tools are not what a script runs with
        if spec and not spec.startswith("storage-connectors"):
            ranges.setdefault(_canonical(spec), spec)
    return ranges
