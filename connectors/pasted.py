"""Strings as people paste them: what surrounds a connection string, and near-miss schemes.

``unwrap`` takes off what a console, a ``.env`` file or a shell history puts around the string
(surrounding quotes, one ``KEY=value`` or ``export KEY=value`` assignment, a ``psql``,
``redis-cli`` or ``mongosh`` command line) and says what it did in a note. ``near_miss`` gives
the "did you mean" for a scheme that is one typo away from a known one (``postgress://``).
``connectors.parse`` calls these only when the text as given is not recognised, so the common
case pays nothing for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from connectors.errors import ParseError
from connectors.parsing import parse_env_block

COMMANDS = ("psql", "redis-cli", "valkey-cli", "mongosh", "mongo")
#: the schemes a near miss is compared with, and the scheme to suggest for each
KNOWN_SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mongodb": "mongodb",
    "mongodb+srv": "mongodb+srv",
    "redis": "redis",
    "rediss": "rediss",
    "s3": "s3",
    "https": "https",
    "http": "http",
    "unix": "unix",
    "jdbc": "jdbc",
    "s3a": "s3a",
    "abfss": "abfss",
    "wasbs": "wasbs",
    "mysql": "mysql",
}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):/{0,3}")
#: a command line read before detection: psql or mongosh, or any command after VAR=value words
#: (``PGPASSWORD=x psql ...`` would otherwise read as a PGPASSWORD assignment)
# possessive: NAME=value words never give back what they matched (\S and \s are disjoint), so
# a long text without spaces is read once, not once per character
_EARLY_COMMAND = re.compile(
    r"(?:psql|mongosh|mongo)\s|(?:[A-Za-z_]\w*+=\S*+\s++)++(?:psql|mongosh|mongo|redis-cli|valkey-cli)\s"
)


def early(text: str) -> Pasted | None:
    """The connection string of a command line that detection would misread, else None."""
    if "psql" not in text and "mongo" not in text and "-cli" not in text:  # every command's
        return None
    return _command(text) if _EARLY_COMMAND.match(text) else None


@dataclass
class Pasted:
    """The connection string inside a pasted text, and where it starts in that text."""

    text: str
    offset: int
    note: str
    #: the type the wrapper implies (a psql line is postgresql), when it does
    type_name: str | None = None
    extra_notes: list[str] = field(default_factory=list)
    #: the string was built from a command line's options: ``offset`` is where those start,
    #: and a position inside ``text`` has no place in the pasted text
    built: bool = False


def quoted(text: str) -> Pasted | None:
    """``text`` without the quotes around it (``'postgresql://...'``), else None."""
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return None
    inner = text[1:-1]
    if text[0] in inner:
        return None  # 'a' 'b': two quoted words, not one
    stripped = inner.strip()
    if not stripped:
        return None
    offset = 1 + len(inner) - len(inner.lstrip())
    return Pasted(stripped, offset, "the quotes around the string were removed")


def unwrap(text: str) -> Pasted | None:
    """The connection string inside ``text`` (quotes, an assignment, a command line), or None."""
    found = quoted(text)
    if found is not None:
        return found
    first = text.split(None, 1)[0] if text.split(None, 1) else ""
    if first in COMMANDS or (first and "=" in first and _command_after_env(text)):
        return _command(text)
    return _assignment(text)


def _command_after_env(text: str) -> bool:
    """``PGPASSWORD=x psql ...``: assignments, then a command."""
    words = text.split()
    for word in words:
        if "=" not in word:
            return word in COMMANDS
    return False


def _assignment(text: str) -> Pasted | None:
    """One ``KEY=value`` (``export KEY=value``, ``KEY: value``) line: its value."""
    if "\n" in text.strip() or ("=" not in text and ":" not in text):
        return None
    env = parse_env_block(text)
    if len(env) != 1:
        return None
    ((name, value),) = env.items()
    value = value.strip()
    if not value:
        return None
    offset = text.rfind(value)
    return Pasted(value, max(offset, 0), f"read the value of {name}")


#: longer command lines are refused before shlex reads them (it is slow on megabytes)
MAX_COMMAND = 65536


def _command(text: str) -> Pasted:
    import shlex

    if len(text) > MAX_COMMAND:
        raise ParseError(
            f"a command line longer than {MAX_COMMAND} characters",
            position=MAX_COMMAND,
            hint="paste the connection string itself",
        )

    try:
        words = shlex.split(text)
    except ValueError:
        raise ParseError(
            "unbalanced quotes in the command line",
            position=max(text.rfind('"'), text.rfind("'"), 0),
            hint="close the quotes around the connection string",
        ) from None
    env: dict[str, str] = {}
    while words and "=" in words[0] and words[0] not in COMMANDS:
        name, _, item = words.pop(0).partition("=")
        env[name] = item
    if not words:  # only NAME=value words: no command to read
        raise ParseError("no command in the command line", position=0)
    command, args = words[0], words[1:]
    if command == "psql":
        return _psql(text, args, env)
    if command in ("redis-cli", "valkey-cli"):
        return _redis_cli(text, command, args)
    return _mongosh(text, command, args)


def _options(
    args: list[str], flags: dict[str, str], switches: dict[str, str]
) -> tuple[dict[str, str], list[str], list[str]]:
    """``(options by name, positional words, ignored options)`` of a command line."""
    options: dict[str, str] = {}
    positional: list[str] = []
    ignored: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        name, eq, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in flags:
            if eq:
                options[flags[name]] = inline
            elif i + 1 < len(args):
                options[flags[name]] = args[i + 1]
                i += 1
        elif name in switches:
            options[switches[name]] = "true"
        elif word.startswith("-") and len(word) > 1:
            ignored.append(name)
            if not eq and i + 1 < len(args) and not args[i + 1].startswith("-"):
                i += 1  # an option of its own with a value (--apiVersion 1)
        else:
            positional.append(word)
        i += 1
    return options, positional, ignored


def _note(command: str, ignored: list[str]) -> str:
    note = f"read from a {command} command line"
    if ignored:
        note += f" (options that are not connection settings were left out: {', '.join(ignored)})"
    return note


def _arguments_at(text: str) -> int:
    """Where the command's first argument starts (after ``NAME=value`` words and the command)."""
    words = list(re.finditer(r"\S+", text))
    for index, word in enumerate(words):
        if word[0] in COMMANDS:
            return words[index + 1].start() if index + 1 < len(words) else word.start()
    return 0


