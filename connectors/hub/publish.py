"""Publish resource types and hub scripts to a Windmill workspace through its REST API.

Endpoints (reference/windmill.md §2.1 and the openapi ``NewScript`` component), under
``<url>/api`` with ``Authorization: Bearer <token>``:

- ``GET /w/{ws}/resources/type/exists/{name}`` -> boolean; ``GET .../resources/type/get/{name}``
- ``POST /w/{ws}/resources/type/create`` ``{name, schema, description}``
- ``POST /w/{ws}/resources/type/update/{name}`` ``{schema, description}``
- ``GET /w/{ws}/scripts/exists/p/{path}`` -> boolean; ``GET /w/{ws}/scripts/get/p/{path}``
- ``POST /w/{ws}/scripts/create`` ``{path, summary, description, content, schema, language,
  kind, lock[, parent_hash]}`` (a new version of an existing script names its ``parent_hash``;
  ``lock`` is the script's requirements pinned with ``uv pip compile`` from the right PyPI names,
  as ``wmill sync push`` sends its ``.script.lock``, so Windmill does not infer ``bson`` for
  ``from bson import ...``; ``locks=False`` leaves the resolution to Windmill)

``plan`` reads what is there and returns the changes (nothing is written); ``apply`` refuses the
whole plan when a change is breaking, unless ``allow_breaking``.

Windmill keeps the hub's resource types (postgresql, mongodb, s3, azure_blob, ...) in its
``admins`` workspace, shared by every workspace of the instance: another workspace reads them
from there, and an update sent to it changes nothing. So such a type is published to ``admins``
(``admins=True``, or when the workspace is ``admins``) or refused with that reason, never sent to
another workspace where it would silently do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from connectors.compat import SchemaChange, breaking, schema_changes
from connectors.hub.catalog import HubError, HubScript, discover
from connectors.hub.export import script_metadata
from connectors.redact import Redactor
from connectors.schemas import resource_type_documents

ADMINS = "admins"
#: hub resource types Windmill keeps in its admins workspace (reference/windmill.md §3, §4)
ADMINS_TYPES = frozenset(
    {
        "azure_blob",
        "azure_workload_identity",
        "gcloud_storage",
        "mongodb",
        "mongodb_rest",
        "mysql",
        "neondb",
        "postgresql",
        "s3",
        "s3_aws_oidc",
        "supabase",
    }
)


@dataclass
class Change:
    """What publishing one resource type or script will do."""

    kind: str  # "resource_type" | "script"
    name: str
    action: str  # "create" | "update" | "unchanged" | "refuse"
    changes: list[SchemaChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    request: tuple[str, str, dict[str, Any]] | None = None
    #: the workspace the request goes to when it is not the publisher's (admins)
    workspace: str | None = None

    @property
    def breaking(self) -> list[SchemaChange]:
        """The schema changes that would break existing values."""
        return breaking(self.changes)

    def lines(self) -> list[str]:
        """The change as ``connectors hub publish`` prints it: a head line, then details."""
        sign = {"create": "+", "update": "~", "unchanged": "=", "refuse": "!"}[self.action]
        head = f"{sign} {self.kind.replace('_', ' ')} {self.name}: {self.action}"
        if self.workspace is not None:
            head += f" (in {self.workspace})"
        return [head, *(f"    {note}" for note in self.notes), *(f"    {c}" for c in self.changes)]

    def to_dict(self) -> dict[str, Any]:
        """The change as ``--json`` prints it (without the request body)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "action": self.action,
            "workspace": self.workspace,
            "notes": self.notes,
            "changes": [
                {"where": c.where, "what": c.what, "breaking": c.breaking} for c in self.changes
            ],
        }


