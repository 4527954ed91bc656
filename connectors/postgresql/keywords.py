"""The libpq connection keywords: the parser's vocabulary and the schema's extension fields.

Every libpq keyword (libpq 18, ``PQconndefaults``) is accepted by the parser and kept in the
resource value under its own name. ``host`` and ``port`` are special: Windmill's shape has one
host and an integer port, so a list of hosts goes into the ``hosts`` extension field.
"""

from __future__ import annotations

from typing import Any

#: the Windmill ``postgresql`` fields (reference: windmill.md section 3.1)
WINDMILL_FIELDS = ("host", "port", "user", "password", "dbname", "sslmode", "root_certificate_pem")

#: the URI schemes of libpq connection strings
URI_PREFIXES = ("postgresql://", "postgres://")

#: the schemes Django (dj-database-url, django-environ) and SQLAlchemy projects keep in
#: DATABASE_URL for PostgreSQL-protocol databases (connectors.postgresql.dialects)
ALIAS_SCHEMES = frozenset(
    ("pgsql", "postgis", "timescale", "timescalegis", "cockroach", "cockroachdb", "redshift")
)

SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")

#: libpq keyword -> description of the extension field holding it (all strings unless listed
#: in INTEGER_KEYWORDS). host, port, user, password, dbname and sslmode are Windmill fields.
EXTENSION_KEYWORDS: dict[str, str] = {
    "hostaddr": "libpq hostaddr: numeric IP address(es) to connect to instead of resolving host "
    "(comma-separated, one per host)",
    "options": "libpq options: command-line options sent to the server at start-up "
    "(e.g. '-c search_path=app'); Neon's 'endpoint=<id>' for clients without TLS SNI",
    "application_name": "libpq application_name: the name the session reports in pg_stat_activity",
    "fallback_application_name": "libpq fallback_application_name: application_name used when "
    "none is set",
    "connect_timeout": "libpq connect_timeout: seconds to wait for each connection attempt "
    "(0 or absent = wait indefinitely)",
    "target_session_attrs": "libpq target_session_attrs: which server of a host list to accept "
    "(any, read-write, read-only, primary, standby, prefer-standby)",
    "load_balance_hosts": "libpq load_balance_hosts: 'disable' (try hosts in order) or "
    "'random' (PostgreSQL 16+ clients)",
    "client_encoding": "libpq client_encoding: the client character set (e.g. UTF8, or auto)",
    "service": "libpq service: a service name from pg_service.conf supplying further parameters",
    "passfile": "libpq passfile: path of a password file (default ~/.pgpass)",
    "channel_binding": "libpq channel_binding: 'disable', 'prefer' or 'require' "
    "(require = SCRAM-SHA-256-PLUS only)",
    "require_auth": "libpq require_auth: authentication methods the client accepts "
    "(e.g. scram-sha-256, !password; PostgreSQL 16+ clients)",
    "sslnegotiation": "libpq sslnegotiation: 'postgres' (SSLRequest first) or 'direct' "
    "(TLS handshake first; PostgreSQL 17+)",
    "sslcompression": "libpq sslcompression: '1' to ask for TLS compression (obsolete)",
    "sslcert": "libpq sslcert: path of the client certificate file",
    "sslkey": "libpq sslkey: path of the client private key file (or an engine:key reference)",
    "sslcertmode": "libpq sslcertmode: whether to send a client certificate "
    "(disable, allow, require)",
    "sslpassword": "libpq sslpassword: passphrase of the client private key (secret)",
    "sslrootcert": "libpq sslrootcert: path of the trusted root certificates file, or 'system'; "
    "root_certificate_pem (the certificate content) takes precedence when set",
    "sslcrl": "libpq sslcrl: path of the certificate revocation list file",
    "sslcrldir": "libpq sslcrldir: directory of certificate revocation list files",
    "sslsni": "libpq sslsni: '1' (default) to send the host name as TLS SNI, '0' not to",
    "ssl_min_protocol_version": "libpq ssl_min_protocol_version: lowest TLS version (e.g. TLSv1.2)",
    "ssl_max_protocol_version": "libpq ssl_max_protocol_version: highest TLS version",
    "min_protocol_version": "libpq min_protocol_version: lowest wire protocol version "
    "(PostgreSQL 18+)",
    "max_protocol_version": "libpq max_protocol_version: highest wire protocol version "
    "(PostgreSQL 18+)",
    "sslkeylogfile": "libpq sslkeylogfile: file to write TLS key material to (debugging)",
    "requirepeer": "libpq requirepeer: OS user name the server process must run as "
    "(Unix-domain sockets)",
    "gssencmode": "libpq gssencmode: GSSAPI encryption 'disable', 'prefer' or 'require'",
    "krbsrvname": "libpq krbsrvname: Kerberos service name",
    "gsslib": "libpq gsslib: GSS library ('gssapi' or 'sspi', Windows)",
    "gssdelegation": "libpq gssdelegation: '1' to forward GSS credentials to the server",
    "keepalives": "libpq keepalives: '1' (default) to use TCP keepalives, '0' not to",
    "keepalives_idle": "libpq keepalives_idle: seconds of inactivity before a TCP keepalive",
    "keepalives_interval": "libpq keepalives_interval: seconds between TCP keepalives",
    "keepalives_count": "libpq keepalives_count: lost keepalives before the connection is dead",
    "tcp_user_timeout": "libpq tcp_user_timeout: milliseconds transmitted data may stay "
    "unacknowledged",
    "replication": "libpq replication: 'true'/'database' for a replication connection",
    "scram_client_key": "libpq scram_client_key: base64 SCRAM client key (secret)",
    "scram_server_key": "libpq scram_server_key: base64 SCRAM server key (secret)",
    "oauth_issuer": "libpq oauth_issuer: OAuth issuer URL (PostgreSQL 18+)",
    "oauth_client_id": "libpq oauth_client_id: OAuth client id",
    "oauth_client_secret": "libpq oauth_client_secret: OAuth client secret (secret)",
    "oauth_scope": "libpq oauth_scope: OAuth scopes to request",
}