def _at(text: str, word: str) -> int:
    found = text.find(word)
    return found if found >= 0 else 0


_PSQL_FLAGS = {
    "-h": "host",
    "--host": "host",
    "-p": "port",
    "--port": "port",
    "-U": "user",
    "--username": "user",
    "-d": "dbname",
    "--dbname": "dbname",
}
_PG_ENV = {"PGPASSWORD": "password", "PGSSLMODE": "sslmode", "PGHOST": "host", "PGPORT": "port"}


def _psql(text: str, args: list[str], env: dict[str, str]) -> Pasted:
    """``psql [options] [dbname [user]]``, or ``psql '<conninfo or URI>'``."""
    switches = {"-w": "", "-W": "", "--no-password": "", "--password": ""}
    options, positional, ignored = _options(args, _PSQL_FLAGS, switches)
    options.pop("", None)
    given = options.get("dbname") or (positional[0] if positional else "")
    if given.startswith(("postgresql://", "postgres://")) or "=" in given:
        if len(options) > (1 if "dbname" in options else 0) or env:
            raise ParseError(
                "a psql line with both a connection string and -h/-p/-U options",
                position=_at(text, given),
                hint="paste the connection string alone",
            )
        return Pasted(given, _at(text, given), _note("psql", ignored), "postgresql")
    if positional:
        options.setdefault("dbname", positional[0])
    if len(positional) > 1:
        options.setdefault("user", positional[1])
    for name, item in env.items():
        if name in _PG_ENV:
            options.setdefault(_PG_ENV[name], item)
    if not options:
        raise ParseError(
            "a psql command line without connection settings",
            position=0,
            hint="psql -h host -p 5432 -U user -d dbname, or psql 'postgresql://...'",
        )
    conninfo = " ".join(f"{key}={_libpq_quote(item)}" for key, item in options.items())
    return Pasted(conninfo, _arguments_at(text), _note("psql", ignored), "postgresql", built=True)


def _libpq_quote(item: str) -> str:
    return "'" + item.replace("\\", "\\\\").replace("'", "\\'") + "'"


