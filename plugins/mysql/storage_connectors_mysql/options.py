"""The options a MySQL connection string may carry, under every spelling the clients use.

Each form spells them its own way (``ssl-mode`` for the mysql client and Connector/Python,
``sslMode``/``useSSL`` for Connector/J, ``sslmode`` for MariaDB Connector/J, ``tls`` for the Go
driver, ``SslMode`` for .NET); they all end up as the value's ``ssl``, ``ssl_mode``, ``charset``
and ``connect_timeout``.
"""

from __future__ import annotations

from typing import Any

from connectors import ParseError
from connectors.parsing import shares_text, shown_name, whole_number

SSL_MODES = ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
#: the modes under which the connection is encrypted (Windmill's ``ssl: true``)
TLS_MODES = ("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")

# every spelling of an ssl mode value -> the mysql client's name
_MODE_WORDS = {
    "disabled": "DISABLED",
    "disable": "DISABLED",
    "preferred": "PREFERRED",
    "prefer": "PREFERRED",
    "required": "REQUIRED",
    "require": "REQUIRED",
    "trust": "REQUIRED",  # MariaDB Connector/J: encrypt, trust any certificate
    "verify_ca": "VERIFY_CA",
    "verify-ca": "VERIFY_CA",
    "verifyca": "VERIFY_CA",
    "verify_identity": "VERIFY_IDENTITY",
    "verify-identity": "VERIFY_IDENTITY",
    "verify-full": "VERIFY_IDENTITY",
    "verify_full": "VERIFY_IDENTITY",
    "verifyfull": "VERIFY_IDENTITY",
}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")

# option spelling (lower-cased) -> what it sets
_OPTIONS = {
    "ssl-mode": "ssl_mode",
    "ssl_mode": "ssl_mode",
    "sslmode": "ssl_mode",
    "ssl mode": "ssl_mode",
    "ssl": "ssl",
    "usessl": "ssl",
    "use_ssl": "ssl",
    "requiressl": "require_ssl",
    "verifyservercertificate": "verify_server_certificate",
    "tls": "tls",
    "sslaccept": "sslaccept",
    "ssl_verify_cert": "verify_server_certificate",
    "ssl_verify_identity": "verify_identity",
    "ssl-verify-server-cert": "verify_identity",
    "charset": "charset",
    "characterencoding": "charset",
    "character set": "charset",
    "connect_timeout": "connect_timeout",
    "connect-timeout": "connect_timeout",
    "connection timeout": "connect_timeout",
    "connect timeout": "connect_timeout",
    "connecttimeout": "connect_timeout_ms",
    # file paths on the machine that pasted the string: not portable, left out with a note
    "ssl_ca": "path",
    "ssl-ca": "path",
    "sslca": "path",
    "sslcert": "path",
    "ssl_cert": "path",
    "ssl-cert": "path",
    "ssl_key": "path",
    "ssl-key": "path",
    "sslkey": "path",
    "serversslcert": "path",
    "trustcertificatekeystoreurl": "path",
}
#: what an option with no place in the value is, when it is harmless to leave out
_DRIVER_ONLY = (
    "allowpublickeyretrieval",
    "servertimezone",
    "useunicode",
    "autoreconnect",
    "zerodatetimebehavior",
    "rewritebatchedstatements",
    "uselegacydatetimecode",
    "interpolateparams",
    "parsetime",
    "loc",
    "timeout",
    "readtimeout",
    "writetimeout",
    "sockettimeout",
    "pool_size",
    "pool_recycle",
    "local_infile",
    "allowmultiqueries",
    "enabletls",
    "persist security info",
    "pooling",
)
KNOWN_OPTIONS = tuple(sorted({*_OPTIONS, *_DRIVER_ONLY}))


