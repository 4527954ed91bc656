"""Publish resource types and hub scripts to a Windmill workspace through its REST API.

Endpoints (reference/windmill.md §2.1 and the openapi ``NewScript`` component), under
``<url>/api`` with ``Authorization: Bearer <token>``:

- ``GET /w/{ws}/resources/type/exists/{name}`` -> boolean; ``GET .../resources/type/get/{name}``
- ``POST /w/{ws}/resources/type/create`` ``{name, schema, description}``
- ``POST /w/{ws}/resources/type/update/{name}`` ``{schema, description}``
- ``GET /w/{ws}/scripts/exists/p/{path}`` -> boolean; ``GET /w/{ws}/scripts/get/p/{path}``
- ``POST /w/{ws}/scripts/create`` ``{path, summary, description, content, schema, language,
  kind[, parent_hash]}`` (a new version of an existing script names its ``parent_hash``)

``plan`` reads what is there and returns the changes (nothing is written); ``apply`` refuses the
whole plan when a change is breaking, unless ``allow_breaking``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from connectors.hub.catalog import HubError, HubScript, discover
from connectors.hub.compat import SchemaChange, breaking, schema_changes
from connectors.hub.export import resource_type_documents, script_metadata
from connectors.redact import Redactor


@dataclass
class Change:
    """What publishing one resource type or script will do."""

    kind: str  # "resource_type" | "script"
    name: str
    action: str  # "create" | "update" | "unchanged"
    changes: list[SchemaChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    request: tuple[str, str, dict[str, Any]] | None = None

    @property
    def breaking(self) -> list[SchemaChange]:
        """The schema changes that would break existing values."""
        return breaking(self.changes)

    def lines(self) -> list[str]:
        """The change as ``connectors hub publish`` prints it: a head line, then details."""
        sign = {"create": "+", "update": "~", "unchanged": "="}[self.action]
        head = f"{sign} {self.kind.replace('_', ' ')} {self.name}: {self.action}"
        return [head, *(f"    {note}" for note in self.notes), *(f"    {c}" for c in self.changes)]

    def to_dict(self) -> dict[str, Any]:
        """The change as ``--json`` prints it (without the request body)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "action": self.action,
            "notes": self.notes,
            "changes": [
                {"where": c.where, "what": c.what, "breaking": c.breaking} for c in self.changes
            ],
        }


class Publisher:
    """A Windmill workspace reached with a token; every error message has the token masked."""

    def __init__(
        self, url: str, workspace: str, token: str, *, client: httpx.Client | None = None
    ) -> None:
        base = url.rstrip("/")
        if not base.endswith("/api"):
            base += "/api"
        self.workspace = workspace
        self._redact = Redactor([token])
        self._client = client or httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30.0
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def _url(self, tail: str) -> str:
        return f"/w/{quote(self.workspace, safe='')}/{tail}"

    def _request(self, method: str, tail: str, body: Any = None) -> httpx.Response:
        try:
            response = self._client.request(method, self._url(tail), json=body)
        except httpx.HTTPError as exc:
            raise HubError(self._redact(f"{method} {tail}: {type(exc).__name__}: {exc}")) from None
        if response.status_code >= 400:
            text = " ".join(response.text.split())[:300]
            raise HubError(self._redact(f"{method} {tail}: HTTP {response.status_code} {text}"))
        return response

    def _get_json(self, tail: str) -> Any:
        response = self._request("GET", tail)
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
        if not self._get_json(f"resources/type/exists/{quoted}"):
            body = {"name": name, "schema": schema, "description": description}
            return Change(
                "resource_type", name, "create", request=("POST", "resources/type/create", body)
            )
        current = self._get_json(f"resources/type/get/{quoted}")
        changes = schema_changes(current.get("schema") or {}, schema)
        notes = []
        if (current.get("description") or "") != description:
            notes.append("description changed")
        if not changes and not notes and current.get("schema") == schema:
            return Change("resource_type", name, "unchanged")
        if not changes and not notes:
            notes.append("schema layout changed (order, titles or other keys)")
        body = {"schema": schema, "description": description}
        request = ("POST", f"resources/type/update/{quoted}", body)
        return Change("resource_type", name, "update", changes, notes, request)

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
        refused = [c for c in changes if c.breaking]
        if refused and not allow_breaking:
            listed = "; ".join(f"{c.name}: {', '.join(map(str, c.breaking))}" for c in refused)
            raise HubError(f"breaking changes (use --allow-breaking to publish anyway): {listed}")
        done = []
        for change in changes:
            if change.request is None:
                continue
            method, tail, body = change.request
            self._request(method, tail, body)
            done.append(change)
        return done
