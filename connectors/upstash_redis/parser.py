"""Upstash Redis REST credentials (url, token) from the forms the console and SDKs show.

Accepted, in the order tried:

- ``KEY=VALUE`` lines, as copied from the console or a ``.env`` file (``export`` prefix, quotes,
  one or several lines): ``UPSTASH_REDIS_REST_URL`` + ``UPSTASH_REDIS_REST_TOKEN`` (what
  ``Redis.from_env()`` reads), ``KV_REST_API_URL`` + ``KV_REST_API_TOKEN`` (Vercel KV), or
  ``url`` + ``token``;
- a JSON object with the same keys (a resource value, or the console's JSON);
- the TCP endpoint ``rediss://default:TOKEN@<name>.upstash.io:6379``: the REST URL is
  ``https://<name>.upstash.io`` and the password is the token (Upstash documents them as equal);
- ``redis-cli --tls -a TOKEN -h <name>.upstash.io -p 6379`` (or ``-u rediss://...``);
- ``curl https://<name>.upstash.io/... -H "Authorization: Bearer TOKEN"``;
- ``https://<name>.upstash.io?_token=TOKEN`` (the REST API's query-parameter auth);
- the URL and the token side by side, separated by spaces, a line break, ``,`` or ``;``.

The native form (``render_env``) is the two ``UPSTASH_REDIS_REST_*`` lines.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from connectors.errors import ParseError
from connectors.parsing import (
    check_host,
    is_password_placeholder,
    parse_env_block,
    split_host_port,
)
from connectors.text import json_depth_at, long_number_at
from connectors.upstash_redis.variables import TCP_KEYS, TOKEN_KEYS, URL_KEYS

TYPE = "upstash_redis"
# printable ASCII without spaces or quotes: it travels in an HTTP header
_TOKEN = re.compile(r"[!#-&(-~]+")
_UPSTASH_SUFFIX = ".upstash.io"
_NOT_UPSTASH = "a REST URL can be derived only from an <name>.upstash.io endpoint"


def is_upstash_host(host: str) -> bool:
    """Whether ``host`` is an Upstash database host (``<name>.upstash.io``, any case)."""
    return host.lower().rstrip(".").endswith(_UPSTASH_SUFFIX)


def parse_upstash(text: str) -> tuple[dict[str, Any], list[str]]:
    """``({"url", "token"}, notes)`` from any accepted form, or a ParseError."""
    text = text.strip()
    found = _from_pairs(parse_env_block(text)) if "=" in text else None
    if found is None and text.startswith("{"):
        found = _from_json(text)
    if found is None and text.lower().startswith(("rediss://", "redis://")):
        found = from_tcp_url(text)
    if found is None and text.startswith(("redis-cli ", "curl ")):
        found = _from_command(text)
    if found is None:
        found = _from_url_and_token(text)
    url, token, notes = found
    return {"url": check_url(url), "token": check_token(token)}, notes


def value_notes(value: dict[str, Any]) -> list[str]:
    """Advice that follows from the value itself (the same after a round trip)."""
    parts = urlsplit(value["url"])
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        return [
            "the REST URL uses http://: the token would travel unencrypted (Upstash serves https)"
        ]
    return []


def provider_of(value: dict[str, Any]) -> str | None:
    """``upstash`` when the REST URL is on an Upstash host, else None (a proxy, a local server)."""
    return "upstash" if is_upstash_host(urlsplit(value["url"]).hostname or "") else None


def render_env(value: dict[str, Any]) -> str:
    """The native form: the two lines ``Redis.from_env()`` reads."""
    token = str(value["token"])
    if ";" in token:  # `;` separates pairs on one line; a token has no quote, so quote it
        token = f"'{token}'"
    return f"UPSTASH_REDIS_REST_URL={value['url']}\nUPSTASH_REDIS_REST_TOKEN={token}"


def check_url(url: str) -> str:
    """A REST base URL: http(s), a host, no query, no trailing slash (the client appends paths)."""
    url = url.strip()
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ParseError("the REST URL has a space or control character", type_name=TYPE)
    parts = _split(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ParseError("the REST URL must be an https:// URL with a host", type_name=TYPE)
    check_host(parts.hostname, type_name=TYPE, what="REST URL host")
    if parts.username is not None or parts.password is not None:
        raise ParseError("the REST URL must not carry user info (give the token)", type_name=TYPE)
    if parts.query or parts.fragment:
        raise ParseError("the REST URL must not carry a query or fragment", type_name=TYPE)
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def _split(url: str) -> SplitResult:
    """``urlsplit`` with its port checked; a ParseError that does not quote the URL (user info)."""
    try:
        parts = urlsplit(url)
        split_host_port(parts.netloc.rpartition("@")[2])
    except (ValueError, ParseError):
        raise ParseError("the REST URL has a malformed host or port", type_name=TYPE) from None
    return parts


def check_token(token: str) -> str:
    """``token`` when it can travel in an ``Authorization: Bearer`` header, else a ParseError."""
    if not token:
        raise ParseError("the REST token is missing", type_name=TYPE)
    if not _TOKEN.fullmatch(token):
        raise ParseError(
            "the REST token has characters a token cannot have (spaces, quotes, ...)",
            type_name=TYPE,
        )
    return token


def from_tcp_url(text: str) -> tuple[str, str, list[str]]:
    """REST url and token from ``rediss://default:TOKEN@<name>.upstash.io:6379``."""
    from connectors.redis.parser import parse_redis_url

    try:
        tcp = parse_redis_url(text)
    except ParseError as exc:
        raise ParseError(exc.message, position=exc.position, type_name=TYPE) from exc
    host = tcp.get("host", "")
    if not is_upstash_host(host):
        raise ParseError(_NOT_UPSTASH, type_name=TYPE)
    if not tcp["password"]:
        raise ParseError("the Upstash endpoint URL has no password (the token)", type_name=TYPE)
    if is_password_placeholder(tcp["password"]):
        raise ParseError(
            "the password in the Upstash endpoint URL is a console placeholder (such as "
            "[YOUR-PASSWORD]), not the token: paste the string with the real password",
            type_name=TYPE,
        )
    notes = [
        f"REST URL derived from the TCP endpoint {host}; its password is the REST token "
        "(Upstash documents them as the same)"
    ]
    if tcp["username"] not in ("", "default"):
        notes.append(
            f"the password of ACL user {tcp['username']!r} is not a REST token; "
            "use the database's REST token if the check fails"
        )
    if not tcp["tls"]:
        notes.append("Upstash always uses TLS: a TCP client must connect with rediss://")
    return f"https://{host}", tcp["password"], notes