class Options:
    """The TLS settings and client options read from a string, in the value's terms."""

    def __init__(self) -> None:
        self.ssl: bool | None = None
        self.ssl_mode: str | None = None
        self.values: dict[str, Any] = {}
        self.left_out: list[str] = []
        self.paths: list[str] = []

    def set(
        self,
        name: str,
        raw: str,
        *,
        position: int | None,
        lenient: bool = False,
        password: str | None = None,
    ) -> None:
        """Apply one option; an unknown one is a ParseError at ``position`` (``lenient``: a
        note instead, for JDBC's hundreds of driver properties) that names it unless it shares
        text with ``password`` (the password as read so far: an unencoded password can be split
        where a name is read, and the split is not always where the password was read to)."""
        key = name.strip().lower()
        kind = _OPTIONS.get(key)
        text = raw.strip()
        if kind is None:
            if key in _DRIVER_ONLY or lenient:
                self.left_out.append(name)
                return
            raise ParseError(_unknown(name, password), position=position, type_name="mysql")
        if kind == "ssl_mode":
            self._mode(_ssl_mode(text, name, position))
        elif kind in ("ssl", "require_ssl"):
            self._ssl_flag(text, name, position)
        elif kind == "verify_server_certificate":
            if _flag(text, name, position) and self.ssl_mode in (None, "REQUIRED"):
                self._mode("VERIFY_CA")
        elif kind == "verify_identity":
            if _flag(text, name, position):
                self._mode("VERIFY_IDENTITY")
        elif kind == "tls":
            self._go_tls(text, position)
        elif kind == "sslaccept":
            self._mode("VERIFY_IDENTITY" if text == "strict" else "REQUIRED")
        elif kind == "charset":
            if text:  # an empty charset is the client's default, as no charset is
                self.values["charset"] = text
        elif kind in ("connect_timeout", "connect_timeout_ms"):
            self.values["connect_timeout"] = _seconds(text, name, position, kind)
        else:
            self.paths.append(name)

    def _mode(self, mode: str) -> None:
        self.ssl_mode = mode
        self.ssl = mode in TLS_MODES

    def _ssl_flag(self, text: str, name: str, position: int | None) -> None:
        if text.startswith("{"):  # PlanetScale's Node snippet: ssl={"rejectUnauthorized":true}
            self._mode("VERIFY_IDENTITY" if "true" in text.replace(" ", "") else "REQUIRED")
            return
        on = _flag(text, name, position)
        if self.ssl_mode is None:
            self.ssl = on
        elif not on:
            self._mode("DISABLED")

    def _go_tls(self, text: str, position: int | None) -> None:
        modes = {
            "true": "VERIFY_IDENTITY",
            "skip-verify": "REQUIRED",
            "preferred": "PREFERRED",
            "false": "DISABLED",
        }
        if text.lower() not in modes:
            raise ParseError(
                "tls names a TLS config registered in Go code; use true, skip-verify, "
                "preferred or false",
                position=position,
                type_name="mysql",
            )
        self._mode(modes[text.lower()])

    def notes(self) -> list[str]:
        found = []
        if self.paths:
            found.append(
                f"certificate file paths were left out ({', '.join(self.paths)}): put the CA "
                "certificate's PEM text in root_certificate_pem"
            )
        if self.left_out:
            # text read as a name may be a pasted URL with its password: only names are shown
            names = [name for name in self.left_out if shown_name(name) != "(name not shown)"]
            hidden = len(self.left_out) - len(names)
            names += [f"{hidden} more (not shown: not option names)"] if hidden else []
            found.append(
                "driver options with no place in the resource were left out: " + ", ".join(names)
            )
        return found

    def apply(self, value: dict[str, Any]) -> None:
        """Write the options into a resource value."""
        if self.ssl is not None:
            value["ssl"] = self.ssl
        if self.ssl_mode is not None:
            value["ssl_mode"] = self.ssl_mode
        value.update(self.values)


def _unknown(name: str, password: str | None) -> str:
    """The message for an unknown option: named when it looks like one, and neither named nor
    matched to a known option when it shares text with the password."""
    import difflib  # only for an error: not imported with the plugin

    if shares_text(name, password or ""):
        return "unknown option (name not shown)"
    close = difflib.get_close_matches(name.lower(), KNOWN_OPTIONS, n=1, cutoff=0.75)
    looks_like_a_name = name.isascii() and name.replace("-", "").replace("_", "").isalnum()
    shown = repr(name) if looks_like_a_name else None
    what = f"unknown option {shown}" if shown else "unknown option (name not shown)"
    return what + (f"; did you mean {close[0]!r}?" if close else "")


def _ssl_mode(text: str, name: str, position: int | None) -> str:
    mode = _MODE_WORDS.get(text.lower())
    if mode is None:
        raise ParseError(
            f"{name} must be one of {', '.join(SSL_MODES)}", position=position, type_name="mysql"
        )
    return mode


def _flag(text: str, name: str, position: int | None) -> bool:
    lowered = text.lower()
    if lowered in _TRUE or lowered == "":
        return True
    if lowered in _FALSE:
        return False
    raise ParseError(f"{name} must be true or false", position=position, type_name="mysql")


def _seconds(text: str, name: str, position: int | None, kind: str) -> int:
    number = whole_number(text)  # checked before conversion: no 4,300-digit ValueError
    if number is None:
        raise ParseError(f"{name} must be a whole number", position=position, type_name="mysql")
    seconds = -(-number // 1000) if kind == "connect_timeout_ms" else number
    if seconds < 1:  # the schema's minimum: 0 is no timeout to the client, not a wait
        raise ParseError(f"{name} must be at least 1 second", position=position, type_name="mysql")
    return seconds
