"""The store inside a Windmill worker: Windmill's REST API, requests as the ``wmill`` client sends.

Base URL ``{BASE_INTERNAL_URL or WM_BASE_URL}/api``, header ``Authorization: Bearer {WM_TOKEN}``,
workspace ``WM_WORKSPACE``. Resources: ``GET resources/get_value_interpolated/{path}`` (or
``get_value``), set = ``GET resources/get/{path}`` then ``POST resources/create`` on 404 else
``POST resources/update_value/{path}``. Variables: ``GET variables/get_value/{path}``, set =
``GET variables/get/{path}`` then ``POST variables/create`` or ``POST variables/update/{path}``.
Flow user state: ``GET jobs_u/get_root_job_id/{WM_JOB_ID}`` then ``GET``/``POST
jobs/flow/user_states/{root}/{key}``. Windmill interpolates ``$var:``/``$res:`` and encrypts
secrets itself. Windmill offers no compare-and-set, so ``update_state`` here is a plain read then
write (one writer per state, as one schedule per script gives, is the supported pattern). The HTTP
client (base URL, token, errors) is ``connectors.windmill_api``, shared with the object storage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from connectors.errors import NotFoundError, WorkspaceError
from connectors.windmill_api import MISSING, WindmillApi
from connectors.workspace.interface import Store, StoredResource, StoredVariable, check_value


class WindmillStore(Store):
    kind = "windmill"

    def __init__(self, base_url: str, token: str, workspace: str) -> None:
        self.api = WindmillApi(base_url, token, workspace)
        self.base_url = self.api.base_url
        self.workspace = workspace
        self._request = self.api.request

    # --- resources -------------------------------------------------------------------------------
    def get_resource(self, path: str) -> StoredResource | None:
        found = self._request("GET", f"resources/get/{path}", missing_ok=True)
        if found is _MISSING:
            return None
        return StoredResource(
            path,
            found.get("resource_type", "any"),
            found.get("value"),
            found.get("description") or "",
            found.get("edited_at"),
        )

    def get_resource_value(self, path: str, interpolated: bool = True) -> Any:
        """``GET resources/get_value[_interpolated]/{path}``, the path as the caller gave it."""
        endpoint = "get_value_interpolated" if interpolated else "get_value"
        return self._value("resource", path, f"resources/{endpoint}/{path}")

    def _value(self, what: str, path: str, endpoint: str) -> Any:
        """The value a ``GET`` answers, or NotFoundError naming the ``what`` at ``path``."""
        value = self._request("GET", endpoint, missing_ok=True)
        if value is _MISSING:
            raise NotFoundError(f"{what} {path} not found in Windmill workspace {self.workspace}")
        return value

    def _create_or_update(
        self, kind: str, path: str, create: dict[str, Any], update: dict[str, Any]
    ) -> None:
        """``POST {kind}/create`` when nothing is at ``path``, else ``POST {kind}/update...``."""
        if self._request("GET", f"{kind}/get/{path}", missing_ok=True) is _MISSING:
            self._request("POST", f"{kind}/create", json={"path": path, **create})
        else:
            verb = "update_value" if kind == "resources" else "update"
            self._request("POST", f"{kind}/{verb}/{path}", json=update)

    def put_resource(
        self,
        path: str,
        resource_type: str,
        value: Any,
        description: str | None = None,
        *,
        keep_type: bool = False,
    ) -> None:
        existing = self._request("GET", f"resources/get/{path}", missing_ok=True)
        if existing is _MISSING:
            value = check_value(resource_type, value, allow_unknown=True)
            body: dict[str, Any] = {"path": path, "value": value, "resource_type": resource_type}
            if description is not None:
                body["description"] = description
            self._request("POST", "resources/create", json=body)
            return
        current_type = existing.get("resource_type", resource_type)
        if not keep_type and current_type != resource_type:
            raise WorkspaceError(
                f"resource {path} is a {current_type}; Windmill cannot change a resource's type "
                "(delete it first)"
            )
        value = check_value(current_type, value, allow_unknown=True)
        if description is None:
            self._request("POST", f"resources/update_value/{path}", json={"value": value})
        else:
            self._request(
                "POST",
                f"resources/update/{path}",
                json={"value": value, "description": description},
            )

    def update_resource(
        self, path: str, fn: Callable[[Any], Any], resource_type: str = "state"
    ) -> Any:
        try:
            current = self.get_resource_value(path, interpolated=True)
        except WorkspaceError:
            current = None
        new = fn(current)
        self.put_resource(path, resource_type, new, keep_type=True)
        return new

    def delete_resource(self, path: str) -> bool:
        return self._request("DELETE", f"resources/delete/{path}", missing_ok=True) is not _MISSING

    def list_resources(
        self,
        resource_types: list[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
        *,
        values: bool = True,
    ) -> list[StoredResource]:
        params: dict[str, Any] = {}
        if resource_types:
            params["resource_type"] = ",".join(resource_types)
        if page is not None:
            params["page"] = page
        if per_page is not None:
            params["per_page"] = per_page
        items = self._request("GET", "resources/list", params=params)
        return [
            StoredResource(
                item["path"],
                item.get("resource_type", "any"),
                item.get("value"),
                item.get("description") or "",
                item.get("edited_at"),
            )
            for item in items
        ]

    # --- variables -------------------------------------------------------------------------------
    def get_variable(self, path: str) -> StoredVariable | None:
        found = self._request("GET", f"variables/get/{path}", missing_ok=True)
        if found is _MISSING:
            return None
        return StoredVariable(
            path,
            found.get("value") or "",
            bool(found.get("is_secret")),
            found.get("description") or "",
        )

    def get_variable_value(self, path: str) -> str:
        return str(self.wmill_get_variable(path))

    def put_variable(
        self,
        path: str,
        value: str,
        is_secret: bool | None = None,
        description: str | None = None,
        *,
        keep_secret: bool = False,
    ) -> None:
        existing = self._request("GET", f"variables/get/{path}", missing_ok=True)
        if existing is _MISSING:
            body = {
                "path": path,
                "value": value,
                "is_secret": bool(is_secret),
                "description": description or "",
            }
            self._request("POST", "variables/create", json=body)
        else:
            update: dict[str, Any] = {"value": value}
            if is_secret is not None and not keep_secret:
                update["is_secret"] = is_secret
            if description is not None:
                update["description"] = description
            self._request("POST", f"variables/update/{path}", json=update)

    def delete_variable(self, path: str) -> bool:
        return self._request("DELETE", f"variables/delete/{path}", missing_ok=True) is not _MISSING

    def list_variables(self) -> list[StoredVariable]:
        items = self._request("GET", "variables/list")
        return [
            StoredVariable(
                item["path"],
                item.get("value") or "",
                bool(item.get("is_secret")),
                item.get("description") or "",
            )
            for item in items
        ]

    # --- flow user state -------------------------------------------------------------------------
    def _root_job_id(self) -> str:
        job_id = os.environ.get("WM_JOB_ID")
        if not job_id:
            raise WorkspaceError("WM_JOB_ID is not set: flow user state needs a running job")
        return str(self._request("GET", f"jobs_u/get_root_job_id/{job_id}"))

    def get_flow_user_state(self, key: str) -> Any:
        root = self._root_job_id()
        value = self._request("GET", f"jobs/flow/user_states/{root}/{key}", missing_ok=True)
        if value is _MISSING:
            print(f"Job {root} does not exist or is not a flow", file=sys.stderr)
            return None
        return value

    def set_flow_user_state(self, key: str, value: Any) -> None:
        root = self._root_job_id()
        done = self._request(
            "POST", f"jobs/flow/user_states/{root}/{key}", json=value, missing_ok=True
        )
        if done is _MISSING:
            print(f"Job {root} does not exist or is not a flow", file=sys.stderr)

    # --- the wmill client's own requests (client functions inside a worker) ----------------------
    def wmill_set_resource(self, path: str, value: Any, resource_type: str) -> None:
        """Create or update the value, sent verbatim (no validation, type kept on update)."""
        create = {"value": value, "resource_type": resource_type}
        self._create_or_update("resources", path, create, {"value": value})

    def wmill_list_resources(self, params: dict[str, Any]) -> Any:
        """``GET resources/list`` with wmill's query, the answer as the server gives it."""
        return self._request("GET", "resources/list", params=params or None)

    def wmill_get_variable(self, path: str) -> Any:
        """``GET variables/get_value/{path}``."""
        return self._value("variable", path, f"variables/get_value/{path}")

    def wmill_set_variable(self, path: str, value: str, is_secret: bool) -> None:
        """Create (with ``is_secret``) or update the value, sent verbatim."""
        create = {"value": value, "is_secret": is_secret, "description": ""}
        self._create_or_update("variables", path, create, {"value": value})

    # --- administration --------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        return {"store": self.kind, "workspace": self.workspace, "location": self.base_url}

    def close(self) -> None:
        self.api.close()


_MISSING: Any = MISSING
