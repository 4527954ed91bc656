"""A test-only Upstash REST front over a real redis-server (the wire format of backends.md).

It speaks what the ``upstash-redis`` client sends: ``POST /`` with one command as a JSON array,
``POST /pipeline`` and ``POST /multi-exec`` with an array of them, ``Authorization: Bearer``,
and ``Upstash-Encoding: base64`` (every string in a result base64-encoded). Not for production:
no TLS, no limits.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _encode(reply: Any, b64: bool) -> Any:
    if isinstance(reply, bytes):
        return base64.b64encode(reply).decode() if b64 else reply.decode("utf-8", "replace")
    if isinstance(reply, list | tuple):
        return [_encode(item, b64) for item in reply]
    return reply  # int or None


def _answer(conn: Any, path: str, commands: Any, b64: bool) -> tuple[int, Any]:
    """The HTTP status and JSON body for ``commands`` sent to ``path``, run on ``conn``."""
    import redis

    if path == "":
        try:
            reply = conn.execute_command(*commands)
        except redis.ResponseError as exc:
            return 400, {"error": str(exc)}
        return 200, {"result": _encode(reply, b64)}
    if path in ("/pipeline", "/multi-exec"):
        pipe = conn.pipeline(transaction=path == "/multi-exec")
        for command in commands:
            pipe.execute_command(*command)
        try:
            replies = pipe.execute(raise_on_error=False)
        except redis.ResponseError as exc:
            return 400, {"error": str(exc)}
        return 200, [
            {"error": str(r)} if isinstance(r, Exception) else {"result": _encode(r, b64)}
            for r in replies
        ]
    return 404, {"error": "Endpoint not found"}


def serve(redis_value: dict[str, Any], token: str, port: int = 0) -> ThreadingHTTPServer:
    """Start the front on 127.0.0.1:``port`` in a daemon thread; call ``shutdown()`` to stop."""
    import redis

    pool = redis.ConnectionPool(
        host=redis_value["host"],
        port=redis_value["port"],
        password=redis_value.get("password") or None,
        protocol=2,  # Upstash answers in RESP2 shapes
    )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, code: int, obj: Any) -> None:
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self._send(401, {"error": "Unauthorized"})
            b64 = self.headers.get("Upstash-Encoding", "").lower() == "base64"
            length = int(self.headers.get("Content-Length", 0))
            commands = json.loads(self.rfile.read(length) or b"null")
            conn: Any = redis.Redis(connection_pool=pool)  # untyped in redis-py
            conn.response_callbacks.clear()  # raw RESP2 replies, as Upstash returns them
            self._send(*_answer(conn, self.path.rstrip("/"), commands, b64))

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="upstash-front", daemon=True).start()
    return server
