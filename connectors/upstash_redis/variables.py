"""The keys an Upstash string is written with (``Redis.from_env()``'s variables, Vercel KV's,
and the generic ones). Imported for detection, without the parser."""

from __future__ import annotations

URL_KEYS = ("UPSTASH_REDIS_REST_URL", "KV_REST_API_URL", "url")
TOKEN_KEYS = ("UPSTASH_REDIS_REST_TOKEN", "KV_REST_API_TOKEN", "token")
TCP_KEYS = ("UPSTASH_REDIS_URL", "KV_URL", "REDIS_URL")

#: what only Upstash and Vercel KV write (``Connector.text_keys``): url=, token= and REDIS_URL=
#: are any type's, asked as any text
TEXT_KEYS = frozenset(
    key for key in (*URL_KEYS, *TOKEN_KEYS, *TCP_KEYS) if key.startswith(("UPSTASH_", "KV_"))
)