INTEGER_KEYWORDS = frozenset({"connect_timeout"})
SECRET_KEYWORDS = frozenset(
    {"password", "sslpassword", "scram_client_key", "scram_server_key", "oauth_client_secret"}
)

#: every keyword libpq accepts in a connection string
KEYWORDS = frozenset(EXTENSION_KEYWORDS) | {"host", "port", "user", "password", "dbname", "sslmode"}

#: the PG* environment variables (PGHOST=...) and the keyword each sets
ENVIRONMENT = {
    "PGHOST": "host",
    "PGHOSTADDR": "hostaddr",
    "PGPORT": "port",
    "PGDATABASE": "dbname",
    "PGUSER": "user",
    "PGPASSWORD": "password",
    "PGPASSFILE": "passfile",
    "PGSERVICE": "service",
    "PGOPTIONS": "options",
    "PGAPPNAME": "application_name",
    "PGSSLMODE": "sslmode",
    "PGSSLROOTCERT": "sslrootcert",
    "PGSSLCERT": "sslcert",
    "PGSSLKEY": "sslkey",
    "PGSSLNEGOTIATION": "sslnegotiation",
    "PGCONNECT_TIMEOUT": "connect_timeout",
    "PGCLIENTENCODING": "client_encoding",
    "PGCHANNELBINDING": "channel_binding",
    "PGTARGETSESSIONATTRS": "target_session_attrs",
    "PGLOADBALANCEHOSTS": "load_balance_hosts",
    "PGREQUIREAUTH": "require_auth",
    "PGGSSENCMODE": "gssencmode",
}


def extension_properties() -> dict[str, Any]:
    """The schema properties of the extension fields (``hosts`` and every other keyword)."""
    properties: dict[str, Any] = {
        "hosts": {
            "type": "array",
            "description": "Extension: every host of a multi-host connection string, tried in "
            "order (libpq host=h1,h2 port=p1,p2). host and port repeat the first entry for "
            "tools that know one host only. Absent for a single host.",
            "items": {
                "type": "object",
                "properties": {
                    "host": {"type": "string", "description": "host name, IP or socket dir"},
                    "port": {"type": "integer", "description": "port (absent = 5432)"},
                },
                "required": ["host"],
            },
        }
    }
    properties["driver_parameters"] = {
        "type": "object",
        "description": "Extension: parameters of other drivers the string carried (Prisma's "
        "pgbouncer and connection_limit, pgjdbc's prepareThreshold, ...), kept so the string can "
        "be written back; never sent to the server",
        "additionalProperties": {"type": "string"},
    }
    for name, description in EXTENSION_KEYWORDS.items():
        prop: dict[str, Any] = {
            "type": "integer" if name in INTEGER_KEYWORDS else "string",
            "description": f"Extension: {description}",
        }
        if name in SECRET_KEYWORDS:
            prop["password"] = True
        properties[name] = prop
    return properties