class Publisher:
    """A Windmill workspace reached with a token; every error message has the token masked."""

    def __init__(
        self,
        url: str,
        workspace: str,
        token: str,
        *,
        client: httpx.Client | None = None,
        admins: bool = False,
        locks: bool = True,
    ) -> None:
        base = url.rstrip("/")
        if not base.endswith("/api"):
            base += "/api"
        self.workspace = workspace
        #: publish the types Windmill keeps in the admins workspace there
        self.admins = admins
        #: send each script's lock (resolved when applying)
        self.locks = locks
        self._redact = Redactor([token])
        self._client = client or httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30.0
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def _url(self, tail: str, workspace: str | None = None) -> str:
        return f"/w/{quote(workspace or self.workspace, safe='')}/{tail}"

    def _request(
        self, method: str, tail: str, body: Any = None, workspace: str | None = None
    ) -> httpx.Response:
        try:
            response = self._client.request(method, self._url(tail, workspace), json=body)
        except httpx.HTTPError as exc:
            raise HubError(self._redact(f"{method} {tail}: {type(exc).__name__}: {exc}")) from None
        if response.status_code >= 400:
            text = " ".join(response.text.split())[:300]
            raise HubError(self._redact(f"{method} {tail}: HTTP {response.status_code} {text}"))
        return response

    def _get_json(self, tail: str, workspace: str | None = None) -> Any:
        response = self._request("GET", tail, workspace=workspace)
        try:
            return response.json()
        except ValueError:
            raise HubError(f"GET {tail}: the answer is not JSON") from None

    # -- planning -----------------------------------------------------------------------------

    def plan_resource_type(self, name: str, document: dict[str, Any]) -> Change:
        """Create, update or leave alone the resource type ``name`` (hub ``document``)."""
        quoted = quote(name, safe="")
        description = document.get("description", "")
        schema = document["schema"]
        target = None
        if name in ADMINS_TYPES and self.workspace != ADMINS:
            if not self.admins:
                return Change("resource_type", name, "refuse", notes=[admins_reason(name)])
            target = ADMINS
        if not self._get_json(f"resources/type/exists/{quoted}", target):
            body = {"name": name, "schema": schema, "description": description}
            request = ("POST", "resources/type/create", body)
            return Change("resource_type", name, "create", request=request, workspace=target)
        current = self._get_json(f"resources/type/get/{quoted}", target)
        changes = schema_changes(current.get("schema") or {}, schema)
        notes = []
        if (current.get("description") or "") != description:
            notes.append("description changed")
        if not changes and not notes and current.get("schema") == schema:
            return Change("resource_type", name, "unchanged", workspace=target)
        if not changes and not notes:
            notes.append("schema layout changed (order, titles or other keys)")
        body = {"schema": schema, "description": description}
        request = ("POST", f"resources/type/update/{quoted}", body)
        return Change("resource_type", name, "update", changes, notes, request, target)

    def plan_script(self, script: HubScript) -> Change:
        """Create the script, add a new version of it, or leave it alone."""
        path = script.job_path
        metadata = script_metadata(script, wmill=True)
        body: dict[str, Any] = {
            "path": path,
            "summary": metadata["summary"],
            "description": metadata["description"],
            "content": script.source(),
            "schema": metadata["schema"],
            "language": "python3",
            "kind": metadata["kind"],
        }
        if not self._get_json(f"scripts/exists/p/{path}"):
            return Change("script", path, "create", request=("POST", "scripts/create", body))
        current = self._get_json(f"scripts/get/p/{path}")
        changes = schema_changes(current.get("schema") or {}, body["schema"])
        notes = [
            f"{key} changed"
            for key in ("content", "summary", "description", "kind", "language")
            if (current.get(key) or "") != body[key]
        ]
        if not changes and not notes:
            return Change("script", path, "unchanged")
        body["parent_hash"] = current.get("hash")
        return Change("script", path, "update", changes, notes, ("POST", "scripts/create", body))

    def plan(
        self,
        documents: dict[str, dict[str, Any]] | None = None,
        scripts: list[HubScript] | None = None,
    ) -> list[Change]:
        """What publishing would do; reads the workspace, writes nothing."""
        documents = resource_type_documents() if documents is None else documents
        scripts = discover() if scripts is None else scripts
        changes = [self.plan_resource_type(name, doc) for name, doc in documents.items()]
        changes += [self.plan_script(script) for script in scripts]
        return changes

    # -- applying -----------------------------------------------------------------------------

    def apply(self, changes: list[Change], *, allow_breaking: bool = False) -> list[Change]:
        """Send every create/update; refuses everything if a change breaks and is not allowed."""
        kept = [c.name for c in changes if c.action == "refuse"]
        if kept:
            raise HubError(
                f"{', '.join(kept)}: {_ADMINS_WHY} (use --admins to publish them there and the "
                f"rest to {self.workspace}, or --workspace {ADMINS}); nothing was published"
            )
        refused = [c for c in changes if c.breaking]
        if refused and not allow_breaking:
            listed = "; ".join(f"{c.name}: {', '.join(map(str, c.breaking))}" for c in refused)
            raise HubError(f"breaking changes (use --allow-breaking to publish anyway): {listed}")
        if self.locks:
            _add_locks([c.request[2] for c in changes if c.kind == "script" and c.request])
        done = []
        for change in changes:
            if change.request is None:
                continue
            method, tail, body = change.request
            self._request(method, tail, body, change.workspace)
            done.append(change)
        return done


_ADMINS_WHY = (
    f"Windmill keeps these hub resource types in its {ADMINS} workspace, shared by every "
    "workspace; sent to another workspace they would change nothing"
)


def admins_reason(name: str) -> str:
    """Why the hub type ``name`` is not published to a workspace other than admins."""
    return (
        f"Windmill keeps the hub type {name} in its {ADMINS} workspace, shared by every "
        f"workspace: publish it there with --admins (or --workspace {ADMINS})"
    )


def _add_locks(bodies: list[dict[str, Any]]) -> None:
    """Give each NewScript body its lock, each distinct requirement set resolved once."""
    from connectors.hub.lock import Locker
    from connectors.hub.requirements import requirements

    wanted = [requirements(body["content"]) for body in bodies]
    locker = Locker()
    locker.lock_all(wanted)
    for body, needs in zip(bodies, wanted, strict=True):
        lock = locker.lock(needs)
        if lock:
            body["lock"] = lock
