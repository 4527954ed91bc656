"""storage-connectors-mysql: the ``mysql`` resource type (MySQL and MariaDB), as a plugin.

Written against the public plugin API only (``connectors.Connector``, ``connectors.hookimpl``,
``connectors.parsing``, ``connectors.checks``), as any third-party connector would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connectors import CheckResult, Connector, Match, ParseError, Resource, hookimpl
from connectors.parsing import url_scheme
from storage_connectors_mysql.forms import JDBC_PREFIXES, KEYWORDS
from storage_connectors_mysql.options import KNOWN_OPTIONS, SSL_MODES
from storage_connectors_mysql.value import DEFAULT_PORT, WINDMILL_FIELDS, normalise, to_url

# The parser and the provider table are imported by the methods that need them: registering
# the plugin, or detecting another family's URL, reads neither.

__version__ = "0.1.0"

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "order": list(WINDMILL_FIELDS),
    "properties": {
        "host": {"type": "string", "description": "The instance host"},
        "port": {"type": "integer", "description": "The instance port", "default": DEFAULT_PORT},
        "user": {"type": "string", "description": "The database user name"},
        "database": {"type": "string", "description": "The database name"},
        "password": {
            "type": "string",
            "description": "The database user's password",
            "password": True,
        },
        "ssl": {"type": "boolean", "description": "Connect over TLS", "default": False},
        "ssl_mode": {
            "type": "string",
            "description": "Extension: the mysql client's --ssl-mode, when the string gave one "
            "(ssl follows it)",
            "enum": list(SSL_MODES),
        },
        "root_certificate_pem": {
            "type": "string",
            "description": "Extension: the CA certificate in PEM format (content, not a path), "
            "to verify the server",
        },
        "charset": {"type": "string", "description": "Extension: the connection character set"},
        "connect_timeout": {
            "type": "integer",
            "description": "Extension: seconds to wait for the connection",
            "minimum": 1,
        },
    },
    "required": [],
}

_SCHEMES = ("mysql", "mariadb")
_TEXT_FORMS = ("mysql -", "mysql\t", "mariadb -", "mariadb\t")
_HEADS = JDBC_PREFIXES + _TEXT_FORMS
#: the first letters of _HEADS in either case (no other character lower-cases to one)
_INITIALS = "".join(sorted({head[0] + head[0].upper() for head in _HEADS}))


class MySQL(Connector):
    """MySQL and MariaDB: URLs, JDBC, Go DSNs, keyword strings, mysql command lines."""

    name = "mysql"
    url_schemes = frozenset(_SCHEMES)  # mysql+pymysql:// too: the part before '+' counts
    #: the keys of keyword strings (``Server=h;Uid=u``, ``host=h user=u``): names and options
    text_keys = frozenset(key.upper() for key in (*KEYWORDS, *KNOWN_OPTIONS) if " " not in key)
    description = "MySQL connection"
    schema = SCHEMA
    providers = ("planetscale", "aiven", "aws", "azure", "digitalocean")
    extra = "pymysql"
    scripts_dir = Path(__file__).parent / "hub_scripts" / "mysql"
    examples = (
        "mysql://app:secret@localhost:3306/shop",
        "mariadb://app:secret@db.example.com/shop?ssl-mode=REQUIRED&charset=utf8mb4",
        "mysql+pymysql://app:secret@localhost/shop",
        "jdbc:mysql://localhost:3306/shop?user=app&password=secret&sslMode=VERIFY_IDENTITY",
        "jdbc:mariadb://localhost:3306/shop?user=app&password=secret&sslMode=verify-full",
        "host=localhost port=3306 user=app password=secret database=shop",
        "Server=shop.mysql.database.azure.com;Port=3306;Database=shop;Uid=app;Pwd=secret;"
        "SslMode=Required",
        'mysql://k7x2p9q4:pscale_pw_abc123@aws.connect.psdb.cloud/shop?ssl={"rejectUnauthorized":true}',
        "app:secret@tcp(localhost:3306)/shop?tls=skip-verify",
        "mysql -h db-mysql-nyc1-12345-do-user-1-0.b.db.ondigitalocean.com -P 25060 -u doadmin "
        "-D defaultdb --ssl-mode=REQUIRED",
    )

    def detect(self, text: str) -> int:
        scheme = url_scheme(text)
        if scheme is not None:
            ours = scheme in _SCHEMES or scheme.startswith(("mysql+", "mariadb+"))
        else:
            ours = (
                (text[:1] in _INITIALS and text[:16].lower().startswith(_HEADS))
                or ("@" in text and "@tcp(" in text)  # '@': a cheap first look
                or text.startswith("tcp(")
                or _mysql_keywords(text)
            )
        if not ours:
            return Match.NONE
        from storage_connectors_mysql.providers import looks_like_provider

        return Match.PROVIDER if looks_like_provider(text) else Match.SCHEME

    def parse(self, text: str) -> Resource:
        from storage_connectors_mysql.parser import parse_text
        from storage_connectors_mysql.providers import identify, provider_notes
        from storage_connectors_mysql.value import to_value

        try:
            parsed = parse_text(text)
        except ParseError as exc:
            exc.type_name = exc.type_name or self.name
            raise
        provider = identify(parsed.fields)
        value, notes = to_value(parsed, tls_required=bool(provider and provider.tls_required))
        notes = parsed.notes + notes
        if provider is not None:
            notes += provider_notes(provider, value)
        return Resource(self.name, value, provider.name if provider else None, notes)

    def to_connection_string(self, resource: Resource) -> str:
        return to_url(resource.value)

    def normalise(self, value: dict[str, Any]) -> dict[str, Any]:
        return normalise(value)

    def env_vars(self, resource: Resource) -> dict[str, str]:
        """``DATABASE_URL`` and the variables the mysql client reads."""
        v = resource.value
        names = {
            "MYSQL_HOST": "host",
            "MYSQL_TCP_PORT": "port",
            "MYSQL_USER": "user",
            "MYSQL_PWD": "password",
            "MYSQL_DATABASE": "database",
        }
        found = {"DATABASE_URL": to_url(v)}
        found |= {env: str(v[key]) for env, key in names.items() if v.get(key) not in (None, "")}
        return found

    def airflow_connection(self, resource: Resource) -> dict[str, Any]:
        """Airflow's ``mysql`` connection; TLS goes in ``extra``."""
        v = resource.value
        extra: dict[str, Any] = {}
        if v.get("ssl"):
            extra["ssl_mode"] = v.get("ssl_mode") or "REQUIRED"
        if v.get("charset"):
            extra["charset"] = v["charset"]
        return {
            "conn_type": "mysql",
            "host": v.get("host"),
            "login": v.get("user"),
            "password": v.get("password"),
            "schema": v.get("database"),
            "port": v.get("port"),
            "extra": extra,
        }

    def dlt_tables(self, resource: Resource) -> dict[str, dict[str, Any]]:
        """dlt's ``sql_database`` source credentials (SQLAlchemy with PyMySQL)."""
        v = resource.value
        credentials = {
            "drivername": "mysql+pymysql",
            "database": v.get("database"),
            "username": v.get("user"),
            "password": v.get("password"),
            "host": v.get("host"),
            "port": v.get("port"),
        }
        return {
            "sources.sql_database.credentials": {
                key: item for key, item in credentials.items() if item not in (None, "")
            }
        }

    def connect(self, resource: Resource) -> Any:
        from storage_connectors_mysql.client import connect

        return connect(resource.value)

    def check(self, resource: Resource, timeout: float = 10.0) -> CheckResult:
        from storage_connectors_mysql.client import check

        return check(resource.value, timeout)


#: keys only MySQL strings use (libpq has dbname, not database), and a setting only MySQL's has;
#: looked for as words first: the expression below costs 10 µs on a 150-character text
_KEY_WORDS = ("database", "username", "ssl-mode", "uid", "pwd", "server", "sslmode=required")
#: each of them at the start of a setting, not inside another's value
_KEY_HINTS = re.compile(
    r"(?:^|[;\s])(?:(?:"
    + "|".join(re.escape(word) for word in _KEY_WORDS[:-1])
    + r")\s*=|"
    + re.escape(_KEY_WORDS[-1])
    + ")",
    re.IGNORECASE,
)


def _mysql_keywords(text: str) -> bool:
    """A keyword string with a key only MySQL strings use (a value that holds one is not)."""
    if "=" not in text[:40]:
        return False
    lowered = text.lower()
    for word in _KEY_WORDS:  # a loop, not any(): detection runs on every text
        if word in lowered:
            return _KEY_HINTS.search(text) is not None
    return False


@hookimpl
def register_connectors(register: Callable[[Connector], None]) -> None:
    register(MySQL())
