"""One HTTP client for Windmill's REST API, as the ``wmill`` client talks to it.

Base URL ``{BASE_INTERNAL_URL or WM_BASE_URL}/api``, header ``Authorization: Bearer {WM_TOKEN}``,
endpoints under ``/w/{WM_WORKSPACE}/`` (reference/windmill.md 1.1-1.2). Used by the workspace store
(resources, variables, flow user state) and by the object-storage helpers (``job_helpers/*``).
Timeouts are wmill's: 900 s per request, none for object downloads and uploads (the caller passes
``timeout=None``). Every failure is one ``WorkspaceError`` line naming the method, endpoint and
status; the response body is redacted and the query string (object keys) is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connectors.errors import WorkspaceError
from connectors.redact import redact_text

if TYPE_CHECKING:
    import httpx


class _Missing:
    """The type of ``MISSING``: a sentinel distinct from any JSON answer (``None`` included)."""

    def __repr__(self) -> str:
        return "MISSING"


#: what ``request(..., missing_ok=True)`` returns for a 404
MISSING: Any = _Missing()


class WindmillApi:
    """The ``/api`` of one Windmill instance, in one workspace, with one token."""

    def __init__(self, base_url: str, token: str, workspace: str, timeout: float = 900.0) -> None:
        import httpx

        self.base_url = f"{base_url.rstrip('/')}/api"
        self.workspace = workspace
        self.token = token
        self.http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout),
        )

    def url(self, endpoint: str) -> str:
        """The path of a workspace endpoint (``job_helpers/...`` -> ``/w/{ws}/job_helpers/...``)."""
        return f"/w/{self.workspace}/{endpoint}"

    def _fail_send(self, method: str, url: str, exc: Exception) -> WorkspaceError:
        return WorkspaceError(
            f"Windmill API {method} {self.base_url}{url} failed: {redact_text(str(exc))}"
        )

    @staticmethod
    def _fail_status(method: str, url: str, status: int, text: str) -> WorkspaceError:
        body = redact_text(text[:300])
        return WorkspaceError(f"Windmill API {method} {url}: {status} {body}".strip())

    def request(self, method: str, endpoint: str, *, missing_ok: bool = False, **kw: Any) -> Any:
        """The decoded answer (JSON or text); ``MISSING`` for a 404 when ``missing_ok``."""
        url = self.url(endpoint)
        try:
            response = self.http.request(method, url, **kw)
        except Exception as exc:  # httpx.HTTPError and OS errors: one clear line
            raise self._fail_send(method, url, exc) from None
        if response.status_code == 404 and missing_ok:
            return MISSING
        if response.status_code >= 400:
            raise self._fail_status(method, url, response.status_code, response.text)
        if "json" in response.headers.get("content-type", ""):
            return response.json()
        return response.text

    def stream(self, method: str, endpoint: str, **kw: Any) -> httpx.Response:
        """An open response whose body is not read yet (close it); errors raised as above."""
        url = self.url(endpoint)
        try:
            response = self.http.send(self.http.build_request(method, url, **kw), stream=True)
        except Exception as exc:
            raise self._fail_send(method, url, exc) from None
        if response.status_code >= 400:
            try:
                text = response.read().decode("utf-8", "replace")
            finally:
                response.close()
            raise self._fail_status(method, url, response.status_code, text)
        return response

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()