_REDIS_FLAGS = {
    "-h": "host",
    "-p": "port",
    "-a": "password",
    "--pass": "password",
    "--user": "username",
    "-n": "db",
    "-u": "url",
}


def _redis_cli(text: str, command: str, args: list[str]) -> Pasted:
    """``redis-cli [-u URL | -h host -p port -a password --user name -n db] [--tls]``."""
    options, positional, ignored = _options(args, _REDIS_FLAGS, {"--tls": "tls"})
    if positional:
        ignored.append(f"the command {positional[0]}")
    url = options.get("url")
    if url:
        return Pasted(url, _at(text, url), _note(command, ignored))
    scheme = "rediss" if options.get("tls") else "redis"
    userinfo = quote(options.get("username", ""), safe="")
    if options.get("password"):
        userinfo += ":" + quote(options["password"], safe="")
    host = options.get("host", "localhost")
    shown = f"[{host}]" if ":" in host else host
    built = f"{scheme}://{userinfo + '@' if userinfo else ''}{shown}:{options.get('port', '6379')}"
    if options.get("db"):
        built += f"/{options['db']}"
    return Pasted(built, _arguments_at(text), _note(command, ignored), built=True)


_MONGO_FLAGS = {
    "-u": "username",
    "--username": "username",
    "-p": "password",
    "--password": "password",
    "--authenticationDatabase": "authSource",
    "--authenticationMechanism": "authMechanism",
    "--host": "host",
    "--port": "port",
}


def _mongosh(text: str, command: str, args: list[str]) -> Pasted:
    """``mongosh "mongodb+srv://..." --apiVersion 1 --username user`` (the Atlas console's line)
    or ``mongosh --host h --port p -u user db``."""
    options, positional, ignored = _options(args, _MONGO_FLAGS, {"--tls": "tls", "--ssl": "tls"})
    uri = next((w for w in positional if w.startswith(("mongodb://", "mongodb+srv://"))), None)
    built = uri is None
    if uri is None:
        host = options.pop("host", "localhost")
        port = options.pop("port", "")
        database = next(iter(positional), "")
        if "://" in database:  # ``mongo db://...``: a string that is not a MongoDB one
            joined = f"{command}{database}".split("://", 1)[0]
            hint = (
                f"did you mean {joined}://...? (without the space)"
                if joined in ("mongodb", "mongodb+srv")
                else near_miss(database) or "paste the connection string alone"
            )
            raise ParseError(
                f"{command} takes a mongodb:// or mongodb+srv:// string",
                position=_at(text, database),
                hint=hint,
            )
        uri = f"mongodb://{host}{':' + port if port else ''}/{quote(database, safe='')}"
    offset = _arguments_at(text) if built else _at(text, uri)
    username, password = options.pop("username", None), options.pop("password", None)
    if username is not None and "@" not in uri.split("/", 3)[2]:
        scheme, _, rest = uri.partition("://")
        credentials = quote(username, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        uri = f"{scheme}://{credentials}@{rest}"
        built = True
    query = [f"{name}={quote(item, safe='')}" for name, item in options.items()]
    if query:
        if "/" not in uri.split("://", 1)[1]:
            uri += "/"
        uri += ("&" if "?" in uri else "?") + "&".join(query)
        built = True
    if built:
        offset = _arguments_at(text)
    return Pasted(uri, offset, _note(command, ignored), "mongodb", built=built)


def near_miss(text: str) -> str | None:
    """ "did you mean ...?" for a scheme one typo away from a known one, else None."""
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match[1].lower()
    slashes = len(match[0]) - len(match[1]) - 1
    if scheme in KNOWN_SCHEMES:
        if slashes != 2 and "://" not in text[: len(match[0]) + 1]:
            return f"did you mean {KNOWN_SCHEMES[scheme]}://...? (two slashes after the scheme)"
        return None
    for known, suggestion in KNOWN_SCHEMES.items():
        if _near(scheme, known):
            return f"did you mean {suggestion}://...?"
    return None


def _near(a: str, b: str) -> bool:
    """One or two edits apart, for names of four letters or more (postgress, postgresq, mongdb)."""
    if len(b) < 4 or abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1] <= (1 if len(b) < 6 else 2)