def _from_pairs(pairs: dict[str, Any]) -> tuple[str, str, list[str]] | None:
    url = next((str(pairs[k]) for k in URL_KEYS if pairs.get(k)), None)
    token = next((str(pairs[k]) for k in TOKEN_KEYS if pairs.get(k)), None)
    if url and token:
        return url, token, []
    tcp = next((str(pairs[k]) for k in TCP_KEYS if pairs.get(k)), None)
    if tcp and tcp.startswith(("rediss://", "redis://")):
        return from_tcp_url(tcp)
    if url or token:
        missing = "token (UPSTASH_REDIS_REST_TOKEN)" if url else "URL (UPSTASH_REDIS_REST_URL)"
        raise ParseError(f"the REST {missing} is missing", type_name=TYPE)
    return None


def _from_json(text: str) -> tuple[str, str, list[str]] | None:
    deep = json_depth_at(text)
    if deep is not None:
        raise ParseError("JSON nested too deeply", position=deep, type_name=TYPE)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON (line {exc.lineno})", type_name=TYPE) from exc
    except ValueError:  # Python's own limit on the digits of an integer
        at = long_number_at(text)
        raise ParseError("a number with too many digits", position=at, type_name=TYPE) from None
    return _from_pairs(data) if isinstance(data, dict) else None


def _from_command(text: str) -> tuple[str, str, list[str]] | None:
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ParseError("unbalanced quotes in the command", type_name=TYPE) from exc
    if words[0] == "redis-cli":
        return _from_redis_cli(words[1:])
    urls = [w for w in words if w.startswith(("https://", "http://"))]
    bearer = [w.split(None, 2) for w in words if w.lower().startswith("authorization:")]
    token = next((b[2] for b in bearer if len(b) == 3 and b[1].lower() == "bearer"), "")
    if urls and token:
        parts = _split(urls[0])
        return f"{parts.scheme}://{parts.netloc}", token, []
    return None


def _from_redis_cli(args: list[str]) -> tuple[str, str, list[str]] | None:
    options: dict[str, str] = {}
    for flag, item in itertools.pairwise(args):
        if flag in ("-u", "-h", "-a", "--pass") and flag not in options:
            options[flag] = item
    if options.get("-u"):
        return from_tcp_url(options["-u"])
    host, token = options.get("-h", ""), options.get("-a") or options.get("--pass", "")
    if not (host and token):
        return None
    if not is_upstash_host(host):
        raise ParseError(_NOT_UPSTASH, type_name=TYPE)
    notes = [f"REST URL derived from the redis-cli host {host}; its password is the REST token"]
    return f"https://{host}", token, notes


def _from_url_and_token(text: str) -> tuple[str, str, list[str]]:
    words = [w.strip("'\"") for w in re.split(r"[\s,;]+", text) if w.strip("'\"")]
    urls = [w for w in words if w.lower().startswith(("https://", "http://"))]
    if len(urls) != 1:
        raise ParseError(
            "expected an Upstash REST URL and token (UPSTASH_REDIS_REST_URL=... "
            "UPSTASH_REDIS_REST_TOKEN=...) or a rediss://default:TOKEN@<name>.upstash.io URL",
            type_name=TYPE,
        )
    url = urls[0]
    parts = _split(url)
    query_token = parse_qs(parts.query).get("_token", [""])[0]
    if query_token:
        url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    others = [w for w in words if w is not urls[0]]
    if len(others) > 1 or (others and query_token):
        raise ParseError("expected one URL and one token, found more words", type_name=TYPE)
    token = query_token or (others[0] if others else "")
    if not token:
        raise ParseError("the REST token is missing (give the URL and the token)", type_name=TYPE)
    return url, token, []


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
